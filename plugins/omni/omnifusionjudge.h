/* gst-omni: omnifusion's judgement of a window (window + policy -> verdict)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_FUSION_JUDGE_H__
#define __OMNI_FUSION_JUDGE_H__

#include <gst/gst.h>
#include <omni/omni.h>

#include "omnifusionhysteresis.h"
#include "omnifusionpolicy.h"
#include "omnifusionrules.h"
#include "omnifusionwindow.h"

G_BEGIN_DECLS

/* What one scorer found in a window: the strongest rule that fired. */
typedef struct {
  const gchar *scorer;     /* static: the scorer's name */
  gdouble risk;            /* [0,1] */
  const gchar *label;      /* interned verdict label, NULL when risk is 0 */
  const gchar *category;   /* interned category, or NULL */
  const gchar *rule;       /* interned rule name, or NULL */
  GstClockTime start, end; /* running time of what fired (a word's span, a
                            * frame's time: end = start); NONE if unknown */
  gchar *detail;           /* what matched ("knife", "gosh darn"), or NULL */
} OmniFusionScore;

/* The inputs of a judgement besides the window. */
typedef struct {
  GstClockTime stream_start; /* stream time of the window start, or NONE */
  gboolean final;            /* all pads ended: close an open segment */
  GstClockTime stream_end;   /* stream time of the window end (for final) */
  GstClockTime hop;          /* window-hop: the loudness baseline's step */
} OmniFusionJudgeInput;

typedef struct {
  OmniVerdictState state;
  const gchar *label; /* interned, NULL when ok */
  gdouble risk;       /* peak observation risk (NAN for error) */
  guint observations;
  guint segment_id; /* segment overlapping the window, 0 if none */
  GArray *scores;   /* OmniFusionScore, one per scorer that produced one */

  /* the per-source view the evidence has always had */
  gdouble visual_risk, audio_risk, text_risk, other_risk, impact_risk;
  const gchar *visual_label, *audio_label, *text_label, *other_label;
  gdouble baseline_db; /* loudness baseline the window was compared with */
  GArray *hits;        /* OmniFusionHit: the category rules that fired */
  GString *matched;    /* matched words of the transcript */
} OmniFusionVerdict;

void omni_fusion_verdict_init (OmniFusionVerdict *v);
void omni_fusion_verdict_clear (OmniFusionVerdict *v);
const OmniFusionScore *omni_fusion_verdict_get_score (
    const OmniFusionVerdict *v, const gchar *scorer);

/* The state a judgement carries from window to window. */
typedef struct _OmniFusionJudge OmniFusionJudge;

OmniFusionJudge *omni_fusion_judge_new (const OmniFusionPolicy *policy,
    gdouble enter_threshold, gdouble exit_threshold, guint enter_frames,
    guint exit_frames);
void omni_fusion_judge_free (OmniFusionJudge *judge);
/* a flush: no open segment, no loudness baseline */
void omni_fusion_judge_reset (OmniFusionJudge *judge);
/* closes an open segment (flush, stop) */
void omni_fusion_judge_close (OmniFusionJudge *judge, GstClockTime end,
    GstClockTime stream_end, const gchar *reason, OmniFusionSegmentFunc func,
    gpointer user_data);
/* closes the open category segments (flush, stop), through the category
 * func */
void omni_fusion_judge_close_categories (OmniFusionJudge *judge);
OmniFusionHysteresis *omni_fusion_judge_get_hysteresis (OmniFusionJudge *judge);

void omni_fusion_judge_window (OmniFusionJudge *judge,
    const OmniFusionWindow *w, const OmniFusionJudgeInput *input,
    OmniFusionVerdict *verdict, OmniFusionSegmentFunc func, gpointer user_data);
/* called for each category segment that closes (see omnifusionrules.h) */
void omni_fusion_judge_set_category_func (OmniFusionJudge *judge,
    OmniFusionCategorySegmentFunc func, gpointer user_data);

/* The scorers, one per kind of result, in the order they run. */
typedef void (*OmniFusionScorerFunc) (OmniFusionJudge *judge,
    const OmniFusionWindow *w, OmniFusionVerdict *verdict);

typedef struct {
  const gchar *name;
  OmniFusionScorerFunc score;
} OmniFusionScorer;

/* the scorers of results, then those of the category rules */
const OmniFusionScorer *omni_fusion_judge_scorers (guint *n_scorers);
const OmniFusionScorer *omni_fusion_judge_rule_scorers (guint *n_scorers);

/* The evidence of a judged window: the window's own (see
 * omni_fusion_window_to_evidence()) plus the verdict's. */
GstStructure *omni_fusion_judge_evidence (const OmniFusionWindow *w,
    const OmniFusionPolicy *policy, const OmniFusionVerdict *verdict);

G_END_DECLS

#endif /* __OMNI_FUSION_JUDGE_H__ */
