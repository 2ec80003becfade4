/* gst-omni: omni-analyze's --mqtt URL
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "omni-analyze-mqtt.h"

#include <string.h>

/* mqtt[s]://[USER[:PASSWORD]@]HOST[:PORT][/TOPIC] onto an omnipublish:
 * the broker address (which omnipublish checks at start), the topic
 * (default: omnipublish's), the credentials, and the stream id. */
void
oa_mqtt_configure (GstElement *pub, const gchar *url, const gchar *stream)
{
  const gchar *hp = strstr (url, "://"), *slash, *at;
  g_autofree gchar *scheme = NULL, *hostport = NULL, *address = NULL;

  hp = hp ? hp + 3 : url;
  scheme = hp > url ? g_strndup (url, hp - url) : g_strdup ("mqtt://");
  slash = strchr (hp, '/');
  hostport = slash ? g_strndup (hp, slash - hp) : g_strdup (hp);
  at = strrchr (hostport, '@');
  if (at) {
    g_autofree gchar *userinfo = g_strndup (hostport, at - hostport);
    gchar *colon = strchr (userinfo, ':');

    if (colon) {
      *colon = '\0';
      g_object_set (pub, "password", colon + 1, NULL);
    }
    g_object_set (pub, "username", userinfo, NULL);
  }
  address = g_strconcat (scheme, at ? at + 1 : hostport, NULL);
  g_object_set (pub, "address", address, "stream", stream, NULL);
  if (slash && slash[1])
    g_object_set (pub, "topic", slash + 1, NULL);
}
