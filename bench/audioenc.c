/* gst-omni benchmark: omniaudioenc's Vulkan log-mel front end against numpy/
 * scipy and sox's spectrogram, on the same audio, in the same run.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * usage: bench-audioenc [SECONDS] [STREAMS]   (defaults 60 s, 16 streams)
 *
 * The audio is SECONDS of 16 kHz mono speech (espeak-ng) and music
 * (fluidsynth), made by gst-tests/data/audioenc_media.py. Every contestant
 * computes omniaudioenc's default front end: n_fft 512 Hann, hop 160,
 * 64 Slaney mel bands, power_to_db with top_db 80, 0.96 s windows every
 * 0.48 s with their mean/std embedding (sox: its spectrogram effect, an
 * STFT of the same size and hop rendered to dB, which is as close as sox
 * gets). Printed: x-real-time (audio seconds per wall second) of
 *  - omni-lib: omni_mel_vk_process_stream on all windows, 32 per call;
 *  - omni-element: filesrc ! rawaudioparse ! omniaudioenc ! fakesink;
 *  - numpy: bench/audioenc_numpy.py (compute time only, imports excluded);
 *  - sox: sox FILE -n spectrogram (whole process);
 * for one stream and for STREAMS streams at once (omni: one OmniMelVk per
 * stream in its own thread, one shared device; peers: STREAMS processes),
 * and the ratios omni / peer. Each figure is given in wall-clock time and
 * in CPU time (audio seconds per CPU second, all threads), since the
 * machine may be shared with other work.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <omni/audio/omnimelvk.h>

#define RATE 16000

static gchar *srcdir;

/* CPU seconds used so far by this process (all threads: lavapipe's too)
 * or by its waited-for children. The machine may be shared, so the bench
 * prints audio seconds per CPU second next to the wall-clock figures. */
static double
cpu_seconds (int who)
{
  struct rusage r;

  getrusage (who, &r);
  return r.ru_utime.tv_sec + r.ru_utime.tv_usec * 1e-6 + r.ru_stime.tv_sec
         + r.ru_stime.tv_usec * 1e-6;
}

typedef struct {
  double wall, cpu;
} Timing;

typedef struct {
  OmniVkDevice *device;
  const gfloat *x;
  gsize n;
  gboolean ok;
  gchar *error;
} StreamJob;

static gchar *
find_srcdir (const gchar *argv0)
{
  const gchar *env = g_getenv ("OMNI_SOURCE_ROOT");
  gchar *dir, *cand;

  if (env)
    return g_strdup (env);
  /* bench/ in the source tree, next to this program's build dir */
  dir = g_path_get_dirname (argv0);
  cand = g_build_filename (dir, "..", "..", NULL);
  g_free (dir);
  return cand;
}

static gboolean
run_cmd (const gchar *const *argv, gchar **out)
{
  gint status;
  GError *err = NULL;
  gchar *errout = NULL;

  if (!g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
          NULL, out, &errout, &status, &err)
      || !g_spawn_check_wait_status (status, NULL)) {
    g_printerr ("%s failed: %s %s\n", argv[0], err ? err->message : "",
        errout ? errout : "");
    g_clear_error (&err);
    g_free (errout);
    return FALSE;
  }
  g_free (errout);
  return TRUE;
}

static gboolean
omni_stream (OmniVkDevice *dev, const gfloat *x, gsize n, gchar **error)
{
  OmniLogMelParams p;
  OmniMelVk *mv;
  GError *err = NULL;
  guint win = (guint) (0.96 * RATE), hop = (guint) (0.48 * RATE);
  guint nw = (guint) ((n - win) / hop + 1), i, F, C;
  gsize *off = g_new (gsize, nw);
  gfloat *feat, *emb;
  gboolean ok;

  omni_logmel_params_init (&p, RATE);
  mv = omni_mel_vk_new (dev, &p, win, hop, 32, &err);
  if (!mv) {
    *error = g_strdup (err->message);
    g_error_free (err);
    g_free (off);
    return FALSE;
  }
  F = omni_mel_vk_get_n_frames (mv);
  C = omni_mel_vk_get_n_features (mv);
  for (i = 0; i < nw; i++)
    off[i] = (gsize) i * hop;
  feat = g_new (gfloat, (gsize) 32 * F * C);
  emb = g_new (gfloat, (gsize) 32 * 2 * C);
  ok = TRUE;
  for (i = 0; i < nw && ok; i += 32)
    ok = omni_mel_vk_process_stream (
        mv, x, n, 0, off + i, MIN (32, nw - i), feat, NULL, emb, &err);
  if (!ok) {
    *error = g_strdup (err->message);
    g_error_free (err);
  }
  omni_mel_vk_free (mv);
  g_free (feat);
  g_free (emb);
  g_free (off);
  return ok;
}

static gpointer
stream_thread (gpointer data)
{
  StreamJob *job = data;

  job->ok = omni_stream (job->device, job->x, job->n, &job->error);
  return NULL;
}

/* Wall and CPU seconds for @streams concurrent streams; < 0 on failure. */
static Timing
time_omni_lib (OmniVkDevice *dev, const gfloat *x, gsize n, guint streams)
{
  Timing t = { -1.0, -1.0 };
  double c0 = cpu_seconds (RUSAGE_SELF);
  StreamJob *jobs = g_new0 (StreamJob, streams);
  GThread **th = g_new0 (GThread *, streams);
  gint64 t0, t1;
  guint i;
  gboolean ok = TRUE;

  t0 = g_get_monotonic_time ();
  for (i = 0; i < streams; i++) {
    jobs[i].device = dev;
    jobs[i].x = x;
    jobs[i].n = n;
    th[i] = g_thread_new ("stream", stream_thread, &jobs[i]);
  }
  for (i = 0; i < streams; i++) {
    g_thread_join (th[i]);
    if (!jobs[i].ok) {
      g_printerr ("omni stream %u: %s\n", i, jobs[i].error);
      ok = FALSE;
    }
    g_free (jobs[i].error);
  }
  t1 = g_get_monotonic_time ();
  g_free (jobs);
  g_free (th);
  if (ok) {
    t.wall = (t1 - t0) / 1e6;
    t.cpu = cpu_seconds (RUSAGE_SELF) - c0;
  }
  return t;
}

/* omniaudioenc in @streams parallel pipelines (one GstPipeline each, all
 * running at once). Returns wall seconds, < 0 when the element is missing
 * or fails. */
static Timing
time_omni_element (const gchar *f32, guint streams)
{
  Timing t = { -1.0, -1.0 };
  double c0 = cpu_seconds (RUSAGE_SELF);
  GstElement **pipes = g_new0 (GstElement *, streams);
  gint64 t0, t1;
  guint i, done = 0;
  gboolean ok = TRUE;

  GstPluginFeature *f
      = gst_registry_lookup_feature (gst_registry_get (), "omniaudioenc");

  if (!f) {
    g_printerr ("omniaudioenc not found: set GST_PLUGIN_PATH_1_0 to the "
                "build's plugins/omni\n");
    g_free (pipes);
    return t;
  }
  gst_object_unref (f);
  for (i = 0; i < streams && ok; i++) {
    gchar *desc = g_strdup_printf (
        "filesrc location=\"%s\" blocksize=64000 ! rawaudioparse "
        "use-sink-caps=false format=pcm pcm-format=f32le sample-rate=%d "
        "num-channels=1 ! omniaudioenc batch-size=32 post-messages=false ! "
        "fakesink sync=false",
        f32, RATE);
    GError *err = NULL;
    pipes[i] = gst_parse_launch (desc, &err);
    if (!pipes[i]) {
      g_printerr ("%s: %s\n", desc, err ? err->message : "");
      g_clear_error (&err);
      ok = FALSE;
    }
    g_free (desc);
  }
  if (ok)
    for (i = 0; i < streams; i++)
      gst_element_set_state (pipes[i], GST_STATE_PAUSED);
  if (ok)
    for (i = 0; i < streams; i++)
      if (gst_element_get_state (pipes[i], NULL, NULL, GST_CLOCK_TIME_NONE)
          == GST_STATE_CHANGE_FAILURE)
        ok = FALSE;
  t0 = g_get_monotonic_time ();
  if (ok)
    for (i = 0; i < streams; i++)
      gst_element_set_state (pipes[i], GST_STATE_PLAYING);
  while (ok && done < streams) {
    for (i = 0; i < streams && ok; i++) {
      GstBus *bus;
      GstMessage *msg;
      if (!pipes[i])
        continue;
      bus = gst_element_get_bus (pipes[i]);
      msg = gst_bus_timed_pop_filtered (
          bus, 0, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
      gst_object_unref (bus);
      if (!msg)
        continue;
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
        GError *err;
        gst_message_parse_error (msg, &err, NULL);
        g_printerr ("omniaudioenc pipeline: %s\n", err->message);
        g_error_free (err);
        ok = FALSE;
      }
      gst_message_unref (msg);
      gst_element_set_state (pipes[i], GST_STATE_NULL);
      gst_object_unref (pipes[i]);
      pipes[i] = NULL;
      done++;
    }
    if (done < streams)
      g_usleep (200);
  }
  t1 = g_get_monotonic_time ();
  for (i = 0; i < streams; i++)
    if (pipes[i]) {
      gst_element_set_state (pipes[i], GST_STATE_NULL);
      gst_object_unref (pipes[i]);
    }
  g_free (pipes);
  if (ok) {
    t.wall = (t1 - t0) / 1e6;
    t.cpu = cpu_seconds (RUSAGE_SELF) - c0;
  }
  return t;
}

/* numpy: the slowest stream's compute time of @streams processes started
 * together (wall time of the whole run minus nothing: each reports its own
 * compute time, and the streams overlap, so the wall span of the
 * computations is bounded by the largest). */
static Timing
time_numpy (const gchar *f32, guint streams)
{
  Timing t = { -1.0, -1.0 };
  double cpu = 0.0;
  gchar *script = g_build_filename (srcdir, "bench", "audioenc_numpy.py", NULL);
  gchar *rate = g_strdup_printf ("%d", RATE);
  const gchar *argv[] = { "/usr/bin/python3", script, f32, rate, NULL };
  GPid *pids = g_new0 (GPid, streams);
  gint *outs = g_new0 (gint, streams);
  double worst = 0.0;
  guint i;
  gboolean ok = TRUE;

  for (i = 0; i < streams && ok; i++) {
    GError *err = NULL;
    ok = g_spawn_async_with_pipes (NULL, (gchar **) argv, NULL,
        G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pids[i], NULL, &outs[i], NULL,
        &err);
    if (!ok) {
      g_printerr ("numpy: %s\n", err->message);
      g_error_free (err);
    }
  }
  for (i = 0; i < streams; i++) {
    gchar buf[4096];
    gssize len;
    gint status;
    double s;
    const gchar *at;

    if (!pids[i])
      continue;
    len = 0;
    while (len < (gssize) sizeof (buf) - 1) {
      gssize r = read (outs[i], buf + len, sizeof (buf) - 1 - len);
      if (r <= 0)
        break;
      len += r;
    }
    close (outs[i]);
    waitpid (pids[i], &status, 0);
    g_spawn_close_pid (pids[i]);
    buf[MAX (len, 0)] = 0;
    at = strstr (buf, "seconds ");
    if (!at || !g_spawn_check_wait_status (status, NULL)) {
      g_printerr ("numpy peer failed: %s\n", buf);
      ok = FALSE;
      continue;
    }
    s = g_ascii_strtod (at + 8, NULL);
    worst = MAX (worst, s);
    at = strstr (buf, "cpu ");
    if (at)
      cpu += g_ascii_strtod (at + 4, NULL);
  }
  g_free (pids);
  g_free (outs);
  g_free (script);
  g_free (rate);
  if (ok) {
    t.wall = worst;
    t.cpu = cpu;
  }
  return t;
}

/* sox's spectrogram over the same audio: n_fft 512 (-y 257 rows), 100
 * columns per second (hop 160 at 16 kHz), Hann window, to a PNG. */
static Timing
time_sox (const gchar *wav, const gchar *dir, guint streams)
{
  Timing t = { -1.0, -1.0 };
  double c0 = cpu_seconds (RUSAGE_CHILDREN);
  GPid *pids = g_new0 (GPid, streams);
  gint64 t0, t1;
  guint i;
  gboolean ok = TRUE;

  t0 = g_get_monotonic_time ();
  for (i = 0; i < streams && ok; i++) {
    gchar *png = g_strdup_printf ("%s/sox%u.png", dir, i);
    const gchar *argv[] = { "sox", wav, "-n", "spectrogram", "-y", "257", "-X",
      "100", "-w", "Hann", "-o", png, NULL };
    GError *err = NULL;
    ok = g_spawn_async (NULL, (gchar **) argv, NULL,
        G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pids[i],
        &err);
    if (!ok) {
      g_printerr ("sox: %s\n", err->message);
      g_error_free (err);
    }
    g_free (png);
  }
  for (i = 0; i < streams; i++) {
    gint status;
    gchar *png = g_strdup_printf ("%s/sox%u.png", dir, i);
    if (pids[i]) {
      waitpid (pids[i], &status, 0);
      g_spawn_close_pid (pids[i]);
      if (!g_spawn_check_wait_status (status, NULL))
        ok = FALSE;
    }
    g_unlink (png);
    g_free (png);
  }
  t1 = g_get_monotonic_time ();
  g_free (pids);
  if (ok) {
    t.wall = (t1 - t0) / 1e6;
    t.cpu = cpu_seconds (RUSAGE_CHILDREN) - c0;
  }
  return t;
}

static void
row (const gchar *name, guint streams, double audio_s, Timing t, Timing omni)
{
  if (t.wall <= 0) {
    g_print ("%-14s %3u stream(s): not measured\n", name, streams);
    return;
  }
  g_print ("%-14s %3u stream(s): wall %8.3f s %8.1f x real time | cpu %8.3f "
           "s %8.1f x real time per cpu-second",
      name, streams, t.wall, streams * audio_s / t.wall, t.cpu,
      t.cpu > 0 ? streams * audio_s / t.cpu : 0.0);
  if (omni.wall > 0 && omni.wall != t.wall)
    g_print ("  | omni-lib %.2fx (wall) %.2fx (cpu)", t.wall / omni.wall,
        omni.cpu > 0 ? t.cpu / omni.cpu : 0.0);
  g_print ("\n");
}

int
main (int argc, char **argv)
{
  double seconds = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 60.0;
  guint streams = argc > 2 ? (guint) atoi (argv[2]) : 16;
  GError *err = NULL;
  gchar *dir, *script, *secs, *speech, *music, *mix, *wav, *data1, *data2;
  gsize n1, n2, n, i;
  gfloat *x;
  OmniVkDevice *dev;
  Timing lib1, libn, el1, eln, np1, npn, sox1, soxn;

  gst_init (&argc, &argv);
  srcdir = find_srcdir (argv[0]);
  dir = g_dir_make_tmp ("bench-audioenc-XXXXXX", &err);
  script = g_build_filename (
      srcdir, "gst-tests", "data", "audioenc_media.py", NULL);
  secs = g_strdup_printf ("%g", seconds / 2);
  {
    const gchar *a[] = { "/usr/bin/python3", script, dir, "16000", secs, NULL };
    if (!run_cmd (a, NULL))
      return 1;
  }
  speech = g_build_filename (dir, "speech.f32", NULL);
  music = g_build_filename (dir, "music.f32", NULL);
  mix = g_build_filename (dir, "mix.f32", NULL);
  wav = g_build_filename (dir, "mix.wav", NULL);
  if (!g_file_get_contents (speech, &data1, &n1, NULL)
      || !g_file_get_contents (music, &data2, &n2, NULL))
    return 1;
  n = (n1 + n2) / sizeof (gfloat);
  x = g_new (gfloat, n);
  memcpy (x, data1, n1);
  memcpy ((gchar *) x + n1, data2, n2);
  g_file_set_contents (mix, (const gchar *) x, n * sizeof (gfloat), NULL);
  {
    const gchar *a[] = { "sox", "-t", "raw", "-e", "floating-point", "-b", "32",
      "-c", "1", "-r", "16000", mix, wav, NULL };
    if (!run_cmd (a, NULL))
      return 1;
  }
  seconds = (double) n / RATE;

  dev = omni_vk_device_get (NULL, &err);
  if (!dev) {
    g_printerr ("no Vulkan device: %s\n", err->message);
    return 1;
  }
  g_print ("audio: %.1f s of 16 kHz speech + music; device: %s; %u cores\n",
      seconds, omni_vk_device_get_name (dev), g_get_num_processors ());
  g_print ("front end: n_fft 512, hop 160, 64 mels, dB top_db 80, 0.96 s "
           "windows every 0.48 s\n\n");

  /* warm-up: pipeline compilation, caches */
  time_omni_lib (dev, x, MIN (n, (gsize) 3 * RATE), 1);

  lib1 = time_omni_lib (dev, x, n, 1);
  libn = time_omni_lib (dev, x, n, streams);
  el1 = time_omni_element (mix, 1);
  eln = time_omni_element (mix, streams);
  np1 = time_numpy (mix, 1);
  npn = time_numpy (mix, streams);
  sox1 = time_sox (wav, dir, 1);
  soxn = time_sox (wav, dir, streams);

  row ("omni-lib", 1, seconds, lib1, lib1);
  row ("omni-element", 1, seconds, el1, lib1);
  row ("numpy/scipy", 1, seconds, np1, lib1);
  row ("sox", 1, seconds, sox1, lib1);
  row ("omni-lib", streams, seconds, libn, libn);
  row ("omni-element", streams, seconds, eln, libn);
  row ("numpy/scipy", streams, seconds, npn, libn);
  row ("sox", streams, seconds, soxn, libn);
  g_print ("\nratios omni-lib / peer, wall (cpu): 1 stream: numpy %.2f "
           "(%.2f), sox %.2f (%.2f); %u streams: numpy %.2f (%.2f), sox %.2f "
           "(%.2f)\n",
      np1.wall / lib1.wall, np1.cpu / lib1.cpu, sox1.wall / lib1.wall,
      sox1.cpu / lib1.cpu, streams, npn.wall / libn.wall, npn.cpu / libn.cpu,
      soxn.wall / libn.wall, soxn.cpu / libn.cpu);

  gst_object_unref (dev);
  for (i = 0; i < 6; i++) {
    const gchar *names[] = { "speech.f32", "music.f32", "mix.f32", "mix.wav",
      "speech.wav", "music.wav" };
    gchar *f = g_build_filename (dir, names[i], NULL);
    g_unlink (f);
    g_free (f);
  }
  {
    gchar *f = g_build_filename (dir, "music.mid", NULL);
    g_unlink (f);
    g_free (f);
  }
  g_rmdir (dir);
  g_free (data1);
  g_free (data2);
  g_free (x);
  g_free (speech);
  g_free (music);
  g_free (mix);
  g_free (wav);
  g_free (secs);
  g_free (script);
  g_free (dir);
  g_free (srcdir);
  return 0;
}
