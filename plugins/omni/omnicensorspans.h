/* gst-omni: omnicensor's timeline of verdicts
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_CENSOR_SPANS_H__
#define __OMNI_CENSOR_SPANS_H__

#include <gst/gst.h>
#include <omni/meta/omnifusionmeta.h>

G_BEGIN_DECLS

/**
 * OmniCensorSpanKind:
 * @OMNI_CENSOR_SPAN_FLAGGED: a flagged segment (or a window whose analysis
 *   failed: fail closed)
 * @OMNI_CENSOR_SPAN_REVIEW: a window in the review band
 * @OMNI_CENSOR_SPAN_WORD: a flagged spoken word, to be bleeped
 */
typedef enum {
  OMNI_CENSOR_SPAN_FLAGGED,
  OMNI_CENSOR_SPAN_REVIEW,
  OMNI_CENSOR_SPAN_WORD,
} OmniCensorSpanKind;

/**
 * OmniCensorTarget:
 * @OMNI_CENSOR_TARGET_VIDEO: the span censors video
 * @OMNI_CENSOR_TARGET_AUDIO: the span censors audio
 */
typedef enum {
  OMNI_CENSOR_TARGET_VIDEO = (1 << 0),
  OMNI_CENSOR_TARGET_AUDIO = (1 << 1),
} OmniCensorTarget;

/* One span of running time [start, end); end is GST_CLOCK_TIME_NONE while
 * a segment is still open. */
typedef struct {
  OmniCensorSpanKind kind;
  OmniCensorTarget targets;
  guint segment_id; /* omnifusion's segment id, 0 for other spans */
  GstClockTime start, end;
} OmniCensorSpan;

typedef struct _OmniCensorSpans OmniCensorSpans;

OmniCensorSpans *omni_censor_spans_new (void);
void omni_censor_spans_free (OmniCensorSpans *spans);
void omni_censor_spans_clear (OmniCensorSpans *spans);

gboolean omni_censor_spans_add_json (OmniCensorSpans *spans, const gchar *text,
    gsize len, GstClockTime *earliest_new, GError **error);
void omni_censor_spans_add_fusion_meta (OmniCensorSpans *spans,
    const OmniFusionMeta *meta, GstClockTime *earliest_new);

GstClockTime omni_censor_spans_get_watermark (OmniCensorSpans *spans);
void omni_censor_spans_set_watermark (
    OmniCensorSpans *spans, GstClockTime running_time);

guint omni_censor_spans_overlapping (OmniCensorSpans *spans,
    OmniCensorTarget target, GstClockTime start, GstClockTime end, GArray *out);
gboolean omni_censor_spans_any (OmniCensorSpans *spans, OmniCensorSpanKind kind,
    OmniCensorTarget target, GstClockTime start, GstClockTime end);
void omni_censor_spans_forget_before (
    OmniCensorSpans *spans, GstClockTime running_time);

G_END_DECLS

#endif /* __OMNI_CENSOR_SPANS_H__ */
