/* gst-omni: test signals and helpers shared by the log-mel tests
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __LOGMEL_COMMON_H__
#define __LOGMEL_COMMON_H__

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <omni/dsp/omnilogmelref.h>

/* Exponential sine sweep (Farina 2000) from f0 to f1 Hz over n samples. */
static inline float *
logmel_test_sweep (double rate, gsize n, double f0, double f1, double amp)
{
  float *x = g_new (float, n);
  double dur = n / rate, k = log (f1 / f0);
  gsize i;

  for (i = 0; i < n; i++) {
    double t = i / rate;
    x[i] = (float) (amp
                    * sin (
                        2.0 * G_PI * f0 * dur / k * (exp (t / dur * k) - 1.0)));
  }
  return x;
}

/* Uniform white noise in [-amp, amp), deterministic. */
static inline float *
logmel_test_noise (gsize n, double amp, guint32 seed)
{
  float *x = g_new (float, n);
  GRand *r = g_rand_new_with_seed (seed);
  gsize i;

  for (i = 0; i < n; i++)
    x[i] = (float) g_rand_double_range (r, -amp, amp);
  g_rand_free (r);
  return x;
}

static inline float *
logmel_test_tone (double rate, gsize n, double freq, double amp)
{
  float *x = g_new (float, n);
  gsize i;

  for (i = 0; i < n; i++)
    x[i] = (float) (amp * sin (2.0 * G_PI * freq * i / rate));
  return x;
}

/* The python3 of the system (Debian's, with numpy and scipy). */
static inline const gchar *
logmel_test_python (void)
{
  return g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE)
             ? "/usr/bin/python3"
             : "python3";
}

/* Runs a command, failing the test when it does not exit with 0. */
static inline void
logmel_test_spawn (const gchar *const *argv)
{
  gchar *out = NULL, *err = NULL;
  gint status = 0;
  GError *error = NULL;
  gboolean ok;

  ok = g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
      NULL, &out, &err, &status, &error);
  fail_unless (ok, "cannot run %s: %s", argv[0], error ? error->message : "");
  fail_unless (g_spawn_check_wait_status (status, NULL),
      "%s failed (status %d):\n%s\n%s", argv[0], status, out, err);
  g_free (out);
  g_free (err);
}

/* Reads a raw float32 file written by sox (-t f32). */
static inline float *
logmel_test_read_f32 (const gchar *path, gsize *n)
{
  gchar *data = NULL;
  gsize len = 0;
  GError *error = NULL;

  fail_unless (g_file_get_contents (path, &data, &len, &error), "%s: %s", path,
      error ? error->message : "");
  *n = len / sizeof (float);
  return (float *) data;
}

#endif /* __LOGMEL_COMMON_H__ */
