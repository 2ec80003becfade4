/* gst-omni: several inferences of one model in flight (GstOmniInference's
 * nireq)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_INFERENCE_POOL_H__
#define __OMNI_INFERENCE_POOL_H__

#include <gst/video/video.h>
#include <omni/nn/omninnsession.h>

#include "omniinferenceinput.h"

G_BEGIN_DECLS

typedef struct _OmniInferencePool OmniInferencePool;

/**
 * OmniInferenceJob:
 * @buffer: the frame (the job does not own it: its owner keeps it until
 *   the job is released)
 * @session: the worker's session, holding the outputs once done
 * @placement: where the frame went in the model input
 * @ms: wall-clock ms of the inference (pre-processing included)
 * @error: (nullable): why it failed
 *
 * One frame's inference on one worker.
 */
typedef struct {
  GstBuffer *buffer;
  OmniNnSession *session;
  OmniInferencePlacement placement;
  gdouble ms;
  GError *error;
  /* < private > */
  GstVideoInfo info;
  OmniNnPreprocessParams pre;
  gboolean queued, done;
} OmniInferenceJob;

OmniInferencePool *omni_inference_pool_new (OmniNnSession *first,
    guint n_workers, const gchar *model, OmniNnBackendChoice choice,
    const gchar *device, const OmniNnSessionOptions *opts);
OmniInferenceJob *omni_inference_pool_submit (OmniInferencePool *pool,
    GstBuffer *buffer, const GstVideoInfo *info,
    const OmniNnPreprocessParams *pre);
gboolean omni_inference_pool_wait (
    OmniInferencePool *pool, OmniInferenceJob *job);
gboolean omni_inference_pool_is_done (
    OmniInferencePool *pool, OmniInferenceJob *job);
void omni_inference_pool_release (
    OmniInferencePool *pool, OmniInferenceJob *job);
void omni_inference_pool_set_flushing (
    OmniInferencePool *pool, gboolean flushing);
void omni_inference_pool_free (OmniInferencePool *pool);

G_END_DECLS

#endif /* __OMNI_INFERENCE_POOL_H__ */
