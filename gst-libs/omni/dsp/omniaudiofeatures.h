/* gst-omni: short-term level, impulsive onsets and speech/music cues
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_AUDIO_FEATURES_H__
#define __OMNI_AUDIO_FEATURES_H__

#include <omni/omni-prelude.h>
#include <stddef.h>

G_BEGIN_DECLS

/**
 * OMNI_AUDIO_FEATURES_FLOOR_DB:
 *
 * Level reported for digital silence (and before the first frame).
 */
#define OMNI_AUDIO_FEATURES_FLOOR_DB (-200.0)

/**
 * OmniAudioFeatureValues:
 * @short_term_db: highest short-term (50 ms) RMS level since the previous
 *   omni_audio_features_take(), dBFS (a full-scale square wave is 0 dBFS);
 *   %OMNI_AUDIO_FEATURES_FLOOR_DB when no frame ended in between
 * @impulses: impulsive onsets confirmed since the previous take: 10 ms
 *   frames whose level jumped at least 12 dB above the quietest of the
 *   five frames before them, reached -20 dBFS and fell back by 10 dB 60-70
 *   ms later, at least 50 ms apart (bangs, shots, knocks; counted when
 *   the decay is seen, 70 ms after the onset)
 * @flux_variance: variance, over the last second, of the spectral flux
 *   between successive spectra (23 ms, every 20 ms, 0 - 4 kHz) normalised
 *   to unit sum (Scheirer & Slaney 1997); spectra below -70 dBFS are left
 *   out
 * @level_std_db: standard deviation, over the last second, of the 10 ms
 *   frame levels in dB, each floored 60 dB under the loudest of them
 * @persistence: mean cosine similarity, over the last second, between each
 *   magnitude spectrum (80 Hz - 4 kHz) and the one 100 ms earlier:
 *   held notes keep their partials, speech moves its pitch and formants
 * @context_s: seconds of audio the last three summaries cover (0 - 1); the
 *   summaries are 0 when it is 0
 *
 * What omni_audio_features_take() returns.
 */
typedef struct {
  double short_term_db;
  unsigned impulses;
  double flux_variance;
  double level_std_db;
  double persistence;
  double context_s;
} OmniAudioFeatureValues;

typedef struct _OmniAudioFeatures OmniAudioFeatures;

OMNI_API OmniAudioFeatures *omni_audio_features_new (double rate);
OMNI_API void omni_audio_features_process (
    OmniAudioFeatures *f, const float *mono, size_t n);
OMNI_API void omni_audio_features_take (
    OmniAudioFeatures *f, OmniAudioFeatureValues *values);
OMNI_API void omni_audio_features_reset (OmniAudioFeatures *f);
OMNI_API void omni_audio_features_get_spectrum_geometry (
    const OmniAudioFeatures *f, double *rate, unsigned *window, unsigned *hop,
    unsigned *n_fft);
OMNI_API void omni_audio_features_share_spectra (OmniAudioFeatures *f);
OMNI_API void omni_audio_features_push_spectrum (OmniAudioFeatures *f,
    const float *power, unsigned n_bins, double mean_power);
OMNI_API void omni_audio_features_free (OmniAudioFeatures *f);

G_END_DECLS

#endif /* __OMNI_AUDIO_FEATURES_H__ */
