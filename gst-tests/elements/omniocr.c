/* gst-omni: omniocr tests
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Ground truth: the strings textoverlay renders over Debian's wallpapers
 * (gst-tests/data/ocr-corpus.h), so the expected text and its place are
 * exact.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/app/gstappsink.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <omni/meta/omnisamplemeta.h>
#include <string.h>

#include "ocr-accuracy.h"
#include "ocr-corpus.h"

/* Long enough that no result is late on a loaded test machine. */
#define NO_DEADLINE "600000000000"

/* Renders @c as one frame of @format; caps in *caps. */
static GstBuffer *
render (const OcrCase *c, const gchar *format, GstCaps **caps)
{
  gchar *desc = ocr_corpus_pipeline (c, format, "appsink name=out sync=false");
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch (desc, &err);
  GstElement *sink;
  GstSample *sample;
  GstBuffer *buf;

  fail_unless (pipe != NULL, "%s: %s", desc, err ? err->message : "");
  sink = gst_bin_get_by_name (GST_BIN (pipe), "out");
  fail_unless_equals_int (
      gst_element_set_state (pipe, GST_STATE_PLAYING), GST_STATE_CHANGE_ASYNC);
  sample = gst_app_sink_pull_sample (GST_APP_SINK (sink));
  fail_unless (sample != NULL, "no frame from %s", desc);
  buf = gst_buffer_copy_deep (gst_sample_get_buffer (sample));
  *caps = gst_caps_ref (gst_sample_get_caps (sample));
  GST_BUFFER_PTS (buf) = 0;
  GST_BUFFER_DURATION (buf) = 40 * GST_MSECOND;
  gst_sample_unref (sample);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  g_free (desc);
  return buf;
}

/* An omniocr harness with the given properties (name, value-string pairs,
 * NULL-terminated) and a bus of its own in *bus. */
static GstHarness *
new_ocr (GstBus **bus, const gchar *first, ...)
{
  GstElement *e = gst_element_factory_make ("omniocr", NULL);
  const gchar *name = first;
  GstHarness *h;
  va_list args;

  fail_unless (e != NULL);
  va_start (args, first);
  for (; name; name = va_arg (args, const gchar *))
    gst_util_set_object_arg (G_OBJECT (e), name, va_arg (args, const gchar *));
  va_end (args);
  *bus = gst_bus_new ();
  gst_element_set_bus (e, *bus);
  h = gst_harness_new_with_element (e, "sink", "src");
  gst_object_unref (e);
  return h;
}

static GstStructure *
pop_result (GstBus *bus)
{
  GstMessage *m;
  GstStructure *s;

  while ((m = gst_bus_timed_pop_filtered (
              bus, 300 * GST_SECOND, GST_MESSAGE_ELEMENT))) {
    if (gst_message_has_name (m, "omniocr")) {
      s = gst_structure_copy (gst_message_get_structure (m));
      gst_message_unref (m);
      return s;
    }
    gst_message_unref (m);
  }
  fail ("no omniocr message");
  return NULL;
}

static void
teardown (GstHarness *h, GstBus *bus)
{
  gst_harness_teardown (h);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
}

/* The text ROIs of @buf joined in reading order; *n gets their number. */
static gchar *
roi_text (GstBuffer *buf, guint *n)
{
  GString *s = g_string_new (NULL);
  GstVideoRegionOfInterestMeta *roi;
  gpointer state = NULL;

  *n = 0;
  while (
      (roi = (GstVideoRegionOfInterestMeta *) gst_buffer_iterate_meta_filtered (
           buf, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstStructure *p
        = gst_video_region_of_interest_meta_get_param (roi, "omniocr");

    fail_unless_equals_int (roi->roi_type, g_quark_from_string ("text"));
    fail_unless (p != NULL);
    g_string_append_printf (
        s, "%s%s", (*n)++ ? " " : "", gst_structure_get_string (p, "text"));
  }
  return g_string_free (s, FALSE);
}

/* The ROI whose text is closest to @text. */
static GstVideoRegionOfInterestMeta *
best_roi (GstBuffer *buf, const gchar *text, gdouble *acc)
{
  GstVideoRegionOfInterestMeta *roi, *best = NULL;
  gpointer state = NULL;

  *acc = -1;
  while (
      (roi = (GstVideoRegionOfInterestMeta *) gst_buffer_iterate_meta_filtered (
           buf, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstStructure *p
        = gst_video_region_of_interest_meta_get_param (roi, "omniocr");
    gdouble a = ocr_accuracy_chars (text, gst_structure_get_string (p, "text"));

    if (a > *acc) {
      *acc = a;
      best = roi;
    }
  }
  return best;
}

/* Pushes @c rendered as @format through a fresh omniocr finding lines with
 * @detector and checks the text and where it is. */
static void
check_case_with (const OcrCase *c, const gchar *format, gdouble min_acc,
    const gchar *detector)
{
  GstCaps *caps;
  GstBuffer *in = render (c, format, &caps), *out;
  GstBus *bus;
  GstHarness *h = new_ocr (&bus, "latency", NO_DEADLINE, "detector", detector,
      "backend", "cpu", NULL);
  GstVideoRegionOfInterestMeta *roi;
  GstStructure *msg;
  gdouble acc;
  gchar *all;
  guint n;

  gst_harness_set_src_caps (h, caps);
  fail_unless_equals_int (gst_harness_push (h, in), GST_FLOW_OK);
  out = gst_harness_pull (h);
  msg = pop_result (bus);
  all = roi_text (out, &n);
  /* accuracy of everything read (garbage counts), in reading order */
  acc = ocr_accuracy_chars (c->text, all);
  GST_INFO ("%s %s: \"%s\" (%.3f)", c->photo, format, all, acc);
  fail_unless (acc >= min_acc, "%s %s: read \"%s\" for \"%s\" (%.3f)", c->photo,
      format, all, c->text, acc);
  /* the line that reads most like the text (Tesseract may cut a line in
   * two at a wide space) */
  roi = best_roi (out, c->text, &acc);
  fail_unless (roi != NULL, "%s %s: no text ROI", c->photo, format);
  /* the box is where textoverlay put the line */
  if (g_str_equal (c->valign, "top"))
    fail_unless ((gint) (roi->y + roi->h) < c->height / 4, "y %u", roi->y);
  else if (g_str_equal (c->valign, "bottom"))
    fail_unless ((gint) roi->y > c->height / 2, "y %u", roi->y);
  fail_unless (roi->x < (guint) c->width / 2 + c->width / 10
                   && roi->x + roi->w > (guint) c->width / 2 - c->width / 10,
      "x %u w %u", roi->x, roi->w);
  fail_unless (roi->w > roi->h && roi->x + roi->w <= (guint) c->width);
  /* the message says the same */
  fail_unless_equals_int (
      g_value_get_uint (gst_structure_get_value (msg, "n-lines")), n);
  fail_unless (strstr (gst_structure_get_string (msg, "text"),
      gst_structure_get_string (
          gst_video_region_of_interest_meta_get_param (roi, "omniocr"),
          "text")));
  g_free (all);
  gst_structure_free (msg);
  gst_buffer_unref (out);
  teardown (h, bus);
}

static void
check_case (const OcrCase *c, const gchar *format, gdouble min_acc)
{
  check_case_with (c, format, min_acc, "tesseract");
}

GST_START_TEST (test_caption_white_on_dark)
{
  check_case (&ocr_corpus[0], "BGRx", 0.9);
}
GST_END_TEST;

GST_START_TEST (test_title_dark_on_light)
{
  check_case (&ocr_corpus[2], "BGRx", 0.95);
}
GST_END_TEST;

/* Several fonts, sizes, photos and both polarities. */
GST_START_TEST (test_fonts_and_sizes)
{
  static const guint cases[] = { 1, 3, 4, 5, 8, 9, 10 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    check_case (&ocr_corpus[cases[i]], "RGB", 0.75);
}
GST_END_TEST;

GST_START_TEST (test_formats)
{
  static const gchar *formats[] = { "RGB", "BGRx", "I420", "NV12", "GRAY8" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++)
    check_case (&ocr_corpus[3], formats[i], 0.9);
}
GST_END_TEST;

GST_START_TEST (test_odd_size)
{
  OcrCase c = ocr_corpus[2];

  c.width = 641;
  c.height = 363;
  check_case (&c, "I420", 0.85);
  c.width = 1001;
  c.height = 557;
  check_case (&c, "RGB", 0.85);
}
GST_END_TEST;

GST_START_TEST (test_8k)
{
  OcrCase c = ocr_corpus[0];

  c.width = 7680;
  c.height = 4320;
  check_case (&c, "I420", 0.9);
}
GST_END_TEST;

/* Photos alone: no ROI, a message with no line. */
GST_START_TEST (test_no_text)
{
  static const gchar *photos[] = { "Aqua.jpg", "Garden.jpg", "Storm.jpg" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (photos); i++) {
    OcrCase c
        = { photos[i], "", "Sans 16", OCR_STYLE_OUTLINE, "bottom", 1280, 720 };
    GstCaps *caps;
    GstBuffer *in = render (&c, "I420", &caps), *out;
    GstBus *bus;
    GstHarness *h = new_ocr (&bus, "latency", NO_DEADLINE, NULL);
    GstStructure *msg;
    gchar *text;
    guint n;

    gst_harness_set_src_caps (h, caps);
    fail_unless_equals_int (gst_harness_push (h, in), GST_FLOW_OK);
    out = gst_harness_pull (h);
    msg = pop_result (bus);
    text = roi_text (out, &n);
    fail_unless (n == 0, "%s: read \"%s\"", photos[i], text);
    fail_unless_equals_int (
        g_value_get_uint (gst_structure_get_value (msg, "n-lines")), 0);
    fail_unless_equals_string (gst_structure_get_string (msg, "text"), "");
    g_free (text);
    gst_structure_free (msg);
    gst_buffer_unref (out);
    teardown (h, bus);
  }
}
GST_END_TEST;

static GstBuffer *
grey_frame (gint w, gint h, guint8 value, guint index)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, GST_ROUND_UP_4 (w) * h, NULL);

  gst_buffer_memset (buf, 0, value, gst_buffer_get_size (buf));
  GST_BUFFER_PTS (buf) = index * 40 * GST_MSECOND;
  GST_BUFFER_DURATION (buf) = 40 * GST_MSECOND;
  return buf;
}

GST_START_TEST (test_1x1)
{
  static const gchar *caps[] = {
    "video/x-raw,format=GRAY8,width=1,height=1,framerate=25/1",
    "video/x-raw,format=I420,width=1,height=1,framerate=25/1",
    "video/x-raw,format=BGRx,width=1,height=1,framerate=25/1",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (caps); i++) {
    GstBus *bus;
    GstHarness *h = new_ocr (&bus, "latency", NO_DEADLINE, NULL);
    GstCaps *c = gst_caps_from_string (caps[i]);
    GstVideoInfo info;
    GstBuffer *out;
    GstStructure *msg;
    gint w;

    fail_unless (gst_video_info_from_caps (&info, c));
    gst_harness_set_src_caps (h, c);
    out = gst_buffer_new_allocate (NULL, info.size, NULL);
    gst_buffer_memset (out, 0, 200, info.size);
    fail_unless_equals_int (gst_harness_push (h, out), GST_FLOW_OK);
    out = gst_harness_pull (h);
    fail_if (
        gst_buffer_get_meta (out, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE));
    msg = pop_result (bus);
    fail_unless (gst_structure_get_int (msg, "width", &w) && w == 1);
    fail_unless_equals_int (
        g_value_get_uint (gst_structure_get_value (msg, "n-lines")), 0);
    gst_structure_free (msg);
    gst_buffer_unref (out);
    teardown (h, bus);
  }
}
GST_END_TEST;

/* Counts the omniocr messages on @bus: each is posted before its frame
 * leaves, so all are there once the frames have been pulled. */
static guint
count_results (GstBus *bus, GstClockTime *pts)
{
  GstMessage *m;
  guint n = 0;

  while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    if (gst_message_has_name (m, "omniocr"))
      gst_structure_get_uint64 (
          gst_message_get_structure (m), "timestamp", &pts[n++]);
    gst_message_unref (m);
  }
  return n;
}

GST_START_TEST (test_inference_interval)
{
  GstBus *bus;
  GstHarness *h
      = new_ocr (&bus, "latency", NO_DEADLINE, "inference-interval", "3", NULL);
  GstClockTime pts[8];
  guint i;

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=GRAY8,width=64,height=48,framerate=25/1");
  for (i = 0; i < 6; i++) {
    fail_unless_equals_int (
        gst_harness_push (h, grey_frame (64, 48, 100, i)), GST_FLOW_OK);
    gst_buffer_unref (gst_harness_pull (h));
  }
  fail_unless_equals_int (count_results (bus, pts), 2);
  fail_unless_equals_uint64 (pts[0], 0);
  fail_unless_equals_uint64 (pts[1], 3 * 40 * GST_MSECOND);
  teardown (h, bus);
}
GST_END_TEST;

GST_START_TEST (test_sample_meta)
{
  GstBus *bus;
  GstHarness *h = new_ocr (&bus, "latency", NO_DEADLINE, NULL);
  GstClockTime pts[8];
  guint i;

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=GRAY8,width=64,height=48,framerate=25/1");
  for (i = 0; i < 5; i++) {
    GstBuffer *b = grey_frame (64, 48, 100, i);

    if (i == 1 || i == 4)
      omni_buffer_add_sample_meta (b, OMNI_SAMPLE_REASON_INTERVAL, 0, i);
    fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_OK);
    gst_buffer_unref (gst_harness_pull (h));
  }
  /* frame 0 by the interval; once a sample meta was seen, only marked */
  fail_unless_equals_int (count_results (bus, pts), 3);
  fail_unless_equals_uint64 (pts[0], 0);
  fail_unless_equals_uint64 (pts[1], 40 * GST_MSECOND);
  fail_unless_equals_uint64 (pts[2], 4 * 40 * GST_MSECOND);
  teardown (h, bus);
}
GST_END_TEST;

GST_START_TEST (test_latency_query)
{
  GstBus *bus;
  GstHarness *h = new_ocr (&bus, "latency", "250000000", NULL);

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=GRAY8,width=64,height=48,framerate=25/1");
  gst_harness_set_upstream_latency (h, 40 * GST_MSECOND);
  fail_unless_equals_uint64 (gst_harness_query_latency (h), 290 * GST_MSECOND);
  teardown (h, bus);
}
GST_END_TEST;

/* A flush while a frame waits for its analysis drops it; then a new
 * segment (a seek) gives running times from its start. */
GST_START_TEST (test_flush_and_seek)
{
  GstCaps *caps;
  GstBuffer *in = render (&ocr_corpus[2], "I420", &caps), *out;
  GstBus *bus;
  GstHarness *h = new_ocr (&bus, "latency", NO_DEADLINE, NULL);
  GstSegment seg;
  GstStructure *msg, *stats;
  GstClockTime rt;
  guint n;
  gchar *text;

  gst_harness_set_src_caps (h, caps);
  fail_unless_equals_int (
      gst_harness_push (h, gst_buffer_ref (in)), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);

  gst_segment_init (&seg, GST_FORMAT_TIME);
  seg.start = seg.time = 10 * GST_SECOND;
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  in = gst_buffer_make_writable (in);
  GST_BUFFER_PTS (in) = 12 * GST_SECOND;
  fail_unless_equals_int (gst_harness_push (h, in), GST_FLOW_OK);
  out = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 12 * GST_SECOND);
  text = roi_text (out, &n);
  fail_unless (ocr_accuracy_chars (ocr_corpus[2].text, text) > 0.9, "%s", text);
  /* the flushed frame's result, if the engine finished it, was not posted */
  msg = pop_result (bus);
  fail_unless (gst_structure_get_uint64 (msg, "running-time", &rt));
  fail_unless_equals_uint64 (rt, 2 * GST_SECOND);
  g_object_get (h->element, "stats", &stats, NULL);
  fail_unless (gst_structure_has_field (stats, "analysed"));
  g_free (text);
  gst_structure_free (stats);
  gst_structure_free (msg);
  gst_buffer_unref (out);
  teardown (h, bus);
}
GST_END_TEST;

/* Not live: every frame is analysed, EOS waits for the analyses and comes
 * after the frames. */
GST_START_TEST (test_eos_with_work_pending)
{
  GstCaps *caps;
  GstBuffer *in = render (&ocr_corpus[8], "NV12", &caps);
  GstBus *bus;
  GstHarness *h = new_ocr (&bus, NULL);
  GstEvent *ev;
  guint i, n;

  gst_harness_set_live (h, FALSE);
  gst_harness_set_src_caps (h, caps);
  for (i = 0; i < 3; i++) {
    GstBuffer *b = gst_buffer_copy (in);

    GST_BUFFER_PTS (b) = i * 40 * GST_MSECOND;
    fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_OK);
  }
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  for (i = 0; i < 3; i++) {
    GstBuffer *out = gst_harness_pull (h);
    gchar *text = roi_text (out, &n);

    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), i * 40 * GST_MSECOND);
    fail_unless (ocr_accuracy_chars (ocr_corpus[8].text, text) > 0.9,
        "frame %u: \"%s\"", i, text);
    g_free (text);
    gst_buffer_unref (out);
  }
  /* stream-start, caps, segment, then EOS */
  while (
      (ev = gst_harness_pull_event (h)) && GST_EVENT_TYPE (ev) != GST_EVENT_EOS)
    gst_event_unref (ev);
  fail_unless (ev != NULL);
  gst_event_unref (ev);
  gst_buffer_unref (in);
  teardown (h, bus);
}
GST_END_TEST;

static guint64
stat_u64 (GstElement *e, const gchar *field)
{
  GstStructure *s;
  guint64 v = 0;

  g_object_get (e, "stats", &s, NULL);
  fail_unless (gst_structure_get_uint64 (s, field, &v));
  gst_structure_free (s);
  return v;
}

/* Live, samples faster than the engine: later samples are skipped (QoS
 * messages, one warning), frames are all forwarded, in order. */
GST_START_TEST (test_live_falls_behind)
{
  GstCaps *caps;
  GstBuffer *in = render (&ocr_corpus[2], "I420", &caps);
  GstBus *bus;
  GstHarness *h = new_ocr (&bus, "latency", NO_DEADLINE, NULL);
  GstMessage *m;
  guint i, n, qos = 0, warnings = 0;
  gchar *text;

  gst_harness_set_src_caps (h, caps);
  for (i = 0; i < 3; i++) {
    GstBuffer *b = gst_buffer_copy (in);

    GST_BUFFER_PTS (b) = i * 33 * GST_MSECOND;
    fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_OK);
  }
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  for (i = 0; i < 3; i++) {
    GstBuffer *out = gst_harness_pull (h);

    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), i * 33 * GST_MSECOND);
    text = roi_text (out, &n);
    if (i == 0)
      fail_unless (ocr_accuracy_chars (ocr_corpus[2].text, text) > 0.9);
    else
      fail_unless_equals_int (n, 0);
    g_free (text);
    gst_buffer_unref (out);
  }
  while ((m = gst_bus_pop (bus))) {
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_QOS) {
      GstFormat fmt;
      guint64 processed, dropped;

      gst_message_parse_qos_stats (m, &fmt, &processed, &dropped);
      fail_unless_equals_int (fmt, GST_FORMAT_BUFFERS);
      fail_unless_equals_uint64 (dropped, ++qos);
    }
    warnings += GST_MESSAGE_TYPE (m) == GST_MESSAGE_WARNING;
    gst_message_unref (m);
  }
  fail_unless_equals_int (qos, 2);
  fail_unless_equals_int (warnings, 1);
  fail_unless_equals_uint64 (stat_u64 (h->element, "skipped"), 2);
  fail_unless_equals_uint64 (stat_u64 (h->element, "analysed"), 1);
  gst_buffer_unref (in);
  teardown (h, bus);
}
GST_END_TEST;

/* Live, a latency shorter than the engine: the frame leaves on time
 * without ROIs and the message follows, marked late. */
GST_START_TEST (test_live_late_result)
{
  GstCaps *caps;
  GstBuffer *in = render (&ocr_corpus[2], "I420", &caps), *out;
  GstBus *bus;
  GstHarness *h = new_ocr (&bus, "latency", "1000000", NULL);
  GstStructure *msg;
  gboolean late = FALSE;
  gchar *text;
  guint n;

  gst_harness_set_src_caps (h, caps);
  fail_unless_equals_int (gst_harness_push (h, in), GST_FLOW_OK);
  out = gst_harness_pull (h);
  text = roi_text (out, &n);
  fail_unless_equals_int (n, 0);
  msg = pop_result (bus);
  fail_unless (gst_structure_get_boolean (msg, "late", &late) && late);
  fail_unless (ocr_accuracy_chars (
                   ocr_corpus[2].text, gst_structure_get_string (msg, "text"))
               > 0.9);
  fail_unless_equals_uint64 (stat_u64 (h->element, "late"), 1);
  g_free (text);
  gst_structure_free (msg);
  gst_buffer_unref (out);
  teardown (h, bus);
}
GST_END_TEST;

/* A language whose pack is not installed: start fails with an error that
 * names the Debian package. */
GST_START_TEST (test_missing_language)
{
  static const gchar *candidates[]
      = { "deu", "fra", "spa", "ita", "nld", "pol", "fin", "tur" };
  const gchar *lang = NULL;
  GstElement *e = gst_element_factory_make ("omniocr", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *m;
  GError *err = NULL;
  gchar *dbg = NULL, *pkg, *path;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (candidates) && !lang; i++) {
    path = g_strdup_printf (
        "/usr/share/tesseract-ocr/5/tessdata/%s.traineddata", candidates[i]);
    if (!g_file_test (path, G_FILE_TEST_EXISTS))
      lang = candidates[i];
    g_free (path);
  }
  /* all installed (tesseract-ocr-all): a code no package has */
  if (!lang)
    lang = "qaa";
  g_object_set (e, "language", lang, NULL);
  gst_element_set_bus (e, bus);
  fail_unless_equals_int (
      gst_element_set_state (e, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (m != NULL);
  gst_message_parse_error (m, &err, &dbg);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND));
  pkg = g_strdup_printf ("apt-get install tesseract-ocr-%s", lang);
  fail_unless (strstr (dbg, pkg) != NULL, "%s", dbg);
  g_free (pkg);
  g_free (dbg);
  g_error_free (err);
  gst_message_unref (m);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  gst_object_unref (e);
}
GST_END_TEST;

GST_START_TEST (test_refused_language)
{
  GstElement *e = gst_element_factory_make ("omniocr", NULL);
  gchar *lang;

  g_object_set (e, "language", "../../etc/passwd", NULL);
  g_object_get (e, "language", &lang, NULL);
  fail_unless_equals_string (lang, "eng");
  g_free (lang);
  g_object_set (e, "language", "eng+osd", NULL);
  g_object_get (e, "language", &lang, NULL);
  fail_unless_equals_string (lang, "eng+osd");
  g_free (lang);
  gst_object_unref (e);
}
GST_END_TEST;

/* detector=paddleocr (PaddleOCR v4 det on the CPU backend, Tesseract
 * reading each region): text Tesseract's layout analysis does not find
 * (white outlined text straight on a photo, a small monospace caption),
 * a title, and a caption in I420 */
GST_START_TEST (test_paddleocr_detector)
{
  check_case_with (&ocr_corpus[11], "BGRx", 0.9, "paddleocr");
  check_case_with (&ocr_corpus[6], "RGB", 0.6, "paddleocr");
  check_case_with (&ocr_corpus[3], "BGRx", 0.9, "paddleocr");
  check_case_with (&ocr_corpus[0], "I420", 0.9, "paddleocr");
}
GST_END_TEST;

/* detector=paddleocr on frames without text and on 1x1 frames: no ROI, a
 * message with no line */
GST_START_TEST (test_paddleocr_no_text)
{
  static const gchar *caps[] = {
    "video/x-raw,format=GRAY8,width=320,height=240,framerate=25/1",
    "video/x-raw,format=GRAY8,width=1,height=1,framerate=25/1",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (caps); i++) {
    GstBus *bus;
    GstHarness *h = new_ocr (&bus, "latency", NO_DEADLINE, "detector",
        "paddleocr", "backend", "cpu", NULL);
    GstCaps *c = gst_caps_from_string (caps[i]);
    GstVideoInfo info;
    GstBuffer *out;
    GstStructure *msg;

    fail_unless (gst_video_info_from_caps (&info, c));
    gst_harness_set_src_caps (h, c);
    fail_unless_equals_int (
        gst_harness_push (h, grey_frame (info.width, info.height, 180, 0)),
        GST_FLOW_OK);
    out = gst_harness_pull (h);
    fail_if (
        gst_buffer_get_meta (out, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE));
    msg = pop_result (bus);
    fail_unless_equals_int (
        g_value_get_uint (gst_structure_get_value (msg, "n-lines")), 0);
    gst_structure_free (msg);
    gst_buffer_unref (out);
    teardown (h, bus);
  }
}
GST_END_TEST;

GST_START_TEST (test_detector_property)
{
  GstElement *e = gst_element_factory_make ("omniocr", NULL);
  gint v;

  g_object_get (e, "detector", &v, NULL);
  fail_unless_equals_int (v, 0); /* tesseract: the default is unchanged */
  gst_util_set_object_arg (G_OBJECT (e), "detector", "paddleocr");
  g_object_get (e, "detector", &v, NULL);
  fail_unless_equals_int (v, 1);
  gst_object_unref (e);
}
GST_END_TEST;

static Suite *
omniocr_suite (void)
{
  Suite *s = suite_create ("omniocr");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_caption_white_on_dark);
  tcase_add_test (tc, test_title_dark_on_light);
  tcase_add_test (tc, test_fonts_and_sizes);
  tcase_add_test (tc, test_formats);
  tcase_add_test (tc, test_odd_size);
  tcase_add_test (tc, test_8k);
  tcase_add_test (tc, test_no_text);
  tcase_add_test (tc, test_1x1);
  tcase_add_test (tc, test_inference_interval);
  tcase_add_test (tc, test_sample_meta);
  tcase_add_test (tc, test_latency_query);
  tcase_add_test (tc, test_flush_and_seek);
  tcase_add_test (tc, test_eos_with_work_pending);
  tcase_add_test (tc, test_live_falls_behind);
  tcase_add_test (tc, test_live_late_result);
  tcase_add_test (tc, test_missing_language);
  tcase_add_test (tc, test_refused_language);
  tcase_add_test (tc, test_detector_property);
  tcase_add_test (tc, test_paddleocr_detector);
  tcase_add_test (tc, test_paddleocr_no_text);
  return s;
}

GST_CHECK_MAIN (omniocr);
