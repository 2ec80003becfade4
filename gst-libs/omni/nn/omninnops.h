/* gst-omni: neural-network operators (parameters and plain-C references)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_OPS_H__
#define __OMNI_NN_OPS_H__

#include <omni/omni-prelude.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

/*
 * Conventions (the same as TensorFlow.js, batch 1):
 *  - activations are float32, NHWC with N = 1: element (y, x, ch) of an
 *    [h, w, c] tensor lives at ((y * w) + x) * c + ch;
 *  - weights keep TF's layout: conv2d [kh, kw, cin, cout], depthwise
 *    [kh, kw, c, mult] (output channel = c * mult + m), pointwise/dense
 *    [cin, cout] (a [1, 1, cin, cout] conv kernel is the same bytes);
 *  - bias arguments are nullable (no bias = zeros).
 * Every op has a plain-C reference here (omninnref.c) and a Vulkan kernel
 * (shaders/, omninnvulkan.c); the two must agree within 1e-4 relative.
 */

/**
 * OmniNnOpType:
 * @OMNI_NN_OP_PREPROCESS: video frame bytes -> RGB float [out_h, out_w, 3]
 * @OMNI_NN_OP_CONV2D: 2-D convolution (#OmniNnConv2dParams)
 * @OMNI_NN_OP_DEPTHWISE_CONV2D: depthwise convolution
 *   (#OmniNnDepthwiseConv2dParams)
 * @OMNI_NN_OP_POINTWISE_CONV2D: 1x1 stride-1 convolution, i.e. a GEMM
 *   [h*w, cin] x [cin, cout] (#OmniNnGemmParams with m = h*w)
 * @OMNI_NN_OP_DENSE: fully connected layer, a GEMM [1, in] x [in, out]
 *   (#OmniNnGemmParams with m = 1)
 * @OMNI_NN_OP_PAD: zero padding of the spatial dimensions (#OmniNnPadParams)
 * @OMNI_NN_OP_ADD: element-wise sum of two tensors of the same shape, then an
 *   activation (#OmniNnEltwiseParams)
 * @OMNI_NN_OP_ACTIVATION: a stand-alone activation that could not be fused
 *   (#OmniNnEltwiseParams)
 * @OMNI_NN_OP_GLOBAL_AVG_POOL: mean over h and w: [h, w, c] -> [c]
 *   (#OmniNnPoolParams)
 * @OMNI_NN_OP_SOFTMAX: softmax over the last axis (#OmniNnSoftmaxParams)
 * @OMNI_NN_OP_BATCH_NORM: per-channel y = x * scale + shift, with scale and
 *   shift already derived from gamma/beta/mean/variance/epsilon. Exists only
 *   in a graph before omni_nn_graph_optimize(), which folds it into the
 *   preceding convolution or turns it into a 1x1 depthwise convolution;
 *   backends never see it (#OmniNnChannelParams)
 * @OMNI_NN_OP_POOL2D: windowed max or average pooling (#OmniNnPool2dParams)
 * @OMNI_NN_OP_BINARY: element-wise add, sub, mul, div, max or min of two
 *   activations with NumPy broadcasting (#OmniNnBinaryParams)
 * @OMNI_NN_OP_BINARY_CONST: the same with a constant second operand (the
 *   node's weights; #OmniNnBinaryParams.swap puts it first)
 * @OMNI_NN_OP_RESHAPE: a copy under another shape (#OmniNnEltwiseParams,
 *   activation none)
 * @OMNI_NN_OP_CONCAT: two tensors side by side along one axis
 *   (#OmniNnConcatParams)
 * @OMNI_NN_OP_RESIZE: bilinear or nearest-neighbour resize of an NHWC
 *   activation (#OmniNnResizeParams)
 * @OMNI_NN_OP_HARD_SWISH: (x * scale) * relu6 (x + 3), MobileNetV3's
 *   hard-swish, fused by omni_nn_graph_fuse_hard_swish() from the four
 *   nodes a converted graph spells it with (#OmniNnHardSwishParams)
 * @OMNI_NN_OP_SLICE: a contiguous range of one axis (#OmniNnSliceParams):
 *   one piece of a TF SplitV / Split
 * @OMNI_NN_OP_STRIDED: a strided gather of up to 4 dimensions with
 *   out-of-range reads padded (constant, reflect or edge): transpose,
 *   slice, split, gather of one index, expand, pad (#OmniNnStridedParams)
 * @OMNI_NN_OP_UNARY: an element-wise function with up to two parameters
 *   (#OmniNnUnaryParams)
 * @OMNI_NN_OP_REDUCE: mean, max, min, sum or sum of squares over the middle
 *   axis of an [outer, n, inner] view (#OmniNnReduceParams)
 * @OMNI_NN_OP_LSTM: ONNX's LSTM, one direction, batch 1 (#OmniNnLstmParams)
 * @OMNI_NN_OP_CONV_TRANSPOSE: transposed 2-D convolution, NHWC, weights
 *   [kh, kw, cin, cout] (#OmniNnConv2dParams: in and out as the op's, the
 *   pads are the ones removed from the full output)
 *
 * The operators of the graph IR.
 */
typedef enum {
  OMNI_NN_OP_PREPROCESS,
  OMNI_NN_OP_CONV2D,
  OMNI_NN_OP_DEPTHWISE_CONV2D,
  OMNI_NN_OP_POINTWISE_CONV2D,
  OMNI_NN_OP_DENSE,
  OMNI_NN_OP_PAD,
  OMNI_NN_OP_ADD,
  OMNI_NN_OP_ACTIVATION,
  OMNI_NN_OP_GLOBAL_AVG_POOL,
  OMNI_NN_OP_SOFTMAX,
  OMNI_NN_OP_BATCH_NORM,
  OMNI_NN_OP_POOL2D,
  OMNI_NN_OP_BINARY,
  OMNI_NN_OP_BINARY_CONST,
  OMNI_NN_OP_RESHAPE,
  OMNI_NN_OP_CONCAT,
  OMNI_NN_OP_RESIZE,
  OMNI_NN_OP_HARD_SWISH,
  OMNI_NN_OP_SLICE,
  OMNI_NN_OP_STRIDED,
  OMNI_NN_OP_UNARY,
  OMNI_NN_OP_REDUCE,
  OMNI_NN_OP_LSTM,
  OMNI_NN_OP_CONV_TRANSPOSE,
  OMNI_NN_OP_N_OPS
} OmniNnOpType;

OMNI_API const gchar *omni_nn_op_type_name (OmniNnOpType op);

/**
 * OmniNnActivation:
 * @OMNI_NN_ACT_NONE: identity
 * @OMNI_NN_ACT_RELU: max (x, 0)
 * @OMNI_NN_ACT_RELU6: min (max (x, 0), 6)
 * @OMNI_NN_ACT_SIGMOID: 1 / (1 + exp (-x)) (stand-alone activation nodes
 *   only; omni_nn_graph_fuse_activations() fuses only the ReLUs)
 * @OMNI_NN_ACT_TANH: tanh (x) (stand-alone activation nodes only)
 * @OMNI_NN_ACT_LEAKY_RELU: x >= 0 ? x : alpha * x, with the params' alpha
 *   (stand-alone activation nodes, and fused into the ops whose descriptor
 *   has an alpha slot: conv2d, depthwise, pointwise conv2d, dense)
 * @OMNI_NN_ACT_HARD_SWISH: (x * alpha) * relu6 (x + 3) (a
 *   %OMNI_NN_OP_HARD_SWISH node fused into an op with an alpha slot; alpha
 *   is its scale, 1/6)
 *
 * Activation applied to an op's output (fused).
 */
typedef enum {
  OMNI_NN_ACT_NONE,
  OMNI_NN_ACT_RELU,
  OMNI_NN_ACT_RELU6,
  OMNI_NN_ACT_SIGMOID,
  OMNI_NN_ACT_TANH,
  OMNI_NN_ACT_LEAKY_RELU,
  OMNI_NN_ACT_HARD_SWISH,
} OmniNnActivation;

/**
 * OMNI_NN_ACT_LAST_FUSABLE:
 *
 * The last activation every kernel with a fused activation implements.
 */
#define OMNI_NN_ACT_LAST_FUSABLE OMNI_NN_ACT_RELU6

OMNI_API const gchar *omni_nn_activation_name (OmniNnActivation act);

/**
 * OmniNnPadding:
 * @OMNI_NN_PADDING_VALID: no padding
 * @OMNI_NN_PADDING_SAME: TF 'same' padding: out = ceil (in / stride), the
 *   odd pixel of padding goes after (bottom/right)
 */
typedef enum {
  OMNI_NN_PADDING_VALID,
  OMNI_NN_PADDING_SAME,
} OmniNnPadding;

/**
 * omni_nn_conv_output_size:
 * @in: input size (height or width)
 * @kernel: kernel size
 * @stride: stride (>= 1)
 * @dilation: dilation rate (>= 1)
 * @padding: TF padding mode
 * @out: (out): output size
 * @pad_before: (out): explicit padding before (top or left)
 *
 * TensorFlow's padding arithmetic (tf.nn.convolution, get_windowed_output_size):
 * the effective kernel is (kernel - 1) * dilation + 1; VALID gives
 * out = ceil ((in - eff + 1) / stride), SAME gives out = ceil (in / stride)
 * with total padding max ((out - 1) * stride + eff - in, 0) of which
 * total / 2 goes before.
 *
 * Returns: %FALSE when the output would be empty.
 */
OMNI_API gboolean omni_nn_conv_output_size (guint in, guint kernel,
    guint stride, guint dilation, OmniNnPadding padding, guint *out,
    guint *pad_before);

/**
 * OmniNnConv2dParams:
 * @in_h: input height
 * @in_w: input width
 * @in_c: input channels
 * @out_h: output height
 * @out_w: output width
 * @out_c: output channels
 * @kernel_h: kernel height
 * @kernel_w: kernel width
 * @stride_h: vertical stride
 * @stride_w: horizontal stride
 * @dilation_h: vertical dilation
 * @dilation_w: horizontal dilation
 * @pad_top: zero rows virtually added above the input
 * @pad_left: zero columns virtually added left of the input (padding
 *   below/right is whatever @out_h/@out_w imply; taps outside the input
 *   read 0)
 * @activation: fused activation
 * @alpha: the slope below 0 of a fused %OMNI_NN_ACT_LEAKY_RELU
 * @sum_blocks: sum as onnxruntime's CPU provider does (set by the ONNX
 *   loader): per block of input channels from 0, the blocks in order, the
 *   bias last (the fast backends; docs/onnx.md, "Parity"); else in one
 *   accumulator from the bias, as XNNPACK (TF.js's wasm backend)
 *
 * out[oy, ox, co] = act (bias[co] + sum over ky, kx, ci of
 *   in[oy*stride_h - pad_top + ky*dilation_h,
 *      ox*stride_w - pad_left + kx*dilation_w, ci] * w[ky, kx, ci, co]).
 */
typedef struct {
  guint in_h, in_w, in_c;
  guint out_h, out_w, out_c;
  guint kernel_h, kernel_w;
  guint stride_h, stride_w;
  guint dilation_h, dilation_w;
  gint pad_top, pad_left;
  OmniNnActivation activation;
  gfloat alpha;
  gboolean sum_blocks;
} OmniNnConv2dParams;

/**
 * OmniNnDepthwiseConv2dParams:
 * @in_h: input height
 * @in_w: input width
 * @in_c: input channels
 * @out_h: output height
 * @out_w: output width
 * @out_c: output channels (= @in_c * @depth_multiplier)
 * @kernel_h: kernel height
 * @kernel_w: kernel width
 * @stride_h: vertical stride
 * @stride_w: horizontal stride
 * @dilation_h: vertical dilation
 * @dilation_w: horizontal dilation
 * @pad_top: zero rows virtually added above the input
 * @pad_left: zero columns virtually added left of the input
 * @depth_multiplier: output channels per input channel
 * @activation: fused activation
 * @alpha: the parameter of a fused %OMNI_NN_ACT_LEAKY_RELU or
 *   %OMNI_NN_ACT_HARD_SWISH
 * @sum_blocks: add the bias after the taps' sum, as onnxruntime (set by the
 *   ONNX loader; see #OmniNnConv2dParams)
 *
 * out[oy, ox, c * mult + m] = act (bias[c * mult + m] + sum over ky, kx of
 *   in[oy*stride_h - pad_top + ky*dilation_h,
 *      ox*stride_w - pad_left + kx*dilation_w, c] * w[ky, kx, c, m]).
 */
typedef struct {
  guint in_h, in_w, in_c;
  guint out_h, out_w, out_c;
  guint kernel_h, kernel_w;
  guint stride_h, stride_w;
  guint dilation_h, dilation_w;
  gint pad_top, pad_left;
  guint depth_multiplier;
  OmniNnActivation activation;
  gfloat alpha;
  gboolean sum_blocks;
} OmniNnDepthwiseConv2dParams;

/**
 * OmniNnGemmParams:
 * @m: rows (h * w for a pointwise convolution, 1 for a dense layer)
 * @k: input features (cin)
 * @n: output features (cout)
 * @activation: fused activation
 * @alpha: the slope below 0 of a fused %OMNI_NN_ACT_LEAKY_RELU
 * @sum_blocks: sum blocks of 128 k from 0, in order, the bias last, as
 *   onnxruntime (set by the ONNX loader; see #OmniNnConv2dParams)
 *
 * out[i, j] = act (bias[j] + sum over l of in[i, l] * w[l, j]), with in
 * [m, k], w [k, n] and out [m, n], all row-major.
 */
typedef struct {
  guint m, k, n;
  OmniNnActivation activation;
  gfloat alpha;
  gboolean sum_blocks;
} OmniNnGemmParams;

/**
 * OmniNnPadParams:
 * @in_h: input height
 * @in_w: input width
 * @c: channels
 * @pad_top: zero rows added above
 * @pad_bottom: zero rows added below
 * @pad_left: zero columns added left
 * @pad_right: zero columns added right
 *
 * @pad_front: zero channels added before the input's (TF Pad on the last
 *   axis, as BlazeFace's channel-growing residuals)
 * @pad_back: zero channels added after
 *
 * Zero padding: out is [in_h + top + bottom, in_w + left + right,
 * front + c + back].
 */
typedef struct {
  guint in_h, in_w, c;
  guint pad_top, pad_bottom, pad_left, pad_right;
  guint pad_front, pad_back;
} OmniNnPadParams;

/**
 * OmniNnPool2dParams:
 * @in_h: input height
 * @in_w: input width
 * @c: channels
 * @out_h: output height
 * @out_w: output width
 * @kernel_h: window height
 * @kernel_w: window width
 * @stride_h: vertical stride
 * @stride_w: horizontal stride
 * @pad_top: rows virtually added above (window taps outside the input are
 *   skipped)
 * @pad_left: columns virtually added left
 * @max: %TRUE for max pooling, %FALSE for average pooling
 *
 * out[oy, ox, c] = max (or mean) over the window taps inside the input of
 * in[oy*stride_h - pad_top + ky, ox*stride_w - pad_left + kx, c], as
 * TensorFlow's MaxPool and AvgPool (padding never counts in the mean).
 */
typedef struct {
  guint in_h, in_w, c;
  guint out_h, out_w;
  guint kernel_h, kernel_w;
  guint stride_h, stride_w;
  gint pad_top, pad_left;
  gboolean max;
} OmniNnPool2dParams;

/**
 * OmniNnConcatParams:
 * @outer: product of the dimensions before the axis
 * @a: elements of the first input per outer index (its axis size times
 *   the product of the dimensions after the axis)
 * @b: the same for the second input
 * @activation: a fused activation (up to %OMNI_NN_ACT_LAST_FUSABLE: the
 *   ReLU after CenterNet's concatenations)
 *
 * out[o, 0 .. a) = act (a[o, ...]), out[o, a .. a + b) = act (b[o, ...]):
 * TF ConcatV2 of two tensors along any axis (longer lists are chained).
 */
typedef struct {
  guint outer, a, b;
  OmniNnActivation activation;
} OmniNnConcatParams;

/**
 * OmniNnResizeParams:
 * @in_h: input height
 * @in_w: input width
 * @c: channels
 * @out_h: output height
 * @out_w: output width
 * @align_corners: TF's align_corners: ratio (in - 1) / (out - 1)
 * @half_pixel_centers: TF's half_pixel_centers: source = (dst + 0.5) *
 *   ratio - 0.5
 * @nearest: nearest neighbour (ResizeNearestNeighbor) instead of bilinear
 *
 * tf.image.resize as TF.js's CPU backend computes it: source coordinate
 * s from the ratio (in / out, or (in - 1) / (out - 1) with align_corners
 * and out > 1); bilinear: s0 = max (floor (s), 0), s1 = min (ceil (s),
 * in - 1), weight s - floor (s), rows then columns; nearest: round (s)
 * with align_corners, else floor (s), clamped (half-pixel adds 0.5 first).
 */
typedef struct {
  guint in_h, in_w, c;
  guint out_h, out_w;
  gboolean align_corners;
  gboolean half_pixel_centers;
  gboolean nearest;
} OmniNnResizeParams;

/**
 * OmniNnHardSwishParams:
 * @n: elements
 * @scale: the graph's constant (1/6, often stored as float16)
 *
 * out[i] = (in[i] * scale) * min (max (in[i] + 3, 0), 6), in this order
 * (the rounding of TF's Mul (Mul (x, scale), Relu6 (Add (x, 3)))).
 */
typedef struct {
  gsize n;
  gfloat scale;
} OmniNnHardSwishParams;

/**
 * OmniNnBinaryKind:
 * @OMNI_NN_BINARY_ADD: a + b
 * @OMNI_NN_BINARY_SUB: a - b
 * @OMNI_NN_BINARY_MUL: a * b
 * @OMNI_NN_BINARY_DIV: a / b
 * @OMNI_NN_BINARY_MAX: max (a, b)
 * @OMNI_NN_BINARY_MIN: min (a, b)
 * @OMNI_NN_BINARY_N_KINDS: number of kinds
 */
typedef enum {
  OMNI_NN_BINARY_ADD,
  OMNI_NN_BINARY_SUB,
  OMNI_NN_BINARY_MUL,
  OMNI_NN_BINARY_DIV,
  OMNI_NN_BINARY_MAX,
  OMNI_NN_BINARY_MIN,
  OMNI_NN_BINARY_N_KINDS
} OmniNnBinaryKind;

/**
 * OmniNnBinaryParams:
 * @kind: the operation
 * @n_dims: rank of the output (1..4)
 * @dims: output dimensions
 * @a_dims: dimensions of the first input, right-aligned to @n_dims and
 *   padded with 1 (a 1 broadcasts)
 * @b_dims: the same for the second input (or the constant)
 * @swap: the operands are (b, a): for a constant that comes first, as in
 *   `1 - x`
 *
 * out[i] = kind (a[i mod a_dims], b[i mod b_dims]) with NumPy broadcasting.
 */
typedef struct {
  OmniNnBinaryKind kind;
  guint n_dims;
  guint dims[4];
  guint a_dims[4];
  guint b_dims[4];
  gboolean swap;
} OmniNnBinaryParams;

/**
 * OmniNnEltwiseParams:
 * @n: number of elements
 * @activation: activation applied to the result
 * @alpha: the slope below 0 of %OMNI_NN_ACT_LEAKY_RELU (else unused)
 *
 * For %OMNI_NN_OP_ADD (out = act (a + b)) and %OMNI_NN_OP_ACTIVATION
 * (out = act (a)).
 */
typedef struct {
  gsize n;
  OmniNnActivation activation;
  gfloat alpha;
} OmniNnEltwiseParams;

/**
 * OmniNnSliceParams:
 * @outer: product of the dimensions before the axis
 * @in_len: the input's size along the axis
 * @offset: first index taken along the axis
 * @out_len: how many indices are taken (offset + out_len <= in_len)
 * @inner: product of the dimensions after the axis
 *
 * out[o, j, i] = in[o, offset + j, i]: one piece of TF's SplitV.
 */
typedef struct {
  guint outer, in_len, offset, out_len, inner;
} OmniNnSliceParams;

/**
 * OmniNnPoolParams:
 * @h: input height
 * @w: input width
 * @c: channels
 *
 * Global average pooling: out[c] = (1 / (h * w)) * sum over y, x of
 * in[y, x, c].
 */
typedef struct {
  guint h, w, c;
} OmniNnPoolParams;

/**
 * OmniNnSoftmaxParams:
 * @rows: number of independent rows (1 for a classifier)
 * @n: length of the last axis
 *
 * out[r, i] = exp (in[r, i] - max_r) / sum over j of exp (in[r, j] - max_r).
 */
typedef struct {
  guint rows, n;
} OmniNnSoftmaxParams;

/**
 * OmniNnChannelParams:
 * @n: elements
 * @c: channels (the last axis); @n is a multiple of @c
 *
 * Per-channel affine: out[i] = in[i] * scale[i % c] + shift[i % c].
 */
typedef struct {
  gsize n;
  guint c;
} OmniNnChannelParams;

/**
 * OmniNnPadMode:
 * @OMNI_NN_PAD_CONSTANT: reads outside the source give the constant
 * @OMNI_NN_PAD_REFLECT: mirror without repeating the edge (ONNX "reflect")
 * @OMNI_NN_PAD_EDGE: the nearest edge element (ONNX "edge")
 */
typedef enum {
  OMNI_NN_PAD_CONSTANT,
  OMNI_NN_PAD_REFLECT,
  OMNI_NN_PAD_EDGE,
} OmniNnPadMode;

/**
 * OmniNnStridedParams:
 * @n_dims: output rank (1..4)
 * @dims: output dimensions
 * @extent: per output dimension, the source size along it (coordinates
 *   outside [0, extent) are padding)
 * @start: per output dimension, the source coordinate of index 0
 * @step: per output dimension, the source coordinate step (may be 0 or
 *   negative)
 * @stride: per output dimension, the source elements one coordinate moves
 * @offset: source element of coordinate 0 in every dimension
 * @in_n: elements of the source tensor
 * @mode: what a coordinate outside its extent reads
 * @value: the constant of %OMNI_NN_PAD_CONSTANT
 *
 * out[o0, .., o3] = in[offset + sum over d of c_d * stride[d]] with
 * c_d = start[d] + o_d * step[d], mapped into [0, extent[d]) by @mode (or
 * @value when constant padding applies to any d).
 */
typedef struct {
  guint n_dims;
  guint dims[4];
  guint extent[4];
  gint start[4];
  gint step[4];
  gint stride[4];
  guint offset;
  guint in_n;
  OmniNnPadMode mode;
  gfloat value;
} OmniNnStridedParams;

/**
 * OmniNnUnaryKind:
 * @OMNI_NN_UNARY_LEAKY_RELU: x >= 0 ? x : alpha * x
 * @OMNI_NN_UNARY_HARD_SIGMOID: max (0, min (1, alpha * x + beta))
 * @OMNI_NN_UNARY_HARD_SWISH: x * max (0, min (1, x / 6 + 1 / 2))
 * @OMNI_NN_UNARY_CLIP: min (max (x, alpha), beta)
 * @OMNI_NN_UNARY_SQRT: sqrt (x)
 * @OMNI_NN_UNARY_EXP: exp (x)
 * @OMNI_NN_UNARY_LOG: log (x)
 * @OMNI_NN_UNARY_ABS: |x|
 * @OMNI_NN_UNARY_NEG: -x
 * @OMNI_NN_UNARY_POW: pow (x, alpha) (x * x for alpha 2)
 * @OMNI_NN_UNARY_ELU: x >= 0 ? x : alpha * (exp (x) - 1)
 * @OMNI_NN_UNARY_RECIPROCAL: 1 / x
 * @OMNI_NN_UNARY_SOFTPLUS: log (exp (x) + 1)
 * @OMNI_NN_UNARY_FLOOR: floor (x)
 * @OMNI_NN_UNARY_CEIL: ceil (x)
 * @OMNI_NN_UNARY_N_KINDS: number of kinds
 */
typedef enum {
  OMNI_NN_UNARY_LEAKY_RELU,
  OMNI_NN_UNARY_HARD_SIGMOID,
  OMNI_NN_UNARY_HARD_SWISH,
  OMNI_NN_UNARY_CLIP,
  OMNI_NN_UNARY_SQRT,
  OMNI_NN_UNARY_EXP,
  OMNI_NN_UNARY_LOG,
  OMNI_NN_UNARY_ABS,
  OMNI_NN_UNARY_NEG,
  OMNI_NN_UNARY_POW,
  OMNI_NN_UNARY_ELU,
  OMNI_NN_UNARY_RECIPROCAL,
  OMNI_NN_UNARY_SOFTPLUS,
  OMNI_NN_UNARY_FLOOR,
  OMNI_NN_UNARY_CEIL,
  OMNI_NN_UNARY_N_KINDS
} OmniNnUnaryKind;

/**
 * OmniNnUnaryParams:
 * @n: elements
 * @kind: the function
 * @alpha: its first parameter (see #OmniNnUnaryKind)
 * @beta: its second parameter
 */
typedef struct {
  gsize n;
  OmniNnUnaryKind kind;
  gfloat alpha, beta;
} OmniNnUnaryParams;

/**
 * OmniNnReduceKind:
 * @OMNI_NN_REDUCE_MEAN: mean
 * @OMNI_NN_REDUCE_MAX: maximum
 * @OMNI_NN_REDUCE_MIN: minimum
 * @OMNI_NN_REDUCE_SUM: sum
 * @OMNI_NN_REDUCE_SUM_SQUARE: sum of squares
 */
typedef enum {
  OMNI_NN_REDUCE_MEAN,
  OMNI_NN_REDUCE_MAX,
  OMNI_NN_REDUCE_MIN,
  OMNI_NN_REDUCE_SUM,
  OMNI_NN_REDUCE_SUM_SQUARE,
} OmniNnReduceKind;

/**
 * OmniNnReduceParams:
 * @outer: product of the dimensions before the reduced ones
 * @n: product of the reduced (adjacent) dimensions
 * @inner: product of the dimensions after them
 * @kind: the reduction
 *
 * out[o, i] = reduce over r < n of in[(o * n + r) * inner + i]; an output
 * of [outer, inner] (the loader reshapes it as keepdims asks).
 */
typedef struct {
  guint outer, n, inner;
  OmniNnReduceKind kind;
} OmniNnReduceParams;

/**
 * OmniNnLstmParams:
 * @seq: time steps
 * @in: input features
 * @hidden: hidden size H
 * @reverse: run from the last step to the first (ONNX direction "reverse")
 *
 * ONNX LSTM (one direction, batch 1, gates i, o, f, c with sigmoid, tanh,
 * tanh; no peepholes, no clip): input 0 is X [seq, in], input 1 the initial
 * state [h0 (H), c0 (H)]; the weights are W [4H, in] then R [4H, H], the
 * bias Wb + Rb [4H]. Output: Y [seq, H], then Y_h [H], then Y_c [H].
 */
typedef struct {
  guint seq, in, hidden;
  gboolean reverse;
} OmniNnLstmParams;

/**
 * OmniNnPixelLayout:
 * @OMNI_NN_PIXEL_RGB: packed 24-bit R, G, B
 * @OMNI_NN_PIXEL_BGR: packed 24-bit B, G, R
 * @OMNI_NN_PIXEL_RGBX: packed 32-bit R, G, B, unused
 * @OMNI_NN_PIXEL_BGRX: packed 32-bit B, G, R, unused
 * @OMNI_NN_PIXEL_XRGB: packed 32-bit unused, R, G, B
 * @OMNI_NN_PIXEL_XBGR: packed 32-bit unused, B, G, R
 * @OMNI_NN_PIXEL_RGBA: packed 32-bit R, G, B, alpha (ignored)
 * @OMNI_NN_PIXEL_BGRA: packed 32-bit B, G, R, alpha (ignored)
 * @OMNI_NN_PIXEL_ARGB: packed 32-bit alpha (ignored), R, G, B
 * @OMNI_NN_PIXEL_ABGR: packed 32-bit alpha (ignored), B, G, R
 * @OMNI_NN_PIXEL_GRAY8: 8-bit luma, R = G = B = Y
 * @OMNI_NN_PIXEL_I420: planar Y, U, V; chroma subsampled 2x2
 * @OMNI_NN_PIXEL_NV12: planar Y, interleaved UV; chroma subsampled 2x2
 *
 * Frame layouts the pre-processing op reads, independent of GstVideoFormat
 * (see omni_nn_pixel_layout_from_video_format()).
 */
typedef enum {
  OMNI_NN_PIXEL_RGB,
  OMNI_NN_PIXEL_BGR,
  OMNI_NN_PIXEL_RGBX,
  OMNI_NN_PIXEL_BGRX,
  OMNI_NN_PIXEL_XRGB,
  OMNI_NN_PIXEL_XBGR,
  OMNI_NN_PIXEL_RGBA,
  OMNI_NN_PIXEL_BGRA,
  OMNI_NN_PIXEL_ARGB,
  OMNI_NN_PIXEL_ABGR,
  OMNI_NN_PIXEL_GRAY8,
  OMNI_NN_PIXEL_I420,
  OMNI_NN_PIXEL_NV12,
  OMNI_NN_PIXEL_N_LAYOUTS
} OmniNnPixelLayout;

/**
 * omni_nn_pixel_layout_packed:
 * @layout: a layout
 * @bytes_per_pixel: (out) (optional): bytes per pixel of plane 0
 * @r: (out) (optional): byte offset of R within a pixel
 * @g: (out) (optional): byte offset of G within a pixel
 * @b: (out) (optional): byte offset of B within a pixel
 *
 * Returns: %TRUE for the packed RGB layouts (RGB ... ABGR), %FALSE for
 * GRAY8, I420 and NV12 (outputs untouched).
 */
OMNI_API gboolean omni_nn_pixel_layout_packed (OmniNnPixelLayout layout,
    guint *bytes_per_pixel, guint *r, guint *g, guint *b);

/**
 * omni_nn_pixel_layout_from_video_format:
 * @format: a #GstVideoFormat
 * @layout: (out): the matching layout
 *
 * Returns: %FALSE when the pre-processing op cannot read @format.
 */
OMNI_API gboolean omni_nn_pixel_layout_from_video_format (
    GstVideoFormat format, OmniNnPixelLayout *layout);

/**
 * OmniNnYuvMatrix:
 * @OMNI_NN_YUV_BT601: ITU-R BT.601 (Kr = 0.299, Kb = 0.114)
 * @OMNI_NN_YUV_BT709: ITU-R BT.709 (Kr = 0.2126, Kb = 0.0722)
 * @OMNI_NN_YUV_BT2020: ITU-R BT.2020 (Kr = 0.2627, Kb = 0.0593)
 */
typedef enum {
  OMNI_NN_YUV_BT601,
  OMNI_NN_YUV_BT709,
  OMNI_NN_YUV_BT2020,
} OmniNnYuvMatrix;

/**
 * omni_nn_yuv_to_rgb_coefficients:
 * @matrix: the colour matrix
 * @full_range: %TRUE for full-range (0-255) Y'CbCr, %FALSE for studio range
 *   (Y 16-235, C 16-240)
 * @m: (out) (array fixed-size=12): row-major 3x4 matrix such that
 *   R = m[0] * Y + m[1] * U + m[2] * V + m[3] (G: m[4..7], B: m[8..11]),
 *   with Y, U, V and R, G, B as 8-bit code values (0..255, RGB not clamped)
 */
OMNI_API void omni_nn_yuv_to_rgb_coefficients (
    OmniNnYuvMatrix matrix, gboolean full_range, gfloat m[12]);

/**
 * OmniNnPreprocessParams:
 * @layout: the frame's layout
 * @in_w: frame width in pixels
 * @in_h: frame height in pixels
 * @strides: bytes per row of each plane (plane 0 only for packed and GRAY8;
 *   0, 1, 2 = Y, U, V for I420; 0, 1 = Y, UV for NV12)
 * @offsets: byte offset of each plane from the start of the frame data
 * @matrix: colour matrix for I420/NV12
 * @full_range: whether the YUV is full range
 * @out_w: output width
 * @out_h: output height
 * @align_corners: tf.image.resizeBilinear's alignCorners
 * @scale: normalisation: out = value * @scale + @offset, value in [0, 255]
 * @offset: see @scale
 *
 * Video frame -> RGB float [out_h, out_w, 3]. Pixels are first converted to
 * RGB code values (YUV through omni_nn_yuv_to_rgb_coefficients(), chroma
 * sampled at (x / 2, y / 2), the result clamped to [0, 255]), then resized
 * with bilinear interpolation exactly as tf.image.resizeBilinear with
 * halfPixelCenters = false: with ratio = in / out (or (in - 1) / (out - 1)
 * when @align_corners and out > 1), source coordinate s = dst * ratio,
 * s0 = floor (s), s1 = min (s0 + 1, in - 1), weight s - s0; then
 * normalised. When in == out the op is an exact copy of the pixels.
 */
typedef struct {
  OmniNnPixelLayout layout;
  guint in_w, in_h;
  guint strides[3];
  gsize offsets[3];
  OmniNnYuvMatrix matrix;
  gboolean full_range;
  guint out_w, out_h;
  gboolean align_corners;
  gfloat scale, offset;
} OmniNnPreprocessParams;

/**
 * omni_nn_preprocess_params_from_video_info:
 * @p: (out): parameters to fill
 * @info: the frame's #GstVideoInfo
 * @out_w: output width
 * @out_h: output height
 * @align_corners: resize mode
 * @scale: normalisation scale
 * @offset: normalisation offset
 *
 * Fills @p from @info (layout, size, strides, offsets, colour matrix and
 * range from the colorimetry).
 *
 * Returns: %FALSE when @info's format is not supported.
 */
OMNI_API gboolean omni_nn_preprocess_params_from_video_info (
    OmniNnPreprocessParams *p, const GstVideoInfo *info, guint out_w,
    guint out_h, gboolean align_corners, gfloat scale, gfloat offset);

/**
 * omni_nn_preprocess_frame_size:
 * @p: parameters
 *
 * Returns: the smallest number of bytes a frame described by @p occupies
 * (last plane's offset + its rows * stride), for bounds checks.
 */
OMNI_API gsize omni_nn_preprocess_frame_size (const OmniNnPreprocessParams *p);

/**
 * OmniNnOpParams:
 *
 * The parameters of a graph node; which member is valid depends on the
 * node's #OmniNnOpType.
 */
typedef union {
  OmniNnPreprocessParams preprocess;
  OmniNnConv2dParams conv2d;
  OmniNnDepthwiseConv2dParams depthwise;
  OmniNnGemmParams gemm;
  OmniNnPadParams pad;
  OmniNnEltwiseParams eltwise;
  OmniNnPoolParams pool;
  OmniNnSoftmaxParams softmax;
  OmniNnChannelParams channel;
  OmniNnPool2dParams pool2d;
  OmniNnBinaryParams binary;
  OmniNnConcatParams concat;
  OmniNnResizeParams resize;
  OmniNnHardSwishParams hard_swish;
  OmniNnSliceParams slice;
  OmniNnStridedParams strided;
  OmniNnUnaryParams unary;
  OmniNnReduceParams reduce;
  OmniNnLstmParams lstm;
} OmniNnOpParams;

/* Plain-C references (omninnref.c). Output buffers are fully written. */

OMNI_API void omni_nn_ref_conv2d (const OmniNnConv2dParams *p, const gfloat *in,
    const gfloat *weights, const gfloat *bias, gfloat *out);

OMNI_API void omni_nn_ref_depthwise_conv2d (
    const OmniNnDepthwiseConv2dParams *p, const gfloat *in,
    const gfloat *weights, const gfloat *bias, gfloat *out);

/* Pointwise convolution and dense layers. */
OMNI_API void omni_nn_ref_gemm (const OmniNnGemmParams *p, const gfloat *in,
    const gfloat *weights, const gfloat *bias, gfloat *out);

OMNI_API void omni_nn_ref_pad (
    const OmniNnPadParams *p, const gfloat *in, gfloat *out);

OMNI_API void omni_nn_ref_add (const OmniNnEltwiseParams *p, const gfloat *a,
    const gfloat *b, gfloat *out);

OMNI_API void omni_nn_ref_activation (
    const OmniNnEltwiseParams *p, const gfloat *in, gfloat *out);

OMNI_API void omni_nn_ref_slice (
    const OmniNnSliceParams *p, const gfloat *in, gfloat *out);

OMNI_API void omni_nn_ref_global_avg_pool (
    const OmniNnPoolParams *p, const gfloat *in, gfloat *out);

OMNI_API void omni_nn_ref_softmax (
    const OmniNnSoftmaxParams *p, const gfloat *in, gfloat *out);

OMNI_API void omni_nn_ref_batch_norm (const OmniNnChannelParams *p,
    const gfloat *in, const gfloat *scale, const gfloat *shift, gfloat *out);

OMNI_API void omni_nn_ref_pool2d (
    const OmniNnPool2dParams *p, const gfloat *in, gfloat *out);

OMNI_API void omni_nn_ref_binary (
    const OmniNnBinaryParams *p, const gfloat *a, const gfloat *b, gfloat *out);

OMNI_API void omni_nn_ref_concat (
    const OmniNnConcatParams *p, const gfloat *a, const gfloat *b, gfloat *out);

OMNI_API void omni_nn_ref_hard_swish (
    const OmniNnHardSwishParams *p, const gfloat *in, gfloat *out);

OMNI_API void omni_nn_ref_resize (
    const OmniNnResizeParams *p, const gfloat *in, gfloat *out);

OMNI_API void omni_nn_ref_strided (
    const OmniNnStridedParams *p, const gfloat *in, gfloat *out);

OMNI_API void omni_nn_ref_unary (
    const OmniNnUnaryParams *p, const gfloat *in, gfloat *out);

OMNI_API void omni_nn_ref_reduce (
    const OmniNnReduceParams *p, const gfloat *in, gfloat *out);

/* out[oy, ox, co] = act (bias[co] + sum over ky, kx, ci with
 * oy + pad_top - ky * dilation_h = iy * stride_h (0 <= iy < in_h), the
 * same for x, of in[iy, ix, ci] * w[ky, kx, ci, co]). */
OMNI_API void omni_nn_ref_conv_transpose (const OmniNnConv2dParams *p,
    const gfloat *in, const gfloat *weights, const gfloat *bias, gfloat *out);

/* @weights: W [4H, in] then R [4H, H]; @bias: (nullable) [4H]. */
OMNI_API void omni_nn_ref_lstm (const OmniNnLstmParams *p, const gfloat *x,
    const gfloat *state, const gfloat *weights, const gfloat *bias,
    gfloat *out);

/* @frame: the frame bytes, at least omni_nn_preprocess_frame_size() long;
 * @out: [out_h, out_w, 3]. */
OMNI_API void omni_nn_ref_preprocess (
    const OmniNnPreprocessParams *p, const guint8 *frame, gfloat *out);

G_END_DECLS

#endif /* __OMNI_NN_OPS_H__ */
