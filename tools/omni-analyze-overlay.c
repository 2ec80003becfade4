/* gst-omni: omni-analyze's --overlay drawing (omnioverlay)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "omni-analyze-overlay.h"

/* omnioverlay in the --overlay copy, after textoverlay and before the
 * encoder: it draws what the analysis attached to the frames (the boxes,
 * labels, scores and track ids of ROI metas, classes, OCR text lines,
 * keypoints). textoverlay already burns in the window's caption and
 * verdict, so omnioverlay leaves those out; sizes follow the frame
 * height (omnioverlay's defaults). */
void
oa_overlay_configure (GstElement *draw)
{
  g_object_set (draw, "draw-caption", FALSE, NULL);
}
