/* gst-omni: IoU tracker (stable ids for detection boxes across frames)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_IOU_TRACKER_H__
#define __OMNI_IOU_TRACKER_H__

#include <omni/tasks/omnidetectnms.h>

G_BEGIN_DECLS

/**
 * OmniIouTracker:
 *
 * Tracking by detection with box overlap alone (Bochinski, Eiselein and
 * Sikora, "High-Speed Tracking-by-Detection Without Using Image
 * Information", AVSS 2017; the idea of GStreamer's `ioutracker` in
 * gst-plugins-rs and of DL Streamer's zero-term tracker): each frame's
 * boxes are matched to the live tracks of the same label, greedily by
 * decreasing IoU, a pair needing IoU >= the threshold; a matched box takes
 * the track's id and becomes its last box; an unmatched box starts a track
 * with a new id (ids count from 1 and are never reused); a track that finds
 * no box counts a miss and is dropped after more than max-misses
 * consecutive misses (a short occlusion keeps the id, a long one does not).
 */
typedef struct _OmniIouTracker OmniIouTracker;

/**
 * omni_iou_tracker_new:
 * @iou_threshold: the least IoU between a track's last box and a box for
 *   them to match (0 < t <= 1)
 * @max_misses: how many consecutive frames a track survives without a box
 *
 * Returns: (transfer full): a tracker with no tracks
 */
OMNI_API OmniIouTracker *omni_iou_tracker_new (
    gdouble iou_threshold, guint max_misses);

OMNI_API void omni_iou_tracker_free (OmniIouTracker *tracker);

/**
 * omni_iou_tracker_reset:
 * @tracker: a tracker
 *
 * Drops every track (a flush, a seek); ids continue from the last one.
 */
OMNI_API void omni_iou_tracker_reset (OmniIouTracker *tracker);

/**
 * omni_iou_tracker_update:
 * @tracker: a tracker
 * @boxes: (array length=n_boxes): one frame's detections
 * @n_boxes: their number
 * @track_ids: (out caller-allocates) (array length=n_boxes): the id of each
 *   box's track
 *
 * Advances the tracker by one (inferred) frame.
 */
OMNI_API void omni_iou_tracker_update (OmniIouTracker *tracker,
    const OmniDetectBox *boxes, guint n_boxes, guint *track_ids);

/**
 * omni_iou_tracker_get_n_tracks:
 * @tracker: a tracker
 *
 * Returns: the number of live tracks (matched or within their misses)
 */
OMNI_API guint omni_iou_tracker_get_n_tracks (OmniIouTracker *tracker);

G_END_DECLS

#endif /* __OMNI_IOU_TRACKER_H__ */
