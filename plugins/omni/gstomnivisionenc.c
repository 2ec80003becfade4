/* gst-omni: omnivisionenc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-omnivisionenc
 * @title: omnivisionenc
 * @short_description: runs an image model (TF.js layers or graph format) in
 *   Vulkan compute on sampled frames, or on the boxes in them; attaches
 *   class scores, the embedding, or per-box classes and keypoints
 *
 * omnivisionenc is a pass-through video filter: it never changes a pixel.
 * It is a #GstOmniInference: the shared base runs the model (properties
 * model, device, backend, inference-interval, allow-unverified). On the
 * frames it analyses it runs an image classifier, by default nsfwjs'
 * MobileNetV2 (classes Drawing, Hentai, Neutral, Porn, Sexy), as Vulkan
 * compute shaders on any GPU, or on the CPU through Mesa's lavapipe, and
 * attaches to that frame:
 * - an #OmniClassMeta: the model id, the labels and the class
 *   probabilities;
 * - an #OmniTensorMeta named "embedding": float32, the output of the
 *   model's global average pool (1280 values for MobileNetV2), or of the
 *   layer named by #GstOmniVisionEnc:embedding-layer (for a graph model,
 *   the output its sidecar calls "embedding").
 *
 * ## Classifying inside boxes
 *
 * With #GstOmniVisionEnc:roi-type (e.g. "face", or "person,face"), the
 * model runs on the crop of each #GstVideoRegionOfInterestMeta of those
 * types instead of the whole frame (box clamped to the frame; a box outside
 * it is skipped), and its result is added to that ROI as a params structure
 * (gst_video_region_of_interest_meta_add_param(), one per model; read them
 * by iterating the meta's params), as docs/elements/omnivisionenc.md
 * specifies:
 * - "classification" for classifiers: "model" (gchararray), "label"
 *   (gchararray, the top class), "confidence" (gdouble, its score),
 *   "labels" (GstValueArray of gchararray, every class in the model's
 *   order), "scores" (GstValueArray of gdouble). `emotion`: 7 expressions.
 *   `faceres`: labels "female", "male" (the score of "male" is the gender
 *   sigmoid), plus "age-years" (gdouble, the expectation of the 100-bin age
 *   distribution, DEX), "gender" (gchararray "female"/"male") and
 *   "gender-confidence" (gdouble, the probability of that gender);
 * - "keypoints" for pose models (`movenet-lightning` on "person" boxes):
 *   "model" (gchararray), "names" (GstValueArray of gchararray, the 17 COCO
 *   keypoints "nose", "left_eye", ...), "x", "y" (GstValueArray of gdouble,
 *   normalised to the frame, 0..1), "score" (GstValueArray of gdouble).
 * The crop is resized as the model's model-info sidecar says (stretch or
 * letterbox, RGB or grey, scale and offset): on the GPU for RGB stretched
 * models, else on the CPU. A frame without a matching box runs no
 * inference. In this mode the frame gets no #OmniClassMeta and no
 * `omnivisionenc` message; #GstOmniVisionEnc:stats counts every box
 * inference.
 *
 * ## Which frames
 *
 * A frame carrying an #OmniSampleMeta (from omnisampler upstream) is always
 * analysed. Once such a meta has been seen, frames without one are not.
 * When none has been seen since start or the last flush, every
 * #GstOmniInference:inference-interval-th frame is analysed, starting with
 * the first.
 *
 * ## Models
 *
 * #GstOmniInference:model is a model name looked up as NAME/model.json in
 * $OMNI_MODEL_PATH, the build tree's models and $datadir/gst-omni/models
 * (tools/omni-fetch-models installs "nsfw", "emotion", "faceres",
 * "movenet-lightning", ...), or the path of any TF.js layers model
 * (model.json + weight shards, float32 or quantized) made of the supported
 * layers, or of a graph model with its model-info.json sidecar (see
 * docs/model-info.md). Labels come from #GstOmniVisionEnc:labels, or
 * labels.txt next to model.json or the sidecar's, else "class0", "class1",
 * ...
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
 * is posted for each analysed frame (whole-frame mode):
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
 * (see #GstOmniInference:allow-unverified). A model that gives NaN or
 * infinite scores keeps them in its #OmniClassMeta (omnifusion then marks
 * the window "error", never "ok"); the first such frame posts a warning and
 * #GstOmniVisionEnc:stats counts them ("nonfinite").
 *
 * ## Latency
 *
 * An inference runs in the streaming thread, on the frame it describes, so
 * the element delays frames by up to one inference (one per box with
 * roi-type). It reports that in the LATENCY query: the time of a warm-up
 * inference at start, raised (with a latency message) when an inference
 * takes longer.
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
 * |[
 * gst-launch-1.0 filesrc location=in.mkv ! decodebin ! videoconvert ! \
 *   omnisampler ! omnidetect model=blazeface ! \
 *   omnivisionenc model=emotion roi-type=face ! \
 *   omnivisionenc model=faceres roi-type=face ! fakesink
 * ]| the expression, age and gender of every face omnidetect found, as
 * "classification" params of its ROI meta.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnithroughput.h"
#include "omnivisionroi.h"
#include "gstomnivisionenc.h"

#include <gst/video/gstvideometa.h>
#include <omni/meta/omniclassmeta.h>
#include <omni/meta/omnitensormeta.h>
#include <math.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_omni_vision_enc_debug);
#define GST_CAT_DEFAULT gst_omni_vision_enc_debug

#define DEFAULT_MODEL "nsfw"
#define DEFAULT_POST_MESSAGES TRUE
#define DEFAULT_TOP_K 5

enum {
  PROP_0,
  PROP_LABELS,
  PROP_EMBEDDING_LAYER,
  PROP_POST_MESSAGES,
  PROP_TOP_K,
  PROP_STATS,
  PROP_ROI_TYPE,
};

/* What the model's outputs are, for boxes. */
typedef enum {
  ROI_TASK_CLASSES, /* one probability output */
  ROI_TASK_FACERES, /* age softmax + male sigmoid */
  ROI_TASK_POSE,    /* MoveNet heat maps */
} RoiTask;

enum {
  OUT_HEAT,
  OUT_CENTER,
  OUT_REGRESS,
  OUT_OFFSET,
  OUT_AGE,
  OUT_MALE,
  N_OUT
};

struct _GstOmniVisionEnc {
  GstOmniInference parent;

  /* properties, under the object lock */
  gchar *labels_path;
  gchar *embedding_layer;
  gchar *roi_type;
  gboolean post_messages;
  guint top_k;

  /* set up in start(), used by the streaming thread */
  gchar **labels; /* n_classes + NULL */
  guint n_classes;
  gint prob_index, emb_index;
  GArray *roi_quarks; /* the roi-type labels; empty: whole frames */
  RoiTask roi_task;
  gint out[N_OUT];
  guint grid_h, grid_w, n_keypoints;

  /* stats, under the object lock */
  guint64 n_runs;
  guint64 n_nonfinite; /* inferences with a NaN or infinite output */
  gdouble total_ms, max_ms, last_ms;

  /* streaming thread: the analyser's own load, told upstream when live */
  OmniThroughput throughput;
  gint live; /* upstream is live: -1 not asked yet, 0 no, 1 yes */
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
G_DEFINE_TYPE (GstOmniVisionEnc, gst_omni_vision_enc, GST_TYPE_OMNI_INFERENCE);
GST_ELEMENT_REGISTER_DEFINE (
    omnivisionenc, "omnivisionenc", GST_RANK_NONE, GST_TYPE_OMNI_VISION_ENC);

/* ---- set-up and tear-down ---------------------------------------------- */

static void
free_task (GstOmniVisionEnc *self)
{
  g_clear_pointer (&self->labels, g_strfreev);
  self->n_classes = 0;
  g_array_set_size (self->roi_quarks, 0);
}

/* The output the sidecar gives @meaning, else the first of @names. */
static gint
find_output (OmniNnSession *s, const gchar *meaning, const gchar *const *names)
{
  const OmniNnModelInfo *info = omni_nn_session_get_info (s);
  gint i = -1;
  guint j;

  for (j = 0; info && i < 0 && j < info->n_outputs; j++)
    if (!g_strcmp0 (info->outputs[j].meaning, meaning))
      i = omni_nn_session_find_output (s, info->outputs[j].name);
  for (; names && *names && i < 0; names++)
    i = omni_nn_session_find_output (s, *names);
  return i;
}

static const OmniNnTensor *
output_tensor (OmniNnSession *s, gint index)
{
  const OmniNnGraph *g = omni_nn_session_get_model (s)->graph;

  return omni_nn_graph_tensor (g, omni_nn_graph_output (g, index)->tensor);
}

/* The class output, its labels and the embedding. */
static gboolean
setup_classes (GstOmniVisionEnc *self, OmniNnSession *s)
{
  static const gchar *const prob_names[] = { "probabilities", "output", NULL };
  static const gchar *const emb_names[] = { "embedding", NULL };
  const OmniNnModel *m = omni_nn_session_get_model (s);
  guint i;

  self->prob_index = find_output (s, "probabilities", prob_names);
  if (self->prob_index < 0)
    self->prob_index = 0;
  self->emb_index = find_output (s, "embedding", emb_names);
  if (self->emb_index == self->prob_index)
    self->emb_index = -1;
  self->n_classes = output_tensor (s, self->prob_index)->n_elements;
  /* a pose model's labels name its keypoints, not classes */
  if (self->roi_task != ROI_TASK_CLASSES)
    m = NULL;
  if (m && m->labels && m->n_labels != self->n_classes) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("The labels of model \"%s\" do not match it.", m->id),
        ("%u labels for %u classes", m->n_labels, self->n_classes));
    return FALSE;
  }
  self->labels = g_new0 (gchar *, self->n_classes + 1);
  for (i = 0; i < self->n_classes; i++)
    self->labels[i] = m && m->labels ? g_strdup (m->labels[i])
                                     : g_strdup_printf ("class%u", i);
  return TRUE;
}

/* Which kind of results the model gives on boxes: keypoints when it has
 * MoveNet's four maps, face attributes when it has faceres' age and gender
 * outputs, else classes. */
static gboolean
setup_roi_task (GstOmniVisionEnc *self, OmniNnSession *s)
{
  static const gchar *const meanings[N_OUT]
      = { "keypoint-heatmap", "center-heatmap", "keypoint-regression",
          "keypoint-offset", "age-decades", "male-score" };
  guint i;

  for (i = 0; i < N_OUT; i++)
    self->out[i] = find_output (s, meanings[i], NULL);
  self->roi_task = ROI_TASK_CLASSES;
  if (self->out[OUT_HEAT] >= 0 && self->out[OUT_CENTER] >= 0
      && self->out[OUT_REGRESS] >= 0 && self->out[OUT_OFFSET] >= 0) {
    const OmniNnTensor *t = output_tensor (s, self->out[OUT_HEAT]);

    self->grid_h = t->dims[t->n_dims - 3];
    self->grid_w = t->dims[t->n_dims - 2];
    self->n_keypoints = t->dims[t->n_dims - 1];
    if (t->n_dims < 3
        || output_tensor (s, self->out[OUT_REGRESS])->n_elements
               != t->n_elements * 2
        || output_tensor (s, self->out[OUT_OFFSET])->n_elements
               != t->n_elements * 2
        || output_tensor (s, self->out[OUT_CENTER])->n_elements
               != (gsize) self->grid_h * self->grid_w) {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          ("The pose model's outputs do not have MoveNet's shapes."), (NULL));
      return FALSE;
    }
    self->roi_task = ROI_TASK_POSE;
  } else if (self->out[OUT_AGE] >= 0 && self->out[OUT_MALE] >= 0) {
    self->roi_task = ROI_TASK_FACERES;
  }
  return TRUE;
}

static void
parse_roi_types (GstOmniVisionEnc *self, const gchar *roi_type)
{
  gchar **types = g_strsplit (roi_type ? roi_type : "", ",", -1);
  guint i;

  for (i = 0; types[i]; i++) {
    gchar *t = g_ascii_strdown (g_strstrip (types[i]), -1);

    if (*t) {
      GQuark q = g_quark_from_string (t);

      g_array_append_val (self->roi_quarks, q);
    }
    g_free (t);
  }
  g_strfreev (types);
}

static gboolean
gst_omni_vision_enc_start (GstBaseTransform *trans)
{
  GstOmniVisionEnc *self = GST_OMNI_VISION_ENC (trans);
  GstOmniInference *base = GST_OMNI_INFERENCE (trans);
  OmniNnSession *s;
  gchar *roi_type, *labels, *emb;

  GST_OBJECT_LOCK (self);
  labels = g_strdup (self->labels_path);
  emb = g_strdup (self->embedding_layer);
  roi_type = g_strdup (self->roi_type);
  self->n_runs = 0;
  self->n_nonfinite = 0;
  self->total_ms = self->max_ms = self->last_ms = 0;
  omni_throughput_reset (&self->throughput);
  self->live = -1;
  GST_OBJECT_UNLOCK (self);

  gst_omni_inference_set_load_options (base, labels, emb);
  g_free (labels);
  g_free (emb);
  free_task (self);
  parse_roi_types (self, roi_type);
  g_free (roi_type);
  if (!GST_BASE_TRANSFORM_CLASS (parent_class)->start (trans))
    return FALSE;
  s = gst_omni_inference_get_session (base);
  if (!setup_roi_task (self, s) || !setup_classes (self, s)) {
    free_task (self);
    GST_BASE_TRANSFORM_CLASS (parent_class)->stop (trans);
    return FALSE;
  }
  return TRUE;
}

static gboolean
gst_omni_vision_enc_stop (GstBaseTransform *trans)
{
  free_task (GST_OMNI_VISION_ENC (trans));
  return GST_BASE_TRANSFORM_CLASS (parent_class)->stop (trans);
}

/* ---- per frame: statistics, load, messages ------------------------------- */

/* Fail closed: NaN or infinite scores (a broken or tampered model, an
 * overflowing quantisation) are kept as they are in the metas, so that
 * omnifusion marks the window "error", and are reported once by a warning. */
static void
check_finite (GstOmniVisionEnc *self, GstBuffer *buf, const gfloat *v, gsize n)
{
  guint64 count;
  gsize i, bad = 0;

  for (i = 0; i < n; i++)
    bad += !isfinite (v[i]);
  if (!bad)
    return;
  GST_OBJECT_LOCK (self);
  count = ++self->n_nonfinite;
  GST_OBJECT_UNLOCK (self);
  if (count == 1) {
    GST_ELEMENT_WARNING (self, STREAM, FAILED,
        ("Model \"%s\" gives NaN or infinite scores: its results are not "
         "usable.",
            omni_nn_session_get_model (
                gst_omni_inference_get_session (GST_OMNI_INFERENCE (self)))
                ->id),
        ("%" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
         " scores not finite for the frame at %" GST_TIME_FORMAT
         "; counted in stats (nonfinite)",
            bad, n, GST_TIME_ARGS (GST_BUFFER_PTS (buf))));
  }
}

static void
count_run (GstOmniVisionEnc *self, gdouble ms)
{
  GST_OBJECT_LOCK (self);
  self->n_runs++;
  self->total_ms += ms;
  self->last_ms = ms;
  self->max_ms = MAX (self->max_ms, ms);
  GST_OBJECT_UNLOCK (self);
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

static void
post_message (GstOmniVisionEnc *self, GstBuffer *buf, const gchar *model,
    const gfloat *scores, gdouble ms)
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

  s = gst_structure_new ("omnivisionenc", "model", G_TYPE_STRING, model,
      "timestamp", G_TYPE_UINT64, pts, "stream-time", G_TYPE_UINT64, st,
      "running-time", G_TYPE_UINT64, rt, "duration", G_TYPE_UINT64,
      GST_BUFFER_DURATION (buf), "top-label", G_TYPE_STRING,
      self->labels[order[0]], "top-score", G_TYPE_DOUBLE,
      (gdouble) scores[order[0]], NULL);
  gst_structure_take_value (s, "labels", &labels);
  gst_structure_take_value (s, "scores", &values);
  gst_structure_set (s, "inference-ms", G_TYPE_DOUBLE, ms, NULL);
  g_free (order);
  gst_element_post_message (
      GST_ELEMENT (self), gst_message_new_element (GST_OBJECT (self), s));
}

/* ---- whole frames --------------------------------------------------------- */

static void
add_embedding (GstOmniVisionEnc *self, GstBuffer *buf, OmniNnSession *s)
{
  const OmniNnTensor *t = output_tensor (s, self->emb_index);
  gsize dims[OMNI_NN_MAX_DIMS], n;
  const gfloat *v = omni_nn_session_get_output (s, self->emb_index, &n);
  GBytes *bytes = g_bytes_new (v, n * sizeof (gfloat));
  guint i, nd = 0;

  /* a graph model's [1, N] is the N-vector a layers model gives */
  for (i = 0; i < t->n_dims; i++)
    if (t->dims[i] != 1 || (nd == 0 && i == t->n_dims - 1))
      dims[nd++] = t->dims[i];
  omni_buffer_add_tensor_meta (
      buf, "embedding", OMNI_TENSOR_DTYPE_F32, nd, dims, bytes);
  g_bytes_unref (bytes);
}

static GstFlowReturn
gst_omni_vision_enc_process (
    GstOmniInference *base, GstBuffer *buf, OmniNnSession *s)
{
  GstOmniVisionEnc *self = GST_OMNI_VISION_ENC (base);
  const gchar *id = omni_nn_session_get_model (s)->id;
  const gfloat *scores = omni_nn_session_get_output (s, self->prob_index, NULL);
  gdouble ms = gst_omni_inference_get_last_ms (base);
  gboolean post;

  check_finite (self, buf, scores, self->n_classes);
  omni_buffer_add_class_meta (
      buf, id, self->n_classes, (const gchar *const *) self->labels, scores);
  if (self->emb_index >= 0)
    add_embedding (self, buf, s);
  count_run (self, ms);
  GST_OBJECT_LOCK (self);
  post = self->post_messages;
  GST_OBJECT_UNLOCK (self);
  report_throughput (self, buf, ms);
  GST_LOG_OBJECT (self, "inference %.2f ms on %" GST_PTR_FORMAT, ms, buf);
  if (post)
    post_message (self, buf, id, scores, ms);
  return GST_FLOW_OK;
}

/* ---- boxes ---------------------------------------------------------------- */

static gboolean
roi_matches (GstOmniVisionEnc *self, GstVideoRegionOfInterestMeta *roi)
{
  guint i;

  for (i = 0; i < self->roi_quarks->len; i++)
    if (g_array_index (self->roi_quarks, GQuark, i) == roi->roi_type)
      return TRUE;
  return FALSE;
}

static GstStructure *
pose_params (GstOmniVisionEnc *self, OmniNnSession *s, const gchar *id,
    const OmniInferencePlacement *pl, GstVideoFrame *frame)
{
  const guint k = self->n_keypoints;
  const OmniNnModel *m = omni_nn_session_get_model (s);
  const gchar *const *names
      = k == 17 ? omni_vision_coco_keypoints : (const gchar *const *) m->labels;
  gdouble *y = g_new (gdouble, k), *x = g_new (gdouble, k),
          *sc = g_new (gdouble, k);
  gchar **fallback = NULL;
  GstStructure *st;
  guint i;

  if (!names || (k != 17 && m->n_labels != k)) {
    fallback = g_new0 (gchar *, k + 1);
    for (i = 0; i < k; i++)
      fallback[i] = g_strdup_printf ("keypoint%u", i);
    names = (const gchar *const *) fallback;
  }
  omni_vision_movenet_decode (
      omni_nn_session_get_output (s, self->out[OUT_HEAT], NULL),
      omni_nn_session_get_output (s, self->out[OUT_CENTER], NULL),
      omni_nn_session_get_output (s, self->out[OUT_REGRESS], NULL),
      omni_nn_session_get_output (s, self->out[OUT_OFFSET], NULL), self->grid_h,
      self->grid_w, k, y, x, sc);
  st = omni_vision_roi_keypoints (id, names, y, x, sc, k, pl,
      GST_VIDEO_FRAME_WIDTH (frame), GST_VIDEO_FRAME_HEIGHT (frame));
  g_strfreev (fallback);
  g_free (y);
  g_free (x);
  g_free (sc);
  return st;
}

/* The params of one box's inference; NaN or infinite outputs are counted
 * (and kept, as in whole frames). */
static GstStructure *
roi_params (GstOmniVisionEnc *self, GstVideoFrame *frame,
    const OmniInferencePlacement *pl)
{
  OmniNnSession *s = gst_omni_inference_get_session (GST_OMNI_INFERENCE (self));
  const gchar *id = omni_nn_session_get_model (s)->id;
  const gfloat *v, *male;
  gsize n;

  switch (self->roi_task) {
  case ROI_TASK_POSE:
    v = omni_nn_session_get_output (s, self->out[OUT_HEAT], &n);
    check_finite (self, frame->buffer, v, n);
    return pose_params (self, s, id, pl, frame);
  case ROI_TASK_FACERES:
    v = omni_nn_session_get_output (s, self->out[OUT_AGE], &n);
    male = omni_nn_session_get_output (s, self->out[OUT_MALE], NULL);
    check_finite (self, frame->buffer, v, n);
    check_finite (self, frame->buffer, male, 1);
    return omni_vision_roi_faceres (id, v, n, male[0]);
  default:
    v = omni_nn_session_get_output (s, self->prob_index, NULL);
    check_finite (self, frame->buffer, v, self->n_classes);
    return omni_vision_roi_classification (
        id, (const gchar *const *) self->labels, v, self->n_classes);
  }
}

/* Runs the model on each box of the roi-type labels and adds its result to
 * the box. */
static GstFlowReturn
gst_omni_vision_enc_analyse (GstOmniInference *base, GstVideoFrame *frame)
{
  GstOmniVisionEnc *self = GST_OMNI_VISION_ENC (base);
  GstBuffer *buf = frame->buffer;
  GstVideoRegionOfInterestMeta *roi;
  gpointer state = NULL;
  gdouble total_ms = 0;
  guint n = 0;

  if (self->roi_quarks->len == 0)
    return GST_OMNI_INFERENCE_CLASS (parent_class)->analyse (base, frame);
  while (
      (roi = (GstVideoRegionOfInterestMeta *) gst_buffer_iterate_meta_filtered (
           buf, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstVideoRectangle r = { roi->x, roi->y, roi->w, roi->h };
    OmniInferencePlacement pl;
    GError *err = NULL;

    if (!roi_matches (self, roi))
      continue;
    if (!gst_omni_inference_run (base, frame, &r, &pl, &err)) {
      if (!err)
        continue; /* outside the frame */
      GST_ELEMENT_ERROR (
          self, LIBRARY, FAILED, ("Inference failed."), ("%s", err->message));
      g_error_free (err);
      return GST_FLOW_ERROR;
    }
    gst_video_region_of_interest_meta_add_param (
        roi, roi_params (self, frame, &pl));
    count_run (self, gst_omni_inference_get_last_ms (base));
    total_ms += gst_omni_inference_get_last_ms (base);
    n++;
  }
  if (n)
    report_throughput (self, buf, total_ms);
  GST_LOG_OBJECT (self, "%u boxes, %.2f ms", n, total_ms);
  return GST_FLOW_OK;
}

/* ---- properties -------------------------------------------------------- */

static GstStructure *
make_stats (GstOmniVisionEnc *self)
{
  GstStructure *s;
  gchar *backend, *device;
  GstClockTime latency;

  gst_omni_inference_get_run_info (
      GST_OMNI_INFERENCE (self), &backend, &device, &latency);
  GST_OBJECT_LOCK (self);
  s = gst_structure_new ("omnivisionenc-stats", "frames", G_TYPE_UINT64,
      self->n_runs, "nonfinite", G_TYPE_UINT64, self->n_nonfinite, "qos-events",
      G_TYPE_UINT64, self->throughput.events, "load", G_TYPE_DOUBLE,
      self->throughput.load, "mean-ms", G_TYPE_DOUBLE,
      self->n_runs ? self->total_ms / self->n_runs : 0.0, "max-ms",
      G_TYPE_DOUBLE, self->max_ms, "last-ms", G_TYPE_DOUBLE, self->last_ms,
      "latency", G_TYPE_UINT64, latency, "backend", G_TYPE_STRING, backend,
      "device", G_TYPE_STRING, device, NULL);
  GST_OBJECT_UNLOCK (self);
  g_free (backend);
  g_free (device);
  return s;
}

static void
gst_omni_vision_enc_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstOmniVisionEnc *self = GST_OMNI_VISION_ENC (object);
  gchar **str = NULL;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_LABELS:
    str = &self->labels_path;
    break;
  case PROP_EMBEDDING_LAYER:
    str = &self->embedding_layer;
    break;
  case PROP_ROI_TYPE:
    str = &self->roi_type;
    break;
  case PROP_POST_MESSAGES:
    self->post_messages = g_value_get_boolean (value);
    break;
  case PROP_TOP_K:
    self->top_k = g_value_get_uint (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  /* properties that shape the model may change only before start */
  if (str && GST_STATE (self) > GST_STATE_READY) {
    GST_WARNING_OBJECT (
        self, "%s can only change in NULL or READY state", pspec->name);
  } else if (str) {
    const gchar *v = g_value_get_string (value);

    g_free (*str);
    *str = v && *v ? g_strdup (v) : NULL;
  }
  GST_OBJECT_UNLOCK (self);
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
  case PROP_LABELS:
    g_value_set_string (value, self->labels_path);
    break;
  case PROP_EMBEDDING_LAYER:
    g_value_set_string (value, self->embedding_layer);
    break;
  case PROP_ROI_TYPE:
    g_value_set_string (value, self->roi_type);
    break;
  case PROP_POST_MESSAGES:
    g_value_set_boolean (value, self->post_messages);
    break;
  case PROP_TOP_K:
    g_value_set_uint (value, self->top_k);
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

  free_task (self);
  g_array_unref (self->roi_quarks);
  g_free (self->labels_path);
  g_free (self->embedding_layer);
  g_free (self->roi_type);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
install_properties (GObjectClass *gobject_class)
{
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  /**
   * GstOmniVisionEnc:labels:
   *
   * A text file with one class label per line, in the model's output
   * order; unset, labels.txt next to model.json (or the sidecar's labels)
   * when present.
   */
  g_object_class_install_property (gobject_class, PROP_LABELS,
      g_param_spec_string ("labels", "Labels",
          "Text file with one class label per line (default: labels.txt "
          "next to model.json)",
          NULL, rw | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniVisionEnc:embedding-layer:
   *
   * Name of the layer of a TF.js layers model whose output is attached as
   * the "embedding" tensor; unset, the last global average pooling layer.
   */
  g_object_class_install_property (gobject_class, PROP_EMBEDDING_LAYER,
      g_param_spec_string ("embedding-layer", "Embedding layer",
          "Layer whose output becomes the embedding (default: the last "
          "global average pool)",
          NULL, rw | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniVisionEnc:roi-type:
   *
   * Comma-separated ROI types (labels, e.g. "face" or "person"): run the
   * model on the crop of each #GstVideoRegionOfInterestMeta of these types
   * and add its result to the ROI as params ("classification" or
   * "keypoints"), instead of classifying the whole frame. Unset: whole
   * frames.
   */
  g_object_class_install_property (gobject_class, PROP_ROI_TYPE,
      g_param_spec_string ("roi-type", "ROI type",
          "Comma-separated ROI types (e.g. face, person) to run the model on "
          "instead of the whole frame; unset = whole frames",
          NULL, rw | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniVisionEnc:post-messages:
   *
   * Post an `omnivisionenc` element message per analysed frame.
   */
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post an omnivisionenc element message per analysed frame",
          DEFAULT_POST_MESSAGES, rw | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniVisionEnc:top-k:
   *
   * How many classes, best first, the `omnivisionenc` message lists (the
   * #OmniClassMeta always holds all of them).
   */
  g_object_class_install_property (gobject_class, PROP_TOP_K,
      g_param_spec_uint ("top-k", "Top k",
          "Number of best classes listed in messages", 1, 1000, DEFAULT_TOP_K,
          rw | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniVisionEnc:stats:
   *
   * "frames" (guint64, inferences run since start: one per frame, or one
   * per box with roi-type), "nonfinite" (guint64, of those, inferences that
   * gave a NaN or infinite score), "qos-events" (guint64, QoS events sent
   * upstream because the analysis could not keep up with a live source),
   * "load" (gdouble, smoothed inference time over the running time between
   * analysed frames; live only), "mean-ms", "max-ms", "last-ms" (gdouble,
   * wall-clock time per inference, upload and download included),
   * "latency" (guint64, ns, what the LATENCY query adds), "backend" and
   * "device" (gchararray).
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics", "Inference statistics",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
gst_omni_vision_enc_class_init (GstOmniVisionEncClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstOmniInferenceClass *inference_class = GST_OMNI_INFERENCE_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_omni_vision_enc_debug, "omnivisionenc", 0,
      "Vulkan-compute image encoder");

  gobject_class->set_property = gst_omni_vision_enc_set_property;
  gobject_class->get_property = gst_omni_vision_enc_get_property;
  gobject_class->finalize = gst_omni_vision_enc_finalize;
  install_properties (gobject_class);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Vulkan image encoder",
      "Filter/Analyzer/Video",
      "Runs an image model (TF.js layers or graph format) as Vulkan compute "
      "on sampled frames or on the boxes in them: class scores, embedding, "
      "per-box classes and keypoints as metas",
      "gst-omni <https://github.com/gst-omni/gst-omni>");

  trans_class->start = GST_DEBUG_FUNCPTR (gst_omni_vision_enc_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_omni_vision_enc_stop);
  inference_class->default_model = DEFAULT_MODEL;
  inference_class->process = GST_DEBUG_FUNCPTR (gst_omni_vision_enc_process);
  inference_class->analyse = GST_DEBUG_FUNCPTR (gst_omni_vision_enc_analyse);
}

static void
gst_omni_vision_enc_init (GstOmniVisionEnc *self)
{
  self->post_messages = DEFAULT_POST_MESSAGES;
  self->top_k = DEFAULT_TOP_K;
  self->roi_quarks = g_array_new (FALSE, FALSE, sizeof (GQuark));
}
