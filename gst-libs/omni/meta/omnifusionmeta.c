/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omnifusionmeta
 * @title: OmniFusionMeta
 * @short_description: caption and moderation verdict of a fusion window
 *
 * omnifusion attaches an #OmniFusionMeta to each output buffer: the window
 * of running time it covers, the caption, the verdict (state, label, risk
 * and a #GstStructure of evidence) and which modalities were present or
 * missing. The meta has no tags and survives buffer copies.
 *
 * The evidence structure may only hold fields of type double, int, int64,
 * uint, boolean and string (see omni_fusion_evidence_is_valid()), so that
 * it has a faithful JSON form.
 *
 * JSON form ("window-start"/"window-end" in ns, null for
 * %GST_CLOCK_TIME_NONE; "caption" and "label" may be null; "evidence" is
 * null or an object with the structure "name" and its "fields"):
 * |[
 * {"type": "fusion", "window-start": 2000000000, "window-end": 3000000000,
 *  "caption": "a person speaking", "state": "review", "label": "sexy",
 *  "risk": 0.64,
 *  "evidence": {"name": "evidence",
 *               "fields": {"nsfw-score": 0.64, "frames": 12,
 *                          "loud": true, "model": "nsfw"}},
 *  "present": ["video", "audio"], "missing": ["text"]}
 * ]|
 *
 * Evidence field types in JSON: int, int64 and uint fields are written as
 * JSON integers and double fields as JSON numbers with a fraction or
 * exponent (non-finite doubles as null); reading back, a JSON integer
 * becomes a #G_TYPE_INT64 field, any other number a #G_TYPE_DOUBLE, a
 * string a #G_TYPE_STRING and true/false a #G_TYPE_BOOLEAN. So int and uint
 * fields come back as int64 with the same value; everything else comes back
 * with its type. Null and nested values are refused.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <math.h>

#include "omnifusionmeta.h"
#include "omnimetajson-private.h"

GType
omni_verdict_state_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = { { OMNI_VERDICT_OK, "Nothing to report",
                                           "ok" },
    { OMNI_VERDICT_REVIEW, "Needs human review", "review" },
    { OMNI_VERDICT_FLAGGED, "Flagged by the policy", "flagged" },
    { OMNI_VERDICT_ERROR, "The analysis failed", "error" }, { 0, NULL, NULL } };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("OmniVerdictState", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

GType
omni_modality_get_type (void)
{
  static GType type = 0;
  static const GFlagsValue values[]
      = { { OMNI_MODALITY_VIDEO, "Video", "video" },
          { OMNI_MODALITY_AUDIO, "Audio", "audio" },
          { OMNI_MODALITY_TEXT, "Text", "text" }, { 0, NULL, NULL } };

  if (g_once_init_enter (&type)) {
    GType t = g_flags_register_static ("OmniModality", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

GType
omni_fusion_meta_api_get_type (void)
{
  static GType type = 0;
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType t = gst_meta_api_type_register ("OmniFusionMetaAPI", tags);
    g_once_init_leave (&type, t);
  }
  return type;
}

static gboolean
omni_fusion_meta_init (GstMeta *meta, gpointer params, GstBuffer *buffer)
{
  OmniFusionMeta *fmeta = (OmniFusionMeta *) meta;

  fmeta->window_start = GST_CLOCK_TIME_NONE;
  fmeta->window_end = GST_CLOCK_TIME_NONE;
  fmeta->caption = NULL;
  fmeta->state = OMNI_VERDICT_OK;
  fmeta->label = NULL;
  fmeta->risk = 0.0;
  fmeta->evidence = NULL;
  fmeta->present = 0;
  fmeta->missing = 0;
  return TRUE;
}

static void
omni_fusion_meta_free (GstMeta *meta, GstBuffer *buffer)
{
  OmniFusionMeta *fmeta = (OmniFusionMeta *) meta;

  g_free (fmeta->caption);
  g_free (fmeta->label);
  g_clear_pointer (&fmeta->evidence, gst_structure_free);
}

static gboolean
omni_fusion_meta_transform (GstBuffer *dest, GstMeta *meta, GstBuffer *buffer,
    GQuark type, gpointer data)
{
  OmniFusionMeta *smeta = (OmniFusionMeta *) meta, *dmeta;

  dmeta = omni_buffer_add_fusion_meta (dest, smeta->window_start,
      smeta->window_end, smeta->caption, smeta->state, smeta->label,
      smeta->risk, smeta->evidence);
  if (!dmeta)
    return FALSE;
  dmeta->present = smeta->present;
  dmeta->missing = smeta->missing;
  return TRUE;
}

const GstMetaInfo *
omni_fusion_meta_get_info (void)
{
  static const GstMetaInfo *info = NULL;

  if (g_once_init_enter ((GstMetaInfo **) &info)) {
    const GstMetaInfo *mi = gst_meta_register (OMNI_FUSION_META_API_TYPE,
        "OmniFusionMeta", sizeof (OmniFusionMeta), omni_fusion_meta_init,
        omni_fusion_meta_free, omni_fusion_meta_transform);
    g_once_init_leave ((GstMetaInfo **) &info, (GstMetaInfo *) mi);
  }
  return info;
}

/* The header's macro of the same name inlines this lookup for C callers. */
#undef omni_buffer_get_fusion_meta

/**
 * omni_buffer_get_fusion_meta:
 * @buffer: a #GstBuffer
 *
 * The function behind the omni_buffer_get_fusion_meta() macro, for
 * language bindings: from Python, `Omni.buffer_get_fusion_meta (buf)`. The
 * meta belongs to @buffer and lives as long as it does.
 *
 * Returns: (transfer none) (nullable): the #OmniFusionMeta on @buffer, or %NULL
 * if it has none
 */
OmniFusionMeta *
omni_buffer_get_fusion_meta (GstBuffer *buffer)
{
  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);

  return (OmniFusionMeta *) gst_buffer_get_meta (
      buffer, OMNI_FUSION_META_API_TYPE);
}

static gboolean
evidence_field_is_valid (GQuark field, const GValue *value, gpointer user_data)
{
  GType t = G_VALUE_TYPE (value);

  return t == G_TYPE_DOUBLE || t == G_TYPE_INT || t == G_TYPE_INT64
         || t == G_TYPE_UINT || t == G_TYPE_BOOLEAN
         || (t == G_TYPE_STRING && g_value_get_string (value) != NULL);
}

/**
 * omni_fusion_evidence_is_valid:
 * @evidence: a #GstStructure
 *
 * Returns: %TRUE if every field of @evidence is a double, int, int64, uint,
 * boolean or (non-%NULL) string, the types an #OmniFusionMeta accepts
 */
gboolean
omni_fusion_evidence_is_valid (const GstStructure *evidence)
{
  g_return_val_if_fail (evidence != NULL, FALSE);

  return gst_structure_foreach (evidence, evidence_field_is_valid, NULL);
}

/**
 * omni_buffer_add_fusion_meta:
 * @buffer: a writable #GstBuffer
 * @window_start: running time at which the window starts
 * @window_end: running time at which the window ends
 * @caption: (nullable): caption text, UTF-8
 * @state: verdict state
 * @label: (nullable): verdict label
 * @risk: risk score in [0,1]
 * @evidence: (nullable) (transfer none): evidence; copied. Its fields must
 *   pass omni_fusion_evidence_is_valid() (a critical warning and %NULL
 *   otherwise)
 *
 * Adds an #OmniFusionMeta with @present and @missing empty; the caller may
 * set them.
 *
 * Returns: (transfer none): the added #OmniFusionMeta
 */
OmniFusionMeta *
omni_buffer_add_fusion_meta (GstBuffer *buffer, GstClockTime window_start,
    GstClockTime window_end, const gchar *caption, OmniVerdictState state,
    const gchar *label, gdouble risk, const GstStructure *evidence)
{
  OmniFusionMeta *meta;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);
  g_return_val_if_fail (
      evidence == NULL || omni_fusion_evidence_is_valid (evidence), NULL);

  meta = (OmniFusionMeta *) gst_buffer_add_meta (
      buffer, OMNI_FUSION_META_INFO, NULL);
  meta->window_start = window_start;
  meta->window_end = window_end;
  meta->caption = g_strdup (caption);
  meta->state = state;
  meta->label = g_strdup (label);
  meta->risk = risk;
  meta->evidence = evidence ? gst_structure_copy (evidence) : NULL;
  return meta;
}

/**
 * omni_fusion_meta_to_json:
 * @meta: an #OmniFusionMeta
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
omni_fusion_meta_to_json (const OmniFusionMeta *meta)
{
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (o, "type", "fusion");
  omni_json_set_clock_time (o, "window-start", meta->window_start);
  omni_json_set_clock_time (o, "window-end", meta->window_end);
  omni_json_set_nullable_string (o, "caption", meta->caption);
  omni_json_set_enum (o, "state", OMNI_TYPE_VERDICT_STATE, meta->state);
  omni_json_set_nullable_string (o, "label", meta->label);
  omni_json_set_double_or_null (o, "risk", meta->risk);
  if (meta->evidence) {
    JsonObject *ev = json_object_new (), *fields = json_object_new ();

    json_object_set_string_member (
        ev, "name", gst_structure_get_name (meta->evidence));
    omni_json_object_set_structure_fields (fields, meta->evidence);
    json_object_set_object_member (ev, "fields", fields);
    json_object_set_object_member (o, "evidence", ev);
  } else {
    json_object_set_null_member (o, "evidence");
  }
  json_object_set_member (o, "present",
      omni_json_flags_to_array (OMNI_TYPE_MODALITY, meta->present));
  json_object_set_member (o, "missing",
      omni_json_flags_to_array (OMNI_TYPE_MODALITY, meta->missing));
  json_node_take_object (node, o);
  return node;
}

/* GstStructure's rule for names (gst_structure_validate_name() is not
 * public in 1.22): a letter, then letters, digits or "/-_.:+". */
static gboolean
structure_name_is_valid (const gchar *name)
{
  const gchar *p;

  if (!g_ascii_isalpha (name[0]))
    return FALSE;
  for (p = name + 1; *p; p++) {
    if (!g_ascii_isalnum (*p) && !strchr ("/-_.:+", *p))
      return FALSE;
  }
  return TRUE;
}

/* Builds the evidence structure from its JSON object, or NULL + error. */
static GstStructure *
evidence_from_json (JsonObject *ev, GError **error)
{
  const gchar *name;
  JsonNode *fnode;
  JsonObjectIter iter;
  const gchar *member;
  JsonNode *value;
  GstStructure *s;

  name = omni_json_get_string (ev, "name", NULL);
  if (!name || !structure_name_is_valid (name)) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"evidence\": \"name\" is missing or not a valid structure "
        "name");
    return NULL;
  }
  fnode = json_object_get_member (ev, "fields");
  if (!fnode || !JSON_NODE_HOLDS_OBJECT (fnode)) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"evidence\": \"fields\" is missing or not an object");
    return NULL;
  }

  s = gst_structure_new_empty (name);
  json_object_iter_init (&iter, json_node_get_object (fnode));
  while (json_object_iter_next (&iter, &member, &value)) {
    GType t = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value)
                                            : G_TYPE_INVALID;

    if (!structure_name_is_valid (member)) {
      g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
          "member \"evidence\": \"%s\" is not a valid field name", member);
      gst_structure_free (s);
      return NULL;
    }
    if (t == G_TYPE_INT64) {
      gst_structure_set (
          s, member, G_TYPE_INT64, json_node_get_int (value), NULL);
    } else if (t == G_TYPE_DOUBLE) {
      gst_structure_set (
          s, member, G_TYPE_DOUBLE, json_node_get_double (value), NULL);
    } else if (t == G_TYPE_BOOLEAN) {
      gst_structure_set (
          s, member, G_TYPE_BOOLEAN, json_node_get_boolean (value), NULL);
    } else if (t == G_TYPE_STRING) {
      gst_structure_set (
          s, member, G_TYPE_STRING, json_node_get_string (value), NULL);
    } else {
      g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
          "member \"evidence\": field \"%s\" is not a number, boolean or "
          "string",
          member);
      gst_structure_free (s);
      return NULL;
    }
  }
  return s;
}

/* "risk": a number, or null for unknown (NaN). */
static gboolean
get_risk (JsonObject *object, gdouble *risk, GError **error)
{
  JsonNode *node = json_object_get_member (object, "risk");

  if (node && JSON_NODE_HOLDS_NULL (node)) {
    *risk = NAN;
    return TRUE;
  }
  return omni_json_get_double (object, "risk", risk, error);
}

/**
 * omni_buffer_add_fusion_meta_from_json:
 * @buffer: a writable #GstBuffer
 * @object: the JSON object written by omni_fusion_meta_to_json()
 * @error: return location for a #GError
 *
 * Every member is required; "caption", "label", "evidence" and the window
 * times may be null; "risk" is a number, or null (unknown: NaN) for a
 * window whose analysis failed. Evidence fields are mapped
 * as described in the section documentation (JSON integers become int64
 * fields).
 *
 * Returns: (transfer none) (nullable): the added meta, or %NULL with @error
 * set when a member is missing or malformed
 */
OmniFusionMeta *
omni_buffer_add_fusion_meta_from_json (
    GstBuffer *buffer, JsonObject *object, GError **error)
{
  GstClockTime start, end;
  const gchar *caption, *label;
  gint state;
  gdouble risk;
  JsonNode *ev;
  GstStructure *evidence = NULL;
  guint present, missing;
  OmniFusionMeta *meta;

  if (!omni_json_get_clock_time (object, "window-start", &start, error)
      || !omni_json_get_clock_time (object, "window-end", &end, error)
      || !omni_json_get_nullable_string (object, "caption", &caption, error)
      || !omni_json_get_enum (
          object, "state", OMNI_TYPE_VERDICT_STATE, &state, error)
      || !omni_json_get_nullable_string (object, "label", &label, error)
      || !get_risk (object, &risk, error)
      || !omni_json_get_flags (
          object, "present", OMNI_TYPE_MODALITY, &present, error)
      || !omni_json_get_flags (
          object, "missing", OMNI_TYPE_MODALITY, &missing, error))
    return NULL;

  ev = json_object_get_member (object, "evidence");
  if (!ev) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"evidence\" is missing");
    return NULL;
  }
  if (JSON_NODE_HOLDS_OBJECT (ev)) {
    if (!(evidence = evidence_from_json (json_node_get_object (ev), error)))
      return NULL;
  } else if (!JSON_NODE_HOLDS_NULL (ev)) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"evidence\" is not an object or null");
    return NULL;
  }

  meta = omni_buffer_add_fusion_meta (buffer, start, end, caption,
      (OmniVerdictState) state, label, risk, evidence);
  if (evidence)
    gst_structure_free (evidence);
  meta->present = present;
  meta->missing = missing;
  return meta;
}
