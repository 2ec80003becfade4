/* gst-omni: omnivisionenc's results on boxes (ROI params)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_VISION_ROI_H__
#define __OMNI_VISION_ROI_H__

#include <gst/gst.h>

#include "omniinferenceinput.h"

G_BEGIN_DECLS

/* The 17 COCO keypoint names, in MoveNet's order. */
extern const gchar *const omni_vision_coco_keypoints[17];

GstStructure *omni_vision_roi_classification (const gchar *model,
    const gchar *const *labels, const gfloat *scores, guint n);

gdouble omni_vision_faceres_age (const gfloat *age_softmax, guint n);

GstStructure *omni_vision_roi_faceres (
    const gchar *model, const gfloat *age_softmax, guint n, gfloat male);

void omni_vision_movenet_decode (const gfloat *heat, const gfloat *center,
    const gfloat *regress, const gfloat *offset, guint h, guint w, guint k,
    gdouble *y, gdouble *x, gdouble *score);

GstStructure *omni_vision_roi_keypoints (const gchar *model,
    const gchar *const *names, const gdouble *y, const gdouble *x,
    const gdouble *score, guint k, const OmniInferencePlacement *pl,
    guint frame_w, guint frame_h);

G_END_DECLS

#endif /* __OMNI_VISION_ROI_H__ */
