/* gst-omni: model-info sidecar (how to feed a model, what its outputs mean)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omninnmodelinfo
 * @title: Model info
 * @short_description: the JSON sidecar that says how to feed a model
 *
 * docs/model-info.md describes the format; tools/omni-fetch-models writes
 * one for each model it installs, and a user can write one for their own.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnmodelinfo.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "omninngraph.h"

static gboolean
bad (GError **error, const gchar *path, const gchar *field, const gchar *why)
{
  g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
      "model info %s: '%s' %s", path, field, why);
  return FALSE;
}

static JsonNode *
member (JsonObject *o, const gchar *name)
{
  return o ? json_object_get_member (o, name) : NULL;
}

static gboolean
is_string (JsonNode *n)
{
  return n && JSON_NODE_HOLDS_VALUE (n)
         && json_node_get_value_type (n) == G_TYPE_STRING;
}

static gboolean
is_number (JsonNode *n)
{
  return n && JSON_NODE_HOLDS_VALUE (n)
         && (json_node_get_value_type (n) == G_TYPE_INT64
             || json_node_get_value_type (n) == G_TYPE_DOUBLE);
}

/* A list of strings (%NULL-terminated), or %NULL with an error. */
static gchar **
strings (JsonNode *n, const gchar *path, const gchar *field, guint *len,
    GError **error)
{
  GPtrArray *a;
  guint i;

  if (!n || !JSON_NODE_HOLDS_ARRAY (n)) {
    bad (error, path, field, "is not a list of strings");
    return NULL;
  }
  a = g_ptr_array_new ();
  for (i = 0; i < json_array_get_length (json_node_get_array (n)); i++) {
    JsonNode *e = json_array_get_element (json_node_get_array (n), i);

    if (!is_string (e)) {
      g_ptr_array_free (a, TRUE);
      bad (error, path, field, "is not a list of strings");
      return NULL;
    }
    g_ptr_array_add (a, g_strdup (json_node_get_string (e)));
  }
  if (len)
    *len = a->len;
  g_ptr_array_add (a, NULL);
  return (gchar **) g_ptr_array_free (a, FALSE);
}

static gboolean
read_size (JsonObject *in, const gchar *key, guint *out, const gchar *path)
{
  JsonNode *n = member (in, key);
  gint64 v;

  if (!n || !JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  v = json_node_get_int (n);
  if (v < 1 || v > 16384)
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

static gboolean
read_input (
    OmniNnModelInfo *info, JsonObject *in, const gchar *path, GError **error)
{
  static const gchar *colors[] = { "RGB", "BGR", "GRAY" };
  static const gchar *resizes[] = { "stretch", "letterbox" };
  JsonNode *n;
  guint i;

  if (!in)
    return bad (error, path, "input", "is missing or not an object");
  if (!read_size (in, "width", &info->width, path))
    return bad (error, path, "input.width", "is not an integer in 1..16384");
  if (!read_size (in, "height", &info->height, path))
    return bad (error, path, "input.height", "is not an integer in 1..16384");
  info->channels = 3;
  if (member (in, "channels")
      && (!read_size (in, "channels", &info->channels, path)
          || (info->channels != 1 && info->channels != 3)))
    return bad (error, path, "input.channels", "is not 1 or 3");
  n = member (in, "color");
  info->color = info->channels == 1 ? OMNI_NN_COLOR_GRAY : OMNI_NN_COLOR_RGB;
  if (n) {
    for (i = 0; i < G_N_ELEMENTS (colors); i++)
      if (is_string (n) && !strcmp (json_node_get_string (n), colors[i]))
        break;
    if (i == G_N_ELEMENTS (colors)
        || ((i == OMNI_NN_COLOR_GRAY) != (info->channels == 1)))
      return bad (error, path, "input.color",
          "is not RGB, BGR or GRAY (GRAY with 1 channel)");
    info->color = i;
  }
  info->scale = 1.0f / 255.0f;
  if ((n = member (in, "scale"))) {
    if (!is_number (n))
      return bad (error, path, "input.scale", "is not a number");
    info->scale = (gfloat) json_node_get_double (n);
  }
  if ((n = member (in, "offset"))) {
    if (!is_number (n))
      return bad (error, path, "input.offset", "is not a number");
    info->offset = (gfloat) json_node_get_double (n);
  }
  if ((n = member (in, "resize"))) {
    for (i = 0; i < G_N_ELEMENTS (resizes); i++)
      if (is_string (n) && !strcmp (json_node_get_string (n), resizes[i]))
        break;
    if (i == G_N_ELEMENTS (resizes))
      return bad (error, path, "input.resize", "is not stretch or letterbox");
    info->resize = i;
  }
  info->align_corners = json_object_get_boolean_member_with_default (
      in, "align-corners", FALSE);
  n = member (in, "dtype");
  if (n
      && (!is_string (n)
          || (strcmp (json_node_get_string (n), "float32")
              && strcmp (json_node_get_string (n), "int32"))))
    return bad (error, path, "input.dtype", "is not float32 or int32");
  info->int_input = n && !strcmp (json_node_get_string (n), "int32");
  return TRUE;
}

static gboolean
read_outputs (
    OmniNnModelInfo *info, JsonNode *n, const gchar *path, GError **error)
{
  JsonArray *a;
  guint i;

  if (!n)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (n))
    return bad (error, path, "outputs", "is not a list");
  a = json_node_get_array (n);
  info->outputs = g_new0 (OmniNnOutputInfo, json_array_get_length (a));
  for (i = 0; i < json_array_get_length (a); i++) {
    JsonNode *e = json_array_get_element (a, i);
    JsonObject *o
        = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;

    if (!o || !is_string (member (o, "name")))
      return bad (error, path, "outputs", "has an entry without a name");
    info->outputs[i].name
        = g_strdup (json_object_get_string_member (o, "name"));
    info->n_outputs = i + 1;
    if (member (o, "meaning")) {
      if (!is_string (member (o, "meaning")))
        return bad (error, path, "outputs.meaning", "is not a string");
      info->outputs[i].meaning
          = g_strdup (json_object_get_string_member (o, "meaning"));
    }
  }
  return TRUE;
}

static gboolean
read_info (
    OmniNnModelInfo *info, JsonObject *o, const gchar *path, GError **error)
{
  JsonNode *n = member (o, "format");

  if (!is_string (n) || strcmp (json_node_get_string (n), "omni-model-info"))
    return bad (error, path, "format", "is not \"omni-model-info\"");
  if ((n = member (o, "task"))) {
    if (!is_string (n))
      return bad (error, path, "task", "is not a string");
    info->task = g_strdup (json_node_get_string (n));
  }
  n = member (o, "input");
  if (!read_input (info,
          n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL,
          path, error))
    return FALSE;
  if ((n = member (o, "cut"))
      && !(info->cut = strings (n, path, "cut", NULL, error)))
    return FALSE;
  if ((n = member (o, "labels"))
      && !(info->labels = strings (n, path, "labels", &info->n_labels, error)))
    return FALSE;
  return read_outputs (info, member (o, "outputs"), path, error);
}

OmniNnModelInfo *
omni_nn_model_info_load (const gchar *path, GError **error)
{
  JsonParser *parser = json_parser_new ();
  OmniNnModelInfo *info = NULL;
  GError *err = NULL;
  JsonNode *root;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND,
        "model info %s does not exist", path);
  } else if (!json_parser_load_from_file (parser, path, &err)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "model info %s is not valid JSON: %s", path, err->message);
    g_error_free (err);
  } else {
    root = json_parser_get_root (parser);
    info = g_new0 (OmniNnModelInfo, 1);
    if (!read_info (info,
            root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root)
                                                  : NULL,
            path, error)) {
      omni_nn_model_info_free (info);
      info = NULL;
    }
  }
  g_object_unref (parser);
  return info;
}

OmniNnModelInfo *
omni_nn_model_info_find (const gchar *model_json, GError **error)
{
  gchar *dir = g_path_get_dirname (model_json);
  gchar *path = g_build_filename (dir, "model-info.json", NULL);
  OmniNnModelInfo *info = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    info = omni_nn_model_info_load (path, error);
  g_free (path);
  g_free (dir);
  return info;
}

void
omni_nn_model_info_free (OmniNnModelInfo *info)
{
  guint i;

  if (!info)
    return;
  g_free (info->task);
  g_strfreev (info->cut);
  for (i = 0; i < info->n_outputs; i++) {
    g_free (info->outputs[i].name);
    g_free (info->outputs[i].meaning);
  }
  g_free (info->outputs);
  g_strfreev (info->labels);
  g_free (info);
}
