/* gst-omni: omnipublish's handling of one event line: the stream id added
 * to it, and the topic it goes to.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_PUBLISH_EVENT_H__
#define __OMNI_PUBLISH_EVENT_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GString *payload; /* the line as published (no trailing newline) */
  gchar *stream;    /* value of {stream} */
  gchar *category;  /* value of {category} */
  gchar *type;      /* value of {type} */
} OmniPublishEvent;

gboolean omni_publish_topic_template_valid (const gchar *tmpl, gchar **reason);
gboolean omni_publish_topic_needs_event (const gchar *tmpl);

void omni_publish_event_init (OmniPublishEvent *ev);
void omni_publish_event_clear (OmniPublishEvent *ev);
gboolean omni_publish_event_parse (OmniPublishEvent *ev, const gchar *line,
    gsize len, const gchar *stream, const gchar *fallback_stream,
    gboolean inspect);
gchar *omni_publish_topic_expand (
    const gchar *tmpl, const OmniPublishEvent *ev);

G_END_DECLS

#endif /* __OMNI_PUBLISH_EVENT_H__ */
