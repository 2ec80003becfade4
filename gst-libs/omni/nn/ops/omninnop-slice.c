/* gst-omni: op slice (a contiguous range of one axis: a piece of TF SplitV)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnSliceParams *s = &n->params.slice;
  const OmniNnTensor *in = omni_nn_node_input (g, n, 0);

  if (!s->outer || !s->inner || !s->out_len
      || (guint64) s->offset + s->out_len > s->in_len)
    return omni_nn_shape_fail (n, NULL, "empty or out-of-range slice", error);
  if (in->n_elements != (gsize) s->outer * s->in_len * s->inner)
    return omni_nn_shape_fail (n, in, "input", error);
  return TRUE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  const OmniNnSliceParams *s = &p->slice;

  if ((guint64) s->out_len * s->inner > G_MAXUINT)
    return FALSE;
  return omni_nn_set_shape (
      n_dims, dims, 2, s->outer, s->out_len * s->inner, 0, 0);
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  omni_nn_ref_slice (&p->slice, in[0], out);
}

const OmniNnOpInfo omni_nn_op_slice = {
  .op = OMNI_NN_OP_SLICE,
  .name = "slice",
  .n_inputs = 1,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .reference = reference,
};
