/* gst-omni: XNNPACK fast paths of the CPU backend
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The heavy operators of a graph run through XNNPACK's operator API
 * (Dukhan et al., "XNNPACK: high-efficiency floating-point neural network
 * inference operators", the engine of TF.js's wasm backend and TFLite's
 * CPU delegate): an operator per node is created when the CPU backend
 * prepares a graph (XNNPACK packs the weights then), set up once on the
 * backend's activation buffers (they never move and shapes are fixed) and
 * run on a pthreadpool. One small table below says which ops have a fast
 * path; parameters XNNPACK cannot express (negative padding, functions it
 * lacks) leave the node on its plain-C reference (omninnops.h). One fast
 * path is not XNNPACK's (this version has no transpose): the strided
 * gather of ONNX graphs' transposes, a row-wise copy on the same pool.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnxnn.h"
#include "omninnop.h"

#include <math.h>
#include <string.h>
#include <pthreadpool.h>
#include <xnnpack.h>

GST_DEBUG_CATEGORY_STATIC (omni_nn_xnn_debug);
#define GST_CAT_DEFAULT omni_nn_xnn_debug

/* One node's operator; @post: an activation XNNPACK has no clamp for
 * (leaky ReLU, hard-swish), applied by the reference after it runs.
 * @gather: a strided node that reads only inside its source, run as rows
 * of a plain gather on the pool instead of an XNNPACK operator. */
typedef struct _XnnBlocks XnnBlocks;

typedef struct {
  xnn_operator_t op;
  OmniNnEltwiseParams post;
  gfloat *out;
  const OmniNnStridedParams *gather;
  const gfloat *in;
  XnnBlocks *blocks;
} XnnNode;

/* A convolution summed over blocks of input channels (see
 * prepare_conv2d_blocks; a depthwise one is one block): an operator per
 * block without bias, the block sums added in order, then the bias and the
 * output clamp. */
struct _XnnBlocks {
  xnn_operator_t *ops;
  guint n;
  gfloat *partial;
  const gfloat *bias;
  gsize n_out;
  guint out_c;
  gfloat lo, hi;
  xnn_operator_t add;    /* out += partial */
  xnn_operator_t finish; /* out = clamp (out + bias) */
  gfloat *zeros;         /* the bias of a node without one */
};

/* Input channels per partial sum of a convolution with a spatial kernel.
 * XNNPACK sums all taps x input channels of an output in one float32
 * accumulator, from the bias; onnxruntime's NCHWc convolutions (MLAS) sum a
 * block of 16 input channels (AVX-512) over all taps in registers, add the
 * blocks' sums to the output in order and the bias last. Long sums were
 * most of our difference from onnxruntime (docs/onnx.md, "Parity"): a 3x3
 * convolution over more channels runs as one XNNPACK operator per block
 * of 32 (twice MLAS's: as close to onnxruntime on PaddleOCR det, measured,
 * and half the extra passes over the output). */
#define XNN_SUM_BLOCK 32

struct _OmniNnXnn {
  const OmniNnGraph *graph;
  pthreadpool_t pool;
  XnnNode *nodes;
  guint n_fast;
};

/* One op's fast path: creates and sets up the operator of @n reading
 * @x and writing @out, filling @node->op (and @node->post). */
typedef gboolean (*XnnPrepareFunc) (OmniNnXnn *self, const OmniNnNode *n,
    const gfloat *const *x, gfloat *out, XnnNode *node);

gboolean
omni_nn_xnn_available (void)
{
  static gsize once = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&once)) {
    GST_DEBUG_CATEGORY_INIT (
        omni_nn_xnn_debug, "omninnxnn", 0, "XNNPACK fast paths of the CPU");
    ok = xnn_initialize (NULL) == xnn_status_success;
    if (!ok)
      GST_WARNING ("XNNPACK does not initialise on this CPU: the CPU backend "
                   "runs the plain-C references");
    g_once_init_leave (&once, 1);
  }
  return ok;
}

/* XNNPACK's output clamp for the fused activations it can clamp; the others
 * run unclamped with @post applied afterwards. */
static void
clamp_for (OmniNnActivation act, gfloat alpha, gsize n, gfloat *lo, gfloat *hi,
    OmniNnEltwiseParams *post)
{
  *lo = -INFINITY;
  *hi = INFINITY;
  post->activation = OMNI_NN_ACT_NONE;
  if (act == OMNI_NN_ACT_RELU || act == OMNI_NN_ACT_RELU6)
    *lo = 0.0f;
  if (act == OMNI_NN_ACT_RELU6)
    *hi = 6.0f;
  if (act != OMNI_NN_ACT_NONE && act != OMNI_NN_ACT_RELU
      && act != OMNI_NN_ACT_RELU6) {
    post->n = n;
    post->activation = act;
    post->alpha = alpha;
  }
}

static const gfloat *
const_data (OmniNnXnn *self, guint tensor)
{
  if (tensor == OMNI_NN_NO_TENSOR)
    return NULL;
  return omni_nn_graph_tensor (self->graph, tensor)->data;
}

/* Padding after the input that gives @out outputs, or -1 when XNNPACK's
 * output size cannot be made @out (negative padding before). */
static gint
pad_after (guint in, gint before, guint kernel, guint dilation, guint stride,
    guint out)
{
  gint64 eff = (gint64) (kernel - 1) * dilation + 1;
  gint64 after = (gint64) (out - 1) * stride + eff - in - before;

  if (before < 0 || out == 0)
    return -1;
  after = MAX (after, 0);
  if ((in + before + after - eff) / stride + 1 != out)
    return -1;
  return (gint) after;
}

static gboolean
check (enum xnn_status st, const OmniNnNode *n, const gchar *what)
{
  if (st == xnn_status_success)
    return TRUE;
  GST_DEBUG ("node '%s': XNNPACK %s failed (%d), C reference", n->name, what,
      (gint) st);
  return FALSE;
}

/* TF's [kh, kw, cin, cout] kernel as XNNPACK's [cout, kh, kw, cin] */
static gfloat *
to_ohwi (const OmniNnConv2dParams *p, const gfloat *w)
{
  gsize taps = (gsize) p->kernel_h * p->kernel_w, t, ci, co;
  gfloat *ohwi = g_new (gfloat, taps * p->in_c * p->out_c);

  for (t = 0; t < taps; t++)
    for (ci = 0; ci < p->in_c; ci++)
      for (co = 0; co < p->out_c; co++)
        ohwi[(co * taps + t) * p->in_c + ci]
            = w[(t * p->in_c + ci) * p->out_c + co];
  return ohwi;
}

/* conv-transpose: the full output's rows and columns beyond @out_h and
 * @out_w are XNNPACK's padding, or its adjustment when the output is longer
 * (an ONNX output_padding, less than the stride) */
static gboolean
prepare_conv_transpose (OmniNnXnn *self, const OmniNnNode *n,
    const gfloat *const *x, gfloat *out, XnnNode *node)
{
  const OmniNnConv2dParams *p = &n->params.conv2d;
  gint64 full_h = (gint64) (p->in_h - 1) * p->stride_h
                  + (gint64) (p->kernel_h - 1) * p->dilation_h + 1;
  gint64 full_w = (gint64) (p->in_w - 1) * p->stride_w
                  + (gint64) (p->kernel_w - 1) * p->dilation_w + 1;
  gint64 pb = full_h - p->pad_top - p->out_h;
  gint64 pr = full_w - p->pad_left - p->out_w;
  guint adj_h = pb < 0 ? (guint) -pb : 0, adj_w = pr < 0 ? (guint) -pr : 0;
  gfloat *ohwi, lo, hi;
  gboolean ok;

  if (p->pad_top < 0 || p->pad_left < 0 || adj_h >= p->stride_h
      || adj_w >= p->stride_w)
    return FALSE;
  ohwi = to_ohwi (p, const_data (self, n->weights));
  clamp_for (p->activation, p->alpha, (gsize) p->out_h * p->out_w * p->out_c,
      &lo, &hi, &node->post);
  ok = check (
      xnn_create_deconvolution2d_nhwc_f32 (p->pad_top, (guint) MAX (pr, 0),
          (guint) MAX (pb, 0), p->pad_left, p->kernel_h, p->kernel_w,
          p->stride_h, p->stride_w, p->dilation_h, p->dilation_w, 1, p->in_c,
          p->out_c, p->in_c, p->out_c, ohwi, const_data (self, n->bias), lo, hi,
          0, &node->op),
      n, "create deconvolution");
  g_free (ohwi);
  return ok
         && check (xnn_setup_deconvolution2d_nhwc_f32 (node->op, 1, p->in_h,
                       p->in_w, adj_h, adj_w, x[0], out, self->pool),
             n, "setup deconvolution");
}

static void
blocks_free (XnnBlocks *b)
{
  guint i;

  if (!b)
    return;
  for (i = 0; i < b->n; i++)
    if (b->ops[i])
      xnn_delete_operator (b->ops[i]);
  if (b->add)
    xnn_delete_operator (b->add);
  if (b->finish)
    xnn_delete_operator (b->finish);
  g_free (b->ops);
  g_free (b->partial);
  g_free (b->zeros);
  g_free (b);
}

/* @n blocks (a partial buffer when more than one) for @node, whose output
 * is @n_out values of @out_c channels, with @bias (nullable) and the clamp
 * of @act */
static XnnBlocks *
blocks_new (XnnNode *node, guint n, gsize n_out, guint out_c,
    const gfloat *bias, OmniNnActivation act, gfloat alpha)
{
  XnnBlocks *b = g_new0 (XnnBlocks, 1);

  b->n = n;
  b->ops = g_new0 (xnn_operator_t, n);
  b->n_out = n_out;
  b->partial = n > 1 ? g_new (gfloat, n_out) : NULL;
  b->bias = bias;
  b->out_c = out_c;
  clamp_for (act, alpha, n_out, &b->lo, &b->hi, &node->post);
  node->blocks = b;
  return b;
}

/* XNNPACK's adds (vectorised, on the pool) after the blocks: out +=
 * partial after each block but the first, then out = clamp (out + bias),
 * the bias broadcast over the pixels; none where nothing is left to do. */
static gboolean
setup_block_adds (
    OmniNnXnn *self, const OmniNnNode *n, XnnBlocks *b, gfloat *out)
{
  const size_t flat[1] = { b->n_out };
  const size_t pixels[2] = { b->n_out / b->out_c, b->out_c };
  const size_t channels[1] = { b->out_c };

  if (b->n > 1
      && !(check (xnn_create_add_nd_f32 (-INFINITY, INFINITY, 0, &b->add), n,
               "create block add")
           && check (xnn_setup_add_nd_f32 (b->add, 1, flat, 1, flat, out,
                         b->partial, out, self->pool),
               n, "setup block add")))
    return FALSE;
  if (!b->bias && isinf (b->lo) && isinf (b->hi))
    return TRUE;
  if (!b->bias)
    b->bias = b->zeros = g_new0 (gfloat, b->out_c);
  return check (xnn_create_add_nd_f32 (b->lo, b->hi, 0, &b->finish), n,
             "create bias add")
         && check (xnn_setup_add_nd_f32 (b->finish, 2, pixels, 1, channels, out,
                       b->bias, out, self->pool),
             n, "setup bias add");
}

/* the blocks' sums in order, then the bias and the clamp */
static gboolean
run_blocks (OmniNnXnn *self, XnnNode *node)
{
  XnnBlocks *b = node->blocks;
  guint i;

  for (i = 0; i < b->n; i++) {
    if (xnn_run_operator (b->ops[i], self->pool) != xnn_status_success
        || (i > 0
            && xnn_run_operator (b->add, self->pool) != xnn_status_success))
      return FALSE;
  }
  return !b->finish
         || xnn_run_operator (b->finish, self->pool) == xnn_status_success;
}

/* input channels [@c0, @c0 + @nc) of an [cout, taps, cin] kernel */
static gfloat *
block_kernel (
    const gfloat *ohwi, gsize taps, guint in_c, guint out_c, guint c0, guint nc)
{
  gfloat *w = g_new (gfloat, (gsize) out_c * taps * nc);
  gsize r;

  for (r = 0; r < (gsize) out_c * taps; r++)
    memcpy (w + r * nc, ohwi + r * in_c + c0, nc * sizeof (gfloat));
  return w;
}

/* conv2d summed in blocks (XNN_SUM_BLOCK): one XNNPACK convolution per
 * block of input channels, reading the block through the input's channel
 * stride; the first writes the output, the others a partial sum that
 * run_blocks() adds. */
static gboolean
prepare_conv2d_blocks (OmniNnXnn *self, const OmniNnNode *n,
    const gfloat *const *x, gfloat *out, XnnNode *node, gint pr, gint pb)
{
  const OmniNnConv2dParams *p = &n->params.conv2d;
  gsize taps = (gsize) p->kernel_h * p->kernel_w;
  gfloat *ohwi = to_ohwi (p, const_data (self, n->weights));
  XnnBlocks *b
      = blocks_new (node, (p->in_c + XNN_SUM_BLOCK - 1) / XNN_SUM_BLOCK,
          (gsize) p->out_h * p->out_w * p->out_c, p->out_c,
          const_data (self, n->bias), p->activation, p->alpha);
  gboolean ok = TRUE;
  guint i;

  for (i = 0; ok && i < b->n; i++) {
    guint c0 = i * XNN_SUM_BLOCK, nc = MIN (XNN_SUM_BLOCK, p->in_c - c0);
    gfloat *w = block_kernel (ohwi, taps, p->in_c, p->out_c, c0, nc);

    ok = check (
             xnn_create_convolution2d_nhwc_f32 (p->pad_top, pr, pb, p->pad_left,
                 p->kernel_h, p->kernel_w, p->stride_h, p->stride_w,
                 p->dilation_h, p->dilation_w, 1, nc, p->out_c, p->in_c,
                 p->out_c, w, NULL, -INFINITY, INFINITY, 0, &b->ops[i]),
             n, "create convolution block")
         && check (
             xnn_setup_convolution2d_nhwc_f32 (b->ops[i], 1, p->in_h, p->in_w,
                 x[0] + c0, i == 0 ? out : b->partial, self->pool),
             n, "setup convolution block");
    g_free (w);
  }
  g_free (ohwi);
  return ok && setup_block_adds (self, n, b, out);
}

/* conv2d */
static gboolean
prepare_conv2d (OmniNnXnn *self, const OmniNnNode *n, const gfloat *const *x,
    gfloat *out, XnnNode *node)
{
  const OmniNnConv2dParams *p = &n->params.conv2d;
  const gfloat *w = const_data (self, n->weights);
  gint pb = pad_after (
      p->in_h, p->pad_top, p->kernel_h, p->dilation_h, p->stride_h, p->out_h);
  gint pr = pad_after (
      p->in_w, p->pad_left, p->kernel_w, p->dilation_w, p->stride_w, p->out_w);
  gfloat *ohwi, lo, hi;
  gboolean ok;

  if (pb < 0 || pr < 0)
    return FALSE;
  if (p->sum_blocks && p->kernel_h * p->kernel_w > 1 && p->in_c > XNN_SUM_BLOCK)
    return prepare_conv2d_blocks (self, n, x, out, node, pr, pb);
  ohwi = to_ohwi (p, w);
  clamp_for (p->activation, p->alpha, (gsize) p->out_h * p->out_w * p->out_c,
      &lo, &hi, &node->post);
  ok = check (
      xnn_create_convolution2d_nhwc_f32 (p->pad_top, pr, pb, p->pad_left,
          p->kernel_h, p->kernel_w, p->stride_h, p->stride_w, p->dilation_h,
          p->dilation_w, 1, p->in_c, p->out_c, p->in_c, p->out_c, ohwi,
          const_data (self, n->bias), lo, hi, 0, &node->op),
      n, "create convolution");
  g_free (ohwi);
  return ok
         && check (xnn_setup_convolution2d_nhwc_f32 (
                       node->op, 1, p->in_h, p->in_w, x[0], out, self->pool),
             n, "setup convolution");
}

/* an XNNPACK depthwise convolution of @n into @op, summing from @bias
 * (nullable) and clamped to [@lo, @hi]: TF's [kh, kw, c, mult] is
 * XNNPACK's depthwise layout as is */
static gboolean
create_depthwise (OmniNnXnn *self, const OmniNnNode *n, const gfloat *x,
    gfloat *out, gint pr, gint pb, const gfloat *bias, gfloat lo, gfloat hi,
    xnn_operator_t *op)
{
  const OmniNnDepthwiseConv2dParams *p = &n->params.depthwise;

  return check (
             xnn_create_convolution2d_nhwc_f32 (p->pad_top, pr, pb, p->pad_left,
                 p->kernel_h, p->kernel_w, p->stride_h, p->stride_w,
                 p->dilation_h, p->dilation_w, p->in_c, 1, p->depth_multiplier,
                 p->in_c, p->out_c, const_data (self, n->weights), bias, lo, hi,
                 XNN_FLAG_DEPTHWISE_CONVOLUTION, op),
             n, "create depthwise convolution")
         && check (xnn_setup_convolution2d_nhwc_f32 (
                       *op, 1, p->in_h, p->in_w, x, out, self->pool),
             n, "setup depthwise convolution");
}

/* depthwise; with sum_blocks without the bias, which setup_block_adds()
 * adds after the taps' sum, as onnxruntime's depthwise kernels do (XNNPACK
 * starts the sum from it): on PaddleOCR det 7.0e-5 from onnxruntime
 * instead of 8.7e-5 (docs/onnx.md) */
static gboolean
prepare_depthwise (OmniNnXnn *self, const OmniNnNode *n, const gfloat *const *x,
    gfloat *out, XnnNode *node)
{
  const OmniNnDepthwiseConv2dParams *p = &n->params.depthwise;
  gsize n_out = (gsize) p->out_h * p->out_w * p->out_c;
  gint pb = pad_after (
      p->in_h, p->pad_top, p->kernel_h, p->dilation_h, p->stride_h, p->out_h);
  gint pr = pad_after (
      p->in_w, p->pad_left, p->kernel_w, p->dilation_w, p->stride_w, p->out_w);
  XnnBlocks *b;
  gfloat lo, hi;

  if (pb < 0 || pr < 0)
    return FALSE;
  if (!p->sum_blocks) {
    clamp_for (p->activation, p->alpha, n_out, &lo, &hi, &node->post);
    return create_depthwise (self, n, x[0], out, pr, pb,
        const_data (self, n->bias), lo, hi, &node->op);
  }
  b = blocks_new (node, 1, n_out, p->out_c, const_data (self, n->bias),
      p->activation, p->alpha);
  return create_depthwise (
             self, n, x[0], out, pr, pb, NULL, -INFINITY, INFINITY, &b->ops[0])
         && setup_block_adds (self, n, b, out);
}

/* Input channels per partial sum of a pointwise convolution: onnxruntime's
 * NCHWc pointwise kernel (and MLAS's SGEMM) sum at most 128 of them in
 * registers, then add the bias. Up to 128, XNNPACK's one operator (from the
 * bias) is as close to onnxruntime (measured). */
#define XNN_SUM_BLOCK_POINTWISE 128

/* a pointwise convolution over more than 128 input channels as onnxruntime
 * sums it: one XNNPACK GEMM per block of 128, the bias added after their
 * sum */
static gboolean
prepare_pointwise_blocks (OmniNnXnn *self, const OmniNnNode *n,
    const gfloat *const *x, gfloat *out, XnnNode *node)
{
  const OmniNnGemmParams *p = &n->params.gemm;
  XnnBlocks *b = blocks_new (node,
      (p->k + XNN_SUM_BLOCK_POINTWISE - 1) / XNN_SUM_BLOCK_POINTWISE,
      (gsize) p->m * p->n, p->n, const_data (self, n->bias), p->activation,
      p->alpha);
  const gfloat *w = const_data (self, n->weights);
  gboolean ok = TRUE;
  guint i;

  for (i = 0; ok && i < b->n; i++) {
    guint c0 = i * XNN_SUM_BLOCK_POINTWISE;
    guint nc = MIN (XNN_SUM_BLOCK_POINTWISE, p->k - c0);

    ok = check (xnn_create_fully_connected_nc_f32 (nc, p->n, p->k, p->n,
                    w + (gsize) c0 * p->n, NULL, -INFINITY, INFINITY,
                    XNN_FLAG_TRANSPOSE_WEIGHTS, &b->ops[i]),
             n, "create fully connected block")
         && check (xnn_setup_fully_connected_nc_f32 (b->ops[i], p->m, x[0] + c0,
                       i == 0 ? out : b->partial, self->pool),
             n, "setup fully connected block");
  }
  return ok && setup_block_adds (self, n, b, out);
}

/* pointwise and dense: [m, k] x [k, n], the kernel given as [in, out]; a
 * dense layer (ONNX's Gemm, which onnxruntime starts from the bias) in one
 * XNNPACK operator, a long pointwise convolution in blocks */
static gboolean
prepare_gemm (OmniNnXnn *self, const OmniNnNode *n, const gfloat *const *x,
    gfloat *out, XnnNode *node)
{
  const OmniNnGemmParams *p = &n->params.gemm;
  gfloat lo, hi;

  if (n->op == OMNI_NN_OP_POINTWISE_CONV2D && p->sum_blocks
      && p->k > XNN_SUM_BLOCK_POINTWISE)
    return prepare_pointwise_blocks (self, n, x, out, node);
  clamp_for (
      p->activation, p->alpha, (gsize) p->m * p->n, &lo, &hi, &node->post);
  return check (xnn_create_fully_connected_nc_f32 (p->k, p->n, p->k, p->n,
                    const_data (self, n->weights), const_data (self, n->bias),
                    lo, hi, XNN_FLAG_TRANSPOSE_WEIGHTS, &node->op),
             n, "create fully connected")
         && check (xnn_setup_fully_connected_nc_f32 (
                       node->op, p->m, x[0], out, self->pool),
             n, "setup fully connected");
}

static gboolean
prepare_pool2d (OmniNnXnn *self, const OmniNnNode *n, const gfloat *const *x,
    gfloat *out, XnnNode *node)
{
  const OmniNnPool2dParams *p = &n->params.pool2d;
  gint pb
      = pad_after (p->in_h, p->pad_top, p->kernel_h, 1, p->stride_h, p->out_h);
  gint pr
      = pad_after (p->in_w, p->pad_left, p->kernel_w, 1, p->stride_w, p->out_w);
  enum xnn_status st;

  /* a window wholly in the padding has no defined XNNPACK result */
  if (pb < 0 || pr < 0 || p->pad_top >= (gint) p->kernel_h
      || p->pad_left >= (gint) p->kernel_w || pb >= (gint) p->kernel_h
      || pr >= (gint) p->kernel_w)
    return FALSE;
  if (p->max)
    st = xnn_create_max_pooling2d_nhwc_f32 (p->pad_top, pr, pb, p->pad_left,
        p->kernel_h, p->kernel_w, p->stride_h, p->stride_w, 1, 1, p->c, p->c,
        p->c, -INFINITY, INFINITY, 0, &node->op);
  else
    st = xnn_create_average_pooling2d_nhwc_f32 (p->pad_top, pr, pb, p->pad_left,
        p->kernel_h, p->kernel_w, p->stride_h, p->stride_w, p->c, p->c, p->c,
        -INFINITY, INFINITY, 0, &node->op);
  if (!check (st, n, "create pooling"))
    return FALSE;
  if (p->max)
    st = xnn_setup_max_pooling2d_nhwc_f32 (
        node->op, 1, p->in_h, p->in_w, x[0], out, self->pool);
  else
    st = xnn_setup_average_pooling2d_nhwc_f32 (
        node->op, 1, p->in_h, p->in_w, x[0], out, self->pool);
  return check (st, n, "setup pooling");
}

static gboolean
prepare_global_pool (OmniNnXnn *self, const OmniNnNode *n,
    const gfloat *const *x, gfloat *out, XnnNode *node)
{
  const OmniNnPoolParams *p = &n->params.pool;

  return check (xnn_create_global_average_pooling_nwc_f32 (
                    p->c, p->c, p->c, -INFINITY, INFINITY, 0, &node->op),
             n, "create global average pooling")
         && check (xnn_setup_global_average_pooling_nwc_f32 (
                       node->op, 1, (gsize) p->h * p->w, x[0], out, self->pool),
             n, "setup global average pooling");
}

/* ADD: out = act (a + b), same shapes */
static gboolean
prepare_add (OmniNnXnn *self, const OmniNnNode *n, const gfloat *const *x,
    gfloat *out, XnnNode *node)
{
  const OmniNnEltwiseParams *p = &n->params.eltwise;
  const size_t shape[1] = { p->n };
  gfloat lo, hi;

  clamp_for (p->activation, p->alpha, p->n, &lo, &hi, &node->post);
  return check (xnn_create_add_nd_f32 (lo, hi, 0, &node->op), n, "create add")
         && check (xnn_setup_add_nd_f32 (node->op, 1, shape, 1, shape, x[0],
                       x[1], out, self->pool),
             n, "setup add");
}

static enum xnn_status
create_binary (OmniNnBinaryKind kind, xnn_operator_t *op)
{
  switch (kind) {
  case OMNI_NN_BINARY_ADD:
    return xnn_create_add_nd_f32 (-INFINITY, INFINITY, 0, op);
  case OMNI_NN_BINARY_SUB:
    return xnn_create_subtract_nd_f32 (-INFINITY, INFINITY, 0, op);
  case OMNI_NN_BINARY_MUL:
    return xnn_create_multiply_nd_f32 (-INFINITY, INFINITY, 0, op);
  case OMNI_NN_BINARY_DIV:
    return xnn_create_divide_nd_f32 (-INFINITY, INFINITY, 0, op);
  case OMNI_NN_BINARY_MAX:
    return xnn_create_maximum_nd_f32 (0, op);
  case OMNI_NN_BINARY_MIN:
    return xnn_create_minimum_nd_f32 (0, op);
  default:
    return xnn_status_unsupported_parameter;
  }
}

typedef enum xnn_status (*XnnSetupBinary) (xnn_operator_t, size_t,
    const size_t *, size_t, const size_t *, const float *, const float *,
    float *, pthreadpool_t);

static const XnnSetupBinary setup_binary[OMNI_NN_BINARY_N_KINDS] = {
  [OMNI_NN_BINARY_ADD] = xnn_setup_add_nd_f32,
  [OMNI_NN_BINARY_SUB] = xnn_setup_subtract_nd_f32,
  [OMNI_NN_BINARY_MUL] = xnn_setup_multiply_nd_f32,
  [OMNI_NN_BINARY_DIV] = xnn_setup_divide_nd_f32,
  [OMNI_NN_BINARY_MAX] = xnn_setup_maximum_nd_f32,
  [OMNI_NN_BINARY_MIN] = xnn_setup_minimum_nd_f32,
};

/* BINARY and BINARY_CONST: NumPy broadcasting, as XNNPACK's *_nd */
static gboolean
prepare_binary (OmniNnXnn *self, const OmniNnNode *n, const gfloat *const *x,
    gfloat *out, XnnNode *node)
{
  const OmniNnBinaryParams *p = &n->params.binary;
  const gfloat *b
      = n->op == OMNI_NN_OP_BINARY_CONST ? const_data (self, n->weights) : x[1];
  size_t da[4], db[4];
  guint i;

  if ((guint) p->kind >= OMNI_NN_BINARY_N_KINDS)
    return FALSE;
  for (i = 0; i < p->n_dims; i++) {
    da[i] = p->a_dims[i];
    db[i] = p->b_dims[i];
  }
  if (!check (create_binary (p->kind, &node->op), n, "create binary"))
    return FALSE;
  if (p->swap)
    return check (setup_binary[p->kind](node->op, p->n_dims, db, p->n_dims, da,
                      b, x[0], out, self->pool),
        n, "setup binary");
  return check (setup_binary[p->kind](node->op, p->n_dims, da, p->n_dims, db,
                    x[0], b, out, self->pool),
      n, "setup binary");
}

/* a stand-alone activation: the ReLUs as a clamp, sigmoid, leaky ReLU */
static gboolean
prepare_activation (OmniNnXnn *self, const OmniNnNode *n,
    const gfloat *const *x, gfloat *out, XnnNode *node)
{
  const OmniNnEltwiseParams *p = &n->params.eltwise;
  enum xnn_status st;

  switch (p->activation) {
  case OMNI_NN_ACT_RELU:
  case OMNI_NN_ACT_RELU6:
    st = xnn_create_clamp_nc_f32 (1, 1, 1, 0.0f,
        p->activation == OMNI_NN_ACT_RELU ? INFINITY : 6.0f, 0, &node->op);
    break;
  case OMNI_NN_ACT_SIGMOID:
    st = xnn_create_sigmoid_nc_f32 (1, 1, 1, 0, &node->op);
    break;
  case OMNI_NN_ACT_LEAKY_RELU:
    st = xnn_create_leaky_relu_nc_f32 (1, 1, 1, p->alpha, 0, &node->op);
    break;
  default:
    return FALSE;
  }
  if (!check (st, n, "create activation"))
    return FALSE;
  switch (p->activation) {
  case OMNI_NN_ACT_SIGMOID:
    st = xnn_setup_sigmoid_nc_f32 (node->op, p->n, x[0], out, self->pool);
    break;
  case OMNI_NN_ACT_LEAKY_RELU:
    st = xnn_setup_leaky_relu_nc_f32 (node->op, p->n, x[0], out, self->pool);
    break;
  default:
    st = xnn_setup_clamp_nc_f32 (node->op, p->n, x[0], out, self->pool);
    break;
  }
  return check (st, n, "setup activation");
}

static gboolean
prepare_softmax (OmniNnXnn *self, const OmniNnNode *n, const gfloat *const *x,
    gfloat *out, XnnNode *node)
{
  const OmniNnSoftmaxParams *p = &n->params.softmax;

  return check (xnn_create_softmax_nc_f32 (p->n, p->n, p->n, 0, &node->op), n,
             "create softmax")
         && check (xnn_setup_softmax_nc_f32 (
                       node->op, p->rows, x[0], out, self->pool),
             n, "setup softmax");
}

/* A unary function XNNPACK has (the ReLU-like ones, hard-swish, clip,
 * square root, abs, negation, square, ELU, floor, ceiling): as
 * omni_nn_ref_unary(), within float rounding. Hard-sigmoid, exp, log,
 * reciprocal, softplus and other powers keep the reference. */
static enum xnn_status
create_unary (const OmniNnUnaryParams *p, xnn_operator_t *op)
{
  switch (p->kind) {
  case OMNI_NN_UNARY_LEAKY_RELU:
    return xnn_create_leaky_relu_nc_f32 (1, 1, 1, p->alpha, 0, op);
  case OMNI_NN_UNARY_HARD_SWISH:
    return xnn_create_hardswish_nc_f32 (1, 1, 1, 0, op);
  case OMNI_NN_UNARY_CLIP:
    if (!(p->alpha < p->beta))
      return xnn_status_unsupported_parameter;
    return xnn_create_clamp_nc_f32 (1, 1, 1, p->alpha, p->beta, 0, op);
  case OMNI_NN_UNARY_SQRT:
    return xnn_create_square_root_nc_f32 (1, 1, 1, 0, op);
  case OMNI_NN_UNARY_ABS:
    return xnn_create_abs_nc_f32 (1, 1, 1, 0, op);
  case OMNI_NN_UNARY_NEG:
    return xnn_create_negate_nc_f32 (1, 1, 1, 0, op);
  case OMNI_NN_UNARY_POW:
    if (p->alpha != 2.0f)
      return xnn_status_unsupported_parameter;
    return xnn_create_square_nc_f32 (1, 1, 1, 0, op);
  case OMNI_NN_UNARY_ELU:
    return xnn_create_elu_nc_f32 (1, 1, 1, p->alpha, 0, op);
  case OMNI_NN_UNARY_FLOOR:
    return xnn_create_floor_nc_f32 (1, 1, 1, 0, op);
  case OMNI_NN_UNARY_CEIL:
    return xnn_create_ceiling_nc_f32 (1, 1, 1, 0, op);
  default:
    return xnn_status_unsupported_parameter;
  }
}

typedef enum xnn_status (*XnnSetupUnary) (
    xnn_operator_t, size_t, const float *, float *, pthreadpool_t);

static const XnnSetupUnary setup_unary[OMNI_NN_UNARY_N_KINDS] = {
  [OMNI_NN_UNARY_LEAKY_RELU] = xnn_setup_leaky_relu_nc_f32,
  [OMNI_NN_UNARY_HARD_SWISH] = xnn_setup_hardswish_nc_f32,
  [OMNI_NN_UNARY_CLIP] = xnn_setup_clamp_nc_f32,
  [OMNI_NN_UNARY_SQRT] = xnn_setup_square_root_nc_f32,
  [OMNI_NN_UNARY_ABS] = xnn_setup_abs_nc_f32,
  [OMNI_NN_UNARY_NEG] = xnn_setup_negate_nc_f32,
  [OMNI_NN_UNARY_POW] = xnn_setup_square_nc_f32,
  [OMNI_NN_UNARY_ELU] = xnn_setup_elu_nc_f32,
  [OMNI_NN_UNARY_FLOOR] = xnn_setup_floor_nc_f32,
  [OMNI_NN_UNARY_CEIL] = xnn_setup_ceiling_nc_f32,
};

static gboolean
prepare_unary (OmniNnXnn *self, const OmniNnNode *n, const gfloat *const *x,
    gfloat *out, XnnNode *node)
{
  const OmniNnUnaryParams *p = &n->params.unary;

  if ((guint) p->kind >= OMNI_NN_UNARY_N_KINDS || !setup_unary[p->kind])
    return FALSE;
  return check (create_unary (p, &node->op), n, "create unary")
         && check (setup_unary[p->kind](node->op, p->n, x[0], out, self->pool),
             n, "setup unary");
}

/* strided (ONNX's transposes, slices, splits, expands): when every read
 * falls inside the source (no padding), rows of the innermost dimension
 * are gathered with the source offsets computed once per row instead of
 * per element. The source coordinate is linear in each output index, so
 * checking both ends of each dimension is enough. */
static gboolean
prepare_strided (OmniNnXnn *self, const OmniNnNode *n, const gfloat *const *x,
    gfloat *out, XnnNode *node)
{
  const OmniNnStridedParams *p = &n->params.strided;
  gint64 lo = p->offset, hi = p->offset;
  guint d;

  if (p->n_dims < 1 || p->n_dims > 4)
    return FALSE;
  for (d = 0; d < p->n_dims; d++) {
    gint64 first = p->start[d];
    gint64 last = first + (gint64) (p->dims[d] - 1) * p->step[d];

    if (p->dims[d] == 0 || MIN (first, last) < 0
        || MAX (first, last) >= (gint64) p->extent[d])
      return FALSE;
    lo += MIN (first * p->stride[d], last * p->stride[d]);
    hi += MAX (first * p->stride[d], last * p->stride[d]);
  }
  if (lo < 0 || hi >= (gint64) p->in_n)
    return FALSE;
  node->gather = p;
  node->in = x[0];
  return TRUE;
}

static void
gather_row (gpointer data, size_t row)
{
  const XnnNode *node = data;
  const OmniNnStridedParams *p = node->gather;
  guint last = p->n_dims - 1, k;
  gsize r = row;
  gint64 src = p->offset;
  gint64 step = (gint64) p->step[last] * p->stride[last];
  const gfloat *in;
  gfloat *o = node->out + row * p->dims[last];
  gint d;

  for (d = (gint) last - 1; d >= 0; d--) {
    src += (p->start[d] + (gint64) (r % p->dims[d]) * p->step[d])
           * p->stride[d];
    r /= p->dims[d];
  }
  in = node->in + src + (gint64) p->start[last] * p->stride[last];
  if (step == 1) {
    memcpy (o, in, p->dims[last] * sizeof (gfloat));
    return;
  }
  for (k = 0; k < p->dims[last]; k++)
    o[k] = in[(gint64) k * step];
}

static void
run_gather (OmniNnXnn *self, XnnNode *node)
{
  const OmniNnStridedParams *p = node->gather;
  gsize rows = 1;
  guint d;

  for (d = 0; d + 1 < p->n_dims; d++)
    rows *= p->dims[d];
  pthreadpool_parallelize_1d (self->pool, gather_row, node, rows, 0);
}

/* bilinear resize in TF's three coordinate modes (half-pixel centres,
 * align_corners, neither: XNNPACK's "legacy" mode); nearest neighbour keeps
 * the reference */
static gboolean
prepare_resize (OmniNnXnn *self, const OmniNnNode *n, const gfloat *const *x,
    gfloat *out, XnnNode *node)
{
  const OmniNnResizeParams *p = &n->params.resize;
  guint32 flags = 0;

  if (p->nearest || (p->align_corners && p->half_pixel_centers))
    return FALSE;
  if (p->align_corners)
    flags = XNN_FLAG_ALIGN_CORNERS;
  else if (!p->half_pixel_centers)
    flags = XNN_FLAG_TENSORFLOW_LEGACY_MODE;
  return check (xnn_create_resize_bilinear2d_nhwc_f32 (
                    p->c, p->c, p->c, flags, &node->op),
             n, "create resize")
         && check (xnn_setup_resize_bilinear2d_nhwc_f32 (node->op, 1, p->in_h,
                       p->in_w, p->out_h, p->out_w, x[0], out, self->pool),
             n, "setup resize");
}

/* The ops with a fast path; the others run their C reference. */
static const XnnPrepareFunc fast_paths[OMNI_NN_OP_N_OPS] = {
  [OMNI_NN_OP_CONV2D] = prepare_conv2d,
  [OMNI_NN_OP_DEPTHWISE_CONV2D] = prepare_depthwise,
  [OMNI_NN_OP_POINTWISE_CONV2D] = prepare_gemm,
  [OMNI_NN_OP_DENSE] = prepare_gemm,
  [OMNI_NN_OP_POOL2D] = prepare_pool2d,
  [OMNI_NN_OP_GLOBAL_AVG_POOL] = prepare_global_pool,
  [OMNI_NN_OP_ADD] = prepare_add,
  [OMNI_NN_OP_BINARY] = prepare_binary,
  [OMNI_NN_OP_BINARY_CONST] = prepare_binary,
  [OMNI_NN_OP_ACTIVATION] = prepare_activation,
  [OMNI_NN_OP_SOFTMAX] = prepare_softmax,
  [OMNI_NN_OP_UNARY] = prepare_unary,
  [OMNI_NN_OP_STRIDED] = prepare_strided,
  [OMNI_NN_OP_CONV_TRANSPOSE] = prepare_conv_transpose,
  [OMNI_NN_OP_RESIZE] = prepare_resize,
};

/* OMNI_NN_CPU_THREADS, else half the logical CPUs (the physical cores of
 * an SMT machine), at least 1: every operator waits for its slowest
 * thread, so threads that other processes' work deschedules cost a time
 * slice per operator (docs/benchmarks.md: on the shared 2-core machine 2
 * threads ran BlazeFace 23x slower than 1). */
static guint
n_threads (void)
{
  const gchar *env = g_getenv ("OMNI_NN_CPU_THREADS");
  guint64 n = 0;

  if (env && g_ascii_string_to_unsigned (env, 10, 1, 256, &n, NULL))
    return (guint) n;
  return MAX (g_get_num_processors () / 2, 1);
}

OmniNnXnn *
omni_nn_xnn_new (const OmniNnGraph *graph)
{
  OmniNnXnn *self;

  if (!omni_nn_xnn_available ())
    return NULL;
  self = g_new0 (OmniNnXnn, 1);
  self->graph = graph;
  self->nodes = g_new0 (XnnNode, graph->nodes->len);
  /* one pool per state: replicas run at once without queueing on a pool */
  self->pool = pthreadpool_create (n_threads ());
  return self;
}

gboolean
omni_nn_xnn_prepare_node (
    OmniNnXnn *self, guint i, const gfloat *const *inputs, gfloat *output)
{
  const OmniNnNode *n = omni_nn_graph_node (self->graph, i);
  XnnNode *node = &self->nodes[i];

  if ((guint) n->op >= OMNI_NN_OP_N_OPS || !fast_paths[n->op]) {
    GST_LOG ("node '%s': op %s has no XNNPACK path, C reference", n->name,
        omni_nn_op_type_name (n->op));
    return FALSE;
  }
  node->post.activation = OMNI_NN_ACT_NONE;
  node->out = output;
  if (!fast_paths[n->op](self, n, inputs, output, node)) {
    if (node->op)
      xnn_delete_operator (node->op);
    node->op = NULL;
    blocks_free (node->blocks);
    node->blocks = NULL;
    return FALSE;
  }
  self->n_fast++;
  return TRUE;
}

gboolean
omni_nn_xnn_run_node (OmniNnXnn *self, guint i)
{
  XnnNode *node = &self->nodes[i];

  if (node->gather) {
    run_gather (self, node);
    return TRUE;
  }
  if (node->blocks) {
    if (!run_blocks (self, node))
      return FALSE;
  } else if (!node->op
             || xnn_run_operator (node->op, self->pool) != xnn_status_success) {
    return FALSE;
  }
  if (node->post.activation != OMNI_NN_ACT_NONE)
    omni_nn_ref_activation (&node->post, node->out, node->out);
  return TRUE;
}

guint
omni_nn_xnn_get_n_fast (OmniNnXnn *self)
{
  return self ? self->n_fast : 0;
}

guint
omni_nn_xnn_get_n_threads (OmniNnXnn *self)
{
  return self && self->pool ? pthreadpool_get_threads_count (self->pool) : 1;
}

void
omni_nn_xnn_free (OmniNnXnn *self)
{
  guint i;

  if (!self)
    return;
  for (i = 0; i < self->graph->nodes->len; i++) {
    if (self->nodes[i].op)
      xnn_delete_operator (self->nodes[i].op);
    blocks_free (self->nodes[i].blocks);
  }
  if (self->pool)
    pthreadpool_destroy (self->pool);
  g_free (self->nodes);
  g_free (self);
}
