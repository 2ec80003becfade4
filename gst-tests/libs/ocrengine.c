/* gst-omni: the OCR engine interface and its image helpers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/video/video.h>
#include <omni/tasks/omniocrengine.h>
#include <string.h>

/* A frame of @format filled by videotestsrc-free means: a solid colour
 * converted with GstVideoConverter from BGRx. */
static GstBuffer *
solid_frame (GstVideoFormat format, gint w, gint h, guint8 r, guint8 g,
    guint8 b, GstVideoInfo *info)
{
  GstVideoInfo src_info;
  GstBuffer *src, *dst;
  GstVideoFrame sf, df;
  GstVideoConverter *conv;
  GstMapInfo map;
  gsize i;

  gst_video_info_set_format (&src_info, GST_VIDEO_FORMAT_BGRx, w, h);
  gst_video_info_set_format (info, format, w, h);
  src = gst_buffer_new_allocate (NULL, src_info.size, NULL);
  gst_buffer_map (src, &map, GST_MAP_WRITE);
  for (i = 0; i + 4 <= map.size; i += 4) {
    map.data[i] = b;
    map.data[i + 1] = g;
    map.data[i + 2] = r;
    map.data[i + 3] = 255;
  }
  gst_buffer_unmap (src, &map);
  dst = gst_buffer_new_allocate (NULL, info->size, NULL);
  gst_video_frame_map (&sf, &src_info, src, GST_MAP_READ);
  gst_video_frame_map (&df, info, dst, GST_MAP_WRITE);
  conv = gst_video_converter_new (&src_info, info, NULL);
  gst_video_converter_frame (conv, &sf, &df);
  gst_video_converter_free (conv);
  gst_video_frame_unmap (&sf);
  gst_video_frame_unmap (&df);
  gst_buffer_unref (src);
  return dst;
}

GST_START_TEST (test_convert_formats)
{
  static const GstVideoFormat formats[]
      = { GST_VIDEO_FORMAT_RGB, GST_VIDEO_FORMAT_BGRx, GST_VIDEO_FORMAT_ABGR,
          GST_VIDEO_FORMAT_I420, GST_VIDEO_FORMAT_NV12, GST_VIDEO_FORMAT_NV21,
          GST_VIDEO_FORMAT_Y444, GST_VIDEO_FORMAT_GRAY8 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    GstVideoInfo info;
    GstBuffer *buf = solid_frame (formats[i], 37, 11, 200, 40, 90, &info);
    OmniOcrConvertFunc convert = omni_ocr_convert_func_for_format (formats[i]);
    GstVideoFrame frame;
    OmniOcrImage *img;
    gint x, y;

    fail_unless (convert != NULL);
    gst_video_frame_map (&frame, &info, buf, GST_MAP_READ);
    img = convert (&frame);
    gst_video_frame_unmap (&frame);
    fail_unless_equals_int (img->width, 37);
    fail_unless_equals_int (img->height, 11);
    for (y = 0; y < img->height; y++)
      for (x = 0; x < img->width; x++) {
        const guint8 *p = img->data + y * img->stride + x * img->channels;

        if (img->channels == 1) {
          /* BT.601 luma of (200, 40, 90), full range */
          fail_unless (ABS (p[0] - 94) <= 3, "grey %u", p[0]);
        } else {
          /* YUV round trip: within a few levels */
          fail_unless (ABS (p[0] - 200) <= 4 && ABS (p[1] - 40) <= 4
                           && ABS (p[2] - 90) <= 4,
              "%s: %u %u %u", gst_video_format_to_string (formats[i]), p[0],
              p[1], p[2]);
        }
      }
    omni_ocr_image_free (img);
    gst_buffer_unref (buf);
  }
  fail_unless (
      omni_ocr_convert_func_for_format (GST_VIDEO_FORMAT_v210) == NULL);
  fail_unless (
      omni_ocr_convert_func_for_format (GST_VIDEO_FORMAT_GRAY16_LE) == NULL);
}
GST_END_TEST;

GST_START_TEST (test_image_geometry)
{
  OmniOcrImage *img = omni_ocr_image_new (10, 6, 1), *c, *s;
  gint x, y;

  for (y = 0; y < 6; y++)
    for (x = 0; x < 10; x++)
      img->data[y * img->stride + x] = x * 20;
  /* a crop outside the image repeats the edges */
  c = omni_ocr_image_crop (img, -2, 4, 4, 4);
  fail_unless_equals_int (c->data[0], 0);
  fail_unless_equals_int (c->data[3], 20);
  fail_unless_equals_int (c->data[3 * c->stride + 3], 20);
  omni_ocr_image_free (c);
  /* halving averages pairs; doubling keeps the ramp monotonic */
  s = omni_ocr_image_scale (img, 5, 3);
  for (x = 0; x < 5; x++)
    fail_unless_equals_int (s->data[x], x * 40 + 10);
  omni_ocr_image_free (s);
  s = omni_ocr_image_scale (img, 20, 12);
  for (x = 1; x < 20; x++)
    fail_unless (s->data[x] >= s->data[x - 1]);
  fail_unless_equals_int (s->data[0], 0);
  fail_unless_equals_int (s->data[19], 180);
  omni_ocr_image_free (s);
  omni_ocr_image_invert (img);
  fail_unless_equals_int (img->data[9], 255 - 180);
  omni_ocr_image_free (img);
}
GST_END_TEST;

GST_START_TEST (test_engine_errors)
{
  GError *err = NULL;
  OmniOcrEngine *e;
  const gchar *const *names = omni_ocr_engine_list ();

  fail_unless_equals_string (names[0], "tesseract");
  fail_unless (names[1] == NULL);
  e = omni_ocr_engine_new ("paddle", "eng", &err);
  fail_unless (e == NULL);
  fail_unless (g_error_matches (err, OMNI_OCR_ERROR, OMNI_OCR_ERROR_NO_ENGINE));
  g_clear_error (&err);
  e = omni_ocr_engine_new (NULL, "eng+zz_not_a_language", &err);
  fail_unless (e == NULL);
  fail_unless (g_error_matches (err, OMNI_OCR_ERROR, OMNI_OCR_ERROR_LANGUAGE));
  fail_unless (strstr (err->message, "tesseract-ocr-zz-not-a-language"), "%s",
      err->message);
  fail_if (strstr (err->message, "tesseract-ocr-eng"), "%s", err->message);
  g_clear_error (&err);
}
GST_END_TEST;

/* Tiny and blank images: no line; a cancelled engine says so. */
GST_START_TEST (test_engine_blank_and_cancel)
{
  GError *err = NULL;
  OmniOcrEngine *e = omni_ocr_engine_new (NULL, "eng", &err);
  OmniOcrImage *tiny = omni_ocr_image_new (1, 1, 3);
  OmniOcrImage *blank = omni_ocr_image_new (320, 240, 1);
  OmniOcrParams p;
  GPtrArray *lines;

  fail_unless (e != NULL, "%s", err ? err->message : "");
  omni_ocr_params_init (&p);
  lines = omni_ocr_engine_read (e, tiny, &p, &err);
  fail_unless (lines != NULL && lines->len == 0);
  g_ptr_array_unref (lines);
  memset (blank->data, 255, blank->stride * blank->height);
  lines = omni_ocr_engine_read (e, blank, &p, &err);
  fail_unless (lines != NULL && lines->len == 0);
  g_ptr_array_unref (lines);

  omni_ocr_engine_cancel (e);
  lines = omni_ocr_engine_read (e, blank, &p, &err);
  fail_unless (lines == NULL);
  fail_unless (g_error_matches (err, OMNI_OCR_ERROR, OMNI_OCR_ERROR_CANCELLED));
  g_clear_error (&err);
  omni_ocr_engine_uncancel (e);
  lines = omni_ocr_engine_read (e, blank, &p, &err);
  fail_unless (lines != NULL);
  g_ptr_array_unref (lines);

  omni_ocr_image_free (tiny);
  omni_ocr_image_free (blank);
  omni_ocr_engine_free (e);
}
GST_END_TEST;

static Suite *
ocrengine_suite (void)
{
  Suite *s = suite_create ("ocrengine");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_convert_formats);
  tcase_add_test (tc, test_image_geometry);
  tcase_add_test (tc, test_engine_errors);
  tcase_add_test (tc, test_engine_blank_and_cancel);
  return s;
}

GST_CHECK_MAIN (ocrengine);
