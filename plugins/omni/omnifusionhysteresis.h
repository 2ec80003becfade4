/* gst-omni: omnifusion's hysteresis (risk per observation -> verdict
 * state and segments).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_FUSION_HYSTERESIS_H__
#define __OMNI_FUSION_HYSTERESIS_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* One scored observation: a classified (sampled) video frame, or a
 * window without one that has audio or text evidence. */
typedef struct {
  GstClockTime time;        /* running time */
  GstClockTime stream_time; /* stream time, or GST_CLOCK_TIME_NONE */
  gdouble risk;
  const gchar *label;  /* interned; NULL when risk is 0 */
  const gchar *source; /* "video", "audio" or "text" (static) */
} OmniFusionObservation;

typedef struct {
  guint id;
  gchar *label;            /* label of the strongest triggering observation */
  gchar *peak_label;       /* label at the peak */
  GstClockTime start, end; /* running time; end NONE while open */
  GstClockTime stream_start, stream_end;
  gdouble peak, sum;
  guint n;
  GArray *trigger; /* OmniFusionObservation: the N that opened it */
  gint64 wall_opened, wall_closed; /* g_get_real_time(), µs */
  const gchar *close_reason;       /* static string */
} OmniFusionSegment;

void omni_fusion_segment_free (OmniFusionSegment *segment);
OmniFusionSegment *omni_fusion_segment_copy (const OmniFusionSegment *segment);

typedef struct _OmniFusionHysteresis OmniFusionHysteresis;

/* Called for each segment that opens or closes. The segment passed for
 * a close is owned by the callee afterwards; an opened one stays owned by
 * the hysteresis (copy it to keep it). */
typedef void (*OmniFusionSegmentFunc) (
    gboolean opened, OmniFusionSegment *segment, gpointer user_data);

OmniFusionHysteresis *omni_fusion_hysteresis_new (gdouble enter_threshold,
    gdouble exit_threshold, guint enter_frames, guint exit_frames);
void omni_fusion_hysteresis_free (OmniFusionHysteresis *h);
void omni_fusion_hysteresis_push (OmniFusionHysteresis *h,
    const OmniFusionObservation *obs, OmniFusionSegmentFunc func,
    gpointer user_data);
void omni_fusion_hysteresis_close (OmniFusionHysteresis *h, GstClockTime end,
    GstClockTime stream_end, const gchar *reason, OmniFusionSegmentFunc func,
    gpointer user_data);
void omni_fusion_hysteresis_reset (OmniFusionHysteresis *h);
gboolean omni_fusion_hysteresis_is_flagged (const OmniFusionHysteresis *h);
const OmniFusionSegment *omni_fusion_hysteresis_get_segment (
    const OmniFusionHysteresis *h);
guint omni_fusion_hysteresis_get_above (const OmniFusionHysteresis *h);

G_END_DECLS

#endif /* __OMNI_FUSION_HYSTERESIS_H__ */
