/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_META_JSON_H__
#define __OMNI_META_JSON_H__

#include <omni/omni-prelude.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * OMNI_META_ERROR:
 *
 * Error domain for JSON (de)serialisation of the gst-omni metas.
 */
#define OMNI_META_ERROR (omni_meta_error_quark ())
OMNI_API GQuark omni_meta_error_quark (void);

/**
 * OmniMetaError:
 * @OMNI_META_ERROR_PARSE: the JSON text could not be parsed
 * @OMNI_META_ERROR_TYPE: the "type" member is missing or unknown
 * @OMNI_META_ERROR_FIELD: a member is missing or has the wrong type/range
 */
typedef enum {
  OMNI_META_ERROR_PARSE,
  OMNI_META_ERROR_TYPE,
  OMNI_META_ERROR_FIELD,
} OmniMetaError;

OMNI_API JsonNode *omni_meta_to_json (const GstMeta *meta);
OMNI_API GstMeta *omni_buffer_add_meta_from_json (
    GstBuffer *buffer, JsonNode *node, GError **error);
OMNI_API JsonNode *omni_buffer_metas_to_json (GstBuffer *buffer);
OMNI_API gchar *omni_json_node_to_string (JsonNode *node, gboolean pretty);

/* Helpers for the per-meta (de)serialisers; not for applications. */
OMNI_API gboolean omni_json_get_double (
    JsonObject *object, const gchar *member, gdouble *value, GError **error);
OMNI_API gboolean omni_json_get_uint64 (
    JsonObject *object, const gchar *member, guint64 *value, GError **error);
OMNI_API gboolean omni_json_get_boolean (
    JsonObject *object, const gchar *member, gboolean *value, GError **error);
OMNI_API const gchar *omni_json_get_string (
    JsonObject *object, const gchar *member, GError **error);
OMNI_API JsonArray *omni_json_get_array (
    JsonObject *object, const gchar *member, GError **error);
OMNI_API guint omni_json_flags_from_array (
    GType flags_type, JsonArray *array, GError **error);
OMNI_API JsonNode *omni_json_flags_to_array (GType flags_type, guint flags);

/* The one GstStructure/GValue -> JSON mapping (metas and events). */
OMNI_API JsonNode *omni_json_value_to_node (const GValue *value);
OMNI_API void omni_json_object_set_structure_fields (
    JsonObject *object, const GstStructure *structure);
OMNI_API JsonObject *omni_json_structure_to_object (
    const GstStructure *structure);

G_END_DECLS

#endif /* __OMNI_META_JSON_H__ */
