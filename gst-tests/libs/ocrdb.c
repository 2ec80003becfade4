/* gst-omni: unit tests for the DB post-processing (tasks/omniocrdb)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Synthetic probability maps whose boxes are known exactly: an upright
 * block (its contour, rectangle, score and unclipped box worked out by
 * hand), a rectangle at 45 degrees whose pixel centres span it exactly,
 * rectangles rotated by other angles (sampled on the pixel grid: the angle
 * and the enclosure are checked), touching and nearly touching regions, a
 * ring (outer and hole borders), tiny blobs, an empty map and 1x1 maps.
 * The same maps give the same boxes through @gutenye/ocr-common's
 * reference (gst-tests/libs/ocrdbparity.c checks real photos).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <omni/tasks/omniocrdb.h>
#include <math.h>

static gfloat *
blank (guint w, guint h)
{
  return g_new0 (gfloat, (gsize) w * h);
}

static void
fill (gfloat *m, guint w, guint x0, guint y0, guint x1, guint y1, gfloat v)
{
  guint x, y;

  for (y = y0; y < y1; y++)
    for (x = x0; x < x1; x++)
      m[y * w + x] = v;
}

static OmniOcrDbMapping
identity (guint w, guint h)
{
  OmniOcrDbMapping m = { 0, 0, 1, 1, 0, 0, (gint) w, (gint) h };

  return m;
}

static GArray *
decode (const gfloat *map, guint w, guint h, gdouble box_thresh)
{
  OmniOcrDbParams p;
  OmniOcrDbMapping m = identity (w, h);

  omni_ocr_db_params_init (&p);
  p.box_thresh = box_thresh;
  return omni_ocr_db_decode (map, w, h, &p, &m);
}

static void
assert_quad (const OmniOcrDbPoint *q, const gdouble *want)
{
  guint i;

  for (i = 0; i < 4; i++) {
    fail_unless (fabs (q[i].x - want[2 * i]) < 1e-6
                     && fabs (q[i].y - want[2 * i + 1]) < 1e-6,
        "corner %u: (%g, %g), expected (%g, %g)", i, q[i].x, q[i].y,
        want[2 * i], want[2 * i + 1]);
  }
}

#define BOX(a, i) (&g_array_index ((a), OmniOcrDbRect, (i)))

GST_START_TEST (test_defaults)
{
  OmniOcrDbParams p;

  omni_ocr_db_params_init (&p);
  fail_unless_equals_float (p.thresh, 0.3);
  fail_unless_equals_float (p.box_thresh, 0.6);
  fail_unless_equals_float (p.unclip_ratio, 1.5);
  fail_unless_equals_float (p.min_size, 3);
  fail_unless_equals_int (p.max_candidates, 1000);
}

GST_END_TEST;

/* x 10..49, y 20..29: contour corners (10,20) (49,20) (49,29) (10,29), a
 * 39 x 9 rectangle; unclip d = 351 * 1.5 / 96 = 5.484375, sides at
 * 4.516, 54.484, 14.516, 34.484, vertices rounded: x 5..54, y 15..34 */
GST_START_TEST (test_upright_block)
{
  const guint w = 100, h = 60;
  gfloat *map = blank (w, h);
  guint8 *bits;
  GPtrArray *contours;
  GArray *c, *grown, *boxes;
  OmniOcrDbRect r;
  OmniOcrDbMapping half = { 0, 0, 0.5, 0.5, 0, 0, 200, 120 };
  OmniOcrDbMapping letterbox = { 0, 10, 0.5, 0.5, 0, 0, 200, 80 };
  OmniOcrDbParams p;
  const gdouble rect[] = { 10, 20, 49, 20, 49, 29, 10, 29 };
  const gdouble unclipped[] = { 5, 15, 54, 15, 54, 34, 5, 34 };
  const gdouble doubled[] = { 10, 30, 108, 30, 108, 68, 10, 68 };
  const gdouble boxed[] = { 10, 10, 108, 10, 108, 48, 10, 48 };
  gint bx, by, bw, bh;

  fill (map, w, 10, 20, 50, 30, 0.9f);
  bits = omni_ocr_db_binarize (map, w, h, 0.3);
  fail_unless_equals_int (bits[20 * w + 10], 1);
  fail_unless_equals_int (bits[19 * w + 10], 0);
  contours = omni_ocr_db_find_contours (bits, w, h);
  fail_unless_equals_int (contours->len, 1);
  c = g_ptr_array_index (contours, 0);
  /* the border pixels: 2 x 40 + 2 x 8 */
  fail_unless_equals_int (c->len, 96);
  fail_unless (
      omni_ocr_db_min_area_rect ((OmniOcrDbPoint *) c->data, c->len, &r));
  assert_quad (r.p, rect);
  fail_unless_equals_float (r.short_side, 9);
  fail_unless (fabs (omni_ocr_db_box_score (map, w, h, r.p) - 0.9f) < 1e-6);
  grown = omni_ocr_db_unclip (r.p, 1.5);
  fail_unless (omni_ocr_db_min_area_rect (
      (OmniOcrDbPoint *) grown->data, grown->len, &r));
  assert_quad (r.p, unclipped);

  boxes = decode (map, w, h, 0.6);
  fail_unless_equals_int (boxes->len, 1);
  assert_quad (BOX (boxes, 0)->p, unclipped);
  fail_unless (fabs (BOX (boxes, 0)->score - 0.9f) < 1e-6);
  omni_ocr_db_bounds (BOX (boxes, 0), &bx, &by, &bw, &bh);
  fail_unless (bx == 5 && by == 15 && bw == 49 && bh == 19);
  g_array_unref (boxes);

  /* the map is half the frame; then letterboxed (10 map rows of pad) */
  omni_ocr_db_params_init (&p);
  boxes = omni_ocr_db_decode (map, w, h, &p, &half);
  fail_unless_equals_int (boxes->len, 1);
  assert_quad (BOX (boxes, 0)->p, doubled);
  g_array_unref (boxes);
  boxes = omni_ocr_db_decode (map, w, h, &p, &letterbox);
  fail_unless_equals_int (boxes->len, 1);
  assert_quad (BOX (boxes, 0)->p, boxed);
  g_array_unref (boxes);

  g_array_unref (grown);
  g_ptr_array_unref (contours);
  g_free (bits);
  g_free (map);
}

GST_END_TEST;

/* pixels with 60 <= x + y <= 100 and -10 <= x - y <= 10: their centres
 * span the rectangle (25,35) (35,25) (55,45) (45,55) exactly (10√2 by
 * 20√2); unclip d = 600 / 60√2 = 5√2 moves each corner by (±10, 0) or
 * (0, ±10) */
GST_START_TEST (test_rotated_45)
{
  const guint w = 100, h = 100;
  gfloat *map = blank (w, h);
  guint x, y;
  GArray *boxes;
  OmniOcrDbPoint pts[1024];
  guint n = 0;
  OmniOcrDbRect r;
  const gdouble rect[] = { 35, 25, 55, 45, 45, 55, 25, 35 };
  const gdouble unclipped[] = { 35, 15, 65, 45, 45, 65, 15, 35 };

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      if (x + y >= 60 && x + y <= 100 && (gint) x - (gint) y >= -10
          && (gint) x - (gint) y <= 10) {
        map[y * w + x] = 0.9f;
        pts[n].x = x;
        pts[n++].y = y;
      }
  fail_unless (omni_ocr_db_min_area_rect (pts, n, &r));
  assert_quad (r.p, rect);
  fail_unless (fabs (r.short_side - 10 * G_SQRT2) < 1e-9);
  boxes = decode (map, w, h, 0.6);
  fail_unless_equals_int (boxes->len, 1);
  assert_quad (BOX (boxes, 0)->p, unclipped);
  g_array_unref (boxes);
  g_free (map);
}

GST_END_TEST;

/* an 80 x 18 rectangle turned by @deg about (80, 60), sampled at pixel
 * centres: one box, its long side at @deg (within 1 degree), holding
 * every text pixel, its sides grown by the unclip distance (within 2 px) */
static void
check_rotated (gdouble deg)
{
  const guint w = 160, h = 120;
  gfloat *map = blank (w, h);
  gdouble t = deg * G_PI / 180, c = cos (t), s = sin (t), ang, l01, l03;
  gdouble d = 80.0 * 18 * 1.5 / (2 * (80 + 18)), len, wid;
  GArray *boxes;
  OmniOcrDbRect *b;
  guint x, y, i;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      gdouble u = (x - 80.0) * c + (y - 60.0) * s;
      gdouble v = -(x - 80.0) * s + (y - 60.0) * c;

      map[y * w + x] = (fabs (u) <= 40 && fabs (v) <= 9) ? 0.8f : 0.1f;
    }
  boxes = decode (map, w, h, 0.6);
  fail_unless_equals_int (boxes->len, 1);
  b = BOX (boxes, 0);
  l01 = hypot (b->p[1].x - b->p[0].x, b->p[1].y - b->p[0].y);
  l03 = hypot (b->p[3].x - b->p[0].x, b->p[3].y - b->p[0].y);
  i = l01 >= l03 ? 1 : 3;
  len = MAX (l01, l03);
  wid = MIN (l01, l03);
  ang = atan2 (b->p[i].y - b->p[0].y, b->p[i].x - b->p[0].x) * 180 / G_PI;
  ang = fmod (ang + 360, 180);
  fail_unless (fabs (ang - deg) < 1 || fabs (ang - deg) > 179,
      "%g degrees: box at %g", deg, ang);
  fail_unless (fabs (len - (80 + 2 * d)) < 2, "%g: length %g", deg, len);
  fail_unless (fabs (wid - (18 + 2 * d)) < 2, "%g: width %g", deg, wid);
  fail_unless (b->score > 0.7 && b->score <= 0.8, "%g: %g", deg, b->score);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      OmniOcrDbPoint p = { x, y };
      guint k;

      if (map[y * w + x] < 0.5f)
        continue;
      for (k = 0; k < 4; k++) {
        const OmniOcrDbPoint *a = &b->p[k], *e = &b->p[(k + 1) & 3];

        fail_unless (
            (e->x - a->x) * (p.y - a->y) - (e->y - a->y) * (p.x - a->x) >= 0,
            "%g degrees: pixel (%u, %u) outside", deg, x, y);
      }
    }
  g_array_unref (boxes);
  g_free (map);
}

GST_START_TEST (test_rotated)
{
  check_rotated (10);
  check_rotated (30);
  check_rotated (60);
  check_rotated (120);
  check_rotated (170);
}

GST_END_TEST;

/* blocks meeting at a corner are one 8-connected region; blocks side by
 * side too; a row of background between them makes two */
GST_START_TEST (test_touching)
{
  const guint w = 100, h = 60;
  gfloat *map = blank (w, h);
  GArray *boxes;

  fill (map, w, 10, 10, 30, 20, 0.9f);
  fill (map, w, 30, 20, 50, 30, 0.9f);
  boxes = decode (map, w, h, 0);
  fail_unless_equals_int (boxes->len, 1);
  g_array_unref (boxes);

  memset (map, 0, sizeof (gfloat) * w * h);
  fill (map, w, 10, 10, 30, 20, 0.9f);
  fill (map, w, 30, 10, 50, 20, 0.7f);
  boxes = decode (map, w, h, 0.6);
  fail_unless_equals_int (boxes->len, 1);
  fail_unless (fabs (BOX (boxes, 0)->score - 0.8) < 1e-6);
  g_array_unref (boxes);

  memset (map, 0, sizeof (gfloat) * w * h);
  fill (map, w, 10, 10, 30, 20, 0.9f);
  fill (map, w, 10, 21, 30, 30, 0.9f);
  boxes = decode (map, w, h, 0.6);
  fail_unless_equals_int (boxes->len, 2);
  g_array_unref (boxes);
  g_free (map);
}

GST_END_TEST;

/* a ring: its outer border and its hole's border (RETR_LIST) */
GST_START_TEST (test_ring)
{
  const guint w = 100, h = 60;
  gfloat *map = blank (w, h);
  guint8 *bits;
  GPtrArray *contours;
  GArray *boxes;
  const gdouble outer_box[] = { 0, 0, 100, 0, 100, 60, 0, 60 };

  fill (map, w, 5, 5, 95, 55, 0.9f);
  fill (map, w, 20, 20, 80, 40, 0.0f);
  bits = omni_ocr_db_binarize (map, w, h, 0.3);
  contours = omni_ocr_db_find_contours (bits, w, h);
  fail_unless_equals_int (contours->len, 2);
  /* outer border 2 x 90 + 2 x 48 pixels; hole border: the 8-connected ring around it, corners cut (2 x 60 + 2 x 20) */
  fail_unless_equals_int (
      ((GArray *) g_ptr_array_index (contours, 0))->len, 276);
  fail_unless_equals_int (
      ((GArray *) g_ptr_array_index (contours, 1))->len, 160);
  boxes = decode (map, w, h, 0);
  fail_unless_equals_int (boxes->len, 2);
  /* the outer box grows past the map and is clipped to it */
  assert_quad (BOX (boxes, 0)->p, outer_box);
  g_array_unref (boxes);
  /* the hole's box is mostly hole: its mean is under 0.6 */
  boxes = decode (map, w, h, 0.6);
  fail_unless_equals_int (boxes->len, 1);
  g_array_unref (boxes);
  g_ptr_array_unref (contours);
  g_free (bits);
  g_free (map);
}

GST_END_TEST;

/* 2x2 and 3x3 blobs are under min_size (3); a 4x4 one (rectangle 3 x 3)
 * is kept: d = 9 * 1.5 / 12 = 1.125, (24,4) (29,4) (29,9) (24,9); a 5x4
 * one too */
GST_START_TEST (test_tiny)
{
  const guint w = 40, h = 30;
  gfloat *map = blank (w, h);
  GArray *boxes;
  OmniOcrDbParams p;
  OmniOcrDbMapping m = identity (w, h);
  const gdouble four[] = { 24, 4, 29, 4, 29, 9, 24, 9 };

  fill (map, w, 5, 5, 7, 7, 0.9f);
  fill (map, w, 15, 5, 18, 8, 0.9f);
  fill (map, w, 25, 5, 29, 9, 0.9f);
  fill (map, w, 5, 20, 10, 24, 0.9f);
  boxes = decode (map, w, h, 0.6);
  fail_unless_equals_int (boxes->len, 2);
  assert_quad (BOX (boxes, 0)->p, four);
  g_array_unref (boxes);
  /* at most one candidate: the first contour in raster order (2x2) */
  omni_ocr_db_params_init (&p);
  p.max_candidates = 1;
  boxes = omni_ocr_db_decode (map, w, h, &p, &m);
  fail_unless_equals_int (boxes->len, 0);
  g_array_unref (boxes);
  /* text of low probability (0.5 > thresh, < box_thresh) */
  memset (map, 0, sizeof (gfloat) * w * h);
  fill (map, w, 5, 5, 30, 20, 0.5f);
  boxes = decode (map, w, h, 0.6);
  fail_unless_equals_int (boxes->len, 0);
  g_array_unref (boxes);
  boxes = decode (map, w, h, 0);
  fail_unless_equals_int (boxes->len, 1);
  g_array_unref (boxes);
  g_free (map);
}

GST_END_TEST;

GST_START_TEST (test_empty_and_1x1)
{
  gfloat *map = blank (20, 10), one = 0.9f, zero = 0.0f;
  guint8 bit = 1;
  GPtrArray *contours;
  GArray *boxes, *c;
  OmniOcrDbRect r;
  OmniOcrDbPoint pt = { 3, 4 };

  boxes = decode (map, 20, 10, 0.6);
  fail_unless_equals_int (boxes->len, 0);
  g_array_unref (boxes);

  contours = omni_ocr_db_find_contours (&bit, 1, 1);
  fail_unless_equals_int (contours->len, 1);
  c = g_ptr_array_index (contours, 0);
  fail_unless_equals_int (c->len, 1);
  fail_unless (g_array_index (c, OmniOcrDbPoint, 0).x == 0
               && g_array_index (c, OmniOcrDbPoint, 0).y == 0);
  g_ptr_array_unref (contours);
  boxes = decode (&one, 1, 1, 0.6);
  fail_unless_equals_int (boxes->len, 0);
  g_array_unref (boxes);
  boxes = decode (&zero, 1, 1, 0.6);
  fail_unless_equals_int (boxes->len, 0);
  g_array_unref (boxes);

  fail_unless (!omni_ocr_db_min_area_rect (&pt, 0, &r));
  fail_unless (omni_ocr_db_min_area_rect (&pt, 1, &r));
  fail_unless_equals_float (r.short_side, 0);
  fail_unless (r.p[2].x == 3 && r.p[2].y == 4);
  c = omni_ocr_db_unclip (r.p, 1.5);
  fail_unless_equals_int (c->len, 0);
  g_array_unref (c);
  g_free (map);
}

GST_END_TEST;

/* hull of a square's pixels with interior and edge points: its 4 corners */
GST_START_TEST (test_hull)
{
  OmniOcrDbPoint pts[25], hull[50];
  guint i, n;

  for (i = 0; i < 25; i++) {
    pts[i].x = i % 5;
    pts[i].y = i / 5;
  }
  n = omni_ocr_db_convex_hull (pts, 25, hull);
  fail_unless_equals_int (n, 4);
  for (i = 0; i < n; i++)
    fail_unless ((hull[i].x == 0 || hull[i].x == 4)
                 && (hull[i].y == 0 || hull[i].y == 4));
  n = omni_ocr_db_convex_hull (pts, 5, hull);
  fail_unless_equals_int (n, 2);
}

GST_END_TEST;

static Suite *
ocrdb_suite (void)
{
  Suite *s = suite_create ("ocrdb");
  TCase *tc = tcase_create ("db");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_defaults);
  tcase_add_test (tc, test_upright_block);
  tcase_add_test (tc, test_rotated_45);
  tcase_add_test (tc, test_rotated);
  tcase_add_test (tc, test_touching);
  tcase_add_test (tc, test_ring);
  tcase_add_test (tc, test_tiny);
  tcase_add_test (tc, test_empty_and_1x1);
  tcase_add_test (tc, test_hull);
  return s;
}

GST_CHECK_MAIN (ocrdb);
