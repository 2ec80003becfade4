/* gst-omni: ops binary and binary-const (add, sub, mul, div, max, min with
 * NumPy broadcasting; the second operand an activation or a constant)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

static gsize
count (guint n_dims, const guint *dims)
{
  gsize n = 1;
  guint i;

  for (i = 0; i < n_dims; i++)
    n *= dims[i];
  return n;
}

/* Every operand dim is 1 or the output's. */
static gboolean
broadcasts (const OmniNnBinaryParams *c)
{
  guint i;

  if (c->n_dims < 1 || c->n_dims > 4
      || (guint) c->kind >= OMNI_NN_BINARY_N_KINDS)
    return FALSE;
  for (i = 0; i < c->n_dims; i++) {
    if (!c->dims[i] || (c->a_dims[i] != 1 && c->a_dims[i] != c->dims[i])
        || (c->b_dims[i] != 1 && c->b_dims[i] != c->dims[i]))
      return FALSE;
  }
  return TRUE;
}

static gboolean
validate_common (
    const OmniNnGraph *g, const OmniNnNode *n, gsize b_elements, GError **error)
{
  const OmniNnBinaryParams *c = &n->params.binary;
  const OmniNnTensor *in = omni_nn_node_input (g, n, 0);

  if (!broadcasts (c))
    return omni_nn_shape_fail (n, NULL,
        "kind or broadcast shape (an operand dim is neither 1 nor the "
        "output's)",
        error);
  if (in->n_elements != count (c->n_dims, c->a_dims))
    return omni_nn_shape_fail (n, in, "first input", error);
  if (b_elements != count (c->n_dims, c->b_dims))
    return omni_nn_shape_fail (n, NULL, "second operand", error);
  return TRUE;
}

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  if (n->params.binary.swap)
    return omni_nn_shape_fail (
        n, NULL, "swap (only for a constant operand)", error);
  return validate_common (
      g, n, omni_nn_node_input (g, n, 1)->n_elements, error);
}

static gboolean
validate_const (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  if (!omni_nn_const_size_is (g, n->weights,
          count (n->params.binary.n_dims, n->params.binary.b_dims), FALSE)
      || n->bias != OMNI_NN_NO_TENSOR)
    return omni_nn_shape_fail (n, NULL, "constant operand", error);
  return validate_common (
      g, n, omni_nn_graph_tensor (g, n->weights)->n_elements, error);
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  guint i;

  if (p->binary.n_dims < 1 || p->binary.n_dims > 4)
    return FALSE;
  *n_dims = p->binary.n_dims;
  for (i = 0; i < p->binary.n_dims; i++)
    dims[i] = p->binary.dims[i];
  return TRUE;
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  omni_nn_ref_binary (&p->binary, in[0], in[1], out);
}

static void
reference_const (const OmniNnOpParams *p, const gfloat *const *in,
    const gfloat *w, const gfloat *b, gfloat *out)
{
  omni_nn_ref_binary (&p->binary, in[0], w, out);
}

const OmniNnOpInfo omni_nn_op_binary = {
  .op = OMNI_NN_OP_BINARY,
  .name = "binary",
  .n_inputs = 2,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .reference = reference,
};

const OmniNnOpInfo omni_nn_op_binary_const = {
  .op = OMNI_NN_OP_BINARY_CONST,
  .name = "binary-const",
  .n_inputs = 1,
  .has_weights = TRUE,
  .in_graph = TRUE,
  .validate = validate_const,
  .infer_shape = infer_shape,
  .reference = reference_const,
};
