/* gst-omni: OmniNnSession (lookup, load, backend choice, outputs, recovery)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Needs the models of tools/omni-fetch-models in $OMNI_MODEL_PATH.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <omni/nn/omninncpu.h>
#include <omni/nn/omninnsession.h>
#if HAVE_VULKAN
#include <omni/nn/vulkan/omninnvulkan.h>
#include <omni/vk/omnivk.h>
#endif
#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>
#include <string.h>

static gfloat *
random_input (const OmniNnGraph *g)
{
  gsize n = (gsize) g->input_h * g->input_w * g->input_c, i;
  gfloat *x = g_new (gfloat, n);
  GRand *r = g_rand_new_with_seed (3);

  for (i = 0; i < n; i++)
    x[i] = (gfloat) g_rand_double_range (r, -1, 1);
  g_rand_free (r);
  return x;
}

/* The session's outputs equal a direct run of the CPU backend on its
 * graph (within @tol relative). */
static void
check_outputs (OmniNnSession *s, const gfloat *x, gdouble tol)
{
  const OmniNnGraph *g = omni_nn_session_get_model (s)->graph;
  const OmniNnBackend *cpu = omni_nn_cpu_backend ();
  GError *err = NULL;
  gpointer st = cpu->prepare (g, NULL, &err);
  gfloat **want = g_new0 (gfloat *, g->outputs->len);
  OmniNnInput in = { 0 };
  guint i;
  gsize j, n;

  fail_unless (st != NULL);
  for (i = 0; i < g->outputs->len; i++)
    want[i] = g_new (
        gfloat, omni_nn_graph_tensor (g, omni_nn_graph_output (g, i)->tensor)
                    ->n_elements);
  in.tensor = x;
  fail_unless (cpu->run (st, &in, want, &err));
  for (i = 0; i < g->outputs->len; i++) {
    const gfloat *got = omni_nn_session_get_output (s, i, &n);

    for (j = 0; j < n; j++)
      fail_unless (
          fabs (got[j] - want[i][j]) <= tol * MAX (1.0, fabs (want[i][j])),
          "output %u [%" G_GSIZE_FORMAT "]: %g, want %g", i, j, got[j],
          want[i][j]);
    g_free (want[i]);
  }
  g_free (want);
  cpu->free (st);
}

GST_START_TEST (test_session_cpu)
{
  GError *err = NULL;
  OmniNnSession *s
      = omni_nn_session_new ("emotion", OMNI_NN_BACKEND_CPU, NULL, &err);
  OmniNnInput in = { 0 };
  gfloat *x;

  fail_unless (s != NULL, "%s", err ? err->message : "");
  fail_unless_equals_string (omni_nn_session_get_backend (s)->name, "cpu");
  fail_unless (omni_nn_session_get_fallback_reason (s) == NULL);
  fail_unless_equals_int (omni_nn_session_get_n_outputs (s), 1);
  fail_unless_equals_int (omni_nn_session_find_output (s, "Identity"), 0);
  fail_unless_equals_int (omni_nn_session_find_output (s, "nope"), -1);
  fail_unless (omni_nn_session_get_info (s) != NULL);
  fail_unless_equals_int (omni_nn_session_get_info (s)->n_labels, 7);
  x = random_input (omni_nn_session_get_model (s)->graph);
  in.tensor = x;
  fail_unless (
      omni_nn_session_run (s, &in, &err), "%s", err ? err->message : "");
  check_outputs (s, x, 0);
  g_free (x);
  omni_nn_session_free (s);
}

GST_END_TEST;

/* A layers model (nsfw) goes through the layers loader. */
GST_START_TEST (test_session_layers_model)
{
  GError *err = NULL;
  OmniNnSession *s
      = omni_nn_session_new ("nsfw", OMNI_NN_BACKEND_CPU, NULL, &err);

  fail_unless (s != NULL, "%s", err ? err->message : "");
  fail_unless (omni_nn_session_find_output (s, "probabilities") >= 0);
  fail_unless_equals_int (omni_nn_session_get_model (s)->n_labels, 5);
  fail_unless (omni_nn_session_get_info (s) == NULL);
  omni_nn_session_free (s);

  fail_unless (
      omni_nn_session_new ("no-such-model", OMNI_NN_BACKEND_AUTO, NULL, &err)
      == NULL);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND));
  g_clear_error (&err);
}

GST_END_TEST;

#if HAVE_VULKAN
GST_START_TEST (test_session_vulkan)
{
  GError *err = NULL;
  OmniNnSession *s
      = omni_nn_session_new ("blazeface", OMNI_NN_BACKEND_AUTO, NULL, &err);
  OmniNnInput in = { 0 };
  gfloat *x;

  fail_unless (s != NULL, "%s", err ? err->message : "");
  fail_unless_equals_string (omni_nn_session_get_backend (s)->name, "vulkan");
  fail_unless (omni_nn_session_get_fallback_reason (s) == NULL);
  fail_unless (omni_nn_session_get_device_name (s) != NULL);
  x = random_input (omni_nn_session_get_model (s)->graph);
  in.tensor = x;
  fail_unless (
      omni_nn_session_run (s, &in, &err), "%s", err ? err->message : "");
  check_outputs (s, x, 1e-3);
  g_free (x);
  omni_nn_session_free (s);
  fail_unless_equals_int (omni_vk_device_get_validation_message_count (), 0);
}

GST_END_TEST;

/* A device that does not exist: an error when Vulkan is forced, the CPU
 * with the reason otherwise. */
GST_START_TEST (test_session_fallback)
{
  GError *err = NULL;
  OmniNnSession *s = omni_nn_session_new (
      "emotion", OMNI_NN_BACKEND_VULKAN, "no-such-device-at-all", &err);

  fail_unless (s == NULL);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_DEVICE), "%s",
      err->message);
  g_clear_error (&err);
  s = omni_nn_session_new (
      "emotion", OMNI_NN_BACKEND_AUTO, "no-such-device-at-all", &err);
  fail_unless (s != NULL, "%s", err ? err->message : "");
  fail_unless_equals_string (omni_nn_session_get_backend (s)->name, "cpu");
  fail_unless (omni_nn_session_get_fallback_reason (s) != NULL);
  omni_nn_session_free (s);
}

GST_END_TEST;

/* A lost device: the next run re-creates the backend on a fresh one and
 * still gives the right outputs. */
GST_START_TEST (test_session_device_lost)
{
  GError *err = NULL;
  OmniNnSession *s
      = omni_nn_session_new ("emotion", OMNI_NN_BACKEND_AUTO, NULL, &err);
  OmniNnInput in = { 0 };
  gfloat *x;

  fail_unless (s != NULL, "%s", err ? err->message : "");
  fail_unless_equals_string (omni_nn_session_get_backend (s)->name, "vulkan");
  x = random_input (omni_nn_session_get_model (s)->graph);
  in.tensor = x;
  fail_unless (omni_nn_session_run (s, &in, &err));
  omni_vk_device_inject_device_lost (
      omni_nn_vulkan_get_device (omni_nn_session_get_backend_state (s)));
  fail_unless (
      omni_nn_session_run (s, &in, &err), "%s", err ? err->message : "");
  fail_unless_equals_int (omni_nn_session_get_n_recoveries (s), 1);
  check_outputs (s, x, 1e-4);
  g_free (x);
  omni_nn_session_free (s);
  fail_unless_equals_int (omni_vk_device_get_validation_message_count (), 0);
}

GST_END_TEST;
#else
GST_START_TEST (test_session_no_vulkan)
{
  GError *err = NULL;
  OmniNnSession *s
      = omni_nn_session_new ("emotion", OMNI_NN_BACKEND_AUTO, NULL, &err);

  fail_unless (s != NULL, "%s", err ? err->message : "");
  fail_unless_equals_string (omni_nn_session_get_backend (s)->name, "cpu");
  fail_unless (omni_nn_session_get_fallback_reason (s) != NULL);
  omni_nn_session_free (s);
}

GST_END_TEST;
#endif

/* Options: a labels file replaces a graph model's sidecar labels; an
 * embedding layer is a layers-model choice, refused for a graph model; a
 * layers model gets the layer asked for as its "embedding" output. */
GST_START_TEST (test_session_options)
{
  gchar *labels
      = g_build_filename (g_get_tmp_dir (), "omni-sess-labels-XXXXXX", NULL);
  OmniNnSessionOptions opts = { OMNI_NN_LOAD_DEFAULT, NULL, NULL };
  const OmniNnModel *m;
  OmniNnSession *s;
  GError *err = NULL;
  gint fd = g_mkstemp (labels);

  fail_unless (fd >= 0);
  close (fd);
  fail_unless (g_file_set_contents (labels, "a\nb\nc\nd\ne\nf\ng\n", -1, NULL));
  opts.labels = labels;
  s = omni_nn_session_new_with_options (
      "emotion", OMNI_NN_BACKEND_CPU, NULL, &opts, &err);
  fail_unless (s != NULL, "%s", err ? err->message : "");
  m = omni_nn_session_get_model (s);
  fail_unless_equals_int (m->n_labels, 7);
  fail_unless_equals_string (m->labels[0], "a");
  fail_unless_equals_string (m->labels[6], "g");
  omni_nn_session_free (s);

  opts.labels = NULL;
  opts.embedding_layer = "global_pooling";
  s = omni_nn_session_new_with_options (
      "faceres", OMNI_NN_BACKEND_CPU, NULL, &opts, &err);
  fail_unless (s == NULL);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_SETTING),
      "%s", err->message);
  g_clear_error (&err);

  opts.embedding_layer = "out_relu";
  s = omni_nn_session_new_with_options (
      "nsfw", OMNI_NN_BACKEND_CPU, NULL, &opts, &err);
  fail_unless (s != NULL, "%s", err ? err->message : "");
  {
    gint e = omni_nn_session_find_output (s, "embedding");
    gsize n = 0;

    fail_unless (e >= 0);
    omni_nn_session_get_output (s, e, &n);
    fail_unless_equals_int (n, 7 * 7 * 1280);
  }
  omni_nn_session_free (s);
  g_unlink (labels);
  g_free (labels);
}

GST_END_TEST;

static Suite *
nnsession_suite (void)
{
  Suite *s = suite_create ("nnsession");
  TCase *tc = tcase_create ("session");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_session_cpu);
  tcase_add_test (tc, test_session_layers_model);
  tcase_add_test (tc, test_session_options);
#if HAVE_VULKAN
  tcase_add_test (tc, test_session_vulkan);
  tcase_add_test (tc, test_session_fallback);
  tcase_add_test (tc, test_session_device_lost);
#else
  tcase_add_test (tc, test_session_no_vulkan);
#endif
  return s;
}

GST_CHECK_MAIN (nnsession);
