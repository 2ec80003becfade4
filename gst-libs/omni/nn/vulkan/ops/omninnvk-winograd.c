/* gst-omni: conv2d's Winograd path on Vulkan, F(2x2, 3x3) and F(4x4, 3x3)
 * (nn_wino_input, nn_gemm_v4 batched, nn_wino_output)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", CVPR
 * 2016: a 3x3, stride 1 convolution computes each M x M block of outputs
 * from a T x T input tile d (T = M + 2) as
 * Y = A^T [(G g G^T) . (B^T d B)] A. Summed over the input channels, the
 * elementwise product becomes T * T independent GEMMs
 * [tiles x Cin] x [Cin x Cout]: per output pixel and channel pair 4
 * multiply-adds for F(2x2, 3x3) (16 per 4 pixels), 2.25 for F(4x4, 3x3)
 * (36 per 16), instead of 9. Three dispatches:
 *
 *   1. nn_wino_input: V[k] = B^T d B for every tile and input channel,
 *      T * T matrices [tiles x Cin] (k = T i + j);
 *   2. nn_gemm_v4 with z over k: M[k] = V[k] x U[k], U[k] = (G g G^T)[k]
 *      computed once on the host when the kernel is bound, T * T matrices
 *      [Cin x Cout] (nn_gemm_v4's weight layout);
 *   3. nn_wino_output: Y = A^T m A + bias, activation, cropped to the
 *      output, NHWC.
 *
 * The kernel owns U; the intermediate buffers V and M are scratch that the
 * kernels of a graph share (they run one after another), or the kernel's
 * own when it runs alone.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "../omninnvkop.h"

/* V and M are the kernel's scratch (omni_nn_vk_kernel_share_scratch()) */
enum { OWNED_U, OWNED_V, OWNED_M };
G_STATIC_ASSERT (OWNED_V == OMNI_NN_VK_MAX_OWNED - OMNI_NN_VK_MAX_SCRATCH);

/* G of F(2x2, 3x3) and of F(4x4, 3x3): U = G g G^T */
static const gdouble wino_g2[4][3] = {
  { 1.0, 0.0, 0.0 },
  { 0.5, 0.5, 0.5 },
  { 0.5, -0.5, 0.5 },
  { 0.0, 0.0, 1.0 },
};

/* F(4x4, 3x3) from the points 0, 1, -1, 2, -1/2 (and infinity) rather
 * than the usual 0, 1, -1, 2, -2: in a float32 simulation of the whole
 * path at 256 input channels the worst error relative to max (|y|, 1) was
 * 5.4e-5 instead of 1.0e-4 (Barabasz et al., "Error analysis and improving
 * the accuracy of Winograd convolution for deep neural networks", ACM TOMS
 * 2020, on the choice of points). Matrices from Lavin's wincnn
 * construction (Cook-Toom), checked exact in rational arithmetic. */
static const gdouble wino_g4[6][3] = {
  { 1.0, 0.0, 0.0 },
  { -1.0 / 3, -1.0 / 3, -1.0 / 3 },
  { 1.0 / 3, -1.0 / 3, 1.0 / 3 },
  { 1.0 / 15, 2.0 / 15, 4.0 / 15 },
  { -16.0 / 15, 8.0 / 15, -4.0 / 15 },
  { 0.0, 0.0, 1.0 },
};

static guint
n_tiles (const OmniNnConv2dParams *p, guint m)
{
  return omni_nn_vk_div_up (p->out_h, m) * omni_nn_vk_div_up (p->out_w, m);
}

/**
 * omni_nn_vk_winograd_accepts:
 *
 * 3x3, stride 1, dilation 1, channels in quads (nn_gemm_v4 and the vec4
 * transforms), not an ONNX model summing in onnxruntime's order
 * (sum_blocks: parity, docs/onnx.md), and OMNI_VK_CONV_NO_WINOGRAD unset.
 *
 * When it pays: per output pixel the GEMMs save 5 Cin Cout of the direct
 * kernel's 9 Cin Cout multiply-adds, and the transforms cost about
 * 4 (Cin + Cout) loads and stores (16 values per 4 pixels and channel, in
 * and out). So it pays when Cin Cout / (Cin + Cout) is large enough: on
 * lavapipe (bench-vkops --per-node, NanoDet) 32 -> 32 ran 1.46x faster,
 * while 32 -> 16 (ratio 10.7) and 16 -> 16 (8) ran 1.12-1.18x slower, so
 * the path needs a ratio of at least 12.
 */
gboolean
omni_nn_vk_winograd_accepts (OmniVkDevice *dev, const OmniNnConv2dParams *p)
{
  (void) dev;
  if (g_getenv ("OMNI_VK_CONV_NO_WINOGRAD"))
    return FALSE;
  return p->kernel_h == 3 && p->kernel_w == 3 && p->stride_h == 1
         && p->stride_w == 1 && p->dilation_h == 1 && p->dilation_w == 1
         && !p->sum_blocks && p->in_c % 4 == 0 && p->out_c % 4 == 0
         && (guint64) p->in_c * p->out_c >= 12 * ((guint64) p->in_c + p->out_c)
         && p->out_h > 0 && p->out_w > 0;
}

/* U[k][ci][co] = (G g G^T)[k] for every filter g = w[.][.][ci][co] (HWIO). */
void
omni_nn_vk_winograd_transform_weights (
    const gfloat *w, guint in_c, guint out_c, guint m, gfloat *u)
{
  const gdouble (*g)[3] = m == 4 ? wino_g4 : wino_g2;
  guint t = m + 2, i, j, a, c;
  gsize plane = (gsize) in_c * out_c, e;

  for (e = 0; e < plane; e++) {
    gdouble gg[6][3]; /* G g */

    for (i = 0; i < t; i++)
      for (c = 0; c < 3; c++) {
        gg[i][c] = 0.0;
        for (a = 0; a < 3; a++)
          gg[i][c] += g[i][a] * w[(a * 3 + c) * plane + e];
      }
    for (i = 0; i < t; i++)
      for (j = 0; j < t; j++) {
        gdouble v = 0.0;

        for (c = 0; c < 3; c++)
          v += gg[i][c] * g[j][c];
        u[(i * t + j) * plane + e] = (gfloat) v;
      }
  }
}

/* One transform stage, x over tiles times channel quads. */
static OmniNnVkKernel *
build_transform (
    OmniNnVkKernel *k, GHashTable *cache, gboolean input, GError **error)
{
  const OmniNnConv2dParams *p = &k->params.conv2d;
  OmniNnVkKernel *s = omni_nn_vk_stage_new (k->device);
  OmniNnVkBuild b = { 0 };
  guint m = k->variant, c = input ? p->in_c : p->out_c, tiles = n_tiles (p, m);

  s->n_buffers = input ? 2 : 3;
  s->read_bytes[1] = input ? (gsize) p->in_h * p->in_w * c * 4
                           : (gsize) (m + 2) * (m + 2) * tiles * c * 4;
  s->read_bytes[2] = input ? 0 : (gsize) c * 4;
  s->shader = input ? "nn_wino_input" : "nn_wino_output";
  b.access = input ? omni_nn_vk_access_w_r : omni_nn_vk_access_w_rr;
  if (omni_nn_vk_reads_fit_texels (s)) {
    s->shader = input ? "nn_wino_input_texel" : "nn_wino_output_texel";
    b.access = input ? omni_nn_vk_access_w_t : omni_nn_vk_access_w_tt;
  }
  s->local[0] = omni_vk_device_get_local_size (k->device, 64);
  s->local[1] = 1;
  omni_nn_vk_groups_1d (
      k->device, (guint64) tiles * (c / 4), s->local[0], s->groups);
  b.spec[OMNI_SPEC_LOCAL_X] = s->local[0];
  b.spec[OMNI_SPEC_LOCAL_Y] = 1;
  b.spec[OMNI_SPEC_LOCAL_Z] = 1;
  b.spec[OMNI_SPEC_WINO_H] = input ? p->in_h : p->out_h;
  b.spec[OMNI_SPEC_WINO_W] = input ? p->in_w : p->out_w;
  b.spec[OMNI_SPEC_WINO_C] = c;
  b.spec[OMNI_SPEC_WINO_TH] = omni_nn_vk_div_up (p->out_h, m);
  b.spec[OMNI_SPEC_WINO_TW] = omni_nn_vk_div_up (p->out_w, m);
  b.spec[OMNI_SPEC_WINO_PT] = (guint32) p->pad_top;
  b.spec[OMNI_SPEC_WINO_PL] = (guint32) p->pad_left;
  b.spec[OMNI_SPEC_WINO_ACT] = p->activation;
  memcpy (&b.spec[OMNI_SPEC_WINO_ALPHA], &p->alpha, sizeof (gfloat));
  b.spec[OMNI_SPEC_WINO_HAS_BIAS] = k->has_bias;
  b.spec[OMNI_SPEC_WINO_M] = m;
  b.n_spec = OMNI_SPEC_WINO_M + 1;
  return omni_nn_vk_stage_finish (s, &b, cache, error) ? s : NULL;
}

/* Weights to U (read back from the weights buffer: the kernel sees only
 * buffers), the intermediate buffers on the first binding, then the three
 * stages' descriptor sets. Buffers: out, in, weights, bias (or weights). */
static gboolean
bind (OmniNnVkKernel *k, OmniVkBuffer *const *buffers, guint n_buffers,
    GError **error)
{
  const OmniNnConv2dParams *p = &k->params.conv2d;
  gsize plane = (gsize) p->in_c * p->out_c,
        n_u = (gsize) (k->variant + 2) * (k->variant + 2) * plane;
  gfloat *w, *u;
  gboolean ok;
  OmniVkBuffer *in_set[2], *gemm_set[4], *out_set[3];

  g_return_val_if_fail (n_buffers == 4, FALSE);
  w = g_new (gfloat, 9 * plane);
  u = g_new (gfloat, n_u);
  ok = omni_vk_buffer_read (buffers[2], 0, w, 9 * plane * 4, error);
  if (ok) {
    omni_nn_vk_winograd_transform_weights (w, p->in_c, p->out_c, k->variant, u);
    if (!k->owned[OWNED_U])
      k->owned[OWNED_U] = omni_vk_buffer_new (
          k->device, n_u * 4, OMNI_VK_MEMORY_DEVICE, error);
    ok = k->owned[OWNED_U] != NULL
         && omni_vk_buffer_write (k->owned[OWNED_U], 0, u, n_u * 4, error);
  }
  g_free (w);
  g_free (u);
  /* scratch not shared by a graph: the kernel's own */
  if (ok && !k->owned[OWNED_V])
    ok = (k->owned[OWNED_V] = omni_vk_buffer_new (
              k->device, k->scratch_bytes[0], OMNI_VK_MEMORY_DEVICE, error))
         != NULL;
  if (ok && !k->owned[OWNED_M])
    ok = (k->owned[OWNED_M] = omni_vk_buffer_new (
              k->device, k->scratch_bytes[1], OMNI_VK_MEMORY_DEVICE, error))
         != NULL;
  if (!ok)
    return FALSE;
  if (k->stage_pool)
    omni_vk_descriptor_pool_unref (k->stage_pool);
  k->stage_pool = omni_vk_descriptor_pool_new (k->device, 3, 9, error);
  if (!k->stage_pool)
    return FALSE;
  in_set[0] = k->owned[OWNED_V];
  in_set[1] = buffers[1];
  gemm_set[0] = k->owned[OWNED_M];
  gemm_set[1] = k->owned[OWNED_V];
  gemm_set[2] = gemm_set[3] = k->owned[OWNED_U];
  out_set[0] = buffers[0];
  out_set[1] = k->owned[OWNED_M];
  out_set[2] = k->has_bias ? buffers[3] : k->owned[OWNED_M];
  return omni_nn_vk_kernel_bind (k->stages[0], k->stage_pool, in_set, 2, error)
         && omni_nn_vk_kernel_bind (
             k->stages[1], k->stage_pool, gemm_set, 4, error)
         && omni_nn_vk_kernel_bind (
             k->stages[2], k->stage_pool, out_set, 3, error);
}

/* The output tile size. F(4x4, 3x3) needs 2.25 multiply-adds per output
 * and channel pair against F(2x2, 3x3)'s 4, but its float32 error grows
 * with the input channels. Worst error relative to max (|y|, 1) against
 * the direct C reference (which sums in double) on random data (nnops),
 * with the batched GEMM summing 16 k per partial sum: F(4x4, 3x3) 1.7e-5
 * at 32 input channels, 3.5e-5 at 128, 3.8e-5 at 256, 5.4e-5 at 512;
 * F(2x2, 3x3) 1.1e-5 at 512 (with one running sum over k, as first
 * written: F(4x4, 3x3) 1.1e-4 at 256). The ops' budget is 1e-4: F(4x4,
 * 3x3) up to 256 input channels, F(2x2, 3x3) above. OMNI_VK_WINOGRAD_TILE=2
 * gives F(2x2, 3x3) to all (A/B timing, tests). */
static guint
tile_size (const OmniNnConv2dParams *p)
{
  if (!g_strcmp0 (g_getenv ("OMNI_VK_WINOGRAD_TILE"), "2"))
    return 2;
  return p->in_c <= 256 ? 4 : 2;
}

/* The three stages; @k takes conv2d's bindings (out, in, weights, bias). */
gboolean
omni_nn_vk_winograd_build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnConv2dParams *p = &k->params.conv2d;
  OmniNnGemmParams g = { 0 };
  guint m = tile_size (p), batch = (m + 2) * (m + 2);

  k->variant = m;
  g.m = n_tiles (p, m);
  g.k = p->in_c;
  g.n = p->out_c;
  k->n_buffers = 4;
  k->bind = bind;
  k->scratch_bytes[0] = (gsize) batch * g.m * p->in_c * 4;
  k->scratch_bytes[1] = (gsize) batch * g.m * p->out_c * 4;
  if (!(k->stages[0] = build_transform (k, b->cache, TRUE, error)))
    return FALSE;
  k->n_stages = 1;
  k->stages[1] = omni_nn_vk_kernel_build_batched_gemm (
      k->device, &g, batch, b->cache, error);
  if (!k->stages[1])
    return FALSE;
  k->n_stages = 2;
  if (!(k->stages[2] = build_transform (k, b->cache, FALSE, error)))
    return FALSE;
  k->n_stages = 3;
  k->shader = m == 4 ? (g_str_has_suffix (k->stages[0]->shader, "_texel")
                            ? "nn_wino_f43_texel"
                            : "nn_wino_f43")
                     : (g_str_has_suffix (k->stages[0]->shader, "_texel")
                             ? "nn_wino_f23_texel"
                             : "nn_wino_f23");
  return TRUE;
}
