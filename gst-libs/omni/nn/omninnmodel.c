/* gst-omni: TF.js layers-model loader
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omninnmodel
 * @title: OmniNnModel
 * @short_description: loads TF.js layers models into an #OmniNnGraph
 *
 * A TF.js layers model is a model.json holding a Keras model topology
 * (`modelTopology`, as written by Keras' `model.to_json()`) and a
 * `weightsManifest`: groups of weights, each group stored back to back in
 * one or more binary shard files, each weight with its name
 * ("layer/kernel"), shape, dtype and optional quantization (TF.js
 * io/weights_loader and io/io_utils.decodeWeights: value = q * scale + min
 * for uint8/uint16, IEEE half for float16). See
 * https://www.tensorflow.org/js/guide/save_load for the format.
 *
 * The loader turns every supported Keras layer into graph nodes (one per
 * layer, BatchNormalization as a per-channel scale and shift), then
 * omni_nn_graph_optimize() folds and fuses. It validates everything it reads:
 * shapes of weights against what each layer needs, shard sizes against the
 * manifest, layer options it cannot honour, so that a corrupt or
 * unsupported model gives an error naming the culprit, never a crash.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnmodel.h"
#include "omninnweights.h"
#if HAVE_ONNX
#include "omninnonnx.h"
#endif
#include "omninnverify.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

/* ---- JSON helpers (every access is type-checked) ------------------------ */

static JsonObject *
member_object (JsonObject *o, const gchar *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
member_array (JsonObject *o, const gchar *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static const gchar *
member_string (JsonObject *o, const gchar *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (!n || !JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
node_number (JsonNode *n, gdouble *v)
{
  GType t;

  if (!n || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  t = json_node_get_value_type (n);
  if (t == G_TYPE_INT64)
    *v = (gdouble) json_node_get_int (n);
  else if (t == G_TYPE_DOUBLE)
    *v = json_node_get_double (n);
  else
    return FALSE;
  return TRUE;
}

static gboolean
member_number (JsonObject *o, const gchar *name, gdouble *v)
{
  return node_number (o ? json_object_get_member (o, name) : NULL, v);
}

static gboolean
member_null (JsonObject *o, const gchar *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n == NULL || JSON_NODE_HOLDS_NULL (n);
}

static gboolean
member_bool (JsonObject *o, const gchar *name, gboolean def)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (!n || !JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return def;
  return json_node_get_boolean (n);
}

/* A non-negative integer that fits a guint (and is < 2^24: no sane
 * dimension, kernel or stride is larger). */
static gboolean
node_uint (JsonNode *n, guint *v)
{
  gdouble d;

  if (!node_number (n, &d) || d < 0 || d > (1 << 24) || d != floor (d))
    return FALSE;
  *v = (guint) d;
  return TRUE;
}

/* @name is either one integer (used for all @n) or a list of @n integers. */
static gboolean
member_uints (JsonObject *o, const gchar *name, guint *out, guint n)
{
  JsonNode *node = o ? json_object_get_member (o, name) : NULL;
  guint i;

  if (!node)
    return FALSE;
  if (JSON_NODE_HOLDS_ARRAY (node)) {
    JsonArray *a = json_node_get_array (node);

    if (json_array_get_length (a) != n)
      return FALSE;
    for (i = 0; i < n; i++) {
      if (!node_uint (json_array_get_element (a, i), &out[i]))
        return FALSE;
    }
    return TRUE;
  }
  if (!node_uint (node, &out[0]))
    return FALSE;
  for (i = 1; i < n; i++)
    out[i] = out[0];
  return TRUE;
}

/* ---- loader state ------------------------------------------------------ */

/* What a Keras layer produced: a graph tensor and its logical shape (a
 * Flatten or Reshape shares its input's tensor with another shape). */
typedef struct {
  guint tensor;
  guint n_dims;
  guint dims[OMNI_NN_MAX_DIMS];
} LayerOut;

typedef struct {
  OmniNnGraph *g;
  GHashTable *weights; /* name -> OmniNnWeight* (omni_nn_weights_load()) */
  GHashTable *outs;    /* layer name -> LayerOut* */
  guint gap_tensor;    /* last global average pool output */
  GError **error;
} Loader;

static gsize
dims_product (guint n_dims, const guint *dims)
{
  gsize n = 1;
  guint i;

  for (i = 0; i < n_dims; i++)
    n *= dims[i];
  return n;
}

static gchar *
dims_string (guint n_dims, const guint *dims)
{
  GString *s = g_string_new ("[");
  guint i;

  for (i = 0; i < n_dims; i++)
    g_string_append_printf (s, "%s%u", i ? ", " : "", dims[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* ---- weights ----------------------------------------------------------- */

/* Takes weight "@layer/@param" with the given shape out of the table. */
static gfloat *
take_weight (Loader *l, const gchar *layer, const gchar *param, guint n_dims,
    const guint *dims)
{
  gchar *key = g_strdup_printf ("%s/%s", layer, param);
  OmniNnWeight *w = g_hash_table_lookup (l->weights, key);
  guint have_dims, one = 1;
  const guint *have;
  gfloat *data;

  if (!w) {
    /* converters may prefix a scope: "model/layer/param" */
    GHashTableIter it;
    gpointer k, v;
    gchar *suffix = g_strdup_printf ("/%s", key);

    g_hash_table_iter_init (&it, l->weights);
    while (g_hash_table_iter_next (&it, &k, &v)) {
      if (g_str_has_suffix (k, suffix)) {
        w = v;
        break;
      }
    }
    g_free (suffix);
  }
  if (!w) {
    g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_WEIGHTS,
        "layer '%s' needs weight '%s', which the manifest lacks", layer, key);
    g_free (key);
    return NULL;
  }
  if (!w->data) {
    g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_WEIGHTS,
        "weight '%s' is used by two layers", w->name);
    g_free (key);
    return NULL;
  }
  /* a scalar is a one-element vector here */
  have_dims = w->n_dims ? w->n_dims : 1;
  have = w->n_dims ? w->dims : &one;
  if (w->n_elements != dims_product (n_dims, dims)
      || (have_dims == n_dims
          && memcmp (have, dims, n_dims * sizeof (guint)) != 0)) {
    gchar *has = dims_string (have_dims, have);
    gchar *want = dims_string (n_dims, dims);

    g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_WEIGHTS,
        "weight '%s' has shape %s but layer '%s' needs %s", w->name, has, layer,
        want);
    g_free (has);
    g_free (want);
    g_free (key);
    return NULL;
  }
  g_free (key);
  data = w->data;
  w->data = NULL;
  return data;
}

static guint
add_const (Loader *l, const gchar *layer, const gchar *param, guint n_dims,
    const guint *dims, gfloat *data)
{
  gchar *name = g_strdup_printf ("%s/%s", layer, param);
  guint id = omni_nn_graph_add_tensor (l->g, name, n_dims, dims, data);

  g_free (name);
  return id;
}

/* ---- layers ------------------------------------------------------------ */

static const LayerOut *
set_out (Loader *l, const gchar *layer, guint tensor, guint n_dims,
    const guint *dims)
{
  LayerOut *o = g_new0 (LayerOut, 1);

  o->tensor = tensor;
  o->n_dims = n_dims;
  memcpy (o->dims, dims, n_dims * sizeof (guint));
  g_hash_table_replace (l->outs, g_strdup (layer), o);
  return o;
}

static guint
new_act (Loader *l, const gchar *layer, guint n_dims, const guint *dims)
{
  return omni_nn_graph_add_tensor (l->g, layer, n_dims, dims, NULL);
}

static gboolean unsupported (Loader *l, const gchar *cls, const gchar *layer,
    const gchar *fmt, ...) G_GNUC_PRINTF (4, 5);

static gboolean
unsupported (
    Loader *l, const gchar *cls, const gchar *layer, const gchar *fmt, ...)
{
  va_list args;
  gchar *what;

  va_start (args, fmt);
  what = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
      "%s layer '%s': %s", cls, layer, what);
  g_free (what);
  return FALSE;
}

typedef enum {
  ACT_LINEAR,
  ACT_RELU,
  ACT_RELU6,
  ACT_SOFTMAX,
} KerasAct;

static gboolean
parse_activation (Loader *l, const gchar *cls, const gchar *layer,
    JsonObject *config, KerasAct *act)
{
  const gchar *a = member_string (config, "activation");

  if (!a || !strcmp (a, "linear"))
    *act = ACT_LINEAR;
  else if (!strcmp (a, "relu"))
    *act = ACT_RELU;
  else if (!strcmp (a, "relu6"))
    *act = ACT_RELU6;
  else if (!strcmp (a, "softmax"))
    *act = ACT_SOFTMAX;
  else
    return unsupported (l, cls, layer, "activation '%s' is not supported", a);
  return TRUE;
}

static OmniNnActivation
fused_act (KerasAct a)
{
  return a == ACT_RELU
             ? OMNI_NN_ACT_RELU
             : (a == ACT_RELU6 ? OMNI_NN_ACT_RELU6 : OMNI_NN_ACT_NONE);
}

/* Appends a softmax over the last axis of @in when @act asks for one. */
static guint
maybe_softmax (Loader *l, const gchar *layer, KerasAct act, guint in,
    guint n_dims, const guint *dims)
{
  OmniNnOpParams p = { 0 };
  guint out;

  if (act != ACT_SOFTMAX)
    return in;
  p.softmax.n = dims[n_dims - 1];
  p.softmax.rows = dims_product (n_dims, dims) / p.softmax.n;
  out = new_act (l, layer, n_dims, dims);
  omni_nn_graph_add_node (l->g, OMNI_NN_OP_SOFTMAX, layer, &p, 1, &in,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, out);
  return out;
}

static gboolean
check_channels_last (
    Loader *l, const gchar *cls, const gchar *layer, JsonObject *config)
{
  const gchar *f = member_string (config, "data_format");

  if (f && strcmp (f, "channels_last") != 0)
    return unsupported (l, cls, layer,
        "data_format '%s' (only "
        "channels_last)",
        f);
  return TRUE;
}

static gboolean
need_image (Loader *l, const gchar *cls, const gchar *layer, const LayerOut *in)
{
  if (in->n_dims != 3)
    return unsupported (l, cls, layer,
        "input of rank %u, an image "
        "[h, w, c] expected",
        in->n_dims + 1);
  return TRUE;
}

typedef struct {
  guint kh, kw, sh, sw, dh, dw;
  guint oh, ow;
  guint pt, pl;
} Window;

static gboolean
parse_window (Loader *l, const gchar *cls, const gchar *layer,
    JsonObject *config, const LayerOut *in, const gchar *kernel_key, Window *w)
{
  guint k[2], s[2] = { 1, 1 }, d[2] = { 1, 1 };
  const gchar *padding = member_string (config, "padding");
  OmniNnPadding pad;

  if (!member_uints (config, kernel_key, k, 2) || !k[0] || !k[1])
    return unsupported (l, cls, layer, "missing or invalid %s", kernel_key);
  if (json_object_has_member (config, "strides")
      && (!member_uints (config, "strides", s, 2) || !s[0] || !s[1]))
    return unsupported (l, cls, layer, "invalid strides");
  if (json_object_has_member (config, "dilation_rate")
      && (!member_uints (config, "dilation_rate", d, 2) || !d[0] || !d[1]))
    return unsupported (l, cls, layer, "invalid dilation_rate");
  if ((s[0] > 1 || s[1] > 1) && (d[0] > 1 || d[1] > 1))
    return unsupported (l, cls, layer, "strides and dilation together");
  if (!padding || !strcmp (padding, "valid"))
    pad = OMNI_NN_PADDING_VALID;
  else if (!strcmp (padding, "same"))
    pad = OMNI_NN_PADDING_SAME;
  else
    return unsupported (l, cls, layer, "padding '%s'", padding);
  if (!check_channels_last (l, cls, layer, config))
    return FALSE;

  w->kh = k[0];
  w->kw = k[1];
  w->sh = s[0];
  w->sw = s[1];
  w->dh = d[0];
  w->dw = d[1];
  if (!omni_nn_conv_output_size (
          in->dims[0], k[0], s[0], d[0], pad, &w->oh, &w->pt)
      || !omni_nn_conv_output_size (
          in->dims[1], k[1], s[1], d[1], pad, &w->ow, &w->pl))
    return unsupported (l, cls, layer, "kernel larger than its %ux%u input",
        in->dims[0], in->dims[1]);
  return TRUE;
}

static gboolean
layer_conv2d (
    Loader *l, const gchar *layer, JsonObject *config, const LayerOut *in)
{
  const gchar *cls = "Conv2D";
  Window w;
  guint filters, groups = 1, cin, out, bias = OMNI_NN_NO_TENSOR, wid;
  guint kdims[4], odims[3];
  KerasAct act;
  gfloat *kernel;
  OmniNnOpParams p = { 0 };
  gdouble g;

  if (!need_image (l, cls, layer, in)
      || !parse_window (l, cls, layer, config, in, "kernel_size", &w)
      || !parse_activation (l, cls, layer, config, &act))
    return FALSE;
  if (!member_uints (config, "filters", &filters, 1) || !filters)
    return unsupported (l, cls, layer, "missing or invalid filters");
  if (member_number (config, "groups", &g) && g != 1)
    groups = (guint) g;
  if (groups != 1)
    return unsupported (l, cls, layer, "groups=%u", groups);
  cin = in->dims[2];
  kdims[0] = w.kh;
  kdims[1] = w.kw;
  kdims[2] = cin;
  kdims[3] = filters;
  if (!(kernel = take_weight (l, layer, "kernel", 4, kdims)))
    return FALSE;
  wid = add_const (l, layer, "kernel", 4, kdims, kernel);
  if (member_bool (config, "use_bias", TRUE)) {
    gfloat *b = take_weight (l, layer, "bias", 1, &filters);

    if (!b)
      return FALSE;
    bias = add_const (l, layer, "bias", 1, &filters, b);
  }
  odims[0] = w.oh;
  odims[1] = w.ow;
  odims[2] = filters;
  out = new_act (l, layer, 3, odims);

  if (w.kh == 1 && w.kw == 1 && w.sh == 1 && w.sw == 1) {
    p.gemm.m = w.oh * w.ow;
    p.gemm.k = cin;
    p.gemm.n = filters;
    p.gemm.activation = fused_act (act);
    omni_nn_graph_add_node (l->g, OMNI_NN_OP_POINTWISE_CONV2D, layer, &p, 1,
        &in->tensor, wid, bias, out);
  } else {
    OmniNnConv2dParams *c = &p.conv2d;

    c->in_h = in->dims[0];
    c->in_w = in->dims[1];
    c->in_c = cin;
    c->out_h = w.oh;
    c->out_w = w.ow;
    c->out_c = filters;
    c->kernel_h = w.kh;
    c->kernel_w = w.kw;
    c->stride_h = w.sh;
    c->stride_w = w.sw;
    c->dilation_h = w.dh;
    c->dilation_w = w.dw;
    c->pad_top = w.pt;
    c->pad_left = w.pl;
    c->activation = fused_act (act);
    omni_nn_graph_add_node (
        l->g, OMNI_NN_OP_CONV2D, layer, &p, 1, &in->tensor, wid, bias, out);
  }
  out = maybe_softmax (l, layer, act, out, 3, odims);
  set_out (l, layer, out, 3, odims);
  return TRUE;
}

/* Depthwise part of DepthwiseConv2D and SeparableConv2D. */
static guint
add_depthwise (Loader *l, const gchar *layer, const Window *w,
    const LayerOut *in, guint mult, guint wid, guint bias, OmniNnActivation act,
    guint *odims)
{
  OmniNnOpParams p = { 0 };
  OmniNnDepthwiseConv2dParams *c = &p.depthwise;
  guint out;

  odims[0] = w->oh;
  odims[1] = w->ow;
  odims[2] = in->dims[2] * mult;
  out = new_act (l, layer, 3, odims);
  c->in_h = in->dims[0];
  c->in_w = in->dims[1];
  c->in_c = in->dims[2];
  c->out_h = w->oh;
  c->out_w = w->ow;
  c->out_c = odims[2];
  c->kernel_h = w->kh;
  c->kernel_w = w->kw;
  c->stride_h = w->sh;
  c->stride_w = w->sw;
  c->dilation_h = w->dh;
  c->dilation_w = w->dw;
  c->pad_top = w->pt;
  c->pad_left = w->pl;
  c->depth_multiplier = mult;
  c->activation = act;
  omni_nn_graph_add_node (l->g, OMNI_NN_OP_DEPTHWISE_CONV2D, layer, &p, 1,
      &in->tensor, wid, bias, out);
  return out;
}

static gboolean
layer_depthwise (Loader *l, const gchar *cls, const gchar *layer,
    JsonObject *config, const LayerOut *in)
{
  gboolean separable = !strcmp (cls, "SeparableConv2D");
  Window w;
  guint mult = 1, kdims[4], odims[3], wid, bias = OMNI_NN_NO_TENSOR, out;
  KerasAct act;
  gfloat *kernel;

  if (!need_image (l, cls, layer, in)
      || !parse_window (l, cls, layer, config, in, "kernel_size", &w)
      || !parse_activation (l, cls, layer, config, &act))
    return FALSE;
  if (json_object_has_member (config, "depth_multiplier")
      && (!member_uints (config, "depth_multiplier", &mult, 1) || !mult))
    return unsupported (l, cls, layer, "invalid depth_multiplier");
  kdims[0] = w.kh;
  kdims[1] = w.kw;
  kdims[2] = in->dims[2];
  kdims[3] = mult;
  if (!(kernel = take_weight (l, layer, "depthwise_kernel", 4, kdims)))
    return FALSE;
  wid = add_const (l, layer, "depthwise_kernel", 4, kdims, kernel);

  if (!separable) {
    if (member_bool (config, "use_bias", TRUE)) {
      guint n = in->dims[2] * mult;
      gfloat *b = take_weight (l, layer, "bias", 1, &n);

      if (!b)
        return FALSE;
      bias = add_const (l, layer, "bias", 1, &n, b);
    }
    out = add_depthwise (
        l, layer, &w, in, mult, wid, bias, fused_act (act), odims);
  } else {
    guint filters, pdims[4], pid, mid;
    OmniNnOpParams p = { 0 };

    if (!member_uints (config, "filters", &filters, 1) || !filters)
      return unsupported (l, cls, layer, "missing or invalid filters");
    mid = add_depthwise (l, layer, &w, in, mult, wid, OMNI_NN_NO_TENSOR,
        OMNI_NN_ACT_NONE, odims);
    pdims[0] = pdims[1] = 1;
    pdims[2] = odims[2];
    pdims[3] = filters;
    if (!(kernel = take_weight (l, layer, "pointwise_kernel", 4, pdims)))
      return FALSE;
    pid = add_const (l, layer, "pointwise_kernel", 4, pdims, kernel);
    if (member_bool (config, "use_bias", TRUE)) {
      gfloat *b = take_weight (l, layer, "bias", 1, &filters);

      if (!b)
        return FALSE;
      bias = add_const (l, layer, "bias", 1, &filters, b);
    }
    p.gemm.m = odims[0] * odims[1];
    p.gemm.k = odims[2];
    p.gemm.n = filters;
    p.gemm.activation = fused_act (act);
    odims[2] = filters;
    out = new_act (l, layer, 3, odims);
    omni_nn_graph_add_node (
        l->g, OMNI_NN_OP_POINTWISE_CONV2D, layer, &p, 1, &mid, pid, bias, out);
  }
  out = maybe_softmax (l, layer, act, out, 3, odims);
  set_out (l, layer, out, 3, odims);
  return TRUE;
}

static gboolean
layer_dense (
    Loader *l, const gchar *layer, JsonObject *config, const LayerOut *in)
{
  const gchar *cls = "Dense";
  guint units, k, kdims[2], wid, bias = OMNI_NN_NO_TENSOR, out;
  guint odims[3], n_odims;
  KerasAct act;
  gfloat *kernel;
  OmniNnOpParams p = { 0 };
  OmniNnOpType op;

  if (!parse_activation (l, cls, layer, config, &act))
    return FALSE;
  if (!member_uints (config, "units", &units, 1) || !units)
    return unsupported (l, cls, layer, "missing or invalid units");
  /* Keras applies Dense to the last axis */
  k = in->dims[in->n_dims - 1];
  kdims[0] = k;
  kdims[1] = units;
  if (!(kernel = take_weight (l, layer, "kernel", 2, kdims)))
    return FALSE;
  wid = add_const (l, layer, "kernel", 2, kdims, kernel);
  if (member_bool (config, "use_bias", TRUE)) {
    gfloat *b = take_weight (l, layer, "bias", 1, &units);

    if (!b)
      return FALSE;
    bias = add_const (l, layer, "bias", 1, &units, b);
  }
  memcpy (odims, in->dims, in->n_dims * sizeof (guint));
  n_odims = in->n_dims;
  odims[n_odims - 1] = units;
  p.gemm.m = dims_product (in->n_dims, in->dims) / k;
  p.gemm.k = k;
  p.gemm.n = units;
  p.gemm.activation = fused_act (act);
  op = p.gemm.m > 1 ? OMNI_NN_OP_POINTWISE_CONV2D : OMNI_NN_OP_DENSE;
  out = new_act (l, layer, n_odims, odims);
  omni_nn_graph_add_node (l->g, op, layer, &p, 1, &in->tensor, wid, bias, out);
  out = maybe_softmax (l, layer, act, out, n_odims, odims);
  set_out (l, layer, out, n_odims, odims);
  return TRUE;
}

static gboolean
check_last_axis (Loader *l, const gchar *cls, const gchar *layer,
    JsonObject *config, const LayerOut *in)
{
  JsonNode *n = json_object_get_member (config, "axis");
  gdouble a;

  if (!n)
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (n)
      && json_array_get_length (json_node_get_array (n)) == 1)
    n = json_array_get_element (json_node_get_array (n), 0);
  if (!node_number (n, &a) || (a != -1 && a != in->n_dims))
    return unsupported (l, cls, layer, "only the last axis is supported");
  return TRUE;
}

static gboolean
layer_batch_norm (
    Loader *l, const gchar *layer, JsonObject *config, const LayerOut *in)
{
  const gchar *cls = "BatchNormalization";
  guint c = in->dims[in->n_dims - 1], i, sid, hid, out;
  gdouble eps = 1e-3;
  gfloat *gamma = NULL, *beta = NULL, *mean = NULL, *var = NULL;
  gfloat *scale, *shift;
  OmniNnOpParams p = { 0 };
  gboolean ok = FALSE;

  if (!check_last_axis (l, cls, layer, config, in))
    return FALSE;
  if (json_object_has_member (config, "epsilon")
      && (!member_number (config, "epsilon", &eps) || eps < 0))
    return unsupported (l, cls, layer, "invalid epsilon");
  if (member_bool (config, "scale", TRUE)
      && !(gamma = take_weight (l, layer, "gamma", 1, &c)))
    goto done;
  if (member_bool (config, "center", TRUE)
      && !(beta = take_weight (l, layer, "beta", 1, &c)))
    goto done;
  if (!(mean = take_weight (l, layer, "moving_mean", 1, &c))
      || !(var = take_weight (l, layer, "moving_variance", 1, &c)))
    goto done;

  /* y = gamma * (x - mean) / sqrt (var + eps) + beta = x * scale + shift */
  scale = g_new (gfloat, c);
  shift = g_new (gfloat, c);
  for (i = 0; i < c; i++) {
    gdouble s = (gamma ? gamma[i] : 1.0) / sqrt ((gdouble) var[i] + eps);

    scale[i] = (gfloat) s;
    shift[i] = (gfloat) ((beta ? beta[i] : 0.0) - mean[i] * s);
  }
  sid = add_const (l, layer, "scale", 1, &c, scale);
  hid = add_const (l, layer, "shift", 1, &c, shift);
  p.channel.n = dims_product (in->n_dims, in->dims);
  p.channel.c = c;
  out = new_act (l, layer, in->n_dims, in->dims);
  omni_nn_graph_add_node (
      l->g, OMNI_NN_OP_BATCH_NORM, layer, &p, 1, &in->tensor, sid, hid, out);
  set_out (l, layer, out, in->n_dims, in->dims);
  ok = TRUE;
done:
  g_free (gamma);
  g_free (beta);
  g_free (mean);
  g_free (var);
  return ok;
}

static void
add_activation (
    Loader *l, const gchar *layer, const LayerOut *in, OmniNnActivation act)
{
  OmniNnOpParams p = { 0 };
  guint out;

  p.eltwise.n = dims_product (in->n_dims, in->dims);
  p.eltwise.activation = act;
  out = new_act (l, layer, in->n_dims, in->dims);
  omni_nn_graph_add_node (l->g, OMNI_NN_OP_ACTIVATION, layer, &p, 1,
      &in->tensor, OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, out);
  set_out (l, layer, out, in->n_dims, in->dims);
}

static gboolean
layer_relu (
    Loader *l, const gchar *layer, JsonObject *config, const LayerOut *in)
{
  const gchar *cls = "ReLU";
  gdouble v;

  if (member_number (config, "negative_slope", &v) && v != 0)
    return unsupported (l, cls, layer, "negative_slope=%g", v);
  if (member_number (config, "threshold", &v) && v != 0)
    return unsupported (l, cls, layer, "threshold=%g", v);
  if (member_null (config, "max_value")) {
    add_activation (l, layer, in, OMNI_NN_ACT_RELU);
  } else if (member_number (config, "max_value", &v) && v == 6) {
    add_activation (l, layer, in, OMNI_NN_ACT_RELU6);
  } else {
    return unsupported (l, cls, layer, "max_value other than 6 or none");
  }
  return TRUE;
}

static gboolean
layer_activation (
    Loader *l, const gchar *layer, JsonObject *config, const LayerOut *in)
{
  KerasAct act;
  guint out;

  if (!parse_activation (l, "Activation", layer, config, &act))
    return FALSE;
  switch (act) {
  case ACT_LINEAR:
    set_out (l, layer, in->tensor, in->n_dims, in->dims);
    break;
  case ACT_SOFTMAX:
    out = maybe_softmax (l, layer, act, in->tensor, in->n_dims, in->dims);
    set_out (l, layer, out, in->n_dims, in->dims);
    break;
  default:
    add_activation (l, layer, in, fused_act (act));
    break;
  }
  return TRUE;
}

static gboolean
layer_zero_padding (
    Loader *l, const gchar *layer, JsonObject *config, const LayerOut *in)
{
  const gchar *cls = "ZeroPadding2D";
  JsonNode *n = json_object_get_member (config, "padding");
  guint pads[4] = { 1, 1, 1, 1 }; /* top, bottom, left, right */
  OmniNnOpParams p = { 0 };
  guint odims[3], out;

  if (!need_image (l, cls, layer, in)
      || !check_channels_last (l, cls, layer, config))
    return FALSE;
  if (n && JSON_NODE_HOLDS_ARRAY (n)) {
    JsonArray *a = json_node_get_array (n);
    guint i;

    if (json_array_get_length (a) != 2)
      return unsupported (l, cls, layer, "invalid padding");
    for (i = 0; i < 2; i++) {
      JsonNode *e = json_array_get_element (a, i);

      if (JSON_NODE_HOLDS_ARRAY (e)) {
        JsonArray *pa = json_node_get_array (e);

        if (json_array_get_length (pa) != 2
            || !node_uint (json_array_get_element (pa, 0), &pads[2 * i])
            || !node_uint (json_array_get_element (pa, 1), &pads[2 * i + 1]))
          return unsupported (l, cls, layer, "invalid padding");
      } else if (node_uint (e, &pads[2 * i])) {
        pads[2 * i + 1] = pads[2 * i];
      } else {
        return unsupported (l, cls, layer, "invalid padding");
      }
    }
  } else if (n && !node_uint (n, &pads[0])) {
    return unsupported (l, cls, layer, "invalid padding");
  } else if (n) {
    pads[1] = pads[2] = pads[3] = pads[0];
  }
  p.pad.in_h = in->dims[0];
  p.pad.in_w = in->dims[1];
  p.pad.c = in->dims[2];
  p.pad.pad_top = pads[0];
  p.pad.pad_bottom = pads[1];
  p.pad.pad_left = pads[2];
  p.pad.pad_right = pads[3];
  odims[0] = in->dims[0] + pads[0] + pads[1];
  odims[1] = in->dims[1] + pads[2] + pads[3];
  odims[2] = in->dims[2];
  out = new_act (l, layer, 3, odims);
  omni_nn_graph_add_node (l->g, OMNI_NN_OP_PAD, layer, &p, 1, &in->tensor,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, out);
  set_out (l, layer, out, 3, odims);
  return TRUE;
}

static gboolean
layer_add (
    Loader *l, const gchar *layer, const LayerOut *const *ins, guint n_ins)
{
  guint i, acc;
  gsize n = dims_product (ins[0]->n_dims, ins[0]->dims);

  if (n_ins < 2)
    return unsupported (l, "Add", layer, "%u inputs", n_ins);
  acc = ins[0]->tensor;
  for (i = 1; i < n_ins; i++) {
    OmniNnOpParams p = { 0 };
    guint pair[2], out;

    if (dims_product (ins[i]->n_dims, ins[i]->dims) != n)
      return unsupported (l, "Add", layer,
          "inputs of different sizes "
          "(broadcasting is not supported)");
    pair[0] = acc;
    pair[1] = ins[i]->tensor;
    p.eltwise.n = n;
    out = new_act (l, layer, ins[0]->n_dims, ins[0]->dims);
    omni_nn_graph_add_node (l->g, OMNI_NN_OP_ADD, layer, &p, 2, pair,
        OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, out);
    acc = out;
  }
  set_out (l, layer, acc, ins[0]->n_dims, ins[0]->dims);
  return TRUE;
}

static gboolean
layer_pool (Loader *l, const gchar *cls, const gchar *layer, JsonObject *config,
    const LayerOut *in)
{
  OmniNnOpParams p = { 0 };
  guint odims[3], out;
  gboolean keep;

  if (!need_image (l, cls, layer, in)
      || !check_channels_last (l, cls, layer, config))
    return FALSE;
  if (!strcmp (cls, "AveragePooling2D")) {
    guint k[2], s[2];
    const gchar *padding = member_string (config, "padding");

    if (!member_uints (config, "pool_size", k, 2))
      return unsupported (l, cls, layer, "invalid pool_size");
    if (!member_uints (config, "strides", s, 2)) {
      s[0] = k[0];
      s[1] = k[1];
    }
    /* one window covering the whole input: a global average */
    if (k[0] != in->dims[0] || k[1] != in->dims[1]
        || (padding && strcmp (padding, "valid") != 0))
      return unsupported (l, cls, layer,
          "pool_size %ux%u on a %ux%u input "
          "(only global pooling is supported)",
          k[0], k[1], in->dims[0], in->dims[1]);
    keep = TRUE;
  } else {
    keep = member_bool (config, "keepdims", FALSE);
  }
  p.pool.h = in->dims[0];
  p.pool.w = in->dims[1];
  p.pool.c = in->dims[2];
  odims[0] = odims[1] = 1;
  odims[2] = in->dims[2];
  /* the tensor is the [c] vector either way (the embedding); with
   * keepdims the layer's logical shape stays [1, 1, c] */
  out = new_act (l, layer, 1, &odims[2]);
  omni_nn_graph_add_node (l->g, OMNI_NN_OP_GLOBAL_AVG_POOL, layer, &p, 1,
      &in->tensor, OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, out);
  if (keep)
    set_out (l, layer, out, 3, odims);
  else
    set_out (l, layer, out, 1, &odims[2]);
  l->gap_tensor = out;
  return TRUE;
}

static gboolean
layer_reshape (Loader *l, const gchar *cls, const gchar *layer,
    JsonObject *config, const LayerOut *in)
{
  gsize n = dims_product (in->n_dims, in->dims);
  guint dims[OMNI_NN_MAX_DIMS], n_dims, i;
  gint infer = -1;
  gsize known = 1;
  JsonArray *a;

  if (!strcmp (cls, "Flatten")) {
    if (n > G_MAXUINT)
      return unsupported (l, cls, layer, "too large");
    dims[0] = (guint) n;
    set_out (l, layer, in->tensor, 1, dims);
    return TRUE;
  }
  a = member_array (config, "target_shape");
  if (!a || json_array_get_length (a) == 0
      || json_array_get_length (a) > OMNI_NN_MAX_DIMS)
    return unsupported (l, cls, layer, "invalid target_shape");
  n_dims = json_array_get_length (a);
  for (i = 0; i < n_dims; i++) {
    gdouble v;

    if (!node_number (json_array_get_element (a, i), &v))
      return unsupported (l, cls, layer, "invalid target_shape");
    if (v == -1 && infer < 0) {
      infer = i;
      dims[i] = 1;
    } else if (v >= 1 && v <= (1 << 24) && v == floor (v)) {
      dims[i] = (guint) v;
      known *= dims[i];
    } else {
      return unsupported (l, cls, layer, "invalid target_shape");
    }
  }
  if (infer >= 0 && known && n % known == 0)
    dims[infer] = n / known;
  if (dims_product (n_dims, dims) != n)
    return unsupported (l, cls, layer,
        "target_shape does not hold %" G_GSIZE_FORMAT " elements", n);
  set_out (l, layer, in->tensor, n_dims, dims);
  return TRUE;
}

static gboolean
layer_rescaling (
    Loader *l, const gchar *layer, JsonObject *config, const LayerOut *in)
{
  gdouble scale = 1.0, offset = 0.0;
  guint c = 1, sid, hid, out;
  gfloat *s, *h;
  OmniNnOpParams p = { 0 };

  if (!member_number (config, "scale", &scale)
      || (json_object_has_member (config, "offset")
          && !member_number (config, "offset", &offset)))
    return unsupported (l, "Rescaling", layer,
        "scale and offset must be "
        "numbers");
  s = g_new (gfloat, 1);
  h = g_new (gfloat, 1);
  s[0] = scale;
  h[0] = offset;
  sid = add_const (l, layer, "scale", 1, &c, s);
  hid = add_const (l, layer, "offset", 1, &c, h);
  p.channel.n = dims_product (in->n_dims, in->dims);
  p.channel.c = 1;
  out = new_act (l, layer, in->n_dims, in->dims);
  omni_nn_graph_add_node (
      l->g, OMNI_NN_OP_BATCH_NORM, layer, &p, 1, &in->tensor, sid, hid, out);
  set_out (l, layer, out, in->n_dims, in->dims);
  return TRUE;
}

static gboolean
layer_input (Loader *l, const gchar *layer, JsonObject *config)
{
  JsonArray *shape = member_array (config, "batch_input_shape");
  guint dims[3], i;

  if (!shape)
    shape = member_array (config, "batch_shape");
  if (!shape)
    shape = member_array (config, "batchInputShape");
  if (l->g->input != OMNI_NN_NO_TENSOR)
    return unsupported (l, "InputLayer", layer,
        "models with several inputs "
        "are not supported");
  if (!shape || json_array_get_length (shape) != 4)
    return unsupported (l, "InputLayer", layer,
        "input shape must be "
        "[batch, height, width, channels]");
  for (i = 0; i < 3; i++) {
    if (!node_uint (json_array_get_element (shape, i + 1), &dims[i])
        || dims[i] == 0)
      return unsupported (l, "InputLayer", layer,
          "input height, width and "
          "channels must be fixed (a dynamic size is not supported)");
  }
  if (dims[2] != 3)
    return unsupported (l, "InputLayer", layer,
        "%u input channels (RGB "
        "models only)",
        dims[2]);
  l->g->input_h = dims[0];
  l->g->input_w = dims[1];
  l->g->input_c = dims[2];
  l->g->input = new_act (l, layer, 3, dims);
  set_out (l, layer, l->g->input, 3, dims);
  return TRUE;
}

static const gchar *const passthrough_layers[]
    = { "Dropout", "SpatialDropout1D", "SpatialDropout2D", "GaussianNoise",
        "GaussianDropout", "AlphaDropout", "ActivityRegularization", NULL };

static gboolean
add_layer (Loader *l, const gchar *cls, const gchar *layer, JsonObject *config,
    const LayerOut *const *ins, guint n_ins)
{
  const LayerOut *in = ins[0];

  if (!strcmp (cls, "Add"))
    return layer_add (l, layer, ins, n_ins);
  if (n_ins != 1)
    return unsupported (l, cls, layer, "%u inputs, 1 expected", n_ins);

  if (!strcmp (cls, "Conv2D") || !strcmp (cls, "Convolution2D"))
    return layer_conv2d (l, layer, config, in);
  if (!strcmp (cls, "DepthwiseConv2D") || !strcmp (cls, "SeparableConv2D"))
    return layer_depthwise (l, cls, layer, config, in);
  if (!strcmp (cls, "Dense"))
    return layer_dense (l, layer, config, in);
  if (!strcmp (cls, "BatchNormalization"))
    return layer_batch_norm (l, layer, config, in);
  if (!strcmp (cls, "ReLU"))
    return layer_relu (l, layer, config, in);
  if (!strcmp (cls, "Activation"))
    return layer_activation (l, layer, config, in);
  if (!strcmp (cls, "Softmax")) {
    guint out;

    if (!check_last_axis (l, cls, layer, config, in))
      return FALSE;
    out = maybe_softmax (
        l, layer, ACT_SOFTMAX, in->tensor, in->n_dims, in->dims);
    set_out (l, layer, out, in->n_dims, in->dims);
    return TRUE;
  }
  if (!strcmp (cls, "ZeroPadding2D"))
    return layer_zero_padding (l, layer, config, in);
  if (!strcmp (cls, "GlobalAveragePooling2D")
      || !strcmp (cls, "AveragePooling2D"))
    return layer_pool (l, cls, layer, config, in);
  if (!strcmp (cls, "Flatten") || !strcmp (cls, "Reshape"))
    return layer_reshape (l, cls, layer, config, in);
  if (!strcmp (cls, "Rescaling"))
    return layer_rescaling (l, layer, config, in);
  if (g_strv_contains (passthrough_layers, cls)) {
    set_out (l, layer, in->tensor, in->n_dims, in->dims);
    return TRUE;
  }
  g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
      "unsupported layer class '%s' (layer '%s')", cls, layer);
  return FALSE;
}

/* Keras 2 inbound_nodes: [[["name", node_index, tensor_index, {kwargs}],
 * ...]] with one entry per call of the layer. */
static gboolean
layer_inputs (Loader *l, const gchar *cls, const gchar *layer, JsonObject *lobj,
    const LayerOut **ins, guint *n_ins)
{
  JsonArray *inbound = member_array (lobj, "inbound_nodes");
  JsonNode *call;
  JsonArray *args;
  guint i;

  *n_ins = 0;
  if (!inbound || json_array_get_length (inbound) == 0)
    return TRUE;
  if (json_array_get_length (inbound) > 1)
    return unsupported (l, cls, layer,
        "a layer applied %u times (shared "
        "layers are not supported)",
        json_array_get_length (inbound));
  call = json_array_get_element (inbound, 0);
  if (!JSON_NODE_HOLDS_ARRAY (call)) {
    g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "layer '%s': inbound_nodes is not in the Keras 2 format", layer);
    return FALSE;
  }
  args = json_node_get_array (call);
  if (json_array_get_length (args) > 16)
    return unsupported (l, cls, layer, "more than 16 inputs");
  for (i = 0; i < json_array_get_length (args); i++) {
    JsonNode *e = json_array_get_element (args, i);
    JsonArray *ref = JSON_NODE_HOLDS_ARRAY (e) ? json_node_get_array (e) : NULL;
    JsonNode *nn = ref && json_array_get_length (ref) >= 1
                       ? json_array_get_element (ref, 0)
                       : NULL;
    gdouble idx;
    const gchar *src;
    const LayerOut *o;

    if (!nn || !JSON_NODE_HOLDS_VALUE (nn)
        || json_node_get_value_type (nn) != G_TYPE_STRING) {
      g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
          "layer '%s': invalid inbound node %u", layer, i);
      return FALSE;
    }
    src = json_node_get_string (nn);
    if (json_array_get_length (ref) >= 3
        && node_number (json_array_get_element (ref, 2), &idx) && idx != 0)
      return unsupported (l, cls, layer,
          "reads output %g of layer '%s' "
          "(multi-output layers are not supported)",
          idx, src);
    o = g_hash_table_lookup (l->outs, src);
    if (!o) {
      g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
          "layer '%s' reads layer '%s', which is not defined before it", layer,
          src);
      return FALSE;
    }
    ins[(*n_ins)++] = o;
  }
  return TRUE;
}

/* Names a model output: "probabilities" for the first one a softmax
 * produces, else "output", "output1", ... */
static void
add_model_output (Loader *l, guint tensor, guint index)
{
  gint i;
  gchar *name;

  for (i = (gint) l->g->nodes->len - 1; i >= 0; i--) {
    const OmniNnNode *n = omni_nn_graph_node (l->g, i);

    if (n->output == tensor) {
      if (n->op == OMNI_NN_OP_SOFTMAX
          && omni_nn_graph_find_output (l->g, "probabilities") < 0) {
        omni_nn_graph_add_output (l->g, "probabilities", tensor);
        return;
      }
      break;
    }
  }
  name = index ? g_strdup_printf ("output%u", index) : g_strdup ("output");
  omni_nn_graph_add_output (l->g, name, tensor);
  g_free (name);
}

static gboolean
build_graph (Loader *l, JsonObject *topology, const gchar *embedding_layer)
{
  JsonObject *mc = member_object (topology, "model_config");
  JsonObject *config;
  JsonArray *layers, *outputs = NULL;
  const gchar *model_cls;
  gboolean sequential;
  const gchar *prev = NULL;
  guint i;

  if (!mc)
    mc = topology;
  model_cls = member_string (mc, "class_name");
  if (!model_cls) {
    g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "modelTopology has no model class_name");
    return FALSE;
  }
  sequential = !strcmp (model_cls, "Sequential");
  if (!sequential && strcmp (model_cls, "Model") != 0
      && strcmp (model_cls, "Functional") != 0) {
    g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
        "unsupported model class '%s'", model_cls);
    return FALSE;
  }
  config = member_object (mc, "config");
  layers
      = config ? member_array (config, "layers") : member_array (mc, "config");
  if (!layers) {
    g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "modelTopology has no layers");
    return FALSE;
  }

  for (i = 0; i < json_array_get_length (layers); i++) {
    JsonNode *ln = json_array_get_element (layers, i);
    JsonObject *lobj
        = JSON_NODE_HOLDS_OBJECT (ln) ? json_node_get_object (ln) : NULL;
    JsonObject *lconf = member_object (lobj, "config");
    const gchar *cls = member_string (lobj, "class_name");
    const gchar *name = member_string (lobj, "name");
    const LayerOut *ins[16];
    guint n_ins = 0;

    if (!name)
      name = member_string (lconf, "name");
    if (!lobj || !lconf || !cls || !name) {
      g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
          "layer %u lacks class_name, name or config", i);
      return FALSE;
    }
    if (g_hash_table_contains (l->outs, name)) {
      g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
          "two layers are named '%s'", name);
      return FALSE;
    }
    if (!strcmp (cls, "InputLayer")) {
      if (!layer_input (l, name, lconf))
        return FALSE;
      prev = name;
      continue;
    }
    if (sequential) {
      if (!prev) {
        /* the first layer of a Sequential model carries the input shape */
        gchar *iname = g_strdup_printf ("%s_input", name);
        gboolean ok = layer_input (l, iname, lconf);

        g_free (iname);
        if (!ok)
          return FALSE;
        ins[0] = g_hash_table_lookup (
            l->outs, omni_nn_graph_tensor (l->g, l->g->input)->name);
      } else {
        ins[0] = g_hash_table_lookup (l->outs, prev);
      }
      n_ins = 1;
    } else if (!layer_inputs (l, cls, name, lobj, ins, &n_ins)) {
      return FALSE;
    } else if (n_ins == 0) {
      g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
          "layer '%s' (%s) has no inputs", name, cls);
      return FALSE;
    }
    if (!add_layer (l, cls, name, lconf, ins, n_ins))
      return FALSE;
    prev = name;
  }
  if (l->g->input == OMNI_NN_NO_TENSOR || !prev) {
    g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "the model has no input layer");
    return FALSE;
  }

  /* outputs: the classifier's probabilities (or raw output), then the
   * embedding */
  if (!sequential)
    outputs = member_array (config, "output_layers");
  if (outputs && json_array_get_length (outputs) > 0) {
    for (i = 0; i < json_array_get_length (outputs); i++) {
      JsonNode *e = json_array_get_element (outputs, i);
      JsonArray *ref
          = JSON_NODE_HOLDS_ARRAY (e) ? json_node_get_array (e) : NULL;
      JsonNode *on = ref && json_array_get_length (ref) > 0
                         ? json_array_get_element (ref, 0)
                         : NULL;
      const gchar *oname
          = on && JSON_NODE_HOLDS_VALUE (on)
                    && json_node_get_value_type (on) == G_TYPE_STRING
                ? json_node_get_string (on)
                : NULL;
      const LayerOut *o = oname ? g_hash_table_lookup (l->outs, oname) : NULL;

      if (!o) {
        g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
            "output layer %u is not a layer of the model", i);
        return FALSE;
      }
      add_model_output (l, o->tensor, i);
    }
  } else {
    add_model_output (
        l, ((const LayerOut *) g_hash_table_lookup (l->outs, prev))->tensor, 0);
  }

  if (embedding_layer) {
    const LayerOut *o = g_hash_table_lookup (l->outs, embedding_layer);

    if (!o) {
      g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_SETTING,
          "the model has no layer '%s' for the embedding", embedding_layer);
      return FALSE;
    }
    if (o->tensor == l->g->input) {
      g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
          "layer '%s' is the model input, not an embedding", embedding_layer);
      return FALSE;
    }
    omni_nn_graph_add_output (l->g, "embedding", o->tensor);
  } else if (l->gap_tensor != OMNI_NN_NO_TENSOR) {
    omni_nn_graph_add_output (l->g, "embedding", l->gap_tensor);
  }
  return TRUE;
}

static void
read_metadata (OmniNnGraph *g, JsonObject *root)
{
  JsonObject *omni
      = member_object (member_object (root, "userDefinedMetadata"), "omni");
  gdouble v;

  g->input_scale = 1.0f / 255.0f;
  g->input_offset = 0.0f;
  g->align_corners = FALSE;
  if (!omni)
    return;
  if (member_number (omni, "inputScale", &v) && isfinite (v))
    g->input_scale = v;
  if (member_number (omni, "inputOffset", &v) && isfinite (v))
    g->input_offset = v;
  g->align_corners = member_bool (omni, "alignCorners", FALSE);
}

/* ---- public API -------------------------------------------------------- */

static gchar *
model_json_in (const gchar *dir, const gchar *name)
{
  gchar *path = g_build_filename (dir, name, "model.json", NULL);

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return path;
  g_free (path);
  return NULL;
}

gchar *
omni_nn_model_resolve (const gchar *model, GError **error)
{
  GPtrArray *dirs;
  GString *tried;
  const gchar *env = g_getenv ("OMNI_MODEL_PATH");
  gchar *found = NULL;
  guint i;

  if (!model || !*model) {
    g_set_error (
        error, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND, "no model given");
    return NULL;
  }
  if (strchr (model, G_DIR_SEPARATOR) || g_str_has_suffix (model, ".json")) {
    gchar *path;

    if (g_file_test (model, G_FILE_TEST_IS_DIR))
      path = g_build_filename (model, "model.json", NULL);
    else
      path = g_strdup (model);
    if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND,
          "model file '%s' does not exist", path);
      g_free (path);
      return NULL;
    }
    if (!g_path_is_absolute (path)) {
      gchar *cwd = g_get_current_dir ();
      gchar *abs = g_build_filename (cwd, path, NULL);

      g_free (cwd);
      g_free (path);
      path = abs;
    }
    return path;
  }

  dirs = g_ptr_array_new_with_free_func (g_free);
  if (env && *env) {
    gchar **parts = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);

    for (i = 0; parts[i]; i++) {
      if (*parts[i])
        g_ptr_array_add (dirs, g_strdup (parts[i]));
    }
    g_strfreev (parts);
  }
  g_ptr_array_add (dirs, g_strdup (OMNI_BUILD_MODELDIR));
  g_ptr_array_add (dirs, g_build_filename (OMNI_DATADIR, "models", NULL));

  tried = g_string_new (NULL);
  for (i = 0; i < dirs->len && !found; i++) {
    found = model_json_in (g_ptr_array_index (dirs, i), model);
    g_string_append_printf (
        tried, "%s%s", i ? ", " : "", (gchar *) g_ptr_array_index (dirs, i));
  }
  if (!found) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND,
        "model '%s' not found: no %s/model.json in %s (run "
        "tools/omni-fetch-models, or set OMNI_MODEL_PATH)",
        model, model, tried->str);
  }
  g_string_free (tried, TRUE);
  g_ptr_array_unref (dirs);
  return found;
}

gchar **
omni_nn_labels_load (const gchar *path, guint *n_labels, GError **error)
{
  gchar *contents = NULL;
  gchar **lines;
  GPtrArray *labels;
  GError *err = NULL;
  guint i;

  if (!g_file_get_contents (path, &contents, NULL, &err)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND,
        "cannot read labels file: %s", err->message);
    g_error_free (err);
    return NULL;
  }
  if (!g_utf8_validate (contents, -1, NULL)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "labels file '%s' is not UTF-8 text", path);
    g_free (contents);
    return NULL;
  }
  lines = g_strsplit (contents, "\n", -1);
  labels = g_ptr_array_new ();
  for (i = 0; lines[i]; i++) {
    gchar *s = g_strstrip (lines[i]);

    if (*s)
      g_ptr_array_add (labels, g_strdup (s));
  }
  g_strfreev (lines);
  g_free (contents);
  if (n_labels)
    *n_labels = labels->len;
  g_ptr_array_add (labels, NULL);
  return (gchar **) g_ptr_array_free (labels, FALSE);
}

void
omni_nn_model_free (OmniNnModel *model)
{
  if (!model)
    return;
  g_free (model->id);
  g_free (model->path);
  g_free (model->unverified_reason);
  omni_nn_graph_free (model->graph);
  g_strfreev (model->labels);
  g_free (model);
}

OmniNnModel *
omni_nn_model_load (const gchar *model, const gchar *labels,
    const gchar *embedding_layer, GError **error)
{
  return omni_nn_model_load_full (
      model, labels, embedding_layer, OMNI_NN_LOAD_DEFAULT, error);
}

static gboolean
load_labels (Loader *l, OmniNnModel *m, const gchar *labels, const gchar *dir)
{
  gchar *path;
  gboolean ok = TRUE;

  if (labels)
    path = g_strdup (labels); /* the user's own file: not checked */
  else {
    path = g_build_filename (dir, "labels.txt", NULL);
    if (!g_file_test (path, G_FILE_TEST_EXISTS))
      g_clear_pointer (&path, g_free);
  }
  if (path) {
    GError *err = NULL;

    m->labels = omni_nn_labels_load (path, &m->n_labels, &err);
    ok = m->labels != NULL;
    if (!ok && labels) {
      g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_SETTING,
          "labels file '%s': %s", labels, err->message);
      g_error_free (err);
    } else if (!ok) {
      g_propagate_error (l->error, err);
    }
  }
  g_free (path);
  return ok;
}

#if HAVE_ONNX
/* An ONNX model for the callers of omni_nn_model_load_full(): its
 * "embedding" output is the sidecar's, so no other layer can be named. */
static OmniNnModel *
load_onnx (const gchar *model, const gchar *labels,
    const gchar *embedding_layer, OmniNnLoadFlags flags, GError **error)
{
  OmniNnModel *m;

  if (embedding_layer && *embedding_layer) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SETTING,
        "an ONNX model's embedding is the output its model-info.json calls "
        "\"embedding\"; embedding-layer '%s' cannot be chosen",
        embedding_layer);
    return NULL;
  }
  m = omni_nn_onnx_model_load (model, flags, error);
  if (m && labels) {
    guint n = 0;
    gchar **l = omni_nn_labels_load (labels, &n, error);

    if (!l) {
      omni_nn_model_free (m);
      return NULL;
    }
    g_strfreev (m->labels);
    m->labels = l;
    m->n_labels = n;
  }
  return m;
}
#endif

OmniNnModel *
omni_nn_model_load_full (const gchar *model, const gchar *labels,
    const gchar *embedding_layer, OmniNnLoadFlags flags, GError **error)
{
  gboolean verified = FALSE;
  gchar *unverified = NULL;
  OmniNnModel *m = NULL;
  gchar *path, *dir = NULL;
  JsonParser *parser = NULL;
  JsonNode *root;
  JsonObject *robj, *topology;
  JsonArray *manifest;
  const gchar *format;
  Loader l = { 0 };
  GError *err = NULL;

#if HAVE_ONNX
  /* an ONNX image model (omninnonnx.h: model.onnx and its sidecar) */
  if (omni_nn_onnx_is_model (model))
    return load_onnx (model, labels, embedding_layer, flags, error);
#endif
  path = omni_nn_model_resolve (model, error);
  if (!path)
    return NULL;
  dir = g_path_get_dirname (path);
  l.error = error;
  if (!omni_nn_model_verify (path, flags & OMNI_NN_LOAD_ALLOW_UNVERIFIED,
          &verified, &unverified, error))
    goto fail;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_mapped_file (parser, path, &err)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "%s is not valid JSON: %s", path, err->message);
    g_error_free (err);
    goto fail;
  }
  root = json_parser_get_root (parser);
  robj = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root)
                                               : NULL;
  topology = member_object (robj, "modelTopology");
  manifest = member_array (robj, "weightsManifest");
  format = member_string (robj, "format");
  if (format && !strcmp (format, "graph-model")) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
        "%s is a TF.js graph model; only layers models are supported", path);
    goto fail;
  }
  if (!topology || !manifest) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "%s is not a TF.js layers model (no modelTopology or "
        "weightsManifest)",
        path);
    goto fail;
  }

  l.g = omni_nn_graph_new ();
  l.outs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  l.gap_tensor = OMNI_NN_NO_TENSOR;
  l.weights = omni_nn_weights_load (dir, manifest, error);
  if (!l.weights)
    goto fail;
  if (!build_graph (&l, topology, embedding_layer))
    goto fail;
  read_metadata (l.g, robj);
  if (!omni_nn_graph_optimize (l.g, error))
    goto fail;

  m = g_new0 (OmniNnModel, 1);
  m->path = path;
  path = NULL;
  if (strchr (model, G_DIR_SEPARATOR) || g_str_has_suffix (model, ".json"))
    m->id = g_path_get_basename (dir);
  else
    m->id = g_strdup (model);
  m->graph = l.g;
  l.g = NULL;

  if (!load_labels (&l, m, labels, dir)) {
    omni_nn_model_free (m);
    m = NULL;
    goto fail;
  }
  m->verified = verified;
  m->unverified_reason = g_steal_pointer (&unverified);

fail:
  if (l.weights)
    g_hash_table_unref (l.weights);
  if (l.outs)
    g_hash_table_unref (l.outs);
  omni_nn_graph_free (l.g);
  g_free (unverified);
  if (parser)
    g_object_unref (parser);
  g_free (dir);
  g_free (path);
  return m;
}
