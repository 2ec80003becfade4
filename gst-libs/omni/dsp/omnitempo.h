/* gst-omni: tempo estimation from an onset strength envelope
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_TEMPO_H__
#define __OMNI_TEMPO_H__

#include <omni/omni-prelude.h>

G_BEGIN_DECLS

/**
 * OmniTempo:
 *
 * Running tempo estimate (BPM and confidence) over a sliding window of an
 * onset strength envelope sampled at a fixed frame rate.
 */
typedef struct _OmniTempo OmniTempo;

OMNI_API OmniTempo *omni_tempo_new (double frame_rate, double bpm_min,
    double bpm_max, double window_s, double prior_bpm, double prior_octaves);
OMNI_API void omni_tempo_push (OmniTempo *t, float value);
OMNI_API void omni_tempo_push_bass (OmniTempo *t, float value);
OMNI_API int omni_tempo_update (OmniTempo *t);
OMNI_API double omni_tempo_get_bpm (const OmniTempo *t);
OMNI_API double omni_tempo_get_period (const OmniTempo *t);
OMNI_API double omni_tempo_get_confidence (const OmniTempo *t);
OMNI_API double omni_tempo_get_loose_confidence (const OmniTempo *t);
OMNI_API int omni_tempo_get_changed (const OmniTempo *t);
OMNI_API unsigned omni_tempo_get_n_states (const OmniTempo *t);
OMNI_API const double *omni_tempo_get_salience (
    const OmniTempo *t, const double **bpms);
OMNI_API void omni_tempo_reset (OmniTempo *t);
OMNI_API void omni_tempo_free (OmniTempo *t);

G_END_DECLS

#endif /* __OMNI_TEMPO_H__ */
