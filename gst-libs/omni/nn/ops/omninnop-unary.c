/* gst-omni: op unary (element-wise functions with up to two parameters:
 * ONNX LeakyRelu, HardSigmoid, HardSwish, Clip, Sqrt, Exp, Log, Abs, Neg,
 * Pow by a constant, Elu, Reciprocal, Softplus, Floor, Ceil)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

#include <math.h>

static inline gfloat
unary (OmniNnUnaryKind kind, gfloat x, gfloat a, gfloat b)
{
  switch (kind) {
  case OMNI_NN_UNARY_LEAKY_RELU:
    return x >= 0.0f ? x : a * x;
  case OMNI_NN_UNARY_HARD_SIGMOID:
    return fmaxf (0.0f, fminf (1.0f, a * x + b));
  case OMNI_NN_UNARY_HARD_SWISH:
    return x * fmaxf (0.0f, fminf (1.0f, x * (1.0f / 6.0f) + 0.5f));
  case OMNI_NN_UNARY_CLIP:
    return fminf (fmaxf (x, a), b);
  case OMNI_NN_UNARY_SQRT:
    return sqrtf (x);
  case OMNI_NN_UNARY_EXP:
    return expf (x);
  case OMNI_NN_UNARY_LOG:
    return logf (x);
  case OMNI_NN_UNARY_ABS:
    return fabsf (x);
  case OMNI_NN_UNARY_NEG:
    return -x;
  case OMNI_NN_UNARY_POW:
    return a == 2.0f ? x * x : powf (x, a);
  case OMNI_NN_UNARY_ELU:
    return x >= 0.0f ? x : a * (expf (x) - 1.0f);
  case OMNI_NN_UNARY_RECIPROCAL:
    return 1.0f / x;
  case OMNI_NN_UNARY_SOFTPLUS:
    return logf (expf (x) + 1.0f);
  case OMNI_NN_UNARY_FLOOR:
    return floorf (x);
  case OMNI_NN_UNARY_CEIL:
    return ceilf (x);
  default:
    return x;
  }
}

void
omni_nn_ref_unary (const OmniNnUnaryParams *p, const gfloat *in, gfloat *out)
{
  gsize i;

  for (i = 0; i < p->n; i++)
    out[i] = unary (p->kind, in[i], p->alpha, p->beta);
}

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnTensor *in = omni_nn_node_input (g, n, 0);

  if ((guint) n->params.unary.kind >= OMNI_NN_UNARY_N_KINDS)
    return omni_nn_shape_fail (n, NULL, "kind", error);
  if (in->n_elements != n->params.unary.n || !n->params.unary.n)
    return omni_nn_shape_fail (n, in, "input", error);
  return TRUE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  if (p->unary.n > G_MAXUINT)
    return FALSE;
  return omni_nn_set_shape (n_dims, dims, 1, (guint) p->unary.n, 0, 0, 0);
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  omni_nn_ref_unary (&p->unary, in[0], out);
}

const OmniNnOpInfo omni_nn_op_unary = {
  .op = OMNI_NN_OP_UNARY,
  .name = "unary",
  .n_inputs = 1,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .reference = reference,
};
