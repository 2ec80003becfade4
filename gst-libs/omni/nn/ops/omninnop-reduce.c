/* gst-omni: op reduce (mean, max, min, sum, sum of squares over adjacent
 * axes: ONNX ReduceMean, ReduceMax, ReduceMin, ReduceSum, ReduceSumSquare,
 * GlobalMaxPool)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

/* Max or min of one output's @n values, @stride apart. */
static gfloat
extreme (const gfloat *x, guint n, gsize stride, gboolean max)
{
  gfloat acc = x[0];
  guint r;

  for (r = 1; r < n; r++) {
    gfloat v = x[(gsize) r * stride];

    acc = max ? MAX (acc, v) : MIN (acc, v);
  }
  return acc;
}

/* Sum (of squares) of one output's @n values, @stride apart, with Kahan's
 * compensated summation (Kahan 1965, "Further remarks on reducing
 * truncation errors", CACM 8(1)): the error stays at a few ulp whatever
 * @n, where a plain float sum's grows with it (a global average pool over
 * 160x160 positions adds 25600 values). nn_reduce.comp does the same. */
static gfloat
kahan_sum (const gfloat *x, guint n, gsize stride, gboolean squares)
{
  gfloat sum = 0, c = 0;
  guint r;

  for (r = 0; r < n; r++) {
    gfloat v = x[(gsize) r * stride];
    gfloat y = (squares ? v * v : v) - c;
    gfloat t = sum + y;

    c = (t - sum) - y;
    sum = t;
  }
  return sum;
}

void
omni_nn_ref_reduce (const OmniNnReduceParams *p, const gfloat *in, gfloat *out)
{
  guint o, i;

  for (o = 0; o < p->outer; o++) {
    for (i = 0; i < p->inner; i++) {
      const gfloat *x = in + (gsize) o * p->n * p->inner + i;
      gfloat acc;

      if (p->kind == OMNI_NN_REDUCE_MAX || p->kind == OMNI_NN_REDUCE_MIN)
        acc = extreme (x, p->n, p->inner, p->kind == OMNI_NN_REDUCE_MAX);
      else
        acc = kahan_sum (
            x, p->n, p->inner, p->kind == OMNI_NN_REDUCE_SUM_SQUARE);
      if (p->kind == OMNI_NN_REDUCE_MEAN)
        acc /= (gfloat) p->n;
      out[(gsize) o * p->inner + i] = acc;
    }
  }
}

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnReduceParams *p = &n->params.reduce;
  const OmniNnTensor *in = omni_nn_node_input (g, n, 0);

  if (!p->outer || !p->n || !p->inner
      || (guint) p->kind > OMNI_NN_REDUCE_SUM_SQUARE)
    return omni_nn_shape_fail (n, NULL, "parameters", error);
  if (in->n_elements != (gsize) p->outer * p->n * p->inner)
    return omni_nn_shape_fail (n, in, "input", error);
  return TRUE;
}

/* [outer * inner]: the loader gives the output the shape keepdims asks. */
static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  return omni_nn_set_shape (
      n_dims, dims, 1, p->reduce.outer * p->reduce.inner, 0, 0, 0);
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  omni_nn_ref_reduce (&p->reduce, in[0], out);
}

const OmniNnOpInfo omni_nn_op_reduce = {
  .op = OMNI_NN_OP_REDUCE,
  .name = "reduce",
  .n_inputs = 1,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .reference = reference,
};
