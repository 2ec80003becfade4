/* gst-omni: device provider listing PortAudio input and output devices
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:provider-portaudiodeviceprovider
 * @title: portaudiodeviceprovider
 *
 * Lists every PortAudio device, of every host API PortAudio was built with,
 * as a #GstDevice of class "Audio/Source" (devices with input channels) and/or
 * "Audio/Sink" (devices with output channels), with the caps PortAudio says
 * the device accepts (the same probe portaudiosrc and portaudiosink use).
 * gst_device_create_element() gives a portaudiosrc or portaudiosink with
 * `device` and `host-api` set.
 *
 * Device properties (the #GstDevice "properties" structure):
 * - `device.api` (string): "portaudio"
 * - `portaudio.device-index` (int): the PortAudio device index
 * - `portaudio.device-name` (string): the PortAudio device name
 * - `portaudio.host-api` (string): the host API name ("ALSA", "JACK Audio
 *   Connection Kit", "Core Audio", "Windows WASAPI", ...)
 * - `portaudio.max-channels` (int): input (sources) or output (sinks)
 *   channels the device reports
 * - `portaudio.default-sample-rate` (double): the device's default rate, Hz
 * - `portaudio.default-low-latency`, `portaudio.default-high-latency`
 *   (double): PortAudio's default latencies for the direction, seconds
 * - `is-default` (boolean): the default input (sources) or output (sinks)
 *   device of PortAudio
 *
 * PortAudio v19 has no hot-plug notification, so the provider is static:
 * devices are enumerated when it is probed or started. PortAudio enumerates
 * devices only when its first user initialises it; while a portaudiosrc or
 * portaudiosink is open in the same process, the list is the one from then.
 *
 * |[
 * gst-device-monitor-1.0 Audio/Source
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstportaudiodeviceprovider.h"

GST_DEBUG_CATEGORY_STATIC (gst_portaudio_device_provider_debug);
#define GST_CAT_DEFAULT gst_portaudio_device_provider_debug

G_DEFINE_TYPE (GstPortAudioDevice, gst_portaudio_device, GST_TYPE_DEVICE);
G_DEFINE_TYPE (GstPortAudioDeviceProvider, gst_portaudio_device_provider,
    GST_TYPE_DEVICE_PROVIDER);
GST_DEVICE_PROVIDER_REGISTER_DEFINE (portaudiodeviceprovider,
    "portaudiodeviceprovider", GST_RANK_MARGINAL,
    GST_TYPE_PORTAUDIO_DEVICE_PROVIDER);

static const gchar *
element_name (GstPortAudioDirection dir)
{
  return dir == GST_PORTAUDIO_INPUT ? "portaudiosrc" : "portaudiosink";
}

static GstElement *
gst_portaudio_device_create_element (GstDevice *device, const gchar *name)
{
  GstPortAudioDevice *self = GST_PORTAUDIO_DEVICE (device);
  GstElement *elem = gst_element_factory_make (element_name (self->dir), name);

  if (elem)
    g_object_set (elem, "device", self->name, "host-api", self->host_api, NULL);
  return elem;
}

static gboolean
gst_portaudio_device_reconfigure_element (
    GstDevice *device, GstElement *element)
{
  GstPortAudioDevice *self = GST_PORTAUDIO_DEVICE (device);
  GstElementFactory *factory = gst_element_get_factory (element);

  if (factory == NULL
      || g_strcmp0 (GST_OBJECT_NAME (factory), element_name (self->dir)) != 0)
    return FALSE;
  g_object_set (
      element, "device", self->name, "host-api", self->host_api, NULL);
  return TRUE;
}

static void
gst_portaudio_device_finalize (GObject *object)
{
  GstPortAudioDevice *self = GST_PORTAUDIO_DEVICE (object);

  g_free (self->name);
  g_free (self->host_api);
  G_OBJECT_CLASS (gst_portaudio_device_parent_class)->finalize (object);
}

static void
gst_portaudio_device_class_init (GstPortAudioDeviceClass *klass)
{
  GstDeviceClass *device_class = GST_DEVICE_CLASS (klass);
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->finalize = gst_portaudio_device_finalize;
  device_class->create_element
      = GST_DEBUG_FUNCPTR (gst_portaudio_device_create_element);
  device_class->reconfigure_element
      = GST_DEBUG_FUNCPTR (gst_portaudio_device_reconfigure_element);
}

static void
gst_portaudio_device_init (GstPortAudioDevice *self)
{
  self->index = paNoDevice;
}

static GstDevice *
make_device (PaDeviceIndex index, GstPortAudioDirection dir)
{
  const PaDeviceInfo *info = Pa_GetDeviceInfo (index);
  const PaHostApiInfo *api = Pa_GetHostApiInfo (info->hostApi);
  gboolean input = dir == GST_PORTAUDIO_INPUT;
  GstPortAudioDevice *device;
  GstStructure *props;
  GstCaps *caps;

  caps = gst_portaudio_probe_caps (index, dir, NULL);
  if (gst_caps_is_empty (caps)) {
    GST_INFO ("skipping %s device %d '%s': no format accepted",
        gst_portaudio_direction_name (dir), index, info->name);
    gst_caps_unref (caps);
    return NULL;
  }

  props = gst_structure_new ("portaudio-proplist", "device.api", G_TYPE_STRING,
      "portaudio", "portaudio.device-index", G_TYPE_INT, index,
      "portaudio.device-name", G_TYPE_STRING, info->name, "portaudio.host-api",
      G_TYPE_STRING, api ? api->name : "", "portaudio.max-channels", G_TYPE_INT,
      input ? info->maxInputChannels : info->maxOutputChannels,
      "portaudio.default-sample-rate", G_TYPE_DOUBLE, info->defaultSampleRate,
      "portaudio.default-low-latency", G_TYPE_DOUBLE,
      input ? info->defaultLowInputLatency : info->defaultLowOutputLatency,
      "portaudio.default-high-latency", G_TYPE_DOUBLE,
      input ? info->defaultHighInputLatency : info->defaultHighOutputLatency,
      "is-default", G_TYPE_BOOLEAN,
      index
          == (input ? Pa_GetDefaultInputDevice ()
                    : Pa_GetDefaultOutputDevice ()),
      NULL);

  device = g_object_new (GST_TYPE_PORTAUDIO_DEVICE, "display-name", info->name,
      "caps", caps, "device-class", input ? "Audio/Source" : "Audio/Sink",
      "properties", props, NULL);
  device->dir = dir;
  device->index = index;
  device->name = g_strdup (info->name);
  device->host_api = g_strdup (api ? api->name : NULL);

  gst_structure_free (props);
  gst_caps_unref (caps);
  return GST_DEVICE (device);
}

static GList *
gst_portaudio_device_provider_probe (GstDeviceProvider *provider)
{
  GList *devices = NULL;
  gchar *debug = NULL;
  gint i, n;

  if (!gst_portaudio_acquire (&debug)) {
    GST_WARNING_OBJECT (provider, "PortAudio unavailable: %s", debug);
    g_free (debug);
    return NULL;
  }

  gst_portaudio_lock ();
  n = Pa_GetDeviceCount ();
  for (i = 0; i < n; i++) {
    const PaDeviceInfo *info = Pa_GetDeviceInfo (i);
    GstDevice *dev;

    if (info->maxInputChannels > 0
        && (dev = make_device (i, GST_PORTAUDIO_INPUT)))
      devices = g_list_prepend (devices, dev);
    if (info->maxOutputChannels > 0
        && (dev = make_device (i, GST_PORTAUDIO_OUTPUT)))
      devices = g_list_prepend (devices, dev);
  }
  gst_portaudio_unlock ();
  gst_portaudio_release ();

  GST_DEBUG_OBJECT (provider, "%u devices", g_list_length (devices));
  return g_list_reverse (devices);
}

static void
gst_portaudio_device_provider_class_init (
    GstPortAudioDeviceProviderClass *klass)
{
  GstDeviceProviderClass *provider_class = GST_DEVICE_PROVIDER_CLASS (klass);

  provider_class->probe
      = GST_DEBUG_FUNCPTR (gst_portaudio_device_provider_probe);

  gst_device_provider_class_set_static_metadata (provider_class,
      "PortAudio device provider", "Source/Sink/Audio",
      "Lists the input and output devices of every PortAudio host API",
      "gst-omni developers");

  GST_DEBUG_CATEGORY_INIT (gst_portaudio_device_provider_debug,
      "portaudiodeviceprovider", 0, "PortAudio device provider");
}

static void
gst_portaudio_device_provider_init (GstPortAudioDeviceProvider *self)
{
}
