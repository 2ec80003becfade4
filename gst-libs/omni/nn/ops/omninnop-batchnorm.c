/* gst-omni: op batch-norm (per-channel scale and shift)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Exists only before omni_nn_graph_optimize(), which folds it into the
 * preceding convolution or turns it into a 1x1 depthwise convolution; the
 * CPU backend and the Vulkan kernels still run it for tests.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnChannelParams *c = &n->params.channel;
  const OmniNnTensor *in = omni_nn_node_input (g, n, 0);

  if (!c->c || in->n_elements != c->n || c->n % c->c)
    return omni_nn_shape_fail (n, in, "input", error);
  if (!omni_nn_const_size_is (g, n->weights, c->c, FALSE)
      || !omni_nn_const_size_is (g, n->bias, c->c, FALSE))
    return omni_nn_shape_fail (n, NULL, "scale or shift", error);
  return TRUE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  if (!p->channel.c || p->channel.n / p->channel.c > G_MAXUINT)
    return FALSE;
  return omni_nn_set_shape (n_dims, dims, 2,
      (guint) (p->channel.n / p->channel.c), p->channel.c, 0, 0);
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in,
    const gfloat *scale, const gfloat *shift, gfloat *out)
{
  omni_nn_ref_batch_norm (&p->channel, in[0], scale, shift, out);
}

const OmniNnOpInfo omni_nn_op_batch_norm = {
  .op = OMNI_NN_OP_BATCH_NORM,
  .name = "batch-norm",
  .n_inputs = 1,
  .has_weights = TRUE,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .reference = reference,
};
