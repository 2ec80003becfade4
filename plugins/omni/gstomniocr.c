/* gst-omni: omniocr
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-omniocr
 * @title: omniocr
 * @short_description: reads the text lines of sampled video frames
 *   (Tesseract); ROIs of type "text" and `omniocr` messages
 *
 * omniocr is a pass-through video filter: it never changes a pixel. On the
 * frames it analyses it finds the text lines with an OCR engine (Tesseract,
 * through libtesseract's C API) and attaches to that frame one
 * #GstVideoRegionOfInterestMeta per line: roi_type "text", id = the line's
 * index in reading order, and a parameter structure named "omniocr" with
 * "text" (gchararray), "confidence" (gdouble, 0..1) and "inverted"
 * (gboolean, read from the inverted frame).
 *
 * ## Which frames
 *
 * A frame carrying an #OmniSampleMeta (from omnisampler upstream) is
 * analysed. Once such a meta has been seen, frames without one are not.
 * When none has been seen since start or the last flush, every
 * #GstOmniOcr:inference-interval-th frame is analysed, starting with the
 * first.
 *
 * ## Pre-processing
 *
 * The frame is converted to 8-bit RGB (GRAY8 stays grey): Tesseract
 * thresholds each colour channel with Otsu's method and keeps the best
 * separated one, which finds white captions over bright photos that the
 * luma alone hides. Frames lower than 1080 lines are enlarged to 1080 (at
 * most 3x), so that captions, some 3-5 % of the picture's height, are 30 px
 * or more high, and frames longer than 3840 pixels are reduced. Tesseract then finds and reads
 * the text lines (automatic page segmentation, LSTM recogniser) twice: on
 * the frame and on its inverse, so that light text on dark boxes
 * (captions) is read as well as dark text on light backgrounds
 * (#GstOmniOcr:polarity restricts this to one pass). A line lower than
 * #GstOmniOcr:text-height pixels read with a confidence under 0.9 is read
 * again, cropped with a margin and enlarged to that height (about 30 px
 * suits Tesseract; small text gains most), and the better reading kept.
 * Lines under #GstOmniOcr:min-confidence, lines without a letter or digit
 * (texture taken for text) and the less confident of two overlapping
 * readings are dropped.
 *
 * ## Finding lines with PaddleOCR's text detector
 *
 * With #GstOmniOcr:detector = paddleocr, the lines are found by PaddleOCR
 * v4's text detector instead of Tesseract's page layout analysis: the frame
 * is stretched to the model's 640x640 input and normalised as PaddleOCR
 * does, the model (`paddleocr-det`, tools/omni-fetch-models) runs on
 * #GstOmniOcr:backend, and its probability map is decoded in C as
 * PaddleOCR's DBPostProcess does (Liao et al., "Real-time Scene Text
 * Detection with Differentiable Binarization", AAAI 2020: threshold 0.3,
 * contours, minimum-area rectangles, box score 0.6, unclip 1.5). Each
 * region, straightened and enlarged to at least 48 px high, is read by
 * Tesseract as one line, as is and inverted (#GstOmniOcr:polarity), and
 * the reading with the larger confidence x length kept. A line's ROI is
 * the region's axis-aligned box. It finds text that the layout analysis
 * misses (outlined text on photos, small captions) at several times the
 * cost: see docs/benchmarks.md.
 *
 * ## Messages
 *
 * With #GstOmniOcr:post-messages, an element message `omniocr` is posted
 * for each analysed frame (also when no text was found):
 * - "timestamp" (guint64): the frame's PTS
 * - "stream-time" (guint64): its stream time
 * - "running-time" (guint64): its running time
 * - "duration" (guint64): its duration (GST_CLOCK_TIME_NONE if unknown)
 * - "width", "height" (gint): the frame's size in pixels
 * - "n-lines" (guint): how many lines were read
 * - "text" (gchararray): the lines, in reading order, joined by "\n"
 * - "confidence" (gdouble): the lines' mean confidence, 0..1 (0 without
 *   lines)
 * - "lines" (GstValueArray of GstStructure "line"), in reading order, each
 *   with "text" (gchararray), "confidence" (gdouble, 0..1), "x", "y",
 *   "width", "height" (gint, the box in the frame's pixels), "nx", "ny",
 *   "nwidth", "nheight" (gdouble, the box normalised by the frame's size,
 *   0..1) and "inverted" (gboolean: read from the inverted frame, light
 *   text on a darker background)
 * - "inference-ms" (gdouble): wall-clock time of the analysis,
 *   pre-processing included
 * - "late" (gboolean): TRUE when the analysis ended after the frame had
 *   been forwarded (live, beyond #GstOmniOcr:latency): the frame then
 *   carries no ROI, the message alone tells what it showed
 *
 * ## Threading and latency
 *
 * OCR takes hundreds of milliseconds, so it runs in a worker thread, never
 * in the streaming thread. A frame being analysed is held back, with the
 * frames after it, until its result is ready, so that the ROIs land on the
 * frame they describe; frames between analyses pass straight through when
 * nothing is pending.
 *
 * In a live pipeline (upstream says so in the LATENCY query) no frame is
 * held longer than #GstOmniOcr:latency, which the element adds to the
 * LATENCY query: when the engine is slower than that, the frame goes on
 * without its ROIs (the message follows with "late" = TRUE). A sample that
 * arrives while the engine is still busy is not analysed: the engine never
 * builds a backlog and media is never delayed beyond the latency. Each such
 * skip is posted as a QoS message (format buffers: processed = frames
 * analysed, dropped = samples skipped), the first one after start or flush
 * also as a warning, and counted in #GstOmniOcr:stats.
 *
 * In a pipeline that is not live (files) nothing is skipped: a sample
 * waits for the engine to be free, so every sample is analysed and every
 * result lands on its frame.
 *
 * Serialized events (caps, segment, tags, gap, EOS...) leave after the
 * frames held before them: EOS is forwarded once the pending analyses are
 * done (live: at most #GstOmniOcr:latency later). A flush discards the
 * held frames and cancels the analysis in progress.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 -m filesrc location=film-with-subtitles.mkv ! decodebin ! \
 *   videoconvert ! omnisampler interval=1000000000 ! omniocr ! fakesink
 * ]| the burned-in subtitles, read once a second and at each scene cut, as
 * `omniocr` messages on the bus.
 * |[
 * gst-launch-1.0 v4l2src ! videoconvert ! omniocr inference-interval=30 \
 *   latency=1500000000 ! omnioverlay ! autovideosink
 * ]| a camera read once a second, each result drawn on its own frame, the
 * picture delayed by 1.5 s.
 * |[
 * gst-launch-1.0 -m filesrc location=page.png ! pngdec ! videoconvert ! \
 *   imagefreeze num-buffers=1 ! omniocr detector=paddleocr backend=cpu ! \
 *   fakesink
 * ]| text regions found by PaddleOCR's detector, each read by Tesseract.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstomniocr.h"
#include "omnilatency.h"
#include "omniocrresult.h"

#include <omni/meta/omnisamplemeta.h>
#include <omni/tasks/omniocrengine.h>
#include <omni/tasks/omniocrtextdet.h>
#include "gstomniinference.h"

GST_DEBUG_CATEGORY_STATIC (gst_omni_ocr_debug);
#define GST_CAT_DEFAULT gst_omni_ocr_debug

#define DEFAULT_LANGUAGE "eng"
#define DEFAULT_ENGINE "tesseract"
#define DEFAULT_INFERENCE_INTERVAL 1
#define DEFAULT_LATENCY (1 * GST_SECOND)
#define DEFAULT_TEXT_HEIGHT 30
#define DEFAULT_POLARITY OMNI_OCR_POLARITY_AUTO
#define DEFAULT_MIN_CONFIDENCE 0.5
#define DEFAULT_MAX_LINES 64
#define DEFAULT_POST_MESSAGES TRUE
#define DEFAULT_DETECTOR GST_OMNI_OCR_DETECTOR_TESSERACT
#define DEFAULT_BACKEND GST_OMNI_INFERENCE_BACKEND_AUTO

/* Where text lines are found: Tesseract's page layout analysis, or
 * PaddleOCR's text detector (each region then read as one line). */
typedef enum {
  GST_OMNI_OCR_DETECTOR_TESSERACT,
  GST_OMNI_OCR_DETECTOR_PADDLEOCR,
} GstOmniOcrDetector;
/* Not live: at most this many frames are held; the streaming thread waits
 * beyond. */
#define MAX_HELD_FRAMES 256

enum {
  PROP_0,
  PROP_LANGUAGE,
  PROP_ENGINE,
  PROP_INFERENCE_INTERVAL,
  PROP_LATENCY,
  PROP_TEXT_HEIGHT,
  PROP_POLARITY,
  PROP_MIN_CONFIDENCE,
  PROP_MAX_LINES,
  PROP_POST_MESSAGES,
  PROP_STATS,
  PROP_DETECTOR,
  PROP_BACKEND,
};

/* One analysis; shared by the held frame and the worker. */
typedef struct {
  GstBuffer *buffer; /* the worker's ref, dropped after pre-processing */
  GstVideoInfo info;
  OmniOcrConvertFunc convert;
  OmniOcrParams params;
  guint64 generation;
  /* under the element's lock */
  gboolean posting, done, late;
  OmniOcrResult result;
} OcrJob;

/* A frame waiting in the output queue. */
typedef struct {
  GstBuffer *buffer;
  OcrJob *job;     /* NULL: not analysed */
  gint64 deadline; /* monotonic us; G_MAXINT64 when not live */
} OcrItem;

struct _GstOmniOcr {
  GstVideoFilter parent;

  /* properties, under the object lock */
  gchar *language;
  gchar *engine_name;
  guint interval;
  GstClockTime latency;
  guint text_height;
  OmniOcrPolarity polarity;
  gdouble min_confidence;
  guint max_lines;
  gboolean post_messages;
  GstOmniOcrDetector detector;
  GstOmniInferenceBackend backend;

  /* streaming thread */
  OmniOcrConvertFunc convert;
  guint64 frame_count;
  gboolean seen_sample_meta;
  gboolean live, live_known;

  /* engine and worker: created in start(), freed in stop() */
  OmniOcrEngine *engine;
  OmniOcrTextDet *text_det; /* detector=paddleocr; used by the worker */
  GThread *worker;

  /* output queue, job slot and stats, under lock */
  GMutex lock;
  GCond cond;
  GQueue items;
  OcrJob *job; /* waiting for or run by the worker */
  gboolean job_taken;
  gboolean quit, flushing, pushing, warned;
  guint64 generation;
  GstFlowReturn srcresult;
  guint64 n_analysed, n_skipped, n_late;
  gdouble total_ms, max_ms, last_ms;
};

#define VIDEO_FORMATS                                                          \
  "{ RGB, BGR, RGBx, BGRx, xRGB, xBGR, RGBA, BGRA, ARGB, ABGR, "               \
  "GRAY8, I420, YV12, NV12, NV21, Y42B, Y444 }"

static GstStaticPadTemplate sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (VIDEO_FORMATS)));

static GstStaticPadTemplate src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (VIDEO_FORMATS)));

#define gst_omni_ocr_parent_class parent_class
G_DEFINE_TYPE (GstOmniOcr, gst_omni_ocr, GST_TYPE_VIDEO_FILTER);
GST_ELEMENT_REGISTER_DEFINE (
    omniocr, "omniocr", GST_RANK_NONE, GST_TYPE_OMNI_OCR);

static GType
gst_omni_ocr_polarity_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = { { OMNI_OCR_POLARITY_AUTO,
                                           "Both, decided per line", "auto" },
    { OMNI_OCR_POLARITY_DARK_ON_LIGHT, "Only dark text on light backgrounds",
        "dark-on-light" },
    { OMNI_OCR_POLARITY_LIGHT_ON_DARK,
        "Only light text on dark backgrounds (captions)", "light-on-dark" },
    { 0, NULL, NULL } };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstOmniOcrPolarity", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

static GType
gst_omni_ocr_detector_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { GST_OMNI_OCR_DETECTOR_TESSERACT, "Tesseract's page layout analysis",
        "tesseract" },
    { GST_OMNI_OCR_DETECTOR_PADDLEOCR,
        "PaddleOCR v4's text detector (DB), each region read as one line",
        "paddleocr" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstOmniOcrDetector", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

/* ---- jobs and held frames ---------------------------------------------- */

/* Drops a job's references the way job_free does, for the rc box. */
static void
job_clear (OcrJob *job)
{
  gst_clear_buffer (&job->buffer);
  omni_ocr_result_clear (&job->result);
}

static void
job_release (OcrJob *job)
{
  g_atomic_rc_box_release_full (job, (GDestroyNotify) job_clear);
}

static void
item_free (OcrItem *item)
{
  gst_clear_buffer (&item->buffer);
  if (item->job)
    job_release (item->job);
  g_free (item);
}

/* Under lock: drops the held frames and forgets the job in progress. */
static void
discard_held_locked (GstOmniOcr *self)
{
  g_queue_clear_full (&self->items, (GDestroyNotify) item_free);
  self->generation++;
  if (self->engine)
    omni_ocr_engine_cancel (self->engine);
  if (self->job && !self->job_taken) {
    job_release (self->job);
    self->job = NULL;
  }
  g_cond_broadcast (&self->cond);
}

/* ---- the worker thread ------------------------------------------------- */

/* The corners of @boxes (OmniOcrDbRect) as 8 doubles per box. */
static gdouble *
boxes_to_quads (GArray *boxes)
{
  gdouble *quads = g_new (gdouble, 8 * MAX (boxes->len, 1));
  guint i, k;

  for (i = 0; i < boxes->len; i++) {
    const OmniOcrDbRect *r = &g_array_index (boxes, OmniOcrDbRect, i);

    for (k = 0; k < 4; k++) {
      quads[8 * i + 2 * k] = r->p[k].x;
      quads[8 * i + 2 * k + 1] = r->p[k].y;
    }
  }
  return quads;
}

/* Finds the text regions of @image with the text detector and reads each
 * as one line. */
static GPtrArray *
read_detected (GstOmniOcr *self, const OmniOcrImage *image,
    const OmniOcrParams *params, GError **error)
{
  OmniOcrDbParams db;
  GArray *boxes;
  GPtrArray *lines;
  gdouble *quads;

  omni_ocr_db_params_init (&db);
  boxes = omni_ocr_text_det_find (self->text_det, image, &db, error);
  if (!boxes)
    return NULL;
  quads = boxes_to_quads (boxes);
  lines = omni_ocr_engine_read_regions (
      self->engine, image, quads, boxes->len, params, error);
  g_free (quads);
  g_array_unref (boxes);
  return lines;
}

/* Pre-processes and reads @job's frame; called without the lock. */
static void
run_job (GstOmniOcr *self, OcrJob *job)
{
  GstVideoFrame frame;
  OmniOcrImage *image;
  GError *err = NULL;
  gint64 t0 = g_get_monotonic_time ();

  if (!gst_video_frame_map (&frame, &job->info, job->buffer, GST_MAP_READ)) {
    GST_ELEMENT_WARNING (
        self, STREAM, FAILED, (NULL), ("could not map the frame for reading"));
    gst_clear_buffer (&job->buffer);
    return;
  }
  image = job->convert (&frame);
  gst_video_frame_unmap (&frame);
  gst_clear_buffer (&job->buffer);

  if (self->text_det)
    job->result.lines = read_detected (self, image, &job->params, &err);
  else
    job->result.lines
        = omni_ocr_engine_read (self->engine, image, &job->params, &err);
  omni_ocr_image_free (image);
  job->result.inference_ms = (g_get_monotonic_time () - t0) / 1000.0;
  if (err && !g_error_matches (err, OMNI_OCR_ERROR, OMNI_OCR_ERROR_CANCELLED))
    GST_ELEMENT_WARNING (self, LIBRARY, FAILED,
        ("Text recognition failed on a frame."), ("%s", err->message));
  g_clear_error (&err);
}

/* Under lock: the worker has finished @job; returns the message to post
 * before the job is marked done, so that the message always comes before
 * the frame it describes. */
static GstMessage *
finish_job_locked (GstOmniOcr *self, OcrJob *job)
{
  gboolean post;

  if (job->generation != self->generation || !job->result.lines)
    return NULL;
  self->n_analysed++;
  self->last_ms = job->result.inference_ms;
  self->total_ms += self->last_ms;
  self->max_ms = MAX (self->max_ms, self->last_ms);
  if (job->late)
    self->n_late++;
  GST_OBJECT_LOCK (self);
  post = self->post_messages;
  GST_OBJECT_UNLOCK (self);
  if (!post)
    return NULL;
  job->posting = TRUE;
  return gst_message_new_element (GST_OBJECT (self),
      omni_ocr_result_to_structure (&job->result, job->late));
}

static gpointer
worker_loop (gpointer data)
{
  GstOmniOcr *self = data;

  g_mutex_lock (&self->lock);
  while (TRUE) {
    OcrJob *job;
    GstMessage *msg;
    gboolean current;

    while (!self->quit && !(self->job && !self->job_taken))
      g_cond_wait (&self->cond, &self->lock);
    if (self->quit)
      break;
    job = g_atomic_rc_box_acquire (self->job);
    self->job_taken = TRUE;
    current = job->generation == self->generation;
    if (current)
      omni_ocr_engine_uncancel (self->engine);
    g_mutex_unlock (&self->lock);

    if (current)
      run_job (self, job);

    g_mutex_lock (&self->lock);
    msg = finish_job_locked (self, job);
    if (msg) {
      g_mutex_unlock (&self->lock);
      gst_element_post_message (GST_ELEMENT (self), msg);
      g_mutex_lock (&self->lock);
    }
    job->posting = FALSE;
    job->done = TRUE;
    if (self->job == job) {
      job_release (self->job);
      self->job = NULL;
    }
    self->job_taken = FALSE;
    g_cond_broadcast (&self->cond);
    g_mutex_unlock (&self->lock);
    job_release (job);
    g_mutex_lock (&self->lock);
  }
  g_mutex_unlock (&self->lock);
  return NULL;
}

/* ---- the source pad task: forwards held frames in order ---------------- */

/* Under lock: whether the head frame may go, or when to look again. */
static gboolean
head_ready_locked (GstOmniOcr *self, gint64 *wake)
{
  OcrItem *item = g_queue_peek_head (&self->items);

  *wake = G_MAXINT64;
  if (!item)
    return FALSE;
  if (!item->job || item->job->done)
    return TRUE;
  if (item->job->posting)
    return FALSE; /* done in a moment: wait for the broadcast */
  if (g_get_monotonic_time () >= item->deadline) {
    item->job->late = TRUE;
    return TRUE;
  }
  *wake = item->deadline;
  return FALSE;
}

static void
src_loop (gpointer data)
{
  GstOmniOcr *self = data;
  GstPad *srcpad = GST_BASE_TRANSFORM_SRC_PAD (self);
  OcrItem *item;
  GstBuffer *buf;
  GstFlowReturn ret;
  gint64 wake;

  g_mutex_lock (&self->lock);
  while (!self->flushing && !head_ready_locked (self, &wake)) {
    if (wake == G_MAXINT64)
      g_cond_wait (&self->cond, &self->lock);
    else
      g_cond_wait_until (&self->cond, &self->lock, wake);
  }
  if (self->flushing) {
    g_mutex_unlock (&self->lock);
    gst_pad_pause_task (srcpad);
    return;
  }
  item = g_queue_pop_head (&self->items);
  self->pushing = TRUE;
  buf = g_steal_pointer (&item->buffer);
  if (item->job && item->job->done && item->job->result.lines) {
    buf = gst_buffer_make_writable (buf);
    omni_ocr_result_attach (&item->job->result, buf);
  }
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  item_free (item);

  ret = gst_pad_push (srcpad, buf);

  g_mutex_lock (&self->lock);
  self->pushing = FALSE;
  if (ret != GST_FLOW_OK && self->srcresult == GST_FLOW_OK)
    self->srcresult = ret;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  if (ret != GST_FLOW_OK) {
    GST_DEBUG_OBJECT (self, "pausing: %s", gst_flow_get_name (ret));
    if (ret == GST_FLOW_NOT_NEGOTIATED || ret < GST_FLOW_EOS)
      GST_ELEMENT_FLOW_ERROR (self, ret);
    gst_pad_pause_task (srcpad);
  }
}

static gboolean gst_omni_ocr_src_activate_mode (
    GstPad *pad, GstObject *parent, GstPadMode mode, gboolean active);

/* ---- start, stop, caps ------------------------------------------------- */

static gboolean
gst_omni_ocr_start (GstBaseTransform *trans)
{
  GstOmniOcr *self = GST_OMNI_OCR (trans);
  gchar *language, *engine_name;
  GError *err = NULL;

  GstOmniOcrDetector detector;
  GstOmniInferenceBackend backend;

  GST_OBJECT_LOCK (self);
  language = g_strdup (self->language);
  engine_name = g_strdup (self->engine_name);
  detector = self->detector;
  backend = self->backend;
  GST_OBJECT_UNLOCK (self);

  if (detector == GST_OMNI_OCR_DETECTOR_PADDLEOCR
      && !(self->text_det = omni_ocr_text_det_new (OMNI_OCR_TEXT_DET_MODEL,
               (OmniNnBackendChoice) backend, NULL, &err))) {
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
        ("Could not load the text detector."),
        ("%s: %s (tools/omni-fetch-models installs it)",
            OMNI_OCR_TEXT_DET_MODEL, err->message));
    g_error_free (err);
    g_free (language);
    g_free (engine_name);
    return FALSE;
  }

  self->engine = omni_ocr_engine_new (engine_name, language, &err);
  g_free (language);
  g_free (engine_name);
  if (!self->engine) {
    if (g_error_matches (err, OMNI_OCR_ERROR, OMNI_OCR_ERROR_LANGUAGE))
      GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
          ("OCR language data is not installed."), ("%s", err->message));
    else
      GST_ELEMENT_ERROR (self, LIBRARY, INIT,
          ("Could not start the OCR engine."), ("%s", err->message));
    g_error_free (err);
    g_clear_pointer (&self->text_det, omni_ocr_text_det_free);
    return FALSE;
  }
  self->frame_count = 0;
  self->seen_sample_meta = FALSE;
  self->live_known = FALSE;
  g_mutex_lock (&self->lock);
  self->quit = FALSE;
  self->warned = FALSE;
  self->n_analysed = self->n_skipped = self->n_late = 0;
  self->total_ms = self->max_ms = self->last_ms = 0;
  g_mutex_unlock (&self->lock);
  self->worker = g_thread_new ("omniocr", worker_loop, self);
  return TRUE;
}

static gboolean
gst_omni_ocr_stop (GstBaseTransform *trans)
{
  GstOmniOcr *self = GST_OMNI_OCR (trans);

  g_mutex_lock (&self->lock);
  self->quit = TRUE;
  discard_held_locked (self);
  g_mutex_unlock (&self->lock);
  if (self->worker)
    g_thread_join (self->worker);
  self->worker = NULL;
  g_mutex_lock (&self->lock);
  if (self->job) {
    job_release (self->job);
    self->job = NULL;
  }
  self->job_taken = FALSE;
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&self->engine, omni_ocr_engine_free);
  g_clear_pointer (&self->text_det, omni_ocr_text_det_free);
  return TRUE;
}

static gboolean
gst_omni_ocr_set_info (GstVideoFilter *filter, GstCaps *incaps,
    GstVideoInfo *in_info, GstCaps *outcaps, GstVideoInfo *out_info)
{
  GstOmniOcr *self = GST_OMNI_OCR (filter);

  self->convert
      = omni_ocr_convert_func_for_format (GST_VIDEO_INFO_FORMAT (in_info));
  if (!self->convert) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT, (NULL),
        ("unsupported format %s",
            gst_video_format_to_string (GST_VIDEO_INFO_FORMAT (in_info))));
    return FALSE;
  }
  return TRUE;
}

/* ---- events and queries ------------------------------------------------ */

/* Waits until every held frame has left (or flushing, or downstream
 * refused): serialized events must follow the frames before them. */
static GstFlowReturn
drain (GstOmniOcr *self)
{
  GstFlowReturn ret;

  g_mutex_lock (&self->lock);
  while (!self->flushing && self->srcresult == GST_FLOW_OK
         && (self->pushing || !g_queue_is_empty (&self->items)))
    g_cond_wait (&self->cond, &self->lock);
  ret = self->flushing ? GST_FLOW_FLUSHING : self->srcresult;
  g_mutex_unlock (&self->lock);
  return ret;
}

static void
flush_start (GstOmniOcr *self)
{
  g_mutex_lock (&self->lock);
  self->flushing = TRUE;
  discard_held_locked (self);
  g_mutex_unlock (&self->lock);
}

static void
flush_stop (GstOmniOcr *self)
{
  GstPad *srcpad = GST_BASE_TRANSFORM_SRC_PAD (self);

  /* the task paused itself on flushing; wait for it to be idle */
  gst_pad_pause_task (srcpad);
  g_mutex_lock (&self->lock);
  g_queue_clear_full (&self->items, (GDestroyNotify) item_free);
  self->flushing = FALSE;
  self->srcresult = GST_FLOW_OK;
  self->warned = FALSE;
  g_mutex_unlock (&self->lock);
  self->frame_count = 0;
  self->seen_sample_meta = FALSE;
  self->live_known = FALSE;
  gst_pad_start_task (srcpad, src_loop, self, NULL);
}

static gboolean
gst_omni_ocr_sink_event (GstBaseTransform *trans, GstEvent *event)
{
  GstOmniOcr *self = GST_OMNI_OCR (trans);

  switch (GST_EVENT_TYPE (event)) {
  case GST_EVENT_FLUSH_START:
    flush_start (self);
    break;
  case GST_EVENT_FLUSH_STOP:
    flush_stop (self);
    break;
  default:
    if (GST_EVENT_IS_SERIALIZED (event) && drain (self) == GST_FLOW_FLUSHING) {
      gst_event_unref (event);
      return FALSE;
    }
    break;
  }
  return GST_BASE_TRANSFORM_CLASS (parent_class)->sink_event (trans, event);
}

static GstClockTime
ocr_own_latency (GstBaseTransform *trans)
{
  GstOmniOcr *self = GST_OMNI_OCR (trans);
  GstClockTime ours;

  GST_OBJECT_LOCK (self);
  ours = self->latency;
  GST_OBJECT_UNLOCK (self);
  return ours;
}

static gboolean
gst_omni_ocr_query (
    GstBaseTransform *trans, GstPadDirection direction, GstQuery *query)
{
  return omni_latency_transform_query (trans,
      GST_BASE_TRANSFORM_CLASS (parent_class), direction, query,
      ocr_own_latency);
}

static gboolean
gst_omni_ocr_src_activate_mode (
    GstPad *pad, GstObject *parent, GstPadMode mode, gboolean active)
{
  GstOmniOcr *self = GST_OMNI_OCR (parent);

  if (mode != GST_PAD_MODE_PUSH)
    return FALSE;
  if (active) {
    g_mutex_lock (&self->lock);
    self->flushing = FALSE;
    self->srcresult = GST_FLOW_OK;
    g_mutex_unlock (&self->lock);
    return gst_pad_start_task (pad, src_loop, self, NULL);
  }
  flush_start (self);
  return gst_pad_stop_task (pad);
}

/* ---- per frame --------------------------------------------------------- */

/* Whether to analyse @buf: see "Which frames" above. */
static gboolean
want_frame (GstOmniOcr *self, GstBuffer *buf)
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

static gboolean
upstream_is_live (GstOmniOcr *self)
{
  GstQuery *q;

  if (!self->live_known) {
    q = gst_query_new_latency ();
    self->live = FALSE;
    if (gst_pad_peer_query (GST_BASE_TRANSFORM_SINK_PAD (self), q))
      gst_query_parse_latency (q, &self->live, NULL, NULL);
    gst_query_unref (q);
    self->live_known = TRUE;
    GST_DEBUG_OBJECT (self, "upstream is %slive", self->live ? "" : "not ");
  }
  return self->live;
}

static OcrJob *
job_new (GstOmniOcr *self, GstBuffer *buf)
{
  GstBaseTransform *trans = GST_BASE_TRANSFORM (self);
  OcrJob *job = g_atomic_rc_box_new0 (OcrJob);
  GstClockTime pts = GST_BUFFER_PTS (buf);
  OmniOcrResult *r = &job->result;

  job->buffer = gst_buffer_ref (buf);
  job->info = GST_VIDEO_FILTER (self)->in_info;
  job->convert = self->convert;
  omni_ocr_params_init (&job->params);
  GST_OBJECT_LOCK (self);
  job->params.text_height = self->text_height;
  job->params.polarity = self->polarity;
  job->params.min_confidence = self->min_confidence;
  job->params.max_lines = self->max_lines;
  GST_OBJECT_UNLOCK (self);
  r->width = GST_VIDEO_INFO_WIDTH (&job->info);
  r->height = GST_VIDEO_INFO_HEIGHT (&job->info);
  r->pts = pts;
  r->duration = GST_BUFFER_DURATION (buf);
  r->running_time = r->stream_time = GST_CLOCK_TIME_NONE;
  if (trans->segment.format == GST_FORMAT_TIME
      && GST_CLOCK_TIME_IS_VALID (pts)) {
    r->running_time
        = gst_segment_to_running_time (&trans->segment, GST_FORMAT_TIME, pts);
    r->stream_time
        = gst_segment_to_stream_time (&trans->segment, GST_FORMAT_TIME, pts);
  }
  return job;
}

/* Under lock: the engine is busy with an earlier sample (live). */
static GstMessage *
skip_sample_locked (GstOmniOcr *self, OcrJob *job)
{
  OmniOcrResult *r = &job->result;
  GstMessage *qos;

  self->n_skipped++;
  qos = gst_message_new_qos (GST_OBJECT (self), TRUE, r->running_time,
      r->stream_time, r->pts, r->duration);
  gst_message_set_qos_stats (
      qos, GST_FORMAT_BUFFERS, self->n_analysed, self->n_skipped);
  return qos;
}

/* Under lock: hands @job to the worker, or skips it (live, engine busy).
 * Returns a QoS message to post, or NULL. */
static GstMessage *
submit_job_locked (GstOmniOcr *self, OcrJob *job, gboolean live,
    gboolean *submitted, gboolean *warn)
{
  *submitted = *warn = FALSE;
  /* a job of before the last flush is being cancelled: wait for it */
  if (live && self->job && self->job->generation == self->generation)
    goto skip;
  while (!self->flushing && self->job)
    g_cond_wait (&self->cond, &self->lock);
  if (self->flushing)
    return NULL;
  job->generation = self->generation;
  self->job = g_atomic_rc_box_acquire (job);
  self->job_taken = FALSE;
  *submitted = TRUE;
  g_cond_broadcast (&self->cond);
  return NULL;

skip:
  *warn = !self->warned;
  self->warned = TRUE;
  return skip_sample_locked (self, job);
}

static GstFlowReturn
gst_omni_ocr_submit_input_buffer (
    GstBaseTransform *trans, gboolean is_discont, GstBuffer *buf)
{
  GstOmniOcr *self = GST_OMNI_OCR (trans);
  OcrItem *item = g_new0 (OcrItem, 1);
  gboolean live = upstream_is_live (self), submitted = FALSE, warn = FALSE;
  GstMessage *qos = NULL;
  GstClockTime latency;
  GstFlowReturn ret;

  GST_OBJECT_LOCK (self);
  latency = self->latency;
  GST_OBJECT_UNLOCK (self);
  item->buffer = buf;
  item->deadline
      = live ? g_get_monotonic_time () + latency / GST_USECOND : G_MAXINT64;
  g_mutex_lock (&self->lock);
  if (want_frame (self, buf)) {
    OcrJob *job = job_new (self, buf);

    qos = submit_job_locked (self, job, live, &submitted, &warn);
    if (submitted)
      item->job = job;
    else
      job_release (job);
  }
  while (!live && !self->flushing && self->srcresult == GST_FLOW_OK
         && g_queue_get_length (&self->items) >= MAX_HELD_FRAMES)
    g_cond_wait (&self->cond, &self->lock);
  ret = self->flushing ? GST_FLOW_FLUSHING : self->srcresult;
  if (ret == GST_FLOW_OK) {
    g_queue_push_tail (&self->items, item);
    item = NULL;
    g_cond_broadcast (&self->cond);
  }
  g_mutex_unlock (&self->lock);
  if (item)
    item_free (item);
  if (qos)
    gst_element_post_message (GST_ELEMENT (self), qos);
  if (warn)
    GST_ELEMENT_WARNING (self, CORE, CLOCK,
        ("Text recognition falls behind the live stream."),
        ("a sample arrived while the engine was busy with the previous "
         "one: it is not analysed; see the stats property"));
  return ret;
}

/* Frames leave from the source pad task, never from here. */
static GstFlowReturn
gst_omni_ocr_generate_output (GstBaseTransform *trans, GstBuffer **outbuf)
{
  *outbuf = NULL;
  return GST_FLOW_OK;
}

/* ---- properties -------------------------------------------------------- */

static gboolean
language_is_valid (const gchar *language)
{
  const gchar *p;

  if (!language || !*language)
    return FALSE;
  for (p = language; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '+' && *p != '-')
      return FALSE;
  return TRUE;
}

static GstStructure *
get_stats (GstOmniOcr *self)
{
  GstStructure *s;
  GstClockTime latency;

  GST_OBJECT_LOCK (self);
  latency = self->latency;
  GST_OBJECT_UNLOCK (self);
  g_mutex_lock (&self->lock);
  s = gst_structure_new ("omniocr-stats", "analysed", G_TYPE_UINT64,
      self->n_analysed, "skipped", G_TYPE_UINT64, self->n_skipped, "late",
      G_TYPE_UINT64, self->n_late, "mean-ms", G_TYPE_DOUBLE,
      self->n_analysed ? self->total_ms / self->n_analysed : 0.0, "max-ms",
      G_TYPE_DOUBLE, self->max_ms, "last-ms", G_TYPE_DOUBLE, self->last_ms,
      "latency", G_TYPE_UINT64, latency, "held", G_TYPE_UINT,
      g_queue_get_length (&self->items), NULL);
  g_mutex_unlock (&self->lock);
  return s;
}

static void
gst_omni_ocr_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstOmniOcr *self = GST_OMNI_OCR (object);
  gboolean latency_changed = FALSE;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_LANGUAGE:
    if (language_is_valid (g_value_get_string (value))) {
      g_free (self->language);
      self->language = g_value_dup_string (value);
    } else {
      GST_WARNING_OBJECT (self,
          "refused language \"%s\": expected codes "
          "such as eng or eng+deu",
          g_value_get_string (value));
    }
    break;
  case PROP_ENGINE:
    g_free (self->engine_name);
    self->engine_name = g_value_dup_string (value);
    break;
  case PROP_INFERENCE_INTERVAL:
    self->interval = g_value_get_uint (value);
    break;
  case PROP_LATENCY:
    latency_changed = self->latency != g_value_get_uint64 (value);
    self->latency = g_value_get_uint64 (value);
    break;
  case PROP_TEXT_HEIGHT:
    self->text_height = g_value_get_uint (value);
    break;
  case PROP_POLARITY:
    self->polarity = g_value_get_enum (value);
    break;
  case PROP_MIN_CONFIDENCE:
    self->min_confidence = g_value_get_double (value);
    break;
  case PROP_MAX_LINES:
    self->max_lines = g_value_get_uint (value);
    break;
  case PROP_POST_MESSAGES:
    self->post_messages = g_value_get_boolean (value);
    break;
  case PROP_DETECTOR:
    self->detector = g_value_get_enum (value);
    break;
  case PROP_BACKEND:
    self->backend = g_value_get_enum (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
  if (latency_changed)
    gst_element_post_message (
        GST_ELEMENT (self), gst_message_new_latency (GST_OBJECT (self)));
}

static void
gst_omni_ocr_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstOmniOcr *self = GST_OMNI_OCR (object);

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, get_stats (self));
    return;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_LANGUAGE:
    g_value_set_string (value, self->language);
    break;
  case PROP_ENGINE:
    g_value_set_string (value, self->engine_name);
    break;
  case PROP_INFERENCE_INTERVAL:
    g_value_set_uint (value, self->interval);
    break;
  case PROP_LATENCY:
    g_value_set_uint64 (value, self->latency);
    break;
  case PROP_TEXT_HEIGHT:
    g_value_set_uint (value, self->text_height);
    break;
  case PROP_POLARITY:
    g_value_set_enum (value, self->polarity);
    break;
  case PROP_MIN_CONFIDENCE:
    g_value_set_double (value, self->min_confidence);
    break;
  case PROP_MAX_LINES:
    g_value_set_uint (value, self->max_lines);
    break;
  case PROP_POST_MESSAGES:
    g_value_set_boolean (value, self->post_messages);
    break;
  case PROP_DETECTOR:
    g_value_set_enum (value, self->detector);
    break;
  case PROP_BACKEND:
    g_value_set_enum (value, self->backend);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_ocr_finalize (GObject *object)
{
  GstOmniOcr *self = GST_OMNI_OCR (object);

  g_free (self->language);
  g_free (self->engine_name);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* ---- class ------------------------------------------------------------- */

#define PARAM_FLAGS (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS)

static void
install_engine_properties (GObjectClass *gobject_class)
{
  /**
   * GstOmniOcr:language:
   *
   * The engine's language code(s): Tesseract's, "eng", "deu", "eng+fra";
   * each needs its Debian package (tesseract-ocr-eng, ...), else the
   * element fails to start with an error naming the package.
   */
  g_object_class_install_property (gobject_class, PROP_LANGUAGE,
      g_param_spec_string ("language", "Language",
          "Language code(s), e.g. eng or eng+deu (Tesseract's names)",
          DEFAULT_LANGUAGE, PARAM_FLAGS | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniOcr:engine:
   *
   * The OCR engine; "tesseract" is the one built in.
   */
  g_object_class_install_property (gobject_class, PROP_ENGINE,
      g_param_spec_string ("engine", "Engine", "OCR engine (tesseract)",
          DEFAULT_ENGINE, PARAM_FLAGS | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniOcr:detector:
   *
   * How text lines are found: "tesseract" (Tesseract's page layout
   * analysis, the default), or "paddleocr": PaddleOCR v4's text detector
   * (`paddleocr-det`, tools/omni-fetch-models) finds the text regions
   * (Differentiable Binarization, its map decoded in C by
   * omni_ocr_db_decode()) and Tesseract reads each region as one line.
   * A missing model makes the element fail to start (RESOURCE/NOT_FOUND).
   */
  g_object_class_install_property (gobject_class, PROP_DETECTOR,
      g_param_spec_enum ("detector", "Detector",
          "How text lines are found (tesseract: its layout analysis; "
          "paddleocr: PaddleOCR's text detector, each region read by the "
          "engine as one line)",
          gst_omni_ocr_detector_get_type (), DEFAULT_DETECTOR,
          PARAM_FLAGS | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniOcr:backend:
   *
   * Where the text detector (detector=paddleocr) runs: Vulkan compute
   * (auto: the CPU reference when there is no usable Vulkan device), or
   * the plain-C reference ops on the CPU.
   */
  g_object_class_install_property (gobject_class, PROP_BACKEND,
      g_param_spec_enum ("backend", "Backend",
          "Where the text detector runs (detector=paddleocr)",
          gst_omni_inference_backend_get_type (), DEFAULT_BACKEND,
          PARAM_FLAGS | GST_PARAM_MUTABLE_READY));
  /**
   * GstOmniOcr:text-height:
   *
   * Lines lower than this many pixels, read with a confidence under 0.9,
   * are read again enlarged to this height (at most 4x).
   */
  g_object_class_install_property (gobject_class, PROP_TEXT_HEIGHT,
      g_param_spec_uint ("text-height", "Text height",
          "Height in pixels small text lines are read again at", 8, 256,
          DEFAULT_TEXT_HEIGHT, PARAM_FLAGS | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniOcr:polarity:
   *
   * Which text to look for: both (two passes, on the frame and on its
   * inverse), or only dark on light, or only light on dark (captions):
   * one pass, half the time.
   */
  g_object_class_install_property (gobject_class, PROP_POLARITY,
      g_param_spec_enum ("polarity", "Polarity",
          "Text lighter or darker "
          "than its background",
          gst_omni_ocr_polarity_get_type (), DEFAULT_POLARITY,
          PARAM_FLAGS | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniOcr:min-confidence:
   *
   * Lines read with a lower confidence (0..1) are dropped.
   */
  g_object_class_install_property (gobject_class, PROP_MIN_CONFIDENCE,
      g_param_spec_double ("min-confidence", "Minimum confidence",
          "Lines below this confidence (0..1) are dropped", 0.0, 1.0,
          DEFAULT_MIN_CONFIDENCE, PARAM_FLAGS | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniOcr:max-lines:
   *
   * At most this many lines are kept per frame, most confident first.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_LINES,
      g_param_spec_uint ("max-lines", "Maximum lines",
          "Most lines kept per frame", 1, 1024, DEFAULT_MAX_LINES,
          PARAM_FLAGS | GST_PARAM_MUTABLE_PLAYING));
}

static void
install_stream_properties (GObjectClass *gobject_class)
{
  /**
   * GstOmniOcr:inference-interval:
   *
   * When no frame carries an #OmniSampleMeta: analyse every N-th frame
   * (1 = every frame), starting with the first.
   */
  g_object_class_install_property (gobject_class, PROP_INFERENCE_INTERVAL,
      g_param_spec_uint ("inference-interval", "Inference interval",
          "Without OmniSampleMeta upstream, analyse every N-th frame", 1,
          G_MAXINT, DEFAULT_INFERENCE_INTERVAL,
          PARAM_FLAGS | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniOcr:latency:
   *
   * Live pipelines: the longest a frame is held waiting for its result, in
   * nanoseconds; added to the LATENCY query.
   */
  g_object_class_install_property (gobject_class, PROP_LATENCY,
      g_param_spec_uint64 ("latency", "Latency",
          "Live: longest a frame waits for its OCR result (ns), reported in "
          "the LATENCY query",
          0, G_MAXUINT64 / 2, DEFAULT_LATENCY,
          PARAM_FLAGS | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniOcr:post-messages:
   *
   * Post an `omniocr` element message per analysed frame.
   */
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post an omniocr element message per analysed frame",
          DEFAULT_POST_MESSAGES, PARAM_FLAGS | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstOmniOcr:stats:
   *
   * "analysed" (guint64, frames read since start), "skipped" (guint64,
   * live samples not analysed because the engine was busy), "late"
   * (guint64, results that came after their frame had been forwarded),
   * "mean-ms", "max-ms", "last-ms" (gdouble, time per analysis), "latency"
   * (guint64, ns, what the LATENCY query adds), "held" (guint, frames held
   * now).
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics", "OCR statistics",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
gst_omni_ocr_class_init (GstOmniOcrClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstVideoFilterClass *filter_class = GST_VIDEO_FILTER_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (
      gst_omni_ocr_debug, "omniocr", 0, "gst-omni text recognition");

  gobject_class->set_property = gst_omni_ocr_set_property;
  gobject_class->get_property = gst_omni_ocr_get_property;
  gobject_class->finalize = gst_omni_ocr_finalize;
  install_engine_properties (gobject_class);
  install_stream_properties (gobject_class);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Text recognition",
      "Filter/Analyzer/Video",
      "Reads the text lines of sampled frames (Tesseract): ROIs of type "
      "text and omniocr messages",
      "gst-omni <https://github.com/gst-omni/gst-omni>");

  trans_class->start = GST_DEBUG_FUNCPTR (gst_omni_ocr_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_omni_ocr_stop);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_omni_ocr_sink_event);
  trans_class->query = GST_DEBUG_FUNCPTR (gst_omni_ocr_query);
  trans_class->submit_input_buffer
      = GST_DEBUG_FUNCPTR (gst_omni_ocr_submit_input_buffer);
  trans_class->generate_output
      = GST_DEBUG_FUNCPTR (gst_omni_ocr_generate_output);
  filter_class->set_info = GST_DEBUG_FUNCPTR (gst_omni_ocr_set_info);

  gst_type_mark_as_plugin_api (gst_omni_ocr_polarity_get_type (), 0);
}

static void
gst_omni_ocr_init (GstOmniOcr *self)
{
  GstPad *srcpad = GST_BASE_TRANSFORM_SRC_PAD (self);

  self->language = g_strdup (DEFAULT_LANGUAGE);
  self->engine_name = g_strdup (DEFAULT_ENGINE);
  self->interval = DEFAULT_INFERENCE_INTERVAL;
  self->latency = DEFAULT_LATENCY;
  self->text_height = DEFAULT_TEXT_HEIGHT;
  self->polarity = DEFAULT_POLARITY;
  self->min_confidence = DEFAULT_MIN_CONFIDENCE;
  self->max_lines = DEFAULT_MAX_LINES;
  self->post_messages = DEFAULT_POST_MESSAGES;
  self->detector = DEFAULT_DETECTOR;
  self->backend = DEFAULT_BACKEND;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->items);
  self->srcresult = GST_FLOW_FLUSHING;
  self->flushing = TRUE;
  gst_pad_set_activatemode_function (
      srcpad, GST_DEBUG_FUNCPTR (gst_omni_ocr_src_activate_mode));
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
  /* a pass-through analyser never drops frames when late */
  gst_base_transform_set_qos_enabled (GST_BASE_TRANSFORM (self), FALSE);
}
