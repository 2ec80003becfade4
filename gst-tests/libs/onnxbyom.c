/* gst-omni: "bring your own ONNX model" (docs/onnx.md), end to end
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A small image classifier is built in the test with ONNX's own Python
 * helpers (Debian's python3-onnx, gst-tests/data/make-onnx-classifier.py)
 * with its sidecar and SHA256SUMS, then run the way every element runs a
 * model, through OmniNnSession, on a real photograph (mate-backgrounds)
 * given as a video frame: the scores equal onnxruntime-node's on the same
 * pre-processed tensor within 1e-4 relative, on the CPU backend and on
 * Vulkan; the sidecar's labels and output meaning are applied. The same
 * model in omnivisionenc (model=DIR) gives the same scores as its
 * OmniClassMeta.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <omni/meta/omniclassmeta.h>
#include <omni/nn/omninnonnx.h>
#include <omni/nn/omninnsession.h>
#include <math.h>
#include <string.h>

#define W 48
#define H 32
#define PHOTO "/usr/share/backgrounds/mate/nature/Storm.jpg"

static gchar *
source_path (const gchar *rel)
{
  const gchar *root = g_getenv ("OMNI_SOURCE_ROOT");

  return g_build_filename (root ? root : "..", rel, NULL);
}

static void
spawn (const gchar *const *argv, gchar **out)
{
  gchar *err = NULL;
  gint status = -1;

  fail_unless (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH,
      NULL, NULL, out, &err, &status, NULL));
  fail_unless (
      g_spawn_check_wait_status (status, NULL), "%s: %s", argv[0], err);
  g_free (err);
}

/* The model directory and the photo as a W x H RGB frame. */
static gchar *
prepare (guint8 **frame)
{
  gchar *dir = g_dir_make_tmp ("onnxbyom-XXXXXX", NULL);
  gchar *script = source_path ("gst-tests/data/make-onnx-classifier.py");
  gchar *rgb = g_build_filename (dir, "frame.rgb", NULL);
  gchar *loc = g_strdup_printf ("location=%s", rgb);
  gchar *caps
      = g_strdup_printf ("video/x-raw,format=RGB,width=%d,height=%d", W, H);
  const gchar *mk[] = { "/usr/bin/python3", script, dir, NULL };
  const gchar *dec[] = { "gst-launch-1.0", "-q", "filesrc", "location=" PHOTO,
    "!", "decodebin", "!", "videoconvert", "!", "videoscale", "!", caps, "!",
    "filesink", loc, NULL };
  gsize len = 0;

  spawn (mk, NULL);
  spawn (dec, NULL);
  fail_unless (g_file_get_contents (rgb, (gchar **) frame, &len, NULL));
  fail_unless_equals_int (len, W * H * 3);
  g_unlink (rgb);
  g_free (rgb);
  g_free (loc);
  g_free (caps);
  g_free (script);
  return dir;
}

/* onnxruntime-node's scores for the frame as the model's NCHW input. */
static void
reference (const gchar *dir, const guint8 *frame, gfloat want[4])
{
  gchar *model = g_build_filename (dir, "model.onnx", NULL);
  gchar *f32 = g_build_filename (dir, "input.f32", NULL);
  gchar *script = source_path ("gst-tests/data/onnx-reference.js");
  const gchar *argv[]
      = { "node", script, model, "image", f32, "1,3,32,48", NULL };
  gfloat *x = g_new (gfloat, 3 * W * H);
  gchar *out = NULL;
  JsonParser *p = json_parser_new ();
  JsonArray *a;
  guint c, i;

  for (c = 0; c < 3; c++)
    for (i = 0; i < W * H; i++)
      x[c * W * H + i] = frame[i * 3 + c] * (1.0f / 255.0f);
  fail_unless (g_file_set_contents (f32, (gchar *) x, 3 * W * H * 4, NULL));
  spawn (argv, &out);
  fail_unless (json_parser_load_from_data (p, out, -1, NULL));
  a = json_object_get_array_member (
      json_object_get_object_member (
          json_node_get_object (json_parser_get_root (p)), "scores"),
      "values");
  fail_unless_equals_int (json_array_get_length (a), 4);
  for (i = 0; i < 4; i++)
    want[i] = (gfloat) json_array_get_double_element (a, i);
  g_unlink (f32);
  g_object_unref (p);
  g_free (out);
  g_free (x);
  g_free (script);
  g_free (f32);
  g_free (model);
}

static void remove_dir (gchar *dir);

static void
byom (OmniNnBackendChoice choice)
{
  guint8 *frame = NULL;
  gchar *dir = prepare (&frame);
  GError *err = NULL;
  OmniNnSession *s = omni_nn_session_new (dir, choice, NULL, &err);
  const OmniNnModel *m;
  OmniNnPreprocessParams fp;
  OmniNnInput in = { 0 };
  GstVideoInfo vi;
  gfloat want[4];
  const gfloat *got;
  gsize n = 0;
  gint k;
  guint i;

  fail_unless (s != NULL, "%s", err ? err->message : "?");
  m = omni_nn_session_get_model (s);
  fail_unless (m->verified);
  fail_unless_equals_int (m->n_labels, 4);
  fail_unless_equals_string (m->labels[0], "red");
  k = omni_nn_session_find_output (s, "probabilities");
  fail_unless (k >= 0);
  gst_video_info_set_format (&vi, GST_VIDEO_FORMAT_RGB, W, H);
  fail_unless (omni_nn_preprocess_params_from_video_info (&fp, &vi, W, H,
      m->graph->align_corners, m->graph->input_scale, m->graph->input_offset));
  in.frame_params = &fp;
  in.frame = frame;
  in.frame_size = W * H * 3;
  fail_unless (
      omni_nn_session_run (s, &in, &err), "%s", err ? err->message : "?");
  got = omni_nn_session_get_output (s, (guint) k, &n);
  fail_unless_equals_int (n, 4);
  reference (dir, frame, want);
  for (i = 0; i < 4; i++) {
    gdouble rel = fabs (got[i] - want[i]) / MAX (fabs (want[i]), 1e-2);

    fail_unless (
        rel <= 1e-4, "score %u: %.7f, onnxruntime %.7f", i, got[i], want[i]);
  }
  g_print ("%s: %s scores %.5f %.5f %.5f %.5f (onnxruntime %.5f %.5f %.5f "
           "%.5f)\n",
      omni_nn_session_get_backend (s)->name, PHOTO, got[0], got[1], got[2],
      got[3], want[0], want[1], want[2], want[3]);
  omni_nn_session_free (s);
  remove_dir (dir);
  g_free (frame);
}

GST_START_TEST (test_byom_cpu)
{
  byom (OMNI_NN_BACKEND_CPU);
}

GST_END_TEST;

#if HAVE_VULKAN
GST_START_TEST (test_byom_vulkan)
{
  byom (OMNI_NN_BACKEND_VULKAN);
}

GST_END_TEST;
#endif

static void
remove_dir (gchar *dir)
{
  const gchar *names[] = { "model.onnx", "model-info.json", "SHA256SUMS" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    gchar *f = g_build_filename (dir, names[i], NULL);

    g_unlink (f);
    g_free (f);
  }
  g_rmdir (dir);
  g_free (dir);
}

/* omnivisionenc with the model directory: class scores as a meta. */
GST_START_TEST (test_byom_visionenc)
{
  guint8 *frame = NULL;
  gchar *dir = prepare (&frame), *base = g_path_get_basename (dir);
  GstElement *e = gst_element_factory_make ("omnivisionenc", NULL);
  GstHarness *h;
  GstBuffer *in, *out;
  OmniClassMeta *cm;
  gfloat want[4];
  guint i;

  fail_unless (e != NULL);
  gst_util_set_object_arg (G_OBJECT (e), "backend", "cpu");
  g_object_set (e, "model", dir, "inference-interval", 1, NULL);
  h = gst_harness_new_with_element (e, "sink", "src");
  gst_object_unref (e);
  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=48,height=32,framerate=25/1");
  in = gst_buffer_new_memdup (frame, W * H * 3);
  GST_BUFFER_PTS (in) = 0;
  out = gst_harness_push_and_pull (h, in);
  fail_unless (out != NULL);
  cm = omni_buffer_get_class_meta (out);
  fail_unless (cm != NULL, "no OmniClassMeta");
  fail_unless_equals_string (cm->model_id, base);
  fail_unless_equals_int (cm->n_classes, 4);
  fail_unless_equals_string (cm->labels[2], "blue");
  reference (dir, frame, want);
  for (i = 0; i < 4; i++)
    fail_unless (fabs (cm->scores[i] - want[i]) <= 1e-4 * MAX (want[i], 1e-2),
        "score %u: %.7f, onnxruntime %.7f", i, cm->scores[i], want[i]);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
  remove_dir (dir);
  g_free (base);
  g_free (frame);
}

GST_END_TEST;

static Suite *
onnxbyom_suite (void)
{
  Suite *s = suite_create ("onnxbyom");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_byom_cpu);
#if HAVE_VULKAN
  tcase_add_test (tc, test_byom_vulkan);
#endif
  tcase_add_test (tc, test_byom_visionenc);
  return s;
}

GST_CHECK_MAIN (onnxbyom);
