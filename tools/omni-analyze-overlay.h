/* gst-omni: omni-analyze's --overlay drawing (omnioverlay)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_ANALYZE_OVERLAY_H__
#define __OMNI_ANALYZE_OVERLAY_H__

#include <gst/gst.h>

G_BEGIN_DECLS

void oa_overlay_configure (GstElement *draw);

G_END_DECLS

#endif
