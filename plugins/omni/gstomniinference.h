/* gst-omni: base class of the elements that run a model on video frames
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_OMNI_INFERENCE_H__
#define __GST_OMNI_INFERENCE_H__

#include <gst/video/gstvideofilter.h>
#include <omni/nn/omninnsession.h>

#include "omniinferenceinput.h"

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
 * @analyse: called for each frame chosen for analysis, mapped for reading;
 *   the default runs the model on the whole frame
 *   (gst_omni_inference_run()) and calls @process. A subclass that runs
 *   the model on regions (boxes) of the frame overrides it.
 *
 * "Run a model on the frames omnisampler marked, or on every Nth frame":
 * properties model, device, backend, inference-interval, allow-unverified;
 * the model in an #OmniNnSession (Vulkan, else the CPU reference, a lost
 * device re-created once); the frame or a region of it pre-processed as the
 * model's sidecar says; the latency of one inference reported; subclasses
 * keep only their task logic.
 */
struct _GstOmniInferenceClass {
  GstVideoFilterClass parent_class;
  const gchar *default_model;
  GstFlowReturn (*process) (
      GstOmniInference *self, GstBuffer *buf, OmniNnSession *session);
  GstFlowReturn (*analyse) (GstOmniInference *self, GstVideoFrame *frame);
  gpointer _padding[3];
};

/**
 * GstOmniInferenceBackend:
 * @GST_OMNI_INFERENCE_BACKEND_AUTO: Vulkan, else the CPU (see
 *   #OmniNnBackendChoice: the CPU first on a lavapipe-only machine)
 * @GST_OMNI_INFERENCE_BACKEND_VULKAN: Vulkan only
 * @GST_OMNI_INFERENCE_BACKEND_CPU: the CPU (XNNPACK, else the C reference)
 */
typedef enum {
  GST_OMNI_INFERENCE_BACKEND_AUTO,
  GST_OMNI_INFERENCE_BACKEND_VULKAN,
  GST_OMNI_INFERENCE_BACKEND_CPU,
} GstOmniInferenceBackend;

GType gst_omni_inference_backend_get_type (void);

/* The session of a started element (NULL before start). */
OmniNnSession *gst_omni_inference_get_session (GstOmniInference *self);

/* Loader options a subclass exposes as its own properties (a labels file,
 * an embedding layer); set before start (copied). */
void gst_omni_inference_set_load_options (
    GstOmniInference *self, const gchar *labels, const gchar *embedding_layer);

/* Runs the model on @frame, or on @region of it (clamped), into the
 * session's outputs. @placement (nullable) receives where the region went
 * in the model input. Returns FALSE with @error when the inference failed,
 * FALSE without @error when @region is empty within the frame. Times the
 * inference (gst_omni_inference_get_last_ms()), raises the reported
 * latency when it was slower (with a latency message), warns when the
 * device was lost and re-created. Streaming thread. */
gboolean gst_omni_inference_run (GstOmniInference *self, GstVideoFrame *frame,
    const GstVideoRectangle *region, OmniInferencePlacement *placement,
    GError **error);

/* Where the frame (or region) of the last gst_omni_inference_run() went in
 * the model input (letterbox padding and scale), to map positions the model
 * found back to the frame; for process(). Streaming thread. */
const OmniInferencePlacement *gst_omni_inference_get_placement (
    GstOmniInference *self);

/* Wall-clock ms of the last gst_omni_inference_run() (pre-processing,
 * upload and download included). Streaming thread. */
gdouble gst_omni_inference_get_last_ms (GstOmniInference *self);

/* Copies, under the object lock: the backend's and device's names (NULL
 * when not started) and the latency reported (GST_CLOCK_TIME_NONE before
 * start). */
void gst_omni_inference_get_run_info (GstOmniInference *self, gchar **backend,
    gchar **device, GstClockTime *latency);

G_END_DECLS

#endif /* __GST_OMNI_INFERENCE_H__ */
