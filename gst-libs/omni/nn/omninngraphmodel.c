/* gst-omni: TF.js graph-model loader
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omninngraphmodel
 * @title: TF.js graph models
 * @short_description: loads TensorFlow graphs (TF.js graph-model format)
 *
 * A TF.js graph model is a model.json whose `modelTopology.node` lists
 * TensorFlow NodeDefs (name, op, inputs, attributes, with string attributes
 * base64-encoded) and whose `weightsManifest` holds the values of the
 * `Const` nodes (tfjs-converter's format:
 * https://github.com/tensorflow/tfjs/tree/master/tfjs-converter).
 *
 * The loader walks the graph backwards from the outputs, so nodes past a
 * cut are never looked at, and converts each node it needs:
 * - constants and arithmetic on constants only (shape computations) are
 *   evaluated at load;
 * - Identity-like nodes are aliases, Reshape/Squeeze/ExpandDims of a
 *   constant are folded, of an activation a copy;
 * - every other supported op becomes one node of the runtime IR
 *   (omninnops.h), see ops[] below; the graph is then optimised (activations
 *   fused) and validated.
 * A node whose op is not supported fails the load with an error naming the
 * op and the node; a graph with control flow anywhere is refused.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninngraphmodel.h"
#include "omninnverify.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "omninnmodelinfo.h"
#include "omninnweights.h"

#define MAX_RANK 5

/* A value flowing along an edge: a constant (folded at load) or an
 * activation tensor of the graph. Shapes are TF's, batch included. */
typedef struct {
  guint n_dims;
  guint dims[MAX_RANK];
  gsize n;
  gboolean is_const;
  const gfloat *data; /* constant: borrowed from a weight or from owned */
  guint tensor;       /* activation */
  /* An activation stored in another axis order (the NCHW side of an ONNX
   * conversion's Transposes, folded at load: see "layouts"): logical
   * axis i (of @dims) is axis perm[i] of the stored tensor. */
  gboolean permuted;
  guint perm[MAX_RANK];
  /* MaxPool's -inf padding (PadV2 before a 'VALID' MaxPool), not applied:
   * rows above and below, columns left and right of the stored NHWC
   * tensor; only a MaxPool (which then skips those taps) may read it. */
  gboolean inf_pad;
  guint pads[4];
} Val;

typedef struct {
  OmniNnGraph *g;
  GHashTable *nodes;   /* name -> JsonObject (NodeDef) */
  GHashTable *vals;    /* name -> Val* */
  GHashTable *weights; /* name -> OmniNnWeight* */
  GHashTable *busy;    /* names being converted (cycle check) */
  GPtrArray *owned;    /* folded constants' data */
  gboolean has_input;
  GError **error;
} Loader;

typedef Val *(*OpFunc) (Loader *l, JsonObject *node, const gchar *name,
    const gchar *op, Val **in, guint n_in);

/* ---- NodeDef attributes --------------------------------------------------- */

static JsonObject *
attr (JsonObject *node, const gchar *key)
{
  JsonNode *a = json_object_get_member (node, "attr");
  JsonNode *v;

  if (!a || !JSON_NODE_HOLDS_OBJECT (a))
    return NULL;
  v = json_object_get_member (json_node_get_object (a), key);
  return v && JSON_NODE_HOLDS_OBJECT (v) ? json_node_get_object (v) : NULL;
}

/* A string attribute (base64 in the JSON); g_free it. */
static gchar *
attr_string (JsonObject *node, const gchar *key)
{
  JsonObject *a = attr (node, key);
  JsonNode *s = a ? json_object_get_member (a, "s") : NULL;
  guchar *raw;
  gsize len;

  if (!s || !JSON_NODE_HOLDS_VALUE (s)
      || json_node_get_value_type (s) != G_TYPE_STRING)
    return NULL;
  raw = g_base64_decode (json_node_get_string (s), &len);
  raw = g_realloc (raw, len + 1);
  raw[len] = 0;
  return (gchar *) raw;
}

static gboolean
attr_bool (JsonObject *node, const gchar *key)
{
  JsonObject *a = attr (node, key);
  JsonNode *b = a ? json_object_get_member (a, "b") : NULL;

  return b && JSON_NODE_HOLDS_VALUE (b)
         && json_node_get_value_type (b) == G_TYPE_BOOLEAN
         && json_node_get_boolean (b);
}

static JsonArray *
attr_list (JsonObject *node, const gchar *key, const gchar *kind)
{
  JsonObject *a = attr (node, key);
  JsonNode *l = a ? json_object_get_member (a, "list") : NULL;
  JsonNode *v;

  if (!l || !JSON_NODE_HOLDS_OBJECT (l))
    return NULL;
  v = json_object_get_member (json_node_get_object (l), kind);
  return v && JSON_NODE_HOLDS_ARRAY (v) ? json_node_get_array (v) : NULL;
}

/* An int list attribute (the JSON holds int64s as strings); returns its
 * length, -1 when absent or longer than @max. */
static gint
attr_ints (JsonObject *node, const gchar *key, gint64 *out, guint max)
{
  JsonArray *a = attr_list (node, key, "i");
  guint i;

  if (!a || json_array_get_length (a) > max)
    return -1;
  for (i = 0; i < json_array_get_length (a); i++) {
    JsonNode *e = json_array_get_element (a, i);

    if (JSON_NODE_HOLDS_VALUE (e)
        && json_node_get_value_type (e) == G_TYPE_STRING)
      out[i] = g_ascii_strtoll (json_node_get_string (e), NULL, 10);
    else if (JSON_NODE_HOLDS_VALUE (e)
             && json_node_get_value_type (e) == G_TYPE_INT64)
      out[i] = json_node_get_int (e);
    else
      return -1;
  }
  return (gint) json_array_get_length (a);
}

/* ---- errors --------------------------------------------------------------- */

static Val *fail (Loader *l, OmniNnError code, const gchar *name,
    const gchar *op, const gchar *fmt, ...) G_GNUC_PRINTF (5, 6);

static Val *
fail (Loader *l, OmniNnError code, const gchar *name, const gchar *op,
    const gchar *fmt, ...)
{
  va_list ap;
  gchar *what;

  va_start (ap, fmt);
  what = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (l->error && !*l->error)
    g_set_error (
        l->error, OMNI_NN_ERROR, code, "node '%s' (op %s): %s", name, op, what);
  g_free (what);
  return NULL;
}

/* ---- values --------------------------------------------------------------- */

static Val *
new_const (Loader *l, guint n_dims, const guint *dims, gfloat *owned_data)
{
  Val *v = g_new0 (Val, 1);
  guint i;

  v->is_const = TRUE;
  v->n_dims = n_dims;
  v->n = 1;
  for (i = 0; i < n_dims; i++) {
    v->dims[i] = dims[i];
    v->n *= dims[i];
  }
  g_ptr_array_add (l->owned, owned_data);
  v->data = owned_data;
  return v;
}

/* An activation of TF shape @dims (batch first, 1): a new graph tensor
 * without the batch axis. */
static Val *
new_act (Loader *l, const gchar *name, guint n_dims, const guint *dims)
{
  Val *v = g_new0 (Val, 1);
  guint i, skip = n_dims > 1 && dims[0] == 1 ? 1 : 0;

  v->n_dims = n_dims;
  v->n = 1;
  for (i = 0; i < n_dims; i++) {
    v->dims[i] = dims[i];
    v->n *= dims[i];
  }
  v->tensor
      = omni_nn_graph_add_tensor (l->g, name, n_dims - skip, dims + skip, NULL);
  return v;
}

static gchar *
shape_str (const Val *v)
{
  GString *s = g_string_new ("[");
  guint i;

  for (i = 0; i < v->n_dims; i++)
    g_string_append_printf (s, "%s%u", i ? ", " : "", v->dims[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* An activation of rank 4 (NHWC, batch 1). */
static gboolean
is_image (const Val *v)
{
  return v && !v->is_const && v->n_dims == 4 && v->dims[0] == 1;
}

static gfloat *
const_copy (const Val *v)
{
  return g_memdup2 (v->data, MAX (v->n, 1) * sizeof (gfloat));
}

static guint
add_weight_tensor (Loader *l, const gchar *name, const Val *v)
{
  guint dims[4], n_dims = MIN (v->n_dims, 4), i;

  if (v->n_dims == 0) {
    dims[0] = 1;
    n_dims = 1;
  }
  for (i = 0; i < n_dims && v->n_dims; i++)
    dims[i] = v->dims[v->n_dims - n_dims + i];
  return omni_nn_graph_add_tensor (l->g, name, n_dims, dims, const_copy (v));
}

/* ---- ops: sources and aliases ------------------------------------------- */

static Val *
op_const (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  OmniNnWeight *w = g_hash_table_lookup (l->weights, name);
  Val *v;
  guint i;

  if (!w)
    return fail (l, OMNI_NN_ERROR_WEIGHTS, name, op,
        "tensor '%s' is not in the weightsManifest", name);
  v = g_new0 (Val, 1);
  v->is_const = TRUE;
  v->n_dims = w->n_dims;
  for (i = 0; i < w->n_dims; i++)
    v->dims[i] = w->dims[i];
  v->n = w->n_elements;
  v->data = w->data;
  return v;
}

static gchar *input_name (const gchar *ref, gboolean *other_output);

/* Whether the input [1, a, b, c] is NCHW: an ONNX conversion's, whose
 * first layout-sensitive reader (past padding and element-wise
 * arithmetic) is a Transpose to NHWC ([0, 2, 3, 1]), with a <= 4 < c. */
static gboolean
input_is_nchw (Loader *l, const gchar *input, const guint *d)
{
  static const gchar *const through[] = { "Pad", "PadV2", "Identity", "Add",
    "AddV2", "Sub", "Mul", "RealDiv", "Cast", NULL };
  GPtrArray *todo = g_ptr_array_new ();
  gboolean nchw = FALSE, other = FALSE;
  GHashTableIter it;
  gpointer key, value;
  guint k;

  if (d[1] > 4 || d[3] <= 4)
    return FALSE;
  g_ptr_array_add (todo, (gpointer) input);
  while (todo->len && !other && todo->len < 64) {
    const gchar *from = g_ptr_array_steal_index (todo, todo->len - 1);

    g_hash_table_iter_init (&it, l->nodes);
    while (g_hash_table_iter_next (&it, &key, &value)) {
      JsonNode *in = json_object_get_member (value, "input");
      JsonArray *a
          = in && JSON_NODE_HOLDS_ARRAY (in) ? json_node_get_array (in) : NULL;
      const gchar *op
          = json_node_get_string (json_object_get_member (value, "op"));
      gboolean reads = FALSE;
      guint i;

      for (i = 0; a && i < json_array_get_length (a); i++) {
        const gchar *r = json_array_get_string_element (a, i);
        gsize len = strlen (from);

        reads |= r && !strncmp (r, from, len)
                 && (r[len] == 0 || !strcmp (r + len, ":0"));
      }
      if (!reads)
        continue;
      if (!g_strcmp0 (op, "Transpose") && a && json_array_get_length (a) == 2) {
        gboolean o;
        gchar *pn = input_name (json_array_get_string_element (a, 1), &o);
        OmniNnWeight *w = pn ? g_hash_table_lookup (l->weights, pn) : NULL;

        g_free (pn);
        if (w && w->n_elements == 4 && w->data[0] == 0 && w->data[1] == 2
            && w->data[2] == 3 && w->data[3] == 1)
          nchw = TRUE;
        else
          other = TRUE;
        continue;
      }
      for (k = 0; op && through[k] && strcmp (op, through[k]); k++)
        ;
      if (op && through[k])
        g_ptr_array_add (todo, key);
      else
        other = TRUE;
    }
  }
  g_ptr_array_unref (todo);
  return nchw && !other;
}

static Val *
op_placeholder (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  JsonObject *a = attr (node, "shape");
  JsonNode *sn = a ? json_object_get_member (a, "shape") : NULL;
  JsonNode *dn = sn && JSON_NODE_HOLDS_OBJECT (sn)
                     ? json_object_get_member (json_node_get_object (sn), "dim")
                     : NULL;
  JsonArray *dims
      = dn && JSON_NODE_HOLDS_ARRAY (dn) ? json_node_get_array (dn) : NULL;
  guint d[4], i;
  Val *v;

  if (l->has_input)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "a second input (only models with one image input are supported)");
  if (!dims || json_array_get_length (dims) != 4)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "the input is not an image [1, height, width, channels]");
  for (i = 0; i < 4; i++) {
    JsonNode *e = json_array_get_element (dims, i);
    JsonObject *o
        = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
    JsonNode *s = o ? json_object_get_member (o, "size") : NULL;
    gint64 size = s && JSON_NODE_HOLDS_VALUE (s)
                          && json_node_get_value_type (s) == G_TYPE_STRING
                      ? g_ascii_strtoll (json_node_get_string (s), NULL, 10)
                      : -1;

    if (i == 0 && size == -1)
      size = 1;
    if (size <= 0 || size > 16384 || (i == 0 && size != 1))
      return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
          "input dimension %u is %" G_GINT64_FORMAT
          " (a fixed [1, h, w, c] is needed)",
          i, size);
    d[i] = (guint) size;
  }
  if (input_is_nchw (l, name, d)) {
    /* stored NHWC, seen NCHW by the graph (see "layouts") */
    guint nhwc[4] = { 1, d[2], d[3], d[1] }, perm[4] = { 0, 3, 1, 2 };

    v = new_act (l, name, 4, nhwc);
    memcpy (v->dims, d, sizeof (d));
    memcpy (v->perm, perm, sizeof (perm));
    v->permuted = TRUE;
    d[1] = nhwc[1];
    d[2] = nhwc[2];
    d[3] = nhwc[3];
  } else {
    v = new_act (l, name, 4, d);
  }
  l->g->input = v->tensor;
  l->g->input_h = d[1];
  l->g->input_w = d[2];
  l->g->input_c = d[3];
  l->has_input = TRUE;
  return v;
}

static Val *
op_identity (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  Val *v = g_new (Val, 1);

  *v = *in[0];
  return v;
}

static Val *inf_padding (Loader *l, const gchar *name, const gchar *op,
    const Val *x, const Val *pads);
static Val *reshape_permuted (Loader *l, const gchar *name, const gchar *op,
    const Val *in, guint n_dims, const guint *dims);

/* Reshape, Squeeze, ExpandDims: the new shape of @in. */
static Val *
reshaped (Loader *l, const gchar *name, const gchar *op, const Val *in,
    guint n_dims, const guint *dims)
{
  OmniNnOpParams p = { 0 };
  gsize n = 1;
  guint i;
  Val *v;

  for (i = 0; i < n_dims; i++)
    n *= dims[i];
  if (n != in->n || n_dims > MAX_RANK
      || (!in->is_const && n_dims == MAX_RANK && dims[0] != 1))
    return fail (l, OMNI_NN_ERROR_SHAPE, name, op,
        "cannot reshape %" G_GSIZE_FORMAT " values to this shape", in->n);
  if (in->is_const)
    return new_const (l, n_dims, dims, const_copy (in));
  if (in->inf_pad)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "reads a -inf padding (only a MaxPool may)");
  if (in->permuted)
    return reshape_permuted (l, name, op, in, n_dims, dims);
  v = new_act (l, name, n_dims, dims);
  p.eltwise.n = n;
  omni_nn_graph_add_node (l->g, OMNI_NN_OP_RESHAPE, name, &p, 1, &in->tensor,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, v->tensor);
  return v;
}

static Val *
op_reshape (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  guint dims[MAX_RANK], i, unknown = G_MAXUINT;
  gsize known = 1;

  if (n_in != 2 || !in[1]->is_const || in[1]->n > MAX_RANK)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "the shape is not a constant of at most %u dims", MAX_RANK);
  for (i = 0; i < in[1]->n; i++) {
    gfloat d = in[1]->data[i];

    if (d == -1 && unknown == G_MAXUINT) {
      unknown = i;
      dims[i] = 1;
    } else if (d >= 0 && d == floorf (d)) {
      dims[i] = (guint) d;
      known *= dims[i];
    } else {
      return fail (l, OMNI_NN_ERROR_SHAPE, name, op, "bad shape entry %g", d);
    }
  }
  if (unknown != G_MAXUINT)
    dims[unknown] = known ? (guint) (in[0]->n / known) : 0;
  return reshaped (l, name, op, in[0], (guint) in[1]->n, dims);
}

static Val *
op_squeeze (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  gint64 axes[MAX_RANK];
  gint n_axes = attr_ints (node, "squeeze_dims", axes, MAX_RANK);
  guint dims[MAX_RANK], n = 0, i;
  gint k;

  for (i = 0; i < in[0]->n_dims; i++) {
    gboolean drop = FALSE;

    if (n_axes <= 0)
      drop = in[0]->dims[i] == 1;
    for (k = 0; k < n_axes; k++)
      if (axes[k] == (gint64) i || axes[k] + in[0]->n_dims == i)
        drop = TRUE;
    if (!drop)
      dims[n++] = in[0]->dims[i];
  }
  return reshaped (l, name, op, in[0], n, dims);
}

static Val *
op_expand_dims (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  guint dims[MAX_RANK], n = 0, i;
  gint axis;

  if (n_in != 2 || !in[1]->is_const || in[1]->n != 1
      || in[0]->n_dims + 1 > MAX_RANK)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "the axis is not one constant, or the rank exceeds %u", MAX_RANK);
  axis = (gint) in[1]->data[0];
  if (axis < 0)
    axis += in[0]->n_dims + 1;
  for (i = 0; i <= in[0]->n_dims; i++) {
    if ((gint) i == axis)
      dims[n++] = 1;
    if (i < in[0]->n_dims)
      dims[n++] = in[0]->dims[i];
  }
  return reshaped (l, name, op, in[0], n, dims);
}

/* ---- ops: convolutions and matrix products ------------------------------ */

/* The fused activation of _FusedConv2D / FusedDepthwiseConv2dNative /
 * _FusedMatMul, after the BiasAdd its fused_ops list starts with. */
static gboolean
fused_activation (Loader *l, JsonObject *node, const gchar *name,
    const gchar *op, gboolean *bias, OmniNnActivation *act)
{
  JsonArray *ops = attr_list (node, "fused_ops", "s");
  guint i;

  *bias = FALSE;
  *act = OMNI_NN_ACT_NONE;
  for (i = 0; ops && i < json_array_get_length (ops); i++) {
    JsonNode *e = json_array_get_element (ops, i);
    gsize len;
    guchar *raw = JSON_NODE_HOLDS_VALUE (e)
                          && json_node_get_value_type (e) == G_TYPE_STRING
                      ? g_base64_decode (json_node_get_string (e), &len)
                      : NULL;
    gchar *f = raw ? g_strndup ((gchar *) raw, len) : g_strdup ("?");

    g_free (raw);
    if (i == 0 && !strcmp (f, "BiasAdd"))
      *bias = TRUE;
    else if (i == 1 && *bias && !strcmp (f, "Relu"))
      *act = OMNI_NN_ACT_RELU;
    else if (i == 1 && *bias && !strcmp (f, "Relu6"))
      *act = OMNI_NN_ACT_RELU6;
    else {
      fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
          "fused op '%s' is not supported", f);
      g_free (f);
      return FALSE;
    }
    g_free (f);
  }
  return TRUE;
}

/* TF's padding of a convolution or pooling window along one axis. */
static gboolean
window (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    guint axis, guint in, guint k, guint s, guint d, guint *out, gint *before)
{
  gchar *padding = attr_string (node, "padding");
  gboolean ok = TRUE;
  guint pb = 0;

  if (padding && !strcmp (padding, "EXPLICIT")) {
    gint64 pads[8];
    guint eff = (k - 1) * d + 1;

    if (attr_ints (node, "explicit_paddings", pads, 8) != 8
        || pads[2 * axis] < 0 || pads[2 * axis + 1] < 0
        || in + pads[2 * axis] + pads[2 * axis + 1] < eff) {
      ok = FALSE;
    } else {
      *before = (gint) pads[2 * axis];
      *out = (guint) ((in + pads[2 * axis] + pads[2 * axis + 1] - eff) / s + 1);
    }
  } else if (padding
             && (!strcmp (padding, "SAME") || !strcmp (padding, "VALID"))) {
    ok = omni_nn_conv_output_size (in, k, s, d,
        !strcmp (padding, "SAME") ? OMNI_NN_PADDING_SAME
                                  : OMNI_NN_PADDING_VALID,
        out, &pb);
    *before = (gint) pb;
  } else {
    ok = FALSE;
  }
  if (!ok)
    fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "padding '%s' gives no output on an input of %u",
        padding ? padding : "?", in);
  g_free (padding);
  return ok;
}

/* strides and dilations [1, h, w, 1] of an NHWC node */
static gboolean
hw_attr (JsonObject *node, const gchar *key, guint *h, guint *w)
{
  gint64 v[4];
  gint n = attr_ints (node, key, v, 4);

  if (n < 0) {
    *h = *w = 1;
    return TRUE;
  }
  if (n != 4 || v[0] != 1 || v[3] != 1 || v[1] < 1 || v[2] < 1 || v[1] > 64
      || v[2] > 64)
    return FALSE;
  *h = (guint) v[1];
  *w = (guint) v[2];
  return TRUE;
}

static gboolean
nhwc (Loader *l, JsonObject *node, const gchar *name, const gchar *op)
{
  gchar *fmt = attr_string (node, "data_format");
  gboolean ok = !fmt || !strcmp (fmt, "NHWC");

  if (!ok)
    fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "data_format '%s' (only NHWC)", fmt);
  g_free (fmt);
  return ok;
}

static Val *
op_conv (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  gboolean depthwise = strstr (op, "Depthwise") != NULL, bias = FALSE;
  OmniNnActivation act = OMNI_NN_ACT_NONE;
  const Val *x = in[0], *f = n_in > 1 ? in[1] : NULL;
  guint sh, sw, dh, dw, oh, ow, kh, kw, cin, cout, d[4];
  gint pt = 0, pl = 0;
  OmniNnOpParams p = { 0 };
  OmniNnOpType type;
  guint wid, bid = OMNI_NN_NO_TENSOR;
  Val *v;

  if (!nhwc (l, node, name, op)
      || ((op[0] == '_' || !strncmp (op, "Fused", 5))
          && !fused_activation (l, node, name, op, &bias, &act)))
    return NULL;
  if (!is_image (x) || !f || !f->is_const || f->n_dims != 4
      || f->dims[2] != x->dims[3] || (bias && (n_in < 3 || !in[2]->is_const)))
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "needs an NHWC activation, a constant 4-d filter matching its "
        "channels (and a constant bias)");
  if (!hw_attr (node, "strides", &sh, &sw)
      || !hw_attr (node, "dilations", &dh, &dw))
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "strides or dilations other than [1, h, w, 1]");
  kh = f->dims[0];
  kw = f->dims[1];
  cin = f->dims[2];
  cout = depthwise ? cin * f->dims[3] : f->dims[3];
  if (bias && in[2]->n != cout)
    return fail (l, OMNI_NN_ERROR_SHAPE, name, op,
        "bias of %" G_GSIZE_FORMAT " values for %u channels", in[2]->n, cout);
  if (!window (l, node, name, op, 1, x->dims[1], kh, sh, dh, &oh, &pt)
      || !window (l, node, name, op, 2, x->dims[2], kw, sw, dw, &ow, &pl))
    return NULL;
  d[0] = 1;
  d[1] = oh;
  d[2] = ow;
  d[3] = cout;
  if (!depthwise && kh == 1 && kw == 1 && sh == 1 && sw == 1 && pt == 0
      && pl == 0 && oh == x->dims[1] && ow == x->dims[2]) {
    type = OMNI_NN_OP_POINTWISE_CONV2D;
    p.gemm.m = oh * ow;
    p.gemm.k = cin;
    p.gemm.n = cout;
    p.gemm.activation = act;
  } else if (depthwise) {
    type = OMNI_NN_OP_DEPTHWISE_CONV2D;
    p.depthwise = (OmniNnDepthwiseConv2dParams){ x->dims[1], x->dims[2], cin,
      oh, ow, cout, kh, kw, sh, sw, dh, dw, pt, pl, f->dims[3], act };
  } else {
    type = OMNI_NN_OP_CONV2D;
    p.conv2d = (OmniNnConv2dParams){ x->dims[1], x->dims[2], cin, oh, ow, cout,
      kh, kw, sh, sw, dh, dw, pt, pl, act };
  }
  wid = add_weight_tensor (l, NULL, f);
  if (bias)
    bid = add_weight_tensor (l, NULL, in[2]);
  v = new_act (l, name, 4, d);
  omni_nn_graph_add_node (
      l->g, type, name, &p, 1, &x->tensor, wid, bid, v->tensor);
  return v;
}

static Val *
op_matmul (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  gboolean bias = FALSE;
  OmniNnActivation act = OMNI_NN_ACT_NONE;
  const Val *x = in[0], *w = n_in > 1 ? in[1] : NULL;
  OmniNnOpParams p = { 0 };
  guint k, n, d[2], bid = OMNI_NN_NO_TENSOR, wid;
  gfloat *data;
  Val *v;

  if (op[0] == '_' && !fused_activation (l, node, name, op, &bias, &act))
    return NULL;
  if (x->is_const || x->n_dims != 2 || x->dims[0] != 1 || !w || !w->is_const
      || w->n_dims != 2 || attr_bool (node, "transpose_a")
      || (bias && (n_in < 3 || !in[2]->is_const)))
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "needs a [1, k] activation and a constant [k, n] matrix");
  k = x->dims[1];
  data = const_copy (w);
  if (attr_bool (node, "transpose_b")) {
    guint r, c;

    n = w->dims[0];
    for (r = 0; r < w->dims[0]; r++)
      for (c = 0; c < w->dims[1]; c++)
        data[(gsize) c * n + r] = w->data[(gsize) r * w->dims[1] + c];
    if (w->dims[1] != k) {
      g_free (data);
      return fail (l, OMNI_NN_ERROR_SHAPE, name, op, "matrix does not fit");
    }
  } else {
    n = w->dims[1];
    if (w->dims[0] != k) {
      g_free (data);
      return fail (l, OMNI_NN_ERROR_SHAPE, name, op, "matrix does not fit");
    }
  }
  if (bias && in[2]->n != n) {
    g_free (data);
    return fail (l, OMNI_NN_ERROR_SHAPE, name, op, "bias does not fit");
  }
  d[0] = k;
  d[1] = n;
  wid = omni_nn_graph_add_tensor (l->g, NULL, 2, d, data);
  if (bias)
    bid = add_weight_tensor (l, NULL, in[2]);
  p.gemm.m = 1;
  p.gemm.k = k;
  p.gemm.n = n;
  p.gemm.activation = act;
  d[0] = 1;
  v = new_act (l, name, 2, d);
  omni_nn_graph_add_node (
      l->g, OMNI_NN_OP_DENSE, name, &p, 1, &x->tensor, wid, bid, v->tensor);
  return v;
}

/* ---- ops: element-wise ---------------------------------------------------- */

static const struct {
  const gchar *op;
  OmniNnBinaryKind kind;
} binary_ops[] = {
  { "Add", OMNI_NN_BINARY_ADD },
  { "AddV2", OMNI_NN_BINARY_ADD },
  { "BiasAdd", OMNI_NN_BINARY_ADD },
  { "Sub", OMNI_NN_BINARY_SUB },
  { "Mul", OMNI_NN_BINARY_MUL },
  { "RealDiv", OMNI_NN_BINARY_DIV },
  { "Div", OMNI_NN_BINARY_DIV },
  { "Maximum", OMNI_NN_BINARY_MAX },
  { "Minimum", OMNI_NN_BINARY_MIN },
};

/* NumPy broadcasting of @a and @b into @p (right-aligned, rank <= 4 after
 * dropping leading 1s of a rank-5 shape). */
static gboolean
broadcast (const Val *a, const Val *b, OmniNnBinaryParams *p, guint *out_rank,
    guint *out_dims)
{
  guint r = MAX (a->n_dims, b->n_dims), i, lead = 0;
  guint da[MAX_RANK], db[MAX_RANK], d[MAX_RANK];

  for (i = 0; i < r; i++) {
    gint ia = (gint) i - (gint) (r - a->n_dims);
    gint ib = (gint) i - (gint) (r - b->n_dims);

    da[i] = ia >= 0 ? a->dims[ia] : 1;
    db[i] = ib >= 0 ? b->dims[ib] : 1;
    if (da[i] != db[i] && da[i] != 1 && db[i] != 1)
      return FALSE;
    d[i] = MAX (da[i], db[i]);
    if (da[i] == 0 || db[i] == 0)
      return FALSE;
  }
  *out_rank = r;
  memcpy (out_dims, d, r * sizeof (guint));
  if (r == 0) {
    *out_rank = 0;
    p->n_dims = 1;
    p->dims[0] = p->a_dims[0] = p->b_dims[0] = 1;
    return TRUE;
  }
  while (r - lead > 4 && d[lead] == 1)
    lead++;
  if (r - lead > 4)
    return FALSE;
  p->n_dims = r - lead;
  for (i = 0; i < p->n_dims; i++) {
    p->dims[i] = d[lead + i];
    p->a_dims[i] = da[lead + i];
    p->b_dims[i] = db[lead + i];
  }
  return TRUE;
}

static Val *
op_binary (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  OmniNnOpParams p = { 0 };
  guint rank, dims[MAX_RANK], i, wid;
  const Val *a = in[0], *b = in[1];
  Val *v;

  for (i = 0; i < G_N_ELEMENTS (binary_ops); i++)
    if (!strcmp (op, binary_ops[i].op))
      p.binary.kind = binary_ops[i].kind;
  if (n_in != 2 || !broadcast (a, b, &p.binary, &rank, dims)) {
    gchar *sa = shape_str (a), *sb = shape_str (b);

    fail (l, OMNI_NN_ERROR_SHAPE, name, op,
        "operands do not broadcast (%s and %s)", sa, sb);
    g_free (sa);
    g_free (sb);
    return NULL;
  }
  if (a->is_const && b->is_const) {
    gsize n = 1;
    gfloat *data;

    for (i = 0; i < rank; i++)
      n *= dims[i];
    data = g_new (gfloat, MAX (n, 1));
    omni_nn_ref_binary (&p.binary, a->data, b->data, data);
    return new_const (l, rank, dims, data);
  }
  if (rank > 1 && dims[0] != 1)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op, "batch larger than 1");
  v = new_act (l, name, rank, dims);
  if (!a->is_const && !b->is_const && a->n == b->n && a->n == v->n
      && p.binary.kind == OMNI_NN_BINARY_ADD) {
    guint ins[2] = { a->tensor, b->tensor };

    p.eltwise.n = v->n;
    p.eltwise.activation = OMNI_NN_ACT_NONE;
    omni_nn_graph_add_node (l->g, OMNI_NN_OP_ADD, name, &p, 2, ins,
        OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, v->tensor);
  } else if (!a->is_const && !b->is_const) {
    guint ins[2] = { a->tensor, b->tensor };

    omni_nn_graph_add_node (l->g, OMNI_NN_OP_BINARY, name, &p, 2, ins,
        OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, v->tensor);
  } else {
    /* the activation first, the constant in the weights slot */
    if (a->is_const) {
      guint t[4];

      memcpy (t, p.binary.a_dims, sizeof (t));
      memcpy (p.binary.a_dims, p.binary.b_dims, sizeof (t));
      memcpy (p.binary.b_dims, t, sizeof (t));
      p.binary.swap = TRUE;
      a = in[1];
      b = in[0];
    }
    wid = add_weight_tensor (l, NULL, b);
    omni_nn_graph_add_node (l->g, OMNI_NN_OP_BINARY_CONST, name, &p, 1,
        &a->tensor, wid, OMNI_NN_NO_TENSOR, v->tensor);
  }
  return v;
}

static Val *
op_activation (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  OmniNnOpParams p = { 0 };
  Val *v;

  if (in[0]->is_const)
    return fail (
        l, OMNI_NN_ERROR_UNSUPPORTED, name, op, "an activation of a constant");
  p.eltwise.n = in[0]->n;
  p.eltwise.activation = !strcmp (op, "Relu")      ? OMNI_NN_ACT_RELU
                         : !strcmp (op, "Relu6")   ? OMNI_NN_ACT_RELU6
                         : !strcmp (op, "Sigmoid") ? OMNI_NN_ACT_SIGMOID
                                                   : OMNI_NN_ACT_TANH;
  v = new_act (l, name, in[0]->n_dims, in[0]->dims);
  omni_nn_graph_add_node (l->g, OMNI_NN_OP_ACTIVATION, name, &p, 1,
      &in[0]->tensor, OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, v->tensor);
  return v;
}

static Val *
op_softmax (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  OmniNnOpParams p = { 0 };
  Val *v;

  if (in[0]->is_const || in[0]->n_dims == 0)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op, "not an activation");
  p.softmax.n = in[0]->dims[in[0]->n_dims - 1];
  p.softmax.rows = p.softmax.n ? (guint) (in[0]->n / p.softmax.n) : 0;
  v = new_act (l, name, in[0]->n_dims, in[0]->dims);
  omni_nn_graph_add_node (l->g, OMNI_NN_OP_SOFTMAX, name, &p, 1, &in[0]->tensor,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, v->tensor);
  return v;
}

/* ---- ops: pooling, reductions, padding ------------------------------------ */

static Val *
op_pool (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  OmniNnOpParams p = { 0 };
  OmniNnPool2dParams *q = &p.pool2d;
  const Val *x = in[0];
  guint d[4];
  Val *v;

  if (!nhwc (l, node, name, op))
    return NULL;
  if (!is_image (x) || !hw_attr (node, "ksize", &q->kernel_h, &q->kernel_w)
      || !hw_attr (node, "strides", &q->stride_h, &q->stride_w))
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "needs an NHWC activation, ksize and strides [1, h, w, 1]");
  q->in_h = x->dims[1];
  q->in_w = x->dims[2];
  q->c = x->dims[3];
  q->max = !strcmp (op, "MaxPool");
  if (!window (l, node, name, op, 1, q->in_h, q->kernel_h, q->stride_h, 1,
          &q->out_h, &q->pad_top)
      || !window (l, node, name, op, 2, q->in_w, q->kernel_w, q->stride_w, 1,
          &q->out_w, &q->pad_left))
    return NULL;
  if (x->inf_pad) {
    /* -inf rows and columns never win a max: the taps the pool skips */
    if (!q->max)
      return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
          "an average pool of a -inf padding");
    q->in_h -= x->pads[0] + x->pads[1];
    q->in_w -= x->pads[2] + x->pads[3];
    q->pad_top += (gint) x->pads[0];
    q->pad_left += (gint) x->pads[2];
  }
  d[0] = 1;
  d[1] = q->out_h;
  d[2] = q->out_w;
  d[3] = q->c;
  v = new_act (l, name, 4, d);
  omni_nn_graph_add_node (l->g, OMNI_NN_OP_POOL2D, name, &p, 1, &x->tensor,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, v->tensor);
  return v;
}

/* Mean over the spatial axes of an NHWC activation. */
static Val *
op_mean (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  OmniNnOpParams p = { 0 };
  const Val *x = in[0], *ax = n_in > 1 ? in[1] : NULL;
  gboolean h = FALSE, w = FALSE, other = FALSE;
  guint d[4], i;
  Val *v;

  for (i = 0; ax && ax->is_const && i < ax->n; i++) {
    gint a
        = (gint) ax->data[i] < 0 ? (gint) ax->data[i] + 4 : (gint) ax->data[i];

    h |= a == 1;
    w |= a == 2;
    other |= a != 1 && a != 2;
  }
  if (!is_image (x) || !ax || !ax->is_const || !h || !w || other)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "only the mean over height and width of an NHWC activation");
  p.pool.h = x->dims[1];
  p.pool.w = x->dims[2];
  p.pool.c = x->dims[3];
  d[0] = d[1] = d[2] = 1;
  d[3] = p.pool.c;
  if (attr_bool (node, "keep_dims"))
    v = new_act (l, name, 4, d);
  else
    v = new_act (l, name, 2, d + 2);
  omni_nn_graph_add_node (l->g, OMNI_NN_OP_GLOBAL_AVG_POOL, name, &p, 1,
      &x->tensor, OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, v->tensor);
  return v;
}

static Val *
op_pad (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  OmniNnOpParams p = { 0 };
  OmniNnPadParams *q = &p.pad;
  const Val *x = in[0], *pads = n_in > 1 ? in[1] : NULL;
  guint d[4], i;
  Val *v;

  if (n_in > 2 && in[2]->is_const && in[2]->n == 1
      && in[2]->data[0] <= -G_MAXFLOAT && pads && pads->is_const)
    return inf_padding (l, name, op, x, pads);
  if (!is_image (x) || !pads || !pads->is_const || pads->n != 8
      || (n_in > 2
          && (!in[2]->is_const || in[2]->n != 1 || in[2]->data[0] != 0)))
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "only constant zero padding of an NHWC activation");
  for (i = 0; i < 8; i++)
    if (pads->data[i] < 0 || pads->data[i] > 4096 || (i < 2 && pads->data[i]))
      return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
          "negative, huge or batch padding");
  q->in_h = x->dims[1];
  q->in_w = x->dims[2];
  q->c = x->dims[3];
  q->pad_top = (guint) pads->data[2];
  q->pad_bottom = (guint) pads->data[3];
  q->pad_left = (guint) pads->data[4];
  q->pad_right = (guint) pads->data[5];
  q->pad_front = (guint) pads->data[6];
  q->pad_back = (guint) pads->data[7];
  d[0] = 1;
  d[1] = q->in_h + q->pad_top + q->pad_bottom;
  d[2] = q->in_w + q->pad_left + q->pad_right;
  d[3] = q->pad_front + q->c + q->pad_back;
  v = new_act (l, name, 4, d);
  omni_nn_graph_add_node (l->g, OMNI_NN_OP_PAD, name, &p, 1, &x->tensor,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, v->tensor);
  return v;
}

/* ---- ops: concatenation, resizing, casts ---------------------------------- */

/* Two values along @axis: folded when both are constants. */
static Val *
concat2 (Loader *l, const gchar *name, const gchar *op, const Val *a,
    const Val *b, guint axis)
{
  OmniNnOpParams p = { 0 };
  guint dims[MAX_RANK], i;
  gsize outer = 1, ia = 1, ib = 1;
  guint ins[2];
  Val *v;

  if (a->n_dims != b->n_dims || axis >= a->n_dims)
    return fail (l, OMNI_NN_ERROR_SHAPE, name, op, "ranks or axis differ");
  for (i = 0; i < a->n_dims; i++) {
    if (i != axis && a->dims[i] != b->dims[i])
      return fail (l, OMNI_NN_ERROR_SHAPE, name, op,
          "dimension %u differs (%u, %u)", i, a->dims[i], b->dims[i]);
    dims[i] = i == axis ? a->dims[i] + b->dims[i] : a->dims[i];
    if (i < axis)
      outer *= a->dims[i];
    else {
      ia *= a->dims[i];
      ib *= b->dims[i];
    }
  }
  if (outer > G_MAXUINT || ia > G_MAXUINT || ib > G_MAXUINT)
    return fail (l, OMNI_NN_ERROR_SHAPE, name, op, "too large");
  p.concat.outer = (guint) outer;
  p.concat.a = (guint) ia;
  p.concat.b = (guint) ib;
  if (a->is_const && b->is_const) {
    gfloat *data = g_new (gfloat, MAX (outer * (ia + ib), 1));

    omni_nn_ref_concat (&p.concat, a->data, b->data, data);
    return new_const (l, a->n_dims, dims, data);
  }
  if (a->is_const || b->is_const || (a->n_dims > 1 && a->dims[0] != 1))
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "concatenating a constant with an activation, or along a batch");
  if (!ia || !ib)
    return fail (l, OMNI_NN_ERROR_SHAPE, name, op, "an empty part");
  v = new_act (l, name, a->n_dims, dims);
  ins[0] = a->tensor;
  ins[1] = b->tensor;
  omni_nn_graph_add_node (l->g, OMNI_NN_OP_CONCAT, name, &p, 2, ins,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, v->tensor);
  return v;
}

static Val *
op_concat (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  const Val *ax = n_in > 0 ? in[n_in - 1] : NULL;
  gint axis;
  Val *acc;
  guint i;

  if (n_in < 2 || !ax->is_const || ax->n != 1)
    return fail (
        l, OMNI_NN_ERROR_UNSUPPORTED, name, op, "the axis is not one constant");
  if (n_in == 2) {
    Val *v = g_new (Val, 1);

    *v = *in[0];
    return v;
  }
  axis = (gint) ax->data[0];
  if (axis < 0)
    axis += in[0]->n_dims;
  if (axis < 0)
    return fail (l, OMNI_NN_ERROR_SHAPE, name, op, "axis out of range");
  acc = concat2 (l, name, op, in[0], in[1], (guint) axis);
  /* longer lists: a chain of pairs (the intermediate ones unnamed) */
  for (i = 2; acc && i + 1 < n_in; i++) {
    Val *next = concat2 (l, name, op, acc, in[i], (guint) axis);

    g_free (acc);
    acc = next;
  }
  return acc;
}

static Val *
op_resize (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  OmniNnOpParams p = { 0 };
  OmniNnResizeParams *q = &p.resize;
  const Val *x = in[0], *size = n_in > 1 ? in[1] : NULL;
  guint d[4];
  Val *v;

  if (!is_image (x) || !size || !size->is_const || size->n != 2
      || size->data[0] < 1 || size->data[1] < 1 || size->data[0] > 16384
      || size->data[1] > 16384)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "needs an NHWC activation and a constant size");
  q->in_h = x->dims[1];
  q->in_w = x->dims[2];
  q->c = x->dims[3];
  q->out_h = (guint) size->data[0];
  q->out_w = (guint) size->data[1];
  q->align_corners = attr_bool (node, "align_corners");
  q->half_pixel_centers = attr_bool (node, "half_pixel_centers");
  q->nearest = !strcmp (op, "ResizeNearestNeighbor");
  if (q->align_corners && q->half_pixel_centers)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "align_corners with half_pixel_centers");
  d[0] = 1;
  d[1] = q->out_h;
  d[2] = q->out_w;
  d[3] = q->c;
  v = new_act (l, name, 4, d);
  omni_nn_graph_add_node (l->g, OMNI_NN_OP_RESIZE, name, &p, 1, &x->tensor,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, v->tensor);
  return v;
}

/* The runtime computes in float32: a cast to float is the identity; a
 * constant cast to int32 is truncated at load. */
static Val *
op_cast (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  JsonObject *a = attr (node, "DstT");
  JsonNode *t = a ? json_object_get_member (a, "type") : NULL;
  const gchar *dst = t && JSON_NODE_HOLDS_VALUE (t)
                             && json_node_get_value_type (t) == G_TYPE_STRING
                         ? json_node_get_string (t)
                         : "?";
  Val *v;

  if (!strcmp (dst, "DT_FLOAT")) {
    v = g_new (Val, 1);
    *v = *in[0];
    return v;
  }
  if (in[0]->is_const && !strcmp (dst, "DT_INT32")) {
    gfloat *data = const_copy (in[0]);
    gsize i;

    for (i = 0; i < in[0]->n; i++)
      data[i] = truncf (data[i]);
    return new_const (l, in[0]->n_dims, in[0]->dims, data);
  }
  return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
      "a cast of an activation to %s", dst);
}

/* Unpack (unstack) into one piece: the input without that axis. */
static Val *
op_unpack (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  gint64 axis = 0;
  guint dims[MAX_RANK], n = 0, i;
  JsonObject *a = attr (node, "axis");
  JsonNode *an = a ? json_object_get_member (a, "i") : NULL;

  if (an && JSON_NODE_HOLDS_VALUE (an))
    axis = json_node_get_value_type (an) == G_TYPE_STRING
               ? g_ascii_strtoll (json_node_get_string (an), NULL, 10)
               : json_node_get_int (an);
  if (axis < 0)
    axis += in[0]->n_dims;
  if (axis < 0 || axis >= in[0]->n_dims || in[0]->dims[axis] != 1)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "only an unpack into one piece");
  for (i = 0; i < in[0]->n_dims; i++)
    if (i != axis)
      dims[n++] = in[0]->dims[i];
  return reshaped (l, name, op, in[0], n, dims);
}

/* ---- ops: layouts (transposes folded at load) ----------------------------- */

/* ONNX models converted to TF (NanoDet) compute in NCHW and wrap every
 * convolution, pooling and resize in Transposes to and from NHWC. The
 * runtime stores every activation NHWC; a Transpose only records, in the
 * value, the order its axes are stored in (Val.perm), and the ops that do
 * not care about the order (activations, same-order element-wise ops,
 * padding, concatenation and splits along an axis, reshapes merging axes
 * that are stored together) run on the stored tensor. Anything else reading
 * a value stored out of order fails the load naming the node. */

/* The stored shape of @v (its logical shape when not permuted). */
static void
stored_dims (const Val *v, guint *dims)
{
  guint i;

  for (i = 0; i < v->n_dims; i++)
    dims[v->permuted ? v->perm[i] : i] = v->dims[i];
}

/* @v seen in its stored order: what an op on the stored tensor reads. */
static Val
stored_view (const Val *v)
{
  Val s = *v;

  stored_dims (v, s.dims);
  s.permuted = FALSE;
  return s;
}

/* Gives @r (computed on stored views of inputs ordered as @like) the
 * logical order of @like: same rank, same permutation. */
static Val *
restore_order (Val *r, const Val *like)
{
  guint stored[MAX_RANK], i;

  if (!r || !like->permuted)
    return r;
  memcpy (stored, r->dims, sizeof (stored));
  r->permuted = TRUE;
  memcpy (r->perm, like->perm, sizeof (r->perm));
  for (i = 0; i < r->n_dims; i++)
    r->dims[i] = stored[like->perm[i]];
  return r;
}

static gboolean
perm_is_identity (const guint *perm, guint n)
{
  guint i;

  for (i = 0; i < n; i++)
    if (perm[i] != i)
      return FALSE;
  return TRUE;
}

static Val *
op_transpose (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  const Val *x = in[0];
  guint perm[MAX_RANK], seen = 0, i;
  Val *v;

  if (n_in != 2 || !in[1]->is_const || in[1]->n != x->n_dims)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "the permutation is not a constant of the input's rank");
  for (i = 0; i < x->n_dims; i++) {
    gfloat p = in[1]->data[i];

    if (p < 0 || p >= x->n_dims || (seen & (1u << (guint) p)))
      return fail (l, OMNI_NN_ERROR_SHAPE, name, op, "not a permutation");
    perm[i] = (guint) p;
    seen |= 1u << perm[i];
  }
  if (x->is_const)
    return fail (
        l, OMNI_NN_ERROR_UNSUPPORTED, name, op, "a transpose of a constant");
  v = g_new (Val, 1);
  *v = *x;
  for (i = 0; i < x->n_dims; i++) {
    v->dims[i] = x->dims[perm[i]];
    v->perm[i] = x->permuted ? x->perm[perm[i]] : perm[i];
  }
  v->permuted = !perm_is_identity (v->perm, v->n_dims);
  if (v->permuted && v->perm[0] != 0 && v->dims[0] != 1) {
    g_free (v);
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "a transpose that moves the batch axis");
  }
  return v;
}

/* Reshape of a value stored out of order: each new axis must be a run of
 * logical axes stored next to each other in the same order (merging H and
 * W of an NCHW view, as the heads of ONNX detectors do); the stored
 * tensor is then reshaped, no transpose needed. */
static Val *
reshape_permuted (Loader *l, const gchar *name, const gchar *op, const Val *in,
    guint n_dims, const guint *dims)
{
  gdouble pos[MAX_RANK];
  guint order[MAX_RANK] = { 0 }, stored[MAX_RANK] = { 0 }, i = 0, j, k;
  OmniNnOpParams p = { 0 };
  Val *v;

  for (j = 0; j < n_dims; j++) {
    gsize prod = 1;
    gint last = -1;

    pos[j] = j ? pos[j - 1] + 0.001 : -1;
    if (dims[j] == 1)
      continue;
    while (i < in->n_dims && in->dims[i] == 1)
      i++;
    for (; i < in->n_dims && prod < dims[j]; i++) {
      if (in->dims[i] == 1)
        continue;
      if (last >= 0 && in->perm[i] != (guint) last + 1)
        return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
            "a reshape of a transposed tensor that needs the transpose");
      if (last < 0)
        pos[j] = in->perm[i];
      last = (gint) in->perm[i];
      prod *= in->dims[i];
    }
    if (prod != dims[j])
      return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
          "a reshape of a transposed tensor that splits an axis");
  }
  /* new axes in stored order (insertion sort, stable) */
  for (j = 0; j < n_dims; j++) {
    for (k = j; k > 0 && pos[order[k - 1]] > pos[j]; k--)
      order[k] = order[k - 1];
    order[k] = j;
  }
  if (dims[order[0]] != 1 && n_dims > 1 && order[0] != 0)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "a reshape of a transposed tensor that moves the batch axis");
  for (k = 0; k < n_dims; k++)
    stored[k] = dims[order[k]];
  v = new_act (l, name, n_dims, stored);
  for (k = 0; k < n_dims; k++) {
    v->perm[order[k]] = k;
    v->dims[order[k]] = stored[k];
  }
  v->permuted = !perm_is_identity (v->perm, n_dims);
  p.eltwise.n = in->n;
  omni_nn_graph_add_node (l->g, OMNI_NN_OP_RESHAPE, name, &p, 1, &in->tensor,
      OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, v->tensor);
  return v;
}

static Val *
op_leaky_relu (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  OmniNnOpParams p = { 0 };
  JsonObject *a = attr (node, "alpha");
  JsonNode *f = a ? json_object_get_member (a, "f") : NULL;
  Val *v;

  if (in[0]->is_const)
    return fail (
        l, OMNI_NN_ERROR_UNSUPPORTED, name, op, "an activation of a constant");
  p.eltwise.n = in[0]->n;
  p.eltwise.activation = OMNI_NN_ACT_LEAKY_RELU;
  /* TF's default slope */
  p.eltwise.alpha = f && JSON_NODE_HOLDS_VALUE (f)
                        ? (gfloat) json_node_get_double (f)
                        : 0.2f;
  v = new_act (l, name, in[0]->n_dims, in[0]->dims);
  omni_nn_graph_add_node (l->g, OMNI_NN_OP_ACTIVATION, name, &p, 1,
      &in[0]->tensor, OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, v->tensor);
  return v;
}

/* SplitV (value, size_splits, axis): one slice node per piece; pieces
 * after the first are found as "name:K". */
static Val *
op_split_v (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    Val **in, guint n_in)
{
  const Val *x = in[0];
  guint stored[MAX_RANK], axis, k, i, offset = 0;
  gsize outer = 1, inner = 1;
  Val *first = NULL;
  gint a;

  if (n_in != 3 || x->is_const || !in[1]->is_const || !in[2]->is_const
      || in[2]->n != 1 || in[1]->n < 1 || in[1]->n > 64)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "needs an activation, constant sizes and a constant axis");
  a = (gint) in[2]->data[0];
  if (a < 0)
    a += x->n_dims;
  if (a <= 0 || a >= (gint) x->n_dims)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op, "axis out of range");
  stored_dims (x, stored);
  axis = x->permuted ? x->perm[a] : (guint) a;
  for (i = 0; i < x->n_dims; i++) {
    if (i < axis)
      outer *= stored[i];
    else if (i > axis)
      inner *= stored[i];
  }
  for (k = 0; k < in[1]->n; k++) {
    OmniNnOpParams p = { 0 };
    guint len = (guint) in[1]->data[k];
    Val s = stored_view (x), *v;

    if (in[1]->data[k] == -1 && k + 1 == in[1]->n)
      len = stored[axis] - offset;
    if (in[1]->data[k] < 0 || offset + len > stored[axis] || !len)
      return fail (l, OMNI_NN_ERROR_SHAPE, name, op, "sizes do not fit");
    s.dims[axis] = len;
    p.slice.outer = (guint) outer;
    p.slice.in_len = stored[axis];
    p.slice.offset = offset;
    p.slice.out_len = len;
    p.slice.inner = (guint) inner;
    offset += len;
    v = restore_order (new_act (l, name, x->n_dims, s.dims), x);
    omni_nn_graph_add_node (l->g, OMNI_NN_OP_SLICE, name, &p, 1, &x->tensor,
        OMNI_NN_NO_TENSOR, OMNI_NN_NO_TENSOR, v->tensor);
    if (k == 0)
      first = v;
    else
      g_hash_table_insert (l->vals, g_strdup_printf ("%s:%u", name, k), v);
  }
  if (offset != stored[axis]) {
    g_free (first);
    return fail (l, OMNI_NN_ERROR_SHAPE, name, op, "sizes add up to %u, not %u",
        offset, stored[axis]);
  }
  return first;
}

/* SparseToDense of constants (shape arithmetic of ONNX conversions). */
static Val *
op_sparse_to_dense (Loader *l, JsonObject *node, const gchar *name,
    const gchar *op, Val **in, guint n_in)
{
  const Val *idx = in[0], *shape = in[1], *vals = in[2];
  guint dims[MAX_RANK], rank, i, r, n_rows;
  gsize n = 1;
  gfloat *data;

  if (n_in != 4 || !idx->is_const || !shape->is_const || !vals->is_const
      || !in[3]->is_const || in[3]->n != 1 || shape->n > MAX_RANK)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "only of constants (a shape computation)");
  rank = (guint) shape->n;
  for (i = 0; i < rank; i++) {
    if (shape->data[i] < 0 || shape->data[i] > 1 << 24)
      return fail (l, OMNI_NN_ERROR_SHAPE, name, op, "bad output shape");
    dims[i] = (guint) shape->data[i];
    n *= dims[i];
  }
  n_rows = idx->n_dims == 0 ? 1 : idx->dims[0];
  if ((idx->n_dims == 2 ? idx->dims[1] : 1) != MAX (rank, 1)
      || (vals->n != 1 && vals->n != n_rows))
    return fail (l, OMNI_NN_ERROR_SHAPE, name, op, "indices do not fit");
  data = g_new (gfloat, MAX (n, 1));
  for (i = 0; i < n; i++)
    data[i] = in[3]->data[0];
  for (r = 0; r < n_rows; r++) {
    gsize at = 0;

    for (i = 0; i < MAX (rank, 1); i++) {
      gfloat c = idx->data[r * MAX (rank, 1) + i];

      if (c < 0 || (rank && c >= dims[i])) {
        g_free (data);
        return fail (l, OMNI_NN_ERROR_SHAPE, name, op, "index out of range");
      }
      at = at * (rank ? dims[i] : 1) + (gsize) c;
    }
    data[at] = vals->data[vals->n == 1 ? 0 : r];
  }
  return new_const (l, rank, dims, data);
}

/* PadV2 with -inf before a 'VALID' MaxPool (ONNX's MaxPool padding): the
 * pool skips those taps instead. */
static Val *
inf_padding (Loader *l, const gchar *name, const gchar *op, const Val *x,
    const Val *pads)
{
  guint i;
  Val *v;

  if (x->n_dims != 4 || pads->n != 8 || x->inf_pad)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "a -inf padding of another than a 4-D activation");
  v = g_new (Val, 1);
  *v = *x;
  v->inf_pad = TRUE;
  memset (v->pads, 0, sizeof (v->pads));
  for (i = 0; i < 4; i++) {
    guint s = x->permuted ? x->perm[i] : i;
    gfloat before = pads->data[2 * i], after = pads->data[2 * i + 1];

    if (before < 0 || after < 0 || before > 64 || after > 64
        || ((s == 0 || s == 3) && (before || after))) {
      g_free (v);
      return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
          "a -inf padding of other axes than height and width");
    }
    if (s == 1 || s == 2) {
      v->pads[(s - 1) * 2] = (guint) before;
      v->pads[(s - 1) * 2 + 1] = (guint) after;
    }
    v->dims[i] += (guint) (before + after);
  }
  return v;
}

/* Whether @func handles inputs stored out of order or -inf padded itself. */
static gboolean
sees_order (OpFunc func)
{
  return func == op_identity || func == op_transpose || func == op_split_v
         || func == op_reshape || func == op_squeeze || func == op_expand_dims
         || func == op_unpack || func == op_cast;
}

/* Runs @func on inputs some of which are stored out of order: ops that do
 * not care about the order run on the stored tensors (all in one order),
 * with the axis-valued constants (padding amounts, the concatenation axis)
 * mapped to the stored order. */
static Val *
run_ordered (Loader *l, JsonObject *node, const gchar *name, const gchar *op,
    OpFunc func, Val **in, guint n_in)
{
  const Val *like = NULL;
  Val views[8], *vin[8], mapped;
  gfloat data[2 * MAX_RANK];
  guint i, j;

  for (i = 0; i < n_in; i++) {
    if (in[i]->inf_pad && !sees_order (func) && func != op_pool)
      return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
          "reads a -inf padding (only a MaxPool may)");
    if (in[i]->permuted && !like)
      like = in[i];
  }
  if (!like || sees_order (func))
    return func (l, node, name, op, in, n_in);
  if (func != op_activation && func != op_leaky_relu && func != op_binary
      && func != op_pad && func != op_concat)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "reads a transposed tensor (an NCHW view) and needs it in NHWC: "
        "unsupported transpose");
  for (i = 0; i < n_in; i++) {
    vin[i] = in[i];
    if (in[i]->is_const)
      continue;
    if (!in[i]->permuted || in[i]->n_dims != like->n_dims
        || memcmp (in[i]->perm, like->perm, like->n_dims * sizeof (guint)))
      return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
          "operands stored in different axis orders");
    views[i] = stored_view (in[i]);
    vin[i] = &views[i];
  }
  if (func == op_binary && (in[0]->is_const ? in[0] : in[1])->is_const
      && (in[0]->is_const ? in[0] : in[1])->n != 1)
    return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
        "a constant broadcast over a transposed tensor");
  if (func == op_pad && n_in > 1 && in[1]->is_const
      && in[1]->n == 2 * like->n_dims) {
    mapped = *in[1];
    for (i = 0; i < like->n_dims; i++)
      for (j = 0; j < 2; j++)
        data[2 * like->perm[i] + j] = in[1]->data[2 * i + j];
    mapped.data = data;
    vin[1] = &mapped;
  }
  if (func == op_concat && in[n_in - 1]->is_const && in[n_in - 1]->n == 1) {
    gint a = (gint) in[n_in - 1]->data[0];

    if (a < 0)
      a += like->n_dims;
    if (a < 0 || a >= (gint) like->n_dims)
      return fail (l, OMNI_NN_ERROR_SHAPE, name, op, "axis out of range");
    mapped = *in[n_in - 1];
    data[0] = (gfloat) like->perm[a];
    mapped.data = data;
    vin[n_in - 1] = &mapped;
  }
  return restore_order (func (l, node, name, op, vin, n_in), like);
}

/* ---- the op table --------------------------------------------------------- */

static const struct {
  const gchar *op;
  OpFunc func;
} ops[] = {
  { "Const", op_const },
  { "Placeholder", op_placeholder },
  { "Identity", op_identity },
  { "StopGradient", op_identity },
  { "Snapshot", op_identity },
  { "Reshape", op_reshape },
  { "Squeeze", op_squeeze },
  { "ExpandDims", op_expand_dims },
  { "Conv2D", op_conv },
  { "_FusedConv2D", op_conv },
  { "DepthwiseConv2dNative", op_conv },
  { "FusedDepthwiseConv2dNative", op_conv },
  { "MatMul", op_matmul },
  { "_FusedMatMul", op_matmul },
  { "Add", op_binary },
  { "AddV2", op_binary },
  { "BiasAdd", op_binary },
  { "Sub", op_binary },
  { "Mul", op_binary },
  { "RealDiv", op_binary },
  { "Div", op_binary },
  { "Maximum", op_binary },
  { "Minimum", op_binary },
  { "Relu", op_activation },
  { "Relu6", op_activation },
  { "Sigmoid", op_activation },
  { "Tanh", op_activation },
  { "Softmax", op_softmax },
  { "MaxPool", op_pool },
  { "AvgPool", op_pool },
  { "Mean", op_mean },
  { "Pad", op_pad },
  { "PadV2", op_pad },
  { "ConcatV2", op_concat },
  { "ResizeBilinear", op_resize },
  { "ResizeNearestNeighbor", op_resize },
  { "Cast", op_cast },
  { "Unpack", op_unpack },
  { "Transpose", op_transpose },
  { "LeakyRelu", op_leaky_relu },
  { "SplitV", op_split_v },
  { "SparseToDense", op_sparse_to_dense },
};

/* Ops of TensorFlow's control flow (tf.while_loop, tf.cond, functions). */
static const gchar *const control_flow[] = { "Enter", "Exit", "Merge", "Switch",
  "NextIteration", "LoopCond", "While", "StatelessWhile", "If", "StatelessIf",
  "PartitionedCall", "StatefulPartitionedCall", NULL };

static OpFunc
find_op (const gchar *op)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (ops); i++)
    if (!strcmp (ops[i].op, op))
      return ops[i].func;
  return NULL;
}

/* ---- graph traversal ------------------------------------------------------ */

/* "name", "name:0" -> "name"; %NULL for a control input ("^name") or
 * another output than the first. */
static gchar *
input_name (const gchar *ref, gboolean *other_output)
{
  const gchar *colon = strrchr (ref, ':');

  *other_output = FALSE;
  if (ref[0] == '^')
    return NULL;
  if (colon && g_ascii_isdigit (colon[1])) {
    *other_output = strcmp (colon + 1, "0") != 0;
    return g_strndup (ref, colon - ref);
  }
  return g_strdup (ref);
}

static Val *convert (Loader *l, const gchar *name);

static Val *
convert_node (Loader *l, JsonObject *node, const gchar *name)
{
  JsonNode *inn = json_object_get_member (node, "input");
  JsonArray *inputs
      = inn && JSON_NODE_HOLDS_ARRAY (inn) ? json_node_get_array (inn) : NULL;
  JsonNode *opn = json_object_get_member (node, "op");
  const gchar *op = opn && JSON_NODE_HOLDS_VALUE (opn)
                            && json_node_get_value_type (opn) == G_TYPE_STRING
                        ? json_node_get_string (opn)
                        : "?";
  OpFunc func = find_op (op);
  Val *in[8];
  guint n_in = 0, i;

  if (!func)
    return fail (
        l, OMNI_NN_ERROR_UNSUPPORTED, name, op, "op %s is not supported", op);
  for (i = 0; inputs && i < json_array_get_length (inputs); i++) {
    JsonNode *e = json_array_get_element (inputs, i);
    gboolean other = FALSE;
    gchar *iname = JSON_NODE_HOLDS_VALUE (e)
                           && json_node_get_value_type (e) == G_TYPE_STRING
                       ? input_name (json_node_get_string (e), &other)
                       : NULL;

    if (!iname)
      continue;
    if (n_in == G_N_ELEMENTS (in)) {
      g_free (iname);
      return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op, "too many inputs");
    }
    in[n_in] = convert (l, iname);
    if (in[n_in] && other) {
      /* "node:K": the K-th output, which its op (SplitV) recorded */
      gchar *key = g_strdup_printf (
          "%s:%s", iname, strrchr (json_node_get_string (e), ':') + 1);

      in[n_in] = g_hash_table_lookup (l->vals, key);
      g_free (key);
      if (!in[n_in]) {
        g_free (iname);
        return fail (l, OMNI_NN_ERROR_UNSUPPORTED, name, op,
            "reads an output of an op that has only one");
      }
    }
    g_free (iname);
    if (!in[n_in])
      return NULL;
    n_in++;
  }
  if (n_in == 0 && strcmp (op, "Const") && strcmp (op, "Placeholder"))
    return fail (l, OMNI_NN_ERROR_PARSE, name, op, "no inputs");
  return run_ordered (l, node, name, op, func, in, n_in);
}

static Val *
convert (Loader *l, const gchar *name)
{
  JsonObject *node;
  Val *v = g_hash_table_lookup (l->vals, name);

  if (v)
    return v;
  node = g_hash_table_lookup (l->nodes, name);
  if (!node) {
    if (l->error && !*l->error)
      g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
          "node '%s' is read but not defined", name);
    return NULL;
  }
  if (g_hash_table_contains (l->busy, name)) {
    if (l->error && !*l->error)
      g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
          "node '%s' is part of a cycle (control flow is not supported)", name);
    return NULL;
  }
  g_hash_table_add (l->busy, (gpointer) name);
  v = convert_node (l, node, name);
  g_hash_table_remove (l->busy, name);
  if (v)
    g_hash_table_insert (l->vals, g_strdup (name), v);
  return v;
}

/* ---- outputs and the whole load ------------------------------------------- */

/* Refuses a graph with control flow anywhere (even past a cut: its outputs
 * would not mean what the model means). */
static gboolean
index_nodes (Loader *l, JsonArray *nodes, GHashTable *read)
{
  guint i, j, k;

  for (i = 0; i < json_array_get_length (nodes); i++) {
    JsonNode *e = json_array_get_element (nodes, i);
    JsonObject *n
        = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
    JsonNode *nn = n ? json_object_get_member (n, "name") : NULL;
    JsonNode *on = n ? json_object_get_member (n, "op") : NULL;
    JsonNode *in = n ? json_object_get_member (n, "input") : NULL;
    const gchar *name, *op;

    if (!nn || !on || !JSON_NODE_HOLDS_VALUE (nn) || !JSON_NODE_HOLDS_VALUE (on)
        || json_node_get_value_type (nn) != G_TYPE_STRING
        || json_node_get_value_type (on) != G_TYPE_STRING) {
      g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
          "modelTopology.node[%u] has no name or op", i);
      return FALSE;
    }
    name = json_node_get_string (nn);
    op = json_node_get_string (on);
    for (k = 0; control_flow[k]; k++) {
      if (!strcmp (op, control_flow[k])) {
        g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
            "node '%s' (op %s): the graph has control flow (loops, "
            "conditionals or function calls), which is not supported",
            name, op);
        return FALSE;
      }
    }
    g_hash_table_insert (l->nodes, (gpointer) name, n);
    for (j = 0; in && JSON_NODE_HOLDS_ARRAY (in)
                && j < json_array_get_length (json_node_get_array (in));
         j++) {
      JsonNode *r = json_array_get_element (json_node_get_array (in), j);
      gboolean other;
      gchar *iname = JSON_NODE_HOLDS_VALUE (r)
                             && json_node_get_value_type (r) == G_TYPE_STRING
                         ? input_name (json_node_get_string (r), &other)
                         : NULL;

      if (iname)
        g_hash_table_add (read, iname);
    }
  }
  return TRUE;
}

/* Output names: the caller's cut, else the signature's outputs, else the
 * nodes nobody reads (constants and the input aside). */
static GPtrArray *
output_names (
    Loader *l, JsonObject *root, const gchar *const *cut, GHashTable *read)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  JsonNode *sig = json_object_get_member (root, "signature");
  JsonNode *outs
      = sig && JSON_NODE_HOLDS_OBJECT (sig)
            ? json_object_get_member (json_node_get_object (sig), "outputs")
            : NULL;
  GHashTableIter it;
  gpointer key, value;
  guint i;

  if (cut) {
    for (i = 0; cut[i]; i++)
      g_ptr_array_add (names, g_strdup (cut[i]));
  } else if (outs && JSON_NODE_HOLDS_OBJECT (outs)) {
    GList *members = json_object_get_members (json_node_get_object (outs));
    GList *m;

    members = g_list_sort (members, (GCompareFunc) strcmp);
    for (m = members; m; m = m->next)
      g_ptr_array_add (names, g_strdup (m->data));
    g_list_free (members);
  } else {
    g_hash_table_iter_init (&it, l->nodes);
    while (g_hash_table_iter_next (&it, &key, &value)) {
      JsonNode *on = json_object_get_member (value, "op");
      const gchar *op = json_node_get_string (on);

      if (!g_hash_table_contains (read, key) && strcmp (op, "Const")
          && strcmp (op, "Placeholder") && strcmp (op, "NoOp"))
        g_ptr_array_add (names, g_strdup (key));
    }
  }
  return names;
}

static gint
cmp_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar *const *) a, *(const gchar *const *) b);
}

static gboolean
add_outputs (Loader *l, GPtrArray *names)
{
  guint i;

  g_ptr_array_sort (names, cmp_names);
  if (names->len == 0) {
    g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "the graph has no outputs");
    return FALSE;
  }
  for (i = 0; i < names->len; i++) {
    const gchar *out = g_ptr_array_index (names, i);
    gboolean other;
    gchar *node = input_name (out, &other);
    Val *v = node && !other ? convert (l, node) : NULL;

    g_free (node);
    if (!v) {
      if (!*l->error)
        g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND,
            "output '%s' is not the first output of a node", out);
      return FALSE;
    }
    if (v->is_const || v->tensor == l->g->input) {
      g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
          "output '%s' is a constant or the input", out);
      return FALSE;
    }
    if (v->permuted || v->inf_pad) {
      g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
          "output '%s' is a transposed view (an unsupported transpose)", out);
      return FALSE;
    }
    omni_nn_graph_add_output (l->g, out, v->tensor);
  }
  if (!l->has_input) {
    g_set_error (l->error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
        "the outputs do not depend on an input");
    return FALSE;
  }
  return TRUE;
}

static JsonObject *
parse_model (JsonParser *parser, const gchar *path, JsonArray **nodes,
    JsonArray **manifest, GError **error)
{
  JsonNode *root, *topo, *n, *m, *fmt;
  JsonObject *robj;
  GError *err = NULL;

  if (!json_parser_load_from_mapped_file (parser, path, &err)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "%s is not valid JSON: %s", path, err->message);
    g_error_free (err);
    return NULL;
  }
  root = json_parser_get_root (parser);
  robj = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root)
                                               : NULL;
  fmt = robj ? json_object_get_member (robj, "format") : NULL;
  topo = robj ? json_object_get_member (robj, "modelTopology") : NULL;
  n = topo && JSON_NODE_HOLDS_OBJECT (topo)
          ? json_object_get_member (json_node_get_object (topo), "node")
          : NULL;
  m = robj ? json_object_get_member (robj, "weightsManifest") : NULL;
  if (!fmt || !JSON_NODE_HOLDS_VALUE (fmt)
      || json_node_get_value_type (fmt) != G_TYPE_STRING
      || strcmp (json_node_get_string (fmt), "graph-model") != 0 || !n
      || !JSON_NODE_HOLDS_ARRAY (n) || !m || !JSON_NODE_HOLDS_ARRAY (m)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "%s is not a TF.js graph model (format \"graph-model\", "
        "modelTopology.node and weightsManifest)",
        path);
    return NULL;
  }
  *nodes = json_node_get_array (n);
  *manifest = json_node_get_array (m);
  return robj;
}

/* The sidecar's input must be the graph's; its normalisation and labels go
 * to the graph and the model. */
static gboolean
apply_info (OmniNnModel *m, const OmniNnModelInfo *info, GError **error)
{
  OmniNnGraph *g = m->graph;

  if (info->width != g->input_w || info->height != g->input_h
      || info->channels != g->input_c) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE,
        "model-info.json of %s says the input is %ux%ux%u, the graph's is "
        "%ux%ux%u",
        m->path, info->width, info->height, info->channels, g->input_w,
        g->input_h, g->input_c);
    return FALSE;
  }
  g->input_scale = info->scale;
  g->input_offset = info->offset;
  g->align_corners = info->align_corners;
  if (info->labels) {
    m->labels = g_strdupv (info->labels);
    m->n_labels = info->n_labels;
  }
  return TRUE;
}

static gchar *
model_id (const gchar *path)
{
  gchar *dir = g_path_get_dirname (path), *id = g_path_get_basename (dir);

  g_free (dir);
  return id;
}

OmniNnModel *
omni_nn_graph_model_load (
    const gchar *model, const gchar *const *outputs, GError **error)
{
  return omni_nn_graph_model_load_full (
      model, outputs, OMNI_NN_LOAD_DEFAULT, error);
}

OmniNnModel *
omni_nn_graph_model_load_full (const gchar *model, const gchar *const *outputs,
    OmniNnLoadFlags flags, GError **error)
{
  gboolean verified = FALSE;
  gchar *unverified = NULL;
  JsonParser *parser = json_parser_new_immutable ();
  JsonArray *nodes = NULL, *manifest = NULL;
  JsonObject *root;
  GHashTable *read
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *names = NULL;
  OmniNnModelInfo *info = NULL;
  OmniNnModel *m = NULL;
  GError *ierr = NULL;
  gchar *path, *dir = NULL;
  Loader l = { 0 };

  path = omni_nn_model_resolve (model, error);
  if (!path)
    goto done;
  if (!omni_nn_model_verify (path, flags & OMNI_NN_LOAD_ALLOW_UNVERIFIED,
          &verified, &unverified, error))
    goto done;
  root = parse_model (parser, path, &nodes, &manifest, error);
  if (!root)
    goto done;
  info = omni_nn_model_info_find (path, &ierr);
  if (ierr) {
    g_propagate_error (error, ierr);
    goto done;
  }
  if (!outputs && info && info->cut)
    outputs = (const gchar *const *) info->cut;
  dir = g_path_get_dirname (path);
  l.error = error;
  l.g = omni_nn_graph_new ();
  l.nodes = g_hash_table_new (g_str_hash, g_str_equal);
  l.vals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  l.busy = g_hash_table_new (g_str_hash, g_str_equal);
  l.owned = g_ptr_array_new_with_free_func (g_free);
  if (!index_nodes (&l, nodes, read))
    goto done;
  l.weights = omni_nn_weights_load (dir, manifest, error);
  if (!l.weights)
    goto done;
  names = output_names (&l, root, outputs, read);
  l.g->input_scale = 1.0f;
  if (!add_outputs (&l, names) || !omni_nn_graph_optimize (l.g, error))
    goto done;
  m = g_new0 (OmniNnModel, 1);
  m->id = model_id (path);
  m->path = g_steal_pointer (&path);
  m->graph = g_steal_pointer (&l.g);
  m->verified = verified;
  m->unverified_reason = g_steal_pointer (&unverified);
  if (info && !apply_info (m, info, error)) {
    omni_nn_model_free (m);
    m = NULL;
  }
done:
  g_free (unverified);
  omni_nn_model_info_free (info);
  if (l.g)
    omni_nn_graph_free (l.g);
  if (l.nodes)
    g_hash_table_unref (l.nodes);
  if (l.vals)
    g_hash_table_unref (l.vals);
  if (l.busy)
    g_hash_table_unref (l.busy);
  if (l.weights)
    g_hash_table_unref (l.weights);
  if (l.owned)
    g_ptr_array_unref (l.owned);
  if (names)
    g_ptr_array_unref (names);
  g_hash_table_unref (read);
  g_object_unref (parser);
  g_free (path);
  g_free (dir);
  return m;
}
