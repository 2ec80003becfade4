/* gst-omni: the CPU backend's XNNPACK fast paths against the plain-C
 * references, op by op on odd shapes
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each case is a small graph whose last node has a fast path (the nodes
 * before it, slices, only cut the graph input into operands): sizes that
 * are not multiples of 4 or 8, strides 2 and 3, dilation, asymmetric
 * padding, depth multipliers, every fused activation (the ReLUs as
 * XNNPACK's clamp, leaky ReLU and hard-swish applied after it), NumPy
 * broadcasting of every binary kind, swapped constants. The device name
 * must say the node ran on XNNPACK, and the outputs must equal
 * omni_nn_cpu_reference_backend() within 1e-4 relative.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <omni/nn/omninncpu.h>
#include <omni/nn/omninnop.h>
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

static guint
const_tensor (OmniNnGraph *g, gsize n, guint32 seed)
{
  guint d = (guint) n;

  if (!n)
    return OMNI_NN_NO_TENSOR;
  return omni_nn_graph_add_tensor (
      g, "const", 1, &d, random_values (n, seed, -1.0, 1.0));
}

/* The graph input [h, w, c]; for a two-input node, two slices of it of
 * @a_n and @b_n values (consecutive, so different). Then the node, with
 * @wn weights and @bn bias values (0: none). */
static OmniNnGraph *
case_graph (OmniNnOpType op, const OmniNnOpParams *p, const guint in[3],
    gsize a_n, gsize b_n, gsize wn, gsize bn)
{
  OmniNnGraph *g = omni_nn_graph_new ();
  const OmniNnOpInfo *info = omni_nn_op_info (op);
  guint ins[2], dims[OMNI_NN_MAX_DIMS], n_dims, out, k;
  guint wt, bt;

  ins[0] = ins[1] = g->input
      = omni_nn_graph_add_tensor (g, "input", 3, in, NULL);
  g->input_h = in[0];
  g->input_w = in[1];
  g->input_c = in[2];
  g->input_scale = 1.0f;
  if (info->n_inputs == 2) {
    for (k = 0; k < 2; k++) {
      OmniNnOpParams q = { 0 };
      guint len = (guint) (k ? b_n : a_n);

      q.slice.outer = 1;
      q.slice.in_len = in[0] * in[1] * in[2];
      q.slice.offset = k ? (guint) a_n : 0;
      q.slice.out_len = len;
      q.slice.inner = 1;
      ins[k] = omni_nn_graph_add_tensor (g, NULL, 1, &len, NULL);
      omni_nn_graph_add_node (g, OMNI_NN_OP_SLICE, "slice", &q, 1, &g->input,
          OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, ins[k]);
    }
  }
  fail_unless (info->infer_shape (p, &n_dims, dims));
  out = omni_nn_graph_add_tensor (g, "out", n_dims, dims, NULL);
  wt = const_tensor (g, wn, 11);
  bt = const_tensor (g, bn, 13);
  omni_nn_graph_add_node (g, op, "op", p, info->n_inputs, ins, wt, bt, out);
  omni_nn_graph_add_output (g, "out", out);
  return g;
}

/* Runs @g on the CPU backend (XNNPACK) and the reference; compares. */
static void
compare (OmniNnGraph *g, const gchar *what, gdouble lo, gdouble hi)
{
  const OmniNnTensor *in = omni_nn_graph_tensor (g, g->input);
  gsize n = omni_nn_graph_tensor (g, omni_nn_graph_output (g, 0)->tensor)
                ->n_elements,
        i;
  gfloat *x = random_values (in->n_elements, 7, lo, hi);
  gfloat *a = g_new0 (gfloat, n), *b = g_new0 (gfloat, n);
  const OmniNnBackend *fast = omni_nn_cpu_backend (),
                      *ref = omni_nn_cpu_reference_backend ();
  OmniNnInput input = { 0 };
  GError *err = NULL;
  gchar *expect;
  gpointer sf, sr;

  fail_unless (omni_nn_graph_validate (g, &err), "%s: %s", what,
      err ? err->message : "");
  sf = fast->prepare (g, NULL, &err);
  fail_unless (sf != NULL, "%s: %s", what, err ? err->message : "");
  sr = ref->prepare (g, NULL, &err);
  fail_unless (sr != NULL, "%s: %s", what, err ? err->message : "");
  /* the node under test, and only it, ran on XNNPACK */
  expect = g_strdup_printf ("1 of %u nodes", g->nodes->len);
  fail_unless (strstr (fast->device_name (sf), "XNNPACK") != NULL
                   && strstr (fast->device_name (sf), expect) != NULL,
      "%s: %s", what, fast->device_name (sf));
  g_free (expect);
  input.tensor = x;
  /* twice: the operators are set up once and must run again */
  fail_unless (fast->run (sf, &input, &a, &err));
  memset (a, 0, n * sizeof (gfloat));
  fail_unless (fast->run (sf, &input, &a, &err));
  fail_unless (ref->run (sr, &input, &b, &err));
  for (i = 0; i < n; i++) {
    gboolean same = fabs (a[i] - b[i]) <= TOL * MAX (1.0, fabs (b[i]));

    fail_unless (same, "%s [%" G_GSIZE_FORMAT "]: XNNPACK %.7g, C %.7g", what,
        i, a[i], b[i]);
  }
  fast->free (sf);
  ref->free (sr);
  g_free (x);
  g_free (a);
  g_free (b);
  omni_nn_graph_free (g);
}

static void
conv_case (guint h, guint w, guint cin, guint cout, guint k_h, guint k_w,
    guint stride, guint dil, gint pad_top, gint pad_left, guint out_h,
    guint out_w, OmniNnActivation act, gboolean bias)
{
  OmniNnOpParams p = { 0 };
  guint in[3] = { h, w, cin };
  gchar *what;

  p.conv2d = (OmniNnConv2dParams){ h, w, cin, out_h, out_w, cout, k_h, k_w,
    stride, stride, dil, dil, pad_top, pad_left, act,
    act == OMNI_NN_ACT_HARD_SWISH ? 1.0f / 6.0f : 0.1f };
  /* over 32 channels, the blocks of an ONNX model's convolution */
  p.conv2d.sum_blocks = cin > 32;
  what = g_strdup_printf ("conv2d %ux%ux%u k%ux%u s%u d%u -> %ux%ux%u %s", h, w,
      cin, k_h, k_w, stride, dil, out_h, out_w, cout,
      omni_nn_activation_name (act));
  compare (case_graph (OMNI_NN_OP_CONV2D, &p, in, 0, 0,
               (gsize) k_h * k_w * cin * cout, bias ? cout : 0),
      what, -2.0, 2.0);
  g_free (what);
}

GST_START_TEST (test_conv2d)
{
  fail_unless (omni_nn_cpu_has_xnnpack ());
  /* SAME 3x3 stride 1 (pad 1 both sides) */
  conv_case (13, 11, 5, 7, 3, 3, 1, 1, 1, 1, 13, 11, OMNI_NN_ACT_RELU6, TRUE);
  /* SAME stride 2 on odd sizes: the odd padding pixel after */
  conv_case (13, 11, 3, 9, 3, 3, 2, 1, 1, 1, 7, 6, OMNI_NN_ACT_RELU, TRUE);
  /* VALID stride 3 with rows left over, dilation 2, no bias */
  conv_case (17, 14, 6, 5, 3, 3, 3, 2, 0, 0, 5, 4, OMNI_NN_ACT_NONE, FALSE);
  /* an asymmetric 5x3 kernel; leaky ReLU and hard-swish after XNNPACK */
  conv_case (
      9, 10, 4, 11, 5, 3, 1, 1, 2, 1, 9, 10, OMNI_NN_ACT_LEAKY_RELU, TRUE);
  conv_case (8, 7, 3, 6, 3, 3, 2, 1, 0, 0, 3, 3, OMNI_NN_ACT_HARD_SWISH, TRUE);
  /* more input channels than a block of the sums (XNN_SUM_BLOCK, 32): one
   * operator per block, the last one shorter, bias and clamp after */
  conv_case (9, 7, 80, 12, 3, 3, 1, 1, 1, 1, 9, 7, OMNI_NN_ACT_RELU6, TRUE);
  conv_case (
      10, 9, 70, 5, 3, 3, 2, 1, 1, 1, 5, 5, OMNI_NN_ACT_HARD_SWISH, FALSE);
}

GST_END_TEST;

static void
depthwise_case (guint h, guint w, guint c, guint mult, guint k, guint stride,
    guint dil, gint pad, guint out_h, guint out_w, OmniNnActivation act)
{
  OmniNnOpParams p = { 0 };
  guint in[3] = { h, w, c };
  gchar *what;

  p.depthwise = (OmniNnDepthwiseConv2dParams){ h, w, c, out_h, out_w, c * mult,
    k, k, stride, stride, dil, dil, pad, pad, mult, act, 0.2f };
  what = g_strdup_printf ("depthwise %ux%ux%u x%u k%u s%u d%u %s", h, w, c,
      mult, k, stride, dil, omni_nn_activation_name (act));
  compare (case_graph (OMNI_NN_OP_DEPTHWISE_CONV2D, &p, in, 0, 0,
               (gsize) k * k * c * mult, (gsize) c * mult),
      what, -2.0, 2.0);
  g_free (what);
}

GST_START_TEST (test_depthwise)
{
  depthwise_case (13, 11, 6, 1, 3, 1, 1, 1, 13, 11, OMNI_NN_ACT_RELU6);
  depthwise_case (13, 11, 5, 1, 3, 2, 1, 1, 7, 6, OMNI_NN_ACT_RELU);
  depthwise_case (12, 9, 3, 3, 3, 1, 2, 2, 12, 9, OMNI_NN_ACT_NONE);
  depthwise_case (15, 10, 7, 2, 5, 2, 1, 2, 8, 5, OMNI_NN_ACT_LEAKY_RELU);
}

GST_END_TEST;

GST_START_TEST (test_gemm)
{
  OmniNnOpParams p = { 0 };
  guint in_pw[3] = { 11, 13, 19 }, in_fc[3] = { 1, 1, 37 };

  p.gemm = (OmniNnGemmParams){ 143, 19, 23, OMNI_NN_ACT_RELU, 0.0f };
  compare (
      case_graph (OMNI_NN_OP_POINTWISE_CONV2D, &p, in_pw, 0, 0, 19 * 23, 23),
      "pointwise 143x19x23 relu", -1.0, 1.0);
  p.gemm = (OmniNnGemmParams){ 143, 19, 5, OMNI_NN_ACT_LEAKY_RELU, 0.1f };
  compare (case_graph (OMNI_NN_OP_POINTWISE_CONV2D, &p, in_pw, 0, 0, 19 * 5, 0),
      "pointwise 143x19x5 leaky", -1.0, 1.0);
  /* over 128 input channels: blocks of 128 (the last shorter) */
  p.gemm = (OmniNnGemmParams){ 35, 300, 9, OMNI_NN_ACT_RELU6, 0.0f, TRUE };
  compare (case_graph (OMNI_NN_OP_POINTWISE_CONV2D, &p, (guint[3]){ 5, 7, 300 },
               0, 0, 300 * 9, 9),
      "pointwise 35x300x9 relu6", -1.0, 1.0);
  p.gemm = (OmniNnGemmParams){ 6, 257, 4, OMNI_NN_ACT_LEAKY_RELU, 0.1f, TRUE };
  compare (case_graph (OMNI_NN_OP_POINTWISE_CONV2D, &p, (guint[3]){ 2, 3, 257 },
               0, 0, 257 * 4, 0),
      "pointwise 6x257x4 leaky", -1.0, 1.0);
  p.gemm = (OmniNnGemmParams){ 1, 37, 11, OMNI_NN_ACT_NONE, 0.0f };
  compare (case_graph (OMNI_NN_OP_DENSE, &p, in_fc, 0, 0, 37 * 11, 11),
      "dense 37x11", -1.0, 1.0);
}

GST_END_TEST;

/* The order of the sums, not only their precision: a pointwise
 * convolution of 1 + 255 x 2^-24 with unit weights. Summed in one float32
 * accumulator each 2^-24 rounds away (1 + 2^-24 ties to 1): XNNPACK's (and
 * TF.js's) order, kept for a node without sum_blocks. onnxruntime's blocks
 * of 128 channels give 1 + 128 x 2^-24 = 1 + 2^-17 exactly (the second
 * block sums its 128 values exactly, then one addition), and so must an
 * ONNX model's node (sum_blocks). */
static gfloat
sum_blocks_case (gboolean sum_blocks)
{
  OmniNnGraph *g = omni_nn_graph_new ();
  OmniNnOpParams p = { 0 };
  guint in[3] = { 1, 1, 256 }, wd = 256, od[3] = { 1, 1, 1 }, out;
  gfloat *w = g_new (gfloat, 256), x[256], y = 0, *py = &y;
  const OmniNnBackend *fast = omni_nn_cpu_backend ();
  OmniNnInput input = { 0 };
  GError *err = NULL;
  gpointer st;
  guint i;

  fail_unless (omni_nn_cpu_has_xnnpack ());
  for (i = 0; i < 256; i++) {
    w[i] = 1.0f;
    x[i] = i == 0 ? 1.0f : ldexpf (1.0f, -24);
  }
  g->input = omni_nn_graph_add_tensor (g, "input", 3, in, NULL);
  g->input_h = g->input_w = 1;
  g->input_c = 256;
  g->input_scale = 1.0f;
  out = omni_nn_graph_add_tensor (g, "out", 3, od, NULL);
  p.gemm = (OmniNnGemmParams){ 1, 256, 1, OMNI_NN_ACT_NONE, 0.0f, sum_blocks };
  omni_nn_graph_add_node (g, OMNI_NN_OP_POINTWISE_CONV2D, "op", &p, 1,
      &g->input, omni_nn_graph_add_tensor (g, "w", 1, &wd, w),
      OMNI_NN_NO_TENSOR, out);
  omni_nn_graph_add_output (g, "out", out);
  st = fast->prepare (g, NULL, &err);
  fail_unless (st != NULL, "%s", err ? err->message : "?");
  input.tensor = x;
  fail_unless (fast->run (st, &input, &py, &err));
  fast->free (st);
  omni_nn_graph_free (g);
  return y;
}

GST_START_TEST (test_sum_blocks)
{
  gfloat y = sum_blocks_case (TRUE);

  fail_unless (y == 1.0f + ldexpf (1.0f, -17), "%.9g", y);
  y = sum_blocks_case (FALSE);
  fail_unless (y == 1.0f, "%.9g", y);
}

GST_END_TEST;

static void
pool_case (guint h, guint w, guint c, guint k, guint stride, gint pad,
    guint out_h, guint out_w, gboolean max)
{
  OmniNnOpParams p = { 0 };
  guint in[3] = { h, w, c };
  gchar *what;

  p.pool2d = (OmniNnPool2dParams){ h, w, c, out_h, out_w, k, k, stride, stride,
    pad, pad, max };
  what = g_strdup_printf ("%s pool %ux%ux%u k%u s%u p%d", max ? "max" : "avg",
      h, w, c, k, stride, pad);
  compare (case_graph (OMNI_NN_OP_POOL2D, &p, in, 0, 0, 0, 0), what, -3.0, 3.0);
  g_free (what);
}

GST_START_TEST (test_pool)
{
  OmniNnOpParams p = { 0 };
  guint in[3] = { 7, 9, 13 };

  /* padding: max skips it, the mean does not count it (TF) */
  pool_case (13, 11, 5, 3, 2, 1, 7, 6, TRUE);
  pool_case (13, 11, 5, 3, 1, 1, 13, 11, FALSE);
  pool_case (13, 11, 6, 2, 2, 0, 6, 5, FALSE);
  pool_case (10, 9, 3, 2, 2, 0, 5, 4, TRUE);
  p.pool = (OmniNnPoolParams){ 7, 9, 13 };
  compare (case_graph (OMNI_NN_OP_GLOBAL_AVG_POOL, &p, in, 0, 0, 0, 0),
      "global average pool 7x9x13", -3.0, 3.0);
}

GST_END_TEST;

GST_START_TEST (test_eltwise)
{
  static const OmniNnActivation acts[] = { OMNI_NN_ACT_RELU, OMNI_NN_ACT_RELU6,
    OMNI_NN_ACT_SIGMOID, OMNI_NN_ACT_LEAKY_RELU };
  OmniNnOpParams p = { 0 };
  guint in_add[3] = { 1, 2, 1001 }, in_act[3] = { 1, 1, 1003 };
  guint in_sm[3] = { 1, 3, 17 }, k;

  p.eltwise = (OmniNnEltwiseParams){ 1001, OMNI_NN_ACT_RELU6, 0.0f };
  compare (case_graph (OMNI_NN_OP_ADD, &p, in_add, 1001, 1001, 0, 0),
      "add relu6", -8.0, 8.0);
  p.eltwise.activation = OMNI_NN_ACT_NONE;
  compare (case_graph (OMNI_NN_OP_ADD, &p, in_add, 1001, 1001, 0, 0), "add",
      -8.0, 8.0);
  for (k = 0; k < G_N_ELEMENTS (acts); k++) {
    p.eltwise = (OmniNnEltwiseParams){ 1003, acts[k], 0.15f };
    compare (case_graph (OMNI_NN_OP_ACTIVATION, &p, in_act, 0, 0, 0, 0),
        omni_nn_activation_name (acts[k]), -9.0, 9.0);
  }
  p.softmax = (OmniNnSoftmaxParams){ 3, 17 };
  compare (case_graph (OMNI_NN_OP_SOFTMAX, &p, in_sm, 0, 0, 0, 0),
      "softmax 3x17", -5.0, 5.0);
}

GST_END_TEST;

GST_START_TEST (test_binary)
{
  OmniNnOpParams p = { 0 };
  guint in[3] = { 1, 1, 5 * 7 * 3 + 7 }, in_c[3] = { 5, 7, 3 };
  guint kind;

  /* [5, 7, 3] with [7, 1]: broadcast over the first and last axes */
  for (kind = 0; kind < OMNI_NN_BINARY_N_KINDS; kind++) {
    gchar *what = g_strdup_printf ("binary kind %u", kind);

    p.binary = (OmniNnBinaryParams){ kind, 3, { 5, 7, 3 }, { 5, 7, 3 },
      { 1, 7, 1 }, FALSE };
    /* positive operands: a quotient of a value near 0 says little */
    compare (
        case_graph (OMNI_NN_OP_BINARY, &p, in, 105, 7, 0, 0), what, 0.5, 4.0);
    p.binary.swap = TRUE;
    compare (case_graph (OMNI_NN_OP_BINARY_CONST, &p, in_c, 0, 0, 7, 0), what,
        0.5, 4.0);
    g_free (what);
  }
  /* a full-size first operand broadcast against a scalar constant */
  p.binary = (OmniNnBinaryParams){ OMNI_NN_BINARY_MUL, 2, { 3, 37 }, { 3, 37 },
    { 1, 1 }, FALSE };
  in[2] = 111;
  compare (case_graph (OMNI_NN_OP_BINARY_CONST, &p, in, 0, 0, 1, 0),
      "mul by a scalar", -2.0, 2.0);
}

GST_END_TEST;

static void
deconv_case (guint h, guint w, guint cin, guint cout, guint k, guint stride,
    guint dil, gint pad, guint out_h, guint out_w, OmniNnActivation act)
{
  OmniNnOpParams p = { 0 };
  guint in[3] = { h, w, cin };
  gchar *what;

  p.conv2d = (OmniNnConv2dParams){ h, w, cin, out_h, out_w, cout, k, k, stride,
    stride, dil, dil, pad, pad, act, 0.0f };
  what = g_strdup_printf ("conv-transpose %ux%ux%u k%u s%u d%u p%d -> %ux%u", h,
      w, cin, k, stride, dil, pad, out_h, out_w);
  compare (case_graph (OMNI_NN_OP_CONV_TRANSPOSE, &p, in, 0, 0,
               (gsize) k * k * cin * cout, cout),
      what, -2.0, 2.0);
  g_free (what);
}

GST_START_TEST (test_conv_transpose)
{
  /* full output (s - 1) * (in - 1) + k, no padding */
  deconv_case (5, 7, 3, 5, 2, 2, 1, 0, 10, 14, OMNI_NN_ACT_NONE);
  /* padding 1 around a stride-2 3x3: 2 * 6 + 3 - 2 */
  deconv_case (7, 6, 6, 9, 3, 2, 1, 1, 13, 11, OMNI_NN_ACT_RELU);
  /* an output one longer than the full output (ONNX output_padding) */
  deconv_case (4, 5, 5, 3, 3, 2, 1, 0, 10, 12, OMNI_NN_ACT_NONE);
  /* stride 3 with dilation 2 */
  deconv_case (3, 4, 4, 7, 3, 3, 2, 0, 11, 14, OMNI_NN_ACT_RELU6);
}

GST_END_TEST;

/* bilinear resize up and down, odd sizes, in TF's three coordinate modes */
GST_START_TEST (test_resize)
{
  static const guint sizes[][4]
      = { { 7, 9, 15, 20 }, { 13, 11, 6, 5 }, { 5, 6, 10, 12 } };
  OmniNnOpParams p = { 0 };
  guint k, mode;

  for (k = 0; k < G_N_ELEMENTS (sizes); k++) {
    for (mode = 0; mode < 3; mode++) {
      guint in[3] = { sizes[k][0], sizes[k][1], 3 };
      gchar *what = g_strdup_printf ("resize %ux%u -> %ux%u mode %u",
          sizes[k][0], sizes[k][1], sizes[k][2], sizes[k][3], mode);

      p.resize = (OmniNnResizeParams){ in[0], in[1], 3, sizes[k][2],
        sizes[k][3], mode == 1, mode == 2, FALSE };
      compare (
          case_graph (OMNI_NN_OP_RESIZE, &p, in, 0, 0, 0, 0), what, -2.0, 2.0);
      g_free (what);
    }
  }
}

GST_END_TEST;

GST_START_TEST (test_unary)
{
  static const struct {
    OmniNnUnaryKind kind;
    gfloat alpha, beta;
    gdouble lo, hi;
  } cases[] = {
    { OMNI_NN_UNARY_LEAKY_RELU, 0.07f, 0.0f, -5.0, 5.0 },
    { OMNI_NN_UNARY_HARD_SWISH, 0.0f, 0.0f, -5.0, 5.0 },
    { OMNI_NN_UNARY_CLIP, -0.5f, 1.5f, -3.0, 3.0 },
    { OMNI_NN_UNARY_SQRT, 0.0f, 0.0f, 0.0, 9.0 },
    { OMNI_NN_UNARY_ABS, 0.0f, 0.0f, -3.0, 3.0 },
    { OMNI_NN_UNARY_NEG, 0.0f, 0.0f, -3.0, 3.0 },
    { OMNI_NN_UNARY_POW, 2.0f, 0.0f, -3.0, 3.0 },
    { OMNI_NN_UNARY_ELU, 0.8f, 0.0f, -4.0, 4.0 },
    { OMNI_NN_UNARY_FLOOR, 0.0f, 0.0f, -4.0, 4.0 },
    { OMNI_NN_UNARY_CEIL, 0.0f, 0.0f, -4.0, 4.0 },
  };
  OmniNnOpParams p = { 0 };
  guint in[3] = { 3, 7, 53 }, k;

  for (k = 0; k < G_N_ELEMENTS (cases); k++) {
    gchar *what = g_strdup_printf ("unary kind %u", cases[k].kind);

    p.unary = (OmniNnUnaryParams){ 3 * 7 * 53, cases[k].kind, cases[k].alpha,
      cases[k].beta };
    compare (case_graph (OMNI_NN_OP_UNARY, &p, in, 0, 0, 0, 0), what,
        cases[k].lo, cases[k].hi);
    g_free (what);
  }
}

GST_END_TEST;

/* strided reads inside the source: an NCHW -> NHWC transpose, a reversed
 * axis with a slice, a broadcast (step 0), a 1-D strided slice */
GST_START_TEST (test_strided)
{
  OmniNnOpParams p = { 0 };
  guint in[3] = { 5, 9, 7 };
  OmniNnStridedParams *s = &p.strided;

  /* [5, 9, 7] -> [7, 5, 9]: out[c, y, x] = in[y, x, c] */
  *s = (OmniNnStridedParams){ 3, { 7, 5, 9 }, { 7, 5, 9 }, { 0, 0, 0 },
    { 1, 1, 1 }, { 1, 63, 7 }, 0, 315, OMNI_NN_PAD_CONSTANT, 0.0f };
  compare (case_graph (OMNI_NN_OP_STRIDED, &p, in, 0, 0, 0, 0), "transpose",
      -1.0, 1.0);
  /* rows 4..1 reversed, every second column from 1, channels 2..6 */
  *s = (OmniNnStridedParams){ 3, { 4, 4, 5 }, { 5, 9, 7 }, { 4, 1, 2 },
    { -1, 2, 1 }, { 63, 7, 1 }, 0, 315, OMNI_NN_PAD_EDGE, 0.0f };
  compare (case_graph (OMNI_NN_OP_STRIDED, &p, in, 0, 0, 0, 0),
      "reversed strided slice", -1.0, 1.0);
  /* channel 3 of each pixel repeated 4 times: [45, 4] */
  *s = (OmniNnStridedParams){ 2, { 45, 4 }, { 45, 1 }, { 0, 0 }, { 1, 0 },
    { 7, 0 }, 3, 315, OMNI_NN_PAD_CONSTANT, 0.0f };
  compare (case_graph (OMNI_NN_OP_STRIDED, &p, in, 0, 0, 0, 0), "broadcast",
      -1.0, 1.0);
  /* every third value from 10, 1-D */
  *s = (OmniNnStridedParams){ 1, { 101 }, { 315 }, { 10 }, { 3 }, { 1 }, 0, 315,
    OMNI_NN_PAD_CONSTANT, 0.0f };
  compare (case_graph (OMNI_NN_OP_STRIDED, &p, in, 0, 0, 0, 0),
      "1-D strided slice", -1.0, 1.0);
}

GST_END_TEST;

static Suite *
nnxnn_suite (void)
{
  Suite *s = suite_create ("nnxnn");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_conv2d);
  tcase_add_test (tc, test_depthwise);
  tcase_add_test (tc, test_gemm);
  tcase_add_test (tc, test_sum_blocks);
  tcase_add_test (tc, test_pool);
  tcase_add_test (tc, test_eltwise);
  tcase_add_test (tc, test_binary);
  tcase_add_test (tc, test_unary);
  tcase_add_test (tc, test_conv_transpose);
  tcase_add_test (tc, test_resize);
  tcase_add_test (tc, test_strided);
  return s;
}

GST_CHECK_MAIN (nnxnn);
