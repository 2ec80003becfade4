/* gst-omni: PaddleOCR v4's text detector (ONNX) on our runtime against
 * onnxruntime-node
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Needs paddleocr-det (tools/omni-fetch-models) and the Node.js packages.
 * A real photograph (mate-backgrounds' Storm.jpg) at 640x640 with a line of
 * text drawn over it (GStreamer's textoverlay), normalised as PaddleOCR
 * does ((x / 255 - mean) / std per channel), through our loader on the CPU
 * backend (plain-C references and XNNPACK) and on Vulkan and through
 * onnxruntime-node: the probability maps agree within 1e-4 relative on all
 * three, the metric being max |ours - ort| / max (|ort|, 1e-2) over the
 * 640x640 map (relative to onnxruntime's value, floored at 1e-2 where the
 * probability is near 0); the text/no-text maps at 0.3 are identical, and
 * the text line is found. Measured: plain C 6.9e-5, XNNPACK 7.0e-5, Vulkan
 * 6.8e-5 (before the convolutions summed in onnxruntime's blocks of input
 * channels with the bias last: 1.3e-4 and 2.0e-4; docs/onnx.md, "Parity",
 * tools/onnxparity/ finds where ours and onnxruntime's differ).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <omni/nn/omninncpu.h>
#include <omni/nn/omninnonnx.h>
#if HAVE_VULKAN
#include <omni/nn/vulkan/omninnvulkan.h>
#endif
#include <math.h>
#include <string.h>

#define S 640
#define PHOTO "/usr/share/backgrounds/mate/nature/Storm.jpg"
#define REL_TOL 1e-4

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

/* The photo with a text line, as PaddleOCR's normalised NCHW tensor,
 * written to @f32. */
static gfloat *
make_input (const gchar *f32)
{
  static const gfloat mean[3] = { 0.485f, 0.456f, 0.406f };
  static const gfloat std[3] = { 0.229f, 0.224f, 0.225f };
  gchar *rgb = g_strdup_printf ("%s.rgb", f32), *loc, *bytes = NULL;
  gsize len = 0, i;
  gfloat *x = g_new (gfloat, 3 * S * S);
  guint c;
  const gchar *argv[] = { "gst-launch-1.0", "-q", "filesrc", "location=" PHOTO,
    "!", "decodebin", "!", "videoconvert", "!", "videoscale", "!",
    "video/x-raw,width=640,height=640", "!", "textoverlay",
    "text=Storm warning: stay indoors", "font-desc=Sans Bold 36",
    "valignment=center", "halignment=center", "!", "videoconvert", "!",
    "video/x-raw,format=RGB", "!", "filesink", NULL, NULL };

  loc = g_strdup_printf ("location=%s", rgb);
  argv[24] = loc;
  spawn (argv, NULL);
  fail_unless (g_file_get_contents (rgb, &bytes, &len, NULL));
  fail_unless_equals_int (len, 3 * S * S);
  for (c = 0; c < 3; c++)
    for (i = 0; i < S * S; i++)
      x[c * S * S + i]
          = ((guint8) bytes[i * 3 + c] / 255.0f - mean[c]) / std[c];
  fail_unless (g_file_set_contents (f32, (gchar *) x, 3 * S * S * 4, NULL));
  g_unlink (rgb);
  g_free (rgb);
  g_free (loc);
  g_free (bytes);
  return x;
}

static gfloat *
reference (const gchar *model, const gchar *f32)
{
  gchar *script = source_path ("gst-tests/data/onnx-reference.js");
  const gchar *argv[]
      = { "node", script, model, "x", f32, "1,3,640,640", NULL };
  gchar *out = NULL;
  JsonParser *p = json_parser_new ();
  JsonArray *a;
  gfloat *v = g_new (gfloat, S * S);
  guint i;

  spawn (argv, &out);
  fail_unless (json_parser_load_from_data (p, out, -1, NULL));
  a = json_object_get_array_member (
      json_object_get_object_member (
          json_node_get_object (json_parser_get_root (p)), "sigmoid_0.tmp_0"),
      "values");
  fail_unless_equals_int (json_array_get_length (a), S * S);
  for (i = 0; i < S * S; i++)
    v[i] = (gfloat) json_array_get_double_element (a, i);
  g_object_unref (p);
  g_free (out);
  g_free (script);
  return v;
}

static void
parity (const OmniNnBackend *backend, gdouble tol)
{
  const gchar *bindings[]
      = { "p2o.DynamicDimension.1=640", "p2o.DynamicDimension.2=640", NULL };
  gint64 dims[4] = { 1, 3, S, S };
  OmniNnOnnxConstant shape = { "x", 4, dims, NULL };
  GError *err = NULL;
  gchar *path = omni_nn_onnx_resolve ("paddleocr-det", &err), *f32;
  OmniNnOnnxModel *m;
  gfloat *x, *want, *got = g_new (gfloat, S * S);
  OmniNnInput in = { 0 };
  gpointer st;
  gdouble worst = 0;
  guint i, text = 0, text_ours = 0, rows_lo = S, rows_hi = 0;

  fail_unless (path != NULL, "%s", err ? err->message : "?");
  fail_unless (omni_nn_onnx_verify (path, FALSE, NULL, NULL, &err), "%s",
      err ? err->message : "?");
  m = omni_nn_onnx_load_full (path, bindings, &shape, 1, &err);
  fail_unless (m != NULL, "%s", err ? err->message : "?");
  f32 = g_build_filename (g_get_tmp_dir (), "onnxocrdet.f32", NULL);
  x = make_input (f32);
  want = reference (path, f32);
  st = backend->prepare (m->graph, NULL, &err);
  fail_unless (st != NULL, "%s", err ? err->message : "?");
  in.tensor = x;
  fail_unless (
      backend->run (st, &in, &got, &err), "%s", err ? err->message : "?");
  for (i = 0; i < S * S; i++) {
    gdouble rel = fabs (got[i] - want[i]) / MAX (fabs (want[i]), 1e-2);

    worst = MAX (worst, rel);
    fail_unless (
        rel <= tol, "pixel %u: %.7f, onnxruntime %.7f", i, got[i], want[i]);
    text += want[i] > 0.3f;
    text_ours += got[i] > 0.3f;
    if (want[i] > 0.3f) {
      rows_lo = MIN (rows_lo, i / S);
      rows_hi = MAX (rows_hi, i / S);
    }
  }
  g_print ("%s: worst relative difference %.2e; %u text pixels (> 0.3), "
           "onnxruntime %u, rows %u..%u\n",
      backend->name, worst, text_ours, text, rows_lo, rows_hi);
  fail_unless_equals_int (text_ours, text);
  /* the line drawn in the middle (36 pt, about 50 px high) */
  fail_unless (text > 2000);
  fail_unless (rows_lo > 200 && rows_hi < 440);
  backend->free (st);
  omni_nn_onnx_model_free (m);
  g_unlink (f32);
  g_free (f32);
  g_free (x);
  g_free (want);
  g_free (got);
  g_free (path);
}

GST_START_TEST (test_parity_cpu)
{
  parity (omni_nn_cpu_reference_backend (), REL_TOL);
}

GST_END_TEST;

#if HAVE_XNNPACK
/* The CPU backend's fast paths (XNNPACK) sum in float32 in onnxruntime's
 * blocks (omninnxnn.c, XNN_SUM_BLOCK): within REL_TOL of onnxruntime. */
GST_START_TEST (test_parity_cpu_fast)
{
  fail_unless (omni_nn_cpu_has_xnnpack ());
  parity (omni_nn_cpu_backend (), REL_TOL);
}

GST_END_TEST;
#endif

#if HAVE_VULKAN
GST_START_TEST (test_parity_vulkan)
{
  parity (omni_nn_vulkan_backend (), REL_TOL);
}

GST_END_TEST;
#endif

static Suite *
onnxocrdet_suite (void)
{
  Suite *s = suite_create ("onnxocrdet");
  TCase *tc = tcase_create ("paddleocr");

  tcase_set_timeout (tc, 600);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_parity_cpu);
#if HAVE_XNNPACK
  tcase_add_test (tc, test_parity_cpu_fast);
#endif
#if HAVE_VULKAN
  tcase_add_test (tc, test_parity_vulkan);
#endif
  return s;
}

GST_CHECK_MAIN (onnxocrdet);
