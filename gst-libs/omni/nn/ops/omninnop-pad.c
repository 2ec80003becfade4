/* gst-omni: op pad (zero padding of the spatial dimensions)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnPadParams *c = &n->params.pad;
  const OmniNnTensor *in = omni_nn_node_input (g, n, 0);

  if (!omni_nn_activation_is (in, c->in_h, c->in_w, c->c) || !c->c)
    return omni_nn_shape_fail (n, in, "input", error);
  return TRUE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  return omni_nn_set_shape (n_dims, dims, 3,
      p->pad.in_h + p->pad.pad_top + p->pad.pad_bottom,
      p->pad.in_w + p->pad.pad_left + p->pad.pad_right,
      p->pad.pad_front + p->pad.c + p->pad.pad_back, 0);
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  omni_nn_ref_pad (&p->pad, in[0], out);
}

const OmniNnOpInfo omni_nn_op_pad = {
  .op = OMNI_NN_OP_PAD,
  .name = "pad",
  .n_inputs = 1,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .reference = reference,
};
