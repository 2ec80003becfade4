/* gst-omni bench/vision: ms per inference of nsfwjs' MobileNetV2 in our
 * model runtime (Vulkan backend, e.g. on lavapipe, and the CPU backend:
 * XNNPACK, or the plain-C references with OMNI_NN_CPU_XNNPACK=0) against nsfwjs itself on Node.js with
 * @tensorflow/tfjs-backend-wasm (XNNPACK), same machine, same run, same
 * model, same 224x224 RGB input.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The engines run in interleaved rounds (tfjs, Vulkan, Vulkan with two
 * frames in flight, CPU; again and again), so that a change of load on the
 * machine affects them alike; the medians over all rounds are compared.
 *
 * usage: bench-vision [--iterations N] [--rounds R] [--device SELECTOR]
 *                     [--skip-cpu] [--input FILE.rgb]
 * Needs the nsfw model (tools/omni-fetch-models) and Node.js with
 * tools/node's packages.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <omni/nn/omninncpu.h>
#include <omni/nn/omninnmodel.h>
#include <omni/nn/vulkan/omninnvulkan.h>
#include <math.h>
#include <stdio.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>

#define SIZE 224

typedef struct {
  const gchar *label;
  GArray *ms; /* gdouble, one per inference or per round */
  gfloat probs[5];
  gboolean ok;
} Engine;

static int
cmp_double (const void *a, const void *b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

static void
summarise (GArray *ms, gdouble *mean, gdouble *median, gdouble *min)
{
  guint i;

  *mean = 0;
  for (i = 0; i < ms->len; i++)
    *mean += g_array_index (ms, gdouble, i) / ms->len;
  g_array_sort (ms, cmp_double);
  *median = g_array_index (ms, gdouble, ms->len / 2);
  *min = g_array_index (ms, gdouble, 0);
}

/* ---- nsfwjs on Node.js, serving rounds (bench/vision-tfjs.js) ---------- */

typedef struct {
  GPid pid;
  FILE *in, *out;
} Peer;

static gboolean
peer_start (Peer *peer, const gchar *backend, const gchar *file)
{
  gchar *script
      = g_build_filename (OMNI_SOURCE_DIR, "bench", "vision-tfjs.js", NULL);
  gchar *argv[] = { (gchar *) "node", script, (gchar *) backend, (gchar *) "0",
    (gchar *) file, NULL };
  gint fin, fout;
  GError *err = NULL;
  gchar line[256];

  if (!g_spawn_async_with_pipes (NULL, argv, NULL,
          G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL
              | G_SPAWN_DO_NOT_REAP_CHILD,
          NULL, NULL, &peer->pid, &fin, &fout, NULL, &err)) {
    g_printerr ("node: %s\n", err->message);
    g_error_free (err);
    g_free (script);
    return FALSE;
  }
  g_free (script);
  peer->in = fdopen (fin, "w");
  peer->out = fdopen (fout, "r");
  if (!fgets (line, sizeof (line), peer->out) || !strstr (line, "ready")) {
    g_printerr (
        "tfjs-%s did not start (run tools/omni-fetch-models)\n", backend);
    return FALSE;
  }
  return TRUE;
}

static gboolean
peer_round (Peer *peer, guint n, Engine *e)
{
  GString *line = g_string_new (NULL);
  JsonParser *parser = json_parser_new ();
  gboolean ok = FALSE;
  gint c;

  fprintf (peer->in, "%u\n", n);
  fflush (peer->in);
  while ((c = fgetc (peer->out)) != EOF && c != '\n')
    g_string_append_c (line, c);
  if (json_parser_load_from_data (parser, line->str, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    JsonObject *o = json_node_get_object (json_parser_get_root (parser));
    JsonArray *t = json_object_get_array_member (o, "times");
    JsonArray *p = json_object_get_array_member (o, "probabilities");
    guint i;

    for (i = 0; t && i < json_array_get_length (t); i++) {
      gdouble v = json_array_get_double_element (t, i);

      g_array_append_val (e->ms, v);
    }
    for (i = 0; p && i < 5; i++)
      e->probs[i] = json_array_get_double_element (p, i);
    ok = t && p;
  }
  if (!ok)
    g_printerr ("tfjs: unexpected answer '%s'\n", line->str);
  g_object_unref (parser);
  g_string_free (line, TRUE);
  return ok;
}

static void
peer_stop (Peer *peer)
{
  if (peer->in)
    fclose (peer->in);
  if (peer->out)
    fclose (peer->out);
  if (peer->pid) {
    waitpid (peer->pid, NULL, 0);
    g_spawn_close_pid (peer->pid);
  }
}

/* ---- ours -------------------------------------------------------------- */

static void
frame_input (const OmniNnGraph *g, const guint8 *rgb, OmniNnPreprocessParams *p,
    OmniNnInput *in)
{
  memset (p, 0, sizeof (*p));
  p->layout = OMNI_NN_PIXEL_RGB;
  p->in_w = p->in_h = p->out_w = p->out_h = SIZE;
  p->strides[0] = SIZE * 3;
  p->align_corners = g->align_corners;
  p->scale = g->input_scale;
  p->offset = g->input_offset;
  memset (in, 0, sizeof (*in));
  in->frame_params = p;
  in->frame = rgb;
  in->frame_size = SIZE * SIZE * 3;
}

/* @n calls of @backend->run on the frame: pre-processing, upload and
 * download included. */
static gboolean
backend_round (const OmniNnBackend *backend, gpointer state,
    const OmniNnInput *in, guint n, Engine *e)
{
  gfloat emb[1280];
  gfloat *outs[2] = { e->probs, emb };
  GError *err = NULL;
  guint i;

  for (i = 0; i < n; i++) {
    gint64 t0 = g_get_monotonic_time ();
    gdouble ms;

    if (!backend->run (state, in, outs, &err)) {
      g_printerr ("%s: %s\n", e->label, err->message);
      g_error_free (err);
      return FALSE;
    }
    ms = (g_get_monotonic_time () - t0) / 1000.0;
    g_array_append_val (e->ms, ms);
  }
  return TRUE;
}

/* @n frames with OMNI_NN_VULKAN_MAX_IN_FLIGHT submitted at a time (upload
 * and submission of frame N+1 overlap the compute of frame N): the mean
 * time per frame of the round. */
static gboolean
pipelined_round (OmniNnVulkan *vk, const OmniNnInput *in, guint n, Engine *e)
{
  gfloat emb[1280];
  gfloat *outs[2] = { e->probs, emb };
  GError *err = NULL;
  gint64 t0 = g_get_monotonic_time ();
  guint submitted = 0, done = 0;
  gdouble ms;

  while (done < n) {
    if (submitted < n
        && omni_nn_vulkan_get_n_in_flight (vk) < OMNI_NN_VULKAN_MAX_IN_FLIGHT) {
      if (!omni_nn_vulkan_submit (vk, in, &err))
        goto fail;
      submitted++;
      continue;
    }
    if (!omni_nn_vulkan_collect (vk, outs, &err))
      goto fail;
    done++;
  }
  ms = (g_get_monotonic_time () - t0) / 1000.0 / n;
  g_array_append_val (e->ms, ms);
  return TRUE;
fail:
  g_printerr ("%s: %s\n", e->label, err->message);
  g_error_free (err);
  return FALSE;
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
  guint iterations = 30, rounds = 5, per_round;
  gchar *device = NULL, *input = NULL;
  gboolean skip_cpu = FALSE;
  GOptionEntry entries[]
      = { { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations,
              "Timed inferences per engine (default 30)", "N" },
          { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds,
              "Interleaved rounds they are split into (default 5)", "R" },
          { "device", 'd', 0, G_OPTION_ARG_STRING, &device,
              "Vulkan device (index, kind or name)", "SELECTOR" },
          { "input", 'i', 0, G_OPTION_ARG_FILENAME, &input,
              "224x224 RGB bytes to classify (default: a fixed noise image)",
              "FILE" },
          { "skip-cpu", 0, 0, G_OPTION_ARG_NONE, &skip_cpu,
              "Do not time the CPU backend", NULL },
          { NULL } };
  GOptionContext *ctx
      = g_option_context_new ("- MobileNetV2 (nsfwjs) "
                              "inference: gst-omni vs TensorFlow.js");
  GError *err = NULL;
  OmniNnModel *m;
  guint8 *rgb;
  gchar *file, *vk_label = NULL;
  gint fd;
  Peer peer = { 0 };
  Engine wasm = { "nsfwjs, tfjs-backend-wasm 4.22.0" };
  Engine vk = { "gst-omni Vulkan" }, pipe = { "gst-omni Vulkan, 2 in flight" };
  Engine cpu = { "gst-omni CPU backend" };
  Engine *engines[] = { &wasm, &vk, &pipe, &cpu };
  const OmniNnBackend *vkb = omni_nn_vulkan_backend (),
                      *cpub = omni_nn_cpu_backend ();
  gpointer vk_state = NULL, cpu_state = NULL;
  OmniNnVulkan *vk_pipe = NULL;
  OmniNnPreprocessParams pre;
  OmniNnInput in;
  gsize len;
  guint r, i;
  gdouble mean, median, min, medians[4] = { 0 };

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("%s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);
  rounds = MAX (rounds, 1);
  per_round = MAX (iterations / rounds, 1);

  m = omni_nn_model_load ("nsfw", NULL, NULL, &err);
  if (!m) {
    g_printerr ("%s\n", err->message);
    return 1;
  }
  if (input) {
    if (!g_file_get_contents (input, (gchar **) &rgb, &len, NULL)
        || len != SIZE * SIZE * 3) {
      g_printerr ("%s: need %d bytes of RGB\n", input, SIZE * SIZE * 3);
      return 1;
    }
  } else {
    GRand *gr = g_rand_new_with_seed (2024);

    rgb = g_malloc (SIZE * SIZE * 3);
    for (i = 0; i < SIZE * SIZE * 3; i++)
      rgb[i] = g_rand_int_range (gr, 0, 256);
    g_rand_free (gr);
  }
  fd = g_file_open_tmp ("bench-vision-XXXXXX.rgb", &file, &err);
  if (fd < 0
      || !g_file_set_contents (file, (gchar *) rgb, SIZE * SIZE * 3, &err)) {
    g_printerr ("%s\n", err->message);
    return 1;
  }
  g_close (fd, NULL);
  frame_input (m->graph, rgb, &pre, &in);
  for (i = 0; i < G_N_ELEMENTS (engines); i++)
    engines[i]->ms = g_array_new (FALSE, FALSE, sizeof (gdouble));

  /* set up everything, with two warm-up inferences each */
  wasm.ok = peer_start (&peer, "wasm", file);
  vk_state = vkb->prepare (m->graph, device, &err);
  if (!vk_state) {
    g_printerr ("vulkan: %s\n", err->message);
    g_clear_error (&err);
  } else {
    vk_label
        = g_strdup_printf ("gst-omni Vulkan: %s", vkb->device_name (vk_state));
    vk.label = vk_label;
    vk.ok = backend_round (vkb, vk_state, &in, 2, &vk);
    g_array_set_size (vk.ms, 0);
    vk_pipe = omni_nn_vulkan_new (m->graph, device, NULL);
    pipe.ok = vk_pipe && pipelined_round (vk_pipe, &in, 2, &pipe);
    g_array_set_size (pipe.ms, 0);
  }
  if (!skip_cpu) {
    cpu_state = cpub->prepare (m->graph, NULL, NULL);
    cpu.ok = cpu_state && backend_round (cpub, cpu_state, &in, 2, &cpu);
    g_array_set_size (cpu.ms, 0);
    if (cpu_state)
      g_print ("CPU backend: %s\n", cpub->device_name (cpu_state));
  }

  g_print ("MobileNetV2 224 (nsfwjs 4.4.0), %" G_GUINT64_FORMAT " MACs; %u "
           "rounds of %u inferences per engine, interleaved; pre-processing, "
           "upload and download included\n\n",
      omni_nn_graph_count_macs (m->graph), rounds, per_round);
  for (r = 0; r < rounds; r++) {
    if (wasm.ok)
      wasm.ok = peer_round (&peer, per_round, &wasm);
    if (vk.ok)
      vk.ok = backend_round (vkb, vk_state, &in, per_round, &vk);
    if (pipe.ok)
      pipe.ok = pipelined_round (vk_pipe, &in, per_round, &pipe);
    if (cpu.ok)
      cpu.ok = backend_round (cpub, cpu_state, &in, per_round, &cpu);
  }

  g_print ("%-46s %9s %9s %9s\n", "engine (ms per inference)", "mean", "median",
      "min");
  for (i = 0; i < G_N_ELEMENTS (engines); i++) {
    if (!engines[i]->ok || engines[i]->ms->len == 0)
      continue;
    summarise (engines[i]->ms, &mean, &median, &min);
    medians[i] = median;
    g_print (
        "%-46.46s %9.1f %9.1f %9.1f\n", engines[i]->label, mean, median, min);
  }
  g_print ("\n");
  for (i = 1; i < G_N_ELEMENTS (engines); i++) {
    if (!wasm.ok || !engines[i]->ok)
      continue;
    g_print ("%-36s vs tfjs-wasm: %.2fx (medians), max |p - p_tfjs| = "
             "%.2g\n",
        engines[i]->label, medians[0] / medians[i],
        max_diff (engines[i]->probs, wasm.probs));
  }

  peer_stop (&peer);
  if (vk_state)
    vkb->free (vk_state);
  if (vk_pipe)
    omni_nn_vulkan_free (vk_pipe);
  if (cpu_state)
    cpub->free (cpu_state);
  for (i = 0; i < G_N_ELEMENTS (engines); i++)
    g_array_unref (engines[i]->ms);
  g_unlink (file);
  g_free (file);
  g_free (rgb);
  g_free (vk_label);
  g_free (device);
  g_free (input);
  omni_nn_model_free (m);
  return wasm.ok && vk.ok ? 0 : 1;
}
