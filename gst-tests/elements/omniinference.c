/* gst-omni: GstOmniInference, the base class of the model-running video
 * elements, through a minimal subclass defined here
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Needs the models of tools/omni-fetch-models in $OMNI_MODEL_PATH.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <omni/meta/omnisamplemeta.h>
#include <omni/nn/omninnsession.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "../../plugins/omni/gstomniinference.h"

#define W 64
#define H 48
#define CAPS "video/x-raw,format=RGB,width=64,height=48,framerate=30/1"

/* ---- a subclass that records what process() saw ------------------------- */

typedef struct {
  GstOmniInference parent;
  guint n_processed;
  GArray *indices; /* the buffer offsets of the processed frames */
  gfloat first[4]; /* the first value of each output, last frame */
} TestInference;

typedef struct {
  GstOmniInferenceClass parent_class;
} TestInferenceClass;

GType test_inference_get_type (void);
G_DEFINE_TYPE (TestInference, test_inference, GST_TYPE_OMNI_INFERENCE);

static GstFlowReturn
test_process (GstOmniInference *base, GstBuffer *buf, OmniNnSession *s)
{
  TestInference *self = (TestInference *) base;
  guint64 index = GST_BUFFER_OFFSET (buf);
  guint i;

  self->n_processed++;
  g_array_append_val (self->indices, index);
  for (i = 0; i < omni_nn_session_get_n_outputs (s) && i < 4; i++)
    self->first[i] = omni_nn_session_get_output (s, i, NULL)[0];
  return GST_FLOW_OK;
}

static void
test_finalize (GObject *o)
{
  g_array_unref (((TestInference *) o)->indices);
  G_OBJECT_CLASS (test_inference_parent_class)->finalize (o);
}

static void
test_inference_class_init (TestInferenceClass *klass)
{
  GstElementClass *ec = GST_ELEMENT_CLASS (klass);
  GstCaps *caps = gst_caps_from_string (
      "video/x-raw, format = (string) { RGB, RGBx, BGRx, I420, NV12 }");

  G_OBJECT_CLASS (klass)->finalize = test_finalize;
  klass->parent_class.process = test_process;
  klass->parent_class.default_model = "blazeface";
  gst_element_class_add_pad_template (
      ec, gst_pad_template_new ("sink", GST_PAD_SINK, GST_PAD_ALWAYS, caps));
  gst_element_class_add_pad_template (
      ec, gst_pad_template_new ("src", GST_PAD_SRC, GST_PAD_ALWAYS, caps));
  gst_caps_unref (caps);
  gst_element_class_set_static_metadata (ec, "test inference", "Filter/Video",
      "records what GstOmniInference hands over", "gst-omni");
}

static void
test_inference_init (TestInference *self)
{
  self->indices = g_array_new (FALSE, FALSE, sizeof (guint64));
}

/* ---- helpers -------------------------------------------------------------- */

static GstBuffer *
make_frame (guint64 index)
{
  GstBuffer *b = gst_buffer_new_allocate (NULL, W * H * 3, NULL);
  GstMapInfo map;
  guint i;

  gst_buffer_map (b, &map, GST_MAP_WRITE);
  for (i = 0; i < W * H * 3; i++)
    map.data[i] = (guint8) ((i * 7 + index * 31) & 0xff);
  gst_buffer_unmap (b, &map);
  GST_BUFFER_PTS (b) = index * GST_SECOND / 30;
  GST_BUFFER_DURATION (b) = GST_SECOND / 30;
  GST_BUFFER_OFFSET (b) = index;
  return b;
}

static GstHarness *
harness (const gchar *props)
{
  gchar *desc = g_strdup_printf ("testinference %s", props);
  GstHarness *h = gst_harness_new_parse (desc);

  g_free (desc);
  gst_harness_set_src_caps_str (h, CAPS);
  return h;
}

static TestInference *
element_of (GstHarness *h)
{
  return (TestInference *) gst_harness_find_element (h, "testinference");
}

/* blazeface with its sidecar saying "letterbox" (the fetched one stretches,
 * as human feeds it): a model directory of the test's own, the weights
 * copied and SHA256SUMS written for the new sidecar. Returns model.json's
 * path (freed with the directory by remove_letterboxed ()). */
static gchar *letterboxed_dir;

static void
write_file_and_sum (const gchar *dir, const gchar *name, const gchar *data,
    gsize len, GString *sums)
{
  gchar *path = g_build_filename (dir, name, NULL);
  gchar *sha = g_compute_checksum_for_data (
      G_CHECKSUM_SHA256, (const guchar *) data, len);

  fail_unless (g_file_set_contents (path, data, len, NULL));
  g_string_append_printf (sums, "%s  %s\n", sha, name);
  g_free (sha);
  g_free (path);
}

static gchar *
letterboxed_blazeface (void)
{
  const gchar *names[] = { "model.json", "blazeface.bin", "LICENSE" };
  gchar *src
      = g_build_filename (g_getenv ("OMNI_MODEL_PATH"), "blazeface", NULL);
  GString *sums = g_string_new (NULL);
  gchar *data, *path, *info, **parts;
  gsize len;
  guint i;

  if (!letterboxed_dir)
    letterboxed_dir = g_dir_make_tmp ("omni-letterbox-XXXXXX", NULL);
  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    path = g_build_filename (src, names[i], NULL);
    fail_unless (g_file_get_contents (path, &data, &len, NULL), "%s", path);
    write_file_and_sum (letterboxed_dir, names[i], data, len, sums);
    g_free (data);
    g_free (path);
  }
  path = g_build_filename (src, "model-info.json", NULL);
  fail_unless (g_file_get_contents (path, &data, NULL, NULL), "%s", path);
  parts = g_strsplit (data, "\"resize\": \"stretch\"", 2);
  fail_unless (g_strv_length (parts) == 2, "no stretch in %s", path);
  info = g_strjoinv ("\"resize\": \"letterbox\"", parts);
  write_file_and_sum (
      letterboxed_dir, "model-info.json", info, strlen (info), sums);
  {
    GString *none = g_string_new (NULL);
    write_file_and_sum (
        letterboxed_dir, "SHA256SUMS", sums->str, sums->len, none);
    g_string_free (none, TRUE);
  }
  g_strfreev (parts);
  g_free (info);
  g_free (data);
  g_free (path);
  g_free (src);
  g_string_free (sums, TRUE);
  return g_build_filename (letterboxed_dir, "model.json", NULL);
}

static void
remove_letterboxed (void)
{
  const gchar *names[] = { "model.json", "blazeface.bin", "LICENSE",
    "model-info.json", "SHA256SUMS" };
  guint i;

  for (i = 0; letterboxed_dir && i < G_N_ELEMENTS (names); i++) {
    gchar *path = g_build_filename (letterboxed_dir, names[i], NULL);
    g_unlink (path);
    g_free (path);
  }
  if (letterboxed_dir)
    g_rmdir (letterboxed_dir);
  g_clear_pointer (&letterboxed_dir, g_free);
}

/* ---- tests ---------------------------------------------------------------- */

/* @frame (RGB, W x H) letterboxed into @g's input as the sidecar of
 * blazeface says: scaled by min (256 / W, 256 / H), centred, the rest the
 * normalised zero (the offset). */
static gfloat *
letterbox_tensor (const OmniNnGraph *g, GstBuffer *frame)
{
  const gdouble s = MIN ((gdouble) g->input_w / W, (gdouble) g->input_h / H);
  const guint cw = (guint) (W * s + 0.5), ch = (guint) (H * s + 0.5);
  const guint px = (g->input_w - cw) / 2, py = (g->input_h - ch) / 2;
  gsize n = (gsize) g->input_w * g->input_h * 3;
  gfloat *t = g_new (gfloat, n), *content = g_new (gfloat, cw * ch * 3);
  OmniNnPreprocessParams pre;
  GstVideoInfo info;
  GstMapInfo map;
  guint y;
  gsize i;

  fail_unless (gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, W, H));
  fail_unless (omni_nn_preprocess_params_from_video_info (
      &pre, &info, cw, ch, g->align_corners, g->input_scale, g->input_offset));
  gst_buffer_map (frame, &map, GST_MAP_READ);
  omni_nn_ref_preprocess (&pre, map.data, content);
  gst_buffer_unmap (frame, &map);
  for (i = 0; i < n; i++)
    t[i] = g->input_offset;
  for (y = 0; y < ch; y++)
    memcpy (t + ((gsize) (y + py) * g->input_w + px) * 3,
        content + (gsize) y * cw * 3, cw * 3 * sizeof (gfloat));
  g_free (content);
  return t;
}

/* Every 3rd frame; the outputs are the model's on that very frame (the
 * same session run directly on the frame letterboxed as the sidecar
 * says). */
GST_START_TEST (test_every_nth_frame)
{
  gchar *model = letterboxed_blazeface ();
  gchar *props
      = g_strdup_printf ("backend=cpu inference-interval=3 model=%s", model);
  GstHarness *h = harness (props);
  TestInference *e = element_of (h);
  GstBuffer *frame6 = make_frame (6);
  GError *err = NULL;
  OmniNnSession *s;
  OmniNnInput in = { 0 };
  gfloat *tensor;
  guint i;

  for (i = 0; i < 7; i++)
    gst_buffer_unref (gst_harness_push_and_pull (h, make_frame (i)));
  fail_unless_equals_int (e->n_processed, 3);
  fail_unless_equals_uint64 (g_array_index (e->indices, guint64, 0), 0);
  fail_unless_equals_uint64 (g_array_index (e->indices, guint64, 1), 3);
  fail_unless_equals_uint64 (g_array_index (e->indices, guint64, 2), 6);
  {
    /* 64 x 48 letterboxed into 256 x 256: x4, 32 rows above and below */
    const OmniInferencePlacement *pl
        = gst_omni_inference_get_placement (GST_OMNI_INFERENCE (e));

    fail_unless_equals_int (pl->w, W);
    fail_unless_equals_int (pl->h, H);
    fail_unless_equals_float (pl->scale_x, 4.0);
    fail_unless_equals_float (pl->scale_y, 4.0);
    fail_unless_equals_float (pl->pad_x, 0.0);
    fail_unless_equals_float (pl->pad_y, 32.0);
  }

  s = omni_nn_session_new (model, OMNI_NN_BACKEND_CPU, NULL, &err);
  fail_unless (s != NULL, "%s", err ? err->message : "");
  {
    const OmniNnGraph *g = omni_nn_session_get_model (s)->graph;

    /* the sidecar's normalisation: [-1, 1] */
    fail_unless (fabsf (g->input_offset + 1.0f) < 1e-6f);
    tensor = letterbox_tensor (g, frame6);
  }
  in.tensor = tensor;
  fail_unless (omni_nn_session_run (s, &in, &err));
  for (i = 0; i < omni_nn_session_get_n_outputs (s); i++)
    fail_unless (
        fabsf (e->first[i] - omni_nn_session_get_output (s, i, NULL)[0])
            <= 1e-5f * MAX (1.0f, fabsf (e->first[i])),
        "output %u: %g != %g", i, e->first[i],
        omni_nn_session_get_output (s, i, NULL)[0]);
  g_free (tensor);
  gst_buffer_unref (frame6);
  omni_nn_session_free (s);
  gst_object_unref (e);
  gst_harness_teardown (h);
  remove_letterboxed ();
  g_free (props);
  g_free (model);
}

GST_END_TEST;

/* Once omnisampler's marks are seen, exactly the marked frames. */
GST_START_TEST (test_marked_frames)
{
  GstHarness *h = harness ("backend=cpu");
  TestInference *e = element_of (h);
  guint i;

  for (i = 0; i < 6; i++) {
    GstBuffer *b = make_frame (i);

    if (i == 1 || i == 4)
      omni_buffer_add_sample_meta (b, OMNI_SAMPLE_REASON_INTERVAL, 0, i);
    gst_buffer_unref (gst_harness_push_and_pull (h, b));
  }
  /* frame 0 went by the interval (1) before any mark was seen */
  fail_unless_equals_int (e->n_processed, 3);
  fail_unless_equals_uint64 (g_array_index (e->indices, guint64, 1), 1);
  fail_unless_equals_uint64 (g_array_index (e->indices, guint64, 2), 4);
  gst_object_unref (e);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A missing model: an error at start naming it, no crash. */
GST_START_TEST (test_missing_model)
{
  GstElement *e = gst_element_factory_make ("testinference", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;

  g_object_set (e, "model", "/nonexistent/omni/model.json", NULL);
  gst_element_set_bus (e, bus);
  fail_unless (
      gst_element_set_state (e, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (
      strstr (err->message, "/nonexistent/omni") != NULL, "%s", err->message);
  g_error_free (err);
  gst_message_unref (msg);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_object_unref (e);
}

GST_END_TEST;

/* A 1-channel model (emotion, grey 64 x 64 in [-1, 1]): the frame is
 * pre-processed on the CPU (RGB resized, then luma 0.2989 R + 0.587 G +
 * 0.114 B, then normalised), and the outputs are the model's on that
 * tensor made here. */
GST_START_TEST (test_gray_model)
{
  GstHarness *h = harness ("backend=cpu model=emotion");
  TestInference *e = element_of (h);
  GstBuffer *frame = make_frame (0);
  OmniNnSession *s;
  OmniNnPreprocessParams pre;
  OmniNnInput in = { 0 };
  GError *err = NULL;
  GstVideoInfo info;
  GstMapInfo map;
  gfloat rgb[64 * 64 * 3], grey[64 * 64];
  guint i;

  gst_buffer_unref (gst_harness_push_and_pull (h, gst_buffer_ref (frame)));
  fail_unless_equals_int (e->n_processed, 1);

  s = omni_nn_session_new ("emotion", OMNI_NN_BACKEND_CPU, NULL, &err);
  fail_unless (s != NULL, "%s", err ? err->message : "");
  fail_unless (gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, W, H));
  fail_unless (omni_nn_preprocess_params_from_video_info (
      &pre, &info, 64, 64, FALSE, 1.0f, 0.0f));
  gst_buffer_map (frame, &map, GST_MAP_READ);
  omni_nn_ref_preprocess (&pre, map.data, rgb);
  gst_buffer_unmap (frame, &map);
  for (i = 0; i < 64 * 64; i++)
    grey[i] = (0.2989f * rgb[3 * i] + 0.587f * rgb[3 * i + 1]
                  + 0.114f * rgb[3 * i + 2])
                  * (2.0f / 255.0f)
              - 1.0f;
  in.tensor = grey;
  fail_unless (omni_nn_session_run (s, &in, &err));
  fail_unless (
      fabsf (e->first[0] - omni_nn_session_get_output (s, 0, NULL)[0]) <= 1e-5f,
      "%g != %g", e->first[0], omni_nn_session_get_output (s, 0, NULL)[0]);
  omni_nn_session_free (s);
  gst_buffer_unref (frame);
  gst_object_unref (e);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
omniinference_suite (void)
{
  Suite *s = suite_create ("omniinference");
  TCase *tc = tcase_create ("general");

  gst_element_register (
      NULL, "testinference", GST_RANK_NONE, test_inference_get_type ());
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_every_nth_frame);
  tcase_add_test (tc, test_marked_frames);
  tcase_add_test (tc, test_missing_model);
  tcase_add_test (tc, test_gray_model);
  return s;
}

GST_CHECK_MAIN (omniinference);
