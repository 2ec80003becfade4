/* gst-omni: omnicensor's hold: one stream's delay line
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_CENSOR_HOLD_H__
#define __OMNI_CENSOR_HOLD_H__

#include <gst/gst.h>
#include <gst/video/video.h>
#include <gst/audio/audio.h>

G_BEGIN_DECLS

typedef struct _OmniCensorHold OmniCensorHold;

/* A box to censor, in pixels. */
typedef struct {
  gint x, y, w, h;
} OmniCensorBox;

/**
 * OmniCensorHoldFuncs:
 * @judged: whether the verdicts cover media up to running time @end
 * @censor: returns the buffer to push for @buf (the same one when nothing
 *   changes); @judged says whether the verdicts covered it
 *
 * The owner's answers; both are called with the shared lock held.
 */
typedef struct {
  gboolean (*judged) (
      OmniCensorHold *hold, GstClockTime end, gpointer user_data);
  GstBuffer *(*censor) (OmniCensorHold *hold, GstBuffer *buf,
      GstClockTime start, GstClockTime end, gboolean judged,
      gpointer user_data);
} OmniCensorHoldFuncs;

typedef gboolean (*OmniCensorLabelFilter) (gpointer user_data, GQuark label);

OmniCensorHold *omni_censor_hold_new (GstElement *element, gboolean video,
    GstPad *sinkpad, GstPad *srcpad, GMutex *lock, GCond *cond,
    const OmniCensorHoldFuncs *funcs, gpointer user_data);
void omni_censor_hold_free (OmniCensorHold *hold);

/* With the lock held: */
void omni_censor_hold_set_delay (OmniCensorHold *hold, GstClockTime delay);
GstClockTime omni_censor_hold_released_end (OmniCensorHold *hold);
const GstVideoInfo *omni_censor_hold_video_info (OmniCensorHold *hold);
const GstAudioInfo *omni_censor_hold_audio_info (OmniCensorHold *hold);
void omni_censor_hold_boxes (OmniCensorHold *hold, GstBuffer *buf,
    GstClockTime running_time, OmniCensorLabelFilter wanted, gpointer user_data,
    GArray *out);

G_END_DECLS

#endif /* __OMNI_CENSOR_HOLD_H__ */
