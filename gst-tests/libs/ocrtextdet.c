/* gst-omni: unit tests for the text detector (tasks/omniocrtextdet):
 * PaddleOCR v4 det + the DB post-processing on images
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Needs paddleocr-det (tools/omni-fetch-models). A caption drawn by
 * textoverlay over a real photo (mate-backgrounds' Storm.jpg) must come
 * back as a box where textoverlay drew it (the same text drawn white on
 * black gives the exact place), stretched into the model's input as the
 * sidecar says and letterboxed (the same model with a sidecar that asks
 * for it): the box is mapped back to the frame either way.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <omni/nn/omninnonnx.h>
#include <omni/tasks/omniocrtextdet.h>
#include <math.h>
#include <string.h>

#define PHOTO "/usr/share/backgrounds/mate/nature/Storm.jpg"
#define TEXT "Storm warning: stay indoors"

static void
spawn (const gchar *cmd)
{
  gchar *err = NULL;
  gint status = -1;

  fail_unless (
      g_spawn_command_line_sync (cmd, NULL, &err, &status, NULL), "%s", cmd);
  fail_unless (g_spawn_check_wait_status (status, NULL), "%s: %s", cmd, err);
  g_free (err);
}

/* @w x @h RGB: the photo with TEXT drawn at the centre, or (@mask) the
 * same text white on black */
static OmniOcrImage *
render (gint w, gint h, gboolean mask)
{
  gchar *path = g_build_filename (g_get_tmp_dir (), "ocrtextdet.rgb", NULL);
  gchar *src = mask ? g_strdup ("videotestsrc pattern=black num-buffers=1")
                    : g_strdup ("filesrc location=" PHOTO
                                " ! decodebin ! videoconvert ! videoscale ! "
                                "imagefreeze num-buffers=1");
  gchar *cmd = g_strdup_printf (
      "gst-launch-1.0 -q %s ! video/x-raw,width=%d,height=%d ! videoconvert "
      "! textoverlay text=\"" TEXT "\" font-desc=\"Sans Bold 28\" "
      "valignment=center halignment=center draw-shadow=false "
      "draw-outline=false color=0xffffffff ! videoconvert ! "
      "video/x-raw,format=RGB ! filesink location=%s",
      src, w, h, path);
  OmniOcrImage *im = omni_ocr_image_new (w, h, 3);
  gchar *bytes = NULL;
  gsize len = 0;
  gint y;

  spawn (cmd);
  fail_unless (g_file_get_contents (path, &bytes, &len, NULL));
  fail_unless_equals_int (len, (gsize) GST_ROUND_UP_4 (w * 3) * h);
  for (y = 0; y < h; y++)
    memcpy (im->data + (gsize) y * im->stride,
        bytes + (gsize) y * GST_ROUND_UP_4 (w * 3), w * 3);
  g_unlink (path);
  g_free (bytes);
  g_free (cmd);
  g_free (src);
  g_free (path);
  return im;
}

/* the bounding box of the lit pixels of a mask */
static void
mask_box (const OmniOcrImage *m, gint *x0, gint *y0, gint *x1, gint *y1)
{
  gint x, y;

  *x0 = *y0 = G_MAXINT;
  *x1 = *y1 = -1;
  for (y = 0; y < m->height; y++)
    for (x = 0; x < m->width; x++)
      if (m->data[(gsize) y * m->stride + x * 3] > 128) {
        *x0 = MIN (*x0, x);
        *y0 = MIN (*y0, y);
        *x1 = MAX (*x1, x + 1);
        *y1 = MAX (*y1, y + 1);
      }
}

/* one box holding the whole text, not much larger (DB's unclip adds a
 * margin of about half the text's height) */
static void
check_found (OmniOcrTextDet *det, gint w, gint h)
{
  OmniOcrImage *im = render (w, h, FALSE), *mask = render (w, h, TRUE);
  OmniOcrDbParams p;
  GArray *boxes;
  GError *err = NULL;
  gint x0, y0, x1, y1, bx, by, bw, bh;

  mask_box (mask, &x0, &y0, &x1, &y1);
  fail_unless (x1 > x0 && y1 > y0);
  omni_ocr_db_params_init (&p);
  boxes = omni_ocr_text_det_find (det, im, &p, &err);
  fail_unless (boxes != NULL, "%s", err ? err->message : "?");
  fail_unless_equals_int (boxes->len, 1);
  omni_ocr_db_bounds (
      &g_array_index (boxes, OmniOcrDbRect, 0), &bx, &by, &bw, &bh);
  g_print ("%dx%d: text (%d,%d)-(%d,%d), box (%d,%d)-(%d,%d)\n", w, h, x0, y0,
      x1, y1, bx, by, bx + bw, by + bh);
  fail_unless (
      bx <= x0 + 2 && by <= y0 + 2 && bx + bw >= x1 - 2 && by + bh >= y1 - 2,
      "box (%d,%d)-(%d,%d) does not hold the text (%d,%d)-(%d,%d)", bx, by,
      bx + bw, by + bh, x0, y0, x1, y1);
  fail_unless (bw < (x1 - x0) + (y1 - y0) * 2 && bh < (y1 - y0) * 3,
      "box %dx%d for text %dx%d", bw, bh, x1 - x0, y1 - y0);
  g_array_unref (boxes);
  omni_ocr_image_free (im);
  omni_ocr_image_free (mask);
}

GST_START_TEST (test_input_normalisation)
{
  GError *err = NULL;
  OmniOcrTextDet *det = omni_ocr_text_det_new (
      OMNI_OCR_TEXT_DET_MODEL, OMNI_NN_BACKEND_CPU, NULL, &err);
  OmniOcrImage *rgb = omni_ocr_image_new (3, 2, 3), *grey;
  static const gfloat mean[3] = { 0.485f, 0.456f, 0.406f };
  static const gfloat std[3] = { 0.229f, 0.224f, 0.225f };
  const guint8 v[3] = { 10, 128, 250 };
  gfloat *t;
  gint x, y, c;
  gsize i;

  fail_unless (det != NULL, "%s", err ? err->message : "?");
  fail_unless_equals_string (omni_ocr_text_det_get_backend_name (det), "cpu");
  for (y = 0; y < 2; y++)
    for (x = 0; x < 3; x++)
      memcpy (rgb->data + y * rgb->stride + x * 3, v, 3);
  t = omni_ocr_text_det_make_input (det, rgb);
  for (i = 0; i < 640 * 640; i++)
    for (c = 0; c < 3; c++)
      fail_unless (
          fabsf (t[i * 3 + c] - (v[c] / 255.0f - mean[c]) / std[c]) < 1e-5);
  g_free (t);
  grey = omni_ocr_image_new (1, 1, 1);
  grey->data[0] = 200;
  t = omni_ocr_text_det_make_input (det, grey);
  for (c = 0; c < 3; c++)
    fail_unless (fabsf (t[c] - (200 / 255.0f - mean[c]) / std[c]) < 1e-5);
  g_free (t);
  omni_ocr_image_free (grey);
  omni_ocr_image_free (rgb);
  omni_ocr_text_det_free (det);
}

GST_END_TEST;

GST_START_TEST (test_caption_stretched)
{
  GError *err = NULL;
  OmniOcrTextDet *det = omni_ocr_text_det_new (
      OMNI_OCR_TEXT_DET_MODEL, OMNI_NN_BACKEND_CPU, NULL, &err);

  fail_unless (det != NULL, "%s", err ? err->message : "?");
  check_found (det, 960, 540);
  omni_ocr_text_det_free (det);
}

GST_END_TEST;

/* a copy of paddleocr-det whose sidecar asks for a letterboxed input */
static gchar *
letterbox_model (void)
{
  GError *err = NULL;
  gchar *src = omni_nn_onnx_resolve (OMNI_OCR_TEXT_DET_MODEL, &err);
  gchar *dir = g_dir_make_tmp ("ocrtextdet-XXXXXX", NULL);
  gchar *onnx = g_build_filename (dir, "model.onnx", NULL);
  gchar *info = g_build_filename (dir, "model-info.json", NULL);
  gchar *sums = g_build_filename (dir, "SHA256SUMS", NULL);
  gchar *bytes = NULL, *json, *s1, *s2, *all;
  gsize len = 0;
  const gchar *sidecar
      = "{\"format\": \"omni-model-info\", \"task\": \"text-detection\",\n"
        " \"input\": {\"width\": 640, \"height\": 640, \"channels\": 3,\n"
        "  \"color\": \"RGB\", \"resize\": \"letterbox\"},\n"
        " \"onnx\": {\"bindings\": [\"p2o.DynamicDimension.1=640\",\n"
        "  \"p2o.DynamicDimension.2=640\"]}}\n";

  fail_unless (src != NULL, "%s", err ? err->message : "?");
  fail_unless (g_file_get_contents (src, &bytes, &len, NULL));
  fail_unless (g_file_set_contents (onnx, bytes, len, NULL));
  json = g_strdup (sidecar);
  fail_unless (g_file_set_contents (info, json, -1, NULL));
  s1 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) bytes, len);
  s2 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);
  all = g_strdup_printf ("%s  model.onnx\n%s  model-info.json\n", s1, s2);
  fail_unless (g_file_set_contents (sums, all, -1, NULL));
  g_free (all);
  g_free (s1);
  g_free (s2);
  g_free (json);
  g_free (bytes);
  g_free (info);
  g_free (sums);
  g_free (src);
  g_free (dir);
  return onnx;
}

GST_START_TEST (test_caption_letterboxed)
{
  GError *err = NULL;
  gchar *onnx = letterbox_model (), *dir = g_path_get_dirname (onnx), *f;
  OmniOcrTextDet *det
      = omni_ocr_text_det_new (onnx, OMNI_NN_BACKEND_CPU, NULL, &err);

  fail_unless (det != NULL, "%s", err ? err->message : "?");
  /* a wide frame: 640 x 240 of content, 200 rows of pad above and below */
  check_found (det, 1280, 480);
  omni_ocr_text_det_free (det);
  f = g_build_filename (dir, "model-info.json", NULL);
  g_unlink (f);
  g_free (f);
  f = g_build_filename (dir, "SHA256SUMS", NULL);
  g_unlink (f);
  g_free (f);
  g_unlink (onnx);
  g_rmdir (dir);
  g_free (dir);
  g_free (onnx);
}

GST_END_TEST;

GST_START_TEST (test_missing_model)
{
  GError *err = NULL;
  OmniOcrTextDet *det = omni_ocr_text_det_new (
      "no-such-text-detector", OMNI_NN_BACKEND_CPU, NULL, &err);

  fail_unless (det == NULL);
  fail_unless (g_error_matches (err, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND),
      "%s", err ? err->message : "?");
  g_error_free (err);
}

GST_END_TEST;

static Suite *
ocrtextdet_suite (void)
{
  Suite *s = suite_create ("ocrtextdet");
  TCase *tc = tcase_create ("paddleocr");

  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_input_normalisation);
  tcase_add_test (tc, test_caption_stretched);
  tcase_add_test (tc, test_caption_letterboxed);
  tcase_add_test (tc, test_missing_model);
  return s;
}

GST_CHECK_MAIN (ocrtextdet);
