/* gst-omni: omnicensor's sound operations
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A span of frames is replaced by a tone (bleep) or by silence, with a
 * raised-cosine fade at each end inside the span, so that the edit makes
 * no click and nothing outside the span changes. The tone's phase follows
 * the frame's position on the running-time axis, so consecutive buffers
 * join without a jump.
 */
#include "omnicensoraudio.h"

#include <math.h>

void
omni_censor_audio_mask_init (OmniCensorAudioMask *mask, gsize frames)
{
  mask->frames = frames;
  mask->bleep = g_new0 (gfloat, frames);
  mask->mute = g_new0 (gfloat, frames);
}

void
omni_censor_audio_mask_clear (OmniCensorAudioMask *mask)
{
  g_clear_pointer (&mask->bleep, g_free);
  g_clear_pointer (&mask->mute, g_free);
  mask->frames = 0;
}

/* Gain at frame @t of the span [@s, @e): 1 inside, a raised-cosine ramp
 * over the first and last @fade frames. */
static gfloat
span_gain (gint64 t, gint64 s, gint64 e, gsize fade)
{
  gint64 d = MIN (t - s, e - 1 - t);

  if (fade == 0 || d >= (gint64) fade)
    return 1.0f;
  return (gfloat) (0.5 - 0.5 * cos (G_PI * (d + 0.5) / fade));
}

/**
 * omni_censor_audio_mask_add:
 * @span_start, @span_end: the span, in frames on the same axis as
 *   @buffer_start (absolute frame numbers of the running time)
 * @fade_frames: length of each fade, inside the span (shortened for short
 *   spans)
 *
 * Returns: whether the span touches the buffer.
 */
gboolean
omni_censor_audio_mask_add (OmniCensorAudioMask *mask,
    OmniCensorAudioAction action, gint64 span_start, gint64 span_end,
    gint64 buffer_start, gsize fade_frames)
{
  gint64 from = MAX (span_start, buffer_start);
  gint64 to = MIN (span_end, buffer_start + (gint64) mask->frames);
  gfloat *m = action == OMNI_CENSOR_AUDIO_BLEEP ? mask->bleep : mask->mute;
  gsize fade = MIN (fade_frames, (gsize) MAX (span_end - span_start, 0) / 2);
  gint64 t;

  if (from >= to)
    return FALSE;
  for (t = from; t < to; t++) {
    gfloat g = span_gain (t, span_start, span_end, fade);
    gsize i = (gsize) (t - buffer_start);
    m[i] = MAX (m[i], g);
  }
  return TRUE;
}

static gfloat
tone (guint64 frame, gint rate, gdouble frequency_hz)
{
  /* the phase modulo one period keeps full precision on long streams */
  guint64 period = (guint64) llround (rate * 1000.0 / frequency_hz);
  gdouble phase = (gdouble) ((frame * 1000) % MAX (period, 1)) / 1000.0;

  return (gfloat) (0.25 * sin (2.0 * G_PI * frequency_hz * phase / rate));
}

/**
 * omni_censor_audio_apply:
 * @data: interleaved frames of @info's format, @mask->frames of them
 * @first_frame: frame number of the first frame on the running-time axis
 *   (for the tone's phase)
 *
 * Output = input × (1 − max(bleep, mute)) + tone × bleep; the tone is at
 * −12 dBFS.
 */
void
omni_censor_audio_apply (const GstAudioInfo *info, gpointer data,
    const OmniCensorAudioMask *mask, guint64 first_frame, gdouble frequency_hz)
{
  gint ch, channels = GST_AUDIO_INFO_CHANNELS (info);
  gboolean f32 = GST_AUDIO_INFO_FORMAT (info) == GST_AUDIO_FORMAT_F32LE;
  gsize i;

  for (i = 0; i < mask->frames; i++) {
    gfloat b = mask->bleep[i], keep = 1.0f - MAX (b, mask->mute[i]);
    gfloat add;
    if (keep == 1.0f)
      continue;
    add = b > 0.0f ? b * tone (first_frame + i, info->rate, frequency_hz) : 0;
    for (ch = 0; ch < channels; ch++) {
      gsize k = i * channels + ch;
      if (f32) {
        gfloat *x = data;
        x[k] = x[k] * keep + add;
      } else {
        gint16 *x = data;
        x[k] = (gint16) CLAMP (
            lrintf (x[k] * keep + add * 32767.0f), -32768, 32767);
      }
    }
  }
}
