/* gst-omni: detection boxes and non-maximum suppression
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_DETECT_NMS_H__
#define __OMNI_DETECT_NMS_H__

#include <omni/omni-prelude.h>

G_BEGIN_DECLS

/**
 * OMNI_DETECT_MAX_KEYPOINTS:
 *
 * The most keypoints a detection box carries (BlazeFace's 6).
 */
#define OMNI_DETECT_MAX_KEYPOINTS 6

/**
 * OmniDetectBox:
 * @x1: left edge, normalised to the model input (0..1; a decoder may
 *   produce values outside before clamping)
 * @y1: top edge, normalised
 * @x2: right edge, normalised
 * @y2: bottom edge, normalised
 * @score: confidence 0..1
 * @label: class index into the model's labels
 * @n_keypoints: number of valid @keypoints
 * @keypoints: (x, y) pairs, normalised like the box
 *
 * One decoded detection, the common currency of the decoders, the NMS and
 * the tracker.
 */
typedef struct {
  gfloat x1, y1, x2, y2;
  gfloat score;
  guint label;
  guint n_keypoints;
  gfloat keypoints[OMNI_DETECT_MAX_KEYPOINTS][2];
} OmniDetectBox;

/**
 * omni_detect_box_iou:
 * @a: a box
 * @b: another box
 *
 * Intersection over union, computed in double precision from the float
 * edges as TensorFlow.js's non-max suppression does (edges in either order;
 * a box of zero or negative area overlaps nothing).
 *
 * Returns: IoU in 0..1
 */
OMNI_API gdouble omni_detect_box_iou (
    const OmniDetectBox *a, const OmniDetectBox *b);

/**
 * omni_detect_nms:
 * @boxes: (inout) (array length=n_boxes): candidate boxes; on return the
 *   survivors are its first elements, by decreasing score
 * @n_boxes: number of candidates
 * @iou_threshold: a candidate is suppressed by a kept box when their IoU is
 *   >= this
 * @score_threshold: only candidates with score > this are considered
 * @max_detections: keep at most this many (0: none)
 * @class_aware: when %TRUE, a box is suppressed only by kept boxes of its
 *   own label (per-class NMS); when %FALSE by any kept box
 *
 * Greedy non-maximum suppression (Neubeck and Van Gool, "Efficient
 * Non-Maximum Suppression", ICPR 2006; the form of TensorFlow's
 * `tf.image.non_max_suppression`): candidates are visited by decreasing
 * score (equal scores: lower index first) and kept unless one of the boxes
 * kept so far overlaps them by @iou_threshold or more.
 *
 * Returns: the number of survivors
 */
OMNI_API guint omni_detect_nms (OmniDetectBox *boxes, guint n_boxes,
    gdouble iou_threshold, gdouble score_threshold, guint max_detections,
    gboolean class_aware);

G_END_DECLS

#endif /* __OMNI_DETECT_NMS_H__ */
