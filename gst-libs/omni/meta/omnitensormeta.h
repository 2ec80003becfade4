/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_TENSOR_META_H__
#define __OMNI_TENSOR_META_H__

#include <omni/omni-prelude.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * OmniTensorDType:
 * @OMNI_TENSOR_DTYPE_F32: 32-bit IEEE 754 float
 * @OMNI_TENSOR_DTYPE_F16: 16-bit IEEE 754 half float (stored as its bits)
 * @OMNI_TENSOR_DTYPE_U8: unsigned 8-bit integer
 * @OMNI_TENSOR_DTYPE_I32: signed 32-bit integer
 *
 * Element type of an #OmniTensorMeta; elements are in host byte order.
 */
typedef enum {
  OMNI_TENSOR_DTYPE_F32,
  OMNI_TENSOR_DTYPE_F16,
  OMNI_TENSOR_DTYPE_U8,
  OMNI_TENSOR_DTYPE_I32,
} OmniTensorDType;

#define OMNI_TYPE_TENSOR_DTYPE (omni_tensor_dtype_get_type ())
OMNI_API GType omni_tensor_dtype_get_type (void);

/**
 * OMNI_TENSOR_MAX_DIMS:
 *
 * The most dimensions an #OmniTensorMeta can have.
 */
#define OMNI_TENSOR_MAX_DIMS 8

/**
 * OmniTensorMeta:
 * @meta: parent #GstMeta
 * @name: what the tensor is (e.g. "embedding", "log-mel"); never %NULL
 * @dtype: element type
 * @n_dims: number of dimensions, 0 (a scalar) to %OMNI_TENSOR_MAX_DIMS
 * @dims: size of each dimension, outermost first (row-major data)
 * @data: the elements, product(@dims) * omni_tensor_dtype_size(@dtype)
 *   bytes, row-major, host byte order
 * @start: running time at which the span this tensor describes starts,
 *   or %GST_CLOCK_TIME_NONE if not applicable
 * @end: running time at which that span ends, or %GST_CLOCK_TIME_NONE
 *
 * A dense tensor produced by an encoder: an embedding, a feature map, a
 * window of log-mel frames. The data is shared (reference counted) between
 * buffer copies.
 */
typedef struct {
  GstMeta meta;

  gchar *name;
  OmniTensorDType dtype;
  guint n_dims;
  gsize dims[OMNI_TENSOR_MAX_DIMS];
  GBytes *data;
  GstClockTime start, end;
} OmniTensorMeta;

#define OMNI_TENSOR_META_API_TYPE (omni_tensor_meta_api_get_type ())
#define OMNI_TENSOR_META_INFO (omni_tensor_meta_get_info ())

OMNI_API GType omni_tensor_meta_api_get_type (void);
OMNI_API const GstMetaInfo *omni_tensor_meta_get_info (void);

OMNI_API gsize omni_tensor_dtype_size (OmniTensorDType dtype);

OMNI_API OmniTensorMeta *omni_buffer_add_tensor_meta (GstBuffer *buffer,
    const gchar *name, OmniTensorDType dtype, guint n_dims, const gsize *dims,
    GBytes *data);
OMNI_API OmniTensorMeta *omni_buffer_get_tensor_meta (
    GstBuffer *buffer, const gchar *name);
OMNI_API gsize omni_tensor_meta_get_n_elements (const OmniTensorMeta *meta);
OMNI_API const gfloat *omni_tensor_meta_get_f32 (
    const OmniTensorMeta *meta, gsize *n_elements);
OMNI_API const gsize *omni_tensor_meta_get_dims (
    const OmniTensorMeta *meta, guint *n_dims);
OMNI_API GBytes *omni_tensor_meta_get_data (const OmniTensorMeta *meta);

OMNI_API JsonNode *omni_tensor_meta_to_json (const OmniTensorMeta *meta);
OMNI_API OmniTensorMeta *omni_buffer_add_tensor_meta_from_json (
    GstBuffer *buffer, JsonObject *object, GError **error);

G_END_DECLS

#endif /* __OMNI_TENSOR_META_H__ */
