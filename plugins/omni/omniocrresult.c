/* gst-omni: omniocr's results as metas and messages
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniocrresult.h"

#include <gst/video/video.h>
#include <omni/meta/omniresultsmeta.h>

void
omni_ocr_result_clear (OmniOcrResult *result)
{
  g_clear_pointer (&result->lines, g_ptr_array_unref);
}

/* One GstVideoRegionOfInterestMeta per line: roi_type "text", a parameter
 * structure "omniocr" with the text and the confidence; the lines are
 * mirrored in the OmniResultsMeta (a "text" box containing a text entry). */
void
omni_ocr_result_attach (const OmniOcrResult *result, GstBuffer *buffer)
{
  guint i;

  for (i = 0; result->lines && i < result->lines->len; i++) {
    const OmniOcrLine *l = g_ptr_array_index (result->lines, i);
    GstVideoRegionOfInterestMeta *roi;

    roi = gst_buffer_add_video_region_of_interest_meta (
        buffer, "text", l->box.x, l->box.y, l->box.width, l->box.height);
    roi->id = i;
    gst_video_region_of_interest_meta_add_param (
        roi, gst_structure_new ("omniocr", "text", G_TYPE_STRING, l->text,
                 "confidence", G_TYPE_DOUBLE, l->confidence, "inverted",
                 G_TYPE_BOOLEAN, l->inverted, NULL));
  }
  omni_results_meta_add_from_rois (buffer);
}

static GstStructure *
line_structure (const OmniOcrLine *l, gint width, gint height)
{
  return gst_structure_new ("line", "text", G_TYPE_STRING, l->text,
      "confidence", G_TYPE_DOUBLE, l->confidence, "x", G_TYPE_INT, l->box.x,
      "y", G_TYPE_INT, l->box.y, "width", G_TYPE_INT, l->box.width, "height",
      G_TYPE_INT, l->box.height, "nx", G_TYPE_DOUBLE,
      (gdouble) l->box.x / width, "ny", G_TYPE_DOUBLE,
      (gdouble) l->box.y / height, "nwidth", G_TYPE_DOUBLE,
      (gdouble) l->box.width / width, "nheight", G_TYPE_DOUBLE,
      (gdouble) l->box.height / height, "inverted", G_TYPE_BOOLEAN, l->inverted,
      NULL);
}

/* The `omniocr` message body (fields documented in gstomniocr.c). */
GstStructure *
omni_ocr_result_to_structure (const OmniOcrResult *result, gboolean late)
{
  GValue lines = G_VALUE_INIT;
  GString *text = g_string_new (NULL);
  gdouble conf_sum = 0;
  guint i, n = result->lines ? result->lines->len : 0;
  GstStructure *s;

  g_value_init (&lines, GST_TYPE_ARRAY);
  for (i = 0; i < n; i++) {
    const OmniOcrLine *l = g_ptr_array_index (result->lines, i);
    GValue v = G_VALUE_INIT;

    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, line_structure (l, result->width, result->height));
    gst_value_array_append_and_take_value (&lines, &v);
    g_string_append_printf (text, "%s%s", i ? "\n" : "", l->text);
    conf_sum += l->confidence;
  }
  s = gst_structure_new ("omniocr", "timestamp", G_TYPE_UINT64, result->pts,
      "stream-time", G_TYPE_UINT64, result->stream_time, "running-time",
      G_TYPE_UINT64, result->running_time, "duration", G_TYPE_UINT64,
      result->duration, "width", G_TYPE_INT, result->width, "height",
      G_TYPE_INT, result->height, "n-lines", G_TYPE_UINT, n, "text",
      G_TYPE_STRING, text->str, "confidence", G_TYPE_DOUBLE,
      n ? conf_sum / n : 0.0, NULL);
  gst_structure_take_value (s, "lines", &lines);
  gst_structure_set (s, "inference-ms", G_TYPE_DOUBLE, result->inference_ms,
      "late", G_TYPE_BOOLEAN, late, NULL);
  g_string_free (text, TRUE);
  return s;
}
