/* gst-omni benchmark: PaddleOCR v4 text detector (ONNX), ms per 640x640
 * frame, our runtime (CPU backend and Vulkan) against onnxruntime-node
 * (CPU execution provider, one intra-op thread), in the same run on the
 * same input (a real photograph, normalised as PaddleOCR does).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * usage: bench-ocrdet [RUNS]   (default 5; one warm-up run each, median)
 * Needs tools/omni-fetch-models (paddleocr-det) and node. Run under the
 * heavy lock (scripts/bench does).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <omni/nn/omninncpu.h>
#include <omni/nn/omninnonnx.h>
#if HAVE_VULKAN
#include <omni/nn/vulkan/omninnvulkan.h>
#endif
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>

#define S 640
#define PHOTO "/usr/share/backgrounds/mate/nature/Storm.jpg"

static int
cmp_double (const void *a, const void *b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

static gdouble
median (gdouble *v, guint n)
{
  qsort (v, n, sizeof (gdouble), cmp_double);
  return v[n / 2];
}

/* The photo as PaddleOCR's normalised NCHW tensor, also written to @f32. */
static gfloat *
make_input (const gchar *f32)
{
  static const gfloat mean[3] = { 0.485f, 0.456f, 0.406f };
  static const gfloat std[3] = { 0.229f, 0.224f, 0.225f };
  gchar *rgb = g_strdup_printf ("%s.rgb", f32), *bytes = NULL;
  gchar *cmd = g_strdup_printf ("gst-launch-1.0 -q filesrc location=" PHOTO
                                " ! decodebin ! videoconvert ! videoscale ! "
                                "video/x-raw,format=RGB,width=640,height=640 "
                                "! filesink location='%s'",
      rgb);
  gfloat *x = g_new (gfloat, 3 * S * S);
  gsize len = 0, i;
  guint c;

  if (system (cmd) != 0 || !g_file_get_contents (rgb, &bytes, &len, NULL)
      || len != 3 * S * S) {
    g_printerr ("bench-ocrdet: cannot decode %s\n", PHOTO);
    exit (1);
  }
  for (c = 0; c < 3; c++)
    for (i = 0; i < S * S; i++)
      x[c * S * S + i]
          = ((guint8) bytes[i * 3 + c] / 255.0f - mean[c]) / std[c];
  g_file_set_contents (f32, (gchar *) x, 3 * S * S * 4, NULL);
  g_unlink (rgb);
  g_free (rgb);
  g_free (cmd);
  g_free (bytes);
  return x;
}

static gdouble
run_ours (const OmniNnBackend *b, OmniNnOnnxModel *m, gfloat *x, guint runs)
{
  GError *err = NULL;
  gpointer st = b->prepare (m->graph, NULL, &err);
  gfloat *out = g_new (gfloat, S * S);
  gdouble *ms = g_new (gdouble, runs), med;
  OmniNnInput in = { 0 };
  guint i;

  if (!st) {
    g_printerr ("bench-ocrdet: %s\n", err->message);
    exit (1);
  }
  in.tensor = x;
  b->run (st, &in, &out, NULL); /* warm-up */
  for (i = 0; i < runs; i++) {
    gint64 t0 = g_get_monotonic_time ();

    if (!b->run (st, &in, &out, &err)) {
      g_printerr ("bench-ocrdet: %s\n", err->message);
      exit (1);
    }
    ms[i] = (g_get_monotonic_time () - t0) / 1e3;
  }
  med = median (ms, runs);
  b->free (st);
  g_free (ms);
  g_free (out);
  return med;
}

static gdouble
run_ort (const gchar *model, const gchar *f32, guint runs)
{
  gchar *script = g_build_filename (
      OMNI_SOURCE_DIR, "gst-tests", "data", "onnx-bench.js", NULL);
  gchar *n = g_strdup_printf ("%u", runs), *out = NULL;
  const gchar *argv[]
      = { "node", script, model, "x", f32, "1,3,640,640", n, NULL };
  JsonParser *p = json_parser_new ();
  JsonArray *a;
  gdouble *ms = g_new (gdouble, runs), med;
  gint status;
  guint i;

  if (!g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
          NULL, &out, NULL, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL)
      || !json_parser_load_from_data (p, out, -1, NULL)) {
    g_printerr ("bench-ocrdet: onnxruntime-node failed\n");
    exit (1);
  }
  a = json_object_get_array_member (
      json_node_get_object (json_parser_get_root (p)), "ms");
  for (i = 0; i < runs; i++)
    ms[i] = json_array_get_double_element (a, i);
  med = median (ms, runs);
  g_object_unref (p);
  g_free (ms);
  g_free (out);
  g_free (n);
  g_free (script);
  return med;
}

int
main (int argc, char **argv)
{
  guint runs = argc > 1 ? (guint) MAX (atoi (argv[1]), 1) : 5;
  const gchar *bindings[]
      = { "p2o.DynamicDimension.1=640", "p2o.DynamicDimension.2=640", NULL };
  gint64 dims[4] = { 1, 3, S, S };
  OmniNnOnnxConstant shape = { "x", 4, dims, NULL };
  gchar *f32 = g_build_filename (g_get_tmp_dir (), "bench-ocrdet.f32", NULL);
  GError *err = NULL;
  gchar *model = omni_nn_onnx_resolve ("paddleocr-det", &err);
  OmniNnOnnxModel *m;
  gfloat *x;
  gdouble cpu, vk = 0, ort;

  if (!model
      || !(m = omni_nn_onnx_load_full (model, bindings, &shape, 1, &err))) {
    g_printerr ("bench-ocrdet: %s\n", err->message);
    return 1;
  }
  x = make_input (f32);
  cpu = run_ours (omni_nn_cpu_backend (), m, x, runs);
#if HAVE_VULKAN
  vk = run_ours (omni_nn_vulkan_backend (), m, x, runs);
#endif
  ort = run_ort (model, f32, runs);
  printf ("PaddleOCR v4 det, 640x640, %u IR nodes, %.2f G multiply-adds, "
          "median of %u runs\n",
      m->graph->nodes->len, omni_nn_graph_count_macs (m->graph) / 1e9, runs);
  printf ("  ours, CPU backend:     %8.1f ms\n", cpu);
  if (vk > 0)
    printf ("  ours, Vulkan (lavapipe): %6.1f ms\n", vk);
  printf ("  onnxruntime-node CPU:  %8.1f ms\n", ort);
  printf ("  ratio ours CPU / onnxruntime: %.2f\n", ort / cpu);
  if (vk > 0)
    printf ("  ratio ours Vulkan / onnxruntime: %.2f\n", ort / vk);
  g_unlink (f32);
  g_free (f32);
  g_free (x);
  g_free (model);
  omni_nn_onnx_model_free (m);
  return 0;
}
