/* gst-omni: omnicensor behind a real omnifusion
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A transcript says "darn" in [1.0, 1.5) s; a policy flags the word; the
 * flagged segment omnifusion reports (trigger: text) is muted in the
 * censored audio and nothing else changes: every frame and every audio
 * buffer leaves with its timestamps, the video and the audio outside the
 * segment byte-equal to the uncensored branches of the same tees.
 */
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <string.h>

#define PIPELINE                                                               \
  "omnifusion name=f window=500000000 enter-frames=1 exit-frames=1 "           \
  "policy=%s ! application/x-omni-events ! tee name=ev "                       \
  "ev. ! queue ! appsink name=events sync=false wait-on-eos=false "            \
  "ev. ! queue ! c.verdict_sink "                                              \
  "omnicensor name=c delay=2000000000 fade-ms=5 "                              \
  "videotestsrc num-buffers=75 pattern=ball "                                  \
  " ! video/x-raw,format=I420,width=161,height=121,framerate=25/1 "            \
  " ! tee name=vt "                                                            \
  "vt. ! queue ! f.video "                                                     \
  "vt. ! queue max-size-time=0 max-size-bytes=0 max-size-buffers=0 "           \
  " ! c.video_sink c.video_src ! appsink name=vout sync=false "                \
  "wait-on-eos=false "                                                         \
  "vt. ! queue ! appsink name=vref sync=false wait-on-eos=false "              \
  "audiotestsrc num-buffers=150 samplesperbuffer=960 volume=0.5 "              \
  " ! audio/x-raw,format=S16LE,rate=48000,channels=1 ! tee name=at "           \
  "at. ! queue ! f.audio "                                                     \
  "at. ! queue max-size-time=0 max-size-bytes=0 max-size-buffers=0 "           \
  " ! c.audio_sink c.audio_src ! appsink name=aout sync=false "                \
  "wait-on-eos=false "                                                         \
  "at. ! queue ! appsink name=aref sync=false wait-on-eos=false "              \
  "appsrc name=text format=time caps=text/x-raw,format=utf8 ! f.sink_0 "

static void
push_text (GstAppSrc *src, const gchar *text, gdouble start_s, gdouble dur_s)
{
  GstBuffer *buf = gst_buffer_new_memdup (text, strlen (text));

  GST_BUFFER_PTS (buf) = (GstClockTime) (start_s * GST_SECOND);
  GST_BUFFER_DURATION (buf) = (GstClockTime) (dur_s * GST_SECOND);
  fail_unless_equals_int (gst_app_src_push_buffer (src, buf), GST_FLOW_OK);
}

static GPtrArray *
pull_all (GstElement *pipeline, const gchar *name)
{
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), name);
  GPtrArray *bufs
      = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
  GstSample *s;

  while ((s = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 0))) {
    g_ptr_array_add (bufs, gst_buffer_ref (gst_sample_get_buffer (s)));
    gst_sample_unref (s);
  }
  gst_object_unref (sink);
  return bufs;
}

/* The flagged segment of the events (the "closed" one). */
static void
find_segment (GPtrArray *events, gint64 *start, gint64 *end, gchar **source)
{
  JsonParser *parser = json_parser_new ();
  guint i;

  *start = *end = -1;
  for (i = 0; i < events->len; i++) {
    GstMapInfo map;
    gchar **lines, **l;
    gst_buffer_map (events->pdata[i], &map, GST_MAP_READ);
    lines = g_strsplit ((const gchar *) map.data, "\n", -1);
    gst_buffer_unmap (events->pdata[i], &map);
    for (l = lines; *l; l++) {
      JsonObject *o;
      if (**l == '\0' || !json_parser_load_from_data (parser, *l, -1, NULL))
        continue;
      o = json_node_get_object (json_parser_get_root (parser));
      if (g_strcmp0 (json_object_get_string_member (o, "type"), "segment") == 0
          && g_strcmp0 (json_object_get_string_member (o, "event"), "closed")
                 == 0) {
        *start = json_object_get_int_member (o, "start");
        *end = json_object_get_int_member (o, "end");
        *source = g_strdup (json_object_get_string_member (
            json_object_get_object_member (o, "trigger"), "source"));
      }
    }
    g_strfreev (lines);
  }
  g_object_unref (parser);
}

static gboolean
same_bytes (GstBuffer *a, GstBuffer *b)
{
  GstMapInfo ma, mb;
  gboolean same;

  gst_buffer_map (a, &ma, GST_MAP_READ);
  gst_buffer_map (b, &mb, GST_MAP_READ);
  same = ma.size == mb.size && memcmp (ma.data, mb.data, ma.size) == 0;
  gst_buffer_unmap (a, &ma);
  gst_buffer_unmap (b, &mb);
  return same;
}

static void
check_video (GPtrArray *out, GPtrArray *ref)
{
  guint i;

  fail_unless_equals_int (out->len, 75);
  fail_unless_equals_int (ref->len, 75);
  for (i = 0; i < out->len; i++) {
    fail_unless_equals_uint64 (GST_BUFFER_PTS (GST_BUFFER (out->pdata[i])),
        GST_BUFFER_PTS (GST_BUFFER (ref->pdata[i])));
    fail_unless (same_bytes (out->pdata[i], ref->pdata[i]),
        "frame %u changed by a text-triggered segment", i);
  }
}

/* Sample by sample: zero inside the segment (but for the fades), equal
 * outside. */
static void
check_audio (GPtrArray *out, GPtrArray *ref, gint64 start, gint64 end)
{
  gsize s0 = gst_util_uint64_scale_round (start, 48000, GST_SECOND);
  gsize s1 = gst_util_uint64_scale_round (end, 48000, GST_SECOND);
  gsize fade = 240, pos = 0, zeros = 0;
  guint i, j;

  fail_unless_equals_int (out->len, 150);
  fail_unless_equals_int (ref->len, 150);
  for (i = 0; i < out->len; i++) {
    GstMapInfo mo, mr;
    fail_unless_equals_uint64 (GST_BUFFER_PTS (GST_BUFFER (out->pdata[i])),
        GST_BUFFER_PTS (GST_BUFFER (ref->pdata[i])));
    gst_buffer_map (out->pdata[i], &mo, GST_MAP_READ);
    gst_buffer_map (ref->pdata[i], &mr, GST_MAP_READ);
    for (j = 0; j < mo.size / 2; j++, pos++) {
      gint16 o = ((gint16 *) mo.data)[j], r = ((gint16 *) mr.data)[j];
      if (pos < s0 || pos >= s1)
        fail_unless (o == r, "sample %zu outside the segment changed", pos);
      else if (pos >= s0 + fade && pos < s1 - fade) {
        fail_unless (o == 0, "sample %zu inside the segment is %d", pos, o);
        zeros++;
      }
    }
    gst_buffer_unmap (out->pdata[i], &mo);
    gst_buffer_unmap (ref->pdata[i], &mr);
  }
  fail_unless (zeros > 0);
}

GST_START_TEST (test_text_flag_mutes_audio)
{
  gchar *policy = g_build_filename (g_get_tmp_dir (), "censor-XXXXXX", NULL);
  gint fd = g_mkstemp (policy);
  const gchar *conf = "[text]\nlabel = profanity\nwords = darn\nweight = 0.9\n";
  gchar *desc, *source = NULL;
  GstElement *pipeline, *text;
  GstMessage *msg;
  GPtrArray *events, *vout, *vref, *aout, *aref;
  gint64 start, end;

  fail_unless (
      fd >= 0 && write (fd, conf, strlen (conf)) == (gssize) strlen (conf));
  close (fd);
  desc = g_strdup_printf (PIPELINE, policy);
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL);
  text = gst_bin_get_by_name (GST_BIN (pipeline), "text");
  push_text (GST_APP_SRC (text), "hello there", 0.0, 1.0);
  push_text (GST_APP_SRC (text), "oh darn it", 1.0, 0.5);
  push_text (GST_APP_SRC (text), "all fine now", 1.5, 1.5);
  gst_app_src_end_of_stream (GST_APP_SRC (text));
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipeline), 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);

  events = pull_all (pipeline, "events");
  find_segment (events, &start, &end, &source);
  fail_unless_equals_int64 (start, GST_SECOND);
  fail_unless (end > start && end <= 3 * GST_SECOND);
  fail_unless_equals_string (source, "text");
  vout = pull_all (pipeline, "vout");
  vref = pull_all (pipeline, "vref");
  aout = pull_all (pipeline, "aout");
  aref = pull_all (pipeline, "aref");
  check_video (vout, vref);
  check_audio (aout, aref, start, end);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_ptr_array_unref (events);
  g_ptr_array_unref (vout);
  g_ptr_array_unref (vref);
  g_ptr_array_unref (aout);
  g_ptr_array_unref (aref);
  gst_object_unref (text);
  gst_object_unref (pipeline);
  g_unlink (policy);
  g_free (policy);
  g_free (desc);
  g_free (source);
}

GST_END_TEST;

#define LIVE_PIPELINE                                                          \
  "omnifusion name=f window=500000000 latency=200000000 "                      \
  " ! application/x-omni-events ! c.verdict_sink "                             \
  "omnicensor name=c delay=2000000000 "                                        \
  "videotestsrc is-live=true num-buffers=50 pattern=ball "                     \
  " ! video/x-raw,format=I420,width=320,height=240,framerate=25/1 "            \
  " ! tee name=vt "                                                            \
  "vt. ! queue name=slow ! f.video "                                           \
  "vt. ! queue max-size-time=0 max-size-bytes=0 max-size-buffers=0 "           \
  " ! c.video_sink c.video_src "                                               \
  " ! fakesink name=vsink sync=true qos=true max-lateness=100000000 "          \
  "audiotestsrc is-live=true num-buffers=100 samplesperbuffer=480 "            \
  " ! audio/x-raw,format=S16LE,rate=24000,channels=2 ! tee name=at "           \
  "at. ! queue ! f.audio "                                                     \
  "at. ! queue max-size-time=0 max-size-bytes=0 max-size-buffers=0 "           \
  " ! c.audio_sink c.audio_src "                                               \
  " ! fakesink name=asink sync=true qos=true max-lateness=100000000 "

/* The analysis stalls for 0.8 s once (frame 10 of its branch): verdicts
 * come late, but within the delay. */
static GstPadProbeReturn
stall_once (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  gint *n = user_data;

  if ((*n)++ == 10)
    g_usleep (800 * 1000);
  return GST_PAD_PROBE_OK;
}

static guint64
sink_stat (GstElement *pipeline, const gchar *name, const gchar *field)
{
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), name);
  GstStructure *s;
  guint64 v = G_MAXUINT64;

  g_object_get (sink, "stats", &s, NULL);
  gst_structure_get_uint64 (s, field, &v);
  gst_structure_free (s);
  gst_object_unref (sink);
  return v;
}

/* Live, with the analysis slower than real time for a moment: the
 * censored output plays at the pace of the clock, nothing dropped for
 * lateness, every frame and audio buffer rendered. */
GST_START_TEST (test_live_smooth_with_slow_analysis)
{
  GstElement *pipeline = gst_parse_launch (LIVE_PIPELINE, NULL);
  GstElement *slow, *censor;
  GstPad *pad;
  GstMessage *msg;
  GstStructure *s;
  guint64 unjudged = 0, late = 0;
  gint n = 0;

  fail_unless (pipeline != NULL);
  slow = gst_bin_get_by_name (GST_BIN (pipeline), "slow");
  pad = gst_element_get_static_pad (slow, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, stall_once, &n, NULL);
  gst_object_unref (pad);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipeline), 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  fail_unless_equals_uint64 (sink_stat (pipeline, "vsink", "rendered"), 50);
  fail_unless_equals_uint64 (sink_stat (pipeline, "vsink", "dropped"), 0);
  fail_unless_equals_uint64 (sink_stat (pipeline, "asink", "rendered"), 100);
  fail_unless_equals_uint64 (sink_stat (pipeline, "asink", "dropped"), 0);
  censor = gst_bin_get_by_name (GST_BIN (pipeline), "c");
  g_object_get (censor, "stats", &s, NULL);
  gst_structure_get_uint64 (s, "released-unjudged", &unjudged);
  gst_structure_get_uint64 (s, "late-verdicts", &late);
  GST_INFO ("released unjudged %" G_GUINT64_FORMAT ", late %" G_GUINT64_FORMAT,
      unjudged, late);
  gst_structure_free (s);
  fail_unless_equals_uint64 (late, 0);
  fail_unless_equals_uint64 (unjudged, 0);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (censor);
  gst_object_unref (slow);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
censor_suite (void)
{
  Suite *s = suite_create ("censor");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_text_flag_mutes_audio);
  tcase_add_test (tc, test_live_smooth_with_slow_analysis);
  return s;
}

GST_CHECK_MAIN (censor);
