/* gst-omni benchmark: omnisampler's scene scoring against gst-plugins-bad's
 * scenechange and against identity (the cost of the plumbing), on the same
 * I420 frames in the same run, on one thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: bench-sampler [frames-per-size]
 *
 * The frames come from videotestsrc (moving SMPTE bars, a cut to a moving
 * pinwheel every 10 frames) and are generated once per size; every element
 * then gets the same frames, each wrapped in a fresh writable buffer so that
 * no element pays for a copy. Times are the CPU time of the pushing thread
 * (the harness runs every element in it, so other load on the machine does
 * not count) per frame, push + pull; "net" subtracts identity's time.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define DISTINCT 30

typedef struct {
  const gchar *label;
  const gchar *element;
  const gchar *props; /* "name=value ..." or NULL */
} Candidate;

static const Candidate candidates[] = {
  { "identity", "identity", NULL },
  { "scenechange (gst-plugins-bad)", "scenechange", NULL },
  { "omnisampler detector=adaptive", "omnisampler", "detector=adaptive" },
  { "omnisampler detector=fast", "omnisampler", "detector=fast" },
  { "omnisampler scene-threshold=1", "omnisampler", "scene-threshold=1.0" },
};

/* DISTINCT frames of @w x @h I420 from videotestsrc */
static GPtrArray *
make_frames (gint w, gint h)
{
  GPtrArray *frames = g_ptr_array_new_with_free_func (g_free);
  const gchar *patterns[] = { "smpte", "pinwheel" };
  gint k;

  for (k = 0; k < DISTINCT; k += 10) {
    gchar *desc = g_strdup_printf (
        "videotestsrc pattern=%s horizontal-speed=6 num-buffers=10 ! "
        "video/x-raw,format=I420,width=%d,height=%d,framerate=30/1 ! "
        "appsink name=sink sync=false",
        patterns[(k / 10) % 2], w, h);
    GstElement *pipe = gst_parse_launch (desc, NULL);
    GstElement *sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
    GstSample *sample;

    gst_element_set_state (pipe, GST_STATE_PLAYING);
    while (TRUE) {
      GstMapInfo map;

      sample = NULL;
      g_signal_emit_by_name (sink, "pull-sample", &sample);
      if (!sample)
        break;
      gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
      g_ptr_array_add (frames, g_memdup2 (map.data, map.size));
      gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
      gst_sample_unref (sample);
    }
    gst_element_set_state (pipe, GST_STATE_NULL);
    gst_object_unref (sink);
    gst_object_unref (pipe);
    g_free (desc);
  }
  if (frames->len != DISTINCT) {
    g_printerr ("bench-sampler: videotestsrc gave %u frames\n", frames->len);
    exit (1);
  }
  return frames;
}

static gint64
thread_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ns per frame of @c over @n frames */
static gdouble
run (const Candidate *c, GPtrArray *frames, gsize size, gint w, gint h, gint n)
{
  GstHarness *hr = gst_harness_new (c->element);
  gchar *caps = g_strdup_printf (
      "video/x-raw,format=I420,width=%d,height=%d,framerate=30/1", w, h);
  gint64 t0 = 0;
  gint i;

  if (c->props) {
    gchar **kv = g_strsplit (c->props, " ", -1), **p;
    for (p = kv; *p; p++) {
      gchar **nv = g_strsplit (*p, "=", 2);
      gst_util_set_object_arg (G_OBJECT (hr->element), nv[0], nv[1]);
      g_strfreev (nv);
    }
    g_strfreev (kv);
  }
  gst_harness_set_src_caps_str (hr, caps);
  g_free (caps);

  /* 10 frames of warm-up, then the timed ones */
  for (i = -10; i < n; i++) {
    GstBuffer *buf = gst_buffer_new_wrapped_full (0,
        g_ptr_array_index (frames, (i + 10) % DISTINCT), size, 0, size, NULL,
        NULL);
    GstBuffer *out;

    if (i == 0)
      t0 = thread_ns ();
    GST_BUFFER_PTS (buf) = gst_util_uint64_scale (i + 10, GST_SECOND, 30);
    GST_BUFFER_DURATION (buf) = GST_SECOND / 30;
    if (gst_harness_push (hr, buf) != GST_FLOW_OK) {
      g_printerr ("bench-sampler: %s refused a frame\n", c->element);
      exit (1);
    }
    while ((out = gst_harness_try_pull (hr)))
      gst_buffer_unref (out);
  }
  {
    gdouble ns = (gdouble) (thread_ns () - t0) / n;
    gst_harness_teardown (hr);
    return ns;
  }
}

int
main (int argc, char **argv)
{
  const gint sizes[][2] = { { 1920, 1080 }, { 3840, 2160 } };
  gint n = argc > 1 ? atoi (argv[1]) : 300;
  guint s, c;

#ifdef OMNI_BUILD_PLUGINDIR
  if (!g_getenv ("GST_PLUGIN_PATH"))
    g_setenv ("GST_PLUGIN_PATH", OMNI_BUILD_PLUGINDIR, TRUE);
#endif
  gst_init (&argc, &argv);
  for (c = 0; c < G_N_ELEMENTS (candidates); c++) {
    GstElementFactory *f = gst_element_factory_find (candidates[c].element);
    if (!f) {
      g_printerr ("bench-sampler: element %s not found (GST_PLUGIN_PATH?)\n",
          candidates[c].element);
      return 1;
    }
    gst_object_unref (f);
  }

  for (s = 0; s < G_N_ELEMENTS (sizes); s++) {
    gint w = sizes[s][0], h = sizes[s][1];
    GPtrArray *frames = make_frames (w, h);
    GstVideoInfo info;
    gdouble ns[G_N_ELEMENTS (candidates)];

    gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, w, h);
    printf ("bench-sampler: %dx%d I420, %d frames, CPU time of one thread\n", w,
        h, n);
    for (c = 0; c < G_N_ELEMENTS (candidates); c++) {
      ns[c] = run (&candidates[c], frames, info.size, w, h, n);
      printf ("  %-32s %12.0f ns/frame", candidates[c].label, ns[c]);
      if (c > 0)
        printf ("   net %10.0f ns/frame", ns[c] - ns[0]);
      printf ("\n");
    }
    printf ("  ratio scenechange / omnisampler (adaptive), net: %.2f\n",
        (ns[1] - ns[0]) / (ns[2] - ns[0]));
    printf ("  ratio scenechange / omnisampler (fast), net:     %.2f\n",
        (ns[1] - ns[0]) / (ns[3] - ns[0]));
    printf ("  omnisampler adaptive: %.3f ms per frame (goal < 1 ms at "
            "2160p)\n",
        ns[2] / 1e6);
    g_ptr_array_unref (frames);
  }
  return 0;
}
