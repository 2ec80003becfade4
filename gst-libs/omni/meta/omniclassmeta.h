/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_CLASS_META_H__
#define __OMNI_CLASS_META_H__

#include <omni/omni-prelude.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * OmniClassMeta:
 * @meta: parent #GstMeta
 * @model_id: identifier of the model that produced the scores (e.g.
 *   "nsfw"); never %NULL
 * @n_classes: number of classes
 * @labels: (array length=n_classes): class labels, %NULL-terminated
 * @scores: (array length=n_classes): class scores (probabilities after
 *   softmax for a classifier), in the order of @labels
 *
 * Image/audio classification result of one model. A buffer may carry
 * several, one per model. The meta owns copies of @model_id, @labels and
 * @scores.
 */
typedef struct {
  GstMeta meta;

  gchar *model_id;
  guint n_classes;
  gchar **labels;
  gfloat *scores;
} OmniClassMeta;

#define OMNI_CLASS_META_API_TYPE (omni_class_meta_api_get_type ())
#define OMNI_CLASS_META_INFO (omni_class_meta_get_info ())

OMNI_API GType omni_class_meta_api_get_type (void);
OMNI_API const GstMetaInfo *omni_class_meta_get_info (void);

OMNI_API OmniClassMeta *omni_buffer_get_class_meta (GstBuffer *buffer);

/* C callers get the lookup inlined; bindings call the function above. */
#ifndef __GI_SCANNER__
#define omni_buffer_get_class_meta(b)                                          \
  ((OmniClassMeta *) gst_buffer_get_meta ((b), OMNI_CLASS_META_API_TYPE))
#endif

OMNI_API OmniClassMeta *omni_buffer_add_class_meta (GstBuffer *buffer,
    const gchar *model_id, guint n_classes, const gchar *const *labels,
    const gfloat *scores);
OMNI_API OmniClassMeta *omni_buffer_get_class_meta_for_model (
    GstBuffer *buffer, const gchar *model_id);
OMNI_API gint omni_class_meta_get_top (
    const OmniClassMeta *meta, gfloat *score);
OMNI_API gfloat omni_class_meta_get_score (
    const OmniClassMeta *meta, const gchar *label);
OMNI_API const gchar *omni_class_meta_get_label (
    const OmniClassMeta *meta, guint index);
OMNI_API const gchar *const *omni_class_meta_get_labels (
    const OmniClassMeta *meta, guint *n_classes);
OMNI_API const gfloat *omni_class_meta_get_scores (
    const OmniClassMeta *meta, guint *n_classes);

OMNI_API JsonNode *omni_class_meta_to_json (const OmniClassMeta *meta);
OMNI_API OmniClassMeta *omni_buffer_add_class_meta_from_json (
    GstBuffer *buffer, JsonObject *object, GError **error);

G_END_DECLS

#endif /* __OMNI_CLASS_META_H__ */
