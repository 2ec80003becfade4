/* gst-omni: ONNX loader, importers: LSTM
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "omninnonnxprivate.h"

/* Direction @d's, batch @b's slice [1, 1, H] of an initial state
 * [dirs, batch, H]; zeros when absent. */
static Val *
lstm_state (Loader *l, const Val *s, guint d, guint b, guint hidden)
{
  gint64 dims[3] = { 1, 1, hidden }, st[2] = { d, b }, e[2] = { d + 1, b + 1 };
  gint64 ax[2] = { 0, 1 };

  if (!s) {
    Val *z = onnx_val_const (l, 3, dims, g_new0 (gdouble, hidden), DT_FLOAT);

    return z;
  }
  return onnx_slice (l, s, st, e, ax, NULL, 2);
}

/* One direction: the IR node, and its outputs as views of the packed
 * [seq + 2, H] result. */
static gboolean
lstm_direction (Loader *l, const Onnx__NodeProto *n, Val *x, guint d,
    guint batch, gboolean reverse, guint hidden, Val **y, Val **yh, Val **yc)
{
  Val *w = onnx_in_val (l, n, 1), *r = onnx_in_val (l, n, 2),
      *b = onnx_in_val (l, n, 3);
  Val *h0, *c0, *st, *mst = NULL, packed = { 0 }, *out;
  OmniNnOpParams p = { 0 };
  guint seq = (guint) x->dims[0], in = (guint) x->dims[2], H = hidden;
  gsize nw = (gsize) 4 * H * in, nr = (gsize) 4 * H * H, i;
  gdouble *wd, *bd = NULL;
  guint ins[2], wt, bt = OMNI_NN_NO_TENSOR;
  ViewDim vd[4];

  h0 = lstm_state (l, onnx_in_val (l, n, 5), d, batch, H);
  c0 = lstm_state (l, onnx_in_val (l, n, 6), d, batch, H);
  st = h0 && c0 ? onnx_concat2 (l, h0, c0, 2) : NULL;
  g_free (h0);
  g_free (c0);
  if (!st)
    return FALSE;
  if (st->is_const && !(mst = onnx_materialize (l, st))) {
    g_free (st);
    return FALSE;
  }
  wd = g_new (gdouble, nw + nr);
  memcpy (wd, w->data + d * nw, nw * sizeof (gdouble));
  memcpy (wd + nw, r->data + d * nr, nr * sizeof (gdouble));
  wt = onnx_weight_flat (l, wd, nw + nr);
  g_free (wd);
  if (b) {
    bd = g_new (gdouble, 4 * H);
    for (i = 0; i < 4 * H; i++)
      bd[i] = b->data[d * 8 * H + i] + b->data[d * 8 * H + 4 * H + i];
    bt = onnx_weight_flat (l, bd, 4 * H);
    g_free (bd);
  }
  p.lstm.seq = seq;
  p.lstm.in = in;
  p.lstm.hidden = H;
  p.lstm.reverse = reverse;
  ins[0] = x->tensor;
  ins[1] = mst ? mst->tensor : st->tensor;
  packed.rank = 2;
  packed.dims[0] = seq + 2;
  packed.dims[1] = H;
  out = onnx_emit (l, OMNI_NN_OP_LSTM, &p, ins, 2, wt, bt, 2, packed.dims);
  g_free (st);
  g_free (mst);
  if (!out)
    return FALSE;
  vd[0] = (ViewDim){ seq, 0, 0, 1 };
  vd[1] = (ViewDim){ 1, -1, 0, 0 };
  vd[2] = (ViewDim){ 1, -1, 0, 0 };
  vd[3] = (ViewDim){ H, 1, 0, 1 };
  *y = onnx_emit_view (l, out, 4, vd, OMNI_NN_PAD_CONSTANT, 0);
  vd[0] = (ViewDim){ 1, 0, seq, 1 };
  vd[2] = vd[3];
  *yh = onnx_emit_view (l, out, 3, vd, OMNI_NN_PAD_CONSTANT, 0);
  vd[0] = (ViewDim){ 1, 0, seq + 1, 1 };
  *yc = onnx_emit_view (l, out, 3, vd, OMNI_NN_PAD_CONSTANT, 0);
  g_free (out);
  return *y && *yh && *yc;
}

/* The activations attribute, if any, is the default (per direction:
 * Sigmoid, Tanh, Tanh). */
static gboolean
lstm_default_activations (const Onnx__NodeProto *n)
{
  static const gchar *const def[3] = { "Sigmoid", "Tanh", "Tanh" };
  const Onnx__AttributeProto *a = onnx_attr (n, "activations");
  gsize i;

  if (!a)
    return TRUE;
  for (i = 0; i < a->n_strings; i++)
    if (a->strings[i].len != strlen (def[i % 3])
        || memcmp (a->strings[i].data, def[i % 3], a->strings[i].len))
      return FALSE;
  return TRUE;
}

/* Y [seq, dirs, 1, H], Y_h and Y_c [dirs, 1, H] of batch element @bi (one
 * IR LSTM node per direction). */
static gboolean
lstm_batch (Loader *l, const Onnx__NodeProto *n, Val *x, guint bi, guint dirs,
    gboolean reverse, guint H, Val **o)
{
  Val *y[2] = { NULL }, *yh[2] = { NULL }, *yc[2] = { NULL }, *xb;
  gint64 st = bi, e = bi + 1, ax = 1;
  gboolean ok = TRUE;
  guint d;

  xb = x->dims[1] == 1 ? onnx_alias (x)
                       : onnx_slice (l, x, &st, &e, &ax, NULL, 1);
  if (!xb)
    return FALSE;
  for (d = 0; d < dirs && ok; d++)
    ok = lstm_direction (
        l, n, xb, d, bi, d == 1 || reverse, H, &y[d], &yh[d], &yc[d]);
  g_free (xb);
  if (ok && dirs == 2) {
    o[0] = onnx_concat2 (l, y[0], y[1], 1);
    o[1] = onnx_concat2 (l, yh[0], yh[1], 0);
    o[2] = onnx_concat2 (l, yc[0], yc[1], 0);
    ok = o[0] && o[1] && o[2];
  } else {
    o[0] = y[0];
    o[1] = yh[0];
    o[2] = yc[0];
    y[0] = yh[0] = yc[0] = NULL;
  }
  for (d = 0; d < 2; d++) {
    g_free (y[d]);
    g_free (yh[d]);
    g_free (yc[d]);
  }
  return ok;
}

static gboolean
op_lstm (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0), *w = onnx_in_val (l, n, 1),
      *r = onnx_in_val (l, n, 2);
  Val *b = onnx_in_val (l, n, 3), *sl = onnx_in_val (l, n, 4), *mx = NULL;
  Val *acc[3] = { NULL }, *o[3] = { NULL };
  gchar buf[32];
  const gchar *dir = onnx_attr_s (n, "direction", "forward", buf, sizeof (buf));
  guint H = (guint) onnx_attr_i (n, "hidden_size", 0), dirs, bi, i;
  gboolean ok = TRUE;

  if (!x || !w || !r || !w->is_const || !r->is_const || (b && !b->is_const))
    return UNSUPPORTED (l, "weights that are not constant");
  if (onnx_attr (n, "clip") || onnx_attr_i (n, "input_forget", 0)
      || onnx_in_val (l, n, 7) || !lstm_default_activations (n)
      || onnx_attr_i (n, "layout", 0))
    return UNSUPPORTED (l, "clip, input_forget, peepholes, activations other "
                           "than the defaults, or layout 1");
  if (x->rank != 3)
    return UNSUPPORTED (l, "an input that is not [seq, batch, in]");
  if (sl) {
    for (i = 0; i < sl->n; i++)
      if (!sl->is_const || sl->data[i] != x->dims[0])
        return UNSUPPORTED (l, "sequence lengths other than the input's");
  }
  dirs = !strcmp (dir, "bidirectional") ? 2 : 1;
  if (!H)
    H = (guint) (w->dims[1] / 4);
  if (w->rank != 3 || w->dims[0] != dirs || w->dims[1] != 4 * H
      || w->dims[2] != x->dims[2] || r->n != (gsize) dirs * 4 * H * H
      || (b && b->n != (gsize) dirs * 8 * H))
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "weights do not fit hidden_size");
  if (x->is_const && !(x = mx = onnx_materialize (l, x)))
    return FALSE;
  /* one chain per batch element, side by side on the batch axis */
  for (bi = 0; bi < x->dims[1] && ok; bi++) {
    ok = lstm_batch (l, n, x, bi, dirs, !strcmp (dir, "reverse"), H, o);
    for (i = 0; i < 3 && ok; i++) {
      Val *next
          = acc[i] ? onnx_concat2 (l, acc[i], o[i], i == 0 ? 2 : 1) : o[i];

      if (acc[i]) {
        g_free (acc[i]);
        g_free (o[i]);
      }
      acc[i] = next;
      o[i] = NULL;
      ok = next != NULL;
    }
  }
  g_free (mx);
  for (i = 0; i < 3; i++) {
    g_free (o[i]);
    if (ok && acc[i])
      ok = onnx_put (l, n, i, acc[i]);
    else
      g_free (acc[i]);
  }
  return ok;
}

/* The ops this file imports: one line per ONNX op. */
const OmniNnOnnxImporter omni_nn_onnx_lstm_importers[] = {
  { "LSTM", op_lstm },
  { NULL, NULL },
};
