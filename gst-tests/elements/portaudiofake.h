/* gst-omni: a fake sound card for the portaudio tests, made of ALSA's `file`
 * and `null` PCM plugins in a test-only ALSA configuration.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __PORTAUDIO_FAKE_H__
#define __PORTAUDIO_FAKE_H__

#include <gst/gst.h>
#include <gst/audio/audio.h>

G_BEGIN_DECLS

/* ALSA PCMs PortAudio lists with the fake configuration (all ALSA plugin
 * devices, so PortAudio offers each for both input and output):
 * - FAKE_CAPTURE: a microphone that hears what the test sends with
 *   fake_mic_start(), at the pace the test sends it;
 * - FAKE_PLAYBACK: a speaker whose output the test reads with
 *   fake_speaker_start(), at the pace the test reads it;
 * - FAKE_FILE: a microphone reading a file of S16LE mono (the 1 kHz tone of
 *   fake_tone_s16()), as fast as it is read (no pacing);
 * - FAKE_BUSY: a microphone capturing zeros, as fast as it is read, and
 *   exclusive like a hardware device: while one handle has it open (or
 *   fake_hold() holds it), opening it fails with EBUSY;
 * - "default": ALSA's null device.
 * fake_unplug() removes a PCM from the configuration after PortAudio has
 * listed it, so that opening it fails as for an unplugged device.
 * fake_break_capture() and fake_break_playback() make the running
 * FAKE_CAPTURE or FAKE_PLAYBACK device fail: from then on alsa-lib gets
 * ENOSPC on the device's data path and returns it to PortAudio.
 * fake_replug() undoes all of these. */
#define FAKE_CAPTURE "omnitest_capture"
#define FAKE_PLAYBACK "omnitest_playback"
#define FAKE_FILE "omnitest_file"
#define FAKE_BUSY "omnitest_busy"
#define FAKE_N_DEVICES 5

void fake_setup (void);
const gchar *fake_dir (void);
void fake_unplug (const gchar *name);
void fake_replug (void);
void fake_break_capture (void);
void fake_break_playback (void);

/* Keeps FAKE_BUSY busy until fake_release(), as another application having
 * it open would. */
gpointer fake_hold (const gchar *name);
void fake_release (gpointer handle);

/* A test signal: @lead_s of silence, a 1 kHz tone (cosine, amplitude 0.5)
 * for @tone_s, a linear chirp from CHIRP_F0 to CHIRP_F1 Hz for @chirp_s,
 * then @tail_s of silence, as doubles in [-1, 1]. */
#define TONE_HZ 1000.0
#define CHIRP_F0 200.0
#define CHIRP_F1 5000.0
gdouble *fake_signal (gint rate, gdouble lead_s, gdouble tone_s,
    gdouble chirp_s, gdouble tail_s, gsize *n_samples);
gdouble fake_chirp_frequency (gdouble t, gdouble chirp_s);

/* Converts mono @samples to @format (F32, S32 or S16, native endian),
 * duplicated on @channels channels. */
GBytes *fake_pack (
    const gdouble *samples, gsize n, GstAudioFormat format, gint channels);
/* Reads frame @i, channel 0 of @data in @format as a double. */
gdouble fake_unpack (
    const guint8 *data, gsize i, GstAudioFormat format, gint channels);

/* The fake microphone: a thread sends @data in blocks of 10 ms at @speed
 * times real time, then silence until fake_mic_stop(). Under valgrind the
 * speed is divided by 4 (the pipeline could not keep up otherwise; the
 * device's pace is whatever the microphone's is). */
typedef struct _FakeMic FakeMic;
FakeMic *fake_mic_start (GBytes *data, gint rate, gint bpf, gdouble speed);
/* The same, but the microphone only starts sending at fake_mic_go(). */
FakeMic *fake_mic_new (GBytes *data, gint rate, gint bpf, gdouble speed);
void fake_mic_go (FakeMic *mic);
gsize fake_mic_stop (FakeMic *mic);
/* Stops sending and returns how many bytes the device has taken from the
 * microphone (sent minus what is still unread). */
gsize fake_mic_consumed (FakeMic *mic);

/* The fake speaker: a thread reads what the device plays, at @rate * @bpf
 * bytes per second, until fake_speaker_stop(), which returns all of it. */
typedef struct _FakeSpeaker FakeSpeaker;
FakeSpeaker *fake_speaker_start (gint rate, gint bpf);
gsize fake_speaker_received (FakeSpeaker *spk); /* bytes so far */
GBytes *fake_speaker_stop (FakeSpeaker *spk);

/* Waits up to @timeout for an ERROR or EOS on @pipeline's bus; returns it
 * (or NULL). */
GstMessage *fake_wait_error_or_eos (GstElement *pipeline, GstClockTime timeout);

/* Sets @pipeline to @state and fails the test unless an ERROR with @domain
 * and @code from an element whose name starts with @src_prefix comes within
 * 10 s; returns the error's message text (free it). */
gchar *fake_expect_error (GstElement *pipeline, GstState state, GQuark domain,
    gint code, const gchar *src_prefix, gchar **debug);

G_END_DECLS

#endif /* __PORTAUDIO_FAKE_H__ */
