/* gst-omni tests: a private Mosquitto broker on a loopback port, and a
 * subscriber that collects what it receives.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_TEST_MQTT_BROKER_H__
#define __OMNI_TEST_MQTT_BROKER_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  gchar *dir;     /* private directory: config, persistence, log, certs */
  guint port;     /* plain listener, 127.0.0.1 */
  guint tls_port; /* TLS listener (0: none) */
  gchar *extra;   /* more configuration lines */
  GPid pid;       /* 0 when not running */
} MqttBroker;

/* Picks free loopback ports and a directory; starts nothing. */
MqttBroker *mqtt_broker_new (gboolean with_tls, const gchar *extra_conf);
/* Starts /usr/sbin/mosquitto and waits (bounded) for it to listen. */
gboolean mqtt_broker_start (MqttBroker *b);
/* SIGTERM (the broker saves its persistent sessions), bounded wait. */
void mqtt_broker_stop (MqttBroker *b);
/* Stops it if running, removes its directory. */
void mqtt_broker_free (MqttBroker *b);
gchar *mqtt_broker_log (MqttBroker *b);
/* Runs a command line (openssl, mosquitto_passwd) in the broker's dir. */
gboolean mqtt_broker_run (MqttBroker *b, const gchar *cmdline);
guint mqtt_free_port (void);

typedef struct _MqttSub MqttSub;

/* QoS 1 subscription; persistent session when `id` is given. Waits for the
 * SUBACK. `user`/`pass` may be NULL. */
MqttSub *mqtt_sub_new (guint port, const gchar *topic, const gchar *id,
    const gchar *user, const gchar *pass);
/* Each payload received followed by '\n'. */
gchar *mqtt_sub_text (MqttSub *s);
GPtrArray *mqtt_sub_topics (MqttSub *s); /* (transfer full) */
guint mqtt_sub_count (MqttSub *s);
/* Count only, keep no payload or topic (long runs). */
void mqtt_sub_set_keep (MqttSub *s, gboolean keep);
/* Waits (bounded) until `n` messages have come. */
gboolean mqtt_sub_wait (MqttSub *s, guint n, guint timeout_ms);
void mqtt_sub_free (MqttSub *s);

G_END_DECLS

#endif
