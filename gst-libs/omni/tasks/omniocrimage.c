/* gst-omni: 8-bit grey images for the OCR engines
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniocrimage.h"

#include <string.h>

/**
 * omni_ocr_image_new:
 * @width: width in pixels, > 0
 * @height: height in pixels, > 0
 * @channels: 1 (grey) or 3 (RGB)
 *
 * Returns: (transfer full): a black image, free with omni_ocr_image_free()
 */
OmniOcrImage *
omni_ocr_image_new (gint width, gint height, gint channels)
{
  OmniOcrImage *image;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (channels == 1 || channels == 3, NULL);

  image = g_new0 (OmniOcrImage, 1);
  image->width = width;
  image->height = height;
  image->channels = channels;
  image->stride = GST_ROUND_UP_4 (width * channels);
  image->data = g_malloc0 ((gsize) image->stride * height);
  return image;
}

void
omni_ocr_image_free (OmniOcrImage *image)
{
  if (!image)
    return;
  g_free (image->data);
  g_free (image);
}

/* ---- from video frames ------------------------------------------------- */

static OmniOcrImage *
from_gray8 (const GstVideoFrame *frame)
{
  OmniOcrImage *out = omni_ocr_image_new (
      GST_VIDEO_FRAME_WIDTH (frame), GST_VIDEO_FRAME_HEIGHT (frame), 1);
  const guint8 *src = GST_VIDEO_FRAME_COMP_DATA (frame, 0);
  gint stride = GST_VIDEO_FRAME_COMP_STRIDE (frame, 0);
  gint y;

  for (y = 0; y < out->height; y++)
    memcpy (out->data + (gsize) y * out->stride, src + (gsize) y * stride,
        out->width);
  return out;
}

static OmniOcrImage *
from_packed_rgb (const GstVideoFrame *frame)
{
  OmniOcrImage *out = omni_ocr_image_new (
      GST_VIDEO_FRAME_WIDTH (frame), GST_VIDEO_FRAME_HEIGHT (frame), 3);
  const guint8 *r = GST_VIDEO_FRAME_COMP_DATA (frame, GST_VIDEO_COMP_R);
  const guint8 *g = GST_VIDEO_FRAME_COMP_DATA (frame, GST_VIDEO_COMP_G);
  const guint8 *b = GST_VIDEO_FRAME_COMP_DATA (frame, GST_VIDEO_COMP_B);
  gint ps = GST_VIDEO_FRAME_COMP_PSTRIDE (frame, GST_VIDEO_COMP_R);
  gint stride = GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0);
  gint x, y;

  for (y = 0; y < out->height; y++) {
    gsize row = (gsize) y * stride;
    guint8 *dst = out->data + (gsize) y * out->stride;

    for (x = 0; x < out->width; x++, dst += 3) {
      gsize o = row + (gsize) x * ps;
      dst[0] = r[o];
      dst[1] = g[o];
      dst[2] = b[o];
    }
  }
  return out;
}

static inline guint8
clamp_u8 (gint v)
{
  return (guint8) CLAMP (v, 0, 255);
}

/* 8-bit YUV, any subsampling and plane layout: BT.601 limited range to RGB
 * (fixed point, 8 fractional bits). */
static OmniOcrImage *
from_yuv (const GstVideoFrame *frame)
{
  const GstVideoFormatInfo *fi = frame->info.finfo;
  OmniOcrImage *out = omni_ocr_image_new (
      GST_VIDEO_FRAME_WIDTH (frame), GST_VIDEO_FRAME_HEIGHT (frame), 3);
  const guint8 *yp = GST_VIDEO_FRAME_COMP_DATA (frame, 0);
  const guint8 *up = GST_VIDEO_FRAME_COMP_DATA (frame, 1);
  const guint8 *vp = GST_VIDEO_FRAME_COMP_DATA (frame, 2);
  gint ys = GST_VIDEO_FRAME_COMP_STRIDE (frame, 0);
  gint us = GST_VIDEO_FRAME_COMP_STRIDE (frame, 1);
  gint vs = GST_VIDEO_FRAME_COMP_STRIDE (frame, 2);
  gint ups = GST_VIDEO_FRAME_COMP_PSTRIDE (frame, 1);
  gint vps = GST_VIDEO_FRAME_COMP_PSTRIDE (frame, 2);
  gint wsub = GST_VIDEO_FORMAT_INFO_W_SUB (fi, 1);
  gint hsub = GST_VIDEO_FORMAT_INFO_H_SUB (fi, 1);
  gint x, y;

  for (y = 0; y < out->height; y++) {
    const guint8 *yr = yp + (gsize) y * ys;
    const guint8 *ur = up + (gsize) (y >> hsub) * us;
    const guint8 *vr = vp + (gsize) (y >> hsub) * vs;
    guint8 *dst = out->data + (gsize) y * out->stride;

    for (x = 0; x < out->width; x++, dst += 3) {
      gint c = 298 * (yr[x] - 16);
      gint d = ur[(x >> wsub) * ups] - 128, e = vr[(x >> wsub) * vps] - 128;

      dst[0] = clamp_u8 ((c + 409 * e + 128) >> 8);
      dst[1] = clamp_u8 ((c - 100 * d - 208 * e + 128) >> 8);
      dst[2] = clamp_u8 ((c + 516 * d + 128) >> 8);
    }
  }
  return out;
}

/**
 * omni_ocr_convert_func_for_format:
 * @format: a raw video format
 *
 * Returns: the function turning a frame of @format into an #OmniOcrImage,
 *   or %NULL when @format is not 8-bit YUV (planar or semi-planar), GRAY8
 *   or packed 8-bit RGB.
 */
OmniOcrConvertFunc
omni_ocr_convert_func_for_format (GstVideoFormat format)
{
  const GstVideoFormatInfo *finfo = gst_video_format_get_info (format);

  if (!finfo || format == GST_VIDEO_FORMAT_UNKNOWN
      || format == GST_VIDEO_FORMAT_ENCODED
      || GST_VIDEO_FORMAT_INFO_DEPTH (finfo, 0) != 8
      || GST_VIDEO_FORMAT_INFO_IS_TILED (finfo)
      || GST_VIDEO_FORMAT_INFO_HAS_PALETTE (finfo))
    return NULL;
  if (format == GST_VIDEO_FORMAT_GRAY8)
    return from_gray8;
  if (GST_VIDEO_FORMAT_INFO_IS_RGB (finfo)
      && GST_VIDEO_FORMAT_INFO_N_PLANES (finfo) == 1
      && GST_VIDEO_FORMAT_INFO_PSTRIDE (finfo, 0) >= 3)
    return from_packed_rgb;
  if (GST_VIDEO_FORMAT_INFO_IS_YUV (finfo)
      && GST_VIDEO_FORMAT_INFO_N_PLANES (finfo) >= 2
      && GST_VIDEO_FORMAT_INFO_PSTRIDE (finfo, 0) == 1)
    return from_yuv;
  return NULL;
}

/* ---- geometry ---------------------------------------------------------- */

/**
 * omni_ocr_image_crop:
 * @src: an image
 * @x: left edge, may lie outside @src (outside pixels repeat the edge)
 * @y: top edge, likewise
 * @width: width, > 0
 * @height: height, > 0
 *
 * Returns: (transfer full): a copy of the rectangle
 */
OmniOcrImage *
omni_ocr_image_crop (
    const OmniOcrImage *src, gint x, gint y, gint width, gint height)
{
  OmniOcrImage *out = omni_ocr_image_new (width, height, src->channels);
  gint i, j, c, n = src->channels;

  for (j = 0; j < height; j++) {
    gint sy = CLAMP (y + j, 0, src->height - 1);
    const guint8 *row = src->data + (gsize) sy * src->stride;
    guint8 *dst = out->data + (gsize) j * out->stride;

    for (i = 0; i < width; i++)
      for (c = 0; c < n; c++)
        dst[i * n + c] = row[CLAMP (x + i, 0, src->width - 1) * n + c];
  }
  return out;
}

/* Averages kx x ky blocks: the anti-aliasing step before a bilinear
 * down-scale by more than two. */
static OmniOcrImage *
box_reduce (const OmniOcrImage *src, gint kx, gint ky)
{
  gint ch = src->channels;
  OmniOcrImage *out = omni_ocr_image_new (
      MAX (1, src->width / kx), MAX (1, src->height / ky), ch);
  gint x, y, i, j, c, n = kx * ky;

  for (y = 0; y < out->height; y++) {
    guint8 *dst = out->data + (gsize) y * out->stride;

    for (x = 0; x < out->width; x++)
      for (c = 0; c < ch; c++) {
        guint sum = 0;

        for (j = 0; j < ky; j++) {
          const guint8 *row = src->data + (gsize) (y * ky + j) * src->stride;
          for (i = 0; i < kx; i++)
            sum += row[(x * kx + i) * ch + c];
        }
        dst[x * ch + c] = (sum + n / 2) / n;
      }
  }
  return out;
}

static void
bilinear (const OmniOcrImage *src, OmniOcrImage *out)
{
  gdouble fx = (gdouble) src->width / out->width;
  gdouble fy = (gdouble) src->height / out->height;
  gint x, y, c, n = src->channels;

  for (y = 0; y < out->height; y++) {
    gdouble sy = CLAMP ((y + 0.5) * fy - 0.5, 0.0, src->height - 1.0);
    gint y0 = (gint) sy, y1 = MIN (y0 + 1, src->height - 1);
    gdouble wy = sy - y0;
    const guint8 *r0 = src->data + (gsize) y0 * src->stride;
    const guint8 *r1 = src->data + (gsize) y1 * src->stride;
    guint8 *dst = out->data + (gsize) y * out->stride;

    for (x = 0; x < out->width; x++) {
      gdouble sx = CLAMP ((x + 0.5) * fx - 0.5, 0.0, src->width - 1.0);
      gint x0 = (gint) sx, x1 = MIN (x0 + 1, src->width - 1);
      gdouble wx = sx - x0;

      for (c = 0; c < n; c++) {
        gint a = x0 * n + c, b = x1 * n + c;
        gdouble top = r0[a] + wx * (r0[b] - r0[a]);
        gdouble bot = r1[a] + wx * (r1[b] - r1[a]);

        dst[x * n + c] = (guint8) (top + wy * (bot - top) + 0.5);
      }
    }
  }
}

/**
 * omni_ocr_image_scale:
 * @src: an image
 * @width: new width, > 0
 * @height: new height, > 0
 *
 * Resamples @src: bilinear, after a box average when shrinking by two or
 * more, so that thin strokes are not aliased away.
 *
 * Returns: (transfer full): the scaled image
 */
OmniOcrImage *
omni_ocr_image_scale (const OmniOcrImage *src, gint width, gint height)
{
  OmniOcrImage *out, *reduced = NULL;
  gint kx = MAX (1, src->width / width), ky = MAX (1, src->height / height);

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  if (kx > 1 || ky > 1) {
    reduced = box_reduce (src, kx, ky);
    src = reduced;
  }
  out = omni_ocr_image_new (width, height, src->channels);
  bilinear (src, out);
  omni_ocr_image_free (reduced);
  return out;
}

/* ---- intensity --------------------------------------------------------- */

void
omni_ocr_image_invert (OmniOcrImage *image)
{
  gint x, y;

  for (y = 0; y < image->height; y++) {
    guint8 *row = image->data + (gsize) y * image->stride;
    for (x = 0; x < image->width * image->channels; x++)
      row[x] = 255 - row[x];
  }
}

/**
 * omni_ocr_image_warp_quad:
 * @src: an image
 * @quad: (array fixed-size=8): a parallelogram (a rotated rectangle) in
 *   @src's pixels: x0, y0 (its top-left corner), x1, y1 (top-right), x2, y2
 *   (bottom-right), x3, y3 (bottom-left)
 * @width: the output's width, > 0
 * @height: the output's height, > 0
 *
 * The parallelogram straightened into an upright @width x @height image
 * (an affine map of corners 0, 1 and 3, bilinear samples, edges repeated
 * outside @src): what a text recogniser reads of a rotated text box, as
 * PaddleOCR's get_rotate_crop_image.
 *
 * Returns: (transfer full): the straightened image
 */
OmniOcrImage *
omni_ocr_image_warp_quad (
    const OmniOcrImage *src, const gdouble *quad, gint width, gint height)
{
  OmniOcrImage *out = omni_ocr_image_new (width, height, src->channels);
  gdouble ux = (quad[2] - quad[0]) / width, uy = (quad[3] - quad[1]) / width;
  gdouble vx = (quad[6] - quad[0]) / height, vy = (quad[7] - quad[1]) / height;
  gint i, j, c, n = src->channels;

  for (j = 0; j < height; j++) {
    guint8 *dst = out->data + (gsize) j * out->stride;

    for (i = 0; i < width; i++) {
      gdouble fx = quad[0] + (i + 0.5) * ux + (j + 0.5) * vx - 0.5;
      gdouble fy = quad[1] + (i + 0.5) * uy + (j + 0.5) * vy - 0.5;
      gint x0, y0, x1, y1;
      gdouble ax, ay;

      fx = CLAMP (fx, 0, src->width - 1);
      fy = CLAMP (fy, 0, src->height - 1);
      x0 = (gint) fx;
      y0 = (gint) fy;
      x1 = MIN (x0 + 1, src->width - 1);
      y1 = MIN (y0 + 1, src->height - 1);
      ax = fx - x0;
      ay = fy - y0;
      for (c = 0; c < n; c++) {
        const guint8 *r0 = src->data + (gsize) y0 * src->stride;
        const guint8 *r1 = src->data + (gsize) y1 * src->stride;
        gdouble v = (1 - ay) * ((1 - ax) * r0[x0 * n + c] + ax * r0[x1 * n + c])
                    + ay * ((1 - ax) * r1[x0 * n + c] + ax * r1[x1 * n + c]);

        dst[i * n + c] = (guint8) CLAMP ((gint) (v + 0.5), 0, 255);
      }
    }
  }
  return out;
}
