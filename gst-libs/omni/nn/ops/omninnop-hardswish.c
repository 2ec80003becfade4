/* gst-omni: op hard-swish ((x * scale) * relu6 (x + 3), MobileNetV3)
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

  if (!n->params.hard_swish.n || in->n_elements != n->params.hard_swish.n)
    return omni_nn_shape_fail (n, in, "input", error);
  return TRUE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  if (p->hard_swish.n > G_MAXUINT)
    return FALSE;
  return omni_nn_set_shape (n_dims, dims, 1, (guint) p->hard_swish.n, 0, 0, 0);
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  omni_nn_ref_hard_swish (&p->hard_swish, in[0], out);
}

const OmniNnOpInfo omni_nn_op_hard_swish = {
  .op = OMNI_NN_OP_HARD_SWISH,
  .name = "hard-swish",
  .n_inputs = 1,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .reference = reference,
};
