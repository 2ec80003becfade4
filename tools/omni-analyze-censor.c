/* gst-omni: omni-analyze's --censor copy (omnicensor)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   omnifusion ! caps ! tee ! queue ! omnicensor.verdict_sink
 *   video tee ! queue ! videoconvert ! I420 ! omnicensor.video_sink
 *     omnicensor.video_src ! videoconvert ! vp8enc ! mux
 *   audio tee ! queue ! audioconvert ! F32LE ! omnicensor.audio_sink
 *     omnicensor.audio_src ! audioconvert ! vorbisenc ! mux
 *   mux (matroskamux, webmmux for .webm) ! filesink
 *
 * The copy is what viewers would get: flagged frames blurred, flagged
 * words bleeped and flagged audio muted, everything else as decoded.
 */
#include "omni-analyze-censor.h"

static GstElement *
add (GstBin *bin, const gchar *factory)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  if (e)
    gst_bin_add (bin, e);
  else
    g_printerr ("omni-analyze: no element %s for --censor\n", factory);
  return e;
}

static GstElement *
add_caps (GstBin *bin, const gchar *caps)
{
  GstElement *e = add (bin, "capsfilter");
  GstCaps *c = gst_caps_from_string (caps);

  if (e)
    g_object_set (e, "caps", c, NULL);
  gst_caps_unref (c);
  return e;
}

static GstElement *
add_queue (GstBin *bin, GstClockTime max_time)
{
  GstElement *q = add (bin, "queue");

  if (q)
    g_object_set (q, "max-size-time", (guint64) max_time, "max-size-buffers", 0,
        "max-size-bytes", 0, NULL);
  return q;
}

static void
sync_all (GstElement **e, guint n)
{
  guint i;

  for (i = 0; i < n; i++)
    gst_element_sync_state_with_parent (e[i]);
}

/**
 * oa_censor_build:
 * @delay: omnicensor's delay (live: how late the copy runs; a file: the
 *   most it holds before waiting for the verdicts)
 *
 * Adds omnicensor, the muxer and the file sink to @bin.
 */
gboolean
oa_censor_build (OaCensor *c, GstBin *bin, const gchar *path,
    GstClockTime delay, gboolean sync)
{
  c->censor = add (bin, "omnicensor");
  c->mux
      = add (bin, g_str_has_suffix (path, ".webm") ? "webmmux" : "matroskamux");
  c->sink = add (bin, "filesink");
  if (!c->censor || !c->mux || !c->sink)
    return FALSE;
  g_object_set (c->censor, "delay", (guint64) delay, NULL);
  g_object_set (c->sink, "location", path, "sync", sync, "async", FALSE, NULL);
  return gst_element_link (c->mux, c->sink);
}

/* tee ! queue ! omnicensor.verdict_sink */
gboolean
oa_censor_link_verdicts (OaCensor *c, GstBin *bin, GstElement *tee)
{
  GstElement *q = add (bin, "queue");

  return q && gst_element_link (tee, q)
         && gst_element_link_pads (q, "src", c->censor, "verdict_sink");
}

/* @tee ! queue ! convert ! caps ! omnicensor.@pad, then omnicensor's
 * source pad ! convert ! encoder ! mux. */
static gboolean
link_branch (OaCensor *c, GstBin *bin, GstElement *tee, GstClockTime qtime,
    const gchar *convert, const gchar *caps, const gchar *pad,
    GstElement *encoder)
{
  GstElement *in[3], *out[2];
  gchar *sink = g_strdup_printf ("%s_sink", pad);
  gchar *src = g_strdup_printf ("%s_src", pad);
  gboolean ok;

  in[0] = add_queue (bin, qtime);
  in[1] = add (bin, convert);
  in[2] = add_caps (bin, caps);
  out[0] = add (bin, convert);
  out[1] = encoder;
  ok = in[0] && in[1] && in[2] && out[0] && out[1]
       && gst_element_link_many (tee, in[0], in[1], in[2], NULL)
       && gst_element_link_pads (in[2], "src", c->censor, sink)
       && gst_element_link_pads (c->censor, src, out[0], "sink")
       && gst_element_link_many (out[0], out[1], c->mux, NULL);
  g_free (sink);
  g_free (src);
  if (ok) {
    sync_all (in, 3);
    sync_all (out, 2);
  }
  return ok;
}

gboolean
oa_censor_link_video (
    OaCensor *c, GstBin *bin, GstElement *tee, GstClockTime queue_time)
{
  GstElement *enc = add (bin, "vp8enc");

  /* VP8 at real-time speed: a review copy, as --overlay's */
  if (enc)
    g_object_set (enc, "deadline", (gint64) 1, "cpu-used", 8, "target-bitrate",
        1500000, "threads", 2, NULL);
  return link_branch (c, bin, tee, queue_time, "videoconvert",
      "video/x-raw,format=I420", "video", enc);
}

gboolean
oa_censor_link_audio (
    OaCensor *c, GstBin *bin, GstElement *tee, GstClockTime queue_time)
{
  return link_branch (c, bin, tee, queue_time, "audioconvert",
      "audio/x-raw,format=F32LE,layout=interleaved", "audio",
      add (bin, "vorbisenc"));
}
