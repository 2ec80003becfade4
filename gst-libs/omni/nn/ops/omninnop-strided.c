/* gst-omni: op strided (a strided gather with padding: ONNX Transpose,
 * Slice, Split, Gather of one index, Expand, Pad)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

/* Maps coordinate @c into [0, @n) as @mode says; -1 for constant padding. */
static gint
map_coord (gint c, guint n, OmniNnPadMode mode)
{
  gint last = (gint) n - 1;

  if (c >= 0 && c <= last)
    return c;
  if (mode == OMNI_NN_PAD_CONSTANT || n == 0)
    return -1;
  if (mode == OMNI_NN_PAD_EDGE || n == 1)
    return CLAMP (c, 0, last);
  /* reflect, period 2 (n - 1) */
  c = ABS (c) % (2 * last);
  return c <= last ? c : 2 * last - c;
}

/* Source element of output element @i, or -1 for the constant. */
static gint64
source_index (const OmniNnStridedParams *p, gsize i)
{
  gint64 src = p->offset;
  gint d;

  for (d = (gint) p->n_dims - 1; d >= 0; d--) {
    guint o = i % p->dims[d];
    gint c = map_coord (
        p->start[d] + (gint) o * p->step[d], p->extent[d], p->mode);

    i /= p->dims[d];
    if (c < 0)
      return -1;
    src += (gint64) c * p->stride[d];
  }
  return src;
}

void
omni_nn_ref_strided (
    const OmniNnStridedParams *p, const gfloat *in, gfloat *out)
{
  gsize n = 1, i;
  guint d;

  for (d = 0; d < p->n_dims; d++)
    n *= p->dims[d];
  for (i = 0; i < n; i++) {
    gint64 s = source_index (p, i);

    out[i] = s >= 0 && s < (gint64) p->in_n ? in[s] : p->value;
  }
}

/* Every read must fall inside the source: check the extreme coordinates of
 * each dimension (the source index is linear in each). */
static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnStridedParams *p = &n->params.strided;
  const OmniNnTensor *in = omni_nn_node_input (g, n, 0);
  gint64 lo = p->offset, hi = p->offset;
  guint d;

  if (p->n_dims < 1 || p->n_dims > 4 || in->n_elements != p->in_n
      || (guint) p->mode > OMNI_NN_PAD_EDGE)
    return omni_nn_shape_fail (n, in, "input", error);
  for (d = 0; d < p->n_dims; d++) {
    gint64 a, b;

    if (!p->dims[d])
      return omni_nn_shape_fail (n, NULL, "empty output", error);
    if (!p->extent[d])
      continue; /* padding only */
    a = (gint64) p->stride[d] * 0;
    b = (gint64) p->stride[d] * (p->extent[d] - 1);
    lo += MIN (a, b);
    hi += MAX (a, b);
  }
  if (lo < 0 || hi >= (gint64) p->in_n)
    return omni_nn_shape_fail (n, in, "strides", error);
  return TRUE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  const OmniNnStridedParams *s = &p->strided;

  if (s->n_dims < 1 || s->n_dims > 4)
    return FALSE;
  return omni_nn_set_shape (
      n_dims, dims, s->n_dims, s->dims[0], s->dims[1], s->dims[2], s->dims[3]);
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  omni_nn_ref_strided (&p->strided, in[0], out);
}

const OmniNnOpInfo omni_nn_op_strided = {
  .op = OMNI_NN_OP_STRIDED,
  .name = "strided",
  .n_inputs = 1,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .reference = reference,
};
