/* gst-omni: GstHarness tests for omnioverlay
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Frames of random bytes with ROI metas go through omnioverlay; every
 * sample of every component is then checked: those a box border touches
 * hold the colour of the box's label (palette entry 0, (255, 56, 56), for
 * label-id 0, converted with the stream's matrix and range), all others
 * are byte-equal to the input. On every supported format, at odd sizes,
 * 1x1, with boxes partly or wholly outside the frame.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <omni/omni.h>
#include <pango/pangocairo.h>

static const gchar *formats[]
    = { "I420", "YV12", "NV12", "NV21", "Y42B", "Y444", "RGBx", "BGRx", "xRGB",
        "xBGR", "RGBA", "BGRA", "ARGB", "ABGR", "RGB", "BGR", "GRAY8" };

typedef struct {
  gint x, y, w, h;
} Box;

static GstHarness *
make_harness (const gchar *launch, const gchar *format, gint w, gint h,
    GstVideoInfo *info)
{
  GstHarness *hx = gst_harness_new_parse (launch);
  GstCaps *caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING,
      format, "width", G_TYPE_INT, w, "height", G_TYPE_INT, h, "framerate",
      GST_TYPE_FRACTION, 30, 1, NULL);

  fail_unless (gst_video_info_from_caps (info, caps));
  gst_harness_set_src_caps (hx, caps);
  return hx;
}

/* A frame of random bytes (fixed seed). */
static GstBuffer *
random_frame (const GstVideoInfo *info, guint32 seed)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, info->size, NULL);
  GRand *rand = g_rand_new_with_seed (seed);
  GstMapInfo map;
  gsize i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < map.size; i++)
    map.data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  gst_buffer_unmap (buf, &map);
  g_rand_free (rand);
  GST_BUFFER_PTS (buf) = 0;
  GST_BUFFER_DURATION (buf) = GST_SECOND / 30;
  return buf;
}

static void
add_box (GstBuffer *buf, const Box *b, guint id)
{
  GstVideoRegionOfInterestMeta *roi
      = gst_buffer_add_video_region_of_interest_meta (
          buf, "person", b->x, b->y, b->w, b->h);

  roi->id = id;
  roi->parent_id = -1;
  gst_video_region_of_interest_meta_add_param (roi,
      gst_structure_new ("detection", "confidence", G_TYPE_DOUBLE, 0.5,
          "label-id", G_TYPE_UINT, 0, "track-id", G_TYPE_UINT, id + 1, NULL));
}

/* r, g, b as the format's components: the definitions of BT.601/709
 * Y'CbCr with the caps' matrix and range. */
static void
rgb_color (const GstVideoInfo *info, gint r, gint g, gint b, gint v[4])
{
  gdouble R = r / 255.0, G = g / 255.0, B = b / 255.0, kr, kb, Y;
  gint off[4], scale[4];

  v[3] = 255;
  if (GST_VIDEO_INFO_IS_RGB (info)) {
    v[0] = r, v[1] = g, v[2] = b;
    return;
  }
  fail_unless (
      gst_video_color_matrix_get_Kr_Kb (info->colorimetry.matrix, &kr, &kb));
  gst_video_color_range_offsets (
      info->colorimetry.range, info->finfo, off, scale);
  Y = kr * R + (1 - kr - kb) * G + kb * B;
  v[0] = (gint) (off[0] + Y * scale[0] + 0.5);
  v[1] = (gint) (off[1] + (B - Y) / (2 * (1 - kb)) * scale[1] + 0.5);
  v[2] = (gint) (off[2] + (R - Y) / (2 * (1 - kr)) * scale[2] + 0.5);
}

/* The box colour of label id 0: palette entry 0, (255, 56, 56). */
static void
expected_color (const GstVideoInfo *info, gint v[4])
{
  rgb_color (info, 255, 56, 56, v);
}

/* Is pixel (px, py) on the border (@lw wide, inside the box) of a box? */
static gboolean
on_border (gint px, gint py, const Box *boxes, guint n, gint lw)
{
  guint i;

  for (i = 0; i < n; i++) {
    const Box *b = &boxes[i];

    if (px < b->x || px >= b->x + b->w || py < b->y || py >= b->y + b->h)
      continue;
    if (px < b->x + lw || px >= b->x + b->w - lw || py < b->y + lw
        || py >= b->y + b->h - lw)
      return TRUE;
  }
  return FALSE;
}

/* Does sample (sx, sy) of a component subsampled by ws, hs cover a border
 * pixel? */
static gboolean
sample_on_border (const GstVideoInfo *info, gint sx, gint sy, guint ws,
    guint hs, const Box *boxes, guint n, gint lw)
{
  gint px, py;

  for (py = sy << hs; py < MIN ((sy + 1) << hs, info->height); py++)
    for (px = sx << ws; px < MIN ((sx + 1) << ws, info->width); px++)
      if (on_border (px, py, boxes, n, lw))
        return TRUE;
  return FALSE;
}

/* Checks every sample of @out against @in and the boxes; returns the
 * number of border samples. */
static guint
check_frame (const GstVideoInfo *info, GstBuffer *in, GstBuffer *out,
    const Box *boxes, guint n, gint lw)
{
  GstVideoFrame fi, fo;
  gint color[4];
  guint k, on = 0;

  expected_color (info, color);
  fail_unless (
      gst_video_frame_map (&fi, (GstVideoInfo *) info, in, GST_MAP_READ));
  fail_unless (
      gst_video_frame_map (&fo, (GstVideoInfo *) info, out, GST_MAP_READ));
  for (k = 0; k < GST_VIDEO_INFO_N_COMPONENTS (info); k++) {
    const guint8 *di = GST_VIDEO_FRAME_COMP_DATA (&fi, k);
    const guint8 *dout = GST_VIDEO_FRAME_COMP_DATA (&fo, k);
    gint si = GST_VIDEO_FRAME_COMP_STRIDE (&fi, k);
    gint so = GST_VIDEO_FRAME_COMP_STRIDE (&fo, k);
    gint ps = GST_VIDEO_FRAME_COMP_PSTRIDE (&fi, k);
    guint ws = GST_VIDEO_FORMAT_INFO_W_SUB (info->finfo, k);
    guint hs = GST_VIDEO_FORMAT_INFO_H_SUB (info->finfo, k);
    gint sx, sy;

    for (sy = 0; sy < GST_VIDEO_FRAME_COMP_HEIGHT (&fi, k); sy++) {
      for (sx = 0; sx < GST_VIDEO_FRAME_COMP_WIDTH (&fi, k); sx++) {
        gint a = di[sy * si + sx * ps], b = dout[sy * so + sx * ps];

        if (sample_on_border (info, sx, sy, ws, hs, boxes, n, lw)) {
          fail_unless (ABS (b - color[k]) <= 1,
              "%s %dx%d comp %u sample %d,%d: %d, box colour %d",
              GST_VIDEO_INFO_NAME (info), info->width, info->height, k, sx, sy,
              b, color[k]);
          on++;
        } else {
          fail_unless (a == b, "%s %dx%d comp %u sample %d,%d changed %d -> %d",
              GST_VIDEO_INFO_NAME (info), info->width, info->height, k, sx, sy,
              a, b);
        }
      }
    }
  }
  gst_video_frame_unmap (&fi);
  gst_video_frame_unmap (&fo);
  return on;
}

/* Pushes a random frame with @boxes and checks the output; returns the
 * number of border samples. */
static guint
run_boxes (
    const gchar *format, gint w, gint h, const Box *boxes, guint n, gint lw)
{
  GstVideoInfo info;
  gchar *launch
      = g_strdup_printf ("omnioverlay draw-labels=false line-width-px=%d", lw);
  GstHarness *hx = make_harness (launch, format, w, h, &info);
  GstBuffer *in = random_frame (&info, 42), *ref = gst_buffer_copy_deep (in);
  GstBuffer *out;
  guint i, on;

  for (i = 0; i < n; i++)
    add_box (in, &boxes[i], i);
  fail_unless_equals_int (gst_harness_push (hx, in), GST_FLOW_OK);
  out = gst_harness_pull (hx);
  on = check_frame (&info, ref, out, boxes, n, lw);
  gst_buffer_unref (out);
  gst_buffer_unref (ref);
  gst_harness_teardown (hx);
  g_free (launch);
  return on;
}

GST_START_TEST (test_boxes_every_format)
{
  /* inside, partly outside right and bottom, at the origin, wholly
   * outside, and thinner than two borders */
  const Box boxes[] = { { 20, 31, 101, 80 }, { 300, 200, 50, 100 },
    { 0, 0, 7, 9 }, { 400, 300, 10, 10 }, { 150, 150, 3, 40 } };
  guint f;

  for (f = 0; f < G_N_ELEMENTS (formats); f++) {
    fail_unless (run_boxes (formats[f], 321, 241, boxes, 5, 2) > 0);
    fail_unless (run_boxes (formats[f], 321, 241, boxes, 5, 1) > 0);
  }
}

GST_END_TEST;

GST_START_TEST (test_boxes_tiny_frames)
{
  const Box one[] = { { 0, 0, 1, 1 } }, big[] = { { 0, 0, 5, 5 } };
  guint f;

  for (f = 0; f < G_N_ELEMENTS (formats); f++) {
    fail_unless (run_boxes (formats[f], 1, 1, one, 1, 3) > 0);
    fail_unless (run_boxes (formats[f], 1, 1, big, 1, 1) > 0);
    fail_unless (run_boxes (formats[f], 3, 5, big, 1, 1) > 0);
  }
}

GST_END_TEST;

/* No metas: the output is the input, byte for byte. */
GST_START_TEST (test_no_metas_identical)
{
  guint f;

  for (f = 0; f < G_N_ELEMENTS (formats); f++) {
    GstVideoInfo info;
    GstHarness *hx = make_harness ("omnioverlay", formats[f], 321, 241, &info);
    GstBuffer *in = random_frame (&info, 7), *ref = gst_buffer_copy_deep (in);
    GstBuffer *out;
    GstMapInfo a, b;

    fail_unless_equals_int (gst_harness_push (hx, in), GST_FLOW_OK);
    out = gst_harness_pull (hx);
    gst_buffer_map (ref, &a, GST_MAP_READ);
    gst_buffer_map (out, &b, GST_MAP_READ);
    fail_unless (a.size == b.size && memcmp (a.data, b.data, a.size) == 0,
        "%s changed without metas", formats[f]);
    gst_buffer_unmap (ref, &a);
    gst_buffer_unmap (out, &b);
    gst_buffer_unref (out);
    gst_buffer_unref (ref);
    gst_harness_teardown (hx);
  }
}

GST_END_TEST;

/* Rows of @a and @b that differ, as [first, last]; FALSE if none. */
static gboolean
changed_rows (const GstVideoInfo *info, GstBuffer *a, GstBuffer *b, gint *first,
    gint *last, gint *n_changed)
{
  GstVideoFrame fa, fb;
  gint y, x;

  *first = G_MAXINT, *last = -1, *n_changed = 0;
  gst_video_frame_map (&fa, (GstVideoInfo *) info, a, GST_MAP_READ);
  gst_video_frame_map (&fb, (GstVideoInfo *) info, b, GST_MAP_READ);
  for (y = 0; y < info->height; y++) {
    const guint8 *ra = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fa, 0)
                       + y * GST_VIDEO_FRAME_PLANE_STRIDE (&fa, 0);
    const guint8 *rb = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fb, 0)
                       + y * GST_VIDEO_FRAME_PLANE_STRIDE (&fb, 0);

    for (x = 0; x < info->width; x++) {
      if (ra[x] != rb[x]) {
        *first = MIN (*first, y);
        *last = MAX (*last, y);
        (*n_changed)++;
      }
    }
  }
  gst_video_frame_unmap (&fa);
  gst_video_frame_unmap (&fb);
  return *last >= 0;
}

/* The label block sits right above the box, the text of an omniocr line
 * and a classification add lines, and nothing is drawn elsewhere. */
GST_START_TEST (test_labels)
{
  GstVideoInfo info;
  GstHarness *hx = make_harness (
      "omnioverlay draw-boxes=false font-size-px=12", "GRAY8", 320, 240, &info);
  GstBuffer *in = random_frame (&info, 3), *ref = gst_buffer_copy_deep (in);
  GstBuffer *out, *in2, *ref2, *out2;
  const Box box = { 40, 100, 80, 60 };
  gint first, last, n1, n2;

  add_box (in, &box, 0);
  fail_unless_equals_int (gst_harness_push (hx, in), GST_FLOW_OK);
  out = gst_harness_pull (hx);
  fail_unless (changed_rows (&info, ref, out, &first, &last, &n1));
  /* one line of 12 px text: the block ends at the box top */
  fail_unless_equals_int (last, 99);
  fail_unless (first >= 100 - 20 && first <= 100 - 10, "first row %d", first);

  /* a classification and faceres: two more lines */
  in2 = random_frame (&info, 3);
  ref2 = gst_buffer_copy_deep (in2);
  add_box (in2, &box, 0);
  gst_video_region_of_interest_meta_add_param (
      gst_buffer_get_video_region_of_interest_meta_id (in2, 0),
      gst_structure_new ("classification", "model", G_TYPE_STRING, "emotion",
          "label", G_TYPE_STRING, "happy", "confidence", G_TYPE_DOUBLE, 0.8,
          NULL));
  gst_video_region_of_interest_meta_add_param (
      gst_buffer_get_video_region_of_interest_meta_id (in2, 0),
      gst_structure_new ("classification", "age-years", G_TYPE_DOUBLE, 42.0,
          "gender", G_TYPE_STRING, "male", "gender-confidence", G_TYPE_DOUBLE,
          0.9, NULL));
  fail_unless_equals_int (gst_harness_push (hx, in2), GST_FLOW_OK);
  out2 = gst_harness_pull (hx);
  fail_unless (changed_rows (&info, ref2, out2, &first, &last, &n2));
  fail_unless_equals_int (last, 99);
  fail_unless (
      first >= 100 - 3 * 20 && first <= 100 - 3 * 10, "first %d", first);
  fail_unless (n2 > n1);
  gst_buffer_unref (out);
  gst_buffer_unref (ref);
  gst_buffer_unref (out2);
  gst_buffer_unref (ref2);
  gst_harness_teardown (hx);
}

GST_END_TEST;

static GValue *
value_array (GValue *v, GType type, guint n, const gpointer *vals)
{
  guint i;

  g_value_init (v, GST_TYPE_ARRAY);
  for (i = 0; i < n; i++) {
    GValue e = G_VALUE_INIT;

    g_value_init (&e, type);
    if (type == G_TYPE_STRING)
      g_value_set_string (&e, vals[i]);
    else
      g_value_set_double (&e, *(const gdouble *) vals[i]);
    gst_value_array_append_and_take_value (v, &e);
  }
  return v;
}

/* Points over the threshold are drawn in the box colour and joined by the
 * COCO skeleton; a point under it is not drawn. */
GST_START_TEST (test_keypoints)
{
  GstVideoInfo info;
  GstHarness *hx = make_harness (
      "omnioverlay draw-boxes=false draw-labels=false line-width-px=1", "RGB",
      200, 100, &info);
  GstBuffer *in = random_frame (&info, 5), *ref = gst_buffer_copy_deep (in);
  GstBuffer *out;
  GstVideoRegionOfInterestMeta *roi;
  GstStructure *s = gst_structure_new_empty ("keypoints");
  GValue v = G_VALUE_INIT;
  gdouble xs[] = { 0.25, 0.75, 0.5 }, ys[] = { 0.5, 0.5, 0.9 };
  gdouble sc[] = { 0.9, 0.8, 0.1 };
  gpointer names[] = { "left_shoulder", "right_shoulder", "nose" };
  gpointer px[] = { &xs[0], &xs[1], &xs[2] }, py[] = { &ys[0], &ys[1], &ys[2] };
  gpointer ps[] = { &sc[0], &sc[1], &sc[2] };
  GstVideoFrame fo, fi;
  const guint8 *o, *r;
  gint so;

  roi = gst_buffer_add_video_region_of_interest_meta (
      in, "person", 10, 10, 180, 80);
  gst_structure_take_value (
      s, "names", value_array (&v, G_TYPE_STRING, 3, names));
  gst_structure_take_value (s, "x", value_array (&v, G_TYPE_DOUBLE, 3, px));
  gst_structure_take_value (s, "y", value_array (&v, G_TYPE_DOUBLE, 3, py));
  gst_structure_take_value (s, "score", value_array (&v, G_TYPE_DOUBLE, 3, ps));
  gst_video_region_of_interest_meta_add_param (roi, s);
  gst_video_region_of_interest_meta_add_param (
      roi, gst_structure_new ("detection", "label-id", G_TYPE_UINT, 0, NULL));
  fail_unless_equals_int (gst_harness_push (hx, in), GST_FLOW_OK);
  out = gst_harness_pull (hx);
  gst_video_frame_map (&fo, &info, out, GST_MAP_READ);
  gst_video_frame_map (&fi, &info, ref, GST_MAP_READ);
  o = GST_VIDEO_FRAME_PLANE_DATA (&fo, 0);
  r = GST_VIDEO_FRAME_PLANE_DATA (&fi, 0);
  so = GST_VIDEO_FRAME_PLANE_STRIDE (&fo, 0);
#define PIX(d, x, y) ((d) + (y) *so + (x) *3)
  /* the shoulders, and the skeleton line half way between them */
  fail_unless (PIX (o, 50, 50)[0] == 255 && PIX (o, 50, 50)[1] == 56);
  fail_unless (PIX (o, 150, 50)[0] == 255 && PIX (o, 150, 50)[2] == 56);
  fail_unless (PIX (o, 100, 50)[0] == 255 && PIX (o, 100, 50)[1] == 56);
  /* the nose's score is under the threshold */
  fail_unless (memcmp (PIX (o, 100, 90), PIX (r, 100, 90), 3) == 0);
  /* far from the points and the line */
  fail_unless (memcmp (PIX (o, 100, 20), PIX (r, 100, 20), 3) == 0);
#undef PIX
  gst_video_frame_unmap (&fo);
  gst_video_frame_unmap (&fi);
  gst_buffer_unref (out);
  gst_buffer_unref (ref);
  gst_harness_teardown (hx);
}

GST_END_TEST;

/* An OmniFusionMeta's caption and verdict are drawn at the bottom and kept
 * on the next frames; draw-caption=false leaves them out. */
GST_START_TEST (test_caption)
{
  GstVideoInfo info;
  GstHarness *hx
      = make_harness ("omnioverlay font-size-px=10", "I420", 320, 240, &info);
  GstBuffer *in, *ref, *out;
  gint first, last, n;
  guint i;

  for (i = 0; i < 3; i++) {
    in = random_frame (&info, 11 + i);
    ref = gst_buffer_copy_deep (in);
    if (i == 0)
      omni_buffer_add_fusion_meta (in, 0, GST_SECOND, "a person talking",
          OMNI_VERDICT_FLAGGED, "porn", 0.93, NULL);
    if (i == 2) {
      GstElement *o = gst_harness_find_element (hx, "omnioverlay");

      g_object_set (o, "draw-caption", FALSE, NULL);
      gst_object_unref (o);
    }
    fail_unless_equals_int (gst_harness_push (hx, in), GST_FLOW_OK);
    out = gst_harness_pull (hx);
    if (i < 2) {
      fail_unless (changed_rows (&info, ref, out, &first, &last, &n));
      fail_unless (first >= 240 - 40 && last < 240, "rows %d..%d", first, last);
    } else {
      fail_if (changed_rows (&info, ref, out, &first, &last, &n));
    }
    gst_buffer_unref (out);
    gst_buffer_unref (ref);
  }
  gst_harness_teardown (hx);
}

GST_END_TEST;

/* Malformed parameters (absurd or NaN keypoints, arrays of other lengths
 * or types) draw nothing of theirs: the output equals that of the box
 * alone. */
GST_START_TEST (test_bad_params)
{
  GstVideoInfo info;
  GstHarness *hx
      = make_harness ("omnioverlay line-width-px=2", "NV12", 64, 48, &info);
  GstBuffer *a = random_frame (&info, 9), *b = gst_buffer_copy_deep (a);
  GstBuffer *oa, *ob;
  GstVideoRegionOfInterestMeta *roi;
  GstStructure *s = gst_structure_new_empty ("keypoints");
  GValue v = G_VALUE_INIT;
  gdouble big = 1e30, nan = NAN, one = 1.0;
  gpointer names[] = { "left_shoulder", "right_shoulder" };
  gpointer xs[] = { &big, &nan }, ys[] = { &one, &one }, sc[] = { &one };
  const Box box = { 8, 20, 30, 20 };
  GstMapInfo ma, mb;

  add_box (a, &box, 0);
  add_box (b, &box, 0);
  roi = gst_buffer_get_video_region_of_interest_meta_id (b, 0);
  gst_structure_take_value (
      s, "names", value_array (&v, G_TYPE_STRING, 2, names));
  gst_structure_take_value (s, "x", value_array (&v, G_TYPE_DOUBLE, 2, xs));
  gst_structure_take_value (s, "y", value_array (&v, G_TYPE_DOUBLE, 2, ys));
  gst_structure_take_value (s, "score", value_array (&v, G_TYPE_DOUBLE, 1, sc));
  gst_video_region_of_interest_meta_add_param (roi, gst_structure_copy (s));
  gst_structure_take_value (s, "score", value_array (&v, G_TYPE_DOUBLE, 2, ys));
  gst_video_region_of_interest_meta_add_param (roi, s);
  gst_video_region_of_interest_meta_add_param (
      roi, gst_structure_new ("classification", "labels", G_TYPE_STRING, "x",
               "scores", G_TYPE_INT, 3, NULL));
  fail_unless_equals_int (gst_harness_push (hx, a), GST_FLOW_OK);
  oa = gst_harness_pull (hx);
  fail_unless_equals_int (gst_harness_push (hx, b), GST_FLOW_OK);
  ob = gst_harness_pull (hx);
  gst_buffer_map (oa, &ma, GST_MAP_READ);
  gst_buffer_map (ob, &mb, GST_MAP_READ);
  fail_unless (memcmp (ma.data, mb.data, ma.size) == 0);
  gst_buffer_unmap (oa, &ma);
  gst_buffer_unmap (ob, &mb);
  gst_buffer_unref (oa);
  gst_buffer_unref (ob);
  gst_harness_teardown (hx);
}

GST_END_TEST;

/* The packed 4-byte painter (BGRx) and the component painter (RGB) are
 * separate code: with labels, scores, a classification and an OCR line on
 * the same picture they must give the same R, G, B everywhere. */
GST_START_TEST (test_rgb_paths_agree)
{
  GstVideoInfo ri, bi;
  GstHarness *hr = make_harness (
      "omnioverlay font-size-px=13 line-width-px=3", "RGB", 203, 121, &ri);
  GstHarness *hb = make_harness (
      "omnioverlay font-size-px=13 line-width-px=3", "BGRx", 203, 121, &bi);
  GstBuffer *r = random_frame (&ri, 21), *b, * or, *ob;
  const Box boxes[] = { { 30, 40, 90, 50 }, { 150, 2, 60, 60 } };
  GstVideoFrame fr, fb;
  gint x, y, n_diff = 0;
  guint i;

  b = gst_buffer_new_allocate (NULL, bi.size, NULL);
  gst_video_frame_map (&fr, &ri, r, GST_MAP_READ);
  gst_video_frame_map (&fb, &bi, b, GST_MAP_WRITE);
  for (y = 0; y < 121; y++)
    for (x = 0; x < 203; x++) {
      const guint8 *s = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fr, 0)
                        + y * GST_VIDEO_FRAME_PLANE_STRIDE (&fr, 0) + x * 3;
      guint8 *d = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fb, 0)
                  + y * GST_VIDEO_FRAME_PLANE_STRIDE (&fb, 0) + x * 4;

      d[0] = s[2], d[1] = s[1], d[2] = s[0], d[3] = 0;
    }
  gst_video_frame_unmap (&fr);
  gst_video_frame_unmap (&fb);
  GST_BUFFER_PTS (b) = 0;
  for (i = 0; i < 2; i++) {
    add_box (r, &boxes[i], i);
    add_box (b, &boxes[i], i);
  }
  for (i = 0; i < 2; i++) {
    GstBuffer *t = i ? b : r;
    GstVideoRegionOfInterestMeta *roi
        = gst_buffer_get_video_region_of_interest_meta_id (t, 0);

    gst_video_region_of_interest_meta_add_param (
        roi, gst_structure_new ("classification", "label", G_TYPE_STRING,
                 "happy", "confidence", G_TYPE_DOUBLE, 0.8, NULL));
    gst_video_region_of_interest_meta_add_param (
        roi, gst_structure_new ("omniocr", "text", G_TYPE_STRING, "Grüße 42",
                 "confidence", G_TYPE_DOUBLE, 0.5, NULL));
  }
  fail_unless_equals_int (gst_harness_push (hr, r), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (hb, b), GST_FLOW_OK);
  or = gst_harness_pull (hr);
  ob = gst_harness_pull (hb);
  gst_video_frame_map (&fr, &ri, or, GST_MAP_READ);
  gst_video_frame_map (&fb, &bi, ob, GST_MAP_READ);
  for (y = 0; y < 121; y++)
    for (x = 0; x < 203; x++) {
      const guint8 *s = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fr, 0)
                        + y * GST_VIDEO_FRAME_PLANE_STRIDE (&fr, 0) + x * 3;
      const guint8 *d = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fb, 0)
                        + y * GST_VIDEO_FRAME_PLANE_STRIDE (&fb, 0) + x * 4;

      if (d[0] != s[2] || d[1] != s[1] || d[2] != s[0])
        n_diff++;
    }
  gst_video_frame_unmap (&fr);
  gst_video_frame_unmap (&fb);
  fail_unless_equals_int (n_diff, 0);
  gst_buffer_unref (or);
  gst_buffer_unref (ob);
  gst_harness_teardown (hr);
  gst_harness_teardown (hb);
}

GST_END_TEST;

/* @text as omnioverlay.md specifies it: Pango layout of @font at @px
 * pixels, one paragraph, rasterised by Cairo into A8 at its logical
 * extents. */
static guint8 *
reference_mask (const gchar *text, const gchar *font, gint px, gint *w, gint *h,
    gint *stride)
{
  PangoFontMap *map = pango_cairo_font_map_new ();
  PangoContext *ctx = pango_font_map_create_context (map);
  PangoLayout *layout = pango_layout_new (ctx);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  PangoRectangle ink, logical;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint8 *data;

  pango_font_description_set_absolute_size (desc, px * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_extents (layout, &ink, &logical);
  *w = logical.width, *h = logical.height;
  *stride = cairo_format_stride_for_width (CAIRO_FORMAT_A8, *w);
  data = g_malloc0 ((gsize) *stride * *h);
  surface = cairo_image_surface_create_for_data (
      data, CAIRO_FORMAT_A8, *w, *h, *stride);
  cr = cairo_create (surface);
  cairo_move_to (cr, -logical.x, -logical.y);
  pango_cairo_show_layout (cr, layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  pango_font_description_free (desc);
  g_object_unref (layout);
  g_object_unref (ctx);
  g_object_unref (map);
  return data;
}

/* The label "person" in the first component (R, Y or gray): a block
 * (mask width + 4) x (mask height) in the box colour ending on the row
 * above the box, the text at x + 2 blended in white with its coverage,
 * every pixel exactly; nothing else changes in that component. */
static void
check_label_pixels (const gchar *format)
{
  GstVideoInfo info;
  GstHarness *hx
      = make_harness ("omnioverlay draw-boxes=false "
                      "draw-scores=false draw-track-ids=false font-size-px=13 "
                      "font-desc=\"Sans Bold\"",
          format, 161, 101, &info);
  GstBuffer *in = random_frame (&info, 17), *ref = gst_buffer_copy_deep (in);
  GstBuffer *out;
  const Box box = { 140, 60, 20, 30 };
  gint mw, mh, ms, bg[4], fg[4], x0, y0, x, y, ps, si, so;
  guint8 *mask = reference_mask ("person", "Sans Bold", 13, &mw, &mh, &ms);
  GstVideoFrame fi, fo;
  const guint8 *di, *dout;

  rgb_color (&info, 255, 56, 56, bg);
  rgb_color (&info, 255, 255, 255, fg); /* white reads on that red */
  /* shifted left to stay inside the frame */
  x0 = MAX (MIN (box.x, 161 - (mw + 4)), 0);
  y0 = box.y - mh;
  add_box (in, &box, 0);
  fail_unless_equals_int (gst_harness_push (hx, in), GST_FLOW_OK);
  out = gst_harness_pull (hx);
  gst_video_frame_map (&fi, &info, ref, GST_MAP_READ);
  gst_video_frame_map (&fo, &info, out, GST_MAP_READ);
  di = GST_VIDEO_FRAME_COMP_DATA (&fi, 0);
  dout = GST_VIDEO_FRAME_COMP_DATA (&fo, 0);
  si = GST_VIDEO_FRAME_COMP_STRIDE (&fi, 0);
  so = GST_VIDEO_FRAME_COMP_STRIDE (&fo, 0);
  ps = GST_VIDEO_FRAME_COMP_PSTRIDE (&fi, 0);
  for (y = 0; y < info.height; y++) {
    for (x = 0; x < info.width; x++) {
      gint got = dout[y * so + x * ps], want = di[y * si + x * ps];

      if (x >= x0 && x < x0 + mw + 4 && y >= y0 && y < y0 + mh) {
        gint mx = x - x0 - 2;
        guint a = mx >= 0 && mx < mw ? mask[(y - y0) * ms + mx] : 0;

        want = (bg[0] * (255 - a) + fg[0] * a + 127) / 255;
      }
      fail_unless (got == want, "%s pixel %d,%d: %d, expected %d", format, x, y,
          got, want);
    }
  }
  gst_video_frame_unmap (&fi);
  gst_video_frame_unmap (&fo);
  g_free (mask);
  gst_buffer_unref (out);
  gst_buffer_unref (ref);
  gst_harness_teardown (hx);
}

GST_START_TEST (test_label_pixels)
{
  const gchar *f[] = { "GRAY8", "BGRx", "RGB", "I420", "NV12", "xRGB" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (f); i++)
    check_label_pixels (f[i]);
}

GST_END_TEST;

GST_START_TEST (test_refuses_unsupported_format)
{
  GstHarness *hx = gst_harness_new ("omnioverlay");
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 16 * 16 * 2, NULL);

  gst_harness_set_src_caps_str (
      hx, "video/x-raw,format=YUY2,width=16,height=16,framerate=30/1");
  fail_unless_equals_int (gst_harness_push (hx, buf), GST_FLOW_NOT_NEGOTIATED);
  gst_harness_teardown (hx);
}

GST_END_TEST;

static Suite *
omnioverlay_suite (void)
{
  Suite *s = suite_create ("omnioverlay");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_boxes_every_format);
  tcase_add_test (tc, test_boxes_tiny_frames);
  tcase_add_test (tc, test_no_metas_identical);
  tcase_add_test (tc, test_labels);
  tcase_add_test (tc, test_keypoints);
  tcase_add_test (tc, test_caption);
  tcase_add_test (tc, test_bad_params);
  tcase_add_test (tc, test_rgb_paths_agree);
  tcase_add_test (tc, test_label_pixels);
  tcase_add_test (tc, test_refuses_unsupported_format);
  return s;
}

GST_CHECK_MAIN (omnioverlay);
