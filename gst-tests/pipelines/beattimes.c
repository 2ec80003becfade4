/* gst-omni: event times for the beat-tracking tests
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <stdlib.h>

#include "beattimes.h"

void
times_add (Times *t, gdouble v)
{
  if (t->n % 256 == 0)
    t->v = g_renew (gdouble, t->v, t->n + 256);
  t->v[t->n++] = v;
}

gint
cmp_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;
  return x < y ? -1 : x > y;
}

Times
parse_times (const gchar *text)
{
  Times t = { NULL, 0 };
  gchar **lines = g_strsplit (text, "\n", -1);
  guint i;

  for (i = 0; lines[i]; i++) {
    gchar *end;
    gdouble v = g_ascii_strtod (lines[i], &end);
    if (end != lines[i] && isfinite (v))
      times_add (&t, v);
  }
  g_strfreev (lines);
  if (t.n)
    qsort (t.v, t.n, sizeof (gdouble), cmp_double);
  return t;
}

gboolean
tempo_ok (gdouble est, gdouble ref, gboolean octaves)
{
  const gdouble f[] = { 1.0, 2.0, 0.5, 3.0, 1.0 / 3.0 };
  guint i;

  for (i = 0; i < (octaves ? G_N_ELEMENTS (f) : 1u); i++)
    if (fabs (est - ref * f[i]) <= 0.04 * ref * f[i])
      return TRUE;
  return FALSE;
}
