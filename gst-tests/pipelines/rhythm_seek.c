/* gst-omni: omnirhythm in a real pipeline across seeks and state changes
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * audiotestsrc's "ticks" wave is a metronome: a 440 Hz tick every
 * tick-interval (here 500 ms, 120 BPM) from stream time 0. omnirhythm must
 * find the ticks and the 120 BPM beat in every segment played, with
 * running times that follow the segment (a flushing seek restarts running
 * time at 0), indices restarting after each flush, nothing left over from
 * before a seek, and a clean restart after READY.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <math.h>

typedef struct {
  guint64 ts[256], rt[256], index[256];
  guint n;
} Events;

typedef struct {
  Events onsets, beats;
  gdouble tempo;
} Run;

static void
collect_until_eos (GstElement *pipe, Run *run)
{
  GstBus *bus = gst_element_get_bus (pipe);
  gboolean done = FALSE;

  memset (run, 0, sizeof (Run));
  while (!done) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);
    const GstStructure *s;
    Events *e = NULL;

    fail_unless (msg != NULL, "timeout");
    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR);
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
      done = TRUE;
    } else {
      s = gst_message_get_structure (msg);
      if (gst_structure_has_name (s, "omnirhythm-onset"))
        e = &run->onsets;
      else if (gst_structure_has_name (s, "omnirhythm-beat"))
        e = &run->beats;
      else if (gst_structure_has_name (s, "omnirhythm"))
        gst_structure_get_double (s, "tempo", &run->tempo);
      if (e && e->n < 256) {
        fail_unless (gst_structure_get_uint64 (s, "timestamp", &e->ts[e->n]));
        fail_unless (
            gst_structure_get_uint64 (s, "running-time", &e->rt[e->n]));
        fail_unless (gst_structure_get_uint64 (s, "index", &e->index[e->n]));
        e->n++;
      }
    }
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
}

/* every event of @run lies in [start, stop), on a tick (0.5 s grid), with
 * running time ts - start, indices from 0 */
static void
check_segment (const Run *run, gdouble start, gdouble stop)
{
  const Events *sets[2] = { &run->onsets, &run->beats };
  guint k, i;

  fail_unless (run->onsets.n >= (guint) ((stop - start) * 2.0) - 2,
      "%u onsets in [%g, %g)", run->onsets.n, start, stop);
  fail_unless (run->beats.n >= (guint) ((stop - start - 3.0) * 2.0),
      "%u beats in [%g, %g)", run->beats.n, start, stop);
  fail_unless (run->beats.ts[0] / 1e9 <= start + 3.0, "first beat at %g s",
      run->beats.ts[0] / 1e9);
  for (k = 0; k < 2; k++) {
    for (i = 0; i < sets[k]->n; i++) {
      gdouble t = sets[k]->ts[i] / 1e9;
      fail_unless (t >= start && t < stop, "event at %g s outside [%g, %g)", t,
          start, stop);
      fail_unless (fabs (t - 0.5 * round (t / 0.5)) < 0.02,
          "event at %g s is not on a tick", t);
      fail_unless_equals_uint64 (
          sets[k]->rt[i], sets[k]->ts[i] - (guint64) (start * GST_SECOND));
      fail_unless_equals_uint64 (sets[k]->index[i], i);
    }
  }
  fail_unless (fabs (run->tempo - 120.0) < 1.5, "tempo %g", run->tempo);
}

static void
seek_and_play (GstElement *pipe, gdouble start, gdouble stop)
{
  fail_unless (gst_element_set_state (pipe, GST_STATE_PAUSED)
               != GST_STATE_CHANGE_FAILURE);
  fail_unless (gst_element_get_state (pipe, NULL, NULL, GST_CLOCK_TIME_NONE)
               == GST_STATE_CHANGE_SUCCESS);
  fail_unless (gst_element_seek (pipe, 1.0, GST_FORMAT_TIME,
      GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET,
      (gint64) (start * GST_SECOND), GST_SEEK_TYPE_SET,
      (gint64) (stop * GST_SECOND)));
  fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
}

GST_START_TEST (test_seeks)
{
  GstElement *pipe = gst_parse_launch (
      "audiotestsrc wave=ticks tick-interval=500000000 samplesperbuffer=441 "
      "! audio/x-raw,format=F32LE,rate=44100,channels=2 ! "
      "omnirhythm name=r interval=500000000 ! fakesink sync=false",
      NULL);
  GstElement *r;
  GstStructure *stats;
  guint64 restarts;
  Run run;

  fail_unless (pipe != NULL);
  r = gst_bin_get_by_name (GST_BIN (pipe), "r");

  seek_and_play (pipe, 0.0, 8.0);
  collect_until_eos (pipe, &run);
  check_segment (&run, 0.0, 8.0);

  /* flushing seek forward: nothing from before, running time from 0 */
  seek_and_play (pipe, 30.0, 38.0);
  collect_until_eos (pipe, &run);
  check_segment (&run, 30.0, 38.0);

  /* and backward */
  seek_and_play (pipe, 12.25, 20.0);
  collect_until_eos (pipe, &run);
  check_segment (&run, 12.25, 20.0);

  /* through READY: a fresh start */
  fail_unless (gst_element_set_state (pipe, GST_STATE_READY)
               == GST_STATE_CHANGE_SUCCESS);
  seek_and_play (pipe, 5.0, 12.0);
  collect_until_eos (pipe, &run);
  check_segment (&run, 5.0, 12.0);
  g_object_get (r, "stats", &stats, NULL);
  fail_unless (gst_structure_get_uint64 (stats, "restarts", &restarts));
  /* the start after READY and the seek right after it */
  fail_unless (restarts >= 1 && restarts <= 2, "%" G_GUINT64_FORMAT, restarts);
  gst_structure_free (stats);

  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (r);
  gst_object_unref (pipe);
}

GST_END_TEST;

static Suite *
rhythm_seek_suite (void)
{
  Suite *s = suite_create ("rhythm_seek");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_seeks);
  return s;
}

GST_CHECK_MAIN (rhythm_seek);
