/* gst-omni: a model ready to run (lookup, load, backend, outputs, recovery)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_SESSION_H__
#define __OMNI_NN_SESSION_H__

#include <omni/omni-prelude.h>
#include <omni/nn/omninnmodel.h>
#include <omni/nn/omninnmodelinfo.h>

G_BEGIN_DECLS

/**
 * OmniNnBackendChoice:
 * @OMNI_NN_BACKEND_AUTO: Vulkan; the CPU reference when no Vulkan device
 *   can be used (omni_nn_session_get_fallback_reason() says why)
 * @OMNI_NN_BACKEND_VULKAN: Vulkan only
 * @OMNI_NN_BACKEND_CPU: the plain-C reference
 */
typedef enum {
  OMNI_NN_BACKEND_AUTO,
  OMNI_NN_BACKEND_VULKAN,
  OMNI_NN_BACKEND_CPU,
} OmniNnBackendChoice;

/**
 * OmniNnSession:
 *
 * One model ready to run, the way every element runs one: looked up
 * (omni_nn_model_resolve()), loaded (a TF.js layers or graph model, with
 * its model-info sidecar), put on a backend (Vulkan, else the CPU
 * reference, or the one forced), with output buffers, and re-created on a
 * fresh device when the Vulkan device is lost. Not thread-safe: one
 * streaming thread drives it.
 */
typedef struct _OmniNnSession OmniNnSession;

/**
 * omni_nn_session_new:
 * @model: a model name, directory or model.json
 * @choice: which backend
 * @device: (nullable): Vulkan device selector (omni_vk_device_get())
 * @error: return location for an error
 *
 * Returns: (transfer full): the session, or %NULL with an #OmniNnError:
 *   the loader's (NOT_FOUND, PARSE, UNSUPPORTED, WEIGHTS, SHAPE), DEVICE
 *   (no Vulkan device and @choice is %OMNI_NN_BACKEND_VULKAN, or this build
 *   has no Vulkan)
 */
OMNI_API OmniNnSession *omni_nn_session_new (const gchar *model,
    OmniNnBackendChoice choice, const gchar *device, GError **error);

/**
 * omni_nn_session_new_full:
 * @model: as for omni_nn_session_new()
 * @choice: which backend
 * @device: (nullable): Vulkan device selector
 * @flags: #OmniNnLoadFlags for the loader (e.g. allow an unverified model:
 *   omni_nn_session_get_model()'s verified says what was loaded)
 * @error: return location for an error
 *
 * Returns: (transfer full): the session, or %NULL with an #OmniNnError,
 *   %OMNI_NN_ERROR_UNVERIFIED included
 */
OMNI_API OmniNnSession *omni_nn_session_new_full (const gchar *model,
    OmniNnBackendChoice choice, const gchar *device, OmniNnLoadFlags flags,
    GError **error);

/**
 * OmniNnSessionOptions:
 * @flags: #OmniNnLoadFlags for the loader
 * @labels: (nullable): a labels file (one per line) replacing the model's
 *   own (labels.txt or the sidecar's); the caller's, not checked
 * @embedding_layer: (nullable): a layers model's layer whose output becomes
 *   the "embedding" output (omni_nn_model_load()); refused
 *   (%OMNI_NN_ERROR_SETTING) for a graph model
 *
 * How omni_nn_session_new_with_options() loads the model.
 */
typedef struct {
  OmniNnLoadFlags flags;
  const gchar *labels;
  const gchar *embedding_layer;
} OmniNnSessionOptions;

/**
 * omni_nn_session_new_with_options:
 * @model: as for omni_nn_session_new()
 * @choice: which backend
 * @device: (nullable): Vulkan device selector
 * @opts: how to load the model
 * @error: return location for an error
 *
 * Returns: (transfer full): the session, or %NULL with an #OmniNnError,
 *   %OMNI_NN_ERROR_SETTING included (labels that do not fit, an embedding
 *   layer the model lacks)
 */
OMNI_API OmniNnSession *omni_nn_session_new_with_options (const gchar *model,
    OmniNnBackendChoice choice, const gchar *device,
    const OmniNnSessionOptions *opts, GError **error);

OMNI_API void omni_nn_session_free (OmniNnSession *session);

/**
 * omni_nn_session_run:
 * @session: a session
 * @input: one inference's input (a frame or a float tensor)
 * @error: return location for an error
 *
 * Runs one inference into the session's output buffers. When the Vulkan
 * backend fails (a lost device), the backend is re-created once on a fresh
 * device and the inference retried; omni_nn_session_get_n_recoveries()
 * counts that. Input errors are never retried.
 *
 * Returns: %FALSE with @error set when the inference failed
 */
OMNI_API gboolean omni_nn_session_run (
    OmniNnSession *session, const OmniNnInput *input, GError **error);

OMNI_API const OmniNnModel *omni_nn_session_get_model (OmniNnSession *session);

/**
 * omni_nn_session_get_info:
 * @session: a session
 *
 * Returns: (transfer none) (nullable): the model's model-info sidecar
 */
OMNI_API const OmniNnModelInfo *omni_nn_session_get_info (
    OmniNnSession *session);

OMNI_API guint omni_nn_session_get_n_outputs (OmniNnSession *session);

/**
 * omni_nn_session_find_output:
 * @session: a session
 * @name: an output name
 *
 * Returns: its index, or -1
 */
OMNI_API gint omni_nn_session_find_output (
    OmniNnSession *session, const gchar *name);

/**
 * omni_nn_session_get_output:
 * @session: a session
 * @index: an output index
 * @n_values: (out) (optional): its number of values
 *
 * Returns: (transfer none): the values the last omni_nn_session_run()
 *   wrote
 */
OMNI_API const gfloat *omni_nn_session_get_output (
    OmniNnSession *session, guint index, gsize *n_values);

/**
 * omni_nn_session_get_backend:
 * @session: a session
 *
 * Returns: (transfer none): the backend it runs on ("vulkan" or "cpu")
 */
OMNI_API const OmniNnBackend *omni_nn_session_get_backend (
    OmniNnSession *session);

/**
 * omni_nn_session_get_backend_state:
 * @session: a session
 *
 * Returns: (transfer none): the backend's state (for the Vulkan backend an
 *   #OmniNnVulkan)
 */
OMNI_API gpointer omni_nn_session_get_backend_state (OmniNnSession *session);

OMNI_API const gchar *omni_nn_session_get_device_name (OmniNnSession *session);

/**
 * omni_nn_session_get_fallback_reason:
 * @session: a session
 *
 * Returns: (nullable): why %OMNI_NN_BACKEND_AUTO ended on the CPU, or
 *   %NULL when it did not
 */
OMNI_API const gchar *omni_nn_session_get_fallback_reason (
    OmniNnSession *session);

OMNI_API guint omni_nn_session_get_n_recoveries (OmniNnSession *session);

G_END_DECLS

#endif /* __OMNI_NN_SESSION_H__ */
