/* gst-omni: omnidetect's choice of decoder from a model's outputs
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnidetectdecoder.h"

#include <omni/nn/omninngraph.h>
#include <omni/tasks/omnidetectblazeface.h>
#include <omni/tasks/omnidetectcenternet.h>
#include <omni/tasks/omnidetectnanodet.h>
#include <string.h>

#define MAX_LEVELS 5
#define CENTERNET_TOP_K 100

typedef enum { KIND_CENTERNET, KIND_BLAZEFACE, KIND_NANODET } Kind;

struct _OmniDetectDecoder {
  Kind kind;
  guint input_w, input_h, n_classes;
  OmniDetectBox *boxes;
  guint max_boxes;
  /* CenterNet */
  gint heat, wh;
  OmniDetectCenterNetParams cn;
  /* BlazeFace: outputs of the 16x16 (2 anchors per cell) and 8x8 grids */
  gint scores[2], regs[2];
  guint n_anchors[2];
  gfloat *logits, *regressors;
  /* NanoDet */
  guint n_levels, reg_max;
  gint lv_scores[MAX_LEVELS], lv_dists[MAX_LEVELS];
  OmniDetectNanoDetLevel levels[MAX_LEVELS];
};

static const gchar *const blazeface_keypoints[] = { "right_eye", "left_eye",
  "nose", "mouth", "right_ear", "left_ear", NULL };

static const OmniNnTensor *
output_tensor (OmniNnSession *s, guint i)
{
  const OmniNnGraph *g = omni_nn_session_get_model (s)->graph;

  return omni_nn_graph_tensor (g, omni_nn_graph_output (g, i)->tensor);
}

static gint
find_meaning (OmniNnSession *s, const gchar *prefix)
{
  const OmniNnModelInfo *info = omni_nn_session_get_info (s);
  guint i;

  for (i = 0; info && i < info->n_outputs; i++)
    if (info->outputs[i].meaning
        && g_str_has_prefix (info->outputs[i].meaning, prefix))
      return omni_nn_session_find_output (s, info->outputs[i].name);
  return -1;
}

static gboolean fail (GError **error, const gchar *format, ...)
    G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError **error, const gchar *format, ...)
{
  va_list args;
  gchar *msg;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE, msg);
  g_free (msg);
  return FALSE;
}

static gboolean
setup_centernet (
    OmniDetectDecoder *d, OmniNnSession *s, guint n_labels, GError **error)
{
  const OmniNnTensor *h, *w;

  d->heat = find_meaning (s, "class-heatmap");
  d->wh = find_meaning (s, "box-size");
  if (d->heat < 0 || d->wh < 0)
    return fail (error, "CenterNet needs the outputs 'class-heatmap' and "
                        "'box-size' among the model's outputs");
  h = output_tensor (s, d->heat);
  w = output_tensor (s, d->wh);
  if (h->n_dims != 3 || w->n_dims != 3 || w->dims[2] != 4
      || h->dims[0] != w->dims[0] || h->dims[1] != w->dims[1])
    return fail (error,
        "CenterNet needs a [h, w, classes] heat-map and a [h, w, 4] box "
        "regression of the same grid; the model gives %u-d and %u-d tensors",
        h->n_dims, w->n_dims);
  d->n_classes = h->dims[2];
  if (n_labels && n_labels != d->n_classes)
    return fail (error, "the heat-map has %u classes but there are %u labels",
        d->n_classes, n_labels);
  d->cn.grid_h = h->dims[0];
  d->cn.grid_w = h->dims[1];
  d->cn.n_classes = d->n_classes;
  d->cn.input_w = d->input_w;
  d->cn.input_h = d->input_h;
  d->cn.top_k = CENTERNET_TOP_K;
  d->max_boxes = CENTERNET_TOP_K;
  return TRUE;
}

static gboolean
setup_blazeface (OmniDetectDecoder *d, OmniNnSession *s, GError **error)
{
  guint i, n = omni_nn_session_get_n_outputs (s), total;

  if (d->input_w != d->input_h)
    return fail (error, "BlazeFace needs a square input, not %ux%u", d->input_w,
        d->input_h);
  /* the heads, told apart by their sizes as human's getBoxes() does */
  d->n_anchors[0] = 16 * 16 * 2;
  d->n_anchors[1] = 8 * 8 * 6;
  d->scores[0] = d->scores[1] = d->regs[0] = d->regs[1] = -1;
  for (i = 0; i < n; i++) {
    gsize e = output_tensor (s, i)->n_elements;
    guint k;

    for (k = 0; k < 2; k++) {
      if (e == d->n_anchors[k])
        d->scores[k] = i;
      else if (e == d->n_anchors[k] * 16)
        d->regs[k] = i;
    }
  }
  if (d->scores[0] < 0 || d->scores[1] < 0 || d->regs[0] < 0 || d->regs[1] < 0)
    return fail (error,
        "BlazeFace needs 4 outputs: 512 and 384 score logits, 512 x 16 and "
        "384 x 16 regressors; the model has %u outputs of other sizes",
        n);
  total = d->n_anchors[0] + d->n_anchors[1];
  d->logits = g_new (gfloat, total);
  d->regressors = g_new (gfloat, total * 16);
  d->n_classes = 1;
  d->max_boxes = total;
  return TRUE;
}

/* the stride s with ceil (W / s) * ceil (H / s) == cells */
static guint
stride_of (guint cells, guint w, guint h)
{
  guint s;

  for (s = 4; s <= 128; s *= 2)
    if (((w + s - 1) / s) * ((h + s - 1) / s) == cells)
      return s;
  return 0;
}

static gboolean
add_nanodet_level (OmniDetectDecoder *d, OmniNnSession *s, guint score_out,
    guint cells, guint stride)
{
  guint j, n = omni_nn_session_get_n_outputs (s);
  OmniDetectNanoDetLevel *lv = &d->levels[d->n_levels];

  for (j = 0; j < n; j++) {
    const OmniNnTensor *t = output_tensor (s, j);
    guint last = t->dims[t->n_dims - 1];

    if (j == score_out || t->n_elements != (gsize) cells * last
        || last == d->n_classes || last % 4 || last < 8)
      continue;
    if (d->reg_max && d->reg_max != last / 4 - 1)
      continue;
    d->reg_max = last / 4 - 1;
    d->lv_scores[d->n_levels] = score_out;
    d->lv_dists[d->n_levels] = j;
    lv->stride = stride;
    lv->grid_w = (d->input_w + stride - 1) / stride;
    lv->grid_h = (d->input_h + stride - 1) / stride;
    d->n_levels++;
    return TRUE;
  }
  return FALSE;
}

static gboolean
setup_nanodet (
    OmniDetectDecoder *d, OmniNnSession *s, guint n_labels, GError **error)
{
  guint i, n = omni_nn_session_get_n_outputs (s), cells = 0;

  if (!n_labels)
    return fail (error, "NanoDet needs the model's labels (sidecar or "
                        "labels=) to tell score maps from distributions");
  d->n_classes = n_labels;
  for (i = 0; i < n && d->n_levels < MAX_LEVELS; i++) {
    const OmniNnTensor *t = output_tensor (s, i);
    guint c = t->n_elements / MAX (d->n_classes, 1), stride;

    if (t->dims[t->n_dims - 1] != d->n_classes)
      continue;
    stride = stride_of (c, d->input_w, d->input_h);
    if (!stride || !add_nanodet_level (d, s, i, c, stride))
      return fail (error,
          "NanoDet: output %u ([%" G_GSIZE_FORMAT " values]) has no matching "
          "stride or distance distribution",
          i, t->n_elements);
    cells += c;
  }
  if (!d->n_levels)
    return fail (error,
        "NanoDet needs [cells, %u] score maps; the model has "
        "none",
        d->n_classes);
  d->max_boxes = cells * 4;
  return TRUE;
}

OmniDetectDecoder *
omni_detect_decoder_new (OmniNnSession *s, guint n_labels, GError **error)
{
  const OmniNnModelInfo *info = omni_nn_session_get_info (s);
  const OmniNnGraph *g = omni_nn_session_get_model (s)->graph;
  OmniDetectDecoder *d = g_new0 (OmniDetectDecoder, 1);
  gboolean ok;

  d->input_w = g->input_w;
  d->input_h = g->input_h;
  if (!info) {
    ok = fail (error, "the model has no model-info.json sidecar saying what "
                      "its outputs are");
  } else if (find_meaning (s, "class-heatmap") >= 0) {
    d->kind = KIND_CENTERNET;
    ok = setup_centernet (d, s, n_labels, error);
  } else if (find_meaning (s, "face-scores") >= 0) {
    d->kind = KIND_BLAZEFACE;
    ok = setup_blazeface (d, s, error);
  } else if (info->task && !strcmp (info->task, "object-detection")) {
    d->kind = KIND_NANODET;
    ok = setup_nanodet (d, s, n_labels, error);
  } else {
    ok = fail (error,
        "the model's outputs are not a detector's (task '%s'): omnidetect "
        "decodes CenterNet ('class-heatmap', 'box-size'), BlazeFace "
        "('face-scores-*', 'face-boxes-*') and NanoDet score maps",
        info->task ? info->task : "none");
  }
  if (!ok) {
    omni_detect_decoder_free (d);
    return NULL;
  }
  d->boxes = g_new (OmniDetectBox, MAX (d->max_boxes, 1));
  return d;
}

void
omni_detect_decoder_free (OmniDetectDecoder *d)
{
  if (!d)
    return;
  g_free (d->boxes);
  g_free (d->logits);
  g_free (d->regressors);
  g_free (d);
}

const gchar *
omni_detect_decoder_get_kind (OmniDetectDecoder *d)
{
  static const gchar *names[] = { "centernet", "blazeface", "nanodet" };

  return names[d->kind];
}

guint
omni_detect_decoder_get_n_classes (OmniDetectDecoder *d)
{
  return d->n_classes;
}

const gchar *const *
omni_detect_decoder_get_keypoint_names (OmniDetectDecoder *d)
{
  return d->kind == KIND_BLAZEFACE ? blazeface_keypoints : NULL;
}

static guint
run_blazeface (OmniDetectDecoder *d, OmniNnSession *s, gdouble threshold)
{
  guint k, off = 0;

  /* human's order: the 512 anchors of the 16x16 grid, then the 384 */
  for (k = 0; k < 2; k++) {
    memcpy (d->logits + off, omni_nn_session_get_output (s, d->scores[k], NULL),
        d->n_anchors[k] * sizeof (gfloat));
    memcpy (d->regressors + off * 16,
        omni_nn_session_get_output (s, d->regs[k], NULL),
        d->n_anchors[k] * 16 * sizeof (gfloat));
    off += d->n_anchors[k];
  }
  return omni_detect_blazeface_decode (
      d->logits, d->regressors, d->input_w, threshold, d->boxes);
}

guint
omni_detect_decoder_run (OmniDetectDecoder *d, OmniNnSession *s,
    gdouble threshold, OmniDetectBox **boxes)
{
  guint i, n = 0;

  *boxes = d->boxes;
  switch (d->kind) {
  case KIND_CENTERNET:
    d->cn.threshold = threshold;
    n = omni_detect_centernet_decode (&d->cn,
        omni_nn_session_get_output (s, d->heat, NULL),
        omni_nn_session_get_output (s, d->wh, NULL), d->boxes);
    break;
  case KIND_BLAZEFACE:
    n = run_blazeface (d, s, threshold);
    break;
  case KIND_NANODET:
    for (i = 0; i < d->n_levels; i++) {
      d->levels[i].scores
          = omni_nn_session_get_output (s, d->lv_scores[i], NULL);
      d->levels[i].distributions
          = omni_nn_session_get_output (s, d->lv_dists[i], NULL);
    }
    n = omni_detect_nanodet_decode (d->levels, d->n_levels, d->n_classes,
        d->reg_max, d->input_w, d->input_h, threshold, d->boxes, d->max_boxes);
    break;
  }
  return n;
}
