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
 *
 * Returns: (transfer full): a black image, free with omni_ocr_image_free()
 */
OmniOcrImage *
omni_ocr_image_new (gint width, gint height)
{
  OmniOcrImage *image;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  image = g_new0 (OmniOcrImage, 1);
  image->width = width;
  image->height = height;
  image->stride = GST_ROUND_UP_4 (width);
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

/* Formats whose first component is 8-bit luma, one byte a pixel. */
static void
grey_from_luma_plane (const GstVideoFrame *frame, OmniOcrImage *out)
{
  const guint8 *src = GST_VIDEO_FRAME_COMP_DATA (frame, 0);
  gint stride = GST_VIDEO_FRAME_COMP_STRIDE (frame, 0);
  gint y;

  for (y = 0; y < out->height; y++)
    memcpy (out->data + (gsize) y * out->stride, src + (gsize) y * stride,
        out->width);
}

/* Packed 8-bit RGB: BT.601 luma, Y = (77 R + 150 G + 29 B) / 256. */
static void
grey_from_packed_rgb (const GstVideoFrame *frame, OmniOcrImage *out)
{
  const guint8 *r = GST_VIDEO_FRAME_COMP_DATA (frame, GST_VIDEO_COMP_R);
  const guint8 *g = GST_VIDEO_FRAME_COMP_DATA (frame, GST_VIDEO_COMP_G);
  const guint8 *b = GST_VIDEO_FRAME_COMP_DATA (frame, GST_VIDEO_COMP_B);
  gint ps = GST_VIDEO_FRAME_COMP_PSTRIDE (frame, GST_VIDEO_COMP_R);
  gint stride = GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0);
  gint x, y;

  for (y = 0; y < out->height; y++) {
    gsize row = (gsize) y * stride;
    guint8 *dst = out->data + (gsize) y * out->stride;

    for (x = 0; x < out->width; x++) {
      gsize o = row + (gsize) x * ps;
      dst[x] = (77 * r[o] + 150 * g[o] + 29 * b[o]) >> 8;
    }
  }
}

/**
 * omni_ocr_grey_func_for_format:
 * @format: a raw video format
 *
 * Returns: the function writing @format's luma into an #OmniOcrImage, or
 *   %NULL when @format is not 8-bit planar/semi-planar YUV, GRAY8 or packed
 *   8-bit RGB.
 */
OmniOcrGreyFunc
omni_ocr_grey_func_for_format (GstVideoFormat format)
{
  const GstVideoFormatInfo *finfo = gst_video_format_get_info (format);

  if (!finfo || format == GST_VIDEO_FORMAT_UNKNOWN
      || format == GST_VIDEO_FORMAT_ENCODED)
    return NULL;
  if (GST_VIDEO_FORMAT_INFO_DEPTH (finfo, 0) != 8)
    return NULL;
  if (GST_VIDEO_FORMAT_INFO_IS_RGB (finfo)) {
    if (GST_VIDEO_FORMAT_INFO_N_PLANES (finfo) != 1
        || GST_VIDEO_FORMAT_INFO_HAS_PALETTE (finfo)
        || GST_VIDEO_FORMAT_INFO_PSTRIDE (finfo, 0) < 3)
      return NULL;
    return grey_from_packed_rgb;
  }
  if ((GST_VIDEO_FORMAT_INFO_IS_YUV (finfo)
          || GST_VIDEO_FORMAT_INFO_IS_GRAY (finfo))
      && GST_VIDEO_FORMAT_INFO_PSTRIDE (finfo, 0) == 1
      && !GST_VIDEO_FORMAT_INFO_IS_TILED (finfo))
    return grey_from_luma_plane;
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
  OmniOcrImage *out = omni_ocr_image_new (width, height);
  gint i, j;

  for (j = 0; j < height; j++) {
    gint sy = CLAMP (y + j, 0, src->height - 1);
    const guint8 *row = src->data + (gsize) sy * src->stride;
    guint8 *dst = out->data + (gsize) j * out->stride;

    for (i = 0; i < width; i++)
      dst[i] = row[CLAMP (x + i, 0, src->width - 1)];
  }
  return out;
}

/* Averages kx x ky blocks: the anti-aliasing step before a bilinear
 * down-scale by more than two. */
static OmniOcrImage *
box_reduce (const OmniOcrImage *src, gint kx, gint ky)
{
  OmniOcrImage *out
      = omni_ocr_image_new (MAX (1, src->width / kx), MAX (1, src->height / ky));
  gint x, y, i, j, n = kx * ky;

  for (y = 0; y < out->height; y++) {
    guint8 *dst = out->data + (gsize) y * out->stride;

    for (x = 0; x < out->width; x++) {
      guint sum = 0;

      for (j = 0; j < ky; j++) {
        const guint8 *row = src->data + (gsize) (y * ky + j) * src->stride;
        for (i = 0; i < kx; i++)
          sum += row[x * kx + i];
      }
      dst[x] = (sum + n / 2) / n;
    }
  }
  return out;
}

static void
bilinear (const OmniOcrImage *src, OmniOcrImage *out)
{
  gdouble fx = (gdouble) src->width / out->width;
  gdouble fy = (gdouble) src->height / out->height;
  gint x, y;

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
      gdouble top = r0[x0] + wx * (r0[x1] - r0[x0]);
      gdouble bot = r1[x0] + wx * (r1[x1] - r1[x0]);

      dst[x] = (guint8) (top + wy * (bot - top) + 0.5);
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
  out = omni_ocr_image_new (width, height);
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
    for (x = 0; x < image->width; x++)
      row[x] = 255 - row[x];
  }
}

/**
 * omni_ocr_image_otsu:
 * @image: an image
 *
 * Otsu's threshold (N. Otsu, "A threshold selection method from gray-level
 * histograms", IEEE Trans. SMC 9(1), 1979): the level that maximises the
 * between-class variance of the two classes it splits the histogram into.
 *
 * Returns: the threshold t; pixels > t form the light class
 */
guint8
omni_ocr_image_otsu (const OmniOcrImage *image)
{
  guint64 hist[256] = { 0 };
  gdouble total = (gdouble) image->width * image->height, sum = 0, sum_b = 0;
  gdouble w_b = 0, best = -1;
  gint x, y, t, best_t = 127;

  for (y = 0; y < image->height; y++) {
    const guint8 *row = image->data + (gsize) y * image->stride;
    for (x = 0; x < image->width; x++)
      hist[row[x]]++;
  }
  for (t = 0; t < 256; t++)
    sum += (gdouble) t * hist[t];
  for (t = 0; t < 256; t++) {
    gdouble w_f, between;

    w_b += hist[t];
    if (w_b == 0)
      continue;
    w_f = total - w_b;
    if (w_f == 0)
      break;
    sum_b += (gdouble) t * hist[t];
    between = w_b * w_f * (sum_b / w_b - (sum - sum_b) / w_f)
              * (sum_b / w_b - (sum - sum_b) / w_f);
    if (between > best) {
      best = between;
      best_t = t;
    }
  }
  return (guint8) best_t;
}

/**
 * omni_ocr_image_is_light_on_dark:
 * @image: a text line with some margin around it
 *
 * Strokes cover less of a line's box than the background does: when the
 * light class of Otsu's split is the smaller one, the text is light on a
 * dark background (a caption) and must be inverted for the engines, which
 * expect dark text on a light page.
 *
 * Returns: whether the text in @image is lighter than its background
 */
gboolean
omni_ocr_image_is_light_on_dark (const OmniOcrImage *image)
{
  guint8 t = omni_ocr_image_otsu (image);
  guint64 light = 0, n = (guint64) image->width * image->height;
  gint x, y;

  for (y = 0; y < image->height; y++) {
    const guint8 *row = image->data + (gsize) y * image->stride;
    for (x = 0; x < image->width; x++)
      light += row[x] > t;
  }
  return light * 2 < n;
}
