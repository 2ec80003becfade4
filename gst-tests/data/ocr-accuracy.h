/* gst-omni: character and word accuracy of OCR output (tests and bench)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Accuracy = 1 - (Levenshtein edit distance) / (reference length), over
 * Unicode characters or over white-space separated words, the measures of
 * the ISRI OCR evaluations (S. V. Rice, "Measuring the Accuracy of
 * Page-Reading Systems", PhD thesis, UNLV, 1996). White space is
 * normalised to single spaces first; case is kept. Can be negative when the
 * output is much longer than the reference; clamped to 0.
 */
#ifndef __OMNI_OCR_ACCURACY_H__
#define __OMNI_OCR_ACCURACY_H__

#include <glib.h>

static gchar **
ocr_accuracy_words (const gchar *text)
{
  gchar **raw = g_strsplit_set (text ? text : "", " \t\r\n", -1);
  GPtrArray *out = g_ptr_array_new ();
  gchar **p;

  for (p = raw; *p; p++)
    if (**p)
      g_ptr_array_add (out, g_strdup (*p));
  g_ptr_array_add (out, NULL);
  g_strfreev (raw);
  return (gchar **) g_ptr_array_free (out, FALSE);
}

/* Edit distance between two sequences of n and m tokens. */
static guint
ocr_accuracy_edit_distance (guint n, guint m,
    gboolean (*equal) (gconstpointer a, guint i, gconstpointer b, guint j),
    gconstpointer a, gconstpointer b)
{
  guint *prev = g_new (guint, m + 1), *cur = g_new (guint, m + 1), *t;
  guint i, j, d;

  for (j = 0; j <= m; j++)
    prev[j] = j;
  for (i = 1; i <= n; i++) {
    cur[0] = i;
    for (j = 1; j <= m; j++) {
      guint sub = prev[j - 1] + (equal (a, i - 1, b, j - 1) ? 0 : 1);
      cur[j] = MIN (sub, MIN (prev[j] + 1, cur[j - 1] + 1));
    }
    t = prev;
    prev = cur;
    cur = t;
  }
  d = prev[m];
  g_free (prev);
  g_free (cur);
  return d;
}

static gboolean
ocr_accuracy_char_equal (gconstpointer a, guint i, gconstpointer b, guint j)
{
  return ((const gunichar *) a)[i] == ((const gunichar *) b)[j];
}

static gboolean
ocr_accuracy_word_equal (gconstpointer a, guint i, gconstpointer b, guint j)
{
  return g_strcmp0 (((gchar **) a)[i], ((gchar **) b)[j]) == 0;
}

/* Edit distance in characters (words joined by single spaces); *ref_len
 * gets the reference's length. */
static guint
ocr_accuracy_char_errors (const gchar *ref, const gchar *hyp, guint *ref_len)
{
  gchar **rw = ocr_accuracy_words (ref), **hw = ocr_accuracy_words (hyp);
  gchar *rj = g_strjoinv (" ", rw), *hj = g_strjoinv (" ", hw);
  glong rn = 0, hn = 0;
  gunichar *ru = g_utf8_to_ucs4_fast (rj, -1, &rn);
  gunichar *hu = g_utf8_to_ucs4_fast (hj, -1, &hn);
  guint d
      = ocr_accuracy_edit_distance (rn, hn, ocr_accuracy_char_equal, ru, hu);

  *ref_len = rn;
  g_free (ru);
  g_free (hu);
  g_free (rj);
  g_free (hj);
  g_strfreev (rw);
  g_strfreev (hw);
  return d;
}

static guint
ocr_accuracy_word_errors (const gchar *ref, const gchar *hyp, guint *ref_len)
{
  gchar **rw = ocr_accuracy_words (ref), **hw = ocr_accuracy_words (hyp);
  guint rn = g_strv_length (rw), hn = g_strv_length (hw);
  guint d
      = ocr_accuracy_edit_distance (rn, hn, ocr_accuracy_word_equal, rw, hw);

  *ref_len = rn;
  g_strfreev (rw);
  g_strfreev (hw);
  return d;
}

static G_GNUC_UNUSED gdouble
ocr_accuracy_chars (const gchar *ref, const gchar *hyp)
{
  guint n, d = ocr_accuracy_char_errors (ref, hyp, &n);

  return n ? MAX (0.0, 1.0 - (gdouble) d / n) : (d ? 0.0 : 1.0);
}

static G_GNUC_UNUSED gdouble
ocr_accuracy_words_acc (const gchar *ref, const gchar *hyp)
{
  guint n, d = ocr_accuracy_word_errors (ref, hyp, &n);

  return n ? MAX (0.0, 1.0 - (gdouble) d / n) : (d ? 0.0 : 1.0);
}

#endif /* __OMNI_OCR_ACCURACY_H__ */
