/* gst-omni: helpers shared by portaudiosrc, portaudiosink and the device
 * provider: PortAudio initialisation, device lookup, caps probing, errors.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_PORTAUDIO_UTILS_H__
#define __GST_PORTAUDIO_UTILS_H__

#include <gst/gst.h>
#include <gst/audio/audio.h>
#include <portaudio.h>

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (gst_portaudio_debug);

typedef enum {
  GST_PORTAUDIO_INPUT,
  GST_PORTAUDIO_OUTPUT
} GstPortAudioDirection;

/* The sample formats the elements offer, in order of preference. */
#define GST_PORTAUDIO_FORMATS                                                  \
  "{ " GST_AUDIO_NE (F32) ", " GST_AUDIO_NE (S32) ", " GST_AUDIO_NE (S16) " }"

#define GST_PORTAUDIO_TEMPLATE_CAPS                                            \
  "audio/x-raw, format = (string) " GST_PORTAUDIO_FORMATS ", "                 \
  "layout = (string) interleaved, rate = (int) [ 1, MAX ], "                   \
  "channels = (int) [ 1, MAX ]"

gboolean gst_portaudio_acquire (gchar **debug);
void gst_portaudio_release (void);

void gst_portaudio_lock (void);
void gst_portaudio_unlock (void);

PaDeviceIndex gst_portaudio_find_device (const gchar *host_api,
    const gchar *device, GstPortAudioDirection dir, gint *error_code,
    gchar **message, gchar **debug);

GstCaps *gst_portaudio_probe_caps (
    PaDeviceIndex index, GstPortAudioDirection dir, PaError *error);

gboolean gst_portaudio_sample_format (
    GstAudioFormat format, PaSampleFormat *pa_format);

gchar *gst_portaudio_error_text (PaError err);

gchar *gst_portaudio_describe_refusal (
    const GstCaps *device, const GstCaps *wanted);

const gchar *gst_portaudio_direction_name (GstPortAudioDirection dir);

/* Posts a GST_RESOURCE_ERROR with a runtime error code; takes @text and
 * @debug (both g_malloc'ed). */
#define GST_PORTAUDIO_ELEMENT_ERROR(el, code, text, debug)                     \
  gst_element_message_full (GST_ELEMENT_CAST (el), GST_MESSAGE_ERROR,          \
      GST_RESOURCE_ERROR, (code), (text), (debug), __FILE__, GST_FUNCTION,     \
      __LINE__)

G_END_DECLS

#endif /* __GST_PORTAUDIO_UTILS_H__ */
