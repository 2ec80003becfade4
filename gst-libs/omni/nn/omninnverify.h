/* gst-omni: checking a model's files against its recorded sha256 sums
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_VERIFY_H__
#define __OMNI_NN_VERIFY_H__

#include <omni/omni-prelude.h>

G_BEGIN_DECLS

/**
 * OmniNnSums:
 *
 * The sha256 sums recorded in a model directory's SHA256SUMS file (the
 * format `sha256sum` writes: "HEX  NAME" per line, NAME relative to the
 * directory, an optional leading "./").
 */
typedef struct _OmniNnSums OmniNnSums;

/**
 * omni_nn_sums_load:
 * @dir: a model directory
 * @error: return location for an error
 *
 * Reads @dir/SHA256SUMS.
 *
 * Returns: (transfer full) (nullable): the sums; %NULL without an error when
 *   the directory has no SHA256SUMS; %NULL with %OMNI_NN_ERROR_UNVERIFIED
 *   when the file cannot be read or a line is not "HEX  NAME"
 */
OMNI_API OmniNnSums *omni_nn_sums_load (const gchar *dir, GError **error);

OMNI_API void omni_nn_sums_free (OmniNnSums *sums);

/**
 * omni_nn_sums_check:
 * @sums: (nullable): the directory's sums; %NULL means none are recorded
 * @name: the file's name relative to the model directory
 * @data: (array length=len): the file's contents
 * @len: length of @data in bytes
 * @error: return location for an error
 *
 * Returns: %TRUE when @name is listed in @sums with the sha256 of @data;
 *   otherwise %FALSE with %OMNI_NN_ERROR_UNVERIFIED naming the file and,
 *   for a mismatch, both sums
 */
OMNI_API gboolean omni_nn_sums_check (const OmniNnSums *sums, const gchar *name,
    const guint8 *data, gsize len, GError **error);

/**
 * omni_nn_sums_check_file:
 * @sums: (nullable): as for omni_nn_sums_check()
 * @dir: the model directory
 * @name: the file's name relative to @dir
 * @error: return location for an error
 *
 * Reads @dir/@name and checks it with omni_nn_sums_check().
 */
OMNI_API gboolean omni_nn_sums_check_file (const OmniNnSums *sums,
    const gchar *dir, const gchar *name, GError **error);

/**
 * omni_nn_allow_unverified_from_env:
 *
 * Returns: %TRUE when $OMNI_ALLOW_UNVERIFIED_MODELS is set to a value other
 *   than "", "0", "no" or "false"
 */
OMNI_API gboolean omni_nn_allow_unverified_from_env (void);

G_END_DECLS

#endif /* __OMNI_NN_VERIFY_H__ */
