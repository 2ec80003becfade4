/* gst-omni: JSON helpers shared by the meta (de)serialisers (not installed).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_META_JSON_PRIVATE_H__
#define __OMNI_META_JSON_PRIVATE_H__

#include <math.h>
#include "omnimetajson.h"

G_BEGIN_DECLS

/* JSON has no NaN or infinity: a non-finite double is written as null, and
 * the readers (omni_json_get_double()) refuse null where a number is
 * required, naming the member. */
static inline void
omni_json_set_double_or_null (
    JsonObject *object, const gchar *member, gdouble value)
{
  if (isfinite (value))
    json_object_set_double_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

/* A #GstClockTime as an integer number of nanoseconds, or null for
 * GST_CLOCK_TIME_NONE (and for times past G_MAXINT64 ns, which JSON
 * integers cannot carry; about 292 years). */
static inline void
omni_json_set_clock_time (
    JsonObject *object, const gchar *member, GstClockTime value)
{
  if (GST_CLOCK_TIME_IS_VALID (value) && value <= (guint64) G_MAXINT64)
    json_object_set_int_member (object, member, (gint64) value);
  else
    json_object_set_null_member (object, member);
}

static inline gboolean
omni_json_get_clock_time (JsonObject *object, const gchar *member,
    GstClockTime *value, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node && JSON_NODE_HOLDS_NULL (node)) {
    *value = GST_CLOCK_TIME_NONE;
    return TRUE;
  }
  if (node && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_INT64
      && json_node_get_int (node) >= 0) {
    *value = (GstClockTime) json_node_get_int (node);
    return TRUE;
  }
  g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
      node ? "member \"%s\" is not a non-negative integer (ns) or null"
           : "member \"%s\" is missing",
      member);
  return FALSE;
}

/* A string member that may be null (*value = NULL then). */
static inline gboolean
omni_json_get_nullable_string (JsonObject *object, const gchar *member,
    const gchar **value, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node && JSON_NODE_HOLDS_NULL (node)) {
    *value = NULL;
    return TRUE;
  }
  *value = omni_json_get_string (object, member, error);
  return *value != NULL;
}

static inline void
omni_json_set_nullable_string (
    JsonObject *object, const gchar *member, const gchar *value)
{
  if (value)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

/* An enum value written as its nick. */
static inline void
omni_json_set_enum (
    JsonObject *object, const gchar *member, GType enum_type, gint value)
{
  GEnumClass *klass = (GEnumClass *) g_type_class_ref (enum_type);
  GEnumValue *v = g_enum_get_value (klass, value);

  if (v)
    json_object_set_string_member (object, member, v->value_nick);
  else
    json_object_set_null_member (object, member);
  g_type_class_unref (klass);
}

static inline gboolean
omni_json_get_enum (JsonObject *object, const gchar *member, GType enum_type,
    gint *value, GError **error)
{
  const gchar *nick = omni_json_get_string (object, member, error);
  GEnumClass *klass;
  GEnumValue *v;

  if (!nick)
    return FALSE;
  klass = (GEnumClass *) g_type_class_ref (enum_type);
  v = g_enum_get_value_by_nick (klass, nick);
  if (v)
    *value = v->value;
  else
    g_set_error (error, OMNI_META_ERROR, OMNI_META_ERROR_FIELD,
        "member \"%s\": unknown %s value \"%s\"", member,
        g_type_name (enum_type), nick);
  g_type_class_unref (klass);
  return v != NULL;
}

/* A flags member: an array of nicks. */
static inline gboolean
omni_json_get_flags (JsonObject *object, const gchar *member, GType flags_type,
    guint *value, GError **error)
{
  JsonArray *array = omni_json_get_array (object, member, error);
  GError *err = NULL;

  if (!array)
    return FALSE;
  *value = omni_json_flags_from_array (flags_type, array, &err);
  if (err) {
    g_propagate_prefixed_error (error, err, "member \"%s\": ", member);
    return FALSE;
  }
  return TRUE;
}

G_END_DECLS

#endif /* __OMNI_META_JSON_PRIVATE_H__ */
