/* gst-omni: RMS and peak levels in dBFS
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * dBFS relative to a full-scale square wave (AES17): a full-scale sine has
 * an RMS level of -3.01 dBFS and a peak level of 0 dBFS, as GStreamer's
 * level element reports them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnilevel.h"

#include <math.h>
#include <string.h>

/**
 * omni_level_reset:
 * @level: an #OmniLevel
 */
void
omni_level_reset (OmniLevel *level)
{
  memset (level, 0, sizeof (OmniLevel));
}

/**
 * omni_level_add:
 * @level: an #OmniLevel
 * @x: float samples, full scale = 1.0
 * @n: number of samples to read
 * @stride: distance between samples (the channel count for interleaved
 *   audio), >= 1
 *
 * Non-finite samples (NaN, +-Inf) count as silence.
 */
void
omni_level_add (OmniLevel *level, const float *x, size_t n, size_t stride)
{
  double s = 0.0, p = level->peak;
  size_t i;

  for (i = 0; i < n; i++) {
    float v = x[i * stride];
    if (isfinite (v)) {
      double a = fabs ((double) v);
      s += a * a;
      if (a > p)
        p = a;
    }
  }
  level->sum_sq += s;
  level->peak = p;
  level->n += n;
}

/**
 * omni_level_add_s16:
 * @level: an #OmniLevel
 * @x: 16-bit samples, full scale = 32768
 * @n: number of samples
 * @stride: distance between samples
 */
void
omni_level_add_s16 (OmniLevel *level, const int16_t *x, size_t n, size_t stride)
{
  int64_t s = 0;
  int p = 0;
  size_t i;

  for (i = 0; i < n; i++) {
    int v = x[i * stride];
    int a = v < 0 ? -v : v;
    s += (int64_t) v * v;
    if (a > p)
      p = a;
  }
  level->sum_sq += (double) s / (32768.0 * 32768.0);
  if (p / 32768.0 > level->peak)
    level->peak = p / 32768.0;
  level->n += n;
}

/**
 * omni_level_merge:
 * @level: an #OmniLevel
 * @other: another accumulator, added into @level
 */
void
omni_level_merge (OmniLevel *level, const OmniLevel *other)
{
  level->sum_sq += other->sum_sq;
  if (other->peak > level->peak)
    level->peak = other->peak;
  level->n += other->n;
}

/**
 * omni_amplitude_to_db:
 * @amplitude: linear amplitude, full scale = 1
 * @floor_db: value returned for zero (and anything below it)
 *
 * Returns: 20 log10 (@amplitude), never below @floor_db, never NaN
 */
double
omni_amplitude_to_db (double amplitude, double floor_db)
{
  double db;

  if (!(amplitude > 0.0))
    return floor_db;
  db = 20.0 * log10 (amplitude);
  if (!isfinite (db))
    return db > 0 ? 20.0 * log10 (3.4e38) : floor_db;
  return db < floor_db ? floor_db : db;
}

/**
 * omni_level_rms_db:
 * @level: an #OmniLevel
 * @floor_db: value for silence or no samples
 *
 * Returns: the RMS level in dBFS
 */
double
omni_level_rms_db (const OmniLevel *level, double floor_db)
{
  if (level->n == 0)
    return floor_db;
  return omni_amplitude_to_db (sqrt (level->sum_sq / level->n), floor_db);
}

/**
 * omni_level_peak_db:
 * @level: an #OmniLevel
 * @floor_db: value for silence or no samples
 *
 * Returns: the peak level in dBFS
 */
double
omni_level_peak_db (const OmniLevel *level, double floor_db)
{
  return omni_amplitude_to_db (level->peak, floor_db);
}
