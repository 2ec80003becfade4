/* gst-omni: the model input made from a video frame or a region of it
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_INFERENCE_INPUT_H__
#define __OMNI_INFERENCE_INPUT_H__

#include <gst/video/video.h>
#include <omni/nn/omninngraph.h>
#include <omni/nn/omninnmodelinfo.h>
#include <omni/nn/omninnops.h>

G_BEGIN_DECLS

/**
 * OmniInferencePlacement:
 * @x: the region analysed, in frame pixels (clamped to the frame; for
 *   4:2:0 frames its origin rounded down to even coordinates)
 * @y: see @x
 * @w: see @x
 * @h: see @x
 * @pad_x: where the region's pixels landed in the model input: region
 *   pixel coordinate u maps to input coordinate @pad_x + u * @scale_x
 * @pad_y: idem vertically
 * @scale_x: see @pad_x
 * @scale_y: see @pad_y
 * @input_w: the model input's width
 * @input_h: its height
 *
 * Where a region of the frame went in the model input (stretched: no pad,
 * scale = input / region; letterboxed: centred, one scale, the rest
 * padding), so that positions found in the input map back to the frame.
 */
typedef struct {
  gint x, y, w, h;
  gdouble pad_x, pad_y, scale_x, scale_y;
  guint input_w, input_h;
} OmniInferencePlacement;

/**
 * OmniInferenceInput:
 * @params: the region described as a frame of its own (no copy: offsets
 *   into the mapped frame)
 * @tensor: (nullable): the input tensor when made on the CPU
 * @input: what to give omni_nn_session_run()
 * @placement: where the region went
 */
typedef struct {
  OmniNnPreprocessParams params;
  gfloat *tensor;
  OmniNnInput input;
  OmniInferencePlacement placement;
} OmniInferenceInput;

gboolean omni_inference_input_on_cpu (
    const OmniNnGraph *g, const OmniNnModelInfo *info);

gboolean omni_inference_input_prepare (OmniInferenceInput *in,
    const OmniNnPreprocessParams *frame, const guint8 *data,
    const GstVideoRectangle *region, const OmniNnGraph *g,
    const OmniNnModelInfo *info);

void omni_inference_input_clear (OmniInferenceInput *in);

G_END_DECLS

#endif /* __OMNI_INFERENCE_INPUT_H__ */
