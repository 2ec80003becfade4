/* gst-omni: omnifusion unit tests (GstHarness, live, test clock) and unit
 * tests of its policy, hysteresis and caption template.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every input buffer is made here with the metas an encoder would attach,
 * so the expected windows, evidence and segments are known by
 * construction.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/check/gsttestclock.h>
#include <omni/omni.h>

#include "../../plugins/omni/omnifusioncaption.h"
#include "../../plugins/omni/omnifusionpolicy.h"

#define VIDEO_CAPS "video/x-raw,format=GRAY8,width=8,height=8,framerate=30/1"
#define AUDIO_CAPS                                                             \
  "audio/x-raw,format=F32LE,rate=48000,channels=1,layout=interleaved"
#define CAPTION_CAPS "text/x-raw,format=utf8"
#define EVENTS_CAPS "application/x-omni-events"
#define RATE 48000
#define FRAME_PTS(i) gst_util_uint64_scale ((i), GST_SECOND, 30)
#define SAMPLE_PTS(n) gst_util_uint64_scale ((n), GST_SECOND, RATE)

static const gchar *nsfw_labels[]
    = { "Drawing", "Hentai", "Neutral", "Porn", "Sexy", NULL };

static gchar *
data_path (const gchar *name)
{
  return g_build_filename (OMNI_TESTS_SRCDIR, "data", name, NULL);
}

/* ---- buffers with metas -------------------------------------------- */

/* A tiny GRAY8 frame; @scene marks a scene cut (a white frame after a
 * black one, as omnisampler would); @porn >= 0 adds nsfwjs scores. */
static GstBuffer *
make_frame (GstClockTime pts, gboolean scene, gdouble porn, gdouble sexy)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, 64, NULL);

  gst_buffer_memset (b, 0, scene ? 255 : 0, 64);
  GST_BUFFER_PTS (b) = pts;
  GST_BUFFER_DURATION (b) = GST_SECOND / 30;
  if (scene)
    omni_buffer_add_sample_meta (b, OMNI_SAMPLE_REASON_SCENE, 0.95, 0);
  if (porn >= 0) {
    gfloat scores[5];

    scores[0] = 0.0f;
    scores[1] = 0.0f;
    scores[3] = (gfloat) porn;
    scores[4] = (gfloat) sexy;
    scores[2] = (gfloat) MAX (0.0, 1.0 - porn - sexy);
    omni_buffer_add_class_meta (b, "nsfw", 5, nsfw_labels, scores);
  }
  return b;
}

/* An audio buffer of @samples mono F32 samples starting at sample
 * @first; an onset is marked when @onset_at (running time = PTS here)
 * falls inside it, with its exact offset. */
static GstBuffer *
make_audio (guint64 first, guint samples, GstClockTime onset_at, gdouble rms_db)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, samples * 4, NULL);
  GstClockTime pts = SAMPLE_PTS (first);
  GstClockTime end = SAMPLE_PTS (first + samples);
  OmniRhythmMeta *rm;

  gst_buffer_memset (b, 0, 0, samples * 4);
  GST_BUFFER_PTS (b) = pts;
  GST_BUFFER_DURATION (b) = end - pts;
  rm = omni_buffer_add_rhythm_meta (b);
  rm->rms_db = rms_db;
  rm->peak_db = rms_db + 3;
  if (GST_CLOCK_TIME_IS_VALID (onset_at) && onset_at >= pts && onset_at < end) {
    rm->onset = TRUE;
    rm->onset_offset = onset_at - pts;
    rm->onset_strength = 10;
  }
  return b;
}

/* ---- fixture --------------------------------------------------------- */

typedef struct {
  GstElement *fusion;
  GstHarness *hv, *ha;
  GstBus *bus;
} Fixture;

static void
fixture_init (Fixture *f, gboolean with_audio, const gchar *out_caps,
    const gchar *first_prop, ...)
{
  va_list args;

  memset (f, 0, sizeof (*f));
  f->fusion = gst_element_factory_make ("omnifusion", NULL);
  fail_unless (f->fusion != NULL);
  /* GstAggregator's latency also bounds how much a live pad may queue:
   * 5 s lets a test push one pad well ahead of the other. Tests that
   * crank the clock set their own. */
  g_object_set (f->fusion, "latency", 5 * GST_SECOND, NULL);
  if (first_prop) {
    va_start (args, first_prop);
    g_object_set_valist (G_OBJECT (f->fusion), first_prop, args);
    va_end (args);
  }
  f->bus = gst_bus_new ();
  gst_element_set_bus (f->fusion, f->bus);
  f->hv = gst_harness_new_with_element (f->fusion, "video", "src");
  gst_harness_set_sink_caps_str (f->hv, out_caps);
  if (with_audio) {
    f->ha = gst_harness_new_with_element (f->fusion, "audio", NULL);
    gst_harness_set_src_caps_str (f->ha, AUDIO_CAPS);
  }
  gst_harness_set_src_caps_str (f->hv, VIDEO_CAPS);
}

static void
fixture_clear (Fixture *f)
{
  if (f->ha)
    gst_harness_teardown (f->ha);
  gst_harness_teardown (f->hv);
  gst_element_set_bus (f->fusion, NULL);
  gst_object_unref (f->bus);
  gst_object_unref (f->fusion);
}

/* Next element message called @name (others of that kind are skipped). */
static GstStructure *
next_message (Fixture *f, const gchar *name)
{
  GstMessage *m;

  while ((m = gst_bus_timed_pop_filtered (
              f->bus, 10 * GST_SECOND, GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (m);

    if (gst_structure_has_name (s, name)) {
      GstStructure *copy = gst_structure_copy (s);

      gst_message_unref (m);
      return copy;
    }
    gst_message_unref (m);
  }
  return NULL;
}

/* Pulls the next window buffer and returns its meta's evidence field. */
static GstBuffer *
pull_window (Fixture *f, guint64 index, OmniFusionMeta **meta)
{
  GstBuffer *b = gst_harness_pull (f->hv);
  OmniFusionMeta *m;

  fail_unless (b != NULL, "no window %" G_GUINT64_FORMAT, index);
  m = omni_buffer_get_fusion_meta (b);
  fail_unless (m != NULL);
  fail_unless_equals_uint64 (m->window_start, index * GST_SECOND);
  fail_unless_equals_uint64 (m->window_end, (index + 1) * GST_SECOND);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (b), index * GST_SECOND);
  fail_unless_equals_uint64 (GST_BUFFER_DURATION (b), GST_SECOND);
  *meta = m;
  return b;
}

static guint
ev_uint (OmniFusionMeta *m, const gchar *field)
{
  guint v = G_MAXUINT;

  fail_unless (m->evidence != NULL);
  fail_unless (gst_structure_get_uint (m->evidence, field, &v),
      "no uint %s in %" GST_PTR_FORMAT, field, m->evidence);
  return v;
}

static gint64
ev_int64 (OmniFusionMeta *m, const gchar *field)
{
  gint64 v = -1;

  fail_unless (gst_structure_get_int64 (m->evidence, field, &v),
      "no int64 %s in %" GST_PTR_FORMAT, field, m->evidence);
  return v;
}

static gdouble
ev_double (OmniFusionMeta *m, const gchar *field)
{
  gdouble v = -1;

  fail_unless (gst_structure_get_double (m->evidence, field, &v),
      "no double %s in %" GST_PTR_FORMAT, field, m->evidence);
  return v;
}

/* Pushes 30 fps video and @spb-sample audio buffers in time order up to
 * @until (exclusive), with a scene cut on the frame at @frame_event and
 * an onset at @click. */
static void
push_av (Fixture *f, guint frames_from, guint64 samples_from,
    GstClockTime until, guint spb, GstClockTime frame_event, GstClockTime click)
{
  guint i = frames_from;
  guint64 n = samples_from;

  for (;;) {
    GstClockTime vt = FRAME_PTS (i), at = SAMPLE_PTS (n);

    if (vt >= until && at >= until)
      break;
    if (vt <= at && vt < until) {
      fail_unless_equals_int (
          gst_harness_push (f->hv, make_frame (vt, vt == frame_event, -1, 0)),
          GST_FLOW_OK);
      i++;
    } else {
      fail_unless_equals_int (
          gst_harness_push (f->ha, make_audio (n, spb, click, -20)),
          GST_FLOW_OK);
      n += spb;
    }
  }
}

/* ---- alignment ------------------------------------------------------- */

GST_START_TEST (test_av_same_window)
{
  Fixture f;
  OmniFusionMeta *m;
  GstBuffer *b;
  GstStructure *msg;

  fixture_init (&f, TRUE, CAPTION_CAPS, NULL);
  /* a white frame and a click, both at exactly 1 s; the click is 896
   * samples into the audio buffer that starts at 0.981 s */
  push_av (&f, 0, 0, 2100 * GST_MSECOND, 1024, GST_SECOND, GST_SECOND);

  b = pull_window (&f, 0, &m);
  fail_unless_equals_int (ev_uint (m, "video-frames"), 30);
  fail_unless_equals_int (ev_uint (m, "audio-buffers"), 47);
  fail_unless_equals_int (ev_uint (m, "scene-cuts"), 0);
  fail_unless_equals_int (ev_uint (m, "onsets"), 0);
  fail_unless_equals_int (
      m->present, OMNI_MODALITY_VIDEO | OMNI_MODALITY_AUDIO);
  fail_unless_equals_int (m->missing, 0);
  gst_buffer_unref (b);

  b = pull_window (&f, 1, &m);
  fail_unless_equals_int (ev_uint (m, "video-frames"), 30);
  fail_unless_equals_int (ev_uint (m, "audio-buffers"), 47);
  fail_unless_equals_int (ev_uint (m, "scene-cuts"), 1);
  fail_unless_equals_int (ev_uint (m, "onsets"), 1);
  fail_unless_equals_int64 (ev_int64 (m, "first-scene-cut"), GST_SECOND);
  fail_unless_equals_int64 (ev_int64 (m, "first-onset"), GST_SECOND);
  fail_unless_equals_int64 (ev_int64 (m, "first-frame"), GST_SECOND);
  /* the buffer holding the click started in window 0: the first audio
   * buffer of window 1 starts after the click */
  fail_unless_equals_int64 (
      ev_int64 (m, "first-audio"), SAMPLE_PTS (47 * 1024));
  gst_buffer_unref (b);

  msg = next_message (&f, "omnifusion");
  fail_unless (msg != NULL);
  fail_unless_equals_string (
      gst_structure_get_string (msg, "video"), "present");
  gst_structure_free (msg);
  fixture_clear (&f);
}

GST_END_TEST;

GST_START_TEST (test_av_offset)
{
  Fixture f;
  OmniFusionMeta *m;
  GstBuffer *b;

  fixture_init (&f, TRUE, CAPTION_CAPS, NULL);
  /* the white frame at 1 s, the click one second later */
  push_av (&f, 0, 0, 3100 * GST_MSECOND, 1024, GST_SECOND, 2 * GST_SECOND);
  gst_buffer_unref (pull_window (&f, 0, &m));
  b = pull_window (&f, 1, &m);
  fail_unless_equals_int (ev_uint (m, "scene-cuts"), 1);
  fail_unless_equals_int (ev_uint (m, "onsets"), 0);
  gst_buffer_unref (b);
  b = pull_window (&f, 2, &m);
  fail_unless_equals_int (ev_uint (m, "scene-cuts"), 0);
  fail_unless_equals_int (ev_uint (m, "onsets"), 1);
  fail_unless_equals_int64 (ev_int64 (m, "first-onset"), 2 * GST_SECOND);
  gst_buffer_unref (b);
  fixture_clear (&f);

  /* a click 1 ms before the window boundary stays in the earlier window */
  fixture_init (&f, TRUE, CAPTION_CAPS, NULL);
  push_av (
      &f, 0, 0, 2100 * GST_MSECOND, 1024, GST_SECOND, GST_SECOND - GST_MSECOND);
  b = pull_window (&f, 0, &m);
  fail_unless_equals_int (ev_uint (m, "onsets"), 1);
  fail_unless_equals_int64 (ev_int64 (m, "first-onset"), 999 * GST_MSECOND);
  gst_buffer_unref (b);
  b = pull_window (&f, 1, &m);
  fail_unless_equals_int (ev_uint (m, "onsets"), 0);
  fail_unless_equals_int (ev_uint (m, "scene-cuts"), 1);
  gst_buffer_unref (b);
  fixture_clear (&f);
}

GST_END_TEST;

GST_START_TEST (test_audio_buffer_sizes)
{
  const guint sizes[] = { 160, 1000, 1024, 4800, 19200 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    Fixture f;
    OmniFusionMeta *m;
    GstBuffer *b;
    guint spb = sizes[i];
    guint expect0 = (RATE + spb - 1) / spb;

    fixture_init (&f, TRUE, CAPTION_CAPS, NULL);
    push_av (&f, 0, 0, 2 * GST_SECOND + SAMPLE_PTS (spb), spb, GST_SECOND,
        GST_SECOND);
    b = pull_window (&f, 0, &m);
    fail_unless_equals_int (ev_uint (m, "onsets"), 0);
    fail_unless_equals_int (ev_uint (m, "audio-buffers"), expect0);
    gst_buffer_unref (b);
    b = pull_window (&f, 1, &m);
    fail_unless_equals_int (ev_uint (m, "onsets"), 1);
    fail_unless_equals_int (ev_uint (m, "scene-cuts"), 1);
    fail_unless_equals_int64 (ev_int64 (m, "first-onset"), GST_SECOND);
    fail_unless_equals_int64 (ev_int64 (m, "first-scene-cut"), GST_SECOND);
    gst_buffer_unref (b);
    fixture_clear (&f);
  }
}

GST_END_TEST;

/* Video with segment.start = 10 s, audio at rate 2: PTS differ, running
 * times agree. */
GST_START_TEST (test_segment_start_rate)
{
  Fixture f;
  GstSegment vseg, aseg;
  OmniFusionMeta *m;
  GstBuffer *b;
  GstStructure *msg;
  GstClockTime st = 0;
  guint i;
  guint64 n = 0;

  fixture_init (&f, TRUE, CAPTION_CAPS, NULL);
  gst_segment_init (&vseg, GST_FORMAT_TIME);
  vseg.start = vseg.time = vseg.position = 10 * GST_SECOND;
  gst_segment_init (&aseg, GST_FORMAT_TIME);
  aseg.rate = 2.0;
  fail_unless (gst_harness_push_event (f.hv, gst_event_new_segment (&vseg)));
  fail_unless (gst_harness_push_event (f.ha, gst_event_new_segment (&aseg)));

  /* running time t: video PTS 10 s + t, audio PTS 2 t; scene cut and
   * click at running time 1 s */
  for (i = 0; i <= 60;) {
    GstClockTime vrt = FRAME_PTS (i), art = SAMPLE_PTS (n) / 2;

    if (vrt <= art) {
      gst_harness_push (
          f.hv, make_frame (10 * GST_SECOND + vrt, vrt == GST_SECOND, -1, 0));
      i++;
    } else {
      gst_harness_push (f.ha, make_audio (n, 1024, 2 * GST_SECOND, -20));
      n += 1024;
    }
  }
  while (SAMPLE_PTS (n - 1024) / 2 < 2 * GST_SECOND) {
    gst_harness_push (f.ha, make_audio (n, 1024, 2 * GST_SECOND, -20));
    n += 1024;
  }

  gst_buffer_unref (pull_window (&f, 0, &m));
  b = pull_window (&f, 1, &m);
  fail_unless_equals_int (ev_uint (m, "scene-cuts"), 1);
  fail_unless_equals_int (ev_uint (m, "onsets"), 1);
  fail_unless_equals_int64 (ev_int64 (m, "first-onset"), GST_SECOND);
  fail_unless_equals_int64 (ev_int64 (m, "first-scene-cut"), GST_SECOND);
  /* audio at rate 2: twice as many buffers per second of running time */
  fail_unless_equals_int (ev_uint (m, "audio-buffers"), 94);
  gst_buffer_unref (b);

  gst_structure_free (next_message (&f, "omnifusion"));
  msg = next_message (&f, "omnifusion");
  fail_unless (gst_structure_get_uint64 (msg, "stream-time", &st));
  fail_unless_equals_uint64 (st, 11 * GST_SECOND);
  gst_structure_free (msg);
  fixture_clear (&f);
}

GST_END_TEST;

/* ---- live: stalls, EOS, flush ------------------------------------------ */

/* Audio stops at 0.5 s; video goes on. The aggregator's deadline emits
 * each window anyway, with audio marked missing. */
GST_START_TEST (test_live_stall)
{
  Fixture f;
  OmniFusionMeta *m;
  GstBuffer *b;
  GstStructure *msg, *stats;
  guint i;
  guint64 n = 0, timeouts = 0;
  GstTestClock *clock;

  /* latency 3 s lets the video queue hold everything we push */
  fixture_init (&f, TRUE, CAPTION_CAPS, "latency", 3 * GST_SECOND, NULL);
  clock = gst_harness_get_testclock (f.hv);
  for (i = 0; i <= 60;) {
    GstClockTime vt = FRAME_PTS (i), at = SAMPLE_PTS (n);

    if (at < GST_SECOND / 2 && at < vt) {
      gst_harness_push (f.ha, make_audio (n, 1024, GST_CLOCK_TIME_NONE, -20));
      n += 1024;
    } else {
      gst_harness_push (f.hv, make_frame (vt, FALSE, -1, 0));
      i++;
    }
  }

  /* window 0 is due at 0 + 1 s (window) + 3 s (latency) */
  fail_unless (gst_harness_crank_single_clock_wait (f.hv));
  fail_unless_equals_uint64 (
      gst_clock_get_time (GST_CLOCK (clock)), 4 * GST_SECOND);
  b = pull_window (&f, 0, &m);
  fail_unless_equals_int (
      m->present, OMNI_MODALITY_VIDEO | OMNI_MODALITY_AUDIO);
  fail_unless_equals_int (m->missing, 0);
  fail_unless_equals_int (ev_uint (m, "audio-buffers"), 24);
  gst_buffer_unref (b);

  fail_unless (gst_harness_crank_single_clock_wait (f.hv));
  fail_unless_equals_uint64 (
      gst_clock_get_time (GST_CLOCK (clock)), 5 * GST_SECOND);
  b = pull_window (&f, 1, &m);
  fail_unless_equals_int (m->present, OMNI_MODALITY_VIDEO);
  fail_unless_equals_int (m->missing, OMNI_MODALITY_AUDIO);
  fail_unless_equals_int (ev_uint (m, "video-frames"), 30);
  fail_unless (strstr (m->caption, "audio missing") != NULL, "%s", m->caption);
  gst_buffer_unref (b);

  msg = next_message (&f, "omnifusion");
  fail_unless_equals_string (
      gst_structure_get_string (msg, "audio"), "present");
  gst_structure_free (msg);
  msg = next_message (&f, "omnifusion");
  fail_unless_equals_string (
      gst_structure_get_string (msg, "audio"), "missing");
  fail_unless_equals_string (
      gst_structure_get_string (msg, "video"), "present");
  gst_structure_free (msg);

  g_object_get (f.fusion, "stats", &stats, NULL);
  fail_unless (
      gst_structure_get_uint64 (stats, "timed-out-windows", &timeouts));
  fail_unless_equals_uint64 (timeouts, 1);
  gst_structure_free (stats);
  gst_object_unref (clock);
  fixture_clear (&f);
}

GST_END_TEST;

/* Audio is linked but never sends a buffer. */
GST_START_TEST (test_live_missing_from_start)
{
  Fixture f;
  OmniFusionMeta *m;
  GstBuffer *b;
  guint i;

  fixture_init (&f, TRUE, CAPTION_CAPS, "latency", 2 * GST_SECOND, NULL);
  for (i = 0; i <= 30; i++)
    gst_harness_push (f.hv, make_frame (FRAME_PTS (i), i == 3, -1, 0));
  fail_unless (gst_harness_crank_single_clock_wait (f.hv));
  b = pull_window (&f, 0, &m);
  fail_unless_equals_int (m->present, OMNI_MODALITY_VIDEO);
  fail_unless_equals_int (m->missing, OMNI_MODALITY_AUDIO);
  fail_unless_equals_int (ev_uint (m, "video-frames"), 30);
  fail_unless_equals_int (ev_uint (m, "scene-cuts"), 1);
  gst_buffer_unref (b);
  fixture_clear (&f);
}

GST_END_TEST;

GST_START_TEST (test_eos_one_pad)
{
  Fixture f;
  OmniFusionMeta *m;
  GstBuffer *b;
  GstStructure *msg;
  GstEvent *ev;
  guint i;

  fixture_init (&f, TRUE, CAPTION_CAPS, NULL);
  push_av (
      &f, 0, 0, GST_SECOND, 1024, GST_CLOCK_TIME_NONE, GST_CLOCK_TIME_NONE);
  fail_unless (gst_harness_push_event (f.ha, gst_event_new_eos ()));
  for (i = 30; i <= 90; i++)
    gst_harness_push (f.hv, make_frame (FRAME_PTS (i), FALSE, -1, 0));

  /* no clock cranking: an ended pad does not hold windows back */
  gst_buffer_unref (pull_window (&f, 0, &m));
  b = pull_window (&f, 1, &m);
  fail_unless_equals_int (m->present, OMNI_MODALITY_VIDEO);
  fail_unless_equals_int (m->missing, 0);
  gst_buffer_unref (b);
  b = pull_window (&f, 2, &m);
  fail_unless_equals_int (m->present, OMNI_MODALITY_VIDEO);
  gst_buffer_unref (b);
  gst_structure_free (next_message (&f, "omnifusion"));
  msg = next_message (&f, "omnifusion");
  fail_unless_equals_string (gst_structure_get_string (msg, "audio"), "eos");
  gst_structure_free (msg);

  fail_unless (gst_harness_push_event (f.hv, gst_event_new_eos ()));
  b = pull_window (&f, 3, &m);
  fail_unless_equals_int (ev_uint (m, "video-frames"), 1);
  gst_buffer_unref (b);
  while ((ev = gst_harness_pull_event (f.hv))) {
    gboolean eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;

    gst_event_unref (ev);
    if (eos)
      break;
  }
  fail_unless (ev != NULL, "no EOS downstream");
  fixture_clear (&f);
}

GST_END_TEST;

static void
push_flush (Fixture *f)
{
  GstEvent *start = gst_event_new_flush_start ();
  GstEvent *stop = gst_event_new_flush_stop (TRUE);
  guint32 seqnum = gst_util_seqnum_next ();
  GstSegment seg;

  gst_event_set_seqnum (start, seqnum);
  gst_event_set_seqnum (stop, seqnum);
  fail_unless (gst_harness_push_event (f->hv, gst_event_ref (start)));
  fail_unless (gst_harness_push_event (f->ha, start));
  fail_unless (gst_harness_push_event (f->hv, gst_event_ref (stop)));
  fail_unless (gst_harness_push_event (f->ha, stop));
  /* a seek to 20 s: new segments, running time from 0 again */
  gst_segment_init (&seg, GST_FORMAT_TIME);
  seg.start = seg.time = seg.position = 20 * GST_SECOND;
  fail_unless (gst_harness_push_event (f->hv, gst_event_new_segment (&seg)));
  fail_unless (gst_harness_push_event (f->ha, gst_event_new_segment (&seg)));
}

GST_START_TEST (test_flush_resets)
{
  Fixture f;
  OmniFusionMeta *m;
  GstBuffer *b;
  GstStructure *msg;
  GstEvent *ev;
  guint i, segments = 0, flush_stops = 0;
  guint64 n = 0;
  gboolean saw_segment_after = FALSE;
  GstClockTime t;

  fixture_init (&f, TRUE, CAPTION_CAPS, "enter-frames", 2, NULL);
  /* 1.5 s of explicit frames and audio: a segment opens in window 0 */
  for (i = 0; i < 45;) {
    if (FRAME_PTS (i) <= SAMPLE_PTS (n)) {
      gst_harness_push (f.hv, make_frame (FRAME_PTS (i), i == 40, 0.95, 0));
      i++;
    } else {
      gst_harness_push (f.ha, make_audio (n, 1024, GST_CLOCK_TIME_NONE, -20));
      n += 1024;
    }
  }
  b = pull_window (&f, 0, &m);
  fail_unless_equals_int (m->state, OMNI_VERDICT_FLAGGED);
  gst_buffer_unref (b);

  push_flush (&f);
  msg = next_message (&f, "omnifusion-segment");
  fail_unless_equals_string (gst_structure_get_string (msg, "event"), "opened");
  gst_structure_free (msg);
  msg = next_message (&f, "omnifusion-segment");
  fail_unless_equals_string (gst_structure_get_string (msg, "event"), "closed");
  fail_unless_equals_string (gst_structure_get_string (msg, "reason"), "flush");
  gst_structure_free (msg);

  /* after the flush: neutral content from stream time 20 s */
  n = 0;
  for (i = 0; i <= 30;) {
    t = FRAME_PTS (i);
    if (t <= SAMPLE_PTS (n)) {
      gst_harness_push (f.hv, make_frame (20 * GST_SECOND + t, FALSE, 0.01, 0));
      i++;
    } else {
      GstBuffer *ab = make_audio (n, 1024, GST_CLOCK_TIME_NONE, -20);

      GST_BUFFER_PTS (ab) += 20 * GST_SECOND;
      gst_harness_push (f.ha, ab);
      n += 1024;
    }
  }
  while (SAMPLE_PTS (n - 1024) < GST_SECOND) {
    GstBuffer *ab = make_audio (n, 1024, GST_CLOCK_TIME_NONE, -20);

    GST_BUFFER_PTS (ab) += 20 * GST_SECOND;
    gst_harness_push (f.ha, ab);
    n += 1024;
  }
  /* the old window 1 (partly filled before the flush) is gone: the next
   * output is a fresh window 0 holding only the new 30 frames */
  b = pull_window (&f, 0, &m);
  fail_unless_equals_int (ev_uint (m, "video-frames"), 30);
  fail_unless_equals_int (ev_uint (m, "scene-cuts"), 0);
  fail_unless_equals_int (m->state, OMNI_VERDICT_OK);
  gst_buffer_unref (b);

  while ((ev = gst_harness_try_pull_event (f.hv))) {
    if (GST_EVENT_TYPE (ev) == GST_EVENT_FLUSH_STOP)
      flush_stops++;
    if (GST_EVENT_TYPE (ev) == GST_EVENT_SEGMENT) {
      segments++;
      if (flush_stops)
        saw_segment_after = TRUE;
    }
    gst_event_unref (ev);
  }
  fail_unless_equals_int (flush_stops, 1);
  fail_unless (saw_segment_after);
  fixture_clear (&f);
}

GST_END_TEST;

/* Audio was not linked when data started (treated as ended) and is
 * linked later: it is taken back. */
GST_START_TEST (test_late_linked_pad)
{
  Fixture f;
  OmniFusionMeta *m;
  GstBuffer *b;
  guint i;
  guint64 n = 0;

  fixture_init (&f, FALSE, CAPTION_CAPS, NULL);
  for (i = 0; i < 30; i++)
    gst_harness_push (f.hv, make_frame (FRAME_PTS (i), FALSE, -1, 0));
  gst_harness_push (f.hv, make_frame (FRAME_PTS (30), FALSE, -1, 0));
  b = pull_window (&f, 0, &m);
  fail_unless_equals_int (m->present, OMNI_MODALITY_VIDEO);
  gst_buffer_unref (b);

  f.ha = gst_harness_new_with_element (f.fusion, "audio", NULL);
  gst_harness_set_src_caps_str (f.ha, AUDIO_CAPS);
  for (i = 31; i <= 60;) {
    GstClockTime at = GST_SECOND + SAMPLE_PTS (n);

    if (FRAME_PTS (i) <= at) {
      gst_harness_push (f.hv, make_frame (FRAME_PTS (i), FALSE, -1, 0));
      i++;
    } else {
      GstBuffer *ab = make_audio (n, 1024, GST_CLOCK_TIME_NONE, -20);

      GST_BUFFER_PTS (ab) = at;
      gst_harness_push (f.ha, ab);
      n += 1024;
    }
  }
  while (GST_SECOND + SAMPLE_PTS (n - 1024) < 2 * GST_SECOND) {
    GstBuffer *ab = make_audio (n, 1024, GST_CLOCK_TIME_NONE, -20);

    GST_BUFFER_PTS (ab) = GST_SECOND + SAMPLE_PTS (n);
    gst_harness_push (f.ha, ab);
    n += 1024;
  }
  b = pull_window (&f, 1, &m);
  fail_unless_equals_int (
      m->present, OMNI_MODALITY_VIDEO | OMNI_MODALITY_AUDIO);
  fail_unless_equals_int (ev_uint (m, "audio-buffers"), 47);
  gst_buffer_unref (b);
  fixture_clear (&f);
}

GST_END_TEST;

/* ---- output forms --------------------------------------------------- */

GST_START_TEST (test_gap_for_empty_windows)
{
  Fixture f;
  OmniFusionMeta *m;
  GstBuffer *b;
  GstEvent *ev;
  GstClockTime gaps[4];
  guint n_gaps = 0, i;

  fixture_init (&f, FALSE, CAPTION_CAPS, NULL);
  for (i = 0; i < 30; i++)
    gst_harness_push (f.hv, make_frame (FRAME_PTS (i), FALSE, -1, 0));
  /* nothing from 1 s to 3 s */
  gst_harness_push (f.hv, make_frame (3 * GST_SECOND, FALSE, -1, 0));
  gst_harness_push (f.hv, make_frame (4 * GST_SECOND, FALSE, -1, 0));

  b = pull_window (&f, 0, &m);
  gst_buffer_unref (b);
  b = pull_window (&f, 3, &m);
  fail_unless_equals_int (ev_uint (m, "video-frames"), 1);
  gst_buffer_unref (b);

  while ((ev = gst_harness_try_pull_event (f.hv))) {
    if (GST_EVENT_TYPE (ev) == GST_EVENT_GAP && n_gaps < 4) {
      GstClockTime ts, dur;

      gst_event_parse_gap (ev, &ts, &dur);
      fail_unless_equals_uint64 (dur, GST_SECOND);
      gaps[n_gaps++] = ts;
    }
    gst_event_unref (ev);
  }
  fail_unless_equals_int (n_gaps, 2);
  fail_unless_equals_uint64 (gaps[0], GST_SECOND);
  fail_unless_equals_uint64 (gaps[1], 2 * GST_SECOND);
  fixture_clear (&f);
}

GST_END_TEST;

/* Every key the events output uses must be documented in
 * docs/events-schema.md (as `key`). */
static void
check_documented (JsonObject *o, const gchar *doc, const gchar *where)
{
  GList *members = json_object_get_members (o), *l;

  for (l = members; l; l = l->next) {
    const gchar *key = l->data;
    gchar *quoted = g_strdup_printf ("`%s`", key);
    JsonNode *n = json_object_get_member (o, key);

    /* class-score keys carry the model's class names */
    if (!g_str_has_prefix (key, "score-")
        && !g_str_has_prefix (key, "audio-score-"))
      fail_unless (strstr (doc, quoted) != NULL,
          "key \"%s\" of %s is not documented in docs/events-schema.md", key,
          where);
    if (JSON_NODE_HOLDS_OBJECT (n))
      check_documented (json_node_get_object (n), doc, key);
    g_free (quoted);
  }
  g_list_free (members);
}

GST_START_TEST (test_json_events)
{
  static const gchar *window_keys[] = { "type", "timestamp", "stream-time",
    "running-time", "duration", "window-start", "window-end", "index", "state",
    "label", "risk", "caption", "present", "missing", "segment-id", "evidence",
    "modalities", "schema", NULL };
  static const gchar *segment_keys[]
      = { "type", "event", "id", "label", "peak-label", "start", "end",
          "stream-start", "stream-end", "peak-risk", "mean-risk",
          "observations", "reason", "trigger", "provenance", "schema", NULL };
  static const gchar *category_keys[] = { "type", "schema", "category", "start",
    "end", "duration", "max-confidence", "mean-confidence", "hits", "rules",
    "matches", NULL };
  Fixture f;
  GstBuffer *b;
  GstMapInfo map;
  gchar *doc = NULL, *doc_path;
  guint i, k, windows = 0, segments = 0, categories = 0;
  guint64 n = 0;
  const gchar *root = g_getenv ("OMNI_SOURCE_ROOT");

  fail_unless (root != NULL);
  doc_path = g_build_filename (root, "docs", "events-schema.md", NULL);
  fail_unless (
      g_file_get_contents (doc_path, &doc, NULL, NULL), "%s", doc_path);

  fixture_init (
      &f, TRUE, EVENTS_CAPS, "enter-frames", 3, "exit-frames", 3, NULL);
  /* explicit frames from 0.5 s to 1.5 s: a segment opens and closes */
  for (i = 0; i <= 90;) {
    if (FRAME_PTS (i) <= SAMPLE_PTS (n)) {
      gdouble porn = (i >= 15 && i < 45) ? 0.9 : 0.05;

      gst_harness_push (f.hv, make_frame (FRAME_PTS (i), FALSE, porn, 0));
      i++;
    } else {
      gst_harness_push (f.ha, make_audio (n, 1024, GST_CLOCK_TIME_NONE, -30));
      n += 1024;
    }
  }
  while (SAMPLE_PTS (n - 1024) < 3 * GST_SECOND) {
    gst_harness_push (f.ha, make_audio (n, 1024, GST_CLOCK_TIME_NONE, -30));
    n += 1024;
  }

  for (k = 0; k < 3; k++) {
    gchar **lines;

    b = gst_harness_pull (f.hv);
    fail_unless (b != NULL);
    fail_unless (omni_buffer_get_fusion_meta (b) != NULL);
    fail_unless (gst_buffer_map (b, &map, GST_MAP_READ));
    fail_unless (map.size > 0 && map.data[map.size - 1] == '\n');
    {
      gchar *text = g_strndup ((gchar *) map.data, map.size - 1);

      lines = g_strsplit (text, "\n", -1);
      g_free (text);
    }
    gst_buffer_unmap (b, &map);
    for (i = 0; lines[i]; i++) {
      JsonParser *p = json_parser_new ();
      JsonObject *o;
      GError *err = NULL;
      const gchar *type;
      const gchar **keys;
      guint j;

      fail_unless (json_parser_load_from_data (p, lines[i], -1, &err),
          "line %s: %s", lines[i], err ? err->message : "");
      fail_unless (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p)));
      o = json_node_get_object (json_parser_get_root (p));
      type = json_object_get_string_member (o, "type");
      if (g_str_equal (type, "window")) {
        keys = window_keys;
        windows++;
        fail_unless_equals_int64 (json_object_get_int_member (o, "index"), k);
        fail_unless_equals_int64 (
            json_object_get_int_member (o, "window-start"), k * GST_SECOND);
        fail_unless (
            JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "present")));
        fail_unless_equals_string (
            json_object_get_string_member (
                json_object_get_object_member (o, "modalities"), "video"),
            "present");
        fail_unless_equals_int (
            json_object_get_int_member (
                json_object_get_object_member (o, "evidence"), "onsets"),
            0);
      } else if (g_str_equal (type, "category-segment")) {
        /* the explicit frames also form an explicit-nudity segment, from
         * the first explicit frame to the last */
        keys = category_keys;
        categories++;
        fail_unless_equals_string (
            json_object_get_string_member (o, "category"), "explicit-nudity");
        fail_unless_equals_int64 (
            json_object_get_int_member (o, "start"), FRAME_PTS (15));
        fail_unless_equals_int64 (
            json_object_get_int_member (o, "end"), FRAME_PTS (44));
        fail_unless_equals_int64 (json_object_get_int_member (o, "hits"), 30);
      } else {
        fail_unless_equals_string (type, "segment");
        keys = segment_keys;
        segments++;
        fail_unless_equals_string (
            json_object_get_string_member (o, "label"), "explicit");
        if (segments == 1) {
          /* opened at the first of the three explicit frames */
          fail_unless_equals_string (
              json_object_get_string_member (o, "event"), "opened");
          fail_unless_equals_int64 (
              json_object_get_int_member (o, "start"), FRAME_PTS (15));
          fail_unless (json_node_is_null (json_object_get_member (o, "end")));
        } else {
          fail_unless_equals_string (
              json_object_get_string_member (o, "event"), "closed");
          fail_unless_equals_int64 (
              json_object_get_int_member (o, "end"), FRAME_PTS (45));
          fail_unless_equals_string (
              json_object_get_string_member (o, "reason"), "below-exit");
        }
        fail_unless_equals_string (
            json_object_get_string_member (
                json_object_get_object_member (o, "provenance"), "model-id"),
            "nsfw");
        fail_unless_equals_string (
            json_object_get_string_member (
                json_object_get_object_member (o, "provenance"),
                "element-version"),
            VERSION);
      }
      for (j = 0; keys[j]; j++)
        fail_unless (json_object_has_member (o, keys[j]),
            "%s object lacks \"%s\": %s", type, keys[j], lines[i]);
      fail_unless_equals_int (
          json_object_get_size (o), g_strv_length ((gchar **) keys));
      fail_unless_equals_int64 (json_object_get_int_member (o, "schema"), 2);
      check_documented (o, doc, type);
      g_object_unref (p);
    }
    g_strfreev (lines);
    gst_buffer_unref (b);
  }
  fail_unless_equals_int (windows, 3);
  fail_unless_equals_int (segments, 2);
  fail_unless_equals_int (categories, 1);
  g_free (doc);
  g_free (doc_path);
  fixture_clear (&f);
}

GST_END_TEST;

/* ---- moderation ------------------------------------------------------- */

/* Observations every 100 ms with risks in a known sequence (video only):
 * N = 3 to enter at 0.7, M = 2 to leave below 0.4. */
GST_START_TEST (test_hysteresis_element)
{
  /* index:         0    1    2    3    4    5    6    7    8    9 */
  static const gdouble risk[] = { 0.9, 0.9, 0.2, 0.8, 0.75, 0.9, 0.5, 0.3, 0.95,
    0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1 };
  Fixture f;
  GstStructure *msg;
  GstClockTime start, end, sstart;
  gdouble peak, mean;
  guint obs, id;
  OmniFusionMeta *m;
  GstBuffer *b;
  guint i;

  fixture_init (
      &f, FALSE, CAPTION_CAPS, "enter-frames", 3, "exit-frames", 2, NULL);
  for (i = 0; i < G_N_ELEMENTS (risk); i++)
    gst_harness_push (
        f.hv, make_frame (i * 100 * GST_MSECOND, FALSE, risk[i], 0));
  fail_unless (gst_harness_push_event (f.hv, gst_event_new_eos ()));

  msg = next_message (&f, "omnifusion-segment");
  fail_unless (msg != NULL);
  fail_unless_equals_string (gst_structure_get_string (msg, "event"), "opened");
  fail_unless (gst_structure_get_uint64 (msg, "start", &start));
  fail_unless_equals_uint64 (start, 300 * GST_MSECOND);
  fail_unless (gst_structure_get_uint64 (msg, "stream-start", &sstart));
  fail_unless_equals_uint64 (sstart, 300 * GST_MSECOND);
  fail_unless_equals_string (
      gst_structure_get_string (msg, "label"), "explicit");
  gst_structure_free (msg);

  msg = next_message (&f, "omnifusion-segment");
  fail_unless_equals_string (gst_structure_get_string (msg, "event"), "closed");
  fail_unless (gst_structure_get_uint64 (msg, "end", &end));
  /* 0.3 at 0.7 s is a single dip; the two below exit start at 0.9 s */
  fail_unless_equals_uint64 (end, 900 * GST_MSECOND);
  fail_unless (gst_structure_get_double (msg, "peak-risk", &peak));
  fail_unless_equals_float (peak, 0.95);
  fail_unless (gst_structure_get_uint (msg, "observations", &obs));
  fail_unless_equals_int (obs, 6); /* indices 3..8 */
  fail_unless (gst_structure_get_double (msg, "mean-risk", &mean));
  fail_unless (fabs (mean - (0.8 + 0.75 + 0.9 + 0.5 + 0.3 + 0.95) / 6) < 1e-6);
  fail_unless (gst_structure_get_uint (msg, "id", &id));
  fail_unless_equals_int (id, 1);
  fail_unless_equals_string (
      gst_structure_get_string (msg, "reason"), "below-exit");
  {
    const GstStructure *trig
        = gst_value_get_structure (gst_structure_get_value (msg, "trigger"));
    const GstStructure *prov
        = gst_value_get_structure (gst_structure_get_value (msg, "provenance"));
    guint tn = 0;

    fail_unless (gst_structure_get_uint (trig, "observations", &tn));
    fail_unless_equals_int (tn, 3);
    fail_unless_equals_string (
        gst_structure_get_string (trig, "source"), "video");
    fail_unless_equals_string (
        gst_structure_get_string (trig, "risks"), "0.8000 0.7500 0.9000");
    fail_unless_equals_string (
        gst_structure_get_string (prov, "model-id"), "nsfw");
    fail_unless_equals_string (
        gst_structure_get_string (prov, "policy"), "built-in");
    fail_unless (gst_structure_get_string (prov, "wall-clock-closed") != NULL);
  }
  gst_structure_free (msg);

  /* windows: 0 s - 1 s flagged, 1 s - 2 s ok (all 0.1) */
  b = pull_window (&f, 0, &m);
  fail_unless_equals_int (m->state, OMNI_VERDICT_FLAGGED);
  fail_unless_equals_string (m->label, "explicit");
  fail_unless_equals_float (m->risk, 0.95);
  fail_unless_equals_int (ev_uint (m, "observations"), 10);
  gst_buffer_unref (b);
  b = pull_window (&f, 1, &m);
  fail_unless_equals_int (m->state, OMNI_VERDICT_OK);
  fail_unless (m->label == NULL);
  gst_buffer_unref (b);
  fixture_clear (&f);
}

GST_END_TEST;

/* One window of "Sexy" in the band between the thresholds: review. */
GST_START_TEST (test_review_band)
{
  Fixture f;
  OmniFusionMeta *m;
  GstBuffer *b;
  guint i;

  fixture_init (&f, FALSE, CAPTION_CAPS, "caption-format",
      OMNI_FUSION_CAPTION_CLASSIC_FORMAT, NULL);
  for (i = 0; i <= 30; i++)
    gst_harness_push (f.hv, make_frame (FRAME_PTS (i), FALSE, 0.0, 0.55));
  b = pull_window (&f, 0, &m);
  fail_unless_equals_int (m->state, OMNI_VERDICT_REVIEW);
  fail_unless_equals_string (m->label, "suggestive");
  fail_unless (fabs (m->risk - 0.55) < 1e-6);
  fail_unless_equals_string (
      m->caption, "sexy (55%); review: suggestive (0.55)");
  gst_buffer_unref (b);
  fixture_clear (&f);
}

GST_END_TEST;

GST_START_TEST (test_hysteresis_unit)
{
  OmniFusionHysteresis *h = omni_fusion_hysteresis_new (0.7, 0.4, 2, 3);
  gint opened = 0, closed = 0;
  guint i;
  /* exactly enter counts as above, exactly exit does not count as below */
  static const gdouble seq[]
      = { 0.7, 0.69, 0.7, 0.7, 0.4, 0.39, 0.39, 0.4, 0.0, 0.0, 0.0 };

  for (i = 0; i < G_N_ELEMENTS (seq); i++) {
    OmniFusionObservation o = { i * GST_SECOND, i * GST_SECOND, seq[i],
      g_intern_static_string ("x"), "video" };
    gboolean before = omni_fusion_hysteresis_is_flagged (h);

    omni_fusion_hysteresis_push (h, &o, NULL, NULL);
    if (!before && omni_fusion_hysteresis_is_flagged (h)) {
      opened++;
      fail_unless_equals_int (i, 3);
      fail_unless_equals_uint64 (
          omni_fusion_hysteresis_get_segment (h)->start, 2 * GST_SECOND);
    }
    if (before && !omni_fusion_hysteresis_is_flagged (h)) {
      closed++;
      fail_unless_equals_int (i, 10);
    }
  }
  fail_unless_equals_int (opened, 1);
  fail_unless_equals_int (closed, 1);
  omni_fusion_hysteresis_free (h);
}

GST_END_TEST;

/* ---- policy files --------------------------------------------------- */

static gchar *
state_error (const gchar *policy)
{
  GstElement *e = gst_element_factory_make ("omnifusion", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;
  gchar *debug = NULL, *result;

  gst_element_set_bus (e, bus);
  g_object_set (e, "policy", policy, NULL);
  fail_unless_equals_int (
      gst_element_set_state (e, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, &debug);
  result = g_strdup_printf ("%s | %s", err->message, debug);
  g_clear_error (&err);
  g_free (debug);
  gst_message_unref (msg);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
  return result;
}

GST_START_TEST (test_policy_typo)
{
  gchar *path, *msg;

  path = data_path ("policy-typo.conf");
  msg = state_error (path);
  fail_unless (strstr (msg, "policy-typo.conf:7:") != NULL, "%s", msg);
  fail_unless (strstr (msg, "enter-treshold") != NULL, "%s", msg);
  fail_unless (
      strstr (msg, "did you mean \"enter-threshold\"") != NULL, "%s", msg);
  g_free (msg);
  g_free (path);

  path = data_path ("policy-typo.json");
  msg = state_error (path);
  fail_unless (strstr (msg, "policy-typo.json:5:") != NULL, "%s", msg);
  fail_unless (strstr (msg, "did you mean \"classes\"") != NULL, "%s", msg);
  g_free (msg);
  g_free (path);

  path = data_path ("policy-badvalue.conf");
  msg = state_error (path);
  fail_unless (strstr (msg, "policy-badvalue.conf:4:") != NULL, "%s", msg);
  fail_unless (strstr (msg, "\"0.4x\" is not a number") != NULL, "%s", msg);
  g_free (msg);
  g_free (path);

  msg = state_error ("/nonexistent/policy.conf");
  fail_unless (strstr (msg, "cannot read policy file") != NULL, "%s", msg);
  g_free (msg);
}

GST_END_TEST;

/* The hysteresis properties read as the values in effect while running:
 * the policy file's, except those the application set. */
GST_START_TEST (test_policy_values_in_properties)
{
  GstElement *e = gst_element_factory_make ("omnifusion", NULL);
  gchar *dir = g_dir_make_tmp ("omnifusion-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, "p.conf", NULL);
  gdouble enter, exit, def_enter;
  guint enter_frames, exit_frames;

  fail_unless (g_file_set_contents (path,
      "[policy]\nenter-threshold=0.7\nexit-threshold=0.3\n"
      "enter-frames=4\nexit-frames=6\n",
      -1, NULL));
  g_object_get (e, "enter-threshold", &def_enter, NULL);
  g_object_set (e, "policy", path, "exit-frames", 9, NULL);

  fail_unless_equals_int (
      gst_element_set_state (e, GST_STATE_PAUSED), GST_STATE_CHANGE_SUCCESS);
  g_object_get (e, "enter-threshold", &enter, "exit-threshold", &exit,
      "enter-frames", &enter_frames, "exit-frames", &exit_frames, NULL);
  fail_unless_equals_float (enter, 0.7);
  fail_unless_equals_float (exit, 0.3);
  fail_unless_equals_int (enter_frames, 4);
  fail_unless_equals_int (exit_frames, 9); /* set by the application */
  fail_unless_equals_int (
      gst_element_set_state (e, GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);

  /* Stopped: what the application set, or the defaults. */
  g_object_get (
      e, "enter-threshold", &enter, "exit-frames", &exit_frames, NULL);
  fail_unless_equals_float (enter, def_enter);
  fail_unless_equals_int (exit_frames, 9);

  gst_object_unref (e);
  g_unlink (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_policy_parse_unit)
{
  GError *err = NULL;
  OmniFusionPolicy *p;
  GString *matched = g_string_new (NULL);
  const gchar *label;
  gchar *path, *data;
  const gchar *files[] = { "policy-words.conf", "policy-words.json" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (files); i++) {
    path = data_path (files[i]);
    p = omni_fusion_policy_load (path, &err);
    fail_unless (p != NULL, "%s", err ? err->message : "");
    fail_unless_equals_float (p->enter_threshold, 0.6);
    fail_unless_equals_float (p->exit_threshold, 0.3);
    fail_unless_equals_int (p->enter_frames, 1);
    fail_unless_equals_int (p->labels->len, 1);
    fail_unless (p->sha256 != NULL && strlen (p->sha256) == 64);
    g_string_truncate (matched, 0);
    fail_unless_equals_float (
        omni_fusion_policy_score_text (
            p, "Well, GOSH darn it! Classy.", matched, &label),
        0.9);
    fail_unless_equals_string (label, "profanity");
    fail_unless_equals_string (matched->str, "darn, gosh darn");
    /* whole words only */
    fail_unless_equals_float (
        omni_fusion_policy_score_text (p, "darned heckler", NULL, &label), 0.0);
    omni_fusion_policy_free (p);
    g_free (path);
  }

  /* a key outside a group, an unknown group, a duplicate key */
  p = omni_fusion_policy_parse ("enter-threshold=0.5\n", -1, "x.conf", &err);
  fail_unless (p == NULL);
  fail_unless (strstr (err->message, "x.conf:1:") != NULL, "%s", err->message);
  g_clear_error (&err);
  p = omni_fusion_policy_parse ("[policy]\n\n[polcy]\n", -1, "x.conf", &err);
  fail_unless (p == NULL);
  fail_unless (strstr (err->message, "x.conf:3: unknown group [polcy]") != NULL,
      "%s", err->message);
  g_clear_error (&err);
  p = omni_fusion_policy_parse (
      "[policy]\nexit-frames=2\nexit-frames=3\n", -1, "x.conf", &err);
  fail_unless (p == NULL);
  fail_unless (strstr (err->message, "x.conf:3:") != NULL, "%s", err->message);
  g_clear_error (&err);
  /* exit above enter */
  p = omni_fusion_policy_parse (
      "[policy]\nenter-threshold=0.5\nexit-threshold=0.6\n", -1, "x.conf",
      &err);
  fail_unless (p == NULL);
  fail_unless (strstr (err->message, "x.conf:3:") != NULL, "%s", err->message);
  g_clear_error (&err);
  /* JSON syntax error with its line */
  data = g_strdup ("{\n  \"name\": \"x\",\n  \"enter-threshold\": ,\n}\n");
  p = omni_fusion_policy_parse (data, -1, "x.json", &err);
  fail_unless (p == NULL);
  fail_unless (strstr (err->message, "x.json:3") != NULL, "%s", err->message);
  g_clear_error (&err);
  g_free (data);

  /* the default policy: nsfwjs classes */
  p = omni_fusion_policy_new_default ();
  {
    gfloat scores[] = { 0.0f, 0.3f, 0.1f, 0.5f, 0.1f };

    fail_unless (fabs (omni_fusion_policy_score_classes (
                           p, "nsfw", 5, (gchar **) nsfw_labels, scores, &label)
                       - 0.8)
                 < 1e-6);
    fail_unless_equals_string (label, "explicit");
  }
  omni_fusion_policy_free (p);
  g_string_free (matched, TRUE);
}

GST_END_TEST;

/* A transcript on a request pad; a listed word flags the window. */
GST_START_TEST (test_text_pad_words)
{
  Fixture f;
  GstHarness *ht;
  OmniFusionMeta *m;
  GstBuffer *b, *tb;
  GstStructure *msg;
  gchar *path = data_path ("policy-words.conf");
  const gchar *text = "oh gosh darn it";
  guint i;

  fixture_init (&f, FALSE, CAPTION_CAPS, "policy", path, NULL);
  ht = gst_harness_new_with_element (f.fusion, "sink_%u", NULL);
  gst_harness_set_src_caps_str (ht, "text/x-raw,format=utf8");
  tb = gst_buffer_new_memdup (text, strlen (text));
  GST_BUFFER_PTS (tb) = 1200 * GST_MSECOND;
  GST_BUFFER_DURATION (tb) = 500 * GST_MSECOND;
  for (i = 0; i <= 60; i++) {
    gst_harness_push (f.hv, make_frame (FRAME_PTS (i), FALSE, 0.0, 0.0));
    if (i == 36)
      gst_harness_push (ht, gst_buffer_ref (tb));
  }
  {
    GstBuffer *tb2 = gst_buffer_new_memdup ("fine", 4);

    GST_BUFFER_PTS (tb2) = 2500 * GST_MSECOND;
    gst_harness_push (ht, tb2);
  }
  b = pull_window (&f, 0, &m);
  fail_unless_equals_int (m->state, OMNI_VERDICT_OK);
  fail_unless_equals_int (m->present, OMNI_MODALITY_VIDEO);
  gst_buffer_unref (b);
  b = pull_window (&f, 1, &m);
  fail_unless_equals_int (m->present, OMNI_MODALITY_VIDEO | OMNI_MODALITY_TEXT);
  fail_unless_equals_int (m->state, OMNI_VERDICT_FLAGGED);
  fail_unless_equals_string (m->label, "profanity");
  fail_unless_equals_string (
      gst_structure_get_string (m->evidence, "matched-words"),
      "darn, gosh darn");
  fail_unless (
      strstr (m->caption, "\xe2\x80\x9coh gosh darn it\xe2\x80\x9d") != NULL,
      "%s", m->caption);
  gst_buffer_unref (b);
  msg = next_message (&f, "omnifusion-segment");
  fail_unless_equals_string (
      gst_structure_get_string (msg, "label"), "profanity");
  {
    const GstStructure *prov
        = gst_value_get_structure (gst_structure_get_value (msg, "provenance"));

    fail_unless (g_str_has_suffix (
        gst_structure_get_string (prov, "policy"), "policy-words.conf"));
    fail_unless_equals_int (
        strlen (gst_structure_get_string (prov, "policy-sha256")), 64);
  }
  gst_structure_free (msg);
  gst_buffer_unref (tb);
  gst_harness_teardown (ht);
  fixture_clear (&f);
  g_free (path);
}

GST_END_TEST;

/* ---- captions ------------------------------------------------------- */

GST_START_TEST (test_caption_template)
{
  Fixture f;
  OmniFusionMeta *m;
  GstBuffer *b;
  GstMapInfo map;
  guint i;
  guint64 n = 0;
  GstElement *e;
  GstBus *bus;
  GstMessage *err_msg;
  GError *err = NULL;

  fixture_init (&f, TRUE, CAPTION_CAPS, "caption-format",
      "#{index} {start}-{end} [{visual}|]{audio-kind}[ {tempo} BPM] "
      "{loudness} \\[{state}\\][ ({missing})]",
      NULL);
  for (i = 0; i <= 30;) {
    if (FRAME_PTS (i) <= SAMPLE_PTS (n)) {
      gst_harness_push (f.hv, make_frame (FRAME_PTS (i), FALSE, 0.02, 0.0));
      i++;
    } else {
      GstBuffer *ab = make_audio (n, 1024, GST_CLOCK_TIME_NONE, -14);
      OmniRhythmMeta *rm = omni_buffer_get_rhythm_meta (ab);

      rm->tempo = 124;
      rm->tempo_confidence = 0.9;
      gst_harness_push (f.ha, ab);
      n += 1024;
    }
  }
  while (SAMPLE_PTS (n - 1024) < GST_SECOND) {
    gst_harness_push (f.ha, make_audio (n, 1024, GST_CLOCK_TIME_NONE, -14));
    n += 1024;
  }
  b = pull_window (&f, 0, &m);
  fail_unless (gst_buffer_map (b, &map, GST_MAP_READ));
  {
    gchar *text = g_strndup ((gchar *) map.data, map.size);

    /* the 47 buffers of window 0 say 124 BPM with confidence 0.9 */
    fail_unless_equals_string (text,
        "#0 0:00:00.000-0:00:01.000 neutral (98%)|music 124 BPM -14 dBFS [ok]");
    fail_unless_equals_string (text, m->caption);
    g_free (text);
  }
  gst_buffer_unmap (b, &map);
  gst_buffer_unref (b);
  fixture_clear (&f);

  /* a bad template is refused when the element starts */
  e = gst_element_factory_make ("omnifusion", NULL);
  bus = gst_bus_new ();
  gst_element_set_bus (e, bus);
  g_object_set (e, "caption-format", "{visual} {vizual}", NULL);
  fail_unless_equals_int (
      gst_element_set_state (e, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  err_msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (err_msg != NULL);
  gst_message_parse_error (err_msg, &err, NULL);
  fail_unless (
      strstr (err->message, "unknown placeholder {vizual} at character 10")
          != NULL,
      "%s", err->message);
  g_clear_error (&err);
  gst_message_unref (err_msg);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_caption_template_unit)
{
  GError *err = NULL;
  OmniFusionCaptionTemplate *t;
  gchar *values[OMNI_FUSION_CAPTION_N_FIELDS + 1] = {
    NULL,
  };
  gchar *s;

  values[OMNI_FUSION_CAPTION_VISUAL] = (gchar *) "a";
  values[OMNI_FUSION_CAPTION_VERDICT] = (gchar *) "ok";
  t = omni_fusion_caption_template_parse (
      "[{visual}; ][{audio}; ]{verdict}\\{x\\}", &err);
  fail_unless (t != NULL);
  s = omni_fusion_caption_render (t, values);
  fail_unless_equals_string (s, "a; ok{x}");
  g_free (s);
  omni_fusion_caption_template_free (t);

  fail_unless (omni_fusion_caption_template_parse ("[a[b]]", &err) == NULL);
  fail_unless (strstr (err->message, "do not nest") != NULL);
  g_clear_error (&err);
  fail_unless (omni_fusion_caption_template_parse ("{visual", &err) == NULL);
  fail_unless (strstr (err->message, "never closed") != NULL);
  g_clear_error (&err);
  fail_unless (omni_fusion_caption_template_parse ("x]", &err) == NULL);
  g_clear_error (&err);
}

GST_END_TEST;

/* Audio character and loudness spikes from OmniRhythmMeta levels. */
static OmniFusionMeta *
pull_meta (GstHarness *h, GstBuffer **b)
{
  *b = gst_harness_pull (h);
  fail_unless (*b != NULL);
  return omni_buffer_get_fusion_meta (*b);
}

GST_START_TEST (test_audio_character)
{
  /* per window: steady sound, steady sound, speech-like alternation of
   * loud and quiet buffers, silence, a burst at 0 dBFS, steady sound */
  static const gchar kinds[] = "sspxbs";
  OmniFusionMeta *m;
  GstBuffer *b;
  guint64 n = 0;
  guint w, k;
  GstHarness *h;
  GstElement *e = gst_element_factory_make ("omnifusion", NULL);

  /* audio only: the video pad stays unlinked; the classic caption */
  g_object_set (e, "caption-format", OMNI_FUSION_CAPTION_CLASSIC_FORMAT, NULL);
  h = gst_harness_new_with_element (e, "audio", "src");
  gst_harness_set_sink_caps_str (h, CAPTION_CAPS);
  gst_harness_set_src_caps_str (h, AUDIO_CAPS);
  for (w = 0; w < strlen (kinds); w++) {
    for (k = 0; SAMPLE_PTS (n) < (w + 1) * GST_SECOND; k++) {
      gdouble db = kinds[w] == 'p'   ? (k % 3 ? -50 : -20)
                   : kinds[w] == 'x' ? -90
                   : kinds[w] == 'b' ? 0
                                     : -30;

      gst_harness_push (h, make_audio (n, 1024, GST_CLOCK_TIME_NONE, db));
      n += 1024;
    }
  }
  for (w = 0; w < 2; w++) {
    m = pull_meta (h, &b);
    fail_unless_equals_string (
        gst_structure_get_string (m->evidence, "audio-kind"), "sound");
    fail_unless_equals_float (ev_double (m, "audio-risk"), 0.0);
    fail_unless_equals_string (m->caption, "sound, -30 dBFS; ok");
    gst_buffer_unref (b);
  }
  m = pull_meta (h, &b);
  fail_unless_equals_string (
      gst_structure_get_string (m->evidence, "audio-kind"), "speech-like");
  /* 31 of the 47 buffers are quiet (Scheirer & Slaney's low-energy share) */
  fail_unless (fabs (ev_double (m, "low-energy-fraction") - 31.0 / 47) < 1e-9);
  /* the loud buffers are 10 dB over the -30 dB baseline, but -20 dBFS is
   * not loud (below loud-db, -12): no loud-audio risk (it was 0.25 before
   * loud-audio meant loud events) */
  fail_unless (fabs (ev_double (m, "loudness-excess-db") - 10) < 1e-6);
  fail_unless_equals_float (ev_double (m, "audio-risk"), 0.0);
  fail_unless_equals_int (m->state, OMNI_VERDICT_OK);
  fail_unless (g_str_has_prefix (m->caption, "speech-like audio, -25 dBFS"),
      "%s", m->caption);
  gst_buffer_unref (b);
  m = pull_meta (h, &b);
  fail_unless_equals_string (
      gst_structure_get_string (m->evidence, "audio-kind"), "silence");
  fail_unless_equals_string (m->caption, "silence; ok");
  gst_buffer_unref (b);
  m = pull_meta (h, &b);
  /* 0 dBFS against a baseline near -29 dB (the silent window before it
   * leaves the baseline alone): a full spike at half weight */
  fail_unless (ev_double (m, "loudness-excess-db") > 25);
  {
    /* window 2 (16 buffers at -20 dB, 31 at -50 dB) raised it from -30 dB
     * with the 3 s rise time constant; window 3 (silence) left it */
    gdouble rms2 = 10 * log10 ((16 * 1e-2 + 31 * 1e-5) / 47);

    fail_unless (fabs (ev_double (m, "loudness-baseline-db")
                       - (-30 + (rms2 + 30) * (1 - exp (-1.0 / 3))))
                 < 1e-6);
  }
  fail_unless_equals_float (ev_double (m, "audio-risk"), 0.5);
  fail_unless_equals_string (
      gst_structure_get_string (m->evidence, "audio-label"), "loud-audio");
  fail_unless_equals_int (m->state, OMNI_VERDICT_REVIEW);
  fail_unless_equals_string (m->label, "loud-audio");
  gst_buffer_unref (b);
  gst_harness_teardown (h);
  gst_object_unref (e);
}

GST_END_TEST;

/* a buffer with omnirhythm's loud-event and speech/music cues */
static GstBuffer *
make_cued_audio (guint64 first, gdouble rms_db, gdouble short_term_db,
    guint impulses, gdouble flux_var, gdouble level_std, gdouble persistence)
{
  GstBuffer *b = make_audio (first, 1024, GST_CLOCK_TIME_NONE, rms_db);
  OmniRhythmMeta *rm = omni_buffer_get_rhythm_meta (b);

  rm->short_term_db = short_term_db;
  rm->impulses = impulses;
  rm->flux_variance = flux_var;
  rm->level_std_db = level_std;
  rm->persistence = persistence;
  rm->context_s = 1.0;
  return b;
}

/* The speech/music cues decide audio-kind where the metas carry them:
 * music whose buffer levels alternate like speech (the low-energy rule
 * alone called it speech-like: issue 12, instrumental music), speech, and
 * the legacy rule without cues. Onsets at 14 a second (ordinary speech)
 * give no audio risk, ten impulses a second do (impact-burst). */
GST_START_TEST (test_audio_kind_cues)
{
  /* m: music cues, alternating levels; s: speech cues, 14 onsets/s;
   * i: steady level with 10 impulses; l: alternating, no cues (legacy) */
  static const gchar kinds[] = "msil";
  OmniFusionMeta *m;
  GstBuffer *b;
  guint64 n = 0;
  guint w, k;
  GstHarness *h;
  GstElement *e = gst_element_factory_make ("omnifusion", NULL);

  h = gst_harness_new_with_element (e, "audio", "src");
  gst_harness_set_sink_caps_str (h, CAPTION_CAPS);
  gst_harness_set_src_caps_str (h, AUDIO_CAPS);
  for (w = 0; w < strlen (kinds); w++) {
    for (k = 0; SAMPLE_PTS (n) < (w + 1) * GST_SECOND; k++) {
      gdouble db = kinds[w] == 'i' ? -25 : (k % 3 ? -40 : -22);
      GstBuffer *ab;

      if (kinds[w] == 'm')
        ab = make_cued_audio (n, db, db + 3, 0, 2e-4, 3.0, 0.8);
      else if (kinds[w] == 's')
        ab = make_cued_audio (n, db, db + 3, 0, 1.5e-3, 12.0, 0.5);
      else if (kinds[w] == 'i')
        ab = make_cued_audio (
            n, db, -10, k % 5 == 0 && k < 47 ? 1 : 0, 2e-4, 3.0, 0.8);
      else
        ab = make_audio (n, 1024, GST_CLOCK_TIME_NONE, db);
      if (kinds[w] == 's' && k % 3 == 1) {
        OmniRhythmMeta *rm = omni_buffer_get_rhythm_meta (ab);

        rm->onset = TRUE; /* one onset every 3 buffers: about 15 a second */
        rm->onset_offset = 0;
      }
      gst_harness_push (h, ab);
      n += 1024;
    }
  }
  gst_harness_push_event (h, gst_event_new_eos ());

  m = pull_meta (h, &b);
  fail_unless_equals_string (
      gst_structure_get_string (m->evidence, "audio-kind"), "music");
  fail_unless (ev_double (m, "speech-score") < 0);
  fail_unless (ev_double (m, "low-energy-fraction") > 0.5);
  fail_unless_equals_float (ev_double (m, "audio-risk"), 0.0);
  gst_buffer_unref (b);

  m = pull_meta (h, &b);
  fail_unless_equals_string (
      gst_structure_get_string (m->evidence, "audio-kind"), "speech-like");
  fail_unless (ev_double (m, "speech-score") > 0);
  fail_unless (
      ev_double (m, "onset-rate") >= 14, "%g", ev_double (m, "onset-rate"));
  /* the old onset-burst term gave 0.5 here (review: loud-audio) */
  fail_unless_equals_float (ev_double (m, "audio-risk"), 0.0);
  fail_unless_equals_int (m->state, OMNI_VERDICT_OK);
  gst_buffer_unref (b);

  m = pull_meta (h, &b);
  fail_unless (fabs (ev_double (m, "impulse-rate") - 10) < 1e-9, "%g",
      ev_double (m, "impulse-rate"));
  fail_unless_equals_float (ev_double (m, "audio-risk"), 0.5);
  fail_unless_equals_string (
      gst_structure_get_string (m->evidence, "audio-label"), "impact-burst");
  fail_unless_equals_int (m->state, OMNI_VERDICT_REVIEW);
  fail_unless_equals_string (m->label, "impact-burst");
  gst_buffer_unref (b);

  m = pull_meta (h, &b);
  fail_unless_equals_string (
      gst_structure_get_string (m->evidence, "audio-kind"), "speech-like");
  fail_unless (!gst_structure_has_field (m->evidence, "speech-score"));
  gst_buffer_unref (b);
  gst_harness_teardown (h);
  gst_object_unref (e);
}

GST_END_TEST;

/* The short-term level is omnirhythm's 50 ms level, not the buffer's own
 * level: 10 ms buffers (live sources) read several dB louder than 50 ms at
 * a speech peak, which made chan3.wav's speech loud-audio in 10 ms
 * buffers. A meta without the cues still counts with its buffer level. */
GST_START_TEST (test_short_term_level_source)
{
  OmniFusionMeta *m;
  GstBuffer *b;
  guint64 n = 0;
  guint k;
  GstHarness *h;
  GstElement *e = gst_element_factory_make ("omnifusion", NULL);

  h = gst_harness_new_with_element (e, "audio", "src");
  gst_harness_set_sink_caps_str (h, CAPTION_CAPS);
  gst_harness_set_src_caps_str (h, AUDIO_CAPS);
  /* window 0: steady -28 dB; window 1: one buffer at -8 dB whose 50 ms
   * level is -18 dB; window 2: the same without cues (legacy meta) */
  for (k = 0; SAMPLE_PTS (n) < 3 * GST_SECOND; k++) {
    gboolean spike = k == 60 || k == 107;
    GstBuffer *ab;

    if (SAMPLE_PTS (n) < 2 * GST_SECOND)
      ab = make_cued_audio (
          n, spike ? -8 : -28, spike ? -18 : -27, 0, 1e-3, 8.0, 0.6);
    else
      ab = make_audio (n, 1024, GST_CLOCK_TIME_NONE, spike ? -8 : -28);
    gst_harness_push (h, ab);
    n += 1024;
  }
  gst_harness_push_event (h, gst_event_new_eos ());
  m = pull_meta (h, &b);
  gst_buffer_unref (b);
  m = pull_meta (h, &b);
  fail_unless_equals_float (ev_double (m, "short-term-db"), -18);
  fail_unless_equals_float (ev_double (m, "audio-risk"), 0.0);
  fail_unless_equals_int (m->state, OMNI_VERDICT_OK);
  gst_buffer_unref (b);
  m = pull_meta (h, &b);
  fail_unless_equals_float (ev_double (m, "short-term-db"), -8);
  fail_unless (
      ev_double (m, "audio-risk") > 0.4, "%g", ev_double (m, "audio-risk"));
  gst_buffer_unref (b);
  gst_harness_teardown (h);
  gst_object_unref (e);
}

GST_END_TEST;

/* The loud-audio and impact-burst scores and their policy keys. */
GST_START_TEST (test_audio_rules_unit)
{
  OmniFusionPolicy *p = omni_fusion_policy_new_default ();
  GError *err = NULL;
  const gchar *label;

  /* a short-term rise of 20 dB to -5 dBFS: a full spike */
  fail_unless_equals_float (
      omni_fusion_policy_score_loud (p, -5, -3, -25, &label), 0.5);
  fail_unless_equals_string (label, "loud-audio");
  /* the same rise ending at -20 dBFS is not loud */
  fail_unless_equals_float (
      omni_fusion_policy_score_loud (p, -20, -10, -40, &label), 0.0);
  fail_unless (label == NULL);
  /* a 0 dBFS peak 12 dB over the baseline (mastered music): half of
   * peak-excess-db, a quarter of the risk; 24 dB over: full */
  fail_unless_equals_float (
      omni_fusion_policy_score_loud (p, -20, 0, -12, &label), 0.25);
  fail_unless_equals_float (
      omni_fusion_policy_score_loud (p, -20, 0, -24, &label), 0.5);
  /* a -2 dBFS peak is not full scale */
  fail_unless_equals_float (
      omni_fusion_policy_score_loud (p, -20, -2, -40, &label), 0.0);
  fail_unless_equals_float (
      omni_fusion_policy_score_impacts (p, 4, &label), 0.25);
  fail_unless_equals_string (label, "impact-burst");
  fail_unless_equals_float (
      omni_fusion_policy_score_impacts (p, 20, &label), 0.5);
  omni_fusion_policy_free (p);

  p = omni_fusion_policy_parse ("[audio]\nloud-db = -6\nspike-db = 10\n"
                                "peak-excess-db = 30\nfull-scale-db = -0.5\n"
                                "baseline-rise-seconds = 2\n[impacts]\n"
                                "label = shots\nweight = 1\n"
                                "impulses-per-second = 5\n",
      -1, "x.conf", &err);
  fail_unless (p != NULL, "%s", err ? err->message : "");
  fail_unless_equals_float (p->loud_db, -6);
  fail_unless_equals_float (p->spike_db, 10);
  fail_unless_equals_float (p->peak_excess_db, 30);
  fail_unless_equals_float (p->full_scale_db, -0.5);
  fail_unless_equals_float (p->baseline_rise_seconds, 2);
  fail_unless_equals_float (
      omni_fusion_policy_score_impacts (p, 5, &label), 1.0);
  fail_unless_equals_string (label, "shots");
  omni_fusion_policy_free (p);

  p = omni_fusion_policy_parse (
      "{\"impacts\": {\"impulses-per-second\": 4, \"label\": \"bangs\"}}", -1,
      "x.json", &err);
  fail_unless (p != NULL, "%s", err ? err->message : "");
  fail_unless_equals_float (p->impact_rate, 4);
  omni_fusion_policy_free (p);

  /* the removed onset-burst key says where it went */
  p = omni_fusion_policy_parse (
      "[audio]\nburst-onsets-per-second = 8\n", -1, "x.conf", &err);
  fail_unless (p == NULL);
  fail_unless (strstr (err->message, "x.conf:2:") != NULL
                   && strstr (err->message, "[impacts]") != NULL,
      "%s", err->message);
  g_clear_error (&err);
}

GST_END_TEST;

/* ---- windows, latency, bad input ------------------------------------- */

/* window 1 s every 0.5 s: each window holds a second of frames, and each
 * frame is one observation of the hysteresis, once. */
GST_START_TEST (test_overlapping_windows)
{
  Fixture f;
  guint i, k;

  fixture_init (&f, FALSE, CAPTION_CAPS, "window-hop", GST_SECOND / 2, NULL);
  for (i = 0; i <= 90; i++)
    gst_harness_push (f.hv, make_frame (FRAME_PTS (i), FALSE, 0.0, 0.0));
  fail_unless (gst_harness_push_event (f.hv, gst_event_new_eos ()));
  for (k = 0; k < 7; k++) {
    GstBuffer *b = gst_harness_pull (f.hv);
    OmniFusionMeta *m = omni_buffer_get_fusion_meta (b);

    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), k * GST_SECOND / 2);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (b), GST_SECOND / 2);
    fail_unless_equals_uint64 (m->window_start, k * GST_SECOND / 2);
    fail_unless_equals_uint64 (m->window_end, k * GST_SECOND / 2 + GST_SECOND);
    fail_unless_equals_int (ev_uint (m, "video-frames"), k < 5    ? 30
                                                         : k == 5 ? 16
                                                                  : 1);
    fail_unless_equals_int (ev_uint (m, "observations"), k < 6 ? 15 : 1);
    gst_buffer_unref (b);
  }
  fixture_clear (&f);
}

GST_END_TEST;

GST_START_TEST (test_hop_longer_than_window)
{
  GstElement *e = gst_element_factory_make ("omnifusion", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;
  gchar *debug = NULL;

  gst_element_set_bus (e, bus);
  g_object_set (e, "window", GST_SECOND / 2, "window-hop", GST_SECOND, NULL);
  fail_unless_equals_int (
      gst_element_set_state (e, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, &debug);
  fail_unless (strstr (debug, "window-hop") != NULL, "%s", debug);
  g_clear_error (&err);
  g_free (debug);
  gst_message_unref (msg);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
}

GST_END_TEST;

/* The LATENCY answer: upstream + GstAggregator:latency + one window. */
GST_START_TEST (test_latency_query)
{
  Fixture f;

  fixture_init (&f, TRUE, CAPTION_CAPS, "latency", 200 * GST_MSECOND, "window",
      2 * GST_SECOND, NULL);
  gst_harness_set_upstream_latency (f.hv, 40 * GST_MSECOND);
  gst_harness_set_upstream_latency (f.ha, 20 * GST_MSECOND);
  fail_unless_equals_uint64 (gst_harness_query_latency (f.hv),
      40 * GST_MSECOND + 200 * GST_MSECOND + 2 * GST_SECOND);
  fixture_clear (&f);
}

GST_END_TEST;

GST_START_TEST (test_non_time_segment)
{
  Fixture f;
  GstSegment seg;
  GstMessage *msg;
  GError *err = NULL;
  gchar *debug = NULL;

  fixture_init (&f, FALSE, CAPTION_CAPS, NULL);
  gst_segment_init (&seg, GST_FORMAT_BYTES);
  fail_unless (gst_harness_push_event (f.hv, gst_event_new_segment (&seg)));
  gst_harness_push (f.hv, make_frame (0, FALSE, -1, 0));
  msg = gst_bus_timed_pop_filtered (f.bus, 10 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, &debug);
  fail_unless (strstr (debug, "bytes segment") != NULL, "%s", debug);
  g_clear_error (&err);
  g_free (debug);
  gst_message_unref (msg);
  fixture_clear (&f);
}

GST_END_TEST;

/* Pango markup on a text pad: the tags go, the entities are resolved. */
GST_START_TEST (test_markup_text)
{
  Fixture f;
  GstHarness *ht;
  GstBuffer *tb, *b;
  OmniFusionMeta *m;
  const gchar *markup = "<b>gosh</b> <i>darn</i> &amp; heck";
  guint i;

  fixture_init (&f, FALSE, CAPTION_CAPS, NULL);
  ht = gst_harness_new_with_element (f.fusion, "sink_%u", NULL);
  gst_harness_set_src_caps_str (ht, "text/x-raw,format=pango-markup");
  tb = gst_buffer_new_memdup (markup, strlen (markup));
  GST_BUFFER_PTS (tb) = 100 * GST_MSECOND;
  gst_harness_push (ht, tb);
  tb = gst_buffer_new_memdup ("x", 1);
  GST_BUFFER_PTS (tb) = 1500 * GST_MSECOND;
  gst_harness_push (ht, tb);
  for (i = 0; i <= 30; i++)
    gst_harness_push (f.hv, make_frame (FRAME_PTS (i), FALSE, -1, 0));
  b = pull_window (&f, 0, &m);
  fail_unless_equals_string (
      gst_structure_get_string (m->evidence, "text"), "gosh darn & heck");
  gst_buffer_unref (b);
  gst_harness_teardown (ht);
  fixture_clear (&f);
}

GST_END_TEST;

/* model-sha256 in a segment's provenance: sha256 of model.json followed
 * by its weight shards, found under OMNI_MODEL_PATH/<model id>/. */
GST_START_TEST (test_model_sha256)
{
  static const gchar *model_json
      = "{\"format\": \"layers-model\", \"weightsManifest\": "
        "[{\"paths\": [\"group1-shard1of1.bin\"], \"weights\": []}]}";
  static const guint8 shard[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  gchar *dir = g_dir_make_tmp ("omnifusion-XXXXXX", NULL);
  gchar *mdir = g_build_filename (dir, "fakemodel", NULL);
  gchar *mjson = g_build_filename (mdir, "model.json", NULL);
  gchar *mbin = g_build_filename (mdir, "group1-shard1of1.bin", NULL);
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  Fixture f;
  GstStructure *msg;
  const GstStructure *prov;
  guint i;

  fail_unless (dir != NULL);
  fail_unless (g_mkdir (mdir, 0700) == 0);
  fail_unless (g_file_set_contents (mjson, model_json, -1, NULL));
  fail_unless (
      g_file_set_contents (mbin, (const gchar *) shard, sizeof (shard), NULL));
  g_checksum_update (sum, (const guchar *) model_json, strlen (model_json));
  g_checksum_update (sum, shard, sizeof (shard));
  g_setenv ("OMNI_MODEL_PATH", dir, TRUE);

  fixture_init (&f, FALSE, CAPTION_CAPS, "enter-frames", 1, NULL);
  for (i = 0; i <= 30; i++) {
    GstBuffer *b = make_frame (FRAME_PTS (i), FALSE, -1, 0);
    gfloat scores[5] = { 0, 0, 0.1f, 0.9f, 0 };

    omni_buffer_add_class_meta (b, "fakemodel", 5, nsfw_labels, scores);
    gst_harness_push (f.hv, b);
  }
  msg = next_message (&f, "omnifusion-segment");
  fail_unless (msg != NULL);
  prov = gst_value_get_structure (gst_structure_get_value (msg, "provenance"));
  fail_unless_equals_string (
      gst_structure_get_string (prov, "model-id"), "fakemodel");
  fail_unless_equals_string (gst_structure_get_string (prov, "model-sha256"),
      g_checksum_get_string (sum));
  gst_structure_free (msg);
  fixture_clear (&f);

  g_unlink (mbin);
  g_unlink (mjson);
  g_rmdir (mdir);
  g_rmdir (dir);
  g_checksum_free (sum);
  g_free (mbin);
  g_free (mjson);
  g_free (mdir);
  g_free (dir);
}

GST_END_TEST;

static Suite *
omnifusion_suite (void)
{
  Suite *s = suite_create ("omnifusion");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_av_same_window);
  tcase_add_test (tc, test_av_offset);
  tcase_add_test (tc, test_audio_buffer_sizes);
  tcase_add_test (tc, test_segment_start_rate);
  tcase_add_test (tc, test_live_stall);
  tcase_add_test (tc, test_live_missing_from_start);
  tcase_add_test (tc, test_eos_one_pad);
  tcase_add_test (tc, test_flush_resets);
  tcase_add_test (tc, test_late_linked_pad);
  tcase_add_test (tc, test_gap_for_empty_windows);
  tcase_add_test (tc, test_json_events);
  tcase_add_test (tc, test_hysteresis_element);
  tcase_add_test (tc, test_review_band);
  tcase_add_test (tc, test_hysteresis_unit);
  tcase_add_test (tc, test_policy_typo);
  tcase_add_test (tc, test_policy_values_in_properties);
  tcase_add_test (tc, test_policy_parse_unit);
  tcase_add_test (tc, test_text_pad_words);
  tcase_add_test (tc, test_caption_template);
  tcase_add_test (tc, test_caption_template_unit);
  tcase_add_test (tc, test_audio_character);
  tcase_add_test (tc, test_audio_kind_cues);
  tcase_add_test (tc, test_audio_rules_unit);
  tcase_add_test (tc, test_short_term_level_source);
  tcase_add_test (tc, test_overlapping_windows);
  tcase_add_test (tc, test_hop_longer_than_window);
  tcase_add_test (tc, test_latency_query);
  tcase_add_test (tc, test_non_time_segment);
  tcase_add_test (tc, test_markup_text);
  tcase_add_test (tc, test_model_sha256);
  return s;
}

GST_CHECK_MAIN (omnifusion);
