/* gst-omni: the PortAudio blocking stream behind portaudiosrc and
 * portaudiosink.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Both elements use PortAudio's blocking interface (Pa_ReadStream,
 * Pa_WriteStream) from the GstAudioSrc/GstAudioSink ring buffer thread: the
 * thread blocks on the device, so the ring buffer, and with it the element's
 * GstAudioClock, advances exactly as fast as the device produces or consumes
 * samples. The stream is opened when the ring buffer is acquired (caps are
 * known), started by the first transfer after open, reset or pause, and
 * aborted (what the device holds is dropped) by reset (GstAudioSink's pause
 * and stop, GstAudioSrc's stop) and, for the source, by pause().
 *
 * The source's clock. GstAudioBaseSrc's clock reads samples_done + delay:
 * the segments the ring buffer thread completed plus what our delay()
 * reports. delay() reports the device position (frames the device captured,
 * read or not) minus samples_done, so the clock is the device position
 * whatever the ring buffer thread is doing.
 *
 * Pausing a live source. GstAudioSrc's ring buffer has no pause method: on
 * PLAYING->PAUSED the ring buffer only stops asking for segments, its thread
 * completes the read in progress, and the element is not told. The
 * pipeline, for its part, takes the running time of the pause from the clock
 * before its children pause, and at the next PLAYING sets base_time = clock
 * now - that running time. Any advance of the clock in between moves
 * base_time, and every timestamp after the resume, back by as much. If the
 * stream kept running (and the clock with it) while paused, the first
 * buffers after a resume would repeat the timestamps of the last ones before
 * it. So portaudiosrc calls pause() on PLAYING->PAUSED with the position the
 * pipeline saw: the stream is aborted (nothing captured while paused is
 * delivered later as if it were live, no overflow) and the position stays
 * at that value, whatever the read in progress then completes, until the
 * stream restarts on the first read after resume(), from that position.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>

#include "gstportaudioio.h"

#define GST_CAT_DEFAULT gst_portaudio_debug

void
gst_portaudio_io_init (
    GstPortAudioIO *io, GstElement *element, GstPortAudioDirection dir)
{
  io->element = element;
  io->dir = dir;
  io->index = paNoDevice;
  io->latency_us = -1;
  io->frozen = -1;
  g_mutex_init (&io->lock);
  g_cond_init (&io->cond);
  g_mutex_init (&io->pos_lock);
}

void
gst_portaudio_io_clear (GstPortAudioIO *io)
{
  g_warn_if_fail (io->stream == NULL);
  g_warn_if_fail (!io->acquired);
  g_mutex_clear (&io->lock);
  g_cond_clear (&io->cond);
  g_mutex_clear (&io->pos_lock);
  g_free (io->device_name);
  gst_clear_caps (&io->caps);
}

static const gchar *
verb (GstPortAudioIO *io)
{
  return io->dir == GST_PORTAUDIO_INPUT ? "recording" : "playback";
}

/* Takes a PortAudio reference, resolves the device and probes its caps.
 * Posts an element error and returns FALSE on failure. */
gboolean
gst_portaudio_io_open_device (
    GstPortAudioIO *io, const gchar *host_api, const gchar *device)
{
  gchar *message = NULL, *debug = NULL;
  gint code = 0;
  PaDeviceIndex index;
  const PaDeviceInfo *info;
  GstCaps *caps;
  PaError probe_err = paNoError;

  if (!gst_portaudio_acquire (&debug)) {
    GST_PORTAUDIO_ELEMENT_ERROR (io->element,
        io->dir == GST_PORTAUDIO_INPUT ? GST_RESOURCE_ERROR_OPEN_READ
                                       : GST_RESOURCE_ERROR_OPEN_WRITE,
        g_strdup ("Could not initialise PortAudio"), debug);
    return FALSE;
  }
  io->acquired = TRUE;

  index = gst_portaudio_find_device (
      host_api, device, io->dir, &code, &message, &debug);
  if (index == paNoDevice) {
    GST_PORTAUDIO_ELEMENT_ERROR (io->element, code, message, debug);
    goto failed;
  }

  caps = gst_portaudio_probe_caps (index, io->dir, &probe_err);
  gst_portaudio_lock ();
  info = Pa_GetDeviceInfo (index);
  GST_OBJECT_LOCK (io->element);
  io->index = index;
  g_free (io->device_name);
  io->device_name = g_strdup (info->name);
  io->default_rate = info->defaultSampleRate;
  gst_caps_replace (&io->caps, caps);
  GST_OBJECT_UNLOCK (io->element);
  gst_portaudio_unlock ();
  gst_caps_unref (caps);

  GST_INFO_OBJECT (io->element, "%s device %d '%s', caps %" GST_PTR_FORMAT,
      gst_portaudio_direction_name (io->dir), index, io->device_name, io->caps);

  if (gst_caps_is_empty (io->caps) && probe_err == paDeviceUnavailable) {
    gchar *text = gst_portaudio_error_text (probe_err);

    GST_PORTAUDIO_ELEMENT_ERROR (io->element, GST_RESOURCE_ERROR_BUSY,
        g_strdup_printf ("Audio device '%s' is busy", io->device_name),
        g_strdup_printf ("Pa_IsFormatSupported (device %d, %s): %s; another "
                         "application (or element) has it open",
            index, verb (io), text));
    g_free (text);
    goto failed;
  }
  if (gst_caps_is_empty (io->caps)) {
    gchar *text = gst_portaudio_error_text (probe_err);

    GST_PORTAUDIO_ELEMENT_ERROR (io->element, GST_RESOURCE_ERROR_SETTINGS,
        g_strdup_printf ("Audio device '%s' accepts none of the sample "
                         "formats F32, S32, S16 for %s",
            io->device_name, verb (io)),
        g_strdup_printf ("Pa_IsFormatSupported refused every format at the "
                         "device's default rate: %s",
            text));
    g_free (text);
    goto failed;
  }
  return TRUE;

failed:
  gst_portaudio_io_close_device (io);
  return FALSE;
}

void
gst_portaudio_io_close_device (GstPortAudioIO *io)
{
  GST_OBJECT_LOCK (io->element);
  io->index = paNoDevice;
  gst_clear_caps (&io->caps);
  GST_OBJECT_UNLOCK (io->element);
  if (io->acquired) {
    gst_portaudio_release ();
    io->acquired = FALSE;
  }
}

GstCaps *
gst_portaudio_io_get_caps (GstPortAudioIO *io, GstCaps *filter, GstPad *pad)
{
  GstCaps *caps = NULL, *tmp;

  GST_OBJECT_LOCK (io->element);
  if (io->caps)
    caps = gst_caps_ref (io->caps);
  GST_OBJECT_UNLOCK (io->element);

  if (caps == NULL)
    caps = gst_pad_get_pad_template_caps (pad);
  if (filter) {
    tmp = gst_caps_intersect_full (filter, caps, GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref (caps);
    caps = tmp;
  }
  return caps;
}

/* Opens the stream for @spec: the device buffer is asked for buffer-time
 * (PortAudio's suggested latency), blocks of latency-time frames. */
gboolean
gst_portaudio_io_prepare (GstPortAudioIO *io, GstAudioRingBufferSpec *spec)
{
  PaStreamParameters params;
  PaSampleFormat format;
  PaError err;
  const PaStreamInfo *info;
  gint channels, rate, bpf;
  unsigned long frames;
  gdouble latency;
  GstAudioFormat gst_format = GST_AUDIO_INFO_FORMAT (&spec->info);

  channels = GST_AUDIO_INFO_CHANNELS (&spec->info);
  rate = GST_AUDIO_INFO_RATE (&spec->info);
  bpf = GST_AUDIO_INFO_BPF (&spec->info);

  if (!gst_portaudio_sample_format (gst_format, &format)) {
    GST_PORTAUDIO_ELEMENT_ERROR (io->element, GST_RESOURCE_ERROR_SETTINGS,
        g_strdup_printf ("Sample format %s is not supported",
            gst_audio_format_to_string (gst_format)),
        NULL);
    return FALSE;
  }

  frames = MAX (1, spec->segsize / bpf);
  spec->segsize = frames * bpf;
  if (spec->segtotal < 2)
    spec->segtotal = 2;
  latency = (gdouble) spec->buffer_time / G_USEC_PER_SEC;

  memset (&params, 0, sizeof (params));
  params.device = io->index;
  params.channelCount = channels;
  params.sampleFormat = format;
  params.suggestedLatency = latency;

  gst_portaudio_lock ();
  err = Pa_OpenStream (&io->stream,
      io->dir == GST_PORTAUDIO_INPUT ? &params : NULL,
      io->dir == GST_PORTAUDIO_OUTPUT ? &params : NULL, (double) rate, frames,
      paNoFlag, NULL, NULL);
  if (err == paNoError) {
    info = Pa_GetStreamInfo (io->stream);
    GST_OBJECT_LOCK (io->element);
    io->latency_us
        = (gint64) ((io->dir == GST_PORTAUDIO_INPUT ? info->inputLatency
                                                    : info->outputLatency)
                        * G_USEC_PER_SEC
                    + 0.5);
    GST_OBJECT_UNLOCK (io->element);
    if (io->dir == GST_PORTAUDIO_OUTPUT) {
      signed long avail = Pa_GetStreamWriteAvailable (io->stream);
      io->buffer_frames = avail > 0 ? avail : 0;
    }
  } else {
    io->stream = NULL;
  }
  gst_portaudio_unlock ();

  if (err != paNoError) {
    gchar *text = gst_portaudio_error_text (err);
    gchar *debug = g_strdup_printf ("Pa_OpenStream (device %d, %d channels, "
                                    "%s, %d Hz, %lu frames per block, "
                                    "suggested latency %.3f s): %s",
        io->index, channels, gst_audio_format_to_string (gst_format), rate,
        frames, latency, text);

    g_free (text);
    switch (err) {
    case paInvalidSampleRate:
      GST_PORTAUDIO_ELEMENT_ERROR (io->element, GST_RESOURCE_ERROR_SETTINGS,
          g_strdup_printf ("Audio device '%s' refused the sample rate %d Hz",
              io->device_name, rate),
          debug);
      break;
    case paInvalidChannelCount:
      GST_PORTAUDIO_ELEMENT_ERROR (io->element, GST_RESOURCE_ERROR_SETTINGS,
          g_strdup_printf ("Audio device '%s' refused %d channels",
              io->device_name, channels),
          debug);
      break;
    case paSampleFormatNotSupported:
      GST_PORTAUDIO_ELEMENT_ERROR (io->element, GST_RESOURCE_ERROR_SETTINGS,
          g_strdup_printf ("Audio device '%s' refused the sample format %s",
              io->device_name, gst_audio_format_to_string (gst_format)),
          debug);
      break;
    case paDeviceUnavailable:
      GST_PORTAUDIO_ELEMENT_ERROR (io->element, GST_RESOURCE_ERROR_BUSY,
          g_strdup_printf ("Audio device '%s' is busy", io->device_name),
          g_strdup_printf ("%s; another application (or element) has it "
                           "open",
              debug));
      g_free (debug);
      break;
    default:
      GST_PORTAUDIO_ELEMENT_ERROR (io->element,
          io->dir == GST_PORTAUDIO_INPUT ? GST_RESOURCE_ERROR_OPEN_READ
                                         : GST_RESOURCE_ERROR_OPEN_WRITE,
          g_strdup_printf ("Could not open audio device '%s' for %s",
              io->device_name, verb (io)),
          debug);
      break;
    }
    /* GstAudioRingBuffer keeps the caps of a failed acquire in its spec: it
     * never releases them (a leak), and GstAudioBaseSink then takes the same
     * caps again for already configured. */
    gst_caps_replace (&spec->caps, NULL);
    return FALSE;
  }

  io->bpf = bpf;
  io->rate = rate;
  io->segment_us = gst_util_uint64_scale_int (frames, G_USEC_PER_SEC, rate);
  io->started = FALSE;
  io->paused = FALSE;
  io->stopped = FALSE;
  io->failed = FALSE;
  io->xruns = 0;
  g_atomic_int_set (&io->delay, 0);
  g_mutex_lock (&io->pos_lock);
  io->pos_base = io->read_total = io->avail = 0;
  io->frozen = -1;
  io->overflows = io->overflow_lost = 0;
  io->overflow_segment = -1;
  io->last_read_us = -1;
  g_mutex_unlock (&io->pos_lock);
  /* a new ring buffer thread comes with the new stream */
  g_atomic_int_set (&io->realtime, 0);

  GST_INFO_OBJECT (io->element,
      "opened '%s' for %s: %d ch %s %d Hz, %lu frames per block, ring of "
      "%d blocks; PortAudio reports a latency of %" G_GINT64_FORMAT " us",
      io->device_name, verb (io), channels,
      gst_audio_format_to_string (gst_format), rate, frames, spec->segtotal,
      io->latency_us);
  g_object_notify (G_OBJECT (io->element), "device-latency");
  return TRUE;
}

void
gst_portaudio_io_unprepare (GstPortAudioIO *io)
{
  g_mutex_lock (&io->lock);
  if (io->stream) {
    gst_portaudio_lock ();
    if (io->started)
      Pa_AbortStream (io->stream);
    Pa_CloseStream (io->stream);
    gst_portaudio_unlock ();
    io->stream = NULL;
  }
  io->started = FALSE;
  io->paused = FALSE;
  io->failed = FALSE;
  g_mutex_unlock (&io->lock);
  GST_OBJECT_LOCK (io->element);
  io->latency_us = -1;
  GST_OBJECT_UNLOCK (io->element);
  if (io->xruns)
    GST_INFO_OBJECT (io->element, "%" G_GUINT64_FORMAT " %s", io->xruns,
        io->dir == GST_PORTAUDIO_INPUT ? "overflows" : "underflows");
}

/* Real-time scheduling (SCHED_FIFO) for the calling thread, the ring
 * buffer thread that blocks on the device: on a machine whose cores are
 * busy, a thread of normal priority can wait longer than the device buffer
 * and the device overflows (or underflows). PortAudio's blocking streams
 * have no thread of their own (PaAlsa_EnableRealtimeScheduling only affects
 * callback streams), so the thread asks itself. The priority is the
 * middle of the range, within RLIMIT_RTPRIO for an unprivileged user; where
 * the system refuses (no RLIMIT_RTPRIO, no CAP_SYS_NICE, a container) the
 * thread keeps normal scheduling, with a debug line. */
static void
gst_portaudio_io_try_realtime (GstPortAudioIO *io)
{
  struct sched_param param;
  struct rlimit lim;
  gint prio, err;

  prio = (sched_get_priority_min (SCHED_FIFO)
             + sched_get_priority_max (SCHED_FIFO))
         / 2;
  if (getrlimit (RLIMIT_RTPRIO, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY
      && lim.rlim_cur > 0 && (rlim_t) prio > lim.rlim_cur)
    prio = (gint) lim.rlim_cur;
  memset (&param, 0, sizeof (param));
  param.sched_priority = prio;
  err = pthread_setschedparam (pthread_self (), SCHED_FIFO, &param);
  if (err == 0) {
    g_atomic_int_set (&io->realtime, 1);
    GST_INFO_OBJECT (io->element,
        "%s thread: real-time scheduling (SCHED_FIFO, priority %d)", verb (io),
        prio);
  } else {
    g_atomic_int_set (&io->realtime, -1);
    GST_DEBUG_OBJECT (io->element,
        "%s thread: no real-time scheduling (SCHED_FIFO %d: %s), keeping "
        "normal scheduling",
        verb (io), prio, g_strerror (err));
  }
}

/* Input, after a read of @frames that PortAudio says followed an overflow:
 * the device dropped what it captured while nobody read. How much: the
 * device position expected from the time since the previous read
 * (@last_dev_pos + elapsed * rate) minus what it has delivered since
 * (read_total + @avail). The estimate spans only the stall, so the drift
 * between the device's clock and the system's does not add up. With
 * @pos_lock. */
static void
gst_portaudio_io_count_overflow (GstPortAudioIO *io, gint64 now, gint64 avail)
{
  GstAudioRingBuffer *rb = GST_AUDIO_BASE_SRC (io->element)->ringbuffer;
  gint64 lost = 0;

  io->overflows++;
  if (io->last_read_us >= 0) {
    gint64 expected
        = io->last_dev_pos
          + gst_util_uint64_scale_int (
              (guint64) (now - io->last_read_us), io->rate, G_USEC_PER_SEC);

    lost = MAX (0, expected - (io->read_total + avail));
  }
  io->overflow_lost += (guint64) lost;
  if (rb)
    io->overflow_segment = g_atomic_int_get (&rb->segdone) - rb->segbase;
  GST_WARNING_OBJECT (io->element,
      "input overflow: the device dropped about %" G_GINT64_FORMAT
      " samples before ring buffer segment %" G_GINT64_FORMAT,
      lost, io->overflow_segment);
}

/* Reads (input) or writes (output) @length bytes. Returns @length, or -1
 * when the transfer is given up: while paused (input) or after a device
 * error, the transfer waits instead of returning, because GstAudioSrc and
 * GstAudioSink count a segment as done even when the transfer fails, and
 * would then deliver or play whatever the ring buffer held. The wait ends
 * with resume() (input), or with -1 at reset() (stop) or, after an error,
 * pause(). For input, reset() is only called to stop (GstAudioSrc's stop,
 * and our PAUSED->READY): transfers after it are given up at once, without
 * restarting the stream, until the next prepare(). A device error is posted
 * once, as an element error naming the device, PortAudio's error and the
 * system's. */
gint
gst_portaudio_io_transfer (GstPortAudioIO *io, gpointer data, guint length)
{
  PaError err = paNoError;
  unsigned long frames;
  const gchar *what = NULL;
  gchar *text, *debug;
  gboolean waited_failed = FALSE;
  gint sys_errno;

  g_mutex_lock (&io->lock);
retry:
  for (;;) {
    if (g_atomic_int_get (&io->reset_pending) > 0) {
      g_cond_wait (&io->cond, &io->lock);
      continue;
    }
    /* input: reset (stop) came, the ring buffer is being released */
    if (io->stopped)
      goto give_up;
    /* after a device error, until reset() or pause() */
    if (io->failed) {
      waited_failed = TRUE;
      g_cond_wait (&io->cond, &io->lock);
      continue;
    }
    /* the segment the failed transfer was for is given up */
    if (waited_failed)
      goto give_up;
    /* input, until resume() */
    if (io->paused) {
      g_cond_wait (&io->cond, &io->lock);
      continue;
    }
    break;
  }

  if (io->stream == NULL) {
    gint64 end = g_get_monotonic_time () + MAX (io->segment_us, 10000);

    g_cond_wait_until (&io->cond, &io->lock, end);
    g_mutex_unlock (&io->lock);
    return -1;
  }
  frames = length / io->bpf;
  if (g_atomic_int_get (&io->realtime) == 0)
    gst_portaudio_io_try_realtime (io);

  /* PortAudio keeps the host's error text only for the thread that
   * initialised it (Pa_GetLastHostErrorInfo): errno is the cause here */
  errno = 0;
  if (!io->started) {
    err = Pa_StartStream (io->stream);
    if (err != paNoError) {
      what = "start";
      goto error;
    }
    io->started = TRUE;
    if (io->dir == GST_PORTAUDIO_INPUT) {
      /* the position goes on from where it stopped */
      g_mutex_lock (&io->pos_lock);
      if (io->frozen >= 0) {
        io->pos_base = io->frozen - io->read_total;
        io->frozen = -1;
      }
      io->avail = 0;
      io->last_read_us = -1;
      g_mutex_unlock (&io->pos_lock);
    }
    GST_DEBUG_OBJECT (io->element, "stream started");
  }

  if (io->dir == GST_PORTAUDIO_INPUT) {
    signed long avail;

    gint64 now;

    err = Pa_ReadStream (io->stream, data, frames);
    if (err != paNoError && err != paInputOverflowed) {
      what = "read from";
      goto error;
    }
    avail = Pa_GetStreamReadAvailable (io->stream);
    now = g_get_monotonic_time ();
    GST_LOG_OBJECT (
        io->element, "read %lu frames, %ld available", frames, avail);
    g_mutex_lock (&io->pos_lock);
    io->read_total += frames;
    io->avail = avail > 0 ? avail : 0;
    /* the samples are delivered, but some before them were lost */
    if (err == paInputOverflowed) {
      io->xruns++;
      gst_portaudio_io_count_overflow (io, now, io->avail);
    }
    io->last_read_us = now;
    io->last_dev_pos = io->read_total + io->avail;
    g_mutex_unlock (&io->pos_lock);
  } else {
    signed long avail;

    err = Pa_WriteStream (io->stream, data, frames);
    if (err == paOutputUnderflowed) {
      io->xruns++;
      GST_INFO_OBJECT (io->element, "output underflow: silence was played");
    } else if (err != paNoError) {
      what = "write to";
      goto error;
    }
    avail = Pa_GetStreamWriteAvailable (io->stream);
    if (avail > io->buffer_frames)
      io->buffer_frames = avail;
    g_atomic_int_set (
        &io->delay, avail >= 0 ? (gint) (io->buffer_frames - avail) : 0);
  }
  g_mutex_unlock (&io->lock);
  return length;

error:
  sys_errno = errno;
  io->failed = TRUE;
  g_mutex_unlock (&io->lock);
  text = gst_portaudio_error_text (err);
  if (sys_errno != 0)
    debug = g_strdup_printf ("%s; system error: %s (errno %d); the device may "
                             "have been unplugged, disabled or taken by "
                             "another application",
        text, g_strerror (sys_errno), sys_errno);
  else
    debug = g_strdup_printf ("%s; the device may have been unplugged, "
                             "disabled or taken by another application",
        text);
  g_free (text);
  GST_PORTAUDIO_ELEMENT_ERROR (io->element,
      io->dir == GST_PORTAUDIO_INPUT ? GST_RESOURCE_ERROR_READ
                                     : GST_RESOURCE_ERROR_WRITE,
      g_strdup_printf ("Could not %s audio device '%s'%s%s", what,
          io->device_name, sys_errno != 0 ? ": " : "",
          sys_errno != 0 ? g_strerror (sys_errno) : ""),
      debug);

  /* wait for the element to be stopped or paused */
  g_mutex_lock (&io->lock);
  waited_failed = TRUE;
  goto retry;

give_up:
  g_mutex_unlock (&io->lock);
  return -1;
}

/* Drops what the device holds and unblocks the transfer thread; for output
 * the next transfer restarts the stream, for input (a stop) transfers are
 * given up until the next prepare(). Waits at most for the transfer in
 * progress (one block of latency-time). */
void
gst_portaudio_io_reset (GstPortAudioIO *io)
{
  g_atomic_int_inc (&io->reset_pending);
  g_mutex_lock (&io->lock);
  if (io->stream && io->started) {
    PaError err = Pa_AbortStream (io->stream);

    if (err != paNoError)
      GST_WARNING_OBJECT (
          io->element, "Pa_AbortStream: %s", Pa_GetErrorText (err));
    GST_DEBUG_OBJECT (io->element, "stream aborted");
  }
  io->started = FALSE;
  io->failed = FALSE;
  if (io->dir == GST_PORTAUDIO_INPUT)
    io->stopped = TRUE;
  g_atomic_int_set (&io->delay, 0);
  /* what the device held is dropped, but was captured: the position keeps
   * it */
  g_mutex_lock (&io->pos_lock);
  io->pos_base += io->avail;
  io->avail = 0;
  g_mutex_unlock (&io->pos_lock);
  g_atomic_int_add (&io->reset_pending, -1);
  g_cond_broadcast (&io->cond);
  g_mutex_unlock (&io->lock);
}

/* Input: the device position in frames (see the top of this file). */
gint64
gst_portaudio_io_position (GstPortAudioIO *io)
{
  gint64 pos;

  g_mutex_lock (&io->pos_lock);
  pos = io->frozen >= 0 ? io->frozen
                        : io->pos_base + io->read_total + io->avail;
  g_mutex_unlock (&io->pos_lock);
  return pos;
}

/* Frames captured and not yet in the ring buffer (input), or written and not
 * yet played (output). For input this is the device position minus what the
 * ring buffer thread has completed, so that GstAudioBaseSrc's clock
 * (samples done + delay) is the device position: also between the end of a
 * read and the ring buffer's advance, and while paused. */
guint
gst_portaudio_io_delay (GstPortAudioIO *io)
{
  GstAudioRingBuffer *rb;
  gint64 delay;

  if (io->dir == GST_PORTAUDIO_OUTPUT)
    return (guint) g_atomic_int_get (&io->delay);

  rb = GST_AUDIO_BASE_SRC (io->element)->ringbuffer;
  if (rb == NULL)
    return 0;
  delay = gst_portaudio_io_position (io)
          - (gint64) gst_audio_ring_buffer_samples_done (rb);
  return (guint) CLAMP (delay, 0, G_MAXINT);
}

/* Input, on PLAYING->PAUSED: the position stays at @position (or where it
 * is if negative) until the stream restarts after resume(); the stream is
 * aborted once the read in progress is done, and reads wait for resume().
 */
void
gst_portaudio_io_pause (GstPortAudioIO *io, gint64 position)
{
  g_return_if_fail (io->dir == GST_PORTAUDIO_INPUT);

  g_mutex_lock (&io->pos_lock);
  if (position < 0)
    position = io->frozen >= 0 ? io->frozen
                               : io->pos_base + io->read_total + io->avail;
  io->frozen = position;
  g_mutex_unlock (&io->pos_lock);

  g_atomic_int_inc (&io->reset_pending);
  g_mutex_lock (&io->lock);
  io->paused = TRUE;
  if (io->stream && io->started) {
    PaError err = Pa_AbortStream (io->stream);

    if (err != paNoError)
      GST_WARNING_OBJECT (
          io->element, "Pa_AbortStream: %s", Pa_GetErrorText (err));
  }
  io->started = FALSE;
  io->failed = FALSE;
  g_atomic_int_add (&io->reset_pending, -1);
  g_cond_broadcast (&io->cond);
  g_mutex_unlock (&io->lock);
  GST_DEBUG_OBJECT (io->element,
      "paused, stream stopped, position %" G_GINT64_FORMAT, position);
}

/* Input, on PAUSED->PLAYING: the next read restarts the stream. */
void
gst_portaudio_io_resume (GstPortAudioIO *io)
{
  g_mutex_lock (&io->lock);
  io->paused = FALSE;
  g_cond_broadcast (&io->cond);
  g_mutex_unlock (&io->lock);
}

/* Input: the device's overflow counters and the transfer thread's
 * scheduling, for the source's `stats`. */
void
gst_portaudio_io_input_stats (GstPortAudioIO *io, guint64 *overflows,
    guint64 *overflow_lost, gboolean *realtime)
{
  g_mutex_lock (&io->pos_lock);
  *overflows = io->overflows;
  *overflow_lost = io->overflow_lost;
  g_mutex_unlock (&io->pos_lock);
  *realtime = g_atomic_int_get (&io->realtime) > 0;
}

/* Input: whether a device overflow was reported for a ring buffer segment
 * up to @last_segment and not taken yet; takes it (the buffer with that
 * segment is the first after the samples the device lost). */
gboolean
gst_portaudio_io_take_overflow (GstPortAudioIO *io, gint64 last_segment)
{
  gboolean ret = FALSE;

  g_mutex_lock (&io->pos_lock);
  if (io->overflow_segment >= 0 && io->overflow_segment <= last_segment) {
    ret = TRUE;
    io->overflow_segment = -1;
  }
  g_mutex_unlock (&io->pos_lock);
  return ret;
}
