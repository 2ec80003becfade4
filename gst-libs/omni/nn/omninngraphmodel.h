/* gst-omni: TF.js graph-model loader
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_GRAPH_MODEL_H__
#define __OMNI_NN_GRAPH_MODEL_H__

#include <omni/omni-prelude.h>
#include <omni/nn/omninnmodel.h>

G_BEGIN_DECLS

/**
 * omni_nn_graph_model_load:
 * @model: a model name, directory or model.json (omni_nn_model_resolve())
 *   holding a TF.js graph model (`"format": "graph-model"`)
 * @outputs: (nullable) (array zero-terminated=1): the TF node names (an
 *   optional ":0" suffix allowed) to read as outputs; the graph is cut there
 *   and nothing past them is loaded, so an in-graph decode tail (TopK, NMS)
 *   can be skipped and done in C. %NULL: the "cut" of the model's
 *   model-info.json (omninnmodelinfo.h), else the signature's outputs, else
 *   every node no other node reads
 * @error: return location for an error
 *
 * Loads a TF.js graph model: TensorFlow NodeDefs (`modelTopology.node`)
 * and a weightsManifest of float32, float16 or uint8/uint16
 * affine-quantised weights (dequantised at load). Constants and shape-only
 * arithmetic are folded at load; every node the outputs need becomes a
 * node of the runtime's IR (see docs/models.md for the ops). Batch 1; one
 * image input [1, h, w, c]. A model-info.json beside model.json
 * (docs/model-info.md) gives the input normalisation and the labels; its
 * input size must be the graph's.
 *
 * Returns: (transfer full): the model, its outputs named as the signature
 *   names them (else by node name), or %NULL with an #OmniNnError:
 *   %OMNI_NN_ERROR_UNSUPPORTED names the op and the node (control flow —
 *   While, If, loops — is refused as such), %OMNI_NN_ERROR_WEIGHTS names
 *   the tensor of a truncated or missing shard, %OMNI_NN_ERROR_PARSE,
 *   %OMNI_NN_ERROR_SHAPE, %OMNI_NN_ERROR_NOT_FOUND
 */
OMNI_API OmniNnModel *omni_nn_graph_model_load (
    const gchar *model, const gchar *const *outputs, GError **error);

/**
 * omni_nn_graph_model_load_full:
 * @model: as for omni_nn_graph_model_load()
 * @outputs: (nullable) (array zero-terminated=1): idem
 * @flags: #OmniNnLoadFlags
 * @error: return location for an error
 *
 * omni_nn_graph_model_load() with flags: like every loader, it checks the
 * model's files against its directory's SHA256SUMS first
 * (omni_nn_model_verify()) and fails with %OMNI_NN_ERROR_UNVERIFIED unless
 * %OMNI_NN_LOAD_ALLOW_UNVERIFIED is given.
 *
 * Returns: (transfer full): the model, or %NULL with an #OmniNnError
 */
OMNI_API OmniNnModel *omni_nn_graph_model_load_full (const gchar *model,
    const gchar *const *outputs, OmniNnLoadFlags flags, GError **error);

G_END_DECLS

#endif /* __OMNI_NN_GRAPH_MODEL_H__ */
