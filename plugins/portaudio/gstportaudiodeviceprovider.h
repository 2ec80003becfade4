/* gst-omni: device provider listing PortAudio input and output devices
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_PORTAUDIO_DEVICE_PROVIDER_H__
#define __GST_PORTAUDIO_DEVICE_PROVIDER_H__

#include <gst/gst.h>

#include "gstportaudioutils.h"

G_BEGIN_DECLS

#define GST_TYPE_PORTAUDIO_DEVICE_PROVIDER                                     \
  (gst_portaudio_device_provider_get_type ())
G_DECLARE_FINAL_TYPE (GstPortAudioDeviceProvider, gst_portaudio_device_provider,
    GST, PORTAUDIO_DEVICE_PROVIDER, GstDeviceProvider)

struct _GstPortAudioDeviceProvider {
  GstDeviceProvider parent;
};

#define GST_TYPE_PORTAUDIO_DEVICE (gst_portaudio_device_get_type ())
G_DECLARE_FINAL_TYPE (
    GstPortAudioDevice, gst_portaudio_device, GST, PORTAUDIO_DEVICE, GstDevice)

struct _GstPortAudioDevice {
  GstDevice parent;

  GstPortAudioDirection dir;
  gint index;
  gchar *name;
  gchar *host_api;
};

GST_DEVICE_PROVIDER_REGISTER_DECLARE (portaudiodeviceprovider);

G_END_DECLS

#endif /* __GST_PORTAUDIO_DEVICE_PROVIDER_H__ */
