/* gst-omni: window functions
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_WINDOW_H__
#define __OMNI_WINDOW_H__

#include <omni/omni-prelude.h>

G_BEGIN_DECLS

/**
 * OmniWindowType:
 * @OMNI_WINDOW_RECTANGULAR: all ones
 * @OMNI_WINDOW_HANN: 0.5 - 0.5 cos
 * @OMNI_WINDOW_HAMMING: 0.54 - 0.46 cos
 * @OMNI_WINDOW_BLACKMAN: 0.42 - 0.5 cos + 0.08 cos 2x
 * @OMNI_WINDOW_BLACKMAN_HARRIS: 4-term, -92 dB side lobes (Harris 1978)
 *
 * Window shapes, as defined by Harris, "On the use of windows for harmonic
 * analysis with the discrete Fourier transform", Proc. IEEE 66(1), 1978,
 * and with the same coefficients as scipy.signal.get_window.
 */
typedef enum {
  OMNI_WINDOW_RECTANGULAR = 0,
  OMNI_WINDOW_HANN,
  OMNI_WINDOW_HAMMING,
  OMNI_WINDOW_BLACKMAN,
  OMNI_WINDOW_BLACKMAN_HARRIS,
} OmniWindowType;

OMNI_API void omni_window_fill (
    OmniWindowType type, float *w, unsigned n, int periodic);
OMNI_API float *omni_window_new (OmniWindowType type, unsigned n, int periodic);
OMNI_API void omni_window_free (float *w);
OMNI_API double omni_window_sum (const float *w, unsigned n);

G_END_DECLS

#endif /* __OMNI_WINDOW_H__ */
