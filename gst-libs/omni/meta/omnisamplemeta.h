/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_SAMPLE_META_H__
#define __OMNI_SAMPLE_META_H__

#include <omni/omni-prelude.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * OmniSampleReason:
 * @OMNI_SAMPLE_REASON_NONE: not sampled
 * @OMNI_SAMPLE_REASON_FIRST: first frame after start, flush or caps change
 * @OMNI_SAMPLE_REASON_INTERVAL: the `interval` of running time elapsed
 * @OMNI_SAMPLE_REASON_SCENE: a scene cut was detected on this frame
 * @OMNI_SAMPLE_REASON_FORCED: a force-key-unit event asked for this frame
 *
 * Why omnisampler picked a frame; several may be set at once.
 */
typedef enum {
  OMNI_SAMPLE_REASON_NONE = 0,
  OMNI_SAMPLE_REASON_FIRST = (1 << 0),
  OMNI_SAMPLE_REASON_INTERVAL = (1 << 1),
  OMNI_SAMPLE_REASON_SCENE = (1 << 2),
  OMNI_SAMPLE_REASON_FORCED = (1 << 3),
} OmniSampleReason;

#define OMNI_TYPE_SAMPLE_REASON (omni_sample_reason_get_type ())
OMNI_API GType omni_sample_reason_get_type (void);

/**
 * OmniSampleMeta:
 * @meta: parent #GstMeta
 * @reasons: why the frame was sampled
 * @scene_score: content change score against the previous frame, in [0,1]
 * @index: 0-based count of sampled frames since start or the last flush
 *
 * Marks a video frame that is worth analysing.
 */
typedef struct {
  GstMeta meta;

  OmniSampleReason reasons;
  gdouble scene_score;
  guint64 index;
} OmniSampleMeta;

#define OMNI_SAMPLE_META_API_TYPE (omni_sample_meta_api_get_type ())
#define OMNI_SAMPLE_META_INFO (omni_sample_meta_get_info ())

OMNI_API GType omni_sample_meta_api_get_type (void);
OMNI_API const GstMetaInfo *omni_sample_meta_get_info (void);

OMNI_API OmniSampleMeta *omni_buffer_get_sample_meta (GstBuffer *buffer);

/* C callers get the lookup inlined; bindings call the function above. */
#ifndef __GI_SCANNER__
#define omni_buffer_get_sample_meta(b)                                         \
  ((OmniSampleMeta *) gst_buffer_get_meta ((b), OMNI_SAMPLE_META_API_TYPE))
#endif

OMNI_API OmniSampleMeta *omni_buffer_add_sample_meta (GstBuffer *buffer,
    OmniSampleReason reasons, gdouble scene_score, guint64 index);

OMNI_API JsonNode *omni_sample_meta_to_json (const OmniSampleMeta *meta);
OMNI_API OmniSampleMeta *omni_buffer_add_sample_meta_from_json (
    GstBuffer *buffer, JsonObject *object, GError **error);

G_END_DECLS

#endif /* __OMNI_SAMPLE_META_H__ */
