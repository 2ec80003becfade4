/* gst-omni: omnifusion's judgement of a window
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * omni_fusion_judge_window() turns one window's accumulated evidence into a
 * verdict, without an aggregator: each scorer (one per kind of result)
 * reports the strongest rule of the policy that fired on its results; the
 * observations (each scored video frame, or the window itself when it has
 * no frame) go through the hysteresis; the verdict is "flagged" when a
 * segment meets the window, "error" when a model gave non-finite scores,
 * "review" when an observation reached the exit threshold, "ok" otherwise.
 * The only state carried between windows is the hysteresis and the
 * loudness baseline.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "omnifusioncaption.h"
#include "omnifusionjudge.h"
#include "omnifusionsentence.h"

struct _OmniFusionJudge {
  const OmniFusionPolicy *policy;
  OmniFusionHysteresis *hyst;
  gdouble baseline_db;
  gboolean have_baseline;
  OmniFusionSegmenter *segmenter;
  OmniFusionCategorySegmentFunc category_func;
  gpointer category_data;
};

void
omni_fusion_judge_set_category_func (
    OmniFusionJudge *j, OmniFusionCategorySegmentFunc func, gpointer user_data)
{
  j->category_func = func;
  j->category_data = user_data;
}

OmniFusionJudge *
omni_fusion_judge_new (const OmniFusionPolicy *policy, gdouble enter_threshold,
    gdouble exit_threshold, guint enter_frames, guint exit_frames)
{
  OmniFusionJudge *j = g_new0 (OmniFusionJudge, 1);

  j->policy = policy;
  j->hyst = omni_fusion_hysteresis_new (
      enter_threshold, exit_threshold, enter_frames, exit_frames);
  j->segmenter = omni_fusion_segmenter_new (policy->rules);
  return j;
}

void
omni_fusion_judge_free (OmniFusionJudge *j)
{
  if (!j)
    return;
  omni_fusion_hysteresis_free (j->hyst);
  omni_fusion_segmenter_free (j->segmenter);
  g_free (j);
}

void
omni_fusion_judge_reset (OmniFusionJudge *j)
{
  omni_fusion_hysteresis_reset (j->hyst);
  omni_fusion_segmenter_close (j->segmenter, NULL, NULL);
  j->have_baseline = FALSE;
  j->baseline_db = 0;
}

void
omni_fusion_judge_close (OmniFusionJudge *j, GstClockTime end,
    GstClockTime stream_end, const gchar *reason, OmniFusionSegmentFunc func,
    gpointer user_data)
{
  omni_fusion_hysteresis_close (
      j->hyst, end, stream_end, reason, func, user_data);
  omni_fusion_segmenter_close (
      j->segmenter, j->category_func, j->category_data);
}

void
omni_fusion_judge_close_categories (OmniFusionJudge *j)
{
  omni_fusion_segmenter_close (
      j->segmenter, j->category_func, j->category_data);
}

OmniFusionHysteresis *
omni_fusion_judge_get_hysteresis (OmniFusionJudge *j)
{
  return j->hyst;
}

static void
score_clear (OmniFusionScore *s)
{
  g_free (s->detail);
}

void
omni_fusion_verdict_init (OmniFusionVerdict *v)
{
  memset (v, 0, sizeof (*v));
  v->scores = g_array_new (FALSE, TRUE, sizeof (OmniFusionScore));
  g_array_set_clear_func (v->scores, (GDestroyNotify) score_clear);
  v->matched = g_string_new (NULL);
  v->baseline_db = NAN;
  v->hits = g_array_new (FALSE, FALSE, sizeof (OmniFusionHit));
}

void
omni_fusion_verdict_clear (OmniFusionVerdict *v)
{
  g_clear_pointer (&v->scores, g_array_unref);
  g_clear_pointer (&v->hits, g_array_unref);
  if (v->matched)
    g_string_free (v->matched, TRUE);
  v->matched = NULL;
}

/**
 * omni_fusion_verdict_get_score:
 *
 * Returns: (nullable): what scorer @scorer found, if it found anything
 */
const OmniFusionScore *
omni_fusion_verdict_get_score (const OmniFusionVerdict *v, const gchar *scorer)
{
  guint i;

  for (i = 0; i < v->scores->len; i++) {
    const OmniFusionScore *s = &g_array_index (v->scores, OmniFusionScore, i);

    if (g_str_equal (s->scorer, scorer))
      return s;
  }
  return NULL;
}

static void
add_score (OmniFusionVerdict *v, const gchar *scorer, gdouble risk,
    const gchar *label, GstClockTime start, GstClockTime end,
    const gchar *detail)
{
  OmniFusionScore s
      = { scorer, risk, label, NULL, NULL, start, end, g_strdup (detail) };

  g_array_append_val (v->scores, s);
}

/* ---- scorers ------------------------------------------------------- */

/* Loud events against the running level of the stream (a baseline that
 * follows the non-silent windows, faster up than down). */
static void
score_audio_level (
    OmniFusionJudge *j, const OmniFusionWindow *w, OmniFusionVerdict *v)
{
  const gchar *label = NULL;
  gdouble rms, risk;

  if (!w->rhythm_buffers)
    return;
  rms = omni_fusion_window_rms_db (w);
  if (!j->have_baseline && rms >= j->policy->silence_db) {
    j->baseline_db = rms;
    j->have_baseline = TRUE;
  }
  if (!j->have_baseline)
    return;
  v->baseline_db = j->baseline_db;
  risk = omni_fusion_policy_score_loud (
      j->policy, w->short_term_db, w->peak_db, j->baseline_db, &label);
  add_score (v, "audio-level", risk, label, w->first_audio, w->end, NULL);
}

/* Bursts of impulsive onsets. */
static void
score_audio_rhythm (
    OmniFusionJudge *j, const OmniFusionWindow *w, OmniFusionVerdict *v)
{
  const gchar *label = NULL;
  gdouble risk;

  if (!w->rhythm_buffers && !w->impulses)
    return;
  risk = omni_fusion_policy_score_impacts (
      j->policy, omni_fusion_window_impulse_rate (w), &label);
  v->impact_risk = risk;
  add_score (v, "audio-rhythm", risk, label, w->first_onset, w->end, NULL);
}

static void
score_audio_classes (
    OmniFusionJudge *j, const OmniFusionWindow *w, OmniFusionVerdict *v)
{
  if (!w->aclasses.n)
    return;
  add_score (v, "audio-classes", w->audio_class_risk, w->audio_class_label,
      w->first_audio, w->end, NULL);
}

/* The policy's word list over the transcript of the text pads. */
static void
score_speech_words (
    OmniFusionJudge *j, const OmniFusionWindow *w, OmniFusionVerdict *v)
{
  const gchar *label = NULL;
  gdouble risk;

  if (!(w->present & OMNI_MODALITY_TEXT))
    return;
  risk = omni_fusion_policy_score_text (
      j->policy, w->text->str, v->matched, &label);
  add_score (v, "speech-words", risk, label, w->first_text, w->end,
      v->matched->len ? v->matched->str : NULL);
}

/* Speech activity (omnivad): evidence, not a risk of its own: the score
 * says how much of the window is speech, for rules and readers. */
static void
score_speech_activity (
    OmniFusionJudge *j, const OmniFusionWindow *w, OmniFusionVerdict *v)
{
  gchar *detail;

  if (!w->vad_frames)
    return;
  detail = g_strdup_printf ("speech in %u of %u frames, mean probability %.3f",
      w->vad_speech_frames, w->vad_frames, w->vad_prob_sum / w->vad_frames);
  add_score (v, "speech-activity", 0.0, NULL, w->first_speech, w->end, detail);
  g_free (detail);
}

/* Visual classes: every classified frame is an observation of its own;
 * the scorer reports the strongest. */
static void
score_visual_classes (
    OmniFusionJudge *j, const OmniFusionWindow *w, OmniFusionVerdict *v)
{
  const gchar *label = NULL;
  gdouble risk;
  GstClockTime at = GST_CLOCK_TIME_NONE;
  guint i;

  if (!w->frames->len)
    return;
  risk = omni_fusion_window_visual_risk (w, &label);
  for (i = 0; i < w->frames->len; i++) {
    const OmniFusionObservation *o
        = &g_array_index (w->frames, OmniFusionObservation, i);

    if (o->label == label && o->risk == risk) {
      at = o->time;
      break;
    }
  }
  add_score (v, "visual-classes", risk, label, at, at, NULL);
}

/* Class metas on request pads that are neither video, audio nor text. */
static void
score_other_classes (
    OmniFusionJudge *j, const OmniFusionWindow *w, OmniFusionVerdict *v)
{
  if (!w->other_buffers)
    return;
  add_score (v, "other-classes", w->other_class_risk, w->other_class_label,
      GST_CLOCK_TIME_NONE, GST_CLOCK_TIME_NONE, NULL);
}

/* The strongest category rule hit of the sources @a or @b. */
static void
score_hits (const OmniFusionJudge *j, OmniFusionVerdict *v, const gchar *scorer,
    OmniFusionRuleSource a, OmniFusionRuleSource b)
{
  const OmniFusionHit *best = NULL;
  const OmniFusionRules *rules = j->policy->rules;
  guint i, k;

  for (i = 0; i < v->hits->len; i++) {
    const OmniFusionHit *h = &g_array_index (v->hits, OmniFusionHit, i);

    for (k = 0; k < rules->rules->len; k++) {
      const OmniFusionRule *r = g_ptr_array_index (rules->rules, k);

      if (h->rule == g_intern_string (r->name)
          && (r->source == a || r->source == b)
          && (!best || h->risk > best->risk))
        best = h;
    }
  }
  if (best) {
    OmniFusionScore s = { scorer, best->risk, best->category, best->category,
      best->rule, best->start, best->end, g_strdup (best->what) };

    g_array_append_val (v->scores, s);
  }
}

static void
score_objects (
    OmniFusionJudge *j, const OmniFusionWindow *w, OmniFusionVerdict *v)
{
  score_hits (
      j, v, "objects", OMNI_FUSION_RULE_OBJECTS, OMNI_FUSION_RULE_OBJECTS);
}

static void
score_faces (
    OmniFusionJudge *j, const OmniFusionWindow *w, OmniFusionVerdict *v)
{
  score_hits (j, v, "faces", OMNI_FUSION_RULE_FACES, OMNI_FUSION_RULE_FACES);
}

static void
score_keywords (
    OmniFusionJudge *j, const OmniFusionWindow *w, OmniFusionVerdict *v)
{
  score_hits (
      j, v, "keywords", OMNI_FUSION_RULE_SPEECH, OMNI_FUSION_RULE_SPEECH);
}

static void
score_screen_text (
    OmniFusionJudge *j, const OmniFusionWindow *w, OmniFusionVerdict *v)
{
  score_hits (j, v, "screen-text", OMNI_FUSION_RULE_SCREEN_TEXT,
      OMNI_FUSION_RULE_SCREEN_TEXT);
}

static const OmniFusionScorer rule_scorers[] = {
  { "objects", score_objects },
  { "faces", score_faces },
  { "keywords", score_keywords },
  { "screen-text", score_screen_text },
};

static const OmniFusionScorer scorers[] = {
  { "visual-classes", score_visual_classes },
  { "other-classes", score_other_classes },
  { "speech-words", score_speech_words },
  { "speech-activity", score_speech_activity },
  { "audio-level", score_audio_level },
  { "audio-rhythm", score_audio_rhythm },
  { "audio-classes", score_audio_classes },
};

const OmniFusionScorer *
omni_fusion_judge_scorers (guint *n_scorers)
{
  *n_scorers = G_N_ELEMENTS (scorers);
  return scorers;
}

const OmniFusionScorer *
omni_fusion_judge_rule_scorers (guint *n_scorers)
{
  *n_scorers = G_N_ELEMENTS (rule_scorers);
  return rule_scorers;
}

/* ---- per-source risks ---------------------------------------------- */

static gdouble
score_risk (
    const OmniFusionVerdict *v, const gchar *scorer, const gchar **label)
{
  const OmniFusionScore *s = omni_fusion_verdict_get_score (v, scorer);

  if (label)
    *label = s ? s->label : NULL;
  return s ? s->risk : 0.0;
}

/* audio: the highest of loud events, impact bursts and audio classes */
static void
source_risks (OmniFusionVerdict *v)
{
  const gchar *l;
  gdouble r;

  v->audio_risk = score_risk (v, "audio-level", &v->audio_label);
  r = score_risk (v, "audio-rhythm", &l);
  if (r > v->audio_risk) {
    v->audio_risk = r;
    v->audio_label = l;
  }
  r = score_risk (v, "audio-classes", &l);
  if (r > v->audio_risk) {
    v->audio_risk = r;
    v->audio_label = l;
  }
  v->text_risk = score_risk (v, "speech-words", &v->text_label);
  v->other_risk = score_risk (v, "other-classes", &v->other_label);
  v->visual_risk = score_risk (v, "visual-classes", &v->visual_label);
}

/* ---- observations and verdict -------------------------------------- */

/* Segment changes during one window: the window is flagged when a
 * segment's [start, end) meets it. */
typedef struct {
  GstClockTime window_start;
  gboolean flagged;
  guint flag_id;
  const gchar *flag_label;
  OmniFusionSegmentFunc func;
  gpointer user_data;
} SegmentCtx;

static void
on_segment (gboolean opened, OmniFusionSegment *seg, gpointer user_data)
{
  SegmentCtx *ctx = user_data;

  if (opened || !GST_CLOCK_TIME_IS_VALID (seg->end)
      || seg->end > ctx->window_start) {
    ctx->flagged = TRUE;
    ctx->flag_id = seg->id;
    ctx->flag_label = g_intern_string (seg->label);
  }
  if (ctx->func)
    ctx->func (opened, seg, ctx->user_data);
  else if (!opened)
    omni_fusion_segment_free (seg);
}

/* Every scored frame is one observation, raised to the window's strongest
 * other source; a window without one but with other evidence is one
 * observation at its start. */
static void
push_observations (OmniFusionJudge *j, const OmniFusionWindow *w,
    const OmniFusionJudgeInput *in, OmniFusionVerdict *v, SegmentCtx *ctx)
{
  gdouble side = 0, peak = 0;
  const gchar *side_label = NULL, *side_source = NULL, *label = NULL;
  OmniFusionObservation obs;
  guint i;

  if (v->audio_risk > side) {
    side = v->audio_risk;
    side_label = v->audio_label;
    side_source = "audio";
  }
  if (v->text_risk > side) {
    side = v->text_risk;
    side_label = v->text_label;
    side_source = "text";
  }
  if (v->other_risk > side) {
    side = v->other_risk;
    side_label = v->other_label;
    side_source = "video";
  }
  {
    static const gchar *const names[]
        = { "objects", "faces", "keywords", "screen-text" };
    static const gchar *const rule_sources[]
        = { "video", "video", "text", "video" };
    guint k;

    for (k = 0; k < G_N_ELEMENTS (names); k++) {
      const OmniFusionScore *sc = omni_fusion_verdict_get_score (v, names[k]);

      if (sc && sc->risk > side) {
        side = sc->risk;
        side_label = sc->label;
        side_source = rule_sources[k];
      }
    }
  }

  for (i = 0; i < w->frames->len; i++) {
    obs = g_array_index (w->frames, OmniFusionObservation, i);
    if (side > obs.risk) {
      obs.risk = side;
      obs.label = side_label;
      obs.source = side_source;
    }
    if (obs.risk > peak || (!label && obs.label)) {
      peak = MAX (peak, obs.risk);
      label = obs.label;
    }
    omni_fusion_hysteresis_push (j->hyst, &obs, on_segment, ctx);
    v->observations++;
  }
  if (w->frames->len == 0
      && (w->rhythm_buffers || w->onsets || (w->present & OMNI_MODALITY_TEXT)
          || w->other_buffers)) {
    obs.time = w->start;
    obs.stream_time = in->stream_start;
    obs.risk = side;
    obs.label = side_label;
    obs.source = side_source                          ? side_source
                 : (w->present & OMNI_MODALITY_AUDIO) ? "audio"
                                                      : "text";
    peak = side;
    label = side_label;
    omni_fusion_hysteresis_push (j->hyst, &obs, on_segment, ctx);
    v->observations++;
  }
  v->risk = peak;
  v->label = label;
}

static void
decide (OmniFusionJudge *j, const OmniFusionWindow *w, OmniFusionVerdict *v,
    const SegmentCtx *ctx)
{
  const OmniFusionSegment *open = omni_fusion_hysteresis_get_segment (j->hyst);

  if (open) {
    v->state = OMNI_VERDICT_FLAGGED;
    v->label = g_intern_string (open->label);
    v->segment_id = open->id;
  } else if (ctx->flagged) {
    v->state = OMNI_VERDICT_FLAGGED;
    v->label = ctx->flag_label;
    v->segment_id = ctx->flag_id;
  } else if (w->vclasses.nonfinite || w->aclasses.nonfinite) {
    /* fail closed: a broken model's window is never "ok" */
    v->state = OMNI_VERDICT_ERROR;
    v->label = "non-finite-model-output";
    v->risk = NAN;
  } else if (v->observations && v->risk >= j->policy->exit_threshold) {
    v->state = OMNI_VERDICT_REVIEW;
  } else {
    v->state = OMNI_VERDICT_OK;
    v->label = NULL;
  }
}

/* The loudness baseline moves after the window was judged; silence leaves
 * it alone, so speech after a pause is not a rise out of it. */
static void
update_baseline (
    OmniFusionJudge *j, const OmniFusionWindow *w, GstClockTime hop)
{
  gdouble rms, tau, alpha;

  if (!j->have_baseline || !w->rhythm_buffers)
    return;
  rms = omni_fusion_window_rms_db (w);
  if (!isfinite (rms) || rms < j->policy->silence_db)
    return;
  tau = rms > j->baseline_db ? j->policy->baseline_rise_seconds
                             : j->policy->baseline_seconds;
  alpha = 1.0 - exp (-(gdouble) hop / GST_SECOND / tau);
  j->baseline_db += alpha * (rms - j->baseline_db);
}

/**
 * omni_fusion_judge_window:
 * @verdict: initialised with omni_fusion_verdict_init(); filled
 * @func: (nullable): called for each segment that opens or closes, as
 *   omni_fusion_hysteresis_push() does
 *
 * Judges one window, in window order.
 */
void
omni_fusion_judge_window (OmniFusionJudge *j, const OmniFusionWindow *w,
    const OmniFusionJudgeInput *in, OmniFusionVerdict *v,
    OmniFusionSegmentFunc func, gpointer user_data)
{
  SegmentCtx ctx = { w->start, FALSE, 0, NULL, func, user_data };
  guint i;

  /* the scorers of results, then those of the category rules (which
   * see the audio cues the first ones found) */
  for (i = 0; i < G_N_ELEMENTS (scorers); i++)
    scorers[i].score (j, w, v);
  source_risks (v);
  g_array_unref (v->hits);
  v->hits = omni_fusion_rules_match (
      j->policy->rules, w, v->audio_label, v->audio_risk);
  for (i = 0; i < G_N_ELEMENTS (rule_scorers); i++)
    rule_scorers[i].score (j, w, v);
  push_observations (j, w, in, v, &ctx);
  if (in->final)
    omni_fusion_hysteresis_close (
        j->hyst, w->end, in->stream_end, "eos", on_segment, &ctx);
  omni_fusion_segmenter_push (
      j->segmenter, v->hits, w->end, j->category_func, j->category_data);
  if (in->final)
    omni_fusion_segmenter_close (
        j->segmenter, j->category_func, j->category_data);
  decide (j, w, v, &ctx);
  update_baseline (j, w, in->hop);
}

/* ---- evidence ------------------------------------------------------ */

/* the strongest category rule that fired, with the exact span */
static void
rule_evidence (GstStructure *e, const OmniFusionVerdict *v)
{
  const OmniFusionHit *best = NULL;
  guint i;

  for (i = 0; i < v->hits->len; i++) {
    const OmniFusionHit *h = &g_array_index (v->hits, OmniFusionHit, i);

    if (!best || h->risk > best->risk)
      best = h;
  }
  if (!best)
    return;
  gst_structure_set (e, "category", G_TYPE_STRING, best->category, "rule",
      G_TYPE_STRING, best->rule, "rule-match", G_TYPE_STRING, best->what,
      "rule-risk", G_TYPE_DOUBLE, best->risk, "rule-start", G_TYPE_INT64,
      (gint64) best->start, "rule-end", G_TYPE_INT64, (gint64) best->end,
      "rule-hits", G_TYPE_UINT, v->hits->len, NULL);
}

static void
verdict_evidence (
    GstStructure *e, const OmniFusionWindow *w, const OmniFusionVerdict *v)
{
  if (w->classified_frames)
    gst_structure_set (e, "visual-risk", G_TYPE_DOUBLE, v->visual_risk, NULL);
  if (v->visual_label)
    gst_structure_set (e, "visual-label", G_TYPE_STRING, v->visual_label, NULL);
  if (w->rhythm_buffers || w->onsets || w->aclasses.n)
    gst_structure_set (e, "audio-risk", G_TYPE_DOUBLE, v->audio_risk, NULL);
  if (v->audio_label)
    gst_structure_set (e, "audio-label", G_TYPE_STRING, v->audio_label, NULL);
  if (w->present & OMNI_MODALITY_TEXT)
    gst_structure_set (e, "text-risk", G_TYPE_DOUBLE, v->text_risk,
        "matched-words", G_TYPE_STRING, v->matched->str, NULL);
  if (v->text_label)
    gst_structure_set (e, "text-label", G_TYPE_STRING, v->text_label, NULL);
  if (w->other_buffers)
    gst_structure_set (e, "other-risk", G_TYPE_DOUBLE, v->other_risk, NULL);
  if (v->other_label)
    gst_structure_set (e, "other-label", G_TYPE_STRING, v->other_label, NULL);
  gst_structure_set (e, "observations", G_TYPE_UINT, v->observations, NULL);
  rule_evidence (e, v);
  if (v->state == OMNI_VERDICT_ERROR) {
    gchar *cause = g_strdup_printf ("a model gave NaN or infinite scores for "
                                    "%u video and %u audio analyses",
        w->vclasses.nonfinite, w->aclasses.nonfinite);

    gst_structure_set (e, "error", G_TYPE_STRING, cause, NULL);
    g_free (cause);
  }
}

/* speech activity from omnivad's frames */
static void
speech_evidence (GstStructure *e, const OmniFusionWindow *w)
{
  if (!w->vad_frames)
    return;
  gst_structure_set (e, "vad-frames", G_TYPE_UINT, w->vad_frames,
      "speech-fraction", G_TYPE_DOUBLE,
      (gdouble) w->vad_speech_frames / w->vad_frames, "speech-probability",
      G_TYPE_DOUBLE, w->vad_prob_sum / w->vad_frames, "speech-probability-max",
      G_TYPE_DOUBLE, w->vad_prob_max, NULL);
  if (GST_CLOCK_TIME_IS_VALID (w->first_speech))
    gst_structure_set (
        e, "first-speech", G_TYPE_INT64, (gint64) w->first_speech, NULL);
}

/* what the window shows: objects, people, faces, on-screen text */
static void
content_evidence (GstStructure *e, const OmniFusionWindow *w)
{
  guint people, faces = 0, i;
  gchar *objects = omni_fusion_sentence_object_counts (w, &people);

  /* only where a detector reported boxes: without one, people are not
   * known to be absent */
  if (w->inferred_frames && w->boxes->len)
    gst_structure_set (e, "inferred-frames", G_TYPE_UINT, w->inferred_frames,
        "people", G_TYPE_UINT, people, NULL);
  if (objects)
    gst_structure_set (e, "objects", G_TYPE_STRING, objects, NULL);
  g_free (objects);
  for (i = 0; i < w->boxes->len; i++)
    faces += g_str_equal (
        g_array_index (w->boxes, OmniFusionBox, i).label, "face");
  if (faces)
    gst_structure_set (e, "face-boxes", G_TYPE_UINT, faces, NULL);
  if (w->screen_text->len) {
    GString *lines = g_string_new (NULL);

    for (i = 0; i < w->screen_text->len; i++)
      g_string_append_printf (lines, "%s%s", i ? " / " : "",
          g_array_index (w->screen_text, OmniFusionText, i).text);
    gst_structure_set (e, "screen-text", G_TYPE_STRING, lines->str, NULL);
    g_string_free (lines, TRUE);
  }
}

/**
 * omni_fusion_judge_evidence:
 *
 * Returns: (transfer full): the flat evidence structure of a judged window
 * (fields in docs/events-schema.md)
 */
GstStructure *
omni_fusion_judge_evidence (const OmniFusionWindow *w,
    const OmniFusionPolicy *policy, const OmniFusionVerdict *v)
{
  GstStructure *e = omni_fusion_window_to_evidence (w);
  const gchar *kind = omni_fusion_caption_audio_kind (w, policy);
  gdouble speech = omni_fusion_caption_speech_score (w);

  if (kind)
    gst_structure_set (e, "audio-kind", G_TYPE_STRING, kind, NULL);
  if (w->rhythm_buffers || w->onsets)
    gst_structure_set (e, "onset-rate", G_TYPE_DOUBLE,
        omni_fusion_window_onset_rate (w), NULL);
  if (w->rhythm_buffers || w->impulses)
    gst_structure_set (e, "impulse-rate", G_TYPE_DOUBLE,
        omni_fusion_window_impulse_rate (w), "impact-risk", G_TYPE_DOUBLE,
        v->impact_risk, NULL);
  if (isfinite (v->baseline_db))
    gst_structure_set (e, "loudness-baseline-db", G_TYPE_DOUBLE, v->baseline_db,
        "loudness-excess-db", G_TYPE_DOUBLE, w->short_term_db - v->baseline_db,
        "peak-excess-db", G_TYPE_DOUBLE, w->peak_db - v->baseline_db, NULL);
  if (isfinite (speech))
    gst_structure_set (e, "speech-score", G_TYPE_DOUBLE, speech, NULL);
  speech_evidence (e, w);
  verdict_evidence (e, w, v);
  content_evidence (e, w);
  return e;
}
