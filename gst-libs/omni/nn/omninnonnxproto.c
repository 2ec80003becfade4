/* gst-omni: ONNX loader, protobuf reading: attributes, tensors, initializers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Reads node attributes and TensorProto data (every numeric type, raw or typed fields) as doubles.
 */
#include "omninnonnxprivate.h"

const Onnx__AttributeProto *
onnx_attr (const Onnx__NodeProto *n, const gchar *name)
{
  gsize i;

  for (i = 0; i < n->n_attribute; i++)
    if (!g_strcmp0 (n->attribute[i]->name, name))
      return n->attribute[i];
  return NULL;
}

gint64
onnx_attr_i (const Onnx__NodeProto *n, const gchar *name, gint64 def)
{
  const Onnx__AttributeProto *a = onnx_attr (n, name);

  return a && a->has_i ? a->i : def;
}

gfloat
onnx_attr_f (const Onnx__NodeProto *n, const gchar *name, gfloat def)
{
  const Onnx__AttributeProto *a = onnx_attr (n, name);

  return a && a->has_f ? a->f : def;
}

/* A string attribute as a NUL-terminated copy in @buf, or @def. */
const gchar *
onnx_attr_s (const Onnx__NodeProto *n, const gchar *name, const gchar *def,
    gchar *buf, gsize size)
{
  const Onnx__AttributeProto *a = onnx_attr (n, name);

  if (!a || !a->has_s)
    return def;
  g_strlcpy (buf, (const gchar *) a->s.data, MIN (size, a->s.len + 1));
  return buf;
}

/* The ints of attribute @name; returns how many (-1: absent). */
gint
onnx_attr_ints (
    const Onnx__NodeProto *n, const gchar *name, gint64 *out, guint max)
{
  const Onnx__AttributeProto *a = onnx_attr (n, name);
  guint i;

  if (!a)
    return -1;
  for (i = 0; i < a->n_ints && i < max; i++)
    out[i] = a->ints[i];
  return (gint) MIN (a->n_ints, max);
}

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

Val *
onnx_const_from_tensor (Loader *l, const Onnx__TensorProto *t)
{
  const gchar *what = NULL;
  gsize n;
  gdouble *d;
  gint64 dims[MAX_RANK];
  guint i;

  if (t->n_dims > MAX_RANK) {
    onnx_fail (l, OMNI_NN_ERROR_UNSUPPORTED, "tensor '%s' of rank %u",
        t->name ? t->name : "", (guint) t->n_dims);
    return NULL;
  }
  d = tensor_values (t, &n, &what);
  if (!d) {
    onnx_fail (l, OMNI_NN_ERROR_UNSUPPORTED, "tensor '%s': %s",
        t->name ? t->name : "", what);
    return NULL;
  }
  for (i = 0; i < t->n_dims; i++)
    dims[i] = t->dims[i];
  return onnx_val_const (l, (guint) t->n_dims, dims, d, t->data_type);
}

Onnx__ModelProto *
onnx_read_model (const gchar *path, GError **error)
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
