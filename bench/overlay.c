/* gst-omni benchmark: omnioverlay against GStreamer's own cairooverlay and
 * textoverlay drawing the same 20 labelled boxes on a 1080p frame, in the
 * same run, on one thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: bench-overlay [frames]
 *
 * One 1920x1080 frame from videotestsrc (SMPTE bars) in BGRx (the format
 * cairooverlay draws on) and in I420; 20 boxes of 200x150 px on a 5x4 grid,
 * each with a GstVideoRegionOfInterestMeta ("person", `detection`
 * confidence, label id, track id) and the label "person 0.87 #12":
 *
 * - omnioverlay draws the boxes (3 px) and labels from the ROI metas;
 * - cairooverlay's "draw" callback strokes the same 20 rectangles (3 px)
 *   and draws the same labels on a filled background with Pango (layout
 *   made once and reused, as an application would);
 * - 20 chained textoverlay elements draw the 20 labels (text only, no
 *   boxes: textoverlay cannot draw rectangles), each at its box.
 *
 * Every push gets a fresh writable copy of the frame (with the metas),
 * made outside the timed span, so that no element pays for a copy; the
 * timed span is push + pull, and identity's time for it (the plumbing) is
 * subtracted ("net"). Times are the CPU time of the pushing thread (the
 * harness runs every element in it, so other load on the machine does not
 * count), per frame, after 10 warm-up frames.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstharness.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define N_BOXES 20
#define BOX_W 200
#define BOX_H 150
#define LABEL "person 0.87 #12"
#define FONT "Sans Bold 20"
#define WARMUP 10

static void
box_at (guint i, gint *x, gint *y)
{
  *x = 100 + (gint) (i % 5) * 350;
  *y = 100 + (gint) (i / 5) * 240;
}

static GstBuffer *
make_frame (const gchar *format)
{
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=1 ! "
                                 "video/x-raw,format=%s,width=1920,height=1080"
                                 " ! appsink name=sink sync=false",
      format);
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  GstSample *sample;
  GstBuffer *buf;

  gst_element_set_state (pipe, GST_STATE_PLAYING);
  g_signal_emit_by_name (sink, "pull-sample", &sample);
  buf = gst_buffer_copy_deep (gst_sample_get_buffer (sample));
  gst_sample_unref (sample);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  g_free (desc);
  return buf;
}

/* A fresh writable copy of @frame with the 20 ROI metas. */
static GstBuffer *
fresh (GstBuffer *frame, guint n)
{
  GstBuffer *buf = gst_buffer_copy_deep (frame);
  guint i;

  for (i = 0; i < N_BOXES; i++) {
    GstVideoRegionOfInterestMeta *roi;
    gint x, y;

    box_at (i, &x, &y);
    roi = gst_buffer_add_video_region_of_interest_meta (
        buf, "person", x, y, BOX_W, BOX_H);
    roi->id = i;
    roi->parent_id = -1;
    gst_video_region_of_interest_meta_add_param (roi,
        gst_structure_new ("detection", "confidence", G_TYPE_DOUBLE, 0.87,
            "label-id", G_TYPE_UINT, 0, "track-id", G_TYPE_UINT, 12, NULL));
  }
  GST_BUFFER_PTS (buf) = n * (GST_SECOND / 30);
  GST_BUFFER_DURATION (buf) = GST_SECOND / 30;
  return buf;
}

static gdouble
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* cairooverlay's "draw": the 20 boxes and labels. */
static void
on_draw (GstElement *overlay, cairo_t *cr, guint64 ts, guint64 dur,
    gpointer user_data)
{
  PangoLayout **layout = user_data;
  guint i;

  if (!*layout) {
    PangoFontDescription *desc = pango_font_description_from_string (FONT);

    *layout = pango_cairo_create_layout (cr);
    pango_layout_set_font_description (*layout, desc);
    pango_layout_set_text (*layout, LABEL, -1);
    pango_font_description_free (desc);
  }
  pango_cairo_update_layout (cr, *layout);
  cairo_set_line_width (cr, 3.0);
  for (i = 0; i < N_BOXES; i++) {
    PangoRectangle ink, logical;
    gint x, y;

    box_at (i, &x, &y);
    cairo_set_source_rgb (cr, 1.0, 56 / 255.0, 56 / 255.0);
    cairo_rectangle (cr, x + 1.5, y + 1.5, BOX_W - 3, BOX_H - 3);
    cairo_stroke (cr);
    pango_layout_get_pixel_extents (*layout, &ink, &logical);
    cairo_rectangle (
        cr, x, y - logical.height, logical.width + 4, logical.height);
    cairo_fill (cr);
    cairo_set_source_rgb (cr, 0, 0, 0);
    cairo_move_to (cr, x + 2, y - logical.height);
    pango_cairo_show_layout (cr, *layout);
  }
}

static gchar *
textoverlay_chain (void)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < N_BOXES; i++) {
    gint x, y;

    box_at (i, &x, &y);
    g_string_append_printf (s,
        "%stextoverlay name=t%u text=\"%s\" font-desc=\"%s\" "
        "halignment=position "
        "valignment=position xpos=%f ypos=%f shaded-background=true",
        i ? " ! " : "", i, LABEL, FONT, x / 1920.0, (y - 30) / 1080.0);
  }
  return g_string_free (s, FALSE);
}

/* The textoverlay chain in a bin whose ghost pads are the first
 * element's video_sink and the last one's src (their text_sink pads stay
 * unlinked: the text is a property). */
static GstHarness *
textoverlay_harness (const gchar *launch)
{
  GstElement *bin = gst_parse_bin_from_description (launch, FALSE, NULL);
  GstElement *first = gst_bin_get_by_name (GST_BIN (bin), "t0");
  GstElement *last = gst_bin_get_by_name (GST_BIN (bin), "t19");
  GstPad *sink = gst_element_get_static_pad (first, "video_sink");
  GstPad *src = gst_element_get_static_pad (last, "src");
  GstHarness *h;

  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", sink));
  gst_element_add_pad (bin, gst_ghost_pad_new ("src", src));
  gst_object_unref (sink);
  gst_object_unref (src);
  gst_object_unref (first);
  gst_object_unref (last);
  h = gst_harness_new_with_element (bin, "sink", "src");
  gst_object_unref (bin);
  return h;
}

/* ms of thread CPU per frame for the pipeline @launch on @frame. */
static gdouble
run (const gchar *launch, const gchar *caps, GstBuffer *frame, guint frames,
    gboolean cairo)
{
  GstHarness *h = g_str_has_prefix (launch, "textoverlay name=t0")
                      ? textoverlay_harness (launch)
                      : gst_harness_new_parse (launch);
  PangoLayout *layout = NULL;
  gdouble t0 = 0;
  guint i;

  if (cairo) {
    GstElement *e = gst_harness_find_element (h, "cairooverlay");

    g_signal_connect (e, "draw", G_CALLBACK (on_draw), &layout);
    gst_object_unref (e);
  }
  gst_harness_set_src_caps_str (h, caps);
  for (i = 0; i < WARMUP + frames; i++) {
    GstBuffer *buf = fresh (frame, i);
    gdouble t = thread_cpu_ms ();

    if (gst_harness_push (h, buf) != GST_FLOW_OK) {
      g_printerr ("%s: push failed\n", launch);
      exit (1);
    }
    gst_buffer_unref (gst_harness_pull (h));
    if (i >= WARMUP)
      t0 += thread_cpu_ms () - t;
  }
  t0 /= frames;
  gst_harness_teardown (h);
  g_clear_object (&layout);
  return t0;
}

int
main (int argc, char **argv)
{
  guint frames = argc > 1 ? (guint) atoi (argv[1]) : 100;
  const gchar *bgrx = "video/x-raw,format=BGRx,width=1920,height=1080,"
                      "framerate=30/1";
  const gchar *i420 = "video/x-raw,format=I420,width=1920,height=1080,"
                      "framerate=30/1";
  GstBuffer *fb, *fi;
  gchar *chain;
  gdouble id_b, id_i, omni_b, omni_i, cairo, text;

  gst_init (&argc, &argv);
  if (frames == 0)
    frames = 100;
  fb = make_frame ("BGRx");
  fi = make_frame ("I420");
  chain = textoverlay_chain ();

  id_b = run ("identity", bgrx, fb, frames, FALSE);
  id_i = run ("identity", i420, fi, frames, FALSE);
  omni_b = run ("omnioverlay font-desc=\"Sans Bold\" font-size-px=27", bgrx, fb,
               frames, FALSE)
           - id_b;
  omni_i = run ("omnioverlay font-desc=\"Sans Bold\" font-size-px=27", i420, fi,
               frames, FALSE)
           - id_i;
  cairo = run ("cairooverlay", bgrx, fb, frames, TRUE) - id_b;
  text = run (chain, bgrx, fb, frames, FALSE) - id_b;

  printf ("1920x1080, %d boxes with labels, %u frames, thread CPU ms per "
          "frame (net of identity: BGRx %.3f, I420 %.3f)\n",
      N_BOXES, frames, id_b, id_i);
  printf ("  omnioverlay BGRx          %8.3f ms\n", omni_b);
  printf ("  omnioverlay I420          %8.3f ms\n", omni_i);
  printf ("  cairooverlay BGRx         %8.3f ms   (boxes + labels)\n", cairo);
  printf ("  20 x textoverlay BGRx     %8.3f ms   (labels only)\n", text);
  printf ("ratio cairooverlay / omnioverlay (BGRx):   %.2fx\n", cairo / omni_b);
  printf ("ratio textoverlay x20 / omnioverlay (BGRx): %.2fx\n", text / omni_b);
  g_free (chain);
  gst_buffer_unref (fb);
  gst_buffer_unref (fi);
  return 0;
}
