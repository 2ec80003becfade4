/* gst-omni: omnidetect
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-omnidetect
 * @title: omnidetect
 * @short_description: objects, faces and people in video frames, with boxes
 *
 * omnidetect runs an object or face detector on the frames omnisampler
 * marked (or every inference-interval-th frame), on the shared inference
 * base (#GstOmniInference: Vulkan compute, else the CPU reference), decodes
 * its outputs in C and leaves the video untouched:
 *
 * - model=centernet (default; COCO-80, MobileNet-v3 CenterNet, 512×512):
 *   3×3 heat-map peaks, top-100, box regression
 *   (omni_detect_centernet_decode());
 * - model=blazeface (faces, 256×256): 896 anchors, box and 6 keypoint
 *   regression, sigmoid scores (omni_detect_blazeface_decode());
 * - model=nanodet (COCO-80, 416×416): per-stride score maps and GFL
 *   distance distributions (omni_detect_nanodet_decode());
 * - or a path to any model whose model-info.json sidecar describes outputs
 *   of one of these kinds (docs/model-info.md). A model whose outputs do not
 *   fit its decoder is refused at start with an error naming the mismatch.
 *
 * The candidates above threshold= go through greedy NMS (nms-threshold=,
 * max-detections=; class-aware unless nms-class-aware=false), optionally keep only classes=, and
 * with tracker=iou get stable track ids from an #OmniIouTracker
 * (track-iou-threshold=, track-max-misses=). The frame is fitted to the
 * model as its sidecar says (the base class stretches it to the input
 * size), so any size from 1×1 to 7680×4320 and the formats below work.
 *
 * Each box becomes a #GstVideoRegionOfInterestMeta on the buffer (in frame
 * pixels, clamped to the frame): roi_type the label ("person", "face"), id
 * unique in the buffer, parent_id -1, and a "detection" parameter structure:
 * - "confidence" (gdouble, 0..1)
 * - "label-id" (guint): index into the model's labels
 * - "track-id" (guint): the track, 0 when not tracked
 * - "model" (gchararray): the model's name ("centernet")
 * - "x-norm", "y-norm", "w-norm", "h-norm" (gdouble): the box normalised
 *   to the frame (0..1)
 * BlazeFace faces also carry a "keypoints" structure: "model", "names"
 * (right_eye, left_eye, nose, mouth, right_ear, left_ear), "x", "y"
 * (normalised to the frame) and "score" (the face's confidence).
 *
 * Each inferred frame posts an element message named "omnidetect":
 * - "timestamp" (guint64): the frame's PTS in ns
 * - "stream-time" (guint64): its stream time in ns
 * - "running-time" (guint64): its running time in ns
 * - "model" (gchararray): the model's name
 * - "boxes" (GstValueList of GstStructure "box"), by decreasing confidence,
 *   empty when nothing was found:
 *   - "label" (gchararray), "label-id" (guint), "confidence" (gdouble),
 *     "track-id" (guint, 0: not tracked)
 *   - "x", "y", "w", "h" (gint): the box in frame pixels
 *   - "x-norm", "y-norm", "w-norm", "h-norm" (gdouble): normalised, 0..1
 *
 * ## Example pipeline
 * |[
 * gst-launch-1.0 -m filesrc location=street.mp4 ! decodebin ! videoconvert !
 *     omnisampler interval=15 ! omnidetect model=centernet threshold=0.3
 *     classes=person,car tracker=iou ! fakesink
 * ]| prints an omnidetect message with the people and cars of every 15th
 * frame, each with its track id.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstomnidetect.h"

#include "omnidetectdecoder.h"
#include "omnidetectresult.h"

#include <gst/video/video.h>
#include <omni/tasks/omniioutracker.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_omni_detect_debug);
#define GST_CAT_DEFAULT gst_omni_detect_debug

#define DEFAULT_THRESHOLD 0.3
#define DEFAULT_NMS_THRESHOLD 0.4
#define DEFAULT_MAX_DETECTIONS 100
#define DEFAULT_TRACKER GST_OMNI_DETECT_TRACKER_NONE
#define DEFAULT_TRACK_IOU 0.3
#define DEFAULT_TRACK_MAX_MISSES 5
#define DEFAULT_NMS_CLASS_AWARE TRUE

enum {
  PROP_0,
  PROP_THRESHOLD,
  PROP_NMS_THRESHOLD,
  PROP_MAX_DETECTIONS,
  PROP_LABELS,
  PROP_CLASSES,
  PROP_TRACKER,
  PROP_TRACK_IOU,
  PROP_TRACK_MAX_MISSES,
  PROP_NMS_CLASS_AWARE,
};

struct _GstOmniDetect {
  GstOmniInference parent;

  /* properties (object lock) */
  gdouble threshold, nms_threshold, track_iou;
  guint max_detections, track_max_misses;
  gchar *labels_file, *classes;
  GstOmniDetectTracker tracker_kind;
  gboolean nms_class_aware;

  /* streaming state, set up in start() */
  OmniDetectDecoder *decoder;
  gchar *model_name;
  gchar **labels;
  guint n_labels;
  gboolean *keep; /* per label, NULL: all */
  OmniIouTracker *tracker;
};

#define VIDEO_FORMATS                                                          \
  "{ RGB, BGR, RGBx, BGRx, xRGB, xBGR, RGBA, BGRA, ARGB, ABGR, GRAY8, I420, "  \
  "NV12 }"

static GstStaticPadTemplate sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (VIDEO_FORMATS)));
static GstStaticPadTemplate src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (VIDEO_FORMATS)));

G_DEFINE_TYPE (GstOmniDetect, gst_omni_detect, GST_TYPE_OMNI_INFERENCE);
GST_ELEMENT_REGISTER_DEFINE (
    omnidetect, "omnidetect", GST_RANK_NONE, GST_TYPE_OMNI_DETECT);

static GType
gst_omni_detect_tracker_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { GST_OMNI_DETECT_TRACKER_NONE, "No tracking", "none" },
    { GST_OMNI_DETECT_TRACKER_IOU, "IoU tracker", "iou" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstOmniDetectTracker", values);

    g_once_init_leave (&type, t);
  }
  return type;
}

/* labels= (one per line), else the sidecar's, else the model's */
static gboolean
load_labels (GstOmniDetect *self, const gchar *file, OmniNnSession *s)
{
  const OmniNnModelInfo *info = omni_nn_session_get_info (s);
  const OmniNnModel *model = omni_nn_session_get_model (s);
  GError *err = NULL;
  gchar *text = NULL;

  if (file) {
    if (!g_file_get_contents (file, &text, NULL, &err)) {
      GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
          ("Cannot read labels file '%s'.", file), ("%s", err->message));
      g_error_free (err);
      return FALSE;
    }
    g_strchomp (text);
    self->labels = g_strsplit (text, "\n", -1);
    g_free (text);
  } else if (info && info->labels) {
    self->labels = g_strdupv (info->labels);
  } else if (model->labels) {
    self->labels = g_strdupv (model->labels);
  } else {
    self->labels = g_new0 (gchar *, 1);
  }
  self->n_labels = g_strv_length (self->labels);
  return TRUE;
}

/* classes=: a comma-separated list of labels to keep */
static gboolean
parse_classes (GstOmniDetect *self, const gchar *classes)
{
  gchar **names;
  guint i, j;

  if (!classes || !*classes)
    return TRUE;
  names = g_strsplit (classes, ",", -1);
  self->keep = g_new0 (gboolean, MAX (self->n_labels, 1));
  for (i = 0; names[i]; i++) {
    const gchar *name = g_strstrip (names[i]);
    gboolean found = FALSE;

    for (j = 0; j < self->n_labels; j++) {
      if (!g_ascii_strcasecmp (self->labels[j], name)) {
        self->keep[j] = TRUE;
        found = TRUE;
      }
    }
    if (!found && *name) {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          ("classes: '%s' is not one of the model's labels.", name),
          ("model '%s' has %u labels", self->model_name, self->n_labels));
      g_strfreev (names);
      return FALSE;
    }
  }
  g_strfreev (names);
  return TRUE;
}

static gchar *
model_name (OmniNnSession *s)
{
  gchar *dir = g_path_get_dirname (omni_nn_session_get_model (s)->path);
  gchar *name = g_path_get_basename (dir);

  g_free (dir);
  return name;
}

static gboolean
gst_omni_detect_start (GstBaseTransform *trans)
{
  GstOmniDetect *self = GST_OMNI_DETECT (trans);
  OmniNnSession *s;
  GError *err = NULL;
  gchar *labels_file, *classes;
  gboolean ok;

  if (!GST_BASE_TRANSFORM_CLASS (gst_omni_detect_parent_class)->start (trans))
    return FALSE;
  s = gst_omni_inference_get_session (GST_OMNI_INFERENCE (self));
  GST_OBJECT_LOCK (self);
  labels_file = g_strdup (self->labels_file);
  classes = g_strdup (self->classes);
  GST_OBJECT_UNLOCK (self);
  self->model_name = model_name (s);
  ok = load_labels (self, labels_file, s);
  if (ok) {
    self->decoder = omni_detect_decoder_new (s, self->n_labels, &err);
    if (!self->decoder) {
      GST_ELEMENT_ERROR (self, STREAM, WRONG_TYPE,
          ("Model '%s' is not a detector omnidetect can decode.",
              self->model_name),
          ("%s", err->message));
      g_error_free (err);
      ok = FALSE;
    }
  }
  ok = ok && parse_classes (self, classes);
  g_free (labels_file);
  g_free (classes);
  if (!ok)
    GST_BASE_TRANSFORM_CLASS (gst_omni_detect_parent_class)->stop (trans);
  return ok;
}

static void
clear_state (GstOmniDetect *self)
{
  g_clear_pointer (&self->decoder, omni_detect_decoder_free);
  g_clear_pointer (&self->model_name, g_free);
  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->keep, g_free);
  g_clear_pointer (&self->tracker, omni_iou_tracker_free);
  self->n_labels = 0;
}

static gboolean
gst_omni_detect_stop (GstBaseTransform *trans)
{
  clear_state (GST_OMNI_DETECT (trans));
  return GST_BASE_TRANSFORM_CLASS (gst_omni_detect_parent_class)->stop (trans);
}

static gboolean
gst_omni_detect_sink_event (GstBaseTransform *trans, GstEvent *event)
{
  GstOmniDetect *self = GST_OMNI_DETECT (trans);

  /* a flush (a seek) starts the tracks afresh */
  if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP && self->tracker)
    omni_iou_tracker_reset (self->tracker);
  return GST_BASE_TRANSFORM_CLASS (gst_omni_detect_parent_class)
      ->sink_event (trans, event);
}

/* From the model input back to the frame: where GstOmniInference put the
 * frame in the model input (stretched, or letterboxed as the sidecar says:
 * padding and one scale). */
static void
boxes_to_frame (GstOmniInference *base, const GstVideoInfo *info,
    OmniDetectBox *boxes, guint n)
{
  const OmniInferencePlacement *p = gst_omni_inference_get_placement (base);

  omni_detect_result_to_frame (boxes, n, p->pad_x, p->pad_y, p->scale_x,
      p->scale_y, p->input_w, p->input_h, GST_VIDEO_INFO_WIDTH (info),
      GST_VIDEO_INFO_HEIGHT (info));
}

/* classes=, then NMS; returns how many boxes are left */
static guint
select_boxes (GstOmniDetect *self, OmniDetectBox *boxes, guint n)
{
  gdouble nms_threshold, threshold;
  guint max_det, i, k = 0;
  gboolean class_aware;

  GST_OBJECT_LOCK (self);
  class_aware = self->nms_class_aware;
  nms_threshold = self->nms_threshold;
  threshold = self->threshold;
  max_det = self->max_detections;
  GST_OBJECT_UNLOCK (self);
  for (i = 0; i < n; i++)
    if (!self->keep
        || (boxes[i].label < self->n_labels && self->keep[boxes[i].label]))
      boxes[k++] = boxes[i];
  n = omni_detect_result_clamp (boxes, k);
  return omni_detect_nms (
      boxes, n, nms_threshold, threshold, max_det, class_aware);
}

static guint *
track (GstOmniDetect *self, const OmniDetectBox *boxes, guint n)
{
  GstOmniDetectTracker kind;
  gdouble iou;
  guint misses, *ids;

  GST_OBJECT_LOCK (self);
  kind = self->tracker_kind;
  iou = self->track_iou;
  misses = self->track_max_misses;
  GST_OBJECT_UNLOCK (self);
  if (kind == GST_OMNI_DETECT_TRACKER_NONE)
    return NULL;
  if (!self->tracker)
    self->tracker = omni_iou_tracker_new (iou, misses);
  ids = g_new0 (guint, MAX (n, 1));
  omni_iou_tracker_update (self->tracker, boxes, n, ids);
  return ids;
}

static GstFlowReturn
gst_omni_detect_process (
    GstOmniInference *base, GstBuffer *buf, OmniNnSession *s)
{
  GstOmniDetect *self = GST_OMNI_DETECT (base);
  GstBaseTransform *trans = GST_BASE_TRANSFORM (base);
  GstVideoInfo *info = &GST_VIDEO_FILTER (base)->in_info;
  OmniDetectResult r = { 0 };
  OmniDetectBox *boxes;
  guint n, *ids;
  gdouble threshold;

  GST_OBJECT_LOCK (self);
  threshold = self->threshold;
  GST_OBJECT_UNLOCK (self);
  n = omni_detect_decoder_run (self->decoder, s, threshold, &boxes);
  boxes_to_frame (base, info, boxes, n);
  n = select_boxes (self, boxes, n);
  ids = track (self, boxes, n);

  r.model = self->model_name;
  r.labels = self->labels;
  r.n_labels = self->n_labels;
  r.keypoint_names = omni_detect_decoder_get_keypoint_names (self->decoder);
  r.boxes = boxes;
  r.track_ids = ids;
  r.n_boxes = n;
  r.width = GST_VIDEO_INFO_WIDTH (info);
  r.height = GST_VIDEO_INFO_HEIGHT (info);
  r.pts = GST_BUFFER_PTS (buf);
  r.running_time
      = gst_segment_to_running_time (&trans->segment, GST_FORMAT_TIME, r.pts);
  r.stream_time
      = gst_segment_to_stream_time (&trans->segment, GST_FORMAT_TIME, r.pts);
  omni_detect_result_attach (&r, buf);
  gst_element_post_message (
      GST_ELEMENT (self), gst_message_new_element (GST_OBJECT (self),
                              omni_detect_result_to_structure (&r)));
  GST_LOG_OBJECT (self, "%u boxes", n);
  g_free (ids);
  return GST_FLOW_OK;
}

static void
gst_omni_detect_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstOmniDetect *self = GST_OMNI_DETECT (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_THRESHOLD:
    self->threshold = g_value_get_double (value);
    break;
  case PROP_NMS_THRESHOLD:
    self->nms_threshold = g_value_get_double (value);
    break;
  case PROP_MAX_DETECTIONS:
    self->max_detections = g_value_get_uint (value);
    break;
  case PROP_LABELS:
    g_free (self->labels_file);
    self->labels_file = g_value_dup_string (value);
    break;
  case PROP_CLASSES:
    g_free (self->classes);
    self->classes = g_value_dup_string (value);
    break;
  case PROP_TRACKER:
    self->tracker_kind = g_value_get_enum (value);
    break;
  case PROP_TRACK_IOU:
    self->track_iou = g_value_get_double (value);
    break;
  case PROP_TRACK_MAX_MISSES:
    self->track_max_misses = g_value_get_uint (value);
    break;
  case PROP_NMS_CLASS_AWARE:
    self->nms_class_aware = g_value_get_boolean (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_detect_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstOmniDetect *self = GST_OMNI_DETECT (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_THRESHOLD:
    g_value_set_double (value, self->threshold);
    break;
  case PROP_NMS_THRESHOLD:
    g_value_set_double (value, self->nms_threshold);
    break;
  case PROP_MAX_DETECTIONS:
    g_value_set_uint (value, self->max_detections);
    break;
  case PROP_LABELS:
    g_value_set_string (value, self->labels_file);
    break;
  case PROP_CLASSES:
    g_value_set_string (value, self->classes);
    break;
  case PROP_TRACKER:
    g_value_set_enum (value, self->tracker_kind);
    break;
  case PROP_TRACK_IOU:
    g_value_set_double (value, self->track_iou);
    break;
  case PROP_TRACK_MAX_MISSES:
    g_value_set_uint (value, self->track_max_misses);
    break;
  case PROP_NMS_CLASS_AWARE:
    g_value_set_boolean (value, self->nms_class_aware);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_detect_finalize (GObject *object)
{
  GstOmniDetect *self = GST_OMNI_DETECT (object);

  clear_state (self);
  g_free (self->labels_file);
  g_free (self->classes);
  G_OBJECT_CLASS (gst_omni_detect_parent_class)->finalize (object);
}

static void
install_properties (GObjectClass *gc)
{
  GParamFlags f
      = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING;

  g_object_class_install_property (gc, PROP_THRESHOLD,
      g_param_spec_double ("threshold", "Threshold",
          "Keep boxes whose confidence is above this", 0.0, 1.0,
          DEFAULT_THRESHOLD, f));
  g_object_class_install_property (gc, PROP_NMS_THRESHOLD,
      g_param_spec_double ("nms-threshold", "NMS threshold",
          "A box overlapping a better box of its class by this IoU or more "
          "is dropped",
          0.0, 1.0, DEFAULT_NMS_THRESHOLD, f));
  g_object_class_install_property (gc, PROP_NMS_CLASS_AWARE,
      g_param_spec_boolean ("nms-class-aware", "Class-aware NMS",
          "Boxes suppress only boxes of their own class (FALSE: of any "
          "class, as @vladmandic/human does)",
          DEFAULT_NMS_CLASS_AWARE, f));
  g_object_class_install_property (gc, PROP_MAX_DETECTIONS,
      g_param_spec_uint ("max-detections", "Max detections",
          "Keep at most this many boxes per frame (the best)", 0, 10000,
          DEFAULT_MAX_DETECTIONS, f));
  g_object_class_install_property (gc, PROP_LABELS,
      g_param_spec_string ("labels", "Labels",
          "File with the model's labels, one per line (default: the model's "
          "sidecar)",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gc, PROP_CLASSES,
      g_param_spec_string ("classes", "Classes",
          "Comma-separated labels to keep (default: all)", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gc, PROP_TRACKER,
      g_param_spec_enum ("tracker", "Tracker", "How boxes get track ids",
          gst_omni_detect_tracker_get_type (), DEFAULT_TRACKER,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gc, PROP_TRACK_IOU,
      g_param_spec_double ("track-iou-threshold", "Track IoU threshold",
          "Least IoU between a track's last box and a new box of its class "
          "to continue it",
          0.01, 1.0, DEFAULT_TRACK_IOU,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gc, PROP_TRACK_MAX_MISSES,
      g_param_spec_uint ("track-max-misses", "Track max misses",
          "Inferred frames a track survives without a box (then its id is "
          "lost)",
          0, 10000, DEFAULT_TRACK_MAX_MISSES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
gst_omni_detect_class_init (GstOmniDetectClass *klass)
{
  GObjectClass *gc = G_OBJECT_CLASS (klass);
  GstElementClass *ec = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *tc = GST_BASE_TRANSFORM_CLASS (klass);
  GstOmniInferenceClass *ic = GST_OMNI_INFERENCE_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (
      gst_omni_detect_debug, "omnidetect", 0, "gst-omni object detection");
  gc->set_property = gst_omni_detect_set_property;
  gc->get_property = gst_omni_detect_get_property;
  gc->finalize = gst_omni_detect_finalize;
  install_properties (gc);
  gst_element_class_add_static_pad_template (ec, &sink_template);
  gst_element_class_add_static_pad_template (ec, &src_template);
  gst_element_class_set_static_metadata (ec, "Object detector",
      "Filter/Analyzer/Video",
      "Finds objects, faces and people (CenterNet, NanoDet, BlazeFace): "
      "ROI metas, omnidetect messages, optional IoU tracking",
      "gst-omni");
  tc->start = GST_DEBUG_FUNCPTR (gst_omni_detect_start);
  tc->stop = GST_DEBUG_FUNCPTR (gst_omni_detect_stop);
  tc->sink_event = GST_DEBUG_FUNCPTR (gst_omni_detect_sink_event);
  ic->default_model = "centernet";
  ic->process = GST_DEBUG_FUNCPTR (gst_omni_detect_process);
  gst_type_mark_as_plugin_api (gst_omni_detect_tracker_get_type (), 0);
}

static void
gst_omni_detect_init (GstOmniDetect *self)
{
  self->threshold = DEFAULT_THRESHOLD;
  self->nms_threshold = DEFAULT_NMS_THRESHOLD;
  self->max_detections = DEFAULT_MAX_DETECTIONS;
  self->tracker_kind = DEFAULT_TRACKER;
  self->track_iou = DEFAULT_TRACK_IOU;
  self->track_max_misses = DEFAULT_TRACK_MAX_MISSES;
  self->nms_class_aware = DEFAULT_NMS_CLASS_AWARE;
}
