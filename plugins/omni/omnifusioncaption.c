/* gst-omni: omnifusion's captions
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Template language of the caption-format property:
 *  - {name} expands to a value (the names are listed in field_names[]);
 *  - [ ... ] is an optional group, left out when any {name} inside it
 *    expands to nothing; groups do not nest;
 *  - a backslash takes the next character literally (\{ \} \[ \] \\);
 *  - everything else is literal UTF-8.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "omnifusioncaption.h"

static const gchar *const field_names[OMNI_FUSION_CAPTION_N_FIELDS + 1]
    = { "visual", "classes", "audio", "audio-kind", "tempo", "loudness",
        "transcript", "verdict", "state", "label", "risk", "start", "end",
        "missing", "index", "sentence", "objects", "faces", "tracks", "speech",
        "screen-text", "scene", NULL };

typedef enum {
  TOKEN_LITERAL,
  TOKEN_FIELD,
  TOKEN_GROUP_START,
  TOKEN_GROUP_END,
} TokenKind;

typedef struct {
  TokenKind kind;
  gchar *text;                  /* TOKEN_LITERAL */
  OmniFusionCaptionField field; /* TOKEN_FIELD */
} Token;

struct _OmniFusionCaptionTemplate {
  GArray *tokens;
};

static void
token_clear (Token *t)
{
  g_free (t->text);
}

void
omni_fusion_caption_template_free (OmniFusionCaptionTemplate *t)
{
  if (!t)
    return;
  g_array_unref (t->tokens);
  g_free (t);
}

static void
flush_literal (GArray *tokens, GString *lit)
{
  Token t = { TOKEN_LITERAL, NULL, 0 };

  if (!lit->len)
    return;
  t.text = g_strdup (lit->str);
  g_array_append_val (tokens, t);
  g_string_truncate (lit, 0);
}

/**
 * omni_fusion_caption_template_parse:
 * @error: names the character position (1-based) of the problem
 */
OmniFusionCaptionTemplate *
omni_fusion_caption_template_parse (const gchar *format, GError **error)
{
  OmniFusionCaptionTemplate *t;
  GString *lit = g_string_new (NULL);
  const gchar *p;
  gboolean in_group = FALSE;
  glong group_pos = 0;

  if (!format || !g_utf8_validate (format, -1, NULL)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "caption-format is not valid UTF-8");
    g_string_free (lit, TRUE);
    return NULL;
  }

  t = g_new0 (OmniFusionCaptionTemplate, 1);
  t->tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  g_array_set_clear_func (t->tokens, (GDestroyNotify) token_clear);

  for (p = format; *p; p = g_utf8_next_char (p)) {
    glong pos = g_utf8_pointer_to_offset (format, p) + 1;

    if (*p == '\\') {
      if (!p[1]) {
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
            "caption-format: lone '\\' at the end (character %ld)", pos);
        goto fail;
      }
      p++;
      g_string_append_unichar (lit, g_utf8_get_char (p));
    } else if (*p == '{') {
      const gchar *close = strchr (p, '}');
      gchar *name;
      guint i;
      Token tok = { TOKEN_FIELD, NULL, 0 };

      if (!close) {
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
            "caption-format: '{' at character %ld is never closed", pos);
        goto fail;
      }
      name = g_strndup (p + 1, close - p - 1);
      for (i = 0; field_names[i]; i++) {
        if (g_str_equal (name, field_names[i]))
          break;
      }
      if (!field_names[i]) {
        gchar *known = g_strjoinv ("}, {", (gchar **) field_names);

        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
            "caption-format: unknown placeholder {%s} at character %ld "
            "(known: {%s})",
            name, pos, known);
        g_free (known);
        g_free (name);
        goto fail;
      }
      g_free (name);
      flush_literal (t->tokens, lit);
      tok.field = i;
      g_array_append_val (t->tokens, tok);
      p = close;
    } else if (*p == '}') {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
          "caption-format: '}' at character %ld without '{' (write \\} for "
          "a literal brace)",
          pos);
      goto fail;
    } else if (*p == '[') {
      Token tok = { TOKEN_GROUP_START, NULL, 0 };

      if (in_group) {
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
            "caption-format: '[' at character %ld inside the group opened "
            "at character %ld (groups do not nest)",
            pos, group_pos);
        goto fail;
      }
      flush_literal (t->tokens, lit);
      g_array_append_val (t->tokens, tok);
      in_group = TRUE;
      group_pos = pos;
    } else if (*p == ']') {
      Token tok = { TOKEN_GROUP_END, NULL, 0 };

      if (!in_group) {
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
            "caption-format: ']' at character %ld without '['", pos);
        goto fail;
      }
      flush_literal (t->tokens, lit);
      g_array_append_val (t->tokens, tok);
      in_group = FALSE;
    } else {
      g_string_append_unichar (lit, g_utf8_get_char (p));
    }
  }
  if (in_group) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "caption-format: the group opened at character %ld is never closed",
        group_pos);
    goto fail;
  }
  flush_literal (t->tokens, lit);
  g_string_free (lit, TRUE);
  return t;

fail:
  g_string_free (lit, TRUE);
  omni_fusion_caption_template_free (t);
  return NULL;
}

gchar *
omni_fusion_caption_render (const OmniFusionCaptionTemplate *t, gchar **values)
{
  GString *out = g_string_new (NULL);
  GString *group = NULL;
  gboolean group_ok = TRUE;
  guint i;

  for (i = 0; i < t->tokens->len; i++) {
    const Token *tok = &g_array_index (t->tokens, Token, i);
    GString *dest = group ? group : out;

    switch (tok->kind) {
    case TOKEN_LITERAL:
      g_string_append (dest, tok->text);
      break;
    case TOKEN_FIELD: {
      const gchar *v = values[tok->field];

      if (v && *v)
        g_string_append (dest, v);
      else
        group_ok = FALSE;
      break;
    }
    case TOKEN_GROUP_START:
      group = g_string_new (NULL);
      group_ok = TRUE;
      break;
    case TOKEN_GROUP_END:
      if (group_ok)
        g_string_append (out, group->str);
      g_string_free (group, TRUE);
      group = NULL;
      break;
    }
  }
  return g_string_free (out, FALSE);
}

/* ---- wording ------------------------------------------------------- */

/* Tempo confidence from which a window is called music (legacy rule). */
#define MUSIC_TEMPO_CONFIDENCE 0.5
/* Weaker rhythm still counts as music when the level is steady. */
#define WEAK_TEMPO_CONFIDENCE 0.25
/* Scheirer & Slaney's low-energy share above which audio is speech-like
 * (legacy rule). */
#define SPEECH_LOW_ENERGY_FRACTION 0.35

/* The speech/music discriminator: a logistic regression on omnirhythm's
 * three cues, log-odds of speech =
 *   W_FLUX * log10 (flux variance) + W_LEVEL * level std (dB)
 *   + W_PERSIST * persistence + BIAS.
 * Fitted (class-balanced, L2 0.01) on the 1 s windows of the real speech
 * and music in ../shared/data and the generated corpus of
 * gst-tests/data/audiokind_media.py; gst-tests/pipelines/
 * audio_calibration.py measures it and can refit it (--fit). Accuracy in
 * docs/dsp.md. */
#define SPEECH_W_FLUX 4.25
#define SPEECH_W_LEVEL 0.239
#define SPEECH_W_PERSIST (-11.5)
#define SPEECH_BIAS 18.1
#define SPEECH_MIN_FLUX_VAR 1e-7

/**
 * omni_fusion_caption_speech_score:
 *
 * Returns: the discriminator's log-odds that the window is speech rather
 * than music (> 0: speech), or NAN when its metas carry no speech/music
 * cues
 */
gdouble
omni_fusion_caption_speech_score (const OmniFusionWindow *w)
{
  gdouble fv, ls, pe;

  if (!omni_fusion_window_cues (w, &fv, &ls, &pe))
    return NAN;
  return SPEECH_W_FLUX * log10 (MAX (fv, SPEECH_MIN_FLUX_VAR))
         + SPEECH_W_LEVEL * ls + SPEECH_W_PERSIST * pe + SPEECH_BIAS;
}

/* the rule for metas without the cues (written by other producers or
 * before omnirhythm had them) */
static const gchar *
legacy_kind (const OmniFusionWindow *w)
{
  gdouble conf, tempo, low;

  tempo = omni_fusion_window_tempo (w, &conf);
  if (tempo > 0 && conf >= MUSIC_TEMPO_CONFIDENCE)
    return "music";
  low = omni_fusion_window_low_energy_fraction (w);
  if (low >= SPEECH_LOW_ENERGY_FRACTION)
    return "speech-like";
  if (tempo > 0 && conf >= WEAK_TEMPO_CONFIDENCE)
    return "music";
  return "sound";
}

/**
 * omni_fusion_caption_audio_kind:
 *
 * Audio character of a window, from the OmniRhythmMeta of its buffers:
 * "silence" when the mean level is below the policy's silence-db;
 * otherwise, where the metas carry omnirhythm's speech/music cues,
 * "speech-like" or "music" by omni_fusion_caption_speech_score() (flux
 * variance, Scheirer & Slaney 1997; level spread; spectral persistence).
 * Without the cues: "music" when the tempo tracker is confident (>= 0.5),
 * "speech-like" when at least 35 % of the buffers are below half the mean
 * power (Scheirer & Slaney's low-energy feature), "music" for a weaker
 * beat (>= 0.25), otherwise "sound".
 *
 * Returns: (nullable): the kind, or %NULL when the window has no rhythm
 * meta
 */
const gchar *
omni_fusion_caption_audio_kind (
    const OmniFusionWindow *w, const OmniFusionPolicy *policy)
{
  gdouble z;

  if (!w->rhythm_buffers)
    return NULL;
  if (omni_fusion_window_rms_db (w) < policy->silence_db)
    return "silence";
  z = omni_fusion_caption_speech_score (w);
  if (isnan (z))
    return legacy_kind (w);
  return z > 0 ? "speech-like" : "music";
}

static gchar *
format_time (GstClockTime t)
{
  if (!GST_CLOCK_TIME_IS_VALID (t))
    return NULL;
  return g_strdup_printf ("%u:%02u:%02u.%03u",
      (guint) (t / (3600 * GST_SECOND)), (guint) ((t / (60 * GST_SECOND)) % 60),
      (guint) ((t / GST_SECOND) % 60),
      (guint) ((t % GST_SECOND) / GST_MSECOND));
}

static gint
compare_stat_desc (gconstpointer a, gconstpointer b)
{
  const OmniFusionClassStat *sa = a, *sb = b;

  return sa->sum < sb->sum ? 1 : sa->sum > sb->sum ? -1 : 0;
}

static gchar *
format_classes (const OmniFusionWindow *w)
{
  GArray *sorted;
  GString *s;
  guint i;

  if (w->vclasses.n == 0)
    return NULL;
  sorted = g_array_copy (w->vclasses.stats);
  g_array_sort (sorted, compare_stat_desc);
  s = g_string_new (NULL);
  for (i = 0; i < MIN (sorted->len, 3); i++) {
    const OmniFusionClassStat *st
        = &g_array_index (sorted, OmniFusionClassStat, i);

    g_string_append_printf (
        s, "%s%s %.2f", i ? ", " : "", st->label, st->sum / w->vclasses.n);
  }
  g_array_unref (sorted);
  return g_string_free (s, FALSE);
}

/**
 * omni_fusion_caption_values:
 *
 * Returns: (transfer full): the placeholder values for one window, a
 * %NULL-terminated array of OMNI_FUSION_CAPTION_N_FIELDS strings (empty
 * when unknown)
 */
gchar **
omni_fusion_caption_values (const OmniFusionWindow *w,
    const OmniFusionPolicy *policy, const gchar *state, const gchar *label,
    gdouble risk, const gchar *missing, GstClockTime stream_start,
    GstClockTime stream_end)
{
  gchar **v = g_new0 (gchar *, OMNI_FUSION_CAPTION_N_FIELDS + 1);
  const gchar *top, *kind;
  gdouble score, rms, conf, tempo;
  guint i;

  top = omni_fusion_window_top_class (w, &score);
  if (top) {
    gchar *lower = g_utf8_strdown (top, -1);

    v[OMNI_FUSION_CAPTION_VISUAL]
        = g_strdup_printf ("%s (%.0f%%)", lower, 100 * score);
    g_free (lower);
  }
  v[OMNI_FUSION_CAPTION_CLASSES] = format_classes (w);

  kind = omni_fusion_caption_audio_kind (w, policy);
  rms = omni_fusion_window_rms_db (w);
  tempo = omni_fusion_window_tempo (w, &conf);
  if (kind) {
    v[OMNI_FUSION_CAPTION_AUDIO_KIND] = g_strdup (kind);
    v[OMNI_FUSION_CAPTION_LOUDNESS] = g_strdup_printf ("%.0f dBFS", rms);
    if (tempo > 0 && conf >= WEAK_TEMPO_CONFIDENCE)
      v[OMNI_FUSION_CAPTION_TEMPO] = g_strdup_printf ("%.0f", tempo);
    if (g_str_equal (kind, "silence"))
      v[OMNI_FUSION_CAPTION_AUDIO] = g_strdup ("silence");
    else if (g_str_equal (kind, "music") && v[OMNI_FUSION_CAPTION_TEMPO])
      v[OMNI_FUSION_CAPTION_AUDIO] = g_strdup_printf ("music, %s BPM, %s",
          v[OMNI_FUSION_CAPTION_TEMPO], v[OMNI_FUSION_CAPTION_LOUDNESS]);
    else
      v[OMNI_FUSION_CAPTION_AUDIO] = g_strdup_printf ("%s%s, %s", kind,
          g_str_equal (kind, "speech-like") ? " audio" : "",
          v[OMNI_FUSION_CAPTION_LOUDNESS]);
  }
  if (w->text->len)
    v[OMNI_FUSION_CAPTION_TRANSCRIPT] = g_strdup (w->text->str);

  if (g_str_equal (state, "flagged"))
    v[OMNI_FUSION_CAPTION_VERDICT]
        = g_strdup_printf ("FLAGGED: %s (%.2f)", label ? label : "?", risk);
  else if (g_str_equal (state, "review"))
    v[OMNI_FUSION_CAPTION_VERDICT]
        = g_strdup_printf ("review: %s (%.2f)", label ? label : "?", risk);
  else
    v[OMNI_FUSION_CAPTION_VERDICT] = g_strdup ("ok");
  v[OMNI_FUSION_CAPTION_STATE] = g_strdup (state);
  v[OMNI_FUSION_CAPTION_LABEL] = g_strdup (label);
  v[OMNI_FUSION_CAPTION_RISK] = g_strdup_printf ("%.2f", risk);
  v[OMNI_FUSION_CAPTION_START] = format_time (stream_start);
  v[OMNI_FUSION_CAPTION_END] = format_time (stream_end);
  if (missing && *missing)
    v[OMNI_FUSION_CAPTION_MISSING] = g_strdup_printf ("%s missing", missing);
  v[OMNI_FUSION_CAPTION_INDEX]
      = g_strdup_printf ("%" G_GUINT64_FORMAT, w->index);

  for (i = 0; i < OMNI_FUSION_CAPTION_N_FIELDS; i++) {
    if (!v[i])
      v[i] = g_strdup ("");
  }
  return v;
}

static void
take_value (gchar **values, OmniFusionCaptionField field, gchar *value)
{
  if (!value)
    return;
  g_free (values[field]);
  values[field] = value;
}

static const gchar *
state_word (OmniVerdictState state)
{
  switch (state) {
  case OMNI_VERDICT_FLAGGED:
    return "flagged";
  case OMNI_VERDICT_REVIEW:
    return "review";
  case OMNI_VERDICT_OK:
    return "ok";
  case OMNI_VERDICT_ERROR:
  default:
    return "error";
  }
}

/**
 * omni_fusion_caption_for_window:
 *
 * Returns: (transfer full): the caption of a judged window
 */
gchar *
omni_fusion_caption_for_window (const OmniFusionCaptionTemplate *t,
    const OmniFusionWindow *w, const OmniFusionPolicy *policy,
    const OmniFusionVerdict *v, OmniFusionTracks *tracks, const gchar *missing,
    GstClockTime stream_start, GstClockTime stream_end)
{
  gchar **values = omni_fusion_caption_values (w, policy, state_word (v->state),
      v->label, v->risk, missing, stream_start, stream_end);
  OmniFusionSentence s;
  gchar *caption;

  omni_fusion_sentence_build (&s, w, policy, v, tracks);
  take_value (values, OMNI_FUSION_CAPTION_SENTENCE,
      omni_fusion_sentence_join (&s, missing));
  take_value (values, OMNI_FUSION_CAPTION_OBJECTS, g_strdup (s.objects));
  take_value (values, OMNI_FUSION_CAPTION_FACES, g_strdup (s.faces));
  take_value (values, OMNI_FUSION_CAPTION_TRACKS, g_strdup (s.tracks));
  take_value (values, OMNI_FUSION_CAPTION_SPEECH, g_strdup (s.speech));
  take_value (values, OMNI_FUSION_CAPTION_SCREEN_TEXT, g_strdup (s.screen));
  take_value (values, OMNI_FUSION_CAPTION_SCENE, g_strdup (s.scene));
  omni_fusion_sentence_clear (&s);
  caption = omni_fusion_caption_render (t, values);
  g_strfreev (values);
  return caption;
}
