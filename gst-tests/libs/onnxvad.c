/* gst-omni: Silero VAD v5 (ONNX) on our runtime against onnxruntime-node
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Needs tools/omni-fetch-models (silero-vad in $OMNI_MODEL_PATH, Node.js
 * packages in tools/node), sox, and ../shared/data/speech-real. The same
 * real recordings go through our loader and backends (CPU and Vulkan) and
 * through onnxruntime-node (gst-tests/data/silero-vad-reference.js), frame
 * by frame with the state carried; every speech probability must agree
 * within 1e-4 relative (of the larger of the two, floored at 1e-2 so that
 * probabilities near 0 compare in absolute terms: 1e-6).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <json-glib/json-glib.h>
#include <omni/nn/omninnonnx.h>
#include <omni/nn/omninnvad.h>
#include <omni/nn/omninncpu.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <math.h>
#include <string.h>

#define REL_TOL 1e-4

static gchar *
source_path (const gchar *rel)
{
  const gchar *root = g_getenv ("OMNI_SOURCE_ROOT");

  return g_build_filename (root ? root : "..", rel, NULL);
}

/* A recording as 16 kHz mono float32 (sox), written to a temp file. */
static gchar *
to_f32 (const gchar *name)
{
  gchar *src = source_path (name), *dst, *err = NULL;
  gint fd = g_file_open_tmp ("onnxvad-XXXXXX.f32", &dst, NULL), status = -1;
  const gchar *argv[] = { "sox", src, "-r", "16000", "-c", "1", "-t", "f32",
    "-e", "floating-point", NULL, NULL };

  close (fd);
  argv[10] = dst;
  fail_unless (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH,
      NULL, NULL, NULL, &err, &status, NULL));
  fail_unless (g_spawn_check_wait_status (status, NULL), "sox: %s", err);
  g_free (err);
  g_free (src);
  return dst;
}

/* onnxruntime-node's probabilities for @f32. */
static GArray *
reference (const gchar *model, const gchar *f32)
{
  gchar *script = source_path ("gst-tests/data/silero-vad-reference.js");
  gchar *out = NULL, *err = NULL;
  const gchar *argv[] = { "node", script, model, f32, NULL };
  JsonParser *p = json_parser_new ();
  JsonArray *a;
  GArray *probs = g_array_new (FALSE, FALSE, sizeof (gfloat));
  gint status = -1;
  guint i;

  fail_unless (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH,
      NULL, NULL, &out, &err, &status, NULL));
  fail_unless (g_spawn_check_wait_status (status, NULL),
      "silero-vad-reference.js: %s", err);
  fail_unless (json_parser_load_from_data (p, out, -1, NULL));
  a = json_object_get_array_member (
      json_node_get_object (json_parser_get_root (p)), "probabilities");
  for (i = 0; i < json_array_get_length (a); i++) {
    gfloat v = (gfloat) json_array_get_double_element (a, i);

    g_array_append_val (probs, v);
  }
  g_object_unref (p);
  g_free (out);
  g_free (err);
  g_free (script);
  return probs;
}

static void
parity (const gchar *backend, const gchar *recording)
{
  GError *err = NULL;
  OmniNnVad *vad = omni_nn_vad_new ("silero-vad", backend, &err);
  gchar *f32, *samples = NULL;
  gsize len = 0, n, f;
  GArray *ref;
  gdouble worst = 0;
  guint speech = 0;

  fail_unless (vad != NULL, "%s", err ? err->message : "?");
  fail_unless_equals_string (omni_nn_vad_get_backend (vad), backend);
  f32 = to_f32 (recording);
  ref = reference (omni_nn_vad_get_path (vad), f32);
  fail_unless (g_file_get_contents (f32, &samples, &len, NULL));
  n = len / sizeof (gfloat) / omni_nn_vad_get_frame (vad);
  fail_unless_equals_int (n, ref->len);
  fail_unless (n > 100);
  for (f = 0; f < n; f++) {
    gfloat p, want = g_array_index (ref, gfloat, f);
    gdouble rel;

    fail_unless (omni_nn_vad_process (vad,
                     (const gfloat *) samples + f * omni_nn_vad_get_frame (vad),
                     &p, &err),
        "%s", err ? err->message : "?");
    rel = fabs (p - want) / MAX (MAX (fabs (want), fabs (p)), 1e-2);
    worst = MAX (worst, rel);
    fail_unless (rel <= REL_TOL,
        "%s frame %" G_GSIZE_FORMAT ": %.7f, "
        "onnxruntime %.7f",
        recording, f, p, want);
    speech += want > 0.5;
  }
  /* the recordings are speech: the reference finds it, and so do we */
  fail_unless (
      speech > n / 4, "%u of %" G_GSIZE_FORMAT " frames speech", speech, n);
  g_print ("%s on %s (%s): %" G_GSIZE_FORMAT
           " frames, worst relative difference "
           "%.2e, %u speech frames\n",
      recording, backend,
      omni_nn_cpu_has_xnnpack () || !g_strcmp0 (backend, "vulkan")
          ? "fast paths"
          : "plain C",
      n, worst, speech);
  omni_nn_vad_free (vad);
  g_array_unref (ref);
  g_unlink (f32);
  g_free (f32);
  g_free (samples);
}

static const gchar *const recordings[] = {
  "../shared/data/speech-real/sense_and_sensibility_01_austen_64kb-0870.wav",
  "../shared/data/speech-real/chan3.wav",
};

GST_START_TEST (test_parity_cpu)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (recordings); i++)
    parity ("cpu", recordings[i]);
}

GST_END_TEST;

/* the CPU backend without XNNPACK: its plain-C references */
GST_START_TEST (test_parity_cpu_reference)
{
  guint i;

  g_setenv ("OMNI_NN_CPU_XNNPACK", "0", TRUE);
  for (i = 0; i < G_N_ELEMENTS (recordings); i++)
    parity ("cpu", recordings[i]);
  g_unsetenv ("OMNI_NN_CPU_XNNPACK");
}

GST_END_TEST;

#if HAVE_VULKAN
GST_START_TEST (test_parity_vulkan)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (recordings); i++)
    parity ("vulkan", recordings[i]);
}

GST_END_TEST;
#endif

/* The If on the sample rate is resolved at load: with the rate not bound
 * (no sidecar binding), its condition (Equal_0 on sr) is not a constant,
 * and the load is refused, naming the node, op, domain and opset. */
GST_START_TEST (test_unbound_rate_refused)
{
  GError *err = NULL;
  OmniNnVad *vad = omni_nn_vad_new ("silero-vad", "cpu", &err);
  gint64 d1[2] = { 1, 576 }, d2[3] = { 2, 1, 128 };
  OmniNnOnnxConstant shapes[2]
      = { { "input", 2, d1, NULL }, { "state", 3, d2, NULL } };
  OmniNnOnnxModel *m;

  fail_unless (vad != NULL);
  m = omni_nn_onnx_load_full (
      omni_nn_vad_get_path (vad), NULL, shapes, 2, &err);
  fail_unless (m == NULL);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED));
  fail_unless (
      strstr (err->message, "'Equal_0' (op Equal, domain ai.onnx") != NULL,
      "%s", err->message);
  fail_unless (strstr (err->message, "opset 16") != NULL, "%s", err->message);
  g_error_free (err);
  omni_nn_vad_free (vad);
}

GST_END_TEST;

static Suite *
onnxvad_suite (void)
{
  Suite *s = suite_create ("onnxvad");
  TCase *tc = tcase_create ("silero");

  tcase_set_timeout (tc, 600);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_parity_cpu);
  tcase_add_test (tc, test_parity_cpu_reference);
#if HAVE_VULKAN
  tcase_add_test (tc, test_parity_vulkan);
#endif
  tcase_add_test (tc, test_unbound_rate_refused);
  return s;
}

GST_CHECK_MAIN (onnxvad);
