/* gst-omni: ONNX loader, importers: shape and data movement
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Reshape, Transpose, Concat, Slice, Split, Gather, Expand, Pad and friends.
 */
#include "omninnonnxprivate.h"

static gboolean
op_reshape (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0);
  gint64 dims[MAX_RANK];
  guint rank, i, infer = G_MAXUINT;
  gsize known = 1;
  gboolean allowzero = onnx_attr_i (n, "allowzero", 0) != 0;

  if (!x)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  if (!onnx_const_ints (
          l, onnx_in_val (l, n, 1), "the shape", dims, MAX_RANK, &rank))
    return FALSE;
  for (i = 0; i < rank; i++) {
    if (dims[i] == 0 && !allowzero && i < x->rank)
      dims[i] = x->dims[i];
    if (dims[i] == -1)
      infer = i;
    else
      known *= (gsize) dims[i];
  }
  if (infer != G_MAXUINT)
    dims[infer] = known ? (gint64) (x->n / known) : 0;
  return onnx_put (l, n, 0, onnx_reshaped (l, x, rank, dims));
}

static gboolean
op_flatten (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0);
  gint64 axis = onnx_attr_i (n, "axis", 1), dims[2] = { 1, 1 };
  guint i;

  if (x && axis < 0)
    axis += x->rank;
  if (!x || axis < 0 || axis > x->rank)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "axis out of range");
  for (i = 0; i < x->rank; i++)
    dims[i < axis ? 0 : 1] *= x->dims[i];
  return onnx_put (l, n, 0, onnx_reshaped (l, x, 2, dims));
}

/* The axes of Squeeze/Unsqueeze/Reduce*: an attribute before opset 13
 * (18 for most reductions), an input after. */
gboolean
onnx_axes_of (Loader *l, const Onnx__NodeProto *n, guint input, gint64 *axes,
    guint *n_axes)
{
  gint c = onnx_attr_ints (n, "axes", axes, MAX_RANK);
  Val *a = onnx_in_val (l, n, input);

  if (c >= 0) {
    *n_axes = (guint) c;
    return TRUE;
  }
  if (!a) {
    *n_axes = 0;
    return TRUE;
  }
  return onnx_const_ints (l, a, "the axes", axes, MAX_RANK, n_axes);
}

static gboolean
op_squeeze (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0);
  gint64 axes[MAX_RANK], dims[MAX_RANK];
  gboolean drop[MAX_RANK] = { FALSE };
  guint n_axes, i, rank = 0;

  if (!x || !onnx_axes_of (l, n, 1, axes, &n_axes))
    return x ? FALSE : onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  for (i = 0; i < n_axes; i++) {
    if (!onnx_norm_axis (&axes[i], x->rank) || x->dims[axes[i]] != 1)
      return onnx_fail (l, OMNI_NN_ERROR_SHAPE,
          "axis %" G_GINT64_FORMAT " is not of size 1", axes[i]);
    drop[axes[i]] = TRUE;
  }
  for (i = 0; i < x->rank; i++)
    if (!(n_axes ? drop[i] : x->dims[i] == 1))
      dims[rank++] = x->dims[i];
  return onnx_put (l, n, 0, onnx_reshaped (l, x, rank, dims));
}

static gboolean
op_unsqueeze (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0);
  gint64 axes[MAX_RANK], dims[MAX_RANK];
  gboolean ins[MAX_RANK] = { FALSE };
  guint n_axes, i, rank, k = 0;

  if (!x || !onnx_axes_of (l, n, 1, axes, &n_axes))
    return x ? FALSE : onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  rank = x->rank + n_axes;
  if (rank > MAX_RANK)
    return UNSUPPORTED (l, "rank above %d", MAX_RANK);
  for (i = 0; i < n_axes; i++) {
    if (!onnx_norm_axis (&axes[i], rank))
      return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "axis out of range");
    ins[axes[i]] = TRUE;
  }
  for (i = 0; i < rank; i++)
    dims[i] = ins[i] ? 1 : x->dims[k++];
  return onnx_put (l, n, 0, onnx_reshaped (l, x, rank, dims));
}

static gboolean
op_transpose (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0);
  gint64 perm[MAX_RANK];
  ViewDim vd[MAX_RANK];
  gint c;
  guint i;

  if (!x)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  c = onnx_attr_ints (n, "perm", perm, MAX_RANK);
  for (i = 0; c < 0 && i < x->rank; i++)
    perm[i] = x->rank - 1 - i;
  if (c >= 0 && (guint) c != x->rank)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "perm does not fit the rank");
  for (i = 0; i < x->rank; i++) {
    if (perm[i] < 0 || perm[i] >= x->rank)
      return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "perm out of range");
    vd[i].size = x->dims[perm[i]];
    vd[i].axis = (gint) perm[i];
    vd[i].start = 0;
    vd[i].step = 1;
  }
  return onnx_put (l, n, 0, onnx_view (l, x, x->rank, vd));
}

/* Two values side by side along @axis. */
Val *
onnx_concat2 (Loader *l, const Val *a, const Val *b, guint axis)
{
  OmniNnOpParams p = { 0 };
  gint64 dims[MAX_RANK];
  gsize outer = 1, inner = 1;
  guint i, ins[2];
  Val *ma = NULL, *mb = NULL, *v;

  if (a->rank != b->rank || axis >= a->rank) {
    onnx_fail (l, OMNI_NN_ERROR_SHAPE, "inputs of different ranks");
    return NULL;
  }
  for (i = 0; i < a->rank; i++) {
    if (i != axis && a->dims[i] != b->dims[i]) {
      onnx_fail (l, OMNI_NN_ERROR_SHAPE, "inputs differ off the axis");
      return NULL;
    }
    dims[i] = i == axis ? a->dims[i] + b->dims[i] : a->dims[i];
    if (i < axis)
      outer *= (gsize) a->dims[i];
    else if (i > axis)
      inner *= (gsize) a->dims[i];
  }
  if (a->is_const && b->is_const) {
    gdouble *d = g_new (gdouble, MAX (a->n + b->n, 1));
    gsize sa = (gsize) a->dims[axis] * inner,
          sb = (gsize) b->dims[axis] * inner;
    gsize o;

    for (o = 0; o < outer; o++) {
      memcpy (d + o * (sa + sb), a->data + o * sa, sa * 8);
      memcpy (d + o * (sa + sb) + sa, b->data + o * sb, sb * 8);
    }
    return onnx_val_const (l, a->rank, dims, d, a->dtype);
  }
  if (a->n == 0)
    return onnx_alias (b);
  if (b->n == 0)
    return onnx_alias (a);
  if (a->is_const && !(a = ma = onnx_materialize (l, a)))
    return NULL;
  if (b->is_const && !(b = mb = onnx_materialize (l, b))) {
    g_free (ma);
    return NULL;
  }
  p.concat.outer = (guint) outer;
  p.concat.a = (guint) (a->dims[axis] * inner);
  p.concat.b = (guint) (b->dims[axis] * inner);
  ins[0] = a->tensor;
  ins[1] = b->tensor;
  v = onnx_emit (l, OMNI_NN_OP_CONCAT, &p, ins, 2, OMNI_NN_NO_TENSOR,
      OMNI_NN_NO_TENSOR, a->rank, dims);
  g_free (ma);
  g_free (mb);
  return v;
}

/* Concat along the channels of values that all have NHWC twins: along
 * the twins' last axis, keeping a twin; NULL without an error when that
 * does not apply. */
static Val *
concat_twins (Loader *l, const Onnx__NodeProto *n, gint64 axis)
{
  Val tw[2], *acc = NULL, *next;
  const Val *x = NULL;
  guint i, c = 0;

  for (i = 0; i < n->n_input; i++) {
    const Val *v = onnx_in_val (l, n, i);

    if (!v)
      continue;
    if (axis != 1 || v->dims[0] != 1 || !onnx_nhwc_twin (l, v, &tw[0])
        || (x
            && (v->rank != x->rank
                || memcmp (v->dims + 2, x->dims + 2,
                    (x->rank - 2) * sizeof (gint64)))))
      return NULL;
    x = x ? x : v;
  }
  for (i = 0; x && i < n->n_input; i++) {
    const Val *v = onnx_in_val (l, n, i);

    if (!v)
      continue;
    onnx_nhwc_twin (l, v, &tw[1]);
    c += (guint) v->dims[1];
    next = acc ? onnx_concat2 (l, acc, &tw[1], 2) : onnx_alias (&tw[1]);
    g_free (acc);
    if (!(acc = next))
      return NULL;
  }
  if (!acc)
    return NULL;
  return onnx_from_nhwc (
      l, acc, (guint) tw[1].dims[0], (guint) tw[1].dims[1], c, x->rank == 3);
}

static gboolean
op_concat (Loader *l, const Onnx__NodeProto *n)
{
  Val *acc = NULL;
  gint64 axis = onnx_attr_i (n, "axis", 0);
  guint i;

  if (l->opset < 4 && !onnx_attr (n, "axis"))
    return UNSUPPORTED (l, "Concat-1 without axis (default 1 before opset 4)");
  if (n->n_input > 1 && onnx_in_val (l, n, 0)) {
    gint64 ax = axis;

    if (onnx_norm_axis (&ax, onnx_in_val (l, n, 0)->rank)
        && (acc = concat_twins (l, n, ax)))
      return onnx_put (l, n, 0, acc);
    if (l->error && *l->error)
      return FALSE;
  }
  for (i = 0; i < n->n_input; i++) {
    Val *b = onnx_in_val (l, n, i), *next;

    if (!b)
      continue;
    if (!acc) {
      acc = onnx_alias (b);
      if (!onnx_norm_axis (&axis, acc->rank)) {
        g_free (acc);
        return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "axis out of range");
      }
      continue;
    }
    next = onnx_concat2 (l, acc, b, (guint) axis);
    g_free (acc);
    if (!(acc = next))
      return FALSE;
  }
  if (!acc)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  return onnx_put (l, n, 0, acc);
}

/* Slice of @x: per axis start, end, step (ONNX's clamping rules). */
Val *
onnx_slice (Loader *l, const Val *x, const gint64 *starts, const gint64 *ends,
    const gint64 *axes, const gint64 *steps, guint k)
{
  ViewDim vd[MAX_RANK];
  guint i;

  for (i = 0; i < x->rank; i++) {
    vd[i].size = x->dims[i];
    vd[i].axis = (gint) i;
    vd[i].start = 0;
    vd[i].step = 1;
  }
  for (i = 0; i < k; i++) {
    gint64 ax = axes ? axes[i] : i, d, s, e, st = steps ? steps[i] : 1;

    if (!onnx_norm_axis (&ax, x->rank) || st == 0) {
      onnx_fail (l, OMNI_NN_ERROR_SHAPE, "axis or step out of range");
      return NULL;
    }
    d = x->dims[ax];
    s = starts[i] < 0 ? starts[i] + d : starts[i];
    e = ends[i] < 0 ? ends[i] + d : ends[i];
    if (st > 0) {
      s = CLAMP (s, 0, d);
      e = CLAMP (e, 0, d);
      vd[ax].size = e > s ? (e - s + st - 1) / st : 0;
    } else {
      s = CLAMP (s, 0, d - 1);
      e = CLAMP (e, -1, d - 1);
      vd[ax].size = s > e ? (s - e - st - 1) / -st : 0;
    }
    vd[ax].start = s;
    vd[ax].step = st;
  }
  for (i = 0; i < x->rank; i++) {
    if (vd[i].size == 0) {
      onnx_fail (l, OMNI_NN_ERROR_UNSUPPORTED, "an empty slice");
      return NULL;
    }
  }
  return onnx_view (l, x, x->rank, vd);
}

static gboolean
op_slice (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0);
  gint64 starts[MAX_RANK], ends[MAX_RANK], axes[MAX_RANK], steps[MAX_RANK];
  guint k, ke, ka = 0, ks = 0;
  gboolean has_axes, has_steps = FALSE;

  if (!x)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  if (l->opset < 10) {
    gint c = onnx_attr_ints (n, "starts", starts, MAX_RANK);

    if (c < 0 || onnx_attr_ints (n, "ends", ends, MAX_RANK) != c)
      return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "starts and ends differ");
    k = (guint) c;
    has_axes = onnx_attr_ints (n, "axes", axes, MAX_RANK) >= 0;
  } else {
    if (!onnx_const_ints (
            l, onnx_in_val (l, n, 1), "starts", starts, MAX_RANK, &k)
        || !onnx_const_ints (
            l, onnx_in_val (l, n, 2), "ends", ends, MAX_RANK, &ke))
      return FALSE;
    has_axes = onnx_in_val (l, n, 3) != NULL;
    if (has_axes
        && !onnx_const_ints (
            l, onnx_in_val (l, n, 3), "axes", axes, MAX_RANK, &ka))
      return FALSE;
    has_steps = onnx_in_val (l, n, 4) != NULL;
    if (has_steps
        && !onnx_const_ints (
            l, onnx_in_val (l, n, 4), "steps", steps, MAX_RANK, &ks))
      return FALSE;
    if (ke != k || (has_axes && ka != k) || (has_steps && ks != k))
      return onnx_fail (
          l, OMNI_NN_ERROR_SHAPE, "starts, ends, axes, steps differ");
  }
  return onnx_put (l, n, 0,
      onnx_slice (l, x, starts, ends, has_axes ? axes : NULL,
          has_steps ? steps : NULL, k));
}

static gboolean
op_split (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0);
  gint64 axis = onnx_attr_i (n, "axis", 0), split[MAX_RANK * 4], at = 0;
  guint k = 0, i;
  gint c;

  if (!x || !onnx_norm_axis (&axis, x->rank))
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no input or axis out of range");
  c = onnx_attr_ints (n, "split", split, G_N_ELEMENTS (split));
  if (c >= 0)
    k = (guint) c;
  else if (onnx_in_val (l, n, 1)
           && !onnx_const_ints (l, onnx_in_val (l, n, 1), "split", split,
               G_N_ELEMENTS (split), &k))
    return FALSE;
  if (k == 0) {
    gint64 parts = (gint64) n->n_output;

    k = (guint) MIN (n->n_output, G_N_ELEMENTS (split));
    for (i = 0; i < k; i++)
      split[i] = (x->dims[axis] + parts - 1) / parts;
    split[k - 1] = x->dims[axis] - (k - 1) * split[0];
  }
  for (i = 0; i < k && i < n->n_output; i++) {
    gint64 e = at + split[i];

    if (!onnx_put (l, n, i, onnx_slice (l, x, &at, &e, &axis, NULL, 1)))
      return FALSE;
    at = e;
  }
  return TRUE;
}

static gboolean
op_gather (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0), *idx = onnx_in_val (l, n, 1), *acc = NULL;
  gint64 axis = onnx_attr_i (n, "axis", 0), dims[MAX_RANK];
  guint rank = 0, i;
  gsize j;

  if (!x || !idx || !onnx_norm_axis (&axis, x->rank))
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no input or axis out of range");
  if (!idx->is_const)
    return UNSUPPORTED (l, "indices that are not constant");
  if (x->rank + idx->rank - 1 > MAX_RANK)
    return UNSUPPORTED (l, "rank above %d", MAX_RANK);
  /* one slice per index along the axis, concatenated, then reshaped */
  for (j = 0; j < idx->n; j++) {
    gint64 s = (gint64) idx->data[j], e;
    Val *part, *next;

    if (s < 0)
      s += x->dims[axis];
    if (s < 0 || s >= x->dims[axis]) {
      g_free (acc);
      return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "index out of range");
    }
    e = s + 1;
    if (!(part = onnx_slice (l, x, &s, &e, &axis, NULL, 1))) {
      g_free (acc);
      return FALSE;
    }
    if (!acc) {
      acc = part;
      continue;
    }
    next = onnx_concat2 (l, acc, part, (guint) axis);
    g_free (acc);
    g_free (part);
    if (!(acc = next))
      return FALSE;
  }
  if (!acc)
    return UNSUPPORTED (l, "no indices");
  for (i = 0; i < axis; i++)
    dims[rank++] = x->dims[i];
  for (i = 0; i < idx->rank; i++)
    dims[rank++] = idx->dims[i];
  for (i = (guint) axis + 1; i < x->rank; i++)
    dims[rank++] = x->dims[i];
  if (!acc->is_const && onnx_count (rank, dims) == acc->n && rank == acc->rank
      && !memcmp (dims, acc->dims, rank * sizeof (gint64)))
    return onnx_put (l, n, 0, acc);
  {
    Val *v = onnx_reshaped (l, acc, rank, dims);

    g_free (acc);
    return onnx_put (l, n, 0, v);
  }
}

static gboolean
op_expand (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0), shape_v = { 0 };
  gint64 shape[MAX_RANK], dims[MAX_RANK];
  ViewDim vd[MAX_RANK];
  guint k, rank, i;

  if (!x
      || !onnx_const_ints (
          l, onnx_in_val (l, n, 1), "the shape", shape, MAX_RANK, &k))
    return x ? FALSE : onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  shape_v.rank = k;
  memcpy (shape_v.dims, shape, k * sizeof (gint64));
  if (!onnx_broadcast_shape (x, &shape_v, &rank, dims))
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "shape does not broadcast");
  for (i = 0; i < rank; i++) {
    gint xa = (gint) i - (gint) (rank - x->rank);

    vd[i].size = dims[i];
    vd[i].axis = xa >= 0 && x->dims[xa] != 1 ? xa : -1;
    vd[i].start = 0;
    vd[i].step = vd[i].axis >= 0 ? 1 : 0;
    if (xa >= 0 && vd[i].axis < 0) {
      /* a size-1 axis read at 0 */
      vd[i].axis = xa;
      vd[i].step = 0;
    }
  }
  return onnx_put (l, n, 0, onnx_view (l, x, rank, vd));
}

static gboolean
op_pad (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0), *cv = onnx_in_val (l, n, 2);
  gint64 pads[2 * MAX_RANK];
  ViewDim vd[MAX_RANK];
  gchar buf[16];
  const gchar *mode = onnx_attr_s (n, "mode", "constant", buf, sizeof (buf));
  OmniNnPadMode m = OMNI_NN_PAD_CONSTANT;
  gfloat value = 0.0f;
  guint k, i;
  gint c;

  if (!x)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  if (l->opset < 11) {
    c = onnx_attr_ints (n, "pads", pads, 2 * MAX_RANK);
    k = c < 0 ? 0 : (guint) c;
    value = onnx_attr_f (n, "value", 0.0f);
  } else {
    if (!onnx_const_ints (
            l, onnx_in_val (l, n, 1), "pads", pads, 2 * MAX_RANK, &k))
      return FALSE;
    if (cv && (!cv->is_const || cv->n != 1))
      return UNSUPPORTED (l, "a pad value that is not one constant");
    if (cv)
      value = (gfloat) cv->data[0];
  }
  if (onnx_in_val (l, n, 3))
    return UNSUPPORTED (l, "the axes input");
  if (k != 2 * x->rank)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "pads do not fit the rank");
  if (!strcmp (mode, "reflect"))
    m = OMNI_NN_PAD_REFLECT;
  else if (!strcmp (mode, "edge"))
    m = OMNI_NN_PAD_EDGE;
  else if (strcmp (mode, "constant"))
    return UNSUPPORTED (l, "mode '%s'", mode);
  for (i = 0; i < x->rank; i++) {
    vd[i].size = x->dims[i] + pads[i] + pads[i + x->rank];
    vd[i].axis = (gint) i;
    vd[i].start = -pads[i];
    vd[i].step = 1;
    if (vd[i].size <= 0)
      return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "pads remove the whole axis");
  }
  if (x->is_const)
    return UNSUPPORTED (l, "a Pad of a constant");
  return onnx_put (l, n, 0, onnx_emit_view (l, x, x->rank, vd, m, value));
}

/* The ops this file imports: one line per ONNX op. */
const OmniNnOnnxImporter omni_nn_onnx_shape_importers[] = {
  { "Reshape", op_reshape },
  { "Flatten", op_flatten },
  { "Squeeze", op_squeeze },
  { "Unsqueeze", op_unsqueeze },
  { "Transpose", op_transpose },
  { "Concat", op_concat },
  { "Slice", op_slice },
  { "Split", op_split },
  { "Gather", op_gather },
  { "Expand", op_expand },
  { "Pad", op_pad },
  { NULL, NULL },
};
