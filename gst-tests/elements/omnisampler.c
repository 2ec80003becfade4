/* gst-omni: GstHarness tests for omnisampler
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <omni/omni.h>
#include <math.h>

/* Synthetic pictures, drawn in RGB and converted to the format under test.
 * Each "shot" is a different picture that moves by @t pixels per frame. */
enum { PIC_WAVES, PIC_CHECKER, PIC_RINGS, PIC_WHITE, PIC_STRIPES };

static void
draw_rgb (guint8 *rgb, gint stride, gint w, gint h, gint pic, gint t)
{
  gint x, y;

  for (y = 0; y < h; y++) {
    guint8 *p = rgb + y * stride;
    for (x = 0; x < w; x++, p += 3) {
      gdouble fx = (gdouble) (x + t) / MAX (w, 2),
              fy = (gdouble) y / MAX (h, 2);
      gint r, g, b;

      switch (pic) {
      case PIC_WAVES:
        r = 120 + 90 * sin (2 * G_PI * 2.0 * fx);
        g = 40 + 180 * fy;
        b = 100 + 60 * cos (2 * G_PI * 3.0 * fy + fx);
        break;
      case PIC_CHECKER:
        if ((((gint) (fx * 6)) + ((gint) (fy * 4))) & 1) {
          r = 210, g = 60, b = 40;
        } else {
          r = 30, g = 70, b = 190;
        }
        break;
      case PIC_RINGS: {
        gdouble d = hypot (fx - 0.5, fy - 0.5);
        r = 128 + 110 * sin (2 * G_PI * 5 * d);
        g = 200 - 150 * d;
        b = 30;
        break;
      }
      case PIC_STRIPES:
        r = g = b = (((gint) (fy * 5 + fx * 2)) & 1) ? 230 : 20;
        break;
      default:
        r = g = b = 255;
        break;
      }
      p[0] = CLAMP (r, 0, 255);
      p[1] = CLAMP (g, 0, 255);
      p[2] = CLAMP (b, 0, 255);
    }
  }
}

typedef struct {
  GstHarness *h;
  GstBus *bus;
  GstVideoInfo info, rgb;
  GstVideoConverter *conv;
  gint fps;
} Ctx;

static void
ctx_set_format (Ctx *c, const gchar *format, gint w, gint h, gint fps)
{
  gchar *caps = g_strdup_printf (
      "video/x-raw,format=%s,width=%d,height=%d,framerate=%d/1", format, w, h,
      fps);
  GstCaps *gc = gst_caps_from_string (caps);

  fail_unless (gst_video_info_from_caps (&c->info, gc));
  gst_caps_unref (gc);
  gst_video_info_set_format (&c->rgb, GST_VIDEO_FORMAT_RGB, w, h);
  c->rgb.fps_n = c->info.fps_n;
  c->rgb.fps_d = c->info.fps_d;
  if (c->conv)
    gst_video_converter_free (c->conv);
  c->conv = gst_video_converter_new (&c->rgb, &c->info, NULL);
  fail_unless (c->conv != NULL);
  c->fps = fps;
  gst_harness_set_src_caps_str (c->h, caps);
  g_free (caps);
}

static Ctx *
ctx_new (const gchar *format, gint w, gint h, gint fps)
{
  Ctx *c = g_new0 (Ctx, 1);

  c->h = gst_harness_new ("omnisampler");
  c->bus = gst_bus_new ();
  gst_element_set_bus (c->h->element, c->bus);
  ctx_set_format (c, format, w, h, fps);
  return c;
}

static void
ctx_free (Ctx *c)
{
  gst_element_set_bus (c->h->element, NULL);
  gst_object_unref (c->bus);
  gst_video_converter_free (c->conv);
  gst_harness_teardown (c->h);
  g_free (c);
}

static GstClockTime
frame_pts (Ctx *c, gint i)
{
  return gst_util_uint64_scale_int (i, GST_SECOND, c->fps);
}

static GstBuffer *
make_frame (Ctx *c, gint pic, gint t, gint i)
{
  GstBuffer *rgbbuf = gst_buffer_new_allocate (NULL, c->rgb.size, NULL);
  GstBuffer *buf = gst_buffer_new_allocate (NULL, c->info.size, NULL);
  GstVideoFrame in, out;

  /* padding too: the converter reads and writes whole words */
  gst_buffer_memset (rgbbuf, 0, 0, c->rgb.size);
  gst_buffer_memset (buf, 0, 0, c->info.size);

  fail_unless (gst_video_frame_map (&in, &c->rgb, rgbbuf, GST_MAP_WRITE));
  draw_rgb (GST_VIDEO_FRAME_PLANE_DATA (&in, 0),
      GST_VIDEO_FRAME_PLANE_STRIDE (&in, 0), c->rgb.width, c->rgb.height, pic,
      t);
  fail_unless (gst_video_frame_map (&out, &c->info, buf, GST_MAP_WRITE));
  gst_video_converter_frame (c->conv, &in, &out);
  gst_video_frame_unmap (&out);
  gst_video_frame_unmap (&in);
  gst_buffer_unref (rgbbuf);
  GST_BUFFER_PTS (buf) = frame_pts (c, i);
  GST_BUFFER_DURATION (buf) = frame_pts (c, i + 1) - frame_pts (c, i);
  return buf;
}

static void
push_frame (Ctx *c, gint pic, gint t, gint i)
{
  fail_unless_equals_int (
      gst_harness_push (c->h, make_frame (c, pic, t, i)), GST_FLOW_OK);
}

/* A sequence described by the picture of each frame; motion t = frame. */
static void
push_seq (Ctx *c, const gint *pics, gint n, gint first)
{
  gint i;

  for (i = 0; i < n; i++)
    push_frame (c, pics[i], first + i, first + i);
}

typedef struct {
  GstClockTime pts;
  gboolean sampled;
  OmniSampleReason reasons;
  guint64 index;
  gdouble score;
} Out;

/* Pulls every buffer received so far. */
static GArray *
pull_all (Ctx *c)
{
  GArray *a = g_array_new (FALSE, TRUE, sizeof (Out));
  GstBuffer *b;

  while ((b = gst_harness_try_pull (c->h))) {
    OmniSampleMeta *m = omni_buffer_get_sample_meta (b);
    Out o = { GST_BUFFER_PTS (b), m != NULL, m ? m->reasons : 0,
      m ? m->index : 0, m ? m->scene_score : 0.0 };
    g_array_append_val (a, o);
    gst_buffer_unref (b);
  }
  return a;
}

static void
push_eos (Ctx *c)
{
  fail_unless (gst_harness_push_event (c->h, gst_event_new_eos ()));
}

/* Frame numbers (from PTS) of the sampled outputs having @reason (0: any). */
static gchar *
sampled_frames (Ctx *c, GArray *a, OmniSampleReason reason)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < a->len; i++) {
    Out *o = &g_array_index (a, Out, i);
    if (o->sampled && (reason == 0 || (o->reasons & reason)))
      g_string_append_printf (s, "%s%d", s->len ? " " : "",
          (gint) gst_util_uint64_scale_round (o->pts, c->fps, GST_SECOND));
  }
  return g_string_free (s, FALSE);
}

#define assert_frames(c, a, reason, expected)                                  \
  G_STMT_START                                                                 \
  {                                                                            \
    gchar *_got = sampled_frames (c, a, reason);                               \
    fail_unless_equals_string (_got, expected);                                \
    g_free (_got);                                                             \
  }                                                                            \
  G_STMT_END

static guint64
stat_u64 (Ctx *c, const gchar *field)
{
  GstStructure *s;
  guint64 v = G_MAXUINT64;

  g_object_get (c->h->element, "stats", &s, NULL);
  fail_unless (gst_structure_get_uint64 (s, field, &v), "no field %s", field);
  gst_structure_free (s);
  return v;
}

GST_START_TEST (test_first_frame_only)
{
  Ctx *c = ctx_new ("I420", 64, 36, 30);
  GArray *a;
  Out *o;
  gint i;

  g_object_set (
      c->h->element, "interval", (guint64) 0, "scene-threshold", 1.0, NULL);
  for (i = 0; i < 6; i++)
    push_frame (c, PIC_WAVES, i, i);
  a = pull_all (c);
  /* no look-ahead without scene detection: every frame is out already */
  fail_unless_equals_int (a->len, 6);
  assert_frames (c, a, 0, "0");
  o = &g_array_index (a, Out, 0);
  fail_unless_equals_int (o->reasons, OMNI_SAMPLE_REASON_FIRST);
  fail_unless_equals_uint64 (o->index, 0);
  fail_unless_equals_float (o->score, 0.0);
  fail_unless_equals_uint64 (stat_u64 (c, "frames"), 6);
  fail_unless_equals_uint64 (stat_u64 (c, "sampled"), 1);
  g_array_free (a, TRUE);
  ctx_free (c);
}

GST_END_TEST;

GST_START_TEST (test_interval)
{
  Ctx *c = ctx_new ("I420", 64, 36, 30);
  GArray *a;
  gint i;

  g_object_set (
      c->h->element, "interval", GST_SECOND, "scene-threshold", 1.0, NULL);
  for (i = 0; i < 95; i++)
    push_frame (c, PIC_WAVES, i, i);
  a = pull_all (c);
  fail_unless_equals_int (a->len, 95);
  assert_frames (c, a, 0, "0 30 60 90");
  assert_frames (c, a, OMNI_SAMPLE_REASON_INTERVAL, "30 60 90");
  for (i = 0; i < 4; i++) {
    Out *o = &g_array_index (a, Out, 30 * i);
    fail_unless_equals_uint64 (o->index, i);
  }
  g_array_free (a, TRUE);
  ctx_free (c);

  /* 25 fps and 1/3 s: the frame nearest to each due time, 3 per second on
   * average (dues 333, 667, 1000, 1333, 1667, 2000 ms) */
  c = ctx_new ("I420", 64, 36, 25);
  g_object_set (
      c->h->element, "interval", GST_SECOND / 3, "scene-threshold", 1.0, NULL);
  for (i = 0; i < 51; i++)
    push_frame (c, PIC_WAVES, i, i);
  a = pull_all (c);
  assert_frames (c, a, 0, "0 8 17 25 33 42 50");
  g_array_free (a, TRUE);
  ctx_free (c);
}

GST_END_TEST;

GST_START_TEST (test_max_rate)
{
  Ctx *c = ctx_new ("I420", 64, 36, 30);
  GArray *a;
  gint i;

  /* every frame is due, the ceiling keeps 5 per second */
  g_object_set (c->h->element, "interval", (guint64) 1, "scene-threshold", 1.0,
      "max-rate", 5, 1, NULL);
  for (i = 0; i < 31; i++)
    push_frame (c, PIC_WAVES, i, i);
  a = pull_all (c);
  assert_frames (c, a, 0, "0 6 12 18 24 30");
  fail_unless_equals_uint64 (stat_u64 (c, "skipped-rate"), 25);
  g_array_free (a, TRUE);
  ctx_free (c);
}

GST_END_TEST;

/* Shots of different pictures, hard cuts at 20 and 40 */
static void
push_three_shots (Ctx *c)
{
  gint pics[60], i;

  for (i = 0; i < 60; i++)
    pics[i] = i < 20 ? PIC_WAVES : (i < 40 ? PIC_CHECKER : PIC_RINGS);
  push_seq (c, pics, 60, 0);
}

static void
check_cut_message (Ctx *c, gint frame, guint64 index, gboolean sampled)
{
  GstMessage *msg = gst_bus_pop_filtered (c->bus, GST_MESSAGE_ELEMENT);
  const GstStructure *s;
  guint64 rt, st, ts, dur, idx;
  gint64 sidx;
  gdouble score;
  gboolean smp;

  fail_unless (msg != NULL, "no message for cut at %d", frame);
  s = gst_message_get_structure (msg);
  fail_unless (gst_structure_has_name (s, "omnisampler"));
  fail_unless (gst_structure_get (s, "running-time", G_TYPE_UINT64, &rt,
      "stream-time", G_TYPE_UINT64, &st, "timestamp", G_TYPE_UINT64, &ts,
      "duration", G_TYPE_UINT64, &dur, "score", G_TYPE_DOUBLE, &score, "index",
      G_TYPE_UINT64, &idx, "sampled", G_TYPE_BOOLEAN, &smp, "sample-index",
      G_TYPE_INT64, &sidx, NULL));
  fail_unless_equals_uint64 (ts, frame_pts (c, frame));
  /* segment starts at 0: running time = stream time = PTS */
  fail_unless_equals_uint64 (rt, frame_pts (c, frame));
  fail_unless_equals_uint64 (st, frame_pts (c, frame));
  fail_unless_equals_uint64 (dur, frame_pts (c, frame + 1) - ts);
  fail_unless (score > 0.4 && score <= 1.0, "score %f", score);
  fail_unless_equals_uint64 (idx, index);
  fail_unless_equals_int (smp, sampled);
  if (!sampled) {
    fail_unless_equals_int64 (sidx, -1);
  } else {
    fail_unless (sidx >= 0);
  }
  gst_message_unref (msg);
}

GST_START_TEST (test_scene_cuts)
{
  gint det;

  for (det = 0; det < 2; det++) {
    Ctx *c = ctx_new ("I420", 160, 90, 30);
    GArray *a;
    Out *o;
    gint i;

    g_object_set (
        c->h->element, "interval", (guint64) 0, "detector", det, NULL);
    push_three_shots (c);
    push_eos (c);
    a = pull_all (c);
    fail_unless_equals_int (a->len, 60);
    assert_frames (c, a, 0, "0 20 40");
    assert_frames (c, a, OMNI_SAMPLE_REASON_SCENE, "20 40");
    o = &g_array_index (a, Out, 20);
    fail_unless_equals_int (o->reasons, OMNI_SAMPLE_REASON_SCENE);
    fail_unless_equals_uint64 (o->index, 1);
    fail_unless (o->score > 0.4, "%f", o->score);
    fail_unless_equals_uint64 (g_array_index (a, Out, 40).index, 2);
    /* within a shot the picture only moves: low scores */
    for (i = 1; i < 60; i++) {
      if (i != 20 && i != 40)
        fail_unless (g_array_index (a, Out, i).score < 0.2, "frame %d: %f", i,
            g_array_index (a, Out, i).score);
    }
    check_cut_message (c, 20, 0, TRUE);
    check_cut_message (c, 40, 1, TRUE);
    fail_unless (gst_bus_pop_filtered (c->bus, GST_MESSAGE_ELEMENT) == NULL);
    fail_unless_equals_uint64 (stat_u64 (c, "scene-cuts"), 2);
    g_array_free (a, TRUE);
    ctx_free (c);
  }
}

GST_END_TEST;

/* A 1-frame flash at 15 and a 2-frame flash at 35-36 inside one shot, a
 * cut at 50: adaptive reports only the cut, fast also the flash frames
 * (never the frame after a flash). */
GST_START_TEST (test_flashes)
{
  gint det;

  for (det = 0; det < 2; det++) {
    Ctx *c = ctx_new ("NV12", 160, 90, 30);
    gint pics[70], i;
    GArray *a;

    g_object_set (c->h->element, "interval", (guint64) 0, "detector", det,
        "min-scene-gap", (guint64) 0, NULL);
    for (i = 0; i < 70; i++)
      pics[i] = i < 50 ? PIC_WAVES : PIC_RINGS;
    pics[15] = pics[35] = pics[36] = PIC_WHITE;
    push_seq (c, pics, 70, 0);
    push_eos (c);
    a = pull_all (c);
    if (det == 1) /* adaptive */
      assert_frames (c, a, OMNI_SAMPLE_REASON_SCENE, "50");
    else
      assert_frames (c, a, OMNI_SAMPLE_REASON_SCENE, "15 35 50");
    g_array_free (a, TRUE);
    ctx_free (c);
  }
}

GST_END_TEST;

GST_START_TEST (test_min_scene_gap)
{
  guint64 gaps[] = { 0, 500 * GST_MSECOND };
  const gchar *expected[] = { "20 25 45", "20 45" };
  gint k;

  for (k = 0; k < 2; k++) {
    Ctx *c = ctx_new ("I420", 160, 90, 30);
    gint pics[60], i;
    GArray *a;

    g_object_set (
        c->h->element, "interval", (guint64) 0, "min-scene-gap", gaps[k], NULL);
    /* cuts at 20, 25 (167 ms later) and 45 */
    for (i = 0; i < 60; i++)
      pics[i] = i < 20 ? PIC_WAVES
                       : (i < 25 ? PIC_CHECKER
                                 : (i < 45 ? PIC_RINGS : PIC_STRIPES));
    push_seq (c, pics, 60, 0);
    push_eos (c);
    a = pull_all (c);
    assert_frames (c, a, OMNI_SAMPLE_REASON_SCENE, expected[k]);
    fail_unless_equals_uint64 (stat_u64 (c, "scene-cuts"), 3 - k);
    g_array_free (a, TRUE);
    ctx_free (c);
  }
}

GST_END_TEST;

/* max-rate also holds scene samples back, but the cut is still reported. */
GST_START_TEST (test_max_rate_scene)
{
  Ctx *c = ctx_new ("I420", 160, 90, 30);
  gint pics[60], i;
  GArray *a;

  g_object_set (c->h->element, "interval", (guint64) 0, "min-scene-gap",
      (guint64) 0, "max-rate", 2, 1, NULL);
  for (i = 0; i < 60; i++)
    pics[i] = i < 20
                  ? PIC_WAVES
                  : (i < 25 ? PIC_CHECKER : (i < 45 ? PIC_RINGS : PIC_STRIPES));
  push_seq (c, pics, 60, 0);
  push_eos (c);
  a = pull_all (c);
  /* 25 is 167 ms after the sample at 20: above 2 per second */
  assert_frames (c, a, 0, "0 20 45");
  check_cut_message (c, 20, 0, TRUE);
  check_cut_message (c, 25, 1, FALSE);
  check_cut_message (c, 45, 2, TRUE);
  fail_unless_equals_uint64 (stat_u64 (c, "skipped-rate"), 1);
  g_array_free (a, TRUE);
  ctx_free (c);
}

GST_END_TEST;

GST_START_TEST (test_drop_mode)
{
  Ctx *c = ctx_new ("I420", 160, 90, 30);
  GstClockTime covered = 0;
  GstEvent *ev;
  GArray *a;
  gint i, gaps = 0;

  g_object_set (c->h->element, "interval", GST_SECOND, "mode", 1, NULL);
  for (i = 0; i < 95; i++)
    push_frame (c, i < 45 ? PIC_WAVES : PIC_CHECKER, i, i);
  push_eos (c);
  a = pull_all (c);
  /* first, 1 s later, the cut at 45, then 1 s after the cut (75); PTS
   * untouched */
  fail_unless_equals_int (a->len, 4);
  assert_frames (c, a, 0, "0 30 45 75");
  assert_frames (c, a, OMNI_SAMPLE_REASON_INTERVAL, "30 75");
  assert_frames (c, a, OMNI_SAMPLE_REASON_SCENE, "45");
  fail_unless_equals_uint64 (g_array_index (a, Out, 2).index, 2);

  /* a GAP event for each dropped frame, exactly covering its time */
  while ((ev = gst_harness_try_pull_event (c->h))) {
    if (GST_EVENT_TYPE (ev) == GST_EVENT_GAP) {
      GstClockTime ts, dur;
      gint f;

      gst_event_parse_gap (ev, &ts, &dur);
      f = (gint) gst_util_uint64_scale_round (ts, c->fps, GST_SECOND);
      fail_unless (f != 0 && f != 30 && f != 45 && f != 75,
          "GAP at sampled frame %d", f);
      fail_unless_equals_uint64 (ts, frame_pts (c, f));
      fail_unless_equals_uint64 (dur, frame_pts (c, f + 1) - ts);
      covered += dur;
      gaps++;
    }
    gst_event_unref (ev);
  }
  fail_unless_equals_int (gaps, 91);
  /* together with the 4 frames passed, the GAPs cover the whole stream */
  fail_unless_equals_uint64 (
      covered, frame_pts (c, 95) - frame_pts (c, 1)
                   - (frame_pts (c, 31) - frame_pts (c, 30))
                   - (frame_pts (c, 46) - frame_pts (c, 45))
                   - (frame_pts (c, 76) - frame_pts (c, 75)));
  fail_unless_equals_uint64 (stat_u64 (c, "dropped"), 91);
  g_array_free (a, TRUE);
  ctx_free (c);
}

GST_END_TEST;

static void
flush_and_segment (Ctx *c, GstClockTime start)
{
  GstSegment seg;

  fail_unless (gst_harness_push_event (c->h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (c->h, gst_event_new_flush_stop (TRUE)));
  gst_segment_init (&seg, GST_FORMAT_TIME);
  seg.start = start;
  seg.time = start;
  fail_unless (gst_harness_push_event (c->h, gst_event_new_segment (&seg)));
}

GST_START_TEST (test_flush_resets)
{
  Ctx *c = ctx_new ("I420", 160, 90, 30);
  GArray *a;
  Out *o;
  gint i;

  g_object_set (c->h->element, "interval", GST_SECOND / 2, NULL);
  for (i = 0; i < 40; i++)
    push_frame (c, PIC_WAVES, i, i);
  /* frames still held for look-ahead are discarded by the flush */
  a = pull_all (c);
  fail_unless_equals_int (a->len, 38);
  assert_frames (c, a, 0, "0 15 30");
  g_array_free (a, TRUE);

  /* seek to 10 s: running time restarts at 0 */
  flush_and_segment (c, 10 * GST_SECOND);
  for (i = 300; i < 320; i++)
    push_frame (c, PIC_CHECKER, i, i);
  push_eos (c);
  a = pull_all (c);
  fail_unless_equals_int (a->len, 20);
  assert_frames (c, a, 0, "300 315");
  o = &g_array_index (a, Out, 0);
  /* a new picture, but nothing before the flush is compared with */
  fail_unless_equals_int (o->reasons, OMNI_SAMPLE_REASON_FIRST);
  fail_unless_equals_uint64 (o->index, 0);
  fail_unless_equals_float (o->score, 0.0);
  fail_unless_equals_uint64 (g_array_index (a, Out, 15).index, 1);
  fail_unless_equals_uint64 (stat_u64 (c, "scene-cuts"), 0);
  g_array_free (a, TRUE);
  ctx_free (c);
}

GST_END_TEST;

GST_START_TEST (test_caps_change)
{
  Ctx *c = ctx_new ("I420", 160, 90, 30);
  gint pics[30], i;
  GArray *a;

  g_object_set (c->h->element, "interval", (guint64) 0, NULL);
  for (i = 0; i < 10; i++)
    push_frame (c, PIC_WAVES, i, i);
  /* new size and format mid-stream: the held frames go out first */
  ctx_set_format (c, "BGRx", 97, 55, 30);
  for (i = 0; i < 30; i++)
    pics[i] = i < 15 ? PIC_WAVES : PIC_CHECKER;
  push_seq (c, pics, 30, 10);
  push_eos (c);
  a = pull_all (c);
  fail_unless_equals_int (a->len, 40);
  assert_frames (c, a, 0, "0 10 25");
  fail_unless_equals_int (
      g_array_index (a, Out, 10).reasons, OMNI_SAMPLE_REASON_FIRST);
  fail_unless_equals_int (
      g_array_index (a, Out, 25).reasons, OMNI_SAMPLE_REASON_SCENE);
  fail_unless_equals_uint64 (g_array_index (a, Out, 25).index, 2);
  g_array_free (a, TRUE);
  ctx_free (c);
}

GST_END_TEST;

GST_START_TEST (test_qos)
{
  Ctx *c = ctx_new ("I420", 64, 36, 30);
  GArray *a;
  gint i;
  gdouble prop;
  GstStructure *s;

  /* every frame due: 30 samples per second until downstream is late */
  g_object_set (
      c->h->element, "interval", (guint64) 1, "scene-threshold", 1.0, NULL);
  for (i = 0; i < 10; i++)
    push_frame (c, PIC_WAVES, i, i);
  /* downstream takes 3x the time it gets, no jitter yet */
  fail_unless (gst_harness_push_upstream_event (c->h,
      gst_event_new_qos (GST_QOS_TYPE_UNDERFLOW, 3.0, 0, frame_pts (c, 9))));
  for (i = 10; i < 40; i++)
    push_frame (c, PIC_WAVES, i, i);
  a = pull_all (c);
  fail_unless_equals_int (a->len, 40);
  /* 3 x 33 ms: every third frame */
  assert_frames (c, a, 0, "0 1 2 3 4 5 6 7 8 9 12 15 18 21 24 27 30 33 36 39");
  fail_unless_equals_uint64 (stat_u64 (c, "skipped-qos"), 20);
  fail_unless_equals_uint64 (stat_u64 (c, "dropped-qos"), 0);
  g_object_get (c->h->element, "stats", &s, NULL);
  fail_unless (gst_structure_get_double (s, "qos-proportion", &prop));
  fail_unless_equals_float (prop, 3.0);
  gst_structure_free (s);
  g_array_free (a, TRUE);

  /* late by 200 ms at frame 39: frames up to 39 + 200 ms are dropped by the
   * base class (6 frames), and no sample before 39 + 400 ms + 1 frame */
  fail_unless (gst_harness_push_upstream_event (
      c->h, gst_event_new_qos (GST_QOS_TYPE_UNDERFLOW, 3.0, 200 * GST_MSECOND,
                frame_pts (c, 39))));
  for (i = 40; i < 70; i++)
    push_frame (c, PIC_WAVES, i, i);
  a = pull_all (c);
  fail_unless_equals_int (a->len, 24);
  fail_unless_equals_uint64 (stat_u64 (c, "dropped-qos"), 6);
  /* nothing before 1.3 s + 2 x 200 ms + 1 frame (frame 52), then the gap
   * is 3 x the mean gap of ~100 ms */
  assert_frames (c, a, 0, "52 61");
  g_array_free (a, TRUE);

  /* downstream has time to spare again: the limit relaxes */
  for (i = 0; i < 6; i++) {
    fail_unless (gst_harness_push_upstream_event (
        c->h, gst_event_new_qos (GST_QOS_TYPE_UNDERFLOW, 0.25, -GST_SECOND,
                  frame_pts (c, 70 + 10 * i))));
    push_frame (c, PIC_WAVES, 70 + 10 * i, 70 + 10 * i);
    gst_buffer_unref (gst_harness_pull (c->h));
  }
  fail_unless_equals_uint64 (stat_u64 (c, "qos-min-gap"), 0);
  ctx_free (c);
}

GST_END_TEST;

static const gchar *all_formats[]
    = { "I420", "YV12", "NV12", "NV21", "Y42B", "Y444", "RGB", "BGR", "RGBA",
        "BGRA", "ARGB", "ABGR", "RGBx", "BGRx", "xRGB", "xBGR", "GRAY8" };

GST_START_TEST (test_formats)
{
  const gint sizes[][2] = { { 1, 1 }, { 17, 9 }, { 2, 3 }, { 160, 90 } };
  guint f, k;

  for (f = 0; f < G_N_ELEMENTS (all_formats); f++) {
    for (k = 0; k < G_N_ELEMENTS (sizes); k++) {
      Ctx *c = ctx_new (all_formats[f], sizes[k][0], sizes[k][1], 30);
      gint pics[30], i;
      GArray *a;

      g_object_set (c->h->element, "interval", (guint64) 0, NULL);
      for (i = 0; i < 30; i++)
        pics[i] = i < 15 ? PIC_WAVES : PIC_STRIPES;
      push_seq (c, pics, 30, 0);
      push_eos (c);
      a = pull_all (c);
      fail_unless_equals_int (a->len, 30);
      if (sizes[k][0] >= 17) {
        /* every format sees the same cut */
        gchar *got = sampled_frames (c, a, 0);
        fail_unless (g_str_equal (got, "0 15"), "%s %dx%d: %s", all_formats[f],
            sizes[k][0], sizes[k][1], got);
        g_free (got);
      } else {
        fail_unless (
            g_array_index (a, Out, 0).reasons == OMNI_SAMPLE_REASON_FIRST);
      }
      for (i = 0; i < 30; i++) {
        gdouble sc = g_array_index (a, Out, i).score;
        fail_unless (sc >= 0.0 && sc <= 1.0);
      }
      g_array_free (a, TRUE);
      ctx_free (c);
    }
  }
}

GST_END_TEST;

GST_START_TEST (test_forced)
{
  Ctx *c = ctx_new ("I420", 64, 36, 30);
  GArray *a;
  gint i;

  g_object_set (c->h->element, "interval", (guint64) 0, NULL);
  for (i = 0; i < 20; i++) {
    if (i == 5)
      fail_unless (gst_harness_push_event (
          c->h, gst_video_event_new_downstream_force_key_unit (frame_pts (c, 5),
                    frame_pts (c, 5), frame_pts (c, 5), FALSE, 1)));
    if (i == 8)
      /* from downstream, for a running time still ahead */
      fail_unless (gst_harness_push_upstream_event (
          c->h, gst_video_event_new_upstream_force_key_unit (
                    frame_pts (c, 12), FALSE, 2)));
    push_frame (c, PIC_WAVES, i, i);
  }
  push_eos (c);
  a = pull_all (c);
  assert_frames (c, a, OMNI_SAMPLE_REASON_FORCED, "5 12");
  fail_unless_equals_uint64 (g_array_index (a, Out, 12).index, 2);
  fail_unless_equals_uint64 (stat_u64 (c, "forced"), 2);
  g_array_free (a, TRUE);
  ctx_free (c);
}

GST_END_TEST;

GST_START_TEST (test_latency_and_eos)
{
  Ctx *c = ctx_new ("I420", 64, 36, 25);
  GArray *a;
  gint i;

  gst_harness_set_upstream_latency (c->h, 10 * GST_MSECOND);
  /* adaptive: two frames at 25 fps */
  push_frame (c, PIC_WAVES, 0, 0);
  fail_unless_equals_uint64 (
      gst_harness_query_latency (c->h), 90 * GST_MSECOND);
  for (i = 1; i < 5; i++)
    push_frame (c, PIC_WAVES, i, i);
  fail_unless_equals_int (gst_harness_buffers_in_queue (c->h), 3);
  push_eos (c);
  fail_unless_equals_int (gst_harness_buffers_in_queue (c->h), 5);
  a = pull_all (c);
  g_array_free (a, TRUE);
  ctx_free (c);

  c = ctx_new ("I420", 64, 36, 25);
  g_object_set (c->h->element, "detector", 0, NULL);
  gst_harness_set_upstream_latency (c->h, 10 * GST_MSECOND);
  push_frame (c, PIC_WAVES, 0, 0);
  fail_unless_equals_uint64 (
      gst_harness_query_latency (c->h), 10 * GST_MSECOND);
  fail_unless_equals_int (gst_harness_buffers_in_queue (c->h), 1);
  /* switching to adaptive mid-stream adds the look-ahead */
  g_object_set (c->h->element, "detector", 1, NULL);
  push_frame (c, PIC_WAVES, 1, 1);
  fail_unless_equals_uint64 (
      gst_harness_query_latency (c->h), 90 * GST_MSECOND);
  ctx_free (c);
}

GST_END_TEST;

GST_START_TEST (test_bad_buffer)
{
  Ctx *c = ctx_new ("I420", 320, 180, 30);
  GstMessage *msg;

  /* far too small for 320x180 I420 */
  fail_unless_equals_int (
      gst_harness_push (c->h, gst_buffer_new_allocate (NULL, 10, NULL)),
      GST_FLOW_ERROR);
  msg = gst_bus_pop_filtered (c->bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  ctx_free (c);
}

GST_END_TEST;

static Suite *
omnisampler_suite (void)
{
  Suite *s = suite_create ("omnisampler");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_first_frame_only);
  tcase_add_test (tc, test_interval);
  tcase_add_test (tc, test_max_rate);
  tcase_add_test (tc, test_scene_cuts);
  tcase_add_test (tc, test_flashes);
  tcase_add_test (tc, test_min_scene_gap);
  tcase_add_test (tc, test_max_rate_scene);
  tcase_add_test (tc, test_drop_mode);
  tcase_add_test (tc, test_flush_resets);
  tcase_add_test (tc, test_caps_change);
  tcase_add_test (tc, test_qos);
  tcase_add_test (tc, test_formats);
  tcase_add_test (tc, test_forced);
  tcase_add_test (tc, test_latency_and_eos);
  tcase_add_test (tc, test_bad_buffer);
  return s;
}

GST_CHECK_MAIN (omnisampler);
