/* gst-omni: base class of the elements that run a model on video frames
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:gstomniinference
 * @title: GstOmniInference
 * @short_description: run a model on sampled video frames
 *
 * The shared part of every element that runs a model on video frames (a
 * GstVideoFilter, in place, media untouched: frames are mapped for reading
 * only):
 * - which frames: once a frame carrying an #OmniSampleMeta (omnisampler
 *   mode=mark) has been seen, exactly the marked frames; before that, every
 *   inference-interval-th frame (1: all), starting with the first; a flush
 *   starts over;
 * - the model: model= (a name, a directory or a model.json, TF.js layers
 *   or graph model with its model-info.json sidecar) in an #OmniNnSession on
 *   backend= (auto: Vulkan, else the CPU with a warning; the CPU on a
 *   lavapipe-only machine when XNNPACK is built in) and
 *   device=; its files checked against its SHA256SUMS unless
 *   allow-unverified (then a warning); a lost Vulkan device is re-created
 *   once by the session, with a warning;
 * - the pre-processing of the frame, or of a region of it (a box), as the
 *   model's input and sidecar say (size, colour order, scale, offset,
 *   stretch or letterbox, integer input): RGB stretched float input on the
 *   backend (the GPU with Vulkan), anything else on the CPU;
 * - latency: a warm-up inference at start measures what the LATENCY query
 *   adds; a slower inference raises it (with a latency message);
 * - nireq > 1: that many inferences in flight, each in a thread with its
 *   own session (#OmniInferencePool); frames are held in order until their
 *   inference is done and the subclass's process() runs at output, in
 *   frame order, so results stay on their frame; serialized events
 *   (segment, caps, EOS) first push the frames held, a flush drops them;
 * - errors: a missing, corrupt or unverified model, no usable device, an
 *   unsupported format: GST_ELEMENT_ERROR with the reason.
 * Subclasses implement GstOmniInferenceClass.process(), or analyse() to run
 * the model on regions (gst_omni_inference_run()).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstomniinference.h"
#include "omniinferencepool.h"
#include "omnilatency.h"

#include <omni/meta/omnisamplemeta.h>

GST_DEBUG_CATEGORY_STATIC (gst_omni_inference_debug);
#define GST_CAT_DEFAULT gst_omni_inference_debug

#define DEFAULT_INTERVAL 1
#define DEFAULT_BACKEND GST_OMNI_INFERENCE_BACKEND_AUTO
#define DEFAULT_NIREQ 1
/* nireq > 1: frames held behind an inference still running, at most */
#define MAX_HELD_FRAMES 32

enum {
  PROP_0,
  PROP_MODEL,
  PROP_DEVICE,
  PROP_BACKEND,
  PROP_INTERVAL,
  PROP_ALLOW_UNVERIFIED,
  PROP_NIREQ,
};

/* nireq > 1: a frame held until it can go downstream (its inference done,
 * and every frame before it gone) */
typedef struct {
  GstBuffer *buffer;
  OmniInferenceJob *job; /* NULL: not analysed */
} Held;

typedef struct {
  /* properties and what start() leaves for other threads, object lock */
  gchar *model, *device;
  GstOmniInferenceBackend backend;
  guint interval;
  gboolean allow_unverified;
  guint nireq;
  gchar *labels, *embedding_layer;
  gchar *backend_name, *device_name;
  GstClockTime latency;

  /* streaming thread */
  OmniNnSession *session;
  OmniNnPreprocessParams pre;
  gboolean pre_valid;
  guint64 frame_count;
  gboolean seen_sample_meta;
  guint n_recoveries;
  gdouble last_ms;
  OmniInferencePlacement placement;
  OmniInferencePool *pool; /* nireq > 1 */
  GQueue held;             /* of Held, in frame order */
  enum { WANT_UNKNOWN, WANT_NO, WANT_YES } queued_want;
} GstOmniInferencePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (
    GstOmniInference, gst_omni_inference, GST_TYPE_VIDEO_FILTER);

#define PRIV(self)                                                             \
  ((GstOmniInferencePrivate *) gst_omni_inference_get_instance_private (       \
      GST_OMNI_INFERENCE (self)))

static GstFlowReturn gst_omni_inference_analyse (
    GstOmniInference *self, GstVideoFrame *frame);
static void drop_held (GstOmniInference *self);
static GstFlowReturn drain_held (GstOmniInference *self);

GType
gst_omni_inference_backend_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { GST_OMNI_INFERENCE_BACKEND_AUTO,
        "Vulkan, or the CPU when there is no Vulkan device or only a CPU "
        "one (lavapipe) and the CPU has XNNPACK",
        "auto" },
    { GST_OMNI_INFERENCE_BACKEND_VULKAN, "Vulkan compute only", "vulkan" },
    { GST_OMNI_INFERENCE_BACKEND_CPU,
        "The CPU: XNNPACK where it has the op, else plain-C reference ops",
        "cpu" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstOmniInferenceBackend", values);

    g_once_init_leave (&type, t);
  }
  return type;
}

OmniNnSession *
gst_omni_inference_get_session (GstOmniInference *self)
{
  return PRIV (self)->session;
}

void
gst_omni_inference_set_load_options (
    GstOmniInference *self, const gchar *labels, const gchar *embedding_layer)
{
  GstOmniInferencePrivate *p = PRIV (self);

  GST_OBJECT_LOCK (self);
  g_free (p->labels);
  g_free (p->embedding_layer);
  p->labels = g_strdup (labels);
  p->embedding_layer = g_strdup (embedding_layer);
  GST_OBJECT_UNLOCK (self);
}

const OmniInferencePlacement *
gst_omni_inference_get_placement (GstOmniInference *self)
{
  return &PRIV (self)->placement;
}

gdouble
gst_omni_inference_get_last_ms (GstOmniInference *self)
{
  return PRIV (self)->last_ms;
}

void
gst_omni_inference_get_run_info (GstOmniInference *self, gchar **backend,
    gchar **device, GstClockTime *latency)
{
  GstOmniInferencePrivate *p = PRIV (self);

  GST_OBJECT_LOCK (self);
  if (backend)
    *backend = g_strdup (p->backend_name);
  if (device)
    *device = g_strdup (p->device_name);
  if (latency)
    *latency = p->latency;
  GST_OBJECT_UNLOCK (self);
}

/* ---- start and stop ------------------------------------------------------ */

/* The element's factory name ("omnivisionenc") for messages. */
static const gchar *
element_name (GstOmniInference *self)
{
  GstElementFactory *f = gst_element_get_factory (GST_ELEMENT (self));

  return f ? GST_OBJECT_NAME (f) : GST_OBJECT_NAME (self);
}

static void
post_session_error (GstOmniInference *self, const gchar *model, GError *err)
{
  switch (err->code) {
  case OMNI_NN_ERROR_NOT_FOUND:
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
        ("Could not find model \"%s\".", model), ("%s", err->message));
    break;
  case OMNI_NN_ERROR_UNSUPPORTED:
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Model \"%s\" uses something gst-omni does not support.", model),
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
  case OMNI_NN_ERROR_DEVICE:
  case OMNI_NN_ERROR_FAILED:
  case OMNI_NN_ERROR_INPUT:
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
        ("No usable Vulkan device for %s.", element_name (self)),
        ("%s (or set backend=cpu to run the C reference on the CPU)",
            err->message));
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
warm_up (GstOmniInference *self, GError **error)
{
  GstOmniInferencePrivate *p = PRIV (self);
  const OmniNnGraph *g = omni_nn_session_get_model (p->session)->graph;
  gfloat *zeros
      = g_new0 (gfloat, omni_nn_graph_tensor (g, g->input)->n_elements);
  OmniNnInput in = { 0 };
  gint64 t0 = g_get_monotonic_time ();
  gboolean ok;

  in.tensor = zeros;
  ok = omni_nn_session_run (p->session, &in, error);
  g_free (zeros);
  if (ok) {
    GST_OBJECT_LOCK (self);
    p->latency = (g_get_monotonic_time () - t0) * GST_USECOND;
    GST_OBJECT_UNLOCK (self);
  }
  return ok;
}

static void
warn_about_session (GstOmniInference *self, const gchar *model)
{
  GstOmniInferencePrivate *p = PRIV (self);
  const OmniNnModel *m = omni_nn_session_get_model (p->session);

  if (omni_nn_session_get_fallback_reason (p->session))
    GST_ELEMENT_WARNING (self, RESOURCE, OPEN_READ_WRITE,
        ("No usable Vulkan device: %s runs on the CPU, slower.",
            element_name (self)),
        ("%s", omni_nn_session_get_fallback_reason (p->session)));
  if (!m->verified)
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("Model \"%s\" is not verified: its results cannot be trusted.", model),
        ("loaded because unverified models are allowed: %s",
            m->unverified_reason));
}

static gboolean
gst_omni_inference_start (GstBaseTransform *trans)
{
  GstOmniInference *self = GST_OMNI_INFERENCE (trans);
  GstOmniInferencePrivate *p = PRIV (trans);
  GstOmniInferenceClass *klass = GST_OMNI_INFERENCE_GET_CLASS (trans);
  static const OmniNnBackendChoice choice[]
      = { OMNI_NN_BACKEND_AUTO, OMNI_NN_BACKEND_VULKAN, OMNI_NN_BACKEND_CPU };
  OmniNnSessionOptions opts = { 0 };
  GError *err = NULL;
  gchar *model, *device, *labels, *emb;
  GstOmniInferenceBackend backend;
  guint nireq;

  GST_OBJECT_LOCK (trans);
  nireq = p->nireq;
  model = g_strdup (p->model ? p->model : klass->default_model);
  device = g_strdup (p->device);
  labels = g_strdup (p->labels);
  emb = g_strdup (p->embedding_layer);
  backend = p->backend;
  opts.flags = p->allow_unverified ? OMNI_NN_LOAD_ALLOW_UNVERIFIED
                                   : OMNI_NN_LOAD_DEFAULT;
  GST_OBJECT_UNLOCK (trans);
  opts.labels = labels;
  opts.embedding_layer = emb;
  p->frame_count = 0;
  p->seen_sample_meta = FALSE;
  p->last_ms = 0;
  p->n_recoveries = 0;
  if (!model) {
    GST_ELEMENT_ERROR (trans, RESOURCE, NOT_FOUND, ("No model= set."), (NULL));
  } else if (!(p->session = omni_nn_session_new_with_options (
                   model, choice[backend], device, &opts, &err))) {
    post_session_error (self, model, err);
  } else if (!warm_up (self, &err)) {
    GST_ELEMENT_ERROR (self, LIBRARY, FAILED, (NULL), ("%s", err->message));
    g_clear_pointer (&p->session, omni_nn_session_free);
  } else {
    const OmniNnBackend *be = omni_nn_session_get_backend (p->session);

    warn_about_session (self, model);
    GST_OBJECT_LOCK (self);
    p->backend_name = g_strdup (be->name);
    p->device_name = g_strdup (omni_nn_session_get_device_name (p->session));
    GST_OBJECT_UNLOCK (self);
    GST_INFO_OBJECT (self, "model %s on %s, warm-up %" GST_TIME_FORMAT, model,
        p->device_name, GST_TIME_ARGS (p->latency));
    /* several inferences in flight: only where the whole frame is analysed
     * (a subclass's own analyse() runs on regions, in its thread) */
    if (nireq > 1 && klass->analyse == gst_omni_inference_analyse)
      p->pool = omni_inference_pool_new (
          p->session, nireq, model, choice[backend], device, &opts);
  }
  g_clear_error (&err);
  g_free (model);
  g_free (device);
  g_free (labels);
  g_free (emb);
  return p->session != NULL;
}

static gboolean
gst_omni_inference_stop (GstBaseTransform *trans)
{
  GstOmniInferencePrivate *p = PRIV (trans);

  if (p->pool) {
    drop_held (GST_OMNI_INFERENCE (trans));
    g_clear_pointer (&p->pool, omni_inference_pool_free);
  }
  g_clear_pointer (&p->session, omni_nn_session_free);
  p->pre_valid = FALSE;
  GST_OBJECT_LOCK (trans);
  g_clear_pointer (&p->backend_name, g_free);
  g_clear_pointer (&p->device_name, g_free);
  GST_OBJECT_UNLOCK (trans);
  return TRUE;
}

static gboolean
gst_omni_inference_set_info (GstVideoFilter *filter, GstCaps *incaps,
    GstVideoInfo *in_info, GstCaps *outcaps, GstVideoInfo *out_info)
{
  GstOmniInferencePrivate *p = PRIV (filter);
  const OmniNnGraph *g;

  if (!p->session)
    return FALSE;
  g = omni_nn_session_get_model (p->session)->graph;
  p->pre_valid
      = omni_nn_preprocess_params_from_video_info (&p->pre, in_info, g->input_w,
          g->input_h, g->align_corners, g->input_scale, g->input_offset);
  if (!p->pre_valid)
    GST_ELEMENT_ERROR (filter, STREAM, FORMAT, (NULL),
        ("unsupported format %s",
            gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (in_info))));
  return p->pre_valid;
}

static gboolean
gst_omni_inference_sink_event (GstBaseTransform *trans, GstEvent *event)
{
  GstOmniInferencePrivate *p = PRIV (trans);

  if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP) {
    p->frame_count = 0;
    p->seen_sample_meta = FALSE;
  }
  if (p->pool) {
    /* frames held (nireq > 1) go before any serialized event (segment,
     * caps, EOS...); a flush wakes the streaming thread and drops them */
    if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_START) {
      omni_inference_pool_set_flushing (p->pool, TRUE);
    } else if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP) {
      drop_held (GST_OMNI_INFERENCE (trans));
      omni_inference_pool_set_flushing (p->pool, FALSE);
    } else if (GST_EVENT_IS_SERIALIZED (event)) {
      drain_held (GST_OMNI_INFERENCE (trans));
    }
  }
  return GST_BASE_TRANSFORM_CLASS (gst_omni_inference_parent_class)
      ->sink_event (trans, event);
}

static GstClockTime
own_latency (GstBaseTransform *trans)
{
  GstClockTime latency;

  GST_OBJECT_LOCK (trans);
  latency = PRIV (trans)->latency;
  GST_OBJECT_UNLOCK (trans);
  return latency;
}

static gboolean
gst_omni_inference_query (
    GstBaseTransform *trans, GstPadDirection direction, GstQuery *query)
{
  /* upstream wants its buffers back (a pool about to change): the frames
   * held (nireq > 1) go first */
  if (direction == GST_PAD_SINK && GST_QUERY_TYPE (query) == GST_QUERY_DRAIN
      && PRIV (trans)->pool)
    drain_held (GST_OMNI_INFERENCE (trans));
  return omni_latency_transform_query (trans,
      GST_BASE_TRANSFORM_CLASS (gst_omni_inference_parent_class), direction,
      query, own_latency);
}

/* ---- per frame ------------------------------------------------------------ */

/* The frames omnisampler marked, once one has been seen; else every
 * inference-interval-th. */
static gboolean
want_frame (GstOmniInference *self, GstBuffer *buf)
{
  GstOmniInferencePrivate *p = PRIV (self);
  guint interval;

  if (omni_buffer_get_sample_meta (buf)) {
    p->seen_sample_meta = TRUE;
    return TRUE;
  }
  if (p->seen_sample_meta)
    return FALSE;
  GST_OBJECT_LOCK (self);
  interval = p->interval;
  GST_OBJECT_UNLOCK (self);
  return p->frame_count++ % interval == 0;
}

/* After an inference of @ms: a lost device re-created is told; a latency
 * below the inference time is raised, with a margin, so that it covers
 * every inference run so far. */
static void
after_run (GstOmniInference *self, gdouble ms)
{
  GstOmniInferencePrivate *p = PRIV (self);
  guint n = omni_nn_session_get_n_recoveries (p->session);
  gboolean post_latency = FALSE;

  if (n != p->n_recoveries) {
    p->n_recoveries = n;
    GST_ELEMENT_WARNING (self, RESOURCE, FAILED,
        ("Vulkan inference failed, restarting the device."),
        ("the device was lost and re-created (%u times so far)", n));
  }
  p->last_ms = ms;
  GST_OBJECT_LOCK (self);
  if (ms * GST_MSECOND > p->latency) {
    p->latency = ms * 1.25 * GST_MSECOND;
    post_latency = TRUE;
  }
  GST_OBJECT_UNLOCK (self);
  if (post_latency)
    gst_element_post_message (
        GST_ELEMENT (self), gst_message_new_latency (GST_OBJECT (self)));
}

gboolean
gst_omni_inference_run (GstOmniInference *self, GstVideoFrame *frame,
    const GstVideoRectangle *region, OmniInferencePlacement *placement,
    GError **error)
{
  GstOmniInferencePrivate *p = PRIV (self);
  OmniNnPreprocessParams pre = p->pre;
  OmniInferenceInput in;
  gint64 t0 = g_get_monotonic_time ();
  gboolean ok;
  guint i;

  /* the mapped frame's own strides and offsets (a GstVideoMeta's) */
  for (i = 0; i < GST_VIDEO_FRAME_N_PLANES (frame) && i < 3; i++) {
    pre.strides[i] = GST_VIDEO_FRAME_PLANE_STRIDE (frame, i);
    pre.offsets[i] = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (frame, i)
                     - (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (frame, 0);
  }
  if (!omni_inference_input_prepare (&in, &pre,
          GST_VIDEO_FRAME_PLANE_DATA (frame, 0), region,
          omni_nn_session_get_model (p->session)->graph,
          omni_nn_session_get_info (p->session)))
    return FALSE;
  ok = omni_nn_session_run (p->session, &in.input, error);
  p->placement = in.placement;
  if (placement)
    *placement = in.placement;
  omni_inference_input_clear (&in);
  after_run (self, (g_get_monotonic_time () - t0) / 1000.0);
  return ok;
}

static GstFlowReturn
gst_omni_inference_analyse (GstOmniInference *self, GstVideoFrame *frame)
{
  GstOmniInferencePrivate *p = PRIV (self);
  GstOmniInferenceClass *klass = GST_OMNI_INFERENCE_GET_CLASS (self);
  GError *err = NULL;

  if (!gst_omni_inference_run (self, frame, NULL, NULL, &err)) {
    GST_ELEMENT_ERROR (self, LIBRARY, FAILED, ("Inference failed."),
        ("%s", err ? err->message : "empty frame"));
    g_clear_error (&err);
    return GST_FLOW_ERROR;
  }
  return klass->process ? klass->process (self, frame->buffer, p->session)
                        : GST_FLOW_OK;
}

/* Frames are read, never written: mapped READ here instead of
 * GstVideoFilter's READWRITE in-place mapping (which would copy memory
 * shared with another buffer). */
static GstFlowReturn
gst_omni_inference_transform_ip (GstBaseTransform *trans, GstBuffer *buf)
{
  GstOmniInference *self = GST_OMNI_INFERENCE (trans);
  GstOmniInferencePrivate *p = PRIV (self);
  GstVideoFilter *filter = GST_VIDEO_FILTER (trans);
  GstVideoFrame frame;
  GstFlowReturn ret;

  if (!p->session) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL), ("not started"));
    return GST_FLOW_ERROR;
  }
  if (!p->pre_valid) {
    GST_ELEMENT_ERROR (
        self, CORE, NEGOTIATION, (NULL), ("no caps before the first buffer"));
    return GST_FLOW_NOT_NEGOTIATED;
  }
  if (!want_frame (self, buf))
    return GST_FLOW_OK;
  /* no extra reference: the buffer stays writable for the metas */
  if (!gst_video_frame_map (&frame, &filter->in_info, buf,
          GST_MAP_READ | GST_VIDEO_FRAME_MAP_FLAG_NO_REF)) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT, (NULL),
        ("cannot map the frame as the caps %ux%u say (too small, or a video "
         "meta that does not match)",
            p->pre.in_w, p->pre.in_h));
    return GST_FLOW_ERROR;
  }
  ret = GST_OMNI_INFERENCE_GET_CLASS (self)->analyse (self, &frame);
  gst_video_frame_unmap (&frame);
  return ret;
}

/* ---- nireq > 1: inferences in flight, frames kept in order ---------------- */

/* The frame of @h ready to go downstream (its job released), or NULL on an
 * error (posted) or a flush; waits for its inference. */
static GstBuffer *
finish_held (GstOmniInference *self, Held *h, GstFlowReturn *ret)
{
  GstOmniInferencePrivate *p = PRIV (self);
  GstOmniInferenceClass *klass = GST_OMNI_INFERENCE_GET_CLASS (self);
  GstBuffer *buf = h->buffer;
  OmniInferenceJob *job = h->job;

  g_free (h);
  *ret = GST_FLOW_OK;
  if (!job)
    return buf;
  if (!omni_inference_pool_wait (p->pool, job)) {
    omni_inference_pool_release (p->pool, job);
    gst_buffer_unref (buf);
    *ret = GST_FLOW_FLUSHING;
    return NULL;
  }
  if (job->error) {
    GST_ELEMENT_ERROR (self, LIBRARY, FAILED, ("Inference failed."),
        ("%s", job->error->message));
    *ret = GST_FLOW_ERROR;
  } else {
    /* the metas go on the frame the model saw: the held reference is the
     * only one unless the memory is shared, then only the GstBuffer is
     * copied (its memory kept) */
    buf = gst_buffer_make_writable (buf);
    p->placement = job->placement;
    after_run (self, job->ms);
    if (klass->process)
      *ret = klass->process (self, buf, job->session);
  }
  omni_inference_pool_release (p->pool, job);
  if (*ret != GST_FLOW_OK)
    g_clear_pointer (&buf, gst_buffer_unref);
  return buf;
}

/* Waits for the running jobs and drops every held frame (flush, stop). */
static void
drop_held (GstOmniInference *self)
{
  GstOmniInferencePrivate *p = PRIV (self);
  Held *h;

  while ((h = g_queue_pop_head (&p->held))) {
    if (h->job)
      omni_inference_pool_release (p->pool, h->job);
    gst_buffer_unref (h->buffer);
    g_free (h);
  }
}

/* Pushes every held frame, in order (before a serialized event). */
static GstFlowReturn
drain_held (GstOmniInference *self)
{
  GstOmniInferencePrivate *p = PRIV (self);
  GstFlowReturn ret = GST_FLOW_OK;
  Held *h;

  while (ret == GST_FLOW_OK && (h = g_queue_pop_head (&p->held))) {
    GstBuffer *out = finish_held (self, h, &ret);

    if (out)
      ret = gst_pad_push (GST_BASE_TRANSFORM_SRC_PAD (self), out);
  }
  if (ret != GST_FLOW_OK)
    drop_held (self);
  return ret;
}

/* The new frame (trans->queued_buf) joins the held ones: analysed frames
 * start on an idle worker, else stay queued (FALSE) until one is free. */
static gboolean
hold_queued (GstOmniInference *self)
{
  GstOmniInferencePrivate *p = PRIV (self);
  GstBaseTransform *trans = GST_BASE_TRANSFORM (self);
  GstBuffer *buf = trans->queued_buf;
  OmniInferenceJob *job = NULL;
  Held *h;

  /* asked once per frame (want_frame() counts frames), kept while the
   * frame waits for a worker */
  if (p->queued_want == WANT_UNKNOWN)
    p->queued_want = want_frame (self, buf) ? WANT_YES : WANT_NO;
  if (p->queued_want == WANT_YES) {
    job = omni_inference_pool_submit (
        p->pool, buf, &GST_VIDEO_FILTER (self)->in_info, &p->pre);
    if (!job)
      return FALSE;
  }
  h = g_new0 (Held, 1);
  h->buffer = buf;
  h->job = job;
  g_queue_push_tail (&p->held, h);
  trans->queued_buf = NULL;
  p->queued_want = WANT_UNKNOWN;
  return TRUE;
}

/* GstBaseTransform calls this after each new frame until it gives no
 * buffer: the oldest held frame goes once its inference is done; it is
 * waited for when the new frame finds no idle worker or too many frames
 * are held. */
static GstFlowReturn
gst_omni_inference_generate_output (GstBaseTransform *trans, GstBuffer **out)
{
  GstOmniInference *self = GST_OMNI_INFERENCE (trans);
  GstOmniInferencePrivate *p = PRIV (self);
  GstFlowReturn ret = GST_FLOW_OK;
  Held *h;

  if (!p->pool)
    return GST_BASE_TRANSFORM_CLASS (gst_omni_inference_parent_class)
        ->generate_output (trans, out);
  *out = NULL;
  if (trans->queued_buf && !p->pre_valid) {
    GST_ELEMENT_ERROR (
        self, CORE, NEGOTIATION, (NULL), ("no caps before the first buffer"));
    return GST_FLOW_NOT_NEGOTIATED;
  }
  if (trans->queued_buf)
    hold_queued (self);
  h = g_queue_peek_head (&p->held);
  if (!h)
    return GST_FLOW_OK;
  if (h->job && !trans->queued_buf && p->held.length < MAX_HELD_FRAMES
      && !omni_inference_pool_is_done (p->pool, h->job))
    return GST_FLOW_OK;
  *out = finish_held (self, g_queue_pop_head (&p->held), &ret);
  if (ret != GST_FLOW_OK && trans->queued_buf) {
    g_clear_pointer (&trans->queued_buf, gst_buffer_unref);
    p->queued_want = WANT_UNKNOWN;
  }
  return ret;
}

/* ---- properties ----------------------------------------------------------- */

/* Properties that shape the model may change only before start. */
static gboolean
can_reconfigure (GObject *object, GParamSpec *pspec)
{
  if (GST_STATE (object) > GST_STATE_READY) {
    GST_WARNING_OBJECT (
        object, "%s can only change in NULL or READY state", pspec->name);
    return FALSE;
  }
  return TRUE;
}

static void
gst_omni_inference_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstOmniInferencePrivate *p = PRIV (object);
  gchar **str = NULL;

  GST_OBJECT_LOCK (object);
  switch (prop_id) {
  case PROP_MODEL:
    str = &p->model;
    break;
  case PROP_DEVICE:
    str = &p->device;
    break;
  case PROP_BACKEND:
    if (can_reconfigure (object, pspec))
      p->backend = g_value_get_enum (value);
    break;
  case PROP_INTERVAL:
    p->interval = g_value_get_uint (value);
    break;
  case PROP_ALLOW_UNVERIFIED:
    if (can_reconfigure (object, pspec))
      p->allow_unverified = g_value_get_boolean (value);
    break;
  case PROP_NIREQ:
    if (can_reconfigure (object, pspec))
      p->nireq = g_value_get_uint (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  if (str && can_reconfigure (object, pspec)) {
    const gchar *v = g_value_get_string (value);

    g_free (*str);
    *str = v && *v ? g_strdup (v) : NULL;
  }
  GST_OBJECT_UNLOCK (object);
}

static void
gst_omni_inference_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstOmniInferencePrivate *p = PRIV (object);

  GST_OBJECT_LOCK (object);
  switch (prop_id) {
  case PROP_MODEL:
    g_value_set_string (
        value, p->model ? p->model
                        : GST_OMNI_INFERENCE_GET_CLASS (object)->default_model);
    break;
  case PROP_DEVICE:
    g_value_set_string (value, p->device);
    break;
  case PROP_BACKEND:
    g_value_set_enum (value, p->backend);
    break;
  case PROP_INTERVAL:
    g_value_set_uint (value, p->interval);
    break;
  case PROP_ALLOW_UNVERIFIED:
    g_value_set_boolean (value, p->allow_unverified);
    break;
  case PROP_NIREQ:
    g_value_set_uint (value, p->nireq);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (object);
}

static void
gst_omni_inference_finalize (GObject *object)
{
  GstOmniInferencePrivate *p = PRIV (object);

  g_free (p->model);
  g_free (p->device);
  g_free (p->labels);
  g_free (p->embedding_layer);
  g_free (p->backend_name);
  g_free (p->device_name);
  g_clear_pointer (&p->session, omni_nn_session_free);
  G_OBJECT_CLASS (gst_omni_inference_parent_class)->finalize (object);
}

static void
install_properties (GObjectClass *gobject_class)
{
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  /**
   * GstOmniInference:model:
   *
   * A model name looked up as NAME/model.json in $OMNI_MODEL_PATH, the
   * build tree's models and $datadir/gst-omni/models, a directory holding
   * model.json, or the path of a model.json (TF.js layers model, or graph
   * model with its model-info.json sidecar). Unset: the subclass's default.
   */
  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "Model name (looked up in $OMNI_MODEL_PATH), directory or "
          "model.json (TF.js layers or graph model)",
          NULL, rw | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniInference:device:
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
          NULL, rw | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniInference:backend:
   *
   * Where the model runs: Vulkan compute (auto: falling back to the CPU
   * with a warning when there is no usable Vulkan device, and the CPU
   * directly when the only Vulkan device is a CPU implementation such as
   * lavapipe and the CPU backend has XNNPACK; see #OmniNnBackendChoice), or
   * the CPU (XNNPACK where it has the op, else the plain-C reference ops).
   */
  g_object_class_install_property (gobject_class, PROP_BACKEND,
      g_param_spec_enum ("backend", "Backend", "Where the model runs",
          gst_omni_inference_backend_get_type (), DEFAULT_BACKEND,
          rw | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniInference:inference-interval:
   *
   * While no frame carrying an #OmniSampleMeta has been seen: analyse every
   * N-th frame (1 = every frame), starting with the first.
   */
  g_object_class_install_property (gobject_class, PROP_INTERVAL,
      g_param_spec_uint ("inference-interval", "Inference interval",
          "Analyse every Nth frame (until a frame marked by omnisampler is "
          "seen: then exactly the marked frames)",
          1, G_MAXINT, DEFAULT_INTERVAL, rw | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniInference:allow-unverified:
   *
   * Load a model whose files are not listed, or do not match, in its
   * directory's SHA256SUMS, with a warning at start (its results cannot be
   * trusted). Off by default: such a model fails to start (fail closed).
   * OMNI_ALLOW_UNVERIFIED_MODELS=1 has the same effect.
   */
  g_object_class_install_property (gobject_class, PROP_ALLOW_UNVERIFIED,
      g_param_spec_boolean ("allow-unverified", "Allow unverified",
          "Load a model whose files do not match (or are not in) its "
          "SHA256SUMS, with a warning",
          FALSE, rw | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniInference:nireq:
   *
   * How many inferences may run at once (DL Streamer's name): each in its
   * own thread with its own session of the model (Vulkan device, buffers),
   * the extra ones made in the background at start. Frames are held in
   * order (at most 32) until their inference is done, so every result
   * stays on the frame it was computed on and frames leave in the order
   * they came; the stream waits only when every inference is busy. 1: the
   * inference runs in the streaming thread. Meant for GPUs (one frame's
   * upload and download overlap another's inference); on lavapipe on two
   * cores one inference already uses both. Ignored by elements that run
   * the model on regions of the frame.
   */
  g_object_class_install_property (gobject_class, PROP_NIREQ,
      g_param_spec_uint ("nireq", "Inference requests",
          "Inferences in flight at once, each with its own session (frames "
          "and results kept in order)",
          1, 16, DEFAULT_NIREQ, rw | GST_PARAM_MUTABLE_READY));
}

static void
gst_omni_inference_class_init (GstOmniInferenceClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstVideoFilterClass *filter_class = GST_VIDEO_FILTER_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_omni_inference_debug, "omniinference", 0,
      "gst-omni inference base class");
  gobject_class->set_property = gst_omni_inference_set_property;
  gobject_class->get_property = gst_omni_inference_get_property;
  gobject_class->finalize = gst_omni_inference_finalize;
  install_properties (gobject_class);
  klass->analyse = GST_DEBUG_FUNCPTR (gst_omni_inference_analyse);
  trans_class->start = GST_DEBUG_FUNCPTR (gst_omni_inference_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_omni_inference_stop);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_omni_inference_sink_event);
  trans_class->query = GST_DEBUG_FUNCPTR (gst_omni_inference_query);
  trans_class->transform_ip
      = GST_DEBUG_FUNCPTR (gst_omni_inference_transform_ip);
  trans_class->transform_ip_on_passthrough = FALSE;
  trans_class->generate_output
      = GST_DEBUG_FUNCPTR (gst_omni_inference_generate_output);
  filter_class->set_info = GST_DEBUG_FUNCPTR (gst_omni_inference_set_info);
  gst_type_mark_as_plugin_api (gst_omni_inference_get_type (), 0);
  gst_type_mark_as_plugin_api (gst_omni_inference_backend_get_type (), 0);
}

static void
gst_omni_inference_init (GstOmniInference *self)
{
  GstOmniInferencePrivate *p = PRIV (self);

  p->interval = DEFAULT_INTERVAL;
  p->backend = DEFAULT_BACKEND;
  p->nireq = DEFAULT_NIREQ;
  g_queue_init (&p->held);
  p->latency = GST_CLOCK_TIME_NONE;
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self), FALSE);
  /* a pass-through analyser must not drop frames when late: omnisampler
   * upstream adapts the sampling rate to QoS instead */
  gst_base_transform_set_qos_enabled (GST_BASE_TRANSFORM (self), FALSE);
}
