/* gst-omni: base class of the elements that run a model on video frames
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:gstomniinference
 * @title: GstOmniInference
 * @short_description: run a model on sampled video frames
 *
 * The shared part of every element that runs a model on video frames (a
 * GstVideoFilter, in place, media untouched):
 * - which frames: once a frame carrying an #OmniSampleMeta (omnisampler
 *   mode=mark) has been seen, exactly the marked frames; before that, every
 *   inference-interval-th frame (1: all);
 * - the model: model= (a name, a directory or a model.json, TF.js layers
 *   or graph model with its model-info.json sidecar) in an #OmniNnSession on
 *   backend= (auto: Vulkan, else the CPU reference with a warning) and
 *   device=; a lost Vulkan device is re-created once by the session;
 * - the frame pre-processing from the caps and the model's input (size,
 *   scale, offset, align_corners): RGB models (3 channels) only for now;
 * - errors: a missing or invalid model, no usable device, an input the
 *   pre-processing cannot produce: GST_ELEMENT_ERROR with the reason.
 * Subclasses implement GstOmniInferenceClass.process().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstomniinference.h"

#include <omni/meta/omnisamplemeta.h>

GST_DEBUG_CATEGORY_STATIC (gst_omni_inference_debug);
#define GST_CAT_DEFAULT gst_omni_inference_debug

#define DEFAULT_INTERVAL 1
#define DEFAULT_BACKEND GST_OMNI_INFERENCE_BACKEND_AUTO

enum {
  PROP_0,
  PROP_MODEL,
  PROP_DEVICE,
  PROP_BACKEND,
  PROP_INTERVAL,
};

typedef struct {
  gchar *model, *device;
  GstOmniInferenceBackend backend;
  guint interval;
  OmniNnSession *session;
  OmniNnPreprocessParams pre;
  gboolean pre_valid;
  guint64 frame_count;
  gboolean seen_sample_meta;
} GstOmniInferencePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (
    GstOmniInference, gst_omni_inference, GST_TYPE_VIDEO_FILTER);

#define PRIV(self)                                                             \
  ((GstOmniInferencePrivate *) gst_omni_inference_get_instance_private (       \
      GST_OMNI_INFERENCE (self)))

GType
gst_omni_inference_backend_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { GST_OMNI_INFERENCE_BACKEND_AUTO, "Vulkan, else the CPU reference",
        "auto" },
    { GST_OMNI_INFERENCE_BACKEND_VULKAN, "Vulkan only", "vulkan" },
    { GST_OMNI_INFERENCE_BACKEND_CPU, "The plain-C CPU reference", "cpu" },
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

static gboolean
gst_omni_inference_start (GstBaseTransform *trans)
{
  GstOmniInferencePrivate *p = PRIV (trans);
  GstOmniInferenceClass *klass = GST_OMNI_INFERENCE_GET_CLASS (trans);
  static const OmniNnBackendChoice choice[]
      = { OMNI_NN_BACKEND_AUTO, OMNI_NN_BACKEND_VULKAN, OMNI_NN_BACKEND_CPU };
  GError *err = NULL;
  gchar *model, *device;
  GstOmniInferenceBackend backend;

  GST_OBJECT_LOCK (trans);
  model = g_strdup (p->model ? p->model : klass->default_model);
  device = g_strdup (p->device);
  backend = p->backend;
  GST_OBJECT_UNLOCK (trans);
  if (!model) {
    GST_ELEMENT_ERROR (trans, RESOURCE, NOT_FOUND, ("No model= set."), (NULL));
    g_free (device);
    return FALSE;
  }
  p->session = omni_nn_session_new (model, choice[backend], device, &err);
  if (!p->session) {
    if (err->code == OMNI_NN_ERROR_DEVICE)
      GST_ELEMENT_ERROR (trans, RESOURCE, OPEN_READ_WRITE,
          ("No usable Vulkan device."),
          ("%s (or set backend=cpu to run the C reference on the CPU)",
              err->message));
    else
      GST_ELEMENT_ERROR (trans, RESOURCE, NOT_FOUND,
          ("Cannot load model '%s'.", model), ("%s", err->message));
    g_error_free (err);
  } else if (omni_nn_session_get_fallback_reason (p->session)) {
    GST_ELEMENT_WARNING (trans, RESOURCE, OPEN_READ_WRITE,
        ("No usable Vulkan device: the model runs on the CPU reference, "
         "much slower."),
        ("%s", omni_nn_session_get_fallback_reason (p->session)));
  }
  p->frame_count = 0;
  p->seen_sample_meta = FALSE;
  g_free (model);
  g_free (device);
  return p->session != NULL;
}

static gboolean
gst_omni_inference_stop (GstBaseTransform *trans)
{
  GstOmniInferencePrivate *p = PRIV (trans);

  g_clear_pointer (&p->session, omni_nn_session_free);
  p->pre_valid = FALSE;
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
  if (g->input_c != 3) {
    GST_ELEMENT_ERROR (filter, STREAM, FORMAT, (NULL),
        ("the model takes %u-channel input; the frame pre-processing "
         "makes RGB",
            g->input_c));
    return FALSE;
  }
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
  return GST_BASE_TRANSFORM_CLASS (gst_omni_inference_parent_class)
      ->sink_event (trans, event);
}

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

static GstFlowReturn
gst_omni_inference_transform_frame_ip (
    GstVideoFilter *filter, GstVideoFrame *frame)
{
  GstOmniInference *self = GST_OMNI_INFERENCE (filter);
  GstOmniInferencePrivate *p = PRIV (self);
  GstOmniInferenceClass *klass = GST_OMNI_INFERENCE_GET_CLASS (self);
  OmniNnPreprocessParams pre;
  OmniNnInput in = { 0 };
  GError *err = NULL;
  guint i;

  if (!p->session || !p->pre_valid)
    return GST_FLOW_NOT_NEGOTIATED;
  if (!want_frame (self, frame->buffer))
    return GST_FLOW_OK;
  /* the mapped frame's own strides and offsets (a GstVideoMeta's) */
  pre = p->pre;
  for (i = 0; i < GST_VIDEO_FRAME_N_PLANES (frame) && i < 3; i++) {
    pre.strides[i] = GST_VIDEO_FRAME_PLANE_STRIDE (frame, i);
    pre.offsets[i] = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (frame, i)
                     - (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (frame, 0);
  }
  in.frame_params = &pre;
  in.frame = GST_VIDEO_FRAME_PLANE_DATA (frame, 0);
  in.frame_size = omni_nn_preprocess_frame_size (&pre);
  if (!omni_nn_session_run (p->session, &in, &err)) {
    GST_ELEMENT_ERROR (
        self, LIBRARY, FAILED, ("Inference failed."), ("%s", err->message));
    g_error_free (err);
    return GST_FLOW_ERROR;
  }
  return klass->process ? klass->process (self, frame->buffer, p->session)
                        : GST_FLOW_OK;
}

static void
gst_omni_inference_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstOmniInferencePrivate *p = PRIV (object);

  GST_OBJECT_LOCK (object);
  switch (prop_id) {
  case PROP_MODEL:
    g_free (p->model);
    p->model = g_value_dup_string (value);
    break;
  case PROP_DEVICE:
    g_free (p->device);
    p->device = g_value_dup_string (value);
    break;
  case PROP_BACKEND:
    p->backend = g_value_get_enum (value);
    break;
  case PROP_INTERVAL:
    p->interval = g_value_get_uint (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
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
    g_value_set_string (value, p->model);
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
  g_clear_pointer (&p->session, omni_nn_session_free);
  G_OBJECT_CLASS (gst_omni_inference_parent_class)->finalize (object);
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
  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "Model name (looked up in OMNI_MODEL_PATH), directory or "
          "model.json (TF.js layers or graph model)",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_DEVICE,
      g_param_spec_string ("device", "Device",
          "Vulkan device: index, kind (discrete, integrated, virtual, cpu) "
          "or part of its name; NULL: the best",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_BACKEND,
      g_param_spec_enum ("backend", "Backend", "Where the model runs",
          gst_omni_inference_backend_get_type (), DEFAULT_BACKEND,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_INTERVAL,
      g_param_spec_uint ("inference-interval", "Inference interval",
          "Analyse every Nth frame (until a frame marked by omnisampler is "
          "seen: then exactly the marked frames)",
          1, G_MAXUINT, DEFAULT_INTERVAL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  trans_class->start = GST_DEBUG_FUNCPTR (gst_omni_inference_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_omni_inference_stop);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_omni_inference_sink_event);
  filter_class->set_info = GST_DEBUG_FUNCPTR (gst_omni_inference_set_info);
  filter_class->transform_frame_ip
      = GST_DEBUG_FUNCPTR (gst_omni_inference_transform_frame_ip);
  gst_type_mark_as_plugin_api (gst_omni_inference_get_type (), 0);
  gst_type_mark_as_plugin_api (gst_omni_inference_backend_get_type (), 0);
}

static void
gst_omni_inference_init (GstOmniInference *self)
{
  GstOmniInferencePrivate *p = PRIV (self);

  p->interval = DEFAULT_INTERVAL;
  p->backend = DEFAULT_BACKEND;
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self), FALSE);
}
