/* gst-omni: op global-avg-pool (mean over h and w)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnPoolParams *c = &n->params.pool;
  const OmniNnTensor *in = omni_nn_node_input (g, n, 0);

  if (!c->h || !c->w || !c->c || !omni_nn_activation_is (in, c->h, c->w, c->c))
    return omni_nn_shape_fail (n, in, "input", error);
  return TRUE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  return omni_nn_set_shape (n_dims, dims, 1, p->pool.c, 0, 0, 0);
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  omni_nn_ref_global_avg_pool (&p->pool, in[0], out);
}

const OmniNnOpInfo omni_nn_op_global_avg_pool = {
  .op = OMNI_NN_OP_GLOBAL_AVG_POOL,
  .name = "global-avg-pool",
  .n_inputs = 1,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .reference = reference,
};
