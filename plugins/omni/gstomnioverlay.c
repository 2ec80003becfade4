/* gst-omni: omnioverlay
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-omnioverlay
 * @title: omnioverlay
 * @short_description: draws boxes, labels, track ids, keypoints, text
 *   lines and the current caption/verdict on raw video
 *
 * omnioverlay draws what the analysis elements attached to a frame,
 * in place, in the frame's own format (no conversion):
 *
 * - every #GstVideoRegionOfInterestMeta: its border (#GstOmniOverlay:line-width-px
 *   wide, inside the box, in the colour of its label), and a label block
 *   above it: "label score #track-id" (from the `detection` parameters
 *   of omnidetect), a line per `classification` structure (e.g. emotion
 *   "happy 0.80", faceres "male 0.91, 42 y") and the text of an
 *   `omniocr` line;
 * - the points of each `keypoints` structure (MoveNet) with a score of at
 *   least #GstOmniOverlay:keypoint-threshold, joined by the COCO skeleton
 *   where the point names are COCO's ("nose", "left_eye", ...);
 * - the current omnifusion caption and verdict ("FLAGGED porn risk 0.93",
 *   in the colour of the state) at the bottom left: taken from the
 *   #OmniFusionMeta of a frame and kept on the following frames until the
 *   next one (cleared by a flush).
 *
 * Text is laid out by Pango and rasterised by Cairo (a real font through
 * fontconfig; #GstOmniOverlay:font-desc), then blended into the frame; the
 * rendered labels are cached. A frame without ROIs (and no verdict) is
 * left byte-identical. The drawing functions are chosen for the format
 * once, when the caps are set. In 4:2:0 and 4:2:2 formats a border also
 * colours the chroma of the pixels that share its chroma samples.
 *
 * The element posts no messages.
 *
 * ## Example pipelines
 * |[
 * gst-launch-1.0 uridecodebin uri=file:///path/clip.mkv ! videoconvert ! \
 *   omnidetect ! omnioverlay ! videoconvert ! autovideosink
 * ]| Draws the detected objects with their labels, scores and track ids.
 * |[
 * gst-launch-1.0 filesrc location=subtitled.mkv ! decodebin ! videoconvert ! \
 *   omniocr ! omnioverlay line-width-px=2 font-desc="Sans Bold" ! \
 *   videoconvert ! autovideosink
 * ]| Boxes and reads back the on-screen text lines omniocr found.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstomnioverlay.h"
#include "omnioverlaydraw.h"

GST_DEBUG_CATEGORY_STATIC (gst_omni_overlay_debug);
#define GST_CAT_DEFAULT gst_omni_overlay_debug

#define OVERLAY_FORMATS                                                        \
  "{ I420, YV12, NV12, NV21, Y42B, Y444, RGBx, BGRx, xRGB, xBGR, RGBA, "       \
  "BGRA, ARGB, ABGR, RGB, BGR, GRAY8 }"

#define DEFAULT_FONT_DESC "Sans Bold"
#define DEFAULT_KEYPOINT_THRESHOLD 0.3

enum {
  PROP_0,
  PROP_DRAW_BOXES,
  PROP_DRAW_LABELS,
  PROP_DRAW_SCORES,
  PROP_DRAW_TRACK_IDS,
  PROP_DRAW_KEYPOINTS,
  PROP_DRAW_CAPTION,
  PROP_LINE_WIDTH_PX,
  PROP_FONT_DESC,
  PROP_FONT_SIZE_PX,
  PROP_KEYPOINT_THRESHOLD,
};

struct _GstOmniOverlay {
  GstVideoFilter parent;

  /* properties (object lock) */
  OmniOverlaySettings props;
  guint line_width_px, font_size_px;
  gchar *font_desc;
  gboolean text_dirty;

  /* streaming thread */
  OmniPainter painter;
  OmniTextRenderer *text;
  OmniOverlayVerdict verdict;
};

#define gst_omni_overlay_parent_class parent_class
G_DEFINE_TYPE (GstOmniOverlay, gst_omni_overlay, GST_TYPE_VIDEO_FILTER);
GST_ELEMENT_REGISTER_DEFINE (
    omnioverlay, "omnioverlay", GST_RANK_NONE, GST_TYPE_OMNI_OVERLAY);

static GstStaticPadTemplate sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (OVERLAY_FORMATS)));
static GstStaticPadTemplate src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (OVERLAY_FORMATS)));

/* Line width and font size for a frame @height pixels high: the
 * properties, or (0) about 3 px and 27 px at 1080 lines. */
static gint
auto_line_width (guint prop, gint height)
{
  return prop ? (gint) prop : MAX (1, height / 360);
}

static gint
auto_font_size (guint prop, gint height)
{
  return prop ? (gint) prop : MAX (8, height / 40);
}

static gboolean
gst_omni_overlay_set_info (GstVideoFilter *filter, GstCaps *incaps,
    GstVideoInfo *in_info, GstCaps *outcaps, GstVideoInfo *out_info)
{
  GstOmniOverlay *self = GST_OMNI_OVERLAY (filter);

  if (!omni_painter_init (&self->painter, in_info)) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("omnioverlay cannot draw on %s",
            gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (in_info))));
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  self->text_dirty = TRUE;
  GST_OBJECT_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "drawing on %s %dx%d",
      gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (in_info)),
      GST_VIDEO_INFO_WIDTH (in_info), GST_VIDEO_INFO_HEIGHT (in_info));
  return TRUE;
}

/* A snapshot of the settings for one frame; recreates the text renderer
 * when the font or the frame size changed. */
static void
take_settings (GstOmniOverlay *self, OmniOverlaySettings *s)
{
  gint height = GST_VIDEO_INFO_HEIGHT (&self->painter.info);
  gchar *font = NULL;
  guint size = 0;
  gboolean dirty;

  GST_OBJECT_LOCK (self);
  *s = self->props;
  s->line_width = auto_line_width (self->line_width_px, height);
  dirty = self->text_dirty || !self->text;
  if (dirty) {
    font = g_strdup (self->font_desc);
    size = self->font_size_px;
    self->text_dirty = FALSE;
  }
  GST_OBJECT_UNLOCK (self);
  if (dirty) {
    omni_text_renderer_free (self->text);
    self->text = omni_text_renderer_new (font, auto_font_size (size, height));
    g_free (font);
  }
}

static GstFlowReturn
gst_omni_overlay_transform_frame_ip (
    GstVideoFilter *filter, GstVideoFrame *frame)
{
  GstOmniOverlay *self = GST_OMNI_OVERLAY (filter);
  OmniOverlaySettings s;
  OmniFusionMeta *fusion;
  gpointer state = NULL;
  GstMeta *meta;

  take_settings (self, &s);
  fusion = omni_buffer_get_fusion_meta (frame->buffer);
  if (fusion)
    omni_overlay_verdict_set (&self->verdict, fusion);

  while ((meta = gst_buffer_iterate_meta_filtered (frame->buffer, &state,
              GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE)))
    omni_overlay_draw_roi (&self->painter, self->text, frame,
        (GstVideoRegionOfInterestMeta *) meta, &s);
  if (s.caption)
    omni_overlay_draw_verdict (
        &self->painter, self->text, frame, &self->verdict, s.line_width * 2);
  return GST_FLOW_OK;
}

static gboolean
gst_omni_overlay_sink_event (GstBaseTransform *trans, GstEvent *event)
{
  GstOmniOverlay *self = GST_OMNI_OVERLAY (trans);

  if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP)
    omni_overlay_verdict_clear (&self->verdict);
  return GST_BASE_TRANSFORM_CLASS (parent_class)->sink_event (trans, event);
}

static gboolean
gst_omni_overlay_stop (GstBaseTransform *trans)
{
  GstOmniOverlay *self = GST_OMNI_OVERLAY (trans);

  omni_overlay_verdict_clear (&self->verdict);
  g_clear_pointer (&self->text, omni_text_renderer_free);
  return TRUE;
}

static void
gst_omni_overlay_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstOmniOverlay *self = GST_OMNI_OVERLAY (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_DRAW_BOXES:
    self->props.boxes = g_value_get_boolean (value);
    break;
  case PROP_DRAW_LABELS:
    self->props.labels = g_value_get_boolean (value);
    break;
  case PROP_DRAW_SCORES:
    self->props.scores = g_value_get_boolean (value);
    break;
  case PROP_DRAW_TRACK_IDS:
    self->props.track_ids = g_value_get_boolean (value);
    break;
  case PROP_DRAW_KEYPOINTS:
    self->props.keypoints = g_value_get_boolean (value);
    break;
  case PROP_DRAW_CAPTION:
    self->props.caption = g_value_get_boolean (value);
    break;
  case PROP_LINE_WIDTH_PX:
    self->line_width_px = g_value_get_uint (value);
    break;
  case PROP_FONT_DESC:
    g_free (self->font_desc);
    self->font_desc = g_value_dup_string (value);
    if (!self->font_desc)
      self->font_desc = g_strdup (DEFAULT_FONT_DESC);
    self->text_dirty = TRUE;
    break;
  case PROP_FONT_SIZE_PX:
    self->font_size_px = g_value_get_uint (value);
    self->text_dirty = TRUE;
    break;
  case PROP_KEYPOINT_THRESHOLD:
    self->props.keypoint_threshold = g_value_get_double (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_overlay_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstOmniOverlay *self = GST_OMNI_OVERLAY (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_DRAW_BOXES:
    g_value_set_boolean (value, self->props.boxes);
    break;
  case PROP_DRAW_LABELS:
    g_value_set_boolean (value, self->props.labels);
    break;
  case PROP_DRAW_SCORES:
    g_value_set_boolean (value, self->props.scores);
    break;
  case PROP_DRAW_TRACK_IDS:
    g_value_set_boolean (value, self->props.track_ids);
    break;
  case PROP_DRAW_KEYPOINTS:
    g_value_set_boolean (value, self->props.keypoints);
    break;
  case PROP_DRAW_CAPTION:
    g_value_set_boolean (value, self->props.caption);
    break;
  case PROP_LINE_WIDTH_PX:
    g_value_set_uint (value, self->line_width_px);
    break;
  case PROP_FONT_DESC:
    g_value_set_string (value, self->font_desc);
    break;
  case PROP_FONT_SIZE_PX:
    g_value_set_uint (value, self->font_size_px);
    break;
  case PROP_KEYPOINT_THRESHOLD:
    g_value_set_double (value, self->props.keypoint_threshold);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_overlay_finalize (GObject *object)
{
  GstOmniOverlay *self = GST_OMNI_OVERLAY (object);

  omni_overlay_verdict_clear (&self->verdict);
  omni_text_renderer_free (self->text);
  g_free (self->font_desc);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
install_bool (GObjectClass *gobject_class, guint id, const gchar *name,
    const gchar *blurb)
{
  g_object_class_install_property (gobject_class, id,
      g_param_spec_boolean (name, name, blurb, TRUE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_PLAYING));
}

static void
install_properties (GObjectClass *gobject_class)
{
  install_bool (gobject_class, PROP_DRAW_BOXES, "draw-boxes",
      "Draw the border of every region of interest");
  install_bool (gobject_class, PROP_DRAW_LABELS, "draw-labels",
      "Draw the label block of every region (label, classes, OCR text)");
  install_bool (gobject_class, PROP_DRAW_SCORES, "draw-scores",
      "Write the confidences in the label blocks");
  install_bool (gobject_class, PROP_DRAW_TRACK_IDS, "draw-track-ids",
      "Write the track ids (#N) in the label blocks");
  install_bool (gobject_class, PROP_DRAW_KEYPOINTS, "draw-keypoints",
      "Draw keypoints and the COCO skeleton");
  install_bool (gobject_class, PROP_DRAW_CAPTION, "draw-caption",
      "Draw the current omnifusion caption and verdict");
  g_object_class_install_property (gobject_class, PROP_LINE_WIDTH_PX,
      g_param_spec_uint ("line-width-px", "Line width",
          "Width of borders and skeleton lines in pixels (0 = frame height "
          "/ 360, at least 1)",
          0, 64, 0,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_FONT_DESC,
      g_param_spec_string ("font-desc", "Font description",
          "Pango font description of the labels (family and style; the "
          "size is font-size-px)",
          DEFAULT_FONT_DESC,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_FONT_SIZE_PX,
      g_param_spec_uint ("font-size-px", "Font size",
          "Text height in pixels (0 = frame height / 40, at least 8)", 0, 512,
          0,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_KEYPOINT_THRESHOLD,
      g_param_spec_double ("keypoint-threshold", "Keypoint threshold",
          "Draw keypoints (and skeleton lines) whose score is at least this",
          0.0, 1.0, DEFAULT_KEYPOINT_THRESHOLD,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_PLAYING));
}

static void
gst_omni_overlay_class_init (GstOmniOverlayClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstVideoFilterClass *filter_class = GST_VIDEO_FILTER_CLASS (klass);

  gobject_class->set_property = gst_omni_overlay_set_property;
  gobject_class->get_property = gst_omni_overlay_get_property;
  gobject_class->finalize = gst_omni_overlay_finalize;
  install_properties (gobject_class);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Omni overlay",
      "Filter/Effect/Video",
      "Draws boxes, labels, track ids, keypoints, text lines and the "
      "current caption/verdict of gst-omni's analysis on raw video",
      "gst-omni");

  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_omni_overlay_sink_event);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_omni_overlay_stop);
  filter_class->set_info = GST_DEBUG_FUNCPTR (gst_omni_overlay_set_info);
  filter_class->transform_frame_ip
      = GST_DEBUG_FUNCPTR (gst_omni_overlay_transform_frame_ip);

  GST_DEBUG_CATEGORY_INIT (
      gst_omni_overlay_debug, "omnioverlay", 0, "gst-omni overlay");
}

static void
gst_omni_overlay_init (GstOmniOverlay *self)
{
  self->props.boxes = TRUE;
  self->props.labels = TRUE;
  self->props.scores = TRUE;
  self->props.track_ids = TRUE;
  self->props.keypoints = TRUE;
  self->props.caption = TRUE;
  self->props.keypoint_threshold = DEFAULT_KEYPOINT_THRESHOLD;
  self->font_desc = g_strdup (DEFAULT_FONT_DESC);
}
