/* gst-omni: portaudiosrc, live audio capture through PortAudio
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-portaudiosrc
 * @title: portaudiosrc
 * @see_also: portaudiosink, alsasrc, pulsesrc
 *
 * Captures audio from a PortAudio input device: ALSA, JACK or OSS on Linux,
 * Core Audio on macOS, WASAPI, WDM-KS, DirectSound, MME or ASIO on Windows,
 * through one element and one set of properties.
 *
 * The element is a live source (GstAudioSrc): it produces nothing in PAUSED,
 * and in PLAYING it reads blocks of #GstAudioBaseSrc:latency-time from the
 * device with PortAudio's blocking API, into a ring buffer of
 * #GstAudioBaseSrc:buffer-time. It provides a #GstAudioClock driven by the
 * device position (samples the device captured), so when it is the pipeline
 * clock, running time follows the device's own sample clock. Buffer
 * timestamps are the sample position divided by the rate;
 * #GST_BUFFER_OFFSET is the sample position.
 *
 * Pausing stops the device (nothing captured while paused comes out later)
 * and holds the clock at the time the pipeline paused, so timestamps go on
 * after a resume from where they stopped.
 *
 * Caps are what PortAudio says the device accepts (Pa_IsFormatSupported):
 * F32, S32 and S16 interleaved at the common rates from 8 to 768 kHz and
 * the device's default rate, 1 to 8 channels (channel-mask 0 above 2). They
 * are probed when the element goes to READY, so the device must be
 * resolvable then.
 *
 * Device selection: #GstPortAudioSrc:host-api restricts the search to one
 * host API; #GstPortAudioSrc:device is a PortAudio device index (as listed by
 * `gst-device-monitor-1.0 Audio/Source`, property `portaudio.device-index`),
 * or a name (exact, then case-insensitive, then a case-insensitive substring
 * that must match exactly one device), or empty for the default input device.
 *
 * ## Errors
 *
 * All are #GST_RESOURCE_ERROR unless said otherwise; the debug string lists
 * the devices PortAudio knows, or carries PortAudio's error text.
 * - #GST_RESOURCE_ERROR_NOT_FOUND (going to READY): the device index does not
 *   exist, no device matches the name, the name is ambiguous, the device has
 *   no input channels, the host API is not available, or there is no default
 *   input device. PortAudio lists the devices when it is first initialised,
 *   and leaves out those that were busy or missing then.
 * - #GST_RESOURCE_ERROR_SETTINGS: the device accepts none of the formats, or
 *   refused the negotiated rate, channel count or format when opened.
 * - #GST_CORE_ERROR_NEGOTIATION: downstream requires a format the device does
 *   not offer (for example a rate it refuses); the message names what the
 *   device refuses and what it supports ("Audio device 'x' does not support
 *   the sample rate 768000 Hz (it supports 8000, ..., 384000 Hz), which
 *   downstream requires"), the debug string gives both sets of caps.
 * - #GST_RESOURCE_ERROR_BUSY: the device is in use by another application
 *   (or element), when probed going to READY or when the stream is opened.
 * - #GST_RESOURCE_ERROR_OPEN_READ: the device could not be opened.
 * - #GST_RESOURCE_ERROR_READ (in PLAYING): starting or reading failed, as when
 *   the device is unplugged; the message ends with the system's error when
 *   there is one ("Could not read from audio device 'x': No space left on
 *   device"). Everything read before was pushed; the element then waits to
 *   be stopped.
 *
 * ## Losses
 *
 * Samples lost because downstream (or the streaming thread, on a busy
 * machine) is slower than #GstAudioBaseSrc:buffer-time produce the usual
 * GstAudioBaseSrc DISCONT and "Can't record audio fast enough" warning, and
 * the offset gap is the number of samples missing: a block the ring buffer
 * thread overwrote while, or before, it was copied is dropped rather than
 * pushed as silence or torn data. Input overflows (the ring buffer thread
 * did not read in time) are logged as warnings in the `portaudio` debug
 * category, estimated in samples and mark the next buffer DISCONT.
 * #GstPortAudioSrc:stats counts all of these. The capture thread asks for
 * real-time scheduling (SCHED_FIFO) and keeps normal scheduling where the
 * system refuses it.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 portaudiosrc ! audioconvert ! autoaudiosink
 * gst-launch-1.0 portaudiosrc host-api=alsa device=default latency-time=10000 \
 *     ! audio/x-raw,rate=48000,channels=1 ! audioconvert ! wavenc \
 *     ! filesink location=mic.wav
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstportaudiosrc.h"

GST_DEBUG_CATEGORY_STATIC (gst_portaudio_src_debug);
#define GST_CAT_DEFAULT gst_portaudio_src_debug

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_HOST_API,
  PROP_DEVICE_NAME,
  PROP_DEVICE_INDEX,
  PROP_DEVICE_LATENCY,
  PROP_STATS,
};

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (GST_PORTAUDIO_TEMPLATE_CAPS));

#define gst_portaudio_src_parent_class parent_class
G_DEFINE_TYPE (GstPortAudioSrc, gst_portaudio_src, GST_TYPE_AUDIO_SRC);
GST_ELEMENT_REGISTER_DEFINE (
    portaudiosrc, "portaudiosrc", GST_RANK_MARGINAL, GST_TYPE_PORTAUDIO_SRC);

/* With the object lock. */
static GstStructure *
gst_portaudio_src_stats (GstPortAudioSrc *self)
{
  guint64 overflows, overflow_lost;
  gboolean realtime;

  gst_portaudio_io_input_stats (
      &self->io, &overflows, &overflow_lost, &realtime);
  return gst_structure_new ("application/x-portaudiosrc-stats",
      "captured-samples", G_TYPE_UINT64, self->captured, "lost-samples",
      G_TYPE_UINT64, self->lost, "discontinuities", G_TYPE_UINT, self->discont,
      "ring-overruns", G_TYPE_UINT64, self->overruns, "device-overflows",
      G_TYPE_UINT64, overflows, "device-lost-samples", G_TYPE_UINT64,
      overflow_lost, "realtime", G_TYPE_BOOLEAN, realtime, NULL);
}

static void
gst_portaudio_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstPortAudioSrc *self = GST_PORTAUDIO_SRC (object);

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
gst_portaudio_src_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstPortAudioSrc *self = GST_PORTAUDIO_SRC (object);

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
  case PROP_STATS:
    g_value_take_boxed (value, gst_portaudio_src_stats (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_portaudio_src_finalize (GObject *object)
{
  GstPortAudioSrc *self = GST_PORTAUDIO_SRC (object);

  g_free (self->device);
  g_free (self->host_api);
  gst_portaudio_io_clear (&self->io);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static GstCaps *
gst_portaudio_src_get_caps (GstBaseSrc *bsrc, GstCaps *filter)
{
  GstPortAudioSrc *self = GST_PORTAUDIO_SRC (bsrc);

  return gst_portaudio_io_get_caps (&self->io, filter, bsrc->srcpad);
}

static GstCaps *
gst_portaudio_src_fixate (GstBaseSrc *bsrc, GstCaps *caps)
{
  GstPortAudioSrc *self = GST_PORTAUDIO_SRC (bsrc);
  gint rate;
  guint i;

  /* prefer the device's own rate, then let GstAudioBaseSrc fix the rest */
  GST_OBJECT_LOCK (self);
  rate = (gint) (self->io.default_rate + 0.5);
  GST_OBJECT_UNLOCK (self);
  if (rate > 0) {
    caps = gst_caps_make_writable (caps);
    for (i = 0; i < gst_caps_get_size (caps); i++)
      gst_structure_fixate_field_nearest_int (
          gst_caps_get_structure (caps, i), "rate", rate);
  }
  return GST_BASE_SRC_CLASS (parent_class)->fixate (bsrc, caps);
}

/* GstBaseSrc only says "not-negotiated"; say which device and why. */
static gboolean
gst_portaudio_src_negotiate (GstBaseSrc *bsrc)
{
  GstPortAudioSrc *self = GST_PORTAUDIO_SRC (bsrc);
  GstCaps *ours, *peer;
  gboolean ret;

  ret = GST_BASE_SRC_CLASS (parent_class)->negotiate (bsrc);
  if (ret)
    return TRUE;

  ours = gst_pad_query_caps (bsrc->srcpad, NULL);
  peer = gst_pad_peer_query_caps (bsrc->srcpad, NULL);
  if (peer && !gst_caps_can_intersect (ours, peer)) {
    gchar *name, *what = gst_portaudio_describe_refusal (ours, peer);

    GST_OBJECT_LOCK (self);
    name = g_strdup (self->io.device_name);
    GST_OBJECT_UNLOCK (self);
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Audio device '%s' does not support %s, which downstream requires",
            GST_STR_NULL (name), what),
        ("device accepts %" GST_PTR_FORMAT "; downstream accepts "
         "%" GST_PTR_FORMAT,
            ours, peer));
    g_free (what);
    g_free (name);
  }
  gst_caps_unref (ours);
  if (peer)
    gst_caps_unref (peer);
  return FALSE;
}

static gboolean
gst_portaudio_src_open (GstAudioSrc *asrc)
{
  GstPortAudioSrc *self = GST_PORTAUDIO_SRC (asrc);
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
gst_portaudio_src_close (GstAudioSrc *asrc)
{
  GstPortAudioSrc *self = GST_PORTAUDIO_SRC (asrc);

  gst_portaudio_io_close_device (&self->io);
  return TRUE;
}

static gboolean
gst_portaudio_src_prepare (GstAudioSrc *asrc, GstAudioRingBufferSpec *spec)
{
  GstPortAudioSrc *self = GST_PORTAUDIO_SRC (asrc);

  return gst_portaudio_io_prepare (&self->io, spec);
}

static gboolean
gst_portaudio_src_unprepare (GstAudioSrc *asrc)
{
  GstPortAudioSrc *self = GST_PORTAUDIO_SRC (asrc);

  gst_portaudio_io_unprepare (&self->io);
  return TRUE;
}

static guint
gst_portaudio_src_read (
    GstAudioSrc *asrc, gpointer data, guint length, GstClockTime *timestamp)
{
  GstPortAudioSrc *self = GST_PORTAUDIO_SRC (asrc);

  /* no device timestamp: GstAudioBaseSrc times samples by their count */
  return (guint) gst_portaudio_io_transfer (&self->io, data, length);
}

/* Whether the ring buffer thread has started overwriting the oldest
 * segment of @buf (ring buffer samples from GST_BUFFER_OFFSET) by now: then
 * GstAudioRingBuffer's read gave silence for it (it "pretends we read an
 * empty segment" once the writer is a whole ring ahead) or a copy torn by
 * the writer. Checked after the copy, so a buffer that passes holds what the
 * device captured. */
static gboolean
gst_portaudio_src_overwritten (GstAudioBaseSrc *asrc, GstBuffer *buf)
{
  GstAudioRingBuffer *rb = asrc->ringbuffer;
  gint segdone, first;

  if (rb == NULL || rb->samples_per_seg <= 0)
    return FALSE;
  segdone = g_atomic_int_get (&rb->segdone) - rb->segbase;
  first = (gint) (GST_BUFFER_OFFSET (buf) / rb->samples_per_seg);
  return segdone - first >= rb->spec.segtotal;
}

/* Counts what the buffer about to be pushed says: samples, and the gap
 * since the previous one (GstAudioBaseSrc's resynchronisation after an
 * overrun, marked DISCONT). */
static void
gst_portaudio_src_account (GstPortAudioSrc *self, GstBuffer *buf)
{
  guint64 offset = GST_BUFFER_OFFSET (buf);
  guint64 end = GST_BUFFER_OFFSET_END (buf);

  GstAudioRingBuffer *rb = GST_AUDIO_BASE_SRC (self)->ringbuffer;
  gboolean overflow = FALSE;

  /* the device dropped samples before this buffer's (not in the offsets) */
  if (rb && rb->samples_per_seg > 0)
    overflow = gst_portaudio_io_take_overflow (
        &self->io, (gint64) ((end - 1) / rb->samples_per_seg));

  GST_OBJECT_LOCK (self);
  self->captured += end - offset;
  if (self->next_offset != (guint64) -1
      && (offset != self->next_offset || overflow)) {
    self->lost += offset > self->next_offset ? offset - self->next_offset : 0;
    self->discont++;
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
  }
  GST_OBJECT_UNLOCK (self);
  self->next_offset = end;
}

/* GstAudioBaseSrc's create, but a buffer whose samples the ring buffer
 * thread overwrote while (or before) it was copied is not pushed: it would
 * be silence, or a mix of two blocks, with offsets saying nothing was lost.
 * Its samples count as lost; GstAudioBaseSrc is told it has not delivered
 * them (next_sample), so the next create resynchronises on the newest
 * segment and posts "Can't record audio fast enough" with the real number
 * of samples dropped, and the buffer after the gap is DISCONT. */
static GstFlowReturn
gst_portaudio_src_create (
    GstBaseSrc *bsrc, guint64 offset, guint length, GstBuffer **outbuf)
{
  GstPortAudioSrc *self = GST_PORTAUDIO_SRC (bsrc);
  GstAudioBaseSrc *asrc = GST_AUDIO_BASE_SRC (bsrc);
  GstBuffer *given = *outbuf;
  GstFlowReturn ret;
  guint tries;

  for (tries = 0;; tries++) {
    ret = GST_BASE_SRC_CLASS (parent_class)
              ->create (bsrc, offset, length, outbuf);
    if (ret != GST_FLOW_OK)
      return ret;
    /* a caller's buffer cannot be given back; give up after many laps */
    if (given != NULL || tries >= 64
        || !gst_portaudio_src_overwritten (asrc, *outbuf))
      break;
    GST_INFO_OBJECT (self,
        "samples %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
        " were overwritten before they were pushed: dropped",
        GST_BUFFER_OFFSET (*outbuf), GST_BUFFER_OFFSET_END (*outbuf));
    GST_OBJECT_LOCK (self);
    self->overruns++;
    GST_OBJECT_UNLOCK (self);
    asrc->next_sample = GST_BUFFER_OFFSET (*outbuf);
    gst_buffer_unref (*outbuf);
    *outbuf = NULL;
  }
  gst_portaudio_src_account (self, *outbuf);
  return GST_FLOW_OK;
}

static guint
gst_portaudio_src_delay (GstAudioSrc *asrc)
{
  GstPortAudioSrc *self = GST_PORTAUDIO_SRC (asrc);

  return gst_portaudio_io_delay (&self->io);
}

static void
gst_portaudio_src_reset (GstAudioSrc *asrc)
{
  GstPortAudioSrc *self = GST_PORTAUDIO_SRC (asrc);

  gst_portaudio_io_reset (&self->io);
}

/* The device position (frames) at which the pipeline paused: it took the
 * running time of the pause from the clock (start_time) before pausing its
 * children, and resumes with base_time = clock - start_time. When the clock
 * is ours, base_time + start_time is the clock's time then, which the clock
 * keeps while paused; otherwise -1 (the position when the stream stops). */
static gint64
gst_portaudio_src_pause_position (GstPortAudioSrc *self)
{
  GstAudioBaseSrc *asrc = GST_AUDIO_BASE_SRC (self);
  GstClock *clock;
  GstClockTime base_time, start_time;
  GstClockTimeDiff offset, t;
  gint rate = 0;
  gint64 pos = -1;

  GST_OBJECT_LOCK (self);
  clock = GST_ELEMENT_CLOCK (self);
  if (clock)
    gst_object_ref (clock);
  base_time = GST_ELEMENT_CAST (self)->base_time;
  start_time = GST_ELEMENT_START_TIME (self);
  if (asrc->ringbuffer)
    rate = GST_AUDIO_INFO_RATE (&asrc->ringbuffer->spec.info);
  GST_OBJECT_UNLOCK (self);

  if (clock && clock == asrc->clock && GST_IS_AUDIO_CLOCK (clock)
      && GST_CLOCK_TIME_IS_VALID (base_time)
      && GST_CLOCK_TIME_IS_VALID (start_time) && rate > 0) {
    /* the clock reads (position / rate) + its offset (see
     * gst_audio_clock_reset); round down, so that the clock, which never
     * goes back, stays at exactly the time the pipeline saw */
    offset = (GstClockTimeDiff) gst_audio_clock_adjust (
        GST_AUDIO_CLOCK (clock), 0);
    t = (GstClockTimeDiff) (base_time + start_time) - offset;
    if (t >= 0)
      pos = (gint64) gst_util_uint64_scale_int (t, rate, GST_SECOND);
    GST_DEBUG_OBJECT (self,
        "paused at running time %" GST_TIME_FORMAT ", clock %" GST_TIME_FORMAT
        ": position %" G_GINT64_FORMAT,
        GST_TIME_ARGS (start_time), GST_TIME_ARGS (base_time + start_time),
        pos);
  }
  if (clock)
    gst_object_unref (clock);
  return pos;
}

static GstStateChangeReturn
gst_portaudio_src_change_state (GstElement *element, GstStateChange transition)
{
  GstPortAudioSrc *self = GST_PORTAUDIO_SRC (element);
  GstStateChangeReturn ret;
  gint64 pos = -1;

  switch (transition) {
  case GST_STATE_CHANGE_READY_TO_PAUSED:
    GST_OBJECT_LOCK (self);
    self->next_offset = (guint64) -1;
    self->captured = self->lost = self->overruns = 0;
    self->discont = 0;
    GST_OBJECT_UNLOCK (self);
    break;
  case GST_STATE_CHANGE_PAUSED_TO_PLAYING:
    gst_portaudio_io_resume (&self->io);
    break;
  case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
    pos = gst_portaudio_src_pause_position (self);
    break;
  case GST_STATE_CHANGE_PAUSED_TO_READY:
    /* after a device error the ring buffer is in its error state, from
     * which GStreamer 1.22's gst_audio_ring_buffer_stop() does not call
     * reset: unblock the ring buffer thread before it is joined */
    gst_portaudio_io_reset (&self->io);
    break;
  default:
    break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);

  /* GstAudioSrc does not tell us about the pause (its ring buffer has no
   * pause method): stop the stream once the ring buffer is paused */
  if (transition == GST_STATE_CHANGE_PLAYING_TO_PAUSED
      && ret != GST_STATE_CHANGE_FAILURE)
    gst_portaudio_io_pause (&self->io, pos);
  return ret;
}

static void
gst_portaudio_src_class_init (GstPortAudioSrcClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *basesrc_class = GST_BASE_SRC_CLASS (klass);
  GstAudioSrcClass *audiosrc_class = GST_AUDIO_SRC_CLASS (klass);

  gobject_class->set_property = gst_portaudio_src_set_property;
  gobject_class->get_property = gst_portaudio_src_get_property;
  gobject_class->finalize = gst_portaudio_src_finalize;

  /**
   * GstPortAudioSrc:device:
   *
   * The input device: a PortAudio device index, a device name, or empty for
   * the default input device (of #GstPortAudioSrc:host-api if set).
   */
  g_object_class_install_property (gobject_class, PROP_DEVICE,
      g_param_spec_string ("device", "Device",
          "PortAudio device index or name (empty: the default input device)",
          NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));

  /**
   * GstPortAudioSrc:host-api:
   *
   * Restricts the device to one PortAudio host API, by its PortAudio name
   * ("ALSA", "JACK Audio Connection Kit", "Windows WASAPI", ...) or alias
   * (alsa, jack, oss, coreaudio, wasapi, asio, mme, directsound, wdmks,
   * asihpi), case-insensitive. Empty: any host API, and the default device
   * of the default host API.
   */
  g_object_class_install_property (gobject_class, PROP_HOST_API,
      g_param_spec_string ("host-api", "Host API",
          "PortAudio host API name or alias (alsa, jack, oss, coreaudio, "
          "wasapi, asio, ...); empty: any",
          NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));

  /**
   * GstPortAudioSrc:device-name:
   *
   * The name of the device in use, from READY on; %NULL before.
   */
  g_object_class_install_property (gobject_class, PROP_DEVICE_NAME,
      g_param_spec_string ("device-name", "Device name",
          "Name of the PortAudio device in use (from READY on)", NULL,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstPortAudioSrc:device-index:
   *
   * The PortAudio index of the device in use, from READY on; -1 before.
   */
  g_object_class_install_property (gobject_class, PROP_DEVICE_INDEX,
      g_param_spec_int ("device-index", "Device index",
          "PortAudio index of the device in use (from READY on; -1 before)", -1,
          G_MAXINT, -1, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstPortAudioSrc:device-latency:
   *
   * The input latency PortAudio reports for the open stream, in
   * microseconds (its buffer for the requested #GstAudioBaseSrc:buffer-time);
   * -1 while no stream is open. The ring buffer itself is reported by
   * #GstAudioBaseSrc:actual-buffer-time and
   * #GstAudioBaseSrc:actual-latency-time.
   */
  g_object_class_install_property (gobject_class, PROP_DEVICE_LATENCY,
      g_param_spec_int64 ("device-latency", "Device latency",
          "Input latency PortAudio reports for the open stream, in "
          "microseconds (-1: not open)",
          -1, G_MAXINT64, -1, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstPortAudioSrc:stats:
   *
   * Counters since the element last went from READY to PAUSED, as a
   * #GstStructure named `application/x-portaudiosrc-stats`:
   * - `captured-samples` (guint64): samples (frames) pushed;
   * - `lost-samples` (guint64): samples missing between pushed buffers: the
   *   sum of the offset gaps, each at a buffer marked DISCONT;
   * - `discontinuities` (guint): buffers marked DISCONT after such a gap;
   * - `ring-overruns` (guint64): blocks the ring buffer thread overwrote
   *   before the streaming thread pushed them (downstream or the streaming
   *   thread too slow for #GstAudioBaseSrc:buffer-time); they are dropped,
   *   and counted in `lost-samples`;
   * - `device-overflows` (guint64): reads after which PortAudio said the
   *   device had overflowed (the ring buffer thread did not read for longer
   *   than the device buffer);
   * - `device-lost-samples` (guint64): the samples the device dropped then,
   *   estimated from the time the reads stalled against what the device
   *   delivered;
   * - `realtime` (gboolean): whether the capture thread got real-time
   *   scheduling (SCHED_FIFO); where the system does not allow it (no
   *   RLIMIT_RTPRIO, no CAP_SYS_NICE) it keeps normal scheduling.
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Samples captured and lost, discontinuities, overruns, device "
          "overflows, real-time scheduling",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  element_class->change_state
      = GST_DEBUG_FUNCPTR (gst_portaudio_src_change_state);

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "PortAudio audio source", "Source/Audio/Hardware",
      "Captures live audio from a PortAudio device (ALSA, JACK, OSS, "
      "Core Audio, WASAPI, ASIO, ...)",
      "gst-omni developers");

  basesrc_class->get_caps = GST_DEBUG_FUNCPTR (gst_portaudio_src_get_caps);
  basesrc_class->fixate = GST_DEBUG_FUNCPTR (gst_portaudio_src_fixate);
  basesrc_class->negotiate = GST_DEBUG_FUNCPTR (gst_portaudio_src_negotiate);
  basesrc_class->create = GST_DEBUG_FUNCPTR (gst_portaudio_src_create);

  audiosrc_class->open = GST_DEBUG_FUNCPTR (gst_portaudio_src_open);
  audiosrc_class->close = GST_DEBUG_FUNCPTR (gst_portaudio_src_close);
  audiosrc_class->prepare = GST_DEBUG_FUNCPTR (gst_portaudio_src_prepare);
  audiosrc_class->unprepare = GST_DEBUG_FUNCPTR (gst_portaudio_src_unprepare);
  audiosrc_class->read = GST_DEBUG_FUNCPTR (gst_portaudio_src_read);
  audiosrc_class->delay = GST_DEBUG_FUNCPTR (gst_portaudio_src_delay);
  audiosrc_class->reset = GST_DEBUG_FUNCPTR (gst_portaudio_src_reset);

  GST_DEBUG_CATEGORY_INIT (
      gst_portaudio_src_debug, "portaudiosrc", 0, "PortAudio audio source");
}

static void
gst_portaudio_src_init (GstPortAudioSrc *self)
{
  gst_portaudio_io_init (&self->io, GST_ELEMENT (self), GST_PORTAUDIO_INPUT);
  self->next_offset = (guint64) -1;
}
