/* gst-omni: op reshape (the same values under another shape: TF Reshape,
 * Squeeze, ExpandDims where the tensor cannot simply be renamed)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "omninnop-private.h"

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnTensor *in = omni_nn_node_input (g, n, 0);

  if (!n->params.eltwise.n || in->n_elements != n->params.eltwise.n
      || n->params.eltwise.activation != OMNI_NN_ACT_NONE)
    return omni_nn_shape_fail (n, in, "input", error);
  return TRUE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  if (p->eltwise.n > G_MAXUINT)
    return FALSE;
  return omni_nn_set_shape (n_dims, dims, 1, (guint) p->eltwise.n, 0, 0, 0);
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  memcpy (out, in[0], p->eltwise.n * sizeof (gfloat));
}

const OmniNnOpInfo omni_nn_op_reshape = {
  .op = OMNI_NN_OP_RESHAPE,
  .name = "reshape",
  .n_inputs = 1,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .reference = reference,
};
