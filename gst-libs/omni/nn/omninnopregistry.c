/* gst-omni: the table of operators of the model runtime
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omninnop
 * @title: Operator registry
 * @short_description: one descriptor per op, in one table
 *
 * Each operator is described once (#OmniNnOpInfo: attribute validation,
 * output shape, MAC count, fusion hooks, plain-C reference) in its own file
 * under ops/ and registered here. Graph validation, optimisation, MAC
 * counting and the CPU backend look ops up here instead of switching on the
 * op type; the Vulkan backend has the matching table of kernel builders
 * (nn/vulkan/omninnvkopregistry.c).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ops/omninnop-private.h"

static const OmniNnOpInfo *const ops[] = {
  [OMNI_NN_OP_PREPROCESS] = &omni_nn_op_preprocess,
  [OMNI_NN_OP_CONV2D] = &omni_nn_op_conv2d,
  [OMNI_NN_OP_DEPTHWISE_CONV2D] = &omni_nn_op_depthwise_conv2d,
  [OMNI_NN_OP_POINTWISE_CONV2D] = &omni_nn_op_pointwise_conv2d,
  [OMNI_NN_OP_DENSE] = &omni_nn_op_dense,
  [OMNI_NN_OP_PAD] = &omni_nn_op_pad,
  [OMNI_NN_OP_ADD] = &omni_nn_op_add,
  [OMNI_NN_OP_ACTIVATION] = &omni_nn_op_activation,
  [OMNI_NN_OP_GLOBAL_AVG_POOL] = &omni_nn_op_global_avg_pool,
  [OMNI_NN_OP_SOFTMAX] = &omni_nn_op_softmax,
  [OMNI_NN_OP_BATCH_NORM] = &omni_nn_op_batch_norm,
  [OMNI_NN_OP_POOL2D] = &omni_nn_op_pool2d,
  [OMNI_NN_OP_BINARY] = &omni_nn_op_binary,
  [OMNI_NN_OP_BINARY_CONST] = &omni_nn_op_binary_const,
  [OMNI_NN_OP_RESHAPE] = &omni_nn_op_reshape,
  [OMNI_NN_OP_CONCAT] = &omni_nn_op_concat,
  [OMNI_NN_OP_RESIZE] = &omni_nn_op_resize,
  [OMNI_NN_OP_HARD_SWISH] = &omni_nn_op_hard_swish,
  [OMNI_NN_OP_SLICE] = &omni_nn_op_slice,
  [OMNI_NN_OP_STRIDED] = &omni_nn_op_strided,
  [OMNI_NN_OP_UNARY] = &omni_nn_op_unary,
  [OMNI_NN_OP_REDUCE] = &omni_nn_op_reduce,
  [OMNI_NN_OP_LSTM] = &omni_nn_op_lstm,
  [OMNI_NN_OP_CONV_TRANSPOSE] = &omni_nn_op_conv_transpose,
};

G_STATIC_ASSERT (G_N_ELEMENTS (ops) == OMNI_NN_OP_N_OPS);

const OmniNnOpInfo *
omni_nn_op_info (OmniNnOpType op)
{
  if ((guint) op >= G_N_ELEMENTS (ops))
    return NULL;
  return ops[op];
}

const gchar *
omni_nn_op_type_name (OmniNnOpType op)
{
  const OmniNnOpInfo *info = omni_nn_op_info (op);

  return info ? info->name : "unknown";
}
