/* gst-omni: BlazeFace decoding (anchors, box and keypoint regression)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_DETECT_BLAZEFACE_H__
#define __OMNI_DETECT_BLAZEFACE_H__

#include <omni/tasks/omnidetectnms.h>

G_BEGIN_DECLS

/**
 * OMNI_DETECT_BLAZEFACE_N_KEYPOINTS:
 *
 * BlazeFace's keypoints per face: right eye, left eye, nose tip, mouth
 * centre, right ear tragion, left ear tragion (from the subject's view).
 */
#define OMNI_DETECT_BLAZEFACE_N_KEYPOINTS 6

/**
 * omni_detect_blazeface_n_anchors:
 * @input_size: the square model input's side (256)
 *
 * Returns: the number of anchors omni_detect_blazeface_anchors() makes:
 *   16 × 16 cells × 2 + 8 × 8 cells × 6 = 896 (strides @input_size/16 and
 *   @input_size/8)
 */
OMNI_API guint omni_detect_blazeface_n_anchors (guint input_size);

/**
 * omni_detect_blazeface_anchors:
 * @input_size: the square model input's side
 * @anchors: (out caller-allocates) (array): room for
 *   omni_detect_blazeface_n_anchors() (x, y) pairs, in input pixels
 *
 * The anchor centres of the BlazeFace back-camera model (Bazarevsky et al.,
 * "BlazeFace: Sub-millisecond Neural Face Detection on Mobile GPUs", 2019)
 * as `@vladmandic/human`'s `generateAnchors()` (src/face/facemeshutil.ts)
 * makes them: strides @input_size/16 (2 anchors per cell) then
 * @input_size/8 (6 per cell), row-major, centre at (x + 0.5, y + 0.5) ×
 * stride.
 */
OMNI_API void omni_detect_blazeface_anchors (guint input_size, gfloat *anchors);

/**
 * omni_detect_blazeface_decode:
 * @logits: (array): one score logit per anchor, in anchor order
 * @regressors: (array): 16 values per anchor: box centre offset (x, y),
 *   box size (w, h), then 6 keypoint offsets (x, y), in input pixels
 *   relative to the anchor
 * @input_size: the square model input's side
 * @threshold: keep faces with sigmoid (logit) > this
 * @out: (out caller-allocates) (array): room for
 *   omni_detect_blazeface_n_anchors() boxes
 *
 * Decodes every anchor as human's `decodeBoxes()` and `getBoxes()` do
 * (src/face/blazeface.ts): centre = offset + anchor, box = centre ± size/2,
 * keypoints = offset + anchor, score = sigmoid (logit); all normalised by
 * @input_size, label 0 ("face"). Only the faces above @threshold are
 * written, in anchor order; NMS is left to the caller.
 *
 * Returns: the number of boxes written
 */
OMNI_API guint omni_detect_blazeface_decode (const gfloat *logits,
    const gfloat *regressors, guint input_size, gdouble threshold,
    OmniDetectBox *out);

G_END_DECLS

#endif /* __OMNI_DETECT_BLAZEFACE_H__ */
