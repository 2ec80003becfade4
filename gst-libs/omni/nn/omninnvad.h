/* gst-omni: a speech-activity model (Silero VAD) on the runtime
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_VAD_H__
#define __OMNI_NN_VAD_H__

#include <omni/omni-prelude.h>
#include <omni/nn/omninngraph.h>

G_BEGIN_DECLS

typedef struct _OmniNnVad OmniNnVad;

/**
 * omni_nn_vad_new:
 * @model: a model name ("silero-vad", looked up in $OMNI_MODEL_PATH, the
 *   build's model directory, then the installed one), a directory, or the
 *   path of its model.onnx; its model-info.json (docs/onnx.md) says the
 *   rate, the frame, the context, the input, state and output names
 * @backend: "cpu", "vulkan", or %NULL (Vulkan when a device works, else
 *   the CPU)
 * @error: return location for an #OmniNnError
 *
 * Loads an ONNX speech-activity model with a recurrent state (Silero VAD
 * v5) and prepares it on a backend. Each call to omni_nn_vad_process()
 * feeds one frame after the previous frame's last @context samples and
 * carries the state, as the model's reference wrapper does.
 *
 * Returns: (transfer full): the detector, or %NULL with an #OmniNnError
 *   (%OMNI_NN_ERROR_UNVERIFIED when model.onnx does not match its
 *   SHA256SUMS)
 */
OMNI_API OmniNnVad *omni_nn_vad_new (
    const gchar *model, const gchar *backend, GError **error);

OMNI_API void omni_nn_vad_free (OmniNnVad *vad);

/**
 * omni_nn_vad_process:
 * @vad: a detector
 * @frame: (array): omni_nn_vad_get_frame() samples at
 *   omni_nn_vad_get_rate() Hz, in [-1, 1]
 * @probability: (out): the speech probability of the frame
 * @error: return location for an error
 *
 * Returns: %FALSE with @error set when the backend failed
 */
OMNI_API gboolean omni_nn_vad_process (
    OmniNnVad *vad, const gfloat *frame, gfloat *probability, GError **error);

/* Clears the state and the context (a new stream). */
OMNI_API void omni_nn_vad_reset (OmniNnVad *vad);

OMNI_API guint omni_nn_vad_get_rate (OmniNnVad *vad);
OMNI_API guint omni_nn_vad_get_frame (OmniNnVad *vad);
OMNI_API const gchar *omni_nn_vad_get_backend (OmniNnVad *vad);
OMNI_API const gchar *omni_nn_vad_get_path (OmniNnVad *vad);

G_END_DECLS

#endif /* __OMNI_NN_VAD_H__ */
