/* gst-omni: mel scale and mel filterbank
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_MEL_H__
#define __OMNI_MEL_H__

#include <omni/omni-prelude.h>

G_BEGIN_DECLS

/**
 * OmniMelNorm:
 * @OMNI_MEL_NORM_NONE: triangles with a peak of 1
 * @OMNI_MEL_NORM_SLANEY: each triangle divided by half its width in Hz
 *   (constant energy per band; librosa's default norm='slaney')
 * @OMNI_MEL_NORM_L1: each filter scaled to unit sum (librosa norm=1)
 * @OMNI_MEL_NORM_L2: each filter scaled to unit Euclidean norm (norm=2)
 * @OMNI_MEL_NORM_MAX: each filter scaled to a peak of 1 (norm=np.inf)
 */
typedef enum {
  OMNI_MEL_NORM_NONE = 0,
  OMNI_MEL_NORM_SLANEY,
  OMNI_MEL_NORM_L1,
  OMNI_MEL_NORM_L2,
  OMNI_MEL_NORM_MAX,
} OmniMelNorm;

OMNI_API double omni_hz_to_mel (double hz, int htk);
OMNI_API double omni_mel_to_hz (double mel, int htk);
OMNI_API void omni_mel_frequencies (
    double *out, unsigned n, double fmin, double fmax, int htk);

/**
 * OmniMelFilterbank:
 *
 * A bank of triangular filters on the mel scale, applied to a one-sided
 * power (or magnitude) spectrum of n_fft/2+1 bins. Same weights as
 * librosa.filters.mel (librosa 0.10).
 */
typedef struct _OmniMelFilterbank OmniMelFilterbank;

OMNI_API OmniMelFilterbank *omni_mel_filterbank_new (double sr, unsigned n_fft,
    unsigned n_mels, double fmin, double fmax, int htk, OmniMelNorm norm);
OMNI_API unsigned omni_mel_filterbank_get_n_mels (const OmniMelFilterbank *fb);
OMNI_API unsigned omni_mel_filterbank_get_n_bins (const OmniMelFilterbank *fb);
OMNI_API const float *omni_mel_filterbank_get_weights (
    const OmniMelFilterbank *fb);
OMNI_API void omni_mel_filterbank_get_range (const OmniMelFilterbank *fb,
    unsigned mel, unsigned *first_bin, unsigned *n_bins);
OMNI_API double omni_mel_filterbank_get_center (
    const OmniMelFilterbank *fb, unsigned mel);
OMNI_API void omni_mel_filterbank_do (
    const OmniMelFilterbank *fb, const float *spectrum, float *mel);
OMNI_API void omni_mel_filterbank_free (OmniMelFilterbank *fb);

G_END_DECLS

#endif /* __OMNI_MEL_H__ */
