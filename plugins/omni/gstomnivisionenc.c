/* gst-omni: omnivisionenc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-omnivisionenc
 * @title: omnivisionenc
 * @short_description: runs an image model (TF.js layers format) in Vulkan
 *   compute on sampled frames; attaches class scores and the embedding
 *
 * omnivisionenc is a pass-through video filter: it never changes a pixel.
 * On the frames it analyses it runs an image classifier, by default nsfwjs'
 * MobileNetV2 (classes Drawing, Hentai, Neutral, Porn, Sexy), as Vulkan
 * compute shaders on any GPU, or on the CPU through Mesa's lavapipe, and
 * attaches to that frame:
 * - an #OmniClassMeta: the model id, the labels and the class
 *   probabilities;
 * - an #OmniTensorMeta named "embedding": float32, the output of the
 *   model's global average pool (1280 values for MobileNetV2), or of the
 *   layer named by #GstOmniVisionEnc:embedding-layer.
 *
 * ## Which frames
 *
 * A frame carrying an #OmniSampleMeta (from omnisampler upstream) is always
 * analysed. Once such a meta has been seen, frames without one are not.
 * When none has been seen since start or the last flush, every
 * #GstOmniVisionEnc:inference-interval-th frame is analysed, starting with
 * the first.
 *
 * ## Models
 *
 * #GstOmniVisionEnc:model is a model name looked up as NAME/model.json in
 * $OMNI_MODEL_PATH, the build tree's models and $datadir/gst-omni/models
 * (tools/omni-fetch-models installs "nsfw"), or the path of any TF.js
 * layers model (model.json + weight shards, float32 or quantized) made of
 * the supported layers: convolutions (full, depthwise, separable, 1x1),
 * dense, batch normalisation, ReLU/ReLU6, zero padding, add, global average
 * pooling, softmax. Labels come from #GstOmniVisionEnc:labels, or
 * labels.txt next to model.json, else "class0", "class1", ...
 *
 * The frame is converted to RGB, resized to the model's input with
 * bilinear interpolation exactly as tf.image.resizeBilinear and normalised
 * as the model expects (for nsfwjs: RGB / 255, alignCorners), on the device
 * itself with the Vulkan backend. With the same 224x224 RGB input the
 * probabilities equal those of nsfwjs on TensorFlow.js within 1e-3.
 *
 * ## Messages
 *
 * With #GstOmniVisionEnc:post-messages, an element message `omnivisionenc`
 * is posted for each analysed frame:
 * - "model" (gchararray): the model id
 * - "timestamp" (guint64): the frame's PTS
 * - "stream-time" (guint64): its stream time
 * - "running-time" (guint64): its running time
 * - "duration" (guint64): its duration (GST_CLOCK_TIME_NONE if unknown)
 * - "top-label" (gchararray): the most probable class
 * - "top-score" (gdouble): its score
 * - "labels" (GstValueArray of gchararray): the #GstOmniVisionEnc:top-k
 *   most probable classes, best first
 * - "scores" (GstValueArray of gdouble): their scores
 * - "inference-ms" (gdouble): wall-clock time of this inference,
 *   pre-processing and download included
 *
 * ## Failing closed
 *
 * The model's files are checked against the SHA256SUMS of its directory at
 * start; a file that is not listed or does not match stops the element
 * (see #GstOmniVisionEnc:allow-unverified). A model that gives NaN or
 * infinite scores keeps them in its #OmniClassMeta (omnifusion then marks
 * the window "error", never "ok"); the first such frame posts a warning and
 * #GstOmniVisionEnc:stats counts them ("nonfinite").
 *
 * ## Latency
 *
 * An inference runs in the streaming thread, on the frame it describes, so
 * the element delays frames by up to one inference. It reports that in the
 * LATENCY query: the time of a warm-up inference at start, raised (with a
 * latency message) when an inference takes longer.
 *
 * #GstBaseTransform:qos is off by default: a late frame is analysed and
 * forwarded, never dropped. To keep up with a live source, put omnisampler
 * upstream: it lowers its sampling rate on QoS. In a live pipeline the
 * element measures its own load (the inference time over the running time
 * between analysed frames, smoothed) and, while it is above 1, sends a QoS
 * event upstream itself (type throttle, proportion = load, jitter = the
 * time it overran by), so omnisampler adapts even when the sink has
 * qos=false (appsink, fakesink and filesink do by default).
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 -m filesrc location=in.mkv ! decodebin ! videoconvert ! \
 *   omnisampler interval=1000000000 ! omnivisionenc model=nsfw ! fakesink
 * ]| one classification per second plus one per shot, on the bus.
 * |[
 * gst-launch-1.0 -m v4l2src ! videoconvert ! \
 *   omnivisionenc inference-interval=15 backend=cpu ! autovideosink
 * ]| every 15th camera frame, on the CPU reference.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnilatency.h"
#include "omnithroughput.h"
#include "gstomnivisionenc.h"

#include <omni/meta/omniclassmeta.h>
#include <omni/meta/omnisamplemeta.h>
#include <omni/meta/omnitensormeta.h>
#include <omni/nn/omninncpu.h>
#include <omni/nn/omninnmodel.h>
#include <omni/nn/omninnsession.h>
#include <math.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_omni_vision_enc_debug);
#define GST_CAT_DEFAULT gst_omni_vision_enc_debug

#define DEFAULT_MODEL "nsfw"
#define DEFAULT_BACKEND GST_OMNI_VISION_ENC_BACKEND_AUTO
#define DEFAULT_INFERENCE_INTERVAL 1
#define DEFAULT_POST_MESSAGES TRUE
#define DEFAULT_TOP_K 5

enum {
  PROP_0,
  PROP_MODEL,
  PROP_LABELS,
  PROP_DEVICE,
  PROP_BACKEND,
  PROP_INFERENCE_INTERVAL,
  PROP_EMBEDDING_LAYER,
  PROP_POST_MESSAGES,
  PROP_TOP_K,
  PROP_STATS,
  PROP_ALLOW_UNVERIFIED,
};

struct _GstOmniVisionEnc {
  GstVideoFilter parent;

  /* properties, under the object lock */
  gchar *model_name;
  gchar *labels_path;
  gchar *device;
  GstOmniVisionEncBackend backend;
  guint interval;
  gchar *embedding_layer;
  gboolean allow_unverified;
  gboolean post_messages;
  guint top_k;

  /* set up in start(), used by the streaming thread */
  OmniNnSession *session; /* the process-wide session cache's */
  const OmniNnModel *model;
  const gchar *device_name;
  gchar **labels; /* n_classes + NULL */
  guint n_classes;
  gint prob_index, emb_index;
  gfloat **outputs; /* the session's */
  OmniNnPreprocessParams pre;
  gboolean pre_valid;
  guint64 frame_count;
  gboolean seen_sample_meta;

  /* stats and latency, under the object lock */
  guint64 n_runs;
  guint64 n_nonfinite; /* inferences with a NaN or infinite output */

  /* streaming thread: the analyser's own load, told upstream when live */
  OmniThroughput throughput;
  gint live; /* upstream is live: -1 not asked yet, 0 no, 1 yes */
  gdouble total_ms, max_ms, last_ms;
  GstClockTime latency;
};

#define VIDEO_FORMATS                                                          \
  "{ RGB, BGR, RGBx, BGRx, xRGB, xBGR, RGBA, BGRA, "                           \
  "ARGB, ABGR, GRAY8, I420, NV12 }"

static GstStaticPadTemplate sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (VIDEO_FORMATS)));

static GstStaticPadTemplate src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (VIDEO_FORMATS)));

#define gst_omni_vision_enc_parent_class parent_class
G_DEFINE_TYPE (GstOmniVisionEnc, gst_omni_vision_enc, GST_TYPE_VIDEO_FILTER);
GST_ELEMENT_REGISTER_DEFINE (
    omnivisionenc, "omnivisionenc", GST_RANK_NONE, GST_TYPE_OMNI_VISION_ENC);

static GType
gst_omni_vision_enc_backend_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { GST_OMNI_VISION_ENC_BACKEND_AUTO,
        "Vulkan, or the CPU reference when there is no Vulkan device", "auto" },
    { GST_OMNI_VISION_ENC_BACKEND_VULKAN, "Vulkan compute only", "vulkan" },
    { GST_OMNI_VISION_ENC_BACKEND_CPU, "Plain-C reference ops on the CPU",
        "cpu" },
    { 0, NULL, NULL }
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstOmniVisionEncBackend", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

/* ---- set-up and tear-down ---------------------------------------------- */

static void
free_engine (GstOmniVisionEnc *self)
{
  g_clear_pointer (&self->outputs, g_free);
  g_clear_pointer (&self->labels, g_strfreev);
  self->device_name = NULL;
  self->model = NULL;
  g_clear_pointer (&self->session, omni_nn_session_free);
  self->n_classes = 0;
}

static void
post_model_error (GstOmniVisionEnc *self, const gchar *model, GError *err)
{
  switch (err->code) {
  case OMNI_NN_ERROR_NOT_FOUND:
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
        ("Could not find model \"%s\".", model), ("%s", err->message));
    break;
  case OMNI_NN_ERROR_UNSUPPORTED:
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Model \"%s\" uses something omnivisionenc does not support.", model),
        ("%s", err->message));
    break;
  case OMNI_NN_ERROR_SETTING:
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("The labels or embedding-layer setting does not fit model \"%s\".",
            model),
        ("%s", err->message));
    break;
  case OMNI_NN_ERROR_UNVERIFIED:
    GST_ELEMENT_ERROR (self, RESOURCE, READ,
        ("Model \"%s\" does not match its recorded sha256 sums.", model),
        ("%s", err->message));
    break;
  default:
    GST_ELEMENT_ERROR (self, RESOURCE, READ,
        ("Model \"%s\" is corrupt.", model), ("%s", err->message));
    break;
  }
}

/* Runs one inference on a zero input: compiles what is compiled lazily and
 * measures the latency to report. */
static gboolean
warm_up (GstOmniVisionEnc *self, GError **error)
{
  const OmniNnGraph *g = self->model->graph;
  gsize n = (gsize) g->input_h * g->input_w * g->input_c;
  gfloat *zeros = g_new0 (gfloat, n);
  OmniNnInput in = { 0 };
  gint64 t0 = g_get_monotonic_time ();
  gboolean ok;

  in.tensor = zeros;
  ok = omni_nn_session_run (self->session, &in, error);
  g_free (zeros);
  if (ok) {
    GST_OBJECT_LOCK (self);
    self->latency = (g_get_monotonic_time () - t0) * GST_USECOND;
    GST_OBJECT_UNLOCK (self);
  }
  return ok;
}

/* The model on the backend, through the process-wide session cache (one
 * loaded model and engine shared by every element of the process). */
static gboolean
open_session (GstOmniVisionEnc *self, const gchar *model,
    const OmniNnSessionOptions *opts, GstOmniVisionEncBackend backend,
    const gchar *device)
{
  static const OmniNnBackendChoice choice[]
      = { OMNI_NN_BACKEND_AUTO, OMNI_NN_BACKEND_VULKAN, OMNI_NN_BACKEND_CPU };
  GError *err = NULL;

  self->session = omni_nn_session_new_with_options (
      model, choice[backend], device, opts, &err);
  if (!self->session && err->code == OMNI_NN_ERROR_DEVICE) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
        ("No usable Vulkan device for omnivisionenc."),
        ("%s (or set backend=cpu to run the C reference on the CPU)",
            err->message));
  } else if (!self->session) {
    post_model_error (self, model, err);
  } else if (omni_nn_session_get_fallback_reason (self->session)) {
    GST_ELEMENT_WARNING (self, RESOURCE, OPEN_READ_WRITE,
        ("No usable Vulkan device: omnivisionenc runs on the CPU "
         "reference, much slower."),
        ("%s", omni_nn_session_get_fallback_reason (self->session)));
  }
  g_clear_error (&err);
  if (!self->session)
    return FALSE;
  self->model = omni_nn_session_get_model (self->session);
  self->device_name = omni_nn_session_get_device_name (self->session);
  return TRUE;
}

static gboolean
gst_omni_vision_enc_start (GstBaseTransform *trans)
{
  GstOmniVisionEnc *self = GST_OMNI_VISION_ENC (trans);
  gchar *model, *labels, *device, *emb;
  GstOmniVisionEncBackend backend;
  OmniNnSessionOptions opts = { 0 };
  const OmniNnGraph *g;
  GError *err = NULL;
  guint i, n_out;

  GST_OBJECT_LOCK (self);
  opts.flags = self->allow_unverified ? OMNI_NN_LOAD_ALLOW_UNVERIFIED
                                      : OMNI_NN_LOAD_DEFAULT;
  model = g_strdup (self->model_name);
  labels = g_strdup (self->labels_path);
  device = g_strdup (self->device);
  emb = g_strdup (self->embedding_layer);
  backend = self->backend;
  self->n_runs = 0;
  self->n_nonfinite = 0;
  omni_throughput_reset (&self->throughput);
  self->live = -1;
  self->total_ms = self->max_ms = self->last_ms = 0;
  GST_OBJECT_UNLOCK (self);

  opts.labels = labels;
  opts.embedding_layer = emb;
  if (!open_session (self, model, &opts, backend, device))
    goto fail;
  if (!self->model->verified) {
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("Model \"%s\" is not verified: its results cannot be trusted.", model),
        ("loaded because unverified models are allowed: %s",
            self->model->unverified_reason));
  }
  g = self->model->graph;
  if (g->input_c != 3) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Model \"%s\" does not take RGB images.", model), (NULL));
    goto fail;
  }
  self->prob_index = omni_nn_graph_find_output (g, "probabilities");
  if (self->prob_index < 0)
    self->prob_index = omni_nn_graph_find_output (g, "output");
  self->emb_index = omni_nn_graph_find_output (g, "embedding");
  if (self->prob_index < 0) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Model \"%s\" has no output.", model), (NULL));
    goto fail;
  }
  self->n_classes = omni_nn_graph_tensor (
      g, omni_nn_graph_output (g, self->prob_index)->tensor)
                        ->n_elements;
  if (self->model->labels && self->model->n_labels != self->n_classes) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("The labels of model \"%s\" do not match it.", model),
        ("%u labels for %u classes", self->model->n_labels, self->n_classes));
    goto fail;
  }
  self->labels = g_new0 (gchar *, self->n_classes + 1);
  for (i = 0; i < self->n_classes; i++) {
    self->labels[i] = self->model->labels ? g_strdup (self->model->labels[i])
                                          : g_strdup_printf ("class%u", i);
  }

  n_out = g->outputs->len;
  self->outputs = g_new0 (gfloat *, n_out);
  for (i = 0; i < n_out; i++)
    self->outputs[i]
        = (gfloat *) omni_nn_session_get_output (self->session, i, NULL);

  if (!warm_up (self, &err)) {
    GST_ELEMENT_ERROR (self, LIBRARY, FAILED, (NULL), ("%s", err->message));
    g_error_free (err);
    goto fail;
  }
  GST_INFO_OBJECT (self,
      "model %s (%s): %u nodes, %" G_GUINT64_FORMAT
      " MACs, on %s; warm-up %" GST_TIME_FORMAT,
      self->model->id, self->model->path, g->nodes->len,
      omni_nn_graph_count_macs (g), self->device_name,
      GST_TIME_ARGS (self->latency));

  self->frame_count = 0;
  self->seen_sample_meta = FALSE;
  g_free (model);
  g_free (labels);
  g_free (device);
  g_free (emb);
  return TRUE;

fail:
  free_engine (self);
  g_free (model);
  g_free (labels);
  g_free (device);
  g_free (emb);
  return FALSE;
}

static gboolean
gst_omni_vision_enc_stop (GstBaseTransform *trans)
{
  GstOmniVisionEnc *self = GST_OMNI_VISION_ENC (trans);

  free_engine (self);
  self->pre_valid = FALSE;
  return TRUE;
}

static gboolean
gst_omni_vision_enc_set_info (GstVideoFilter *filter, GstCaps *incaps,
    GstVideoInfo *in_info, GstCaps *outcaps, GstVideoInfo *out_info)
{
  GstOmniVisionEnc *self = GST_OMNI_VISION_ENC (filter);
  const OmniNnGraph *g;

  if (!self->model)
    return FALSE;
  g = self->model->graph;
  self->pre_valid = omni_nn_preprocess_params_from_video_info (&self->pre,
      in_info, g->input_w, g->input_h, g->align_corners, g->input_scale,
      g->input_offset);
  if (!self->pre_valid) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT, (NULL),
        ("unsupported format %s",
            gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (in_info))));
    return FALSE;
  }
  GST_DEBUG_OBJECT (self, "%s %ux%u -> %ux%u",
      gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (in_info)),
      self->pre.in_w, self->pre.in_h, self->pre.out_w, self->pre.out_h);
  return TRUE;
}

static gboolean
gst_omni_vision_enc_sink_event (GstBaseTransform *trans, GstEvent *event)
{
  GstOmniVisionEnc *self = GST_OMNI_VISION_ENC (trans);

  if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP) {
    self->frame_count = 0;
    self->seen_sample_meta = FALSE;
  }
  return GST_BASE_TRANSFORM_CLASS (parent_class)->sink_event (trans, event);
}

static GstClockTime
vision_enc_own_latency (GstBaseTransform *trans)
{
  GstOmniVisionEnc *self = GST_OMNI_VISION_ENC (trans);
  GstClockTime ours;

  GST_OBJECT_LOCK (self);
  ours = self->latency;
  GST_OBJECT_UNLOCK (self);
  return ours;
}

static gboolean
gst_omni_vision_enc_query (
    GstBaseTransform *trans, GstPadDirection direction, GstQuery *query)
{
  return omni_latency_transform_query (trans,
      GST_BASE_TRANSFORM_CLASS (parent_class), direction, query,
      vision_enc_own_latency);
}

/* ---- per frame --------------------------------------------------------- */

/* Whether to analyse @buf: see "Which frames" above. */
static gboolean
want_frame (GstOmniVisionEnc *self, GstBuffer *buf)
{
  guint interval;
  guint64 n;

  if (omni_buffer_get_sample_meta (buf)) {
    self->seen_sample_meta = TRUE;
    return TRUE;
  }
  if (self->seen_sample_meta)
    return FALSE;
  GST_OBJECT_LOCK (self);
  interval = self->interval;
  GST_OBJECT_UNLOCK (self);
  n = self->frame_count++;
  return n % interval == 0;
}

static void
post_message (
    GstOmniVisionEnc *self, GstBuffer *buf, const gfloat *scores, gdouble ms)
{
  GstBaseTransform *trans = GST_BASE_TRANSFORM (self);
  GstClockTime pts = GST_BUFFER_PTS (buf);
  GstClockTime rt = GST_CLOCK_TIME_NONE, st = GST_CLOCK_TIME_NONE;
  GValue labels = G_VALUE_INIT, values = G_VALUE_INIT;
  GstStructure *s;
  guint *order, i, j, k;

  GST_OBJECT_LOCK (self);
  k = MIN (self->top_k, self->n_classes);
  GST_OBJECT_UNLOCK (self);

  if (trans->segment.format == GST_FORMAT_TIME
      && GST_CLOCK_TIME_IS_VALID (pts)) {
    rt = gst_segment_to_running_time (&trans->segment, GST_FORMAT_TIME, pts);
    st = gst_segment_to_stream_time (&trans->segment, GST_FORMAT_TIME, pts);
  }

  /* indices by descending score (stable for ties) */
  order = g_new (guint, self->n_classes);
  for (i = 0; i < self->n_classes; i++) {
    for (j = i; j > 0 && scores[order[j - 1]] < scores[i]; j--)
      order[j] = order[j - 1];
    order[j] = i;
  }

  g_value_init (&labels, GST_TYPE_ARRAY);
  g_value_init (&values, GST_TYPE_ARRAY);
  for (i = 0; i < k; i++) {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_STRING);
    g_value_set_string (&v, self->labels[order[i]]);
    gst_value_array_append_and_take_value (&labels, &v);
    g_value_init (&v, G_TYPE_DOUBLE);
    g_value_set_double (&v, scores[order[i]]);
    gst_value_array_append_and_take_value (&values, &v);
  }

  s = gst_structure_new ("omnivisionenc", "model", G_TYPE_STRING,
      self->model->id, "timestamp", G_TYPE_UINT64, pts, "stream-time",
      G_TYPE_UINT64, st, "running-time", G_TYPE_UINT64, rt, "duration",
      G_TYPE_UINT64, GST_BUFFER_DURATION (buf), "top-label", G_TYPE_STRING,
      self->labels[order[0]], "top-score", G_TYPE_DOUBLE,
      (gdouble) scores[order[0]], NULL);
  gst_structure_take_value (s, "labels", &labels);
  gst_structure_take_value (s, "scores", &values);
  gst_structure_set (s, "inference-ms", G_TYPE_DOUBLE, ms, NULL);
  g_free (order);
  gst_element_post_message (
      GST_ELEMENT (self), gst_message_new_element (GST_OBJECT (self), s));
}

/* Runs the model on a mapped frame; the session retries once on a fresh
 * device after a Vulkan failure (device lost): warn when it did. */
static gboolean
infer (GstOmniVisionEnc *self, const OmniNnInput *in, GError **error)
{
  guint recoveries = omni_nn_session_get_n_recoveries (self->session);
  gboolean ok = omni_nn_session_run (self->session, in, error);

  if (omni_nn_session_get_n_recoveries (self->session) != recoveries) {
    GST_ELEMENT_WARNING (self, RESOURCE, FAILED,
        ("Vulkan inference failed, restarting the device."),
        ("%s", omni_nn_session_get_recovery_reason (self->session)));
  }
  return ok;
}

/* Fail closed: NaN or infinite scores (a broken or tampered model, an
 * overflowing quantisation) are kept as they are in the metas, so that
 * omnifusion marks the window "error", and are reported once by a warning. */
static void
check_finite (GstOmniVisionEnc *self, GstBuffer *buf)
{
  const gfloat *p = self->outputs[self->prob_index];
  guint i, bad = 0;
  guint64 n;

  for (i = 0; i < self->n_classes; i++)
    bad += !isfinite (p[i]);
  if (!bad)
    return;
  GST_OBJECT_LOCK (self);
  n = ++self->n_nonfinite;
  GST_OBJECT_UNLOCK (self);
  if (n == 1) {
    GST_ELEMENT_WARNING (self, STREAM, FAILED,
        ("Model \"%s\" gives NaN or infinite scores: its results are not "
         "usable.",
            self->model->id),
        ("%u of %u scores not finite for the frame at %" GST_TIME_FORMAT
         "; counted in stats (nonfinite)",
            bad, self->n_classes, GST_TIME_ARGS (GST_BUFFER_PTS (buf))));
  }
}

/* In a live pipeline, an analyser slower than the frames it is given falls
 * behind the source: tell omnisampler upstream (a QoS event), whatever the
 * sink's qos setting. Not in a file analysis, where being slow only makes
 * the whole pipeline slower. */
static void
report_throughput (GstOmniVisionEnc *self, GstBuffer *buf, gdouble ms)
{
  GstBaseTransform *trans = GST_BASE_TRANSFORM (self);
  GstClockTime rt;
  GstEvent *ev;

  if (self->live < 0) {
    GstQuery *q = gst_query_new_latency ();
    gboolean live = FALSE;

    if (gst_pad_peer_query (trans->sinkpad, q))
      gst_query_parse_latency (q, &live, NULL, NULL);
    gst_query_unref (q);
    self->live = live;
  }
  if (!self->live)
    return;
  rt = gst_segment_to_running_time (
      &trans->segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buf));
  ev = omni_throughput_update (
      &self->throughput, rt, (GstClockTime) (ms * GST_MSECOND));
  if (ev) {
    GST_DEBUG_OBJECT (
        self, "load %.2f: %" GST_PTR_FORMAT, self->throughput.load, ev);
    gst_pad_push_event (trans->sinkpad, ev);
  }
}

static GstFlowReturn
gst_omni_vision_enc_transform_ip (GstBaseTransform *trans, GstBuffer *buf)
{
  GstOmniVisionEnc *self = GST_OMNI_VISION_ENC (trans);
  const OmniNnGraph *g;
  OmniNnPreprocessParams pre;
  GstVideoMeta *vmeta;
  GstMapInfo map;
  OmniNnInput in = { 0 };
  GError *err = NULL;
  gint64 t0;
  gdouble ms;
  gboolean ok, post, post_latency = FALSE;
  guint i;

  if (!self->session) {
    /* the device was lost and could not be re-created: already reported */
    return GST_FLOW_ERROR;
  }
  if (!self->model || !self->pre_valid) {
    GST_ELEMENT_ERROR (
        self, CORE, NEGOTIATION, (NULL), ("no caps before the first buffer"));
    return GST_FLOW_NOT_NEGOTIATED;
  }
  if (!want_frame (self, buf))
    return GST_FLOW_OK;

  g = self->model->graph;
  pre = self->pre;
  vmeta = gst_buffer_get_video_meta (buf);
  if (vmeta) {
    if (vmeta->width != pre.in_w || vmeta->height != pre.in_h
        || vmeta->n_planes > 3) {
      GST_ELEMENT_ERROR (self, STREAM, FORMAT, (NULL),
          ("video meta %ux%u does not match the caps %ux%u", vmeta->width,
              vmeta->height, pre.in_w, pre.in_h));
      return GST_FLOW_ERROR;
    }
    for (i = 0; i < vmeta->n_planes; i++) {
      pre.strides[i] = vmeta->stride[i];
      pre.offsets[i] = vmeta->offset[i];
    }
  }
  if (!gst_buffer_map (buf, &map, GST_MAP_READ)) {
    GST_ELEMENT_ERROR (self, RESOURCE, READ, (NULL), ("cannot map buffer"));
    return GST_FLOW_ERROR;
  }
  if (map.size < omni_nn_preprocess_frame_size (&pre)) {
    gst_buffer_unmap (buf, &map);
    GST_ELEMENT_ERROR (self, STREAM, FORMAT, (NULL),
        ("buffer of %" G_GSIZE_FORMAT
         " bytes, the frame needs %" G_GSIZE_FORMAT,
            map.size, omni_nn_preprocess_frame_size (&pre)));
    return GST_FLOW_ERROR;
  }
  in.frame_params = &pre;
  in.frame = map.data;
  in.frame_size = map.size;

  t0 = g_get_monotonic_time ();
  ok = infer (self, &in, &err);
  ms = (g_get_monotonic_time () - t0) / 1000.0;
  gst_buffer_unmap (buf, &map);
  if (!ok) {
    GST_ELEMENT_ERROR (
        self, LIBRARY, FAILED, ("Inference failed."), ("%s", err->message));
    g_error_free (err);
    return GST_FLOW_ERROR;
  }

  check_finite (self, buf);
  omni_buffer_add_class_meta (buf, self->model->id, self->n_classes,
      (const gchar *const *) self->labels, self->outputs[self->prob_index]);
  if (self->emb_index >= 0) {
    const OmniNnTensor *t = omni_nn_graph_tensor (
        g, omni_nn_graph_output (g, self->emb_index)->tensor);
    gsize dims[OMNI_NN_MAX_DIMS];
    GBytes *bytes = g_bytes_new (
        self->outputs[self->emb_index], t->n_elements * sizeof (gfloat));

    for (i = 0; i < t->n_dims; i++)
      dims[i] = t->dims[i];
    omni_buffer_add_tensor_meta (
        buf, "embedding", OMNI_TENSOR_DTYPE_F32, t->n_dims, dims, bytes);
    g_bytes_unref (bytes);
  }

  GST_OBJECT_LOCK (self);
  self->n_runs++;
  self->total_ms += ms;
  self->last_ms = ms;
  self->max_ms = MAX (self->max_ms, ms);
  /* an inference slower than the latency reported: report it with a
   * margin, so that the latency covers every inference run so far */
  if (ms * GST_MSECOND > self->latency) {
    self->latency = ms * 1.25 * GST_MSECOND;
    post_latency = TRUE;
  }
  post = self->post_messages;
  GST_OBJECT_UNLOCK (self);

  report_throughput (self, buf, ms);
  GST_LOG_OBJECT (self, "inference %.2f ms on %" GST_PTR_FORMAT, ms, buf);
  if (post)
    post_message (self, buf, self->outputs[self->prob_index], ms);
  if (post_latency)
    gst_element_post_message (
        GST_ELEMENT (self), gst_message_new_latency (GST_OBJECT (self)));
  return GST_FLOW_OK;
}

/* ---- properties -------------------------------------------------------- */

static GstStructure *
make_stats (GstOmniVisionEnc *self)
{
  GstStructure *s;

  GST_OBJECT_LOCK (self);
  s = gst_structure_new ("omnivisionenc-stats", "frames", G_TYPE_UINT64,
      self->n_runs, "nonfinite", G_TYPE_UINT64, self->n_nonfinite, "qos-events",
      G_TYPE_UINT64, self->throughput.events, "load", G_TYPE_DOUBLE,
      self->throughput.load, "mean-ms", G_TYPE_DOUBLE,
      self->n_runs ? self->total_ms / self->n_runs : 0.0, "max-ms",
      G_TYPE_DOUBLE, self->max_ms, "last-ms", G_TYPE_DOUBLE, self->last_ms,
      "latency", G_TYPE_UINT64, self->latency, "backend", G_TYPE_STRING,
      self->session ? omni_nn_session_get_backend (self->session)->name : NULL,
      "device", G_TYPE_STRING, self->device_name, NULL);
  GST_OBJECT_UNLOCK (self);
  return s;
}

/* Properties that shape the model may change only before start. */
static gboolean
can_reconfigure (GstOmniVisionEnc *self, GParamSpec *pspec)
{
  GstState state;

  GST_OBJECT_LOCK (self);
  state = GST_STATE (self);
  GST_OBJECT_UNLOCK (self);
  if (state > GST_STATE_READY) {
    GST_WARNING_OBJECT (
        self, "%s can only change in NULL or READY state", pspec->name);
    return FALSE;
  }
  return TRUE;
}

static void
gst_omni_vision_enc_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstOmniVisionEnc *self = GST_OMNI_VISION_ENC (object);
  gchar **str = NULL;

  switch (prop_id) {
  case PROP_MODEL:
    str = &self->model_name;
    break;
  case PROP_LABELS:
    str = &self->labels_path;
    break;
  case PROP_DEVICE:
    str = &self->device;
    break;
  case PROP_EMBEDDING_LAYER:
    str = &self->embedding_layer;
    break;
  case PROP_BACKEND:
    if (can_reconfigure (self, pspec)) {
      GST_OBJECT_LOCK (self);
      self->backend = g_value_get_enum (value);
      GST_OBJECT_UNLOCK (self);
    }
    return;
  case PROP_INFERENCE_INTERVAL:
    GST_OBJECT_LOCK (self);
    self->interval = g_value_get_uint (value);
    GST_OBJECT_UNLOCK (self);
    return;
  case PROP_POST_MESSAGES:
    GST_OBJECT_LOCK (self);
    self->post_messages = g_value_get_boolean (value);
    GST_OBJECT_UNLOCK (self);
    return;
  case PROP_TOP_K:
    GST_OBJECT_LOCK (self);
    self->top_k = g_value_get_uint (value);
    GST_OBJECT_UNLOCK (self);
    return;
  case PROP_ALLOW_UNVERIFIED:
    GST_OBJECT_LOCK (self);
    self->allow_unverified = g_value_get_boolean (value);
    GST_OBJECT_UNLOCK (self);
    return;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    return;
  }
  if (prop_id == PROP_MODEL && !g_value_get_string (value)) {
    GST_WARNING_OBJECT (self, "model cannot be unset");
    return;
  }
  if (can_reconfigure (self, pspec)) {
    const gchar *v = g_value_get_string (value);

    GST_OBJECT_LOCK (self);
    g_free (*str);
    *str = v && *v ? g_strdup (v) : NULL;
    GST_OBJECT_UNLOCK (self);
  }
}

static void
gst_omni_vision_enc_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstOmniVisionEnc *self = GST_OMNI_VISION_ENC (object);

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, make_stats (self));
    return;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_MODEL:
    g_value_set_string (value, self->model_name);
    break;
  case PROP_LABELS:
    g_value_set_string (value, self->labels_path);
    break;
  case PROP_DEVICE:
    g_value_set_string (value, self->device);
    break;
  case PROP_BACKEND:
    g_value_set_enum (value, self->backend);
    break;
  case PROP_INFERENCE_INTERVAL:
    g_value_set_uint (value, self->interval);
    break;
  case PROP_EMBEDDING_LAYER:
    g_value_set_string (value, self->embedding_layer);
    break;
  case PROP_POST_MESSAGES:
    g_value_set_boolean (value, self->post_messages);
    break;
  case PROP_TOP_K:
    g_value_set_uint (value, self->top_k);
    break;
  case PROP_ALLOW_UNVERIFIED:
    g_value_set_boolean (value, self->allow_unverified);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_vision_enc_finalize (GObject *object)
{
  GstOmniVisionEnc *self = GST_OMNI_VISION_ENC (object);

  free_engine (self);
  g_free (self->model_name);
  g_free (self->labels_path);
  g_free (self->device);
  g_free (self->embedding_layer);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_omni_vision_enc_class_init (GstOmniVisionEncClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstVideoFilterClass *filter_class = GST_VIDEO_FILTER_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_omni_vision_enc_debug, "omnivisionenc", 0,
      "Vulkan-compute image encoder");

  gobject_class->set_property = gst_omni_vision_enc_set_property;
  gobject_class->get_property = gst_omni_vision_enc_get_property;
  gobject_class->finalize = gst_omni_vision_enc_finalize;

  /**
   * GstOmniVisionEnc:model:
   *
   * A model name ("nsfw", looked up in the model directories), a directory
   * holding model.json, or the path of a TF.js layers model.json.
   */
  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "Model name (looked up in $OMNI_MODEL_PATH) or path of a TF.js "
          "layers model.json",
          DEFAULT_MODEL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniVisionEnc:labels:
   *
   * A text file with one class label per line, in the model's output
   * order; unset, labels.txt next to model.json is used when present.
   */
  g_object_class_install_property (gobject_class, PROP_LABELS,
      g_param_spec_string ("labels", "Labels",
          "Text file with one class label per line (default: labels.txt "
          "next to model.json)",
          NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniVisionEnc:device:
   *
   * The Vulkan device: unset or "auto" for the best one (discrete GPU,
   * then integrated, then virtual, then a CPU implementation such as
   * lavapipe), an index in Vulkan's enumeration order, a kind ("discrete",
   * "integrated", "virtual", "cpu") or part of the device name.
   */
  g_object_class_install_property (gobject_class, PROP_DEVICE,
      g_param_spec_string ("device", "Device",
          "Vulkan device: index, kind (discrete, integrated, virtual, cpu) "
          "or part of its name; unset = the best one",
          NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniVisionEnc:backend:
   *
   * Where the model runs: Vulkan compute (with auto, falling back to the
   * CPU reference with a warning when there is no Vulkan device), or the
   * plain-C reference ops on the CPU.
   */
  g_object_class_install_property (gobject_class, PROP_BACKEND,
      g_param_spec_enum ("backend", "Backend", "Where the model runs",
          gst_omni_vision_enc_backend_get_type (), DEFAULT_BACKEND,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniVisionEnc:inference-interval:
   *
   * When no frame carries an #OmniSampleMeta: analyse every N-th frame
   * (1 = every frame), starting with the first.
   */
  g_object_class_install_property (gobject_class, PROP_INFERENCE_INTERVAL,
      g_param_spec_uint ("inference-interval", "Inference interval",
          "Without OmniSampleMeta upstream, analyse every N-th frame", 1,
          G_MAXINT, DEFAULT_INFERENCE_INTERVAL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniVisionEnc:embedding-layer:
   *
   * Name of the model layer whose output is attached as the "embedding"
   * tensor; unset, the last global average pooling layer.
   */
  g_object_class_install_property (gobject_class, PROP_EMBEDDING_LAYER,
      g_param_spec_string ("embedding-layer", "Embedding layer",
          "Layer whose output becomes the embedding (default: the last "
          "global average pool)",
          NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniVisionEnc:allow-unverified:
   *
   * Load a model whose files are not listed, or do not match, in its
   * directory's SHA256SUMS (your own model without one; a changed model).
   * The element then posts a warning at start: its results cannot be
   * trusted. Off by default: a corrupt or swapped model fails to start
   * (fail closed). OMNI_ALLOW_UNVERIFIED_MODELS=1 has the same effect.
   */
  g_object_class_install_property (gobject_class, PROP_ALLOW_UNVERIFIED,
      g_param_spec_boolean ("allow-unverified", "Allow unverified",
          "Load a model whose files do not match (or are not in) its "
          "SHA256SUMS, with a warning",
          FALSE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniVisionEnc:post-messages:
   *
   * Post an `omnivisionenc` element message per analysed frame.
   */
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post an omnivisionenc element message per analysed frame",
          DEFAULT_POST_MESSAGES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniVisionEnc:top-k:
   *
   * How many classes, best first, the `omnivisionenc` message lists (the
   * #OmniClassMeta always holds all of them).
   */
  g_object_class_install_property (gobject_class, PROP_TOP_K,
      g_param_spec_uint ("top-k", "Top k",
          "Number of best classes listed in messages", 1, 1000, DEFAULT_TOP_K,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniVisionEnc:stats:
   *
   * "frames" (guint64, inferences run since start), "nonfinite" (guint64, of
   * those, inferences that gave a NaN or infinite score), "qos-events"
   * (guint64, QoS events sent upstream because the analysis could not keep
   * up with a live source), "load" (gdouble, smoothed inference time over
   * the running time between analysed frames; live only), "mean-ms", "max-ms",
   * "last-ms" (gdouble, wall-clock time per inference, upload and download
   * included), "latency" (guint64, ns, what the LATENCY query adds),
   * "backend" and "device" (gchararray).
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics", "Inference statistics",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Vulkan image encoder",
      "Filter/Analyzer/Video",
      "Runs an image model (TF.js layers format) as Vulkan compute on "
      "sampled frames: class scores and embedding as metas",
      "gst-omni <https://github.com/gst-omni/gst-omni>");

  trans_class->start = GST_DEBUG_FUNCPTR (gst_omni_vision_enc_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_omni_vision_enc_stop);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_omni_vision_enc_sink_event);
  trans_class->query = GST_DEBUG_FUNCPTR (gst_omni_vision_enc_query);
  /* frames are read, never written: map them READ ourselves instead of
   * GstVideoFilter's READWRITE in-place mapping */
  trans_class->transform_ip
      = GST_DEBUG_FUNCPTR (gst_omni_vision_enc_transform_ip);
  trans_class->transform_ip_on_passthrough = FALSE;
  filter_class->set_info = GST_DEBUG_FUNCPTR (gst_omni_vision_enc_set_info);

  gst_type_mark_as_plugin_api (gst_omni_vision_enc_backend_get_type (), 0);
}

static void
gst_omni_vision_enc_init (GstOmniVisionEnc *self)
{
  self->model_name = g_strdup (DEFAULT_MODEL);
  self->backend = DEFAULT_BACKEND;
  self->interval = DEFAULT_INFERENCE_INTERVAL;
  self->post_messages = DEFAULT_POST_MESSAGES;
  self->top_k = DEFAULT_TOP_K;
  self->latency = GST_CLOCK_TIME_NONE;
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
  /* a pass-through analyser must not drop frames when late: omnisampler
   * upstream adapts the sampling rate to QoS instead */
  gst_base_transform_set_qos_enabled (GST_BASE_TRANSFORM (self), FALSE);
}
