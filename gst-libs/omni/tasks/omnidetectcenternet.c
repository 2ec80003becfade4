/* gst-omni: CenterNet decoding (heat-map peaks, top-K, box regression)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnidetectcenternet.h"

#include <stdlib.h>

typedef struct {
  gfloat score;
  guint index; /* flat (y * grid_w + x) * n_classes + class */
} Peak;

static gint
compare_peaks (gconstpointer pa, gconstpointer pb)
{
  const Peak *a = pa, *b = pb;

  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  return a->index < b->index ? -1 : (a->index > b->index);
}

/* TRUE when heatmap[y, x, c] is the maximum of its 3x3 neighbourhood (the
 * SAME max pool ignores the cells outside the map) */
static gboolean
is_peak (const OmniDetectCenterNetParams *p, const gfloat *heatmap, guint x,
    guint y, guint c)
{
  gfloat v = heatmap[((gsize) y * p->grid_w + x) * p->n_classes + c];
  guint y0 = y > 0 ? y - 1 : 0, y1 = MIN (y + 1, p->grid_h - 1);
  guint x0 = x > 0 ? x - 1 : 0, x1 = MIN (x + 1, p->grid_w - 1);
  guint i, j;

  for (j = y0; j <= y1; j++)
    for (i = x0; i <= x1; i++)
      if (heatmap[((gsize) j * p->grid_w + i) * p->n_classes + c] > v)
        return FALSE;
  return TRUE;
}

/* all peaks above the threshold, in flat order */
static GArray *
find_peaks (const OmniDetectCenterNetParams *p, const gfloat *heatmap)
{
  GArray *peaks = g_array_new (FALSE, FALSE, sizeof (Peak));
  guint x, y, c;

  for (y = 0; y < p->grid_h; y++) {
    for (x = 0; x < p->grid_w; x++) {
      const gfloat *cell = heatmap + ((gsize) y * p->grid_w + x) * p->n_classes;

      for (c = 0; c < p->n_classes; c++) {
        Peak pk;

        if (!((gdouble) cell[c] > p->threshold)
            || !is_peak (p, heatmap, x, y, c))
          continue;
        pk.score = cell[c];
        pk.index = (y * p->grid_w + x) * p->n_classes + c;
        g_array_append_val (peaks, pk);
      }
    }
  }
  return peaks;
}

guint
omni_detect_centernet_decode (const OmniDetectCenterNetParams *p,
    const gfloat *heatmap, const gfloat *wh, OmniDetectBox *out)
{
  GArray *peaks;
  gfloat sx, sy;
  guint i, n;

  g_return_val_if_fail (p && heatmap && wh && out, 0);
  g_return_val_if_fail (p->grid_w && p->grid_h && p->n_classes, 0);
  peaks = find_peaks (p, heatmap);
  qsort (peaks->data, peaks->len, sizeof (Peak), compare_peaks);
  n = MIN (peaks->len, p->top_k);
  /* the graph multiplies the cell index by the stride in float32 */
  sx = (gfloat) p->input_w / (gfloat) p->grid_w;
  sy = (gfloat) p->input_h / (gfloat) p->grid_h;
  for (i = 0; i < n; i++) {
    const Peak *pk = &g_array_index (peaks, Peak, i);
    guint cell = pk->index / p->n_classes;
    gfloat x = (gfloat) (cell % p->grid_w), y = (gfloat) (cell / p->grid_w);
    const gfloat *r = wh + (gsize) cell * 4;
    OmniDetectBox *b = &out[i];

    b->x1 = (gfloat) ((gdouble) (x * sx - r[0]) / p->input_w);
    b->y1 = (gfloat) ((gdouble) (y * sy - r[1]) / p->input_h);
    b->x2 = (gfloat) ((gdouble) (x * sx + r[2]) / p->input_w);
    b->y2 = (gfloat) ((gdouble) (y * sy + r[3]) / p->input_h);
    b->score = pk->score;
    b->label = pk->index % p->n_classes;
    b->n_keypoints = 0;
  }
  g_array_free (peaks, TRUE);
  return n;
}
