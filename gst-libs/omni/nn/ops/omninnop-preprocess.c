/* gst-omni: op preprocess (video frame -> RGB float), run by backends on
 * the frame before the graph; never a graph node.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
      "node '%s': op %s cannot appear in a graph", n->name,
      omni_nn_op_type_name (n->op));
  return FALSE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  return omni_nn_set_shape (
      n_dims, dims, 3, p->preprocess.out_h, p->preprocess.out_w, 3, 0);
}

const OmniNnOpInfo omni_nn_op_preprocess = {
  .op = OMNI_NN_OP_PREPROCESS,
  .name = "preprocess",
  .n_inputs = 0,
  .in_graph = FALSE,
  .validate = validate,
  .infer_shape = infer_shape,
};
