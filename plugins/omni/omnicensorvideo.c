/* gst-omni: omnicensor's picture operations
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Blur, pixelate or black out a rectangle of an 8-bit video frame, one
 * component at a time (so every planar, semi-planar and packed 8-bit
 * format goes through the same code: a component is a base pointer, a
 * pixel stride and a row stride). The blur is three passes of a box
 * filter in each direction, which approaches a Gaussian of standard
 * deviation radius·sqrt(3·((2r+1)²-1)/12)/r (Wells, "Efficient synthesis
 * of Gaussian filters by cascaded uniform filters", IEEE PAMI 1986).
 */
#include "omnicensorvideo.h"

#include <string.h>

/* One component's rectangle: the pixel (i, j) is at
 * data + j * stride + i * pstride. */
typedef struct {
  guint8 *data;
  gint stride, pstride, w, h;
} Plane;

static gboolean
component_rect (
    GstVideoFrame *frame, guint c, gint x, gint y, gint w, gint h, Plane *p)
{
  const GstVideoFormatInfo *finfo = frame->info.finfo;
  /* first sample: floor; end: ceil, so that a chroma sample shared with
   * a pixel of the rectangle is censored too */
  gint x0 = x >> finfo->w_sub[c], y0 = y >> finfo->h_sub[c];
  gint x1 = GST_VIDEO_SUB_SCALE (finfo->w_sub[c], x + w);
  gint y1 = GST_VIDEO_SUB_SCALE (finfo->h_sub[c], y + h);

  x1 = MIN (x1, GST_VIDEO_FRAME_COMP_WIDTH (frame, c));
  y1 = MIN (y1, GST_VIDEO_FRAME_COMP_HEIGHT (frame, c));
  if (x1 <= x0 || y1 <= y0)
    return FALSE;
  p->stride = GST_VIDEO_FRAME_COMP_STRIDE (frame, c);
  p->pstride = GST_VIDEO_FRAME_COMP_PSTRIDE (frame, c);
  p->data = GST_VIDEO_FRAME_COMP_DATA (frame, c) + (gsize) y0 * p->stride
            + (gsize) x0 * p->pstride;
  p->w = x1 - x0;
  p->h = y1 - y0;
  return TRUE;
}

/* 1 / (2r + 1) in 16.16 fixed point: the mean of a window without a
 * division (sums stay below 255 × 2049, so the product fits 32 bits) */
#define RECIPROCAL(r) ((guint32) ((65536u + (r)) / (2u * (r) + 1u)))

/* One horizontal box pass of radius @r over the @w × @h image @src into
 * @dst (both contiguous); the edges repeat the border sample. */
static void
box_rows (const guint8 *src, guint8 *dst, gint w, gint h, gint r)
{
  gint i, j;
  guint32 inv = RECIPROCAL (r);

  for (j = 0; j < h; j++) {
    const guint8 *s = src + (gsize) j * w;
    guint8 *d = dst + (gsize) j * w;
    gint sum = 0;
    for (i = -r; i <= r; i++)
      sum += s[CLAMP (i, 0, w - 1)];
    for (i = 0; i < w; i++) {
      d[i] = (guint8) ((sum * inv + (1u << 15)) >> 16);
      sum += s[MIN (i + r + 1, w - 1)] - s[MAX (i - r, 0)];
    }
  }
}

/* The vertical pass, a row at a time (the column sums slide down), so
 * that memory is read in order. */
static void
box_columns (
    const guint8 *src, guint8 *dst, gint w, gint h, gint r, guint32 *sums)
{
  gint i, j;
  guint32 inv = RECIPROCAL (r);

  memset (sums, 0, sizeof (guint32) * w);
  for (j = -r; j <= r; j++) {
    const guint8 *s = src + (gsize) CLAMP (j, 0, h - 1) * w;
    for (i = 0; i < w; i++)
      sums[i] += s[i];
  }
  for (j = 0; j < h; j++) {
    const guint8 *add = src + (gsize) MIN (j + r + 1, h - 1) * w;
    const guint8 *sub = src + (gsize) MAX (j - r, 0) * w;
    guint8 *d = dst + (gsize) j * w;
    for (i = 0; i < w; i++) {
      d[i] = (guint8) ((sums[i] * inv + (1u << 15)) >> 16);
      sums[i] += add[i] - sub[i];
    }
  }
}

static void
copy_plane (Plane *p, guint8 *flat, gboolean to_flat)
{
  gint i, j;

  for (j = 0; j < p->h; j++) {
    guint8 *row = p->data + (gsize) j * p->stride;
    guint8 *f = flat + (gsize) j * p->w;
    if (p->pstride == 1)
      memcpy (to_flat ? f : row, to_flat ? row : f, p->w);
    else if (to_flat)
      for (i = 0; i < p->w; i++)
        f[i] = row[(gsize) i * p->pstride];
    else
      for (i = 0; i < p->w; i++)
        row[(gsize) i * p->pstride] = f[i];
  }
}

/* Three box passes each way: the plane is copied out contiguous, blurred
 * between two buffers and copied back. */
static void
blur_plane (Plane *p, gint radius)
{
  gsize n = (gsize) p->w * p->h;
  guint8 *a = g_malloc (n), *b = g_malloc (n);
  guint32 *sums = g_new (guint32, p->w);
  gint pass;

  copy_plane (p, a, TRUE);
  for (pass = 0; pass < 3; pass++) {
    box_rows (a, b, p->w, p->h, radius);
    box_columns (b, a, p->w, p->h, radius, sums);
  }
  copy_plane (p, a, FALSE);
  g_free (a);
  g_free (b);
  g_free (sums);
}

static void
pixelate_plane (Plane *p, gint block)
{
  gint bx, by, i, j;

  for (by = 0; by < p->h; by += block) {
    for (bx = 0; bx < p->w; bx += block) {
      gint bw = MIN (block, p->w - bx), bh = MIN (block, p->h - by);
      guint64 sum = 0;
      guint8 mean;
      for (j = by; j < by + bh; j++)
        for (i = bx; i < bx + bw; i++)
          sum += p->data[(gsize) j * p->stride + (gsize) i * p->pstride];
      mean = (guint8) ((sum + (bw * bh) / 2) / (bw * bh));
      for (j = by; j < by + bh; j++)
        for (i = bx; i < bx + bw; i++)
          p->data[(gsize) j * p->stride + (gsize) i * p->pstride] = mean;
    }
  }
}

static void
fill_plane (Plane *p, guint8 value)
{
  gint i, j;

  for (j = 0; j < p->h; j++)
    for (i = 0; i < p->w; i++)
      p->data[(gsize) j * p->stride + (gsize) i * p->pstride] = value;
}

/* Black in component @c: Y at the bottom of its range, chroma at the
 * middle, RGB 0. */
static guint8
black_value (const GstVideoInfo *info, guint c)
{
  const GstVideoFormatInfo *finfo = info->finfo;

  if (!GST_VIDEO_FORMAT_INFO_IS_YUV (finfo))
    return 0;
  if (c != GST_VIDEO_COMP_Y)
    return 128;
  return info->colorimetry.range == GST_VIDEO_COLOR_RANGE_0_255 ? 0 : 16;
}

/**
 * omni_censor_video_apply:
 * @frame: a mapped, writable frame of an 8-bit format
 *   (#OMNI_CENSOR_VIDEO_FORMATS)
 * @strength_px: blur radius or pixelation block, in luma pixels
 *
 * Censors the rectangle (@x, @y, @w, @h), clipped to the frame; pixels
 * outside it (but for chroma samples shared with pixels inside it) and
 * the alpha component are not touched.
 */
void
omni_censor_video_apply (GstVideoFrame *frame, OmniCensorVideoAction action,
    guint strength_px, gint x, gint y, gint w, gint h)
{
  gint fw = GST_VIDEO_FRAME_WIDTH (frame), fh = GST_VIDEO_FRAME_HEIGHT (frame);
  guint c, n = GST_VIDEO_FRAME_N_COMPONENTS (frame);
  gint x1 = CLAMP (x + w, 0, fw), y1 = CLAMP (y + h, 0, fh);

  x = CLAMP (x, 0, fw);
  y = CLAMP (y, 0, fh);
  if (action == OMNI_CENSOR_VIDEO_NONE || x1 <= x || y1 <= y)
    return;
  for (c = 0; c < n; c++) {
    const GstVideoFormatInfo *finfo = frame->info.finfo;
    gint s = MAX (1, GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (
                         finfo, c, (gint) MAX (strength_px, 1)));
    Plane p;
    if (GST_VIDEO_FORMAT_INFO_HAS_ALPHA (finfo) && c == GST_VIDEO_COMP_A)
      continue;
    if (!component_rect (frame, c, x, y, x1 - x, y1 - y, &p))
      continue;
    if (action == OMNI_CENSOR_VIDEO_BLUR)
      blur_plane (&p, s);
    else if (action == OMNI_CENSOR_VIDEO_PIXELATE)
      pixelate_plane (&p, s);
    else
      fill_plane (&p, black_value (&frame->info, c));
  }
}
