/* gst-omni: omnifusion's moderation policy: reading and scoring
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The policy turns evidence into a risk in [0,1] and a label:
 *  - class rules: risk = weight * (sum of the scores of the rule's classes)
 *    for every OmniClassMeta; by default nsfwjs's classes (Porn + Hentai ->
 *    "explicit", Sexy -> "suggestive");
 *  - audio, "loud-audio": loud events, a short-term (50 ms) level that
 *    rises well above the running baseline of the stream's level and
 *    reaches loud-db, or a near-full-scale sample peak far above that
 *    baseline; each scaled to [0,1], times a weight;
 *  - impacts, "impact-burst": a rapid series of impulsive onsets (bangs,
 *    shots, knocks: omnirhythm's impulses), per second, scaled to [0,1],
 *    times a weight;
 *  - text: a word/phrase list matched on whole words of case-folded,
 *    NFKC-normalised transcripts.

 * The hysteresis that turns risks into segments is in
 * omnifusionhysteresis.c.
 *
 * The policy file format (keyfile or JSON) is documented in docs/policy.md.
 * This file has its own small line-oriented keyfile reader because GKeyFile
 * does not report line numbers, and a typo must be reported with its line.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "omnifusionpolicy.h"
#include "omnifusionrules.h"

/* clang-format off */
G_DEFINE_QUARK (omni-fusion-policy-error-quark, omni_fusion_policy_error);
/* clang-format on */

#define DEFAULT_ENTER_THRESHOLD 0.7
#define DEFAULT_EXIT_THRESHOLD 0.4
#define DEFAULT_ENTER_FRAMES 3
#define DEFAULT_EXIT_FRAMES 5

static void
label_rule_free (OmniFusionLabelRule *rule)
{
  g_free (rule->label);
  g_free (rule->model);
  g_strfreev (rule->classes);
  g_free (rule);
}

static OmniFusionLabelRule *
label_rule_new (const gchar *label, const gchar *const *classes, gdouble weight)
{
  OmniFusionLabelRule *rule = g_new0 (OmniFusionLabelRule, 1);

  rule->label = g_strdup (label);
  rule->classes = g_strdupv ((gchar **) classes);
  rule->weight = weight;
  return rule;
}

/**
 * omni_fusion_policy_new_default:
 *
 * The built-in policy: nsfwjs's classes, loud-audio and impact-burst at
 * half weight (they can raise "review" but never flag on their own), and
 * an empty word list. The audio defaults are calibrated on real speech and
 * music (docs/policy.md): none of their windows reaches review.
 */
OmniFusionPolicy *
omni_fusion_policy_new_default (void)
{
  static const gchar *explicit_classes[] = { "Porn", "Hentai", NULL };
  static const gchar *suggestive_classes[] = { "Sexy", NULL };
  OmniFusionPolicy *p = g_new0 (OmniFusionPolicy, 1);

  p->name = g_strdup ("default");
  p->source = g_strdup ("built-in");
  p->enter_threshold = DEFAULT_ENTER_THRESHOLD;
  p->exit_threshold = DEFAULT_EXIT_THRESHOLD;
  p->enter_frames = DEFAULT_ENTER_FRAMES;
  p->exit_frames = DEFAULT_EXIT_FRAMES;
  p->labels = g_ptr_array_new_with_free_func ((GDestroyNotify) label_rule_free);
  g_ptr_array_add (p->labels, label_rule_new ("explicit", explicit_classes, 1));
  g_ptr_array_add (
      p->labels, label_rule_new ("suggestive", suggestive_classes, 1));

  p->audio_label = g_strdup ("loud-audio");
  p->audio_weight = 0.5;
  p->spike_db = 20.0;
  p->loud_db = -12.0;
  p->peak_excess_db = 24.0;
  p->full_scale_db = -1.0;
  p->baseline_seconds = 10.0;
  p->baseline_rise_seconds = 3.0;
  p->silence_db = -60.0;

  p->impact_label = g_strdup ("impact-burst");
  p->impact_weight = 0.5;
  p->impact_rate = 8.0;

  p->text_label = g_strdup ("language");
  p->text_weight = 1.0;
  p->words = g_new0 (gchar *, 1);
  p->rules = omni_fusion_rules_new_default ();
  return p;
}

void
omni_fusion_policy_free (OmniFusionPolicy *p)
{
  if (!p)
    return;
  g_free (p->name);
  g_free (p->source);
  g_free (p->sha256);
  g_ptr_array_unref (p->labels);
  g_free (p->audio_label);
  g_free (p->impact_label);
  g_free (p->text_label);
  g_strfreev (p->words);
  omni_fusion_rules_free (p->rules);
  g_free (p);
}

/* ---- reading ------------------------------------------------------- */

typedef enum {
  GROUP_POLICY,
  GROUP_LABEL,
  GROUP_AUDIO,
  GROUP_IMPACTS,
  GROUP_TEXT,
  GROUP_RULE,
  GROUP_CATEGORY,
} GroupKind;

static const gchar *const policy_keys[] = { "name", "enter-threshold",
  "exit-threshold", "enter-frames", "exit-frames", NULL };
static const gchar *const label_keys[] = { "classes", "weight", "model", NULL };
static const gchar *const audio_keys[] = { "label", "weight", "spike-db",
  "loud-db", "peak-excess-db", "full-scale-db", "baseline-seconds",
  "baseline-rise-seconds", "silence-db", NULL };
static const gchar *const impact_keys[]
    = { "label", "weight", "impulses-per-second", NULL };
static const gchar *const text_keys[] = { "label", "weight", "words", NULL };
static const gchar *const rule_keys[] = { "category", "source", "labels",
  "words", "words-file", "min-score", "min-area", "weight", NULL };
static const gchar *const category_keys[]
    = { "threshold", "min-hits", "gap-ms", NULL };
static const gchar *const group_names[] = { "policy", "label NAME", "audio",
  "impacts", "text", "rule NAME", "category NAME", NULL };

static const gchar *const *
keys_of (GroupKind kind)
{
  switch (kind) {
  case GROUP_POLICY:
    return policy_keys;
  case GROUP_LABEL:
    return label_keys;
  case GROUP_AUDIO:
    return audio_keys;
  case GROUP_IMPACTS:
    return impact_keys;
  case GROUP_RULE:
    return rule_keys;
  case GROUP_CATEGORY:
    return category_keys;
  case GROUP_TEXT:
  default:
    return text_keys;
  }
}

/* Levenshtein distance, for "did you mean" hints on typos. */
static guint
edit_distance (const gchar *a, const gchar *b)
{
  guint la = strlen (a), lb = strlen (b), i, j;
  guint *row = g_new (guint, lb + 1), result;

  for (j = 0; j <= lb; j++)
    row[j] = j;
  for (i = 1; i <= la; i++) {
    guint diag = row[0];

    row[0] = i;
    for (j = 1; j <= lb; j++) {
      guint up = row[j];
      guint cost = (a[i - 1] == b[j - 1]) ? 0 : 1;

      row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diag + cost);
      diag = up;
    }
  }
  result = row[lb];
  g_free (row);
  return result;
}

static const gchar *
closest (const gchar *word, const gchar *const *candidates)
{
  const gchar *best = NULL;
  guint best_d = G_MAXUINT, i;

  for (i = 0; candidates[i]; i++) {
    guint d = edit_distance (word, candidates[i]);

    if (d < best_d) {
      best_d = d;
      best = candidates[i];
    }
  }
  /* Only suggest plausible typos. */
  return best_d <= MAX (2u, (guint) strlen (word) / 3) ? best : NULL;
}

/* A value as read from either syntax, with the line it was on. */
typedef struct {
  const gchar *str;
  JsonNode *node;
  guint line;
} Value;

typedef struct {
  OmniFusionPolicy *policy;
  const gchar *source;
  OmniFusionRule *cur_rule; /* [rule NAME] being read */
  OmniFusionCategory *cur_category;
  gboolean have_labels; /* the file defines its own label set */
  guint enter_line, exit_line;
} Builder;

#define FAIL(b, line, code, ...)                                               \
  G_STMT_START                                                                 \
  {                                                                            \
    gchar *_msg = g_strdup_printf (__VA_ARGS__);                               \
    g_set_error (error, OMNI_FUSION_POLICY_ERROR, code, "%s:%u: %s",           \
        (b)->source, (line), _msg);                                            \
    g_free (_msg);                                                             \
    return FALSE;                                                              \
  }                                                                            \
  G_STMT_END

static gboolean
value_double (Builder *b, const gchar *key, const Value *v, gdouble min,
    gdouble max, gdouble *out, GError **error)
{
  gdouble d;

  if (v->node) {
    GType t = JSON_NODE_HOLDS_VALUE (v->node)
                  ? json_node_get_value_type (v->node)
                  : G_TYPE_INVALID;

    if (t != G_TYPE_DOUBLE && t != G_TYPE_INT64)
      FAIL (b, v->line, OMNI_FUSION_POLICY_ERROR_VALUE,
          "key \"%s\" needs a number", key);
    d = json_node_get_double (v->node);
  } else {
    gchar *end = NULL;

    d = g_ascii_strtod (v->str, &end);
    if (!*v->str || end == v->str || *end != '\0')
      FAIL (b, v->line, OMNI_FUSION_POLICY_ERROR_VALUE,
          "\"%s\" is not a number (key \"%s\")", v->str, key);
  }
  if (!isfinite (d) || d < min || d > max)
    FAIL (b, v->line, OMNI_FUSION_POLICY_ERROR_VALUE,
        "key \"%s\" must be between %g and %g, not %g", key, min, max, d);
  *out = d;
  return TRUE;
}

static gboolean
value_uint (Builder *b, const gchar *key, const Value *v, guint min, guint max,
    guint *out, GError **error)
{
  gint64 i;

  if (v->node) {
    if (!JSON_NODE_HOLDS_VALUE (v->node)
        || json_node_get_value_type (v->node) != G_TYPE_INT64)
      FAIL (b, v->line, OMNI_FUSION_POLICY_ERROR_VALUE,
          "key \"%s\" needs an integer", key);
    i = json_node_get_int (v->node);
  } else {
    gchar *end = NULL;

    i = g_ascii_strtoll (v->str, &end, 10);
    if (!*v->str || end == v->str || *end != '\0')
      FAIL (b, v->line, OMNI_FUSION_POLICY_ERROR_VALUE,
          "\"%s\" is not an integer (key \"%s\")", v->str, key);
  }
  if (i < (gint64) min || i > (gint64) max)
    FAIL (b, v->line, OMNI_FUSION_POLICY_ERROR_VALUE,
        "key \"%s\" must be between %u and %u, not %" G_GINT64_FORMAT, key, min,
        max, i);
  *out = (guint) i;
  return TRUE;
}

static gboolean
value_string (
    Builder *b, const gchar *key, const Value *v, gchar **out, GError **error)
{
  const gchar *s;

  if (v->node) {
    if (!JSON_NODE_HOLDS_VALUE (v->node)
        || json_node_get_value_type (v->node) != G_TYPE_STRING)
      FAIL (b, v->line, OMNI_FUSION_POLICY_ERROR_VALUE,
          "key \"%s\" needs a string", key);
    s = json_node_get_string (v->node);
  } else {
    s = v->str;
  }
  if (!s || !*s || !g_utf8_validate (s, -1, NULL))
    FAIL (b, v->line, OMNI_FUSION_POLICY_ERROR_VALUE,
        "key \"%s\" needs a non-empty UTF-8 string", key);
  g_free (*out);
  *out = g_strdup (s);
  return TRUE;
}

/* Lists: "a;b;c" (GKeyFile's separator; ',' is accepted too) or a JSON
 * array of strings. Items are trimmed and empty items dropped. */
static gboolean
value_list (
    Builder *b, const gchar *key, const Value *v, gchar ***out, GError **error)
{
  GPtrArray *items = g_ptr_array_new ();
  guint i;

  if (v->node) {
    JsonArray *a;

    if (!JSON_NODE_HOLDS_ARRAY (v->node)) {
      g_ptr_array_unref (items);
      FAIL (b, v->line, OMNI_FUSION_POLICY_ERROR_VALUE,
          "key \"%s\" needs an array of strings", key);
    }
    a = json_node_get_array (v->node);
    for (i = 0; i < json_array_get_length (a); i++) {
      JsonNode *n = json_array_get_element (a, i);

      if (!JSON_NODE_HOLDS_VALUE (n)
          || json_node_get_value_type (n) != G_TYPE_STRING
          || !g_utf8_validate (json_node_get_string (n), -1, NULL)) {
        g_ptr_array_free (items, TRUE);
        FAIL (b, v->line, OMNI_FUSION_POLICY_ERROR_VALUE,
            "item %u of key \"%s\" is not a UTF-8 string", i, key);
      }
      {
        gchar *item = g_strstrip (g_strdup (json_node_get_string (n)));

        if (*item)
          g_ptr_array_add (items, item);
        else
          g_free (item);
      }
    }
  } else {
    gchar **parts = g_strsplit_set (v->str, ";,", -1);

    if (!g_utf8_validate (v->str, -1, NULL)) {
      g_strfreev (parts);
      g_ptr_array_free (items, TRUE);
      FAIL (b, v->line, OMNI_FUSION_POLICY_ERROR_VALUE,
          "key \"%s\" is not valid UTF-8", key);
    }
    for (i = 0; parts[i]; i++) {
      g_strstrip (parts[i]);
      if (*parts[i])
        g_ptr_array_add (items, g_strdup (parts[i]));
    }
    g_strfreev (parts);
  }
  g_ptr_array_add (items, NULL);
  g_strfreev (*out);
  *out = (gchar **) g_ptr_array_free (items, FALSE);
  return TRUE;
}

/* Case-fold and normalise for word matching. */
static gchar *
fold_text (const gchar *s)
{
  gchar *norm = g_utf8_normalize (s, -1, G_NORMALIZE_ALL_COMPOSE);
  gchar *folded = g_utf8_casefold (norm ? norm : s, -1);

  g_free (norm);
  return folded;
}

/* words-file: relative to the policy file's folder */
static gboolean
rule_words_file (Builder *b, OmniFusionRule *r, const gchar *file, guint line,
    GError **error)
{
  gchar *dir = g_path_get_dirname (b->source);
  gchar *path = g_path_is_absolute (file) ? g_strdup (file)
                                          : g_build_filename (dir, file, NULL);
  GError *err = NULL;
  gboolean ok = omni_fusion_rules_add_words_file (
      b->policy->rules, r->name, path, &err);

  g_free (dir);
  g_free (path);
  if (!ok) {
    g_set_error (error, OMNI_FUSION_POLICY_ERROR,
        OMNI_FUSION_POLICY_ERROR_VALUE, "%s:%u: words-file: %s", b->source,
        line, err->message);
    g_clear_error (&err);
  }
  return ok;
}

static gboolean
apply_rule_key (Builder *b, OmniFusionRule *r, const gchar *group,
    const gchar *key, const Value *v, GError **error)
{
  gchar *str = NULL;
  gboolean ok;

  if (g_str_equal (key, "min-score"))
    return value_double (b, key, v, 0, 1, &r->min_score, error);
  if (g_str_equal (key, "min-area"))
    return value_double (b, key, v, 0, 1, &r->min_area, error);
  if (g_str_equal (key, "weight"))
    return value_double (b, key, v, 0, 100, &r->weight, error);
  if (g_str_equal (key, "labels"))
    return value_list (b, key, v, &r->labels, error);
  if (g_str_equal (key, "words")) {
    gchar **words = NULL;

    if (!value_list (b, key, v, &words, error))
      return FALSE;
    omni_fusion_rules_add_words (
        b->policy->rules, r->name, (const gchar *const *) words);
    g_strfreev (words);
    return TRUE;
  }
  if (!value_string (b, key, v, &str, error))
    return FALSE;
  if (g_str_equal (key, "category")) {
    g_free (r->category);
    r->category = str;
    return TRUE;
  }
  if (g_str_equal (key, "source")) {
    r->source = omni_fusion_rule_source_from_string (str, &ok);
    g_free (str);
    if (!ok)
      FAIL (b, v->line, OMNI_FUSION_POLICY_ERROR_VALUE,
          "[%s] source must be objects, faces, speech, screen-text, visual or "
          "audio",
          group);
    return TRUE;
  }
  ok = rule_words_file (b, r, str, v->line, error);
  g_free (str);
  return ok;
}

static gboolean
apply_category_key (Builder *b, OmniFusionCategory *c, const gchar *key,
    const Value *v, GError **error)
{
  guint ms;

  if (g_str_equal (key, "threshold"))
    return value_double (b, key, v, 0, 1, &c->threshold, error);
  if (g_str_equal (key, "min-hits"))
    return value_uint (b, key, v, 1, 100000, &c->min_hits, error);
  if (!value_uint (b, key, v, 0, 3600000, &ms, error))
    return FALSE;
  c->gap = ms * GST_MSECOND;
  return TRUE;
}

static gboolean
apply_key (Builder *b, GroupKind kind, OmniFusionLabelRule *rule,
    const gchar *group, const gchar *key, const Value *v, GError **error)
{
  OmniFusionPolicy *p = b->policy;
  const gchar *const *keys = keys_of (kind);

  if (kind == GROUP_AUDIO && g_str_equal (key, "burst-onsets-per-second")) {
    /* the old onset-burst term fired on ordinary speech (10-14 onsets/s) */
    g_set_error (error, OMNI_FUSION_POLICY_ERROR, OMNI_FUSION_POLICY_ERROR_KEY,
        "%s:%u: key \"burst-onsets-per-second\" was removed from [%s]: "
        "onset density is not loudness (speech has 10-14 onsets a second); "
        "rapid bangs are the [impacts] rule now (impulses-per-second)",
        b->source, v->line, group);
    return FALSE;
  }
  if (!g_strv_contains (keys, key)) {
    const gchar *hint = closest (key, keys);
    gchar *known = g_strjoinv (", ", (gchar **) keys);

    if (hint) {
      g_set_error (error, OMNI_FUSION_POLICY_ERROR,
          OMNI_FUSION_POLICY_ERROR_KEY,
          "%s:%u: unknown key \"%s\" in [%s] (did you mean \"%s\"?)", b->source,
          v->line, key, group, hint);
    } else {
      g_set_error (error, OMNI_FUSION_POLICY_ERROR,
          OMNI_FUSION_POLICY_ERROR_KEY,
          "%s:%u: unknown key \"%s\" in [%s] (known keys: %s)", b->source,
          v->line, key, group, known);
    }
    g_free (known);
    return FALSE;
  }

  switch (kind) {
  case GROUP_POLICY:
    if (g_str_equal (key, "name"))
      return value_string (b, key, v, &p->name, error);
    if (g_str_equal (key, "enter-threshold")) {
      p->set |= OMNI_FUSION_POLICY_SET_ENTER_THRESHOLD;
      b->enter_line = v->line;
      return value_double (b, key, v, 0, 1, &p->enter_threshold, error);
    }
    if (g_str_equal (key, "exit-threshold")) {
      p->set |= OMNI_FUSION_POLICY_SET_EXIT_THRESHOLD;
      b->exit_line = v->line;
      return value_double (b, key, v, 0, 1, &p->exit_threshold, error);
    }
    if (g_str_equal (key, "enter-frames")) {
      p->set |= OMNI_FUSION_POLICY_SET_ENTER_FRAMES;
      return value_uint (b, key, v, 1, 100000, &p->enter_frames, error);
    }
    p->set |= OMNI_FUSION_POLICY_SET_EXIT_FRAMES;
    return value_uint (b, key, v, 1, 100000, &p->exit_frames, error);
  case GROUP_LABEL:
    if (g_str_equal (key, "classes")) {
      if (!value_list (b, key, v, &rule->classes, error))
        return FALSE;
      if (!rule->classes[0])
        FAIL (b, v->line, OMNI_FUSION_POLICY_ERROR_VALUE,
            "key \"classes\" of [%s] lists no class", group);
      return TRUE;
    }
    if (g_str_equal (key, "weight"))
      return value_double (b, key, v, 0, 100, &rule->weight, error);
    return value_string (b, key, v, &rule->model, error);
  case GROUP_AUDIO:
    if (g_str_equal (key, "label"))
      return value_string (b, key, v, &p->audio_label, error);
    if (g_str_equal (key, "weight"))
      return value_double (b, key, v, 0, 100, &p->audio_weight, error);
    if (g_str_equal (key, "spike-db"))
      return value_double (b, key, v, 0.1, 200, &p->spike_db, error);
    if (g_str_equal (key, "loud-db"))
      return value_double (b, key, v, -200, 0, &p->loud_db, error);
    if (g_str_equal (key, "peak-excess-db"))
      return value_double (b, key, v, 0.1, 200, &p->peak_excess_db, error);
    if (g_str_equal (key, "full-scale-db"))
      return value_double (b, key, v, -200, 0, &p->full_scale_db, error);
    if (g_str_equal (key, "baseline-seconds"))
      return value_double (b, key, v, 0.01, 1e6, &p->baseline_seconds, error);
    if (g_str_equal (key, "baseline-rise-seconds"))
      return value_double (
          b, key, v, 0.01, 1e6, &p->baseline_rise_seconds, error);
    return value_double (b, key, v, -200, 0, &p->silence_db, error);
  case GROUP_IMPACTS:
    if (g_str_equal (key, "label"))
      return value_string (b, key, v, &p->impact_label, error);
    if (g_str_equal (key, "weight"))
      return value_double (b, key, v, 0, 100, &p->impact_weight, error);
    return value_double (b, key, v, 0.01, 1000, &p->impact_rate, error);
  case GROUP_RULE:
    return apply_rule_key (b, b->cur_rule, group, key, v, error);
  case GROUP_CATEGORY:
    return apply_category_key (b, b->cur_category, key, v, error);
  case GROUP_TEXT:
  default:
    if (g_str_equal (key, "label"))
      return value_string (b, key, v, &p->text_label, error);
    if (g_str_equal (key, "weight"))
      return value_double (b, key, v, 0, 100, &p->text_weight, error);
    if (!value_list (b, key, v, &p->words, error))
      return FALSE;
    {
      guint i;

      for (i = 0; p->words[i]; i++) {
        gchar *f = fold_text (p->words[i]);

        g_free (p->words[i]);
        p->words[i] = f;
      }
    }
    return TRUE;
  }
}

/* Parses a group header's name; for [label NAME] sets *label_name. */
static gboolean
group_kind (const gchar *name, GroupKind *kind, const gchar **label_name)
{
  *label_name = NULL;
  if (g_str_equal (name, "policy"))
    *kind = GROUP_POLICY;
  else if (g_str_equal (name, "audio"))
    *kind = GROUP_AUDIO;
  else if (g_str_equal (name, "impacts"))
    *kind = GROUP_IMPACTS;
  else if (g_str_equal (name, "text"))
    *kind = GROUP_TEXT;
  else if (g_str_has_prefix (name, "rule ") && name[5] != '\0') {
    *kind = GROUP_RULE;
    *label_name = name + 5;
    while (**label_name == ' ')
      (*label_name)++;
    if (!**label_name)
      return FALSE;
  } else if (g_str_has_prefix (name, "category ") && name[9] != '\0') {
    *kind = GROUP_CATEGORY;
    *label_name = name + 9;
    while (**label_name == ' ')
      (*label_name)++;
    if (!**label_name)
      return FALSE;
  } else if (g_str_has_prefix (name, "label ") && name[6] != '\0') {
    *kind = GROUP_LABEL;
    *label_name = name + 6;
    while (**label_name == ' ')
      (*label_name)++;
    if (!**label_name)
      return FALSE;
  } else
    return FALSE;
  return TRUE;
}

static gboolean
unknown_group (Builder *b, guint line, const gchar *name, GError **error)
{
  gchar *known = g_strjoinv ("], [", (gchar **) group_names);
  const gchar *hint = closest (name, group_names);

  g_set_error (error, OMNI_FUSION_POLICY_ERROR, OMNI_FUSION_POLICY_ERROR_KEY,
      "%s:%u: unknown group [%s]%s%s%s (known groups: [%s])", b->source, line,
      name, hint ? " (did you mean [" : "", hint ? hint : "", hint ? "]?)" : "",
      known);
  g_free (known);
  return FALSE;
}

static OmniFusionLabelRule *
begin_label (Builder *b, const gchar *name, guint line, GError **error)
{
  OmniFusionLabelRule *rule;
  guint i;

  if (!b->have_labels) {
    /* The file's labels replace the built-in set as a whole. */
    g_ptr_array_set_size (b->policy->labels, 0);
    b->have_labels = TRUE;
  }
  for (i = 0; i < b->policy->labels->len; i++) {
    rule = g_ptr_array_index (b->policy->labels, i);
    if (g_str_equal (rule->label, name)) {
      g_set_error (error, OMNI_FUSION_POLICY_ERROR,
          OMNI_FUSION_POLICY_ERROR_KEY, "%s:%u: label \"%s\" defined twice",
          b->source, line, name);
      return NULL;
    }
  }
  rule = g_new0 (OmniFusionLabelRule, 1);
  rule->label = g_strdup (name);
  rule->weight = 1.0;
  rule->classes = g_new0 (gchar *, 1);
  g_ptr_array_add (b->policy->labels, rule);
  return rule;
}

static gboolean
check_label (Builder *b, OmniFusionLabelRule *rule, guint line, GError **error)
{
  if (rule && !rule->classes[0])
    FAIL (b, line, OMNI_FUSION_POLICY_ERROR_VALUE,
        "[label %s] needs a \"classes\" key", rule->label);
  return TRUE;
}

static gboolean
parse_keyfile (Builder *b, const gchar *data, GError **error)
{
  gchar **lines = g_strsplit (data, "\n", -1);
  GroupKind kind = GROUP_POLICY;
  gchar *group = NULL;
  GHashTable *seen_keys
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *seen_groups
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  OmniFusionLabelRule *rule = NULL;
  guint group_line = 0, i;
  gboolean ok = TRUE;

  for (i = 0; ok && lines[i]; i++) {
    guint line = i + 1;
    gchar *l = g_strstrip (lines[i]);
    gchar *eq;

    if (*l == '\0' || *l == '#')
      continue;

    if (*l == '[') {
      const gchar *label_name;
      gsize n = strlen (l);

      if (l[n - 1] != ']') {
        g_set_error (error, OMNI_FUSION_POLICY_ERROR,
            OMNI_FUSION_POLICY_ERROR_SYNTAX,
            "%s:%u: group header \"%s\" lacks its closing ']'", b->source, line,
            l);
        ok = FALSE;
        break;
      }
      if (!(ok = check_label (b, rule, group_line, error)))
        break;
      l[n - 1] = '\0';
      g_free (group);
      group = g_strdup (g_strstrip (l + 1));
      if (!group_kind (group, &kind, &label_name)) {
        ok = unknown_group (b, line, group, error);
        break;
      }
      if (g_hash_table_contains (seen_groups, group)) {
        g_set_error (error, OMNI_FUSION_POLICY_ERROR,
            OMNI_FUSION_POLICY_ERROR_KEY, "%s:%u: group [%s] appears twice",
            b->source, line, group);
        ok = FALSE;
        break;
      }
      g_hash_table_add (seen_groups, g_strdup (group));
      group_line = line;
      rule = NULL;
      if (kind == GROUP_LABEL
          && !(rule = begin_label (b, label_name, line, error))) {
        ok = FALSE;
        break;
      }
      if (kind == GROUP_RULE)
        b->cur_rule
            = omni_fusion_rules_ensure_rule (b->policy->rules, label_name);
      if (kind == GROUP_CATEGORY)
        b->cur_category
            = omni_fusion_rules_ensure_category (b->policy->rules, label_name);
      continue;
    }

    eq = strchr (l, '=');
    if (!eq) {
      g_set_error (error, OMNI_FUSION_POLICY_ERROR,
          OMNI_FUSION_POLICY_ERROR_SYNTAX,
          "%s:%u: \"%s\" is not \"key=value\", a [group] or a # comment",
          b->source, line, l);
      ok = FALSE;
      break;
    }
    if (!group) {
      g_set_error (error, OMNI_FUSION_POLICY_ERROR,
          OMNI_FUSION_POLICY_ERROR_SYNTAX,
          "%s:%u: key outside of any group (start with [policy])", b->source,
          line);
      ok = FALSE;
      break;
    }
    *eq = '\0';
    {
      gchar *key = g_strstrip (l);
      Value v = { g_strstrip (eq + 1), NULL, line };
      gchar *id = g_strdup_printf ("%s\n%s", group, key);

      if (g_hash_table_contains (seen_keys, id)) {
        g_free (id);
        g_set_error (error, OMNI_FUSION_POLICY_ERROR,
            OMNI_FUSION_POLICY_ERROR_KEY,
            "%s:%u: key \"%s\" appears twice in [%s]", b->source, line, key,
            group);
        ok = FALSE;
        break;
      }
      g_hash_table_add (seen_keys, id);
      ok = apply_key (b, kind, rule, group, key, &v, error);
    }
  }
  if (ok)
    ok = check_label (b, rule, group_line, error);

  g_free (group);
  g_hash_table_unref (seen_keys);
  g_hash_table_unref (seen_groups);
  g_strfreev (lines);
  return ok;
}

/* JSON: line numbers come from JsonParser's "object-member" signal,
 * during which json_parser_get_current_line() is defined. */
static void
on_object_member (
    JsonParser *parser, JsonObject *object, gchar *member, GHashTable *lines)
{
  g_hash_table_insert (lines, g_strdup_printf ("%p\n%s", object, member),
      GUINT_TO_POINTER (json_parser_get_current_line (parser)));
}

static guint
member_line (GHashTable *lines, JsonObject *object, const gchar *member)
{
  gchar *id = g_strdup_printf ("%p\n%s", object, member);
  guint line = GPOINTER_TO_UINT (g_hash_table_lookup (lines, id));

  g_free (id);
  return line;
}

static gboolean apply_json_object (Builder *b, GHashTable *lines, JsonObject *o,
    GroupKind kind, OmniFusionLabelRule *rule, const gchar *group,
    GError **error);

/* "rules": {NAME: {...}} and "categories": {NAME: {...}} */
static gboolean
apply_json_named (Builder *b, GHashTable *lines, const gchar *key,
    const Value *v, GError **error)
{
  gboolean rules = g_str_equal (key, "rules"), ok = TRUE;
  JsonObject *lo;
  GList *names, *n;

  if (!JSON_NODE_HOLDS_OBJECT (v->node))
    FAIL (b, v->line, OMNI_FUSION_POLICY_ERROR_VALUE,
        "\"%s\" must be an object", key);
  lo = json_node_get_object (v->node);
  names = json_object_get_members (lo);
  for (n = names; ok && n; n = n->next) {
    JsonNode *ln = json_object_get_member (lo, n->data);
    gchar *gname = g_strdup_printf (
        "%s %s", rules ? "rule" : "category", (gchar *) n->data);

    if (!JSON_NODE_HOLDS_OBJECT (ln)) {
      g_set_error (error, OMNI_FUSION_POLICY_ERROR,
          OMNI_FUSION_POLICY_ERROR_VALUE, "%s:%u: \"%s\" must be an object",
          b->source, member_line (lines, lo, n->data), gname);
      ok = FALSE;
    } else {
      if (rules)
        b->cur_rule = omni_fusion_rules_ensure_rule (b->policy->rules, n->data);
      else
        b->cur_category
            = omni_fusion_rules_ensure_category (b->policy->rules, n->data);
      ok = apply_json_object (b, lines, json_node_get_object (ln),
          rules ? GROUP_RULE : GROUP_CATEGORY, NULL, gname, error);
    }
    g_free (gname);
  }
  g_list_free (names);
  return ok;
}

static gboolean
apply_json_object (Builder *b, GHashTable *lines, JsonObject *o, GroupKind kind,
    OmniFusionLabelRule *rule, const gchar *group, GError **error)
{
  GList *members = json_object_get_members (o), *l;
  gboolean ok = TRUE;

  for (l = members; ok && l; l = l->next) {
    const gchar *key = l->data;
    Value v = { NULL, json_object_get_member (o, key),
      member_line (lines, o, key) };

    if (kind == GROUP_POLICY
        && (g_str_equal (key, "rules") || g_str_equal (key, "categories"))) {
      ok = apply_json_named (b, lines, key, &v, error);
      continue;
    }
    if (kind == GROUP_POLICY
        && (g_str_equal (key, "labels") || g_str_equal (key, "audio")
            || g_str_equal (key, "impacts") || g_str_equal (key, "text"))) {
      if (!JSON_NODE_HOLDS_OBJECT (v.node)) {
        g_set_error (error, OMNI_FUSION_POLICY_ERROR,
            OMNI_FUSION_POLICY_ERROR_VALUE, "%s:%u: \"%s\" must be an object",
            b->source, v.line, key);
        ok = FALSE;
        break;
      }
      if (g_str_equal (key, "labels")) {
        JsonObject *lo = json_node_get_object (v.node);
        GList *names = json_object_get_members (lo), *n;

        if (!b->have_labels) {
          g_ptr_array_set_size (b->policy->labels, 0);
          b->have_labels = TRUE;
        }
        for (n = names; ok && n; n = n->next) {
          JsonNode *ln = json_object_get_member (lo, n->data);
          guint lline = member_line (lines, lo, n->data);
          gchar *gname = g_strdup_printf ("label %s", (gchar *) n->data);
          OmniFusionLabelRule *r;

          if (!JSON_NODE_HOLDS_OBJECT (ln)) {
            g_set_error (error, OMNI_FUSION_POLICY_ERROR,
                OMNI_FUSION_POLICY_ERROR_VALUE,
                "%s:%u: label \"%s\" must be an object", b->source, lline,
                (gchar *) n->data);
            ok = FALSE;
          } else if (!(r = begin_label (b, n->data, lline, error))) {
            ok = FALSE;
          } else {
            ok = apply_json_object (b, lines, json_node_get_object (ln),
                     GROUP_LABEL, r, gname, error)
                 && check_label (b, r, lline, error);
          }
          g_free (gname);
        }
        g_list_free (names);
      } else {
        ok = apply_json_object (b, lines, json_node_get_object (v.node),
            g_str_equal (key, "audio")     ? GROUP_AUDIO
            : g_str_equal (key, "impacts") ? GROUP_IMPACTS
                                           : GROUP_TEXT,
            NULL, key, error);
      }
      continue;
    }
    ok = apply_key (b, kind, rule, group, key, &v, error);
  }
  g_list_free (members);
  return ok;
}

static gboolean
parse_json (Builder *b, const gchar *data, gssize length, GError **error)
{
  JsonParser *parser = json_parser_new ();
  GHashTable *lines
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GError *err = NULL;
  gboolean ok;

  g_signal_connect (
      parser, "object-member", G_CALLBACK (on_object_member), lines);
  if (!json_parser_load_from_data (parser, data, length, &err)) {
    /* json-glib's message already starts with "<data>:LINE:COL: ". */
    const gchar *msg = err->message;

    if (g_str_has_prefix (msg, "<data>"))
      msg += strlen ("<data>");
    g_set_error (error, OMNI_FUSION_POLICY_ERROR,
        OMNI_FUSION_POLICY_ERROR_SYNTAX, "%s%s%s", b->source,
        *msg == ':' ? "" : ": ", msg);
    g_clear_error (&err);
    ok = FALSE;
  } else if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    g_set_error (error, OMNI_FUSION_POLICY_ERROR,
        OMNI_FUSION_POLICY_ERROR_SYNTAX, "%s:1: the policy must be an object",
        b->source);
    ok = FALSE;
  } else {
    ok = apply_json_object (b, lines,
        json_node_get_object (json_parser_get_root (parser)), GROUP_POLICY,
        NULL, "policy", error);
  }
  g_hash_table_unref (lines);
  g_object_unref (parser);
  return ok;
}

/**
 * omni_fusion_policy_parse:
 * @data: the policy text (keyfile, or JSON when it starts with '{')
 * @length: length of @data, or -1 when nul-terminated
 * @source: name used in error messages (usually the file name)
 * @error: return location for an error naming the line
 *
 * Reads a policy on top of the built-in one.
 */
OmniFusionPolicy *
omni_fusion_policy_parse (
    const gchar *data, gssize length, const gchar *source, GError **error)
{
  Builder b = {
    0,
  };
  gchar *text;
  const gchar *p;
  gboolean ok;
  GChecksum *sum;

  g_return_val_if_fail (data != NULL, NULL);

  if (length < 0)
    length = strlen (data);
  if (!g_utf8_validate (data, length, NULL)) {
    g_set_error (error, OMNI_FUSION_POLICY_ERROR,
        OMNI_FUSION_POLICY_ERROR_SYNTAX, "%s: not UTF-8 text", source);
    return NULL;
  }
  if (memchr (data, '\0', length)) {
    g_set_error (error, OMNI_FUSION_POLICY_ERROR,
        OMNI_FUSION_POLICY_ERROR_SYNTAX, "%s: contains NUL bytes", source);
    return NULL;
  }
  text = g_strndup (data, length);
  g_strdelimit (text, "\r", ' ');

  b.policy = omni_fusion_policy_new_default ();
  b.source = source;
  g_free (b.policy->source);
  b.policy->source = g_strdup (source);

  for (p = text; *p && g_ascii_isspace (*p); p++)
    ;
  if (*p == '{')
    ok = parse_json (&b, text, -1, error);
  else
    ok = parse_keyfile (&b, text, error);

  if (ok && b.policy->exit_threshold > b.policy->enter_threshold) {
    g_set_error (error, OMNI_FUSION_POLICY_ERROR,
        OMNI_FUSION_POLICY_ERROR_VALUE,
        "%s:%u: exit-threshold (%g) must not be above enter-threshold (%g)",
        source, b.exit_line ? b.exit_line : b.enter_line,
        b.policy->exit_threshold, b.policy->enter_threshold);
    ok = FALSE;
  }
  if (ok) {
    guint i;

    for (i = 0; i < b.policy->rules->rules->len; i++) {
      OmniFusionRule *r = g_ptr_array_index (b.policy->rules->rules, i);

      omni_fusion_rules_ensure_category (b.policy->rules, r->category);
    }
  }
  if (ok && b.policy->labels->len == 0) {
    g_set_error (error, OMNI_FUSION_POLICY_ERROR,
        OMNI_FUSION_POLICY_ERROR_VALUE, "%s: the policy defines no label",
        source);
    ok = FALSE;
  }

  if (ok) {
    sum = g_checksum_new (G_CHECKSUM_SHA256);
    g_checksum_update (sum, (const guchar *) data, length);
    b.policy->sha256 = g_strdup (g_checksum_get_string (sum));
    g_checksum_free (sum);
  } else {
    omni_fusion_policy_free (b.policy);
    b.policy = NULL;
  }
  g_free (text);
  return b.policy;
}

/**
 * omni_fusion_policy_load:
 * @path: a keyfile or JSON policy file
 * @error: return location for an error naming the line
 */
OmniFusionPolicy *
omni_fusion_policy_load (const gchar *path, GError **error)
{
  gchar *data = NULL, *base;
  gsize len = 0;
  GError *err = NULL;
  OmniFusionPolicy *p;

  if (!g_file_get_contents (path, &data, &len, &err)) {
    g_set_error (error, OMNI_FUSION_POLICY_ERROR, OMNI_FUSION_POLICY_ERROR_READ,
        "cannot read policy file: %s", err->message);
    g_clear_error (&err);
    return NULL;
  }
  base = g_strdup (path);
  p = omni_fusion_policy_parse (data, len, base, error);
  g_free (base);
  g_free (data);
  return p;
}

/* ---- scoring ------------------------------------------------------- */

static gdouble
class_score (guint n, gchar **labels, const gfloat *scores, const gchar *name)
{
  guint i;

  for (i = 0; i < n; i++) {
    if (labels[i] && g_str_equal (labels[i], name))
      return isfinite (scores[i]) ? scores[i] : 0.0;
  }
  return 0.0;
}

/**
 * omni_fusion_policy_score_classes:
 * @label: (out): interned label of the highest-scoring rule, or %NULL
 *
 * Returns: the highest rule risk, clamped to [0,1]
 */
gdouble
omni_fusion_policy_score_classes (const OmniFusionPolicy *policy,
    const gchar *model_id, guint n_classes, gchar **labels,
    const gfloat *scores, const gchar **label)
{
  gdouble best = 0.0;
  guint r;

  *label = NULL;
  for (r = 0; r < policy->labels->len; r++) {
    const OmniFusionLabelRule *rule = g_ptr_array_index (policy->labels, r);
    gdouble sum = 0.0;
    guint c;

    if (rule->model && g_strcmp0 (rule->model, model_id) != 0)
      continue;
    for (c = 0; rule->classes[c]; c++)
      sum += class_score (n_classes, labels, scores, rule->classes[c]);
    sum = CLAMP (sum * rule->weight, 0.0, 1.0);
    if (sum > best) {
      best = sum;
      *label = g_intern_string (rule->label);
    }
  }
  return best;
}

/**
 * omni_fusion_policy_score_loud:
 * @short_term_db: the window's loudest short-term (50 ms) level, dBFS
 * @peak_db: the window's sample peak, dBFS
 * @baseline_db: the running level of the stream before the window, dBFS
 *
 * A loud event: the short-term level rises above the baseline (a rise of
 * spike-db scores 1) and reaches loud-db, or the sample peak reaches
 * full-scale-db and stands above the baseline (by peak-excess-db to score
 * 1). The larger score is weighted. Rises that stay below loud-db (a
 * quiet talker after a pause, a piano entering a quiet intro) and loud
 * but steady content (mastered music peaking at 0 dBFS over a -14 dB
 * baseline) are not loud events.
 */
gdouble
omni_fusion_policy_score_loud (const OmniFusionPolicy *policy,
    gdouble short_term_db, gdouble peak_db, gdouble baseline_db,
    const gchar **label)
{
  gdouble spike = 0, peak = 0, risk;

  if (isfinite (short_term_db) && isfinite (baseline_db)
      && short_term_db >= policy->loud_db)
    spike = CLAMP ((short_term_db - baseline_db) / policy->spike_db, 0.0, 1.0);
  if (isfinite (peak_db) && isfinite (baseline_db)
      && peak_db >= policy->full_scale_db)
    peak = CLAMP ((peak_db - baseline_db) / policy->peak_excess_db, 0.0, 1.0);
  risk = CLAMP (MAX (spike, peak) * policy->audio_weight, 0.0, 1.0);
  *label = risk > 0 ? g_intern_string (policy->audio_label) : NULL;
  return risk;
}

/**
 * omni_fusion_policy_score_impacts:
 * @impulse_rate: impulsive onsets (omnirhythm's impulses) per second
 *
 * A burst of impacts: impulses-per-second scores 1, times the weight.
 */
gdouble
omni_fusion_policy_score_impacts (
    const OmniFusionPolicy *policy, gdouble impulse_rate, const gchar **label)
{
  gdouble risk = isfinite (impulse_rate)
                     ? CLAMP (impulse_rate / policy->impact_rate, 0.0, 1.0)
                     : 0.0;

  risk = CLAMP (risk * policy->impact_weight, 0.0, 1.0);
  *label = risk > 0 ? g_intern_string (policy->impact_label) : NULL;
  return risk;
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '\'' || c == 0x2019;
}

/**
 * omni_fusion_policy_score_text:
 * @matched: (nullable): receives the matched words, ", "-separated
 *
 * A word list entry matches where it occurs in the case-folded text with
 * no letter or digit right before or after it, so "ass" does not match
 * "class"; entries may be phrases.
 */
gdouble
omni_fusion_policy_score_text (const OmniFusionPolicy *policy,
    const gchar *text, GString *matched, const gchar **label)
{
  gchar *folded;
  guint i, hits = 0;

  *label = NULL;
  if (!text || !*text || !policy->words[0])
    return 0.0;

  folded = fold_text (text);
  for (i = 0; policy->words[i]; i++) {
    const gchar *w = policy->words[i];
    gsize wl = strlen (w);
    const gchar *at = folded;

    while ((at = strstr (at, w))) {
      gboolean start_ok = at == folded
                          || !is_word_char (g_utf8_get_char (
                              g_utf8_find_prev_char (folded, at)));
      gboolean end_ok
          = at[wl] == '\0' || !is_word_char (g_utf8_get_char (at + wl));

      if (start_ok && end_ok) {
        if (matched) {
          if (matched->len)
            g_string_append (matched, ", ");
          g_string_append (matched, w);
        }
        hits++;
        break;
      }
      at = g_utf8_next_char (at);
    }
  }
  g_free (folded);
  if (!hits)
    return 0.0;
  *label = g_intern_string (policy->text_label);
  return CLAMP (policy->text_weight, 0.0, 1.0);
}
