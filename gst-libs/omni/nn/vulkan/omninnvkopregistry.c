/* gst-omni: the table of Vulkan kernel builders, one per operator
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnvkop.h"

static const OmniNnVkOpBuilder *const builders[] = {
  [OMNI_NN_OP_PREPROCESS] = &omni_nn_vk_op_preprocess,
  [OMNI_NN_OP_CONV2D] = &omni_nn_vk_op_conv2d,
  [OMNI_NN_OP_DEPTHWISE_CONV2D] = &omni_nn_vk_op_depthwise_conv2d,
  [OMNI_NN_OP_POINTWISE_CONV2D] = &omni_nn_vk_op_pointwise_conv2d,
  [OMNI_NN_OP_DENSE] = &omni_nn_vk_op_dense,
  [OMNI_NN_OP_PAD] = &omni_nn_vk_op_pad,
  [OMNI_NN_OP_ADD] = &omni_nn_vk_op_add,
  [OMNI_NN_OP_ACTIVATION] = &omni_nn_vk_op_activation,
  [OMNI_NN_OP_GLOBAL_AVG_POOL] = &omni_nn_vk_op_global_avg_pool,
  [OMNI_NN_OP_SOFTMAX] = &omni_nn_vk_op_softmax,
  [OMNI_NN_OP_BATCH_NORM] = &omni_nn_vk_op_batch_norm,
  [OMNI_NN_OP_POOL2D] = &omni_nn_vk_op_pool2d,
  [OMNI_NN_OP_BINARY] = &omni_nn_vk_op_binary,
  [OMNI_NN_OP_BINARY_CONST] = &omni_nn_vk_op_binary_const,
  [OMNI_NN_OP_RESHAPE] = &omni_nn_vk_op_reshape,
  [OMNI_NN_OP_CONCAT] = &omni_nn_vk_op_concat,
  [OMNI_NN_OP_SLICE] = &omni_nn_vk_op_slice,
  [OMNI_NN_OP_RESIZE] = &omni_nn_vk_op_resize,
  [OMNI_NN_OP_HARD_SWISH] = &omni_nn_vk_op_hard_swish,
  [OMNI_NN_OP_STRIDED] = &omni_nn_vk_op_strided,
  [OMNI_NN_OP_UNARY] = &omni_nn_vk_op_unary,
  [OMNI_NN_OP_REDUCE] = &omni_nn_vk_op_reduce,
  [OMNI_NN_OP_LSTM] = &omni_nn_vk_op_lstm,
  [OMNI_NN_OP_CONV_TRANSPOSE] = &omni_nn_vk_op_conv_transpose,
};

G_STATIC_ASSERT (G_N_ELEMENTS (builders) == OMNI_NN_OP_N_OPS);

const OmniNnVkOpBuilder *
omni_nn_vk_op_builder (OmniNnOpType op)
{
  if ((guint) op >= G_N_ELEMENTS (builders))
    return NULL;
  return builders[op];
}
