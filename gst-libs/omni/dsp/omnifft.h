/* gst-omni: real FFT
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_FFT_H__
#define __OMNI_FFT_H__

#include <omni/omni-prelude.h>

G_BEGIN_DECLS

/**
 * OmniFft:
 *
 * Forward real FFT of a fixed even length @n, producing the n/2+1
 * non-negative frequency bins (numpy.fft.rfft convention: no scaling).
 * A thin wrapper over GStreamer's gstfft (KISS FFT) so that callers of the
 * DSP library see plain C types only.
 */
typedef struct _OmniFft OmniFft;

OMNI_API unsigned omni_fft_next_size (unsigned n);
OMNI_API OmniFft *omni_fft_new (unsigned n);
OMNI_API unsigned omni_fft_get_size (const OmniFft *fft);
OMNI_API void omni_fft_do (OmniFft *fft, const float *in, float *re, float *im);
OMNI_API void omni_fft_do_power (OmniFft *fft, const float *in, float *power);
OMNI_API void omni_fft_free (OmniFft *fft);

G_END_DECLS

#endif /* __OMNI_FFT_H__ */
