/* gst-omni: CenterNet decoding (heat-map peaks, top-K, box regression)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_DETECT_CENTERNET_H__
#define __OMNI_DETECT_CENTERNET_H__

#include <omni/tasks/omnidetectnms.h>

G_BEGIN_DECLS

/**
 * OmniDetectCenterNetParams:
 * @grid_w: heat-map width (128 for a 512 input)
 * @grid_h: heat-map height
 * @n_classes: number of classes (heat-map channels, 80 for COCO)
 * @input_w: model input width in pixels (512); the output stride is
 *   @input_w / @grid_w (4)
 * @input_h: model input height in pixels
 * @top_k: keep at most this many peaks, the highest (the graph's TopKV2
 *   k, 100)
 * @threshold: keep peaks with a score > this
 *
 * The shape of a CenterNet head and how many peaks to take.
 */
typedef struct {
  guint grid_w, grid_h, n_classes;
  guint input_w, input_h;
  guint top_k;
  gdouble threshold;
} OmniDetectCenterNetParams;

/**
 * omni_detect_centernet_decode:
 * @p: the head's shape and the selection
 * @heatmap: (array): class heat-maps after the sigmoid, NHWC
 *   [@grid_h, @grid_w, @n_classes] (`tower_0/keypoints`)
 * @wh: (array): box regression NHWC [@grid_h, @grid_w, 4] in input pixels:
 *   distances from the peak to the left, top, right and bottom edges
 *   (`tower_0/wh`)
 * @out: (out caller-allocates) (array): room for @p->top_k boxes
 *
 * Decodes objects as points (Zhou, Wang and Krähenbühl, "Objects as
 * Points", 2019) exactly as the decode tail of `@vladmandic/human`'s
 * CenterNet graph does (`tower_0/detections`, which human's
 * `src/object/centernet.ts` reads): a heat-map value is a peak when it
 * equals the maximum of its 3×3 neighbourhood (a 3×3 stride-1 SAME max
 * pool); the @p->top_k highest peaks over all classes and cells are taken
 * (equal scores: lower flat index (y, x, class) first), those with a score
 * > @p->threshold kept; the box of a peak at cell (x, y) is
 * (x·s − wh0, y·s − wh1, x·s + wh2, y·s + wh3) with s the output stride,
 * normalised by the input size. Boxes come out by decreasing score; NMS is
 * left to the caller (omni_detect_nms()).
 *
 * Returns: the number of boxes written
 */
OMNI_API guint omni_detect_centernet_decode (const OmniDetectCenterNetParams *p,
    const gfloat *heatmap, const gfloat *wh, OmniDetectBox *out);

G_END_DECLS

#endif /* __OMNI_DETECT_CENTERNET_H__ */
