/* gst-omni: Vulkan kernel of op pad (nn_pad)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../omninnvkop.h"

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnPadParams *p = &k->params.pad;
  guint64 n;

  if (p->c == 0 || p->in_h == 0 || p->in_w == 0)
    return FALSE;
  n = (guint64) (p->in_h + p->pad_top + p->pad_bottom)
      * (p->in_w + p->pad_left + p->pad_right)
      * (p->pad_front + p->c + p->pad_back);
  if (n > G_MAXUINT32)
    return FALSE;
  k->shader = "nn_pad";
  k->local[0] = omni_vk_device_get_local_size (k->device, 256);
  k->local[1] = 1;
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->spec[OMNI_SPEC_PAD_IN_H] = p->in_h;
  b->spec[OMNI_SPEC_PAD_IN_W] = p->in_w;
  b->spec[OMNI_SPEC_PAD_C] = p->c;
  b->spec[OMNI_SPEC_PAD_PT] = p->pad_top;
  b->spec[OMNI_SPEC_PAD_PB] = p->pad_bottom;
  b->spec[OMNI_SPEC_PAD_PL] = p->pad_left;
  b->spec[OMNI_SPEC_PAD_PR] = p->pad_right;
  b->spec[OMNI_SPEC_PAD_CF] = p->pad_front;
  b->spec[OMNI_SPEC_PAD_CB] = p->pad_back;
  b->n_spec = OMNI_SPEC_PAD_CB + 1;
  b->access = omni_nn_vk_access_w_r;
  k->n_buffers = 2;
  omni_nn_vk_groups_1d (k->device, n, k->local[0], k->groups);
  return TRUE;
}

const OmniNnVkOpBuilder omni_nn_vk_op_pad = {
  .op = OMNI_NN_OP_PAD,
  .build = build,
};
