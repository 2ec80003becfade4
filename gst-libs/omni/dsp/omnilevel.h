/* gst-omni: RMS and peak levels in dBFS
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_LEVEL_H__
#define __OMNI_LEVEL_H__

#include <omni/omni-prelude.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/**
 * OmniLevel:
 * @sum_sq: sum of squared samples
 * @peak: largest absolute sample value
 * @n: number of samples
 *
 * An accumulator of one channel's level; zero it (or call
 * omni_level_reset()) to start.
 */
typedef struct {
  double sum_sq;
  double peak;
  uint64_t n;
} OmniLevel;

OMNI_API void omni_level_reset (OmniLevel *level);
OMNI_API void omni_level_add (
    OmniLevel *level, const float *x, size_t n, size_t stride);
OMNI_API void omni_level_add_s16 (
    OmniLevel *level, const int16_t *x, size_t n, size_t stride);
OMNI_API void omni_level_merge (OmniLevel *level, const OmniLevel *other);
OMNI_API double omni_level_rms_db (const OmniLevel *level, double floor_db);
OMNI_API double omni_level_peak_db (const OmniLevel *level, double floor_db);
OMNI_API double omni_amplitude_to_db (double amplitude, double floor_db);

G_END_DECLS

#endif /* __OMNI_LEVEL_H__ */
