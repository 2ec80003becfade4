/* gst-omni: unit tests for the IoU tracker (tasks/omniioutracker)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <omni/tasks/omniioutracker.h>

#define MAX_OBJ 4

/* One synthetic object: a 0.1 x 0.2 box moving at constant speed, visible
 * except in the frames [hide_from, hide_to). */
typedef struct {
  gfloat x0, y0, vx, vy;
  guint label;
  gint hide_from, hide_to;
} Object;

/* Per ground-truth object: the track ids it got, frame by frame (0 while
 * hidden), and the CLEAR-MOT style counts derived from them. */
typedef struct {
  guint ids[64];
  guint id_switches;    /* a different id than the previous visible frame */
  guint fragmentations; /* a different id after a gap in visibility */
  guint distinct;
} Trace;

static OmniDetectBox
object_box (const Object *o, guint f)
{
  OmniDetectBox b = { 0 };

  b.x1 = o->x0 + o->vx * f;
  b.y1 = o->y0 + o->vy * f;
  b.x2 = b.x1 + 0.1f;
  b.y2 = b.y1 + 0.2f;
  b.score = 0.9f;
  b.label = o->label;
  return b;
}

static void
run (const Object *objs, guint n_objs, guint n_frames, guint max_misses,
    Trace *traces)
{
  OmniIouTracker *t = omni_iou_tracker_new (0.3, max_misses);
  guint f, i;

  memset (traces, 0, sizeof (Trace) * n_objs);
  for (f = 0; f < n_frames; f++) {
    OmniDetectBox boxes[MAX_OBJ];
    guint which[MAX_OBJ], ids[MAX_OBJ], n = 0;

    for (i = 0; i < n_objs; i++) {
      if ((gint) f >= objs[i].hide_from && (gint) f < objs[i].hide_to)
        continue;
      /* detections in a varying order: the tracker must not care */
      boxes[n] = object_box (&objs[i], f);
      which[n++] = i;
    }
    if (f % 2) {
      for (i = 0; i < n / 2; i++) {
        OmniDetectBox tb = boxes[i];
        guint tw = which[i];

        boxes[i] = boxes[n - 1 - i];
        which[i] = which[n - 1 - i];
        boxes[n - 1 - i] = tb;
        which[n - 1 - i] = tw;
      }
    }
    omni_iou_tracker_update (t, boxes, n, ids);
    for (i = 0; i < n; i++)
      traces[which[i]].ids[f] = ids[i];
  }
  omni_iou_tracker_free (t);

  for (i = 0; i < n_objs; i++) {
    guint last = 0, seen[64], n_seen = 0, k;
    gboolean gap = FALSE;

    for (f = 0; f < n_frames; f++) {
      guint id = traces[i].ids[f];
      gboolean known = FALSE;

      if (!id) {
        gap = last != 0;
        continue;
      }
      if (last && id != last) {
        traces[i].id_switches++;
        if (gap)
          traces[i].fragmentations++;
      }
      for (k = 0; k < n_seen; k++)
        known |= seen[k] == id;
      if (!known)
        seen[n_seen++] = id;
      last = id;
      gap = FALSE;
    }
    traces[i].distinct = n_seen;
  }
}

/* two people crossing (one passes in front of the other), a car on the
 * same path as one of them: ids hold through the crossing, per class */
GST_START_TEST (test_crossing)
{
  const Object objs[3] = {
    { 0.05f, 0.40f, 0.02f, 0.0f, 0, 100, 100 },
    { 0.85f, 0.42f, -0.02f, 0.0f, 0, 100, 100 },
    { 0.05f, 0.41f, 0.02f, 0.0f, 2, 100, 100 },
  };
  Trace tr[3];
  guint i;

  run (objs, 3, 40, 3, tr);
  for (i = 0; i < 3; i++) {
    fail_unless_equals_int (tr[i].id_switches, 0);
    fail_unless_equals_int (tr[i].fragmentations, 0);
    fail_unless_equals_int (tr[i].distinct, 1);
  }
  /* ids from 1, in the order the tracks were born (first frame: in order) */
  fail_unless_equals_int (tr[0].ids[0], 1);
  fail_unless_equals_int (tr[1].ids[0], 2);
  fail_unless_equals_int (tr[2].ids[0], 3);
  /* the people meet at frame 20: both visible with their own ids */
  fail_unless_equals_int (tr[0].ids[20], 1);
  fail_unless_equals_int (tr[1].ids[20], 2);
  fail_unless_equals_int (tr[2].ids[39], 3);
}

GST_END_TEST;

/* occlusions: 2 frames (within max-misses 3) keep the id; 6 frames (past
 * it) give a new id, counted as one fragmentation; a new object gets the
 * next id */
GST_START_TEST (test_occlusion)
{
  const Object objs[3] = {
    { 0.10f, 0.10f, 0.01f, 0.005f, 0, 10, 12 },
    { 0.60f, 0.60f, -0.005f, 0.0f, 15, 5, 11 },
    { 0.30f, 0.70f, 0.0f, -0.01f, 15, -1, 8 }, /* appears at frame 8 */
  };
  Trace tr[3];

  run (objs, 3, 30, 3, tr);
  fail_unless_equals_int (tr[0].id_switches, 0);
  fail_unless_equals_int (tr[0].fragmentations, 0);
  fail_unless_equals_int (tr[0].ids[9], 1);
  fail_unless_equals_int (tr[0].ids[10], 0);
  fail_unless_equals_int (tr[0].ids[12], 1);
  fail_unless_equals_int (tr[1].id_switches, 1);
  fail_unless_equals_int (tr[1].fragmentations, 1);
  fail_unless_equals_int (tr[1].distinct, 2);
  fail_unless_equals_int (tr[1].ids[4], 2);
  /* ids 1, 2 at frame 0; id 3 for the object born at frame 8; id 4 for
   * the one lost at frame 5 and seen again at 11 */
  fail_unless_equals_int (tr[2].ids[8], 3);
  fail_unless_equals_int (tr[1].ids[11], 4);
  fail_unless_equals_int (tr[1].ids[29], 4);

  /* with max-misses 6 the long occlusion keeps its id too */
  run (objs, 3, 30, 6, tr);
  fail_unless_equals_int (tr[1].id_switches, 0);
  fail_unless_equals_int (tr[1].distinct, 1);
  fail_unless_equals_int (tr[2].ids[8], 3);
}

GST_END_TEST;

/* a fast object (no overlap between frames) is a new track each frame; the
 * lost tracks go after their misses; reset drops the tracks, ids go on */
GST_START_TEST (test_fast_and_reset)
{
  const Object objs[1] = { { 0.0f, 0.0f, 0.15f, 0.0f, 0, 100, 100 } };
  OmniIouTracker *t;
  OmniDetectBox b;
  guint id, f;
  Trace tr[1];

  run (objs, 1, 5, 2, tr);
  fail_unless_equals_int (tr[0].id_switches, 4);
  fail_unless_equals_int (tr[0].fragmentations, 0);
  fail_unless_equals_int (tr[0].ids[4], 5);

  t = omni_iou_tracker_new (0.5, 2);
  for (f = 0; f < 5; f++) {
    b = object_box (&objs[0], f);
    omni_iou_tracker_update (t, &b, 1, &id);
    fail_unless_equals_int (id, f + 1);
  }
  /* alive: frames 2, 3, 4 (frame 2 has missed twice, frame 1 three times) */
  fail_unless_equals_int (omni_iou_tracker_get_n_tracks (t), 3);
  omni_iou_tracker_update (t, NULL, 0, NULL);
  omni_iou_tracker_update (t, NULL, 0, NULL);
  fail_unless_equals_int (omni_iou_tracker_get_n_tracks (t), 1);
  omni_iou_tracker_update (t, NULL, 0, NULL);
  fail_unless_equals_int (omni_iou_tracker_get_n_tracks (t), 0);
  b = object_box (&objs[0], 0);
  omni_iou_tracker_update (t, &b, 1, &id);
  omni_iou_tracker_reset (t);
  fail_unless_equals_int (omni_iou_tracker_get_n_tracks (t), 0);
  omni_iou_tracker_update (t, &b, 1, &id);
  fail_unless_equals_int (id, 7);
  omni_iou_tracker_free (t);
}

GST_END_TEST;

static Suite *
ioutracker_suite (void)
{
  Suite *s = suite_create ("omni-ioutracker");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_crossing);
  tcase_add_test (tc, test_occlusion);
  tcase_add_test (tc, test_fast_and_reset);
  return s;
}

GST_CHECK_MAIN (ioutracker);
