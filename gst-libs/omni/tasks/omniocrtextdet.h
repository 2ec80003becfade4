/* gst-omni: text regions of an image with PaddleOCR's DB text detector
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_OCR_TEXT_DET_H__
#define __OMNI_OCR_TEXT_DET_H__

#include <omni/omni-prelude.h>
#include <omni/nn/omninnsession.h> /* OmniNnBackendChoice */
#include <omni/tasks/omniocrdb.h>
#include <omni/tasks/omniocrimage.h>

G_BEGIN_DECLS

/**
 * OMNI_OCR_TEXT_DET_MODEL:
 *
 * The default text detector: PP-OCRv4 det (tools/omni-fetch-models).
 */
#define OMNI_OCR_TEXT_DET_MODEL "paddleocr-det"

typedef struct _OmniOcrTextDet OmniOcrTextDet;

OMNI_API OmniOcrTextDet *omni_ocr_text_det_new (const gchar *model,
    OmniNnBackendChoice choice, const gchar *device, GError **error);
OMNI_API void omni_ocr_text_det_free (OmniOcrTextDet *det);
OMNI_API const gchar *omni_ocr_text_det_get_backend_name (OmniOcrTextDet *det);
OMNI_API gfloat *omni_ocr_text_det_make_input (
    OmniOcrTextDet *det, const OmniOcrImage *image);
OMNI_API GArray *omni_ocr_text_det_find (OmniOcrTextDet *det,
    const OmniOcrImage *image, const OmniOcrDbParams *params, GError **error);

G_END_DECLS

#endif /* __OMNI_OCR_TEXT_DET_H__ */
