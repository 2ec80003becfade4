/* gst-omni: one descriptor per operator of the model runtime
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_OP_H__
#define __OMNI_NN_OP_H__

#include <omni/omni-prelude.h>
#include <omni/nn/omninngraph.h>

G_BEGIN_DECLS

/**
 * OmniNnOpInfo:
 * @op: the operator this describes
 * @name: its name in messages ("conv2d", ...)
 * @n_inputs: number of activation inputs a node of this op reads (0: the
 *   op reads the video frame, see %OMNI_NN_OP_PREPROCESS)
 * @has_weights: whether a node reads a constant weights tensor and an
 *   optional bias tensor (bound after its inputs)
 * @in_graph: %FALSE for ops a graph may not contain (pre-processing, which
 *   backends run on the frame before the graph)
 * @validate: checks the node's attributes and its inputs' and constants'
 *   shapes against its parameters; sets %OMNI_NN_ERROR_SHAPE naming the
 *   node. The output is checked by omni_nn_graph_validate() against
 *   @infer_shape
 * @infer_shape: the output shape the parameters imply; returns %FALSE
 *   for parameters that give no shape
 * @count_macs: (nullable): multiply-accumulates of one run (%NULL: none
 *   worth counting)
 * @activation: (nullable): where the node's fused activation lives, so
 *   that omni_nn_graph_fuse_activations() can fuse a following activation;
 *   %NULL when the op has none
 * @alpha: (nullable): where the parameter of a fused activation lives (the
 *   slope of %OMNI_NN_ACT_LEAKY_RELU, the scale of %OMNI_NN_ACT_HARD_SWISH):
 *   an op with this slot has kernels for every #OmniNnActivation, and
 *   omni_nn_graph_fuse_activations() fuses any into it; %NULL: only up to
 *   %OMNI_NN_ACT_LAST_FUSABLE
 * @out_channels: (nullable): output channels of an op whose weights and
 *   bias are indexed by output channel last, so that
 *   omni_nn_graph_fold_batch_norm() can fold a batch norm into it
 * @reference: the plain-C reference: @inputs holds @n_inputs activations,
 *   @weights and @bias are %NULL when the node has none
 *
 * Everything the core runtime knows about one operator. Each op lives in
 * its own file under gst-libs/omni/nn/ops/ and is registered by one line
 * in omninnopregistry.c; its Vulkan kernel builder lives under
 * gst-libs/omni/nn/vulkan/ops/ (see omninnvkop.h). Nothing else in the
 * runtime switches on the op type.
 */
typedef struct {
  OmniNnOpType op;
  const gchar *name;
  guint n_inputs;
  gboolean has_weights;
  gboolean in_graph;
  gboolean (*validate) (
      const OmniNnGraph *graph, const OmniNnNode *node, GError **error);
  gboolean (*infer_shape) (const OmniNnOpParams *params, guint *n_dims,
      guint dims[OMNI_NN_MAX_DIMS]);
  guint64 (*count_macs) (const OmniNnOpParams *params);
  OmniNnActivation *(*activation) (OmniNnOpParams *params);
  gfloat *(*alpha) (OmniNnOpParams *params);
  guint (*out_channels) (const OmniNnOpParams *params);
  void (*reference) (const OmniNnOpParams *params, const gfloat *const *inputs,
      const gfloat *weights, const gfloat *bias, gfloat *out);
} OmniNnOpInfo;

/**
 * omni_nn_op_info:
 * @op: an operator
 *
 * Returns: (transfer none) (nullable): its descriptor, %NULL for a value
 *   that is not an operator
 */
OMNI_API const OmniNnOpInfo *omni_nn_op_info (OmniNnOpType op);

G_END_DECLS

#endif /* __OMNI_NN_OP_H__ */
