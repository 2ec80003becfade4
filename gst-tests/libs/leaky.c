/* gst-omni: a deliberate leak, so that the test suite can prove its leak
 * checks fail when something leaks (gst-tests/pipelines/leakcheck.py and
 * the should_fail test libs/leaky-check).
 *
 * usage: leaky [--leak]       a program: leaks one GstBuffer with --leak
 *        leaky --check        a gst-check case that leaks one GstBuffer
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>

GST_START_TEST (test_leaks_a_buffer)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 16, NULL);

  fail_unless (buf != NULL);
  /* not unreffed on purpose */
}

GST_END_TEST;

static Suite *
leaky_suite (void)
{
  Suite *s = suite_create ("leaky");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_leaks_a_buffer);
  return s;
}

static int
run_check (int argc, char **argv)
{
  Suite *s;
  int n;

  gst_check_init (&argc, &argv);
  s = leaky_suite ();
  n = gst_check_run_suite (s, "leaky", __FILE__);
  return n == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int
main (int argc, char **argv)
{
  GstBuffer *buf;

  if (argc > 1 && g_str_equal (argv[1], "--check"))
    return run_check (argc, argv);

  gst_init (&argc, &argv);
  buf = gst_buffer_new_allocate (NULL, 16, NULL);
  if (!(argc > 1 && g_str_equal (argv[1], "--leak")))
    gst_buffer_unref (buf);
  gst_deinit ();
  return 0;
}
