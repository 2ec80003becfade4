/* gst-omni: text entries of OmniResultsMeta
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * JSON members: "text" (string).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniresults-private.h"

static void
text_clear (OmniResult *result)
{
  g_free (((OmniResultText *) result)->text);
}

static void
text_copy (OmniResult *dest, const OmniResult *src)
{
  ((OmniResultText *) dest)->text
      = g_strdup (((const OmniResultText *) src)->text);
}

static gboolean
text_equal (const OmniResult *a, const OmniResult *b)
{
  return g_strcmp0 (((const OmniResultText *) a)->text,
             ((const OmniResultText *) b)->text)
         == 0;
}

static void
text_to_json (const OmniResult *result, JsonObject *o)
{
  json_object_set_string_member (
      o, "text", ((const OmniResultText *) result)->text);
}

static gboolean
text_from_json (OmniResult *result, JsonObject *o, GError **error)
{
  const gchar *text = omni_json_get_string (o, "text", error);

  if (!text)
    return FALSE;
  ((OmniResultText *) result)->text = g_strdup (text);
  return TRUE;
}

const OmniResultsEntryClass omni_results_text_class = {
  OMNI_RESULT_TYPE_TEXT,
  "text",
  sizeof (OmniResultText),
  text_clear,
  text_copy,
  text_equal,
  text_to_json,
  text_from_json,
};

/**
 * omni_results_meta_add_text:
 * @meta: an #OmniResultsMeta
 * @text: the text, UTF-8
 * @confidence: the engine's confidence, 0..1 (NaN: unknown)
 *
 * Adds a text entry holding a copy of @text.
 *
 * Returns: its id, or %OMNI_RESULT_ID_INVALID on invalid arguments
 */
guint
omni_results_meta_add_text (
    OmniResultsMeta *meta, const gchar *text, gfloat confidence)
{
  OmniResultText *t;

  g_return_val_if_fail (meta != NULL, OMNI_RESULT_ID_INVALID);
  g_return_val_if_fail (
      text != NULL && g_utf8_validate (text, -1, NULL), OMNI_RESULT_ID_INVALID);

  t = (OmniResultText *) omni_results_meta_append (
      meta, OMNI_RESULT_TYPE_TEXT, confidence);
  t->text = g_strdup (text);
  return t->result.id;
}

/**
 * omni_results_meta_get_text:
 * @meta: an #OmniResultsMeta
 * @id: an entry id
 *
 * Returns: (transfer none) (nullable): entry @id if it is a text entry
 */
const OmniResultText *
omni_results_meta_get_text (const OmniResultsMeta *meta, guint id)
{
  return (const OmniResultText *) omni_results_meta_get_typed (
      meta, id, OMNI_RESULT_TYPE_TEXT);
}
