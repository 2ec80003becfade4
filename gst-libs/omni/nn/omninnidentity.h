/* gst-omni: model identity (sha256 of a model's files)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_IDENTITY_H__
#define __OMNI_NN_IDENTITY_H__

#include <omni/omni-prelude.h>

G_BEGIN_DECLS

/**
 * omni_nn_model_file_sha256:
 * @model_json: path of a TF.js model.json (layers or graph model)
 * @error: return location for an error
 *
 * The identity of a model's bytes: sha256 over model.json followed by each
 * weight shard its `weightsManifest` names, group by group and path by path
 * in manifest order. A shard path that leaves the model's directory ("..")
 * or an unreadable file is an error.
 *
 * Returns: (transfer full): 64 lower-case hex digits, or %NULL with
 *   %OMNI_NN_ERROR_NOT_FOUND (a file is missing) or %OMNI_NN_ERROR_PARSE
 */
OMNI_API gchar *omni_nn_model_file_sha256 (
    const gchar *model_json, GError **error);

/**
 * omni_nn_model_identity:
 * @model: a model name, directory or model.json, looked up as
 *   omni_nn_model_resolve() does
 * @error: return location for an error
 *
 * omni_nn_model_resolve() then omni_nn_model_file_sha256().
 *
 * Returns: (transfer full): the sha256, or %NULL with an #OmniNnError
 */
OMNI_API gchar *omni_nn_model_identity (const gchar *model, GError **error);

G_END_DECLS

#endif /* __OMNI_NN_IDENTITY_H__ */
