/* gst-omni benchmark: live streams per process, one shared model or one
 * model per element.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * bench-streams table [--seconds N] [--ns 1,2,4,6,8] [--sharing all,off]
 *   (a sharing may end in /R: OMNI_NN_SESSION_REPLICAS=R, e.g. all/1)
 *   N live 720p30 synthetic inputs (videotestsrc is-live pattern=ball: a
 *   moving ball, I420), each its own pipeline in one process:
 *     queue ! omnisampler (2 fps) ! omnivisionenc (default model) ! tee
 *       ! queue ! fakesink sync=true qos=true
 *       ! queue ! omnifusion.video
 *     audiotestsrc is-live ! omnirhythm ! omnifusion.audio
 *     omnifusion ! omnipublish method=mqtt qos=1 -> a private Mosquitto on
 *       a loopback port (started by the program)
 *   for each N and each sharing of the session cache (OMNI_NN_SESSION_CACHE:
 *   all = one loaded model and one Vulkan engine for the process (with
 *   OMNI_NN_SESSION_REPLICAS backend states, default 2), model =
 *   the loaded model shared but one engine per element, off = a model per
 *   element), each configuration in a fresh process. A stream is real time
 *   when its sink dropped no late frame, omnisampler skipped no sample for
 *   QoS, omnivisionenc sent no QoS event and the sink rendered >= 29.5 fps.
 *   Prints per configuration: fps and samples/s per stream, late frames,
 *   QoS-skipped samples, omnivisionenc QoS events, mean inference ms,
 *   events published, CPU, the RSS added by the pipelines and per stream,
 *   models loaded and engines prepared, and the load average (the machine
 *   is shared).
 *
 * bench-streams soak [--seconds N] [--n N] [--sample-s N]
 *   N (4) live synthetic streams, 320x240@15 with 2 fps sampling and the
 *   default model (shared), omnirhythm, omnifusion and omnipublish qos=1 to
 *   a private broker with a subscriber counting what arrives; prints the
 *   RSS every --sample-s (30) seconds and the least-squares slope after the
 *   first fifth of the run (warm-up) and over the second half. bench/soak.sh
 *   runs it at low priority for 30 minutes.
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
#include <omni/nn/omninnsession.h>

#include "../gst-tests/elements/mqttbroker.h"
#include "benchproc.h"

static gchar *
stream_pipeline (
    guint i, guint w, guint h, guint fps, guint port, gboolean with_sink)
{
  return g_strdup_printf (
      "videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,"
      "width=%u,height=%u,framerate=%u/1 ! queue max-size-buffers=8 ! "
      "omnisampler name=s interval=500000000 ! omnivisionenc name=v "
      "post-messages=false ! tee name=t %s t. ! queue ! f.video "
      "audiotestsrc is-live=true wave=sine ! audio/x-raw,rate=22050 ! "
      "omnirhythm ! f.audio omnifusion name=f ! application/x-omni-events ! "
      "omnipublish name=pub address=127.0.0.1:%u topic=bench/{stream} "
      "stream=s%u qos=1",
      w, h, fps,
      with_sink ? "! queue ! fakesink name=sink sync=true qos=true" : "", port,
      i);
}

/* ---- the table ---------------------------------------------------------- */

typedef struct {
  gdouble late, skipped, qos, sampled, frames, published, infer_ms;
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
    c->qos += sign * stat_of (p[i], "v", "qos-events");
    c->sampled += sign * stat_of (p[i], "s", "sampled");
    c->frames += sign * stat_of (p[i], "sink", "rendered");
    c->published += sign * stat_of (p[i], "pub", "published");
    if (sign > 0)
      c->infer_ms += stat_of (p[i], "v", "mean-ms") / n;
  }
}

/* One configuration of n streams, in this (fresh) process: a line of the
 * table. */
static int
table_one (guint n, guint port, guint seconds)
{
  GstElement **p = g_new0 (GstElement *, n);
  OmniNnSessionCacheStats cs;
  Counts c = { 0 };
  gdouble c0, wall, rss0 = rss_mib (), l0, rss;
  g_autofree gchar *sharing = g_strdup_printf ("%s/%u",
      GST_STR_NULL (g_getenv ("OMNI_NN_SESSION_CACHE")),
      omni_nn_session_get_max_replicas ());
  gboolean rt;
  gint64 w0;
  guint i;

  for (i = 0; i < n; i++) {
    g_autofree gchar *desc = stream_pipeline (i, 1280, 720, 30, port, TRUE);

    p[i] = launch (desc);
    gst_element_set_state (p[i], GST_STATE_PLAYING);
  }
  run_for (p, n, 8); /* models loaded, shaders built, warm */
  add_counts (p, n, &c, -1);
  c0 = cpu_s ();
  l0 = loadavg ();
  w0 = g_get_monotonic_time ();
  run_for (p, n, seconds);
  wall = (g_get_monotonic_time () - w0) / 1e6;
  add_counts (p, n, &c, 1);
  rss = rss_mib () - rss0;
  omni_nn_session_cache_get_stats (&cs);
  rt = c.late == 0 && c.skipped == 0 && c.qos == 0
       && c.frames / wall / n >= 29.5;
  printf ("| %s | %u | %.1f | %.2f | %.0f | %.0f | %.0f | %.0f | %.0f | "
          "%.0f %% | %.1f | %.1f | %u/%u/%u | %.1f–%.1f | %s |\n",
      sharing, n, c.frames / wall / n, c.sampled / wall / n, c.late, c.skipped,
      c.qos, c.infer_ms, c.published, 100.0 * (cpu_s () - c0) / wall, rss,
      rss / n, (guint) cs.n_loads, (guint) cs.n_prepares,
      (guint) cs.n_replica_prepares, l0, loadavg (),
      rt ? "real time" : "**not** real time");
  fflush (stdout);
  for (i = 0; i < n; i++) {
    gst_element_send_event (p[i], gst_event_new_eos ());
    gst_element_set_state (p[i], GST_STATE_NULL);
    gst_object_unref (p[i]);
  }
  g_free (p);
  return 0;
}

/* @sharing: all, model or off, optionally /R: R replicas per engine. */
static void
run_child (const gchar *const *argv, const gchar *sharing)
{
  pid_t child = fork ();
  int status;

  if (child == 0) {
    g_auto (GStrv) parts = g_strsplit (sharing, "/", 2);

    g_setenv ("OMNI_NN_SESSION_CACHE", parts[0], TRUE);
    if (parts[1])
      g_setenv ("OMNI_NN_SESSION_REPLICAS", parts[1], TRUE);
    execv ("/proc/self/exe", (gchar **) argv);
    _exit (127);
  }
  waitpid (child, &status, 0);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    printf ("| %s | %s | (failed: status %d) |\n", sharing, argv[3], status);
  fflush (stdout);
}

static int
bench_table (guint seconds, const gchar *ns, const gchar *sharings)
{
  g_auto (GStrv) nv = g_strsplit (ns, ",", -1);
  g_auto (GStrv) sv = g_strsplit (sharings, ",", -1);
  g_autofree gchar *secs = g_strdup_printf ("%u", seconds);
  MqttBroker *b = mqtt_broker_new (FALSE, "allow_anonymous true\n");
  g_autofree gchar *port = NULL;
  guint i, k;

  if (!mqtt_broker_start (b)) {
    g_printerr ("mosquitto did not start\n");
    return 2;
  }
  port = g_strdup_printf ("%u", b->port);
  printf ("N live 720p30 inputs, omnisampler 2 fps, omnivisionenc (default "
          "model), omnirhythm, omnifusion, omnipublish qos=1 to mosquitto on "
          "127.0.0.1:%u; %u s each after 8 s warm-up, each configuration in "
          "a fresh process\n\n",
      b->port, seconds);
  printf ("| sharing | N | fps / stream | samples / s / stream | late frames "
          "| QoS-skipped samples | visionenc QoS events | inference ms | "
          "events published | CPU | +RSS MiB | +RSS / stream | loads / "
          "engines / replicas | load | verdict |\n");
  printf ("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  fflush (stdout);
  for (i = 0; nv[i]; i++) {
    for (k = 0; sv[k]; k++) {
      const gchar *argv[] = { "bench-streams", "table-one", "--n", nv[i],
        "--port", port, "--seconds", secs, NULL };

      run_child (argv, sv[k]);
    }
  }
  mqtt_broker_free (b);
  return 0;
}

/* ---- the soak ------------------------------------------------------------ */

/* Least-squares slope (MiB/min) of r over t (s), samples from `from`. */
static gdouble
slope_of (GArray *t, GArray *r, guint from)
{
  gdouble sx = 0, sy = 0, sxx = 0, sxy = 0;
  guint k, n = 0;

  for (k = from; k < t->len; k++, n++) {
    gdouble x = g_array_index (t, gdouble, k) / 60.0;
    gdouble y = g_array_index (r, gdouble, k);

    sx += x, sy += y, sxx += x * x, sxy += x * y;
  }
  return n > 1 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0;
}

static int
bench_soak (guint n, guint seconds, guint sample_s)
{
  MqttBroker *b = mqtt_broker_new (FALSE, "allow_anonymous true\n");
  GstElement **p = g_new0 (GstElement *, n);
  GArray *t = g_array_new (FALSE, FALSE, sizeof (gdouble));
  GArray *r = g_array_new (FALSE, FALSE, sizeof (gdouble));
  OmniNnSessionCacheStats cs;
  gdouble rss0 = rss_mib ();
  MqttSub *sub;
  guint i, k;

  if (!mqtt_broker_start (b)) {
    g_printerr ("mosquitto did not start\n");
    return 2;
  }
  sub = mqtt_sub_new (b->port, "bench/#", "soak-sub", NULL, NULL);
  if (sub)
    mqtt_sub_set_keep (sub, FALSE);
  for (i = 0; i < n; i++) {
    g_autofree gchar *desc = stream_pipeline (i, 320, 240, 15, b->port, FALSE);

    p[i] = launch (desc);
    gst_element_set_state (p[i], GST_STATE_PLAYING);
  }
  printf ("%u live streams 320x240@15, 2 fps sampling, omnivisionenc "
          "(default model, OMNI_NN_SESSION_CACHE=%s), omnirhythm, omnifusion, "
          "omnipublish qos=1 -> mosquitto on 127.0.0.1:%u; %u s, RSS every "
          "%u s (after gst_init: %.1f MiB)\n",
      n, GST_STR_NULL (g_getenv ("OMNI_NN_SESSION_CACHE")), b->port, seconds,
      sample_s, rss0);
  printf ("  %-6s %8s %10s %10s %8s\n", "t (s)", "RSS MiB", "published",
      "inferences", "load");
  for (k = 0;; k++) {
    gdouble now = (gdouble) k * sample_s, rss = rss_mib (), pub = 0, inf = 0;

    for (i = 0; i < n; i++) {
      pub += stat_of (p[i], "pub", "published");
      inf += stat_of (p[i], "v", "frames");
    }
    printf (
        "  %-6.0f %8.1f %10.0f %10.0f %8.2f\n", now, rss, pub, inf, loadavg ());
    fflush (stdout);
    g_array_append_val (t, now);
    g_array_append_val (r, rss);
    if (now >= seconds)
      break;
    run_for (p, n, sample_s);
  }
  omni_nn_session_cache_get_stats (&cs);
  printf ("  models loaded %u, engines prepared %u\n", (guint) cs.n_loads,
      (guint) cs.n_prepares);
  printf ("  RSS slope after warm-up (t >= %u s): %+.3f MiB/min; over the "
          "second half: %+.3f MiB/min\n",
      (guint) g_array_index (t, gdouble, t->len / 5),
      slope_of (t, r, t->len / 5), slope_of (t, r, t->len / 2));
  for (i = 0; i < n; i++) {
    GstBus *bus = gst_element_get_bus (p[i]);
    GstMessage *m;

    gst_element_send_event (p[i], gst_event_new_eos ());
    m = gst_bus_timed_pop_filtered (
        bus, 20 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    if (m)
      gst_message_unref (m);
    gst_object_unref (bus);
    printf ("  stream %u: published %.0f, dropped %.0f, inferences %.0f, "
            "QoS-skipped samples %.0f\n",
        i, stat_of (p[i], "pub", "published"), stat_of (p[i], "pub", "dropped"),
        stat_of (p[i], "v", "frames"), stat_of (p[i], "s", "skipped-qos"));
    gst_element_set_state (p[i], GST_STATE_NULL);
    gst_object_unref (p[i]);
  }
  g_usleep (2000000);
  printf (
      "  subscriber received %u messages\n", sub ? mqtt_sub_count (sub) : 0);
  if (sub)
    mqtt_sub_free (sub);
  mqtt_broker_free (b);
  g_array_unref (t);
  g_array_unref (r);
  g_free (p);
  return 0;
}

int
main (int argc, char **argv)
{
  guint seconds = 0, n = 0, port = 0, sample_s = 30;
  const gchar *ns = "1,2,4,6,8", *sharings = "all,all/1,off";
  gint i;

  gst_init (&argc, &argv);
  for (i = 2; i + 1 < argc; i += 2) {
    if (!strcmp (argv[i], "--seconds"))
      seconds = atoi (argv[i + 1]);
    else if (!strcmp (argv[i], "--n"))
      n = atoi (argv[i + 1]);
    else if (!strcmp (argv[i], "--port"))
      port = atoi (argv[i + 1]);
    else if (!strcmp (argv[i], "--ns"))
      ns = argv[i + 1];
    else if (!strcmp (argv[i], "--sharing"))
      sharings = argv[i + 1];
    else if (!strcmp (argv[i], "--sample-s"))
      sample_s = MAX (1, atoi (argv[i + 1]));
  }
  if (argc > 1 && !strcmp (argv[1], "table"))
    return bench_table (seconds ? seconds : 20, ns, sharings);
  if (argc > 1 && !strcmp (argv[1], "table-one"))
    return table_one (MAX (n, 1), port, seconds ? seconds : 20);
  if (argc > 1 && !strcmp (argv[1], "soak"))
    return bench_soak (n ? n : 4, seconds ? seconds : 1800, sample_s);
  g_printerr ("usage: bench-streams table [--seconds N] [--ns 1,2,4] "
              "[--sharing all,model,off] | soak [--seconds N] [--n N] "
              "[--sample-s N]\n");
  return 2;
}
