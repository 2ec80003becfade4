/* gst-omni: what omnioverlay draws for a ROI and for a verdict
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_OVERLAY_DRAW_H__
#define __OMNI_OVERLAY_DRAW_H__

#include <gst/video/video.h>
#include <omni/omni.h>

#include "omnioverlaypaint.h"
#include "omnioverlaytext.h"

G_BEGIN_DECLS

typedef struct {
  gboolean boxes, labels, scores, track_ids, keypoints, caption;
  gint line_width; /* pixels, resolved (never 0) */
  gdouble keypoint_threshold;
} OmniOverlaySettings;

/* The latest omnifusion result seen (caption and verdict). */
typedef struct {
  gboolean valid;
  gchar *caption;
  OmniVerdictState state;
  gchar *label;
  gdouble risk;
} OmniOverlayVerdict;

void omni_overlay_label_color (
    const gchar *label, gint label_id, guint8 *r, guint8 *g, guint8 *b);
void omni_overlay_draw_roi (const OmniPainter *p, OmniTextRenderer *text,
    GstVideoFrame *frame, const GstVideoRegionOfInterestMeta *roi,
    const OmniOverlaySettings *s);
void omni_overlay_draw_verdict (const OmniPainter *p, OmniTextRenderer *text,
    GstVideoFrame *frame, const OmniOverlayVerdict *v, gint margin);
void omni_overlay_verdict_set (
    OmniOverlayVerdict *v, const OmniFusionMeta *meta);
void omni_overlay_verdict_clear (OmniOverlayVerdict *v);

G_END_DECLS

#endif /* __OMNI_OVERLAY_DRAW_H__ */
