/* gst-omni: ONNX loader, importers: element-wise ops
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unary, activation and binary ops.
 */
#include "omninnonnxprivate.h"

/* The IR's unary function in double, for folding constants. */
static gdouble
unary_d (OmniNnUnaryKind k, gdouble x, gdouble a, gdouble b)
{
  switch (k) {
  case OMNI_NN_UNARY_LEAKY_RELU:
    return x >= 0 ? x : a * x;
  case OMNI_NN_UNARY_HARD_SIGMOID:
    return MAX (0, MIN (1, a * x + b));
  case OMNI_NN_UNARY_HARD_SWISH:
    return x * MAX (0, MIN (1, x / 6 + 0.5));
  case OMNI_NN_UNARY_CLIP:
    return MIN (MAX (x, a), b);
  case OMNI_NN_UNARY_SQRT:
    return sqrt (x);
  case OMNI_NN_UNARY_EXP:
    return exp (x);
  case OMNI_NN_UNARY_LOG:
    return log (x);
  case OMNI_NN_UNARY_ABS:
    return fabs (x);
  case OMNI_NN_UNARY_NEG:
    return -x;
  case OMNI_NN_UNARY_POW:
    return pow (x, a);
  case OMNI_NN_UNARY_ELU:
    return x >= 0 ? x : a * (exp (x) - 1);
  case OMNI_NN_UNARY_RECIPROCAL:
    return 1 / x;
  case OMNI_NN_UNARY_SOFTPLUS:
    return log (exp (x) + 1);
  case OMNI_NN_UNARY_FLOOR:
    return floor (x);
  case OMNI_NN_UNARY_CEIL:
    return ceil (x);
  default:
    return x;
  }
}

/* @y, computed on @tw, back to @x's NCHW shape (keeping the twin). */
static Val *
from_twin (Loader *l, const Val *x, const Val *tw, Val *y)
{
  if (!y)
    return NULL;
  return onnx_from_nhwc (l, y, (guint) tw->dims[0], (guint) tw->dims[1],
      (guint) tw->dims[2], x->rank == 3);
}

static gboolean
unary_kind (Loader *l, const Onnx__NodeProto *n, OmniNnUnaryKind kind, gfloat a,
    gfloat b)
{
  OmniNnOpParams p = { 0 };
  Val *x = onnx_in_val (l, n, 0), *v, tw;
  gsize i;

  if (!x)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  if (x->is_const) {
    v = onnx_val_const (
        l, x->rank, x->dims, g_new (gdouble, MAX (x->n, 1)), x->dtype);
    for (i = 0; i < x->n; i++)
      v->data[i] = unary_d (kind, x->data[i], a, b);
    return onnx_put (l, n, 0, v);
  }
  p.unary.n = x->n;
  p.unary.kind = kind;
  p.unary.alpha = a;
  p.unary.beta = b;
  if (onnx_nhwc_twin (l, x, &tw))
    /* element-wise: on the NHWC twin, so that a chain of convolutions and
     * element-wise ops needs no transposes */
    return onnx_put (l, n, 0,
        from_twin (l, x, &tw,
            onnx_emit (l, OMNI_NN_OP_UNARY, &p, &tw.tensor, 1,
                OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, 3, tw.dims)));
  return onnx_put (l, n, 0,
      onnx_emit (l, OMNI_NN_OP_UNARY, &p, &x->tensor, 1, OMNI_NN_NO_TENSOR,
          OMNI_NN_NO_TENSOR, x->rank, x->dims));
}

static const struct {
  const gchar *op;
  OmniNnUnaryKind kind;
} unary_ops[] = {
  { "Sqrt", OMNI_NN_UNARY_SQRT },
  { "Exp", OMNI_NN_UNARY_EXP },
  { "Log", OMNI_NN_UNARY_LOG },
  { "Abs", OMNI_NN_UNARY_ABS },
  { "Neg", OMNI_NN_UNARY_NEG },
  { "Reciprocal", OMNI_NN_UNARY_RECIPROCAL },
  { "Softplus", OMNI_NN_UNARY_SOFTPLUS },
  { "Floor", OMNI_NN_UNARY_FLOOR },
  { "Ceil", OMNI_NN_UNARY_CEIL },
  { "HardSwish", OMNI_NN_UNARY_HARD_SWISH },
};

static gboolean
op_unary (Loader *l, const Onnx__NodeProto *n)
{
  const gchar *op = n->op_type;
  guint i;

  if (!strcmp (op, "LeakyRelu"))
    return unary_kind (
        l, n, OMNI_NN_UNARY_LEAKY_RELU, onnx_attr_f (n, "alpha", 0.01f), 0);
  if (!strcmp (op, "HardSigmoid"))
    return unary_kind (l, n, OMNI_NN_UNARY_HARD_SIGMOID,
        onnx_attr_f (n, "alpha", 0.2f), onnx_attr_f (n, "beta", 0.5f));
  if (!strcmp (op, "Elu"))
    return unary_kind (
        l, n, OMNI_NN_UNARY_ELU, onnx_attr_f (n, "alpha", 1.0f), 0);
  for (i = 0; i < G_N_ELEMENTS (unary_ops); i++)
    if (!strcmp (op, unary_ops[i].op))
      return unary_kind (l, n, unary_ops[i].kind, 0, 0);
  return UNSUPPORTED (l, "no such unary op");
}

/* Relu, Sigmoid, Tanh: the IR's activation node. */
static gboolean
op_activation (Loader *l, const Onnx__NodeProto *n)
{
  OmniNnOpParams p = { 0 };
  Val *x = onnx_in_val (l, n, 0), *v, tw;
  OmniNnActivation act = OMNI_NN_ACT_RELU;
  gsize i;

  if (!strcmp (n->op_type, "Sigmoid"))
    act = OMNI_NN_ACT_SIGMOID;
  else if (!strcmp (n->op_type, "Tanh"))
    act = OMNI_NN_ACT_TANH;
  if (!x)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  if (x->is_const) {
    v = onnx_val_const (
        l, x->rank, x->dims, g_new (gdouble, MAX (x->n, 1)), x->dtype);
    for (i = 0; i < x->n; i++) {
      gdouble t = x->data[i];

      v->data[i] = act == OMNI_NN_ACT_RELU      ? MAX (t, 0)
                   : act == OMNI_NN_ACT_SIGMOID ? 1 / (1 + exp (-t))
                                                : tanh (t);
    }
    return onnx_put (l, n, 0, v);
  }
  p.eltwise.n = x->n;
  p.eltwise.activation = act;
  if (onnx_nhwc_twin (l, x, &tw))
    /* on the NHWC twin (fused into its convolution by the optimiser); the
     * transpose back is dropped when nothing reads it */
    return onnx_put (l, n, 0,
        from_twin (l, x, &tw,
            onnx_emit (l, OMNI_NN_OP_ACTIVATION, &p, &tw.tensor, 1,
                OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, 3, tw.dims)));
  return onnx_put (l, n, 0,
      onnx_emit (l, OMNI_NN_OP_ACTIVATION, &p, &x->tensor, 1, OMNI_NN_NO_TENSOR,
          OMNI_NN_NO_TENSOR, x->rank, x->dims));
}

static gboolean
op_clip (Loader *l, const Onnx__NodeProto *n)
{
  gfloat lo = -G_MAXFLOAT, hi = G_MAXFLOAT;
  Val *mn = onnx_in_val (l, n, 1), *mx = onnx_in_val (l, n, 2);

  if (l->opset < 11) {
    lo = onnx_attr_f (n, "min", lo);
    hi = onnx_attr_f (n, "max", hi);
  } else {
    if ((mn && !mn->is_const) || (mx && !mx->is_const))
      return UNSUPPORTED (l, "min or max is not a constant");
    if (mn && mn->n)
      lo = (gfloat) mn->data[0];
    if (mx && mx->n)
      hi = (gfloat) mx->data[0];
  }
  return unary_kind (l, n, OMNI_NN_UNARY_CLIP, lo, hi);
}

/* Right-aligns @v's dims to @rank dims of an IR binary op (at most 4 after
 * dropping the output's leading 1s). */
static gboolean
binary_params (Loader *l, const Val *a, const Val *b, OmniNnBinaryParams *p,
    guint *rank, gint64 *dims)
{
  guint lead = 0, i;

  if (!onnx_broadcast_shape (a, b, rank, dims))
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "operands do not broadcast");
  while (*rank - lead > 4 && dims[lead] == 1)
    lead++;
  if (*rank - lead > 4)
    return UNSUPPORTED (l, "broadcasting over more than 4 dimensions");
  p->n_dims = MAX (*rank - lead, 1);
  for (i = 0; i < p->n_dims; i++) {
    gint d = (gint) (lead + i);
    gint ia = d - (gint) (*rank - a->rank), ib = d - (gint) (*rank - b->rank);

    if (*rank == 0) {
      p->dims[0] = p->a_dims[0] = p->b_dims[0] = 1;
      break;
    }
    p->dims[i] = (guint) dims[d];
    p->a_dims[i] = ia >= 0 ? (guint) a->dims[ia] : 1;
    p->b_dims[i] = ib >= 0 ? (guint) b->dims[ib] : 1;
  }
  return TRUE;
}

Val *
onnx_binary (Loader *l, const Val *a, const Val *b, OmniNnBinaryKind kind)
{
  static const Fold2 folds[] = { onnx_f_add, onnx_f_sub, onnx_f_mul, onnx_f_div,
    onnx_f_max, onnx_f_min };
  OmniNnOpParams p = { 0 };
  gint64 dims[MAX_RANK];
  guint rank, wd[4];

  if (a->is_const && b->is_const)
    return onnx_fold_binary (l, a, b, folds[kind], 0);
  p.binary.kind = kind;
  if (!binary_params (l, a, b, &p.binary, &rank, dims))
    return NULL;
  if (!a->is_const && !b->is_const) {
    guint ins[2] = { a->tensor, b->tensor };

    return onnx_emit (l, OMNI_NN_OP_BINARY, &p, ins, 2, OMNI_NN_NO_TENSOR,
        OMNI_NN_NO_TENSOR, rank, dims);
  }
  if (a->is_const) {
    guint t[4];
    const Val *s = a;

    memcpy (t, p.binary.a_dims, sizeof (t));
    memcpy (p.binary.a_dims, p.binary.b_dims, sizeof (t));
    memcpy (p.binary.b_dims, t, sizeof (t));
    p.binary.swap = TRUE;
    a = b;
    b = s;
  }
  memcpy (wd, p.binary.b_dims, sizeof (wd));
  return onnx_emit (l, OMNI_NN_OP_BINARY_CONST, &p, &a->tensor, 1,
      onnx_weight_tensor (l, b->data, b->n, p.binary.n_dims, wd),
      OMNI_NN_NO_TENSOR, rank, dims);
}

/* Operand @o of a binary op with activation @x that has an NHWC twin,
 * as it applies to the twin: the twin of @o when it has @x's shape, a
 * scalar as it is, or a per-channel operand ([C, 1, 1] right-aligned to
 * @x) as [C]; FALSE when it has another shape. */
static gboolean
twin_operand (Loader *l, const Val *x, const Val *o, Val *out)
{
  gint at;

  if (o->rank == x->rank
      && !memcmp (o->dims, x->dims, x->rank * sizeof (gint64)))
    return onnx_nhwc_twin (l, o, out);
  if (o->n == 1 && o->rank <= 3) {
    *out = *o;
    return TRUE;
  }
  at = 1 - ((gint) x->rank - (gint) o->rank);
  if (o->rank > x->rank || at < 0 || at >= (gint) o->rank
      || o->dims[at] != x->dims[1] || (gint64) o->n != x->dims[1])
    return FALSE;
  *out = *o;
  out->rank = 1;
  out->dims[0] = x->dims[1];
  if (!o->is_const && o->nhwc)
    /* a [1, C, 1, 1] value's twin holds the same C values in order */
    out->tensor = o->nhwc - 1;
  return TRUE;
}

/* @a op @b on the NHWC twin of one of them (the other: see
 * twin_operand()); NULL without an error when that does not apply. */
static Val *
binary_on_twin (Loader *l, const Val *a, const Val *b, OmniNnBinaryKind kind)
{
  const Val *x = onnx_nhwc_twin (l, a, &(Val){ 0 }) ? a : b;
  Val tx, ta, tb;

  if (!onnx_nhwc_twin (l, x, &tx))
    return NULL;
  if (x == a ? !twin_operand (l, x, b, &tb) : !twin_operand (l, x, a, &ta))
    return NULL;
  if (x == a)
    ta = tx;
  else
    tb = tx;
  return from_twin (l, x, &tx, onnx_binary (l, &ta, &tb, kind));
}

/* @a op @b, on the NHWC twin when one of them has one (binary_on_twin()),
 * else as ONNX lays them out. */
Val *
onnx_binary_any_layout (
    Loader *l, const Val *a, const Val *b, OmniNnBinaryKind kind)
{
  Val *v = binary_on_twin (l, a, b, kind);

  if (!v && !(l->error && *l->error))
    v = onnx_binary (l, a, b, kind);
  return v;
}

static const struct {
  const gchar *op;
  OmniNnBinaryKind kind;
} binary_ops[] = {
  { "Add", OMNI_NN_BINARY_ADD },
  { "Sub", OMNI_NN_BINARY_SUB },
  { "Mul", OMNI_NN_BINARY_MUL },
  { "Div", OMNI_NN_BINARY_DIV },
  { "Max", OMNI_NN_BINARY_MAX },
  { "Min", OMNI_NN_BINARY_MIN },
  { "Sum", OMNI_NN_BINARY_ADD },
};

/* Add, Sub, Mul, Div; Max, Min, Sum of any number of inputs (chained). */
static gboolean
op_binary (Loader *l, const Onnx__NodeProto *n)
{
  OmniNnBinaryKind kind = OMNI_NN_BINARY_ADD;
  Val *acc;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (binary_ops); i++)
    if (!strcmp (n->op_type, binary_ops[i].op))
      kind = binary_ops[i].kind;
  if (!(acc = onnx_in_val (l, n, 0)))
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  acc = onnx_alias (acc);
  for (i = 1; i < n->n_input; i++) {
    Val *b = onnx_in_val (l, n, i), *next;

    if (!b)
      continue;
    next = onnx_binary_any_layout (l, acc, b, kind);
    g_free (acc);
    if (!(acc = next))
      return FALSE;
  }
  return onnx_put (l, n, 0, acc);
}

static gboolean
op_pow (Loader *l, const Onnx__NodeProto *n)
{
  Val *a = onnx_in_val (l, n, 0), *b = onnx_in_val (l, n, 1);

  if (!a || !b)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "missing input");
  if (a->is_const && b->is_const)
    return onnx_put (l, n, 0, onnx_fold_binary (l, a, b, onnx_f_pow, 0));
  if (!b->is_const || b->n != 1)
    return UNSUPPORTED (l, "an exponent that is not one constant");
  if (b->data[0] == 0.5)
    return unary_kind (l, n, OMNI_NN_UNARY_SQRT, 0, 0);
  return unary_kind (l, n, OMNI_NN_UNARY_POW, (gfloat) b->data[0], 0);
}

/* The ops this file imports: one line per ONNX op. */
const OmniNnOnnxImporter omni_nn_onnx_elementwise_importers[] = {
  { "Relu", op_activation },
  { "Sigmoid", op_activation },
  { "Tanh", op_activation },
  { "LeakyRelu", op_unary },
  { "HardSigmoid", op_unary },
  { "HardSwish", op_unary },
  { "Elu", op_unary },
  { "Sqrt", op_unary },
  { "Exp", op_unary },
  { "Log", op_unary },
  { "Abs", op_unary },
  { "Neg", op_unary },
  { "Reciprocal", op_unary },
  { "Softplus", op_unary },
  { "Floor", op_unary },
  { "Ceil", op_unary },
  { "Clip", op_clip },
  { "Pow", op_pow },
  { "Add", op_binary },
  { "Sub", op_binary },
  { "Mul", op_binary },
  { "Div", op_binary },
  { "Max", op_binary },
  { "Min", op_binary },
  { "Sum", op_binary },
  { NULL, NULL },
};
