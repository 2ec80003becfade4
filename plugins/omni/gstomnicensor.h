/* gst-omni: omnicensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_OMNI_CENSOR_H__
#define __GST_OMNI_CENSOR_H__

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_OMNI_CENSOR (gst_omni_censor_get_type ())
G_DECLARE_FINAL_TYPE (
    GstOmniCensor, gst_omni_censor, GST, OMNI_CENSOR, GstElement)

GST_ELEMENT_REGISTER_DECLARE (omnicensor);

G_END_DECLS

#endif /* __GST_OMNI_CENSOR_H__ */
