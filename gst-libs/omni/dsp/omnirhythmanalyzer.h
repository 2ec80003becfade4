/* gst-omni: streaming rhythm analysis (onsets, tempo, beats, spectrum)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_RHYTHM_ANALYZER_H__
#define __OMNI_RHYTHM_ANALYZER_H__

#include <omni/omni-prelude.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/**
 * OmniRhythmConfig:
 * @window_s: analysis window length in seconds
 * @hop_s: analysis hop in seconds
 * @n_mels: mel bands of the onset strength front end
 * @fmin: lowest mel band edge, Hz
 * @fmax: highest mel band edge, Hz (clamped to the Nyquist frequency of
 *   the input; bands above the analysed band take the power the decimator
 *   removed)
 * @htk: HTK mel formula instead of Slaney's
 * @lag: onset strength lag, frames (librosa lag)
 * @max_size: onset strength maximum filter width, bands (librosa max_size;
 *   3 with lag 2 is SuperFlux)
 * @floor_db: floor of the band energies, dB re a full-scale sine
 * @mask_decay_db: forward masking decay, dB per second (0 off)
 * @mask_offset_db: forward masking level below the band peak, dB
 * @silence_db: frames below this level (dB re full scale) give no onset
 * @onset_delta: absolute part of the onset threshold, envelope units (dB)
 * @onset_lambda: weight of the local mean in the onset threshold
 * @onset_pre_avg_s: length of the history the threshold is computed on
 * @onset_pre_max_s: an onset must be the largest value over this time
 * @onset_min_gap_s: minimum time between two onsets
 * @bpm_min: slowest tempo
 * @bpm_max: fastest tempo
 * @tempo_window_s: length of the autocorrelation window
 * @prior_bpm: centre of the log-normal tempo prior
 * @prior_octaves: width of the tempo prior in octaves (<= 0: flat)
 * @tempo_update_s: time between tempo re-estimations
 * @beat_min_confidence: beats are tracked only while the tempo confidence,
 *   peak-held over the last 8 s, is at least this
 * @beat_hold_s: beats go on through breaks without onsets for this long
 *   (or two beat periods if longer), then stop until the music resumes
 * @tightness: beat tracker tightness
 * @alpha: beat tracker weight of the past
 * @rolloff: roll-off fraction
 * @tracker: which beat tracker places the beats:
 *   %OMNI_RHYTHM_TRACKER_SCORE (the default) or
 *   %OMNI_RHYTHM_TRACKER_STATE_SPACE
 *
 * Analyzer settings. Every duration is in seconds, so any sample rate
 * gives the same behaviour; omni_rhythm_config_init() sets the defaults.
 */
typedef struct {
  double window_s, hop_s;
  unsigned n_mels;
  double fmin, fmax;
  int htk;
  unsigned lag, max_size;
  double floor_db, silence_db;
  double mask_decay_db, mask_offset_db;
  double onset_delta, onset_lambda;
  double onset_pre_avg_s, onset_pre_max_s, onset_min_gap_s;
  double bpm_min, bpm_max, tempo_window_s, prior_bpm, prior_octaves;
  double tempo_update_s, beat_min_confidence, beat_hold_s;
  double tightness, alpha;
  double rolloff;
  unsigned tracker;
} OmniRhythmConfig;

/**
 * OmniRhythmTracker:
 * @OMNI_RHYTHM_TRACKER_SCORE: the cumulative score of Ellis' dynamic
 *   programming in its real-time form (OmniBeatTracker): steady music
 * @OMNI_RHYTHM_TRACKER_STATE_SPACE: a forward-filtered tempo-phase state
 *   space (OmniBeatDbn) guided by the tempo estimate: follows expressive
 *   timing better, off-beat accents worse (docs/dsp.md)
 * @OMNI_RHYTHM_TRACKER_SELECT: both, and the beats of the one whose beats
 *   hit the stronger accents
 */
typedef enum {
  OMNI_RHYTHM_TRACKER_SCORE = 0,
  OMNI_RHYTHM_TRACKER_STATE_SPACE = 1,
  OMNI_RHYTHM_TRACKER_SELECT = 2,
} OmniRhythmTracker;

/**
 * OmniRhythmEventType:
 * @OMNI_RHYTHM_EVENT_ONSET: an onset
 * @OMNI_RHYTHM_EVENT_BEAT: a beat
 */
typedef enum {
  OMNI_RHYTHM_EVENT_ONSET = 0,
  OMNI_RHYTHM_EVENT_BEAT,
} OmniRhythmEventType;

/**
 * OmniRhythmEvent:
 * @type: onset or beat
 * @position: when it happened, in samples since the analyzer's first sample
 *   (fractional)
 * @strength: onset strength at the event
 * @bpm: tempo at the event (0 unknown)
 * @confidence: tempo confidence at the event
 * @index: 0-based count of events of this type since the reset
 */
typedef struct {
  OmniRhythmEventType type;
  double position;
  double strength;
  double bpm;
  double confidence;
  uint64_t index;
} OmniRhythmEvent;

/**
 * OmniRhythmState:
 * @onset_strength: onset strength of the newest frame
 * @bpm: tempo, 0 unknown
 * @confidence: tempo confidence in [0,1]
 * @centroid: spectral centroid of the newest frame, Hz
 * @rolloff: spectral roll-off of the newest frame, Hz
 * @flux: normalised spectral flux of the newest frame, [0,1]
 * @last_beat: position of the last beat in samples, < 0 none
 * @next_beat: position of the predicted next beat, < 0 none
 * @frames: frames analysed since the reset
 *
 * The analyzer's latest values; all finite.
 */
typedef struct {
  double onset_strength;
  double bpm, confidence;
  double centroid, rolloff, flux;
  double last_beat, next_beat;
  uint64_t frames;
} OmniRhythmState;

typedef struct _OmniRhythmAnalyzer OmniRhythmAnalyzer;

/**
 * OmniRhythmSpectrumFunc:
 * @power: (array length=n_bins): the frame's power spectrum (a full-scale
 *   sine's peak bin is 1)
 * @n_bins: n_fft / 2 + 1
 * @mean_power: the windowed frame's mean power, sum (w x)^2 / sum w^2
 * @user_data: what omni_rhythm_analyzer_set_spectrum_func() was given
 *
 * Called for every analysis frame with its spectrum, so that other
 * analyses can use it instead of computing their own.
 */
typedef void (*OmniRhythmSpectrumFunc) (
    const float *power, unsigned n_bins, double mean_power, void *user_data);

OMNI_API void omni_rhythm_config_init (OmniRhythmConfig *cfg);
OMNI_API OmniRhythmAnalyzer *omni_rhythm_analyzer_new (
    const OmniRhythmConfig *cfg, double rate);
OMNI_API void omni_rhythm_analyzer_process (
    OmniRhythmAnalyzer *a, const float *mono, size_t n);
OMNI_API int omni_rhythm_analyzer_pop_event (
    OmniRhythmAnalyzer *a, OmniRhythmEvent *event);
OMNI_API void omni_rhythm_analyzer_get_state (
    OmniRhythmAnalyzer *a, OmniRhythmState *state);
OMNI_API double omni_rhythm_analyzer_take_peak_strength (OmniRhythmAnalyzer *a);
OMNI_API double omni_rhythm_config_get_latency (
    const OmniRhythmConfig *cfg, double rate);
OMNI_API double omni_rhythm_analyzer_get_beat_phase (
    const OmniRhythmAnalyzer *a, double position);
OMNI_API uint64_t omni_rhythm_analyzer_get_position (
    const OmniRhythmAnalyzer *a);
OMNI_API double omni_rhythm_analyzer_get_latency (const OmniRhythmAnalyzer *a);
OMNI_API double omni_rhythm_analyzer_get_frame_rate (
    const OmniRhythmAnalyzer *a);
OMNI_API void omni_rhythm_analyzer_reset (OmniRhythmAnalyzer *a);
OMNI_API void omni_rhythm_analyzer_get_spectrum_geometry (
    const OmniRhythmAnalyzer *a, double *rate, unsigned *window, unsigned *hop,
    unsigned *n_fft);
OMNI_API void omni_rhythm_analyzer_set_spectrum_func (
    OmniRhythmAnalyzer *a, OmniRhythmSpectrumFunc func, void *user_data);
OMNI_API void omni_rhythm_analyzer_free (OmniRhythmAnalyzer *a);

G_END_DECLS

#endif /* __OMNI_RHYTHM_ANALYZER_H__ */
