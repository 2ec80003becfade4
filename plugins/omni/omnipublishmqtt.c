/* gst-omni: omnipublish's MQTT client (libmosquitto)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One worker thread owns the libmosquitto handle and is the only caller of
 * libmosquitto (so no libmosquitto call is ever made with `lock` held: its
 * callbacks run on that thread and take the lock themselves). Producers only
 * append to `pending` and wake the worker through a pipe. The worker polls
 * the socket and the pipe (libmosquitto's "external loop": loop_read,
 * loop_write, loop_misc), keeps at most MAX_INFLIGHT messages handed to
 * libmosquitto, and on a lost connection destroys the handle and puts the
 * unacknowledged messages back at the head of `pending`, in order, to be
 * sent again on a fresh handle after a backoff. So delivery is ordered and,
 * at QoS 1/2, at least once across a broker restart (a message whose
 * acknowledgement was lost with the connection is sent again).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnipublishmqtt.h"

#include <gst/gst.h>
#include <glib-unix.h>
#include <mosquitto.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

GST_DEBUG_CATEGORY_STATIC (omni_mqtt_debug);
#define GST_CAT_DEFAULT omni_mqtt_debug

/* handed to libmosquitto at once; also its own in-flight window */
#define MAX_INFLIGHT 20
#define POLL_MS 1000

G_DEFINE_QUARK (omni - mqtt - error - quark, omni_mqtt_error)

typedef struct {
  gchar *topic;
  gchar *payload;
  gsize len;
  int mid;
} Msg;

struct _OmniMqttClient {
  OmniMqttConfig cfg;
  OmniMqttNotify notify;
  gpointer notify_data;
  GThread *thread;
  int wake[2];

  GMutex lock;
  GCond cond;
  /* under lock */
  GQueue pending; /* Msg *, oldest first */
  guint64 pending_bytes;
  guint64 inflight_bytes;
  guint inflight_n;
  gboolean stop;
  gboolean failed;
  gboolean connected;
  gboolean drop_warned;
  guint64 published;
  guint64 dropped;
  guint64 reconnects;

  /* worker thread only */
  struct mosquitto *mosq;
  GQueue inflight; /* Msg *, in publish order */
  gboolean connacked;
  gboolean ever_connected;
  gboolean loss_warned;
  gboolean openssl_error; /* logged by libmosquitto in this attempt */
  int connack_rc;
  int last_rc;
  guint attempt;
  gint64 started;
  gint64 next_attempt;
  gchar *last_log;
  gchar *last_reason;
};

static void
msg_free (Msg *m)
{
  g_free (m->topic);
  g_free (m->payload);
  g_free (m);
}

void
omni_mqtt_config_clear (OmniMqttConfig *cfg)
{
  g_free (cfg->host);
  g_free (cfg->client_id);
  g_free (cfg->username);
  g_free (cfg->password);
  g_free (cfg->ca_file);
  g_free (cfg->cert_file);
  g_free (cfg->key_file);
  memset (cfg, 0, sizeof (*cfg));
}

static void
config_copy (OmniMqttConfig *dst, const OmniMqttConfig *src)
{
  *dst = *src;
  dst->host = g_strdup (src->host);
  dst->client_id = g_strdup (src->client_id);
  dst->username = g_strdup (src->username);
  dst->password = g_strdup (src->password);
  dst->ca_file = g_strdup (src->ca_file);
  dst->cert_file = g_strdup (src->cert_file);
  dst->key_file = g_strdup (src->key_file);
}

/* ---- address --------------------------------------------------------- */

static gboolean
parse_port (const gchar *s, guint *port, GError **error)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (s, 10, 1, 65535, &v, NULL)) {
    g_set_error (error, OMNI_MQTT_ERROR, OMNI_MQTT_ERROR_ADDRESS,
        "'%s' is not a port number (1-65535)", s);
    return FALSE;
  }
  *port = (guint) v;
  return TRUE;
}

/* host:port, [v6]:port, host, with an optional mqtt:// tcp:// (plain) or
 * mqtts:// ssl:// (TLS) scheme; the default port is 1883, 8883 with TLS. */
gboolean
omni_mqtt_parse_address (const gchar *address, gchar **host, guint *port,
    gboolean *tls, GError **error)
{
  const gchar *rest = address, *colon, *end;
  g_autofree gchar *hostpart = NULL;

  *tls = FALSE;
  if (!address || !*address)
    goto bad;
  if (g_str_has_prefix (address, "mqtts://")
      || g_str_has_prefix (address, "ssl://")) {
    *tls = TRUE;
    rest = strstr (address, "://") + 3;
  } else if (g_str_has_prefix (address, "mqtt://")
             || g_str_has_prefix (address, "tcp://")) {
    rest = strstr (address, "://") + 3;
  } else if (strstr (address, "://")) {
    g_set_error (error, OMNI_MQTT_ERROR, OMNI_MQTT_ERROR_ADDRESS,
        "unknown scheme in '%s' (mqtt://, mqtts://, tcp:// or ssl://)",
        address);
    return FALSE;
  }
  *port = *tls ? 8883 : 1883;
  end = rest + strlen (rest);
  if (end > rest && end[-1] == '/')
    end--;
  if (*rest == '[') {
    const gchar *rb = memchr (rest, ']', end - rest);
    if (!rb || rb == rest + 1)
      goto bad;
    hostpart = g_strndup (rest + 1, rb - rest - 1);
    colon = rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
    if (rb + 1 < end && !colon)
      goto bad;
  } else {
    colon = g_strrstr_len (rest, end - rest, ":");
    if (colon && memchr (rest, ':', colon - rest)) {
      g_set_error (error, OMNI_MQTT_ERROR, OMNI_MQTT_ERROR_ADDRESS,
          "'%s': an IPv6 address needs brackets ([::1]:1883)", address);
      return FALSE;
    }
    hostpart = g_strndup (rest, (colon ? colon : end) - rest);
  }
  if (!*hostpart || strpbrk (hostpart, "/ @?#"))
    goto bad;
  if (colon) {
    g_autofree gchar *p = g_strndup (colon + 1, end - colon - 1);
    if (!parse_port (p, port, error)) {
      g_prefix_error (error, "address '%s': ", address);
      return FALSE;
    }
  }
  *host = g_steal_pointer (&hostpart);
  return TRUE;

bad:
  g_set_error (error, OMNI_MQTT_ERROR, OMNI_MQTT_ERROR_ADDRESS,
      "'%s' is not a broker address (host:port or mqtt[s]://host:port)",
      address ? address : "(null)");
  return FALSE;
}

/* ---- notifications ---------------------------------------------------- */

static void notify (OmniMqttClient *c, gboolean fatal, OmniMqttError code,
    const gchar *debug, const gchar *format, ...) G_GNUC_PRINTF (5, 6);

static void
notify (OmniMqttClient *c, gboolean fatal, OmniMqttError code,
    const gchar *debug, const gchar *format, ...)
{
  GError *err;
  va_list args;
  gboolean stopping;

  va_start (args, format);
  err = g_error_new_valist (OMNI_MQTT_ERROR, code, format, args);
  va_end (args);
  GST_INFO ("%s: %s (%s)", fatal ? "error" : "warning", err->message,
      GST_STR_NULL (debug));
  g_mutex_lock (&c->lock);
  stopping = c->stop;
  g_mutex_unlock (&c->lock);
  /* the error is posted before a waiting drain (EOS) goes on */
  if (!stopping && c->notify)
    c->notify (fatal, err, debug, c->notify_data);
  if (fatal) {
    g_mutex_lock (&c->lock);
    c->failed = TRUE;
    g_cond_broadcast (&c->cond);
    g_mutex_unlock (&c->lock);
  }
  g_error_free (err);
}

static void
wake_worker (OmniMqttClient *c)
{
  const char b = 1;
  ssize_t r = write (c->wake[1], &b, 1); /* full pipe: already awake */
  (void) r;
}

/* ---- libmosquitto callbacks (worker thread) --------------------------- */

static void
on_connect (struct mosquitto *mosq, void *data, int rc)
{
  OmniMqttClient *c = data;

  c->connack_rc = rc;
  if (rc != 0)
    return;
  c->connacked = TRUE;
  c->attempt = 0;
  c->loss_warned = FALSE;
  g_mutex_lock (&c->lock);
  c->connected = TRUE;
  if (c->ever_connected)
    c->reconnects++;
  g_mutex_unlock (&c->lock);
  c->ever_connected = TRUE;
  GST_INFO ("connected to %s:%u", c->cfg.host, c->cfg.port);
}

static void
on_publish (struct mosquitto *mosq, void *data, int mid)
{
  OmniMqttClient *c = data;
  GList *l;

  for (l = c->inflight.head; l; l = l->next) {
    Msg *m = l->data;
    if (m->mid != mid)
      continue;
    g_queue_delete_link (&c->inflight, l);
    g_mutex_lock (&c->lock);
    c->published++;
    c->inflight_bytes -= m->len;
    c->inflight_n--;
    if (c->inflight_n == 0 && c->pending.length == 0)
      c->drop_warned = FALSE;
    g_cond_broadcast (&c->cond);
    g_mutex_unlock (&c->lock);
    msg_free (m);
    return;
  }
  GST_WARNING ("acknowledgement for unknown message id %d", mid);
}

static void
on_log (struct mosquitto *mosq, void *data, int level, const char *str)
{
  OmniMqttClient *c = data;

  if (g_str_has_prefix (str, "OpenSSL Error"))
    c->openssl_error = TRUE;
  if (level & (MOSQ_LOG_ERR | MOSQ_LOG_WARNING)) {
    g_free (c->last_log);
    c->last_log = g_strdup (str);
  }
  GST_DEBUG ("libmosquitto: %s", str);
}

/* ---- connection ------------------------------------------------------- */

static gboolean
should_stop (OmniMqttClient *c)
{
  gboolean r;

  g_mutex_lock (&c->lock);
  r = c->stop || c->failed;
  g_mutex_unlock (&c->lock);
  return r;
}

/* Waits for `until` (monotonic us); FALSE when asked to stop first. */
static gboolean
wait_until (OmniMqttClient *c, gint64 until)
{
  gboolean r;

  g_mutex_lock (&c->lock);
  while (!c->stop && g_get_monotonic_time () < until)
    g_cond_wait_until (&c->cond, &c->lock, until);
  r = !c->stop;
  g_mutex_unlock (&c->lock);
  return r;
}

static const gchar *
rc_reason (int rc, int saved_errno)
{
  if (rc == MOSQ_ERR_ERRNO)
    return g_strerror (saved_errno);
  return mosquitto_strerror (rc);
}

/* The handle goes; what it had not delivered goes back to the head of
 * the queue, in order. */
static void
teardown (OmniMqttClient *c)
{
  Msg *m;

  if (c->mosq) {
    mosquitto_destroy (c->mosq);
    c->mosq = NULL;
  }
  c->connacked = FALSE;
  c->connack_rc = -1;
  g_mutex_lock (&c->lock);
  c->connected = FALSE;
  while ((m = g_queue_pop_tail (&c->inflight))) {
    m->mid = 0;
    g_queue_push_head (&c->pending, m);
    c->inflight_bytes -= m->len;
    c->pending_bytes += m->len;
    c->inflight_n--;
  }
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
}

/* After a failed or lost connection: an error when the first connection
 * has not succeeded within connect-timeout, else another try after an
 * exponential backoff. */
static void
schedule_retry (OmniMqttClient *c, const gchar *reason)
{
  gint64 now = g_get_monotonic_time ();
  guint64 delay;

  teardown (c);
  g_free (c->last_reason);
  c->last_reason = g_strdup (reason);
  if (!c->ever_connected && c->cfg.connect_timeout_ms
      && now - c->started >= (gint64) c->cfg.connect_timeout_ms * 1000) {
    notify (c, TRUE, OMNI_MQTT_ERROR_CONNECT, c->last_log,
        "no MQTT broker answered at %s:%u within %u ms (%s)", c->cfg.host,
        c->cfg.port, c->cfg.connect_timeout_ms, reason);
    return;
  }
  if (c->ever_connected && !c->loss_warned) {
    c->loss_warned = TRUE;
    notify (c, FALSE, OMNI_MQTT_ERROR_LOST, c->last_log,
        "connection to the MQTT broker at %s:%u lost (%s), reconnecting",
        c->cfg.host, c->cfg.port, reason);
  }
  delay = (guint64) c->cfg.reconnect_min_ms << MIN (c->attempt, 20u);
  delay = MIN (delay, c->cfg.reconnect_max_ms);
  c->attempt++;
  c->next_attempt = now + (gint64) delay * 1000;
  /* one last try at the deadline of the first connection */
  if (!c->ever_connected && c->cfg.connect_timeout_ms)
    c->next_attempt = MIN (c->next_attempt,
        c->started + (gint64) c->cfg.connect_timeout_ms * 1000);
  GST_DEBUG ("retrying in %" G_GUINT64_FORMAT " ms (%s)", delay, reason);
}

static gboolean
setup_handle (OmniMqttClient *c)
{
  const OmniMqttConfig *cfg = &c->cfg;
  int rc;

  c->mosq = mosquitto_new (cfg->client_id, cfg->clean_session, c);
  if (!c->mosq) {
    notify (c, TRUE, OMNI_MQTT_ERROR_PROTOCOL, NULL,
        "cannot create an MQTT client: %s", g_strerror (errno));
    return FALSE;
  }
  mosquitto_connect_callback_set (c->mosq, on_connect);
  mosquitto_publish_callback_set (c->mosq, on_publish);
  mosquitto_log_callback_set (c->mosq, on_log);
  mosquitto_int_option (c->mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  mosquitto_max_inflight_messages_set (c->mosq, MAX_INFLIGHT);
  if (cfg->username)
    mosquitto_username_pw_set (c->mosq, cfg->username, cfg->password);
  if (cfg->tls) {
    rc = mosquitto_tls_set (c->mosq, cfg->ca_file,
        cfg->ca_file ? NULL : "/etc/ssl/certs", cfg->cert_file, cfg->key_file,
        NULL);
    if (rc != MOSQ_ERR_SUCCESS) {
      notify (c, TRUE, OMNI_MQTT_ERROR_TLS, c->last_log,
          "TLS set-up failed (CA '%s', certificate '%s', key '%s'): %s",
          GST_STR_NULL (cfg->ca_file), GST_STR_NULL (cfg->cert_file),
          GST_STR_NULL (cfg->key_file), mosquitto_strerror (rc));
      return FALSE;
    }
  }
  return TRUE;
}

/* One attempt: TRUE when the TCP (and TLS) connection is up and CONNECT is
 * on its way; the CONNACK comes later through on_connect. */
static gboolean
try_connect (OmniMqttClient *c)
{
  int rc, saved_errno;

  c->openssl_error = FALSE;
  if (!setup_handle (c))
    return FALSE;
  GST_DEBUG ("connecting to %s:%u", c->cfg.host, c->cfg.port);
  rc = mosquitto_connect (
      c->mosq, c->cfg.host, (int) c->cfg.port, (int) c->cfg.keep_alive_s);
  saved_errno = errno;
  if (rc == MOSQ_ERR_SUCCESS)
    return TRUE;
  if (rc == MOSQ_ERR_EAI) {
    notify (c, TRUE, OMNI_MQTT_ERROR_ADDRESS, c->last_log,
        "cannot resolve the MQTT broker's host '%s'", c->cfg.host);
  } else if (rc == MOSQ_ERR_TLS) {
    notify (c, TRUE, OMNI_MQTT_ERROR_TLS, c->last_log,
        "TLS connection to %s:%u failed", c->cfg.host, c->cfg.port);
  } else if (rc == MOSQ_ERR_INVAL) {
    notify (c, TRUE, OMNI_MQTT_ERROR_ADDRESS, c->last_log,
        "invalid MQTT connection settings for %s:%u", c->cfg.host, c->cfg.port);
  } else {
    schedule_retry (c, rc_reason (rc, saved_errno));
  }
  return FALSE;
}

/* A CONNACK other than 0: wrong credentials or not authorised are errors;
 * "server unavailable" is retried. */
static gboolean
connack_refused (OmniMqttClient *c)
{
  int rc = c->connack_rc;

  if (rc == 3) {
    schedule_retry (c, mosquitto_connack_string (rc));
  } else if (rc == 4 || rc == 5) {
    notify (c, TRUE, OMNI_MQTT_ERROR_AUTH, c->last_log,
        "the MQTT broker at %s:%u refused the connection: %s (user '%s')",
        c->cfg.host, c->cfg.port, mosquitto_connack_string (rc),
        c->cfg.username ? c->cfg.username : "(none)");
  } else {
    notify (c, TRUE, OMNI_MQTT_ERROR_PROTOCOL, c->last_log,
        "the MQTT broker at %s:%u refused the connection: %s", c->cfg.host,
        c->cfg.port, mosquitto_connack_string (rc));
  }
  return FALSE;
}

/* ---- delivery ---------------------------------------------------------- */

static void
send_pending (OmniMqttClient *c)
{
  while (c->inflight.length < MAX_INFLIGHT) {
    Msg *m;
    int rc;

    g_mutex_lock (&c->lock);
    m = g_queue_pop_head (&c->pending);
    if (m) {
      c->pending_bytes -= m->len;
      c->inflight_bytes += m->len;
      c->inflight_n++;
    }
    g_mutex_unlock (&c->lock);
    if (!m)
      return;
    /* queued before the call: a QoS 0 message can be written, and so
     * reported to on_publish (with m->mid already set), inside it */
    g_queue_push_tail (&c->inflight, m);
    rc = mosquitto_publish (c->mosq, &m->mid, m->topic, (int) m->len,
        m->payload, c->cfg.qos, c->cfg.retain);
    if (rc == MOSQ_ERR_SUCCESS)
      continue;
    if (rc == MOSQ_ERR_PAYLOAD_SIZE || rc == MOSQ_ERR_INVAL
        || rc == MOSQ_ERR_MALFORMED_UTF8) {
      notify (c, TRUE, OMNI_MQTT_ERROR_PROTOCOL, c->last_log,
          "cannot publish %" G_GSIZE_FORMAT " bytes to topic '%s': %s", m->len,
          m->topic, mosquitto_strerror (rc));
    }
    return; /* a lost connection shows in the socket loop */
  }
}

static void
drain_wake_pipe (OmniMqttClient *c)
{
  char buf[64];

  while (read (c->wake[0], buf, sizeof (buf)) > 0)
    ;
}

/* One turn of the external loop; FALSE when the connection is gone. */
static gboolean
service_socket (OmniMqttClient *c)
{
  struct pollfd pfd[2];
  int rc = MOSQ_ERR_SUCCESS, sock = mosquitto_socket (c->mosq);

  if (sock < 0) {
    c->last_rc = MOSQ_ERR_NO_CONN;
    return FALSE;
  }
  pfd[0].fd = sock;
  pfd[0].events = POLLIN | (mosquitto_want_write (c->mosq) ? POLLOUT : 0);
  pfd[1].fd = c->wake[0];
  pfd[1].events = POLLIN;
  pfd[0].revents = pfd[1].revents = 0;
  if (poll (pfd, 2, POLL_MS) < 0 && errno != EINTR) {
    c->last_rc = MOSQ_ERR_ERRNO;
    return FALSE;
  }
  if (pfd[1].revents)
    drain_wake_pipe (c);
  if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))
    rc = mosquitto_loop_read (c->mosq, 1);
  if (rc == MOSQ_ERR_SUCCESS && (pfd[0].revents & POLLOUT))
    rc = mosquitto_loop_write (c->mosq, 1);
  if (rc == MOSQ_ERR_SUCCESS)
    rc = mosquitto_loop_misc (c->mosq);
  c->last_rc = rc;
  errno = rc == MOSQ_ERR_ERRNO ? errno : 0;
  return rc == MOSQ_ERR_SUCCESS && c->connack_rc <= 0;
}

static void
connection_lost (OmniMqttClient *c)
{
  int saved_errno = errno;

  if (c->connack_rc > 0) {
    connack_refused (c);
    return;
  }
  /* a refused client certificate (TLS 1.3) shows as a closed connection
   * after an OpenSSL alert */
  if (!c->connacked && (c->last_rc == MOSQ_ERR_TLS || c->openssl_error)) {
    notify (c, TRUE, OMNI_MQTT_ERROR_TLS, c->last_log,
        "TLS handshake with %s:%u failed", c->cfg.host, c->cfg.port);
    return;
  }
  schedule_retry (c, rc_reason (c->last_rc, saved_errno));
}

/* The first connection has a deadline also when TCP connects but no
 * CONNACK comes (not an MQTT server). */
static gboolean
connect_deadline_passed (OmniMqttClient *c)
{
  if (c->ever_connected || !c->cfg.connect_timeout_ms)
    return FALSE;
  if (g_get_monotonic_time () - c->started
      < (gint64) c->cfg.connect_timeout_ms * 1000)
    return FALSE;
  notify (c, TRUE, OMNI_MQTT_ERROR_CONNECT, c->last_log,
      "no MQTT broker answered at %s:%u within %u ms (%s)", c->cfg.host,
      c->cfg.port, c->cfg.connect_timeout_ms,
      c->last_reason ? c->last_reason : "no CONNACK");
  return TRUE;
}

static gpointer
worker (gpointer data)
{
  OmniMqttClient *c = data;

  while (!should_stop (c)) {
    if (!c->mosq) {
      if (!wait_until (c, c->next_attempt))
        break;
      if (!try_connect (c))
        continue;
    }
    if (c->connacked)
      send_pending (c);
    else if (connect_deadline_passed (c))
      break;
    if (!should_stop (c) && !service_socket (c))
      connection_lost (c);
  }
  if (c->mosq && c->connacked)
    mosquitto_disconnect (c->mosq);
  teardown (c);
  return NULL;
}

/* ---- public ------------------------------------------------------------- */

static gpointer
lib_init (gpointer unused)
{
  mosquitto_lib_init ();
  GST_DEBUG_CATEGORY_INIT (
      omni_mqtt_debug, "omnipublishmqtt", 0, "omnipublish MQTT client");
  return NULL;
}

OmniMqttClient *
omni_mqtt_client_new (const OmniMqttConfig *config, OmniMqttNotify notify_cb,
    gpointer data, GError **error)
{
  static GOnce once = G_ONCE_INIT;
  OmniMqttClient *c;

  g_once (&once, lib_init, NULL);
  c = g_new0 (OmniMqttClient, 1);
  if (!g_unix_open_pipe (c->wake, FD_CLOEXEC, error)) {
    g_free (c);
    return NULL;
  }
  g_unix_set_fd_nonblocking (c->wake[0], TRUE, NULL);
  g_unix_set_fd_nonblocking (c->wake[1], TRUE, NULL);
  config_copy (&c->cfg, config);
  c->notify = notify_cb;
  c->notify_data = data;
  c->connack_rc = -1;
  g_mutex_init (&c->lock);
  g_cond_init (&c->cond);
  g_queue_init (&c->pending);
  g_queue_init (&c->inflight);
  c->started = c->next_attempt = g_get_monotonic_time ();
  c->thread = g_thread_new ("omnipublish-mqtt", worker, c);
  return c;
}

/* Appends a message; drops the oldest queued ones beyond max-buffered.
 * FALSE once the client has failed. */
gboolean
omni_mqtt_client_publish (
    OmniMqttClient *c, const gchar *topic, const gchar *payload, gsize len)
{
  Msg *m = g_new0 (Msg, 1);
  guint64 ndropped = 0, total;
  gboolean warn = FALSE, failed;

  m->topic = g_strdup (topic);
  m->payload = g_memdup2 (payload, len);
  m->len = len;
  g_mutex_lock (&c->lock);
  failed = c->failed;
  g_queue_push_tail (&c->pending, m);
  c->pending_bytes += len;
  while (c->pending.length
         && c->pending_bytes + c->inflight_bytes > c->cfg.max_buffered) {
    Msg *old = g_queue_pop_head (&c->pending);
    c->pending_bytes -= old->len;
    msg_free (old);
    ndropped++;
  }
  c->dropped += ndropped;
  total = c->dropped;
  if (ndropped && !c->drop_warned)
    warn = c->drop_warned = TRUE;
  g_mutex_unlock (&c->lock);
  if (warn)
    notify (c, FALSE, OMNI_MQTT_ERROR_DROPPED, NULL,
        "MQTT queue full (max-buffered %" G_GUINT64_FORMAT
        " bytes): oldest events dropped (%" G_GUINT64_FORMAT " so far)",
        c->cfg.max_buffered, total);
  wake_worker (c);
  return !failed;
}

/* Waits until everything queued is delivered; FALSE on timeout or error. */
gboolean
omni_mqtt_client_drain (OmniMqttClient *c, gint64 timeout_us)
{
  gint64 until = g_get_monotonic_time () + timeout_us;
  gboolean r;

  g_mutex_lock (&c->lock);
  while (!c->failed && c->pending.length + c->inflight_n > 0
         && g_get_monotonic_time () < until)
    g_cond_wait_until (&c->cond, &c->lock, until);
  r = c->pending.length + c->inflight_n == 0;
  g_mutex_unlock (&c->lock);
  return r;
}

void
omni_mqtt_client_get_stats (OmniMqttClient *c, OmniMqttStats *s)
{
  g_mutex_lock (&c->lock);
  s->published = c->published;
  s->dropped = c->dropped;
  s->reconnects = c->reconnects;
  s->queued_bytes = c->pending_bytes + c->inflight_bytes;
  s->queued = c->pending.length + c->inflight_n;
  s->connected = c->connected;
  g_mutex_unlock (&c->lock);
}

void
omni_mqtt_client_free (OmniMqttClient *c)
{
  g_mutex_lock (&c->lock);
  c->stop = TRUE;
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
  wake_worker (c);
  g_thread_join (c->thread);
  g_queue_clear_full (&c->pending, (GDestroyNotify) msg_free);
  close (c->wake[0]);
  close (c->wake[1]);
  g_mutex_clear (&c->lock);
  g_cond_clear (&c->cond);
  g_free (c->last_log);
  g_free (c->last_reason);
  omni_mqtt_config_clear (&c->cfg);
  g_free (c);
}
