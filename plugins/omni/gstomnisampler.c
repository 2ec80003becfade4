/* gst-omni: omnisampler
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-omnisampler
 * @title: omnisampler
 * @short_description: picks the video frames worth analysing: first frame,
 *   every interval, every shot cut, forced key units; within a rate ceiling
 *   and what downstream can keep up with
 *
 * omnisampler is a pass-through video filter: it never changes a pixel. It
 * decides which frames an expensive analyser downstream (omnivisionenc)
 * should look at, so that it runs on one or two frames per second plus
 * every shot change instead of on every frame.
 *
 * ## Triggers
 *
 * A frame is sampled, with the reasons in #OmniSampleReason, when:
 * - "first": it is the first frame after start, a flush (seek) or a change
 *   of caps;
 * - "forced": a force-key-unit event asked for it, either downstream (from
 *   upstream, on the sink pad) or upstream (from downstream, on the source
 *   pad): the first frame at or after the event's running time;
 * - "interval": #GstOmniSampler:interval of running time has passed. The
 *   schedule restarts at every sample and advances by exactly the interval
 *   after an interval sample, taking the frame nearest to the due time, so
 *   that the average rate is exact for any frame rate;
 * - "scene": a hard cut starts at this frame (see below) and no other cut
 *   was found within #GstOmniSampler:min-scene-gap before it.
 *
 * "interval" and "scene" samples then obey two limits: they are not taken
 * closer than 1/#GstOmniSampler:max-rate to the previous sample, nor when
 * downstream QoS says it cannot keep up (see below). "first" and "forced"
 * are always taken.
 *
 * With #GstOmniSampler:mode "mark" every frame passes and sampled frames
 * carry an #OmniSampleMeta (reasons, scene score, sample index). With
 * "drop" only sampled frames pass, timestamps untouched, and each dropped
 * frame is replaced by a GAP event covering its time span, so that
 * downstream (an aggregator such as omnifusion) knows that time advanced.
 *
 * ## Scene cuts
 *
 * Each frame is reduced, while it is read, to a thumbnail of at most 64x36
 * cells of mean luma and chroma (only 4 lines per cell row are read, so a
 * 2160p frame costs well under a millisecond). The
 * score of a frame against the one before combines a structural change
 * (1 - normalised cross-correlation of the luma thumbnails after a global
 * motion search, so pans and tilts and fades do not count) and a colour
 * change (mean absolute Y, U, V difference after the same alignment, the
 * MAFD of ffmpeg's scdet and the content value of PySceneDetect's
 * ContentDetector); see the omniscenescore section of libgstomni-1.0. A
 * frame is a cut when its score is above #GstOmniSampler:scene-threshold,
 * it stands out from the scores of its neighbours (the rolling-average test
 * of PySceneDetect's AdaptiveDetector) and it neither ends nor (with
 * #GstOmniSampler:detector "adaptive") starts a transient of one or two
 * frames: flashes and brief occlusions are not cuts. The adaptive
 * detector holds two frames back, and says so in the LATENCY query.
 *
 * ## QoS
 *
 * Frames that arrive after the earliest time of the last QoS event are
 * dropped before analysis, as in every #GstBaseTransform with
 * #GstBaseTransform:qos. Beyond that, omnisampler lowers its own sample
 * rate when the analyser behind it is late: after a QoS event with
 * proportion p it takes interval and scene samples no closer than
 * p x (its recent mean gap between samples), and none before the QoS
 * event's timestamp + 2 x jitter + one frame; the limit relaxes again as p
 * falls below 1. The #GstOmniSampler:stats property counts it.
 *
 * ## Messages
 *
 * With #GstOmniSampler:post-messages, an element message `omnisampler` is
 * posted for each scene cut (also one that max-rate or QoS kept from being
 * sampled, but not one inside min-scene-gap):
 * - "running-time" (guint64): running time of the first frame of the new
 *   shot
 * - "stream-time" (guint64): its stream time
 * - "timestamp" (guint64): its PTS
 * - "duration" (guint64): its duration (GST_CLOCK_TIME_NONE if unknown)
 * - "score" (gdouble): its scene score against the frame before, in [0,1]
 * - "index" (guint64): 0-based number of this cut since start or the last
 *   flush
 * - "sampled" (gboolean): whether the frame was sampled
 * - "sample-index" (gint64): the #OmniSampleMeta index of the frame, -1
 *   when it was not sampled
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 filesrc location=in.mkv ! decodebin ! videoconvert ! \
 *   omnisampler interval=500000000 ! omnivisionenc model=nsfw ! fakesink
 * ]| an analysis every half second plus at every shot change, all frames
 * forwarded.
 * |[
 * gst-launch-1.0 -m filesrc location=in.mkv ! decodebin ! videoconvert ! \
 *   omnisampler interval=0 mode=drop ! jpegenc ! multifilesink \
 *   location=shot-%05d.jpg
 * ]| one JPEG per shot, and the cuts on the bus.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnilatency.h"
#include "gstomnisampler.h"

#include <omni/meta/omnisamplemeta.h>
#include <omni/dsp/omniscenescore.h>

GST_DEBUG_CATEGORY_STATIC (gst_omni_sampler_debug);
#define GST_CAT_DEFAULT gst_omni_sampler_debug

#define DEFAULT_INTERVAL GST_SECOND
#define DEFAULT_MAX_RATE_N 0
#define DEFAULT_MAX_RATE_D 1
#define DEFAULT_SCENE_THRESHOLD 0.4
#define DEFAULT_MIN_SCENE_GAP (500 * GST_MSECOND)
#define DEFAULT_MODE GST_OMNI_SAMPLER_MODE_MARK
#define DEFAULT_DETECTOR GST_OMNI_SAMPLER_DETECTOR_ADAPTIVE
#define DEFAULT_POST_MESSAGES TRUE

enum {
  PROP_0,
  PROP_INTERVAL,
  PROP_MAX_RATE,
  PROP_SCENE_THRESHOLD,
  PROP_MIN_SCENE_GAP,
  PROP_MODE,
  PROP_DETECTOR,
  PROP_POST_MESSAGES,
  PROP_STATS,
};

#define VIDEO_FORMATS                                                          \
  "{ I420, YV12, NV12, NV21, Y42B, Y444, RGB, BGR, RGBA, BGRA, ARGB, ABGR, "   \
  "RGBx, BGRx, xRGB, xBGR, GRAY8 }"

static GstStaticPadTemplate sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (VIDEO_FORMATS)));

static GstStaticPadTemplate src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (VIDEO_FORMATS)));

/* A frame waiting for its scene decision; buffer NULL stands for a frame
 * that QoS dropped before analysis (it becomes a GAP in drop mode). */
typedef struct {
  GstBuffer *buffer;
  GstClockTime pts, duration;
  gboolean analysed;
} Pending;

struct _GstOmniSampler {
  GstVideoFilter parent;

  /* properties, under the object lock */
  GstClockTime interval;
  gint max_rate_n, max_rate_d;
  gdouble scene_threshold;
  GstClockTime min_scene_gap;
  GstOmniSamplerMode mode;
  GstOmniSamplerDetector detector;
  gboolean post_messages;

  /* streaming thread */
  OmniSceneDetector *det;
  GstOmniSamplerDetector det_kind; /* of det */
  gboolean det_on;                 /* frames are being pushed to det */
  GQueue pending;
  gboolean have_info;
  GstVideoInfo info;
  GstClockTime frame_duration;
  gboolean need_first;
  GstClockTime last_sample_rt, interval_due, last_cut_rt;
  guint64 sample_index, cut_index;

  /* object lock: set from other threads (QoS, upstream events, latency) */
  gboolean force_pending;
  GstClockTime force_rt;
  gdouble qos_proportion;
  GstClockTime qos_earliest, qos_min_gap, avg_gap;
  guint latency_frames;
  guint64 qos_update_mark; /* samples counted at the last rate update */
  guint64 frames, sampled, scene_cuts, forced, dropped, dropped_qos,
      skipped_qos, skipped_rate;
  gdouble last_score;
};

#define gst_omni_sampler_parent_class parent_class
G_DEFINE_TYPE (GstOmniSampler, gst_omni_sampler, GST_TYPE_VIDEO_FILTER);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (omnisampler, "omnisampler",
    GST_RANK_NONE, GST_TYPE_OMNI_SAMPLER,
    GST_DEBUG_CATEGORY_INIT (
        gst_omni_sampler_debug, "omnisampler", 0, "omnisampler"));

#define GST_TYPE_OMNI_SAMPLER_MODE (gst_omni_sampler_mode_get_type ())
static GType
gst_omni_sampler_mode_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { GST_OMNI_SAMPLER_MODE_MARK, "Pass every frame, mark sampled ones",
        "mark" },
    { GST_OMNI_SAMPLER_MODE_DROP,
        "Pass only sampled frames, GAP events for the others", "drop" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstOmniSamplerMode", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

#define GST_TYPE_OMNI_SAMPLER_DETECTOR (gst_omni_sampler_detector_get_type ())
static GType
gst_omni_sampler_detector_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { GST_OMNI_SAMPLER_DETECTOR_FAST,
        "Decide at once from past frames (no latency)", "fast" },
    { GST_OMNI_SAMPLER_DETECTOR_ADAPTIVE,
        "Two frames of look-ahead, rejects flashes (2 frames latency)",
        "adaptive" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstOmniSamplerDetector", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

static void
pending_free (Pending *p)
{
  gst_clear_buffer (&p->buffer);
  g_free (p);
}

/* Resets what a flush resets: the queue, the detector's history, the
 * sample and cut numbering, the schedules and the first-frame flag. */
static void
gst_omni_sampler_reset_stream (GstOmniSampler *self)
{
  Pending *p;

  while ((p = g_queue_pop_head (&self->pending)))
    pending_free (p);
  if (self->det)
    omni_scene_detector_reset (self->det);
  self->need_first = TRUE;
  self->last_sample_rt = GST_CLOCK_TIME_NONE;
  self->interval_due = GST_CLOCK_TIME_NONE;
  self->last_cut_rt = GST_CLOCK_TIME_NONE;
  self->sample_index = 0;
  self->cut_index = 0;

  GST_OBJECT_LOCK (self);
  self->force_pending = FALSE;
  self->force_rt = GST_CLOCK_TIME_NONE;
  self->qos_proportion = 1.0;
  self->qos_earliest = GST_CLOCK_TIME_NONE;
  self->qos_min_gap = 0;
  self->qos_update_mark = 0;
  self->avg_gap = GST_CLOCK_TIME_NONE;
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_sampler_post_cut (GstOmniSampler *self, GstBuffer *buf,
    GstClockTime rt, gdouble score, gboolean sampled, guint64 sample_index)
{
  GstBaseTransform *trans = GST_BASE_TRANSFORM (self);
  GstClockTime pts = GST_BUFFER_PTS (buf);
  GstClockTime st = GST_CLOCK_TIME_NONE;
  GstStructure *s;

  if (trans->segment.format == GST_FORMAT_TIME && GST_CLOCK_TIME_IS_VALID (pts))
    st = gst_segment_to_stream_time (&trans->segment, GST_FORMAT_TIME, pts);
  s = gst_structure_new ("omnisampler", "running-time", G_TYPE_UINT64, rt,
      "stream-time", G_TYPE_UINT64, st, "timestamp", G_TYPE_UINT64, pts,
      "duration", G_TYPE_UINT64, GST_BUFFER_DURATION (buf), "score",
      G_TYPE_DOUBLE, score, "index", G_TYPE_UINT64, self->cut_index, "sampled",
      G_TYPE_BOOLEAN, sampled, "sample-index", G_TYPE_INT64,
      sampled ? (gint64) sample_index : (gint64) -1, NULL);
  gst_element_post_message (
      GST_ELEMENT (self), gst_message_new_element (GST_OBJECT (self), s));
}

static void
gst_omni_sampler_push_gap (
    GstOmniSampler *self, GstClockTime pts, GstClockTime duration)
{
  if (!GST_CLOCK_TIME_IS_VALID (pts))
    return;
  gst_pad_push_event (
      GST_BASE_TRANSFORM_SRC_PAD (self), gst_event_new_gap (pts, duration));
}

/* The decision on one frame, in stream order. Returns the buffer to push, or
 * NULL when it is dropped (drop mode; a GAP event has been sent). */
static GstBuffer *
gst_omni_sampler_process (
    GstOmniSampler *self, Pending *p, gdouble score, gboolean cut)
{
  GstBaseTransform *trans = GST_BASE_TRANSFORM (self);
  GstBuffer *buf = p->buffer;
  GstClockTime rt = GST_CLOCK_TIME_NONE, dur, interval, min_scene_gap;
  GstClockTime period = 0, qos_earliest, qos_min_gap;
  OmniSampleReason reasons = OMNI_SAMPLE_REASON_NONE;
  GstOmniSamplerMode mode;
  gboolean post, cut_found = FALSE, sampled;
  guint64 index = 0;

  p->buffer = NULL;
  if (trans->segment.format == GST_FORMAT_TIME
      && GST_CLOCK_TIME_IS_VALID (p->pts))
    rt = gst_segment_to_running_time (&trans->segment, GST_FORMAT_TIME, p->pts);
  dur = GST_CLOCK_TIME_IS_VALID (p->duration) ? p->duration
                                              : self->frame_duration;
  if (!GST_CLOCK_TIME_IS_VALID (dur))
    dur = 0;

  GST_OBJECT_LOCK (self);
  interval = self->interval;
  min_scene_gap = self->min_scene_gap;
  if (self->max_rate_n > 0)
    period = gst_util_uint64_scale_int_ceil (
        GST_SECOND, self->max_rate_d, self->max_rate_n);
  mode = self->mode;
  post = self->post_messages;
  if (self->force_pending
      && (!GST_CLOCK_TIME_IS_VALID (self->force_rt)
          || (GST_CLOCK_TIME_IS_VALID (rt) && rt >= self->force_rt))) {
    reasons |= OMNI_SAMPLE_REASON_FORCED;
    self->force_pending = FALSE;
  }
  qos_earliest = self->qos_earliest;
  qos_min_gap = self->qos_min_gap;
  self->last_score = score;
  GST_OBJECT_UNLOCK (self);

  if (self->need_first) {
    reasons |= OMNI_SAMPLE_REASON_FIRST;
    self->need_first = FALSE;
  }

  if (cut) {
    if (min_scene_gap > 0 && GST_CLOCK_TIME_IS_VALID (rt)
        && GST_CLOCK_TIME_IS_VALID (self->last_cut_rt)
        && rt < self->last_cut_rt + min_scene_gap) {
      GST_DEBUG_OBJECT (self,
          "cut at %" GST_TIME_FORMAT " inside min-scene-gap",
          GST_TIME_ARGS (rt));
    } else {
      cut_found = TRUE;
      self->last_cut_rt = rt;
      reasons |= OMNI_SAMPLE_REASON_SCENE;
    }
  }

  if (interval > 0 && GST_CLOCK_TIME_IS_VALID (rt)
      && !(reasons & OMNI_SAMPLE_REASON_FIRST)
      && (!GST_CLOCK_TIME_IS_VALID (self->interval_due)
          || rt + dur / 2 >= self->interval_due))
    reasons |= OMNI_SAMPLE_REASON_INTERVAL;

  /* the ceilings apply to the periodic and scene samples only */
  if ((reasons & (OMNI_SAMPLE_REASON_INTERVAL | OMNI_SAMPLE_REASON_SCENE))
      && !(reasons & (OMNI_SAMPLE_REASON_FIRST | OMNI_SAMPLE_REASON_FORCED))
      && GST_CLOCK_TIME_IS_VALID (rt)) {
    GstClockTime last = self->last_sample_rt;

    if (period > 0 && GST_CLOCK_TIME_IS_VALID (last)
        && rt + MIN (GST_MSECOND, period / 100) < last + period) {
      reasons &= ~(OMNI_SAMPLE_REASON_INTERVAL | OMNI_SAMPLE_REASON_SCENE);
      GST_OBJECT_LOCK (self);
      self->skipped_rate++;
      GST_OBJECT_UNLOCK (self);
    } else if ((GST_CLOCK_TIME_IS_VALID (qos_earliest) && rt < qos_earliest)
               || (qos_min_gap > 0 && GST_CLOCK_TIME_IS_VALID (last)
                   && rt + MIN (GST_MSECOND, qos_min_gap / 100)
                          < last + qos_min_gap)) {
      reasons &= ~(OMNI_SAMPLE_REASON_INTERVAL | OMNI_SAMPLE_REASON_SCENE);
      GST_OBJECT_LOCK (self);
      self->skipped_qos++;
      GST_OBJECT_UNLOCK (self);
      GST_DEBUG_OBJECT (
          self, "QoS: not sampling %" GST_TIME_FORMAT, GST_TIME_ARGS (rt));
    }
  }

  sampled = reasons != OMNI_SAMPLE_REASON_NONE;
  if (sampled) {
    index = self->sample_index++;
    buf = gst_buffer_make_writable (buf);
    omni_buffer_add_sample_meta (buf, reasons, score, index);

    if (GST_CLOCK_TIME_IS_VALID (rt)) {
      /* the interval schedule restarts at every sample, except that an
       * interval sample advances it by exactly one interval */
      if ((reasons & OMNI_SAMPLE_REASON_INTERVAL)
          && GST_CLOCK_TIME_IS_VALID (self->interval_due)
          && self->interval_due + interval > rt + dur / 2)
        self->interval_due += interval;
      else
        self->interval_due = rt + interval;

      GST_OBJECT_LOCK (self);
      if (GST_CLOCK_TIME_IS_VALID (self->last_sample_rt)
          && rt > self->last_sample_rt) {
        GstClockTime gap = rt - self->last_sample_rt;
        self->avg_gap = GST_CLOCK_TIME_IS_VALID (self->avg_gap)
                            ? (3 * self->avg_gap + gap) / 4
                            : gap;
      }
      GST_OBJECT_UNLOCK (self);
      self->last_sample_rt = rt;
    }
    GST_LOG_OBJECT (self,
        "sample %" G_GUINT64_FORMAT " at %" GST_TIME_FORMAT
        " reasons 0x%x score %.3f",
        index, GST_TIME_ARGS (rt), reasons, score);
  }

  GST_OBJECT_LOCK (self);
  if (sampled) {
    self->sampled++;
    if (reasons & OMNI_SAMPLE_REASON_FORCED)
      self->forced++;
  }
  if (cut_found)
    self->scene_cuts++;
  if (!sampled && mode == GST_OMNI_SAMPLER_MODE_DROP)
    self->dropped++;
  GST_OBJECT_UNLOCK (self);

  if (cut_found) {
    if (post)
      gst_omni_sampler_post_cut (self, buf, rt, score, sampled, index);
    self->cut_index++;
  }

  if (!sampled && mode == GST_OMNI_SAMPLER_MODE_DROP) {
    gst_buffer_unref (buf);
    gst_omni_sampler_push_gap (
        self, p->pts, dur > 0 ? dur : GST_CLOCK_TIME_NONE);
    return NULL;
  }
  return buf;
}

/* Takes the oldest frames whose decision is known, in order, until one is to
 * be pushed (returned) or the oldest one still waits for look-ahead. */
static GstBuffer *
gst_omni_sampler_next_output (GstOmniSampler *self)
{
  Pending *p;

  while ((p = g_queue_peek_head (&self->pending))) {
    gdouble score = 0.0;
    gboolean cut = FALSE;
    GstBuffer *out = NULL;
    GstOmniSamplerMode mode;

    if (p->analysed) {
      OmniSceneDecision d;

      if (!self->det || !omni_scene_detector_pop (self->det, &d))
        return NULL;
      score = d.score;
      cut = d.cut;
    }
    g_queue_pop_head (&self->pending);

    if (p->buffer) {
      out = gst_omni_sampler_process (self, p, score, cut);
    } else {
      GST_OBJECT_LOCK (self);
      mode = self->mode;
      GST_OBJECT_UNLOCK (self);
      if (mode == GST_OMNI_SAMPLER_MODE_DROP)
        gst_omni_sampler_push_gap (self, p->pts,
            GST_CLOCK_TIME_IS_VALID (p->duration) ? p->duration
                                                  : self->frame_duration);
    }
    pending_free (p);
    if (out)
      return out;
  }
  return NULL;
}

/* Decides and pushes every frame held for look-ahead (before an event, a
 * detector change or at EOS). */
static GstFlowReturn
gst_omni_sampler_drain (GstOmniSampler *self)
{
  GstFlowReturn ret = GST_FLOW_OK;
  GstBuffer *out;

  if (self->det)
    omni_scene_detector_finish (self->det);
  while ((out = gst_omni_sampler_next_output (self))) {
    if (ret == GST_FLOW_OK)
      ret = gst_pad_push (GST_BASE_TRANSFORM_SRC_PAD (self), out);
    else
      gst_buffer_unref (out);
  }
  return ret;
}

static void
gst_omni_sampler_update_latency (GstOmniSampler *self)
{
  guint frames = self->det_on && self->det
                     ? omni_scene_detector_get_latency (self->det)
                     : 0;
  gboolean changed;

  GST_OBJECT_LOCK (self);
  changed = frames != self->latency_frames;
  self->latency_frames = frames;
  GST_OBJECT_UNLOCK (self);
  if (changed) {
    GST_INFO_OBJECT (self, "latency now %u frames", frames);
    gst_element_post_message (
        GST_ELEMENT (self), gst_message_new_latency (GST_OBJECT (self)));
  }
}

static gboolean
gst_omni_sampler_layout (const GstVideoInfo *info, OmniSceneLayout *lay)
{
  const GstVideoFormatInfo *finfo = info->finfo;
  guint c;

  memset (lay, 0, sizeof (*lay));
  lay->width = GST_VIDEO_INFO_WIDTH (info);
  lay->height = GST_VIDEO_INFO_HEIGHT (info);
  lay->rgb = GST_VIDEO_FORMAT_INFO_IS_RGB (finfo);
  lay->n_components = GST_VIDEO_FORMAT_INFO_IS_GRAY (finfo) ? 1 : 3;
  lay->full_range
      = lay->rgb || info->colorimetry.range == GST_VIDEO_COLOR_RANGE_0_255;
  if (GST_VIDEO_FORMAT_INFO_BITS (finfo) != 8)
    return FALSE;
  for (c = 0; c < lay->n_components; c++) {
    lay->comp[c].plane = GST_VIDEO_INFO_COMP_PLANE (info, c);
    lay->comp[c].pstride = GST_VIDEO_INFO_COMP_PSTRIDE (info, c);
    lay->comp[c].offset = GST_VIDEO_INFO_COMP_POFFSET (info, c);
    lay->comp[c].wsub = GST_VIDEO_FORMAT_INFO_W_SUB (finfo, c);
    lay->comp[c].hsub = GST_VIDEO_FORMAT_INFO_H_SUB (finfo, c);
  }
  return TRUE;
}

/* Makes the detector match the properties and caps; called between frames. */
static gboolean
gst_omni_sampler_configure (GstOmniSampler *self, gboolean caps_changed)
{
  GstOmniSamplerDetector kind;
  gdouble threshold;
  gboolean want_on;

  GST_OBJECT_LOCK (self);
  kind = self->detector;
  threshold = self->scene_threshold;
  GST_OBJECT_UNLOCK (self);
  want_on = threshold < 1.0;

  if (caps_changed || (self->det && kind != self->det_kind)) {
    OmniSceneLayout lay;

    gst_omni_sampler_drain (self);
    g_clear_pointer (&self->det, omni_scene_detector_free);
    self->det_on = FALSE;
    if (!gst_omni_sampler_layout (&self->info, &lay)
        || !(self->det = omni_scene_detector_new (&lay,
                 kind == GST_OMNI_SAMPLER_DETECTOR_ADAPTIVE
                     ? OMNI_SCENE_MODE_ADAPTIVE
                     : OMNI_SCENE_MODE_FAST,
                 threshold))) {
      GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
          ("cannot analyse %s %dx%d",
              gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (&self->info)),
              GST_VIDEO_INFO_WIDTH (&self->info),
              GST_VIDEO_INFO_HEIGHT (&self->info)));
      return FALSE;
    }
    self->det_kind = kind;
  }
  if (!self->det)
    return TRUE;

  omni_scene_detector_set_threshold (self->det, threshold);
  if (want_on != self->det_on) {
    if (self->det_on) {
      /* let the frames already analysed be decided, in order */
      omni_scene_detector_finish (self->det);
    } else {
      /* nothing analysed is pending (see above): start a new sequence */
      omni_scene_detector_reset (self->det);
    }
    self->det_on = want_on;
  }
  gst_omni_sampler_update_latency (self);
  return TRUE;
}

static gboolean
gst_omni_sampler_set_info (GstVideoFilter *filter, GstCaps *incaps,
    GstVideoInfo *in_info, GstCaps *outcaps, GstVideoInfo *out_info)
{
  GstOmniSampler *self = GST_OMNI_SAMPLER (filter);
  gboolean changed;

  changed = !self->have_info || !gst_video_info_is_equal (&self->info, in_info);
  if (!changed)
    return TRUE;

  GST_DEBUG_OBJECT (self, "caps %" GST_PTR_FORMAT, incaps);
  self->info = *in_info;
  self->have_info = TRUE;
  self->frame_duration
      = GST_VIDEO_INFO_FPS_N (in_info) > 0
            ? gst_util_uint64_scale_int (GST_SECOND,
                GST_VIDEO_INFO_FPS_D (in_info), GST_VIDEO_INFO_FPS_N (in_info))
            : GST_CLOCK_TIME_NONE;
  if (!gst_omni_sampler_configure (self, TRUE))
    return FALSE;
  /* a new format is a new picture: sample it, compare nothing across */
  self->need_first = TRUE;
  return TRUE;
}

static GstFlowReturn
gst_omni_sampler_submit_input_buffer (
    GstBaseTransform *trans, gboolean is_discont, GstBuffer *input)
{
  GstOmniSampler *self = GST_OMNI_SAMPLER (trans);
  GstClockTime pts = GST_BUFFER_PTS (input);
  GstClockTime duration = GST_BUFFER_DURATION (input);
  GstFlowReturn ret;
  GstBuffer *buf;
  Pending *p;

  /* negotiation and QoS: the base class drops frames that are already late */
  ret = GST_BASE_TRANSFORM_CLASS (parent_class)
            ->submit_input_buffer (trans, is_discont, input);
  if (ret == GST_BASE_TRANSFORM_FLOW_DROPPED) {
    GST_OBJECT_LOCK (self);
    self->frames++;
    self->dropped_qos++;
    GST_OBJECT_UNLOCK (self);
    p = g_new0 (Pending, 1);
    p->pts = pts;
    p->duration = duration;
    g_queue_push_tail (&self->pending, p);
    return GST_FLOW_OK;
  }
  if (ret != GST_FLOW_OK)
    return ret;
  buf = trans->queued_buf;
  trans->queued_buf = NULL;
  g_return_val_if_fail (buf != NULL, GST_FLOW_ERROR);

  if (!self->det || !gst_omni_sampler_configure (self, FALSE)) {
    gst_buffer_unref (buf);
    return GST_FLOW_NOT_NEGOTIATED;
  }

  p = g_new0 (Pending, 1);
  p->buffer = buf;
  p->pts = pts;
  p->duration = duration;
  if (self->det_on) {
    GstVideoFrame frame;
    const guint8 *planes[GST_VIDEO_MAX_PLANES];
    gint strides[GST_VIDEO_MAX_PLANES];
    guint i;

    if (!gst_video_frame_map (&frame, &self->info, buf, GST_MAP_READ)) {
      GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL),
          ("cannot map a %" G_GSIZE_FORMAT "-byte buffer as %s %dx%d "
           "(%" G_GSIZE_FORMAT " bytes)",
              gst_buffer_get_size (buf),
              gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (&self->info)),
              GST_VIDEO_INFO_WIDTH (&self->info),
              GST_VIDEO_INFO_HEIGHT (&self->info),
              GST_VIDEO_INFO_SIZE (&self->info)));
      pending_free (p);
      return GST_FLOW_ERROR;
    }
    for (i = 0; i < GST_VIDEO_FRAME_N_PLANES (&frame); i++) {
      planes[i] = GST_VIDEO_FRAME_PLANE_DATA (&frame, i);
      strides[i] = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, i);
    }
    omni_scene_detector_push (self->det, planes, strides);
    gst_video_frame_unmap (&frame);
    p->analysed = TRUE;
  }
  g_queue_push_tail (&self->pending, p);

  GST_OBJECT_LOCK (self);
  self->frames++;
  GST_OBJECT_UNLOCK (self);
  return GST_FLOW_OK;
}

static GstFlowReturn
gst_omni_sampler_generate_output (GstBaseTransform *trans, GstBuffer **outbuf)
{
  *outbuf = gst_omni_sampler_next_output (GST_OMNI_SAMPLER (trans));
  return GST_FLOW_OK;
}

static gboolean
gst_omni_sampler_sink_event (GstBaseTransform *trans, GstEvent *event)
{
  GstOmniSampler *self = GST_OMNI_SAMPLER (trans);

  switch (GST_EVENT_TYPE (event)) {
  case GST_EVENT_FLUSH_STOP:
    gst_omni_sampler_reset_stream (self);
    break;
  case GST_EVENT_CUSTOM_DOWNSTREAM:
    if (gst_video_event_is_force_key_unit (event)) {
      GstClockTime ts, st, rt;
      gboolean all_headers;
      guint count;

      if (gst_video_event_parse_downstream_force_key_unit (
              event, &ts, &st, &rt, &all_headers, &count)) {
        GST_DEBUG_OBJECT (self,
            "downstream force-key-unit at %" GST_TIME_FORMAT,
            GST_TIME_ARGS (rt));
        GST_OBJECT_LOCK (self);
        self->force_pending = TRUE;
        self->force_rt = rt;
        GST_OBJECT_UNLOCK (self);
      }
    }
    break;
  default:
    break;
  }

  /* keep serialized events in order with the frames held for look-ahead */
  if (GST_EVENT_IS_SERIALIZED (event)
      && GST_EVENT_TYPE (event) != GST_EVENT_FLUSH_STOP)
    gst_omni_sampler_drain (self);

  return GST_BASE_TRANSFORM_CLASS (parent_class)->sink_event (trans, event);
}

static gboolean
gst_omni_sampler_src_event (GstBaseTransform *trans, GstEvent *event)
{
  GstOmniSampler *self = GST_OMNI_SAMPLER (trans);

  switch (GST_EVENT_TYPE (event)) {
  case GST_EVENT_QOS: {
    GstQOSType type;
    gdouble proportion;
    GstClockTimeDiff diff;
    GstClockTime timestamp;

    gst_event_parse_qos (event, &type, &proportion, &diff, &timestamp);
    GST_OBJECT_LOCK (self);
    if (GST_CLOCK_TIME_IS_VALID (timestamp)) {
      GstClockTime dur = GST_CLOCK_TIME_IS_VALID (self->frame_duration)
                             ? self->frame_duration
                             : 0;
      GstClockTime base, target;

      /* GstVideoDecoder's rule: when late, skip until past twice the
         * jitter and one frame */
      if (diff > 0)
        self->qos_earliest = timestamp + 2 * diff + dur;
      else
        self->qos_earliest = (GstClockTime) MAX (0, (gint64) timestamp + diff);

      /* rate control, once per sample so that the gap cannot run away
         * while QoS events keep coming: downstream needs proportion x the
         * time it gets per sample, so widen the gap by that factor; narrow
         * it the same way when downstream has time to spare */
      if (self->sampled != self->qos_update_mark || self->qos_min_gap == 0) {
        if (proportion > 1.0) {
          base = MAX (self->qos_min_gap,
              GST_CLOCK_TIME_IS_VALID (self->avg_gap) ? self->avg_gap : dur);
          self->qos_min_gap = (GstClockTime) (proportion * base);
          self->qos_update_mark = self->sampled;
        } else if (proportion < 1.0 && self->qos_min_gap > 0) {
          target = (GstClockTime) (proportion * self->qos_min_gap);
          self->qos_min_gap = target > dur ? target : 0;
          self->qos_update_mark = self->sampled;
        }
      }
      self->qos_proportion = proportion;
      GST_DEBUG_OBJECT (self,
          "QoS %s proportion %.3f jitter %" G_GINT64_FORMAT
          " -> earliest %" GST_TIME_FORMAT " min gap %" GST_TIME_FORMAT,
          type == GST_QOS_TYPE_THROTTLE ? "throttle" : "", proportion, diff,
          GST_TIME_ARGS (self->qos_earliest),
          GST_TIME_ARGS (self->qos_min_gap));
    }
    GST_OBJECT_UNLOCK (self);
    break;
  }
  case GST_EVENT_CUSTOM_UPSTREAM:
    if (gst_video_event_is_force_key_unit (event)) {
      GstClockTime rt;
      gboolean all_headers;
      guint count;

      if (gst_video_event_parse_upstream_force_key_unit (
              event, &rt, &all_headers, &count)) {
        GST_DEBUG_OBJECT (self, "upstream force-key-unit at %" GST_TIME_FORMAT,
            GST_TIME_ARGS (rt));
        GST_OBJECT_LOCK (self);
        self->force_pending = TRUE;
        self->force_rt = rt;
        GST_OBJECT_UNLOCK (self);
      }
    }
    break;
  default:
    break;
  }
  return GST_BASE_TRANSFORM_CLASS (parent_class)->src_event (trans, event);
}

static GstClockTime
sampler_own_latency (GstBaseTransform *trans)
{
  GstOmniSampler *self = GST_OMNI_SAMPLER (trans);
  GstClockTime ours = 0;

  GST_OBJECT_LOCK (self);
  if (self->latency_frames > 0
      && GST_CLOCK_TIME_IS_VALID (self->frame_duration))
    ours = self->latency_frames * self->frame_duration;
  GST_OBJECT_UNLOCK (self);
  return ours;
}

static gboolean
gst_omni_sampler_query (
    GstBaseTransform *trans, GstPadDirection direction, GstQuery *query)
{
  return omni_latency_transform_query (trans,
      GST_BASE_TRANSFORM_CLASS (parent_class), direction, query,
      sampler_own_latency);
}

static gboolean
gst_omni_sampler_start (GstBaseTransform *trans)
{
  GstOmniSampler *self = GST_OMNI_SAMPLER (trans);

  gst_omni_sampler_reset_stream (self);
  GST_OBJECT_LOCK (self);
  self->frames = self->sampled = self->scene_cuts = self->forced = 0;
  self->dropped = self->dropped_qos = self->skipped_qos = 0;
  self->skipped_rate = 0;
  self->last_score = 0.0;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static gboolean
gst_omni_sampler_stop (GstBaseTransform *trans)
{
  GstOmniSampler *self = GST_OMNI_SAMPLER (trans);

  gst_omni_sampler_reset_stream (self);
  g_clear_pointer (&self->det, omni_scene_detector_free);
  self->det_on = FALSE;
  self->have_info = FALSE;
  GST_OBJECT_LOCK (self);
  self->latency_frames = 0;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static GstStructure *
gst_omni_sampler_get_stats (GstOmniSampler *self)
{
  GstStructure *s;

  GST_OBJECT_LOCK (self);
  s = gst_structure_new ("omnisampler-stats", "frames", G_TYPE_UINT64,
      self->frames, "sampled", G_TYPE_UINT64, self->sampled, "scene-cuts",
      G_TYPE_UINT64, self->scene_cuts, "forced", G_TYPE_UINT64, self->forced,
      "dropped", G_TYPE_UINT64, self->dropped, "dropped-qos", G_TYPE_UINT64,
      self->dropped_qos, "skipped-qos", G_TYPE_UINT64, self->skipped_qos,
      "skipped-rate", G_TYPE_UINT64, self->skipped_rate, "qos-proportion",
      G_TYPE_DOUBLE, self->qos_proportion, "qos-min-gap", G_TYPE_UINT64,
      self->qos_min_gap, "last-score", G_TYPE_DOUBLE, self->last_score,
      "latency-frames", G_TYPE_UINT, self->latency_frames, NULL);
  GST_OBJECT_UNLOCK (self);
  return s;
}

static void
gst_omni_sampler_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstOmniSampler *self = GST_OMNI_SAMPLER (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_INTERVAL:
    self->interval = g_value_get_uint64 (value);
    break;
  case PROP_MAX_RATE: {
    gint n = gst_value_get_fraction_numerator (value);
    gint d = gst_value_get_fraction_denominator (value);
    if (n < 0 || d <= 0) {
      GST_WARNING_OBJECT (self, "refusing max-rate %d/%d", n, d);
      break;
    }
    self->max_rate_n = n;
    self->max_rate_d = d;
    break;
  }
  case PROP_SCENE_THRESHOLD:
    self->scene_threshold = g_value_get_double (value);
    break;
  case PROP_MIN_SCENE_GAP:
    self->min_scene_gap = g_value_get_uint64 (value);
    break;
  case PROP_MODE:
    self->mode = g_value_get_enum (value);
    break;
  case PROP_DETECTOR:
    self->detector = g_value_get_enum (value);
    break;
  case PROP_POST_MESSAGES:
    self->post_messages = g_value_get_boolean (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_sampler_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstOmniSampler *self = GST_OMNI_SAMPLER (object);

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, gst_omni_sampler_get_stats (self));
    return;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_INTERVAL:
    g_value_set_uint64 (value, self->interval);
    break;
  case PROP_MAX_RATE:
    gst_value_set_fraction (value, self->max_rate_n, self->max_rate_d);
    break;
  case PROP_SCENE_THRESHOLD:
    g_value_set_double (value, self->scene_threshold);
    break;
  case PROP_MIN_SCENE_GAP:
    g_value_set_uint64 (value, self->min_scene_gap);
    break;
  case PROP_MODE:
    g_value_set_enum (value, self->mode);
    break;
  case PROP_DETECTOR:
    g_value_set_enum (value, self->detector);
    break;
  case PROP_POST_MESSAGES:
    g_value_set_boolean (value, self->post_messages);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_sampler_finalize (GObject *object)
{
  GstOmniSampler *self = GST_OMNI_SAMPLER (object);
  Pending *p;

  while ((p = g_queue_pop_head (&self->pending)))
    pending_free (p);
  g_clear_pointer (&self->det, omni_scene_detector_free);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_omni_sampler_class_init (GstOmniSamplerClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstVideoFilterClass *filter_class = GST_VIDEO_FILTER_CLASS (klass);

  gobject_class->set_property = gst_omni_sampler_set_property;
  gobject_class->get_property = gst_omni_sampler_get_property;
  gobject_class->finalize = gst_omni_sampler_finalize;

  /**
   * GstOmniSampler:interval:
   *
   * Running time between periodic samples; 0 disables them. The frame
   * nearest to the due time is taken; the schedule restarts at any sample.
   */
  g_object_class_install_property (gobject_class, PROP_INTERVAL,
      g_param_spec_uint64 ("interval", "Interval",
          "Running time between periodic samples in ns (0 = none)", 0,
          G_MAXUINT64, DEFAULT_INTERVAL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniSampler:max-rate:
   *
   * Ceiling on interval and scene samples per second of running time; 0/1
   * means none. First-frame and forced samples are always taken.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_RATE,
      gst_param_spec_fraction ("max-rate", "Maximum rate",
          "Most interval/scene samples per second (0/1 = no limit)", 0, 1,
          G_MAXINT, 1, DEFAULT_MAX_RATE_N, DEFAULT_MAX_RATE_D,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniSampler:scene-threshold:
   *
   * A frame whose scene score (content change against the previous frame,
   * in [0,1]) is above this can be a cut; 1 disables scene detection and
   * its cost.
   */
  g_object_class_install_property (gobject_class, PROP_SCENE_THRESHOLD,
      g_param_spec_double ("scene-threshold", "Scene threshold",
          "Scene score above which a frame can start a new shot "
          "(1 = no scene detection)",
          0.0, 1.0, DEFAULT_SCENE_THRESHOLD,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniSampler:min-scene-gap:
   *
   * A cut closer than this (running time) to the previous cut is ignored.
   */
  g_object_class_install_property (gobject_class, PROP_MIN_SCENE_GAP,
      g_param_spec_uint64 ("min-scene-gap", "Minimum scene gap",
          "Minimum running time between two scene cuts in ns", 0, G_MAXUINT64,
          DEFAULT_MIN_SCENE_GAP,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniSampler:mode:
   *
   * Mark sampled frames and pass all, or pass only sampled frames.
   */
  g_object_class_install_property (gobject_class, PROP_MODE,
      g_param_spec_enum ("mode", "Mode", "What to do with frames not sampled",
          GST_TYPE_OMNI_SAMPLER_MODE, DEFAULT_MODE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniSampler:detector:
   *
   * How scene cuts are decided: "adaptive" holds two frames back to reject
   * flashes (reported as latency), "fast" decides at once.
   */
  g_object_class_install_property (gobject_class, PROP_DETECTOR,
      g_param_spec_enum ("detector", "Detector", "Scene cut decision",
          GST_TYPE_OMNI_SAMPLER_DETECTOR, DEFAULT_DETECTOR,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniSampler:post-messages:
   *
   * Post an `omnisampler` element message on each scene cut.
   */
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post an element message on each scene cut", DEFAULT_POST_MESSAGES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniSampler:stats:
   *
   * Counters since the element started: "frames" (seen, guint64),
   * "sampled", "scene-cuts", "forced" (samples with the forced reason),
   * "dropped" (frames not forwarded in drop mode), "dropped-qos" (late frames
   * dropped before analysis), "skipped-qos" (samples withheld because
   * downstream was late), "skipped-rate" (samples withheld by max-rate),
   * "qos-proportion" (gdouble, last QoS proportion), "qos-min-gap"
   * (guint64, the gap QoS imposes between samples now, 0 = none),
   * "last-score" (gdouble, scene score of the last decided frame),
   * "latency-frames" (guint, frames held for look-ahead).
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Frames seen, sampled, scene cuts, dropped and skipped for QoS...",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Frame sampler",
      "Filter/Analyzer/Video",
      "Picks the frames worth analysing: first, periodic, scene cuts, forced; "
      "marks them with OmniSampleMeta or drops the others",
      "gst-omni developers");

  trans_class->submit_input_buffer
      = GST_DEBUG_FUNCPTR (gst_omni_sampler_submit_input_buffer);
  trans_class->generate_output
      = GST_DEBUG_FUNCPTR (gst_omni_sampler_generate_output);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_omni_sampler_sink_event);
  trans_class->src_event = GST_DEBUG_FUNCPTR (gst_omni_sampler_src_event);
  trans_class->query = GST_DEBUG_FUNCPTR (gst_omni_sampler_query);
  trans_class->start = GST_DEBUG_FUNCPTR (gst_omni_sampler_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_omni_sampler_stop);
  trans_class->passthrough_on_same_caps = FALSE;
  trans_class->transform_ip_on_passthrough = FALSE;
  filter_class->set_info = GST_DEBUG_FUNCPTR (gst_omni_sampler_set_info);

  gst_type_mark_as_plugin_api (GST_TYPE_OMNI_SAMPLER_MODE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_OMNI_SAMPLER_DETECTOR, 0);
}

static void
gst_omni_sampler_init (GstOmniSampler *self)
{
  self->interval = DEFAULT_INTERVAL;
  self->max_rate_n = DEFAULT_MAX_RATE_N;
  self->max_rate_d = DEFAULT_MAX_RATE_D;
  self->scene_threshold = DEFAULT_SCENE_THRESHOLD;
  self->min_scene_gap = DEFAULT_MIN_SCENE_GAP;
  self->mode = DEFAULT_MODE;
  self->detector = DEFAULT_DETECTOR;
  self->post_messages = DEFAULT_POST_MESSAGES;
  self->frame_duration = GST_CLOCK_TIME_NONE;
  self->qos_proportion = 1.0;
  g_queue_init (&self->pending);
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self), FALSE);
}
