/* gst-omni: omnifusion in whole (non-live) pipelines: alignment through
 * queues and odd buffer sizes, EOS on one branch, unlinked pads, flushing
 * seeks, webvttenc and textoverlay downstream, omnisampler upstream.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Inputs come from appsrc (or test sources) with the metas an encoder
 * would attach added here, so the expected windows are known by
 * construction.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/check/gstcheck.h>
#include <omni/omni.h>

#define RATE 48000
#define SAMPLE_PTS(n) gst_util_uint64_scale ((n), GST_SECOND, RATE)
#define FRAME_PTS(i) gst_util_uint64_scale ((i), GST_SECOND, 30)
#define VIDEO_CAPS "video/x-raw,format=GRAY8,width=16,height=16,framerate=30/1"
#define AUDIO_CAPS                                                             \
  "audio/x-raw,format=F32LE,rate=48000,channels=1,layout=interleaved"

/* ---- running a pipeline ------------------------------------------------ */

typedef struct {
  GPtrArray *windows;  /* GstStructure "omnifusion" */
  GPtrArray *segments; /* GstStructure "omnifusion-segment" */
} Collected;

static void
collected_init (Collected *c)
{
  c->windows
      = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_structure_free);
  c->segments
      = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_structure_free);
}

static void
collected_clear (Collected *c)
{
  g_ptr_array_unref (c->windows);
  g_ptr_array_unref (c->segments);
}

static void
collect (Collected *c, GstMessage *m)
{
  const GstStructure *s = gst_message_get_structure (m);

  if (GST_MESSAGE_TYPE (m) != GST_MESSAGE_ELEMENT || !s)
    return;
  if (gst_structure_has_name (s, "omnifusion"))
    g_ptr_array_add (c->windows, gst_structure_copy (s));
  else if (gst_structure_has_name (s, "omnifusion-segment"))
    g_ptr_array_add (c->segments, gst_structure_copy (s));
}

/* Waits for @type (EOS or ASYNC_DONE), failing on errors; collects the
 * omnifusion messages on the way. */
static void
wait_for (GstElement *pipeline, GstMessageType type, Collected *c)
{
  GstBus *bus = gst_element_get_bus (pipeline);

  for (;;) {
    GstMessage *m = gst_bus_timed_pop_filtered (
        bus, 60 * GST_SECOND, type | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);

    fail_unless (m != NULL, "timed out waiting for %s",
        gst_message_type_get_name (type));
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
      GError *err = NULL;
      gchar *dbg = NULL;

      gst_message_parse_error (m, &err, &dbg);
      fail ("error from %s: %s (%s)", GST_OBJECT_NAME (m->src), err->message,
          dbg);
    }
    if (c)
      collect (c, m);
    if (GST_MESSAGE_TYPE (m) == type) {
      gst_message_unref (m);
      break;
    }
    gst_message_unref (m);
  }
  gst_object_unref (bus);
}

static void
run_to_eos (GstElement *pipeline, Collected *c)
{
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING)
           == GST_STATE_CHANGE_FAILURE);
  wait_for (pipeline, GST_MESSAGE_EOS, c);
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

static GstElement *
launch (const gchar *desc)
{
  GError *err = NULL;
  GstElement *p = gst_parse_launch (desc, &err);

  fail_unless (
      p != NULL && err == NULL, "%s: %s", desc, err ? err->message : "");
  return p;
}

static const GstStructure *
window_at (Collected *c, guint64 index)
{
  guint i;

  for (i = 0; i < c->windows->len; i++) {
    const GstStructure *s = g_ptr_array_index (c->windows, i);
    guint64 idx;

    if (gst_structure_get_uint64 (s, "index", &idx) && idx == index)
      return s;
  }
  fail ("no window %" G_GUINT64_FORMAT, index);
  return NULL;
}

static guint
evidence_uint (const GstStructure *w, const gchar *field)
{
  const GstStructure *ev
      = gst_value_get_structure (gst_structure_get_value (w, "evidence"));
  guint v = 0;

  fail_unless (gst_structure_get_uint (ev, field, &v),
      "no %s in %" GST_PTR_FORMAT, field, ev);
  return v;
}

static gint64
evidence_int64 (const GstStructure *w, const gchar *field)
{
  const GstStructure *ev
      = gst_value_get_structure (gst_structure_get_value (w, "evidence"));
  gint64 v = -1;

  fail_unless (gst_structure_get_int64 (ev, field, &v),
      "no %s in %" GST_PTR_FORMAT, field, ev);
  return v;
}

/* ---- inputs ------------------------------------------------------------ */

static GstBuffer *
video_frame (guint i, gboolean white, gboolean mark_scene)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, 256, NULL);

  gst_buffer_memset (b, 0, white ? 235 : 16, 256);
  GST_BUFFER_PTS (b) = FRAME_PTS (i);
  GST_BUFFER_DURATION (b) = FRAME_PTS (i + 1) - FRAME_PTS (i);
  if (mark_scene)
    omni_buffer_add_sample_meta (b, OMNI_SAMPLE_REASON_SCENE, 1.0, i);
  return b;
}

static GstBuffer *
audio_buffer (guint64 first, guint samples, GstClockTime click)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, samples * 4, NULL);
  GstClockTime pts = SAMPLE_PTS (first), end = SAMPLE_PTS (first + samples);
  OmniRhythmMeta *rm;
  GstMapInfo map;
  guint k;

  gst_buffer_map (b, &map, GST_MAP_WRITE);
  for (k = 0; k < samples; k++)
    ((gfloat *) map.data)[k]
        = (first + k) == gst_util_uint64_scale (click, RATE, GST_SECOND) ? 1.0f
                                                                         : 0.0f;
  gst_buffer_unmap (b, &map);
  GST_BUFFER_PTS (b) = pts;
  GST_BUFFER_DURATION (b) = end - pts;
  rm = omni_buffer_add_rhythm_meta (b);
  rm->rms_db = -40;
  if (click >= pts && click < end) {
    rm->onset = TRUE;
    rm->onset_offset = click - pts;
    rm->rms_db = -20;
  }
  return b;
}

/* appsrc through its action signals (no link to gstreamer-app needed) */
static void
push (GstElement *appsrc, GstBuffer *buf)
{
  GstFlowReturn ret = GST_FLOW_ERROR;

  g_signal_emit_by_name (appsrc, "push-buffer", buf, &ret);
  gst_buffer_unref (buf);
  fail_unless_equals_int (ret, GST_FLOW_OK);
}

static void
end_stream (GstElement *appsrc)
{
  GstFlowReturn ret = GST_FLOW_ERROR;

  g_signal_emit_by_name (appsrc, "end-of-stream", &ret);
  fail_unless_equals_int (ret, GST_FLOW_OK);
}

/* Fills the appsrcs of @p ("v", "a") up front: 30 fps video until
 * @video_end with a white shot from @white_from, audio of @spb-sample
 * buffers until @audio_end with a click at @click. */
static void
feed (GstElement *p, GstClockTime video_end, GstClockTime white_from,
    gboolean mark_scene, GstClockTime audio_end, guint spb, GstClockTime click)
{
  GstElement *v = gst_bin_get_by_name (GST_BIN (p), "v");
  GstElement *a = gst_bin_get_by_name (GST_BIN (p), "a");
  guint i;
  guint64 n;

  if (v) {
    for (i = 0; FRAME_PTS (i) < video_end; i++) {
      gboolean white = FRAME_PTS (i) >= white_from;

      push (
          v, video_frame (i, white, mark_scene && FRAME_PTS (i) == white_from));
    }
    end_stream (v);
    gst_object_unref (v);
  }
  if (a) {
    for (n = 0; SAMPLE_PTS (n) < audio_end; n += spb)
      push (a, audio_buffer (n, spb, click));
    end_stream (a);
    gst_object_unref (a);
  }
}

#define APPSRC_V                                                               \
  "appsrc name=v format=time max-bytes=0 caps=\"" VIDEO_CAPS "\" "
#define APPSRC_A                                                               \
  "appsrc name=a format=time max-bytes=0 caps=\"" AUDIO_CAPS "\" "
#define DELAY_QUEUE                                                            \
  "queue min-threshold-time=300000000 max-size-time=0 max-size-bytes=0 "       \
  "max-size-buffers=0 "

/* ---- tests ------------------------------------------------------------ */

/* A white frame and a click at 1 s; the audio branch goes through a queue
 * that holds 300 ms back, with buffers of various sizes. */
GST_START_TEST (test_aligned_through_queue)
{
  const guint sizes[] = { 441, 1000, 1024, 4096, 12000 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    Collected c;
    GstElement *p = launch (APPSRC_V " ! f.video " APPSRC_A " ! " DELAY_QUEUE
                                     " ! f.audio omnifusion name=f ! "
                                     "fakesink sync=false");
    const GstStructure *w;
    guint spb = sizes[i];

    collected_init (&c);
    feed (p, 3 * GST_SECOND, GST_SECOND, TRUE, 3 * GST_SECOND, spb, GST_SECOND);
    run_to_eos (p, &c);

    fail_unless_equals_int (c.windows->len, 3);
    w = window_at (&c, 0);
    fail_unless_equals_int (evidence_uint (w, "scene-cuts"), 0);
    fail_unless_equals_int (evidence_uint (w, "onsets"), 0);
    fail_unless_equals_int (
        evidence_uint (w, "audio-buffers"), (RATE + spb - 1) / spb);
    w = window_at (&c, 1);
    fail_unless_equals_int (evidence_uint (w, "scene-cuts"), 1);
    fail_unless_equals_int (evidence_uint (w, "onsets"), 1);
    fail_unless_equals_int64 (
        evidence_int64 (w, "first-scene-cut"), GST_SECOND);
    fail_unless_equals_int64 (evidence_int64 (w, "first-onset"), GST_SECOND);
    w = window_at (&c, 2);
    fail_unless_equals_int (evidence_uint (w, "scene-cuts"), 0);
    fail_unless_equals_int (evidence_uint (w, "onsets"), 0);
    collected_clear (&c);
    gst_object_unref (p);
  }
}

GST_END_TEST;

/* The same with the click half a second after the white frame. */
GST_START_TEST (test_offset_through_queue)
{
  Collected c;
  GstElement *p = launch (APPSRC_V " ! f.video " APPSRC_A " ! " DELAY_QUEUE
                                   " ! f.audio omnifusion name=f "
                                   "window=500000000 ! fakesink sync=false");
  const GstStructure *w;
  guint64 dur;

  collected_init (&c);
  feed (p, 3 * GST_SECOND, GST_SECOND, TRUE, 3 * GST_SECOND, 1000,
      1500 * GST_MSECOND);
  run_to_eos (p, &c);
  fail_unless_equals_int (c.windows->len, 6);
  w = window_at (&c, 2);
  fail_unless (gst_structure_get_uint64 (w, "duration", &dur));
  fail_unless_equals_uint64 (dur, 500 * GST_MSECOND);
  fail_unless_equals_int (evidence_uint (w, "scene-cuts"), 1);
  fail_unless_equals_int (evidence_uint (w, "onsets"), 0);
  w = window_at (&c, 3);
  fail_unless_equals_int (evidence_uint (w, "scene-cuts"), 0);
  fail_unless_equals_int (evidence_uint (w, "onsets"), 1);
  fail_unless_equals_int64 (
      evidence_int64 (w, "first-onset"), 1500 * GST_MSECOND);
  collected_clear (&c);
  gst_object_unref (p);
}

GST_END_TEST;

/* The scene cut comes from the real omnisampler, on a black shot followed
 * by a white one. */
GST_START_TEST (test_omnisampler_scene_cut)
{
  Collected c;
  GstElement *p = launch (APPSRC_V " ! omnisampler ! f.video " APPSRC_A
                                   " ! f.audio omnifusion name=f ! "
                                   "fakesink sync=false");
  const GstStructure *w;

  collected_init (&c);
  feed (p, 3 * GST_SECOND, GST_SECOND, FALSE, 3 * GST_SECOND, 1024, GST_SECOND);
  run_to_eos (p, &c);
  w = window_at (&c, 0);
  fail_unless_equals_int (evidence_uint (w, "scene-cuts"), 0);
  w = window_at (&c, 1);
  fail_unless_equals_int (evidence_uint (w, "scene-cuts"), 1);
  fail_unless_equals_int64 (evidence_int64 (w, "first-scene-cut"), GST_SECOND);
  fail_unless_equals_int64 (evidence_int64 (w, "first-onset"), GST_SECOND);
  collected_clear (&c);
  gst_object_unref (p);
}

GST_END_TEST;

/* Audio ends at 1.5 s, video goes on to 4 s: the windows keep coming. */
GST_START_TEST (test_eos_one_branch)
{
  Collected c;
  GstElement *p = launch (
      APPSRC_V " ! f.video " APPSRC_A " ! f.audio omnifusion name=f ! "
               "fakesink sync=false");
  guint i;

  collected_init (&c);
  feed (p, 4 * GST_SECOND, 10 * GST_SECOND, FALSE, 1500 * GST_MSECOND, 1024,
      GST_CLOCK_TIME_NONE);
  run_to_eos (p, &c);
  fail_unless_equals_int (c.windows->len, 4);
  for (i = 0; i < 4; i++) {
    const GstStructure *w = window_at (&c, i);
    guint present;

    fail_unless (
        gst_structure_get_flags (w, "present", OMNI_TYPE_MODALITY, &present));
    fail_unless_equals_string (
        gst_structure_get_string (w, "audio"), i < 2 ? "present" : "eos");
    fail_unless_equals_int (
        present, i < 2 ? (OMNI_MODALITY_VIDEO | OMNI_MODALITY_AUDIO)
                       : OMNI_MODALITY_VIDEO);
    fail_unless_equals_int (evidence_uint (w, "video-frames"), 30);
  }
  collected_clear (&c);
  gst_object_unref (p);
}

GST_END_TEST;

/* Only the video pad is linked. */
GST_START_TEST (test_audio_unlinked)
{
  Collected c;
  GstElement *p = launch (APPSRC_V " ! f.video omnifusion name=f ! "
                                   "application/x-omni-events ! fakesink "
                                   "sync=false");

  collected_init (&c);
  feed (
      p, 2 * GST_SECOND, 10 * GST_SECOND, FALSE, 0, 1024, GST_CLOCK_TIME_NONE);
  run_to_eos (p, &c);
  fail_unless_equals_int (c.windows->len, 2);
  fail_unless_equals_string (
      gst_structure_get_string (window_at (&c, 1), "audio"), "unlinked");
  collected_clear (&c);
  gst_object_unref (p);
}

GST_END_TEST;

/* ---- flushing seeks ---------------------------------------------------- */

/* Marks a scene cut on every frame at a whole second of PTS and explicit
 * class scores before 3 s. */
static GstPadProbeReturn
mark_video (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  static const gchar *labels[]
      = { "Drawing", "Hentai", "Neutral", "Porn", "Sexy", NULL };
  GstBuffer *b = gst_pad_probe_info_get_buffer (info);
  GstClockTime pts;
  gfloat scores[5] = { 0, 0, 0.99f, 0.01f, 0 };

  b = gst_buffer_make_writable (b);
  pts = GST_BUFFER_PTS (b);
  if (pts % GST_SECOND < GST_SECOND / 60)
    omni_buffer_add_sample_meta (b, OMNI_SAMPLE_REASON_SCENE, 1.0, 0);
  if (pts < 3 * GST_SECOND) {
    scores[2] = 0.05f;
    scores[3] = 0.95f;
  }
  omni_buffer_add_class_meta (b, "nsfw", 5, labels, scores);
  GST_PAD_PROBE_INFO_DATA (info) = b;
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
mark_audio (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstBuffer *b
      = gst_buffer_make_writable (gst_pad_probe_info_get_buffer (info));
  GstClockTime pts = GST_BUFFER_PTS (b), dur = GST_BUFFER_DURATION (b);
  GstClockTime next
      = gst_util_uint64_scale_ceil (pts, 1, GST_SECOND) * GST_SECOND;
  OmniRhythmMeta *rm = omni_buffer_add_rhythm_meta (b);

  rm->rms_db = -30;
  if (next >= pts && next < pts + dur) {
    rm->onset = TRUE;
    rm->onset_offset = next - pts;
  }
  GST_PAD_PROBE_INFO_DATA (info) = b;
  return GST_PAD_PROBE_OK;
}

static void
add_probe (GstElement *p, const gchar *name, GstPadProbeCallback cb)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (p), name);
  GstPad *pad = gst_element_get_static_pad (e, "src");

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, cb, NULL, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
}

static void
check_seek (gboolean with_audio)
{
  Collected before, after;
  gchar *desc = g_strdup_printf (
      "videotestsrc name=vs ! " VIDEO_CAPS " ! identity name=vi ! f.video %s "
      "omnifusion name=f enter-frames=3 ! fakesink sync=false",
      with_audio ? "audiotestsrc samplesperbuffer=1000 ! " AUDIO_CAPS
                   " ! identity name=ai ! f.audio"
                 : "");
  GstElement *p = launch (desc);
  guint i, post = 0;
  gboolean closed_on_flush = FALSE;

  add_probe (p, "vi", mark_video);
  if (with_audio)
    add_probe (p, "ai", mark_audio);
  collected_init (&before);
  collected_init (&after);

  fail_if (
      gst_element_set_state (p, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE);
  wait_for (p, GST_MESSAGE_ASYNC_DONE, &before);
  fail_unless (gst_element_seek (p, 1.0, GST_FORMAT_TIME,
      GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET,
      5 * GST_SECOND, GST_SEEK_TYPE_SET, 8 * GST_SECOND));
  wait_for (p, GST_MESSAGE_ASYNC_DONE, &before);
  run_to_eos (p, &after);

  /* the segment open before the seek was closed by the flush */
  for (i = 0; i < before.segments->len; i++) {
    const GstStructure *s = g_ptr_array_index (before.segments, i);

    if (!g_strcmp0 (gst_structure_get_string (s, "reason"), "flush"))
      closed_on_flush = TRUE;
  }
  for (i = 0; i < after.segments->len; i++) {
    const GstStructure *s = g_ptr_array_index (after.segments, i);

    if (!g_strcmp0 (gst_structure_get_string (s, "reason"), "flush"))
      closed_on_flush = TRUE;
  }
  fail_unless (closed_on_flush);

  /* after the seek: windows 0, 1, 2 at stream time 5, 6, 7 s, once each,
   * holding only post-seek evidence */
  for (i = 0; i < before.windows->len + after.windows->len; i++) {
    const GstStructure *w
        = i < before.windows->len
              ? g_ptr_array_index (before.windows, i)
              : g_ptr_array_index (after.windows, i - before.windows->len);
    guint64 st, idx;

    fail_unless (gst_structure_get_uint64 (w, "stream-time", &st));
    fail_unless (gst_structure_get_uint64 (w, "index", &idx));
    if (st < 5 * GST_SECOND)
      continue;
    fail_unless_equals_uint64 (idx, post);
    fail_unless_equals_uint64 (st, (5 + post) * GST_SECOND);
    fail_unless_equals_int (evidence_uint (w, "scene-cuts"), 1);
    fail_unless_equals_int64 (
        evidence_int64 (w, "first-scene-cut"), post * GST_SECOND);
    fail_unless_equals_int (evidence_uint (w, "video-frames"), 30);
    fail_unless_equals_string (gst_structure_get_string (w, "state"), "ok");
    if (with_audio) {
      fail_unless_equals_int (evidence_uint (w, "onsets"), 1);
      fail_unless_equals_int64 (
          evidence_int64 (w, "first-onset"), post * GST_SECOND);
    }
    post++;
  }
  fail_unless_equals_int (post, 3);

  gst_element_set_state (p, GST_STATE_NULL);
  collected_clear (&before);
  collected_clear (&after);
  gst_object_unref (p);
  g_free (desc);
}

GST_START_TEST (test_flushing_seek)
{
  check_seek (TRUE);
}

GST_END_TEST;

/* The unlinked audio pad gets the flush too, or the aggregator would
 * never finish it. */
GST_START_TEST (test_flushing_seek_unlinked)
{
  check_seek (FALSE);
}

GST_END_TEST;

/* ---- downstream ------------------------------------------------------- */

GST_START_TEST (test_webvttenc)
{
  GstElement *p = launch (APPSRC_V " ! f.video " APPSRC_A " ! f.audio "
                                   "omnifusion name=f caption-format="
                                   "\"window {index}: {state}\" ! webvttenc ! "
                                   "appsink name=out sync=false");
  GstElement *out = gst_bin_get_by_name (GST_BIN (p), "out");
  GString *text = g_string_new (NULL);
  GstSample *s;
  gboolean eos = FALSE;

  feed (p, 3 * GST_SECOND, 10 * GST_SECOND, FALSE, 3 * GST_SECOND, 1024,
      GST_CLOCK_TIME_NONE);
  fail_if (
      gst_element_set_state (p, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE);
  for (;;) {
    s = NULL;
    g_signal_emit_by_name (out, "try-pull-sample", 30 * GST_SECOND, &s);
    if (!s)
      break;
    {
      GstBuffer *b = gst_sample_get_buffer (s);
      GstMapInfo map;

      gst_buffer_map (b, &map, GST_MAP_READ);
      g_string_append_len (text, (gchar *) map.data, map.size);
      gst_buffer_unmap (b, &map);
      gst_sample_unref (s);
    }
  }
  g_object_get (out, "eos", &eos, NULL);
  fail_unless (eos);
  fail_unless (
      strstr (text->str, "00:00:01.000 --> 00:00:02.000\nwindow 1: ok") != NULL,
      "%s", text->str);
  fail_unless (
      strstr (text->str, "00:00:02.000 --> 00:00:03.000\nwindow 2: ok") != NULL,
      "%s", text->str);
  gst_element_set_state (p, GST_STATE_NULL);
  g_string_free (text, TRUE);
  gst_object_unref (out);
  gst_object_unref (p);
}

GST_END_TEST;

static GstPadProbeReturn
count_buffers (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  g_atomic_int_inc ((gint *) user_data);
  return GST_PAD_PROBE_OK;
}

/* Captions burnt into the analysed video by textoverlay. */
GST_START_TEST (test_textoverlay)
{
  GstElement *p
      = launch ("videotestsrc num-buffers=90 ! video/x-raw,width=64,height=48,"
                "framerate=30/1 ! tee name=t t. ! queue ! textoverlay name=o ! "
                "fakesink sync=false t. ! queue ! f.video omnifusion name=f ! "
                "o.text_sink");
  GstElement *o = gst_bin_get_by_name (GST_BIN (p), "o");
  GstPad *text_sink = gst_element_get_static_pad (o, "text_sink");
  gint n = 0;

  gst_pad_add_probe (
      text_sink, GST_PAD_PROBE_TYPE_BUFFER, count_buffers, &n, NULL);
  run_to_eos (p, NULL);
  fail_unless_equals_int (g_atomic_int_get (&n), 3);
  gst_object_unref (text_sink);
  gst_object_unref (o);
  gst_object_unref (p);
}

GST_END_TEST;

/* ---- live, real clock ------------------------------------------------- */

static gboolean
close_valve (gpointer valve)
{
  g_object_set (valve, "drop", TRUE, NULL);
  return G_SOURCE_REMOVE;
}

/* Live sources on the system clock; the audio branch stops delivering at
 * about 1.5 s (a valve starts dropping). The windows after that still come,
 * on the aggregator's deadline, with audio missing. */
GST_START_TEST (test_live_valve_stall)
{
  GstElement *p
      = launch ("videotestsrc is-live=true ! " VIDEO_CAPS " ! f.video "
                "audiotestsrc is-live=true samplesperbuffer=480 ! " AUDIO_CAPS
                " ! valve name=valve ! f.audio omnifusion name=f ! fakesink");
  GstElement *valve = gst_bin_get_by_name (GST_BIN (p), "valve");
  GstElement *f = gst_bin_get_by_name (GST_BIN (p), "f");
  GstBus *bus = gst_element_get_bus (p);
  Collected c;
  GstStructure *stats;
  guint64 timeouts = 0, late = 1;
  gint64 until;
  guint i, missing = 0;

  collected_init (&c);
  fail_if (
      gst_element_set_state (p, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE);
  g_timeout_add (1500, close_valve, valve);
  until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until) {
    GstMessage *m = gst_bus_timed_pop (bus, 10 * GST_MSECOND);

    g_main_context_iteration (NULL, FALSE);
    if (!m)
      continue;
    fail_if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR);
    collect (&c, m);
    gst_message_unref (m);
  }
  g_object_get (f, "stats", &stats, NULL);
  gst_element_set_state (p, GST_STATE_NULL);

  /* windows 0..2 at least (window 2 is due at 3 s + latency) */
  fail_unless (c.windows->len >= 3);
  fail_unless_equals_string (
      gst_structure_get_string (window_at (&c, 0), "audio"), "present");
  for (i = 0; i < c.windows->len; i++) {
    const GstStructure *w = g_ptr_array_index (c.windows, i);
    guint64 idx;

    gst_structure_get_uint64 (w, "index", &idx);
    fail_unless_equals_string (
        gst_structure_get_string (w, "video"), "present");
    /* the healthy branch is not held back by the stalled one */
    if (idx >= 1)
      fail_unless_equals_int (evidence_uint (w, "video-frames"), 30);
    if (idx >= 2) {
      guint miss = 0;

      fail_unless_equals_string (
          gst_structure_get_string (w, "audio"), "missing");
      fail_unless (
          gst_structure_get_flags (w, "missing", OMNI_TYPE_MODALITY, &miss));
      fail_unless_equals_int (miss, OMNI_MODALITY_AUDIO);
      missing++;
    }
  }
  fail_unless (missing >= 1);
  fail_unless (
      gst_structure_get_uint64 (stats, "timed-out-windows", &timeouts));
  fail_unless (timeouts >= missing);
  fail_unless (gst_structure_get_uint64 (stats, "late-buffers", &late));
  fail_unless_equals_uint64 (late, 0);
  gst_structure_free (stats);
  collected_clear (&c);
  gst_object_unref (bus);
  gst_object_unref (f);
  gst_object_unref (valve);
  gst_object_unref (p);
}

GST_END_TEST;

/* State changes at arbitrary moments: no deadlock, no leak. */
GST_START_TEST (test_state_changes)
{
  GstElement *p = launch (
      "videotestsrc ! " VIDEO_CAPS " ! f.video audiotestsrc ! " AUDIO_CAPS
      " ! f.audio omnifusion name=f window=100000000 ! "
      "application/x-omni-events ! fakesink sync=false");
  GRand *rand = g_rand_new_with_seed (7);
  guint i;

  for (i = 0; i < 20; i++) {
    GstState target = i % 3 == 2 ? GST_STATE_PAUSED : GST_STATE_PLAYING;

    fail_if (gst_element_set_state (p, target) == GST_STATE_CHANGE_FAILURE);
    g_usleep (g_rand_int_range (rand, 0, 30000));
    fail_if (gst_element_set_state (p, i % 2 ? GST_STATE_READY : GST_STATE_NULL)
             == GST_STATE_CHANGE_FAILURE);
  }
  g_rand_free (rand);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
}

GST_END_TEST;

static Suite *
fusion_suite (void)
{
  Suite *s = suite_create ("fusion");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_aligned_through_queue);
  tcase_add_test (tc, test_offset_through_queue);
  tcase_add_test (tc, test_omnisampler_scene_cut);
  tcase_add_test (tc, test_eos_one_branch);
  tcase_add_test (tc, test_audio_unlinked);
  tcase_add_test (tc, test_flushing_seek);
  tcase_add_test (tc, test_flushing_seek_unlinked);
  tcase_add_test (tc, test_webvttenc);
  tcase_add_test (tc, test_textoverlay);
  tcase_add_test (tc, test_live_valve_stall);
  tcase_add_test (tc, test_state_changes);
  return s;
}

GST_CHECK_MAIN (fusion);
