/* gst-omni: Vulkan kernel of op conv-transpose (nn_conv_transpose)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../omninnvkop.h"

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnConv2dParams *p = &k->params.conv2d;
  guint64 n = (guint64) p->out_h * p->out_w * p->out_c;

  if (!p->in_c || !p->out_c || !p->kernel_h || !p->kernel_w || !p->stride_h
      || !p->stride_w || !p->dilation_h || !p->dilation_w || !n
      || n > G_MAXUINT32)
    return FALSE;
  k->shader = "nn_conv_transpose";
  k->local[0] = omni_vk_device_get_local_size (k->device, 64);
  k->local[1] = 1;
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->spec[OMNI_SPEC_CONV_IN_H] = p->in_h;
  b->spec[OMNI_SPEC_CONV_IN_W] = p->in_w;
  b->spec[OMNI_SPEC_CONV_IN_C] = p->in_c;
  b->spec[OMNI_SPEC_CONV_OUT_H] = p->out_h;
  b->spec[OMNI_SPEC_CONV_OUT_W] = p->out_w;
  b->spec[OMNI_SPEC_CONV_OUT_C] = p->out_c;
  b->spec[OMNI_SPEC_CONV_KH] = p->kernel_h;
  b->spec[OMNI_SPEC_CONV_KW] = p->kernel_w;
  b->spec[OMNI_SPEC_CONV_SH] = p->stride_h;
  b->spec[OMNI_SPEC_CONV_SW] = p->stride_w;
  b->spec[OMNI_SPEC_CONV_DH] = p->dilation_h;
  b->spec[OMNI_SPEC_CONV_DW] = p->dilation_w;
  b->spec[OMNI_SPEC_CONV_PT] = (guint32) p->pad_top;
  b->spec[OMNI_SPEC_CONV_PL] = (guint32) p->pad_left;
  b->spec[OMNI_SPEC_CONV_ACT] = p->activation;
  b->spec[OMNI_SPEC_CONV_HAS_BIAS] = k->has_bias;
  b->n_spec = OMNI_SPEC_CONV_HAS_BIAS + 1;
  b->access = omni_nn_vk_access_w_rrr;
  k->n_buffers = 4;
  omni_nn_vk_groups_1d (k->device, n, k->local[0], k->groups);
  return TRUE;
}

const OmniNnVkOpBuilder omni_nn_vk_op_conv_transpose = {
  .op = OMNI_NN_OP_CONV_TRANSPOSE,
  .build = build,
};
