/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omnitensormeta
 * @title: OmniTensorMeta
 * @short_description: a dense tensor (embedding, feature window) on a buffer
 *
 * omnivisionenc and omniaudioenc attach their outputs (embeddings, log-mel
 * or MFCC windows) as #OmniTensorMeta: a name, an element type, up to
 * %OMNI_TENSOR_MAX_DIMS dimensions (row-major, outermost first), the data
 * as a #GBytes, and the span of running time the tensor describes. A
 * buffer may carry several tensors with different names. Copies of the
 * buffer share the data (the #GBytes is reference counted).
 *
 * JSON form ("start"/"end" in ns or null; "data" is the base64 of the
 * elements in little-endian byte order, whatever the host's):
 * |[
 * {"type": "tensor", "name": "embedding", "dtype": "f32", "dims": [1, 2],
 *  "start": 0, "end": 40000000, "data": "AACAPwAAAMA="}
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "omnitensormeta.h"
#include "omnimetajson-private.h"

GST_DEBUG_CATEGORY_STATIC (omni_tensor_meta_debug);
#define GST_CAT_DEFAULT omni_tensor_meta_debug

GType
omni_tensor_dtype_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[]
      = { { OMNI_TENSOR_DTYPE_F32, "32-bit float", "f32" },
          { OMNI_TENSOR_DTYPE_F16, "16-bit half float", "f16" },
          { OMNI_TENSOR_DTYPE_U8, "Unsigned 8-bit integer", "u8" },
          { OMNI_TENSOR_DTYPE_I32, "Signed 32-bit integer", "i32" },
          { 0, NULL, NULL } };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("OmniTensorDType", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

/**
 * omni_tensor_dtype_size:
 * @dtype: an #OmniTensorDType
 *
 * Returns: the size of one element of type @dtype in bytes, 0 for an
 * invalid @dtype
 */
gsize
omni_tensor_dtype_size (OmniTensorDType dtype)
{
  switch (dtype) {
  case OMNI_TENSOR_DTYPE_F32:
  case OMNI_TENSOR_DTYPE_I32:
    return 4;
  case OMNI_TENSOR_DTYPE_F16:
    return 2;
  case OMNI_TENSOR_DTYPE_U8:
    return 1;
  }
  return 0;
}

GType
omni_tensor_meta_api_get_type (void)
{
  static GType type = 0;
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType t = gst_meta_api_type_register ("OmniTensorMetaAPI", tags);
    g_once_init_leave (&type, t);
  }
  return type;
}

static gboolean
omni_tensor_meta_init (GstMeta *meta, gpointer params, GstBuffer *buffer)
{
  OmniTensorMeta *tmeta = (OmniTensorMeta *) meta;

  tmeta->name = NULL;
  tmeta->dtype = OMNI_TENSOR_DTYPE_F32;
  tmeta->n_dims = 0;
  memset (tmeta->dims, 0, sizeof (tmeta->dims));
  tmeta->data = NULL;
  tmeta->start = GST_CLOCK_TIME_NONE;
  tmeta->end = GST_CLOCK_TIME_NONE;
  return TRUE;
}

static void
omni_tensor_meta_free (GstMeta *meta, GstBuffer *buffer)
{
  OmniTensorMeta *tmeta = (OmniTensorMeta *) meta;

  g_free (tmeta->name);
  g_clear_pointer (&tmeta->data, g_bytes_unref);
}

static gboolean
omni_tensor_meta_transform (GstBuffer *dest, GstMeta *meta, GstBuffer *buffer,
    GQuark type, gpointer data)
{
  OmniTensorMeta *smeta = (OmniTensorMeta *) meta, *dmeta;

  /* The tensor describes a span of running time, not bytes of the buffer:
   * every transform keeps it, sharing the data. */
  dmeta = omni_buffer_add_tensor_meta (
      dest, smeta->name, smeta->dtype, smeta->n_dims, smeta->dims, smeta->data);
  if (!dmeta)
    return FALSE;
  dmeta->start = smeta->start;
  dmeta->end = smeta->end;
  return TRUE;
}

const GstMetaInfo *
omni_tensor_meta_get_info (void)
{
  static const GstMetaInfo *info = NULL;

  if (g_once_init_enter ((GstMetaInfo **) &info)) {
    const GstMetaInfo *mi;

    GST_DEBUG_CATEGORY_INIT (
        omni_tensor_meta_debug, "omnitensormeta", 0, "gst-omni tensor meta");
    mi = gst_meta_register (OMNI_TENSOR_META_API_TYPE, "OmniTensorMeta",
        sizeof (OmniTensorMeta), omni_tensor_meta_init, omni_tensor_meta_free,
        omni_tensor_meta_transform);
    g_once_init_leave ((GstMetaInfo **) &info, (GstMetaInfo *) mi);
  }
  return info;
}

/* Number of elements of a tensor of these dims; FALSE on overflow. */
static gboolean
count_elements (guint n_dims, const gsize *dims, gsize *n_elements)
{
  gsize n = 1;
  guint i;

  for (i = 0; i < n_dims; i++) {
    if (dims[i] != 0 && n > G_MAXSIZE / dims[i])
      return FALSE;
    n *= dims[i];
  }
  *n_elements = n;
  return TRUE;
}

/* The size in bytes that a tensor needs, or FALSE with a reason. */
static gboolean
expected_size (OmniTensorDType dtype, guint n_dims, const gsize *dims,
    gsize *size, const gchar **why)
{
  gsize n, esize = omni_tensor_dtype_size (dtype);

  if (esize == 0) {
    *why = "invalid dtype";
    return FALSE;
  }
  if (n_dims > OMNI_TENSOR_MAX_DIMS) {
    *why = "too many dimensions";
    return FALSE;
  }
  if (!count_elements (n_dims, dims, &n) || n > G_MAXSIZE / esize) {
    *why = "dimensions overflow";
    return FALSE;
  }
  *size = n * esize;
  return TRUE;
}

/**
 * omni_buffer_add_tensor_meta:
 * @buffer: a writable #GstBuffer
 * @name: what the tensor is (e.g. "embedding")
 * @dtype: element type
 * @n_dims: number of dimensions, at most %OMNI_TENSOR_MAX_DIMS (0 for a
 *   scalar)
 * @dims: (array length=n_dims) (nullable): size of each dimension,
 *   outermost first; may be %NULL when @n_dims is 0
 * @data: (transfer none): the elements, row-major, host byte order; a
 *   reference is taken
 *
 * Adds an #OmniTensorMeta. @start and @end are %GST_CLOCK_TIME_NONE; the
 * caller sets them.
 *
 * The size of @data must be the product of @dims times
 * omni_tensor_dtype_size(@dtype), and @n_dims at most
 * %OMNI_TENSOR_MAX_DIMS: otherwise nothing is added, a GST_WARNING is
 * logged (category omnitensormeta) and %NULL is returned.
 *
 * Returns: (transfer none) (nullable): the added #OmniTensorMeta, or %NULL
 * when the sizes do not match
 */
OmniTensorMeta *
omni_buffer_add_tensor_meta (GstBuffer *buffer, const gchar *name,
    OmniTensorDType dtype, guint n_dims, const gsize *dims, GBytes *data)
{
  OmniTensorMeta *meta;
  const gchar *why = NULL;
  gsize size;
  const GstMetaInfo *info;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (n_dims == 0 || dims != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  /* also initialises the debug category */
  info = OMNI_TENSOR_META_INFO;

  if (!expected_size (dtype, n_dims, dims, &size, &why)) {
    GST_WARNING (
        "tensor \"%s\": %s (dtype %d, %u dims)", name, why, dtype, n_dims);
    return NULL;
  }
  if (g_bytes_get_size (data) != size) {
    GST_WARNING ("tensor \"%s\": data has %" G_GSIZE_FORMAT
                 " bytes, dims and dtype need %" G_GSIZE_FORMAT,
        name, g_bytes_get_size (data), size);
    return NULL;
  }

  meta = (OmniTensorMeta *) gst_buffer_add_meta (buffer, info, NULL);
  meta->name = g_strdup (name);
  meta->dtype = dtype;
  meta->n_dims = n_dims;
  if (n_dims)
    memcpy (meta->dims, dims, n_dims * sizeof (gsize));
  meta->data = g_bytes_ref (data);
  return meta;
}

/**
 * omni_buffer_get_tensor_meta:
 * @buffer: a #GstBuffer
 * @name: (nullable): the tensor name, or %NULL for the first tensor
 *
 * Returns: (transfer none) (nullable): the first #OmniTensorMeta on
 * @buffer named @name (or the first one at all when @name is %NULL)
 */
OmniTensorMeta *
omni_buffer_get_tensor_meta (GstBuffer *buffer, const gchar *name)
{
  gpointer state = NULL;
  GstMeta *meta;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);

  while ((meta = gst_buffer_iterate_meta_filtered (
              buffer, &state, OMNI_TENSOR_META_API_TYPE))) {
    OmniTensorMeta *tmeta = (OmniTensorMeta *) meta;

    if (!name || g_strcmp0 (tmeta->name, name) == 0)
      return tmeta;
  }
  return NULL;
}

/**
 * omni_tensor_meta_get_n_elements:
 * @meta: an #OmniTensorMeta
 *
 * Returns: the number of elements (the product of the dimensions)
 */
gsize
omni_tensor_meta_get_n_elements (const OmniTensorMeta *meta)
{
  gsize n = 0;

  g_return_val_if_fail (meta != NULL, 0);

  count_elements (meta->n_dims, meta->dims, &n);
  return n;
}

/**
 * omni_tensor_meta_get_f32:
 * @meta: an #OmniTensorMeta
 * @n_elements: (out) (optional): the number of elements
 *
 * Returns: (transfer none) (nullable) (array length=n_elements): the
 * elements of an f32 tensor, or %NULL if @meta is not of type
 * %OMNI_TENSOR_DTYPE_F32 (then @n_elements is set to 0)
 */
const gfloat *
omni_tensor_meta_get_f32 (const OmniTensorMeta *meta, gsize *n_elements)
{
  g_return_val_if_fail (meta != NULL, NULL);

  if (meta->dtype != OMNI_TENSOR_DTYPE_F32 || !meta->data) {
    if (n_elements)
      *n_elements = 0;
    return NULL;
  }
  if (n_elements)
    *n_elements = g_bytes_get_size (meta->data) / sizeof (gfloat);
  return g_bytes_get_data (meta->data, NULL);
}

/**
 * omni_tensor_meta_get_dims:
 * @meta: an #OmniTensorMeta
 * @n_dims: (out) (optional): the number of dimensions
 *
 * The dimensions as an array, for language bindings (which cannot read
 * the fixed-size @dims field of the struct): from Python,
 * `meta.get_dims ()` is a list of int, outermost first.
 *
 * Returns: (transfer none) (array length=n_dims): the size of each
 * dimension, owned by @meta
 */
const gsize *
omni_tensor_meta_get_dims (const OmniTensorMeta *meta, guint *n_dims)
{
  g_return_val_if_fail (meta != NULL, NULL);

  if (n_dims)
    *n_dims = meta->n_dims;
  return meta->dims;
}

/**
 * omni_tensor_meta_get_data:
 * @meta: an #OmniTensorMeta
 *
 * The elements of any dtype as bytes (row-major, host byte order); from
 * Python, `meta.get_data ().get_data ()` is a bytes object, which
 * `array.array` or numpy.frombuffer() read without a copy loop.
 *
 * Returns: (transfer none) (nullable): the data, owned by @meta
 */
GBytes *
omni_tensor_meta_get_data (const OmniTensorMeta *meta)
{
  g_return_val_if_fail (meta != NULL, NULL);

  return meta->data;
}

/* Swaps each element of @data in place between host and little-endian
 * byte order (a no-op on little-endian hosts). */
static void
to_from_le (guint8 *data, gsize size, gsize esize)
{
#if G_BYTE_ORDER == G_BIG_ENDIAN
  gsize i, j;

  for (i = 0; i + esize <= size; i += esize) {
    for (j = 0; j < esize / 2; j++) {
      guint8 t = data[i + j];
      data[i + j] = data[i + esize - 1 - j];
      data[i + esize - 1 - j] = t;
    }
  }
#else
  (void) data;
  (void) size;
  (void) esize;
#endif
}

/**
 * omni_tensor_meta_to_json:
 * @meta: an #OmniTensorMeta
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
omni_tensor_meta_to_json (const OmniTensorMeta *meta)
{
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonArray *dims = json_array_sized_new (meta->n_dims);
  gsize size = 0;
  const guint8 *data = meta->data ? g_bytes_get_data (meta->data, &size) : NULL;
  gchar *b64;
  guint i;

  for (i = 0; i < meta->n_dims; i++)
    json_array_add_int_element (dims, (gint64) meta->dims[i]);

  if (G_BYTE_ORDER == G_LITTLE_ENDIAN
      || omni_tensor_dtype_size (meta->dtype) == 1) {
    b64 = g_base64_encode (data, size);
  } else {
    guint8 *le = g_memdup2 (data, size);

    to_from_le (le, size, omni_tensor_dtype_size (meta->dtype));
    b64 = g_base64_encode (le, size);
    g_free (le);
  }

  json_object_set_string_member (o, "type", "tensor");
  json_object_set_string_member (o, "name", meta->name);
  omni_json_set_enum (o, "dtype", OMNI_TYPE_TENSOR_DTYPE, meta->dtype);
  json_object_set_array_member (o, "dims", dims);
  omni_json_set_clock_time (o, "start", meta->start);
  omni_json_set_clock_time (o, "end", meta->end);
  json_object_set_string_member (o, "data", b64);
  g_free (b64);
  json_node_take_object (node, o);
  return node;
}

/* Strict base64 (RFC 4648, with padding): g_base64_decode() skips invalid
 * characters silently, so check first. */
static gboolean
base64_is_valid (const gchar *text)
{
  gsize len = strlen (text), i, pad = 0;

  if (len % 4 != 0)
    return FALSE;
  for (i = 0; i < len; i++) {
    gchar c = text[i];

    if (c == '=') {
      pad++;
      continue;
    }
    if (pad || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
      return FALSE;
  }
  return pad <= 2;
}

/**
 * omni_buffer_add_tensor_meta_from_json:
 * @buffer: a writable #GstBuffer
 * @object: the JSON object written by omni_tensor_meta_to_json()
 * @error: return location for a #GError
 *
 * "dims" must be an array of at most %OMNI_TENSOR_MAX_DIMS non-negative
 * integers and "data" valid base64 of exactly as many bytes as the dims and
 * dtype need.
 *
 * Returns: (transfer none) (nullable): the added meta, or %NULL with @error
 * set when a member is missing or malformed
 */
OmniTensorMeta *
omni_buffer_add_tensor_meta_from_json (
    GstBuffer *buffer, JsonObject *object, GError **error)
{
  const gchar *name, *b64, *why = NULL;
  gint dtype;
  JsonArray *jdims;
  gsize dims[OMNI_TENSOR_MAX_DIMS], size, dsize;
  GstClockTime start, end;
  guint n_dims, i;
  guchar *bytes;
  GBytes *data;
  OmniTensorMeta *meta;

  if (!(name = omni_json_get_string (object, "name", error))
      || !omni_json_get_enum (
          object, "dtype", OMNI_TYPE_TENSOR_DTYPE, &dtype, error)
      || !(jdims = omni_json_get_array (object, "dims", error))
      || !omni_json_get_clock_time (object, "start", &start, error)
      || !omni_json_get_clock_time (object, "end", &end, error)
      || !(b64 = omni_json_get_string (object, "data", error)))
    return NULL;

  n_dims = json_array_get_length (jdims);
  if (n_dims > OMNI_TENSOR_MAX_DIMS) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"dims\" has %u dimensions, at most %d are allowed", n_dims,
        OMNI_TENSOR_MAX_DIMS);
    return NULL;
  }
  for (i = 0; i < n_dims; i++) {
    JsonNode *d = json_array_get_element (jdims, i);

    if (!JSON_NODE_HOLDS_VALUE (d)
        || json_node_get_value_type (d) != G_TYPE_INT64
        || json_node_get_int (d) < 0
        || (guint64) json_node_get_int (d) > G_MAXSIZE) {
      g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
          "member \"dims\": element %u is not a non-negative integer", i);
      return NULL;
    }
    dims[i] = (gsize) json_node_get_int (d);
  }
  if (!expected_size (dtype, n_dims, dims, &size, &why)) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"dims\": %s", why);
    return NULL;
  }
  if (!base64_is_valid (b64)) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"data\" is not valid base64");
    return NULL;
  }
  /* check the decoded size before decoding */
  dsize = strlen (b64) / 4 * 3;
  if (dsize && b64[strlen (b64) - 1] == '=')
    dsize--;
  if (dsize && b64[strlen (b64) - 2] == '=')
    dsize--;
  if (dsize != size) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"data\" has %" G_GSIZE_FORMAT " bytes, \"dims\" and "
        "\"dtype\" need %" G_GSIZE_FORMAT,
        dsize, size);
    return NULL;
  }

  bytes = g_base64_decode (b64, &dsize);
  to_from_le (bytes, dsize, omni_tensor_dtype_size (dtype));
  data = g_bytes_new_take (bytes, dsize);
  meta = omni_buffer_add_tensor_meta (
      buffer, name, (OmniTensorDType) dtype, n_dims, dims, data);
  g_bytes_unref (data);
  if (meta) {
    meta->start = start;
    meta->end = end;
  }
  return meta;
}
