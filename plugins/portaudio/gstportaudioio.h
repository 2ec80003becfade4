/* gst-omni: the PortAudio blocking stream behind portaudiosrc and
 * portaudiosink: device opening, start on first transfer, reset from another
 * thread, error reporting.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_PORTAUDIO_IO_H__
#define __GST_PORTAUDIO_IO_H__

#include "gstportaudioutils.h"

G_BEGIN_DECLS

typedef struct {
  /* set once by gst_portaudio_io_init */
  GstElement *element; /* owner, not reffed */
  GstPortAudioDirection dir;

  /* from gst_portaudio_io_open_device to gst_portaudio_io_close_device */
  gboolean acquired;
  PaDeviceIndex index;
  gchar *device_name;
  gdouble default_rate;
  GstCaps *caps; /* what the device accepts (probed on open) */

  /* from gst_portaudio_io_prepare to gst_portaudio_io_unprepare */
  PaStream *stream;
  gint bpf;
  gint rate;
  gint64 segment_us;
  gint64 latency_us;   /* what PortAudio reports for the open stream */
  glong buffer_frames; /* output: largest write-available seen */

  /* The transfer thread holds @lock while it reads or writes; reset() and
   * pause() ask for it through @reset_pending and the transfer thread
   * yields. */
  GMutex lock;
  GCond cond;
  gint reset_pending; /* atomic */
  gboolean started;
  gboolean paused;  /* input: stream stopped until resume() */
  gboolean stopped; /* input: reset() came, until the next prepare() */
  gboolean failed;
  gint delay;    /* atomic, output: frames queued in the device */
  guint64 xruns; /* overflows (input) or underflows (output) */

  /* Input: the device position the element's clock counts, in frames: what
   * the device captured, read or not, plus what was dropped when the stream
   * was stopped. It is @pos_base + @read_total + @avail while the stream
   * runs, and @frozen (>= 0) from pause() until the stream restarts. */
  GMutex pos_lock;
  gint64 pos_base;
  gint64 read_total; /* frames read since prepare */
  gint64 avail;      /* readable after the last read */
  gint64 frozen;

  /* Input, with @pos_lock: device overflows (PortAudio's
   * paInputOverflowed), the samples the device dropped then (estimated from
   * how long the reads stalled), and the ring buffer segment whose read
   * reported the last one (-1: none since taken). @last_read_us and
   * @last_dev_pos: monotonic time and read_total + avail after the last
   * read. */
  guint64 overflows;
  guint64 overflow_lost;
  gint64 overflow_segment;
  gint64 last_read_us;
  gint64 last_dev_pos;

  /* the transfer thread's scheduling: 0 not tried yet (since prepare), 1
   * real-time, -1 refused by the system (atomic) */
  gint realtime;
} GstPortAudioIO;

void gst_portaudio_io_init (
    GstPortAudioIO *io, GstElement *element, GstPortAudioDirection dir);
void gst_portaudio_io_clear (GstPortAudioIO *io);

gboolean gst_portaudio_io_open_device (
    GstPortAudioIO *io, const gchar *host_api, const gchar *device);
void gst_portaudio_io_close_device (GstPortAudioIO *io);

gboolean gst_portaudio_io_prepare (
    GstPortAudioIO *io, GstAudioRingBufferSpec *spec);
void gst_portaudio_io_unprepare (GstPortAudioIO *io);

gint gst_portaudio_io_transfer (
    GstPortAudioIO *io, gpointer data, guint length);
void gst_portaudio_io_reset (GstPortAudioIO *io);
guint gst_portaudio_io_delay (GstPortAudioIO *io);

gint64 gst_portaudio_io_position (GstPortAudioIO *io);
void gst_portaudio_io_input_stats (GstPortAudioIO *io, guint64 *overflows,
    guint64 *overflow_lost, gboolean *realtime);
gboolean gst_portaudio_io_take_overflow (
    GstPortAudioIO *io, gint64 last_segment);
void gst_portaudio_io_pause (GstPortAudioIO *io, gint64 position);
void gst_portaudio_io_resume (GstPortAudioIO *io);

GstCaps *gst_portaudio_io_get_caps (
    GstPortAudioIO *io, GstCaps *filter, GstPad *pad);

G_END_DECLS

#endif /* __GST_PORTAUDIO_IO_H__ */
