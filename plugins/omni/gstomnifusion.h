/* gst-omni: omnifusion
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_OMNI_FUSION_H__
#define __GST_OMNI_FUSION_H__

#include <gst/gst.h>
#include <gst/base/gstaggregator.h>

G_BEGIN_DECLS

#define GST_TYPE_OMNI_FUSION_PAD (gst_omni_fusion_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstOmniFusionPad, gst_omni_fusion_pad, GST,
    OMNI_FUSION_PAD, GstAggregatorPad)

#define GST_TYPE_OMNI_FUSION (gst_omni_fusion_get_type ())
G_DECLARE_FINAL_TYPE (
    GstOmniFusion, gst_omni_fusion, GST, OMNI_FUSION, GstAggregator)

GST_ELEMENT_REGISTER_DECLARE (omnifusion);

G_END_DECLS

#endif /* __GST_OMNI_FUSION_H__ */
