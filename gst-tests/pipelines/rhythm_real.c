/* gst-omni: omnirhythm's beats and tempo on real recordings, against aubio
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every piece of ../shared/data/beats-real (NAME.flac with human beat
 * annotations in NAME.beats, see ../shared/data/README.md) goes through
 *
 *   filesrc ! flacparse ! flacdec ! audioconvert ! audioresample !
 *   omnirhythm ! fakesink
 *
 * collecting the `omnirhythm-beat` messages, and through `aubio beat`
 * (Debian's aubio-tools) in the same run. Scores follow mir_eval (MIREX):
 * F-measure within +-70 ms, CMLt and AMLt (continuity, 17.5 % phase and
 * period tolerance; AMLt also accepts the off-beat, double and half
 * tempo), beats before 5 s left out of both (pieces shorter than 20 s are
 * scored without the trim, as the data README asks). Tempo: the reference is
 * 60 / the median inter-beat interval of the annotations; omnirhythm's is
 * the median tempo of its `omnirhythm` summaries after 5 s, aubio's 60 /
 * the median interval of its beats; Acc1 is within 4 %, Acc2 within 4 % of
 * the tempo or of its double, half, triple or third.
 *
 * Asserts, for the default tracker (select: the element runs without a
 * tracker property) and for `tracker=score` (a line "score" under each
 * piece), the goals of issue 14: mean F >= aubio's; F >= 0.90 on every
 * popular-music piece (GTZAN, Hainsworth); no piece below F 0.5 (half of
 * the beats right, a clear failure below that) except the ones listed in
 * out_of_reach[] for that tracker, with the reason. The default's mean F
 * must also be >= score's, and >= DEFAULT_GOAL_F (the 0.80;
 * docs/benchmarks.md has how near it is). The time of the first beat is
 * printed too.
 *
 * The same files also go through `omnirhythm tracker=state-space` (a line
 * "ss"): its mean F must be >= aubio's too, and on the classical
 * recordings (fmp_*: expressive timing, accelerations) above the default
 * tracker's, which is what it is for (docs/dsp.md).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>

#include "beattimes.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define N_VARIATIONS 5
#define F_WINDOW 0.07
#define TRIM_S 5.0
#define SHORT_PIECE_S 20.0
#define CONT_TOL 0.175
#define FLOOR_F 0.5
#define POP_GOAL_F 0.90
#define POP_FLOOR_F 0.90
#define DEFAULT_GOAL_F 0.80 /* issue 14's goal for the real-set mean */

/* pieces out of reach of a tracker, and why (docs/benchmarks.md): the
 * floor is not asserted on them for the trackers in @trackers */
#define T_SCORE 1
#define T_SELECT 2 /* the default */
static const struct {
  const gchar *name, *reason;
  guint trackers;
} out_of_reach[] = {
  { "fmp_faure_op15_smd126",
      "a dense arpeggiated piano texture with as much onset energy at the "
      "annotated beats as at their halves and quarters (the onset "
      "envelope's mean within 50 ms: 0.47 of its peak at each), so the "
      "tempo estimate wanders between 84, 124, 168 and 249 BPM around the "
      "annotated 74; the annotations are not half a beat off (83 % of them "
      "have an onset within 50 ms)",
      T_SCORE | T_SELECT },
  { "fmp_shostakovich_waltz2_increasing_tempo",
      "quarter notes accelerate from ~210 to ~330 BPM within 25 s: faster "
      "than the 8 s autocorrelation follows, and past the 250 BPM range "
      "for the last third; the score tracker holds the quarter (225 BPM) "
      "only from 8.6 to 13.8 s, then a half or a third of it (select "
      "follows the acceleration with the state space)",
      T_SCORE },
  { "fmp_debussy_violin_sonata_smd189",
      "expressive timing: the annotated tempo moves between 30 and 98 BPM "
      "within the minute, halving mid-piece; the autocorrelation's "
      "estimate stays at 104-113 BPM where the violin plays 85-90 (select "
      "follows the played tempo with the state space)",
      T_SCORE },
};
typedef struct {
  gchar *name;
  gdouble duration;
  Times ref, ours, aubio, ss, score;
  gdouble tempo_ref, tempo_ours, tempo_aubio, tempo_ss, tempo_score;
} Piece;

static Times
trimmed (const Times *t, gdouble trim)
{
  Times o = { NULL, 0 };
  guint i;

  for (i = 0; i < t->n; i++)
    if (t->v[i] >= trim)
      times_add (&o, t->v[i]);
  return o;
}

static gdouble
median_interval (const Times *t)
{
  gdouble *d, m;
  guint i;

  if (t->n < 2)
    return 0.0;
  d = g_new (gdouble, t->n - 1);
  for (i = 0; i + 1 < t->n; i++)
    d[i] = t->v[i + 1] - t->v[i];
  qsort (d, t->n - 1, sizeof (gdouble), cmp_double);
  m = d[(t->n - 1) / 2];
  g_free (d);
  return m;
}

/* mir_eval.beat.f_measure: one-to-one matching within +-window (in-order
 * greedy matching is maximal for points on a line and a fixed window) */
static gdouble
f_measure (const Times *ref, const Times *est)
{
  guint i = 0, j = 0, hits = 0;
  gdouble p, r;

  if (ref->n == 0 || est->n == 0)
    return 0.0;
  while (i < ref->n && j < est->n) {
    if (fabs (ref->v[i] - est->v[j]) <= F_WINDOW) {
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
  p = (gdouble) hits / est->n;
  r = (gdouble) hits / ref->n;
  return 2.0 * p * r / (p + r);
}

/* mir_eval.beat._get_reference_beat_variations: the annotations, their
 * off-beats, double tempo, and the odd and even beats (half tempo) */
static Times
variation (const Times *ref, guint which)
{
  Times o = { NULL, 0 };
  guint i;

  for (i = 0; i < ref->n; i++) {
    gdouble mid = i + 1 < ref->n ? 0.5 * (ref->v[i] + ref->v[i + 1]) : -1.0;
    switch (which) {
    case 0:
      times_add (&o, ref->v[i]);
      break;
    case 1:
      if (mid >= 0.0)
        times_add (&o, mid);
      break;
    case 2:
      times_add (&o, ref->v[i]);
      if (mid >= 0.0)
        times_add (&o, mid);
      break;
    case 3:
      if (i % 2 == 0)
        times_add (&o, ref->v[i]);
      break;
    default:
      if (i % 2 == 1)
        times_add (&o, ref->v[i]);
      break;
    }
  }
  return o;
}

/* one estimated beat against the annotations, as mir_eval.beat.continuity
 * judges it; returns the index of the annotation it used, or -1 */
static gint
continuity_hit (const Times *r, const Times *e, guint m, const gboolean *used)
{
  guint k, near = 0;
  gdouble d, ri, ei;

  for (k = 1; k < r->n; k++)
    if (fabs (e->v[m] - r->v[k]) < fabs (e->v[m] - r->v[near]))
      near = k;
  if (used[near])
    return -1;
  d = fabs (e->v[m] - r->v[near]);
  if (m == 0 || near == 0) {
    ri = near + 1 < r->n ? r->v[near + 1] - r->v[near]
                         : r->v[near] - r->v[near - 1];
    ei = m + 1 < e->n ? e->v[m + 1] - e->v[m] : e->v[m] - e->v[m - 1];
  } else {
    ri = r->v[near] - r->v[near - 1];
    ei = e->v[m] - e->v[m - 1];
  }
  if (ri <= 0.0)
    return -1;
  return d / ri < CONT_TOL && fabs (1.0 - ei / ri) < CONT_TOL ? (gint) near
                                                              : -1;
}

/* CMLt (annotated level) and AMLt (best of the five variations) */
static void
continuity (const Times *ref, const Times *est, gdouble *cmlt, gdouble *amlt)
{
  guint v, m;

  *cmlt = *amlt = 0.0;
  if (ref->n < 2 || est->n < 2)
    return;
  for (v = 0; v < N_VARIATIONS; v++) {
    Times r = variation (ref, v);
    guint n = MAX (r.n, est->n), ok = 0;
    gboolean *used = g_new0 (gboolean, n);
    gdouble total;

    if (r.n >= 2) {
      for (m = 0; m < est->n; m++) {
        gint k = continuity_hit (&r, est, m, used);
        if (k >= 0) {
          used[k] = TRUE;
          ok++;
        }
      }
    }
    total = (gdouble) ok / n;
    if (v == 0)
      *cmlt = total;
    *amlt = MAX (*amlt, total);
    g_free (used);
    g_free (r.v);
  }
}

/* omnirhythm through a real pipeline (@tracker NULL: the default): beat
 * times into @beats and the median tempo into @tempo */
static void
run_omnirhythm (
    const gchar *flac, const gchar *tracker, Times *beats, gdouble *tempo_out)
{
  gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! flacparse ! "
                                 "flacdec ! audioconvert ! audioresample ! "
                                 "omnirhythm %s%s ! fakesink",
      flac, tracker ? "tracker=" : "", tracker ? tracker : "");
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
    gdouble tempo;

    fail_unless (msg != NULL, "%s: timeout", flac);
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
      done = TRUE;
    } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      GError *e;
      gchar *dbg;
      gst_message_parse_error (msg, &e, &dbg);
      fail ("%s: %s (%s)", flac, e->message, dbg);
    } else {
      s = gst_message_get_structure (msg);
      if (gst_structure_has_name (s, "omnirhythm-beat")
          && gst_structure_get_uint64 (s, "timestamp", &ts))
        times_add (beats, ts / 1e9);
      else if (gst_structure_has_name (s, "omnirhythm")
               && gst_structure_get_uint64 (s, "timestamp", &ts)
               && gst_structure_get_double (s, "tempo", &tempo)
               && ts >= TRIM_S * GST_SECOND && tempo > 0.0)
        g_array_append_val (tempi, tempo);
    }
    gst_message_unref (msg);
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipe);
  g_free (desc);
  if (tempi->len) {
    g_array_sort (tempi, cmp_double);
    *tempo_out = g_array_index (tempi, gdouble, tempi->len / 2);
  }
  g_array_unref (tempi);
}

/* `aubio beat` on the same file (a child process, in parallel with our
 * pipeline) */
static GPid
start_aubio (const gchar *flac, gint *out_fd)
{
  gchar *argv[] = { (gchar *) "aubio", (gchar *) "beat", (gchar *) "-i",
    (gchar *) flac, NULL };
  GPid pid;
  GError *error = NULL;

  fail_unless (g_spawn_async_with_pipes (NULL, argv, NULL,
                   G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD
                       | G_SPAWN_STDERR_TO_DEV_NULL,
                   NULL, NULL, &pid, NULL, out_fd, NULL, &error),
      "cannot run aubio (aubio-tools, scripts/setup): %s",
      error ? error->message : "");
  return pid;
}

static void
finish_aubio (Piece *p, GPid pid, gint fd)
{
  GString *out = g_string_new (NULL);
  gchar buf[4096];
  gssize got;
  gint status;

  while ((got = read (fd, buf, sizeof (buf))) > 0)
    g_string_append_len (out, buf, got);
  close (fd);
  fail_unless (waitpid (pid, &status, 0) == pid);
  g_spawn_close_pid (pid);
  fail_unless (WIFEXITED (status) && WEXITSTATUS (status) == 0,
      "aubio beat failed on %s", p->name);
  p->aubio = parse_times (out->str);
  g_string_free (out, TRUE);
}

static const gchar *
reach_reason (const gchar *name, guint tracker)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (out_of_reach); i++)
    if (!strcmp (name, out_of_reach[i].name)
        && (out_of_reach[i].trackers & tracker))
      return out_of_reach[i].reason;
  return NULL;
}

/* the per-piece goals for one tracker's F on one piece: >= 0.90 on
 * popular music, >= FLOOR_F elsewhere unless out of reach */
static void
check_piece (GString *failures, const gchar *name, const gchar *tracker,
    guint which, gdouble f)
{
  const gchar *why = reach_reason (name, which);

  if ((g_str_has_prefix (name, "gtzan_")
          || g_str_has_prefix (name, "hainsworth_"))
      && f < POP_FLOOR_F)
    g_string_append_printf (
        failures, " %s (%s, popular music, F %.3f)", name, tracker, f);
  if (f < FLOOR_F && !why)
    g_string_append_printf (failures, " %s (%s, F %.3f)", name, tracker, f);
  else if (f < FLOOR_F)
    g_print ("  %s is out of reach of tracker=%s: %s\n", name, tracker, why);
}

/* scores of one estimate; returns F */
static gdouble
score (const Piece *p, const Times *est, gdouble *cmlt, gdouble *amlt)
{
  gdouble trim = p->duration < SHORT_PIECE_S ? 0.0 : TRIM_S, f;
  Times r = trimmed (&p->ref, trim), e = trimmed (est, trim);

  f = f_measure (&r, &e);
  continuity (&r, &e, cmlt, amlt);
  g_free (r.v);
  g_free (e.v);
  return f;
}

static gdouble
flac_duration (const gchar *flac)
{
  GstElement *pipe;
  gchar *desc = g_strdup_printf (
      "filesrc location=\"%s\" ! flacparse ! fakesink", flac);
  gint64 dur = -1;
  GstMessage *msg;
  GstBus *bus;

  pipe = gst_parse_launch (desc, NULL);
  fail_unless (pipe != NULL);
  bus = gst_element_get_bus (pipe);
  gst_element_set_state (pipe, GST_STATE_PAUSED);
  msg = gst_bus_timed_pop_filtered (
      bus, 10 * GST_SECOND, GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ASYNC_DONE);
  gst_message_unref (msg);
  fail_unless (gst_element_query_duration (pipe, GST_FORMAT_TIME, &dur));
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipe);
  g_free (desc);
  return dur / 1e9;
}

static gint
cmp_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar *const *) a, *(const gchar *const *) b);
}

static GPtrArray *
list_pieces (const gchar *dir)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *name;

  fail_unless (d != NULL, "no %s (../shared/data beside the source tree)", dir);
  while ((name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".flac"))
      g_ptr_array_add (names, g_strndup (name, strlen (name) - 5));
  g_dir_close (d);
  g_ptr_array_sort (names, cmp_names);
  return names;
}

GST_START_TEST (test_real_recordings)
{
  const gchar *src = g_getenv ("OMNI_SOURCE_ROOT");
  gchar *dir;
  GPtrArray *names;
  guint i, n_pop = 0, acc[4] = { 0, 0, 0, 0 }, ss_acc[2] = { 0, 0 };
  guint n_classical = 0;
  gdouble sum[6] = { 0 }, pop = 0.0, pop_score = 0.0, ss[3] = { 0 };
  gdouble sco[3] = { 0 };
  gdouble classical[3] = { 0 };
  GString *failures = g_string_new (NULL);

  fail_unless (src != NULL, "OMNI_SOURCE_ROOT is not set");
  dir = g_build_filename (src, "..", "shared", "data", "beats-real", NULL);
  names = list_pieces (dir);
  fail_unless (names->len >= 9, "%u pieces in %s", names->len, dir);
  g_print ("%-41s %5s %5s %5s %13s %5s | %5s %5s %5s %13s | %6s\n", "piece",
      "F", "CMLt", "AMLt", "tempo A1 A2", "first", "aubio", "CMLt", "AMLt",
      "tempo A1 A2", "ref");
  for (i = 0; i < names->len; i++) {
    const gchar *name = g_ptr_array_index (names, i);
    gchar *base = g_build_filename (dir, name, NULL);
    gchar *flac = g_strconcat (base, ".flac", NULL);
    gchar *beats = g_strconcat (base, ".beats", NULL), *text = NULL;
    Piece p = { (gchar *) name, 0 };
    gdouble f, c, a, fa, ca, aa, fs, cs, as, fl, cl, al, mi;
    gint fd;
    GPid pid = start_aubio (flac, &fd);

    fail_unless (g_file_get_contents (beats, &text, NULL, NULL));
    p.ref = parse_times (text);
    g_free (text);
    p.duration = flac_duration (flac);
    run_omnirhythm (flac, NULL, &p.ours, &p.tempo_ours);
    run_omnirhythm (flac, "state-space", &p.ss, &p.tempo_ss);
    run_omnirhythm (flac, "score", &p.score, &p.tempo_score);
    finish_aubio (&p, pid, fd);
    mi = median_interval (&p.ref);
    p.tempo_ref = mi > 0.0 ? 60.0 / mi : 0.0;
    mi = median_interval (&p.aubio);
    p.tempo_aubio = mi > 0.0 ? 60.0 / mi : 0.0;
    f = score (&p, &p.ours, &c, &a);
    fa = score (&p, &p.aubio, &ca, &aa);
    fs = score (&p, &p.ss, &cs, &as);
    fl = score (&p, &p.score, &cl, &al);
    acc[0] += tempo_ok (p.tempo_ours, p.tempo_ref, FALSE);
    acc[1] += tempo_ok (p.tempo_ours, p.tempo_ref, TRUE);
    acc[2] += tempo_ok (p.tempo_aubio, p.tempo_ref, FALSE);
    acc[3] += tempo_ok (p.tempo_aubio, p.tempo_ref, TRUE);
    g_print ("%-41s %5.3f %5.3f %5.3f %7.1f %2d %2d %5.2f | %5.3f %5.3f "
             "%5.3f %7.1f %2d %2d | %6.1f%s\n",
        name, f, c, a, p.tempo_ours,
        tempo_ok (p.tempo_ours, p.tempo_ref, FALSE),
        tempo_ok (p.tempo_ours, p.tempo_ref, TRUE),
        p.ours.n ? p.ours.v[0] : -1.0, fa, ca, aa, p.tempo_aubio,
        tempo_ok (p.tempo_aubio, p.tempo_ref, FALSE),
        tempo_ok (p.tempo_aubio, p.tempo_ref, TRUE), p.tempo_ref,
        p.duration < SHORT_PIECE_S ? " (no trim)" : "");
    g_print ("  ss %-36s %5.3f %5.3f %5.3f %7.1f %2d %2d %5.2f\n", "", fs, cs,
        as, p.tempo_ss, tempo_ok (p.tempo_ss, p.tempo_ref, FALSE),
        tempo_ok (p.tempo_ss, p.tempo_ref, TRUE), p.ss.n ? p.ss.v[0] : -1.0);
    g_print ("  score %-33s %5.3f %5.3f %5.3f %7.1f %2d %2d %5.2f\n", "", fl,
        cl, al, p.tempo_score, tempo_ok (p.tempo_score, p.tempo_ref, FALSE),
        tempo_ok (p.tempo_score, p.tempo_ref, TRUE),
        p.score.n ? p.score.v[0] : -1.0);
    sco[0] += fl;
    sco[1] += cl;
    sco[2] += al;
    ss[0] += fs;
    ss[1] += cs;
    ss[2] += as;
    ss_acc[0] += tempo_ok (p.tempo_ss, p.tempo_ref, FALSE);
    ss_acc[1] += tempo_ok (p.tempo_ss, p.tempo_ref, TRUE);
    if (g_str_has_prefix (name, "fmp_")) {
      classical[0] += f;
      classical[1] += fs;
      classical[2] += fl;
      n_classical++;
    }
    sum[0] += f;
    sum[1] += c;
    sum[2] += a;
    sum[3] += fa;
    sum[4] += ca;
    sum[5] += aa;
    if (g_str_has_prefix (name, "gtzan_")
        || g_str_has_prefix (name, "hainsworth_")) {
      pop += f;
      pop_score += fl;
      n_pop++;
    }
    check_piece (failures, name, "default (select)", T_SELECT, f);
    check_piece (failures, name, "score", T_SCORE, fl);
    g_free (p.ref.v);
    g_free (p.ours.v);
    g_free (p.aubio.v);
    g_free (p.ss.v);
    g_free (p.score.v);
    g_free (base);
    g_free (flac);
    g_free (beats);
  }
  g_print ("%-41s %5.3f %5.3f %5.3f    Acc %u/%u %u/%u | %5.3f %5.3f %5.3f"
           "    Acc %u/%u %u/%u\n",
      "mean", sum[0] / names->len, sum[1] / names->len, sum[2] / names->len,
      acc[0], names->len, acc[1], names->len, sum[3] / names->len,
      sum[4] / names->len, sum[5] / names->len, acc[2], names->len, acc[3],
      names->len);
  g_print ("%-41s %5.3f %5.3f %5.3f    Acc %u/%u %u/%u (tracker=state-space)\n",
      "mean (ss)", ss[0] / names->len, ss[1] / names->len, ss[2] / names->len,
      ss_acc[0], names->len, ss_acc[1], names->len);
  g_print ("%-41s %5.3f %5.3f %5.3f    (tracker=score)\n", "mean (score)",
      sco[0] / names->len, sco[1] / names->len, sco[2] / names->len);
  fail_unless (n_pop > 0 && n_classical > 0);
  g_print ("classical (fmp_*): mean F %.3f default (select), %.3f "
           "state-space, %.3f score over %u\n",
      classical[0] / n_classical, classical[1] / n_classical,
      classical[2] / n_classical, n_classical);
  fail_unless (sum[0] >= sco[0], "default mean F %.3f below score's %.3f",
      sum[0] / names->len, sco[0] / names->len);
  fail_unless (sum[0] / names->len >= DEFAULT_GOAL_F,
      "default mean F %.3f below the goal %.2f", sum[0] / names->len,
      DEFAULT_GOAL_F);
  fail_unless (ss[0] >= sum[3], "state-space mean F %.3f below aubio's %.3f",
      ss[0] / names->len, sum[3] / names->len);
  fail_unless (classical[1] > classical[2],
      "state-space classical mean F %.3f not above score's %.3f",
      classical[1] / n_classical, classical[2] / n_classical);
  g_print ("popular music (GTZAN, Hainsworth): mean F %.3f default (select), "
           "%.3f score over %u\n",
      pop / n_pop, pop_score / n_pop, n_pop);
  fail_unless (sum[0] >= sum[3], "mean F %.3f below aubio's %.3f",
      sum[0] / names->len, sum[3] / names->len);
  fail_unless (sco[0] >= sum[3], "score mean F %.3f below aubio's %.3f",
      sco[0] / names->len, sum[3] / names->len);
  fail_unless (
      pop / n_pop >= POP_GOAL_F, "popular music mean F %.3f", pop / n_pop);
  fail_unless (pop_score / n_pop >= POP_GOAL_F,
      "popular music mean F %.3f (score)", pop_score / n_pop);
  fail_unless (failures->len == 0, "below the floor:%s", failures->str);
  g_string_free (failures, TRUE);
  g_ptr_array_unref (names);
  g_free (dir);
}

GST_END_TEST;

static Suite *
rhythm_real_suite (void)
{
  Suite *s = suite_create ("rhythm_real");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_real_recordings);
  return s;
}

GST_CHECK_MAIN (rhythm_real);
