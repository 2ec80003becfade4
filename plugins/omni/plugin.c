/* gst-omni: the `omni` plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include "gstomnicensor.h"
#include "gstomnifusion.h"
#include "gstomnisampler.h"
#include "gstomnirhythm.h"
#ifdef HAVE_MOSQUITTO
#include "gstomnipublish.h"
#endif
#if HAVE_OMNISPEECH
#include "gstomnispeech.h"
#endif
#if HAVE_VULKAN
#include "gstomnivisionenc.h"
#include "gstomniaudioenc.h"
#endif
#include "gstomnidetect.h"
#ifdef HAVE_TESSERACT
#include "gstomniocr.h"
#endif
#ifdef HAVE_OMNIOVERLAY
#include "gstomnioverlay.h"
#endif
#ifdef HAVE_OMNIVAD
#include "gstomnivad.h"
#endif

static gboolean
plugin_init (GstPlugin *plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (omnicensor, plugin);
  ret |= GST_ELEMENT_REGISTER (omnifusion, plugin);
  ret |= GST_ELEMENT_REGISTER (omnisampler, plugin);
  ret |= GST_ELEMENT_REGISTER (omnirhythm, plugin);
  ret |= GST_ELEMENT_REGISTER (omnidetect, plugin);
#ifdef HAVE_MOSQUITTO
  ret |= GST_ELEMENT_REGISTER (omnipublish, plugin);
#endif
#if HAVE_OMNISPEECH
  ret |= GST_ELEMENT_REGISTER (omnispeech, plugin);
#endif
#if HAVE_VULKAN
  ret |= GST_ELEMENT_REGISTER (omnivisionenc, plugin);
  ret |= GST_ELEMENT_REGISTER (omniaudioenc, plugin);
#endif
#ifdef HAVE_TESSERACT
  ret |= GST_ELEMENT_REGISTER (omniocr, plugin);
#endif
#ifdef HAVE_OMNIOVERLAY
  ret |= GST_ELEMENT_REGISTER (omnioverlay, plugin);
#endif
#ifdef HAVE_OMNIVAD
  ret |= GST_ELEMENT_REGISTER (omnivad, plugin);
#endif

  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, omni,
    "Real-time multimodal analysis and moderation of live audio and video",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
