/* gst-omni bench/vision: ms per inference of nsfwjs' MobileNetV2 in our
 * model runtime (Vulkan backend, e.g. on lavapipe, and the plain-C CPU
 * reference) against nsfwjs itself on Node.js with
 * @tensorflow/tfjs-backend-wasm (XNNPACK), same machine, same run, same
 * model, same 224x224 RGB input.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * usage: bench-vision [--iterations N] [--device SELECTOR] [--skip-cpu]
 *                     [--input FILE.rgb]
 * Needs the nsfw model (tools/omni-fetch-models) and Node.js with
 * tools/node's packages. Run it niced on a quiet machine: scripts/bench.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <omni/nn/omninncpu.h>
#include <omni/nn/omninnmodel.h>
#include <omni/nn/omninnvulkan.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SIZE 224

typedef struct {
  gdouble mean, median, min;
} Timing;

static int
cmp_double (const void *a, const void *b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

static Timing
summarise (gdouble *ms, guint n)
{
  Timing t = { 0 };
  guint i;

  for (i = 0; i < n; i++)
    t.mean += ms[i] / n;
  qsort (ms, n, sizeof (gdouble), cmp_double);
  t.median = ms[n / 2];
  t.min = ms[0];
  return t;
}

/* Times @backend->run on the frame, pre-processing, upload and download
 * included. */
static gboolean
time_backend (const OmniNnBackend *backend, const OmniNnGraph *g,
    const gchar *device, const guint8 *rgb, guint iterations, Timing *t,
    gfloat *probs, gchar **device_name)
{
  GError *err = NULL;
  gpointer s = backend->prepare (g, device, &err);
  OmniNnPreprocessParams p = { 0 };
  OmniNnInput in = { 0 };
  gfloat *emb = g_new (gfloat, 1280);
  gfloat *outs[2] = { probs, emb };
  gdouble *ms = g_new (gdouble, iterations);
  guint i;

  if (!s) {
    g_printerr ("%s backend: %s\n", backend->name, err->message);
    g_error_free (err);
    g_free (emb);
    g_free (ms);
    return FALSE;
  }
  *device_name = g_strdup (backend->device_name (s));
  p.layout = OMNI_NN_PIXEL_RGB;
  p.in_w = p.in_h = p.out_w = p.out_h = SIZE;
  p.strides[0] = SIZE * 3;
  p.align_corners = g->align_corners;
  p.scale = g->input_scale;
  p.offset = g->input_offset;
  in.frame_params = &p;
  in.frame = rgb;
  in.frame_size = SIZE * SIZE * 3;
  for (i = 0; i < iterations + 2; i++) {
    gint64 t0 = g_get_monotonic_time ();

    if (!backend->run (s, &in, outs, &err)) {
      g_printerr ("%s backend: %s\n", backend->name, err->message);
      g_error_free (err);
      backend->free (s);
      g_free (emb);
      g_free (ms);
      return FALSE;
    }
    /* the first two are warm-up */
    if (i >= 2)
      ms[i - 2] = (g_get_monotonic_time () - t0) / 1000.0;
  }
  *t = summarise (ms, iterations);
  backend->free (s);
  g_free (emb);
  g_free (ms);
  return TRUE;
}

/* Vulkan throughput with two inferences in flight: the upload and submit of
 * frame N+1 overlap the compute of frame N. */
static gboolean
time_vulkan_pipelined (const OmniNnGraph *g, const gchar *device,
    const guint8 *rgb, guint iterations, gdouble *ms_per_frame)
{
  GError *err = NULL;
  OmniNnVulkan *vk = omni_nn_vulkan_new (g, device, &err);
  OmniNnPreprocessParams p = { 0 };
  OmniNnInput in = { 0 };
  gfloat probs[5], *emb = g_new (gfloat, 1280);
  gfloat *outs[2] = { probs, emb };
  gint64 t0 = 0;
  guint i, done = 0;
  gboolean ok = TRUE;

  if (!vk) {
    g_printerr ("vulkan: %s\n", err->message);
    g_error_free (err);
    g_free (emb);
    return FALSE;
  }
  p.layout = OMNI_NN_PIXEL_RGB;
  p.in_w = p.in_h = p.out_w = p.out_h = SIZE;
  p.strides[0] = SIZE * 3;
  p.align_corners = g->align_corners;
  p.scale = g->input_scale;
  p.offset = g->input_offset;
  in.frame_params = &p;
  in.frame = rgb;
  in.frame_size = SIZE * SIZE * 3;
  /* one warm-up, then keep OMNI_NN_VULKAN_MAX_IN_FLIGHT submitted */
  ok = omni_nn_vulkan_run (vk, &in, outs, &err);
  for (i = 0; ok && done < iterations; i++) {
    if (i == 0)
      t0 = g_get_monotonic_time ();
    if (i < iterations)
      ok = omni_nn_vulkan_submit (vk, &in, &err);
    if (ok
        && (omni_nn_vulkan_get_n_in_flight (vk) == OMNI_NN_VULKAN_MAX_IN_FLIGHT
            || i >= iterations)) {
      ok = omni_nn_vulkan_collect (vk, outs, &err);
      done++;
    }
  }
  if (!ok) {
    g_printerr ("vulkan pipelined: %s\n", err ? err->message : "?");
    g_clear_error (&err);
  } else {
    *ms_per_frame = (g_get_monotonic_time () - t0) / 1000.0 / iterations;
  }
  omni_nn_vulkan_free (vk);
  g_free (emb);
  return ok;
}

static gboolean
time_tfjs (const gchar *backend, const gchar *file, guint iterations, Timing *t,
    gfloat *probs)
{
  gchar *script
      = g_build_filename (OMNI_SOURCE_DIR, "bench", "vision-tfjs.js", NULL);
  gchar *iters = g_strdup_printf ("%u", iterations);
  gchar *argv[] = { (gchar *) "node", script, (gchar *) backend, iters,
    (gchar *) file, NULL };
  gchar *out = NULL, *errout = NULL;
  gint status;
  GError *err = NULL;
  JsonParser *parser = NULL;
  gboolean ok = FALSE;

  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
          &errout, &status, &err)) {
    g_printerr ("tfjs-%s: %s\n", backend, err->message);
    g_error_free (err);
  } else if (!g_spawn_check_wait_status (status, NULL)) {
    g_printerr (
        "tfjs-%s failed (run tools/omni-fetch-models): %s\n", backend, errout);
  } else {
    JsonObject *o;
    JsonArray *p;
    guint i;

    parser = json_parser_new ();
    if (json_parser_load_from_data (parser, out, -1, NULL)
        && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
      o = json_node_get_object (json_parser_get_root (parser));
      t->mean = json_object_get_double_member (o, "mean_ms");
      t->median = json_object_get_double_member (o, "median_ms");
      t->min = json_object_get_double_member (o, "min_ms");
      p = json_object_get_array_member (o, "probabilities");
      for (i = 0; i < 5; i++)
        probs[i] = json_array_get_double_element (p, i);
      ok = TRUE;
    } else {
      g_printerr ("tfjs-%s: unexpected output: %s\n", backend, out);
    }
  }
  if (parser)
    g_object_unref (parser);
  g_free (out);
  g_free (errout);
  g_free (iters);
  g_free (script);
  return ok;
}

static gfloat
max_diff (const gfloat *a, const gfloat *b)
{
  gfloat m = 0;
  guint i;

  for (i = 0; i < 5; i++)
    m = MAX (m, fabsf (a[i] - b[i]));
  return m;
}

int
main (int argc, char **argv)
{
  guint iterations = 20;
  gchar *device = NULL, *input = NULL;
  gboolean skip_cpu = FALSE;
  GOptionEntry entries[]
      = { { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations,
              "Timed inferences per engine (default 20)", "N" },
          { "device", 'd', 0, G_OPTION_ARG_STRING, &device,
              "Vulkan device (index, kind or name)", "SELECTOR" },
          { "input", 'i', 0, G_OPTION_ARG_FILENAME, &input,
              "224x224 RGB bytes to classify (default: a fixed noise image)",
              "FILE" },
          { "skip-cpu", 0, 0, G_OPTION_ARG_NONE, &skip_cpu,
              "Do not time the plain-C CPU reference", NULL },
          { NULL } };
  GOptionContext *ctx
      = g_option_context_new ("- MobileNetV2 (nsfwjs) "
                              "inference: gst-omni vs TensorFlow.js");
  GError *err = NULL;
  OmniNnModel *m;
  guint8 *rgb;
  gchar *file;
  gint fd;
  Timing wasm = { 0 }, vk = { 0 }, cpu = { 0 };
  gfloat p_wasm[5], p_vk[5], p_cpu[5];
  gdouble pipelined = 0;
  gchar *vk_name = NULL, *cpu_name = NULL;
  gboolean have_wasm, have_vk, have_cpu = FALSE, have_pipe = FALSE;
  gsize len;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("%s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);
  if (iterations < 1)
    iterations = 1;

  m = omni_nn_model_load ("nsfw", NULL, NULL, &err);
  if (!m) {
    g_printerr ("%s\n", err->message);
    return 1;
  }
  if (input) {
    if (!g_file_get_contents (input, (gchar **) &rgb, &len, &err)
        || len != SIZE * SIZE * 3) {
      g_printerr ("%s: need %d bytes of RGB\n", input, SIZE * SIZE * 3);
      return 1;
    }
  } else {
    GRand *r = g_rand_new_with_seed (2024);
    guint i;

    rgb = g_malloc (SIZE * SIZE * 3);
    for (i = 0; i < SIZE * SIZE * 3; i++)
      rgb[i] = g_rand_int_range (r, 0, 256);
    g_rand_free (r);
  }
  fd = g_file_open_tmp ("bench-vision-XXXXXX.rgb", &file, &err);
  if (fd < 0
      || !g_file_set_contents (file, (gchar *) rgb, SIZE * SIZE * 3, &err)) {
    g_printerr ("%s\n", err->message);
    return 1;
  }
  g_close (fd, NULL);

  g_print ("MobileNetV2 224 (nsfwjs 4.4.0), %" G_GUINT64_FORMAT " MACs, %u "
           "timed inferences each, pre-processing, upload and download "
           "included\n\n",
      omni_nn_graph_count_macs (m->graph), iterations);

  have_wasm = time_tfjs ("wasm", file, iterations, &wasm, p_wasm);
  have_vk = time_backend (omni_nn_vulkan_backend (), m->graph, device, rgb,
      iterations, &vk, p_vk, &vk_name);
  if (have_vk)
    have_pipe
        = time_vulkan_pipelined (m->graph, device, rgb, iterations, &pipelined);
  if (!skip_cpu)
    have_cpu = time_backend (omni_nn_cpu_backend (), m->graph, NULL, rgb,
        iterations, &cpu, p_cpu, &cpu_name);

  g_print ("%-44s %9s %9s %9s\n", "engine", "mean ms", "median", "min");
  if (have_wasm)
    g_print ("%-44s %9.1f %9.1f %9.1f\n", "nsfwjs, tfjs-backend-wasm 4.22.0",
        wasm.mean, wasm.median, wasm.min);
  if (have_vk) {
    gchar *label = g_strdup_printf ("gst-omni Vulkan: %s", vk_name);

    g_print ("%-44.44s %9.1f %9.1f %9.1f\n", label, vk.mean, vk.median, vk.min);
    g_free (label);
  }
  if (have_pipe)
    g_print ("%-44s %9.1f\n", "gst-omni Vulkan, 2 frames in flight", pipelined);
  if (have_cpu)
    g_print ("%-44s %9.1f %9.1f %9.1f\n", "gst-omni CPU (plain-C reference)",
        cpu.mean, cpu.median, cpu.min);
  g_print ("\n");
  if (have_wasm && have_vk) {
    g_print ("speed-up of gst-omni Vulkan over tfjs-wasm (median): %.2fx\n",
        wasm.median / vk.median);
    g_print ("max |p_vulkan - p_tfjs| = %.2g\n", max_diff (p_vk, p_wasm));
  }
  if (have_wasm && have_pipe)
    g_print (
        "speed-up, Vulkan with 2 in flight: %.2fx\n", wasm.median / pipelined);
  if (have_wasm && have_cpu) {
    g_print ("speed-up of gst-omni CPU over tfjs-wasm (median): %.2fx\n",
        wasm.median / cpu.median);
    g_print ("max |p_cpu - p_tfjs| = %.2g\n", max_diff (p_cpu, p_wasm));
  }

  g_unlink (file);
  g_free (file);
  g_free (rgb);
  g_free (vk_name);
  g_free (cpu_name);
  g_free (device);
  g_free (input);
  omni_nn_model_free (m);
  return have_wasm && have_vk ? 0 : 1;
}
