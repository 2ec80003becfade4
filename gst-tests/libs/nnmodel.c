/* gst-omni: TF.js model loader and whole-model accuracy against nsfwjs
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Needs the nsfw model (tools/omni-fetch-models, run by scripts/setup) in
 * $OMNI_MODEL_PATH, Node.js with tools/node's packages for the reference,
 * and the photographs of Debian's mate-backgrounds and gnome-backgrounds.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <omni/nn/omninncpu.h>
#include <omni/nn/omninnmodel.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define SIZE 224

static const gchar *nsfw_labels[]
    = { "Drawing", "Hentai", "Neutral", "Porn", "Sexy" };

static gchar *
nsfw_dir (void)
{
  const gchar *env = g_getenv ("OMNI_MODEL_PATH");
  gchar *dir = g_build_filename (env ? env : OMNI_BUILD_MODELDIR, "nsfw", NULL);
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

/* A private copy of the nsfw model directory, to damage; with its
 * SHA256SUMS when @with_sums. */
static gchar *
copy_model_full (gboolean with_sums)
{
  gchar *src = nsfw_dir ();
  gchar *dst = g_dir_make_tmp ("omni-nnmodel-XXXXXX", NULL);
  const gchar *files[]
      = { "model.json", "group1-shard1of1.bin", "labels.txt", "SHA256SUMS" };
  guint i;

  fail_unless (dst != NULL);
  for (i = 0; i < G_N_ELEMENTS (files) - (with_sums ? 0 : 1); i++) {
    gchar *a = g_build_filename (src, files[i], NULL);
    gchar *b = g_build_filename (dst, files[i], NULL);
    gsize len;
    gchar *data = read_file (a, &len);

    write_file (b, data, len);
    g_free (data);
    g_free (a);
    g_free (b);
  }
  g_free (src);
  return dst;
}

static gchar *
copy_model (void)
{
  return copy_model_full (FALSE);
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

static GError *
load_error (const gchar *path)
{
  GError *err = NULL;
  OmniNnModel *m = omni_nn_model_load (path, NULL, NULL, &err);

  fail_unless (m == NULL, "%s loaded", path);
  fail_unless (err != NULL);
  return err;
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

GST_START_TEST (test_load_nsfw)
{
  GError *err = NULL;
  OmniNnModel *m = omni_nn_model_load ("nsfw", NULL, NULL, &err);
  const OmniNnGraph *g;
  gint pi, ei;
  guint i;
  guint64 macs;

  fail_unless (m != NULL, "%s", err ? err->message : "");
  g = m->graph;
  fail_unless_equals_string (m->id, "nsfw");
  fail_unless (g_str_has_suffix (m->path, "/nsfw/model.json"));
  fail_unless_equals_int (m->n_labels, 5);
  for (i = 0; i < 5; i++)
    fail_unless_equals_string (m->labels[i], nsfw_labels[i]);
  fail_unless (m->labels[5] == NULL);

  fail_unless_equals_int (g->input_h, SIZE);
  fail_unless_equals_int (g->input_w, SIZE);
  fail_unless_equals_int (g->input_c, 3);
  fail_unless (g->align_corners);
  fail_unless (fabsf (g->input_scale - 1.0f / 255) < 1e-9f);
  fail_unless_equals_float (g->input_offset, 0.0f);

  pi = omni_nn_graph_find_output (g, "probabilities");
  ei = omni_nn_graph_find_output (g, "embedding");
  fail_unless_equals_int (pi, 0);
  fail_unless_equals_int (ei, 1);
  fail_unless_equals_int (
      omni_nn_graph_tensor (g, omni_nn_graph_output (g, pi)->tensor)
          ->n_elements,
      5);
  fail_unless_equals_int (
      omni_nn_graph_tensor (g, omni_nn_graph_output (g, ei)->tensor)
          ->n_elements,
      1280);

  /* all 52 batch norms folded and all 35 ReLU6 fused: what remains is 52
   * convolutions (the first 3x3 one, 17 depthwise, 34 1x1 ones run as
   * pointwise GEMMs), 5 paddings, 10 adds, the pool, 3 dense and the
   * softmax */
  {
    guint count[OMNI_NN_OP_N_OPS] = { 0 };

    for (i = 0; i < g->nodes->len; i++)
      count[omni_nn_graph_node (g, i)->op]++;
    fail_unless_equals_int (count[OMNI_NN_OP_BATCH_NORM], 0);
    fail_unless_equals_int (count[OMNI_NN_OP_ACTIVATION], 0);
    fail_unless_equals_int (count[OMNI_NN_OP_CONV2D], 1);
    fail_unless_equals_int (count[OMNI_NN_OP_DEPTHWISE_CONV2D], 17);
    fail_unless_equals_int (count[OMNI_NN_OP_POINTWISE_CONV2D], 34);
    fail_unless_equals_int (count[OMNI_NN_OP_PAD], 5);
    fail_unless_equals_int (count[OMNI_NN_OP_ADD], 10);
    fail_unless_equals_int (count[OMNI_NN_OP_GLOBAL_AVG_POOL], 1);
    fail_unless_equals_int (count[OMNI_NN_OP_DENSE], 3);
    fail_unless_equals_int (count[OMNI_NN_OP_SOFTMAX], 1);
  }
  /* MobileNetV2 1.0/224 is ~300 M multiply-adds (Sandler et al. 2018,
   * table 3); the 1280-256-128-5 head adds 0.36 M */
  macs = omni_nn_graph_count_macs (g);
  fail_unless (
      macs > 295000000 && macs < 305000000, "%" G_GUINT64_FORMAT, macs);
  omni_nn_model_free (m);
}

GST_END_TEST;

GST_START_TEST (test_embedding_layer)
{
  GError *err = NULL;
  OmniNnModel *m = omni_nn_model_load ("nsfw", NULL, "out_relu", &err);
  gint ei;

  fail_unless (m != NULL, "%s", err ? err->message : "");
  ei = omni_nn_graph_find_output (m->graph, "embedding");
  fail_unless (ei >= 0);
  /* the last 7x7x1280 feature map */
  fail_unless_equals_int (omni_nn_graph_tensor (m->graph,
                              omni_nn_graph_output (m->graph, ei)->tensor)
                              ->n_elements,
      7 * 7 * 1280);
  omni_nn_model_free (m);

  fail_if (omni_nn_model_load ("nsfw", NULL, "no_such_layer", &err));
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_SETTING));
  fail_unless (strstr (err->message, "no_such_layer") != NULL);
  g_clear_error (&err);
}

GST_END_TEST;

GST_START_TEST (test_missing_model)
{
  GError *err;

  err = load_error ("/nonexistent/omni/model.json");
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND));
  fail_unless (strstr (err->message, "/nonexistent/omni") != NULL);
  g_error_free (err);

  err = load_error ("/nonexistent/omni/");
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND));
  g_error_free (err);

  err = load_error ("no-such-model");
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND));
  fail_unless (
      strstr (err->message, "omni-fetch-models") != NULL, "%s", err->message);
  g_error_free (err);

  /* labels file given but missing */
  err = NULL;
  fail_if (omni_nn_model_load ("nsfw", "/nonexistent/labels.txt", NULL, &err));
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_SETTING));
  fail_unless (
      strstr (err->message, "labels file") != NULL, "%s", err->message);
  g_clear_error (&err);
}

GST_END_TEST;

GST_START_TEST (test_corrupt_json)
{
  gchar *dir = copy_model ();
  gchar *path = g_build_filename (dir, "model.json", NULL);
  gsize len, cut;
  gchar *orig = read_file (path, &len);
  const gchar *bad[] = {
    "{ this is not json",
    "",
    "[1, 2, 3]",
    "{}",
    "{\"modelTopology\": 5, \"weightsManifest\": []}",
    "{\"format\": \"graph-model\", \"modelTopology\": {}, "
    "\"weightsManifest\": []}",
    "{\"modelTopology\": {\"model_config\": {\"class_name\": \"Model\", "
    "\"config\": {\"layers\": 5}}}, \"weightsManifest\": []}",
    "{\"modelTopology\": {\"model_config\": {\"class_name\": \"Model\", "
    "\"config\": {\"layers\": [1, null, {}]}}}, \"weightsManifest\": []}",
    "{\"modelTopology\": {\"class_name\": \"Model\", \"config\": {\"layers\":"
    " [{\"class_name\": \"Dense\", \"name\": \"d\", \"config\": {}, "
    "\"inbound_nodes\": [[[\"nowhere\", 0, 0, {}]]]}]}}, "
    "\"weightsManifest\": []}",
    "{\"modelTopology\": {\"class_name\": \"Model\", \"config\": {}}, "
    "\"weightsManifest\": [{\"paths\": [\"/etc/passwd\"], "
    "\"weights\": []}]}",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GError *err;

    write_file (path, bad[i], -1);
    err = load_error (path);
    fail_unless (err->domain == OMNI_NN_ERROR, "%s", bad[i]);
    fail_unless (err->code == OMNI_NN_ERROR_PARSE
                     || err->code == OMNI_NN_ERROR_UNSUPPORTED,
        "%s: %s", bad[i], err->message);
    g_error_free (err);
  }

  /* the real model.json cut short anywhere is not JSON */
  for (cut = 1; cut < len; cut += len / 13) {
    GError *err;

    write_file (path, orig, cut);
    err = load_error (path);
    fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE),
        "cut at %" G_GSIZE_FORMAT ": %s", cut, err->message);
    g_error_free (err);
  }

  g_free (orig);
  g_free (path);
  remove_dir (dir);
}

GST_END_TEST;

/* The tensor whose bytes straddle offset @at of the (only) weight group, by
 * reading the manifest independently of the loader. */
static gchar *
tensor_at (const gchar *dir, gsize at)
{
  gchar *path = g_build_filename (dir, "model.json", NULL);
  JsonParser *p = json_parser_new ();
  JsonArray *weights;
  gsize offset = 0;
  gchar *name = NULL;
  guint i, j;

  fail_unless (json_parser_load_from_file (p, path, NULL));
  weights = json_object_get_array_member (
      json_array_get_object_element (
          json_object_get_array_member (
              json_node_get_object (json_parser_get_root (p)),
              "weightsManifest"),
          0),
      "weights");
  for (i = 0; i < json_array_get_length (weights) && !name; i++) {
    JsonObject *w = json_array_get_object_element (weights, i);
    JsonArray *shape = json_object_get_array_member (w, "shape");
    gsize n = 1;

    for (j = 0; j < json_array_get_length (shape); j++)
      n *= json_array_get_int_element (shape, j);
    /* nsfwjs' weights are all uint8-quantized: one byte each */
    fail_unless_equals_string (
        json_object_get_string_member (
            json_object_get_object_member (w, "quantization"), "dtype"),
        "uint8");
    if (offset + n > at)
      name = g_strdup (json_object_get_string_member (w, "name"));
    offset += n;
  }
  g_object_unref (p);
  g_free (path);
  return name;
}

GST_START_TEST (test_truncated_shard)
{
  gchar *dir = copy_model ();
  gchar *bin = g_build_filename (dir, "group1-shard1of1.bin", NULL);
  gchar *json = g_build_filename (dir, "model.json", NULL);
  gsize len;
  gchar *data = read_file (bin, &len);
  const gsize cuts[] = { 0, 1000, 1234567, 0 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cuts); i++) {
    gsize cut = cuts[i] ? cuts[i] : len - 1;
    gchar *name = tensor_at (dir, cut);
    gchar *quoted = g_strdup_printf ("'%s'", name);
    GError *err;

    write_file (bin, data, cut);
    err = load_error (json);
    fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_WEIGHTS),
        "%s", err->message);
    fail_unless (strstr (err->message, quoted) != NULL,
        "cut at %" G_GSIZE_FORMAT ": '%s' not named in: %s", cut, name,
        err->message);
    g_error_free (err);
    g_free (quoted);
    g_free (name);
  }

  /* extra bytes after the last tensor: a mismatched file */
  {
    gchar *longer = g_malloc0 (len + 16);
    GError *err;

    memcpy (longer, data, len);
    write_file (bin, longer, len + 16);
    err = load_error (json);
    fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_WEIGHTS));
    fail_unless (
        strstr (err->message, "16 bytes after the last tensor") != NULL, "%s",
        err->message);
    g_error_free (err);
    g_free (longer);
  }

  /* no shard at all */
  {
    GError *err;

    g_unlink (bin);
    err = load_error (json);
    fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_WEIGHTS));
    fail_unless (strstr (err->message, "group1-shard1of1.bin") != NULL);
    fail_unless (
        strstr (err->message, "Conv1/kernel") != NULL, "%s", err->message);
    g_error_free (err);
  }

  g_free (data);
  g_free (bin);
  g_free (json);
  remove_dir (dir);
}

GST_END_TEST;

GST_START_TEST (test_unsupported_layers)
{
  gchar *dir = copy_model ();
  gchar *json = g_build_filename (dir, "model.json", NULL);
  gchar *orig = read_file (json, NULL);
  GError *err;

  /* an unknown layer class is named with its layer */
  edit_model_json (
      dir, "\"class_name\":\"Dropout\"", "\"class_name\":\"FancyLayer\"");
  err = load_error (json);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED));
  fail_unless (
      strstr (err->message, "'FancyLayer'") != NULL, "%s", err->message);
  fail_unless (
      strstr (err->message, "'dropout_2'") != NULL, "%s", err->message);
  g_error_free (err);

  /* a known class with an option outside the op set */
  write_file (json, orig, -1);
  edit_model_json (dir, "\"max_value\":6", "\"max_value\":4");
  err = load_error (json);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED));
  fail_unless (
      strstr (err->message, "'Conv1_relu'") != NULL, "%s", err->message);
  g_error_free (err);

  write_file (json, orig, -1);
  edit_model_json (dir, "\"activation\":\"relu\"", "\"activation\":\"swish\"");
  err = load_error (json);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED));
  fail_unless (strstr (err->message, "'swish'") != NULL, "%s", err->message);
  g_error_free (err);

  /* a layer whose weights do not fit its configuration */
  write_file (json, orig, -1);
  edit_model_json (dir, "\"filters\":32", "\"filters\":16");
  err = load_error (json);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_WEIGHTS));
  fail_unless (
      strstr (err->message, "'Conv1/kernel'") != NULL, "%s", err->message);
  g_error_free (err);

  g_free (orig);
  g_free (json);
  remove_dir (dir);
}

GST_END_TEST;

/* A hand-written Sequential model with float16, uint16 and uint8 weights:
 * input 1x2x3 -> Conv2D 1x1 (2 filters, uint16 kernel, float16 bias, relu)
 * -> GlobalAveragePooling2D -> Dense (2 units, uint8 kernel, float32 bias,
 * softmax). Quantized values are chosen to dequantize exactly. */
GST_START_TEST (test_quantized_sequential)
{
  const gchar *model
      = "{\"format\": \"layers-model\", \"modelTopology\": {\"class_name\": "
        "\"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
        "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c\", "
        "\"batch_input_shape\": [null, 1, 2, 3], \"filters\": 2, "
        "\"kernel_size\": [1, 1], \"strides\": [1, 1], \"padding\": \"valid\","
        " \"activation\": \"relu\", \"use_bias\": true}},"
        "{\"class_name\": \"GlobalAveragePooling2D\", \"config\": {\"name\": "
        "\"g\"}},"
        "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": "
        "2, \"activation\": \"softmax\"}}]}},"
        "\"weightsManifest\": [{\"paths\": [\"w.bin\"], \"weights\": ["
        "{\"name\": \"c/kernel\", \"shape\": [1, 1, 3, 2], \"dtype\": "
        "\"float32\", \"quantization\": {\"dtype\": \"uint16\", \"scale\": "
        "0.5, \"min\": -1}},"
        "{\"name\": \"c/bias\", \"shape\": [2], \"dtype\": \"float32\", "
        "\"quantization\": {\"dtype\": \"float16\"}},"
        "{\"name\": \"d/kernel\", \"shape\": [2, 2], \"dtype\": \"float32\", "
        "\"quantization\": {\"dtype\": \"uint8\", \"scale\": 0.25, \"min\": "
        "0}},"
        "{\"name\": \"d/bias\", \"shape\": [2], \"dtype\": \"float32\"}]}],"
        "\"userDefinedMetadata\": {\"omni\": {\"inputScale\": 1, "
        "\"inputOffset\": 0, \"alignCorners\": false}}}";
  /* kernel [ci][co] = q * 0.5 - 1 with q = 2, 4, 3, 2, 4, 0 ->
   * [[0, 1], [0.5, 0], [1, -1]]; bias 0.5, -2 as float16 0x3800, 0xc000;
   * dense kernel q * 0.25, q = 4, 0, 0, 8 -> [[1, 0], [0, 2]];
   * dense bias [0.25, -0.5] */
  const guint16 kq[6] = { 2, 4, 3, 2, 4, 0 };
  const guint16 bh[2] = { 0x3800, 0xc000 };
  const guint8 dq[4] = { 4, 0, 0, 8 };
  const gfloat db[2] = { 0.25f, -0.5f };
  const gfloat input[6] = { 1, 2, 3, 4, 5, 6 };
  gchar *dir = g_dir_make_tmp ("omni-nnmodel-XXXXXX", NULL);
  gchar *json = g_build_filename (dir, "model.json", NULL);
  gchar *bin = g_build_filename (dir, "w.bin", NULL);
  GByteArray *w = g_byte_array_new ();
  GError *err = NULL;
  OmniNnModel *m;
  const OmniNnBackend *b = omni_nn_cpu_backend ();
  gpointer s;
  OmniNnInput in = { 0 };
  gfloat probs[2], want[2], pix[2][2], gap[2], logit[2];
  gfloat *outs[2] = { probs, NULL };
  guint i, px, co;

  for (i = 0; i < 6; i++) {
    guint16 v = GUINT16_TO_LE (kq[i]);

    g_byte_array_append (w, (guint8 *) &v, 2);
  }
  for (i = 0; i < 2; i++) {
    guint16 v = GUINT16_TO_LE (bh[i]);

    g_byte_array_append (w, (guint8 *) &v, 2);
  }
  g_byte_array_append (w, dq, 4);
  g_byte_array_append (w, (const guint8 *) db, 8);
  write_file (json, model, -1);
  write_file (bin, (const gchar *) w->data, w->len);
  g_byte_array_unref (w);

  m = omni_nn_model_load (json, NULL, NULL, &err);
  fail_unless (m != NULL, "%s", err ? err->message : "");
  fail_unless_equals_int (m->n_labels, 0);
  fail_unless_equals_int (m->graph->input_h, 1);
  fail_unless_equals_int (m->graph->input_w, 2);
  fail_unless_equals_float (m->graph->input_scale, 1.0f);
  fail_unless (omni_nn_graph_find_output (m->graph, "probabilities") == 0);
  fail_unless (omni_nn_graph_find_output (m->graph, "embedding") == 1);

  /* by hand */
  {
    const gfloat k[3][2] = { { 0, 1 }, { 0.5f, 0 }, { 1, -1 } };
    const gfloat cb[2] = { 0.5f, -2 };

    for (px = 0; px < 2; px++)
      for (co = 0; co < 2; co++) {
        gfloat v = cb[co];

        for (i = 0; i < 3; i++)
          v += input[px * 3 + i] * k[i][co];
        pix[px][co] = MAX (v, 0);
      }
    for (co = 0; co < 2; co++)
      gap[co] = (pix[0][co] + pix[1][co]) / 2;
    logit[0] = gap[0] * 1 + db[0];
    logit[1] = gap[1] * 2 + db[1];
    want[0] = 1.0f / (1.0f + expf (logit[1] - logit[0]));
    want[1] = 1.0f - want[0];
  }

  s = b->prepare (m->graph, NULL, &err);
  fail_unless (s != NULL, "%s", err ? err->message : "");
  in.tensor = input;
  fail_unless (b->run (s, &in, outs, &err), "%s", err ? err->message : "");
  fail_unless (
      fabsf (probs[0] - want[0]) < 1e-6f, "%f != %f", probs[0], want[0]);
  fail_unless (
      fabsf (probs[1] - want[1]) < 1e-6f, "%f != %f", probs[1], want[1]);
  b->free (s);
  omni_nn_model_free (m);

  g_unlink (bin);
  g_unlink (json);
  g_free (bin);
  g_free (json);
  g_rmdir (dir);
  g_free (dir);
}

GST_END_TEST;

/* ---- whole model against nsfwjs ---------------------------------------- */

typedef struct {
  const gchar *path;
  gboolean drawing; /* a rendering: Drawing or Neutral */
} Picture;

/* Photographs (mate-backgrounds) must come out Neutral; GNOME's rendered
 * wallpapers (gnome-backgrounds) Neutral or Drawing. */
static const Picture pictures[] = {
  { "/usr/share/backgrounds/mate/nature/Aqua.jpg", FALSE },
  { "/usr/share/backgrounds/mate/nature/Dune.jpg", FALSE },
  { "/usr/share/backgrounds/mate/nature/GreenMeadow.jpg", FALSE },
  { "/usr/share/backgrounds/mate/nature/LadyBird.jpg", FALSE },
  { "/usr/share/backgrounds/mate/nature/Storm.jpg", FALSE },
  { "/usr/share/backgrounds/gnome/adwaita-l.webp", TRUE },
  { "/usr/share/backgrounds/gnome/vnc-l.webp", TRUE },
  { "/usr/share/backgrounds/gnome/symbolic-l.webp", TRUE },
};

/* Decodes @path with GStreamer and scales it to 224x224 RGB into @out. */
static void
decode_to_rgb (const gchar *path, const gchar *out)
{
  gchar *desc = g_strdup_printf (
      "filesrc location=\"%s\" ! decodebin ! "
      "videoconvert ! videoscale ! video/x-raw,format=RGB,width=%d,"
      "height=%d ! filesink location=\"%s\"",
      path, SIZE, SIZE, out);
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &err);
  GstBus *bus;
  GstMessage *msg;

  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (
      bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "%s: timeout", path);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gchar *dbg = NULL;

    gst_message_parse_error (msg, &err, &dbg);
    fail ("%s: %s (%s)", path, err->message, dbg);
  }
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  g_free (desc);
}

static void
top2 (const gfloat *p, guint n, guint *top, gfloat *margin)
{
  guint i, a = 0, b = 1;

  if (p[b] > p[a]) {
    a = 1;
    b = 0;
  }
  for (i = 2; i < n; i++) {
    if (p[i] > p[a]) {
      b = a;
      a = i;
    } else if (p[i] > p[b]) {
      b = i;
    }
  }
  *top = a;
  *margin = p[a] - p[b];
}

GST_START_TEST (test_nsfw_matches_nsfwjs)
{
  const guint n = G_N_ELEMENTS (pictures);
  gchar *tmp = g_dir_make_tmp ("omni-nnmodel-XXXXXX", NULL);
  gchar *script = g_build_filename (
      OMNI_TESTS_SRCDIR, "data", "nsfwjs-reference.js", NULL);
  gchar *node = g_find_program_in_path ("node");
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  gchar *out = NULL, *errout = NULL;
  gint status;
  GError *err = NULL;
  JsonParser *parser;
  JsonArray *ref;
  OmniNnModel *m;
  const OmniNnBackend *b = omni_nn_cpu_backend ();
  gpointer state;
  gfloat max_prob_diff = 0, max_emb_diff = 0;
  guint i, j;

  fail_unless (node != NULL, "node not found: run scripts/setup");
  m = omni_nn_model_load ("nsfw", NULL, NULL, &err);
  fail_unless (m != NULL, "%s", err ? err->message : "");
  state = b->prepare (m->graph, NULL, &err);
  fail_unless (state != NULL, "%s", err ? err->message : "");

  g_ptr_array_add (argv, g_strdup (node));
  g_ptr_array_add (argv, g_strdup (script));
  g_ptr_array_add (argv, g_strdup ("--embedding"));
  for (i = 0; i < n; i++) {
    gchar *base = g_path_get_basename (pictures[i].path);
    gchar *rgb = g_strdup_printf ("%s/%s.rgb", tmp, base);

    fail_unless (g_file_test (pictures[i].path, G_FILE_TEST_IS_REGULAR),
        "%s missing: run scripts/setup (mate-backgrounds, gnome-backgrounds)",
        pictures[i].path);
    decode_to_rgb (pictures[i].path, rgb);
    g_ptr_array_add (argv, rgb);
    g_free (base);
  }
  g_ptr_array_add (argv, NULL);

  fail_unless (g_spawn_sync (NULL, (gchar **) argv->pdata, NULL,
                   G_SPAWN_DEFAULT, NULL, NULL, &out, &errout, &status, &err),
      "%s", err ? err->message : "");
  fail_unless (g_spawn_check_wait_status (status, NULL),
      "nsfwjs-reference.js failed (run tools/omni-fetch-models): %s", errout);

  parser = json_parser_new ();
  fail_unless (json_parser_load_from_data (parser, out, -1, &err), "%s",
      err ? err->message : "");
  ref = json_node_get_array (json_parser_get_root (parser));
  fail_unless_equals_int (json_array_get_length (ref), n);

  for (i = 0; i < n; i++) {
    JsonObject *r = json_array_get_object_element (ref, i);
    JsonArray *rp = json_object_get_array_member (r, "probabilities");
    JsonArray *re = json_object_get_array_member (r, "embedding");
    const gchar *rgb = g_ptr_array_index (argv, 3 + i);
    gsize len;
    gchar *bytes = read_file (rgb, &len);
    OmniNnPreprocessParams fp = { 0 };
    OmniNnInput in = { 0 };
    gfloat probs[5], emb[1280], want[5];
    gfloat *outs[2] = { probs, emb };
    guint top, rtop;
    gfloat margin, rmargin;

    fail_unless_equals_int (len, SIZE * SIZE * 3);
    fail_unless_equals_int (json_array_get_length (rp), 5);
    fail_unless_equals_int (json_array_get_length (re), 1280);
    fail_unless_equals_string (json_object_get_string_member (r, "file"), rgb);

    /* the frame path: RGB bytes -> pre-processing op -> model */
    fp.layout = OMNI_NN_PIXEL_RGB;
    fp.in_w = fp.in_h = fp.out_w = fp.out_h = SIZE;
    fp.strides[0] = SIZE * 3;
    fp.align_corners = m->graph->align_corners;
    fp.scale = m->graph->input_scale;
    fp.offset = m->graph->input_offset;
    in.frame_params = &fp;
    in.frame = (const guint8 *) bytes;
    in.frame_size = len;
    fail_unless (
        b->run (state, &in, outs, &err), "%s", err ? err->message : "");

    for (j = 0; j < 5; j++) {
      want[j] = json_array_get_double_element (rp, j);
      max_prob_diff = MAX (max_prob_diff, fabsf (probs[j] - want[j]));
      fail_unless (fabsf (probs[j] - want[j]) <= 1e-3f, "%s %s: %f, nsfwjs %f",
          pictures[i].path, nsfw_labels[j], probs[j], want[j]);
    }
    for (j = 0; j < 1280; j++) {
      gfloat e = json_array_get_double_element (re, j);

      max_emb_diff = MAX (max_emb_diff, fabsf (emb[j] - e));
      fail_unless (fabsf (emb[j] - e) <= 1e-3f,
          "%s embedding %u: %f, nsfwjs %f", pictures[i].path, j, emb[j], e);
    }
    top2 (probs, 5, &top, &margin);
    top2 (want, 5, &rtop, &rmargin);
    fail_unless_equals_string (nsfw_labels[top], nsfw_labels[rtop]);
    fail_unless (fabsf (margin - rmargin) <= 2e-3f);
    if (pictures[i].drawing)
      fail_unless (
          top == 0 || top == 2, "%s: %s", pictures[i].path, nsfw_labels[top]);
    else
      fail_unless_equals_string (nsfw_labels[top], "Neutral");
    GST_INFO ("%s: %s, margin %.4f (nsfwjs %s, %.4f)", pictures[i].path,
        nsfw_labels[top], margin, nsfw_labels[rtop], rmargin);
    g_print ("%-48s %-8s %.4f margin %.4f | nsfwjs %-8s %.4f margin %.4f\n",
        pictures[i].path, nsfw_labels[top], probs[top], margin,
        nsfw_labels[rtop], want[rtop], rmargin);
    g_free (bytes);
    g_unlink (rgb);
  }
  g_print ("max |p - p_nsfwjs| = %.3g, max |embedding - nsfwjs| = %.3g\n",
      max_prob_diff, max_emb_diff);

  g_object_unref (parser);
  b->free (state);
  omni_nn_model_free (m);
  g_ptr_array_unref (argv);
  g_free (out);
  g_free (errout);
  g_free (node);
  g_free (script);
  g_rmdir (tmp);
  g_free (tmp);
}

GST_END_TEST;

/* ---- fail closed: SHA256SUMS ------------------------------------------- */

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

/* Overwrites @len bytes of @dir/@name at @offset with @bytes. */
static void
damage (const gchar *dir, const gchar *name, gsize offset, const gchar *bytes,
    gsize len)
{
  gchar *path = g_build_filename (dir, name, NULL);
  gsize size;
  gchar *data = read_file (path, &size);

  fail_unless (offset + len <= size);
  memcpy (data + offset, bytes, len);
  write_file (path, data, size);
  g_free (data);
  g_free (path);
}

static void
assert_unverified (const gchar *dir, const gchar *file)
{
  GError *err = load_error (dir);

  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_UNVERIFIED),
      "%s", err->message);
  fail_unless (strstr (err->message, file) != NULL, "%s", err->message);
  fail_unless (strstr (err->message, "allow-unverified") != NULL);
  g_error_free (err);
}

GST_START_TEST (test_fetched_model_verified)
{
  GError *err = NULL;
  OmniNnModel *m = omni_nn_model_load ("nsfw", NULL, NULL, &err);
  gchar *dir = copy_model_full (TRUE);

  fail_unless (m != NULL, "%s", err ? err->message : "");
  fail_unless (m->verified);
  fail_unless (m->unverified_reason == NULL);
  omni_nn_model_free (m);

  /* an intact copy with its sums verifies too */
  m = omni_nn_model_load (dir, NULL, NULL, &err);
  fail_unless (m != NULL && m->verified, "%s", err ? err->message : "");
  omni_nn_model_free (m);
  remove_dir (dir);
}

GST_END_TEST;

GST_START_TEST (test_changed_files_refused)
{
  const gchar *names[] = { "group1-shard1of1.bin", "model.json", "labels.txt" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    gchar *dir = copy_model_full (TRUE);

    /* one byte changed: still a loadable model, but not the one recorded */
    damage (dir, names[i], 2, " ", 1);
    assert_unverified (dir, names[i]);
    remove_dir (dir);
  }
}

GST_END_TEST;

GST_START_TEST (test_random_weights_refused)
{
  gchar *dir = copy_model_full (TRUE);
  gchar *path = g_build_filename (dir, "group1-shard1of1.bin", NULL);
  gsize len, i;
  gchar *data = read_file (path, &len);
  GRand *r = g_rand_new_with_seed (7);
  GError *err = NULL;
  OmniNnModel *m;

  /* random bytes of the right size (they load without the check) */
  for (i = 0; i < len; i++)
    data[i] = (gchar) g_rand_int_range (r, 0, 256);
  write_file (path, data, len);
  assert_unverified (dir, "group1-shard1of1.bin");

  /* allowed: loads, says it is unverified and why */
  m = omni_nn_model_load_full (
      dir, NULL, NULL, OMNI_NN_LOAD_ALLOW_UNVERIFIED, &err);
  fail_unless (m != NULL, "%s", err ? err->message : "");
  fail_if (m->verified);
  fail_unless (strstr (m->unverified_reason, "group1-shard1of1.bin") != NULL,
      "%s", m->unverified_reason);
  omni_nn_model_free (m);
  g_rand_free (r);
  g_free (data);
  g_free (path);
  remove_dir (dir);
}

GST_END_TEST;

GST_START_TEST (test_no_sums_refused_unless_allowed)
{
  gchar *dir = copy_model_full (FALSE);
  gchar *sums = g_build_filename (dir, "SHA256SUMS", NULL);
  GError *err = NULL;
  OmniNnModel *m;

  assert_unverified (dir, "no SHA256SUMS");
  allow_unverified ();
  m = omni_nn_model_load (dir, NULL, NULL, &err);
  strict ();
  fail_unless (m != NULL, "%s", err ? err->message : "");
  fail_if (m->verified);
  omni_nn_model_free (m);

  /* a SHA256SUMS that is not one */
  write_file (sums, "not a checksum line\n", -1);
  err = load_error (dir);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_UNVERIFIED));
  fail_unless (strstr (err->message, "line 1") != NULL, "%s", err->message);
  g_error_free (err);
  g_free (sums);
  remove_dir (dir);
}

GST_END_TEST;

static Suite *
nnmodel_suite (void)
{
  Suite *s = suite_create ("nnmodel");
  TCase *tc = tcase_create ("loader");
  TCase *tc_ref = tcase_create ("nsfwjs");
  TCase *tc_verify = tcase_create ("verify");

  suite_add_tcase (s, tc_verify);
  tcase_add_checked_fixture (tc_verify, strict, NULL);
  tcase_add_test (tc_verify, test_fetched_model_verified);
  tcase_add_test (tc_verify, test_changed_files_refused);
  tcase_add_test (tc_verify, test_random_weights_refused);
  tcase_add_test (tc_verify, test_no_sums_refused_unless_allowed);
  suite_add_tcase (s, tc);
  /* the loader's own checks, on copies without SHA256SUMS */
  tcase_add_checked_fixture (tc, allow_unverified, strict);
  tcase_add_test (tc, test_load_nsfw);
  tcase_add_test (tc, test_embedding_layer);
  tcase_add_test (tc, test_missing_model);
  tcase_add_test (tc, test_corrupt_json);
  tcase_add_test (tc, test_truncated_shard);
  tcase_add_test (tc, test_unsupported_layers);
  tcase_add_test (tc, test_quantized_sequential);
  suite_add_tcase (s, tc_ref);
  tcase_set_timeout (tc_ref, 600);
  tcase_add_test (tc_ref, test_nsfw_matches_nsfwjs);
  return s;
}

GST_CHECK_MAIN (nnmodel);
