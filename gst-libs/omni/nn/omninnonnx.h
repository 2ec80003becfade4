/* gst-omni: ONNX model loader
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_ONNX_H__
#define __OMNI_NN_ONNX_H__

#include <omni/omni-prelude.h>
#include <omni/nn/omninngraph.h>
#include <omni/nn/omninnmodel.h>

G_BEGIN_DECLS

/**
 * OMNI_NN_ONNX_MAX_RANK:
 *
 * Highest rank of an ONNX value the loader handles (activations must fit
 * the IR's 4 dimensions once leading 1s are dropped).
 */
#define OMNI_NN_ONNX_MAX_RANK 8

/**
 * OmniNnOnnxInput:
 * @name: the ONNX graph input's name
 * @offset: where its values start in the packed float input tensor
 * @n_dims: its rank
 * @dims: its shape, symbolic dimensions bound
 * @n: its number of elements
 * @elem_type: its ONNX element type (TensorProto.DataType); the runtime
 *   takes every input as float32 values
 *
 * One run-time input of an ONNX graph. The IR has one input tensor: the
 * loader packs the graph's inputs one after the other into it, in model
 * order.
 */
typedef struct {
  gchar *name;
  gsize offset;
  guint n_dims;
  gint64 dims[OMNI_NN_ONNX_MAX_RANK];
  gsize n;
  gint elem_type;
} OmniNnOnnxInput;

/**
 * OmniNnOnnxOutput:
 * @name: the ONNX graph output's name (also its name in the IR graph)
 * @n_dims: its rank
 * @dims: its shape
 *
 * One output of an ONNX graph, in model order (the IR graph's outputs are
 * in the same order).
 */
typedef struct {
  gchar *name;
  guint n_dims;
  gint64 dims[OMNI_NN_ONNX_MAX_RANK];
} OmniNnOnnxOutput;

/**
 * OmniNnOnnxModel:
 * @graph: the IR graph (optimised and validated); its input is
 *   [1, 1, total] with the run-time inputs packed as @inputs say
 * @inputs: (element-type OmniNnOnnxInput): the run-time inputs
 * @outputs: (element-type OmniNnOnnxOutput): the outputs
 * @opset: the model's default-domain opset
 * @n_input_values: floats in the packed input
 */
typedef struct {
  OmniNnGraph *graph;
  GArray *inputs;
  GArray *outputs;
  gint64 opset;
  gsize n_input_values;
} OmniNnOnnxModel;

/**
 * omni_nn_onnx_load:
 * @path: a model.onnx file
 * @bindings: (nullable) (array zero-terminated=1): "name=value" strings: a
 *   symbolic dimension bound to an integer, or a graph input bound to a
 *   constant scalar (Silero VAD's "sr=16000"), which is then folded at load
 * @error: return location for an #OmniNnError
 *
 * Loads an ONNX model (ModelProto, parsed with protobuf-c from ONNX's own
 * schema) into the runtime's IR: initializers and Constant nodes become
 * weights; every node whose inputs are all constant (shape arithmetic:
 * Shape, Gather, Concat, Unsqueeze, ...) is evaluated at load; `If` whose
 * condition is then constant is replaced by the branch taken; the other
 * nodes become IR nodes (docs/onnx.md lists the ops). Default-domain opsets
 * 9 to 17. Symbolic dimensions must be bound (@bindings) or be a batch of
 * 1 (a leading dimension).
 *
 * Returns: (transfer full): the model, or %NULL with
 *   %OMNI_NN_ERROR_UNSUPPORTED naming the op, its domain, the opset and the
 *   node; %OMNI_NN_ERROR_PARSE for a file that is not a ModelProto;
 *   %OMNI_NN_ERROR_SHAPE, %OMNI_NN_ERROR_NOT_FOUND
 */
OMNI_API OmniNnOnnxModel *omni_nn_onnx_load (
    const gchar *path, const gchar *const *bindings, GError **error);

/**
 * OmniNnOnnxConstant:
 * @name: a graph input's name
 * @n_dims: rank of @values
 * @dims: (array length=n_dims): shape of @values
 * @values: (nullable): the values (float32; integer inputs hold
 *   integers), or %NULL to give only the shape of a run-time input
 *
 * A graph input fixed at load: it is folded like an initializer. The
 * runtime computes float32, so integer inputs (indices, shapes, axes) are
 * given this way. With @values %NULL, the input stays a run-time input of
 * shape @dims (its model shape may have symbolic dimensions).
 */
typedef struct {
  const gchar *name;
  guint n_dims;
  const gint64 *dims;
  const gfloat *values;
} OmniNnOnnxConstant;

/**
 * omni_nn_onnx_load_full:
 * @path: a model.onnx file
 * @bindings: (nullable) (array zero-terminated=1): as omni_nn_onnx_load()
 * @constants: (nullable) (array length=n_constants): inputs fixed at load
 * @n_constants: how many
 * @error: return location for an #OmniNnError
 *
 * omni_nn_onnx_load() with inputs bound to constant tensors.
 *
 * Returns: (transfer full): the model, or %NULL with an #OmniNnError
 */
OMNI_API OmniNnOnnxModel *omni_nn_onnx_load_full (const gchar *path,
    const gchar *const *bindings, const OmniNnOnnxConstant *constants,
    guint n_constants, GError **error);

/**
 * omni_nn_onnx_model_ops:
 * @path: a model.onnx file
 * @error: return location for an error
 *
 * Returns: (transfer full) (array zero-terminated=1): the op types of the
 *   model's top-level graph, in node order, each once (g_strfreev)
 */
OMNI_API gchar **omni_nn_onnx_model_ops (const gchar *path, GError **error);

/**
 * omni_nn_onnx_model_input_names:
 * @path: a model.onnx file
 * @error: return location for an error
 *
 * Returns: (transfer full) (array zero-terminated=1): the names of the
 *   graph inputs that are not initializers, in model order (g_strfreev)
 */
OMNI_API gchar **omni_nn_onnx_model_input_names (
    const gchar *path, GError **error);

/**
 * omni_nn_onnx_op_supported:
 * @op: an ONNX op type of the default domain
 *
 * Returns: whether the loader knows @op (it may still refuse some of its
 *   attributes or inputs, naming them)
 */
OMNI_API gboolean omni_nn_onnx_op_supported (const gchar *op);

OMNI_API void omni_nn_onnx_model_free (OmniNnOnnxModel *model);

/**
 * omni_nn_onnx_load_image:
 * @path: a model.onnx whose one run-time input is an image [1, C, H, W]
 * @bindings: (nullable) (array zero-terminated=1): as omni_nn_onnx_load()
 * @width: W
 * @height: H
 * @channels: C (3: RGB)
 * @error: return location for an #OmniNnError
 *
 * Loads an image model so that the IR's input is the frame [H, W, C] that
 * the backends pre-process (omni_nn_ref_preprocess()); the model reads it
 * through a transpose to NCHW, and its first convolution reads it as is.
 *
 * Returns: (transfer full): the model, or %NULL with an #OmniNnError
 */
OMNI_API OmniNnOnnxModel *omni_nn_onnx_load_image (const gchar *path,
    const gchar *const *bindings, guint width, guint height, guint channels,
    GError **error);

/**
 * omni_nn_onnx_sidecar_bindings:
 * @path: a model.onnx
 *
 * The dynamic-dimension bindings of the model-info.json beside @path
 * (its `"onnx": {"bindings": ["NAME=VALUE", ...]}`, docs/model-info.md),
 * in the form omni_nn_onnx_load() takes.
 *
 * Returns: (transfer full) (array zero-terminated=1): the bindings, empty
 *   when there is no sidecar or it binds nothing
 */
OMNI_API gchar **omni_nn_onnx_sidecar_bindings (const gchar *path);

/**
 * omni_nn_onnx_model_load:
 * @model: as for omni_nn_onnx_resolve()
 * @flags: #OmniNnLoadFlags
 * @error: return location for an #OmniNnError
 *
 * An ONNX image model as an #OmniNnModel, the way #OmniNnSession and the
 * elements take models: model.onnx checked against its directory's
 * SHA256SUMS, the sidecar model-info.json beside it (docs/model-info.md:
 * input size, normalisation, labels; an output whose meaning is
 * "probabilities" or "embedding" takes that name), else the input size of
 * the model itself.
 *
 * Returns: (transfer full): the model, or %NULL with an #OmniNnError
 */
OMNI_API OmniNnModel *omni_nn_onnx_model_load (
    const gchar *model, OmniNnLoadFlags flags, GError **error);

/**
 * omni_nn_onnx_is_model:
 * @model: a model name, directory or path
 *
 * Returns: whether @model names an ONNX model (a .onnx file, or a
 *   directory or name with a model.onnx)
 */
OMNI_API gboolean omni_nn_onnx_is_model (const gchar *model);

/**
 * omni_nn_onnx_resolve:
 * @model: a model name (NAME/model.onnx in $OMNI_MODEL_PATH, the build's
 *   model directory, then the installed one), a directory holding
 *   model.onnx, or a .onnx file
 * @error: return location for %OMNI_NN_ERROR_NOT_FOUND
 *
 * Returns: (transfer full) (nullable): the model.onnx path
 */
OMNI_API gchar *omni_nn_onnx_resolve (const gchar *model, GError **error);

/**
 * omni_nn_onnx_verify:
 * @path: a model.onnx
 * @allow_unverified: accept a file that does not verify
 * @verified: (out) (optional): whether it matched its directory's
 *   SHA256SUMS
 * @reason: (out) (optional) (transfer full): why not
 * @error: return location for %OMNI_NN_ERROR_UNVERIFIED
 *
 * Returns: %TRUE when verified or allowed
 */
OMNI_API gboolean omni_nn_onnx_verify (const gchar *path,
    gboolean allow_unverified, gboolean *verified, gchar **reason,
    GError **error);

/**
 * omni_nn_onnx_model_find_input:
 * @model: a model
 * @name: an input name
 *
 * Returns: (nullable) (transfer none): the run-time input called @name
 */
OMNI_API const OmniNnOnnxInput *omni_nn_onnx_model_find_input (
    const OmniNnOnnxModel *model, const gchar *name);

/**
 * omni_nn_onnx_read_tensor:
 * @path: a serialized TensorProto (.pb, as ONNX's test data)
 * @n_dims: (out): its rank
 * @dims: (out) (array fixed-size=8): its shape
 * @elem_type: (out): its element type
 * @n: (out): its number of elements
 * @error: return location for an error
 *
 * Returns: (transfer full): its values as floats (g_free), or %NULL with
 *   %OMNI_NN_ERROR_UNSUPPORTED for a type that has no float value (strings)
 */
OMNI_API gfloat *omni_nn_onnx_read_tensor (const gchar *path, guint *n_dims,
    gint64 *dims, gint *elem_type, gsize *n, GError **error);

G_END_DECLS

#endif /* __OMNI_NN_ONNX_H__ */
