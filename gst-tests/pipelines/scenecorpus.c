/* gst-omni: shot-cut accuracy of omnisampler on a generated shot corpus,
 * against ffmpeg's scdet on the same file
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The corpus is made here, from Debian's wallpaper packages: the artwork of
 * gnome-backgrounds and the photographs of mate-backgrounds. Each shot is a
 * slow pan and zoom over a different picture; shots meet in hard cuts at
 * known frames, or in a fade through black (not a cut). Inside shots are
 * the distractors that make other detectors report false cuts: white
 * flashes of one and two frames, and fast camera pans. The corpus is
 * written as lossless YUV4MPEG, read back by y4mdec ! omnisampler and by
 * ffmpeg -vf scdet, and both detections are scored against the ground truth
 * with a tolerance of one frame.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/video/video.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define W 320
#define H 180
#define FPS 30
#define N_SHOTS 16
#define FADE_LEN 12
#define BLACK_LEN 3
#define PAN_LEN 10
#define PAN_SPEED 0.08 /* of the window width per frame */

/* Pictures in shot order: neighbours always differ. The GNOME ones are
 * 4096x4096 renders, the MATE ones photographs. */
static const gchar *pictures[N_SHOTS] = {
  "/usr/share/backgrounds/gnome/adwaita-l.webp",
  "/usr/share/backgrounds/mate/nature/Aqua.jpg",
  "/usr/share/backgrounds/gnome/grid-d.webp",
  "/usr/share/backgrounds/mate/nature/Blinds.jpg",
  "/usr/share/backgrounds/gnome/licorice-l.webp",
  "/usr/share/backgrounds/mate/nature/Dune.jpg",
  "/usr/share/backgrounds/gnome/pixels-d.webp",
  "/usr/share/backgrounds/mate/nature/FreshFlower.jpg",
  "/usr/share/backgrounds/gnome/symbolic-l.webp",
  "/usr/share/backgrounds/mate/nature/GreenMeadow.jpg",
  "/usr/share/backgrounds/gnome/truchet-d.webp",
  "/usr/share/backgrounds/mate/nature/LadyBird.jpg",
  "/usr/share/backgrounds/gnome/wood-l.webp",
  "/usr/share/backgrounds/mate/nature/Storm.jpg",
  "/usr/share/backgrounds/gnome/adwaita-d.webp",
  "/usr/share/backgrounds/mate/nature/YellowFlower.jpg",
};

typedef struct {
  guint8 *rgb;
  gint w, h, stride;
} Picture;

typedef struct {
  gint start, end; /* frames [start, end) */
} Range;

typedef struct {
  GArray *cuts;                   /* gint: first frame of each new shot */
  GArray *flashes, *fades, *pans; /* Range */
  gint n_frames;
} Truth;

/* Decodes a picture with GStreamer, 1024 pixels wide, square pixels. */
static Picture *
load_picture (const gchar *path)
{
  gchar *desc = g_strdup_printf (
      "filesrc location=\"%s\" ! decodebin ! videoconvert ! videoscale ! "
      "video/x-raw,format=RGB,width=1024,pixel-aspect-ratio=1/1 ! "
      "appsink name=sink sync=false",
      path);
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch (desc, &err);
  GstElement *sink;
  GstSample *sample = NULL;
  GstVideoInfo info;
  GstVideoFrame frame;
  Picture *pic;
  gint y;

  fail_unless (pipe != NULL, "%s: %s", desc, err ? err->message : "");
  g_free (desc);
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  gst_element_set_state (pipe, GST_STATE_PAUSED);
  fail_unless (gst_element_get_state (pipe, NULL, NULL, 60 * GST_SECOND)
                   == GST_STATE_CHANGE_SUCCESS,
      "cannot decode %s (is mate-backgrounds/gnome-backgrounds installed? "
      "scripts/setup installs them)",
      path);
  g_signal_emit_by_name (sink, "pull-preroll", &sample);
  fail_unless (sample != NULL, "%s: no picture", path);
  fail_unless (gst_video_info_from_caps (&info, gst_sample_get_caps (sample)));
  fail_unless (gst_video_frame_map (
      &frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ));
  pic = g_new0 (Picture, 1);
  pic->w = info.width;
  pic->h = info.height;
  pic->stride = pic->w * 3;
  pic->rgb = g_malloc ((gsize) pic->stride * pic->h);
  for (y = 0; y < pic->h; y++)
    memcpy (pic->rgb + y * pic->stride,
        (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0)
            + y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
        pic->stride);
  gst_video_frame_unmap (&frame);
  gst_sample_unref (sample);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  return pic;
}

static void
picture_free (Picture *p)
{
  g_free (p->rgb);
  g_free (p);
}

/* The camera: a 16:9 window centred at (cx, cy) (fractions of the picture)
 * and cw of the picture width wide, rendered to WxH RGB floats with bilinear
 * interpolation. */
static void
render (const Picture *p, gdouble cx, gdouble cy, gdouble cw, gfloat *out)
{
  gdouble ww = cw * p->w, wh = ww * H / W, x0, y0;
  gint x, y, c;

  if (wh > p->h) {
    wh = p->h;
    ww = wh * W / H;
  }
  x0 = CLAMP (cx * p->w - ww / 2, 0, p->w - ww);
  y0 = CLAMP (cy * p->h - wh / 2, 0, p->h - wh);
  for (y = 0; y < H; y++) {
    gdouble sy = CLAMP (y0 + (y + 0.5) * wh / H - 0.5, 0, p->h - 1.001);
    gint iy = (gint) sy;
    gdouble fy = sy - iy;
    for (x = 0; x < W; x++) {
      gdouble sx = CLAMP (x0 + (x + 0.5) * ww / W - 0.5, 0, p->w - 1.001);
      gint ix = (gint) sx;
      gdouble fx = sx - ix;
      const guint8 *a = p->rgb + iy * p->stride + ix * 3;
      const guint8 *b = a + p->stride;
      for (c = 0; c < 3; c++)
        out[(y * W + x) * 3 + c]
            = (gfloat) ((a[c] * (1 - fx) + a[3 + c] * fx) * (1 - fy)
                        + (b[c] * (1 - fx) + b[3 + c] * fx) * fy);
    }
  }
}

/* BT.601 limited-range I420, chroma averaged over 2x2 */
static void
write_frame (FILE *f, const gfloat *rgb)
{
  static guint8 y[W * H], u[W * H / 4], v[W * H / 4];
  gint i, j;

  for (i = 0; i < W * H; i++) {
    const gfloat *p = rgb + 3 * i;
    y[i] = (guint8) CLAMP (
        lrint (16 + (65.481 * p[0] + 128.553 * p[1] + 24.966 * p[2]) / 255), 0,
        255);
  }
  for (j = 0; j < H / 2; j++) {
    for (i = 0; i < W / 2; i++) {
      gdouble su = 0, sv = 0;
      gint dx, dy;
      for (dy = 0; dy < 2; dy++) {
        for (dx = 0; dx < 2; dx++) {
          const gfloat *p = rgb + 3 * ((2 * j + dy) * W + 2 * i + dx);
          su += (-37.797 * p[0] - 74.203 * p[1] + 112.0 * p[2]) / 255;
          sv += (112.0 * p[0] - 93.786 * p[1] - 18.214 * p[2]) / 255;
        }
      }
      u[j * W / 2 + i] = (guint8) CLAMP (lrint (128 + su / 4), 0, 255);
      v[j * W / 2 + i] = (guint8) CLAMP (lrint (128 + sv / 4), 0, 255);
    }
  }
  fputs ("FRAME\n", f);
  fwrite (y, 1, sizeof (y), f);
  fwrite (u, 1, sizeof (u), f);
  fwrite (v, 1, sizeof (v), f);
}

static void
add_range (GArray *a, gint start, gint end)
{
  Range r = { start, end };
  g_array_append_val (a, r);
}

/* Builds the corpus into @path and returns its ground truth. */
static void
make_corpus (const gchar *path, Truth *truth)
{
  GRand *rand = g_rand_new_with_seed (20240611);
  FILE *f = fopen (path, "wb");
  /* frames of the current shot, kept to apply a fade-out to its tail */
  GPtrArray *held = g_ptr_array_new_with_free_func (g_free);
  gint s, i, frame = 0;

  fail_unless (f != NULL);
  fprintf (f, "YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n", W, H, FPS);
  truth->cuts = g_array_new (FALSE, FALSE, sizeof (gint));
  truth->flashes = g_array_new (FALSE, FALSE, sizeof (Range));
  truth->fades = g_array_new (FALSE, FALSE, sizeof (Range));
  truth->pans = g_array_new (FALSE, FALSE, sizeof (Range));

  for (s = 0; s < N_SHOTS; s++) {
    Picture *pic = load_picture (pictures[s]);
    gint n = g_rand_int_range (rand, 30, 45);
    gdouble cw0 = g_rand_double_range (rand, 0.35, 0.55);
    gdouble cw1 = cw0 * g_rand_double_range (rand, 0.85, 1.15);
    gdouble cx0 = g_rand_double_range (rand, 0.3, 0.7);
    gdouble cy0 = g_rand_double_range (rand, 0.3, 0.7);
    gdouble cx1 = cx0 + g_rand_double_range (rand, -0.1, 0.1);
    gdouble cy1 = cy0 + g_rand_double_range (rand, -0.06, 0.06);
    gboolean fade_in = (s == 5 || s == 11);
    gint pan_at = s % 4 == 3 ? n / 3 : -1;
    gint flash_at = s % 4 == 1 ? n / 2 : -1;
    gint flash_len = 1 + (s / 4) % 2;
    gdouble pan_dir = cx0 < 0.5 ? 1.0 : -1.0, off = 0.0;

    if (fade_in) {
      /* fade the end of the previous shot out, hold black, fade in below */
      for (i = 0; i < FADE_LEN; i++) {
        gfloat *fr = g_ptr_array_index (held, held->len - FADE_LEN + i);
        gfloat a = 1.0f - (gfloat) (i + 1) / FADE_LEN;
        gint k;
        for (k = 0; k < W * H * 3; k++)
          fr[k] *= a;
      }
    }
    /* flush the previous shot */
    for (i = 0; i < (gint) held->len; i++)
      write_frame (f, g_ptr_array_index (held, i));
    g_ptr_array_set_size (held, 0);
    if (fade_in) {
      gfloat *black = g_new0 (gfloat, W * H * 3);
      for (i = 0; i < BLACK_LEN; i++)
        write_frame (f, black);
      g_free (black);
      add_range (truth->fades, frame - FADE_LEN, frame + BLACK_LEN + FADE_LEN);
      frame += BLACK_LEN;
    } else if (s > 0) {
      g_array_append_val (truth->cuts, frame);
    }
    if (pan_at >= 0)
      add_range (truth->pans, frame + pan_at, frame + pan_at + PAN_LEN);
    if (flash_at >= 0)
      add_range (
          truth->flashes, frame + flash_at, frame + flash_at + flash_len);

    for (i = 0; i < n; i++) {
      gdouble t = (gdouble) i / (n - 1);
      gdouble cw = cw0 + (cw1 - cw0) * t;
      gfloat *fr = g_new (gfloat, W * H * 3);

      if (pan_at >= 0 && i >= pan_at && i < pan_at + PAN_LEN)
        off += PAN_SPEED * cw * pan_dir;
      render (pic, cx0 + (cx1 - cx0) * t + off, cy0 + (cy1 - cy0) * t, cw, fr);
      if (flash_at >= 0 && i >= flash_at && i < flash_at + flash_len) {
        /* the two-frame flash goes fully white */
        gfloat k = flash_len == 1 ? 0.9f : 1.0f;
        gint c;
        for (c = 0; c < W * H * 3; c++)
          fr[c] = fr[c] * (1.0f - k) + 255.0f * k;
      }
      if (fade_in && i < FADE_LEN) {
        gfloat a = (gfloat) (i + 1) / (FADE_LEN + 1);
        gint c;
        for (c = 0; c < W * H * 3; c++)
          fr[c] *= a;
      }
      g_ptr_array_add (held, fr);
    }
    frame += n;
    picture_free (pic);
  }
  for (i = 0; i < (gint) held->len; i++)
    write_frame (f, g_ptr_array_index (held, i));
  truth->n_frames = frame;
  g_ptr_array_unref (held);
  g_rand_free (rand);
  fail_unless (fclose (f) == 0);
}

static void
truth_clear (Truth *t)
{
  g_array_unref (t->cuts);
  g_array_unref (t->flashes);
  g_array_unref (t->fades);
  g_array_unref (t->pans);
}

static gint
frame_of (GstClockTime t)
{
  return (gint) gst_util_uint64_scale_round (t, FPS, GST_SECOND);
}

/* Runs the corpus through y4mdec ! omnisampler and returns the cut frames. */
static GArray *
run_omnisampler (const gchar *path, const gchar *detector, gint *n_frames)
{
  gchar *desc = g_strdup_printf (
      "filesrc location=\"%s\" ! y4mdec ! omnisampler name=s interval=0 "
      "detector=%s ! fakesink sync=false",
      path, detector);
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstElement *sampler;
  GstBus *bus;
  GArray *cuts = g_array_new (FALSE, FALSE, sizeof (gint));
  GstStructure *stats;
  guint64 frames;
  gboolean done = FALSE;

  fail_unless (pipe != NULL, "%s", desc);
  g_free (desc);
  bus = gst_element_get_bus (pipe);
  fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  while (!done) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
        GST_MESSAGE_ELEMENT | GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

    fail_unless (msg != NULL, "timeout");
    switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ELEMENT: {
      const GstStructure *s = gst_message_get_structure (msg);
      guint64 rt;
      if (gst_structure_has_name (s, "omnisampler")) {
        gint f;
        fail_unless (gst_structure_get_uint64 (s, "running-time", &rt));
        f = frame_of (rt);
        g_array_append_val (cuts, f);
      }
      break;
    }
    case GST_MESSAGE_ERROR: {
      GError *err;
      gchar *dbg;
      gst_message_parse_error (msg, &err, &dbg);
      fail ("pipeline error: %s (%s)", err->message, dbg);
      break;
    }
    default:
      done = TRUE;
      break;
    }
    gst_message_unref (msg);
  }
  sampler = gst_bin_get_by_name (GST_BIN (pipe), "s");
  g_object_get (sampler, "stats", &stats, NULL);
  fail_unless (gst_structure_get_uint64 (stats, "frames", &frames));
  *n_frames = (gint) frames;
  gst_structure_free (stats);
  gst_object_unref (sampler);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipe);
  return cuts;
}

/* ffmpeg -vf scdet=threshold=10 on the same file: the cut frames from the
 * "lavfi.scd.time" lines it logs. */
static GArray *
run_scdet (const gchar *path)
{
  gchar *argv[] = { (gchar *) "ffmpeg", (gchar *) "-hide_banner",
    (gchar *) "-nostats", (gchar *) "-i", (gchar *) path, (gchar *) "-vf",
    (gchar *) "scdet=threshold=10", (gchar *) "-f", (gchar *) "null",
    (gchar *) "-", NULL };
  gchar *out = NULL, *err = NULL, *p;
  gint status = 0;
  GError *error = NULL;
  GArray *cuts = g_array_new (FALSE, FALSE, sizeof (gint));

  fail_unless (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                   &out, &err, &status, &error),
      "cannot run ffmpeg (scripts/setup installs it): %s",
      error ? error->message : "");
  fail_unless (g_spawn_check_wait_status (status, NULL), "ffmpeg: %s", err);
  for (p = err; (p = strstr (p, "lavfi.scd.time: ")); p++) {
    gint f = (gint) lrint (g_ascii_strtod (p + 16, NULL) * FPS);
    g_array_append_val (cuts, f);
  }
  g_free (out);
  g_free (err);
  return cuts;
}

typedef struct {
  gint tp, fp, fn, flash_fp, fade_fp, pan_fp;
  gdouble precision, recall, f1;
} Score;

static gboolean
in_ranges (GArray *ranges, gint f)
{
  guint i;

  for (i = 0; i < ranges->len; i++) {
    Range *r = &g_array_index (ranges, Range, i);
    /* the frame after a flash or pan is part of it */
    if (f >= r->start - 1 && f <= r->end)
      return TRUE;
  }
  return FALSE;
}

/* One-to-one matching of detections to true cuts within +-1 frame. */
static Score
score (const Truth *truth, GArray *found)
{
  Score sc = { 0 };
  gboolean *used = g_new0 (gboolean, found->len);
  guint i, j;

  for (i = 0; i < truth->cuts->len; i++) {
    gint c = g_array_index (truth->cuts, gint, i);
    for (j = 0; j < found->len; j++) {
      if (!used[j] && ABS (g_array_index (found, gint, j) - c) <= 1) {
        used[j] = TRUE;
        sc.tp++;
        break;
      }
    }
  }
  for (j = 0; j < found->len; j++) {
    gint f = g_array_index (found, gint, j);
    if (used[j])
      continue;
    sc.fp++;
    if (in_ranges (truth->flashes, f))
      sc.flash_fp++;
    else if (in_ranges (truth->fades, f))
      sc.fade_fp++;
    else if (in_ranges (truth->pans, f))
      sc.pan_fp++;
  }
  sc.fn = truth->cuts->len - sc.tp;
  sc.precision = found->len ? (gdouble) sc.tp / found->len : 0.0;
  sc.recall = (gdouble) sc.tp / truth->cuts->len;
  sc.f1 = sc.precision + sc.recall > 0
              ? 2 * sc.precision * sc.recall / (sc.precision + sc.recall)
              : 0.0;
  g_free (used);
  return sc;
}

static gchar *
frames_str (GArray *a)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < a->len; i++)
    g_string_append_printf (
        s, "%s%d", i ? " " : "", g_array_index (a, gint, i));
  return g_string_free (s, FALSE);
}

static void
report (const gchar *name, const Score *sc, GArray *found)
{
  gchar *f = frames_str (found);

  g_print ("scenecorpus: %-30s P=%.3f R=%.3f F1=%.3f (TP %d, FP %d: flash %d, "
           "fade %d, pan %d, other %d; FN %d)\n  cuts at: %s\n",
      name, sc->precision, sc->recall, sc->f1, sc->tp, sc->fp, sc->flash_fp,
      sc->fade_fp, sc->pan_fp, sc->fp - sc->flash_fp - sc->fade_fp - sc->pan_fp,
      sc->fn, f);
  g_free (f);
}

GST_START_TEST (test_scene_corpus)
{
  gchar *dir = g_dir_make_tmp ("omni-scenecorpus-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, "corpus.y4m", NULL);
  Truth truth;
  GArray *ours, *fast, *scdet;
  Score s_ours, s_fast, s_scdet;
  gchar *t;
  gint n = 0;

  fail_unless (dir != NULL);
  make_corpus (path, &truth);
  t = frames_str (truth.cuts);
  g_print ("scenecorpus: %d frames %dx%d@%d, %u hard cuts (%s), %u flashes, "
           "%u fades through black, %u fast pans\n",
      truth.n_frames, W, H, FPS, truth.cuts->len, t, truth.flashes->len,
      truth.fades->len, truth.pans->len);
  g_free (t);

  ours = run_omnisampler (path, "adaptive", &n);
  fail_unless_equals_int (n, truth.n_frames);
  fast = run_omnisampler (path, "fast", &n);
  scdet = run_scdet (path);

  s_ours = score (&truth, ours);
  s_fast = score (&truth, fast);
  s_scdet = score (&truth, scdet);
  report ("omnisampler detector=adaptive", &s_ours, ours);
  report ("omnisampler detector=fast", &s_fast, fast);
  report ("ffmpeg scdet threshold=10", &s_scdet, scdet);

  fail_unless (s_ours.f1 >= 0.95, "F1 %.3f < 0.95", s_ours.f1);
  fail_unless_equals_int (s_ours.flash_fp, 0);
  fail_unless (s_ours.f1 >= s_scdet.f1, "F1 %.3f below scdet's %.3f", s_ours.f1,
      s_scdet.f1);
  /* without look-ahead only the flash frames themselves may be taken */
  fail_unless_equals_int (s_fast.fn, 0);
  fail_unless_equals_int (s_fast.fp, s_fast.flash_fp);

  g_array_unref (ours);
  g_array_unref (fast);
  g_array_unref (scdet);
  truth_clear (&truth);
  /* OMNI_SCENECORPUS_KEEP=1 keeps the corpus for a look (or another tool) */
  if (g_getenv ("OMNI_SCENECORPUS_KEEP")) {
    g_print ("scenecorpus: corpus kept in %s\n", path);
  } else {
    g_unlink (path);
    g_rmdir (dir);
  }
  g_free (path);
  g_free (dir);
}

GST_END_TEST;

static Suite *
scenecorpus_suite (void)
{
  Suite *s = suite_create ("scenecorpus");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_scene_corpus);
  return s;
}

GST_CHECK_MAIN (scenecorpus);
