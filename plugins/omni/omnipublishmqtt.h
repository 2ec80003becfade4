/* gst-omni: omnipublish's MQTT client (libmosquitto): a bounded, ordered
 * queue of messages delivered by one worker thread that reconnects with
 * backoff.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_PUBLISH_MQTT_H__
#define __OMNI_PUBLISH_MQTT_H__

#include <glib.h>

G_BEGIN_DECLS

#define OMNI_MQTT_ERROR (omni_mqtt_error_quark ())
GQuark omni_mqtt_error_quark (void);

/* What went wrong; the element maps each to a GstResourceError. */
typedef enum {
  OMNI_MQTT_ERROR_ADDRESS,  /* unparsable address, unknown host */
  OMNI_MQTT_ERROR_CONNECT,  /* no broker answered within connect-timeout */
  OMNI_MQTT_ERROR_AUTH,     /* CONNACK refused the credentials */
  OMNI_MQTT_ERROR_TLS,      /* TLS set-up or handshake failed */
  OMNI_MQTT_ERROR_PROTOCOL, /* any other refusal or library error */
  OMNI_MQTT_ERROR_DROPPED,  /* (warning) the queue was full: oldest dropped */
  OMNI_MQTT_ERROR_LOST,     /* (warning) the connection was lost */
} OmniMqttError;

typedef struct {
  gchar *host;
  guint port;
  gboolean tls;
  gchar *client_id; /* NULL: the library picks one */
  gchar *username;
  gchar *password;
  gchar *ca_file;
  gchar *cert_file;
  gchar *key_file;
  guint keep_alive_s;
  gint qos;
  gboolean retain;
  gboolean clean_session;
  guint64 max_buffered; /* bytes of payload kept while not delivered */
  guint reconnect_min_ms;
  guint reconnect_max_ms;
  guint connect_timeout_ms; /* first connection only; 0 = wait forever */
} OmniMqttConfig;

typedef struct {
  guint64 published;    /* acknowledged (QoS 1/2) or written (QoS 0) */
  guint64 dropped;      /* removed from a full queue */
  guint64 reconnects;   /* successful connections after the first */
  guint64 queued_bytes; /* payload bytes not yet delivered */
  guint queued;         /* messages not yet delivered */
  gboolean connected;
} OmniMqttStats;

/* Called from the worker thread: fatal errors (the client stops) and
 * warnings (dropped messages, a lost connection). */
typedef void (*OmniMqttNotify) (
    gboolean fatal, const GError *error, const gchar *debug, gpointer data);

typedef struct _OmniMqttClient OmniMqttClient;

gboolean omni_mqtt_parse_address (const gchar *address, gchar **host,
    guint *port, gboolean *tls, GError **error);

OmniMqttClient *omni_mqtt_client_new (const OmniMqttConfig *config,
    OmniMqttNotify notify, gpointer data, GError **error);
gboolean omni_mqtt_client_publish (OmniMqttClient *client, const gchar *topic,
    const gchar *payload, gsize len);
gboolean omni_mqtt_client_drain (OmniMqttClient *client, gint64 timeout_us);
void omni_mqtt_client_get_stats (OmniMqttClient *client, OmniMqttStats *stats);
void omni_mqtt_client_free (OmniMqttClient *client);

void omni_mqtt_config_clear (OmniMqttConfig *config);

G_END_DECLS

#endif /* __OMNI_PUBLISH_MQTT_H__ */
