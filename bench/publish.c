/* gst-omni benchmark: live streams publishing their events to MQTT.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * bench-publish memory [--seconds N] (default 150)
 *   4 live synthetic streams (videotestsrc 320x240@30 ! omnisampler,
 *   audiotestsrc ! omnirhythm, omnifusion with 250 ms windows: 4 events/s
 *   per stream) in one process, each ending in omnipublish (QoS 1) to a
 *   private Mosquitto broker on a loopback port, with a subscriber counting
 *   what arrives. The broker is stopped for 10 s at a third of the run
 *   (events queue, then drain). Prints the resident set size every 5 s, the
 *   slope over the second half, and the same for the peer run: the same
 *   streams with omnipublish method=file to /dev/null (no MQTT), in a
 *   separate process.
 *
 * bench-publish streams [--seconds N] [--max N] (default 20 s, 4)
 *   N = 1, 2, ... live 720p30 inputs (videotestsrc is-live, moving ball),
 *   each its own pipeline in this process, sampled at 2 fps by omnisampler
 *   and classified by omnivisionenc (default model, nsfwjs MobileNetV2 on
 *   the Vulkan device), ending in fakesink sync=true qos=true. A stream is
 *   real time when its sink dropped no late frame and omnisampler skipped
 *   no sample for QoS and its sink rendered >= 29.5 fps. Peer: the same
 *   streams without omnivisionenc (the cost of the live source and sampler
 *   alone). Each configuration runs in a fresh process. Prints per N:
 *   frames/s and samples/s per stream, late frames, QoS-skipped samples,
 *   CPU use, RSS added by the pipelines, and the load average (the
 *   machine is shared).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gst/gst.h>

#include "../gst-tests/elements/mqttbroker.h"
#include "benchproc.h"

#define MEM_STREAMS 4
#define SAMPLE_S 5

/* ---- memory ------------------------------------------------------------ */

static gchar *
mem_pipeline (guint i, guint port, gboolean mqtt)
{
  g_autofree gchar *sink
      = mqtt ? g_strdup_printf (
            "omnipublish name=pub address=127.0.0.1:%u "
            "topic=bench/{stream}/{category} stream=s%u qos=1 "
            "reconnect-min-ms=100 reconnect-max-ms=1000",
            port, i)
             : g_strdup_printf (
                 "omnipublish name=pub method=file location=/dev/null "
                 "stream=s%u",
                 i);

  return g_strdup_printf (
      "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,"
      "height=240,framerate=30/1 ! omnisampler interval=500000000 ! f.video "
      "audiotestsrc is-live=true wave=sine ! audio/x-raw,rate=44100 ! "
      "omnirhythm ! f.audio omnifusion name=f window=250000000 ! "
      "application/x-omni-events ! %s",
      sink);
}

static guint64
published (GstElement *p, const gchar *field)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (p), "pub");
  GstStructure *s;
  guint64 v = 0;

  g_object_get (e, "stats", &s, NULL);
  gst_structure_get_uint64 (s, field, &v);
  gst_structure_free (s);
  gst_object_unref (e);
  return v;
}

/* RSS curve of one configuration; the slope (MiB/min) over the second
 * half by least squares. */
static gdouble
memory_run (MqttBroker *b, gboolean mqtt, guint seconds)
{
  GstElement *p[MEM_STREAMS];
  GArray *t = g_array_new (FALSE, FALSE, sizeof (gdouble));
  GArray *r = g_array_new (FALSE, FALSE, sizeof (gdouble));
  gdouble sx = 0, sy = 0, sxx = 0, sxy = 0, slope;
  guint i, k, n = 0, stop_at = seconds / 3 / SAMPLE_S * SAMPLE_S;
  gboolean down = FALSE;

  for (i = 0; i < MEM_STREAMS; i++) {
    g_autofree gchar *d = mem_pipeline (i, b ? b->port : 0, mqtt);
    p[i] = launch (d);
    gst_element_set_state (p[i], GST_STATE_PLAYING);
  }
  printf ("  %-6s %8s %10s\n", "t (s)", "RSS MiB", "published");
  for (k = 0;; k++) {
    gdouble now = k * SAMPLE_S, rss = rss_mib ();
    guint64 pub = 0;

    for (i = 0; i < MEM_STREAMS; i++)
      pub += published (p[i], "published");
    printf ("  %-6.0f %8.1f %10" G_GUINT64_FORMAT "%s\n", now, rss, pub,
        down ? "  (broker away)" : "");
    fflush (stdout);
    g_array_append_val (t, now);
    g_array_append_val (r, rss);
    if (now >= seconds)
      break;
    if (b && mqtt && k * SAMPLE_S == stop_at) {
      mqtt_broker_stop (b);
      down = TRUE;
    } else if (b && mqtt && k * SAMPLE_S == stop_at + 10) {
      if (!mqtt_broker_start (b))
        g_printerr ("broker did not restart\n");
      down = FALSE;
    }
    run_for (p, MEM_STREAMS, SAMPLE_S);
  }
  for (k = t->len / 2; k < t->len; k++, n++) {
    gdouble x = g_array_index (t, gdouble, k) / 60.0;
    gdouble y = g_array_index (r, gdouble, k);
    sx += x, sy += y, sxx += x * x, sxy += x * y;
  }
  slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  for (i = 0; i < MEM_STREAMS; i++) {
    GstBus *bus = gst_element_get_bus (p[i]);
    GstMessage *m;

    gst_element_send_event (p[i], gst_event_new_eos ());
    m = gst_bus_timed_pop_filtered (
        bus, 20 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    if (m)
      gst_message_unref (m);
    gst_object_unref (bus);
    if (mqtt)
      printf ("  stream %u: published %" G_GUINT64_FORMAT
              ", dropped %" G_GUINT64_FORMAT ", reconnects %" G_GUINT64_FORMAT
              "\n",
          i, published (p[i], "published"), published (p[i], "dropped"),
          published (p[i], "reconnects"));
    gst_element_set_state (p[i], GST_STATE_NULL);
    gst_object_unref (p[i]);
  }
  g_array_unref (t);
  g_array_unref (r);
  return slope;
}

static int
bench_memory (guint seconds, gboolean peer_child)
{
  MqttBroker *b;
  MqttSub *sub;
  gdouble slope;
  pid_t child;
  int status;

  if (peer_child) {
    printf ("peer: the same 4 streams, omnipublish method=file to /dev/null\n");
    slope = memory_run (NULL, FALSE, seconds);
    printf ("  RSS slope over the second half: %+.2f MiB/min\n", slope);
    return 0;
  }
  b = mqtt_broker_new (FALSE, "allow_anonymous true\n");
  if (!mqtt_broker_start (b)) {
    g_printerr ("mosquitto did not start\n");
    return 2;
  }
  sub = mqtt_sub_new (b->port, "bench/#", "bench-sub", NULL, NULL);
  if (sub)
    mqtt_sub_set_keep (sub, FALSE); /* its memory is not the element's */
  printf ("4 live streams -> omnipublish qos=1 -> mosquitto on 127.0.0.1:%u "
          "(%u s, broker away for 10 s at %u s)\n",
      b->port, seconds, seconds / 3);
  slope = memory_run (b, TRUE, seconds);
  g_usleep (2000000);
  printf ("  subscriber received %u messages (QoS 1 repeats included)\n",
      sub ? mqtt_sub_count (sub) : 0);
  printf ("  RSS slope over the second half: %+.2f MiB/min\n", slope);
  fflush (stdout);
  if (sub)
    mqtt_sub_free (sub);
  mqtt_broker_free (b);

  /* the peer in a fresh process, so that its RSS is its own */
  child = fork ();
  if (child == 0) {
    g_autofree gchar *secs = g_strdup_printf ("%u", seconds / 2);
    execl ("/proc/self/exe", "bench-publish", "memory-peer", "--seconds", secs,
        NULL);
    _exit (127);
  }
  waitpid (child, &status, 0);
  return 0;
}

/* ---- streams per machine -------------------------------------------------- */

static gchar *
stream_pipeline (gboolean model)
{
  return g_strdup_printf (
      "videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,"
      "width=1280,height=720,framerate=30/1 ! queue max-size-buffers=8 ! "
      "omnisampler name=s interval=500000000 ! %s fakesink name=sink "
      "sync=true qos=true",
      model ? "omnivisionenc name=v ! " : "");
}

typedef struct {
  guint64 late, skipped, sampled, frames;
} Counts;

static void
add_counts (GstElement **p, guint n, Counts *c, gint sign)
{
  guint i;

  for (i = 0; i < n; i++) {
    c->late += sign * stat_of (p[i], "sink", "dropped");
    c->skipped += sign
                  * (stat_of (p[i], "s", "skipped-qos")
                      + stat_of (p[i], "s", "dropped-qos"));
    c->sampled += sign * stat_of (p[i], "s", "sampled");
    c->frames += sign * stat_of (p[i], "sink", "rendered");
  }
}

/* One configuration of n streams, in this (fresh) process: a line of the
 * table. */
static int
streams_one (guint n, gboolean model, guint seconds)
{
  GstElement **p = g_new0 (GstElement *, n);
  g_autofree gchar *desc = stream_pipeline (model);
  Counts c = { 0 };
  gdouble c0, wall, rss0 = rss_mib (), l0;
  gboolean rt;
  gint64 w0;
  guint i;

  for (i = 0; i < n; i++) {
    p[i] = launch (desc);
    gst_element_set_state (p[i], GST_STATE_PLAYING);
  }
  run_for (p, n, 5); /* models loaded, shaders built, warm */
  add_counts (p, n, &c, -1);
  c0 = cpu_s ();
  l0 = loadavg ();
  w0 = g_get_monotonic_time ();
  run_for (p, n, seconds);
  wall = (g_get_monotonic_time () - w0) / 1e6;
  add_counts (p, n, &c, 1);
  rt = c.late == 0 && c.skipped == 0 && c.frames / wall / n >= 29.5;
  printf ("  %-5s %3u  %7.1f  %6.2f  %6" G_GUINT64_FORMAT
          "  %6" G_GUINT64_FORMAT "  %5.0f%%  %7.1f  %4.1f-%-4.1f  %s\n",
      model ? "model" : "peer", n, c.frames / wall / n, c.sampled / wall / n,
      c.late, c.skipped, 100.0 * (cpu_s () - c0) / wall, rss_mib () - rss0, l0,
      loadavg (), rt ? "real time" : "NOT real time");
  fflush (stdout);
  for (i = 0; i < n; i++) {
    gst_element_set_state (p[i], GST_STATE_NULL);
    gst_object_unref (p[i]);
  }
  g_free (p);
  return 0;
}

static int
bench_streams (guint seconds, guint max)
{
  guint n, k;

  printf ("N live 720p30 inputs, omnisampler 2 fps, omnivisionenc (default "
          "model, one loaded per stream) per stream, %u s each after 5 s "
          "warm-up, each configuration in a fresh process\n",
      seconds);
  printf ("  %-5s %3s  %7s  %6s  %6s  %6s  %6s  %7s  %9s\n", "what", "N",
      "fps/str", "smp/s", "late", "qosskp", "CPU", "+RSS MiB", "load");
  fflush (stdout); /* before the children write theirs */
  for (n = 1; n <= max; n++) {
    for (k = 0; k < 2; k++) {
      g_autofree gchar *ns = g_strdup_printf ("%u", n);
      g_autofree gchar *secs = g_strdup_printf ("%u", seconds);
      pid_t child = fork ();
      int status;

      if (child == 0) {
        execl ("/proc/self/exe", "bench-publish", "streams-one", "--n", ns,
            "--seconds", secs, "--model", k == 0 ? "1" : "0", NULL);
        _exit (127);
      }
      waitpid (child, &status, 0);
    }
  }
  return 0;
}

int
main (int argc, char **argv)
{
  guint seconds = 0, max = 4, n = 1;
  gboolean model = TRUE;
  gint i;

  gst_init (&argc, &argv);
  for (i = 2; i + 1 < argc; i += 2) {
    if (!strcmp (argv[i], "--seconds"))
      seconds = atoi (argv[i + 1]);
    else if (!strcmp (argv[i], "--max"))
      max = atoi (argv[i + 1]);
    else if (!strcmp (argv[i], "--n"))
      n = atoi (argv[i + 1]);
    else if (!strcmp (argv[i], "--model"))
      model = atoi (argv[i + 1]) != 0;
  }
  if (argc > 1 && !strcmp (argv[1], "memory"))
    return bench_memory (seconds ? seconds : 150, FALSE);
  if (argc > 1 && !strcmp (argv[1], "memory-peer"))
    return bench_memory (seconds ? seconds : 75, TRUE);
  if (argc > 1 && !strcmp (argv[1], "streams"))
    return bench_streams (seconds ? seconds : 20, max);
  if (argc > 1 && !strcmp (argv[1], "streams-one"))
    return streams_one (n, model, seconds ? seconds : 20);
  g_printerr ("usage: bench-publish memory|streams [--seconds N] [--max N]\n");
  return 2;
}
