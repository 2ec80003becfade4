/* gst-omni: omnidetect's boxes as ROI metas and the omnidetect message
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_DETECT_RESULT_H__
#define __OMNI_DETECT_RESULT_H__

#include <gst/gst.h>
#include <omni/tasks/omnidetectnms.h>

G_BEGIN_DECLS

/**
 * OmniDetectResult:
 * @model: the model's name ("centernet")
 * @labels: the model's labels (@n_labels)
 * @n_labels: their number
 * @keypoint_names: (nullable): names of the boxes' keypoints
 * @boxes: the frame's boxes after NMS, normalised to the frame
 * @track_ids: (nullable): their track ids (0: not tracked)
 * @n_boxes: their number
 * @width: frame width in pixels
 * @height: frame height in pixels
 * @pts: the frame's timestamp
 * @stream_time: its stream time
 * @running_time: its running time
 *
 * One inferred frame's detections.
 */
typedef struct {
  const gchar *model;
  gchar **labels;
  guint n_labels;
  const gchar *const *keypoint_names;
  const OmniDetectBox *boxes;
  const guint *track_ids;
  guint n_boxes;
  gint width, height;
  GstClockTime pts, stream_time, running_time;
} OmniDetectResult;

/* Maps boxes (and keypoints) normalised to the model input
 * (@input_w x @input_h) to the frame (@frame_w x @frame_h), normalised: the
 * frame's pixel u went to input coordinate @pad_x + u * @scale_x (stretch:
 * no pad, scale input / frame; letterbox: centred, one scale). */
void omni_detect_result_to_frame (OmniDetectBox *boxes, guint n_boxes,
    gdouble pad_x, gdouble pad_y, gdouble scale_x, gdouble scale_y,
    guint input_w, guint input_h, gint frame_w, gint frame_h);

/* Clamps the boxes to 0..1 and drops the empty ones; returns how many are
 * left. */
guint omni_detect_result_clamp (OmniDetectBox *boxes, guint n_boxes);

/* One GstVideoRegionOfInterestMeta per box ("detection" parameters, and
 * "keypoints" when the boxes have some). */
void omni_detect_result_attach (
    const OmniDetectResult *result, GstBuffer *buffer);

/* The `omnidetect` message body. */
GstStructure *omni_detect_result_to_structure (const OmniDetectResult *result);

G_END_DECLS

#endif /* __OMNI_DETECT_RESULT_H__ */
