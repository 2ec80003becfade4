/* gst-omni: op lstm (ONNX LSTM, one direction, batch 1)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Hochreiter and Schmidhuber 1997, "Long Short-Term Memory", in the form of
 * the ONNX operator specification (LSTM, opset 7/14): with W, R and B in
 * gate order i, o, f, c,
 *   i = sigmoid (W_i x + R_i h + b_i), o = sigmoid (...), f = sigmoid (...),
 *   g = tanh (W_c x + R_c h + b_c), c' = f * c + i * g, h' = o * tanh (c').
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

#include <math.h>
#include <string.h>

static inline gfloat
sigmoid (gfloat x)
{
  return 1.0f / (1.0f + expf (-x));
}

/* One time step: gates for every unit from x and the previous h (read from
 * @h_prev), then the new h and c. */
static void
lstm_step (const OmniNnLstmParams *p, const gfloat *x, const gfloat *h_prev,
    const gfloat *w, const gfloat *r, const gfloat *bias, gfloat *h, gfloat *c,
    gfloat *gates)
{
  guint H = p->hidden, j, k, q;

  for (q = 0; q < 4 * H; q++) {
    gfloat acc = bias ? bias[q] : 0.0f;
    const gfloat *wq = w + (gsize) q * p->in, *rq = r + (gsize) q * H;

    for (k = 0; k < p->in; k++)
      acc += wq[k] * x[k];
    for (k = 0; k < H; k++)
      acc += rq[k] * h_prev[k];
    gates[q] = acc;
  }
  for (j = 0; j < H; j++) {
    gfloat ig = sigmoid (gates[j]), og = sigmoid (gates[H + j]);
    gfloat fg = sigmoid (gates[2 * H + j]), gg = tanhf (gates[3 * H + j]);

    c[j] = fg * c[j] + ig * gg;
    h[j] = og * tanhf (c[j]);
  }
}

void
omni_nn_ref_lstm (const OmniNnLstmParams *p, const gfloat *x,
    const gfloat *state, const gfloat *weights, const gfloat *bias, gfloat *out)
{
  guint H = p->hidden, t;
  const gfloat *r = weights + (gsize) 4 * H * p->in;
  gfloat *y = out, *h = out + (gsize) p->seq * H, *c = h + H;
  gfloat *gates = g_new (gfloat, 4 * H), *h_prev = g_new (gfloat, H);

  memcpy (h, state, H * sizeof (gfloat));
  memcpy (c, state + H, H * sizeof (gfloat));
  for (t = 0; t < p->seq; t++) {
    guint s = p->reverse ? p->seq - 1 - t : t;

    memcpy (h_prev, h, H * sizeof (gfloat));
    lstm_step (p, x + (gsize) s * p->in, h_prev, weights, r, bias, h, c, gates);
    memcpy (y + (gsize) s * H, h, H * sizeof (gfloat));
  }
  g_free (gates);
  g_free (h_prev);
}

static gboolean
validate (const OmniNnGraph *g, const OmniNnNode *n, GError **error)
{
  const OmniNnLstmParams *p = &n->params.lstm;
  gsize w = (gsize) 4 * p->hidden * (p->in + p->hidden);

  if (!p->seq || !p->in || !p->hidden)
    return omni_nn_shape_fail (n, NULL, "parameters", error);
  if (omni_nn_node_input (g, n, 0)->n_elements != (gsize) p->seq * p->in)
    return omni_nn_shape_fail (n, omni_nn_node_input (g, n, 0), "input", error);
  if (omni_nn_node_input (g, n, 1)->n_elements != 2 * (gsize) p->hidden)
    return omni_nn_shape_fail (n, omni_nn_node_input (g, n, 1), "state", error);
  if (!omni_nn_const_size_is (g, n->weights, w, FALSE)
      || !omni_nn_const_size_is (g, n->bias, 4 * (gsize) p->hidden, TRUE))
    return omni_nn_shape_fail (n, NULL, "weights", error);
  return TRUE;
}

static gboolean
infer_shape (const OmniNnOpParams *p, guint *n_dims, guint *dims)
{
  return omni_nn_set_shape (
      n_dims, dims, 1, (p->lstm.seq + 2) * p->lstm.hidden, 0, 0, 0);
}

static guint64
count_macs (const OmniNnOpParams *p)
{
  return (guint64) p->lstm.seq * 4 * p->lstm.hidden
         * (p->lstm.in + p->lstm.hidden);
}

static void
reference (const OmniNnOpParams *p, const gfloat *const *in, const gfloat *w,
    const gfloat *b, gfloat *out)
{
  omni_nn_ref_lstm (&p->lstm, in[0], in[1], w, b, out);
}

const OmniNnOpInfo omni_nn_op_lstm = {
  .op = OMNI_NN_OP_LSTM,
  .name = "lstm",
  .n_inputs = 2,
  .has_weights = TRUE,
  .in_graph = TRUE,
  .validate = validate,
  .infer_shape = infer_shape,
  .count_macs = count_macs,
  .reference = reference,
};
