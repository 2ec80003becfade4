/* gst-omni: portaudiosink, live audio playback through PortAudio
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-portaudiosink
 * @title: portaudiosink
 * @see_also: portaudiosrc, alsasink, pulsesink
 *
 * Plays audio on a PortAudio output device: ALSA, JACK or OSS on Linux,
 * Core Audio on macOS, WASAPI, WDM-KS, DirectSound, MME or ASIO on Windows.
 *
 * A GstAudioSink: the ring buffer thread writes blocks of
 * #GstAudioBaseSink:latency-time with PortAudio's blocking API into a device
 * buffer of about #GstAudioBaseSink:buffer-time (PortAudio's suggested
 * latency). The element provides a #GstAudioClock driven by the samples the
 * device has consumed, minus what is still queued in it. Pausing and stopping
 * abort the stream (what the device still holds is dropped); playing again
 * restarts it.
 *
 * Caps are what PortAudio says the device accepts (Pa_IsFormatSupported),
 * probed when the element goes to READY: F32, S32 and S16 interleaved at the
 * common rates from 8 to 768 kHz and the device's default rate, 1 to 8
 * channels (channel-mask 0 above 2). Upstream that can only produce something
 * else fails with not-negotiated, and the sink posts an error saying what the
 * device refused and what it supports; put audioconvert and audioresample
 * before the sink.
 *
 * Device selection works as for portaudiosrc: #GstPortAudioSink:host-api,
 * and #GstPortAudioSink:device as a PortAudio index, a name, or empty for the
 * default output device.
 *
 * ## Errors
 *
 * All are #GST_RESOURCE_ERROR unless said otherwise; the debug string lists
 * the devices PortAudio knows, or carries PortAudio's error text.
 * - #GST_CORE_ERROR_NEGOTIATION: upstream sent caps the device does not
 *   accept (for example a rate it refuses); the message names what the
 *   device refuses and what it supports ("Audio device 'x' does not support
 *   the sample rate 768000 Hz (it supports 8000, ..., 384000 Hz), which
 *   upstream sent"), the debug string gives both sets of caps. Upstream
 *   then also reports not-negotiated.
 * - #GST_RESOURCE_ERROR_NOT_FOUND (going to READY): unknown index or name,
 *   ambiguous name, a device without output channels, an unavailable host
 *   API, or no default output device.
 * - #GST_RESOURCE_ERROR_SETTINGS: the device accepts none of the formats, or
 *   refused the negotiated rate, channel count or format when opened.
 * - #GST_RESOURCE_ERROR_BUSY: the device is in use.
 * - #GST_RESOURCE_ERROR_OPEN_WRITE: the device could not be opened.
 * - #GST_RESOURCE_ERROR_WRITE (in PLAYING): starting or writing failed, as
 *   when the device is unplugged; the message ends with the system's error
 *   when there is one ("Could not write to audio device 'x': No space left
 *   on device"). What was written before reached the device; the element
 *   then waits to be stopped.
 *
 * Output underflows (the device played silence because data came late) are
 * logged in the `portaudio` debug category.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 audiotestsrc ! audioconvert ! audioresample ! portaudiosink
 * gst-launch-1.0 filesrc location=music.ogg ! decodebin ! audioconvert \
 *     ! audioresample ! portaudiosink host-api=jack
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstportaudiosink.h"

GST_DEBUG_CATEGORY_STATIC (gst_portaudio_sink_debug);
#define GST_CAT_DEFAULT gst_portaudio_sink_debug

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_HOST_API,
  PROP_DEVICE_NAME,
  PROP_DEVICE_INDEX,
  PROP_DEVICE_LATENCY,
};

static GstStaticPadTemplate sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_PORTAUDIO_TEMPLATE_CAPS));

#define gst_portaudio_sink_parent_class parent_class
G_DEFINE_TYPE (GstPortAudioSink, gst_portaudio_sink, GST_TYPE_AUDIO_SINK);
GST_ELEMENT_REGISTER_DEFINE (
    portaudiosink, "portaudiosink", GST_RANK_MARGINAL, GST_TYPE_PORTAUDIO_SINK);

static void
gst_portaudio_sink_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstPortAudioSink *self = GST_PORTAUDIO_SINK (object);

  switch (prop_id) {
  case PROP_DEVICE:
    GST_OBJECT_LOCK (self);
    g_free (self->device);
    self->device = g_value_dup_string (value);
    GST_OBJECT_UNLOCK (self);
    break;
  case PROP_HOST_API:
    GST_OBJECT_LOCK (self);
    g_free (self->host_api);
    self->host_api = g_value_dup_string (value);
    GST_OBJECT_UNLOCK (self);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
}

static void
gst_portaudio_sink_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstPortAudioSink *self = GST_PORTAUDIO_SINK (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_DEVICE:
    g_value_set_string (value, self->device);
    break;
  case PROP_HOST_API:
    g_value_set_string (value, self->host_api);
    break;
  case PROP_DEVICE_NAME:
    g_value_set_string (
        value, self->io.index != paNoDevice ? self->io.device_name : NULL);
    break;
  case PROP_DEVICE_INDEX:
    g_value_set_int (value, self->io.index);
    break;
  case PROP_DEVICE_LATENCY:
    g_value_set_int64 (value, self->io.latency_us);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_portaudio_sink_finalize (GObject *object)
{
  GstPortAudioSink *self = GST_PORTAUDIO_SINK (object);

  g_free (self->device);
  g_free (self->host_api);
  gst_portaudio_io_clear (&self->io);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static GstCaps *
gst_portaudio_sink_get_caps (GstBaseSink *bsink, GstCaps *filter)
{
  GstPortAudioSink *self = GST_PORTAUDIO_SINK (bsink);

  return gst_portaudio_io_get_caps (&self->io, filter, bsink->sinkpad);
}

static gboolean
gst_portaudio_sink_open (GstAudioSink *asink)
{
  GstPortAudioSink *self = GST_PORTAUDIO_SINK (asink);
  gchar *device, *host_api;
  gboolean ret;

  GST_OBJECT_LOCK (self);
  device = g_strdup (self->device);
  host_api = g_strdup (self->host_api);
  GST_OBJECT_UNLOCK (self);

  ret = gst_portaudio_io_open_device (&self->io, host_api, device);
  g_free (device);
  g_free (host_api);
  return ret;
}

static gboolean
gst_portaudio_sink_close (GstAudioSink *asink)
{
  GstPortAudioSink *self = GST_PORTAUDIO_SINK (asink);

  gst_portaudio_io_close_device (&self->io);
  return TRUE;
}

static gboolean
gst_portaudio_sink_prepare (GstAudioSink *asink, GstAudioRingBufferSpec *spec)
{
  GstPortAudioSink *self = GST_PORTAUDIO_SINK (asink);

  return gst_portaudio_io_prepare (&self->io, spec);
}

static gboolean
gst_portaudio_sink_unprepare (GstAudioSink *asink)
{
  GstPortAudioSink *self = GST_PORTAUDIO_SINK (asink);

  gst_portaudio_io_unprepare (&self->io);
  return TRUE;
}

static gint
gst_portaudio_sink_write (GstAudioSink *asink, gpointer data, guint length)
{
  GstPortAudioSink *self = GST_PORTAUDIO_SINK (asink);

  return gst_portaudio_io_transfer (&self->io, data, length);
}

static guint
gst_portaudio_sink_delay (GstAudioSink *asink)
{
  GstPortAudioSink *self = GST_PORTAUDIO_SINK (asink);

  return gst_portaudio_io_delay (&self->io);
}

/* reset, pause and stop all abort the stream: PortAudio has no pause, and
 * Pa_StopStream would block until the device buffer has played out. */
static void
gst_portaudio_sink_reset (GstAudioSink *asink)
{
  GstPortAudioSink *self = GST_PORTAUDIO_SINK (asink);

  gst_portaudio_io_reset (&self->io);
}

/* Caps the device refuses never reach the element: the pad's accept-caps
 * check (the device's caps) fails the CAPS event before its event function,
 * and only upstream reports a bare not-negotiated. This probe sees the event
 * first, and says which device refused what. */
static GstPadProbeReturn
gst_portaudio_sink_caps_probe (
    GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstPortAudioSink *self = GST_PORTAUDIO_SINK (user_data);
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstCaps *caps, *device = NULL;
  gchar *name = NULL, *what;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;
  gst_event_parse_caps (event, &caps);
  GST_OBJECT_LOCK (self);
  if (self->io.caps) {
    device = gst_caps_ref (self->io.caps);
    name = g_strdup (self->io.device_name);
  }
  GST_OBJECT_UNLOCK (self);
  if (device && !gst_caps_can_intersect (caps, device)) {
    what = gst_portaudio_describe_refusal (device, caps);
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Audio device '%s' does not support %s, which upstream sent", name,
            what),
        ("upstream sent %" GST_PTR_FORMAT "; the device accepts "
         "%" GST_PTR_FORMAT,
            caps, device));
    g_free (what);
  }
  if (device)
    gst_caps_unref (device);
  g_free (name);
  return GST_PAD_PROBE_OK;
}

static GstStateChangeReturn
gst_portaudio_sink_change_state (GstElement *element, GstStateChange transition)
{
  GstPortAudioSink *self = GST_PORTAUDIO_SINK (element);

  /* after a device error the ring buffer is in its error state, from which
   * GStreamer 1.22's gst_audio_ring_buffer_stop() does not call reset:
   * unblock the ring buffer thread before it is joined */
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    gst_portaudio_io_reset (&self->io);
  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}

static void
gst_portaudio_sink_class_init (GstPortAudioSinkClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *basesink_class = GST_BASE_SINK_CLASS (klass);
  GstAudioSinkClass *audiosink_class = GST_AUDIO_SINK_CLASS (klass);

  gobject_class->set_property = gst_portaudio_sink_set_property;
  gobject_class->get_property = gst_portaudio_sink_get_property;
  gobject_class->finalize = gst_portaudio_sink_finalize;

  /**
   * GstPortAudioSink:device:
   *
   * The output device: a PortAudio device index, a device name, or empty for
   * the default output device (of #GstPortAudioSink:host-api if set).
   */
  g_object_class_install_property (gobject_class, PROP_DEVICE,
      g_param_spec_string ("device", "Device",
          "PortAudio device index or name (empty: the default output device)",
          NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));

  /**
   * GstPortAudioSink:host-api:
   *
   * Restricts the device to one PortAudio host API, by PortAudio name or
   * alias (alsa, jack, oss, coreaudio, wasapi, asio, mme, directsound,
   * wdmks, asihpi), case-insensitive. Empty: any host API.
   */
  g_object_class_install_property (gobject_class, PROP_HOST_API,
      g_param_spec_string ("host-api", "Host API",
          "PortAudio host API name or alias (alsa, jack, oss, coreaudio, "
          "wasapi, asio, ...); empty: any",
          NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));

  /**
   * GstPortAudioSink:device-name:
   *
   * The name of the device in use, from READY on; %NULL before.
   */
  g_object_class_install_property (gobject_class, PROP_DEVICE_NAME,
      g_param_spec_string ("device-name", "Device name",
          "Name of the PortAudio device in use (from READY on)", NULL,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstPortAudioSink:device-index:
   *
   * The PortAudio index of the device in use, from READY on; -1 before.
   */
  g_object_class_install_property (gobject_class, PROP_DEVICE_INDEX,
      g_param_spec_int ("device-index", "Device index",
          "PortAudio index of the device in use (from READY on; -1 before)", -1,
          G_MAXINT, -1, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstPortAudioSink:device-latency:
   *
   * The output latency PortAudio reports for the open stream, in
   * microseconds; -1 while no stream is open.
   */
  g_object_class_install_property (gobject_class, PROP_DEVICE_LATENCY,
      g_param_spec_int64 ("device-latency", "Device latency",
          "Output latency PortAudio reports for the open stream, in "
          "microseconds (-1: not open)",
          -1, G_MAXINT64, -1, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  element_class->change_state
      = GST_DEBUG_FUNCPTR (gst_portaudio_sink_change_state);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class, "PortAudio audio sink",
      "Sink/Audio/Hardware",
      "Plays audio on a PortAudio device (ALSA, JACK, OSS, Core Audio, "
      "WASAPI, ASIO, ...)",
      "gst-omni developers");

  basesink_class->get_caps = GST_DEBUG_FUNCPTR (gst_portaudio_sink_get_caps);

  audiosink_class->open = GST_DEBUG_FUNCPTR (gst_portaudio_sink_open);
  audiosink_class->close = GST_DEBUG_FUNCPTR (gst_portaudio_sink_close);
  audiosink_class->prepare = GST_DEBUG_FUNCPTR (gst_portaudio_sink_prepare);
  audiosink_class->unprepare = GST_DEBUG_FUNCPTR (gst_portaudio_sink_unprepare);
  audiosink_class->write = GST_DEBUG_FUNCPTR (gst_portaudio_sink_write);
  audiosink_class->delay = GST_DEBUG_FUNCPTR (gst_portaudio_sink_delay);
  audiosink_class->reset = GST_DEBUG_FUNCPTR (gst_portaudio_sink_reset);
  audiosink_class->pause = GST_DEBUG_FUNCPTR (gst_portaudio_sink_reset);
  audiosink_class->stop = GST_DEBUG_FUNCPTR (gst_portaudio_sink_reset);

  GST_DEBUG_CATEGORY_INIT (
      gst_portaudio_sink_debug, "portaudiosink", 0, "PortAudio audio sink");
}

static void
gst_portaudio_sink_init (GstPortAudioSink *self)
{
  gst_portaudio_io_init (&self->io, GST_ELEMENT (self), GST_PORTAUDIO_OUTPUT);
  gst_pad_add_probe (GST_BASE_SINK_PAD (self),
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, gst_portaudio_sink_caps_probe, self,
      NULL);
}
