/* gst-omni: op softmax (over the last axis)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnSoftmaxParams *c = &n->params.softmax;
  const OmniNnTensor *in = omni_nn_node_input (g, n, 0);

  if (!c->n || in->n_elements != (gsize) c->rows * c->n)
    return omni_nn_shape_fail (n, in, "input", error);
  return TRUE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  if (p->softmax.rows == 1)
    return omni_nn_set_shape (n_dims, dims, 1, p->softmax.n, 0, 0, 0);
  return omni_nn_set_shape (
      n_dims, dims, 2, p->softmax.rows, p->softmax.n, 0, 0);
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  omni_nn_ref_softmax (&p->softmax, in[0], out);
}

const OmniNnOpInfo omni_nn_op_softmax = {
  .op = OMNI_NN_OP_SOFTMAX,
  .name = "softmax",
  .n_inputs = 1,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .reference = reference,
};
