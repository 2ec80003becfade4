/* gst-omni: ONNX loader, importers: matrix products, normalisation, softmax, reductions
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "omninnonnxprivate.h"

/* x [..., K] times constant @w [K, N] (+ bias [N]): a pointwise GEMM. */
static Val *
gemm (Loader *l, const Val *x, const gdouble *w, guint k, guint nn,
    const gdouble *bias)
{
  OmniNnOpParams p = { 0 };
  const OmniNnTensor *t = omni_nn_graph_tensor (l->g, x->tensor);
  gint64 dims[MAX_RANK];
  guint wd[2] = { k, nn }, rank = x->rank;
  Val *xr = NULL, *v;

  memcpy (dims, x->dims, x->rank * sizeof (gint64));
  dims[x->rank - 1] = nn;
  /* the GEMM reads rows of k: give the IR tensor that last axis */
  if (t->dims[t->n_dims - 1] != k) {
    gint64 rows[2] = { (gint64) (x->n / k), k };

    if (!(x = xr = onnx_emit_reshape (l, x, 2, rows)))
      return NULL;
  }
  p.gemm.m = (guint) (x->n / k);
  p.gemm.k = k;
  p.gemm.n = nn;
  p.gemm.sum_blocks = TRUE; /* onnxruntime's order (docs/onnx.md) */
  v = onnx_emit (l,
      p.gemm.m == 1 ? OMNI_NN_OP_DENSE : OMNI_NN_OP_POINTWISE_CONV2D, &p,
      &x->tensor, 1, onnx_weight_tensor (l, w, (gsize) k * nn, 2, wd),
      bias ? onnx_weight_flat (l, bias, nn) : OMNI_NN_NO_TENSOR, rank, dims);
  g_free (xr);
  return v;
}

static gboolean
op_matmul (Loader *l, const Onnx__NodeProto *n)
{
  Val *a = onnx_in_val (l, n, 0), *b = onnx_in_val (l, n, 1);

  if (!a || !b)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "missing input");
  if (a->is_const || !b->is_const || b->rank != 2 || a->rank < 2)
    return UNSUPPORTED (
        l, "a MatMul other than activation [..., K] x constant [K, N]");
  if (a->dims[a->rank - 1] != b->dims[0])
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "inner dimensions differ");
  return onnx_put (l, n, 0,
      gemm (l, a, b->data, (guint) b->dims[0], (guint) b->dims[1], NULL));
}

static gboolean
op_gemm (Loader *l, const Onnx__NodeProto *n)
{
  Val *a = onnx_in_val (l, n, 0), *b = onnx_in_val (l, n, 1),
      *c = onnx_in_val (l, n, 2);
  gfloat alpha = onnx_attr_f (n, "alpha", 1.0f),
         beta = onnx_attr_f (n, "beta", 1.0f);
  gboolean ta = onnx_attr_i (n, "transA", 0), tb = onnx_attr_i (n, "transB", 0);
  guint k, nn, i, j;
  gdouble *w, *bias = NULL;
  Val *at = NULL, *y;

  if (!a || !b || a->is_const || !b->is_const || (c && !c->is_const)
      || a->rank != 2 || b->rank != 2)
    return UNSUPPORTED (l, "a Gemm other than activation x constant");
  k = (guint) b->dims[tb ? 1 : 0];
  nn = (guint) b->dims[tb ? 0 : 1];
  if (a->dims[ta ? 0 : 1] != k)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "inner dimensions differ");
  if (c && !(c->n == 1 || (c->n == nn && c->dims[c->rank - 1] == nn)))
    return UNSUPPORTED (l, "a C that is not a row of N or a scalar");
  w = g_new (gdouble, (gsize) k * nn);
  for (i = 0; i < k; i++)
    for (j = 0; j < nn; j++)
      w[(gsize) i * nn + j]
          = alpha * b->data[tb ? (gsize) j * k + i : (gsize) i * nn + j];
  if (c) {
    bias = g_new (gdouble, nn);
    for (j = 0; j < nn; j++)
      bias[j] = beta * c->data[c->n == 1 ? 0 : j];
  }
  if (ta) {
    gint64 perm[2] = { 1, 0 };

    a = at = onnx_emit_transpose (l, a, perm);
  }
  y = a ? gemm (l, a, w, k, nn, bias) : NULL;
  g_free (w);
  g_free (bias);
  g_free (at);
  return onnx_put (l, n, 0, y);
}

/* Per-channel (axis 1) x * scale + shift as two constant binaries. */
static gboolean
op_batch_norm (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0), *v[4], sc = { 0 }, *y, *z;
  gfloat eps = onnx_attr_f (n, "epsilon", 1e-5f);
  gdouble *scale, *shift;
  guint i, ch;

  for (i = 0; i < 4; i++)
    if (!(v[i] = onnx_in_val (l, n, i + 1)) || !v[i]->is_const)
      return UNSUPPORTED (l, "scale, bias, mean or variance not constant");
  if (!x || x->is_const || x->rank < 2)
    return UNSUPPORTED (l, "an input that is not [N, C, ...]");
  if (onnx_attr_i (n, "training_mode", 0) || n->n_output > 1)
    return UNSUPPORTED (l, "training mode");
  ch = (guint) x->dims[1];
  for (i = 0; i < 4; i++)
    if (v[i]->n != ch)
      return onnx_fail (
          l, OMNI_NN_ERROR_SHAPE, "parameters are not per channel");
  scale = g_new (gdouble, ch);
  shift = g_new (gdouble, ch);
  for (i = 0; i < ch; i++) {
    scale[i] = v[0]->data[i] / sqrt ((gfloat) v[3]->data[i] + eps);
    shift[i] = v[1]->data[i] - v[2]->data[i] * scale[i];
  }
  /* [C, 1, ...] broadcasts along axis 1 */
  sc.is_const = TRUE;
  sc.rank = x->rank - 1;
  sc.dims[0] = ch;
  for (i = 1; i < sc.rank; i++)
    sc.dims[i] = 1;
  sc.n = ch;
  sc.data = scale;
  y = onnx_binary_any_layout (l, x, &sc, OMNI_NN_BINARY_MUL);
  sc.data = shift;
  z = y ? onnx_binary_any_layout (l, y, &sc, OMNI_NN_BINARY_ADD) : NULL;
  g_free (y);
  g_free (scale);
  g_free (shift);
  return onnx_put (l, n, 0, z);
}

static gboolean
op_softmax (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0), *xt = NULL, *y, *z;
  gint64 axis = onnx_attr_i (n, "axis", l->opset < 13 ? 1 : -1), perm[MAX_RANK];
  OmniNnOpParams p = { 0 };
  gboolean logsm = !strcmp (n->op_type, "LogSoftmax");
  guint i;
  gsize rows = 1;

  if (!x || x->is_const || !onnx_norm_axis (&axis, x->rank))
    return UNSUPPORTED (l, "a constant input or an axis out of range");
  for (i = 0; i < axis; i++)
    rows *= (gsize) x->dims[i];
  if (l->opset < 13 || axis == x->rank - 1) {
    /* before opset 13: the input coerced to 2-D at the axis */
    p.softmax.rows = (guint) rows;
    p.softmax.n = (guint) (x->n / rows);
    y = onnx_emit (l, OMNI_NN_OP_SOFTMAX, &p, &x->tensor, 1, OMNI_NN_NO_TENSOR,
        OMNI_NN_NO_TENSOR, x->rank, x->dims);
  } else {
    /* the axis moved last, and back */
    for (i = 0; i < x->rank; i++)
      perm[i] = i < axis ? i : i < x->rank - 1 ? i + 1 : axis;
    if (!(xt = onnx_emit_transpose (l, x, perm)))
      return FALSE;
    p.softmax.rows = (guint) (x->n / x->dims[axis]);
    p.softmax.n = (guint) x->dims[axis];
    z = onnx_emit (l, OMNI_NN_OP_SOFTMAX, &p, &xt->tensor, 1, OMNI_NN_NO_TENSOR,
        OMNI_NN_NO_TENSOR, xt->rank, xt->dims);
    for (i = 0; i < x->rank; i++)
      perm[i] = i < axis ? i : i == axis ? x->rank - 1 : i - 1;
    y = z ? onnx_emit_transpose (l, z, perm) : NULL;
    g_free (z);
    g_free (xt);
  }
  if (y && logsm) {
    OmniNnOpParams q = { 0 };

    q.unary.n = y->n;
    q.unary.kind = OMNI_NN_UNARY_LOG;
    z = onnx_emit (l, OMNI_NN_OP_UNARY, &q, &y->tensor, 1, OMNI_NN_NO_TENSOR,
        OMNI_NN_NO_TENSOR, y->rank, y->dims);
    g_free (y);
    y = z;
  }
  return onnx_put (l, n, 0, y);
}

static const struct {
  const gchar *op;
  OmniNnReduceKind kind;
} reduce_ops[] = {
  { "ReduceMean", OMNI_NN_REDUCE_MEAN },
  { "ReduceMax", OMNI_NN_REDUCE_MAX },
  { "ReduceMin", OMNI_NN_REDUCE_MIN },
  { "ReduceSum", OMNI_NN_REDUCE_SUM },
  { "ReduceSumSquare", OMNI_NN_REDUCE_SUM_SQUARE },
};

/* Reductions over any axes: runs of adjacent axes, one IR node each. */
static gboolean
op_reduce (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0), *acc;
  gint64 axes[MAX_RANK], dims[MAX_RANK];
  gboolean red[MAX_RANK] = { FALSE },
           keep = onnx_attr_i (n, "keepdims", 1) != 0;
  OmniNnReduceKind kind = OMNI_NN_REDUCE_MEAN;
  guint n_axes, i, rank = 0;
  gint a;

  for (i = 0; i < G_N_ELEMENTS (reduce_ops); i++)
    if (!strcmp (n->op_type, reduce_ops[i].op))
      kind = reduce_ops[i].kind;
  if (!x || x->is_const)
    return UNSUPPORTED (l, "a reduction of a constant");
  if (!onnx_axes_of (l, n, 1, axes, &n_axes))
    return FALSE;
  if (n_axes == 0 && onnx_attr_i (n, "noop_with_empty_axes", 0))
    return onnx_put (l, n, 0, onnx_alias (x));
  for (i = 0; i < n_axes; i++) {
    if (!onnx_norm_axis (&axes[i], x->rank))
      return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "axis out of range");
    red[axes[i]] = TRUE;
  }
  for (i = 0; i < x->rank; i++)
    if (n_axes == 0)
      red[i] = TRUE;
  /* from the last run of reduced axes to the first, keeping dims */
  acc = onnx_alias (x);
  for (a = (gint) x->rank - 1; a >= 0; a--) {
    gint first = a;
    Val *next;

    if (!red[a])
      continue;
    while (first > 0 && red[first - 1])
      first--;
    memcpy (dims, acc->dims, acc->rank * sizeof (gint64));
    for (i = (guint) first; i <= (guint) a; i++)
      dims[i] = 1;
    next = onnx_reduce_range (
        l, acc, (guint) first, (guint) a, kind, acc->rank, dims);
    g_free (acc);
    if (!(acc = next))
      return FALSE;
    /* squares only on the first pass; a mean of means is the mean */
    if (kind == OMNI_NN_REDUCE_SUM_SQUARE)
      kind = OMNI_NN_REDUCE_SUM;
    a = first;
  }
  if (!keep) {
    for (i = 0; i < x->rank; i++)
      if (!red[i])
        dims[rank++] = x->dims[i];
    acc->rank = rank;
    acc->is_view = FALSE;
    memcpy (acc->dims, dims, rank * sizeof (gint64));
  }
  return onnx_put (l, n, 0, acc);
}

/* The ops this file imports: one line per ONNX op. */
const OmniNnOnnxImporter omni_nn_onnx_dense_importers[] = {
  { "MatMul", op_matmul },
  { "Gemm", op_gemm },
  { "BatchNormalization", op_batch_norm },
  { "Softmax", op_softmax },
  { "LogSoftmax", op_softmax },
  { "ReduceMean", op_reduce },
  { "ReduceMax", op_reduce },
  { "ReduceMin", op_reduce },
  { "ReduceSum", op_reduce },
  { "ReduceSumSquare", op_reduce },
  { NULL, NULL },
};
