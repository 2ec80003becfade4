/* gst-omni: omnidetect's boxes as ROI metas and the omnidetect message
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnidetectresult.h"

#include <gst/video/video.h>
#include <omni/meta/omniresultsmeta.h>
#include <math.h>

static gfloat
input_to_frame (gfloat v, guint input, gdouble pad, gdouble scale, gint frame)
{
  return (gfloat) ((v * (gdouble) input - pad) / (scale * frame));
}

void
omni_detect_result_to_frame (OmniDetectBox *boxes, guint n_boxes, gdouble pad_x,
    gdouble pad_y, gdouble scale_x, gdouble scale_y, guint input_w,
    guint input_h, gint frame_w, gint frame_h)
{
  guint i, k;

  for (i = 0; i < n_boxes; i++) {
    OmniDetectBox *b = &boxes[i];

    b->x1 = input_to_frame (b->x1, input_w, pad_x, scale_x, frame_w);
    b->x2 = input_to_frame (b->x2, input_w, pad_x, scale_x, frame_w);
    b->y1 = input_to_frame (b->y1, input_h, pad_y, scale_y, frame_h);
    b->y2 = input_to_frame (b->y2, input_h, pad_y, scale_y, frame_h);
    for (k = 0; k < b->n_keypoints; k++) {
      b->keypoints[k][0] = input_to_frame (
          b->keypoints[k][0], input_w, pad_x, scale_x, frame_w);
      b->keypoints[k][1] = input_to_frame (
          b->keypoints[k][1], input_h, pad_y, scale_y, frame_h);
    }
  }
}

guint
omni_detect_result_clamp (OmniDetectBox *boxes, guint n_boxes)
{
  guint i, n = 0;

  for (i = 0; i < n_boxes; i++) {
    OmniDetectBox b = boxes[i];

    b.x1 = CLAMP (b.x1, 0.0f, 1.0f);
    b.y1 = CLAMP (b.y1, 0.0f, 1.0f);
    b.x2 = CLAMP (b.x2, 0.0f, 1.0f);
    b.y2 = CLAMP (b.y2, 0.0f, 1.0f);
    if (b.x2 > b.x1 && b.y2 > b.y1)
      boxes[n++] = b;
  }
  return n;
}

/* the box in whole pixels: the smallest pixel rectangle covering it */
static void
pixel_box (const OmniDetectBox *b, gint width, gint height, gint px[4])
{
  gint x1 = (gint) floor ((gdouble) b->x1 * width);
  gint y1 = (gint) floor ((gdouble) b->y1 * height);
  gint x2 = (gint) ceil ((gdouble) b->x2 * width);
  gint y2 = (gint) ceil ((gdouble) b->y2 * height);

  px[0] = CLAMP (x1, 0, MAX (width - 1, 0));
  px[1] = CLAMP (y1, 0, MAX (height - 1, 0));
  px[2] = MAX (MIN (x2, width) - px[0], 1);
  px[3] = MAX (MIN (y2, height) - px[1], 1);
}

static const gchar *
label_of (const OmniDetectResult *r, guint label)
{
  return label < r->n_labels ? r->labels[label] : "object";
}

static guint
track_of (const OmniDetectResult *r, guint i)
{
  return r->track_ids ? r->track_ids[i] : 0;
}

/* ids unique in the buffer: after those of the ROIs already there */
static gint
first_free_roi_id (GstBuffer *buffer)
{
  GstVideoRegionOfInterestMeta *m;
  gpointer state = NULL;
  gint id = 0;

  while (
      (m = (GstVideoRegionOfInterestMeta *) gst_buffer_iterate_meta_filtered (
           buffer, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE)))
    id = MAX (id, m->id + 1);
  return id;
}

static GstStructure *
keypoints_structure (const OmniDetectResult *r, const OmniDetectBox *b)
{
  GValue names = G_VALUE_INIT, xs = G_VALUE_INIT, ys = G_VALUE_INIT;
  GValue scores = G_VALUE_INIT, v = G_VALUE_INIT;
  GstStructure *s
      = gst_structure_new ("keypoints", "model", G_TYPE_STRING, r->model, NULL);
  guint k;

  g_value_init (&names, GST_TYPE_ARRAY);
  g_value_init (&xs, GST_TYPE_ARRAY);
  g_value_init (&ys, GST_TYPE_ARRAY);
  g_value_init (&scores, GST_TYPE_ARRAY);
  for (k = 0; k < b->n_keypoints; k++) {
    g_value_init (&v, G_TYPE_STRING);
    g_value_set_string (&v, r->keypoint_names ? r->keypoint_names[k] : "");
    gst_value_array_append_and_take_value (&names, &v);
    g_value_init (&v, G_TYPE_DOUBLE);
    g_value_set_double (&v, CLAMP (b->keypoints[k][0], 0.0f, 1.0f));
    gst_value_array_append_and_take_value (&xs, &v);
    g_value_init (&v, G_TYPE_DOUBLE);
    g_value_set_double (&v, CLAMP (b->keypoints[k][1], 0.0f, 1.0f));
    gst_value_array_append_and_take_value (&ys, &v);
    /* BlazeFace scores the face, not each keypoint */
    g_value_init (&v, G_TYPE_DOUBLE);
    g_value_set_double (&v, b->score);
    gst_value_array_append_and_take_value (&scores, &v);
  }
  gst_structure_take_value (s, "names", &names);
  gst_structure_take_value (s, "x", &xs);
  gst_structure_take_value (s, "y", &ys);
  gst_structure_take_value (s, "score", &scores);
  return s;
}

void
omni_detect_result_attach (const OmniDetectResult *r, GstBuffer *buffer)
{
  gint id = first_free_roi_id (buffer);
  guint i;

  for (i = 0; i < r->n_boxes; i++) {
    const OmniDetectBox *b = &r->boxes[i];
    GstVideoRegionOfInterestMeta *roi;
    gint px[4];

    pixel_box (b, r->width, r->height, px);
    roi = gst_buffer_add_video_region_of_interest_meta (
        buffer, label_of (r, b->label), px[0], px[1], px[2], px[3]);
    roi->id = id + (gint) i;
    roi->parent_id = -1;
    gst_video_region_of_interest_meta_add_param (roi,
        gst_structure_new ("detection", "confidence", G_TYPE_DOUBLE,
            (gdouble) b->score, "label-id", G_TYPE_UINT, b->label, "track-id",
            G_TYPE_UINT, track_of (r, i), "model", G_TYPE_STRING, r->model,
            "x-norm", G_TYPE_DOUBLE, (gdouble) b->x1, "y-norm", G_TYPE_DOUBLE,
            (gdouble) b->y1, "w-norm", G_TYPE_DOUBLE, (gdouble) (b->x2 - b->x1),
            "h-norm", G_TYPE_DOUBLE, (gdouble) (b->y2 - b->y1), NULL));
    if (b->n_keypoints)
      gst_video_region_of_interest_meta_add_param (
          roi, keypoints_structure (r, b));
  }
  /* the same boxes, with their keypoints, in gst-omni's results meta */
  if (r->n_boxes > 0)
    omni_results_meta_add_from_rois (buffer);
}

static GstStructure *
box_structure (const OmniDetectResult *r, guint i)
{
  const OmniDetectBox *b = &r->boxes[i];
  gint px[4];

  pixel_box (b, r->width, r->height, px);
  return gst_structure_new ("box", "label", G_TYPE_STRING,
      label_of (r, b->label), "label-id", G_TYPE_UINT, b->label, "confidence",
      G_TYPE_DOUBLE, (gdouble) b->score, "track-id", G_TYPE_UINT,
      track_of (r, i), "x", G_TYPE_INT, px[0], "y", G_TYPE_INT, px[1], "w",
      G_TYPE_INT, px[2], "h", G_TYPE_INT, px[3], "x-norm", G_TYPE_DOUBLE,
      (gdouble) b->x1, "y-norm", G_TYPE_DOUBLE, (gdouble) b->y1, "w-norm",
      G_TYPE_DOUBLE, (gdouble) (b->x2 - b->x1), "h-norm", G_TYPE_DOUBLE,
      (gdouble) (b->y2 - b->y1), NULL);
}

GstStructure *
omni_detect_result_to_structure (const OmniDetectResult *r)
{
  GValue boxes = G_VALUE_INIT;
  GstStructure *s;
  guint i;

  g_value_init (&boxes, GST_TYPE_LIST);
  for (i = 0; i < r->n_boxes; i++) {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, box_structure (r, i));
    gst_value_list_append_and_take_value (&boxes, &v);
  }
  s = gst_structure_new ("omnidetect", "timestamp", G_TYPE_UINT64, r->pts,
      "stream-time", G_TYPE_UINT64, r->stream_time, "running-time",
      G_TYPE_UINT64, r->running_time, "model", G_TYPE_STRING, r->model, NULL);
  gst_structure_take_value (s, "boxes", &boxes);
  return s;
}
