/* gst-omni: op resize (TF ResizeBilinear, ResizeNearestNeighbor)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnResizeParams *c = &n->params.resize;
  const OmniNnTensor *in = omni_nn_node_input (g, n, 0);

  if (!c->in_h || !c->in_w || !c->c || !c->out_h || !c->out_w
      || (c->align_corners && c->half_pixel_centers))
    return omni_nn_shape_fail (n, in,
        "empty size, or both align_corners and half_pixel_centers", error);
  if (!omni_nn_activation_is (in, c->in_h, c->in_w, c->c))
    return omni_nn_shape_fail (n, in, "input", error);
  return TRUE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  return omni_nn_set_shape (
      n_dims, dims, 3, p->resize.out_h, p->resize.out_w, p->resize.c, 0);
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  omni_nn_ref_resize (&p->resize, in[0], out);
}

const OmniNnOpInfo omni_nn_op_resize = {
  .op = OMNI_NN_OP_RESIZE,
  .name = "resize",
  .n_inputs = 1,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .reference = reference,
};
