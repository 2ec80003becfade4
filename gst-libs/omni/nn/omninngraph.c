/* gst-omni: graph IR of the model runtime
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omninngraph
 * @title: OmniNnGraph
 * @short_description: inference graph, optimisation passes, backends
 *
 * An #OmniNnGraph is a list of nodes in execution order over numbered
 * tensors (batch 1, NHWC float32). Constant tensors hold the weights; the
 * others are activations computed at run time. The loader
 * (omni_nn_model_load()) builds one from a TF.js layers model, with one node
 * per Keras layer, then omni_nn_graph_optimize() folds batch norms into the
 * convolutions before them and fuses activations, so that MobileNetV2's
 * conv + batch-norm + ReLU6 triples run as one op.
 *
 * An #OmniNnBackend executes a validated graph: omni_nn_cpu_backend() with
 * the plain-C references, the Vulkan backend with compute shaders.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninngraph.h"
#include "ops/omninnop-private.h"

#include <string.h>

G_DEFINE_QUARK (omni - nn - error - quark, omni_nn_error);

static void
tensor_clear (gpointer data)
{
  OmniNnTensor *t = data;

  g_free (t->name);
  g_free (t->data);
}

static void
node_clear (gpointer data)
{
  OmniNnNode *n = data;

  g_free (n->name);
}

static void
output_clear (gpointer data)
{
  OmniNnOutput *o = data;

  g_free (o->name);
}

OmniNnGraph *
omni_nn_graph_new (void)
{
  OmniNnGraph *g = g_new0 (OmniNnGraph, 1);

  g->tensors = g_array_new (FALSE, TRUE, sizeof (OmniNnTensor));
  g_array_set_clear_func (g->tensors, tensor_clear);
  g->nodes = g_array_new (FALSE, TRUE, sizeof (OmniNnNode));
  g_array_set_clear_func (g->nodes, node_clear);
  g->outputs = g_array_new (FALSE, TRUE, sizeof (OmniNnOutput));
  g_array_set_clear_func (g->outputs, output_clear);
  g->input = OMNI_NN_NO_TENSOR;
  g->input_c = 3;
  g->input_scale = 1.0f / 255.0f;
  return g;
}

void
omni_nn_graph_free (OmniNnGraph *graph)
{
  if (!graph)
    return;
  g_array_unref (graph->tensors);
  g_array_unref (graph->nodes);
  g_array_unref (graph->outputs);
  g_free (graph);
}

guint
omni_nn_graph_add_tensor (OmniNnGraph *graph, const gchar *name, guint n_dims,
    const guint *dims, gfloat *data)
{
  OmniNnTensor t = { 0 };
  guint i;

  g_return_val_if_fail (graph != NULL, OMNI_NN_NO_TENSOR);
  g_return_val_if_fail (
      n_dims >= 1 && n_dims <= OMNI_NN_MAX_DIMS, OMNI_NN_NO_TENSOR);

  t.name = g_strdup (name);
  t.n_dims = n_dims;
  t.n_elements = 1;
  for (i = 0; i < n_dims; i++) {
    t.dims[i] = dims[i];
    t.n_elements *= dims[i];
  }
  t.data = data;
  g_array_append_val (graph->tensors, t);
  return graph->tensors->len - 1;
}

guint
omni_nn_graph_add_node (OmniNnGraph *graph, OmniNnOpType op, const gchar *name,
    const OmniNnOpParams *params, guint n_inputs, const guint *inputs,
    guint weights, guint bias, guint output)
{
  OmniNnNode n = { 0 };
  guint i;

  g_return_val_if_fail (graph != NULL, G_MAXUINT);
  g_return_val_if_fail (n_inputs <= OMNI_NN_MAX_INPUTS, G_MAXUINT);

  n.op = op;
  n.name = g_strdup (name ? name : omni_nn_op_type_name (op));
  if (params)
    n.params = *params;
  n.n_inputs = n_inputs;
  for (i = 0; i < OMNI_NN_MAX_INPUTS; i++)
    n.inputs[i] = i < n_inputs ? inputs[i] : OMNI_NN_NO_TENSOR;
  n.weights = weights;
  n.bias = bias;
  n.output = output;
  g_array_append_val (graph->nodes, n);
  return graph->nodes->len - 1;
}

void
omni_nn_graph_add_output (OmniNnGraph *graph, const gchar *name, guint tensor)
{
  OmniNnOutput o;

  g_return_if_fail (graph != NULL && name != NULL);
  o.name = g_strdup (name);
  o.tensor = tensor;
  g_array_append_val (graph->outputs, o);
}

gint
omni_nn_graph_find_output (const OmniNnGraph *graph, const gchar *name)
{
  guint i;

  for (i = 0; i < graph->outputs->len; i++) {
    if (g_strcmp0 (omni_nn_graph_output (graph, i)->name, name) == 0)
      return i;
  }
  return -1;
}

/* ---- validation -------------------------------------------------------- */

static gboolean
shape_is (
    const OmniNnTensor *t, guint n_dims, guint d0, guint d1, guint d2, guint d3)
{
  const guint want[4] = { d0, d1, d2, d3 };
  guint i;

  if (t->n_dims != n_dims)
    return FALSE;
  for (i = 0; i < n_dims; i++) {
    if (t->dims[i] != want[i])
      return FALSE;
  }
  return TRUE;
}

/* The output must have the shape the op's parameters imply: the same
 * number of elements, the same dims when the ranks agree, the same last
 * axis when both have one beside others (a flattened view of an [h, w, c]
 * activation is allowed). */
static gboolean
output_fits (const OmniNnGraph *g, const OmniNnNode *n,
    const OmniNnOpInfo *info, GError **error)
{
  const OmniNnTensor *out = omni_nn_graph_tensor (g, n->output);
  guint n_dims = 0, dims[OMNI_NN_MAX_DIMS], i;
  gsize count = 1;

  if (!info->infer_shape (&n->params, &n_dims, dims) || n_dims == 0)
    return omni_nn_shape_fail (n, out, "output", error);
  for (i = 0; i < n_dims; i++)
    count *= dims[i];
  if (out->n_elements != count
      || (out->n_dims == n_dims && memcmp (out->dims, dims, n_dims * 4))
      || (out->n_dims > 1 && n_dims > 1
          && out->dims[out->n_dims - 1] != dims[n_dims - 1]))
    return omni_nn_shape_fail (n, out, "output", error);
  return TRUE;
}

static gboolean
validate_node (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnOpInfo *info = omni_nn_op_info (n->op);

  if (!info || !info->in_graph) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
        "node '%s': op %s cannot appear in a graph", n->name,
        omni_nn_op_type_name (n->op));
    return FALSE;
  }
  if (n->n_inputs != info->n_inputs) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE,
        "node '%s' (%s) has %u inputs, the op takes %u", n->name, info->name,
        n->n_inputs, info->n_inputs);
    return FALSE;
  }
  if (!info->has_weights
      && (n->weights != OMNI_NN_NO_TENSOR || n->bias != OMNI_NN_NO_TENSOR)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE,
        "node '%s' (%s) has weights, the op takes none", n->name, info->name);
    return FALSE;
  }
  return info->validate (g, n, error) && output_fits (g, n, info, error);
}

gboolean
omni_nn_graph_validate (const OmniNnGraph *graph, GError **error)
{
  guint n_tensors = graph->tensors->len;
  gboolean *written;
  gboolean ok = FALSE;
  const OmniNnTensor *in;
  guint i, j;

  if (graph->input >= n_tensors) {
    g_set_error (
        error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE, "graph has no input tensor");
    return FALSE;
  }
  in = omni_nn_graph_tensor (graph, graph->input);
  if (in->data
      || !shape_is (in, 3, graph->input_h, graph->input_w, graph->input_c, 0)
      || graph->input_h == 0 || graph->input_w == 0 || graph->input_c == 0) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE,
        "graph input is not an [%u, %u, %u] activation", graph->input_h,
        graph->input_w, graph->input_c);
    return FALSE;
  }

  written = g_new0 (gboolean, n_tensors);
  written[graph->input] = TRUE;
  for (i = 0; i < graph->nodes->len; i++) {
    const OmniNnNode *n = omni_nn_graph_node (graph, i);

    if (n->n_inputs > OMNI_NN_MAX_INPUTS
        || (n->n_inputs == 0 && n->op != OMNI_NN_OP_PREPROCESS)) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE,
          "node '%s' has %u inputs", n->name, n->n_inputs);
      goto done;
    }
    for (j = 0; j < n->n_inputs; j++) {
      guint t = n->inputs[j];

      if (t >= n_tensors || !written[t]
          || omni_nn_graph_tensor (graph, t)->data) {
        g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE,
            "node '%s' reads tensor %u before it is computed", n->name, t);
        goto done;
      }
    }
    if (n->output >= n_tensors || written[n->output]
        || omni_nn_graph_tensor (graph, n->output)->data) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE,
          "node '%s' writes tensor %u, which is a constant or already "
          "written",
          n->name, n->output);
      goto done;
    }
    if ((n->weights != OMNI_NN_NO_TENSOR && n->weights >= n_tensors)
        || (n->bias != OMNI_NN_NO_TENSOR && n->bias >= n_tensors)) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE,
          "node '%s' has a weight tensor id out of range", n->name);
      goto done;
    }
    if (!validate_node (graph, n, error))
      goto done;
    written[n->output] = TRUE;
  }
  for (i = 0; i < graph->outputs->len; i++) {
    const OmniNnOutput *o = omni_nn_graph_output (graph, i);

    if (o->tensor >= n_tensors || !written[o->tensor]) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE,
          "graph output '%s' is never computed", o->name);
      goto done;
    }
  }
  ok = TRUE;
done:
  g_free (written);
  return ok;
}

/* ---- optimisation passes ----------------------------------------------- */

static gboolean
is_graph_output (const OmniNnGraph *g, guint tensor)
{
  guint i;

  for (i = 0; i < g->outputs->len; i++) {
    if (omni_nn_graph_output (g, i)->tensor == tensor)
      return TRUE;
  }
  return FALSE;
}

/* Number of nodes reading @tensor as an activation. */
static guint
readers (const OmniNnGraph *g, guint tensor)
{
  guint i, j, count = 0;

  for (i = 0; i < g->nodes->len; i++) {
    const OmniNnNode *n = omni_nn_graph_node (g, i);

    for (j = 0; j < n->n_inputs; j++)
      count += n->inputs[j] == tensor;
  }
  return count;
}

/* Number of nodes using constant @tensor. */
static guint
const_users (const OmniNnGraph *g, guint tensor)
{
  guint i, count = 0;

  for (i = 0; i < g->nodes->len; i++) {
    const OmniNnNode *n = omni_nn_graph_node (g, i);

    count += (n->weights == tensor) + (n->bias == tensor);
  }
  return count;
}

static gint
producer (const OmniNnGraph *g, guint tensor, guint before)
{
  gint i;

  for (i = (gint) before - 1; i >= 0; i--) {
    if (omni_nn_graph_node (g, i)->output == tensor)
      return i;
  }
  return -1;
}

/* Makes constant @id private to one user (copy on write). */
static guint
own_const (OmniNnGraph *g, guint id)
{
  OmniNnTensor *t;
  gfloat *copy;
  gchar *name;
  guint nid;

  if (const_users (g, id) <= 1)
    return id;
  t = omni_nn_graph_tensor (g, id);
  copy = g_memdup2 (t->data, t->n_elements * sizeof (gfloat));
  name = g_strdup (t->name);
  nid = omni_nn_graph_add_tensor (g, name, t->n_dims, t->dims, copy);
  g_free (name);
  return nid;
}

static OmniNnActivation *
node_activation (OmniNnNode *n)
{
  const OmniNnOpInfo *info = omni_nn_op_info (n->op);

  return info && info->activation ? info->activation (&n->params) : NULL;
}

static gfloat *
node_alpha (OmniNnNode *n)
{
  const OmniNnOpInfo *info = omni_nn_op_info (n->op);

  return info && info->alpha ? info->alpha (&n->params) : NULL;
}

static guint
node_out_channels (const OmniNnNode *n)
{
  const OmniNnOpInfo *info = omni_nn_op_info (n->op);

  return info && info->out_channels ? info->out_channels (&n->params) : 0;
}

static void
remove_node (OmniNnGraph *g, guint index)
{
  g_array_remove_index (g->nodes, index);
}

/* Whether node @pi's output may be replaced by the output of node @i,
 * which is its only reader. */
static gboolean
can_merge (const OmniNnGraph *g, gint pi, guint i)
{
  const OmniNnNode *p;

  if (pi < 0)
    return FALSE;
  p = omni_nn_graph_node (g, pi);
  return readers (g, p->output) == 1 && !is_graph_output (g, p->output)
         && producer (g, p->output, i) == pi;
}

guint
omni_nn_graph_fold_batch_norm (OmniNnGraph *graph)
{
  guint i = 0, folded = 0;

  while (i < graph->nodes->len) {
    OmniNnNode *bn = omni_nn_graph_node (graph, i);
    gint pi;
    OmniNnNode *p;
    OmniNnActivation *act;
    guint c, co;
    const gfloat *scale, *shift;
    OmniNnTensor *w, *b;
    gsize k;

    if (bn->op != OMNI_NN_OP_BATCH_NORM) {
      i++;
      continue;
    }
    pi = producer (graph, bn->inputs[0], i);
    p = pi >= 0 ? omni_nn_graph_node (graph, pi) : NULL;
    act = p ? node_activation (p) : NULL;
    c = bn->params.channel.c;
    if (p && act && *act == OMNI_NN_ACT_NONE && node_out_channels (p) == c
        && can_merge (graph, pi, i)) {
      guint bn_output = bn->output, scale_id = bn->weights, shift_id = bn->bias;
      guint wid, bid;

      wid = own_const (graph, p->weights);
      p = omni_nn_graph_node (graph, pi);
      p->weights = wid;
      if (p->bias == OMNI_NN_NO_TENSOR) {
        guint dims[1] = { c };

        p->bias = omni_nn_graph_add_tensor (
            graph, NULL, 1, dims, g_new0 (gfloat, c));
        p = omni_nn_graph_node (graph, pi);
        omni_nn_graph_tensor (graph, p->bias)->name
            = g_strdup_printf ("%s/bias", p->name);
      } else {
        bid = own_const (graph, p->bias);
        p = omni_nn_graph_node (graph, pi);
        p->bias = bid;
      }
      scale = omni_nn_graph_tensor (graph, scale_id)->data;
      shift = omni_nn_graph_tensor (graph, shift_id)->data;
      w = omni_nn_graph_tensor (graph, p->weights);
      b = omni_nn_graph_tensor (graph, p->bias);
      /* The output channel is the fastest-varying index of every kernel
       * layout ([kh, kw, cin, cout], [kh, kw, c, mult], [k, n]). */
      for (k = 0; k < w->n_elements; k++)
        w->data[k] *= scale[k % c];
      for (co = 0; co < c; co++)
        b->data[co] = b->data[co] * scale[co] + shift[co];
      p->output = bn_output;
      remove_node (graph, i);
      folded++;
      continue;
    } else {
      /* Not foldable: y = x * scale + shift as a 1x1 depthwise conv. */
      const OmniNnTensor *in = omni_nn_graph_tensor (graph, bn->inputs[0]);
      OmniNnDepthwiseConv2dParams d = { 0 };
      OmniNnTensor *st = omni_nn_graph_tensor (graph, bn->weights);
      guint dims[4] = { 1, 1, c, 1 };
      guint wid;

      /* a tensor that is not [h, w, c] is a flattened [1, n / c, c] view */
      d.in_h = in->n_dims == 3 ? in->dims[0] : 1;
      d.in_w = in->n_dims == 3 ? in->dims[1] : (guint) (in->n_elements / c);
      d.in_c = c;
      d.out_h = d.in_h;
      d.out_w = d.in_w;
      d.out_c = c;
      d.kernel_h = d.kernel_w = 1;
      d.stride_h = d.stride_w = 1;
      d.dilation_h = d.dilation_w = 1;
      d.depth_multiplier = 1;
      wid = omni_nn_graph_add_tensor (
          graph, st->name, 4, dims, g_memdup2 (st->data, c * sizeof (gfloat)));
      bn = omni_nn_graph_node (graph, i);
      bn->op = OMNI_NN_OP_DEPTHWISE_CONV2D;
      bn->params.depthwise = d;
      bn->weights = wid;
      i++;
    }
  }
  return folded;
}

/* Whether binary-const node @n adds a per-channel constant (the last axis)
 * of @c values to a tensor of its output's shape. */
static gboolean
is_channel_add (const OmniNnGraph *g, const OmniNnNode *n, guint c)
{
  const OmniNnBinaryParams *bp = &n->params.binary;
  guint k;

  if (n->op != OMNI_NN_OP_BINARY_CONST || bp->kind != OMNI_NN_BINARY_ADD
      || bp->n_dims == 0 || !c || bp->b_dims[bp->n_dims - 1] != c
      || omni_nn_graph_tensor (g, n->weights)->n_elements != c)
    return FALSE;
  for (k = 0; k < bp->n_dims; k++)
    if (bp->a_dims[k] != bp->dims[k])
      return FALSE;
  return TRUE;
}

/* Folds a constant per-channel Add after a convolution or GEMM without
 * activation (ONNX conversions spell the bias as Conv2D then Add: NanoDet
 * has 34) into its bias: one pass over the tensor less each. The sum is
 * the same up to float rounding (the kernels start from the bias). */
static guint
fold_bias_adds (OmniNnGraph *graph)
{
  guint i = 0, folded = 0;

  while (i < graph->nodes->len) {
    OmniNnNode *n = omni_nn_graph_node (graph, i);
    gint pi = n->op == OMNI_NN_OP_BINARY_CONST
                  ? producer (graph, n->inputs[0], i)
                  : -1;
    OmniNnNode *p = pi >= 0 ? omni_nn_graph_node (graph, pi) : NULL;
    OmniNnActivation *act = p ? node_activation (p) : NULL;
    guint c = p ? node_out_channels (p) : 0, co, add_id, out;
    const gfloat *add;
    OmniNnTensor *b;

    if (!p || !act || *act != OMNI_NN_ACT_NONE || !is_channel_add (graph, n, c)
        || !can_merge (graph, pi, i)) {
      i++;
      continue;
    }
    add_id = n->weights;
    out = n->output;
    if (p->bias == OMNI_NN_NO_TENSOR) {
      guint dims[1] = { c };

      co = omni_nn_graph_add_tensor (graph, NULL, 1, dims, g_new0 (gfloat, c));
      p = omni_nn_graph_node (graph, pi);
      p->bias = co;
      omni_nn_graph_tensor (graph, co)->name
          = g_strdup_printf ("%s/bias", p->name);
    } else {
      co = own_const (graph, p->bias);
      p = omni_nn_graph_node (graph, pi);
      p->bias = co;
    }
    add = omni_nn_graph_tensor (graph, add_id)->data;
    b = omni_nn_graph_tensor (graph, p->bias);
    for (co = 0; co < c; co++)
      b->data[co] += add[co];
    p->output = out;
    remove_node (graph, i);
    folded++;
  }
  return folded;
}

guint
omni_nn_graph_fuse_activations (OmniNnGraph *graph)
{
  guint i = 0, fused = 0;

  while (i < graph->nodes->len) {
    OmniNnNode *n = omni_nn_graph_node (graph, i);
    OmniNnActivation *act, what;
    gfloat *alpha, param;
    gint pi;

    if (n->op == OMNI_NN_OP_ACTIVATION) {
      what = n->params.eltwise.activation;
      param = n->params.eltwise.alpha;
    } else if (n->op == OMNI_NN_OP_HARD_SWISH) {
      what = OMNI_NN_ACT_HARD_SWISH;
      param = n->params.hard_swish.scale;
    } else {
      i++;
      continue;
    }
    pi = producer (graph, n->inputs[0], i);
    act = pi >= 0 ? node_activation (omni_nn_graph_node (graph, pi)) : NULL;
    alpha = pi >= 0 ? node_alpha (omni_nn_graph_node (graph, pi)) : NULL;
    if (act && *act == OMNI_NN_ACT_NONE
        && (what <= OMNI_NN_ACT_LAST_FUSABLE || alpha)
        && can_merge (graph, pi, i)) {
      OmniNnNode *p = omni_nn_graph_node (graph, pi);

      *act = what;
      if (alpha)
        *alpha = param;
      p->output = n->output;
      remove_node (graph, i);
      fused++;
      continue;
    }
    i++;
  }
  return fused;
}

static void
remove_dead_nodes (OmniNnGraph *graph)
{
  gboolean *needed = g_new0 (gboolean, graph->tensors->len);
  gint i;
  guint j;

  for (j = 0; j < graph->outputs->len; j++) {
    guint t = omni_nn_graph_output (graph, j)->tensor;

    if (t < graph->tensors->len)
      needed[t] = TRUE;
  }
  for (i = (gint) graph->nodes->len - 1; i >= 0; i--) {
    OmniNnNode *n = omni_nn_graph_node (graph, i);

    if (n->output < graph->tensors->len && needed[n->output]) {
      for (j = 0; j < n->n_inputs; j++) {
        if (n->inputs[j] < graph->tensors->len)
          needed[n->inputs[j]] = TRUE;
      }
    } else {
      remove_node (graph, i);
    }
  }
  g_free (needed);
}

/* Frees the values of constants no node uses any more (the batch-norm
 * scales and shifts folded into convolutions). */
static void
release_unused_constants (OmniNnGraph *graph)
{
  gboolean *used = g_new0 (gboolean, graph->tensors->len);
  guint i;

  for (i = 0; i < graph->nodes->len; i++) {
    OmniNnNode *n = omni_nn_graph_node (graph, i);

    if (n->weights < graph->tensors->len)
      used[n->weights] = TRUE;
    if (n->bias < graph->tensors->len)
      used[n->bias] = TRUE;
  }
  for (i = 0; i < graph->tensors->len; i++) {
    OmniNnTensor *t = omni_nn_graph_tensor (graph, i);

    /* A one-element placeholder keeps the tensor a constant. */
    if (t->data && !used[i] && t->n_elements > 1) {
      g_free (t->data);
      t->data = g_new0 (gfloat, 1);
      t->n_dims = 1;
      t->dims[0] = 1;
      t->n_elements = 1;
    }
  }
  g_free (used);
}

/* A new constant: @id's [rows, cols] values in the top-left corner of a
 * zero [new_rows, new_cols] matrix. */
static guint
padded_const (OmniNnGraph *g, guint id, guint rows, guint cols, guint new_rows,
    guint new_cols)
{
  const OmniNnTensor *t = omni_nn_graph_tensor (g, id);
  gfloat *data = g_new0 (gfloat, (gsize) new_rows * new_cols);
  gchar *name = g_strdup (t->name);
  guint r, dims[2] = { new_rows, new_cols }, nid;

  for (r = 0; r < rows; r++)
    memcpy (data + (gsize) r * new_cols, t->data + (gsize) r * cols,
        cols * sizeof (gfloat));
  nid = omni_nn_graph_add_tensor (g, name, 2, dims, data);
  g_free (name);
  return nid;
}

/* The only node reading @t after @after, or -1. */
static gint
only_reader (const OmniNnGraph *g, guint t, guint after)
{
  guint i;

  if (readers (g, t) != 1 || is_graph_output (g, t))
    return -1;
  for (i = after + 1; i < g->nodes->len; i++)
    if (omni_nn_graph_node (g, i)->inputs[0] == t)
      return i;
  return -1;
}

static void
widen_last_axis (OmniNnGraph *g, guint t, guint c)
{
  OmniNnTensor *x = omni_nn_graph_tensor (g, t);

  x->n_elements = x->n_elements / x->dims[x->n_dims - 1] * c;
  x->dims[x->n_dims - 1] = c;
}

/* Pads pointwise (n) -> depthwise (n) -> pointwise (k = n) with zero
 * channels up to a multiple of 4, so that the three run on the vec4
 * kernels; the extra channels hold exact zeros (zero weights, zero bias,
 * ReLU(0) = 0) and add nothing to the last sums. */
static gboolean
pad_chain (OmniNnGraph *g, guint i)
{
  OmniNnNode *p1 = omni_nn_graph_node (g, i), *d, *p2;
  guint n = p1->params.gemm.n, n4 = (n + 3) / 4 * 4, k = p1->params.gemm.k;
  gint j, l;
  guint taps, n2, id;

  j = only_reader (g, p1->output, i);
  d = j >= 0 ? omni_nn_graph_node (g, j) : NULL;
  if (!d || d->op != OMNI_NN_OP_DEPTHWISE_CONV2D
      || d->params.depthwise.depth_multiplier != 1
      || d->params.depthwise.in_c != n)
    return FALSE;
  l = only_reader (g, d->output, j);
  p2 = l >= 0 ? omni_nn_graph_node (g, l) : NULL;
  if (!p2 || p2->op != OMNI_NN_OP_POINTWISE_CONV2D || p2->params.gemm.k != n)
    return FALSE;
  taps = d->params.depthwise.kernel_h * d->params.depthwise.kernel_w;
  n2 = p2->params.gemm.n;
  /* new constants first: adding tensors moves the nodes' storage */
  id = padded_const (g, p1->weights, k, n, k, n4);
  omni_nn_graph_node (g, i)->weights = id;
  if (omni_nn_graph_node (g, i)->bias != OMNI_NN_NO_TENSOR) {
    id = padded_const (g, omni_nn_graph_node (g, i)->bias, 1, n, 1, n4);
    omni_nn_graph_node (g, i)->bias = id;
  }
  id = padded_const (g, omni_nn_graph_node (g, j)->weights, taps, n, taps, n4);
  omni_nn_graph_node (g, j)->weights = id;
  if (omni_nn_graph_node (g, j)->bias != OMNI_NN_NO_TENSOR) {
    id = padded_const (g, omni_nn_graph_node (g, j)->bias, 1, n, 1, n4);
    omni_nn_graph_node (g, j)->bias = id;
  }
  id = padded_const (g, omni_nn_graph_node (g, l)->weights, n, n2, n4, n2);
  omni_nn_graph_node (g, l)->weights = id;
  p1 = omni_nn_graph_node (g, i);
  d = omni_nn_graph_node (g, j);
  p2 = omni_nn_graph_node (g, l);
  p1->params.gemm.n = n4;
  d->params.depthwise.in_c = d->params.depthwise.out_c = n4;
  p2->params.gemm.k = n4;
  widen_last_axis (g, p1->output, n4);
  widen_last_axis (g, d->output, n4);
  return TRUE;
}

guint
omni_nn_graph_pad_channels (OmniNnGraph *graph)
{
  guint i, padded = 0;

  for (i = 0; i < graph->nodes->len; i++) {
    const OmniNnNode *n = omni_nn_graph_node (graph, i);

    if (n->op == OMNI_NN_OP_POINTWISE_CONV2D && n->params.gemm.n % 4
        && n->params.gemm.k % 4 == 0
        && omni_nn_graph_tensor (graph, n->output)->n_dims == 3)
      padded += pad_chain (graph, i);
  }
  return padded;
}

/* @t is written by a binary-const node of @kind with a scalar constant that
 * only @reader reads; returns that node's index (its input in @x, the
 * constant in @c), or -1. */
static gint
scalar_const_producer (const OmniNnGraph *g, guint t, guint reader,
    OmniNnBinaryKind kind, guint *x, gfloat *c)
{
  gint pi = producer (g, t, reader);
  const OmniNnNode *p;
  const OmniNnTensor *w;

  if (!can_merge (g, pi, reader))
    return -1;
  p = omni_nn_graph_node (g, pi);
  if (p->op != OMNI_NN_OP_BINARY_CONST || p->params.binary.kind != kind)
    return -1;
  w = omni_nn_graph_tensor (g, p->weights);
  if (w->n_elements != 1)
    return -1;
  *x = p->inputs[0];
  *c = w->data[0];
  return omni_nn_graph_tensor (g, *x)->n_elements
                 == omni_nn_graph_tensor (g, p->output)->n_elements
             ? pi
             : -1;
}

/* Whether Mul's operands @a, @b are (x * c) and relu6 (x + 3): @scale. */
static gboolean
is_hard_swish (
    const OmniNnGraph *g, guint i, guint a, guint b, guint *x, gfloat *scale)
{
  guint x1, x2;
  gfloat three;
  gint ri = producer (g, b, i);
  const OmniNnNode *r;

  if (scalar_const_producer (g, a, i, OMNI_NN_BINARY_MUL, &x1, scale) < 0
      || !can_merge (g, ri, i))
    return FALSE;
  r = omni_nn_graph_node (g, ri);
  if (r->op != OMNI_NN_OP_ACTIVATION
      || r->params.eltwise.activation != OMNI_NN_ACT_RELU6
      || scalar_const_producer (
             g, r->inputs[0], ri, OMNI_NN_BINARY_ADD, &x2, &three)
             < 0
      || three != 3.0f || x1 != x2)
    return FALSE;
  *x = x1;
  return TRUE;
}

guint
omni_nn_graph_fuse_hard_swish (OmniNnGraph *graph)
{
  guint i, fused = 0;

  for (i = 0; i < graph->nodes->len; i++) {
    OmniNnNode *n = omni_nn_graph_node (graph, i);
    const OmniNnBinaryParams *bp = &n->params.binary;
    guint x, k;
    gfloat scale;
    gboolean full = n->op == OMNI_NN_OP_BINARY && bp->kind == OMNI_NN_BINARY_MUL
                    && !bp->swap;

    for (k = 0; full && k < bp->n_dims; k++)
      full = bp->a_dims[k] == bp->dims[k] && bp->b_dims[k] == bp->dims[k];
    if (!full)
      continue;
    if (!is_hard_swish (graph, i, n->inputs[0], n->inputs[1], &x, &scale)
        && !is_hard_swish (graph, i, n->inputs[1], n->inputs[0], &x, &scale))
      continue;
    n = omni_nn_graph_node (graph, i);
    n->op = OMNI_NN_OP_HARD_SWISH;
    memset (&n->params, 0, sizeof (n->params));
    n->params.hard_swish.n
        = omni_nn_graph_tensor (graph, n->output)->n_elements;
    n->params.hard_swish.scale = scale;
    n->n_inputs = 1;
    n->inputs[0] = x;
    fused++;
    /* the three producers are now dead: remove_dead_nodes() drops them */
  }
  return fused;
}

/* Whether @t is clip (x + 3, 0, 6) (or relu6 (x + 3)) read only by
 * @reader, x being @x. */
static gboolean
is_relu6_plus_3 (const OmniNnGraph *g, guint t, guint reader, guint x)
{
  gint ci = producer (g, t, reader);
  const OmniNnNode *c;
  guint x2;
  gfloat three;

  if (!can_merge (g, ci, reader))
    return FALSE;
  c = omni_nn_graph_node (g, ci);
  if (!(c->op == OMNI_NN_OP_UNARY && c->params.unary.kind == OMNI_NN_UNARY_CLIP
          && c->params.unary.alpha == 0.0f && c->params.unary.beta == 6.0f)
      && !(c->op == OMNI_NN_OP_ACTIVATION
           && c->params.eltwise.activation == OMNI_NN_ACT_RELU6))
    return FALSE;
  return scalar_const_producer (
             g, c->inputs[0], ci, OMNI_NN_BINARY_ADD, &x2, &three)
             >= 0
         && three == 3.0f && x2 == x;
}

/* ONNX exports (Paddle2ONNX; PyTorch before opset 14) spell hard-swish
 * Div (Mul (x, Clip (Add (x, 3), 0, 6)), 6): whether node @i is that Div
 * (or a Mul by the scale); @x and @scale (1/6) of the hard-swish. */
static gboolean
is_onnx_hard_swish (const OmniNnGraph *g, guint i, guint *x, gfloat *scale)
{
  const OmniNnNode *n = omni_nn_graph_node (g, i), *m;
  const OmniNnBinaryParams *mp;
  const OmniNnTensor *w;
  gint mi;
  guint k;
  gboolean full;

  if (n->op != OMNI_NN_OP_BINARY_CONST || n->params.binary.swap
      || (n->params.binary.kind != OMNI_NN_BINARY_DIV
          && n->params.binary.kind != OMNI_NN_BINARY_MUL))
    return FALSE;
  w = omni_nn_graph_tensor (g, n->weights);
  if (w->n_elements != 1 || !w->data || w->data[0] == 0.0f)
    return FALSE;
  *scale = n->params.binary.kind == OMNI_NN_BINARY_DIV ? 1.0f / w->data[0]
                                                       : w->data[0];
  mi = producer (g, n->inputs[0], i);
  if (!can_merge (g, mi, i))
    return FALSE;
  m = omni_nn_graph_node (g, mi);
  mp = &m->params.binary;
  full = m->op == OMNI_NN_OP_BINARY && mp->kind == OMNI_NN_BINARY_MUL;
  for (k = 0; full && k < mp->n_dims; k++)
    full = mp->a_dims[k] == mp->dims[k] && mp->b_dims[k] == mp->dims[k];
  if (!full
      || omni_nn_graph_tensor (g, n->output)->n_elements
             != omni_nn_graph_tensor (g, m->output)->n_elements)
    return FALSE;
  for (k = 0; k < 2; k++)
    if (is_relu6_plus_3 (g, m->inputs[1 - k], mi, m->inputs[k])) {
      *x = m->inputs[k];
      return TRUE;
    }
  return FALSE;
}

guint
omni_nn_graph_fuse_onnx_hard_swish (OmniNnGraph *graph)
{
  guint i, x, fused = 0;
  gfloat scale;

  for (i = 0; i < graph->nodes->len; i++) {
    OmniNnNode *n;

    if (!is_onnx_hard_swish (graph, i, &x, &scale))
      continue;
    n = omni_nn_graph_node (graph, i);
    n->op = OMNI_NN_OP_HARD_SWISH;
    memset (&n->params, 0, sizeof (n->params));
    n->params.hard_swish.n
        = omni_nn_graph_tensor (graph, n->output)->n_elements;
    n->params.hard_swish.scale = scale;
    n->n_inputs = 1;
    n->inputs[0] = x;
    n->weights = OMNI_NN_NO_TENSOR;
    fused++;
    /* the Mul, Clip and Add are now dead: remove_dead_nodes() drops them */
  }
  return fused;
}

gboolean
omni_nn_graph_optimize (OmniNnGraph *graph, GError **error)
{
  g_return_val_if_fail (graph != NULL, FALSE);

  if (!omni_nn_graph_validate (graph, error))
    return FALSE;
  omni_nn_graph_fold_batch_norm (graph);
  fold_bias_adds (graph);
  omni_nn_graph_fuse_hard_swish (graph);
  omni_nn_graph_fuse_onnx_hard_swish (graph);
  remove_dead_nodes (graph);
  omni_nn_graph_fuse_activations (graph);
  remove_dead_nodes (graph);
  omni_nn_graph_pad_channels (graph);
  release_unused_constants (graph);
  return omni_nn_graph_validate (graph, error);
}

guint64
omni_nn_graph_count_macs (const OmniNnGraph *graph)
{
  guint64 macs = 0;
  guint i;

  for (i = 0; i < graph->nodes->len; i++) {
    const OmniNnNode *n = omni_nn_graph_node (graph, i);
    const OmniNnOpInfo *info = omni_nn_op_info (n->op);

    if (info && info->count_macs)
      macs += info->count_macs (&n->params);
  }
  return macs;
}

/**
 * omni_nn_graph_check_input:
 * @graph: a graph
 * @input: one inference's input
 * @error: return location for a #GError
 *
 * Checks that @input fits @graph: a frame whose parameters produce the
 * graph's input size and that holds enough bytes for its layout, or a float
 * tensor. Every backend calls this before it runs.
 *
 * Returns: %TRUE when @input can be run, else %FALSE with @error set
 */
gboolean
omni_nn_graph_check_input (
    const OmniNnGraph *graph, const OmniNnInput *input, GError **error)
{
  const OmniNnPreprocessParams *fp = input->frame_params;

  if (fp) {
    if (fp->out_w != graph->input_w || fp->out_h != graph->input_h
        || graph->input_c != 3 || fp->in_w == 0 || fp->in_h == 0
        || (guint) fp->layout >= OMNI_NN_PIXEL_N_LAYOUTS) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_INPUT,
          "frame parameters (%ux%u -> %ux%u) do not fit the model input "
          "%ux%ux%u",
          fp->in_w, fp->in_h, fp->out_w, fp->out_h, graph->input_w,
          graph->input_h, graph->input_c);
      return FALSE;
    }
    if (!input->frame
        || input->frame_size < omni_nn_preprocess_frame_size (fp)) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_INPUT,
          "frame of %" G_GSIZE_FORMAT " bytes is smaller than its layout "
          "needs (%" G_GSIZE_FORMAT ")",
          input->frame_size, omni_nn_preprocess_frame_size (fp));
      return FALSE;
    }
  } else if (!input->tensor) {
    g_set_error (
        error, OMNI_NN_ERROR, OMNI_NN_ERROR_INPUT, "no input frame or tensor");
    return FALSE;
  }
  return TRUE;
}
