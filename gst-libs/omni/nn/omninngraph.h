/* gst-omni: graph IR of the model runtime and the backend interface
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_GRAPH_H__
#define __OMNI_NN_GRAPH_H__

#include <omni/omni-prelude.h>
#include <omni/nn/omninnops.h>

G_BEGIN_DECLS

/**
 * OMNI_NN_ERROR:
 *
 * Error domain of the model runtime (loader, graph, backends).
 */
#define OMNI_NN_ERROR (omni_nn_error_quark ())
OMNI_API GQuark omni_nn_error_quark (void);

/**
 * OmniNnError:
 * @OMNI_NN_ERROR_NOT_FOUND: a model file or directory is missing
 * @OMNI_NN_ERROR_PARSE: model.json is not valid JSON or not a TF.js layers
 *   model
 * @OMNI_NN_ERROR_UNSUPPORTED: an unknown layer class, op or option (the
 *   message names it)
 * @OMNI_NN_ERROR_WEIGHTS: a weight shard is missing, truncated or does not
 *   match the manifest (the message names the tensor)
 * @OMNI_NN_ERROR_SHAPE: inconsistent shapes in the graph
 * @OMNI_NN_ERROR_DEVICE: no usable compute device
 * @OMNI_NN_ERROR_FAILED: the backend failed to run (device lost, ...)
 * @OMNI_NN_ERROR_INPUT: the input given to a backend does not fit the graph
 * @OMNI_NN_ERROR_UNVERIFIED: a model file does not match the sha256 recorded
 *   in the model directory's SHA256SUMS, or has no recorded sha256 (see
 *   omni_nn_model_load_full())
 * @OMNI_NN_ERROR_SETTING: something the caller chose does not fit the
 *   model: its labels file cannot be read, its embedding layer is not in it
 */
typedef enum {
  OMNI_NN_ERROR_NOT_FOUND,
  OMNI_NN_ERROR_PARSE,
  OMNI_NN_ERROR_UNSUPPORTED,
  OMNI_NN_ERROR_WEIGHTS,
  OMNI_NN_ERROR_SHAPE,
  OMNI_NN_ERROR_DEVICE,
  OMNI_NN_ERROR_FAILED,
  OMNI_NN_ERROR_INPUT,
  OMNI_NN_ERROR_UNVERIFIED,
  OMNI_NN_ERROR_SETTING,
} OmniNnError;

/**
 * OMNI_NN_NO_TENSOR:
 *
 * Tensor id meaning "none" (no bias, no weights).
 */
#define OMNI_NN_NO_TENSOR G_MAXUINT

#define OMNI_NN_MAX_DIMS 4
#define OMNI_NN_MAX_INPUTS 2

/**
 * OmniNnTensor:
 * @name: (nullable): a name (weights: the manifest's name; activations:
 *   the producing layer's name)
 * @n_dims: number of dimensions (1..4), batch excluded
 * @dims: the dimensions, outermost first: activations [h, w, c] or [n];
 *   weights in TF layout (see omninnops.h)
 * @n_elements: product of @dims
 * @data: (nullable): the values of a constant tensor (weights, biases),
 *   owned by the graph; %NULL for activations computed at run time
 */
typedef struct {
  gchar *name;
  guint n_dims;
  guint dims[OMNI_NN_MAX_DIMS];
  gsize n_elements;
  gfloat *data;
} OmniNnTensor;

/**
 * OmniNnNode:
 * @op: the operator
 * @name: the layer it comes from (for messages)
 * @params: its parameters (the member matching @op)
 * @n_inputs: number of activation inputs (1, or 2 for %OMNI_NN_OP_ADD;
 *   0 for %OMNI_NN_OP_PREPROCESS, whose input is the frame)
 * @inputs: activation tensor ids
 * @weights: constant tensor id of the kernel (batch norm: scale) or
 *   %OMNI_NN_NO_TENSOR
 * @bias: constant tensor id of the bias (batch norm: shift) or
 *   %OMNI_NN_NO_TENSOR
 * @output: the activation tensor it writes
 */
typedef struct {
  OmniNnOpType op;
  gchar *name;
  OmniNnOpParams params;
  guint n_inputs;
  guint inputs[OMNI_NN_MAX_INPUTS];
  guint weights;
  guint bias;
  guint output;
} OmniNnNode;

/**
 * OmniNnOutput:
 * @name: the output's name: "probabilities" (the classifier's softmax),
 *   "embedding" (the global-average-pool output, or the layer chosen at
 *   load time), "output" (a model output that is not a softmax), ...
 * @tensor: its tensor id
 */
typedef struct {
  gchar *name;
  guint tensor;
} OmniNnOutput;

/**
 * OmniNnGraph:
 * @tensors: (element-type OmniNnTensor): all tensors, by id
 * @nodes: (element-type OmniNnNode): nodes in execution order (every input
 *   is written by an earlier node or is the graph input)
 * @outputs: (element-type OmniNnOutput): named outputs, in order
 * @input: the float input tensor [input_h, input_w, input_c]
 * @input_h: model input height
 * @input_w: model input width
 * @input_c: model input channels (3: RGB)
 * @align_corners: the bilinear resize mode the model expects
 * @input_scale: normalisation the model expects: x * scale + offset on
 *   8-bit RGB values (nsfwjs: 1/255, 0)
 * @input_offset: see @input_scale
 *
 * A small inference graph: batch 1, NHWC float32. Fields are read-only for
 * backends; build graphs with the functions below.
 */
typedef struct {
  GArray *tensors;
  GArray *nodes;
  GArray *outputs;
  guint input;
  guint input_h, input_w, input_c;
  gboolean align_corners;
  gfloat input_scale, input_offset;
} OmniNnGraph;

#define omni_nn_graph_tensor(g, id)                                            \
  (&g_array_index ((g)->tensors, OmniNnTensor, (id)))
#define omni_nn_graph_node(g, i) (&g_array_index ((g)->nodes, OmniNnNode, (i)))
#define omni_nn_graph_output(g, i)                                             \
  (&g_array_index ((g)->outputs, OmniNnOutput, (i)))

OMNI_API OmniNnGraph *omni_nn_graph_new (void);
OMNI_API void omni_nn_graph_free (OmniNnGraph *graph);

/**
 * omni_nn_graph_add_tensor:
 * @graph: a graph
 * @name: (nullable): its name
 * @n_dims: 1..%OMNI_NN_MAX_DIMS
 * @dims: (array length=n_dims): dimensions
 * @data: (transfer full) (nullable): g_malloc'ed values of a constant
 *   tensor (product of @dims floats), %NULL for an activation
 *
 * Returns: the new tensor's id
 */
OMNI_API guint omni_nn_graph_add_tensor (OmniNnGraph *graph, const gchar *name,
    guint n_dims, const guint *dims, gfloat *data);

/**
 * omni_nn_graph_add_node:
 * @graph: a graph
 * @op: the operator
 * @name: (nullable): layer name
 * @params: its parameters
 * @n_inputs: number of activation inputs
 * @inputs: (array length=n_inputs): activation tensor ids
 * @weights: constant tensor or %OMNI_NN_NO_TENSOR
 * @bias: constant tensor or %OMNI_NN_NO_TENSOR
 * @output: activation tensor written
 *
 * Appends a node; nodes must be added in execution order.
 *
 * Returns: the node's index
 */
OMNI_API guint omni_nn_graph_add_node (OmniNnGraph *graph, OmniNnOpType op,
    const gchar *name, const OmniNnOpParams *params, guint n_inputs,
    const guint *inputs, guint weights, guint bias, guint output);

OMNI_API void omni_nn_graph_add_output (
    OmniNnGraph *graph, const gchar *name, guint tensor);

/**
 * omni_nn_graph_find_output:
 * @graph: a graph
 * @name: an output name
 *
 * Returns: the index in @graph->outputs of the output called @name, or -1
 */
OMNI_API gint omni_nn_graph_find_output (
    const OmniNnGraph *graph, const gchar *name);

/**
 * omni_nn_graph_validate:
 * @graph: a graph
 * @error: return location for an error
 *
 * Checks that every node's tensors exist, that activation inputs are
 * written before they are read, that the parameters agree with the tensor
 * shapes and that weights and biases have the sizes the op needs.
 * Backends may assume a validated graph.
 *
 * Returns: %TRUE when consistent
 */
OMNI_API gboolean omni_nn_graph_validate (
    const OmniNnGraph *graph, GError **error);

/**
 * omni_nn_graph_fold_batch_norm:
 * @graph: a graph
 *
 * Folds every %OMNI_NN_OP_BATCH_NORM that directly follows a convolution
 * (conv2d, depthwise, pointwise, dense without fused activation, whose
 * output feeds only the batch norm and is not a graph output) into that
 * convolution's weights and bias: w'[..., co] = w[..., co] * scale[co],
 * b'[co] = b[co] * scale[co] + shift[co] (Jacob et al. 2018, "Quantization
 * and Training of Neural Networks for Efficient Integer-Arithmetic-Only
 * Inference", section 3.2). A batch norm that cannot be folded becomes a
 * 1x1 depthwise convolution with the same effect.
 *
 * Returns: the number of batch norms folded into a convolution
 */
OMNI_API guint omni_nn_graph_fold_batch_norm (OmniNnGraph *graph);

/**
 * omni_nn_graph_fuse_activations:
 * @graph: a graph
 *
 * Fuses every %OMNI_NN_OP_ACTIVATION (and %OMNI_NN_OP_HARD_SWISH) into the
 * node that produces its input when that node has no activation yet,
 * supports that one (the ReLUs: convolutions, GEMMs, add; every activation:
 * the ops with an alpha slot, #OmniNnOpInfo) and its output has no other
 * reader and is not a graph output.
 *
 * Returns: the number of activations fused
 */
OMNI_API guint omni_nn_graph_fuse_activations (OmniNnGraph *graph);

/**
 * omni_nn_graph_fuse_hard_swish:
 * @graph: a graph
 *
 * Replaces Mul (Mul (x, c), Relu6 (Add (x, 3))) — MobileNetV3's hard-swish
 * as a converted TF graph spells it, four passes over the tensor — by one
 * %OMNI_NN_OP_HARD_SWISH node computing the same values with the same
 * rounding, when the three intermediate tensors have no other reader and
 * are not graph outputs.
 *
 * Returns: the number of hard-swishes fused
 */
OMNI_API guint omni_nn_graph_fuse_hard_swish (OmniNnGraph *graph);

/**
 * omni_nn_graph_fuse_onnx_hard_swish:
 * @graph: a graph
 *
 * Replaces Div (Mul (x, Clip (Add (x, 3), 0, 6)), 6) — hard-swish as ONNX
 * exports spell it (Paddle2ONNX, PyTorch before opset 14), four passes
 * over the tensor — by one %OMNI_NN_OP_HARD_SWISH node (scale 1/6), which
 * a convolution before it may then take as its activation, under the same
 * conditions as omni_nn_graph_fuse_hard_swish().
 *
 * Returns: the number of hard-swishes fused
 */
OMNI_API guint omni_nn_graph_fuse_onnx_hard_swish (OmniNnGraph *graph);

/**
 * omni_nn_graph_pad_channels:
 * @graph: a graph
 *
 * Where a pointwise convolution with a channel count that is not a multiple
 * of 4 feeds only a depthwise convolution that feeds only another
 * pointwise convolution (the separable blocks of detector heads: 18 or 22
 * channels), pads the two intermediate tensors with zero channels to a
 * multiple of 4 (zero weights and biases), so that all three run on the
 * vectorised kernels. The results do not change: the extra channels are
 * exact zeros and add nothing.
 *
 * Returns: the number of such chains padded
 */
OMNI_API guint omni_nn_graph_pad_channels (OmniNnGraph *graph);

/**
 * omni_nn_graph_optimize:
 * @graph: a graph
 * @error: return location for an error
 *
 * omni_nn_graph_fold_batch_norm(), constant per-channel Adds after a
 * convolution or GEMM folded into its bias, omni_nn_graph_fuse_hard_swish(),
 * omni_nn_graph_fuse_activations(), removal of nodes no output depends on,
 * omni_nn_graph_pad_channels(), then omni_nn_graph_validate().
 *
 * Returns: %TRUE on success
 */
OMNI_API gboolean omni_nn_graph_optimize (OmniNnGraph *graph, GError **error);

/**
 * omni_nn_graph_count_macs:
 * @graph: a graph
 *
 * Returns: multiply-accumulate count of one inference (for reports)
 */
OMNI_API guint64 omni_nn_graph_count_macs (const OmniNnGraph *graph);

/* ---- backends ---------------------------------------------------------- */

/**
 * OmniNnInput:
 * @frame_params: (nullable): how to read @frame; %NULL when the input is
 *   @tensor. Its out_w/out_h must equal the graph's input_w/input_h and its
 *   scale/offset/align_corners are used as given (normally the graph's)
 * @frame: (nullable): the video frame bytes
 * @frame_size: size of @frame in bytes (at least
 *   omni_nn_preprocess_frame_size (@frame_params))
 * @tensor: (nullable): float input [input_h, input_w, input_c] when
 *   @frame_params is %NULL
 *
 * One inference's input: a raw video frame (pre-processed by the backend)
 * or a ready float tensor.
 */
typedef struct {
  const OmniNnPreprocessParams *frame_params;
  const guint8 *frame;
  gsize frame_size;
  const gfloat *tensor;
} OmniNnInput;

OMNI_API gboolean omni_nn_graph_check_input (
    const OmniNnGraph *graph, const OmniNnInput *input, GError **error);

typedef struct _OmniNnBackend OmniNnBackend;

/**
 * OmniNnBackend:
 * @name: short name ("cpu", "vulkan")
 * @prepare: creates the backend state for @graph (which must be validated
 *   and must outlive the state) on @device (backend-specific: a Vulkan
 *   device index or name; %NULL = the default). Returns %NULL and sets
 *   @error (%OMNI_NN_ERROR_DEVICE when no device) on failure
 * @run: runs one inference; @outputs holds one pointer per graph output
 *   (same order as graph->outputs), each with room for that tensor's
 *   n_elements floats. Returns %FALSE and sets @error on failure
 * @free: frees the state
 * @device_name: (nullable): human-readable device the state runs on
 *
 * A way to execute a graph. omninncpu.c implements it with the plain-C
 * references, omninnvulkan.c with compute shaders.
 */
struct _OmniNnBackend {
  const gchar *name;
  gpointer (*prepare) (
      const OmniNnGraph *graph, const gchar *device, GError **error);
  gboolean (*run) (gpointer state, const OmniNnInput *input,
      gfloat *const *outputs, GError **error);
  void (*free) (gpointer state);
  const gchar *(*device_name) (gpointer state);
};

G_END_DECLS

#endif /* __OMNI_NN_GRAPH_H__ */
