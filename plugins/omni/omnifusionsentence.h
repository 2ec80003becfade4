/* gst-omni: omnifusion's sentence captions (what a window shows and says)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_FUSION_SENTENCE_H__
#define __OMNI_FUSION_SENTENCE_H__

#include <gst/gst.h>

#include "omnifusionjudge.h"
#include "omnifusionpolicy.h"
#include "omnifusionwindow.h"

G_BEGIN_DECLS

/* Counts above this are "several". */
#define OMNI_FUSION_SENTENCE_SEVERAL_ABOVE 4
/* Quotes (speech, on-screen text) are cut at a word boundary to this many
 * characters, then "…" is appended. */
#define OMNI_FUSION_SENTENCE_QUOTE_CHARS 80
/* A face's expression or gender is said only from this confidence. */
#define OMNI_FUSION_SENTENCE_EMOTION_CONFIDENCE 0.6
#define OMNI_FUSION_SENTENCE_GENDER_CONFIDENCE 0.8
/* At most this many kinds of object are named. */
#define OMNI_FUSION_SENTENCE_MAX_KINDS 4

/* The tracks of the previous window (entering/leaving). */
typedef struct _OmniFusionTracks OmniFusionTracks;

OmniFusionTracks *omni_fusion_tracks_new (void);
void omni_fusion_tracks_free (OmniFusionTracks *tracks);
void omni_fusion_tracks_reset (OmniFusionTracks *tracks);

/* The parts of a sentence caption, each a sentence or NULL. */
typedef struct {
  gchar *objects; /* "Two people and a dog." */
  gchar *faces;   /* "A smiling woman." */
  gchar *tracks;  /* "A car enters. A dog leaves." */
  gchar *speech;  /* "Someone says: “…”." */
  gchar *screen;  /* "On screen: “BREAKING NEWS”." */
  gchar *scene;   /* "Scene: drawing." (visual classes) */
  gchar *audio;   /* "Music, 120 BPM." */
  gchar *verdict; /* "Flagged: violence." (not for ok) */
} OmniFusionSentence;

/* @tracks: (nullable): updated with this window's tracks */
void omni_fusion_sentence_build (OmniFusionSentence *s,
    const OmniFusionWindow *w, const OmniFusionPolicy *policy,
    const OmniFusionVerdict *verdict, OmniFusionTracks *tracks);
void omni_fusion_sentence_clear (OmniFusionSentence *s);
/* all parts, most salient first, then "(audio missing)" */
gchar *omni_fusion_sentence_join (
    const OmniFusionSentence *s, const gchar *missing);

/* What the window shows, for the evidence: "person 2, dog 1" (the most
 * frequent counts, in caption order; NULL when none) and the people. */
gchar *omni_fusion_sentence_object_counts (
    const OmniFusionWindow *w, guint *people);

/* helpers, exposed for the tests */
gchar *omni_fusion_sentence_noun_phrase (const gchar *noun, guint count);
gchar *omni_fusion_sentence_quote (const gchar *text, guint max_chars);

G_END_DECLS

#endif /* __OMNI_FUSION_SENTENCE_H__ */
