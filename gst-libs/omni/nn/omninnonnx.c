/* gst-omni: ONNX model loader
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omninnonnx
 * @title: ONNX models
 * @short_description: loads ONNX models into the runtime's IR
 *
 * The model file is a ModelProto, parsed by protobuf-c with code that
 * protoc-c generates at build time from ONNX's own schema (onnx.proto, as
 * Debian's libonnx-dev ships it). The loader walks the graph in its order
 * (ONNX graphs are topologically sorted) and gives every value a place:
 * - a constant (initializers, Constant nodes, bound inputs, and the result
 *   of every node whose inputs are all constant: shape arithmetic is
 *   evaluated at load, in double precision, see omninnonnx-fold below);
 * - an activation: a tensor of the IR graph, computed by the IR nodes the
 *   loader emits for the node (most ops map to one IR node; Conv and the
 *   pools add the two transposes between ONNX's NCHW and the IR kernels'
 *   NHWC, since the IR's convolutions compute NHWC).
 * `If` with a constant condition is replaced by the branch it takes (its
 * nodes are converted in the outer scope). Anything else fails with an
 * error naming the op, its domain, the opset and the node.
 *
 * The graph's run-time inputs are packed into the IR's single input
 * tensor, one after the other (#OmniNnOnnxInput.offset); each is unpacked
 * by a strided copy, so any number of inputs works on every backend.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnonnx.h"
#include "omninnop.h"
#include "omninnmodelinfo.h"
#include "omninnverify.h"

#include <math.h>
#include <string.h>

#include "onnx.pb-c.h"

#define MAX_RANK OMNI_NN_ONNX_MAX_RANK
#define OPSET_MIN 1
#define OPSET_MAX 17

#define DT_FLOAT ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT
#define DT_INT64 ONNX__TENSOR_PROTO__DATA_TYPE__INT64
#define DT_BOOL ONNX__TENSOR_PROTO__DATA_TYPE__BOOL

/* A value: a constant (@data, double precision, in ONNX's row-major
 * order) or an activation (IR tensor @tensor, same order). @dims are
 * ONNX's, batch included. */
typedef struct {
  guint rank;
  gint64 dims[MAX_RANK];
  gsize n;
  gboolean is_const;
  gdouble *data;
  gint dtype;
  guint tensor;
  /* an activation [1, C, H, W] (or [1, C, W]) that is a transpose of an
   * IR tensor [H, W, C]: that tensor's id + 1 (0: none), so convolutions
   * and activations chain in NHWC */
  guint nhwc;
  /* an activation that reads, without padding, IR tensor @vsrc (of
   * @vsrc_n elements): element c = vsrc[voff + sum of c[a] * vstride[a]];
   * a strided copy of it composes into one copy of @vsrc */
  gboolean is_view;
  guint vsrc;
  gsize vsrc_n;
  gint64 voff;
  gint64 vstride[MAX_RANK];
} Val;

typedef struct {
  OmniNnGraph *g;
  GHashTable *vals;     /* name -> Val* */
  GPtrArray *owned;     /* constant data */
  GHashTable *bindings; /* name -> value string */
  const OmniNnOnnxConstant *constants;
  guint n_constants;
  guint image_w, image_h, image_c; /* the input is an NHWC frame */
  gint64 opset;
  const Onnx__NodeProto *node; /* being converted, for messages */
  guint anon;
  GError **error;
} Loader;

/* ---- errors --------------------------------------------------------------- */

static const gchar *
node_name (const Onnx__NodeProto *n)
{
  if (n->name && *n->name)
    return n->name;
  return n->n_output > 0 ? n->output[0] : "?";
}

static gboolean fail (Loader *l, OmniNnError code, const gchar *fmt, ...)
    G_GNUC_PRINTF (3, 4);

static gboolean
fail (Loader *l, OmniNnError code, const gchar *fmt, ...)
{
  va_list ap;
  gchar *what;

  va_start (ap, fmt);
  what = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (l->error && !*l->error) {
    if (l->node) {
      const gchar *dom
          = l->node->domain && *l->node->domain ? l->node->domain : "ai.onnx";

      g_set_error (l->error, OMNI_NN_ERROR, code,
          "node '%s' (op %s, domain %s, opset %" G_GINT64_FORMAT "): %s",
          node_name (l->node), l->node->op_type, dom, l->opset, what);
    } else {
      g_set_error (l->error, OMNI_NN_ERROR, code, "%s", what);
    }
  }
  g_free (what);
  return FALSE;
}

#define UNSUPPORTED(l, ...) fail ((l), OMNI_NN_ERROR_UNSUPPORTED, __VA_ARGS__)

/* ---- attributes ----------------------------------------------------------- */

static const Onnx__AttributeProto *
attr (const Onnx__NodeProto *n, const gchar *name)
{
  gsize i;

  for (i = 0; i < n->n_attribute; i++)
    if (!g_strcmp0 (n->attribute[i]->name, name))
      return n->attribute[i];
  return NULL;
}

static gint64
attr_i (const Onnx__NodeProto *n, const gchar *name, gint64 def)
{
  const Onnx__AttributeProto *a = attr (n, name);

  return a && a->has_i ? a->i : def;
}

static gfloat
attr_f (const Onnx__NodeProto *n, const gchar *name, gfloat def)
{
  const Onnx__AttributeProto *a = attr (n, name);

  return a && a->has_f ? a->f : def;
}

/* A string attribute as a NUL-terminated copy in @buf, or @def. */
static const gchar *
attr_s (const Onnx__NodeProto *n, const gchar *name, const gchar *def,
    gchar *buf, gsize size)
{
  const Onnx__AttributeProto *a = attr (n, name);

  if (!a || !a->has_s)
    return def;
  g_strlcpy (buf, (const gchar *) a->s.data, MIN (size, a->s.len + 1));
  return buf;
}

/* The ints of attribute @name; returns how many (-1: absent). */
static gint
attr_ints (const Onnx__NodeProto *n, const gchar *name, gint64 *out, guint max)
{
  const Onnx__AttributeProto *a = attr (n, name);
  guint i;

  if (!a)
    return -1;
  for (i = 0; i < a->n_ints && i < max; i++)
    out[i] = a->ints[i];
  return (gint) MIN (a->n_ints, max);
}

/* ---- tensors -------------------------------------------------------------- */

static gfloat
half_to_float (guint16 h)
{
  guint32 sign = (h >> 15) & 1, exp = (h >> 10) & 0x1f, man = h & 0x3ff;
  gfloat v;

  if (exp == 0)
    v = ldexpf ((gfloat) man, -24);
  else if (exp == 31)
    v = man ? NAN : INFINITY;
  else
    v = ldexpf ((gfloat) (man | 0x400), (gint) exp - 25);
  return sign ? -v : v;
}

/* Element @i of raw little-endian data of @dtype. */
static gboolean
raw_value (const guint8 *p, gint dtype, gsize i, gdouble *out)
{
  switch (dtype) {
  case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT: {
    gfloat f;
    memcpy (&f, p + 4 * i, 4);
    *out = f;
    return TRUE;
  }
  case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE:
    memcpy (out, p + 8 * i, 8);
    return TRUE;
  case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16: {
    guint16 h;
    memcpy (&h, p + 2 * i, 2);
    *out = half_to_float (h);
    return TRUE;
  }
  case ONNX__TENSOR_PROTO__DATA_TYPE__INT64: {
    gint64 v;
    memcpy (&v, p + 8 * i, 8);
    *out = (gdouble) v;
    return TRUE;
  }
  case ONNX__TENSOR_PROTO__DATA_TYPE__UINT64: {
    guint64 v;
    memcpy (&v, p + 8 * i, 8);
    *out = (gdouble) v;
    return TRUE;
  }
  case ONNX__TENSOR_PROTO__DATA_TYPE__INT32: {
    gint32 v;
    memcpy (&v, p + 4 * i, 4);
    *out = v;
    return TRUE;
  }
  case ONNX__TENSOR_PROTO__DATA_TYPE__UINT32: {
    guint32 v;
    memcpy (&v, p + 4 * i, 4);
    *out = v;
    return TRUE;
  }
  case ONNX__TENSOR_PROTO__DATA_TYPE__INT16: {
    gint16 v;
    memcpy (&v, p + 2 * i, 2);
    *out = v;
    return TRUE;
  }
  case ONNX__TENSOR_PROTO__DATA_TYPE__UINT16: {
    guint16 v;
    memcpy (&v, p + 2 * i, 2);
    *out = v;
    return TRUE;
  }
  case ONNX__TENSOR_PROTO__DATA_TYPE__BFLOAT16: {
    guint16 h;
    guint32 bits;
    gfloat f;
    memcpy (&h, p + 2 * i, 2);
    bits = (guint32) h << 16;
    memcpy (&f, &bits, 4);
    *out = f;
    return TRUE;
  }
  case ONNX__TENSOR_PROTO__DATA_TYPE__INT8:
    *out = (gint8) p[i];
    return TRUE;
  case ONNX__TENSOR_PROTO__DATA_TYPE__UINT8:
  case ONNX__TENSOR_PROTO__DATA_TYPE__BOOL:
    *out = p[i];
    return TRUE;
  default:
    return FALSE;
  }
}

static gsize
dtype_size (gint dtype)
{
  switch (dtype) {
  case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE:
  case ONNX__TENSOR_PROTO__DATA_TYPE__INT64:
  case ONNX__TENSOR_PROTO__DATA_TYPE__UINT64:
    return 8;
  case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT:
  case ONNX__TENSOR_PROTO__DATA_TYPE__INT32:
  case ONNX__TENSOR_PROTO__DATA_TYPE__UINT32:
    return 4;
  case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16:
  case ONNX__TENSOR_PROTO__DATA_TYPE__INT16:
  case ONNX__TENSOR_PROTO__DATA_TYPE__UINT16:
  case ONNX__TENSOR_PROTO__DATA_TYPE__BFLOAT16:
    return 2;
  case ONNX__TENSOR_PROTO__DATA_TYPE__INT8:
  case ONNX__TENSOR_PROTO__DATA_TYPE__UINT8:
  case ONNX__TENSOR_PROTO__DATA_TYPE__BOOL:
    return 1;
  default:
    return 0;
  }
}

/* The values of @t as doubles (g_free), or NULL with @what set. */
static gdouble *
tensor_values (const Onnx__TensorProto *t, gsize *n_out, const gchar **what)
{
  gint dtype = t->has_data_type ? t->data_type : 0;
  gsize n = 1, i, es = dtype_size (dtype);
  gdouble *v;

  for (i = 0; i < t->n_dims; i++) {
    if (t->dims[i] < 0) {
      *what = "a negative dimension";
      return NULL;
    }
    n *= (gsize) t->dims[i];
  }
  *n_out = n;
  if (t->has_data_location
      && t->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL) {
    *what = "external data";
    return NULL;
  }
  if (!es) {
    *what = "an element type without float values";
    return NULL;
  }
  if (n > (G_MAXSIZE >> 4) || (t->has_raw_data && t->raw_data.len / es < n)
      || (!t->has_raw_data
          && MAX (MAX (t->n_float_data, t->n_int32_data),
                 MAX (
                     MAX (t->n_int64_data, t->n_double_data), t->n_uint64_data))
                 < n)) {
    *what = "fewer values than its shape";
    return NULL;
  }
  v = g_new0 (gdouble, MAX (n, 1));
  if (t->has_raw_data) {
    for (i = 0; i < n; i++)
      raw_value (t->raw_data.data, dtype, i, &v[i]);
    return v;
  }
  for (i = 0; i < n; i++) {
    if (dtype == DT_FLOAT && i < t->n_float_data)
      v[i] = t->float_data[i];
    else if (dtype == ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE
             && i < t->n_double_data)
      v[i] = t->double_data[i];
    else if ((dtype == DT_INT64) && i < t->n_int64_data)
      v[i] = (gdouble) t->int64_data[i];
    else if ((dtype == ONNX__TENSOR_PROTO__DATA_TYPE__UINT64
                 || dtype == ONNX__TENSOR_PROTO__DATA_TYPE__UINT32)
             && i < t->n_uint64_data)
      v[i] = (gdouble) t->uint64_data[i];
    else if (dtype == ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16
             && i < t->n_int32_data)
      v[i] = half_to_float ((guint16) t->int32_data[i]);
    else if (dtype == ONNX__TENSOR_PROTO__DATA_TYPE__BFLOAT16
             && i < t->n_int32_data) {
      guint16 h = (guint16) t->int32_data[i];

      raw_value ((const guint8 *) &h, dtype, 0, &v[i]);
    } else if (i < t->n_int32_data)
      v[i] = t->int32_data[i];
    else {
      g_free (v);
      *what = "fewer values than its shape";
      return NULL;
    }
  }
  return v;
}

gfloat *
omni_nn_onnx_read_tensor (const gchar *path, guint *n_dims, gint64 *dims,
    gint *elem_type, gsize *n, GError **error)
{
  gchar *bytes = NULL;
  gsize len = 0, i;
  Onnx__TensorProto *t;
  gdouble *v;
  gfloat *f = NULL;
  const gchar *what = NULL;

  if (!g_file_get_contents (path, &bytes, &len, NULL)) {
    g_set_error (
        error, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND, "cannot read %s", path);
    return NULL;
  }
  t = onnx__tensor_proto__unpack (NULL, len, (const guint8 *) bytes);
  g_free (bytes);
  if (!t || t->n_dims > MAX_RANK) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "%s is not a TensorProto of rank <= %d", path, MAX_RANK);
    if (t)
      onnx__tensor_proto__free_unpacked (t, NULL);
    return NULL;
  }
  v = tensor_values (t, n, &what);
  if (v) {
    *n_dims = t->n_dims;
    for (i = 0; i < t->n_dims; i++)
      dims[i] = t->dims[i];
    *elem_type = t->data_type;
    f = g_new (gfloat, MAX (*n, 1));
    for (i = 0; i < *n; i++)
      f[i] = (gfloat) v[i];
    g_free (v);
  } else {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
        "%s: %s (type %d)", path, what, t->data_type);
  }
  onnx__tensor_proto__free_unpacked (t, NULL);
  return f;
}

/* ---- values --------------------------------------------------------------- */

static gsize
count (guint rank, const gint64 *dims)
{
  gsize n = 1;
  guint i;

  for (i = 0; i < rank; i++)
    n *= (gsize) dims[i];
  return n;
}

static Val *
val_const (Loader *l, guint rank, const gint64 *dims, gdouble *owned, gint dt)
{
  Val *v = g_new0 (Val, 1);

  v->is_const = TRUE;
  v->rank = rank;
  memcpy (v->dims, dims, rank * sizeof (gint64));
  v->n = count (rank, dims);
  v->data = owned;
  v->dtype = dt;
  g_ptr_array_add (l->owned, owned);
  return v;
}

static void
set_val (Loader *l, const gchar *name, Val *v)
{
  g_hash_table_replace (l->vals, g_strdup (name), v);
}

/* The node's input @i, NULL when absent (optional, empty name). */
static Val *
in_val (Loader *l, const Onnx__NodeProto *n, guint i)
{
  if (i >= n->n_input || !n->input[i] || !*n->input[i])
    return NULL;
  return g_hash_table_lookup (l->vals, n->input[i]);
}

static gchar *
shape_str (guint rank, const gint64 *dims)
{
  GString *s = g_string_new ("[");
  guint i;

  for (i = 0; i < rank; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? ", " : "", dims[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static void
strides_of (guint rank, const gint64 *dims, gint64 *st)
{
  gint i;
  gint64 s = 1;

  for (i = (gint) rank - 1; i >= 0; i--) {
    st[i] = s;
    s *= dims[i];
  }
}

/* ---- IR emission ---------------------------------------------------------- */

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
static Val *
emit (Loader *l, OmniNnOpType op, const OmniNnOpParams *p, const guint *ins,
    guint n_ins, guint w, guint b, guint rank, const gint64 *dims)
{
  const OmniNnOpInfo *info = omni_nn_op_info (op);
  guint n_dims = 0, ir[OMNI_NN_MAX_DIMS];
  gchar *name;
  Val *v;

  if (!info->infer_shape (p, &n_dims, ir) || n_dims == 0) {
    fail (l, OMNI_NN_ERROR_SHAPE, "no %s output shape", info->name);
    return NULL;
  }
  if (count (rank, dims) == 0) {
    fail (l, OMNI_NN_ERROR_UNSUPPORTED, "an empty tensor");
    return NULL;
  }
  onnx_ir_dims (rank, dims, &n_dims, ir);
  v = g_new0 (Val, 1);
  v->rank = rank;
  memcpy (v->dims, dims, rank * sizeof (gint64));
  v->n = count (rank, dims);
  v->dtype = DT_FLOAT;
  name = g_strdup_printf (
      "%s#%u", l->node ? node_name (l->node) : "onnx", l->anon++);
  v->tensor = omni_nn_graph_add_tensor (l->g, name, n_dims, ir, NULL);
  omni_nn_graph_add_node (l->g, op, name, p, n_ins, ins, w, b, v->tensor);
  g_free (name);
  return v;
}

/* A constant as an IR weight tensor (float32). */
static guint
weight_tensor (
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

static guint
weight_flat (Loader *l, const gdouble *data, gsize n)
{
  guint d = (guint) n;

  return weight_tensor (l, data, n, 1, &d);
}

/* One dimension of a strided view: output size, and where it reads. */
typedef struct {
  gint64 size;  /* output size */
  gint axis;    /* input axis read, -1: none (broadcast) */
  gint64 start; /* input coordinate of output 0 */
  gint64 step;  /* input coordinate step */
} ViewDim;

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
      fail (l, OMNI_NN_ERROR_UNSUPPORTED,
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
  v = emit (l, OMNI_NN_OP_STRIDED, &p, &in->vsrc, 1, OMNI_NN_NO_TENSOR,
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
static Val *
emit_view (Loader *l, const Val *in, guint rank, const ViewDim *vd,
    OmniNnPadMode mode, gfloat value)
{
  OmniNnOpParams p = { 0 };
  OmniNnStridedParams *s = &p.strided;
  gint64 st[MAX_RANK], dims[MAX_RANK], offset = 0;
  guint i, k = 0;
  Val *v;

  if (in->is_view && view_in_range (in, rank, vd))
    return emit_composed (l, in, rank, vd);
  strides_of (in->rank, in->dims, st);
  for (i = 0; i < rank; i++) {
    gint64 extent = vd[i].axis >= 0 ? in->dims[vd[i].axis] : 1;
    gint64 stride = vd[i].axis >= 0 ? st[vd[i].axis] : 0;

    dims[i] = vd[i].size;
    if (vd[i].size == 1 && vd[i].start >= 0 && vd[i].start < extent) {
      offset += vd[i].start * stride;
      continue;
    }
    if (k == 4) {
      fail (l, OMNI_NN_ERROR_UNSUPPORTED,
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
  v = emit (l, OMNI_NN_OP_STRIDED, &p, &in->tensor, 1, OMNI_NN_NO_TENSOR,
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

static Val *
emit_transpose (Loader *l, const Val *in, const gint64 *perm)
{
  ViewDim vd[MAX_RANK];
  guint i;

  for (i = 0; i < in->rank; i++) {
    vd[i].size = in->dims[perm[i]];
    vd[i].axis = (gint) perm[i];
    vd[i].start = 0;
    vd[i].step = 1;
  }
  return emit_view (l, in, in->rank, vd, OMNI_NN_PAD_CONSTANT, 0.0f);
}

/* A copy of @in under another shape. */
static Val *
emit_reshape (Loader *l, const Val *in, guint rank, const gint64 *dims)
{
  OmniNnOpParams p = { 0 };

  p.eltwise.n = in->n;
  p.eltwise.activation = OMNI_NN_ACT_NONE;
  return emit (l, OMNI_NN_OP_RESHAPE, &p, &in->tensor, 1, OMNI_NN_NO_TENSOR,
      OMNI_NN_NO_TENSOR, rank, dims);
}

/* The graph input (any activation) -> an activation holding constant @c. */
static Val *
materialize (Loader *l, const Val *c)
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
  zeros = emit_view (l, &anchor, MAX (c->rank, 1), vd, OMNI_NN_PAD_CONSTANT, 0);
  if (!zeros)
    return NULL;
  zeros->rank = c->rank;
  p.binary.kind = OMNI_NN_BINARY_ADD;
  p.binary.n_dims = 1;
  p.binary.dims[0] = p.binary.a_dims[0] = p.binary.b_dims[0] = (guint) c->n;
  wd[0] = (guint) c->n;
  v = emit (l, OMNI_NN_OP_BINARY_CONST, &p, &zeros->tensor, 1,
      weight_tensor (l, c->data, c->n, 1, wd), OMNI_NN_NO_TENSOR, c->rank,
      c->dims);
  g_free (zeros);
  return v;
}

/* ---- broadcasting and shape helpers -------------------------------------- */

/* NumPy broadcast of @a and @b: output rank and dims. */
static gboolean
broadcast_shape (const Val *a, const Val *b, guint *rank, gint64 *dims)
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
static gsize
bcast_index (const Val *v, guint rank, const gint64 *dims, gsize i)
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
static gboolean
norm_axis (gint64 *axis, guint rank)
{
  if (*axis < 0)
    *axis += rank;
  return *axis >= 0 && *axis < (gint64) MAX (rank, 1);
}

/* ---- constant folding ----------------------------------------------------- */

typedef gdouble (*Fold2) (gdouble a, gdouble b);

static gdouble
f_add (gdouble a, gdouble b)
{
  return a + b;
}
static gdouble
f_sub (gdouble a, gdouble b)
{
  return a - b;
}
static gdouble
f_mul (gdouble a, gdouble b)
{
  return a * b;
}
static gdouble
f_pow (gdouble a, gdouble b)
{
  return pow (a, b);
}
static gdouble
f_max (gdouble a, gdouble b)
{
  return MAX (a, b);
}
static gdouble
f_min (gdouble a, gdouble b)
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
static gdouble
f_div (gdouble a, gdouble b)
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

static Val *
fold_binary (Loader *l, const Val *a, const Val *b, Fold2 f, gint out_dt)
{
  gint64 dims[MAX_RANK];
  guint rank;
  gsize n, i;
  gdouble *d;

  if (!broadcast_shape (a, b, &rank, dims)) {
    fail (l, OMNI_NN_ERROR_SHAPE, "operands do not broadcast");
    return NULL;
  }
  n = count (rank, dims);
  d = g_new (gdouble, MAX (n, 1));
  for (i = 0; i < n; i++) {
    gdouble x = a->data[bcast_index (a, rank, dims, i)];
    gdouble y = b->data[bcast_index (b, rank, dims, i)];

    d[i] = f (x, y);
    /* integer division truncates */
    if (f == f_div && is_int_type (a->dtype))
      d[i] = trunc (d[i]);
  }
  return val_const (l, rank, dims, d, out_dt ? out_dt : a->dtype);
}

/* Copies constant @in through a view (as emit_view, constant padding). */
static Val *
fold_view (Loader *l, const Val *in, guint rank, const ViewDim *vd)
{
  gint64 st[MAX_RANK], dims[MAX_RANK];
  gsize n, i;
  gdouble *d;
  guint k;

  strides_of (in->rank, in->dims, st);
  for (k = 0; k < rank; k++)
    dims[k] = vd[k].size;
  n = count (rank, dims);
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
  return val_const (l, rank, dims, d, in->dtype);
}

static Val *
view (Loader *l, const Val *in, guint rank, const ViewDim *vd)
{
  if (in->is_const)
    return fold_view (l, in, rank, vd);
  return emit_view (l, in, rank, vd, OMNI_NN_PAD_CONSTANT, 0.0f);
}

/* Same values, another shape: free for a constant, a copy for an
 * activation. */
static Val *
reshaped (Loader *l, const Val *in, guint rank, const gint64 *dims)
{
  Val *v;

  if (count (rank, dims) != in->n) {
    gchar *a = shape_str (in->rank, in->dims), *b = shape_str (rank, dims);

    fail (l, OMNI_NN_ERROR_SHAPE, "cannot reshape %s to %s", a, b);
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
static gboolean
const_ints (Loader *l, const Val *v, const gchar *what, gint64 *out, guint max,
    guint *n)
{
  guint i;

  if (!v || !v->is_const) {
    return UNSUPPORTED (l, "%s is not a constant", what);
  }
  if (v->n > max)
    return fail (l, OMNI_NN_ERROR_SHAPE, "%s has too many values", what);
  /* INT64_MAX/MIN ("to the end") do not survive double: clamp to 2^62 */
  for (i = 0; i < v->n; i++)
    out[i] = (gint64) CLAMP (v->data[i], -4.6e18, 4.6e18);
  *n = (guint) v->n;
  return TRUE;
}

/* ---- ops: constants, aliases, shapes ------------------------------------- */

static gboolean
put (Loader *l, const Onnx__NodeProto *n, guint i, Val *v)
{
  if (!v)
    return FALSE;
  if (i < n->n_output && n->output[i] && *n->output[i])
    set_val (l, n->output[i], v);
  else
    g_free (v);
  return TRUE;
}

static Val *
const_from_tensor (Loader *l, const Onnx__TensorProto *t)
{
  const gchar *what = NULL;
  gsize n;
  gdouble *d;
  gint64 dims[MAX_RANK];
  guint i;

  if (t->n_dims > MAX_RANK) {
    fail (l, OMNI_NN_ERROR_UNSUPPORTED, "tensor '%s' of rank %u",
        t->name ? t->name : "", (guint) t->n_dims);
    return NULL;
  }
  d = tensor_values (t, &n, &what);
  if (!d) {
    fail (l, OMNI_NN_ERROR_UNSUPPORTED, "tensor '%s': %s",
        t->name ? t->name : "", what);
    return NULL;
  }
  for (i = 0; i < t->n_dims; i++)
    dims[i] = t->dims[i];
  return val_const (l, (guint) t->n_dims, dims, d, t->data_type);
}

static gboolean
op_constant (Loader *l, const Onnx__NodeProto *n)
{
  const Onnx__AttributeProto *a;
  gdouble *d;
  gint64 dim;
  guint i;

  if ((a = attr (n, "value")) && a->t)
    return put (l, n, 0, const_from_tensor (l, a->t));
  if ((a = attr (n, "value_float")) && a->has_f) {
    d = g_new (gdouble, 1);
    d[0] = a->f;
    return put (l, n, 0, val_const (l, 0, NULL, d, DT_FLOAT));
  }
  if ((a = attr (n, "value_int")) && a->has_i) {
    d = g_new (gdouble, 1);
    d[0] = (gdouble) a->i;
    return put (l, n, 0, val_const (l, 0, NULL, d, DT_INT64));
  }
  if ((a = attr (n, "value_floats"))) {
    dim = (gint64) a->n_floats;
    d = g_new (gdouble, MAX (a->n_floats, 1));
    for (i = 0; i < a->n_floats; i++)
      d[i] = a->floats[i];
    return put (l, n, 0, val_const (l, 1, &dim, d, DT_FLOAT));
  }
  if ((a = attr (n, "value_ints"))) {
    dim = (gint64) a->n_ints;
    d = g_new (gdouble, MAX (a->n_ints, 1));
    for (i = 0; i < a->n_ints; i++)
      d[i] = (gdouble) a->ints[i];
    return put (l, n, 0, val_const (l, 1, &dim, d, DT_INT64));
  }
  return UNSUPPORTED (l, "a Constant without a tensor, float or int value");
}

static Val *
alias (const Val *in)
{
  Val *v = g_new (Val, 1);

  *v = *in;
  return v;
}

static gboolean
op_identity (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0);

  if (!x)
    return fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  return put (l, n, 0, alias (x));
}

/* Inference: the identity; training mode and the mask are refused. */
static gboolean
op_dropout (Loader *l, const Onnx__NodeProto *n)
{
  Val *t = in_val (l, n, 2);

  if (n->n_output > 1 && n->output[1] && *n->output[1])
    return UNSUPPORTED (l, "the mask output");
  if (t && (!t->is_const || (t->n && t->data[0] != 0)))
    return UNSUPPORTED (l, "training mode");
  return op_identity (l, n);
}

static gboolean
op_cast (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0), *v;
  gint to = (gint) attr_i (n, "to", DT_FLOAT);
  gsize i;

  if (!x)
    return fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  if (!x->is_const) {
    if (to != DT_FLOAT && to != ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE)
      return UNSUPPORTED (l, "a cast of an activation to type %d", to);
    return put (l, n, 0, alias (x));
  }
  v = val_const (
      l, x->rank, x->dims, g_memdup2 (x->data, MAX (x->n, 1) * 8), to);
  for (i = 0; i < v->n; i++) {
    if (to == DT_BOOL)
      v->data[i] = v->data[i] != 0;
    else if (is_int_type (to))
      v->data[i] = trunc (v->data[i]);
    else if (to == DT_FLOAT)
      v->data[i] = (gfloat) v->data[i];
  }
  return put (l, n, 0, v);
}

static gboolean
op_shape (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0);
  gint64 start = attr_i (n, "start", 0), end = attr_i (n, "end", G_MAXINT32);
  gint64 r, dim;
  gdouble *d;
  gint64 i;

  if (!x)
    return fail (l, OMNI_NN_ERROR_SHAPE, "no input");
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
  return put (l, n, 0, val_const (l, 1, &dim, d, DT_INT64));
}

static gboolean
op_size (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0);
  gdouble *d = g_new (gdouble, 1);

  d[0] = x ? (gdouble) x->n : 0;
  return put (l, n, 0, val_const (l, 0, NULL, d, DT_INT64));
}

static gboolean
op_constant_of_shape (Loader *l, const Onnx__NodeProto *n)
{
  gint64 dims[MAX_RANK];
  guint rank, i;
  gdouble value = 0, *d;
  const Onnx__AttributeProto *a = attr (n, "value");
  gint dt = DT_FLOAT;
  gsize cnt;

  if (!const_ints (l, in_val (l, n, 0), "the shape", dims, MAX_RANK, &rank))
    return FALSE;
  if (a && a->t) {
    Val *c = const_from_tensor (l, a->t);

    if (!c)
      return FALSE;
    value = c->n ? c->data[0] : 0;
    dt = c->dtype;
    g_free (c);
  }
  cnt = count (rank, dims);
  d = g_new (gdouble, MAX (cnt, 1));
  for (i = 0; i < cnt; i++)
    d[i] = value;
  return put (l, n, 0, val_const (l, rank, dims, d, dt));
}

static gboolean
op_range (Loader *l, const Onnx__NodeProto *n)
{
  Val *s = in_val (l, n, 0), *e = in_val (l, n, 1), *dl = in_val (l, n, 2);
  gint64 cnt, i;
  gdouble *d;

  if (!s || !e || !dl || !s->is_const || !e->is_const || !dl->is_const)
    return UNSUPPORTED (l, "a Range of activations");
  cnt = (gint64) MAX (ceil ((e->data[0] - s->data[0]) / dl->data[0]), 0);
  d = g_new (gdouble, MAX (cnt, 1));
  for (i = 0; i < cnt; i++)
    d[i] = s->data[0] + i * dl->data[0];
  return put (l, n, 0, val_const (l, 1, &cnt, d, s->dtype));
}

/* ---- ops: element-wise ---------------------------------------------------- */

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

static gboolean
unary_kind (Loader *l, const Onnx__NodeProto *n, OmniNnUnaryKind kind, gfloat a,
    gfloat b)
{
  OmniNnOpParams p = { 0 };
  Val *x = in_val (l, n, 0), *v;
  gsize i;

  if (!x)
    return fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  if (x->is_const) {
    v = val_const (
        l, x->rank, x->dims, g_new (gdouble, MAX (x->n, 1)), x->dtype);
    for (i = 0; i < x->n; i++)
      v->data[i] = unary_d (kind, x->data[i], a, b);
    return put (l, n, 0, v);
  }
  p.unary.n = x->n;
  p.unary.kind = kind;
  p.unary.alpha = a;
  p.unary.beta = b;
  return put (l, n, 0,
      emit (l, OMNI_NN_OP_UNARY, &p, &x->tensor, 1, OMNI_NN_NO_TENSOR,
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
        l, n, OMNI_NN_UNARY_LEAKY_RELU, attr_f (n, "alpha", 0.01f), 0);
  if (!strcmp (op, "HardSigmoid"))
    return unary_kind (l, n, OMNI_NN_UNARY_HARD_SIGMOID,
        attr_f (n, "alpha", 0.2f), attr_f (n, "beta", 0.5f));
  if (!strcmp (op, "Elu"))
    return unary_kind (l, n, OMNI_NN_UNARY_ELU, attr_f (n, "alpha", 1.0f), 0);
  for (i = 0; i < G_N_ELEMENTS (unary_ops); i++)
    if (!strcmp (op, unary_ops[i].op))
      return unary_kind (l, n, unary_ops[i].kind, 0, 0);
  return UNSUPPORTED (l, "no such unary op");
}

static Val *from_nhwc (
    Loader *l, Val *y, guint h, guint w, guint c, gboolean one_d);

/* Relu, Sigmoid, Tanh: the IR's activation node. */
static gboolean
op_activation (Loader *l, const Onnx__NodeProto *n)
{
  OmniNnOpParams p = { 0 };
  Val *x = in_val (l, n, 0), *v;
  OmniNnActivation act = OMNI_NN_ACT_RELU;
  gsize i;

  if (!strcmp (n->op_type, "Sigmoid"))
    act = OMNI_NN_ACT_SIGMOID;
  else if (!strcmp (n->op_type, "Tanh"))
    act = OMNI_NN_ACT_TANH;
  if (!x)
    return fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  if (x->is_const) {
    v = val_const (
        l, x->rank, x->dims, g_new (gdouble, MAX (x->n, 1)), x->dtype);
    for (i = 0; i < x->n; i++) {
      gdouble t = x->data[i];

      v->data[i] = act == OMNI_NN_ACT_RELU      ? MAX (t, 0)
                   : act == OMNI_NN_ACT_SIGMOID ? 1 / (1 + exp (-t))
                                                : tanh (t);
    }
    return put (l, n, 0, v);
  }
  p.eltwise.n = x->n;
  p.eltwise.activation = act;
  if (x->nhwc) {
    /* on the NHWC twin (fused into its convolution by the optimiser); the
     * transpose back is dropped when nothing reads it */
    const OmniNnTensor *t = omni_nn_graph_tensor (l->g, x->nhwc - 1);
    gint64 d[3] = { t->dims[0], t->dims[1], t->dims[2] };

    if (t->n_dims == 3 && d[2] == x->dims[1]) {
      Val tw = { 0 };

      tw.rank = 3;
      memcpy (tw.dims, d, sizeof (d));
      tw.n = x->n;
      tw.tensor = x->nhwc - 1;
      v = emit (l, OMNI_NN_OP_ACTIVATION, &p, &tw.tensor, 1, OMNI_NN_NO_TENSOR,
          OMNI_NN_NO_TENSOR, 3, d);
      if (!v)
        return FALSE;
      return put (l, n, 0,
          from_nhwc (
              l, v, (guint) d[0], (guint) d[1], (guint) d[2], x->rank == 3));
    }
  }
  return put (l, n, 0,
      emit (l, OMNI_NN_OP_ACTIVATION, &p, &x->tensor, 1, OMNI_NN_NO_TENSOR,
          OMNI_NN_NO_TENSOR, x->rank, x->dims));
}

static gboolean
op_clip (Loader *l, const Onnx__NodeProto *n)
{
  gfloat lo = -G_MAXFLOAT, hi = G_MAXFLOAT;
  Val *mn = in_val (l, n, 1), *mx = in_val (l, n, 2);

  if (l->opset < 11) {
    lo = attr_f (n, "min", lo);
    hi = attr_f (n, "max", hi);
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

  if (!broadcast_shape (a, b, rank, dims))
    return fail (l, OMNI_NN_ERROR_SHAPE, "operands do not broadcast");
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

static Val *
binary (Loader *l, const Val *a, const Val *b, OmniNnBinaryKind kind)
{
  static const Fold2 folds[] = { f_add, f_sub, f_mul, f_div, f_max, f_min };
  OmniNnOpParams p = { 0 };
  gint64 dims[MAX_RANK];
  guint rank, wd[4];

  if (a->is_const && b->is_const)
    return fold_binary (l, a, b, folds[kind], 0);
  p.binary.kind = kind;
  if (!binary_params (l, a, b, &p.binary, &rank, dims))
    return NULL;
  if (!a->is_const && !b->is_const) {
    guint ins[2] = { a->tensor, b->tensor };

    return emit (l, OMNI_NN_OP_BINARY, &p, ins, 2, OMNI_NN_NO_TENSOR,
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
  return emit (l, OMNI_NN_OP_BINARY_CONST, &p, &a->tensor, 1,
      weight_tensor (l, b->data, b->n, p.binary.n_dims, wd), OMNI_NN_NO_TENSOR,
      rank, dims);
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
  if (!(acc = in_val (l, n, 0)))
    return fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  acc = alias (acc);
  for (i = 1; i < n->n_input; i++) {
    Val *b = in_val (l, n, i), *next;

    if (!b)
      continue;
    next = binary (l, acc, b, kind);
    g_free (acc);
    if (!(acc = next))
      return FALSE;
  }
  return put (l, n, 0, acc);
}

/* Comparisons and logic: constants only (shape conditions). */
static gboolean
op_logic (Loader *l, const Onnx__NodeProto *n)
{
  Val *a = in_val (l, n, 0), *b = in_val (l, n, 1);
  const gchar *op = n->op_type;
  Fold2 f = f_eq;

  if (!strcmp (op, "Not")) {
    Val *v;
    gsize i;

    if (!a || !a->is_const)
      return UNSUPPORTED (l, "a Not of an activation");
    v = val_const (
        l, a->rank, a->dims, g_new (gdouble, MAX (a->n, 1)), DT_BOOL);
    for (i = 0; i < a->n; i++)
      v->data[i] = a->data[i] == 0;
    return put (l, n, 0, v);
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
  return put (l, n, 0, fold_binary (l, a, b, f, DT_BOOL));
}

static gboolean
op_where (Loader *l, const Onnx__NodeProto *n)
{
  Val *c = in_val (l, n, 0), *x = in_val (l, n, 1), *y = in_val (l, n, 2);
  Val *t, *v;
  gint64 dims[MAX_RANK];
  guint rank;
  gsize i;

  if (!c || !x || !y || !c->is_const || !x->is_const || !y->is_const)
    return UNSUPPORTED (l, "a Where of activations");
  t = fold_binary (l, x, y, f_add, 0); /* the broadcast shape of x, y */
  if (!t || !broadcast_shape (c, t, &rank, dims)) {
    g_free (t);
    return fail (l, OMNI_NN_ERROR_SHAPE, "operands do not broadcast");
  }
  g_free (t);
  v = val_const (
      l, rank, dims, g_new (gdouble, MAX (count (rank, dims), 1)), x->dtype);
  for (i = 0; i < v->n; i++)
    v->data[i] = c->data[bcast_index (c, rank, dims, i)]
                     ? x->data[bcast_index (x, rank, dims, i)]
                     : y->data[bcast_index (y, rank, dims, i)];
  return put (l, n, 0, v);
}

static gboolean
op_pow (Loader *l, const Onnx__NodeProto *n)
{
  Val *a = in_val (l, n, 0), *b = in_val (l, n, 1);

  if (!a || !b)
    return fail (l, OMNI_NN_ERROR_SHAPE, "missing input");
  if (a->is_const && b->is_const)
    return put (l, n, 0, fold_binary (l, a, b, f_pow, 0));
  if (!b->is_const || b->n != 1)
    return UNSUPPORTED (l, "an exponent that is not one constant");
  if (b->data[0] == 0.5)
    return unary_kind (l, n, OMNI_NN_UNARY_SQRT, 0, 0);
  return unary_kind (l, n, OMNI_NN_UNARY_POW, (gfloat) b->data[0], 0);
}

/* ---- ops: shape and data movement ---------------------------------------- */

static gboolean
op_reshape (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0);
  gint64 dims[MAX_RANK];
  guint rank, i, infer = G_MAXUINT;
  gsize known = 1;
  gboolean allowzero = attr_i (n, "allowzero", 0) != 0;

  if (!x)
    return fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  if (!const_ints (l, in_val (l, n, 1), "the shape", dims, MAX_RANK, &rank))
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
  return put (l, n, 0, reshaped (l, x, rank, dims));
}

static gboolean
op_flatten (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0);
  gint64 axis = attr_i (n, "axis", 1), dims[2] = { 1, 1 };
  guint i;

  if (x && axis < 0)
    axis += x->rank;
  if (!x || axis < 0 || axis > x->rank)
    return fail (l, OMNI_NN_ERROR_SHAPE, "axis out of range");
  for (i = 0; i < x->rank; i++)
    dims[i < axis ? 0 : 1] *= x->dims[i];
  return put (l, n, 0, reshaped (l, x, 2, dims));
}

/* The axes of Squeeze/Unsqueeze/Reduce*: an attribute before opset 13
 * (18 for most reductions), an input after. */
static gboolean
axes_of (Loader *l, const Onnx__NodeProto *n, guint input, gint64 *axes,
    guint *n_axes)
{
  gint c = attr_ints (n, "axes", axes, MAX_RANK);
  Val *a = in_val (l, n, input);

  if (c >= 0) {
    *n_axes = (guint) c;
    return TRUE;
  }
  if (!a) {
    *n_axes = 0;
    return TRUE;
  }
  return const_ints (l, a, "the axes", axes, MAX_RANK, n_axes);
}

static gboolean
op_squeeze (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0);
  gint64 axes[MAX_RANK], dims[MAX_RANK];
  gboolean drop[MAX_RANK] = { FALSE };
  guint n_axes, i, rank = 0;

  if (!x || !axes_of (l, n, 1, axes, &n_axes))
    return x ? FALSE : fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  for (i = 0; i < n_axes; i++) {
    if (!norm_axis (&axes[i], x->rank) || x->dims[axes[i]] != 1)
      return fail (l, OMNI_NN_ERROR_SHAPE,
          "axis %" G_GINT64_FORMAT " is not of size 1", axes[i]);
    drop[axes[i]] = TRUE;
  }
  for (i = 0; i < x->rank; i++)
    if (!(n_axes ? drop[i] : x->dims[i] == 1))
      dims[rank++] = x->dims[i];
  return put (l, n, 0, reshaped (l, x, rank, dims));
}

static gboolean
op_unsqueeze (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0);
  gint64 axes[MAX_RANK], dims[MAX_RANK];
  gboolean ins[MAX_RANK] = { FALSE };
  guint n_axes, i, rank, k = 0;

  if (!x || !axes_of (l, n, 1, axes, &n_axes))
    return x ? FALSE : fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  rank = x->rank + n_axes;
  if (rank > MAX_RANK)
    return UNSUPPORTED (l, "rank above %d", MAX_RANK);
  for (i = 0; i < n_axes; i++) {
    if (!norm_axis (&axes[i], rank))
      return fail (l, OMNI_NN_ERROR_SHAPE, "axis out of range");
    ins[axes[i]] = TRUE;
  }
  for (i = 0; i < rank; i++)
    dims[i] = ins[i] ? 1 : x->dims[k++];
  return put (l, n, 0, reshaped (l, x, rank, dims));
}

static gboolean
op_transpose (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0);
  gint64 perm[MAX_RANK];
  ViewDim vd[MAX_RANK];
  gint c;
  guint i;

  if (!x)
    return fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  c = attr_ints (n, "perm", perm, MAX_RANK);
  for (i = 0; c < 0 && i < x->rank; i++)
    perm[i] = x->rank - 1 - i;
  if (c >= 0 && (guint) c != x->rank)
    return fail (l, OMNI_NN_ERROR_SHAPE, "perm does not fit the rank");
  for (i = 0; i < x->rank; i++) {
    if (perm[i] < 0 || perm[i] >= x->rank)
      return fail (l, OMNI_NN_ERROR_SHAPE, "perm out of range");
    vd[i].size = x->dims[perm[i]];
    vd[i].axis = (gint) perm[i];
    vd[i].start = 0;
    vd[i].step = 1;
  }
  return put (l, n, 0, view (l, x, x->rank, vd));
}

/* Two values side by side along @axis. */
static Val *
concat2 (Loader *l, const Val *a, const Val *b, guint axis)
{
  OmniNnOpParams p = { 0 };
  gint64 dims[MAX_RANK];
  gsize outer = 1, inner = 1;
  guint i, ins[2];
  Val *ma = NULL, *mb = NULL, *v;

  if (a->rank != b->rank || axis >= a->rank) {
    fail (l, OMNI_NN_ERROR_SHAPE, "inputs of different ranks");
    return NULL;
  }
  for (i = 0; i < a->rank; i++) {
    if (i != axis && a->dims[i] != b->dims[i]) {
      fail (l, OMNI_NN_ERROR_SHAPE, "inputs differ off the axis");
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
    return val_const (l, a->rank, dims, d, a->dtype);
  }
  if (a->n == 0)
    return alias (b);
  if (b->n == 0)
    return alias (a);
  if (a->is_const && !(a = ma = materialize (l, a)))
    return NULL;
  if (b->is_const && !(b = mb = materialize (l, b))) {
    g_free (ma);
    return NULL;
  }
  p.concat.outer = (guint) outer;
  p.concat.a = (guint) (a->dims[axis] * inner);
  p.concat.b = (guint) (b->dims[axis] * inner);
  ins[0] = a->tensor;
  ins[1] = b->tensor;
  v = emit (l, OMNI_NN_OP_CONCAT, &p, ins, 2, OMNI_NN_NO_TENSOR,
      OMNI_NN_NO_TENSOR, a->rank, dims);
  g_free (ma);
  g_free (mb);
  return v;
}

static gboolean
op_concat (Loader *l, const Onnx__NodeProto *n)
{
  Val *acc = NULL;
  gint64 axis = attr_i (n, "axis", 0);
  guint i;

  if (l->opset < 4 && !attr (n, "axis"))
    return UNSUPPORTED (l, "Concat-1 without axis (default 1 before opset 4)");
  for (i = 0; i < n->n_input; i++) {
    Val *b = in_val (l, n, i), *next;

    if (!b)
      continue;
    if (!acc) {
      acc = alias (b);
      if (!norm_axis (&axis, acc->rank)) {
        g_free (acc);
        return fail (l, OMNI_NN_ERROR_SHAPE, "axis out of range");
      }
      continue;
    }
    next = concat2 (l, acc, b, (guint) axis);
    g_free (acc);
    if (!(acc = next))
      return FALSE;
  }
  if (!acc)
    return fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  return put (l, n, 0, acc);
}

/* Slice of @x: per axis start, end, step (ONNX's clamping rules). */
static Val *
slice (Loader *l, const Val *x, const gint64 *starts, const gint64 *ends,
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

    if (!norm_axis (&ax, x->rank) || st == 0) {
      fail (l, OMNI_NN_ERROR_SHAPE, "axis or step out of range");
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
      fail (l, OMNI_NN_ERROR_UNSUPPORTED, "an empty slice");
      return NULL;
    }
  }
  return view (l, x, x->rank, vd);
}

static gboolean
op_slice (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0);
  gint64 starts[MAX_RANK], ends[MAX_RANK], axes[MAX_RANK], steps[MAX_RANK];
  guint k, ke, ka = 0, ks = 0;
  gboolean has_axes, has_steps = FALSE;

  if (!x)
    return fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  if (l->opset < 10) {
    gint c = attr_ints (n, "starts", starts, MAX_RANK);

    if (c < 0 || attr_ints (n, "ends", ends, MAX_RANK) != c)
      return fail (l, OMNI_NN_ERROR_SHAPE, "starts and ends differ");
    k = (guint) c;
    has_axes = attr_ints (n, "axes", axes, MAX_RANK) >= 0;
  } else {
    if (!const_ints (l, in_val (l, n, 1), "starts", starts, MAX_RANK, &k)
        || !const_ints (l, in_val (l, n, 2), "ends", ends, MAX_RANK, &ke))
      return FALSE;
    has_axes = in_val (l, n, 3) != NULL;
    if (has_axes
        && !const_ints (l, in_val (l, n, 3), "axes", axes, MAX_RANK, &ka))
      return FALSE;
    has_steps = in_val (l, n, 4) != NULL;
    if (has_steps
        && !const_ints (l, in_val (l, n, 4), "steps", steps, MAX_RANK, &ks))
      return FALSE;
    if (ke != k || (has_axes && ka != k) || (has_steps && ks != k))
      return fail (l, OMNI_NN_ERROR_SHAPE, "starts, ends, axes, steps differ");
  }
  return put (l, n, 0,
      slice (l, x, starts, ends, has_axes ? axes : NULL,
          has_steps ? steps : NULL, k));
}

static gboolean
op_split (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0);
  gint64 axis = attr_i (n, "axis", 0), split[MAX_RANK * 4], at = 0;
  guint k = 0, i;
  gint c;

  if (!x || !norm_axis (&axis, x->rank))
    return fail (l, OMNI_NN_ERROR_SHAPE, "no input or axis out of range");
  c = attr_ints (n, "split", split, G_N_ELEMENTS (split));
  if (c >= 0)
    k = (guint) c;
  else if (in_val (l, n, 1)
           && !const_ints (
               l, in_val (l, n, 1), "split", split, G_N_ELEMENTS (split), &k))
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

    if (!put (l, n, i, slice (l, x, &at, &e, &axis, NULL, 1)))
      return FALSE;
    at = e;
  }
  return TRUE;
}

static gboolean
op_gather (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0), *idx = in_val (l, n, 1), *acc = NULL;
  gint64 axis = attr_i (n, "axis", 0), dims[MAX_RANK];
  guint rank = 0, i;
  gsize j;

  if (!x || !idx || !norm_axis (&axis, x->rank))
    return fail (l, OMNI_NN_ERROR_SHAPE, "no input or axis out of range");
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
      return fail (l, OMNI_NN_ERROR_SHAPE, "index out of range");
    }
    e = s + 1;
    if (!(part = slice (l, x, &s, &e, &axis, NULL, 1))) {
      g_free (acc);
      return FALSE;
    }
    if (!acc) {
      acc = part;
      continue;
    }
    next = concat2 (l, acc, part, (guint) axis);
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
  if (!acc->is_const && count (rank, dims) == acc->n && rank == acc->rank
      && !memcmp (dims, acc->dims, rank * sizeof (gint64)))
    return put (l, n, 0, acc);
  {
    Val *v = reshaped (l, acc, rank, dims);

    g_free (acc);
    return put (l, n, 0, v);
  }
}

static gboolean
op_expand (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0), shape_v = { 0 };
  gint64 shape[MAX_RANK], dims[MAX_RANK];
  ViewDim vd[MAX_RANK];
  guint k, rank, i;

  if (!x || !const_ints (l, in_val (l, n, 1), "the shape", shape, MAX_RANK, &k))
    return x ? FALSE : fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  shape_v.rank = k;
  memcpy (shape_v.dims, shape, k * sizeof (gint64));
  if (!broadcast_shape (x, &shape_v, &rank, dims))
    return fail (l, OMNI_NN_ERROR_SHAPE, "shape does not broadcast");
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
  return put (l, n, 0, view (l, x, rank, vd));
}

static gboolean
op_pad (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0), *cv = in_val (l, n, 2);
  gint64 pads[2 * MAX_RANK];
  ViewDim vd[MAX_RANK];
  gchar buf[16];
  const gchar *mode = attr_s (n, "mode", "constant", buf, sizeof (buf));
  OmniNnPadMode m = OMNI_NN_PAD_CONSTANT;
  gfloat value = 0.0f;
  guint k, i;
  gint c;

  if (!x)
    return fail (l, OMNI_NN_ERROR_SHAPE, "no input");
  if (l->opset < 11) {
    c = attr_ints (n, "pads", pads, 2 * MAX_RANK);
    k = c < 0 ? 0 : (guint) c;
    value = attr_f (n, "value", 0.0f);
  } else {
    if (!const_ints (l, in_val (l, n, 1), "pads", pads, 2 * MAX_RANK, &k))
      return FALSE;
    if (cv && (!cv->is_const || cv->n != 1))
      return UNSUPPORTED (l, "a pad value that is not one constant");
    if (cv)
      value = (gfloat) cv->data[0];
  }
  if (in_val (l, n, 3))
    return UNSUPPORTED (l, "the axes input");
  if (k != 2 * x->rank)
    return fail (l, OMNI_NN_ERROR_SHAPE, "pads do not fit the rank");
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
      return fail (l, OMNI_NN_ERROR_SHAPE, "pads remove the whole axis");
  }
  if (x->is_const)
    return UNSUPPORTED (l, "a Pad of a constant");
  return put (l, n, 0, emit_view (l, x, x->rank, vd, m, value));
}

/* ---- ops: convolutions and pooling (NCHW <-> the IR's NHWC) -------------- */

/* [1, C, H, W] or [1, C, L] -> the IR's [H, W, C] (a transpose). */
static Val *
to_nhwc (Loader *l, const Val *x, guint *h, guint *w, guint *c)
{
  ViewDim vd[3];
  gboolean one_d = x->rank == 3;

  if ((x->rank != 4 && x->rank != 3) || x->dims[0] != 1) {
    fail (l, OMNI_NN_ERROR_UNSUPPORTED,
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
  return emit_view (l, x, 3, vd, OMNI_NN_PAD_CONSTANT, 0.0f);
}

/* The IR's [H, W, C] -> ONNX [1, C, H, W] (or [1, C, W] when @one_d). */
static Val *
from_nhwc (Loader *l, Val *y, guint h, guint w, guint c, gboolean one_d)
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
  v = emit_view (l, &tmp, one_d ? 3 : 4, vd, OMNI_NN_PAD_CONSTANT, 0.0f);
  if (v)
    v->nhwc = y->tensor + 1;
  g_free (y);
  return v;
}

/* Kernel, strides, dilations, pads of a 1-D or 2-D window op, and its
 * output size (ONNX's auto_pad and ceil_mode rules). */
typedef struct {
  guint kh, kw, sh, sw, dh, dw;
  gint pt, pl, pb, pr;
  guint oh, ow;
} Window;

static gboolean
window (Loader *l, const Onnx__NodeProto *n, gboolean one_d, guint h, guint w,
    guint kh, guint kw, Window *win)
{
  gint64 v[4];
  gchar buf[16];
  const gchar *ap = attr_s (n, "auto_pad", "NOTSET", buf, sizeof (buf));
  gboolean ceil_mode = attr_i (n, "ceil_mode", 0) != 0;
  guint ekh, ekw;
  gint c;

  memset (win, 0, sizeof (*win));
  win->kh = kh;
  win->kw = kw;
  win->sh = win->sw = win->dh = win->dw = 1;
  if ((c = attr_ints (n, "strides", v, 2)) > 0) {
    win->sh = one_d ? 1 : (guint) v[0];
    win->sw = (guint) v[c - 1];
  }
  if ((c = attr_ints (n, "dilations", v, 2)) > 0) {
    win->dh = one_d ? 1 : (guint) v[0];
    win->dw = (guint) v[c - 1];
  }
  if ((c = attr_ints (n, "pads", v, 4)) > 0) {
    if (one_d) {
      win->pl = (gint) v[0];
      win->pr = (gint) v[1];
    } else {
      win->pt = (gint) v[0];
      win->pl = (gint) v[1];
      win->pb = (gint) v[2];
      win->pr = (gint) v[3];
    }
  }
  if (!win->sh || !win->sw || !win->dh || !win->dw)
    return fail (l, OMNI_NN_ERROR_SHAPE, "zero stride or dilation");
  ekh = (kh - 1) * win->dh + 1;
  ekw = (kw - 1) * win->dw + 1;
  if (!strcmp (ap, "SAME_UPPER") || !strcmp (ap, "SAME_LOWER")) {
    guint oh = (h + win->sh - 1) / win->sh, ow = (w + win->sw - 1) / win->sw;
    gint th = MAX ((gint) ((oh - 1) * win->sh + ekh) - (gint) h, 0);
    gint tw = MAX ((gint) ((ow - 1) * win->sw + ekw) - (gint) w, 0);
    gboolean lower = !strcmp (ap, "SAME_LOWER");

    win->pt = lower ? (th + 1) / 2 : th / 2;
    win->pl = lower ? (tw + 1) / 2 : tw / 2;
    win->pb = th - win->pt;
    win->pr = tw - win->pl;
  } else if (!strcmp (ap, "VALID")) {
    win->pt = win->pl = win->pb = win->pr = 0;
  }
  {
    gint nh = (gint) h + win->pt + win->pb - (gint) ekh;
    gint nw = (gint) w + win->pl + win->pr - (gint) ekw;

    if (nh < 0 || nw < 0)
      return fail (l, OMNI_NN_ERROR_SHAPE, "window larger than the input");
    win->oh
        = (guint) (ceil_mode ? (nh + win->sh - 1) / win->sh : nh / win->sh) + 1;
    win->ow
        = (guint) (ceil_mode ? (nw + win->sw - 1) / win->sw : nw / win->sw) + 1;
    /* ceil mode: a window must start inside the input or left padding */
    if (ceil_mode && (gint) ((win->oh - 1) * win->sh) >= (gint) h + win->pt)
      win->oh--;
    if (ceil_mode && (gint) ((win->ow - 1) * win->sw) >= (gint) w + win->pl)
      win->ow--;
  }
  if (win->pt < 0 || win->pl < 0)
    return UNSUPPORTED (l, "negative pads");
  return TRUE;
}

/* Conv weights [M, C/g, kh, kw] -> conv2d [kh, kw, C, M] (groups 1) or
 * depthwise [kh, kw, C, M/C] (groups C). */
static guint
conv_weights (Loader *l, const Val *wv, guint cin_g, guint m, guint kh,
    guint kw, gboolean depthwise, guint c)
{
  gsize total = (gsize) m * cin_g * kh * kw;
  gdouble *d = g_new (gdouble, total);
  guint o, i, y, x, dims[4];

  for (o = 0; o < m; o++)
    for (i = 0; i < cin_g; i++)
      for (y = 0; y < kh; y++)
        for (x = 0; x < kw; x++) {
          gdouble v = wv->data[(((gsize) o * cin_g + i) * kh + y) * kw + x];

          if (depthwise) /* channel o / mult, multiplier o % mult */
            d[(((gsize) y * kw + x) * c + o / (m / c)) * (m / c) + o % (m / c)]
                = v;
          else
            d[(((gsize) y * kw + x) * cin_g + i) * m + o] = v;
        }
  dims[0] = kh;
  dims[1] = kw;
  dims[2] = depthwise ? c : cin_g;
  dims[3] = depthwise ? m / c : m;
  o = weight_tensor (l, d, total, 4, dims);
  g_free (d);
  return o;
}

/* One convolution of the NHWC activation @xt ([h, w, c]) with weights
 * @wv [m, c / (dw ? c : 1), kh, kw] and bias @bias (m values or NULL): an
 * NHWC [oh, ow, m] result. */
static Val *
conv_nhwc (Loader *l, const Val *xt, guint h, guint w, guint c, const Val *wv,
    guint m, const gdouble *bias, gboolean dw, const Window *win)
{
  OmniNnOpParams p = { 0 };
  OmniNnConv2dParams *q = &p.conv2d;
  guint wt = conv_weights (l, wv, dw ? 1 : c, m, win->kh, win->kw, dw, c);
  guint bt = bias ? weight_flat (l, bias, m) : OMNI_NN_NO_TENSOR;

  if (!dw && win->kh == 1 && win->kw == 1 && win->sh == 1 && win->sw == 1
      && !win->pt && !win->pl && !win->pb && !win->pr) {
    p.gemm.m = h * w;
    p.gemm.k = c;
    p.gemm.n = m;
    return emit (
        l, OMNI_NN_OP_POINTWISE_CONV2D, &p, &xt->tensor, 1, wt, bt, 0, NULL);
  }
  q->in_h = h;
  q->in_w = w;
  q->in_c = c;
  q->out_h = win->oh;
  q->out_w = win->ow;
  q->out_c = m;
  q->kernel_h = win->kh;
  q->kernel_w = win->kw;
  q->stride_h = win->sh;
  q->stride_w = win->sw;
  q->dilation_h = win->dh;
  q->dilation_w = win->dw;
  q->pad_top = win->pt;
  q->pad_left = win->pl;
  if (dw)
    p.depthwise.depth_multiplier = m / c;
  return emit (l, dw ? OMNI_NN_OP_DEPTHWISE_CONV2D : OMNI_NN_OP_CONV2D, &p,
      &xt->tensor, 1, wt, bt, 0, NULL);
}

/* Groups other than 1 and C: one convolution per group on its channels
 * (a strided view of the NHWC input), the results side by side. */
static Val *
conv_groups (Loader *l, const Val *xt, guint h, guint w, guint c, const Val *wv,
    guint m, const Val *bv, guint groups, const Window *win)
{
  guint cg = c / groups, mg = m / groups, k;
  gsize per = wv->n / groups;
  Val *acc = NULL;

  for (k = 0; k < groups; k++) {
    ViewDim vd[3] = { { h, 0, 0, 1 }, { w, 1, 0, 1 }, { cg, 2, k * cg, 1 } };
    Val wk = *wv, *xk, *yk, *next;

    wk.dims[0] = mg;
    wk.n = per;
    wk.data = wv->data + k * per;
    if (!(xk = emit_view (l, xt, 3, vd, OMNI_NN_PAD_CONSTANT, 0)))
      break;
    yk = conv_nhwc (
        l, xk, h, w, cg, &wk, mg, bv ? bv->data + k * mg : NULL, FALSE, win);
    g_free (xk);
    if (!yk)
      break;
    yk->rank = 3;
    yk->dims[0] = win->oh;
    yk->dims[1] = win->ow;
    yk->dims[2] = mg;
    next = acc ? concat2 (l, acc, yk, 2) : yk;
    if (acc) {
      g_free (acc);
      g_free (yk);
    }
    if (!(acc = next))
      break;
  }
  if (k < groups) {
    g_free (acc);
    return NULL;
  }
  return acc;
}

static gboolean
op_conv (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0), *wv = in_val (l, n, 1), *bv = in_val (l, n, 2);
  Val *xt, *y;
  guint h, w, c, m, g = (guint) attr_i (n, "group", 1);
  gboolean one_d;
  Window win;

  if (!x || !wv || !wv->is_const || (bv && !bv->is_const))
    return UNSUPPORTED (l, "weights or bias that are not constant");
  if (x->is_const)
    return UNSUPPORTED (l, "a Conv of a constant");
  one_d = x->rank == 3;
  if (wv->rank != x->rank || !g)
    return fail (l, OMNI_NN_ERROR_SHAPE, "weights do not fit the input");
  m = (guint) wv->dims[0];
  if (!(xt = to_nhwc (l, x, &h, &w, &c)))
    return FALSE;
  if (c % g || m % g || wv->dims[1] != c / g || (bv && bv->n != m)) {
    g_free (xt);
    return fail (l, OMNI_NN_ERROR_SHAPE, "weights do not fit the groups");
  }
  if (!window (l, n, one_d, h, w, one_d ? 1 : (guint) wv->dims[2],
          (guint) wv->dims[x->rank - 1], &win)) {
    g_free (xt);
    return FALSE;
  }
  if (g == 1 || g == c)
    y = conv_nhwc (l, xt, h, w, c, wv, m, bv ? bv->data : NULL, g > 1, &win);
  else
    y = conv_groups (l, xt, h, w, c, wv, m, bv, g, &win);
  g_free (xt);
  if (!y)
    return FALSE;
  return put (l, n, 0, from_nhwc (l, y, win.oh, win.ow, m, one_d));
}

/* ConvTranspose pads along one axis: explicit, or from output_shape or
 * auto_pad (ONNX's rules); returns the output size, 0 if invalid. */
static gint
conv_t_axis (gint64 in, gint64 k, gint64 s, gint64 d, gint64 op,
    gint64 out_shape, const gchar *auto_pad, gint64 *pb, gint64 *pe)
{
  gint64 full = (in - 1) * s + (k - 1) * d + 1 + op;

  if (out_shape > 0 || strcmp (auto_pad, "NOTSET")) {
    gint64 want = out_shape > 0 ? out_shape : in * s, total = full - want;

    if (!strcmp (auto_pad, "SAME_UPPER")) {
      *pb = total / 2;
      *pe = total - *pb;
    } else {
      *pe = total / 2;
      *pb = total - *pe;
    }
  }
  return *pb < 0 || *pe < 0 || full - *pb - *pe <= 0
             ? 0
             : (gint) (full - *pb - *pe);
}

static gboolean
op_conv_transpose (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0), *wv = in_val (l, n, 1), *bv = in_val (l, n, 2);
  Val *xt, *y;
  OmniNnOpParams p = { 0 };
  OmniNnConv2dParams *q = &p.conv2d;
  gint64 st[2] = { 1, 1 }, dl[2] = { 1, 1 }, pads[4] = { 0 }, op[2] = { 0 };
  gint64 os[2] = { 0 }, kh, kw, pb[2], pe[2];
  gchar buf[16];
  const gchar *ap = attr_s (n, "auto_pad", "NOTSET", buf, sizeof (buf));
  guint h, w, c, m, i, dims[4];
  gboolean one_d;
  gint oh, ow, ns;
  gdouble *d;

  if (!x || x->is_const || !wv || !wv->is_const || (bv && !bv->is_const))
    return UNSUPPORTED (l, "weights or bias that are not constant");
  if (attr_i (n, "group", 1) != 1)
    return UNSUPPORTED (l, "groups");
  one_d = x->rank == 3;
  if (wv->rank != x->rank)
    return fail (l, OMNI_NN_ERROR_SHAPE, "weights do not fit the input");
  ns = one_d ? 1 : 2;
  attr_ints (n, "strides", st, 2);
  attr_ints (n, "dilations", dl, 2);
  attr_ints (n, "output_padding", op, 2);
  attr_ints (n, "output_shape", os, 2);
  if (attr_ints (n, "pads", pads, 4) == 2) {
    pads[2] = pads[1];
    pads[1] = 0;
  }
  if (!(xt = to_nhwc (l, x, &h, &w, &c)))
    return FALSE;
  m = (guint) wv->dims[1];
  kh = one_d ? 1 : wv->dims[2];
  kw = wv->dims[x->rank - 1];
  if (wv->dims[0] != c) {
    g_free (xt);
    return fail (l, OMNI_NN_ERROR_SHAPE, "weights do not fit the channels");
  }
  /* axis 0 = H (1 for 1-D), axis 1 = W */
  pb[0] = one_d ? 0 : pads[0];
  pe[0] = one_d ? 0 : pads[2];
  pb[1] = one_d ? pads[0] : pads[1];
  pe[1] = one_d ? pads[2] : pads[3];
  oh = one_d ? 1
             : conv_t_axis (
                 h, kh, st[0], dl[0], op[0], os[0], ap, &pb[0], &pe[0]);
  ow = conv_t_axis (w, kw, st[ns - 1], dl[ns - 1], op[ns - 1], os[ns - 1], ap,
      &pb[1], &pe[1]);
  if (oh <= 0 || ow <= 0) {
    g_free (xt);
    return UNSUPPORTED (l, "pads larger than the output");
  }
  q->in_h = h;
  q->in_w = w;
  q->in_c = c;
  q->out_h = (guint) oh;
  q->out_w = (guint) ow;
  q->out_c = m;
  q->kernel_h = (guint) kh;
  q->kernel_w = (guint) kw;
  q->stride_h = one_d ? 1 : (guint) st[0];
  q->stride_w = (guint) st[ns - 1];
  q->dilation_h = one_d ? 1 : (guint) dl[0];
  q->dilation_w = (guint) dl[ns - 1];
  q->pad_top = (gint) pb[0];
  q->pad_left = (gint) pb[1];
  /* [Cin, Cout, kh, kw] -> [kh, kw, Cin, Cout] */
  d = g_new (gdouble, wv->n);
  for (i = 0; i < wv->n; i++) {
    gsize xk = i % kw, yk = (i / kw) % kh, o = (i / (kw * kh)) % m;
    gsize ci = i / (kw * kh * m);

    d[((yk * kw + xk) * c + ci) * m + o] = wv->data[i];
  }
  dims[0] = (guint) kh;
  dims[1] = (guint) kw;
  dims[2] = c;
  dims[3] = m;
  y = emit (l, OMNI_NN_OP_CONV_TRANSPOSE, &p, &xt->tensor, 1,
      weight_tensor (l, d, wv->n, 4, dims),
      bv ? weight_flat (l, bv->data, bv->n) : OMNI_NN_NO_TENSOR, 0, NULL);
  g_free (d);
  g_free (xt);
  if (!y)
    return FALSE;
  return put (l, n, 0, from_nhwc (l, y, (guint) oh, (guint) ow, m, one_d));
}

static gboolean
op_pool (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0), *xt, *y;
  OmniNnOpParams p = { 0 };
  OmniNnPool2dParams *q = &p.pool2d;
  gint64 k[2];
  gint nk = attr_ints (n, "kernel_shape", k, 2);
  gboolean one_d, is_max = !strcmp (n->op_type, "MaxPool");
  guint h, w, c;
  Window win;

  if (!x || x->is_const || nk < 1)
    return UNSUPPORTED (l, "a pool of a constant or without kernel_shape");
  if (n->n_output > 1 && n->output[1] && *n->output[1])
    return UNSUPPORTED (l, "the Indices output");
  if (!is_max && attr_i (n, "count_include_pad", 0))
    return UNSUPPORTED (l, "count_include_pad");
  one_d = x->rank == 3;
  if (!(xt = to_nhwc (l, x, &h, &w, &c)))
    return FALSE;
  if (!window (l, n, one_d, h, w, one_d ? 1 : (guint) k[0], (guint) k[nk - 1],
          &win)) {
    g_free (xt);
    return FALSE;
  }
  if (win.dh != 1 || win.dw != 1) {
    g_free (xt);
    return UNSUPPORTED (l, "dilations");
  }
  q->in_h = h;
  q->in_w = w;
  q->c = c;
  q->out_h = win.oh;
  q->out_w = win.ow;
  q->kernel_h = win.kh;
  q->kernel_w = win.kw;
  q->stride_h = win.sh;
  q->stride_w = win.sw;
  q->pad_top = win.pt;
  q->pad_left = win.pl;
  q->max = is_max;
  y = emit (l, OMNI_NN_OP_POOL2D, &p, &xt->tensor, 1, OMNI_NN_NO_TENSOR,
      OMNI_NN_NO_TENSOR, 0, NULL);
  g_free (xt);
  if (!y)
    return FALSE;
  return put (l, n, 0, from_nhwc (l, y, win.oh, win.ow, c, one_d));
}

/* Resize (10+) and Upsample (9) of [1, C, H, W] in H and W, in the
 * coordinate modes that tf.image.resize computes the same way (the IR's
 * resize op, NHWC): linear with half_pixel (or pytorch_half_pixel),
 * asymmetric or align_corners; nearest with asymmetric + floor or
 * align_corners + round_prefer_ceil. Scales must give whole sizes. */
static gboolean
op_resize (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0), *xt, *y;
  gboolean up = !strcmp (n->op_type, "Upsample") || l->opset < 11;
  Val *sc = in_val (l, n, up ? 1 : 2), *sz = up ? NULL : in_val (l, n, 3);
  gchar b1[32], b2[32], b3[32];
  const gchar *mode = attr_s (n, "mode", "nearest", b1, sizeof (b1));
  const gchar *coord = attr_s (n, "coordinate_transformation_mode",
      up ? "asymmetric" : "half_pixel", b2, sizeof (b2));
  const gchar *nm
      = attr_s (n, "nearest_mode", "round_prefer_floor", b3, sizeof (b3));
  OmniNnOpParams p = { 0 };
  OmniNnResizeParams *q = &p.resize;
  guint h, w, c, oh, ow;
  gboolean nearest = !strcmp (mode, "nearest");

  if (!x || x->is_const || x->rank != 4 || x->dims[0] != 1)
    return UNSUPPORTED (l, "an input that is not [1, C, H, W]");
  if (sz && sz->n == 4 && sz->is_const) {
    oh = (guint) sz->data[2];
    ow = (guint) sz->data[3];
    if (sz->data[0] != 1 || sz->data[1] != x->dims[1])
      return UNSUPPORTED (l, "resizing N or C");
  } else if (sc && sc->is_const && sc->n == 4) {
    gdouble fh = x->dims[2] * sc->data[2], fw = x->dims[3] * sc->data[3];

    if (sc->data[0] != 1 || sc->data[1] != 1)
      return UNSUPPORTED (l, "resizing N or C");
    if (fh != floor (fh) || fw != floor (fw))
      return UNSUPPORTED (l, "scales that do not give whole sizes");
    oh = (guint) fh;
    ow = (guint) fw;
  } else {
    return UNSUPPORTED (l, "scales or sizes that are not constant");
  }
  if (!strcmp (coord, "pytorch_half_pixel") && oh > 1 && ow > 1)
    coord = "half_pixel";
  if (strcmp (mode, "nearest") && strcmp (mode, "linear"))
    return UNSUPPORTED (l, "mode '%s'", mode);
  if (nearest
      && !((!strcmp (coord, "asymmetric") && !strcmp (nm, "floor"))
           || (!strcmp (coord, "align_corners")
               && !strcmp (nm, "round_prefer_ceil"))))
    return UNSUPPORTED (l, "nearest with %s and %s", coord, nm);
  if (!nearest && strcmp (coord, "half_pixel") && strcmp (coord, "asymmetric")
      && strcmp (coord, "align_corners"))
    return UNSUPPORTED (l, "linear with %s", coord);
  if (!oh || !ow)
    return UNSUPPORTED (l, "an empty tensor");
  if (!(xt = to_nhwc (l, x, &h, &w, &c)))
    return FALSE;
  q->in_h = h;
  q->in_w = w;
  q->c = c;
  q->out_h = oh;
  q->out_w = ow;
  q->nearest = nearest;
  q->align_corners = !strcmp (coord, "align_corners");
  q->half_pixel_centers = !strcmp (coord, "half_pixel");
  y = emit (l, OMNI_NN_OP_RESIZE, &p, &xt->tensor, 1, OMNI_NN_NO_TENSOR,
      OMNI_NN_NO_TENSOR, 0, NULL);
  g_free (xt);
  if (!y)
    return FALSE;
  return put (l, n, 0, from_nhwc (l, y, oh, ow, c, FALSE));
}

/* Reduction of the adjacent axes [first, last] of @x (keepdims shape in
 * @rank/@dims). */
static Val *
reduce_range (Loader *l, const Val *x, guint first, guint last,
    OmniNnReduceKind kind, guint rank, const gint64 *dims)
{
  OmniNnOpParams p = { 0 };
  guint i;

  p.reduce.outer = p.reduce.n = p.reduce.inner = 1;
  p.reduce.kind = kind;
  for (i = 0; i < x->rank; i++) {
    if (i < first)
      p.reduce.outer *= (guint) x->dims[i];
    else if (i <= last)
      p.reduce.n *= (guint) x->dims[i];
    else
      p.reduce.inner *= (guint) x->dims[i];
  }
  return emit (l, OMNI_NN_OP_REDUCE, &p, &x->tensor, 1, OMNI_NN_NO_TENSOR,
      OMNI_NN_NO_TENSOR, rank, dims);
}

static gboolean
op_global_pool (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0);
  gint64 dims[MAX_RANK];
  guint i;

  if (!x || x->is_const || x->rank < 3)
    return UNSUPPORTED (l, "an input that is not [N, C, ...]");
  for (i = 0; i < x->rank; i++)
    dims[i] = i < 2 ? x->dims[i] : 1;
  return put (l, n, 0,
      reduce_range (l, x, 2, x->rank - 1,
          strcmp (n->op_type, "GlobalMaxPool") ? OMNI_NN_REDUCE_MEAN
                                               : OMNI_NN_REDUCE_MAX,
          x->rank, dims));
}

/* ---- ops: matrix products, normalisation, softmax, reductions ----------- */

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

    if (!(x = xr = emit_reshape (l, x, 2, rows)))
      return NULL;
  }
  p.gemm.m = (guint) (x->n / k);
  p.gemm.k = k;
  p.gemm.n = nn;
  v = emit (l, p.gemm.m == 1 ? OMNI_NN_OP_DENSE : OMNI_NN_OP_POINTWISE_CONV2D,
      &p, &x->tensor, 1, weight_tensor (l, w, (gsize) k * nn, 2, wd),
      bias ? weight_flat (l, bias, nn) : OMNI_NN_NO_TENSOR, rank, dims);
  g_free (xr);
  return v;
}

static gboolean
op_matmul (Loader *l, const Onnx__NodeProto *n)
{
  Val *a = in_val (l, n, 0), *b = in_val (l, n, 1);

  if (!a || !b)
    return fail (l, OMNI_NN_ERROR_SHAPE, "missing input");
  if (a->is_const || !b->is_const || b->rank != 2 || a->rank < 2)
    return UNSUPPORTED (
        l, "a MatMul other than activation [..., K] x constant [K, N]");
  if (a->dims[a->rank - 1] != b->dims[0])
    return fail (l, OMNI_NN_ERROR_SHAPE, "inner dimensions differ");
  return put (l, n, 0,
      gemm (l, a, b->data, (guint) b->dims[0], (guint) b->dims[1], NULL));
}

static gboolean
op_gemm (Loader *l, const Onnx__NodeProto *n)
{
  Val *a = in_val (l, n, 0), *b = in_val (l, n, 1), *c = in_val (l, n, 2);
  gfloat alpha = attr_f (n, "alpha", 1.0f), beta = attr_f (n, "beta", 1.0f);
  gboolean ta = attr_i (n, "transA", 0), tb = attr_i (n, "transB", 0);
  guint k, nn, i, j;
  gdouble *w, *bias = NULL;
  Val *at = NULL, *y;

  if (!a || !b || a->is_const || !b->is_const || (c && !c->is_const)
      || a->rank != 2 || b->rank != 2)
    return UNSUPPORTED (l, "a Gemm other than activation x constant");
  k = (guint) b->dims[tb ? 1 : 0];
  nn = (guint) b->dims[tb ? 0 : 1];
  if (a->dims[ta ? 0 : 1] != k)
    return fail (l, OMNI_NN_ERROR_SHAPE, "inner dimensions differ");
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

    a = at = emit_transpose (l, a, perm);
  }
  y = a ? gemm (l, a, w, k, nn, bias) : NULL;
  g_free (w);
  g_free (bias);
  g_free (at);
  return put (l, n, 0, y);
}

/* Per-channel (axis 1) x * scale + shift as two constant binaries. */
static gboolean
op_batch_norm (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0), *v[4], sc = { 0 }, *y, *z;
  gfloat eps = attr_f (n, "epsilon", 1e-5f);
  gdouble *scale, *shift;
  guint i, ch;

  for (i = 0; i < 4; i++)
    if (!(v[i] = in_val (l, n, i + 1)) || !v[i]->is_const)
      return UNSUPPORTED (l, "scale, bias, mean or variance not constant");
  if (!x || x->is_const || x->rank < 2)
    return UNSUPPORTED (l, "an input that is not [N, C, ...]");
  if (attr_i (n, "training_mode", 0) || n->n_output > 1)
    return UNSUPPORTED (l, "training mode");
  ch = (guint) x->dims[1];
  for (i = 0; i < 4; i++)
    if (v[i]->n != ch)
      return fail (l, OMNI_NN_ERROR_SHAPE, "parameters are not per channel");
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
  y = binary (l, x, &sc, OMNI_NN_BINARY_MUL);
  sc.data = shift;
  z = y ? binary (l, y, &sc, OMNI_NN_BINARY_ADD) : NULL;
  g_free (y);
  g_free (scale);
  g_free (shift);
  return put (l, n, 0, z);
}

static gboolean
op_softmax (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0), *xt = NULL, *y, *z;
  gint64 axis = attr_i (n, "axis", l->opset < 13 ? 1 : -1), perm[MAX_RANK];
  OmniNnOpParams p = { 0 };
  gboolean logsm = !strcmp (n->op_type, "LogSoftmax");
  guint i;
  gsize rows = 1;

  if (!x || x->is_const || !norm_axis (&axis, x->rank))
    return UNSUPPORTED (l, "a constant input or an axis out of range");
  for (i = 0; i < axis; i++)
    rows *= (gsize) x->dims[i];
  if (l->opset < 13 || axis == x->rank - 1) {
    /* before opset 13: the input coerced to 2-D at the axis */
    p.softmax.rows = (guint) rows;
    p.softmax.n = (guint) (x->n / rows);
    y = emit (l, OMNI_NN_OP_SOFTMAX, &p, &x->tensor, 1, OMNI_NN_NO_TENSOR,
        OMNI_NN_NO_TENSOR, x->rank, x->dims);
  } else {
    /* the axis moved last, and back */
    for (i = 0; i < x->rank; i++)
      perm[i] = i < axis ? i : i < x->rank - 1 ? i + 1 : axis;
    if (!(xt = emit_transpose (l, x, perm)))
      return FALSE;
    p.softmax.rows = (guint) (x->n / x->dims[axis]);
    p.softmax.n = (guint) x->dims[axis];
    z = emit (l, OMNI_NN_OP_SOFTMAX, &p, &xt->tensor, 1, OMNI_NN_NO_TENSOR,
        OMNI_NN_NO_TENSOR, xt->rank, xt->dims);
    for (i = 0; i < x->rank; i++)
      perm[i] = i < axis ? i : i == axis ? x->rank - 1 : i - 1;
    y = z ? emit_transpose (l, z, perm) : NULL;
    g_free (z);
    g_free (xt);
  }
  if (y && logsm) {
    OmniNnOpParams q = { 0 };

    q.unary.n = y->n;
    q.unary.kind = OMNI_NN_UNARY_LOG;
    z = emit (l, OMNI_NN_OP_UNARY, &q, &y->tensor, 1, OMNI_NN_NO_TENSOR,
        OMNI_NN_NO_TENSOR, y->rank, y->dims);
    g_free (y);
    y = z;
  }
  return put (l, n, 0, y);
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
  Val *x = in_val (l, n, 0), *acc;
  gint64 axes[MAX_RANK], dims[MAX_RANK];
  gboolean red[MAX_RANK] = { FALSE }, keep = attr_i (n, "keepdims", 1) != 0;
  OmniNnReduceKind kind = OMNI_NN_REDUCE_MEAN;
  guint n_axes, i, rank = 0;
  gint a;

  for (i = 0; i < G_N_ELEMENTS (reduce_ops); i++)
    if (!strcmp (n->op_type, reduce_ops[i].op))
      kind = reduce_ops[i].kind;
  if (!x || x->is_const)
    return UNSUPPORTED (l, "a reduction of a constant");
  if (!axes_of (l, n, 1, axes, &n_axes))
    return FALSE;
  if (n_axes == 0 && attr_i (n, "noop_with_empty_axes", 0))
    return put (l, n, 0, alias (x));
  for (i = 0; i < n_axes; i++) {
    if (!norm_axis (&axes[i], x->rank))
      return fail (l, OMNI_NN_ERROR_SHAPE, "axis out of range");
    red[axes[i]] = TRUE;
  }
  for (i = 0; i < x->rank; i++)
    if (n_axes == 0)
      red[i] = TRUE;
  /* from the last run of reduced axes to the first, keeping dims */
  acc = alias (x);
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
    next = reduce_range (
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
  return put (l, n, 0, acc);
}

/* ---- ops: LSTM ------------------------------------------------------------ */

/* Direction @d's, batch @b's slice [1, 1, H] of an initial state
 * [dirs, batch, H]; zeros when absent. */
static Val *
lstm_state (Loader *l, const Val *s, guint d, guint b, guint hidden)
{
  gint64 dims[3] = { 1, 1, hidden }, st[2] = { d, b }, e[2] = { d + 1, b + 1 };
  gint64 ax[2] = { 0, 1 };

  if (!s) {
    Val *z = val_const (l, 3, dims, g_new0 (gdouble, hidden), DT_FLOAT);

    return z;
  }
  return slice (l, s, st, e, ax, NULL, 2);
}

/* One direction: the IR node, and its outputs as views of the packed
 * [seq + 2, H] result. */
static gboolean
lstm_direction (Loader *l, const Onnx__NodeProto *n, Val *x, guint d,
    guint batch, gboolean reverse, guint hidden, Val **y, Val **yh, Val **yc)
{
  Val *w = in_val (l, n, 1), *r = in_val (l, n, 2), *b = in_val (l, n, 3);
  Val *h0, *c0, *st, *mst = NULL, packed = { 0 }, *out;
  OmniNnOpParams p = { 0 };
  guint seq = (guint) x->dims[0], in = (guint) x->dims[2], H = hidden;
  gsize nw = (gsize) 4 * H * in, nr = (gsize) 4 * H * H, i;
  gdouble *wd, *bd = NULL;
  guint ins[2], wt, bt = OMNI_NN_NO_TENSOR;
  ViewDim vd[4];

  h0 = lstm_state (l, in_val (l, n, 5), d, batch, H);
  c0 = lstm_state (l, in_val (l, n, 6), d, batch, H);
  st = h0 && c0 ? concat2 (l, h0, c0, 2) : NULL;
  g_free (h0);
  g_free (c0);
  if (!st)
    return FALSE;
  if (st->is_const && !(mst = materialize (l, st))) {
    g_free (st);
    return FALSE;
  }
  wd = g_new (gdouble, nw + nr);
  memcpy (wd, w->data + d * nw, nw * sizeof (gdouble));
  memcpy (wd + nw, r->data + d * nr, nr * sizeof (gdouble));
  wt = weight_flat (l, wd, nw + nr);
  g_free (wd);
  if (b) {
    bd = g_new (gdouble, 4 * H);
    for (i = 0; i < 4 * H; i++)
      bd[i] = b->data[d * 8 * H + i] + b->data[d * 8 * H + 4 * H + i];
    bt = weight_flat (l, bd, 4 * H);
    g_free (bd);
  }
  p.lstm.seq = seq;
  p.lstm.in = in;
  p.lstm.hidden = H;
  p.lstm.reverse = reverse;
  ins[0] = x->tensor;
  ins[1] = mst ? mst->tensor : st->tensor;
  packed.rank = 2;
  packed.dims[0] = seq + 2;
  packed.dims[1] = H;
  out = emit (l, OMNI_NN_OP_LSTM, &p, ins, 2, wt, bt, 2, packed.dims);
  g_free (st);
  g_free (mst);
  if (!out)
    return FALSE;
  vd[0] = (ViewDim){ seq, 0, 0, 1 };
  vd[1] = (ViewDim){ 1, -1, 0, 0 };
  vd[2] = (ViewDim){ 1, -1, 0, 0 };
  vd[3] = (ViewDim){ H, 1, 0, 1 };
  *y = emit_view (l, out, 4, vd, OMNI_NN_PAD_CONSTANT, 0);
  vd[0] = (ViewDim){ 1, 0, seq, 1 };
  vd[2] = vd[3];
  *yh = emit_view (l, out, 3, vd, OMNI_NN_PAD_CONSTANT, 0);
  vd[0] = (ViewDim){ 1, 0, seq + 1, 1 };
  *yc = emit_view (l, out, 3, vd, OMNI_NN_PAD_CONSTANT, 0);
  g_free (out);
  return *y && *yh && *yc;
}

/* The activations attribute, if any, is the default (per direction:
 * Sigmoid, Tanh, Tanh). */
static gboolean
lstm_default_activations (const Onnx__NodeProto *n)
{
  static const gchar *const def[3] = { "Sigmoid", "Tanh", "Tanh" };
  const Onnx__AttributeProto *a = attr (n, "activations");
  gsize i;

  if (!a)
    return TRUE;
  for (i = 0; i < a->n_strings; i++)
    if (a->strings[i].len != strlen (def[i % 3])
        || memcmp (a->strings[i].data, def[i % 3], a->strings[i].len))
      return FALSE;
  return TRUE;
}

/* Y [seq, dirs, 1, H], Y_h and Y_c [dirs, 1, H] of batch element @bi (one
 * IR LSTM node per direction). */
static gboolean
lstm_batch (Loader *l, const Onnx__NodeProto *n, Val *x, guint bi, guint dirs,
    gboolean reverse, guint H, Val **o)
{
  Val *y[2] = { NULL }, *yh[2] = { NULL }, *yc[2] = { NULL }, *xb;
  gint64 st = bi, e = bi + 1, ax = 1;
  gboolean ok = TRUE;
  guint d;

  xb = x->dims[1] == 1 ? alias (x) : slice (l, x, &st, &e, &ax, NULL, 1);
  if (!xb)
    return FALSE;
  for (d = 0; d < dirs && ok; d++)
    ok = lstm_direction (
        l, n, xb, d, bi, d == 1 || reverse, H, &y[d], &yh[d], &yc[d]);
  g_free (xb);
  if (ok && dirs == 2) {
    o[0] = concat2 (l, y[0], y[1], 1);
    o[1] = concat2 (l, yh[0], yh[1], 0);
    o[2] = concat2 (l, yc[0], yc[1], 0);
    ok = o[0] && o[1] && o[2];
  } else {
    o[0] = y[0];
    o[1] = yh[0];
    o[2] = yc[0];
    y[0] = yh[0] = yc[0] = NULL;
  }
  for (d = 0; d < 2; d++) {
    g_free (y[d]);
    g_free (yh[d]);
    g_free (yc[d]);
  }
  return ok;
}

static gboolean
op_lstm (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = in_val (l, n, 0), *w = in_val (l, n, 1), *r = in_val (l, n, 2);
  Val *b = in_val (l, n, 3), *sl = in_val (l, n, 4), *mx = NULL;
  Val *acc[3] = { NULL }, *o[3] = { NULL };
  gchar buf[32];
  const gchar *dir = attr_s (n, "direction", "forward", buf, sizeof (buf));
  guint H = (guint) attr_i (n, "hidden_size", 0), dirs, bi, i;
  gboolean ok = TRUE;

  if (!x || !w || !r || !w->is_const || !r->is_const || (b && !b->is_const))
    return UNSUPPORTED (l, "weights that are not constant");
  if (attr (n, "clip") || attr_i (n, "input_forget", 0) || in_val (l, n, 7)
      || !lstm_default_activations (n) || attr_i (n, "layout", 0))
    return UNSUPPORTED (l, "clip, input_forget, peepholes, activations other "
                           "than the defaults, or layout 1");
  if (x->rank != 3)
    return UNSUPPORTED (l, "an input that is not [seq, batch, in]");
  if (sl) {
    for (i = 0; i < sl->n; i++)
      if (!sl->is_const || sl->data[i] != x->dims[0])
        return UNSUPPORTED (l, "sequence lengths other than the input's");
  }
  dirs = !strcmp (dir, "bidirectional") ? 2 : 1;
  if (!H)
    H = (guint) (w->dims[1] / 4);
  if (w->rank != 3 || w->dims[0] != dirs || w->dims[1] != 4 * H
      || w->dims[2] != x->dims[2] || r->n != (gsize) dirs * 4 * H * H
      || (b && b->n != (gsize) dirs * 8 * H))
    return fail (l, OMNI_NN_ERROR_SHAPE, "weights do not fit hidden_size");
  if (x->is_const && !(x = mx = materialize (l, x)))
    return FALSE;
  /* one chain per batch element, side by side on the batch axis */
  for (bi = 0; bi < x->dims[1] && ok; bi++) {
    ok = lstm_batch (l, n, x, bi, dirs, !strcmp (dir, "reverse"), H, o);
    for (i = 0; i < 3 && ok; i++) {
      Val *next = acc[i] ? concat2 (l, acc[i], o[i], i == 0 ? 2 : 1) : o[i];

      if (acc[i]) {
        g_free (acc[i]);
        g_free (o[i]);
      }
      acc[i] = next;
      o[i] = NULL;
      ok = next != NULL;
    }
  }
  g_free (mx);
  for (i = 0; i < 3; i++) {
    g_free (o[i]);
    if (ok && acc[i])
      ok = put (l, n, i, acc[i]);
    else
      g_free (acc[i]);
  }
  return ok;
}

/* ---- control flow and the graph walk -------------------------------------- */

static gboolean convert_graph (Loader *l, const Onnx__GraphProto *g);

/* If with a condition known at load: the branch taken, inlined. */
static gboolean
op_if (Loader *l, const Onnx__NodeProto *n)
{
  Val *c = in_val (l, n, 0);
  const Onnx__AttributeProto *a;
  const Onnx__NodeProto *self = n;
  guint i;

  if (!c || !c->is_const || c->n != 1)
    return UNSUPPORTED (l, "a condition that is not known at load (bind the "
                           "input it depends on)");
  a = attr (n, c->data[0] != 0 ? "then_branch" : "else_branch");
  if (!a || !a->g)
    return fail (l, OMNI_NN_ERROR_PARSE, "no branch graph");
  if (!convert_graph (l, a->g))
    return FALSE;
  l->node = self;
  if (a->g->n_output != n->n_output)
    return fail (l, OMNI_NN_ERROR_SHAPE, "the branch has %u outputs",
        (guint) a->g->n_output);
  for (i = 0; i < n->n_output; i++) {
    Val *v = g_hash_table_lookup (l->vals, a->g->output[i]->name);

    if (!v)
      return fail (l, OMNI_NN_ERROR_SHAPE, "branch output '%s' not computed",
          a->g->output[i]->name);
    put (l, n, i, alias (v));
  }
  return TRUE;
}

typedef gboolean (*OpFunc) (Loader *l, const Onnx__NodeProto *n);

static const struct {
  const gchar *op;
  OpFunc fn;
} ops[] = {
  { "Constant", op_constant },
  { "Identity", op_identity },
  { "Dropout", op_dropout },
  { "Cast", op_cast },
  { "Shape", op_shape },
  { "Size", op_size },
  { "ConstantOfShape", op_constant_of_shape },
  { "Range", op_range },
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
  { "Equal", op_logic },
  { "Less", op_logic },
  { "Greater", op_logic },
  { "And", op_logic },
  { "Or", op_logic },
  { "Not", op_logic },
  { "Where", op_where },
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
  { "Conv", op_conv },
  { "ConvTranspose", op_conv_transpose },
  { "MaxPool", op_pool },
  { "AveragePool", op_pool },
  { "GlobalAveragePool", op_global_pool },
  { "GlobalMaxPool", op_global_pool },
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
  { "LSTM", op_lstm },
  { "Resize", op_resize },
  { "Upsample", op_resize },
  { "If", op_if },
};

/* GST_DEBUG-style trace of every node's outputs (OMNI_ONNX_TRACE=1). */
static void
trace_node (Loader *l, const Onnx__NodeProto *n)
{
  static gint trace = -1;
  guint i;

  if (trace < 0)
    trace = g_getenv ("OMNI_ONNX_TRACE") != NULL;
  if (!trace)
    return;
  for (i = 0; i < n->n_output; i++) {
    Val *v = g_hash_table_lookup (l->vals, n->output[i]);
    gchar *sh = v ? shape_str (v->rank, v->dims) : g_strdup ("-");

    g_printerr ("onnx: %s %s -> %s %s%s\n", n->op_type, node_name (n), sh,
        v && v->is_const ? "const" : "act",
        v && v->is_const && v->n <= 4 ? " (small)" : "");
    g_free (sh);
  }
}

static gboolean
convert_node (Loader *l, const Onnx__NodeProto *n)
{
  guint i;

  l->node = n;
  if (n->domain && *n->domain && strcmp (n->domain, "ai.onnx"))
    return UNSUPPORTED (l,
        "op %s of domain %s is not supported (only the "
        "default domain is)",
        n->op_type, n->domain);
  for (i = 0; i < n->n_input; i++) {
    if (n->input[i] && *n->input[i]
        && !g_hash_table_contains (l->vals, n->input[i]))
      return fail (l, OMNI_NN_ERROR_SHAPE, "input '%s' is not computed before",
          n->input[i]);
  }
  for (i = 0; i < G_N_ELEMENTS (ops); i++)
    if (!strcmp (n->op_type, ops[i].op)) {
      gboolean ok = ops[i].fn (l, n);

      if (ok)
        trace_node (l, n);
      return ok;
    }
  return UNSUPPORTED (l, "op %s is not supported", n->op_type);
}

static gboolean
convert_graph (Loader *l, const Onnx__GraphProto *g)
{
  gsize i;

  for (i = 0; i < g->n_initializer; i++) {
    Val *v = const_from_tensor (l, g->initializer[i]);

    if (!v)
      return FALSE;
    set_val (l, g->initializer[i]->name, v);
  }
  for (i = 0; i < g->n_node; i++)
    if (!convert_node (l, g->node[i]))
      return FALSE;
  return TRUE;
}

/* ---- inputs and outputs --------------------------------------------------- */

/* The shape of graph input @vi with symbolic dimensions bound. */
static gboolean
input_shape (Loader *l, const Onnx__ValueInfoProto *vi, OmniNnOnnxInput *in)
{
  const Onnx__TypeProto *t = vi->type;
  const Onnx__TensorShapeProto *s;
  gsize i;

  if (!t || t->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE)
    return UNSUPPORTED (l, "input '%s' is not a tensor", vi->name);
  s = t->tensor_type->shape;
  in->elem_type = t->tensor_type->elem_type;
  for (i = 0; i < l->n_constants; i++) {
    const OmniNnOnnxConstant *c = &l->constants[i];

    /* a shape given for a run-time input */
    if (!c->values && !g_strcmp0 (c->name, vi->name) && c->n_dims <= MAX_RANK) {
      in->n_dims = c->n_dims;
      memcpy (in->dims, c->dims, c->n_dims * sizeof (gint64));
      in->n = count (c->n_dims, c->dims);
      if (!in->n)
        return UNSUPPORTED (l, "input '%s' is empty", vi->name);
      return TRUE;
    }
  }
  in->n_dims = s ? (guint) s->n_dim : 0;
  if (in->n_dims > MAX_RANK)
    return UNSUPPORTED (l, "input '%s' has rank %u", vi->name, in->n_dims);
  in->n = 1;
  for (i = 0; i < in->n_dims; i++) {
    const Onnx__TensorShapeProto__Dimension *d = s->dim[i];
    const gchar *bound = NULL;

    if (d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE)
      in->dims[i] = d->dim_value;
    else if (d->value_case
                 == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM
             && (bound = g_hash_table_lookup (l->bindings, d->dim_param)))
      in->dims[i] = g_ascii_strtoll (bound, NULL, 10);
    else if (i == 0)
      in->dims[i] = 1; /* an unnamed or unbound batch */
    else
      return fail (l, OMNI_NN_ERROR_SHAPE,
          "dimension %u ('%s') of input '%s' is not bound (give "
          "name=value)",
          (guint) i,
          d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM
              ? d->dim_param
              : "",
          vi->name);
    if (in->dims[i] <= 0)
      return UNSUPPORTED (l, "input '%s' is empty", vi->name);
    in->n *= (gsize) in->dims[i];
  }
  return TRUE;
}

/* An input given as a constant tensor at load. */
static gboolean
bind_constant (Loader *l, const gchar *name)
{
  guint i;
  gsize j;

  for (i = 0; i < l->n_constants; i++) {
    const OmniNnOnnxConstant *c = &l->constants[i];
    gsize n = count (c->n_dims, c->dims);
    gdouble *d;

    if (g_strcmp0 (c->name, name) || c->n_dims > MAX_RANK || !c->values)
      continue;
    d = g_new (gdouble, MAX (n, 1));
    for (j = 0; j < n; j++)
      d[j] = c->values[j];
    set_val (l, name, val_const (l, c->n_dims, c->dims, d, DT_INT64));
    return TRUE;
  }
  return FALSE;
}

/* An image model: its one run-time input [1, C, H, W] is a transpose of
 * the IR's input [H, W, C], the frame the backends pre-process. */
static gboolean
add_image_input (Loader *l, OmniNnOnnxModel *m)
{
  OmniNnOnnxInput *in;
  Val frame = { 0 }, *v;
  ViewDim vd[4];
  guint dims[3] = { l->image_h, l->image_w, l->image_c };

  if (m->inputs->len != 1)
    return UNSUPPORTED (
        l, "an image model with %u run-time inputs", m->inputs->len);
  in = &g_array_index (m->inputs, OmniNnOnnxInput, 0);
  in->n_dims = 4;
  in->dims[0] = 1;
  in->dims[1] = l->image_c;
  in->dims[2] = l->image_h;
  in->dims[3] = l->image_w;
  in->n = (gsize) l->image_c * l->image_h * l->image_w;
  m->n_input_values = in->n;
  l->g->input = omni_nn_graph_add_tensor (l->g, "input", 3, dims, NULL);
  l->g->input_h = l->image_h;
  l->g->input_w = l->image_w;
  l->g->input_c = l->image_c;
  frame.rank = 3;
  frame.dims[0] = l->image_h;
  frame.dims[1] = l->image_w;
  frame.dims[2] = l->image_c;
  frame.n = in->n;
  frame.tensor = l->g->input;
  vd[0] = (ViewDim){ 1, -1, 0, 0 };
  vd[1] = (ViewDim){ l->image_c, 2, 0, 1 };
  vd[2] = (ViewDim){ l->image_h, 0, 0, 1 };
  vd[3] = (ViewDim){ l->image_w, 1, 0, 1 };
  if (!(v = emit_view (l, &frame, 4, vd, OMNI_NN_PAD_CONSTANT, 0)))
    return FALSE;
  /* convolutions read the frame as it is, NHWC */
  v->nhwc = l->g->input + 1;
  set_val (l, in->name, v);
  return TRUE;
}

/* Run-time inputs: packed one after the other in the IR's input tensor. */
static gboolean
add_inputs (Loader *l, const Onnx__GraphProto *g, OmniNnOnnxModel *m)
{
  Val anchor = { 0 };
  guint i, dims[3] = { 1, 1, 1 };
  gsize total = 0;

  for (i = 0; i < g->n_input; i++) {
    const gchar *name = g->input[i]->name, *bound;
    OmniNnOnnxInput in = { 0 };

    if (g_hash_table_contains (l->vals, name))
      continue; /* an initializer */
    if (bind_constant (l, name))
      continue;
    if ((bound = g_hash_table_lookup (l->bindings, name))) {
      gdouble *d = g_new (gdouble, 1);

      d[0] = g_ascii_strtod (bound, NULL);
      set_val (l, name, val_const (l, 0, NULL, d, DT_INT64));
      continue;
    }
    if (!input_shape (l, g->input[i], &in))
      return FALSE;
    in.name = g_strdup (name);
    in.offset = total;
    total += in.n;
    g_array_append_val (m->inputs, in);
  }
  if (l->image_c)
    return add_image_input (l, m);
  dims[2] = (guint) MAX (total, 1);
  l->g->input = omni_nn_graph_add_tensor (l->g, "input", 3, dims, NULL);
  l->g->input_h = l->g->input_w = 1;
  l->g->input_c = dims[2];
  l->g->input_scale = 1.0f;
  m->n_input_values = total;
  anchor.rank = 1;
  anchor.dims[0] = dims[2];
  anchor.n = dims[2];
  anchor.tensor = l->g->input;
  for (i = 0; i < m->inputs->len; i++) {
    OmniNnOnnxInput *in = &g_array_index (m->inputs, OmniNnOnnxInput, i);
    ViewDim vd = { (gint64) in->n, 0, (gint64) in->offset, 1 };
    Val *v = emit_view (l, &anchor, 1, &vd, OMNI_NN_PAD_CONSTANT, 0);

    if (!v)
      return FALSE;
    v->rank = in->n_dims;
    memcpy (v->dims, in->dims, in->n_dims * sizeof (gint64));
    /* a contiguous view of the packed input */
    v->voff = (gint64) in->offset;
    strides_of (in->n_dims, in->dims, v->vstride);
    set_val (l, in->name, v);
  }
  return TRUE;
}

static gboolean
add_outputs (Loader *l, const Onnx__GraphProto *g, OmniNnOnnxModel *m)
{
  GHashTable *used = g_hash_table_new (NULL, NULL);
  gboolean ok = TRUE;
  guint i;

  l->node = NULL;
  for (i = 0; i < g->n_output && ok; i++) {
    const gchar *name = g->output[i]->name;
    Val *v = g_hash_table_lookup (l->vals, name), *c = NULL;
    OmniNnOnnxOutput out = { 0 };

    if (!v) {
      ok = fail (l, OMNI_NN_ERROR_SHAPE, "output '%s' is never computed", name);
      break;
    }
    if (v->is_const)
      v = c = materialize (l, v);
    else if (g_hash_table_contains (used, GUINT_TO_POINTER (v->tensor)))
      v = c = emit_reshape (l, v, v->rank, v->dims);
    if (!v) {
      ok = FALSE;
      break;
    }
    g_hash_table_add (used, GUINT_TO_POINTER (v->tensor));
    omni_nn_graph_add_output (l->g, name, v->tensor);
    out.name = g_strdup (name);
    out.n_dims = v->rank;
    memcpy (out.dims, v->dims, v->rank * sizeof (gint64));
    g_array_append_val (m->outputs, out);
    g_free (c);
  }
  g_hash_table_unref (used);
  return ok;
}

/* ---- the model ------------------------------------------------------------ */

gchar *
omni_nn_onnx_resolve (const gchar *model, GError **error)
{
  const gchar *env = g_getenv ("OMNI_MODEL_PATH");
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);
  gchar *found = NULL;
  guint i;

  if (g_str_has_suffix (model, ".onnx")
      && g_file_test (model, G_FILE_TEST_IS_REGULAR))
    found = g_strdup (model);
  else if (g_file_test (model, G_FILE_TEST_IS_DIR))
    found = g_build_filename (model, "model.onnx", NULL);
  if (!found) {
    if (env && *env) {
      gchar **parts = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);

      for (i = 0; parts[i]; i++)
        g_ptr_array_add (dirs, g_strdup (parts[i]));
      g_free (parts);
    }
    g_ptr_array_add (dirs, g_strdup (OMNI_BUILD_MODELDIR));
    g_ptr_array_add (dirs, g_build_filename (OMNI_DATADIR, "models", NULL));
    for (i = 0; i < dirs->len && !found; i++) {
      gchar *p = g_build_filename (dirs->pdata[i], model, "model.onnx", NULL);

      if (g_file_test (p, G_FILE_TEST_IS_REGULAR))
        found = p;
      else
        g_free (p);
    }
  }
  g_ptr_array_unref (dirs);
  if (!found || !g_file_test (found, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND,
        "model '%s' not found (a name in $OMNI_MODEL_PATH, a directory with "
        "model.onnx, or a .onnx file; tools/omni-fetch-models installs "
        "silero-vad)",
        model);
    g_free (found);
    return NULL;
  }
  return found;
}

gboolean
omni_nn_onnx_verify (const gchar *path, gboolean allow_unverified,
    gboolean *verified, gchar **reason, GError **error)
{
  gchar *dir = g_path_get_dirname (path), *base = g_path_get_basename (path);
  gchar *sums_path = g_build_filename (dir, "SHA256SUMS", NULL);
  gchar *sums = NULL, *bytes = NULL, *sum = NULL, **lines = NULL;
  gsize len = 0;
  gboolean ok = FALSE;
  guint i;

  if (g_file_get_contents (sums_path, &sums, NULL, NULL)
      && g_file_get_contents (path, &bytes, &len, NULL)) {
    sum = g_compute_checksum_for_data (
        G_CHECKSUM_SHA256, (guchar *) bytes, len);
    lines = g_strsplit (sums, "\n", -1);
    for (i = 0; lines[i] && !ok; i++) {
      gchar *name = strchr (lines[i], ' ');

      while (name && (*name == ' ' || *name == '*'))
        name++;
      ok = name && g_str_has_prefix (lines[i], sum)
           && (!strcmp (name, base)
               || (g_str_has_prefix (name, "./") && !strcmp (name + 2, base)));
    }
  }
  if (verified)
    *verified = ok;
  if (!ok && reason)
    *reason
        = g_strdup_printf ("%s does not match a sha256 in %s", path, sums_path);
  if (!ok && !allow_unverified)
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNVERIFIED,
        "%s does not match a sha256 in %s (run tools/omni-fetch-models, or "
        "set OMNI_ALLOW_UNVERIFIED_MODELS=1 for a model of your own)",
        path, sums_path);
  g_strfreev (lines);
  g_free (sum);
  g_free (bytes);
  g_free (sums);
  g_free (sums_path);
  g_free (dir);
  g_free (base);
  return ok || allow_unverified;
}

static void
clear_input (gpointer p)
{
  g_free (((OmniNnOnnxInput *) p)->name);
}

static void
clear_output (gpointer p)
{
  g_free (((OmniNnOnnxOutput *) p)->name);
}

void
omni_nn_onnx_model_free (OmniNnOnnxModel *m)
{
  if (!m)
    return;
  if (m->graph)
    omni_nn_graph_free (m->graph);
  g_array_unref (m->inputs);
  g_array_unref (m->outputs);
  g_free (m);
}

const OmniNnOnnxInput *
omni_nn_onnx_model_find_input (const OmniNnOnnxModel *m, const gchar *name)
{
  guint i;

  for (i = 0; i < m->inputs->len; i++) {
    const OmniNnOnnxInput *in = &g_array_index (m->inputs, OmniNnOnnxInput, i);

    if (!g_strcmp0 (in->name, name))
      return in;
  }
  return NULL;
}

static gboolean
model_opset (Loader *l, const Onnx__ModelProto *mp)
{
  gsize i;

  l->opset = 0;
  for (i = 0; i < mp->n_opset_import; i++) {
    const Onnx__OperatorSetIdProto *o = mp->opset_import[i];

    if (!o->domain || !*o->domain || !strcmp (o->domain, "ai.onnx"))
      l->opset = o->version;
  }
  if (l->opset < OPSET_MIN || l->opset > OPSET_MAX)
    return UNSUPPORTED (l,
        "default-domain opset %" G_GINT64_FORMAT " (supported: %d to %d)",
        l->opset, OPSET_MIN, OPSET_MAX);
  return TRUE;
}

static void
parse_bindings (Loader *l, const gchar *const *bindings)
{
  guint i;

  for (i = 0; bindings && bindings[i]; i++) {
    const gchar *eq = strchr (bindings[i], '=');

    if (eq)
      g_hash_table_replace (l->bindings,
          g_strndup (bindings[i], eq - bindings[i]), g_strdup (eq + 1));
  }
}

OmniNnOnnxModel *
omni_nn_onnx_load (
    const gchar *path, const gchar *const *bindings, GError **error)
{
  return omni_nn_onnx_load_full (path, bindings, NULL, 0, error);
}

gboolean
omni_nn_onnx_op_supported (const gchar *op)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (ops); i++)
    if (!g_strcmp0 (op, ops[i].op))
      return TRUE;
  return FALSE;
}

static Onnx__ModelProto *
read_model (const gchar *path, GError **error)
{
  Onnx__ModelProto *mp;
  gchar *bytes = NULL;
  gsize len = 0;
  GError *err = NULL;

  if (!g_file_get_contents (path, &bytes, &len, &err)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND,
        "cannot read %s: %s", path, err->message);
    g_error_free (err);
    return NULL;
  }
  mp = onnx__model_proto__unpack (NULL, len, (const guint8 *) bytes);
  g_free (bytes);
  if (!mp || !mp->graph) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "%s is not an ONNX model (ModelProto)", path);
    if (mp)
      onnx__model_proto__free_unpacked (mp, NULL);
    return NULL;
  }
  return mp;
}

gchar **
omni_nn_onnx_model_ops (const gchar *path, GError **error)
{
  Onnx__ModelProto *mp = read_model (path, error);
  GPtrArray *names;
  gsize i;
  guint j;

  if (!mp)
    return NULL;
  names = g_ptr_array_new ();
  for (i = 0; i < mp->graph->n_node; i++) {
    const gchar *op = mp->graph->node[i]->op_type;

    for (j = 0; j < names->len; j++)
      if (!g_strcmp0 (g_ptr_array_index (names, j), op))
        break;
    if (j == names->len)
      g_ptr_array_add (names, g_strdup (op));
  }
  g_ptr_array_add (names, NULL);
  onnx__model_proto__free_unpacked (mp, NULL);
  return (gchar **) g_ptr_array_free (names, FALSE);
}

gchar **
omni_nn_onnx_model_input_names (const gchar *path, GError **error)
{
  Onnx__ModelProto *mp = read_model (path, error);
  GPtrArray *names;
  gsize i, j;

  if (!mp)
    return NULL;
  names = g_ptr_array_new ();
  for (i = 0; i < mp->graph->n_input; i++) {
    const gchar *name = mp->graph->input[i]->name;

    for (j = 0; j < mp->graph->n_initializer; j++)
      if (!g_strcmp0 (mp->graph->initializer[j]->name, name))
        break;
    if (j == mp->graph->n_initializer)
      g_ptr_array_add (names, g_strdup (name));
  }
  g_ptr_array_add (names, NULL);
  onnx__model_proto__free_unpacked (mp, NULL);
  return (gchar **) g_ptr_array_free (names, FALSE);
}

static OmniNnOnnxModel *
load (const gchar *path, const gchar *const *bindings,
    const OmniNnOnnxConstant *constants, guint n_constants, const guint *image,
    GError **error)
{
  Loader l = { 0 };
  OmniNnOnnxModel *m = NULL;
  Onnx__ModelProto *mp = read_model (path, error);

  if (!mp)
    return NULL;
  l.error = error;
  l.constants = constants;
  l.n_constants = n_constants;
  if (image) {
    l.image_w = image[0];
    l.image_h = image[1];
    l.image_c = image[2];
  }
  l.g = omni_nn_graph_new ();
  l.vals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  l.owned = g_ptr_array_new_with_free_func (g_free);
  l.bindings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  parse_bindings (&l, bindings);
  m = g_new0 (OmniNnOnnxModel, 1);
  m->inputs = g_array_new (FALSE, TRUE, sizeof (OmniNnOnnxInput));
  g_array_set_clear_func (m->inputs, clear_input);
  m->outputs = g_array_new (FALSE, TRUE, sizeof (OmniNnOnnxOutput));
  g_array_set_clear_func (m->outputs, clear_output);
  if (model_opset (&l, mp)) {
    gsize i;

    m->opset = l.opset;
    /* initializers first: an input with an initializer is a constant */
    for (i = 0; i < mp->graph->n_initializer; i++) {
      Val *v = const_from_tensor (&l, mp->graph->initializer[i]);

      if (!v)
        break;
      set_val (&l, mp->graph->initializer[i]->name, v);
    }
    if (i == mp->graph->n_initializer && add_inputs (&l, mp->graph, m)) {
      gsize j;

      for (j = 0; j < mp->graph->n_node; j++)
        if (!convert_node (&l, mp->graph->node[j]))
          break;
      /* twice: the first pass drops the transposes back to NCHW that
       * nothing reads, so the second can fuse activations into their
       * convolutions */
      if (j == mp->graph->n_node && add_outputs (&l, mp->graph, m)
          && omni_nn_graph_optimize (l.g, error)
          && omni_nn_graph_optimize (l.g, error))
        m->graph = g_steal_pointer (&l.g);
    }
  }
  if (!m->graph) {
    omni_nn_onnx_model_free (m);
    m = NULL;
  }
  if (l.g)
    omni_nn_graph_free (l.g);
  g_hash_table_unref (l.vals);
  g_ptr_array_unref (l.owned);
  g_hash_table_unref (l.bindings);
  onnx__model_proto__free_unpacked (mp, NULL);
  return m;
}

OmniNnOnnxModel *
omni_nn_onnx_load_full (const gchar *path, const gchar *const *bindings,
    const OmniNnOnnxConstant *constants, guint n_constants, GError **error)
{
  return load (path, bindings, constants, n_constants, NULL, error);
}

OmniNnOnnxModel *
omni_nn_onnx_load_image (const gchar *path, const gchar *const *bindings,
    guint width, guint height, guint channels, GError **error)
{
  const guint image[3] = { width, height, channels };

  return load (path, bindings, NULL, 0, image, error);
}

/* The image input's size from the model when no sidecar gives it. */
static gboolean
image_size (const gchar *path, guint *w, guint *h, guint *c, GError **error)
{
  Onnx__ModelProto *mp = read_model (path, error);
  const Onnx__TensorShapeProto *s = NULL;
  gsize i;

  if (!mp)
    return FALSE;
  for (i = 0; i < mp->graph->n_input && !s; i++) {
    const Onnx__TypeProto *t = mp->graph->input[i]->type;
    gsize j;

    for (j = 0; j < mp->graph->n_initializer; j++)
      if (!g_strcmp0 (
              mp->graph->initializer[j]->name, mp->graph->input[i]->name))
        break;
    if (j == mp->graph->n_initializer && t
        && t->value_case == ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE)
      s = t->tensor_type->shape;
  }
  if (s && s->n_dim == 4) {
    *c = (guint) s->dim[1]->dim_value;
    *h = (guint) s->dim[2]->dim_value;
    *w = (guint) s->dim[3]->dim_value;
  }
  onnx__model_proto__free_unpacked (mp, NULL);
  if (!s || s->n_dim != 4 || !*w || !*h || (*c != 1 && *c != 3)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE,
        "%s: no [1, C, H, W] image input of fixed size (give its size in "
        "model-info.json)",
        path);
    return FALSE;
  }
  return TRUE;
}

/* The sidecar's normalisation, labels and output meanings to the model. */
static void
apply_image_info (OmniNnModel *model, const OmniNnModelInfo *info)
{
  OmniNnGraph *g = model->graph;
  guint i;
  gint k;

  g->input_scale = info->scale;
  g->input_offset = info->offset;
  g->align_corners = info->align_corners;
  if (info->labels) {
    model->labels = g_strdupv (info->labels);
    model->n_labels = info->n_labels;
  }
  /* an output whose meaning is "probabilities" or "embedding" is named so,
   * as the elements look for those names */
  for (i = 0; i < info->n_outputs; i++) {
    const gchar *meaning = info->outputs[i].meaning;

    if (!meaning
        || (strcmp (meaning, "probabilities") && strcmp (meaning, "embedding")))
      continue;
    k = omni_nn_graph_find_output (g, info->outputs[i].name);
    if (k >= 0) {
      g_free (omni_nn_graph_output (g, k)->name);
      omni_nn_graph_output (g, k)->name = g_strdup (meaning);
    }
  }
}

OmniNnModel *
omni_nn_onnx_model_load (
    const gchar *model, OmniNnLoadFlags flags, GError **error)
{
  gchar *path = omni_nn_onnx_resolve (model, error), *reason = NULL;
  OmniNnModelInfo *info = NULL;
  OmniNnOnnxModel *m = NULL;
  OmniNnModel *out = NULL;
  gboolean verified = FALSE;
  guint w = 0, h = 0, c = 3;

  if (!path
      || !omni_nn_onnx_verify (path,
          (flags & OMNI_NN_LOAD_ALLOW_UNVERIFIED)
              || omni_nn_allow_unverified_from_env (),
          &verified, &reason, error))
    goto done;
  info = omni_nn_model_info_find (path, error);
  if (error && *error)
    goto done;
  if (info) {
    w = info->width;
    h = info->height;
    c = info->channels;
  } else if (!image_size (path, &w, &h, &c, error)) {
    goto done;
  }
  if (!(m = omni_nn_onnx_load_image (path, NULL, w, h, c, error)))
    goto done;
  out = g_new0 (OmniNnModel, 1);
  out->path = g_strdup (path);
  {
    gchar *dir = g_path_get_dirname (path);

    out->id = g_path_get_basename (dir);
    g_free (dir);
  }
  out->graph = g_steal_pointer (&m->graph);
  out->verified = verified;
  out->unverified_reason = g_steal_pointer (&reason);
  if (info)
    apply_image_info (out, info);
done:
  omni_nn_onnx_model_free (m);
  omni_nn_model_info_free (info);
  g_free (reason);
  g_free (path);
  return out;
}

gboolean
omni_nn_onnx_is_model (const gchar *model)
{
  gchar *path;

  if (!model)
    return FALSE;
  if (g_str_has_suffix (model, ".onnx"))
    return TRUE;
  path = omni_nn_onnx_resolve (model, NULL);
  g_free (path);
  return path != NULL;
}
