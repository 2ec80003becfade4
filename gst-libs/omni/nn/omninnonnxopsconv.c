/* gst-omni: ONNX loader, importers: convolutions, pooling, resize
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Conv, ConvTranspose, the pools and Resize (NCHW <-> the IR's NHWC).
 */
#include "omninnonnxprivate.h"

/* Kernel, strides, dilations, pads of a 1-D or 2-D window op, and its
 * output size (ONNX's auto_pad and ceil_mode rules). */
typedef struct {
  guint kh, kw, sh, sw, dh, dw;
  gint pt, pl, pb, pr;
  guint oh, ow;
} Window;

static gboolean
window (Loader *l, const Onnx__NodeProto *n, gboolean one_d, guint h, guint w,
    guint kh, guint kw, Window *win)
{
  gint64 v[4];
  gchar buf[16];
  const gchar *ap = onnx_attr_s (n, "auto_pad", "NOTSET", buf, sizeof (buf));
  gboolean ceil_mode = onnx_attr_i (n, "ceil_mode", 0) != 0;
  guint ekh, ekw;
  gint c;

  memset (win, 0, sizeof (*win));
  win->kh = kh;
  win->kw = kw;
  win->sh = win->sw = win->dh = win->dw = 1;
  if ((c = onnx_attr_ints (n, "strides", v, 2)) > 0) {
    win->sh = one_d ? 1 : (guint) v[0];
    win->sw = (guint) v[c - 1];
  }
  if ((c = onnx_attr_ints (n, "dilations", v, 2)) > 0) {
    win->dh = one_d ? 1 : (guint) v[0];
    win->dw = (guint) v[c - 1];
  }
  if ((c = onnx_attr_ints (n, "pads", v, 4)) > 0) {
    if (one_d) {
      win->pl = (gint) v[0];
      win->pr = (gint) v[1];
    } else {
      win->pt = (gint) v[0];
      win->pl = (gint) v[1];
      win->pb = (gint) v[2];
      win->pr = (gint) v[3];
    }
  }
  if (!win->sh || !win->sw || !win->dh || !win->dw)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "zero stride or dilation");
  ekh = (kh - 1) * win->dh + 1;
  ekw = (kw - 1) * win->dw + 1;
  if (!strcmp (ap, "SAME_UPPER") || !strcmp (ap, "SAME_LOWER")) {
    guint oh = (h + win->sh - 1) / win->sh, ow = (w + win->sw - 1) / win->sw;
    gint th = MAX ((gint) ((oh - 1) * win->sh + ekh) - (gint) h, 0);
    gint tw = MAX ((gint) ((ow - 1) * win->sw + ekw) - (gint) w, 0);
    gboolean lower = !strcmp (ap, "SAME_LOWER");

    win->pt = lower ? (th + 1) / 2 : th / 2;
    win->pl = lower ? (tw + 1) / 2 : tw / 2;
    win->pb = th - win->pt;
    win->pr = tw - win->pl;
  } else if (!strcmp (ap, "VALID")) {
    win->pt = win->pl = win->pb = win->pr = 0;
  }
  {
    gint nh = (gint) h + win->pt + win->pb - (gint) ekh;
    gint nw = (gint) w + win->pl + win->pr - (gint) ekw;

    if (nh < 0 || nw < 0)
      return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "window larger than the input");
    win->oh
        = (guint) (ceil_mode ? (nh + win->sh - 1) / win->sh : nh / win->sh) + 1;
    win->ow
        = (guint) (ceil_mode ? (nw + win->sw - 1) / win->sw : nw / win->sw) + 1;
    /* ceil mode: a window must start inside the input or left padding */
    if (ceil_mode && (gint) ((win->oh - 1) * win->sh) >= (gint) h + win->pt)
      win->oh--;
    if (ceil_mode && (gint) ((win->ow - 1) * win->sw) >= (gint) w + win->pl)
      win->ow--;
  }
  if (win->pt < 0 || win->pl < 0)
    return UNSUPPORTED (l, "negative pads");
  return TRUE;
}

/* Conv weights [M, C/g, kh, kw] -> conv2d [kh, kw, C, M] (groups 1) or
 * depthwise [kh, kw, C, M/C] (groups C). */
static guint
conv_weights (Loader *l, const Val *wv, guint cin_g, guint m, guint kh,
    guint kw, gboolean depthwise, guint c)
{
  gsize total = (gsize) m * cin_g * kh * kw;
  gdouble *d = g_new (gdouble, total);
  guint o, i, y, x, dims[4];

  for (o = 0; o < m; o++)
    for (i = 0; i < cin_g; i++)
      for (y = 0; y < kh; y++)
        for (x = 0; x < kw; x++) {
          gdouble v = wv->data[(((gsize) o * cin_g + i) * kh + y) * kw + x];

          if (depthwise) /* channel o / mult, multiplier o % mult */
            d[(((gsize) y * kw + x) * c + o / (m / c)) * (m / c) + o % (m / c)]
                = v;
          else
            d[(((gsize) y * kw + x) * cin_g + i) * m + o] = v;
        }
  dims[0] = kh;
  dims[1] = kw;
  dims[2] = depthwise ? c : cin_g;
  dims[3] = depthwise ? m / c : m;
  o = onnx_weight_tensor (l, d, total, 4, dims);
  g_free (d);
  return o;
}

/* One convolution of the NHWC activation @xt ([h, w, c]) with weights
 * @wv [m, c / (dw ? c : 1), kh, kw] and bias @bias (m values or NULL): an
 * NHWC [oh, ow, m] result. */
static Val *
conv_nhwc (Loader *l, const Val *xt, guint h, guint w, guint c, const Val *wv,
    guint m, const gdouble *bias, gboolean dw, const Window *win)
{
  OmniNnOpParams p = { 0 };
  OmniNnConv2dParams *q = &p.conv2d;
  guint wt = conv_weights (l, wv, dw ? 1 : c, m, win->kh, win->kw, dw, c);
  guint bt = bias ? onnx_weight_flat (l, bias, m) : OMNI_NN_NO_TENSOR;

  if (!dw && win->kh == 1 && win->kw == 1 && win->sh == 1 && win->sw == 1
      && !win->pt && !win->pl && !win->pb && !win->pr) {
    p.gemm.m = h * w;
    p.gemm.k = c;
    p.gemm.n = m;
    p.gemm.sum_blocks = TRUE;
    return onnx_emit (
        l, OMNI_NN_OP_POINTWISE_CONV2D, &p, &xt->tensor, 1, wt, bt, 0, NULL);
  }
  q->in_h = h;
  q->in_w = w;
  q->in_c = c;
  q->out_h = win->oh;
  q->out_w = win->ow;
  q->out_c = m;
  q->kernel_h = win->kh;
  q->kernel_w = win->kw;
  q->stride_h = win->sh;
  q->stride_w = win->sw;
  q->dilation_h = win->dh;
  q->dilation_w = win->dw;
  q->pad_top = win->pt;
  q->pad_left = win->pl;
  /* onnxruntime's order of the sums (docs/onnx.md, "Parity") */
  if (dw) {
    p.depthwise.depth_multiplier = m / c;
    p.depthwise.sum_blocks = TRUE;
  } else {
    q->sum_blocks = TRUE;
  }
  return onnx_emit (l, dw ? OMNI_NN_OP_DEPTHWISE_CONV2D : OMNI_NN_OP_CONV2D, &p,
      &xt->tensor, 1, wt, bt, 0, NULL);
}

/* Groups other than 1 and C: one convolution per group on its channels
 * (a strided view of the NHWC input), the results side by side. */
static Val *
conv_groups (Loader *l, const Val *xt, guint h, guint w, guint c, const Val *wv,
    guint m, const Val *bv, guint groups, const Window *win)
{
  guint cg = c / groups, mg = m / groups, k;
  gsize per = wv->n / groups;
  Val *acc = NULL;

  for (k = 0; k < groups; k++) {
    ViewDim vd[3] = { { h, 0, 0, 1 }, { w, 1, 0, 1 }, { cg, 2, k * cg, 1 } };
    Val wk = *wv, *xk, *yk, *next;

    wk.dims[0] = mg;
    wk.n = per;
    wk.data = wv->data + k * per;
    if (!(xk = onnx_emit_view (l, xt, 3, vd, OMNI_NN_PAD_CONSTANT, 0)))
      break;
    yk = conv_nhwc (
        l, xk, h, w, cg, &wk, mg, bv ? bv->data + k * mg : NULL, FALSE, win);
    g_free (xk);
    if (!yk)
      break;
    yk->rank = 3;
    yk->dims[0] = win->oh;
    yk->dims[1] = win->ow;
    yk->dims[2] = mg;
    next = acc ? onnx_concat2 (l, acc, yk, 2) : yk;
    if (acc) {
      g_free (acc);
      g_free (yk);
    }
    if (!(acc = next))
      break;
  }
  if (k < groups) {
    g_free (acc);
    return NULL;
  }
  return acc;
}

static gboolean
op_conv (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0), *wv = onnx_in_val (l, n, 1),
      *bv = onnx_in_val (l, n, 2);
  Val *xt, *y;
  guint h, w, c, m, g = (guint) onnx_attr_i (n, "group", 1);
  gboolean one_d;
  Window win;

  if (!x || !wv || !wv->is_const || (bv && !bv->is_const))
    return UNSUPPORTED (l, "weights or bias that are not constant");
  if (x->is_const)
    return UNSUPPORTED (l, "a Conv of a constant");
  one_d = x->rank == 3;
  if (wv->rank != x->rank || !g)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "weights do not fit the input");
  m = (guint) wv->dims[0];
  if (!(xt = onnx_to_nhwc (l, x, &h, &w, &c)))
    return FALSE;
  if (c % g || m % g || wv->dims[1] != c / g || (bv && bv->n != m)) {
    g_free (xt);
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "weights do not fit the groups");
  }
  if (!window (l, n, one_d, h, w, one_d ? 1 : (guint) wv->dims[2],
          (guint) wv->dims[x->rank - 1], &win)) {
    g_free (xt);
    return FALSE;
  }
  if (g == 1 || g == c)
    y = conv_nhwc (l, xt, h, w, c, wv, m, bv ? bv->data : NULL, g > 1, &win);
  else
    y = conv_groups (l, xt, h, w, c, wv, m, bv, g, &win);
  g_free (xt);
  if (!y)
    return FALSE;
  return onnx_put (l, n, 0, onnx_from_nhwc (l, y, win.oh, win.ow, m, one_d));
}

/* ConvTranspose pads along one axis: explicit, or from output_shape or
 * auto_pad (ONNX's rules); returns the output size, 0 if invalid. */
static gint
conv_t_axis (gint64 in, gint64 k, gint64 s, gint64 d, gint64 op,
    gint64 out_shape, const gchar *auto_pad, gint64 *pb, gint64 *pe)
{
  gint64 full = (in - 1) * s + (k - 1) * d + 1 + op;

  if (out_shape > 0 || strcmp (auto_pad, "NOTSET")) {
    gint64 want = out_shape > 0 ? out_shape : in * s, total = full - want;

    if (!strcmp (auto_pad, "SAME_UPPER")) {
      *pb = total / 2;
      *pe = total - *pb;
    } else {
      *pe = total / 2;
      *pb = total - *pe;
    }
  }
  return *pb < 0 || *pe < 0 || full - *pb - *pe <= 0
             ? 0
             : (gint) (full - *pb - *pe);
}

static gboolean
op_conv_transpose (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0), *wv = onnx_in_val (l, n, 1),
      *bv = onnx_in_val (l, n, 2);
  Val *xt, *y;
  OmniNnOpParams p = { 0 };
  OmniNnConv2dParams *q = &p.conv2d;
  gint64 st[2] = { 1, 1 }, dl[2] = { 1, 1 }, pads[4] = { 0 }, op[2] = { 0 };
  gint64 os[2] = { 0 }, kh, kw, pb[2], pe[2];
  gchar buf[16];
  const gchar *ap = onnx_attr_s (n, "auto_pad", "NOTSET", buf, sizeof (buf));
  guint h, w, c, m, i, dims[4];
  gboolean one_d;
  gint oh, ow, ns;
  gdouble *d;

  if (!x || x->is_const || !wv || !wv->is_const || (bv && !bv->is_const))
    return UNSUPPORTED (l, "weights or bias that are not constant");
  if (onnx_attr_i (n, "group", 1) != 1)
    return UNSUPPORTED (l, "groups");
  one_d = x->rank == 3;
  if (wv->rank != x->rank)
    return onnx_fail (l, OMNI_NN_ERROR_SHAPE, "weights do not fit the input");
  ns = one_d ? 1 : 2;
  onnx_attr_ints (n, "strides", st, 2);
  onnx_attr_ints (n, "dilations", dl, 2);
  onnx_attr_ints (n, "output_padding", op, 2);
  onnx_attr_ints (n, "output_shape", os, 2);
  if (onnx_attr_ints (n, "pads", pads, 4) == 2) {
    pads[2] = pads[1];
    pads[1] = 0;
  }
  if (!(xt = onnx_to_nhwc (l, x, &h, &w, &c)))
    return FALSE;
  m = (guint) wv->dims[1];
  kh = one_d ? 1 : wv->dims[2];
  kw = wv->dims[x->rank - 1];
  if (wv->dims[0] != c) {
    g_free (xt);
    return onnx_fail (
        l, OMNI_NN_ERROR_SHAPE, "weights do not fit the channels");
  }
  /* axis 0 = H (1 for 1-D), axis 1 = W */
  pb[0] = one_d ? 0 : pads[0];
  pe[0] = one_d ? 0 : pads[2];
  pb[1] = one_d ? pads[0] : pads[1];
  pe[1] = one_d ? pads[2] : pads[3];
  oh = one_d ? 1
             : conv_t_axis (
                 h, kh, st[0], dl[0], op[0], os[0], ap, &pb[0], &pe[0]);
  ow = conv_t_axis (w, kw, st[ns - 1], dl[ns - 1], op[ns - 1], os[ns - 1], ap,
      &pb[1], &pe[1]);
  if (oh <= 0 || ow <= 0) {
    g_free (xt);
    return UNSUPPORTED (l, "pads larger than the output");
  }
  q->in_h = h;
  q->in_w = w;
  q->in_c = c;
  q->out_h = (guint) oh;
  q->out_w = (guint) ow;
  q->out_c = m;
  q->kernel_h = (guint) kh;
  q->kernel_w = (guint) kw;
  q->stride_h = one_d ? 1 : (guint) st[0];
  q->stride_w = (guint) st[ns - 1];
  q->dilation_h = one_d ? 1 : (guint) dl[0];
  q->dilation_w = (guint) dl[ns - 1];
  q->pad_top = (gint) pb[0];
  q->pad_left = (gint) pb[1];
  /* [Cin, Cout, kh, kw] -> [kh, kw, Cin, Cout] */
  d = g_new (gdouble, wv->n);
  for (i = 0; i < wv->n; i++) {
    gsize xk = i % kw, yk = (i / kw) % kh, o = (i / (kw * kh)) % m;
    gsize ci = i / (kw * kh * m);

    d[((yk * kw + xk) * c + ci) * m + o] = wv->data[i];
  }
  dims[0] = (guint) kh;
  dims[1] = (guint) kw;
  dims[2] = c;
  dims[3] = m;
  y = onnx_emit (l, OMNI_NN_OP_CONV_TRANSPOSE, &p, &xt->tensor, 1,
      onnx_weight_tensor (l, d, wv->n, 4, dims),
      bv ? onnx_weight_flat (l, bv->data, bv->n) : OMNI_NN_NO_TENSOR, 0, NULL);
  g_free (d);
  g_free (xt);
  if (!y)
    return FALSE;
  return onnx_put (
      l, n, 0, onnx_from_nhwc (l, y, (guint) oh, (guint) ow, m, one_d));
}

static gboolean
op_pool (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0), *xt, *y;
  OmniNnOpParams p = { 0 };
  OmniNnPool2dParams *q = &p.pool2d;
  gint64 k[2];
  gint nk = onnx_attr_ints (n, "kernel_shape", k, 2);
  gboolean one_d, is_max = !strcmp (n->op_type, "MaxPool");
  guint h, w, c;
  Window win;

  if (!x || x->is_const || nk < 1)
    return UNSUPPORTED (l, "a pool of a constant or without kernel_shape");
  if (n->n_output > 1 && n->output[1] && *n->output[1])
    return UNSUPPORTED (l, "the Indices output");
  if (!is_max && onnx_attr_i (n, "count_include_pad", 0))
    return UNSUPPORTED (l, "count_include_pad");
  one_d = x->rank == 3;
  if (!(xt = onnx_to_nhwc (l, x, &h, &w, &c)))
    return FALSE;
  if (!window (l, n, one_d, h, w, one_d ? 1 : (guint) k[0], (guint) k[nk - 1],
          &win)) {
    g_free (xt);
    return FALSE;
  }
  if (win.dh != 1 || win.dw != 1) {
    g_free (xt);
    return UNSUPPORTED (l, "dilations");
  }
  q->in_h = h;
  q->in_w = w;
  q->c = c;
  q->out_h = win.oh;
  q->out_w = win.ow;
  q->kernel_h = win.kh;
  q->kernel_w = win.kw;
  q->stride_h = win.sh;
  q->stride_w = win.sw;
  q->pad_top = win.pt;
  q->pad_left = win.pl;
  q->max = is_max;
  y = onnx_emit (l, OMNI_NN_OP_POOL2D, &p, &xt->tensor, 1, OMNI_NN_NO_TENSOR,
      OMNI_NN_NO_TENSOR, 0, NULL);
  g_free (xt);
  if (!y)
    return FALSE;
  return onnx_put (l, n, 0, onnx_from_nhwc (l, y, win.oh, win.ow, c, one_d));
}

/* Resize (10+) and Upsample (9) of [1, C, H, W] in H and W, in the
 * coordinate modes that tf.image.resize computes the same way (the IR's
 * resize op, NHWC): linear with half_pixel (or pytorch_half_pixel),
 * asymmetric or align_corners; nearest with asymmetric + floor or
 * align_corners + round_prefer_ceil. Scales must give whole sizes. */
static gboolean
op_resize (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0), *xt, *y;
  gboolean up = !strcmp (n->op_type, "Upsample") || l->opset < 11;
  Val *sc = onnx_in_val (l, n, up ? 1 : 2),
      *sz = up ? NULL : onnx_in_val (l, n, 3);
  gchar b1[32], b2[32], b3[32];
  const gchar *mode = onnx_attr_s (n, "mode", "nearest", b1, sizeof (b1));
  const gchar *coord = onnx_attr_s (n, "coordinate_transformation_mode",
      up ? "asymmetric" : "half_pixel", b2, sizeof (b2));
  const gchar *nm
      = onnx_attr_s (n, "nearest_mode", "round_prefer_floor", b3, sizeof (b3));
  OmniNnOpParams p = { 0 };
  OmniNnResizeParams *q = &p.resize;
  guint h, w, c, oh, ow;
  gboolean nearest = !strcmp (mode, "nearest");

  if (!x || x->is_const || x->rank != 4 || x->dims[0] != 1)
    return UNSUPPORTED (l, "an input that is not [1, C, H, W]");
  if (sz && sz->n == 4 && sz->is_const) {
    oh = (guint) sz->data[2];
    ow = (guint) sz->data[3];
    if (sz->data[0] != 1 || sz->data[1] != x->dims[1])
      return UNSUPPORTED (l, "resizing N or C");
  } else if (sc && sc->is_const && sc->n == 4) {
    gdouble fh = x->dims[2] * sc->data[2], fw = x->dims[3] * sc->data[3];

    if (sc->data[0] != 1 || sc->data[1] != 1)
      return UNSUPPORTED (l, "resizing N or C");
    if (fh != floor (fh) || fw != floor (fw))
      return UNSUPPORTED (l, "scales that do not give whole sizes");
    oh = (guint) fh;
    ow = (guint) fw;
  } else {
    return UNSUPPORTED (l, "scales or sizes that are not constant");
  }
  if (!strcmp (coord, "pytorch_half_pixel") && oh > 1 && ow > 1)
    coord = "half_pixel";
  if (strcmp (mode, "nearest") && strcmp (mode, "linear"))
    return UNSUPPORTED (l, "mode '%s'", mode);
  if (nearest
      && !((!strcmp (coord, "asymmetric") && !strcmp (nm, "floor"))
           || (!strcmp (coord, "align_corners")
               && !strcmp (nm, "round_prefer_ceil"))))
    return UNSUPPORTED (l, "nearest with %s and %s", coord, nm);
  if (!nearest && strcmp (coord, "half_pixel") && strcmp (coord, "asymmetric")
      && strcmp (coord, "align_corners"))
    return UNSUPPORTED (l, "linear with %s", coord);
  if (!oh || !ow)
    return UNSUPPORTED (l, "an empty tensor");
  if (!(xt = onnx_to_nhwc (l, x, &h, &w, &c)))
    return FALSE;
  q->in_h = h;
  q->in_w = w;
  q->c = c;
  q->out_h = oh;
  q->out_w = ow;
  q->nearest = nearest;
  q->align_corners = !strcmp (coord, "align_corners");
  q->half_pixel_centers = !strcmp (coord, "half_pixel");
  y = onnx_emit (l, OMNI_NN_OP_RESIZE, &p, &xt->tensor, 1, OMNI_NN_NO_TENSOR,
      OMNI_NN_NO_TENSOR, 0, NULL);
  g_free (xt);
  if (!y)
    return FALSE;
  return onnx_put (l, n, 0, onnx_from_nhwc (l, y, oh, ow, c, FALSE));
}

/* Reduction of the adjacent axes [first, last] of @x (keepdims shape in
 * @rank/@dims). */
Val *
onnx_reduce_range (Loader *l, const Val *x, guint first, guint last,
    OmniNnReduceKind kind, guint rank, const gint64 *dims)
{
  OmniNnOpParams p = { 0 };
  guint i;

  p.reduce.outer = p.reduce.n = p.reduce.inner = 1;
  p.reduce.kind = kind;
  for (i = 0; i < x->rank; i++) {
    if (i < first)
      p.reduce.outer *= (guint) x->dims[i];
    else if (i <= last)
      p.reduce.n *= (guint) x->dims[i];
    else
      p.reduce.inner *= (guint) x->dims[i];
  }
  return onnx_emit (l, OMNI_NN_OP_REDUCE, &p, &x->tensor, 1, OMNI_NN_NO_TENSOR,
      OMNI_NN_NO_TENSOR, rank, dims);
}

static gboolean
op_global_pool (Loader *l, const Onnx__NodeProto *n)
{
  Val *x = onnx_in_val (l, n, 0), *t, *v;
  gint64 dims[MAX_RANK];
  guint i, h, w, c;
  OmniNnReduceKind kind = strcmp (n->op_type, "GlobalMaxPool")
                              ? OMNI_NN_REDUCE_MEAN
                              : OMNI_NN_REDUCE_MAX;

  if (!x || x->is_const || x->rank < 3)
    return UNSUPPORTED (l, "an input that is not [N, C, ...]");
  for (i = 0; i < x->rank; i++)
    dims[i] = i < 2 ? x->dims[i] : 1;
  if (x->nhwc && x->dims[0] == 1 && x->rank <= 4) {
    /* over H and W of the NHWC twin, into a [1, 1, C] twin of its own */
    gint64 one[3] = { 1, 1, 0 };

    if (!(t = onnx_to_nhwc (l, x, &h, &w, &c)))
      return FALSE;
    one[2] = c;
    v = onnx_reduce_range (l, t, 0, 1, kind, 3, one);
    g_free (t);
    return onnx_put (
        l, n, 0, v ? onnx_from_nhwc (l, v, 1, 1, c, x->rank == 3) : NULL);
  }
  return onnx_put (
      l, n, 0, onnx_reduce_range (l, x, 2, x->rank - 1, kind, x->rank, dims));
}

/* The ops this file imports: one line per ONNX op. */
const OmniNnOnnxImporter omni_nn_onnx_conv_importers[] = {
  { "Conv", op_conv },
  { "ConvTranspose", op_conv_transpose },
  { "MaxPool", op_pool },
  { "AveragePool", op_pool },
  { "GlobalAveragePool", op_global_pool },
  { "GlobalMaxPool", op_global_pool },
  { "Resize", op_resize },
  { "Upsample", op_resize },
  { NULL, NULL },
};
