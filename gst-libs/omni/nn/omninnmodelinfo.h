/* gst-omni: model-info sidecar (how to feed a model, what its outputs mean)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_MODEL_INFO_H__
#define __OMNI_NN_MODEL_INFO_H__

#include <omni/omni-prelude.h>

G_BEGIN_DECLS

/**
 * OmniNnColorOrder:
 * @OMNI_NN_COLOR_RGB: channels R, G, B
 * @OMNI_NN_COLOR_BGR: channels B, G, R
 * @OMNI_NN_COLOR_GRAY: one channel, luma 0.2989 R + 0.587 G + 0.114 B
 */
typedef enum {
  OMNI_NN_COLOR_RGB,
  OMNI_NN_COLOR_BGR,
  OMNI_NN_COLOR_GRAY,
} OmniNnColorOrder;

/**
 * OmniNnResizeMode:
 * @OMNI_NN_RESIZE_STRETCH: the frame is scaled to the input size
 * @OMNI_NN_RESIZE_LETTERBOX: scaled keeping its aspect ratio, centred,
 *   the rest zero (after normalisation: the offset)
 */
typedef enum {
  OMNI_NN_RESIZE_STRETCH,
  OMNI_NN_RESIZE_LETTERBOX,
} OmniNnResizeMode;

/**
 * OmniNnOutputInfo:
 * @name: the output (graph node name, or a layers model's output name)
 * @meaning: (nullable): what it holds, one of the words docs/model-info.md
 *   lists ("probabilities", "class-heatmap", "box-size", ...)
 */
typedef struct {
  gchar *name;
  gchar *meaning;
} OmniNnOutputInfo;

/**
 * OmniNnModelInfo:
 * @task: (nullable): "classification", "object-detection",
 *   "face-detection", "pose", "face-attributes", ...
 * @width: input width the model expects
 * @height: input height
 * @channels: input channels (1 or 3)
 * @color: channel order
 * @scale: value = 8-bit sample * @scale + @offset
 * @offset: see @scale
 * @resize: how a frame of another aspect ratio is fitted
 * @align_corners: the bilinear resize's align_corners
 * @int_input: the model's input is int32 (fed the integral 8-bit values)
 * @cut: (array zero-terminated=1) (nullable): node names where a graph
 *   model is cut (before an in-graph decode tail)
 * @outputs: (array length=n_outputs): the outputs described
 * @n_outputs: their number
 * @labels: (array length=n_labels) (nullable): class labels, %NULL-terminated
 * @n_labels: their number
 *
 * A model-info sidecar: `model-info.json` next to a model's `model.json`
 * (docs/model-info.md). The runtime itself knows only graphs and ops; this
 * says how to feed one and what comes out.
 */
typedef struct {
  gchar *task;
  guint width, height, channels;
  OmniNnColorOrder color;
  gfloat scale, offset;
  OmniNnResizeMode resize;
  gboolean align_corners;
  gboolean int_input;
  gchar **cut;
  OmniNnOutputInfo *outputs;
  guint n_outputs;
  gchar **labels;
  guint n_labels;
} OmniNnModelInfo;

/**
 * omni_nn_model_info_load:
 * @path: a model-info JSON file
 * @error: return location for an error
 *
 * Returns: (transfer full): the info, or %NULL with %OMNI_NN_ERROR_NOT_FOUND
 *   or %OMNI_NN_ERROR_PARSE naming the file and the field
 */
OMNI_API OmniNnModelInfo *omni_nn_model_info_load (
    const gchar *path, GError **error);

/**
 * omni_nn_model_info_find:
 * @model_json: a model's model.json
 * @error: return location for an error
 *
 * Reads the `model-info.json` beside @model_json.
 *
 * Returns: (transfer full) (nullable): the info; %NULL without @error set
 *   when there is no sidecar, %NULL with @error when it is invalid
 */
OMNI_API OmniNnModelInfo *omni_nn_model_info_find (
    const gchar *model_json, GError **error);

OMNI_API void omni_nn_model_info_free (OmniNnModelInfo *info);

G_END_DECLS

#endif /* __OMNI_NN_MODEL_INFO_H__ */
