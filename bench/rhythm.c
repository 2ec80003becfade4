/* gst-omni benchmark: omnirhythm against GStreamer's bpmdetect and aubio's
 * `aubio beat`, on the same file in the same run.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: bench-rhythm [minutes] [trackers]   (default 10, select,score; trackers
 * is omnirhythm's tracker property, or several separated by commas, e.g.
 * "score,select": each is then a candidate of its own, measured in the same
 * run, their runs interleaved so that a change of load hits them alike)
 *
 * The input is MINUTES of 44.1 kHz stereo music rendered once (with
 * gst-tests/data/rhythm_corpus.py --long and fluidsynth) into
 * $XDG_CACHE_HOME/gst-omni/ and reused. Each candidate runs three times;
 * the best run counts:
 *
 *   baseline    filesrc ! wavparse ! fakesink
 *   omnirhythm  filesrc ! wavparse ! omnirhythm tracker=T ! fakesink (each T)
 *   bpmdetect   filesrc ! wavparse ! audioconvert ! bpmdetect ! fakesink
 *   aubio beat  aubio beat -i FILE   (a child process)
 *
 * The GStreamer pipelines have no queue, so all their work runs in one
 * streaming thread, on one core: their cost is the CPU time of this process
 * during the run (user + system, from getrusage), aubio's that of the
 * child. "x real time" is the audio duration over that CPU time; "net"
 * leaves out the baseline (reading and parsing the file).
 *
 * A last run (with the first tracker) measures what a live user sees, with 10 ms buffers
 * (audiobuffersplit): the stream time at which the first beat message is
 * posted, and how far behind its beat each beat message is posted (the
 * stream time that had reached omnirhythm when the message was posted,
 * minus the beat's timestamp). Beat F-measure against the beats of the
 * MIDI file (mir_eval: +-70 ms, beats before 5 s ignored) is printed for
 * omnirhythm and aubio as a sanity check.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUNS 3

static gdouble
cpu_now (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec
         + ru.ru_stime.tv_usec / 1e6;
}

static gboolean
run_cmd (gchar **argv, gchar **out)
{
  gint status;
  GError *err = NULL;

  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out,
          NULL, &status, &err)) {
    g_printerr ("bench-rhythm: cannot run %s: %s\n", argv[0], err->message);
    g_error_free (err);
    return FALSE;
  }
  return g_spawn_check_wait_status (status, NULL);
}

/* renders the benchmark file once; returns its path */
static gchar *
prepare_input (gint minutes)
{
  gchar *dir = g_build_filename (g_get_user_cache_dir (), "gst-omni", NULL);
  gchar *name = g_strdup_printf ("rhythm-bench-%dmin", minutes);
  gchar *wav_name = g_strconcat (name, ".wav", NULL);
  gchar *wav = g_build_filename (dir, wav_name, NULL);
  gchar *gen_dir = g_build_filename (dir, name, NULL);

  if (!g_file_test (wav, G_FILE_TEST_EXISTS)) {
    gchar *script = g_build_filename (
        OMNI_SOURCE_DIR, "gst-tests", "data", "rhythm_corpus.py", NULL);
    gchar *secs = g_strdup_printf ("%d", minutes * 60);
    gchar *mid = g_build_filename (gen_dir, "long.mid", NULL);
    gchar *tmp = g_strconcat (wav, ".part", NULL);
    gchar *gen[] = { (gchar *) "python3", script, gen_dir, (gchar *) "--long",
      secs, NULL };
    gchar *render[] = { (gchar *) "fluidsynth", (gchar *) "-ni", (gchar *) "-q",
      (gchar *) "-g", (gchar *) "0.5", (gchar *) "-o",
      (gchar *) "synth.dynamic-sample-loading=1", (gchar *) "-r",
      (gchar *) "44100", (gchar *) "-F", tmp,
      (gchar *) "/usr/share/sounds/sf2/FluidR3_GM.sf2", mid, NULL };

    g_mkdir_with_parents (gen_dir, 0755);
    g_print ("rendering %d minutes of music into %s (once)...\n", minutes, wav);
    if (!run_cmd (gen, NULL) || !run_cmd (render, NULL)
        || g_rename (tmp, wav) != 0) {
      g_printerr ("bench-rhythm: cannot make %s (python3, fluidsynth and "
                  "fluid-soundfont-gm are needed: scripts/setup)\n",
          wav);
      exit (1);
    }
    g_free (script);
    g_free (secs);
    g_free (mid);
    g_free (tmp);
  }
  g_free (dir);
  g_free (name);
  g_free (wav_name);
  g_free (gen_dir);
  return wav;
}

typedef struct {
  GArray *beats;         /* timestamps, s */
  GArray *delays;        /* s */
  gdouble first_beat_at; /* stream time when the first beat was posted */
  GstClockTime reached;  /* end of the last buffer that entered omnirhythm */
  GArray *bpm_tags;
} Watch;

static GstPadProbeReturn
track_position (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  Watch *w = data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);

  if (GST_BUFFER_PTS_IS_VALID (buf) && GST_BUFFER_DURATION_IS_VALID (buf))
    w->reached = GST_BUFFER_PTS (buf) + GST_BUFFER_DURATION (buf);
  return GST_PAD_PROBE_OK;
}

/* runs in the streaming thread, right when omnirhythm posts */
static GstBusSyncReply
on_message (GstBus *bus, GstMessage *msg, gpointer data)
{
  Watch *w = data;
  const GstStructure *s = gst_message_get_structure (msg);
  guint64 ts;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT
      && gst_structure_has_name (s, "omnirhythm-beat")
      && gst_structure_get_uint64 (s, "timestamp", &ts)) {
    gdouble t = ts / 1e9, now = w->reached / 1e9, d = now - t;
    g_array_append_val (w->beats, t);
    g_array_append_val (w->delays, d);
    if (w->first_beat_at < 0.0)
      w->first_beat_at = now;
  } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_TAG) {
    GstTagList *tags;
    gdouble bpm;
    gst_message_parse_tag (msg, &tags);
    if (gst_tag_list_get_double (tags, GST_TAG_BEATS_PER_MINUTE, &bpm))
      g_array_append_val (w->bpm_tags, bpm);
    gst_tag_list_unref (tags);
  }
  return GST_BUS_PASS;
}

/* runs @desc to EOS; returns the CPU seconds it took (and @wall) */
static gdouble
run_pipeline (const gchar *desc, gdouble *wall, Watch *w)
{
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch (desc, &err);
  GstBus *bus;
  GstMessage *msg;
  gdouble c0, c1;
  gint64 t0;

  if (!pipe) {
    g_printerr ("bench-rhythm: %s: %s\n", desc, err->message);
    exit (1);
  }
  bus = gst_element_get_bus (pipe);
  if (w) {
    GstElement *r = gst_bin_get_by_name (GST_BIN (pipe), "r");
    if (r) {
      GstPad *pad = gst_element_get_static_pad (r, "sink");
      gst_pad_add_probe (
          pad, GST_PAD_PROBE_TYPE_BUFFER, track_position, w, NULL);
      gst_object_unref (pad);
      gst_object_unref (r);
    }
    gst_bus_set_sync_handler (bus, on_message, w, NULL);
  }
  t0 = g_get_monotonic_time ();
  c0 = cpu_now ();
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (
      bus, GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  c1 = cpu_now ();
  *wall = (g_get_monotonic_time () - t0) / 1e6;
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *e;
    gst_message_parse_error (msg, &e, NULL);
    g_printerr ("bench-rhythm: %s: %s\n", desc, e->message);
    exit (1);
  }
  gst_message_unref (msg);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  gst_object_unref (bus);
  gst_object_unref (pipe);
  return c1 - c0;
}

static gdouble
run_aubio (const gchar *wav, gdouble *wall, GArray *beats)
{
  gchar *out = NULL;
  gchar *argv[] = { (gchar *) "aubio", (gchar *) "beat", (gchar *) "-i",
    (gchar *) wav, NULL };
  GPid pid;
  gint fd, status;
  struct rusage ru;
  gint64 t0 = g_get_monotonic_time ();
  GString *text = g_string_new (NULL);
  gchar buf[4096];
  gssize n;
  gchar **lines;
  guint i;

  if (!g_spawn_async_with_pipes (NULL, argv, NULL,
          G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
          NULL, &fd, NULL, NULL)) {
    g_printerr ("bench-rhythm: cannot run aubio (aubio-tools)\n");
    exit (1);
  }
  while ((n = read (fd, buf, sizeof (buf))) > 0)
    g_string_append_len (text, buf, n);
  close (fd);
  wait4 (pid, &status, 0, &ru);
  g_spawn_close_pid (pid);
  *wall = (g_get_monotonic_time () - t0) / 1e6;
  out = g_string_free (text, FALSE);
  lines = g_strsplit (out, "\n", -1);
  for (i = 0; beats && lines[i]; i++) {
    gchar *end;
    gdouble t = g_ascii_strtod (lines[i], &end);
    if (end != lines[i])
      g_array_append_val (beats, t);
  }
  g_strfreev (lines);
  g_free (out);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec
         + ru.ru_stime.tv_usec / 1e6;
}

static gdouble
f_measure (GArray *ref, GArray *est)
{
  guint i = 0, j = 0, hits = 0, nr = 0, ne = 0, k;

  for (k = 0; k < ref->len; k++)
    nr += g_array_index (ref, gdouble, k) >= 5.0;
  for (k = 0; k < est->len; k++)
    ne += g_array_index (est, gdouble, k) >= 5.0;
  while (i < ref->len && g_array_index (ref, gdouble, i) < 5.0)
    i++;
  while (j < est->len && g_array_index (est, gdouble, j) < 5.0)
    j++;
  while (i < ref->len && j < est->len) {
    gdouble r = g_array_index (ref, gdouble, i),
            e = g_array_index (est, gdouble, j);
    if (fabs (r - e) <= 0.07) {
      hits++;
      i++;
      j++;
    } else if (e < r) {
      j++;
    } else {
      i++;
    }
  }
  if (!hits)
    return 0.0;
  return 2.0 * hits / (nr + ne);
}

static GArray *
load_ref (gint minutes)
{
  gchar *name = g_strdup_printf ("rhythm-bench-%dmin", minutes);
  gchar *path = g_build_filename (
      g_get_user_cache_dir (), "gst-omni", name, "long.beats", NULL);
  GArray *a = g_array_new (FALSE, FALSE, sizeof (gdouble));
  gchar *text = NULL, **lines;
  guint i;

  if (g_file_get_contents (path, &text, NULL, NULL)) {
    lines = g_strsplit (text, "\n", -1);
    for (i = 0; lines[i]; i++) {
      gchar *end;
      gdouble t = g_ascii_strtod (lines[i], &end);
      if (end != lines[i])
        g_array_append_val (a, t);
    }
    g_strfreev (lines);
  }
  g_free (text);
  g_free (path);
  g_free (name);
  return a;
}

static gint
cmp_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;
  return x < y ? -1 : x > y;
}

/* the CPU time of candidate @k's best run into cpu[k] (baseline, each
 * tracker, bpmdetect, aubio), the runs of every candidate interleaved */
static void
measure (
    gchar **desc, guint n_pipes, const gchar *wav, gdouble *cpu, gdouble *wall)
{
  gdouble c, wl;
  guint k, r;

  for (k = 0; k <= n_pipes; k++)
    cpu[k] = wall[k] = G_MAXDOUBLE;
  for (r = 0; r < RUNS; r++) {
    for (k = 0; k <= n_pipes; k++) {
      c = k < n_pipes ? run_pipeline (desc[k], &wl, NULL)
                      : run_aubio (wav, &wl, NULL);
      cpu[k] = MIN (cpu[k], c);
      wall[k] = MIN (wall[k], wl);
    }
  }
}

static void
print_speed (gchar **trackers, guint n_tr, gdouble secs, const gdouble *cpu,
    const gdouble *wall)
{
  guint k, n_pipes = n_tr + 2;

  g_print ("%-42s %9s %9s %12s %12s\n", "", "CPU s", "wall s", "x real time",
      "net x rt");
  for (k = 0; k <= n_pipes; k++) {
    gboolean net_of_base = k > 0 && k < n_pipes;
    gdouble net = net_of_base ? cpu[k] - cpu[0] : cpu[k];
    gchar col[32] = "", *name;
    if (k == 0)
      name = g_strdup ("baseline (filesrc ! wavparse ! fakesink)");
    else if (k <= n_tr)
      name = g_strdup_printf ("omnirhythm tracker=%s", trackers[k - 1]);
    else if (k == n_tr + 1)
      name = g_strdup ("bpmdetect (+ audioconvert)");
    else
      name = g_strdup ("aubio beat");
    if (k > 0)
      g_snprintf (col, sizeof (col), "%.0f", secs / MAX (net, 1e-6));
    g_print ("%-42s %9.3f %9.3f %12.0f %12s\n", name, cpu[k], wall[k],
        secs / cpu[k], col);
    g_free (name);
  }
  for (k = 1; k <= n_tr; k++)
    g_print ("omnirhythm tracker=%s is %.2fx the speed of bpmdetect and %.2fx "
             "the speed of aubio beat (pipelines); net of the baseline %.2fx "
             "and %.2fx\n",
        trackers[k - 1], cpu[n_tr + 1] / cpu[k], cpu[n_tr + 2] / cpu[k],
        (cpu[n_tr + 1] - cpu[0]) / (cpu[k] - cpu[0]),
        cpu[n_tr + 2] / (cpu[k] - cpu[0]));
}

int
main (int argc, char **argv)
{
  gint minutes = argc > 1 ? atoi (argv[1]) : 10;
  gchar **trackers = g_strsplit (argc > 2 ? argv[2] : "select,score", ",", -1);
  const gchar *tracker = trackers[0];
  guint n_tr = g_strv_length (trackers), n_pipes = n_tr + 2, k;
  gchar *wav, *loc, **desc;
  gdouble secs, *cpu, *wall, wl;
  Watch w;
  GArray *ref, *abeats;

  gst_init (&argc, &argv);
  gst_registry_scan_path (gst_registry_get (), OMNI_BUILD_PLUGINDIR);
  if (minutes < 1)
    minutes = 10;
  if (n_tr == 0) {
    g_printerr ("bench-rhythm: no tracker\n");
    return 1;
  }
  wav = prepare_input (minutes);
  loc = g_strescape (wav, NULL);
  {
    /* the duration, from the file size (16-bit stereo, 44-byte header) */
    GStatBuf st;
    g_stat (wav, &st);
    secs = (st.st_size - 44) / (44100.0 * 4.0);
  }
  /* baseline, each tracker, bpmdetect */
  desc = g_new0 (gchar *, n_pipes + 1);
  desc[0]
      = g_strdup_printf ("filesrc location=\"%s\" ! wavparse ! fakesink", loc);
  for (k = 0; k < n_tr; k++)
    desc[k + 1] = g_strdup_printf ("filesrc location=\"%s\" ! wavparse ! "
                                   "omnirhythm name=r tracker=%s ! fakesink",
        loc, trackers[k]);
  desc[n_tr + 1] = g_strdup_printf ("filesrc location=\"%s\" ! wavparse ! "
                                    "audioconvert ! bpmdetect ! fakesink",
      loc);
  cpu = g_new (gdouble, n_pipes + 1);
  wall = g_new (gdouble, n_pipes + 1);

  g_print ("bench-rhythm: %.1f s of 44.1 kHz stereo, best of %d runs "
           "(interleaved), CPU time on one core\n",
      secs, RUNS);
  measure (desc, n_pipes, wav, cpu, wall);
  print_speed (trackers, n_tr, secs, cpu, wall);

  /* live view: 10 ms buffers */
  w.beats = g_array_new (FALSE, FALSE, sizeof (gdouble));
  w.delays = g_array_new (FALSE, FALSE, sizeof (gdouble));
  w.bpm_tags = g_array_new (FALSE, FALSE, sizeof (gdouble));
  w.first_beat_at = -1.0;
  w.reached = 0;
  {
    gchar *live = g_strdup_printf ("filesrc location=\"%s\" ! wavparse ! "
                                   "audiobuffersplit "
                                   "output-buffer-duration=1/100 ! "
                                   "omnirhythm name=r tracker=%s ! fakesink",
        loc, tracker);
    gdouble mean = 0.0, p95;
    guint i;
    run_pipeline (live, &wl, &w);
    for (i = 0; i < w.delays->len; i++)
      mean += g_array_index (w.delays, gdouble, i);
    mean /= MAX (1, w.delays->len);
    g_array_sort (w.delays, cmp_double);
    p95 = w.delays->len
              ? g_array_index (w.delays, gdouble, (w.delays->len * 95) / 100)
              : 0.0;
    g_print ("omnirhythm with 10 ms buffers: first beat message after %.2f s "
             "of audio; beat messages %.1f ms after the beat on average, "
             "95 %% within %.1f ms, at most %.1f ms\n",
        w.first_beat_at, mean * 1e3, p95 * 1e3,
        w.delays->len
            ? g_array_index (w.delays, gdouble, w.delays->len - 1) * 1e3
            : 0.0);
    g_free (live);
  }
  ref = load_ref (minutes);
  abeats = g_array_new (FALSE, FALSE, sizeof (gdouble));
  run_aubio (wav, &wl, abeats);
  if (ref->len)
    g_print ("beat F-measure on this file: omnirhythm %.3f, aubio %.3f\n",
        f_measure (ref, w.beats), f_measure (ref, abeats));
  {
    /* bpmdetect's answers over the file */
    Watch bw;
    guint i, changes = 0;
    bw.beats = g_array_new (FALSE, FALSE, sizeof (gdouble));
    bw.delays = g_array_new (FALSE, FALSE, sizeof (gdouble));
    bw.bpm_tags = g_array_new (FALSE, FALSE, sizeof (gdouble));
    bw.first_beat_at = -1.0;
    bw.reached = 0;
    run_pipeline (desc[n_tr + 1], &wl, &bw);
    for (i = 1; i < bw.bpm_tags->len; i++)
      changes += fabs (g_array_index (bw.bpm_tags, gdouble, i)
                       - g_array_index (bw.bpm_tags, gdouble, i - 1))
                 > 1.0;
    g_print ("bpmdetect posted %u BPM tags (changing by more than 1 BPM %u "
             "times), the last %.1f; no beats, onsets or confidence\n",
        bw.bpm_tags->len, changes,
        bw.bpm_tags->len
            ? g_array_index (bw.bpm_tags, gdouble, bw.bpm_tags->len - 1)
            : 0.0);
    g_array_unref (bw.beats);
    g_array_unref (bw.delays);
    g_array_unref (bw.bpm_tags);
  }

  g_array_unref (ref);
  g_array_unref (abeats);
  g_array_unref (w.beats);
  g_array_unref (w.delays);
  g_array_unref (w.bpm_tags);
  g_strfreev (desc);
  g_strfreev (trackers);
  g_free (cpu);
  g_free (wall);
  g_free (loc);
  g_free (wav);
  return 0;
}
