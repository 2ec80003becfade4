/* gst-omni: GstHarness tests for omniaudioenc (lavapipe, validation on)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <omni/dsp/omnilogmelref.h>
#include <glib/gstdio.h>
#include <omni/meta/omniclassmeta.h>
#include <omni/meta/omnitensormeta.h>
#include <omni/vk/omnivkdevice.h>

#define RATE 16000
#define NS_PER_SAMPLE (GST_SECOND / RATE) /* 62500, exact */
#define CAPS_F32                                                               \
  "audio/x-raw,format=F32LE,rate=16000,channels=1,layout=interleaved"

typedef struct {
  GstClockTime start, end;
  guint64 buf_first, buf_end; /* samples of the buffer it came on */
  gfloat *data;
  gsize n;
  gsize dims[2];
  guint n_dims;
} Got;

static float *
tone (gsize n, double freq, double amp)
{
  float *x = g_new (float, n);
  gsize i;

  for (i = 0; i < n; i++)
    x[i] = (float) (amp * sin (2.0 * G_PI * freq * i / RATE));
  return x;
}

static float *
noise (gsize n, guint32 seed)
{
  float *x = g_new (float, n);
  GRand *r = g_rand_new_with_seed (seed);
  gsize i;

  for (i = 0; i < n; i++)
    x[i] = (float) g_rand_double_range (r, -0.4, 0.4);
  g_rand_free (r);
  return x;
}

/* omniaudioenc with @props ("name=value ...") in a harness */
static GstHarness *
harness_new (const gchar *props)
{
  GstElement *e = gst_element_factory_make ("omniaudioenc", NULL);
  GstHarness *h;
  gchar **kv = g_strsplit (props ? props : "", " ", -1);
  guint i;

  fail_unless (e != NULL);
  for (i = 0; kv[i]; i++) {
    gchar **p;
    if (!*kv[i])
      continue;
    p = g_strsplit (kv[i], "=", 2);
    fail_unless (p[0] && p[1], "%s", kv[i]);
    gst_util_set_object_arg (G_OBJECT (e), p[0], p[1]);
    g_strfreev (p);
  }
  g_strfreev (kv);
  h = gst_harness_new_with_element (e, "sink", "src");
  gst_object_unref (e);
  return h;
}

/* Pushes @x in buffers of @bufsize samples starting at PTS @pts0 and
 * collects every tensor meta called @name from the output. */
static GArray *
push_collect (GstHarness *h, const float *x, gsize n, gsize bufsize,
    GstClockTime pts0, const gchar *name)
{
  GArray *got = g_array_new (FALSE, TRUE, sizeof (Got));
  gsize pos = 0;

  while (pos < n) {
    gsize len = MIN (bufsize, n - pos);
    GstBuffer *in = gst_buffer_new_memdup (x + pos, len * sizeof (float));
    GstBuffer *out;
    GstMapInfo map;
    gpointer state = NULL;
    GstMeta *meta;

    GST_BUFFER_PTS (in) = pts0 + pos * NS_PER_SAMPLE;
    GST_BUFFER_DURATION (in) = len * NS_PER_SAMPLE;
    fail_unless_equals_int (gst_harness_push (h, in), GST_FLOW_OK);
    out = gst_harness_pull (h);
    /* media passes through untouched (GstAudioFilter clips what lies
     * before the segment start) */
    fail_unless (gst_buffer_map (out, &map, GST_MAP_READ));
    fail_unless (map.size <= len * sizeof (float));
    fail_unless (
        memcmp (map.data, x + pos + len - map.size / sizeof (float), map.size)
        == 0);
    gst_buffer_unmap (out, &map);
    while ((meta = gst_buffer_iterate_meta_filtered (
                out, &state, OMNI_TENSOR_META_API_TYPE))) {
      OmniTensorMeta *tm = (OmniTensorMeta *) meta;
      Got g = { 0 };
      const gfloat *d;
      if (strcmp (tm->name, name) != 0)
        continue;
      fail_unless_equals_int (tm->dtype, OMNI_TENSOR_DTYPE_F32);
      d = omni_tensor_meta_get_f32 (tm, &g.n);
      g.data = g_memdup2 (d, g.n * sizeof (gfloat));
      g.start = tm->start;
      g.end = tm->end;
      g.n_dims = tm->n_dims;
      g.dims[0] = tm->dims[0];
      g.dims[1] = tm->n_dims > 1 ? tm->dims[1] : 0;
      g.buf_first = pos;
      g.buf_end = pos + len;
      g_array_append_val (got, g);
    }
    gst_buffer_unref (out);
    pos += len;
  }
  return got;
}

static void
got_free (GArray *got)
{
  guint i;

  for (i = 0; i < got->len; i++)
    g_free (g_array_index (got, Got, i).data);
  g_array_unref (got);
}

static void
check_validation (void)
{
  fail_unless_equals_int (omni_vk_device_get_validation_message_count (), 0);
}

/* Compares a patch with the reference on the window's samples. */
static double
patch_error (const OmniLogMelParams *p, const float *x, gsize win,
    const gfloat *patch, gsize n)
{
  unsigned F = omni_logmel_n_frames (p, win), C = omni_logmel_n_features (p);
  double *ref = g_new (double, (gsize) F *C), e = 0.0;
  gsize i;

  fail_unless_equals_uint64 (n, (gsize) F * C);
  fail_unless (omni_logmel_ref_window_features (p, x, win, ref, NULL, NULL));
  for (i = 0; i < n; i++) {
    fail_unless (isfinite (patch[i]));
    e = MAX (e, fabs (patch[i] - ref[i]));
  }
  g_free (ref);
  return e;
}

/* Window spans in running time are exact and independent of the buffer
 * size (1 sample to 1 s); each patch sits on the buffer where its window
 * ends and equals the reference. */
GST_START_TEST (test_window_spans_buffer_sizes)
{
  const gsize n = 16000, W = 4000, H = 2000; /* 0.25 s every 0.125 s */
  const gsize sizes[] = { 1, 7, 160, 1000, 4096, 16000 };
  float *x = noise (n, 5);
  OmniLogMelParams p;
  guint s, k;

  omni_logmel_params_init (&p, RATE);
  for (s = 0; s < G_N_ELEMENTS (sizes); s++) {
    GstHarness *h = harness_new ("window=0.25 window-hop=0.125 "
                                 "post-messages=false");
    GArray *got;

    gst_harness_set_src_caps_str (h, CAPS_F32);
    got = push_collect (h, x, n, sizes[s], 0, "log-mel");
    fail_unless_equals_int (got->len, (n - W) / H + 1);
    for (k = 0; k < got->len; k++) {
      Got *g = &g_array_index (got, Got, k);
      gsize last = k * H + W - 1;
      fail_unless_equals_uint64 (g->start, k * H * NS_PER_SAMPLE);
      fail_unless_equals_uint64 (g->end, (k * H + W) * NS_PER_SAMPLE);
      fail_unless (g->buf_first <= last && last < g->buf_end,
          "window %u ends at sample %" G_GSIZE_FORMAT
          ", meta on buffer [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ")",
          k, last, g->buf_first, g->buf_end);
      fail_unless_equals_int (g->n_dims, 2);
      fail_unless_equals_uint64 (g->dims[0], 1 + (W - 512) / 160);
      fail_unless_equals_uint64 (g->dims[1], 64);
      fail_unless (patch_error (&p, x + k * H, W, g->data, g->n) <= 1e-3,
          "buffer size %" G_GSIZE_FORMAT " window %u", sizes[s], k);
    }
    got_free (got);
    gst_harness_teardown (h);
  }
  check_validation ();
  g_free (x);
}

GST_END_TEST;

/* A segment that starts at 10 s with a base of 3 s: windows count from the
 * first buffer, in running time (base + pts - start). After a flushing
 * seek the windows restart at the new position. */
GST_START_TEST (test_segment_and_seek)
{
  const gsize n = 8000, W = 4000, H = 2000;
  float *x = noise (n, 9);
  GstHarness *h = harness_new ("window=0.25 window-hop=0.125");
  GstSegment seg;
  GArray *got;
  guint k;

  gst_harness_set_src_caps_str (h, CAPS_F32);
  gst_segment_init (&seg, GST_FORMAT_TIME);
  seg.start = 10 * GST_SECOND;
  seg.time = 10 * GST_SECOND;
  seg.position = seg.start;
  seg.base = 3 * GST_SECOND;
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  got = push_collect (h, x, n, 1024, 10 * GST_SECOND, "log-mel");
  fail_unless_equals_int (got->len, 3);
  for (k = 0; k < got->len; k++) {
    Got *g = &g_array_index (got, Got, k);
    fail_unless_equals_uint64 (
        g->start, 3 * GST_SECOND + k * H * NS_PER_SAMPLE);
    fail_unless_equals_uint64 (
        g->end, 3 * GST_SECOND + (k * H + W) * NS_PER_SAMPLE);
  }
  got_free (got);

  /* flushing seek to 20.5 s: running time restarts at 0 */
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  gst_segment_init (&seg, GST_FORMAT_TIME);
  seg.start = 20500 * GST_MSECOND;
  seg.time = seg.start;
  seg.position = seg.start;
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  /* the first buffer starts 100 samples before the segment: those are
   * outside it and the windows start at the segment start */
  got = push_collect (h, x, n, 999, seg.start - 100 * NS_PER_SAMPLE, "log-mel");
  fail_unless_equals_int (got->len, (n - 100 - W) / H + 1);
  for (k = 0; k < got->len; k++) {
    Got *g = &g_array_index (got, Got, k);
    OmniLogMelParams p;
    fail_unless_equals_uint64 (g->start, k * H * NS_PER_SAMPLE);
    fail_unless_equals_uint64 (g->end, (k * H + W) * NS_PER_SAMPLE);
    omni_logmel_params_init (&p, RATE);
    fail_unless (patch_error (&p, x + 100 + k * H, W, g->data, g->n) <= 1e-3);
  }
  got_free (got);
  gst_harness_teardown (h);
  check_validation ();
  g_free (x);
}

GST_END_TEST;

/* A discontinuity in the timestamps restarts the windows there. */
GST_START_TEST (test_discont)
{
  const gsize n = 6000;
  float *x = noise (n, 2);
  GstHarness *h = harness_new ("window=0.25 window-hop=0.125");
  GArray *got;

  gst_harness_set_src_caps_str (h, CAPS_F32);
  got = push_collect (h, x, 3000, 1000, 0, "log-mel");
  fail_unless_equals_int (got->len, 0);
  got_free (got);
  /* 1 s later than the sample count says */
  got = push_collect (
      h, x + 3000, 3000, 1000, GST_SECOND + 3000 * NS_PER_SAMPLE, "log-mel");
  fail_unless_equals_int (got->len, 0);
  got_free (got);
  got = push_collect (
      h, x, 2000, 1000, GST_SECOND + 6000 * NS_PER_SAMPLE, "log-mel");
  fail_unless_equals_int (got->len, 1);
  fail_unless_equals_uint64 (
      g_array_index (got, Got, 0).start, GST_SECOND + 3000 * NS_PER_SAMPLE);
  got_free (got);
  gst_harness_teardown (h);
  g_free (x);
}

GST_END_TEST;

static double
test_hz_to_mel (double f)
{
  /* Slaney's Auditory Toolbox scale */
  return f < 1000.0 ? f * 3.0 / 200.0
                    : 15.0 + 27.0 * log (f / 1000.0) / log (6.4);
}

static double
test_mel_to_hz (double m)
{
  return m < 15.0 ? m * 200.0 / 3.0 : 1000.0 * pow (6.4, (m - 15.0) / 27.0);
}

/* A tone at the centre of mel band b is loudest in band b: the embedding's
 * mean and the message's loudest-band say so. */
GST_START_TEST (test_tone_band_and_messages)
{
  const guint bands[] = { 9, 20, 33, 50 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bands); i++) {
    double hi = test_hz_to_mel (8000.0);
    double f0 = test_mel_to_hz (hi * (bands[i] + 1) / 65.0);
    float *x = tone (24000, f0, 0.5);
    GstHarness *h = harness_new ("n-fft=2048 hop=512");
    GstBus *bus = gst_bus_new ();
    GArray *got;
    GstMessage *msg;
    guint c, best = 0, nmsg = 0;
    const Got *g;

    gst_element_set_bus (h->element, bus);
    gst_harness_set_src_caps_str (h, CAPS_F32);
    got = push_collect (h, x, 24000, 3200, 0, "embedding");
    fail_unless_equals_int (got->len, 2);
    g = &g_array_index (got, Got, 0);
    fail_unless_equals_int (g->n_dims, 1);
    fail_unless_equals_uint64 (g->dims[0], 128);
    for (c = 1; c < 64; c++)
      if (g->data[c] > g->data[best])
        best = c;
    fail_unless_equals_int (best, bands[i]);
    /* a steady tone: the std of its band over the window is small */
    fail_unless (g->data[64 + best] < 0.5, "std %g", g->data[64 + best]);

    while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
      const GstStructure *s = gst_message_get_structure (msg);
      guint band, nf;
      guint64 rt, dur, idx, end;
      if (gst_structure_has_name (s, "omniaudioenc")) {
        fail_unless (gst_structure_get (s, "loudest-band", G_TYPE_UINT, &band,
            "running-time", G_TYPE_UINT64, &rt, "duration", G_TYPE_UINT64, &dur,
            "window", G_TYPE_UINT64, &idx, "end-running-time", G_TYPE_UINT64,
            &end, "n-features", G_TYPE_UINT, &nf, NULL));
        fail_unless_equals_int (band, bands[i]);
        fail_unless_equals_uint64 (idx, nmsg);
        fail_unless_equals_uint64 (rt, nmsg * 7680 * NS_PER_SAMPLE);
        fail_unless_equals_uint64 (dur, 15360 * NS_PER_SAMPLE);
        fail_unless_equals_uint64 (end, rt + dur);
        fail_unless_equals_int (nf, 64);
        fail_unless_equals_int (
            gst_value_array_get_size (gst_structure_get_value (s, "mean")), 64);
        nmsg++;
      }
      gst_message_unref (msg);
    }
    fail_unless_equals_int (nmsg, 2);
    got_free (got);
    gst_element_set_bus (h->element, NULL);
    gst_object_unref (bus);
    gst_harness_teardown (h);
    g_free (x);
  }
  check_validation ();
}

GST_END_TEST;

GST_START_TEST (test_latency)
{
  GstHarness *h = harness_new ("window=0.5 window-hop=0.1");

  gst_harness_set_src_caps_str (h, CAPS_F32);
  gst_harness_set_upstream_latency (h, 20 * GST_MSECOND);
  fail_unless_equals_uint64 (
      gst_harness_query_latency (h), 20 * GST_MSECOND + 500 * GST_MSECOND);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Silence: a finite -100 dB floor; NaN samples: analysed as silence, with
 * one warning. */
GST_START_TEST (test_silence_and_nan)
{
  const gsize n = 16000;
  float *x = g_new0 (float, n);
  GstHarness *h = harness_new ("window=0.5 window-hop=0.25");
  GstBus *bus = gst_bus_new ();
  GArray *got;
  GstMessage *msg;
  guint k, warnings = 0;
  gsize i;

  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h, CAPS_F32);
  for (i = 100; i < 8000; i += 3)
    x[i] = NAN;
  x[9000] = INFINITY;
  got = push_collect (h, x, n, 1600, 0, "log-mel");
  fail_unless_equals_int (got->len, 3);
  for (k = 0; k < got->len; k++) {
    Got *g = &g_array_index (got, Got, k);
    for (i = 0; i < g->n; i++)
      fail_unless_equals_float (g->data[i], -100.0f);
  }
  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING))) {
    GError *err;
    gst_message_parse_warning (msg, &err, NULL);
    fail_unless (strstr (err->message, "NaN") != NULL, "%s", err->message);
    g_error_free (err);
    gst_message_unref (msg);
    warnings++;
  }
  fail_unless_equals_int (warnings, 1);
  got_free (got);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
  check_validation ();
  g_free (x);
}

GST_END_TEST;

/* A stream shorter than one window: no tensor, a warning at EOS. */
GST_START_TEST (test_short_stream)
{
  float *x = noise (8000, 1);
  GstHarness *h = harness_new (NULL);
  GstBus *bus = gst_bus_new ();
  GArray *got;
  GstMessage *msg;
  GError *err;

  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h, CAPS_F32);
  got = push_collect (h, x, 8000, 4000, 0, "log-mel");
  fail_unless_equals_int (got->len, 0);
  got_free (got);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  gst_message_parse_warning (msg, &err, NULL);
  fail_unless (strstr (err->message, "shorter than one window") != NULL, "%s",
      err->message);
  g_error_free (err);
  gst_message_unref (msg);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
  g_free (x);
}

GST_END_TEST;

/* fmax above Nyquist is clamped, with a warning; the values are those of
 * fmax = Nyquist. */
GST_START_TEST (test_fmax_clamped)
{
  float *x = noise (8000, 4);
  GstHarness *h = harness_new ("fmax=12000 window=0.5");
  GstBus *bus = gst_bus_new ();
  GArray *got;
  GstMessage *msg;
  GError *err;
  OmniLogMelParams p;

  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h, CAPS_F32);
  got = push_collect (h, x, 8000, 8000, 0, "log-mel");
  fail_unless_equals_int (got->len, 1);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  gst_message_parse_warning (msg, &err, NULL);
  fail_unless (strstr (err->message, "Nyquist") != NULL, "%s", err->message);
  g_error_free (err);
  gst_message_unref (msg);
  omni_logmel_params_init (&p, RATE);
  p.fmax = 8000.0;
  fail_unless (patch_error (&p, x, 8000, g_array_index (got, Got, 0).data,
                   g_array_index (got, Got, 0).n)
               <= 1e-3);
  got_free (got);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
  g_free (x);
}

GST_END_TEST;

/* Stereo S16LE is averaged to mono; MFCCs with deltas come as four tensors
 * of the documented shapes. */
GST_START_TEST (test_s16_stereo_mfcc_deltas)
{
  const gsize n = 8000;
  gint16 *pcm = g_new (gint16, 2 * n);
  float *mono = g_new (float, n);
  GstHarness *h = harness_new ("n-mfcc=13 deltas=2 window=0.5 "
                               "mel-scale=htk mel-norm=none n-mels=40");
  GstBuffer *in, *out;
  OmniTensorMeta *m;
  GRand *r = g_rand_new_with_seed (8);
  OmniLogMelParams p;
  double *ref, *rd, *re;
  gsize i, nf;
  const gfloat *d;
  unsigned F;

  for (i = 0; i < n; i++) {
    pcm[2 * i] = (gint16) g_rand_int_range (r, -12000, 12000);
    pcm[2 * i + 1] = (gint16) g_rand_int_range (r, -12000, 12000);
    mono[i] = (float) (pcm[2 * i] + pcm[2 * i + 1]) / (32768.0f * 2);
  }
  g_rand_free (r);
  gst_harness_set_src_caps_str (h, "audio/x-raw,format=S16LE,rate=16000,"
                                   "channels=2,layout=interleaved");
  in = gst_buffer_new_memdup (pcm, 2 * n * sizeof (gint16));
  GST_BUFFER_PTS (in) = 0;
  out = gst_harness_push_and_pull (h, in);

  omni_logmel_params_init (&p, RATE);
  p.n_mfcc = 13;
  p.delta_order = 2;
  p.htk = TRUE;
  p.norm = OMNI_MEL_NORM_NONE;
  p.n_mels = 40;
  F = omni_logmel_n_frames (&p, n);
  ref = g_new (double, F * 13);
  rd = g_new (double, 2 * F * 13);
  re = g_new (double, 26);
  fail_unless (omni_logmel_ref_window_features (&p, mono, n, ref, rd, re));

  m = omni_buffer_get_tensor_meta (out, "mfcc");
  fail_unless (m != NULL);
  fail_unless_equals_uint64 (m->dims[0], F);
  fail_unless_equals_uint64 (m->dims[1], 13);
  d = omni_tensor_meta_get_f32 (m, &nf);
  for (i = 0; i < nf; i++)
    fail_unless (fabs (d[i] - ref[i]) < 1e-2, "%g %g", d[i], ref[i]);
  m = omni_buffer_get_tensor_meta (out, "delta");
  fail_unless (m != NULL);
  d = omni_tensor_meta_get_f32 (m, &nf);
  fail_unless_equals_uint64 (nf, F * 13);
  for (i = 0; i < nf; i++)
    fail_unless (fabs (d[i] - rd[i]) < 1e-2);
  m = omni_buffer_get_tensor_meta (out, "delta-delta");
  fail_unless (m != NULL);
  d = omni_tensor_meta_get_f32 (m, &nf);
  for (i = 0; i < nf; i++)
    fail_unless (fabs (d[i] - rd[F * 13 + i]) < 1e-2);
  m = omni_buffer_get_tensor_meta (out, "embedding");
  fail_unless (m != NULL);
  d = omni_tensor_meta_get_f32 (m, &nf);
  fail_unless_equals_uint64 (nf, 26);
  for (i = 0; i < nf; i++)
    fail_unless (fabs (d[i] - re[i]) < 1e-2);
  fail_unless (omni_buffer_get_tensor_meta (out, "log-mel") == NULL);

  gst_buffer_unref (out);
  gst_harness_teardown (h);
  check_validation ();
  g_free (pcm);
  g_free (mono);
  g_free (ref);
  g_free (rd);
  g_free (re);
}

GST_END_TEST;

/* Settings that cannot work: refused properties, or an error at caps. */
GST_START_TEST (test_bad_settings)
{
  GstHarness *h;
  GstBus *bus;
  GstMessage *msg;
  GError *err;
  guint v;
  const gchar *bad[][2] = {
    { "n-mfcc=80", "n-mfcc" },
    { "window=0.01", "shorter than n-fft" },
    { "fmin=9000", "fmin" },
    { "n-fft=65536 window=5", "shared memory" },
    { "deltas=1 delta-width=63 window=0.3", "delta-width" },
  };
  guint i;

  /* odd n-fft is refused, visibly (a GLib warning, as GObject's own range
   * checks): the property keeps its value */
  h = harness_new (NULL);
  ASSERT_WARNING (g_object_set (h->element, "n-fft", 401, NULL));
  ASSERT_WARNING (g_object_set (h->element, "delta-width", 8, NULL));
  g_object_get (h->element, "n-fft", &v, NULL);
  fail_unless_equals_int (v, 512);
  g_object_get (h->element, "delta-width", &v, NULL);
  fail_unless_equals_int (v, 9);
  g_object_set (h->element, "n-fft", 400, NULL);
  g_object_get (h->element, "n-fft", &v, NULL);
  fail_unless_equals_int (v, 400);
  gst_harness_teardown (h);

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    h = harness_new (bad[i][0]);
    bus = gst_bus_new ();
    gst_element_set_bus (h->element, bus);
    gst_harness_play (h);
    fail_unless (gst_harness_push_event (h, gst_event_new_stream_start ("s")));
    /* setup fails: the caps are refused, buffers are not negotiated */
    {
      GstCaps *caps = gst_caps_from_string (CAPS_F32);
      gst_harness_push_event (h, gst_event_new_caps (caps));
      gst_caps_unref (caps);
    }
    {
      GstSegment seg;
      gst_segment_init (&seg, GST_FORMAT_TIME);
      gst_harness_push_event (h, gst_event_new_segment (&seg));
    }
    {
      float x[1024] = { 0 };
      GstBuffer *in = gst_buffer_new_memdup (x, sizeof (x));
      GST_BUFFER_PTS (in) = 0;
      fail_unless (gst_harness_push (h, in) != GST_FLOW_OK, "%s", bad[i][0]);
    }
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    fail_unless (msg != NULL, "%s: no error message", bad[i][0]);
    gst_message_parse_error (msg, &err, NULL);
    fail_unless (strstr (err->message, bad[i][1]) != NULL, "%s: %s", bad[i][0],
        err->message);
    g_error_free (err);
    gst_message_unref (msg);
    gst_element_set_bus (h->element, NULL);
    gst_object_unref (bus);
    gst_harness_teardown (h);
  }
  check_validation ();
}

GST_END_TEST;

/* A non-power-of-two FFT (Whisper's 400) through the element. */
GST_START_TEST (test_whisper_like)
{
  const gsize n = 16000;
  float *x = noise (n, 12);
  GstHarness *h = harness_new ("n-fft=400 n-mels=80 window=0.5 "
                               "window-hop=0.5");
  GArray *got;
  OmniLogMelParams p;
  guint k;

  gst_harness_set_src_caps_str (h, CAPS_F32);
  got = push_collect (h, x, n, 3000, 0, "log-mel");
  fail_unless_equals_int (got->len, 2);
  omni_logmel_params_init (&p, RATE);
  p.n_fft = 400;
  p.n_mels = 80;
  for (k = 0; k < got->len; k++)
    fail_unless (
        patch_error (&p, x + k * 8000, 8000, g_array_index (got, Got, k).data,
            g_array_index (got, Got, k).n)
        <= 1e-3);
  got_free (got);
  gst_harness_teardown (h);
  check_validation ();
  g_free (x);
}

GST_END_TEST;

/* model=: a hand-written TF.js layers model on the [22 x 64] log-mel patch
 * (copied into 3 channels): a 1 x 64 convolution that averages the low and
 * the high half of the bands (channel 0 only, divided by 10), a global
 * average pool and an identity softmax layer: by construction its scores
 * are softmax (mean dB of the low half / 10, of the high half / 10). */
/* What `sha256sum model.json w.bin labels.txt > SHA256SUMS` writes: a
 * user's own model, verified. */
static void
write_sums (const gchar *dir)
{
  const gchar *names[] = { "model.json", "w.bin", "labels.txt" };
  GString *sums = g_string_new (NULL);
  gchar *path;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    gchar *data = NULL, *sha;
    gsize len = 0;

    path = g_build_filename (dir, names[i], NULL);
    fail_unless (g_file_get_contents (path, &data, &len, NULL));
    sha = g_compute_checksum_for_data (
        G_CHECKSUM_SHA256, (const guchar *) data, len);
    g_string_append_printf (sums, "%s  %s\n", sha, names[i]);
    g_free (sha);
    g_free (data);
    g_free (path);
  }
  path = g_build_filename (dir, "SHA256SUMS", NULL);
  fail_unless (g_file_set_contents (path, sums->str, -1, NULL));
  g_free (path);
  g_string_free (sums, TRUE);
}

static gchar *
write_band_model (guint frames, gint rate)
{
  gchar *dir = g_dir_make_tmp ("omniaudioenc-model-XXXXXX", NULL);
  gchar *json = g_strdup_printf (
      "{\"format\": \"layers-model\", \"modelTopology\": {\"class_name\": "
      "\"Sequential\", \"config\": {\"name\": \"bands\", \"layers\": ["
      "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c\", "
      "\"batch_input_shape\": [null, %u, 64, 3], \"filters\": 2, "
      "\"kernel_size\": [1, 64], \"strides\": [1, 1], \"padding\": "
      "\"valid\", \"activation\": \"linear\", \"use_bias\": false}},"
      "{\"class_name\": \"GlobalAveragePooling2D\", \"config\": {\"name\": "
      "\"g\"}},"
      "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": "
      "2, \"activation\": \"softmax\", \"use_bias\": false}}]}},"
      "\"weightsManifest\": [{\"paths\": [\"w.bin\"], \"weights\": ["
      "{\"name\": \"c/kernel\", \"shape\": [1, 64, 3, 2], \"dtype\": "
      "\"float32\"},"
      "{\"name\": \"d/kernel\", \"shape\": [2, 2], \"dtype\": "
      "\"float32\"}]}],"
      "\"userDefinedMetadata\": {\"omni\": {\"inputScale\": 1, "
      "\"inputOffset\": 0, \"sampleRate\": %d}}}",
      frames, rate);
  gfloat w[64 * 3 * 2 + 4] = { 0 };
  gchar *path;
  guint m;

  for (m = 0; m < 64; m++) /* kernel [0][m][ch 0][co] */
    w[(m * 3 + 0) * 2 + (m < 32 ? 0 : 1)] = 1.0f / 320.0f;
  w[64 * 3 * 2 + 0] = 1.0f; /* dense identity */
  w[64 * 3 * 2 + 3] = 1.0f;
  path = g_build_filename (dir, "model.json", NULL);
  fail_unless (g_file_set_contents (path, json, -1, NULL));
  g_free (path);
  path = g_build_filename (dir, "w.bin", NULL);
  fail_unless (g_file_set_contents (path, (const gchar *) w, sizeof (w), NULL));
  g_free (path);
  path = g_build_filename (dir, "labels.txt", NULL);
  fail_unless (g_file_set_contents (path, "low\nhigh\n", -1, NULL));
  g_free (path);
  write_sums (dir);
  g_free (json);
  return dir;
}

static void
remove_model (gchar *dir)
{
  const gchar *names[] = { "model.json", "w.bin", "labels.txt", "SHA256SUMS" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    gchar *f = g_build_filename (dir, names[i], NULL);
    g_unlink (f);
    g_free (f);
  }
  g_rmdir (dir);
  g_free (dir);
}

GST_START_TEST (test_model)
{
  const gsize n = 8000, W = 4000, H = 2000;
  gchar *dir = write_band_model (22, RATE);
  gchar *props = g_strdup_printf ("window=0.25 window-hop=0.125 model=%s", dir);
  const double freqs[] = { 300.0, 5000.0 };
  guint t;

  for (t = 0; t < G_N_ELEMENTS (freqs); t++) {
    float *x = tone (n, freqs[t], 0.5);
    GstHarness *h = harness_new (props);
    GstBus *bus = gst_bus_new ();
    GstMessage *msg;
    gsize pos;
    guint k = 0, nmsg = 0;
    OmniLogMelParams p;

    omni_logmel_params_init (&p, RATE);
    gst_element_set_bus (h->element, bus);
    gst_harness_set_src_caps_str (h, CAPS_F32);
    for (pos = 0; pos < n; pos += 1000) {
      GstBuffer *in = gst_buffer_new_memdup (x + pos, 1000 * sizeof (float));
      GstBuffer *out;
      OmniClassMeta *cm;
      GST_BUFFER_PTS (in) = pos * NS_PER_SAMPLE;
      out = gst_harness_push_and_pull (h, in);
      cm = omni_buffer_get_class_meta (out);
      if (k * H + W <= pos + 1000) {
        /* the window ending in this buffer: expected scores from the
         * reference patch */
        double *ref = g_new (double, 22 * 64), lo = 0, hi = 0, p0;
        guint i;
        fail_unless (cm != NULL, "no class meta on window %u", k);
        fail_unless (omni_logmel_ref_window_features (
            &p, x + k * H, W, ref, NULL, NULL));
        for (i = 0; i < 22 * 64; i++) {
          if (i % 64 < 32)
            lo += ref[i] / 320.0;
          else
            hi += ref[i] / 320.0;
        }
        lo /= 22;
        hi /= 22;
        p0 = 1.0 / (1.0 + exp (hi - lo));
        fail_unless_equals_int (cm->n_classes, 2);
        fail_unless_equals_string (cm->labels[0], "low");
        fail_unless_equals_string (cm->labels[1], "high");
        fail_unless (
            fabs (cm->scores[0] - p0) < 1e-4, "%g vs %g", cm->scores[0], p0);
        fail_unless (fabs (cm->scores[0] + cm->scores[1] - 1.0) < 1e-5);
        fail_unless_equals_int (
            omni_class_meta_get_top (cm, NULL), freqs[t] < 1000 ? 0 : 1);
        g_free (ref);
        k++;
      } else {
        fail_unless (cm == NULL);
      }
      gst_buffer_unref (out);
    }
    fail_unless_equals_int (k, 3);
    while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
      const GstStructure *s = gst_message_get_structure (msg);
      if (gst_structure_has_name (s, "omniaudioenc")) {
        fail_unless_equals_string (gst_structure_get_string (s, "label"),
            freqs[t] < 1000 ? "low" : "high");
        nmsg++;
      }
      gst_message_unref (msg);
    }
    fail_unless_equals_int (nmsg, 3);
    gst_element_set_bus (h->element, NULL);
    gst_object_unref (bus);
    gst_harness_teardown (h);
    g_free (x);
  }
  check_validation ();
  g_free (props);
  remove_model (dir);
}

GST_END_TEST;

/* A model that declares another rate, or a patch of another shape, is
 * refused at caps time with a message saying what to change; a missing
 * model fails the start. */
GST_START_TEST (test_model_mismatch)
{
  struct {
    guint frames;
    gint rate;
    const gchar *props;
    const gchar *expect;
  } cases[] = {
    { 22, 22050, "window=0.25", "needs 22050 Hz" },
    { 30, RATE, "window=0.25", "takes a patch of 30 frames x 64" },
    { 22, RATE, "window=0.25 n-mels=40", "settings give 22 x 40" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gchar *dir = write_band_model (cases[i].frames, cases[i].rate);
    gchar *props = g_strdup_printf ("%s model=%s", cases[i].props, dir);
    GstHarness *h = harness_new (props);
    GstBus *bus = gst_bus_new ();
    GstMessage *msg;
    GError *err;
    GstCaps *caps = gst_caps_from_string (CAPS_F32);
    GstSegment seg;
    float x[1024] = { 0 };
    GstBuffer *in = gst_buffer_new_memdup (x, sizeof (x));

    gst_element_set_bus (h->element, bus);
    gst_harness_play (h);
    gst_harness_push_event (h, gst_event_new_stream_start ("s"));
    gst_harness_push_event (h, gst_event_new_caps (caps));
    gst_caps_unref (caps);
    gst_segment_init (&seg, GST_FORMAT_TIME);
    gst_harness_push_event (h, gst_event_new_segment (&seg));
    GST_BUFFER_PTS (in) = 0;
    fail_unless (gst_harness_push (h, in) != GST_FLOW_OK);
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    fail_unless (msg != NULL);
    gst_message_parse_error (msg, &err, NULL);
    fail_unless (
        strstr (err->message, cases[i].expect) != NULL, "%s", err->message);
    g_error_free (err);
    gst_message_unref (msg);
    gst_element_set_bus (h->element, NULL);
    gst_object_unref (bus);
    gst_harness_teardown (h);
    g_free (props);
    remove_model (dir);
  }

  /* a model that does not exist: the element does not start */
  {
    GstElement *e = gst_element_factory_make ("omniaudioenc", NULL);
    GstBus *bus = gst_bus_new ();
    GstMessage *msg;
    GError *err;

    gst_element_set_bus (e, bus);
    g_object_set (e, "model", "/nonexistent/model.json", NULL);
    fail_unless_equals_int (
        gst_element_set_state (e, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    fail_unless (msg != NULL);
    gst_message_parse_error (msg, &err, NULL);
    fail_unless (
        strstr (err->message, "cannot load model") != NULL, "%s", err->message);
    g_error_free (err);
    gst_message_unref (msg);
    gst_element_set_state (e, GST_STATE_NULL);
    gst_element_set_bus (e, NULL);
    gst_object_unref (bus);
    gst_object_unref (e);
  }
  check_validation ();
}

GST_END_TEST;

/* Starts omniaudioenc on the model in @dir: the first message of @type. */
static GstMessage *
start_model (const gchar *dir, gboolean allow, GstMessageType type)
{
  GstElement *e = gst_element_factory_make ("omniaudioenc", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;

  gst_element_set_bus (e, bus);
  g_object_set (e, "model", dir, "allow-unverified", allow, NULL);
  gst_element_set_state (e, GST_STATE_PAUSED);
  msg = gst_bus_pop_filtered (bus, type);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
  return msg;
}

/* Fail closed: a model whose weights changed after SHA256SUMS was written
 * does not start; allowed, it starts with a warning that says why. */
GST_START_TEST (test_unverified_model)
{
  gchar *dir = write_band_model (22, RATE);
  gchar *w = g_build_filename (dir, "w.bin", NULL);
  gfloat junk[64 * 3 * 2 + 4];
  GstMessage *msg;
  GError *err;
  gchar *debug = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (junk); i++)
    junk[i] = (gfloat) i;
  fail_unless (
      g_file_set_contents (w, (const gchar *) junk, sizeof (junk), NULL));
  msg = start_model (dir, FALSE, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, &debug);
  fail_unless (strstr (err->message, "w.bin") != NULL, "%s", err->message);
  fail_unless (
      strstr (err->message, "does not match its recorded sha256") != NULL, "%s",
      err->message);
  g_clear_error (&err);
  g_free (debug);
  gst_message_unref (msg);

  msg = start_model (dir, TRUE, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  gst_message_parse_warning (msg, &err, &debug);
  fail_unless (
      strstr (err->message, "not verified") != NULL, "%s", err->message);
  fail_unless (strstr (debug, "w.bin") != NULL, "%s", debug);
  g_clear_error (&err);
  g_free (debug);
  gst_message_unref (msg);
  g_free (w);
  remove_model (dir);
  check_validation ();
}

GST_END_TEST;

/* Windows completed by one buffer share one submission and, when their
 * starts are whole hops apart, their STFT frames; small buffers give one
 * submission per window. */
static void
check_stats (
    GstHarness *h, guint64 windows, guint64 submissions, guint64 frames)
{
  GstStructure *st = NULL;
  guint64 w, s, f;

  g_object_get (h->element, "stats", &st, NULL);
  fail_unless (st != NULL);
  fail_unless (gst_structure_get (st, "windows", G_TYPE_UINT64, &w,
      "submissions", G_TYPE_UINT64, &s, "frames", G_TYPE_UINT64, &f, NULL));
  fail_unless_equals_uint64 (w, windows);
  fail_unless_equals_uint64 (s, submissions);
  fail_unless_equals_uint64 (f, frames);
  gst_structure_free (st);
}

GST_START_TEST (test_batching_stats)
{
  const gsize n = 32000;
  float *x = noise (n, 21);
  GstHarness *h;
  GArray *got;

  /* windows of 4000 samples (22 frames) every 1920 samples (12 hops) */
  h = harness_new ("window=0.25 window-hop=0.12 post-messages=false");
  gst_harness_set_src_caps_str (h, CAPS_F32);
  got = push_collect (h, x, n, 16000, 0, "log-mel");
  /* buffer 1 completes windows 0..6 (7 windows, 22 + 6 x 12 frames),
   * buffer 2 windows 7..14 (8 windows, 8 x 12 new frames: window 7 takes
   * 10 frames from window 6, computed by the first submission) */
  fail_unless_equals_int (got->len, 15);
  check_stats (h, 15, 2, 22 + 6 * 12 + 8 * 12);
  got_free (got);
  gst_harness_teardown (h);

  /* live-sized buffers (10 ms): one window per submission */
  h = harness_new ("window=0.25 window-hop=0.12 post-messages=false");
  gst_harness_set_src_caps_str (h, CAPS_F32);
  got = push_collect (h, x, 8000, 160, 0, "log-mel");
  fail_unless_equals_int (got->len, 3);
  check_stats (h, 3, 3, 22 + 2 * 12);
  {
    OmniLogMelParams p;
    guint k;
    omni_logmel_params_init (&p, RATE);
    for (k = 0; k < got->len; k++)
      fail_unless (
          patch_error (&p, x + k * 1920, 4000, g_array_index (got, Got, k).data,
              g_array_index (got, Got, k).n)
          <= 1e-3);
  }
  got_free (got);
  gst_harness_teardown (h);
  check_validation ();
  g_free (x);
}

GST_END_TEST;

/* Front-end properties may change while playing: the next buffer rebuilds
 * the front end and restarts the windows there. */
GST_START_TEST (test_change_while_playing)
{
  const gsize n = 16000;
  float *x = noise (n, 31);
  GstHarness *h = harness_new ("window=0.25 window-hop=0.25");
  GArray *got;
  OmniLogMelParams p;
  Got *g;

  gst_harness_set_src_caps_str (h, CAPS_F32);
  got = push_collect (h, x, 8000, 4000, 0, "log-mel");
  fail_unless_equals_int (got->len, 2);
  fail_unless_equals_uint64 (g_array_index (got, Got, 0).dims[1], 64);
  got_free (got);

  g_object_set (h->element, "n-mels", 40, "mel-scale", 1, NULL);
  got = push_collect (h, x + 8000, 8000, 4000, 8000 * NS_PER_SAMPLE, "log-mel");
  fail_unless_equals_int (got->len, 2);
  g = &g_array_index (got, Got, 0);
  fail_unless_equals_uint64 (g->dims[1], 40);
  /* windows restart at the first buffer after the change */
  fail_unless_equals_uint64 (g->start, 8000 * NS_PER_SAMPLE);
  omni_logmel_params_init (&p, RATE);
  p.n_mels = 40;
  p.htk = TRUE;
  fail_unless (patch_error (&p, x + 8000, 4000, g->data, g->n) <= 1e-3);
  got_free (got);
  gst_harness_teardown (h);
  check_validation ();
  g_free (x);
}

GST_END_TEST;

static Suite *
omniaudioenc_suite (void)
{
  Suite *s = suite_create ("omniaudioenc");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_window_spans_buffer_sizes);
  tcase_add_test (tc, test_segment_and_seek);
  tcase_add_test (tc, test_discont);
  tcase_add_test (tc, test_tone_band_and_messages);
  tcase_add_test (tc, test_latency);
  tcase_add_test (tc, test_silence_and_nan);
  tcase_add_test (tc, test_short_stream);
  tcase_add_test (tc, test_fmax_clamped);
  tcase_add_test (tc, test_s16_stereo_mfcc_deltas);
  tcase_add_test (tc, test_bad_settings);
  tcase_add_test (tc, test_whisper_like);
  tcase_add_test (tc, test_model);
  tcase_add_test (tc, test_model_mismatch);
  tcase_add_test (tc, test_unverified_model);
  tcase_add_test (tc, test_batching_stats);
  tcase_add_test (tc, test_change_while_playing);
  return s;
}

GST_CHECK_MAIN (omniaudioenc);
