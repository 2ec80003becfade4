/* gst-omni: omnisampler
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_OMNI_SAMPLER_H__
#define __GST_OMNI_SAMPLER_H__

#include <gst/gst.h>
#include <gst/video/video.h>
#include <gst/video/gstvideofilter.h>

G_BEGIN_DECLS

/**
 * GstOmniSamplerMode:
 * @GST_OMNI_SAMPLER_MODE_MARK: every frame passes; sampled ones carry an
 *   #OmniSampleMeta
 * @GST_OMNI_SAMPLER_MODE_DROP: only sampled frames pass (with the meta); GAP
 *   events stand for the others
 *
 * What omnisampler does with the frames it does not sample.
 */
typedef enum {
  GST_OMNI_SAMPLER_MODE_MARK = 0,
  GST_OMNI_SAMPLER_MODE_DROP = 1,
} GstOmniSamplerMode;

/**
 * GstOmniSamplerDetector:
 * @GST_OMNI_SAMPLER_DETECTOR_FAST: decide at once from past frames (no
 *   latency; a flash frame can count as a cut)
 * @GST_OMNI_SAMPLER_DETECTOR_ADAPTIVE: decide with two frames of
 *   look-ahead, rejecting one- and two-frame flashes (two frames latency)
 *
 * The scene cut decision.
 */
typedef enum {
  GST_OMNI_SAMPLER_DETECTOR_FAST = 0,
  GST_OMNI_SAMPLER_DETECTOR_ADAPTIVE = 1,
} GstOmniSamplerDetector;

#define GST_TYPE_OMNI_SAMPLER (gst_omni_sampler_get_type ())
G_DECLARE_FINAL_TYPE (
    GstOmniSampler, gst_omni_sampler, GST, OMNI_SAMPLER, GstVideoFilter)

GST_ELEMENT_REGISTER_DECLARE (omnisampler);

G_END_DECLS

#endif /* __GST_OMNI_SAMPLER_H__ */
