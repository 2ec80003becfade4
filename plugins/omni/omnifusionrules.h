/* gst-omni: omnifusion's category rules over labels from any source, and
 * their segments per category.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_FUSION_RULES_H__
#define __OMNI_FUSION_RULES_H__

#include <gst/gst.h>

#include "omnifusionwindow.h"

G_BEGIN_DECLS

typedef enum {
  OMNI_FUSION_RULE_OBJECTS,     /* detection boxes: labels */
  OMNI_FUSION_RULE_FACES,       /* face expressions: labels */
  OMNI_FUSION_RULE_SPEECH,      /* transcript words: words */
  OMNI_FUSION_RULE_SCREEN_TEXT, /* on-screen text lines: words */
  OMNI_FUSION_RULE_VISUAL,      /* visual-class policy labels: labels */
  OMNI_FUSION_RULE_AUDIO,       /* audio cue policy labels: labels */
} OmniFusionRuleSource;

typedef struct {
  gchar *name;
  gchar *category;
  OmniFusionRuleSource source;
  gchar **labels; /* OBJECTS, FACES */
  gchar **words;  /* SPEECH, SCREEN_TEXT: folded, whole words or phrases */
  gdouble min_score, min_area, weight;
} OmniFusionRule;

typedef struct {
  gchar *name;
  gdouble threshold; /* a hit: a rule risk at or above this */
  guint min_hits;    /* hits a segment needs to be reported */
  GstClockTime gap;  /* longest pause between the hits of one segment */
} OmniFusionCategory;

struct _OmniFusionRules {
  GPtrArray *rules;      /* OmniFusionRule */
  GPtrArray *categories; /* OmniFusionCategory */
};

/* The default: explicit-nudity and suggestive (nsfwjs classes through the
 * policy's visual labels "explicit" and "suggestive"), violence (knife,
 * baseball bat, scissors), drugs-alcohol
 * (bottle, wine glass), profanity (speech and on-screen text), hate (an
 * empty user list until omni_fusion_rules_add_words() fills it). */
OmniFusionRules *omni_fusion_rules_new_default (void);
void omni_fusion_rules_free (OmniFusionRules *rules);
/* a word list file: one word or phrase a line, '#' comments */
gboolean omni_fusion_rules_add_words_file (OmniFusionRules *rules,
    const gchar *rule, const gchar *path, GError **error);
void omni_fusion_rules_add_words (
    OmniFusionRules *rules, const gchar *rule, const gchar *const *words);
gchar *omni_fusion_rules_fold (const gchar *text);

/* One rule that fired, with the exact span of what fired it. */
typedef struct {
  const gchar *rule;     /* interned */
  const gchar *category; /* interned */
  gdouble risk;
  GstClockTime start, end; /* running time */
  const gchar *what;       /* interned: the label or the word */
} OmniFusionHit;

/* Every hit of the window (GArray of OmniFusionHit), in time order;
 * audio cues are given as the label and risk of the window's audio (NULL
 * when none). */
GArray *omni_fusion_rules_match (const OmniFusionRules *rules,
    const OmniFusionWindow *w, const gchar *audio_label, gdouble audio_risk);
OmniFusionRuleSource omni_fusion_rule_source_from_string (
    const gchar *name, gboolean *ok);
OmniFusionRule *omni_fusion_rules_get_rule (
    OmniFusionRules *rules, const gchar *name);
OmniFusionCategory *omni_fusion_rules_get_category (
    OmniFusionRules *rules, const gchar *name);
/* the rule or category of that name, made (with defaults) when missing */
OmniFusionRule *omni_fusion_rules_ensure_rule (
    OmniFusionRules *rules, const gchar *name);
OmniFusionCategory *omni_fusion_rules_ensure_category (
    OmniFusionRules *rules, const gchar *name);
const gchar *omni_fusion_rule_source_to_string (OmniFusionRuleSource source);

/* A segment per category: hits no more than the category's gap apart. */
typedef struct {
  const gchar *category;
  GstClockTime start, end;
  gdouble max, sum;
  guint hits;
  GString *rules; /* the rules that fired, ", "-separated, once each */
  GString *what;  /* the labels and words, once each */
} OmniFusionCategorySegment;

typedef void (*OmniFusionCategorySegmentFunc) (
    const OmniFusionCategorySegment *segment, gpointer user_data);

typedef struct _OmniFusionSegmenter OmniFusionSegmenter;

OmniFusionSegmenter *omni_fusion_segmenter_new (const OmniFusionRules *rules);
void omni_fusion_segmenter_free (OmniFusionSegmenter *s);
/* the hits of one window, then the window's end: segments whose last hit
 * is more than their gap before @now close */
void omni_fusion_segmenter_push (OmniFusionSegmenter *s, GArray *hits,
    GstClockTime now, OmniFusionCategorySegmentFunc func, gpointer user_data);
/* closes every open segment (EOS, flush, stop) */
void omni_fusion_segmenter_close (OmniFusionSegmenter *s,
    OmniFusionCategorySegmentFunc func, gpointer user_data);

G_END_DECLS

#endif /* __OMNI_FUSION_RULES_H__ */
