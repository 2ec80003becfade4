/* gst-omni: one operator as a Vulkan compute kernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omninnvkkernel
 * @title: Vulkan kernels
 * @short_description: one op compiled for a device
 *
 * omni_nn_vk_kernel_build() looks the op's builder up in the table of
 * omninnvkopregistry.c; the builder (one per op, under ops/) picks the
 * shader variant for the shape and the device, its specialisation
 * constants (ids named in shaders/spec-ids.def), workgroup size and counts,
 * binding access and push constants. Nothing here knows a particular op.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnvkop.h"

static gchar *
pipeline_key (const gchar *shader, const guint32 *spec, guint n_spec)
{
  GString *s = g_string_new (shader);
  guint i;

  for (i = 0; i < n_spec; i++)
    g_string_append_printf (s, ":%u", spec[i]);
  return g_string_free (s, FALSE);
}

static gboolean
check_groups (OmniNnVkKernel *k)
{
  const VkPhysicalDeviceLimits *lim = omni_vk_device_get_limits (k->device);
  guint i;

  for (i = 0; i < 3; i++)
    if (k->groups[i] > lim->maxComputeWorkGroupCount[i] || k->groups[i] == 0)
      return FALSE;
  return TRUE;
}

/* The pipeline of @k's shader with @b's constants, shared through @cache
 * (when given) by the kernels of one graph. */
static gboolean
get_pipeline (OmniNnVkKernel *k, const OmniNnVkBuild *b, GHashTable *cache,
    GError **error)
{
  gchar *key = NULL;

  if (cache) {
    gchar *spec = pipeline_key (k->shader, b->spec, b->n_spec);

    /* two ops may share a shader and its constants with different
     * bindings (binary and binary-const: nn_binary with 3 or 4) */
    key = g_strdup_printf ("%s/%u/%u", spec, k->n_buffers, k->push_size);
    g_free (spec);
    k->pipeline = g_hash_table_lookup (cache, key);
    if (k->pipeline)
      omni_vk_pipeline_ref (k->pipeline);
  }
  if (!k->pipeline) {
    k->pipeline = omni_vk_pipeline_new (k->device, k->shader, b->access,
        k->n_buffers, k->push_size, b->spec, b->n_spec, error);
    if (k->pipeline && cache)
      g_hash_table_insert (
          cache, g_strdup (key), omni_vk_pipeline_ref (k->pipeline));
  }
  g_free (key);
  return k->pipeline != NULL;
}

static OmniNnVkKernel *
build_kernel (OmniVkDevice *dev, OmniNnOpType op, const OmniNnOpParams *params,
    gboolean has_bias, OmniNnVkBuild b, GHashTable *cache, GError **error)
{
  const OmniNnVkOpBuilder *builder = omni_nn_vk_op_builder (op);
  OmniNnVkKernel *k;
  GError *err = NULL;

  if (!builder) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
        "the Vulkan backend has no kernel for op %s",
        omni_nn_op_type_name (op));
    return NULL;
  }
  k = g_new0 (OmniNnVkKernel, 1);
  k->device = gst_object_ref (dev);
  k->op = op;
  k->params = *params;
  k->has_bias = has_bias;
  k->groups[0] = k->groups[1] = k->groups[2] = 1;
  b.cache = cache;
  if (!builder->build (k, &b, &err) || !check_groups (k)) {
    if (err)
      g_propagate_error (error, err);
    else
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE,
          "%s: parameters out of range for the Vulkan kernel (empty or "
          "too large for the device)",
          omni_nn_op_type_name (op));
    omni_nn_vk_kernel_free (k);
    return NULL;
  }
  /* a kernel of stages has no pipeline of its own */
  if (k->n_stages == 0 && !get_pipeline (k, &b, cache, error)) {
    omni_nn_vk_kernel_free (k);
    return NULL;
  }
  return k;
}

OmniNnVkKernel *
omni_nn_vk_kernel_build (OmniVkDevice *dev, OmniNnOpType op,
    const OmniNnOpParams *params, gboolean has_bias, gboolean residual,
    gboolean scale, GHashTable *cache, GError **error)
{
  OmniNnVkBuild b = { 0 };

  b.residual = residual;
  b.scale = scale;
  return build_kernel (dev, op, params, has_bias, b, cache, error);
}

OmniNnVkKernel *
omni_nn_vk_kernel_build_concat_resized (OmniVkDevice *dev,
    const OmniNnConcatParams *params, const OmniNnResizeParams *resize,
    guint side, GHashTable *cache, GError **error)
{
  OmniNnVkBuild b = { 0 };
  OmniNnOpParams p = { 0 };

  p.concat = *params;
  b.resize = resize;
  b.resize_side = side;
  return build_kernel (dev, OMNI_NN_OP_CONCAT, &p, FALSE, b, cache, error);
}

OmniNnVkKernel *
omni_nn_vk_kernel_build_batched_gemm (OmniVkDevice *dev,
    const OmniNnGemmParams *params, guint batch, GHashTable *cache,
    GError **error)
{
  OmniNnVkBuild b = { 0 };
  OmniNnOpParams p = { 0 };

  p.gemm = *params;
  p.gemm.activation = OMNI_NN_ACT_NONE;
  p.gemm.sum_blocks = FALSE;
  b.batch = batch;
  return build_kernel (
      dev, OMNI_NN_OP_POINTWISE_CONV2D, &p, FALSE, b, cache, error);
}

void
omni_nn_vk_kernel_share_scratch (
    OmniNnVkKernel *k, OmniVkBuffer *const *scratch)
{
  guint i;

  /* the scratch buffers are the last owned ones */
  for (i = 0; i < OMNI_NN_VK_MAX_SCRATCH; i++) {
    guint o = OMNI_NN_VK_MAX_OWNED - OMNI_NN_VK_MAX_SCRATCH + i;

    if (k->scratch_bytes[i] == 0)
      continue;
    g_return_if_fail (
        omni_vk_buffer_get_size (scratch[i]) >= k->scratch_bytes[i]);
    if (k->owned[o])
      omni_vk_buffer_unref (k->owned[o]);
    k->owned[o] = omni_vk_buffer_ref (scratch[i]);
  }
}

OmniNnVkKernel *
omni_nn_vk_stage_new (OmniVkDevice *dev)
{
  OmniNnVkKernel *k = g_new0 (OmniNnVkKernel, 1);

  k->device = gst_object_ref (dev);
  k->op = OMNI_NN_OP_N_OPS;
  k->groups[0] = k->groups[1] = k->groups[2] = 1;
  return k;
}

gboolean
omni_nn_vk_stage_finish (OmniNnVkKernel *stage, const OmniNnVkBuild *b,
    GHashTable *cache, GError **error)
{
  if (!check_groups (stage)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE,
        "%s: too many workgroups for the device", stage->shader);
  } else if (get_pipeline (stage, b, cache, error)) {
    return TRUE;
  }
  omni_nn_vk_kernel_free (stage);
  return FALSE;
}

/**
 * omni_nn_vk_kernel_new:
 * @device: an #OmniVkDevice
 * @op: the operator
 * @params: its parameters (the member matching @op)
 * @has_bias: whether a bias buffer will be bound (convolutions, GEMMs)
 * @error: return location for a #GError
 *
 * Compiles the compute kernel of one operator for @device.
 *
 * Buffers, in binding order: the output first, then the inputs:
 * preprocess (out, frame bytes), conv2d / depthwise / pointwise / dense
 * (out, in, weights, bias — bind the weights again when there is no bias),
 * batch norm (out, in, scale, shift), pad / activation / global average
 * pool / softmax (out, in), add (out, a, b).
 *
 * Returns: (transfer full) (nullable): the kernel, or %NULL with @error set
 */
OmniNnVkKernel *
omni_nn_vk_kernel_new (OmniVkDevice *device, OmniNnOpType op,
    const OmniNnOpParams *params, gboolean has_bias, GError **error)
{
  return omni_nn_vk_kernel_build (
      device, op, params, has_bias, FALSE, FALSE, NULL, error);
}

/**
 * omni_nn_vk_kernel_new_residual:
 * @device: an #OmniVkDevice
 * @params: a pointwise GEMM with K and N multiples of 4
 * @has_bias: whether a bias buffer will be bound
 * @error: return location for a #GError
 *
 * A pointwise convolution whose epilogue adds a residual tensor of its
 * output's shape before the activation: out = act (in x w + bias +
 * residual), what MobileNetV2's projection and the Add after it compute in
 * two passes. Buffers: out, in, weights, bias, residual.
 *
 * Returns: (transfer full) (nullable): the kernel, or %NULL with @error set
 */
OmniNnVkKernel *
omni_nn_vk_kernel_new_residual (OmniVkDevice *device,
    const OmniNnGemmParams *params, gboolean has_bias, GError **error)
{
  OmniNnOpParams p = { 0 };

  p.gemm = *params;
  return omni_nn_vk_kernel_build (device, OMNI_NN_OP_POINTWISE_CONV2D, &p,
      has_bias, TRUE, FALSE, NULL, error);
}

/**
 * omni_nn_vk_kernel_new_scaled:
 * @device: an #OmniVkDevice
 * @params: a pointwise GEMM with K and N multiples of 4
 * @has_bias: whether a bias buffer will be bound
 * @residual: whether its epilogue also adds a residual (see
 *   omni_nn_vk_kernel_new_residual())
 * @error: return location for a #GError
 *
 * A pointwise convolution whose input channels are scaled by a vector as
 * they are read: out = act (sum over k of in[m, k] * scale[k] * w[k, n] +
 * bias (+ residual)), the broadcast multiply of a squeeze-and-excite block
 * (Hu et al. 2018; MobileNetV3) and the projection after it in one pass.
 * Buffers: out, in, weights, bias, [residual], scale.
 *
 * Returns: (transfer full) (nullable): the kernel, or %NULL with @error set
 */
OmniNnVkKernel *
omni_nn_vk_kernel_new_scaled (OmniVkDevice *device,
    const OmniNnGemmParams *params, gboolean has_bias, gboolean residual,
    GError **error)
{
  OmniNnOpParams p = { 0 };

  p.gemm = *params;
  return omni_nn_vk_kernel_build (device, OMNI_NN_OP_POINTWISE_CONV2D, &p,
      has_bias, residual, TRUE, NULL, error);
}

/**
 * omni_nn_vk_kernel_free:
 * @kernel: (transfer full) (nullable): a kernel
 *
 * Frees @kernel (work already recorded with it keeps what it needs alive).
 */
void
omni_nn_vk_kernel_free (OmniNnVkKernel *kernel)
{
  guint i;

  if (!kernel)
    return;
  for (i = 0; i < kernel->n_stages; i++)
    omni_nn_vk_kernel_free (kernel->stages[i]);
  for (i = 0; i < OMNI_NN_VK_MAX_OWNED; i++)
    if (kernel->owned[i])
      omni_vk_buffer_unref (kernel->owned[i]);
  if (kernel->stage_pool)
    omni_vk_descriptor_pool_unref (kernel->stage_pool);
  if (kernel->set)
    omni_vk_descriptor_set_unref (kernel->set);
  if (kernel->pipeline)
    omni_vk_pipeline_unref (kernel->pipeline);
  gst_object_unref (kernel->device);
  g_free (kernel);
}

/**
 * omni_nn_vk_kernel_get_n_buffers:
 * @kernel: a kernel
 *
 * Returns: how many buffers omni_nn_vk_kernel_bind() takes
 */
guint
omni_nn_vk_kernel_get_n_buffers (OmniNnVkKernel *kernel)
{
  return kernel->n_buffers;
}

/**
 * omni_nn_vk_kernel_get_shader:
 * @kernel: a kernel
 *
 * Returns: (transfer none): the name of the shader it runs; for a kernel
 *   of several dispatches (conv2d's Winograd path) the name of the family,
 *   "nn_wino_f23", with "_texel" when its stages read texel buffers
 */
const gchar *
omni_nn_vk_kernel_get_shader (OmniNnVkKernel *kernel)
{
  return kernel->shader;
}

/**
 * omni_nn_vk_kernel_get_local_size:
 * @kernel: a kernel
 * @dim: 0 or 1 (x, y)
 *
 * Returns: the workgroup size of @kernel along @dim (0 for @dim > 1)
 */
guint
omni_nn_vk_kernel_get_local_size (OmniNnVkKernel *kernel, guint dim)
{
  return dim < 2 ? kernel->local[dim] : 0;
}

/**
 * omni_nn_vk_kernel_bind:
 * @kernel: a kernel
 * @pool: the pool to allocate the descriptor set from
 * @buffers: (array length=n_buffers): output first, then inputs (see
 *   omni_nn_vk_kernel_new())
 * @n_buffers: omni_nn_vk_kernel_get_n_buffers()
 * @error: return location for a #GError
 *
 * Points the kernel at its buffers (replacing an earlier binding).
 *
 * Returns: %FALSE with @error set on failure
 */
gboolean
omni_nn_vk_kernel_bind (OmniNnVkKernel *kernel, OmniVkDescriptorPool *pool,
    OmniVkBuffer *const *buffers, guint n_buffers, GError **error)
{
  OmniVkDescriptorSet *set;

  /* a kernel of stages binds them itself (@pool is not used) */
  if (kernel->bind)
    return kernel->bind (kernel, buffers, n_buffers, error);
  /* Texel bindings see only the tensor, not all of a shared buffer. */
  set = omni_vk_descriptor_set_new_with_ranges (pool, kernel->pipeline, buffers,
      n_buffers <= G_N_ELEMENTS (kernel->read_bytes) ? kernel->read_bytes
                                                     : NULL,
      n_buffers, error);
  if (!set)
    return FALSE;
  if (kernel->set)
    omni_vk_descriptor_set_unref (kernel->set);
  kernel->set = set;
  return TRUE;
}

/**
 * omni_nn_vk_kernel_record:
 * @kernel: a bound kernel
 * @cmd: a recording #OmniVkCommand
 *
 * Records the kernel's dispatch (with the barriers its buffers need).
 */
void
omni_nn_vk_kernel_record (OmniNnVkKernel *kernel, OmniVkCommand *cmd)
{
  guint i;

  if (kernel->n_stages > 0) {
    for (i = 0; i < kernel->n_stages; i++)
      omni_nn_vk_kernel_record (kernel->stages[i], cmd);
    return;
  }
  g_return_if_fail (kernel->set != NULL);
  omni_vk_command_dispatch (cmd, kernel->set,
      kernel->push_size ? kernel->push : NULL, kernel->push_size,
      kernel->groups[0], kernel->groups[1], kernel->groups[2]);
}

/**
 * omni_nn_vk_kernel_set_preprocess:
 * @kernel: a pre-processing kernel
 * @params: new frame parameters with the same pixel layout
 *
 * Updates the frame geometry (size, strides, offsets, colour matrix,
 * normalisation) of a pre-processing kernel without rebuilding its
 * pipeline; recordings made before do not change.
 *
 * Returns: %FALSE when @params need another pipeline (a different layout)
 *   or are out of range
 */
gboolean
omni_nn_vk_kernel_set_preprocess (
    OmniNnVkKernel *kernel, const OmniNnPreprocessParams *params)
{
  g_return_val_if_fail (kernel->op == OMNI_NN_OP_PREPROCESS, FALSE);
  if (params->layout != kernel->params.preprocess.layout)
    return FALSE;
  if (!omni_nn_vk_preprocess_push (kernel, params))
    return FALSE;
  kernel->params.preprocess = *params;
  return TRUE;
}
