/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_RESULTS_CLASS_H__
#define __OMNI_RESULTS_CLASS_H__

#include <omni/meta/omniresultsmeta.h>

G_BEGIN_DECLS

/**
 * OmniResultClass:
 * @result: the common part (type %OMNI_RESULT_TYPE_CLASS); its confidence
 *   is the score of @label
 * @model: (nullable): the model that produced it (e.g. "emotion")
 * @label: the top class (e.g. "happy", "female", "age")
 * @value: a regressed quantity of the class (e.g. 31.5 for faceres's
 *   "age" in years), NaN when the class has none
 * @n_classes: number of classes in @labels and @scores (0 when only the
 *   top class is known)
 * @labels: (array length=n_classes): every class label of the model
 * @scores: (array length=n_classes): their scores, in the order of @labels
 *
 * A classification result, usually of the box that contains it.
 */
typedef struct {
  OmniResult result;

  gchar *model;
  gchar *label;
  gdouble value;
  guint n_classes;
  gchar **labels;
  gfloat *scores;
} OmniResultClass;

OMNI_API guint omni_results_meta_add_class (OmniResultsMeta *meta,
    const gchar *model, const gchar *label, gfloat confidence, guint n_classes,
    const gchar *const *labels, const gfloat *scores);
OMNI_API guint omni_results_meta_add_class_value (OmniResultsMeta *meta,
    const gchar *model, const gchar *label, gdouble value, gfloat confidence);
OMNI_API const OmniResultClass *omni_results_meta_get_class (
    const OmniResultsMeta *meta, guint id);

G_END_DECLS

#endif /* __OMNI_RESULTS_CLASS_H__ */
