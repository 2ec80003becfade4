/* gst-omni: omnifusion's window evidence accumulator
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A window accumulates, in bounded memory, what the metas of its buffers
 * say: class score sums per model, audio levels and rhythm, transcript
 * text. Nothing here keeps a buffer alive.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <gst/video/video.h>

#include "omnifusionwindow.h"

/* Only the strongest classes go into the evidence (a 521-class audio model
 * would otherwise flood it). */
#define EVIDENCE_TOP_CLASSES 5
/* Bound on transcript text kept per window. */
#define MAX_TEXT_BYTES 4096

static void
class_acc_init (OmniFusionClassAcc *acc)
{
  acc->model_id = NULL;
  acc->stats = g_array_new (FALSE, TRUE, sizeof (OmniFusionClassStat));
  acc->n = 0;
}

static void
class_acc_clear (OmniFusionClassAcc *acc)
{
  g_free (acc->model_id);
  g_array_unref (acc->stats);
}

static void
class_acc_add (OmniFusionClassAcc *acc, const OmniClassMeta *m)
{
  guint i;

  for (i = 0; i < m->n_classes; i++) {
    if (!isfinite (m->scores[i])) {
      acc->nonfinite++;
      break;
    }
  }
  if (!acc->model_id) {
    acc->model_id = g_strdup (m->model_id);
    g_array_set_size (acc->stats, m->n_classes);
    for (i = 0; i < m->n_classes; i++) {
      OmniFusionClassStat *s
          = &g_array_index (acc->stats, OmniFusionClassStat, i);

      s->label = g_intern_string (m->labels[i] ? m->labels[i] : "");
      s->sum = 0;
      s->max = 0;
    }
  } else if (g_strcmp0 (acc->model_id, m->model_id) != 0
             || m->n_classes != acc->stats->len) {
    return;
  }
  for (i = 0; i < m->n_classes; i++) {
    OmniFusionClassStat *s
        = &g_array_index (acc->stats, OmniFusionClassStat, i);
    gdouble v = isfinite (m->scores[i]) ? m->scores[i] : 0.0;

    s->sum += v;
    s->max = MAX (s->max, v);
  }
  acc->n++;
}

static void
text_clear (OmniFusionText *t)
{
  g_free (t->text);
}

OmniFusionWindow *
omni_fusion_window_new (guint64 index, GstClockTime start, GstClockTime end)
{
  OmniFusionWindow *w = g_new0 (OmniFusionWindow, 1);

  w->index = index;
  w->start = start;
  w->end = end;
  w->first_frame = w->first_scene_cut = GST_CLOCK_TIME_NONE;
  w->first_audio = w->first_onset = w->first_beat = GST_CLOCK_TIME_NONE;
  w->first_text = w->first_speech = GST_CLOCK_TIME_NONE;
  w->peak_db = OMNI_RHYTHM_DB_FLOOR;
  w->short_term_db = OMNI_RHYTHM_DB_FLOOR;
  class_acc_init (&w->vclasses);
  class_acc_init (&w->aclasses);
  w->frames = g_array_new (FALSE, FALSE, sizeof (OmniFusionObservation));
  w->powers = g_array_new (FALSE, FALSE, sizeof (gdouble));
  w->text = g_string_new (NULL);
  w->boxes = g_array_new (FALSE, TRUE, sizeof (OmniFusionBox));
  w->screen_text = g_array_new (FALSE, TRUE, sizeof (OmniFusionText));
  g_array_set_clear_func (w->screen_text, (GDestroyNotify) text_clear);
  w->words = g_array_new (FALSE, TRUE, sizeof (OmniFusionText));
  g_array_set_clear_func (w->words, (GDestroyNotify) text_clear);
  return w;
}

void
omni_fusion_window_free (OmniFusionWindow *w)
{
  if (!w)
    return;
  class_acc_clear (&w->vclasses);
  class_acc_clear (&w->aclasses);
  g_array_unref (w->frames);
  g_array_unref (w->powers);
  g_string_free (w->text, TRUE);
  g_array_unref (w->boxes);
  g_array_unref (w->screen_text);
  g_array_unref (w->words);
  g_free (w);
}

static void
min_time (GstClockTime *t, GstClockTime v)
{
  if (!GST_CLOCK_TIME_IS_VALID (*t) || v < *t)
    *t = v;
}

/* Scores every class meta on @buf; returns the highest risk. */
static gdouble
score_class_metas (GstBuffer *buf, const OmniFusionPolicy *policy,
    OmniFusionClassAcc *acc, const gchar **label, guint *n_metas)
{
  gpointer state = NULL;
  GstMeta *meta;
  gdouble best = 0;

  *label = NULL;
  *n_metas = 0;
  while ((meta = gst_buffer_iterate_meta_filtered (
              buf, &state, OMNI_CLASS_META_API_TYPE))) {
    const OmniClassMeta *m = (const OmniClassMeta *) meta;
    const gchar *l;
    gdouble r = omni_fusion_policy_score_classes (
        policy, m->model_id, m->n_classes, m->labels, m->scores, &l);

    if (acc)
      class_acc_add (acc, m);
    if (r > best || (*n_metas == 0 && l)) {
      best = MAX (best, r);
      *label = l;
    }
    (*n_metas)++;
  }
  return best;
}

static guint
count_tensors (GstBuffer *buf)
{
  gpointer state = NULL;
  guint n = 0;

  while (
      gst_buffer_iterate_meta_filtered (buf, &state, OMNI_TENSOR_META_API_TYPE))
    n++;
  return n;
}

/* Bounds on what a window keeps of the per-box results. */
#define MAX_BOXES 4096
#define MAX_SCREEN_LINES 64

static const gchar *const emotion_labels[] = { "angry", "disgust", "fear",
  "happy", "sad", "surprise", "neutral", NULL };

static gboolean
is_emotion_label (const gchar *label)
{
  return label && g_strv_contains (emotion_labels, label);
}

/* A face's expression and gender from its `classification` parameters
 * (one structure per model; conventions: iterate meta->params). */
static void
read_classifications (GstVideoRegionOfInterestMeta *roi, OmniFusionBox *b)
{
  GList *l;

  for (l = roi->params; l; l = l->next) {
    const GstStructure *s = l->data;
    const gchar *label, *gender;
    gdouble conf = 0;

    if (!gst_structure_has_name (s, "classification"))
      continue;
    label = gst_structure_get_string (s, "label");
    gst_structure_get_double (s, "confidence", &conf);
    if (is_emotion_label (label)) {
      b->emotion = g_intern_string (label);
      b->emotion_confidence = conf;
    }
    gender = gst_structure_get_string (s, "gender");
    if (gender) {
      conf = 0;
      gst_structure_get_double (s, "gender-confidence", &conf);
      b->gender = g_intern_string (gender);
      b->gender_confidence = conf;
    }
  }
}

static void
add_screen_line (
    OmniFusionWindow *w, GstVideoRegionOfInterestMeta *roi, GstClockTime rt)
{
  const GstStructure *p
      = gst_video_region_of_interest_meta_get_param (roi, "omniocr");
  const gchar *text = p ? gst_structure_get_string (p, "text") : NULL;
  OmniFusionText t = { rt, rt, NULL, 1.0 };
  guint i;

  if (!text || !*text)
    return;
  for (i = 0; i < w->screen_text->len; i++) {
    OmniFusionText *o = &g_array_index (w->screen_text, OmniFusionText, i);

    if (g_str_equal (o->text, text)) {
      o->end = MAX (o->end, rt);
      return;
    }
  }
  if (w->screen_text->len >= MAX_SCREEN_LINES)
    return;
  gst_structure_get_double (p, "confidence", &t.confidence);
  t.text = g_utf8_make_valid (text, -1);
  g_array_append_val (w->screen_text, t);
}

static gdouble
box_area (GstVideoRegionOfInterestMeta *roi, const GstStructure *det,
    const GstVideoInfo *info)
{
  gdouble wn, hn;

  if (det && gst_structure_get_double (det, "w-norm", &wn)
      && gst_structure_get_double (det, "h-norm", &hn))
    return CLAMP (wn, 0, 1) * CLAMP (hn, 0, 1);
  if (info && GST_VIDEO_INFO_WIDTH (info) > 0
      && GST_VIDEO_INFO_HEIGHT (info) > 0)
    return MIN (1.0, (gdouble) roi->w * roi->h
                         / (GST_VIDEO_INFO_WIDTH (info)
                             * (gdouble) GST_VIDEO_INFO_HEIGHT (info)));
  return 0;
}

/* The boxes, faces and text lines of @buf. Returns whether the frame had
 * any detection box. */
static gboolean
collect_rois (OmniFusionWindow *w, GstBuffer *buf, GstClockTime rt, gint obs,
    const GstVideoInfo *info)
{
  gpointer state = NULL;
  GstMeta *meta;
  gboolean any = FALSE;

  while ((meta = gst_buffer_iterate_meta_filtered (
              buf, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstVideoRegionOfInterestMeta *roi = (GstVideoRegionOfInterestMeta *) meta;
    const GstStructure *det
        = gst_video_region_of_interest_meta_get_param (roi, "detection");
    const gchar *type = g_quark_to_string (roi->roi_type);
    OmniFusionBox b = { 0 };

    if (g_strcmp0 (type, "text") == 0) {
      add_screen_line (w, roi, rt);
      continue;
    }
    if (!det && g_strcmp0 (type, "face") != 0)
      continue;
    any = TRUE;
    if (w->boxes->len >= MAX_BOXES)
      continue;
    b.time = rt;
    b.frame = w->inferred_frames;
    b.obs = obs;
    b.label = g_intern_string (type ? type : "");
    b.confidence = 1.0;
    if (det) {
      gst_structure_get_double (det, "confidence", &b.confidence);
      gst_structure_get_uint (det, "track-id", &b.track_id);
    }
    b.area = box_area (roi, det, info);
    read_classifications (roi, &b);
    g_array_append_val (w->boxes, b);
  }
  return any;
}

/* ---- collectors: one per kind of result ---------------------------- */

/* What the collectors of one input tell each other. */
typedef struct {
  gdouble class_risk;
  const gchar *class_label;
  guint n_classes;     /* class metas on the buffer */
  gboolean detections; /* detection boxes or faces on it */
  gboolean sampled;    /* an OmniSampleMeta on it */
} Scratch;

typedef void (*CollectFunc) (OmniFusionWindow *w,
    const OmniFusionPolicy *policy, const OmniFusionInput *in, Scratch *x);

typedef struct {
  const gchar *name;
  OmniModality modalities; /* the pads it reads; 0 in the mask: others */
  gboolean others;         /* also pads that are neither */
  CollectFunc collect;
} Collector;

#define ALL_MODALITIES                                                         \
  (OMNI_MODALITY_VIDEO | OMNI_MODALITY_AUDIO | OMNI_MODALITY_TEXT)

static void
collect_arrival (OmniFusionWindow *w, const OmniFusionPolicy *policy,
    const OmniFusionInput *in, Scratch *x)
{
  switch (in->modality) {
  case OMNI_MODALITY_VIDEO:
    w->present |= OMNI_MODALITY_VIDEO;
    w->video_frames++;
    min_time (&w->first_frame, in->rt);
    break;
  case OMNI_MODALITY_AUDIO:
    w->present |= OMNI_MODALITY_AUDIO;
    w->audio_buffers++;
    min_time (&w->first_audio, in->rt);
    if (GST_CLOCK_TIME_IS_VALID (in->rt_end) && in->rt_end >= in->rt)
      w->audio_duration += in->rt_end - in->rt;
    break;
  case OMNI_MODALITY_TEXT:
    w->present |= OMNI_MODALITY_TEXT;
    w->text_buffers++;
    min_time (&w->first_text, in->rt);
    break;
  default:
    w->other_buffers++;
    break;
  }
}

static void
collect_samples (OmniFusionWindow *w, const OmniFusionPolicy *policy,
    const OmniFusionInput *in, Scratch *x)
{
  OmniSampleMeta *sm = omni_buffer_get_sample_meta (in->buf);

  if (!sm)
    return;
  x->sampled = TRUE;
  w->sampled_frames++;
  if (sm->reasons & OMNI_SAMPLE_REASON_SCENE) {
    w->scene_cuts++;
    min_time (&w->first_scene_cut, in->rt);
  }
}

static void
collect_tensors (OmniFusionWindow *w, const OmniFusionPolicy *policy,
    const OmniFusionInput *in, Scratch *x)
{
  w->tensors += count_tensors (in->buf);
}

/* class metas: visual classes on video, audio classes on audio, any
 * other pad's only for its risk */
static void
collect_classes (OmniFusionWindow *w, const OmniFusionPolicy *policy,
    const OmniFusionInput *in, Scratch *x)
{
  OmniFusionClassAcc *acc = in->modality == OMNI_MODALITY_VIDEO   ? &w->vclasses
                            : in->modality == OMNI_MODALITY_AUDIO ? &w->aclasses
                                                                  : NULL;

  x->class_risk = score_class_metas (
      in->buf, policy, acc, &x->class_label, &x->n_classes);
  if (!x->n_classes)
    return;
  if (in->modality == OMNI_MODALITY_VIDEO) {
    w->classified_frames++;
  } else if (in->modality == OMNI_MODALITY_AUDIO) {
    if (x->class_risk >= w->audio_class_risk) {
      w->audio_class_risk = x->class_risk;
      w->audio_class_label = x->class_label;
    }
  } else if (x->class_risk >= w->other_class_risk) {
    w->other_class_risk = x->class_risk;
    w->other_class_label = x->class_label;
  }
}

/* boxes, faces and on-screen text lines, from any pad with buffers */
static void
collect_regions (OmniFusionWindow *w, const OmniFusionPolicy *policy,
    const OmniFusionInput *in, Scratch *x)
{
  x->detections = collect_rois (w, in->buf, in->rt,
      in->first_slice ? (gint) w->frames->len : -1, in->vinfo);
  if (x->detections || x->sampled)
    w->inferred_frames++;
}

static void
collect_rhythm (OmniFusionWindow *w, const OmniFusionPolicy *policy,
    const OmniFusionInput *in, Scratch *x)
{
  OmniRhythmMeta *rm = omni_buffer_get_rhythm_meta (in->buf);
  gdouble db, power, weight;

  if (!rm)
    return;
  db = isfinite (rm->rms_db) ? MAX (rm->rms_db, OMNI_RHYTHM_DB_FLOOR)
                             : OMNI_RHYTHM_DB_FLOOR;
  power = pow (10.0, db / 10.0);
  weight = GST_CLOCK_TIME_IS_VALID (in->rt_end) && in->rt_end > in->rt
               ? (gdouble) (in->rt_end - in->rt) / GST_SECOND
               : 1.0;
  w->rhythm_buffers++;
  w->power_sum += power * weight;
  w->power_weight += weight;
  g_array_append_val (w->powers, power);
  if (isfinite (rm->peak_db))
    w->peak_db = MAX (w->peak_db, rm->peak_db);
  /* the 50 ms short-term level; metas from before it existed (no cues,
   * level at the floor) have only the buffer's own level (which depends
   * on the buffer size: a 10 ms buffer reads several dB above 50 ms) */
  if (rm->context_s > 0 || rm->short_term_db > OMNI_RHYTHM_DB_FLOOR) {
    if (isfinite (rm->short_term_db))
      w->short_term_db = MAX (w->short_term_db, rm->short_term_db);
  } else {
    w->short_term_db = MAX (w->short_term_db, db);
  }
  w->impulses += rm->impulses;
  /* speech/music cues that summarise at least half a second */
  if (rm->context_s >= 0.5 && isfinite (rm->flux_variance)
      && isfinite (rm->level_std_db) && isfinite (rm->persistence)) {
    w->cue_flux_var += weight * rm->flux_variance;
    w->cue_level_std += weight * rm->level_std_db;
    w->cue_persistence += weight * rm->persistence;
    w->cue_weight += weight;
  }
  if (isfinite (rm->tempo) && rm->tempo > 0
      && isfinite (rm->tempo_confidence)) {
    w->tempo_weighted_sum += rm->tempo * rm->tempo_confidence;
    w->tempo_conf_sum += rm->tempo_confidence;
    w->tempo_n++;
  }
  if (isfinite (rm->centroid))
    w->centroid_sum += rm->centroid;
}

/* speech activity: omnivad's "speech-probability" tensor, rows of
 * (probability, in a speech segment) per 32 ms frame, on the buffer in
 * which each frame completes (so each frame counts once per window that
 * holds its buffer, none is lost at window edges) */
static void
collect_speech (OmniFusionWindow *w, const OmniFusionPolicy *policy,
    const OmniFusionInput *in, Scratch *x)
{
  OmniTensorMeta *m
      = omni_buffer_get_tensor_meta (in->buf, "speech-probability");
  const gfloat *p;
  gsize n, i;

  if (!m || m->dtype != OMNI_TENSOR_DTYPE_F32 || m->n_dims != 2
      || m->dims[1] != 2 || !(p = omni_tensor_meta_get_f32 (m, &n)))
    return;
  n /= 2;
  for (i = 0; i < n; i++) {
    if (!isfinite (p[2 * i]))
      continue;
    w->vad_frames++;
    w->vad_prob_sum += p[2 * i];
    w->vad_prob_max = MAX (w->vad_prob_max, p[2 * i]);
    if (p[2 * i + 1] > 0.5f) {
      w->vad_speech_frames++;
      if (GST_CLOCK_TIME_IS_VALID (m->start)
          && GST_CLOCK_TIME_IS_VALID (m->end))
        min_time (&w->first_speech, m->start + (m->end - m->start) / n * i);
      else
        min_time (&w->first_speech, in->rt);
    }
  }
}

/* words (speech transcripts, subtitles), each with its span */
static void
collect_words (OmniFusionWindow *w, const OmniFusionPolicy *policy,
    const OmniFusionInput *in, Scratch *x)
{
  gchar *clean;

  if (!in->text)
    return;
  clean = g_utf8_make_valid (in->text, -1);
  g_strstrip (g_strdelimit (clean, "\r\n\t", ' '));
  if (*clean && w->words->len < MAX_TEXT_BYTES / 2) {
    OmniFusionText t
        = { in->rt, GST_CLOCK_TIME_IS_VALID (in->rt_end) ? in->rt_end : in->rt,
            g_strdup (clean), 1.0 };

    g_array_append_val (w->words, t);
  }
  if (*clean && w->text->len < MAX_TEXT_BYTES) {
    if (w->text->len)
      g_string_append_c (w->text, ' ');
    g_string_append (w->text, clean);
    if (w->text->len > MAX_TEXT_BYTES) {
      const gchar *end = w->text->str + MAX_TEXT_BYTES;

      /* cut on a character boundary */
      end = g_utf8_find_prev_char (w->text->str, end + 1);
      g_string_truncate (w->text, end - w->text->str);
    }
  }
  g_free (clean);
}

/* A classified frame, or one with detections, is an observation of its
 * own, in the first window whose hop slice holds it (so that each frame
 * feeds the hysteresis once). */
static void
collect_observation (OmniFusionWindow *w, const OmniFusionPolicy *policy,
    const OmniFusionInput *in, Scratch *x)
{
  OmniFusionObservation o
      = { in->rt, in->stream_time, x->class_risk, x->class_label, "video" };

  if (!in->first_slice)
    return;
  if ((in->modality == OMNI_MODALITY_VIDEO && x->n_classes) || x->detections)
    g_array_append_val (w->frames, o);
}

/* In this order: later collectors read what earlier ones found. */
static const Collector collectors[] = {
  { "arrival", ALL_MODALITIES, TRUE, collect_arrival },
  { "samples", OMNI_MODALITY_VIDEO, FALSE, collect_samples },
  { "tensors", ALL_MODALITIES, TRUE, collect_tensors },
  { "classes", OMNI_MODALITY_VIDEO | OMNI_MODALITY_AUDIO, TRUE,
      collect_classes },
  { "regions", OMNI_MODALITY_VIDEO, TRUE, collect_regions },
  { "rhythm", OMNI_MODALITY_AUDIO, FALSE, collect_rhythm },
  { "speech", OMNI_MODALITY_AUDIO, FALSE, collect_speech },
  { "words", OMNI_MODALITY_TEXT, FALSE, collect_words },
  { "observation", OMNI_MODALITY_VIDEO, TRUE, collect_observation },
};

/**
 * omni_fusion_window_add:
 *
 * Feeds one input (a buffer of a pad, or a piece of text) to every
 * collector that reads its kind of pad: arrival counts, sample metas,
 * tensors, class metas, regions (boxes, faces, on-screen text), rhythm,
 * speech activity, words, observations.
 */
void
omni_fusion_window_add (OmniFusionWindow *w, const OmniFusionPolicy *policy,
    const OmniFusionInput *in)
{
  Scratch x = { 0 };
  gboolean other = !(in->modality & ALL_MODALITIES);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (collectors); i++) {
    const Collector *c = &collectors[i];

    if (other ? !c->others : !(c->modalities & in->modality))
      continue;
    if (!in->buf && c->collect != collect_arrival
        && c->collect != collect_words)
      continue;
    c->collect (w, policy, in, &x);
  }
}

/* ---- the same, by kind of pad -------------------------------------- */

void
omni_fusion_window_add_video (OmniFusionWindow *w,
    const OmniFusionPolicy *policy, GstBuffer *buf, const GstVideoInfo *info,
    GstClockTime rt, GstClockTime stream_time, gboolean add_observation)
{
  OmniFusionInput in = { OMNI_MODALITY_VIDEO, buf, NULL, info, rt,
    GST_CLOCK_TIME_NONE, stream_time, add_observation };

  omni_fusion_window_add (w, policy, &in);
}

void
omni_fusion_window_add_audio (OmniFusionWindow *w,
    const OmniFusionPolicy *policy, GstBuffer *buf, GstClockTime rt,
    GstClockTime duration)
{
  OmniFusionInput in = { OMNI_MODALITY_AUDIO, buf, NULL, NULL, rt,
    GST_CLOCK_TIME_IS_VALID (duration) ? rt + duration : GST_CLOCK_TIME_NONE,
    GST_CLOCK_TIME_NONE, TRUE };

  omni_fusion_window_add (w, policy, &in);
}

void
omni_fusion_window_add_text (OmniFusionWindow *w, const gchar *text,
    GstClockTime rt, GstClockTime rt_end)
{
  OmniFusionInput in = { OMNI_MODALITY_TEXT, NULL, text, NULL, rt, rt_end,
    GST_CLOCK_TIME_NONE, TRUE };

  omni_fusion_window_add (w, NULL, &in);
}

void
omni_fusion_window_add_onset (OmniFusionWindow *w, GstClockTime rt)
{
  w->onsets++;
  min_time (&w->first_onset, rt);
}

void
omni_fusion_window_add_beat (OmniFusionWindow *w, GstClockTime rt)
{
  w->beats++;
  min_time (&w->first_beat, rt);
}

/* ---- derived values ------------------------------------------------ */

/**
 * omni_fusion_window_rms_db:
 *
 * Returns: the duration-weighted mean power of the window's audio, in
 * dBFS, or NAN without rhythm metas
 */
gdouble
omni_fusion_window_rms_db (const OmniFusionWindow *w)
{
  if (w->power_weight <= 0)
    return NAN;
  return MAX (10.0 * log10 (w->power_sum / w->power_weight + 1e-30),
      OMNI_RHYTHM_DB_FLOOR);
}

/**
 * omni_fusion_window_low_energy_fraction:
 *
 * Share of audio buffers whose power is below half the window's mean
 * power: the "percentage of low-energy frames" feature of Scheirer &
 * Slaney, "Construction and evaluation of a robust multifeature
 * speech/music discriminator", ICASSP 1997. Speech, with its pauses
 * between syllables and words, scores high; sustained music scores low.
 */
gdouble
omni_fusion_window_low_energy_fraction (const OmniFusionWindow *w)
{
  gdouble mean = 0;
  guint i, low = 0;

  if (w->powers->len == 0)
    return NAN;
  for (i = 0; i < w->powers->len; i++)
    mean += g_array_index (w->powers, gdouble, i);
  mean /= w->powers->len;
  for (i = 0; i < w->powers->len; i++) {
    if (g_array_index (w->powers, gdouble, i) < 0.5 * mean)
      low++;
  }
  return (gdouble) low / w->powers->len;
}

/**
 * omni_fusion_window_tempo:
 *
 * Returns: the confidence-weighted mean tempo in BPM (0 if unknown); the
 * mean confidence in @confidence
 */
gdouble
omni_fusion_window_tempo (const OmniFusionWindow *w, gdouble *confidence)
{
  if (confidence)
    *confidence
        = w->rhythm_buffers ? w->tempo_conf_sum / w->rhythm_buffers : 0.0;
  if (w->tempo_conf_sum <= 0)
    return 0.0;
  return w->tempo_weighted_sum / w->tempo_conf_sum;
}

gdouble
omni_fusion_window_centroid (const OmniFusionWindow *w)
{
  return w->rhythm_buffers ? w->centroid_sum / w->rhythm_buffers : NAN;
}

/**
 * omni_fusion_window_onset_rate:
 *
 * Returns: onsets per second of the window's duration
 */
gdouble
omni_fusion_window_onset_rate (const OmniFusionWindow *w)
{
  gdouble secs = (gdouble) (w->end - w->start) / GST_SECOND;

  return secs > 0 ? w->onsets / secs : 0.0;
}

/**
 * omni_fusion_window_impulse_rate:
 *
 * Returns: impulsive onsets (#OmniRhythmMeta's impulses) per second of the
 * window's duration
 */
gdouble
omni_fusion_window_impulse_rate (const OmniFusionWindow *w)
{
  gdouble secs = (gdouble) (w->end - w->start) / GST_SECOND;

  return secs > 0 ? w->impulses / secs : 0.0;
}

/**
 * omni_fusion_window_cues:
 *
 * The duration-weighted means of the speech/music cues of the window's
 * rhythm metas that summarise at least half a second of audio.
 *
 * Returns: %FALSE when no meta had them (the outputs are then NAN)
 */
gboolean
omni_fusion_window_cues (const OmniFusionWindow *w, gdouble *flux_variance,
    gdouble *level_std_db, gdouble *persistence)
{
  if (w->cue_weight <= 0) {
    *flux_variance = *level_std_db = *persistence = NAN;
    return FALSE;
  }
  *flux_variance = w->cue_flux_var / w->cue_weight;
  *level_std_db = w->cue_level_std / w->cue_weight;
  *persistence = w->cue_persistence / w->cue_weight;
  return TRUE;
}

/**
 * omni_fusion_window_top_class:
 *
 * Returns: (nullable): the visual class with the highest mean score over
 * the window's classified frames
 */
const gchar *
omni_fusion_window_top_class (const OmniFusionWindow *w, gdouble *mean_score)
{
  const gchar *best = NULL;
  gdouble best_sum = -1;
  guint i;

  if (mean_score)
    *mean_score = 0;
  if (w->vclasses.n == 0)
    return NULL;
  for (i = 0; i < w->vclasses.stats->len; i++) {
    const OmniFusionClassStat *s
        = &g_array_index (w->vclasses.stats, OmniFusionClassStat, i);

    if (s->sum > best_sum) {
      best_sum = s->sum;
      best = s->label;
    }
  }
  if (mean_score)
    *mean_score = best_sum / w->vclasses.n;
  return best;
}

/**
 * omni_fusion_window_visual_risk:
 *
 * Returns: the highest risk of the frames whose observation this window
 * holds
 */
gdouble
omni_fusion_window_visual_risk (const OmniFusionWindow *w, const gchar **label)
{
  gdouble best = 0;
  guint i;

  *label = NULL;
  for (i = 0; i < w->frames->len; i++) {
    const OmniFusionObservation *o
        = &g_array_index (w->frames, OmniFusionObservation, i);

    if (o->risk > best || (!*label && o->label)) {
      best = MAX (best, o->risk);
      *label = o->label;
    }
  }
  return best;
}

/* ---- evidence ------------------------------------------------------ */

static gchar *
field_name (const gchar *prefix, const gchar *label)
{
  GString *s = g_string_new (prefix);
  const gchar *p;

  for (p = label; *p; p++) {
    if (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.')
      g_string_append_c (s, *p);
    else
      g_string_append_c (s, '-');
  }
  return g_string_free (s, FALSE);
}

static gint
compare_stat_desc (gconstpointer a, gconstpointer b)
{
  const OmniFusionClassStat *sa = a, *sb = b;

  return sa->sum < sb->sum ? 1 : sa->sum > sb->sum ? -1 : 0;
}

static void
add_classes (GstStructure *s, const OmniFusionClassAcc *acc,
    const gchar *model_field, const gchar *prefix)
{
  GArray *sorted;
  guint i;

  if (acc->n == 0)
    return;
  gst_structure_set (s, model_field, G_TYPE_STRING, acc->model_id, NULL);
  sorted = g_array_copy (acc->stats);
  g_array_sort (sorted, compare_stat_desc);
  for (i = 0; i < MIN (sorted->len, EVIDENCE_TOP_CLASSES); i++) {
    const OmniFusionClassStat *st
        = &g_array_index (sorted, OmniFusionClassStat, i);
    gchar *name = field_name (prefix, st->label);

    gst_structure_set (s, name, G_TYPE_DOUBLE, st->sum / acc->n, NULL);
    g_free (name);
  }
  g_array_unref (sorted);
}

static void
set_time (GstStructure *s, const gchar *field, GstClockTime t)
{
  if (GST_CLOCK_TIME_IS_VALID (t))
    gst_structure_set (s, field, G_TYPE_INT64, (gint64) t, NULL);
}

/**
 * omni_fusion_window_to_evidence:
 *
 * Returns: (transfer full): the window's evidence as a flat structure
 * (double, int64, uint, boolean and string fields only, as #OmniFusionMeta
 * requires); field names are documented in the element's SECTION comment
 */
GstStructure *
omni_fusion_window_to_evidence (const OmniFusionWindow *w)
{
  GstStructure *s = gst_structure_new_empty ("evidence");

  if (w->present & OMNI_MODALITY_VIDEO) {
    gst_structure_set (s, "video-frames", G_TYPE_UINT, w->video_frames,
        "sampled-frames", G_TYPE_UINT, w->sampled_frames, "scene-cuts",
        G_TYPE_UINT, w->scene_cuts, "classified-frames", G_TYPE_UINT,
        w->classified_frames, NULL);
    set_time (s, "first-frame", w->first_frame);
    set_time (s, "first-scene-cut", w->first_scene_cut);
    add_classes (s, &w->vclasses, "model-id", "score-");
  }
  if (w->present & OMNI_MODALITY_AUDIO) {
    gst_structure_set (s, "audio-buffers", G_TYPE_UINT, w->audio_buffers,
        "audio-duration", G_TYPE_INT64, (gint64) w->audio_duration, NULL);
    set_time (s, "first-audio", w->first_audio);
    if (w->rhythm_buffers) {
      gdouble conf, tempo = omni_fusion_window_tempo (w, &conf);

      gst_structure_set (s, "rms-db", G_TYPE_DOUBLE,
          omni_fusion_window_rms_db (w), "peak-db", G_TYPE_DOUBLE, w->peak_db,
          "low-energy-fraction", G_TYPE_DOUBLE,
          omni_fusion_window_low_energy_fraction (w), "tempo", G_TYPE_DOUBLE,
          tempo, "tempo-confidence", G_TYPE_DOUBLE, conf, "centroid",
          G_TYPE_DOUBLE, omni_fusion_window_centroid (w), "short-term-db",
          G_TYPE_DOUBLE, w->short_term_db, "impulses", G_TYPE_UINT, w->impulses,
          NULL);
      {
        gdouble fv, ls, pe;

        if (omni_fusion_window_cues (w, &fv, &ls, &pe))
          gst_structure_set (s, "flux-variance", G_TYPE_DOUBLE, fv,
              "level-std-db", G_TYPE_DOUBLE, ls, "persistence", G_TYPE_DOUBLE,
              pe, NULL);
      }
    }
    add_classes (s, &w->aclasses, "audio-model-id", "audio-score-");
  }
  /* Onsets and beats may land in a window by their own time even when the
   * buffer that carried them started in the previous one. */
  if ((w->present & OMNI_MODALITY_AUDIO) || w->onsets || w->beats) {
    gst_structure_set (s, "onsets", G_TYPE_UINT, w->onsets, "beats",
        G_TYPE_UINT, w->beats, NULL);
    set_time (s, "first-onset", w->first_onset);
    set_time (s, "first-beat", w->first_beat);
  }
  if (w->present & OMNI_MODALITY_TEXT) {
    gst_structure_set (s, "text-buffers", G_TYPE_UINT, w->text_buffers, "text",
        G_TYPE_STRING, w->text->str, NULL);
    set_time (s, "first-text", w->first_text);
  }
  if (w->other_buffers)
    gst_structure_set (s, "other-buffers", G_TYPE_UINT, w->other_buffers, NULL);
  if (w->tensors)
    gst_structure_set (s, "tensors", G_TYPE_UINT, w->tensors, NULL);
  if (w->gap_buffers)
    gst_structure_set (s, "gap-buffers", G_TYPE_UINT, w->gap_buffers, NULL);
  if (w->late_buffers)
    gst_structure_set (s, "late-buffers", G_TYPE_UINT, w->late_buffers, NULL);
  return s;
}
