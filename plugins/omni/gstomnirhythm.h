/* gst-omni: omnirhythm
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_OMNI_RHYTHM_H__
#define __GST_OMNI_RHYTHM_H__

#include <gst/gst.h>
#include <gst/audio/audio.h>
#include <gst/audio/gstaudiofilter.h>

G_BEGIN_DECLS

#define GST_TYPE_OMNI_RHYTHM (gst_omni_rhythm_get_type ())
G_DECLARE_FINAL_TYPE (
    GstOmniRhythm, gst_omni_rhythm, GST, OMNI_RHYTHM, GstAudioFilter)

GST_ELEMENT_REGISTER_DECLARE (omnirhythm);

G_END_DECLS

#endif /* __GST_OMNI_RHYTHM_H__ */
