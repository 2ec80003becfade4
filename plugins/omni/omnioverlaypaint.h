/* gst-omni: omnioverlay's pixel painter (fills and alpha masks, per format)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_OVERLAY_PAINT_H__
#define __OMNI_OVERLAY_PAINT_H__

#include <gst/video/video.h>

G_BEGIN_DECLS

/* A colour as the frame stores it: one value per component, in the
 * format's component order (R, G, B[, A] or Y, U, V[, A]). */
typedef struct {
  guint8 v[4];
} OmniPaintColor;

typedef struct _OmniPainter OmniPainter;

/* Draws into a mapped frame: @fill sets every sample a rectangle touches
 * to @c; @blend mixes @c into the frame with the 8-bit coverage @mask
 * (mw x mh, stride @ms) placed at x, y. Both clip to the frame. */
typedef void (*OmniPaintFill) (const OmniPainter *p, GstVideoFrame *frame,
    gint x, gint y, gint w, gint h, const OmniPaintColor *c);
typedef void (*OmniPaintBlend) (const OmniPainter *p, GstVideoFrame *frame,
    gint x, gint y, const guint8 *mask, gint mw, gint mh, gint ms,
    const OmniPaintColor *c);

struct _OmniPainter {
  GstVideoInfo info;
  OmniPaintFill fill;
  OmniPaintBlend blend;
  gboolean yuv;
  gint alpha_comp; /* index of the alpha component, or -1 */
  gint offset[4], scale[4];
  gdouble kr, kb;
};

gboolean omni_painter_init (OmniPainter *p, const GstVideoInfo *info);
void omni_painter_color (
    const OmniPainter *p, guint8 r, guint8 g, guint8 b, OmniPaintColor *c);
void omni_painter_line (const OmniPainter *p, GstVideoFrame *frame, gint x0,
    gint y0, gint x1, gint y1, gint width, const OmniPaintColor *c);
void omni_painter_frame_rect (const OmniPainter *p, GstVideoFrame *frame,
    gint x, gint y, gint w, gint h, gint width, const OmniPaintColor *c);

G_END_DECLS

#endif /* __OMNI_OVERLAY_PAINT_H__ */
