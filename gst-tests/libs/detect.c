/* gst-omni: unit tests for the detection decoders and NMS (tasks/omnidetect*)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <omni/tasks/omnidetectblazeface.h>
#include <omni/tasks/omnidetectcenternet.h>
#include <omni/tasks/omnidetectnanodet.h>
#include <omni/tasks/omnidetectnms.h>
#include <math.h>

#define EPS 1e-6

static OmniDetectBox
box (gfloat x1, gfloat y1, gfloat x2, gfloat y2, gfloat score, guint label)
{
  OmniDetectBox b = { x1, y1, x2, y2, score, label, 0, { { 0 } } };

  return b;
}

GST_START_TEST (test_iou)
{
  OmniDetectBox a = box (0, 0, 2, 2, 1, 0), b = box (1, 1, 3, 3, 1, 0);
  OmniDetectBox c = box (2, 0, 4, 2, 1, 0), d = box (3, 3, 1, 1, 1, 0);
  OmniDetectBox e = box (1, 1, 1, 3, 1, 0);

  /* 1 / (4 + 4 - 1) */
  fail_unless (fabs (omni_detect_box_iou (&a, &b) - 1.0 / 7.0) < EPS);
  fail_unless_equals_float (omni_detect_box_iou (&a, &a), 1.0);
  /* touching edges: no overlap */
  fail_unless_equals_float (omni_detect_box_iou (&a, &c), 0.0);
  /* edges in reverse order are the same box */
  fail_unless_equals_float (omni_detect_box_iou (&b, &d), 1.0);
  /* zero area overlaps nothing */
  fail_unless_equals_float (omni_detect_box_iou (&e, &b), 0.0);
}

GST_END_TEST;

GST_START_TEST (test_nms_survivors)
{
  OmniDetectBox b[6];
  guint n;

  /* two clusters of one class, one box of another class over cluster 1 */
  b[0] = box (0.10f, 0.10f, 0.50f, 0.50f, 0.80f, 1);
  b[1] = box (0.12f, 0.10f, 0.52f, 0.50f, 0.90f, 1); /* IoU with 0: 0.905 */
  b[2] = box (0.60f, 0.60f, 0.90f, 0.90f, 0.70f, 1);
  b[3] = box (0.11f, 0.11f, 0.51f, 0.51f, 0.85f, 2); /* other class */
  b[4] = box (0.60f, 0.60f, 0.90f, 0.90f, 0.15f, 1); /* under threshold */
  b[5] = box (0.30f, 0.10f, 0.70f, 0.50f, 0.60f, 1); /* IoU with 1: 0.379 */

  n = omni_detect_nms (b, 6, 0.5, 0.2, 100, TRUE);
  fail_unless_equals_int (n, 4);
  /* by decreasing score: 1, 3 (class 2 is not suppressed), 2, 5 */
  fail_unless_equals_float (b[0].score, 0.90f);
  fail_unless_equals_float (b[1].score, 0.85f);
  fail_unless_equals_int (b[1].label, 2);
  fail_unless_equals_float (b[2].score, 0.70f);
  fail_unless_equals_float (b[3].score, 0.60f);
}

GST_END_TEST;

GST_START_TEST (test_nms_modes)
{
  OmniDetectBox in[4], b[4];
  guint n;

  in[0] = box (0.10f, 0.10f, 0.50f, 0.50f, 0.90f, 0);
  in[1] = box (0.11f, 0.11f, 0.51f, 0.51f, 0.80f, 5);
  in[2] = box (0.30f, 0.10f, 0.70f, 0.50f, 0.70f, 0);
  in[3] = box (0.70f, 0.70f, 0.80f, 0.80f, 0.70f, 0);

  /* class-agnostic: 1 is suppressed by 0 */
  memcpy (b, in, sizeof (in));
  n = omni_detect_nms (b, 4, 0.5, 0.0, 100, FALSE);
  fail_unless_equals_int (n, 3);
  fail_unless_equals_int (b[1].label, 0);
  /* equal scores: the lower index first (box 2 before box 3) */
  fail_unless_equals_float (b[1].x1, 0.30f);
  fail_unless_equals_float (b[2].x1, 0.70f);

  /* IoU of 0 and 2 is 0.08 / 0.24 = 1/3: suppressed at 0.3, not 0.34 */
  memcpy (b, in, sizeof (in));
  fail_unless_equals_int (omni_detect_nms (b, 4, 0.34, 0.0, 100, TRUE), 4);
  memcpy (b, in, sizeof (in));
  n = omni_detect_nms (b, 4, 0.3, 0.0, 100, TRUE);
  fail_unless_equals_int (n, 3);
  fail_unless_equals_float (b[2].x1, 0.70f);

  /* max-detections */
  memcpy (b, in, sizeof (in));
  fail_unless_equals_int (omni_detect_nms (b, 4, 0.5, 0.0, 2, TRUE), 2);
  fail_unless_equals_float (b[1].score, 0.80f);
  memcpy (b, in, sizeof (in));
  fail_unless_equals_int (omni_detect_nms (b, 4, 0.5, 0.0, 0, TRUE), 0);
  /* score threshold is strict; nothing in, nothing out */
  memcpy (b, in, sizeof (in));
  fail_unless_equals_int (omni_detect_nms (b, 4, 0.5, 0.95, 10, TRUE), 0);
  fail_unless_equals_int (omni_detect_nms (NULL, 0, 0.5, 0.0, 10, TRUE), 0);
}

GST_END_TEST;

/* CenterNet on an 8x6 grid, 3 classes, stride 4 (input 32x24) */
GST_START_TEST (test_centernet)
{
  const guint gw = 8, gh = 6, nc = 3;
  OmniDetectCenterNetParams p = { gw, gh, nc, 32, 24, 100, 0.2 };
  gfloat *heat = g_new0 (gfloat, gw * gh * nc);
  gfloat *wh = g_new0 (gfloat, gw * gh * 4);
  OmniDetectBox out[100];
  guint n;

#define H(x, y, c) heat[((y) *gw + (x)) * nc + (c)]
#define WH(x, y, k) wh[((y) *gw + (x)) * 4 + (k)]
  /* class 1: a peak at (2, 3) 0.9 with a lower neighbour (not a peak) */
  H (2, 3, 1) = 0.9f;
  H (3, 3, 1) = 0.5f;
  /* class 0 at the same cell: its own peak */
  H (2, 3, 0) = 0.4f;
  /* class 2: a plateau of two equal values: both are peaks */
  H (6, 0, 2) = 0.6f;
  H (7, 0, 2) = 0.6f;
  /* corner peak; an under-threshold peak */
  H (7, 5, 0) = 0.7f;
  H (0, 0, 0) = 0.15f;
  WH (2, 3, 0) = 3;
  WH (2, 3, 1) = 2;
  WH (2, 3, 2) = 5;
  WH (2, 3, 3) = 6;
  WH (7, 5, 0) = 1;
  WH (7, 5, 1) = 1;
  WH (7, 5, 2) = 2;
  WH (7, 5, 3) = 2;

  n = omni_detect_centernet_decode (&p, heat, wh, out);
  fail_unless_equals_int (n, 5);
  /* 0.9 (2,3,c1), 0.7 (7,5,c0), 0.6 (6,0,c2), 0.6 (7,0,c2), 0.4 (2,3,c0) */
  fail_unless_equals_float (out[0].score, 0.9f);
  fail_unless_equals_int (out[0].label, 1);
  /* x = 2 * 4 = 8, y = 3 * 4 = 12: (8-3, 12-2, 8+5, 12+6) / (32, 24) */
  fail_unless (fabs (out[0].x1 - 5.0 / 32) < EPS);
  fail_unless (fabs (out[0].y1 - 10.0 / 24) < EPS);
  fail_unless (fabs (out[0].x2 - 13.0 / 32) < EPS);
  fail_unless (fabs (out[0].y2 - 18.0 / 24) < EPS);
  fail_unless_equals_int (out[1].label, 0);
  fail_unless (fabs (out[1].x1 - 27.0 / 32) < EPS);
  fail_unless (fabs (out[1].y2 - 22.0 / 24) < EPS);
  /* equal scores: lower flat index first */
  fail_unless_equals_int (out[2].label, 2);
  fail_unless (fabs (out[2].x1 - 24.0 / 32) < EPS);
  fail_unless (fabs (out[3].x1 - 28.0 / 32) < EPS);
  fail_unless_equals_float (out[4].score, 0.4f);
  fail_unless_equals_int (out[4].label, 0);

  /* top-K */
  p.top_k = 2;
  fail_unless_equals_int (omni_detect_centernet_decode (&p, heat, wh, out), 2);
  fail_unless_equals_float (out[1].score, 0.7f);
  /* nothing above the threshold */
  p.threshold = 0.95;
  fail_unless_equals_int (omni_detect_centernet_decode (&p, heat, wh, out), 0);
#undef H
#undef WH
  g_free (heat);
  g_free (wh);
}

GST_END_TEST;

GST_START_TEST (test_blazeface_anchors)
{
  guint n = omni_detect_blazeface_n_anchors (256);
  gfloat *a;

  fail_unless_equals_int (n, 896);
  a = g_new (gfloat, 2 * n);
  omni_detect_blazeface_anchors (256, a);
  /* stride 16, 2 per cell: first two at (8, 8), then (24, 8) */
  fail_unless_equals_float (a[0], 8.0f);
  fail_unless_equals_float (a[1], 8.0f);
  fail_unless_equals_float (a[2], 8.0f);
  fail_unless_equals_float (a[4], 24.0f);
  /* last of the stride-16 grid: cell (15, 15) */
  fail_unless_equals_float (a[2 * 511], 248.0f);
  fail_unless_equals_float (a[2 * 511 + 1], 248.0f);
  /* stride 32, 6 per cell, from anchor 512 */
  fail_unless_equals_float (a[2 * 512], 16.0f);
  fail_unless_equals_float (a[2 * 517], 16.0f);
  fail_unless_equals_float (a[2 * 518], 48.0f);
  fail_unless_equals_float (a[2 * 895], 240.0f);
  fail_unless_equals_float (a[2 * 895 + 1], 240.0f);
  g_free (a);
  /* the grids are 16x16 and 8x8 whatever the input size */
  fail_unless_equals_int (omni_detect_blazeface_n_anchors (128), 896);
}

GST_END_TEST;

GST_START_TEST (test_blazeface_decode)
{
  guint na = omni_detect_blazeface_n_anchors (256), k, n;
  gfloat *logits = g_new (gfloat, na), *reg = g_new0 (gfloat, na * 16);
  OmniDetectBox *out = g_new (OmniDetectBox, na);

  for (k = 0; k < na; k++)
    logits[k] = -10.0f;
  /* anchor 513 (stride 32, cell (0, 0), centre (16, 16)) */
  logits[513] = 2.0f;
  reg[513 * 16 + 0] = 4.0f; /* centre (20, 14) */
  reg[513 * 16 + 1] = -2.0f;
  reg[513 * 16 + 2] = 20.0f; /* size 20 x 30 */
  reg[513 * 16 + 3] = 30.0f;
  for (k = 0; k < 6; k++) {
    reg[513 * 16 + 4 + 2 * k] = k;
    reg[513 * 16 + 5 + 2 * k] = -1.0f * k;
  }
  /* anchor 3 (stride 16, cell (1, 0), centre (24, 8)): just under 0.5 */
  logits[3] = -0.01f;

  n = omni_detect_blazeface_decode (logits, reg, 256, 0.5, out);
  fail_unless_equals_int (n, 1);
  fail_unless (fabs (out[0].score - 1.0 / (1.0 + exp (-2.0))) < 1e-6);
  fail_unless (fabs (out[0].x1 - 10.0 / 256) < EPS);
  fail_unless (fabs (out[0].y1 - (-1.0 / 256)) < EPS);
  fail_unless (fabs (out[0].x2 - 30.0 / 256) < EPS);
  fail_unless (fabs (out[0].y2 - 29.0 / 256) < EPS);
  fail_unless_equals_int (out[0].label, 0);
  fail_unless_equals_int (out[0].n_keypoints, 6);
  fail_unless (fabs (out[0].keypoints[5][0] - 21.0 / 256) < EPS);
  fail_unless (fabs (out[0].keypoints[5][1] - 11.0 / 256) < EPS);

  n = omni_detect_blazeface_decode (logits, reg, 256, 0.4, out);
  fail_unless_equals_int (n, 2);
  /* anchor order */
  fail_unless (fabs (out[0].x1 - 24.0 / 256) < EPS);
  g_free (logits);
  g_free (reg);
  g_free (out);
}

GST_END_TEST;

GST_START_TEST (test_nanodet_distance)
{
  gfloat one_hot[8] = { -50, -50, -50, 50, -50, -50, -50, -50 };
  gfloat flat[8] = { 0 };
  gfloat two[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };

  fail_unless (fabs (omni_detect_nanodet_distance (one_hot, 8) - 3.0) < EPS);
  /* uniform: the mean of 0..7 */
  fail_unless (fabs (omni_detect_nanodet_distance (flat, 8) - 3.5) < EPS);
  /* bins 2 and 5 equally likely: 3.5 */
  two[2] = two[5] = 30.0f;
  fail_unless (fabs (omni_detect_nanodet_distance (two, 8) - 3.5) < 1e-5);
  /* softmax weights e^1 : e^0 on bins 1 and 0: 1 * e / (e + 1 + 6e^-40) */
  {
    gfloat l[8] = { 0, 1, -40, -40, -40, -40, -40, -40 };

    fail_unless (fabs (omni_detect_nanodet_distance (l, 8)
                       - exp (1.0) / (exp (1.0) + 1.0))
                 < 1e-5);
  }
}

GST_END_TEST;

/* two levels of a 64x64 input: stride 16 (4x4 cells), stride 32 (2x2), 2
 * classes, reg_max 3 (4 bins) */
GST_START_TEST (test_nanodet_decode)
{
  gfloat s16[16 * 2] = { 0 }, s32[4 * 2] = { 0 };
  gfloat d16[16 * 4 * 4], d32[4 * 4 * 4];
  OmniDetectNanoDetLevel lv[2] = {
    { 16, 4, 4, s16, d16 },
    { 32, 2, 2, s32, d32 },
  };
  OmniDetectBox out[8];
  guint i, n;

  for (i = 0; i < G_N_ELEMENTS (d16); i++)
    d16[i] = (i % 4) == 1 ? 60.0f : 0.0f; /* every edge 1 bin */
  for (i = 0; i < G_N_ELEMENTS (d32); i++)
    d32[i] = (i % 4) == 2 ? 60.0f : 0.0f; /* every edge 2 bins */
  /* stride 16, cell (1, 2), centre (24, 40): class 1 at 0.8 */
  s16[(2 * 4 + 1) * 2 + 1] = 0.8f;
  /* stride 32, cell (1, 1), centre (48, 48): both classes */
  s32[3 * 2 + 0] = 0.6f;
  s32[3 * 2 + 1] = 0.3f;
  /* left edge of that cell spread on bins 0 and 1: 0.5 bins */
  d32[3 * 16 + 0 * 4 + 2] = 0.0f;
  d32[3 * 16 + 0 * 4 + 0] = 60.0f;
  d32[3 * 16 + 0 * 4 + 1] = 60.0f;

  n = omni_detect_nanodet_decode (lv, 2, 2, 3, 64, 64, 0.25, out, 8);
  fail_unless_equals_int (n, 3);
  /* (24 - 16, 40 - 16, 24 + 16, 40 + 16) / 64 */
  fail_unless_equals_int (out[0].label, 1);
  fail_unless_equals_float (out[0].score, 0.8f);
  fail_unless (fabs (out[0].x1 - 8.0 / 64) < 1e-5);
  fail_unless (fabs (out[0].y1 - 24.0 / 64) < 1e-5);
  fail_unless (fabs (out[0].x2 - 40.0 / 64) < 1e-5);
  fail_unless (fabs (out[0].y2 - 56.0 / 64) < 1e-5);
  /* (48 - 16, 48 - 64, 48 + 64, 48 + 64) / 64, clamped to 0..1 */
  fail_unless_equals_int (out[1].label, 0);
  fail_unless (fabs (out[1].x1 - 0.5) < 1e-5);
  fail_unless_equals_float (out[1].y1, 0.0f);
  fail_unless_equals_float (out[1].x2, 1.0f);
  fail_unless_equals_int (out[2].label, 1);
  fail_unless_equals_float (out[2].score, 0.3f);

  /* max_out bounds the writes; a threshold removes the rest */
  fail_unless_equals_int (
      omni_detect_nanodet_decode (lv, 2, 2, 3, 64, 64, 0.25, out, 2), 2);
  fail_unless_equals_int (
      omni_detect_nanodet_decode (lv, 2, 2, 3, 64, 64, 0.9, out, 8), 0);
}

GST_END_TEST;

static Suite *
detect_suite (void)
{
  Suite *s = suite_create ("omni-detect");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_iou);
  tcase_add_test (tc, test_nms_survivors);
  tcase_add_test (tc, test_nms_modes);
  tcase_add_test (tc, test_centernet);
  tcase_add_test (tc, test_blazeface_anchors);
  tcase_add_test (tc, test_blazeface_decode);
  tcase_add_test (tc, test_nanodet_distance);
  tcase_add_test (tc, test_nanodet_decode);
  return s;
}

GST_CHECK_MAIN (detect);
