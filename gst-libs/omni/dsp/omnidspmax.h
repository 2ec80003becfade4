/* gst-omni: the largest of an array, for the DSP objects (private)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_DSP_MAX_H__
#define __OMNI_DSP_MAX_H__

#include <stddef.h>

/* the largest of @n values and @floor (NaN left out), in 8 partial maxima:
 * with size_t indices GCC vectorises the loop (the dsp library is built
 * with -fvect-cost-model=dynamic); the same value as a plain pass */
static inline float
omni_dsp_largest (const float *restrict x, unsigned n, float floor)
{
  float m[8] = { floor, floor, floor, floor, floor, floor, floor, floor };
  size_t k, q;

  for (k = 0; k + 8 <= n; k += 8)
    for (q = 0; q < 8; q++)
      m[q] = x[k + q] > m[q] ? x[k + q] : m[q];
  for (; k < n; k++)
    m[0] = x[k] > m[0] ? x[k] : m[0];
  for (q = 1; q < 8; q++)
    m[0] = m[q] > m[0] ? m[q] : m[0];
  return m[0];
}

#endif /* __OMNI_DSP_MAX_H__ */
