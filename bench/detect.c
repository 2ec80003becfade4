/* gst-omni bench/detect: one 1080p frame in, boxes out — omnidetect
 * (pre-processing, the model on Vulkan, e.g. lavapipe, decoding, NMS, metas,
 * message) against @vladmandic/human's path on TF.js with
 * @tensorflow/tfjs-backend-wasm (frame to tensor, resize, the same
 * model.json, human's decoding: bench/detect-tfjs.js), same machine, same
 * run, same frame.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The engines run in interleaved rounds so that a change of load affects
 * them alike; medians over all rounds are compared and the ratio printed
 * (> 1: gst-omni faster).
 *
 * usage: bench-detect [--iterations N] [--rounds R] [--photo FILE]
 *                     [MODEL...]   (default: centernet blazeface)
 * Needs the models (tools/omni-fetch-models), the omni plugin in
 * GST_PLUGIN_PATH and Node.js with tools/node's packages.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstharness.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define W 1920
#define H 1080

typedef struct {
  GPid pid;
  FILE *in, *out;
} Peer;

static gboolean
peer_start (Peer *peer, const gchar *model, const gchar *frame)
{
  const gchar *models = g_getenv ("OMNI_MODEL_PATH");
  gchar *script
      = g_build_filename (OMNI_SOURCE_DIR, "bench", "detect-tfjs.js", NULL);
  gchar *json
      = g_build_filename (models ? models : OMNI_SOURCE_DIR "/build/models",
          model, "model.json", NULL);
  gchar *argv[] = { (gchar *) "node", script, (gchar *) "wasm", (gchar *) model,
    json, (gchar *) frame, (gchar *) G_STRINGIFY (W), (gchar *) G_STRINGIFY (H),
    NULL };
  GError *err = NULL;
  gint fin, fout;
  gchar line[256];
  gboolean ok;

  ok = g_spawn_async_with_pipes (NULL, argv, NULL,
      G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &peer->pid,
      &fin, &fout, NULL, &err);
  g_free (script);
  g_free (json);
  if (!ok) {
    g_printerr ("node: %s\n", err->message);
    g_error_free (err);
    return FALSE;
  }
  peer->in = fdopen (fin, "w");
  peer->out = fdopen (fout, "r");
  if (!fgets (line, sizeof (line), peer->out) || !strstr (line, "ready")) {
    g_printerr ("tfjs-wasm did not start (run tools/omni-fetch-models)\n");
    return FALSE;
  }
  return TRUE;
}

static gboolean
peer_round (Peer *peer, guint n, GArray *ms, gint *boxes)
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
    guint i;

    for (i = 0; t && i < json_array_get_length (t); i++) {
      gdouble v = json_array_get_double_element (t, i);

      g_array_append_val (ms, v);
    }
    *boxes = json_object_get_int_member (o, "boxes");
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

/* @n frames through omnidetect: push to pull, boxes attached and posted */
static gboolean
ours_round (GstHarness *h, GstBus *bus, GstBuffer *frame, guint n, GArray *ms,
    gint *boxes)
{
  guint i;

  for (i = 0; i < n; i++) {
    gint64 t0 = g_get_monotonic_time ();
    GstBuffer *out;
    GstMessage *msg;
    gdouble v;

    if (gst_harness_push (h, gst_buffer_copy (frame)) != GST_FLOW_OK)
      return FALSE;
    out = gst_harness_pull (h);
    v = (g_get_monotonic_time () - t0) / 1000.0;
    g_array_append_val (ms, v);
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT);
    if (!msg)
      return FALSE;
    *boxes = gst_value_list_get_size (
        gst_structure_get_value (gst_message_get_structure (msg), "boxes"));
    gst_message_unref (msg);
    gst_buffer_unref (out);
  }
  return TRUE;
}

static gdouble
median (GArray *a)
{
  gdouble *v = (gdouble *) a->data;
  guint i, j;

  for (i = 1; i < a->len; i++)
    for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
      gdouble t = v[j];

      v[j] = v[j - 1];
      v[j - 1] = t;
    }
  return a->len ? v[a->len / 2] : 0;
}

/* the photo scaled to 1920x1080 RGB (a real picture, with objects) */
static GstSample *
load_frame (const gchar *photo)
{
  gchar *desc = g_strdup_printf (
      "filesrc location=\"%s\" ! decodebin ! videoconvert ! "
      "videoscale ! video/x-raw,format=RGB,width=%d,height=%d,"
      "pixel-aspect-ratio=1/1 ! appsink name=s",
      photo, W, H);
  GstElement *p = gst_parse_launch (desc, NULL), *s;
  GstSample *sample = NULL;

  g_free (desc);
  if (!p)
    return NULL;
  s = gst_bin_get_by_name (GST_BIN (p), "s");
  gst_element_set_state (p, GST_STATE_PAUSED);
  g_signal_emit_by_name (s, "pull-preroll", &sample);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (s);
  gst_object_unref (p);
  return sample;
}

static gchar *
write_packed (GstSample *sample)
{
  GstMapInfo map;
  gchar *file = NULL;
  gint fd = g_file_open_tmp ("omni-bench-detect-XXXXXX.rgb", &file, NULL);

  if (fd >= 0)
    close (fd);
  /* 1920 * 3 is a multiple of 4: the rows are packed */
  gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
  g_file_set_contents (
      file, (const gchar *) map.data, (gssize) W * H * 3, NULL);
  gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
  return file;
}

static gboolean
bench_model (const gchar *model, GstSample *sample, const gchar *file,
    guint rounds, guint per_round)
{
  GstElement *e = gst_element_factory_make ("omnidetect", NULL);
  GArray *t_wasm = g_array_new (FALSE, FALSE, sizeof (gdouble));
  GArray *t_ours = g_array_new (FALSE, FALSE, sizeof (gdouble));
  GstBus *bus = gst_bus_new ();
  Peer peer = { 0 };
  GstHarness *h;
  gint n_wasm = -1, n_ours = -1;
  gboolean ok;
  guint r;
  gdouble mw, mo;

  if (!e) {
    g_printerr (
        "no omnidetect element: set GST_PLUGIN_PATH to build/plugins/omni\n");
    return FALSE;
  }
  /* human's settings (config.ts): the same boxes on both sides */
  g_object_set (e, "model", model, "threshold", 0.2, "nms-threshold",
      !strcmp (model, "blazeface") ? 0.1 : 0.4, "max-detections", 10,
      "nms-class-aware", FALSE, NULL);
  h = gst_harness_new_with_element (e, "sink", "src");
  gst_object_unref (e);
  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps (h, gst_caps_copy (gst_sample_get_caps (sample)));
  ok = peer_start (&peer, model, file)
       && ours_round (
           h, bus, gst_sample_get_buffer (sample), 2, t_ours, &n_ours);
  g_array_set_size (t_ours, 0);
  for (r = 0; ok && r < rounds; r++)
    ok = peer_round (&peer, per_round, t_wasm, &n_wasm)
         && ours_round (h, bus, gst_sample_get_buffer (sample), per_round,
             t_ours, &n_ours);
  peer_stop (&peer);
  if (ok) {
    mw = median (t_wasm);
    mo = median (t_ours);
    g_print (
        "%-10s 1920x1080 RGB -> boxes  tfjs-wasm + human %8.1f ms (%d boxes)  "
        "omnidetect %8.1f ms (%d boxes)  ratio %.2fx\n",
        model, mw, n_wasm, mo, n_ours, mw / mo);
  }
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
  g_array_unref (t_wasm);
  g_array_unref (t_ours);
  return ok;
}

int
main (int argc, char **argv)
{
  guint iterations = 10, rounds = 5;
  gchar *photo = NULL, *file;
  GOptionEntry entries[] = {
    { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations, "Frames per engine",
        "N" },
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "Interleaved rounds", "R" },
    { "photo", 'p', 0, G_OPTION_ARG_FILENAME, &photo,
        "The picture (scaled to 1080p)", "FILE" },
    { NULL },
  };
  GOptionContext *ctx = g_option_context_new ("[MODEL...]");
  GError *err = NULL;
  GstSample *sample;
  gboolean ok = TRUE;
  gint i;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("%s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);
  if (!photo)
    photo = g_strdup (
        "/usr/lib/python3/dist-packages/skimage/data/astronaut.png");
  sample = load_frame (photo);
  if (!sample) {
    g_printerr ("cannot decode %s\n", photo);
    return 1;
  }
  file = write_packed (sample);
  rounds = MAX (rounds, 1);
  g_print (
      "%u interleaved rounds of %u frames per engine; %s scaled to 1920x1080\n",
      rounds, MAX (iterations / rounds, 1), photo);
  if (argc < 2) {
    ok &= bench_model (
        "centernet", sample, file, rounds, MAX (iterations / rounds, 1));
    ok &= bench_model (
        "blazeface", sample, file, rounds, MAX (iterations / rounds, 1));
  }
  for (i = 1; i < argc; i++)
    ok &= bench_model (
        argv[i], sample, file, rounds, MAX (iterations / rounds, 1));
  g_remove (file);
  g_free (file);
  g_free (photo);
  gst_sample_unref (sample);
  return ok ? 0 : 1;
}
