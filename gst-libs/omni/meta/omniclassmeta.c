/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omniclassmeta
 * @title: OmniClassMeta
 * @short_description: classification scores of one model
 *
 * omnivisionenc (and omniaudioenc with a classifier) attaches an
 * #OmniClassMeta with the labels and scores of a model to the buffer the
 * model ran on. A buffer may carry several, one per model: use
 * omni_buffer_get_class_meta_for_model() to pick one. The meta has no tags,
 * so it survives conversions and buffer copies.
 *
 * JSON form (scores are written as the exact decimal of the float and
 * read back bit-exactly; a non-finite score is written as null, which the
 * reader refuses):
 * |[
 * {"type": "class", "model-id": "nsfw",
 *  "labels": ["drawing", "hentai", "neutral", "porn", "sexy"],
 *  "scores": [0.01, 0.002, 0.95, 0.008, 0.03]}
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniclassmeta.h"
#include "omnimetajson-private.h"

GType
omni_class_meta_api_get_type (void)
{
  static GType type = 0;
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType t = gst_meta_api_type_register ("OmniClassMetaAPI", tags);
    g_once_init_leave (&type, t);
  }
  return type;
}

static gboolean
omni_class_meta_init (GstMeta *meta, gpointer params, GstBuffer *buffer)
{
  OmniClassMeta *cmeta = (OmniClassMeta *) meta;

  cmeta->model_id = NULL;
  cmeta->n_classes = 0;
  cmeta->labels = NULL;
  cmeta->scores = NULL;
  return TRUE;
}

static void
omni_class_meta_free (GstMeta *meta, GstBuffer *buffer)
{
  OmniClassMeta *cmeta = (OmniClassMeta *) meta;

  g_free (cmeta->model_id);
  g_strfreev (cmeta->labels);
  g_free (cmeta->scores);
}

static gboolean
omni_class_meta_transform (GstBuffer *dest, GstMeta *meta, GstBuffer *buffer,
    GQuark type, gpointer data)
{
  OmniClassMeta *cmeta = (OmniClassMeta *) meta;

  /* The scores are about the whole frame, so every transform (copy, scale,
   * convert) keeps them unchanged. */
  return omni_buffer_add_class_meta (dest, cmeta->model_id, cmeta->n_classes,
             (const gchar *const *) cmeta->labels, cmeta->scores)
         != NULL;
}

const GstMetaInfo *
omni_class_meta_get_info (void)
{
  static const GstMetaInfo *info = NULL;

  if (g_once_init_enter ((GstMetaInfo **) &info)) {
    const GstMetaInfo *mi = gst_meta_register (OMNI_CLASS_META_API_TYPE,
        "OmniClassMeta", sizeof (OmniClassMeta), omni_class_meta_init,
        omni_class_meta_free, omni_class_meta_transform);
    g_once_init_leave ((GstMetaInfo **) &info, (GstMetaInfo *) mi);
  }
  return info;
}

/* The header's macro of the same name inlines this lookup for C callers. */
#undef omni_buffer_get_class_meta

/**
 * omni_buffer_get_class_meta:
 * @buffer: a #GstBuffer
 *
 * The function behind the omni_buffer_get_class_meta() macro, for
 * language bindings: from Python, `Omni.buffer_get_class_meta (buf)`. The
 * meta belongs to @buffer and lives as long as it does.
 *
 * Returns: (transfer none) (nullable): the first #OmniClassMeta on
 * @buffer, or %NULL if it has none; see
 * omni_buffer_get_class_meta_for_model() to pick one model's
 */
OmniClassMeta *
omni_buffer_get_class_meta (GstBuffer *buffer)
{
  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);

  return (OmniClassMeta *) gst_buffer_get_meta (
      buffer, OMNI_CLASS_META_API_TYPE);
}

/**
 * omni_buffer_add_class_meta:
 * @buffer: a writable #GstBuffer
 * @model_id: identifier of the model
 * @n_classes: number of classes
 * @labels: (array length=n_classes): the class labels (none %NULL)
 * @scores: (array length=n_classes): the class scores
 *
 * Adds an #OmniClassMeta holding copies of @model_id, @labels and @scores.
 * A buffer may carry several (one per model).
 *
 * Returns: (transfer none): the added #OmniClassMeta
 */
OmniClassMeta *
omni_buffer_add_class_meta (GstBuffer *buffer, const gchar *model_id,
    guint n_classes, const gchar *const *labels, const gfloat *scores)
{
  OmniClassMeta *meta;
  guint i;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);
  g_return_val_if_fail (model_id != NULL, NULL);
  g_return_val_if_fail (n_classes == 0 || labels != NULL, NULL);
  g_return_val_if_fail (n_classes == 0 || scores != NULL, NULL);
  for (i = 0; i < n_classes; i++)
    g_return_val_if_fail (labels[i] != NULL, NULL);

  meta = (OmniClassMeta *) gst_buffer_add_meta (
      buffer, OMNI_CLASS_META_INFO, NULL);
  meta->model_id = g_strdup (model_id);
  meta->n_classes = n_classes;
  meta->labels = g_new0 (gchar *, n_classes + 1);
  for (i = 0; i < n_classes; i++)
    meta->labels[i] = g_strdup (labels[i]);
  meta->scores = g_memdup2 (scores, n_classes * sizeof (gfloat));
  return meta;
}

/**
 * omni_buffer_get_class_meta_for_model:
 * @buffer: a #GstBuffer
 * @model_id: identifier of the model
 *
 * Returns: (transfer none) (nullable): the first #OmniClassMeta on @buffer
 * whose model is @model_id
 */
OmniClassMeta *
omni_buffer_get_class_meta_for_model (GstBuffer *buffer, const gchar *model_id)
{
  gpointer state = NULL;
  GstMeta *meta;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);
  g_return_val_if_fail (model_id != NULL, NULL);

  while ((meta = gst_buffer_iterate_meta_filtered (
              buffer, &state, OMNI_CLASS_META_API_TYPE))) {
    OmniClassMeta *cmeta = (OmniClassMeta *) meta;

    if (g_strcmp0 (cmeta->model_id, model_id) == 0)
      return cmeta;
  }
  return NULL;
}

/**
 * omni_class_meta_get_top:
 * @meta: an #OmniClassMeta
 * @score: (out) (optional): the highest score
 *
 * Finds the class with the highest score (the first one on ties; NaN
 * scores are skipped).
 *
 * Returns: its index, or -1 if @meta has no classes (then @score is set
 * to -1)
 */
gint
omni_class_meta_get_top (const OmniClassMeta *meta, gfloat *score)
{
  gint best = -1;
  guint i;

  g_return_val_if_fail (meta != NULL, -1);

  for (i = 0; i < meta->n_classes; i++) {
    if (isnan (meta->scores[i]))
      continue;
    if (best < 0 || meta->scores[i] > meta->scores[best])
      best = (gint) i;
  }
  if (score)
    *score = best < 0 ? -1.0f : meta->scores[best];
  return best;
}

/**
 * omni_class_meta_get_score:
 * @meta: an #OmniClassMeta
 * @label: a class label
 *
 * Returns: the score of the class @label, or -1 if @meta has no such class
 */
gfloat
omni_class_meta_get_score (const OmniClassMeta *meta, const gchar *label)
{
  guint i;

  g_return_val_if_fail (meta != NULL, -1.0f);
  g_return_val_if_fail (label != NULL, -1.0f);

  for (i = 0; i < meta->n_classes; i++) {
    if (g_str_equal (meta->labels[i], label))
      return meta->scores[i];
  }
  return -1.0f;
}

/**
 * omni_class_meta_get_label:
 * @meta: an #OmniClassMeta
 * @index: a class index, below @meta's n_classes
 *
 * Returns: (transfer none) (nullable): the label of class @index, or %NULL
 * if @index is out of range
 */
const gchar *
omni_class_meta_get_label (const OmniClassMeta *meta, guint index)
{
  g_return_val_if_fail (meta != NULL, NULL);

  return index < meta->n_classes ? meta->labels[index] : NULL;
}

/**
 * omni_class_meta_get_labels:
 * @meta: an #OmniClassMeta
 * @n_classes: (out) (optional): the number of classes
 *
 * The labels as an array, for language bindings (which cannot read the
 * @labels field of the struct): from Python,
 * `meta.get_labels ()` is a list of str.
 *
 * Returns: (transfer none) (array length=n_classes): the class labels,
 * owned by @meta
 */
const gchar *const *
omni_class_meta_get_labels (const OmniClassMeta *meta, guint *n_classes)
{
  g_return_val_if_fail (meta != NULL, NULL);

  if (n_classes)
    *n_classes = meta->n_classes;
  return (const gchar *const *) meta->labels;
}

/**
 * omni_class_meta_get_scores:
 * @meta: an #OmniClassMeta
 * @n_classes: (out) (optional): the number of classes
 *
 * The scores as an array, in the order of the labels, for language
 * bindings (which cannot read the @scores field of the struct): from
 * Python, `meta.get_scores ()` is a list of float.
 *
 * Returns: (transfer none) (array length=n_classes): the class scores,
 * owned by @meta
 */
const gfloat *
omni_class_meta_get_scores (const OmniClassMeta *meta, guint *n_classes)
{
  g_return_val_if_fail (meta != NULL, NULL);

  if (n_classes)
    *n_classes = meta->n_classes;
  return meta->scores;
}

/**
 * omni_class_meta_to_json:
 * @meta: an #OmniClassMeta
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
omni_class_meta_to_json (const OmniClassMeta *meta)
{
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonArray *labels = json_array_sized_new (meta->n_classes);
  JsonArray *scores = json_array_sized_new (meta->n_classes);
  guint i;

  for (i = 0; i < meta->n_classes; i++) {
    json_array_add_string_element (labels, meta->labels[i]);
    /* A float widens to a double exactly; the generator writes 17
     * significant digits, so the value reads back bit-exactly. */
    if (isfinite (meta->scores[i]))
      json_array_add_double_element (scores, (gdouble) meta->scores[i]);
    else
      json_array_add_null_element (scores);
  }
  json_object_set_string_member (o, "type", "class");
  json_object_set_string_member (o, "model-id", meta->model_id);
  json_object_set_array_member (o, "labels", labels);
  json_object_set_array_member (o, "scores", scores);
  json_node_take_object (node, o);
  return node;
}

/**
 * omni_buffer_add_class_meta_from_json:
 * @buffer: a writable #GstBuffer
 * @object: the JSON object written by omni_class_meta_to_json()
 * @error: return location for a #GError
 *
 * "labels" must be an array of strings and "scores" an array of as many
 * finite numbers in the range of a float.
 *
 * Returns: (transfer none) (nullable): the added meta, or %NULL with @error
 * set when a member is missing or malformed
 */
OmniClassMeta *
omni_buffer_add_class_meta_from_json (
    GstBuffer *buffer, JsonObject *object, GError **error)
{
  const gchar *model_id;
  JsonArray *labels, *scores;
  const gchar **lv = NULL;
  gfloat *sv = NULL;
  OmniClassMeta *meta = NULL;
  guint n, i;

  if (!(model_id = omni_json_get_string (object, "model-id", error))
      || !(labels = omni_json_get_array (object, "labels", error))
      || !(scores = omni_json_get_array (object, "scores", error)))
    return NULL;

  n = json_array_get_length (labels);
  if (json_array_get_length (scores) != n) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"scores\" has %u elements but \"labels\" has %u",
        json_array_get_length (scores), n);
    return NULL;
  }

  lv = g_new0 (const gchar *, n + 1);
  sv = g_new0 (gfloat, n ? n : 1);
  for (i = 0; i < n; i++) {
    JsonNode *l = json_array_get_element (labels, i);
    JsonNode *s = json_array_get_element (scores, i);
    gdouble d;

    if (!JSON_NODE_HOLDS_VALUE (l)
        || json_node_get_value_type (l) != G_TYPE_STRING) {
      g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
          "member \"labels\": element %u is not a string", i);
      goto done;
    }
    lv[i] = json_node_get_string (l);
    if (!JSON_NODE_HOLDS_VALUE (s)
        || (json_node_get_value_type (s) != G_TYPE_DOUBLE
            && json_node_get_value_type (s) != G_TYPE_INT64)) {
      g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
          "member \"scores\": element %u is not a number", i);
      goto done;
    }
    d = json_node_get_double (s);
    if (!isfinite (d) || fabs (d) > G_MAXFLOAT) {
      g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
          "member \"scores\": element %u is out of the range of a float", i);
      goto done;
    }
    sv[i] = (gfloat) d;
  }
  meta = omni_buffer_add_class_meta (buffer, model_id, n, lv, sv);

done:
  g_free (lv);
  g_free (sv);
  return meta;
}
