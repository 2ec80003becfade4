/* gst-omni: omnispeech
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-omnispeech
 * @title: omnispeech
 * @short_description: speech to words with times, speech activity and key
 *   phrase spotting (CMU PocketSphinx)
 *
 * omnispeech recognises speech in an audio stream and outputs
 * `text/x-raw,format=utf8`: one buffer per recognised word, its PTS and
 * duration the word's span in the audio's own timeline, and GAP events over
 * the silence in between, so that textoverlay, webvttenc and omnifusion's
 * `sink_%u` pads take its output directly.
 *
 * Audio of any rate (8 kHz and up), channel count and sample format is
 * accepted and converted internally (GstAudioConverter: channels mixed to
 * mono, resampled to the engine's 16 kHz, S16). Audio below 8 kHz is refused
 * with a clear error at caps time. 8 kHz telephone audio works but is
 * recognised less well: the acoustic model was trained on wide-band speech
 * (a warning says so).
 *
 * The engine (libgstomni-1.0's OmniSpeechEngine; the one built in is CMU
 * PocketSphinx with the US English model from the Debian package
 * pocketsphinx-en-us) runs on its own thread, fed through a queue, so the
 * audio branch is never held up by decoding. Utterances are delimited by
 * PocketSphinx's voice activity detector; words come out when their
 * utterance ends.
 *
 * omnispeech is a #GstElement with chain and event functions and a source
 * pad task (as queue), not a #GstBaseTransform: one input buffer gives zero
 * or many output buffers at a later time, pushed from the decoding thread.
 *
 * ## Latency and live pipelines
 *
 * #GstOmniSpeech:latency is the delay omnispeech adds, answered in the
 * LATENCY query (as whispertranscriber does). In a live pipeline it is also
 * a deadline: utterances are cut at latency - queue - 0.6 s (0.5 s for the
 * end-of-speech detector, 0.1 s to decode) and at most latency/4 (2 s at
 * most) of audio waits for the decoder. When decoding falls further behind
 * (a slow machine), the oldest queued audio is dropped: omnispeech posts a
 * QoS message with the dropped amount and, the first time, a warning, and
 * resumes on current audio. Upstream is never blocked. Without a live
 * source nothing is dropped and utterances are not cut: upstream waits.
 *
 * ## Messages
 *
 * `omnispeech`, per utterance with at least one word:
 * - "text" (gchararray): the words, space separated
 * - "start", "end" (guint64): running time of the first word's start and
 *   the last word's end
 * - "timestamp", "duration" (guint64): the same span as PTS and duration
 * - "confidence" (gdouble): mean of the words' confidences
 * - "forced" (gboolean): the utterance was cut at the live length limit
 * - "words" (GstValueList of GstStructure `word`): each with "text"
 *   (gchararray), "start", "end" (guint64, running time), "timestamp"
 *   (guint64, PTS) and "confidence" (gdouble, the posterior probability in
 *   [0,1])
 *
 * `omnispeech-activity`, when speech starts and when it ends (they
 * alternate):
 * - "active" (gboolean): TRUE when speech starts, FALSE when it ends
 * - "start" (guint64): running time where the speech starts (TRUE from
 *   the detector: its estimate; otherwise the span's first word's start)
 * - "end" (guint64, only when "active" is FALSE): running time where it
 *   ends (the span's last word's end; without words, where the detector
 *   ended it)
 * An utterance's words are split into spans where they pause for 0.3 s or
 * more; the spans after the first are opened (active TRUE) and closed when
 * the utterance has been decoded.
 *
 * `omnispeech-keyword`, for each key phrase of #GstOmniSpeech:keywords
 * spotted, 0.3 s after it ends (once the search stopped extending it):
 * - "keyword" (gchararray): the phrase
 * - "start", "end" (guint64): its span in running time
 * - "timestamp", "duration" (guint64): the span as PTS and duration
 * - "confidence" (gdouble): the phrase's posterior, [0,1]
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 autoaudiosrc ! audioconvert ! omnispeech ! \
 *     text/x-raw,format=utf8 ! fakesink dump=true
 * gst-launch-1.0 -m filesrc location=talk.wav ! decodebin ! audioconvert ! \
 *     omnispeech keywords=words.kws ! webvttenc ! filesink location=talk.vtt
 * gst-launch-1.0 -m filesrc location=talk.wav ! decodebin ! audioconvert ! \
 *     omnispeech keywords=words.kws transcribe=false ! fakesink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/audio/audio.h>
#include <omni/tasks/omnispeechengine.h>

#include "gstomnispeech.h"
#include "omnilatency.h"

GST_DEBUG_CATEGORY_STATIC (gst_omni_speech_debug);
#define GST_CAT_DEFAULT gst_omni_speech_debug

#define DEFAULT_LATENCY (8 * GST_SECOND)
#define MIN_LATENCY (2 * GST_SECOND)
#define MAX_LATENCY (120 * GST_SECOND)
#define MIN_RATE 8000
/* the end-of-speech detector (0.5 s) and the decoding at utterance end */
#define ENDPOINT_MARGIN (600 * GST_MSECOND)
/* a new time base when timestamps jump by more than this */
#define DISCONT_TOLERANCE (40 * GST_MSECOND)
/* GAP events no finer than this over silence */
#define MIN_GAP (100 * GST_MSECOND)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_MODEL_DIR,
  PROP_KEYWORDS,
  PROP_LATENCY,
  PROP_TRANSCRIBE,
};

struct _GstOmniSpeech {
  GstElement parent;
  GstPad *sinkpad, *srcpad;

  /* properties, OBJECT_LOCK */
  gchar *engine_name, *model_dir, *keywords;
  GstClockTime latency;
  gboolean transcribe;

  /* streaming thread */
  GstAudioConverter *converter;
  GstAudioInfo in_info;
  GstSegment in_segment;
  guint rate;
  gboolean live, live_known;
  GstClockTime conv_base;
  guint64 conv_samples;

  /* the queue to the decoding task, lock/cond */
  GMutex lock;
  GCond cond;
  GQueue queue; /* GstBuffer (engine format) or GstEvent */
  GstClockTime queued;
  gboolean flushing;
  GstFlowReturn srcresult;
  gboolean warned_late;
  guint64 processed, dropped; /* ns of audio */
  gboolean drop_discont;

  /* decoding task */
  OmniSpeechEngine *engine;
  GstSegment segment;
  gboolean need_base;
  GstClockTime base;    /* PTS of the engine's time 0 */
  guint64 samples;      /* fed since base */
  GstClockTime out_pos; /* output covered up to this PTS */
  gboolean eos;
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("audio/x-raw, format = (string) " GST_AUDIO_FORMATS_ALL
                     ", rate = (int) [ 1, MAX ], channels = (int) [ 1, MAX ], "
                     "layout = (string) interleaved"));

static GstStaticPadTemplate src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("text/x-raw, format = (string) utf8"));

#define gst_omni_speech_parent_class parent_class
G_DEFINE_TYPE (GstOmniSpeech, gst_omni_speech, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (
    omnispeech, "omnispeech", GST_RANK_NONE, GST_TYPE_OMNI_SPEECH);

/* ------------------------------------------------------------------ */
/* time helpers                                                       */

static GstClockTime
gst_omni_speech_queue_limit (GstClockTime latency)
{
  return MIN (latency / 4, 2 * GST_SECOND);
}

static guint64
gst_omni_speech_running_time (GstOmniSpeech *self, GstClockTime pts)
{
  guint64 rt
      = gst_segment_to_running_time (&self->segment, GST_FORMAT_TIME, pts);

  return GST_CLOCK_TIME_IS_VALID (rt) ? rt : 0;
}

static GstClockTime
gst_omni_speech_position (GstOmniSpeech *self)
{
  return self->base
         + gst_util_uint64_scale (
             self->samples, GST_SECOND, omni_speech_engine_rate (self->engine));
}

/* ------------------------------------------------------------------ */
/* output (decoding task)                                             */

static GstFlowReturn
gst_omni_speech_push_gap (GstOmniSpeech *self, GstClockTime until)
{
  if (!GST_CLOCK_TIME_IS_VALID (self->out_pos) || until <= self->out_pos)
    return GST_FLOW_OK;
  /* a refused gap (no peer, flushing) is not an error: the next buffer
   * says why */
  gst_pad_push_event (
      self->srcpad, gst_event_new_gap (self->out_pos, until - self->out_pos));
  self->out_pos = until;
  return GST_FLOW_OK;
}

static GstFlowReturn
gst_omni_speech_push_word (GstOmniSpeech *self, const OmniSpeechWord *word)
{
  GstClockTime start = self->base + word->start, end = self->base + word->end;
  GstBuffer *buf;
  gsize len = strlen (word->word);

  start = MAX (start, self->out_pos);
  end = MAX (end, start);
  gst_omni_speech_push_gap (self, start);
  buf = gst_buffer_new_memdup (word->word, len);
  GST_BUFFER_PTS (buf) = start;
  GST_BUFFER_DURATION (buf) = end - start;
  self->out_pos = end;
  GST_LOG_OBJECT (self, "word '%s' at %" GST_TIME_FORMAT ", confidence %.3f",
      word->word, GST_TIME_ARGS (start), word->confidence);
  return gst_pad_push (self->srcpad, buf);
}

static GstStructure *
gst_omni_speech_word_structure (GstOmniSpeech *self, const OmniSpeechWord *w)
{
  return gst_structure_new ("word", "text", G_TYPE_STRING, w->word, "start",
      G_TYPE_UINT64, gst_omni_speech_running_time (self, self->base + w->start),
      "end", G_TYPE_UINT64,
      gst_omni_speech_running_time (self, self->base + w->end), "timestamp",
      G_TYPE_UINT64, self->base + w->start, "confidence", G_TYPE_DOUBLE,
      w->confidence, NULL);
}

static void
gst_omni_speech_post_utterance (GstOmniSpeech *self, const OmniSpeechEvent *ev)
{
  GValue list = G_VALUE_INIT, item = G_VALUE_INIT;
  GstStructure *s;
  guint i;

  gst_value_list_init (&list, ev->words->len);
  for (i = 0; i < ev->words->len; i++) {
    g_value_init (&item, GST_TYPE_STRUCTURE);
    g_value_take_boxed (
        &item, gst_omni_speech_word_structure (
                   self, &g_array_index (ev->words, OmniSpeechWord, i)));
    gst_value_list_append_and_take_value (&list, &item);
  }
  s = gst_structure_new ("omnispeech", "text", G_TYPE_STRING, ev->text, "start",
      G_TYPE_UINT64,
      gst_omni_speech_running_time (self, self->base + ev->start), "end",
      G_TYPE_UINT64, gst_omni_speech_running_time (self, self->base + ev->end),
      "timestamp", G_TYPE_UINT64, self->base + ev->start, "duration",
      G_TYPE_UINT64, ev->end - ev->start, "confidence", G_TYPE_DOUBLE,
      ev->confidence, "forced", G_TYPE_BOOLEAN, ev->forced, NULL);
  gst_structure_take_value (s, "words", &list);
  gst_element_post_message (
      GST_ELEMENT (self), gst_message_new_element (GST_OBJECT (self), s));
}

static void
gst_omni_speech_post_activity (
    GstOmniSpeech *self, gboolean active, guint64 start, guint64 end)
{
  GstStructure *s = gst_structure_new ("omnispeech-activity", "active",
      G_TYPE_BOOLEAN, active, "start", G_TYPE_UINT64,
      gst_omni_speech_running_time (self, self->base + start), NULL);

  if (!active)
    gst_structure_set (s, "end", G_TYPE_UINT64,
        gst_omni_speech_running_time (self, self->base + end), NULL);
  gst_element_post_message (
      GST_ELEMENT (self), gst_message_new_element (GST_OBJECT (self), s));
}

static void
gst_omni_speech_post_keyword (GstOmniSpeech *self, const OmniSpeechEvent *ev)
{
  GstStructure *s = gst_structure_new ("omnispeech-keyword", "keyword",
      G_TYPE_STRING, ev->text, "start", G_TYPE_UINT64,
      gst_omni_speech_running_time (self, self->base + ev->start), "end",
      G_TYPE_UINT64, gst_omni_speech_running_time (self, self->base + ev->end),
      "timestamp", G_TYPE_UINT64, self->base + ev->start, "duration",
      G_TYPE_UINT64, ev->end - ev->start, "confidence", G_TYPE_DOUBLE,
      ev->confidence, NULL);

  GST_DEBUG_OBJECT (self, "keyword '%s' at %" GST_TIME_FORMAT, ev->text,
      GST_TIME_ARGS (self->base + ev->start));
  gst_element_post_message (
      GST_ELEMENT (self), gst_message_new_element (GST_OBJECT (self), s));
}

/* speech activity of an utterance (the engine's spans); each span after
 * the first is opened here, the first was when the detector fired */
static void
gst_omni_speech_post_spans (GstOmniSpeech *self, const OmniSpeechEvent *ev)
{
  guint i;

  if (ev->spans == NULL || ev->spans->len == 0) {
    gst_omni_speech_post_activity (self, FALSE, ev->start, ev->end);
    return;
  }
  for (i = 0; i + 1 < ev->spans->len; i += 2) {
    guint64 start = g_array_index (ev->spans, guint64, i);
    guint64 end = g_array_index (ev->spans, guint64, i + 1);
    if (i > 0)
      gst_omni_speech_post_activity (self, TRUE, start, 0);
    gst_omni_speech_post_activity (self, FALSE, start, end);
  }
}

static GstFlowReturn
gst_omni_speech_handle_events (GstOmniSpeech *self, GPtrArray *events)
{
  GstFlowReturn ret = GST_FLOW_OK;
  guint i, j;

  for (i = 0; i < events->len; i++) {
    const OmniSpeechEvent *ev = g_ptr_array_index (events, i);

    switch (ev->type) {
    case OMNI_SPEECH_EVENT_SPEECH_START:
      gst_omni_speech_post_activity (self, TRUE, ev->start, 0);
      break;
    case OMNI_SPEECH_EVENT_KEYWORD:
      gst_omni_speech_post_keyword (self, ev);
      break;
    case OMNI_SPEECH_EVENT_UTTERANCE:
      gst_omni_speech_post_spans (self, ev);
      if (ev->words->len > 0)
        gst_omni_speech_post_utterance (self, ev);
      for (j = 0; j < ev->words->len && ret == GST_FLOW_OK; j++)
        ret = gst_omni_speech_push_word (
            self, &g_array_index (ev->words, OmniSpeechWord, j));
      break;
    }
  }
  g_ptr_array_set_size (events, 0);
  return ret;
}

/* ends the engine's stream (utterance in progress included) and pushes
 * what is left up to @until as a gap */
static GstFlowReturn
gst_omni_speech_drain (GstOmniSpeech *self, GstClockTime until)
{
  GPtrArray *events = omni_speech_events_new ();
  GError *err = NULL;
  GstFlowReturn ret = GST_FLOW_OK;

  if (!self->need_base) {
    if (!omni_speech_engine_finish (self->engine, events, &err)) {
      GST_ELEMENT_ERROR (
          self, STREAM, DECODE, ("speech engine failed"), ("%s", err->message));
      g_clear_error (&err);
      ret = GST_FLOW_ERROR;
    } else {
      ret = gst_omni_speech_handle_events (self, events);
      if (!GST_CLOCK_TIME_IS_VALID (until))
        until = gst_omni_speech_position (self);
    }
  }
  if (ret == GST_FLOW_OK && GST_CLOCK_TIME_IS_VALID (until))
    gst_omni_speech_push_gap (self, until);
  self->need_base = TRUE;
  g_ptr_array_unref (events);
  return ret;
}

/* starts a new engine time base at @pts when the stream jumps */
static GstFlowReturn
gst_omni_speech_check_base (GstOmniSpeech *self, GstBuffer *buf)
{
  GstClockTime pts = GST_BUFFER_PTS (buf);
  GError *err = NULL;
  GstFlowReturn ret = GST_FLOW_OK;

  if (!self->need_base) {
    GstClockTime pos = gst_omni_speech_position (self);
    if (!GST_CLOCK_TIME_IS_VALID (pts)
        || (!GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DISCONT)
            && ABS (GST_CLOCK_DIFF (pos, pts)) <= (gint64) DISCONT_TOLERANCE))
      return GST_FLOW_OK;
    GST_DEBUG_OBJECT (self,
        "discontinuity at %" GST_TIME_FORMAT " (expected %" GST_TIME_FORMAT ")",
        GST_TIME_ARGS (pts), GST_TIME_ARGS (pos));
    ret = gst_omni_speech_drain (self, pts);
    if (ret != GST_FLOW_OK)
      return ret;
  }
  if (!omni_speech_engine_start_stream (self->engine, &err)) {
    GST_ELEMENT_ERROR (
        self, STREAM, DECODE, ("speech engine failed"), ("%s", err->message));
    g_clear_error (&err);
    return GST_FLOW_ERROR;
  }
  g_mutex_lock (&self->lock);
  omni_speech_engine_set_max_utterance (self->engine,
      self->live ? self->latency - gst_omni_speech_queue_limit (self->latency)
                       - ENDPOINT_MARGIN
                 : 0);
  g_mutex_unlock (&self->lock);
  self->base = GST_CLOCK_TIME_IS_VALID (pts) ? pts : self->segment.start;
  self->samples = 0;
  self->need_base = FALSE;
  if (!GST_CLOCK_TIME_IS_VALID (self->out_pos))
    self->out_pos = self->base;
  return GST_FLOW_OK;
}

static GstFlowReturn
gst_omni_speech_decode (GstOmniSpeech *self, GstBuffer *buf)
{
  GPtrArray *events = omni_speech_events_new ();
  GError *err = NULL;
  GstMapInfo map;
  GstFlowReturn ret;

  ret = gst_omni_speech_check_base (self, buf);
  if (ret == GST_FLOW_OK && gst_buffer_map (buf, &map, GST_MAP_READ)) {
    if (!omni_speech_engine_process (self->engine, (const gint16 *) map.data,
            map.size / 2, events, &err)) {
      GST_ELEMENT_ERROR (
          self, STREAM, DECODE, ("speech engine failed"), ("%s", err->message));
      g_clear_error (&err);
      ret = GST_FLOW_ERROR;
    }
    self->samples += map.size / 2;
    gst_buffer_unmap (buf, &map);
  }
  if (ret == GST_FLOW_OK)
    ret = gst_omni_speech_handle_events (self, events);
  /* outside an utterance, what lies further back than the detector's
   * look-back is silence: say so downstream */
  if (ret == GST_FLOW_OK && !omni_speech_engine_in_speech (self->engine)) {
    GstClockTime pos = gst_omni_speech_position (self);
    GstClockTime back = omni_speech_engine_lookback (self->engine);
    if (pos > back && pos - back >= self->out_pos + MIN_GAP)
      gst_omni_speech_push_gap (self, pos - back);
  }
  g_ptr_array_unref (events);
  gst_buffer_unref (buf);
  return ret;
}

static GstFlowReturn
gst_omni_speech_handle_serialized (GstOmniSpeech *self, GstEvent *event)
{
  GstFlowReturn ret = GST_FLOW_OK;

  switch (GST_EVENT_TYPE (event)) {
  case GST_EVENT_SEGMENT:
    ret = gst_omni_speech_drain (self, GST_CLOCK_TIME_NONE);
    gst_event_copy_segment (event, &self->segment);
    self->out_pos = GST_CLOCK_TIME_NONE;
    break;
  case GST_EVENT_GAP: {
    /* upstream has nothing there: the utterance ends, the gap goes on */
    GstClockTime ts, dur;
    gst_event_parse_gap (event, &ts, &dur);
    if (!GST_CLOCK_TIME_IS_VALID (self->out_pos))
      self->out_pos = ts;
    ret = gst_omni_speech_drain (
        self, GST_CLOCK_TIME_IS_VALID (dur) ? ts + dur : ts);
    gst_event_unref (event);
    return ret;
  }
  case GST_EVENT_EOS:
    ret = gst_omni_speech_drain (self, GST_CLOCK_TIME_NONE);
    self->eos = TRUE;
    break;
  default:
    break;
  }
  gst_pad_push_event (self->srcpad, event);
  return ret;
}

static void
gst_omni_speech_loop (GstOmniSpeech *self)
{
  GstMiniObject *item;
  GstFlowReturn ret;

  g_mutex_lock (&self->lock);
  while (g_queue_is_empty (&self->queue) && !self->flushing)
    g_cond_wait (&self->cond, &self->lock);
  if (self->flushing) {
    g_mutex_unlock (&self->lock);
    gst_pad_pause_task (self->srcpad);
    return;
  }
  item = g_queue_pop_head (&self->queue);
  if (GST_IS_BUFFER (item))
    self->queued -= GST_BUFFER_DURATION (GST_BUFFER (item));
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  if (GST_IS_BUFFER (item))
    ret = gst_omni_speech_decode (self, GST_BUFFER (item));
  else
    ret = gst_omni_speech_handle_serialized (self, GST_EVENT (item));

  if (ret == GST_FLOW_NOT_LINKED)
    ret = GST_FLOW_OK; /* keep posting messages */
  if (ret != GST_FLOW_OK) {
    g_mutex_lock (&self->lock);
    self->srcresult = ret;
    g_cond_broadcast (&self->cond);
    g_mutex_unlock (&self->lock);
    if (ret != GST_FLOW_FLUSHING && ret != GST_FLOW_EOS)
      GST_ELEMENT_FLOW_ERROR (self, ret);
    gst_pad_pause_task (self->srcpad);
  }
}

/* ------------------------------------------------------------------ */
/* input (streaming thread)                                           */

static gboolean
gst_omni_speech_set_caps (GstOmniSpeech *self, GstCaps *caps)
{
  GstAudioInfo in, out;
  guint rate = omni_speech_engine_rate (self->engine);

  /* refused caps: no audio is taken until acceptable ones come */
  g_clear_pointer (&self->converter, gst_audio_converter_free);
  if (!gst_audio_info_from_caps (&in, caps)) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT, ("invalid audio caps"),
        ("%" GST_PTR_FORMAT, caps));
    return FALSE;
  }
  if (GST_AUDIO_INFO_RATE (&in) < MIN_RATE) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("omnispeech needs audio sampled at %d Hz or more, got %d Hz", MIN_RATE,
            GST_AUDIO_INFO_RATE (&in)),
        ("caps %" GST_PTR_FORMAT, caps));
    return FALSE;
  }
  if (GST_AUDIO_INFO_RATE (&in) < (gint) rate)
    GST_ELEMENT_WARNING (self, STREAM, FORMAT,
        ("narrow-band audio (%d Hz): speech is recognised less well than at "
         "%u Hz",
            GST_AUDIO_INFO_RATE (&in), rate),
        ("the acoustic model was trained on wide-band speech; the audio is "
         "resampled to %u Hz",
            rate));
  gst_audio_info_set_format (&out, GST_AUDIO_FORMAT_S16, rate, 1, NULL);
  self->converter = gst_audio_converter_new (0, &in, &out, NULL);
  if (self->converter == NULL) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("cannot convert this audio to %d Hz mono", rate),
        ("caps %" GST_PTR_FORMAT, caps));
    return FALSE;
  }
  self->in_info = in;
  self->rate = rate;
  self->conv_base = GST_CLOCK_TIME_NONE;
  return TRUE;
}

static void
gst_omni_speech_check_live (GstOmniSpeech *self)
{
  GstQuery *q = gst_query_new_latency ();
  gboolean live = FALSE;

  if (gst_pad_peer_query (self->sinkpad, q))
    gst_query_parse_latency (q, &live, NULL, NULL);
  gst_query_unref (q);
  g_mutex_lock (&self->lock);
  self->live = live;
  g_mutex_unlock (&self->lock);
  self->live_known = TRUE;
  GST_INFO_OBJECT (self, "upstream is %slive", self->live ? "" : "not ");
}

static GstBuffer *
gst_omni_speech_convert (GstOmniSpeech *self, GstBuffer *inbuf)
{
  GstMapInfo map;
  gsize in_frames, out_frames;
  gpointer in[1], out[1];
  GstBuffer *outbuf;
  GstClockTime pts = GST_BUFFER_PTS (inbuf);
  gint bpf = GST_AUDIO_INFO_BPF (&self->in_info);

  if (!gst_buffer_map (inbuf, &map, GST_MAP_READ))
    return NULL;
  in_frames = map.size / bpf;
  if (GST_CLOCK_TIME_IS_VALID (pts)
      && (!GST_CLOCK_TIME_IS_VALID (self->conv_base)
          || GST_BUFFER_FLAG_IS_SET (inbuf, GST_BUFFER_FLAG_DISCONT)
          || ABS (GST_CLOCK_DIFF (
                 self->conv_base
                     + gst_util_uint64_scale (
                         self->conv_samples, GST_SECOND, self->rate),
                 pts))
                 > (gint64) DISCONT_TOLERANCE)) {
    gst_audio_converter_reset (self->converter);
    self->conv_base = pts;
    self->conv_samples = 0;
  }
  out_frames = gst_audio_converter_get_out_frames (self->converter, in_frames);
  outbuf = gst_buffer_new_allocate (NULL, out_frames * 2, NULL);
  in[0] = map.data;
  {
    GstMapInfo omap;
    gst_buffer_map (outbuf, &omap, GST_MAP_WRITE);
    out[0] = omap.data;
    gst_audio_converter_samples (
        self->converter, 0, in, in_frames, out, out_frames);
    gst_buffer_unmap (outbuf, &omap);
  }
  gst_buffer_unmap (inbuf, &map);
  if (!GST_CLOCK_TIME_IS_VALID (self->conv_base))
    self->conv_base = 0;
  GST_BUFFER_PTS (outbuf)
      = self->conv_base
        + gst_util_uint64_scale (self->conv_samples, GST_SECOND, self->rate);
  GST_BUFFER_DURATION (outbuf)
      = gst_util_uint64_scale (out_frames, GST_SECOND, self->rate);
  self->conv_samples += out_frames;
  return outbuf;
}

/* live and too far behind: drop the oldest audio waiting (lock held) */
static void
gst_omni_speech_drop_late (GstOmniSpeech *self, GstClockTime incoming)
{
  GstClockTime limit = gst_omni_speech_queue_limit (self->latency);
  GstClockTime dropped = 0, first = GST_CLOCK_TIME_NONE;
  GList *l = self->queue.head;
  GstMessage *qos;

  while (l && self->queued + incoming > limit) {
    GList *next = l->next;
    if (GST_IS_BUFFER (l->data)) {
      GstBuffer *b = l->data;
      if (!GST_CLOCK_TIME_IS_VALID (first))
        first = GST_BUFFER_PTS (b);
      dropped += GST_BUFFER_DURATION (b);
      self->queued -= GST_BUFFER_DURATION (b);
      gst_buffer_unref (b);
      g_queue_delete_link (&self->queue, l);
    }
    l = next;
  }
  if (dropped == 0)
    return;
  self->dropped += dropped;
  g_mutex_unlock (&self->lock);
  qos = gst_message_new_qos (GST_OBJECT (self), TRUE,
      gst_segment_to_running_time (&self->in_segment, GST_FORMAT_TIME, first),
      GST_CLOCK_TIME_NONE, first, dropped);
  gst_message_set_qos_stats (
      qos, GST_FORMAT_TIME, self->processed, self->dropped);
  gst_element_post_message (GST_ELEMENT (self), qos);
  if (!self->warned_late) {
    self->warned_late = TRUE;
    GST_ELEMENT_WARNING (self, CORE, CLOCK,
        ("speech decoding falls behind real time: audio dropped"),
        ("dropped %" GST_TIME_FORMAT " of audio to catch up",
            GST_TIME_ARGS (dropped)));
  }
  g_mutex_lock (&self->lock);
}

/* hands an item to the decoding task; waits for room unless live */
static GstFlowReturn
gst_omni_speech_enqueue (GstOmniSpeech *self, GstMiniObject *item)
{
  GstClockTime dur = 0, limit;
  GstFlowReturn ret;

  g_mutex_lock (&self->lock);
  limit = gst_omni_speech_queue_limit (self->latency);
  if (GST_IS_BUFFER (item)) {
    dur = GST_BUFFER_DURATION (GST_BUFFER (item));
    if (self->live)
      gst_omni_speech_drop_late (self, dur);
    else
      while (!self->flushing && self->srcresult == GST_FLOW_OK
             && self->queued > 0 && self->queued + dur > limit)
        g_cond_wait (&self->cond, &self->lock);
  }
  ret = self->flushing ? GST_FLOW_FLUSHING : self->srcresult;
  if (ret == GST_FLOW_OK || (!GST_IS_BUFFER (item) && !self->flushing)) {
    g_queue_push_tail (&self->queue, item);
    self->queued += dur;
    self->processed += dur;
    g_cond_broadcast (&self->cond);
    item = NULL;
  }
  g_mutex_unlock (&self->lock);
  if (item)
    gst_mini_object_unref (item);
  return ret;
}

static GstFlowReturn
gst_omni_speech_chain (GstPad *pad, GstObject *parent, GstBuffer *buf)
{
  GstOmniSpeech *self = GST_OMNI_SPEECH (parent);
  GstBuffer *out;

  if (self->converter == NULL) {
    gst_buffer_unref (buf);
    GST_ELEMENT_ERROR (
        self, CORE, NEGOTIATION, ("no caps before audio"), (NULL));
    return GST_FLOW_NOT_NEGOTIATED;
  }
  if (!self->live_known)
    gst_omni_speech_check_live (self);
  out = gst_omni_speech_convert (self, buf);
  gst_buffer_unref (buf);
  if (out == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, READ, ("cannot read audio"), (NULL));
    return GST_FLOW_ERROR;
  }
  if (gst_buffer_get_size (out) == 0) {
    gst_buffer_unref (out);
    return GST_FLOW_OK;
  }
  return gst_omni_speech_enqueue (self, GST_MINI_OBJECT (out));
}

static void
gst_omni_speech_flush_queue (GstOmniSpeech *self)
{
  GstMiniObject *item;

  while ((item = g_queue_pop_head (&self->queue))) {
    if (GST_IS_EVENT (item) && GST_EVENT_IS_STICKY (GST_EVENT (item))
        && GST_EVENT_TYPE (item) != GST_EVENT_SEGMENT
        && GST_EVENT_TYPE (item) != GST_EVENT_EOS)
      gst_pad_store_sticky_event (self->srcpad, GST_EVENT (item));
    gst_mini_object_unref (item);
  }
  self->queued = 0;
}

static gboolean
gst_omni_speech_start_task (GstOmniSpeech *self)
{
  return gst_pad_start_task (
      self->srcpad, (GstTaskFunction) gst_omni_speech_loop, self, NULL);
}

static gboolean
gst_omni_speech_flush (GstOmniSpeech *self, GstEvent *event, gboolean start)
{
  gboolean ret;

  if (start) {
    g_mutex_lock (&self->lock);
    self->flushing = TRUE;
    self->srcresult = GST_FLOW_FLUSHING;
    g_cond_broadcast (&self->cond);
    g_mutex_unlock (&self->lock);
    ret = gst_pad_push_event (self->srcpad, event);
    gst_pad_pause_task (self->srcpad);
    return ret;
  }
  ret = gst_pad_push_event (self->srcpad, event);
  /* the task is stopped: its state can be reset here */
  g_mutex_lock (&self->lock);
  gst_omni_speech_flush_queue (self);
  self->flushing = FALSE;
  self->srcresult = GST_FLOW_OK;
  g_mutex_unlock (&self->lock);
  self->need_base = TRUE;
  self->out_pos = GST_CLOCK_TIME_NONE;
  self->eos = FALSE;
  self->conv_base = GST_CLOCK_TIME_NONE;
  if (self->converter)
    gst_audio_converter_reset (self->converter);
  gst_omni_speech_start_task (self);
  return ret;
}

static gboolean
gst_omni_speech_sink_event (GstPad *pad, GstObject *parent, GstEvent *event)
{
  GstOmniSpeech *self = GST_OMNI_SPEECH (parent);

  switch (GST_EVENT_TYPE (event)) {
  case GST_EVENT_FLUSH_START:
    return gst_omni_speech_flush (self, event, TRUE);
  case GST_EVENT_FLUSH_STOP:
    return gst_omni_speech_flush (self, event, FALSE);
  case GST_EVENT_CAPS: {
    GstCaps *caps;
    gst_event_parse_caps (event, &caps);
    if (!gst_omni_speech_set_caps (self, caps)) {
      gst_event_unref (event);
      return FALSE;
    }
    gst_event_unref (event);
    caps = gst_pad_get_pad_template_caps (self->srcpad);
    event = gst_event_new_caps (caps);
    gst_caps_unref (caps);
    break;
  }
  case GST_EVENT_SEGMENT: {
    const GstSegment *seg;
    gst_event_parse_segment (event, &seg);
    if (seg->format != GST_FORMAT_TIME) {
      GST_ELEMENT_ERROR (self, STREAM, FORMAT, ("need a TIME segment"),
          ("got a %s segment", gst_format_get_name (seg->format)));
      gst_event_unref (event);
      return FALSE;
    }
    self->in_segment = *seg;
    break;
  }
  default:
    break;
  }
  if (!GST_EVENT_IS_SERIALIZED (event))
    return gst_pad_event_default (pad, parent, event);
  return gst_omni_speech_enqueue (self, GST_MINI_OBJECT (event)) == GST_FLOW_OK;
}

static gboolean
gst_omni_speech_src_query (GstPad *pad, GstObject *parent, GstQuery *query)
{
  GstOmniSpeech *self = GST_OMNI_SPEECH (parent);
  GstClockTime latency;

  if (GST_QUERY_TYPE (query) != GST_QUERY_LATENCY)
    return gst_pad_query_default (pad, parent, query);
  if (!gst_pad_peer_query (self->sinkpad, query))
    return FALSE;
  GST_OBJECT_LOCK (self);
  latency = self->latency;
  GST_OBJECT_UNLOCK (self);
  omni_latency_query_add (GST_OBJECT (self), query, latency);
  return TRUE;
}

static gboolean
gst_omni_speech_src_activate_mode (
    GstPad *pad, GstObject *parent, GstPadMode mode, gboolean active)
{
  GstOmniSpeech *self = GST_OMNI_SPEECH (parent);

  if (mode != GST_PAD_MODE_PUSH)
    return FALSE;
  g_mutex_lock (&self->lock);
  self->flushing = !active;
  self->srcresult = active ? GST_FLOW_OK : GST_FLOW_FLUSHING;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  if (active)
    return gst_omni_speech_start_task (self);
  if (!gst_pad_stop_task (pad))
    return FALSE;
  g_mutex_lock (&self->lock);
  gst_omni_speech_flush_queue (self);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* state, properties, class                                           */

static gboolean
gst_omni_speech_open (GstOmniSpeech *self)
{
  OmniSpeechConfig config = { 0 };
  GError *err = NULL;
  gchar *engine;

  GST_OBJECT_LOCK (self);
  engine = g_strdup (self->engine_name);
  config.model_dir = g_strdup (self->model_dir);
  config.keywords = g_strdup (self->keywords);
  config.keywords_only = !self->transcribe;
  GST_OBJECT_UNLOCK (self);

  self->engine = omni_speech_engine_new (engine, &config, &err);
  if (self->engine == NULL) {
    if (g_error_matches (err, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
      GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND, ("%s", err->message),
          ("engine %s, model-dir %s", engine,
              config.model_dir ? config.model_dir : "(default)"));
    else
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          ("cannot start the speech engine: %s", err->message),
          ("engine %s, model-dir %s, keywords %s", engine,
              config.model_dir ? config.model_dir : "(default)",
              config.keywords ? config.keywords : "(none)"));
    g_clear_error (&err);
  }
  g_free (engine);
  g_free ((gchar *) config.model_dir);
  g_free ((gchar *) config.keywords);
  return self->engine != NULL;
}

static void
gst_omni_speech_reset (GstOmniSpeech *self)
{
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
  gst_segment_init (&self->in_segment, GST_FORMAT_TIME);
  self->need_base = TRUE;
  self->out_pos = GST_CLOCK_TIME_NONE;
  self->live = FALSE;
  self->live_known = FALSE;
  self->warned_late = FALSE;
  self->processed = self->dropped = 0;
  self->eos = FALSE;
}

static GstStateChangeReturn
gst_omni_speech_change_state (GstElement *element, GstStateChange transition)
{
  GstOmniSpeech *self = GST_OMNI_SPEECH (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    gst_omni_speech_reset (self);
    if (!gst_omni_speech_open (self))
      return GST_STATE_CHANGE_FAILURE;
  }
  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    g_clear_pointer (&self->engine, omni_speech_engine_free);
    g_clear_pointer (&self->converter, gst_audio_converter_free);
  }
  if (ret == GST_STATE_CHANGE_FAILURE
      && transition == GST_STATE_CHANGE_READY_TO_PAUSED)
    g_clear_pointer (&self->engine, omni_speech_engine_free);
  return ret;
}

static void
gst_omni_speech_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstOmniSpeech *self = GST_OMNI_SPEECH (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_ENGINE:
    g_free (self->engine_name);
    self->engine_name = g_value_dup_string (value);
    break;
  case PROP_MODEL_DIR:
    g_free (self->model_dir);
    self->model_dir = g_value_dup_string (value);
    break;
  case PROP_KEYWORDS:
    g_free (self->keywords);
    self->keywords = g_value_dup_string (value);
    break;
  case PROP_LATENCY:
    self->latency = g_value_get_uint64 (value);
    break;
  case PROP_TRANSCRIBE:
    self->transcribe = g_value_get_boolean (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
  if (prop_id == PROP_LATENCY)
    gst_element_post_message (
        GST_ELEMENT (self), gst_message_new_latency (GST_OBJECT (self)));
}

static void
gst_omni_speech_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstOmniSpeech *self = GST_OMNI_SPEECH (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_ENGINE:
    g_value_set_string (value, self->engine_name);
    break;
  case PROP_MODEL_DIR:
    g_value_set_string (value, self->model_dir);
    break;
  case PROP_KEYWORDS:
    g_value_set_string (value, self->keywords);
    break;
  case PROP_LATENCY:
    g_value_set_uint64 (value, self->latency);
    break;
  case PROP_TRANSCRIBE:
    g_value_set_boolean (value, self->transcribe);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_speech_finalize (GObject *object)
{
  GstOmniSpeech *self = GST_OMNI_SPEECH (object);

  g_free (self->engine_name);
  g_free (self->model_dir);
  g_free (self->keywords);
  g_clear_pointer (&self->converter, gst_audio_converter_free);
  g_clear_pointer (&self->engine, omni_speech_engine_free);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_omni_speech_class_init (GstOmniSpeechClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  const GParamFlags flags
      = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY;

  GST_DEBUG_CATEGORY_INIT (
      gst_omni_speech_debug, "omnispeech", 0, "speech recognition");
  gobject_class->set_property = gst_omni_speech_set_property;
  gobject_class->get_property = gst_omni_speech_get_property;
  gobject_class->finalize = gst_omni_speech_finalize;
  element_class->change_state = gst_omni_speech_change_state;

  g_object_class_install_property (gobject_class, PROP_ENGINE,
      g_param_spec_string ("engine", "Engine",
          "Speech engine (pocketsphinx is the one built in)",
          omni_speech_engine_default (), flags));
  g_object_class_install_property (gobject_class, PROP_MODEL_DIR,
      g_param_spec_string ("model-dir", "Model directory",
          "Engine model directory (NULL: the engine's default; PocketSphinx: "
          "/usr/share/pocketsphinx/model/en-us from pocketsphinx-en-us)",
          NULL, flags));
  g_object_class_install_property (gobject_class, PROP_KEYWORDS,
      g_param_spec_string ("keywords", "Keywords",
          "File of key phrases to spot, one a line with an optional "
          "threshold (PocketSphinx kws format: 'phrase /1e-20/')",
          NULL, flags));
  g_object_class_install_property (gobject_class, PROP_LATENCY,
      g_param_spec_uint64 ("latency", "Latency",
          "Delay added (ns): reported in the LATENCY query; in live "
          "pipelines also the deadline for words",
          MIN_LATENCY, MAX_LATENCY, DEFAULT_LATENCY, flags));
  g_object_class_install_property (gobject_class, PROP_TRANSCRIBE,
      g_param_spec_boolean ("transcribe", "Transcribe",
          "Recognise words; FALSE: spot the key phrases only (needs "
          "keywords; no text output, far less CPU)",
          TRUE, flags));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Omni speech",
      "Filter/Analyzer/Audio/Text",
      "Words with times, speech activity and key phrase spotting "
      "(PocketSphinx)",
      "gst-omni");
}

static void
gst_omni_speech_init (GstOmniSpeech *self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (
      self->sinkpad, GST_DEBUG_FUNCPTR (gst_omni_speech_chain));
  gst_pad_set_event_function (
      self->sinkpad, GST_DEBUG_FUNCPTR (gst_omni_speech_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_set_query_function (
      self->srcpad, GST_DEBUG_FUNCPTR (gst_omni_speech_src_query));
  gst_pad_set_activatemode_function (
      self->srcpad, GST_DEBUG_FUNCPTR (gst_omni_speech_src_activate_mode));
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->queue);
  self->engine_name = g_strdup (omni_speech_engine_default ());
  self->latency = DEFAULT_LATENCY;
  self->transcribe = TRUE;
  gst_omni_speech_reset (self);
}
