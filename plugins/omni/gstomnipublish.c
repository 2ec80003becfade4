/* gst-omni: omnipublish
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-omnipublish
 * @title: omnipublish
 * @short_description: sends omnifusion's JSON-lines events to an MQTT
 *   broker or a file; reconnects, buffers within a bound, loses nothing at
 *   QoS 1
 *
 * omnipublish is the end of an analysis pipeline: it takes the
 * `application/x-omni-events` output of omnifusion (one JSON object per
 * line, see docs/events-schema.md) and sends every event, one at a time,
 * either to a file (#GstOmniPublish:method "file": each event as one line)
 * or to an MQTT broker through libmosquitto (#GstOmniPublish:method
 * "mqtt": each event as one MQTT message, the line without its newline),
 * in the order omnifusion produced them. The two forms are the same bytes:
 * a subscriber that writes each payload followed by a newline
 * (`mosquitto_sub -t TOPIC`) writes the file output byte for byte.
 *
 * ## Stream ids and topics
 *
 * With #GstOmniPublish:stream set, every event that has no `"stream"`
 * member gets `"stream":"ID"` as its first member (the rest of the line
 * unchanged), so that events of several streams can share a topic or a
 * file. The #GstOmniPublish:topic may hold placeholders, replaced per
 * event (`/`, `+` and `#` in a value become `_`; an empty value is
 * `none`):
 * - `{stream}`: #GstOmniPublish:stream, else the event's `"stream"`
 *   member, else the element's name;
 * - `{category}`: the verdict label (`"label"`, e.g. `explicit`), else the
 *   window state (`ok`), else the event type;
 * - `{type}`: the event type, `window` or `segment`.
 *
 * ## Delivery
 *
 * Events are appended to a queue that a worker thread delivers, so a slow
 * or absent broker never blocks the pipeline. When the connection is lost
 * (the broker restarts, the network goes), the worker reconnects after
 * #GstOmniPublish:reconnect-min-ms, doubling the wait at each failure up
 * to #GstOmniPublish:reconnect-max-ms; events keep being queued meanwhile.
 * When the queued payload exceeds #GstOmniPublish:max-buffered bytes the
 * oldest events are dropped, counted in #GstOmniPublish:stats, with one
 * warning message per overflow. On reconnection the queue is sent in order,
 * starting with the events that the broker had not acknowledged: at QoS 1
 * and 2 nothing is lost across a broker restart (QoS 1 is at least once:
 * an event whose acknowledgement was lost with the connection is sent
 * again). At EOS the element waits up to #GstOmniPublish:eos-timeout-ms
 * for the queue to empty before posting EOS, and warns with the number of
 * events left when it did not. The connection is made in the NULL to
 * READY state change and closed in READY to NULL, which discards what is
 * still queued.
 *
 * ## Errors
 *
 * Posted as error messages (domain GST_RESOURCE_ERROR), after which the
 * element returns GST_FLOW_ERROR:
 * - an address that does not parse or a host that does not resolve:
 *   GST_RESOURCE_ERROR_NOT_FOUND;
 * - no broker answering within #GstOmniPublish:connect-timeout-ms of the
 *   start (the first connection only; later losses are retried for ever):
 *   GST_RESOURCE_ERROR_OPEN_WRITE;
 * - the broker refusing the user name and password, or not authorising
 *   the client: GST_RESOURCE_ERROR_NOT_AUTHORIZED;
 * - a TLS file that cannot be read, a certificate that does not verify, a
 *   handshake refused: GST_RESOURCE_ERROR_OPEN_WRITE with "TLS" in the
 *   message and libmosquitto's last error line as the debug string;
 * - a file that cannot be opened or written: GST_RESOURCE_ERROR_OPEN_WRITE
 *   or GST_RESOURCE_ERROR_WRITE.
 *
 * Warnings (GST_RESOURCE_ERROR_WRITE): a lost connection (once per
 * outage), a full queue (once per overflow), events left at EOS, lines
 * that are not JSON objects when the topic or stream needs them parsed
 * (once; they are published as they are).
 *
 * ## Statistics
 *
 * #GstOmniPublish:stats is a #GstStructure `omnipublish-stats`:
 * - "published" (guint64): events delivered (acknowledged by the broker at
 *   QoS 1/2, written to the socket at QoS 0, written with "file")
 * - "dropped" (guint64): events dropped from a full queue
 * - "reconnects" (guint64): successful connections after the first
 * - "queued" (guint): events not yet delivered
 * - "queued-bytes" (guint64): their payload bytes
 * - "connected" (gboolean): whether the broker connection is up
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 uridecodebin uri=file:///clip.mkv name=d \
 *   d. ! videoconvert ! omnisampler ! omnivisionenc ! f.video \
 *   d. ! audioconvert ! audioresample ! omnirhythm ! f.audio \
 *   omnifusion name=f ! application/x-omni-events ! \
 *   omnipublish address=mqtt://broker.lan:1883 topic=omni/{stream}/{category} \
 *   stream=cam1 qos=1
 * ]| every event of the clip to the broker, on a topic per verdict label.
 * |[
 * ... omnifusion name=f ! application/x-omni-events ! \
 *   omnipublish address=mqtts://broker.lan tls-ca-file=ca.pem \
 *   tls-cert-file=client.pem tls-key-file=client.key username=cam1 \
 *   password=secret topic=omni/cam1
 * ]| over TLS with a client certificate and a password.
 * |[
 * ... omnifusion name=f ! application/x-omni-events ! \
 *   omnipublish method=file location=events.jsonl stream=cam1
 * ]| the same events as JSON lines in a file.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstomnipublish.h"
#include "omnipublishevent.h"
#include "omnipublishmqtt.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_omni_publish_debug);
#define GST_CAT_DEFAULT gst_omni_publish_debug

#define DEFAULT_METHOD GST_OMNI_PUBLISH_METHOD_MQTT
#define DEFAULT_ADDRESS "127.0.0.1:1883"
#define DEFAULT_TOPIC "omni/{stream}/events"
#define DEFAULT_QOS 1
#define DEFAULT_KEEP_ALIVE_S 60
#define DEFAULT_MAX_BUFFERED (16 * 1024 * 1024)
#define DEFAULT_RECONNECT_MIN_MS 250
#define DEFAULT_RECONNECT_MAX_MS 10000
#define DEFAULT_CONNECT_TIMEOUT_MS 10000
#define DEFAULT_EOS_TIMEOUT_MS 10000

enum {
  PROP_0,
  PROP_METHOD,
  PROP_LOCATION,
  PROP_ADDRESS,
  PROP_TOPIC,
  PROP_STREAM,
  PROP_QOS,
  PROP_RETAIN,
  PROP_CLIENT_ID,
  PROP_USERNAME,
  PROP_PASSWORD,
  PROP_TLS_CA_FILE,
  PROP_TLS_CERT_FILE,
  PROP_TLS_KEY_FILE,
  PROP_KEEP_ALIVE_S,
  PROP_CLEAN_SESSION,
  PROP_MAX_BUFFERED,
  PROP_RECONNECT_MIN_MS,
  PROP_RECONNECT_MAX_MS,
  PROP_CONNECT_TIMEOUT_MS,
  PROP_EOS_TIMEOUT_MS,
  PROP_STATS,
};

struct _GstOmniPublish {
  GstBaseSink parent;

  /* properties (object lock) */
  GstOmniPublishMethod method;
  gchar *location;
  gchar *address;
  gchar *topic;
  gchar *stream;
  OmniMqttConfig mqtt; /* host, port and tls filled at start */
  guint eos_timeout_ms;

  /* streaming */
  FILE *file;
  OmniMqttClient *client;
  GString *partial; /* bytes after the last newline */
  OmniPublishEvent ev;
  gboolean inspect;
  gboolean warned_not_json;
  gint failed; /* atomic */
  guint64 file_published;
  OmniMqttStats last; /* of the client, kept after stop */
};

static GstStaticPadTemplate sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("application/x-omni-events"));

#define gst_omni_publish_parent_class parent_class
G_DEFINE_TYPE (GstOmniPublish, gst_omni_publish, GST_TYPE_BASE_SINK);
GST_ELEMENT_REGISTER_DEFINE (
    omnipublish, "omnipublish", GST_RANK_NONE, GST_TYPE_OMNI_PUBLISH);

#define GST_TYPE_OMNI_PUBLISH_METHOD (gst_omni_publish_method_get_type ())
static GType
gst_omni_publish_method_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { GST_OMNI_PUBLISH_METHOD_FILE, "JSON lines to a file", "file" },
    { GST_OMNI_PUBLISH_METHOD_MQTT, "MQTT messages to a broker", "mqtt" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (
        &type, g_enum_register_static ("GstOmniPublishMethod", values));
  return type;
}

/* ---- errors from the MQTT worker ---------------------------------------- */

static GstResourceError
resource_code (gint code)
{
  switch (code) {
  case OMNI_MQTT_ERROR_ADDRESS:
    return GST_RESOURCE_ERROR_NOT_FOUND;
  case OMNI_MQTT_ERROR_AUTH:
    return GST_RESOURCE_ERROR_NOT_AUTHORIZED;
  case OMNI_MQTT_ERROR_CONNECT:
  case OMNI_MQTT_ERROR_TLS:
    return GST_RESOURCE_ERROR_OPEN_WRITE;
  default:
    return GST_RESOURCE_ERROR_WRITE;
  }
}

static void
post_resource_message (GstOmniPublish *self, GstMessageType type, gint code,
    const gchar *text, const gchar *debug)
{
  gst_element_message_full (GST_ELEMENT (self), type, GST_RESOURCE_ERROR,
      resource_code (code), g_strdup (text), g_strdup (debug), __FILE__,
      GST_FUNCTION, __LINE__);
}

static void
on_mqtt_notify (
    gboolean fatal, const GError *error, const gchar *debug, gpointer data)
{
  GstOmniPublish *self = data;

  if (fatal)
    g_atomic_int_set (&self->failed, 1);
  post_resource_message (self, fatal ? GST_MESSAGE_ERROR : GST_MESSAGE_WARNING,
      error->code, error->message, debug);
}

/* ---- start / stop --------------------------------------------------------- */

static gboolean
start_file (GstOmniPublish *self)
{
  if (!self->location || !*self->location) {
    GST_ELEMENT_ERROR (
        self, RESOURCE, NOT_FOUND, ("method=file needs a location"), (NULL));
    return FALSE;
  }
  self->file = g_fopen (self->location, "wb");
  if (!self->file) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_WRITE,
        ("cannot open '%s' for writing", self->location),
        ("%s", g_strerror (errno)));
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_tls_file (GstOmniPublish *self, const gchar *what, const gchar *path)
{
  if (!path || g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
      ("TLS %s '%s' cannot be read", what, path), (NULL));
  return FALSE;
}

static gboolean
check_mqtt_settings (GstOmniPublish *self)
{
  g_autofree gchar *reason = NULL;
  GError *err = NULL;
  OmniMqttConfig *cfg = &self->mqtt;

  g_clear_pointer (&cfg->host, g_free);
  if (!omni_mqtt_parse_address (
          self->address, &cfg->host, &cfg->port, &cfg->tls, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
        ("bad MQTT broker address: %s", err->message), (NULL));
    g_error_free (err);
    return FALSE;
  }
  if (!omni_publish_topic_template_valid (self->topic, &reason)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", reason), (NULL));
    return FALSE;
  }
  if (cfg->ca_file || cfg->cert_file)
    cfg->tls = TRUE;
  if (!!cfg->cert_file != !!cfg->key_file) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("tls-cert-file and tls-key-file go together"), (NULL));
    return FALSE;
  }
  if (cfg->password && !cfg->username) {
    GST_ELEMENT_ERROR (
        self, RESOURCE, SETTINGS, ("a password needs a username"), (NULL));
    return FALSE;
  }
  if (!cfg->clean_session && !cfg->client_id) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("clean-session=false needs a client-id"), (NULL));
    return FALSE;
  }
  return check_tls_file (self, "CA file", cfg->ca_file)
         && check_tls_file (self, "certificate", cfg->cert_file)
         && check_tls_file (self, "key", cfg->key_file);
}

static gboolean
gst_omni_publish_start (GstBaseSink *sink)
{
  GstOmniPublish *self = GST_OMNI_PUBLISH (sink);
  GError *err = NULL;
  gboolean ok;

  g_atomic_int_set (&self->failed, 0);
  g_string_truncate (self->partial, 0);
  self->warned_not_json = FALSE;
  self->file_published = 0;
  memset (&self->last, 0, sizeof (self->last));

  /* properties change only in NULL and READY: no lock needed here, and
   * none may be held while posting an error */
  self->inspect = self->method == GST_OMNI_PUBLISH_METHOD_MQTT
                  && omni_publish_topic_needs_event (self->topic);
  if (self->method == GST_OMNI_PUBLISH_METHOD_FILE) {
    ok = start_file (self);
  } else {
    ok = check_mqtt_settings (self);
    if (ok)
      self->client
          = omni_mqtt_client_new (&self->mqtt, on_mqtt_notify, self, &err);
    if (ok && !self->client) {
      GST_ELEMENT_ERROR (self, RESOURCE, FAILED,
          ("cannot start the MQTT client"), ("%s", err->message));
      g_clear_error (&err);
      ok = FALSE;
    }
  }
  return ok;
}

static gboolean
gst_omni_publish_stop (GstBaseSink *sink)
{
  GstOmniPublish *self = GST_OMNI_PUBLISH (sink);
  OmniMqttClient *client;

  GST_OBJECT_LOCK (self);
  client = g_steal_pointer (&self->client);
  GST_OBJECT_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "stopping (client %p)", client);
  if (client) {
    OmniMqttStats s;
    omni_mqtt_client_get_stats (client, &s);
    omni_mqtt_client_free (client);
    s.connected = FALSE;
    GST_OBJECT_LOCK (self);
    self->last = s;
    GST_OBJECT_UNLOCK (self);
  }
  if (self->file) {
    fclose (self->file);
    self->file = NULL;
  }
  return TRUE;
}

/* ---- events ----------------------------------------------------------------- */

static gboolean
emit_to_file (GstOmniPublish *self)
{
  if (fwrite (self->ev.payload->str, 1, self->ev.payload->len, self->file)
          != self->ev.payload->len
      || fputc ('\n', self->file) == EOF) {
    GST_ELEMENT_ERROR (self, RESOURCE, WRITE,
        ("cannot write to '%s'", self->location), ("%s", g_strerror (errno)));
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  self->file_published++;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static gboolean
emit_line (GstOmniPublish *self, const gchar *line, gsize len)
{
  g_autofree gchar *topic = NULL;

  if (len && line[len - 1] == '\r')
    len--;
  if (len == 0)
    return TRUE;
  if (!omni_publish_event_parse (&self->ev, line, len, self->stream,
          GST_OBJECT_NAME (self), self->inspect)
      && !self->warned_not_json) {
    self->warned_not_json = TRUE;
    GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
        ("an event line is not a JSON object: published as it is"),
        ("%.*s", (int) MIN (len, 200), line));
  }
  if (self->file)
    return emit_to_file (self);
  topic = omni_publish_topic_expand (self->topic, &self->ev);
  return omni_mqtt_client_publish (
      self->client, topic, self->ev.payload->str, self->ev.payload->len);
}

/* Every complete line of `data`; the rest waits for the next buffer. */
static GstFlowReturn
emit_lines (GstOmniPublish *self, const gchar *data, gsize size)
{
  const gchar *p, *nl;
  gsize off = 0;

  g_string_append_len (self->partial, data, size);
  p = self->partial->str;
  while ((nl = memchr (p + off, '\n', self->partial->len - off))) {
    if (!emit_line (self, p + off, nl - (p + off)))
      return GST_FLOW_ERROR;
    off = nl - p + 1;
  }
  g_string_erase (self->partial, 0, off);
  if (self->file && fflush (self->file) != 0) {
    GST_ELEMENT_ERROR (self, RESOURCE, WRITE,
        ("cannot write to '%s'", self->location), ("%s", g_strerror (errno)));
    return GST_FLOW_ERROR;
  }
  return GST_FLOW_OK;
}

static GstFlowReturn
gst_omni_publish_render (GstBaseSink *sink, GstBuffer *buf)
{
  GstOmniPublish *self = GST_OMNI_PUBLISH (sink);
  GstMapInfo map;
  GstFlowReturn ret;

  if (g_atomic_int_get (&self->failed))
    return GST_FLOW_ERROR;
  if (!gst_buffer_map (buf, &map, GST_MAP_READ)) {
    GST_ELEMENT_ERROR (self, RESOURCE, READ, ("cannot map a buffer"), (NULL));
    return GST_FLOW_ERROR;
  }
  ret = emit_lines (self, (const gchar *) map.data, map.size);
  gst_buffer_unmap (buf, &map);
  if (g_atomic_int_get (&self->failed))
    return GST_FLOW_ERROR;
  return ret;
}

/* At EOS: a last line without newline, then wait (bounded) for delivery. */
static void
finish_at_eos (GstOmniPublish *self)
{
  guint timeout_ms;
  OmniMqttStats s;

  if (self->partial->len) {
    emit_line (self, self->partial->str, self->partial->len);
    g_string_truncate (self->partial, 0);
    if (self->file)
      fflush (self->file);
  }
  if (!self->client || g_atomic_int_get (&self->failed))
    return;
  GST_OBJECT_LOCK (self);
  timeout_ms = self->eos_timeout_ms;
  GST_OBJECT_UNLOCK (self);
  if (omni_mqtt_client_drain (self->client, (gint64) timeout_ms * 1000))
    return;
  omni_mqtt_client_get_stats (self->client, &s);
  if (!g_atomic_int_get (&self->failed))
    GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
        ("%u events (%" G_GUINT64_FORMAT " bytes) not delivered to the "
         "MQTT broker within eos-timeout-ms (%u ms)",
            s.queued, s.queued_bytes, timeout_ms),
        (NULL));
}

static gboolean
gst_omni_publish_event (GstBaseSink *sink, GstEvent *event)
{
  GstOmniPublish *self = GST_OMNI_PUBLISH (sink);

  switch (GST_EVENT_TYPE (event)) {
  case GST_EVENT_EOS:
    finish_at_eos (self);
    break;
  case GST_EVENT_FLUSH_STOP:
    g_string_truncate (self->partial, 0);
    break;
  default:
    break;
  }
  return GST_BASE_SINK_CLASS (parent_class)->event (sink, event);
}

/* ---- properties -------------------------------------------------------------- */

static GstStructure *
make_stats (GstOmniPublish *self)
{
  OmniMqttStats s;

  GST_OBJECT_LOCK (self);
  if (self->client)
    omni_mqtt_client_get_stats (self->client, &s);
  else
    s = self->last;
  if (self->method == GST_OMNI_PUBLISH_METHOD_FILE)
    s.published = self->file_published;
  GST_OBJECT_UNLOCK (self);
  return gst_structure_new ("omnipublish-stats", "published", G_TYPE_UINT64,
      s.published, "dropped", G_TYPE_UINT64, s.dropped, "reconnects",
      G_TYPE_UINT64, s.reconnects, "queued", G_TYPE_UINT, s.queued,
      "queued-bytes", G_TYPE_UINT64, s.queued_bytes, "connected",
      G_TYPE_BOOLEAN, s.connected, NULL);
}

static gchar **
string_prop (GstOmniPublish *self, guint prop_id)
{
  switch (prop_id) {
  case PROP_LOCATION:
    return &self->location;
  case PROP_ADDRESS:
    return &self->address;
  case PROP_TOPIC:
    return &self->topic;
  case PROP_STREAM:
    return &self->stream;
  case PROP_CLIENT_ID:
    return &self->mqtt.client_id;
  case PROP_USERNAME:
    return &self->mqtt.username;
  case PROP_PASSWORD:
    return &self->mqtt.password;
  case PROP_TLS_CA_FILE:
    return &self->mqtt.ca_file;
  case PROP_TLS_CERT_FILE:
    return &self->mqtt.cert_file;
  case PROP_TLS_KEY_FILE:
    return &self->mqtt.key_file;
  default:
    return NULL;
  }
}

static guint *
uint_prop (GstOmniPublish *self, guint prop_id)
{
  switch (prop_id) {
  case PROP_KEEP_ALIVE_S:
    return &self->mqtt.keep_alive_s;
  case PROP_RECONNECT_MIN_MS:
    return &self->mqtt.reconnect_min_ms;
  case PROP_RECONNECT_MAX_MS:
    return &self->mqtt.reconnect_max_ms;
  case PROP_CONNECT_TIMEOUT_MS:
    return &self->mqtt.connect_timeout_ms;
  case PROP_EOS_TIMEOUT_MS:
    return &self->eos_timeout_ms;
  default:
    return NULL;
  }
}

static void
gst_omni_publish_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstOmniPublish *self = GST_OMNI_PUBLISH (object);
  gchar **sp;
  guint *up;

  GST_OBJECT_LOCK (self);
  if ((sp = string_prop (self, prop_id))) {
    g_free (*sp);
    *sp = g_value_dup_string (value);
  } else if ((up = uint_prop (self, prop_id))) {
    *up = g_value_get_uint (value);
  } else if (prop_id == PROP_METHOD) {
    self->method = g_value_get_enum (value);
  } else if (prop_id == PROP_QOS) {
    self->mqtt.qos = g_value_get_int (value);
  } else if (prop_id == PROP_RETAIN) {
    self->mqtt.retain = g_value_get_boolean (value);
  } else if (prop_id == PROP_CLEAN_SESSION) {
    self->mqtt.clean_session = g_value_get_boolean (value);
  } else if (prop_id == PROP_MAX_BUFFERED) {
    self->mqtt.max_buffered = g_value_get_uint64 (value);
  } else {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_publish_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstOmniPublish *self = GST_OMNI_PUBLISH (object);
  gchar **sp;
  guint *up;

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, make_stats (self));
    return;
  }
  GST_OBJECT_LOCK (self);
  if ((sp = string_prop (self, prop_id)) && prop_id != PROP_PASSWORD) {
    g_value_set_string (value, *sp);
  } else if ((up = uint_prop (self, prop_id))) {
    g_value_set_uint (value, *up);
  } else if (prop_id == PROP_METHOD) {
    g_value_set_enum (value, self->method);
  } else if (prop_id == PROP_QOS) {
    g_value_set_int (value, self->mqtt.qos);
  } else if (prop_id == PROP_RETAIN) {
    g_value_set_boolean (value, self->mqtt.retain);
  } else if (prop_id == PROP_CLEAN_SESSION) {
    g_value_set_boolean (value, self->mqtt.clean_session);
  } else if (prop_id == PROP_MAX_BUFFERED) {
    g_value_set_uint64 (value, self->mqtt.max_buffered);
  } else {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_publish_finalize (GObject *object)
{
  GstOmniPublish *self = GST_OMNI_PUBLISH (object);

  g_free (self->location);
  g_free (self->address);
  g_free (self->topic);
  g_free (self->stream);
  omni_mqtt_config_clear (&self->mqtt);
  omni_publish_event_clear (&self->ev);
  g_string_free (self->partial, TRUE);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

#define RW_STATIC                                                              \
  (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY)

static void
install_string (GObjectClass *klass, guint id, const gchar *name,
    const gchar *blurb, const gchar *def)
{
  GParamFlags flags = id == PROP_PASSWORD
                          ? G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS
                                | GST_PARAM_MUTABLE_READY
                          : RW_STATIC;

  g_object_class_install_property (
      klass, id, g_param_spec_string (name, name, blurb, def, flags));
}

static void
install_uint (GObjectClass *klass, guint id, const gchar *name,
    const gchar *blurb, guint min, guint max, guint def)
{
  g_object_class_install_property (klass, id,
      g_param_spec_uint (name, name, blurb, min, max, def, RW_STATIC));
}

static void
install_strings (GObjectClass *k)
{
  install_string (k, PROP_LOCATION, "location",
      "File the events are written to (method=file)", NULL);
  install_string (k, PROP_ADDRESS, "address",
      "MQTT broker: host:port, [v6]:port or mqtt[s]://host[:port]",
      DEFAULT_ADDRESS);
  install_string (k, PROP_TOPIC, "topic",
      "Topic per event; {stream}, {category} and {type} are replaced",
      DEFAULT_TOPIC);
  install_string (k, PROP_STREAM, "stream",
      "Stream id: added as \"stream\" to every event and used for {stream} "
      "(NULL: the event's own, else the element name)",
      NULL);
  install_string (k, PROP_CLIENT_ID, "client-id",
      "MQTT client identifier (NULL: chosen by libmosquitto)", NULL);
  install_string (k, PROP_USERNAME, "username", "MQTT user name", NULL);
  install_string (
      k, PROP_PASSWORD, "password", "MQTT password (write-only)", NULL);
  install_string (k, PROP_TLS_CA_FILE, "tls-ca-file",
      "PEM file of the CA certificates that sign the broker's (turns TLS "
      "on; NULL with mqtts://: the system's)",
      NULL);
  install_string (k, PROP_TLS_CERT_FILE, "tls-cert-file",
      "PEM client certificate (with tls-key-file)", NULL);
  install_string (k, PROP_TLS_KEY_FILE, "tls-key-file",
      "PEM private key of the client certificate", NULL);
}

static void
install_numbers (GObjectClass *k)
{
  g_object_class_install_property (k, PROP_QOS,
      g_param_spec_int ("qos", "QoS",
          "MQTT quality of service: 0 at most once, 1 at least once, 2 "
          "exactly once (per connection)",
          0, 2, DEFAULT_QOS, RW_STATIC));
  g_object_class_install_property (k, PROP_RETAIN,
      g_param_spec_boolean ("retain", "Retain",
          "Ask the broker to keep the last event of each topic for new "
          "subscribers",
          FALSE, RW_STATIC));
  g_object_class_install_property (k, PROP_CLEAN_SESSION,
      g_param_spec_boolean ("clean-session", "Clean session",
          "Start a clean MQTT session (false needs a client-id)", TRUE,
          RW_STATIC));
  install_uint (k, PROP_KEEP_ALIVE_S, "keep-alive-s",
      "MQTT keep-alive interval in seconds", 5, 65535, DEFAULT_KEEP_ALIVE_S);
  g_object_class_install_property (k, PROP_MAX_BUFFERED,
      g_param_spec_uint64 ("max-buffered", "Max buffered",
          "Bytes of event payload kept while not delivered; beyond, the "
          "oldest events are dropped",
          1, G_MAXUINT64, DEFAULT_MAX_BUFFERED, RW_STATIC));
  install_uint (k, PROP_RECONNECT_MIN_MS, "reconnect-min-ms",
      "First wait before reconnecting, doubled at each failure (ms)", 1, 600000,
      DEFAULT_RECONNECT_MIN_MS);
  install_uint (k, PROP_RECONNECT_MAX_MS, "reconnect-max-ms",
      "Longest wait between reconnection attempts (ms)", 1, 3600000,
      DEFAULT_RECONNECT_MAX_MS);
  install_uint (k, PROP_CONNECT_TIMEOUT_MS, "connect-timeout-ms",
      "Error when the first connection has not succeeded after this (ms; "
      "0: keep trying)",
      0, G_MAXUINT, DEFAULT_CONNECT_TIMEOUT_MS);
  install_uint (k, PROP_EOS_TIMEOUT_MS, "eos-timeout-ms",
      "At EOS, longest wait for the queued events to be delivered (ms)", 0,
      G_MAXUINT, DEFAULT_EOS_TIMEOUT_MS);
}

static void
gst_omni_publish_class_init (GstOmniPublishClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *sink_class = GST_BASE_SINK_CLASS (klass);

  gobject_class->set_property = gst_omni_publish_set_property;
  gobject_class->get_property = gst_omni_publish_get_property;
  gobject_class->finalize = gst_omni_publish_finalize;

  g_object_class_install_property (gobject_class, PROP_METHOD,
      g_param_spec_enum ("method", "Method", "Where the events go",
          GST_TYPE_OMNI_PUBLISH_METHOD, DEFAULT_METHOD, RW_STATIC));
  install_strings (gobject_class);
  install_numbers (gobject_class);
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "published, dropped, reconnects, queued, queued-bytes, connected",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class, "Omni event publisher",
      "Sink/Network", "Publishes JSON-lines events to an MQTT broker or a file",
      "gst-omni");
  gst_type_mark_as_plugin_api (GST_TYPE_OMNI_PUBLISH_METHOD, 0);

  sink_class->start = GST_DEBUG_FUNCPTR (gst_omni_publish_start);
  sink_class->stop = GST_DEBUG_FUNCPTR (gst_omni_publish_stop);
  sink_class->render = GST_DEBUG_FUNCPTR (gst_omni_publish_render);
  sink_class->event = GST_DEBUG_FUNCPTR (gst_omni_publish_event);

  GST_DEBUG_CATEGORY_INIT (
      gst_omni_publish_debug, "omnipublish", 0, "omnipublish");
}

static void
gst_omni_publish_init (GstOmniPublish *self)
{
  self->method = DEFAULT_METHOD;
  self->address = g_strdup (DEFAULT_ADDRESS);
  self->topic = g_strdup (DEFAULT_TOPIC);
  self->mqtt.qos = DEFAULT_QOS;
  self->mqtt.clean_session = TRUE;
  self->mqtt.keep_alive_s = DEFAULT_KEEP_ALIVE_S;
  self->mqtt.max_buffered = DEFAULT_MAX_BUFFERED;
  self->mqtt.reconnect_min_ms = DEFAULT_RECONNECT_MIN_MS;
  self->mqtt.reconnect_max_ms = DEFAULT_RECONNECT_MAX_MS;
  self->mqtt.connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
  self->eos_timeout_ms = DEFAULT_EOS_TIMEOUT_MS;
  self->partial = g_string_new (NULL);
  omni_publish_event_init (&self->ev);
  /* events go out as soon as they come: no clock sync */
  gst_base_sink_set_sync (GST_BASE_SINK (self), FALSE);
}
