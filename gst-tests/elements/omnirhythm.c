/* gst-omni: GstHarness tests for omnirhythm
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is built so that the answer is known: clicks (decaying 3 kHz
 * bursts) at known times and tempo, full-scale sines, silence, DC, noise,
 * clipping, NaN. The element must pass every sample through unchanged,
 * attach an OmniRhythmMeta to every buffer and post messages whose times
 * are the known ones, in running time.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/audio/audio.h>
#include <omni/omni.h>
#include <omni/meta/omnirhythmmeta.h>
#include <math.h>

#define assert_close(a, b, tol)                                                \
  fail_unless (fabs ((double) (a) - (double) (b)) <= (tol),                    \
      "%s = %.6g, expected %.6g +- %.3g", #a, (double) (a), (double) (b),      \
      (double) (tol))

typedef struct {
  GstHarness *h;
  GstBus *bus;
  gint rate, channels;
  GstAudioFormat format;
  gboolean planar;
  GstClockTime pts; /* of the next buffer */
} Rig;

static void
rig_setup (Rig *r, const gchar *props, GstAudioFormat format, gint rate,
    gint channels, gboolean planar)
{
  gchar *desc
      = g_strdup_printf ("omnirhythm name=rhythm %s", props ? props : "");
  /* more than two channels need a channel-mask; 0 means unpositioned */
  gchar *caps = g_strdup_printf (
      "audio/x-raw,format=%s,rate=%d,channels=%d,layout=%s%s",
      gst_audio_format_to_string (format), rate, channels,
      planar ? "non-interleaved" : "interleaved",
      channels > 2 ? ",channel-mask=(bitmask)0" : "");

  r->h = gst_harness_new_parse (desc);
  r->bus = gst_bus_new ();
  gst_element_set_bus (r->h->element, r->bus);
  gst_harness_set_src_caps_str (r->h, caps);
  r->rate = rate;
  r->channels = channels;
  r->format = format;
  r->planar = planar;
  r->pts = 0;
  g_free (desc);
  g_free (caps);
}

static void
rig_teardown (Rig *r)
{
  gst_element_set_bus (r->h->element, NULL);
  gst_bus_set_flushing (r->bus, TRUE);
  gst_object_unref (r->bus);
  gst_harness_teardown (r->h);
}

/* a buffer of @n frames holding mono signal @x (in [-1,1]) on every
 * channel, channel c scaled by (c + 1) / channels so that they differ */
static GstBuffer *
make_buffer (Rig *r, const gfloat *x, gsize n)
{
  gint bps = r->format == GST_AUDIO_FORMAT_F32LE ? 4 : 2;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, n * r->channels * bps, NULL);
  GstMapInfo map;
  gsize i;
  gint c;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (c = 0; c < r->channels; c++) {
    gfloat g = r->channels == 1 ? 1.0f : (c + 1.0f) / r->channels;
    for (i = 0; i < n; i++) {
      gsize idx = r->planar ? c * n + i : i * r->channels + c;
      gfloat v = x[i] * g;
      if (r->format == GST_AUDIO_FORMAT_F32LE) {
        ((gfloat *) map.data)[idx] = v;
      } else {
        gfloat s = CLAMP (v * 32768.0f, -32768.0f, 32767.0f);
        ((gint16 *) map.data)[idx] = (gint16) lrintf (s);
      }
    }
  }
  gst_buffer_unmap (buf, &map);
  if (r->planar) {
    GstAudioInfo info;
    GstAudioChannelPosition pos[8];
    gint c2;
    for (c2 = 0; c2 < r->channels; c2++)
      pos[c2] = r->channels > 2
                    ? GST_AUDIO_CHANNEL_POSITION_NONE
                    : (r->channels == 1
                            ? GST_AUDIO_CHANNEL_POSITION_MONO
                            : (c2 ? GST_AUDIO_CHANNEL_POSITION_FRONT_RIGHT
                                  : GST_AUDIO_CHANNEL_POSITION_FRONT_LEFT));
    gst_audio_info_set_format (&info, r->format, r->rate, r->channels, pos);
    info.layout = GST_AUDIO_LAYOUT_NON_INTERLEAVED;
    gst_buffer_add_audio_meta (buf, &info, n, NULL);
  }
  GST_BUFFER_PTS (buf) = r->pts;
  GST_BUFFER_DURATION (buf)
      = gst_util_uint64_scale_int_round (n, GST_SECOND, r->rate);
  r->pts += GST_BUFFER_DURATION (buf);
  return buf;
}

/* pushes @x in buffers of @chunk frames, returns how many were pushed */
static guint
push_signal (Rig *r, const gfloat *x, gsize n, gsize chunk)
{
  gsize i;
  guint count = 0;

  for (i = 0; i < n; i += chunk) {
    gsize m = MIN (chunk, n - i);
    GstClockTime pts0 = r->pts;
    GstBuffer *buf = make_buffer (r, x + i, m);
    /* exact sample-based timestamps */
    GST_BUFFER_PTS (buf) = pts0;
    fail_unless_equals_int (gst_harness_push (r->h, buf), GST_FLOW_OK);
    r->pts = gst_util_uint64_scale_int_round (
        (guint64) gst_util_uint64_scale_int_round (pts0, r->rate, GST_SECOND)
            + m,
        GST_SECOND, r->rate);
    count++;
  }
  return count;
}

/* decaying 3 kHz bursts at the given times (seconds) */
static gfloat *
clicks (gint rate, gdouble seconds, const gdouble *times, guint n_times)
{
  gsize n = (gsize) (seconds * rate), i;
  gfloat *x = g_new0 (gfloat, n);
  guint k;

  for (k = 0; k < n_times; k++) {
    gsize start = (gsize) llround (times[k] * rate);
    for (i = 0; i < (gsize) (0.02 * rate) && start + i < n; i++)
      x[start + i] += (gfloat) (0.5 * exp (-(gdouble) i / (0.003 * rate))
                                * sin (2.0 * G_PI * 3000.0 * i / rate));
  }
  return x;
}

static guint
metronome (gdouble bpm, gdouble first, gdouble seconds, gdouble *times)
{
  guint n = 0;
  gdouble t;

  for (t = first; t < seconds - 0.05 && n < 512; t += 60.0 / bpm)
    times[n++] = t;
  return n;
}

typedef struct {
  GstClockTime ts[512], rt[512], st[512];
  guint n;
} Events;

typedef struct {
  Events onsets, beats;
  guint summaries;
  gdouble last_tempo, last_conf;
  gboolean error;
} Messages;

static void
check_finite_structure (const GstStructure *s)
{
  gint i;

  for (i = 0; i < gst_structure_n_fields (s); i++) {
    const GValue *v
        = gst_structure_get_value (s, gst_structure_nth_field_name (s, i));
    if (G_VALUE_HOLDS_DOUBLE (v))
      fail_unless (isfinite (g_value_get_double (v)), "%s has a non-finite %s",
          gst_structure_get_name (s), gst_structure_nth_field_name (s, i));
  }
}

static void
collect (Rig *r, Messages *m)
{
  GstMessage *msg;

  while ((msg = gst_bus_pop_filtered (
              r->bus, GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR))) {
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      m->error = TRUE;
    } else {
      const GstStructure *s = gst_message_get_structure (msg);
      Events *e = NULL;
      check_finite_structure (s);
      if (gst_structure_has_name (s, "omnirhythm-onset"))
        e = &m->onsets;
      else if (gst_structure_has_name (s, "omnirhythm-beat"))
        e = &m->beats;
      else if (gst_structure_has_name (s, "omnirhythm")) {
        m->summaries++;
        fail_unless (gst_structure_get_double (s, "tempo", &m->last_tempo));
        fail_unless (gst_structure_get_double (s, "confidence", &m->last_conf));
        fail_unless (gst_structure_has_field (s, "rms")
                     && gst_structure_has_field (s, "peak")
                     && gst_structure_has_field (s, "centroid")
                     && gst_structure_has_field (s, "onset-rate")
                     && gst_structure_has_field (s, "duration"));
      }
      if (e && e->n < 512) {
        guint64 idx;
        fail_unless (gst_structure_get_uint64 (s, "timestamp", &e->ts[e->n]));
        fail_unless (
            gst_structure_get_uint64 (s, "running-time", &e->rt[e->n]));
        fail_unless (gst_structure_get_uint64 (s, "stream-time", &e->st[e->n]));
        fail_unless (gst_structure_get_uint64 (s, "index", &idx));
        fail_unless_equals_uint64 (idx, e->n);
        e->n++;
      }
    }
    gst_message_unref (msg);
  }
}

/* pulls every output buffer; checks the meta on each and, when @in is
 * given, that the bytes are the ones pushed */
static guint
pull_all (Rig *r, GQueue *in, guint *metas_with_onset, guint *metas_with_beat)
{
  GstBuffer *out;
  guint n = 0;

  while ((out = gst_harness_try_pull (r->h))) {
    OmniRhythmMeta *m = omni_buffer_get_rhythm_meta (out);
    fail_unless (m != NULL, "buffer %u without a meta", n);
    fail_unless (isfinite (m->onset_strength) && m->onset_strength >= 0.0);
    fail_unless (isfinite (m->tempo) && m->tempo >= 0.0);
    fail_unless (m->tempo_confidence >= 0.0 && m->tempo_confidence <= 1.0);
    fail_unless (m->beat_phase >= 0.0 && m->beat_phase < 1.0);
    fail_unless (isfinite (m->rms_db) && isfinite (m->peak_db));
    fail_unless (m->rms_db >= OMNI_RHYTHM_DB_FLOOR);
    fail_unless (
        isfinite (m->centroid) && isfinite (m->flux) && isfinite (m->rolloff));
    if (m->onset) {
      fail_unless (m->onset_offset < GST_BUFFER_DURATION (out) + 1);
      if (metas_with_onset)
        (*metas_with_onset)++;
    } else {
      fail_unless (m->onset_offset == GST_CLOCK_TIME_NONE);
    }
    if (m->beat) {
      fail_unless (m->beat_offset < GST_BUFFER_DURATION (out) + 1);
      if (metas_with_beat)
        (*metas_with_beat)++;
    } else {
      fail_unless (m->beat_offset == GST_CLOCK_TIME_NONE);
    }
    if (in) {
      GstBuffer *orig = g_queue_pop_head (in);
      GstMapInfo a, b;
      fail_unless (orig != NULL);
      gst_buffer_map (out, &a, GST_MAP_READ);
      gst_buffer_map (orig, &b, GST_MAP_READ);
      fail_unless_equals_int (a.size, b.size);
      fail_unless (memcmp (a.data, b.data, a.size) == 0, "samples changed");
      gst_buffer_unmap (out, &a);
      gst_buffer_unmap (orig, &b);
      fail_unless_equals_uint64 (GST_BUFFER_PTS (out), GST_BUFFER_PTS (orig));
      gst_buffer_unref (orig);
    }
    gst_buffer_unref (out);
    n++;
  }
  return n;
}

static void
check_onsets (const Events *e, const gdouble *times, guint n_times, gdouble tol,
    const gchar *what)
{
  guint i;

  fail_unless_equals_int (e->n, n_times);
  for (i = 0; i < n_times; i++)
    assert_close (e->ts[i] / 1e9, times[i], tol);
  (void) what;
}

/* a 120 BPM click track through every format, layout, channel count and a
 * range of rates: samples untouched, one meta per buffer, onsets on the
 * clicks, tempo 120 */
static void
run_format (GstAudioFormat format, gboolean planar, gint rate, gint channels,
    gdouble seconds)
{
  gdouble times[512];
  guint n_times = metronome (120.0, 0.5, seconds, times);
  gsize n = (gsize) (seconds * rate);
  gfloat *x = clicks (rate, seconds, times, n_times);
  Rig r;
  Messages m;
  GQueue in = G_QUEUE_INIT;
  gsize chunk = rate / 50, i;
  guint pushed = 0, pulled, with_onset = 0;

  memset (&m, 0, sizeof (m));
  rig_setup (&r, "interval=1000000000", format, rate, channels, planar);
  for (i = 0; i < n; i += chunk) {
    gsize k = MIN (chunk, n - i);
    GstBuffer *buf = make_buffer (&r, x + i, k);
    g_queue_push_tail (&in, gst_buffer_copy_deep (buf));
    fail_unless_equals_int (gst_harness_push (r.h, buf), GST_FLOW_OK);
    pushed++;
  }
  fail_unless (gst_harness_push_event (r.h, gst_event_new_eos ()));
  pulled = pull_all (&r, &in, &with_onset, NULL);
  fail_unless_equals_int (pulled, pushed);
  collect (&r, &m);
  fail_if (m.error);
  check_onsets (&m.onsets, times, n_times, 0.006, "onsets");
  fail_unless_equals_int (with_onset, n_times);
  fail_unless (m.summaries >= (guint) seconds - 1);
  assert_close (m.last_tempo, 120.0, 1.5);
  fail_unless (m.last_conf > 0.5, "confidence %g", m.last_conf);
  fail_unless (m.beats.n >= (guint) (2 * (seconds - 3.0)),
      "%u beats in %g s at %d Hz", m.beats.n, seconds, rate);
  for (i = 0; i < m.beats.n; i++) {
    gdouble t = m.beats.ts[i] / 1e9;
    assert_close (t, 0.5 + 0.5 * round ((t - 0.5) / 0.5), 0.015);
  }
  rig_teardown (&r);
  g_free (x);
}

GST_START_TEST (test_formats_interleaved)
{
  run_format (GST_AUDIO_FORMAT_F32LE, FALSE, 44100, 2, 6.0);
  run_format (GST_AUDIO_FORMAT_S16LE, FALSE, 44100, 2, 6.0);
  run_format (GST_AUDIO_FORMAT_F32LE, FALSE, 8000, 1, 6.0);
  run_format (GST_AUDIO_FORMAT_S16LE, FALSE, 22050, 8, 6.0);
}

GST_END_TEST;

GST_START_TEST (test_formats_planar)
{
  run_format (GST_AUDIO_FORMAT_F32LE, TRUE, 48000, 2, 6.0);
  run_format (GST_AUDIO_FORMAT_S16LE, TRUE, 16000, 5, 6.0);
  run_format (GST_AUDIO_FORMAT_F32LE, TRUE, 192000, 8, 5.0);
}

GST_END_TEST;

GST_START_TEST (test_levels_and_spectrum)
{
  Rig r;
  gsize n = 48000, i;
  gfloat *x = g_new (gfloat, n);
  GstBuffer *out;
  OmniRhythmMeta *m;

  /* full-scale 1 kHz sine on channel 1 of 1 (mono): -3.01 dB RMS, 0 dB
   * peak, centroid and roll-off at 1 kHz */
  for (i = 0; i < n; i++)
    x[i] = (gfloat) sin (2.0 * G_PI * 1000.0 * i / 48000.0);
  rig_setup (&r, NULL, GST_AUDIO_FORMAT_F32LE, 48000, 1, FALSE);
  push_signal (&r, x, n, 4800);
  fail_unless (gst_harness_push_event (r.h, gst_event_new_eos ()));
  for (i = 0; (out = gst_harness_try_pull (r.h)); i++) {
    m = omni_buffer_get_rhythm_meta (out);
    fail_unless (m != NULL);
    assert_close (m->rms_db, -3.0103, 0.01);
    assert_close (m->peak_db, 0.0, 0.01);
    if (i > 0) {
      assert_close (m->centroid, 1000.0, 60.0);
      assert_close (m->rolloff, 1000.0, 50.0);
      assert_close (m->flux, 0.0, 0.02);
      fail_if (m->onset);
    }
    gst_buffer_unref (out);
  }
  fail_unless_equals_int (i, 10);
  rig_teardown (&r);

  /* digital silence in S16: the floor, not -inf */
  memset (x, 0, n * sizeof (gfloat));
  rig_setup (&r, NULL, GST_AUDIO_FORMAT_S16LE, 48000, 2, FALSE);
  push_signal (&r, x, n, 4800);
  fail_unless (gst_harness_push_event (r.h, gst_event_new_eos ()));
  while ((out = gst_harness_try_pull (r.h))) {
    m = omni_buffer_get_rhythm_meta (out);
    assert_close (m->rms_db, OMNI_RHYTHM_DB_FLOOR, 0.0);
    assert_close (m->peak_db, OMNI_RHYTHM_DB_FLOOR, 0.0);
    assert_close (m->centroid, 0.0, 0.0);
    gst_buffer_unref (out);
  }
  rig_teardown (&r);
  g_free (x);
}

GST_END_TEST;

/* messages carry running time: a segment that starts at 10 s with a base
 * of 3 s maps PTS t to running time t - 10 s + 3 s */
GST_START_TEST (test_running_time)
{
  gdouble times[512];
  guint n_times = metronome (100.0, 0.3, 8.0, times), i;
  gfloat *x = clicks (44100, 8.0, times, n_times);
  GstSegment seg;
  Rig r;
  Messages m;
  guint with_beat = 0;

  memset (&m, 0, sizeof (m));
  rig_setup (&r, NULL, GST_AUDIO_FORMAT_F32LE, 44100, 2, FALSE);
  gst_segment_init (&seg, GST_FORMAT_TIME);
  seg.start = 10 * GST_SECOND;
  seg.time = 100 * GST_SECOND;
  seg.base = 3 * GST_SECOND;
  fail_unless (gst_harness_push_event (r.h, gst_event_new_segment (&seg)));
  r.pts = 10 * GST_SECOND;
  push_signal (&r, x, 8 * 44100, 441);
  fail_unless (gst_harness_push_event (r.h, gst_event_new_eos ()));
  pull_all (&r, NULL, NULL, &with_beat);
  collect (&r, &m);
  fail_unless_equals_int (m.onsets.n, n_times);
  for (i = 0; i < m.onsets.n; i++) {
    assert_close (m.onsets.ts[i] / 1e9, 10.0 + times[i], 0.006);
    fail_unless_equals_uint64 (
        m.onsets.rt[i], m.onsets.ts[i] - 10 * GST_SECOND + 3 * GST_SECOND);
    fail_unless_equals_uint64 (
        m.onsets.st[i], m.onsets.ts[i] - 10 * GST_SECOND + 100 * GST_SECOND);
  }
  fail_unless (m.beats.n >= 8, "%u beats", m.beats.n);
  fail_unless_equals_int (with_beat, m.beats.n);
  for (i = 0; i < m.beats.n; i++) {
    gdouble t = m.beats.ts[i] / 1e9 - 10.0;
    assert_close (t, 0.3 + 0.6 * round ((t - 0.3) / 0.6), 0.015);
    fail_unless_equals_uint64 (
        m.beats.rt[i], m.beats.ts[i] - 10 * GST_SECOND + 3 * GST_SECOND);
  }
  rig_teardown (&r);
  g_free (x);
}

GST_END_TEST;

/* the meta's onset and beat offsets point at the clicks, buffer by
 * buffer; beats come early (first within 3 s) and their messages within
 * 50 ms of the beat when buffers are 10 ms long */
GST_START_TEST (test_meta_offsets_and_latency)
{
  gdouble times[512];
  gint rate = 32000;
  guint n_times = metronome (128.0, 0.25, 8.0, times), i;
  gfloat *x = clicks (rate, 8.0, times, n_times);
  Rig r;
  GstBuffer *out;
  gsize chunk = rate / 100, pos;
  guint onsets = 0, beats = 0;
  gdouble first_beat_seen = -1.0, worst_delay = 0.0;

  rig_setup (&r, NULL, GST_AUDIO_FORMAT_F32LE, rate, 1, FALSE);
  for (pos = 0; pos < (gsize) (8 * rate); pos += chunk) {
    GstMessage *msg;
    push_signal (&r, x + pos, chunk, chunk);
    /* the stream time analysed so far is pos + chunk */
    while ((msg = gst_bus_pop_filtered (r.bus, GST_MESSAGE_ELEMENT))) {
      const GstStructure *s = gst_message_get_structure (msg);
      if (gst_structure_has_name (s, "omnirhythm-beat")) {
        guint64 ts;
        gdouble now = (gdouble) (pos + chunk) / rate;
        gst_structure_get_uint64 (s, "timestamp", &ts);
        if (first_beat_seen < 0.0)
          first_beat_seen = now;
        worst_delay = MAX (worst_delay, now - ts / 1e9);
      }
      gst_message_unref (msg);
    }
  }
  fail_unless (gst_harness_push_event (r.h, gst_event_new_eos ()));
  fail_unless (first_beat_seen > 0.0 && first_beat_seen <= 3.0,
      "first beat message after %g s", first_beat_seen);
  fail_unless (worst_delay <= 0.05, "beat message %g s late", worst_delay);

  while ((out = gst_harness_try_pull (r.h))) {
    OmniRhythmMeta *m = omni_buffer_get_rhythm_meta (out);
    gdouble start = GST_BUFFER_PTS (out) / 1e9;
    gdouble end = start + GST_BUFFER_DURATION (out) / 1e9;
    if (m->onset) {
      gdouble t = start + m->onset_offset / 1e9;
      gboolean near = FALSE;
      for (i = 0; i < n_times; i++)
        near |= fabs (t - times[i]) < 0.006;
      fail_unless (near, "onset at %g s", t);
      onsets++;
    } else {
      /* no click starts inside a buffer without an onset (5 ms margin for
       * an onset placed just across the boundary) */
      for (i = 0; i < n_times; i++)
        fail_if (times[i] >= start + 0.005 && times[i] < end - 0.005,
            "click at %g s missed in [%g, %g)", times[i], start, end);
    }
    if (m->beat) {
      gdouble t = start + m->beat_offset / 1e9;
      gdouble k = round ((t - 0.25) * 128.0 / 60.0);
      assert_close (t, 0.25 + k * 60.0 / 128.0, 0.015);
      beats++;
    }
    gst_buffer_unref (out);
  }
  fail_unless_equals_int (onsets, n_times);
  fail_unless (beats >= 10, "%u beats", beats);
  rig_teardown (&r);
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_latency_query)
{
  Rig r;
  GstClockTime lat;

  rig_setup (&r, NULL, GST_AUDIO_FORMAT_F32LE, 48000, 2, FALSE);
  lat = gst_harness_query_latency (r.h);
  /* half a 23 ms window and 1.5 hops of 10 ms (beats are emitted at the
   * tracker's predictions once the onsets before them are known) */
  fail_unless (lat >= 20 * GST_MSECOND && lat <= 35 * GST_MSECOND,
      "latency %" GST_TIME_FORMAT, GST_TIME_ARGS (lat));
  rig_teardown (&r);

  rig_setup (&r, "hop=20000000 window=46000000", GST_AUDIO_FORMAT_F32LE, 48000,
      2, FALSE);
  lat = gst_harness_query_latency (r.h);
  assert_close (lat / 1e9, 0.023 + 0.03, 0.002);
  rig_teardown (&r);
}

GST_END_TEST;

/* a flush forgets everything: indices start again at 0 and a silent
 * stream after it gets no beats from the music before */
GST_START_TEST (test_flush_resets)
{
  gdouble times[512];
  guint n_times = metronome (120.0, 0.5, 6.0, times);
  gfloat *x = clicks (22050, 6.0, times, n_times);
  gfloat *silence = g_new0 (gfloat, 3 * 22050);
  GstStructure *stats;
  guint64 restarts;
  GstSegment seg;
  Rig r;
  Messages m;

  memset (&m, 0, sizeof (m));
  rig_setup (&r, NULL, GST_AUDIO_FORMAT_S16LE, 22050, 1, FALSE);
  push_signal (&r, x, 6 * 22050, 1024);
  pull_all (&r, NULL, NULL, NULL);
  collect (&r, &m);
  fail_unless (m.beats.n > 4);
  fail_unless (m.onsets.n > 8);

  fail_unless (gst_harness_push_event (r.h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (r.h, gst_event_new_flush_stop (TRUE)));
  gst_segment_init (&seg, GST_FORMAT_TIME);
  fail_unless (gst_harness_push_event (r.h, gst_event_new_segment (&seg)));
  /* the buffers held at the flush are gone */
  fail_unless (gst_harness_try_pull (r.h) == NULL);
  memset (&m, 0, sizeof (m));
  r.pts = 0;
  push_signal (&r, silence, 3 * 22050, 1024);
  fail_unless (gst_harness_push_event (r.h, gst_event_new_eos ()));
  pull_all (&r, NULL, NULL, NULL);
  collect (&r, &m);
  fail_unless_equals_int (m.beats.n, 0);
  fail_unless_equals_int (m.onsets.n, 0);
  /* the music again after a second flush: indices from 0 (checked in
   * collect) */
  fail_unless (gst_harness_push_event (r.h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (r.h, gst_event_new_flush_stop (TRUE)));
  fail_unless (gst_harness_push_event (r.h, gst_event_new_segment (&seg)));
  r.pts = 0;
  push_signal (&r, x, 6 * 22050, 1024);
  fail_unless (gst_harness_push_event (r.h, gst_event_new_eos ()));
  pull_all (&r, NULL, NULL, NULL);
  collect (&r, &m);
  check_onsets (&m.onsets, times, n_times, 0.006, "after flush");

  {
    GstElement *e = gst_bin_get_by_name (GST_BIN (r.h->element), "rhythm");
    g_object_get (e, "stats", &stats, NULL);
    gst_object_unref (e);
  }
  fail_unless (gst_structure_get_uint64 (stats, "restarts", &restarts));
  fail_unless_equals_uint64 (restarts, 3);
  gst_structure_free (stats);
  rig_teardown (&r);
  g_free (x);
  g_free (silence);
}

GST_END_TEST;

/* a steady tone broken by discontinuities (a DISCONT flag, a jump of the
 * PTS, a gap) never produces an onset: the analysis restarts without
 * taking the jump for an attack */
GST_START_TEST (test_no_phantom_onsets)
{
  gint rate = 44100;
  gsize n = 2 * rate, i;
  gfloat *a = g_new (gfloat, n), *b = g_new (gfloat, n);
  GstBuffer *buf;
  Rig r;
  Messages m;

  for (i = 0; i < n; i++) {
    a[i] = (gfloat) (0.5 * sin (2.0 * G_PI * 440.0 * i / rate));
    /* the same tone an octave up, phase shifted: a jump in the waveform */
    b[i] = (gfloat) (0.5 * sin (2.0 * G_PI * 880.0 * i / rate + 1.0));
  }
  memset (&m, 0, sizeof (m));
  /* starting in the middle of a sound is no onset either */
  rig_setup (&r, NULL, GST_AUDIO_FORMAT_F32LE, rate, 2, FALSE);
  push_signal (&r, a, n, 1024);
  /* flagged discontinuity, timestamps continuing */
  buf = make_buffer (&r, b, 4096);
  GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
  fail_unless_equals_int (gst_harness_push (r.h, buf), GST_FLOW_OK);
  push_signal (&r, b + 4096, n - 4096, 1024);
  /* a jump of 3 s without the flag */
  r.pts += 3 * GST_SECOND;
  push_signal (&r, a, n, 1024);
  /* a gap event, then audio after it */
  fail_unless (
      gst_harness_push_event (r.h, gst_event_new_gap (r.pts, GST_SECOND)));
  r.pts += GST_SECOND;
  push_signal (&r, b, n, 1024);
  fail_unless (gst_harness_push_event (r.h, gst_event_new_eos ()));
  pull_all (&r, NULL, NULL, NULL);
  collect (&r, &m);
  fail_unless_equals_int (m.onsets.n, 0);
  fail_unless_equals_int (m.beats.n, 0);
  rig_teardown (&r);
  g_free (a);
  g_free (b);
}

GST_END_TEST;

static guint32 rng = 12345u;

static gfloat
noise (void)
{
  rng = rng * 1664525u + 1013904223u;
  return (gfloat) ((rng >> 8) / 16777216.0 * 2.0 - 1.0);
}

/* runs @x through and returns the last confidence and the beat count */
static void
run_plain (const gfloat *x, gsize n, gint rate, gsize chunk,
    GstAudioFormat format, Messages *m)
{
  Rig r;

  memset (m, 0, sizeof (*m));
  rig_setup (&r, "interval=500000000", format, rate, 2, FALSE);
  push_signal (&r, x, n, chunk);
  fail_unless (gst_harness_push_event (r.h, gst_event_new_eos ()));
  pull_all (&r, NULL, NULL, NULL);
  collect (&r, m);
  fail_if (m->error);
  rig_teardown (&r);
}

GST_START_TEST (test_no_rhythm)
{
  gint rate = 16000;
  gsize n = 12 * rate, i;
  gfloat *x = g_new0 (gfloat, n);
  Messages m;

  /* silence */
  run_plain (x, n, rate, 512, GST_AUDIO_FORMAT_F32LE, &m);
  fail_unless_equals_int (m.onsets.n, 0);
  fail_unless_equals_int (m.beats.n, 0);
  assert_close (m.last_conf, 0.0, 0.0);
  assert_close (m.last_tempo, 0.0, 0.0);
  /* DC */
  for (i = 0; i < n; i++)
    x[i] = 0.5f;
  run_plain (x, n, rate, 512, GST_AUDIO_FORMAT_S16LE, &m);
  fail_unless (m.onsets.n <= 1);
  fail_unless_equals_int (m.beats.n, 0);
  assert_close (m.last_conf, 0.0, 0.05);
  /* white noise: no rhythm, confidence near 0, no beats */
  for (i = 0; i < n; i++)
    x[i] = 0.3f * noise ();
  run_plain (x, n, rate, 512, GST_AUDIO_FORMAT_F32LE, &m);
  fail_unless_equals_int (m.beats.n, 0);
  fail_unless (m.last_conf < 0.1, "noise confidence %g", m.last_conf);
  g_free (x);
}

GST_END_TEST;

GST_START_TEST (test_bad_samples)
{
  gint rate = 22050;
  gsize n = 6 * rate, i;
  gfloat *x = g_new0 (gfloat, n);
  Messages m;

  /* clipping: a square wave far beyond full scale in F32 and at full
   * scale in S16 */
  for (i = 0; i < n; i++)
    x[i] = (i / 50) % 2 ? 4.0f : -4.0f;
  run_plain (x, n, rate, 1000, GST_AUDIO_FORMAT_F32LE, &m);
  run_plain (x, n, rate, 1000, GST_AUDIO_FORMAT_S16LE, &m);
  /* NaN and infinities sprinkled over clicks: analysed as silence, no NaN
   * anywhere (every double of every message and meta is checked) */
  for (i = 0; i < n; i++)
    x[i] = (i % 11025) < 200 ? 0.5f * sinf (i * 0.8f) : 0.0f;
  for (i = 0; i < n; i += 777)
    x[i] = i % 3 == 0 ? NAN : i % 3 == 1 ? INFINITY : -INFINITY;
  run_plain (x, n, rate, 1000, GST_AUDIO_FORMAT_F32LE, &m);
  fail_unless (m.onsets.n >= 8, "%u onsets", m.onsets.n);
  /* a single impulse: one onset */
  memset (x, 0, n * sizeof (gfloat));
  x[3 * rate] = 1.0f;
  run_plain (x, n, rate, 1000, GST_AUDIO_FORMAT_F32LE, &m);
  fail_unless_equals_int (m.onsets.n, 1);
  assert_close (m.onsets.ts[0] / 1e9, 3.0, 0.01);
  fail_unless_equals_int (m.beats.n, 0);
  g_free (x);
}

GST_END_TEST;

/* buffers of one sample each: same onsets as big buffers */
GST_START_TEST (test_one_sample_buffers)
{
  gint rate = 8000;
  gdouble times[512];
  guint n_times = metronome (150.0, 0.3, 3.0, times);
  gfloat *x = clicks (rate, 3.0, times, n_times);
  Rig r;
  Messages m;
  guint pushed, pulled;

  memset (&m, 0, sizeof (m));
  rig_setup (&r, NULL, GST_AUDIO_FORMAT_S16LE, rate, 1, FALSE);
  pushed = push_signal (&r, x, 3 * rate, 1);
  fail_unless (gst_harness_push_event (r.h, gst_event_new_eos ()));
  pulled = pull_all (&r, NULL, NULL, NULL);
  fail_unless_equals_int (pulled, pushed);
  collect (&r, &m);
  check_onsets (&m.onsets, times, n_times, 0.006, "1-sample buffers");
  rig_teardown (&r);
  g_free (x);
}

GST_END_TEST;

/* the rate changes in the middle of the stream: the analysis restarts at
 * the new rate and keeps its times right */
GST_START_TEST (test_rate_change)
{
  gdouble times[512];
  guint n_times = metronome (120.0, 0.5, 5.0, times), i;
  gfloat *x44 = clicks (44100, 5.0, times, n_times);
  gfloat *x16 = clicks (16000, 5.0, times, n_times);
  GstClockTime t0;
  Rig r;
  Messages m;

  memset (&m, 0, sizeof (m));
  rig_setup (&r, NULL, GST_AUDIO_FORMAT_F32LE, 44100, 2, FALSE);
  push_signal (&r, x44, 5 * 44100, 1024);
  t0 = r.pts;
  gst_harness_set_src_caps_str (
      r.h, "audio/x-raw,format=F32LE,rate=16000,channels=2,layout=interleaved");
  r.rate = 16000;
  r.pts = t0;
  push_signal (&r, x16, 5 * 16000, 1000);
  fail_unless (gst_harness_push_event (r.h, gst_event_new_eos ()));
  pull_all (&r, NULL, NULL, NULL);
  collect (&r, &m);
  fail_if (m.error);
  fail_unless_equals_int (m.onsets.n, 2 * n_times);
  for (i = 0; i < n_times; i++) {
    assert_close (m.onsets.ts[i] / 1e9, times[i], 0.006);
    assert_close (m.onsets.ts[n_times + i] / 1e9, t0 / 1e9 + times[i], 0.006);
  }
  rig_teardown (&r);
  g_free (x44);
  g_free (x16);
}

GST_END_TEST;

GST_START_TEST (test_properties)
{
  GstElement *e = gst_element_factory_make ("omnirhythm", NULL);
  GstClockTime hop, window, interval;
  gdouble tmin, tmax;
  gboolean post;
  Rig r;
  Messages m;
  gfloat x[4096];

  fail_unless (e != NULL);
  g_object_get (e, "hop", &hop, "window", &window, "tempo-min", &tmin,
      "tempo-max", &tmax, "interval", &interval, "post-messages", &post, NULL);
  fail_unless_equals_uint64 (hop, 10 * GST_MSECOND);
  fail_unless (window > 20 * GST_MSECOND && window < 25 * GST_MSECOND);
  assert_close (tmin, 40.0, 0.0);
  assert_close (tmax, 250.0, 0.0);
  fail_unless_equals_uint64 (interval, GST_SECOND);
  fail_unless (post);
  {
    gint tracker;
    g_object_get (e, "tracker", &tracker, NULL);
    fail_unless_equals_int (tracker, 2); /* select */
    gst_util_set_object_arg (G_OBJECT (e), "tracker", "state-space");
    g_object_get (e, "tracker", &tracker, NULL);
    fail_unless_equals_int (tracker, 1);
  }
  gst_object_unref (e);

  /* tempo-min above tempo-max is an error, not a crash */
  memset (&m, 0, sizeof (m));
  memset (x, 0, sizeof (x));
  rig_setup (&r, "tempo-min=200 tempo-max=100", GST_AUDIO_FORMAT_F32LE, 44100,
      1, FALSE);
  {
    GstBuffer *buf = make_buffer (&r, x, 4096);
    fail_if (gst_harness_push (r.h, buf) == GST_FLOW_OK);
  }
  collect (&r, &m);
  fail_unless (m.error);
  rig_teardown (&r);

  /* post-messages=false: metas, no messages */
  memset (&m, 0, sizeof (m));
  rig_setup (
      &r, "post-messages=false", GST_AUDIO_FORMAT_F32LE, 44100, 1, FALSE);
  {
    gdouble times[16];
    guint nt = metronome (120.0, 0.5, 4.0, times);
    gfloat *c = clicks (44100, 4.0, times, nt);
    guint with_onset = 0;
    push_signal (&r, c, 4 * 44100, 2048);
    fail_unless (gst_harness_push_event (r.h, gst_event_new_eos ()));
    pull_all (&r, NULL, &with_onset, NULL);
    collect (&r, &m);
    fail_unless_equals_int (m.onsets.n + m.beats.n + m.summaries, 0);
    fail_unless_equals_int (with_onset, nt);
    g_free (c);
  }
  rig_teardown (&r);
}

GST_END_TEST;

/* tracker=state-space through the element: beats on the clicks of a 120
 * BPM track, within 15 ms, from the third second on */
GST_START_TEST (test_state_space_tracker)
{
  gdouble times[64];
  guint nt = metronome (120.0, 0.5, 10.0, times), i;
  gfloat *c = clicks (44100, 10.0, times, nt);
  Rig r;
  Messages m;

  memset (&m, 0, sizeof (m));
  rig_setup (
      &r, "tracker=state-space", GST_AUDIO_FORMAT_F32LE, 44100, 1, FALSE);
  push_signal (&r, c, 10 * 44100, 441);
  fail_unless (gst_harness_push_event (r.h, gst_event_new_eos ()));
  pull_all (&r, NULL, NULL, NULL);
  collect (&r, &m);
  fail_if (m.error);
  fail_unless (m.beats.n >= 12, "%u beats", m.beats.n);
  fail_unless (m.beats.ts[0] < 4 * GST_SECOND);
  for (i = 0; i < m.beats.n; i++) {
    gdouble t = m.beats.ts[i] / 1e9;
    assert_close (t, 0.5 + 0.5 * round ((t - 0.5) / 0.5), 0.015);
  }
  assert_close (m.last_tempo, 120.0, 1.5);
  rig_teardown (&r);
  g_free (c);
}

GST_END_TEST;

/* The loud-event and speech/music cues in the meta: a held full-scale
 * sine (short-term level -3.01 dB, no impulses, persistence near 1, cues
 * over a growing part of a second), then shots at 10 a second (noise
 * bursts decaying in 40 ms): impulses. */
GST_START_TEST (test_loud_and_speech_cues)
{
  Rig r;
  gsize n = 96000, i;
  gfloat *x = g_new0 (gfloat, n);
  GstBuffer *out;
  OmniRhythmMeta *m;
  guint impulses = 0, k;

  for (i = 0; i < 48000; i++)
    x[i] = (gfloat) sin (2.0 * G_PI * 1000.0 * i / 48000.0);
  for (k = 0; k < 10; k++) {
    for (i = 0; i < 4800; i++)
      x[48000 + k * 4800 + i]
          = 0.9f * noise () * (gfloat) exp (-(gdouble) i / (0.04 * 48000));
  }
  rig_setup (&r, NULL, GST_AUDIO_FORMAT_F32LE, 48000, 1, FALSE);
  push_signal (&r, x, n, 4800);
  fail_unless (gst_harness_push_event (r.h, gst_event_new_eos ()));
  for (i = 0; (out = gst_harness_try_pull (r.h)); i++) {
    m = omni_buffer_get_rhythm_meta (out);
    fail_unless (m != NULL);
    if (i < 10) {
      assert_close (m->short_term_db, -3.0103, 0.05);
      fail_unless_equals_int (m->impulses, 0);
      assert_close (m->context_s, MIN (1.0, (i + 1) * 0.1), 0.011);
      /* persistence compares spectra 100 ms apart; the first four 40 ms
       * spectra hold the start of the stream (zeros before it) */
      if (i > 0)
        fail_unless (m->persistence > 0.9 && m->persistence <= 1.0 + 1e-9, "%g",
            m->persistence);
      assert_close (m->level_std_db, 0.0, 0.1);
    } else {
      impulses += m->impulses;
    }
    gst_buffer_unref (out);
  }
  fail_unless_equals_int (i, 20);
  /* the first shot follows the sine without a jump; each later one is
   * seen 70 ms after it (the last may fall after the end) */
  fail_unless (impulses >= 8 && impulses <= 10, "%u", impulses);
  rig_teardown (&r);
  g_free (x);
}

GST_END_TEST;

static Suite *
omnirhythm_suite (void)
{
  Suite *s = suite_create ("omnirhythm");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_formats_interleaved);
  tcase_add_test (tc, test_formats_planar);
  tcase_add_test (tc, test_levels_and_spectrum);
  tcase_add_test (tc, test_running_time);
  tcase_add_test (tc, test_meta_offsets_and_latency);
  tcase_add_test (tc, test_latency_query);
  tcase_add_test (tc, test_flush_resets);
  tcase_add_test (tc, test_no_phantom_onsets);
  tcase_add_test (tc, test_no_rhythm);
  tcase_add_test (tc, test_bad_samples);
  tcase_add_test (tc, test_one_sample_buffers);
  tcase_add_test (tc, test_rate_change);
  tcase_add_test (tc, test_properties);
  tcase_add_test (tc, test_state_space_tracker);
  tcase_add_test (tc, test_loud_and_speech_cues);
  return s;
}

GST_CHECK_MAIN (omnirhythm);
