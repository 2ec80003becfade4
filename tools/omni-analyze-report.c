/* gst-omni: omni-analyze's HTML review report.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One self-contained page (inline CSS and SVG, no script, nothing fetched)
 * plus the JPEG thumbnails jpegenc made in the pipeline, in DIR/thumbs/.
 * The SVG timeline has one lane per kind of result, all on the media's
 * time axis: risk per window with the enter/exit thresholds and the flagged
 * segments, shot cuts, tempo, loudness, and a mark per thumbnail linked to
 * it. Elements a test looks for carry classes: "segment" (one per flagged
 * segment), "cut", "window", "thumb-mark", "thumb".
 */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "omni-analyze-report.h"

static const gchar *
state_name (OmniVerdictState state)
{
  GEnumClass *k = g_type_class_ref (OMNI_TYPE_VERDICT_STATE);
  GEnumValue *v = g_enum_get_value (k, (gint) state);
  const gchar *nick = v ? v->value_nick : "error"; /* static strings */

  g_type_class_unref (k);
  return nick;
}

#define W 1000.0 /* timeline width in SVG units */
#define X0 70.0  /* left margin for the lane names */
#define RISK_Y 30.0
#define RISK_H 140.0
#define CUT_Y 190.0
#define CUT_H 30.0
#define TEMPO_Y 240.0
#define TEMPO_H 70.0
#define LOUD_Y 330.0
#define LOUD_H 70.0
#define THUMB_Y 420.0
#define AXIS_Y 450.0
#define SVG_H 480.0

static gchar *
esc (const gchar *s)
{
  return g_markup_escape_text (s ? s : "", -1);
}

static gchar *
clock_str (GstClockTime t)
{
  guint64 ms;

  if (!GST_CLOCK_TIME_IS_VALID (t))
    return g_strdup ("open");
  ms = (t + GST_MSECOND / 2) / GST_MSECOND;
  if (ms >= 3600000)
    return g_strdup_printf ("%u:%02u:%02u.%03u", (guint) (ms / 3600000),
        (guint) (ms / 60000 % 60), (guint) (ms / 1000 % 60),
        (guint) (ms % 1000));
  return g_strdup_printf ("%02u:%02u.%03u", (guint) (ms / 60000),
      (guint) (ms / 1000 % 60), (guint) (ms % 1000));
}

typedef struct {
  gdouble span; /* seconds on the axis */
} Axis;

static gdouble
xpos (const Axis *a, GstClockTime t)
{
  gdouble s = GST_CLOCK_TIME_IS_VALID (t) ? t / 1e9 : a->span;

  return X0 + CLAMP (s / a->span, 0.0, 1.0) * (W - X0);
}

/* a "nice" tick step for @span seconds and about 10 ticks */
static gdouble
tick_step (gdouble span)
{
  const gdouble steps[] = { 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300,
    600, 900, 1800, 3600, 7200 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (steps); i++)
    if (span / steps[i] <= 12)
      return steps[i];
  return 14400;
}

/* A polyline of (t, v) points in a lane [y, y+h] with v in [lo, hi]. */
static void
curve (GString *out, const Axis *a, const GArray *t, const GArray *v,
    gdouble lo, gdouble hi, gdouble y, gdouble h, const gchar *cls)
{
  guint i;
  gboolean open = FALSE;

  for (i = 0; i < t->len; i++) {
    gdouble val = g_array_index (v, gdouble, i);
    gdouble px, py;

    if (!isfinite (val)) {
      if (open)
        g_string_append (out, "\"/>\n");
      open = FALSE;
      continue;
    }
    px = xpos (a, g_array_index (t, GstClockTime, i));
    py = y + h - (CLAMP (val, lo, hi) - lo) / (hi - lo) * h;
    if (!open)
      g_string_append_printf (out, "<polyline class=\"%s\" points=\"", cls);
    g_string_append_printf (out, "%.1f,%.1f ", px, py);
    open = TRUE;
  }
  if (open)
    g_string_append (out, "\"/>\n");
}

static void
lane_label (GString *out, gdouble y, const gchar *name, const gchar *top,
    const gchar *bottom, gdouble h)
{
  g_string_append_printf (out,
      "<text class=\"lane\" x=\"4\" y=\"%.1f\">%s</text>\n", y + h / 2 + 4,
      name);
  if (top)
    g_string_append_printf (out,
        "<text class=\"scale\" x=\"%.1f\" y=\"%.1f\" "
        "text-anchor=\"end\">%s</text>\n",
        X0 - 4, y + 9, top);
  if (bottom)
    g_string_append_printf (out,
        "<text class=\"scale\" x=\"%.1f\" y=\"%.1f\" "
        "text-anchor=\"end\">%s</text>\n",
        X0 - 4, y + h, bottom);
  g_string_append_printf (out,
      "<rect class=\"lanebg\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
      "height=\"%.1f\"/>\n",
      X0, y, W - X0, h);
}

static void
timeline (GString *out, const OaReport *r, const Axis *a, GPtrArray *kept)
{
  guint i;
  GArray *t = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  GArray *v = g_array_new (FALSE, FALSE, sizeof (gdouble));
  gdouble step, s;
  gboolean have_rhythm_tempo = FALSE, have_rhythm_rms = FALSE;
  gdouble tlo = G_MAXDOUBLE, thi = -G_MAXDOUBLE;

  g_string_append_printf (out,
      "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" "
      "viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" role=\"img\" "
      "aria-label=\"timeline\">\n",
      W + 10, SVG_H);

  /* risk lane: window states, risk, thresholds, segments */
  lane_label (out, RISK_Y, "risk", "1", "0", RISK_H);
  for (i = 0; i < r->windows->len; i++) {
    const OaWindow *w = &g_array_index (r->windows, OaWindow, i);
    const gchar *state = state_name (w->state);
    gchar *a0 = clock_str (w->start), *cap = esc (w->caption);

    g_string_append_printf (out,
        "<rect class=\"window %s\" x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" "
        "height=\"%.1f\"><title>%s %s, risk %.2f: %s</title></rect>\n",
        state, xpos (a, w->start), RISK_Y,
        MAX (xpos (a, w->end) - xpos (a, w->start), 0.5), RISK_H, a0, state,
        w->risk, cap);
    g_free (a0);
    g_free (cap);
  }
  for (i = 0; i < r->segments->len; i++) {
    const OaSegment *sg = &g_array_index (r->segments, OaSegment, i);
    gchar *a0 = clock_str (sg->start), *a1 = clock_str (sg->end);
    gchar *lab = esc (sg->label);
    GstClockTime end
        = GST_CLOCK_TIME_IS_VALID (sg->end) ? sg->end : r->duration;

    g_string_append_printf (out,
        "<a href=\"#segment-%u\"><rect class=\"segment\" data-id=\"%u\" "
        "data-start=\"%.3f\" data-end=\"%.3f\" x=\"%.1f\" y=\"%.1f\" "
        "width=\"%.2f\" height=\"%.1f\"><title>segment %u: %s, %s - %s, "
        "peak %.2f</title></rect></a>\n",
        sg->id, sg->id, sg->start / 1e9,
        GST_CLOCK_TIME_IS_VALID (sg->end) ? sg->end / 1e9 : -1.0,
        xpos (a, sg->start), RISK_Y - 6,
        MAX (xpos (a, end) - xpos (a, sg->start), 1.0), 6.0, sg->id, lab, a0,
        a1, sg->peak);
    g_free (a0);
    g_free (a1);
    g_free (lab);
  }
  /* risk as steps: one level per window */
  for (i = 0; i < r->windows->len; i++) {
    const OaWindow *w = &g_array_index (r->windows, OaWindow, i);

    g_array_append_val (t, w->start);
    g_array_append_val (v, w->risk);
    g_array_append_val (t, w->end);
    g_array_append_val (v, w->risk);
  }
  curve (out, a, t, v, 0, 1, RISK_Y, RISK_H, "risk");
  if (isfinite (r->enter_threshold))
    g_string_append_printf (out,
        "<line class=\"threshold enter\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
        "y2=\"%.1f\"/><text class=\"scale\" x=\"%.1f\" y=\"%.1f\">enter "
        "%.2f</text>\n",
        X0, W, RISK_Y + RISK_H * (1 - r->enter_threshold),
        RISK_Y + RISK_H * (1 - r->enter_threshold), W - 60,
        RISK_Y + RISK_H * (1 - r->enter_threshold) - 3, r->enter_threshold);
  if (isfinite (r->exit_threshold))
    g_string_append_printf (out,
        "<line class=\"threshold exit\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
        "y2=\"%.1f\"/><text class=\"scale\" x=\"%.1f\" y=\"%.1f\">exit "
        "%.2f</text>\n",
        X0, W, RISK_Y + RISK_H * (1 - r->exit_threshold),
        RISK_Y + RISK_H * (1 - r->exit_threshold), W - 60,
        RISK_Y + RISK_H * (1 - r->exit_threshold) - 3, r->exit_threshold);

  /* shot cuts */
  lane_label (out, CUT_Y, "cuts", NULL, NULL, CUT_H);
  for (i = 0; i < r->cuts->len; i++) {
    const OaCut *c = &g_array_index (r->cuts, OaCut, i);
    gchar *a0 = clock_str (c->time);

    g_string_append_printf (out,
        "<line class=\"cut\" data-time=\"%.3f\" x1=\"%.1f\" x2=\"%.1f\" "
        "y1=\"%.1f\" y2=\"%.1f\"><title>cut at %s (score "
        "%.2f)</title></line>\n",
        c->time / 1e9, xpos (a, c->time), xpos (a, c->time), CUT_Y,
        CUT_Y + CUT_H, a0, c->score);
    g_free (a0);
  }

  /* tempo: omnirhythm's messages, else the windows' evidence */
  g_array_set_size (t, 0);
  g_array_set_size (v, 0);
  for (i = 0; i < r->rhythm->len; i++) {
    const OaRhythm *x = &g_array_index (r->rhythm, OaRhythm, i);
    /* a tempo the tracker is not confident of is no tempo */
    gdouble bpm
        = (isfinite (x->confidence) && x->confidence < 0.5) || !(x->tempo > 0)
              ? NAN
              : x->tempo;

    g_array_append_val (t, x->time);
    g_array_append_val (v, bpm);
    if (isfinite (bpm))
      have_rhythm_tempo = TRUE;
  }
  if (!have_rhythm_tempo) {
    g_array_set_size (t, 0);
    g_array_set_size (v, 0);
    for (i = 0; i < r->windows->len; i++) {
      const OaWindow *w = &g_array_index (r->windows, OaWindow, i);
      GstClockTime mid = w->start + (w->end - w->start) / 2;
      gdouble bpm = w->tempo > 0 ? w->tempo : NAN;

      g_array_append_val (t, mid);
      g_array_append_val (v, bpm);
    }
  }
  for (i = 0; i < v->len; i++) {
    gdouble x = g_array_index (v, gdouble, i);

    if (isfinite (x)) {
      tlo = MIN (tlo, x);
      thi = MAX (thi, x);
    }
  }
  if (tlo > thi) {
    tlo = 60;
    thi = 180;
  }
  tlo = floor (tlo / 10 - 1) * 10;
  thi = ceil (thi / 10 + 1) * 10;
  {
    gchar *top = g_strdup_printf ("%.0f", thi),
          *bot = g_strdup_printf ("%.0f", tlo);

    lane_label (out, TEMPO_Y, "BPM", top, bot, TEMPO_H);
    g_free (top);
    g_free (bot);
  }
  curve (out, a, t, v, tlo, thi, TEMPO_Y, TEMPO_H, "tempo");

  /* loudness (RMS dBFS) */
  lane_label (out, LOUD_Y, "dBFS", "0", "-60", LOUD_H);
  g_array_set_size (t, 0);
  g_array_set_size (v, 0);
  for (i = 0; i < r->rhythm->len; i++) {
    const OaRhythm *x = &g_array_index (r->rhythm, OaRhythm, i);

    g_array_append_val (t, x->time);
    g_array_append_val (v, x->rms_db);
    if (isfinite (x->rms_db))
      have_rhythm_rms = TRUE;
  }
  if (!have_rhythm_rms) {
    g_array_set_size (t, 0);
    g_array_set_size (v, 0);
    for (i = 0; i < r->windows->len; i++) {
      const OaWindow *w = &g_array_index (r->windows, OaWindow, i);
      GstClockTime mid = w->start + (w->end - w->start) / 2;

      g_array_append_val (t, mid);
      g_array_append_val (v, w->rms_db);
    }
  }
  curve (out, a, t, v, -60, 0, LOUD_Y, LOUD_H, "loudness");

  /* thumbnails kept (frames in flagged segments) */
  for (i = 0; i < kept->len; i++) {
    const OaThumb *th = g_ptr_array_index (kept, i);
    gchar *a0 = clock_str (th->time);

    g_string_append_printf (out,
        "<a href=\"#thumb-%u\"><circle class=\"thumb-mark\" cx=\"%.1f\" "
        "cy=\"%.1f\" r=\"4\"><title>frame at %s</title></circle></a>\n",
        i, xpos (a, th->time), THUMB_Y, a0);
    g_free (a0);
  }

  /* time axis */
  step = tick_step (a->span);
  g_string_append_printf (out,
      "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
      "y2=\"%.1f\"/>\n",
      X0, W, AXIS_Y, AXIS_Y);
  for (s = 0; s <= a->span + 1e-9; s += step) {
    gchar *a0 = step >= 1 ? g_strdup_printf (
                    "%u:%02u", (guint) (s / 60), (guint) fmod (s + 0.5, 60))
                          : g_strdup_printf ("%.1f", s);

    g_string_append_printf (out,
        "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
        "<text class=\"scale\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s"
        "</text>\n",
        xpos (a, (GstClockTime) (s * GST_SECOND)),
        xpos (a, (GstClockTime) (s * GST_SECOND)), AXIS_Y, AXIS_Y + 5,
        xpos (a, (GstClockTime) (s * GST_SECOND)), AXIS_Y + 18, a0);
    g_free (a0);
  }
  g_string_append (out, "</svg>\n");
  g_array_unref (t);
  g_array_unref (v);
}

static const gchar *css
    = "body{font:14px/1.4 sans-serif;margin:24px;color:#222;background:#fff}"
      "h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}"
      ".meta{color:#555}table{border-collapse:collapse}"
      "td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}"
      "svg text{font:11px sans-serif;fill:#333}svg text.lane{font-weight:bold}"
      ".lanebg{fill:#f6f7f9;stroke:#ccd}"
      ".window.ok{fill:#e8f3e8}.window.review{fill:#ffe9a8}"
      ".window.flagged{fill:#f6b3b3}"
      ".segment{fill:#c0392b}.risk{fill:none;stroke:#1b4f9c;stroke-width:1.5}"
      ".threshold{stroke-dasharray:6 4;stroke-width:1}"
      ".threshold.enter{stroke:#c0392b}.threshold.exit{stroke:#d68910}"
      ".cut{stroke:#222;stroke-width:2}.tempo{fill:none;stroke:#7d3c98;"
      "stroke-width:1.5}.loudness{fill:none;stroke:#117a65;stroke-width:1.5}"
      ".thumb-mark{fill:#c0392b}.axis{stroke:#888}"
      ".thumbs{display:flex;flex-wrap:wrap;gap:8px}"
      "figure{margin:0}figcaption{font-size:12px;color:#555}"
      "tr.flagged td{background:#fbe3e3}tr.review td{background:#fff5d6}"
      ".legend span{display:inline-block;margin-right:14px}"
      ".sw{display:inline-block;width:12px;height:12px;vertical-align:middle;"
      "margin-right:4px}";

/* ---- what the media shows and says ---------------------------------- */

void
oa_window_read_content (OaWindow *w, const GstStructure *e)
{
  guint people;

  w->people = -1;
  if (!e)
    return;
  if (gst_structure_get_uint (e, "people", &people))
    w->people = people;
  w->objects = g_strdup (gst_structure_get_string (e, "objects"));
  w->transcript = g_strdup (gst_structure_get_string (e, "text"));
  w->screen_text = g_strdup (gst_structure_get_string (e, "screen-text"));
}

void
oa_window_clear_content (OaWindow *w)
{
  g_clear_pointer (&w->objects, g_free);
  g_clear_pointer (&w->transcript, g_free);
  g_clear_pointer (&w->screen_text, g_free);
}

/* "person 2, dog 1" -> counts per label, in @totals (label -> windows) */
static void
count_objects (GHashTable *totals, const gchar *objects)
{
  gchar **items = g_strsplit (objects, ", ", -1);
  guint i;

  for (i = 0; items[i]; i++) {
    gchar *sp = strrchr (items[i], ' ');

    if (!sp)
      continue;
    *sp = '\0';
    g_hash_table_insert (totals, g_strdup (items[i]),
        GUINT_TO_POINTER (
            GPOINTER_TO_UINT (g_hash_table_lookup (totals, items[i])) + 1));
  }
  g_strfreev (items);
}

static gint
compare_totals (gconstpointer a, gconstpointer b, gpointer totals)
{
  guint na = GPOINTER_TO_UINT (g_hash_table_lookup (totals, *(gchar **) a));
  guint nb = GPOINTER_TO_UINT (g_hash_table_lookup (totals, *(gchar **) b));

  return na != nb ? (na > nb ? -1 : 1) : strcmp (*(gchar **) a, *(gchar **) b);
}

/* the labels seen, by the number of windows they are in */
static GPtrArray *
main_objects (const GArray *windows, GHashTable **totals_out)
{
  GHashTable *totals
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *labels = g_ptr_array_new ();
  GHashTableIter it;
  gpointer key;
  guint i;

  for (i = 0; i < windows->len; i++) {
    const OaWindow *w = &g_array_index (windows, OaWindow, i);

    if (w->objects)
      count_objects (totals, w->objects);
  }
  g_hash_table_iter_init (&it, totals);
  while (g_hash_table_iter_next (&it, &key, NULL))
    g_ptr_array_add (labels, key);
  g_ptr_array_sort_with_data (labels, compare_totals, totals);
  *totals_out = totals;
  return labels;
}

/* people counts over time: runs of windows with the same count */
static void
people_runs (GString *out, const GArray *windows, const gchar *sep)
{
  guint i, start = 0;

  for (i = 1; i <= windows->len; i++) {
    const OaWindow *a = &g_array_index (windows, OaWindow, start);
    const OaWindow *b
        = i < windows->len ? &g_array_index (windows, OaWindow, i) : NULL;

    if (b && b->people == a->people)
      continue;
    if (a->people >= 0)
      g_string_append_printf (out, "%s%.1f-%.1f s: %d", out->len ? sep : "",
          a->start / 1e9, g_array_index (windows, OaWindow, i - 1).end / 1e9,
          a->people);
    start = i;
  }
}

static gchar *
transcript_of (const GArray *windows, guint max_chars)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < windows->len; i++) {
    const OaWindow *w = &g_array_index (windows, OaWindow, i);

    if (w->transcript && *w->transcript)
      g_string_append_printf (s, "%s%s", s->len ? " " : "", w->transcript);
  }
  if ((guint) g_utf8_strlen (s->str, -1) > max_chars) {
    g_string_truncate (
        s, g_utf8_offset_to_pointer (s->str, max_chars) - s->str);
    g_string_append (s, "\xe2\x80\xa6");
  }
  return g_string_free (s, FALSE);
}

void
oa_content_print (const GArray *windows)
{
  GHashTable *totals;
  GPtrArray *labels = main_objects (windows, &totals);
  GString *runs = g_string_new (NULL);
  gchar *transcript = transcript_of (windows, 400);
  guint i;

  people_runs (runs, windows, "; ");
  if (runs->len)
    printf ("  people            %s\n", runs->str);
  if (labels->len) {
    printf ("  main objects      ");
    for (i = 0; i < labels->len && i < 8; i++)
      printf ("%s%s (%u windows)", i ? ", " : "",
          (gchar *) g_ptr_array_index (labels, i),
          GPOINTER_TO_UINT (
              g_hash_table_lookup (totals, g_ptr_array_index (labels, i))));
    printf ("\n");
  }
  if (*transcript)
    printf ("  transcript        %s\n", transcript);
  g_free (transcript);
  g_string_free (runs, TRUE);
  g_ptr_array_unref (labels);
  g_hash_table_unref (totals);
}

static void
content_section (GString *out, const OaReport *r)
{
  GHashTable *totals;
  GPtrArray *labels = main_objects (r->windows, &totals);
  GString *runs = g_string_new (NULL);
  gchar *transcript = transcript_of (r->windows, 4000);
  guint i;

  people_runs (runs, r->windows, "</li><li>");
  if (runs->len || labels->len || *transcript) {
    g_string_append (out, "<h2>Content</h2>\n<div id=\"content\">\n");
    if (runs->len)
      g_string_append_printf (
          out, "<p>People over time:</p><ul><li>%s</li></ul>\n", runs->str);
    if (labels->len) {
      g_string_append (out, "<p>Main objects: ");
      for (i = 0; i < labels->len && i < 12; i++) {
        gchar *l = esc (g_ptr_array_index (labels, i));

        g_string_append_printf (out, "%s%s (%u windows)", i ? ", " : "", l,
            GPOINTER_TO_UINT (
                g_hash_table_lookup (totals, g_ptr_array_index (labels, i))));
        g_free (l);
      }
      g_string_append (out, "</p>\n");
    }
    if (*transcript) {
      gchar *t = esc (transcript);

      g_string_append_printf (out,
          "<p>Transcript:</p><blockquote id=\"transcript\">%s</blockquote>\n",
          t);
      g_free (t);
    }
    g_string_append (out, "</div>\n");
  }
  g_free (transcript);
  g_string_free (runs, TRUE);
  g_ptr_array_unref (labels);
  g_hash_table_unref (totals);
}

/* the transcript and on-screen text of the windows meeting [a, b] */
static gchar *
excerpt (const OaReport *r, GstClockTime a, GstClockTime b, gboolean screen)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < r->windows->len; i++) {
    const OaWindow *w = &g_array_index (r->windows, OaWindow, i);
    const gchar *t = screen ? w->screen_text : w->transcript;

    if (t && *t && w->run_end > a && w->run_start <= b && !strstr (s->str, t))
      g_string_append_printf (s, "%s%s", s->len ? " " : "", t);
  }
  return g_string_free (s, FALSE);
}

/* ---- segments per category ----------------------------------------- */

void
oa_category_segment_add_from_json (GArray *segments, JsonObject *o,
    GstClockTime (*to_stream) (gpointer data, GstClockTime run), gpointer data)
{
  OaCategorySegment c = { 0 };

  c.category = g_strdup (
      json_object_get_string_member_with_default (o, "category", "?"));
  c.run_start = json_object_get_int_member_with_default (o, "start", 0);
  c.run_end = json_object_get_int_member_with_default (o, "end", 0);
  c.start = to_stream (data, c.run_start);
  c.end = to_stream (data, c.run_end);
  c.max = json_object_get_double_member_with_default (o, "max-confidence", 0);
  c.mean = json_object_get_double_member_with_default (o, "mean-confidence", 0);
  c.hits = json_object_get_int_member_with_default (o, "hits", 0);
  c.rules
      = g_strdup (json_object_get_string_member_with_default (o, "rules", ""));
  c.matches = g_strdup (
      json_object_get_string_member_with_default (o, "matches", ""));
  g_array_append_val (segments, c);
}

void
oa_category_segments_free (GArray *segments)
{
  guint i;

  for (i = 0; i < segments->len; i++) {
    OaCategorySegment *c = &g_array_index (segments, OaCategorySegment, i);

    g_free (c->category);
    g_free (c->rules);
    g_free (c->matches);
  }
  g_array_unref (segments);
}

/* the summary's lines: one per segment, in time order of closing */
void
oa_category_segments_print (const GArray *segments)
{
  guint i;

  printf ("  category segments %u\n", segments->len);
  if (!segments->len)
    return;
  printf ("    %-15s %-10s %-10s %-9s %-5s %-5s %s\n", "category", "start",
      "end", "duration", "max", "mean", "what");
  for (i = 0; i < segments->len; i++) {
    const OaCategorySegment *c
        = &g_array_index (segments, OaCategorySegment, i);

    printf ("    %-15s %-10.3f %-10.3f %-9.3f %-5.2f %-5.2f %s (%s)\n",
        c->category, c->start / 1e9, c->end / 1e9, (c->end - c->start) / 1e9,
        c->max, c->mean, c->matches, c->rules);
  }
}

static void
category_table (GString *out, const OaReport *r, GPtrArray *kept)
{
  guint i, j;

  if (!r->categories || !r->categories->len)
    return;
  g_string_append (out,
      "<h2>Segments per category</h2>\n<table id=\"categories\"><tr>"
      "<th>category</th><th>start</th><th>end</th><th>duration</th>"
      "<th>max</th><th>mean</th><th>what fired</th><th>transcript</th>"
      "<th>on screen</th><th>frames</th></tr>\n");
  for (i = 0; i < r->categories->len; i++) {
    const OaCategorySegment *c
        = &g_array_index (r->categories, OaCategorySegment, i);
    gchar *a0 = clock_str (c->start), *a1 = clock_str (c->end);
    gchar *cat = esc (c->category), *what = esc (c->matches);
    gchar *rules = esc (c->rules);
    gchar *said = excerpt (r, c->run_start, c->run_end, FALSE);
    gchar *shown = excerpt (r, c->run_start, c->run_end, TRUE);
    gchar *esaid = esc (said), *eshown = esc (shown);

    g_string_append_printf (out,
        "<tr class=\"category-segment\"><td>%s</td><td>%s</td><td>%s</td>"
        "<td>%.3f s</td><td>%.2f</td><td>%.2f</td><td>%s <small>(%s)</small>"
        "</td><td>%s</td><td>%s</td><td>",
        cat, a0, a1, (c->end - c->start) / 1e9, c->max, c->mean, what, rules,
        esaid, eshown);
    g_free (said);
    g_free (shown);
    g_free (esaid);
    g_free (eshown);
    for (j = 0; j < kept->len; j++) {
      const OaThumb *t = g_ptr_array_index (kept, j);

      if (t->run + GST_SECOND / 2 >= c->run_start
          && t->run <= c->run_end + GST_SECOND / 2)
        g_string_append_printf (out, "<a href=\"#thumb-%u\">%u</a> ", j, j);
    }
    g_string_append (out, "</td></tr>\n");
    g_free (a0);
    g_free (a1);
    g_free (cat);
    g_free (what);
    g_free (rules);
  }
  g_string_append (out, "</table>\n");
}

gboolean
oa_report_write (const OaReport *r, GError **error)
{
  GString *out = g_string_new (NULL);
  Axis axis;
  GPtrArray *kept = g_ptr_array_new ();
  gchar *thumbdir = g_build_filename (r->dir, "thumbs", NULL);
  gchar *path, *in = esc (r->input), *dur;
  GstClockTime end = 0;
  guint i, j, n_flag = 0, n_review = 0;
  gboolean ok = TRUE;

  for (i = 0; i < r->windows->len; i++) {
    const OaWindow *w = &g_array_index (r->windows, OaWindow, i);

    if (GST_CLOCK_TIME_IS_VALID (w->end))
      end = MAX (end, w->end);
    n_flag += w->state == OMNI_VERDICT_FLAGGED;
    n_review += w->state == OMNI_VERDICT_REVIEW;
  }
  if (GST_CLOCK_TIME_IS_VALID (r->duration) && r->duration > 0)
    end = MAX (end, r->duration);
  axis.span = MAX (end / 1e9, 1.0);

  /* the thumbnails, as files: only those of flagged segments */
  if (g_mkdir_with_parents (thumbdir, 0755) != 0) {
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
        "cannot create %s: %s", thumbdir, g_strerror (errno));
    ok = FALSE;
    goto out;
  }
  for (i = 0; i < r->thumbs->len; i++) {
    OaThumb *t = g_ptr_array_index (r->thumbs, i);
    gchar *name, *file;
    gsize n;
    gconstpointer d;

    if (!t->keep)
      continue;
    name = g_strdup_printf ("frame-%09.3f.jpg", t->time / 1e9);
    file = g_build_filename (thumbdir, name, NULL);
    d = g_bytes_get_data (t->jpeg, &n);
    if (!g_file_set_contents (file, d, n, error))
      ok = FALSE;
    g_free (name);
    g_free (file);
    if (!ok)
      goto out;
    g_ptr_array_add (kept, t);
  }

  dur = clock_str (end);
  g_string_append_printf (out,
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width\">\n"
      "<title>omni-analyze report: %s</title>\n<style>%s</style></head>\n"
      "<body>\n<h1>omni-analyze report</h1>\n"
      "<p class=\"meta\">%s &middot; %s analysed in %.1f s (%.1fx real time) "
      "&middot; %u windows, %u review, %u flagged &middot; %u flagged "
      "segment%s &middot; %u shot cut%s</p>\n",
      in, css, in, dur, r->wall, r->wall > 0 ? end / 1e9 / r->wall : 0,
      r->windows->len, n_review, n_flag, r->segments->len,
      r->segments->len == 1 ? "" : "s", r->cuts->len,
      r->cuts->len == 1 ? "" : "s");
  g_free (dur);
  g_string_append (out,
      "<p class=\"legend\"><span><i class=\"sw\" style=\"background:#e8f3e8\">"
      "</i>ok</span><span><i class=\"sw\" style=\"background:#ffe9a8\"></i>"
      "review</span><span><i class=\"sw\" style=\"background:#f6b3b3\"></i>"
      "flagged</span><span><i class=\"sw\" style=\"background:#c0392b\"></i>"
      "flagged segment</span><span><i class=\"sw\" "
      "style=\"background:#1b4f9c\">"
      "</i>risk</span><span><i class=\"sw\" style=\"background:#7d3c98\"></i>"
      "tempo</span><span><i class=\"sw\" style=\"background:#117a65\"></i>"
      "loudness (RMS)</span></p>\n");
  timeline (out, r, &axis, kept);

  /* segments */
  g_string_append (out, "<h2>Flagged segments</h2>\n");
  if (!r->segments->len) {
    g_string_append (out, "<p id=\"no-segments\">None: nothing reached the "
                          "enter threshold long enough.</p>\n");
  } else {
    g_string_append (out, "<table id=\"segments\"><tr><th>#</th><th>start</th>"
                          "<th>end</th><th>label</th><th>peak risk</th>"
                          "<th>mean risk</th><th>frames</th></tr>\n");
    for (i = 0; i < r->segments->len; i++) {
      const OaSegment *sg = &g_array_index (r->segments, OaSegment, i);
      gchar *a0 = clock_str (sg->start), *a1 = clock_str (sg->end);
      gchar *lab = esc (sg->label);

      g_string_append_printf (out,
          "<tr class=\"flagged\" id=\"segment-%u\"><td>%u</td><td>%s</td>"
          "<td>%s</td><td>%s</td><td>%.3f</td><td>%.3f</td><td>",
          sg->id, sg->id, a0, a1, lab, sg->peak, sg->mean);
      for (j = 0; j < kept->len; j++) {
        const OaThumb *t = g_ptr_array_index (kept, j);

        if (t->run >= sg->run_start
            && (!GST_CLOCK_TIME_IS_VALID (sg->run_end) || t->run < sg->run_end))
          g_string_append_printf (out, "<a href=\"#thumb-%u\">%u</a> ", j, j);
      }
      g_string_append (out, "</td></tr>\n");
      g_free (a0);
      g_free (a1);
      g_free (lab);
    }
    g_string_append (out, "</table>\n");
  }

  category_table (out, r, kept);
  content_section (out, r);

  /* thumbnails */
  if (kept->len) {
    g_string_append (out, "<h2>Frames in flagged segments</h2>\n"
                          "<div class=\"thumbs\">\n");
    for (i = 0; i < kept->len; i++) {
      const OaThumb *t = g_ptr_array_index (kept, i);
      gchar *a0 = clock_str (t->time);
      gchar *name = g_strdup_printf ("thumbs/frame-%09.3f.jpg", t->time / 1e9);
      gchar *href = r->uri
                        ? g_strdup_printf ("%s#t=%.3f", r->uri, t->time / 1e9)
                        : g_strdup (name);
      gchar *ehref = esc (href);

      g_string_append_printf (out,
          "<figure id=\"thumb-%u\"><a href=\"%s\"><img class=\"thumb\" "
          "src=\"%s\" width=\"%d\" alt=\"frame at %s\" data-time=\"%.3f\"></a>"
          "<figcaption>%s</figcaption></figure>\n",
          i, ehref, name, 192, a0, t->time / 1e9, a0);
      g_free (a0);
      g_free (name);
      g_free (href);
      g_free (ehref);
    }
    g_string_append (out, "</div>\n");
  }

  /* windows */
  g_string_append (out, "<h2>Windows</h2>\n<table id=\"windows\"><tr>"
                        "<th>start</th><th>end</th><th>verdict</th>"
                        "<th>risk</th><th>caption</th></tr>\n");
  for (i = 0; i < r->windows->len; i++) {
    const OaWindow *w = &g_array_index (r->windows, OaWindow, i);
    const gchar *state = state_name (w->state);
    gchar *a0 = clock_str (w->start), *a1 = clock_str (w->end);
    gchar *cap = esc (w->caption), *lab = esc (w->label);

    g_string_append_printf (out,
        "<tr class=\"%s\"><td>%s</td><td>%s</td><td>%s%s%s</td><td>%.3f</td>"
        "<td>%s</td></tr>\n",
        state, a0, a1, state, w->label ? " " : "", lab, w->risk, cap);
    g_free (a0);
    g_free (a1);
    g_free (cap);
    g_free (lab);
  }
  g_string_append (out, "</table>\n<p class=\"meta\">Written by omni-analyze "
                        "(gst-omni). Times are in the media's own timeline."
                        "</p>\n</body></html>\n");

  path = g_build_filename (r->dir, "index.html", NULL);
  ok = g_file_set_contents (path, out->str, out->len, error);
  g_free (path);
out:
  g_free (in);
  g_free (thumbdir);
  g_ptr_array_free (kept, TRUE);
  g_string_free (out, TRUE);
  return ok;
}
