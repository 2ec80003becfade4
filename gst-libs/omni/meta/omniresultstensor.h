/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_RESULTS_TENSOR_H__
#define __OMNI_RESULTS_TENSOR_H__

#include <omni/meta/omniresultsmeta.h>
#include <omni/meta/omnitensormeta.h>

G_BEGIN_DECLS

/**
 * OmniResultTensor:
 * @result: the common part (type %OMNI_RESULT_TYPE_TENSOR)
 * @name: the tensor's name (e.g. "embedding")
 * @dtype: element type
 * @n_dims: number of dimensions
 * @dims: the dimensions, row-major, outermost first
 * @data: the elements (shared on copy)
 *
 * A dense tensor of one entry, e.g. the embedding of a face box; the same
 * fields as #OmniTensorMeta, which holds whole-buffer tensors.
 */
typedef struct {
  OmniResult result;

  gchar *name;
  OmniTensorDType dtype;
  guint n_dims;
  gsize dims[OMNI_TENSOR_MAX_DIMS];
  GBytes *data;
} OmniResultTensor;

OMNI_API guint omni_results_meta_add_tensor (OmniResultsMeta *meta,
    const gchar *name, OmniTensorDType dtype, guint n_dims, const gsize *dims,
    GBytes *data, gfloat confidence);
OMNI_API const OmniResultTensor *omni_results_meta_get_tensor (
    const OmniResultsMeta *meta, guint id);

G_END_DECLS

#endif /* __OMNI_RESULTS_TENSOR_H__ */
