/* gst-omni: the Tesseract OCR engine (libtesseract's C API)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_OCR_TESSERACT_H__
#define __OMNI_OCR_TESSERACT_H__

#include <omni/tasks/omniocrengine.h>

G_BEGIN_DECLS

/* Not public API: reached through omni_ocr_engine_new ("tesseract"). */
G_GNUC_INTERNAL extern const OmniOcrBackend omni_ocr_tesseract_backend;

G_GNUC_INTERNAL gchar *omni_ocr_tesseract_package_for (const gchar *language);

G_END_DECLS

#endif /* __OMNI_OCR_TESSERACT_H__ */
