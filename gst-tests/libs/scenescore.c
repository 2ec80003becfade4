/* gst-omni: unit tests for the scene scorer and detector (omniscenescore)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <omni/dsp/omniscenescore.h>
#include <math.h>

/* A smooth, structured test picture: value of channel @c at (x, y) for
 * picture @id, shifted by (sx, sy) pixels. */
static gdouble
texel (gint id, gint c, gdouble x, gdouble y)
{
  switch (id) {
  case 0:
    return 128 + 80 * sin (x / 23.0 + c) * cos (y / 17.0) + 30 * sin (y / 7.0);
  case 1:
    return 128 + 90 * cos (hypot (x - 150, y - 80) / 11.0 + 2 * c);
  default:
    return 40 + c * 60 + ((((gint) (x / 40)) + ((gint) (y / 30))) & 1) * 120;
  }
}

static guint8
clamp8 (gdouble v)
{
  return (guint8) CLAMP (lrint (v), 0, 255);
}

typedef struct {
  OmniSceneLayout layout;
  guint8 *planes[3];
  gint strides[3];
} Frame;

/* Packed RGB frame: gain and offset applied after the picture */
static void
frame_rgb (Frame *f, gint w, gint h, gint id, gint sx, gint sy, gdouble gain,
    gdouble offset)
{
  gint x, y, c;
  OmniSceneLayout lay = { w, h, 3, 1, 1,
    { { 0, 3, 0, 0, 0 }, { 0, 3, 1, 0, 0 }, { 0, 3, 2, 0, 0 } } };

  memset (f, 0, sizeof (*f));
  f->layout = lay;
  f->strides[0] = w * 3 + 5; /* padded lines */
  f->planes[0] = g_malloc0 ((gsize) f->strides[0] * h);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      for (c = 0; c < 3; c++)
        f->planes[0][y * f->strides[0] + 3 * x + c]
            = clamp8 (texel (id, c, x + sx, y + sy) * gain + offset);
}

/* The same picture as I420 (limited range) or NV12 (semi-planar) */
static void
frame_yuv (Frame *f, gint w, gint h, gint id, gboolean nv12)
{
  gint cw = (w + 1) / 2, ch = (h + 1) / 2, x, y;
  OmniSceneLayout i420 = { w, h, 3, 0, 0,
    { { 0, 1, 0, 0, 0 }, { 1, 1, 0, 1, 1 }, { 2, 1, 0, 1, 1 } } };
  OmniSceneLayout nv = { w, h, 3, 0, 0,
    { { 0, 1, 0, 0, 0 }, { 1, 2, 0, 1, 1 }, { 1, 2, 1, 1, 1 } } };

  memset (f, 0, sizeof (*f));
  f->layout = nv12 ? nv : i420;
  f->strides[0] = w;
  f->planes[0] = g_malloc ((gsize) w * h);
  f->strides[1] = nv12 ? 2 * cw : cw;
  f->planes[1] = g_malloc ((gsize) f->strides[1] * ch);
  f->strides[2] = cw;
  f->planes[2] = nv12 ? NULL : g_malloc ((gsize) cw * ch);
  for (y = 0; y < h; y++) {
    for (x = 0; x < w; x++) {
      gdouble r = texel (id, 0, x, y), g = texel (id, 1, x, y),
              b = texel (id, 2, x, y);
      f->planes[0][y * w + x]
          = clamp8 (16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
    }
  }
  for (y = 0; y < ch; y++) {
    for (x = 0; x < cw; x++) {
      gdouble r = texel (id, 0, 2 * x, 2 * y), g = texel (id, 1, 2 * x, 2 * y),
              b = texel (id, 2, 2 * x, 2 * y);
      guint8 u = clamp8 (128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255);
      guint8 v = clamp8 (128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255);
      if (nv12) {
        f->planes[1][y * f->strides[1] + 2 * x] = u;
        f->planes[1][y * f->strides[1] + 2 * x + 1] = v;
      } else {
        f->planes[1][y * cw + x] = u;
        f->planes[2][y * cw + x] = v;
      }
    }
  }
}

static void
frame_clear (Frame *f)
{
  gint i;

  for (i = 0; i < 3; i++)
    g_free (f->planes[i]);
}

static OmniSceneSignature *
signature (OmniSceneScorer *s, Frame *f)
{
  OmniSceneSignature *sig = omni_scene_signature_new (s);

  omni_scene_scorer_compute (
      s, (const guint8 *const *) f->planes, f->strides, sig);
  return sig;
}

/* Score between two RGB frames of 320x180 */
static gdouble
rgb_pair (gint id_a, gint sx_a, gdouble gain_a, gint id_b, gint sx_b, gint sy_b,
    gdouble gain_b, gdouble off_b, OmniSceneDiff *diff)
{
  Frame a, b;
  OmniSceneScorer *s;
  OmniSceneSignature *sa, *sb;
  gdouble score;

  frame_rgb (&a, 320, 180, id_a, sx_a, 0, gain_a, 0);
  frame_rgb (&b, 320, 180, id_b, sx_b, sy_b, gain_b, off_b);
  s = omni_scene_scorer_new (&a.layout);
  sa = signature (s, &a);
  sb = signature (s, &b);
  score = omni_scene_compare (sa, sb, FALSE, diff);
  omni_scene_signature_free (sa);
  omni_scene_signature_free (sb);
  omni_scene_scorer_free (s);
  frame_clear (&a);
  frame_clear (&b);
  return score;
}

GST_START_TEST (test_identical_and_different)
{
  OmniSceneDiff d;
  gdouble sc;

  sc = rgb_pair (0, 0, 1.0, 0, 0, 0, 1.0, 0, &d);
  fail_unless (sc < 1e-6, "%f", sc);
  fail_unless_equals_int (d.dx, 0);
  fail_unless_equals_int (d.dy, 0);
  fail_unless (d.ncc > 0.9999);

  sc = rgb_pair (0, 0, 1.0, 1, 0, 0, 1.0, 0, &d);
  fail_unless (sc > 0.6, "unrelated pictures score %f", sc);
  sc = rgb_pair (1, 0, 1.0, 2, 0, 0, 1.0, 0, &d);
  fail_unless (sc > 0.6, "unrelated pictures score %f", sc);
}

GST_END_TEST;

/* Camera motion: the search finds the shift and the score stays low. The
 * 320-pixel frame has 64 columns: 5 pixels per cell. */
GST_START_TEST (test_motion_compensated)
{
  OmniSceneDiff d;
  gdouble sc;

  /* the later frame shows what was 20 pixels further right: it is found
   * 4 cells to the left */
  sc = rgb_pair (0, 0, 1.0, 0, 20, 0, 1.0, 0, &d);
  fail_unless_equals_int (d.dx, -4);
  fail_unless_equals_int (d.dy, 0);
  fail_unless (sc < 0.05, "pan of 4 cells scores %f", sc);

  sc = rgb_pair (0, 0, 1.0, 0, -30, 15, 1.0, 0, &d);
  fail_unless_equals_int (d.dx, 6);
  fail_unless_equals_int (d.dy, -3);
  fail_unless (sc < 0.05, "diagonal pan scores %f", sc);
}

GST_END_TEST;

/* Gain and offset (a fade step, an exposure change) leave the structure
 * alone: only the colour part moves, in proportion. */
GST_START_TEST (test_gain_invariance)
{
  OmniSceneDiff d;
  gdouble sc;

  sc = rgb_pair (0, 0, 1.0, 0, 0, 0, 0.92, 0, &d);
  fail_unless (d.structure < 0.01, "structure %f", d.structure);
  fail_unless (sc < 0.2, "a 8%% fade step scores %f", sc);
  sc = rgb_pair (0, 0, 1.0, 0, 0, 0, 1.0, 12, &d);
  fail_unless (d.structure < 0.01, "structure %f", d.structure);
  fail_unless (d.color > 0.04 && d.color < 0.06, "colour %f", d.color);
}

GST_END_TEST;

/* The same picture read from RGB, I420 and NV12 gives the same thumbnail:
 * scores do not depend on the format. */
GST_START_TEST (test_formats_agree)
{
  Frame rgb, i420, nv12;
  OmniSceneScorer *s_rgb, *s_i420, *s_nv12;
  OmniSceneSignature *a, *b, *c;
  OmniSceneDiff d;
  gdouble sc;
  gint gw, gh;

  frame_rgb (&rgb, 321, 179, 1, 0, 0, 1.0, 0);
  frame_yuv (&i420, 321, 179, 1, FALSE);
  frame_yuv (&nv12, 321, 179, 1, TRUE);
  s_rgb = omni_scene_scorer_new (&rgb.layout);
  s_i420 = omni_scene_scorer_new (&i420.layout);
  s_nv12 = omni_scene_scorer_new (&nv12.layout);
  omni_scene_scorer_get_grid_size (s_i420, &gw, &gh);
  fail_unless_equals_int (gw, OMNI_SCENE_GRID_WIDTH);
  fail_unless_equals_int (gh, OMNI_SCENE_GRID_HEIGHT);
  a = signature (s_rgb, &rgb);
  b = signature (s_i420, &i420);
  c = signature (s_nv12, &nv12);
  fail_unless (fabs (omni_scene_signature_luma_mean (a)
                     - omni_scene_signature_luma_mean (b))
               < 1.5);
  sc = omni_scene_compare (a, b, FALSE, &d);
  /* chroma subsampling and rounding only */
  fail_unless (sc < 0.06, "RGB vs I420: %f", sc);
  fail_unless (d.structure < 0.002, "RGB vs I420 structure %f", d.structure);
  sc = omni_scene_compare (b, c, FALSE, &d);
  fail_unless (sc < 1e-6, "I420 vs NV12: %f", sc);
  omni_scene_signature_free (a);
  omni_scene_signature_free (b);
  omni_scene_signature_free (c);
  omni_scene_scorer_free (s_rgb);
  omni_scene_scorer_free (s_i420);
  omni_scene_scorer_free (s_nv12);
  frame_clear (&rgb);
  frame_clear (&i420);
  frame_clear (&nv12);
}

GST_END_TEST;

GST_START_TEST (test_tiny_and_invalid)
{
  const gint sizes[][2] = { { 1, 1 }, { 2, 1 }, { 1, 7 }, { 17, 9 } };
  OmniSceneLayout bad = { 0, 10, 3, 1, 1, { { 0 } } };
  guint k;

  fail_unless (omni_scene_scorer_new (&bad) == NULL);
  bad.width = 10;
  bad.n_components = 2;
  fail_unless (omni_scene_scorer_new (&bad) == NULL);

  for (k = 0; k < G_N_ELEMENTS (sizes); k++) {
    Frame a, b;
    OmniSceneScorer *s;
    OmniSceneSignature *sa, *sb;
    gdouble sc;
    gint gw, gh;

    frame_yuv (&a, sizes[k][0], sizes[k][1], 0, FALSE);
    frame_yuv (&b, sizes[k][0], sizes[k][1], 0, FALSE);
    s = omni_scene_scorer_new (&a.layout);
    fail_unless (s != NULL);
    omni_scene_scorer_get_grid_size (s, &gw, &gh);
    fail_unless_equals_int (gw, sizes[k][0]);
    fail_unless_equals_int (gh, sizes[k][1]);
    sa = signature (s, &a);
    sb = signature (s, &b);
    sc = omni_scene_compare (sa, sb, FALSE, NULL);
    fail_unless (sc < 1e-6, "%dx%d: %f", sizes[k][0], sizes[k][1], sc);
    sc = omni_scene_compare (sa, sb, TRUE, NULL);
    fail_unless (sc < 1e-6);
    omni_scene_signature_free (sa);
    omni_scene_signature_free (sb);
    omni_scene_scorer_free (s);
    frame_clear (&a);
    frame_clear (&b);
  }
}

GST_END_TEST;

/* Frames of a sequence: picture per frame, slow pan of 1 pixel per frame;
 * PIC_FLASH is a white frame. */
#define PIC_FLASH 99

static void
push (OmniSceneDetector *det, gint pic, gint t)
{
  Frame f;

  if (pic == PIC_FLASH)
    frame_rgb (&f, 160, 90, 0, t, 0, 0.0, 255);
  else
    frame_rgb (&f, 160, 90, pic, t, 0, 1.0, 0);
  omni_scene_detector_push (det, (const guint8 *const *) f.planes, f.strides);
  frame_clear (&f);
}

/* Runs a sequence and returns the frames decided as cuts, checking that
 * decisions come out in order with the detector's latency. */
static gchar *
run (OmniSceneMode mode, const gint *pics, gint n)
{
  OmniSceneLayout lay = { 160, 90, 3, 1, 1,
    { { 0, 3, 0, 0, 0 }, { 0, 3, 1, 0, 0 }, { 0, 3, 2, 0, 0 } } };
  OmniSceneDetector *det = omni_scene_detector_new (&lay, mode, 0.4);
  GString *cuts = g_string_new (NULL);
  OmniSceneDecision d;
  guint64 next = 0;
  gint i;

  for (i = 0; i < n; i++) {
    push (det, pics[i], i);
    while (omni_scene_detector_pop (det, &d)) {
      fail_unless_equals_uint64 (d.frame, next);
      fail_unless (
          (gint) d.frame == i - (gint) omni_scene_detector_get_latency (det));
      if (d.frame == 0)
        fail_unless_equals_float (d.score, 0.0);
      if (d.cut)
        g_string_append_printf (cuts, "%s%d", cuts->len ? " " : "",
            i - (gint) omni_scene_detector_get_latency (det));
      next++;
    }
  }
  omni_scene_detector_finish (det);
  while (omni_scene_detector_pop (det, &d)) {
    fail_unless_equals_uint64 (d.frame, next);
    if (d.cut)
      g_string_append_printf (
          cuts, "%s%d", cuts->len ? " " : "", (gint) d.frame);
    next++;
  }
  fail_unless_equals_uint64 (next, n);
  omni_scene_detector_free (det);
  return g_string_free (cuts, FALSE);
}

GST_START_TEST (test_detector)
{
  gint pics[40], i;
  gchar *got;

  /* cuts at 10 and 25; a one-frame flash at 5 and a two-frame flash at
   * 17-18; the last cut at 38 is decided at the end, without look-ahead */
  for (i = 0; i < 40; i++)
    pics[i] = i < 10 ? 0 : (i < 25 ? 1 : (i < 38 ? 2 : 0));
  pics[5] = pics[17] = pics[18] = PIC_FLASH;

  got = run (OMNI_SCENE_MODE_ADAPTIVE, pics, 40);
  fail_unless_equals_string (got, "10 25 38");
  g_free (got);
  /* without look-ahead a flash's first frame is taken, never its end */
  got = run (OMNI_SCENE_MODE_FAST, pics, 40);
  fail_unless_equals_string (got, "5 10 17 25 38");
  g_free (got);
}

GST_END_TEST;

GST_START_TEST (test_detector_reset_and_threshold)
{
  OmniSceneLayout lay = { 160, 90, 3, 1, 1,
    { { 0, 3, 0, 0, 0 }, { 0, 3, 1, 0, 0 }, { 0, 3, 2, 0, 0 } } };
  OmniSceneDetector *det
      = omni_scene_detector_new (&lay, OMNI_SCENE_MODE_FAST, 0.4);
  OmniSceneDecision d;
  gint i;

  fail_unless_equals_int (omni_scene_detector_get_latency (det), 0);
  for (i = 0; i < 8; i++) {
    push (det, i < 4 ? 0 : 1, i);
    fail_unless (omni_scene_detector_pop (det, &d));
    fail_unless_equals_int (d.cut, i == 4);
    fail_unless (!omni_scene_detector_pop (det, &d));
  }
  /* after a reset nothing is compared across: frame 0 again, no cut */
  omni_scene_detector_reset (det);
  push (det, 2, 0);
  fail_unless (omni_scene_detector_pop (det, &d));
  fail_unless_equals_uint64 (d.frame, 0);
  fail_unless (!d.cut);
  /* a threshold of 1 never cuts */
  omni_scene_detector_set_threshold (det, 1.0);
  for (i = 1; i < 4; i++) {
    push (det, i < 3 ? 2 : 0, i);
    fail_unless (omni_scene_detector_pop (det, &d));
    fail_unless (!d.cut);
  }
  omni_scene_detector_free (det);
}

GST_END_TEST;

static Suite *
scenescore_suite (void)
{
  Suite *s = suite_create ("omni-scenescore");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_identical_and_different);
  tcase_add_test (tc, test_motion_compensated);
  tcase_add_test (tc, test_gain_invariance);
  tcase_add_test (tc, test_formats_agree);
  tcase_add_test (tc, test_tiny_and_invalid);
  tcase_add_test (tc, test_detector);
  tcase_add_test (tc, test_detector_reset_and_threshold);
  return s;
}

GST_CHECK_MAIN (scenescore);
