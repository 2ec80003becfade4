/* gst-omni: portaudiosrc, live audio capture through PortAudio
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_PORTAUDIO_SRC_H__
#define __GST_PORTAUDIO_SRC_H__

#include <gst/gst.h>
#include <gst/audio/gstaudiosrc.h>

#include "gstportaudioio.h"

G_BEGIN_DECLS

#define GST_TYPE_PORTAUDIO_SRC (gst_portaudio_src_get_type ())
G_DECLARE_FINAL_TYPE (
    GstPortAudioSrc, gst_portaudio_src, GST, PORTAUDIO_SRC, GstAudioSrc)

struct _GstPortAudioSrc {
  GstAudioSrc parent;

  /* properties, with the object lock */
  gchar *device;
  gchar *host_api;

  GstPortAudioIO io;

  /* streaming thread only, from READY->PAUSED */
  guint64 next_offset; /* end of the last buffer pushed; -1: none yet */
  /* what `stats` reports, with the object lock; reset at READY->PAUSED */
  guint64 captured; /* samples pushed */
  guint64 lost;     /* samples missing between pushed buffers */
  guint64 overruns; /* blocks overwritten before they were pushed */
  guint discont;    /* buffers after a gap (DISCONT) */
};

GST_ELEMENT_REGISTER_DECLARE (portaudiosrc);

G_END_DECLS

#endif /* __GST_PORTAUDIO_SRC_H__ */
