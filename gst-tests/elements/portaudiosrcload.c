/* gst-omni: portaudiosrc on a machine whose cores are all busy: the fake
 * microphone of portaudiofake.c plays a ramp in real time while busy-loop
 * processes hold every core, and every block captured must be the ramp,
 * with any loss reported as exactly what is missing (offset gap, DISCONT,
 * the element's `stats`).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Run by meson with is_parallel: false (it loads the machine on purpose, for
 * a few seconds); by hand, wrap it in `flock /tmp/omni-heavy.lock`.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gst/check/gstcheck.h>
#include <gst/app/gstappsink.h>

#include "portaudiofake.h"

#define RATE 48000
#define BLOCK 480 /* latency-time 10 ms */
#define PERIOD 65535
#define RAMP_FRAMES (1 << 23) /* 175 s: more than any run reads */
#define FAST 50.0             /* times real time, for the overrun test */

/* Sample i of the microphone's ramp: 1 + (i mod 65535) as 16 bits, never
 * 0, so that each sample says where it is (modulo 1.37 s) and a block of
 * digital silence is never the microphone's. */
static gint16
ramp (gsize i)
{
  return (gint16) (guint16) (1 + i % PERIOD);
}

static guint
ramp_index (gint16 v)
{
  return (guint) (guint16) v - 1;
}

/* ---- the CPU hog ---- */

typedef struct {
  GPid pids[16];
  guint n;
} Hog;

/* One busy-loop process per core (at least 2), each killed by its own alarm
 * after @max_s should the test die first. */
static void
hog_start (Hog *hog, guint max_s)
{
  guint i, n = MAX (2, MIN (16, g_get_num_processors ()));

  hog->n = 0;
  for (i = 0; i < n; i++) {
    pid_t pid = fork ();

    fail_unless (pid >= 0);
    if (pid == 0) {
      volatile guint64 x = 0;

      alarm (max_s);
      for (;;)
        x++;
    }
    hog->pids[hog->n++] = pid;
  }
}

static void
hog_stop (Hog *hog)
{
  guint i;

  for (i = 0; i < hog->n; i++) {
    kill (hog->pids[i], SIGKILL);
    waitpid (hog->pids[i], NULL, 0);
  }
  hog->n = 0;
}

/* ---- one capture ---- */

typedef struct {
  guint n_buffers, n_silent, n_discont, n_gaps, n_wrong_discont;
  guint64 lost; /* real gap, from the ramp */
  guint64 frames;
  gchar *failure;
} Result;

static void
fail_once (Result *r, gchar *text)
{
  if (r->failure == NULL)
    r->failure = text;
  else
    g_free (text);
}

/* Checks one buffer against the ramp and the previous buffer. @next is the
 * ramp index expected next (-1 before the first sample), @next_offset the
 * offset expected next. */
static void
check_buffer (GstBuffer *buf, Result *r, gint64 *next, guint64 *next_offset,
    GstClockTime *pts0, guint64 *offset0)
{
  GstMapInfo map;
  const gint16 *x;
  gsize n, i, first = 0;
  guint64 offset = GST_BUFFER_OFFSET (buf), gap, reported;
  GstClockTime expect;

  gst_buffer_map (buf, &map, GST_MAP_READ);
  x = (const gint16 *) map.data;
  n = map.size / 2;
  r->frames += n;
  if (r->n_buffers == 0) {
    *pts0 = GST_BUFFER_PTS (buf);
    *offset0 = offset;
  }
  expect
      = *pts0 + gst_util_uint64_scale_int (offset - *offset0, GST_SECOND, RATE);
  if (GST_BUFFER_PTS (buf) != expect)
    fail_once (
        r, g_strdup_printf ("buffer %u: PTS %" GST_TIME_FORMAT
                            " for offset %" G_GUINT64_FORMAT,
               r->n_buffers, GST_TIME_ARGS (GST_BUFFER_PTS (buf)), offset));
  if (GST_BUFFER_IS_DISCONT (buf) && r->n_buffers > 0)
    r->n_discont++;

  /* the device may deliver silence before the microphone's first sample */
  if (*next < 0) {
    while (first < n && x[first] == 0)
      first++;
    if (first == n)
      goto done;
    *next = ramp_index (x[first]);
  } else {
    gboolean silent = TRUE;

    for (i = 0; i < n && silent; i++)
      silent = x[i] == 0;
    if (silent) {
      r->n_silent++;
      *next = -2; /* resynchronise on the next non-silent block */
      goto offsets;
    }
  }
  if (*next == -2) {
    *next = ramp_index (x[0]);
    gap = 0;
  } else {
    gap = (ramp_index (x[first]) + PERIOD - *next) % PERIOD;
  }
  /* the real gap against the loss the buffer's offset reports */
  if (r->n_buffers > 0) {
    reported = offset - *next_offset;
    if (gap > 0 || reported > 0) {
      r->n_gaps++;
      /* the ramp knows the gap modulo its period */
      r->lost += reported;
      if (!GST_BUFFER_IS_DISCONT (buf))
        r->n_wrong_discont++;
      if (reported % PERIOD != gap)
        fail_once (
            r, g_strdup_printf ("buffer %u: %" G_GUINT64_FORMAT
                                " samples (modulo %d) missing from the ramp, "
                                "the offset says %" G_GUINT64_FORMAT,
                   r->n_buffers, gap, PERIOD, reported));
    } else if (GST_BUFFER_IS_DISCONT (buf)) {
      r->n_wrong_discont++;
    }
  }
  for (i = first; i < n; i++)
    if (ramp_index (x[i]) != (*next + gap + i - first) % PERIOD) {
      fail_once (r, g_strdup_printf ("buffer %u, sample %" G_GSIZE_FORMAT
                                     ": the ramp jumps inside a buffer",
                        r->n_buffers, i));
      break;
    }
  *next = (*next + gap + n - first) % PERIOD;
offsets:
done:
  *next_offset = GST_BUFFER_OFFSET_END (buf);
  r->n_buffers++;
  gst_buffer_unmap (buf, &map);
}

/* Captures @n_buffers blocks from the fake microphone (playing the ramp in
 * real time) with @extra properties on portaudiosrc; checks each block. */
static void
capture (gdouble speed, guint n_buffers, const gchar *extra, Result *r,
    GstStructure **stats)
{
  gsize n = RAMP_FRAMES, i;
  gint16 *x = g_new (gint16, n);
  GBytes *data;
  gchar *desc
      = g_strdup_printf ("portaudiosrc name=src device=" FAKE_CAPTURE
                         " latency-time=10000 num-buffers=%u %s "
                         "! audio/x-raw,format=S16LE,rate=48000,channels=1 "
                         "! appsink name=sink sync=false max-buffers=0",
          n_buffers, extra ? extra : "");
  GstElement *pipeline = gst_parse_launch (desc, NULL), *src, *sink;
  GstSample *sample;
  gint64 next = -1;
  guint64 next_offset = 0, offset0 = 0;
  GstClockTime pts0 = 0;
  FakeMic *mic;

  fail_unless (pipeline != NULL, "%s", desc);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  for (i = 0; i < n; i++)
    x[i] = ramp (i);
  data = g_bytes_new_take (x, n * sizeof (gint16));
  mic = fake_mic_new (data, RATE, 2, speed);
  memset (r, 0, sizeof (*r));
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (
      gst_element_get_state (src, NULL, NULL, 30 * GST_SECOND),
      GST_STATE_CHANGE_SUCCESS);
  fake_mic_go (mic);
  while ((sample = gst_app_sink_try_pull_sample (
              GST_APP_SINK (sink), 10 * GST_SECOND))) {
    check_buffer (gst_sample_get_buffer (sample), r, &next, &next_offset, &pts0,
        &offset0);
    gst_sample_unref (sample);
  }
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (sink)),
      "no EOS within 10 s (%u buffers)", r->n_buffers);
  fail_unless_equals_int (r->n_buffers, n_buffers);
  /* (checked by the caller: an element without it fails there, after the
   * samples were checked) */
  if (stats) {
    *stats = NULL;
    if (g_object_class_find_property (G_OBJECT_GET_CLASS (src), "stats"))
      g_object_get (src, "stats", stats, NULL);
  }
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  fake_mic_stop (mic);
  g_bytes_unref (data);
  g_free (desc);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

static void
report (const gchar *what, guint run, const Result *r)
{
  GST_INFO ("%s run %u: %u buffers, %u silent, %u gaps (%" G_GUINT64_FORMAT
            " samples lost), %u DISCONT, %u wrong DISCONT flags%s%s",
      what, run, r->n_buffers, r->n_silent, r->n_gaps, r->lost, r->n_discont,
      r->n_wrong_discont, r->failure ? ": " : "", r->failure ? r->failure : "");
  g_printerr ("%s run %u: %u buffers, %u silent, %u gaps (%" G_GUINT64_FORMAT
              " samples lost), %u DISCONT, %u wrong DISCONT%s%s\n",
      what, run, r->n_buffers, r->n_silent, r->n_gaps, r->lost, r->n_discont,
      r->n_wrong_discont, r->failure ? ": " : "", r->failure ? r->failure : "");
}

/* Checks a run's stats against what the ramp showed. */
static void
check_stats (guint run, const Result *r, GstStructure *stats)
{
  guint64 captured = 0, lost = 0;
  guint discont = 0;

  fail_unless (stats != NULL);
  GST_INFO ("run %u: %" GST_PTR_FORMAT, run, stats);
  {
    gchar *text = gst_structure_to_string (stats);

    g_printerr ("run %u: %s\n", run, text);
    g_free (text);
  }
  fail_unless (gst_structure_get_uint64 (stats, "captured-samples", &captured));
  fail_unless (gst_structure_get_uint64 (stats, "lost-samples", &lost));
  fail_unless (gst_structure_get_uint (stats, "discontinuities", &discont));
  fail_unless_equals_uint64 (captured, r->frames);
  fail_unless_equals_uint64 (lost, r->lost);
  fail_unless_equals_int (discont, r->n_gaps);
}

/* The case: 20 blocks of 10 ms from a microphone running in real
 * time, default ring buffer (200 ms), every core busy. Nothing may be lost:
 * no silence, no gap, no DISCONT; the stats say so. */
GST_START_TEST (test_capture_under_load)
{
  Result r[6];
  GstStructure *stats[6];
  Hog hog;
  guint run;

  hog_start (&hog, 30);
  for (run = 0; run < 6; run++)
    capture (1.0, 20, NULL, &r[run], &stats[run]);
  hog_stop (&hog);
  for (run = 0; run < 6; run++) {
    report ("real-time microphone", run, &r[run]);
    fail_unless (r[run].failure == NULL, "run %u: %s", run, r[run].failure);
    fail_unless_equals_int (r[run].n_silent, 0);
    fail_unless_equals_int (r[run].n_gaps, 0);
    fail_unless_equals_int (r[run].n_discont, 0);
    check_stats (run, &r[run], stats[run]);
    gst_structure_free (stats[run]);
  }
}

GST_END_TEST;

/* A device FAST times faster than real time (the ring buffer, 200 ms of
 * audio, fills in 4 ms), so that the ring buffer thread laps the streaming
 * thread whenever that one waits for a core: samples are really lost. (Not
 * ALSA's file PCM reading a file: over `null` it runs as fast as it is read,
 * about 100 M samples/s here, past the end of any file, where it delivers
 * stale buffer contents.) Every block pushed must still be the ramp (never silence, never a
 * block overwritten while copied), each gap must be the offsets' gap (the
 * real number of samples missing, as the ramp shows), at a DISCONT buffer,
 * and the stats must add up. Before the fix, the ring buffer's read gave
 * silence for segments already overwritten, with contiguous offsets. */
GST_START_TEST (test_overrun_accounting_under_load)
{
  Result r[6];
  GstStructure *stats[6];
  Hog hog;
  guint run, total_gaps = 0;

  hog_start (&hog, 30);
  for (run = 0; run < 6; run++)
    capture (FAST, 100, "buffer-time=30000", &r[run], &stats[run]);
  hog_stop (&hog);
  for (run = 0; run < 6; run++) {
    report ("50x microphone", run, &r[run]);
    fail_unless (r[run].failure == NULL, "run %u: %s", run, r[run].failure);
    fail_unless_equals_int (r[run].n_silent, 0);
    fail_unless_equals_int (r[run].n_wrong_discont, 0);
    total_gaps += r[run].n_gaps;
    check_stats (run, &r[run], stats[run]);
    gst_structure_free (stats[run]);
  }
  /* the test is about losses: the device must have outrun the reader */
  fail_unless (total_gaps > 0, "no sample lost in 6 runs");
}

GST_END_TEST;

/* The capture thread asks for real-time scheduling; `stats` says whether
 * it got it, which must be what the system allows this process (probed
 * here the same way: SCHED_FIFO for a thread, within RLIMIT_RTPRIO). */
static gpointer
probe_realtime (gpointer unused)
{
  struct sched_param param = { 0 };
  struct rlimit lim;
  gint prio = (sched_get_priority_min (SCHED_FIFO)
                  + sched_get_priority_max (SCHED_FIFO))
              / 2;

  if (getrlimit (RLIMIT_RTPRIO, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY
      && lim.rlim_cur > 0 && (rlim_t) prio > lim.rlim_cur)
    prio = (gint) lim.rlim_cur;
  param.sched_priority = prio;
  return GINT_TO_POINTER (
      pthread_setschedparam (pthread_self (), SCHED_FIFO, &param) == 0);
}

GST_START_TEST (test_realtime_thread)
{
  GThread *t = g_thread_new ("probe", probe_realtime, NULL);
  gboolean allowed = GPOINTER_TO_INT (g_thread_join (t)), realtime = !allowed;
  GstStructure *stats = NULL;
  Result r;

  capture (1.0, 5, NULL, &r, &stats);
  fail_unless (stats != NULL, "no stats");
  fail_unless (gst_structure_get_boolean (stats, "realtime", &realtime));
  GST_INFO ("real-time scheduling allowed: %d, capture thread: %d", allowed,
      realtime);
  fail_unless_equals_int (realtime, allowed);
  g_free (r.failure);
  gst_structure_free (stats);
}

GST_END_TEST;

static Suite *
portaudiosrcload_suite (void)
{
  Suite *s = suite_create ("portaudiosrcload");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_capture_under_load);
  tcase_add_test (tc, test_overrun_accounting_under_load);
  tcase_add_test (tc, test_realtime_thread);
  return s;
}

int
main (int argc, char **argv)
{
  fake_setup ();
  gst_check_init (&argc, &argv);
  return gst_check_run_suite (
      portaudiosrcload_suite (), "portaudiosrcload", __FILE__);
}
