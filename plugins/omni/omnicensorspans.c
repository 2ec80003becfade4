/* gst-omni: omnicensor's timeline of verdicts
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What omnicensor must change, on the running-time axis, as omnifusion
 * has said so far: flagged segments (from "segment" events, or from the
 * windows' states when only #OmniFusionMeta is available), review windows,
 * windows whose analysis failed (censored as flagged: fail closed) and
 * flagged spoken words with their exact spans. The watermark is the
 * running time up to which every verdict is known: the end of the last
 * window omnifusion emitted.
 */
#include "omnicensorspans.h"

#include <json-glib/json-glib.h>
#include <string.h>

struct _OmniCensorSpans {
  GArray *spans; /* OmniCensorSpan, in arrival order */
  GstClockTime watermark;
};

OmniCensorSpans *
omni_censor_spans_new (void)
{
  OmniCensorSpans *spans = g_new0 (OmniCensorSpans, 1);

  spans->spans = g_array_new (FALSE, FALSE, sizeof (OmniCensorSpan));
  spans->watermark = GST_CLOCK_TIME_NONE;
  return spans;
}

void
omni_censor_spans_free (OmniCensorSpans *spans)
{
  if (spans == NULL)
    return;
  g_array_unref (spans->spans);
  g_free (spans);
}

void
omni_censor_spans_clear (OmniCensorSpans *spans)
{
  g_array_set_size (spans->spans, 0);
  spans->watermark = GST_CLOCK_TIME_NONE;
}

GstClockTime
omni_censor_spans_get_watermark (OmniCensorSpans *spans)
{
  return spans->watermark;
}

void
omni_censor_spans_set_watermark (
    OmniCensorSpans *spans, GstClockTime running_time)
{
  if (!GST_CLOCK_TIME_IS_VALID (spans->watermark)
      || running_time > spans->watermark)
    spans->watermark = running_time;
}

static void
note_earliest (GstClockTime *earliest, GstClockTime t)
{
  if (earliest && (!GST_CLOCK_TIME_IS_VALID (*earliest) || t < *earliest))
    *earliest = t;
}

static void
add_span (OmniCensorSpans *spans, OmniCensorSpanKind kind,
    OmniCensorTarget targets, guint segment_id, GstClockTime start,
    GstClockTime end, GstClockTime *earliest_new)
{
  OmniCensorSpan span = { kind, targets, segment_id, start, end };

  if (GST_CLOCK_TIME_IS_VALID (end) && end <= start)
    return;
  g_array_append_val (spans->spans, span);
  if (kind != OMNI_CENSOR_SPAN_REVIEW)
    note_earliest (earliest_new, start);
}

static OmniCensorSpan *
find_segment (OmniCensorSpans *spans, guint id)
{
  guint i;

  for (i = 0; i < spans->spans->len; i++) {
    OmniCensorSpan *s = &g_array_index (spans->spans, OmniCensorSpan, i);
    if (s->kind == OMNI_CENSOR_SPAN_FLAGGED && s->segment_id == id)
      return s;
  }
  return NULL;
}

/* A segment's trigger says which modality flagged it: video censors the
 * picture; audio, and text (transcripts), the sound. */
static OmniCensorTarget
segment_targets (JsonObject *o)
{
  JsonObject *trigger = json_object_get_member (o, "trigger")
                            ? json_object_get_object_member (o, "trigger")
                            : NULL;
  const gchar *source = trigger ? json_object_get_string_member_with_default (
                            trigger, "source", NULL)
                                : NULL;

  if (g_strcmp0 (source, "video") == 0)
    return OMNI_CENSOR_TARGET_VIDEO;
  if (g_strcmp0 (source, "audio") == 0 || g_strcmp0 (source, "text") == 0)
    return OMNI_CENSOR_TARGET_AUDIO;
  return OMNI_CENSOR_TARGET_VIDEO | OMNI_CENSOR_TARGET_AUDIO;
}

static GstClockTime
json_time (JsonObject *o, const gchar *key)
{
  JsonNode *n = json_object_get_member (o, key);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n)
      || json_node_get_value_type (n) != G_TYPE_INT64
      || json_node_get_int (n) < 0)
    return GST_CLOCK_TIME_NONE;
  return (GstClockTime) json_node_get_int (n);
}

static void
add_segment (OmniCensorSpans *spans, JsonObject *o, GstClockTime *earliest_new)
{
  guint id = (guint) json_object_get_int_member_with_default (o, "id", 0);
  GstClockTime start = json_time (o, "start"), end = json_time (o, "end");
  OmniCensorSpan *s = id ? find_segment (spans, id) : NULL;

  if (!GST_CLOCK_TIME_IS_VALID (start))
    return;
  if (s == NULL) {
    add_span (spans, OMNI_CENSOR_SPAN_FLAGGED, segment_targets (o), id, start,
        end, earliest_new);
    return;
  }
  s->end = end;
}

/* Flagged spoken words: the window evidence's "flagged-words", an array of
 * objects with "start" and "end" running times. */
static void
add_words (
    OmniCensorSpans *spans, JsonObject *evidence, GstClockTime *earliest_new)
{
  JsonArray *words;
  guint i;

  if (evidence == NULL || !json_object_has_member (evidence, "flagged-words"))
    return;
  words = json_object_get_array_member (evidence, "flagged-words");
  for (i = 0; words && i < json_array_get_length (words); i++) {
    JsonObject *w = json_array_get_object_element (words, i);
    GstClockTime s = w ? json_time (w, "start") : GST_CLOCK_TIME_NONE;
    GstClockTime e = w ? json_time (w, "end") : GST_CLOCK_TIME_NONE;
    if (GST_CLOCK_TIME_IS_VALID (s) && GST_CLOCK_TIME_IS_VALID (e))
      add_span (spans, OMNI_CENSOR_SPAN_WORD, OMNI_CENSOR_TARGET_AUDIO, 0, s, e,
          earliest_new);
  }
}

static void
add_window (OmniCensorSpans *spans, JsonObject *o, GstClockTime *earliest_new)
{
  const gchar *state
      = json_object_get_string_member_with_default (o, "state", "error");
  GstClockTime start = json_time (o, "window-start");
  GstClockTime end = json_time (o, "window-end");
  JsonNode *ev = json_object_get_member (o, "evidence");

  if (!GST_CLOCK_TIME_IS_VALID (start) || !GST_CLOCK_TIME_IS_VALID (end))
    return;
  if (g_strcmp0 (state, "review") == 0)
    add_span (spans, OMNI_CENSOR_SPAN_REVIEW,
        OMNI_CENSOR_TARGET_VIDEO | OMNI_CENSOR_TARGET_AUDIO, 0, start, end,
        earliest_new);
  else if (g_strcmp0 (state, "error") == 0)
    add_span (spans, OMNI_CENSOR_SPAN_FLAGGED,
        OMNI_CENSOR_TARGET_VIDEO | OMNI_CENSOR_TARGET_AUDIO, 0, start, end,
        earliest_new);
  if (ev && JSON_NODE_HOLDS_OBJECT (ev))
    add_words (spans, json_node_get_object (ev), earliest_new);
  omni_censor_spans_set_watermark (spans, end);
}

static gboolean
add_json_object (OmniCensorSpans *spans, JsonNode *node,
    GstClockTime *earliest_new, GError **error)
{
  JsonObject *o;
  const gchar *type;

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
        "an event line is not a JSON object");
    return FALSE;
  }
  o = json_node_get_object (node);
  type = json_object_get_string_member_with_default (o, "type", NULL);
  if (g_strcmp0 (type, "segment") == 0)
    add_segment (spans, o, earliest_new);
  else if (g_strcmp0 (type, "window") == 0)
    add_window (spans, o, earliest_new);
  return TRUE;
}

/**
 * omni_censor_spans_add_json:
 * @text: one buffer of omnifusion's `application/x-omni-events`: JSON
 *   objects, one per line
 * @earliest_new: (out) (optional): lowered to the start of the earliest
 *   flagged span or word added; untouched when none was added
 *
 * Returns: %FALSE with @error set when a line is not a JSON object (the
 * lines before it are kept).
 */
gboolean
omni_censor_spans_add_json (OmniCensorSpans *spans, const gchar *text,
    gsize len, GstClockTime *earliest_new, GError **error)
{
  JsonParser *parser = json_parser_new ();
  const gchar *p = text, *end = text + len;
  gboolean ok = TRUE;

  while (ok && p < end) {
    const gchar *nl = memchr (p, '\n', end - p);
    gsize n = (nl ? nl : end) - p;
    if (n > 0 && !(n == 1 && p[0] == '\r')) {
      ok = json_parser_load_from_data (parser, p, n, error)
           && add_json_object (
               spans, json_parser_get_root (parser), earliest_new, error);
    }
    p += n + 1;
  }
  g_object_unref (parser);
  return ok;
}

/**
 * omni_censor_spans_add_fusion_meta:
 *
 * For verdict streams without the JSON events (captions): a flagged or
 * failed window is flagged as a whole, for video and audio.
 */
void
omni_censor_spans_add_fusion_meta (OmniCensorSpans *spans,
    const OmniFusionMeta *meta, GstClockTime *earliest_new)
{
  OmniCensorTarget all = OMNI_CENSOR_TARGET_VIDEO | OMNI_CENSOR_TARGET_AUDIO;

  if (meta->state == OMNI_VERDICT_FLAGGED || meta->state == OMNI_VERDICT_ERROR)
    add_span (spans, OMNI_CENSOR_SPAN_FLAGGED, all, 0, meta->window_start,
        meta->window_end, earliest_new);
  else if (meta->state == OMNI_VERDICT_REVIEW)
    add_span (spans, OMNI_CENSOR_SPAN_REVIEW, all, 0, meta->window_start,
        meta->window_end, earliest_new);
  omni_censor_spans_set_watermark (spans, meta->window_end);
}

static gboolean
overlaps (const OmniCensorSpan *s, GstClockTime start, GstClockTime end)
{
  return s->start < end
         && (!GST_CLOCK_TIME_IS_VALID (s->end) || s->end > start);
}

/**
 * omni_censor_spans_overlapping:
 * @out: (element-type OmniCensorSpan): receives the spans of @target that
 *   overlap [@start, @end)
 *
 * Returns: how many were appended.
 */
guint
omni_censor_spans_overlapping (OmniCensorSpans *spans, OmniCensorTarget target,
    GstClockTime start, GstClockTime end, GArray *out)
{
  guint i, n = 0;

  for (i = 0; i < spans->spans->len; i++) {
    const OmniCensorSpan *s = &g_array_index (spans->spans, OmniCensorSpan, i);
    if ((s->targets & target) && overlaps (s, start, end)) {
      g_array_append_val (out, *s);
      n++;
    }
  }
  return n;
}

gboolean
omni_censor_spans_any (OmniCensorSpans *spans, OmniCensorSpanKind kind,
    OmniCensorTarget target, GstClockTime start, GstClockTime end)
{
  guint i;

  for (i = 0; i < spans->spans->len; i++) {
    const OmniCensorSpan *s = &g_array_index (spans->spans, OmniCensorSpan, i);
    if (s->kind == kind && (s->targets & target) && overlaps (s, start, end))
      return TRUE;
  }
  return FALSE;
}

/* Drops the spans that ended before @running_time (all media before it has
 * left the element). */
void
omni_censor_spans_forget_before (
    OmniCensorSpans *spans, GstClockTime running_time)
{
  guint i = 0;

  while (i < spans->spans->len) {
    const OmniCensorSpan *s = &g_array_index (spans->spans, OmniCensorSpan, i);
    if (GST_CLOCK_TIME_IS_VALID (s->end) && s->end < running_time)
      g_array_remove_index (spans->spans, i);
    else
      i++;
  }
}
