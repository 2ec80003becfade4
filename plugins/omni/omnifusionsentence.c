/* gst-omni: omnifusion's sentence captions
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A window is described in short English sentences, most salient first:
 * the objects (people first, then by count, then by name), the faces whose
 * expression or gender the models are confident about, the tracked
 * objects that enter or leave, what is said (quoted, cut at a word
 * boundary), the text on screen (quoted), the scene class, the audio, and
 * the verdict when it is not "ok". The wording is a pure function of the
 * window's contents (and, for entering/leaving, of the previous window's
 * tracks); counts are the most frequent count over the window's inferred
 * frames (ties to the larger), so one frame where the detector misses an
 * object does not change the caption.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "omnifusioncaption.h"
#include "omnifusionsentence.h"

/* Tempo confidence from which a tempo is said. */
#define TEMPO_CONFIDENCE 0.25

/* A scene class stays while it scores within this of the window's top. */
#define SCENE_MARGIN 0.2
/* A tempo stays while the window's is within this share of it. */
#define TEMPO_MARGIN 0.02

struct _OmniFusionTracks {
  GHashTable *prev; /* track id -> interned label */
  gboolean have_prev;
  /* the previous window's wording, kept while the evidence allows */
  const gchar *scene; /* interned class, or NULL */
  gdouble tempo;      /* BPM said, 0 if none */
};

OmniFusionTracks *
omni_fusion_tracks_new (void)
{
  OmniFusionTracks *t = g_new0 (OmniFusionTracks, 1);

  t->prev = g_hash_table_new (g_direct_hash, g_direct_equal);
  return t;
}

void
omni_fusion_tracks_free (OmniFusionTracks *t)
{
  if (!t)
    return;
  g_hash_table_unref (t->prev);
  g_free (t);
}

void
omni_fusion_tracks_reset (OmniFusionTracks *t)
{
  g_hash_table_remove_all (t->prev);
  t->have_prev = FALSE;
  t->scene = NULL;
  t->tempo = 0;
}

/* ---- words --------------------------------------------------------- */

static const gchar *const number_words[] = { "no", "a", "two", "three", "four",
  "five", "six", "seven", "eight", "nine", "ten" };

static const struct {
  const gchar *one, *many;
} irregular[] = {
  { "person", "people" },
  { "man", "men" },
  { "woman", "women" },
  { "knife", "knives" },
  { "mouse", "mice" },
  { "sheep", "sheep" },
  { "skis", "skis" },
  { "scissors", "scissors" },
};

static gchar *
plural (const gchar *noun)
{
  const gchar *last = strrchr (noun, ' ');
  gsize len = strlen (noun);
  guint i;

  last = last ? last + 1 : noun;
  for (i = 0; i < G_N_ELEMENTS (irregular); i++) {
    if (g_str_equal (last, irregular[i].one))
      return g_strdup_printf (
          "%.*s%s", (int) (last - noun), noun, irregular[i].many);
  }
  if (g_str_has_suffix (noun, "s") || g_str_has_suffix (noun, "x")
      || g_str_has_suffix (noun, "z") || g_str_has_suffix (noun, "ch")
      || g_str_has_suffix (noun, "sh"))
    return g_strdup_printf ("%ses", noun);
  if (len >= 2 && noun[len - 1] == 'y' && !strchr ("aeiou", noun[len - 2]))
    return g_strdup_printf ("%.*sies", (int) len - 1, noun);
  return g_strdup_printf ("%ss", noun);
}

/**
 * omni_fusion_sentence_noun_phrase:
 *
 * Returns: (nullable): "a dog", "an umbrella", "two dogs", "several
 * people" (above OMNI_FUSION_SENTENCE_SEVERAL_ABOVE); %NULL for 0
 */
gchar *
omni_fusion_sentence_noun_phrase (const gchar *noun, guint count)
{
  gchar *many, *s;

  if (count == 0)
    return NULL;
  if (count == 1)
    return g_strdup_printf (
        "%s %s", strchr ("aeiou", noun[0]) && noun[0] ? "an" : "a", noun);
  many = plural (noun);
  if (count > OMNI_FUSION_SENTENCE_SEVERAL_ABOVE)
    s = g_strdup_printf ("several %s", many);
  else
    s = g_strdup_printf ("%s %s", number_words[count], many);
  g_free (many);
  return s;
}

/**
 * omni_fusion_sentence_quote:
 *
 * Returns: @text in typographic quotes, cut at the last word boundary
 * within @max_chars characters (then "…")
 */
gchar *
omni_fusion_sentence_quote (const gchar *text, guint max_chars)
{
  GString *s = g_string_new ("\xe2\x80\x9c");

  if ((guint) g_utf8_strlen (text, -1) <= max_chars) {
    g_string_append (s, text);
  } else {
    const gchar *cut = g_utf8_offset_to_pointer (text, max_chars);
    const gchar *p = cut;

    /* back to the last space at or before the cut */
    while (p > text && *p != ' ')
      p = g_utf8_find_prev_char (text, p);
    if (p == text) /* one long word: cut inside it */
      p = cut;
    while (p > text && p[-1] == ' ')
      p--;
    g_string_append_len (s, text, p - text);
    g_string_append (s, "\xe2\x80\xa6");
  }
  g_string_append (s, "\xe2\x80\x9d");
  return g_string_free (s, FALSE);
}

static gchar *
capitalise (gchar *s)
{
  if (s && g_ascii_islower (s[0]))
    s[0] = g_ascii_toupper (s[0]);
  return s;
}

/* "a, b and c." from phrases (taken). */
static gchar *
list_sentence (GPtrArray *phrases, const gchar *suffix)
{
  GString *s = g_string_new (NULL);
  guint i;

  if (!phrases->len) {
    g_string_free (s, TRUE);
    return NULL;
  }
  for (i = 0; i < phrases->len; i++) {
    if (i)
      g_string_append (s, i + 1 == phrases->len ? " and " : ", ");
    g_string_append (s, g_ptr_array_index (phrases, i));
  }
  g_string_append (s, suffix ? suffix : ".");
  return capitalise (g_string_free (s, FALSE));
}

/* ---- objects and faces: most frequent count per frame -------------- */

typedef struct {
  const gchar *noun; /* interned */
  guint *counts;     /* per inferred frame */
  guint count;       /* the most frequent count */
} Kind;

static void
kind_free (Kind *k)
{
  g_free (k->counts);
  g_free (k);
}

static Kind *
kind_get (GPtrArray *kinds, const gchar *noun, guint n_frames)
{
  Kind *k;
  guint i;

  for (i = 0; i < kinds->len; i++) {
    k = g_ptr_array_index (kinds, i);
    if (k->noun == noun)
      return k;
  }
  k = g_new0 (Kind, 1);
  k->noun = noun;
  k->counts = g_new0 (guint, MAX (n_frames, 1));
  g_ptr_array_add (kinds, k);
  return k;
}

/* the mode of the per-frame counts, ties to the larger */
static guint
mode_count (const guint *counts, guint n)
{
  guint i, j, best = 0, best_n = 0;

  for (i = 0; i < n; i++) {
    guint c = counts[i], m = 0;

    for (j = 0; j < n; j++)
      m += counts[j] == c;
    if (m > best_n || (m == best_n && c > best)) {
      best = c;
      best_n = m;
    }
  }
  return best;
}

static gint
compare_kinds (gconstpointer a, gconstpointer b)
{
  const Kind *ka = *(Kind **) a, *kb = *(Kind **) b;
  gboolean pa = g_str_equal (ka->noun, "person");
  gboolean pb = g_str_equal (kb->noun, "person");

  if (pa != pb)
    return pa ? -1 : 1;
  if (ka->count != kb->count)
    return ka->count > kb->count ? -1 : 1;
  return strcmp (ka->noun, kb->noun);
}

static const struct {
  const gchar *emotion, *adjective;
} expressions[] = {
  { "happy", "smiling" },
  { "sad", "sad" },
  { "angry", "angry" },
  { "surprise", "surprised" },
  { "fear", "frightened" },
  { "disgust", "disgusted" },
};

/* "smiling woman", "man", "surprised face"; NULL when the models are not
 * confident about anything (or only about a neutral expression). */
static const gchar *
face_noun (const OmniFusionBox *b)
{
  const gchar *adj = NULL, *noun = "face";
  guint i;

  if (b->emotion
      && b->emotion_confidence >= OMNI_FUSION_SENTENCE_EMOTION_CONFIDENCE) {
    for (i = 0; i < G_N_ELEMENTS (expressions); i++) {
      if (g_str_equal (b->emotion, expressions[i].emotion))
        adj = expressions[i].adjective;
    }
  }
  if (b->gender
      && b->gender_confidence >= OMNI_FUSION_SENTENCE_GENDER_CONFIDENCE) {
    if (g_str_equal (b->gender, "female"))
      noun = "woman";
    else if (g_str_equal (b->gender, "male"))
      noun = "man";
  }
  if (!adj && g_str_equal (noun, "face"))
    return NULL;
  if (!adj)
    return g_intern_string (noun);
  {
    gchar *s = g_strdup_printf ("%s %s", adj, noun);
    const gchar *i = g_intern_string (s);

    g_free (s);
    return i;
  }
}

/* Kinds of object (faces = FALSE) or of face (TRUE), sorted. */
static GPtrArray *
count_kinds (const OmniFusionWindow *w, gboolean faces, gboolean *any_person)
{
  GPtrArray *kinds
      = g_ptr_array_new_with_free_func ((GDestroyNotify) kind_free);
  guint n = w->inferred_frames, i;

  *any_person = FALSE;
  for (i = 0; i < w->boxes->len; i++) {
    const OmniFusionBox *b = &g_array_index (w->boxes, OmniFusionBox, i);
    gboolean is_face = g_str_equal (b->label, "face");
    const gchar *noun;

    if (g_str_equal (b->label, "person"))
      *any_person = TRUE;
    if (is_face != faces || b->frame >= MAX (n, 1))
      continue;
    noun = faces ? face_noun (b) : b->label;
    if (faces && !noun)
      noun = g_intern_static_string ("face"); /* said only without people */
    kind_get (kinds, noun, n)->counts[b->frame]++;
  }
  for (i = 0; i < kinds->len; i++) {
    Kind *k = g_ptr_array_index (kinds, i);

    k->count = mode_count (k->counts, MAX (n, 1));
  }
  g_ptr_array_sort (kinds, compare_kinds);
  return kinds;
}

static gchar *
objects_sentence (const OmniFusionWindow *w, gboolean faces)
{
  gboolean any_person;
  GPtrArray *kinds = count_kinds (w, faces, &any_person);
  GPtrArray *phrases = g_ptr_array_new_with_free_func (g_free);
  gchar *s;
  guint i;

  for (i = 0; i < kinds->len && phrases->len < OMNI_FUSION_SENTENCE_MAX_KINDS;
       i++) {
    Kind *k = g_ptr_array_index (kinds, i);

    if (!k->count)
      continue;
    /* a face the models say nothing about is already one of the people */
    if (faces && any_person && g_str_equal (k->noun, "face"))
      continue;
    g_ptr_array_add (
        phrases, omni_fusion_sentence_noun_phrase (k->noun, k->count));
  }
  s = list_sentence (phrases, NULL);
  g_ptr_array_unref (phrases);
  g_ptr_array_unref (kinds);
  return s;
}

gchar *
omni_fusion_sentence_object_counts (const OmniFusionWindow *w, guint *people)
{
  gboolean any_person;
  GPtrArray *kinds = count_kinds (w, FALSE, &any_person);
  GString *s = g_string_new (NULL);
  guint i;

  *people = 0;
  for (i = 0; i < kinds->len; i++) {
    Kind *k = g_ptr_array_index (kinds, i);

    if (!k->count)
      continue;
    if (g_str_equal (k->noun, "person"))
      *people = k->count;
    g_string_append_printf (
        s, "%s%s %u", s->len ? ", " : "", k->noun, k->count);
  }
  g_ptr_array_unref (kinds);
  if (!s->len) {
    g_string_free (s, TRUE);
    return NULL;
  }
  return g_string_free (s, FALSE);
}

/* "A woman" / "A man" when the window shows exactly one face and the
 * model is confident about its gender; "Someone" otherwise. */
static const gchar *
speaker (const OmniFusionWindow *w)
{
  gboolean any_person;
  GPtrArray *kinds = count_kinds (w, TRUE, &any_person);
  const gchar *who = "Someone";
  guint i, total = 0;
  const Kind *only = NULL;

  for (i = 0; i < kinds->len; i++) {
    const Kind *k = g_ptr_array_index (kinds, i);

    total += k->count;
    if (k->count)
      only = k;
  }
  if (total == 1 && only) {
    if (g_str_has_suffix (only->noun, "woman"))
      who = "A woman";
    else if (g_str_has_suffix (only->noun, "man"))
      who = "A man";
  }
  g_ptr_array_unref (kinds);
  return who;
}

/* ---- tracks -------------------------------------------------------- */

typedef struct {
  const gchar *label;
  guint n;
} LabelCount;

static gint
compare_label_count (gconstpointer a, gconstpointer b)
{
  return strcmp (((LabelCount *) a)->label, ((LabelCount *) b)->label);
}

static void
count_label (GArray *counts, const gchar *label)
{
  LabelCount lc = { label, 1 };
  guint i;

  for (i = 0; i < counts->len; i++) {
    if (g_array_index (counts, LabelCount, i).label == label) {
      g_array_index (counts, LabelCount, i).n++;
      return;
    }
  }
  g_array_append_val (counts, lc);
}

static void
append_moves (
    GString *s, GArray *counts, const gchar *verb_one, const gchar *verb_many)
{
  guint i;

  g_array_sort (counts, compare_label_count);
  for (i = 0; i < counts->len; i++) {
    LabelCount *lc = &g_array_index (counts, LabelCount, i);
    gchar *np
        = capitalise (omni_fusion_sentence_noun_phrase (lc->label, lc->n));

    g_string_append_printf (s, "%s%s %s.", s->len ? " " : "", np,
        lc->n == 1 ? verb_one : verb_many);
    g_free (np);
  }
}

/* The tracks seen in more than a third of the window's inferred frames
 * (a track glimpsed in one frame neither enters nor leaves). */
static GHashTable *
present_tracks (const OmniFusionWindow *w)
{
  GHashTable *frames = g_hash_table_new (g_direct_hash, g_direct_equal);
  GHashTable *cur = g_hash_table_new (g_direct_hash, g_direct_equal);
  GHashTableIter it;
  gpointer key, value;
  guint i;

  for (i = 0; i < w->boxes->len; i++) {
    const OmniFusionBox *b = &g_array_index (w->boxes, OmniFusionBox, i);
    gpointer id = GUINT_TO_POINTER (b->track_id);

    if (!b->track_id)
      continue;
    g_hash_table_insert (frames, id,
        GUINT_TO_POINTER (
            GPOINTER_TO_UINT (g_hash_table_lookup (frames, id)) + 1));
    g_hash_table_insert (cur, id, (gpointer) b->label);
  }
  g_hash_table_iter_init (&it, frames);
  while (g_hash_table_iter_next (&it, &key, &value)) {
    if (3 * GPOINTER_TO_UINT (value) <= w->inferred_frames)
      g_hash_table_remove (cur, key);
  }
  g_hash_table_unref (frames);
  return cur;
}

static gchar *
tracks_sentence (const OmniFusionWindow *w, OmniFusionTracks *t)
{
  GHashTable *cur;
  GArray *enter, *leave;
  GHashTableIter it;
  gpointer key, value;
  GString *s;

  if (!t || !w->inferred_frames)
    return NULL;
  cur = present_tracks (w);
  enter = g_array_new (FALSE, FALSE, sizeof (LabelCount));
  leave = g_array_new (FALSE, FALSE, sizeof (LabelCount));
  if (t->have_prev) {
    g_hash_table_iter_init (&it, cur);
    while (g_hash_table_iter_next (&it, &key, &value))
      if (!g_hash_table_contains (t->prev, key))
        count_label (enter, value);
    g_hash_table_iter_init (&it, t->prev);
    while (g_hash_table_iter_next (&it, &key, &value))
      if (!g_hash_table_contains (cur, key))
        count_label (leave, value);
  }
  s = g_string_new (NULL);
  append_moves (s, enter, "enters", "enter");
  append_moves (s, leave, "leaves", "leave");
  g_hash_table_unref (t->prev);
  t->prev = cur;
  t->have_prev = TRUE;
  g_array_unref (enter);
  g_array_unref (leave);
  if (!s->len) {
    g_string_free (s, TRUE);
    return NULL;
  }
  return g_string_free (s, FALSE);
}

/* ---- speech, screen, scene, audio, verdict ------------------------- */

static gchar *
quoted_sentence (const gchar *lead, const gchar *text)
{
  gchar *q, *s;

  if (!text || !*text)
    return NULL;
  q = omni_fusion_sentence_quote (text, OMNI_FUSION_SENTENCE_QUOTE_CHARS);
  s = g_strdup_printf ("%s: %s.", lead, q);
  g_free (q);
  return s;
}

static gchar *
screen_sentence (const OmniFusionWindow *w)
{
  GString *lines = g_string_new (NULL);
  gchar *s;
  guint i;

  for (i = 0; i < w->screen_text->len; i++) {
    const OmniFusionText *t
        = &g_array_index (w->screen_text, OmniFusionText, i);

    g_string_append_printf (lines, "%s%s", lines->len ? " / " : "", t->text);
  }
  s = quoted_sentence ("On screen", lines->str);
  g_string_free (lines, TRUE);
  return s;
}

/* mean score of class @label over the window's classified frames, or -1 */
static gdouble
class_mean (const OmniFusionWindow *w, const gchar *label)
{
  guint i;

  for (i = 0; i < w->vclasses.stats->len && w->vclasses.n; i++) {
    const OmniFusionClassStat *st
        = &g_array_index (w->vclasses.stats, OmniFusionClassStat, i);

    if (st->label == label)
      return st->sum / w->vclasses.n;
  }
  return -1;
}

/* The top visual class, unless it is a "neutral" one (which says
 * nothing); the previous window's class stays while it scores within
 * SCENE_MARGIN of the top, so near ties do not flicker. */
static gchar *
scene_sentence (const OmniFusionWindow *w, OmniFusionTracks *t)
{
  gdouble top_score;
  const gchar *top = omni_fusion_window_top_class (w, &top_score);
  gchar *lower, *s;

  if (!top || !*top) {
    if (t)
      t->scene = NULL;
    return NULL;
  }
  if (t && t->scene && t->scene != top
      && class_mean (w, t->scene) >= top_score - SCENE_MARGIN)
    top = t->scene;
  if (t)
    t->scene = top;
  lower = g_utf8_strdown (top, -1);
  s = g_str_equal (lower, "neutral") ? NULL
                                     : g_strdup_printf ("Scene: %s.", lower);
  g_free (lower);
  return s;
}

static gchar *
audio_sentence (const OmniFusionWindow *w, const OmniFusionPolicy *policy,
    OmniFusionTracks *t)
{
  const gchar *kind = omni_fusion_caption_audio_kind (w, policy);
  gdouble conf, tempo;

  if (!kind)
    return NULL;
  if (g_str_equal (kind, "silence"))
    return g_strdup ("Silence.");
  if (g_str_equal (kind, "speech-like"))
    return g_strdup ("Speech.");
  if (g_str_equal (kind, "music")) {
    tempo = omni_fusion_window_tempo (w, &conf);
    if (tempo > 0 && conf >= TEMPO_CONFIDENCE) {
      /* the tempo said before stays while this one is within 2 % */
      if (t && t->tempo > 0
          && fabs (tempo - t->tempo) <= TEMPO_MARGIN * t->tempo)
        tempo = t->tempo;
      else if (t)
        t->tempo = round (tempo);
      return g_strdup_printf ("Music, %.0f BPM.", tempo);
    }
    return g_strdup ("Music.");
  }
  return g_strdup ("Sound.");
}

static gchar *
verdict_sentence (const OmniFusionVerdict *v)
{
  const gchar *label = v->label ? v->label : "?";

  switch (v->state) {
  case OMNI_VERDICT_FLAGGED:
    return g_strdup_printf ("Flagged: %s.", label);
  case OMNI_VERDICT_REVIEW:
    return g_strdup_printf ("Review: %s.", label);
  case OMNI_VERDICT_ERROR:
    return g_strdup_printf ("Error: %s.", label);
  case OMNI_VERDICT_OK:
  default:
    return NULL;
  }
}

/**
 * omni_fusion_sentence_build:
 *
 * Fills @s with the sentences of a judged window.
 */
void
omni_fusion_sentence_build (OmniFusionSentence *s, const OmniFusionWindow *w,
    const OmniFusionPolicy *policy, const OmniFusionVerdict *v,
    OmniFusionTracks *tracks)
{
  memset (s, 0, sizeof (*s));
  s->objects = objects_sentence (w, FALSE);
  s->faces = objects_sentence (w, TRUE);
  s->tracks = tracks_sentence (w, tracks);
  if (w->text->len) {
    gchar *lead = g_strdup_printf ("%s says", speaker (w));

    s->speech = quoted_sentence (lead, w->text->str);
    g_free (lead);
  }
  s->screen = screen_sentence (w);
  s->scene = scene_sentence (w, tracks);
  s->audio = audio_sentence (w, policy, tracks);
  /* what is said is quoted already */
  if (s->speech && s->audio && g_str_equal (s->audio, "Speech."))
    g_clear_pointer (&s->audio, g_free);
  s->verdict = v ? verdict_sentence (v) : NULL;
}

void
omni_fusion_sentence_clear (OmniFusionSentence *s)
{
  g_free (s->objects);
  g_free (s->faces);
  g_free (s->tracks);
  g_free (s->speech);
  g_free (s->screen);
  g_free (s->scene);
  g_free (s->audio);
  g_free (s->verdict);
  memset (s, 0, sizeof (*s));
}

gchar *
omni_fusion_sentence_join (const OmniFusionSentence *s, const gchar *missing)
{
  const gchar *parts[] = { s->objects, s->faces, s->tracks, s->speech,
    s->screen, s->scene, s->audio, s->verdict };
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (parts); i++) {
    if (parts[i])
      g_string_append_printf (out, "%s%s", out->len ? " " : "", parts[i]);
  }
  if (missing && *missing)
    g_string_append_printf (
        out, "%s(%s missing)", out->len ? " " : "", missing);
  if (!out->len)
    g_string_append (out, "Nothing detected.");
  return g_string_free (out, FALSE);
}
