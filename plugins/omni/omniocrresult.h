/* gst-omni: omniocr's results as metas and messages
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_OCR_RESULT_H__
#define __OMNI_OCR_RESULT_H__

#include <gst/gst.h>
#include <omni/tasks/omniocrengine.h>

G_BEGIN_DECLS

/* What one analysed frame gave, and where it sits in time. */
typedef struct {
  GPtrArray *lines; /* OmniOcrLine, boxes in frame pixels */
  gint width, height;
  GstClockTime pts, duration, running_time, stream_time;
  gdouble inference_ms;
} OmniOcrResult;

void omni_ocr_result_clear (OmniOcrResult *result);
void omni_ocr_result_attach (const OmniOcrResult *result, GstBuffer *buffer);
GstStructure *omni_ocr_result_to_structure (
    const OmniOcrResult *result, gboolean late);

G_END_DECLS

#endif /* __OMNI_OCR_RESULT_H__ */
