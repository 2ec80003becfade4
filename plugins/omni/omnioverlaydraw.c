/* gst-omni: what omnioverlay draws for a ROI and for a verdict
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A ROI (GstVideoRegionOfInterestMeta, gst-omni's conventions) becomes:
 * its border in the colour of its label; a label block above it (inside
 * it when there is no room above) with "label score #track", one line per
 * `classification` structure ("happy 0.80", faceres's "male 0.91, 42 y")
 * and the text of an `omniocr` line; the points of each `keypoints`
 * structure, joined by the COCO skeleton where the point names are COCO's.
 * The verdict block sits at the bottom left: the caption, then the state,
 * label and risk in the colour of the state.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "omnioverlaydraw.h"

/* Twelve colours far apart in hue and lightness (Glasbey-like). */
static const guint8 palette[][3] = {
  { 255, 56, 56 },
  { 72, 249, 10 },
  { 0, 194, 255 },
  { 255, 178, 29 },
  { 207, 210, 49 },
  { 146, 204, 23 },
  { 61, 219, 134 },
  { 26, 147, 52 },
  { 0, 212, 187 },
  { 52, 69, 147 },
  { 100, 115, 255 },
  { 203, 56, 255 },
};

/* COCO's 17-point skeleton as pairs of point names (as MoveNet and the
 * COCO keypoint annotations name them). */
static const gchar *const skeleton[][2] = {
  { "left_ankle", "left_knee" },
  { "left_knee", "left_hip" },
  { "right_ankle", "right_knee" },
  { "right_knee", "right_hip" },
  { "left_hip", "right_hip" },
  { "left_shoulder", "left_hip" },
  { "right_shoulder", "right_hip" },
  { "left_shoulder", "right_shoulder" },
  { "left_shoulder", "left_elbow" },
  { "right_shoulder", "right_elbow" },
  { "left_elbow", "left_wrist" },
  { "right_elbow", "right_wrist" },
  { "left_eye", "right_eye" },
  { "nose", "left_eye" },
  { "nose", "right_eye" },
  { "left_eye", "left_ear" },
  { "right_eye", "right_ear" },
  { "left_ear", "left_shoulder" },
  { "right_ear", "right_shoulder" },
};

/* The colour of a label: by its model index when known, else by name. */
void
omni_overlay_label_color (
    const gchar *label, gint label_id, guint8 *r, guint8 *g, guint8 *b)
{
  guint i = label_id >= 0 ? (guint) label_id : (label ? g_str_hash (label) : 0);

  i %= G_N_ELEMENTS (palette);
  *r = palette[i][0];
  *g = palette[i][1];
  *b = palette[i][2];
}

/* Black or white, whichever reads better on r, g, b. */
static void
contrast_color (
    const OmniPainter *p, guint8 r, guint8 g, guint8 b, OmniPaintColor *c)
{
  guint8 v = (0.299 * r + 0.587 * g + 0.114 * b) > 140 ? 0 : 255;

  omni_painter_color (p, v, v, v, c);
}

/* Lines of text stacked in a block with a solid background at (x, y),
 * shifted to stay inside the frame horizontally; @above: the block's
 * bottom edge is at y instead. */
static void
draw_text_block (const OmniPainter *p, OmniTextRenderer *text,
    GstVideoFrame *frame, GPtrArray *lines, gint x, gint y, gboolean above,
    const OmniPaintColor *bg, const OmniPaintColor *fg)
{
  gint fw = GST_VIDEO_INFO_WIDTH (&p->info), bw = 0, bh = 0, pad = 2;
  guint i;

  for (i = 0; i < lines->len; i++) {
    const OmniTextMask *m = omni_text_renderer_render (text, lines->pdata[i]);

    bw = MAX (bw, m->width + 2 * pad);
    bh += m->height;
  }
  if (!lines->len)
    return;
  if (above)
    y -= bh;
  x = MAX (MIN (x, fw - bw), 0);
  p->fill (p, frame, x, y, bw, bh, bg);
  for (i = 0; i < lines->len; i++) {
    const OmniTextMask *m = omni_text_renderer_render (text, lines->pdata[i]);

    p->blend (
        p, frame, x + pad, y, m->data, m->width, m->height, m->stride, fg);
    y += m->height;
  }
}

/* One line per `classification` structure. */
static gchar *
classification_line (const GstStructure *s, gboolean scores)
{
  const gchar *label = gst_structure_get_string (s, "label");
  const gchar *gender = gst_structure_get_string (s, "gender");
  GString *str = g_string_new (NULL);
  gdouble conf, age;

  if (gender) {
    g_string_append (str, gender);
    if (scores && gst_structure_get_double (s, "gender-confidence", &conf))
      g_string_append_printf (str, " %.2f", conf);
  } else if (label) {
    g_string_append (str, label);
    if (scores && gst_structure_get_double (s, "confidence", &conf))
      g_string_append_printf (str, " %.2f", conf);
  }
  if (gst_structure_get_double (s, "age-years", &age))
    g_string_append_printf (str, "%s%.0f y", str->len ? ", " : "", age);
  return g_string_free (str, str->len == 0);
}

/* The label block's lines for @roi. */
static GPtrArray *
roi_lines (const GstVideoRegionOfInterestMeta *roi, const GstStructure *det,
    const OmniOverlaySettings *s)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const gchar *label = g_quark_to_string (roi->roi_type);
  GString *first
      = g_string_new (label && g_utf8_validate (label, -1, NULL) ? label : "?");
  gdouble conf;
  guint track = 0;
  GList *l;

  if (!det) /* omniocr's lines carry their confidence in their own params */
    det = gst_video_region_of_interest_meta_get_param (
        (GstVideoRegionOfInterestMeta *) roi, "omniocr");
  if (det && s->scores && gst_structure_get_double (det, "confidence", &conf))
    g_string_append_printf (first, " %.2f", conf);
  if (det && s->track_ids && gst_structure_get_uint (det, "track-id", &track)
      && track > 0)
    g_string_append_printf (first, " #%u", track);
  g_ptr_array_add (lines, g_string_free (first, FALSE));
  for (l = roi->params; l; l = l->next) {
    const GstStructure *p = l->data;
    gchar *line = NULL;

    if (gst_structure_has_name (p, "classification"))
      line = classification_line (p, s->scores);
    else if (gst_structure_has_name (p, "omniocr")
             && gst_structure_get_string (p, "text"))
      line = g_strdup (gst_structure_get_string (p, "text"));
    if (line && g_utf8_validate (line, -1, NULL))
      g_ptr_array_add (lines, line);
    else
      g_free (line);
  }
  return lines;
}

static gdouble
array_double (const GValue *array, guint i)
{
  const GValue *v = gst_value_array_get_value (array, i);

  return G_VALUE_HOLDS_DOUBLE (v) ? g_value_get_double (v) : NAN;
}

/* Point @i in pixels; FALSE when its score is under the threshold or its
 * coordinates are not finite. Coordinates are clamped to a frame's width
 * around the frame, so that absurd values cannot make endless lines. */
static gboolean
point_xy (const GstStructure *kp, guint i, const OmniPainter *p,
    gdouble threshold, gint *x, gint *y)
{
  gdouble nx = array_double (gst_structure_get_value (kp, "x"), i);
  gdouble ny = array_double (gst_structure_get_value (kp, "y"), i);
  gdouble sc = array_double (gst_structure_get_value (kp, "score"), i);

  if (!isfinite (nx) || !isfinite (ny) || !(sc >= threshold))
    return FALSE;
  *x = (gint) (CLAMP (nx, -1.0, 2.0) * GST_VIDEO_INFO_WIDTH (&p->info));
  *y = (gint) (CLAMP (ny, -1.0, 2.0) * GST_VIDEO_INFO_HEIGHT (&p->info));
  return TRUE;
}

static gint
point_index (const GValue *names, const gchar *name)
{
  guint i;

  for (i = 0; i < gst_value_array_get_size (names); i++) {
    const GValue *v = gst_value_array_get_value (names, i);

    if (G_VALUE_HOLDS_STRING (v) && !g_strcmp0 (g_value_get_string (v), name))
      return (gint) i;
  }
  return -1;
}

/* The points of a `keypoints` structure (x, y normalised to the frame)
 * with a score over the threshold, and the skeleton between them. */
static void
draw_keypoints (const OmniPainter *p, GstVideoFrame *frame,
    const GstStructure *kp, const OmniPaintColor *c,
    const OmniOverlaySettings *s)
{
  const gchar *fields[] = { "x", "y", "score" };
  const GValue *names = gst_structure_get_value (kp, "names");
  gint r = s->line_width + 1, ax, ay, bx, by;
  guint n, i;

  if (!names || !GST_VALUE_HOLDS_ARRAY (names))
    return;
  n = gst_value_array_get_size (names);
  for (i = 0; i < G_N_ELEMENTS (fields); i++) {
    const GValue *v = gst_structure_get_value (kp, fields[i]);

    if (!v || !GST_VALUE_HOLDS_ARRAY (v) || gst_value_array_get_size (v) != n)
      return;
  }
  for (i = 0; i < G_N_ELEMENTS (skeleton); i++) {
    gint a = point_index (names, skeleton[i][0]);
    gint b = point_index (names, skeleton[i][1]);

    if (a >= 0 && b >= 0 && point_xy (kp, a, p, s->keypoint_threshold, &ax, &ay)
        && point_xy (kp, b, p, s->keypoint_threshold, &bx, &by))
      omni_painter_line (p, frame, ax, ay, bx, by, s->line_width, c);
  }
  for (i = 0; i < n; i++) {
    if (point_xy (kp, i, p, s->keypoint_threshold, &ax, &ay))
      p->fill (p, frame, ax - r, ay - r, 2 * r + 1, 2 * r + 1, c);
  }
}

void
omni_overlay_draw_roi (const OmniPainter *p, OmniTextRenderer *text,
    GstVideoFrame *frame, const GstVideoRegionOfInterestMeta *roi,
    const OmniOverlaySettings *s)
{
  const GstStructure *det = gst_video_region_of_interest_meta_get_param (
      (GstVideoRegionOfInterestMeta *) roi, "detection");
  guint label_id = 0;
  guint8 r, g, b;
  OmniPaintColor c, fg;
  GList *l;

  if (!det || !gst_structure_get_uint (det, "label-id", &label_id))
    omni_overlay_label_color (
        g_quark_to_string (roi->roi_type), -1, &r, &g, &b);
  else
    omni_overlay_label_color (NULL, (gint) label_id, &r, &g, &b);
  omni_painter_color (p, r, g, b, &c);
  if (s->boxes)
    omni_painter_frame_rect (p, frame, roi->x, roi->y,
        (gint) MIN (roi->w, (guint) G_MAXINT / 2),
        (gint) MIN (roi->h, (guint) G_MAXINT / 2), s->line_width, &c);
  if (s->keypoints) {
    for (l = roi->params; l; l = l->next) {
      if (gst_structure_has_name (l->data, "keypoints"))
        draw_keypoints (p, frame, l->data, &c, s);
    }
  }
  if (s->labels) {
    GPtrArray *lines = roi_lines (roi, det, s);
    const OmniTextMask *m = omni_text_renderer_render (text, lines->pdata[0]);
    /* above the box when the block fits there, else inside its top */
    gboolean above = (gint) roi->y - (gint) (m->height * lines->len) >= 0;

    contrast_color (p, r, g, b, &fg);
    draw_text_block (p, text, frame, lines, roi->x,
        above ? (gint) roi->y : (gint) roi->y + (s->boxes ? s->line_width : 0),
        above, &c, &fg);
    g_ptr_array_unref (lines);
  }
}

void
omni_overlay_verdict_set (OmniOverlayVerdict *v, const OmniFusionMeta *meta)
{
  omni_overlay_verdict_clear (v);
  v->valid = TRUE;
  v->caption = g_strdup (meta->caption);
  v->state = meta->state;
  v->label = g_strdup (meta->label);
  v->risk = meta->risk;
}

void
omni_overlay_verdict_clear (OmniOverlayVerdict *v)
{
  g_clear_pointer (&v->caption, g_free);
  g_clear_pointer (&v->label, g_free);
  v->valid = FALSE;
}

static void
state_color (OmniVerdictState state, guint8 rgb[3])
{
  static const guint8 colors[][3] = {
    { 40, 200, 80 },   /* ok */
    { 255, 190, 0 },   /* review */
    { 230, 30, 30 },   /* flagged */
    { 150, 150, 150 }, /* error */
  };

  memcpy (rgb, colors[CLAMP ((gint) state, 0, 3)], 3);
}

/* The caption and "STATE label risk" at the bottom left. */
void
omni_overlay_draw_verdict (const OmniPainter *p, OmniTextRenderer *text,
    GstVideoFrame *frame, const OmniOverlayVerdict *v, gint margin)
{
  GEnumClass *klass;
  GEnumValue *ev;
  GPtrArray *lines;
  gchar *verdict;
  OmniPaintColor bg, fg;
  guint8 rgb[3];
  gint h = GST_VIDEO_INFO_HEIGHT (&p->info), cap = 0;
  const OmniTextMask *m;

  if (!v->valid)
    return;
  klass = g_type_class_ref (OMNI_TYPE_VERDICT_STATE);
  ev = g_enum_get_value (klass, v->state);
  verdict = g_ascii_strup (ev ? ev->value_nick : "?", -1);
  g_type_class_unref (klass);
  lines = g_ptr_array_new_with_free_func (g_free);
  if (v->caption && *v->caption && g_utf8_validate (v->caption, -1, NULL)) {
    g_ptr_array_add (lines, g_strdup (v->caption));
    cap = omni_text_renderer_render (text, v->caption)->height;
  }
  omni_painter_color (p, 0, 0, 0, &bg);
  omni_painter_color (p, 255, 255, 255, &fg);
  draw_text_block (p, text, frame, lines, margin, h - margin, TRUE, &bg, &fg);
  g_ptr_array_set_size (lines, 0);
  g_ptr_array_add (lines,
      g_strdup_printf ("%s%s%s risk %.2f", verdict, v->label ? " " : "",
          v->label && g_utf8_validate (v->label, -1, NULL) ? v->label : "",
          v->risk));
  state_color (v->state, rgb);
  omni_painter_color (p, rgb[0], rgb[1], rgb[2], &bg);
  contrast_color (p, rgb[0], rgb[1], rgb[2], &fg);
  m = omni_text_renderer_render (text, lines->pdata[0]);
  draw_text_block (p, text, frame, lines, margin, h - margin - cap - m->height,
      FALSE, &bg, &fg);
  g_ptr_array_unref (lines);
  g_free (verdict);
}
