/* gst-omni: Vulkan kernels of ops pointwise-conv2d and dense: nn_gemm,
 * nn_gemm_v4[_texel][_res], nn_dense[_texel]
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "../omninnvkop.h"

/* Shapes of the register-blocked vec4 GEMM, the one kernel with a
 * residual epilogue. */
static gboolean
gemm_is_v4 (const OmniNnGemmParams *p)
{
  return p->k % 4 == 0 && p->n % 4 == 0;
}

/* A few rows, or any K or N that is not a multiple of 4 on a CPU device:
 * one invocation per output value (measured on lavapipe with bench-vkops
 * --per-node on CenterNet's 16384 x 72 x 18 and 16384 x 18 x 64 layers:
 * 2.4x faster than nn_gemm's shared-memory tiles, whose barriers cost
 * more than they save on a CPU). OMNI_VK_GEMM_TILES=1 forces the tiles
 * (tests run both). */
static void
build_dense (OmniNnVkKernel *k, OmniNnVkBuild *b, const OmniNnGemmParams *p)
{
  k->shader = "nn_dense";
  if (omni_nn_vk_reads_fit_texels (k)) {
    k->shader = "nn_dense_texel";
    b->access = omni_nn_vk_access_w_ttt;
  }
  k->local[0] = omni_vk_device_get_local_size (k->device, MIN (p->n, 64));
  k->local[1] = 1;
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->n_spec = OMNI_SPEC_GEMM_HAS_BIAS + 1;
  k->groups[0] = omni_nn_vk_div_up (p->n, k->local[0]);
  k->groups[1] = p->m;
}

/* by [residual][scale][storage buffers, texel reads, texels and subgroup
 * rows] */
static const gchar *const v4_shaders[2][2][3] = {
  { { "nn_gemm_v4", "nn_gemm_v4_texel", "nn_gemm_v4_texel_sg" },
      { "nn_gemm_v4_scale", "nn_gemm_v4_texel_scale",
          "nn_gemm_v4_texel_scale_sg" } },
  { { "nn_gemm_v4_res", "nn_gemm_v4_texel_res", "nn_gemm_v4_texel_res_sg" },
      { "nn_gemm_v4_res_scale", "nn_gemm_v4_texel_res_scale",
          "nn_gemm_v4_texel_res_scale_sg" } },
};

/* Long K and wide N on a CPU device: one row block per workgroup (local
 * size y 1: every SIMD lane of a workgroup reads the same input rows) and
 * 8 x 2 blocks (each input value used for 8 output columns). Measured with
 * bench-vkops on lavapipe (2-core EPYC, loaded): 14x14 96->576 1.26 ->
 * 0.74 ms, 7x7 320->1280 2.83 -> 1.44 ms; shorter K or narrow N lose
 * (28x28 192->32 0.50 -> 0.99 ms) and keep the 16 x 1 blocks. */
static gboolean
rows_uniform (OmniNnVkKernel *k, const OmniNnGemmParams *p)
{
  return omni_vk_device_get_info (k->device)->type == OMNI_VK_DEVICE_TYPE_CPU
         && p->k >= 64 && p->n >= 64 && p->n % 8 == 0 && p->m >= 64;
}

/* On a CPU device, x covers exactly the column blocks times XR row blocks
 * (nn_gemm_v4's XR), a multiple of the SIMD width: CPU drivers vectorise
 * along x only, and @col_blocks column blocks in a power-of-two x leave
 * lanes idle (CenterNet's 128 -> 80 class head: 10 of 16 lanes busy; its
 * 128 -> 4 size head: 1 of 8). Returns XR, or 0 for the power-of-two x
 * (GPUs, or an x past the device's limits). */
static guint
fold_rows (OmniNnVkKernel *k, guint col_blocks, guint row_blocks)
{
  const VkPhysicalDeviceLimits *lim = omni_vk_device_get_limits (k->device);
  guint sg = omni_vk_device_get_subgroup_size (k->device), a = col_blocks,
        b = sg, xr, max_x;

  if (omni_vk_device_get_info (k->device)->type != OMNI_VK_DEVICE_TYPE_CPU
      || g_getenv ("OMNI_VK_GEMM_NO_FOLD"))
    return 0;
  max_x = MIN (
      lim->maxComputeWorkGroupInvocations, lim->maxComputeWorkGroupSize[0]);
  while (b) {
    guint t = a % b;
    a = b;
    b = t;
  }
  /* few rows: fold none (idle rows would replace idle columns) */
  xr = sg > 1 && row_blocks >= 4 * (sg / a) ? sg / a : 1;
  if ((guint64) col_blocks * xr > max_x)
    xr = 1;
  return (guint64) col_blocks * xr > max_x ? 0 : xr;
}

/* On a CPU device that reads texels and shuffles within subgroups, with RM
 * a multiple of the subgroup size: the lanes of a subgroup share their
 * rows and each reads RM / SG of them (nn_gemm_v4's SG), if padding x to
 * a multiple of SG leaves at most a quarter of the lanes idle (else the
 * row fold keeps every lane busy). Measured on lavapipe (2-core EPYC,
 * bench-vkops, best of 10, three alternating runs): CenterNet 131 ->
 * 125 ms; 112x112 16->96 3.4 -> 1.7 ms; a half-idle x (128x128 128->80,
 * 10 column blocks in 16 lanes) lost, 7.8 -> 10.4 ms. Returns SG, or 0. */
static guint
subgroup_rows (OmniNnVkKernel *k, guint rm, guint col_blocks)
{
  guint sg = omni_vk_device_get_subgroup_size (k->device), lx;

  if (omni_vk_device_get_info (k->device)->type != OMNI_VK_DEVICE_TYPE_CPU
      || !omni_vk_device_has_subgroup_shuffle (k->device) || sg <= 1
      || rm % sg != 0 || !omni_nn_vk_reads_fit_texels (k)
      || g_getenv ("OMNI_VK_GEMM_NO_SG"))
    return 0;
  lx = omni_nn_vk_div_up (col_blocks, sg) * sg;
  return (lx - col_blocks) * 4 <= lx
                 && lx <= omni_vk_device_get_limits (k->device)
                              ->maxComputeWorkGroupSize[0]
             ? sg
             : 0;
}

/* Register blocks of RM rows x RN vec4 columns, 16-byte loads (a single row
 * for a dense layer). Measured on lavapipe (bench-vkops): 16 x 1 is fastest
 * for large feature maps, 1.3-1.9x faster than 8 x 2 on MobileNetV2's
 * 112x112 to 14x14 layers; 4 x 2 for 7x7. */
static void
build_v4 (OmniNnVkKernel *k, OmniNnVkBuild *b, const OmniNnGemmParams *p)
{
  guint rm = p->m >= 64 ? 16 : p->m >= 4 ? 4 : 1;
  guint rn = p->m < 64 && p->n % 8 == 0 ? 2 : 1;
  guint col_blocks, row_blocks, lx = 1, ly, xr, sg;
  gboolean wide = rows_uniform (k, p);

  if (wide) {
    rm = 8;
    rn = 2;
  }
  /* 16 x 1 blocks where they let a subgroup share its rows and 8 x 2 ones
   * do not (CenterNet's 128 x 128, 128 -> 80 class head: 20 column blocks
   * in an x of 24 rather than 10 folded ones; 7.0-7.5 -> 6.3-6.6 ms) */
  if (wide && !subgroup_rows (k, rm, omni_nn_vk_div_up (p->n / 4, rn))
      && subgroup_rows (k, 16, p->n / 4)) {
    rm = 16;
    rn = 1;
    wide = FALSE;
  }
  col_blocks = omni_nn_vk_div_up (p->n / 4, rn);
  row_blocks = omni_nn_vk_div_up (p->m, rm);
  sg = subgroup_rows (k, rm, col_blocks);
  xr = sg > 1 ? 0 : fold_rows (k, col_blocks, row_blocks);
  if (sg > 1) {
    xr = 1;
    lx = omni_nn_vk_div_up (col_blocks, sg) * sg;
  } else if (xr > 0) {
    lx = col_blocks * xr;
  } else {
    xr = 1;
    while (lx < col_blocks && lx < 64)
      lx *= 2;
    lx = omni_vk_device_get_local_size (k->device, lx);
  }
  ly = MAX (omni_vk_device_get_local_size (k->device, 64) / lx, 1);
  ly = MIN (ly, omni_nn_vk_pow2_floor (omni_nn_vk_div_up (row_blocks, xr)));
  if (wide)
    ly = 1;
  k->n_buffers = 4 + (b->residual ? 1 : 0) + (b->scale ? 1 : 0);
  k->shader = v4_shaders[b->residual][b->scale][0];
  b->access = k->n_buffers == 6   ? omni_nn_vk_access_w_rrrrr
              : k->n_buffers == 5 ? omni_nn_vk_access_w_rrrr
                                  : omni_nn_vk_access_w_rrr;
  if (omni_nn_vk_reads_fit_texels (k)) {
    k->shader = v4_shaders[b->residual][b->scale][sg > 1 ? 2 : 1];
    b->access = k->n_buffers == 6   ? omni_nn_vk_access_w_ttttt
                : k->n_buffers == 5 ? omni_nn_vk_access_w_tttt
                                    : omni_nn_vk_access_w_ttt;
  }
  k->local[0] = lx;
  k->local[1] = ly;
  b->spec[OMNI_SPEC_LOCAL_X] = lx;
  b->spec[OMNI_SPEC_LOCAL_Y] = ly;
  b->spec[OMNI_SPEC_GEMM_RM] = rm;
  b->spec[OMNI_SPEC_GEMM_RN] = rn;
  b->spec[OMNI_SPEC_GEMM_XR] = xr;
  b->spec[OMNI_SPEC_GEMM_SG] = MAX (sg, 1u);
  b->n_spec = OMNI_SPEC_GEMM_SG + 1;
  k->groups[0] = omni_nn_vk_div_up (col_blocks * xr, lx);
  k->groups[1] = omni_nn_vk_div_up (row_blocks, (guint64) xr * ly);
}

/* Tiles of (8*4) x (8*4) outputs, K in steps of 16. */
static void
build_tiled (OmniNnVkKernel *k, OmniNnVkBuild *b, const OmniNnGemmParams *p)
{
  const VkPhysicalDeviceLimits *lim = omni_vk_device_get_limits (k->device);
  guint lx = 8, ly = 8;

  while (lx * ly > lim->maxComputeWorkGroupInvocations)
    ly /= 2;
  k->shader = "nn_gemm";
  k->local[0] = lx;
  k->local[1] = ly;
  b->spec[OMNI_SPEC_LOCAL_X] = lx;
  b->spec[OMNI_SPEC_LOCAL_Y] = ly;
  b->spec[OMNI_SPEC_GEMM_TK] = 16;
  b->n_spec = OMNI_SPEC_GEMM_TK + 1;
  k->groups[0] = omni_nn_vk_div_up (p->n, lx * 4);
  k->groups[1] = omni_nn_vk_div_up (p->m, ly * 4);
}

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnGemmParams *p = &k->params.gemm;

  if (p->m == 0 || p->k == 0 || p->n == 0)
    return FALSE;
  if ((b->residual || b->scale) && !gemm_is_v4 (p)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
        "a residual epilogue or an input scale needs a GEMM with K and N "
        "multiples of 4 "
        "(have %u x %u x %u)",
        p->m, p->k, p->n);
    return FALSE;
  }
  if (b->batch > 0 && (!gemm_is_v4 (p) || b->residual || b->scale)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
        "batched GEMMs need K and N multiples of 4 and no epilogue");
    return FALSE;
  }
  k->read_bytes[1] = (gsize) p->m * p->k * 4 * MAX (b->batch, 1);
  k->read_bytes[2] = (gsize) p->k * p->n * 4 * MAX (b->batch, 1);
  k->read_bytes[3] = (gsize) p->n * 4;
  k->read_bytes[4] = b->residual ? (gsize) p->m * p->n * 4 : 0;
  k->read_bytes[b->residual ? 5 : 4] = b->scale ? (gsize) p->k * 4 : 0;
  b->spec[OMNI_SPEC_GEMM_M] = p->m;
  b->spec[OMNI_SPEC_GEMM_K] = p->k;
  b->spec[OMNI_SPEC_GEMM_N] = p->n;
  b->spec[OMNI_SPEC_GEMM_ACT] = p->activation;
  memcpy (&b->spec[OMNI_SPEC_GEMM_ALPHA], &p->alpha, sizeof (gfloat));
  b->spec[OMNI_SPEC_GEMM_HAS_BIAS] = k->has_bias;
  b->spec[OMNI_SPEC_GEMM_SUM_BLOCKS] = p->sum_blocks;
  b->access = omni_nn_vk_access_w_rrr;
  k->n_buffers = 4;
  if (gemm_is_v4 (p))
    build_v4 (k, b, p);
  else if (p->m < 16
           || (omni_vk_device_get_info (k->device)->type
                   == OMNI_VK_DEVICE_TYPE_CPU
               && !g_getenv ("OMNI_VK_GEMM_TILES")))
    build_dense (k, b, p);
  else
    build_tiled (k, b, p);
  b->n_spec = MAX (b->n_spec, OMNI_SPEC_GEMM_SUM_BLOCKS + 1);
  if (b->batch > 0) {
    b->spec[OMNI_SPEC_GEMM_BATCHED] = TRUE;
    b->n_spec = OMNI_SPEC_GEMM_BATCHED + 1;
    k->groups[2] = b->batch;
  }
  return TRUE;
}

const OmniNnVkOpBuilder omni_nn_vk_op_pointwise_conv2d = {
  .op = OMNI_NN_OP_POINTWISE_CONV2D,
  .build = build,
};

const OmniNnVkOpBuilder omni_nn_vk_op_dense = {
  .op = OMNI_NN_OP_DENSE,
  .build = build,
};
