/* gst-omni: detection boxes and non-maximum suppression
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnidetectnms.h"

#include <string.h>

gdouble
omni_detect_box_iou (const OmniDetectBox *a, const OmniDetectBox *b)
{
  gdouble ax1 = MIN (a->x1, a->x2), ax2 = MAX (a->x1, a->x2);
  gdouble ay1 = MIN (a->y1, a->y2), ay2 = MAX (a->y1, a->y2);
  gdouble bx1 = MIN (b->x1, b->x2), bx2 = MAX (b->x1, b->x2);
  gdouble by1 = MIN (b->y1, b->y2), by2 = MAX (b->y1, b->y2);
  gdouble area_a = (ay2 - ay1) * (ax2 - ax1);
  gdouble area_b = (by2 - by1) * (bx2 - bx1);
  gdouble iw, ih, inter;

  if (area_a <= 0.0 || area_b <= 0.0)
    return 0.0;
  iw = MAX (MIN (ax2, bx2) - MAX (ax1, bx1), 0.0);
  ih = MAX (MIN (ay2, by2) - MAX (ay1, by1), 0.0);
  inter = iw * ih;
  return inter / (area_a + area_b - inter);
}

typedef struct {
  gfloat score;
  guint index;
} Candidate;

/* decreasing score, then increasing index: a total order, so the result
 * does not depend on the sort's stability */
static gint
compare_candidates (gconstpointer pa, gconstpointer pb)
{
  const Candidate *a = pa, *b = pb;

  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  return a->index < b->index ? -1 : (a->index > b->index);
}

static Candidate *
sorted_candidates (const OmniDetectBox *boxes, guint n_boxes,
    gdouble score_threshold, guint *n_out)
{
  Candidate *c = g_new (Candidate, MAX (n_boxes, 1));
  guint i, n = 0;

  for (i = 0; i < n_boxes; i++) {
    if ((gdouble) boxes[i].score > score_threshold) {
      c[n].score = boxes[i].score;
      c[n].index = i;
      n++;
    }
  }
  qsort (c, n, sizeof (Candidate), compare_candidates);
  *n_out = n;
  return c;
}

static gboolean
suppressed (const OmniDetectBox *boxes, const guint *kept, guint n_kept,
    guint candidate, gdouble iou_threshold, gboolean class_aware)
{
  const OmniDetectBox *b = &boxes[candidate];
  gint j;

  /* overlapping boxes have similar scores: the latest kept first */
  for (j = (gint) n_kept - 1; j >= 0; j--) {
    const OmniDetectBox *k = &boxes[kept[j]];

    if (class_aware && k->label != b->label)
      continue;
    if (omni_detect_box_iou (b, k) >= iou_threshold)
      return TRUE;
  }
  return FALSE;
}

guint
omni_detect_nms (OmniDetectBox *boxes, guint n_boxes, gdouble iou_threshold,
    gdouble score_threshold, guint max_detections, gboolean class_aware)
{
  Candidate *c;
  guint *kept;
  OmniDetectBox *out;
  guint n_cand, n_kept = 0, i;

  g_return_val_if_fail (boxes != NULL || n_boxes == 0, 0);
  c = sorted_candidates (boxes, n_boxes, score_threshold, &n_cand);
  kept = g_new (guint, MAX (n_cand, 1));
  for (i = 0; i < n_cand && n_kept < max_detections; i++) {
    if (!suppressed (
            boxes, kept, n_kept, c[i].index, iou_threshold, class_aware))
      kept[n_kept++] = c[i].index;
  }
  out = g_new (OmniDetectBox, MAX (n_kept, 1));
  for (i = 0; i < n_kept; i++)
    out[i] = boxes[kept[i]];
  if (n_kept)
    memcpy (boxes, out, n_kept * sizeof (OmniDetectBox));
  g_free (out);
  g_free (kept);
  g_free (c);
  return n_kept;
}
