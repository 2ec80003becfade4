/* gst-omni: portaudiosrc against the fake sound card of portaudiofake.c
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <math.h>
#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/app/gstappsink.h>
#include <portaudio.h>

#include "portaudiofake.h"

#define RATE 48000
#define LEAD_S 0.2
#define TONE_S 0.5
#define CHIRP_S 1.0
#define TAIL_S 0.3

typedef struct {
  GByteArray *data;
  guint n_buffers;
  guint64 first_offset, next_offset;
  GstClockTime first_pts;
  guint n_discont;
  gchar *failure; /* first inconsistency seen */
  GstClockTime clock_first, clock_last;
  guint64 frames_at_clock_first, frames_at_clock_last;
  gint64 wall_first, wall_last;
} Capture;

static void
capture_clear (Capture *c)
{
  if (c->data)
    g_byte_array_unref (c->data);
  g_free (c->failure);
}

/* Pulls samples until @frames frames were captured, checking as it goes that
 * buffers are contiguous (offsets), timed by their sample position
 * (PTS - PTS0 == (offset - offset0) / rate, durations likewise) and not
 * DISCONT after the first. Also samples the pipeline clock against the number
 * of frames captured. */
static gboolean
capture_one (GstElement *pipeline, GstAppSink *sink, Capture *c, gint bpf,
    GstClockTime timeout)
{
  GstClock *clock;
  GstSample *sample = gst_app_sink_try_pull_sample (sink, timeout);
  GstBuffer *buf;
  GstMapInfo map;
  guint64 offset, offset_end;
  GstClockTime pts, expect;

  if (c->data == NULL)
    c->data = g_byte_array_new ();
  if (sample == NULL)
    return FALSE;
  {
    buf = gst_sample_get_buffer (sample);
    offset = GST_BUFFER_OFFSET (buf);
    offset_end = GST_BUFFER_OFFSET_END (buf);
    pts = GST_BUFFER_PTS (buf);
    fail_unless (GST_CLOCK_TIME_IS_VALID (pts));
    fail_unless_equals_uint64 (
        offset_end - offset, gst_buffer_get_size (buf) / bpf);

    if (c->n_buffers == 0) {
      c->first_offset = offset;
      c->first_pts = pts;
    } else {
      if (GST_BUFFER_IS_DISCONT (buf))
        c->n_discont++;
      if (offset != c->next_offset && !c->failure)
        c->failure
            = g_strdup_printf ("buffer %u starts at sample %" G_GUINT64_FORMAT
                               ", expected %" G_GUINT64_FORMAT,
                c->n_buffers, offset, c->next_offset);
    }
    expect = c->first_pts + gst_util_uint64_scale_int (offset, GST_SECOND, RATE)
             - gst_util_uint64_scale_int (c->first_offset, GST_SECOND, RATE);
    if (pts != expect && !c->failure)
      c->failure = g_strdup_printf ("buffer %u: PTS %" GST_TIME_FORMAT
                                    ", expected %" GST_TIME_FORMAT,
          c->n_buffers, GST_TIME_ARGS (pts), GST_TIME_ARGS (expect));
    if (GST_BUFFER_DURATION (buf)
            != gst_util_uint64_scale_int (offset_end, GST_SECOND, RATE)
                   - gst_util_uint64_scale_int (offset, GST_SECOND, RATE)
        && !c->failure)
      c->failure = g_strdup_printf ("buffer %u: duration %" GST_TIME_FORMAT,
          c->n_buffers, GST_TIME_ARGS (GST_BUFFER_DURATION (buf)));
    c->next_offset = offset_end;
    c->n_buffers++;

    gst_buffer_map (buf, &map, GST_MAP_READ);
    g_byte_array_append (c->data, map.data, map.size);
    gst_buffer_unmap (buf, &map);
    gst_sample_unref (sample);

    clock = gst_pipeline_get_clock (GST_PIPELINE (pipeline));
    if (!GST_CLOCK_TIME_IS_VALID (c->clock_first)) {
      c->clock_first = gst_clock_get_time (clock);
      c->wall_first = g_get_monotonic_time ();
      c->frames_at_clock_first = c->data->len / bpf;
    }
    c->clock_last = gst_clock_get_time (clock);
    c->wall_last = g_get_monotonic_time ();
    c->frames_at_clock_last = c->data->len / bpf;
    gst_object_unref (clock);
  }
  return TRUE;
}

static void
capture_frames (
    GstElement *pipeline, GstAppSink *sink, Capture *c, gsize frames, gint bpf)
{
  while (c->data == NULL || c->data->len / bpf < frames)
    fail_unless (capture_one (pipeline, sink, c, bpf, 5 * GST_SECOND),
        "no buffer within 5 s (%u frames so far)",
        c->data ? c->data->len / bpf : 0);
}

/* Zero crossings of @x[0..n) per second / 2: the frequency of a sinusoid. */
static gdouble
zero_crossing_frequency (const gdouble *x, gsize n, gint rate)
{
  gsize i, crossings = 0;

  for (i = 1; i < n; i++) {
    if ((x[i - 1] < 0.0) != (x[i] < 0.0))
      crossings++;
  }
  return crossings * (gdouble) rate / (2.0 * n);
}

/* Goertzel's algorithm (G. Goertzel, "An algorithm for the evaluation of
 * finite trigonometric series", Am. Math. Monthly 65, 1958): the power of
 * @x at frequency @f. */
static gdouble
goertzel_power (const gdouble *x, gsize n, gdouble f, gint rate)
{
  gdouble coeff = 2.0 * cos (2.0 * G_PI * f / rate), s1 = 0.0, s2 = 0.0;
  gsize i;

  for (i = 0; i < n; i++) {
    gdouble s = x[i] + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

static GstElement *
make_pipeline (const gchar *device, const gchar *caps, const gchar *extra)
{
  gchar *desc = g_strdup_printf ("portaudiosrc name=src device=%s %s "
                                 "! %s ! appsink name=sink sync=false",
      device, extra ? extra : "", caps);
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &err);

  fail_unless (pipeline != NULL, "%s: %s", desc, err ? err->message : "");
  g_free (desc);
  return pipeline;
}

/* Captures the lead, tone and chirp through the fake microphone (running at
 * @speed times real time) in @format and checks them sample for sample, plus
 * frequency, timing and the clock. */
static void
check_capture (GstAudioFormat format, gint channels, gdouble speed)
{
  const gchar *fmt = gst_audio_format_to_string (format);
  const GstAudioFormatInfo *finfo = gst_audio_format_get_info (format);
  gint bpf = GST_AUDIO_FORMAT_INFO_WIDTH (finfo) / 8 * channels;
  gsize n_ref, n_signal, n_lead, n_tone, n_chirp, i, first_cap, first_ref;
  gdouble *ref = fake_signal (RATE, LEAD_S, TONE_S, CHIRP_S, TAIL_S, &n_ref);
  GBytes *packed = fake_pack (ref, n_ref, format, channels);
  const guint8 *ref_bytes = g_bytes_get_data (packed, NULL);
  gchar *caps = g_strdup_printf (
      "audio/x-raw,format=%s,rate=%d,channels=%d", fmt, RATE, channels);
  GstElement *pipeline = make_pipeline (
      FAKE_CAPTURE, caps, "latency-time=10000 buffer-time=1000000");
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  Capture c = { NULL, 0, 0, 0, 0, 0, NULL, GST_CLOCK_TIME_NONE, 0, 0, 0 };
  gdouble *tone, *chirp, zc, on, off;
  GstClock *clock, *provided;
  GstMessage *msg;
  GstQuery *query;
  gint64 latency_time, buffer_time, device_latency;
  GstClockTime min_lat, max_lat;
  gboolean live;
  gchar *name;
  FakeMic *mic;

  n_lead = (gsize) (LEAD_S * RATE);
  n_tone = (gsize) (TONE_S * RATE);
  n_chirp = (gsize) (CHIRP_S * RATE);
  n_signal = n_tone + n_chirp;

  /* the microphone starts once the pipeline plays (the stream is open and
   * waiting for it), so its first samples do not pile up in the socket */
  mic = fake_mic_new (packed, RATE, bpf, speed);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (
      gst_element_get_state (src, NULL, NULL, 30 * GST_SECOND),
      GST_STATE_CHANGE_SUCCESS);
  fake_mic_go (mic);
  /* the first buffers can come before the microphone's first block: capture
   * the lead, the signal and part of the tail */
  capture_frames (
      pipeline, GST_APP_SINK (sink), &c, n_lead + n_signal + RATE / 10, bpf);

  /* the element is the pipeline's clock, a GstAudioClock following the
   * device: it advanced as much as the samples captured meanwhile, however
   * fast the device runs (within what the ring buffer holds when sampled: a
   * block or two normally; the ring buffer is 1 s so that a test starved of
   * CPU by a busy machine loses nothing) */
  clock = gst_pipeline_get_clock (GST_PIPELINE (pipeline));
  provided = gst_element_provide_clock (src);
  fail_unless (
      clock == provided, "pipeline clock is %s", GST_OBJECT_NAME (clock));
  fail_unless (GST_IS_AUDIO_CLOCK (clock));
  {
    gdouble clock_s = (gdouble) (c.clock_last - c.clock_first) / GST_SECOND;
    gdouble frames_s
        = (gdouble) (c.frames_at_clock_last - c.frames_at_clock_first) / RATE;
    gdouble wall_s = (c.wall_last - c.wall_first) / 1e6;

    GST_INFO ("clock %.3f s, samples %.3f s, wall clock %.3f s", clock_s,
        frames_s, wall_s);
    fail_unless (fabs (clock_s - frames_s) < 0.25,
        "clock advanced %.3f s while %.3f s were captured", clock_s, frames_s);
    /* a device slower than real time: the clock is the device's, not the
     * system's */
    if (speed <= 0.5)
      fail_unless (
          wall_s > 1.5 * clock_s, "wall %.3f s, clock %.3f s", wall_s, clock_s);
  }
  gst_object_unref (clock);
  gst_object_unref (provided);

  /* latency-time and buffer-time honoured and reported */
  g_object_get (src, "actual-latency-time", &latency_time, "actual-buffer-time",
      &buffer_time, "device-latency", &device_latency, "device-name", &name,
      NULL);
  fail_unless_equals_int64 (latency_time, 10000);
  fail_unless_equals_int64 (buffer_time, 1000000);
  fail_unless (
      device_latency > 0, "device-latency %" G_GINT64_FORMAT, device_latency);
  fail_unless_equals_string (name, FAKE_CAPTURE);
  g_free (name);
  query = gst_query_new_latency ();
  fail_unless (gst_element_query (src, query));
  gst_query_parse_latency (query, &live, &min_lat, &max_lat);
  fail_unless (live);
  fail_unless_equals_uint64 (min_lat, 10 * GST_MSECOND);
  fail_unless_equals_uint64 (max_lat, GST_SECOND);
  gst_query_unref (query);

  msg = gst_bus_pop_filtered (
      GST_ELEMENT_BUS (pipeline), GST_MESSAGE_ERROR | GST_MESSAGE_WARNING);
  fail_unless (
      msg == NULL, "unexpected %s", msg ? GST_MESSAGE_TYPE_NAME (msg) : "");

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  fake_mic_stop (mic);

  /* every buffer in sequence, timed by its sample position */
  fail_unless (c.failure == NULL, "%s", c.failure);
  fail_unless_equals_int (c.n_discont, 0);
  fail_unless (c.first_pts < GST_SECOND / 2, "first PTS %" GST_TIME_FORMAT,
      GST_TIME_ARGS (c.first_pts));
  /* latency-time=10 ms: buffers of 480 frames */
  fail_unless_equals_int (c.data->len / c.n_buffers, 480 * bpf);

  /* sample for sample what the microphone heard: no drop, no duplicate */
  for (first_ref = 0;
       fake_unpack (ref_bytes, first_ref, format, channels) == 0.0; first_ref++)
    ;
  fail_unless_equals_int (first_ref, n_lead);
  for (first_cap = 0;
       first_cap < c.data->len / bpf
       && fake_unpack (c.data->data, first_cap, format, channels) == 0.0;
       first_cap++)
    ;
  fail_unless (first_cap + n_signal <= c.data->len / bpf,
      "signal starts at frame %" G_GSIZE_FORMAT " of %u", first_cap,
      c.data->len / bpf);
  fail_unless (memcmp (c.data->data + first_cap * bpf,
                   ref_bytes + first_ref * bpf, n_signal * bpf)
                   == 0,
      "captured samples differ from those sent");

  /* and it is a 1 kHz tone followed by the chirp */
  tone = g_new (gdouble, n_tone);
  for (i = 0; i < n_tone; i++)
    tone[i] = fake_unpack (c.data->data, first_cap + i, format, channels);
  zc = zero_crossing_frequency (tone, n_tone, RATE);
  fail_unless (fabs (zc - TONE_HZ) < 3.0, "tone at %.1f Hz", zc);
  on = goertzel_power (tone, n_tone, TONE_HZ, RATE);
  off = goertzel_power (tone, n_tone, 0.9 * TONE_HZ, RATE)
        + goertzel_power (tone, n_tone, 1.1 * TONE_HZ, RATE);
  fail_unless (on > 1000.0 * off, "1 kHz %g vs neighbours %g", on, off);
  g_free (tone);

  chirp = g_new (gdouble, n_chirp);
  for (i = 0; i < n_chirp; i++)
    chirp[i]
        = fake_unpack (c.data->data, first_cap + n_tone + i, format, channels);
  for (i = 0; i + RATE / 20 <= n_chirp; i += RATE / 20) {
    gdouble f = zero_crossing_frequency (chirp + i, RATE / 20, RATE);
    gdouble expect
        = fake_chirp_frequency ((i + RATE / 40) / (gdouble) RATE, CHIRP_S);
    fail_unless (fabs (f - expect) < 0.03 * expect + 20.0,
        "chirp at %.3f s: %.1f Hz, expected %.1f Hz", (gdouble) i / RATE, f,
        expect);
  }
  g_free (chirp);

  capture_clear (&c);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_bytes_unref (packed);
  g_free (ref);
  g_free (caps);
}

GST_START_TEST (test_capture_f32)
{
  check_capture (GST_AUDIO_FORMAT_F32, 1, 1.0);
}

GST_END_TEST;

/* with a device running at half speed */
GST_START_TEST (test_capture_s16_slow_device)
{
  check_capture (GST_AUDIO_FORMAT_S16, 1, 0.5);
}

GST_END_TEST;

GST_START_TEST (test_capture_s32_stereo)
{
  check_capture (GST_AUDIO_FORMAT_S32, 2, 1.0);
}

GST_END_TEST;

/* Caps come from what PortAudio reports: the fake device accepts the three
 * formats, 1 to 8 channels and rates up to 384 kHz, but not 768 kHz. */
GST_START_TEST (test_caps_from_device)
{
  GstElement *src = gst_element_factory_make ("portaudiosrc", NULL);
  GstPad *pad = gst_element_get_static_pad (src, "src");
  GstCaps *caps, *want;
  gint i;

  g_object_set (src, "device", FAKE_CAPTURE, NULL);
  fail_unless_equals_int (
      gst_element_set_state (src, GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
  caps = gst_pad_query_caps (pad, NULL);
  GST_INFO ("caps %" GST_PTR_FORMAT, caps);
  for (i = 0; i < 3; i++) {
    static const gchar *formats[] = { "F32LE", "S32LE", "S16LE" };
    want = gst_caps_new_simple ("audio/x-raw", "format", G_TYPE_STRING,
        formats[i], "layout", G_TYPE_STRING, "interleaved", "rate", G_TYPE_INT,
        48000, "channels", G_TYPE_INT, 2, NULL);
    fail_unless (gst_caps_can_intersect (caps, want), "%s", formats[i]);
    gst_caps_unref (want);
  }
  for (i = 1; i <= 8; i++) {
    want = gst_caps_from_string ("audio/x-raw,rate=44100");
    gst_caps_set_simple (want, "channels", G_TYPE_INT, i, NULL);
    fail_unless (gst_caps_can_intersect (caps, want), "%d channels", i);
    gst_caps_unref (want);
  }
  want = gst_caps_from_string ("audio/x-raw,rate=384000");
  fail_unless (gst_caps_can_intersect (caps, want));
  gst_caps_unref (want);
  want = gst_caps_from_string ("audio/x-raw,rate=768000");
  fail_if (gst_caps_can_intersect (caps, want));
  gst_caps_unref (want);
  want = gst_caps_from_string ("audio/x-raw,format=U8");
  fail_if (gst_caps_can_intersect (caps, want));
  gst_caps_unref (want);
  gst_caps_unref (caps);

  gst_element_set_state (src, GST_STATE_NULL);
  /* unopened: the template */
  caps = gst_pad_query_caps (pad, NULL);
  want = gst_pad_get_pad_template_caps (pad);
  fail_unless (gst_caps_is_equal (caps, want));
  gst_caps_unref (want);
  gst_caps_unref (caps);
  gst_object_unref (pad);
  gst_object_unref (src);
}

GST_END_TEST;

/* A rate the device refuses is a clear negotiation error from portaudiosrc. */
GST_START_TEST (test_refused_rate)
{
  GstElement *pipeline
      = make_pipeline (FAKE_CAPTURE, "audio/x-raw,rate=768000", NULL);
  gchar *debug = NULL;
  gchar *text = fake_expect_error (pipeline, GST_STATE_PLAYING, GST_CORE_ERROR,
      GST_CORE_ERROR_NEGOTIATION, "src", &debug);

  fail_unless (strstr (text, FAKE_CAPTURE) != NULL, "%s", text);
  fail_unless (strstr (debug, "768000") != NULL, "%s", debug);
  g_free (text);
  g_free (debug);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* The device disappears between PortAudio's enumeration (READY) and opening
 * the stream (PAUSED): a clear open error, as when a device is unplugged. */
GST_START_TEST (test_unplugged_before_open)
{
  GstElement *pipeline = make_pipeline (FAKE_FILE, "audio/x-raw", NULL);
  gchar *text, *debug = NULL;

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  fake_unplug (FAKE_FILE);
  text = fake_expect_error (pipeline, GST_STATE_PLAYING, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_OPEN_READ, "src", &debug);
  fake_replug ();
  fail_unless (strstr (text, FAKE_FILE) != NULL, "%s", text);
  fail_unless (strstr (debug, "Pa_OpenStream") != NULL, "%s", debug);
  g_free (text);
  g_free (debug);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Start and stop 100 times on a device that is as fast as it is read. */
GST_START_TEST (test_start_stop_100)
{
  GstElement *pipeline = make_pipeline (
      FAKE_FILE, "audio/x-raw,format=S16LE,rate=48000,channels=1", NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gint i;

  for (i = 0; i < 100; i++) {
    GstSample *sample;
    GstMessage *msg;

    fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
                 != GST_STATE_CHANGE_FAILURE);
    sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 5 * GST_SECOND);
    fail_unless (sample != NULL, "no buffer in round %d", i);
    gst_sample_unref (sample);
    msg = gst_bus_pop_filtered (GST_ELEMENT_BUS (pipeline), GST_MESSAGE_ERROR);
    fail_unless (msg == NULL, "error in round %d", i);
    /* alternate between stopping to READY and to NULL (device closed) */
    fail_unless_equals_int (gst_element_set_state (pipeline,
                                i % 2 ? GST_STATE_NULL : GST_STATE_READY),
        GST_STATE_CHANGE_SUCCESS);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Checks that @buf follows the previous buffer (@last_pts, @last_end) with
 * no gap, overlap or DISCONT: its first sample is the next one, and its PTS
 * is strictly later, exactly the previous one's end. */
static void
check_follows (GstBuffer *buf, GstClockTime last_pts, guint64 last_end,
    GstClockTime last_duration, gint round, const gchar *what)
{
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET (buf), last_end);
  fail_if (GST_BUFFER_IS_DISCONT (buf), "round %d %s: DISCONT", round, what);
  fail_unless (GST_BUFFER_PTS (buf) > last_pts,
      "round %d %s: PTS %" GST_TIME_FORMAT " offset %" G_GUINT64_FORMAT
      " after %" GST_TIME_FORMAT " offset end %" G_GUINT64_FORMAT,
      round, what, GST_TIME_ARGS (GST_BUFFER_PTS (buf)),
      GST_BUFFER_OFFSET (buf), GST_TIME_ARGS (last_pts), last_end);
  fail_unless (GST_BUFFER_PTS (buf) == last_pts + last_duration,
      "round %d %s: PTS %" GST_TIME_FORMAT
      ", previous buffer ends at %" GST_TIME_FORMAT,
      round, what, GST_TIME_ARGS (GST_BUFFER_PTS (buf)),
      GST_TIME_ARGS (last_pts + last_duration));
}

/* PLAYING -> PAUSED -> PLAYING, 5 times: a live source stops producing while
 * paused and starts again. The samples go on where they stopped (the device
 * is stopped while paused: none is lost or repeated), and the timestamps go
 * on from where they stopped, every buffer strictly after the one before
 * it: running time stops while paused, and so does the element's clock, the
 * pipeline's (the fake device always holds more than a block, so the read
 * in progress at the pause is not after the pause in device time).
 * The fake microphone goes on sending while the device is stopped, and the
 * device reads that backlog in a burst after the resume (a real device
 * restarts with fresh samples): the ring buffer is 1 s so that it holds the
 * burst on a busy machine. */
GST_START_TEST (test_pause_resume)
{
  gsize n;
  gdouble *x = fake_signal (RATE, 0.0, 8.0, 0.0, 0.0, &n);
  GBytes *packed = fake_pack (x, n, GST_AUDIO_FORMAT_S16, 1);
  GstElement *pipeline = make_pipeline (FAKE_CAPTURE,
      "audio/x-raw,format=S16LE,rate=48000,channels=1",
      "latency-time=10000 buffer-time=1000000");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  GstClockTime last_pts = GST_CLOCK_TIME_NONE, last_duration = 0;
  guint64 last_end = 0;
  FakeMic *mic = fake_mic_start (packed, RATE, 2, 1.0);
  gint round, i;

  for (round = 0; round < 5; round++) {
    GstSample *sample;
    gint64 t_drain;

    fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
                 != GST_STATE_CHANGE_FAILURE);
    for (i = 0; i < 5; i++) {
      GstBuffer *buf;

      sample
          = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 5 * GST_SECOND);
      fail_unless (sample != NULL, "no buffer after resume %d", round);
      buf = gst_sample_get_buffer (sample);
      GST_INFO ("round %d buffer %d: PTS %" GST_TIME_FORMAT
                " offset %" G_GUINT64_FORMAT,
          round, i, GST_TIME_ARGS (GST_BUFFER_PTS (buf)),
          GST_BUFFER_OFFSET (buf));
      if (GST_CLOCK_TIME_IS_VALID (last_pts))
        check_follows (buf, last_pts, last_end, last_duration, round,
            i == 0 ? "first buffer after resume" : "buffer");
      last_pts = GST_BUFFER_PTS (buf);
      last_duration = GST_BUFFER_DURATION (buf);
      last_end = GST_BUFFER_OFFSET_END (buf);
      gst_sample_unref (sample);
    }
    fail_unless (gst_element_set_state (pipeline, GST_STATE_PAUSED)
                 != GST_STATE_CHANGE_FAILURE);
    fail_unless_equals_int (
        gst_element_get_state (pipeline, NULL, NULL, 5 * GST_SECOND),
        GST_STATE_CHANGE_NO_PREROLL);
    /* what was queued when pausing arrives at once, in sequence, then
     * nothing (a source still producing, every 10 ms, would keep this loop
     * going) */
    t_drain = g_get_monotonic_time ();
    while ((sample = gst_app_sink_try_pull_sample (
                GST_APP_SINK (sink), 50 * GST_MSECOND))) {
      GstBuffer *buf = gst_sample_get_buffer (sample);

      GST_INFO ("round %d in flight: PTS %" GST_TIME_FORMAT
                " offset %" G_GUINT64_FORMAT,
          round, GST_TIME_ARGS (GST_BUFFER_PTS (buf)), GST_BUFFER_OFFSET (buf));
      check_follows (buf, last_pts, last_end, last_duration, round,
          "buffer in flight at the pause");
      last_pts = GST_BUFFER_PTS (buf);
      last_duration = GST_BUFFER_DURATION (buf);
      last_end = GST_BUFFER_OFFSET_END (buf);
      gst_sample_unref (sample);
      fail_unless (g_get_monotonic_time () - t_drain < 2 * G_USEC_PER_SEC,
          "still producing while paused");
    }
    g_usleep (100000);
    sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 0);
    fail_unless (sample == NULL, "a buffer while paused");
  }
  fail_unless (
      gst_bus_pop_filtered (GST_ELEMENT_BUS (pipeline), GST_MESSAGE_ERROR)
      == NULL);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  fake_mic_stop (mic);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_bytes_unref (packed);
  g_free (x);
}

GST_END_TEST;

/* A device another application has open: a RESOURCE/BUSY error naming it,
 * whether it is busy when the element probes it (going to READY) or only
 * when the element opens the stream (going to PLAYING); once released, the
 * element captures from it. */
GST_START_TEST (test_busy)
{
  GstElement *keep = gst_element_factory_make ("portaudiosrc", NULL);
  GstElement *pipeline = make_pipeline (
      FAKE_BUSY, "audio/x-raw,format=S16LE,rate=48000,channels=1", NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  GstSample *sample;
  gpointer hold;
  gchar *text, *debug;

  /* PortAudio lists the devices when it is first initialised, and leaves
   * out those busy then (test_busy_when_listed): initialise it, the device
   * free, and keep it initialised */
  g_object_set (keep, "device", FAKE_FILE, NULL);
  fail_unless_equals_int (
      gst_element_set_state (keep, GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);

  hold = fake_hold (FAKE_BUSY);
  text = fake_expect_error (pipeline, GST_STATE_READY, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_BUSY, "src", &debug);
  fail_unless (strstr (text, FAKE_BUSY) != NULL, "%s", text);
  fail_unless (strstr (text, "busy") != NULL, "%s", text);
  fail_unless (strstr (debug, Pa_GetErrorText (paDeviceUnavailable)) != NULL,
      "%s", debug);
  g_free (text);
  g_free (debug);

  /* free when probed, taken before the stream opens */
  fake_release (hold);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  hold = fake_hold (FAKE_BUSY);
  text = fake_expect_error (pipeline, GST_STATE_PLAYING, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_BUSY, "src", &debug);
  fail_unless (strstr (text, FAKE_BUSY) != NULL, "%s", text);
  fail_unless (strstr (debug, "Pa_OpenStream") != NULL, "%s", debug);
  fail_unless (strstr (debug, Pa_GetErrorText (paDeviceUnavailable)) != NULL,
      "%s", debug);
  g_free (text);
  g_free (debug);
  fake_release (hold);

  /* released: it captures */
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 5 * GST_SECOND);
  fail_unless (sample != NULL);
  gst_sample_unref (sample);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_element_set_state (keep, GST_STATE_NULL);
  gst_object_unref (keep);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Busy when PortAudio lists the devices (its first initialisation): PortAudio
 * leaves the device out, and the not-found error says that busy devices are
 * not listed. */
GST_START_TEST (test_busy_when_listed)
{
  GstElement *pipeline = make_pipeline (FAKE_BUSY, "audio/x-raw", NULL);
  gpointer hold = fake_hold (FAKE_BUSY);
  gchar *text, *debug;

  text = fake_expect_error (pipeline, GST_STATE_READY, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_NOT_FOUND, "src", &debug);
  fake_release (hold);
  fail_unless (strstr (text, FAKE_BUSY) != NULL, "%s", text);
  fail_unless (strstr (debug, "busy") != NULL, "%s", debug);
  g_free (text);
  g_free (debug);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* The ramp the microphone plays in test_fails_while_capturing: sample i is
 * (i mod 20000) - 10000, so each sample says where it is in the sequence. */
static gint16
ramp (gsize i)
{
  return (gint16) ((gint) (i % 20000) - 10000);
}

/* The device fails while capturing (alsa-lib returns ENOSPC from the
 * device's data path): a RESOURCE/READ error naming the device and the
 * cause, within seconds; every block read before the failure reaches
 * downstream, in sequence and intact (nothing lost, nothing made up: only
 * the block whose read failed is missing); stopping the pipeline then does
 * not hang. */
GST_START_TEST (test_fails_while_capturing)
{
  gsize n = 10 * RATE, i, received, consumed, first;
  gint16 *x = g_new (gint16, n);
  GBytes *data;
  GstElement *pipeline = make_pipeline (FAKE_CAPTURE,
      "audio/x-raw,format=S16LE,rate=48000,channels=1",
      "latency-time=10000 buffer-time=1000000");
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  Capture c = { NULL, 0, 0, 0, 0, 0, NULL, GST_CLOCK_TIME_NONE, 0, 0, 0 };
  const gint16 *got;
  GstMessage *msg;
  GError *err = NULL;
  gchar *debug = NULL;
  gint64 t0;
  FakeMic *mic;

  for (i = 0; i < n; i++)
    x[i] = ramp (i);
  data = g_bytes_new_take (x, n * sizeof (gint16));
  mic = fake_mic_new (data, RATE, 2, 1.0);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (
      gst_element_get_state (src, NULL, NULL, 30 * GST_SECOND),
      GST_STATE_CHANGE_SUCCESS);
  fake_mic_go (mic);
  capture_frames (pipeline, GST_APP_SINK (sink), &c, RATE / 2, 2);

  fake_break_capture ();
  t0 = g_get_monotonic_time ();
  msg = fake_wait_error_or_eos (pipeline, 10 * GST_SECOND);
  fail_unless (msg != NULL, "no error within 10 s of the failure");
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &err, &debug);
  GST_INFO ("after %.3f s: %s (%s)", (g_get_monotonic_time () - t0) / 1e6,
      err->message, debug);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (src), "error from %s",
      GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)));
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ), "%s",
      err->message);
  fail_unless (strstr (err->message, FAKE_CAPTURE) != NULL, "%s", err->message);
  fail_unless (
      strstr (err->message, g_strerror (ENOSPC)) != NULL, "%s", err->message);
  fail_unless (strstr (debug, "PortAudio error") != NULL, "%s", debug);
  g_error_free (err);
  g_free (debug);
  gst_message_unref (msg);

  /* what was captured before the failure comes out, in sequence; on a
   * loaded machine the streaming thread may lag the device by several
   * blocks, so wait (bounded) for all but the failed block, not only for
   * a quiet half second */
  consumed = fake_mic_consumed (mic) / 2;
  t0 = g_get_monotonic_time ();
  while (capture_one (pipeline, GST_APP_SINK (sink), &c, 2, GST_SECOND / 2)
         || (c.data->len / 2 + 480 < consumed
             && g_get_monotonic_time () - t0 < 10 * G_USEC_PER_SEC))
    ;
  fail_unless (c.failure == NULL, "%s", c.failure);
  fail_unless_equals_int (c.n_discont, 0);
  received = c.data->len / 2;
  got = (const gint16 *) c.data->data;
  /* the device may deliver silence before the microphone's first sample */
  for (first = 0; first < received && got[first] == 0; first++)
    ;
  GST_INFO ("received %" G_GSIZE_FORMAT " frames (%" G_GSIZE_FORMAT
            " of silence first), the device took %" G_GSIZE_FORMAT,
      received, first, consumed);
  fail_unless (first < received && got[first] == ramp (0));
  for (i = first; i < received; i++)
    fail_unless (got[i] == ramp (i - first),
        "frame %" G_GSIZE_FORMAT ": %d, expected %d", i, got[i],
        ramp (i - first));
  /* all but the block whose read failed (one latency-time, 480 frames) */
  fail_unless (
      received - first < consumed && received - first + 480 >= consumed,
      "received %" G_GSIZE_FORMAT " frames of the %" G_GSIZE_FORMAT
      " the device read",
      received - first, consumed);

  t0 = g_get_monotonic_time ();
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  fail_unless (g_get_monotonic_time () - t0 < 5 * G_USEC_PER_SEC,
      "stopping took %.1f s", (g_get_monotonic_time () - t0) / 1e6);
  fake_mic_stop (mic);
  capture_clear (&c);
  g_bytes_unref (data);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
portaudiosrc_suite (void)
{
  Suite *s = suite_create ("portaudiosrc");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  /* a test that failed half-way may have left a device unplugged */
  tcase_add_checked_fixture (tc, fake_replug, NULL);
  tcase_add_test (tc, test_capture_f32);
  tcase_add_test (tc, test_capture_s16_slow_device);
  tcase_add_test (tc, test_capture_s32_stereo);
  tcase_add_test (tc, test_caps_from_device);
  tcase_add_test (tc, test_refused_rate);
  tcase_add_test (tc, test_unplugged_before_open);
  tcase_add_test (tc, test_start_stop_100);
  tcase_add_test (tc, test_pause_resume);
  tcase_add_test (tc, test_busy);
  tcase_add_test (tc, test_busy_when_listed);
  tcase_add_test (tc, test_fails_while_capturing);
  return s;
}

int
main (int argc, char **argv)
{
  fake_setup ();
  gst_check_init (&argc, &argv);
  return gst_check_run_suite (portaudiosrc_suite (), "portaudiosrc", __FILE__);
}
