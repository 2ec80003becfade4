/* gst-omni: log-mel / MFCC front end in Vulkan compute
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One submission per batch of windows:
 *   audio_stft       one workgroup per distinct STFT frame of the batch:
 *                    Hann window, real FFT, |X|^2 or |X|, mel filterbank,
 *                    log without the top_db floor            -> frames
 *   audio_patch_max  per window, the maximum of its frames    -> wmax
 *   audio_patch      per window, floor and DCT-II             -> features
 *   audio_delta      per window, Savitzky-Golay deltas        -> deltas
 *   audio_pool       per window, mean and std of each feature -> embedding
 * Overlapping windows whose starts are a whole number of hops apart share
 * their frames, so each frame of the batch is transformed once; with
 * omni_mel_vk_process_stream() the first window of a batch also takes the
 * frames it shares with the last window of the previous batch from there
 * (two frame buffers, used in turn, and a copy on the device).
 *
 * Every coefficient table is computed on the CPU by the code the double
 * reference uses (omnilogmelref.c: window, DCT matrix, delta filter) and by
 * omnimel (mel filterbank weights, stored sparse by row), then uploaded
 * once. The window and the FFT twiddles are computed in double precision
 * and uploaded as float32 (hi, lo) pairs: audio_stft computes window, FFT
 * and real split in compensated float32 arithmetic (see the shader), which
 * keeps every band within 1e-3 dB of the double reference even 130 dB
 * below the window's peak. The tables audio_stft reads are uniform texel
 * buffers (vector gathers on lavapipe); they are small, far below the
 * 65536 texels every device allows.
 *
 * Test knob: OMNI_MELVK_MAX_LOCAL=N caps audio_stft's workgroup size at N
 * invocations, so that lavapipe runs the path of devices too small for one
 * butterfly per invocation.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnimelvk.h"

#include <math.h>
#include <string.h>

#include <omni/vk/omnivkbuffer.h>
#include <omni/vk/omnivkcommand.h>
#include <omni/vk/omnivkerror.h>
#include <omni/vk/omnivkpipeline.h>

GST_DEBUG_CATEGORY_STATIC (omni_mel_vk_debug);
#define GST_CAT_DEFAULT omni_mel_vk_debug

#define MAX_GROUPS 65535u
/* the most odd-radix FFT passes audio_stft.comp takes */
#define MAX_ODD_PASSES 6

typedef struct {
  guint n4, n2, n_odd, odd[MAX_ODD_PASSES];
  guint max_butterflies;
} FftPlan;

struct _OmniMelVk {
  OmniVkDevice *device;
  OmniLogMelParams p;
  guint window, hop_hint, n_frames, n_feat, half, stft_local, local;
  /* the FFT's passes, butterflies per invocation */
  FftPlan plan;
  guint bpi;
  gboolean dft, floor;
  guint max_windows, max_frames, max_samples;

  OmniVkPipeline *stft, *pmax, *patch, *delta, *pool;
  OmniVkBuffer *samples, *offsets, *win, *twiddle, *rows, *weights;
  OmniVkBuffer *frames, *frames_prev; /* this batch's, the previous one's */
  OmniVkBuffer *bases, *wmax, *dct, *coeffs, *features, *deltas, *embedding;
  /* host-visible copies when the outputs live in device-only memory */
  OmniVkBuffer *features_dl, *deltas_dl, *embedding_dl;
  OmniVkCommand *cmd;

  guint32 *frame_off, *base_host;
  /* the last window of the previous batch, when streaming */
  gboolean have_prev;
  guint64 prev_start; /* its stream position */
  guint prev_base;    /* its first frame in frames_prev */
  guint64 frames_computed, submissions;
};

static void
debug_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (
        omni_mel_vk_debug, "omnimelvk", 0, "Vulkan log-mel front end");
    g_once_init_leave (&done, 1);
  }
}

/* The Stockham passes of audio_stft.comp for an m-point complex FFT:
 * radix 4 while 4 divides the rest, one radix 2 for an odd power of two,
 * then one pass per factor 3, 5 or 7 (at most MAX_ODD_PASSES). Returns
 * FALSE when m has another prime factor, or too many odd ones (the shader
 * then does a direct DFT). */
static gboolean
plan_fft (guint m, FftPlan *plan)
{
  static const guint odd[] = { 3, 5, 7 };
  guint rem = m, o, i;

  memset (plan, 0, sizeof (*plan));
  for (i = 0; i < MAX_ODD_PASSES; i++)
    plan->odd[i] = 3;
  while (rem % 4 == 0) {
    plan->n4++;
    rem /= 4;
  }
  if (rem % 2 == 0) {
    plan->n2 = 1;
    rem /= 2;
  }
  for (o = 0; o < G_N_ELEMENTS (odd); o++)
    while (rem % odd[o] == 0) {
      if (plan->n_odd == MAX_ODD_PASSES)
        return FALSE;
      plan->odd[plan->n_odd++] = odd[o];
      rem /= odd[o];
    }
  /* m == 1 (n_fft 2) has no pass at all: the DFT loads its input */
  if (rem != 1 || m < 2)
    return FALSE;
  /* the most butterflies of a radix-4 or radix-2 pass (odd passes loop
   * over theirs) */
  plan->max_butterflies = MAX (plan->n2 ? m / 2 : m / 4, 1);
  return TRUE;
}

/* sizes are rounded up to whole RGBA32F texels, so that any buffer may be
 * bound as a texel buffer */
static OmniVkBuffer *
new_buffer (OmniMelVk *mv, gsize size, OmniVkMemoryUsage usage,
    gconstpointer data, GError **error)
{
  OmniVkBuffer *buf = omni_vk_buffer_new (
      mv->device, MAX ((size + 15) & ~(gsize) 15, 16), usage, error);

  if (buf && data && !omni_vk_buffer_write (buf, 0, data, size, error)) {
    omni_vk_buffer_unref (buf);
    return NULL;
  }
  return buf;
}

/* @d as hi + lo, the float32 nearest to @d and the float32 nearest to the
 * rest: a double-float pair (Dekker 1971) */
static void
split_double (double d, gfloat *hi, gfloat *lo)
{
  *hi = (gfloat) d;
  *lo = (gfloat) (d - (double) *hi);
}

/* W_n^j = exp (-2 pi i j / n) as (hi.re, hi.im, lo.re, lo.im), from the
 * double sin/cos (error ~1e-16, well below the pair's 2^-48) */
static void
twiddle (guint j, guint n, gfloat *out)
{
  double a = 2.0 * G_PI * (double) (j % n) / (double) n;

  split_double (cos (a), &out[0], &out[2]);
  split_double (-sin (a), &out[1], &out[3]);
}

static gboolean
upload_tables (OmniMelVk *mv, GError **error)
{
  const OmniLogMelParams *p = &mv->p;
  guint n_fft = p->n_fft, m = mv->half, i, k, n_w = 0;
  OmniMelFilterbank *fb;
  double *dwin;
  gfloat *fwin, *tw, *wts, *rows;
  gboolean ok = FALSE;

  /* window, per sample pair (hi, hi, lo, lo): double values split into
   * two float32 (the shader computes in compensated arithmetic) */
  dwin = g_new (double, n_fft);
  fwin = g_new (gfloat, 2 * n_fft);
  omni_logmel_window (p, dwin);
  for (i = 0; i < m; i++) {
    split_double (dwin[2 * i], &fwin[4 * i], &fwin[4 * i + 2]);
    split_double (dwin[2 * i + 1], &fwin[4 * i + 1], &fwin[4 * i + 3]);
  }
  g_free (dwin);
  mv->win = new_buffer (
      mv, 2 * n_fft * sizeof (gfloat), OMNI_VK_MEMORY_DEVICE, fwin, error);
  g_free (fwin);
  if (!mv->win)
    return FALSE;

  /* twiddles: W_M^j, j < M, then W_N^k, k <= M, each (hi.re, hi.im,
   * lo.re, lo.im); the angle is reduced exactly before the double-precision
   * sin/cos */
  tw = g_new (gfloat, 4 * (2 * m + 1));
  for (i = 0; i < m; i++)
    twiddle (i, m, tw + 4 * i);
  for (k = 0; k <= m; k++)
    twiddle (k, n_fft, tw + 4 * (m + k));
  mv->twiddle = new_buffer (
      mv, (2 * m + 1) * 4 * sizeof (gfloat), OMNI_VK_MEMORY_DEVICE, tw, error);
  g_free (tw);
  if (!mv->twiddle)
    return FALSE;

  /* mel filterbank, sparse rows */
  fb = omni_logmel_filterbank_new (p);
  if (!fb) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
        "cannot build the mel filterbank");
    return FALSE;
  }
  rows = g_new0 (gfloat, 4 * p->n_mels);
  for (i = 0; i < p->n_mels; i++) {
    guint first, count;
    omni_mel_filterbank_get_range (fb, i, &first, &count);
    n_w += count;
  }
  wts = g_new (gfloat, MAX (n_w, 1));
  n_w = 0;
  for (i = 0; i < p->n_mels; i++) {
    guint first, count;
    omni_mel_filterbank_get_range (fb, i, &first, &count);
    /* exact as float: all below 2^24 */
    rows[4 * i] = first;
    rows[4 * i + 1] = count;
    rows[4 * i + 2] = n_w;
    memcpy (wts + n_w,
        omni_mel_filterbank_get_weights (fb)
            + (gsize) i * omni_mel_filterbank_get_n_bins (fb) + first,
        count * sizeof (gfloat));
    n_w += count;
  }
  omni_mel_filterbank_free (fb);
  if (MAX (2 * m + 1, (n_w + 3) / 4)
      > omni_vk_device_get_max_texels (mv->device)) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
        "n-fft %u: the FFT and mel tables (%u and %u texels) do not fit the "
        "device's texel buffers (%" G_GUINT64_FORMAT " texels)",
        n_fft, 2 * m + 1, (n_w + 3) / 4,
        omni_vk_device_get_max_texels (mv->device));
    g_free (rows);
    g_free (wts);
    return FALSE;
  }
  mv->rows = new_buffer (
      mv, 4 * p->n_mels * sizeof (gfloat), OMNI_VK_MEMORY_DEVICE, rows, error);
  if (mv->rows)
    mv->weights = new_buffer (
        mv, MAX (n_w, 1) * sizeof (gfloat), OMNI_VK_MEMORY_DEVICE, wts, error);
  g_free (rows);
  g_free (wts);
  if (!mv->weights)
    return FALSE;

  /* DCT-II matrix [n_mfcc x n_mels] */
  if (p->n_mfcc > 0) {
    double *d = g_new (double, p->n_mfcc * p->n_mels);
    gfloat *f = g_new (gfloat, p->n_mfcc * p->n_mels);
    omni_logmel_dct_matrix (p->n_mels, p->n_mfcc, d);
    for (i = 0; i < p->n_mfcc * p->n_mels; i++)
      f[i] = (gfloat) d[i];
    mv->dct = new_buffer (mv, p->n_mfcc * p->n_mels * sizeof (gfloat),
        OMNI_VK_MEMORY_DEVICE, f, error);
    g_free (d);
    g_free (f);
  } else {
    mv->dct = new_buffer (mv, 4, OMNI_VK_MEMORY_DEVICE, NULL, error);
  }
  if (!mv->dct)
    return FALSE;

  /* delta filters [order x width] */
  if (p->delta_order > 0) {
    guint o, w = p->delta_width;
    double *c = g_new (double, w);
    gfloat *f = g_new (gfloat, p->delta_order * w);
    ok = TRUE;
    for (o = 1; o <= p->delta_order && ok; o++) {
      ok = omni_logmel_delta_coeffs (w, o, c);
      for (i = 0; i < w && ok; i++)
        f[(o - 1) * w + i] = (gfloat) c[i];
    }
    if (ok)
      mv->coeffs = new_buffer (mv, p->delta_order * w * sizeof (gfloat),
          OMNI_VK_MEMORY_DEVICE, f, error);
    else
      g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
          "invalid delta filter (width %u)", w);
    g_free (c);
    g_free (f);
    if (!mv->coeffs)
      return FALSE;
  }
  return TRUE;
}

static gboolean
create_pipelines (OmniMelVk *mv, GError **error)
{
  const OmniLogMelParams *p = &mv->p;
  static const OmniVkAccess stft_b[]
      = { OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_READ_TEXELS,
          OMNI_VK_ACCESS_READ_TEXELS, OMNI_VK_ACCESS_READ_TEXELS,
          OMNI_VK_ACCESS_READ_TEXELS, OMNI_VK_ACCESS_WRITE };
  static const OmniVkAccess max_b[]
      = { OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_WRITE };
  static const OmniVkAccess patch_b[]
      = { OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_READ,
          OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_WRITE };
  static const OmniVkAccess rw_b[]
      = { OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_WRITE };
  static const OmniVkAccess pool_b[]
      = { OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_WRITE };
  guint32 stft_sc[19] = { mv->stft_local, mv->half, p->n_mels, mv->bpi,
    p->spectrum == OMNI_LOGMEL_SPECTRUM_MAGNITUDE,
    p->log == OMNI_LOGMEL_LOG_DB   ? 0
    : p->log == OMNI_LOGMEL_LOG_LN ? 1
                                   : 2,
    omni_vk_float_bits ((gfloat) p->log_offset), mv->dft, mv->plan.n4,
    mv->plan.n2, mv->plan.n_odd, mv->plan.odd[0], mv->plan.odd[1],
    mv->plan.odd[2], mv->plan.odd[3], mv->plan.odd[4], mv->plan.odd[5],
    mv->dft ? (mv->half + mv->stft_local - 1) / mv->stft_local : 4,
    !mv->dft && mv->plan.n_odd > 0 ? mv->half : 1 };
  guint32 max_sc[2] = { p->n_mels, mv->n_frames };
  guint32 patch_sc[7] = { mv->local, p->n_mels, mv->n_frames, mv->n_feat,
    p->n_mfcc > 0, mv->floor, omni_vk_float_bits ((gfloat) p->top_db) };
  guint32 delta_sc[5]
      = { mv->local, mv->n_frames, mv->n_feat, p->delta_width, p->delta_order };
  guint32 pool_sc[3] = { mv->local, mv->n_frames, mv->n_feat };

  mv->stft = omni_vk_pipeline_new (mv->device, "audio_stft", stft_b,
      G_N_ELEMENTS (stft_b), 2 * sizeof (guint32), stft_sc,
      G_N_ELEMENTS (stft_sc), error);
  if (!mv->stft)
    return FALSE;
  if (mv->floor) {
    mv->pmax = omni_vk_pipeline_new (mv->device, "audio_patch_max", max_b,
        G_N_ELEMENTS (max_b), sizeof (guint32), max_sc, G_N_ELEMENTS (max_sc),
        error);
    if (!mv->pmax)
      return FALSE;
  }
  mv->patch = omni_vk_pipeline_new (mv->device, "audio_patch", patch_b,
      G_N_ELEMENTS (patch_b), sizeof (guint32), patch_sc,
      G_N_ELEMENTS (patch_sc), error);
  if (!mv->patch)
    return FALSE;
  if (p->delta_order > 0) {
    mv->delta = omni_vk_pipeline_new (mv->device, "audio_delta", rw_b,
        G_N_ELEMENTS (rw_b), sizeof (guint32), delta_sc,
        G_N_ELEMENTS (delta_sc), error);
    if (!mv->delta)
      return FALSE;
  }
  mv->pool = omni_vk_pipeline_new (mv->device, "audio_pool", pool_b,
      G_N_ELEMENTS (pool_b), sizeof (guint32), pool_sc, G_N_ELEMENTS (pool_sc),
      error);
  return mv->pool != NULL;
}

static gboolean
create_buffers (OmniMelVk *mv, GError **error)
{
  gsize fsz = (gsize) mv->max_windows * mv->n_frames * mv->n_feat;
  gsize dsz = fsz * mv->p.delta_order;
  gsize esz = (gsize) mv->max_windows * 2 * mv->n_feat;

  mv->samples = new_buffer (mv, (gsize) mv->max_samples * sizeof (gfloat),
      OMNI_VK_MEMORY_UPLOAD, NULL, error);
  if (!mv->samples)
    return FALSE;
  mv->offsets = new_buffer (mv, (gsize) mv->max_frames * sizeof (guint32),
      OMNI_VK_MEMORY_UPLOAD, NULL, error);
  if (!mv->offsets)
    return FALSE;
  mv->bases = new_buffer (mv, (gsize) mv->max_windows * sizeof (guint32),
      OMNI_VK_MEMORY_UPLOAD, NULL, error);
  if (!mv->bases)
    return FALSE;
  mv->frames
      = new_buffer (mv, (gsize) mv->max_frames * mv->p.n_mels * sizeof (gfloat),
          OMNI_VK_MEMORY_DEVICE, NULL, error);
  if (!mv->frames)
    return FALSE;
  mv->frames_prev
      = new_buffer (mv, (gsize) mv->max_frames * mv->p.n_mels * sizeof (gfloat),
          OMNI_VK_MEMORY_DEVICE, NULL, error);
  if (!mv->frames_prev)
    return FALSE;
  mv->wmax = new_buffer (mv, (gsize) mv->max_windows * sizeof (gfloat),
      OMNI_VK_MEMORY_DEVICE, NULL, error);
  if (!mv->wmax)
    return FALSE;
  mv->features = new_buffer (
      mv, fsz * sizeof (gfloat), OMNI_VK_MEMORY_DEVICE, NULL, error);
  if (!mv->features)
    return FALSE;
  mv->embedding = new_buffer (
      mv, esz * sizeof (gfloat), OMNI_VK_MEMORY_DEVICE, NULL, error);
  if (!mv->embedding)
    return FALSE;
  if (dsz > 0) {
    mv->deltas = new_buffer (
        mv, dsz * sizeof (gfloat), OMNI_VK_MEMORY_DEVICE, NULL, error);
    if (!mv->deltas)
      return FALSE;
  }
  if (!omni_vk_buffer_is_host_visible (mv->features)) {
    mv->features_dl = new_buffer (
        mv, fsz * sizeof (gfloat), OMNI_VK_MEMORY_DOWNLOAD, NULL, error);
    if (!mv->features_dl)
      return FALSE;
    mv->embedding_dl = new_buffer (
        mv, esz * sizeof (gfloat), OMNI_VK_MEMORY_DOWNLOAD, NULL, error);
    if (!mv->embedding_dl)
      return FALSE;
    if (dsz > 0) {
      mv->deltas_dl = new_buffer (
          mv, dsz * sizeof (gfloat), OMNI_VK_MEMORY_DOWNLOAD, NULL, error);
      if (!mv->deltas_dl)
        return FALSE;
    }
  }
  mv->frame_off = g_new (guint32, mv->max_frames);
  mv->base_host = g_new (guint32, mv->max_windows);
  return TRUE;
}

/**
 * omni_mel_vk_new:
 * @device: the device to run on
 * @params: the front end's parameters (omni_logmel_params_check() must
 *   accept them for the window's frame count)
 * @window_samples: samples per window, >= n_fft
 * @window_hop: the usual distance between window starts in samples (sizes
 *   the sample buffer of a batch; other distances work too)
 * @max_windows: most windows per submission, >= 1
 * @error: return location for an error
 *
 * Builds the pipelines and uploads the coefficient tables.
 *
 * Returns: (transfer full) (nullable): the front end, or %NULL with @error
 *   set (%OMNI_VK_ERROR_INVALID for parameters the device cannot run, or any
 *   Vulkan error)
 */
OmniMelVk *
omni_mel_vk_new (OmniVkDevice *device, const OmniLogMelParams *params,
    guint window_samples, guint window_hop, guint max_windows, GError **error)
{
  OmniMelVk *mv;
  gchar *msg = NULL;
  const VkPhysicalDeviceLimits *lim;
  guint n_frames;

  g_return_val_if_fail (OMNI_IS_VK_DEVICE (device), NULL);
  g_return_val_if_fail (params != NULL, NULL);
  debug_init ();

  n_frames = omni_logmel_n_frames (params, window_samples);
  if (n_frames == 0) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
        "a window of %u samples is shorter than n-fft (%u)", window_samples,
        params->n_fft);
    return NULL;
  }
  if (!omni_logmel_params_check (params, n_frames, &msg)) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID, "%s", msg);
    g_free (msg);
    return NULL;
  }
  if (max_windows < 1)
    max_windows = 1;
  lim = omni_vk_device_get_limits (device);
  /* n_fft / 2 compensated complex values (16 bytes each) */
  if ((gsize) params->n_fft / 2 * 16 > lim->maxComputeSharedMemorySize) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
        "n-fft %u needs %u bytes of shared memory per workgroup; the device "
        "has %u (largest n-fft: %u)",
        params->n_fft, params->n_fft * 8, lim->maxComputeSharedMemorySize,
        lim->maxComputeSharedMemorySize / 8);
    return NULL;
  }

  mv = g_new0 (OmniMelVk, 1);
  mv->device = gst_object_ref (device);
  mv->p = *params;
  mv->window = window_samples;
  mv->hop_hint = window_hop > 0 ? window_hop : window_samples;
  mv->n_frames = n_frames;
  mv->n_feat = omni_logmel_n_features (params);
  mv->half = params->n_fft / 2;
  mv->floor = params->log == OMNI_LOGMEL_LOG_DB && params->top_db > 0.0;
  mv->local = omni_vk_device_get_local_size (device, 64);
  mv->dft = !plan_fft (mv->half, &mv->plan);
  /* odd-radix passes write to a second array of n_fft / 2 values; without
   * room for it, the direct DFT */
  if (!mv->dft && mv->plan.n_odd > 0
      && (gsize) params->n_fft * 16 > lim->maxComputeSharedMemorySize)
    mv->dft = TRUE;
  if (mv->dft) {
    /* one output per invocation and loop, kept in registers */
    mv->stft_local
        = omni_vk_device_get_local_size (device, CLAMP (mv->half / 4, 1, 256));
    mv->bpi = 1;
  } else {
    /* enough invocations for one butterfly of every pass each, when the
     * device allows: a whole number of subgroups */
    guint sg = MAX (omni_vk_device_get_subgroup_size (device), 1);
    guint nb = mv->plan.max_butterflies;
    const gchar *cap = g_getenv ("OMNI_MELVK_MAX_LOCAL");
    mv->stft_local
        = omni_vk_device_get_local_size (device, (nb + sg - 1) / sg * sg);
    /* OMNI_MELVK_MAX_LOCAL lowers the workgroup size, to exercise the path
     * of devices whose workgroups are too small for one butterfly per
     * invocation */
    if (cap && g_ascii_strtoull (cap, NULL, 10) > 0)
      mv->stft_local
          = MIN (mv->stft_local, (guint) g_ascii_strtoull (cap, NULL, 10));
    mv->bpi = (nb + mv->stft_local - 1) / mv->stft_local;
  }
  mv->max_windows = max_windows;
  mv->max_frames = max_windows * n_frames;
  mv->max_samples = window_samples + (max_windows - 1) * mv->hop_hint;
  if (mv->dft)
    GST_INFO ("n_fft %u: n_fft/2 has a prime factor above 7, the shader "
              "uses a direct DFT (O(n_fft^2) per frame)",
        params->n_fft);
  GST_DEBUG ("F %u C %u M %u local %u passes: %u x 4, %u x 2, %u odd; "
             "butterflies per invocation %u max windows %u samples %u",
      n_frames, mv->n_feat, mv->half, mv->stft_local, mv->plan.n4, mv->plan.n2,
      mv->plan.n_odd, mv->bpi, max_windows, mv->max_samples);

  if (!upload_tables (mv, error) || !create_pipelines (mv, error)
      || !create_buffers (mv, error)) {
    omni_mel_vk_free (mv);
    return NULL;
  }
  mv->cmd = omni_vk_command_new (device, error);
  if (!mv->cmd) {
    omni_mel_vk_free (mv);
    return NULL;
  }
  return mv;
}

/**
 * omni_mel_vk_free:
 * @mv: (transfer full) (nullable): a front end
 */
void
omni_mel_vk_free (OmniMelVk *mv)
{
  OmniVkBuffer **bufs[] = { &mv->samples, &mv->offsets, &mv->win, &mv->twiddle,
    &mv->rows, &mv->weights, &mv->frames, &mv->frames_prev, &mv->bases,
    &mv->wmax, &mv->dct, &mv->coeffs, &mv->features, &mv->deltas,
    &mv->embedding, &mv->features_dl, &mv->deltas_dl, &mv->embedding_dl };
  OmniVkPipeline **pipes[]
      = { &mv->stft, &mv->pmax, &mv->patch, &mv->delta, &mv->pool };
  guint i;

  if (!mv)
    return;
  if (mv->cmd) {
    if (omni_vk_command_is_pending (mv->cmd))
      omni_vk_command_wait (mv->cmd, OMNI_VK_DEFAULT_TIMEOUT_NS, NULL);
    omni_vk_command_unref (mv->cmd);
  }
  for (i = 0; i < G_N_ELEMENTS (bufs); i++)
    g_clear_pointer (bufs[i], omni_vk_buffer_unref);
  for (i = 0; i < G_N_ELEMENTS (pipes); i++)
    g_clear_pointer (pipes[i], omni_vk_pipeline_unref);
  g_free (mv->frame_off);
  g_free (mv->base_host);
  gst_object_unref (mv->device);
  g_free (mv);
}

/**
 * omni_mel_vk_get_n_frames:
 * @mv: a front end
 *
 * Returns: STFT frames per window (F)
 */
guint
omni_mel_vk_get_n_frames (OmniMelVk *mv)
{
  return mv->n_frames;
}

/**
 * omni_mel_vk_get_n_features:
 * @mv: a front end
 *
 * Returns: values per frame (C): n_mfcc, or n_mels without MFCC
 */
guint
omni_mel_vk_get_n_features (OmniMelVk *mv)
{
  return mv->n_feat;
}

/**
 * omni_mel_vk_get_max_windows:
 * @mv: a front end
 *
 * Returns: the most windows one submission holds
 */
guint
omni_mel_vk_get_max_windows (OmniMelVk *mv)
{
  return mv->max_windows;
}

/**
 * omni_mel_vk_get_device:
 * @mv: a front end
 *
 * Returns: (transfer none): its device
 */
OmniVkDevice *
omni_mel_vk_get_device (OmniMelVk *mv)
{
  return mv->device;
}

/**
 * omni_mel_vk_get_n_frames_computed:
 * @mv: a front end
 *
 * Returns: how many STFT frames the device has transformed so far (frames
 *   shared by overlapping windows of one batch count once)
 */
guint64
omni_mel_vk_get_n_frames_computed (OmniMelVk *mv)
{
  return mv->frames_computed;
}

/**
 * omni_mel_vk_get_n_submissions:
 * @mv: a front end
 *
 * Returns: how many batches have been submitted so far
 */
guint64
omni_mel_vk_get_n_submissions (OmniMelVk *mv)
{
  return mv->submissions;
}

static gboolean
read_out (OmniVkBuffer *buf, OmniVkBuffer *dl, gsize n_floats, gfloat *dst,
    GError **error)
{
  if (!dst)
    return TRUE;
  return omni_vk_buffer_read (
      dl ? dl : buf, 0, dst, n_floats * sizeof (gfloat), error);
}

/* One submission for windows [w0, w0 + nw) whose samples all lie in
 * samples[offsets[w0], offsets[w0 + nw - 1] + window). samples[0] is at
 * stream position @position when @stream. */
static gboolean
run_batch (OmniMelVk *mv, const gfloat *samples, const gsize *offsets, guint nw,
    gboolean stream, guint64 position, gfloat *features, gfloat *deltas,
    gfloat *embedding, GError **error)
{
  const OmniLogMelParams *p = &mv->p;
  gsize origin = offsets[0];
  gsize span = offsets[nw - 1] + mv->window - origin;
  guint hop = p->hop, F = mv->n_frames, C = mv->n_feat, nf = 0, w, j, g;
  gsize fsz = (gsize) nw * F * C, esz = (gsize) nw * 2 * C;
  guint32 n_windows = nw;
  guint reuse = 0, skip = 0;

  /* the first window takes the frames it shares with the previous batch's
   * last window when it starts a whole number of hops after it */
  if (stream && mv->have_prev && position + origin >= mv->prev_start) {
    guint64 d = position + origin - mv->prev_start;
    if (d % hop == 0 && d / hop < F) {
      skip = (guint) (d / hop);
      reuse = F - skip;
    }
  }

  /* frames: a window whose start is a whole number of hops after the
   * previous one's, and overlaps it, reuses that window's later frames */
  for (w = 0; w < nw; w++) {
    gsize rel = offsets[w] - origin;
    guint first_new = 0;

    if (w > 0) {
      gsize d = offsets[w] - offsets[w - 1];
      if (d % hop == 0 && d / hop < F) {
        mv->base_host[w] = mv->base_host[w - 1] + (guint) (d / hop);
        first_new = F - (guint) (d / hop);
      } else {
        mv->base_host[w] = nf;
      }
    } else {
      mv->base_host[w] = 0;
      first_new = reuse;
      nf = reuse;
    }
    for (j = first_new; j < F; j++)
      mv->frame_off[nf++] = (guint32) (rel + (gsize) j * hop);
  }

  if (!omni_vk_buffer_write (
          mv->samples, 0, samples + origin, span * sizeof (gfloat), error)
      || !omni_vk_buffer_write (
          mv->offsets, 0, mv->frame_off, nf * sizeof (guint32), error)
      || !omni_vk_buffer_write (
          mv->bases, 0, mv->base_host, nw * sizeof (guint32), error))
    return FALSE;

  if (!omni_vk_command_begin (mv->cmd, error))
    return FALSE;
  if (reuse > 0)
    omni_vk_command_copy_buffer (mv->cmd, mv->frames_prev,
        (gsize) (mv->prev_base + skip) * p->n_mels * sizeof (gfloat),
        mv->frames, 0, (gsize) reuse * p->n_mels * sizeof (gfloat));
  {
    OmniVkBuffer *b[] = { mv->samples, mv->offsets, mv->win, mv->twiddle,
      mv->rows, mv->weights, mv->frames };
    for (g = reuse; g < nf; g += MAX_GROUPS) {
      guint32 pc[2] = { g, nf };
      omni_vk_command_dispatch_buffers (mv->cmd, mv->stft, b, G_N_ELEMENTS (b),
          pc, sizeof (pc), MIN (MAX_GROUPS, nf - g), 1, 1);
    }
  }
  if (mv->floor) {
    OmniVkBuffer *b[] = { mv->frames, mv->bases, mv->wmax };
    omni_vk_command_dispatch_buffers (mv->cmd, mv->pmax, b, G_N_ELEMENTS (b),
        &n_windows, sizeof (n_windows), nw, 1, 1);
  }
  {
    OmniVkBuffer *b[]
        = { mv->frames, mv->bases, mv->wmax, mv->dct, mv->features };
    omni_vk_command_dispatch_buffers (mv->cmd, mv->patch, b, G_N_ELEMENTS (b),
        &n_windows, sizeof (n_windows), omni_vk_group_count (fsz, mv->local), 1,
        1);
  }
  if (mv->delta) {
    OmniVkBuffer *b[] = { mv->features, mv->coeffs, mv->deltas };
    omni_vk_command_dispatch_buffers (mv->cmd, mv->delta, b, G_N_ELEMENTS (b),
        &n_windows, sizeof (n_windows),
        omni_vk_group_count (fsz * p->delta_order, mv->local), 1, 1);
  }
  {
    OmniVkBuffer *b[] = { mv->features, mv->embedding };
    omni_vk_command_dispatch_buffers (mv->cmd, mv->pool, b, G_N_ELEMENTS (b),
        &n_windows, sizeof (n_windows),
        omni_vk_group_count ((gsize) nw * C, mv->local), 1, 1);
  }
  if (mv->features_dl) {
    omni_vk_command_copy_buffer (
        mv->cmd, mv->features, 0, mv->features_dl, 0, fsz * sizeof (gfloat));
    omni_vk_command_copy_buffer (
        mv->cmd, mv->embedding, 0, mv->embedding_dl, 0, esz * sizeof (gfloat));
    if (mv->deltas)
      omni_vk_command_copy_buffer (mv->cmd, mv->deltas, 0, mv->deltas_dl, 0,
          fsz * p->delta_order * sizeof (gfloat));
  }
  mv->have_prev = FALSE;
  if (!omni_vk_command_end (mv->cmd, error)
      || !omni_vk_command_run (mv->cmd, error))
    return FALSE;
  mv->frames_computed += nf - reuse;
  mv->submissions++;
  if (stream) {
    OmniVkBuffer *t = mv->frames;
    mv->frames = mv->frames_prev;
    mv->frames_prev = t;
    mv->prev_start = position + offsets[nw - 1];
    mv->prev_base = mv->base_host[nw - 1];
    mv->have_prev = TRUE;
  }

  return read_out (mv->features, mv->features_dl, fsz, features, error)
         && read_out (mv->embedding, mv->embedding_dl, esz, embedding, error)
         && (!mv->deltas
             || read_out (mv->deltas, mv->deltas_dl, fsz * p->delta_order,
                 deltas, error));
}

static gboolean
process (OmniMelVk *mv, const gfloat *samples, gsize n_samples, gboolean stream,
    guint64 position, const gsize *offsets, guint n_windows, gfloat *features,
    gfloat *deltas, gfloat *embedding, GError **error)
{
  guint w0 = 0, i;
  gsize per_win = (gsize) mv->n_frames * mv->n_feat;

  g_return_val_if_fail (mv != NULL, FALSE);
  for (i = 0; i < n_windows; i++) {
    if (offsets[i] + mv->window > n_samples
        || (i > 0 && offsets[i] < offsets[i - 1])) {
      g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID,
          "window %u (offset %" G_GSIZE_FORMAT ") is out of order or beyond "
          "the %" G_GSIZE_FORMAT " samples given",
          i, offsets[i], n_samples);
      return FALSE;
    }
  }
  while (w0 < n_windows) {
    guint nw = 1;
    while (w0 + nw < n_windows && nw < mv->max_windows
           && offsets[w0 + nw] + mv->window - offsets[w0] <= mv->max_samples)
      nw++;
    if (!run_batch (mv, samples, offsets + w0, nw, stream, position,
            features ? features + w0 * per_win : NULL,
            deltas ? deltas + w0 * per_win * mv->p.delta_order : NULL,
            embedding ? embedding + (gsize) w0 * 2 * mv->n_feat : NULL, error))
      return FALSE;
    w0 += nw;
  }
  return TRUE;
}

/**
 * omni_mel_vk_process:
 * @mv: a front end
 * @samples: (array length=n_samples): mono samples (finite values)
 * @n_samples: their number
 * @offsets: (array length=n_windows): start of each window in @samples, in
 *   increasing order; every window must fit: offsets[i] + window_samples <=
 *   @n_samples
 * @n_windows: number of windows
 * @features: (out caller-allocates) (nullable): @n_windows x F x C values
 * @deltas: (out caller-allocates) (nullable): @n_windows x delta_order x F
 *   x C values (ignored without deltas)
 * @embedding: (out caller-allocates) (nullable): @n_windows x 2C values,
 *   per window the mean then the standard deviation of each feature
 * @error: return location for an error
 *
 * Computes the windows, as many per submission as fit (max_windows, and the
 * sample span given by window_hop at creation), and waits for them.
 *
 * Returns: %FALSE with @error set on failure
 */
gboolean
omni_mel_vk_process (OmniMelVk *mv, const gfloat *samples, gsize n_samples,
    const gsize *offsets, guint n_windows, gfloat *features, gfloat *deltas,
    gfloat *embedding, GError **error)
{
  omni_mel_vk_reset (mv);
  return process (mv, samples, n_samples, FALSE, 0, offsets, n_windows,
      features, deltas, embedding, error);
}

/**
 * omni_mel_vk_process_stream:
 * @mv: a front end
 * @samples: (array length=n_samples): mono samples of a stream (finite)
 * @n_samples: their number
 * @position: the stream position (sample index) of @samples[0]
 * @offsets: (array length=n_windows): start of each window in @samples, as
 *   for omni_mel_vk_process()
 * @n_windows: number of windows
 * @features: (out caller-allocates) (nullable): as omni_mel_vk_process()
 * @deltas: (out caller-allocates) (nullable): as omni_mel_vk_process()
 * @embedding: (out caller-allocates) (nullable): as omni_mel_vk_process()
 * @error: return location for an error
 *
 * Like omni_mel_vk_process() for consecutive calls on one stream (live
 * input, one window at a time): the frames a window shares with the last
 * window of the previous call are not computed again. Call
 * omni_mel_vk_reset() when the stream restarts (the positions are only
 * compared, so they must not go back without a reset).
 *
 * Returns: %FALSE with @error set on failure
 */
gboolean
omni_mel_vk_process_stream (OmniMelVk *mv, const gfloat *samples,
    gsize n_samples, guint64 position, const gsize *offsets, guint n_windows,
    gfloat *features, gfloat *deltas, gfloat *embedding, GError **error)
{
  return process (mv, samples, n_samples, TRUE, position, offsets, n_windows,
      features, deltas, embedding, error);
}

/**
 * omni_mel_vk_reset:
 * @mv: a front end
 *
 * Forgets the frames kept for omni_mel_vk_process_stream(): the next window
 * is computed from scratch.
 */
void
omni_mel_vk_reset (OmniMelVk *mv)
{
  mv->have_prev = FALSE;
}
