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

/* The session's outputs equal a direct run of @cpu on its graph (within
 * @tol relative). */
static void
check_outputs_with (
    OmniNnSession *s, const gfloat *x, gdouble tol, const OmniNnBackend *cpu)
{
  const OmniNnGraph *g = omni_nn_session_get_model (s)->graph;
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

/* ... of the CPU backend */
static void
check_outputs (OmniNnSession *s, const gfloat *x, gdouble tol)
{
  check_outputs_with (s, x, tol, omni_nn_cpu_backend ());
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

/* Two sessions of the same model, backend and device share one load and
 * one engine; each has its own outputs; the last free frees both. */
GST_START_TEST (test_cache_shares)
{
  OmniNnSessionCacheStats st0, st;
  GError *err = NULL;
  OmniNnSession *a, *b;

  omni_nn_session_cache_get_stats (&st0);
  fail_unless_equals_int (st0.n_models, 0);
  a = omni_nn_session_new ("emotion", OMNI_NN_BACKEND_CPU, NULL, &err);
  fail_unless (a != NULL, "%s", err ? err->message : "");
  b = omni_nn_session_new ("emotion", OMNI_NN_BACKEND_CPU, NULL, &err);
  fail_unless (b != NULL, "%s", err ? err->message : "");
  fail_unless (omni_nn_session_get_model (a) == omni_nn_session_get_model (b));
  fail_unless (omni_nn_session_get_backend_state (a)
               == omni_nn_session_get_backend_state (b));
  fail_unless (omni_nn_session_get_output (a, 0, NULL)
               != omni_nn_session_get_output (b, 0, NULL));
  omni_nn_session_cache_get_stats (&st);
  fail_unless_equals_int (st.n_loads - st0.n_loads, 1);
  fail_unless_equals_int (st.n_prepares - st0.n_prepares, 1);
  fail_unless_equals_int (st.n_models, 1);
  fail_unless_equals_int (st.n_engines, 1);
  /* two users: two replicas (the default maximum), so both run at once */
  fail_unless_equals_int (st.n_replicas, 2);
  omni_nn_session_free (a);
  omni_nn_session_cache_get_stats (&st);
  fail_unless_equals_int (st.n_models, 1);
  fail_unless_equals_int (st.n_engines, 1);
  omni_nn_session_free (b);
  omni_nn_session_cache_get_stats (&st);
  fail_unless_equals_int (st.n_models, 0);
  fail_unless_equals_int (st.n_engines, 0);
  fail_unless_equals_int (st.n_replicas, 0);
  /* a new session after that loads again */
  a = omni_nn_session_new ("emotion", OMNI_NN_BACKEND_CPU, NULL, &err);
  fail_unless (a != NULL, "%s", err ? err->message : "");
  omni_nn_session_cache_get_stats (&st);
  fail_unless_equals_int (st.n_loads - st0.n_loads, 2);
  omni_nn_session_free (a);
}

GST_END_TEST;

/* A model named by its path is the same model bytes: shared. Different
 * models, load options or backends are not. */
GST_START_TEST (test_cache_keys)
{
  OmniNnSessionCacheStats st0, st;
  GError *err = NULL;
  OmniNnSession *a, *b, *c, *d;
  OmniNnSessionOptions o = { OMNI_NN_LOAD_DEFAULT, NULL, "out_relu" };
  gchar *path = omni_nn_model_resolve ("nsfw", &err);

  fail_unless (path != NULL);
  omni_nn_session_cache_get_stats (&st0);
  a = omni_nn_session_new ("nsfw", OMNI_NN_BACKEND_CPU, NULL, &err);
  fail_unless (a != NULL, "%s", err ? err->message : "");
  b = omni_nn_session_new (path, OMNI_NN_BACKEND_CPU, NULL, &err);
  fail_unless (b != NULL, "%s", err ? err->message : "");
  fail_unless (omni_nn_session_get_model (a) == omni_nn_session_get_model (b));
  c = omni_nn_session_new ("emotion", OMNI_NN_BACKEND_CPU, NULL, &err);
  fail_unless (c != NULL, "%s", err ? err->message : "");
  fail_unless (omni_nn_session_get_model (a) != omni_nn_session_get_model (c));
  d = omni_nn_session_new_with_options (
      "nsfw", OMNI_NN_BACKEND_CPU, NULL, &o, &err);
  fail_unless (d != NULL, "%s", err ? err->message : "");
  fail_unless (omni_nn_session_get_model (a) != omni_nn_session_get_model (d));
  omni_nn_session_cache_get_stats (&st);
  fail_unless_equals_int (st.n_loads - st0.n_loads, 3);
  fail_unless_equals_int (st.n_models, 3);
  omni_nn_session_free (d);
  /* an embedding layer is for layers models */
  fail_unless (omni_nn_session_new_with_options (
                   "emotion", OMNI_NN_BACKEND_CPU, NULL, &o, &err)
               == NULL);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_SETTING));
  g_clear_error (&err);
#if HAVE_VULKAN
  d = omni_nn_session_new ("nsfw", OMNI_NN_BACKEND_VULKAN, NULL, &err);
  fail_unless (d != NULL, "%s", err ? err->message : "");
  /* the same loaded model on another backend: one load, two engines */
  fail_unless (omni_nn_session_get_model (a) == omni_nn_session_get_model (d));
  fail_unless (omni_nn_session_get_backend_state (a)
               != omni_nn_session_get_backend_state (d));
  omni_nn_session_cache_get_stats (&st);
  fail_unless_equals_int (st.n_loads - st0.n_loads, 3);
  fail_unless_equals_int (st.n_engines, 3);
  omni_nn_session_free (d);
#endif
  omni_nn_session_free (a);
  omni_nn_session_free (b);
  omni_nn_session_free (c);
  omni_nn_session_cache_get_stats (&st);
  fail_unless_equals_int (st.n_models, 0);
  fail_unless_equals_int (st.n_engines, 0);
  g_free (path);
}

GST_END_TEST;

/* An engine has as many replicas as users, up to OMNI_NN_SESSION_REPLICAS;
 * each session's results are the same on any replica. */
GST_START_TEST (test_cache_replicas)
{
  OmniNnSessionCacheStats st;
  GError *err = NULL;
  OmniNnSession *s[5];
  OmniNnInput in = { 0 };
  gfloat *x, want[7];
  guint i, k, max;

  for (max = 1; max <= 3; max += 2) {
    gchar *v = g_strdup_printf ("%u", max);

    g_setenv ("OMNI_NN_SESSION_REPLICAS", v, TRUE);
    g_free (v);
    fail_unless_equals_int (omni_nn_session_get_max_replicas (), max);
    for (i = 0; i < G_N_ELEMENTS (s); i++) {
      s[i] = omni_nn_session_new ("emotion", OMNI_NN_BACKEND_CPU, NULL, &err);
      fail_unless (s[i] != NULL, "%s", err ? err->message : "");
      omni_nn_session_cache_get_stats (&st);
      fail_unless_equals_int (st.n_replicas, MIN (i + 1, max));
      fail_unless_equals_int (st.n_engines, 1);
    }
    x = random_input (omni_nn_session_get_model (s[0])->graph);
    in.tensor = x;
    for (i = 0; i < G_N_ELEMENTS (s); i++) {
      const gfloat *got;

      fail_unless (omni_nn_session_run (s[i], &in, &err));
      got = omni_nn_session_get_output (s[i], 0, NULL);
      for (k = 0; k < 7; k++) {
        if (i == 0)
          want[k] = got[k];
        else
          fail_unless (got[k] == want[k]);
      }
    }
    g_free (x);
    for (i = 0; i < G_N_ELEMENTS (s); i++)
      omni_nn_session_free (s[i]);
    omni_nn_session_cache_get_stats (&st);
    fail_unless_equals_int (st.n_replicas, 0);
  }
  g_setenv ("OMNI_NN_SESSION_REPLICAS", "0", TRUE);
  fail_unless_equals_int (omni_nn_session_get_max_replicas (), 1);
  g_setenv ("OMNI_NN_SESSION_REPLICAS", "99", TRUE);
  fail_unless_equals_int (omni_nn_session_get_max_replicas (), 8);
  g_unsetenv ("OMNI_NN_SESSION_REPLICAS");
  fail_unless_equals_int (omni_nn_session_get_max_replicas (), 2);
}

GST_END_TEST;

/* OMNI_NN_SESSION_CACHE=model: one load, an engine each; off: nothing
 * shared. */
GST_START_TEST (test_cache_sharing_env)
{
  OmniNnSessionCacheStats st0, st;
  GError *err = NULL;
  OmniNnSession *a, *b;
  const gchar *modes[] = { "model", "off" };
  guint m;

  for (m = 0; m < G_N_ELEMENTS (modes); m++) {
    g_setenv ("OMNI_NN_SESSION_CACHE", modes[m], TRUE);
    fail_unless_equals_int (omni_nn_session_get_sharing (),
        m == 0 ? OMNI_NN_SHARE_MODEL : OMNI_NN_SHARE_NONE);
    omni_nn_session_cache_get_stats (&st0);
    a = omni_nn_session_new ("emotion", OMNI_NN_BACKEND_CPU, NULL, &err);
    fail_unless (a != NULL, "%s", err ? err->message : "");
    b = omni_nn_session_new ("emotion", OMNI_NN_BACKEND_CPU, NULL, &err);
    fail_unless (b != NULL, "%s", err ? err->message : "");
    fail_unless (omni_nn_session_get_backend_state (a)
                 != omni_nn_session_get_backend_state (b));
    fail_unless (
        (omni_nn_session_get_model (a) == omni_nn_session_get_model (b))
        == (m == 0));
    omni_nn_session_cache_get_stats (&st);
    fail_unless_equals_int (st.n_loads - st0.n_loads, m == 0 ? 1 : 2);
    fail_unless_equals_int (st.n_engines, 2);
    omni_nn_session_free (a);
    omni_nn_session_free (b);
    omni_nn_session_cache_get_stats (&st);
    fail_unless_equals_int (st.n_models, 0);
    fail_unless_equals_int (st.n_engines, 0);
  }
  g_unsetenv ("OMNI_NN_SESSION_CACHE");
  fail_unless_equals_int (omni_nn_session_get_sharing (), OMNI_NN_SHARE_ALL);
}

GST_END_TEST;

#define N_THREADS 4
#define N_RUNS 6

typedef struct {
  OmniNnSession *session;
  gfloat *const *inputs;
  gfloat *results; /* N_RUNS x n_out */
  gsize n_out;
  gboolean ok;
} Worker;

static gpointer
worker_run (gpointer data)
{
  Worker *w = data;
  OmniNnInput in = { 0 };
  guint r;

  w->ok = TRUE;
  for (r = 0; r < N_RUNS && w->ok; r++) {
    in.tensor = w->inputs[r];
    w->ok = omni_nn_session_run (w->session, &in, NULL);
    memcpy (w->results + r * w->n_out,
        omni_nn_session_get_output (w->session, 0, NULL),
        w->n_out * sizeof (gfloat));
  }
  return NULL;
}

/* Several threads, each with its own session on the one shared engine,
 * running different inputs at once: every result is bit for bit the one
 * a single session gives for that input. */
static void
check_concurrent (OmniNnBackendChoice choice)
{
  GError *err = NULL;
  OmniNnSession *ref = omni_nn_session_new ("emotion", choice, NULL, &err);
  Worker w[N_THREADS];
  GThread *th[N_THREADS];
  gfloat *inputs[N_RUNS];
  gfloat *want;
  OmniNnInput in = { 0 };
  gsize n_out, n_in;
  guint i, r;
  GRand *rnd = g_rand_new_with_seed (11);
  const OmniNnGraph *g;

  fail_unless (ref != NULL, "%s", err ? err->message : "");
  g = omni_nn_session_get_model (ref)->graph;
  n_in = (gsize) g->input_h * g->input_w * g->input_c;
  omni_nn_session_get_output (ref, 0, &n_out);
  want = g_new (gfloat, N_RUNS * n_out);
  for (r = 0; r < N_RUNS; r++) {
    inputs[r] = g_new (gfloat, n_in);
    for (i = 0; i < n_in; i++)
      inputs[r][i] = (gfloat) g_rand_double_range (rnd, -1, 1);
    in.tensor = inputs[r];
    fail_unless (
        omni_nn_session_run (ref, &in, &err), "%s", err ? err->message : "");
    memcpy (want + r * n_out, omni_nn_session_get_output (ref, 0, NULL),
        n_out * sizeof (gfloat));
  }
  for (i = 0; i < N_THREADS; i++) {
    w[i].session = omni_nn_session_new ("emotion", choice, NULL, &err);
    fail_unless (w[i].session != NULL, "%s", err ? err->message : "");
    fail_unless (omni_nn_session_get_backend_state (w[i].session)
                 == omni_nn_session_get_backend_state (ref));
    w[i].inputs = inputs;
    w[i].n_out = n_out;
    w[i].results = g_new (gfloat, N_RUNS * n_out);
  }
  for (i = 0; i < N_THREADS; i++)
    th[i] = g_thread_new ("worker", worker_run, &w[i]);
  for (i = 0; i < N_THREADS; i++) {
    g_thread_join (th[i]);
    fail_unless (w[i].ok, "thread %u: a run failed", i);
    for (r = 0; r < N_RUNS * n_out; r++)
      fail_unless (w[i].results[r] == want[r],
          "thread %u value %u: %g, want %g", i, r, w[i].results[r], want[r]);
    g_free (w[i].results);
    omni_nn_session_free (w[i].session);
  }
  for (r = 0; r < N_RUNS; r++)
    g_free (inputs[r]);
  g_free (want);
  g_rand_free (rnd);
  omni_nn_session_free (ref);
}

static gpointer
open_session (gpointer data)
{
  return omni_nn_session_new ("nsfw", OMNI_NN_BACKEND_CPU, NULL, NULL);
}

/* Sessions opened from several threads at once: one load for all. */
GST_START_TEST (test_cache_concurrent_open)
{
  OmniNnSessionCacheStats st;
  GThread *th[N_THREADS];
  OmniNnSession *s[N_THREADS];
  guint i;

  for (i = 0; i < N_THREADS; i++)
    th[i] = g_thread_new ("open", open_session, NULL);
  for (i = 0; i < N_THREADS; i++) {
    s[i] = g_thread_join (th[i]);
    fail_unless (s[i] != NULL);
    fail_unless (
        omni_nn_session_get_model (s[i]) == omni_nn_session_get_model (s[0]));
  }
  omni_nn_session_cache_get_stats (&st);
  fail_unless_equals_int (st.n_loads, 1);
  fail_unless_equals_int (st.n_prepares, 1);
  for (i = 0; i < N_THREADS; i++)
    omni_nn_session_free (s[i]);
  omni_nn_session_cache_get_stats (&st);
  fail_unless_equals_int (st.n_models, 0);
}

GST_END_TEST;

GST_START_TEST (test_cache_concurrent_cpu)
{
  check_concurrent (OMNI_NN_BACKEND_CPU);
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

GST_START_TEST (test_cache_concurrent_vulkan)
{
  check_concurrent (OMNI_NN_BACKEND_VULKAN);
  fail_unless_equals_int (omni_vk_device_get_validation_message_count (), 0);
}

GST_END_TEST;

/* A lost device takes the shared engine out of the cache: both sessions
 * move to one fresh engine, a new session gets that one, and the results
 * stay right. */
GST_START_TEST (test_cache_device_lost)
{
  OmniNnSessionCacheStats st0, st;
  GError *err = NULL;
  OmniNnSession *a, *b, *c;
  gpointer old;
  OmniNnInput in = { 0 };
  gfloat *x;

  omni_nn_session_cache_get_stats (&st0);
  a = omni_nn_session_new ("emotion", OMNI_NN_BACKEND_VULKAN, NULL, &err);
  fail_unless (a != NULL, "%s", err ? err->message : "");
  b = omni_nn_session_new ("emotion", OMNI_NN_BACKEND_VULKAN, NULL, &err);
  fail_unless (b != NULL, "%s", err ? err->message : "");
  old = omni_nn_session_get_backend_state (a);
  fail_unless (old == omni_nn_session_get_backend_state (b));
  x = random_input (omni_nn_session_get_model (a)->graph);
  in.tensor = x;
  fail_unless (omni_nn_session_run (a, &in, &err));
  omni_vk_device_inject_device_lost (omni_nn_vulkan_get_device (old));
  fail_unless (
      omni_nn_session_run (a, &in, &err), "%s", err ? err->message : "");
  fail_unless_equals_int (omni_nn_session_get_n_recoveries (a), 1);
  fail_unless (omni_nn_session_get_recovery_reason (a) != NULL);
  fail_unless (omni_nn_session_get_backend_state (a) != old);
  check_outputs (a, x, 1e-4);
  /* a new session gets the fresh engine, not the lost one */
  c = omni_nn_session_new ("emotion", OMNI_NN_BACKEND_VULKAN, NULL, &err);
  fail_unless (c != NULL, "%s", err ? err->message : "");
  fail_unless (omni_nn_session_get_backend_state (c)
               == omni_nn_session_get_backend_state (a));
  /* b is still on the lost one until its next run */
  fail_unless (omni_nn_session_get_backend_state (b) == old);
  fail_unless (
      omni_nn_session_run (b, &in, &err), "%s", err ? err->message : "");
  fail_unless_equals_int (omni_nn_session_get_n_recoveries (b), 1);
  fail_unless (omni_nn_session_get_backend_state (b)
               == omni_nn_session_get_backend_state (a));
  check_outputs (b, x, 1e-4);
  omni_nn_session_cache_get_stats (&st);
  fail_unless_equals_int (st.n_loads - st0.n_loads, 1);
  fail_unless_equals_int (st.n_prepares - st0.n_prepares, 2);
  fail_unless_equals_int (st.n_engines, 1);
  g_free (x);
  omni_nn_session_free (a);
  omni_nn_session_free (b);
  omni_nn_session_free (c);
  omni_nn_session_cache_get_stats (&st);
  fail_unless_equals_int (st.n_models, 0);
  fail_unless_equals_int (st.n_engines, 0);
  fail_unless_equals_int (omni_vk_device_get_validation_message_count (), 0);
}

GST_END_TEST;

#if HAVE_XNNPACK
/* backend auto with lavapipe as the only Vulkan device (the test
 * environment's) and XNNPACK: the CPU, deliberately (no fallback reason);
 * OMNI_NN_BACKEND=vulkan keeps Vulkan first, and a device asked for means
 * Vulkan. The results are the CPU reference's. */
GST_START_TEST (test_session_auto_cpu)
{
  GError *err = NULL;
  OmniNnSession *s, *v;
  OmniNnInput in = { 0 };
  gfloat *x;

  g_unsetenv ("OMNI_NN_BACKEND");
  fail_unless (omni_nn_backend_auto_picks_cpu (NULL));
  fail_unless (omni_nn_backend_auto_picks_cpu ("auto"));
  fail_if (omni_nn_backend_auto_picks_cpu ("0"));
  s = omni_nn_session_new ("blazeface", OMNI_NN_BACKEND_AUTO, NULL, &err);
  fail_unless (s != NULL, "%s", err ? err->message : "");
  fail_unless_equals_string (omni_nn_session_get_backend (s)->name, "cpu");
  fail_unless (omni_nn_session_get_fallback_reason (s) == NULL);
  fail_unless (strstr (omni_nn_session_get_device_name (s), "XNNPACK"), "%s",
      omni_nn_session_get_device_name (s));
  x = random_input (omni_nn_session_get_model (s)->graph);
  in.tensor = x;
  fail_unless (
      omni_nn_session_run (s, &in, &err), "%s", err ? err->message : "");
  check_outputs_with (s, x, 1e-4, omni_nn_cpu_reference_backend ());
  v = omni_nn_session_new ("blazeface", OMNI_NN_BACKEND_AUTO, "0", &err);
  fail_unless (v != NULL, "%s", err ? err->message : "");
  fail_unless_equals_string (omni_nn_session_get_backend (v)->name, "vulkan");
  omni_nn_session_free (v);
  g_setenv ("OMNI_NN_BACKEND", "vulkan", TRUE);
  fail_if (omni_nn_backend_auto_picks_cpu (NULL));
  v = omni_nn_session_new ("emotion", OMNI_NN_BACKEND_AUTO, NULL, &err);
  fail_unless (v != NULL, "%s", err ? err->message : "");
  fail_unless_equals_string (omni_nn_session_get_backend (v)->name, "vulkan");
  omni_nn_session_free (v);
  g_free (x);
  omni_nn_session_free (s);
}

GST_END_TEST;
#endif
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

#if HAVE_ONNX
/* An ONNX image model whose input size is dynamic takes its bindings from
 * the sidecar (paddleocr-det: "x" bound to 1 x 3 x 640 x 640), so a session
 * opens it like any other model and its map has the frame's size. */
GST_START_TEST (test_session_onnx_bindings)
{
  GError *err = NULL;
  OmniNnSession *s
      = omni_nn_session_new ("paddleocr-det", OMNI_NN_BACKEND_CPU, NULL, &err);
  const OmniNnGraph *g;
  OmniNnInput in = { 0 };
  const gfloat *map;
  gfloat *x;
  gsize i, n = 0;

  fail_unless (s != NULL, "%s", err ? err->message : "");
  g = omni_nn_session_get_model (s)->graph;
  fail_unless_equals_int (omni_nn_session_get_n_outputs (s), 1);
  fail_unless_equals_int (g->input_w, 640);
  fail_unless_equals_int (g->input_h, 640);
  fail_unless_equals_int (g->input_c, 3);
  x = random_input (g);
  in.tensor = x;
  fail_unless (
      omni_nn_session_run (s, &in, &err), "%s", err ? err->message : "");
  map = omni_nn_session_get_output (s, 0, &n);
  fail_unless_equals_int (n, 640 * 640);
  for (i = 0; i < n; i++)
    fail_unless (map[i] >= 0.0f && map[i] <= 1.0f,
        "map[%" G_GSIZE_FORMAT "] = %g is not a probability", i, map[i]);
  g_free (x);
  omni_nn_session_free (s);
}

GST_END_TEST;
#endif

static Suite *
nnsession_suite (void)
{
  Suite *s = suite_create ("nnsession");
  TCase *tc = tcase_create ("session");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_session_cpu);
  tcase_add_test (tc, test_session_layers_model);
  tcase_add_test (tc, test_session_options);
  tcase_add_test (tc, test_cache_shares);
  tcase_add_test (tc, test_cache_keys);
  tcase_add_test (tc, test_cache_sharing_env);
  tcase_add_test (tc, test_cache_replicas);
  tcase_add_test (tc, test_cache_concurrent_cpu);
  tcase_add_test (tc, test_cache_concurrent_open);
#if HAVE_ONNX
  tcase_add_test (tc, test_session_onnx_bindings);
#endif
#if HAVE_VULKAN
  tcase_add_test (tc, test_cache_concurrent_vulkan);
  tcase_add_test (tc, test_cache_device_lost);
  tcase_add_test (tc, test_session_vulkan);
  tcase_add_test (tc, test_session_fallback);
  tcase_add_test (tc, test_session_device_lost);
#if HAVE_XNNPACK
  tcase_add_test (tc, test_session_auto_cpu);
#endif
#else
  tcase_add_test (tc, test_session_no_vulkan);
#endif
  return s;
}

GST_CHECK_MAIN (nnsession);
