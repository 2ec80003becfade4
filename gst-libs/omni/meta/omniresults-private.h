/* gst-omni: the entry types of OmniResultsMeta (not installed).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_RESULTS_PRIVATE_H__
#define __OMNI_RESULTS_PRIVATE_H__

#include "omniresultsmeta.h"
#include "omnimetajson-private.h"

G_BEGIN_DECLS

/* What omniresultsmeta.c needs of each entry type (one file per type):
 * free, deep copy, equality of the type's own fields, JSON members. */
typedef struct {
  OmniResultType type;
  const gchar *kind;
  gsize size;
  void (*clear) (OmniResult *result);
  void (*copy) (OmniResult *dest, const OmniResult *src);
  gboolean (*equal) (const OmniResult *a, const OmniResult *b);
  void (*to_json) (const OmniResult *result, JsonObject *object);
  gboolean (*from_json) (
      OmniResult *result, JsonObject *object, GError **error);
} OmniResultsEntryClass;

G_GNUC_INTERNAL extern const OmniResultsEntryClass omni_results_class_class;
G_GNUC_INTERNAL extern const OmniResultsEntryClass omni_results_box_class;
G_GNUC_INTERNAL extern const OmniResultsEntryClass omni_results_keypoints_class;
G_GNUC_INTERNAL extern const OmniResultsEntryClass omni_results_text_class;
G_GNUC_INTERNAL extern const OmniResultsEntryClass omni_results_tensor_class;

/* A new zeroed entry of @type appended to @meta, its id and type set and
 * its confidence @confidence. */
G_GNUC_INTERNAL OmniResult *omni_results_meta_append (
    OmniResultsMeta *meta, OmniResultType type, gfloat confidence);
G_GNUC_INTERNAL const OmniResult *omni_results_meta_get_typed (
    const OmniResultsMeta *meta, guint id, OmniResultType type);

/* gfloat arrays and string vectors: copies, equality (NaN equals NaN),
 * JSON arrays. */
G_GNUC_INTERNAL gboolean omni_results_floats_equal (
    const gfloat *a, const gfloat *b, guint n);
G_GNUC_INTERNAL gboolean omni_results_strv_equal (
    gchar **a, gchar **b, guint n);
G_GNUC_INTERNAL gchar **omni_results_strv_dup (const gchar *const *v, guint n);
G_GNUC_INTERNAL JsonArray *omni_results_floats_to_json (
    const gfloat *v, guint n);
G_GNUC_INTERNAL JsonArray *omni_results_strv_to_json (gchar **v, guint n);
G_GNUC_INTERNAL gboolean omni_results_floats_from_json (JsonObject *object,
    const gchar *member, guint n, gfloat **out, GError **error);
G_GNUC_INTERNAL gboolean omni_results_strv_from_json (JsonObject *object,
    const gchar *member, guint *n, gchar ***out, GError **error);
G_GNUC_INTERNAL gboolean omni_results_nullable_double_from_json (
    JsonObject *object, const gchar *member, gdouble *value, GError **error);

G_END_DECLS

#endif /* __OMNI_RESULTS_PRIVATE_H__ */
