/* gst-omni example: an application reading omnifusion's results.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * usage: omni-appsink [--max-windows N] FILE
 *
 * Plays FILE (video and audio) through gst-omni's analysis pipeline and
 * takes omnifusion's caption buffers from an appsink. Each buffer carries an
 * OmniFusionMeta (libgstomni-1.0, <omni/omni.h>) with the window, the
 * verdict and the evidence; the bus carries the elements' messages:
 * `omnifusion-segment` when a flagged segment opens or closes,
 * `omnisampler` on each shot cut, `omnirhythm` with the tempo.
 *
 * Build: cc omni-appsink.c $(pkg-config --cflags --libs gstreamer-omni-1.0
 *        gstreamer-app-1.0) -o omni-appsink
 */
#include <stdlib.h>
#include <string.h>

#include <gst/app/app.h>
#include <gst/gst.h>
#include <omni/omni.h>

typedef struct {
  GMainLoop *loop;
  guint windows, max_windows, segments, cuts;
  gint ret;
} Ctx;

static const gchar *
state_name (OmniVerdictState s)
{
  return s == OMNI_VERDICT_FLAGGED  ? "flagged"
         : s == OMNI_VERDICT_REVIEW ? "review"
                                    : "ok";
}

/* streaming thread: one caption buffer per window */
static GstFlowReturn
on_sample (GstAppSink *sink, gpointer user_data)
{
  Ctx *ctx = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  OmniFusionMeta *m;
  gdouble tempo = 0, rms = 0;

  if (!sample)
    return GST_FLOW_EOS;
  m = omni_buffer_get_fusion_meta (gst_sample_get_buffer (sample));
  if (m) {
    if (m->evidence) {
      gst_structure_get_double (m->evidence, "tempo", &tempo);
      gst_structure_get_double (m->evidence, "rms-db", &rms);
    }
    g_print ("window %" GST_TIME_FORMAT " - %" GST_TIME_FORMAT
             ": %s risk %.2f%s%s tempo %.1f rms %.1f dBFS | %s\n",
        GST_TIME_ARGS (m->window_start), GST_TIME_ARGS (m->window_end),
        state_name (m->state), m->risk, m->label ? " label " : "",
        m->label ? m->label : "", tempo, rms, m->caption ? m->caption : "");
    ctx->windows++;
  }
  gst_sample_unref (sample);
  /* enough: g_main_loop_quit() may be called from any thread */
  if (ctx->max_windows && ctx->windows == ctx->max_windows)
    g_main_loop_quit (ctx->loop);
  return GST_FLOW_OK;
}

static gboolean
on_bus (GstBus *bus, GstMessage *msg, gpointer user_data)
{
  Ctx *ctx = user_data;
  const GstStructure *s;

  switch (GST_MESSAGE_TYPE (msg)) {
  case GST_MESSAGE_EOS:
    g_main_loop_quit (ctx->loop);
    break;
  case GST_MESSAGE_ERROR: {
    GError *err = NULL;
    gchar *dbg = NULL;

    gst_message_parse_error (msg, &err, &dbg);
    g_printerr ("error from %s: %s\n%s\n", GST_OBJECT_NAME (msg->src),
        err->message, dbg ? dbg : "");
    g_clear_error (&err);
    g_free (dbg);
    ctx->ret = 1;
    g_main_loop_quit (ctx->loop);
    break;
  }
  case GST_MESSAGE_ELEMENT:
    s = gst_message_get_structure (msg);
    if (gst_structure_has_name (s, "omnifusion-segment")) {
      g_print ("segment %s: %s\n", gst_structure_get_string (s, "event"),
          gst_structure_get_string (s, "label"));
      ctx->segments++;
    } else if (gst_structure_has_name (s, "omnisampler")) {
      guint64 t = GST_CLOCK_TIME_NONE;

      gst_structure_get_uint64 (s, "running-time", &t);
      g_print ("shot cut at %" GST_TIME_FORMAT "\n", GST_TIME_ARGS (t));
      ctx->cuts++;
    } else if (gst_structure_has_name (s, "omnirhythm")) {
      gdouble tempo = 0;

      if (gst_structure_get_double (s, "tempo", &tempo) && tempo > 0)
        g_print ("tempo %.1f BPM\n", tempo);
    }
    break;
  default:
    break;
  }
  return TRUE;
}

int
main (int argc, char **argv)
{
  Ctx ctx = { 0 };
  GstElement *pipeline, *sink;
  GError *err = NULL;
  GstAppSinkCallbacks cb = { 0 };
  GstBus *bus;
  gchar *desc, *quoted;
  const gchar *file;
  gint i = 1;

  gst_init (&argc, &argv);
  if (argc > 2 && !strcmp (argv[1], "--max-windows")) {
    ctx.max_windows = atoi (argv[2]);
    i = 3;
  }
  if (i != argc - 1) {
    g_printerr ("usage: %s [--max-windows N] FILE\n", argv[0]);
    return 2;
  }
  file = argv[i];

  quoted = g_strescape (file, NULL);
  desc = g_strdup_printf (
      "filesrc location=\"%s\" ! decodebin name=d "
      "d. ! queue ! videoconvert ! omnisampler interval=500000000 ! "
      "omnivisionenc ! queue max-size-time=5000000000 ! f.video "
      "d. ! queue ! audioconvert ! audioresample ! omnirhythm ! omniaudioenc ! "
      "queue max-size-time=5000000000 ! f.audio "
      "omnifusion name=f ! text/x-raw,format=utf8 ! appsink name=sink",
      quoted);
  g_free (quoted);
  pipeline = gst_parse_launch (desc, &err);
  g_free (desc);
  if (!pipeline) {
    g_printerr ("could not build the pipeline: %s\n", err->message);
    g_clear_error (&err);
    return 2;
  }

  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  cb.new_sample = on_sample;
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &cb, &ctx, NULL);
  g_object_set (sink, "sync", FALSE, NULL);
  gst_object_unref (sink);

  ctx.loop = g_main_loop_new (NULL, FALSE);
  bus = gst_element_get_bus (pipeline);
  gst_bus_add_watch (bus, on_bus, &ctx);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  g_main_loop_run (ctx.loop);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_bus_remove_watch (bus);
  gst_object_unref (bus);

  g_print ("%u windows, %u segment changes, %u shot cuts\n", ctx.windows,
      ctx.segments, ctx.cuts);
  gst_object_unref (pipeline);
  g_main_loop_unref (ctx.loop);
  gst_deinit ();
  return ctx.ret;
}
