/* gst-omni: the ops added for ONNX (strided, unary, reduce, lstm,
 * conv-transpose): Vulkan against the C reference on odd shapes
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each case is a one-node graph on sizes that are not multiples of 4,
 * negative and zero steps, every padding mode, every unary and reduction
 * kind, strides 2 and 3 with dilation; the Vulkan backend (lavapipe, under
 * the validation layer) must equal the CPU backend within 1e-4 relative.
 * And the order of the convolutions' sums on both (test_sum_order).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <omni/nn/omninncpu.h>
#include <omni/nn/omninnop.h>
#include <omni/nn/vulkan/omninnvulkan.h>
#include <math.h>
#include <string.h>

#define TOL 1e-4

static gfloat *
random_values (gsize n, guint32 seed, gdouble lo, gdouble hi)
{
  GRand *r = g_rand_new_with_seed (seed);
  gfloat *v = g_new (gfloat, MAX (n, 1));
  gsize i;

  for (i = 0; i < n; i++)
    v[i] = (gfloat) g_rand_double_range (r, lo, hi);
  g_rand_free (r);
  return v;
}

/* A graph input [h, w, c] and one node reading it, output of @out_n
 * values. An LSTM reads X and its state from two slices of the input. */
static OmniNnGraph *
one_node_hwc (OmniNnOpType op, const OmniNnOpParams *p, const guint *dims,
    gsize out_n, guint n_inputs, gfloat *w, gsize wn, gfloat *b, gsize bn)
{
  OmniNnGraph *g = omni_nn_graph_new ();
  guint od = (guint) out_n, wd, bd, in, out, ins[2], k;
  guint wt = OMNI_NN_NO_TENSOR, bt = OMNI_NN_NO_TENSOR;

  in = omni_nn_graph_add_tensor (g, "input", 3, dims, NULL);
  g->input = in;
  g->input_h = dims[0];
  g->input_w = dims[1];
  g->input_c = dims[2];
  g->input_scale = 1.0f;
  ins[0] = ins[1] = in;
  if (op == OMNI_NN_OP_LSTM) {
    const OmniNnLstmParams *l = &p->lstm;
    guint part[2] = { l->seq * l->in, 2 * l->hidden };

    for (k = 0; k < 2; k++) {
      OmniNnOpParams q = { 0 };

      q.strided.n_dims = 1;
      q.strided.dims[0] = q.strided.extent[0] = part[k];
      q.strided.step[0] = q.strided.stride[0] = 1;
      q.strided.offset = k ? part[0] : 0;
      q.strided.in_n = dims[0] * dims[1] * dims[2];
      ins[k] = omni_nn_graph_add_tensor (g, NULL, 1, &part[k], NULL);
      omni_nn_graph_add_node (g, OMNI_NN_OP_STRIDED, "slice", &q, 1, &in,
          OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, ins[k]);
    }
  }
  out = omni_nn_graph_add_tensor (g, "out", 1, &od, NULL);
  if (w) {
    wd = (guint) wn;
    wt = omni_nn_graph_add_tensor (g, "w", 1, &wd, w);
  }
  if (b) {
    bd = (guint) bn;
    bt = omni_nn_graph_add_tensor (g, "b", 1, &bd, b);
  }
  omni_nn_graph_add_node (g, op, "op", p, n_inputs, ins, wt, bt, out);
  omni_nn_graph_add_output (g, "out", out);
  return g;
}

static OmniNnGraph *
one_node (OmniNnOpType op, const OmniNnOpParams *p, gsize in_n, gsize out_n,
    guint n_inputs, gfloat *w, gsize wn, gfloat *b, gsize bn)
{
  guint dims[3] = { 1, 1, (guint) in_n };

  return one_node_hwc (op, p, dims, out_n, n_inputs, w, wn, b, bn);
}

/* Runs @g on both backends with random input; compares. */
static void
compare (OmniNnGraph *g, const gchar *what, gdouble lo, gdouble hi)
{
  const OmniNnTensor *in = omni_nn_graph_tensor (g, g->input);
  gsize n = omni_nn_graph_tensor (g, omni_nn_graph_output (g, 0)->tensor)
                ->n_elements,
        i;
  gfloat *x = random_values (in->n_elements, 7, lo, hi);
  gfloat *a = g_new0 (gfloat, n), *b = g_new0 (gfloat, n);
  const OmniNnBackend *cpu = omni_nn_cpu_backend (),
                      *vk = omni_nn_vulkan_backend ();
  OmniNnInput input = { 0 };
  GError *err = NULL;
  gpointer sc, sv;

  fail_unless (omni_nn_graph_validate (g, &err), "%s: %s", what,
      err ? err->message : "");
  sc = cpu->prepare (g, NULL, &err);
  fail_unless (sc != NULL, "%s: %s", what, err ? err->message : "");
  sv = vk->prepare (g, NULL, &err);
  fail_unless (sv != NULL, "%s: %s", what, err ? err->message : "");
  input.tensor = x;
  fail_unless (cpu->run (sc, &input, &a, &err));
  fail_unless (
      vk->run (sv, &input, &b, &err), "%s: %s", what, err ? err->message : "");
  for (i = 0; i < n; i++) {
    gboolean same = (isnan (a[i]) && isnan (b[i]))
                    || fabs (a[i] - b[i]) <= TOL * MAX (1.0, fabs (a[i]));

    fail_unless (same, "%s [%" G_GSIZE_FORMAT "]: vulkan %.7g, C %.7g", what, i,
        b[i], a[i]);
  }
  cpu->free (sc);
  vk->free (sv);
  g_free (x);
  g_free (a);
  g_free (b);
  omni_nn_graph_free (g);
}

GST_START_TEST (test_strided)
{
  /* a [5, 7, 3] source: transpose with a reversed axis and reflect/edge
   * padding, a zero-step broadcast, a strided slice with an offset */
  static const OmniNnPadMode modes[]
      = { OMNI_NN_PAD_CONSTANT, OMNI_NN_PAD_REFLECT, OMNI_NN_PAD_EDGE };
  guint m;

  for (m = 0; m < G_N_ELEMENTS (modes); m++) {
    OmniNnOpParams p = { 0 };
    OmniNnStridedParams *s = &p.strided;
    gchar *what = g_strdup_printf ("strided mode %u", m);

    s->n_dims = 4;
    s->dims[0] = 3; /* channels, reversed */
    s->extent[0] = 3;
    s->start[0] = 2;
    s->step[0] = -1;
    s->stride[0] = 1;
    s->dims[1] = 9; /* rows 5 + 2 + 2 padded */
    s->extent[1] = 5;
    s->start[1] = -2;
    s->step[1] = 1;
    s->stride[1] = 21;
    s->dims[2] = 4; /* every other column from 1 */
    s->extent[2] = 7;
    s->start[2] = 1;
    s->step[2] = 2;
    s->stride[2] = 3;
    s->dims[3] = 2; /* a broadcast */
    s->extent[3] = 1;
    s->step[3] = 0;
    s->in_n = 105;
    s->mode = modes[m];
    s->value = 0.25f;
    compare (one_node (OMNI_NN_OP_STRIDED, &p, 105, 3 * 9 * 4 * 2, 1, NULL, 0,
                 NULL, 0),
        what, -2, 2);
    g_free (what);
  }
}

GST_END_TEST;

GST_START_TEST (test_unary)
{
  guint k;

  for (k = 0; k < OMNI_NN_UNARY_N_KINDS; k++) {
    OmniNnOpParams p = { 0 };
    gchar *what = g_strdup_printf ("unary kind %u", k);
    /* positive inputs where the function needs them */
    gboolean pos = k == OMNI_NN_UNARY_SQRT || k == OMNI_NN_UNARY_LOG
                   || k == OMNI_NN_UNARY_POW;

    p.unary.n = 37;
    p.unary.kind = (OmniNnUnaryKind) k;
    p.unary.alpha = k == OMNI_NN_UNARY_POW
                        ? 1.7f
                        : (k == OMNI_NN_UNARY_CLIP ? -0.5f : 0.2f);
    p.unary.beta = k == OMNI_NN_UNARY_CLIP ? 0.75f : 0.5f;
    compare (one_node (OMNI_NN_OP_UNARY, &p, 37, 37, 1, NULL, 0, NULL, 0), what,
        pos ? 0.05 : -3, 3);
    g_free (what);
  }
}

GST_END_TEST;

GST_START_TEST (test_reduce)
{
  guint k;

  for (k = 0; k <= OMNI_NN_REDUCE_SUM_SQUARE; k++) {
    OmniNnOpParams p = { 0 };
    gchar *what = g_strdup_printf ("reduce kind %u", k);

    p.reduce.outer = 3;
    p.reduce.n = 7;
    p.reduce.inner = 5;
    p.reduce.kind = (OmniNnReduceKind) k;
    compare (one_node (OMNI_NN_OP_REDUCE, &p, 105, 15, 1, NULL, 0, NULL, 0),
        what, -2, 2);
    g_free (what);
  }
}

GST_END_TEST;

GST_START_TEST (test_lstm)
{
  guint rev;

  /* the input holds X [6, 3] then the state [2 * 9] */
  for (rev = 0; rev < 2; rev++) {
    OmniNnOpParams p = { 0 };
    guint H = 9, in = 3, seq = 6;
    gsize wn = (gsize) 4 * H * (in + H);
    gfloat *w = random_values (wn, 11, -0.5, 0.5);
    gfloat *b = random_values (4 * H, 12, -0.5, 0.5);
    gchar *what = g_strdup_printf ("lstm reverse %u", rev);

    p.lstm.seq = seq;
    p.lstm.in = in;
    p.lstm.hidden = H;
    p.lstm.reverse = rev;
    compare (one_node (OMNI_NN_OP_LSTM, &p, seq * in + 2 * H, (seq + 2) * H, 2,
                 w, wn, b, 4 * H),
        what, -1, 1);
    g_free (what);
  }
}

GST_END_TEST;

GST_START_TEST (test_conv_transpose)
{
  static const guint cfg[][6] = {
    /* stride h, w, dilation h, w, pad top, left */
    { 2, 2, 1, 1, 0, 0 },
    { 3, 2, 1, 2, 1, 2 },
    { 1, 1, 2, 1, 1, 0 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cfg); i++) {
    OmniNnOpParams p = { 0 };
    OmniNnConv2dParams *c = &p.conv2d;
    const guint in_dims[3] = { 5, 7, 3 };
    gsize wn;
    gfloat *w, *b;
    gchar *what = g_strdup_printf ("conv-transpose %u", i);

    c->in_h = 5;
    c->in_w = 7;
    c->in_c = 3;
    c->out_c = 5;
    c->kernel_h = 3;
    c->kernel_w = 2;
    c->stride_h = cfg[i][0];
    c->stride_w = cfg[i][1];
    c->dilation_h = cfg[i][2];
    c->dilation_w = cfg[i][3];
    c->pad_top = (gint) cfg[i][4];
    c->pad_left = (gint) cfg[i][5];
    c->out_h = (c->in_h - 1) * c->stride_h + (c->kernel_h - 1) * c->dilation_h
               + 1 - 2 * c->pad_top;
    c->out_w = (c->in_w - 1) * c->stride_w + (c->kernel_w - 1) * c->dilation_w
               + 1 - 2 * c->pad_left;
    c->activation = i == 1 ? OMNI_NN_ACT_RELU : OMNI_NN_ACT_NONE;
    wn = (gsize) c->kernel_h * c->kernel_w * c->in_c * c->out_c;
    w = random_values (wn, 21 + i, -1, 1);
    b = random_values (c->out_c, 31 + i, -1, 1);
    compare (one_node_hwc (OMNI_NN_OP_CONV_TRANSPOSE, &p, in_dims,
                 (gsize) c->out_h * c->out_w * c->out_c, 1, w, wn, b, c->out_c),
        what, -1, 1);
    g_free (what);
  }
}

GST_END_TEST;

/* Runs @g on the CPU backend (XNNPACK) and on Vulkan with input @x; each
 * output must be @want exactly. */
static void
run_exact (OmniNnGraph *g, const gchar *what, const gfloat *x, gfloat want)
{
  const OmniNnBackend *backends[2]
      = { omni_nn_cpu_backend (), omni_nn_vulkan_backend () };
  OmniNnInput input = { 0 };
  GError *err = NULL;
  gfloat y[4], *py = y;
  guint k, i;

  input.tensor = x;
  for (k = 0; k < 2; k++) {
    gpointer st = backends[k]->prepare (g, NULL, &err);

    fail_unless (st != NULL, "%s: %s", what, err ? err->message : "");
    fail_unless (backends[k]->run (st, &input, &py, &err), "%s: %s", what,
        err ? err->message : "");
    for (i = 0; i < 4; i++)
      fail_unless (y[i] == want, "%s on %s [%u]: %.9g, want %.9g", what,
          backends[k]->device_name (st), i, y[i], want);
    backends[k]->free (st);
  }
  omni_nn_graph_free (g);
}

/* The order of the convolutions' float32 sums, as onnxruntime's (MLAS's
 * NCHWc kernels: a partial sum per block of input channels, added in
 * order) for an ONNX model's node (sum_blocks), else in one accumulator
 * (XNNPACK's, TF.js's): 1 followed by values of 2^-24 that one accumulator
 * loses (1 + 2^-24 ties to 1) while the later blocks sum them exactly. A
 * pointwise convolution of 1 + 255 x 2^-24 over blocks of 128 channels is
 * 1 + 2^-17; a 3x3 convolution reading 1, 31 zeros and 32 x 2^-24 (its
 * centre tap) is 1 + 2^-19 with blocks of 16 (Vulkan, MLAS's) or 32
 * (XNNPACK); 1 in one accumulator. */
static void
sum_order_case (gboolean sum_blocks)
{
  OmniNnOpParams p = { 0 };
  guint dims[3] = { 1, 1, 256 };
  gfloat x[256], *w;
  guint i;

  for (i = 0; i < 256; i++)
    x[i] = i == 0 ? 1.0f : ldexpf (1.0f, -24);
  w = g_new (gfloat, 256 * 4);
  for (i = 0; i < 256 * 4; i++)
    w[i] = 1.0f;
  p.gemm = (OmniNnGemmParams){ 1, 256, 4, OMNI_NN_ACT_NONE, 0.0f, sum_blocks };
  run_exact (one_node_hwc (OMNI_NN_OP_POINTWISE_CONV2D, &p, dims, 4, 1, w,
                 256 * 4, NULL, 0),
      "pointwise over 256 channels", x,
      sum_blocks ? 1.0f + ldexpf (1.0f, -17) : 1.0f);

  for (i = 0; i < 64; i++)
    x[i] = i == 0 ? 1.0f : i < 32 ? 0.0f : ldexpf (1.0f, -24);
  dims[2] = 64;
  w = g_new (gfloat, 9 * 64 * 4);
  for (i = 0; i < 9 * 64 * 4; i++)
    w[i] = 1.0f;
  memset (&p, 0, sizeof (p));
  p.conv2d = (OmniNnConv2dParams){ 1, 1, 64, 1, 1, 4, 3, 3, 1, 1, 1, 1, 1, 1,
    OMNI_NN_ACT_NONE, 0.0f, sum_blocks };
  run_exact (
      one_node_hwc (OMNI_NN_OP_CONV2D, &p, dims, 4, 1, w, 9 * 64 * 4, NULL, 0),
      "3x3 convolution over 64 channels", x,
      sum_blocks ? 1.0f + ldexpf (1.0f, -19) : 1.0f);
}

GST_START_TEST (test_sum_order)
{
  fail_unless (omni_nn_cpu_has_xnnpack ());
  sum_order_case (TRUE);
  sum_order_case (FALSE);
}

GST_END_TEST;

static Suite *
onnxops_suite (void)
{
  Suite *s = suite_create ("onnxops");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_strided);
  tcase_add_test (tc, test_unary);
  tcase_add_test (tc, test_reduce);
  tcase_add_test (tc, test_lstm);
  tcase_add_test (tc, test_conv_transpose);
  tcase_add_test (tc, test_sum_order);
  return s;
}

GST_CHECK_MAIN (onnxops);
