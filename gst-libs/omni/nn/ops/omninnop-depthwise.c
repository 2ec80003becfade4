/* gst-omni: op depthwise-conv2d
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnDepthwiseConv2dParams *c = &n->params.depthwise;
  const OmniNnTensor *out = omni_nn_graph_tensor (g, n->output);

  if (!c->stride_h || !c->stride_w || !c->dilation_h || !c->dilation_w
      || !c->kernel_h || !c->kernel_w || !c->out_h || !c->out_w
      || !c->depth_multiplier || c->out_c != c->in_c * c->depth_multiplier)
    return omni_nn_shape_fail (n, out,
        "zero stride, dilation, kernel or size, or out_c != in_c * mult",
        error);
  if (!omni_nn_activation_is (
          omni_nn_node_input (g, n, 0), c->in_h, c->in_w, c->in_c))
    return omni_nn_shape_fail (n, omni_nn_node_input (g, n, 0), "input", error);
  if (!omni_nn_const_size_is (
          g, n->weights, (gsize) c->kernel_h * c->kernel_w * c->out_c, FALSE))
    return omni_nn_shape_fail (n, NULL, "kernel", error);
  if (!omni_nn_const_size_is (g, n->bias, c->out_c, TRUE))
    return omni_nn_shape_fail (n, NULL, "bias", error);
  return TRUE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  return omni_nn_set_shape (n_dims, dims, 3, p->depthwise.out_h,
      p->depthwise.out_w, p->depthwise.out_c, 0);
}

static guint64
count_macs (const OmniNnOpParams *p)
{
  return (guint64) p->depthwise.out_h * p->depthwise.out_w * p->depthwise.out_c
         * p->depthwise.kernel_h * p->depthwise.kernel_w;
}

static OmniNnActivation *
activation (OmniNnOpParams *p)
{
  return &p->depthwise.activation;
}

static gfloat *
alpha (OmniNnOpParams *p)
{
  return &p->depthwise.alpha;
}

static guint
out_channels (const OmniNnOpParams *p)
{
  return p->depthwise.out_c;
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  omni_nn_ref_depthwise_conv2d (&p->depthwise, in[0], w, b, out);
}

const OmniNnOpInfo omni_nn_op_depthwise_conv2d = {
  .op = OMNI_NN_OP_DEPTHWISE_CONV2D,
  .name = "depthwise-conv2d",
  .n_inputs = 1,
  .has_weights = TRUE,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .count_macs = count_macs,
  .activation = activation,
  .alpha = alpha,
  .out_channels = out_channels,
  .reference = reference,
};
