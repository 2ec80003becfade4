/* gst-omni benchmark: Silero VAD v5 speed, our runtime (CPU backend and
 * Vulkan) against onnxruntime-node (CPU execution provider, one thread), in
 * the same run on the same real speech, frame by frame as a live 16 kHz
 * stream feeds it (512 samples per call, state carried).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * usage: bench-vad [REPEATS]   (default 4: the two speech-real recordings,
 * 0870 and chan3, concatenated and repeated: 4 x 27.9 s of audio)
 * Needs tools/omni-fetch-models, sox and node. Prints x-real-time for each
 * and the ratios. Run under the heavy lock (scripts/bench does).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <omni/nn/omninnvad.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const gchar *const recordings[] = {
  "sense_and_sensibility_01_austen_64kb-0870.wav",
  "chan3.wav",
};

/* The recordings at 16 kHz mono float32, concatenated @repeats times,
 * written to @path. */
static GArray *
make_input (guint repeats, const gchar *path)
{
  GArray *all = g_array_new (FALSE, FALSE, sizeof (gfloat)), *one;
  guint i, r;

  one = g_array_new (FALSE, FALSE, sizeof (gfloat));
  for (i = 0; i < G_N_ELEMENTS (recordings); i++) {
    gchar *src = g_build_filename (OMNI_SOURCE_DIR, "..", "shared", "data",
        "speech-real", recordings[i], NULL);
    gchar *tmp = g_strdup_printf ("%s.part", path), *bytes = NULL;
    gchar *cmd = g_strdup_printf (
        "sox '%s' -r 16000 -c 1 -t f32 -e floating-point '%s'", src, tmp);
    gsize len = 0;

    if (system (cmd) != 0 || !g_file_get_contents (tmp, &bytes, &len, NULL)) {
      g_printerr ("bench-vad: sox failed on %s\n", src);
      exit (1);
    }
    g_array_append_vals (one, bytes, len / sizeof (gfloat));
    g_unlink (tmp);
    g_free (bytes);
    g_free (cmd);
    g_free (tmp);
    g_free (src);
  }
  for (r = 0; r < repeats; r++)
    g_array_append_vals (all, one->data, one->len);
  g_array_unref (one);
  g_file_set_contents (path, all->data, all->len * sizeof (gfloat), NULL);
  return all;
}

/* Our runtime: seconds for all frames (model load excluded). */
static gdouble
run_ours (const gchar *backend, GArray *x, gchar **path, gdouble *mean_p)
{
  GError *err = NULL;
  OmniNnVad *v = omni_nn_vad_new ("silero-vad", backend, &err);
  guint frame, f, n;
  gdouble sum = 0;
  gint64 t0;
  gfloat p;

  if (!v) {
    g_printerr ("bench-vad: %s\n", err->message);
    exit (1);
  }
  frame = omni_nn_vad_get_frame (v);
  n = x->len / frame;
  omni_nn_vad_process (v, (gfloat *) x->data, &p, NULL); /* warm-up */
  omni_nn_vad_reset (v);
  t0 = g_get_monotonic_time ();
  for (f = 0; f < n; f++) {
    if (!omni_nn_vad_process (
            v, (gfloat *) x->data + (gsize) f * frame, &p, &err)) {
      g_printerr ("bench-vad: %s\n", err->message);
      exit (1);
    }
    sum += p;
  }
  t0 = g_get_monotonic_time () - t0;
  *mean_p = sum / n;
  if (path && !*path)
    *path = g_strdup (omni_nn_vad_get_path (v));
  omni_nn_vad_free (v);
  return t0 / 1e6;
}

/* onnxruntime-node: the seconds its own loop measured. */
static gdouble
run_ort (const gchar *model, const gchar *input, gdouble *mean_p)
{
  gchar *script = g_build_filename (
      OMNI_SOURCE_DIR, "gst-tests", "data", "silero-vad-reference.js", NULL);
  const gchar *argv[] = { "node", script, model, input, NULL };
  gchar *out = NULL;
  gint status;
  JsonParser *p = json_parser_new ();
  JsonObject *o;
  JsonArray *a;
  gdouble s, sum = 0;
  guint i;

  if (!g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
          NULL, &out, NULL, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL)
      || !json_parser_load_from_data (p, out, -1, NULL)) {
    g_printerr ("bench-vad: onnxruntime-node failed\n");
    exit (1);
  }
  o = json_node_get_object (json_parser_get_root (p));
  s = json_object_get_double_member (o, "seconds");
  a = json_object_get_array_member (o, "probabilities");
  for (i = 0; i < json_array_get_length (a); i++)
    sum += json_array_get_double_element (a, i);
  *mean_p = sum / MAX (json_array_get_length (a), 1);
  g_object_unref (p);
  g_free (out);
  g_free (script);
  return s;
}

int
main (int argc, char **argv)
{
  guint repeats = argc > 1 ? (guint) atoi (argv[1]) : 4;
  gchar *input = g_build_filename (g_get_tmp_dir (), "bench-vad.f32", NULL);
  gchar *model = NULL;
  GArray *x = make_input (MAX (repeats, 1), input);
  gdouble audio = x->len / 16000.0, cpu, vk = 0, ort, pc, pv = 0, po;

  cpu = run_ours ("cpu", x, &model, &pc);
#if HAVE_VULKAN
  vk = run_ours ("vulkan", x, &model, &pv);
#endif
  ort = run_ort (model, input, &po);
  printf ("Silero VAD v5, %.1f s of 16 kHz speech, %u frames of 32 ms\n", audio,
      x->len / 512);
  printf ("  ours, CPU backend:        %8.1f x real time (%.3f ms/frame, "
          "mean p %.4f)\n",
      audio / cpu, cpu * 1e3 / (x->len / 512), pc);
  if (vk > 0)
    printf ("  ours, Vulkan (%s): %8.1f x real time (%.3f ms/frame, mean p "
            "%.4f)\n",
        "lavapipe", audio / vk, vk * 1e3 / (x->len / 512), pv);
  printf ("  onnxruntime-node CPU:     %8.1f x real time (%.3f ms/frame, "
          "mean p %.4f)\n",
      audio / ort, ort * 1e3 / (x->len / 512), po);
  printf ("  ratio ours CPU / onnxruntime: %.2f\n", ort / cpu);
  if (vk > 0)
    printf ("  ratio ours Vulkan / onnxruntime: %.2f\n", ort / vk);
  g_unlink (input);
  g_free (input);
  g_free (model);
  g_array_unref (x);
  return 0;
}
