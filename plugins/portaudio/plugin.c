/* gst-omni: the `portaudio` plugin (portaudiosrc, portaudiosink and a device
 * provider)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>

#include "gstportaudiodeviceprovider.h"
#include "gstportaudiosink.h"
#include "gstportaudiosrc.h"
#include "gstportaudioutils.h"

static gboolean
plugin_init (GstPlugin *plugin)
{
  gboolean ret = FALSE;

  GST_DEBUG_CATEGORY_INIT (gst_portaudio_debug, "portaudio", 0,
      "PortAudio initialisation, devices and streams");

  ret |= GST_ELEMENT_REGISTER (portaudiosrc, plugin);
  ret |= GST_ELEMENT_REGISTER (portaudiosink, plugin);
  ret |= GST_DEVICE_PROVIDER_REGISTER (portaudiodeviceprovider, plugin);

  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, portaudio,
    "Live audio capture and playback through PortAudio", plugin_init, VERSION,
    GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
