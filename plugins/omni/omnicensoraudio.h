/* gst-omni: omnicensor's sound operations
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_CENSOR_AUDIO_H__
#define __OMNI_CENSOR_AUDIO_H__

#include <gst/audio/audio.h>

G_BEGIN_DECLS

/**
 * OmniCensorAudioAction:
 * @OMNI_CENSOR_AUDIO_BLEEP: a sine tone replaces the sound
 * @OMNI_CENSOR_AUDIO_MUTE: silence replaces the sound
 */
typedef enum {
  OMNI_CENSOR_AUDIO_BLEEP,
  OMNI_CENSOR_AUDIO_MUTE,
} OmniCensorAudioAction;

#define OMNI_CENSOR_AUDIO_FORMATS "{ S16LE, F32LE }"

/* What to do over one buffer: a gain per frame, 0 (keep) to 1 (replaced),
 * for the tone and for silence. */
typedef struct {
  gfloat *bleep, *mute;
  gsize frames;
} OmniCensorAudioMask;

void omni_censor_audio_mask_init (OmniCensorAudioMask *mask, gsize frames);
void omni_censor_audio_mask_clear (OmniCensorAudioMask *mask);
gboolean omni_censor_audio_mask_add (OmniCensorAudioMask *mask,
    OmniCensorAudioAction action, gint64 span_start, gint64 span_end,
    gint64 buffer_start, gsize fade_frames);
void omni_censor_audio_apply (const GstAudioInfo *info, gpointer data,
    const OmniCensorAudioMask *mask, guint64 first_frame, gdouble frequency_hz);

G_END_DECLS

#endif /* __OMNI_CENSOR_AUDIO_H__ */
