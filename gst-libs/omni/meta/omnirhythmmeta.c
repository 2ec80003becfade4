/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omnirhythmmeta
 * @title: OmniRhythmMeta
 * @short_description: audio rhythm and level features of an audio buffer
 *
 * omnirhythm attaches an #OmniRhythmMeta to every audio buffer: onset
 * strength and detected onset, tempo and its confidence, beat position,
 * RMS and peak level in dBFS, spectral centroid, flux and roll-off. The
 * meta has no tags: it describes content, so it survives audioconvert and
 * buffer copies (a copy of only part of the buffer drops it, since the
 * features describe the whole buffer).
 *
 * omni_buffer_add_rhythm_meta() returns a meta with every number 0, the
 * booleans %FALSE, the offsets %GST_CLOCK_TIME_NONE and both levels at
 * %OMNI_RHYTHM_DB_FLOOR; the caller fills in the fields.
 *
 * JSON form (offsets in ns from the buffer PTS, null when there is none;
 * levels below %OMNI_RHYTHM_DB_FLOOR, including -infinity, are written as
 * the floor; any other non-finite number is written as null, which the
 * reader refuses):
 * |[
 * {"type": "rhythm", "onset-strength": 0.42, "onset": true,
 *  "onset-offset": 5333333, "tempo": 120.0, "tempo-confidence": 0.8,
 *  "beat": false, "beat-offset": null, "beat-phase": 0.25,
 *  "rms-db": -18.5, "peak-db": -6.0, "centroid": 1830.2, "flux": 0.07,
 *  "rolloff": 5200.0, "short-term-db": -12.0, "impulses": 0,
 *  "flux-variance": 0.004, "level-std-db": 9.5, "persistence": 0.61,
 *  "context-s": 1.0}
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnirhythmmeta.h"
#include "omnimetajson-private.h"

GType
omni_rhythm_meta_api_get_type (void)
{
  static GType type = 0;
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType t = gst_meta_api_type_register ("OmniRhythmMetaAPI", tags);
    g_once_init_leave (&type, t);
  }
  return type;
}

static void
rhythm_meta_reset (OmniRhythmMeta *rmeta)
{
  rmeta->onset_strength = 0.0;
  rmeta->onset = FALSE;
  rmeta->onset_offset = GST_CLOCK_TIME_NONE;
  rmeta->tempo = 0.0;
  rmeta->tempo_confidence = 0.0;
  rmeta->beat = FALSE;
  rmeta->beat_offset = GST_CLOCK_TIME_NONE;
  rmeta->beat_phase = 0.0;
  rmeta->rms_db = OMNI_RHYTHM_DB_FLOOR;
  rmeta->peak_db = OMNI_RHYTHM_DB_FLOOR;
  rmeta->centroid = 0.0;
  rmeta->flux = 0.0;
  rmeta->rolloff = 0.0;
  rmeta->short_term_db = OMNI_RHYTHM_DB_FLOOR;
  rmeta->impulses = 0;
  rmeta->flux_variance = 0.0;
  rmeta->level_std_db = 0.0;
  rmeta->persistence = 0.0;
  rmeta->context_s = 0.0;
}

static gboolean
omni_rhythm_meta_init (GstMeta *meta, gpointer params, GstBuffer *buffer)
{
  rhythm_meta_reset ((OmniRhythmMeta *) meta);
  return TRUE;
}

static gboolean
omni_rhythm_meta_transform (GstBuffer *dest, GstMeta *meta, GstBuffer *buffer,
    GQuark type, gpointer data)
{
  OmniRhythmMeta *smeta = (OmniRhythmMeta *) meta, *dmeta;

  if (GST_META_TRANSFORM_IS_COPY (type)) {
    GstMetaTransformCopy *copy = data;

    /* The features (and the offsets from the PTS) describe the whole
     * buffer: a copy of a part of it does not get them. */
    if (copy->region)
      return TRUE;
  }

  dmeta = omni_buffer_add_rhythm_meta (dest);
  if (!dmeta)
    return FALSE;
  dmeta->onset_strength = smeta->onset_strength;
  dmeta->onset = smeta->onset;
  dmeta->onset_offset = smeta->onset_offset;
  dmeta->tempo = smeta->tempo;
  dmeta->tempo_confidence = smeta->tempo_confidence;
  dmeta->beat = smeta->beat;
  dmeta->beat_offset = smeta->beat_offset;
  dmeta->beat_phase = smeta->beat_phase;
  dmeta->rms_db = smeta->rms_db;
  dmeta->peak_db = smeta->peak_db;
  dmeta->centroid = smeta->centroid;
  dmeta->flux = smeta->flux;
  dmeta->rolloff = smeta->rolloff;
  dmeta->short_term_db = smeta->short_term_db;
  dmeta->impulses = smeta->impulses;
  dmeta->flux_variance = smeta->flux_variance;
  dmeta->level_std_db = smeta->level_std_db;
  dmeta->persistence = smeta->persistence;
  dmeta->context_s = smeta->context_s;
  return TRUE;
}

const GstMetaInfo *
omni_rhythm_meta_get_info (void)
{
  static const GstMetaInfo *info = NULL;

  if (g_once_init_enter ((GstMetaInfo **) &info)) {
    const GstMetaInfo *mi = gst_meta_register (OMNI_RHYTHM_META_API_TYPE,
        "OmniRhythmMeta", sizeof (OmniRhythmMeta), omni_rhythm_meta_init, NULL,
        omni_rhythm_meta_transform);
    g_once_init_leave ((GstMetaInfo **) &info, (GstMetaInfo *) mi);
  }
  return info;
}

/* The header's macro of the same name inlines this lookup for C callers. */
#undef omni_buffer_get_rhythm_meta

/**
 * omni_buffer_get_rhythm_meta:
 * @buffer: a #GstBuffer
 *
 * The function behind the omni_buffer_get_rhythm_meta() macro, for
 * language bindings: from Python, `Omni.buffer_get_rhythm_meta (buf)`. The
 * meta belongs to @buffer and lives as long as it does.
 *
 * Returns: (transfer none) (nullable): the #OmniRhythmMeta on @buffer, or %NULL
 * if it has none
 */
OmniRhythmMeta *
omni_buffer_get_rhythm_meta (GstBuffer *buffer)
{
  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);

  return (OmniRhythmMeta *) gst_buffer_get_meta (
      buffer, OMNI_RHYTHM_META_API_TYPE);
}

/**
 * omni_buffer_add_rhythm_meta:
 * @buffer: a writable #GstBuffer
 *
 * Adds an #OmniRhythmMeta with every number 0, the booleans %FALSE, the
 * offsets %GST_CLOCK_TIME_NONE and @rms_db / @peak_db at
 * %OMNI_RHYTHM_DB_FLOOR. The caller fills in the fields.
 *
 * Returns: (transfer none): the added #OmniRhythmMeta
 */
OmniRhythmMeta *
omni_buffer_add_rhythm_meta (GstBuffer *buffer)
{
  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);

  return (OmniRhythmMeta *) gst_buffer_add_meta (
      buffer, OMNI_RHYTHM_META_INFO, NULL);
}

static void
set_db (JsonObject *o, const gchar *member, gdouble db)
{
  /* -inf (digital silence), NaN and anything under the floor become the
   * floor; +inf stays non-finite and is written as null. */
  if (isnan (db) || db < OMNI_RHYTHM_DB_FLOOR)
    db = OMNI_RHYTHM_DB_FLOOR;
  omni_json_set_double_or_null (o, member, db);
}

/**
 * omni_rhythm_meta_to_json:
 * @meta: an #OmniRhythmMeta
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
omni_rhythm_meta_to_json (const OmniRhythmMeta *meta)
{
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (o, "type", "rhythm");
  omni_json_set_double_or_null (o, "onset-strength", meta->onset_strength);
  json_object_set_boolean_member (o, "onset", meta->onset);
  omni_json_set_clock_time (o, "onset-offset", meta->onset_offset);
  omni_json_set_double_or_null (o, "tempo", meta->tempo);
  omni_json_set_double_or_null (o, "tempo-confidence", meta->tempo_confidence);
  json_object_set_boolean_member (o, "beat", meta->beat);
  omni_json_set_clock_time (o, "beat-offset", meta->beat_offset);
  omni_json_set_double_or_null (o, "beat-phase", meta->beat_phase);
  set_db (o, "rms-db", meta->rms_db);
  set_db (o, "peak-db", meta->peak_db);
  omni_json_set_double_or_null (o, "centroid", meta->centroid);
  omni_json_set_double_or_null (o, "flux", meta->flux);
  omni_json_set_double_or_null (o, "rolloff", meta->rolloff);
  set_db (o, "short-term-db", meta->short_term_db);
  json_object_set_int_member (o, "impulses", meta->impulses);
  omni_json_set_double_or_null (o, "flux-variance", meta->flux_variance);
  omni_json_set_double_or_null (o, "level-std-db", meta->level_std_db);
  omni_json_set_double_or_null (o, "persistence", meta->persistence);
  omni_json_set_double_or_null (o, "context-s", meta->context_s);
  json_node_take_object (node, o);
  return node;
}

/* the cues added in 1.1: optional, but well-formed when present */
static gboolean
optional_cues (JsonObject *object, OmniRhythmMeta *v, GError **error)
{
  static const gchar *const names[] = { "short-term-db", "flux-variance",
    "level-std-db", "persistence", "context-s" };
  gdouble *dest[] = { &v->short_term_db, &v->flux_variance, &v->level_std_db,
    &v->persistence, &v->context_s };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    if (json_object_has_member (object, names[i])
        && !omni_json_get_double (object, names[i], dest[i], error))
      return FALSE;
  }
  if (json_object_has_member (object, "impulses")) {
    gdouble n;

    if (!omni_json_get_double (object, "impulses", &n, error))
      return FALSE;
    if (!(n >= 0 && n <= G_MAXUINT && n == floor (n))) {
      g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
          "\"impulses\" must be a non-negative integer");
      return FALSE;
    }
    v->impulses = (guint) n;
  }
  return TRUE;
}

/**
 * omni_buffer_add_rhythm_meta_from_json:
 * @buffer: a writable #GstBuffer
 * @object: the JSON object written by omni_rhythm_meta_to_json()
 * @error: return location for a #GError
 *
 * Every member is required except the loud-event and speech/music cues
 * ("short-term-db", "impulses", "flux-variance", "level-std-db",
 * "persistence", "context-s"), which JSON written before they existed
 * lacks; the numbers must be numbers (null is refused),
 * the offsets non-negative integers or null.
 *
 * Returns: (transfer none) (nullable): the added meta, or %NULL with @error
 * set when a member is missing or malformed
 */
OmniRhythmMeta *
omni_buffer_add_rhythm_meta_from_json (
    GstBuffer *buffer, JsonObject *object, GError **error)
{
  OmniRhythmMeta v, *meta;

  rhythm_meta_reset (&v);
  if (!omni_json_get_double (object, "onset-strength", &v.onset_strength, error)
      || !omni_json_get_boolean (object, "onset", &v.onset, error)
      || !omni_json_get_clock_time (
          object, "onset-offset", &v.onset_offset, error)
      || !omni_json_get_double (object, "tempo", &v.tempo, error)
      || !omni_json_get_double (
          object, "tempo-confidence", &v.tempo_confidence, error)
      || !omni_json_get_boolean (object, "beat", &v.beat, error)
      || !omni_json_get_clock_time (
          object, "beat-offset", &v.beat_offset, error)
      || !omni_json_get_double (object, "beat-phase", &v.beat_phase, error)
      || !omni_json_get_double (object, "rms-db", &v.rms_db, error)
      || !omni_json_get_double (object, "peak-db", &v.peak_db, error)
      || !omni_json_get_double (object, "centroid", &v.centroid, error)
      || !omni_json_get_double (object, "flux", &v.flux, error)
      || !omni_json_get_double (object, "rolloff", &v.rolloff, error))
    return NULL;
  if (!optional_cues (object, &v, error))
    return NULL;

  meta = omni_buffer_add_rhythm_meta (buffer);
  v.meta = meta->meta;
  *meta = v;
  return meta;
}
