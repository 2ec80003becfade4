/* gst-omni: causal beat tracking
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_BEAT_H__
#define __OMNI_BEAT_H__

#include <omni/omni-prelude.h>

G_BEGIN_DECLS

/**
 * OmniBeatTracker:
 *
 * Online beat tracker: fed one onset strength frame at a time and the
 * current beat period, it predicts the next beat and says when it falls.
 */
typedef struct _OmniBeatTracker OmniBeatTracker;

OMNI_API OmniBeatTracker *omni_beat_tracker_new (
    double max_period, double tightness, double alpha);
OMNI_API int omni_beat_tracker_do (
    OmniBeatTracker *bt, float value, double period, double *beat_offset);
OMNI_API void omni_beat_tracker_restart (OmniBeatTracker *bt, double period);
OMNI_API double omni_beat_tracker_get_next (const OmniBeatTracker *bt);
OMNI_API double omni_beat_tracker_get_last (const OmniBeatTracker *bt);
OMNI_API long omni_beat_tracker_get_frame (const OmniBeatTracker *bt);
OMNI_API void omni_beat_tracker_reset (OmniBeatTracker *bt);
OMNI_API void omni_beat_tracker_free (OmniBeatTracker *bt);

G_END_DECLS

#endif /* __OMNI_BEAT_H__ */
