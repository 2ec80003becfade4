/* gst-omni: DB post-processing of a text detector's probability map
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Differentiable Binarization (M. Liao, Z. Wan, C. Yao, K. Chen, X. Bai,
 * "Real-time Scene Text Detection with Differentiable Binarization", AAAI
 * 2020) trains a network whose probability map, thresholded, gives text
 * regions shrunk by a known ratio; this file turns that map into boxes the
 * way PaddleOCR's DBPostProcess (and @gutenye/ocr-common, its JavaScript
 * port) does: threshold, contours (S. Suzuki and K. Abe, "Topological
 * structural analysis of digitized binary images by border following",
 * CVGIP 30, 1985: outer and hole borders, as OpenCV's findContours with
 * RETR_LIST), minimum-area rectangle of each contour's convex hull
 * (A. M. Andrew's monotone chain, 1979; G. Toussaint's rotating calipers,
 * 1983), box score (mean probability inside the box), unclip (the box
 * offset outwards by area × ratio / perimeter with round joins, as the
 * Clipper library's ClipperOffset does, vertices on the integer grid) and
 * the minimum-area rectangle again, then mapped back to the frame.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniocrdb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* the 8 neighbours, counter-clockwise on screen (y down) from the east */
static const gint dir_dx[8] = { 1, 1, 0, -1, -1, -1, 0, 1 };
static const gint dir_dy[8] = { 0, -1, -1, -1, 0, 1, 1, 1 };

/**
 * omni_ocr_db_params_init:
 * @params: (out): the settings to fill
 *
 * Fills @params with PaddleOCR's DBPostProcess defaults: thresh 0.3,
 * box_thresh 0.6, unclip_ratio 1.5, min_size 3, max_candidates 1000.
 */
void
omni_ocr_db_params_init (OmniOcrDbParams *params)
{
  params->thresh = 0.3;
  params->box_thresh = 0.6;
  params->unclip_ratio = 1.5;
  params->min_size = 3;
  params->max_candidates = 1000;
}

/**
 * omni_ocr_db_binarize:
 * @map: the probability map, @width × @height values, row by row
 * @width: its width
 * @height: its height
 * @thresh: the threshold
 *
 * Returns: (transfer full): @width × @height bytes, 1 where the map is
 *   above @thresh (text), 0 elsewhere
 */
guint8 *
omni_ocr_db_binarize (
    const gfloat *map, guint width, guint height, gdouble thresh)
{
  gsize i, n = (gsize) width * height;
  guint8 *b = g_malloc (MAX (n, 1));

  for (i = 0; i < n; i++)
    b[i] = map[i] > thresh;
  return b;
}

static void
push_point (GArray *c, gint x, gint y)
{
  OmniOcrDbPoint p = { x, y };

  g_array_append_val (c, p);
}

/* Suzuki and Abe's steps 3.1 to 3.5: follows the border that starts at
 * @start, whose 0-neighbour that started it lies in direction @d0, marking
 * it with @nbd in @f (padded by one 0-pixel all round, row @stride).
 * Returns its pixels (unpadded coordinates). */
static GArray *
follow_border (gint32 *f, gint stride, gsize start, gint d0, gint32 nbd)
{
  GArray *c = g_array_new (FALSE, FALSE, sizeof (OmniOcrDbPoint));
  gint delta[8], k, d = -1, dd, back;
  gsize p1, p3, p4;

  for (k = 0; k < 8; k++)
    delta[k] = dir_dx[k] + dir_dy[k] * stride;
  for (k = 0; k < 8 && d < 0; k++) /* 3.1: clockwise from the 0-pixel */
    if (f[start + delta[(d0 - k + 8) & 7]] != 0)
      d = (d0 - k + 8) & 7;
  if (d < 0) { /* an isolated pixel */
    f[start] = -nbd;
    push_point (c, (gint) (start % stride) - 1, (gint) (start / stride) - 1);
    return c;
  }
  p1 = start + delta[d];
  p3 = start;
  back = d; /* direction from p3 to p2 */
  for (;;) {
    gboolean east_zero = FALSE;

    for (k = 1; k <= 8; k++) { /* 3.3: counter-clockwise after p2 */
      dd = (back + k) & 7;
      if (f[p3 + delta[dd]] != 0)
        break;
      if (dd == 0)
        east_zero = TRUE;
    }
    p4 = p3 + delta[dd];
    if (east_zero) /* 3.4 */
      f[p3] = -nbd;
    else if (f[p3] == 1)
      f[p3] = nbd;
    push_point (c, (gint) (p3 % stride) - 1, (gint) (p3 / stride) - 1);
    if (p4 == start && p3 == p1) /* 3.5 */
      break;
    back = (dd + 4) & 7;
    p3 = p4;
  }
  return c;
}

/**
 * omni_ocr_db_find_contours:
 * @bitmap: @width × @height bytes, non-zero for foreground
 * @width: its width
 * @height: its height
 *
 * Suzuki and Abe's border following (8-connected foreground): every outer
 * border and every hole border, in raster order of their first pixel, as
 * OpenCV's findContours (RETR_LIST, CHAIN_APPROX_NONE); outside the bitmap
 * is background.
 *
 * Returns: (transfer full) (element-type GArray): one #GArray of
 *   #OmniOcrDbPoint per border, its pixels in tracing order
 */
GPtrArray *
omni_ocr_db_find_contours (const guint8 *bitmap, guint width, guint height)
{
  GPtrArray *out
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  gint stride = (gint) width + 2, i, j;
  gint32 *f = g_new0 (gint32, (gsize) stride * (height + 2)), nbd = 1;

  for (i = 0; i < (gint) height; i++)
    for (j = 0; j < (gint) width; j++)
      f[(gsize) (i + 1) * stride + j + 1] = bitmap[(gsize) i * width + j] != 0;
  for (i = 1; i <= (gint) height; i++) {
    for (j = 1; j <= (gint) width; j++) {
      gsize p = (gsize) i * stride + j;
      gint32 v = f[p];

      if (v == 1 && f[p - 1] == 0)
        g_ptr_array_add (out, follow_border (f, stride, p, 4, ++nbd));
      else if (v >= 1 && f[p + 1] == 0)
        g_ptr_array_add (out, follow_border (f, stride, p, 0, ++nbd));
    }
  }
  g_free (f);
  return out;
}

static gdouble
cross3 (
    const OmniOcrDbPoint *o, const OmniOcrDbPoint *a, const OmniOcrDbPoint *b)
{
  return (a->x - o->x) * (b->y - o->y) - (a->y - o->y) * (b->x - o->x);
}

static gint
cmp_point (gconstpointer a, gconstpointer b)
{
  const OmniOcrDbPoint *p = a, *q = b;

  if (p->x != q->x)
    return p->x < q->x ? -1 : 1;
  return p->y < q->y ? -1 : p->y > q->y;
}

/**
 * omni_ocr_db_convex_hull:
 * @pts: points
 * @n: how many
 * @hull: (out caller-allocates): room for 2 × @n points
 *
 * Andrew's monotone chain: the convex hull without collinear points, in
 * the order of positive cross products (counter-clockwise with y up).
 *
 * Returns: the number of hull points (1 for a single distinct point, 2 for
 *   collinear points)
 */
guint
omni_ocr_db_convex_hull (
    const OmniOcrDbPoint *pts, guint n, OmniOcrDbPoint *hull)
{
  OmniOcrDbPoint *s;
  guint i, k = 0, lower;

  if (n == 0)
    return 0;
  s = g_memdup2 (pts, sizeof (*pts) * n);
  qsort (s, n, sizeof (*s), cmp_point);
  for (i = 0; i < n; i++) {
    while (k >= 2 && cross3 (&hull[k - 2], &hull[k - 1], &s[i]) <= 0)
      k--;
    hull[k++] = s[i];
  }
  lower = k + 1;
  for (i = n - 1; i-- > 0;) {
    while (k >= lower && cross3 (&hull[k - 2], &hull[k - 1], &s[i]) <= 0)
      k--;
    hull[k++] = s[i];
  }
  g_free (s);
  if (k > 1)
    k--; /* the last point is the first */
  if (k == 2 && hull[0].x == hull[1].x && hull[0].y == hull[1].y)
    k = 1;
  return k;
}

static gdouble
proj (const OmniOcrDbPoint *p, const OmniOcrDbPoint *o, gdouble ux, gdouble uy)
{
  return (p->x - o->x) * ux + (p->y - o->y) * uy;
}

static gdouble
perp (const OmniOcrDbPoint *p, const OmniOcrDbPoint *o, gdouble ux, gdouble uy)
{
  return ux * (p->y - o->y) - uy * (p->x - o->x);
}

static gdouble
quad_area (const OmniOcrDbPoint *q)
{
  gdouble a = 0;
  guint i;

  for (i = 0; i < 4; i++)
    a += q[i].x * q[(i + 1) & 3].y - q[(i + 1) & 3].x * q[i].y;
  return a / 2;
}

/* puts the corners of a convex quadrilateral, given in order around it,
 * clockwise on screen from the top-left one (smallest x + y, the upper one
 * on a tie), as PaddleOCR's order_points_clockwise means them to be */
static void
order_corners (OmniOcrDbPoint *q)
{
  OmniOcrDbPoint in[4];
  guint i, tl = 0;
  gboolean reverse = quad_area (q) < 0;

  memcpy (in, q, sizeof (in));
  for (i = 1; i < 4; i++) {
    gdouble s = in[i].x + in[i].y, best = in[tl].x + in[tl].y;

    if (s < best || (s == best && in[i].y < in[tl].y))
      tl = i;
  }
  for (i = 0; i < 4; i++)
    q[i] = in[reverse ? (tl + 4 - i) & 3 : (tl + i) & 3];
}

static void
rect_from_caliper (OmniOcrDbRect *r, const OmniOcrDbPoint *o, gdouble ux,
    gdouble uy, gdouble a, gdouble b, gdouble h)
{
  gdouble vx = -uy, vy = ux;

  r->p[0].x = o->x + a * ux;
  r->p[0].y = o->y + a * uy;
  r->p[1].x = o->x + b * ux;
  r->p[1].y = o->y + b * uy;
  r->p[2].x = r->p[1].x + h * vx;
  r->p[2].y = r->p[1].y + h * vy;
  r->p[3].x = r->p[0].x + h * vx;
  r->p[3].y = r->p[0].y + h * vy;
  r->short_side = MIN (b - a, h);
  r->score = -1;
  order_corners (r->p);
}

/**
 * omni_ocr_db_min_area_rect:
 * @pts: points (a contour, an unclipped polygon)
 * @n: how many (at least 1)
 * @rect: (out): the rectangle
 *
 * The smallest-area rectangle enclosing @pts, by rotating calipers over
 * their convex hull (a side of it lies on a hull edge): for each hull edge
 * the farthest point across it and the extreme points along it move
 * forward monotonically, so all edges take linear time. One point gives
 * a rectangle of size 0, collinear points one of width 0.
 *
 * Returns: %FALSE when @n is 0
 */
gboolean
omni_ocr_db_min_area_rect (
    const OmniOcrDbPoint *pts, guint n, OmniOcrDbRect *rect)
{
  OmniOcrDbPoint *h;
  guint m, i, j, k, l, guard;
  gdouble best = G_MAXDOUBLE;

  if (n == 0)
    return FALSE;
  h = g_new (OmniOcrDbPoint, 2 * n + 1);
  m = omni_ocr_db_convex_hull (pts, n, h);
  if (m == 1) {
    rect_from_caliper (rect, &h[0], 1, 0, 0, 0, 0);
    g_free (h);
    return TRUE;
  }
  j = k = l = 1 % m;
  for (i = 0; i < m; i++) {
    const OmniOcrDbPoint *o = &h[i], *e = &h[(i + 1) % m];
    gdouble len = hypot (e->x - o->x, e->y - o->y), ux, uy, a, b, ht;

    ux = (e->x - o->x) / len;
    uy = (e->y - o->y) / len;
    if (i == 0)
      k = l = j = (i + 1) % m;
    for (guard = 0;
         guard < m
         && proj (&h[(k + 1) % m], o, ux, uy) > proj (&h[k], o, ux, uy);
         guard++)
      k = (k + 1) % m;
    if (i == 0)
      j = k;
    for (guard = 0;
         guard < m
         && perp (&h[(j + 1) % m], o, ux, uy) > perp (&h[j], o, ux, uy);
         guard++)
      j = (j + 1) % m;
    if (i == 0)
      l = j;
    for (guard = 0;
         guard < m
         && proj (&h[(l + 1) % m], o, ux, uy) < proj (&h[l], o, ux, uy);
         guard++)
      l = (l + 1) % m;
    a = MIN (proj (&h[l], o, ux, uy), 0);
    b = proj (&h[k], o, ux, uy);
    ht = perp (&h[j], o, ux, uy);
    if ((b - a) * ht < best) {
      best = (b - a) * ht;
      rect_from_caliper (rect, o, ux, uy, a, b, ht);
    }
  }
  g_free (h);
  return TRUE;
}

static gboolean
inside_quad (const OmniOcrDbPoint *q, gdouble x, gdouble y)
{
  OmniOcrDbPoint p = { x, y };
  gboolean pos = FALSE, neg = FALSE;
  guint i;

  for (i = 0; i < 4; i++) {
    gdouble c = cross3 (&q[i], &q[(i + 1) & 3], &p);

    pos |= c > 1e-9;
    neg |= c < -1e-9;
  }
  return !(pos && neg);
}

/**
 * omni_ocr_db_box_score:
 * @map: the probability map
 * @width: its width
 * @height: its height
 * @quad: a box (4 corners in order around it), map pixels
 *
 * PaddleOCR's box_score_fast: the mean of the map over the pixels inside
 * the box (corners truncated to integers, boundary included, as
 * cv2.fillPoly fills), within the map.
 *
 * Returns: the mean, 0 when no pixel is inside
 */
gdouble
omni_ocr_db_box_score (
    const gfloat *map, guint width, guint height, const OmniOcrDbPoint *quad)
{
  OmniOcrDbPoint q[4];
  gdouble x0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y0 = G_MAXDOUBLE,
          y1 = -G_MAXDOUBLE, sum = 0;
  gint xa, xb, ya, yb, x, y;
  guint i, n = 0;

  for (i = 0; i < 4; i++) {
    q[i].x = trunc (quad[i].x);
    q[i].y = trunc (quad[i].y);
    x0 = MIN (x0, quad[i].x);
    x1 = MAX (x1, quad[i].x);
    y0 = MIN (y0, quad[i].y);
    y1 = MAX (y1, quad[i].y);
  }
  xa = CLAMP ((gint) floor (x0), 0, (gint) width - 1);
  xb = CLAMP ((gint) ceil (x1), 0, (gint) width - 1);
  ya = CLAMP ((gint) floor (y0), 0, (gint) height - 1);
  yb = CLAMP ((gint) ceil (y1), 0, (gint) height - 1);
  for (y = ya; y <= yb; y++)
    for (x = xa; x <= xb; x++)
      if (inside_quad (q, x, y)) {
        sum += map[(gsize) y * width + x];
        n++;
      }
  return n ? sum / n : 0;
}

static void
push_rounded (GArray *out, gdouble x, gdouble y)
{
  OmniOcrDbPoint p = { round (x), round (y) };

  g_array_append_val (out, p);
}

/* Clipper's DoRound: the arc around @v from normal @nk to normal @nj */
static void
round_join (GArray *out, const OmniOcrDbPoint *v, const gdouble *nk,
    const gdouble *nj, gdouble delta, gdouble steps_per_rad, gdouble s,
    gdouble c)
{
  gdouble sin_a = nk[0] * nj[1] - nj[0] * nk[1];
  gdouble a = atan2 (sin_a, nk[0] * nj[0] + nk[1] * nj[1]);
  gint i, steps = MAX ((gint) round (steps_per_rad * fabs (a)), 1);
  gdouble x = nk[0], y = nk[1], x2;

  if (fabs (sin_a * delta) < 1.0 && nk[0] * nj[0] + nk[1] * nj[1] > 0) {
    push_rounded (out, v->x + nk[0] * delta, v->y + nk[1] * delta);
    return;
  }
  for (i = 0; i < steps; i++) {
    push_rounded (out, v->x + x * delta, v->y + y * delta);
    x2 = x;
    x = x * c - s * y;
    y = x2 * s + y * c;
  }
  push_rounded (out, v->x + nj[0] * delta, v->y + nj[1] * delta);
}

/**
 * omni_ocr_db_unclip:
 * @quad: a box (4 corners in order around it)
 * @unclip_ratio: the ratio (1.5)
 *
 * DB's unclip: the box offset outwards by d = area × @unclip_ratio /
 * perimeter with round joins, as Clipper's ClipperOffset (jtRound,
 * etClosedPolygon, arc tolerance 0.25) builds it: each side moved out by d,
 * an arc of d around each corner, vertices rounded to integers. Its
 * minimum-area rectangle is the box with every side pushed out by d.
 *
 * Returns: (transfer full) (element-type OmniOcrDbPoint): the polygon
 *   (empty for a degenerate box)
 */
GArray *
omni_ocr_db_unclip (const OmniOcrDbPoint *quad, gdouble unclip_ratio)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (OmniOcrDbPoint));
  OmniOcrDbPoint q[4];
  gdouble n[4][2], area, len = 0, delta, y, steps, s, c;
  guint i;

  memcpy (q, quad, sizeof (q));
  area = quad_area (q);
  if (area < 0) { /* (dy, -dx) points outwards when clockwise on screen */
    OmniOcrDbPoint t = q[1];

    q[1] = q[3];
    q[3] = t;
  }
  for (i = 0; i < 4; i++)
    len += hypot (q[(i + 1) & 3].x - q[i].x, q[(i + 1) & 3].y - q[i].y);
  if (len <= 0 || area == 0)
    return out;
  delta = fabs (area) * unclip_ratio / len;
  for (i = 0; i < 4; i++) {
    gdouble dx = q[(i + 1) & 3].x - q[i].x, dy = q[(i + 1) & 3].y - q[i].y;
    gdouble f = hypot (dx, dy);

    n[i][0] = f > 0 ? dy / f : 0;
    n[i][1] = f > 0 ? -dx / f : 0;
  }
  y = MIN (0.25, delta * 0.25);
  steps = G_PI / acos (1 - y / delta);
  steps = MIN (steps, delta * G_PI);
  s = sin (2 * G_PI / steps);
  c = cos (2 * G_PI / steps);
  for (i = 0; i < 4; i++)
    round_join (
        out, &q[i], n[(i + 3) & 3], n[i], delta, steps / (2 * G_PI), s, c);
  return out;
}

static void
to_frame (OmniOcrDbRect *r, const OmniOcrDbMapping *m)
{
  guint i;

  for (i = 0; i < 4; i++) {
    gdouble x = m->x + (r->p[i].x - m->pad_x) / m->scale_x;
    gdouble y = m->y + (r->p[i].y - m->pad_y) / m->scale_y;

    r->p[i].x = CLAMP (round (x), 0, m->frame_w);
    r->p[i].y = CLAMP (round (y), 0, m->frame_h);
  }
  order_corners (r->p);
}

/* one contour to a box in the frame; FALSE when it is dropped */
static gboolean
contour_to_box (GArray *contour, const gfloat *map, guint width, guint height,
    const OmniOcrDbParams *params, const OmniOcrDbMapping *m,
    OmniOcrDbRect *out)
{
  OmniOcrDbRect r;
  GArray *grown;
  gdouble score = -1;
  gboolean ok;

  omni_ocr_db_min_area_rect (
      (OmniOcrDbPoint *) contour->data, contour->len, &r);
  if (r.short_side < params->min_size)
    return FALSE;
  if (params->box_thresh > 0) {
    score = omni_ocr_db_box_score (map, width, height, r.p);
    if (score < params->box_thresh)
      return FALSE;
  }
  grown = omni_ocr_db_unclip (r.p, params->unclip_ratio);
  ok = grown->len > 0
       && omni_ocr_db_min_area_rect (
           (OmniOcrDbPoint *) grown->data, grown->len, out)
       && out->short_side >= params->min_size + 2;
  g_array_unref (grown);
  if (!ok)
    return FALSE;
  to_frame (out, m);
  out->score = score;
  return (gint) hypot (out->p[1].x - out->p[0].x, out->p[1].y - out->p[0].y) > 3
         && (gint) hypot (out->p[3].x - out->p[0].x, out->p[3].y - out->p[0].y)
                > 3;
}

/**
 * omni_ocr_db_decode:
 * @map: the probability map, @width × @height values, row by row
 * @width: its width
 * @height: its height
 * @params: the settings (omni_ocr_db_params_init())
 * @mapping: how map pixels map to the frame
 *
 * The whole DB post-processing: omni_ocr_db_binarize(),
 * omni_ocr_db_find_contours() (the first @max_candidates), for each the
 * minimum-area rectangle (dropped when its short side is under @min_size),
 * omni_ocr_db_box_score() (dropped under @box_thresh), omni_ocr_db_unclip()
 * and its minimum-area rectangle (dropped under @min_size + 2), mapped to
 * the frame (rounded, clipped to it) and dropped when a side is 3 pixels or
 * shorter there, as PaddleOCR's filter_tag_det_res.
 *
 * Returns: (transfer full) (element-type OmniOcrDbRect): the boxes in the
 *   frame's pixels, in contour order
 */
GArray *
omni_ocr_db_decode (const gfloat *map, guint width, guint height,
    const OmniOcrDbParams *params, const OmniOcrDbMapping *mapping)
{
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (OmniOcrDbRect));
  guint8 *bitmap = omni_ocr_db_binarize (map, width, height, params->thresh);
  GPtrArray *contours = omni_ocr_db_find_contours (bitmap, width, height);
  guint i;

  for (i = 0; i < contours->len && i < params->max_candidates; i++) {
    OmniOcrDbRect r;

    if (contour_to_box (g_ptr_array_index (contours, i), map, width, height,
            params, mapping, &r))
      g_array_append_val (boxes, r);
  }
  g_ptr_array_unref (contours);
  g_free (bitmap);
  return boxes;
}

/**
 * omni_ocr_db_bounds:
 * @rect: a box
 * @x: (out): left edge of its axis-aligned bounding rectangle
 * @y: (out): top edge
 * @w: (out): width
 * @h: (out): height
 *
 * The axis-aligned rectangle around a (rotated) box, in whole pixels.
 */
void
omni_ocr_db_bounds (
    const OmniOcrDbRect *rect, gint *x, gint *y, gint *w, gint *h)
{
  gdouble x0 = rect->p[0].x, x1 = x0, y0 = rect->p[0].y, y1 = y0;
  guint i;

  for (i = 1; i < 4; i++) {
    x0 = MIN (x0, rect->p[i].x);
    x1 = MAX (x1, rect->p[i].x);
    y0 = MIN (y0, rect->p[i].y);
    y1 = MAX (y1, rect->p[i].y);
  }
  *x = (gint) floor (x0);
  *y = (gint) floor (y0);
  *w = (gint) ceil (x1) - *x;
  *h = (gint) ceil (y1) - *y;
}
