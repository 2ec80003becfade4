/* gst-omni tool: runs an ONNX model (or a cut of one) on one of our
 * backends with float32 inputs read from files, and writes each output as
 * raw float32 (for tools/onnxparity/parity.py: node-by-node comparison
 * with onnxruntime-node).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * usage: onnx-run ref|xnn|vulkan MODEL.onnx OUTDIR [-b NAME=VALUE]... [-n RUNS]
 *            NAME=D0,D1,...:FILE.f32 ...
 * writes OUTDIR/OUTPUT_NAME.f32 for each graph output
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <omni/nn/omninncpu.h>
#include <omni/nn/omninnonnx.h>
#if HAVE_VULKAN
#include <omni/nn/vulkan/omninnvulkan.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const OmniNnBackend *
backend_for (const gchar *name)
{
  if (g_strcmp0 (name, "ref") == 0)
    return omni_nn_cpu_reference_backend ();
  if (g_strcmp0 (name, "xnn") == 0)
    return omni_nn_cpu_backend ();
#if HAVE_VULKAN
  if (g_strcmp0 (name, "vulkan") == 0)
    return omni_nn_vulkan_backend ();
#endif
  return NULL;
}

/* NAME=D0,D1,...:FILE into @c and its values */
static gboolean
parse_input (
    const gchar *arg, OmniNnOnnxConstant *c, gint64 *dims, gfloat **values)
{
  gchar **kv = g_strsplit (arg, "=", 2), **df, **ds;
  gchar *bytes = NULL;
  gsize len = 0;
  guint i;
  gsize n = 1;

  if (!kv[1])
    return FALSE;
  df = g_strsplit (kv[1], ":", 2);
  ds = g_strsplit (df[0], ",", -1);
  c->name = g_strdup (kv[0]);
  c->n_dims = g_strv_length (ds);
  for (i = 0; i < c->n_dims; i++) {
    dims[i] = g_ascii_strtoll (ds[i], NULL, 10);
    n *= dims[i];
  }
  c->dims = dims;
  if (!df[1] || !g_file_get_contents (df[1], &bytes, &len, NULL)
      || len != n * sizeof (gfloat)) {
    g_printerr (
        "onnx-run: %s: cannot read %" G_GSIZE_FORMAT " floats\n", arg, n);
    return FALSE;
  }
  c->values = NULL; /* a run-time input */
  *values = (gfloat *) bytes;
  g_strfreev (kv);
  g_strfreev (df);
  g_strfreev (ds);
  return TRUE;
}

/* the inputs' values packed as @m's input tensor */
static gfloat *
pack (
    OmniNnOnnxModel *m, const OmniNnOnnxConstant *c, gfloat **values, guint n_c)
{
  gfloat *x = g_new0 (gfloat, MAX (m->n_input_values, 1));
  guint i, j;

  for (i = 0; i < m->inputs->len; i++) {
    const OmniNnOnnxInput *in = &g_array_index (m->inputs, OmniNnOnnxInput, i);

    for (j = 0; j < n_c; j++)
      if (g_strcmp0 (c[j].name, in->name) == 0)
        memcpy (x + in->offset, values[j], in->n * sizeof (gfloat));
  }
  return x;
}

static gboolean
run (const OmniNnBackend *b, OmniNnOnnxModel *m, const gfloat *x,
    const gchar *outdir, gint repeat)
{
  GError *err = NULL;
  gpointer st = b->prepare (m->graph, NULL, &err);
  guint n_out = m->graph->outputs->len, i;
  gfloat **outs = g_new0 (gfloat *, n_out);
  OmniNnInput in = { 0 };
  gboolean ok;

  if (!st) {
    g_printerr ("onnx-run: %s\n", err->message);
    return FALSE;
  }
  for (i = 0; i < n_out; i++)
    outs[i] = g_new (gfloat, omni_nn_graph_tensor (m->graph,
                                 omni_nn_graph_output (m->graph, i)->tensor)
                                 ->n_elements);
  in.tensor = x;
  ok = b->run (st, &in, outs, &err);
  for (i = 0; ok && i < (guint) repeat; i++) {
    gint64 t0 = g_get_monotonic_time ();

    ok = b->run (st, &in, outs, &err);
    g_printerr ("onnx-run: run %u: %.1f ms\n", i,
        (g_get_monotonic_time () - t0) / 1000.0);
  }
  if (!ok)
    g_printerr ("onnx-run: %s\n", err->message);
  for (i = 0; ok && i < n_out; i++) {
    const OmniNnOnnxOutput *o
        = &g_array_index (m->outputs, OmniNnOnnxOutput, i);
    gsize n = omni_nn_graph_tensor (
        m->graph, omni_nn_graph_output (m->graph, i)->tensor)
                  ->n_elements;
    gchar *base = g_strdup_printf ("%s.f32", o->name);
    gchar *path = g_build_filename (outdir, base, NULL);

    ok = g_file_set_contents (
        path, (gchar *) outs[i], n * sizeof (gfloat), NULL);
    g_free (base);
    g_free (path);
  }
  for (i = 0; i < n_out; i++)
    g_free (outs[i]);
  g_free (outs);
  b->free (st);
  return ok;
}

int
main (int argc, char **argv)
{
  GPtrArray *bindings = g_ptr_array_new ();
  OmniNnOnnxConstant c[16];
  gint64 dims[16][OMNI_NN_ONNX_MAX_RANK];
  gfloat *values[16];
  guint n_c = 0;
  const OmniNnBackend *b;
  OmniNnOnnxModel *m;
  GError *err = NULL;
  gfloat *x;
  gint i, repeat = 0;
  gboolean ok;

  if (argc < 5 || !(b = backend_for (argv[1]))) {
    g_printerr ("usage: onnx-run ref|xnn|vulkan MODEL OUTDIR [-b N=V]... "
                "NAME=D0,..:FILE...\n");
    return 2;
  }
  for (i = 4; i < argc; i++) {
    if (g_strcmp0 (argv[i], "-b") == 0 && i + 1 < argc)
      g_ptr_array_add (bindings, argv[++i]);
    else if (g_strcmp0 (argv[i], "-n") == 0 && i + 1 < argc)
      repeat = atoi (argv[++i]);
    else if (n_c < G_N_ELEMENTS (c)
             && parse_input (argv[i], &c[n_c], dims[n_c], &values[n_c]))
      n_c++;
    else
      return 2;
  }
  g_ptr_array_add (bindings, NULL);
  m = omni_nn_onnx_load_full (
      argv[2], (const gchar *const *) bindings->pdata, c, n_c, &err);
  if (!m) {
    g_printerr ("onnx-run: %s\n", err->message);
    return 1;
  }
  x = pack (m, c, values, n_c);
  ok = run (b, m, x, argv[3], repeat);
  g_printerr ("onnx-run: %s, %u IR nodes\n", argv[1], m->graph->nodes->len);
  omni_nn_onnx_model_free (m);
  g_free (x);
  g_ptr_array_unref (bindings);
  return ok ? 0 : 1;
}
