/* gst-omni: portaudiosink against the fake sound card of portaudiofake.c
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>

#include "portaudiofake.h"

#define RATE 48000

static GstElement *
make_pipeline (const gchar *device, const gchar *caps, const gchar *extra)
{
  gchar *desc = g_strdup_printf ("appsrc name=src format=time caps=%s "
                                 "! portaudiosink name=sink device=%s %s",
      caps, device, extra ? extra : "");
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &err);

  fail_unless (pipeline != NULL, "%s: %s", desc, err ? err->message : "");
  g_free (desc);
  return pipeline;
}

/* Plays silence, the tone and the chirp in @format through the fake speaker;
 * what the speaker received must be silence, exactly the samples of the
 * tone and chirp, silence.
 *
 * The leading silence is there because a device accepts a burst when it
 * starts (its own buffer): the fake one takes ALSA's buffer (about
 * buffer-time), as much again held by alsa-lib's `file` plugin before it
 * writes, and the socket's buffer at once, more than the sink's ring buffer
 * (buffer-time). The ring buffer thread then plays segments before the
 * streaming thread has filled them, and the samples meant for them come late
 * and are dropped (as on any device whose buffer is larger than buffer-time).
 * Once that burst is absorbed, 2 x buffer-time + the socket's 85 ms at most,
 * the device consumes in real time and nothing may be lost. buffer-time is
 * 250 ms so that a streaming thread starved of CPU that long by a busy
 * machine loses nothing. */
#define BUFFER_TIME_US 250000
#define LEAD_S (2.0 * BUFFER_TIME_US / 1e6 + 0.3)

static void
check_playback (GstAudioFormat format, gint channels)
{
  const GstAudioFormatInfo *finfo = gst_audio_format_get_info (format);
  gint bpf = GST_AUDIO_FORMAT_INFO_WIDTH (finfo) / 8 * channels;
  gsize n, n_lead = (gsize) (LEAD_S * RATE), played_frames, i, first,
           mismatched = 0;
  gdouble *x = fake_signal (RATE, LEAD_S, 0.5, 1.0, 0.0, &n);
  GBytes *packed = fake_pack (x, n, format, channels);
  const guint8 *all = g_bytes_get_data (packed, NULL);
  const guint8 *ref = all + n_lead * bpf;
  gchar *caps = g_strdup_printf ("audio/x-raw,format=%s,layout=interleaved,"
                                 "rate=%d,channels=%d",
      gst_audio_format_to_string (format), RATE, channels);
  GstElement *pipeline = make_pipeline (FAKE_PLAYBACK, caps,
      "latency-time=10000 buffer-time=" G_STRINGIFY (BUFFER_TIME_US));
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  FakeSpeaker *spk = fake_speaker_start (RATE, bpf);
  GstMessage *msg;
  GBytes *played;
  const guint8 *out;
  gint64 latency_time, buffer_time, device_latency;
  gsize out_size, block = RATE / 100;
  GstClock *clock, *provided;

  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  /* 10 ms buffers with their timestamps, then EOS */
  for (i = 0; i < n; i += block) {
    gsize len = MIN (block, n - i);
    GstBuffer *buf = gst_buffer_new_memdup (all + i * bpf, len * bpf);

    GST_BUFFER_PTS (buf) = gst_util_uint64_scale_int (i, GST_SECOND, RATE);
    GST_BUFFER_DURATION (buf)
        = gst_util_uint64_scale_int (i + len, GST_SECOND, RATE)
          - GST_BUFFER_PTS (buf);
    fail_unless_equals_int (
        gst_app_src_push_buffer (GST_APP_SRC (src), buf), GST_FLOW_OK);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));

  msg = fake_wait_error_or_eos (pipeline, 20 * GST_SECOND);
  fail_unless (msg != NULL, "no EOS within 20 s");
  fail_unless (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS, "got %s",
      GST_MESSAGE_TYPE_NAME (msg));
  gst_message_unref (msg);

  /* the sink's audio clock drives the pipeline; the sizes asked for are
   * the ring buffer's; PortAudio reports a device latency */
  clock = gst_pipeline_get_clock (GST_PIPELINE (pipeline));
  provided = gst_element_provide_clock (sink);
  fail_unless (GST_IS_AUDIO_CLOCK (clock));
  fail_unless (clock == provided);
  gst_object_unref (clock);
  gst_object_unref (provided);
  g_object_get (sink, "latency-time", &latency_time, "buffer-time",
      &buffer_time, "device-latency", &device_latency, NULL);
  GST_INFO ("device latency %" G_GINT64_FORMAT
            " us for buffer-time %" G_GINT64_FORMAT,
      device_latency, buffer_time);
  fail_unless (device_latency > 0);

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  g_object_get (sink, "device-latency", &device_latency, NULL);
  fail_unless_equals_int64 (device_latency, -1);
  played = fake_speaker_stop (spk);

  n -= n_lead; /* compare the tone and chirp */
  out = g_bytes_get_data (played, &out_size);
  played_frames = out_size / bpf;
  fail_unless_equals_int (out_size % bpf, 0);
  GST_INFO ("speaker received %" G_GSIZE_FORMAT " frames for %" G_GSIZE_FORMAT,
      played_frames, n);
  for (first = 0; first < played_frames
                  && fake_unpack (out, first, format, channels) == 0.0;
       first++)
    ;
  fail_unless (first + n <= played_frames,
      "speaker got %" G_GSIZE_FORMAT " frames, signal from %" G_GSIZE_FORMAT
      " on, of %" G_GSIZE_FORMAT,
      played_frames, first, n);
  if (memcmp (out + first * bpf, ref, n * bpf) != 0) {
    gsize first_bad = n, last_bad = 0;

    for (i = 0; i < n; i++) {
      if (memcmp (out + (first + i) * bpf, ref + i * bpf, bpf) != 0) {
        mismatched++;
        first_bad = MIN (first_bad, i);
        last_bad = i;
      }
    }
    fail ("%" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " frames differ, from "
          "frame %" G_GSIZE_FORMAT " to %" G_GSIZE_FORMAT
          " (signal from frame %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
          " received)",
        mismatched, n, first_bad, last_bad, first, played_frames);
  }
  for (i = first + n; i < played_frames; i++)
    fail_unless (fake_unpack (out, i, format, channels) == 0.0,
        "not silence after the signal at frame %" G_GSIZE_FORMAT, i);

  g_bytes_unref (played);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_bytes_unref (packed);
  g_free (caps);
  g_free (x);
}

GST_START_TEST (test_playback_s16)
{
  check_playback (GST_AUDIO_FORMAT_S16, 1);
}

GST_END_TEST;

GST_START_TEST (test_playback_f32_stereo)
{
  check_playback (GST_AUDIO_FORMAT_F32, 2);
}

GST_END_TEST;

GST_START_TEST (test_playback_s32)
{
  check_playback (GST_AUDIO_FORMAT_S32, 1);
}

GST_END_TEST;

/* The sink offers what the device accepts; a rate it refuses cannot be
 * negotiated, and the sink's error names the device, the rate and the rates
 * the device supports (PortAudio's answers). */
GST_START_TEST (test_refused_rate)
{
  GstElement *pipeline = make_pipeline (FAKE_PLAYBACK,
      "audio/x-raw,format=S16LE,layout=interleaved,rate=768000,channels=1",
      NULL);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  GstPad *pad = gst_element_get_static_pad (sink, "sink");
  GstCaps *caps, *want;
  gchar *text, *debug = NULL;

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  caps = gst_pad_query_caps (pad, NULL);
  want = gst_caps_from_string ("audio/x-raw,format=S16LE,rate=48000");
  fail_unless (gst_caps_can_intersect (caps, want));
  gst_caps_unref (want);
  want = gst_caps_from_string ("audio/x-raw,rate=768000");
  fail_if (gst_caps_can_intersect (caps, want));
  gst_caps_unref (want);
  gst_caps_unref (caps);

  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  gst_app_src_push_buffer (
      GST_APP_SRC (src), gst_buffer_new_allocate (NULL, 960, NULL));
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  text = fake_expect_error (pipeline, GST_STATE_PLAYING, GST_CORE_ERROR,
      GST_CORE_ERROR_NEGOTIATION, "sink", &debug);
  GST_INFO ("%s", text);
  fail_unless (strstr (text, FAKE_PLAYBACK) != NULL, "%s", text);
  fail_unless (strstr (text, "sample rate 768000 Hz") != NULL, "%s", text);
  fail_unless (
      strstr (text, "it supports 8000, 11025, 12000, 16000, 22050, 24000, "
                    "32000, 44100, 48000, 88200, 96000, 176400, 192000, "
                    "352800, 384000 Hz")
          != NULL,
      "%s", text);
  /* only the rate is refused */
  fail_if (strstr (text, "channel") != NULL, "%s", text);
  fail_if (strstr (text, "format") != NULL, "%s", text);
  fail_unless (strstr (debug, "768000") != NULL, "%s", debug);
  g_free (text);
  g_free (debug);
  gst_object_unref (pad);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* The device disappears between PortAudio's enumeration (READY) and opening
 * the stream (PAUSED): a clear error from the sink. */
GST_START_TEST (test_unplugged_before_open)
{
  GstElement *pipeline = make_pipeline (FAKE_PLAYBACK,
      "audio/x-raw,format=S16LE,layout=interleaved,rate=48000,channels=1",
      NULL);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  gchar *text;

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  fake_unplug (FAKE_PLAYBACK);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  gst_app_src_push_buffer (
      GST_APP_SRC (src), gst_buffer_new_allocate (NULL, 960, NULL));
  text = fake_expect_error (pipeline, GST_STATE_PLAYING, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_OPEN_WRITE, "sink", NULL);
  fake_replug ();
  fail_unless (strstr (text, FAKE_PLAYBACK) != NULL, "%s", text);
  g_free (text);
  gst_object_unref (src);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Start and stop 100 times, each time playing a little. */
GST_START_TEST (test_start_stop_100)
{
  GstElement *pipeline = gst_parse_launch (
      "audiotestsrc num-buffers=3 samplesperbuffer=480 "
      "! audio/x-raw,format=S16LE,rate=48000,channels=1 "
      "! portaudiosink device=default latency-time=10000 buffer-time=40000",
      NULL);
  gint i;

  for (i = 0; i < 100; i++) {
    GstMessage *msg;

    fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
                 != GST_STATE_CHANGE_FAILURE);
    msg = fake_wait_error_or_eos (pipeline, 10 * GST_SECOND);
    fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS,
        "round %d: %s", i, msg ? GST_MESSAGE_TYPE_NAME (msg) : "timeout");
    gst_message_unref (msg);
    fail_unless_equals_int (gst_element_set_state (pipeline,
                                i % 2 ? GST_STATE_NULL : GST_STATE_READY),
        GST_STATE_CHANGE_SUCCESS);
  }
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* A device another application has open when the sink opens its stream: a
 * RESOURCE/BUSY error naming it; once released, the sink plays on it. */
GST_START_TEST (test_busy)
{
  GstElement *pipeline = make_pipeline (FAKE_BUSY,
      "audio/x-raw,format=S16LE,layout=interleaved,rate=48000,channels=1",
      NULL);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstMessage *msg;
  gpointer hold;
  gchar *text, *debug;
  gint i;

  /* PortAudio lists the device (at its first initialisation) while free */
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  hold = fake_hold (FAKE_BUSY);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  gst_app_src_push_buffer (
      GST_APP_SRC (src), gst_buffer_new_allocate (NULL, 960, NULL));
  text = fake_expect_error (pipeline, GST_STATE_PLAYING, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_BUSY, "sink", &debug);
  fake_release (hold);
  fail_unless (strstr (text, FAKE_BUSY) != NULL, "%s", text);
  fail_unless (strstr (text, "busy") != NULL, "%s", text);
  fail_unless (strstr (debug, "Pa_OpenStream") != NULL, "%s", debug);
  g_free (text);
  g_free (debug);

  /* released: it plays */
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  for (i = 0; i < 3; i++) {
    GstBuffer *buf = gst_buffer_new_allocate (NULL, 960, NULL);

    gst_buffer_memset (buf, 0, 0, 960);
    GST_BUFFER_PTS (buf) = i * 10 * GST_MSECOND;
    GST_BUFFER_DURATION (buf) = 10 * GST_MSECOND;
    fail_unless_equals_int (
        gst_app_src_push_buffer (GST_APP_SRC (src), buf), GST_FLOW_OK);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  msg = fake_wait_error_or_eos (pipeline, 10 * GST_SECOND);
  fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (src);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* The ramp of test_fails_while_playing: sample i is (i mod 20000) - 10000,
 * never 0 at i = 0. */
static gint16
ramp (gsize i)
{
  return (gint16) ((gint) (i % 20000) - 10000);
}

/* The device fails while playing (alsa-lib returns ENOSPC from the device's
 * data path): a RESOURCE/WRITE error naming the device and the cause,
 * within seconds; what the sink wrote before reached the device intact and
 * in order, nothing else did; stopping the pipeline then does not hang. */
GST_START_TEST (test_fails_while_playing)
{
  gsize n_lead = (gsize) (LEAD_S * RATE), n = n_lead + 4 * RATE, i, first,
        played_frames, before;
  gint16 *x = g_new0 (gint16, n);
  GstElement *pipeline = make_pipeline (FAKE_PLAYBACK,
      "audio/x-raw,format=S16LE,layout=interleaved,rate=48000,channels=1",
      "latency-time=10000 buffer-time=" G_STRINGIFY (BUFFER_TIME_US));
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  FakeSpeaker *spk = fake_speaker_start (RATE, 2);
  const gint16 *out;
  GstMessage *msg;
  GError *err = NULL;
  gchar *debug = NULL;
  GBytes *played;
  gsize out_size;
  gint64 t0;

  for (i = n_lead; i < n; i++)
    x[i] = ramp (i - n_lead);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  for (i = 0; i < n; i += RATE / 100) {
    GstBuffer *buf = gst_buffer_new_memdup (x + i, RATE / 100 * 2);

    GST_BUFFER_PTS (buf) = gst_util_uint64_scale_int (i, GST_SECOND, RATE);
    GST_BUFFER_DURATION (buf) = 10 * GST_MSECOND;
    fail_unless_equals_int (
        gst_app_src_push_buffer (GST_APP_SRC (src), buf), GST_FLOW_OK);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));

  /* the device fails once the speaker has played part of the ramp */
  t0 = g_get_monotonic_time ();
  while (fake_speaker_received (spk) < (n_lead + RATE / 2) * 2) {
    fail_unless (g_get_monotonic_time () - t0 < 20 * G_USEC_PER_SEC);
    g_usleep (10000);
  }
  fake_break_playback ();
  before = fake_speaker_received (spk) / 2;

  t0 = g_get_monotonic_time ();
  msg = fake_wait_error_or_eos (pipeline, 10 * GST_SECOND);
  fail_unless (msg != NULL, "no error within 10 s of the failure");
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &err, &debug);
  GST_INFO ("after %.3f s: %s (%s)", (g_get_monotonic_time () - t0) / 1e6,
      err->message, debug);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (sink), "error from %s",
      GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)));
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_WRITE), "%s",
      err->message);
  fail_unless (
      strstr (err->message, FAKE_PLAYBACK) != NULL, "%s", err->message);
  fail_unless (
      strstr (err->message, g_strerror (ENOSPC)) != NULL, "%s", err->message);
  fail_unless (strstr (debug, "PortAudio error") != NULL, "%s", debug);
  g_error_free (err);
  g_free (debug);
  gst_message_unref (msg);

  t0 = g_get_monotonic_time ();
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  fail_unless (g_get_monotonic_time () - t0 < 5 * G_USEC_PER_SEC,
      "stopping took %.1f s", (g_get_monotonic_time () - t0) / 1e6);

  /* the speaker got silence, then the ramp from its start, intact, up to
   * (at least) where the device failed, and nothing after */
  played = fake_speaker_stop (spk);
  out = g_bytes_get_data (played, &out_size);
  played_frames = out_size / 2;
  for (first = 0; first < played_frames && out[first] == 0; first++)
    ;
  GST_INFO ("speaker got %" G_GSIZE_FORMAT
            " frames, the ramp from frame %" G_GSIZE_FORMAT "; %" G_GSIZE_FORMAT
            " when the device failed",
      played_frames, first, before);
  fail_unless (played_frames >= before);
  fail_unless (first + RATE / 4 < played_frames, "no ramp played");
  for (i = first; i < played_frames; i++)
    fail_unless (out[i] == ramp (i - first),
        "frame %" G_GSIZE_FORMAT ": %d, expected %d", i, out[i],
        ramp (i - first));

  g_bytes_unref (played);
  g_free (x);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
portaudiosink_suite (void)
{
  Suite *s = suite_create ("portaudiosink");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  /* a test that failed half-way may have left a device unplugged */
  tcase_add_checked_fixture (tc, fake_replug, NULL);
  tcase_add_test (tc, test_playback_s16);
  tcase_add_test (tc, test_playback_f32_stereo);
  tcase_add_test (tc, test_playback_s32);
  tcase_add_test (tc, test_refused_rate);
  tcase_add_test (tc, test_unplugged_before_open);
  tcase_add_test (tc, test_start_stop_100);
  tcase_add_test (tc, test_busy);
  tcase_add_test (tc, test_fails_while_playing);
  return s;
}

int
main (int argc, char **argv)
{
  fake_setup ();
  gst_check_init (&argc, &argv);
  return gst_check_run_suite (
      portaudiosink_suite (), "portaudiosink", __FILE__);
}
