/* gst-omni: omnivisionenc tests
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Ground truth: the model runtime run directly on the same frame (the CPU
 * reference, itself checked against nsfwjs in libs/nnmodel), constant
 * pictures whose resize is the same constant, and nsfwjs itself on
 * photographs.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <omni/meta/omniclassmeta.h>
#include <omni/meta/omnisamplemeta.h>
#include <omni/meta/omnitensormeta.h>
#include <omni/nn/omninncpu.h>
#include <omni/nn/omninnmodel.h>
#include <omni/vk/omnivk.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

static const gchar *nsfw_labels[]
    = { "Drawing", "Hentai", "Neutral", "Porn", "Sexy" };

/* An omnivisionenc on @backend with the given properties (NULL-terminated
 * name, value-string pairs), set before the harness starts it. */
static GstHarness *
new_enc (const gchar *backend, const gchar *caps, ...)
{
  GstElement *e = gst_element_factory_make ("omnivisionenc", NULL);
  GstHarness *h;
  const gchar *name;
  va_list args;

  fail_unless (e != NULL);
  gst_util_set_object_arg (G_OBJECT (e), "backend", backend);
  va_start (args, caps);
  while ((name = va_arg (args, const gchar *)))
    gst_util_set_object_arg (G_OBJECT (e), name, va_arg (args, const gchar *));
  va_end (args);
  h = gst_harness_new_with_element (e, "sink", "src");
  gst_object_unref (e);
  if (caps)
    gst_harness_set_src_caps_str (h, caps);
  return h;
}

static GstBuffer *
frame_buffer (const GstVideoInfo *info, guint64 index, guint32 seed)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, info->size, NULL);
  GstMapInfo map;
  GRand *r = g_rand_new_with_seed (seed);
  gsize i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < map.size; i++)
    map.data[i] = g_rand_int_range (r, 0, 256);
  gst_buffer_unmap (buf, &map);
  g_rand_free (r);
  GST_BUFFER_PTS (buf) = index * 40 * GST_MSECOND;
  GST_BUFFER_DURATION (buf) = 40 * GST_MSECOND;
  return buf;
}

static GstBuffer *
constant_buffer (const GstVideoInfo *info, const guint8 *value, guint bpp)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, info->size, NULL);
  GstMapInfo map;
  gsize i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i + bpp <= map.size; i += bpp)
    memcpy (map.data + i, value, bpp);
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = 0;
  return buf;
}

/* I420 with every Y = y, U = u, V = v. */
static GstBuffer *
constant_i420 (const GstVideoInfo *info, guint8 y, guint8 u, guint8 v)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, info->size, NULL);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  memset (map.data, y, GST_VIDEO_INFO_PLANE_OFFSET (info, 1));
  memset (map.data + GST_VIDEO_INFO_PLANE_OFFSET (info, 1), u,
      GST_VIDEO_INFO_PLANE_OFFSET (info, 2)
          - GST_VIDEO_INFO_PLANE_OFFSET (info, 1));
  memset (map.data + GST_VIDEO_INFO_PLANE_OFFSET (info, 2), v,
      map.size - GST_VIDEO_INFO_PLANE_OFFSET (info, 2));
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = 0;
  return buf;
}

/* The model run directly on @buf as described by @info. */
static void
direct (const GstVideoInfo *info, GstBuffer *buf, gfloat *probs, gfloat *emb)
{
  GError *err = NULL;
  OmniNnModel *m = omni_nn_model_load ("nsfw", NULL, NULL, &err);
  const OmniNnBackend *b = omni_nn_cpu_backend ();
  OmniNnPreprocessParams p;
  OmniNnInput in = { 0 };
  gfloat *outs[2] = { probs, emb };
  gpointer s;
  GstMapInfo map;

  fail_unless (m != NULL, "%s", err ? err->message : "");
  fail_unless (omni_nn_preprocess_params_from_video_info (&p, info, 224, 224,
      m->graph->align_corners, m->graph->input_scale, m->graph->input_offset));
  s = b->prepare (m->graph, NULL, &err);
  fail_unless (s != NULL);
  gst_buffer_map (buf, &map, GST_MAP_READ);
  in.frame_params = &p;
  in.frame = map.data;
  in.frame_size = map.size;
  fail_unless (b->run (s, &in, outs, &err), "%s", err ? err->message : "");
  gst_buffer_unmap (buf, &map);
  b->free (s);
  omni_nn_model_free (m);
}

static const gfloat *
class_scores (GstBuffer *buf)
{
  OmniClassMeta *cm = omni_buffer_get_class_meta (buf);
  guint i;

  fail_unless (cm != NULL, "no OmniClassMeta");
  fail_unless_equals_string (cm->model_id, "nsfw");
  fail_unless_equals_int (cm->n_classes, 5);
  for (i = 0; i < 5; i++)
    fail_unless_equals_string (cm->labels[i], nsfw_labels[i]);
  return cm->scores;
}

static const gfloat *
embedding (GstBuffer *buf, gsize *n)
{
  OmniTensorMeta *tm = omni_buffer_get_tensor_meta (buf, "embedding");

  fail_unless (tm != NULL, "no embedding OmniTensorMeta");
  fail_unless_equals_int (tm->dtype, OMNI_TENSOR_DTYPE_F32);
  return omni_tensor_meta_get_f32 (tm, n);
}

static void
assert_close (
    const gfloat *a, const gfloat *b, gsize n, gfloat tol, const gchar *what)
{
  gsize i;

  for (i = 0; i < n; i++)
    fail_unless (fabsf (a[i] - b[i]) <= tol,
        "%s[%" G_GSIZE_FORMAT "]: %.7f != %.7f", what, i, a[i], b[i]);
}

static gboolean
have_vulkan (void)
{
  GstHarness *h = new_enc ("vulkan", NULL, NULL);
  GstBus *bus = gst_bus_new ();
  gboolean ok;

  gst_element_set_bus (h->element, bus);
  ok = gst_element_set_state (h->element, GST_STATE_PAUSED)
       != GST_STATE_CHANGE_FAILURE;
  gst_element_set_state (h->element, GST_STATE_NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
  return ok;
}

/* ---- metas, messages, pass-through ------------------------------------- */

static void
check_meta_values (const gchar *backend, gfloat tol)
{
  GstHarness *h = new_enc (backend,
      "video/x-raw,format=RGB,width=67,height=45,framerate=25/1", NULL);
  GstBus *bus = gst_bus_new ();
  GstVideoInfo info;
  GstBuffer *in, *out, *copy;
  gfloat probs[5], emb[1280];
  const gfloat *scores, *e;
  gsize n;
  GstMessage *msg;
  const GstStructure *s;
  const GValue *labels, *values;
  guint i, top = 0;
  GstClockTime t;
  gdouble d;

  gst_element_set_bus (h->element, bus);
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, 67, 45);
  in = frame_buffer (&info, 3, 42);
  copy = gst_buffer_copy_deep (in);
  direct (&info, in, probs, emb);

  out = gst_harness_push_and_pull (h, in);
  fail_unless (out != NULL);
  /* pixels untouched */
  {
    GstMapInfo a, b;

    gst_buffer_map (out, &a, GST_MAP_READ);
    gst_buffer_map (copy, &b, GST_MAP_READ);
    fail_unless_equals_int (a.size, b.size);
    fail_unless (memcmp (a.data, b.data, a.size) == 0);
    gst_buffer_unmap (out, &a);
    gst_buffer_unmap (copy, &b);
  }
  scores = class_scores (out);
  assert_close (scores, probs, 5, tol, "probabilities");
  e = embedding (out, &n);
  fail_unless_equals_int (n, 1280);
  fail_unless_equals_int (
      omni_buffer_get_tensor_meta (out, "embedding")->n_dims, 1);
  assert_close (e, emb, 1280, tol, "embedding");
  for (i = 1; i < 5; i++)
    if (scores[i] > scores[top])
      top = i;

  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT);
  fail_unless (msg != NULL, "no omnivisionenc message");
  s = gst_message_get_structure (msg);
  fail_unless (gst_structure_has_name (s, "omnivisionenc"));
  fail_unless_equals_string (gst_structure_get_string (s, "model"), "nsfw");
  fail_unless (gst_structure_get_uint64 (s, "timestamp", &t));
  fail_unless_equals_uint64 (t, 120 * GST_MSECOND);
  /* the harness' segment starts at 0: running time = stream time = PTS */
  fail_unless (gst_structure_get_uint64 (s, "running-time", &t));
  fail_unless_equals_uint64 (t, 120 * GST_MSECOND);
  fail_unless (gst_structure_get_uint64 (s, "stream-time", &t));
  fail_unless_equals_uint64 (t, 120 * GST_MSECOND);
  fail_unless (gst_structure_get_uint64 (s, "duration", &t));
  fail_unless_equals_uint64 (t, 40 * GST_MSECOND);
  fail_unless_equals_string (
      gst_structure_get_string (s, "top-label"), nsfw_labels[top]);
  fail_unless (gst_structure_get_double (s, "top-score", &d));
  fail_unless_equals_float (d, scores[top]);
  fail_unless (gst_structure_get_double (s, "inference-ms", &d));
  fail_unless (d > 0);
  labels = gst_structure_get_value (s, "labels");
  values = gst_structure_get_value (s, "scores");
  fail_unless_equals_int (gst_value_array_get_size (labels), 5);
  fail_unless_equals_int (gst_value_array_get_size (values), 5);
  for (i = 0; i < 5; i++) {
    const gchar *l = g_value_get_string (gst_value_array_get_value (labels, i));
    gdouble v = g_value_get_double (gst_value_array_get_value (values, i));
    guint j;

    for (j = 0; j < 5 && strcmp (nsfw_labels[j], l); j++)
      ;
    fail_unless (j < 5);
    fail_unless_equals_float (v, scores[j]);
    if (i > 0)
      fail_unless (
          v <= g_value_get_double (gst_value_array_get_value (values, i - 1)));
  }
  gst_message_unref (msg);

  gst_buffer_unref (out);
  gst_buffer_unref (copy);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_START_TEST (test_cpu_meta_values)
{
  /* the same code as the direct run: the same floats */
  check_meta_values ("cpu", 0.0f);
}

GST_END_TEST;

GST_START_TEST (test_vulkan_meta_values)
{
  fail_unless (have_vulkan (), "no Vulkan device (lavapipe) in the test "
                               "environment");
  check_meta_values ("vulkan", 1e-3f);
}

GST_END_TEST;

/* ---- which frames ------------------------------------------------------ */

static guint
push_and_count (
    GstHarness *h, const GstVideoInfo *info, guint64 index, gboolean sample)
{
  GstBuffer *buf = frame_buffer (info, index, index);
  gboolean has;

  if (sample)
    omni_buffer_add_sample_meta (buf, OMNI_SAMPLE_REASON_INTERVAL, 0, index);
  buf = gst_harness_push_and_pull (h, buf);
  has = omni_buffer_get_class_meta (buf) != NULL;
  fail_unless_equals_int (
      has, omni_buffer_get_tensor_meta (buf, "embedding") != NULL);
  gst_buffer_unref (buf);
  return has;
}

GST_START_TEST (test_inference_interval)
{
  GstHarness *h = new_enc ("cpu",
      "video/x-raw,format=GRAY8,width=16,height=16,framerate=25/1", NULL);
  GstVideoInfo info;
  GstStructure *stats;
  guint64 frames;
  guint i;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_GRAY8, 16, 16);
  g_object_set (
      h->element, "inference-interval", 3, "post-messages", FALSE, NULL);
  for (i = 0; i < 7; i++)
    fail_unless_equals_int (push_and_count (h, &info, i, FALSE), i % 3 == 0);
  g_object_get (h->element, "stats", &stats, NULL);
  fail_unless (gst_structure_get_uint64 (stats, "frames", &frames));
  fail_unless_equals_uint64 (frames, 3);
  gst_structure_free (stats);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_sample_meta)
{
  GstHarness *h = new_enc ("cpu",
      "video/x-raw,format=GRAY8,width=16,height=16,framerate=25/1", NULL);
  GstVideoInfo info;
  GstSegment segment;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_GRAY8, 16, 16);
  g_object_set (h->element, "inference-interval", 1, NULL);
  /* before any OmniSampleMeta: the interval applies */
  fail_unless_equals_int (push_and_count (h, &info, 0, FALSE), 1);
  /* then only frames with the meta are analysed */
  fail_unless_equals_int (push_and_count (h, &info, 1, TRUE), 1);
  fail_unless_equals_int (push_and_count (h, &info, 2, FALSE), 0);
  fail_unless_equals_int (push_and_count (h, &info, 3, FALSE), 0);
  fail_unless_equals_int (push_and_count (h, &info, 4, TRUE), 1);
  /* a flush forgets the sampler */
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  gst_segment_init (&segment, GST_FORMAT_TIME);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  fail_unless_equals_int (push_and_count (h, &info, 5, FALSE), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- frame sizes, formats, caps changes --------------------------------- */

static void
run_one (GstHarness *h, GstBuffer *buf, gfloat *probs, gfloat *emb)
{
  GstBuffer *out = gst_harness_push_and_pull (h, buf);
  gsize n;

  fail_unless (out != NULL);
  memcpy (probs, class_scores (out), 5 * sizeof (gfloat));
  memcpy (emb, embedding (out, &n), 1280 * sizeof (gfloat));
  gst_buffer_unref (out);
}

/* A constant picture resizes to the same constant whatever its size, so a
 * 1x1 and a 7680x4320 frame must give the 224x224 frame's results. */
static void
check_sizes (const gchar *backend, gfloat tol)
{
  const guint8 rgb[3] = { 37, 180, 90 };
  const guint sizes[][2] = { { 1, 1 }, { 7680, 4320 }, { 224, 224 } };
  gfloat probs[3][5], emb[3][1280], yuv_probs[2][5], yuv_emb[2][1280];
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    gchar *caps = g_strdup_printf ("video/x-raw,format=RGB,width=%u,"
                                   "height=%u,framerate=25/1",
        sizes[i][0], sizes[i][1]);
    GstHarness *h = new_enc (backend, caps, NULL);
    GstVideoInfo info;

    gst_video_info_set_format (
        &info, GST_VIDEO_FORMAT_RGB, sizes[i][0], sizes[i][1]);
    run_one (h, constant_buffer (&info, rgb, 3), probs[i], emb[i]);
    gst_harness_teardown (h);
    g_free (caps);
  }
  assert_close (probs[0], probs[2], 5, tol, "1x1 probabilities");
  assert_close (emb[0], emb[2], 1280, tol, "1x1 embedding");
  assert_close (probs[1], probs[2], 5, tol, "7680x4320 probabilities");
  assert_close (emb[1], emb[2], 1280, tol, "7680x4320 embedding");

  /* the same for I420 (odd size: chroma planes round up) */
  for (i = 0; i < 2; i++) {
    guint w = i ? 7680 : 1, hh = i ? 4320 : 1;
    gchar *caps = g_strdup_printf ("video/x-raw,format=I420,width=%u,"
                                   "height=%u,framerate=25/1,colorimetry=bt601",
        w, hh);
    GstHarness *h = new_enc (backend, caps, NULL);
    GstVideoInfo info;

    gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, w, hh);
    run_one (h, constant_i420 (&info, 120, 90, 200), yuv_probs[i], yuv_emb[i]);
    gst_harness_teardown (h);
    g_free (caps);
  }
  assert_close (yuv_probs[0], yuv_probs[1], 5, tol, "I420 probabilities");
  assert_close (yuv_emb[0], yuv_emb[1], 1280, tol, "I420 embedding");
}

GST_START_TEST (test_cpu_frame_sizes)
{
  check_sizes ("cpu", 1e-5f);
}

GST_END_TEST;

GST_START_TEST (test_vulkan_frame_sizes)
{
  fail_unless (have_vulkan ());
  check_sizes ("vulkan", 1e-4f);
}

GST_END_TEST;

GST_START_TEST (test_caps_change)
{
  GstHarness *h = new_enc (
      "cpu", "video/x-raw,format=RGB,width=64,height=48,framerate=25/1", NULL);
  GstVideoInfo a, b;
  GstBuffer *buf;
  gfloat want[5], wemb[1280], got[5], gemb[1280];

  gst_video_info_set_format (&a, GST_VIDEO_FORMAT_RGB, 64, 48);
  buf = frame_buffer (&a, 0, 1);
  direct (&a, buf, want, wemb);
  run_one (h, buf, got, gemb);
  assert_close (got, want, 5, 0, "RGB probabilities");

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=NV12,width=33,height=17,framerate=25/1");
  gst_video_info_set_format (&b, GST_VIDEO_FORMAT_NV12, 33, 17);
  buf = frame_buffer (&b, 1, 2);
  direct (&b, buf, want, wemb);
  run_one (h, buf, got, gemb);
  assert_close (got, want, 5, 0, "NV12 probabilities");
  assert_close (gemb, wemb, 1280, 0, "NV12 embedding");

  /* caps the element cannot take are refused at negotiation */
  {
    GstCaps *v210 = gst_caps_from_string ("video/x-raw,format=v210,"
                                          "width=64,height=48,framerate=25/1");

    fail_if (gst_pad_query_accept_caps (
        GST_BASE_TRANSFORM_SINK_PAD (h->element), v210));
    gst_caps_unref (v210);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- properties, stats, latency ---------------------------------------- */

GST_START_TEST (test_stats_and_latency)
{
  GstHarness *h = new_enc ("cpu",
      "video/x-raw,format=GRAY8,width=16,height=16,framerate=25/1", NULL);
  GstVideoInfo info;
  GstStructure *stats;
  GstQuery *q;
  guint64 frames, latency;
  gdouble mean, max, last;
  GstClockTime min, qmax;
  gboolean live;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_GRAY8, 16, 16);
  /* late frames are analysed, not dropped */
  {
    gboolean qos = TRUE;

    g_object_get (h->element, "qos", &qos, NULL);
    fail_if (qos);
  }
  gst_harness_set_upstream_latency (h, 10 * GST_MSECOND);
  push_and_count (h, &info, 0, FALSE);
  push_and_count (h, &info, 1, FALSE);

  g_object_get (h->element, "stats", &stats, NULL);
  fail_unless (gst_structure_get_uint64 (stats, "frames", &frames));
  fail_unless_equals_uint64 (frames, 2);
  fail_unless (gst_structure_get_double (stats, "mean-ms", &mean));
  fail_unless (gst_structure_get_double (stats, "max-ms", &max));
  fail_unless (gst_structure_get_double (stats, "last-ms", &last));
  fail_unless (mean > 0 && max >= mean && last > 0 && last <= max);
  fail_unless_equals_string (
      gst_structure_get_string (stats, "backend"), "cpu");
  fail_unless (gst_structure_get_string (stats, "device") != NULL);
  fail_unless (gst_structure_get_uint64 (stats, "latency", &latency));
  fail_unless (latency > 0 && GST_CLOCK_TIME_IS_VALID (latency));
  /* the reported latency covers every inference run so far */
  fail_unless (latency >= max * GST_MSECOND);
  gst_structure_free (stats);

  q = gst_query_new_latency ();
  fail_unless (gst_pad_peer_query (h->sinkpad, q));
  gst_query_parse_latency (q, &live, &min, &qmax);
  fail_unless_equals_uint64 (min, 10 * GST_MSECOND + latency);
  gst_query_unref (q);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_embedding_layer_and_labels)
{
  GstHarness *h;
  GstVideoInfo info;
  GstBuffer *buf;
  OmniTensorMeta *tm;
  OmniClassMeta *cm;
  gchar *dir = g_dir_make_tmp ("omni-visionenc-XXXXXX", NULL);
  gchar *labels = g_build_filename (dir, "labels.txt", NULL);

  fail_unless (g_file_set_contents (labels, "a\n b \n\nc\nd\ne\n", -1, NULL));
  h = new_enc ("cpu",
      "video/x-raw,format=GRAY8,width=16,height=16,framerate=25/1",
      "embedding-layer", "out_relu", "labels", labels, NULL);
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_GRAY8, 16, 16);
  buf = gst_harness_push_and_pull (h, frame_buffer (&info, 0, 5));
  tm = omni_buffer_get_tensor_meta (buf, "embedding");
  fail_unless (tm != NULL);
  fail_unless_equals_int (tm->n_dims, 3);
  fail_unless_equals_int (tm->dims[0], 7);
  fail_unless_equals_int (tm->dims[1], 7);
  fail_unless_equals_int (tm->dims[2], 1280);
  cm = omni_buffer_get_class_meta (buf);
  fail_unless (cm != NULL);
  fail_unless_equals_string (cm->labels[0], "a");
  fail_unless_equals_string (cm->labels[1], "b");
  fail_unless_equals_string (cm->labels[4], "e");
  gst_buffer_unref (buf);
  gst_harness_teardown (h);

  g_unlink (labels);
  g_rmdir (dir);
  g_free (labels);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_model_by_path)
{
  const gchar *env = g_getenv ("OMNI_MODEL_PATH");
  gchar *path = g_build_filename (
      env ? env : OMNI_BUILD_MODELDIR, "nsfw", "model.json", NULL);
  GstHarness *h = new_enc ("cpu",
      "video/x-raw,format=GRAY8,width=16,height=16,framerate=25/1", "model",
      path, NULL);
  GstVideoInfo info;
  GstBuffer *buf;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_GRAY8, 16, 16);
  buf = gst_harness_push_and_pull (h, frame_buffer (&info, 0, 5));
  /* the id is the model directory's name */
  class_scores (buf);
  gst_buffer_unref (buf);
  gst_harness_teardown (h);
  g_free (path);
}

GST_END_TEST;

/* Start, stop and start again: a fresh model and statistics each time. */
GST_START_TEST (test_restart)
{
  GstElement *e = gst_element_factory_make ("omnivisionenc", NULL);
  GstStructure *stats;
  gchar *backend;
  guint i;

  gst_util_set_object_arg (G_OBJECT (e), "backend", "cpu");
  for (i = 0; i < 2; i++) {
    fail_unless_equals_int (
        gst_element_set_state (e, GST_STATE_PAUSED), GST_STATE_CHANGE_SUCCESS);
    g_object_get (e, "stats", &stats, NULL);
    backend = g_strdup (gst_structure_get_string (stats, "backend"));
    fail_unless_equals_string (backend, "cpu");
    g_free (backend);
    gst_structure_free (stats);
    /* model properties are refused while running */
    g_object_set (e, "model", "/elsewhere/model.json", NULL);
    fail_unless_equals_int (
        gst_element_set_state (e, GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);
  }
  {
    gchar *model;

    g_object_get (e, "model", &model, NULL);
    fail_unless_equals_string (model, "nsfw");
    g_free (model);
  }
  gst_object_unref (e);
}

GST_END_TEST;

/* ---- errors ------------------------------------------------------------ */

/* Starts @element (to PAUSED) expecting failure; returns the error posted. */
static GError *
start_error (GstElement *element, gchar **debug)
{
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;

  gst_element_set_bus (element, bus);
  fail_unless_equals_int (gst_element_set_state (element, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error message");
  gst_message_parse_error (msg, &err, debug);
  gst_message_unref (msg);
  gst_element_set_state (element, GST_STATE_NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_element_set_bus (element, NULL);
  gst_object_unref (bus);
  return err;
}

static GError *
start_error_with (const gchar *prop, const gchar *value, gchar **debug)
{
  GstElement *e = gst_element_factory_make ("omnivisionenc", NULL);
  GError *err;

  gst_util_set_object_arg (G_OBJECT (e), "backend", "cpu");
  gst_util_set_object_arg (G_OBJECT (e), prop, value);
  err = start_error (e, debug);
  gst_object_unref (e);
  return err;
}

/* The device is lost between two frames (a GPU hang, injected): the element
 * warns, re-creates the device and the model on it, and the frame still
 * gets the scores it had before; nothing is dropped. */
GST_START_TEST (test_device_lost_recovery)
{
  GstHarness *h = new_enc ("vulkan",
      "video/x-raw,format=RGBx,width=41,height=29,framerate=25/1", NULL);
  GstBus *bus = gst_bus_new ();
  GstVideoInfo info;
  GstBuffer *out;
  GstMessage *msg;
  OmniClassMeta *cm;
  OmniVkDevice *dev;
  GError *err = NULL, *warn = NULL;
  gchar *debug = NULL;
  gfloat before[5];
  guint i, round;

  fail_unless (have_vulkan ());
  gst_element_set_bus (h->element, bus);
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGBx, 41, 29);
  for (round = 0; round < 3; round++) {
    if (round == 1) {
      /* the process-wide device the element runs on */
      dev = omni_vk_device_get (NULL, &err);
      fail_unless (dev != NULL, "%s", err ? err->message : "");
      omni_vk_device_inject_device_lost (dev);
      gst_object_unref (dev);
    }
    out = gst_harness_push_and_pull (h, frame_buffer (&info, round, 99));
    fail_unless (out != NULL);
    cm = omni_buffer_get_class_meta (out);
    fail_unless (cm != NULL, "round %u: no class meta", round);
    fail_unless_equals_int (cm->n_classes, 5);
    for (i = 0; i < 5; i++) {
      if (round == 0)
        before[i] = cm->scores[i];
      else
        fail_unless (fabsf (cm->scores[i] - before[i]) < 1e-5f,
            "round %u class %u: %g, before the loss %g", round, i,
            cm->scores[i], before[i]);
    }
    gst_buffer_unref (out);
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
    if (round == 1) {
      fail_unless (msg != NULL, "no warning about the lost device");
      gst_message_parse_warning (msg, &warn, &debug);
      fail_unless (g_error_matches (
          warn, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_FAILED));
      fail_unless (
          strstr (warn->message, "restarting") != NULL, "%s", warn->message);
      fail_unless (debug && strstr (debug, "lost") != NULL, "%s", debug);
      g_clear_error (&warn);
      g_free (debug);
      gst_message_unref (msg);
    } else {
      fail_unless (msg == NULL, "round %u: unexpected warning", round);
    }
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    fail_unless (msg == NULL, "round %u: an error", round);
  }
  gst_bus_set_flushing (bus, TRUE);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_missing_and_corrupt_model)
{
  gchar *dir = g_dir_make_tmp ("omni-visionenc-XXXXXX", NULL);
  gchar *json = g_build_filename (dir, "model.json", NULL);
  gchar *labels = g_build_filename (dir, "three.txt", NULL);
  gchar *debug = NULL;
  GError *err;

  err = start_error_with ("model", "/nonexistent/model/dir", &debug);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND),
      "%s", err->message);
  fail_unless (strstr (debug, "/nonexistent/model/dir") != NULL, "%s", debug);
  g_clear_error (&err);
  g_free (debug);

  err = start_error_with ("model", "no-such-model", &debug);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND));
  fail_unless (strstr (debug, "omni-fetch-models") != NULL, "%s", debug);
  g_clear_error (&err);
  g_free (debug);

  fail_unless (g_file_set_contents (json, "{\"modelTopology\": [", -1, NULL));
  g_setenv ("OMNI_ALLOW_UNVERIFIED_MODELS", "1", TRUE);
  err = start_error_with ("model", json, &debug);
  g_unsetenv ("OMNI_ALLOW_UNVERIFIED_MODELS");
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ), "%s",
      err->message);
  fail_unless (strstr (debug, "not valid JSON") != NULL, "%s", debug);
  g_clear_error (&err);
  g_free (debug);

  /* labels that do not match the model's classes */
  fail_unless (g_file_set_contents (labels, "a\nb\nc\n", -1, NULL));
  err = start_error_with ("labels", labels, &debug);
  fail_unless (
      g_error_matches (err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS),
      "%s", err->message);
  fail_unless (strstr (debug, "3 labels for 5 classes") != NULL, "%s", debug);
  g_clear_error (&err);
  g_free (debug);

  g_unlink (json);
  g_unlink (labels);
  g_rmdir (dir);
  g_free (json);
  g_free (labels);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_no_such_vulkan_device)
{
  GstElement *e = gst_element_factory_make ("omnivisionenc", NULL);
  GstHarness *h;
  GstBus *bus;
  GstMessage *msg;
  gchar *debug = NULL;
  GError *err;
  GstStructure *stats;
  GstVideoInfo info;

  /* backend=vulkan: an error saying what exists and what to install */
  gst_util_set_object_arg (G_OBJECT (e), "backend", "vulkan");
  g_object_set (e, "device", "no-such-gpu", NULL);
  err = start_error (e, &debug);
  fail_unless (g_error_matches (
                   err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE),
      "%s", err->message);
  fail_unless (strstr (debug, "no-such-gpu") != NULL, "%s", debug);
  fail_unless (strstr (debug, "mesa-vulkan-drivers") != NULL, "%s", debug);
  fail_unless (strstr (debug, "backend=cpu") != NULL, "%s", debug);
  g_clear_error (&err);
  g_free (debug);
  gst_object_unref (e);

  /* backend=auto: a warning, then the CPU reference */
  e = gst_element_factory_make ("omnivisionenc", NULL);
  g_object_set (e, "device", "no-such-gpu", NULL);
  bus = gst_bus_new ();
  gst_element_set_bus (e, bus);
  h = gst_harness_new_with_element (e, "sink", "src");
  gst_object_unref (e);
  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=GRAY8,width=16,height=16,framerate=25/1");
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_GRAY8, 16, 16);
  fail_unless_equals_int (push_and_count (h, &info, 0, FALSE), 1);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  g_object_get (h->element, "stats", &stats, NULL);
  fail_unless_equals_string (
      gst_structure_get_string (stats, "backend"), "cpu");
  gst_structure_free (stats);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* No Vulkan driver at all (the loader finds no ICD). Runs in its own
 * process (check forks each test), before any Vulkan instance exists. */
GST_START_TEST (test_no_vulkan_driver)
{
  GstElement *e = gst_element_factory_make ("omnivisionenc", NULL);
  gchar *debug = NULL;
  GError *err;

  g_setenv ("VK_DRIVER_FILES", "/nonexistent/omni_icd.json", TRUE);
  g_setenv ("VK_ICD_FILENAMES", "/nonexistent/omni_icd.json", TRUE);
  gst_util_set_object_arg (G_OBJECT (e), "backend", "vulkan");
  err = start_error (e, &debug);
  fail_unless (g_error_matches (
                   err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE),
      "%s", err->message);
  fail_unless (strstr (debug, "install") != NULL, "%s", debug);
  g_clear_error (&err);
  g_free (debug);
  gst_object_unref (e);
}

GST_END_TEST;

/* ---- against nsfwjs ---------------------------------------------------- */

static const gchar *photos[] = {
  "/usr/share/backgrounds/mate/nature/Aqua.jpg",
  "/usr/share/backgrounds/mate/nature/LadyBird.jpg",
  "/usr/share/backgrounds/gnome/adwaita-l.webp",
};

static GstBuffer *
decode_224 (const gchar *path, const gchar *out)
{
  gchar *desc = g_strdup_printf (
      "filesrc location=\"%s\" ! decodebin ! "
      "videoconvert ! videoscale ! video/x-raw,format=RGB,width=224,"
      "height=224 ! filesink location=\"%s\"",
      path, out);
  GstElement *p = gst_parse_launch (desc, NULL);
  GstBus *bus;
  GstMessage *msg;
  gchar *data;
  gsize len;

  fail_unless (p != NULL);
  gst_element_set_state (p, GST_STATE_PLAYING);
  bus = gst_element_get_bus (p);
  msg = gst_bus_timed_pop_filtered (
      bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS,
      "%s: cannot decode (run scripts/setup)", path);
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
  g_free (desc);
  fail_unless (g_file_get_contents (out, &data, &len, NULL));
  fail_unless_equals_int (len, 224 * 224 * 3);
  return gst_buffer_new_wrapped (data, len);
}

GST_START_TEST (test_matches_nsfwjs)
{
  const guint n = G_N_ELEMENTS (photos);
  gchar *tmp = g_dir_make_tmp ("omni-visionenc-XXXXXX", NULL);
  gchar *script = g_build_filename (
      OMNI_TESTS_SRCDIR, "data", "nsfwjs-reference.js", NULL);
  gchar *node = g_find_program_in_path ("node");
  const gchar *backends[] = { "cpu", "vulkan" };
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  GstBuffer *frames[G_N_ELEMENTS (photos)];
  gchar *out = NULL, *errout = NULL;
  gint status;
  JsonParser *parser = json_parser_new ();
  JsonArray *ref;
  gfloat max_diff[2] = { 0, 0 };
  guint i, j, k;

  fail_unless (node != NULL, "node not found: run scripts/setup");
  fail_unless (have_vulkan ());
  g_ptr_array_add (argv, g_strdup (node));
  g_ptr_array_add (argv, g_strdup (script));
  for (i = 0; i < n; i++) {
    gchar *rgb = g_strdup_printf ("%s/%u.rgb", tmp, i);

    frames[i] = decode_224 (photos[i], rgb);
    g_ptr_array_add (argv, rgb);
  }
  g_ptr_array_add (argv, NULL);
  fail_unless (g_spawn_sync (NULL, (gchar **) argv->pdata, NULL,
      G_SPAWN_DEFAULT, NULL, NULL, &out, &errout, &status, NULL));
  fail_unless (g_spawn_check_wait_status (status, NULL),
      "nsfwjs-reference.js failed: %s", errout);
  fail_unless (json_parser_load_from_data (parser, out, -1, NULL));
  ref = json_node_get_array (json_parser_get_root (parser));
  fail_unless_equals_int (json_array_get_length (ref), n);

  for (k = 0; k < 2; k++) {
    GstHarness *h = new_enc (backends[k],
        "video/x-raw,format=RGB,width=224,height=224,framerate=25/1", NULL);

    for (i = 0; i < n; i++) {
      JsonArray *rp = json_object_get_array_member (
          json_array_get_object_element (ref, i), "probabilities");
      GstBuffer *o = gst_harness_push_and_pull (h, gst_buffer_ref (frames[i]));
      const gfloat *p = class_scores (o);

      for (j = 0; j < 5; j++) {
        gfloat d = (gfloat) fabs (p[j] - json_array_get_double_element (rp, j));

        max_diff[k] = MAX (max_diff[k], d);
        fail_unless (d <= 1e-3f, "%s on %s, %s: %f vs nsfwjs %f", photos[i],
            backends[k], nsfw_labels[j], p[j],
            json_array_get_double_element (rp, j));
      }
      gst_buffer_unref (o);
    }
    gst_harness_teardown (h);
  }
  g_print ("omnivisionenc vs nsfwjs, max |p - p_nsfwjs|: cpu %.3g, vulkan "
           "%.3g\n",
      max_diff[0], max_diff[1]);

  for (i = 0; i < n; i++) {
    g_unlink (g_ptr_array_index (argv, 2 + i));
    gst_buffer_unref (frames[i]);
  }
  g_rmdir (tmp);
  g_object_unref (parser);
  g_ptr_array_unref (argv);
  g_free (out);
  g_free (errout);
  g_free (node);
  g_free (script);
  g_free (tmp);
}

GST_END_TEST;

static Suite *
omnivisionenc_suite (void)
{
  Suite *s = suite_create ("omnivisionenc");
  TCase *tc = tcase_create ("general");
  TCase *tc_err = tcase_create ("errors");
  TCase *tc_ref = tcase_create ("nsfwjs");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 300);
  tcase_add_test (tc, test_cpu_meta_values);
  tcase_add_test (tc, test_vulkan_meta_values);
  tcase_add_test (tc, test_inference_interval);
  tcase_add_test (tc, test_sample_meta);
  tcase_add_test (tc, test_cpu_frame_sizes);
  tcase_add_test (tc, test_vulkan_frame_sizes);
  tcase_add_test (tc, test_caps_change);
  tcase_add_test (tc, test_stats_and_latency);
  tcase_add_test (tc, test_embedding_layer_and_labels);
  tcase_add_test (tc, test_model_by_path);
  tcase_add_test (tc, test_restart);
  tcase_add_test (tc, test_device_lost_recovery);
  suite_add_tcase (s, tc_err);
  tcase_add_test (tc_err, test_missing_and_corrupt_model);
  tcase_add_test (tc_err, test_no_such_vulkan_device);
  tcase_add_test (tc_err, test_no_vulkan_driver);
  suite_add_tcase (s, tc_ref);
  tcase_set_timeout (tc_ref, 600);
  tcase_add_test (tc_ref, test_matches_nsfwjs);
  return s;
}

GST_CHECK_MAIN (omnivisionenc);
