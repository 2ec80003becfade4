/* gst-omni tests: a private Mosquitto broker and a subscriber
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mqttbroker.h"

#include <glib/gstdio.h>
#include <mosquitto.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

guint
mqtt_free_port (void)
{
  struct sockaddr_in a;
  socklen_t len = sizeof (a);
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  guint port = 0;

  memset (&a, 0, sizeof (a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd >= 0 && bind (fd, (struct sockaddr *) &a, sizeof (a)) == 0
      && getsockname (fd, (struct sockaddr *) &a, &len) == 0)
    port = ntohs (a.sin_port);
  if (fd >= 0)
    close (fd);
  return port;
}

static gboolean
port_open (guint port)
{
  struct sockaddr_in a;
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  gboolean ok;

  memset (&a, 0, sizeof (a));
  a.sin_family = AF_INET;
  a.sin_port = htons (port);
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  ok = fd >= 0 && connect (fd, (struct sockaddr *) &a, sizeof (a)) == 0;
  if (fd >= 0)
    close (fd);
  return ok;
}

MqttBroker *
mqtt_broker_new (gboolean with_tls, const gchar *extra_conf)
{
  MqttBroker *b = g_new0 (MqttBroker, 1);

  b->dir = g_dir_make_tmp ("omni-mqtt-XXXXXX", NULL);
  b->port = mqtt_free_port ();
  if (with_tls)
    do
      b->tls_port = mqtt_free_port ();
    while (b->tls_port == b->port);
  b->extra = g_strdup (extra_conf ? extra_conf : "");
  return b;
}

static gboolean
write_config (MqttBroker *b, const gchar *path)
{
  GString *c = g_string_new (NULL);
  gboolean ok;

  g_string_append_printf (c,
      "per_listener_settings false\n"
      "persistence true\npersistence_location %s/\n"
      "log_dest file %s/broker.log\nlog_type all\n"
      "max_queued_messages 0\nuser %s\n"
      "listener %u 127.0.0.1\n",
      b->dir, b->dir, g_get_user_name (), b->port);
  if (b->tls_port)
    g_string_append_printf (c,
        "listener %u 127.0.0.1\ncafile %s/ca.pem\ncertfile %s/server.pem\n"
        "keyfile %s/server.key\nrequire_certificate true\n",
        b->tls_port, b->dir, b->dir, b->dir);
  g_string_append (c, b->extra);
  ok = g_file_set_contents (path, c->str, -1, NULL);
  g_string_free (c, TRUE);
  return ok;
}

gboolean
mqtt_broker_start (MqttBroker *b)
{
  g_autofree gchar *conf = g_build_filename (b->dir, "mosquitto.conf", NULL);
  gchar *argv[]
      = { (gchar *) "/usr/sbin/mosquitto", (gchar *) "-c", conf, NULL };
  guint i;

  if (!b->port || !write_config (b, conf))
    return FALSE;
  if (!g_spawn_async (b->dir, argv, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
              | G_SPAWN_STDERR_TO_DEV_NULL,
          NULL, NULL, &b->pid, NULL))
    return FALSE;
  for (i = 0; i < 200; i++) { /* 10 s */
    if (port_open (b->port) && (!b->tls_port || port_open (b->tls_port)))
      return TRUE;
    if (waitpid (b->pid, NULL, WNOHANG) == b->pid) {
      b->pid = 0;
      return FALSE;
    }
    g_usleep (50000);
  }
  return FALSE;
}

void
mqtt_broker_stop (MqttBroker *b)
{
  guint i;

  if (!b->pid)
    return;
  kill (b->pid, SIGTERM);
  for (i = 0; i < 200; i++) {
    if (waitpid (b->pid, NULL, WNOHANG) == b->pid)
      break;
    g_usleep (50000);
  }
  if (i == 200) {
    kill (b->pid, SIGKILL);
    waitpid (b->pid, NULL, 0);
  }
  g_spawn_close_pid (b->pid);
  b->pid = 0;
}

gchar *
mqtt_broker_log (MqttBroker *b)
{
  g_autofree gchar *path = g_build_filename (b->dir, "broker.log", NULL);
  gchar *text = NULL;

  g_file_get_contents (path, &text, NULL, NULL);
  return text ? text : g_strdup ("");
}

gboolean
mqtt_broker_run (MqttBroker *b, const gchar *cmdline)
{
  gchar *argv[]
      = { (gchar *) "/bin/sh", (gchar *) "-c", (gchar *) cmdline, NULL };
  gint status = -1;
  g_autofree gchar *err = NULL;

  if (!g_spawn_sync (b->dir, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
          NULL, &err, &status, NULL))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL)) {
    g_printerr ("'%s' failed: %s\n", cmdline, err);
    return FALSE;
  }
  return TRUE;
}

static void
remove_tree (const gchar *path)
{
  GDir *d = g_dir_open (path, 0, NULL);
  const gchar *name;

  while (d && (name = g_dir_read_name (d))) {
    g_autofree gchar *p = g_build_filename (path, name, NULL);
    if (g_file_test (p, G_FILE_TEST_IS_DIR)
        && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
      remove_tree (p);
    else
      g_unlink (p);
  }
  if (d)
    g_dir_close (d);
  g_rmdir (path);
}

void
mqtt_broker_free (MqttBroker *b)
{
  mqtt_broker_stop (b);
  if (b->dir && !g_getenv ("OMNI_KEEP_BROKER_DIR"))
    remove_tree (b->dir);
  g_free (b->dir);
  g_free (b->extra);
  g_free (b);
}

/* ---- subscriber ------------------------------------------------------- */

struct _MqttSub {
  struct mosquitto *m;
  gchar *topic;
  GMutex lock;
  GString *text;
  GPtrArray *topics;
  guint n;
  gboolean subscribed;
  gboolean drop; /* count only */
};

static void
sub_on_connect (struct mosquitto *m, void *data, int rc)
{
  MqttSub *s = data;

  if (rc == 0)
    mosquitto_subscribe (m, NULL, s->topic, 1);
}

static void
sub_on_subscribe (
    struct mosquitto *m, void *data, int mid, int n, const int *granted)
{
  MqttSub *s = data;

  g_mutex_lock (&s->lock);
  s->subscribed = TRUE;
  g_mutex_unlock (&s->lock);
}

static void
sub_on_message (
    struct mosquitto *m, void *data, const struct mosquitto_message *msg)
{
  MqttSub *s = data;

  g_mutex_lock (&s->lock);
  if (!s->drop) {
    g_string_append_len (s->text, msg->payload, msg->payloadlen);
    g_string_append_c (s->text, '\n');
    g_ptr_array_add (s->topics, g_strdup (msg->topic));
  }
  s->n++;
  g_mutex_unlock (&s->lock);
}

MqttSub *
mqtt_sub_new (guint port, const gchar *topic, const gchar *id,
    const gchar *user, const gchar *pass)
{
  MqttSub *s = g_new0 (MqttSub, 1);
  guint i;
  gboolean ok = FALSE;

  mosquitto_lib_init ();
  g_mutex_init (&s->lock);
  s->text = g_string_new (NULL);
  s->topics = g_ptr_array_new_with_free_func (g_free);
  s->topic = g_strdup (topic);
  s->m = mosquitto_new (id, id == NULL, s);
  mosquitto_connect_callback_set (s->m, sub_on_connect);
  mosquitto_subscribe_callback_set (s->m, sub_on_subscribe);
  mosquitto_message_callback_set (s->m, sub_on_message);
  mosquitto_reconnect_delay_set (s->m, 1, 1, false);
  if (user)
    mosquitto_username_pw_set (s->m, user, pass);
  if (mosquitto_connect (s->m, "127.0.0.1", (int) port, 60) != MOSQ_ERR_SUCCESS
      || mosquitto_loop_start (s->m) != MOSQ_ERR_SUCCESS) {
    mqtt_sub_free (s);
    return NULL;
  }
  for (i = 0; i < 200 && !ok; i++) {
    g_mutex_lock (&s->lock);
    ok = s->subscribed;
    g_mutex_unlock (&s->lock);
    if (!ok)
      g_usleep (50000);
  }
  if (!ok) {
    mqtt_sub_free (s);
    return NULL;
  }
  return s;
}

gchar *
mqtt_sub_text (MqttSub *s)
{
  gchar *t;

  g_mutex_lock (&s->lock);
  t = g_strdup (s->text->str);
  g_mutex_unlock (&s->lock);
  return t;
}

GPtrArray *
mqtt_sub_topics (MqttSub *s)
{
  GPtrArray *a = g_ptr_array_new_with_free_func (g_free);
  guint i;

  g_mutex_lock (&s->lock);
  for (i = 0; i < s->topics->len; i++)
    g_ptr_array_add (a, g_strdup (g_ptr_array_index (s->topics, i)));
  g_mutex_unlock (&s->lock);
  return a;
}

guint
mqtt_sub_count (MqttSub *s)
{
  guint n;

  g_mutex_lock (&s->lock);
  n = s->n;
  g_mutex_unlock (&s->lock);
  return n;
}

void
mqtt_sub_set_keep (MqttSub *s, gboolean keep)
{
  g_mutex_lock (&s->lock);
  s->drop = !keep;
  g_mutex_unlock (&s->lock);
}

gboolean
mqtt_sub_wait (MqttSub *s, guint n, guint timeout_ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (mqtt_sub_count (s) < n) {
    if (g_get_monotonic_time () > until)
      return FALSE;
    g_usleep (20000);
  }
  return TRUE;
}

void
mqtt_sub_free (MqttSub *s)
{
  mosquitto_disconnect (s->m);
  mosquitto_loop_stop (s->m, FALSE);
  mosquitto_destroy (s->m);
  g_string_free (s->text, TRUE);
  g_ptr_array_unref (s->topics);
  g_free (s->topic);
  g_mutex_clear (&s->lock);
  g_free (s);
}
