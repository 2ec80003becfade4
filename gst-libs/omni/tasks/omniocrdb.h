/* gst-omni: DB post-processing of a text detector's probability map
 * (PaddleOCR's DBPostProcess), plain C
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_OCR_DB_H__
#define __OMNI_OCR_DB_H__

#include <glib.h>
#include <omni/omni-prelude.h>

G_BEGIN_DECLS

/**
 * OmniOcrDbPoint:
 * @x: column (map or frame pixels, x to the right)
 * @y: row (y down)
 */
typedef struct {
  gdouble x, y;
} OmniOcrDbPoint;

/**
 * OmniOcrDbRect:
 * @p: the four corners, clockwise on screen from the top-left one (the
 *   corner with the smallest x + y), as PaddleOCR orders them
 * @short_side: the length of the shorter side
 * @score: mean probability inside the box (omni_ocr_db_box_score()), or -1
 *   when not computed
 *
 * A rotated rectangle (a text box).
 */
typedef struct {
  OmniOcrDbPoint p[4];
  gdouble short_side;
  gdouble score;
} OmniOcrDbRect;

/**
 * OmniOcrDbParams:
 * @thresh: a map value above this is text (0.3)
 * @box_thresh: boxes whose mean probability is under this are dropped
 *   (0.6; 0 keeps all and skips the score, as @gutenye/ocr-common does)
 * @unclip_ratio: the box grows by area × ratio / perimeter on each side (1.5)
 * @min_size: boxes whose short side is under this (map pixels) are dropped,
 *   before the unclip; after it, under @min_size + 2 (3)
 * @max_candidates: at most this many contours are looked at (1000)
 *
 * PaddleOCR's DBPostProcess settings (its defaults in brackets).
 */
typedef struct {
  gdouble thresh;
  gdouble box_thresh;
  gdouble unclip_ratio;
  gdouble min_size;
  guint max_candidates;
} OmniOcrDbParams;

/**
 * OmniOcrDbMapping:
 * @pad_x: map coordinate m maps to frame coordinate
 *   @x + (m - @pad_x) / @scale_x (a stretched or letterboxed input)
 * @pad_y: idem vertically
 * @scale_x: see @pad_x
 * @scale_y: see @pad_y
 * @x: the frame region's origin
 * @y: see @x
 * @frame_w: the frame's size: boxes are clipped to [0, frame_w] × [0, frame_h]
 * @frame_h: see @frame_w
 */
typedef struct {
  gdouble pad_x, pad_y, scale_x, scale_y;
  gdouble x, y;
  gint frame_w, frame_h;
} OmniOcrDbMapping;

OMNI_API void omni_ocr_db_params_init (OmniOcrDbParams *params);

OMNI_API guint8 *omni_ocr_db_binarize (
    const gfloat *map, guint width, guint height, gdouble thresh);

OMNI_API GPtrArray *omni_ocr_db_find_contours (
    const guint8 *bitmap, guint width, guint height);

OMNI_API guint omni_ocr_db_convex_hull (
    const OmniOcrDbPoint *pts, guint n, OmniOcrDbPoint *hull);

OMNI_API gboolean omni_ocr_db_min_area_rect (
    const OmniOcrDbPoint *pts, guint n, OmniOcrDbRect *rect);

OMNI_API gdouble omni_ocr_db_box_score (
    const gfloat *map, guint width, guint height, const OmniOcrDbPoint *quad);

OMNI_API GArray *omni_ocr_db_unclip (
    const OmniOcrDbPoint *quad, gdouble unclip_ratio);

OMNI_API GArray *omni_ocr_db_decode (const gfloat *map, guint width,
    guint height, const OmniOcrDbParams *params,
    const OmniOcrDbMapping *mapping);

OMNI_API void omni_ocr_db_bounds (
    const OmniOcrDbRect *rect, gint *x, gint *y, gint *w, gint *h);

G_END_DECLS

#endif /* __OMNI_OCR_DB_H__ */
