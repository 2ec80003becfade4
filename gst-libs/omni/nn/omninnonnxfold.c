/* gst-omni: ONNX loader, constant and shape folding, If resolution
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Nodes whose inputs are all known at load are evaluated here in double precision; If with a constant condition is inlined.
 */
#include "omninnonnxprivate.h"

gdouble
onnx_f_add (gdouble a, gdouble b)
{
  return a + b;
}

gdouble
onnx_f_sub (gdouble a, gdouble b)
{
  return a - b;
}

gdouble
onnx_f_mul (gdouble a, gdouble b)
{
  return a * b;
}

gdouble
onnx_f_pow (gdouble a, gdouble b)
{
  return pow (a, b);
}

gdouble
onnx_f_max (gdouble a, gdouble b)
{
  return MAX (a, b);
}

gdouble
onnx_f_min (gdouble a, gdouble b)
{
  return MIN (a, b);
}

static gdouble
f_eq (gdouble a, gdouble b)
{
  return a == b;
}

static gdouble
f_lt (gdouble a, gdouble b)
{
  return a < b;
}

static gdouble
f_gt (gdouble a, gdouble b)
{
  return a > b;
}

static gdouble
f_and (gdouble a, gdouble b)
{
  return a != 0 && b != 0;
}

static gdouble
f_or (gdouble a, gdouble b)
{
  return a != 0 || b != 0;
}

gdouble
onnx_f_div (gdouble a, gdouble b)
{
  return a / b;
}

static gboolean
is_int_type (gint dt)
{
  return dt != DT_FLOAT && dt != ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE
         && dt != ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16
         && dt != ONNX__TENSOR_PROTO__DATA_TYPE__BFLOAT16;
}

Val *
onnx_fold_binary (Loader *l, const Val *a, const Val *b, Fold2 f, gint out_dt)
{
  gint64 dims[MAX_RANK];
  guint rank;
  gsize n, i;
  gdouble *d;

  if (!onnx_broadcast_shape (a, b, &rank, dims)) {
    onnx_fail (l, OMNI_NN_ERROR_SHAPE, "operands do not broadcast");
    return NULL;
  }
  n = onnx_count (rank, dims);
  d = g_new (gdouble, MAX (n, 1));
  for (i = 0; i < n; i++) {
    gdouble x = a->data[onnx_bcast_index (a, rank, dims, i)];
    gdouble y = b->data[onnx_bcast_index (b, rank, dims, i)];

    d[i] = f (x, y);
    /* integer division truncates */
    if (f == onnx_f_div && is_int_type (a->dtype))
      d[i] = trunc (d[i]);
  }
  return onnx_val_const (l, rank, dims, d, out_dt ? out_dt : a->dtype);
}

/* Copies constant @in through a view (as emit_view, constant padding). */
static Val *
fold_view (Loader *l, const Val *in, guint rank, const ViewDim *vd)
{
  gint64 st[MAX_RANK], dims[MAX_RANK];
  gsize n, i;
  gdouble *d;
  guint k;

  onnx_strides_of (in->rank, in->dims, st);
  for (k = 0; k < rank; k++)
    dims[k] = vd[k].size;
  n = onnx_count (rank, dims);
  d = g_new0 (gdouble, MAX (n, 1));
  for (i = 0; i < n; i++) {
    gsize r = i, src = 0;
    gint j;

    for (j = (gint) rank - 1; j >= 0; j--) {
      gint64 o = (gint64) (r % (gsize) dims[j]);
      gint64 c = vd[j].start + o * vd[j].step;

      r /= (gsize) dims[j];
      if (vd[j].axis >= 0)
        src += (gsize) (CLAMP (c, 0, in->dims[vd[j].axis] - 1)
                        * st[vd[j].axis]);
    }
    d[i] = in->data[src];
  }
  return onnx_val_const (l, rank, dims, d, in->dtype);
}

Val *
onnx_view (Loader *l, const Val *in, guint rank, const ViewDim *vd)
{
  if (in->is_const)
    return fold_view (l, in, rank, vd);
  return onnx_emit_view (l, in, rank, vd, OMNI_NN_PAD_CONSTANT, 0.0f);
}

/* Same values, another shape: free for a constant, a copy for an
 * activation. */
Val *
onnx_reshaped (Loader *l, const Val *in, guint rank, const gint64 *dims)
{
  Val *v;

  if (onnx_count (rank, dims) != in->n) {
    gchar *a = onnx_shape_str (in->rank, in->dims),
          *b = onnx_shape_str (rank, dims);

    onnx_fail (l, OMNI_NN_ERROR_SHAPE, "cannot reshape %s to %s", a, b);
    g_free (a);
    g_free (b);
    return NULL;
  }
  /* the same values in the same order: an activation keeps its IR tensor
   * (the ops read sizes, and gemm() reshapes what it needs) */
  v = g_new (Val, 1);
  *v = *in;
  v->rank = rank;
  v->nhwc = 0;
  v->is_view = FALSE;
  memcpy (v->dims, dims, rank * sizeof (gint64));
  return v;
}

/* A constant's values as int64s (shapes, axes, indices). */
gboolean
onnx_const_ints (Loader *l, const Val *v, const gchar *what, gint64 *out,
    guint max, guint *n)
{
  guint i;

  if (!v || !v->is_const) {
    return UNSUPPORTED (l, "%s is not a constant", what);
  }
  if (v->n > max)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "%s has too many values", what);
  /* INT64_MAX/MIN ("to the end") do not survive double: clamp to 2^62 */
  for (i = 0; i < v->n; i++)
    out[i] = (gint64) CLAMP (v->data[i], -4.6e18, 4.6e18);
  *n = (guint) v->n;
  return TRUE;
}

static gboolean
op_constant (Loader *l, const Onnx__NodeProto *n)
{
  const Onnx__AttributeProto *a;
  gdouble *d;
  gint64 dim;
  guint i;

  if ((a = onnx_attr (n, "value")) && a->t)
    return onnx_put (l, n, 0, onnx_const_from_tensor (l, a->t));
  if ((a = onnx_attr (n, "value_float")) && a->has_f) {
    d = g_new (gdouble, 1);
    d[0] = a->f;
    return onnx_put (l, n, 0, onnx_val_const (l, 0, NULL, d, DT_FLOAT));
  }
  if ((a = onnx_attr (n, "value_int")) && a->has_i) {
    d = g_new (gdouble, 1);
    d[0] = (gdouble) a->i;
    return onnx_put (l, n, 0, onnx_val_const (l, 0, NULL, d, DT_INT64));
  }
  if ((a = onnx_attr (n, "value_floats"))) {
    dim = (gint64) a->n_floats;
    d = g_new (gdouble, MAX (a->n_floats, 1));
    for (i = 0; i < a->n_floats; i++)
      d[i] = a->floats[i];
    return onnx_put (l, n, 0, onnx_val_const (l, 1, &dim, d, DT_FLOAT));
  }
  if ((a = onnx_attr (n, "value_ints"))) {
    dim = (gint64) a->n_ints;
    d = g_new (gdouble, MAX (a->n_ints, 1));
    for (i = 0; i < a->n_ints; i++)
      d[i] = (gdouble) a->ints[i];
    return onnx_put (l, n, 0, onnx_val_const (l, 1, &dim, d, DT_INT64));
  }
  return UNSUPPORTED (l, "a Constant without a tensor, float or int value");
}

static gboolean
op_identity (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0);

  if (!x)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  return onnx_put (l, n, 0, onnx_alias (x));
}

/* Inference: the identity; training mode and the mask are refused. */
static gboolean
op_dropout (Loader *l, const Onnx__NodeProto *n)
{
  Val *t = onnx_in_val (l, n, 2);

  if (n->n_output > 1 && n->output[1] && *n->output[1])
    return UNSUPPORTED (l, "the mask output");
  if (t && (!t->is_const || (t->n && t->data[0] != 0)))
    return UNSUPPORTED (l, "training mode");
  return op_identity (l, n);
}

static gboolean
op_cast (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0), *v;
  gint to = (gint) onnx_attr_i (n, "to", DT_FLOAT);
  gsize i;

  if (!x)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  if (!x->is_const) {
    if (to != DT_FLOAT && to != ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE)
      return UNSUPPORTED (l, "a cast of an activation to type %d", to);
    return onnx_put (l, n, 0, onnx_alias (x));
  }
  v = onnx_val_const (
      l, x->rank, x->dims, g_memdup2 (x->data, MAX (x->n, 1) * 8), to);
  for (i = 0; i < v->n; i++) {
    if (to == DT_BOOL)
      v->data[i] = v->data[i] != 0;
    else if (is_int_type (to))
      v->data[i] = trunc (v->data[i]);
    else if (to == DT_FLOAT)
      v->data[i] = (gfloat) v->data[i];
  }
  return onnx_put (l, n, 0, v);
}

static gboolean
op_shape (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0);
  gint64 start = onnx_attr_i (n, "start", 0),
         end = onnx_attr_i (n, "end", G_MAXINT32);
  gint64 r, dim;
  gdouble *d;
  gint64 i;

  if (!x)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  r = x->rank;
  if (start < 0)
    start += r;
  if (end < 0)
    end += r;
  start = CLAMP (start, 0, r);
  end = CLAMP (end, start, r);
  dim = end - start;
  d = g_new (gdouble, MAX (dim, 1));
  for (i = start; i < end; i++)
    d[i - start] = (gdouble) x->dims[i];
  return onnx_put (l, n, 0, onnx_val_const (l, 1, &dim, d, DT_INT64));
}

static gboolean
op_size (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0);
  gdouble *d = g_new (gdouble, 1);

  d[0] = x ? (gdouble) x->n : 0;
  return onnx_put (l, n, 0, onnx_val_const (l, 0, NULL, d, DT_INT64));
}

static gboolean
op_constant_of_shape (Loader *l, const Onnx__NodeProto *n)
{
  gint64 dims[MAX_RANK];
  guint rank, i;
  gdouble value = 0, *d;
  const Onnx__AttributeProto *a = onnx_attr (n, "value");
  gint dt = DT_FLOAT;
  gsize cnt;

  if (!onnx_const_ints (
          l, onnx_in_val (l, n, 0), "the shape", dims, MAX_RANK, &rank))
    return FALSE;
  if (a && a->t) {
    Val *c = onnx_const_from_tensor (l, a->t);

    if (!c)
      return FALSE;
    value = c->n ? c->data[0] : 0;
    dt = c->dtype;
    g_free (c);
  }
  cnt = onnx_count (rank, dims);
  d = g_new (gdouble, MAX (cnt, 1));
  for (i = 0; i < cnt; i++)
    d[i] = value;
  return onnx_put (l, n, 0, onnx_val_const (l, rank, dims, d, dt));
}

static gboolean
op_range (Loader *l, const Onnx__NodeProto *n)
{
  Val *s = onnx_in_val (l, n, 0), *e = onnx_in_val (l, n, 1),
      *dl = onnx_in_val (l, n, 2);
  gint64 cnt, i;
  gdouble *d;

  if (!s || !e || !dl || !s->is_const || !e->is_const || !dl->is_const)
    return UNSUPPORTED (l, "a Range of activations");
  cnt = (gint64) MAX (ceil ((e->data[0] - s->data[0]) / dl->data[0]), 0);
  d = g_new (gdouble, MAX (cnt, 1));
  for (i = 0; i < cnt; i++)
    d[i] = s->data[0] + i * dl->data[0];
  return onnx_put (l, n, 0, onnx_val_const (l, 1, &cnt, d, s->dtype));
}

/* Comparisons and logic: constants only (shape conditions). */
static gboolean
op_logic (Loader *l, const Onnx__NodeProto *n)
{
  Val *a = onnx_in_val (l, n, 0), *b = onnx_in_val (l, n, 1);
  const gchar *op = n->op_type;
  Fold2 f = f_eq;

  if (!strcmp (op, "Not")) {
    Val *v;
    gsize i;

    if (!a || !a->is_const)
      return UNSUPPORTED (l, "a Not of an activation");
    v = onnx_val_const (
        l, a->rank, a->dims, g_new (gdouble, MAX (a->n, 1)), DT_BOOL);
    for (i = 0; i < a->n; i++)
      v->data[i] = a->data[i] == 0;
    return onnx_put (l, n, 0, v);
  }
  if (!a || !b || !a->is_const || !b->is_const)
    return UNSUPPORTED (l, "a comparison of activations");
  if (!strcmp (op, "Less"))
    f = f_lt;
  else if (!strcmp (op, "Greater"))
    f = f_gt;
  else if (!strcmp (op, "And"))
    f = f_and;
  else if (!strcmp (op, "Or"))
    f = f_or;
  return onnx_put (l, n, 0, onnx_fold_binary (l, a, b, f, DT_BOOL));
}

static gboolean
op_where (Loader *l, const Onnx__NodeProto *n)
{
  Val *c = onnx_in_val (l, n, 0), *x = onnx_in_val (l, n, 1),
      *y = onnx_in_val (l, n, 2);
  Val *t, *v;
  gint64 dims[MAX_RANK];
  guint rank;
  gsize i;

  if (!c || !x || !y || !c->is_const || !x->is_const || !y->is_const)
    return UNSUPPORTED (l, "a Where of activations");
  t = onnx_fold_binary (
      l, x, y, onnx_f_add, 0); /* the broadcast shape of x, y */
  if (!t || !onnx_broadcast_shape (c, t, &rank, dims)) {
    g_free (t);
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "operands do not broadcast");
  }
  g_free (t);
  v = onnx_val_const (l, rank, dims,
      g_new (gdouble, MAX (onnx_count (rank, dims), 1)), x->dtype);
  for (i = 0; i < v->n; i++)
    v->data[i] = c->data[onnx_bcast_index (c, rank, dims, i)]
                     ? x->data[onnx_bcast_index (x, rank, dims, i)]
                     : y->data[onnx_bcast_index (y, rank, dims, i)];
  return onnx_put (l, n, 0, v);
}

/* If with a condition known at load: the branch taken, inlined. */
static gboolean
op_if (Loader *l, const Onnx__NodeProto *n)
{
  Val *c = onnx_in_val (l, n, 0);
  const Onnx__AttributeProto *a;
  const Onnx__NodeProto *self = n;
  guint i;

  if (!c || !c->is_const || c->n != 1)
    return UNSUPPORTED (l, "a condition that is not known at load (bind the "
                           "input it depends on)");
  a = onnx_attr (n, c->data[0] != 0 ? "then_branch" : "else_branch");
  if (!a || !a->g)
    return onnx_fail (l, OMNI_NN_ERROR_PARSE, "no branch graph");
  if (!onnx_convert_graph (l, a->g))
    return FALSE;
  l->node = self;
  if (a->g->n_output != n->n_output)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "the branch has %u outputs",
        (guint) a->g->n_output);
  for (i = 0; i < n->n_output; i++) {
    Val *v = g_hash_table_lookup (l->vals, a->g->output[i]->name);

    if (!v)
      return onnx_fail (l, OMNI_NN_ERROR_SHAPE,
          "branch output '%s' not computed", a->g->output[i]->name);
    onnx_put (l, n, i, onnx_alias (v));
  }
  return TRUE;
}

/* The ops this file imports: one line per ONNX op. */
const OmniNnOnnxImporter omni_nn_onnx_fold_importers[] = {
  { "Constant", op_constant },
  { "Identity", op_identity },
  { "Dropout", op_dropout },
  { "Cast", op_cast },
  { "Shape", op_shape },
  { "Size", op_size },
  { "ConstantOfShape", op_constant_of_shape },
  { "Range", op_range },
  { "Equal", op_logic },
  { "Less", op_logic },
  { "Greater", op_logic },
  { "And", op_logic },
  { "Or", op_logic },
  { "Not", op_logic },
  { "Where", op_where },
  { "If", op_if },
  { NULL, NULL },
};
