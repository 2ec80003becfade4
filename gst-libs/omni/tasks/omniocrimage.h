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
 * @data: @height rows of @stride bytes, @channels bytes a pixel
 * @width: width in pixels
 * @height: height in pixels
 * @stride: bytes from one row to the next
 * @channels: 1 (grey, 0 = black) or 3 (R, G, B)
 *
 * An 8-bit grey or RGB image: what the OCR engines read. Colour is kept
 * when the video has it: Tesseract thresholds each channel with Otsu's
 * method and keeps the best separated, which finds text that the luma
 * alone hides (white captions over bright photos).
 */
typedef struct {
  guint8 *data;
  gint width;
  gint height;
  gint stride;
  gint channels;
} OmniOcrImage;

/**
 * OmniOcrConvertFunc:
 * @frame: a mapped video frame
 *
 * Returns: (transfer full): @frame as an #OmniOcrImage (RGB for colour
 *   formats, grey for GRAY8); chosen once per format with
 *   omni_ocr_convert_func_for_format()
 */
typedef OmniOcrImage *(*OmniOcrConvertFunc) (const GstVideoFrame *frame);

OMNI_API OmniOcrImage *omni_ocr_image_new (
    gint width, gint height, gint channels);
OMNI_API void omni_ocr_image_free (OmniOcrImage *image);

OMNI_API OmniOcrConvertFunc omni_ocr_convert_func_for_format (
    GstVideoFormat format);

OMNI_API OmniOcrImage *omni_ocr_image_crop (
    const OmniOcrImage *src, gint x, gint y, gint width, gint height);
OMNI_API OmniOcrImage *omni_ocr_image_scale (
    const OmniOcrImage *src, gint width, gint height);
OMNI_API void omni_ocr_image_invert (OmniOcrImage *image);
OMNI_API OmniOcrImage *omni_ocr_image_warp_quad (
    const OmniOcrImage *src, const gdouble *quad, gint width, gint height);

G_END_DECLS

#endif /* __OMNI_OCR_IMAGE_H__ */
