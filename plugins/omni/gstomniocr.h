/* gst-omni: omniocr
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_OMNI_OCR_H__
#define __GST_OMNI_OCR_H__

#include <gst/gst.h>
#include <gst/video/video.h>
#include <gst/video/gstvideofilter.h>

G_BEGIN_DECLS

#define GST_TYPE_OMNI_OCR (gst_omni_ocr_get_type ())
G_DECLARE_FINAL_TYPE (GstOmniOcr, gst_omni_ocr, GST, OMNI_OCR, GstVideoFilter)

GST_ELEMENT_REGISTER_DECLARE (omniocr);

G_END_DECLS

#endif /* __GST_OMNI_OCR_H__ */
