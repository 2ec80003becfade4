/* gst-omni: Vulkan kernel of op conv2d (nn_conv2d, nn_conv2d_v4[_texel];
 * the Winograd path is in omninnvk-winograd.c)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "../omninnvkop.h"

static void
set_spec (const OmniNnConv2dParams *p, gboolean has_bias, guint32 *spec)
{
  spec[OMNI_SPEC_CONV_IN_H] = p->in_h;
  spec[OMNI_SPEC_CONV_IN_W] = p->in_w;
  spec[OMNI_SPEC_CONV_IN_C] = p->in_c;
  spec[OMNI_SPEC_CONV_OUT_H] = p->out_h;
  spec[OMNI_SPEC_CONV_OUT_W] = p->out_w;
  spec[OMNI_SPEC_CONV_OUT_C] = p->out_c;
  spec[OMNI_SPEC_CONV_KH] = p->kernel_h;
  spec[OMNI_SPEC_CONV_KW] = p->kernel_w;
  spec[OMNI_SPEC_CONV_SH] = p->stride_h;
  spec[OMNI_SPEC_CONV_SW] = p->stride_w;
  spec[OMNI_SPEC_CONV_DH] = p->dilation_h;
  spec[OMNI_SPEC_CONV_DW] = p->dilation_w;
  spec[OMNI_SPEC_CONV_PT] = (guint32) p->pad_top;
  spec[OMNI_SPEC_CONV_PL] = (guint32) p->pad_left;
  spec[OMNI_SPEC_CONV_ACT] = p->activation;
  memcpy (&spec[OMNI_SPEC_CONV_ALPHA], &p->alpha, sizeof (gfloat));
  spec[OMNI_SPEC_CONV_HAS_BIAS] = has_bias;
  spec[OMNI_SPEC_CONV_SUM_BLOCKS] = p->sum_blocks;
}

/* OWB pixels of a row x up to 8 channel quads per invocation (all of them
 * for a 32-channel stem): weights loaded once per tap for all pixels. On a
 * CPU device x runs over all rows' column blocks (FLAT): CPU drivers
 * vectorise along x only, and x over one row's column blocks left lanes
 * idle (NanoDet's 13x13 maps: 4 column blocks in 8 lanes, and 13 rows in
 * 16). */
static void
build_v4 (OmniNnVkKernel *k, OmniNnVkBuild *b, const OmniNnConv2dParams *p)
{
  const guint owb = 4;
  guint oc4 = p->out_c / 4, cb4 = 8,
        col_blocks = omni_nn_vk_div_up (p->out_w, owb);
  gboolean flat
      = omni_vk_device_get_info (k->device)->type == OMNI_VK_DEVICE_TYPE_CPU
        && !g_getenv ("OMNI_VK_CONV_NO_FLAT");

  while (oc4 % cb4)
    cb4 /= 2;
  k->shader = "nn_conv2d_v4";
  if (omni_nn_vk_reads_fit_texels (k)) {
    k->shader = "nn_conv2d_v4_texel";
    b->access = omni_nn_vk_access_w_ttt;
  }
  if (flat) {
    k->local[0] = omni_vk_device_get_local_size (k->device, 64);
    k->local[1] = 1;
    k->groups[0]
        = omni_nn_vk_div_up ((guint64) col_blocks * p->out_h, k->local[0]);
    k->groups[1] = 1;
  } else {
    k->local[0] = omni_vk_device_get_local_size (k->device, 8);
    k->local[1]
        = MAX (omni_vk_device_get_local_size (k->device, 64) / k->local[0], 1);
    k->local[1] = MIN (k->local[1], omni_nn_vk_pow2_floor (p->out_h));
    k->groups[0] = omni_nn_vk_div_up (col_blocks, k->local[0]);
    k->groups[1] = omni_nn_vk_div_up (p->out_h, k->local[1]);
  }
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = k->local[1];
  b->spec[OMNI_SPEC_CONV_CB4] = cb4;
  b->spec[OMNI_SPEC_CONV_OWB] = owb;
  b->spec[OMNI_SPEC_CONV_FLAT] = flat;
  b->n_spec = OMNI_SPEC_CONV_FLAT + 1;
  k->groups[2] = omni_nn_vk_div_up (oc4, cb4);
}

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnConv2dParams *p = &k->params.conv2d;

  if (p->in_c == 0 || p->out_c == 0 || p->kernel_h == 0 || p->kernel_w == 0
      || p->stride_h == 0 || p->stride_w == 0 || p->dilation_h == 0
      || p->dilation_w == 0)
    return FALSE;
  /* 3x3 stride 1: Winograd F(2x2, 3x3) where it pays (omninnvk-winograd.c) */
  if (omni_nn_vk_winograd_accepts (k->device, p))
    return omni_nn_vk_winograd_build (k, b, error);
  k->read_bytes[1] = (gsize) p->in_h * p->in_w * p->in_c * 4;
  k->read_bytes[2] = (gsize) p->kernel_h * p->kernel_w * p->in_c * p->out_c * 4;
  k->read_bytes[3] = (gsize) p->out_c * 4;
  k->local[0] = omni_vk_device_get_local_size (k->device, 64);
  k->local[1] = 1;
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->spec[OMNI_SPEC_LOCAL_Z] = 1;
  set_spec (p, k->has_bias, b->spec);
  b->access = omni_nn_vk_access_w_rrr;
  k->n_buffers = 4;
  k->groups[0] = omni_nn_vk_div_up ((guint64) p->out_h * p->out_w, k->local[0]);
  if (p->out_c % 4 == 0) {
    build_v4 (k, b, p);
  } else {
    k->shader = "nn_conv2d";
    b->n_spec = OMNI_SPEC_CONV_HAS_BIAS + 1;
    k->groups[1] = omni_nn_vk_div_up (p->out_c, 4);
  }
  b->n_spec = MAX (b->n_spec, OMNI_SPEC_CONV_SUM_BLOCKS + 1);
  return TRUE;
}

const OmniNnVkOpBuilder omni_nn_vk_op_conv2d = {
  .op = OMNI_NN_OP_CONV2D,
  .build = build,
};
