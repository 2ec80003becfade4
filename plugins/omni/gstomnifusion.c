/* gst-omni: omnifusion
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-omnifusion
 * @title: omnifusion
 * @short_description: lines video, audio and text up on one running-time
 *   axis and turns them into moderation verdicts and captions
 *
 * omnifusion is a #GstAggregator with an always `video` and an always
 * `audio` sink pad (either may stay unlinked) and request pads `sink_%u`
 * for further timed inputs (text/x-raw transcripts, or any stream whose
 * buffers carry gst-omni metas). It never looks at pixels or samples: it
 * reads the metas upstream elements attached (#OmniSampleMeta,
 * #OmniClassMeta, #OmniRhythmMeta, #OmniTensorMeta, and
 * #GstVideoRegionOfInterestMeta: omnidetect's boxes with their `detection`
 * and `classification` parameters, faces, omniocr's text lines, on any
 * pad) and the text of text buffers (omnispeech's words, one a buffer,
 * each with its span). Each kind of result has a collector (the window)
 * and a scorer (the judgement, omnifusionjudge.c).
 *
 * ## Windows
 *
 * The running-time axis is cut into windows [k·hop, k·hop + window)
 * (#GstOmniFusion:window, #GstOmniFusion:window-hop); the grid is anchored
 * at running time 0, so it restarts after a flushing seek. A buffer belongs
 * to every window holding its start running time (its end for negative
 * rates); onsets and beats of an #OmniRhythmMeta belong to the windows
 * holding their own exact running time (buffer time + offset). Each window
 * is emitted exactly once, in order, when every linked pad has moved past
 * its end or reached EOS. Buffers that arrive for an already emitted
 * window are counted as late and dropped.
 *
 * Non-live, omnifusion waits for all linked pads. Live, it uses the
 * aggregator's deadline: a window is emitted at the latest when the
 * clock reaches its start + #GstAggregator:latency + upstream latency +
 * the window length (reported as omnifusion's own latency), and a
 * modality whose data did not arrive by then is marked missing. An EOS
 * on one pad lets the others go on; a pad that is not linked when data
 * starts flowing is treated as ended (and picked up again if it gets
 * linked later). A flushing seek resets the windows and closes an open
 * segment (reason "flush").
 *
 * ## Moderation
 *
 * The policy (#GstOmniFusion:policy, default: built-in; file format in
 * docs/policy.md) gives each observation a risk in [0,1] and a label:
 * every classified video frame is one observation (its class risk,
 * raised to the window's audio and text risk where those are higher);
 * a window without classified frames but with audio or text evidence is
 * one observation at its start. A segment opens after
 * #GstOmniFusion:enter-frames consecutive observations at or above
 * #GstOmniFusion:enter-threshold and closes after
 * #GstOmniFusion:exit-frames consecutive observations below
 * #GstOmniFusion:exit-threshold; it starts at the first of the N and ends
 * at the first of the M. A window is "flagged" when a segment's
 * [start, end) overlaps it, "review" when one of its observations reached
 * exit-threshold, "ok" otherwise. Details: docs/elements/omnifusion.md.
 *
 * ## Output
 *
 * The source caps decide the form:
 * - `text/x-raw, format=utf8`: one caption buffer per window (PTS = window
 *   start, duration = window-hop), ready for textoverlay's text_sink or
 *   webvttenc; a window with no evidence at all is sent as a GAP event.
 * - `application/x-omni-events`: JSON lines, one object per window, one
 *   per segment change and one per category segment (schema 2, in
 *   docs/events-schema.md).
 *
 * Every output buffer carries an #OmniFusionMeta with the window's span,
 * caption, verdict, evidence and present/missing modalities.
 *
 * ## Messages
 *
 * With #GstOmniFusion:post-messages, an element message `omnifusion` is
 * posted for every window:
 * - "timestamp" (guint64): PTS of the window's output (GAP or buffer)
 * - "stream-time" (guint64): stream time of the window start
 * - "running-time" (guint64): running time of the window start
 * - "duration" (guint64): output duration (window-hop)
 * - "window-start", "window-end" (guint64): the window, in running time
 * - "index" (guint64): window number k (start = k × window-hop)
 * - "state" (string): "ok", "review", "flagged" or "error" (the analysis
 *   behind the window failed: a model gave NaN or infinite scores; the
 *   cause is in the evidence's "error" field and "risk" is NaN)
 * - "label" (string, may be NULL): the verdict's label
 * - "risk" (gdouble): highest observation risk of the window
 * - "caption" (string): the caption
 * - "present" (#OmniModality): modalities with evidence in the window
 * - "missing" (#OmniModality): modalities whose data did not arrive in time
 * - "video", "audio", "text" (string): per modality "present", "idle"
 *   (linked, moved past the window without data), "missing", "eos",
 *   "unlinked" or "none" (no pad of that kind)
 * - "segment-id" (guint): id of the segment open during the window, or 0
 * - "evidence" (#GstStructure): the evidence, also in the meta:
 *   "video-frames", "sampled-frames", "scene-cuts", "classified-frames"
 *   (guint); "first-frame", "first-scene-cut" (gint64 running time);
 *   "model-id" (string) and "score-LABEL" (gdouble, mean score of the
 *   five strongest classes); "audio-buffers" (guint), "audio-duration",
 *   "first-audio" (gint64); "rms-db", "peak-db", "low-energy-fraction",
 *   "tempo", "tempo-confidence", "centroid", "short-term-db" (gdouble);
 *   "impulses" (guint); "flux-variance", "level-std-db", "persistence"
 *   (gdouble, means of omnirhythm's speech/music cues, when present);
 *   "audio-model-id", "audio-score-LABEL"; "onsets", "beats" (guint),
 *   "first-onset", "first-beat" (gint64); "onset-rate" (gdouble, per
 *   second); "audio-kind" (string: "silence", "speech-like", "music",
 *   "sound"); "speech-score" (gdouble, log-odds of speech);
 *   "vad-frames" (guint), "speech-fraction", "speech-probability",
 *   "speech-probability-max" (gdouble), "first-speech" (gint64): omnivad's
 *   32 ms frames in the window (its "speech-probability" tensors), the
 *   fraction inside its speech segments, their mean and highest
 *   probability, the start of the first frame of speech;
 *   "impulse-rate" (gdouble, per second), "impact-risk" (gdouble);
 *   "loudness-baseline-db" (the running level of the non-silent windows),
 *   "loudness-excess-db" (short-term-db above it), "peak-excess-db"
 *   (gdouble);
 *   "text-buffers" (guint), "text" (string), "first-text" (gint64),
 *   "matched-words" (string); "visual-risk", "audio-risk", "text-risk",
 *   "other-risk" (gdouble) with "visual-label", "audio-label",
 *   "text-label", "other-label" (string); "observations" (guint);
 *   "category", "rule", "rule-match" (string), "rule-risk" (gdouble),
 *   "rule-start", "rule-end" (gint64 running time), "rule-hits" (guint):
 *   the strongest category rule that fired, with the span of what fired it
 *   (the JSON events add "flagged-words": every spoken word a category
 *   flagged, with its span, for omnicensor);
 *   "inferred-frames", "people" (guint), "objects" (string, "person 2,
 *   dog 1"), "face-boxes" (guint), "screen-text" (string);
 *   "other-buffers", "tensors", "gap-buffers", "late-buffers" (guint).
 *   Fields whose modality has no data are left out.
 *
 * and an element message `omnifusion-segment` whenever a segment opens or
 * closes:
 * - "event" (string): "opened" or "closed"
 * - "id" (guint): segment number, from 1
 * - "label" (string): label of the strongest triggering observation
 * - "peak-label" (string): label at the peak risk
 * - "start", "end" (guint64): running time; end is GST_CLOCK_TIME_NONE
 *   while open
 * - "stream-start", "stream-end" (guint64): the same in stream time
 * - "peak-risk", "mean-risk" (gdouble), "observations" (guint): over the
 *   observations in [start, end)
 * - "reason" (string, NULL when opened): "below-exit", "eos", "flush" or
 *   "stop"
 * - "trigger" (#GstStructure): "observations" (guint), "source" (string:
 *   "video", "audio" or "text"), "first", "last" (guint64 running time),
 *   "risks" (string: the triggering risks, space-separated)
 * - "provenance" (#GstStructure): "element" ("omnifusion"),
 *   "element-version" (string), "model-id" (string, may be NULL),
 *   "model-sha256" (string, NULL when the model files are not found: see
 *   docs/elements/omnifusion.md), "policy" (string: file or "built-in"),
 *   "policy-sha256" (string, NULL for the built-in policy),
 *   "wall-clock-opened", "wall-clock-closed" (string, ISO 8601 UTC; closed
 *   is NULL while open)
 *
 * and an element message `omnifusion-category-segment` when a segment of a
 * moderation category (docs/policy.md) closes:
 * - "category" (string): the category ("violence", "profanity", ...)
 * - "start", "end", "duration" (guint64): running time of the first hit's
 *   start and the last hit's end (a word's span, a frame's time)
 * - "max-confidence", "mean-confidence" (gdouble): over its hits
 * - "hits" (guint)
 * - "rules", "matches" (string): the rules and the labels or words that
 *   fired, ", "-separated
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=in.mkv ! decodebin name=d \
 *   d. ! videoconvert ! omnisampler ! omnivisionenc model=nsfw ! f.video \
 *   d. ! audioconvert ! audioresample ! omnirhythm ! f.audio \
 *   omnifusion name=f window=1000000000 ! webvttenc ! filesink location=out.vtt
 * ]|
 * |[
 * gst-launch-1.0 ... omnifusion name=f ! application/x-omni-events ! \
 *   filesink location=events.jsonl
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include <gst/audio/audio.h>
#include <gst/video/video.h>
#include <omni/omni.h>
#include <omni/nn/omninnidentity.h>

#include "gstomnifusion.h"
#include "omnifusioncaption.h"
#include "omnifusionhysteresis.h"
#include "omnifusionjudge.h"
#include "omnifusionpolicy.h"
#include "omnifusionwindow.h"

GST_DEBUG_CATEGORY_STATIC (gst_omni_fusion_debug);
#define GST_CAT_DEFAULT gst_omni_fusion_debug

#define DEFAULT_WINDOW GST_SECOND
#define DEFAULT_WINDOW_HOP 0
#define DEFAULT_ENTER_THRESHOLD 0.7
#define DEFAULT_EXIT_THRESHOLD 0.4
#define DEFAULT_ENTER_FRAMES 3
#define DEFAULT_EXIT_FRAMES 5
#define DEFAULT_POST_MESSAGES TRUE
#define MIN_WINDOW GST_MSECOND
/* version of the application/x-omni-events schema (docs/events-schema.md):
 * the "schema" member of every object */
#define OMNI_FUSION_EVENTS_SCHEMA 2
#define MAX_WINDOW (3600 * GST_SECOND)

enum {
  PROP_0,
  PROP_WINDOW,
  PROP_WINDOW_HOP,
  PROP_ENTER_THRESHOLD,
  PROP_EXIT_THRESHOLD,
  PROP_ENTER_FRAMES,
  PROP_EXIT_FRAMES,
  PROP_POLICY,
  PROP_CAPTION_FORMAT,
  PROP_POST_MESSAGES,
  PROP_STATS,
};

typedef enum {
  OUTPUT_NONE,
  OUTPUT_CAPTIONS,
  OUTPUT_EVENTS,
} OutputMode;

/* What a pad said about the window being completed. */
typedef enum {
  PAD_WAITING, /* no buffer queued yet for this or a later window */
  PAD_AHEAD,   /* its next buffer starts at or after the window end */
  PAD_EOS,
  PAD_ABSENT, /* never linked: treated as ended */
} PadStatus;

struct _GstOmniFusionPad {
  GstAggregatorPad parent;

  /* aggregate thread */
  OmniModality modality; /* 0: neither video, audio nor text */
  gboolean is_text, is_markup;
  GstClockTime frame_duration;
  GstVideoInfo vinfo; /* video caps, when they parse */
  gboolean have_vinfo;
  gint rate, bpf;
  GstClockTime position; /* running time where the last buffer ended */
  PadStatus status;

  /* protected by the element's absent_lock */
  gboolean absent;
  guint32 fwd_start_seqnum, fwd_stop_seqnum;
};

struct _GstOmniFusion {
  GstAggregator parent;

  GstOmniFusionPad *video_pad, *audio_pad;

  /* properties (object lock) */
  GstClockTime window, hop;
  gdouble enter_threshold, exit_threshold;
  guint enter_frames, exit_frames;
  OmniFusionPolicySet props_set;
  /* the hysteresis in effect while running (policy file, then properties
   * set by the application); what the four properties read then */
  gboolean have_effective;
  gdouble eff_enter_threshold, eff_exit_threshold;
  guint eff_enter_frames, eff_exit_frames;
  gchar *policy_location;
  gchar *caption_format;
  gboolean post_messages;

  /* stats (object lock) */
  guint64 stat_windows, stat_gaps, stat_late, stat_timeouts, stat_segments;

  /* unlinked pads */
  GRecMutex absent_lock;
  gboolean absent_checked;

  /* streaming state: aggregate thread, or while it is stopped */
  GstClockTime cur_window, cur_hop;
  gboolean cur_post_messages;
  OmniFusionPolicy *policy;
  OmniFusionCaptionTemplate *caption;
  OmniFusionJudge *judge;
  OmniFusionTracks *tracks; /* the previous window's, for captions */
  OutputMode output;
  gboolean have_origin;
  guint64 next_index;
  GQueue windows;         /* OmniFusionWindow, ascending index */
  GString *pending_lines; /* JSON lines of segment changes not yet output */
  GPtrArray *pending_messages;
  gchar *model_id;
  GHashTable *sha256_cache;
  gboolean need_segment_event;
};

static GstStaticPadTemplate src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("text/x-raw, format=(string)utf8; "
                         "application/x-omni-events"));

static GstStaticPadTemplate video_template = GST_STATIC_PAD_TEMPLATE ("video",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS ("video/x-raw(ANY)"));

static GstStaticPadTemplate audio_template = GST_STATIC_PAD_TEMPLATE ("audio",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS ("audio/x-raw(ANY)"));

static GstStaticPadTemplate extra_template = GST_STATIC_PAD_TEMPLATE (
    "sink_%u", GST_PAD_SINK, GST_PAD_REQUEST, GST_STATIC_CAPS_ANY);

/* ------------------------------------------------------------------ */
/* the pad                                                            */

G_DEFINE_TYPE (GstOmniFusionPad, gst_omni_fusion_pad, GST_TYPE_AGGREGATOR_PAD);

static void gst_omni_fusion_pad_linked (GstPad *pad, GstPad *peer);

static GstFlowReturn
gst_omni_fusion_pad_flush (GstAggregatorPad *aggpad, GstAggregator *agg)
{
  GstOmniFusionPad *pad = GST_OMNI_FUSION_PAD (aggpad);

  pad->position = GST_CLOCK_TIME_NONE;
  pad->status = PAD_WAITING;
  return GST_FLOW_OK;
}

static void
gst_omni_fusion_pad_class_init (GstOmniFusionPadClass *klass)
{
  GstAggregatorPadClass *aggpad_class = GST_AGGREGATOR_PAD_CLASS (klass);
  GstPadClass *pad_class = GST_PAD_CLASS (klass);

  aggpad_class->flush = GST_DEBUG_FUNCPTR (gst_omni_fusion_pad_flush);
  pad_class->linked = gst_omni_fusion_pad_linked;
}

static void
gst_omni_fusion_pad_init (GstOmniFusionPad *pad)
{
  pad->frame_duration = GST_CLOCK_TIME_NONE;
  pad->position = GST_CLOCK_TIME_NONE;
}

/* ------------------------------------------------------------------ */
/* the element                                                        */

#define gst_omni_fusion_parent_class parent_class
G_DEFINE_TYPE (GstOmniFusion, gst_omni_fusion, GST_TYPE_AGGREGATOR);
GST_ELEMENT_REGISTER_DEFINE (
    omnifusion, "omnifusion", GST_RANK_NONE, GST_TYPE_OMNI_FUSION);

/* The sink pads, referenced, in a stable order (video, audio, requested). */
static GPtrArray *
snapshot_pads (GstOmniFusion *self)
{
  GPtrArray *pads = g_ptr_array_new_with_free_func (gst_object_unref);
  GList *l;

  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT_CAST (self)->sinkpads; l; l = l->next)
    g_ptr_array_add (pads, gst_object_ref (l->data));
  GST_OBJECT_UNLOCK (self);
  return pads;
}

static GstClockTime
window_start (GstOmniFusion *self, guint64 index)
{
  return index * self->cur_hop;
}

/* First window that holds running time @t. */
static guint64
first_window_of (GstOmniFusion *self, GstClockTime t)
{
  if (t < self->cur_window)
    return 0;
  return (t - self->cur_window) / self->cur_hop + 1;
}

/* ---- unlinked pads ------------------------------------------------- */

static void
mark_absent (GstOmniFusionPad *pad)
{
  gchar *id = g_strdup_printf ("omnifusion-unlinked-%s", GST_PAD_NAME (pad));

  GST_INFO_OBJECT (pad, "not linked: treating it as ended");
  gst_pad_send_event (GST_PAD (pad), gst_event_new_stream_start (id));
  gst_pad_send_event (GST_PAD (pad), gst_event_new_eos ());
  g_free (id);
}

/* Data starts flowing: a pad nobody linked would make the non-live
 * aggregator wait forever, so it gets an EOS of its own. */
static void
check_absent_pads (GstOmniFusion *self, GstAggregatorPad *from)
{
  GPtrArray *pads;
  guint i;

  g_rec_mutex_lock (&self->absent_lock);
  if (self->absent_checked || GST_OMNI_FUSION_PAD (from)->absent) {
    g_rec_mutex_unlock (&self->absent_lock);
    return;
  }
  self->absent_checked = TRUE;
  pads = snapshot_pads (self);
  for (i = 0; i < pads->len; i++) {
    GstOmniFusionPad *pad = g_ptr_array_index (pads, i);

    if ((GstAggregatorPad *) pad == from || pad->absent
        || gst_pad_is_linked (GST_PAD (pad)))
      continue;
    pad->absent = TRUE;
    mark_absent (pad);
  }
  g_ptr_array_unref (pads);
  g_rec_mutex_unlock (&self->absent_lock);
}

/* A pad that was treated as ended got linked after all: un-end it with a
 * flush of that pad alone. */
static void
gst_omni_fusion_pad_linked (GstPad *pad, GstPad *peer)
{
  GstOmniFusionPad *fpad = GST_OMNI_FUSION_PAD (pad);
  GstElement *parent = gst_pad_get_parent_element (pad);
  GstOmniFusion *self;

  if (!parent)
    return;
  self = GST_OMNI_FUSION (parent);
  g_rec_mutex_lock (&self->absent_lock);
  if (fpad->absent) {
    GST_INFO_OBJECT (pad, "linked late: taking it back");
    fpad->absent = FALSE;
    gst_pad_send_event (pad, gst_event_new_flush_start ());
    gst_pad_send_event (pad, gst_event_new_flush_stop (TRUE));
  }
  g_rec_mutex_unlock (&self->absent_lock);
  gst_object_unref (parent);
}

/* GstAggregator only completes a flush once every sink pad saw it, and an
 * unlinked pad never will: forward flushes to such pads, then end them
 * again. */
static void
forward_flush_to_absent (
    GstOmniFusion *self, GstAggregatorPad *from, GstEvent *event)
{
  guint32 seqnum = gst_event_get_seqnum (event);
  gboolean start = GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_START;
  GPtrArray *pads;
  guint i;

  g_rec_mutex_lock (&self->absent_lock);
  if (GST_OMNI_FUSION_PAD (from)->absent) {
    g_rec_mutex_unlock (&self->absent_lock);
    return;
  }
  pads = snapshot_pads (self);
  for (i = 0; i < pads->len; i++) {
    GstOmniFusionPad *pad = g_ptr_array_index (pads, i);

    if (!pad->absent)
      continue;
    if (start && pad->fwd_start_seqnum != seqnum) {
      pad->fwd_start_seqnum = seqnum;
      gst_pad_send_event (GST_PAD (pad), gst_event_copy (event));
    } else if (!start && pad->fwd_stop_seqnum != seqnum) {
      pad->fwd_stop_seqnum = seqnum;
      gst_pad_send_event (GST_PAD (pad), gst_event_copy (event));
      mark_absent (pad);
    }
  }
  g_ptr_array_unref (pads);
  g_rec_mutex_unlock (&self->absent_lock);
}

/* ---- time ---------------------------------------------------------- */

/* Running time of @buf's start (its end for negative rates), clipped to
 * the pad's segment; GST_CLOCK_TIME_NONE when outside. @dur_out gets the
 * buffer's duration in running time, when known. */
static GstClockTime
buffer_running_time (GstOmniFusionPad *pad, GstBuffer *buf,
    GstClockTime *rt_end_out, GstSegment *seg_out)
{
  GstAggregatorPad *aggpad = GST_AGGREGATOR_PAD (pad);
  GstClockTime ts, dur, stop, cstart, cstop, rt, rt_end;
  GstSegment seg;

  GST_OBJECT_LOCK (pad);
  seg = aggpad->segment;
  GST_OBJECT_UNLOCK (pad);
  if (seg_out)
    *seg_out = seg;
  if (rt_end_out)
    *rt_end_out = GST_CLOCK_TIME_NONE;
  if (seg.format != GST_FORMAT_TIME)
    return GST_CLOCK_TIME_NONE;

  ts = GST_BUFFER_PTS_IS_VALID (buf) ? GST_BUFFER_PTS (buf)
                                     : GST_BUFFER_DTS (buf);
  if (!GST_CLOCK_TIME_IS_VALID (ts)) {
    /* Untimed buffers (some text sources) continue where the pad was. */
    if (rt_end_out)
      *rt_end_out = pad->position;
    return pad->position;
  }

  dur = GST_BUFFER_DURATION (buf);
  if (!GST_CLOCK_TIME_IS_VALID (dur)) {
    if (pad->rate > 0 && pad->bpf > 0)
      dur = gst_util_uint64_scale_int (
          gst_buffer_get_size (buf) / pad->bpf, GST_SECOND, pad->rate);
    else
      dur = pad->frame_duration;
  }
  stop = GST_CLOCK_TIME_IS_VALID (dur) ? ts + dur : GST_CLOCK_TIME_NONE;

  if (!gst_segment_clip (&seg, GST_FORMAT_TIME, ts, stop, &cstart, &cstop))
    return GST_CLOCK_TIME_NONE;

  if (seg.rate >= 0) {
    rt = gst_segment_to_running_time (&seg, GST_FORMAT_TIME, cstart);
    rt_end = GST_CLOCK_TIME_IS_VALID (cstop)
                 ? gst_segment_to_running_time (&seg, GST_FORMAT_TIME, cstop)
                 : GST_CLOCK_TIME_NONE;
  } else {
    if (!GST_CLOCK_TIME_IS_VALID (cstop))
      cstop = cstart;
    rt = gst_segment_to_running_time (&seg, GST_FORMAT_TIME, cstop);
    rt_end = gst_segment_to_running_time (&seg, GST_FORMAT_TIME, cstart);
  }
  if (rt_end_out)
    *rt_end_out = rt_end;
  return rt;
}

static GstClockTime
pts_offset_running_time (
    const GstSegment *seg, GstBuffer *buf, GstClockTime offset)
{
  GstClockTime ts = GST_BUFFER_PTS (buf);

  if (!GST_CLOCK_TIME_IS_VALID (ts) || !GST_CLOCK_TIME_IS_VALID (offset))
    return GST_CLOCK_TIME_NONE;
  return gst_segment_to_running_time (seg, GST_FORMAT_TIME, ts + offset);
}

/* Stream time for running time @rt, through the segment of the video pad
 * (or the first pad with a time segment). */
static GstClockTime
stream_time_of (GstOmniFusion *self, GPtrArray *pads, GstClockTime rt)
{
  guint i;

  if (!GST_CLOCK_TIME_IS_VALID (rt))
    return GST_CLOCK_TIME_NONE;
  for (i = 0; i < pads->len; i++) {
    GstAggregatorPad *pad = g_ptr_array_index (pads, i);
    GstSegment seg;
    GstClockTime pos;

    GST_OBJECT_LOCK (pad);
    seg = pad->segment;
    GST_OBJECT_UNLOCK (pad);
    if (seg.format != GST_FORMAT_TIME)
      continue;
    pos = gst_segment_position_from_running_time (&seg, GST_FORMAT_TIME, rt);
    if (GST_CLOCK_TIME_IS_VALID (pos))
      return gst_segment_to_stream_time (&seg, GST_FORMAT_TIME, pos);
  }
  return GST_CLOCK_TIME_NONE;
}

/* ---- windows ------------------------------------------------------- */

static OmniFusionWindow *
get_window (GstOmniFusion *self, guint64 index)
{
  GList *l;
  OmniFusionWindow *w;

  /* Windows are created in (nearly) ascending order: search from the
   * tail. */
  for (l = self->windows.tail; l; l = l->prev) {
    w = l->data;
    if (w->index == index)
      return w;
    if (w->index < index)
      break;
  }
  w = omni_fusion_window_new (index, window_start (self, index),
      window_start (self, index) + self->cur_window);
  if (l)
    g_queue_insert_after (&self->windows, l, w);
  else
    g_queue_push_head (&self->windows, w);
  return w;
}

static void
markup_text (GMarkupParseContext *ctx, const gchar *text, gsize len,
    gpointer user_data, GError **error)
{
  g_string_append_len (user_data, text, len);
}

/* Pango markup is XML: GMarkup keeps the text and resolves entities. */
static gchar *
strip_markup (const gchar *markup)
{
  GMarkupParser parser = { NULL, NULL, markup_text, NULL, NULL };
  GString *out = g_string_new (NULL);
  gchar *wrapped = g_strdup_printf ("<markup>%s</markup>", markup);
  GMarkupParseContext *ctx = g_markup_parse_context_new (&parser, 0, out, NULL);
  gboolean ok = g_markup_parse_context_parse (ctx, wrapped, -1, NULL)
                && g_markup_parse_context_end_parse (ctx, NULL);

  g_markup_parse_context_free (ctx);
  g_free (wrapped);
  if (!ok) {
    g_string_free (out, TRUE);
    return g_strdup (markup);
  }
  return g_string_free (out, FALSE);
}

static gchar *
map_text (GstOmniFusionPad *pad, GstBuffer *buf)
{
  GstMapInfo map;
  gchar *text;

  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    return NULL;
  text = g_strndup ((const gchar *) map.data, map.size);
  gst_buffer_unmap (buf, &map);
  if (pad->is_markup) {
    gchar *plain = strip_markup (text);

    g_free (text);
    text = plain;
  }
  return text;
}

/* Distributes one consumed buffer to the windows holding it. */
static void
add_buffer (GstOmniFusion *self, GPtrArray *pads, GstOmniFusionPad *pad,
    GstBuffer *buf, GstClockTime rt, GstClockTime rt_end, const GstSegment *seg)
{
  guint64 k, kmin, kmax;
  gboolean gap = GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_GAP)
                 && gst_buffer_get_size (buf) == 0;
  GstClockTime dur = GST_CLOCK_TIME_IS_VALID (rt_end) && rt_end >= rt
                         ? rt_end - rt
                         : GST_CLOCK_TIME_NONE;
  GstClockTime stream_time = GST_CLOCK_TIME_NONE;
  gchar *text = NULL;

  kmin = MAX (first_window_of (self, rt), self->next_index);
  kmax = rt / self->cur_hop;

  if (kmin > kmax) {
    /* All windows holding it were emitted already. */
    get_window (self, self->next_index)->late_buffers++;
    GST_OBJECT_LOCK (self);
    self->stat_late++;
    GST_OBJECT_UNLOCK (self);
    GST_DEBUG_OBJECT (pad,
        "late buffer at %" GST_TIME_FORMAT
        " (next window starts at %" GST_TIME_FORMAT ")",
        GST_TIME_ARGS (rt),
        GST_TIME_ARGS (window_start (self, self->next_index)));
  } else {
    if (pad->modality == OMNI_MODALITY_VIDEO && !gap)
      stream_time = GST_BUFFER_PTS_IS_VALID (buf) ? gst_segment_to_stream_time (
                        seg, GST_FORMAT_TIME, GST_BUFFER_PTS (buf))
                                                  : GST_CLOCK_TIME_NONE;
    if (pad->is_text && !gap)
      text = map_text (pad, buf);

    for (k = kmin; k <= kmax; k++) {
      OmniFusionWindow *w = get_window (self, k);
      OmniFusionInput in = { pad->modality, buf, text,
        pad->have_vinfo ? &pad->vinfo : NULL, rt,
        GST_CLOCK_TIME_IS_VALID (dur) ? rt + dur : GST_CLOCK_TIME_NONE,
        stream_time, k == kmax };

      if (gap) {
        w->gap_buffers++;
        continue;
      }
      omni_fusion_window_add (w, self->policy, &in);
    }
  }

  /* Remember the model for provenance. */
  if (!gap) {
    OmniClassMeta *cm = omni_buffer_get_class_meta (buf);

    if (cm && g_strcmp0 (cm->model_id, self->model_id) != 0
        && pad->modality == OMNI_MODALITY_VIDEO) {
      g_free (self->model_id);
      self->model_id = g_strdup (cm->model_id);
    }
  }

  /* Onsets and beats sit at their own exact running time. */
  if (!gap && pad->modality == OMNI_MODALITY_AUDIO) {
    OmniRhythmMeta *rm = omni_buffer_get_rhythm_meta (buf);
    GstClockTime limit = GST_CLOCK_TIME_IS_VALID (GST_BUFFER_DURATION (buf))
                             ? GST_BUFFER_DURATION (buf) + GST_MSECOND
                             : GST_SECOND;

    if (rm && rm->onset && GST_CLOCK_TIME_IS_VALID (rm->onset_offset)
        && rm->onset_offset <= limit) {
      GstClockTime t = pts_offset_running_time (seg, buf, rm->onset_offset);

      if (GST_CLOCK_TIME_IS_VALID (t)) {
        guint64 a = MAX (first_window_of (self, t), self->next_index);

        for (k = a; k <= t / self->cur_hop; k++)
          omni_fusion_window_add_onset (get_window (self, k), t);
      }
    }
    if (rm && rm->beat && GST_CLOCK_TIME_IS_VALID (rm->beat_offset)
        && rm->beat_offset <= limit) {
      GstClockTime t = pts_offset_running_time (seg, buf, rm->beat_offset);

      if (GST_CLOCK_TIME_IS_VALID (t)) {
        guint64 a = MAX (first_window_of (self, t), self->next_index);

        for (k = a; k <= t / self->cur_hop; k++)
          omni_fusion_window_add_beat (get_window (self, k), t);
      }
    }
  }
  g_free (text);
}

static gboolean
check_time_segment (GstOmniFusion *self, GstOmniFusionPad *pad,
    const GstSegment *seg, GstFlowReturn *flow)
{
  if (seg->format == GST_FORMAT_TIME)
    return TRUE;
  GST_ELEMENT_ERROR (self, STREAM, FORMAT, (NULL),
      ("pad %s has a %s segment; omnifusion aligns on time segments only",
          GST_PAD_NAME (pad), gst_format_get_name (seg->format)));
  *flow = GST_FLOW_ERROR;
  return FALSE;
}

/* Pops every buffer of @pad that starts before @end. */
static PadStatus
consume_pad (GstOmniFusion *self, GPtrArray *pads, GstOmniFusionPad *pad,
    GstClockTime end, GstFlowReturn *flow)
{
  GstAggregatorPad *aggpad = GST_AGGREGATOR_PAD (pad);

  for (;;) {
    GstBuffer *buf = gst_aggregator_pad_peek_buffer (aggpad);
    GstClockTime rt, rt_end;
    GstSegment seg;

    if (!buf) {
      if (gst_aggregator_pad_is_eos (aggpad)) {
        gboolean absent;

        g_rec_mutex_lock (&self->absent_lock);
        absent = pad->absent;
        g_rec_mutex_unlock (&self->absent_lock);
        return absent ? PAD_ABSENT : PAD_EOS;
      }
      return PAD_WAITING;
    }

    rt = buffer_running_time (pad, buf, &rt_end, &seg);
    if (!check_time_segment (self, pad, &seg, flow)) {
      gst_buffer_unref (buf);
      return PAD_WAITING;
    }
    if (!GST_CLOCK_TIME_IS_VALID (rt)) {
      GST_LOG_OBJECT (pad, "dropping buffer outside the segment or untimed");
      gst_aggregator_pad_drop_buffer (aggpad);
      gst_buffer_unref (buf);
      continue;
    }
    if (rt >= end) {
      gst_buffer_unref (buf);
      return PAD_AHEAD;
    }
    gst_aggregator_pad_drop_buffer (aggpad);
    add_buffer (self, pads, pad, buf, rt, rt_end, &seg);
    pad->position = GST_CLOCK_TIME_IS_VALID (rt_end) ? rt_end : rt;
    gst_buffer_unref (buf);
  }
}

/* ---- provenance ---------------------------------------------------- */

/* The model's identity (omni_nn_model_identity(): sha256 of model.json
 * and its weight shards), looked up as omnivisionenc does; NULL when the
 * files are not found. Computed once per model id. */
static const gchar *
model_sha256 (GstOmniFusion *self, const gchar *model_id)
{
  GError *err = NULL;
  gchar *sha;

  if (!model_id)
    return NULL;
  if (g_hash_table_contains (self->sha256_cache, model_id))
    return g_hash_table_lookup (self->sha256_cache, model_id);
  sha = omni_nn_model_identity (model_id, &err);
  if (!sha) {
    GST_DEBUG_OBJECT (
        self, "no sha256 for model %s: %s", model_id, err->message);
    g_clear_error (&err);
  }
  g_hash_table_insert (self->sha256_cache, g_strdup (model_id), sha);
  return sha;
}

static gchar *
iso8601 (gint64 usec)
{
  GDateTime *dt, *udt;
  gchar *s;

  if (usec <= 0)
    return NULL;
  dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  udt = g_date_time_add (dt, usec % G_USEC_PER_SEC);
  s = g_date_time_format_iso8601 (udt);
  g_date_time_unref (dt);
  g_date_time_unref (udt);
  return s;
}

/* ---- output -------------------------------------------------------- */

static void
append_json_line (GString *out, JsonObject *o)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  gchar *text;

  json_node_take_object (node, o);
  text = json_to_string (node, FALSE);
  g_string_append (out, text);
  g_string_append_c (out, '\n');
  g_free (text);
  json_node_unref (node);
}

static void
on_segment (gboolean opened, OmniFusionSegment *seg, gpointer user_data)
{
  GstOmniFusion *self = user_data;
  GstStructure *trigger, *prov, *s;
  GString *risks = g_string_new (NULL);
  gchar *wall_opened = iso8601 (seg->wall_opened);
  gchar *wall_closed = opened ? NULL : iso8601 (seg->wall_closed);
  const OmniFusionObservation *first
      = &g_array_index (seg->trigger, OmniFusionObservation, 0);
  const OmniFusionObservation *last = &g_array_index (
      seg->trigger, OmniFusionObservation, seg->trigger->len - 1);
  const gchar *sha = model_sha256 (self, self->model_id);
  JsonObject *o, *jt;
  JsonArray *jrisks;
  guint i;

  jrisks = json_array_new ();
  for (i = 0; i < seg->trigger->len; i++) {
    gdouble r = g_array_index (seg->trigger, OmniFusionObservation, i).risk;

    g_string_append_printf (risks, "%s%.4f", i ? " " : "", r);
    json_array_add_double_element (jrisks, r);
  }

  trigger = gst_structure_new ("trigger", "observations", G_TYPE_UINT,
      seg->trigger->len, "source", G_TYPE_STRING, first->source, "first",
      G_TYPE_UINT64, first->time, "last", G_TYPE_UINT64, last->time, "risks",
      G_TYPE_STRING, risks->str, NULL);
  prov = gst_structure_new ("provenance", "element", G_TYPE_STRING,
      "omnifusion", "element-version", G_TYPE_STRING, VERSION, "model-id",
      G_TYPE_STRING, self->model_id, "model-sha256", G_TYPE_STRING, sha,
      "policy", G_TYPE_STRING, self->policy->source, "policy-sha256",
      G_TYPE_STRING, self->policy->sha256, "wall-clock-opened", G_TYPE_STRING,
      wall_opened, "wall-clock-closed", G_TYPE_STRING, wall_closed, NULL);
  s = gst_structure_new ("omnifusion-segment", "event", G_TYPE_STRING,
      opened ? "opened" : "closed", "id", G_TYPE_UINT, seg->id, "label",
      G_TYPE_STRING, seg->label, "peak-label", G_TYPE_STRING, seg->peak_label,
      "start", G_TYPE_UINT64, seg->start, "end", G_TYPE_UINT64, seg->end,
      "stream-start", G_TYPE_UINT64, seg->stream_start, "stream-end",
      G_TYPE_UINT64, seg->stream_end, "peak-risk", G_TYPE_DOUBLE, seg->peak,
      "mean-risk", G_TYPE_DOUBLE, seg->n ? seg->sum / seg->n : 0.0,
      "observations", G_TYPE_UINT, seg->n, "reason", G_TYPE_STRING,
      seg->close_reason, "trigger", GST_TYPE_STRUCTURE, trigger, "provenance",
      GST_TYPE_STRUCTURE, prov, NULL);

  /* JSON line for the events output. */
  o = json_object_new ();
  json_object_set_string_member (o, "type", "segment");
  json_object_set_int_member (o, "schema", OMNI_FUSION_EVENTS_SCHEMA);
  omni_json_object_set_structure_fields (o, s);
  jt = json_object_get_object_member (o, "trigger");
  json_object_set_array_member (jt, "risks", jrisks);
  if (self->output == OUTPUT_EVENTS)
    append_json_line (self->pending_lines, o);
  else
    json_object_unref (o);

  if (self->cur_post_messages)
    g_ptr_array_add (
        self->pending_messages, gst_message_new_element (GST_OBJECT (self), s));
  else
    gst_structure_free (s);

  GST_OBJECT_LOCK (self);
  if (opened)
    self->stat_segments++;
  GST_OBJECT_UNLOCK (self);

  GST_INFO_OBJECT (self,
      "segment %u %s: %s %" GST_TIME_FORMAT " - %" GST_TIME_FORMAT " peak %.3f",
      seg->id, opened ? "opened" : "closed", seg->label,
      GST_TIME_ARGS (seg->start), GST_TIME_ARGS (seg->end), seg->peak);

  gst_structure_free (trigger);
  gst_structure_free (prov);
  g_string_free (risks, TRUE);
  g_free (wall_opened);
  g_free (wall_closed);
  if (!opened)
    omni_fusion_segment_free (seg);
}

/* A category segment closed: a "category-segment" event line and an
 * omnifusion-category-segment message. */
static void
on_category_segment (const OmniFusionCategorySegment *seg, gpointer user_data)
{
  GstOmniFusion *self = user_data;
  GstStructure *s = gst_structure_new ("omnifusion-category-segment",
      "category", G_TYPE_STRING, seg->category, "start", G_TYPE_UINT64,
      seg->start, "end", G_TYPE_UINT64, seg->end, "duration", G_TYPE_UINT64,
      seg->end - seg->start, "max-confidence", G_TYPE_DOUBLE, seg->max,
      "mean-confidence", G_TYPE_DOUBLE, seg->hits ? seg->sum / seg->hits : 0.0,
      "hits", G_TYPE_UINT, seg->hits, "rules", G_TYPE_STRING, seg->rules->str,
      "matches", G_TYPE_STRING, seg->what->str, NULL);

  if (self->output == OUTPUT_EVENTS) {
    JsonObject *o = json_object_new ();

    json_object_set_string_member (o, "type", "category-segment");
    json_object_set_int_member (o, "schema", OMNI_FUSION_EVENTS_SCHEMA);
    omni_json_object_set_structure_fields (o, s);
    append_json_line (self->pending_lines, o);
  }
  GST_INFO_OBJECT (self,
      "%s segment %" GST_TIME_FORMAT " - %" GST_TIME_FORMAT ": %s",
      seg->category, GST_TIME_ARGS (seg->start), GST_TIME_ARGS (seg->end),
      seg->what->str);
  if (self->cur_post_messages)
    g_ptr_array_add (
        self->pending_messages, gst_message_new_element (GST_OBJECT (self), s));
  else
    gst_structure_free (s);
}

/* pending_messages has no free function: posting takes the reference */
static void
post_pending_messages (GstOmniFusion *self)
{
  guint i;

  for (i = 0; i < self->pending_messages->len; i++)
    gst_element_post_message (
        GST_ELEMENT (self), g_ptr_array_index (self->pending_messages, i));
  g_ptr_array_set_size (self->pending_messages, 0);
}

static const gchar *
state_name (OmniVerdictState state)
{
  switch (state) {
  case OMNI_VERDICT_FLAGGED:
    return "flagged";
  case OMNI_VERDICT_REVIEW:
    return "review";
  case OMNI_VERDICT_OK:
    return "ok";
  case OMNI_VERDICT_ERROR:
  default:
    return "error";
  }
}

/* Per modality: present > missing > idle > eos > unlinked > none. */
static const gchar *
modality_state (GPtrArray *pads, OmniFusionWindow *w, OmniModality m)
{
  static const gchar *names[]
      = { "none", "unlinked", "eos", "idle", "missing" };
  gint best = 0;
  guint i;

  if (w->present & m)
    return "present";
  for (i = 0; i < pads->len; i++) {
    GstOmniFusionPad *pad = g_ptr_array_index (pads, i);
    gint v;

    if (pad->modality != m)
      continue;
    switch (pad->status) {
    case PAD_WAITING:
      v = 4;
      break;
    case PAD_AHEAD:
      v = 3;
      break;
    case PAD_EOS:
      v = 2;
      break;
    case PAD_ABSENT:
    default:
      v = 1;
      break;
    }
    best = MAX (best, v);
  }
  return names[best];
}

static GstFlowReturn
ensure_negotiated (GstOmniFusion *self)
{
  if (self->output != OUTPUT_NONE)
    return GST_FLOW_OK;
  if (!gst_aggregator_negotiate (GST_AGGREGATOR (self))
      || self->output == OUTPUT_NONE) {
    if (GST_PAD_IS_FLUSHING (GST_AGGREGATOR_SRC_PAD (self)))
      return GST_FLOW_FLUSHING;
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("downstream accepts neither text/x-raw,format=utf8 nor "
         "application/x-omni-events"));
    return GST_FLOW_NOT_NEGOTIATED;
  }
  return GST_FLOW_OK;
}

/* The window self->next_index, taken out of the queue (or an empty one). */
static OmniFusionWindow *
pop_window (GstOmniFusion *self)
{
  OmniFusionWindow *head = g_queue_peek_head (&self->windows);

  if (head && head->index == self->next_index)
    return g_queue_pop_head (&self->windows);
  return omni_fusion_window_new (self->next_index,
      window_start (self, self->next_index),
      window_start (self, self->next_index) + self->cur_window);
}

/* What each modality did during a window. */
typedef struct {
  const gchar *video, *audio, *text;
  OmniModality present, missing;
  gchar *missing_str; /* "video, audio" */
} ModalityStates;

static void
modality_states (GPtrArray *pads, OmniFusionWindow *w, ModalityStates *m)
{
  GString *missing = g_string_new (NULL);
  const gchar *states[3];
  static const gchar *names[3] = { "video", "audio", "text" };
  static const OmniModality mods[3]
      = { OMNI_MODALITY_VIDEO, OMNI_MODALITY_AUDIO, OMNI_MODALITY_TEXT };
  guint i;

  m->present = w->present & (mods[0] | mods[1] | mods[2]);
  m->missing = 0;
  for (i = 0; i < 3; i++) {
    states[i] = modality_state (pads, w, mods[i]);
    if (g_str_equal (states[i], "missing")) {
      m->missing |= mods[i];
      g_string_append_printf (
          missing, "%s%s", missing->len ? ", " : "", names[i]);
    }
  }
  m->video = states[0];
  m->audio = states[1];
  m->text = states[2];
  m->missing_str = g_string_free (missing, FALSE);
}

/* Output PTS and duration of a window starting at running time @s, in
 * the source segment. */
static GstClockTime
output_timing (GstOmniFusion *self, GstClockTime s, GstClockTime *dur)
{
  GstAggregatorPad *srcpad = GST_AGGREGATOR_PAD (GST_AGGREGATOR (self)->srcpad);
  GstClockTime pts, pts_end;

  GST_OBJECT_LOCK (self);
  pts = gst_segment_position_from_running_time (
      &srcpad->segment, GST_FORMAT_TIME, s);
  pts_end = gst_segment_position_from_running_time (
      &srcpad->segment, GST_FORMAT_TIME, s + self->cur_hop);
  if (srcpad->segment.rate < 0 && GST_CLOCK_TIME_IS_VALID (pts)) {
    /* reverse playback: the window's media runs from the later running
     * time's position up to the earlier one's (a PTS at the segment stop
     * would be clipped by the sink) */
    GstClockTime lo = GST_CLOCK_TIME_IS_VALID (pts_end)
                          ? pts_end
                          : MIN (pts, srcpad->segment.start);

    pts_end = pts;
    pts = lo;
  }
  GST_OBJECT_UNLOCK (self);
  if (!GST_CLOCK_TIME_IS_VALID (pts))
    pts = s;
  if (!GST_CLOCK_TIME_IS_VALID (pts_end) || pts_end < pts)
    pts_end = pts + self->cur_hop;
  *dur = pts_end - pts;
  return pts;
}

/* The spoken words a category rule flagged, with their spans (for
 * omnicensor's bleeps); NULL when none. JSON only: the meta's evidence is
 * flat. */
static JsonArray *
flagged_words (GstOmniFusion *self, const OmniFusionVerdict *v)
{
  OmniFusionRules *rules = self->policy->rules;
  JsonArray *a = NULL;
  guint i;

  for (i = 0; i < v->hits->len; i++) {
    const OmniFusionHit *h = &g_array_index (v->hits, OmniFusionHit, i);
    OmniFusionRule *r = omni_fusion_rules_get_rule (rules, h->rule);
    OmniFusionCategory *c = omni_fusion_rules_get_category (rules, h->category);
    JsonObject *o;

    if (!r || r->source != OMNI_FUSION_RULE_SPEECH
        || (c && h->risk < c->threshold))
      continue;
    o = json_object_new ();
    json_object_set_string_member (o, "word", h->what);
    json_object_set_int_member (o, "start", (gint64) h->start);
    json_object_set_int_member (o, "end", (gint64) h->end);
    json_object_set_string_member (o, "category", h->category);
    json_object_set_string_member (o, "rule", h->rule);
    json_object_set_double_member (o, "risk", h->risk);
    if (!a)
      a = json_array_new ();
    json_array_add_object_element (a, o);
  }
  return a;
}

static GstBuffer *
events_buffer (GstOmniFusion *self, const GstStructure *msg,
    const ModalityStates *m, const OmniFusionVerdict *v)
{
  JsonArray *words = flagged_words (self, v);
  JsonObject *o = json_object_new (), *mods = json_object_new ();
  GString *lines = self->pending_lines;
  GstBuffer *buf;

  json_object_set_string_member (o, "type", "window");
  json_object_set_int_member (o, "schema", OMNI_FUSION_EVENTS_SCHEMA);
  omni_json_object_set_structure_fields (o, msg);
  json_object_set_string_member (mods, "video", m->video);
  json_object_set_string_member (mods, "audio", m->audio);
  json_object_set_string_member (mods, "text", m->text);
  json_object_set_object_member (o, "modalities", mods);
  json_object_remove_member (o, "video");
  json_object_remove_member (o, "audio");
  json_object_remove_member (o, "text");
  if (words)
    json_object_set_array_member (
        json_object_get_object_member (o, "evidence"), "flagged-words", words);
  append_json_line (lines, o);
  buf = gst_buffer_new_memdup (lines->str, lines->len);
  g_string_truncate (lines, 0);
  return buf;
}

/* An empty window in caption mode: a GAP event, so that textoverlay and
 * webvttenc move on. The mandatory events go first when no buffer has
 * yet. */
static void
push_gap (GstOmniFusion *self, GstClockTime pts, GstClockTime dur)
{
  GstAggregator *agg = GST_AGGREGATOR (self);
  GstCaps *caps = gst_pad_get_current_caps (agg->srcpad);

  if (self->need_segment_event && caps) {
    gst_aggregator_set_src_caps (agg, caps);
    self->need_segment_event = FALSE;
  }
  gst_clear_caps (&caps);
  gst_pad_push_event (agg->srcpad, gst_event_new_gap (pts, dur));
  GST_OBJECT_LOCK (self);
  self->stat_gaps++;
  GST_OBJECT_UNLOCK (self);
}

/* The push step: the window's buffer (or GAP), then its messages. */
static GstFlowReturn
push_window (GstOmniFusion *self, OmniFusionWindow *w,
    const OmniFusionVerdict *v, const GstStructure *evidence,
    const gchar *caption, const ModalityStates *m, GstClockTime stream_start,
    gboolean timed_out)
{
  GstAggregator *agg = GST_AGGREGATOR (self);
  GstAggregatorPad *srcpad = GST_AGGREGATOR_PAD (agg->srcpad);
  GstClockTime dur, pts = output_timing (self, w->start, &dur);
  GstFlowReturn ret = GST_FLOW_OK;
  GstStructure *msg;

  GST_LOG_OBJECT (self,
      "window %" G_GUINT64_FORMAT " [%" GST_TIME_FORMAT ", %" GST_TIME_FORMAT
      ") %s risk %.3f video:%s audio:%s text:%s%s: %s",
      w->index, GST_TIME_ARGS (w->start), GST_TIME_ARGS (w->end),
      state_name (v->state), v->risk, m->video, m->audio, m->text,
      timed_out ? " (timed out)" : "", caption);

  msg = gst_structure_new ("omnifusion", "timestamp", G_TYPE_UINT64, pts,
      "stream-time", G_TYPE_UINT64, stream_start, "running-time", G_TYPE_UINT64,
      w->start, "duration", G_TYPE_UINT64, dur, "window-start", G_TYPE_UINT64,
      w->start, "window-end", G_TYPE_UINT64, w->end, "index", G_TYPE_UINT64,
      w->index, "state", G_TYPE_STRING, state_name (v->state), "label",
      G_TYPE_STRING, v->label, "risk", G_TYPE_DOUBLE, v->risk, "caption",
      G_TYPE_STRING, caption, "present", OMNI_TYPE_MODALITY, m->present,
      "missing", OMNI_TYPE_MODALITY, m->missing, "video", G_TYPE_STRING,
      m->video, "audio", G_TYPE_STRING, m->audio, "text", G_TYPE_STRING,
      m->text, "segment-id", G_TYPE_UINT, v->segment_id, "evidence",
      GST_TYPE_STRUCTURE, evidence, NULL);

  gst_aggregator_selected_samples (agg, pts, GST_CLOCK_TIME_NONE, dur, NULL);

  if (self->output == OUTPUT_CAPTIONS && m->present == 0) {
    push_gap (self, pts, dur);
  } else {
    GstBuffer *buf;
    OmniFusionMeta *meta;

    if (self->output == OUTPUT_CAPTIONS)
      buf = gst_buffer_new_memdup (caption, strlen (caption));
    else
      buf = events_buffer (self, msg, m, v);
    GST_BUFFER_PTS (buf) = pts;
    GST_BUFFER_DURATION (buf) = dur;
    if (w->index == 0 || self->need_segment_event)
      GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
    meta = omni_buffer_add_fusion_meta (
        buf, w->start, w->end, caption, v->state, v->label, v->risk, evidence);
    if (meta) {
      meta->present = m->present;
      meta->missing = m->missing;
    }
    self->need_segment_event = FALSE;
    ret = gst_aggregator_finish_buffer (agg, buf);
  }

  GST_OBJECT_LOCK (self);
  srcpad->segment.position = pts + dur;
  self->stat_windows++;
  if (timed_out && m->missing)
    self->stat_timeouts++;
  GST_OBJECT_UNLOCK (self);

  /* segment messages first, then the window's */
  post_pending_messages (self);
  if (self->cur_post_messages)
    gst_element_post_message (
        GST_ELEMENT (self), gst_message_new_element (GST_OBJECT (self), msg));
  else
    gst_structure_free (msg);
  return ret;
}

/* Emits the window self->next_index and advances: judge, evidence,
 * caption, push. @final closes an open segment at the window's end (all
 * pads ended). */
static GstFlowReturn
emit_window (
    GstOmniFusion *self, GPtrArray *pads, gboolean timed_out, gboolean final)
{
  OmniFusionWindow *w = pop_window (self);
  OmniFusionJudgeInput in;
  OmniFusionVerdict v;
  ModalityStates m;
  GstStructure *evidence;
  gchar *caption;
  GstFlowReturn ret;

  modality_states (pads, w, &m);
  in.stream_start = stream_time_of (self, pads, w->start);
  in.final = final;
  in.stream_end
      = final ? stream_time_of (self, pads, w->end) : GST_CLOCK_TIME_NONE;
  in.hop = self->cur_hop;
  omni_fusion_verdict_init (&v);
  omni_fusion_judge_window (self->judge, w, &in, &v, on_segment, self);
  evidence = omni_fusion_judge_evidence (w, self->policy, &v);
  caption = omni_fusion_caption_for_window (self->caption, w, self->policy, &v,
      self->tracks, m.missing_str, in.stream_start,
      stream_time_of (self, pads, w->start + self->cur_hop));

  ret = push_window (
      self, w, &v, evidence, caption, &m, in.stream_start, timed_out);

  self->next_index++;
  gst_structure_free (evidence);
  g_free (caption);
  g_free (m.missing_str);
  omni_fusion_verdict_clear (&v);
  omni_fusion_window_free (w);
  return ret;
}

static gboolean
deadline_passed (GstOmniFusion *self, GstClockTime s)
{
  GstClockTime latency = gst_aggregator_get_latency (GST_AGGREGATOR (self));
  GstClock *clock = gst_element_get_clock (GST_ELEMENT (self));
  gboolean passed = FALSE;

  if (clock && GST_CLOCK_TIME_IS_VALID (latency)) {
    GstClockTime now = gst_clock_get_time (clock);
    GstClockTime base = gst_element_get_base_time (GST_ELEMENT (self));

    passed = now >= base + s + latency;
  }
  if (clock)
    gst_object_unref (clock);
  return passed;
}

/* Earliest running time at the head of any pad, dropping buffers outside
 * their segment. */
static GstClockTime
earliest_head (GstOmniFusion *self, GPtrArray *pads, GstFlowReturn *flow)
{
  GstClockTime earliest = GST_CLOCK_TIME_NONE;
  guint i;

  for (i = 0; i < pads->len; i++) {
    GstOmniFusionPad *pad = g_ptr_array_index (pads, i);
    GstBuffer *buf;

    while ((buf = gst_aggregator_pad_peek_buffer (GST_AGGREGATOR_PAD (pad)))) {
      GstSegment seg;
      GstClockTime rt = buffer_running_time (pad, buf, NULL, &seg);

      gst_buffer_unref (buf);
      if (!check_time_segment (self, pad, &seg, flow))
        return GST_CLOCK_TIME_NONE;
      if (GST_CLOCK_TIME_IS_VALID (rt)) {
        if (!GST_CLOCK_TIME_IS_VALID (earliest) || rt < earliest)
          earliest = rt;
        break;
      }
      gst_aggregator_pad_drop_buffer (GST_AGGREGATOR_PAD (pad));
    }
  }
  return earliest;
}

static GstFlowReturn
gst_omni_fusion_aggregate (GstAggregator *agg, gboolean timeout)
{
  GstOmniFusion *self = GST_OMNI_FUSION (agg);
  GPtrArray *pads = snapshot_pads (self);
  GstFlowReturn ret;
  guint i;

  if ((ret = ensure_negotiated (self)) != GST_FLOW_OK)
    goto done;

  if (!self->have_origin) {
    GstClockTime first = earliest_head (self, pads, &ret);
    gboolean all_ended = TRUE;

    if (ret != GST_FLOW_OK)
      goto done;
    if (!GST_CLOCK_TIME_IS_VALID (first)) {
      for (i = 0; i < pads->len; i++) {
        if (!gst_aggregator_pad_is_eos (g_ptr_array_index (pads, i)))
          all_ended = FALSE;
      }
      ret = all_ended ? GST_FLOW_EOS : GST_FLOW_OK;
      goto done;
    }
    self->next_index = first_window_of (self, first);
    self->have_origin = TRUE;
    GST_DEBUG_OBJECT (self,
        "first data at %" GST_TIME_FORMAT ", first window %" G_GUINT64_FORMAT,
        GST_TIME_ARGS (first), self->next_index);
  }

  for (;;) {
    GstClockTime s = window_start (self, self->next_index);
    GstClockTime e = s + self->cur_window;
    gboolean all_done = TRUE, all_ended = TRUE;

    for (i = 0; i < pads->len; i++) {
      GstOmniFusionPad *pad = g_ptr_array_index (pads, i);

      pad->status = consume_pad (self, pads, pad, e, &ret);
      if (ret != GST_FLOW_OK)
        goto done;
      if (pad->status == PAD_WAITING)
        all_done = FALSE;
      if (pad->status != PAD_EOS && pad->status != PAD_ABSENT)
        all_ended = FALSE;
    }

    if (!all_done) {
      if (timeout && deadline_passed (self, s)) {
        ret = emit_window (self, pads, TRUE, FALSE);
        if (ret != GST_FLOW_OK)
          goto done;
        continue;
      }
      break;
    }

    if (all_ended) {
      guint n = g_queue_get_length (&self->windows);

      if (n == 0
          && !omni_fusion_hysteresis_is_flagged (
              omni_fusion_judge_get_hysteresis (self->judge))) {
        GST_DEBUG_OBJECT (self, "all pads ended");
        ret = GST_FLOW_EOS;
        goto done;
      }
      ret = emit_window (self, pads, FALSE,
          n == 0
              || (n == 1
                  && ((OmniFusionWindow *) g_queue_peek_head (&self->windows))
                             ->index
                         == self->next_index));
    } else {
      ret = emit_window (self, pads, FALSE, FALSE);
    }
    if (ret != GST_FLOW_OK)
      goto done;
  }

done:
  g_ptr_array_unref (pads);
  return ret;
}

/* Live only (the base class ignores it otherwise): when to give up
 * waiting for the pads that have no data. Two deadlines:
 *  - the current window's start; the base class adds the latency (which
 *    holds one window), so the window is emitted once its end + upstream
 *    latency + the latency property has passed;
 *  - for a buffer already queued that belongs to the current window, its
 *    own running time (minus the window, for the same reason): it is then
 *    consumed as it arrives, so a stalled branch never makes the healthy
 *    ones back up in GstAggregator's short live queues. */
static GstClockTime
gst_omni_fusion_get_next_time (GstAggregator *agg)
{
  GstOmniFusion *self = GST_OMNI_FUSION (agg);
  GstClockTime earliest = GST_CLOCK_TIME_NONE, s, next;
  GList *l;

  if (self->cur_hop == 0)
    return GST_CLOCK_TIME_NONE;

  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT_CAST (self)->sinkpads; l; l = l->next) {
    GstOmniFusionPad *pad = l->data;
    GstBuffer *buf = gst_aggregator_pad_peek_buffer (GST_AGGREGATOR_PAD (pad));
    GstClockTime rt;

    if (!buf)
      continue;
    rt = buffer_running_time (pad, buf, NULL, NULL);
    gst_buffer_unref (buf);
    if (GST_CLOCK_TIME_IS_VALID (rt)
        && (!GST_CLOCK_TIME_IS_VALID (earliest) || rt < earliest))
      earliest = rt;
  }
  GST_OBJECT_UNLOCK (self);

  if (self->have_origin)
    s = window_start (self, self->next_index);
  else if (GST_CLOCK_TIME_IS_VALID (earliest))
    s = window_start (self, first_window_of (self, earliest));
  else
    return GST_CLOCK_TIME_NONE;

  next = s;
  if (GST_CLOCK_TIME_IS_VALID (earliest) && earliest < s + self->cur_window) {
    GstClockTime consume
        = earliest > self->cur_window ? earliest - self->cur_window : 0;

    next = MIN (next, consume);
  }
  return next;
}

/* ---- events, queries, caps ----------------------------------------- */

static gboolean
markup_caps (const GstStructure *s)
{
  return g_strcmp0 (gst_structure_get_string (s, "format"), "pango-markup")
         == 0;
}

static gboolean
gst_omni_fusion_sink_event (
    GstAggregator *agg, GstAggregatorPad *aggpad, GstEvent *event)
{
  GstOmniFusion *self = GST_OMNI_FUSION (agg);
  GstOmniFusionPad *pad = GST_OMNI_FUSION_PAD (aggpad);

  switch (GST_EVENT_TYPE (event)) {
  case GST_EVENT_FLUSH_START:
  case GST_EVENT_FLUSH_STOP:
    forward_flush_to_absent (self, aggpad, event);
    break;
  case GST_EVENT_CAPS: {
    GstCaps *caps;
    const GstStructure *st;
    const gchar *name;

    gst_event_parse_caps (event, &caps);
    st = gst_caps_get_structure (caps, 0);
    name = gst_structure_get_name (st);
    pad->is_text = FALSE;
    pad->is_markup = FALSE;
    pad->rate = pad->bpf = 0;
    pad->frame_duration = GST_CLOCK_TIME_NONE;
    if (pad == self->video_pad || g_str_has_prefix (name, "video/")) {
      gint n, d;

      pad->modality = OMNI_MODALITY_VIDEO;
      pad->have_vinfo = gst_video_info_from_caps (&pad->vinfo, caps);
      if (gst_structure_get_fraction (st, "framerate", &n, &d) && n > 0
          && d > 0)
        pad->frame_duration = gst_util_uint64_scale_int (GST_SECOND, d, n);
    } else if (pad == self->audio_pad || g_str_has_prefix (name, "audio/")) {
      GstAudioInfo info;

      pad->modality = OMNI_MODALITY_AUDIO;
      if (gst_audio_info_from_caps (&info, caps)) {
        pad->rate = GST_AUDIO_INFO_RATE (&info);
        pad->bpf = GST_AUDIO_INFO_BPF (&info);
      }
    } else if (g_str_has_prefix (name, "text/")
               || g_str_has_prefix (name, "application/x-subtitle")) {
      pad->modality = OMNI_MODALITY_TEXT;
      pad->is_text = TRUE;
      pad->is_markup = markup_caps (st);
    } else {
      pad->modality = 0;
    }
    GST_DEBUG_OBJECT (
        pad, "caps %" GST_PTR_FORMAT ": modality %u", caps, pad->modality);
    break;
  }
  default:
    break;
  }
  return GST_AGGREGATOR_CLASS (parent_class)->sink_event (agg, aggpad, event);
}

static GstFlowReturn
gst_omni_fusion_sink_event_pre_queue (
    GstAggregator *agg, GstAggregatorPad *aggpad, GstEvent *event)
{
  GstOmniFusion *self = GST_OMNI_FUSION (agg);

  if (GST_EVENT_TYPE (event) == GST_EVENT_STREAM_START)
    check_absent_pads (self, aggpad);
  return GST_AGGREGATOR_CLASS (parent_class)
      ->sink_event_pre_queue (agg, aggpad, event);
}

static gboolean
gst_omni_fusion_negotiated_src_caps (GstAggregator *agg, GstCaps *caps)
{
  GstOmniFusion *self = GST_OMNI_FUSION (agg);
  const GstStructure *s = gst_caps_get_structure (caps, 0);

  if (gst_structure_has_name (s, "application/x-omni-events"))
    self->output = OUTPUT_EVENTS;
  else if (gst_structure_has_name (s, "text/x-raw"))
    self->output = OUTPUT_CAPTIONS;
  else
    return FALSE;
  GST_INFO_OBJECT (self, "output: %" GST_PTR_FORMAT, caps);
  return TRUE;
}

static GstCaps *
gst_omni_fusion_fixate_src_caps (GstAggregator *agg, GstCaps *caps)
{
  caps = gst_caps_make_writable (caps);
  caps = gst_caps_truncate (caps);
  return gst_caps_fixate (caps);
}

/* ---- state --------------------------------------------------------- */

static void
reset_stream (GstOmniFusion *self, const gchar *close_reason)
{
  if (self->judge
      && omni_fusion_hysteresis_is_flagged (
          omni_fusion_judge_get_hysteresis (self->judge))) {
    GPtrArray *pads = snapshot_pads (self);
    GstClockTime end = window_start (self, self->next_index);

    omni_fusion_judge_close (self->judge, end, stream_time_of (self, pads, end),
        close_reason, on_segment, self);
    post_pending_messages (self);
    g_ptr_array_unref (pads);
  }
  if (self->judge) {
    /* category segments that were open end at their last hit */
    omni_fusion_judge_close_categories (self->judge);
    post_pending_messages (self);
  }
  g_queue_clear_full (&self->windows, (GDestroyNotify) omni_fusion_window_free);
  self->have_origin = FALSE;
  self->next_index = 0;
  if (self->judge)
    omni_fusion_judge_reset (self->judge);
  omni_fusion_tracks_reset (self->tracks);
  self->need_segment_event = TRUE;
}

static gboolean
gst_omni_fusion_start (GstAggregator *agg)
{
  GstOmniFusion *self = GST_OMNI_FUSION (agg);
  GError *err = NULL;
  gchar *location, *format;
  gdouble enter, exit;
  guint enter_frames, exit_frames;
  OmniFusionPolicySet set;

  GST_OBJECT_LOCK (self);
  location = g_strdup (self->policy_location);
  format = g_strdup (self->caption_format);
  self->cur_window = self->window;
  self->cur_hop = self->hop ? self->hop : self->window;
  self->cur_post_messages = self->post_messages;
  enter = self->enter_threshold;
  exit = self->exit_threshold;
  enter_frames = self->enter_frames;
  exit_frames = self->exit_frames;
  set = self->props_set;
  GST_OBJECT_UNLOCK (self);

  if (self->cur_hop > self->cur_window) {
    GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS, (NULL),
        ("window-hop (%" GST_TIME_FORMAT
         ") is longer than window (%" GST_TIME_FORMAT
         "): buffers between windows would be lost",
            GST_TIME_ARGS (self->cur_hop), GST_TIME_ARGS (self->cur_window)));
    goto fail;
  }

  if (location) {
    self->policy = omni_fusion_policy_load (location, &err);
    if (!self->policy) {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          ("Invalid policy file: %s", err->message),
          ("policy=%s: %s", location, err->message));
      g_clear_error (&err);
      goto fail;
    }
  } else {
    self->policy = omni_fusion_policy_new_default ();
  }
  self->caption = omni_fusion_caption_template_parse (format, &err);
  if (!self->caption) {
    GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS, ("%s", err->message),
        ("caption-format=\"%s\": %s", format, err->message));
    g_clear_error (&err);
    goto fail;
  }

  /* properties the application set win over the policy file */
  if (!(self->policy->set & OMNI_FUSION_POLICY_SET_ENTER_THRESHOLD)
      || (set & OMNI_FUSION_POLICY_SET_ENTER_THRESHOLD))
    self->policy->enter_threshold = enter;
  if (!(self->policy->set & OMNI_FUSION_POLICY_SET_EXIT_THRESHOLD)
      || (set & OMNI_FUSION_POLICY_SET_EXIT_THRESHOLD))
    self->policy->exit_threshold = exit;
  if (!(self->policy->set & OMNI_FUSION_POLICY_SET_ENTER_FRAMES)
      || (set & OMNI_FUSION_POLICY_SET_ENTER_FRAMES))
    self->policy->enter_frames = enter_frames;
  if (!(self->policy->set & OMNI_FUSION_POLICY_SET_EXIT_FRAMES)
      || (set & OMNI_FUSION_POLICY_SET_EXIT_FRAMES))
    self->policy->exit_frames = exit_frames;
  if (self->policy->exit_threshold > self->policy->enter_threshold) {
    GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS, (NULL),
        ("exit-threshold %g is above enter-threshold %g",
            self->policy->exit_threshold, self->policy->enter_threshold));
    goto fail;
  }
  self->judge = omni_fusion_judge_new (self->policy,
      self->policy->enter_threshold, self->policy->exit_threshold,
      self->policy->enter_frames, self->policy->exit_frames);
  omni_fusion_judge_set_category_func (self->judge, on_category_segment, self);
  GST_OBJECT_LOCK (self);
  self->have_effective = TRUE;
  self->eff_enter_threshold = self->policy->enter_threshold;
  self->eff_exit_threshold = self->policy->exit_threshold;
  self->eff_enter_frames = self->policy->enter_frames;
  self->eff_exit_frames = self->policy->exit_frames;
  GST_OBJECT_UNLOCK (self);

  self->output = OUTPUT_NONE;
  reset_stream (self, NULL);
  g_string_truncate (self->pending_lines, 0);
  GST_OBJECT_LOCK (self);
  self->stat_windows = self->stat_gaps = self->stat_late = 0;
  self->stat_timeouts = self->stat_segments = 0;
  GST_OBJECT_UNLOCK (self);

  /* A window is complete one window length after it starts. */
  gst_aggregator_set_latency (agg, self->cur_window, self->cur_window);

  g_free (location);
  g_free (format);
  return TRUE;

fail:
  g_clear_pointer (&self->policy, omni_fusion_policy_free);
  g_clear_pointer (&self->caption, omni_fusion_caption_template_free);
  g_free (location);
  g_free (format);
  return FALSE;
}

static gboolean
gst_omni_fusion_stop (GstAggregator *agg)
{
  GstOmniFusion *self = GST_OMNI_FUSION (agg);
  GList *l;

  reset_stream (self, "stop");
  GST_OBJECT_LOCK (self);
  self->have_effective = FALSE;
  GST_OBJECT_UNLOCK (self);
  g_clear_pointer (&self->judge, omni_fusion_judge_free);
  g_clear_pointer (&self->policy, omni_fusion_policy_free);
  g_clear_pointer (&self->caption, omni_fusion_caption_template_free);
  g_clear_pointer (&self->model_id, g_free);
  g_hash_table_remove_all (self->sha256_cache);
  g_string_truncate (self->pending_lines, 0);
  self->output = OUTPUT_NONE;

  g_rec_mutex_lock (&self->absent_lock);
  self->absent_checked = FALSE;
  GST_OBJECT_LOCK (self);
  for (l = GST_ELEMENT_CAST (self)->sinkpads; l; l = l->next)
    GST_OMNI_FUSION_PAD (l->data)->absent = FALSE;
  GST_OBJECT_UNLOCK (self);
  g_rec_mutex_unlock (&self->absent_lock);
  return TRUE;
}

static GstFlowReturn
gst_omni_fusion_flush (GstAggregator *agg)
{
  GstOmniFusion *self = GST_OMNI_FUSION (agg);

  GST_DEBUG_OBJECT (self, "flush");
  reset_stream (self, "flush");
  if (self->judge)
    omni_fusion_judge_reset (self->judge);
  return GST_FLOW_OK;
}

/* ---- properties ---------------------------------------------------- */

static void
gst_omni_fusion_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstOmniFusion *self = GST_OMNI_FUSION (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_WINDOW:
    self->window = g_value_get_uint64 (value);
    break;
  case PROP_WINDOW_HOP:
    self->hop = g_value_get_uint64 (value);
    break;
  case PROP_ENTER_THRESHOLD:
    self->enter_threshold = g_value_get_double (value);
    self->props_set |= OMNI_FUSION_POLICY_SET_ENTER_THRESHOLD;
    break;
  case PROP_EXIT_THRESHOLD:
    self->exit_threshold = g_value_get_double (value);
    self->props_set |= OMNI_FUSION_POLICY_SET_EXIT_THRESHOLD;
    break;
  case PROP_ENTER_FRAMES:
    self->enter_frames = g_value_get_uint (value);
    self->props_set |= OMNI_FUSION_POLICY_SET_ENTER_FRAMES;
    break;
  case PROP_EXIT_FRAMES:
    self->exit_frames = g_value_get_uint (value);
    self->props_set |= OMNI_FUSION_POLICY_SET_EXIT_FRAMES;
    break;
  case PROP_POLICY:
    g_free (self->policy_location);
    self->policy_location = g_value_dup_string (value);
    if (self->policy_location && !*self->policy_location)
      g_clear_pointer (&self->policy_location, g_free);
    break;
  case PROP_CAPTION_FORMAT:
    g_free (self->caption_format);
    self->caption_format = g_value_dup_string (value);
    if (!self->caption_format)
      self->caption_format = g_strdup (OMNI_FUSION_CAPTION_DEFAULT_FORMAT);
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
gst_omni_fusion_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstOmniFusion *self = GST_OMNI_FUSION (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_WINDOW:
    g_value_set_uint64 (value, self->window);
    break;
  case PROP_WINDOW_HOP:
    g_value_set_uint64 (value, self->hop);
    break;
  /* While running: the values in effect, from the policy file unless the
   * application set them. */
  case PROP_ENTER_THRESHOLD:
    g_value_set_double (value, self->have_effective ? self->eff_enter_threshold
                                                    : self->enter_threshold);
    break;
  case PROP_EXIT_THRESHOLD:
    g_value_set_double (value,
        self->have_effective ? self->eff_exit_threshold : self->exit_threshold);
    break;
  case PROP_ENTER_FRAMES:
    g_value_set_uint (value,
        self->have_effective ? self->eff_enter_frames : self->enter_frames);
    break;
  case PROP_EXIT_FRAMES:
    g_value_set_uint (value,
        self->have_effective ? self->eff_exit_frames : self->exit_frames);
    break;
  case PROP_POLICY:
    g_value_set_string (value, self->policy_location);
    break;
  case PROP_CAPTION_FORMAT:
    g_value_set_string (value, self->caption_format);
    break;
  case PROP_POST_MESSAGES:
    g_value_set_boolean (value, self->post_messages);
    break;
  case PROP_STATS:
    g_value_take_boxed (value,
        gst_structure_new ("omnifusion-stats", "windows", G_TYPE_UINT64,
            self->stat_windows, "gap-windows", G_TYPE_UINT64, self->stat_gaps,
            "late-buffers", G_TYPE_UINT64, self->stat_late, "timed-out-windows",
            G_TYPE_UINT64, self->stat_timeouts, "segments", G_TYPE_UINT64,
            self->stat_segments, NULL));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_fusion_finalize (GObject *object)
{
  GstOmniFusion *self = GST_OMNI_FUSION (object);

  g_queue_clear_full (&self->windows, (GDestroyNotify) omni_fusion_window_free);
  omni_fusion_judge_free (self->judge);
  omni_fusion_policy_free (self->policy);
  omni_fusion_caption_template_free (self->caption);
  g_free (self->policy_location);
  g_free (self->caption_format);
  g_free (self->model_id);
  g_hash_table_unref (self->sha256_cache);
  omni_fusion_tracks_free (self->tracks);
  g_string_free (self->pending_lines, TRUE);
  g_ptr_array_foreach (self->pending_messages,
      (GFunc) (void (*) (void)) gst_message_unref, NULL);
  g_ptr_array_unref (self->pending_messages);
  g_rec_mutex_clear (&self->absent_lock);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_omni_fusion_class_init (GstOmniFusionClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstAggregatorClass *agg_class = GST_AGGREGATOR_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_omni_fusion_debug, "omnifusion", 0,
      "omnifusion: multimodal windows, moderation and captions");

  gobject_class->set_property = gst_omni_fusion_set_property;
  gobject_class->get_property = gst_omni_fusion_get_property;
  gobject_class->finalize = gst_omni_fusion_finalize;

  /**
   * GstOmniFusion:window:
   *
   * Length of a window in nanoseconds of running time.
   */
  g_object_class_install_property (gobject_class, PROP_WINDOW,
      g_param_spec_uint64 ("window", "Window",
          "Window length in nanoseconds of running time", MIN_WINDOW,
          MAX_WINDOW, DEFAULT_WINDOW,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniFusion:window-hop:
   *
   * Distance between window starts in nanoseconds; 0 means the window
   * length (windows side by side). Shorter hops give overlapping windows;
   * longer ones are refused.
   */
  g_object_class_install_property (gobject_class, PROP_WINDOW_HOP,
      g_param_spec_uint64 ("window-hop", "Window hop",
          "Distance between window starts in nanoseconds (0 = window)", 0,
          MAX_WINDOW, DEFAULT_WINDOW_HOP,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniFusion:enter-threshold:
   *
   * Risk at or above which an observation counts towards opening a
   * flagged segment. Overrides the policy file's value when set. While
   * the element runs (READY to PAUSED and above) it reads as the value in
   * effect, the policy file's when the application did not set it; the
   * same holds for exit-threshold, enter-frames and exit-frames.
   */
  g_object_class_install_property (gobject_class, PROP_ENTER_THRESHOLD,
      g_param_spec_double ("enter-threshold", "Enter threshold",
          "Risk at or above which observations count towards flagging", 0, 1,
          DEFAULT_ENTER_THRESHOLD,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniFusion:exit-threshold:
   *
   * Risk below which an observation counts towards closing a segment;
   * between exit and enter threshold a window is "review".
   */
  g_object_class_install_property (gobject_class, PROP_EXIT_THRESHOLD,
      g_param_spec_double ("exit-threshold", "Exit threshold",
          "Risk below which observations count towards unflagging", 0, 1,
          DEFAULT_EXIT_THRESHOLD,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniFusion:enter-frames:
   *
   * Consecutive observations at or above enter-threshold that open a
   * segment (N).
   */
  g_object_class_install_property (gobject_class, PROP_ENTER_FRAMES,
      g_param_spec_uint ("enter-frames", "Enter frames",
          "Consecutive observations above enter-threshold to flag", 1, 100000,
          DEFAULT_ENTER_FRAMES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniFusion:exit-frames:
   *
   * Consecutive observations below exit-threshold that close a segment
   * (M).
   */
  g_object_class_install_property (gobject_class, PROP_EXIT_FRAMES,
      g_param_spec_uint ("exit-frames", "Exit frames",
          "Consecutive observations below exit-threshold to unflag", 1, 100000,
          DEFAULT_EXIT_FRAMES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniFusion:policy:
   *
   * A policy file (keyfile or JSON, see docs/policy.md); NULL for the
   * built-in policy. Read when the element goes to PAUSED; a file that
   * does not parse fails the state change with an error naming the line.
   */
  g_object_class_install_property (gobject_class, PROP_POLICY,
      g_param_spec_string ("policy", "Policy", "Policy file (keyfile or JSON)",
          NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniFusion:caption-format:
   *
   * Template of the captions: {sentence} (the default: the window in
   * sentences, most salient first), its parts {objects}, {faces},
   * {tracks}, {speech}, {screen-text}, {scene}, and {visual}, {classes},
   * {audio}, {audio-kind}, {tempo}, {loudness}, {transcript}, {verdict},
   * {state}, {label}, {risk}, {start}, {end}, {missing}, {index}; [ ... ]
   * is left out when a placeholder in it is empty; \ escapes.
   */
  g_object_class_install_property (gobject_class, PROP_CAPTION_FORMAT,
      g_param_spec_string ("caption-format", "Caption format",
          "Caption template ({sentence}, {objects}, {speech}, {verdict}, ...; "
          "[optional group])",
          OMNI_FUSION_CAPTION_DEFAULT_FORMAT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniFusion:post-messages:
   *
   * Post `omnifusion` and `omnifusion-segment` element messages.
   */
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post omnifusion and omnifusion-segment element messages",
          DEFAULT_POST_MESSAGES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniFusion:stats:
   *
   * Counters since the last READY→PAUSED: "windows", "gap-windows",
   * "late-buffers", "timed-out-windows" (emitted on the live deadline with
   * a modality missing), "segments" (guint64 each).
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics", "Counters", GST_TYPE_STRUCTURE,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template_with_gtype (
      element_class, &src_template, GST_TYPE_AGGREGATOR_PAD);
  gst_element_class_add_static_pad_template_with_gtype (
      element_class, &video_template, GST_TYPE_OMNI_FUSION_PAD);
  gst_element_class_add_static_pad_template_with_gtype (
      element_class, &audio_template, GST_TYPE_OMNI_FUSION_PAD);
  gst_element_class_add_static_pad_template_with_gtype (
      element_class, &extra_template, GST_TYPE_OMNI_FUSION_PAD);

  gst_element_class_set_static_metadata (element_class, "Omni fusion",
      "Filter/Analyzer/Video/Audio",
      "Aligns video, audio and text evidence on running time into windows, "
      "with moderation verdicts and captions",
      "gst-omni");

  agg_class->aggregate = GST_DEBUG_FUNCPTR (gst_omni_fusion_aggregate);
  agg_class->get_next_time = GST_DEBUG_FUNCPTR (gst_omni_fusion_get_next_time);
  agg_class->sink_event = GST_DEBUG_FUNCPTR (gst_omni_fusion_sink_event);
  agg_class->sink_event_pre_queue
      = GST_DEBUG_FUNCPTR (gst_omni_fusion_sink_event_pre_queue);
  agg_class->negotiated_src_caps
      = GST_DEBUG_FUNCPTR (gst_omni_fusion_negotiated_src_caps);
  agg_class->fixate_src_caps
      = GST_DEBUG_FUNCPTR (gst_omni_fusion_fixate_src_caps);
  agg_class->start = GST_DEBUG_FUNCPTR (gst_omni_fusion_start);
  agg_class->stop = GST_DEBUG_FUNCPTR (gst_omni_fusion_stop);
  agg_class->flush = GST_DEBUG_FUNCPTR (gst_omni_fusion_flush);

  gst_type_mark_as_plugin_api (GST_TYPE_OMNI_FUSION_PAD, 0);
}

static void
gst_omni_fusion_init (GstOmniFusion *self)
{
  GstPadTemplate *templ;

  self->window = DEFAULT_WINDOW;
  self->hop = DEFAULT_WINDOW_HOP;
  self->enter_threshold = DEFAULT_ENTER_THRESHOLD;
  self->exit_threshold = DEFAULT_EXIT_THRESHOLD;
  self->enter_frames = DEFAULT_ENTER_FRAMES;
  self->exit_frames = DEFAULT_EXIT_FRAMES;
  self->caption_format = g_strdup (OMNI_FUSION_CAPTION_DEFAULT_FORMAT);
  self->post_messages = DEFAULT_POST_MESSAGES;
  self->cur_window = self->cur_hop = DEFAULT_WINDOW;

  g_rec_mutex_init (&self->absent_lock);
  g_queue_init (&self->windows);
  self->pending_lines = g_string_new (NULL);
  self->pending_messages = g_ptr_array_new ();
  self->tracks = omni_fusion_tracks_new ();
  self->sha256_cache
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  templ = gst_element_class_get_pad_template (
      GST_ELEMENT_GET_CLASS (self), "video");
  self->video_pad = g_object_new (GST_TYPE_OMNI_FUSION_PAD, "name", "video",
      "direction", GST_PAD_SINK, "template", templ, NULL);
  gst_element_add_pad (GST_ELEMENT (self), GST_PAD (self->video_pad));
  self->video_pad->modality = OMNI_MODALITY_VIDEO;

  templ = gst_element_class_get_pad_template (
      GST_ELEMENT_GET_CLASS (self), "audio");
  self->audio_pad = g_object_new (GST_TYPE_OMNI_FUSION_PAD, "name", "audio",
      "direction", GST_PAD_SINK, "template", templ, NULL);
  gst_element_add_pad (GST_ELEMENT (self), GST_PAD (self->audio_pad));
  self->audio_pad->modality = OMNI_MODALITY_AUDIO;
}
