/* gst-omni: omnidetect
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_OMNI_DETECT_H__
#define __GST_OMNI_DETECT_H__

#include "gstomniinference.h"

G_BEGIN_DECLS

/**
 * GstOmniDetectTracker:
 * @GST_OMNI_DETECT_TRACKER_NONE: no tracking (track-id 0)
 * @GST_OMNI_DETECT_TRACKER_IOU: the IoU tracker (#OmniIouTracker)
 *
 * How omnidetect gives boxes track ids.
 */
typedef enum {
  GST_OMNI_DETECT_TRACKER_NONE,
  GST_OMNI_DETECT_TRACKER_IOU,
} GstOmniDetectTracker;

#define GST_TYPE_OMNI_DETECT (gst_omni_detect_get_type ())
G_DECLARE_FINAL_TYPE (
    GstOmniDetect, gst_omni_detect, GST, OMNI_DETECT, GstOmniInference)

GST_ELEMENT_REGISTER_DECLARE (omnidetect);

G_END_DECLS

#endif /* __GST_OMNI_DETECT_H__ */
