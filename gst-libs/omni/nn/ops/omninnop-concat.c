/* gst-omni: op concat (two tensors along one axis: TF ConcatV2)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnConcatParams *c = &n->params.concat;

  if (!c->outer || !c->a || !c->b)
    return omni_nn_shape_fail (n, NULL, "empty part", error);
  if (omni_nn_node_input (g, n, 0)->n_elements != (gsize) c->outer * c->a)
    return omni_nn_shape_fail (n, omni_nn_node_input (g, n, 0), "input", error);
  if (omni_nn_node_input (g, n, 1)->n_elements != (gsize) c->outer * c->b)
    return omni_nn_shape_fail (
        n, omni_nn_node_input (g, n, 1), "second input", error);
  return TRUE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  return omni_nn_set_shape (
      n_dims, dims, 2, p->concat.outer, p->concat.a + p->concat.b, 0, 0);
}

static OmniNnActivation *
activation (OmniNnOpParams *p)
{
  return &p->concat.activation;
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  omni_nn_ref_concat (&p->concat, in[0], in[1], out);
}

const OmniNnOpInfo omni_nn_op_concat = {
  .op = OMNI_NN_OP_CONCAT,
  .name = "concat",
  .n_inputs = 2,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .activation = activation,
  .reference = reference,
};
