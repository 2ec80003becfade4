/* gst-omni: ONNX's own backend node tests on the CPU backend and on Vulkan
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Debian's libonnx-testdata ships ONNX's backend node tests: one directory
 * per case with model.onnx and test_data_set_0/{input,output}_N.pb. Every
 * case whose ops the loader supports is loaded (omni_nn_onnx_load_full()),
 * run on the backend, and its outputs compared with ONNX's expected ones
 * with ONNX's own tolerance: onnx/backend/test/runner (1.12) compares with
 * numpy.testing.assert_allclose (rtol = 1e-3, atol = 1e-7), i.e.
 * |got - want| <= 1e-7 + 1e-3 * |want|, NaN equal to NaN.
 *
 * Inputs the runtime takes as constants are bound at load, as an exported
 * model holds them as initializers: every input that is not float32
 * (indices, shapes, axes), and, when the loader asks for constant weights
 * (Conv's W, MatMul's B, Gemm's B and C, ...), every input but the first.
 * A case is skipped when the loader refuses it (unsupported op, attribute,
 * type or opset: the reason is printed); every case it accepts must pass.
 *
 * Prints per op: passed / run / skipped (reasons). OMNI_ONNX_NODE_TESTS
 * overrides the directory; OMNI_ONNX_CASES=substring runs only the cases
 * whose name contains it (for debugging).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <omni/nn/omninncpu.h>
#include <omni/nn/omninnonnx.h>
#if HAVE_VULKAN
#include <omni/nn/vulkan/omninnvulkan.h>
#endif
#include <math.h>
#include <string.h>

#define NODE_TESTS "/usr/share/libonnx-testdata/data/node"
#define RTOL 1e-3
#define ATOL 1e-7

/* The fewest cases each backend must run and pass (all of them pass; this
 * only guards against a loader that silently refuses everything). */
#define MIN_RUN 300

typedef struct {
  guint passed, run, skipped;
  GString *reasons;
} OpStats;

typedef struct {
  gfloat *values;
  guint n_dims;
  gint64 dims[OMNI_NN_ONNX_MAX_RANK];
  gint type;
  gsize n;
} Tensor;

static void
op_stats_free (gpointer p)
{
  OpStats *s = p;

  g_string_free (s->reasons, TRUE);
  g_free (s);
}

static OpStats *
stats_for (GHashTable *t, const gchar *op)
{
  OpStats *s = g_hash_table_lookup (t, op);

  if (!s) {
    s = g_new0 (OpStats, 1);
    s->reasons = g_string_new (NULL);
    g_hash_table_insert (t, g_strdup (op), s);
  }
  return s;
}

/* "ReduceMean" -> "reducemean", to match case names without underscores. */
static gchar *
squash (const gchar *s)
{
  GString *o = g_string_new (NULL);

  for (; *s; s++)
    if (*s != '_')
      g_string_append_c (o, g_ascii_tolower (*s));
  return g_string_free (o, FALSE);
}

/* The op a case tests: the model's op whose name starts the case name
 * (test_reduce_mean_... -> ReduceMean), a supported op named there
 * (expanded functions: test_softmax_axis_0_expanded -> Softmax), else its
 * first op that is not Constant. */
static gchar *
case_op (const gchar *case_name, gchar **ops)
{
  gchar *name = squash (case_name + 5), *best = NULL;
  guint i, best_len = 0;

  for (i = 0; ops[i]; i++) {
    gchar *o = squash (ops[i]);

    if (g_str_has_prefix (name, o) && strlen (o) > best_len) {
      best = ops[i];
      best_len = (guint) strlen (o);
    }
    g_free (o);
  }
  g_free (name);
  if (best)
    return g_strdup (best);
  if (g_str_has_suffix (case_name, "_expanded")) {
    static const gchar *const fns[]
        = { "Softmax", "LogSoftmax", "HardSwish", "HardSigmoid", "Relu",
            "LeakyRelu", "Elu", "Clip", "Softplus", "Pow", NULL };
    gchar *n2 = squash (case_name + 5);

    for (i = 0; fns[i]; i++) {
      gchar *o = squash (fns[i]);
      gboolean hit = g_str_has_prefix (n2, o);

      g_free (o);
      if (hit) {
        g_free (n2);
        return g_strdup_printf ("%s (expanded)", fns[i]);
      }
    }
    g_free (n2);
  }
  for (i = 0; ops[i]; i++)
    if (strcmp (ops[i], "Constant"))
      return g_strdup (ops[i]);
  return g_strdup (ops[0] ? ops[0] : "?");
}

static gboolean
read_tensor (
    const gchar *dir, const gchar *kind, guint i, Tensor *t, GError **error)
{
  gchar *file = g_strdup_printf ("%s/test_data_set_0/%s_%u.pb", dir, kind, i);

  t->values = omni_nn_onnx_read_tensor (
      file, &t->n_dims, t->dims, &t->type, &t->n, error);
  g_free (file);
  return t->values != NULL;
}

static guint
count_files (const gchar *dir, const gchar *kind)
{
  guint n = 0;

  for (;;) {
    gchar *f = g_strdup_printf ("%s/test_data_set_0/%s_%u.pb", dir, kind, n);
    gboolean there = g_file_test (f, G_FILE_TEST_EXISTS);

    g_free (f);
    if (!there)
      return n;
    n++;
  }
}

static gboolean
close_enough (gfloat got, gfloat want)
{
  if (isnan (want))
    return isnan (got);
  if (isinf (want))
    return got == want;
  return fabs ((gdouble) got - want) <= ATOL + RTOL * fabs ((gdouble) want);
}

/* Loads with the inputs chosen as constants: the non-float ones, and with
 * @all_but_first every input after the first too. */
static OmniNnOnnxModel *
load_case (const gchar *model, gchar **names, Tensor *ins, guint n_ins,
    gboolean all_but_first, GError **error)
{
  OmniNnOnnxConstant *cs = g_new0 (OmniNnOnnxConstant, MAX (n_ins, 1));
  OmniNnOnnxModel *m;
  guint i, k = 0;

  for (i = 0; i < n_ins; i++) {
    gboolean fixed = ins[i].type != 1 || (all_but_first && i > 0);

    /* constants, and the run-time inputs' shapes as the data has them */
    cs[k].name = names[i];
    cs[k].n_dims = ins[i].n_dims;
    cs[k].dims = ins[i].dims;
    cs[k].values = fixed ? ins[i].values : NULL;
    k++;
  }
  m = omni_nn_onnx_load_full (model, NULL, cs, k, error);
  g_free (cs);
  return m;
}

/* Runs @m on @backend with the run-time inputs; compares with @want.
 * Returns NULL on success, else what went wrong. */
static gchar *
run_case (const OmniNnBackend *backend, OmniNnOnnxModel *m, gchar **names,
    Tensor *ins, guint n_ins, Tensor *want, guint n_want)
{
  const OmniNnGraph *g = m->graph;
  gfloat *packed = g_new0 (gfloat, MAX (m->n_input_values, 1));
  gfloat **outs = g_new0 (gfloat *, g->outputs->len + 1);
  OmniNnInput input = { 0 };
  GError *err = NULL;
  gpointer st = NULL;
  gchar *why = NULL;
  guint i;
  gsize j;

  for (i = 0; i < n_ins; i++) {
    const OmniNnOnnxInput *in = omni_nn_onnx_model_find_input (m, names[i]);

    if (in && in->n == ins[i].n)
      memcpy (packed + in->offset, ins[i].values, in->n * sizeof (gfloat));
    else if (in)
      why = g_strdup_printf ("input %s has %" G_GSIZE_FORMAT " values, the "
                             "graph wants %" G_GSIZE_FORMAT,
          names[i], ins[i].n, in->n);
  }
  if (!why && g->outputs->len != n_want)
    why = g_strdup_printf ("%u outputs, want %u", g->outputs->len, n_want);
  for (i = 0; !why && i < n_want; i++) {
    gsize n = omni_nn_graph_tensor (g, omni_nn_graph_output (g, i)->tensor)
                  ->n_elements;

    if (n != want[i].n)
      why = g_strdup_printf ("output %u has %" G_GSIZE_FORMAT
                             " values, want %" G_GSIZE_FORMAT,
          i, n, want[i].n);
    outs[i] = g_new0 (gfloat, MAX (n, 1));
  }
  if (!why && !(st = backend->prepare (g, NULL, &err)))
    why = g_strdup_printf ("prepare: %s", err->message);
  input.tensor = packed;
  if (!why && !backend->run (st, &input, outs, &err))
    why = g_strdup_printf ("run: %s", err->message);
  for (i = 0; !why && i < n_want; i++)
    for (j = 0; !why && j < want[i].n; j++)
      if (!close_enough (outs[i][j], want[i].values[j]))
        why = g_strdup_printf ("output %u [%" G_GSIZE_FORMAT "] = %.9g, want "
                               "%.9g",
            i, j, outs[i][j], want[i].values[j]);
  if (st)
    backend->free (st);
  g_clear_error (&err);
  for (i = 0; i < g->outputs->len; i++)
    g_free (outs[i]);
  g_free (outs);
  g_free (packed);
  return why;
}

static void
free_tensors (Tensor *t, guint n)
{
  guint i;

  for (i = 0; i < n; i++)
    g_free (t[i].values);
  g_free (t);
}

static void
skip (OpStats *s, const gchar *why)
{
  s->skipped++;
  if (!strstr (s->reasons->str, why))
    g_string_append_printf (
        s->reasons, "%s%s", s->reasons->len ? "; " : "", why);
}

/* One case; returns FALSE when it ran and failed (@failures says why). */
static gboolean
one_case (const OmniNnBackend *backend, const gchar *root, const gchar *name,
    GHashTable *stats, GString *failures)
{
  gchar *dir = g_build_filename (root, name, NULL);
  gchar *model = g_build_filename (dir, "model.onnx", NULL);
  gchar **ops = omni_nn_onnx_model_ops (model, NULL), **names;
  guint n_ins = count_files (dir, "input"), n_out = count_files (dir, "output");
  Tensor *ins = g_new0 (Tensor, MAX (n_ins, 1));
  Tensor *want = g_new0 (Tensor, MAX (n_out, 1));
  OmniNnOnnxModel *m = NULL;
  GError *err = NULL;
  gchar *op, *why = NULL;
  OpStats *s;
  gboolean ok = TRUE;
  guint i;

  names = omni_nn_onnx_model_input_names (model, NULL);
  op = case_op (name, ops ? ops : (gchar *[]){ NULL });
  s = stats_for (stats, op);
  /* sequences, optionals, strings: not tensors the runtime takes */
  for (i = 0; i < n_ins && !err; i++)
    read_tensor (dir, "input", i, &ins[i], &err);
  for (i = 0; i < n_out && !err; i++)
    read_tensor (dir, "output", i, &want[i], &err);
  if (err) {
    g_clear_error (&err);
    g_set_error (&err, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
        "data that are not numeric tensors (sequence, optional, string)");
  }
  /* ONNX 1.12 stores its bfloat16 test inputs as uint16 tensors */
  if (!err && strstr (name, "BFLOAT16"))
    g_set_error (&err, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
        "bfloat16 data (stored as uint16 in ONNX 1.12's test data)");
  if (!err && (!names || g_strv_length (names) != n_ins))
    g_set_error (&err, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
        "optional inputs left out");
  if (!err && !(m = load_case (model, names, ins, n_ins, FALSE, &err))
      && err->code == OMNI_NN_ERROR_UNSUPPORTED && n_ins > 1) {
    g_clear_error (&err);
    m = load_case (model, names, ins, n_ins, TRUE, &err);
  }
  if (!m && err
      && (err->code == OMNI_NN_ERROR_UNSUPPORTED
          || err->code == OMNI_NN_ERROR_PARSE)) {
    gchar *short_why = g_strdup (strstr (err->message, "): ")
                                     ? strstr (err->message, "): ") + 3
                                     : err->message);

    skip (s, short_why);
    g_free (short_why);
  } else if (!m) {
    why = g_strdup_printf ("load: %s", err ? err->message : "?");
  } else {
    why = run_case (backend, m, names, ins, n_ins, want, n_out);
  }
  if (m || why) {
    s->run++;
    if (why) {
      ok = FALSE;
      g_string_append_printf (failures, "  %s (%s): %s\n", name, op, why);
    } else {
      s->passed++;
    }
  }
  g_clear_error (&err);
  omni_nn_onnx_model_free (m);
  free_tensors (ins, n_ins);
  free_tensors (want, n_out);
  g_strfreev (ops);
  g_strfreev (names);
  g_free (op);
  g_free (why);
  g_free (model);
  g_free (dir);
  return ok;
}

static gint
cmp_str (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar *const *) a, *(const gchar *const *) b);
}

static void
print_stats (const gchar *backend, GHashTable *stats)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter it;
  gpointer k;
  guint i, p = 0, r = 0, sk = 0;

  g_hash_table_iter_init (&it, stats);
  while (g_hash_table_iter_next (&it, &k, NULL))
    g_ptr_array_add (keys, k);
  g_ptr_array_sort (keys, cmp_str);
  g_print ("ONNX node tests on the %s backend: op | passed | run | skipped "
           "| why skipped\n",
      backend);
  for (i = 0; i < keys->len; i++) {
    OpStats *s = g_hash_table_lookup (stats, keys->pdata[i]);

    g_print ("| %s | %u | %u | %u | %s |\n", (gchar *) keys->pdata[i],
        s->passed, s->run, s->skipped, s->reasons->str);
    p += s->passed;
    r += s->run;
    sk += s->skipped;
  }
  g_print ("%s: %u passed / %u run / %u skipped\n", backend, p, r, sk);
  g_ptr_array_unref (keys);
}

static void
run_all (const OmniNnBackend *backend)
{
  const gchar *root = g_getenv ("OMNI_ONNX_NODE_TESTS");
  const gchar *only = g_getenv ("OMNI_ONNX_CASES");
  GHashTable *stats
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, op_stats_free);
  GString *failures = g_string_new (NULL);
  GPtrArray *cases = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter it;
  GDir *d;
  const gchar *e;
  OpStats *s;
  guint i, run = 0, failed = 0;

  if (!root)
    root = NODE_TESTS;
  d = g_dir_open (root, 0, NULL);
  fail_unless (d != NULL, "no ONNX node tests in %s (libonnx-testdata)", root);
  while ((e = g_dir_read_name (d)))
    if (g_str_has_prefix (e, "test_") && (!only || strstr (e, only)))
      g_ptr_array_add (cases, g_strdup (e));
  g_dir_close (d);
  g_ptr_array_sort (cases, cmp_str);
  for (i = 0; i < cases->len; i++)
    if (!one_case (backend, root, cases->pdata[i], stats, failures))
      failed++;
  print_stats (backend->name, stats);
  g_hash_table_iter_init (&it, stats);
  while (g_hash_table_iter_next (&it, NULL, (gpointer *) &s))
    run += s->run;
  if (failures->len)
    g_print ("failures on %s:\n%s", backend->name, failures->str);
  fail_unless (failed == 0, "%u of %u ONNX node tests failed on %s", failed,
      run, backend->name);
  if (!only)
    fail_unless (
        run >= MIN_RUN, "only %u node tests ran on %s", run, backend->name);
  g_string_free (failures, TRUE);
  g_ptr_array_unref (cases);
  g_hash_table_unref (stats);
}

GST_START_TEST (test_cpu)
{
  run_all (omni_nn_cpu_backend ());
}

GST_END_TEST;

#if HAVE_VULKAN
GST_START_TEST (test_vulkan)
{
  run_all (omni_nn_vulkan_backend ());
}

GST_END_TEST;
#endif

static Suite *
onnxconformance_suite (void)
{
  Suite *s = suite_create ("onnxconformance");
  TCase *tc = tcase_create ("node");

  tcase_set_timeout (tc, 1200);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_cpu);
#if HAVE_VULKAN
  tcase_add_test (tc, test_vulkan);
#endif
  return s;
}

GST_CHECK_MAIN (onnxconformance);
