/* gst-omni: omniaudioenc
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_OMNI_AUDIO_ENC_H__
#define __GST_OMNI_AUDIO_ENC_H__

#include <gst/audio/gstaudiofilter.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_OMNI_AUDIO_ENC (gst_omni_audio_enc_get_type ())
G_DECLARE_FINAL_TYPE (
    GstOmniAudioEnc, gst_omni_audio_enc, GST, OMNI_AUDIO_ENC, GstAudioFilter)

GST_ELEMENT_REGISTER_DECLARE (omniaudioenc);

G_END_DECLS

#endif /* __GST_OMNI_AUDIO_ENC_H__ */
