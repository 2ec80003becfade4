/* gst-omni: keypoints entries of OmniResultsMeta
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * JSON members: "model" (string or null), "names" (strings), "x", "y",
 * "scores" (as many numbers; x and y normalised to the frame).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniresults-private.h"

static void
keypoints_clear (OmniResult *result)
{
  OmniResultKeypoints *k = (OmniResultKeypoints *) result;

  g_free (k->model);
  g_strfreev (k->names);
  g_free (k->x);
  g_free (k->y);
  g_free (k->scores);
}

static void
keypoints_set (OmniResultKeypoints *k, const gchar *model, guint n,
    const gchar *const *names, const gfloat *x, const gfloat *y,
    const gfloat *scores)
{
  k->model = g_strdup (model);
  k->n_points = n;
  k->names = omni_results_strv_dup (names, n);
  k->x = g_memdup2 (x, n * sizeof (gfloat));
  k->y = g_memdup2 (y, n * sizeof (gfloat));
  k->scores = g_memdup2 (scores, n * sizeof (gfloat));
}

static void
keypoints_copy (OmniResult *dest, const OmniResult *src)
{
  const OmniResultKeypoints *s = (const OmniResultKeypoints *) src;

  keypoints_set ((OmniResultKeypoints *) dest, s->model, s->n_points,
      (const gchar *const *) s->names, s->x, s->y, s->scores);
}

static gboolean
keypoints_equal (const OmniResult *a, const OmniResult *b)
{
  const OmniResultKeypoints *p = (const OmniResultKeypoints *) a;
  const OmniResultKeypoints *q = (const OmniResultKeypoints *) b;
  guint n = p->n_points;

  return g_strcmp0 (p->model, q->model) == 0 && n == q->n_points
         && omni_results_strv_equal (p->names, q->names, n)
         && omni_results_floats_equal (p->x, q->x, n)
         && omni_results_floats_equal (p->y, q->y, n)
         && omni_results_floats_equal (p->scores, q->scores, n);
}

static void
keypoints_to_json (const OmniResult *result, JsonObject *o)
{
  const OmniResultKeypoints *k = (const OmniResultKeypoints *) result;
  guint n = k->n_points;

  omni_json_set_nullable_string (o, "model", k->model);
  json_object_set_array_member (
      o, "names", omni_results_strv_to_json (k->names, n));
  json_object_set_array_member (o, "x", omni_results_floats_to_json (k->x, n));
  json_object_set_array_member (o, "y", omni_results_floats_to_json (k->y, n));
  json_object_set_array_member (
      o, "scores", omni_results_floats_to_json (k->scores, n));
}

static gboolean
keypoints_from_json (OmniResult *result, JsonObject *o, GError **error)
{
  OmniResultKeypoints *k = (OmniResultKeypoints *) result;
  const gchar *model;

  if (!omni_json_get_nullable_string (o, "model", &model, error)
      || !omni_results_strv_from_json (
          o, "names", &k->n_points, &k->names, error))
    return FALSE;
  k->model = g_strdup (model);
  return omni_results_floats_from_json (o, "x", k->n_points, &k->x, error)
         && omni_results_floats_from_json (o, "y", k->n_points, &k->y, error)
         && omni_results_floats_from_json (
             o, "scores", k->n_points, &k->scores, error);
}

const OmniResultsEntryClass omni_results_keypoints_class = {
  OMNI_RESULT_TYPE_KEYPOINTS,
  "keypoints",
  sizeof (OmniResultKeypoints),
  keypoints_clear,
  keypoints_copy,
  keypoints_equal,
  keypoints_to_json,
  keypoints_from_json,
};

/**
 * omni_results_meta_add_keypoints:
 * @meta: an #OmniResultsMeta
 * @model: (nullable): the model (e.g. "movenet-lightning")
 * @n_points: number of points
 * @names: (array length=n_points): point names
 * @x: (array length=n_points): horizontal positions, normalised to the frame
 * @y: (array length=n_points): vertical positions, normalised to the frame
 * @scores: (array length=n_points): per-point scores, 0..1
 *
 * Adds a keypoints entry holding copies of the arguments; its confidence
 * is the mean of the finite @scores (NaN if none is).
 *
 * Returns: its id, or %OMNI_RESULT_ID_INVALID on invalid arguments
 */
guint
omni_results_meta_add_keypoints (OmniResultsMeta *meta, const gchar *model,
    guint n_points, const gchar *const *names, const gfloat *x, const gfloat *y,
    const gfloat *scores)
{
  OmniResultKeypoints *k;
  gdouble sum = 0.0;
  guint i, n = 0;

  g_return_val_if_fail (meta != NULL, OMNI_RESULT_ID_INVALID);
  g_return_val_if_fail (
      n_points == 0 || (names && x && y && scores), OMNI_RESULT_ID_INVALID);
  for (i = 0; i < n_points; i++) {
    g_return_val_if_fail (names[i] != NULL, OMNI_RESULT_ID_INVALID);
    if (isfinite (scores[i])) {
      sum += scores[i];
      n++;
    }
  }

  k = (OmniResultKeypoints *) omni_results_meta_append (
      meta, OMNI_RESULT_TYPE_KEYPOINTS, n ? (gfloat) (sum / n) : (gfloat) NAN);
  keypoints_set (k, model, n_points, names, x, y, scores);
  return k->result.id;
}

/**
 * omni_results_meta_get_keypoints:
 * @meta: an #OmniResultsMeta
 * @id: an entry id
 *
 * Returns: (transfer none) (nullable): entry @id if it is a keypoints entry
 */
const OmniResultKeypoints *
omni_results_meta_get_keypoints (const OmniResultsMeta *meta, guint id)
{
  return (const OmniResultKeypoints *) omni_results_meta_get_typed (
      meta, id, OMNI_RESULT_TYPE_KEYPOINTS);
}
