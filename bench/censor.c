/* gst-omni benchmark: omnicensor on 1080p frames, next to GStreamer's own
 * elements in the same run on the same frames: identity (the plumbing),
 * queue (GStreamer's own delay line: a thread, like omnicensor's) and
 * gst-plugins-bad's gaussianblur (the peer of the blur).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: bench-censor [frames]
 *
 * Each frame is a fresh writable copy of one of 8 noise frames (made
 * before the clock starts), pushed through a GstHarness and pulled back:
 * wall time per frame, push to pull, median of 5 rounds. omnicensor gets
 * its verdicts before the frames (a window covering everything: released
 * at once), so the figures are its own cost, not the delay.
 */
#include <gst/gst.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DISTINCT 8
#define ROUNDS 5

typedef struct {
  const gchar *label;
  const gchar *factory;
  const gchar *format;
  const gchar *props;   /* gst_util_set_object_arg pairs "k=v k=v", or NULL */
  const gchar *verdict; /* JSON lines for omnicensor */
  gboolean faces;       /* five 200x200 "face" boxes on every frame */
} Candidate;

#define ALL_OK                                                                 \
  "{\"type\":\"window\",\"window-start\":0,\"window-end\":999000000000,"       \
  "\"state\":\"ok\"}\n"
#define ALL_FLAGGED                                                            \
  "{\"type\":\"segment\",\"event\":\"closed\",\"id\":1,\"start\":0,"           \
  "\"end\":999000000000,\"trigger\":{\"source\":\"video\"}}\n" ALL_OK

static const Candidate candidates[] = {
  { "identity", "identity", "I420", NULL, NULL, FALSE },
  { "queue (GStreamer's delay line)", "queue", "I420", NULL, NULL, FALSE },
  { "omnicensor, nothing flagged", "omnicensor", "I420", NULL, ALL_OK, FALSE },
  { "omnicensor, 5 face regions pixelated", "omnicensor", "I420",
      "regions=face video-action=pixelate strength=16", ALL_OK, TRUE },
  { "omnicensor, flagged: pixelate 24", "omnicensor", "I420",
      "video-action=pixelate strength=24", ALL_FLAGGED, FALSE },
  { "omnicensor, flagged: blur r=12", "omnicensor", "I420",
      "video-action=blur strength=12", ALL_FLAGGED, FALSE },
  { "omnicensor, flagged: blur r=12 (AYUV)", "omnicensor", "AYUV",
      "video-action=blur strength=12", ALL_FLAGGED, FALSE },
  { "gaussianblur sigma=12.5 (AYUV, gst-plugins-bad)", "gaussianblur", "AYUV",
      "sigma=12.5", NULL, FALSE },
};

static GstBuffer *
noise_frame (const GstVideoInfo *info, guint seed)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, info->size, NULL);
  GRand *rand = g_rand_new_with_seed (seed);
  GstMapInfo map;
  gsize i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i + 4 <= map.size; i += 4) {
    guint32 r = g_rand_int (rand);
    memcpy (map.data + i, &r, 4);
  }
  gst_buffer_unmap (buf, &map);
  g_rand_free (rand);
  return buf;
}

static void
set_props (GstElement *e, const gchar *props)
{
  gchar **kv = props ? g_strsplit (props, " ", -1) : NULL, **p;

  for (p = kv; p && *p; p++) {
    gchar **pair = g_strsplit (*p, "=", 2);
    gst_util_set_object_arg (G_OBJECT (e), pair[0], pair[1]);
    g_strfreev (pair);
  }
  g_strfreev (kv);
}

static void
add_faces (GstBuffer *buf, guint k)
{
  guint i;

  for (i = 0; i < 5; i++) {
    GstVideoRegionOfInterestMeta *roi = gst_buffer_add_video_region_of_interest_meta (
        buf, "face", 100 + 350 * i, 300 + (k % 50), 200, 200);
    gst_video_region_of_interest_meta_add_param (roi,
        gst_structure_new ("detection", "track-id", G_TYPE_UINT, i + 1, NULL));
  }
}

/* ms per frame, push to pull, for @n frames through @c. */
static gdouble
run (const Candidate *c, GstBuffer **frames, guint n)
{
  GstElement *e = gst_element_factory_make (c->factory, NULL);
  GstHarness *h, *hv = NULL;
  GstBuffer **in = g_new (GstBuffer *, n);
  gchar *caps = g_strdup_printf (
      "video/x-raw,format=%s,width=1920,height=1080,framerate=30/1", c->format);
  gint64 t0, t1;
  guint k;

  if (e == NULL) {
    g_printerr ("no element %s\n", c->factory);
    exit (1);
  }
  set_props (e, c->props);
  h = gst_harness_new_with_element (e, c->verdict ? "video_sink" : "sink",
      c->verdict ? "video_src" : "src");
  gst_harness_set_src_caps_str (h, caps);
  if (c->verdict) {
    hv = gst_harness_new_with_element (e, "verdict_sink", NULL);
    gst_harness_set_src_caps_str (hv, "application/x-omni-events");
    gst_harness_push (hv, gst_buffer_new_memdup (c->verdict, strlen (c->verdict)));
  }
  for (k = 0; k < n; k++) {
    in[k] = gst_buffer_copy_deep (frames[k % DISTINCT]);
    GST_BUFFER_PTS (in[k]) = k * GST_SECOND / 30;
    GST_BUFFER_DURATION (in[k]) = GST_SECOND / 30;
    if (c->faces)
      add_faces (in[k], k);
  }
  t0 = g_get_monotonic_time ();
  for (k = 0; k < n; k++) {
    gst_harness_push (h, in[k]);
    gst_buffer_unref (gst_harness_pull (h));
  }
  t1 = g_get_monotonic_time ();
  if (hv)
    gst_harness_teardown (hv);
  gst_harness_teardown (h);
  gst_object_unref (e);
  g_free (in);
  g_free (caps);
  return (t1 - t0) / 1000.0 / n;
}

static int
cmp_double (const void *a, const void *b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;
  return (x > y) - (x < y);
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 60, i, r, k;
  const guint nc = G_N_ELEMENTS (candidates);
  gdouble ms[G_N_ELEMENTS (candidates)][ROUNDS], med[G_N_ELEMENTS (candidates)];
  GstBuffer *i420[DISTINCT], *ayuv[DISTINCT];
  GstVideoInfo info;

  gst_init (&argc, &argv);
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 1920, 1080);
  for (k = 0; k < DISTINCT; k++)
    i420[k] = noise_frame (&info, k + 1);
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_AYUV, 1920, 1080);
  for (k = 0; k < DISTINCT; k++)
    ayuv[k] = noise_frame (&info, k + 101);
  /* rounds interleave the candidates, so that load changes hit all */
  for (r = 0; r < ROUNDS; r++)
    for (i = 0; i < nc; i++)
      ms[i][r] = run (&candidates[i],
          strcmp (candidates[i].format, "AYUV") == 0 ? ayuv : i420, n);
  printf ("1920x1080, %u frames x %d rounds, ms per frame (median)\n", n,
      ROUNDS);
  for (i = 0; i < nc; i++) {
    qsort (ms[i], ROUNDS, sizeof (gdouble), cmp_double);
    med[i] = ms[i][ROUNDS / 2];
    printf ("  %-48s %8.3f\n", candidates[i].label, med[i]);
  }
  printf ("omnicensor pass-through over queue:          %+.3f ms per frame\n",
      med[2] - med[1]);
  printf ("omnicensor pass-through over identity:       %+.3f ms per frame\n",
      med[2] - med[0]);
  printf ("blur r=12 AYUV vs gaussianblur sigma=12.5:    %.2fx faster\n",
      med[7] / med[6]);
  for (k = 0; k < DISTINCT; k++) {
    gst_buffer_unref (i420[k]);
    gst_buffer_unref (ayuv[k]);
  }
  return 0;
}
