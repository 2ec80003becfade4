/* gst-omni: Vulkan kernels of ops binary and binary-const (nn_binary)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../omninnvkop.h"

static gboolean
build_common (OmniNnVkKernel *k, OmniNnVkBuild *b)
{
  const OmniNnBinaryParams *p = &k->params.binary;
  guint d[4] = { 1, 1, 1, 1 }, da[4] = { 1, 1, 1, 1 }, db[4] = { 1, 1, 1, 1 };
  guint64 n = 1;
  guint i;

  if (p->n_dims < 1 || p->n_dims > 4
      || (guint) p->kind >= OMNI_NN_BINARY_N_KINDS)
    return FALSE;
  for (i = 0; i < p->n_dims; i++) {
    d[4 - p->n_dims + i] = p->dims[i];
    da[4 - p->n_dims + i] = p->a_dims[i];
    db[4 - p->n_dims + i] = p->b_dims[i];
    n *= p->dims[i];
  }
  if (n == 0 || n > G_MAXUINT32)
    return FALSE;
  k->shader = "nn_binary";
  k->local[0] = omni_vk_device_get_local_size (k->device, 256);
  k->local[1] = 1;
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->spec[OMNI_SPEC_BINARY_KIND] = p->kind;
  for (i = 0; i < 4; i++) {
    b->spec[OMNI_SPEC_BINARY_D0 + i] = d[i];
    b->spec[OMNI_SPEC_BINARY_A0 + i] = da[i];
    b->spec[OMNI_SPEC_BINARY_B0 + i] = db[i];
  }
  b->spec[OMNI_SPEC_BINARY_SWAP] = p->swap ? 1 : 0;
  b->n_spec = OMNI_SPEC_BINARY_SWAP + 1;
  omni_nn_vk_groups_1d (k->device, n, k->local[0], k->groups);
  return TRUE;
}

/* out, a, b */
static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  b->access = omni_nn_vk_access_w_rr;
  k->n_buffers = 3;
  return build_common (k, b);
}

/* out, a, constant, and the constant again in the bias slot (never read) */
static gboolean
build_const (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  b->access = omni_nn_vk_access_w_rrr;
  k->n_buffers = 4;
  return build_common (k, b);
}

const OmniNnVkOpBuilder omni_nn_vk_op_binary = {
  .op = OMNI_NN_OP_BINARY,
  .build = build,
};

const OmniNnVkOpBuilder omni_nn_vk_op_binary_const = {
  .op = OMNI_NN_OP_BINARY_CONST,
  .build = build_const,
};
