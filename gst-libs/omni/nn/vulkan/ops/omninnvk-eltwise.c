/* gst-omni: Vulkan kernels of ops add and activation: nn_add, nn_add_v4,
 * nn_activation
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../omninnvkop.h"

#include <string.h>

static gboolean
build_common (OmniNnVkKernel *k, OmniNnVkBuild *b)
{
  const OmniNnEltwiseParams *p = &k->params.eltwise;

  if (p->n == 0 || p->n > G_MAXUINT32)
    return FALSE;
  k->local[0] = omni_vk_device_get_local_size (k->device, 256);
  k->local[1] = 1;
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->spec[OMNI_SPEC_ELTWISE_ACT] = p->activation;
  b->n_spec = OMNI_SPEC_ELTWISE_ACT + 1;
  return TRUE;
}

static gboolean
build_add (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  gsize n = k->params.eltwise.n;

  if (!build_common (k, b))
    return FALSE;
  b->access = omni_nn_vk_access_w_rr;
  k->n_buffers = 3;
  if (n % 4 == 0) {
    k->shader = "nn_add_v4";
    k->read_bytes[1] = k->read_bytes[2] = n * 4;
    if (omni_nn_vk_reads_fit_texels (k)) {
      k->shader = "nn_add_v4_texel";
      b->access = omni_nn_vk_access_w_tt;
    }
    b->spec[OMNI_SPEC_ELTWISE_N] = (guint32) (n / 4);
    omni_nn_vk_groups_1d (k->device, n / 4, k->local[0], k->groups);
  } else {
    k->shader = "nn_add";
    b->spec[OMNI_SPEC_ELTWISE_N] = (guint32) n;
    omni_nn_vk_groups_1d (k->device, n, k->local[0], k->groups);
  }
  return TRUE;
}

static gboolean
build_activation (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  if (!build_common (k, b))
    return FALSE;
  b->access = omni_nn_vk_access_w_r;
  k->n_buffers = 2;
  k->shader = "nn_activation";
  b->spec[OMNI_SPEC_ELTWISE_N] = (guint32) k->params.eltwise.n;
  memcpy (&b->spec[OMNI_SPEC_ELTWISE_ALPHA], &k->params.eltwise.alpha,
      sizeof (gfloat));
  b->n_spec = OMNI_SPEC_ELTWISE_ALPHA + 1;
  omni_nn_vk_groups_1d (k->device, k->params.eltwise.n, k->local[0], k->groups);
  return TRUE;
}

/* The copy of a reshape: nn_activation with no activation. */
static gboolean
build_reshape (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  if (k->params.eltwise.activation != OMNI_NN_ACT_NONE)
    return FALSE;
  return build_activation (k, b, error);
}

const OmniNnVkOpBuilder omni_nn_vk_op_add = {
  .op = OMNI_NN_OP_ADD,
  .build = build_add,
};

const OmniNnVkOpBuilder omni_nn_vk_op_activation = {
  .op = OMNI_NN_OP_ACTIVATION,
  .build = build_activation,
};

const OmniNnVkOpBuilder omni_nn_vk_op_reshape = {
  .op = OMNI_NN_OP_RESHAPE,
  .build = build_reshape,
};
