/* gst-omni: tensor entries of OmniResultsMeta
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * JSON members: those of OmniTensorMeta's form ("name", "dtype", "dims",
 * "data" as base64 of the little-endian elements) without "type", "start"
 * and "end". OmniTensorMeta's own (de)serialiser writes and reads them, on
 * a scratch buffer, so the two forms cannot drift apart; its adder checks
 * the sizes.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "omniresults-private.h"

static const gchar *const tensor_members[]
    = { "name", "dtype", "dims", "data" };

static void
tensor_clear (OmniResult *result)
{
  OmniResultTensor *t = (OmniResultTensor *) result;

  g_free (t->name);
  if (t->data)
    g_bytes_unref (t->data);
}

static void
tensor_set (OmniResultTensor *t, const gchar *name, OmniTensorDType dtype,
    guint n_dims, const gsize *dims, GBytes *data)
{
  t->name = g_strdup (name);
  t->dtype = dtype;
  t->n_dims = n_dims;
  if (n_dims)
    memcpy (t->dims, dims, n_dims * sizeof (gsize));
  t->data = g_bytes_ref (data);
}

static void
tensor_copy (OmniResult *dest, const OmniResult *src)
{
  const OmniResultTensor *s = (const OmniResultTensor *) src;

  tensor_set ((OmniResultTensor *) dest, s->name, s->dtype, s->n_dims, s->dims,
      s->data);
}

static gboolean
tensor_equal (const OmniResult *a, const OmniResult *b)
{
  const OmniResultTensor *x = (const OmniResultTensor *) a;
  const OmniResultTensor *y = (const OmniResultTensor *) b;

  return g_strcmp0 (x->name, y->name) == 0 && x->dtype == y->dtype
         && x->n_dims == y->n_dims
         && memcmp (x->dims, y->dims, x->n_dims * sizeof (gsize)) == 0
         && g_bytes_equal (x->data, y->data);
}

static void
tensor_to_json (const OmniResult *result, JsonObject *o)
{
  const OmniResultTensor *t = (const OmniResultTensor *) result;
  GstBuffer *scratch = gst_buffer_new ();
  OmniTensorMeta *tm = omni_buffer_add_tensor_meta (
      scratch, t->name, t->dtype, t->n_dims, t->dims, t->data);
  JsonNode *node = omni_tensor_meta_to_json (tm);
  JsonObject *src = json_node_get_object (node);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (tensor_members); i++)
    json_object_set_member (o, tensor_members[i],
        json_node_copy (json_object_get_member (src, tensor_members[i])));
  json_node_unref (node);
  gst_buffer_unref (scratch);
}

static gboolean
tensor_from_json (OmniResult *result, JsonObject *o, GError **error)
{
  GstBuffer *scratch = gst_buffer_new ();
  JsonObject *copy = json_object_new ();
  OmniTensorMeta *tm;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (tensor_members); i++) {
    JsonNode *m = json_object_get_member (o, tensor_members[i]);

    if (m)
      json_object_set_member (copy, tensor_members[i], json_node_copy (m));
  }
  json_object_set_null_member (copy, "start");
  json_object_set_null_member (copy, "end");
  tm = omni_buffer_add_tensor_meta_from_json (scratch, copy, error);
  if (tm)
    tensor_set ((OmniResultTensor *) result, tm->name, tm->dtype, tm->n_dims,
        tm->dims, tm->data);
  json_object_unref (copy);
  gst_buffer_unref (scratch);
  return tm != NULL;
}

const OmniResultsEntryClass omni_results_tensor_class = {
  OMNI_RESULT_TYPE_TENSOR,
  "tensor",
  sizeof (OmniResultTensor),
  tensor_clear,
  tensor_copy,
  tensor_equal,
  tensor_to_json,
  tensor_from_json,
};

/**
 * omni_results_meta_add_tensor:
 * @meta: an #OmniResultsMeta
 * @name: what the tensor is (e.g. "embedding")
 * @dtype: element type
 * @n_dims: number of dimensions, at most %OMNI_TENSOR_MAX_DIMS
 * @dims: (array length=n_dims) (nullable): size of each dimension
 * @data: (transfer none): the elements, row-major, host byte order; a
 *   reference is taken
 * @confidence: a confidence, 0..1, or NaN
 *
 * Adds a tensor entry. The size of @data must match @dims and @dtype (as
 * for omni_buffer_add_tensor_meta()).
 *
 * Returns: its id, or %OMNI_RESULT_ID_INVALID when the sizes do not match
 */
guint
omni_results_meta_add_tensor (OmniResultsMeta *meta, const gchar *name,
    OmniTensorDType dtype, guint n_dims, const gsize *dims, GBytes *data,
    gfloat confidence)
{
  GstBuffer *scratch;
  OmniResultTensor *t;

  g_return_val_if_fail (meta != NULL, OMNI_RESULT_ID_INVALID);
  g_return_val_if_fail (name != NULL && data != NULL, OMNI_RESULT_ID_INVALID);

  /* OmniTensorMeta's adder checks dtype, dims and size */
  scratch = gst_buffer_new ();
  if (!omni_buffer_add_tensor_meta (scratch, name, dtype, n_dims, dims, data)) {
    gst_buffer_unref (scratch);
    return OMNI_RESULT_ID_INVALID;
  }
  gst_buffer_unref (scratch);
  t = (OmniResultTensor *) omni_results_meta_append (
      meta, OMNI_RESULT_TYPE_TENSOR, confidence);
  tensor_set (t, name, dtype, n_dims, dims, data);
  return t->result.id;
}

/**
 * omni_results_meta_get_tensor:
 * @meta: an #OmniResultsMeta
 * @id: an entry id
 *
 * Returns: (transfer none) (nullable): entry @id if it is a tensor entry
 */
const OmniResultTensor *
omni_results_meta_get_tensor (const OmniResultsMeta *meta, guint id)
{
  return (const OmniResultTensor *) omni_results_meta_get_typed (
      meta, id, OMNI_RESULT_TYPE_TENSOR);
}
