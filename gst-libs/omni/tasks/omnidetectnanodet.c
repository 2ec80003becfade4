/* gst-omni: NanoDet decoding (GFL score maps and distance distributions)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnidetectnanodet.h"

#include <math.h>

gfloat
omni_detect_nanodet_distance (const gfloat *logits, guint n_bins)
{
  gfloat m = -G_MAXFLOAT;
  gdouble sum = 0.0, expect = 0.0;
  guint i;

  for (i = 0; i < n_bins; i++)
    m = MAX (m, logits[i]);
  for (i = 0; i < n_bins; i++) {
    gdouble e = exp ((gdouble) logits[i] - m);

    sum += e;
    expect += e * i;
  }
  return sum > 0.0 ? (gfloat) (expect / sum) : 0.0f;
}

static gfloat
clamp01 (gdouble v)
{
  return (gfloat) CLAMP (v, 0.0, 1.0);
}

static void
cell_box (const OmniDetectNanoDetLevel *l, guint cell, guint reg_max,
    guint input_w, guint input_h, OmniDetectBox *b)
{
  const gfloat *d = l->distributions + (gsize) cell * 4 * (reg_max + 1);
  gdouble cx = ((cell % l->grid_w) + 0.5) * l->stride;
  gdouble cy = ((cell / l->grid_w) + 0.5) * l->stride;
  gdouble left = omni_detect_nanodet_distance (d, reg_max + 1) * l->stride;
  gdouble top
      = omni_detect_nanodet_distance (d + reg_max + 1, reg_max + 1) * l->stride;
  gdouble right
      = omni_detect_nanodet_distance (d + 2 * (reg_max + 1), reg_max + 1)
        * l->stride;
  gdouble bottom
      = omni_detect_nanodet_distance (d + 3 * (reg_max + 1), reg_max + 1)
        * l->stride;

  b->x1 = clamp01 ((cx - left) / input_w);
  b->y1 = clamp01 ((cy - top) / input_h);
  b->x2 = clamp01 ((cx + right) / input_w);
  b->y2 = clamp01 ((cy + bottom) / input_h);
  b->n_keypoints = 0;
}

guint
omni_detect_nanodet_decode (const OmniDetectNanoDetLevel *levels,
    guint n_levels, guint n_classes, guint reg_max, guint input_w,
    guint input_h, gdouble threshold, OmniDetectBox *out, guint max_out)
{
  guint l, cell, c, n = 0;

  g_return_val_if_fail (levels != NULL || n_levels == 0, 0);
  g_return_val_if_fail (input_w && input_h, 0);
  for (l = 0; l < n_levels; l++) {
    const OmniDetectNanoDetLevel *lv = &levels[l];

    for (cell = 0; cell < lv->grid_w * lv->grid_h; cell++) {
      const gfloat *s = lv->scores + (gsize) cell * n_classes;
      OmniDetectBox box;
      gboolean have_box = FALSE;

      for (c = 0; c < n_classes && n < max_out; c++) {
        if (!((gdouble) s[c] > threshold))
          continue;
        if (!have_box)
          cell_box (lv, cell, reg_max, input_w, input_h, &box);
        have_box = TRUE;
        box.score = s[c];
        box.label = c;
        out[n++] = box;
      }
    }
  }
  return n;
}
