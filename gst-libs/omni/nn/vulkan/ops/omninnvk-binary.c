/* gst-omni: Vulkan kernels of ops binary and binary-const (nn_binary)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../omninnvkop.h"

/* An operand of the vec4 kernel: the output's shape, or a vector along the
 * last axis broadcast over the others. */
static gboolean
full_or_last (const guint d[4], const guint x[4])
{
  return (x[0] == d[0] && x[1] == d[1] && x[2] == d[2] && x[3] == d[3])
         || (x[0] == 1 && x[1] == 1 && x[2] == 1 && x[3] == d[3]);
}

/* Measured on lavapipe (bench-vkops --per-node, CenterNet's head
 * multiply 128x128x84 by a per-channel vector): 16-byte texel loads
 * instead of one storage-buffer float per lane, see docs/vulkan.md. */
static gboolean
vec4_operands (const guint d[4], const guint da[4], const guint db[4])
{
  return d[3] % 4 == 0 && full_or_last (d, da) && full_or_last (d, db);
}

static gsize
operand_bytes (const guint x[4])
{
  return (gsize) x[0] * x[1] * x[2] * x[3] * 4;
}

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
  if (vec4_operands (d, da, db)) {
    k->read_bytes[1] = operand_bytes (da);
    k->read_bytes[2] = k->read_bytes[3] = operand_bytes (db);
    n /= 4;
    k->shader = "nn_binary_v4";
    if (omni_nn_vk_reads_fit_texels (k)) {
      k->shader = "nn_binary_v4_texel";
      b->access = k->n_buffers == 4 ? omni_nn_vk_access_w_ttt
                                    : omni_nn_vk_access_w_tt;
    }
  }
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
