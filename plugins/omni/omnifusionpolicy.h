/* gst-omni: omnifusion's moderation policy (evidence -> risk).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_FUSION_POLICY_H__
#define __OMNI_FUSION_POLICY_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* omnifusionrules.h */
typedef struct _OmniFusionRules OmniFusionRules;

/**
 * OMNI_FUSION_POLICY_ERROR:
 *
 * Error domain of omni_fusion_policy_load() and omni_fusion_policy_parse().
 * Messages name the file and the line ("policy.conf:7: ...").
 */
#define OMNI_FUSION_POLICY_ERROR (omni_fusion_policy_error_quark ())
GQuark omni_fusion_policy_error_quark (void);

typedef enum {
  OMNI_FUSION_POLICY_ERROR_READ,
  OMNI_FUSION_POLICY_ERROR_SYNTAX,
  OMNI_FUSION_POLICY_ERROR_KEY,
  OMNI_FUSION_POLICY_ERROR_VALUE,
} OmniFusionPolicyError;

/* Which thresholds a policy file set explicitly (element properties set
 * by the application still win over these). */
typedef enum {
  OMNI_FUSION_POLICY_SET_ENTER_THRESHOLD = (1 << 0),
  OMNI_FUSION_POLICY_SET_EXIT_THRESHOLD = (1 << 1),
  OMNI_FUSION_POLICY_SET_ENTER_FRAMES = (1 << 2),
  OMNI_FUSION_POLICY_SET_EXIT_FRAMES = (1 << 3),
} OmniFusionPolicySet;

/* One label rule: risk = weight * sum of the scores of @classes. */
typedef struct {
  gchar *label;
  gchar *model;    /* only class metas of this model id; NULL = any */
  gchar **classes; /* class labels as the model names them */
  gdouble weight;
} OmniFusionLabelRule;

typedef struct {
  gchar *name;
  gchar *source; /* the file it was read from, or "built-in" */
  gchar *sha256; /* of the file's bytes; NULL for the built-in policy */

  gdouble enter_threshold, exit_threshold;
  guint enter_frames, exit_frames;
  OmniFusionPolicySet set;

  GPtrArray *labels; /* OmniFusionLabelRule */

  /* audio evidence: loud events ([audio]) */
  gchar *audio_label;
  gdouble audio_weight;
  gdouble spike_db;         /* short-term level above the baseline scoring 1 */
  gdouble loud_db;          /* ... counted only from this short-term level */
  gdouble peak_excess_db;   /* sample peak above the baseline scoring 1 */
  gdouble full_scale_db;    /* ... counted only from this peak */
  gdouble baseline_seconds; /* baseline time constant, falling */
  gdouble baseline_rise_seconds; /* baseline time constant, rising */
  gdouble silence_db; /* below this the window's audio is "silence" */

  /* audio evidence: bursts of impulsive onsets ([impacts]) */
  gchar *impact_label;
  gdouble impact_weight;
  gdouble impact_rate; /* impulses per second that score 1 */

  /* text evidence */
  gchar *text_label;
  gdouble text_weight;
  gchar **words; /* case-folded, NFC-normalised */

  /* category rules over labels of any source (omnifusionrules.c) */
  OmniFusionRules *rules;
} OmniFusionPolicy;

OmniFusionPolicy *omni_fusion_policy_new_default (void);
OmniFusionPolicy *omni_fusion_policy_load (const gchar *path, GError **error);
OmniFusionPolicy *omni_fusion_policy_parse (
    const gchar *data, gssize length, const gchar *source, GError **error);
void omni_fusion_policy_free (OmniFusionPolicy *policy);

gdouble omni_fusion_policy_score_classes (const OmniFusionPolicy *policy,
    const gchar *model_id, guint n_classes, gchar **labels,
    const gfloat *scores, const gchar **label);
gdouble omni_fusion_policy_score_loud (const OmniFusionPolicy *policy,
    gdouble short_term_db, gdouble peak_db, gdouble baseline_db,
    const gchar **label);
gdouble omni_fusion_policy_score_impacts (
    const OmniFusionPolicy *policy, gdouble impulse_rate, const gchar **label);
gdouble omni_fusion_policy_score_text (const OmniFusionPolicy *policy,
    const gchar *text, GString *matched, const gchar **label);

G_END_DECLS

#endif /* __OMNI_FUSION_POLICY_H__ */
