/* gst-omni: shot-cut (scene change) scoring and detection on video frames
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omniscenescore
 * @title: OmniSceneScorer, OmniSceneDetector
 * @short_description: hard-cut detection on thumbnails of video frames
 *
 * The scorer reduces a frame to a thumbnail of at most
 * %OMNI_SCENE_GRID_WIDTH x %OMNI_SCENE_GRID_HEIGHT cells holding the mean
 * Y, U and V of the cell (RGB is converted on the thumbnail; limited-range
 * YUV is expanded to full range so that every format scores alike). Only
 * up to 4 evenly spaced lines per cell row are read (each whole, in one
 * vectorised pass), so a 2160p I420 frame costs about a million byte reads
 * and nothing is allocated per frame.
 *
 * Two thumbnails are compared in three steps:
 *
 * 1. Global motion: an exhaustive search of integer shifts on a 2x coarser
 *    thumbnail (up to 1/8 of the width and 1/6 of the height), whose three
 *    best shifts and the null shift are refined by +-1 cell on the full
 *    one, keeps the shift with the highest normalised
 *    cross-correlation (NCC) of luma. Pans and tilts therefore cost nothing,
 *    where ffmpeg's scdet (libavfilter/vf_scdet.c: mean absolute frame
 *    difference, MAFD) and gst-plugins-bad's scenechange (sum of absolute
 *    luma differences against its recent history) see fast camera motion as
 *    a change of content.
 * 2. Structure: S = (1 - NCC) on the aligned thumbnails, weighted by
 *    m^2 / (m^2 + 4.5^2) where m is the smaller luma standard deviation of
 *    the two, because the correlation of flat frames is noise. NCC is
 *    invariant to gain and offset, so fades, exposure changes and most of a
 *    flash leave S low.
 * 3. Colour: C = min (1, (MAD_Y + MAD_U + MAD_V) / 0.35), the mean absolute
 *    difference of the aligned thumbnails per component (in units of the full
 *    scale); this is the MAFD of scdet and the HSV "content_val" of
 *    PySceneDetect's ContentDetector, but after motion compensation.
 *
 * The score is 1 - (1 - S) (1 - C): either a change of structure or a change
 * of colour makes a cut.
 *
 * #OmniSceneDetector turns per-frame scores into decisions. A frame t is a
 * cut when its score against t-1 is above the threshold and:
 *
 * - it stands out from its neighbourhood: score(t) >= 2 x the mean of the
 *   scores of t-2, t-1 (and, in adaptive mode, t+1, t+2), the rolling
 *   average test of PySceneDetect's AdaptiveDetector (adaptive_threshold,
 *   window_width = 2), which rejects sustained motion and fades;
 * - it is not the return from a transient: the (coarse) distance from t-2
 *   and t-3 to t must stay above half of score(t);
 * - in adaptive mode, it is not the start of a transient: the distance from
 *   t-1 to t+1 and t+2 must stay above half of score(t). Together these
 *   reject white flashes, muzzle flashes and short occlusions of one or two
 *   frames, which every detector above reports as cuts, at the price of two
 *   frames of latency (gst-plugins-bad's scenechange gave up look-ahead to
 *   avoid that latency and accepts the false cuts).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniscenescore.h"

#include <math.h>
#include <string.h>

/* The sums below are plain loops over bytes and 16-bit integers that GCC
 * only vectorises at -O3 (-O2 keeps the cheap cost model). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif

#define MAX_ROWS 4 /* lines read per cell row */
#define N_LEVELS 3 /* thumbnail, 2x and 4x coarser */
#define CONTRAST_REF 4.5
#define COLOR_REF 0.35
#define RATIO 2.0 /* AdaptiveDetector's adaptive ratio */
#define BACK 2    /* frames looked back at for the end of a transient */
#define AHEAD 2   /* look-ahead of the adaptive mode */
#define RING 8    /* >= BACK + 1 + 1 + AHEAD */

typedef struct {
  int w, h;
  float *y, *u, *v;
  int16_t *yq; /* y rounded, for the correlations */
  double ymean, ystd;
} Level;

struct _OmniSceneSignature {
  Level lv[N_LEVELS];
  float *mem;
  int16_t *qmem;
};

typedef struct {
  int len;      /* bytes of a line holding the component */
  int cw;       /* column sums per line (samples / hd) */
  int hd;       /* planar: adjacent samples added per column sum */
  int *x0, *x1; /* per grid column */
  float *inv;   /* per grid column: 1 / samples in a cell line */
  int *rows;    /* MAX_ROWS per grid row */
  int *nrows;   /* per grid row */
} CompTable;

struct _OmniSceneScorer {
  OmniSceneLayout layout;
  int gw, gh;
  int lw[N_LEVELS], lh[N_LEVELS];
  CompTable t[3];
  float *comp[3];   /* cell means of the raw components */
  uint16_t *colsum; /* column sums of one cell row */
  uint32_t *prefix; /* their prefix sums for one component */
};

static int
clampi (int v, int lo, int hi)
{
  return v < lo ? lo : (v > hi ? hi : v);
}

static void
comp_table_init (CompTable *t, int cw, int ch, int gw, int gh, int pstride)
{
  int i, j, k;

  t->x0 = g_new (int, gw);
  t->x1 = g_new (int, gw);
  t->inv = g_new (float, gw);
  /* wide cells of planar components: add 2 or 4 adjacent samples in the
   * vectorised pass, which keeps the scalar prefix pass short */
  t->hd = pstride != 1 ? 1 : (cw / gw >= 32 ? 4 : (cw / gw >= 12 ? 2 : 1));
  t->cw = cw / t->hd;
  t->rows = g_new (int, (size_t) gh *MAX_ROWS);
  t->len = (cw - 1) * pstride + 1;
  t->nrows = g_new (int, gh);

  for (i = 0; i < gw; i++) {
    int x0 = clampi ((int) ((int64_t) i * t->cw / gw), 0, t->cw - 1);
    int x1 = clampi ((int) ((int64_t) (i + 1) * t->cw / gw), x0 + 1, t->cw);

    t->x0[i] = x0;
    t->x1[i] = x1;
    t->inv[i] = 1.0f / (float) ((x1 - x0) * t->hd);
  }
  for (j = 0; j < gh; j++) {
    int y0 = clampi ((int) ((int64_t) j * ch / gh), 0, ch - 1);
    int y1 = clampi ((int) ((int64_t) (j + 1) * ch / gh), y0 + 1, ch);
    int n = MIN (y1 - y0, MAX_ROWS);

    t->nrows[j] = n;
    for (k = 0; k < n; k++)
      t->rows[j * MAX_ROWS + k] = y0 + ((2 * k + 1) * (y1 - y0)) / (2 * n);
  }
}

static void
comp_table_clear (CompTable *t)
{
  g_free (t->x0);
  g_free (t->x1);
  g_free (t->inv);
  g_free (t->rows);
  g_free (t->nrows);
}

/**
 * omni_scene_scorer_new:
 * @layout: the frame format
 *
 * Returns: (transfer full) (nullable): a new scorer, or %NULL when @layout
 * is not valid (size below 1x1, not 1 or 3 components, bad subsampling)
 */
OmniSceneScorer *
omni_scene_scorer_new (const OmniSceneLayout *layout)
{
  OmniSceneScorer *s;
  unsigned c;
  int l;

  g_return_val_if_fail (layout != NULL, NULL);
  if (layout->width < 1 || layout->height < 1
      || (layout->n_components != 1 && layout->n_components != 3))
    return NULL;
  for (c = 0; c < layout->n_components; c++) {
    if (layout->comp[c].plane > 3 || layout->comp[c].pstride < 1
        || layout->comp[c].offset < 0 || layout->comp[c].wsub > 4
        || layout->comp[c].hsub > 4)
      return NULL;
  }

  s = g_new0 (OmniSceneScorer, 1);
  s->layout = *layout;
  s->gw = MIN (layout->width, OMNI_SCENE_GRID_WIDTH);
  s->gh = MIN (layout->height, OMNI_SCENE_GRID_HEIGHT);
  s->lw[0] = s->gw;
  s->lh[0] = s->gh;
  for (l = 1; l < N_LEVELS; l++) {
    int w = s->lw[l - 1], h = s->lh[l - 1];

    /* a level is a 2x2 pooling of the one below while that stays 2D */
    if (w >= 4 && h >= 4) {
      w /= 2;
      h /= 2;
    }
    s->lw[l] = w;
    s->lh[l] = h;
  }
  for (c = 0; c < layout->n_components; c++) {
    const OmniSceneComponent *comp = &layout->comp[c];
    int cw = (layout->width + (1 << comp->wsub) - 1) >> comp->wsub;
    int ch = (layout->height + (1 << comp->hsub) - 1) >> comp->hsub;

    comp_table_init (&s->t[c], cw, ch, s->gw, s->gh, comp->pstride);
    s->comp[c] = g_new (float, s->gw * s->gh);
  }
  {
    int len = 1, cw = 1;
    for (c = 0; c < layout->n_components; c++) {
      len = MAX (len, s->t[c].len);
      cw = MAX (cw, s->t[c].cw);
    }
    s->colsum = g_new (uint16_t, len);
    s->prefix = g_new (uint32_t, cw + 1);
  }
  return s;
}

/**
 * omni_scene_scorer_free:
 * @scorer: (transfer full) (nullable): a scorer
 */
void
omni_scene_scorer_free (OmniSceneScorer *scorer)
{
  unsigned c;

  if (!scorer)
    return;
  for (c = 0; c < scorer->layout.n_components; c++) {
    comp_table_clear (&scorer->t[c]);
    g_free (scorer->comp[c]);
  }
  g_free (scorer->colsum);
  g_free (scorer->prefix);
  g_free (scorer);
}

/**
 * omni_scene_scorer_get_grid_size:
 * @scorer: a scorer
 * @grid_width: (out) (optional): thumbnail columns
 * @grid_height: (out) (optional): thumbnail rows
 */
void
omni_scene_scorer_get_grid_size (
    const OmniSceneScorer *scorer, int *grid_width, int *grid_height)
{
  if (grid_width)
    *grid_width = scorer->gw;
  if (grid_height)
    *grid_height = scorer->gh;
}

/**
 * omni_scene_signature_new:
 * @scorer: the scorer that will fill it
 *
 * Returns: (transfer full): storage for the signature of one frame
 */
OmniSceneSignature *
omni_scene_signature_new (const OmniSceneScorer *scorer)
{
  OmniSceneSignature *sig = g_new0 (OmniSceneSignature, 1);
  size_t total = 0, off = 0;
  int l;

  for (l = 0; l < N_LEVELS; l++)
    total += 3 * (size_t) scorer->lw[l] * scorer->lh[l];
  sig->mem = g_new0 (float, total);
  sig->qmem = g_new0 (int16_t, total / 3);
  for (l = 0; l < N_LEVELS; l++) {
    size_t n = (size_t) scorer->lw[l] * scorer->lh[l];

    sig->lv[l].w = scorer->lw[l];
    sig->lv[l].h = scorer->lh[l];
    sig->lv[l].y = sig->mem + off;
    sig->lv[l].u = sig->mem + off + n;
    sig->lv[l].v = sig->mem + off + 2 * n;
    sig->lv[l].yq = sig->qmem + off / 3;
    off += 3 * n;
  }
  return sig;
}

/**
 * omni_scene_signature_free:
 * @sig: (transfer full) (nullable): a signature
 */
void
omni_scene_signature_free (OmniSceneSignature *sig)
{
  if (!sig)
    return;
  g_free (sig->mem);
  g_free (sig->qmem);
  g_free (sig);
}

/**
 * omni_scene_signature_luma_mean:
 * @sig: a computed signature
 *
 * Returns: the mean luma of the frame, full range 0..255
 */
double
omni_scene_signature_luma_mean (const OmniSceneSignature *sig)
{
  return sig->lv[0].ymean;
}

/* Mean of one component per cell. The sampled lines of a cell row are first
 * added column by column over the whole line (a long contiguous loop the
 * compiler vectorises), then the column sums are added per cell. */
static void
read_component (OmniSceneScorer *s, unsigned c, const uint8_t *plane,
    int stride, float *out)
{
  const OmniSceneComponent *comp = &s->layout.comp[c];
  const CompTable *t = &s->t[c];
  const ptrdiff_t ps = comp->pstride;
  const int len = t->len, cw = t->cw, hd = t->hd;
  uint16_t *col = s->colsum; /* at most MAX_ROWS x 4 x 255 per column */
  uint32_t *pre = s->prefix;
  int i, j, k, x;

  plane += comp->offset;
  for (j = 0; j < s->gh; j++) {
    const uint8_t *line = plane + (ptrdiff_t) t->rows[j * MAX_ROWS] * stride;

    if (hd == 1) {
      for (x = 0; x < len; x++)
        col[x] = line[x];
      for (k = 1; k < t->nrows[j]; k++) {
        line = plane + (ptrdiff_t) t->rows[j * MAX_ROWS + k] * stride;
        for (x = 0; x < len; x++)
          col[x] += line[x];
      }
    } else if (hd == 2) {
      for (x = 0; x < cw; x++)
        col[x] = line[2 * x] + line[2 * x + 1];
      for (k = 1; k < t->nrows[j]; k++) {
        line = plane + (ptrdiff_t) t->rows[j * MAX_ROWS + k] * stride;
        for (x = 0; x < cw; x++)
          col[x] += line[2 * x] + line[2 * x + 1];
      }
    } else {
      for (x = 0; x < cw; x++)
        col[x]
            = line[4 * x] + line[4 * x + 1] + line[4 * x + 2] + line[4 * x + 3];
      for (k = 1; k < t->nrows[j]; k++) {
        line = plane + (ptrdiff_t) t->rows[j * MAX_ROWS + k] * stride;
        for (x = 0; x < cw; x++)
          col[x] += line[4 * x] + line[4 * x + 1] + line[4 * x + 2]
                    + line[4 * x + 3];
      }
    }
    /* prefix sums of the component's columns, then one difference per
     * cell */
    pre[0] = 0;
    if (ps == 1) {
      uint32_t acc = 0;
      for (x = 0; x < cw; x++) {
        acc += col[x];
        pre[x + 1] = acc;
      }
    } else {
      uint32_t acc = 0;
      for (x = 0; x < cw; x++) {
        acc += col[x * ps];
        pre[x + 1] = acc;
      }
    }
    {
      const float inv_rows = 1.0f / (float) t->nrows[j];
      for (i = 0; i < s->gw; i++)
        out[j * s->gw + i]
            = (float) (pre[t->x1[i]] - pre[t->x0[i]]) * t->inv[i] * inv_rows;
    }
  }
}

static void
level_stats (Level *lv)
{
  const int n = lv->w * lv->h;
  double sum = 0.0, sq = 0.0;
  int i;

  for (i = 0; i < n; i++) {
    sum += lv->y[i];
    lv->yq[i] = (int16_t) (CLAMP (lv->y[i], 0.f, 255.f) + 0.5f);
  }
  lv->ymean = sum / n;
  for (i = 0; i < n; i++) {
    double d = lv->y[i] - lv->ymean;
    sq += d * d;
  }
  lv->ystd = sqrt (sq / n);
}

static void
pool_plane (const float *in, int w, int h, float *out, int ow, int oh)
{
  int i, j;

  if (ow == w && oh == h) {
    memcpy (out, in, sizeof (float) * w * h);
    return;
  }
  for (j = 0; j < oh; j++) {
    const float *a = in + 2 * j * w, *b = a + w;
    for (i = 0; i < ow; i++)
      out[j * ow + i]
          = 0.25f * (a[2 * i] + a[2 * i + 1] + b[2 * i] + b[2 * i + 1]);
  }
}

/**
 * omni_scene_scorer_compute:
 * @scorer: a scorer
 * @planes: (array): the frame's plane pointers
 * @strides: (array): the frame's plane strides in bytes
 * @sig: storage from omni_scene_signature_new() for this @scorer
 *
 * Reduces one frame to its signature.
 */
void
omni_scene_scorer_compute (OmniSceneScorer *scorer,
    const uint8_t *const planes[], const int strides[], OmniSceneSignature *sig)
{
  const OmniSceneLayout *lay = &scorer->layout;
  const int n = scorer->gw * scorer->gh;
  Level *l0 = &sig->lv[0];
  unsigned c;
  int i, l;

  for (c = 0; c < lay->n_components; c++)
    read_component (scorer, c, planes[lay->comp[c].plane],
        strides[lay->comp[c].plane], scorer->comp[c]);

  if (lay->n_components == 1) {
    const float *g = scorer->comp[0];
    for (i = 0; i < n; i++) {
      l0->y[i] = lay->full_range ? g[i] : (g[i] - 16.f) * (255.f / 219.f);
      l0->u[i] = l0->v[i] = 128.f;
    }
  } else if (lay->rgb) {
    /* ITU-R BT.601 full-range Y'CbCr of the cell means: the conversion is
     * linear, so converting means equals averaging converted pixels */
    const float *r = scorer->comp[0], *g = scorer->comp[1],
                *b = scorer->comp[2];
    for (i = 0; i < n; i++) {
      float y = 0.299f * r[i] + 0.587f * g[i] + 0.114f * b[i];
      l0->y[i] = y;
      l0->u[i] = 128.f + 0.564f * (b[i] - y);
      l0->v[i] = 128.f + 0.713f * (r[i] - y);
    }
  } else {
    const float *y = scorer->comp[0], *u = scorer->comp[1],
                *v = scorer->comp[2];
    if (lay->full_range) {
      memcpy (l0->y, y, sizeof (float) * n);
      memcpy (l0->u, u, sizeof (float) * n);
      memcpy (l0->v, v, sizeof (float) * n);
    } else {
      for (i = 0; i < n; i++) {
        l0->y[i] = (y[i] - 16.f) * (255.f / 219.f);
        l0->u[i] = 128.f + (u[i] - 128.f) * (255.f / 224.f);
        l0->v[i] = 128.f + (v[i] - 128.f) * (255.f / 224.f);
      }
    }
  }

  for (l = 1; l < N_LEVELS; l++) {
    const Level *a = &sig->lv[l - 1];
    Level *b = &sig->lv[l];
    pool_plane (a->y, a->w, a->h, b->y, b->w, b->h);
    pool_plane (a->u, a->w, a->h, b->u, b->w, b->h);
    pool_plane (a->v, a->w, a->h, b->v, b->w, b->h);
  }
  for (l = 0; l < N_LEVELS; l++)
    level_stats (&sig->lv[l]);
}

/* NCC of a (x, y) against b (x + dx, y + dy) over their overlap, on the
 * rounded luma: exact integer sums that the compiler vectorises */
static double
shifted_ncc (const int16_t *a, const int16_t *b, int w, int h, int dx, int dy)
{
  const int x0 = MAX (0, -dx), x1 = MIN (w, w - dx);
  const int y0 = MAX (0, -dy), y1 = MIN (h, h - dy);
  int64_t sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  double n, va, vb;
  int x, y;

  if (x1 <= x0 || y1 <= y0)
    return -1.0;
  for (y = y0; y < y1; y++) {
    const int16_t *pa = a + y * w, *pb = b + (y + dy) * w + dx;
    /* a line has at most 64 cells of at most 255: no overflow */
    int32_t ra = 0, rb = 0, raa = 0, rbb = 0, rab = 0;

    for (x = x0; x < x1; x++) {
      const int32_t fa = pa[x], fb = pb[x];
      ra += fa;
      rb += fb;
      raa += fa * fa;
      rbb += fb * fb;
      rab += fa * fb;
    }
    sa += ra;
    sb += rb;
    saa += raa;
    sbb += rbb;
    sab += rab;
  }
  n = (double) (x1 - x0) * (y1 - y0);
  va = n * (double) saa - (double) sa * (double) sa;
  vb = n * (double) sbb - (double) sb * (double) sb;
  /* flat on either side: no structure to correlate */
  if (va <= 1e-6 * n * n || vb <= 1e-6 * n * n)
    return 0.0;
  return (n * (double) sab - (double) sa * (double) sb) / sqrt (va * vb);
}

static double
shifted_mad (const float *a, const float *b, int w, int h, int dx, int dy)
{
  const int x0 = MAX (0, -dx), x1 = MIN (w, w - dx);
  const int y0 = MAX (0, -dy), y1 = MIN (h, h - dy);
  double sum = 0;
  int x, y;

  for (y = y0; y < y1; y++) {
    const float *pa = a + y * w, *pb = b + (y + dy) * w + dx;
    for (x = x0; x < x1; x++)
      sum += fabsf (pa[x] - pb[x]);
  }
  return sum / ((double) (x1 - x0) * (y1 - y0) * 255.0);
}

#define N_CANDIDATES 3

/* Exhaustive search in [-rx, rx] x [-ry, ry] around (cx, cy). Returns the
 * best NCC; the best @n shifts (n <= N_CANDIDATES) go to @cand, best first,
 * and ties prefer the centre (it is evaluated first). */
static double
search (const Level *a, const Level *b, int cx, int cy, int rx, int ry, int n,
    int cand[][2])
{
  double best[N_CANDIDATES];
  int dx, dy, i, k;

  for (i = 0; i < n; i++) {
    best[i] = -2.0;
    cand[i][0] = cx;
    cand[i][1] = cy;
  }
  for (k = -1; k < (2 * rx + 1) * (2 * ry + 1); k++) {
    double v;

    if (k < 0) {
      dx = cx;
      dy = cy;
    } else {
      dx = cx - rx + k % (2 * rx + 1);
      dy = cy - ry + k / (2 * rx + 1);
      if (dx == cx && dy == cy)
        continue;
    }
    if (abs (dx) >= a->w || abs (dy) >= a->h)
      continue;
    v = shifted_ncc (a->yq, b->yq, a->w, a->h, dx, dy);
    for (i = 0; i < n; i++) {
      if (v > best[i] + 1e-9) {
        memmove (&best[i + 1], &best[i], sizeof (double) * (n - 1 - i));
        memmove (&cand[i + 1], &cand[i], sizeof (cand[0]) * (n - 1 - i));
        best[i] = v;
        cand[i][0] = dx;
        cand[i][1] = dy;
        break;
      }
    }
  }
  return best[0];
}

/**
 * omni_scene_compare:
 * @prev: the earlier frame's signature
 * @next: the later frame's signature (same scorer)
 * @coarse: compare the 2x coarser thumbnails (more tolerant of motion, used
 *   across several frames)
 * @diff: (out) (optional): the parts of the score
 *
 * Returns: the change score in [0,1]: 0 for the same picture (also when
 * shifted by a pan or tilt), about 1 for unrelated pictures
 */
double
omni_scene_compare (const OmniSceneSignature *prev,
    const OmniSceneSignature *next, int coarse, OmniSceneDiff *diff)
{
  const int l = coarse ? 1 : 0;
  const Level *a = &prev->lv[l], *b = &next->lv[l];
  const Level *ca = &prev->lv[l + 1], *cb = &next->lv[l + 1];
  double ncc, m, conf, st, col, mad;
  int dx, dy;

  g_return_val_if_fail (a->w == b->w && a->h == b->h, 1.0);

  if (ca->w * 2 <= a->w) {
    /* coarse-to-fine: search the pooled level, refine its best shifts and
     * the unshifted alignment by one cell (several coarse candidates guard
     * against a wrong local maximum on periodic textures) */
    int cand[N_CANDIDATES][2], seen[(N_CANDIDATES + 1) * 9][2];
    int n_seen = 0, i, k, e;

    search (ca, cb, 0, 0, ca->w / 8, ca->h / 6, N_CANDIDATES, cand);
    ncc = -2.0;
    dx = dy = 0;
    for (i = 0; i <= N_CANDIDATES; i++) {
      int cx = i < N_CANDIDATES ? 2 * cand[i][0] : 0;
      int cy = i < N_CANDIDATES ? 2 * cand[i][1] : 0;

      for (e = 0; e < 9; e++) {
        /* the centre first, so that ties keep it */
        int sx = cx + (e == 0 ? 0 : (e - 1 + (e > 4)) % 3 - 1);
        int sy = cy + (e == 0 ? 0 : (e - 1 + (e > 4)) / 3 - 1);
        double v;

        for (k = 0; k < n_seen; k++)
          if (seen[k][0] == sx && seen[k][1] == sy)
            break;
        if (k < n_seen || abs (sx) >= a->w || abs (sy) >= a->h)
          continue;
        seen[n_seen][0] = sx;
        seen[n_seen][1] = sy;
        n_seen++;
        v = shifted_ncc (a->yq, b->yq, a->w, a->h, sx, sy);
        /* ties: the candidate found first, the best coarse one */
        if (v > ncc + 1e-9) {
          ncc = v;
          dx = sx;
          dy = sy;
        }
      }
    }
  } else {
    int best[1][2];

    ncc = search (a, b, 0, 0, a->w / 8, a->h / 6, 1, best);
    dx = best[0][0];
    dy = best[0][1];
  }

  m = MIN (a->ystd, b->ystd);
  conf = m * m / (m * m + CONTRAST_REF * CONTRAST_REF);
  st = CLAMP (1.0 - ncc, 0.0, 1.0) * conf;
  mad = shifted_mad (a->y, b->y, a->w, a->h, dx, dy)
        + shifted_mad (a->u, b->u, a->w, a->h, dx, dy)
        + shifted_mad (a->v, b->v, a->w, a->h, dx, dy);
  col = MIN (1.0, mad / COLOR_REF);

  if (diff) {
    diff->structure = st;
    diff->color = mad;
    diff->ncc = ncc;
    diff->dx = dx;
    diff->dy = dy;
    diff->score = 1.0 - (1.0 - st) * (1.0 - col);
  }
  return 1.0 - (1.0 - st) * (1.0 - col);
}

struct _OmniSceneDetector {
  OmniSceneScorer *scorer;
  OmniSceneMode mode;
  double threshold;
  unsigned ahead;
  OmniSceneSignature *ring[RING];
  double score[RING];
  uint64_t pushed, decided;
  int finished;
};

/**
 * omni_scene_detector_new:
 * @layout: the frame format
 * @mode: fast or adaptive
 * @threshold: a frame scoring above this (in [0,1]) may be a cut; 1 or more
 *   disables cuts
 *
 * Returns: (transfer full) (nullable): a detector, %NULL for a bad @layout
 */
OmniSceneDetector *
omni_scene_detector_new (
    const OmniSceneLayout *layout, OmniSceneMode mode, double threshold)
{
  OmniSceneScorer *scorer = omni_scene_scorer_new (layout);
  OmniSceneDetector *det;
  int i;

  if (!scorer)
    return NULL;
  det = g_new0 (OmniSceneDetector, 1);
  det->scorer = scorer;
  det->mode = mode;
  det->threshold = threshold;
  det->ahead = mode == OMNI_SCENE_MODE_ADAPTIVE ? AHEAD : 0;
  for (i = 0; i < RING; i++)
    det->ring[i] = omni_scene_signature_new (scorer);
  return det;
}

/**
 * omni_scene_detector_free:
 * @det: (transfer full) (nullable): a detector
 */
void
omni_scene_detector_free (OmniSceneDetector *det)
{
  int i;

  if (!det)
    return;
  for (i = 0; i < RING; i++)
    omni_scene_signature_free (det->ring[i]);
  omni_scene_scorer_free (det->scorer);
  g_free (det);
}

/**
 * omni_scene_detector_set_threshold:
 * @det: a detector
 * @threshold: the new threshold, for the frames decided from now on
 */
void
omni_scene_detector_set_threshold (OmniSceneDetector *det, double threshold)
{
  det->threshold = threshold;
}

/**
 * omni_scene_detector_get_latency:
 * @det: a detector
 *
 * Returns: how many later frames must be pushed before a frame is decided
 */
unsigned
omni_scene_detector_get_latency (const OmniSceneDetector *det)
{
  return det->ahead;
}

/**
 * omni_scene_detector_push:
 * @det: a detector
 * @planes: (array): the frame's plane pointers
 * @strides: (array): the frame's plane strides in bytes
 *
 * Adds the next frame. Call omni_scene_detector_pop() until it returns 0
 * after each push; the frame's data is not kept.
 */
void
omni_scene_detector_push (
    OmniSceneDetector *det, const uint8_t *const planes[], const int strides[])
{
  uint64_t n = det->pushed;
  OmniSceneSignature *sig;

  g_return_if_fail (det->pushed - det->decided <= det->ahead);

  sig = det->ring[n % RING];
  omni_scene_scorer_compute (det->scorer, planes, strides, sig);
  det->score[n % RING]
      = n == 0 ? 0.0
               : omni_scene_compare (det->ring[(n - 1) % RING], sig, 0, NULL);
  det->pushed++;
  det->finished = 0;
}

static int
decide (OmniSceneDetector *det, uint64_t t)
{
  const double s = det->score[t % RING];
  double sum = 0.0;
  int n = 0, j;

  if (t == 0 || !(s > det->threshold))
    return 0;

  /* stands out from its neighbourhood (AdaptiveDetector's ratio) */
  for (j = -2; j <= 2; j++) {
    uint64_t k = t + j;
    if (j == 0 || (j < 0 && t < (uint64_t) (1 - j)) || k >= det->pushed
        || (j > 0 && (unsigned) j > det->ahead))
      continue;
    sum += det->score[k % RING];
    n++;
  }
  /* no neighbour to compare with (frame 1 of a fast detector) is no
   * evidence */
  if (n == 0 || s < RATIO * sum / n)
    return 0;

  /* not the end of a flash or occlusion: t-2, t-3 differ from t too */
  for (j = 1; j <= BACK && t >= (uint64_t) (1 + j); j++) {
    if (omni_scene_compare (
            det->ring[(t - 1 - j) % RING], det->ring[t % RING], 1, NULL)
        < 0.5 * s)
      return 0;
  }
  /* not the start of one: t+1, t+2 still differ from t-1 */
  for (j = 1; (unsigned) j <= det->ahead && t + j < det->pushed; j++) {
    if (omni_scene_compare (
            det->ring[(t - 1) % RING], det->ring[(t + j) % RING], 1, NULL)
        < 0.5 * s)
      return 0;
  }
  return 1;
}

/**
 * omni_scene_detector_pop:
 * @det: a detector
 * @decision: (out): the verdict on the oldest undecided frame
 *
 * Returns: 1 when @decision was filled, 0 when the oldest frame still waits
 * for look-ahead (or none is pending)
 */
int
omni_scene_detector_pop (OmniSceneDetector *det, OmniSceneDecision *decision)
{
  uint64_t t = det->decided;

  if (t >= det->pushed || (!det->finished && t + det->ahead >= det->pushed))
    return 0;
  decision->frame = t;
  decision->score = det->score[t % RING];
  decision->cut = decide (det, t);
  det->decided++;
  return 1;
}

/**
 * omni_scene_detector_finish:
 * @det: a detector
 *
 * Makes the pending frames decidable with the look-ahead there is, for the
 * end of a stream or before an event that must not wait. Frames pushed
 * afterwards continue the same sequence (they are still compared with the
 * frames before); omni_scene_detector_reset() starts a new one.
 */
void
omni_scene_detector_finish (OmniSceneDetector *det)
{
  det->finished = 1;
}

/**
 * omni_scene_detector_reset:
 * @det: a detector
 *
 * Forgets every frame (after a flush or a seek): the next frame is frame 0.
 */
void
omni_scene_detector_reset (OmniSceneDetector *det)
{
  det->pushed = det->decided = 0;
  det->finished = 0;
}
