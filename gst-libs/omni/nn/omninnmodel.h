/* gst-omni: TF.js layers-model loader
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_MODEL_H__
#define __OMNI_NN_MODEL_H__

#include <omni/omni-prelude.h>
#include <omni/nn/omninngraph.h>

G_BEGIN_DECLS

/**
 * OmniNnModel:
 * @id: the model's identifier: the name it was resolved from ("nsfw") or
 *   its directory's basename
 * @path: absolute path of its model.json
 * @graph: the optimised, validated graph (outputs "probabilities" or
 *   "output", then "embedding" when the model has one)
 * @labels: (array length=n_labels) (nullable): class labels, %NULL-terminated
 * @n_labels: number of labels (0 when the model directory has none)
 * @verified: every file read from the model directory matched its sha256
 *   in the directory's SHA256SUMS
 * @unverified_reason: (nullable): when not @verified (loaded only because
 *   unverified models were allowed), why: the first file that had no
 *   recorded sha256 or did not match it
 *
 * A loaded model.
 */
typedef struct {
  gchar *id;
  gchar *path;
  OmniNnGraph *graph;
  gchar **labels;
  guint n_labels;
  gboolean verified;
  gchar *unverified_reason;
} OmniNnModel;

/**
 * OmniNnLoadFlags:
 * @OMNI_NN_LOAD_DEFAULT: every file of the model directory (model.json,
 *   weight shards, labels.txt) must match its sha256 in SHA256SUMS
 * @OMNI_NN_LOAD_ALLOW_UNVERIFIED: load a model whose files have no recorded
 *   sha256 or do not match it; #OmniNnModel.verified is then %FALSE and the
 *   caller warns (the environment variable OMNI_ALLOW_UNVERIFIED_MODELS=1
 *   has the same effect)
 */
typedef enum {
  OMNI_NN_LOAD_DEFAULT = 0,
  OMNI_NN_LOAD_ALLOW_UNVERIFIED = 1 << 0,
} OmniNnLoadFlags;

/**
 * omni_nn_model_resolve:
 * @model: a model name ("nsfw"), a directory holding model.json, or the path
 *   of a model.json
 * @error: return location for an error
 *
 * Resolves @model to a model.json. A bare name is looked up as
 * NAME/model.json in each directory of $OMNI_MODEL_PATH (separated by ':'),
 * then in the build tree's model directory, then in
 * $datadir/gst-omni/models.
 *
 * Returns: (transfer full): the path, or %NULL with %OMNI_NN_ERROR_NOT_FOUND
 */
OMNI_API gchar *omni_nn_model_resolve (const gchar *model, GError **error);

/**
 * omni_nn_model_load:
 * @model: as for omni_nn_model_resolve()
 * @labels: (nullable): a text file with one label per line; %NULL reads
 *   labels.txt next to model.json when there is one
 * @embedding_layer: (nullable): name of the layer whose output becomes the
 *   "embedding" output; %NULL picks the last global average pooling layer
 * @error: return location for an error
 *
 * Loads a TF.js layers model (model.json with a Keras topology and a
 * weightsManifest, plus its binary shards; float32, or uint8/uint16/float16
 * quantized weights, dequantized as q * scale + min), builds its graph,
 * folds batch norms and fuses activations. Supported layers: InputLayer,
 * Conv2D, DepthwiseConv2D, SeparableConv2D, Dense, BatchNormalization, ReLU,
 * Activation (linear, relu, relu6, softmax), Softmax, ZeroPadding2D, Add,
 * GlobalAveragePooling2D, AveragePooling2D covering its whole input,
 * Flatten, Reshape, Rescaling, Dropout and the other inference no-ops.
 * Pre-processing comes from model.json's userDefinedMetadata.omni
 * (inputScale, inputOffset, alignCorners; defaults 1/255, 0, false).
 *
 * The files read from the model directory are checked against its
 * SHA256SUMS first (see omni_nn_model_load_full()).
 *
 * Returns: (transfer full): the model, or %NULL with an #OmniNnError:
 * NOT_FOUND (missing file), PARSE (not JSON or not a layers model),
 * UNSUPPORTED (names the layer class or option), WEIGHTS (names the tensor),
 * SHAPE, UNVERIFIED (names the file and says why)
 */
OMNI_API OmniNnModel *omni_nn_model_load (const gchar *model,
    const gchar *labels, const gchar *embedding_layer, GError **error);

/**
 * omni_nn_model_load_full:
 * @model: as for omni_nn_model_resolve()
 * @labels: (nullable): as for omni_nn_model_load(); a labels file given
 *   here is the caller's own and is not checked
 * @embedding_layer: (nullable): as for omni_nn_model_load()
 * @flags: #OmniNnLoadFlags
 * @error: return location for an error
 *
 * omni_nn_model_load() with flags. A model fails closed: unless
 * %OMNI_NN_LOAD_ALLOW_UNVERIFIED is given (or OMNI_ALLOW_UNVERIFIED_MODELS
 * is set), model.json, every weight shard and labels.txt must be listed in
 * the model directory's SHA256SUMS (written by tools/omni-fetch-models, or
 * by `sha256sum` for one's own model) with their sha256, else the load
 * fails with %OMNI_NN_ERROR_UNVERIFIED.
 *
 * Returns: (transfer full): the model, or %NULL with an #OmniNnError
 */
OMNI_API OmniNnModel *omni_nn_model_load_full (const gchar *model,
    const gchar *labels, const gchar *embedding_layer, OmniNnLoadFlags flags,
    GError **error);

OMNI_API void omni_nn_model_free (OmniNnModel *model);

/**
 * omni_nn_labels_load:
 * @path: a UTF-8 text file, one label per line (blank lines ignored,
 *   surrounding white space stripped)
 * @n_labels: (out) (optional): number of labels
 * @error: return location for an error
 *
 * Returns: (transfer full): %NULL-terminated labels, or %NULL on error
 */
OMNI_API gchar **omni_nn_labels_load (
    const gchar *path, guint *n_labels, GError **error);

G_END_DECLS

#endif /* __OMNI_NN_MODEL_H__ */
