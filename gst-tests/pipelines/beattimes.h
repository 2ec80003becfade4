/* gst-omni: event times for the beat-tracking tests (rhythm_corpus,
 * rhythm_real): reading them and the MIREX tempo check
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_TEST_BEAT_TIMES_H__
#define __OMNI_TEST_BEAT_TIMES_H__

#include <glib.h>

/* sorted times in seconds */
typedef struct {
  gdouble *v;
  guint n;
} Times;

void times_add (Times *t, gdouble v);

/* qsort/g_array_sort order of gdouble values */
gint cmp_double (gconstpointer a, gconstpointer b);

/* The first number of each line (annotation files, aubio's output, the
 * corpus generator's), sorted. */
Times parse_times (const gchar *text);

/* Tempo Acc1 (@octaves FALSE: within 4 % of @ref) or Acc2 (also at 2, 1/2,
 * 3 or 1/3 times @ref). */
gboolean tempo_ok (gdouble est, gdouble ref, gboolean octaves);

#endif /* __OMNI_TEST_BEAT_TIMES_H__ */
