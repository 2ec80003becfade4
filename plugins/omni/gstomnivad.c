/* gst-omni: omnivad
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-omnivad
 * @title: omnivad
 * @short_description: speech activity of an audio stream with Silero VAD
 *   (ONNX) on Vulkan or the CPU
 *
 * omnivad is a pass-through audio filter: it never changes a sample. It runs
 * Silero VAD v5 (Silero Team, MIT; fetched by tools/omni-fetch-models from
 * @ricky0123/vad-web) through the runtime's ONNX loader on every 32 ms
 * (512 samples at 16 kHz), carrying the model's LSTM state from frame to
 * frame and feeding each frame after the previous one's last 64 samples, as
 * the model's own wrapper does. It takes 16 kHz mono F32 audio: put
 * `audioconvert ! audioresample` before it (the caps say so, and
 * negotiation fails otherwise), so the resampling is GStreamer's own.
 *
 * Speech segments follow the probabilities with hysteresis, as vad-web's
 * frame processor does: a segment starts at the first frame whose
 * probability reaches #GstOmniVad:threshold and ends when the probability
 * has stayed below #GstOmniVad:end-threshold for #GstOmniVad:hangover-ms;
 * its end is the end of the last frame at or above the end threshold.
 *
 * ## Messages
 *
 * `omnivad`, every frame (32 ms):
 * - "running-time" (guint64): running time of the frame's first sample
 * - "duration" (guint64): the frame's length (32 ms)
 * - "probability" (gdouble): the model's speech probability, [0, 1]
 * - "speech" (gboolean): whether the frame is inside a speech segment
 *
 * `omnivad-speech-start`, when a segment starts:
 * - "running-time" (guint64): its start
 *
 * `omnivad-speech-end`, when a segment ends (or at EOS inside one):
 * - "start" (guint64): running time of its start
 * - "end" (guint64): running time of its end
 *
 * ## Meta
 *
 * Each buffer in which frames complete carries an #OmniTensorMeta named
 * "speech-probability" (float32, [frames, 2]): per frame, the probability
 * and 1 or 0 for inside or outside a speech segment (the hysteresis above);
 * its start and end are the running times of the first frame's start and
 * the last frame's end. omnifusion reads it as its speech-activity
 * evidence.
 *
 * Running times come from the PTS of the buffer that holds a frame's first
 * sample (or, without PTS, from the previous frame) and the segment; a
 * flush or a discontinuity restarts the model's state.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -m filesrc location=talk.wav ! decodebin ! audioconvert ! \
 *   audioresample ! omnivad ! fakesink
 * ]| prints a probability every 32 ms and the speech segments.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstomnivad.h"

#include <omni/meta/omnitensormeta.h>
#include <omni/nn/omninnvad.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_omni_vad_debug);
#define GST_CAT_DEFAULT gst_omni_vad_debug

#define DEFAULT_MODEL "silero-vad"
#define DEFAULT_BACKEND "auto"
#define DEFAULT_THRESHOLD 0.5
#define DEFAULT_END_THRESHOLD 0.35
#define DEFAULT_HANGOVER_MS 300

enum {
  PROP_0,
  PROP_MODEL,
  PROP_BACKEND,
  PROP_THRESHOLD,
  PROP_END_THRESHOLD,
  PROP_HANGOVER_MS,
};

struct _GstOmniVad {
  GstAudioFilter parent;

  /* properties (object lock) */
  gchar *model;
  gchar *backend;
  gdouble threshold, end_threshold;
  guint hangover_ms;

  /* streaming */
  OmniNnVad *vad;
  gfloat *pending; /* samples of the frame being filled */
  guint n_pending;
  GstClockTime pending_rt; /* running time of pending[0] */
  GstClockTime frame_ns;
  gboolean in_speech;
  GstClockTime seg_start, seg_end, silence_ns;
  /* the frames completed in the buffer being processed: (probability,
   * in speech) pairs, and the first one's running time */
  GArray *done;
  GstClockTime done_rt;
};

#define CAPS_STR                                                               \
  "audio/x-raw, format = (string) " GST_AUDIO_NE (                             \
      F32) ", rate = (int) 16000, "                                            \
           "channels = (int) 1, layout = (string) interleaved"

G_DEFINE_TYPE (GstOmniVad, gst_omni_vad, GST_TYPE_AUDIO_FILTER);
GST_ELEMENT_REGISTER_DEFINE (
    omnivad, "omnivad", GST_RANK_NONE, GST_TYPE_OMNI_VAD);

static void
post (GstOmniVad *self, GstStructure *s)
{
  gst_element_post_message (
      GST_ELEMENT (self), gst_message_new_element (GST_OBJECT (self), s));
}

static void
end_segment (GstOmniVad *self)
{
  post (self, gst_structure_new ("omnivad-speech-end", "start", G_TYPE_UINT64,
                  self->seg_start, "end", G_TYPE_UINT64, self->seg_end, NULL));
  self->in_speech = FALSE;
}

/* Hysteresis on one frame's probability; posts the messages. */
static void
frame_done (GstOmniVad *self, GstClockTime rt, gfloat p)
{
  gfloat pair[2];
  gdouble on, off;
  GstClockTime hang;

  GST_OBJECT_LOCK (self);
  on = self->threshold;
  off = self->end_threshold;
  hang = self->hangover_ms * GST_MSECOND;
  GST_OBJECT_UNLOCK (self);
  if (!self->in_speech && p >= on) {
    self->in_speech = TRUE;
    self->seg_start = rt;
    self->silence_ns = 0;
    post (self, gst_structure_new ("omnivad-speech-start", "running-time",
                    G_TYPE_UINT64, rt, NULL));
  }
  if (self->in_speech) {
    if (p >= off) {
      self->seg_end = rt + self->frame_ns;
      self->silence_ns = 0;
    } else {
      self->silence_ns += self->frame_ns;
    }
  }
  if (!self->done->len)
    self->done_rt = rt;
  pair[0] = p;
  pair[1] = self->in_speech ? 1.0f : 0.0f;
  g_array_append_vals (self->done, pair, 2);
  post (self, gst_structure_new ("omnivad", "running-time", G_TYPE_UINT64, rt,
                  "duration", G_TYPE_UINT64, self->frame_ns, "probability",
                  G_TYPE_DOUBLE, (gdouble) p, "speech", G_TYPE_BOOLEAN,
                  self->in_speech, NULL));
  if (self->in_speech && self->silence_ns >= hang)
    end_segment (self);
}

static void
restart (GstOmniVad *self)
{
  if (self->in_speech)
    end_segment (self);
  self->n_pending = 0;
  self->pending_rt = GST_CLOCK_TIME_NONE;
  if (self->vad)
    omni_nn_vad_reset (self->vad);
}

static gboolean
gst_omni_vad_start (GstBaseTransform *trans)
{
  GstOmniVad *self = GST_OMNI_VAD (trans);
  GError *err = NULL;
  gchar *model, *backend;

  GST_OBJECT_LOCK (self);
  model = g_strdup (self->model);
  backend = g_strdup (self->backend);
  GST_OBJECT_UNLOCK (self);
  self->vad = omni_nn_vad_new (
      model, g_strcmp0 (backend, "auto") ? backend : NULL, &err);
  g_free (model);
  g_free (backend);
  if (!self->vad) {
    GST_ELEMENT_ERROR (self, LIBRARY, INIT, (NULL),
        ("cannot load the VAD model: %s", err->message));
    g_error_free (err);
    return FALSE;
  }
  GST_INFO_OBJECT (self, "%s on the %s backend",
      omni_nn_vad_get_path (self->vad), omni_nn_vad_get_backend (self->vad));
  self->frame_ns = gst_util_uint64_scale_int (omni_nn_vad_get_frame (self->vad),
      GST_SECOND, omni_nn_vad_get_rate (self->vad));
  self->pending = g_new0 (gfloat, omni_nn_vad_get_frame (self->vad));
  self->in_speech = FALSE;
  restart (self);
  return TRUE;
}

static gboolean
gst_omni_vad_stop (GstBaseTransform *trans)
{
  GstOmniVad *self = GST_OMNI_VAD (trans);

  omni_nn_vad_free (self->vad);
  self->vad = NULL;
  g_clear_pointer (&self->pending, g_free);
  return TRUE;
}

static gboolean
gst_omni_vad_sink_event (GstBaseTransform *trans, GstEvent *event)
{
  GstOmniVad *self = GST_OMNI_VAD (trans);

  switch (GST_EVENT_TYPE (event)) {
  case GST_EVENT_EOS:
    if (self->in_speech)
      end_segment (self);
    break;
  case GST_EVENT_FLUSH_STOP:
  case GST_EVENT_STREAM_START:
    restart (self);
    break;
  default:
    break;
  }
  return GST_BASE_TRANSFORM_CLASS (gst_omni_vad_parent_class)
      ->sink_event (trans, event);
}

/* Fills frames from @x; runs the model on each full one. */
static gboolean
feed (GstOmniVad *self, const gfloat *x, guint n, GstClockTime rt)
{
  guint frame = omni_nn_vad_get_frame (self->vad),
        rate = omni_nn_vad_get_rate (self->vad);
  guint i = 0;
  GError *err = NULL;

  while (i < n) {
    guint take = MIN (frame - self->n_pending, n - i);
    gfloat p;

    if (self->n_pending == 0 && GST_CLOCK_TIME_IS_VALID (rt))
      self->pending_rt = rt + gst_util_uint64_scale_int (i, GST_SECOND, rate);
    memcpy (self->pending + self->n_pending, x + i, take * sizeof (gfloat));
    self->n_pending += take;
    i += take;
    if (self->n_pending < frame)
      break;
    if (!omni_nn_vad_process (self->vad, self->pending, &p, &err)) {
      GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL),
          ("the VAD model failed: %s", err->message));
      g_error_free (err);
      return FALSE;
    }
    frame_done (self,
        GST_CLOCK_TIME_IS_VALID (self->pending_rt) ? self->pending_rt : 0, p);
    if (GST_CLOCK_TIME_IS_VALID (self->pending_rt))
      self->pending_rt += self->frame_ns;
    self->n_pending = 0;
  }
  return TRUE;
}

/* The "speech-probability" tensor of the frames completed in @buf. */
static void
attach_frames (GstOmniVad *self, GstBuffer *buf)
{
  gsize dims[2] = { self->done->len / 2, 2 };
  GBytes *data;
  OmniTensorMeta *m;

  if (!self->done->len)
    return;
  data = g_bytes_new (self->done->data, self->done->len * sizeof (gfloat));
  m = omni_buffer_add_tensor_meta (
      buf, "speech-probability", OMNI_TENSOR_DTYPE_F32, 2, dims, data);
  g_bytes_unref (data);
  m->start = self->done_rt;
  m->end = self->done_rt + dims[0] * self->frame_ns;
  g_array_set_size (self->done, 0);
}

static GstFlowReturn
gst_omni_vad_transform_ip (GstBaseTransform *trans, GstBuffer *buf)
{
  GstOmniVad *self = GST_OMNI_VAD (trans);
  GstMapInfo map;
  GstClockTime rt = GST_CLOCK_TIME_NONE;
  gboolean ok;

  if (GST_BUFFER_IS_DISCONT (buf))
    restart (self);
  if (GST_BUFFER_PTS_IS_VALID (buf))
    rt = gst_segment_to_running_time (
        &trans->segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buf));
  if (!gst_buffer_map (buf, &map, GST_MAP_READ)) {
    GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL), ("cannot map a buffer"));
    return GST_FLOW_ERROR;
  }
  g_array_set_size (self->done, 0);
  ok = feed (self, (const gfloat *) map.data,
      (guint) (map.size / sizeof (gfloat)), rt);
  gst_buffer_unmap (buf, &map);
  if (ok)
    attach_frames (self, buf);
  return ok ? GST_FLOW_OK : GST_FLOW_ERROR;
}

static void
gst_omni_vad_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstOmniVad *self = GST_OMNI_VAD (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_MODEL:
    g_free (self->model);
    self->model = g_value_dup_string (value);
    break;
  case PROP_BACKEND:
    g_free (self->backend);
    self->backend = g_value_dup_string (value);
    break;
  case PROP_THRESHOLD:
    self->threshold = g_value_get_double (value);
    break;
  case PROP_END_THRESHOLD:
    self->end_threshold = g_value_get_double (value);
    break;
  case PROP_HANGOVER_MS:
    self->hangover_ms = g_value_get_uint (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_vad_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstOmniVad *self = GST_OMNI_VAD (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_MODEL:
    g_value_set_string (value, self->model);
    break;
  case PROP_BACKEND:
    g_value_set_string (value, self->backend);
    break;
  case PROP_THRESHOLD:
    g_value_set_double (value, self->threshold);
    break;
  case PROP_END_THRESHOLD:
    g_value_set_double (value, self->end_threshold);
    break;
  case PROP_HANGOVER_MS:
    g_value_set_uint (value, self->hangover_ms);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_vad_finalize (GObject *object)
{
  GstOmniVad *self = GST_OMNI_VAD (object);

  g_free (self->model);
  g_free (self->backend);
  g_array_unref (self->done);
  G_OBJECT_CLASS (gst_omni_vad_parent_class)->finalize (object);
}

static void
gst_omni_vad_class_init (GstOmniVadClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstCaps *caps = gst_caps_from_string (CAPS_STR);

  GST_DEBUG_CATEGORY_INIT (
      gst_omni_vad_debug, "omnivad", 0, "speech activity with Silero VAD");
  gobject_class->set_property = gst_omni_vad_set_property;
  gobject_class->get_property = gst_omni_vad_get_property;
  gobject_class->finalize = gst_omni_vad_finalize;

  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "Model name (in $OMNI_MODEL_PATH), directory or .onnx file, with "
          "its model-info.json",
          DEFAULT_MODEL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_BACKEND,
      g_param_spec_string ("backend", "Backend",
          "Where the model runs: auto (Vulkan when a device works, else the "
          "CPU), vulkan or cpu",
          DEFAULT_BACKEND,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_THRESHOLD,
      g_param_spec_double ("threshold", "Threshold",
          "Speech probability at which a segment starts", 0.0, 1.0,
          DEFAULT_THRESHOLD, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_END_THRESHOLD,
      g_param_spec_double ("end-threshold", "End threshold",
          "Speech probability below which frames count toward the end of a "
          "segment",
          0.0, 1.0, DEFAULT_END_THRESHOLD,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_HANGOVER_MS,
      g_param_spec_uint ("hangover-ms", "Hangover (ms)",
          "How long the probability must stay below end-threshold to end a "
          "segment",
          0, 60000, DEFAULT_HANGOVER_MS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  gst_element_class_set_static_metadata (element_class, "Speech activity",
      "Filter/Analyzer/Audio",
      "Speech probability every 32 ms and speech segments (Silero VAD, ONNX)",
      "gst-omni");
  gst_audio_filter_class_add_pad_templates (
      GST_AUDIO_FILTER_CLASS (klass), caps);
  gst_caps_unref (caps);

  trans_class->start = GST_DEBUG_FUNCPTR (gst_omni_vad_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_omni_vad_stop);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_omni_vad_sink_event);
  trans_class->transform_ip = GST_DEBUG_FUNCPTR (gst_omni_vad_transform_ip);
  trans_class->passthrough_on_same_caps = FALSE;
}

static void
gst_omni_vad_init (GstOmniVad *self)
{
  self->model = g_strdup (DEFAULT_MODEL);
  self->backend = g_strdup (DEFAULT_BACKEND);
  self->threshold = DEFAULT_THRESHOLD;
  self->end_threshold = DEFAULT_END_THRESHOLD;
  self->hangover_ms = DEFAULT_HANGOVER_MS;
  self->done = g_array_new (FALSE, FALSE, sizeof (gfloat));
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self), FALSE);
}
