/* gst-omni: Vulkan backend of the model runtime
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omninnvulkan
 * @title: Vulkan backend
 * @short_description: runs an #OmniNnGraph as Vulkan compute shaders
 *
 * Each operator of the graph IR has a GLSL compute shader in `shaders/`
 * (`nn_*.comp`) that reproduces its plain-C reference (omninnops.h) within
 * 1e-4 relative: NHWC float32 like TensorFlow.js, shapes, activation and
 * workgroup size as specialization constants, so the driver compiles each
 * layer's loops with constant bounds.
 *
 * | op | shader | invocation |
 * |---|---|---|
 * | pre-processing | nn_preprocess | one output pixel: 4 taps, YUV→RGB, bilinear, normalise |
 * | conv2d | nn_conv2d | one output pixel × 4 output channels |
 * | depthwise conv2d, batch norm | nn_depthwise | one output pixel × channel |
 * | pointwise conv2d, dense (many rows) | nn_gemm | a 4×4 block of a shared-memory tile |
 * | dense (few rows) | nn_dense | one output feature |
 * | pad, add, activation | nn_pad, nn_add, nn_activation | one element |
 * | global average pool | nn_avgpool | one channel |
 * | softmax | nn_softmax | one workgroup per row, shared-memory reductions |
 *
 * Workgroup sizes come from the device (omni_vk_device_get_local_size()),
 * never from an assumed subgroup of 32.
 *
 * #OmniNnVulkan executes a whole graph: it uploads the weights once at
 * load, allocates the activation buffers once (tensors whose lifetimes do
 * not overlap share a buffer, as in the CPU backend), builds one kernel per
 * node (identical pipelines are shared), and records each inference in ONE
 * command buffer: pre-processing (or the copy of a float input tensor), every
 * node with the barriers its inputs need, and the copies of the outputs to
 * host-readable buffers. The recording is made once and submitted for every
 * frame; it is only re-recorded when the frame layout changes.
 *
 * There are two inference slots, each with its own upload buffer, output
 * buffers and command buffer: omni_nn_vulkan_submit() copies frame N+1 into
 * one slot and queues it while the device still computes frame N from the
 * other; omni_nn_vulkan_collect() waits for the oldest and returns its
 * outputs. The frame is read by the pre-processing shader straight from
 * host-visible memory (on a discrete GPU only the 4 taps per output pixel
 * cross the bus, not the whole frame).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "omninnvulkan.h"
#include "omninnvkop.h"
#include <omni/nn/omninnop.h>

GST_DEBUG_CATEGORY_STATIC (omni_nn_vulkan_debug);
#define GST_CAT_DEFAULT omni_nn_vulkan_debug

static void
debug_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (omni_nn_vulkan_debug, "omninnvulkan", 0,
        "gst-omni Vulkan model backend");
    g_once_init_leave (&done, 1);
  }
}

/* Shapes of the register-blocked vec4 GEMM, the one kernel with a
 * residual epilogue (ops/omninnvk-gemm.c). */
static gboolean
gemm_is_v4 (const OmniNnGemmParams *p)
{
  return p->k % 4 == 0 && p->n % 4 == 0;
}

/* ---- graph executor ----------------------------------------------------- */

typedef struct {
  OmniVkCommand *cmd;
  OmniVkBuffer *upload;    /* frame bytes or the float input tensor */
  OmniVkBuffer **download; /* one per graph output */
  OmniNnVkKernel *pre;     /* pre-processing of this slot's upload */
  OmniVkDescriptorPool *pre_pool;
  gboolean recorded;
  gboolean recorded_frame; /* recorded for a frame (or a tensor) input */
} Slot;

struct _OmniNnVulkan {
  const OmniNnGraph *graph;
  OmniVkDevice *device;
  GHashTable *pipelines;    /* key -> OmniVkPipeline, shared by kernels */
  OmniVkBuffer **weights;   /* by tensor id: constant tensors in use */
  OmniVkBuffer **acts;      /* by tensor id: activations (shared) */
  OmniNnVkKernel **kernels; /* by node; NULL for a folded pad */
  guint (*inputs)[OMNI_NN_MAX_INPUTS]; /* by node: inputs after folding */
  guint *outputs;  /* by node: the tensor written, after folding */
  guint *residual; /* by node: tensor added in the epilogue, or none */
  guint *scale;    /* by node: input channel scale, or none */
  guint *resized;  /* by node: the resize node folded into this
                           * concat's input resized_side, or G_MAXUINT */
  guint *resized_side;
  OmniNnOpParams *params; /* by node: parameters after folding */
  gboolean *skip;         /* by node: folded into its readers */
  OmniVkDescriptorPool *pool;
  Slot slots[OMNI_NN_VULKAN_MAX_IN_FLIGHT];
  guint head; /* oldest in-flight slot */
  guint n_in_flight;
  gsize weight_bytes;
  gsize act_bytes;
  gchar *device_name;
};

static void
slot_clear (Slot *s, guint n_outputs)
{
  guint i;

  if (s->cmd) {
    /* Waits for pending work before freeing. */
    omni_vk_command_unref (s->cmd);
    s->cmd = NULL;
  }
  if (s->upload)
    omni_vk_buffer_unref (s->upload);
  s->upload = NULL;
  if (s->download) {
    for (i = 0; i < n_outputs; i++)
      if (s->download[i])
        omni_vk_buffer_unref (s->download[i]);
    g_free (s->download);
    s->download = NULL;
  }
  omni_nn_vk_kernel_free (s->pre);
  s->pre = NULL;
  if (s->pre_pool)
    omni_vk_descriptor_pool_unref (s->pre_pool);
  s->pre_pool = NULL;
}

/**
 * omni_nn_vulkan_free:
 * @self: (transfer full) (nullable): a prepared graph
 *
 * Waits for work in flight, then frees everything on the device.
 */
void
omni_nn_vulkan_free (OmniNnVulkan *self)
{
  guint i, n_tensors, n_outputs;

  if (!self)
    return;
  n_tensors = self->graph->tensors->len;
  n_outputs = self->graph->outputs->len;
  for (i = 0; i < OMNI_NN_VULKAN_MAX_IN_FLIGHT; i++)
    slot_clear (&self->slots[i], n_outputs);
  if (self->kernels)
    for (i = 0; i < self->graph->nodes->len; i++)
      omni_nn_vk_kernel_free (self->kernels[i]);
  g_free (self->kernels);
  g_free (self->inputs);
  g_free (self->outputs);
  g_free (self->residual);
  g_free (self->scale);
  g_free (self->resized);
  g_free (self->resized_side);
  g_free (self->params);
  g_free (self->skip);
  for (i = 0; i < n_tensors; i++) {
    if (self->weights && self->weights[i])
      omni_vk_buffer_unref (self->weights[i]);
    if (self->acts && self->acts[i])
      omni_vk_buffer_unref (self->acts[i]);
  }
  g_free (self->weights);
  g_free (self->acts);
  if (self->pool)
    omni_vk_descriptor_pool_unref (self->pool);
  if (self->pipelines)
    g_hash_table_unref (self->pipelines);
  g_free (self->device_name);
  if (self->device)
    gst_object_unref (self->device);
  g_free (self);
}

static gboolean
nn_error_from_vk (GError **error, GError *vk_error, OmniNnError code)
{
  if (vk_error) {
    g_set_error (error, OMNI_NN_ERROR, code, "%s", vk_error->message);
    g_error_free (vk_error);
  }
  return FALSE;
}

static OmniVkBuffer *
upload_weights (OmniNnVulkan *self, guint id, GError **error)
{
  const OmniNnTensor *t = omni_nn_graph_tensor (self->graph, id);
  OmniVkBuffer *buf;

  if (self->weights[id])
    return self->weights[id];
  if (!t->data || t->n_elements == 0) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_WEIGHTS,
        "tensor '%s' has no values", t->name ? t->name : "?");
    return NULL;
  }
  buf = omni_vk_buffer_new (self->device, t->n_elements * sizeof (gfloat),
      OMNI_VK_MEMORY_DEVICE, error);
  if (!buf)
    return NULL;
  if (!omni_vk_buffer_write (
          buf, 0, t->data, t->n_elements * sizeof (gfloat), error)) {
    omni_vk_buffer_unref (buf);
    return NULL;
  }
  self->weight_bytes += t->n_elements * sizeof (gfloat);
  self->weights[id] = buf;
  return buf;
}

/* The free buffer that best fits @need floats: the smallest that holds
 * them, else the largest (grown). Returns its index in @free_list, or
 * G_MAXUINT when none is free. */
static guint
best_free (GArray *sizes, GArray *free_list, gsize need)
{
  guint best = G_MAXUINT, k;
  gsize best_have = 0;

  for (k = 0; k < free_list->len; k++) {
    gsize have
        = g_array_index (sizes, gsize, g_array_index (free_list, guint, k));

    if (best == G_MAXUINT
        || (have >= need && (best_have < need || have < best_have))
        || (best_have < need && have > best_have)) {
      best = k;
      best_have = have;
    }
  }
  return best;
}

/* Gives @tensor a buffer: the best free one, or a new one. */
static void
acquire (const OmniNnGraph *g, guint tensor, GArray *sizes, GArray *free_list,
    guint *slot)
{
  gsize need = omni_nn_graph_tensor (g, tensor)->n_elements;
  guint best = best_free (sizes, free_list, need);

  if (best != G_MAXUINT) {
    guint b = g_array_index (free_list, guint, best);

    g_array_remove_index_fast (free_list, best);
    if (g_array_index (sizes, gsize, b) < need)
      g_array_index (sizes, gsize, b) = need;
    slot[tensor] = b;
  } else {
    g_array_append_val (sizes, need);
    slot[tensor] = sizes->len - 1;
  }
}

/* The last node that reads each tensor. */
static guint *
last_uses (OmniNnVulkan *self)
{
  const OmniNnGraph *g = self->graph;
  guint *last_use = g_new0 (guint, g->tensors->len), i, j;

  for (i = 0; i < g->nodes->len; i++) {
    if (self->skip[i])
      continue;
    for (j = 0; j < omni_nn_graph_node (g, i)->n_inputs; j++)
      last_use[self->inputs[i][j]] = i;
    if (self->residual[i] != OMNI_NN_NO_TENSOR)
      last_use[self->residual[i]] = i;
    if (self->scale[i] != OMNI_NN_NO_TENSOR)
      last_use[self->scale[i]] = i;
  }
  return last_use;
}

/* Gives back the buffers of node @i's inputs that no later node reads
 * (each once, though a node may read a tensor twice). */
static void
release_inputs (OmniNnVulkan *self, guint i, const guint *last_use,
    const gboolean *pinned, const guint *slot, GArray *free_list)
{
  const OmniNnNode *n = omni_nn_graph_node (self->graph, i);
  guint j, t;

  for (j = 0; j < n->n_inputs; j++) {
    t = self->inputs[i][j];
    if (last_use[t] == i && !pinned[t] && slot[t] != G_MAXUINT
        && (j == 0 || self->inputs[i][0] != t))
      g_array_append_val (free_list, slot[t]);
  }
  t = self->residual[i];
  if (t != OMNI_NN_NO_TENSOR && last_use[t] == i && !pinned[t]
      && slot[t] != G_MAXUINT && self->inputs[i][0] != t)
    g_array_append_val (free_list, slot[t]);
  t = self->scale[i];
  if (t != OMNI_NN_NO_TENSOR && last_use[t] == i && !pinned[t]
      && slot[t] != G_MAXUINT && self->inputs[i][0] != t
      && self->residual[i] != t)
    g_array_append_val (free_list, slot[t]);
}

/* One device buffer per slot; each tensor refs its slot's. */
static gboolean
create_activations (
    OmniNnVulkan *self, GArray *sizes, const guint *slot, GError **error)
{
  OmniVkBuffer **bufs = g_new0 (OmniVkBuffer *, sizes->len);
  gboolean ok = TRUE;
  guint i;

  for (i = 0; i < sizes->len && ok; i++) {
    gsize bytes = g_array_index (sizes, gsize, i) * sizeof (gfloat);

    bufs[i] = omni_vk_buffer_new (
        self->device, bytes, OMNI_VK_MEMORY_DEVICE, error);
    ok = bufs[i] != NULL;
    self->act_bytes += bytes;
  }
  if (ok)
    for (i = 0; i < self->graph->tensors->len; i++)
      if (slot[i] != G_MAXUINT)
        self->acts[i] = omni_vk_buffer_ref (bufs[slot[i]]);
  for (i = 0; i < sizes->len; i++)
    if (bufs[i])
      omni_vk_buffer_unref (bufs[i]);
  g_free (bufs);
  return ok;
}

/* Activation buffers: like the CPU backend, a tensor takes the smallest
 * free buffer that fits (growing the largest free one otherwise) and gives
 * it back after its last reader; graph outputs are never given back. */
static gboolean
allocate_activations (OmniNnVulkan *self, GError **error)
{
  const OmniNnGraph *g = self->graph;
  guint n_tensors = g->tensors->len, i;
  guint *last_use = last_uses (self);
  gboolean *pinned = g_new0 (gboolean, n_tensors);
  guint *slot = g_new (guint, n_tensors);
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
  GArray *free_list = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean ok;

  for (i = 0; i < n_tensors; i++)
    slot[i] = G_MAXUINT;
  for (i = 0; i < g->outputs->len; i++)
    pinned[omni_nn_graph_output (g, i)->tensor] = TRUE;
  acquire (g, g->input, sizes, free_list, slot);
  for (i = 0; i < g->nodes->len; i++) {
    if (self->skip[i])
      continue;
    acquire (g, self->outputs[i], sizes, free_list, slot);
    release_inputs (self, i, last_use, pinned, slot, free_list);
  }
  ok = create_activations (self, sizes, slot, error);
  GST_DEBUG ("%u activation buffers for %u tensors, %" G_GSIZE_FORMAT " bytes",
      sizes->len, n_tensors, self->act_bytes);
  g_free (last_use);
  g_free (pinned);
  g_free (slot);
  g_array_unref (sizes);
  g_array_unref (free_list);
  return ok;
}

/* A zero padding read only by convolutions (Keras's ZeroPadding2D before
 * a stride-2 'valid' depthwise convolution in MobileNetV2) is folded into
 * them: they read the unpadded tensor with a larger pad_top/pad_left, and
 * their taps outside it read 0 as the padding did. Saves a pass over the
 * tensor and its buffer. */
static void
fold_pads (OmniNnVulkan *self)
{
  const OmniNnGraph *g = self->graph;
  guint i, j, k;

  for (i = 0; i < g->nodes->len; i++) {
    const OmniNnNode *n = omni_nn_graph_node (g, i);

    self->params[i] = n->params;
    for (j = 0; j < OMNI_NN_MAX_INPUTS; j++)
      self->inputs[i][j] = n->inputs[j];
    self->outputs[i] = n->output;
    self->residual[i] = OMNI_NN_NO_TENSOR;
    self->scale[i] = OMNI_NN_NO_TENSOR;
    self->resized[i] = G_MAXUINT;
  }
  for (i = 0; i < g->nodes->len; i++) {
    const OmniNnNode *pad = omni_nn_graph_node (g, i);
    const OmniNnPadParams *pp = &pad->params.pad;
    gboolean foldable
        = pad->op == OMNI_NN_OP_PAD && pp->pad_front == 0 && pp->pad_back == 0,
        read = FALSE;

    for (k = 0; foldable && k < g->outputs->len; k++)
      if (omni_nn_graph_output (g, k)->tensor == pad->output)
        foldable = FALSE;
    for (j = i + 1; foldable && j < g->nodes->len; j++) {
      const OmniNnNode *n = omni_nn_graph_node (g, j);

      for (k = 0; k < n->n_inputs; k++) {
        if (n->inputs[k] != pad->output)
          continue;
        read = TRUE;
        if (n->op != OMNI_NN_OP_CONV2D && n->op != OMNI_NN_OP_DEPTHWISE_CONV2D)
          foldable = FALSE;
      }
    }
    if (!foldable || !read)
      continue;
    for (j = i + 1; j < g->nodes->len; j++) {
      const OmniNnNode *n = omni_nn_graph_node (g, j);

      if (n->inputs[0] != pad->output)
        continue;
      self->inputs[j][0] = self->inputs[i][0];
      if (n->op == OMNI_NN_OP_CONV2D) {
        self->params[j].conv2d.in_h = pp->in_h;
        self->params[j].conv2d.in_w = pp->in_w;
        self->params[j].conv2d.pad_top += pp->pad_top;
        self->params[j].conv2d.pad_left += pp->pad_left;
      } else {
        self->params[j].depthwise.in_h = pp->in_h;
        self->params[j].depthwise.in_w = pp->in_w;
        self->params[j].depthwise.pad_top += pp->pad_top;
        self->params[j].depthwise.pad_left += pp->pad_left;
      }
    }
    self->skip[i] = TRUE;
    GST_DEBUG ("folded pad '%s' into its readers", pad->name);
  }
}

/* An Add of a pointwise convolution's output and an earlier tensor (the
 * residual connection of MobileNetV2's inverted bottleneck blocks; He et
 * al. 2016, Sandler et al. 2018) becomes the convolution's epilogue: it
 * writes the Add's output, adding the other operand before the Add's
 * activation. One dispatch and one pass over the tensor less per block.
 * Only when the convolution has no activation of its own, its output has
 * no other reader and is no graph output, and the GEMM takes a residual. */
static void
fold_residual_adds (OmniNnVulkan *self)
{
  const OmniNnGraph *g = self->graph;
  guint i, j, k, s;

  for (i = 0; i < g->nodes->len; i++) {
    const OmniNnNode *add = omni_nn_graph_node (g, i);

    if (add->op != OMNI_NN_OP_ADD || self->skip[i])
      continue;
    for (s = 0; s < 2; s++) {
      guint t = self->inputs[i][s], other = self->inputs[i][1 - s];
      gint producer = -1;
      gboolean ok = t != other;

      for (j = 0; j < i && ok; j++)
        if (!self->skip[j] && self->outputs[j] == t)
          producer = j;
      if (producer < 0)
        continue;
      {
        const OmniNnNode *pn = omni_nn_graph_node (g, producer);
        const OmniNnGemmParams *gp = &self->params[producer].gemm;

        ok = pn->op == OMNI_NN_OP_POINTWISE_CONV2D && gemm_is_v4 (gp)
             && gp->activation == OMNI_NN_ACT_NONE
             && self->residual[producer] == OMNI_NN_NO_TENSOR;
      }
      for (k = 0; ok && k < g->outputs->len; k++)
        if (omni_nn_graph_output (g, k)->tensor == t)
          ok = FALSE;
      /* The other operand must be ready when the convolution runs. */
      for (j = producer; ok && j < i; j++)
        if (!self->skip[j] && self->outputs[j] == other)
          ok = FALSE;
      for (j = producer + 1; ok && j < g->nodes->len; j++) {
        const OmniNnNode *n = omni_nn_graph_node (g, j);

        if (j == i || self->skip[j])
          continue;
        for (k = 0; k < n->n_inputs; k++)
          if (self->inputs[j][k] == t)
            ok = FALSE;
        if (self->residual[j] == t)
          ok = FALSE;
      }
      if (!ok)
        continue;
      self->outputs[producer] = self->outputs[i];
      self->residual[producer] = other;
      self->params[producer].gemm.activation
          = self->params[i].eltwise.activation;
      self->skip[i] = TRUE;
      GST_DEBUG ("folded add '%s' into '%s'", add->name,
          omni_nn_graph_node (g, producer)->name);
      break;
    }
  }
}

/* Whether node @i's output is read by node @j only (as its first input),
 * by no other node and is no graph output. */
static gboolean
read_only_by (OmniNnVulkan *self, guint i, guint j)
{
  const OmniNnGraph *g = self->graph;
  guint t = self->outputs[i], n, k;

  for (k = 0; k < g->outputs->len; k++)
    if (omni_nn_graph_output (g, k)->tensor == t)
      return FALSE;
  for (n = i + 1; n < g->nodes->len; n++) {
    if (self->skip[n])
      continue;
    for (k = 0; k < omni_nn_graph_node (g, n)->n_inputs; k++)
      if (self->inputs[n][k] == t && (n != j || k != 0))
        return FALSE;
    if (self->residual[n] == t || self->scale[n] == t)
      return FALSE;
  }
  return self->inputs[j][0] == t;
}

/* A squeeze-and-excite block's broadcast multiply x [h, w, c] * s [c]
 * (Hu et al. 2018, MobileNetV3) read only by a pointwise convolution
 * becomes that convolution's input scale: it reads x and scales each
 * channel by s as it loads it. One pass over the feature map less per
 * block. */
static void
fold_channel_scales (OmniNnVulkan *self)
{
  const OmniNnGraph *g = self->graph;
  guint i, j, k;

  for (i = 0; i < g->nodes->len; i++) {
    const OmniNnNode *mul = omni_nn_graph_node (g, i);
    const OmniNnBinaryParams *bp = &self->params[i].binary;
    guint full = 2, c, nd = bp->n_dims;
    gint reader = -1;

    if (mul->op != OMNI_NN_OP_BINARY || bp->kind != OMNI_NN_BINARY_MUL
        || self->skip[i] || nd < 2)
      continue;
    c = bp->dims[nd - 1];
    for (k = 0; k < 2; k++) {
      const guint *d = k == 0 ? bp->a_dims : bp->b_dims;
      const guint *o = k == 0 ? bp->b_dims : bp->a_dims;
      gboolean is_full = TRUE, other_vec = o[nd - 1] == c;
      guint x;

      for (x = 0; x < nd; x++) {
        is_full &= d[x] == bp->dims[x];
        if (x + 1 < nd)
          other_vec &= o[x] == 1;
      }
      if (is_full && other_vec)
        full = k;
    }
    if (full == 2)
      continue;
    for (j = i + 1; j < g->nodes->len && reader < 0; j++)
      if (!self->skip[j] && self->inputs[j][0] == self->outputs[i])
        reader = (gint) j;
    if (reader < 0
        || omni_nn_graph_node (g, reader)->op != OMNI_NN_OP_POINTWISE_CONV2D
        || !gemm_is_v4 (&self->params[reader].gemm)
        || self->params[reader].gemm.k != c
        || !read_only_by (self, i, (guint) reader))
      continue;
    self->inputs[reader][0] = self->inputs[i][full];
    self->scale[reader] = self->inputs[i][1 - full];
    self->skip[i] = TRUE;
    GST_DEBUG ("folded multiply '%s' into '%s'", mul->name,
        omni_nn_graph_node (g, reader)->name);
  }
}

/* Whether node @i's output is read by node @j's input @side only, and is
 * not a graph output. */
static gboolean
read_only_by_input (OmniNnVulkan *self, guint i, guint j, guint side)
{
  const OmniNnGraph *g = self->graph;
  guint t = self->outputs[i], n, k;

  for (k = 0; k < g->outputs->len; k++)
    if (omni_nn_graph_output (g, k)->tensor == t)
      return FALSE;
  for (n = i + 1; n < g->nodes->len; n++) {
    if (self->skip[n])
      continue;
    for (k = 0; k < omni_nn_graph_node (g, n)->n_inputs; k++)
      if (self->inputs[n][k] == t && (n != j || k != side))
        return FALSE;
    if (self->residual[n] == t || self->scale[n] == t)
      return FALSE;
  }
  return self->inputs[j][side] == t;
}

/* A resize whose output only a concatenation reads (the upsample-then-
 * concatenate of CenterNet's FPN head) is read by the concatenation
 * through its taps (nn_concat_v4_*_resize_*): one pass over the upsampled
 * map less, and its writes, which bound such kernels on lavapipe. */
static void
fold_resize_concats (OmniNnVulkan *self)
{
  const OmniNnGraph *g = self->graph;
  guint i, j, side;

  for (i = 0; i < g->nodes->len; i++) {
    const OmniNnResizeParams *r = &self->params[i].resize;
    const OmniNnConcatParams *c;
    gint reader = -1;

    if (omni_nn_graph_node (g, i)->op != OMNI_NN_OP_RESIZE || self->skip[i]
        || r->c % 4)
      continue;
    for (j = i + 1; j < g->nodes->len && reader < 0; j++)
      for (side = 0;
           !self->skip[j] && side < omni_nn_graph_node (g, j)->n_inputs; side++)
        if (self->inputs[j][side] == self->outputs[i])
          reader = (gint) j;
    if (reader < 0 || omni_nn_graph_node (g, reader)->op != OMNI_NN_OP_CONCAT
        || self->resized[reader] != G_MAXUINT)
      continue;
    c = &self->params[reader].concat;
    side = self->inputs[reader][0] == self->outputs[i] ? 0 : 1;
    if (c->a % 4 || c->b % 4 || (side ? c->b : c->a) != r->c
        || (guint64) r->out_h * r->out_w != c->outer
        || !read_only_by_input (self, i, (guint) reader, side))
      continue;
    self->inputs[reader][side] = self->inputs[i][0];
    self->resized[reader] = i;
    self->resized_side[reader] = side;
    self->skip[i] = TRUE;
    GST_DEBUG ("folded resize '%s' into '%s'", omni_nn_graph_node (g, i)->name,
        omni_nn_graph_node (g, reader)->name);
  }
}

static gboolean
build_node (OmniNnVulkan *self, guint index, GError **error)
{
  const OmniNnNode *n = omni_nn_graph_node (self->graph, index);
  gboolean has_bias = n->bias != OMNI_NN_NO_TENSOR;
  gboolean residual = self->residual[index] != OMNI_NN_NO_TENSOR;
  gboolean scale = self->scale[index] != OMNI_NN_NO_TENSOR;
  OmniNnVkKernel *k;

  if (self->skip[index])
    return TRUE;
  if (self->resized[index] != G_MAXUINT)
    k = omni_nn_vk_kernel_build_concat_resized (self->device,
        &self->params[index].concat, &self->params[self->resized[index]].resize,
        self->resized_side[index], self->pipelines, error);
  else
    k = omni_nn_vk_kernel_build (self->device, n->op, &self->params[index],
        has_bias, residual, scale, self->pipelines, error);
  if (!k) {
    g_prefix_error (error, "node '%s': ", n->name ? n->name : "?");
    return FALSE;
  }
  self->kernels[index] = k;
  return TRUE;
}

/* The intermediate buffers of multi-dispatch kernels (Winograd's
 * transformed tiles and products): one set, as large as the largest need,
 * shared by all of them (the kernels run one after another). */
static gboolean
share_scratch (OmniNnVulkan *self, GError **error)
{
  OmniVkBuffer *scratch[OMNI_NN_VK_MAX_SCRATCH] = { NULL };
  gsize need[OMNI_NN_VK_MAX_SCRATCH] = { 0 };
  gboolean ok = TRUE;
  guint i, j;

  for (i = 0; i < self->graph->nodes->len; i++)
    for (j = 0; self->kernels[i] && j < OMNI_NN_VK_MAX_SCRATCH; j++)
      need[j] = MAX (need[j], self->kernels[i]->scratch_bytes[j]);
  for (j = 0; j < OMNI_NN_VK_MAX_SCRATCH && ok; j++) {
    if (need[j] == 0)
      continue;
    scratch[j] = omni_vk_buffer_new (
        self->device, need[j], OMNI_VK_MEMORY_DEVICE, error);
    ok = scratch[j] != NULL;
    self->act_bytes += need[j];
  }
  for (i = 0; ok && i < self->graph->nodes->len; i++)
    if (self->kernels[i] && self->kernels[i]->scratch_bytes[0] > 0)
      omni_nn_vk_kernel_share_scratch (self->kernels[i], scratch);
  for (j = 0; j < OMNI_NN_VK_MAX_SCRATCH; j++)
    if (scratch[j])
      omni_vk_buffer_unref (scratch[j]);
  return ok;
}

/* Kernels of several dispatches (Winograd's) keep their own copy of the
 * weights, transformed when bound (the first owned buffers; the last ones
 * are scratch): count it, and drop the uploaded weights that no other
 * kernel reads. */
static void
drop_transformed_weights (OmniNnVulkan *self)
{
  const OmniNnGraph *g = self->graph;
  gboolean *keep = g_new0 (gboolean, g->tensors->len);
  guint i, j;

  for (i = 0; i < g->nodes->len; i++) {
    const OmniNnNode *n = omni_nn_graph_node (g, i);

    if (self->kernels[i] && self->kernels[i]->n_stages == 0
        && n->weights != OMNI_NN_NO_TENSOR)
      keep[n->weights] = TRUE;
  }
  for (i = 0; i < g->nodes->len; i++) {
    const OmniNnNode *n = omni_nn_graph_node (g, i);
    OmniNnVkKernel *k = self->kernels[i];

    if (!k || k->n_stages == 0)
      continue;
    for (j = 0; j < OMNI_NN_VK_MAX_OWNED - OMNI_NN_VK_MAX_SCRATCH; j++)
      if (k->owned[j])
        self->weight_bytes += omni_vk_buffer_get_size (k->owned[j]);
    if (n->weights != OMNI_NN_NO_TENSOR && !keep[n->weights]
        && self->weights[n->weights]) {
      self->weight_bytes -= omni_vk_buffer_get_size (self->weights[n->weights]);
      omni_vk_buffer_unref (self->weights[n->weights]);
      self->weights[n->weights] = NULL;
    }
  }
  g_free (keep);
}

static gboolean
bind_node (OmniNnVulkan *self, guint index, GError **error)
{
  const OmniNnNode *n = omni_nn_graph_node (self->graph, index);
  const guint *inputs = self->inputs[index];
  const OmniNnOpInfo *info = omni_nn_op_info (n->op);
  OmniNnVkKernel *k = self->kernels[index];
  OmniVkBuffer *bufs[OMNI_NN_VK_MAX_BINDINGS];
  guint nb = 0, i;
  gboolean has_bias = n->bias != OMNI_NN_NO_TENSOR;
  gboolean residual = self->residual[index] != OMNI_NN_NO_TENSOR;
  gboolean scale = self->scale[index] != OMNI_NN_NO_TENSOR;

  if (self->skip[index])
    return TRUE;
  bufs[nb++] = self->acts[self->outputs[index]];
  for (i = 0; i < n->n_inputs; i++)
    bufs[nb++] = self->acts[inputs[i]];
  if (info->has_weights) {
    if (n->weights == OMNI_NN_NO_TENSOR) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_WEIGHTS,
          "node '%s' (%s) has no weights", n->name ? n->name : "?",
          omni_nn_op_type_name (n->op));
      return FALSE;
    }
    if (!(bufs[nb++] = upload_weights (self, n->weights, error)))
      return FALSE;
    if (has_bias) {
      if (!(bufs[nb++] = upload_weights (self, n->bias, error)))
        return FALSE;
    } else {
      /* Never read (HAS_BIAS is false), but the binding must be valid. */
      bufs[nb] = bufs[nb - 1];
      nb++;
    }
  }
  if (residual)
    bufs[nb++] = self->acts[self->residual[index]];
  if (scale)
    bufs[nb++] = self->acts[self->scale[index]];
  return omni_nn_vk_kernel_bind (k, self->pool, bufs, nb, error);
}

/**
 * omni_nn_vulkan_new:
 * @graph: a graph; it must outlive the result
 * @device: (nullable): which Vulkan device (see omni_vk_device_get()):
 *   %NULL for the default
 * @error: return location for a #GError (#OMNI_NN_ERROR)
 *
 * Validates @graph, gets the device, uploads the weights, allocates the
 * activations and builds the kernels.
 *
 * Returns: (transfer full) (nullable): the prepared graph, or %NULL with
 *   @error set (%OMNI_NN_ERROR_DEVICE when there is no usable device, with
 *   the list of devices and what to install)
 */
OmniNnVulkan *
omni_nn_vulkan_new (
    const OmniNnGraph *graph, const gchar *device, GError **error)
{
  OmniNnVulkan *self;
  GError *vk_error = NULL;
  guint i, n_tensors, n_nodes;
  gboolean ok;

  debug_init ();
  g_return_val_if_fail (graph != NULL, NULL);
  if (!omni_nn_graph_validate (graph, error))
    return NULL;

  self = g_new0 (OmniNnVulkan, 1);
  self->graph = graph;
  n_tensors = graph->tensors->len;
  n_nodes = graph->nodes->len;
  self->device = omni_vk_device_get (device, &vk_error);
  if (!self->device) {
    nn_error_from_vk (error, vk_error, OMNI_NN_ERROR_DEVICE);
    omni_nn_vulkan_free (self);
    return NULL;
  }
  self->device_name
      = g_strdup_printf ("%s (Vulkan)", omni_vk_device_get_name (self->device));
  self->pipelines = g_hash_table_new_full (
      g_str_hash, g_str_equal, g_free, (GDestroyNotify) omni_vk_pipeline_unref);
  self->weights = g_new0 (OmniVkBuffer *, n_tensors);
  self->acts = g_new0 (OmniVkBuffer *, n_tensors);
  self->kernels = g_new0 (OmniNnVkKernel *, n_nodes);
  self->inputs = g_malloc0 (MAX (n_nodes, 1) * sizeof (*self->inputs));
  self->params = g_new0 (OmniNnOpParams, MAX (n_nodes, 1));
  self->skip = g_new0 (gboolean, MAX (n_nodes, 1));
  self->outputs = g_new0 (guint, MAX (n_nodes, 1));
  self->residual = g_new0 (guint, MAX (n_nodes, 1));
  self->scale = g_new0 (guint, MAX (n_nodes, 1));
  self->resized = g_new0 (guint, MAX (n_nodes, 1));
  self->resized_side = g_new0 (guint, MAX (n_nodes, 1));
  fold_pads (self);
  fold_residual_adds (self);
  fold_channel_scales (self);
  fold_resize_concats (self);
  self->pool = omni_vk_descriptor_pool_new (self->device, MAX (n_nodes, 1),
      MAX (n_nodes * OMNI_NN_VK_MAX_BINDINGS, 1), &vk_error);
  if (!self->pool || !allocate_activations (self, &vk_error)) {
    nn_error_from_vk (error, vk_error, OMNI_NN_ERROR_FAILED);
    omni_nn_vulkan_free (self);
    return NULL;
  }
  /* all kernels, then the scratch they share, then their bindings */
  for (i = 0, ok = TRUE; i < n_nodes && ok; i++)
    ok = build_node (self, i, &vk_error);
  ok = ok && share_scratch (self, &vk_error);
  for (i = 0; i < n_nodes && ok; i++)
    ok = bind_node (self, i, &vk_error);
  if (ok)
    drop_transformed_weights (self);
  if (!ok) {
    if (vk_error && vk_error->domain == OMNI_NN_ERROR)
      g_propagate_error (error, vk_error);
    else if (vk_error)
      nn_error_from_vk (error, vk_error, OMNI_NN_ERROR_FAILED);
    else
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_FAILED,
          "could not prepare the graph's Vulkan kernels");
    omni_nn_vulkan_free (self);
    return NULL;
  }
  for (i = 0; i < OMNI_NN_VULKAN_MAX_IN_FLIGHT; i++) {
    Slot *s = &self->slots[i];
    guint o;

    s->cmd = omni_vk_command_new (self->device, &vk_error);
    s->download = g_new0 (OmniVkBuffer *, graph->outputs->len);
    for (o = 0; s->cmd && o < graph->outputs->len; o++) {
      const OmniNnTensor *t = omni_nn_graph_tensor (
          graph, omni_nn_graph_output (graph, o)->tensor);

      s->download[o] = omni_vk_buffer_new (self->device,
          t->n_elements * sizeof (gfloat), OMNI_VK_MEMORY_DOWNLOAD, &vk_error);
      if (!s->download[o])
        break;
    }
    if (!s->cmd || vk_error) {
      nn_error_from_vk (error, vk_error, OMNI_NN_ERROR_FAILED);
      omni_nn_vulkan_free (self);
      return NULL;
    }
  }
  GST_INFO ("graph of %u nodes on %s: %u pipelines, %" G_GSIZE_FORMAT
            " bytes of weights, %" G_GSIZE_FORMAT " bytes of activations",
      n_nodes, self->device_name, g_hash_table_size (self->pipelines),
      self->weight_bytes, self->act_bytes);
  return self;
}

/* Makes @s ready for @input: upload buffer large enough, pre-processing
 * kernel for the frame's layout and geometry. Returns whether the slot's
 * recording is still valid. */
static gboolean
slot_prepare (OmniNnVulkan *self, Slot *s, const OmniNnInput *input,
    gboolean *rerecord, GError **error)
{
  const OmniNnGraph *g = self->graph;
  gboolean frame = input->frame_params != NULL;
  gsize need;
  GError *vk_error = NULL;

  if (frame)
    need = omni_nn_preprocess_frame_size (input->frame_params);
  else
    need = omni_nn_graph_tensor (g, g->input)->n_elements * sizeof (gfloat);
  need = MAX (need, 4);

  if (!s->upload || omni_vk_buffer_get_size (s->upload) < need) {
    if (s->upload)
      omni_vk_buffer_unref (s->upload);
    s->upload = omni_vk_buffer_new (
        self->device, need, OMNI_VK_MEMORY_UPLOAD, &vk_error);
    if (!s->upload)
      return nn_error_from_vk (error, vk_error, OMNI_NN_ERROR_FAILED);
    omni_nn_vk_kernel_free (s->pre);
    s->pre = NULL;
    *rerecord = TRUE;
  }
  if (frame != s->recorded_frame)
    *rerecord = TRUE;
  if (!frame)
    return TRUE;

  if (s->pre
      && memcmp (&s->pre->params.preprocess, input->frame_params,
             sizeof (OmniNnPreprocessParams))
             != 0) {
    if (!omni_nn_vk_kernel_set_preprocess (s->pre, input->frame_params)) {
      omni_nn_vk_kernel_free (s->pre);
      s->pre = NULL;
    }
    *rerecord = TRUE;
  }
  if (!s->pre) {
    OmniNnOpParams p;
    OmniVkBuffer *bufs[2];

    p.preprocess = *input->frame_params;
    s->pre = omni_nn_vk_kernel_build (self->device, OMNI_NN_OP_PREPROCESS, &p,
        FALSE, FALSE, FALSE, self->pipelines, error);
    if (!s->pre)
      return FALSE;
    if (s->pre_pool)
      omni_vk_descriptor_pool_unref (s->pre_pool);
    s->pre_pool = omni_vk_descriptor_pool_new (self->device, 1, 2, &vk_error);
    bufs[0] = self->acts[g->input];
    bufs[1] = s->upload;
    if (!s->pre_pool
        || !omni_nn_vk_kernel_bind (s->pre, s->pre_pool, bufs, 2, &vk_error))
      return nn_error_from_vk (error, vk_error, OMNI_NN_ERROR_FAILED);
    *rerecord = TRUE;
  }
  return TRUE;
}

static gboolean
slot_record (OmniNnVulkan *self, Slot *s, gboolean frame, GError **error)
{
  const OmniNnGraph *g = self->graph;
  GError *vk_error = NULL;
  guint i;

  if (!omni_vk_command_begin (s->cmd, &vk_error))
    return nn_error_from_vk (error, vk_error, OMNI_NN_ERROR_FAILED);
  if (frame)
    omni_nn_vk_kernel_record (s->pre, s->cmd);
  else
    omni_vk_command_copy_buffer (s->cmd, s->upload, 0, self->acts[g->input], 0,
        omni_nn_graph_tensor (g, g->input)->n_elements * sizeof (gfloat));
  for (i = 0; i < g->nodes->len; i++)
    if (self->kernels[i])
      omni_nn_vk_kernel_record (self->kernels[i], s->cmd);
  for (i = 0; i < g->outputs->len; i++) {
    guint t = omni_nn_graph_output (g, i)->tensor;

    omni_vk_command_copy_buffer (s->cmd, self->acts[t], 0, s->download[i], 0,
        omni_nn_graph_tensor (g, t)->n_elements * sizeof (gfloat));
  }
  if (!omni_vk_command_end (s->cmd, &vk_error)) {
    s->recorded = FALSE;
    return nn_error_from_vk (error, vk_error, OMNI_NN_ERROR_FAILED);
  }
  s->recorded = TRUE;
  s->recorded_frame = frame;
  GST_DEBUG ("recorded an inference: %u dispatches, %u barriers",
      omni_vk_command_get_n_dispatches (s->cmd),
      omni_vk_command_get_n_barriers (s->cmd));
  return TRUE;
}

static gboolean
check_input (OmniNnVulkan *self, const OmniNnInput *input, GError **error)
{
  const OmniNnGraph *g = self->graph;
  const OmniNnPreprocessParams *fp = input->frame_params;

  if (!omni_nn_graph_check_input (g, input, error))
    return FALSE;
  if (fp) {
    if (((omni_nn_preprocess_frame_size (fp) + 15) & ~(gsize) 15)
        > omni_vk_device_get_limits (self->device)->maxStorageBufferRange) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_INPUT,
          "a %ux%u frame (%" G_GSIZE_FORMAT " bytes) exceeds what the "
          "device can bind in one buffer (%u bytes): scale it down first",
          fp->in_w, fp->in_h, omni_nn_preprocess_frame_size (fp),
          omni_vk_device_get_limits (self->device)->maxStorageBufferRange);
      return FALSE;
    }
  }
  return TRUE;
}

/**
 * omni_nn_vulkan_submit:
 * @self: a prepared graph
 * @input: a frame (pre-processed on the device) or a float tensor
 * @error: return location for a #GError
 *
 * Copies @input into a free slot and queues its inference; returns without
 * waiting. At most #OMNI_NN_VULKAN_MAX_IN_FLIGHT inferences may be
 * submitted and not collected.
 *
 * Returns: %FALSE with @error set on failure (%OMNI_NN_ERROR_INPUT for a bad
 *   input or when all slots are busy, %OMNI_NN_ERROR_FAILED when the device
 *   fails or is lost)
 */
gboolean
omni_nn_vulkan_submit (
    OmniNnVulkan *self, const OmniNnInput *input, GError **error)
{
  const OmniNnGraph *g = self->graph;
  Slot *s;
  gboolean rerecord = FALSE;
  GError *vk_error = NULL;
  guint8 *dst;

  g_return_val_if_fail (self != NULL && input != NULL, FALSE);
  if (self->n_in_flight >= OMNI_NN_VULKAN_MAX_IN_FLIGHT) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_INPUT,
        "%u inferences already in flight: collect one first",
        self->n_in_flight);
    return FALSE;
  }
  if (!check_input (self, input, error))
    return FALSE;
  s = &self->slots[(self->head + self->n_in_flight)
                   % OMNI_NN_VULKAN_MAX_IN_FLIGHT];
  if (!slot_prepare (self, s, input, &rerecord, error))
    return FALSE;

  /* The slot's previous inference was collected: its buffers are free. */
  dst = omni_vk_buffer_get_mapped (s->upload);
  if (input->frame_params)
    memcpy (
        dst, input->frame, omni_nn_preprocess_frame_size (input->frame_params));
  else
    memcpy (dst, input->tensor,
        omni_nn_graph_tensor (g, g->input)->n_elements * sizeof (gfloat));
  omni_vk_buffer_flush (s->upload);

  if ((rerecord || !s->recorded)
      && !slot_record (self, s, input->frame_params != NULL, error))
    return FALSE;
  if (!omni_vk_command_submit (s->cmd, &vk_error))
    return nn_error_from_vk (error, vk_error, OMNI_NN_ERROR_FAILED);
  self->n_in_flight++;
  return TRUE;
}

/**
 * omni_nn_vulkan_collect:
 * @self: a prepared graph
 * @outputs: one pointer per graph output (graph->outputs order), each with
 *   room for that tensor's n_elements floats; %NULL entries are skipped
 * @error: return location for a #GError
 *
 * Waits for the oldest submitted inference and copies its outputs.
 *
 * Returns: %FALSE with @error set when nothing is in flight or the device
 *   failed (then every inference in flight is dropped)
 */
gboolean
omni_nn_vulkan_collect (
    OmniNnVulkan *self, gfloat *const *outputs, GError **error)
{
  const OmniNnGraph *g = self->graph;
  Slot *s;
  GError *vk_error = NULL;
  guint i;

  g_return_val_if_fail (self != NULL, FALSE);
  if (self->n_in_flight == 0) {
    g_set_error (
        error, OMNI_NN_ERROR, OMNI_NN_ERROR_INPUT, "no inference in flight");
    return FALSE;
  }
  s = &self->slots[self->head];
  if (!omni_vk_command_wait (s->cmd, OMNI_VK_DEFAULT_TIMEOUT_NS, &vk_error)) {
    /* Lost or hung: nothing in flight can be trusted. */
    for (i = 0; i < OMNI_NN_VULKAN_MAX_IN_FLIGHT; i++)
      if (vk_error->code != OMNI_VK_ERROR_TIMEOUT)
        omni_vk_command_wait (self->slots[i].cmd, 0, NULL);
    self->n_in_flight = 0;
    return nn_error_from_vk (error, vk_error, OMNI_NN_ERROR_FAILED);
  }
  for (i = 0; i < g->outputs->len; i++) {
    const OmniNnTensor *t
        = omni_nn_graph_tensor (g, omni_nn_graph_output (g, i)->tensor);

    if (!outputs || !outputs[i])
      continue;
    omni_vk_buffer_invalidate (s->download[i]);
    memcpy (outputs[i], omni_vk_buffer_get_mapped (s->download[i]),
        t->n_elements * sizeof (gfloat));
  }
  self->head = (self->head + 1) % OMNI_NN_VULKAN_MAX_IN_FLIGHT;
  self->n_in_flight--;
  return TRUE;
}

/**
 * omni_nn_vulkan_run:
 * @self: a prepared graph with nothing in flight
 * @input: the input
 * @outputs: see omni_nn_vulkan_collect()
 * @error: return location for a #GError
 *
 * One synchronous inference: submit, then collect.
 *
 * Returns: %FALSE with @error set on failure
 */
gboolean
omni_nn_vulkan_run (OmniNnVulkan *self, const OmniNnInput *input,
    gfloat *const *outputs, GError **error)
{
  if (self->n_in_flight) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_INPUT,
        "%u inferences in flight: collect them before a synchronous run",
        self->n_in_flight);
    return FALSE;
  }
  return omni_nn_vulkan_submit (self, input, error)
         && omni_nn_vulkan_collect (self, outputs, error);
}

/**
 * omni_nn_vulkan_warm_up:
 * @self: a prepared graph with nothing in flight
 * @frame_params: (nullable): the frames that will come (their layout and
 *   geometry), or %NULL for float tensor inputs
 * @error: return location for a #GError
 *
 * Runs one inference on zeros and throws the result away. Drivers may
 * compile pipelines lazily at their first dispatch (lavapipe compiles every
 * shader with LLVM then: about a second for MobileNetV2), so an element
 * calls this when it starts rather than let the first frame pay for it.
 *
 * Returns: %FALSE with @error set on failure
 */
gboolean
omni_nn_vulkan_warm_up (OmniNnVulkan *self,
    const OmniNnPreprocessParams *frame_params, GError **error)
{
  const OmniNnGraph *g = self->graph;
  OmniNnInput input = { 0 };
  gpointer zeros;
  gboolean ok;

  if (frame_params) {
    input.frame_params = frame_params;
    input.frame_size = omni_nn_preprocess_frame_size (frame_params);
    zeros = g_malloc0 (MAX (input.frame_size, 1));
    input.frame = zeros;
  } else {
    zeros = g_new0 (gfloat, omni_nn_graph_tensor (g, g->input)->n_elements);
    input.tensor = zeros;
  }
  ok = omni_nn_vulkan_run (self, &input, NULL, error);
  g_free (zeros);
  return ok;
}

/**
 * omni_nn_vulkan_get_n_in_flight:
 * @self: a prepared graph
 *
 * Returns: inferences submitted and not yet collected
 */
guint
omni_nn_vulkan_get_n_in_flight (OmniNnVulkan *self)
{
  return self->n_in_flight;
}

/**
 * omni_nn_vulkan_get_device:
 * @self: a prepared graph
 *
 * Returns: (transfer none): the device it runs on
 */
OmniVkDevice *
omni_nn_vulkan_get_device (OmniNnVulkan *self)
{
  return self->device;
}

/**
 * omni_nn_vulkan_get_weight_bytes:
 * @self: a prepared graph
 *
 * Returns: bytes of weights uploaded to the device
 */
gsize
omni_nn_vulkan_get_weight_bytes (OmniNnVulkan *self)
{
  return self->weight_bytes;
}

/**
 * omni_nn_vulkan_get_activation_bytes:
 * @self: a prepared graph
 *
 * Returns: bytes of activation buffers (after sharing)
 */
gsize
omni_nn_vulkan_get_activation_bytes (OmniNnVulkan *self)
{
  return self->act_bytes;
}

/**
 * omni_nn_vulkan_get_n_pipelines:
 * @self: a prepared graph
 *
 * Returns: distinct compute pipelines built for the graph
 */
guint
omni_nn_vulkan_get_n_pipelines (OmniNnVulkan *self)
{
  return g_hash_table_size (self->pipelines);
}

/**
 * omni_nn_vulkan_get_n_kernels:
 * @self: a prepared graph
 *
 * Returns: kernels dispatched per inference for the graph's nodes (padding
 *   and residual Adds folded into convolutions run none; the frame's
 *   pre-processing is not counted)
 */
guint
omni_nn_vulkan_get_n_kernels (OmniNnVulkan *self)
{
  guint i, n = 0;

  for (i = 0; i < self->graph->nodes->len; i++)
    n += self->kernels[i] != NULL;
  return n;
}

static gpointer
backend_prepare (const OmniNnGraph *graph, const gchar *device, GError **error)
{
  return omni_nn_vulkan_new (graph, device, error);
}

static gboolean
backend_run (gpointer state, const OmniNnInput *input, gfloat *const *outputs,
    GError **error)
{
  return omni_nn_vulkan_run (state, input, outputs, error);
}

static void
backend_free (gpointer state)
{
  omni_nn_vulkan_free (state);
}

static const gchar *
backend_device_name (gpointer state)
{
  return ((OmniNnVulkan *) state)->device_name;
}

static const OmniNnBackend vulkan_backend = {
  "vulkan",
  backend_prepare,
  backend_run,
  backend_free,
  backend_device_name,
};

/**
 * omni_nn_vulkan_backend:
 *
 * The #OmniNnBackend running graphs with Vulkan compute shaders
 * (synchronous: prepare, run, free). Elements wanting to overlap frames use
 * omni_nn_vulkan_submit() and omni_nn_vulkan_collect() directly.
 *
 * Returns: (transfer none): the backend
 */
const OmniNnBackend *
omni_nn_vulkan_backend (void)
{
  return &vulkan_backend;
}

/* the best of @reps runs of @cmd, ms */
static gdouble
time_command (OmniVkCommand *cmd, guint reps, GError **error)
{
  gdouble best = G_MAXDOUBLE;
  guint r;

  for (r = 0; r < reps; r++) {
    gint64 t0 = g_get_monotonic_time ();

    if (!omni_vk_command_run (cmd, error))
      return -1.0;
    best = MIN (best, (g_get_monotonic_time () - t0) / 1000.0);
  }
  return best;
}

/**
 * omni_nn_vulkan_profile:
 * @self: a prepared graph with nothing in flight
 * @input: the input
 * @reps: runs of each kernel (the best counts)
 * @func: (scope call): called for each kernel
 * @user_data: user data for @func
 * @error: return location for a #GError
 *
 * Where an inference spends its time, as the graph really runs (folded
 * nodes, fused epilogues, shared scratch): runs one inference, then each
 * node's kernel alone, in a command buffer of its own, on the buffers that
 * inference left. Each time includes one submission and the wait for it
 * (about 0.07 ms on lavapipe), which the recorded inference pays once.
 * For benchmarks (bench-vkops --profile).
 *
 * Returns: %FALSE with @error set on failure
 */
gboolean
omni_nn_vulkan_profile (OmniNnVulkan *self, const OmniNnInput *input,
    guint reps, OmniNnVulkanProfileFunc func, gpointer user_data,
    GError **error)
{
  GError *vk_error = NULL;
  guint i;

  g_return_val_if_fail (self != NULL && func != NULL, FALSE);
  if (!omni_nn_vulkan_run (self, input, NULL, error))
    return FALSE;
  for (i = 0; i < self->graph->nodes->len; i++) {
    OmniVkCommand *cmd;
    gdouble ms = -1.0;

    if (!self->kernels[i])
      continue;
    if (!(cmd = omni_vk_command_new (self->device, &vk_error)))
      return nn_error_from_vk (error, vk_error, OMNI_NN_ERROR_FAILED);
    if (omni_vk_command_begin (cmd, &vk_error)) {
      omni_nn_vk_kernel_record (self->kernels[i], cmd);
      if (omni_vk_command_end (cmd, &vk_error))
        ms = time_command (cmd, MAX (reps, 1), &vk_error);
    }
    omni_vk_command_unref (cmd);
    if (ms < 0.0)
      return nn_error_from_vk (error, vk_error, OMNI_NN_ERROR_FAILED);
    func (i, self->kernels[i], ms, user_data);
  }
  return TRUE;
}
