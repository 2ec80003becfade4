/* gst-omni: omnidetect with GstHarness on real photographs
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Needs the models of tools/omni-fetch-models in $OMNI_MODEL_PATH. The
 * ground truth is by inspection of scikit-image's sample photos (astronaut:
 * one person, her face; coffee: a cup; motorcycle_left: a motorcycle;
 * chelsea: a cat, which this CenterNet calls "dog").
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <omni/meta/omniresultsmeta.h>
#include <gst/video/video.h>
#include <glib/gstdio.h>
#include <string.h>

#define SKIMAGE "/usr/lib/python3/dist-packages/skimage/data/"

/* a photo decoded and converted to @caps_str (format, size) */
static GstSample *
photo (const gchar *path, const gchar *caps_str)
{
  gchar *desc
      = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! "
                         "videoconvert ! videoscale ! %s ! appsink name=sink",
          path, caps_str);
  GstElement *p = gst_parse_launch (desc, NULL), *sink;
  GstSample *sample = NULL;

  fail_unless (p != NULL);
  sink = gst_bin_get_by_name (GST_BIN (p), "sink");
  gst_element_set_state (p, GST_STATE_PAUSED);
  g_signal_emit_by_name (sink, "pull-preroll", &sample);
  fail_unless (sample != NULL, "cannot decode %s", path);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (p);
  g_free (desc);
  return sample;
}

typedef struct {
  GstHarness *h;
  GstBus *bus;
} Detect;

static Detect
detect_new (const gchar *props)
{
  gchar *desc = g_strdup_printf ("omnidetect %s", props);
  GError *err = NULL;
  GstElement *e = gst_parse_launch (desc, &err);
  Detect d;

  fail_unless (e != NULL, "%s", err ? err->message : "");
  d.h = gst_harness_new_with_element (e, "sink", "src");
  d.bus = gst_bus_new ();
  gst_element_set_bus (d.h->element, d.bus);
  gst_object_unref (e);
  g_free (desc);
  return d;
}

static void
detect_free (Detect *d)
{
  gst_element_set_bus (d->h->element, NULL);
  gst_object_unref (d->bus);
  gst_harness_teardown (d->h);
}

/* pushes a buffer, returns it back with the omnidetect message's boxes */
static GstBuffer *
push (Detect *d, GstBuffer *buf, const GValue **boxes, GstMessage **msg)
{
  GstBuffer *out;

  fail_unless_equals_int (gst_harness_push (d->h, buf), GST_FLOW_OK);
  out = gst_harness_pull (d->h);
  *msg = gst_bus_pop_filtered (d->bus, GST_MESSAGE_ELEMENT);
  fail_unless (*msg != NULL);
  fail_unless (gst_message_has_name (*msg, "omnidetect"));
  *boxes = gst_structure_get_value (gst_message_get_structure (*msg), "boxes");
  fail_unless (GST_VALUE_HOLDS_LIST (*boxes));
  return out;
}

static GstBuffer *
sample_buffer (GstSample *s, GstClockTime pts)
{
  GstBuffer *b = gst_buffer_copy (gst_sample_get_buffer (s));

  GST_BUFFER_PTS (b) = pts;
  GST_BUFFER_DURATION (b) = GST_SECOND / 30;
  return b;
}

static const GstStructure *
box_at (const GValue *boxes, guint i)
{
  return gst_value_get_structure (gst_value_list_get_value (boxes, i));
}

static guint
count_label (const GValue *boxes, const gchar *label)
{
  guint i, n = 0;

  for (i = 0; i < gst_value_list_get_size (boxes); i++)
    n += !g_strcmp0 (
        gst_structure_get_string (box_at (boxes, i), "label"), label);
  return n;
}

/* Box entries of the results meta (the same boxes as the ROI metas). */
static guint
count_result_boxes (GstBuffer *buf)
{
  OmniResultsMeta *meta = omni_buffer_get_results_meta (buf);
  guint state = 0, n = 0;

  while (meta && omni_results_meta_iterate (meta, &state, OMNI_RESULT_TYPE_BOX))
    n++;
  return n;
}

static guint
count_rois (GstBuffer *buf, const gchar *label)
{
  GstVideoRegionOfInterestMeta *m;
  gpointer state = NULL;
  guint n = 0;

  while (
      (m = (GstVideoRegionOfInterestMeta *) gst_buffer_iterate_meta_filtered (
           buf, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE)))
    n += !label || m->roi_type == g_quark_from_string (label);
  return n;
}

/* one photo, one model: how many boxes of each label */
static void
check_photo (const gchar *file, const gchar *props, const gchar *const *labels,
    const guint *counts, guint n_total)
{
  gchar *path = g_strconcat (SKIMAGE, file, NULL);
  GstSample *s = photo (path, "video/x-raw,format=RGB");
  Detect d = detect_new (props);
  const GValue *boxes;
  GstMessage *msg;
  GstBuffer *out;
  guint i;

  gst_harness_set_src_caps (d.h, gst_caps_copy (gst_sample_get_caps (s)));
  out = push (&d, sample_buffer (s, 0), &boxes, &msg);
  GST_INFO ("%s %s: %" GST_PTR_FORMAT, file, props, msg);
  for (i = 0; labels[i]; i++)
    fail_unless_equals_int (count_label (boxes, labels[i]), counts[i]);
  fail_unless_equals_int (gst_value_list_get_size (boxes), n_total);
  fail_unless_equals_int (count_rois (out, NULL), n_total);
  fail_unless_equals_int (count_result_boxes (out), n_total);
  gst_message_unref (msg);
  gst_buffer_unref (out);
  detect_free (&d);
  gst_sample_unref (s);
  g_free (path);
}

GST_START_TEST (test_photos_centernet)
{
  const gchar *person[] = { "person", NULL },
              *cup[] = { "cup", "person", NULL };
  const gchar *moto[] = { "motorcycle", "person", NULL },
              *cat[] = { "dog", "cat", NULL };
  const guint one[] = { 1 }, one_zero[] = { 1, 0 };

  check_photo ("astronaut.png", "", person, one, 1);
  /* the cup and the table it stands on */
  check_photo ("coffee.png", "", cup, one_zero, 2);
  check_photo ("motorcycle_left.png", "", moto, one_zero, 1);
  /* the cat: one animal, which this model labels dog (cat scores 0.20) */
  check_photo ("chelsea.png", "", cat, one_zero, 1);
}

GST_END_TEST;

/* BlazeFace: the astronaut's face, with its keypoints inside the box;
 * no face in the motorcycle or coffee photos */
GST_START_TEST (test_photos_blazeface)
{
  const gchar *face[] = { "face", NULL };
  const guint one[] = { 1 }, zero[] = { 0 };
  GstSample *s = photo (SKIMAGE "astronaut.png", "video/x-raw,format=RGB");
  Detect d = detect_new ("model=blazeface threshold=0.5");
  GstVideoRegionOfInterestMeta *roi;
  const GstStructure *det, *kp;
  const GValue *boxes, *xs, *ys;
  GstMessage *msg;
  GstBuffer *out;
  gdouble conf;
  guint k;

  check_photo (
      "motorcycle_left.png", "model=blazeface threshold=0.5", face, zero, 0);
  check_photo ("coffee.png", "model=blazeface threshold=0.5", face, zero, 0);
  check_photo ("astronaut.png", "model=blazeface threshold=0.5", face, one, 1);

  gst_harness_set_src_caps (d.h, gst_caps_copy (gst_sample_get_caps (s)));
  out = push (&d, sample_buffer (s, 0), &boxes, &msg);
  roi = gst_buffer_get_video_region_of_interest_meta_id (out, 0);
  fail_unless (roi != NULL);
  fail_unless_equals_string (g_quark_to_string (roi->roi_type), "face");
  fail_unless_equals_int (roi->parent_id, -1);
  /* the face lies at about x 170..280, y 75..180 of the 512x512 photo */
  fail_unless (roi->x > 150 && roi->x < 200 && roi->y > 60 && roi->y < 100);
  fail_unless (roi->w > 80 && roi->w < 130 && roi->h > 80 && roi->h < 130);
  det = gst_video_region_of_interest_meta_get_param (roi, "detection");
  fail_unless (det != NULL);
  fail_unless (
      gst_structure_get_double (det, "confidence", &conf) && conf > 0.8);
  fail_unless_equals_string (
      gst_structure_get_string (det, "model"), "blazeface");
  kp = gst_video_region_of_interest_meta_get_param (roi, "keypoints");
  fail_unless (kp != NULL);
  xs = gst_structure_get_value (kp, "x");
  ys = gst_structure_get_value (kp, "y");
  fail_unless_equals_int (gst_value_array_get_size (xs), 6);
  for (k = 0; k < 6; k++) {
    gdouble x = g_value_get_double (gst_value_array_get_value (xs, k)) * 512;
    gdouble y = g_value_get_double (gst_value_array_get_value (ys, k)) * 512;

    /* the ears (4, 5) may lie on the box's edge */
    fail_unless (x >= roi->x - 10 && x <= roi->x + roi->w + 10,
        "keypoint %u x %f", k, x);
    fail_unless (y >= roi->y - 10 && y <= roi->y + roi->h + 10,
        "keypoint %u y %f", k, y);
  }
  gst_message_unref (msg);
  gst_buffer_unref (out);
  detect_free (&d);
  gst_sample_unref (s);
}

GST_END_TEST;

/* the detection parameters and the message fields, conventions.md */
GST_START_TEST (test_meta_and_message)
{
  GstSample *s = photo (
      SKIMAGE "astronaut.png", "video/x-raw,format=I420,width=640,height=480");
  Detect d = detect_new ("");
  GstVideoRegionOfInterestMeta *roi;
  const GstStructure *det, *b, *m;
  const GValue *boxes;
  GstMessage *msg;
  GstBuffer *out;
  gdouble xn, wn, conf, c2;
  guint label_id, track;
  gint x, w;
  guint64 ts, rt;

  gst_harness_set_src_caps (d.h, gst_caps_copy (gst_sample_get_caps (s)));
  out = push (&d, sample_buffer (s, GST_SECOND), &boxes, &msg);
  m = gst_message_get_structure (msg);
  fail_unless (gst_structure_get_uint64 (m, "timestamp", &ts));
  fail_unless_equals_uint64 (ts, GST_SECOND);
  fail_unless (gst_structure_get_uint64 (m, "running-time", &rt));
  fail_unless_equals_uint64 (rt, GST_SECOND);
  fail_unless (gst_structure_get_uint64 (m, "stream-time", &rt));
  fail_unless_equals_string (
      gst_structure_get_string (m, "model"), "centernet");
  fail_unless_equals_int (gst_value_list_get_size (boxes), 1);
  b = box_at (boxes, 0);
  fail_unless_equals_string (gst_structure_get_string (b, "label"), "person");
  fail_unless (gst_structure_get (b, "label-id", G_TYPE_UINT, &label_id,
      "track-id", G_TYPE_UINT, &track, "x", G_TYPE_INT, &x, "w", G_TYPE_INT, &w,
      "x-norm", G_TYPE_DOUBLE, &xn, "w-norm", G_TYPE_DOUBLE, &wn, "confidence",
      G_TYPE_DOUBLE, &conf, NULL));
  fail_unless (gst_structure_has_field_typed (b, "y", G_TYPE_INT));
  fail_unless (gst_structure_has_field_typed (b, "h", G_TYPE_INT));
  fail_unless (gst_structure_has_field_typed (b, "y-norm", G_TYPE_DOUBLE));
  fail_unless (gst_structure_has_field_typed (b, "h-norm", G_TYPE_DOUBLE));
  fail_unless_equals_int (label_id, 0);
  fail_unless_equals_int (track, 0);
  fail_unless (
      abs (x - (gint) (xn * 640)) <= 1 && abs (w - (gint) (wn * 640)) <= 2);
  roi = gst_buffer_get_video_region_of_interest_meta_id (out, 0);
  fail_unless (roi != NULL);
  fail_unless_equals_string (g_quark_to_string (roi->roi_type), "person");
  fail_unless_equals_int (roi->x, x);
  fail_unless_equals_int (roi->w, w);
  fail_unless (roi->x + roi->w <= 640 && roi->y + roi->h <= 480);
  det = gst_video_region_of_interest_meta_get_param (roi, "detection");
  fail_unless (gst_structure_get_double (det, "confidence", &c2));
  fail_unless_equals_float (c2, conf);
  fail_unless (
      gst_structure_get_uint (det, "label-id", &label_id) && label_id == 0);
  fail_unless (gst_structure_get_uint (det, "track-id", &track) && track == 0);
  fail_unless (gst_structure_has_field_typed (det, "x-norm", G_TYPE_DOUBLE));
  fail_unless (gst_structure_has_field_typed (det, "h-norm", G_TYPE_DOUBLE));
  fail_unless_equals_string (
      gst_structure_get_string (det, "model"), "centernet");
  gst_message_unref (msg);
  gst_buffer_unref (out);
  detect_free (&d);
  gst_sample_unref (s);
}

GST_END_TEST;

/* a flat grey frame: no metas, a message with an empty list; classes=
 * keeps only its labels */
GST_START_TEST (test_zero_and_classes)
{
  GstSample *s = photo (SKIMAGE "coffee.png", "video/x-raw,format=RGB");
  Detect d = detect_new ("");
  Detect c = detect_new ("classes=person,dining\\ table");
  const GValue *boxes;
  GstMessage *msg;
  GstBuffer *grey, *out;
  GstMapInfo map;

  gst_harness_set_src_caps_str (
      d.h, "video/x-raw,format=RGB,width=320,height=240,framerate=30/1");
  grey = gst_harness_create_buffer (d.h, 320 * 240 * 3);
  gst_buffer_map (grey, &map, GST_MAP_WRITE);
  memset (map.data, 128, map.size);
  gst_buffer_unmap (grey, &map);
  out = push (&d, grey, &boxes, &msg);
  fail_unless_equals_int (gst_value_list_get_size (boxes), 0);
  fail_unless_equals_int (count_rois (out, NULL), 0);
  gst_message_unref (msg);
  gst_buffer_unref (out);

  gst_harness_set_src_caps (c.h, gst_caps_copy (gst_sample_get_caps (s)));
  out = push (&c, sample_buffer (s, 0), &boxes, &msg);
  fail_unless_equals_int (gst_value_list_get_size (boxes), 1);
  fail_unless_equals_int (count_label (boxes, "dining table"), 1);
  fail_unless_equals_int (count_rois (out, "cup"), 0);
  gst_message_unref (msg);
  gst_buffer_unref (out);
  detect_free (&c);
  detect_free (&d);
  gst_sample_unref (s);
}

GST_END_TEST;

/* 1x1 and 7680x4320 frames, then a caps change mid-stream */
GST_START_TEST (test_sizes_and_caps_change)
{
  GstSample *big = photo (SKIMAGE "astronaut.png",
      "video/x-raw,format=I420,width=7680,height=4320");
  GstSample *small = photo (
      SKIMAGE "astronaut.png", "video/x-raw,format=RGB,width=1,height=1");
  GstSample *mid = photo (
      SKIMAGE "astronaut.png", "video/x-raw,format=NV12,width=320,height=240");
  Detect d = detect_new ("");
  GstVideoRegionOfInterestMeta *roi;
  const GValue *boxes;
  GstMessage *msg;
  GstBuffer *out;

  gst_harness_set_src_caps (d.h, gst_caps_copy (gst_sample_get_caps (small)));
  out = push (&d, sample_buffer (small, 0), &boxes, &msg);
  /* one pixel: whatever is found lies in the frame */
  roi = gst_buffer_get_video_region_of_interest_meta_id (out, 0);
  fail_unless (
      !roi || (roi->x == 0 && roi->y == 0 && roi->w == 1 && roi->h == 1));
  gst_message_unref (msg);
  gst_buffer_unref (out);

  gst_harness_set_src_caps (d.h, gst_caps_copy (gst_sample_get_caps (big)));
  out = push (&d, sample_buffer (big, GST_SECOND / 30), &boxes, &msg);
  fail_unless_equals_int (count_label (boxes, "person"), 1);
  roi = gst_buffer_get_video_region_of_interest_meta_id (out, 0);
  fail_unless (roi != NULL && roi->w > 4000 && roi->h > 4000);
  fail_unless (roi->x + roi->w <= 7680 && roi->y + roi->h <= 4320);
  gst_message_unref (msg);
  gst_buffer_unref (out);

  gst_harness_set_src_caps (d.h, gst_caps_copy (gst_sample_get_caps (mid)));
  out = push (&d, sample_buffer (mid, 2 * GST_SECOND / 30), &boxes, &msg);
  fail_unless_equals_int (count_label (boxes, "person"), 1);
  roi = gst_buffer_get_video_region_of_interest_meta_id (out, 0);
  fail_unless (roi != NULL && roi->x + roi->w <= 320 && roi->y + roi->h <= 240
               && roi->w > 150);
  gst_message_unref (msg);
  gst_buffer_unref (out);
  detect_free (&d);
  gst_sample_unref (big);
  gst_sample_unref (small);
  gst_sample_unref (mid);
}

GST_END_TEST;

/* a crop of the motorcycle photo moving across a larger grey canvas: the
 * same track id on every frame; after a flushing seek the tracks start
 * afresh (a new id), and frames still flow */
GST_START_TEST (test_tracker_and_flush)
{
  GstSample *s = photo (SKIMAGE "motorcycle_left.png",
      "video/x-raw,format=RGB,width=320,height=240");
  Detect d = detect_new ("tracker=iou classes=motorcycle");
  GstVideoInfo in, out_info;
  guint f, first = 0, id = 0;
  GstSegment seg;

  gst_video_info_from_caps (&in, gst_sample_get_caps (s));
  gst_video_info_set_format (&out_info, GST_VIDEO_FORMAT_RGB, 480, 320);
  gst_harness_set_src_caps (d.h, gst_video_info_to_caps (&out_info));
  for (f = 0; f < 5; f++) {
    GstBuffer *buf = gst_buffer_new_allocate (NULL, out_info.size, NULL), *out;
    GstMapInfo src, dst;
    const GValue *boxes;
    GstMessage *msg;
    guint y;

    if (f == 4) {
      /* flushing seek */
      fail_unless (gst_harness_push_event (d.h, gst_event_new_flush_start ()));
      fail_unless (
          gst_harness_push_event (d.h, gst_event_new_flush_stop (TRUE)));
      gst_segment_init (&seg, GST_FORMAT_TIME);
      fail_unless (gst_harness_push_event (d.h, gst_event_new_segment (&seg)));
    }
    gst_buffer_map (buf, &dst, GST_MAP_WRITE);
    gst_buffer_map (gst_sample_get_buffer (s), &src, GST_MAP_READ);
    memset (dst.data, 100, dst.size);
    /* the 320x240 photo at (20 + 12 f, 30 + 6 f) */
    for (y = 0; y < 240; y++)
      memcpy (
          dst.data + (30 + 6 * f + y) * out_info.stride[0] + (20 + 12 * f) * 3,
          src.data + y * in.stride[0], 320 * 3);
    gst_buffer_unmap (gst_sample_get_buffer (s), &src);
    gst_buffer_unmap (buf, &dst);
    GST_BUFFER_PTS (buf) = f * GST_SECOND / 30;
    out = push (&d, buf, &boxes, &msg);
    fail_unless_equals_int (gst_value_list_get_size (boxes), 1);
    fail_unless (gst_structure_get_uint (box_at (boxes, 0), "track-id", &id));
    fail_unless (id > 0);
    if (f == 0) {
      first = id;
    } else if (f < 4) {
      fail_unless_equals_int (id, first);
    } else {
      fail_unless (id != first);
    }
    gst_message_unref (msg);
    gst_buffer_unref (out);
  }
  detect_free (&d);
  gst_sample_unref (s);
}

GST_END_TEST;

/* inference-interval=3: frames 0 and 3 of 6 are inferred (messages and
 * metas), the others pass untouched */
GST_START_TEST (test_interval)
{
  GstSample *s = photo (
      SKIMAGE "astronaut.png", "video/x-raw,format=RGB,width=128,height=128");
  Detect d = detect_new ("inference-interval=3");
  guint f, n_msgs = 0;

  gst_harness_set_src_caps (d.h, gst_caps_copy (gst_sample_get_caps (s)));
  for (f = 0; f < 6; f++) {
    GstBuffer *out;
    GstMessage *msg;

    fail_unless_equals_int (
        gst_harness_push (d.h, sample_buffer (s, f * GST_SECOND / 30)),
        GST_FLOW_OK);
    out = gst_harness_pull (d.h);
    msg = gst_bus_pop_filtered (d.bus, GST_MESSAGE_ELEMENT);
    fail_unless_equals_int (msg != NULL, f % 3 == 0);
    fail_unless_equals_int (count_rois (out, "person") > 0, f % 3 == 0);
    n_msgs += msg != NULL;
    if (msg)
      gst_message_unref (msg);
    gst_buffer_unref (out);
  }
  fail_unless_equals_int (n_msgs, 2);
  detect_free (&d);
  gst_sample_unref (s);
}

GST_END_TEST;

/* start-time errors: a model that is not a detector, a sidecar whose
 * outputs do not fit its decoder, a missing model, unknown classes */
static void
expect_start_error (const gchar *props, const gchar *needle)
{
  gchar *desc = g_strdup_printf ("omnidetect %s", props);
  GstElement *e = gst_parse_launch (desc, NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL;

  gst_element_set_bus (e, bus);
  fail_unless_equals_int (
      gst_element_set_state (e, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error for %s", props);
  gst_message_parse_error (msg, &err, &dbg);
  GST_INFO ("%s: %s (%s)", props, err->message, dbg);
  fail_unless (strstr (err->message, needle) || (dbg && strstr (dbg, needle)),
      "%s: '%s' / '%s' lacks '%s'", props, err->message, dbg, needle);
  g_error_free (err);
  g_free (dbg);
  gst_message_unref (msg);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
  g_free (desc);
}

static const gchar *sidecar
    = "{\"format\": \"omni-model-info\", \"task\": \"object-detection\",\n"
      " \"input\": {\"width\": 256, \"height\": 256, \"scale\": "
      "0.00784313725490196,"
      " \"offset\": -1},\n"
      " \"outputs\": [{\"name\": \"Identity\", \"meaning\": "
      "\"class-heatmap\"},\n"
      "  {\"name\": \"Identity_2\", \"meaning\": \"box-size\"}],\n"
      " \"labels\": [\"face\"]}\n";

static gchar *
fake_model (void)
{
  const gchar *models = g_getenv ("OMNI_MODEL_PATH");
  gchar *dir = g_dir_make_tmp ("omnidetect-model-XXXXXX", NULL), *src, *dst,
        *data;
  const gchar *files[] = { "model.json", "blazeface.bin", NULL };
  GString *sums = g_string_new (NULL);
  gsize len;
  guint i;

  for (i = 0; files[i]; i++) {
    src = g_build_filename (models, "blazeface", files[i], NULL);
    dst = g_build_filename (dir, files[i], NULL);
    fail_unless (g_file_get_contents (src, &data, &len, NULL));
    fail_unless (g_file_set_contents (dst, data, len, NULL));
    /* a user's own model: its files listed in SHA256SUMS */
    {
      gchar *sum = g_compute_checksum_for_data (
          G_CHECKSUM_SHA256, (const guchar *) data, len);

      g_string_append_printf (sums, "%s  %s\n", sum, files[i]);
      g_free (sum);
    }
    g_free (data);
    g_free (src);
    g_free (dst);
  }
  /* BlazeFace described as a CenterNet */
  dst = g_build_filename (dir, "model-info.json", NULL);
  fail_unless (g_file_set_contents (dst, sidecar, -1, NULL));
  g_free (dst);
  data = g_compute_checksum_for_string (G_CHECKSUM_SHA256, sidecar, -1);
  g_string_append_printf (sums, "%s  model-info.json\n", data);
  g_free (data);
  dst = g_build_filename (dir, "SHA256SUMS", NULL);
  fail_unless (g_file_set_contents (dst, sums->str, -1, NULL));
  g_free (dst);
  g_string_free (sums, TRUE);
  return dir;
}

static void
remove_dir (const gchar *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *name;

  while (d && (name = g_dir_read_name (d))) {
    gchar *f = g_build_filename (dir, name, NULL);

    g_remove (f);
    g_free (f);
  }
  if (d)
    g_dir_close (d);
  g_rmdir (dir);
}

/* Frame @f of test_nireq: the astronaut (a face) on the frames of
 * FACES, mid grey on the others. */
#define FACES "101101001110"

static GstBuffer *
nireq_frame (GstSample *s, guint f)
{
  GstBuffer *b;

  if (FACES[f] == '1')
    return sample_buffer (s, f * GST_SECOND / 30);
  b = gst_buffer_new_allocate (
      NULL, gst_buffer_get_size (gst_sample_get_buffer (s)), NULL);
  gst_buffer_memset (b, 0, 128, gst_buffer_get_size (b));
  GST_BUFFER_PTS (b) = f * GST_SECOND / 30;
  GST_BUFFER_DURATION (b) = GST_SECOND / 30;
  return b;
}

/* Runs the 12 frames through omnidetect @props (all pushed before any is
 * pulled, then EOS); per frame: its box count and first track id, checked
 * to be on the right frame (PTS in order, message timestamp = PTS, ROI
 * metas = the message's boxes). */
static void
nireq_run (GstSample *s, const gchar *props, guint *n_boxes, guint *track)
{
  Detect d = detect_new (props);
  guint f, n = strlen (FACES);

  gst_harness_set_src_caps (d.h, gst_caps_copy (gst_sample_get_caps (s)));
  for (f = 0; f < n; f++)
    fail_unless_equals_int (
        gst_harness_push (d.h, nireq_frame (s, f)), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (d.h, gst_event_new_eos ()));
  for (f = 0; f < n; f++) {
    GstBuffer *out = gst_harness_pull (d.h);
    GstMessage *msg = gst_bus_pop_filtered (d.bus, GST_MESSAGE_ELEMENT);
    const GstStructure *st = gst_message_get_structure (msg);
    const GValue *boxes = gst_structure_get_value (st, "boxes");
    guint64 ts = 0;

    fail_unless (out != NULL && msg != NULL);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), f * GST_SECOND / 30);
    fail_unless (gst_structure_get_uint64 (st, "timestamp", &ts));
    fail_unless_equals_uint64 (ts, GST_BUFFER_PTS (out));
    n_boxes[f] = gst_value_list_get_size (boxes);
    fail_unless_equals_int (count_rois (out, NULL), n_boxes[f]);
    track[f] = 0;
    if (n_boxes[f])
      gst_structure_get_uint (box_at (boxes, 0), "track-id", &track[f]);
    gst_message_unref (msg);
    gst_buffer_unref (out);
  }
  fail_unless (gst_bus_pop_filtered (d.bus, GST_MESSAGE_ELEMENT) == NULL);
  detect_free (&d);
}

/* nireq=3 (three inferences in flight, frames held in order): the same
 * boxes and track ids on the same frames as nireq=1, the face on exactly
 * the frames that show it */
GST_START_TEST (test_nireq)
{
  GstSample *s = photo (
      SKIMAGE "astronaut.png", "video/x-raw,format=RGB,width=256,height=256");
  guint n1[16], t1[16], n3[16], t3[16], f;

  nireq_run (s, "model=blazeface tracker=iou track-max-misses=0", n1, t1);
  nireq_run (
      s, "model=blazeface tracker=iou track-max-misses=0 nireq=3", n3, t3);
  for (f = 0; f < strlen (FACES); f++) {
    fail_unless_equals_int (n1[f], FACES[f] == '1' ? 1 : 0);
    fail_unless_equals_int (n3[f], n1[f]);
    fail_unless_equals_int (t3[f], t1[f]);
  }
  /* a new track after each gap (track-max-misses=0) */
  fail_unless (t1[0] > 0 && t1[2] != t1[0] && t1[3] == t1[2]);
  gst_sample_unref (s);
}

GST_END_TEST;

/* nireq=2: a flush while frames are held drops them; the frames after it
 * come out with their own results */
GST_START_TEST (test_nireq_flush)
{
  GstSample *s = photo (
      SKIMAGE "astronaut.png", "video/x-raw,format=RGB,width=256,height=256");
  Detect d = detect_new ("model=blazeface nireq=2");
  GstSegment seg;
  GstBuffer *out;
  guint f, n_out = 0;

  gst_harness_set_src_caps (d.h, gst_caps_copy (gst_sample_get_caps (s)));
  for (f = 0; f < 4; f++)
    fail_unless_equals_int (
        gst_harness_push (d.h, nireq_frame (s, f)), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (d.h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (d.h, gst_event_new_flush_stop (TRUE)));
  while ((out = gst_harness_try_pull (d.h))) {
    n_out++;
    gst_buffer_unref (out);
  }
  fail_unless (n_out <= 4);
  gst_segment_init (&seg, GST_FORMAT_TIME);
  fail_unless (gst_harness_push_event (d.h, gst_event_new_segment (&seg)));
  for (f = 5; f < 7; f++)
    fail_unless_equals_int (
        gst_harness_push (d.h, nireq_frame (s, f)), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (d.h, gst_event_new_eos ()));
  for (f = 5; f < 7; f++) {
    out = gst_harness_pull (d.h);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), f * GST_SECOND / 30);
    fail_unless_equals_int (count_rois (out, "face"), FACES[f] == '1');
    gst_buffer_unref (out);
  }
  detect_free (&d);
  gst_sample_unref (s);
}

GST_END_TEST;

GST_START_TEST (test_start_errors)
{
  gchar *dir = fake_model (), *props = g_strdup_printf ("model=%s", dir);

  expect_start_error ("model=emotion", "not a detector");
  expect_start_error (props, "CenterNet needs");
  expect_start_error ("model=no-such-model", "no-such-model");
  expect_start_error ("classes=person,unicorn", "unicorn");
  expect_start_error ("labels=/nonexistent/labels.txt", "labels");
  remove_dir (dir);
  g_free (props);
  g_free (dir);
}

GST_END_TEST;

/* model=nanodet: the astronaut found, once the runtime has the model
 * (tools/omni-fetch-models with NanoDet, issue 13); a clear error naming
 * the model where it is missing */
GST_START_TEST (test_nanodet)
{
  gchar *json = g_build_filename (
      g_getenv ("OMNI_MODEL_PATH"), "nanodet", "model.json", NULL);

  if (g_file_test (json, G_FILE_TEST_EXISTS)) {
    const gchar *person[] = { "person", NULL };
    const guint one[] = { 1 };

    check_photo ("astronaut.png", "model=nanodet threshold=0.5 classes=person",
        person, one, 1);
  } else {
    expect_start_error ("model=nanodet", "nanodet");
  }
  g_free (json);
}

GST_END_TEST;

static Suite *
omnidetect_suite (void)
{
  Suite *s = suite_create ("omnidetect");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 600);
  tcase_add_test (tc, test_photos_centernet);
  tcase_add_test (tc, test_photos_blazeface);
  tcase_add_test (tc, test_meta_and_message);
  tcase_add_test (tc, test_zero_and_classes);
  tcase_add_test (tc, test_sizes_and_caps_change);
  tcase_add_test (tc, test_tracker_and_flush);
  tcase_add_test (tc, test_interval);
  tcase_add_test (tc, test_start_errors);
  tcase_add_test (tc, test_nanodet);
  tcase_add_test (tc, test_nireq);
  tcase_add_test (tc, test_nireq_flush);
  return s;
}

GST_CHECK_MAIN (omnidetect);
