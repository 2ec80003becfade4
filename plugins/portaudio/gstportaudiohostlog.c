/* gst-omni: the host audio libraries' own messages into GStreamer's log
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * PortAudio probes every host API when it initialises. On a machine without
 * a sound card or a JACK server, alsa-lib and libjack print dozens of lines
 * to stderr ("ALSA lib pcm.c:… Unknown PCM cards.pcm.front", "Cannot connect
 * to server socket", …) before any real error, burying it. Both libraries
 * let an application take their messages: they go to the `portaudio` debug
 * category instead (GST_DEBUG=portaudio:4 shows them), and what went wrong
 * is still reported by the elements' errors.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>

#include "gstportaudiohostlog.h"
#include "gstportaudioutils.h"

#if HAVE_ALSA
#include <alsa/asoundlib.h>
#endif
#if HAVE_JACK
#include <jack/jack.h>
#endif

#define GST_CAT_DEFAULT gst_portaudio_debug

#if HAVE_ALSA
static void
alsa_message (const char *file, int line, const char *function, int err,
    const char *fmt, ...)
{
  va_list ap;
  gchar *msg;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  GST_INFO ("ALSA lib %s:%d:(%s) %s%s%s", file, line, function, msg,
      err ? ": " : "", err ? snd_strerror (err) : "");
  g_free (msg);
}
#endif

#if HAVE_JACK
static void
jack_error_message (const char *msg)
{
  GST_INFO ("JACK: %s", msg);
}

static void
jack_info_message (const char *msg)
{
  GST_DEBUG ("JACK: %s", msg);
}
#endif

void
gst_portaudio_host_log_install (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;
#if HAVE_ALSA
  snd_lib_error_set_handler (alsa_message);
#endif
#if HAVE_JACK
  jack_set_error_function (jack_error_message);
  jack_set_info_function (jack_info_message);
#endif
  g_once_init_leave (&done, 1);
}
