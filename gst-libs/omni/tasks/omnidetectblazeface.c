/* gst-omni: BlazeFace decoding (anchors, box and keypoint regression)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnidetectblazeface.h"

#include <math.h>

static const guint strides_div[2] = { 16, 8 };
static const guint per_cell[2] = { 2, 6 };

guint
omni_detect_blazeface_n_anchors (guint input_size)
{
  guint i, n = 0;

  for (i = 0; i < 2; i++) {
    guint stride = input_size / strides_div[i];
    guint grid = stride ? (input_size + stride - 1) / stride : 0;

    n += grid * grid * per_cell[i];
  }
  return n;
}

void
omni_detect_blazeface_anchors (guint input_size, gfloat *anchors)
{
  guint i, x, y, k, n = 0;

  for (i = 0; i < 2; i++) {
    guint stride = input_size / strides_div[i];
    guint grid = stride ? (input_size + stride - 1) / stride : 0;

    for (y = 0; y < grid; y++) {
      for (x = 0; x < grid; x++) {
        for (k = 0; k < per_cell[i]; k++) {
          anchors[2 * n] = stride * (x + 0.5f);
          anchors[2 * n + 1] = stride * (y + 0.5f);
          n++;
        }
      }
    }
  }
}

guint
omni_detect_blazeface_decode (const gfloat *logits, const gfloat *regressors,
    guint input_size, gdouble threshold, OmniDetectBox *out)
{
  guint n_anchors = omni_detect_blazeface_n_anchors (input_size);
  gfloat *anchors = g_new (gfloat, 2 * MAX (n_anchors, 1));
  gfloat s = (gfloat) input_size;
  guint a, k, n = 0;

  g_return_val_if_fail (logits && regressors && out, 0);
  omni_detect_blazeface_anchors (input_size, anchors);
  for (a = 0; a < n_anchors; a++) {
    const gfloat *r = regressors + (gsize) a * 16;
    gfloat score = 1.0f / (1.0f + expf (-logits[a]));
    gfloat cx = r[0] + anchors[2 * a], cy = r[1] + anchors[2 * a + 1];
    OmniDetectBox *b;

    if (!((gdouble) score > threshold))
      continue;
    b = &out[n++];
    b->x1 = (cx - r[2] / 2.0f) / s;
    b->y1 = (cy - r[3] / 2.0f) / s;
    b->x2 = (cx + r[2] / 2.0f) / s;
    b->y2 = (cy + r[3] / 2.0f) / s;
    b->score = score;
    b->label = 0;
    b->n_keypoints = OMNI_DETECT_BLAZEFACE_N_KEYPOINTS;
    for (k = 0; k < OMNI_DETECT_BLAZEFACE_N_KEYPOINTS; k++) {
      b->keypoints[k][0] = (r[4 + 2 * k] + anchors[2 * a]) / s;
      b->keypoints[k][1] = (r[5 + 2 * k] + anchors[2 * a + 1]) / s;
    }
  }
  g_free (anchors);
  return n;
}
