/* gst-omni bench/analyze1080: omni-analyze on a 1080p30 clip with object
 * detection at 2 fps, against GStreamer's own `decodebin ! fakesink` on the
 * same clip, same machine, same run (issue 16's pipeline goal: >= 2x real
 * time).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The clip is made at bench time from Debian-packaged photographs
 * (python3-skimage's astronaut, a person, and motorcycle_left, a vehicle, by
 * default; --photo, repeated, for others), each scaled to 1080 rows and
 * put side by side: SECONDS s at 30 fps, 1920x1080, a slow pan from the
 * first photo to the last with a zoom in (bilinear resampling of a moving,
 * shrinking window), encoded by
 * openh264enc (H.264 in MP4, what gstreamer1.0-plugins-bad offers) at
 * 8 Mbit/s. It is cached under --clip.
 *
 * Timed, as whole processes (what a user waits for, model loading
 * included), interleaved over --rounds, medians:
 *  - peer: gst-launch-1.0 filesrc ! decodebin ! fakesink sync=false;
 *  - omni-analyze --quiet CLIP (no detection), then per model
 *    omni-analyze --quiet --detect MODEL CLIP (--sample-rate 2 is its
 *    default: detection on 2 frames a second) and the same with --model
 *    none (no image classifier), with --analyze BINARY (default: this
 *    build's);
 *  - the bare chain filesrc ! decodebin ! videoconvert ! omnisampler
 *    interval=500 ms ! omnidetect model=MODEL ! fakesink sync=false: with
 *    each --plugin-dir DIR's plugin (e.g. another build's plugins/omni, so
 *    that builds whose omni-analyze has no --detect can be compared), and
 *    with this build's, nireq=1 and nireq=2.
 * Each line gives the wall time, the CPU time (user + system of the
 * process and its threads), x real time (clip length / wall) and the ratio
 * to the peer's wall time.
 *
 * usage: bench-analyze1080 [--seconds S] [--rounds R] [--photo FILE]
 *          [--clip FILE] [--analyze BINARY] [--plugin-dir DIR]...
 *          [--chains-only]
 *          [MODEL...]   (default: centernet)
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define W 1920
#define H 1080
#define FPS 30
#define SKIMAGE_DATA "/usr/lib/python3/dist-packages/skimage/data"

typedef struct {
  gdouble wall, cpu;
  gboolean ok;
} Run;

static gdouble
loadavg (void)
{
  gdouble l = 0;
  FILE *f = fopen ("/proc/loadavg", "r");

  if (f) {
    if (fscanf (f, "%lf", &l) != 1)
      l = 0;
    fclose (f);
  }
  return l;
}

/* ---- the clip ------------------------------------------------------------ */

/* @photo as RGB, @H rows, square pixels */
static GstSample *
load_photo (const gchar *photo)
{
  gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! "
                                 "videoconvert ! videoscale ! "
                                 "video/x-raw,format=RGB,height=%d,"
                                 "pixel-aspect-ratio=1/1 ! appsink name=s",
      photo, H);
  GstElement *p = gst_parse_launch (desc, NULL), *s;
  GstSample *sample = NULL;

  g_free (desc);
  if (!p)
    return NULL;
  s = gst_bin_get_by_name (GST_BIN (p), "s");
  gst_element_set_state (p, GST_STATE_PAUSED);
  g_signal_emit_by_name (s, "pull-preroll", &sample);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (s);
  gst_object_unref (p);
  return sample;
}

typedef struct {
  guint8 *rgb;
  gint w, h, stride;
} Canvas;

/* The photos side by side, @H rows. */
static gboolean
make_canvas (Canvas *cv, gchar **photos)
{
  GPtrArray *samples
      = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_sample_unref);
  GstVideoInfo info;
  gint x = 0, y;
  guint i;

  cv->w = 0;
  for (i = 0; photos[i]; i++) {
    GstSample *s = load_photo (photos[i]);

    if (!s || !gst_video_info_from_caps (&info, gst_sample_get_caps (s))) {
      g_printerr ("cannot read %s\n", photos[i]);
      g_ptr_array_unref (samples);
      return FALSE;
    }
    g_ptr_array_add (samples, s);
    cv->w += GST_VIDEO_INFO_WIDTH (&info);
  }
  cv->h = H;
  cv->stride = cv->w * 3;
  cv->rgb = g_malloc ((gsize) cv->stride * H);
  for (i = 0; i < samples->len; i++) {
    GstSample *s = g_ptr_array_index (samples, i);
    GstVideoFrame f;

    gst_video_info_from_caps (&info, gst_sample_get_caps (s));
    gst_video_frame_map (&f, &info, gst_sample_get_buffer (s), GST_MAP_READ);
    for (y = 0; y < H; y++)
      memcpy (cv->rgb + (gsize) y * cv->stride + x * 3,
          (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f, 0)
              + (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&f, 0),
          GST_VIDEO_INFO_WIDTH (&info) * 3);
    x += GST_VIDEO_INFO_WIDTH (&info);
    gst_video_frame_unmap (&f);
  }
  g_ptr_array_unref (samples);
  return cv->w >= 2;
}

/* Frame @i of @n: the window (16:9, from the canvas's height down to 60 %
 * of it, moving from its left edge to its right edge) resampled
 * bilinearly to W x H RGB. */
static void
render (const Canvas *cv, guint i, guint n, guint8 *out)
{
  const gint pw = cv->w, ph = cv->h, stride = cv->stride;
  const guint8 *src = cv->rgb;
  gdouble t = n > 1 ? (gdouble) i / (n - 1) : 0;
  gdouble ww = MIN (pw, ph * 16.0 / 9) * (1.0 - 0.4 * t), wh = ww * 9 / 16;
  gdouble x0 = MAX (pw - ww, 0) * t, y0 = (ph - wh) * (0.5 - 0.2 * t);
  gint x, y, c;

  for (y = 0; y < H; y++) {
    gdouble sy = y0 + (y + 0.5) * wh / H - 0.5;
    gint iy = CLAMP ((gint) sy, 0, ph - 2);
    gint fy = (gint) ((sy - iy) * 256);
    const guint8 *r0 = src + (gsize) iy * stride, *r1 = r0 + stride;
    guint8 *d = out + (gsize) y * W * 3;

    for (x = 0; x < W; x++) {
      gdouble sx = x0 + (x + 0.5) * ww / W - 0.5;
      gint ix = CLAMP ((gint) sx, 0, pw - 2);
      gint fx = (gint) ((sx - ix) * 256);

      for (c = 0; c < 3; c++) {
        gint a = r0[ix * 3 + c] * (256 - fx) + r0[ix * 3 + 3 + c] * fx;
        gint b = r1[ix * 3 + c] * (256 - fx) + r1[ix * 3 + 3 + c] * fx;

        d[x * 3 + c] = (a * (256 - fy) + b * fy + 32768) >> 16;
      }
    }
  }
}

static gboolean
make_clip (gchar **photos, const gchar *clip, guint seconds)
{
  gchar *desc = g_strdup_printf (
      "appsrc name=src format=time caps=video/x-raw,format=RGB,width=%d,"
      "height=%d,framerate=%d/1,pixel-aspect-ratio=1/1 ! videoconvert ! "
      "video/x-raw,format=I420 ! openh264enc bitrate=8000000 "
      "complexity=high ! h264parse ! mp4mux ! filesink location=\"%s\"",
      W, H, FPS, clip);
  GstElement *p = gst_parse_launch (desc, NULL), *src;
  Canvas cv = { 0 };
  GstMessage *msg;
  guint i, n = seconds * FPS;
  gboolean ok = FALSE;

  g_free (desc);
  if (!p || !make_canvas (&cv, photos)) {
    g_printerr ("cannot read the photos or build the encoder "
                "(openh264enc)\n");
    goto out;
  }
  src = gst_bin_get_by_name (GST_BIN (p), "src");
  gst_element_set_state (p, GST_STATE_PLAYING);
  for (i = 0; i < n; i++) {
    GstBuffer *b = gst_buffer_new_allocate (NULL, W * H * 3, NULL);
    GstMapInfo m;

    gst_buffer_map (b, &m, GST_MAP_WRITE);
    render (&cv, i, n, m.data);
    gst_buffer_unmap (b, &m);
    GST_BUFFER_PTS (b) = gst_util_uint64_scale (i, GST_SECOND, FPS);
    GST_BUFFER_DURATION (b) = gst_util_uint64_scale (1, GST_SECOND, FPS);
    gst_app_src_push_buffer (GST_APP_SRC (src), b);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (p), GST_CLOCK_TIME_NONE,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  ok = GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
  gst_message_unref (msg);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (src);
out:
  g_free (cv.rgb);
  if (p)
    gst_object_unref (p);
  return ok;
}

/* ---- timing a process ---------------------------------------------------- */

/* Runs @argv (with GST_PLUGIN_PATH=@plugin_dir when set), stdout and stderr
 * to /dev/null; wall and CPU time of the process and its threads. */
static Run
run_process (gchar **argv, const gchar *plugin_dir)
{
  Run r = { 0 };
  struct rusage ru;
  gint64 t0 = g_get_monotonic_time ();
  gint status = 0;
  pid_t pid = fork ();

  if (pid == 0) {
    FILE *null = fopen ("/dev/null", "w");

    if (plugin_dir)
      g_setenv ("GST_PLUGIN_PATH", plugin_dir, TRUE);
    if (null) {
      dup2 (fileno (null), 1);
      dup2 (fileno (null), 2);
    }
    execvp (argv[0], argv);
    _exit (127);
  }
  if (pid < 0 || wait4 (pid, &status, 0, &ru) != pid)
    return r;
  r.wall = (g_get_monotonic_time () - t0) / 1e6;
  r.cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec
          + ru.ru_stime.tv_usec / 1e6;
  r.ok = WIFEXITED (status) && WEXITSTATUS (status) == 0;
  return r;
}

static gint
cmp_run (gconstpointer a, gconstpointer b)
{
  const Run *x = a, *y = b;

  return x->wall < y->wall ? -1 : x->wall > y->wall;
}

static Run
median (GArray *runs)
{
  Run none = { 0 };

  if (!runs->len)
    return none;
  g_array_sort (runs, cmp_run);
  return g_array_index (runs, Run, runs->len / 2);
}

typedef struct {
  gchar *name;
  gchar **argv;
  const gchar *plugin_dir;
  GArray *runs;
} Case;

static Case *
case_new (const gchar *name, const gchar *plugin_dir, const gchar *cmd)
{
  Case *c = g_new0 (Case, 1);

  c->name = g_strdup (name);
  c->plugin_dir = plugin_dir;
  c->argv = g_strsplit (cmd, "\t", -1);
  c->runs = g_array_new (FALSE, FALSE, sizeof (Run));
  return c;
}

static void
case_free (gpointer p)
{
  Case *c = p;

  g_free (c->name);
  g_strfreev (c->argv);
  g_array_unref (c->runs);
  g_free (c);
}

/* ---- main ---------------------------------------------------------------- */

static void
add_case (GPtrArray *cases, const gchar *plugin_dir, const gchar *name,
    const gchar *cmd)
{
  g_ptr_array_add (cases, case_new (name, plugin_dir, cmd));
}

/* the bare chain, with @dir's omnidetect */
static void
add_chain (GPtrArray *cases, const gchar *clip, const gchar *model,
    const gchar *dir, const gchar *what, guint nireq)
{
  gchar *name = g_strdup_printf (
      "decode ! omnisampler ! omnidetect %s nireq=%u [%s]", model, nireq, what);
  gchar *cmd = g_strdup_printf (
      "gst-launch-1.0\t-q\tfilesrc\tlocation=%s\t!\tdecodebin\t!\t"
      "videoconvert\t!\tomnisampler\tinterval=500000000\t!\tomnidetect\t"
      "model=%s%s\t!\tfakesink\tsync=false",
      clip, model, nireq > 1 ? "\tnireq=2" : "");

  add_case (cases, dir, name, cmd);
  g_free (name);
  g_free (cmd);
}

static void
add_cases (GPtrArray *cases, const gchar *clip, const gchar *analyze,
    gchar **plugin_dirs, gchar **models, gboolean chains_only)
{
  gchar *cmd, *name;
  guint i, j;

  cmd = g_strdup_printf ("gst-launch-1.0\t-q\tfilesrc\tlocation=%s\t!\t"
                         "decodebin\t!\tfakesink\tsync=false",
      clip);
  add_case (cases, NULL, "decodebin ! fakesink (peer)", cmd);
  g_free (cmd);
  cmd = g_strdup_printf ("%s\t--quiet\t%s", analyze, clip);
  if (!chains_only)
    add_case (cases, NULL, "omni-analyze (no detection)", cmd);
  g_free (cmd);
  for (i = 0; models[i]; i++) {
    if (chains_only)
      goto chains;
    name = g_strdup_printf ("omni-analyze --detect %s", models[i]);
    cmd = g_strdup_printf (
        "%s\t--quiet\t--detect\t%s\t%s", analyze, models[i], clip);
    add_case (cases, NULL, name, cmd);
    g_free (name);
    g_free (cmd);
    name = g_strdup_printf ("omni-analyze --model none --detect %s", models[i]);
    cmd = g_strdup_printf ("%s\t--quiet\t--model\tnone\t--detect\t%s\t%s",
        analyze, models[i], clip);
    add_case (cases, NULL, name, cmd);
    g_free (name);
    g_free (cmd);
  chains:
    for (j = 0; plugin_dirs && plugin_dirs[j]; j++)
      add_chain (cases, clip, models[i], plugin_dirs[j], plugin_dirs[j], 1);
    add_chain (cases, clip, models[i], OMNI_BUILD_ROOT "/plugins/omni",
        "this build", 1);
    add_chain (cases, clip, models[i], OMNI_BUILD_ROOT "/plugins/omni",
        "this build", 2);
  }
}

static void
report (GPtrArray *cases, guint seconds)
{
  Run peer = median (((Case *) g_ptr_array_index (cases, 0))->runs);
  guint i;

  printf ("\n%-72s %8s %8s %10s %s\n", "median of the rounds", "wall s",
      "CPU s", "x realtime", "peer wall / wall");
  for (i = 0; i < cases->len; i++) {
    Case *c = g_ptr_array_index (cases, i);
    Run m = median (c->runs);

    printf ("%-72s %8.2f %8.2f %9.2fx %.3f%s\n", c->name, m.wall, m.cpu,
        m.wall > 0 ? seconds / m.wall : 0, m.wall > 0 ? peer.wall / m.wall : 0,
        m.ok ? "" : "  (FAILED)");
  }
}

int
main (int argc, char **argv)
{
  guint seconds = 10, rounds = 3, r, i;
  gchar **photos = NULL, *clip = NULL, *analyze = NULL, **plugin_dirs = NULL;
  gchar **models = NULL;
  gboolean chains_only = FALSE;
  GOptionEntry entries[]
      = { { "seconds", 's', 0, G_OPTION_ARG_INT, &seconds, "Clip length", "S" },
          { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "Rounds", "R" },
          { "photo", 'p', 0, G_OPTION_ARG_FILENAME_ARRAY, &photos,
              "Photograph (repeat for several, side by side)", "FILE" },
          { "clip", 'c', 0, G_OPTION_ARG_FILENAME, &clip,
              "Clip (made if missing)", "FILE" },
          { "analyze", 'a', 0, G_OPTION_ARG_FILENAME, &analyze,
              "omni-analyze binary", "FILE" },
          { "plugin-dir", 'P', 0, G_OPTION_ARG_FILENAME_ARRAY, &plugin_dirs,
              "Also time the bare chain with this build's plugin", "DIR" },
          { "chains-only", 0, 0, G_OPTION_ARG_NONE, &chains_only,
              "Only the peer and the bare chains (no omni-analyze)", NULL },
          { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &models, NULL,
              NULL },
          { NULL } };
  GOptionContext *ctx = g_option_context_new ("[MODEL...]");
  GPtrArray *cases = g_ptr_array_new_with_free_func (case_free);
  GError *err = NULL;

  gst_init (&argc, &argv);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("%s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);
  if (!photos)
    photos = g_strsplit (SKIMAGE_DATA "/astronaut.png," SKIMAGE_DATA
                                      "/motorcycle_left.png",
        ",", -1);
  if (!clip)
    clip = g_strdup_printf (
        "%s/omni-bench-1080p30-%us.mp4", g_get_tmp_dir (), seconds);
  if (!analyze)
    analyze = g_strdup (OMNI_BUILD_ROOT "/tools/omni-analyze");
  if (!models)
    models = g_strsplit ("centernet", ",", -1);
  if (!g_file_test (clip, G_FILE_TEST_EXISTS)) {
    gint64 t0 = g_get_monotonic_time ();

    if (!make_clip (photos, clip, seconds))
      return 1;
    printf ("made %s from %u photos in %.1f s\n", clip, g_strv_length (photos),
        (g_get_monotonic_time () - t0) / 1e6);
  }
  printf ("clip %s: %u s, %dx%d, %d fps, H.264 (openh264enc) in MP4\n", clip,
      seconds, W, H, FPS);
  printf ("load average at start %.2f\n", loadavg ());
  add_cases (cases, clip, analyze, plugin_dirs, models, chains_only);
  for (r = 0; r < rounds; r++) {
    for (i = 0; i < cases->len; i++) {
      Case *c = g_ptr_array_index (cases, i);
      Run run = run_process (c->argv, c->plugin_dir);

      g_array_append_val (c->runs, run);
      printf ("round %u  %-72s %7.2f s wall %7.2f s CPU%s\n", r + 1, c->name,
          run.wall, run.cpu, run.ok ? "" : "  FAILED");
      fflush (stdout);
    }
  }
  report (cases, seconds);
  printf ("load average at end %.2f\n", loadavg ());
  g_ptr_array_unref (cases);
  g_strfreev (photos);
  g_free (clip);
  g_free (analyze);
  g_strfreev (plugin_dirs);
  g_strfreev (models);
  return 0;
}
