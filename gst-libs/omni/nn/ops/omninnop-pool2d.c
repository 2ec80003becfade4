/* gst-omni: op pool2d (windowed max / average pooling: TF MaxPool, AvgPool)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnPool2dParams *c = &n->params.pool2d;
  const OmniNnTensor *in = omni_nn_node_input (g, n, 0);

  if (!c->kernel_h || !c->kernel_w || !c->stride_h || !c->stride_w || !c->c
      || !c->out_h || !c->out_w || c->pad_top < 0 || c->pad_left < 0
      || (guint) c->pad_top >= c->kernel_h
      || (guint) c->pad_left >= c->kernel_w)
    return omni_nn_shape_fail (n, in,
        "zero window, stride or size, or padding as large as the window",
        error);
  if (!omni_nn_activation_is (in, c->in_h, c->in_w, c->c))
    return omni_nn_shape_fail (n, in, "input", error);
  return TRUE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  return omni_nn_set_shape (
      n_dims, dims, 3, p->pool2d.out_h, p->pool2d.out_w, p->pool2d.c, 0);
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  omni_nn_ref_pool2d (&p->pool2d, in[0], out);
}

const OmniNnOpInfo omni_nn_op_pool2d = {
  .op = OMNI_NN_OP_POOL2D,
  .name = "pool2d",
  .n_inputs = 1,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .reference = reference,
};
