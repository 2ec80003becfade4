/* gst-omni: causal beat tracking on a tempo-phase state space
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_BEAT_DBN_H__
#define __OMNI_BEAT_DBN_H__

#include <omni/omni-prelude.h>

G_BEGIN_DECLS

/**
 * OmniBeatDbn:
 *
 * Online beat tracker on the bar-pointer state space of Krebs, Böck &
 * Widmer (ISMIR 2015) restricted to one beat, filtered forward only: fed
 * one onset strength frame at a time, it says when the most probable
 * state puts a beat a few frames back.
 */
typedef struct _OmniBeatDbn OmniBeatDbn;

OMNI_API OmniBeatDbn *omni_beat_dbn_new (
    double frame_rate, double bpm_min, double bpm_max);
OMNI_API int omni_beat_dbn_set_lambda (OmniBeatDbn *d, double lambda);
OMNI_API int omni_beat_dbn_do (
    OmniBeatDbn *d, float value, double guide_bpm, long *beat_frame);
OMNI_API double omni_beat_dbn_get_period (const OmniBeatDbn *d);
OMNI_API double omni_beat_dbn_get_next (const OmniBeatDbn *d);
OMNI_API unsigned omni_beat_dbn_get_look_ahead (const OmniBeatDbn *d);
OMNI_API unsigned omni_beat_dbn_get_n_states (const OmniBeatDbn *d);
OMNI_API void omni_beat_dbn_reset (OmniBeatDbn *d);
OMNI_API void omni_beat_dbn_free (OmniBeatDbn *d);

G_END_DECLS

#endif /* __OMNI_BEAT_DBN_H__ */
