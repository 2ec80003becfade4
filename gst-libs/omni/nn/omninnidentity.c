/* gst-omni: model identity (sha256 of a model's files)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omninnidentity
 * @title: Model identity
 * @short_description: which exact model files a result came from
 *
 * Results and provenance records name the model they came from by the
 * sha256 of its files, so that two runs can be compared knowing whether
 * the weights were the same. Used by omnifusion's segment provenance.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnidentity.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "omninngraph.h"
#include "omninnmodel.h"

static gboolean
hash_file (GChecksum *sum, const gchar *path, GError **error)
{
  GMappedFile *f;
  GError *err = NULL;

  f = g_mapped_file_new (path, FALSE, &err);
  if (!f) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND,
        "cannot read %s: %s", path, err->message);
    g_error_free (err);
    return FALSE;
  }
  if (g_mapped_file_get_length (f) > 0)
    g_checksum_update (sum, (const guchar *) g_mapped_file_get_contents (f),
        g_mapped_file_get_length (f));
  g_mapped_file_unref (f);
  return TRUE;
}

/* Hashes each shard of one weightsManifest group, in order. */
static gboolean
hash_group (GChecksum *sum, const gchar *dir, JsonNode *group, GError **error)
{
  JsonNode *paths;
  JsonArray *arr;
  guint j;

  if (!JSON_NODE_HOLDS_OBJECT (group))
    return TRUE;
  paths = json_object_get_member (json_node_get_object (group), "paths");
  if (!paths || !JSON_NODE_HOLDS_ARRAY (paths))
    return TRUE;
  arr = json_node_get_array (paths);
  for (j = 0; j < json_array_get_length (arr); j++) {
    JsonNode *pn = json_array_get_element (arr, j);
    const gchar *rel = JSON_NODE_HOLDS_VALUE (pn)
                               && json_node_get_value_type (pn) == G_TYPE_STRING
                           ? json_node_get_string (pn)
                           : NULL;
    gchar *path;
    gboolean ok;

    if (!rel || strstr (rel, "..") || g_path_is_absolute (rel)) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
          "weight shard path %s is not a file inside the model directory",
          rel ? rel : "(not a string)");
      return FALSE;
    }
    path = g_build_filename (dir, rel, NULL);
    ok = hash_file (sum, path, error);
    g_free (path);
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

gchar *
omni_nn_model_file_sha256 (const gchar *model_json, GError **error)
{
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  JsonParser *parser = json_parser_new ();
  gchar *data = NULL, *dir = g_path_get_dirname (model_json), *result = NULL;
  gsize len;
  GError *err = NULL;
  JsonNode *root, *wm;
  guint i;

  if (!g_file_get_contents (model_json, &data, &len, &err)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND,
        "cannot read %s: %s", model_json, err->message);
    g_error_free (err);
    goto done;
  }
  g_checksum_update (sum, (const guchar *) data, len);
  if (!json_parser_load_from_data (parser, data, len, &err)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE,
        "%s is not valid JSON: %s", model_json, err->message);
    g_error_free (err);
    goto done;
  }
  root = json_parser_get_root (parser);
  wm = root && JSON_NODE_HOLDS_OBJECT (root) ? json_object_get_member (
           json_node_get_object (root), "weightsManifest")
                                             : NULL;
  if (wm && JSON_NODE_HOLDS_ARRAY (wm)) {
    JsonArray *groups = json_node_get_array (wm);

    for (i = 0; i < json_array_get_length (groups); i++) {
      if (!hash_group (sum, dir, json_array_get_element (groups, i), error))
        goto done;
    }
  }
  result = g_strdup (g_checksum_get_string (sum));
done:
  g_free (data);
  g_free (dir);
  g_object_unref (parser);
  g_checksum_free (sum);
  return result;
}

gchar *
omni_nn_model_identity (const gchar *model, GError **error)
{
  gchar *path, *sha;

  if (model && g_str_equal (model, "..")) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND,
        "'..' is not a model name");
    return NULL;
  }
  path = omni_nn_model_resolve (model, error);
  if (!path)
    return NULL;
  sha = omni_nn_model_file_sha256 (path, error);
  g_free (path);
  return sha;
}
