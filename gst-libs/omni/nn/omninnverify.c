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
