/* gst-omni: arrays of the OmniResultsMeta entries (copies, equality, JSON)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "omniresults-private.h"

gboolean
omni_results_floats_equal (const gfloat *a, const gfloat *b, guint n)
{
  guint i;

  for (i = 0; i < n; i++) {
    if (isnan (a[i]) && isnan (b[i]))
      continue;
    if (a[i] != b[i])
      return FALSE;
  }
  return TRUE;
}

gboolean
omni_results_strv_equal (gchar **a, gchar **b, guint n)
{
  guint i;

  for (i = 0; i < n; i++) {
    if (g_strcmp0 (a[i], b[i]) != 0)
      return FALSE;
  }
  return TRUE;
}

gchar **
omni_results_strv_dup (const gchar *const *v, guint n)
{
  gchar **copy = g_new0 (gchar *, n + 1);
  guint i;

  for (i = 0; i < n; i++)
    copy[i] = g_strdup (v[i]);
  return copy;
}

JsonArray *
omni_results_floats_to_json (const gfloat *v, guint n)
{
  JsonArray *array = json_array_sized_new (n);
  guint i;

  /* A float widens to a double exactly; the generator writes 17
   * significant digits, so the value reads back bit-exactly. */
  for (i = 0; i < n; i++) {
    if (isfinite (v[i]))
      json_array_add_double_element (array, v[i]);
    else
      json_array_add_null_element (array);
  }
  return array;
}

JsonArray *
omni_results_strv_to_json (gchar **v, guint n)
{
  JsonArray *array = json_array_sized_new (n);
  guint i;

  for (i = 0; i < n; i++)
    json_array_add_string_element (array, v[i]);
  return array;
}

/* @n numbers in the range of a float (null reads as NaN). */
gboolean
omni_results_floats_from_json (JsonObject *object, const gchar *member, guint n,
    gfloat **out, GError **error)
{
  JsonArray *array = omni_json_get_array (object, member, error);
  gfloat *v;
  guint i;

  if (!array)
    return FALSE;
  if (json_array_get_length (array) != n) {
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"%s\" has %u elements, not %u", member,
        json_array_get_length (array), n);
    return FALSE;
  }
  v = g_new0 (gfloat, n ? n : 1);
  for (i = 0; i < n; i++) {
    JsonNode *e = json_array_get_element (array, i);
    GType vt = JSON_NODE_HOLDS_VALUE (e) ? json_node_get_value_type (e) : 0;
    gdouble d;

    if (JSON_NODE_HOLDS_NULL (e)) {
      v[i] = NAN;
      continue;
    }
    d = (vt == G_TYPE_DOUBLE || vt == G_TYPE_INT64) ? json_node_get_double (e)
                                                    : NAN;
    if (!isfinite (d) || fabs (d) > G_MAXFLOAT) {
      g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
          "member \"%s\": element %u is not a number in the range of a float",
          member, i);
      g_free (v);
      return FALSE;
    }
    v[i] = (gfloat) d;
  }
  *out = v;
  return TRUE;
}

gboolean
omni_results_strv_from_json (JsonObject *object, const gchar *member, guint *n,
    gchar ***out, GError **error)
{
  JsonArray *array = omni_json_get_array (object, member, error);
  gchar **v;
  guint i, len;

  if (!array)
    return FALSE;
  len = json_array_get_length (array);
  v = g_new0 (gchar *, len + 1);
  for (i = 0; i < len; i++) {
    JsonNode *e = json_array_get_element (array, i);

    if (!JSON_NODE_HOLDS_VALUE (e)
        || json_node_get_value_type (e) != G_TYPE_STRING) {
      g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
          "member \"%s\": element %u is not a string", member, i);
      g_strfreev (v);
      return FALSE;
    }
    v[i] = g_strdup (json_node_get_string (e));
  }
  *n = len;
  *out = v;
  return TRUE;
}

/* A number, or null for NaN. */
gboolean
omni_results_nullable_double_from_json (
    JsonObject *object, const gchar *member, gdouble *value, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node && JSON_NODE_HOLDS_NULL (node)) {
    *value = NAN;
    return TRUE;
  }
  return omni_json_get_double (object, member, value, error);
}
