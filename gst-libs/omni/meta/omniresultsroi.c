/* gst-omni: OmniResultsMeta entries from GstVideoRegionOfInterestMeta
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/video/video.h>

#include "omniresults-private.h"

/* A GST_TYPE_ARRAY field of strings: a new NULL-terminated vector and its
 * length, or NULL if the field is missing or not such an array. */
static gchar **
get_strv (const GstStructure *s, const gchar *field, guint *n)
{
  const GValue *v = gst_structure_get_value (s, field);
  gchar **strv;
  guint i;

  if (!v || !GST_VALUE_HOLDS_ARRAY (v))
    return NULL;
  *n = gst_value_array_get_size (v);
  strv = g_new0 (gchar *, *n + 1);
  for (i = 0; i < *n; i++) {
    const GValue *e = gst_value_array_get_value (v, i);

    if (!G_VALUE_HOLDS_STRING (e) || !g_value_get_string (e)) {
      g_strfreev (strv);
      return NULL;
    }
    strv[i] = g_value_dup_string (e);
  }
  return strv;
}

/* A GST_TYPE_ARRAY field of exactly @n doubles, as floats. */
static gfloat *
get_floats (const GstStructure *s, const gchar *field, guint n)
{
  const GValue *v = gst_structure_get_value (s, field);
  gfloat *f;
  guint i;

  if (!v || !GST_VALUE_HOLDS_ARRAY (v) || gst_value_array_get_size (v) != n)
    return NULL;
  f = g_new0 (gfloat, n ? n : 1);
  for (i = 0; i < n; i++) {
    const GValue *e = gst_value_array_get_value (v, i);

    if (G_VALUE_HOLDS_DOUBLE (e))
      f[i] = (gfloat) g_value_get_double (e);
    else if (G_VALUE_HOLDS_FLOAT (e))
      f[i] = g_value_get_float (e);
    else {
      g_free (f);
      return NULL;
    }
  }
  return f;
}

static gfloat
get_confidence (const GstStructure *s, const gchar *field)
{
  gdouble d;

  return gst_structure_get_double (s, field, &d) ? (gfloat) d : (gfloat) NAN;
}

static void
contain (OmniResultsMeta *meta, guint box, guint id)
{
  if (id != OMNI_RESULT_ID_INVALID)
    omni_results_meta_relate (meta, box, id, OMNI_RELATION_CONTAINS);
}

/* A `classification` structure: the top class with every label and score,
 * and faceres's gender and age as classes of their own. */
static void
add_classification (OmniResultsMeta *meta, guint box, const GstStructure *s)
{
  const gchar *model = gst_structure_get_string (s, "model");
  const gchar *label = gst_structure_get_string (s, "label");
  const gchar *gender = gst_structure_get_string (s, "gender");
  gchar **labels;
  gfloat *scores = NULL;
  guint n = 0;
  gdouble age;

  labels = get_strv (s, "labels", &n);
  if (labels)
    scores = get_floats (s, "scores", n);
  if (!scores)
    n = 0;
  if (label)
    contain (meta, box,
        omni_results_meta_add_class (meta, model, label,
            get_confidence (s, "confidence"), n, (const gchar *const *) labels,
            scores));
  g_strfreev (labels);
  g_free (scores);
  if (gender)
    contain (meta, box,
        omni_results_meta_add_class (meta, model, gender,
            get_confidence (s, "gender-confidence"), 0, NULL, NULL));
  if (gst_structure_get_double (s, "age-years", &age))
    contain (meta, box,
        omni_results_meta_add_class_value (meta, model, "age", age, NAN));
}

static void
add_keypoints (OmniResultsMeta *meta, guint box, const GstStructure *s)
{
  guint n = 0;
  gchar **names = get_strv (s, "names", &n);
  gfloat *x = names ? get_floats (s, "x", n) : NULL;
  gfloat *y = names ? get_floats (s, "y", n) : NULL;
  gfloat *score = names ? get_floats (s, "score", n) : NULL;

  if (x && y && score)
    contain (meta, box,
        omni_results_meta_add_keypoints (meta,
            gst_structure_get_string (s, "model"), n,
            (const gchar *const *) names, x, y, score));
  g_strfreev (names);
  g_free (x);
  g_free (y);
  g_free (score);
}

static gboolean
has_box (OmniResultsMeta *meta, gint roi_id, const gchar *label)
{
  guint state = 0;
  const OmniResult *r;

  while ((r = omni_results_meta_iterate (meta, &state, OMNI_RESULT_TYPE_BOX))) {
    const OmniResultBox *b = (const OmniResultBox *) r;

    if (b->roi_id == roi_id && g_strcmp0 (b->label, label) == 0)
      return TRUE;
  }
  return FALSE;
}

static void
add_roi (OmniResultsMeta *meta, GstVideoRegionOfInterestMeta *roi)
{
  const gchar *label = g_quark_to_string (roi->roi_type);
  const GstStructure *det
      = gst_video_region_of_interest_meta_get_param (roi, "detection");
  const GstStructure *ocr
      = gst_video_region_of_interest_meta_get_param (roi, "omniocr");
  gfloat confidence = NAN;
  guint track = 0, box;
  GList *l;

  if (det) {
    confidence = get_confidence (det, "confidence");
    gst_structure_get_uint (det, "track-id", &track);
  } else if (ocr) {
    confidence = get_confidence (ocr, "confidence");
  }
  box = omni_results_meta_add_box (meta, label, (gint) roi->x, (gint) roi->y,
      (gint) MIN (roi->w, (guint) G_MAXINT),
      (gint) MIN (roi->h, (guint) G_MAXINT), confidence, track);
  omni_results_meta_set_box_roi_id (meta, box, roi->id);

  for (l = roi->params; l; l = l->next) {
    const GstStructure *s = l->data;

    if (gst_structure_has_name (s, "classification"))
      add_classification (meta, box, s);
    else if (gst_structure_has_name (s, "keypoints"))
      add_keypoints (meta, box, s);
    else if (gst_structure_has_name (s, "omniocr")
             && gst_structure_get_string (s, "text"))
      contain (meta, box,
          omni_results_meta_add_text (meta,
              gst_structure_get_string (s, "text"),
              get_confidence (s, "confidence")));
  }
}

/* "box is part of parent box" for the boxes added from @first on. */
static void
relate_parents (OmniResultsMeta *meta, guint first, GstBuffer *buffer)
{
  gpointer state = NULL;
  GstMeta *m;

  while ((m = gst_buffer_iterate_meta_filtered (
              buffer, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstVideoRegionOfInterestMeta *roi = (GstVideoRegionOfInterestMeta *) m;
    const gchar *label = g_quark_to_string (roi->roi_type);
    guint s = first, child = OMNI_RESULT_ID_INVALID, parent = G_MAXUINT;
    const OmniResult *r;

    /* 1.22 initialises both ids to 0: a ROI is not its own parent */
    if (roi->parent_id < 0 || roi->parent_id == roi->id)
      continue;
    while ((r = omni_results_meta_iterate (meta, &s, OMNI_RESULT_TYPE_BOX))) {
      const OmniResultBox *b = (const OmniResultBox *) r;

      if (b->roi_id == roi->id && g_strcmp0 (b->label, label) == 0)
        child = r->id;
    }
    s = 0;
    while ((r = omni_results_meta_iterate (meta, &s, OMNI_RESULT_TYPE_BOX))) {
      if (((const OmniResultBox *) r)->roi_id == roi->parent_id
          && r->id != child && parent == G_MAXUINT)
        parent = r->id;
    }
    if (child != OMNI_RESULT_ID_INVALID && parent != G_MAXUINT)
      omni_results_meta_relate (meta, child, parent, OMNI_RELATION_IS_PART_OF);
  }
}

/**
 * omni_results_meta_add_from_rois:
 * @buffer: a #GstBuffer, writable if it has no #OmniResultsMeta yet
 *
 * Mirrors the #GstVideoRegionOfInterestMeta of @buffer into its results
 * meta, following gst-omni's ROI conventions (docs/metas.md): one box
 * entry per ROI (label = roi_type, confidence and track id from the
 * `detection` parameters, or the confidence of `omniocr`'s; roi_id = the
 * ROI's id), and, each contained in its box (%OMNI_RELATION_CONTAINS):
 * a class entry per `classification` structure (top label, confidence,
 * labels and scores; faceres's `gender` with `gender-confidence` and
 * `age-years` as a class "age" with that value), a keypoints entry per
 * `keypoints` structure, a text entry per `omniocr` structure. A ROI whose
 * parent_id names another ROI gets %OMNI_RELATION_IS_PART_OF its box
 * (parent_id -1, or equal to the ROI's own id, means no parent: GStreamer
 * 1.22 initialises both to 0).
 *
 * ROIs already mirrored (a box with the same roi_id and label exists) are
 * skipped, so producers can each call this after attaching their ROIs.
 *
 * Returns: (transfer none) (nullable): the results meta of @buffer, or
 * %NULL if @buffer has neither ROIs nor a results meta
 */
OmniResultsMeta *
omni_results_meta_add_from_rois (GstBuffer *buffer)
{
  OmniResultsMeta *meta;
  gpointer state = NULL;
  GstMeta *m;
  guint first;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);

  meta = omni_buffer_get_results_meta (buffer);
  if (!meta
      && !gst_buffer_get_meta (
          buffer, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))
    return NULL;
  if (!meta)
    meta = omni_buffer_add_results_meta (buffer);
  first = omni_results_meta_get_n_results (meta);
  while ((m = gst_buffer_iterate_meta_filtered (
              buffer, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstVideoRegionOfInterestMeta *roi = (GstVideoRegionOfInterestMeta *) m;

    if (!has_box (meta, roi->id, g_quark_to_string (roi->roi_type)))
      add_roi (meta, roi);
  }
  relate_parents (meta, first, buffer);
  return meta;
}
