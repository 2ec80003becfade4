/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omnimetajson
 * @title: Meta JSON
 * @short_description: JSON form of the gst-omni metas
 *
 * Every gst-omni meta has a JSON object form with a "type" member naming
 * the meta ("sample", "rhythm", "class", "tensor", "fusion",
 * "results"). The forms
 * round-trip: omni_meta_to_json() followed by
 * omni_buffer_add_meta_from_json() gives a meta with the same values.
 * omnifusion uses them for its application/x-omni-events output.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>

#include "omnimeta.h"

/* clang-format off */
G_DEFINE_QUARK (omni-meta-error-quark, omni_meta_error);
/* clang-format on */

typedef JsonNode *(*OmniMetaToJson) (const GstMeta *meta);
typedef GstMeta *(*OmniMetaFromJson) (
    GstBuffer *buffer, JsonObject *object, GError **error);

typedef struct {
  const gchar *type_name;
  GType (*api_get_type) (void);
  OmniMetaToJson to_json;
  OmniMetaFromJson from_json;
} OmniMetaJsonEntry;

/* One row per meta: the "type" name, its API type and its (de)serialisers. */
static const OmniMetaJsonEntry json_entries[] = {
  { "sample", omni_sample_meta_api_get_type,
      (OmniMetaToJson) omni_sample_meta_to_json,
      (OmniMetaFromJson) omni_buffer_add_sample_meta_from_json },
  { "rhythm", omni_rhythm_meta_api_get_type,
      (OmniMetaToJson) omni_rhythm_meta_to_json,
      (OmniMetaFromJson) omni_buffer_add_rhythm_meta_from_json },
  { "class", omni_class_meta_api_get_type,
      (OmniMetaToJson) omni_class_meta_to_json,
      (OmniMetaFromJson) omni_buffer_add_class_meta_from_json },
  { "tensor", omni_tensor_meta_api_get_type,
      (OmniMetaToJson) omni_tensor_meta_to_json,
      (OmniMetaFromJson) omni_buffer_add_tensor_meta_from_json },
  { "fusion", omni_fusion_meta_api_get_type,
      (OmniMetaToJson) omni_fusion_meta_to_json,
      (OmniMetaFromJson) omni_buffer_add_fusion_meta_from_json },
  { "results", omni_results_meta_api_get_type,
      (OmniMetaToJson) omni_results_meta_to_json,
      (OmniMetaFromJson) omni_buffer_add_results_meta_from_json },
};

/**
 * omni_meta_to_json:
 * @meta: a #GstMeta
 *
 * Returns: (transfer full) (nullable): the JSON object for @meta, or %NULL
 * if @meta is not a gst-omni meta
 */
JsonNode *
omni_meta_to_json (const GstMeta *meta)
{
  guint i;

  g_return_val_if_fail (meta != NULL, NULL);

  for (i = 0; i < G_N_ELEMENTS (json_entries); i++) {
    if (meta->info->api == json_entries[i].api_get_type ())
      return json_entries[i].to_json (meta);
  }
  return NULL;
}

/**
 * omni_buffer_add_meta_from_json:
 * @buffer: a writable #GstBuffer
 * @node: a JSON object node with a "type" member
 * @error: return location for a #GError
 *
 * Returns: (transfer none) (nullable): the meta added to @buffer
 */
GstMeta *
omni_buffer_add_meta_from_json (
    GstBuffer *buffer, JsonNode *node, GError **error)
{
  JsonObject *object;
  const gchar *type;
  guint i;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);
  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_TYPE,
        "meta JSON is not an object");
    return NULL;
  }
  object = json_node_get_object (node);
  if (!(type = omni_json_get_string (object, "type", error)))
    return NULL;

  for (i = 0; i < G_N_ELEMENTS (json_entries); i++) {
    if (g_str_equal (type, json_entries[i].type_name))
      return json_entries[i].from_json (buffer, object, error);
  }
  g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_TYPE,
      "unknown meta type \"%s\"", type);
  return NULL;
}

static gboolean
append_meta_json (GstBuffer *buffer, GstMeta **meta, gpointer user_data)
{
  JsonNode *node = omni_meta_to_json (*meta);

  if (node)
    json_array_add_element ((JsonArray *) user_data, node);
  return TRUE;
}

/**
 * omni_buffer_metas_to_json:
 * @buffer: a #GstBuffer
 *
 * Returns: (transfer full): a JSON array with the JSON form of every
 * gst-omni meta on @buffer, in the order they were added
 */
JsonNode *
omni_buffer_metas_to_json (GstBuffer *buffer)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  gst_buffer_foreach_meta (buffer, append_meta_json, array);
  json_node_take_array (node, array);
  return node;
}

/**
 * omni_json_node_to_string:
 * @node: a #JsonNode
 * @pretty: indent the output
 *
 * Returns: (transfer full): @node as JSON text
 */
gchar *
omni_json_node_to_string (JsonNode *node, gboolean pretty)
{
  return json_to_string (node, pretty);
}

static JsonNode *
get_member (
    JsonObject *object, const gchar *member, JsonNodeType type, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (!node) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"%s\" is missing", member);
    return NULL;
  }
  if (JSON_NODE_TYPE (node) != type) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"%s\" has the wrong type", member);
    return NULL;
  }
  return node;
}

gboolean
omni_json_get_double (
    JsonObject *object, const gchar *member, gdouble *value, GError **error)
{
  JsonNode *node = get_member (object, member, JSON_NODE_VALUE, error);
  GType vt;

  if (!node)
    return FALSE;
  vt = json_node_get_value_type (node);
  if (vt != G_TYPE_DOUBLE && vt != G_TYPE_INT64) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"%s\" is not a number", member);
    return FALSE;
  }
  *value = json_node_get_double (node);
  return TRUE;
}

gboolean
omni_json_get_uint64 (
    JsonObject *object, const gchar *member, guint64 *value, GError **error)
{
  JsonNode *node = get_member (object, member, JSON_NODE_VALUE, error);
  gint64 v;

  if (!node)
    return FALSE;
  if (json_node_get_value_type (node) != G_TYPE_INT64
      || (v = json_node_get_int (node)) < 0) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"%s\" is not a non-negative integer", member);
    return FALSE;
  }
  *value = (guint64) v;
  return TRUE;
}

gboolean
omni_json_get_boolean (
    JsonObject *object, const gchar *member, gboolean *value, GError **error)
{
  JsonNode *node = get_member (object, member, JSON_NODE_VALUE, error);

  if (!node)
    return FALSE;
  if (json_node_get_value_type (node) != G_TYPE_BOOLEAN) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"%s\" is not a boolean", member);
    return FALSE;
  }
  *value = json_node_get_boolean (node);
  return TRUE;
}

const gchar *
omni_json_get_string (JsonObject *object, const gchar *member, GError **error)
{
  JsonNode *node = get_member (object, member, JSON_NODE_VALUE, error);

  if (!node)
    return NULL;
  if (json_node_get_value_type (node) != G_TYPE_STRING) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"%s\" is not a string", member);
    return NULL;
  }
  return json_node_get_string (node);
}

JsonArray *
omni_json_get_array (JsonObject *object, const gchar *member, GError **error)
{
  JsonNode *node = get_member (object, member, JSON_NODE_ARRAY, error);

  return node ? json_node_get_array (node) : NULL;
}

/**
 * omni_json_flags_from_array:
 * @flags_type: a #GFlags type
 * @array: an array of flag nicks
 * @error: return location for a #GError
 *
 * Returns: the flags; on an unknown nick @error is set
 */
guint
omni_json_flags_from_array (GType flags_type, JsonArray *array, GError **error)
{
  GFlagsClass *klass = g_type_class_ref (flags_type);
  guint flags = 0, i;

  for (i = 0; i < json_array_get_length (array); i++) {
    const gchar *nick = json_array_get_string_element (array, i);
    GFlagsValue *v = nick ? g_flags_get_value_by_nick (klass, nick) : NULL;

    if (!v) {
      g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
          "unknown %s value \"%s\"", g_type_name (flags_type),
          nick ? nick : "(not a string)");
      break;
    }
    flags |= v->value;
  }
  g_type_class_unref (klass);
  return flags;
}

/**
 * omni_json_flags_to_array:
 * @flags_type: a #GFlags type
 * @flags: the flags
 *
 * Returns: (transfer full): an array node with the nick of each set flag
 */
JsonNode *
omni_json_flags_to_array (GType flags_type, guint flags)
{
  GFlagsClass *klass = g_type_class_ref (flags_type);
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  guint i;

  for (i = 0; i < klass->n_values; i++) {
    if (klass->values[i].value
        && (flags & klass->values[i].value) == klass->values[i].value)
      json_array_add_string_element (array, klass->values[i].value_nick);
  }
  g_type_class_unref (klass);
  json_node_take_array (node, array);
  return node;
}

/**
 * omni_json_value_to_node:
 * @value: a #GValue
 *
 * The one GValue → JSON mapping of gst-omni (metas, omnifusion's events):
 * doubles as numbers, null when not finite; signed and unsigned integers
 * as integers, except guint64, which is a #GstClockTime (null for
 * %GST_CLOCK_TIME_NONE); booleans; strings (null for %NULL); a
 * #GstStructure as an object of its fields (omni_json_structure_to_object());
 * #GstValueList and #GstValueArray as arrays; flags as an array of their
 * nicks; enums as their nick. Any other type is null (never left out).
 *
 * Returns: (transfer full): a JSON node
 */
JsonNode *
omni_json_value_to_node (const GValue *value)
{
  GType t = G_VALUE_TYPE (value);
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  if (t == G_TYPE_DOUBLE && isfinite (g_value_get_double (value)))
    json_node_set_double (node, g_value_get_double (value));
  else if (t == G_TYPE_FLOAT && isfinite (g_value_get_float (value)))
    json_node_set_double (node, g_value_get_float (value));
  else if (t == G_TYPE_INT)
    json_node_set_int (node, g_value_get_int (value));
  else if (t == G_TYPE_UINT)
    json_node_set_int (node, g_value_get_uint (value));
  else if (t == G_TYPE_INT64)
    json_node_set_int (node, g_value_get_int64 (value));
  else if (t == G_TYPE_UINT64
           && GST_CLOCK_TIME_IS_VALID (g_value_get_uint64 (value))
           && g_value_get_uint64 (value) <= (guint64) G_MAXINT64)
    json_node_set_int (node, (gint64) g_value_get_uint64 (value));
  else if (t == G_TYPE_BOOLEAN)
    json_node_set_boolean (node, g_value_get_boolean (value));
  else if (t == G_TYPE_STRING && g_value_get_string (value))
    json_node_set_string (node, g_value_get_string (value));
  else if (t == GST_TYPE_STRUCTURE && gst_value_get_structure (value)) {
    json_node_init_object (
        node, omni_json_structure_to_object (gst_value_get_structure (value)));
    json_object_unref (json_node_get_object (node));
  } else if (t == GST_TYPE_LIST || t == GST_TYPE_ARRAY) {
    JsonArray *array = json_array_new ();
    gboolean list = t == GST_TYPE_LIST;
    guint i, n = list ? gst_value_list_get_size (value)
                      : gst_value_array_get_size (value);

    for (i = 0; i < n; i++)
      json_array_add_element (array,
          omni_json_value_to_node (list
                                       ? gst_value_list_get_value (value, i)
                                       : gst_value_array_get_value (value, i)));
    json_node_init_array (node, array);
    json_array_unref (array);
  } else if (G_TYPE_IS_FLAGS (t)) {
    json_node_unref (node);
    node = omni_json_flags_to_array (t, g_value_get_flags (value));
  } else if (G_TYPE_IS_ENUM (t)) {
    GEnumValue *ev
        = g_enum_get_value (g_type_class_peek (t), g_value_get_enum (value));

    if (ev)
      json_node_set_string (node, ev->value_nick);
    else
      json_node_init_null (node);
  } else {
    json_node_init_null (node);
  }
  return node;
}

static gboolean
structure_field_to_member (GQuark field, const GValue *value, gpointer data)
{
  json_object_set_member (
      data, g_quark_to_string (field), omni_json_value_to_node (value));
  return TRUE;
}

/**
 * omni_json_object_set_structure_fields:
 * @object: a #JsonObject
 * @structure: a #GstStructure
 *
 * Sets one member of @object per field of @structure, in field order, by
 * omni_json_value_to_node().
 */
void
omni_json_object_set_structure_fields (
    JsonObject *object, const GstStructure *structure)
{
  g_return_if_fail (object != NULL && structure != NULL);

  gst_structure_foreach (structure, structure_field_to_member, object);
}

/**
 * omni_json_structure_to_object:
 * @structure: a #GstStructure
 *
 * Returns: (transfer full): an object with one member per field (the
 * structure's name is not part of it)
 */
JsonObject *
omni_json_structure_to_object (const GstStructure *structure)
{
  JsonObject *o = json_object_new ();

  omni_json_object_set_structure_fields (o, structure);
  return o;
}
