/* gst-omni: omnivad
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_OMNI_VAD_H__
#define __GST_OMNI_VAD_H__

#include <gst/gst.h>
#include <gst/audio/audio.h>
#include <gst/audio/gstaudiofilter.h>

G_BEGIN_DECLS

#define GST_TYPE_OMNI_VAD (gst_omni_vad_get_type ())
G_DECLARE_FINAL_TYPE (GstOmniVad, gst_omni_vad, GST, OMNI_VAD, GstAudioFilter)

GST_ELEMENT_REGISTER_DECLARE (omnivad);

G_END_DECLS

#endif /* __GST_OMNI_VAD_H__ */
