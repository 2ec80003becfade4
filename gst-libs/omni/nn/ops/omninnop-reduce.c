/* gst-omni: op reduce (mean, max, min, sum, sum of squares over adjacent
 * axes: ONNX ReduceMean, ReduceMax, ReduceMin, ReduceSum, ReduceSumSquare,
 * GlobalMaxPool)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

void
omni_nn_ref_reduce (const OmniNnReduceParams *p, const gfloat *in, gfloat *out)
{
  guint o, r, i;

  for (o = 0; o < p->outer; o++) {
    for (i = 0; i < p->inner; i++) {
      const gfloat *x = in + (gsize) o * p->n * p->inner + i;
      gfloat acc = x[0];

      if (p->kind == OMNI_NN_REDUCE_SUM_SQUARE)
        acc = x[0] * x[0];
      for (r = 1; r < p->n; r++) {
        gfloat v = x[(gsize) r * p->inner];

        switch (p->kind) {
        case OMNI_NN_REDUCE_MAX:
          acc = MAX (acc, v);
          break;
        case OMNI_NN_REDUCE_MIN:
          acc = MIN (acc, v);
          break;
        case OMNI_NN_REDUCE_SUM_SQUARE:
          acc += v * v;
          break;
        default:
          acc += v;
          break;
        }
      }
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
