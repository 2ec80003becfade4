/* gst-omni: omnicensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-omnicensor
 * @title: omnicensor
 * @short_description: blurs, pixelates and bleeps what omnifusion flagged,
 *   behind a fixed delay
 *
 * omnicensor holds the media it is given for a fixed #GstOmniCensor:delay
 * (reported in the LATENCY query) while the analysis decides about it, and
 * changes what the verdicts say must not air:
 *
 * - `video_sink` → `video_src` (raw 8-bit video): frames in a flagged
 *   segment whose trigger is video, or in a window whose analysis failed
 *   (fail closed), get #GstOmniCensor:video-action (blur, pixelate or
 *   black) at #GstOmniCensor:strength; frames in a review window get
 *   #GstOmniCensor:review-action at a quarter of the strength; the boxes
 *   (#GstVideoRegionOfInterestMeta) whose label is in
 *   #GstOmniCensor:regions get the video action on every frame, boxes of
 *   frames that were not analysed interpolated between the analysed frames
 *   around them (by track id, see omnidetect);
 * - `audio_sink` → `audio_src` (S16LE or F32LE, any rate and channels):
 *   flagged spoken words (the window evidence's `flagged-words` spans) get
 *   #GstOmniCensor:audio-action (a 1 kHz bleep or silence) over their exact
 *   span, flagged segments whose trigger is audio or text are muted, with
 *   #GstOmniCensor:fade-ms raised-cosine fades inside each span;
 * - `verdict_sink`: omnifusion's output: `application/x-omni-events` (the
 *   JSON lines of docs/events-schema.md; segments give exact spans), or
 *   any buffers carrying #OmniFusionMeta (whole flagged windows).
 *
 * A media buffer leaves when the verdicts cover its end (omnifusion emitted
 * the window holding it), when the verdict stream ended, or, live, when the
 * clock reaches its running time + delay; media no verdict covers is then
 * censored unless #GstOmniCensor:unjudged-action is `pass` (fail closed).
 * Every buffer that enters comes
 * out, in order, with its timestamps and metas; what no verdict touches is
 * not modified (not even copied). A verdict that arrives after the media it
 * flags has left is applied to what is still held, posted as a warning
 * with the miss in ms and counted in #GstOmniCensor:stats.
 *
 * Non-live, omnicensor holds at most #GstOmniCensor:delay of each stream
 * and then blocks upstream until verdicts arrive: put a `queue` after the
 * tee that feeds it and keep the delay above the analysis' look-ahead
 * (omnifusion's window plus the sampling interval).
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=in.mkv ! decodebin name=d \
 *   omnicensor name=c delay=3000000000 regions=face \
 *   omnifusion name=f ! application/x-omni-events ! c.verdict_sink \
 *   d. ! videoconvert ! omnisampler ! omnidetect model=blazeface ! tee name=v \
 *     v. ! queue ! omnivisionenc ! f.video \
 *     v. ! queue max-size-time=5000000000 max-size-bytes=0 max-size-buffers=0 \
 *        ! c.video_sink  c.video_src ! videoconvert ! autovideosink \
 *   d. ! audioconvert ! audioresample ! tee name=a \
 *     a. ! queue ! omnispeech ! f.audio \
 *     a. ! queue max-size-time=5000000000 max-size-bytes=0 max-size-buffers=0 \
 *        ! c.audio_sink  c.audio_src ! audioconvert ! autoaudiosink
 * ]|
 *
 * ## Messages
 * A warning (GST_ELEMENT_WARNING, #GST_STREAM_ERROR_FAILED) for every
 * verdict that came too late, with the miss in ms in its debug string.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstomnicensor.h"
#include "omnicensorhold.h"
#include "omnicensorspans.h"
#include "omnicensorvideo.h"
#include "omnicensoraudio.h"

#include <gst/video/video.h>
#include <gst/audio/audio.h>
#include <omni/meta/omnifusionmeta.h>
#include <omni/meta/omnisamplemeta.h>
#include <string.h>

GST_DEBUG_CATEGORY (gst_omni_censor_debug);
#define GST_CAT_DEFAULT gst_omni_censor_debug

#define DEFAULT_DELAY (3 * GST_SECOND)
#define DEFAULT_VIDEO_ACTION OMNI_CENSOR_VIDEO_BLUR
#define DEFAULT_REVIEW_ACTION OMNI_CENSOR_VIDEO_NONE
#define DEFAULT_STRENGTH 32
#define DEFAULT_AUDIO_ACTION OMNI_CENSOR_AUDIO_BLEEP
#define DEFAULT_FADE_MS 5
#define BLEEP_FREQUENCY_HZ 1000.0

enum {
  PROP_0,
  PROP_DELAY,
  PROP_VIDEO_ACTION,
  PROP_STRENGTH,
  PROP_REVIEW_ACTION,
  PROP_REGIONS,
  PROP_AUDIO_ACTION,
  PROP_FADE_MS,
  PROP_UNJUDGED_ACTION,
  PROP_STATS,
};

struct _GstOmniCensor {
  GstElement parent;

  GMutex lock;
  GCond cond;
  OmniCensorHold *video, *audio;
  GstPad *verdict_pad;
  OmniCensorSpans *spans;
  gboolean verdict_eos, verdict_json;
  GArray *scratch; /* OmniCensorSpan, the audio buffer's spans */
  GArray *boxes;   /* OmniCensorBox, the video frame's regions */

  /* properties, under the object lock */
  GstClockTime delay;
  OmniCensorVideoAction video_action, review_action;
  guint strength;
  gchar **regions;
  OmniCensorAudioAction audio_action;
  guint fade_ms;
  gboolean censor_unjudged; /* unjudged-action=censor */

  /* statistics, under lock */
  guint64 frames, frames_censored, region_boxes, audio_buffers, audio_censored,
      late_verdicts, unjudged;
  gdouble max_miss_ms;
};

G_DEFINE_TYPE (GstOmniCensor, gst_omni_censor, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (
    omnicensor, "omnicensor", GST_RANK_NONE, GST_TYPE_OMNI_CENSOR);

static GstStaticPadTemplate video_sink_template
    = GST_STATIC_PAD_TEMPLATE ("video_sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (OMNI_CENSOR_VIDEO_FORMATS)));
static GstStaticPadTemplate video_src_template
    = GST_STATIC_PAD_TEMPLATE ("video_src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (OMNI_CENSOR_VIDEO_FORMATS)));
static GstStaticPadTemplate audio_sink_template
    = GST_STATIC_PAD_TEMPLATE ("audio_sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_AUDIO_CAPS_MAKE (
            OMNI_CENSOR_AUDIO_FORMATS) ", layout = (string) interleaved"));
static GstStaticPadTemplate audio_src_template
    = GST_STATIC_PAD_TEMPLATE ("audio_src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_AUDIO_CAPS_MAKE (
            OMNI_CENSOR_AUDIO_FORMATS) ", layout = (string) interleaved"));
static GstStaticPadTemplate verdict_sink_template = GST_STATIC_PAD_TEMPLATE (
    "verdict_sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

static GType
video_action_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { OMNI_CENSOR_VIDEO_NONE, "Leave the picture as it is", "none" },
    { OMNI_CENSOR_VIDEO_BLUR, "Blur (radius = strength)", "blur" },
    { OMNI_CENSOR_VIDEO_PIXELATE, "Pixelate (blocks of strength pixels)",
        "pixelate" },
    { OMNI_CENSOR_VIDEO_BLACK, "Black", "black" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (
        &type, g_enum_register_static ("GstOmniCensorVideoAction", values));
  return type;
}

static GType
unjudged_action_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { FALSE, "Let it pass as it is", "pass" },
    { TRUE, "Censor it as flagged (fail closed)", "censor" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (
        &type, g_enum_register_static ("GstOmniCensorUnjudgedAction", values));
  return type;
}

static GType
audio_action_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { OMNI_CENSOR_AUDIO_BLEEP, "A 1 kHz tone", "bleep" },
    { OMNI_CENSOR_AUDIO_MUTE, "Silence", "mute" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (
        &type, g_enum_register_static ("GstOmniCensorAudioAction", values));
  return type;
}

/* ---- verdicts ---- */

/* A verdict that flags media already gone: warn with the miss and count
 * it. Called with the lock held. */
static void
check_late (GstOmniCensor *self, GstClockTime earliest)
{
  GstClockTime gone = GST_CLOCK_TIME_NONE, v, a;

  if (!GST_CLOCK_TIME_IS_VALID (earliest))
    return;
  v = omni_censor_hold_released_end (self->video);
  a = omni_censor_hold_released_end (self->audio);
  if (GST_CLOCK_TIME_IS_VALID (v))
    gone = v;
  if (GST_CLOCK_TIME_IS_VALID (a)
      && (!GST_CLOCK_TIME_IS_VALID (gone) || a > gone))
    gone = a;
  if (GST_CLOCK_TIME_IS_VALID (gone) && earliest < gone) {
    gdouble miss_ms = (gone - earliest) / 1e6;
    self->late_verdicts++;
    self->max_miss_ms = MAX (self->max_miss_ms, miss_ms);
    g_mutex_unlock (&self->lock);
    GST_ELEMENT_WARNING (self, STREAM, FAILED,
        ("A verdict came too late for the delay"),
        ("the verdict flags running time %" GST_TIME_FORMAT
         " but media up to %" GST_TIME_FORMAT " had left: missed by %.1f ms; "
         "applied to what is still held (raise the delay)",
            GST_TIME_ARGS (earliest), GST_TIME_ARGS (gone), miss_ms));
    g_mutex_lock (&self->lock);
  }
}

static GstFlowReturn
gst_omni_censor_verdict_chain (GstPad *pad, GstObject *parent, GstBuffer *buf)
{
  GstOmniCensor *self = GST_OMNI_CENSOR (parent);
  GstClockTime earliest = GST_CLOCK_TIME_NONE;
  GError *err = NULL;
  gboolean ok = TRUE;
  GstMapInfo map;

  g_mutex_lock (&self->lock);
  if (self->verdict_json && gst_buffer_map (buf, &map, GST_MAP_READ)) {
    ok = omni_censor_spans_add_json (
        self->spans, (const gchar *) map.data, map.size, &earliest, &err);
    gst_buffer_unmap (buf, &map);
  } else {
    gpointer state = NULL;
    GstMeta *meta;
    while ((meta = gst_buffer_iterate_meta_filtered (
                buf, &state, OMNI_FUSION_META_API_TYPE)))
      omni_censor_spans_add_fusion_meta (
          self->spans, (OmniFusionMeta *) meta, &earliest);
  }
  check_late (self, earliest);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  gst_buffer_unref (buf);
  if (!ok) {
    GST_ELEMENT_ERROR (self, STREAM, DECODE, ("Unreadable verdicts"),
        ("verdict_sink expects omnifusion's JSON lines: %s", err->message));
    g_error_free (err);
    return GST_FLOW_ERROR;
  }
  return GST_FLOW_OK;
}

static gboolean
gst_omni_censor_verdict_event (GstPad *pad, GstObject *parent, GstEvent *event)
{
  GstOmniCensor *self = GST_OMNI_CENSOR (parent);

  switch (GST_EVENT_TYPE (event)) {
  case GST_EVENT_CAPS: {
    GstCaps *caps;
    gst_event_parse_caps (event, &caps);
    g_mutex_lock (&self->lock);
    self->verdict_json = gst_structure_has_name (
        gst_caps_get_structure (caps, 0), "application/x-omni-events");
    g_mutex_unlock (&self->lock);
    break;
  }
  case GST_EVENT_EOS:
    g_mutex_lock (&self->lock);
    self->verdict_eos = TRUE;
    g_cond_broadcast (&self->cond);
    g_mutex_unlock (&self->lock);
    break;
  case GST_EVENT_FLUSH_STOP:
    g_mutex_lock (&self->lock);
    omni_censor_spans_clear (self->spans);
    self->verdict_eos = FALSE;
    g_mutex_unlock (&self->lock);
    break;
  default:
    break;
  }
  gst_event_unref (event);
  return TRUE;
}

/* ---- what leaves: the censoring itself ---- */

static gboolean
label_wanted (gpointer user_data, GQuark label)
{
  GstOmniCensor *self = user_data;
  const gchar *name = g_quark_to_string (label);
  gchar **r;

  for (r = self->regions; r && *r; r++)
    if (g_ascii_strcasecmp (*r, name) == 0)
      return TRUE;
  return FALSE;
}

/* Called with the lock held. */
static GstBuffer *
censor_video (GstOmniCensor *self, OmniCensorHold *hold, GstBuffer *buf,
    GstClockTime start, GstClockTime end, gboolean unjudged)
{
  OmniCensorVideoAction action = OMNI_CENSOR_VIDEO_NONE;
  GArray *boxes = self->boxes;
  const GstVideoInfo *info = omni_censor_hold_video_info (hold);
  guint strength = self->strength, i;
  GstVideoFrame frame;

  if (unjudged
      || omni_censor_spans_any (self->spans, OMNI_CENSOR_SPAN_FLAGGED,
          OMNI_CENSOR_TARGET_VIDEO, start, end))
    action = self->video_action;
  else if (omni_censor_spans_any (self->spans, OMNI_CENSOR_SPAN_REVIEW,
               OMNI_CENSOR_TARGET_VIDEO, start, end)) {
    action = self->review_action;
    strength = MAX (1, strength / 4);
  }
  g_array_set_size (boxes, 0);
  if (self->regions)
    omni_censor_hold_boxes (hold, buf, start, label_wanted, self, boxes);
  self->frames++;
  if (action == OMNI_CENSOR_VIDEO_NONE && boxes->len == 0)
    return buf;
  self->frames_censored++;
  self->region_boxes += boxes->len;
  buf = gst_buffer_make_writable (buf);
  if (gst_video_frame_map (&frame, (GstVideoInfo *) info, buf, GST_MAP_WRITE)) {
    if (action != OMNI_CENSOR_VIDEO_NONE)
      omni_censor_video_apply (&frame, action, strength, 0, 0,
          GST_VIDEO_INFO_WIDTH (info), GST_VIDEO_INFO_HEIGHT (info));
    for (i = 0; action == OMNI_CENSOR_VIDEO_NONE && i < boxes->len; i++) {
      OmniCensorBox *b = &g_array_index (boxes, OmniCensorBox, i);
      omni_censor_video_apply (
          &frame, self->video_action, strength, b->x, b->y, b->w, b->h);
    }
    gst_video_frame_unmap (&frame);
  }
  return buf;
}

static gint64
to_frames (GstClockTime t, gint rate)
{
  return (gint64) gst_util_uint64_scale_round (t, rate, GST_SECOND);
}

/* Called with the lock held. */
static GstBuffer *
censor_audio (GstOmniCensor *self, OmniCensorHold *hold, GstBuffer *buf,
    GstClockTime start, GstClockTime end, gboolean unjudged)
{
  const GstAudioInfo *info = omni_censor_hold_audio_info (hold);
  gsize frames = gst_buffer_get_size (buf) / MAX (GST_AUDIO_INFO_BPF (info), 1);
  gint64 first = to_frames (start, GST_AUDIO_INFO_RATE (info));
  gsize fade = gst_util_uint64_scale_int (
      self->fade_ms, GST_AUDIO_INFO_RATE (info), 1000);
  gboolean touched = FALSE;
  OmniCensorAudioMask mask;
  GstMapInfo map;
  guint i;

  self->audio_buffers++;
  g_array_set_size (self->scratch, 0);
  if (frames == 0
      || (omni_censor_spans_overlapping (
              self->spans, OMNI_CENSOR_TARGET_AUDIO, start, end, self->scratch)
              == 0
          && !unjudged))
    return buf;
  omni_censor_audio_mask_init (&mask, frames);
  if (unjudged)
    touched |= omni_censor_audio_mask_add (
        &mask, OMNI_CENSOR_AUDIO_MUTE, first, first + frames, first, 0);
  for (i = 0; i < self->scratch->len; i++) {
    OmniCensorSpan *s = &g_array_index (self->scratch, OmniCensorSpan, i);
    gint64 e = GST_CLOCK_TIME_IS_VALID (s->end)
                   ? to_frames (s->end, GST_AUDIO_INFO_RATE (info))
                   : G_MAXINT64 / 2;
    if (s->kind == OMNI_CENSOR_SPAN_REVIEW)
      continue;
    touched |= omni_censor_audio_mask_add (&mask,
        s->kind == OMNI_CENSOR_SPAN_WORD ? self->audio_action
                                         : OMNI_CENSOR_AUDIO_MUTE,
        to_frames (s->start, GST_AUDIO_INFO_RATE (info)), e, first, fade);
  }
  if (touched) {
    self->audio_censored++;
    buf = gst_buffer_make_writable (buf);
    if (gst_buffer_map (buf, &map, GST_MAP_READWRITE)) {
      omni_censor_audio_apply (
          info, map.data, &mask, (guint64) first, BLEEP_FREQUENCY_HZ);
      gst_buffer_unmap (buf, &map);
    }
  }
  omni_censor_audio_mask_clear (&mask);
  return buf;
}

/* Whether omnifusion emitted the window holding @end. Lock held. */
static gboolean
covered (GstOmniCensor *self, GstClockTime end)
{
  GstClockTime wm = omni_censor_spans_get_watermark (self->spans);

  return GST_CLOCK_TIME_IS_VALID (wm) && GST_CLOCK_TIME_IS_VALID (end)
         && wm >= end;
}

/* OmniCensorHold's questions, answered under the lock: media may leave
 * once the verdicts cover it, or when no verdict will come any more. */
static gboolean
judged (OmniCensorHold *hold, GstClockTime end, gpointer user_data)
{
  GstOmniCensor *self = user_data;

  return self->verdict_eos || !gst_pad_is_linked (self->verdict_pad)
         || covered (self, end);
}

static GstBuffer *
censor (OmniCensorHold *hold, GstBuffer *buf, GstClockTime start,
    GstClockTime end, gboolean was_judged, gpointer user_data)
{
  GstOmniCensor *self = user_data;
  gboolean unjudged;

  if (!GST_CLOCK_TIME_IS_VALID (start))
    return buf;
  if (!GST_CLOCK_TIME_IS_VALID (end))
    end = start + 1;
  /* no verdict covers it: released at its live deadline, or after the
   * verdicts ended or with no verdicts linked; fail closed unless asked */
  if (!was_judged)
    self->unjudged++;
  unjudged = self->censor_unjudged && (!was_judged || !covered (self, end));
  if (hold == self->video)
    return censor_video (self, hold, buf, start, end, unjudged);
  return censor_audio (self, hold, buf, start, end, unjudged);
}

/* ---- the element ---- */

static GstStateChangeReturn
gst_omni_censor_change_state (GstElement *element, GstStateChange transition)
{
  GstOmniCensor *self = GST_OMNI_CENSOR (element);

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    g_mutex_lock (&self->lock);
    omni_censor_spans_clear (self->spans);
    self->verdict_eos = FALSE;
    self->frames = self->frames_censored = self->region_boxes = 0;
    self->audio_buffers = self->audio_censored = 0;
    self->late_verdicts = self->unjudged = 0;
    self->max_miss_ms = 0;
    g_mutex_unlock (&self->lock);
    if (!gst_pad_is_linked (self->verdict_pad))
      GST_ELEMENT_WARNING (self, CORE, PAD, ("No verdicts"),
          ("verdict_sink is not linked: no media is judged (see "
           "unjudged-action)"));
  }
  return GST_ELEMENT_CLASS (gst_omni_censor_parent_class)
      ->change_state (element, transition);
}

static GstStructure *
stats_new (GstOmniCensor *self)
{
  GstStructure *s;

  g_mutex_lock (&self->lock);
  s = gst_structure_new ("omnicensor-stats", "frames", G_TYPE_UINT64,
      self->frames, "frames-censored", G_TYPE_UINT64, self->frames_censored,
      "region-boxes", G_TYPE_UINT64, self->region_boxes, "audio-buffers",
      G_TYPE_UINT64, self->audio_buffers, "audio-buffers-censored",
      G_TYPE_UINT64, self->audio_censored, "late-verdicts", G_TYPE_UINT64,
      self->late_verdicts, "max-miss-ms", G_TYPE_DOUBLE, self->max_miss_ms,
      "released-unjudged", G_TYPE_UINT64, self->unjudged, NULL);
  g_mutex_unlock (&self->lock);
  return s;
}

static void
gst_omni_censor_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstOmniCensor *self = GST_OMNI_CENSOR (object);

  g_mutex_lock (&self->lock);
  switch (prop_id) {
  case PROP_DELAY:
    self->delay = g_value_get_uint64 (value);
    omni_censor_hold_set_delay (self->video, self->delay);
    omni_censor_hold_set_delay (self->audio, self->delay);
    break;
  case PROP_VIDEO_ACTION:
    self->video_action = g_value_get_enum (value);
    break;
  case PROP_STRENGTH:
    self->strength = g_value_get_uint (value);
    break;
  case PROP_REVIEW_ACTION:
    self->review_action = g_value_get_enum (value);
    break;
  case PROP_REGIONS:
    g_strfreev (self->regions);
    self->regions = g_value_get_string (value) && *g_value_get_string (value)
                        ? g_strsplit (g_value_get_string (value), ",", -1)
                        : NULL;
    break;
  case PROP_AUDIO_ACTION:
    self->audio_action = g_value_get_enum (value);
    break;
  case PROP_FADE_MS:
    self->fade_ms = g_value_get_uint (value);
    break;
  case PROP_UNJUDGED_ACTION:
    self->censor_unjudged = g_value_get_enum (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  g_mutex_unlock (&self->lock);
}

static void
gst_omni_censor_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstOmniCensor *self = GST_OMNI_CENSOR (object);

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, stats_new (self));
    return;
  }
  g_mutex_lock (&self->lock);
  switch (prop_id) {
  case PROP_DELAY:
    g_value_set_uint64 (value, self->delay);
    break;
  case PROP_VIDEO_ACTION:
    g_value_set_enum (value, self->video_action);
    break;
  case PROP_STRENGTH:
    g_value_set_uint (value, self->strength);
    break;
  case PROP_REVIEW_ACTION:
    g_value_set_enum (value, self->review_action);
    break;
  case PROP_REGIONS:
    g_value_take_string (
        value, self->regions ? g_strjoinv (",", self->regions) : NULL);
    break;
  case PROP_AUDIO_ACTION:
    g_value_set_enum (value, self->audio_action);
    break;
  case PROP_FADE_MS:
    g_value_set_uint (value, self->fade_ms);
    break;
  case PROP_UNJUDGED_ACTION:
    g_value_set_enum (value, self->censor_unjudged);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  g_mutex_unlock (&self->lock);
}

static void
gst_omni_censor_finalize (GObject *object)
{
  GstOmniCensor *self = GST_OMNI_CENSOR (object);

  omni_censor_hold_free (self->video);
  omni_censor_hold_free (self->audio);
  omni_censor_spans_free (self->spans);
  g_array_unref (self->scratch);
  g_array_unref (self->boxes);
  g_strfreev (self->regions);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (gst_omni_censor_parent_class)->finalize (object);
}

static const OmniCensorHoldFuncs hold_funcs = { judged, censor };

static void
gst_omni_censor_init (GstOmniCensor *self)
{
  GstElement *element = GST_ELEMENT (self);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->delay = DEFAULT_DELAY;
  self->video_action = DEFAULT_VIDEO_ACTION;
  self->review_action = DEFAULT_REVIEW_ACTION;
  self->strength = DEFAULT_STRENGTH;
  self->audio_action = DEFAULT_AUDIO_ACTION;
  self->fade_ms = DEFAULT_FADE_MS;
  self->censor_unjudged = TRUE;
  self->spans = omni_censor_spans_new ();
  self->scratch = g_array_new (FALSE, FALSE, sizeof (OmniCensorSpan));
  self->boxes = g_array_new (FALSE, FALSE, sizeof (OmniCensorBox));
  self->video = omni_censor_hold_new (element, TRUE,
      gst_pad_new_from_static_template (&video_sink_template, "video_sink"),
      gst_pad_new_from_static_template (&video_src_template, "video_src"),
      &self->lock, &self->cond, &hold_funcs, self);
  self->audio = omni_censor_hold_new (element, FALSE,
      gst_pad_new_from_static_template (&audio_sink_template, "audio_sink"),
      gst_pad_new_from_static_template (&audio_src_template, "audio_src"),
      &self->lock, &self->cond, &hold_funcs, self);
  omni_censor_hold_set_delay (self->video, self->delay);
  omni_censor_hold_set_delay (self->audio, self->delay);
  self->verdict_pad = gst_pad_new_from_static_template (
      &verdict_sink_template, "verdict_sink");
  gst_pad_set_chain_function (self->verdict_pad, gst_omni_censor_verdict_chain);
  gst_pad_set_event_function (self->verdict_pad, gst_omni_censor_verdict_event);
  gst_element_add_pad (element, self->verdict_pad);
}

static void
install_properties (GObjectClass *gobject_class)
{
  /**
   * GstOmniCensor:delay:
   *
   * How long media is held for the verdicts, in nanoseconds; added to the
   * latency. Non-live, also the most that is held before upstream blocks.
   */
  g_object_class_install_property (gobject_class, PROP_DELAY,
      g_param_spec_uint64 ("delay", "Delay (ns)",
          "How long media is held for the verdicts (ns); added to the latency",
          0, 600 * GST_SECOND, DEFAULT_DELAY,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_VIDEO_ACTION,
      g_param_spec_enum ("video-action", "Video action",
          "What flagged frames and chosen regions get",
          video_action_get_type (), DEFAULT_VIDEO_ACTION,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_STRENGTH,
      g_param_spec_uint ("strength", "Strength (px)",
          "Blur radius or pixelation block, in pixels (review: a quarter)", 1,
          1024, DEFAULT_STRENGTH, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_REVIEW_ACTION,
      g_param_spec_enum ("review-action", "Review action",
          "What frames of review windows get (at a quarter of the strength)",
          video_action_get_type (), DEFAULT_REVIEW_ACTION,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_REGIONS,
      g_param_spec_string ("regions", "Regions",
          "Comma-separated box labels censored on every frame (e.g. face)",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_AUDIO_ACTION,
      g_param_spec_enum ("audio-action", "Audio action",
          "What flagged spoken words get (flagged audio segments are muted)",
          audio_action_get_type (), DEFAULT_AUDIO_ACTION,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_FADE_MS,
      g_param_spec_uint ("fade-ms", "Fade (ms)",
          "Raised-cosine fade at each end of an audio span, inside it", 0, 1000,
          DEFAULT_FADE_MS, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  /**
   * GstOmniCensor:unjudged-action:
   *
   * What media that leaves without a verdict covering it gets: released
   * live at its deadline before omnifusion judged it, or released after
   * the verdict stream ended early or while `verdict_sink` is unlinked.
   * `censor` (default: fail closed) gives the video #GstOmniCensor:video-action
   * and mutes the audio; `pass` lets it through as it is.
   */
  g_object_class_install_property (gobject_class, PROP_UNJUDGED_ACTION,
      g_param_spec_enum ("unjudged-action", "Unjudged action",
          "What media no verdict covered gets (censor: fail closed)",
          unjudged_action_get_type (), TRUE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  /**
   * GstOmniCensor:stats:
   *
   * "frames", "frames-censored", "region-boxes", "audio-buffers",
   * "audio-buffers-censored", "late-verdicts", "released-unjudged"
   * (guint64: media released live at its deadline before the verdicts
   * covered it) and "max-miss-ms" (gdouble).
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics", "What was censored",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
gst_omni_censor_class_init (GstOmniCensorClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_omni_censor_set_property;
  gobject_class->get_property = gst_omni_censor_get_property;
  gobject_class->finalize = gst_omni_censor_finalize;
  element_class->change_state
      = GST_DEBUG_FUNCPTR (gst_omni_censor_change_state);
  install_properties (gobject_class);

  gst_element_class_add_static_pad_template (
      element_class, &video_sink_template);
  gst_element_class_add_static_pad_template (
      element_class, &video_src_template);
  gst_element_class_add_static_pad_template (
      element_class, &audio_sink_template);
  gst_element_class_add_static_pad_template (
      element_class, &audio_src_template);
  gst_element_class_add_static_pad_template (
      element_class, &verdict_sink_template);
  gst_element_class_set_static_metadata (element_class, "gst-omni censor",
      "Filter/Effect/Video;Filter/Effect/Audio",
      "Blurs, pixelates and bleeps what omnifusion flagged, behind a fixed "
      "delay",
      "gst-omni developers");
  gst_type_mark_as_plugin_api (video_action_get_type (), 0);
  gst_type_mark_as_plugin_api (audio_action_get_type (), 0);
  gst_type_mark_as_plugin_api (unjudged_action_get_type (), 0);
  GST_DEBUG_CATEGORY_INIT (
      gst_omni_censor_debug, "omnicensor", 0, "gst-omni censor");
}
