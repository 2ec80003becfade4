/* gst-omni: plain-C reference implementations of the neural-network ops
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omninnops
 * @title: Model runtime operators
 * @short_description: op parameters and plain-C references
 *
 * Every operator of the graph IR has a parameter struct and a plain-C
 * reference here. The references define the semantics the Vulkan kernels
 * must reproduce; they follow TensorFlow.js (batch 1, NHWC, float32) so that
 * a TF.js layers model gives the same results as on TF.js. Loops are ordered
 * so that the innermost one runs over contiguous output channels, which the
 * compiler vectorises; accumulation is float32 like TF.js's CPU backend.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnops.h"

#include <math.h>
#include <string.h>

const gchar *
omni_nn_activation_name (OmniNnActivation act)
{
  switch (act) {
  case OMNI_NN_ACT_NONE:
    return "linear";
  case OMNI_NN_ACT_RELU:
    return "relu";
  case OMNI_NN_ACT_RELU6:
    return "relu6";
  case OMNI_NN_ACT_SIGMOID:
    return "sigmoid";
  case OMNI_NN_ACT_TANH:
    return "tanh";
  case OMNI_NN_ACT_LEAKY_RELU:
    return "leaky-relu";
  case OMNI_NN_ACT_HARD_SWISH:
    return "hard-swish";
  }
  return "unknown";
}

gboolean
omni_nn_conv_output_size (guint in, guint kernel, guint stride, guint dilation,
    OmniNnPadding padding, guint *out, guint *pad_before)
{
  guint eff, o, total = 0;

  g_return_val_if_fail (stride >= 1 && dilation >= 1 && kernel >= 1, FALSE);

  eff = (kernel - 1) * dilation + 1;
  if (padding == OMNI_NN_PADDING_SAME) {
    guint64 need;

    o = (in + stride - 1) / stride;
    need = (guint64) (o > 0 ? o - 1 : 0) * stride + eff;
    total = need > in ? (guint) (need - in) : 0;
  } else {
    o = in >= eff ? (in - eff) / stride + 1 : 0;
  }
  if (out)
    *out = o;
  if (pad_before)
    *pad_before = total / 2;
  return o > 0;
}

static inline gfloat
activate (gfloat v, OmniNnActivation act, gfloat alpha)
{
  switch (act) {
  case OMNI_NN_ACT_NONE:
    return v;
  case OMNI_NN_ACT_RELU:
    return v > 0.0f ? v : 0.0f;
  case OMNI_NN_ACT_RELU6:
    return v > 0.0f ? (v < 6.0f ? v : 6.0f) : 0.0f;
  case OMNI_NN_ACT_SIGMOID:
    return 1.0f / (1.0f + expf (-v));
  case OMNI_NN_ACT_TANH:
    return tanhf (v);
  case OMNI_NN_ACT_LEAKY_RELU:
    return v >= 0.0f ? v : alpha * v;
  case OMNI_NN_ACT_HARD_SWISH: {
    /* as omni_nn_ref_hard_swish() */
    gfloat r = v + 3.0f;

    r = r > 0.0f ? (r < 6.0f ? r : 6.0f) : 0.0f;
    return (v * alpha) * r;
  }
  }
  return v;
}

static void
activate_n (gfloat *v, gsize n, OmniNnActivation act, gfloat alpha)
{
  gsize i;

  if (act == OMNI_NN_ACT_NONE)
    return;
  for (i = 0; i < n; i++)
    v[i] = activate (v[i], act, alpha);
}

/* Sums start from 0 and the bias is added last, as TF.js (conv2d or
 * matMul, then add(bias)) does: the same rounding. */
static void
init_bias (gfloat *out, const gfloat *bias, guint n)
{
  memset (out, 0, n * sizeof (gfloat));
}

static void
add_bias (gfloat *out, const gfloat *bias, guint n)
{
  guint i;

  if (bias)
    for (i = 0; i < n; i++)
      out[i] += bias[i];
}

void
omni_nn_ref_conv2d (const OmniNnConv2dParams *p, const gfloat *in,
    const gfloat *weights, const gfloat *bias, gfloat *out)
{
  guint oy, ox, ky, kx, ci, co;
  const guint oc = p->out_c, ic = p->in_c;
  gdouble *acc = g_new (gdouble, oc);

  for (oy = 0; oy < p->out_h; oy++) {
    for (ox = 0; ox < p->out_w; ox++) {
      gfloat *o = out + ((gsize) oy * p->out_w + ox) * oc;

      memset (acc, 0, oc * sizeof (gdouble));
      for (ky = 0; ky < p->kernel_h; ky++) {
        gint iy = (gint) (oy * p->stride_h) - p->pad_top
                  + (gint) (ky * p->dilation_h);

        if (iy < 0 || iy >= (gint) p->in_h)
          continue;
        for (kx = 0; kx < p->kernel_w; kx++) {
          gint ix = (gint) (ox * p->stride_w) - p->pad_left
                    + (gint) (kx * p->dilation_w);
          const gfloat *src, *w;

          if (ix < 0 || ix >= (gint) p->in_w)
            continue;
          src = in + ((gsize) iy * p->in_w + ix) * ic;
          w = weights + ((gsize) ky * p->kernel_w + kx) * ic * oc;
          for (ci = 0; ci < ic; ci++) {
            const gfloat v = src[ci];
            const gfloat *wr = w + (gsize) ci * oc;

            for (co = 0; co < oc; co++)
              acc[co] += (gdouble) v * wr[co];
          }
        }
      }
      for (co = 0; co < oc; co++)
        o[co] = (gfloat) acc[co];
      add_bias (o, bias, oc);
      activate_n (o, oc, p->activation, p->alpha);
    }
  }
  g_free (acc);
}

void
omni_nn_ref_depthwise_conv2d (const OmniNnDepthwiseConv2dParams *p,
    const gfloat *in, const gfloat *weights, const gfloat *bias, gfloat *out)
{
  guint oy, ox, ky, kx, c, m;
  const guint oc = p->out_c, ic = p->in_c, mult = p->depth_multiplier;

  for (oy = 0; oy < p->out_h; oy++) {
    for (ox = 0; ox < p->out_w; ox++) {
      gfloat *o = out + ((gsize) oy * p->out_w + ox) * oc;

      init_bias (o, bias, oc);
      for (ky = 0; ky < p->kernel_h; ky++) {
        gint iy = (gint) (oy * p->stride_h) - p->pad_top
                  + (gint) (ky * p->dilation_h);

        if (iy < 0 || iy >= (gint) p->in_h)
          continue;
        for (kx = 0; kx < p->kernel_w; kx++) {
          gint ix = (gint) (ox * p->stride_w) - p->pad_left
                    + (gint) (kx * p->dilation_w);
          const gfloat *src, *w;

          if (ix < 0 || ix >= (gint) p->in_w)
            continue;
          src = in + ((gsize) iy * p->in_w + ix) * ic;
          w = weights + ((gsize) ky * p->kernel_w + kx) * oc;
          if (mult == 1) {
            for (c = 0; c < ic; c++)
              o[c] += src[c] * w[c];
          } else {
            for (c = 0; c < ic; c++)
              for (m = 0; m < mult; m++)
                o[c * mult + m] += src[c] * w[c * mult + m];
          }
        }
      }
      add_bias (o, bias, oc);
      activate_n (o, oc, p->activation, p->alpha);
    }
  }
}

/* @rows rows of @n double sums -> @out, rounded once, + bias, activated. */
static void
finish_rows (gfloat *out, const gdouble *acc, guint rows, gsize n,
    const gfloat *bias, const OmniNnGemmParams *p)
{
  gsize r, j;

  for (r = 0; r < rows; r++) {
    for (j = 0; j < n; j++)
      out[r * n + j] = (gfloat) acc[r * n + j];
    add_bias (out + r * n, bias, n);
  }
  activate_n (out, rows * n, p->activation, p->alpha);
}

void
omni_nn_ref_gemm (const OmniNnGemmParams *p, const gfloat *in,
    const gfloat *weights, const gfloat *bias, gfloat *out)
{
  const gsize k = p->k, n = p->n;
  gdouble *acc = g_new (gdouble, 4 * n);
  gdouble *a0 = acc, *a1 = a0 + n, *a2 = a1 + n, *a3 = a2 + n;
  guint i = 0, l, j;

  /* four rows at a time share each weight row (same summation order per
   * output as one row at a time); sums in double precision, rounded once */
  for (; i + 4 <= p->m; i += 4) {
    const gfloat *a = in + (gsize) i * k;

    memset (acc, 0, 4 * n * sizeof (gdouble));
    for (l = 0; l < k; l++) {
      const gdouble v0 = a[l], v1 = a[k + l], v2 = a[2 * k + l],
                    v3 = a[3 * k + l];
      const gfloat *w = weights + (gsize) l * n;

      for (j = 0; j < n; j++) {
        const gdouble wj = w[j];

        a0[j] += v0 * wj;
        a1[j] += v1 * wj;
        a2[j] += v2 * wj;
        a3[j] += v3 * wj;
      }
    }
    finish_rows (out + (gsize) i * n, acc, 4, n, bias, p);
  }
  for (; i < p->m; i++) {
    const gfloat *a = in + (gsize) i * k;

    memset (acc, 0, n * sizeof (gdouble));
    for (l = 0; l < k; l++) {
      const gdouble v = a[l];
      const gfloat *w = weights + (gsize) l * n;

      for (j = 0; j < n; j++)
        a0[j] += v * w[j];
    }
    finish_rows (out + (gsize) i * n, acc, 1, n, bias, p);
  }
  g_free (acc);
}

void
omni_nn_ref_pad (const OmniNnPadParams *p, const gfloat *in, gfloat *out)
{
  const guint ow = p->in_w + p->pad_left + p->pad_right;
  const guint oh = p->in_h + p->pad_top + p->pad_bottom;
  const guint oc = p->pad_front + p->c + p->pad_back;
  guint y, x;

  memset (out, 0, (gsize) oh * ow * oc * sizeof (gfloat));
  for (y = 0; y < p->in_h; y++) {
    for (x = 0; x < p->in_w; x++) {
      memcpy (out + ((gsize) (y + p->pad_top) * ow + x + p->pad_left) * oc
                  + p->pad_front,
          in + ((gsize) y * p->in_w + x) * p->c, p->c * sizeof (gfloat));
    }
  }
}

void
omni_nn_ref_pool2d (const OmniNnPool2dParams *p, const gfloat *in, gfloat *out)
{
  guint oy, ox, c, ky, kx;

  for (oy = 0; oy < p->out_h; oy++) {
    for (ox = 0; ox < p->out_w; ox++) {
      gfloat *o = out + ((gsize) oy * p->out_w + ox) * p->c;
      guint taps = 0;

      for (c = 0; c < p->c; c++)
        o[c] = p->max ? -INFINITY : 0.0f;
      for (ky = 0; ky < p->kernel_h; ky++) {
        gint iy = (gint) (oy * p->stride_h + ky) - p->pad_top;

        if (iy < 0 || iy >= (gint) p->in_h)
          continue;
        for (kx = 0; kx < p->kernel_w; kx++) {
          gint ix = (gint) (ox * p->stride_w + kx) - p->pad_left;
          const gfloat *i;

          if (ix < 0 || ix >= (gint) p->in_w)
            continue;
          i = in + ((gsize) iy * p->in_w + ix) * p->c;
          taps++;
          for (c = 0; c < p->c; c++)
            o[c] = p->max ? MAX (o[c], i[c]) : o[c] + i[c];
        }
      }
      if (!p->max)
        for (c = 0; c < p->c; c++)
          o[c] = taps ? o[c] / (gfloat) taps : 0.0f;
    }
  }
}

static inline gfloat
binary (OmniNnBinaryKind kind, gfloat a, gfloat b)
{
  switch (kind) {
  case OMNI_NN_BINARY_ADD:
    return a + b;
  case OMNI_NN_BINARY_SUB:
    return a - b;
  case OMNI_NN_BINARY_MUL:
    return a * b;
  case OMNI_NN_BINARY_DIV:
    return a / b;
  case OMNI_NN_BINARY_MAX:
    return a > b ? a : b;
  case OMNI_NN_BINARY_MIN:
    return a < b ? a : b;
  default:
    return NAN;
  }
}

void
omni_nn_ref_binary (
    const OmniNnBinaryParams *p, const gfloat *a, const gfloat *b, gfloat *out)
{
  guint d[4] = { 1, 1, 1, 1 }, da[4] = { 1, 1, 1, 1 }, db[4] = { 1, 1, 1, 1 };
  guint i0, i1, i2, i3, k;
  gsize o = 0;

  /* right-align to 4 dimensions */
  for (k = 0; k < p->n_dims; k++) {
    d[4 - p->n_dims + k] = p->dims[k];
    da[4 - p->n_dims + k] = p->a_dims[k];
    db[4 - p->n_dims + k] = p->b_dims[k];
  }
  for (i0 = 0; i0 < d[0]; i0++)
    for (i1 = 0; i1 < d[1]; i1++)
      for (i2 = 0; i2 < d[2]; i2++)
        for (i3 = 0; i3 < d[3]; i3++) {
          gsize ia = (((gsize) (i0 % da[0]) * da[1] + i1 % da[1]) * da[2]
                         + i2 % da[2])
                         * da[3]
                     + i3 % da[3];
          gsize ib = (((gsize) (i0 % db[0]) * db[1] + i1 % db[1]) * db[2]
                         + i2 % db[2])
                         * db[3]
                     + i3 % db[3];

          out[o++] = p->swap ? binary (p->kind, b[ib], a[ia])
                             : binary (p->kind, a[ia], b[ib]);
        }
}

void
omni_nn_ref_concat (
    const OmniNnConcatParams *p, const gfloat *a, const gfloat *b, gfloat *out)
{
  guint o;

  for (o = 0; o < p->outer; o++) {
    memcpy (out, a + (gsize) o * p->a, p->a * sizeof (gfloat));
    memcpy (out + p->a, b + (gsize) o * p->b, p->b * sizeof (gfloat));
    activate_n (out, p->a + p->b, p->activation, 0.0f);
    out += p->a + p->b;
  }
}

/* TF.js (backend-cpu resizeBilinear / resizeNearestNeighbor): the ratio in
 * double precision. */
static gdouble
resize_ratio (guint in, guint out, gboolean align_corners)
{
  if (align_corners && out > 1)
    return (gdouble) (in - 1) / (out - 1);
  return (gdouble) in / out;
}

static void
resize_coord (const OmniNnResizeParams *p, guint dst, guint in, guint out,
    guint *s0, guint *s1, gfloat *frac)
{
  gdouble r = resize_ratio (in, out, p->align_corners);
  gdouble s = p->half_pixel_centers ? r * (dst + 0.5) - 0.5 : r * dst;

  if (p->nearest) {
    /* Math.round with align_corners: half rounds up */
    gdouble n = p->align_corners || p->half_pixel_centers ? floor (s + 0.5)
                                                          : floor (s);

    *s0 = *s1 = (guint) CLAMP (n, 0, (gdouble) in - 1);
    *frac = 0;
    return;
  }
  *s0 = (guint) MAX (floor (s), 0);
  *s1 = (guint) MIN (ceil (s), (gdouble) in - 1);
  *s0 = MIN (*s0, in - 1);
  *frac = (gfloat) (s - floor (s));
}

void
omni_nn_ref_resize (const OmniNnResizeParams *p, const gfloat *in, gfloat *out)
{
  guint oy, ox, c;

  for (oy = 0; oy < p->out_h; oy++) {
    guint y0, y1, x0, x1;
    gfloat fy, fx;

    resize_coord (p, oy, p->in_h, p->out_h, &y0, &y1, &fy);
    for (ox = 0; ox < p->out_w; ox++) {
      const gfloat *tl, *tr, *bl, *br;

      resize_coord (p, ox, p->in_w, p->out_w, &x0, &x1, &fx);
      tl = in + ((gsize) y0 * p->in_w + x0) * p->c;
      tr = in + ((gsize) y0 * p->in_w + x1) * p->c;
      bl = in + ((gsize) y1 * p->in_w + x0) * p->c;
      br = in + ((gsize) y1 * p->in_w + x1) * p->c;
      for (c = 0; c < p->c; c++) {
        gfloat top = tl[c] + (tr[c] - tl[c]) * fx;
        gfloat bottom = bl[c] + (br[c] - bl[c]) * fx;

        *out++ = top + (bottom - top) * fy;
      }
    }
  }
}

void
omni_nn_ref_hard_swish (
    const OmniNnHardSwishParams *p, const gfloat *in, gfloat *out)
{
  gsize i;

  for (i = 0; i < p->n; i++) {
    gfloat r = in[i] + 3.0f;

    r = r > 0.0f ? (r < 6.0f ? r : 6.0f) : 0.0f;
    out[i] = (in[i] * p->scale) * r;
  }
}

void
omni_nn_ref_add (
    const OmniNnEltwiseParams *p, const gfloat *a, const gfloat *b, gfloat *out)
{
  gsize i;

  for (i = 0; i < p->n; i++)
    out[i] = activate (a[i] + b[i], p->activation, p->alpha);
}

void
omni_nn_ref_activation (
    const OmniNnEltwiseParams *p, const gfloat *in, gfloat *out)
{
  gsize i;

  for (i = 0; i < p->n; i++)
    out[i] = activate (in[i], p->activation, p->alpha);
}

void
omni_nn_ref_slice (const OmniNnSliceParams *p, const gfloat *in, gfloat *out)
{
  gsize run = (gsize) p->out_len * p->inner;
  guint o;

  for (o = 0; o < p->outer; o++) {
    memcpy (out, in + ((gsize) o * p->in_len + p->offset) * p->inner,
        run * sizeof (gfloat));
    out += run;
  }
}

void
omni_nn_ref_global_avg_pool (
    const OmniNnPoolParams *p, const gfloat *in, gfloat *out)
{
  const gsize hw = (gsize) p->h * p->w;
  gsize i;
  guint c;

  memset (out, 0, p->c * sizeof (gfloat));
  for (i = 0; i < hw; i++) {
    const gfloat *src = in + i * p->c;

    for (c = 0; c < p->c; c++)
      out[c] += src[c];
  }
  for (c = 0; c < p->c; c++)
    out[c] /= (gfloat) hw;
}

void
omni_nn_ref_softmax (
    const OmniNnSoftmaxParams *p, const gfloat *in, gfloat *out)
{
  guint r, i;

  for (r = 0; r < p->rows; r++) {
    const gfloat *x = in + (gsize) r * p->n;
    gfloat *y = out + (gsize) r * p->n;
    gfloat max = -INFINITY, sum = 0.0f;

    for (i = 0; i < p->n; i++)
      max = MAX (max, x[i]);
    for (i = 0; i < p->n; i++) {
      y[i] = expf (x[i] - max);
      sum += y[i];
    }
    for (i = 0; i < p->n; i++)
      y[i] /= sum;
  }
}

void
omni_nn_ref_batch_norm (const OmniNnChannelParams *p, const gfloat *in,
    const gfloat *scale, const gfloat *shift, gfloat *out)
{
  gsize i;

  for (i = 0; i < p->n; i++) {
    guint c = i % p->c;

    out[i] = in[i] * scale[c] + shift[c];
  }
}

/* ---- pre-processing ---------------------------------------------------- */

gboolean
omni_nn_pixel_layout_packed (OmniNnPixelLayout layout, guint *bytes_per_pixel,
    guint *r, guint *g, guint *b)
{
  /* bytes per pixel, then the byte offsets of R, G and B */
  static const guint8 packed[][4] = {
    [OMNI_NN_PIXEL_RGB] = { 3, 0, 1, 2 },
    [OMNI_NN_PIXEL_BGR] = { 3, 2, 1, 0 },
    [OMNI_NN_PIXEL_RGBX] = { 4, 0, 1, 2 },
    [OMNI_NN_PIXEL_BGRX] = { 4, 2, 1, 0 },
    [OMNI_NN_PIXEL_XRGB] = { 4, 1, 2, 3 },
    [OMNI_NN_PIXEL_XBGR] = { 4, 3, 2, 1 },
    [OMNI_NN_PIXEL_RGBA] = { 4, 0, 1, 2 },
    [OMNI_NN_PIXEL_BGRA] = { 4, 2, 1, 0 },
    [OMNI_NN_PIXEL_ARGB] = { 4, 1, 2, 3 },
    [OMNI_NN_PIXEL_ABGR] = { 4, 3, 2, 1 },
  };

  if ((guint) layout > OMNI_NN_PIXEL_ABGR)
    return FALSE;
  if (bytes_per_pixel)
    *bytes_per_pixel = packed[layout][0];
  if (r)
    *r = packed[layout][1];
  if (g)
    *g = packed[layout][2];
  if (b)
    *b = packed[layout][3];
  return TRUE;
}

gboolean
omni_nn_pixel_layout_from_video_format (
    GstVideoFormat format, OmniNnPixelLayout *layout)
{
  OmniNnPixelLayout l;

  switch (format) {
  case GST_VIDEO_FORMAT_RGB:
    l = OMNI_NN_PIXEL_RGB;
    break;
  case GST_VIDEO_FORMAT_BGR:
    l = OMNI_NN_PIXEL_BGR;
    break;
  case GST_VIDEO_FORMAT_RGBx:
    l = OMNI_NN_PIXEL_RGBX;
    break;
  case GST_VIDEO_FORMAT_BGRx:
    l = OMNI_NN_PIXEL_BGRX;
    break;
  case GST_VIDEO_FORMAT_xRGB:
    l = OMNI_NN_PIXEL_XRGB;
    break;
  case GST_VIDEO_FORMAT_xBGR:
    l = OMNI_NN_PIXEL_XBGR;
    break;
  case GST_VIDEO_FORMAT_RGBA:
    l = OMNI_NN_PIXEL_RGBA;
    break;
  case GST_VIDEO_FORMAT_BGRA:
    l = OMNI_NN_PIXEL_BGRA;
    break;
  case GST_VIDEO_FORMAT_ARGB:
    l = OMNI_NN_PIXEL_ARGB;
    break;
  case GST_VIDEO_FORMAT_ABGR:
    l = OMNI_NN_PIXEL_ABGR;
    break;
  case GST_VIDEO_FORMAT_GRAY8:
    l = OMNI_NN_PIXEL_GRAY8;
    break;
  case GST_VIDEO_FORMAT_I420:
    l = OMNI_NN_PIXEL_I420;
    break;
  case GST_VIDEO_FORMAT_NV12:
    l = OMNI_NN_PIXEL_NV12;
    break;
  default:
    return FALSE;
  }
  if (layout)
    *layout = l;
  return TRUE;
}

void
omni_nn_yuv_to_rgb_coefficients (
    OmniNnYuvMatrix matrix, gboolean full_range, gfloat m[12])
{
  /* Y'CbCr -> R'G'B' from the luma coefficients Kr, Kb (ITU-R BT.601-7,
   * BT.709-6, BT.2020-2): E'R = Y + 2 (1 - Kr) Pr, E'B = Y + 2 (1 - Kb) Pb,
   * E'G = Y - 2 Kb (1 - Kb) / Kg Pb - 2 Kr (1 - Kr) / Kg Pr, with
   * Y = (D'Y - 16) / 219 and P = (D'C - 128) / 224 for studio range
   * (8 bits), Y = D'Y / 255 and P = (D'C - 128) / 255 for full range. */
  gdouble kr, kb, kg, ys, cs, yo;

  switch (matrix) {
  case OMNI_NN_YUV_BT709:
    kr = 0.2126;
    kb = 0.0722;
    break;
  case OMNI_NN_YUV_BT2020:
    kr = 0.2627;
    kb = 0.0593;
    break;
  case OMNI_NN_YUV_BT601:
  default:
    kr = 0.299;
    kb = 0.114;
    break;
  }
  kg = 1.0 - kr - kb;
  if (full_range) {
    ys = 1.0;
    cs = 1.0;
    yo = 0.0;
  } else {
    ys = 255.0 / 219.0;
    cs = 255.0 / 224.0;
    yo = 16.0;
  }
  /* R */
  m[0] = ys;
  m[1] = 0.0f;
  m[2] = cs * 2.0 * (1.0 - kr);
  m[3] = -yo * ys - 128.0 * m[2];
  /* G */
  m[4] = ys;
  m[5] = -cs * 2.0 * kb * (1.0 - kb) / kg;
  m[6] = -cs * 2.0 * kr * (1.0 - kr) / kg;
  m[7] = -yo * ys - 128.0 * (m[5] + m[6]);
  /* B */
  m[8] = ys;
  m[9] = cs * 2.0 * (1.0 - kb);
  m[10] = 0.0f;
  m[11] = -yo * ys - 128.0 * m[9];
}

gboolean
omni_nn_preprocess_params_from_video_info (OmniNnPreprocessParams *p,
    const GstVideoInfo *info, guint out_w, guint out_h, gboolean align_corners,
    gfloat scale, gfloat offset)
{
  OmniNnPixelLayout layout;
  guint i;

  g_return_val_if_fail (p != NULL && info != NULL, FALSE);

  if (!omni_nn_pixel_layout_from_video_format (
          GST_VIDEO_INFO_FORMAT (info), &layout))
    return FALSE;

  memset (p, 0, sizeof (*p));
  p->layout = layout;
  p->in_w = GST_VIDEO_INFO_WIDTH (info);
  p->in_h = GST_VIDEO_INFO_HEIGHT (info);
  for (i = 0; i < GST_VIDEO_INFO_N_PLANES (info) && i < 3; i++) {
    p->strides[i] = GST_VIDEO_INFO_PLANE_STRIDE (info, i);
    p->offsets[i] = GST_VIDEO_INFO_PLANE_OFFSET (info, i);
  }
  switch (info->colorimetry.matrix) {
  case GST_VIDEO_COLOR_MATRIX_BT709:
    p->matrix = OMNI_NN_YUV_BT709;
    break;
  case GST_VIDEO_COLOR_MATRIX_BT2020:
    p->matrix = OMNI_NN_YUV_BT2020;
    break;
  default:
    p->matrix = OMNI_NN_YUV_BT601;
    break;
  }
  p->full_range = info->colorimetry.range == GST_VIDEO_COLOR_RANGE_0_255;
  p->out_w = out_w;
  p->out_h = out_h;
  p->align_corners = align_corners;
  p->scale = scale;
  p->offset = offset;
  return TRUE;
}

static gsize
plane_end (gsize offset, guint stride, guint rows, gsize row_bytes)
{
  if (rows == 0)
    return offset;
  return offset + (gsize) stride * (rows - 1) + row_bytes;
}

gsize
omni_nn_preprocess_frame_size (const OmniNnPreprocessParams *p)
{
  guint bpp;
  const guint cw = (p->in_w + 1) / 2, ch = (p->in_h + 1) / 2;

  if (omni_nn_pixel_layout_packed (p->layout, &bpp, NULL, NULL, NULL))
    return plane_end (
        p->offsets[0], p->strides[0], p->in_h, (gsize) p->in_w * bpp);

  switch (p->layout) {
  case OMNI_NN_PIXEL_GRAY8:
    return plane_end (p->offsets[0], p->strides[0], p->in_h, p->in_w);
  case OMNI_NN_PIXEL_I420:
    return MAX (plane_end (p->offsets[0], p->strides[0], p->in_h, p->in_w),
        MAX (plane_end (p->offsets[1], p->strides[1], ch, cw),
            plane_end (p->offsets[2], p->strides[2], ch, cw)));
  case OMNI_NN_PIXEL_NV12:
    return MAX (plane_end (p->offsets[0], p->strides[0], p->in_h, p->in_w),
        plane_end (p->offsets[1], p->strides[1], ch, (gsize) cw * 2));
  default:
    return 0;
  }
}

static inline gfloat
clamp255 (gfloat v)
{
  return v < 0.0f ? 0.0f : (v > 255.0f ? 255.0f : v);
}

/* RGB code values of source pixel (x, y). */
static inline void
fetch_rgb (const OmniNnPreprocessParams *p, const guint8 *frame,
    const gfloat *m, guint bpp, guint ro, guint go, guint bo, guint x, guint y,
    gfloat rgb[3])
{
  gfloat Y, U, V;

  switch (p->layout) {
  case OMNI_NN_PIXEL_GRAY8:
    rgb[0] = rgb[1] = rgb[2]
        = frame[p->offsets[0] + (gsize) y * p->strides[0] + x];
    return;
  case OMNI_NN_PIXEL_I420:
    Y = frame[p->offsets[0] + (gsize) y * p->strides[0] + x];
    U = frame[p->offsets[1] + (gsize) (y / 2) * p->strides[1] + x / 2];
    V = frame[p->offsets[2] + (gsize) (y / 2) * p->strides[2] + x / 2];
    break;
  case OMNI_NN_PIXEL_NV12: {
    const guint8 *uv
        = frame + p->offsets[1] + (gsize) (y / 2) * p->strides[1] + (x / 2) * 2;

    Y = frame[p->offsets[0] + (gsize) y * p->strides[0] + x];
    U = uv[0];
    V = uv[1];
    break;
  }
  default: {
    const guint8 *px
        = frame + p->offsets[0] + (gsize) y * p->strides[0] + (gsize) x * bpp;

    rgb[0] = px[ro];
    rgb[1] = px[go];
    rgb[2] = px[bo];
    return;
  }
  }
  rgb[0] = clamp255 (m[0] * Y + m[1] * U + m[2] * V + m[3]);
  rgb[1] = clamp255 (m[4] * Y + m[5] * U + m[6] * V + m[7]);
  rgb[2] = clamp255 (m[8] * Y + m[9] * U + m[10] * V + m[11]);
}

void
omni_nn_ref_preprocess (
    const OmniNnPreprocessParams *p, const guint8 *frame, gfloat *out)
{
  gfloat m[12];
  guint bpp = 1, ro = 0, go = 0, bo = 0;
  guint ox, oy, c;
  gdouble ry, rx;
  guint *x0, *x1;
  gdouble *xf;

  omni_nn_yuv_to_rgb_coefficients (p->matrix, p->full_range, m);
  omni_nn_pixel_layout_packed (p->layout, &bpp, &ro, &go, &bo);

  /* tf.image.resizeBilinear (tfjs-backend-cpu ResizeBilinear.ts):
   * effective sizes drop one pixel when alignCorners and out > 1. */
  ry = (p->align_corners && p->out_h > 1)
           ? (gdouble) (p->in_h - 1) / (p->out_h - 1)
           : (gdouble) p->in_h / p->out_h;
  rx = (p->align_corners && p->out_w > 1)
           ? (gdouble) (p->in_w - 1) / (p->out_w - 1)
           : (gdouble) p->in_w / p->out_w;

  x0 = g_new (guint, p->out_w);
  x1 = g_new (guint, p->out_w);
  xf = g_new (gdouble, p->out_w);
  for (ox = 0; ox < p->out_w; ox++) {
    gdouble sx = rx * ox;
    guint f = MIN ((guint) floor (sx), p->in_w - 1);

    x0[ox] = f;
    x1[ox] = MIN ((guint) ceil (sx), p->in_w - 1);
    xf[ox] = sx - f;
  }

  for (oy = 0; oy < p->out_h; oy++) {
    gdouble sy = ry * oy;
    guint y0 = MIN ((guint) floor (sy), p->in_h - 1);
    guint y1 = MIN ((guint) ceil (sy), p->in_h - 1);
    gdouble yf = sy - y0;

    for (ox = 0; ox < p->out_w; ox++) {
      gfloat tl[3], tr[3], bl[3], br[3];
      gfloat *o = out + ((gsize) oy * p->out_w + ox) * 3;

      fetch_rgb (p, frame, m, bpp, ro, go, bo, x0[ox], y0, tl);
      fetch_rgb (p, frame, m, bpp, ro, go, bo, x1[ox], y0, tr);
      fetch_rgb (p, frame, m, bpp, ro, go, bo, x0[ox], y1, bl);
      fetch_rgb (p, frame, m, bpp, ro, go, bo, x1[ox], y1, br);
      for (c = 0; c < 3; c++) {
        gdouble top = tl[c] + (tr[c] - tl[c]) * xf[ox];
        gdouble bottom = bl[c] + (br[c] - bl[c]) * xf[ox];
        gfloat v = (gfloat) (top + (bottom - top) * yf);

        o[c] = v * p->scale + p->offset;
      }
    }
  }
  g_free (x0);
  g_free (x1);
  g_free (xf);
}
