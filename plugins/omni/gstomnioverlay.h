/* gst-omni: omnioverlay
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_OMNI_OVERLAY_H__
#define __GST_OMNI_OVERLAY_H__

#include <gst/gst.h>
#include <gst/video/video.h>
#include <gst/video/gstvideofilter.h>

G_BEGIN_DECLS

#define GST_TYPE_OMNI_OVERLAY (gst_omni_overlay_get_type ())
G_DECLARE_FINAL_TYPE (
    GstOmniOverlay, gst_omni_overlay, GST, OMNI_OVERLAY, GstVideoFilter)

GST_ELEMENT_REGISTER_DECLARE (omnioverlay);

G_END_DECLS

#endif /* __GST_OMNI_OVERLAY_H__ */
