/* gst-omni: ops pointwise-conv2d and dense (both a GEMM)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnGemmParams *c = &n->params.gemm;
  const OmniNnTensor *in = omni_nn_node_input (g, n, 0);

  if (!c->m || !c->k || !c->n)
    return omni_nn_shape_fail (
        n, omni_nn_graph_tensor (g, n->output), "zero size", error);
  if (in->n_elements != (gsize) c->m * c->k || in->dims[in->n_dims - 1] != c->k)
    return omni_nn_shape_fail (n, in, "input", error);
  if (!omni_nn_const_size_is (g, n->weights, (gsize) c->k * c->n, FALSE))
    return omni_nn_shape_fail (n, NULL, "kernel", error);
  if (!omni_nn_const_size_is (g, n->bias, c->n, TRUE))
    return omni_nn_shape_fail (n, NULL, "bias", error);
  return TRUE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  if (p->gemm.m == 1)
    return omni_nn_set_shape (n_dims, dims, 1, p->gemm.n, 0, 0, 0);
  return omni_nn_set_shape (n_dims, dims, 2, p->gemm.m, p->gemm.n, 0, 0);
}

static guint64
count_macs (const OmniNnOpParams *p)
{
  return (guint64) p->gemm.m * p->gemm.k * p->gemm.n;
}

static OmniNnActivation *
activation (OmniNnOpParams *p)
{
  return &p->gemm.activation;
}

static gfloat *
alpha (OmniNnOpParams *p)
{
  return &p->gemm.alpha;
}

static guint
out_channels (const OmniNnOpParams *p)
{
  return p->gemm.n;
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  omni_nn_ref_gemm (&p->gemm, in[0], w, b, out);
}

const OmniNnOpInfo omni_nn_op_pointwise_conv2d = {
  .op = OMNI_NN_OP_POINTWISE_CONV2D,
  .name = "pointwise-conv2d",
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

const OmniNnOpInfo omni_nn_op_dense = {
  .op = OMNI_NN_OP_DENSE,
  .name = "dense",
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
