/* gst-omni: omnipublish's handling of one event line
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnipublishevent.h"

#include <json-glib/json-glib.h>
#include <string.h>

static const gchar *const placeholders[]
    = { "{stream}", "{category}", "{type}" };

/* A topic name to publish to: no MQTT wildcards, known placeholders only. */
gboolean
omni_publish_topic_template_valid (const gchar *tmpl, gchar **reason)
{
  const gchar *p;

  if (!tmpl || !*tmpl) {
    *reason = g_strdup ("the topic is empty");
    return FALSE;
  }
  if (strpbrk (tmpl, "+#")) {
    *reason = g_strdup_printf (
        "topic '%s': wildcards (+, #) cannot be published to", tmpl);
    return FALSE;
  }
  for (p = strchr (tmpl, '{'); p; p = strchr (p + 1, '{')) {
    guint i;
    gboolean known = FALSE;

    for (i = 0; i < G_N_ELEMENTS (placeholders); i++)
      known |= g_str_has_prefix (p, placeholders[i]);
    if (!known) {
      *reason = g_strdup_printf ("topic '%s': unknown placeholder at '%s' "
                                 "({stream}, {category} or {type})",
          tmpl, p);
      return FALSE;
    }
  }
  return TRUE;
}

gboolean
omni_publish_topic_needs_event (const gchar *tmpl)
{
  return tmpl && strchr (tmpl, '{') != NULL;
}

void
omni_publish_event_init (OmniPublishEvent *ev)
{
  memset (ev, 0, sizeof (*ev));
  ev->payload = g_string_new (NULL);
}

void
omni_publish_event_clear (OmniPublishEvent *ev)
{
  if (ev->payload)
    g_string_free (ev->payload, TRUE);
  g_free (ev->stream);
  g_free (ev->category);
  g_free (ev->type);
  memset (ev, 0, sizeof (*ev));
}

static const gchar *
string_member (JsonObject *o, const gchar *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n && JSON_NODE_HOLDS_VALUE (n)
      && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return NULL;
}

/* `"stream":"ID",` put first in the object, the rest byte for byte. */
static void
insert_stream (GString *payload, const gchar *stream)
{
  JsonNode *n = json_node_new (JSON_NODE_VALUE);
  g_autofree gchar *quoted = NULL;
  g_autofree gchar *member = NULL;
  const gchar *body = strchr (payload->str, '{') + 1;
  gboolean empty;

  json_node_set_string (n, stream);
  quoted = json_to_string (n, FALSE);
  json_node_unref (n);
  while (g_ascii_isspace (*body))
    body++;
  empty = *body == '}';
  member = g_strdup_printf ("\"stream\":%s%s", quoted, empty ? "" : ",");
  g_string_insert (
      payload, strchr (payload->str, '{') + 1 - payload->str, member);
}

/* Fills `ev` from one JSON line. With `stream`, a "stream" member is added
 * to objects that have none. `inspect`: read type, label, state, stream
 * for the topic. FALSE when the line needed parsing and is not a JSON
 * object (it is then published as it is). */
gboolean
omni_publish_event_parse (OmniPublishEvent *ev, const gchar *line, gsize len,
    const gchar *stream, const gchar *fallback_stream, gboolean inspect)
{
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *o = NULL;
  const gchar *s;
  gboolean ok = TRUE;

  g_string_truncate (ev->payload, 0);
  g_string_append_len (ev->payload, line, len);
  g_clear_pointer (&ev->stream, g_free);
  g_clear_pointer (&ev->category, g_free);
  g_clear_pointer (&ev->type, g_free);

  if (stream || inspect) {
    parser = json_parser_new_immutable ();
    if (json_parser_load_from_data (parser, line, len, NULL)
        && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
      o = json_node_get_object (json_parser_get_root (parser));
    ok = o != NULL;
  }
  if (o && stream && !json_object_has_member (o, "stream"))
    insert_stream (ev->payload, stream);

  s = o ? string_member (o, "stream") : NULL;
  ev->stream = g_strdup (stream ? stream : s ? s : fallback_stream);
  ev->type = g_strdup (
      o && string_member (o, "type") ? string_member (o, "type") : "unknown");
  s = o ? string_member (o, "label") : NULL;
  if (!s && o)
    s = string_member (o, "state");
  ev->category = g_strdup (s ? s : ev->type);
  return ok;
}

/* A value in a topic level: no level separator, no wildcard. */
static void
append_level (GString *topic, const gchar *value)
{
  const gchar *p;

  if (!value || !*value) {
    g_string_append (topic, "none");
    return;
  }
  for (p = value; *p; p++)
    g_string_append_c (topic, strchr ("/+#", *p) ? '_' : *p);
}

gchar *
omni_publish_topic_expand (const gchar *tmpl, const OmniPublishEvent *ev)
{
  GString *topic = g_string_new (NULL);
  const gchar *p = tmpl;

  while (*p) {
    if (g_str_has_prefix (p, "{stream}")) {
      append_level (topic, ev->stream);
      p += strlen ("{stream}");
    } else if (g_str_has_prefix (p, "{category}")) {
      append_level (topic, ev->category);
      p += strlen ("{category}");
    } else if (g_str_has_prefix (p, "{type}")) {
      append_level (topic, ev->type);
      p += strlen ("{type}");
    } else {
      g_string_append_c (topic, *p++);
    }
  }
  return g_string_free (topic, FALSE);
}
