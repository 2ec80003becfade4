/* gst-omni: checking a model's files against its recorded sha256 sums
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A moderation tool must fail closed: weights that are corrupt, were
 * swapped, or are random bytes of the right size would load and classify
 * with confidence. tools/omni-fetch-models writes SHA256SUMS next to every
 * model it installs (the sums of the files it verified against the pinned
 * npm tarball); the loader checks each file it reads against it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <json-glib/json-glib.h>
#include <string.h>

#include "omninngraph.h"
#include "omninnverify.h"

struct _OmniNnSums {
  GHashTable *sha; /* name (without "./") -> lowercase hex */
};

static const gchar *
strip_dot_slash (const gchar *name)
{
  while (g_str_has_prefix (name, "./"))
    name += 2;
  return name;
}

static gboolean
parse_line (OmniNnSums *sums, gchar *line, guint lineno, GError **error)
{
  gchar *hex = g_strstrip (line), *name;
  guint i;

  if (!*hex)
    return TRUE;
  for (i = 0; i < 64 && g_ascii_isxdigit (hex[i]); i++)
    ;
  name = hex + 64;
  if (i != 64 || (*name != ' ' && *name != '\t')) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNVERIFIED,
        "SHA256SUMS line %u is not \"SHA256  NAME\"", lineno);
    return FALSE;
  }
  *name++ = '\0';
  while (*name == ' ' || *name == '\t' || *name == '*')
    name++;
  if (!*name) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNVERIFIED,
        "SHA256SUMS line %u names no file", lineno);
    return FALSE;
  }
  g_hash_table_replace (
      sums->sha, g_strdup (strip_dot_slash (name)), g_ascii_strdown (hex, -1));
  return TRUE;
}

OmniNnSums *
omni_nn_sums_load (const gchar *dir, GError **error)
{
  gchar *path = g_build_filename (dir, "SHA256SUMS", NULL);
  gchar *contents = NULL, **lines = NULL;
  OmniNnSums *sums = NULL;
  GError *err = NULL;
  guint i;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    goto done;
  if (!g_file_get_contents (path, &contents, NULL, &err)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNVERIFIED,
        "cannot read %s: %s", path, err->message);
    g_error_free (err);
    goto done;
  }
  sums = g_new0 (OmniNnSums, 1);
  sums->sha = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i]; i++) {
    if (!parse_line (sums, lines[i], i + 1, error)) {
      g_prefix_error (error, "%s: ", path);
      g_clear_pointer (&sums, omni_nn_sums_free);
      break;
    }
  }
done:
  g_strfreev (lines);
  g_free (contents);
  g_free (path);
  return sums;
}

void
omni_nn_sums_free (OmniNnSums *sums)
{
  if (!sums)
    return;
  g_hash_table_unref (sums->sha);
  g_free (sums);
}

gboolean
omni_nn_sums_check (const OmniNnSums *sums, const gchar *name,
    const guint8 *data, gsize len, GError **error)
{
  const gchar *want;
  gchar *got;
  gboolean ok;

  name = strip_dot_slash (name);
  want = sums ? g_hash_table_lookup (sums->sha, name) : NULL;
  if (!want) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNVERIFIED,
        "'%s' has no recorded sha256 (%s)", name,
        sums ? "not listed in the model directory's SHA256SUMS"
             : "the model directory has no SHA256SUMS");
    return FALSE;
  }
  got = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
  ok = g_str_equal (got, want);
  if (!ok) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNVERIFIED,
        "'%s' does not match its recorded sha256 (SHA256SUMS: %s, file: %s): "
        "the model files are corrupt or were changed",
        name, want, got);
  }
  g_free (got);
  return ok;
}

gboolean
omni_nn_sums_check_file (
    const OmniNnSums *sums, const gchar *dir, const gchar *name, GError **error)
{
  gchar *path = g_build_filename (dir, name, NULL);
  gchar *contents = NULL;
  gsize len = 0;
  GError *err = NULL;
  gboolean ok;

  if (!g_file_get_contents (path, &contents, &len, &err)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND,
        "cannot read %s: %s", path, err->message);
    g_error_free (err);
    g_free (path);
    return FALSE;
  }
  ok = omni_nn_sums_check (sums, name, (const guint8 *) contents, len, error);
  g_free (contents);
  g_free (path);
  return ok;
}

gboolean
omni_nn_allow_unverified_from_env (void)
{
  const gchar *v = g_getenv ("OMNI_ALLOW_UNVERIFIED_MODELS");

  return v && *v && strcmp (v, "0") && g_ascii_strcasecmp (v, "no")
         && g_ascii_strcasecmp (v, "false");
}

/* model.json, the weight files of its weightsManifest, and the optional
 * files beside it that the loaders read. */
static GPtrArray *
model_files (const gchar *model_json, const gchar *dir, GError **error)
{
  JsonParser *parser = json_parser_new_immutable ();
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const gchar *optional[] = { "labels.txt", "model-info.json" };
  JsonNode *root;
  JsonArray *manifest = NULL;
  guint i, j;

  g_ptr_array_add (files, g_strdup ("model.json"));
  if (json_parser_load_from_mapped_file (parser, model_json, NULL)
      && (root = json_parser_get_root (parser)) && JSON_NODE_HOLDS_OBJECT (root)
      && json_object_has_member (json_node_get_object (root), "weightsManifest")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (
          json_node_get_object (root), "weightsManifest")))
    manifest = json_object_get_array_member (
        json_node_get_object (root), "weightsManifest");
  for (i = 0; manifest && i < json_array_get_length (manifest); i++) {
    JsonNode *g = json_array_get_element (manifest, i);
    JsonNode *pn = JSON_NODE_HOLDS_OBJECT (g) ? json_object_get_member (
                       json_node_get_object (g), "paths")
                                              : NULL;
    JsonArray *paths
        = pn && JSON_NODE_HOLDS_ARRAY (pn) ? json_node_get_array (pn) : NULL;

    for (j = 0; paths && j < json_array_get_length (paths); j++) {
      const gchar *rel = json_array_get_string_element (paths, j);

      if (rel)
        g_ptr_array_add (files, g_strdup (strip_dot_slash (rel)));
    }
  }
  for (i = 0; i < G_N_ELEMENTS (optional); i++) {
    gchar *p = g_build_filename (dir, optional[i], NULL);

    if (g_file_test (p, G_FILE_TEST_IS_REGULAR))
      g_ptr_array_add (files, g_strdup (optional[i]));
    g_free (p);
  }
  g_object_unref (parser);
  (void) error; /* a model.json the loaders cannot parse: they say why */
  return files;
}

gboolean
omni_nn_model_verify (const gchar *model_json, gboolean allow_unverified,
    gboolean *verified, gchar **reason, GError **error)
{
  gchar *dir = g_path_get_dirname (model_json);
  GError *err = NULL;
  OmniNnSums *sums = omni_nn_sums_load (dir, &err);
  GPtrArray *files = NULL;
  gboolean ok = TRUE;
  guint i;

  allow_unverified = allow_unverified || omni_nn_allow_unverified_from_env ();
  *verified = TRUE;
  *reason = NULL;
  if (!err)
    files = model_files (model_json, dir, NULL);
  for (i = 0; !err && files && i < files->len; i++) {
    gchar *p = g_build_filename (dir, files->pdata[i], NULL);

    /* a file that is missing is the loader's to report */
    if (g_file_test (p, G_FILE_TEST_IS_REGULAR))
      omni_nn_sums_check_file (sums, dir, files->pdata[i], &err);
    g_free (p);
  }
  if (err && err->code == OMNI_NN_ERROR_UNVERIFIED && allow_unverified) {
    *verified = FALSE;
    *reason = g_strdup (err->message);
    g_clear_error (&err);
  } else if (err && err->code == OMNI_NN_ERROR_UNVERIFIED) {
    g_propagate_prefixed_error (error, err,
        "model not verified: run tools/omni-fetch-models --force for the "
        "known models; for your own model, list its files in SHA256SUMS "
        "(sha256sum model.json *.bin > SHA256SUMS) or allow unverified "
        "models (allow-unverified=true, OMNI_ALLOW_UNVERIFIED_MODELS=1). "
        "Cause: ");
    ok = FALSE;
  } else if (err) {
    g_propagate_error (error, err);
    ok = FALSE;
  }
  if (files)
    g_ptr_array_unref (files);
  omni_nn_sums_free (sums);
  g_free (dir);
  return ok;
}
