/* gst-omni: TF.js weight shards (weightsManifest) decoded to float32
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_WEIGHTS_H__
#define __OMNI_NN_WEIGHTS_H__

#include <omni/omni-prelude.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * OMNI_NN_WEIGHT_MAX_DIMS:
 *
 * Highest rank of a stored weight.
 */
#define OMNI_NN_WEIGHT_MAX_DIMS 5

/**
 * OmniNnWeight:
 * @name: the manifest's name
 * @n_dims: rank (0 for a scalar)
 * @dims: dimensions
 * @n_elements: product of @dims (1 for a scalar)
 * @data: the values as float32: float32 and int32 as they are (int32
 *   exactly up to 2^24), float16 widened, uint8/uint16 affine-quantised
 *   values dequantised as q * scale + min (in double, as TF.js does)
 * @is_int: the manifest's dtype is int32 (shapes, axes, paddings)
 *
 * One decoded weight.
 */
typedef struct {
  gchar *name;
  guint n_dims;
  guint dims[OMNI_NN_WEIGHT_MAX_DIMS];
  gsize n_elements;
  gfloat *data;
  gboolean is_int;
} OmniNnWeight;

/**
 * omni_nn_weights_load:
 * @dir: the model's directory
 * @manifest: its `weightsManifest`
 * @error: return location for an error
 *
 * Reads every shard of every group and decodes every weight (TF.js
 * io/weights_loader: the tensors of a group lie back to back in the
 * concatenation of its shards).
 *
 * Returns: (transfer full) (element-type utf8 OmniNnWeight): name ->
 *   weight, or %NULL with %OMNI_NN_ERROR_WEIGHTS naming the tensor (a
 *   truncated or mismatched shard), %OMNI_NN_ERROR_PARSE or
 *   %OMNI_NN_ERROR_UNSUPPORTED (a dtype)
 */
OMNI_API GHashTable *omni_nn_weights_load (
    const gchar *dir, JsonArray *manifest, GError **error);

G_END_DECLS

#endif /* __OMNI_NN_WEIGHTS_H__ */
