/* gst-omni: class entries of OmniResultsMeta
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * JSON members: "model" (string or null), "label" (string), "value"
 * (number or null), "labels" (strings), "scores" (as many numbers).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "omniresults-private.h"

static void
class_clear (OmniResult *result)
{
  OmniResultClass *c = (OmniResultClass *) result;

  g_free (c->model);
  g_free (c->label);
  g_strfreev (c->labels);
  g_free (c->scores);
}

static void
class_copy (OmniResult *dest, const OmniResult *src)
{
  OmniResultClass *d = (OmniResultClass *) dest;
  const OmniResultClass *s = (const OmniResultClass *) src;

  d->model = g_strdup (s->model);
  d->label = g_strdup (s->label);
  d->value = s->value;
  d->n_classes = s->n_classes;
  d->labels
      = omni_results_strv_dup ((const gchar *const *) s->labels, s->n_classes);
  d->scores = g_memdup2 (s->scores, s->n_classes * sizeof (gfloat));
}

static gboolean
class_equal (const OmniResult *a, const OmniResult *b)
{
  const OmniResultClass *x = (const OmniResultClass *) a;
  const OmniResultClass *y = (const OmniResultClass *) b;

  return g_strcmp0 (x->model, y->model) == 0
         && g_strcmp0 (x->label, y->label) == 0
         && ((isnan (x->value) && isnan (y->value)) || x->value == y->value)
         && x->n_classes == y->n_classes
         && omni_results_strv_equal (x->labels, y->labels, x->n_classes)
         && omni_results_floats_equal (x->scores, y->scores, x->n_classes);
}

static void
class_to_json (const OmniResult *result, JsonObject *o)
{
  const OmniResultClass *c = (const OmniResultClass *) result;

  omni_json_set_nullable_string (o, "model", c->model);
  json_object_set_string_member (o, "label", c->label);
  omni_json_set_double_or_null (o, "value", c->value);
  json_object_set_array_member (
      o, "labels", omni_results_strv_to_json (c->labels, c->n_classes));
  json_object_set_array_member (
      o, "scores", omni_results_floats_to_json (c->scores, c->n_classes));
}

static gboolean
class_from_json (OmniResult *result, JsonObject *o, GError **error)
{
  OmniResultClass *c = (OmniResultClass *) result;
  const gchar *model, *label;

  if (!omni_json_get_nullable_string (o, "model", &model, error)
      || !(label = omni_json_get_string (o, "label", error))
      || !omni_results_nullable_double_from_json (o, "value", &c->value, error)
      || !omni_results_strv_from_json (
          o, "labels", &c->n_classes, &c->labels, error))
    return FALSE;
  c->model = g_strdup (model);
  c->label = g_strdup (label);
  return omni_results_floats_from_json (
      o, "scores", c->n_classes, &c->scores, error);
}

const OmniResultsEntryClass omni_results_class_class = {
  OMNI_RESULT_TYPE_CLASS,
  "class",
  sizeof (OmniResultClass),
  class_clear,
  class_copy,
  class_equal,
  class_to_json,
  class_from_json,
};

/**
 * omni_results_meta_add_class:
 * @meta: an #OmniResultsMeta
 * @model: (nullable): the model that produced it
 * @label: the top class
 * @confidence: its score, 0..1 (NaN: unknown)
 * @n_classes: number of classes in @labels and @scores (0: only @label is
 *   known)
 * @labels: (array length=n_classes) (nullable): every class label
 * @scores: (array length=n_classes) (nullable): their scores
 *
 * Adds a class entry holding copies of the arguments.
 *
 * Returns: its id, or %OMNI_RESULT_ID_INVALID on invalid arguments
 */
guint
omni_results_meta_add_class (OmniResultsMeta *meta, const gchar *model,
    const gchar *label, gfloat confidence, guint n_classes,
    const gchar *const *labels, const gfloat *scores)
{
  OmniResultClass *c;
  guint i;

  g_return_val_if_fail (meta != NULL, OMNI_RESULT_ID_INVALID);
  g_return_val_if_fail (label != NULL, OMNI_RESULT_ID_INVALID);
  g_return_val_if_fail (
      n_classes == 0 || (labels && scores), OMNI_RESULT_ID_INVALID);
  for (i = 0; i < n_classes; i++)
    g_return_val_if_fail (labels[i] != NULL, OMNI_RESULT_ID_INVALID);

  c = (OmniResultClass *) omni_results_meta_append (
      meta, OMNI_RESULT_TYPE_CLASS, confidence);
  c->model = g_strdup (model);
  c->label = g_strdup (label);
  c->value = NAN;
  c->n_classes = n_classes;
  c->labels = omni_results_strv_dup (labels, n_classes);
  c->scores = g_memdup2 (scores, n_classes * sizeof (gfloat));
  return c->result.id;
}

/**
 * omni_results_meta_add_class_value:
 * @meta: an #OmniResultsMeta
 * @model: (nullable): the model that produced it
 * @label: what the value is (e.g. "age")
 * @value: the regressed value (e.g. years)
 * @confidence: its confidence, 0..1 (NaN: unknown)
 *
 * Adds a class entry for a regressed quantity, such as faceres's age.
 *
 * Returns: its id, or %OMNI_RESULT_ID_INVALID on invalid arguments
 */
guint
omni_results_meta_add_class_value (OmniResultsMeta *meta, const gchar *model,
    const gchar *label, gdouble value, gfloat confidence)
{
  guint id = omni_results_meta_add_class (
      meta, model, label, confidence, 0, NULL, NULL);

  if (id != OMNI_RESULT_ID_INVALID)
    ((OmniResultClass *) g_ptr_array_index (meta->results, id))->value = value;
  return id;
}

/**
 * omni_results_meta_get_class:
 * @meta: an #OmniResultsMeta
 * @id: an entry id
 *
 * Returns: (transfer none) (nullable): entry @id if it is a class entry
 */
const OmniResultClass *
omni_results_meta_get_class (const OmniResultsMeta *meta, guint id)
{
  return (const OmniResultClass *) omni_results_meta_get_typed (
      meta, id, OMNI_RESULT_TYPE_CLASS);
}
