/* gst-omni: unit tests for the reference ops and graph passes of the model
 * runtime (gst-libs/omni/nn)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <omni/nn/omninncpu.h>
#include <omni/nn/omninngraph.h>
#include <omni/nn/omninnop.h>
#include <omni/nn/omninnops.h>
#include <math.h>
#include <string.h>

static gfloat *
random_floats (GRand *r, gsize n)
{
  gfloat *v = g_new (gfloat, n);
  gsize i;

  for (i = 0; i < n; i++)
    v[i] = (gfloat) g_rand_double_range (r, -1.0, 1.0);
  return v;
}

static void
assert_close (const gfloat *a, const gfloat *b, gsize n, gfloat tol)
{
  gsize i;

  for (i = 0; i < n; i++) {
    fail_unless (fabsf (a[i] - b[i]) <= tol * (1.0f + fabsf (b[i])),
        "element %" G_GSIZE_FORMAT ": %.7g != %.7g", i, a[i], b[i]);
  }
}

GST_START_TEST (test_padding_arithmetic)
{
  guint out, pad;

  /* MobileNetV2's first conv as Keras writes it: 'valid' after an explicit
   * ZeroPadding2D((0, 1), (0, 1)): 225 -> 112 */
  fail_unless (omni_nn_conv_output_size (
      225, 3, 2, 1, OMNI_NN_PADDING_VALID, &out, &pad));
  fail_unless_equals_int (out, 112);
  fail_unless_equals_int (pad, 0);
  /* TF 'same', stride 2, even input: total padding 1, all of it after */
  fail_unless (omni_nn_conv_output_size (
      224, 3, 2, 1, OMNI_NN_PADDING_SAME, &out, &pad));
  fail_unless_equals_int (out, 112);
  fail_unless_equals_int (pad, 0);
  /* 'same', stride 2, odd input: total 2, one before */
  fail_unless (
      omni_nn_conv_output_size (7, 3, 2, 1, OMNI_NN_PADDING_SAME, &out, &pad));
  fail_unless_equals_int (out, 4);
  fail_unless_equals_int (pad, 1);
  /* 'same', stride 1, dilation 2: effective kernel 5, total 4 */
  fail_unless (
      omni_nn_conv_output_size (5, 3, 1, 2, OMNI_NN_PADDING_SAME, &out, &pad));
  fail_unless_equals_int (out, 5);
  fail_unless_equals_int (pad, 2);
  /* 'valid' with a kernel larger than the input: empty */
  fail_if (
      omni_nn_conv_output_size (2, 3, 1, 1, OMNI_NN_PADDING_VALID, &out, NULL));
  fail_unless_equals_int (out, 0);
}

GST_END_TEST;

/* A 3x3 single-channel input convolved with a 2x2 kernel of ones sums each
 * 2x2 window; with 'same'-style padding of 1 on the left/top the first
 * output is the top-left pixel alone. */
GST_START_TEST (test_conv2d_by_hand)
{
  const gfloat in[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  const gfloat ones[4] = { 1, 1, 1, 1 };
  const gfloat bias[1] = { 0.5f };
  gfloat out[9];
  OmniNnConv2dParams p = { 0 };

  p.in_h = p.in_w = 3;
  p.in_c = p.out_c = 1;
  p.out_h = p.out_w = 2;
  p.kernel_h = p.kernel_w = 2;
  p.stride_h = p.stride_w = 1;
  p.dilation_h = p.dilation_w = 1;
  omni_nn_ref_conv2d (&p, in, ones, NULL, out);
  fail_unless_equals_float (out[0], 1 + 2 + 4 + 5);
  fail_unless_equals_float (out[1], 2 + 3 + 5 + 6);
  fail_unless_equals_float (out[2], 4 + 5 + 7 + 8);
  fail_unless_equals_float (out[3], 5 + 6 + 8 + 9);

  /* padded, stride 2: windows at (-1,-1), (-1,1), (1,-1), (1,1) */
  p.pad_top = p.pad_left = 1;
  p.stride_h = p.stride_w = 2;
  omni_nn_ref_conv2d (&p, in, ones, bias, out);
  fail_unless_equals_float (out[0], 0.5f + 1);
  fail_unless_equals_float (out[1], 0.5f + 2 + 3);
  fail_unless_equals_float (out[2], 0.5f + 4 + 7);
  fail_unless_equals_float (out[3], 0.5f + 5 + 6 + 8 + 9);

  /* relu6 clamps */
  p.activation = OMNI_NN_ACT_RELU6;
  omni_nn_ref_conv2d (&p, in, ones, bias, out);
  fail_unless_equals_float (out[0], 1.5f);
  fail_unless_equals_float (out[3], 6.0f);
}

GST_END_TEST;

/* Straightforward formula from the header's definition, written
 * independently of omninnref.c's loop order. */
static void
naive_conv (const OmniNnConv2dParams *p, const gfloat *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  guint oy, ox, co, ky, kx, ci;

  for (oy = 0; oy < p->out_h; oy++)
    for (ox = 0; ox < p->out_w; ox++)
      for (co = 0; co < p->out_c; co++) {
        gdouble acc = b ? b[co] : 0.0;

        for (ky = 0; ky < p->kernel_h; ky++)
          for (kx = 0; kx < p->kernel_w; kx++)
            for (ci = 0; ci < p->in_c; ci++) {
              gint iy = oy * p->stride_h + ky * p->dilation_h - p->pad_top;
              gint ix = ox * p->stride_w + kx * p->dilation_w - p->pad_left;

              if (iy < 0 || ix < 0 || iy >= (gint) p->in_h
                  || ix >= (gint) p->in_w)
                continue;
              acc += in[(iy * p->in_w + ix) * p->in_c + ci]
                     * w[((ky * p->kernel_w + kx) * p->in_c + ci) * p->out_c
                         + co];
            }
        out[(oy * p->out_w + ox) * p->out_c + co] = acc;
      }
}

GST_START_TEST (test_conv2d_odd_shapes)
{
  GRand *r = g_rand_new_with_seed (7);
  /* in h, w, c, out c, k, stride, dilation, 'same'? */
  const guint cases[][8] = {
    { 7, 5, 3, 5, 3, 2, 1, 1 },
    { 9, 11, 7, 13, 3, 1, 2, 1 },
    { 6, 6, 4, 3, 2, 2, 1, 0 },
    { 13, 7, 1, 9, 5, 3, 1, 1 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    OmniNnConv2dParams p = { 0 };
    guint pt, pl;
    gfloat *in, *w, *b, *out, *want;
    gsize n_out;

    p.in_h = cases[i][0];
    p.in_w = cases[i][1];
    p.in_c = cases[i][2];
    p.out_c = cases[i][3];
    p.kernel_h = p.kernel_w = cases[i][4];
    p.stride_h = p.stride_w = cases[i][5];
    p.dilation_h = p.dilation_w = cases[i][6];
    fail_unless (omni_nn_conv_output_size (p.in_h, p.kernel_h, p.stride_h,
        p.dilation_h, cases[i][7], &p.out_h, &pt));
    fail_unless (omni_nn_conv_output_size (p.in_w, p.kernel_w, p.stride_w,
        p.dilation_w, cases[i][7], &p.out_w, &pl));
    p.pad_top = pt;
    p.pad_left = pl;
    in = random_floats (r, p.in_h * p.in_w * p.in_c);
    w = random_floats (r, p.kernel_h * p.kernel_w * p.in_c * p.out_c);
    b = random_floats (r, p.out_c);
    n_out = p.out_h * p.out_w * p.out_c;
    out = g_new (gfloat, n_out);
    want = g_new (gfloat, n_out);
    omni_nn_ref_conv2d (&p, in, w, b, out);
    naive_conv (&p, in, w, b, want);
    assert_close (out, want, n_out, 1e-5f);
    g_free (in);
    g_free (w);
    g_free (b);
    g_free (out);
    g_free (want);
  }
  g_rand_free (r);
}

GST_END_TEST;

/* A depthwise conv with multiplier m equals a full conv whose kernel is zero
 * except w[ky, kx, c, c * m + j] = dw[ky, kx, c, j]. */
GST_START_TEST (test_depthwise_vs_conv)
{
  GRand *r = g_rand_new_with_seed (11);
  OmniNnDepthwiseConv2dParams d = { 0 };
  OmniNnConv2dParams c = { 0 };
  guint pt, pl, ky, kx, ch, j;
  gfloat *in, *dw, *full, *b, *out, *want;
  gsize n_out;

  d.in_h = 9;
  d.in_w = 7;
  d.in_c = 5;
  d.depth_multiplier = 2;
  d.out_c = 10;
  d.kernel_h = d.kernel_w = 3;
  d.stride_h = d.stride_w = 2;
  d.dilation_h = d.dilation_w = 1;
  omni_nn_conv_output_size (9, 3, 2, 1, OMNI_NN_PADDING_SAME, &d.out_h, &pt);
  omni_nn_conv_output_size (7, 3, 2, 1, OMNI_NN_PADDING_SAME, &d.out_w, &pl);
  d.pad_top = pt;
  d.pad_left = pl;
  d.activation = OMNI_NN_ACT_RELU;

  in = random_floats (r, 9 * 7 * 5);
  dw = random_floats (r, 3 * 3 * 5 * 2);
  b = random_floats (r, 10);
  full = g_new0 (gfloat, 3 * 3 * 5 * 10);
  for (ky = 0; ky < 3; ky++)
    for (kx = 0; kx < 3; kx++)
      for (ch = 0; ch < 5; ch++)
        for (j = 0; j < 2; j++)
          full[((ky * 3 + kx) * 5 + ch) * 10 + ch * 2 + j]
              = dw[((ky * 3 + kx) * 5 + ch) * 2 + j];
  c.in_h = d.in_h;
  c.in_w = d.in_w;
  c.in_c = d.in_c;
  c.out_h = d.out_h;
  c.out_w = d.out_w;
  c.out_c = d.out_c;
  c.kernel_h = c.kernel_w = 3;
  c.stride_h = c.stride_w = 2;
  c.dilation_h = c.dilation_w = 1;
  c.pad_top = pt;
  c.pad_left = pl;
  c.activation = OMNI_NN_ACT_RELU;

  n_out = d.out_h * d.out_w * d.out_c;
  out = g_new (gfloat, n_out);
  want = g_new (gfloat, n_out);
  omni_nn_ref_depthwise_conv2d (&d, in, dw, b, out);
  omni_nn_ref_conv2d (&c, in, full, b, want);
  assert_close (out, want, n_out, 1e-5f);
  g_free (in);
  g_free (dw);
  g_free (full);
  g_free (b);
  g_free (out);
  g_free (want);
  g_rand_free (r);
}

GST_END_TEST;

/* GEMM against the formula on sizes that exercise the 4-row blocks and the
 * remainder rows */
GST_START_TEST (test_gemm_odd_shapes)
{
  GRand *r = g_rand_new_with_seed (13);
  const guint shapes[][3]
      = { { 1, 7, 5 }, { 7, 13, 5 }, { 9, 3, 17 }, { 49, 33, 2 } };
  guint s, i, l, j;

  for (s = 0; s < G_N_ELEMENTS (shapes); s++) {
    OmniNnGemmParams p
        = { shapes[s][0], shapes[s][1], shapes[s][2], OMNI_NN_ACT_RELU6 };
    gfloat *a = random_floats (r, p.m * p.k), *w = random_floats (r, p.k * p.n),
           *b = random_floats (r, p.n);
    gfloat *out = g_new (gfloat, p.m * p.n), *want = g_new (gfloat, p.m * p.n);

    for (i = 0; i < p.m; i++)
      for (j = 0; j < p.n; j++) {
        gdouble acc = b[j];

        for (l = 0; l < p.k; l++)
          acc += a[i * p.k + l] * w[l * p.n + j];
        want[i * p.n + j] = CLAMP (acc, 0.0, 6.0);
      }
    omni_nn_ref_gemm (&p, a, w, b, out);
    assert_close (out, want, p.m * p.n, 1e-5f);
    g_free (a);
    g_free (w);
    g_free (b);
    g_free (out);
    g_free (want);
  }
  g_rand_free (r);
}

GST_END_TEST;

GST_START_TEST (test_small_ops_by_hand)
{
  /* GEMM: [2, 3] x [3, 2] + bias */
  const gfloat a[6] = { 1, 2, 3, 4, 5, 6 };
  const gfloat w[6] = { 1, 0, 0, 1, 1, -1 };
  const gfloat bias[2] = { 10, 20 };
  gfloat y[6];
  OmniNnGemmParams g = { 2, 3, 2, OMNI_NN_ACT_NONE };
  OmniNnPadParams pad = { 1, 2, 1, 1, 0, 0, 2 };
  OmniNnEltwiseParams e = { 4, OMNI_NN_ACT_RELU6 };
  OmniNnPoolParams pool = { 2, 2, 1 };
  OmniNnSoftmaxParams sm = { 1, 2 };
  OmniNnChannelParams ch = { 4, 2 };
  const gfloat x4[4] = { -1, 2, 5, 7 }, ones4[4] = { 1, 1, 1, 1 };
  const gfloat scale[2] = { 2, 3 }, shift[2] = { 1, -1 };
  const gfloat logits[2] = { 0, (gfloat) G_LN2 };
  gfloat p[12];

  omni_nn_ref_gemm (&g, a, w, bias, y);
  /* row 0: [1*1 + 3*1, 2*1 - 3] + bias */
  fail_unless_equals_float (y[0], 14);
  fail_unless_equals_float (y[1], 19);
  fail_unless_equals_float (y[2], 20);
  fail_unless_equals_float (y[3], 19);

  /* pad a 1x2 image (1 channel) by 1 row above and 2 columns on the right */
  omni_nn_ref_pad (&pad, a, p);
  {
    const gfloat want[8] = { 0, 0, 0, 0, 1, 2, 0, 0 };

    fail_unless (memcmp (p, want, sizeof (want)) == 0);
  }

  omni_nn_ref_add (&e, x4, ones4, p);
  fail_unless_equals_float (p[0], 0);
  fail_unless_equals_float (p[1], 3);
  fail_unless_equals_float (p[2], 6);
  fail_unless_equals_float (p[3], 6);
  e.activation = OMNI_NN_ACT_RELU;
  omni_nn_ref_activation (&e, x4, p);
  fail_unless_equals_float (p[0], 0);
  fail_unless_equals_float (p[3], 7);

  omni_nn_ref_global_avg_pool (&pool, x4, p);
  fail_unless_equals_float (p[0], 13.0f / 4);

  /* softmax of [0, ln 2] is [1/3, 2/3] */
  omni_nn_ref_softmax (&sm, logits, p);
  fail_unless (fabsf (p[0] - 1.0f / 3) < 1e-6f);
  fail_unless (fabsf (p[1] - 2.0f / 3) < 1e-6f);

  omni_nn_ref_batch_norm (&ch, x4, scale, shift, p);
  fail_unless_equals_float (p[0], -1);
  fail_unless_equals_float (p[1], 5);
  fail_unless_equals_float (p[2], 11);
  fail_unless_equals_float (p[3], 20);
}

GST_END_TEST;

static void
packed_params (OmniNnPreprocessParams *p, OmniNnPixelLayout layout, guint w,
    guint h, guint stride, guint ow, guint oh, gboolean align)
{
  memset (p, 0, sizeof (*p));
  p->layout = layout;
  p->in_w = w;
  p->in_h = h;
  p->strides[0] = stride;
  p->out_w = ow;
  p->out_h = oh;
  p->align_corners = align;
  p->scale = 1.0f;
}

GST_START_TEST (test_preprocess_packed)
{
  /* 2x2 BGRx with row padding: exact copy at the same size */
  const guint8 bgrx[2 * 12] = {
    1,
    2,
    3,
    0,
    4,
    5,
    6,
    0,
    99,
    99,
    99,
    99,
    7,
    8,
    9,
    0,
    10,
    11,
    12,
    0,
    99,
    99,
    99,
    99,
  };
  const guint8 gray[3] = { 0, 100, 200 };
  gfloat out[4 * 4 * 3];
  OmniNnPreprocessParams p;

  packed_params (&p, OMNI_NN_PIXEL_BGRX, 2, 2, 12, 2, 2, FALSE);
  fail_unless_equals_int (omni_nn_preprocess_frame_size (&p), 12 + 8);
  omni_nn_ref_preprocess (&p, bgrx, out);
  {
    const gfloat want[12] = { 3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10 };

    assert_close (out, want, 12, 0);
  }

  /* normalisation */
  p.scale = 1.0f / 255;
  p.offset = -0.5f;
  omni_nn_ref_preprocess (&p, bgrx, out);
  fail_unless (fabsf (out[0] - (3.0f / 255 - 0.5f)) < 1e-7f);

  /* GRAY8 1x3 -> 1x5 with alignCorners: source x = dst * 2 / 4 */
  packed_params (&p, OMNI_NN_PIXEL_GRAY8, 3, 1, 4, 5, 1, TRUE);
  omni_nn_ref_preprocess (&p, gray, out);
  {
    const gfloat want[15]
        = { 0, 0, 0, 50, 50, 50, 100, 100, 100, 150, 150, 150, 200, 200, 200 };

    assert_close (out, want, 15, 1e-6f);
  }
  /* without alignCorners: source x = dst * 3 / 5 = 0, .6, 1.2, 1.8, 2.4
   * (clamped to the last pixel past the edge) */
  p.align_corners = FALSE;
  omni_nn_ref_preprocess (&p, gray, out);
  fail_unless (fabsf (out[0] - 0) < 1e-4f);
  fail_unless (fabsf (out[3] - 60) < 1e-4f);
  fail_unless (fabsf (out[6] - 120) < 1e-4f);
  fail_unless (fabsf (out[9] - 180) < 1e-4f);
  fail_unless (fabsf (out[12] - 200) < 1e-4f);

  /* downscale 3 -> 1 takes pixel 0 (halfPixelCenters = false) */
  packed_params (&p, OMNI_NN_PIXEL_GRAY8, 3, 1, 3, 1, 1, FALSE);
  omni_nn_ref_preprocess (&p, gray, out);
  fail_unless_equals_float (out[0], 0);
}

GST_END_TEST;

GST_START_TEST (test_preprocess_formats)
{
  /* the same 4x2 picture in every packed layout must give the same RGB */
  const guint8 rgb[8][3] = {
    { 255, 0, 0 },
    { 0, 255, 0 },
    { 0, 0, 255 },
    { 10, 20, 30 },
    { 1, 2, 3 },
    { 200, 100, 50 },
    { 0, 0, 0 },
    { 255, 255, 255 },
  };
  OmniNnPixelLayout l;

  for (l = OMNI_NN_PIXEL_RGB; l <= OMNI_NN_PIXEL_ABGR; l++) {
    guint bpp, ro, go, bo, i;
    guint8 frame[2 * 4 * 4];
    gfloat out[8 * 3];
    OmniNnPreprocessParams p;

    fail_unless (omni_nn_pixel_layout_packed (l, &bpp, &ro, &go, &bo));
    memset (frame, 0x55, sizeof (frame));
    for (i = 0; i < 8; i++) {
      frame[i * bpp + ro] = rgb[i][0];
      frame[i * bpp + go] = rgb[i][1];
      frame[i * bpp + bo] = rgb[i][2];
    }
    packed_params (&p, l, 4, 2, 4 * bpp, 4, 2, FALSE);
    omni_nn_ref_preprocess (&p, frame, out);
    for (i = 0; i < 8; i++) {
      fail_unless_equals_float (out[i * 3 + 0], rgb[i][0]);
      fail_unless_equals_float (out[i * 3 + 1], rgb[i][1]);
      fail_unless_equals_float (out[i * 3 + 2], rgb[i][2]);
    }
  }
  fail_if (
      omni_nn_pixel_layout_packed (OMNI_NN_PIXEL_I420, NULL, NULL, NULL, NULL));
  fail_unless (
      omni_nn_pixel_layout_from_video_format (GST_VIDEO_FORMAT_BGRx, &l));
  fail_unless_equals_int (l, OMNI_NN_PIXEL_BGRX);
  fail_if (omni_nn_pixel_layout_from_video_format (GST_VIDEO_FORMAT_v210, &l));
}

GST_END_TEST;

/* Known BT.601 studio-range colours (ITU-R BT.601: 75%/100% bars): black
 * (16, 128, 128), white (235, 128, 128), red (81, 90, 240), green
 * (145, 54, 34), blue (41, 240, 110). */
GST_START_TEST (test_preprocess_yuv)
{
  const guint8 yuv[5][3] = {
    { 16, 128, 128 },
    { 235, 128, 128 },
    { 81, 90, 240 },
    { 145, 54, 34 },
    { 41, 240, 110 },
  };
  const gfloat want[5][3] = {
    { 0, 0, 0 },
    { 255, 255, 255 },
    { 255, 0, 0 },
    { 0, 255, 0 },
    { 0, 0, 255 },
  };
  guint i, c;

  for (i = 0; i < 5; i++) {
    /* 2x2 frames: I420 (Y plane, then 1x1 U and V), NV12 (Y, then UV) */
    guint8 i420[6], nv12[6];
    gfloat out[12];
    OmniNnPreprocessParams p = { 0 };

    memset (i420, yuv[i][0], 4);
    i420[4] = yuv[i][1];
    i420[5] = yuv[i][2];
    memset (nv12, yuv[i][0], 4);
    nv12[4] = yuv[i][1];
    nv12[5] = yuv[i][2];

    p.layout = OMNI_NN_PIXEL_I420;
    p.in_w = p.in_h = p.out_w = p.out_h = 2;
    p.strides[0] = 2;
    p.strides[1] = p.strides[2] = 1;
    p.offsets[1] = 4;
    p.offsets[2] = 5;
    p.matrix = OMNI_NN_YUV_BT601;
    p.scale = 1.0f;
    fail_unless_equals_int (omni_nn_preprocess_frame_size (&p), 6);
    omni_nn_ref_preprocess (&p, i420, out);
    for (c = 0; c < 3; c++)
      fail_unless (fabsf (out[9 + c] - want[i][c]) <= 2.0f,
          "I420 colour %u channel %u: %f != %f", i, c, out[9 + c], want[i][c]);

    p.layout = OMNI_NN_PIXEL_NV12;
    p.strides[1] = 2;
    fail_unless_equals_int (omni_nn_preprocess_frame_size (&p), 6);
    omni_nn_ref_preprocess (&p, nv12, out);
    for (c = 0; c < 3; c++)
      fail_unless (fabsf (out[c] - want[i][c]) <= 2.0f,
          "NV12 colour %u channel %u: %f != %f", i, c, out[c], want[i][c]);
  }
}

GST_END_TEST;

GST_START_TEST (test_preprocess_from_video_info)
{
  GstVideoInfo info;
  OmniNnPreprocessParams p;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 33, 17);
  fail_unless (omni_nn_preprocess_params_from_video_info (
      &p, &info, 224, 224, TRUE, 1.0f / 255, 0));
  fail_unless_equals_int (p.layout, OMNI_NN_PIXEL_I420);
  fail_unless_equals_int (p.strides[0], GST_VIDEO_INFO_PLANE_STRIDE (&info, 0));
  fail_unless_equals_int (p.offsets[2], GST_VIDEO_INFO_PLANE_OFFSET (&info, 2));
  fail_unless (
      omni_nn_preprocess_frame_size (&p) <= GST_VIDEO_INFO_SIZE (&info));
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_Y444, 8, 8);
  fail_if (omni_nn_preprocess_params_from_video_info (
      &p, &info, 224, 224, TRUE, 1.0f / 255, 0));
}

GST_END_TEST;

/* ---- graph passes ------------------------------------------------------ */

static guint
act_tensor (OmniNnGraph *g, guint h, guint w, guint c)
{
  guint dims[3] = { h, w, c };

  return omni_nn_graph_add_tensor (g, NULL, 3, dims, NULL);
}

static guint
const_tensor (OmniNnGraph *g, GRand *r, guint n_dims, guint d0, guint d1,
    guint d2, guint d3)
{
  guint dims[4] = { d0, d1, d2, d3 };
  gsize n = 1;
  guint i;

  for (i = 0; i < n_dims; i++)
    n *= dims[i];
  return omni_nn_graph_add_tensor (g, NULL, n_dims, dims, random_floats (r, n));
}

/* input 5x6x3 -> conv 3x3 s2 same (4 ch) -> BN -> relu6 -> depthwise 3x3
 * -> BN -> pointwise (6) -> BN -> add with a second pointwise branch ->
 * relu -> GAP -> dense (3) -> softmax */
static OmniNnGraph *
build_test_graph (guint32 seed)
{
  GRand *r = g_rand_new_with_seed (seed);
  OmniNnGraph *g = omni_nn_graph_new ();
  OmniNnOpParams p;
  guint in, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14;
  guint scale, shift, pt, pl, oh, ow;
  guint pair[2];

  g->input_h = 5;
  g->input_w = 6;
  g->input_c = 3;
  in = g->input = act_tensor (g, 5, 6, 3);

  memset (&p, 0, sizeof (p));
  omni_nn_conv_output_size (5, 3, 2, 1, OMNI_NN_PADDING_SAME, &oh, &pt);
  omni_nn_conv_output_size (6, 3, 2, 1, OMNI_NN_PADDING_SAME, &ow, &pl);
  p.conv2d = (OmniNnConv2dParams){ 5, 6, 3, oh, ow, 4, 3, 3, 2, 2, 1, 1, pt, pl,
    OMNI_NN_ACT_NONE };
  t1 = act_tensor (g, oh, ow, 4);
  omni_nn_graph_add_node (g, OMNI_NN_OP_CONV2D, "conv", &p, 1, &in,
      const_tensor (g, r, 4, 3, 3, 3, 4), OMNI_NN_NO_TENSOR, t1);

  memset (&p, 0, sizeof (p));
  p.channel.n = oh * ow * 4;
  p.channel.c = 4;
  scale = const_tensor (g, r, 1, 4, 0, 0, 0);
  shift = const_tensor (g, r, 1, 4, 0, 0, 0);
  t2 = act_tensor (g, oh, ow, 4);
  omni_nn_graph_add_node (
      g, OMNI_NN_OP_BATCH_NORM, "bn1", &p, 1, &t1, scale, shift, t2);

  memset (&p, 0, sizeof (p));
  p.eltwise.n = oh * ow * 4;
  p.eltwise.activation = OMNI_NN_ACT_RELU6;
  t3 = act_tensor (g, oh, ow, 4);
  omni_nn_graph_add_node (g, OMNI_NN_OP_ACTIVATION, "relu1", &p, 1, &t2,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, t3);

  memset (&p, 0, sizeof (p));
  p.depthwise = (OmniNnDepthwiseConv2dParams){ oh, ow, 4, oh, ow, 4, 3, 3, 1, 1,
    1, 1, 1, 1, 1, OMNI_NN_ACT_NONE };
  t4 = act_tensor (g, oh, ow, 4);
  omni_nn_graph_add_node (g, OMNI_NN_OP_DEPTHWISE_CONV2D, "dw", &p, 1, &t3,
      const_tensor (g, r, 4, 3, 3, 4, 1), const_tensor (g, r, 1, 4, 0, 0, 0),
      t4);

  memset (&p, 0, sizeof (p));
  p.channel.n = oh * ow * 4;
  p.channel.c = 4;
  t5 = act_tensor (g, oh, ow, 4);
  omni_nn_graph_add_node (g, OMNI_NN_OP_BATCH_NORM, "bn2", &p, 1, &t4,
      const_tensor (g, r, 1, 4, 0, 0, 0), const_tensor (g, r, 1, 4, 0, 0, 0),
      t5);

  memset (&p, 0, sizeof (p));
  p.gemm = (OmniNnGemmParams){ oh * ow, 4, 6, OMNI_NN_ACT_NONE };
  t6 = act_tensor (g, oh, ow, 6);
  omni_nn_graph_add_node (g, OMNI_NN_OP_POINTWISE_CONV2D, "pw1", &p, 1, &t5,
      const_tensor (g, r, 2, 4, 6, 0, 0), OMNI_NN_NO_TENSOR, t6);
  t7 = act_tensor (g, oh, ow, 6);
  memset (&p, 0, sizeof (p));
  p.channel.n = oh * ow * 6;
  p.channel.c = 6;
  omni_nn_graph_add_node (g, OMNI_NN_OP_BATCH_NORM, "bn3", &p, 1, &t6,
      const_tensor (g, r, 1, 6, 0, 0, 0), const_tensor (g, r, 1, 6, 0, 0, 0),
      t7);

  /* second branch from t3: its BN cannot fold (t8's producer output t3 is
   * read twice), so it becomes a depthwise 1x1 */
  memset (&p, 0, sizeof (p));
  p.channel.n = oh * ow * 4;
  p.channel.c = 4;
  t8 = act_tensor (g, oh, ow, 4);
  omni_nn_graph_add_node (g, OMNI_NN_OP_BATCH_NORM, "bn-unfoldable", &p, 1, &t3,
      const_tensor (g, r, 1, 4, 0, 0, 0), const_tensor (g, r, 1, 4, 0, 0, 0),
      t8);
  memset (&p, 0, sizeof (p));
  p.gemm = (OmniNnGemmParams){ oh * ow, 4, 6, OMNI_NN_ACT_NONE };
  t9 = act_tensor (g, oh, ow, 6);
  omni_nn_graph_add_node (g, OMNI_NN_OP_POINTWISE_CONV2D, "pw2", &p, 1, &t8,
      const_tensor (g, r, 2, 4, 6, 0, 0), const_tensor (g, r, 1, 6, 0, 0, 0),
      t9);

  memset (&p, 0, sizeof (p));
  p.eltwise.n = oh * ow * 6;
  t10 = act_tensor (g, oh, ow, 6);
  pair[0] = t7;
  pair[1] = t9;
  omni_nn_graph_add_node (g, OMNI_NN_OP_ADD, "add", &p, 2, pair,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, t10);
  p.eltwise.activation = OMNI_NN_ACT_RELU;
  t11 = act_tensor (g, oh, ow, 6);
  omni_nn_graph_add_node (g, OMNI_NN_OP_ACTIVATION, "relu2", &p, 1, &t10,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, t11);

  memset (&p, 0, sizeof (p));
  p.pool = (OmniNnPoolParams){ oh, ow, 6 };
  {
    guint d = 6;

    t12 = omni_nn_graph_add_tensor (g, NULL, 1, &d, NULL);
  }
  omni_nn_graph_add_node (g, OMNI_NN_OP_GLOBAL_AVG_POOL, "gap", &p, 1, &t11,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, t12);

  memset (&p, 0, sizeof (p));
  p.gemm = (OmniNnGemmParams){ 1, 6, 3, OMNI_NN_ACT_NONE };
  {
    guint d = 3;

    t13 = omni_nn_graph_add_tensor (g, NULL, 1, &d, NULL);
    t14 = omni_nn_graph_add_tensor (g, NULL, 1, &d, NULL);
  }
  omni_nn_graph_add_node (g, OMNI_NN_OP_DENSE, "dense", &p, 1, &t12,
      const_tensor (g, r, 2, 6, 3, 0, 0), const_tensor (g, r, 1, 3, 0, 0, 0),
      t13);
  memset (&p, 0, sizeof (p));
  p.softmax = (OmniNnSoftmaxParams){ 1, 3 };
  omni_nn_graph_add_node (g, OMNI_NN_OP_SOFTMAX, "softmax", &p, 1, &t13,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, t14);

  omni_nn_graph_add_output (g, "probabilities", t14);
  omni_nn_graph_add_output (g, "embedding", t12);
  g_rand_free (r);
  return g;
}

static void
run_cpu (const OmniNnGraph *g, const gfloat *input, gfloat *probs, gfloat *emb)
{
  const OmniNnBackend *b = omni_nn_cpu_backend ();
  GError *err = NULL;
  gpointer s = b->prepare (g, "cpu", &err);
  OmniNnInput in = { 0 };
  gfloat *outs[2] = { probs, emb };

  fail_unless (s != NULL, "%s", err ? err->message : "");
  in.tensor = input;
  fail_unless (b->run (s, &in, outs, &err), "%s", err ? err->message : "");
  b->free (s);
}

GST_START_TEST (test_graph_optimize_preserves_results)
{
  OmniNnGraph *plain = build_test_graph (5), *opt = build_test_graph (5);
  GRand *r = g_rand_new_with_seed (3);
  gfloat *input = random_floats (r, 5 * 6 * 3);
  gfloat p0[3], p1[3], e0[6], e1[6];
  GError *err = NULL;
  guint i, n_bn = 0, n_act = 0;

  fail_unless (
      omni_nn_graph_validate (plain, &err), "%s", err ? err->message : "");
  fail_unless_equals_int (plain->nodes->len, 14);
  run_cpu (plain, input, p0, e0);

  fail_unless_equals_int (omni_nn_graph_fold_batch_norm (opt), 3);
  fail_unless_equals_int (omni_nn_graph_fuse_activations (opt), 2);
  fail_unless (
      omni_nn_graph_optimize (opt, &err), "%s", err ? err->message : "");
  for (i = 0; i < opt->nodes->len; i++) {
    const OmniNnNode *n = omni_nn_graph_node (opt, i);

    n_bn += n->op == OMNI_NN_OP_BATCH_NORM;
    n_act += n->op == OMNI_NN_OP_ACTIVATION;
  }
  fail_unless_equals_int (n_bn, 0);
  fail_unless_equals_int (n_act, 0);
  /* conv, dw, pw1, bn-unfoldable (now depthwise 1x1), pw2, add, gap,
   * dense, softmax */
  fail_unless_equals_int (opt->nodes->len, 9);
  fail_unless_equals_int (
      omni_nn_graph_node (opt, 0)->params.conv2d.activation, OMNI_NN_ACT_RELU6);
  fail_unless_equals_int (
      omni_nn_graph_node (opt, 3)->op, OMNI_NN_OP_DEPTHWISE_CONV2D);
  fail_unless_equals_int (
      omni_nn_graph_node (opt, 5)->params.eltwise.activation, OMNI_NN_ACT_RELU);
  run_cpu (opt, input, p1, e1);
  assert_close (p1, p0, 3, 1e-5f);
  assert_close (e1, e0, 6, 1e-5f);
  fail_unless (fabsf (p1[0] + p1[1] + p1[2] - 1.0f) < 1e-5f);
  fail_unless (omni_nn_graph_count_macs (opt) > 0);

  g_free (input);
  g_rand_free (r);
  omni_nn_graph_free (plain);
  omni_nn_graph_free (opt);
}

GST_END_TEST;

GST_START_TEST (test_graph_validate_rejects)
{
  OmniNnGraph *g = build_test_graph (9);
  OmniNnNode *n;
  GError *err = NULL;

  /* wrong kernel size for the conv */
  n = omni_nn_graph_node (g, 0);
  n->params.conv2d.out_c = 5;
  fail_if (omni_nn_graph_validate (g, &err));
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE));
  fail_unless (strstr (err->message, "'conv'") != NULL, "%s", err->message);
  g_clear_error (&err);
  n->params.conv2d.out_c = 4;
  fail_unless (omni_nn_graph_validate (g, NULL));

  /* reading a tensor before it is written */
  n = omni_nn_graph_node (g, 1);
  n->inputs[0] = omni_nn_graph_node (g, 5)->output;
  fail_if (omni_nn_graph_validate (g, &err));
  fail_unless (strstr (err->message, "before it is computed") != NULL);
  g_clear_error (&err);
  omni_nn_graph_free (g);

  /* the CPU backend refuses a device other than the CPU */
  g = build_test_graph (9);
  fail_if (omni_nn_cpu_backend ()->prepare (g, "lavapipe", &err));
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_DEVICE));
  g_clear_error (&err);
  omni_nn_graph_free (g);
}

GST_END_TEST;

/* Mul (Mul (x, c), Relu6 (Add (x, 3))), as converted graphs spell
 * hard-swish, becomes one node with bit-identical results; a variant whose
 * intermediate is also an output is left alone. */
static OmniNnGraph *
hard_swish_graph (gboolean expose_intermediate)
{
  OmniNnGraph *g = omni_nn_graph_new ();
  guint dims[3] = { 3, 5, 7 }, one = 1, t[5], i;
  OmniNnOpParams p = { 0 };
  gfloat *c = g_new (gfloat, 1), *three = g_new (gfloat, 1);
  guint wc, w3;

  *c = 0.16662598f;
  *three = 3.0f;
  for (i = 0; i < 5; i++)
    t[i] = omni_nn_graph_add_tensor (g, NULL, 3, dims, NULL);
  wc = omni_nn_graph_add_tensor (g, "c", 1, &one, c);
  w3 = omni_nn_graph_add_tensor (g, "three", 1, &one, three);
  g->input = t[0];
  g->input_h = 3;
  g->input_w = 5;
  g->input_c = 7;
  g->input_scale = 1;
  p.binary.n_dims = 3;
  for (i = 0; i < 3; i++) {
    p.binary.dims[i] = p.binary.a_dims[i] = dims[i];
    p.binary.b_dims[i] = 1;
  }
  p.binary.kind = OMNI_NN_BINARY_MUL;
  p.binary.swap = TRUE; /* Mul (c, x) */
  omni_nn_graph_add_node (g, OMNI_NN_OP_BINARY_CONST, "mul", &p, 1, &t[0], wc,
      OMNI_NN_NO_TENSOR, t[1]);
  p.binary.kind = OMNI_NN_BINARY_ADD;
  p.binary.swap = FALSE;
  omni_nn_graph_add_node (g, OMNI_NN_OP_BINARY_CONST, "add", &p, 1, &t[0], w3,
      OMNI_NN_NO_TENSOR, t[2]);
  {
    OmniNnOpParams a = { 0 };

    a.eltwise.n = 3 * 5 * 7;
    a.eltwise.activation = OMNI_NN_ACT_RELU6;
    omni_nn_graph_add_node (g, OMNI_NN_OP_ACTIVATION, "relu6", &a, 1, &t[2],
        OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, t[3]);
  }
  for (i = 0; i < 3; i++)
    p.binary.b_dims[i] = dims[i];
  p.binary.kind = OMNI_NN_BINARY_MUL;
  {
    guint ins[2] = { t[1], t[3] };

    omni_nn_graph_add_node (g, OMNI_NN_OP_BINARY, "mul_1", &p, 2, ins,
        OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, t[4]);
  }
  omni_nn_graph_add_output (g, "out", t[4]);
  if (expose_intermediate)
    omni_nn_graph_add_output (g, "relu6", t[3]);
  return g;
}

static void
run_cpu_one (const OmniNnGraph *g, const gfloat *x, gfloat *out)
{
  const OmniNnBackend *b = omni_nn_cpu_backend ();
  gpointer s = b->prepare (g, NULL, NULL);
  gfloat extra[3 * 5 * 7];
  gfloat *outs[2] = { out, extra };
  OmniNnInput in = { 0 };

  fail_unless (s != NULL);
  in.tensor = x;
  fail_unless (b->run (s, &in, outs, NULL));
  b->free (s);
}

GST_START_TEST (test_fuse_hard_swish)
{
  OmniNnGraph *plain = hard_swish_graph (FALSE),
              *fused = hard_swish_graph (FALSE);
  OmniNnGraph *kept = hard_swish_graph (TRUE);
  gfloat x[3 * 5 * 7], a[3 * 5 * 7], b[3 * 5 * 7];
  guint i;

  for (i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = -7.0f + 14.0f * i / G_N_ELEMENTS (x);
  fail_unless (omni_nn_graph_validate (plain, NULL));
  run_cpu_one (plain, x, a);
  fail_unless (omni_nn_graph_optimize (fused, NULL));
  fail_unless_equals_int (fused->nodes->len, 1);
  fail_unless_equals_int (
      omni_nn_graph_node (fused, 0)->op, OMNI_NN_OP_HARD_SWISH);
  run_cpu_one (fused, x, b);
  for (i = 0; i < G_N_ELEMENTS (x); i++)
    fail_unless (a[i] == b[i], "[%u] %g != %g", i, a[i], b[i]);
  fail_unless (omni_nn_graph_optimize (kept, NULL));
  fail_unless_equals_int (kept->nodes->len, 4);
  omni_nn_graph_free (plain);
  omni_nn_graph_free (fused);
  omni_nn_graph_free (kept);
}

GST_END_TEST;

/* Div (Mul (x, Clip (Add (x, 3), 0, 6)), 6), as ONNX exports spell
 * hard-swish, becomes one node (x * relu6 (x + 3) * (1/6): within an ulp
 * or two of the division); with the Clip also an output it is left alone. */
static OmniNnGraph *
onnx_hard_swish_graph (gboolean expose_intermediate)
{
  OmniNnGraph *g = omni_nn_graph_new ();
  guint dims[3] = { 3, 5, 7 }, one = 1, t[5], i;
  OmniNnOpParams p = { 0 }, u = { 0 };
  gfloat *three = g_new (gfloat, 1), *six = g_new (gfloat, 1);
  guint w3, w6, ins[2];

  *three = 3.0f;
  *six = 6.0f;
  for (i = 0; i < 5; i++)
    t[i] = omni_nn_graph_add_tensor (g, NULL, 3, dims, NULL);
  w3 = omni_nn_graph_add_tensor (g, "three", 1, &one, three);
  w6 = omni_nn_graph_add_tensor (g, "six", 1, &one, six);
  g->input = t[0];
  g->input_h = 3;
  g->input_w = 5;
  g->input_c = 7;
  g->input_scale = 1;
  p.binary.n_dims = 3;
  for (i = 0; i < 3; i++) {
    p.binary.dims[i] = p.binary.a_dims[i] = dims[i];
    p.binary.b_dims[i] = 1;
  }
  p.binary.kind = OMNI_NN_BINARY_ADD;
  omni_nn_graph_add_node (g, OMNI_NN_OP_BINARY_CONST, "add", &p, 1, &t[0], w3,
      OMNI_NN_NO_TENSOR, t[1]);
  u.unary.n = 3 * 5 * 7;
  u.unary.kind = OMNI_NN_UNARY_CLIP;
  u.unary.alpha = 0.0f;
  u.unary.beta = 6.0f;
  omni_nn_graph_add_node (g, OMNI_NN_OP_UNARY, "clip", &u, 1, &t[1],
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, t[2]);
  for (i = 0; i < 3; i++)
    p.binary.b_dims[i] = dims[i];
  p.binary.kind = OMNI_NN_BINARY_MUL;
  ins[0] = t[0];
  ins[1] = t[2];
  omni_nn_graph_add_node (g, OMNI_NN_OP_BINARY, "mul", &p, 2, ins,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, t[3]);
  for (i = 0; i < 3; i++)
    p.binary.b_dims[i] = 1;
  p.binary.kind = OMNI_NN_BINARY_DIV;
  omni_nn_graph_add_node (g, OMNI_NN_OP_BINARY_CONST, "div", &p, 1, &t[3], w6,
      OMNI_NN_NO_TENSOR, t[4]);
  omni_nn_graph_add_output (g, "out", t[4]);
  if (expose_intermediate)
    omni_nn_graph_add_output (g, "clip", t[2]);
  return g;
}

GST_START_TEST (test_fuse_onnx_hard_swish)
{
  OmniNnGraph *plain = onnx_hard_swish_graph (FALSE),
              *fused = onnx_hard_swish_graph (FALSE);
  OmniNnGraph *kept = onnx_hard_swish_graph (TRUE);
  gfloat x[3 * 5 * 7], a[3 * 5 * 7], b[3 * 5 * 7];
  guint i;

  for (i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = -7.0f + 14.0f * i / G_N_ELEMENTS (x);
  fail_unless (omni_nn_graph_validate (plain, NULL));
  run_cpu_one (plain, x, a);
  fail_unless (omni_nn_graph_optimize (fused, NULL));
  fail_unless_equals_int (fused->nodes->len, 1);
  fail_unless_equals_int (
      omni_nn_graph_node (fused, 0)->op, OMNI_NN_OP_HARD_SWISH);
  run_cpu_one (fused, x, b);
  for (i = 0; i < G_N_ELEMENTS (x); i++) {
    gdouble want = x[i] * CLAMP (x[i] + 3.0, 0.0, 6.0) / 6.0;

    fail_unless (fabs (a[i] - want) <= 1e-6 * MAX (fabs (want), 1e-3));
    fail_unless (fabs (b[i] - a[i]) <= 3e-7 * MAX (fabs (a[i]), 1e-3),
        "[%u] %g != %g", i, a[i], b[i]);
  }
  fail_unless (omni_nn_graph_optimize (kept, NULL));
  fail_unless_equals_int (kept->nodes->len, 4);
  omni_nn_graph_free (plain);
  omni_nn_graph_free (fused);
  omni_nn_graph_free (kept);
}

GST_END_TEST;

/* pointwise (8 -> 6) -> depthwise 3x3 (6) -> pointwise (6 -> 8): padded to
 * 8 channels by omni_nn_graph_pad_channels(), the same results. */
static gfloat *
random_const (GRand *r, gsize n)
{
  gfloat *v = g_new (gfloat, n);
  gsize i;

  for (i = 0; i < n; i++)
    v[i] = (gfloat) g_rand_double_range (r, -1, 1);
  return v;
}

static OmniNnGraph *
separable_graph (void)
{
  OmniNnGraph *g = omni_nn_graph_new ();
  GRand *r = g_rand_new_with_seed (11);
  guint in_dims[3] = { 5, 7, 8 }, mid[3] = { 5, 7, 6 }, w1d[2] = { 8, 6 };
  guint b6 = 6, dwd[4] = { 3, 3, 6, 1 }, w2d[2] = { 6, 8 }, b8 = 8;
  guint t0, t1, t2, t3;
  OmniNnOpParams p = { 0 };

  t0 = omni_nn_graph_add_tensor (g, NULL, 3, in_dims, NULL);
  t1 = omni_nn_graph_add_tensor (g, NULL, 3, mid, NULL);
  t2 = omni_nn_graph_add_tensor (g, NULL, 3, mid, NULL);
  t3 = omni_nn_graph_add_tensor (g, NULL, 3, in_dims, NULL);
  g->input = t0;
  g->input_h = 5;
  g->input_w = 7;
  g->input_c = 8;
  g->input_scale = 1;
  p.gemm = (OmniNnGemmParams){ 35, 8, 6, OMNI_NN_ACT_RELU };
  omni_nn_graph_add_node (g, OMNI_NN_OP_POINTWISE_CONV2D, "p1", &p, 1, &t0,
      omni_nn_graph_add_tensor (g, "w1", 2, w1d, random_const (r, 48)),
      omni_nn_graph_add_tensor (g, "b1", 1, &b6, random_const (r, 6)), t1);
  memset (&p, 0, sizeof (p));
  p.depthwise = (OmniNnDepthwiseConv2dParams){ 5, 7, 6, 5, 7, 6, 3, 3, 1, 1, 1,
    1, 1, 1, 1, OMNI_NN_ACT_RELU6 };
  omni_nn_graph_add_node (g, OMNI_NN_OP_DEPTHWISE_CONV2D, "dw", &p, 1, &t1,
      omni_nn_graph_add_tensor (g, "wd", 4, dwd, random_const (r, 54)),
      omni_nn_graph_add_tensor (g, "bd", 1, &b6, random_const (r, 6)), t2);
  memset (&p, 0, sizeof (p));
  p.gemm = (OmniNnGemmParams){ 35, 6, 8, OMNI_NN_ACT_NONE };
  omni_nn_graph_add_node (g, OMNI_NN_OP_POINTWISE_CONV2D, "p2", &p, 1, &t2,
      omni_nn_graph_add_tensor (g, "w2", 2, w2d, random_const (r, 48)),
      omni_nn_graph_add_tensor (g, "b2", 1, &b8, random_const (r, 8)), t3);
  omni_nn_graph_add_output (g, "out", t3);
  g_rand_free (r);
  return g;
}

GST_START_TEST (test_pad_channels)
{
  OmniNnGraph *plain = separable_graph (), *padded = separable_graph ();
  gfloat x[5 * 7 * 8], a[5 * 7 * 8], b[5 * 7 * 8];
  guint i;

  for (i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = (gfloat) sin (i * 0.37);
  fail_unless (omni_nn_graph_validate (plain, NULL));
  run_cpu_one (plain, x, a);
  fail_unless_equals_int (omni_nn_graph_pad_channels (padded), 1);
  fail_unless (omni_nn_graph_validate (padded, NULL));
  fail_unless_equals_int (omni_nn_graph_node (padded, 0)->params.gemm.n, 8);
  fail_unless_equals_int (
      omni_nn_graph_node (padded, 1)->params.depthwise.in_c, 8);
  fail_unless_equals_int (omni_nn_graph_node (padded, 2)->params.gemm.k, 8);
  run_cpu_one (padded, x, b);
  for (i = 0; i < G_N_ELEMENTS (x); i++)
    fail_unless (a[i] == b[i], "[%u] %g != %g", i, a[i], b[i]);
  omni_nn_graph_free (plain);
  omni_nn_graph_free (padded);
}

GST_END_TEST;

/* Every op has one complete descriptor: its name, a validator, a shape
 * rule, and (for ops a graph may contain) a C reference; the shape rule
 * agrees with the parameters of a hand-made node. */
GST_START_TEST (test_op_registry)
{
  OmniNnOpParams p = { 0 };
  guint op, n_dims = 0, dims[OMNI_NN_MAX_DIMS];

  for (op = 0; op < OMNI_NN_OP_N_OPS; op++) {
    const OmniNnOpInfo *info = omni_nn_op_info (op);

    fail_unless (info != NULL, "op %u has no descriptor", op);
    fail_unless_equals_int (info->op, op);
    fail_unless (info->name && *info->name);
    fail_unless_equals_string (omni_nn_op_type_name (op), info->name);
    fail_unless (info->validate != NULL && info->infer_shape != NULL);
    fail_unless (!info->in_graph || info->reference != NULL, "%s", info->name);
  }
  fail_unless (omni_nn_op_info (OMNI_NN_OP_N_OPS) == NULL);
  fail_unless_equals_string (
      omni_nn_op_type_name (OMNI_NN_OP_N_OPS), "unknown");

  p.conv2d.out_h = 5;
  p.conv2d.out_w = 7;
  p.conv2d.out_c = 3;
  p.conv2d.kernel_h = p.conv2d.kernel_w = 3;
  p.conv2d.in_c = 2;
  fail_unless (
      omni_nn_op_info (OMNI_NN_OP_CONV2D)->infer_shape (&p, &n_dims, dims));
  fail_unless_equals_int (n_dims, 3);
  fail_unless (dims[0] == 5 && dims[1] == 7 && dims[2] == 3);
  fail_unless_equals_uint64 (
      omni_nn_op_info (OMNI_NN_OP_CONV2D)->count_macs (&p), 5 * 7 * 3 * 9 * 2);
}

GST_END_TEST;

static Suite *
nnref_suite (void)
{
  Suite *s = suite_create ("nnref");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_padding_arithmetic);
  tcase_add_test (tc, test_conv2d_by_hand);
  tcase_add_test (tc, test_conv2d_odd_shapes);
  tcase_add_test (tc, test_depthwise_vs_conv);
  tcase_add_test (tc, test_gemm_odd_shapes);
  tcase_add_test (tc, test_small_ops_by_hand);
  tcase_add_test (tc, test_preprocess_packed);
  tcase_add_test (tc, test_preprocess_formats);
  tcase_add_test (tc, test_preprocess_yuv);
  tcase_add_test (tc, test_preprocess_from_video_info);
  tcase_add_test (tc, test_graph_optimize_preserves_results);
  tcase_add_test (tc, test_graph_validate_rejects);
  tcase_add_test (tc, test_op_registry);
  tcase_add_test (tc, test_fuse_hard_swish);
  tcase_add_test (tc, test_fuse_onnx_hard_swish);
  tcase_add_test (tc, test_pad_channels);
  return s;
}

GST_CHECK_MAIN (nnref);
