/* gst-omni: omnioverlay's pixel painter (fills and alpha masks, per format)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every supported format has 8-bit components; what differs is where a
 * component's samples live (plane, byte offset, pixel stride) and their
 * subsampling. omni_painter_init() picks the fill and blend functions for
 * the format once (at set_info time), and converts colours to the
 * format's components once per colour (RGB -> Y'CbCr with the stream's
 * matrix and range).
 *
 * A rectangle sets every sample it touches: in a 4:2:0 frame a border one
 * pixel wide also sets the chroma of its 2x2 neighbours, and nothing else.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "omnioverlaypaint.h"

/* Clips x, y, w, h to the frame; FALSE if nothing is left. */
static gboolean
clip (const GstVideoInfo *info, gint *x, gint *y, gint *w, gint *h)
{
  gint x1 = MIN ((gint64) *x + *w, GST_VIDEO_INFO_WIDTH (info));
  gint y1 = MIN ((gint64) *y + *h, GST_VIDEO_INFO_HEIGHT (info));

  *x = MAX (*x, 0);
  *y = MAX (*y, 0);
  *w = x1 - *x;
  *h = y1 - *y;
  return *w > 0 && *h > 0;
}

/* The samples of component @c that the clipped rectangle touches. */
static void
comp_span (const GstVideoFormatInfo *finfo, guint c, gint x, gint y, gint w,
    gint h, gint *sx0, gint *sy0, gint *sx1, gint *sy1)
{
  guint ws = GST_VIDEO_FORMAT_INFO_W_SUB (finfo, c);
  guint hs = GST_VIDEO_FORMAT_INFO_H_SUB (finfo, c);

  *sx0 = x >> ws;
  *sy0 = y >> hs;
  *sx1 = ((x + w - 1) >> ws) + 1;
  *sy1 = ((y + h - 1) >> hs) + 1;
}

/* Planar, semi-planar and packed 3-byte formats, component by component:
 * a memset per row where the samples are adjacent. */
static void
fill_components (const OmniPainter *p, GstVideoFrame *frame, gint x, gint y,
    gint w, gint h, const OmniPaintColor *c)
{
  const GstVideoFormatInfo *finfo = p->info.finfo;
  guint k;

  if (!clip (&p->info, &x, &y, &w, &h))
    return;
  for (k = 0; k < GST_VIDEO_FORMAT_INFO_N_COMPONENTS (finfo); k++) {
    guint8 *data = GST_VIDEO_FRAME_COMP_DATA (frame, k);
    gint stride = GST_VIDEO_FRAME_COMP_STRIDE (frame, k);
    gint ps = GST_VIDEO_FRAME_COMP_PSTRIDE (frame, k);
    gint sx0, sy0, sx1, sy1, sy, sx;

    comp_span (finfo, k, x, y, w, h, &sx0, &sy0, &sx1, &sy1);
    for (sy = sy0; sy < sy1; sy++) {
      guint8 *row = data + (gsize) sy * stride;

      if (ps == 1)
        memset (row + sx0, c->v[k], sx1 - sx0);
      else
        for (sx = sx0; sx < sx1; sx++)
          row[sx * ps] = c->v[k];
    }
  }
}

/* Packed 4-byte RGB (RGBx, BGRx, xRGB, xBGR, RGBA, BGRA, ARGB, ABGR): one
 * 32-bit store per pixel (a padding byte becomes 0xff). */
static void
fill_packed4 (const OmniPainter *p, GstVideoFrame *frame, gint x, gint y,
    gint w, gint h, const OmniPaintColor *c)
{
  const GstVideoFormatInfo *finfo = p->info.finfo;
  guint8 pixel[4] = { 0xff, 0xff, 0xff, 0xff };
  guint32 word;
  guint8 *data = GST_VIDEO_FRAME_PLANE_DATA (frame, 0);
  gint stride = GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0);
  guint k;
  gint row, i;

  if (!clip (&p->info, &x, &y, &w, &h))
    return;
  for (k = 0; k < GST_VIDEO_FORMAT_INFO_N_COMPONENTS (finfo); k++)
    pixel[GST_VIDEO_FORMAT_INFO_POFFSET (finfo, k)] = c->v[k];
  memcpy (&word, pixel, 4);
  for (row = y; row < y + h; row++) {
    guint8 *d = data + (gsize) row * stride + (gsize) x * 4;

    /* one pixel, then copies of what is done, doubling: libc's memcpy
     * does the wide stores */
    memcpy (d, &word, 4);
    for (i = 1; i < w; i *= 2)
      memcpy (d + (gsize) i * 4, d, (gsize) MIN (i, w - i) * 4);
  }
}

/* Are the next 8 coverage values (of @left) all zero? */
static inline gboolean
zero8 (const guint8 *m, gint left)
{
  guint64 w;

  if (left < 8)
    return FALSE;
  memcpy (&w, m, 8);
  return w == 0;
}

static inline guint8
mix (guint8 dst, guint8 src, guint a)
{
  return (guint8) ((dst * (255 - a) + src * a + 127) / 255);
}

/* Any supported format: each sample takes the coverage of the pixel at
 * its top-left corner. */
static void
blend_components (const OmniPainter *p, GstVideoFrame *frame, gint x, gint y,
    const guint8 *mask, gint mw, gint mh, gint ms, const OmniPaintColor *c)
{
  const GstVideoFormatInfo *finfo = p->info.finfo;
  gint cx = x, cy = y, cw = mw, ch = mh;
  guint k;

  if (!clip (&p->info, &cx, &cy, &cw, &ch))
    return;
  for (k = 0; k < GST_VIDEO_FORMAT_INFO_N_COMPONENTS (finfo); k++) {
    guint8 *data = GST_VIDEO_FRAME_COMP_DATA (frame, k);
    gint stride = GST_VIDEO_FRAME_COMP_STRIDE (frame, k);
    gint ps = GST_VIDEO_FRAME_COMP_PSTRIDE (frame, k);
    guint ws = GST_VIDEO_FORMAT_INFO_W_SUB (finfo, k);
    guint hs = GST_VIDEO_FORMAT_INFO_H_SUB (finfo, k);
    gint sx0, sy0, sx1, sy1, sy, sx;

    comp_span (finfo, k, cx, cy, cw, ch, &sx0, &sy0, &sx1, &sy1);
    for (sy = sy0; sy < sy1; sy++) {
      gint my = CLAMP ((sy << hs) - y, 0, mh - 1);
      const guint8 *mrow = mask + (gsize) my * ms;
      guint8 *row = data + (gsize) sy * stride;

      if (ws == 0) { /* a sample per pixel: the mask indexes directly */
        const guint8 *m = mrow - x;

        for (sx = sx0; sx < sx1; sx++) {
          guint a;

          if (zero8 (m + sx, sx1 - sx)) {
            sx += 7;
            continue;
          }
          a = m[sx];
          if (a == 255)
            row[sx * ps] = c->v[k];
          else if (a)
            row[sx * ps] = mix (row[sx * ps], c->v[k], a);
        }
        continue;
      }
      for (sx = sx0; sx < sx1; sx++) {
        guint a = mrow[CLAMP ((sx << ws) - x, 0, mw - 1)];

        if (a)
          row[sx * ps] = mix (row[sx * ps], c->v[k], a);
      }
    }
  }
}

/* Packed 4-byte RGB: one pass over the pixels; full coverage is one
 * 32-bit store, none is skipped. */
static void
blend_packed4 (const OmniPainter *p, GstVideoFrame *frame, gint x, gint y,
    const guint8 *mask, gint mw, gint mh, gint ms, const OmniPaintColor *c)
{
  const GstVideoFormatInfo *finfo = p->info.finfo;
  guint8 pixel[4] = { 0xff, 0xff, 0xff, 0xff };
  guint8 *data = GST_VIDEO_FRAME_PLANE_DATA (frame, 0);
  gint stride = GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0);
  gint cx = x, cy = y, cw = mw, ch = mh, row, i;
  guint k, n = GST_VIDEO_FORMAT_INFO_N_COMPONENTS (finfo), off[4];

  if (!clip (&p->info, &cx, &cy, &cw, &ch))
    return;
  for (k = 0; k < n; k++) {
    off[k] = GST_VIDEO_FORMAT_INFO_POFFSET (finfo, k);
    pixel[off[k]] = c->v[k];
  }
  for (row = cy; row < cy + ch; row++) {
    const guint8 *m = mask + (gsize) (row - y) * ms + (cx - x);
    guint8 *d = data + (gsize) row * stride + (gsize) cx * 4;

    for (i = 0; i < cw; i++, d += 4) {
      guint a;

      if (zero8 (m + i, cw - i)) { /* glyph-free stretch: skip 8 pixels */
        i += 7;
        d += 28;
        continue;
      }
      a = m[i];
      if (a == 255) {
        memcpy (d, pixel, 4);
      } else if (a) {
        for (k = 0; k < n; k++)
          d[off[k]] = mix (d[off[k]], pixel[off[k]], a);
      }
    }
  }
}

static gboolean
is_packed4 (const GstVideoFormatInfo *finfo)
{
  return GST_VIDEO_FORMAT_INFO_IS_RGB (finfo)
         && GST_VIDEO_FORMAT_INFO_N_PLANES (finfo) == 1
         && GST_VIDEO_FORMAT_INFO_PSTRIDE (finfo, 0) == 4;
}

/* The formats omnioverlay draws on (see its caps). */
static gboolean
is_supported (GstVideoFormat format)
{
  switch (format) {
  case GST_VIDEO_FORMAT_I420:
  case GST_VIDEO_FORMAT_YV12:
  case GST_VIDEO_FORMAT_NV12:
  case GST_VIDEO_FORMAT_NV21:
  case GST_VIDEO_FORMAT_Y42B:
  case GST_VIDEO_FORMAT_Y444:
  case GST_VIDEO_FORMAT_RGBx:
  case GST_VIDEO_FORMAT_BGRx:
  case GST_VIDEO_FORMAT_xRGB:
  case GST_VIDEO_FORMAT_xBGR:
  case GST_VIDEO_FORMAT_RGBA:
  case GST_VIDEO_FORMAT_BGRA:
  case GST_VIDEO_FORMAT_ARGB:
  case GST_VIDEO_FORMAT_ABGR:
  case GST_VIDEO_FORMAT_RGB:
  case GST_VIDEO_FORMAT_BGR:
  case GST_VIDEO_FORMAT_GRAY8:
    return TRUE;
  default:
    return FALSE;
  }
}

/* Picks the drawing functions for @info's format; FALSE if it is not one
 * omnioverlay draws on. */
gboolean
omni_painter_init (OmniPainter *p, const GstVideoInfo *info)
{
  const GstVideoFormatInfo *finfo = info->finfo;
  guint k;

  if (!is_supported (GST_VIDEO_INFO_FORMAT (info)))
    return FALSE;
  p->info = *info;
  p->fill = is_packed4 (finfo) ? fill_packed4 : fill_components;
  p->blend = is_packed4 (finfo) ? blend_packed4 : blend_components;
  p->yuv = GST_VIDEO_FORMAT_INFO_IS_YUV (finfo);
  p->alpha_comp = GST_VIDEO_FORMAT_INFO_HAS_ALPHA (finfo) ? 3 : -1;
  gst_video_color_range_offsets (
      info->colorimetry.range, finfo, p->offset, p->scale);
  if (!gst_video_color_matrix_get_Kr_Kb (
          info->colorimetry.matrix, &p->kr, &p->kb)) {
    p->kr = 0.299; /* BT.601 when the matrix is unknown */
    p->kb = 0.114;
  }
  for (k = 0; k < 4; k++) {
    if (p->scale[k] == 0)
      p->scale[k] = 255;
  }
  return TRUE;
}

static guint8
to_u8 (gdouble v)
{
  return (guint8) CLAMP (v + 0.5, 0.0, 255.0);
}

/* @r, @g, @b (full-range sRGB-like 8-bit) as the frame's components. */
void
omni_painter_color (
    const OmniPainter *p, guint8 r, guint8 g, guint8 b, OmniPaintColor *c)
{
  gdouble R = r / 255.0, G = g / 255.0, B = b / 255.0;

  memset (c, 0xff, sizeof (*c));
  if (p->yuv || GST_VIDEO_INFO_IS_GRAY (&p->info)) {
    gdouble Y = p->kr * R + (1.0 - p->kr - p->kb) * G + p->kb * B;
    gdouble U = (B - Y) / (2.0 * (1.0 - p->kb));
    gdouble V = (R - Y) / (2.0 * (1.0 - p->kr));

    c->v[0] = to_u8 (p->offset[0] + Y * p->scale[0]);
    c->v[1] = to_u8 (p->offset[1] + U * p->scale[1]);
    c->v[2] = to_u8 (p->offset[2] + V * p->scale[2]);
  } else {
    c->v[0] = r;
    c->v[1] = g;
    c->v[2] = b;
  }
}

/* A line @width pixels thick from (x0, y0) to (x1, y1): squares stamped
 * along a DDA walk. */
void
omni_painter_line (const OmniPainter *p, GstVideoFrame *frame, gint x0, gint y0,
    gint x1, gint y1, gint width, const OmniPaintColor *c)
{
  gint dx = x1 - x0, dy = y1 - y0;
  gint steps = MAX (ABS (dx), ABS (dy)), i, half = width / 2;
  gint w = GST_VIDEO_INFO_WIDTH (&p->info),
       h = GST_VIDEO_INFO_HEIGHT (&p->info);

  /* nothing to draw when both ends lie on one side outside the frame */
  if ((x0 < 0 && x1 < 0) || (y0 < 0 && y1 < 0) || (x0 >= w && x1 >= w)
      || (y0 >= h && y1 >= h))
    return;
  for (i = 0; i <= steps; i++) {
    gint x = steps ? x0 + (gint) ((gint64) dx * i / steps) : x0;
    gint y = steps ? y0 + (gint) ((gint64) dy * i / steps) : y0;

    p->fill (p, frame, x - half, y - half, width, width, c);
  }
}

/* The border of x, y, w, h, @width pixels thick, inside the rectangle. */
void
omni_painter_frame_rect (const OmniPainter *p, GstVideoFrame *frame, gint x,
    gint y, gint w, gint h, gint width, const OmniPaintColor *c)
{
  gint t = MIN (width, MIN (w, h) / 2 + 1);

  if (w <= 2 * t || h <= 2 * t) {
    p->fill (p, frame, x, y, w, h, c);
    return;
  }
  p->fill (p, frame, x, y, w, t, c);
  p->fill (p, frame, x, y + h - t, w, t, c);
  p->fill (p, frame, x, y + t, t, h - 2 * t, c);
  p->fill (p, frame, x + w - t, y + t, t, h - 2 * t, c);
}
