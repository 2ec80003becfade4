/* gst-omni: omnifusion in reverse playback
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * 6 s of Vorbis audio in Matroska played backwards (a flushing seek at rate -1) through
 * omnirhythm into omnifusion with 1 s windows: every window reaches the
 * sink, the first one (running time [0, 1 s), media (5 s, 6 s]) included.
 * Its PTS used to be the segment's stop (6 s), so the sink clipped it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>

#define SECONDS 6

static void
on_handoff (GstElement *sink, GstBuffer *buf, GstPad *pad, gpointer user_data)
{
  GArray *pts = user_data;
  GstClockTime t = GST_BUFFER_PTS (buf);

  g_array_append_val (pts, t);
}

static gchar *
make_file (void)
{
  gchar *path
      = g_build_filename (g_get_tmp_dir (), "omni-fusion-reverse.mkv", NULL);
  gchar *desc = g_strdup_printf (
      "audiotestsrc wave=sine num-buffers=%d samplesperbuffer=4410 ! "
      "audio/x-raw,rate=44100,channels=1 ! audioconvert ! vorbisenc ! "
      "matroskamux ! filesink location=%s",
      SECONDS * 10, path);
  GstElement *p = gst_parse_launch (desc, NULL);
  GstMessage *m;

  fail_unless (p != NULL);
  gst_element_set_state (p, GST_STATE_PLAYING);
  m = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (p), 30 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (m && GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS);
  gst_message_unref (m);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
  g_free (desc);
  return path;
}

/* Plays the file at @rate; returns the PTS of the windows the sink got. */
static GArray *
play (const gchar *path, gdouble rate)
{
  gchar *desc = g_strdup_printf (
      "filesrc location=%s ! matroskademux ! vorbisdec ! audioconvert ! "
      "omnirhythm ! "
      "omnifusion name=f window=1000000000 ! fakesink name=k sync=false "
      "signal-handoffs=true",
      path);
  GstElement *p = gst_parse_launch (desc, NULL);
  GstElement *k = gst_bin_get_by_name (GST_BIN (p), "k");
  GArray *pts = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  GstMessage *m;

  g_signal_connect (k, "handoff", G_CALLBACK (on_handoff), pts);
  gst_element_set_state (p, GST_STATE_PAUSED);
  fail_unless (gst_element_get_state (p, NULL, NULL, 30 * GST_SECOND)
               == GST_STATE_CHANGE_SUCCESS);
  g_array_set_size (pts, 0);
  fail_unless (gst_element_seek (p, rate, GST_FORMAT_TIME,
      GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET, 0,
      GST_SEEK_TYPE_SET, SECONDS * GST_SECOND));
  gst_element_set_state (p, GST_STATE_PLAYING);
  m = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (p), 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (m && GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS);
  gst_message_unref (m);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (k);
  gst_object_unref (p);
  g_free (desc);
  return pts;
}

GST_START_TEST (test_reverse_windows_reach_the_sink)
{
  gchar *path = make_file ();
  GArray *fwd = play (path, 1.0), *rev = play (path, -1.0);
  guint i;

  fail_unless_equals_int (fwd->len, SECONDS);
  fail_unless_equals_int (rev->len, SECONDS);
  /* backwards: the windows' media from the end to the start, whole seconds */
  for (i = 0; i < rev->len; i++) {
    fail_unless_equals_uint64 (
        g_array_index (rev, GstClockTime, i), (SECONDS - 1 - i) * GST_SECOND);
  }
  g_array_unref (fwd);
  g_array_unref (rev);
  g_unlink (path);
  g_free (path);
}

GST_END_TEST;

static Suite *
fusion_reverse_suite (void)
{
  Suite *s = suite_create ("fusion_reverse");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_reverse_windows_reach_the_sink);
  return s;
}

GST_CHECK_MAIN (fusion_reverse);
