/* gst-omni: power-of-two decimation with half-band filters
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each stage is a 23-tap linear-phase half-band FIR (windowed sinc, Kaiser
 * beta 6: scipy.signal.firwin (23, 0.5, window=("kaiser", 6.0)) with the
 * even taps set to exactly 0), evaluated only on the samples kept, so it
 * costs 7 multiplications per output sample (Crochiere & Rabiner,
 * "Multirate digital signal processing", 1983, ch. 5.4: half-band filters
 * in multistage decimators). Relative to the input Nyquist frequency the
 * response is -0.2 dB at 0.36, -0.9 dB at 0.41, -6 dB at 0.5 and below
 * -70 dB from 0.68 up: at 44.1 kHz, flat to 8 kHz and -6 dB at 11 kHz.
 * The group delay is 11 input samples per stage, 11 (factor - 1) in all.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnidecimator.h"

#include <stdlib.h>
#include <string.h>

#define HB_HALF 11 /* taps on each side of the centre */
#define HB_CHUNK 1024
#define MAX_STAGES 6

/* the non-zero odd taps at offsets 1, 3, ..., 11 from the centre */
static const float hb_odd[6] = { 0.31111436f, -0.08623762f, 0.03512169f,
  -0.01323767f, 0.00372010f, -0.00043031f };
static const float hb_centre = 0.49989890f;

typedef struct {
  float work[2 * HB_HALF + HB_CHUNK]; /* history, then new input */
  unsigned parity;                    /* input count modulo 2 */
} Stage;

struct _OmniDecimator {
  unsigned factor, n_stages;
  Stage stages[MAX_STAGES];
  float tmp[2][HB_CHUNK];
};

/**
 * omni_decimator_new:
 * @factor: 1, 2, 4, ... 64
 *
 * Returns: (transfer full) (nullable): a new #OmniDecimator, %NULL when
 * @factor is not a power of two in range
 */
OmniDecimator *
omni_decimator_new (unsigned factor)
{
  OmniDecimator *d;
  unsigned s = 0;

  if (factor == 0 || (factor & (factor - 1)) || factor > (1u << MAX_STAGES))
    return NULL;
  if (!(d = calloc (1, sizeof (OmniDecimator))))
    return NULL;
  d->factor = factor;
  while ((1u << s) < factor)
    s++;
  d->n_stages = s;
  return d;
}

/**
 * omni_decimator_get_factor:
 * @d: an #OmniDecimator
 *
 * Returns: the decimation factor
 */
unsigned
omni_decimator_get_factor (const OmniDecimator *d)
{
  return d->factor;
}

/**
 * omni_decimator_get_delay:
 * @d: an #OmniDecimator
 *
 * Output sample m is the filtered input around input sample
 * m * factor - delay.
 *
 * Returns: the group delay in input samples
 */
unsigned
omni_decimator_get_delay (const OmniDecimator *d)
{
  return HB_HALF * (d->factor - 1);
}

/* one stage: n (<= HB_CHUNK) inputs, returns the number of outputs; with
 * @high, also the complementary high band (centre sample minus low-pass
 * output) at the same instants */
static size_t
stage_do (Stage *st, const float *in, size_t n, float *out, float *high)
{
  float *w = st->work;
  size_t i, m = 0;

  memcpy (w + 2 * HB_HALF, in, n * sizeof (float));
  /* input i (0-based in this block) is w[2 * HB_HALF + i]; an output is
   * due when the running input count is even, centred HB_HALF back */
  for (i = (st->parity & 1) ? 1 : 0; i < n; i += 2) {
    const float *c = w + HB_HALF + i; /* the centre sample */
    float y = hb_centre * c[0] + hb_odd[0] * (c[-1] + c[1])
              + hb_odd[1] * (c[-3] + c[3]) + hb_odd[2] * (c[-5] + c[5])
              + hb_odd[3] * (c[-7] + c[7]) + hb_odd[4] * (c[-9] + c[9])
              + hb_odd[5] * (c[-11] + c[11]);
    if (high)
      high[m] = c[0] - y;
    out[m++] = y;
  }
  st->parity = (unsigned) ((st->parity + n) & 1);
  memmove (w, w + n, 2 * HB_HALF * sizeof (float));
  return m;
}

/**
 * omni_decimator_do:
 * @d: an #OmniDecimator
 * @in: (array length=n): input samples
 * @n: number of input samples
 * @out: (out caller-allocates): room for n / factor + 1 samples
 *
 * Returns: the number of output samples written
 */
size_t
omni_decimator_do (OmniDecimator *d, const float *in, size_t n, float *out)
{
  return omni_decimator_do_split (d, in, n, out, NULL);
}

/**
 * omni_decimator_do_split:
 * @d: an #OmniDecimator
 * @in: (array length=n): input samples
 * @n: number of input samples
 * @out: (out caller-allocates): room for n / factor + 1 samples
 * @high: (out caller-allocates) (nullable): room for as many samples: the
 *   band the last stage removes (its input minus its output, between a
 *   quarter and a half of that stage's input rate), sampled at the output
 *   instants, so aliased but with its energy; zeros when the factor is 1
 *
 * Returns: the number of output samples written
 */
size_t
omni_decimator_do_split (
    OmniDecimator *d, const float *in, size_t n, float *out, float *high)
{
  size_t done = 0, total = 0;

  if (d->n_stages == 0) {
    memcpy (out, in, n * sizeof (float));
    if (high)
      memset (high, 0, n * sizeof (float));
    return n;
  }
  while (done < n) {
    size_t len = n - done < HB_CHUNK ? n - done : HB_CHUNK;
    const float *src = in + done;
    unsigned s;

    for (s = 0; s < d->n_stages; s++) {
      gboolean last = s + 1 == d->n_stages;
      float *dst = last ? out + total : d->tmp[s & 1];
      len = stage_do (
          &d->stages[s], src, len, dst, last && high ? high + total : NULL);
      src = dst;
    }
    total += len;
    done += n - done < HB_CHUNK ? n - done : HB_CHUNK;
  }
  return total;
}

/**
 * omni_decimator_reset:
 * @d: an #OmniDecimator
 *
 * Clears the filter history (as if preceded by silence).
 */
void
omni_decimator_reset (OmniDecimator *d)
{
  memset (d->stages, 0, sizeof (d->stages));
}

/**
 * omni_decimator_free:
 * @d: (transfer full) (nullable): an #OmniDecimator
 */
void
omni_decimator_free (OmniDecimator *d)
{
  free (d);
}
