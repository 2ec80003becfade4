/* gst-omni: omnipublish against a real Mosquitto broker started by the test
 * on a loopback port (127.0.0.1 only: nothing leaves the machine).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>
#include <string.h>

#include "mqttbroker.h"
#include "../../plugins/omni/omnipublishevent.h"
#include "../../plugins/omni/omnipublishmqtt.h"

#define BROKER_OR_FAIL(b)                                                      \
  fail_unless (mqtt_broker_start (b), "mosquitto did not start:\n%s",          \
      mqtt_broker_log (b))

/* ---- helpers ------------------------------------------------------------ */

static GstElement *
launch (const gchar *desc)
{
  GError *err = NULL;
  GstElement *p = gst_parse_launch (desc, &err);

  fail_unless (p != NULL, "%s: %s", desc, err ? err->message : "?");
  return p;
}

/* A synthetic event line of about 120 bytes, unique by index. */
static gchar *
event_line (guint i)
{
  return g_strdup_printf (
      "{\"type\":\"window\",\"index\":%u,\"state\":\"%s\",\"label\":%s,"
      "\"risk\":0.%03u,\"caption\":\"synthetic window %u\"}\n",
      i, i % 7 == 3 ? "flagged" : "ok", i % 7 == 3 ? "\"explicit\"" : "null",
      i % 1000, i);
}

static void
push_events (GstElement *p, guint from, guint to)
{
  GstElement *src = gst_bin_get_by_name (GST_BIN (p), "src");
  guint i;

  for (i = from; i < to; i++) {
    gchar *line = event_line (i);
    GstBuffer *buf = gst_buffer_new_wrapped (line, strlen (line));
    GST_BUFFER_PTS (buf) = i * GST_MSECOND;
    fail_unless_equals_int (
        gst_app_src_push_buffer (GST_APP_SRC (src), buf), GST_FLOW_OK);
  }
  gst_object_unref (src);
}

static void
end_stream (GstElement *p)
{
  GstElement *src = gst_bin_get_by_name (GST_BIN (p), "src");

  gst_app_src_end_of_stream (GST_APP_SRC (src));
  gst_object_unref (src);
}

/* The next error/warning/EOS on the bus (bounded wait), NULL on timeout. */
static GstMessage *
next_message (GstElement *p, GstMessageType types, guint timeout_ms)
{
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *m = gst_bus_timed_pop_filtered (
      bus, (GstClockTime) timeout_ms * GST_MSECOND, types);

  gst_object_unref (bus);
  return m;
}

static GstStructure *
publish_stats (GstElement *p)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (p), "pub");
  GstStructure *s = NULL;

  g_object_get (e, "stats", &s, NULL);
  gst_object_unref (e);
  return s;
}

static guint64
stat_u64 (GstElement *p, const gchar *field)
{
  GstStructure *s = publish_stats (p);
  guint64 v = 0;

  fail_unless (gst_structure_get_uint64 (s, field, &v));
  gst_structure_free (s);
  return v;
}

/* Waits (bounded) until the stats field reaches `min`: appsrc renders in
 * its own thread. */
static guint64
wait_stat_u64 (GstElement *p, const gchar *field, guint64 min)
{
  guint i;
  guint64 v = 0;

  for (i = 0; i < 500; i++) {
    GstStructure *s = publish_stats (p);
    guint u;

    if (gst_structure_get_uint (s, field, &u))
      v = u;
    else
      gst_structure_get_uint64 (s, field, &v);
    gst_structure_free (s);
    if (v >= min)
      break;
    g_usleep (20000);
  }
  return v;
}

static gchar *
appsrc_pipeline (guint port, const gchar *props)
{
  return g_strdup_printf ("appsrc name=src format=time "
                          "caps=application/x-omni-events ! omnipublish "
                          "name=pub address=127.0.0.1:%u %s",
      port, props);
}

/* Plays to EOS and expects it within `timeout_ms`, no error. */
static void
expect_eos (GstElement *p, guint timeout_ms)
{
  GstMessage *m
      = next_message (p, GST_MESSAGE_EOS | GST_MESSAGE_ERROR, timeout_ms);

  fail_unless (m != NULL, "no EOS");
  if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
    GError *err;
    gchar *dbg;
    gst_message_parse_error (m, &err, &dbg);
    fail ("error: %s (%s)", err->message, dbg);
  }
  gst_message_unref (m);
}

/* Expects an error of GST_RESOURCE_ERROR `code` whose message holds
 * `needle`. */
static void
expect_error (GstElement *p, gint code, const gchar *needle, guint timeout_ms)
{
  GstMessage *m = next_message (p, GST_MESSAGE_ERROR, timeout_ms);
  GError *err;
  gchar *dbg;

  fail_unless (m != NULL, "no error message");
  gst_message_parse_error (m, &err, &dbg);
  GST_INFO ("error: %s (%s)", err->message, dbg);
  fail_unless (err->domain == GST_RESOURCE_ERROR, "%s", err->message);
  fail_unless_equals_int (err->code, code);
  fail_unless (
      strstr (err->message, needle), "'%s' lacks '%s'", err->message, needle);
  g_error_free (err);
  g_free (dbg);
  gst_message_unref (m);
}

/* ---- units: addresses and topics ----------------------------------------- */

GST_START_TEST (test_address_parse)
{
  struct {
    const gchar *in, *host;
    guint port;
    gboolean tls;
  } good[] = {
    { "127.0.0.1:1884", "127.0.0.1", 1884, FALSE },
    { "broker.lan", "broker.lan", 1883, FALSE },
    { "mqtt://broker.lan:2000/", "broker.lan", 2000, FALSE },
    { "mqtts://broker.lan", "broker.lan", 8883, TRUE },
    { "ssl://h:8884", "h", 8884, TRUE },
    { "tcp://h", "h", 1883, FALSE },
    { "[::1]:1999", "::1", 1999, FALSE },
    { "mqtts://[fe80::1]", "fe80::1", 8883, TRUE },
  };
  const gchar *bad[]
      = { "", "h:0", "h:65536", "h:port", ":1883", "http://h:1883", "::1:1883",
          "[::1", "[]:1", "h:1883:1", "user@h:1", "mqtt://", "h:-1" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (good); i++) {
    gchar *host = NULL;
    guint port = 0;
    gboolean tls = !good[i].tls;
    GError *err = NULL;

    fail_unless (omni_mqtt_parse_address (good[i].in, &host, &port, &tls, &err),
        "%s: %s", good[i].in, err ? err->message : "");
    fail_unless_equals_string (host, good[i].host);
    fail_unless_equals_int (port, good[i].port);
    fail_unless_equals_int (tls, good[i].tls);
    g_free (host);
  }
  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    gchar *host = NULL;
    guint port;
    gboolean tls;
    GError *err = NULL;

    fail_if (omni_mqtt_parse_address (bad[i], &host, &port, &tls, &err),
        "'%s' accepted as %s:%u", bad[i], host, port);
    fail_unless (err && err->code == OMNI_MQTT_ERROR_ADDRESS);
    g_error_free (err);
  }
}

GST_END_TEST;

GST_START_TEST (test_topic_and_stream)
{
  OmniPublishEvent ev;
  gchar *reason = NULL, *t;
  const gchar *flagged = "{\"type\":\"window\",\"state\":\"flagged\","
                         "\"label\":\"explicit\",\"risk\":0.9}";
  const gchar *with_stream = "{\"stream\":\"b\",\"type\":\"window\","
                             "\"state\":\"ok\",\"label\":null}";

  fail_unless (
      omni_publish_topic_template_valid ("a/{stream}/{type}", &reason));
  fail_if (omni_publish_topic_template_valid ("a/+/b", &reason));
  g_clear_pointer (&reason, g_free);
  fail_if (omni_publish_topic_template_valid ("a/#", &reason));
  g_clear_pointer (&reason, g_free);
  fail_if (omni_publish_topic_template_valid ("a/{camera}", &reason));
  fail_unless (strstr (reason, "{camera}"));
  g_clear_pointer (&reason, g_free);
  fail_if (omni_publish_topic_template_valid ("", &reason));
  g_clear_pointer (&reason, g_free);

  omni_publish_event_init (&ev);
  /* stream id inserted first, the rest byte for byte */
  fail_unless (omni_publish_event_parse (
      &ev, flagged, strlen (flagged), "cam/1", "pub0", TRUE));
  fail_unless_equals_string (ev.payload->str,
      "{\"stream\":\"cam/1\",\"type\":\"window\",\"state\":\"flagged\","
      "\"label\":\"explicit\",\"risk\":0.9}");
  t = omni_publish_topic_expand ("omni/{stream}/{category}/{type}", &ev);
  fail_unless_equals_string (t, "omni/cam_1/explicit/window");
  g_free (t);
  /* an existing "stream" is kept; {stream} takes it without the property */
  fail_unless (omni_publish_event_parse (
      &ev, with_stream, strlen (with_stream), NULL, "pub0", TRUE));
  fail_unless (
      g_str_has_prefix (ev.payload->str, "{\"stream\":\"b\",\"type\""));
  t = omni_publish_topic_expand ("{stream}/{category}", &ev);
  fail_unless_equals_string (t, "b/ok");
  g_free (t);
  /* quotes in the id are escaped; an empty object gets no comma */
  fail_unless (omni_publish_event_parse (&ev, "{ }", 3, "a\"b", "pub0", TRUE));
  fail_unless_equals_string (ev.payload->str, "{\"stream\":\"a\\\"b\" }");
  /* not JSON: published as is, fallback names */
  fail_if (omni_publish_event_parse (&ev, "not json", 8, NULL, "pub0", TRUE));
  fail_unless_equals_string (ev.payload->str, "not json");
  t = omni_publish_topic_expand ("{stream}/{category}", &ev);
  fail_unless_equals_string (t, "pub0/unknown");
  g_free (t);
  omni_publish_event_clear (&ev);
}

GST_END_TEST;

/* ---- a whole analysis: the MQTT messages equal the file, byte for byte --- */

GST_START_TEST (test_fusion_file_equals_mqtt)
{
  MqttBroker *b = mqtt_broker_new (FALSE, "allow_anonymous true\n");
  gchar *path = NULL, *desc, *file_text = NULL, *mqtt_text;
  gchar **lines;
  GstElement *p;
  MqttSub *sub;
  GPtrArray *topics;
  guint i, n;

  BROKER_OR_FAIL (b);
  sub = mqtt_sub_new (b->port, "omni/#", NULL, NULL, NULL);
  fail_unless (sub != NULL);
  path = g_build_filename (b->dir, "events.jsonl", NULL);
  desc = g_strdup_printf (
      "videotestsrc num-buffers=90 ! video/x-raw,width=64,height=48,"
      "framerate=30/1 ! omnisampler ! f.video "
      "audiotestsrc num-buffers=130 wave=sine ! audio/x-raw,rate=44100 ! "
      "omnirhythm ! f.audio omnifusion name=f window=100000000 ! "
      "application/x-omni-events ! tee name=t ! queue ! omnipublish name=pub "
      "address=mqtt://127.0.0.1:%u topic=omni/{stream}/{category} "
      "stream=cam1 qos=1 t. ! queue ! omnipublish method=file location=%s "
      "stream=cam1",
      b->port, path);
  p = launch (desc);
  fail_unless (
      gst_element_set_state (p, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
  expect_eos (p, 60000);
  /* EOS waited for the broker's acknowledgements */
  fail_unless_equals_int (stat_u64 (p, "queued-bytes"), 0);
  n = (guint) stat_u64 (p, "published");
  fail_unless (n >= 25, "only %u events", n);
  fail_unless_equals_int (stat_u64 (p, "dropped"), 0);
  gst_element_set_state (p, GST_STATE_NULL);

  fail_unless (mqtt_sub_wait (sub, n, 10000), "%u of %u received",
      mqtt_sub_count (sub), n);
  fail_unless (g_file_get_contents (path, &file_text, NULL, NULL));
  mqtt_text = mqtt_sub_text (sub);
  fail_unless_equals_string (mqtt_text, file_text);
  /* each on the topic of its verdict */
  lines = g_strsplit (file_text, "\n", -1);
  topics = mqtt_sub_topics (sub);
  fail_unless_equals_int (topics->len, n);
  for (i = 0; i < n; i++) {
    const gchar *want
        = strstr (lines[i], "\"state\":\"ok\"") ? "omni/cam1/ok" : NULL;
    fail_unless (g_str_has_prefix (lines[i], "{\"stream\":\"cam1\","));
    if (want)
      fail_unless_equals_string (g_ptr_array_index (topics, i), want);
  }
  g_ptr_array_unref (topics);
  g_strfreev (lines);
  g_free (mqtt_text);
  g_free (file_text);
  mqtt_sub_free (sub);
  gst_object_unref (p);
  g_free (desc);
  g_free (path);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* ---- broker restart with QoS 1: nothing lost, order kept ------------------ */

/* The received lines with repeats removed (QoS 1 is at least once), as
 * one text. */
static gchar *
first_occurrences (const gchar *text)
{
  gchar **lines = g_strsplit (text, "\n", -1);
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; lines[i] && *lines[i]; i++) {
    if (g_hash_table_add (seen, lines[i]))
      g_string_append_printf (out, "%s\n", lines[i]);
  }
  g_hash_table_unref (seen);
  g_strfreev (lines);
  return g_string_free (out, FALSE);
}

static gchar *
expected_text (guint from, guint to)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = from; i < to; i++) {
    gchar *l = event_line (i);
    g_string_append (s, l);
    g_free (l);
  }
  return g_string_free (s, FALSE);
}

static gboolean
wait_stat_bool (GstElement *p, const gchar *field, gboolean want)
{
  guint i;

  for (i = 0; i < 500; i++) {
    GstStructure *s = publish_stats (p);
    gboolean v = !want;
    gst_structure_get_boolean (s, field, &v);
    gst_structure_free (s);
    if (v == want)
      return TRUE;
    g_usleep (20000);
  }
  return FALSE;
}

GST_START_TEST (test_broker_restart_qos1)
{
  MqttBroker *b = mqtt_broker_new (FALSE, "allow_anonymous true\n");
  gchar *desc, *got, *dedup, *want;
  GstElement *p;
  MqttSub *sub;
  guint64 queued;

  BROKER_OR_FAIL (b);
  /* persistent session: the broker keeps (and saves) what it holds for it */
  sub = mqtt_sub_new (b->port, "restart/#", "omni-test-sub", NULL, NULL);
  fail_unless (sub != NULL);
  desc = appsrc_pipeline (b->port,
      "topic=restart/{category} qos=1 reconnect-min-ms=100 "
      "reconnect-max-ms=400 eos-timeout-ms=20000");
  p = launch (desc);
  fail_unless (
      gst_element_set_state (p, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);

  push_events (p, 0, 150);
  fail_unless (mqtt_sub_wait (sub, 50, 10000));
  mqtt_broker_stop (b); /* mid-stream, with messages in flight */
  push_events (p, 150, 300);
  fail_unless (wait_stat_bool (p, "connected", FALSE));
  push_events (p, 300, 400); /* queued while the broker is away */
  queued = wait_stat_u64 (p, "queued", 100);
  fail_unless (queued >= 100, "queued %" G_GUINT64_FORMAT, queued);
  fail_unless (next_message (p, GST_MESSAGE_ERROR, 300) == NULL);

  BROKER_OR_FAIL (b);
  push_events (p, 400, 500);
  end_stream (p);
  expect_eos (p, 30000);
  fail_unless (stat_u64 (p, "reconnects") >= 1);
  fail_unless_equals_int (stat_u64 (p, "dropped"), 0);
  fail_unless_equals_int (stat_u64 (p, "queued-bytes"), 0);
  fail_unless (stat_u64 (p, "published") >= 500);

  fail_unless (mqtt_sub_wait (sub, 500, 20000), "%u of 500 received",
      mqtt_sub_count (sub));
  g_usleep (300000); /* repeats still on their way */
  got = mqtt_sub_text (sub);
  dedup = first_occurrences (got);
  want = expected_text (0, 500);
  fail_unless_equals_string (dedup, want);
  GST_INFO ("received %u messages for 500 events", mqtt_sub_count (sub));

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
  g_free (got);
  g_free (dedup);
  g_free (want);
  g_free (desc);
  mqtt_sub_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* ---- bounded queue: the oldest go, the newest come in order ---------------- */

GST_START_TEST (test_max_buffered_drops_oldest)
{
  MqttBroker *b = mqtt_broker_new (FALSE, "allow_anonymous true\n");
  gchar *desc, *props, *got, *want, *line;
  GstElement *p;
  GstMessage *m;
  MqttSub *sub;
  guint64 len, limit, kept_bytes = 0;
  guint kept = 0;

  /* a persistent subscription, then the broker goes away */
  BROKER_OR_FAIL (b);
  sub = mqtt_sub_new (b->port, "drop/#", "omni-test-drop", NULL, NULL);
  fail_unless (sub != NULL);
  mqtt_broker_stop (b);

  /* 10.5 events of this size fit */
  line = event_line (100);
  len = strlen (line) - 1; /* the payload has no newline */
  g_free (line);
  limit = len * 10 + len / 2;
  /* the newest events that fit in the limit stay */
  while (kept < 50) {
    gchar *l = event_line (149 - kept);
    guint64 n = strlen (l) - 1;
    g_free (l);
    if (kept_bytes + n > limit)
      break;
    kept_bytes += n;
    kept++;
  }
  props = g_strdup_printf ("topic=drop/x max-buffered=%" G_GUINT64_FORMAT
                           " connect-timeout-ms=0 reconnect-min-ms=50 "
                           "reconnect-max-ms=200",
      limit);
  desc = appsrc_pipeline (b->port, props);
  p = launch (desc);
  fail_unless (
      gst_element_set_state (p, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
  push_events (p, 100, 150);
  m = next_message (p, GST_MESSAGE_WARNING, 5000);
  fail_unless (m != NULL, "no warning for the full queue");
  gst_message_unref (m);
  fail_unless_equals_int (wait_stat_u64 (p, "dropped", 50 - kept), 50 - kept);
  fail_unless_equals_int (stat_u64 (p, "queued-bytes"), kept_bytes);
  fail_unless (kept >= 9 && kept <= 10, "%u kept", kept);
  fail_unless_equals_int (stat_u64 (p, "published"), 0);

  /* the broker returns: the newest ten, in order */
  BROKER_OR_FAIL (b);
  end_stream (p);
  expect_eos (p, 20000);
  fail_unless_equals_int (stat_u64 (p, "published"), kept);
  fail_unless (mqtt_sub_wait (sub, kept, 10000), "%u of %u received",
      mqtt_sub_count (sub), kept);
  g_usleep (200000);
  got = mqtt_sub_text (sub);
  want = expected_text (150 - kept, 150);
  fail_unless_equals_string (got, want);

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
  g_free (got);
  g_free (want);
  g_free (desc);
  g_free (props);
  mqtt_sub_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* ---- QoS 0 and 2, retain --------------------------------------------------- */

GST_START_TEST (test_qos_levels)
{
  MqttBroker *b = mqtt_broker_new (FALSE, "allow_anonymous true\n");
  gint qos;

  BROKER_OR_FAIL (b);
  for (qos = 0; qos <= 2; qos++) {
    gchar *topic = g_strdup_printf ("qos%d/#", qos);
    gchar *props = g_strdup_printf ("qos=%d topic=qos%d/{type}", qos, qos);
    gchar *desc = appsrc_pipeline (b->port, props);
    MqttSub *sub = mqtt_sub_new (b->port, topic, NULL, NULL, NULL);
    GstElement *p = launch (desc);
    gchar *got, *want;

    fail_unless (sub != NULL);
    fail_unless (gst_element_set_state (p, GST_STATE_PLAYING)
                 != GST_STATE_CHANGE_FAILURE);
    push_events (p, 0, 40);
    end_stream (p);
    expect_eos (p, 20000);
    fail_unless_equals_int (stat_u64 (p, "published"), 40);
    fail_unless (mqtt_sub_wait (sub, 40, 10000));
    got = mqtt_sub_text (sub);
    want = expected_text (0, 40);
    fail_unless_equals_string (got, want);
    gst_element_set_state (p, GST_STATE_NULL);
    gst_object_unref (p);
    mqtt_sub_free (sub);
    g_free (got);
    g_free (want);
    g_free (desc);
    g_free (props);
    g_free (topic);
  }
  mqtt_broker_free (b);
}

GST_END_TEST;

/* ---- authentication ----------------------------------------------------------- */

static void
publish_and_check (MqttBroker *b, MqttSub *sub, const gchar *props, guint n)
{
  gchar *desc = appsrc_pipeline (b->port, props);
  GstElement *p = launch (desc);
  gchar *got, *want;

  fail_unless (
      gst_element_set_state (p, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
  push_events (p, 0, n);
  end_stream (p);
  expect_eos (p, 20000);
  fail_unless (mqtt_sub_wait (sub, n, 10000));
  got = mqtt_sub_text (sub);
  want = expected_text (0, n);
  fail_unless_equals_string (got, want);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
  g_free (got);
  g_free (want);
  g_free (desc);
}

/* Starts the pipeline and expects the error (the first event is pushed so
 * that a refusal also stops the flow). */
static void
publish_expect_error (
    guint port, const gchar *props, gint code, const gchar *needle)
{
  gchar *desc = appsrc_pipeline (port, props);
  GstElement *p = launch (desc);

  gst_element_set_state (p, GST_STATE_PLAYING);
  push_events (p, 0, 1);
  expect_error (p, code, needle, 15000);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
  g_free (desc);
}

GST_START_TEST (test_auth)
{
  MqttBroker *b = mqtt_broker_new (FALSE, NULL);
  MqttSub *sub;

  g_free (b->extra);
  b->extra = g_strdup_printf (
      "allow_anonymous false\npassword_file %s/passwd\n", b->dir);
  fail_unless (
      mqtt_broker_run (b, "mosquitto_passwd -b -c passwd omni s3cret"));
  BROKER_OR_FAIL (b);
  sub = mqtt_sub_new (b->port, "auth/#", NULL, "omni", "s3cret");
  fail_unless (sub != NULL);

  publish_and_check (b, sub, "topic=auth/x username=omni password=s3cret", 8);
  publish_expect_error (b->port, "topic=auth/x username=omni password=wrong",
      GST_RESOURCE_ERROR_NOT_AUTHORIZED, "refused");
  publish_expect_error (
      b->port, "topic=auth/x", GST_RESOURCE_ERROR_NOT_AUTHORIZED, "refused");
  publish_expect_error (b->port, "topic=auth/x password=s3cret",
      GST_RESOURCE_ERROR_SETTINGS, "username");
  fail_unless_equals_int (mqtt_sub_count (sub), 8);
  mqtt_sub_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* ---- TLS, certificates made here ------------------------------------------------ */

#define EC_KEY "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "

static void
make_certificates (MqttBroker *b)
{
  const gchar *cmds[] = {
    "openssl req -x509 " EC_KEY "-keyout ca.key -out ca.pem -days 2 "
    "-subj /CN=omni-test-ca",
    "openssl req -x509 " EC_KEY "-keyout other.key -out other.pem -days 2 "
    "-subj /CN=omni-other-ca",
    "openssl req " EC_KEY "-keyout server.key -out server.csr "
    "-subj /CN=127.0.0.1",
    "printf 'subjectAltName=IP:127.0.0.1\\n' > server.ext",
    "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key "
    "-CAcreateserial -out server.pem -days 2 -extfile server.ext",
    "openssl req " EC_KEY "-keyout client.key -out client.csr "
    "-subj /CN=omni-client",
    "printf 'extendedKeyUsage=clientAuth\\n' > client.ext",
    "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key "
    "-CAcreateserial -out client.pem -days 2 -extfile client.ext",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cmds); i++)
    fail_unless (mqtt_broker_run (b, cmds[i]), "%s", cmds[i]);
}

static gchar *
tls_props (MqttBroker *b, const gchar *ca, gboolean client_cert)
{
  gchar *cert = client_cert ? g_strdup_printf ("tls-cert-file=%s/client.pem "
                                               "tls-key-file=%s/client.key",
                    b->dir, b->dir)
                            : g_strdup ("");
  gchar *props
      = g_strdup_printf ("address=mqtts://127.0.0.1:%u topic=tls/x "
                         "connect-timeout-ms=3000 tls-ca-file=%s/%s %s",
          b->tls_port, b->dir, ca, cert);

  g_free (cert);
  return props;
}

GST_START_TEST (test_tls)
{
  MqttBroker *b = mqtt_broker_new (TRUE, "allow_anonymous true\n");
  MqttSub *sub;
  gchar *props;

  make_certificates (b);
  BROKER_OR_FAIL (b);
  sub = mqtt_sub_new (b->port, "tls/#", NULL, NULL, NULL);
  fail_unless (sub != NULL);

  /* the address= that comes last wins over appsrc_pipeline's plain one */
  props = tls_props (b, "ca.pem", TRUE);
  publish_and_check (b, sub, props, 6);
  g_free (props);
  /* a broker certificate from another CA */
  props = tls_props (b, "other.pem", TRUE);
  publish_expect_error (b->port, props, GST_RESOURCE_ERROR_OPEN_WRITE, "TLS");
  g_free (props);
  /* no client certificate where the broker requires one */
  props = tls_props (b, "ca.pem", FALSE);
  publish_expect_error (b->port, props, GST_RESOURCE_ERROR_OPEN_WRITE, "TLS");
  g_free (props);
  /* a CA file that is not there */
  props = tls_props (b, "missing.pem", FALSE);
  publish_expect_error (b->port, props, GST_RESOURCE_ERROR_OPEN_READ, "TLS");
  g_free (props);
  fail_unless_equals_int (mqtt_sub_count (sub), 6);
  mqtt_sub_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* ---- bad settings, no broker, EOS with undelivered events ------------------------ */

GST_START_TEST (test_bad_address)
{
  guint port = mqtt_free_port (); /* nothing listens there */

  publish_expect_error (port, "address=127.0.0.1:70000",
      GST_RESOURCE_ERROR_NOT_FOUND, "bad MQTT broker address");
  publish_expect_error (port, "address=ftp://127.0.0.1",
      GST_RESOURCE_ERROR_NOT_FOUND, "bad MQTT broker address");
  publish_expect_error (
      port, "address=::1:1883", GST_RESOURCE_ERROR_NOT_FOUND, "brackets");
  publish_expect_error (
      port, "topic=a/#", GST_RESOURCE_ERROR_SETTINGS, "wildcards");
  publish_expect_error (port, "connect-timeout-ms=500",
      GST_RESOURCE_ERROR_OPEN_WRITE, "no MQTT broker answered");
}

GST_END_TEST;

GST_START_TEST (test_eos_timeout)
{
  guint port = mqtt_free_port ();
  gchar *desc = appsrc_pipeline (
      port, "connect-timeout-ms=0 eos-timeout-ms=300 reconnect-max-ms=100");
  GstElement *p = launch (desc);
  GstMessage *m;
  GError *err;
  gchar *dbg;

  fail_unless (
      gst_element_set_state (p, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
  push_events (p, 0, 5);
  end_stream (p);
  m = next_message (p, GST_MESSAGE_WARNING | GST_MESSAGE_ERROR, 10000);
  fail_unless (m && GST_MESSAGE_TYPE (m) == GST_MESSAGE_WARNING);
  gst_message_parse_warning (m, &err, &dbg);
  fail_unless (strstr (err->message, "5 events"), "%s", err->message);
  g_error_free (err);
  g_free (dbg);
  gst_message_unref (m);
  expect_eos (p, 5000);
  fail_unless_equals_int (stat_u64 (p, "published"), 0);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
  g_free (desc);
}

GST_END_TEST;

/* ---- retain, file errors, state changes ------------------------------------------- */

GST_START_TEST (test_retain)
{
  MqttBroker *b = mqtt_broker_new (FALSE, "allow_anonymous true\n");
  gchar *desc, *got, *want;
  GstElement *p;
  MqttSub *sub;

  BROKER_OR_FAIL (b);
  desc = appsrc_pipeline (b->port, "topic=retained/x retain=true");
  p = launch (desc);
  fail_unless (
      gst_element_set_state (p, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
  push_events (p, 0, 5);
  end_stream (p);
  expect_eos (p, 20000);
  gst_element_set_state (p, GST_STATE_NULL);
  /* a subscriber that comes later gets the last event only */
  sub = mqtt_sub_new (b->port, "retained/#", NULL, NULL, NULL);
  fail_unless (sub != NULL);
  fail_unless (mqtt_sub_wait (sub, 1, 5000));
  g_usleep (300000);
  got = mqtt_sub_text (sub);
  want = expected_text (4, 5);
  fail_unless_equals_string (got, want);
  g_free (got);
  g_free (want);
  mqtt_sub_free (sub);
  gst_object_unref (p);
  g_free (desc);
  mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_file_errors)
{
  GstElement *p = launch ("appsrc name=src caps=application/x-omni-events ! "
                          "omnipublish name=pub method=file "
                          "location=/nonexistent-dir/events.jsonl");

  gst_element_set_state (p, GST_STATE_PLAYING);
  expect_error (p, GST_RESOURCE_ERROR_OPEN_WRITE, "cannot open", 5000);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);

  p = launch ("appsrc name=src caps=application/x-omni-events ! "
              "omnipublish name=pub method=file");
  gst_element_set_state (p, GST_STATE_PLAYING);
  expect_error (p, GST_RESOURCE_ERROR_NOT_FOUND, "location", 5000);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);

  /* /dev/full: the write fails */
  p = launch ("appsrc name=src caps=application/x-omni-events ! "
              "omnipublish name=pub method=file location=/dev/full");
  gst_element_set_state (p, GST_STATE_PLAYING);
  push_events (p, 0, 3);
  expect_error (p, GST_RESOURCE_ERROR_WRITE, "cannot write", 5000);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
}

GST_END_TEST;

/* State changes at arbitrary moments, with the broker up or away and events
 * queued: no deadlock, no leak, the stats kept after stop. */
GST_START_TEST (test_state_changes)
{
  MqttBroker *b = mqtt_broker_new (FALSE, "allow_anonymous true\n");
  gchar *desc = appsrc_pipeline (b->port,
      "topic=states/x connect-timeout-ms=0 reconnect-min-ms=20 "
      "reconnect-max-ms=50 eos-timeout-ms=100");
  GRand *rand = g_rand_new_with_seed (11);
  guint i;

  for (i = 0; i < 16; i++) {
    GstElement *p = launch (desc);
    GstState target = i % 4 == 3 ? GST_STATE_PAUSED : GST_STATE_PLAYING;

    if (i == 8)
      BROKER_OR_FAIL (b);
    fail_if (gst_element_set_state (p, target) == GST_STATE_CHANGE_FAILURE);
    if (target == GST_STATE_PLAYING)
      push_events (p, 0, g_rand_int_range (rand, 0, 30));
    g_usleep (g_rand_int_range (rand, 0, 40000));
    if (i % 5 == 4) {
      end_stream (p);
      g_usleep (g_rand_int_range (rand, 0, 200000));
    }
    fail_unless (
        gst_element_set_state (p, GST_STATE_READY) == GST_STATE_CHANGE_SUCCESS);
    fail_unless (
        gst_element_set_state (p, GST_STATE_NULL) == GST_STATE_CHANGE_SUCCESS);
    { /* GstBaseSink stops in READY -> NULL; the stats stay */
      GstStructure *st = publish_stats (p);
      gboolean connected = TRUE;

      fail_unless (gst_structure_get_boolean (st, "connected", &connected));
      fail_if (connected, "still connected after stop (%u)", i);
      gst_structure_free (st);
    }
    gst_object_unref (p);
  }
  g_rand_free (rand);
  g_free (desc);
  mqtt_broker_free (b);
}

GST_END_TEST;

static Suite *
omnipublish_suite (void)
{
  Suite *s = suite_create ("omnipublish");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_address_parse);
  tcase_add_test (tc, test_topic_and_stream);
  tcase_add_test (tc, test_fusion_file_equals_mqtt);
  tcase_add_test (tc, test_broker_restart_qos1);
  tcase_add_test (tc, test_max_buffered_drops_oldest);
  tcase_add_test (tc, test_qos_levels);
  tcase_add_test (tc, test_auth);
  tcase_add_test (tc, test_tls);
  tcase_add_test (tc, test_bad_address);
  tcase_add_test (tc, test_eos_timeout);
  tcase_add_test (tc, test_retain);
  tcase_add_test (tc, test_file_errors);
  tcase_add_test (tc, test_state_changes);
  return s;
}

GST_CHECK_MAIN (omnipublish);
