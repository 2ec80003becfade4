/* gst-omni: omnicensor's picture operations
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_CENSOR_VIDEO_H__
#define __OMNI_CENSOR_VIDEO_H__

#include <gst/video/video.h>

G_BEGIN_DECLS

/**
 * OmniCensorVideoAction:
 * @OMNI_CENSOR_VIDEO_NONE: leave the picture as it is
 * @OMNI_CENSOR_VIDEO_BLUR: Gaussian-like blur (three box passes), radius
 *   = strength pixels
 * @OMNI_CENSOR_VIDEO_PIXELATE: blocks of strength × strength pixels, each
 *   the mean of the pixels it covers
 * @OMNI_CENSOR_VIDEO_BLACK: black
 */
typedef enum {
  OMNI_CENSOR_VIDEO_NONE,
  OMNI_CENSOR_VIDEO_BLUR,
  OMNI_CENSOR_VIDEO_PIXELATE,
  OMNI_CENSOR_VIDEO_BLACK,
} OmniCensorVideoAction;

#define OMNI_CENSOR_VIDEO_FORMATS                                              \
  "{ I420, YV12, Y42B, Y444, NV12, NV21, GRAY8, RGBx, BGRx, xRGB, xBGR, "      \
  "RGBA, BGRA, ARGB, ABGR, RGB, BGR, AYUV, YUY2, UYVY }"

void omni_censor_video_apply (GstVideoFrame *frame,
    OmniCensorVideoAction action, guint strength_px, gint x, gint y, gint w,
    gint h);

G_END_DECLS

#endif /* __OMNI_CENSOR_VIDEO_H__ */
