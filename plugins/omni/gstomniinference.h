/* gst-omni: base class of the elements that run a model on video frames
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_OMNI_INFERENCE_H__
#define __GST_OMNI_INFERENCE_H__

#include <gst/video/gstvideofilter.h>
#include <omni/nn/omninnsession.h>

G_BEGIN_DECLS

#define GST_TYPE_OMNI_INFERENCE (gst_omni_inference_get_type ())
G_DECLARE_DERIVABLE_TYPE (
    GstOmniInference, gst_omni_inference, GST, OMNI_INFERENCE, GstVideoFilter)

/**
 * GstOmniInferenceClass:
 * @parent_class: the parent class
 * @default_model: (nullable): the model= a subclass runs when none is set
 * @process: called with the session's outputs of one analysed frame (the
 *   outputs of the model on @buf, omni_nn_session_get_output()); attaches
 *   the subclass's metas to @buf and posts its messages
 *
 * "Run a model on the frames omnisampler marked, or on every Nth frame":
 * properties model, device, backend, inference-interval; the model in an
 * #OmniNnSession (Vulkan, else the CPU reference); the frame pre-processed
 * as the model's sidecar says (size, scale, offset); subclasses keep only
 * their task logic in @process.
 */
struct _GstOmniInferenceClass {
  GstVideoFilterClass parent_class;
  const gchar *default_model;
  GstFlowReturn (*process) (
      GstOmniInference *self, GstBuffer *buf, OmniNnSession *session);
  gpointer _padding[4];
};

/**
 * GstOmniInferenceBackend:
 * @GST_OMNI_INFERENCE_BACKEND_AUTO: Vulkan, else the CPU reference
 * @GST_OMNI_INFERENCE_BACKEND_VULKAN: Vulkan only
 * @GST_OMNI_INFERENCE_BACKEND_CPU: the CPU reference
 */
typedef enum {
  GST_OMNI_INFERENCE_BACKEND_AUTO,
  GST_OMNI_INFERENCE_BACKEND_VULKAN,
  GST_OMNI_INFERENCE_BACKEND_CPU,
} GstOmniInferenceBackend;

GType gst_omni_inference_backend_get_type (void);

/* The session of a started element (NULL before start). */
OmniNnSession *gst_omni_inference_get_session (GstOmniInference *self);

G_END_DECLS

#endif /* __GST_OMNI_INFERENCE_H__ */
