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
 * @OMNI_NN_BACKEND_AUTO: Vulkan; the CPU when no Vulkan device can be used
 *   (omni_nn_session_get_fallback_reason() says why). When the CPU backend
 *   has XNNPACK (omni_nn_cpu_has_xnnpack()), no device is asked for and
 *   every usable Vulkan device is a CPU implementation (lavapipe), the CPU
 *   backend directly: it is faster there. The environment variable
 *   OMNI_NN_BACKEND decides instead when set: "cpu" (the CPU) or "vulkan"
 *   (Vulkan first, even on lavapipe)
 * @OMNI_NN_BACKEND_VULKAN: Vulkan only
 * @OMNI_NN_BACKEND_CPU: the CPU backend (omni_nn_cpu_backend(): XNNPACK
 *   where it has the op, else the plain-C reference)
 */
typedef enum {
  OMNI_NN_BACKEND_AUTO,
  OMNI_NN_BACKEND_VULKAN,
  OMNI_NN_BACKEND_CPU,
} OmniNnBackendChoice;

/**
 * omni_nn_backend_auto_picks_cpu:
 * @device: (nullable): the Vulkan device asked for (%NULL or "auto": none)
 *
 * Whether %OMNI_NN_BACKEND_AUTO goes straight to the CPU backend here:
 * OMNI_NN_BACKEND=cpu, or (OMNI_NN_BACKEND unset) no device asked for, the
 * CPU backend has XNNPACK and every usable Vulkan device is a CPU
 * implementation. Enumerates the Vulkan devices (not cached).
 *
 * Returns: %TRUE for the CPU backend, %FALSE for Vulkan first
 */
OMNI_API gboolean omni_nn_backend_auto_picks_cpu (const gchar *device);

/**
 * OmniNnSession:
 *
 * One model ready to run, the way every element runs one: looked up
 * (omni_nn_model_resolve()), loaded (a TF.js layers or graph model, with
 * its model-info sidecar), put on a backend (Vulkan, else the CPU
 * reference, or the one forced), with output buffers, and re-created on a
 * fresh device when the Vulkan device is lost.
 *
 * Sessions share what can be shared, process-wide (a session cache): the
 * sessions of the same model bytes (omni_nn_model_file_sha256()), loader
 * flags, labels and embedding layer share one loaded model (graph and
 * weights); those that also ask for the same backend and device share one
 * prepared engine on one #OmniVkDevice. The engine has up to
 * omni_nn_session_get_max_replicas() backend states (replicas: for Vulkan
 * the uploaded weights, the pipelines, the activations), as many as it has
 * sessions: a run takes a free replica, or waits for one; so that many runs
 * go at once, and streams beyond that many add no backend state.
 * Each session keeps its own outputs. The last session of a model frees it
 * all. A lost device takes its engine out of the cache: every session on
 * it moves, at its next run, to one fresh engine on a fresh device.
 *
 * The environment variable OMNI_NN_SESSION_CACHE chooses the sharing (see
 * #OmniNnSessionSharing): `all` (default), `model` (one engine per
 * session, the loaded model shared: runs of different sessions go in
 * parallel), `off` (nothing shared: a load per session).
 *
 * One session is driven by one thread at a time; different sessions may
 * run from different threads at once, whatever they share.
 */
typedef struct _OmniNnSession OmniNnSession;

/**
 * OmniNnSessionSharing:
 * @OMNI_NN_SHARE_ALL: the loaded model and the engine (backend state)
 * @OMNI_NN_SHARE_MODEL: the loaded model only; one engine per session
 * @OMNI_NN_SHARE_NONE: nothing; every session loads its own model
 *
 * What sessions share (OMNI_NN_SESSION_CACHE=all|model|off).
 */
typedef enum {
  OMNI_NN_SHARE_ALL,
  OMNI_NN_SHARE_MODEL,
  OMNI_NN_SHARE_NONE,
} OmniNnSessionSharing;

/**
 * omni_nn_session_get_sharing:
 *
 * Returns: the sharing OMNI_NN_SESSION_CACHE asks for now (read at each
 *   omni_nn_session_new()); an unknown value warns and means all
 */
OMNI_API OmniNnSessionSharing omni_nn_session_get_sharing (void);

/**
 * OmniNnSessionCacheStats:
 * @n_models: loaded models alive in the process
 * @n_engines: engines (a model on a backend) alive in the process
 * @n_replicas: backend states of those engines alive
 * @n_loads: models loaded since the process started
 * @n_prepares: engines prepared since the process started (device
 *   recoveries included)
 * @n_replica_prepares: backend states prepared since the process started
 *   (each engine's first included)
 *
 * What the session cache holds and has done.
 */
typedef struct {
  guint n_models;
  guint n_engines;
  guint n_replicas;
  guint64 n_loads;
  guint64 n_prepares;
  guint64 n_replica_prepares;
} OmniNnSessionCacheStats;

/**
 * omni_nn_session_get_max_replicas:
 *
 * Returns: how many backend states (replicas) a shared engine may have, so
 *   that that many sessions run at once: OMNI_NN_SESSION_REPLICAS (1 to 8),
 *   2 when unset
 */
OMNI_API guint omni_nn_session_get_max_replicas (void);

/**
 * omni_nn_session_cache_get_stats:
 * @stats: (out caller-allocates): where to write them
 */
OMNI_API void omni_nn_session_cache_get_stats (OmniNnSessionCacheStats *stats);

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

/**
 * omni_nn_session_free:
 * @session: (transfer full) (nullable): a session
 *
 * Frees the session and drops its references: the last session of a
 * loaded model or engine frees it.
 */
OMNI_API void omni_nn_session_free (OmniNnSession *session);

/**
 * omni_nn_session_run:
 * @session: a session
 * @input: one inference's input (a frame or a float tensor)
 * @error: return location for an error
 *
 * Runs one inference into the session's output buffers (waiting while
 * another session runs on the same engine). When the Vulkan
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

/**
 * omni_nn_session_get_recovery_reason:
 * @session: a session
 *
 * Returns: (nullable): the error that made the last recovery (a lost
 *   device), %NULL when there was none
 */
OMNI_API const gchar *omni_nn_session_get_recovery_reason (
    OmniNnSession *session);

G_END_DECLS

#endif /* __OMNI_NN_SESSION_H__ */
