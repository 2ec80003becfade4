/* gst-omni: a fake sound card for the portaudio tests.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * There is no sound hardware in CI, so the tests give PortAudio an ALSA
 * configuration of their own (ALSA_CONFIG_PATH, read by alsa-lib instead of
 * /usr/share/alsa/alsa.conf) whose PCMs are ALSA's `file` plugin over the
 * `null` plugin:
 * - for capture, `file` replaces what `null` captures (silence) with data
 *   read from `infile`; here `infile` is a file descriptor number, the ALSA
 *   end of a socketpair whose other end a test thread writes in real time.
 *   `null` by itself is infinitely fast, so the socket is what paces the
 *   device: every read blocks until the test has sent that much audio. The
 *   socket has SO_RCVLOWAT set so a read never returns less than asked
 *   (alsa-lib's `file` would pad a short read with silence);
 *   `file` also writes what it captured to its `file`, descriptor TAP_FD:
 *   /dev/null normally, /dev/full once fake_break_capture() was called, and
 *   then the write fails with ENOSPC and alsa-lib (1.2.x) returns the error
 *   to PortAudio: a device failing while it captures;
 * - for playback, `file` copies what is played to `file`, again the ALSA end
 *   of a socketpair (with a small SO_SNDBUF), which a test thread drains at
 *   the real-time byte rate: the device consumes samples at that pace.
 *   fake_break_playback() puts /dev/full in its place;
 * - FAKE_BUSY captures zeros (`file` reading /dev/zero over `null`) inside
 *   alsa-lib's `hooks` plugin, with the hook of portaudiofake-exclusive.c: a
 *   second open fails with EBUSY, as a hardware PCM already in use does.
 *   fake_hold() takes the lock an open handle holds. (An infile that ends
 *   would not do for an unpaced device read for long: past its end `file`
 *   leaves `null`'s uninitialised buffer in place and writes it out.)
 * PortAudio's ALSA host API lists every PCM of the configuration (as
 * input-and-output "plugin" devices), probes each by opening it, and asserts
 * (pa_linux_alsa.c BuildDeviceList) unless at least one entry is skipped or
 * is called "default": the configuration defines "default" as `null`.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <math.h>
#include <string.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include "portaudiofake.h"

/* the descriptor numbers named in the configuration */
#define MIC_FD 200
#define SPEAKER_FD 201
#define TAP_FD 202

static gchar *tmp_dir;
static GPid creator;

static void
cleanup (void)
{
  const gchar *name;
  GDir *dir;

  /* gst-check forks a child per test; only the parent removes the files */
  if (tmp_dir == NULL || getpid () != creator)
    return;
  dir = g_dir_open (tmp_dir, 0, NULL);
  while (dir && (name = g_dir_read_name (dir))) {
    gchar *path = g_build_filename (tmp_dir, name, NULL);
    g_unlink (path);
    g_free (path);
  }
  if (dir)
    g_dir_close (dir);
  g_rmdir (tmp_dir);
}

const gchar *
fake_dir (void)
{
  return tmp_dir;
}

static void
write_file (const gchar *name, const void *data, gsize size)
{
  gchar *path = g_build_filename (tmp_dir, name, NULL);
  GError *err = NULL;

  if (!g_file_set_contents (path, data, size, &err))
    g_error ("%s: %s", path, err->message);
  g_free (path);
}

static gchar *conf_text;

static void
write_config (const gchar *without)
{
  GString *conf = g_string_new (NULL);
  gchar **blocks = g_strsplit (conf_text, "\npcm.", -1);
  gint i;

  for (i = 0; blocks[i]; i++) {
    const gchar *block = blocks[i] + (i == 0 ? strlen ("pcm.") : 0);

    if (without && g_str_has_prefix (block, without)
        && block[strlen (without)] == ' ')
      continue;
    g_string_append_printf (conf, "pcm.%s\n", block);
  }
  g_strfreev (blocks);
  /* a new file (new inode): alsa-lib reloads it on its next snd_pcm_open */
  write_file ("asound.conf", conf->str, conf->len);
  g_string_free (conf, TRUE);
}

/* Removes PCM @name from the configuration: PortAudio, which enumerated the
 * devices earlier, still lists it, but opening it fails as for a device
 * unplugged in the meantime. */
void
fake_unplug (const gchar *name)
{
  write_config (name);
}

/* Puts @path, opened for writing, at descriptor @fd. */
static void
put_file_at (const gchar *path, gint fd)
{
  gint f = open (path, O_WRONLY | O_CLOEXEC);

  if (f < 0 || dup2 (f, fd) != fd)
    g_error ("%s at %d: %s", path, fd, g_strerror (errno));
  close (f);
}

void
fake_replug (void)
{
  write_config (NULL);
  put_file_at ("/dev/null", TAP_FD);
}

void
fake_break_capture (void)
{
  put_file_at ("/dev/full", TAP_FD);
}

/* The speaker's socket is closed (the speaker thread reads no more) and
 * /dev/full takes its descriptor. */
void
fake_break_playback (void)
{
  put_file_at ("/dev/full", SPEAKER_FD);
}

/* What an open handle of FAKE_BUSY holds (portaudiofake-exclusive.c): an
 * exclusive lock on its lock file. */
gpointer
fake_hold (const gchar *name)
{
  gchar *path = g_build_filename (tmp_dir, "busy.lock", NULL);
  gint fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  fail_unless (g_str_equal (name, FAKE_BUSY), "%s is not exclusive", name);
  fail_unless (fd >= 0, "%s: %s", path, g_strerror (errno));
  fail_unless (flock (fd, LOCK_EX | LOCK_NB) == 0, "%s is busy already", name);
  g_free (path);
  return GINT_TO_POINTER (fd + 1);
}

void
fake_release (gpointer handle)
{
  close (GPOINTER_TO_INT (handle) - 1);
}

/* Call before gst_check_init: alsa-lib reads ALSA_CONFIG_PATH once. */
void
fake_setup (void)
{
  GError *err = NULL;
  gchar *conf, *conf_path;
  gdouble *tone;
  gsize n, i;
  gint16 *s16;

  /* Pa_IsFormatSupported commits hardware parameters without a buffer size,
   * and ALSA's `null` PCM then picks its largest buffer: the `file` plugin
   * over it mallocs about 3 GB, which it never touches. With MALLOC_PERTURB_
   * (set by `meson test`) glibc would fill all of it on every probe; only
   * this fake device does that (real ones have bounded buffers), so the
   * tests turn perturbation off. */
  mallopt (M_PERTURB, 0);

  tmp_dir = g_dir_make_tmp ("omni-portaudio-XXXXXX", &err);
  if (tmp_dir == NULL)
    g_error ("%s", err->message);
  creator = getpid ();
  atexit (cleanup);

  /* 1 s of the 1 kHz tone at 48 kHz, S16LE mono, for FAKE_FILE */
  tone = fake_signal (48000, 0.0, 1.0, 0.0, 0.0, &n);
  s16 = g_new (gint16, n);
  for (i = 0; i < n; i++)
    s16[i] = (gint16) lrint (tone[i] * 32767.0);
  write_file ("tone.raw", s16, n * sizeof (gint16));
  g_free (s16);
  g_free (tone);

  conf = g_strdup_printf ("pcm." FAKE_CAPTURE " {\n"
                          "  type file\n"
                          "  slave.pcm { type null }\n"
                          "  file %d\n"
                          "  infile %d\n"
                          "  format \"raw\"\n"
                          "}\n"
                          "pcm." FAKE_PLAYBACK " {\n"
                          "  type file\n"
                          "  slave.pcm { type null }\n"
                          "  file %d\n"
                          "  format \"raw\"\n"
                          "}\n"
                          "pcm." FAKE_FILE " {\n"
                          "  type file\n"
                          "  slave.pcm { type null }\n"
                          "  file \"/dev/null\"\n"
                          "  infile \"%s/tone.raw\"\n"
                          "  format \"raw\"\n"
                          "}\n"
                          "pcm." FAKE_BUSY " {\n"
                          "  type hooks\n"
                          "  slave.pcm {\n"
                          "    type file\n"
                          "    slave.pcm { type null }\n"
                          "    file \"/dev/null\"\n"
                          "    infile \"/dev/zero\"\n"
                          "    format \"raw\"\n"
                          "  }\n"
                          "  hooks.0 {\n"
                          "    type omnitest_exclusive\n"
                          "    hook_args.lock \"%s/busy.lock\"\n"
                          "  }\n"
                          "}\n"
                          "pcm.default { type null }\n"
                          "pcm_hook_type.omnitest_exclusive {\n"
                          "  lib \"" OMNI_ALSA_EXCLUSIVE_HOOK "\"\n"
                          "  install \"omnitest_exclusive_install\"\n"
                          "}\n",
      TAP_FD, MIC_FD, SPEAKER_FD, tmp_dir, tmp_dir);
  conf_text = conf;
  write_config (NULL);

  put_file_at ("/dev/null", TAP_FD);

  conf_path = g_build_filename (tmp_dir, "asound.conf", NULL);
  g_setenv ("ALSA_CONFIG_PATH", conf_path, TRUE);
  g_free (conf_path);
  /* PortAudio's JACK host API would try to start a JACK server */
  g_setenv ("JACK_NO_START_SERVER", "1", TRUE);
}

gdouble
fake_chirp_frequency (gdouble t, gdouble chirp_s)
{
  return CHIRP_F0 + (CHIRP_F1 - CHIRP_F0) * t / chirp_s;
}

gdouble *
fake_signal (gint rate, gdouble lead_s, gdouble tone_s, gdouble chirp_s,
    gdouble tail_s, gsize *n_samples)
{
  gsize n_lead = (gsize) (lead_s * rate), n_tone = (gsize) (tone_s * rate);
  gsize n_chirp = (gsize) (chirp_s * rate), n_tail = (gsize) (tail_s * rate);
  gsize n = n_lead + n_tone + n_chirp + n_tail, i;
  gdouble *x = g_new0 (gdouble, n);

  for (i = 0; i < n_tone; i++)
    x[n_lead + i] = 0.5 * cos (2.0 * G_PI * TONE_HZ * i / rate);
  for (i = 0; i < n_chirp; i++) {
    gdouble t = (gdouble) i / rate;
    /* phase of a linear sweep: 2 pi (f0 t + (f1 - f0) t^2 / (2 T)) */
    gdouble phase
        = 2.0 * G_PI
          * (CHIRP_F0 * t + (CHIRP_F1 - CHIRP_F0) * t * t / (2 * chirp_s));
    x[n_lead + n_tone + i] = 0.5 * sin (phase);
  }
  *n_samples = n;
  return x;
}

GBytes *
fake_pack (
    const gdouble *samples, gsize n, GstAudioFormat format, gint channels)
{
  const GstAudioFormatInfo *finfo = gst_audio_format_get_info (format);
  gint width = GST_AUDIO_FORMAT_INFO_WIDTH (finfo) / 8;
  guint8 *out = g_malloc (n * channels * width);
  gsize i;
  gint c;

  for (i = 0; i < n; i++) {
    for (c = 0; c < channels; c++) {
      guint8 *p = out + (i * channels + c) * width;

      switch (format) {
      case GST_AUDIO_FORMAT_F32:
        *(gfloat *) p = (gfloat) samples[i];
        break;
      case GST_AUDIO_FORMAT_S32:
        *(gint32 *) p
            = (gint32) lrint (CLAMP (samples[i], -1.0, 1.0) * 2147483647.0);
        break;
      case GST_AUDIO_FORMAT_S16:
        *(gint16 *) p
            = (gint16) lrint (CLAMP (samples[i], -1.0, 1.0) * 32767.0);
        break;
      default:
        g_assert_not_reached ();
      }
    }
  }
  return g_bytes_new_take (out, n * channels * width);
}

gdouble
fake_unpack (const guint8 *data, gsize i, GstAudioFormat format, gint channels)
{
  switch (format) {
  case GST_AUDIO_FORMAT_F32:
    return ((const gfloat *) data)[i * channels];
  case GST_AUDIO_FORMAT_S32:
    return ((const gint32 *) data)[i * channels] / 2147483648.0;
  case GST_AUDIO_FORMAT_S16:
    return ((const gint16 *) data)[i * channels] / 32768.0;
  default:
    g_assert_not_reached ();
  }
  return 0.0;
}

/* ---- the fake microphone ---- */

struct _FakeMic {
  GThread *thread;
  gint fd;
  GBytes *data;
  gint rate, bpf;
  gint64 block_us;
  gint stop; /* atomic */
  gsize sent;
  GMutex lock;
  GCond cond;
  gboolean go;
};

static gpointer
mic_thread (gpointer user_data)
{
  FakeMic *mic = user_data;
  gsize size, pos = 0, block = (gsize) (mic->rate / 100) * mic->bpf;
  const guint8 *data = g_bytes_get_data (mic->data, &size);
  guint8 *silence = g_malloc0 (block);
  gint64 t0;
  guint64 k = 0;

  g_mutex_lock (&mic->lock);
  while (!mic->go)
    g_cond_wait (&mic->cond, &mic->lock);
  g_mutex_unlock (&mic->lock);
  t0 = g_get_monotonic_time ();

  while (!g_atomic_int_get (&mic->stop)) {
    const guint8 *chunk = pos < size ? data + pos : silence;
    gsize len = pos < size ? MIN (block, size - pos) : block;
    gsize done = 0;
    gint64 wait;

    while (done < len) {
      ssize_t r = send (mic->fd, chunk + done, len - done, MSG_NOSIGNAL);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        goto out; /* shut down by fake_mic_stop */
      done += r;
    }
    pos += len;
    mic->sent += len;
    /* blocks of 10 ms of audio, every block_us */
    k++;
    wait = t0 + (gint64) k * mic->block_us - g_get_monotonic_time ();
    if (wait > 0)
      g_usleep (wait);
  }
out:
  g_free (silence);
  return NULL;
}

FakeMic *
fake_mic_start (GBytes *data, gint rate, gint bpf, gdouble speed)
{
  FakeMic *mic = fake_mic_new (data, rate, bpf, speed);

  fake_mic_go (mic);
  return mic;
}

void
fake_mic_go (FakeMic *mic)
{
  g_mutex_lock (&mic->lock);
  mic->go = TRUE;
  g_cond_signal (&mic->cond);
  g_mutex_unlock (&mic->lock);
}

FakeMic *
fake_mic_new (GBytes *data, gint rate, gint bpf, gdouble speed)
{
  FakeMic *mic = g_new0 (FakeMic, 1);
  int sv[2], lowat = 1 << 30;

  fail_unless (socketpair (AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  fail_unless (dup2 (sv[0], MIC_FD) == MIC_FD);
  close (sv[0]);
  /* every read waits for all the bytes it asks for */
  fail_unless (
      setsockopt (MIC_FD, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof (lowat))
      == 0);
  mic->fd = sv[1];
  mic->data = g_bytes_ref (data);
  mic->rate = rate;
  mic->bpf = bpf;
  if (RUNNING_ON_VALGRIND)
    speed /= 4.0;
  mic->block_us = (gint64) (10000 / speed);
  g_mutex_init (&mic->lock);
  g_cond_init (&mic->cond);
  mic->thread = g_thread_new ("fake-mic", mic_thread, mic);
  return mic;
}

gsize
fake_mic_consumed (FakeMic *mic)
{
  gint unread = 0;

  if (mic->thread) {
    g_atomic_int_set (&mic->stop, 1);
    fake_mic_go (mic);
    /* unblocks the thread's send; what was sent stays readable */
    shutdown (mic->fd, SHUT_WR);
    g_thread_join (mic->thread);
    mic->thread = NULL;
  }
  fail_unless (ioctl (MIC_FD, FIONREAD, &unread) == 0);
  return mic->sent - (gsize) unread;
}

gsize
fake_mic_stop (FakeMic *mic)
{
  gsize sent;

  g_atomic_int_set (&mic->stop, 1);
  fake_mic_go (mic);
  /* unblocks the thread's send, and gives the device end-of-file */
  shutdown (mic->fd, SHUT_RDWR);
  if (mic->thread)
    g_thread_join (mic->thread);
  close (mic->fd);
  close (MIC_FD);
  g_bytes_unref (mic->data);
  sent = mic->sent;
  g_mutex_clear (&mic->lock);
  g_cond_clear (&mic->cond);
  g_free (mic);
  return sent;
}

/* ---- the fake speaker ---- */

struct _FakeSpeaker {
  GThread *thread;
  gint fd;
  gint rate, bpf;
  gint stop;     /* atomic */
  gint received; /* atomic: bytes */
  GByteArray *played;
};

static gpointer
speaker_thread (gpointer user_data)
{
  FakeSpeaker *spk = user_data;
  gint64 byte_rate = (gint64) spk->rate * spk->bpf;
  gint64 burst = byte_rate / 50; /* at most 20 ms ahead of real time */
  gint64 last = g_get_monotonic_time ();
  gint64 budget = 0;
  guint8 buf[16384];

  for (;;) {
    gboolean stopping = g_atomic_int_get (&spk->stop);
    gint64 now = g_get_monotonic_time ();
    ssize_t r;

    budget = MIN (burst, budget + (now - last) * byte_rate / G_USEC_PER_SEC);
    last = now;
    /* when stopping, drain what is left as fast as possible */
    r = recv (spk->fd, buf,
        stopping ? (gint64) sizeof (buf) : MIN ((gint64) sizeof (buf), budget),
        MSG_DONTWAIT);
    if (r > 0) {
      g_byte_array_append (spk->played, buf, r);
      g_atomic_int_add (&spk->received, (gint) r);
      budget -= r;
      continue;
    }
    if (stopping)
      break;
    g_usleep (2000);
  }
  return NULL;
}

FakeSpeaker *
fake_speaker_start (gint rate, gint bpf)
{
  FakeSpeaker *spk = g_new0 (FakeSpeaker, 1);
  int sv[2], sndbuf = 4096;

  fail_unless (socketpair (AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  fail_unless (dup2 (sv[0], SPEAKER_FD) == SPEAKER_FD);
  close (sv[0]);
  /* a small socket buffer: writes block when the speaker has not read */
  fail_unless (
      setsockopt (SPEAKER_FD, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof (sndbuf))
      == 0);
  spk->fd = sv[1];
  spk->rate = rate;
  spk->bpf = bpf;
  spk->played = g_byte_array_new ();
  spk->thread = g_thread_new ("fake-speaker", speaker_thread, spk);
  return spk;
}

gsize
fake_speaker_received (FakeSpeaker *spk)
{
  return (gsize) g_atomic_int_get (&spk->received);
}

GBytes *
fake_speaker_stop (FakeSpeaker *spk)
{
  GBytes *played;

  close (SPEAKER_FD);
  g_atomic_int_set (&spk->stop, 1);
  g_thread_join (spk->thread);
  close (spk->fd);
  played = g_byte_array_free_to_bytes (spk->played);
  g_free (spk);
  return played;
}

/* ---- bus helpers ---- */

GstMessage *
fake_wait_error_or_eos (GstElement *pipeline, GstClockTime timeout)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (
      bus, timeout, GST_MESSAGE_ERROR | GST_MESSAGE_EOS);

  gst_object_unref (bus);
  return msg;
}

gchar *
fake_expect_error (GstElement *pipeline, GstState state, GQuark domain,
    gint code, const gchar *src_prefix, gchar **debug)
{
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL, *text;

  gst_element_set_state (pipeline, state);
  msg = fake_wait_error_or_eos (pipeline, 10 * GST_SECOND);
  fail_unless (msg != NULL, "no error within 10 s");
  fail_unless (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR, "got %s",
      GST_MESSAGE_TYPE_NAME (msg));
  gst_message_parse_error (msg, &err, &dbg);
  GST_INFO ("error from %s: %s (%s)", GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)),
      err->message, dbg);
  fail_unless (
      g_str_has_prefix (GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), src_prefix),
      "error from %s: %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)),
      err->message);
  fail_unless (err->domain == domain && err->code == code,
      "unexpected error %s %d: %s (%s)", g_quark_to_string (err->domain),
      err->code, err->message, dbg);
  text = g_strdup (err->message);
  if (debug)
    *debug = dbg;
  else
    g_free (dbg);
  g_error_free (err);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return text;
}
