/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_RESULTS_KEYPOINTS_H__
#define __OMNI_RESULTS_KEYPOINTS_H__

#include <omni/meta/omniresultsmeta.h>

G_BEGIN_DECLS

/**
 * OmniResultKeypoints:
 * @result: the common part (type %OMNI_RESULT_TYPE_KEYPOINTS); its
 *   confidence is the mean of @scores
 * @model: (nullable): the model (e.g. "movenet-lightning")
 * @n_points: number of points
 * @names: (array length=n_points): point names (COCO: "nose",
 *   "left_eye", ...)
 * @x: (array length=n_points): horizontal positions, normalised to the
 *   frame (0..1)
 * @y: (array length=n_points): vertical positions, normalised to the frame
 * @scores: (array length=n_points): per-point scores, 0..1
 *
 * Named points of one object (a pose), usually contained in its box.
 */
typedef struct {
  OmniResult result;

  gchar *model;
  guint n_points;
  gchar **names;
  gfloat *x;
  gfloat *y;
  gfloat *scores;
} OmniResultKeypoints;

OMNI_API guint omni_results_meta_add_keypoints (OmniResultsMeta *meta,
    const gchar *model, guint n_points, const gchar *const *names,
    const gfloat *x, const gfloat *y, const gfloat *scores);
OMNI_API const OmniResultKeypoints *omni_results_meta_get_keypoints (
    const OmniResultsMeta *meta, guint id);

G_END_DECLS

#endif /* __OMNI_RESULTS_KEYPOINTS_H__ */
