/* gst-omni: accuracy of omnirhythm against ground truth, compared with aubio
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The corpus is made in the test: gst-tests/data/rhythm_corpus.py writes
 * MIDI files (click tracks and band arrangements at 60-190 BPM, 4/4 and
 * 3/4, swing, a tempo ramp, sparse and dense drums, solo piano) and their
 * beats and onsets, known from the notes; fluidsynth renders them with the
 * FluidR3 General MIDI soundfont at 22.05 or 44.1 kHz. Each file then goes
 * through `filesrc ! wavparse ! audioconvert ! omnirhythm ! fakesink` and
 * through aubio's command line tools (`aubio beat`, `aubio onset`,
 * `aubio tempo`, Debian's aubio-tools) in the same run.
 *
 * Scores follow mir_eval's definitions: beat F-measure with a +-70 ms
 * window, beats before 5 s ignored (mir_eval.beat.trim_beats); onset
 * F-measure with a +-50 ms window; tempo Acc1 (within 4 %) and Acc2 (within
 * 4 % of the tempo or of its double, half, triple or third) over the pieces
 * with a constant tempo. omnirhythm's tempo for a piece is the median of
 * the tempi of its `omnirhythm` summary messages with a confidence of at
 * least 0.1; aubio's is what `aubio tempo` prints.
 *
 * The test asserts the goals of the project: mean beat F >= 0.97, no piece
 * below 0.80, Acc1 >= 90 % and Acc2 100 %, and better than aubio on every
 * metric. (Before issue 14 the floor was 0.90 and Acc1 95 %: the tempo prior
 * now centres on 100 BPM, which real recordings need — a metal excerpt whose
 * hi-hats run at 188 BPM is annotated at 94 — and the same choice tracks
 * punk186, whose kick and snare alternate at 186 BPM, partly at 93 BPM: a
 * metrical-level choice, which Acc2 still counts right, not a lost beat;
 * see docs/dsp.md.) Setting
 * OMNI_RHYTHM_CORPUS_VARIANT=N (N >= 1) runs a held-out variant of the
 * corpus (other tempi, seeds and rates) and only prints the table.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>

#include "beattimes.h"
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <sys/wait.h>

#define SOUNDFONT "/usr/share/sounds/sf2/FluidR3_GM.sf2"
#define MAX_EVENTS 4096

typedef struct {
  gchar name[64];
  gint rate;
  gdouble tempo; /* 0: not constant */
  gchar desc[128];
  Times ref_beats, ref_onsets;
  Times beats, onsets, aubio_beats, aubio_onsets;
  gdouble est_tempo, aubio_tempo;
  gdouble beat_f, onset_f, aubio_beat_f, aubio_onset_f;
} Piece;

static Times
load_times (const gchar *path)
{
  gchar *text = NULL;
  Times t;

  fail_unless (g_file_get_contents (path, &text, NULL, NULL), "no %s", path);
  t = parse_times (text);
  g_free (text);
  return t;
}

/* mir_eval's F-measure: estimated and reference events are matched one to
 * one within +-window (for points on a line and a fixed window the greedy
 * in-order matching is a maximum matching); events before @trim are left
 * out of both (mir_eval.beat.trim_beats uses 5 s) */
static gdouble
f_measure (const Times *ref, const Times *est, gdouble window, gdouble trim)
{
  guint i = 0, j = 0, hits = 0, nr = 0, ne = 0, k;
  gdouble p, r;

  for (k = 0; k < ref->n; k++)
    nr += ref->v[k] >= trim;
  for (k = 0; k < est->n; k++)
    ne += est->v[k] >= trim;
  if (nr == 0 || ne == 0)
    return 0.0;
  while (i < ref->n && ref->v[i] < trim)
    i++;
  while (j < est->n && est->v[j] < trim)
    j++;
  while (i < ref->n && j < est->n) {
    if (fabs (ref->v[i] - est->v[j]) <= window) {
      hits++;
      i++;
      j++;
    } else if (est->v[j] < ref->v[i]) {
      j++;
    } else {
      i++;
    }
  }
  if (hits == 0)
    return 0.0;
  p = (gdouble) hits / ne;
  r = (gdouble) hits / nr;
  return 2.0 * p * r / (p + r);
}

static gchar *
run (gchar **argv)
{
  gchar *out = NULL, *err = NULL;
  gint status = 0;
  GError *error = NULL;

  fail_unless (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                   &out, &err, &status, &error),
      "cannot run %s: %s", argv[0], error ? error->message : "");
  fail_unless (
      g_spawn_check_wait_status (status, NULL), "%s failed: %s", argv[0], err);
  g_free (err);
  return out;
}

/* omnirhythm on one file: beats, onsets and the median tempo */
static void
analyse_with_omnirhythm (Piece *p, const gchar *wav)
{
  gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! wavparse ! "
                                 "audioconvert ! omnirhythm ! fakesink",
      wav);
  GError *error = NULL;
  GstElement *pipe = gst_parse_launch (desc, &error);
  GstBus *bus;
  GArray *tempi = g_array_new (FALSE, FALSE, sizeof (gdouble));
  gboolean done = FALSE;

  fail_unless (pipe != NULL, "%s", error ? error->message : "");
  bus = gst_element_get_bus (pipe);
  fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  while (!done) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
        GST_MESSAGE_ELEMENT | GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    const GstStructure *s;
    guint64 ts;
    gdouble tempo, conf;

    fail_unless (msg != NULL, "%s: timeout", wav);
    switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_EOS:
      done = TRUE;
      break;
    case GST_MESSAGE_ERROR: {
      GError *e;
      gchar *dbg;
      gst_message_parse_error (msg, &e, &dbg);
      fail ("%s: %s (%s)", wav, e->message, dbg);
      break;
    }
    default:
      s = gst_message_get_structure (msg);
      if (gst_structure_has_name (s, "omnirhythm-beat")
          && gst_structure_get_uint64 (s, "timestamp", &ts))
        times_add (&p->beats, ts / 1e9);
      else if (gst_structure_has_name (s, "omnirhythm-onset")
               && gst_structure_get_uint64 (s, "timestamp", &ts))
        times_add (&p->onsets, ts / 1e9);
      else if (gst_structure_has_name (s, "omnirhythm")
               && gst_structure_get_double (s, "tempo", &tempo)
               && gst_structure_get_double (s, "confidence", &conf)
               && tempo > 0.0 && conf >= 0.1)
        g_array_append_val (tempi, tempo);
      break;
    }
    gst_message_unref (msg);
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipe);
  g_free (desc);
  if (tempi->len) {
    g_array_sort (tempi, cmp_double);
    p->est_tempo = g_array_index (tempi, gdouble, tempi->len / 2);
  }
  g_array_unref (tempi);
}

/* starts `aubio beat`, `aubio onset` and `aubio tempo` on @wav in the
 * background, writing to @wav.aubio-{beat,onset,tempo} */
static GPid
start_aubio (const gchar *wav)
{
  gchar *cmd = g_strdup_printf (
      "for m in beat onset tempo; do aubio $m -i \"$0\" > \"$0.aubio-$m\" & "
      "done; wait");
  gchar *argv[] = { (gchar *) "sh", (gchar *) "-c", cmd, (gchar *) wav, NULL };
  GPid pid;
  GError *error = NULL;

  fail_unless (g_spawn_async (NULL, argv, NULL,
                   G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                   &pid, &error),
      "cannot run aubio: %s", error ? error->message : "");
  g_free (cmd);
  return pid;
}

static void
finish_aubio (Piece *p, GPid pid, const gchar *wav)
{
  gchar *path, *text = NULL;
  gint status;

  fail_unless (waitpid (pid, &status, 0) == pid);
  g_spawn_close_pid (pid);
  path = g_strconcat (wav, ".aubio-beat", NULL);
  p->aubio_beats = load_times (path);
  g_unlink (path);
  g_free (path);
  path = g_strconcat (wav, ".aubio-onset", NULL);
  p->aubio_onsets = load_times (path);
  g_unlink (path);
  g_free (path);
  path = g_strconcat (wav, ".aubio-tempo", NULL);
  fail_unless (g_file_get_contents (path, &text, NULL, NULL));
  p->aubio_tempo = g_ascii_strtod (text, NULL);
  fail_unless (p->aubio_tempo > 0.0, "aubio tempo printed '%s'", text);
  g_unlink (path);
  g_free (path);
  g_free (text);
}

static void
remove_tree (const gchar *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *name;

  if (!d)
    return;
  while ((name = g_dir_read_name (d))) {
    gchar *path = g_build_filename (dir, name, NULL);
    g_unlink (path);
    g_free (path);
  }
  g_dir_close (d);
  g_rmdir (dir);
}

GST_START_TEST (test_corpus)
{
  const gchar *src = g_getenv ("OMNI_SOURCE_ROOT");
  const gchar *variant = g_getenv ("OMNI_RHYTHM_CORPUS_VARIANT");
  gboolean held_out = variant && atoi (variant) > 0;
  gchar *tmp, *script, *manifest_path, *manifest;
  gchar **lines;
  GPtrArray *pieces = g_ptr_array_new ();
  guint i, n_const = 0, acc1 = 0, acc2 = 0, a_acc1 = 0, a_acc2 = 0;
  gdouble sum_b = 0, sum_o = 0, a_sum_b = 0, a_sum_o = 0, min_b = 1.0;
  gdouble a_min_b = 1.0;
  gint64 t0;

  fail_unless (src != NULL, "OMNI_SOURCE_ROOT is not set");
  fail_unless (g_file_test (SOUNDFONT, G_FILE_TEST_EXISTS),
      SOUNDFONT " is missing: run scripts/setup (fluid-soundfont-gm)");
  {
    gchar *fs = g_find_program_in_path ("fluidsynth");
    gchar *au = g_find_program_in_path ("aubio");
    fail_unless (fs != NULL, "fluidsynth is missing: run scripts/setup");
    fail_unless (
        au != NULL, "aubio is missing: run scripts/setup (aubio-tools)");
    g_free (fs);
    g_free (au);
  }

  tmp = g_dir_make_tmp ("omni-rhythm-XXXXXX", NULL);
  fail_unless (tmp != NULL);
  script
      = g_build_filename (src, "gst-tests", "data", "rhythm_corpus.py", NULL);
  {
    gchar *argv[] = { (gchar *) "python3", script, tmp, NULL, NULL, NULL };
    if (held_out) {
      argv[3] = (gchar *) "--variant";
      argv[4] = (gchar *) variant;
    }
    g_free (run (argv));
  }
  manifest_path = g_build_filename (tmp, "manifest.tsv", NULL);
  fail_unless (g_file_get_contents (manifest_path, &manifest, NULL, NULL));
  lines = g_strsplit (manifest, "\n", -1);

  t0 = g_get_monotonic_time ();
  /* render everything, two files at a time */
  {
    gchar *cmd = g_strdup_printf (
        "cd \"$0\" && cut -f1,2 manifest.tsv | xargs -P 2 -n 2 sh -c "
        "'fluidsynth -ni -q -g 0.5 -o synth.dynamic-sample-loading=1 "
        "-r \"$1\" -F \"$0.wav\" %s \"$0.mid\" >/dev/null'",
        SOUNDFONT);
    gchar *argv[] = { (gchar *) "sh", (gchar *) "-c", cmd, tmp, NULL };
    g_free (run (argv));
    g_free (cmd);
  }
  for (i = 0; lines[i]; i++) {
    gchar **f = g_strsplit (lines[i], "\t", 4);
    Piece *p;
    gchar *base, *path, *wav;

    if (g_strv_length (f) < 4) {
      g_strfreev (f);
      continue;
    }
    p = g_new0 (Piece, 1);
    g_strlcpy (p->name, f[0], sizeof (p->name));
    p->rate = atoi (f[1]);
    p->tempo = g_ascii_strtod (f[2], NULL);
    g_strlcpy (p->desc, f[3], sizeof (p->desc));
    g_strfreev (f);
    base = g_build_filename (tmp, p->name, NULL);
    path = g_strconcat (base, ".beats", NULL);
    p->ref_beats = load_times (path);
    g_free (path);
    path = g_strconcat (base, ".onsets", NULL);
    p->ref_onsets = load_times (path);
    g_free (path);

    wav = g_strconcat (base, ".wav", NULL);
    fail_unless (g_file_test (wav, G_FILE_TEST_EXISTS), "%s not rendered", wav);
    /* aubio in the background while omnirhythm runs */
    {
      GPid pid = start_aubio (wav);
      analyse_with_omnirhythm (p, wav);
      finish_aubio (p, pid, wav);
    }

    p->beat_f = f_measure (&p->ref_beats, &p->beats, 0.07, 5.0);
    p->onset_f = f_measure (&p->ref_onsets, &p->onsets, 0.05, 0.0);
    p->aubio_beat_f = f_measure (&p->ref_beats, &p->aubio_beats, 0.07, 5.0);
    p->aubio_onset_f = f_measure (&p->ref_onsets, &p->aubio_onsets, 0.05, 0.0);
    g_ptr_array_add (pieces, p);
    g_unlink (wav);
    g_free (wav);
    g_free (base);
  }

  g_print ("\nomnirhythm vs aubio %s on %u pieces (mir_eval: beat F +-70 ms "
           "after 5 s, onset F +-50 ms, tempo Acc1 4 %%, Acc2 also x2 x1/2 "
           "x3 x1/3)\n",
      "0.4.9", pieces->len);
  g_print ("%-14s %6s %6s | %7s %7s | %7s %7s | %6s %7s %7s\n", "piece", "rate",
      "bpm", "beatF", "aubio", "onsetF", "aubio", "tempo", "ours", "aubio");
  for (i = 0; i < pieces->len; i++) {
    Piece *p = g_ptr_array_index (pieces, i);
    g_print ("%-14s %6d %6.1f | %7.3f %7.3f | %7.3f %7.3f | %6s %7.1f %7.1f\n",
        p->name, p->rate, p->tempo, p->beat_f, p->aubio_beat_f, p->onset_f,
        p->aubio_onset_f, p->tempo > 0.0 ? "" : "(ramp)", p->est_tempo,
        p->aubio_tempo);
    sum_b += p->beat_f;
    sum_o += p->onset_f;
    a_sum_b += p->aubio_beat_f;
    a_sum_o += p->aubio_onset_f;
    min_b = MIN (min_b, p->beat_f);
    a_min_b = MIN (a_min_b, p->aubio_beat_f);
    if (p->tempo > 0.0) {
      n_const++;
      acc1 += tempo_ok (p->est_tempo, p->tempo, FALSE);
      acc2 += tempo_ok (p->est_tempo, p->tempo, TRUE);
      a_acc1 += tempo_ok (p->aubio_tempo, p->tempo, FALSE);
      a_acc2 += tempo_ok (p->aubio_tempo, p->tempo, TRUE);
    }
  }
  fail_unless (pieces->len > 0 && n_const > 0);
  g_print ("%-14s %6s %6s | %7.3f %7.3f | %7.3f %7.3f |\n", "mean", "", "",
      sum_b / pieces->len, a_sum_b / pieces->len, sum_o / pieces->len,
      a_sum_o / pieces->len);
  g_print ("%-14s %6s %6s | %7.3f %7.3f |\n", "min", "", "", min_b, a_min_b);
  g_print ("tempo Acc1: omnirhythm %u/%u (%.0f %%), aubio %u/%u (%.0f %%); "
           "Acc2: omnirhythm %u/%u (%.0f %%), aubio %u/%u (%.0f %%)\n",
      acc1, n_const, 100.0 * acc1 / n_const, a_acc1, n_const,
      100.0 * a_acc1 / n_const, acc2, n_const, 100.0 * acc2 / n_const, a_acc2,
      n_const, 100.0 * a_acc2 / n_const);
  g_print ("(rendering and analysis took %.1f s)\n",
      (g_get_monotonic_time () - t0) / 1e6);

  if (!held_out) {
    fail_unless (sum_b / pieces->len >= 0.97, "mean beat F %.3f < 0.97",
        sum_b / pieces->len);
    fail_unless (min_b >= 0.80, "a piece has beat F %.3f < 0.80", min_b);
    fail_unless (
        acc1 >= 0.90 * n_const, "tempo Acc1 %u/%u < 90 %%", acc1, n_const);
    fail_unless (acc2 == n_const, "tempo Acc2 %u/%u", acc2, n_const);
    fail_unless (sum_b > a_sum_b, "beat F not better than aubio");
    fail_unless (sum_o > a_sum_o, "onset F not better than aubio");
    fail_unless (acc1 > a_acc1 || acc1 == n_const, "Acc1 not better");
    fail_unless (acc2 > a_acc2 || acc2 == n_const, "Acc2 not better");
    fail_unless (acc2 >= acc1);
  }

  for (i = 0; i < pieces->len; i++) {
    Piece *p = g_ptr_array_index (pieces, i);
    g_free (p->ref_beats.v);
    g_free (p->ref_onsets.v);
    g_free (p->beats.v);
    g_free (p->onsets.v);
    g_free (p->aubio_beats.v);
    g_free (p->aubio_onsets.v);
    g_free (p);
  }
  g_ptr_array_unref (pieces);
  g_strfreev (lines);
  g_free (manifest);
  remove_tree (tmp);
  g_free (manifest_path);
  g_free (script);
  g_free (tmp);
}

GST_END_TEST;

static Suite *
rhythm_corpus_suite (void)
{
  Suite *s = suite_create ("rhythm_corpus");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 600);
  tcase_add_test (tc, test_corpus);
  return s;
}

GST_CHECK_MAIN (rhythm_corpus);
