/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_RESULTS_BOX_H__
#define __OMNI_RESULTS_BOX_H__

#include <omni/meta/omniresultsmeta.h>

G_BEGIN_DECLS

/**
 * OmniResultBox:
 * @result: the common part (type %OMNI_RESULT_TYPE_BOX)
 * @label: what the box holds ("person", "face", "text", ...)
 * @x: left edge, pixels of the buffer
 * @y: top edge, pixels
 * @w: width, pixels
 * @h: height, pixels
 * @track_id: the tracker's id of the object, 0 when not tracked
 * @roi_id: the id of the #GstVideoRegionOfInterestMeta it mirrors, -1 when
 *   none
 *
 * A box in pixels of the buffer the meta is on (scaled with the buffer by
 * videoscale and other scaling transforms).
 */
typedef struct {
  OmniResult result;

  gchar *label;
  gint x, y, w, h;
  guint track_id;
  gint roi_id;
} OmniResultBox;

OMNI_API guint omni_results_meta_add_box (OmniResultsMeta *meta,
    const gchar *label, gint x, gint y, gint w, gint h, gfloat confidence,
    guint track_id);
OMNI_API const OmniResultBox *omni_results_meta_get_box (
    const OmniResultsMeta *meta, guint id);
OMNI_API void omni_results_meta_set_box_roi_id (
    OmniResultsMeta *meta, guint id, gint roi_id);

G_END_DECLS

#endif /* __OMNI_RESULTS_BOX_H__ */
