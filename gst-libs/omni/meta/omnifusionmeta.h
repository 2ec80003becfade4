/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_FUSION_META_H__
#define __OMNI_FUSION_META_H__

#include <omni/omni-prelude.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * OmniVerdictState:
 * @OMNI_VERDICT_OK: nothing to report
 * @OMNI_VERDICT_REVIEW: uncertain; a human should look
 * @OMNI_VERDICT_FLAGGED: the policy flags this window
 * @OMNI_VERDICT_ERROR: the analysis behind the window failed (e.g. a model
 *   gave NaN or infinite scores): nothing can be said, and it is never "ok"
 *
 * Moderation verdict of one omnifusion window.
 */
typedef enum {
  OMNI_VERDICT_OK,
  OMNI_VERDICT_REVIEW,
  OMNI_VERDICT_FLAGGED,
  OMNI_VERDICT_ERROR,
} OmniVerdictState;

#define OMNI_TYPE_VERDICT_STATE (omni_verdict_state_get_type ())
OMNI_API GType omni_verdict_state_get_type (void);

/**
 * OmniModality:
 * @OMNI_MODALITY_VIDEO: video
 * @OMNI_MODALITY_AUDIO: audio
 * @OMNI_MODALITY_TEXT: text (subtitles, transcripts)
 *
 * Input modalities of an omnifusion window.
 */
typedef enum {
  OMNI_MODALITY_VIDEO = (1 << 0),
  OMNI_MODALITY_AUDIO = (1 << 1),
  OMNI_MODALITY_TEXT = (1 << 2),
} OmniModality;

#define OMNI_TYPE_MODALITY (omni_modality_get_type ())
OMNI_API GType omni_modality_get_type (void);

/**
 * OmniFusionMeta:
 * @meta: parent #GstMeta
 * @window_start: running time at which the window starts
 * @window_end: running time at which the window ends (exclusive)
 * @caption: (nullable): caption text for the window, UTF-8
 * @state: verdict state
 * @label: (nullable): label of the verdict (e.g. the flagged class)
 * @risk: risk score of the verdict, in [0,1]
 * @evidence: (nullable): the evidence behind the verdict; its fields are
 *   of type double, int, int64, uint, boolean or string only
 * @present: the modalities that contributed to the window
 * @missing: the modalities expected but missing (late or stopped)
 *
 * What omnifusion concluded about one window of running time.
 */
typedef struct {
  GstMeta meta;

  GstClockTime window_start, window_end;
  gchar *caption;
  OmniVerdictState state;
  gchar *label;
  gdouble risk;
  GstStructure *evidence;
  OmniModality present;
  OmniModality missing;
} OmniFusionMeta;

#define OMNI_FUSION_META_API_TYPE (omni_fusion_meta_api_get_type ())
#define OMNI_FUSION_META_INFO (omni_fusion_meta_get_info ())

OMNI_API GType omni_fusion_meta_api_get_type (void);
OMNI_API const GstMetaInfo *omni_fusion_meta_get_info (void);

OMNI_API OmniFusionMeta *omni_buffer_get_fusion_meta (GstBuffer *buffer);

/* C callers get the lookup inlined; bindings call the function above. */
#ifndef __GI_SCANNER__
#define omni_buffer_get_fusion_meta(b)                                         \
  ((OmniFusionMeta *) gst_buffer_get_meta ((b), OMNI_FUSION_META_API_TYPE))
#endif

OMNI_API OmniFusionMeta *omni_buffer_add_fusion_meta (GstBuffer *buffer,
    GstClockTime window_start, GstClockTime window_end, const gchar *caption,
    OmniVerdictState state, const gchar *label, gdouble risk,
    const GstStructure *evidence);
OMNI_API gboolean omni_fusion_evidence_is_valid (const GstStructure *evidence);

OMNI_API JsonNode *omni_fusion_meta_to_json (const OmniFusionMeta *meta);
OMNI_API OmniFusionMeta *omni_buffer_add_fusion_meta_from_json (
    GstBuffer *buffer, JsonObject *object, GError **error);

G_END_DECLS

#endif /* __OMNI_FUSION_META_H__ */
