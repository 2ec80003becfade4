/* gst-omni: ONNX loader, IR graph building and layout
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Values (constants and activations), the IR nodes the importers emit, strided views, NCHW <-> NHWC layout and broadcasting.
 */
#include "omninnonnxprivate.h"

gsize
onnx_count (guint rank, const gint64 *dims)
{
  gsize n = 1;
  guint i;

  for (i = 0; i < rank; i++)
    n *= (gsize) dims[i];
  return n;
}

Val *
onnx_val_const (
    Loader *l, guint rank, const gint64 *dims, gdouble *owned, gint dt)
{
  Val *v = g_new0 (Val, 1);

  v->is_const = TRUE;
  v->rank = rank;
  memcpy (v->dims, dims, rank * sizeof (gint64));
  v->n = onnx_count (rank, dims);
  v->data = owned;
  v->dtype = dt;
  g_ptr_array_add (l->owned, owned);
  return v;
}

void
onnx_set_val (Loader *l, const gchar *name, Val *v)
{
  g_hash_table_replace (l->vals, g_strdup (name), v);
}

/* The node's input @i, NULL when absent (optional, empty name). */
Val *
onnx_in_val (Loader *l, const Onnx__NodeProto *n, guint i)
{
  if (i >= n->n_input || !n->input[i] || !*n->input[i])
    return NULL;
  return g_hash_table_lookup (l->vals, n->input[i]);
}

gchar *
onnx_shape_str (guint rank, const gint64 *dims)
{
  GString *s = g_string_new ("[");
  guint i;

  for (i = 0; i < rank; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? ", " : "", dims[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

void
onnx_strides_of (guint rank, const gint64 *dims, gint64 *st)
{
  gint i;
  gint64 s = 1;

  for (i = (gint) rank - 1; i >= 0; i--) {
    st[i] = s;
    s *= dims[i];
  }
}

/* The IR tensor keeps ONNX's shape (leading 1s dropped down to 4 dims)
 * where the graph's check of the op's output allows it: same dims at the
 * same rank, or the same last axis (see output_fits() in omninngraph.c),
 * or any shape of the same size when the op infers a flat one. */
static void
onnx_ir_dims (guint rank, const gint64 *dims, guint *n_dims, guint *ir)
{
  guint lead = 0, r, i;
  gboolean ok;

  while (rank - lead > 1 && (rank - lead > 4 || dims[lead] == 1)
         && dims[lead] == 1)
    lead++;
  r = rank - lead;
  if (r > 4 || r == 0 || !dims)
    return;
  if (*n_dims == 1)
    ok = TRUE;
  else if (*n_dims == r) {
    ok = TRUE;
    for (i = 0; i < r; i++)
      ok = ok && ir[i] == dims[lead + i];
  } else {
    ok = r > 1 && ir[*n_dims - 1] == dims[rank - 1];
  }
  if (!ok)
    return;
  *n_dims = r;
  for (i = 0; i < r; i++)
    ir[i] = (guint) dims[lead + i];
}

/* Adds an IR node writing a new activation with ONNX shape @rank/@dims;
 * the IR tensor gets the shape the op infers (the same values in the same
 * order). */
Val *
onnx_emit (Loader *l, OmniNnOpType op, const OmniNnOpParams *p,
    const guint *ins, guint n_ins, guint w, guint b, guint rank,
    const gint64 *dims)
{
  const OmniNnOpInfo *info = omni_nn_op_info (op);
  guint n_dims = 0, ir[OMNI_NN_MAX_DIMS];
  gchar *name;
  Val *v;

  if (!info->infer_shape (p, &n_dims, ir) || n_dims == 0) {
    onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no %s output shape", info->name);
    return NULL;
  }
  if (onnx_count (rank, dims) == 0) {
    onnx_fail (l, OMNI_NN_ERROR_UNSUPPORTED, "an empty tensor");
    return NULL;
  }
  onnx_ir_dims (rank, dims, &n_dims, ir);
  v = g_new0 (Val, 1);
  v->rank = rank;
  memcpy (v->dims, dims, rank * sizeof (gint64));
  v->n = onnx_count (rank, dims);
  v->dtype = DT_FLOAT;
  name = g_strdup_printf (
      "%s#%u", l->node ? onnx_node_name (l->node) : "onnx", l->anon++);
  v->tensor = omni_nn_graph_add_tensor (l->g, name, n_dims, ir, NULL);
  omni_nn_graph_add_node (l->g, op, name, p, n_ins, ins, w, b, v->tensor);
  g_free (name);
  return v;
}

/* A constant as an IR weight tensor (float32). */
guint
onnx_weight_tensor (
    Loader *l, const gdouble *data, gsize n, guint rank, const guint *dims)
{
  gfloat *f = g_new (gfloat, MAX (n, 1));
  guint one = 1;
  gsize i;

  for (i = 0; i < n; i++)
    f[i] = (gfloat) data[i];
  if (rank == 0)
    return omni_nn_graph_add_tensor (l->g, NULL, 1, &one, f);
  return omni_nn_graph_add_tensor (l->g, NULL, rank, dims, f);
}

guint
onnx_weight_flat (Loader *l, const gdouble *data, gsize n)
{
  guint d = (guint) n;

  return onnx_weight_tensor (l, data, n, 1, &d);
}

/* Whether every coordinate the view reads lies inside @in. */
static gboolean
view_in_range (const Val *in, guint rank, const ViewDim *vd)
{
  guint i;

  for (i = 0; i < rank; i++) {
    gint64 first = vd[i].start,
           last = vd[i].start + (vd[i].size - 1) * vd[i].step;
    gint64 extent = vd[i].axis >= 0 ? in->dims[vd[i].axis] : 1;

    if (MIN (first, last) < 0 || MAX (first, last) >= extent)
      return FALSE;
  }
  return TRUE;
}

/* A view of a view: one strided copy of the first view's source. */
static Val *
emit_composed (Loader *l, const Val *in, guint rank, const ViewDim *vd)
{
  OmniNnOpParams p = { 0 };
  OmniNnStridedParams *s = &p.strided;
  gint64 dims[MAX_RANK], off = in->voff, str[MAX_RANK];
  guint i, k = 0;
  Val *v;

  for (i = 0; i < rank; i++) {
    dims[i] = vd[i].size;
    str[i] = vd[i].axis >= 0 ? in->vstride[vd[i].axis] * vd[i].step : 0;
    if (vd[i].axis >= 0)
      off += in->vstride[vd[i].axis] * vd[i].start;
  }
  for (i = 0; i < rank; i++) {
    if (dims[i] == 1)
      continue;
    if (k == 4) {
      onnx_fail (l, OMNI_NN_ERROR_UNSUPPORTED,
          "a copy of more than 4 dimensions larger than 1");
      return NULL;
    }
    s->dims[k] = s->extent[k] = (guint) dims[i];
    s->step[k] = 1;
    s->stride[k] = (gint) str[i];
    k++;
  }
  if (k == 0) {
    s->dims[0] = s->extent[0] = 1;
    k = 1;
  }
  s->n_dims = k;
  s->offset = (guint) off;
  s->in_n = (guint) in->vsrc_n;
  v = onnx_emit (l, OMNI_NN_OP_STRIDED, &p, &in->vsrc, 1, OMNI_NN_NO_TENSOR,
      OMNI_NN_NO_TENSOR, rank, dims);
  if (v) {
    v->is_view = TRUE;
    v->vsrc = in->vsrc;
    v->vsrc_n = in->vsrc_n;
    v->voff = off;
    memcpy (v->vstride, str, rank * sizeof (gint64));
  }
  return v;
}

/* Emits a strided copy of activation @in into a new activation of rank
 * @rank; output dimensions of size 1 are folded into the offset so that up
 * to 4 others remain. */
Val *
onnx_emit_view (Loader *l, const Val *in, guint rank, const ViewDim *vd,
    OmniNnPadMode mode, gfloat value)
{
  OmniNnOpParams p = { 0 };
  OmniNnStridedParams *s = &p.strided;
  gint64 st[MAX_RANK], dims[MAX_RANK], offset = 0;
  guint i, k = 0;
  Val *v;

  if (in->is_view && view_in_range (in, rank, vd))
    return emit_composed (l, in, rank, vd);
  onnx_strides_of (in->rank, in->dims, st);
  for (i = 0; i < rank; i++) {
    gint64 extent = vd[i].axis >= 0 ? in->dims[vd[i].axis] : 1;
    gint64 stride = vd[i].axis >= 0 ? st[vd[i].axis] : 0;

    dims[i] = vd[i].size;
    if (vd[i].size == 1 && vd[i].start >= 0 && vd[i].start < extent) {
      offset += vd[i].start * stride;
      continue;
    }
    if (k == 4) {
      onnx_fail (l, OMNI_NN_ERROR_UNSUPPORTED,
          "a copy of more than 4 dimensions larger than 1");
      return NULL;
    }
    s->dims[k] = (guint) vd[i].size;
    s->extent[k] = (guint) extent;
    s->start[k] = (gint) vd[i].start;
    s->step[k] = (gint) vd[i].step;
    s->stride[k] = (gint) stride;
    k++;
  }
  if (k == 0) {
    s->dims[0] = s->extent[0] = 1;
    k = 1;
  }
  s->n_dims = k;
  s->offset = (guint) offset;
  s->in_n = (guint) in->n;
  s->mode = mode;
  s->value = value;
  v = onnx_emit (l, OMNI_NN_OP_STRIDED, &p, &in->tensor, 1, OMNI_NN_NO_TENSOR,
      OMNI_NN_NO_TENSOR, rank, dims);
  if (v && view_in_range (in, rank, vd)) {
    v->is_view = TRUE;
    v->vsrc = in->tensor;
    v->vsrc_n = in->n;
    v->voff = 0;
    for (i = 0; i < rank; i++) {
      gint64 stride = vd[i].axis >= 0 ? st[vd[i].axis] : 0;

      v->voff += vd[i].start * stride;
      v->vstride[i] = vd[i].step * stride;
    }
  }
  return v;
}

Val *
onnx_emit_transpose (Loader *l, const Val *in, const gint64 *perm)
{
  ViewDim vd[MAX_RANK];
  guint i;

  for (i = 0; i < in->rank; i++) {
    vd[i].size = in->dims[perm[i]];
    vd[i].axis = (gint) perm[i];
    vd[i].start = 0;
    vd[i].step = 1;
  }
  return onnx_emit_view (l, in, in->rank, vd, OMNI_NN_PAD_CONSTANT, 0.0f);
}

/* A copy of @in under another shape. */
Val *
onnx_emit_reshape (Loader *l, const Val *in, guint rank, const gint64 *dims)
{
  OmniNnOpParams p = { 0 };

  p.eltwise.n = in->n;
  p.eltwise.activation = OMNI_NN_ACT_NONE;
  return onnx_emit (l, OMNI_NN_OP_RESHAPE, &p, &in->tensor, 1,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, rank, dims);
}

/* The graph input (any activation) -> an activation holding constant @c. */
Val *
onnx_materialize (Loader *l, const Val *c)
{
  OmniNnOpParams p = { 0 };
  Val anchor = { 0 }, *zeros, *v;
  ViewDim vd[MAX_RANK];
  guint i, wd[4];

  anchor.rank = 1;
  anchor.dims[0]
      = (gint64) omni_nn_graph_tensor (l->g, l->g->input)->n_elements;
  anchor.n = (gsize) anchor.dims[0];
  anchor.tensor = l->g->input;
  for (i = 0; i < c->rank; i++) {
    vd[i].size = c->dims[i];
    vd[i].axis = -1;
    vd[i].start = -1; /* outside: the constant 0 */
    vd[i].step = 0;
  }
  if (c->rank == 0) {
    vd[0].size = 1;
    vd[0].axis = -1;
    vd[0].start = -1;
    vd[0].step = 0;
  }
  zeros = onnx_emit_view (
      l, &anchor, MAX (c->rank, 1), vd, OMNI_NN_PAD_CONSTANT, 0);
  if (!zeros)
    return NULL;
  zeros->rank = c->rank;
  p.binary.kind = OMNI_NN_BINARY_ADD;
  p.binary.n_dims = 1;
  p.binary.dims[0] = p.binary.a_dims[0] = p.binary.b_dims[0] = (guint) c->n;
  wd[0] = (guint) c->n;
  v = onnx_emit (l, OMNI_NN_OP_BINARY_CONST, &p, &zeros->tensor, 1,
      onnx_weight_tensor (l, c->data, c->n, 1, wd), OMNI_NN_NO_TENSOR, c->rank,
      c->dims);
  g_free (zeros);
  return v;
}

/* NumPy broadcast of @a and @b: output rank and dims. */
gboolean
onnx_broadcast_shape (const Val *a, const Val *b, guint *rank, gint64 *dims)
{
  guint r = MAX (a->rank, b->rank), i;

  for (i = 0; i < r; i++) {
    gint ia = (gint) i - (gint) (r - a->rank);
    gint ib = (gint) i - (gint) (r - b->rank);
    gint64 da = ia >= 0 ? a->dims[ia] : 1, db = ib >= 0 ? b->dims[ib] : 1;

    if (da != db && da != 1 && db != 1)
      return FALSE;
    dims[i] = da == 1 ? db : da;
  }
  *rank = r;
  return TRUE;
}

/* Index into @v (right-aligned, broadcast) of output element @i of shape
 * @rank/@dims. */
gsize
onnx_bcast_index (const Val *v, guint rank, const gint64 *dims, gsize i)
{
  gsize idx = 0, mul = 1;
  gint d;

  for (d = (gint) rank - 1; d >= 0; d--) {
    gint64 o = (gint64) (i % (gsize) dims[d]);
    gint vd = d - (gint) (rank - v->rank);

    i /= (gsize) dims[d];
    if (vd >= 0) {
      if (v->dims[vd] != 1)
        idx += (gsize) o * mul;
      mul *= (gsize) v->dims[vd];
    }
  }
  return idx;
}

/* Normalises a possibly negative axis of a rank-@rank tensor. */
gboolean
onnx_norm_axis (gint64 *axis, guint rank)
{
  if (*axis < 0)
    *axis += rank;
  return *axis >= 0 && *axis < (gint64) MAX (rank, 1);
}

gboolean
onnx_put (Loader *l, const Onnx__NodeProto *n, guint i, Val *v)
{
  if (!v)
    return FALSE;
  if (i < n->n_output && n->output[i] && *n->output[i])
    onnx_set_val (l, n->output[i], v);
  else
    g_free (v);
  return TRUE;
}

Val *
onnx_alias (const Val *in)
{
  Val *v = g_new (Val, 1);

  *v = *in;
  return v;
}

/* The NHWC twin [H, W, C] of activation @x ([1, C, H, W] or [1, C, L]
 * made by a convolution, a pool, a resize or an op below): in @tw. */
gboolean
onnx_nhwc_twin (Loader *l, const Val *x, Val *tw)
{
  const OmniNnTensor *t;
  gboolean one_d;

  if (!x || x->is_const || !x->nhwc || (x->rank != 3 && x->rank != 4))
    return FALSE;
  t = omni_nn_graph_tensor (l->g, x->nhwc - 1);
  /* [H, W, C], or [H * W, C] from a pointwise GEMM ([C] for 1 x 1) */
  if (t->n_dims < 1 || t->n_dims > 3 || t->dims[t->n_dims - 1] != x->dims[1]
      || t->n_elements != x->n)
    return FALSE;
  one_d = x->rank == 3;
  memset (tw, 0, sizeof (*tw));
  tw->rank = 3;
  tw->dims[0] = one_d ? 1 : x->dims[2];
  tw->dims[1] = x->dims[one_d ? 2 : 3];
  tw->dims[2] = x->dims[1];
  tw->n = x->n;
  tw->dtype = DT_FLOAT;
  tw->tensor = x->nhwc - 1;
  return TRUE;
}

/* [1, C, H, W] or [1, C, L] -> the IR's [H, W, C] (a transpose). */
Val *
onnx_to_nhwc (Loader *l, const Val *x, guint *h, guint *w, guint *c)
{
  ViewDim vd[3];
  gboolean one_d = x->rank == 3;

  if ((x->rank != 4 && x->rank != 3) || x->dims[0] != 1) {
    onnx_fail (l, OMNI_NN_ERROR_UNSUPPORTED,
        "an input that is not [1, C, H, W] or [1, C, L] (batch 1)");
    return NULL;
  }
  *c = (guint) x->dims[1];
  *h = one_d ? 1 : (guint) x->dims[2];
  *w = (guint) x->dims[one_d ? 2 : 3];
  if (x->nhwc) {
    Val *t = g_new0 (Val, 1);

    t->rank = 3;
    t->dims[0] = *h;
    t->dims[1] = *w;
    t->dims[2] = *c;
    t->n = x->n;
    t->dtype = DT_FLOAT;
    t->tensor = x->nhwc - 1;
    return t;
  }
  vd[0] = (ViewDim){ *h, one_d ? -1 : 2, 0, 1 };
  vd[1] = (ViewDim){ *w, one_d ? 2 : 3, 0, 1 };
  vd[2] = (ViewDim){ *c, 1, 0, 1 };
  if (one_d)
    vd[0] = (ViewDim){ 1, -1, 0, 0 };
  return onnx_emit_view (l, x, 3, vd, OMNI_NN_PAD_CONSTANT, 0.0f);
}

/* The IR's [H, W, C] -> ONNX [1, C, H, W] (or [1, C, W] when @one_d). */
Val *
onnx_from_nhwc (Loader *l, Val *y, guint h, guint w, guint c, gboolean one_d)
{
  Val tmp = *y;
  ViewDim vd[4];
  Val *v;

  tmp.rank = 3;
  tmp.is_view = FALSE;
  tmp.n = (gsize) h * w * c;
  tmp.dims[0] = h;
  tmp.dims[1] = w;
  tmp.dims[2] = c;
  vd[0] = (ViewDim){ 1, -1, 0, 0 };
  vd[1] = (ViewDim){ c, 2, 0, 1 };
  vd[2] = (ViewDim){ h, 0, 0, 1 };
  vd[3] = (ViewDim){ w, 1, 0, 1 };
  if (one_d)
    vd[2] = vd[3];
  v = onnx_emit_view (l, &tmp, one_d ? 3 : 4, vd, OMNI_NN_PAD_CONSTANT, 0.0f);
  if (v)
    v->nhwc = y->tensor + 1;
  g_free (y);
  return v;
}
