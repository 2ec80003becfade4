/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omnisamplemeta
 * @title: OmniSampleMeta
 * @short_description: marks a video frame that is worth analysing
 *
 * omnisampler attaches an #OmniSampleMeta to the frames it selects; the
 * encoders (omnivisionenc) run only on frames carrying it. The meta has no
 * tags: it describes content, not memory layout, so it survives
 * videoconvert/videoscale and buffer copies.
 *
 * JSON form (used by omnifusion's event output):
 * |[
 * {"type": "sample", "reasons": ["first", "scene"], "scene-score": 0.83, "index": 0}
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnisamplemeta.h"
#include "omnimetajson.h"

GType
omni_sample_reason_get_type (void)
{
  static GType type = 0;
  static const GFlagsValue values[] = {
    { OMNI_SAMPLE_REASON_FIRST, "First frame after start or flush", "first" },
    { OMNI_SAMPLE_REASON_INTERVAL, "Sampling interval elapsed", "interval" },
    { OMNI_SAMPLE_REASON_SCENE, "Scene cut", "scene" },
    { OMNI_SAMPLE_REASON_FORCED, "Forced by a key-unit request", "forced" },
    { 0, NULL, NULL }
  };

  if (g_once_init_enter (&type)) {
    GType t = g_flags_register_static ("OmniSampleReason", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

GType
omni_sample_meta_api_get_type (void)
{
  static GType type = 0;
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType t = gst_meta_api_type_register ("OmniSampleMetaAPI", tags);
    g_once_init_leave (&type, t);
  }
  return type;
}

static gboolean
omni_sample_meta_init (GstMeta *meta, gpointer params, GstBuffer *buffer)
{
  OmniSampleMeta *smeta = (OmniSampleMeta *) meta;

  smeta->reasons = OMNI_SAMPLE_REASON_NONE;
  smeta->scene_score = 0.0;
  smeta->index = 0;
  return TRUE;
}

static gboolean
omni_sample_meta_transform (GstBuffer *dest, GstMeta *meta, GstBuffer *buffer,
    GQuark type, gpointer data)
{
  OmniSampleMeta *smeta = (OmniSampleMeta *) meta;

  /* The meta is about the whole frame, so every transform (copy, scale,
   * convert) keeps it unchanged. */
  return omni_buffer_add_sample_meta (
             dest, smeta->reasons, smeta->scene_score, smeta->index)
         != NULL;
}

const GstMetaInfo *
omni_sample_meta_get_info (void)
{
  static const GstMetaInfo *info = NULL;

  if (g_once_init_enter ((GstMetaInfo **) &info)) {
    const GstMetaInfo *mi = gst_meta_register (OMNI_SAMPLE_META_API_TYPE,
        "OmniSampleMeta", sizeof (OmniSampleMeta), omni_sample_meta_init, NULL,
        omni_sample_meta_transform);
    g_once_init_leave ((GstMetaInfo **) &info, (GstMetaInfo *) mi);
  }
  return info;
}

/* The header's macro of the same name inlines this lookup for C callers. */
#undef omni_buffer_get_sample_meta

/**
 * omni_buffer_get_sample_meta:
 * @buffer: a #GstBuffer
 *
 * The function behind the omni_buffer_get_sample_meta() macro, for
 * language bindings: from Python, `Omni.buffer_get_sample_meta (buf)`. The
 * meta belongs to @buffer and lives as long as it does.
 *
 * Returns: (transfer none) (nullable): the #OmniSampleMeta on @buffer, or %NULL
 * if it has none
 */
OmniSampleMeta *
omni_buffer_get_sample_meta (GstBuffer *buffer)
{
  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);

  return (OmniSampleMeta *) gst_buffer_get_meta (
      buffer, OMNI_SAMPLE_META_API_TYPE);
}

/**
 * omni_buffer_add_sample_meta:
 * @buffer: a writable #GstBuffer
 * @reasons: why the frame was sampled
 * @scene_score: content change score in [0,1]
 * @index: sample index
 *
 * Returns: (transfer none): the added #OmniSampleMeta
 */
OmniSampleMeta *
omni_buffer_add_sample_meta (GstBuffer *buffer, OmniSampleReason reasons,
    gdouble scene_score, guint64 index)
{
  OmniSampleMeta *meta;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);

  meta = (OmniSampleMeta *) gst_buffer_add_meta (
      buffer, OMNI_SAMPLE_META_INFO, NULL);
  meta->reasons = reasons;
  meta->scene_score = scene_score;
  meta->index = index;
  return meta;
}

/**
 * omni_sample_meta_to_json:
 * @meta: an #OmniSampleMeta
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
omni_sample_meta_to_json (const OmniSampleMeta *meta)
{
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (o, "type", "sample");
  json_object_set_member (o, "reasons",
      omni_json_flags_to_array (OMNI_TYPE_SAMPLE_REASON, meta->reasons));
  json_object_set_double_member (o, "scene-score", meta->scene_score);
  json_object_set_int_member (o, "index", (gint64) meta->index);
  json_node_take_object (node, o);
  return node;
}

/**
 * omni_buffer_add_sample_meta_from_json:
 * @buffer: a writable #GstBuffer
 * @object: the JSON object written by omni_sample_meta_to_json()
 * @error: return location for a #GError
 *
 * Returns: (transfer none) (nullable): the added meta, or %NULL with @error
 * set when a member is missing or malformed
 */
OmniSampleMeta *
omni_buffer_add_sample_meta_from_json (
    GstBuffer *buffer, JsonObject *object, GError **error)
{
  JsonArray *reasons;
  gdouble score;
  guint64 index;
  guint flags;
  GError *err = NULL;

  if (!(reasons = omni_json_get_array (object, "reasons", error)))
    return NULL;
  flags = omni_json_flags_from_array (OMNI_TYPE_SAMPLE_REASON, reasons, &err);
  if (err) {
    g_propagate_error (error, err);
    return NULL;
  }
  if (!omni_json_get_double (object, "scene-score", &score, error)
      || !omni_json_get_uint64 (object, "index", &index, error))
    return NULL;

  return omni_buffer_add_sample_meta (buffer, flags, score, index);
}
