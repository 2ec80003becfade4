/* gst-omni: omnivisionenc's results on boxes (ROI params)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The params structures of docs/metas.md's ROI conventions: "classification"
 * (any classifier; faceres' age and gender), "keypoints" (MoveNet).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnivisionroi.h"

#include <math.h>

const gchar *const omni_vision_coco_keypoints[17] = { "nose", "left_eye",
  "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
  "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip",
  "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle" };

static void
append_string (GValue *array, const gchar *s)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, s);
  gst_value_array_append_and_take_value (array, &v);
}

static void
append_double (GValue *array, gdouble d)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_DOUBLE);
  g_value_set_double (&v, d);
  gst_value_array_append_and_take_value (array, &v);
}

/* "classification": model, label (top class), confidence, labels, scores
 * (every class, in the model's order). */
GstStructure *
omni_vision_roi_classification (const gchar *model, const gchar *const *labels,
    const gfloat *scores, guint n)
{
  GValue l = G_VALUE_INIT, v = G_VALUE_INIT;
  GstStructure *s;
  guint i, top = 0;

  g_value_init (&l, GST_TYPE_ARRAY);
  g_value_init (&v, GST_TYPE_ARRAY);
  for (i = 0; i < n; i++) {
    if (scores[i] > scores[top])
      top = i;
    append_string (&l, labels[i]);
    append_double (&v, scores[i]);
  }
  s = gst_structure_new ("classification", "model", G_TYPE_STRING, model,
      "label", G_TYPE_STRING, labels[top], "confidence", G_TYPE_DOUBLE,
      (gdouble) scores[top], NULL);
  gst_structure_take_value (s, "labels", &l);
  gst_structure_take_value (s, "scores", &v);
  return s;
}

/* Apparent age as the expectation of the age distribution (Rothe, Timofte,
 * Van Gool, "DEX: Deep EXpectation of apparent age from a single image",
 * ICCV Workshops 2015): bin i of the softmax is i years. */
gdouble
omni_vision_faceres_age (const gfloat *p, guint n)
{
  gdouble sum = 0, age = 0;
  guint i;

  for (i = 0; i < n; i++) {
    sum += p[i];
    age += (gdouble) i * p[i];
  }
  return sum > 0 ? age / sum : NAN;
}

/* faceres (HSE-FaceRes, Savchenko 2019, as @vladmandic/human uses it): the
 * gender sigmoid is the score of "male" (human: gender[0] <= 0.5 is
 * female); classification over {female, male} plus age-years, gender and
 * gender-confidence (the probability of the gender given). */
GstStructure *
omni_vision_roi_faceres (
    const gchar *model, const gfloat *age_softmax, guint n, gfloat male)
{
  static const gchar *const genders[] = { "female", "male" };
  const gfloat scores[2] = { 1.0f - male, male };
  GstStructure *s = omni_vision_roi_classification (model, genders, scores, 2);
  const gboolean is_male = male > 0.5f;

  gst_structure_set (s, "age-years", G_TYPE_DOUBLE,
      omni_vision_faceres_age (age_softmax, n), "gender", G_TYPE_STRING,
      genders[is_male], "gender-confidence", G_TYPE_DOUBLE,
      (gdouble) (is_male ? male : 1.0f - male), NULL);
  return s;
}

/* Index of the first maximum of v[i] / (|(i / w, i % w) - (cy, cx)| + 1.8)
 * over an h x w map read with stride @step, as MoveNet's in-graph tail
 * (RealDiv, then ArgMax: the first of equal maxima). */
static guint
weighted_argmax (
    const gfloat *v, guint step, guint h, guint w, gdouble cy, gdouble cx)
{
  gdouble best = -INFINITY;
  guint i, arg = 0;

  for (i = 0; i < h * w; i++) {
    gdouble dy = (gdouble) (i / w) - cy, dx = (gdouble) (i % w) - cx;
    gdouble s = v[(gsize) i * step] / (sqrt (dy * dy + dx * dx) + 1.8);

    if (s > best) {
      best = s;
      arg = i;
    }
  }
  return arg;
}

/**
 * omni_vision_movenet_decode:
 * @heat: keypoint heat map [h, w, k] (after its sigmoid)
 * @center: person centre heat map [h, w, 1] (after its sigmoid)
 * @regress: keypoint regression from the centre [h, w, 2k] (dy, dx in cells)
 * @offset: keypoint offsets within their cell [h, w, 2k] (dy, dx)
 *
 * MoveNet single-pose decoding, the in-graph tail of the TF.js model that
 * @vladmandic/human's movenet.ts runs (CenterNet-style, Zhou et al.,
 * "Objects as Points", 2019): the person centre is the peak of the centre
 * map weighted towards the image centre (1 / (distance + 1.8)); each
 * keypoint is regressed from it, then snapped to the peak of its heat map
 * weighted by 1 / (distance to the regressed point + 1.8), refined by the
 * offset there. @y, @x: normalised to the model input (cell + offset) / h;
 * @score: the heat map there.
 */
void
omni_vision_movenet_decode (const gfloat *heat, const gfloat *center,
    const gfloat *regress, const gfloat *offset, guint h, guint w, guint k,
    gdouble *y, gdouble *x, gdouble *score)
{
  guint c = weighted_argmax (center, 1, h, w, h / 2, w / 2);
  guint cy = c / w, cx = c % w, j;

  for (j = 0; j < k; j++) {
    const gfloat *r = regress + (gsize) c * 2 * k + 2 * j;
    guint p = weighted_argmax (heat + j, k, h, w, cy + r[0], cx + r[1]);
    const gfloat *o = offset + (gsize) p * 2 * k + 2 * j;

    y[j] = ((p / w) + o[0]) / h;
    x[j] = ((p % w) + o[1]) / w;
    score[j] = heat[(gsize) p * k + j];
  }
}

/* "keypoints": model, names, x, y (normalised to the frame), score. @y, @x
 * are normalised to the model input; @pl says where the box went in it. */
GstStructure *
omni_vision_roi_keypoints (const gchar *model, const gchar *const *names,
    const gdouble *y, const gdouble *x, const gdouble *score, guint k,
    const OmniInferencePlacement *pl, guint frame_w, guint frame_h)
{
  GValue n = G_VALUE_INIT, xs = G_VALUE_INIT, ys = G_VALUE_INIT,
         ss = G_VALUE_INIT;
  GstStructure *s
      = gst_structure_new ("keypoints", "model", G_TYPE_STRING, model, NULL);
  guint j;

  g_value_init (&n, GST_TYPE_ARRAY);
  g_value_init (&xs, GST_TYPE_ARRAY);
  g_value_init (&ys, GST_TYPE_ARRAY);
  g_value_init (&ss, GST_TYPE_ARRAY);
  for (j = 0; j < k; j++) {
    gdouble fx = pl->x + (x[j] * pl->input_w - pl->pad_x) / pl->scale_x;
    gdouble fy = pl->y + (y[j] * pl->input_h - pl->pad_y) / pl->scale_y;

    append_string (&n, names[j]);
    append_double (&xs, CLAMP (fx / frame_w, 0.0, 1.0));
    append_double (&ys, CLAMP (fy / frame_h, 0.0, 1.0));
    append_double (&ss, score[j]);
  }
  gst_structure_take_value (s, "names", &n);
  gst_structure_take_value (s, "x", &xs);
  gst_structure_take_value (s, "y", &ys);
  gst_structure_take_value (s, "score", &ss);
  return s;
}
