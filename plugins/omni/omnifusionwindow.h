/* gst-omni: omnifusion's window evidence accumulator
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_FUSION_WINDOW_H__
#define __OMNI_FUSION_WINDOW_H__

#include <gst/gst.h>
#include <gst/video/video.h>
#include <omni/omni.h>

#include "omnifusionhysteresis.h"
#include "omnifusionpolicy.h"

G_BEGIN_DECLS

/* Mean and maximum score of one class over the metas of one model. */
typedef struct {
  const gchar *label; /* interned */
  gdouble sum;
  gdouble max;
} OmniFusionClassStat;

typedef struct {
  gchar *model_id; /* the first model seen; others only count for risk */
  GArray *stats;   /* OmniFusionClassStat, in the model's label order */
  guint n;         /* metas of that model accumulated */
  guint nonfinite; /* metas with a NaN or infinite score (a broken model) */
} OmniFusionClassAcc;

/* One box of a GstVideoRegionOfInterestMeta with a `detection` parameter
 * (docs/conventions: omnidetect), or a face ("face" ROI). */
typedef struct {
  GstClockTime time;  /* running time of its frame */
  guint frame;        /* index of its frame among the window's inferred ones */
  gint obs;           /* index of its frame's observation in frames, or -1 */
  const gchar *label; /* interned roi_type */
  gdouble confidence;
  guint track_id; /* 0: not tracked */
  gdouble area;   /* share of the frame, 0..1 */
  /* a face's `classification` parameters (NULL/0 when absent) */
  const gchar *emotion; /* interned top expression */
  gdouble emotion_confidence;
  const gchar *gender; /* interned "female" / "male" */
  gdouble gender_confidence;
} OmniFusionBox;

/* A timed piece of text: a recognised word, or an on-screen text line. */
typedef struct {
  GstClockTime start, end; /* running time; end may equal start */
  gchar *text;
  gdouble confidence; /* 0..1, 1 when unknown */
} OmniFusionText;

/* Everything a window learnt from the buffers whose running time falls in
 * [start, end). Point events (onsets, beats) are placed at their own exact
 * running time, buffer-level features at the buffer's start. */
typedef struct {
  guint64 index;
  GstClockTime start, end;
  OmniModality present; /* modalities with at least one non-gap buffer */

  /* video */
  guint video_frames, sampled_frames, scene_cuts, classified_frames;
  GstClockTime first_frame, first_scene_cut;
  OmniFusionClassAcc vclasses;
  GArray *frames;        /* OmniFusionObservation per classified frame */
  guint inferred_frames; /* frames sampled or carrying detections */
  GArray *boxes;         /* OmniFusionBox */
  GArray *screen_text;   /* OmniFusionText: omniocr lines, first sighting */

  /* audio */
  guint audio_buffers, rhythm_buffers;
  GstClockTime audio_duration;
  GstClockTime first_audio;
  gdouble power_sum, power_weight; /* duration-weighted mean power */
  gdouble peak_db;
  gdouble short_term_db; /* loudest short-term (50 ms) level */
  guint impulses;        /* impulsive onsets */
  gdouble cue_flux_var, cue_level_std, cue_persistence, cue_weight;
  GArray *powers; /* gdouble linear power of each rhythm buffer */
  guint onsets, beats;
  GstClockTime first_onset, first_beat;
  gdouble tempo_conf_sum, tempo_weighted_sum;
  guint tempo_n;
  gdouble centroid_sum;
  OmniFusionClassAcc aclasses;
  gdouble audio_class_risk;
  const gchar *audio_class_label;
  /* speech activity: omnivad's 32 ms frames completed in the window's
   * buffers */
  guint vad_frames, vad_speech_frames;
  gdouble vad_prob_sum, vad_prob_max;
  GstClockTime first_speech; /* start of the first frame in a segment */

  /* text */
  GString *text;
  GArray *words; /* OmniFusionText: each text buffer, with its span */
  guint text_buffers;
  GstClockTime first_text;

  /* anything else */
  guint other_buffers, gap_buffers, late_buffers, tensors;
  gdouble other_class_risk;
  const gchar *other_class_label;
} OmniFusionWindow;

OmniFusionWindow *omni_fusion_window_new (
    guint64 index, GstClockTime start, GstClockTime end);
void omni_fusion_window_free (OmniFusionWindow *w);

/* One input of a window: a buffer of a pad (or a piece of text). */
typedef struct {
  OmniModality modality;     /* of the pad; 0: neither video, audio, text */
  GstBuffer *buf;            /* may be NULL for a text piece */
  const gchar *text;         /* text pads: the buffer's text */
  const GstVideoInfo *vinfo; /* video pads, when the caps parse */
  GstClockTime rt, rt_end;   /* running time span (end may be NONE) */
  GstClockTime stream_time;  /* video: the frame's stream time */
  gboolean first_slice;      /* the first window holding it: it may be an
                               * observation (each frame feeds the
                               * hysteresis once) */
} OmniFusionInput;

/* every collector that reads the input's kind of pad */
void omni_fusion_window_add (OmniFusionWindow *w,
    const OmniFusionPolicy *policy, const OmniFusionInput *input);

/* the same, by kind of pad (tests) */
void omni_fusion_window_add_video (OmniFusionWindow *w,
    const OmniFusionPolicy *policy, GstBuffer *buf, const GstVideoInfo *info,
    GstClockTime rt, GstClockTime stream_time, gboolean add_observation);
void omni_fusion_window_add_audio (OmniFusionWindow *w,
    const OmniFusionPolicy *policy, GstBuffer *buf, GstClockTime rt,
    GstClockTime duration);
void omni_fusion_window_add_onset (OmniFusionWindow *w, GstClockTime rt);
void omni_fusion_window_add_beat (OmniFusionWindow *w, GstClockTime rt);
void omni_fusion_window_add_text (OmniFusionWindow *w, const gchar *text,
    GstClockTime rt, GstClockTime rt_end);

/* Derived values. */
gdouble omni_fusion_window_rms_db (const OmniFusionWindow *w);
gdouble omni_fusion_window_low_energy_fraction (const OmniFusionWindow *w);
gdouble omni_fusion_window_tempo (
    const OmniFusionWindow *w, gdouble *confidence);
gdouble omni_fusion_window_centroid (const OmniFusionWindow *w);
gdouble omni_fusion_window_onset_rate (const OmniFusionWindow *w);
gdouble omni_fusion_window_impulse_rate (const OmniFusionWindow *w);
gboolean omni_fusion_window_cues (const OmniFusionWindow *w,
    gdouble *flux_variance, gdouble *level_std_db, gdouble *persistence);
const gchar *omni_fusion_window_top_class (
    const OmniFusionWindow *w, gdouble *mean_score);
gdouble omni_fusion_window_visual_risk (
    const OmniFusionWindow *w, const gchar **label);

GstStructure *omni_fusion_window_to_evidence (const OmniFusionWindow *w);

G_END_DECLS

#endif /* __OMNI_FUSION_WINDOW_H__ */
