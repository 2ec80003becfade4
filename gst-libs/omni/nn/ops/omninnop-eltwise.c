/* gst-omni: ops add (a + b, then an activation) and activation
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnTensor *in = omni_nn_node_input (g, n, 0);
  guint i;

  for (i = 1; i < n->n_inputs; i++) {
    if (omni_nn_node_input (g, n, i)->n_elements != n->params.eltwise.n)
      return omni_nn_shape_fail (n, NULL, "second input", error);
  }
  if (in->n_elements != n->params.eltwise.n || !n->params.eltwise.n)
    return omni_nn_shape_fail (n, in, "input", error);
  return TRUE;
}

/* Elementwise ops keep their input's shape; the parameters know only its
 * size. */
static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  if (p->eltwise.n > G_MAXUINT)
    return FALSE;
  return omni_nn_set_shape (n_dims, dims, 1, (guint) p->eltwise.n, 0, 0, 0);
}

static OmniNnActivation *
activation (OmniNnOpParams *p)
{
  return &p->eltwise.activation;
}

static void
reference_add (const OmniNnOpParams *p, const gfloat *const *in,
    const gfloat *w, const gfloat *b, gfloat *out)
{
  omni_nn_ref_add (&p->eltwise, in[0], in[1], out);
}

static void
reference_activation (const OmniNnOpParams *p, const gfloat *const *in,
    const gfloat *w, const gfloat *b, gfloat *out)
{
  omni_nn_ref_activation (&p->eltwise, in[0], out);
}

const OmniNnOpInfo omni_nn_op_add = {
  .op = OMNI_NN_OP_ADD,
  .name = "add",
  .n_inputs = 2,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .activation = activation,
  .reference = reference_add,
};

/* An activation node is what omni_nn_graph_fuse_activations() fuses into
 * its producer, so it has no .activation slot of its own. */
const OmniNnOpInfo omni_nn_op_activation = {
  .op = OMNI_NN_OP_ACTIVATION,
  .name = "activation",
  .n_inputs = 1,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .reference = reference_activation,
};
