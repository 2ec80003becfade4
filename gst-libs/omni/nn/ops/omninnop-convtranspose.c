/* gst-omni: op conv-transpose (ONNX ConvTranspose, group 1, NHWC)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The adjoint of a strided, dilated convolution (Dumoulin and Visin 2016,
 * "A guide to convolution arithmetic for deep learning", section 4),
 * computed as a gather: each output pixel sums the input pixels whose
 * scattered taps land on it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

/* The input index a tap lands from, or -1. */
static inline gint
source (gint o, gint pad, guint k, guint dil, guint stride, guint n)
{
  gint t = o + pad - (gint) (k * dil);

  if (t < 0 || t % (gint) stride)
    return -1;
  t /= (gint) stride;
  return t < (gint) n ? t : -1;
}

static inline gfloat
activate (OmniNnActivation a, gfloat v)
{
  if (a == OMNI_NN_ACT_RELU)
    return v > 0.0f ? v : 0.0f;
  if (a == OMNI_NN_ACT_RELU6)
    return v > 0.0f ? (v < 6.0f ? v : 6.0f) : 0.0f;
  return v;
}

void
omni_nn_ref_conv_transpose (const OmniNnConv2dParams *p, const gfloat *in,
    const gfloat *weights, const gfloat *bias, gfloat *out)
{
  guint oy, ox, co, ky, kx, ci;

  for (oy = 0; oy < p->out_h; oy++)
    for (ox = 0; ox < p->out_w; ox++)
      for (co = 0; co < p->out_c; co++) {
        gdouble acc = bias ? bias[co] : 0.0;

        for (ky = 0; ky < p->kernel_h; ky++) {
          gint iy = source (
              (gint) oy, p->pad_top, ky, p->dilation_h, p->stride_h, p->in_h);

          if (iy < 0)
            continue;
          for (kx = 0; kx < p->kernel_w; kx++) {
            gint ix = source ((gint) ox, p->pad_left, kx, p->dilation_w,
                p->stride_w, p->in_w);
            const gfloat *x, *w;

            if (ix < 0)
              continue;
            x = in + ((gsize) iy * p->in_w + ix) * p->in_c;
            w = weights + ((gsize) ky * p->kernel_w + kx) * p->in_c * p->out_c;
            for (ci = 0; ci < p->in_c; ci++)
              acc += (gdouble) x[ci] * w[(gsize) ci * p->out_c + co];
          }
        }
        out[((gsize) oy * p->out_w + ox) * p->out_c + co]
            = activate (p->activation, (gfloat) acc);
      }
}

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnConv2dParams *c = &n->params.conv2d;

  if (!c->stride_h || !c->stride_w || !c->dilation_h || !c->dilation_w
      || !c->kernel_h || !c->kernel_w || !c->out_h || !c->out_w || !c->out_c
      || c->pad_top < 0 || c->pad_left < 0
      || c->activation > OMNI_NN_ACT_LAST_FUSABLE)
    return omni_nn_shape_fail (n, NULL,
        "zero stride, dilation, kernel or size, or negative pads", error);
  if (!omni_nn_activation_is (
          omni_nn_node_input (g, n, 0), c->in_h, c->in_w, c->in_c))
    return omni_nn_shape_fail (n, omni_nn_node_input (g, n, 0), "input", error);
  if (!omni_nn_const_size_is (g, n->weights,
          (gsize) c->kernel_h * c->kernel_w * c->in_c * c->out_c, FALSE))
    return omni_nn_shape_fail (n, NULL, "kernel", error);
  if (!omni_nn_const_size_is (g, n->bias, c->out_c, TRUE))
    return omni_nn_shape_fail (n, NULL, "bias", error);
  return TRUE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  return omni_nn_set_shape (
      n_dims, dims, 3, p->conv2d.out_h, p->conv2d.out_w, p->conv2d.out_c, 0);
}

static guint64
count_macs (const OmniNnOpParams *p)
{
  const OmniNnConv2dParams *c = &p->conv2d;

  return (guint64) c->in_h * c->in_w * c->kernel_h * c->kernel_w * c->in_c
         * c->out_c;
}

static OmniNnActivation *
activation (OmniNnOpParams *p)
{
  return &p->conv2d.activation;
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  omni_nn_ref_conv_transpose (&p->conv2d, in[0], w, b, out);
}

const OmniNnOpInfo omni_nn_op_conv_transpose = {
  .op = OMNI_NN_OP_CONV_TRANSPOSE,
  .name = "conv-transpose",
  .n_inputs = 1,
  .has_weights = TRUE,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .count_macs = count_macs,
  .activation = activation,
  .reference = reference,
};
