/* gst-omni: portaudiosink, live audio playback through PortAudio
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_PORTAUDIO_SINK_H__
#define __GST_PORTAUDIO_SINK_H__

#include <gst/gst.h>
#include <gst/audio/gstaudiosink.h>

#include "gstportaudioio.h"

G_BEGIN_DECLS

#define GST_TYPE_PORTAUDIO_SINK (gst_portaudio_sink_get_type ())
G_DECLARE_FINAL_TYPE (
    GstPortAudioSink, gst_portaudio_sink, GST, PORTAUDIO_SINK, GstAudioSink)

struct _GstPortAudioSink {
  GstAudioSink parent;

  /* properties, with the object lock */
  gchar *device;
  gchar *host_api;

  GstPortAudioIO io;
};

GST_ELEMENT_REGISTER_DECLARE (portaudiosink);

G_END_DECLS

#endif /* __GST_PORTAUDIO_SINK_H__ */
