/* gst-omni: omni-analyze with several inputs in one process
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One pipeline per input, all in this process and one main loop:
 *
 *   uridecodebin ─ video ─ queue ! videoconvert ! omnisampler ! omnivisionenc ! queue ! f.video
 *                ─ audio ─ queue ! audioconvert ! audioresample ! omnirhythm ! omniaudioenc ! queue ! f.audio
 *   omnifusion name=f ! application/x-omni-events ! tee
 *     tee. ! queue ! appsink         (statistics, --json with "stream" added)
 *     tee. ! queue ! omnipublish     (--mqtt, stream=ID)
 *
 * Every event written or published carries the stream id. A stream that
 * fails stops alone; the others go on. Every pipeline's omnivisionenc and
 * omniaudioenc get their model through the process-wide session cache: one
 * loaded copy of each model and one Vulkan engine for all the streams. At
 * the end, a line of statistics per stream and the totals, and what the
 * cache loaded. See docs/omni-analyze.md.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omni-analyze-multi.h"
#include "omni-analyze-mqtt.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <gst/app/app.h>
#include <json-glib/json-glib.h>
#include <omni/nn/omninnsession.h>

typedef struct _Multi Multi;

typedef struct {
  Multi *m;
  gchar *id;
  gchar *input;
  gchar *uri;
  GstElement *pipeline;
  GstElement *fusion;
  GstElement *publish;
  gboolean have_video, have_audio, done, watched;
  gchar *error;
  /* from the events (streaming threads, under m->lock) */
  guint windows, review, flagged, segments;
  gdouble max_risk;
  guint64 media_end;
} Stream;

struct _Multi {
  const OaMultiOptions *opt;
  GPtrArray *streams;
  GMainLoop *loop;
  GMutex lock;
  FILE *json;
  guint running;
  gint interrupts;
  gint status;
};

static void
stream_free (Stream *s)
{
  if (s->pipeline) {
    GstBus *bus = gst_element_get_bus (s->pipeline);

    gst_element_set_state (s->pipeline, GST_STATE_NULL);
    if (s->watched)
      gst_bus_remove_watch (bus);
    gst_object_unref (bus);
    gst_object_unref (s->pipeline);
  }
  g_free (s->id);
  g_free (s->input);
  g_free (s->uri);
  g_free (s->error);
  g_free (s);
}

/* ---- inputs --------------------------------------------------------------- */

static gchar *
input_uri (const gchar *input, GError **error)
{
  if (!strcmp (input, "camera")) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "`camera` is analysed alone (one input), not with others");
    return NULL;
  }
  if (gst_uri_is_valid (input)) {
    g_autofree gchar *proto = gst_uri_get_protocol (input);
    g_autofree gchar *f = NULL;

    if (!g_ascii_strcasecmp (proto, "file")
        && (!(f = g_filename_from_uri (input, NULL, NULL))
            || !g_file_test (f, G_FILE_TEST_EXISTS))) {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "no such file: %s",
          f ? f : input);
      return NULL;
    }
    if (!gst_uri_protocol_is_supported (GST_URI_SRC, proto)) {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
          "no GStreamer source for %s:// URIs", proto);
      return NULL;
    }
    return g_strdup (input);
  }
  if (!g_file_test (input, G_FILE_TEST_EXISTS)) {
    g_set_error (
        error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "no such file: %s", input);
    return NULL;
  }
  if (g_file_test (input, G_FILE_TEST_IS_DIR)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
        "%s is a directory, not a media file", input);
    return NULL;
  }
  return gst_filename_to_uri (input, error);
}

/* The input's base name without extension, made unique. */
static gchar *
stream_id (Multi *m, const gchar *input)
{
  g_autofree gchar *base = g_path_get_basename (input);
  gchar *dot = strrchr (base, '.'), *id;
  guint i, n = 1;

  if (dot && dot != base)
    *dot = '\0';
  id = g_strdup (base);
  for (i = 0; i < m->streams->len; i++) {
    Stream *o = g_ptr_array_index (m->streams, i);
    if (!strcmp (o->id, id)) {
      g_free (id);
      id = g_strdup_printf ("%s-%u", base, ++n);
      i = (guint) -1; /* again from the start */
    }
  }
  return id;
}

static gboolean
add_input (Multi *m, const gchar *id, const gchar *input)
{
  GError *err = NULL;
  Stream *s;
  gchar *uri = input_uri (input, &err);

  if (!uri) {
    g_printerr ("omni-analyze: %s\n", err->message);
    g_error_free (err);
    return FALSE;
  }
  s = g_new0 (Stream, 1);
  s->m = m;
  s->input = g_strdup (input);
  s->uri = uri;
  s->id = id ? g_strdup (id) : stream_id (m, input);
  g_ptr_array_add (m->streams, s);
  return TRUE;
}

/* --inputs FILE: one input per line, `INPUT` or `ID INPUT`; # comments. */
static gboolean
read_inputs_file (Multi *m, const gchar *path)
{
  g_autofree gchar *text = NULL;
  g_auto (GStrv) lines = NULL;
  GError *err = NULL;
  guint i;

  if (!g_file_get_contents (path, &text, NULL, &err)) {
    g_printerr ("omni-analyze: --inputs: %s\n", err->message);
    g_error_free (err);
    return FALSE;
  }
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i]; i++) {
    g_auto (GStrv) tok = NULL;
    gchar *l = g_strstrip (lines[i]);
    guint n;

    if (!*l || *l == '#')
      continue;
    tok = g_regex_split_simple ("\\s+", l, 0, 0);
    n = g_strv_length (tok);
    if (n > 2) {
      g_printerr (
          "omni-analyze: %s:%u: `INPUT` or `ID INPUT` expected\n", path, i + 1);
      return FALSE;
    }
    if (!add_input (m, n == 2 ? tok[0] : NULL, tok[n - 1]))
      return FALSE;
  }
  return TRUE;
}

/* ---- events ----------------------------------------------------------------- */

static void
count_event (Stream *s, JsonObject *o)
{
  const gchar *type
      = json_object_get_string_member_with_default (o, "type", "");

  if (!strcmp (type, "window")) {
    const gchar *state
        = json_object_get_string_member_with_default (o, "state", "");
    s->windows++;
    s->review += !strcmp (state, "review");
    s->flagged += !strcmp (state, "flagged");
    s->max_risk = MAX (
        s->max_risk, json_object_get_double_member_with_default (o, "risk", 0));
    s->media_end = MAX (s->media_end,
        (guint64) json_object_get_int_member_with_default (o, "window-end", 0));
  } else if (!strcmp (type, "segment")
             && !strcmp (
                 json_object_get_string_member_with_default (o, "event", ""),
                 "opened")) {
    s->segments++;
  }
}

/* One event line: counted, and written to --json with "stream" first. */
static void
handle_line (Stream *s, JsonParser *parser, const gchar *line, gsize len)
{
  JsonNode *root, *id;
  g_autofree gchar *quoted = NULL;
  Multi *m = s->m;

  if (!json_parser_load_from_data (parser, line, len, NULL))
    return;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return;
  g_mutex_lock (&m->lock);
  count_event (s, json_node_get_object (root));
  if (m->json) {
    id = json_node_new (JSON_NODE_VALUE);
    json_node_set_string (id, s->id);
    quoted = json_to_string (id, FALSE);
    json_node_unref (id);
    if (json_object_has_member (json_node_get_object (root), "stream"))
      fprintf (m->json, "%.*s\n", (int) len, line);
    else
      fprintf (m->json, "{\"stream\":%s%s%.*s\n", quoted,
          json_object_get_size (json_node_get_object (root)) ? "," : "",
          (int) len - 1, line + 1);
    fflush (m->json);
  }
  g_mutex_unlock (&m->lock);
}

static GstFlowReturn
on_events (GstAppSink *sink, gpointer data)
{
  Stream *s = data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buf = sample ? gst_sample_get_buffer (sample) : NULL;
  JsonParser *parser;
  GstMapInfo map;
  const gchar *p, *end, *nl;

  if (!buf || !gst_buffer_map (buf, &map, GST_MAP_READ)) {
    if (sample)
      gst_sample_unref (sample);
    return GST_FLOW_OK;
  }
  parser = json_parser_new_immutable ();
  p = (const gchar *) map.data;
  end = p + map.size;
  for (; p < end; p = nl + 1) {
    nl = memchr (p, '\n', end - p);
    if (!nl)
      nl = end;
    if (nl > p && *p == '{')
      handle_line (s, parser, p, nl - p);
  }
  g_object_unref (parser);
  gst_buffer_unmap (buf, &map);
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

/* ---- pipelines ---------------------------------------------------------------- */

static GstElement *
make (Stream *s, const gchar *factory, const gchar *name)
{
  GstElement *e = gst_element_factory_make (factory, name);

  if (!e && !s->error)
    s->error
        = g_strdup_printf ("element '%s' missing (GST_PLUGIN_PATH?)", factory);
  return e;
}

static gchar *
video_branch (const OaMultiOptions *o)
{
  g_autofree gchar *dev = o->device
                              ? g_strdup_printf (" device=\"%s\"", o->device)
                              : g_strdup ("");

  return g_strdup_printf (
      "queue ! videoconvert ! omnisampler interval=%" G_GUINT64_FORMAT
      " ! omnivisionenc model=\"%s\"%s ! queue",
      (guint64) (GST_SECOND / o->sample_rate), o->model ? o->model : "nsfw",
      dev);
}

/* Links a decoded pad: the first video and the first audio stream to
 * their analysis branch, any other to a fakesink. */
static void
on_pad_added (GstElement *decode, GstPad *pad, gpointer data)
{
  Stream *s = data;
  GstCaps *caps = gst_pad_query_caps (pad, NULL);
  const gchar *name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  gboolean video = g_str_has_prefix (name, "video/x-raw") && !s->have_video;
  gboolean audio = g_str_has_prefix (name, "audio/x-raw") && !s->have_audio;
  g_autofree gchar *desc = NULL;
  GstElement *bin;
  GstPad *sinkpad;
  GError *err = NULL;

  gst_caps_unref (caps);
  if (video)
    desc = video_branch (s->m->opt);
  else if (audio)
    desc = g_strdup ("queue ! audioconvert ! audioresample ! omnirhythm ! "
                     "omniaudioenc ! queue");
  else
    desc = g_strdup ("fakesink sync=false async=false");
  bin = gst_parse_bin_from_description (desc, TRUE, &err);
  if (!bin) {
    GST_ELEMENT_ERROR (
        decode, CORE, MISSING_PLUGIN, ("%s", err->message), ("%s", desc));
    g_error_free (err);
    return;
  }
  gst_bin_add (GST_BIN (s->pipeline), bin);
  if (video || audio)
    gst_element_link_pads (bin, "src", s->fusion, video ? "video" : "audio");
  gst_element_sync_state_with_parent (bin);
  sinkpad = gst_element_get_static_pad (bin, "sink");
  if (gst_pad_link (pad, sinkpad) != GST_PAD_LINK_OK)
    GST_ELEMENT_ERROR (decode, CORE, NEGOTIATION,
        ("could not link the decoded %s", name), (NULL));
  gst_object_unref (sinkpad);
  s->have_video |= video;
  s->have_audio |= audio;
}

static gboolean
build_outputs (Stream *s, GstElement *tee)
{
  const OaMultiOptions *o = s->m->opt;
  GstElement *q = make (s, "queue", NULL), *sink = make (s, "appsink", NULL);
  GstAppSinkCallbacks cb = { 0 };

  if (!q || !sink)
    return FALSE;
  g_object_set (sink, "sync", o->live, "async", FALSE, NULL);
  cb.new_sample = on_events;
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &cb, s, NULL);
  gst_bin_add_many (GST_BIN (s->pipeline), q, sink, NULL);
  if (!gst_element_link_many (tee, q, sink, NULL))
    return FALSE;
  if (!o->mqtt_url)
    return TRUE;
  q = make (s, "queue", NULL);
  s->publish = make (s, "omnipublish", "publish");
  if (!q || !s->publish)
    return FALSE;
  oa_mqtt_configure (s->publish, o->mqtt_url, s->id);
  gst_bin_add_many (GST_BIN (s->pipeline), q, s->publish, NULL);
  return gst_element_link_many (tee, q, s->publish, NULL);
}

static gboolean
build_stream (Stream *s)
{
  const OaMultiOptions *o = s->m->opt;
  g_autofree gchar *name = g_strdup_printf ("omni-analyze-%s", s->id);
  GstElement *decode, *caps, *tee;
  GstCaps *c;

  s->pipeline = gst_pipeline_new (name);
  decode = make (s, "uridecodebin", "decode");
  s->fusion = make (s, "omnifusion", "fusion");
  caps = make (s, "capsfilter", NULL);
  tee = make (s, "tee", NULL);
  if (!decode || !s->fusion || !caps || !tee)
    return FALSE;
  g_object_set (decode, "uri", s->uri, NULL);
  g_object_set (s->fusion, "window", (guint64) o->window, NULL);
  if (o->policy)
    g_object_set (s->fusion, "policy", o->policy, NULL);
  c = gst_caps_new_empty_simple ("application/x-omni-events");
  g_object_set (caps, "caps", c, NULL);
  gst_caps_unref (c);
  gst_bin_add_many (GST_BIN (s->pipeline), decode, s->fusion, caps, tee, NULL);
  if (!gst_element_link_many (s->fusion, caps, tee, NULL))
    return FALSE;
  g_signal_connect (decode, "pad-added", G_CALLBACK (on_pad_added), s);
  return build_outputs (s, tee);
}

/* ---- running ------------------------------------------------------------------- */

static void
finish (Stream *s)
{
  if (s->done)
    return;
  s->done = TRUE;
  if (--s->m->running == 0)
    g_main_loop_quit (s->m->loop);
}

static gboolean
on_bus (GstBus *bus, GstMessage *msg, gpointer data)
{
  Stream *s = data;
  GError *err = NULL;
  gchar *dbg = NULL;

  switch (GST_MESSAGE_TYPE (msg)) {
  case GST_MESSAGE_ERROR:
    gst_message_parse_error (msg, &err, &dbg);
    if (!s->error)
      s->error = g_strdup (err->message);
    g_printerr ("omni-analyze: [%s] %s\n", s->id, err->message);
    finish (s);
    break;
  case GST_MESSAGE_WARNING:
    gst_message_parse_warning (msg, &err, &dbg);
    if (!s->m->opt->quiet)
      g_printerr ("omni-analyze: [%s] warning: %s\n", s->id, err->message);
    break;
  case GST_MESSAGE_EOS:
    finish (s);
    break;
  default:
    break;
  }
  g_clear_error (&err);
  g_free (dbg);
  return G_SOURCE_CONTINUE;
}

/* Ctrl-C: end every stream cleanly (EOS); a second one stops at once. */
static gboolean
on_sigint (gpointer data)
{
  Multi *m = data;
  guint i;

  if (m->interrupts++ > 0) {
    g_main_loop_quit (m->loop);
    return G_SOURCE_CONTINUE;
  }
  for (i = 0; i < m->streams->len; i++) {
    Stream *s = g_ptr_array_index (m->streams, i);
    if (!s->done && s->pipeline)
      gst_element_send_event (s->pipeline, gst_event_new_eos ());
  }
  return G_SOURCE_CONTINUE;
}

static void
start_stream (Stream *s)
{
  GstBus *bus;

  s->m->running++;
  if (!build_stream (s)) {
    g_printerr ("omni-analyze: [%s] %s\n", s->id,
        s->error ? s->error : "cannot build the pipeline");
    if (!s->error)
      s->error = g_strdup ("cannot build the pipeline");
    finish (s);
    return;
  }
  bus = gst_element_get_bus (s->pipeline);
  gst_bus_add_watch (bus, on_bus, s);
  s->watched = TRUE;
  gst_object_unref (bus);
  if (gst_element_set_state (s->pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE) {
    if (!s->error)
      s->error = g_strdup ("cannot start the pipeline");
    finish (s);
  }
}

/* ---- summary ----------------------------------------------------------------------- */

/* The process's peak resident set (VmHWM), in MiB; 0 when unknown. */
static gdouble
peak_rss_mib (void)
{
  gchar *status = NULL, *line;
  gdouble kib = 0;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      && (line = strstr (status, "VmHWM:")))
    kib = g_ascii_strtod (line + 6, NULL);
  g_free (status);
  return kib / 1024.0;
}

/* What the session cache did for all the streams together. */
static void
print_models (Multi *m)
{
  static const gchar *sharing[] = { "all", "model", "off" };
  OmniNnSessionCacheStats cs;

  omni_nn_session_cache_get_stats (&cs);
  printf ("  models: %" G_GUINT64_FORMAT " loaded, %" G_GUINT64_FORMAT
          " engines prepared (%" G_GUINT64_FORMAT " replicas) for %u streams "
          "(session cache: %s); peak RSS %.1f MiB\n",
      cs.n_loads, cs.n_prepares, cs.n_replica_prepares, m->streams->len,
      sharing[omni_nn_session_get_sharing ()], peak_rss_mib ());
}

static void
print_summary (Multi *m, gdouble wall)
{
  guint i, w = 0, f = 0, r = 0, seg = 0;
  guint64 pub = 0, drop = 0;
  gdouble media = 0;
  gint idw = 6;

  for (i = 0; i < m->streams->len; i++)
    idw = MAX (idw, (gint) strlen (((Stream *) m->streams->pdata[i])->id));

  printf ("\nomni-analyze summary (%u streams, wall time %.2f s)\n",
      m->streams->len, wall);
  printf ("  %-*s %7s %6s %7s %8s %8s %8s %9s %7s  %s\n", idw, "stream",
      "windows", "review", "flagged", "segments", "max-risk", "media-s",
      "published", "dropped", "status");
  for (i = 0; i < m->streams->len; i++) {
    Stream *s = g_ptr_array_index (m->streams, i);
    guint64 sp = 0, sd = 0;

    if (s->publish) {
      GstStructure *st = NULL;
      g_object_get (s->publish, "stats", &st, NULL);
      gst_structure_get_uint64 (st, "published", &sp);
      gst_structure_get_uint64 (st, "dropped", &sd);
      gst_structure_free (st);
    }
    printf ("  %-*s %7u %6u %7u %8u %8.3f %8.2f %9" G_GUINT64_FORMAT
            " %7" G_GUINT64_FORMAT "  %s\n",
        idw, s->id, s->windows, s->review, s->flagged, s->segments, s->max_risk,
        s->media_end / 1e9, sp, sd, s->error ? "error" : "ok");
    w += s->windows, r += s->review, f += s->flagged, seg += s->segments;
    pub += sp, drop += sd, media += s->media_end / 1e9;
  }
  printf ("  %-*s %7u %6u %7u %8u %8s %8.2f %9" G_GUINT64_FORMAT
          " %7" G_GUINT64_FORMAT "  %.2fx real time in all\n",
      idw, "total", w, r, f, seg, "", media, pub, drop,
      wall > 0 ? media / wall : 0);
  print_models (m);
}

gint
oa_multi_run (
    const OaMultiOptions *opt, gchar **inputs, const gchar *inputs_file)
{
  Multi m = { 0 };
  gint64 t0;
  guint i, sig;
  gboolean ok = TRUE;

  m.opt = opt;
  m.streams = g_ptr_array_new_with_free_func ((GDestroyNotify) stream_free);
  g_mutex_init (&m.lock);
  for (i = 0; ok && inputs && inputs[i]; i++)
    ok = add_input (&m, NULL, inputs[i]);
  if (ok && inputs_file)
    ok = read_inputs_file (&m, inputs_file);
  if (ok && m.streams->len == 0) {
    g_printerr ("omni-analyze: no input\n");
    ok = FALSE;
  }
  if (ok && opt->json_path && !(m.json = g_fopen (opt->json_path, "w"))) {
    g_printerr ("omni-analyze: cannot write %s: %s\n", opt->json_path,
        g_strerror (errno));
    ok = FALSE;
  }
  if (!ok) {
    g_ptr_array_unref (m.streams);
    g_mutex_clear (&m.lock);
    return 2;
  }
  m.loop = g_main_loop_new (NULL, FALSE);
  sig = g_unix_signal_add (SIGINT, on_sigint, &m);
  t0 = g_get_monotonic_time ();
  for (i = 0; i < m.streams->len; i++)
    start_stream (g_ptr_array_index (m.streams, i));
  if (m.running)
    g_main_loop_run (m.loop);
  for (i = 0; i < m.streams->len; i++) {
    Stream *s = g_ptr_array_index (m.streams, i);
    if (s->pipeline)
      gst_element_set_state (s->pipeline, GST_STATE_NULL);
    m.status = MAX (m.status, s->error                           ? 2
                              : opt->fail_on_flag && s->segments ? 1
                                                                 : 0);
  }
  if (!opt->quiet)
    print_summary (&m, (g_get_monotonic_time () - t0) / 1e6);
  g_source_remove (sig);
  if (m.json)
    fclose (m.json);
  g_ptr_array_unref (m.streams);
  g_main_loop_unref (m.loop);
  g_mutex_clear (&m.lock);
  return m.status;
}
