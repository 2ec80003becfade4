/* gst-omni: omnicensor tests
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Frame-exact and sample-exact: the frames and samples that verdicts
 * flag change, every other byte leaves as it came; every buffer that
 * enters leaves, in order, with its timestamps.
 */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/check/gsttestclock.h>
#include <gst/video/video.h>
#include <gst/audio/audio.h>
#include <string.h>
#include <math.h>

#define W 64
#define H 48
#define FRAME_NS (40 * GST_MSECOND) /* 25 fps */
#define RATE 48000

static GstHarness *
video_harness (GstElement *censor)
{
  GstHarness *h
      = gst_harness_new_with_element (censor, "video_sink", "video_src");
  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=I420,width=" G_STRINGIFY (
             W) ",height=" G_STRINGIFY (H) ",framerate=25/1");
  return h;
}

static GstHarness *
verdict_harness (GstElement *censor)
{
  GstHarness *h = gst_harness_new_with_element (censor, "verdict_sink", NULL);
  gst_harness_set_src_caps_str (h, "application/x-omni-events");
  return h;
}

/* Frame @k: noise from a seed, so that any change shows. */
static GstBuffer *
frame_new (guint k)
{
  gsize size = W * H * 3 / 2, i;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, size, NULL);
  GRand *rand = g_rand_new_with_seed (k + 1);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < size; i++)
    map.data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  gst_buffer_unmap (buf, &map);
  g_rand_free (rand);
  GST_BUFFER_PTS (buf) = k * FRAME_NS;
  GST_BUFFER_DURATION (buf) = FRAME_NS;
  return buf;
}

static void
push_json (GstHarness *hv, const gchar *json)
{
  GstBuffer *buf = gst_buffer_new_memdup (json, strlen (json));
  fail_unless_equals_int (gst_harness_push (hv, buf), GST_FLOW_OK);
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

/* Pulls @n frames and checks which changed: bit k of @changed. */
static void
check_frames (GstHarness *h, guint n, guint64 changed)
{
  guint k;

  for (k = 0; k < n; k++) {
    GstBuffer *out = gst_harness_pull (h), *ref = frame_new (k);
    fail_unless (out != NULL, "frame %u did not come out", k);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), k * FRAME_NS);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (out), FRAME_NS);
    if (changed & (G_GUINT64_CONSTANT (1) << k))
      fail_if (same_bytes (out, ref), "frame %u should be censored", k);
    else
      fail_unless (same_bytes (out, ref), "frame %u was modified", k);
    gst_buffer_unref (out);
    gst_buffer_unref (ref);
  }
}

static guint64
bits (guint from, guint to)
{
  guint64 b = 0;
  guint k;

  for (k = from; k < to; k++)
    b |= G_GUINT64_CONSTANT (1) << k;
  return b;
}

/* A segment [400, 800) ms flagged by video: frames 10..19 of 40 ms, and
 * only them, are censored (each action), nothing leaves before the
 * verdicts cover it. */
static void
run_flagged_segment (const gchar *action)
{
  GstElement *censor = gst_element_factory_make ("omnicensor", NULL);
  GstHarness *h, *hv;
  guint k;

  gst_util_set_object_arg (G_OBJECT (censor), "video-action", action);
  h = video_harness (censor);
  hv = verdict_harness (censor);
  for (k = 0; k < 30; k++)
    fail_unless_equals_int (gst_harness_push (h, frame_new (k)), GST_FLOW_OK);
  /* held: no verdict yet */
  g_usleep (100 * 1000);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  push_json (hv,
      "{\"type\":\"segment\",\"event\":\"opened\",\"id\":1,"
      "\"start\":400000000,\"end\":null,\"trigger\":{\"source\":\"video\"}}\n"
      "{\"type\":\"window\",\"window-start\":0,\"window-end\":600000000,"
      "\"state\":\"flagged\"}\n");
  push_json (hv, "{\"type\":\"segment\",\"event\":\"closed\",\"id\":1,"
                 "\"start\":400000000,\"end\":800000000,"
                 "\"trigger\":{\"source\":\"video\"}}\n"
                 "{\"type\":\"window\",\"window-start\":600000000,"
                 "\"window-end\":1200000000,\"state\":\"flagged\"}\n");
  check_frames (h, 30, bits (10, 20));
  gst_harness_teardown (hv);
  gst_harness_teardown (h);
  gst_object_unref (censor);
}

GST_START_TEST (test_flagged_frames_exact)
{
  run_flagged_segment ("blur");
  run_flagged_segment ("pixelate");
  run_flagged_segment ("black");
}

GST_END_TEST;

/* An audio-triggered segment does not touch the picture; a review window
 * does only with review-action. */
GST_START_TEST (test_targets_and_review)
{
  GstElement *censor = gst_element_factory_make ("omnicensor", NULL);
  GstHarness *h, *hv;
  guint k;

  g_object_set (censor, "review-action", 1 /* blur */, NULL);
  h = video_harness (censor);
  hv = verdict_harness (censor);
  for (k = 0; k < 20; k++)
    gst_harness_push (h, frame_new (k));
  push_json (hv,
      "{\"type\":\"segment\",\"event\":\"closed\",\"id\":1,\"start\":0,"
      "\"end\":400000000,\"trigger\":{\"source\":\"audio\"}}\n"
      "{\"type\":\"window\",\"window-start\":400000000,"
      "\"window-end\":480000000,\"state\":\"review\"}\n"
      "{\"type\":\"window\",\"window-start\":480000000,"
      "\"window-end\":800000000,\"state\":\"ok\"}\n");
  check_frames (h, 20, bits (10, 12));
  gst_harness_teardown (hv);
  gst_harness_teardown (h);
  gst_object_unref (censor);
}

GST_END_TEST;

/* A window whose analysis failed is censored: fail closed. */
GST_START_TEST (test_error_window_fails_closed)
{
  GstElement *censor = gst_element_factory_make ("omnicensor", NULL);
  GstHarness *h = video_harness (censor), *hv = verdict_harness (censor);
  guint k;

  for (k = 0; k < 10; k++)
    gst_harness_push (h, frame_new (k));
  push_json (hv, "{\"type\":\"window\",\"window-start\":0,"
                 "\"window-end\":200000000,\"state\":\"error\",\"risk\":null}\n"
                 "{\"type\":\"window\",\"window-start\":200000000,"
                 "\"window-end\":400000000,\"state\":\"ok\"}\n");
  check_frames (h, 10, bits (0, 5));
  gst_harness_teardown (hv);
  gst_harness_teardown (h);
  gst_object_unref (censor);
}

GST_END_TEST;

static GstBuffer *
audio_new (guint64 first, gsize frames)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, frames * 2, NULL);
  GstMapInfo map;
  gsize i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < frames; i++)
    ((gint16 *) map.data)[i]
        = (gint16) (8000 * sin (2 * G_PI * 220.0 * (first + i) / RATE));
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = gst_util_uint64_scale_int (first, GST_SECOND, RATE);
  GST_BUFFER_DURATION (buf)
      = gst_util_uint64_scale_int (frames, GST_SECOND, RATE);
  return buf;
}

/* Pulls @n frames of S16 mono into one array. */
static gint16 *
pull_audio (GstHarness *h, gsize n)
{
  gint16 *out = g_new0 (gint16, n);
  gsize got = 0;

  while (got < n) {
    GstBuffer *buf = gst_harness_pull (h);
    fail_unless (buf != NULL);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (buf),
        gst_util_uint64_scale_int (got, GST_SECOND, RATE));
    gst_buffer_extract (buf, 0, out + got, gst_buffer_get_size (buf));
    got += gst_buffer_get_size (buf) / 2;
    gst_buffer_unref (buf);
  }
  return out;
}

/* A flagged word [1.2345, 1.5) s is bleeped: samples outside it are
 * untouched, the edit starts and ends within 1 ms inside it, the middle
 * is a 1 kHz tone. */
GST_START_TEST (test_bleep_word_span)
{
  GstElement *censor = gst_element_factory_make ("omnicensor", NULL);
  GstHarness *h
      = gst_harness_new_with_element (censor, "audio_sink", "audio_src");
  GstHarness *hv = verdict_harness (censor);
  gsize n = 2 * RATE, i, first = n, last = 0, crossings = 0;
  gsize s0 = (gsize) llround (1.2345 * RATE), s1 = (gsize) (1.5 * RATE);
  gint16 *out;
  GstBuffer *ref;
  GstMapInfo map;

  gst_harness_set_src_caps_str (
      h, "audio/x-raw,format=S16LE,rate=48000,channels=1,layout=interleaved");
  for (i = 0; i < n; i += 1024)
    gst_harness_push (h, audio_new (i, MIN (1024, n - i)));
  push_json (hv, "{\"type\":\"window\",\"window-start\":0,"
                 "\"window-end\":2000000000,\"state\":\"flagged\","
                 "\"evidence\":{\"flagged-words\":[{\"word\":\"darn\","
                 "\"start\":1234500000,\"end\":1500000000}]}}\n");
  out = pull_audio (h, n);
  ref = audio_new (0, n);
  gst_buffer_map (ref, &map, GST_MAP_READ);
  for (i = 0; i < n; i++) {
    if (out[i] != ((gint16 *) map.data)[i]) {
      first = MIN (first, i);
      last = MAX (last, i);
    }
  }
  /* nothing outside the word; its first and last millisecond change (the
   * first and last samples of the fades are below one LSB) */
  fail_unless (first >= s0 && first < s0 + RATE / 1000,
      "first changed %zu, word %zu", first, s0);
  fail_unless (last < s1 && last + RATE / 1000 >= s1,
      "last changed %zu, word ends %zu", last, s1);
  /* the middle is the tone alone: 1000 Hz by zero crossings */
  for (i = s0 + 2400; i < s1 - 2400; i++)
    crossings += (out[i - 1] < 0) != (out[i] < 0);
  fail_unless (
      fabs (crossings * (gdouble) RATE / (2.0 * (s1 - s0 - 4800)) - 1000.0)
          < 10.0,
      "%zu crossings", crossings);
  gst_buffer_unmap (ref, &map);
  gst_buffer_unref (ref);
  g_free (out);
  gst_harness_teardown (hv);
  gst_harness_teardown (h);
  gst_object_unref (censor);
}

GST_END_TEST;

/* An audio-triggered segment mutes, with fades: silence in the middle. */
GST_START_TEST (test_mute_audio_segment)
{
  GstElement *censor = gst_element_factory_make ("omnicensor", NULL);
  GstHarness *h
      = gst_harness_new_with_element (censor, "audio_sink", "audio_src");
  GstHarness *hv = verdict_harness (censor);
  gsize n = RATE, i;
  gint16 *out;

  gst_harness_set_src_caps_str (
      h, "audio/x-raw,format=S16LE,rate=48000,channels=1,layout=interleaved");
  for (i = 0; i < n; i += 480)
    gst_harness_push (h, audio_new (i, 480));
  push_json (hv,
      "{\"type\":\"segment\",\"event\":\"closed\",\"id\":3,\"start\":250000000,"
      "\"end\":500000000,\"trigger\":{\"source\":\"audio\"}}\n"
      "{\"type\":\"window\",\"window-start\":0,\"window-end\":1000000000,"
      "\"state\":\"flagged\"}\n");
  out = pull_audio (h, n);
  for (i = RATE / 4 + 240; i < RATE / 2 - 240; i++)
    fail_unless_equals_int (out[i], 0);
  for (i = 0; i < RATE / 4; i++)
    fail_unless (out[i] == (gint16) (8000 * sin (2 * G_PI * 220.0 * i / RATE)));
  g_free (out);
  gst_harness_teardown (hv);
  gst_harness_teardown (h);
  gst_object_unref (censor);
}

GST_END_TEST;

static GstBuffer *
frame_with_face (guint k, gint x, gboolean box)
{
  GstBuffer *buf = frame_new (k);
  if (box) {
    GstVideoRegionOfInterestMeta *roi
        = gst_buffer_add_video_region_of_interest_meta (
            buf, "face", x, 8, 16, 16);
    gst_video_region_of_interest_meta_add_param (
        roi, gst_structure_new ("detection", "confidence", G_TYPE_DOUBLE, 0.9,
                 "label-id", G_TYPE_UINT, 0, "track-id", G_TYPE_UINT, 7, NULL));
  }
  return buf;
}

/* Returns whether the luma pixel (x, y) differs between @a and @b. */
static gboolean
luma_differs (GstBuffer *a, GstBuffer *b, gint x, gint y)
{
  guint8 pa, pb;

  gst_buffer_extract (a, y * W + x, &pa, 1);
  gst_buffer_extract (b, y * W + x, &pb, 1);
  return pa != pb;
}

/* regions=face: boxes of analysed frames 0 and 4 (track 7, x 8 → 24),
 * frames 1..3 without boxes get the interpolated box (x 12, 16, 20);
 * luma outside each box is untouched. */
GST_START_TEST (test_regions_interpolated)
{
  GstElement *censor = gst_element_factory_make ("omnicensor", NULL);
  GstHarness *h, *hv;
  gint k, x, y;

  g_object_set (censor, "regions", "face", "strength", 4, NULL);
  gst_util_set_object_arg (G_OBJECT (censor), "video-action", "pixelate");
  h = video_harness (censor);
  hv = verdict_harness (censor);
  for (k = 0; k < 5; k++)
    gst_harness_push (h, frame_with_face (k, 8 + 4 * k, k == 0 || k == 4));
  push_json (hv, "{\"type\":\"window\",\"window-start\":0,"
                 "\"window-end\":400000000,\"state\":\"ok\"}\n");
  for (k = 0; k < 5; k++) {
    GstBuffer *out = gst_harness_pull (h), *ref = frame_new (k);
    gint bx = 8 + 4 * k, changed_inside = 0;
    for (y = 0; y < H; y++)
      for (x = 0; x < W; x++) {
        gboolean inside = x >= bx && x < bx + 16 && y >= 8 && y < 24;
        gboolean d = luma_differs (out, ref, x, y);
        fail_if (
            d && !inside, "frame %d: (%d,%d) outside the box changed", k, x, y);
        changed_inside += d;
      }
    fail_unless (changed_inside > 16 * 16 / 2, "frame %d: %d changed", k,
        changed_inside);
    gst_buffer_unref (out);
    gst_buffer_unref (ref);
  }
  gst_harness_teardown (hv);
  gst_harness_teardown (h);
  gst_object_unref (censor);
}

GST_END_TEST;

static guint64
stat_u64 (GstElement *e, const gchar *field)
{
  GstStructure *s;
  guint64 v = 0;

  g_object_get (e, "stats", &s, NULL);
  gst_structure_get_uint64 (s, field, &v);
  gst_structure_free (s);
  return v;
}

/* Live: media leaves at running time + delay without verdicts (counted
 * as unjudged); a verdict that comes later is applied to what is still
 * held and counted late with its miss. */
GST_START_TEST (test_late_verdict)
{
  GstElement *censor = gst_element_factory_make ("omnicensor", NULL);
  GstHarness *h, *hv;
  GstStructure *s;
  gdouble miss;
  guint k;

  g_object_set (censor, "delay", 100 * GST_MSECOND, NULL);
  h = video_harness (censor);
  hv = verdict_harness (censor);
  for (k = 0; k < 10; k++)
    gst_harness_push (h, frame_new (k));
  /* frames starting at or before 200 ms are due by 300 ms */
  gst_harness_set_time (h, 300 * GST_MSECOND);
  for (k = 0; k < 6; k++)
    gst_buffer_unref (gst_harness_pull (h));
  fail_unless_equals_uint64 (stat_u64 (censor, "released-unjudged"), 6);
  push_json (hv,
      "{\"type\":\"segment\",\"event\":\"closed\",\"id\":1,\"start\":120000000,"
      "\"end\":320000000,\"trigger\":{\"source\":\"video\"}}\n"
      "{\"type\":\"window\",\"window-start\":0,\"window-end\":400000000,"
      "\"state\":\"flagged\"}\n");
  for (k = 6; k < 10; k++) {
    GstBuffer *out = gst_harness_pull (h), *ref = frame_new (k);
    fail_unless_equals_int (same_bytes (out, ref), k >= 8);
    gst_buffer_unref (out);
    gst_buffer_unref (ref);
  }
  fail_unless_equals_uint64 (stat_u64 (censor, "late-verdicts"), 1);
  g_object_get (censor, "stats", &s, NULL);
  gst_structure_get_double (s, "max-miss-ms", &miss);
  gst_structure_free (s);
  fail_unless (fabs (miss - 120.0) < 1e-6, "missed by %f ms", miss);
  gst_harness_teardown (hv);
  gst_harness_teardown (h);
  gst_object_unref (censor);
}

GST_END_TEST;

/* Fail closed: media no verdict covers (here: the verdicts end after the
 * first 120 ms) is censored; with unjudged-action=pass it is not. */
static void
run_unjudged (const gchar *action, gboolean censored)
{
  GstElement *censor = gst_element_factory_make ("omnicensor", NULL);
  GstHarness *h, *hv;
  guint k;

  gst_util_set_object_arg (G_OBJECT (censor), "unjudged-action", action);
  h = video_harness (censor);
  hv = verdict_harness (censor);
  for (k = 0; k < 6; k++)
    gst_harness_push (h, frame_new (k));
  push_json (hv, "{\"type\":\"window\",\"window-start\":0,"
                 "\"window-end\":120000000,\"state\":\"ok\"}\n");
  fail_unless (gst_harness_push_event (hv, gst_event_new_eos ()));
  check_frames (h, 6, censored ? bits (3, 6) : 0);
  gst_harness_teardown (hv);
  gst_harness_teardown (h);
  gst_object_unref (censor);
}

GST_START_TEST (test_unjudged_fails_closed)
{
  run_unjudged ("censor", TRUE);
  run_unjudged ("pass", FALSE);
}

GST_END_TEST;

/* The delay is added to the upstream latency. */
GST_START_TEST (test_latency)
{
  GstElement *censor = gst_element_factory_make ("omnicensor", NULL);
  GstHarness *h;
  GstQuery *q = gst_query_new_latency ();
  GstClockTime min, max;
  gboolean live;

  g_object_set (censor, "delay", 2 * GST_SECOND, NULL);
  h = video_harness (censor);
  gst_harness_set_upstream_latency (h, 20 * GST_MSECOND);
  fail_unless (gst_pad_peer_query (h->sinkpad, q));
  gst_query_parse_latency (q, &live, &min, &max);
  fail_unless (live);
  fail_unless_equals_uint64 (min, 2 * GST_SECOND + 20 * GST_MSECOND);
  gst_query_unref (q);
  gst_harness_teardown (h);
  gst_object_unref (censor);
}

GST_END_TEST;

/* A flushing seek mid-stream drops what is held and goes on; EOS waits
 * for the verdicts, then everything leaves and EOS follows. */
GST_START_TEST (test_flush_and_eos_pending)
{
  GstElement *censor = gst_element_factory_make ("omnicensor", NULL);
  GstHarness *h = video_harness (censor), *hv = verdict_harness (censor);
  GstEvent *ev;
  guint k;

  for (k = 0; k < 5; k++)
    gst_harness_push (h, frame_new (k));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  {
    GstSegment seg;
    gst_segment_init (&seg, GST_FORMAT_TIME);
    fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  }
  while ((ev = gst_harness_try_pull_event (h)))
    gst_event_unref (ev);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  for (k = 0; k < 5; k++)
    fail_unless_equals_int (gst_harness_push (h, frame_new (k)), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  push_json (hv, "{\"type\":\"segment\",\"event\":\"closed\",\"id\":1,"
                 "\"start\":0,\"end\":80000000,"
                 "\"trigger\":{\"source\":\"video\"}}\n"
                 "{\"type\":\"window\",\"window-start\":0,"
                 "\"window-end\":200000000,\"state\":\"flagged\"}\n");
  fail_unless (gst_harness_push_event (hv, gst_event_new_eos ()));
  check_frames (h, 5, bits (0, 2));
  do {
    ev = gst_harness_pull_event (h);
    fail_unless (ev != NULL);
    k = GST_EVENT_TYPE (ev);
    gst_event_unref (ev);
  } while (k != GST_EVENT_EOS);
  gst_harness_teardown (hv);
  gst_harness_teardown (h);
  gst_object_unref (censor);
}

GST_END_TEST;

/* Unreadable verdicts: a clear error. */
GST_START_TEST (test_bad_verdicts)
{
  GstElement *censor = gst_element_factory_make ("omnicensor", NULL);
  GstHarness *h = video_harness (censor), *hv = verdict_harness (censor);
  GstBuffer *buf = gst_buffer_new_memdup ("not json\n", 9);

  fail_unless_equals_int (gst_harness_push (hv, buf), GST_FLOW_ERROR);
  gst_harness_teardown (hv);
  gst_harness_teardown (h);
  gst_object_unref (censor);
}

GST_END_TEST;

static Suite *
omnicensor_suite (void)
{
  Suite *s = suite_create ("omnicensor");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_flagged_frames_exact);
  tcase_add_test (tc, test_targets_and_review);
  tcase_add_test (tc, test_error_window_fails_closed);
  tcase_add_test (tc, test_bleep_word_span);
  tcase_add_test (tc, test_mute_audio_segment);
  tcase_add_test (tc, test_regions_interpolated);
  tcase_add_test (tc, test_late_verdict);
  tcase_add_test (tc, test_unjudged_fails_closed);
  tcase_add_test (tc, test_latency);
  tcase_add_test (tc, test_flush_and_eos_pending);
  tcase_add_test (tc, test_bad_verdicts);
  return s;
}

GST_CHECK_MAIN (omnicensor);
