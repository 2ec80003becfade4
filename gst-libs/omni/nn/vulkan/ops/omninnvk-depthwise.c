/* gst-omni: Vulkan kernels of ops depthwise-conv2d and batch-norm (a 1x1
 * depthwise convolution): nn_depthwise, nn_depthwise_v4[_texel[_sg]]
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "../omninnvkop.h"

/* On a CPU device, output-column blocks folded onto x with the channel
 * quads (nn_depthwise_v4's XO) so that x is a multiple of the SIMD width:
 * CPU drivers vectorise along x only (CenterNet's 24-channel maps: 6 quads,
 * 2 of 8 lanes idle). Returns 1 (no folding) on GPUs, when the quads fill
 * SIMD groups already, for narrow outputs or past the device's limits. */
static guint
fold_columns (OmniNnVkKernel *k, guint c4, guint col_blocks)
{
  const VkPhysicalDeviceLimits *lim = omni_vk_device_get_limits (k->device);
  guint sg = omni_vk_device_get_subgroup_size (k->device), a = c4, b = sg;

  if (omni_vk_device_get_info (k->device)->type != OMNI_VK_DEVICE_TYPE_CPU
      || sg <= 1 || c4 % sg == 0 || g_getenv ("OMNI_VK_DW_NO_FOLD"))
    return 1;
  while (b) {
    guint t = a % b;
    a = b;
    b = t;
  }
  if (col_blocks < 2 * (sg / a)
      || (guint64) c4 * (sg / a) > MIN (lim->maxComputeWorkGroupInvocations,
             lim->maxComputeWorkGroupSize[0]))
    return 1;
  return sg / a;
}

/* Channel quads x a run of OWB output columns per invocation. */
static void
build_v4 (
    OmniNnVkKernel *k, OmniNnVkBuild *b, const OmniNnDepthwiseConv2dParams *d)
{
  const guint owb = 4;
  guint c4 = d->in_c / 4, lx, sg = omni_vk_device_get_subgroup_size (k->device);
  guint col_blocks = omni_nn_vk_div_up (d->out_w, owb);
  guint xo = fold_columns (k, c4, col_blocks);

  /* Whole SIMD groups of channel quads (few quads: the rest of the group
   * runs over output columns). */
  lx = c4 < sg ? c4 : MIN ((c4 + sg - 1) / sg * sg, MAX (64, sg));
  k->shader = "nn_depthwise_v4";
  if (omni_nn_vk_reads_fit_texels (k))
    k->shader = "nn_depthwise_v4_texel";
  k->local[0]
      = xo > 1 ? c4 * xo : omni_vk_device_get_local_size (k->device, lx);
  k->local[1]
      = MAX (omni_vk_device_get_local_size (k->device, 64) / k->local[0], 1);
  k->local[1] = MIN (
      k->local[1], omni_nn_vk_pow2_floor (omni_nn_vk_div_up (col_blocks, xo)));
  b->spec[OMNI_SPEC_CONV_DW_OWB] = owb;
  b->spec[OMNI_SPEC_CONV_XO] = xo;
  k->groups[0] = xo > 1 ? 1 : omni_nn_vk_div_up (c4, k->local[0]);
  k->groups[1] = omni_nn_vk_div_up (col_blocks, (guint64) xo * k->local[1]);
  k->groups[2] = d->out_h;
}

/* On a CPU device that reads texels and shuffles within subgroups, x runs
 * over every output row's blocks of OWB columns for one channel quad
 * (nn_depthwise_v4's _sg variant): the lanes of a subgroup share their
 * weights and fetch them in turn. Returns FALSE where that does not
 * apply. */
static gboolean
build_v4_sg (
    OmniNnVkKernel *k, OmniNnVkBuild *b, const OmniNnDepthwiseConv2dParams *d)
{
  const VkPhysicalDeviceLimits *lim = omni_vk_device_get_limits (k->device);
  const guint owb = 4;
  guint sg = omni_vk_device_get_subgroup_size (k->device);
  guint64 blocks = (guint64) d->out_h * omni_nn_vk_div_up (d->out_w, owb);
  guint lx;

  if (omni_vk_device_get_info (k->device)->type != OMNI_VK_DEVICE_TYPE_CPU
      || !omni_vk_device_has_subgroup_shuffle (k->device) || sg <= 1
      || !omni_nn_vk_reads_fit_texels (k) || g_getenv ("OMNI_VK_DW_NO_SG"))
    return FALSE;
  lx = MIN (omni_nn_vk_div_up (blocks, sg) * sg, MAX (64, sg));
  if (lx > lim->maxComputeWorkGroupSize[0]
      || omni_nn_vk_div_up (blocks, lx) > lim->maxComputeWorkGroupCount[1]
      || d->in_c / 4 > lim->maxComputeWorkGroupCount[0])
    return FALSE;
  k->shader = "nn_depthwise_v4_texel_sg";
  k->local[0] = lx;
  k->local[1] = 1;
  b->spec[OMNI_SPEC_CONV_DW_OWB] = owb;
  b->spec[OMNI_SPEC_CONV_XO] = 1;
  b->spec[OMNI_SPEC_CONV_DW_SG] = sg;
  k->groups[0] = d->in_c / 4;
  k->groups[1] = omni_nn_vk_div_up (blocks, lx);
  k->groups[2] = 1;
  return TRUE;
}

static void
build_scalar (
    OmniNnVkKernel *k, OmniNnVkBuild *b, const OmniNnDepthwiseConv2dParams *d)
{
  k->shader = "nn_depthwise";
  k->local[0] = omni_vk_device_get_local_size (k->device, MIN (d->out_c, 64));
  k->local[1]
      = MAX (omni_vk_device_get_local_size (k->device, 64) / k->local[0], 1);
  b->spec[OMNI_SPEC_CONV_MULT] = d->depth_multiplier;
  k->groups[0] = omni_nn_vk_div_up (d->out_c, k->local[0]);
  k->groups[1] = omni_nn_vk_div_up (d->out_h * d->out_w, k->local[1]);
}

static gboolean
build_depthwise (
    OmniNnVkKernel *k, OmniNnVkBuild *b, const OmniNnDepthwiseConv2dParams *d)
{
  guint32 *spec = b->spec;

  if (d->in_c == 0 || d->depth_multiplier == 0 || d->kernel_h == 0
      || d->kernel_w == 0 || d->stride_h == 0 || d->stride_w == 0
      || d->dilation_h == 0 || d->dilation_w == 0
      || d->out_c != d->in_c * d->depth_multiplier)
    return FALSE;
  if (d->depth_multiplier == 1 && d->in_c % 4 == 0) {
    if (!build_v4_sg (k, b, d))
      build_v4 (k, b, d);
  } else
    build_scalar (k, b, d);
  spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  spec[OMNI_SPEC_LOCAL_Y] = k->local[1];
  spec[OMNI_SPEC_LOCAL_Z] = 1;
  spec[OMNI_SPEC_CONV_IN_H] = d->in_h;
  spec[OMNI_SPEC_CONV_IN_W] = d->in_w;
  spec[OMNI_SPEC_CONV_IN_C] = d->in_c;
  spec[OMNI_SPEC_CONV_OUT_H] = d->out_h;
  spec[OMNI_SPEC_CONV_OUT_W] = d->out_w;
  spec[OMNI_SPEC_CONV_KH] = d->kernel_h;
  spec[OMNI_SPEC_CONV_KW] = d->kernel_w;
  spec[OMNI_SPEC_CONV_SH] = d->stride_h;
  spec[OMNI_SPEC_CONV_SW] = d->stride_w;
  spec[OMNI_SPEC_CONV_DH] = d->dilation_h;
  spec[OMNI_SPEC_CONV_DW] = d->dilation_w;
  spec[OMNI_SPEC_CONV_PT] = (guint32) d->pad_top;
  spec[OMNI_SPEC_CONV_PL] = (guint32) d->pad_left;
  spec[OMNI_SPEC_CONV_ACT] = d->activation;
  memcpy (&spec[OMNI_SPEC_CONV_ALPHA], &d->alpha, sizeof (gfloat));
  spec[OMNI_SPEC_CONV_HAS_BIAS] = k->has_bias;
  b->n_spec = OMNI_SPEC_CONV_DW_SG + 1;
  b->access = strstr (k->shader, "_texel") ? omni_nn_vk_access_w_ttt
                                           : omni_nn_vk_access_w_rrr;
  k->n_buffers = 4;
  return TRUE;
}

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnDepthwiseConv2dParams *d = &k->params.depthwise;

  k->read_bytes[1] = (gsize) d->in_h * d->in_w * d->in_c * 4;
  k->read_bytes[2] = (gsize) d->kernel_h * d->kernel_w * d->out_c * 4;
  k->read_bytes[3] = (gsize) d->out_c * 4;
  return build_depthwise (k, b, d);
}

/* y = x * scale + shift per channel: a 1x1 depthwise convolution. */
static gboolean
build_batch_norm (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnChannelParams *c = &k->params.channel;
  OmniNnDepthwiseConv2dParams d;

  if (c->c == 0 || c->n % c->c || c->n / c->c > G_MAXUINT32)
    return FALSE;
  k->read_bytes[1] = c->n * 4;
  k->read_bytes[2] = k->read_bytes[3] = (gsize) c->c * 4;
  memset (&d, 0, sizeof (d));
  d.in_h = d.out_h = (guint) (c->n / c->c);
  d.in_w = d.out_w = 1;
  d.in_c = d.out_c = c->c;
  d.kernel_h = d.kernel_w = d.stride_h = d.stride_w = 1;
  d.dilation_h = d.dilation_w = d.depth_multiplier = 1;
  d.activation = OMNI_NN_ACT_NONE;
  return build_depthwise (k, b, &d);
}

const OmniNnVkOpBuilder omni_nn_vk_op_depthwise_conv2d = {
  .op = OMNI_NN_OP_DEPTHWISE_CONV2D,
  .build = build,
};

const OmniNnVkOpBuilder omni_nn_vk_op_batch_norm = {
  .op = OMNI_NN_OP_BATCH_NORM,
  .build = build_batch_norm,
};
