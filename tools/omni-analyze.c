/* gst-omni: omni-analyze, the command-line analyser.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * omni-analyze [OPTION...] [INPUT]
 *
 * Builds the pipeline of docs/design.md around uridecodebin (or v4l2src +
 * portaudiosrc for `camera`):
 *
 *   video: queue ! videoconvert ! omnisampler ! omnivisionenc ! tee
 *          (--detect: ... ! omnivisionenc ! queue ! omnidetect ! tee)
 *            tee. ! queue ! f.video
 *            tee. ! queue ! (keep sampled frames) ! videoscale ! jpegenc ! appsink
 *            tee. ! queue ! textoverlay ! omnioverlay ! vp8enc ! mux (--overlay)
 *            tee. ! queue ! omnicensor ! vp8enc ! mux               (--censor)
 *   audio: queue ! tee
 *            tee. ! audioconvert ! audioresample ! omnirhythm ! omniaudioenc ! f.audio
 *            tee. ! queue ! audioconvert ! vorbisenc ! mux          (--overlay)
 *            tee. ! queue ! omnicensor ! vorbisenc ! mux            (--censor)
 *   omnifusion name=f ! application/x-omni-events ! appsink
 *
 * and turns what comes out into WebVTT captions (times in the media's own
 * timeline: running time -> stream time through the segment the media was
 * played with), JSON lines (omnifusion's events as they are), a copy with
 * captions and verdicts burned in, an HTML review report and a summary.
 * See docs/omni-analyze.md.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <gst/app/app.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>
#include <json-glib/json-glib.h>
#include <omni/omni.h>

#include "omni-analyze-mqtt.h"
#include "omni-analyze-overlay.h"
#include "omni-analyze-censor.h"
#include "omni-analyze-detect.h"
#include "omni-analyze-multi.h"
#include "omni-analyze-report.h"

#define EXIT_CLEAN 0
#define EXIT_FLAGGED 1
#define EXIT_ERROR 2

/* How many sampled-frame thumbnails outside any flagged segment are kept
 * in memory before the oldest are dropped (they are only written for
 * flagged segments, which may open a few windows later). */
#define MAX_PENDING_THUMBS 64
#define THUMB_WIDTH 192

typedef struct {
  /* options */
  gchar *model;
  gchar *policy;
  gchar *device;
  gdouble sample_rate;
  GstClockTime window;
  gchar *vtt_path;
  gchar *json_path;
  gchar *overlay_path;
  gchar *censor_path;
  gchar *report_dir;
  gchar *mqtt_url;
  gchar *stream_id;
  gchar *inputs_file;
  gchar *detect_model;    /* --detect, NULL: no detection */
  gchar *detections_path; /* --detections */
  gboolean live;
  gboolean fail_on_flag;
  gboolean quiet;
  gboolean no_progress;
  gchar *input; /* as given */
  gchar *uri;   /* what uridecodebin plays, NULL for the camera */
  gboolean camera;

  /* pipeline */
  GstElement *pipeline;
  GstElement *decode; /* uridecodebin or the camera's decodebin */
  GstElement *fusion;
  GstElement *events_sink;
  GstElement *overlay_sink; /* the --overlay file's sink, or NULL */
  GstElement *overlay;      /* textoverlay */
  GstElement *text_src;     /* appsrc feeding it */
  GstElement *mux;
  OaCensor censor; /* --censor: omnicensor, its muxer and sink */
  OaDetect detect; /* --detect: counts and the --detections file */
  GstElement *thumb_sink;
  GMainLoop *loop;
  gboolean have_video, have_audio;
  guint n_video_streams, n_audio_streams;
  gint width, height;
  gint rate;

  /* results, written from streaming threads */
  GMutex lock;
  GstSegment vseg, aseg;
  gboolean have_vseg, have_aseg;
  GArray *windows;   /* OaWindow */
  GArray *segments;  /* OaSegment */
  GArray *cuts;      /* OaCut */
  GArray *rhythm;    /* OaRhythm */
  GPtrArray *thumbs; /* OaThumb */

  GArray *categories; /* OaCategorySegment (omnifusion category segments) */
  FILE *json_out;
  FILE *vtt_out;
  gchar *cue_text; /* the cue being extended (merged windows) */
  GstClockTime cue_start, cue_end;
  GstClockTime media_end; /* stream time where the media seen so far ends */
  guint n_cues;
  guint n_events; /* JSON lines written */
  gboolean stdout_is_tty, stderr_is_tty;
  gboolean progress_shown;

  /* outcome */
  gint exit_code;
  GString *errors;
  GString *missing_plugins;
  gint64 t_start;
  GstClockTime duration, position;
  gint interrupts;
  gboolean eos;
  gdouble enter_threshold, exit_threshold;
} App;

/* ------------------------------------------------------------------ */
/* small helpers */

static void
clear_progress (App *app)
{
  if (app->progress_shown) {
    fputs ("\r\033[K", stderr);
    app->progress_shown = FALSE;
  }
}

static void G_GNUC_PRINTF (2, 3) fail (App *app, const gchar *fmt, ...)
{
  va_list ap;
  gchar *msg;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_mutex_lock (&app->lock);
  g_string_append_printf (app->errors, "omni-analyze: %s\n", msg);
  app->exit_code = EXIT_ERROR;
  g_mutex_unlock (&app->lock);
  g_free (msg);
}

/* HH:MM:SS.mmm, as WebVTT writes times */
static gchar *
format_time (GstClockTime t)
{
  guint64 ms;

  if (!GST_CLOCK_TIME_IS_VALID (t))
    return g_strdup ("--:--:--.---");
  ms = (t + GST_MSECOND / 2) / GST_MSECOND;
  return g_strdup_printf ("%02u:%02u:%02u.%03u", (guint) (ms / 3600000),
      (guint) (ms / 60000 % 60), (guint) (ms / 1000 % 60), (guint) (ms % 1000));
}

/* Running time -> the media's own timeline (stream time), through the
 * segment the media came with: running time is what the elements align
 * on, stream time is what a player's seek bar (and WebVTT) shows. */
static GstClockTime
to_stream_time (App *app, GstClockTime running)
{
  const GstSegment *seg = NULL;
  guint64 pos;
  guint64 st;

  if (!GST_CLOCK_TIME_IS_VALID (running))
    return GST_CLOCK_TIME_NONE;
  if (app->have_vseg)
    seg = &app->vseg;
  else if (app->have_aseg)
    seg = &app->aseg;
  if (!seg)
    return running;
  if (running < seg->base)
    running = seg->base;
  pos = gst_segment_position_from_running_time (seg, GST_FORMAT_TIME, running);
  if (!GST_CLOCK_TIME_IS_VALID (pos))
    return running;
  st = gst_segment_to_stream_time (seg, GST_FORMAT_TIME, pos);
  return GST_CLOCK_TIME_IS_VALID (st) ? st : running;
}

static gboolean
struct_get_time (const GstStructure *s, const gchar *field, GstClockTime *t)
{
  const GValue *v = gst_structure_get_value (s, field);

  if (!v)
    return FALSE;
  if (G_VALUE_HOLDS_UINT64 (v))
    *t = g_value_get_uint64 (v);
  else if (G_VALUE_HOLDS_INT64 (v) && g_value_get_int64 (v) >= 0)
    *t = (GstClockTime) g_value_get_int64 (v);
  else
    return FALSE;
  return TRUE;
}

/* the first of @names the structure has as a number */
static gboolean
struct_get_number (const GstStructure *s, gdouble *out, ...)
{
  va_list ap;
  const gchar *name;
  gboolean found = FALSE;

  va_start (ap, out);
  while (!found && (name = va_arg (ap, const gchar *))) {
    const GValue *v = gst_structure_get_value (s, name);

    if (!v)
      continue;
    found = TRUE;
    if (G_VALUE_HOLDS_DOUBLE (v))
      *out = g_value_get_double (v);
    else if (G_VALUE_HOLDS_FLOAT (v))
      *out = g_value_get_float (v);
    else if (G_VALUE_HOLDS_INT (v))
      *out = g_value_get_int (v);
    else if (G_VALUE_HOLDS_UINT (v))
      *out = g_value_get_uint (v);
    else if (G_VALUE_HOLDS_INT64 (v))
      *out = g_value_get_int64 (v);
    else if (G_VALUE_HOLDS_UINT64 (v))
      *out = g_value_get_uint64 (v);
    else
      found = FALSE;
  }
  va_end (ap);
  return found;
}

/* The running time an element message describes: "running-time" where the
 * element gives it (the gst-omni elements do, as level does), else the
 * message's "timestamp" (PTS) taken as running time. */
static gboolean
message_running_time (const GstStructure *s, GstClockTime *t)
{
  return struct_get_time (s, "running-time", t)
         || struct_get_time (s, "timestamp", t);
}

/* Sets a property from its string form if the element has it. */
static gboolean
set_prop (GstElement *e, const gchar *name, const gchar *value)
{
  if (!g_object_class_find_property (G_OBJECT_GET_CLASS (e), name))
    return FALSE;
  gst_util_set_object_arg (G_OBJECT (e), name, value);
  return TRUE;
}

static gboolean
set_prop_time (GstElement *e, const gchar *name, GstClockTime t)
{
  gchar *s = g_strdup_printf ("%" G_GUINT64_FORMAT, t);
  gboolean ret = set_prop (e, name, s);

  g_free (s);
  return ret;
}

/* ------------------------------------------------------------------ */
/* element lookup with an error that says what to do */

static const struct {
  const gchar *name;
  const gchar *where;
} known_elements[] = {
  { "omnisampler", "gst-omni" },
  { "omnirhythm", "gst-omni" },
  { "omnivisionenc", "gst-omni" },
  { "omniaudioenc", "gst-omni" },
  { "omnifusion", "gst-omni" },
  { "omnidetect", "gst-omni" },
  { "omnioverlay", "gst-omni" },
  { "portaudiosrc", "gst-omni-portaudio" },
  { "uridecodebin", "gstreamer1.0-plugins-base" },
  { "decodebin", "gstreamer1.0-plugins-base" },
  { "videoconvert", "gstreamer1.0-plugins-base" },
  { "videoscale", "gstreamer1.0-plugins-base" },
  { "audioconvert", "gstreamer1.0-plugins-base" },
  { "audioresample", "gstreamer1.0-plugins-base" },
  { "textoverlay", "gstreamer1.0-x" },
  { "vorbisenc", "gstreamer1.0-plugins-base" },
  { "appsrc", "gstreamer1.0-plugins-base" },
  { "appsink", "gstreamer1.0-plugins-base" },
  { "jpegenc", "gstreamer1.0-plugins-good" },
  { "vp8enc", "gstreamer1.0-plugins-good" },
  { "matroskamux", "gstreamer1.0-plugins-good" },
  { "webmmux", "gstreamer1.0-plugins-good" },
  { "v4l2src", "gstreamer1.0-plugins-good" },
};

static gboolean
check_elements (App *app, const gchar **names)
{
  gboolean ok = TRUE;

  for (; *names; names++) {
    GstElementFactory *f = gst_element_factory_find (*names);
    const gchar *where = "a GStreamer plugin package";
    guint i;

    if (f) {
      gst_object_unref (f);
      continue;
    }
    ok = FALSE;
    for (i = 0; i < G_N_ELEMENTS (known_elements); i++)
      if (!strcmp (known_elements[i].name, *names))
        where = known_elements[i].where;
    if (!strcmp (where, "gst-omni"))
      fail (app,
          "the gst-omni element '%s' is not available: it is not in the "
          "GStreamer registry. Build gst-omni (ninja -C build) and make "
          "GST_PLUGIN_PATH include build/plugins/omni (export "
          "GST_PLUGIN_PATH=$PWD/build/plugins/omni:$PWD/build/plugins/"
          "portaudio), or install gst-omni",
          *names);
    else if (!strcmp (where, "gst-omni-portaudio"))
      fail (app,
          "the gst-omni element '%s' is not available: gst-omni was built "
          "without PortAudio (install portaudio19-dev and rebuild) or "
          "GST_PLUGIN_PATH does not include build/plugins/portaudio",
          *names);
    else
      fail (app, "the GStreamer element '%s' is not available (install %s)",
          *names, where);
  }
  return ok;
}

static GstElement *
make (App *app, const gchar *factory, const gchar *name)
{
  GstElement *e = gst_element_factory_make (factory, name);

  if (!e) {
    const gchar *names[] = { factory, NULL };

    if (check_elements (app, names))
      fail (app, "could not create a '%s' element", factory);
  }
  return e;
}

/* ------------------------------------------------------------------ */
/* captions: merged cues, written as they close */

static void
print_cue (App *app, GstClockTime start, GstClockTime end, const gchar *text)
{
  gchar *a = format_time (start), *b = format_time (end);

  if (app->vtt_out) {
    fprintf (app->vtt_out, "%u\n%s --> %s\n%s\n\n", ++app->n_cues, a, b, text);
    fflush (app->vtt_out);
  }
  if (!app->quiet) {
    gchar *one = g_strdup (text);

    g_strdelimit (one, "\n", ' ');
    clear_progress (app);
    printf ("%s --> %s  %s\n", a, b, one);
    fflush (stdout);
    g_free (one);
  }
  g_free (a);
  g_free (b);
}

static void
close_cue (App *app)
{
  GstClockTime end = app->cue_end;

  /* the last window may reach past the media: the cue does not */
  if (GST_CLOCK_TIME_IS_VALID (app->media_end) && app->media_end < end
      && app->media_end > app->cue_start)
    end = app->media_end;
  if (app->cue_text)
    print_cue (app, app->cue_start, end, app->cue_text);
  g_clear_pointer (&app->cue_text, g_free);
}

/* omnifusion's caption already says the verdict (its caption-format) */
static gchar *
window_text (const OaWindow *w)
{
  return g_strdup (w->caption ? w->caption : "");
}

/* A window's caption extends the open cue when it says the same and
 * follows it without a gap; otherwise the open cue is written. */
static void
add_cue (App *app, const OaWindow *w)
{
  gchar *text = window_text (w);

  if (!*text) {
    close_cue (app);
    g_free (text);
    return;
  }
  if (app->cue_text && !strcmp (app->cue_text, text)
      && w->start <= app->cue_end) {
    app->cue_end = MAX (app->cue_end, w->end);
    g_free (text);
    return;
  }
  close_cue (app);
  app->cue_text = text;
  app->cue_start = w->start;
  app->cue_end = w->end;
}

/* ------------------------------------------------------------------ */
/* omnifusion's output */

static GstClockTime
stream_time_cb (gpointer app, GstClockTime running)
{
  return to_stream_time (app, running);
}

static void
handle_segment_event (App *app, JsonObject *o)
{
  const gchar *event
      = json_object_get_string_member_with_default (o, "event", "");
  guint id = json_object_get_int_member_with_default (o, "id", 0);
  OaSegment *seg = NULL;
  guint i;

  for (i = 0; i < app->segments->len; i++)
    if (g_array_index (app->segments, OaSegment, i).id == id)
      seg = &g_array_index (app->segments, OaSegment, i);
  if (!seg) {
    OaSegment s = { 0 };

    s.id = id;
    s.end = GST_CLOCK_TIME_NONE;
    s.run_end = GST_CLOCK_TIME_NONE;
    g_array_append_val (app->segments, s);
    seg = &g_array_index (app->segments, OaSegment, app->segments->len - 1);
  }
  if (json_object_has_member (o, "start")
      && !json_object_get_null_member (o, "start")) {
    seg->run_start = json_object_get_int_member (o, "start");
    seg->start = to_stream_time (app, seg->run_start);
  }
  if (json_object_has_member (o, "end")
      && !json_object_get_null_member (o, "end")) {
    gint64 e = json_object_get_int_member (o, "end");

    /* GST_CLOCK_TIME_NONE does not fit a JSON integer: written as null */
    if (e >= 0) {
      seg->run_end = e;
      seg->end = to_stream_time (app, e);
    }
  }
  g_free (seg->label);
  seg->label = g_strdup (
      json_object_get_string_member_with_default (o, "label", NULL));
  seg->peak = json_object_get_double_member_with_default (o, "peak-risk", 0);
  seg->mean = json_object_get_double_member_with_default (o, "mean-risk", 0);
  seg->open = !strcmp (event, "opened");
}

static void
handle_json_line (App *app, const gchar *line, gsize len)
{
  JsonParser *parser = json_parser_new ();
  GError *err = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, line, len, &err)) {
    fail (app, "omnifusion wrote an event that is not JSON (%s)", err->message);
    g_clear_error (&err);
    g_object_unref (parser);
    return;
  }
  root = json_parser_get_root (parser);
  if (root && JSON_NODE_HOLDS_OBJECT (root)) {
    JsonObject *o = json_node_get_object (root);
    const gchar *type
        = json_object_get_string_member_with_default (o, "type", "");

    if (!strcmp (type, "segment"))
      handle_segment_event (app, o);
    else if (!strcmp (type, "category-segment"))
      oa_category_segment_add_from_json (
          app->categories, o, stream_time_cb, app);
  }
  g_object_unref (parser);
}

static void
handle_fusion_buffer (App *app, GstBuffer *buf)
{
  OmniFusionMeta *m = omni_buffer_get_fusion_meta (buf);
  GstMapInfo map;

  if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
    const gchar *p = (const gchar *) map.data, *end = p + map.size;

    if (app->json_out && map.size) {
      app->n_events++;
      fwrite (map.data, 1, map.size, app->json_out);
      if (map.data[map.size - 1] != '\n')
        fputc ('\n', app->json_out);
      fflush (app->json_out);
    }
    while (p < end) {
      const gchar *nl = memchr (p, '\n', end - p);
      gsize n = (nl ? nl : end) - p;

      if (n > 0)
        handle_json_line (app, p, n);
      p += n + 1;
    }
    gst_buffer_unmap (buf, &map);
  }

  if (m) {
    OaWindow w = { 0 };
    gdouble v;

    w.run_start = m->window_start;
    w.run_end = m->window_end;
    w.start = to_stream_time (app, m->window_start);
    w.end = to_stream_time (app, m->window_end);
    w.state = m->state;
    w.risk = m->risk;
    w.caption = g_strdup (m->caption);
    w.label = g_strdup (m->label);
    w.tempo = w.rms_db = NAN;
    if (m->evidence) {
      /* a tempo only where omnifusion heard music (it weighs omnirhythm's
       * confidence), not the tracker's guesses on speech or noise */
      if (!g_strcmp0 (
              gst_structure_get_string (m->evidence, "audio-kind"), "music")
          && struct_get_number (m->evidence, &v, "tempo", NULL) && v > 0)
        w.tempo = v;
      if (struct_get_number (m->evidence, &v, "rms-db", NULL))
        w.rms_db = v;
    }
    oa_window_read_content (&w, m->evidence);
    g_array_append_val (app->windows, w);
    add_cue (
        app, &g_array_index (app->windows, OaWindow, app->windows->len - 1));
    if (GST_CLOCK_TIME_IS_VALID (w.end) && w.end > app->position)
      app->position = w.end;

    /* the overlay's text, on the same running-time axis as the video */
    if (app->text_src) {
      gchar *text = window_text (&w);
      GstBuffer *tb = gst_buffer_new_wrapped (text, strlen (text));

      GST_BUFFER_PTS (tb) = m->window_start;
      GST_BUFFER_DURATION (tb) = m->window_end - m->window_start;
      gst_app_src_push_buffer (GST_APP_SRC (app->text_src), tb);
    }
  }
}

static GstFlowReturn
on_events_sample (GstAppSink *sink, gpointer user_data)
{
  App *app = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (!sample)
    return GST_FLOW_EOS;
  g_mutex_lock (&app->lock);
  handle_fusion_buffer (app, gst_sample_get_buffer (sample));
  g_mutex_unlock (&app->lock);
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static void
on_events_eos (GstAppSink *sink, gpointer user_data)
{
  App *app = user_data;

  if (app->text_src)
    gst_app_src_end_of_stream (GST_APP_SRC (app->text_src));
}

/* ------------------------------------------------------------------ */
/* thumbnails of sampled frames (report) */

static GstPadProbeReturn
keep_sampled_frames (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);

  return omni_buffer_get_sample_meta (buf) ? GST_PAD_PROBE_OK
                                           : GST_PAD_PROBE_DROP;
}

static gboolean
in_segment (App *app, GstClockTime run)
{
  guint i;

  for (i = 0; i < app->segments->len; i++) {
    const OaSegment *s = &g_array_index (app->segments, OaSegment, i);

    if (run >= s->run_start
        && (!GST_CLOCK_TIME_IS_VALID (s->run_end) || run < s->run_end))
      return TRUE;
  }
  return FALSE;
}

static GstFlowReturn
on_thumb_sample (GstAppSink *sink, gpointer user_data)
{
  App *app = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  const GstSegment *seg;
  GstBuffer *buf;
  GstMapInfo map;
  OaThumb *t;
  guint i;

  if (!sample)
    return GST_FLOW_EOS;
  buf = gst_sample_get_buffer (sample);
  seg = gst_sample_get_segment (sample);
  if (!GST_BUFFER_PTS_IS_VALID (buf)
      || !gst_buffer_map (buf, &map, GST_MAP_READ)) {
    gst_sample_unref (sample);
    return GST_FLOW_OK;
  }
  t = g_new0 (OaThumb, 1);
  t->run = gst_segment_to_running_time (
      seg, GST_FORMAT_TIME, GST_BUFFER_PTS (buf));
  t->jpeg = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buf, &map);
  gst_sample_unref (sample);

  g_mutex_lock (&app->lock);
  g_ptr_array_add (app->thumbs, t);
  /* Bound memory: drop the oldest thumbnails that no segment covers once
   * too many wait (a segment opens a few windows after its first frame). */
  if (app->thumbs->len > MAX_PENDING_THUMBS) {
    for (i = 0;
         i < app->thumbs->len && app->thumbs->len > MAX_PENDING_THUMBS;) {
      OaThumb *o = g_ptr_array_index (app->thumbs, i);

      if (!in_segment (app, o->run))
        g_ptr_array_remove_index (app->thumbs, i);
      else
        i++;
      if (i >= app->thumbs->len / 2)
        break;
    }
  }
  g_mutex_unlock (&app->lock);
  return GST_FLOW_OK;
}

static void
oa_thumb_free (gpointer p)
{
  OaThumb *t = p;

  g_bytes_unref (t->jpeg);
  g_free (t);
}

/* ------------------------------------------------------------------ */
/* segments of the media: remembered where they enter omnifusion */

static GstPadProbeReturn
remember_segment (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  App *app = user_data;
  GstEvent *ev = GST_PAD_PROBE_INFO_EVENT (info);
  const GstSegment *seg;
  gboolean video
      = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (pad), "oa-video"));

  if (GST_EVENT_TYPE (ev) != GST_EVENT_SEGMENT)
    return GST_PAD_PROBE_OK;
  gst_event_parse_segment (ev, &seg);
  if (seg->format != GST_FORMAT_TIME)
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&app->lock);
  if (video) {
    gst_segment_copy_into (seg, &app->vseg);
    app->have_vseg = TRUE;
  } else {
    gst_segment_copy_into (seg, &app->aseg);
    app->have_aseg = TRUE;
  }
  g_mutex_unlock (&app->lock);
  return GST_PAD_PROBE_OK;
}

/* Where the media that reached omnifusion ends (stream time): the last
 * window may reach past it, the duration analysed and the cues do not. */
static GstPadProbeReturn
remember_media_end (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  App *app = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime end = GST_BUFFER_PTS (buf);
  gboolean video
      = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (pad), "oa-video"));

  if (!GST_CLOCK_TIME_IS_VALID (end))
    return GST_PAD_PROBE_OK;
  if (GST_BUFFER_DURATION_IS_VALID (buf))
    end += GST_BUFFER_DURATION (buf);
  g_mutex_lock (&app->lock);
  if (video ? app->have_vseg : app->have_aseg)
    end = gst_segment_to_stream_time (
        video ? &app->vseg : &app->aseg, GST_FORMAT_TIME, end);
  if (GST_CLOCK_TIME_IS_VALID (end)
      && (!GST_CLOCK_TIME_IS_VALID (app->media_end) || end > app->media_end))
    app->media_end = end;
  g_mutex_unlock (&app->lock);
  return GST_PAD_PROBE_OK;
}

static void
probe_fusion_pad (App *app, GstPad *fpad)
{
  gst_pad_add_probe (
      fpad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, remember_segment, app, NULL);
  gst_pad_add_probe (
      fpad, GST_PAD_PROBE_TYPE_BUFFER, remember_media_end, app, NULL);
}

/* ------------------------------------------------------------------ */
/* branches, built when the decoder shows its streams */

static GstElement *
make_queue (App *app, GstClockTime max_time)
{
  GstElement *q = make (app, "queue", NULL);

  if (q)
    g_object_set (q, "max-size-time", (guint64) max_time, "max-size-buffers", 0,
        "max-size-bytes", 0, NULL);
  return q;
}

static gboolean
link_chain (App *app, GstElement **chain, guint n)
{
  guint i;

  for (i = 0; i < n; i++) {
    if (!chain[i])
      return FALSE;
  }
  for (i = 0; i < n; i++)
    gst_bin_add (GST_BIN (app->pipeline), chain[i]);
  for (i = 0; i + 1 < n; i++) {
    if (!gst_element_link (chain[i], chain[i + 1])) {
      fail (app, "could not link %s to %s", GST_ELEMENT_NAME (chain[i]),
          GST_ELEMENT_NAME (chain[i + 1]));
      return FALSE;
    }
  }
  return TRUE;
}

static void
sync_all (GstElement **chain, guint n)
{
  guint i;

  for (i = 0; i < n; i++)
    gst_element_sync_state_with_parent (chain[i]);
}

/* Big queues between the branches: omnifusion emits a window only when
 * every pad has passed its end, and the overlay waits for that window's
 * text, so each side branch must be able to hold a few windows. */
static GstClockTime
branch_queue_time (App *app)
{
  return 4 * app->window + 10 * GST_SECOND;
}

/* --model none: no image classifier (with --detect, the frames analysed go
 * to omnidetect only) */
static gboolean
no_classifier (App *app)
{
  return app->model && !g_ascii_strcasecmp (app->model, "none");
}

static gboolean
build_video (App *app, GstPad *src)
{
  GstElement *c[7], *tee, *q, *t[5], *venc = NULL;
  GstPad *sinkpad, *fpad;
  guint n = 0;

  c[n++] = make_queue (app, 3 * GST_SECOND);
  c[n++] = make (app, "videoconvert", NULL);
  c[n++] = make (app, "omnisampler", "sampler");
  if (!no_classifier (app))
    c[n++] = venc = make (app, "omnivisionenc", "visionenc");
  if (app->detect_model) {
    /* its own thread: the detector runs while the classifier works on
     * the next sampled frame (a few frames in flight, at most 1 s) */
    c[n++] = make_queue (app, GST_SECOND);
    c[n++] = oa_detect_make (app->detect_model, app->device);
  }
  c[n++] = tee = make (app, "tee", "vtee");
  if (!link_chain (app, c, n))
    return FALSE;
  if (app->sample_rate > 0)
    set_prop_time (
        c[2], "interval", (GstClockTime) (GST_SECOND / app->sample_rate));
  if (venc && app->model && !set_prop (venc, "model", app->model))
    fail (app, "omnivisionenc has no 'model' property");
  if (app->device)
    set_prop (c[3], "device", app->device);

  q = make_queue (app, branch_queue_time (app));
  if (!q)
    return FALSE;
  gst_bin_add (GST_BIN (app->pipeline), q);
  gst_element_link (tee, q);
  fpad = gst_element_get_static_pad (app->fusion, "video");
  {
    GstPad *qsrc = gst_element_get_static_pad (q, "src");

    if (!fpad || gst_pad_link (qsrc, fpad) != GST_PAD_LINK_OK)
      fail (app, "could not link the video branch to omnifusion's video pad");
    gst_object_unref (qsrc);
  }
  if (fpad) {
    g_object_set_data (G_OBJECT (fpad), "oa-video", GINT_TO_POINTER (1));
    probe_fusion_pad (app, fpad);
    gst_object_unref (fpad);
  }
  gst_element_sync_state_with_parent (q);

  if (app->report_dir) {
    GstCaps *caps;
    GstPad *qpad;

    t[0] = make_queue (app, branch_queue_time (app));
    t[1] = make (app, "videoscale", NULL);
    t[2] = make (app, "capsfilter", NULL);
    t[3] = make (app, "videoconvert", NULL);
    t[4] = make (app, "jpegenc", NULL);
    app->thumb_sink = make (app, "appsink", "thumbs");
    if (!link_chain (app, t, 5) || !app->thumb_sink)
      return FALSE;
    caps = gst_caps_new_simple ("video/x-raw", "width", G_TYPE_INT, THUMB_WIDTH,
        "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
    g_object_set (t[2], "caps", caps, NULL);
    gst_caps_unref (caps);
    g_object_set (t[4], "quality", 80, NULL);
    g_object_set (app->thumb_sink, "sync", FALSE, "async", FALSE, NULL);
    {
      GstAppSinkCallbacks cb = { 0 };

      cb.new_sample = on_thumb_sample;
      gst_app_sink_set_callbacks (
          GST_APP_SINK (app->thumb_sink), &cb, app, NULL);
    }
    gst_bin_add (GST_BIN (app->pipeline), app->thumb_sink);
    gst_element_link (t[4], app->thumb_sink);
    qpad = gst_element_get_static_pad (t[0], "src");
    gst_pad_add_probe (
        qpad, GST_PAD_PROBE_TYPE_BUFFER, keep_sampled_frames, NULL, NULL);
    gst_object_unref (qpad);
    gst_element_link (tee, t[0]);
    sync_all (t, 5);
    gst_element_sync_state_with_parent (app->thumb_sink);
  }

  if (app->overlay) {
    t[0] = make_queue (app, branch_queue_time (app));
    t[1] = make (app, "videoconvert", NULL);
    if (!t[0] || !t[1])
      return FALSE;
    gst_bin_add_many (GST_BIN (app->pipeline), t[0], t[1], NULL);
    if (!gst_element_link_many (tee, t[0], t[1], NULL)
        || !gst_element_link_pads (t[1], "src", app->overlay, "video_sink"))
      fail (app, "could not link the overlay's video");
    sync_all (t, 2);
  }

  if (app->censor.censor
      && !oa_censor_link_video (
          &app->censor, GST_BIN (app->pipeline), tee, branch_queue_time (app)))
    fail (app, "could not link the censored copy's video");

  sync_all (c, n);
  sinkpad = gst_element_get_static_pad (c[0], "sink");
  if (gst_pad_link (src, sinkpad) != GST_PAD_LINK_OK)
    fail (app, "could not link the decoded video");
  gst_object_unref (sinkpad);
  return TRUE;
}

static gboolean
build_audio (App *app, GstPad *src)
{
  GstElement *c[7], *o[4];
  GstPad *sinkpad, *fpad, *last;

  c[0] = make_queue (app, 3 * GST_SECOND);
  c[1] = make (app, "tee", "atee");
  c[2] = make_queue (app, branch_queue_time (app));
  c[3] = make (app, "audioconvert", NULL);
  c[4] = make (app, "audioresample", NULL);
  c[5] = make (app, "omnirhythm", "rhythm");
  c[6] = make (app, "omniaudioenc", "audioenc");
  if (!link_chain (app, c, 7))
    return FALSE;
  if (app->device)
    set_prop (c[6], "device", app->device);
  fpad = gst_element_get_static_pad (app->fusion, "audio");
  last = gst_element_get_static_pad (c[6], "src");
  if (!fpad || gst_pad_link (last, fpad) != GST_PAD_LINK_OK)
    fail (app, "could not link the audio branch to omnifusion's audio pad");
  gst_object_unref (last);
  if (fpad) {
    probe_fusion_pad (app, fpad);
    gst_object_unref (fpad);
  }

  if (app->mux) {
    o[0] = make_queue (app, branch_queue_time (app));
    o[1] = make (app, "audioconvert", NULL);
    o[2] = make (app, "audioresample", NULL);
    o[3] = make (app, "vorbisenc", NULL);
    if (!link_chain (app, o, 4))
      return FALSE;
    if (!gst_element_link (c[1], o[0]) || !gst_element_link (o[3], app->mux))
      fail (app, "could not link the overlay's audio");
    sync_all (o, 4);
  }

  if (app->censor.censor
      && !oa_censor_link_audio (
          &app->censor, GST_BIN (app->pipeline), c[1], branch_queue_time (app)))
    fail (app, "could not link the censored copy's audio");

  sync_all (c, 7);
  sinkpad = gst_element_get_static_pad (c[0], "sink");
  if (gst_pad_link (src, sinkpad) != GST_PAD_LINK_OK)
    fail (app, "could not link the decoded audio");
  gst_object_unref (sinkpad);
  return TRUE;
}

/* --live on a file: the decoded streams enter the analysis at the pace of
 * the clock (clocksync), as a live source's would, so that the branch
 * queues never hold more than what is being analysed. Returns the pad to
 * build the branch on (a new reference). */
static GstPad *
live_head (App *app, GstPad *pad)
{
  GstElement *cs;
  GstPad *sink, *src;

  if (!app->live || app->camera)
    return gst_object_ref (pad);
  cs = make (app, "clocksync", NULL);
  if (!cs)
    return gst_object_ref (pad);
  gst_bin_add (GST_BIN (app->pipeline), cs);
  sink = gst_element_get_static_pad (cs, "sink");
  src = gst_element_get_static_pad (cs, "src");
  if (gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
    fail (app, "could not link a decoded stream to clocksync");
  gst_object_unref (sink);
  gst_element_sync_state_with_parent (cs);
  return src;
}

static void
on_pad_added (GstElement *decode, GstPad *pad, gpointer user_data)
{
  App *app = user_data;
  GstCaps *caps = gst_pad_get_current_caps (pad);
  const gchar *name;

  if (!caps)
    caps = gst_pad_query_caps (pad, NULL);
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (g_str_has_prefix (name, "video/x-raw")) {
    GstVideoInfo info;

    if (app->n_video_streams++ == 0) {
      GstPad *head = live_head (app, pad);

      if (gst_video_info_from_caps (&info, caps)) {
        app->width = GST_VIDEO_INFO_WIDTH (&info);
        app->height = GST_VIDEO_INFO_HEIGHT (&info);
      }
      app->have_video = build_video (app, head);
      gst_object_unref (head);
    }
  } else if (g_str_has_prefix (name, "audio/x-raw")) {
    if (app->n_audio_streams++ == 0) {
      const GstStructure *s = gst_caps_get_structure (caps, 0);
      GstPad *head = live_head (app, pad);

      gst_structure_get_int (s, "rate", &app->rate);
      app->have_audio = build_audio (app, head);
      gst_object_unref (head);
    }
  }
  gst_caps_unref (caps);
  if (app->exit_code == EXIT_ERROR)
    g_main_loop_quit (app->loop);
}

static void
on_no_more_pads (GstElement *decode, gpointer user_data)
{
  App *app = user_data;

  if (!app->n_video_streams && !app->n_audio_streams) {
    fail (app, "%s has no audio or video stream that could be decoded",
        app->input);
    g_main_loop_quit (app->loop);
    return;
  }
  /* An overlay copy of a stream without video or audio: nothing to burn
   * the captions into, or a mux pad left waiting. */
  if (app->overlay && !app->n_video_streams) {
    fail (app, "--overlay needs a video stream and %s has none", app->input);
    g_main_loop_quit (app->loop);
  }
}

/* The thresholds omnifusion runs with: its properties, unless the policy
 * file sets them (docs/policy.md: keyfile [policy] group or JSON top-level
 * members). Only for the report; omnifusion itself reports a bad file. */
static void
read_thresholds (App *app)
{
  GKeyFile *kf;
  JsonParser *parser;
  const gchar *keys[2] = { "enter-threshold", "exit-threshold" };
  gdouble *out[2] = { &app->enter_threshold, &app->exit_threshold };
  guint i;

  if (g_object_class_find_property (
          G_OBJECT_GET_CLASS (app->fusion), "enter-threshold"))
    g_object_get (app->fusion, "enter-threshold", &app->enter_threshold,
        "exit-threshold", &app->exit_threshold, NULL);
  if (!app->policy)
    return;
  parser = json_parser_new ();
  if (json_parser_load_from_file (parser, app->policy, NULL)) {
    JsonNode *root = json_parser_get_root (parser);

    if (root && JSON_NODE_HOLDS_OBJECT (root)) {
      JsonObject *o = json_node_get_object (root);

      for (i = 0; i < 2; i++)
        if (json_object_has_member (o, keys[i]))
          *out[i] = json_object_get_double_member (o, keys[i]);
    }
    g_object_unref (parser);
    return;
  }
  g_object_unref (parser);
  kf = g_key_file_new ();
  if (g_key_file_load_from_file (kf, app->policy, G_KEY_FILE_NONE, NULL)) {
    for (i = 0; i < 2; i++) {
      GError *err = NULL;
      gdouble v = g_key_file_get_double (kf, "policy", keys[i], &err);

      if (!err)
        *out[i] = v;
      g_clear_error (&err);
    }
  }
  g_key_file_free (kf);
}

/* ------------------------------------------------------------------ */
/* the pipeline */

/* --mqtt URL: an omnipublish for it; the stream id is --stream-id, else
 * the input's base name. */
static GstElement *
make_publisher (App *app)
{
  g_autofree gchar *stream = NULL;
  GstElement *pub = make (app, "omnipublish", "publish");

  if (!pub)
    return NULL;
  stream = app->stream_id ? g_strdup (app->stream_id)
                          : g_path_get_basename (app->input);
  if (!app->stream_id && strrchr (stream, '.'))
    *strrchr (stream, '.') = '\0';
  oa_mqtt_configure (pub, app->mqtt_url, stream);
  return pub;
}

/* omnifusion ! caps ! appsink, with --mqtt a tee to omnipublish as well,
 * with --censor a tee to omnicensor's verdicts. */
static gboolean
link_events (App *app, GstElement *caps)
{
  GstElement *tee, *q1, *q2, *pub;

  if (!app->mqtt_url && !app->censor.censor)
    return gst_element_link_many (app->fusion, caps, app->events_sink, NULL);
  tee = make (app, "tee", NULL);
  q1 = make (app, "queue", NULL);
  if (!tee || !q1)
    return FALSE;
  gst_bin_add_many (GST_BIN (app->pipeline), tee, q1, NULL);
  if (!gst_element_link_many (
          app->fusion, caps, tee, q1, app->events_sink, NULL))
    return FALSE;
  if (app->censor.censor
      && !oa_censor_link_verdicts (&app->censor, GST_BIN (app->pipeline), tee))
    return FALSE;
  if (!app->mqtt_url)
    return TRUE;
  q2 = make (app, "queue", NULL);
  pub = make_publisher (app);
  if (!q2 || !pub)
    return FALSE;
  gst_bin_add_many (GST_BIN (app->pipeline), q2, pub, NULL);
  return gst_element_link_many (tee, q2, pub, NULL);
}

/* --censor FILE: live, the copy runs 3 s behind (omnicensor's default
 * broadcast delay); a file, omnicensor holds two windows and 2 s at most
 * before it waits for the verdicts. */
static gboolean
build_censor (App *app)
{
  GstClockTime delay
      = app->live ? 3 * GST_SECOND : 2 * app->window + 2 * GST_SECOND;

  if (!oa_censor_build (&app->censor, GST_BIN (app->pipeline), app->censor_path,
          delay, app->live)) {
    fail (app, "could not build the censored copy (--censor)");
    return FALSE;
  }
  return TRUE;
}

static gboolean
build_pipeline (App *app)
{
  GstElement *caps, *q;
  GstCaps *c;
  GstAppSinkCallbacks cb = { 0 };
  gboolean sync = app->live;
  GPtrArray *need = g_ptr_array_new ();
  gboolean ok;

  g_ptr_array_add (need, "omnisampler");
  if (!no_classifier (app))
    g_ptr_array_add (need, "omnivisionenc");
  g_ptr_array_add (need, "omnirhythm");
  g_ptr_array_add (need, "omniaudioenc");
  g_ptr_array_add (need, "omnifusion");
  if (app->detect_model)
    g_ptr_array_add (need, "omnidetect");
  g_ptr_array_add (need, "videoconvert");
  g_ptr_array_add (need, "audioconvert");
  g_ptr_array_add (need, "audioresample");
  g_ptr_array_add (need, "appsink");
  if (app->camera) {
    g_ptr_array_add (need, "v4l2src");
    g_ptr_array_add (need, "decodebin");
    g_ptr_array_add (need, "portaudiosrc");
  } else {
    g_ptr_array_add (need, "uridecodebin");
  }
  if (app->report_dir) {
    g_ptr_array_add (need, "videoscale");
    g_ptr_array_add (need, "jpegenc");
  }
  if (app->mqtt_url) {
    g_ptr_array_add (need, "omnipublish");
    g_ptr_array_add (need, "tee");
  }
  if (app->censor_path) {
    g_ptr_array_add (need, "omnicensor");
    g_ptr_array_add (need, "vp8enc");
    g_ptr_array_add (need, "vorbisenc");
    g_ptr_array_add (need, g_str_has_suffix (app->censor_path, ".webm")
                               ? "webmmux"
                               : "matroskamux");
  }
  if (app->overlay_path) {
    g_ptr_array_add (need, "textoverlay");
    g_ptr_array_add (need, "omnioverlay");
    g_ptr_array_add (need, "appsrc");
    g_ptr_array_add (need, "vp8enc");
    g_ptr_array_add (need, "vorbisenc");
    g_ptr_array_add (need, g_str_has_suffix (app->overlay_path, ".webm")
                               ? "webmmux"
                               : "matroskamux");
  }
  g_ptr_array_add (need, NULL);
  ok = check_elements (app, (const gchar **) need->pdata);
  g_ptr_array_free (need, TRUE);
  if (!ok)
    return FALSE;

  app->pipeline = gst_pipeline_new ("omni-analyze");

  app->fusion = make (app, "omnifusion", "fusion");
  caps = make (app, "capsfilter", NULL);
  app->events_sink = make (app, "appsink", "events");
  if (!app->fusion || !caps || !app->events_sink)
    return FALSE;
  set_prop_time (app->fusion, "window", app->window);
  if (app->policy && !set_prop (app->fusion, "policy", app->policy))
    fail (app, "omnifusion has no 'policy' property");
  c = gst_caps_new_empty_simple ("application/x-omni-events");
  g_object_set (caps, "caps", c, NULL);
  gst_caps_unref (c);
  g_object_set (app->events_sink, "sync", sync, "async", FALSE, NULL);
  cb.new_sample = on_events_sample;
  cb.eos = on_events_eos;
  gst_app_sink_set_callbacks (GST_APP_SINK (app->events_sink), &cb, app, NULL);
  gst_bin_add_many (
      GST_BIN (app->pipeline), app->fusion, caps, app->events_sink, NULL);
  if (app->censor_path && !build_censor (app))
    return FALSE;
  if (!link_events (app, caps)) {
    fail (app, "omnifusion cannot produce application/x-omni-events");
    return FALSE;
  }
  read_thresholds (app);

  if (app->overlay_path) {
    GstElement *conv, *enc, *sink, *draw;

    app->text_src = make (app, "appsrc", "captions");
    app->overlay = make (app, "textoverlay", "overlay");
    draw = make (app, "omnioverlay", "draw");
    conv = make (app, "videoconvert", NULL);
    enc = make (app, "vp8enc", NULL);
    app->mux = make (app,
        g_str_has_suffix (app->overlay_path, ".webm") ? "webmmux"
                                                      : "matroskamux",
        "mux");
    sink = make (app, "filesink", NULL);
    q = make_queue (app, branch_queue_time (app));
    if (!app->text_src || !app->overlay || !conv || !enc || !app->mux || !sink
        || !q || !draw)
      return FALSE;
    oa_overlay_configure (draw);
    c = gst_caps_new_simple (
        "text/x-raw", "format", G_TYPE_STRING, "utf8", NULL);
    g_object_set (app->text_src, "caps", c, "format", GST_FORMAT_TIME,
        "is-live", FALSE, "max-bytes", (guint64) 0, NULL);
    gst_caps_unref (c);
    set_prop (app->overlay, "valignment", "bottom");
    set_prop (app->overlay, "halignment", "center");
    set_prop (app->overlay, "wrap-mode", "word");
    g_object_set (
        app->overlay, "shaded-background", TRUE, "font-desc", "Sans 16", NULL);
    /* VP8 at real-time speed: a review copy, not an archive */
    g_object_set (enc, "deadline", (gint64) 1, "cpu-used", 8, "target-bitrate",
        1500000, "threads", 2, NULL);
    g_object_set (sink, "location", app->overlay_path, "sync", sync, "async",
        FALSE, NULL);
    app->overlay_sink = sink;
    gst_bin_add_many (GST_BIN (app->pipeline), app->text_src, app->overlay,
        draw, conv, q, enc, app->mux, sink, NULL);
    if (!gst_element_link_pads (app->text_src, "src", app->overlay, "text_sink")
        || !gst_element_link_many (
            app->overlay, draw, conv, q, enc, app->mux, sink, NULL)) {
      fail (app, "could not build the overlay branch");
      return FALSE;
    }
  }

  if (app->camera) {
    GstElement *v4l2 = make (app, "v4l2src", "camera");
    GstElement *vq = make_queue (app, GST_SECOND);
    GstElement *pa = make (app, "portaudiosrc", "microphone");
    GstPad *pad;

    app->decode = make (app, "decodebin", "decode");
    if (!v4l2 || !vq || !pa || !app->decode)
      return FALSE;
    gst_bin_add_many (GST_BIN (app->pipeline), v4l2, vq, app->decode, pa, NULL);
    gst_element_link_many (v4l2, vq, app->decode, NULL);
    g_signal_connect (app->decode, "pad-added", G_CALLBACK (on_pad_added), app);
    pad = gst_element_get_static_pad (pa, "src");
    app->n_audio_streams++;
    app->have_audio = build_audio (app, pad);
    gst_object_unref (pad);
  } else {
    app->decode = make (app, "uridecodebin", "decode");
    if (!app->decode)
      return FALSE;
    g_object_set (app->decode, "uri", app->uri, NULL);
    /* only raw audio and video: a subtitle stream stays undecoded */
    c = gst_caps_from_string ("video/x-raw; audio/x-raw");
    g_object_set (app->decode, "caps", c, NULL);
    gst_caps_unref (c);
    gst_bin_add (GST_BIN (app->pipeline), app->decode);
    g_signal_connect (app->decode, "pad-added", G_CALLBACK (on_pad_added), app);
    g_signal_connect (
        app->decode, "no-more-pads", G_CALLBACK (on_no_more_pads), app);
  }
  return app->exit_code != EXIT_ERROR;
}

/* ------------------------------------------------------------------ */
/* bus */

static void
handle_element_message (App *app, GstMessage *msg)
{
  const GstStructure *s = gst_message_get_structure (msg);
  const gchar *name = gst_structure_get_name (s);
  GstClockTime run, dur;

  if (gst_is_missing_plugin_message (msg)) {
    gchar *desc = gst_missing_plugin_message_get_description (msg);
    gchar *detail = gst_missing_plugin_message_get_installer_detail (msg);

    g_mutex_lock (&app->lock);
    g_string_append_printf (app->missing_plugins,
        "omni-analyze: no decoder for this codec: %s is needed to play %s "
        "and no installed GStreamer plugin provides it (install "
        "gstreamer1.0-libav, gstreamer1.0-plugins-ugly or -bad; installer "
        "detail: %s)\n",
        desc, app->input, detail ? detail : "none");
    g_mutex_unlock (&app->lock);
    g_free (desc);
    g_free (detail);
    return;
  }

  if (!strcmp (name, "omnisampler")) {
    OaCut cut = { 0 };
    gdouble score = 0;

    /* scene cuts only: the sampler's messages describe cuts */
    if (!message_running_time (s, &run))
      return;
    struct_get_number (s, &score, "score", "scene-score", NULL);
    g_mutex_lock (&app->lock);
    cut.run = run;
    cut.time = to_stream_time (app, run);
    cut.score = score;
    g_array_append_val (app->cuts, cut);
    g_mutex_unlock (&app->lock);
  } else if (!strcmp (name, "omnidetect")) {
    oa_detect_handle_message (&app->detect, s);
  } else if (!strcmp (name, "omnirhythm")) {
    OaRhythm r;

    if (!message_running_time (s, &run))
      return;
    r.tempo = r.confidence = r.rms_db = r.peak_db = NAN;
    struct_get_number (s, &r.tempo, "tempo", "bpm", NULL);
    struct_get_number (
        s, &r.confidence, "confidence", "tempo-confidence", NULL);
    struct_get_number (s, &r.rms_db, "rms-db", "rms", NULL);
    struct_get_number (s, &r.peak_db, "peak-db", "peak", NULL);
    /* the message describes an interval: drawn at its middle */
    if (struct_get_time (s, "duration", &dur) && GST_CLOCK_TIME_IS_VALID (dur))
      run += dur / 2;
    g_mutex_lock (&app->lock);
    r.time = to_stream_time (app, run);
    g_array_append_val (app->rhythm, r);
    g_mutex_unlock (&app->lock);
  }
}

static const gchar *
error_hint (App *app, GstMessage *msg, const GError *err, const gchar *debug)
{
  GstObject *src = GST_MESSAGE_SRC (msg);
  gchar *lower = g_ascii_strdown (err->message, -1);
  gchar *dlower = g_ascii_strdown (debug ? debug : "", -1);
  const gchar *hint = NULL;
  gboolean encoder
      = src && GST_IS_ELEMENT (src)
        && (g_str_has_prefix (GST_OBJECT_NAME (src), "visionenc")
            || g_str_has_prefix (GST_OBJECT_NAME (src), "detect")
            || g_str_has_prefix (GST_OBJECT_NAME (src), "audioenc"));

  if (encoder && app->device
      && (strstr (lower, "device") || strstr (dlower, "device=")))
    hint = "no Vulkan device matches --device: give an index or a part of a "
           "device name that `vulkaninfo --summary` lists, or leave --device "
           "out for the best device";
  else if (encoder
           && (strstr (lower, "vulkan") || strstr (dlower, "vulkan")
               || strstr (lower, "device") || strstr (dlower, "vkcreate")))
    hint = "no Vulkan device: install mesa-vulkan-drivers (lavapipe, the "
           "CPU driver) or your GPU's Vulkan driver; `vulkaninfo --summary` "
           "lists the devices";
  else if (encoder && (strstr (lower, "model") || strstr (dlower, "model")))
    hint = "no model: run tools/omni-fetch-models (scripts/setup does), set "
           "OMNI_MODEL_PATH to the model directory, or give --model a "
           "model.json";
  else if (err->domain == GST_STREAM_ERROR
           && (err->code == GST_STREAM_ERROR_CODEC_NOT_FOUND
               || err->code == GST_STREAM_ERROR_TYPE_NOT_FOUND
               || err->code == GST_STREAM_ERROR_DECODE))
    hint = "the input could not be decoded: not a media file, an "
           "unsupported format, or a damaged file";
  else if (err->domain == GST_RESOURCE_ERROR
           && (err->code == GST_RESOURCE_ERROR_NOT_FOUND
               || err->code == GST_RESOURCE_ERROR_OPEN_READ))
    hint = "the input could not be opened";
  g_free (lower);
  g_free (dlower);
  return hint;
}

static gboolean
on_bus (GstBus *bus, GstMessage *msg, gpointer user_data)
{
  App *app = user_data;

  switch (GST_MESSAGE_TYPE (msg)) {
  case GST_MESSAGE_EOS: {
    gint64 dur = -1;

    app->eos = TRUE;
    /* the container's own idea of its length, to tell a truncated file */
    if (gst_element_query_duration (app->pipeline, GST_FORMAT_TIME, &dur)
        && dur > 0)
      app->duration = dur;
    g_main_loop_quit (app->loop);
    break;
  }
  case GST_MESSAGE_ERROR: {
    GError *err = NULL;
    gchar *debug = NULL;
    const gchar *hint;

    gst_message_parse_error (msg, &err, &debug);
    hint = error_hint (app, msg, err, debug);
    if (app->camera && err->domain == GST_RESOURCE_ERROR)
      hint = "the camera or the microphone could not be opened: is one "
             "connected and free? (v4l2-ctl --list-devices, "
             "gst-device-monitor-1.0 Audio/Source)";
    /* a missing decoder makes uridecodebin fail: say that, not the
     * generic "no suitable plugins" */
    if (app->missing_plugins->len == 0) {
      fail (app, "error from %s: %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)),
          err->message);
      if (hint)
        fail (app, "%s", hint);
      if (debug)
        fail (app, "(details: %s)", debug);
    }
    app->exit_code = EXIT_ERROR;
    g_clear_error (&err);
    g_free (debug);
    g_main_loop_quit (app->loop);
    break;
  }
  case GST_MESSAGE_WARNING: {
    GError *err = NULL;
    gchar *debug = NULL;

    gst_message_parse_warning (msg, &err, &debug);
    if (!app->quiet) {
      clear_progress (app);
      g_printerr ("omni-analyze: warning from %s: %s\n",
          GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), err->message);
    }
    g_clear_error (&err);
    g_free (debug);
    break;
  }
  case GST_MESSAGE_ELEMENT:
    handle_element_message (app, msg);
    break;
  case GST_MESSAGE_DURATION_CHANGED:
    app->duration = GST_CLOCK_TIME_NONE;
    break;
  default:
    break;
  }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* progress */

static gboolean
on_progress (gpointer user_data)
{
  App *app = user_data;
  gint64 pos = -1, dur = -1;
  gdouble wall = (g_get_monotonic_time () - app->t_start) / 1e6;
  gchar bar[41];
  gint i, fill = 0;
  gdouble frac = -1;

  if (!app->pipeline)
    return G_SOURCE_CONTINUE;
  gst_element_query_position (app->pipeline, GST_FORMAT_TIME, &pos);
  if (!GST_CLOCK_TIME_IS_VALID (app->duration)
      && gst_element_query_duration (app->pipeline, GST_FORMAT_TIME, &dur)
      && dur > 0)
    app->duration = dur;
  if (pos < 0)
    return G_SOURCE_CONTINUE;
  if (GST_CLOCK_TIME_IS_VALID (app->duration) && app->duration > 0) {
    frac = CLAMP ((gdouble) pos / app->duration, 0, 1);
    fill = (gint) (frac * 40);
  }
  for (i = 0; i < 40; i++)
    bar[i] = frac < 0 ? (i == (gint) (wall * 4) % 40 ? '=' : ' ')
                      : (i < fill ? '=' : (i == fill ? '>' : ' '));
  bar[40] = 0;
  if (frac >= 0)
    g_printerr ("\r\033[K[%s] %6.1f / %.1f s  %5.1fx real time", bar, pos / 1e9,
        app->duration / 1e9, wall > 0 ? pos / 1e9 / wall : 0);
  else
    g_printerr ("\r\033[K[%s] %6.1f s  %5.1fx real time", bar, pos / 1e9,
        wall > 0 ? pos / 1e9 / wall : 0);
  app->progress_shown = TRUE;
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigint (gpointer user_data)
{
  App *app = user_data;

  if (app->interrupts++ == 0 && app->pipeline) {
    clear_progress (app);
    g_printerr ("omni-analyze: interrupted, finishing the outputs "
                "(Ctrl-C again to stop at once)\n");
    /* what is already queued is written out at once, not in real time */
    if (app->events_sink)
      g_object_set (app->events_sink, "sync", FALSE, NULL);
    if (app->overlay_sink)
      g_object_set (app->overlay_sink, "sync", FALSE, NULL);
    if (app->censor.sink)
      g_object_set (app->censor.sink, "sync", FALSE, NULL);
    gst_element_send_event (app->pipeline, gst_event_new_eos ());
  } else {
    fail (app, "interrupted");
    g_main_loop_quit (app->loop);
  }
  return G_SOURCE_CONTINUE;
}

/* An error exit leaves no empty or header-only output behind (what was
 * written before the error is kept); the overlay copy likewise when the
 * pipeline never started writing it. */
static void
close_outputs (App *app)
{
  gboolean error = app->exit_code == EXIT_ERROR;

  if (app->vtt_out) {
    fclose (app->vtt_out);
    if (error && app->n_cues == 0)
      g_unlink (app->vtt_path);
  }
  if (app->json_out) {
    fclose (app->json_out);
    if (error && app->n_events == 0)
      g_unlink (app->json_path);
  }
  if (error && app->overlay_path) {
    GStatBuf st;

    if (g_stat (app->overlay_path, &st) == 0 && st.st_size == 0)
      g_unlink (app->overlay_path);
  }
  if (error && app->censor_path) {
    GStatBuf st;

    if (g_stat (app->censor_path, &st) == 0 && st.st_size == 0)
      g_unlink (app->censor_path);
  }
}

/* ------------------------------------------------------------------ */
/* summary */

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

/* A file whose media ends well before the length its container states
 * (a cut download, a damaged file) was not analysed in full: fail, after
 * writing what was analysed. Interrupted runs (Ctrl-C) are not checked. */
static void
check_truncated (App *app)
{
  GstClockTime slack;

  if (!app->eos || app->interrupts || !GST_CLOCK_TIME_IS_VALID (app->duration)
      || !GST_CLOCK_TIME_IS_VALID (app->media_end) || app->camera)
    return;
  slack = MAX (GST_SECOND, app->duration / 20);
  if (app->media_end + slack < app->duration) {
    fail (app,
        "the input ends at %.2f s but its container says it lasts %.2f s: "
        "it is truncated or damaged, and only the first %.2f s were analysed",
        app->media_end / 1e9, app->duration / 1e9, app->media_end / 1e9);
  }
}

/* Fail closed: windows whose analysis failed (state "error") make the run
 * fail with their cause, after the outputs were written. */
static void
check_failed_windows (App *app)
{
  guint i, n = 0;
  const OaWindow *first = NULL;

  for (i = 0; i < app->windows->len; i++) {
    const OaWindow *w = &g_array_index (app->windows, OaWindow, i);

    if (w->state == OMNI_VERDICT_ERROR) {
      first = first ? first : w;
      n++;
    }
  }
  if (n) {
    fail (app,
        "the analysis failed in %u of %u windows (from %.3f s): the model "
        "gave NaN or infinite scores, so nothing can be said about them",
        n, app->windows->len, first->start / 1e9);
  }
}

static void
print_summary (App *app, gdouble wall)
{
  guint i, n_ok = 0, n_review = 0, n_flagged = 0, n_error = 0;
  GstClockTime analysed = 0;
  GArray *tempi = g_array_new (FALSE, FALSE, sizeof (gdouble));

  for (i = 0; i < app->windows->len; i++) {
    const OaWindow *w = &g_array_index (app->windows, OaWindow, i);

    if (w->state == OMNI_VERDICT_FLAGGED)
      n_flagged++;
    else if (w->state == OMNI_VERDICT_REVIEW)
      n_review++;
    else if (w->state == OMNI_VERDICT_ERROR)
      n_error++;
    else
      n_ok++;
    if (GST_CLOCK_TIME_IS_VALID (w->end))
      analysed = MAX (analysed, w->end);
    if (isfinite (w->tempo) && w->tempo > 0)
      g_array_append_val (tempi, w->tempo);
  }
  if (GST_CLOCK_TIME_IS_VALID (app->duration) && app->eos
      && app->duration < analysed)
    analysed = app->duration;
  if (GST_CLOCK_TIME_IS_VALID (app->media_end) && app->media_end < analysed)
    analysed = app->media_end;

  printf ("\nomni-analyze summary\n");
  printf ("  input             %s\n", app->input);
  printf ("  streams           ");
  if (app->have_video)
    printf ("video %dx%d", app->width, app->height);
  if (app->have_audio)
    printf ("%saudio %d Hz", app->have_video ? ", " : "", app->rate);
  printf ("\n");
  printf ("  duration analysed %.2f s\n", analysed / 1e9);
  printf ("  wall time         %.2f s (%.2fx real time)\n", wall,
      wall > 0 ? analysed / 1e9 / wall : 0);
  printf ("  windows           %u (ok %u, review %u, flagged %u, error %u)\n",
      app->windows->len, n_ok, n_review, n_flagged, n_error);
  printf ("  shot cuts         %u", app->cuts->len);
  for (i = 0; i < app->cuts->len && i < 12; i++)
    printf ("%s%.2f", i ? " " : " at ",
        g_array_index (app->cuts, OaCut, i).time / 1e9);
  printf ("%s\n", app->cuts->len > 12 ? " ... s" : app->cuts->len ? " s" : "");
  if (tempi->len) {
    g_array_sort (tempi, compare_doubles);
    printf (
        "  tempo             %.1f BPM (median of the %u windows of music)\n",
        g_array_index (tempi, gdouble, tempi->len / 2), tempi->len);
  }
  g_array_unref (tempi);
  printf ("  segments flagged  %u\n", app->segments->len);
  if (app->segments->len) {
    printf ("    %-3s %-12s %-12s %-16s %-6s %s\n", "#", "start", "end",
        "label", "peak", "mean");
    for (i = 0; i < app->segments->len; i++) {
      const OaSegment *s = &g_array_index (app->segments, OaSegment, i);
      gchar *a = format_time (s->start), *b = format_time (s->end);

      printf ("    %-3u %-12s %-12s %-16s %-6.2f %.2f\n", s->id, a, b,
          s->label ? s->label : "-", s->peak, s->mean);
      g_free (a);
      g_free (b);
    }
  }
  oa_content_print (app->windows);
  oa_category_segments_print (app->categories);
  if (app->detect_model)
    oa_detect_print_summary (&app->detect);
  if (app->vtt_path)
    printf ("  captions          %s (%u cues)\n", app->vtt_path, app->n_cues);
  if (app->json_path)
    printf ("  events            %s\n", app->json_path);
  if (app->detections_path)
    printf ("  detections file   %s\n", app->detections_path);
  if (app->overlay_path)
    printf ("  overlay copy      %s\n", app->overlay_path);
  if (app->censor_path)
    printf ("  censored copy     %s\n", app->censor_path);
  if (app->report_dir)
    printf ("  report            %s/index.html\n", app->report_dir);
  fflush (stdout);
}

/* ------------------------------------------------------------------ */
/* the built-in sample */

static gchar *
builtin_sample (App *app)
{
  const gchar *dir_env = g_getenv ("OMNI_SAMPLE_DIR");
  const gchar *build_env = g_getenv ("OMNI_BUILD_ROOT");
  gchar *dir, *path, *json, *exe, *exedir, *maker = NULL;
  gchar *argv[5];
  gint status = 0;
  GError *err = NULL;

  if (dir_env)
    dir = g_strdup (dir_env);
  else
    dir = g_build_filename (
        build_env ? build_env : OMNI_BUILD_ROOT, "sample", NULL);
  path = g_build_filename (dir, "omni-sample.mkv", NULL);
  json = g_build_filename (dir, "omni-sample.json", NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS)
      && g_file_test (json, G_FILE_TEST_EXISTS))
    goto done;

  /* next to this program (installed), else in the source tree */
  exe = g_file_read_link ("/proc/self/exe", NULL);
  exedir = exe ? g_path_get_dirname (exe) : g_strdup (".");
  maker = g_build_filename (exedir, "omni-make-sample", NULL);
  if (!g_file_test (maker, G_FILE_TEST_IS_EXECUTABLE)) {
    g_free (maker);
    maker = g_build_filename (
        OMNI_SOURCE_ROOT, "tools", "omni-make-sample", NULL);
  }
  g_free (exe);
  g_free (exedir);
  if (!g_file_test (maker, G_FILE_TEST_IS_EXECUTABLE)) {
    fail (app,
        "the built-in sample %s is missing and omni-make-sample was not "
        "found to make it",
        path);
    g_clear_pointer (&path, g_free);
    goto done;
  }
  g_printerr ("omni-analyze: making the built-in sample in %s (once)\n", dir);
  argv[0] = maker;
  argv[1] = "--output-dir";
  argv[2] = dir;
  argv[3] = "--quiet";
  argv[4] = NULL;
  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
          NULL, NULL, &status, &err)
      || !g_spawn_check_wait_status (status, &err)) {
    fail (app, "could not make the built-in sample with %s: %s", maker,
        err->message);
    g_clear_error (&err);
    g_clear_pointer (&path, g_free);
  }
done:
  g_free (maker);
  g_free (json);
  g_free (dir);
  return path;
}

/* ------------------------------------------------------------------ */

static gboolean
parse_window (
    const gchar *option, const gchar *value, gpointer data, GError **error)
{
  App *app = data;
  gchar *end = NULL;
  gdouble v = g_ascii_strtod (value, &end);
  gdouble scale = 1.0;

  if (end == value)
    goto bad;
  if (!strcmp (end, "ms"))
    scale = 1e-3;
  else if (*end && strcmp (end, "s"))
    goto bad;
  v *= scale;
  if (!(v >= 0.001 && v <= 3600))
    goto bad;
  app->window = (GstClockTime) (v * GST_SECOND + 0.5);
  return TRUE;
bad:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
      "%s: '%s' is not a window length (e.g. 1s, 500ms, 2.5)", option, value);
  return FALSE;
}

int
main (int argc, char **argv)
{
  App app_s = { 0 }, *app = &app_s;
  gchar **rest = NULL;
  GOptionContext *ctx;
  GError *err = NULL;
  gdouble wall;
  gint ret;
  guint progress_id = 0, sig_id;
  GstBus *bus;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_STRING, &app->model,
        "Image model for omnivisionenc (a name such as nsfw, or a model.json; "
        "none: no image classifier)",
        "NAME" },
    { "policy", 'p', 0, G_OPTION_ARG_FILENAME, &app->policy,
        "omnifusion moderation policy file (docs/policy.md)", "FILE" },
    { "device", 'd', 0, G_OPTION_ARG_STRING, &app->device,
        "Vulkan device for the encoders, by index or name", "DEVICE" },
    { "sample-rate", 'r', 0, G_OPTION_ARG_DOUBLE, &app->sample_rate,
        "Frames analysed per second, besides shot cuts (default 2)", "FPS" },
    { "window", 'w', 0, G_OPTION_ARG_CALLBACK, parse_window,
        "Length of an analysis window (default 1s)", "TIME" },
    { "vtt", 0, 0, G_OPTION_ARG_FILENAME, &app->vtt_path,
        "Write WebVTT captions (media time) to FILE", "FILE" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &app->json_path,
        "Write omnifusion's events as JSON lines to FILE", "FILE" },
    { "mqtt", 0, 0, G_OPTION_ARG_STRING, &app->mqtt_url,
        "Publish the events to an MQTT broker through omnipublish: "
        "mqtt[s]://[USER[:PASSWORD]@]HOST[:PORT][/TOPIC]",
        "URL" },
    { "detect", 0, 0, G_OPTION_ARG_STRING, &app->detect_model,
        "Find objects on the analysed frames with omnidetect: centernet "
        "(COCO-80), nanodet, blazeface (faces) or a model.json",
        "MODEL" },
    { "detections", 0, 0, G_OPTION_ARG_FILENAME, &app->detections_path,
        "Write omnidetect's boxes as JSON lines to FILE (implies --detect "
        "centernet)",
        "FILE" },
    { "inputs", 0, 0, G_OPTION_ARG_FILENAME, &app->inputs_file,
        "Analyse the inputs listed in FILE (one `INPUT` or `ID INPUT` a "
        "line) together, one pipeline each",
        "FILE" },
    { "stream-id", 0, 0, G_OPTION_ARG_STRING, &app->stream_id,
        "Stream id added to the published events and used for {stream} in "
        "the topic (default: the input's base name)",
        "ID" },
    { "overlay", 0, 0, G_OPTION_ARG_FILENAME, &app->overlay_path,
        "Write a copy with captions and verdicts burned in (.mkv or .webm)",
        "FILE" },
    { "censor", 0, 0, G_OPTION_ARG_FILENAME, &app->censor_path,
        "Write the censored copy viewers would get: flagged frames blurred, "
        "flagged words bleeped, flagged audio muted (.mkv or .webm)",
        "FILE" },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &app->report_dir,
        "Write an HTML review report (index.html, thumbnails) into DIR",
        "DIR" },
    { "live", 'l', 0, G_OPTION_ARG_NONE, &app->live,
        "Play in real time (as a live source would), not as fast as possible",
        NULL },
    { "fail-on-flag", 0, 0, G_OPTION_ARG_NONE, &app->fail_on_flag,
        "Exit with status 1 when a segment was flagged", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &app->quiet,
        "Print no captions, progress or summary (errors only)", NULL },
    { "no-progress", 0, 0, G_OPTION_ARG_NONE, &app->no_progress,
        "No progress bar even on a terminal", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL,
        NULL },
    { NULL }
  };
  GOptionGroup *group;

  app->sample_rate = 2.0;
  app->window = GST_SECOND;
  app->exit_code = EXIT_CLEAN;
  app->errors = g_string_new (NULL);
  app->missing_plugins = g_string_new (NULL);
  app->duration = GST_CLOCK_TIME_NONE;
  app->media_end = GST_CLOCK_TIME_NONE;
  app->enter_threshold = NAN;
  app->exit_threshold = NAN;
  g_mutex_init (&app->lock);
  app->windows = g_array_new (FALSE, TRUE, sizeof (OaWindow));
  app->segments = g_array_new (FALSE, TRUE, sizeof (OaSegment));
  app->categories = g_array_new (FALSE, TRUE, sizeof (OaCategorySegment));
  app->cuts = g_array_new (FALSE, TRUE, sizeof (OaCut));
  app->rhythm = g_array_new (FALSE, TRUE, sizeof (OaRhythm));
  app->thumbs = g_ptr_array_new_with_free_func (oa_thumb_free);

  ctx = g_option_context_new ("[INPUT] - analyse a file, a URI or `camera`");
  g_option_context_set_summary (ctx,
      "Runs gst-omni's analysis pipeline (omnisampler, omnivisionenc, "
      "omnirhythm,\nomniaudioenc, omnifusion) on INPUT: a file, a URI, "
      "`camera` (v4l2src +\nportaudiosrc), or nothing for the built-in "
      "sample.");
  g_option_context_set_description (ctx,
      "Exit status: 0 analysed (nothing flagged, or no --fail-on-flag), 1 a "
      "segment was\nflagged and --fail-on-flag was given, 2 error.\n"
      "Documentation: docs/omni-analyze.md\n");
  group = g_option_group_new ("omni-analyze", "", "", app, NULL);
  g_option_group_add_entries (group, entries);
  g_option_context_set_main_group (ctx, group);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("omni-analyze: %s (see --help)\n", err->message);
    g_clear_error (&err);
    g_option_context_free (ctx);
    return EXIT_ERROR;
  }
  g_option_context_free (ctx);
  if (!(app->sample_rate > 0 && app->sample_rate <= 1000)) {
    g_printerr ("omni-analyze: --sample-rate must be in (0, 1000] frames per "
                "second\n");
    return EXIT_ERROR;
  }

  /* Run from the build tree: use the freshly built plugins there. */
  {
    gchar *exe = g_file_read_link ("/proc/self/exe", NULL);
    gchar *tools = g_build_filename (OMNI_BUILD_ROOT, "tools", NULL);

    if (exe && g_str_has_prefix (exe, tools)) {
      gchar *p1 = g_build_filename (OMNI_BUILD_ROOT, "plugins", "omni", NULL);
      gchar *p2
          = g_build_filename (OMNI_BUILD_ROOT, "plugins", "portaudio", NULL);

      gst_registry_scan_path (gst_registry_get (), p1);
      gst_registry_scan_path (gst_registry_get (), p2);
      g_free (p1);
      g_free (p2);
    }
    g_free (exe);
    g_free (tools);
  }

  /* several inputs: one pipeline each, in this process */
  if ((rest && g_strv_length (rest) > 1) || app->inputs_file) {
    OaMultiOptions mo = { app->model, app->policy, app->device, app->json_path,
      app->mqtt_url, app->sample_rate, app->window, app->live, app->quiet,
      app->fail_on_flag };

    if (app->vtt_path || app->overlay_path || app->censor_path
        || app->report_dir || app->stream_id || app->detect_model
        || app->detections_path) {
      g_printerr ("omni-analyze: --vtt, --overlay, --censor, --report, "
                  "--stream-id, --detect and --detections are for one input; "
                  "with several, use --json or --mqtt\n");
      return EXIT_ERROR;
    }
    ret = oa_multi_run (&mo, rest, app->inputs_file);
    g_strfreev (rest);
    gst_deinit ();
    return ret;
  }

  app->stdout_is_tty = isatty (STDOUT_FILENO);
  app->stderr_is_tty = isatty (STDERR_FILENO);

  /* the input */
  if (!rest || !rest[0]) {
    app->input = builtin_sample (app);
  } else if (!strcmp (rest[0], "camera")) {
    app->input = g_strdup ("camera");
    app->camera = TRUE;
  } else {
    app->input = g_strdup (rest[0]);
  }
  if (app->input && !app->camera) {
    if (gst_uri_is_valid (app->input)) {
      gchar *proto = gst_uri_get_protocol (app->input);

      if (!g_ascii_strcasecmp (proto, "file")) {
        gchar *f = g_filename_from_uri (app->input, NULL, NULL);

        if (!f || !g_file_test (f, G_FILE_TEST_EXISTS))
          fail (app, "no such file: %s", f ? f : app->input);
        g_free (f);
      } else if (!gst_uri_protocol_is_supported (GST_URI_SRC, proto)) {
        fail (app,
            "no GStreamer source for %s:// URIs (is the plugin "
            "package for it installed?)",
            proto);
      }
      g_free (proto);
      app->uri = g_strdup (app->input);
    } else if (!g_file_test (app->input, G_FILE_TEST_EXISTS)) {
      fail (app, "no such file: %s", app->input);
    } else if (g_file_test (app->input, G_FILE_TEST_IS_DIR)) {
      fail (app, "%s is a directory, not a media file", app->input);
    } else if (g_access (app->input, R_OK) != 0) {
      fail (app, "cannot read %s: %s", app->input, g_strerror (errno));
    } else {
      app->uri = gst_filename_to_uri (app->input, &err);
      if (!app->uri) {
        fail (app, "%s: %s", app->input, err->message);
        g_clear_error (&err);
      }
    }
  }

  /* the outputs */
  if (app->exit_code != EXIT_ERROR && app->vtt_path) {
    app->vtt_out = g_fopen (app->vtt_path, "w");
    if (!app->vtt_out)
      fail (app, "cannot write %s: %s", app->vtt_path, g_strerror (errno));
    else
      fputs ("WEBVTT\n\n", app->vtt_out);
  }
  if (app->exit_code != EXIT_ERROR && app->json_path) {
    app->json_out = g_fopen (app->json_path, "w");
    if (!app->json_out)
      fail (app, "cannot write %s: %s", app->json_path, g_strerror (errno));
  }
  if (app->detections_path && !app->detect_model)
    app->detect_model = g_strdup ("centernet");
  if (app->exit_code != EXIT_ERROR
      && !oa_detect_open (&app->detect, app->detections_path, &err)) {
    fail (app, "%s", err->message);
    g_clear_error (&err);
  }
  if (app->exit_code != EXIT_ERROR && app->report_dir
      && g_mkdir_with_parents (app->report_dir, 0755) != 0)
    fail (app, "cannot create %s: %s", app->report_dir, g_strerror (errno));

  app->loop = g_main_loop_new (NULL, FALSE);
  if (app->exit_code != EXIT_ERROR)
    build_pipeline (app);

  if (app->exit_code != EXIT_ERROR) {
    GstStateChangeReturn sret;

    bus = gst_element_get_bus (app->pipeline);
    gst_bus_add_watch (bus, on_bus, app);
    sig_id = g_unix_signal_add (SIGINT, on_sigint, app);
    if (app->stderr_is_tty && !app->quiet && !app->no_progress)
      progress_id = g_timeout_add (250, on_progress, app);
    app->t_start = g_get_monotonic_time ();
    sret = gst_element_set_state (app->pipeline, GST_STATE_PLAYING);
    if (sret == GST_STATE_CHANGE_FAILURE) {
      /* the error message on the bus says why */
      GstBus *b = gst_element_get_bus (app->pipeline);
      GstMessage *m;
      gboolean told = FALSE;

      while ((m = gst_bus_pop_filtered (
                  b, GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT))) {
        told |= GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR;
        on_bus (b, m, app);
        gst_message_unref (m);
      }
      gst_object_unref (b);
      if (!told && !app->missing_plugins->len)
        fail (app, "the pipeline could not start");
    } else {
      g_main_loop_run (app->loop);
    }
    wall = (g_get_monotonic_time () - app->t_start) / 1e6;
    if (progress_id)
      g_source_remove (progress_id);
    g_source_remove (sig_id);
    clear_progress (app);
    gst_element_set_state (app->pipeline, GST_STATE_NULL);
    gst_bus_remove_watch (bus);
    gst_object_unref (bus);

    g_mutex_lock (&app->lock);
    close_cue (app);
    g_mutex_unlock (&app->lock);
    if (app->missing_plugins->len) {
      g_string_append (app->errors, app->missing_plugins->str);
      app->exit_code = EXIT_ERROR;
    }
    if (app->exit_code != EXIT_ERROR && !app->eos)
      fail (app, "the analysis stopped before the end of the input");
    if (app->exit_code != EXIT_ERROR && app->report_dir) {
      OaReport r = { 0 };

      r.dir = app->report_dir;
      r.input = app->input;
      r.uri = app->uri;
      r.duration = app->duration;
      r.windows = app->windows;
      r.segments = app->segments;
      r.categories = app->categories;
      r.cuts = app->cuts;
      r.rhythm = app->rhythm;
      r.thumbs = app->thumbs;
      r.enter_threshold = app->enter_threshold;
      r.exit_threshold = app->exit_threshold;
      r.wall = wall;
      for (guint i = 0; i < app->thumbs->len; i++) {
        OaThumb *t = g_ptr_array_index (app->thumbs, i);

        t->time = to_stream_time (app, t->run);
        t->keep = in_segment (app, t->run);
      }
      if (!oa_report_write (&r, &err)) {
        fail (app, "could not write the report: %s", err->message);
        g_clear_error (&err);
      }
    }
    if (app->exit_code != EXIT_ERROR && !app->quiet)
      print_summary (app, wall);
  }

  if (app->exit_code != EXIT_ERROR)
    check_failed_windows (app);
  if (app->exit_code != EXIT_ERROR)
    check_truncated (app);
  if (app->exit_code == EXIT_CLEAN && app->fail_on_flag
      && app->segments->len > 0)
    app->exit_code = EXIT_FLAGGED;
  if (app->errors->len)
    g_printerr ("%s", app->errors->str);

  close_outputs (app);

  ret = app->exit_code;
  g_clear_object (&app->pipeline);
  g_main_loop_unref (app->loop);
  for (guint i = 0; i < app->windows->len; i++) {
    OaWindow *w = &g_array_index (app->windows, OaWindow, i);

    g_free (w->caption);
    g_free (w->label);
    oa_window_clear_content (w);
  }
  for (guint i = 0; i < app->segments->len; i++)
    g_free (g_array_index (app->segments, OaSegment, i).label);
  g_array_unref (app->windows);
  g_array_unref (app->segments);
  oa_category_segments_free (app->categories);
  g_array_unref (app->cuts);
  g_array_unref (app->rhythm);
  g_ptr_array_unref (app->thumbs);
  g_string_free (app->errors, TRUE);
  g_string_free (app->missing_plugins, TRUE);
  g_mutex_clear (&app->lock);
  g_free (app->cue_text);
  g_free (app->input);
  g_free (app->uri);
  g_free (app->model);
  g_free (app->policy);
  g_free (app->device);
  g_free (app->vtt_path);
  g_free (app->json_path);
  g_free (app->mqtt_url);
  g_free (app->stream_id);
  g_free (app->inputs_file);
  g_free (app->detect_model);
  g_free (app->detections_path);
  oa_detect_close (&app->detect);
  g_free (app->overlay_path);
  g_free (app->censor_path);
  g_free (app->report_dir);
  g_strfreev (rest);
  gst_deinit ();
  return ret;
}
