/* gst-omni: TF.js weight shards (weightsManifest) decoded to float32
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The format: https://www.tensorflow.org/js/guide/save_load, TF.js
 * io/weights_loader.ts and io/io_utils.ts (decodeWeights): each group's
 * tensors are stored back to back in the concatenation of its shard files,
 * in manifest order, little-endian; a "quantization" entry stores uint8 or
 * uint16 values q meaning q * scale + min, or IEEE binary16 values.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnweights.h"

#include <math.h>
#include <string.h>

#include "omninngraph.h"

static void
weight_free (gpointer data)
{
  OmniNnWeight *w = data;

  g_free (w->name);
  g_free (w->data);
  g_free (w);
}

static const gchar *
member_string (JsonObject *o, const gchar *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (!n || !JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
member_double (JsonObject *o, const gchar *name, gdouble *v)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (!n || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  if (json_node_get_value_type (n) == G_TYPE_INT64)
    *v = (gdouble) json_node_get_int (n);
  else if (json_node_get_value_type (n) == G_TYPE_DOUBLE)
    *v = json_node_get_double (n);
  else
    return FALSE;
  return TRUE;
}

/* IEEE 754 binary16 -> binary32. */
static gfloat
half_to_float (guint16 h)
{
  guint32 sign = (guint32) (h & 0x8000) << 16;
  guint32 exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  union {
    guint32 u;
    gfloat f;
  } v;

  if (exp == 0) {
    gfloat f = ldexpf ((gfloat) mant, -24);

    return sign ? -f : f;
  }
  if (exp == 31)
    v.u = sign | 0x7f800000u | (mant << 13);
  else
    v.u = sign | ((exp + 112) << 23) | (mant << 13);
  return v.f;
}

/* The concatenated shards of one group; %NULL with an error naming the
 * first tensor of the group. */
static GByteArray *
read_shards (const gchar *dir, JsonArray *paths, guint gi, const gchar *first,
    GString *files, GError **error)
{
  GByteArray *bytes = g_byte_array_new ();
  guint i;

  for (i = 0; i < json_array_get_length (paths); i++) {
    JsonNode *pn = json_array_get_element (paths, i);
    const gchar *rel = JSON_NODE_HOLDS_VALUE (pn)
                               && json_node_get_value_type (pn) == G_TYPE_STRING
                           ? json_node_get_string (pn)
                           : NULL;
    gchar *file, *contents = NULL;
    gsize len = 0;
    GError *err = NULL;

    if (!rel || g_path_is_absolute (rel) || strstr (rel, "..")) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
          "weightsManifest group %u: path %u is not a file inside the model "
          "directory",
          gi, i);
      g_byte_array_unref (bytes);
      return NULL;
    }
    file = g_build_filename (dir, rel, NULL);
    if (!g_file_get_contents (file, &contents, &len, &err)) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_WEIGHTS,
          "weight file '%s' (tensors from '%s' on) cannot be read: %s", rel,
          first ? first : "?", err->message);
      g_error_free (err);
      g_free (file);
      g_byte_array_unref (bytes);
      return NULL;
    }
    g_byte_array_append (bytes, (const guint8 *) contents, len);
    g_string_append_printf (files, "%s'%s'", i ? ", " : "", rel);
    g_free (contents);
    g_free (file);
  }
  return bytes;
}

/* The weight's name, shape and storage; %NULL with an error. */
static OmniNnWeight *
parse_spec (JsonObject *spec, guint gi, guint j, const gchar **storage,
    gdouble *scale, gdouble *min, GError **error)
{
  JsonObject *quant = NULL;
  JsonArray *shape = NULL;
  JsonNode *qn, *sn;
  const gchar *name = member_string (spec, "name");
  const gchar *dtype = member_string (spec, "dtype");
  OmniNnWeight *w;
  guint k;

  qn = spec ? json_object_get_member (spec, "quantization") : NULL;
  sn = spec ? json_object_get_member (spec, "shape") : NULL;
  quant = qn && JSON_NODE_HOLDS_OBJECT (qn) ? json_node_get_object (qn) : NULL;
  shape = sn && JSON_NODE_HOLDS_ARRAY (sn) ? json_node_get_array (sn) : NULL;
  if (!name || !shape || !dtype) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "weightsManifest group %u: entry %u lacks name, shape or dtype", gi, j);
    return NULL;
  }
  if (json_array_get_length (shape) > OMNI_NN_WEIGHT_MAX_DIMS) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
        "weight '%s' has %u dimensions (at most %u supported)", name,
        json_array_get_length (shape), OMNI_NN_WEIGHT_MAX_DIMS);
    return NULL;
  }
  if (strcmp (dtype, "float32") != 0 && strcmp (dtype, "int32") != 0) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
        "weight '%s': dtype '%s' is not supported", name, dtype);
    return NULL;
  }
  *storage = quant ? member_string (quant, "dtype") : dtype;
  if (!*storage
      || (strcmp (*storage, "float32") && strcmp (*storage, "int32")
          && strcmp (*storage, "float16") && strcmp (*storage, "uint16")
          && strcmp (*storage, "uint8"))) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
        "weight '%s': storage dtype '%s' is not supported", name,
        *storage ? *storage : "(none)");
    return NULL;
  }
  if (quant && strcmp (*storage, "float16") != 0
      && (!member_double (quant, "scale", scale)
          || !member_double (quant, "min", min))) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "weight '%s': %s quantization without scale and min", name, *storage);
    return NULL;
  }
  w = g_new0 (OmniNnWeight, 1);
  w->name = g_strdup (name);
  w->is_int = !strcmp (dtype, "int32");
  w->n_dims = json_array_get_length (shape);
  w->n_elements = 1;
  for (k = 0; k < w->n_dims; k++) {
    JsonNode *d = json_array_get_element (shape, k);
    gint64 v = JSON_NODE_HOLDS_VALUE (d)
                       && json_node_get_value_type (d) == G_TYPE_INT64
                   ? json_node_get_int (d)
                   : -1;

    if (v < 0 || v > (1 << 24) || w->n_elements > (G_MAXSIZE >> 26)) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
          "weight '%s': invalid shape", name);
      weight_free (w);
      return NULL;
    }
    w->dims[k] = (guint) v;
    w->n_elements *= w->dims[k];
  }
  return w;
}

static void
decode (OmniNnWeight *w, const guint8 *src, const gchar *storage, gdouble scale,
    gdouble min)
{
  gsize k;

  for (k = 0; k < w->n_elements; k++) {
    if (!strcmp (storage, "float32") || !strcmp (storage, "int32")) {
      union {
        guint32 u;
        gfloat f;
        gint32 i;
      } v;

      memcpy (&v.u, src + k * 4, 4);
      v.u = GUINT32_FROM_LE (v.u);
      w->data[k] = !strcmp (storage, "int32") ? (gfloat) v.i : v.f;
    } else if (!strcmp (storage, "float16")) {
      guint16 h;

      memcpy (&h, src + k * 2, 2);
      w->data[k] = half_to_float (GUINT16_FROM_LE (h));
    } else if (!strcmp (storage, "uint16")) {
      guint16 q;

      memcpy (&q, src + k * 2, 2);
      w->data[k] = (gfloat) (GUINT16_FROM_LE (q) * scale + min);
    } else {
      w->data[k] = (gfloat) (src[k] * scale + min);
    }
  }
}

static gsize
storage_size (const gchar *storage)
{
  if (!strcmp (storage, "float32") || !strcmp (storage, "int32"))
    return 4;
  if (!strcmp (storage, "uint8"))
    return 1;
  return 2;
}

static gboolean
load_group (GHashTable *table, const gchar *dir, JsonObject *group, guint gi,
    GError **error)
{
  JsonNode *pn = json_object_get_member (group, "paths");
  JsonNode *sn = json_object_get_member (group, "weights");
  JsonArray *specs;
  GByteArray *bytes = NULL;
  GString *files = g_string_new (NULL);
  const gchar *first = NULL, *last = NULL;
  gsize offset = 0;
  gboolean ok = FALSE;
  guint j;

  if (!pn || !JSON_NODE_HOLDS_ARRAY (pn) || !sn
      || !JSON_NODE_HOLDS_ARRAY (sn)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "weightsManifest group %u has no paths or weights list", gi);
    goto done;
  }
  specs = json_node_get_array (sn);
  if (json_array_get_length (specs) > 0
      && JSON_NODE_HOLDS_OBJECT (json_array_get_element (specs, 0)))
    first = member_string (
        json_node_get_object (json_array_get_element (specs, 0)), "name");
  bytes = read_shards (dir, json_node_get_array (pn), gi, first, files, error);
  if (!bytes)
    goto done;
  for (j = 0; j < json_array_get_length (specs); j++) {
    JsonNode *e = json_array_get_element (specs, j);
    const gchar *storage = NULL;
    gdouble scale = 1.0, min = 0.0;
    OmniNnWeight *w = parse_spec (
        JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL, gi, j,
        &storage, &scale, &min, error);
    gsize size;

    if (!w)
      goto done;
    size = w->n_elements * storage_size (storage);
    if (offset + size > bytes->len) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_WEIGHTS,
          "weight file %s is truncated or does not match the manifest: "
          "tensor '%s' needs bytes %" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT
          " but the group holds %u bytes",
          files->str, w->name, offset, offset + size, bytes->len);
      weight_free (w);
      goto done;
    }
    if (g_hash_table_contains (table, w->name)) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_WEIGHTS,
          "weight '%s' appears twice in the manifest", w->name);
      weight_free (w);
      goto done;
    }
    w->data = g_new (gfloat, MAX (w->n_elements, 1));
    decode (w, bytes->data + offset, storage, scale, min);
    offset += size;
    last = w->name;
    g_hash_table_insert (table, w->name, w);
  }
  if (offset != bytes->len) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_WEIGHTS,
        "weight file %s does not match the manifest: %" G_GSIZE_FORMAT
        " bytes after the last tensor '%s'",
        files->str, (gsize) bytes->len - offset, last ? last : "(none)");
    goto done;
  }
  ok = TRUE;
done:
  if (bytes)
    g_byte_array_unref (bytes);
  g_string_free (files, TRUE);
  return ok;
}

GHashTable *
omni_nn_weights_load (const gchar *dir, JsonArray *manifest, GError **error)
{
  GHashTable *table
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, weight_free);
  guint i;

  for (i = 0; i < json_array_get_length (manifest); i++) {
    JsonNode *g = json_array_get_element (manifest, i);

    if (!JSON_NODE_HOLDS_OBJECT (g)) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
          "weightsManifest group %u is not an object", i);
      g_hash_table_unref (table);
      return NULL;
    }
    if (!load_group (table, dir, json_node_get_object (g), i, error)) {
      g_hash_table_unref (table);
      return NULL;
    }
  }
  return table;
}
