/* gst-omni: omnivisionenc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_OMNI_VISION_ENC_H__
#define __GST_OMNI_VISION_ENC_H__

#include "gstomniinference.h"

G_BEGIN_DECLS

#define GST_TYPE_OMNI_VISION_ENC (gst_omni_vision_enc_get_type ())
G_DECLARE_FINAL_TYPE (GstOmniVisionEnc, gst_omni_vision_enc, GST,
    OMNI_VISION_ENC, GstOmniInference)

GST_ELEMENT_REGISTER_DECLARE (omnivisionenc);

G_END_DECLS

#endif /* __GST_OMNI_VISION_ENC_H__ */
