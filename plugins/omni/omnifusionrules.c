/* gst-omni: omnifusion's category rules and segments
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Rules map results of any source to the categories users know from cloud
 * moderation APIs: object labels (with a minimum score and a minimum box
 * area), face expressions, words and phrases of the transcript and of the
 * on-screen text (case-folded, NFKC-normalised, accents removed, whole
 * words only). A rule's risk is weight x the result's confidence. Hits of
 * one category no more than its gap apart form a segment with its start,
 * end, maximum and mean confidence, as Amazon Rekognition's
 * GetContentModeration with AggregateBy=SEGMENTS reports them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "omnifusionrules.h"

/* The weight of the COCO proxies (weapons, drinks): at most 0.6, under the
 * default enter threshold (0.7). */
#define PROXY_WEIGHT 0.6

static void
rule_free (OmniFusionRule *r)
{
  g_free (r->name);
  g_free (r->category);
  g_strfreev (r->labels);
  g_strfreev (r->words);
  g_free (r);
}

static void
category_free (OmniFusionCategory *c)
{
  g_free (c->name);
  g_free (c);
}

static OmniFusionRule *
rule_new (const gchar *name, const gchar *category, OmniFusionRuleSource src,
    const gchar *const *labels, gdouble min_score, gdouble min_area,
    gdouble weight)
{
  OmniFusionRule *r = g_new0 (OmniFusionRule, 1);

  r->name = g_strdup (name);
  r->category = g_strdup (category);
  r->source = src;
  r->labels = g_strdupv ((gchar **) labels);
  r->words = g_new0 (gchar *, 1);
  r->min_score = min_score;
  r->min_area = min_area;
  r->weight = weight;
  return r;
}

static void
add_category (OmniFusionRules *rules, const gchar *name, gdouble threshold,
    guint min_hits, GstClockTime gap)
{
  OmniFusionCategory *c = g_new0 (OmniFusionCategory, 1);

  c->name = g_strdup (name);
  c->threshold = threshold;
  c->min_hits = min_hits;
  c->gap = gap;
  g_ptr_array_add (rules->categories, c);
}

/* Common English profanity, the seed of the default list (users extend it
 * with a word file). */
static const gchar *const profanity_words[] = { "fuck", "fucking", "fucked",
  "motherfucker", "shit", "bullshit", "bitch", "bastard", "asshole", "dick",
  "cunt", "damn", "goddamn", "piss off", "son of a bitch", NULL };

OmniFusionRules *
omni_fusion_rules_new_default (void)
{
  static const gchar *const weapons[]
      = { "knife", "baseball bat", "scissors", NULL };
  static const gchar *const drinks[] = { "bottle", "wine glass", NULL };
  static const gchar *const none[] = { NULL };
  static const gchar *const explicit_labels[] = { "explicit", NULL };
  static const gchar *const suggestive_labels[] = { "suggestive", NULL };
  OmniFusionRules *rules = g_new0 (OmniFusionRules, 1);

  rules->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
  rules->categories
      = g_ptr_array_new_with_free_func ((GDestroyNotify) category_free);
  /* the visual classes, through the policy's label rules */
  g_ptr_array_add (
      rules->rules, rule_new ("explicit-visual", "explicit-nudity",
                        OMNI_FUSION_RULE_VISUAL, explicit_labels, 0, 0, 1.0));
  g_ptr_array_add (
      rules->rules, rule_new ("suggestive-visual", "suggestive",
                        OMNI_FUSION_RULE_VISUAL, suggestive_labels, 0, 0, 1.0));
  /* weapons and drinks as COCO proxies: a box of at least 0.2 % of the
   * frame; weight 0.6, so that they raise "review" but never flag on their
   * own (a knife in a kitchen), while their categories report them */
  g_ptr_array_add (
      rules->rules, rule_new ("weapon", "violence", OMNI_FUSION_RULE_OBJECTS,
                        weapons, 0.5, 0.002, PROXY_WEIGHT));
  g_ptr_array_add (rules->rules,
      rule_new ("alcohol", "drugs-alcohol", OMNI_FUSION_RULE_OBJECTS, drinks,
          0.5, 0.002, PROXY_WEIGHT));
  g_ptr_array_add (rules->rules, rule_new ("profanity-speech", "profanity",
                                     OMNI_FUSION_RULE_SPEECH, none, 0, 0, 1.0));
  g_ptr_array_add (
      rules->rules, rule_new ("profanity-text", "profanity",
                        OMNI_FUSION_RULE_SCREEN_TEXT, none, 0, 0, 1.0));
  g_ptr_array_add (rules->rules, rule_new ("hate-speech", "hate",
                                     OMNI_FUSION_RULE_SPEECH, none, 0, 0, 1.0));
  g_ptr_array_add (
      rules->rules, rule_new ("hate-text", "hate", OMNI_FUSION_RULE_SCREEN_TEXT,
                        none, 0, 0, 1.0));
  omni_fusion_rules_add_words (rules, "profanity-speech", profanity_words);
  omni_fusion_rules_add_words (rules, "profanity-text", profanity_words);
  add_category (rules, "explicit-nudity", 0.7, 3, GST_SECOND);
  add_category (rules, "suggestive", 0.7, 3, GST_SECOND);
  add_category (rules, "violence", 0.3, 3, GST_SECOND);
  add_category (rules, "drugs-alcohol", 0.3, 3, GST_SECOND);
  add_category (rules, "profanity", 0.5, 1, GST_SECOND);
  add_category (rules, "hate", 0.5, 1, GST_SECOND);
  return rules;
}

void
omni_fusion_rules_free (OmniFusionRules *rules)
{
  if (!rules)
    return;
  g_ptr_array_unref (rules->rules);
  g_ptr_array_unref (rules->categories);
  g_free (rules);
}

/**
 * omni_fusion_rules_fold:
 *
 * Returns: @text NFKD-decomposed without combining marks (accents),
 * case-folded and NFC-composed again: "Café" and "CAFE" both give "cafe"
 */
gchar *
omni_fusion_rules_fold (const gchar *text)
{
  gchar *nfd = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  GString *bare = g_string_new (NULL);
  const gchar *p;
  gchar *folded, *out;

  for (p = nfd ? nfd : text; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (g_unichar_type (c) != G_UNICODE_NON_SPACING_MARK)
      g_string_append_unichar (bare, c);
  }
  folded = g_utf8_casefold (bare->str, -1);
  out = g_utf8_normalize (folded, -1, G_NORMALIZE_ALL_COMPOSE);
  g_free (folded);
  g_free (nfd);
  g_string_free (bare, TRUE);
  return out;
}

OmniFusionRule *
omni_fusion_rules_get_rule (OmniFusionRules *rules, const gchar *name)
{
  guint i;

  for (i = 0; i < rules->rules->len; i++) {
    OmniFusionRule *r = g_ptr_array_index (rules->rules, i);

    if (g_str_equal (r->name, name))
      return r;
  }
  return NULL;
}

OmniFusionCategory *
omni_fusion_rules_get_category (OmniFusionRules *rules, const gchar *name)
{
  guint i;

  for (i = 0; i < rules->categories->len; i++) {
    OmniFusionCategory *c = g_ptr_array_index (rules->categories, i);

    if (g_str_equal (c->name, name))
      return c;
  }
  return NULL;
}

static const gchar *const source_names[]
    = { "objects", "faces", "speech", "screen-text", "visual", "audio", NULL };

const gchar *
omni_fusion_rule_source_to_string (OmniFusionRuleSource source)
{
  return source_names[source];
}

/**
 * omni_fusion_rules_ensure_rule:
 *
 * A new rule reads objects, has weight 1, no minimums and its own name as
 * category.
 */
OmniFusionRule *
omni_fusion_rules_ensure_rule (OmniFusionRules *rules, const gchar *name)
{
  static const gchar *const none[] = { NULL };
  OmniFusionRule *r = omni_fusion_rules_get_rule (rules, name);

  if (!r) {
    r = rule_new (name, name, OMNI_FUSION_RULE_OBJECTS, none, 0, 0, 1.0);
    g_ptr_array_add (rules->rules, r);
  }
  return r;
}

/**
 * omni_fusion_rules_ensure_category:
 *
 * A new category: threshold 0.5, one hit, 1 s gap.
 */
OmniFusionCategory *
omni_fusion_rules_ensure_category (OmniFusionRules *rules, const gchar *name)
{
  OmniFusionCategory *c = omni_fusion_rules_get_category (rules, name);

  if (!c) {
    add_category (rules, name, 0.5, 1, GST_SECOND);
    c = g_ptr_array_index (rules->categories, rules->categories->len - 1);
  }
  return c;
}

OmniFusionRuleSource
omni_fusion_rule_source_from_string (const gchar *name, gboolean *ok)
{
  guint i;

  for (i = 0; source_names[i]; i++) {
    if (g_str_equal (name, source_names[i])) {
      *ok = TRUE;
      return (OmniFusionRuleSource) i;
    }
  }
  *ok = FALSE;
  return OMNI_FUSION_RULE_OBJECTS;
}

void
omni_fusion_rules_add_words (
    OmniFusionRules *rules, const gchar *rule, const gchar *const *words)
{
  OmniFusionRule *r = omni_fusion_rules_get_rule (rules, rule);
  GPtrArray *all;
  guint i;

  g_return_if_fail (r != NULL);
  all = g_ptr_array_new ();
  for (i = 0; r->words[i]; i++)
    g_ptr_array_add (all, r->words[i]);
  for (i = 0; words[i]; i++) {
    gchar *f = omni_fusion_rules_fold (words[i]);

    g_strstrip (f);
    if (*f)
      g_ptr_array_add (all, f);
    else
      g_free (f);
  }
  g_ptr_array_add (all, NULL);
  g_free (r->words);
  r->words = (gchar **) g_ptr_array_free (all, FALSE);
}

/**
 * omni_fusion_rules_add_words_file:
 * @path: UTF-8 text, one word or phrase a line; blank lines and lines
 *   starting with '#' are skipped
 */
gboolean
omni_fusion_rules_add_words_file (OmniFusionRules *rules, const gchar *rule,
    const gchar *path, GError **error)
{
  gchar *data = NULL, **lines;

  if (!omni_fusion_rules_get_rule (rules, rule)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "no rule \"%s\" for the word list %s", rule, path);
    return FALSE;
  }
  if (!g_file_get_contents (path, &data, NULL, error))
    return FALSE;
  if (!g_utf8_validate (data, -1, NULL)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "word list %s is not UTF-8", path);
    g_free (data);
    return FALSE;
  }
  lines = g_strsplit (data, "\n", -1);
  {
    guint i, n = 0;

    for (i = 0; lines[i]; i++) {
      g_strstrip (lines[i]);
      if (*lines[i] && lines[i][0] != '#')
        lines[n++] = lines[i];
      else
        g_free (lines[i]);
    }
    lines[n] = NULL;
  }
  omni_fusion_rules_add_words (rules, rule, (const gchar *const *) lines);
  g_strfreev (lines);
  g_free (data);
  return TRUE;
}

/* ---- matching ------------------------------------------------------ */

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '\'' || c == 0x2019;
}

/* Whether folded @text holds @word as whole words. */
static gboolean
has_words (const gchar *text, const gchar *word)
{
  const gchar *at = text;
  gsize wl = strlen (word);

  while ((at = strstr (at, word))) {
    gboolean start_ok
        = at == text
          || !is_word_char (g_utf8_get_char (g_utf8_find_prev_char (text, at)));
    gboolean end_ok
        = at[wl] == '\0' || !is_word_char (g_utf8_get_char (at + wl));

    if (start_ok && end_ok)
      return TRUE;
    at = g_utf8_next_char (at);
  }
  return FALSE;
}

static void
add_hit (GArray *hits, const OmniFusionRule *r, gdouble risk,
    GstClockTime start, GstClockTime end, const gchar *what)
{
  OmniFusionHit h = { g_intern_string (r->name), g_intern_string (r->category),
    CLAMP (risk, 0, 1), start, end, g_intern_string (what) };

  g_array_append_val (hits, h);
}

static void
match_boxes (const OmniFusionRule *r, const OmniFusionWindow *w, GArray *hits)
{
  guint i;

  for (i = 0; i < w->boxes->len; i++) {
    const OmniFusionBox *b = &g_array_index (w->boxes, OmniFusionBox, i);
    const gchar *what
        = r->source == OMNI_FUSION_RULE_FACES ? b->emotion : b->label;
    gdouble score = r->source == OMNI_FUSION_RULE_FACES ? b->emotion_confidence
                                                        : b->confidence;

    if (b->obs < 0 || !what
        || !g_strv_contains ((const gchar *const *) r->labels, what))
      continue;
    if (r->source == OMNI_FUSION_RULE_FACES && !g_str_equal (b->label, "face"))
      continue;
    if (score < r->min_score || b->area < r->min_area)
      continue;
    add_hit (hits, r, r->weight * score, b->time, b->time, what);
  }
}

/* Words: a phrase matches inside one text piece, or across the pieces
 * that follow (omnispeech sends one word a buffer); the hit spans the
 * pieces it covers. */
static gboolean
phrase_at (GArray *texts, guint i, const gchar *phrase, GstClockTime *end)
{
  GString *span = g_string_new (NULL);
  guint j, n = 1;
  gsize pl = strlen (phrase);
  gboolean ok;

  for (j = 0; phrase[j]; j++)
    n += phrase[j] == ' ';
  for (j = i; j < texts->len && j < i + n; j++) {
    const OmniFusionText *u = &g_array_index (texts, OmniFusionText, j);
    gchar *f = omni_fusion_rules_fold (u->text);

    g_string_append_printf (span, "%s%s", span->len ? " " : "", f);
    *end = u->end;
    g_free (f);
  }
  ok = g_str_has_prefix (span->str, phrase)
       && (span->str[pl] == '\0'
           || !is_word_char (g_utf8_get_char (span->str + pl)));
  g_string_free (span, TRUE);
  return ok;
}

static void
match_texts (const OmniFusionRule *r, GArray *texts, GArray *hits)
{
  guint i, k;

  for (i = 0; i < texts->len; i++) {
    const OmniFusionText *t = &g_array_index (texts, OmniFusionText, i);
    gchar *folded = omni_fusion_rules_fold (t->text);

    for (k = 0; r->words[k]; k++) {
      GstClockTime end = t->end;

      if (has_words (folded, r->words[k]))
        add_hit (
            hits, r, r->weight * t->confidence, t->start, t->end, r->words[k]);
      else if (strchr (r->words[k], ' ')
               && phrase_at (texts, i, r->words[k], &end))
        add_hit (
            hits, r, r->weight * t->confidence, t->start, end, r->words[k]);
    }
    g_free (folded);
  }
}

/* each frame observation whose policy label the rule names */
static void
match_visual (const OmniFusionRule *r, const OmniFusionWindow *w, GArray *hits)
{
  guint i;

  for (i = 0; i < w->frames->len; i++) {
    const OmniFusionObservation *o
        = &g_array_index (w->frames, OmniFusionObservation, i);

    if (o->label && o->risk >= r->min_score
        && g_strv_contains ((const gchar *const *) r->labels, o->label))
      add_hit (hits, r, r->weight * o->risk, o->time, o->time, o->label);
  }
}

static void
match_audio (const OmniFusionRule *r, const OmniFusionWindow *w,
    const gchar *label, gdouble risk, GArray *hits)
{
  if (label && risk > 0 && risk >= r->min_score
      && g_strv_contains ((const gchar *const *) r->labels, label))
    add_hit (hits, r, r->weight * risk,
        GST_CLOCK_TIME_IS_VALID (w->first_audio) ? w->first_audio : w->start,
        w->end, label);
}

static gint
compare_hits (gconstpointer a, gconstpointer b)
{
  const OmniFusionHit *ha = a, *hb = b;

  return ha->start < hb->start ? -1 : ha->start > hb->start ? 1 : 0;
}

/**
 * omni_fusion_rules_match:
 *
 * Returns: (transfer full): the hits of every rule on the window's
 * results, in time order (boxes of frames the window holds as
 * observations only, so that overlapping windows count each frame once)
 */
GArray *
omni_fusion_rules_match (const OmniFusionRules *rules,
    const OmniFusionWindow *w, const gchar *audio_label, gdouble audio_risk)
{
  GArray *hits = g_array_new (FALSE, FALSE, sizeof (OmniFusionHit));
  guint i;

  for (i = 0; i < rules->rules->len; i++) {
    const OmniFusionRule *r = g_ptr_array_index (rules->rules, i);

    switch (r->source) {
    case OMNI_FUSION_RULE_OBJECTS:
    case OMNI_FUSION_RULE_FACES:
      match_boxes (r, w, hits);
      break;
    case OMNI_FUSION_RULE_SPEECH:
      match_texts (r, w->words, hits);
      break;
    case OMNI_FUSION_RULE_SCREEN_TEXT:
      match_texts (r, w->screen_text, hits);
      break;
    case OMNI_FUSION_RULE_VISUAL:
      match_visual (r, w, hits);
      break;
    case OMNI_FUSION_RULE_AUDIO:
      match_audio (r, w, audio_label, audio_risk, hits);
      break;
    }
  }
  g_array_sort (hits, compare_hits);
  return hits;
}

/* ---- segments per category ----------------------------------------- */

typedef struct {
  const OmniFusionCategory *category;
  OmniFusionCategorySegment seg;
  gboolean open;
} Track;

struct _OmniFusionSegmenter {
  GArray *tracks; /* Track per category */
};

OmniFusionSegmenter *
omni_fusion_segmenter_new (const OmniFusionRules *rules)
{
  OmniFusionSegmenter *s = g_new0 (OmniFusionSegmenter, 1);
  guint i;

  s->tracks = g_array_new (FALSE, TRUE, sizeof (Track));
  g_array_set_size (s->tracks, rules->categories->len);
  for (i = 0; i < rules->categories->len; i++) {
    Track *t = &g_array_index (s->tracks, Track, i);

    t->category = g_ptr_array_index (rules->categories, i);
    t->seg.category = g_intern_string (t->category->name);
    t->seg.rules = g_string_new (NULL);
    t->seg.what = g_string_new (NULL);
  }
  return s;
}

void
omni_fusion_segmenter_free (OmniFusionSegmenter *s)
{
  guint i;

  if (!s)
    return;
  for (i = 0; i < s->tracks->len; i++) {
    Track *t = &g_array_index (s->tracks, Track, i);

    g_string_free (t->seg.rules, TRUE);
    g_string_free (t->seg.what, TRUE);
  }
  g_array_unref (s->tracks);
  g_free (s);
}

static void
append_once (GString *list, const gchar *item)
{
  gchar **items = g_strsplit (list->str, ", ", -1);

  if (!g_strv_contains ((const gchar *const *) items, item))
    g_string_append_printf (list, "%s%s", list->len ? ", " : "", item);
  g_strfreev (items);
}

static void
close_track (Track *t, OmniFusionCategorySegmentFunc func, gpointer user_data)
{
  if (t->open && t->seg.hits >= t->category->min_hits && func)
    func (&t->seg, user_data);
  t->open = FALSE;
  t->seg.hits = 0;
  t->seg.max = t->seg.sum = 0;
  g_string_truncate (t->seg.rules, 0);
  g_string_truncate (t->seg.what, 0);
}

void
omni_fusion_segmenter_push (OmniFusionSegmenter *s, GArray *hits,
    GstClockTime now, OmniFusionCategorySegmentFunc func, gpointer user_data)
{
  guint i, k;

  for (i = 0; i < hits->len; i++) {
    const OmniFusionHit *h = &g_array_index (hits, OmniFusionHit, i);

    for (k = 0; k < s->tracks->len; k++) {
      Track *t = &g_array_index (s->tracks, Track, k);

      if (t->seg.category != h->category || h->risk < t->category->threshold)
        continue;
      if (t->open && h->start > t->seg.end + t->category->gap)
        close_track (t, func, user_data);
      if (!t->open) {
        t->open = TRUE;
        t->seg.start = h->start;
        t->seg.end = h->end;
      }
      t->seg.end = MAX (t->seg.end, h->end);
      t->seg.max = MAX (t->seg.max, h->risk);
      t->seg.sum += h->risk;
      t->seg.hits++;
      append_once (t->seg.rules, h->rule);
      append_once (t->seg.what, h->what);
    }
  }
  for (k = 0; k < s->tracks->len; k++) {
    Track *t = &g_array_index (s->tracks, Track, k);

    if (t->open && GST_CLOCK_TIME_IS_VALID (now)
        && now > t->seg.end + t->category->gap)
      close_track (t, func, user_data);
  }
}

void
omni_fusion_segmenter_close (OmniFusionSegmenter *s,
    OmniFusionCategorySegmentFunc func, gpointer user_data)
{
  guint k;

  for (k = 0; k < s->tracks->len; k++)
    close_track (&g_array_index (s->tracks, Track, k), func, user_data);
}
