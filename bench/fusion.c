/* gst-omni benchmark: omnifusion on one hour of 30 fps video metas and
 * 48 kHz audio metas (1024-sample buffers).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Two appsrc threads push buffers made on the fly (tiny GRAY8 frames and
 * 1024-sample F32 buffers sharing one read-only memory block, so no pixel
 * or sample work is timed) carrying the metas the encoders would attach:
 * every frame an OmniClassMeta (nsfwjs's five classes), every 15th frame
 * an OmniSampleMeta, every audio buffer an OmniRhythmMeta with an onset on
 * every 10th. The same buffers go through
 *
 *   omnifusion → captions,   omnifusion → JSON events,
 *   and, as the peer, funnel (merge by arrival, what DL Streamer and
 *   NNStreamer do with A/V branches; no alignment, no windows)
 *
 * each in its own process, non-live, as fast as possible. Printed: wall and
 * CPU time, time per window (one window = 1 s of media), x-real-time,
 * resident memory after 1, 10, 30 and 60 minutes of stream time and the
 * peak, and the ratio to the peer. Memory must stay flat with stream
 * length: the 10-minute and 60-minute figures should match.
 *
 * Usage: bench-fusion [--minutes N]   (default 60)
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <gst/gst.h>
#include <gst/app/gstappsrc.h>
#include <omni/omni.h>

#define RATE 48000
#define SPB 1024
#define FPS 30
#define N_MARKS 4

static const guint mark_minutes[N_MARKS] = { 1, 10, 30, 60 };
static const gchar *labels[]
    = { "Drawing", "Hentai", "Neutral", "Porn", "Sexy", NULL };
static guint8 zeros[SPB * 4];

typedef struct {
  GstElement *src;
  gboolean video;
  GstClockTime end;
  GstMemory *mem;
} Producer;

typedef struct {
  GstClockTime marks[N_MARKS];
  glong rss_kb[N_MARKS];
  guint next;
  guint64 buffers;
} Probe;

static glong
rss_kb (void)
{
  glong pages = 0, size;
  FILE *f = fopen ("/proc/self/statm", "r");

  if (!f)
    return -1;
  if (fscanf (f, "%ld %ld", &size, &pages) != 2)
    pages = -1;
  fclose (f);
  return pages < 0 ? -1 : pages * (sysconf (_SC_PAGESIZE) / 1024);
}

/* Peak resident set (VmHWM), read before the pipeline is torn down:
 * getrusage()'s ru_maxrss is only brought up to date on unmaps. */
static glong
peak_rss_kb (void)
{
  gchar *status = NULL, *line;
  glong kb = -1;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  if (line)
    kb = strtol (line + 6, NULL, 10);
  g_free (status);
  return kb;
}

static gpointer
produce (gpointer data)
{
  Producer *p = data;
  guint64 i;

  for (i = 0;; i++) {
    GstBuffer *b = gst_buffer_new ();
    GstClockTime pts, next;

    gst_buffer_append_memory (b, gst_memory_ref (p->mem));
    if (p->video) {
      gfloat scores[5] = { 0.01f, 0.01f, 0.9f, 0.03f, 0.05f };

      pts = gst_util_uint64_scale (i, GST_SECOND, FPS);
      next = gst_util_uint64_scale (i + 1, GST_SECOND, FPS);
      /* scores drift a little so that every frame is different */
      scores[3] += (gfloat) (i % 7) * 0.01f;
      scores[2] -= (gfloat) (i % 7) * 0.01f;
      omni_buffer_add_class_meta (b, "nsfw", 5, labels, scores);
      if (i % 15 == 0)
        omni_buffer_add_sample_meta (b,
            i % 150 == 0 ? OMNI_SAMPLE_REASON_SCENE
                         : OMNI_SAMPLE_REASON_INTERVAL,
            0.1, i / 15);
    } else {
      OmniRhythmMeta *rm;

      pts = gst_util_uint64_scale (i * SPB, GST_SECOND, RATE);
      next = gst_util_uint64_scale ((i + 1) * SPB, GST_SECOND, RATE);
      rm = omni_buffer_add_rhythm_meta (b);
      rm->rms_db = -20.0 - (i % 13);
      rm->peak_db = rm->rms_db + 6;
      rm->tempo = 120;
      rm->tempo_confidence = 0.8;
      rm->centroid = 1500;
      if (i % 10 == 0) {
        rm->onset = TRUE;
        rm->onset_offset = 5 * GST_MSECOND;
      }
    }
    if (pts >= p->end) {
      gst_buffer_unref (b);
      break;
    }
    GST_BUFFER_PTS (b) = pts;
    GST_BUFFER_DURATION (b) = next - pts;
    if (gst_app_src_push_buffer (GST_APP_SRC (p->src), b) != GST_FLOW_OK)
      break;
  }
  gst_app_src_end_of_stream (GST_APP_SRC (p->src));
  return NULL;
}

static GstPadProbeReturn
on_output (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Probe *pr = user_data;
  GstBuffer *b = GST_PAD_PROBE_INFO_BUFFER (info);

  pr->buffers++;
  while (pr->next < N_MARKS && GST_BUFFER_PTS_IS_VALID (b)
         && GST_BUFFER_PTS (b) + GST_SECOND >= pr->marks[pr->next]) {
    pr->rss_kb[pr->next] = rss_kb ();
    pr->next++;
  }
  return GST_PAD_PROBE_OK;
}

static gdouble
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec
         + ru.ru_stime.tv_usec / 1e6;
}

/* Runs one configuration in this process; prints a RESULT line. */
static int
run_one (const gchar *name, guint minutes)
{
  const gchar *tail;
  gchar *desc;
  GstElement *pipeline, *sink;
  GstBus *bus;
  GstMessage *msg;
  GstPad *pad;
  Producer vp, ap;
  Probe pr = { { 0 }, { 0 }, 0, 0 };
  GThread *vt, *at;
  gint64 t0, t1;
  gdouble c0, c1;
  struct rusage ru;
  glong peak;
  guint i;
  int rc = 0;

  if (g_str_equal (name, "fusion-captions"))
    tail = "appsrc name=v ! f.video appsrc name=a ! f.audio omnifusion name=f "
           "! text/x-raw,format=utf8 ! fakesink name=sink sync=false";
  else if (g_str_equal (name, "fusion-events"))
    tail = "appsrc name=v ! f.video appsrc name=a ! f.audio omnifusion name=f "
           "! application/x-omni-events ! fakesink name=sink sync=false";
  else if (g_str_equal (name, "funnel"))
    tail = "appsrc name=v ! f. appsrc name=a ! f. funnel name=f "
           "forward-sticky-events=false ! fakesink name=sink sync=false";
  else
    return 2;
  desc = g_strdup (tail);
  pipeline = gst_parse_launch (desc, NULL);
  g_free (desc);
  if (!pipeline)
    return 2;

  vp.src = gst_bin_get_by_name (GST_BIN (pipeline), "v");
  ap.src = gst_bin_get_by_name (GST_BIN (pipeline), "a");
  vp.video = TRUE;
  ap.video = FALSE;
  vp.end = ap.end = minutes * 60 * GST_SECOND;
  vp.mem = gst_memory_new_wrapped (
      GST_MEMORY_FLAG_READONLY, zeros, sizeof (zeros), 0, 16, NULL, NULL);
  ap.mem = gst_memory_new_wrapped (
      GST_MEMORY_FLAG_READONLY, zeros, sizeof (zeros), 0, SPB * 4, NULL, NULL);
  g_object_set (vp.src, "format", GST_FORMAT_TIME, "block", TRUE, "max-bytes",
      (guint64) 0, "max-buffers", (guint64) 64, NULL);
  g_object_set (ap.src, "format", GST_FORMAT_TIME, "block", TRUE, "max-bytes",
      (guint64) 0, "max-buffers", (guint64) 64, NULL);
  gst_app_src_set_caps (GST_APP_SRC (vp.src),
      gst_caps_from_string (
          "video/x-raw,format=GRAY8,width=4,height=4,framerate=30/1"));
  gst_app_src_set_caps (GST_APP_SRC (ap.src),
      gst_caps_from_string ("audio/x-raw,format=F32LE,rate=48000,channels=1,"
                            "layout=interleaved"));

  for (i = 0; i < N_MARKS; i++)
    pr.marks[i] = mark_minutes[i] * 60 * GST_SECOND;
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_output, &pr, NULL);
  gst_object_unref (pad);
  gst_object_unref (sink);

  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  t0 = g_get_monotonic_time ();
  c0 = cpu_seconds ();
  vt = g_thread_new ("video", produce, &vp);
  at = g_thread_new ("audio", produce, &ap);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (
      bus, GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  t1 = g_get_monotonic_time ();
  c1 = cpu_seconds ();
  peak = peak_rss_kb ();
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err = NULL;

    gst_message_parse_error (msg, &err, NULL);
    g_printerr ("%s: %s\n", name, err->message);
    g_clear_error (&err);
    rc = 1;
  }
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_thread_join (vt);
  g_thread_join (at);
  getrusage (RUSAGE_SELF, &ru);
  peak = MAX (peak, ru.ru_maxrss);

  printf ("RESULT %s %.3f %.3f %" G_GUINT64_FORMAT " %ld", name,
      (t1 - t0) / 1e6, c1 - c0, pr.buffers, peak);
  for (i = 0; i < N_MARKS; i++)
    printf (" %ld", i < pr.next ? pr.rss_kb[i] : -1L);
  printf ("\n");
  fflush (stdout);

  gst_memory_unref (vp.mem);
  gst_memory_unref (ap.mem);
  gst_object_unref (vp.src);
  gst_object_unref (ap.src);
  gst_object_unref (pipeline);
  return rc;
}

typedef struct {
  gchar name[32];
  gdouble wall, cpu;
  guint64 buffers;
  glong maxrss, rss[N_MARKS];
} Result;

static gboolean
run_child (const gchar *self, const gchar *name, guint minutes, Result *r)
{
  gchar *min = g_strdup_printf ("%u", minutes);
  const gchar *argv[] = { self, "--run", name, "--minutes", min, NULL };
  gchar *out = NULL;
  gint status = 0;
  GError *err = NULL;
  gboolean ok;
  const gchar *line;

  ok = g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
      &out, NULL, &status, &err);
  g_free (min);
  if (!ok) {
    g_printerr ("%s: %s\n", name, err->message);
    g_clear_error (&err);
    return FALSE;
  }
  line = out ? strstr (out, "RESULT ") : NULL;
  ok = line
       && sscanf (line,
              "RESULT %31s %lf %lf %" G_GUINT64_FORMAT " %ld %ld %ld %ld %ld",
              r->name, &r->wall, &r->cpu, &r->buffers, &r->maxrss, &r->rss[0],
              &r->rss[1], &r->rss[2], &r->rss[3])
              == 9;
  if (!ok)
    g_printerr ("%s failed (status %d): %s\n", name, status, out ? out : "");
  g_free (out);
  return ok;
}

int
main (int argc, char **argv)
{
  const gchar *run = NULL;
  guint minutes = 60, i, j;
  static const gchar *configs[]
      = { "fusion-captions", "fusion-events", "funnel" };
  Result res[3];
  gint a;

  for (a = 1; a < argc; a++) {
    if (g_str_equal (argv[a], "--run") && a + 1 < argc)
      run = argv[++a];
    else if (g_str_equal (argv[a], "--minutes") && a + 1 < argc) {
      gint m = atoi (argv[++a]);

      minutes = MAX (1, m);
    }
  }
  if (!g_getenv ("GST_PLUGIN_PATH") && !g_getenv ("GST_PLUGIN_PATH_1_0"))
    g_setenv ("GST_PLUGIN_PATH", OMNI_BENCH_PLUGIN_DIR, TRUE);
  gst_init (&argc, &argv);

  if (run)
    return run_one (run, minutes);

  if (!gst_element_factory_find ("omnifusion")) {
    g_printerr ("omnifusion not found (GST_PLUGIN_PATH)\n");
    return 1;
  }
  printf ("omnifusion benchmark: %u min of 30 fps video metas + 48 kHz audio "
          "metas (%u-sample buffers), non-live, 1 s windows\n",
      minutes, SPB);
  for (i = 0; i < G_N_ELEMENTS (configs); i++) {
    if (!run_child (argv[0], configs[i], minutes, &res[i]))
      return 1;
  }
  printf ("\n%-16s %9s %9s %12s %10s %9s", "pipeline", "wall s", "cpu s",
      "us/window", "x-rt", "peak MB");
  for (j = 0; j < N_MARKS; j++)
    if (mark_minutes[j] <= minutes)
      printf ("  RSS@%umin", mark_minutes[j]);
  printf ("\n");
  for (i = 0; i < G_N_ELEMENTS (configs); i++) {
    Result *r = &res[i];

    printf ("%-16s %9.2f %9.2f %12.1f %10.0f %9.1f", r->name, r->wall, r->cpu,
        r->wall * 1e6 / (minutes * 60.0), minutes * 60.0 / r->wall,
        r->maxrss / 1024.0);
    for (j = 0; j < N_MARKS; j++)
      if (mark_minutes[j] <= minutes)
        printf ("  %7.1fMB", r->rss[j] / 1024.0);
    printf ("\n");
  }
  printf ("\nratio omnifusion/funnel (wall): captions %.2f, events %.2f\n",
      res[0].wall / res[2].wall, res[1].wall / res[2].wall);
  printf ("ratio omnifusion/funnel (cpu):  captions %.2f, events %.2f\n",
      res[0].cpu / res[2].cpu, res[1].cpu / res[2].cpu);
  if (minutes >= 60)
    printf ("memory growth 10 -> 60 min: captions %+.1f MB, events %+.1f MB\n",
        (res[0].rss[3] - res[0].rss[1]) / 1024.0,
        (res[1].rss[3] - res[1].rss[1]) / 1024.0);
  return 0;
}
