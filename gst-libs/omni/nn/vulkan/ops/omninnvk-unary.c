/* gst-omni: Vulkan kernel of op unary (nn_unary)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../omninnvkop.h"

static guint32
float_bits (gfloat f)
{
  union {
    gfloat f;
    guint32 u;
  } v = { .f = f };

  return v.u;
}

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnUnaryParams *p = &k->params.unary;

  if (p->n == 0 || p->n > G_MAXUINT32
      || (guint) p->kind >= OMNI_NN_UNARY_N_KINDS)
    return FALSE;
  k->shader = "nn_unary";
  k->local[0] = omni_vk_device_get_local_size (k->device, 256);
  k->local[1] = 1;
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->spec[OMNI_SPEC_UNARY_N] = (guint32) p->n;
  b->spec[OMNI_SPEC_UNARY_KIND] = p->kind;
  b->spec[OMNI_SPEC_UNARY_ALPHA] = float_bits (p->alpha);
  b->spec[OMNI_SPEC_UNARY_BETA] = float_bits (p->beta);
  b->n_spec = OMNI_SPEC_UNARY_BETA + 1;
  b->access = omni_nn_vk_access_w_r;
  k->n_buffers = 2;
  omni_nn_vk_groups_1d (k->device, p->n, k->local[0], k->groups);
  return TRUE;
}

const OmniNnVkOpBuilder omni_nn_vk_op_unary = {
  .op = OMNI_NN_OP_UNARY,
  .build = build,
};
