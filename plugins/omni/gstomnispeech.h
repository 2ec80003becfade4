/* gst-omni: omnispeech
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_OMNI_SPEECH_H__
#define __GST_OMNI_SPEECH_H__

#include <gst/gst.h>
#include <gst/audio/audio.h>

G_BEGIN_DECLS

#define GST_TYPE_OMNI_SPEECH (gst_omni_speech_get_type ())
G_DECLARE_FINAL_TYPE (
    GstOmniSpeech, gst_omni_speech, GST, OMNI_SPEECH, GstElement)

GST_ELEMENT_REGISTER_DECLARE (omnispeech);

G_END_DECLS

#endif /* __GST_OMNI_SPEECH_H__ */
