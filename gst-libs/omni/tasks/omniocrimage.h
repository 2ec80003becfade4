/* gst-omni: 8-bit grey images for the OCR engines
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_OCR_IMAGE_H__
#define __OMNI_OCR_IMAGE_H__

#include <omni/omni-prelude.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

/**
 * OmniOcrImage:
 * @data: @height rows of @stride bytes, one byte (luma, 0 = black) a pixel
 * @width: width in pixels
 * @height: height in pixels
 * @stride: bytes from one row to the next
 *
 * A grey image: what the OCR engines read.
 */
typedef struct {
  guint8 *data;
  gint width;
  gint height;
  gint stride;
} OmniOcrImage;

/**
 * OmniOcrGreyFunc:
 * @frame: a mapped video frame
 * @out: an image of the frame's size
 *
 * Writes the luma of @frame into @out; chosen once per format with
 * omni_ocr_grey_func_for_format().
 */
typedef void (*OmniOcrGreyFunc) (const GstVideoFrame *frame, OmniOcrImage *out);

OMNI_API OmniOcrImage *omni_ocr_image_new (gint width, gint height);
OMNI_API void omni_ocr_image_free (OmniOcrImage *image);

OMNI_API OmniOcrGreyFunc omni_ocr_grey_func_for_format (GstVideoFormat format);

OMNI_API OmniOcrImage *omni_ocr_image_crop (
    const OmniOcrImage *src, gint x, gint y, gint width, gint height);
OMNI_API OmniOcrImage *omni_ocr_image_scale (
    const OmniOcrImage *src, gint width, gint height);
OMNI_API void omni_ocr_image_invert (OmniOcrImage *image);
OMNI_API guint8 omni_ocr_image_otsu (const OmniOcrImage *image);
OMNI_API gboolean omni_ocr_image_is_light_on_dark (const OmniOcrImage *image);

G_END_DECLS

#endif /* __OMNI_OCR_IMAGE_H__ */
