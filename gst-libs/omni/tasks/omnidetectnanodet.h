/* gst-omni: NanoDet decoding (GFL score maps and distance distributions)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_DETECT_NANODET_H__
#define __OMNI_DETECT_NANODET_H__

#include <omni/tasks/omnidetectnms.h>

G_BEGIN_DECLS

/**
 * OmniDetectNanoDetLevel:
 * @stride: the level's stride in input pixels (8, 16, 32)
 * @grid_w: cells per row (input width / @stride, rounded up)
 * @grid_h: rows
 * @scores: (array): class scores after the sigmoid, [@grid_h × @grid_w,
 *   n_classes], cells row-major
 * @distributions: (array): edge-distance logits, [@grid_h × @grid_w, 4,
 *   reg_max + 1]: for the left, top, right and bottom edge in turn, reg_max
 *   + 1 bins
 *
 * One feature level (stride) of a NanoDet head.
 */
typedef struct {
  guint stride, grid_w, grid_h;
  const gfloat *scores;
  const gfloat *distributions;
} OmniDetectNanoDetLevel;

/**
 * omni_detect_nanodet_distance:
 * @logits: (array length=n_bins): one edge's bin logits
 * @n_bins: reg_max + 1
 *
 * The Generalized Focal Loss expectation (Li et al., "Generalized Focal
 * Loss: Learning Qualified and Distributed Bounding Boxes for Dense Object
 * Detection", NeurIPS 2020): Σ i · softmax (@logits)_i, in units of the
 * stride.
 *
 * Returns: the expected distance, 0..@n_bins − 1
 */
OMNI_API gfloat omni_detect_nanodet_distance (
    const gfloat *logits, guint n_bins);

/**
 * omni_detect_nanodet_decode:
 * @levels: (array length=n_levels): the head's levels
 * @n_levels: their number
 * @n_classes: classes per cell (80)
 * @reg_max: the distributions' last bin (7: 8 bins)
 * @input_w: model input width in pixels (416)
 * @input_h: model input height in pixels
 * @threshold: keep (cell, class) pairs with a score > this
 * @out: (out caller-allocates) (array): room for @max_out boxes
 * @max_out: the most boxes to write
 *
 * Decodes NanoDet (RangiLyu/nanodet, the GFL head) as its post-processing
 * does: for each cell of each level and each class scoring > @threshold, a
 * box around the cell centre ((x + 0.5) · stride, (y + 0.5) · stride) — the
 * centre `@vladmandic/human`'s src/object/nanodet.ts uses — whose edges lie
 * at the expected distances (omni_detect_nanodet_distance() × stride) to the
 * left, top, right and bottom, normalised by the input size and clamped to
 * 0..1. (Human's own reading takes the arg-max bin, scaled by 2.5/32 of the
 * input per bin, instead of the expectation: a cheaper approximation of the
 * same box.) Boxes come out level by level, cell by cell, class by class;
 * NMS is left to the caller.
 *
 * Returns: the number of boxes written
 */
OMNI_API guint omni_detect_nanodet_decode (const OmniDetectNanoDetLevel *levels,
    guint n_levels, guint n_classes, guint reg_max, guint input_w,
    guint input_h, gdouble threshold, OmniDetectBox *out, guint max_out);

G_END_DECLS

#endif /* __OMNI_DETECT_NANODET_H__ */
