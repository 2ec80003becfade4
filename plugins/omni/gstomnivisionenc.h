/* gst-omni: omnivisionenc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_OMNI_VISION_ENC_H__
#define __GST_OMNI_VISION_ENC_H__

#include <gst/gst.h>
#include <gst/video/video.h>
#include <gst/video/gstvideofilter.h>

G_BEGIN_DECLS

/**
 * GstOmniVisionEncBackend:
 * @GST_OMNI_VISION_ENC_BACKEND_AUTO: Vulkan compute on the chosen device;
 *   when there is no usable Vulkan device, a warning and the CPU reference
 * @GST_OMNI_VISION_ENC_BACKEND_VULKAN: Vulkan compute only (an error when
 *   there is no usable device)
 * @GST_OMNI_VISION_ENC_BACKEND_CPU: the plain-C reference ops on the CPU
 *
 * Where omnivisionenc runs the model.
 */
typedef enum {
  GST_OMNI_VISION_ENC_BACKEND_AUTO = 0,
  GST_OMNI_VISION_ENC_BACKEND_VULKAN = 1,
  GST_OMNI_VISION_ENC_BACKEND_CPU = 2,
} GstOmniVisionEncBackend;

#define GST_TYPE_OMNI_VISION_ENC (gst_omni_vision_enc_get_type ())
G_DECLARE_FINAL_TYPE (
    GstOmniVisionEnc, gst_omni_vision_enc, GST, OMNI_VISION_ENC, GstVideoFilter)

GST_ELEMENT_REGISTER_DECLARE (omnivisionenc);

G_END_DECLS

#endif /* __GST_OMNI_VISION_ENC_H__ */
