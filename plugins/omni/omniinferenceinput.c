/* gst-omni: the model input made from a video frame or a region of it
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Two ways, chosen per model from its input (model-info sidecar):
 * - RGB, stretched, float input: the backend's own pre-processing op (on
 *   the GPU with Vulkan) reads the frame, or the region as a frame of its
 *   own (its geometry: same strides, offsets moved to the region's first
 *   pixel, so nothing is copied);
 * - anything else (one grey channel, BGR, letterbox, int32 input): the C
 *   reference of the same op makes RGB at the size the content takes in the
 *   input, then the channel order, letterbox padding, truncation to integers
 *   and normalisation are applied here, giving a float tensor.
 * Grey is luma 0.2989 R + 0.5870 G + 0.1140 B after the resize, as
 * @vladmandic/human's emotion pre-processing (tf.image.rgbToGrayscale's
 * weights); integral input is the resized value truncated, as tf.cast does;
 * letterbox padding is centred, as human's padInput() for MoveNet.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniinferenceinput.h"

#include <math.h>
#include <string.h>

gboolean
omni_inference_input_on_cpu (const OmniNnGraph *g, const OmniNnModelInfo *info)
{
  if (g->input_c != 3)
    return TRUE;
  return info
         && (info->color != OMNI_NN_COLOR_RGB
             || info->resize == OMNI_NN_RESIZE_LETTERBOX || info->int_input);
}

/* Clamps @r to the frame; 4:2:0 regions start on even coordinates so that
 * their chroma samples stay the ones of their luma pixels. */
static gboolean
clamp_region (const OmniNnPreprocessParams *f, const GstVideoRectangle *r,
    OmniInferencePlacement *pl)
{
  gint64 x0 = CLAMP ((gint64) r->x, 0, (gint64) f->in_w);
  gint64 y0 = CLAMP ((gint64) r->y, 0, (gint64) f->in_h);
  gint64 x1 = CLAMP ((gint64) r->x + r->w, 0, (gint64) f->in_w);
  gint64 y1 = CLAMP ((gint64) r->y + r->h, 0, (gint64) f->in_h);

  if (f->layout == OMNI_NN_PIXEL_I420 || f->layout == OMNI_NN_PIXEL_NV12) {
    x0 &= ~(gint64) 1;
    y0 &= ~(gint64) 1;
  }
  if (x1 <= x0 || y1 <= y0)
    return FALSE;
  pl->x = x0;
  pl->y = y0;
  pl->w = x1 - x0;
  pl->h = y1 - y0;
  return TRUE;
}

/* @f restricted to @pl's rectangle, relative to *@data moved to its first
 * byte. */
static void
sub_frame (OmniNnPreprocessParams *p, const OmniNnPreprocessParams *f,
    const OmniInferencePlacement *pl, const guint8 **data)
{
  gsize start[3], base;
  guint bpp, i, n = 1;

  *p = *f;
  p->in_w = pl->w;
  p->in_h = pl->h;
  if (omni_nn_pixel_layout_packed (f->layout, &bpp, NULL, NULL, NULL)) {
    start[0]
        = f->offsets[0] + (gsize) pl->y * f->strides[0] + (gsize) pl->x * bpp;
  } else if (f->layout == OMNI_NN_PIXEL_GRAY8) {
    start[0] = f->offsets[0] + (gsize) pl->y * f->strides[0] + pl->x;
  } else {
    /* I420: Y, U, V; NV12: Y, UV (two bytes per chroma sample) */
    n = f->layout == OMNI_NN_PIXEL_I420 ? 3 : 2;
    start[0] = f->offsets[0] + (gsize) pl->y * f->strides[0] + pl->x;
    for (i = 1; i < n; i++)
      start[i] = f->offsets[i] + (gsize) (pl->y / 2) * f->strides[i]
                 + (gsize) (pl->x / 2) * (n == 2 ? 2 : 1);
  }
  base = start[0];
  for (i = 1; i < n; i++)
    base = MIN (base, start[i]);
  for (i = 0; i < n; i++)
    p->offsets[i] = start[i] - base;
  *data += base;
}

/* The letterbox or stretch of a @w x @h region into the model input. */
static void
place (OmniInferencePlacement *pl, const OmniNnGraph *g,
    const OmniNnModelInfo *info, guint *cw, guint *ch)
{
  pl->input_w = g->input_w;
  pl->input_h = g->input_h;
  if (info && info->resize == OMNI_NN_RESIZE_LETTERBOX) {
    gdouble s
        = MIN ((gdouble) g->input_w / pl->w, (gdouble) g->input_h / pl->h);

    *cw = CLAMP ((guint) lround (pl->w * s), 1, g->input_w);
    *ch = CLAMP ((guint) lround (pl->h * s), 1, g->input_h);
    pl->pad_x = (g->input_w - *cw) / 2;
    pl->pad_y = (g->input_h - *ch) / 2;
  } else {
    *cw = g->input_w;
    *ch = g->input_h;
    pl->pad_x = pl->pad_y = 0;
  }
  pl->scale_x = (gdouble) *cw / pl->w;
  pl->scale_y = (gdouble) *ch / pl->h;
}

/* RGB code values [ch, cw, 3] -> the model's tensor [input_h, input_w, c]. */
static void
to_tensor (OmniInferenceInput *in, const gfloat *rgb, guint cw, guint ch,
    const OmniNnGraph *g, const OmniNnModelInfo *info)
{
  const OmniInferencePlacement *pl = &in->placement;
  const guint c = g->input_c, px = pl->pad_x, py = pl->pad_y;
  const gboolean bgr = info && info->color == OMNI_NN_COLOR_BGR;
  const gboolean integral = info && info->int_input;
  const gfloat scale = g->input_scale, offset = g->input_offset;
  gsize i, n = (gsize) g->input_w * g->input_h * c;
  guint x, y, k;

  in->tensor = g_new (gfloat, n);
  for (i = 0; i < n; i++)
    in->tensor[i] = offset;
  for (y = 0; y < ch; y++) {
    for (x = 0; x < cw; x++) {
      const gfloat *s = rgb + ((gsize) y * cw + x) * 3;
      gfloat *d = in->tensor + (((gsize) (y + py)) * g->input_w + x + px) * c;
      gfloat v[3];

      if (c == 1) {
        v[0] = 0.2989f * s[0] + 0.5870f * s[1] + 0.1140f * s[2];
      } else {
        v[0] = s[bgr ? 2 : 0];
        v[1] = s[1];
        v[2] = s[bgr ? 0 : 2];
      }
      for (k = 0; k < c && k < 3; k++)
        d[k] = (integral ? truncf (v[k]) : v[k]) * scale + offset;
    }
  }
}

/**
 * omni_inference_input_prepare:
 * @in: (out caller-allocates): the input to fill
 * @frame: the mapped frame's geometry (its own strides and offsets)
 * @data: the mapped frame's first plane
 * @region: (nullable): a rectangle of the frame, in pixels (clamped);
 *   %NULL: the whole frame
 * @g: the model's graph
 * @info: (nullable): its model-info sidecar
 *
 * Returns: %FALSE when @region is empty once clamped to the frame
 */
gboolean
omni_inference_input_prepare (OmniInferenceInput *in,
    const OmniNnPreprocessParams *frame, const guint8 *data,
    const GstVideoRectangle *region, const OmniNnGraph *g,
    const OmniNnModelInfo *info)
{
  GstVideoRectangle whole = { 0, 0, frame->in_w, frame->in_h };
  OmniInferencePlacement *pl = &in->placement;
  guint cw, ch;

  memset (in, 0, sizeof (*in));
  if (!clamp_region (frame, region ? region : &whole, pl))
    return FALSE;
  sub_frame (&in->params, frame, pl, &data);
  place (pl, g, info, &cw, &ch);
  in->params.out_w = cw;
  in->params.out_h = ch;
  in->params.align_corners = g->align_corners;
  if (!omni_inference_input_on_cpu (g, info)) {
    in->params.scale = g->input_scale;
    in->params.offset = g->input_offset;
    in->input.frame_params = &in->params;
    in->input.frame = data;
    in->input.frame_size = omni_nn_preprocess_frame_size (&in->params);
  } else {
    gfloat *rgb = g_new (gfloat, (gsize) cw * ch * 3);

    in->params.scale = 1.0f;
    in->params.offset = 0.0f;
    omni_nn_ref_preprocess (&in->params, data, rgb);
    to_tensor (in, rgb, cw, ch, g, info);
    g_free (rgb);
    in->input.tensor = in->tensor;
  }
  return TRUE;
}

void
omni_inference_input_clear (OmniInferenceInput *in)
{
  g_clear_pointer (&in->tensor, g_free);
}
