/* gst-omni: streaming rhythm analysis (onsets, tempo, beats, spectrum)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Glues the DSP objects together for a mono float stream of any chunk size:
 * half-band decimation to 22.05-44.1 kHz (OmniDecimator) -> Hann window ->
 * real FFT -> power spectrum normalised to a full-scale sine -> mel
 * filterbank -> log-mel spectral flux (OmniOnsetStrength) -> causal peak
 * picking (onsets), tempo estimation (OmniTempo) and online beat tracking
 * (OmniBeatTracker); centroid, roll-off and flux from the same spectrum. See
 * docs/dsp.md for the algorithms and their references.
 *
 * Decimation: input at 44.1 kHz and above is analysed at the rate / 2^k that
 * lands in [22.05, 44.1) kHz, which halves (or better) the cost of every
 * frame; the mel bands above 0.45 of that rate take the power of the band
 * the last half-band stage removed, so that cymbals and hi-hats above 10 kHz
 * still count in the onset strength. The spectral descriptors are those of
 * the analysed band (up to 11-12 kHz), the same band at every rate from
 * 22.05 kHz up.
 *
 * Frame k covers samples [k hop, k hop + win) of the stream. The time of
 * the onset strength of frame k (the position reported for events found on
 * it) is the window centre moved back by half the lag and forward by one
 * hop: win/2 + (lag/2 - 1) hop before the frame's end. The flux compares
 * frame k with frame k - lag, so an attack shows up between the two; the
 * formula is the group delay of the front end measured on 2 ms bursts at
 * 8, 22.05, 44.1, 48 and 96 kHz, where it puts onsets within 1.5 ms of
 * the truth for lag 1 and 2 (checked by gst-tests/libs/dsp.c).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnirhythmanalyzer.h"
#include "omnibeat.h"
#include "omnibeatdbn.h"
#include "omnidecimator.h"
#include "omnifft.h"
#include "omnimel.h"
#include "omnionset.h"
#include "omnispectral.h"
#include "omnitempo.h"
#include "omniwindow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE_CLAMP 1.0e4f
#define ANALYSIS_RATE 22050.0
#define DEC_BLOCK 1024
#define HF_SPLIT 0.45
#define ONSET_HISTORY 16
#define ACCENT_FLOOR 0.01f
#define DRIFT_WINDOW_S 0.06
#define DRIFT_GAIN 0.3
#define DRIFT_MAX 0.1
#define DRIFT_LEAK_S 4.0
#define TEMPO_JUMP_OCT 0.1
#define TEMPO_CONFIRM 3
#define TEMPO_CONFIRM_UNSURE 8
#define CONF_HOLD_S 8.0
#define FLATNESS_S 2.0
#define FLATNESS_EVERY 5
#define TONAL_FLATNESS 0.58
#define BASS_HZ 400.0
#define ACC_RING 16
#define MERIT_GAIN 0.1
#define MERIT_SWITCH 1.1
#define SAME_TEMPO_OCT 0.06
/* select's state space: tempo transitions a little wider than Krebs et al.'s
 * lambda 100, since its beats are taken where it follows a tempo the
 * estimate does not (rubato, accelerando). On the 9 real recordings: mean F
 * 0.804 against 0.796 at 100; leave-one-out over 50, 70 and 100 picks 70 in
 * 8 folds of 9 (held-out mean 0.801), over 50 to 150 in six steps 0.792: a
 * small gain, within what one piece moves (docs/dsp.md). The state space
 * alone keeps 100: on steady music it would slip more often (shuffle096 of
 * the synthetic corpus: 0.836 -> 0.491) */
#define SELECT_LAMBDA 70.0

/* Where the analysis runs: the input rate divided by the power of two
 * that brings it closest to (and not below) ANALYSIS_RATE; hop and window in
 * samples at that rate. */
typedef struct {
  unsigned factor;
  double arate;
  unsigned hop, win;
  unsigned delay; /* decimator group delay, input samples */
} Geometry;

static void
geometry (const OmniRhythmConfig *cfg, double rate, Geometry *g)
{
  g->factor = 1;
  while (g->factor < 64 && rate / (2 * g->factor) >= ANALYSIS_RATE * 0.99)
    g->factor *= 2;
  g->arate = rate / g->factor;
  g->hop = (unsigned) MAX (1, lround (cfg->hop_s * g->arate));
  g->win = (unsigned) MAX (16, lround (cfg->window_s * g->arate));
  g->delay = 11 * (g->factor - 1);
}

struct _OmniRhythmAnalyzer {
  OmniRhythmConfig cfg;
  double rate;  /* input */
  double arate; /* analysis */
  unsigned factor, delay;
  unsigned win, hop, n_fft, n_bins; /* analysis samples */
  double kappa_samples;             /* analysis samples */

  OmniDecimator *dec;
  float *dbuf, *hbuf; /* decimated block and its removed high band */
  float *hring;       /* the high band, aligned with ring */
  unsigned n_low;     /* mel bands computed from the analysis spectrum; the
                       * ones above take the high band's power */
  float *window, *ring, *frame, *power, *power_prev, *mag, *mag_prev, *mel;
  double power_norm, window_sq;
  unsigned ring_pos;
  uint64_t position;       /* input samples consumed since reset */
  double frame_end;        /* input samples up to the end of the newest
                            * frame: the "now" of the beat decisions, the
                            * same whatever the buffer sizes */
  uint64_t apos;           /* analysis samples produced since reset */
  uint64_t next_frame_end; /* in analysis samples */
  uint64_t desc_frame;     /* frame the descriptors were computed for */

  OmniFft *fft;
  OmniMelFilterbank *fb;
  OmniOnsetStrength *odf;
  OmniPeakPicker *pp;
  OmniTempo *tempo;
  OmniBeatTracker *bt;
  OmniBeatDbn *dbn; /* OMNI_RHYTHM_TRACKER_STATE_SPACE and _SELECT */
  unsigned tempo_every, tempo_countdown;

  OmniRhythmState state;
  double peak_strength;     /* since omni_rhythm_analyzer_take_peak_strength */
  double emitted_beat;      /* frame index of the last emitted beat */
  double bt_seen;           /* the score tracker's last beat taken */
  float acc_ring[ACC_RING]; /* the accent of the newest frames */
  double merit[2];          /* score, state space: mean accent at beats */
  int selected;             /* whose beats are emitted (select mode) */
  double score_period;      /* the score tracker's period, frames (0 none) */
  double last_onset;        /* position of the last onset, < 0 none */
  double pending_beat;      /* last beat, until its onsets correct the period */
  int locked;
  double jump_bpm, tracked_period;
  unsigned jump_count;
  double conf_hold;        /* confidence, peak-held over CONF_HOLD_S */
  double loose_hold;       /* the loose confidence, likewise */
  double flatness;         /* in-band spectral flatness, smoothed */
  double drift, drift_ref; /* relative period correction, and the period it
                            * applies to */
  double onset_latency;    /* samples */
  OmniRhythmEvent onsets[ONSET_HISTORY];
  unsigned onset_pos;
  uint64_t n_onsets, n_beats;

  OmniRhythmEvent *events;
  unsigned ev_head, ev_len, ev_cap;

  OmniRhythmSpectrumFunc spectrum_func;
  void *spectrum_data;
};

/**
 * omni_rhythm_config_init:
 * @cfg: (out caller-allocates): a config to fill with the defaults
 *
 * 23 ms Hann window, 10 ms hop, 64 Slaney mel bands 30 Hz - 16 kHz,
 * SuperFlux (lag 2, maximum filter over 3 bands) with forward masking
 * (60 dB/s from 15 dB under each band's peak), onsets over median + mean +
 * 0.5 dB of the last 100 ms at least 30 ms apart and above -70 dBFS, tempo
 * 40-250 BPM over 8 s with a prior of 100 BPM +- 0.7 octave, beats while the
 * confidence peak-held over 8 s is >= 0.01 and for up to 1 s (2 periods)
 * without onsets,
 * BTrack's tightness 5 and alpha 0.9, roll-off 85 %.
 */
void
omni_rhythm_config_init (OmniRhythmConfig *cfg)
{
  memset (cfg, 0, sizeof (OmniRhythmConfig));
  cfg->window_s = 1024.0 / 44100.0;
  cfg->hop_s = 0.01;
  cfg->n_mels = 64;
  cfg->fmin = 30.0;
  cfg->fmax = 16000.0;
  cfg->htk = 0;
  cfg->lag = 2;
  cfg->max_size = 3;
  cfg->floor_db = -100.0;
  cfg->silence_db = -70.0;
  cfg->mask_decay_db = 60.0;
  cfg->mask_offset_db = 15.0;
  cfg->onset_delta = 0.5;
  cfg->onset_lambda = 1.0;
  cfg->onset_pre_avg_s = 0.1;
  cfg->onset_pre_max_s = 0.03;
  cfg->onset_min_gap_s = 0.03;
  cfg->bpm_min = 40.0;
  cfg->bpm_max = 250.0;
  cfg->tempo_window_s = 8.0;
  cfg->prior_bpm = 100.0;
  cfg->prior_octaves = 0.7;
  cfg->tempo_update_s = 0.5;
  cfg->beat_min_confidence = 0.01;
  cfg->beat_hold_s = 1.0;
  cfg->tightness = 5.0;
  cfg->alpha = 0.9;
  cfg->rolloff = 0.85;
}

/**
 * omni_rhythm_analyzer_new:
 * @cfg: settings
 * @rate: sample rate in Hz (8000 - 192000 are tested)
 *
 * Returns: (transfer full) (nullable): a new analyzer, or %NULL when a
 * setting is out of range
 */
OmniRhythmAnalyzer *
omni_rhythm_analyzer_new (const OmniRhythmConfig *cfg, double rate)
{
  OmniRhythmAnalyzer *a;
  double fmax, fr;
  unsigned k;
  Geometry g;

  if (!(rate >= 1000.0) || !(rate <= 1.0e6) || !(cfg->hop_s > 0.0)
      || !(cfg->window_s > 0.0) || cfg->n_mels < 1 || !(cfg->bpm_min > 0.0)
      || !(cfg->bpm_max > cfg->bpm_min))
    return NULL;
  if (!(a = calloc (1, sizeof (OmniRhythmAnalyzer))))
    return NULL;
  a->cfg = *cfg;
  a->rate = rate;
  geometry (cfg, rate, &g);
  a->factor = g.factor;
  a->arate = g.arate;
  a->delay = g.delay;
  a->hop = g.hop;
  a->win = g.win;
  a->n_fft = omni_fft_next_size (a->win);
  a->n_bins = a->n_fft / 2 + 1;
  a->kappa_samples = 0.5 * a->win + (0.5 * cfg->lag - 1.0) * a->hop;
  fr = a->arate / a->hop;
  a->onset_latency
      = a->factor * (a->kappa_samples + 1.5 * a->hop) + (double) a->delay;
  a->dec = omni_decimator_new (a->factor);
  a->dbuf = calloc (DEC_BLOCK / a->factor + 1, sizeof (float));
  a->hbuf = calloc (DEC_BLOCK / a->factor + 1, sizeof (float));

  a->window = omni_window_new (OMNI_WINDOW_HANN, a->win, 1);
  a->ring = calloc (a->win, sizeof (float));
  a->hring = calloc (a->win, sizeof (float));
  a->frame = calloc (a->n_fft, sizeof (float));
  a->power = calloc (a->n_bins, sizeof (float));
  a->power_prev = calloc (a->n_bins, sizeof (float));
  a->mag = calloc (a->n_bins, sizeof (float));
  a->mag_prev = calloc (a->n_bins, sizeof (float));
  a->mel = calloc (cfg->n_mels, sizeof (float));
  a->fft = omni_fft_new (a->n_fft);
  /* the mel bands span fmin - fmax of the input; when the analysis runs
   * decimated, the bands centred above 0.45 of the analysis rate (where
   * the half-band filter starts to cut) are given the power of the band
   * the decimator removed instead, so they keep their weight in the onset
   * strength */
  fmax = cfg->fmax > 0.0 && cfg->fmax < rate / 2.0 ? cfg->fmax : rate / 2.0;
  a->fb = omni_mel_filterbank_new (a->factor > 1 ? rate : a->arate,
      a->factor > 1 ? a->n_fft * a->factor : a->n_fft, cfg->n_mels,
      cfg->fmin < fmax ? cfg->fmin : 0.0, fmax, cfg->htk, OMNI_MEL_NORM_NONE);
  a->n_low = cfg->n_mels;
  if (a->fb && a->factor > 1) {
    /* the same bands, computed on the analysis spectrum */
    omni_mel_filterbank_free (a->fb);
    a->fb = NULL;
    {
      double *edges = calloc (cfg->n_mels + 2, sizeof (double));
      if (edges) {
        omni_mel_frequencies (edges, cfg->n_mels + 2,
            cfg->fmin < fmax ? cfg->fmin : 0.0, fmax, cfg->htk);
        a->n_low = 0;
        while (a->n_low < cfg->n_mels
               && edges[a->n_low + 1] <= HF_SPLIT * a->arate)
          a->n_low++;
        free (edges);
      }
    }
    a->fb = omni_mel_filterbank_new (a->arate, a->n_fft, cfg->n_mels,
        cfg->fmin < fmax ? cfg->fmin : 0.0, fmax, cfg->htk, OMNI_MEL_NORM_NONE);
  }
  a->odf = omni_onset_strength_new (
      cfg->n_mels, cfg->lag, cfg->max_size, cfg->floor_db);
  if (a->odf)
    omni_onset_strength_set_masking (
        a->odf, cfg->mask_decay_db / fr, cfg->mask_offset_db);
  a->pp = omni_peak_picker_new (
      (unsigned) MAX (1, lround (cfg->onset_pre_avg_s * fr)),
      (unsigned) lround (cfg->onset_pre_max_s * fr),
      (unsigned) lround (cfg->onset_min_gap_s * fr), cfg->onset_delta,
      cfg->onset_lambda);
  a->tempo = omni_tempo_new (fr, cfg->bpm_min, cfg->bpm_max,
      cfg->tempo_window_s, cfg->prior_bpm, cfg->prior_octaves);
  a->bt = omni_beat_tracker_new (
      60.0 * fr / cfg->bpm_min, cfg->tightness, cfg->alpha);
  if (cfg->tracker == OMNI_RHYTHM_TRACKER_STATE_SPACE
      || cfg->tracker == OMNI_RHYTHM_TRACKER_SELECT)
    a->dbn = omni_beat_dbn_new (fr, cfg->bpm_min, cfg->bpm_max);
  if (a->dbn && cfg->tracker == OMNI_RHYTHM_TRACKER_SELECT)
    omni_beat_dbn_set_lambda (a->dbn, SELECT_LAMBDA);
  a->tempo_every = (unsigned) MAX (1, lround (cfg->tempo_update_s * fr));
  a->ev_cap = 64;
  a->events = calloc (a->ev_cap, sizeof (OmniRhythmEvent));
  if (a->odf && a->fb) {
    /* the bass register (band centres below BASS_HZ) for the metre */
    unsigned nb = 0;
    while (nb < cfg->n_mels
           && omni_mel_filterbank_get_center (a->fb, nb) < BASS_HZ)
      nb++;
    omni_onset_strength_set_bass_bands (a->odf, nb);
  }
  if (!a->dec || !a->dbuf || !a->hbuf || !a->hring || !a->window || !a->ring
      || !a->frame || !a->power || !a->power_prev || !a->mag || !a->mag_prev
      || !a->mel || !a->fft || !a->fb || !a->odf || !a->pp || !a->tempo
      || !a->bt || !a->events
      || (cfg->tracker != OMNI_RHYTHM_TRACKER_SCORE && !a->dbn)
      || cfg->tracker > OMNI_RHYTHM_TRACKER_SELECT) {
    omni_rhythm_analyzer_free (a);
    return NULL;
  }
  {
    double s = omni_window_sum (a->window, a->win);
    a->power_norm = 1.0 / ((s / 2.0) * (s / 2.0));
    a->window_sq = 0.0;
    for (k = 0; k < a->win; k++)
      a->window_sq += (double) a->window[k] * a->window[k];
  }
  omni_rhythm_analyzer_reset (a);
  return a;
}

static void
push_event (OmniRhythmAnalyzer *a, const OmniRhythmEvent *ev)
{
  unsigned i;

  if (a->ev_len == a->ev_cap) {
    OmniRhythmEvent *n = calloc (a->ev_cap * 2, sizeof (OmniRhythmEvent));
    if (!n)
      return;
    for (i = 0; i < a->ev_len; i++)
      n[i] = a->events[(a->ev_head + i) % a->ev_cap];
    free (a->events);
    a->events = n;
    a->ev_head = 0;
    a->ev_cap *= 2;
  }
  a->events[(a->ev_head + a->ev_len) % a->ev_cap] = *ev;
  a->ev_len++;
}

/* stream position (samples) of the "now" of frame index k */
static double
frame_position (const OmniRhythmAnalyzer *a, double k)
{
  return a->factor * ((double) a->win + k * a->hop - a->kappa_samples)
         - (double) a->delay;
}

/* The onset nearest to @pred within +-window (DRIFT_WINDOW_S, at most a
 * tenth of the period) among those at or before @until, or -1. */
static double
onset_near (OmniRhythmAnalyzer *a, double pred, double until, double *strength)
{
  double period, win, pos = -1.0;
  unsigned i;

  period = a->state.bpm > 0.0 ? 60.0 * a->rate / a->state.bpm : 0.0;
  win = MIN (DRIFT_WINDOW_S * a->rate, 0.1 * period);
  for (i = 0; i < ONSET_HISTORY; i++) {
    const OmniRhythmEvent *o = &a->onsets[i];
    if (o->strength > 0.0 && fabs (o->position - pred) <= win
        && o->position <= until
        && (pos < 0.0 || fabs (o->position - pred) < fabs (pos - pred))) {
      pos = o->position;
      *strength = o->strength;
    }
  }
  return pos;
}

/* Emits the beat predicted on frame @frame, at the prediction: moving it
 * onto a nearby onset (what this analyzer did before) pulls it onto the
 * off-beat accents, pick-ups and early grace notes of real performances. */
static void
emit_beat (OmniRhythmAnalyzer *a, double frame)
{
  OmniRhythmEvent ev;
  double pos = frame_position (a, frame), strength = 0.0;

  ev.strength = onset_near (a, pos, pos, &strength) >= 0.0 ? strength : 0.0;
  a->emitted_beat = frame;
  a->pending_beat = pos;
  ev.type = OMNI_RHYTHM_EVENT_BEAT;
  ev.position = pos;
  ev.bpm = a->state.bpm;
  ev.confidence = a->state.confidence;
  ev.index = a->n_beats++;
  push_event (a, &ev);
  a->state.last_beat = pos;
}

/* Frequency correction (the integral term of a phase-locked loop, as in
 * adaptive-oscillator beat trackers: Large & Kolen, "Resonance and the
 * perception of musical meter", Connection Science 6, 1994; the "correct"
 * step of predict-and-correct trackers: Davies & Plumbley 2007; Dixon,
 * "Automatic extraction of tempo and beat from expressive performances",
 * JNMR 30(1), 2001): once the onsets up to DRIFT_WINDOW_S after the last
 * beat are known, the onset nearest to it within +-DRIFT_WINDOW_S shortens
 * (lengthens) the period handed to the tracker when it came early (late),
 * so that beats keep up when the tempo changes faster than the
 * autocorrelation window can follow. The window is symmetric so that the
 * correction has no bias. */
static void
correct_period (OmniRhythmAnalyzer *a)
{
  double period, pos, strength = 0.0, due;

  if (a->pending_beat < 0.0)
    return;
  due = a->pending_beat + DRIFT_WINDOW_S * a->rate + a->onset_latency;
  if (due > a->frame_end)
    return;
  period = a->state.bpm > 0.0 ? 60.0 * a->rate / a->state.bpm : 0.0;
  pos = onset_near (a, a->pending_beat, a->frame_end, &strength);
  if (pos >= 0.0 && period > 0.0) {
    a->drift += DRIFT_GAIN * (pos - a->pending_beat) / period;
    a->drift = CLAMP (a->drift, -DRIFT_MAX, DRIFT_MAX);
  }
  a->pending_beat = -1.0;
}

/* the largest accent within 2 frames before and 1 after frame @f */
static float
accent_near (const OmniRhythmAnalyzer *a, long f)
{
  float m = 0.0f;
  long j;

  for (j = f - 2; j <= f + 1; j++)
    if (j >= 0 && j < (long) a->state.frames
        && (long) a->state.frames - j <= ACC_RING
        && a->acc_ring[j % ACC_RING] > m)
      m = a->acc_ring[j % ACC_RING];
  return m;
}

/* TRUE when the state space's beat interval is within SAME_TEMPO_OCT of the
 * score tracker's period times 1, 2, 3, 4 or their inverses: the metrical
 * ratios between which the tempo estimator chooses the beat level */
static gboolean
same_tempo_family (const OmniRhythmAnalyzer *a)
{
  static const double ratio[] = { 1.0, 2.0, 0.5, 3.0, 1.0 / 3.0, 4.0, 0.25 };
  double r;
  unsigned i;

  if (!(a->score_period > 0.0))
    return FALSE;
  r = omni_beat_dbn_get_period (a->dbn) / a->score_period;
  for (i = 0; i < G_N_ELEMENTS (ratio); i++)
    if (fabs (log2 (r / ratio[i])) < SAME_TEMPO_OCT)
      return TRUE;
  return FALSE;
}

/* Select mode (both trackers): the merit of tracker @k is the mean accent
 * at its beats (an exponential mean over about 10 beats), as the agents of
 * multiple-agent trackers are judged by the onsets their beats hit (Dixon,
 * JNMR 30(1), 2001; Oliveira et al.'s IBT, ISMIR 2010); the beats of the
 * better one (by MERIT_SWITCH to change) are emitted, at least half a
 * period after the last. While the two tempi are the same or metrically
 * related (same_tempo_family()) they differ only in phase or level, and
 * the score tracker's beats are emitted: its cumulative score keeps a
 * phase over several periods and its level is the tempo estimator's,
 * where the state space, free to change its interval at every beat, slips
 * onto off-beat strumming nearly as loud as the beat or takes loud
 * off-beats for beats (docs/dsp.md). The state space is chosen where it
 * follows a tempo the estimate does not (rubato, accelerando). Returns
 * TRUE when the beat at @frame of tracker @k (0 score, 1 state space) is to
 * be emitted. */
static gboolean
take_beat (OmniRhythmAnalyzer *a, int k, double frame)
{
  double period;

  if (a->cfg.tracker != OMNI_RHYTHM_TRACKER_SELECT)
    return k == 1;
  a->merit[k] += MERIT_GAIN * (accent_near (a, lround (frame)) - a->merit[k]);
  if (a->merit[1 - a->selected] > MERIT_SWITCH * a->merit[a->selected])
    a->selected = 1 - a->selected;
  /* metrically related tempi: phase and level are the question, which the
   * cumulative score and the tempo estimator answer better */
  if (same_tempo_family (a))
    a->selected = 0;
  period = a->state.bpm > 0.0 ? 60.0 * a->arate / a->hop / a->state.bpm : 0.0;
  return k == a->selected && frame - a->emitted_beat > 0.5 * period;
}

/* Beats are emitted once the stream has passed them by the onset latency
 * (so that the onsets just before them are known for "on-onset"). The
 * stream's position is that of the newest frame, plus one hop (what a
 * buffer may hold beyond it: a beat is never emitted later than the
 * buffer that holds it leaves), so that the decisions, and select's order
 * of the two trackers' beats, are the same whatever the buffer sizes. */
static void
check_beat (OmniRhythmAnalyzer *a)
{
  double f[2];
  int i;

  correct_period (a);
  f[0] = omni_beat_tracker_get_last (a->bt);
  f[1] = omni_beat_tracker_get_next (a->bt);
  for (i = 0; i < 2; i++) {
    if (f[i] < 0.0 || f[i] <= a->bt_seen)
      continue;
    if (frame_position (a, f[i]) + a->onset_latency
        <= a->frame_end + (double) a->factor * a->hop) {
      a->bt_seen = f[i];
      if (a->dbn && !take_beat (a, 0, f[i]))
        continue;
      correct_period (a);
      emit_beat (a, f[i]);
    }
  }
}

/* Tonality: the spectral flatness (geometric over arithmetic mean of the
 * power; Johnston, "Transform coding of audio signals using perceptual
 * noise criteria", IEEE JSAC 6(2), 1988; MPEG-7 AudioSpectrumFlatness)
 * within half-octave bands from 250 Hz to 5 kHz, averaged over the bands
 * and smoothed over FLATNESS_S; every FLATNESS_EVERY frames. Within a
 * narrow band any noise is flat whatever its colour (white, pink, brown:
 * about 0.65 with this window), while pitched instruments put their power
 * in a few partials (solo piano, violin, orchestra: 0.2-0.55). */
static void
update_flatness (OmniRhythmAnalyzer *a)
{
  double lo = 250.0, acc = 0.0, c;
  unsigned nb = 0;

  if (a->state.frames % FLATNESS_EVERY)
    return;
  for (; lo < 5000.0; lo *= M_SQRT2) {
    unsigned k0 = (unsigned) ceil (lo * a->n_fft / a->arate);
    unsigned k1 = (unsigned) floor (lo * M_SQRT2 * a->n_fft / a->arate), k;
    double lsum = 0.0, sum = 0.0;
    if (k1 >= a->n_bins)
      k1 = a->n_bins - 1;
    if (k1 < k0 + 2)
      continue;
    /* the log of products of up to 8 powers (each >= 1e-20, so a
     * product stays >= 1e-160): one log per 8 bins */
    for (k = k0; k <= k1;) {
      double prod = 1.0;
      unsigned e = MIN (k1 + 1, k + 8);
      for (; k < e; k++) {
        double p = (double) a->power[k] + 1e-20;
        prod *= p;
        sum += p;
      }
      lsum += log (prod);
    }
    acc += exp (lsum / (k1 - k0 + 1)) / (sum / (k1 - k0 + 1));
    nb++;
  }
  if (!nb)
    return;
  c = FLATNESS_EVERY * a->hop / (FLATNESS_S * a->arate);
  a->flatness = a->state.frames == 0
                    ? acc / nb
                    : a->flatness + c * (acc / nb - a->flatness);
}

/* out = x w, n samples (restrict: the loop vectorises) */
static inline void
window_into (float *restrict out, const float *restrict x,
    const float *restrict w, unsigned n)
{
  unsigned k;

  for (k = 0; k < n; k++)
    out[k] = x[k] * w[k];
}

/* sum (x w)^2 over n samples, in four partial sums (so that it vectorises) */
static inline double
windowed_energy (const float *restrict x, const float *restrict w, unsigned n)
{
  float e[4] = { 0.0f, 0.0f, 0.0f, 0.0f };
  unsigned k, q;

  for (k = 0; k + 4 <= n; k += 4) {
    for (q = 0; q < 4; q++) {
      float v = x[k + q] * w[k + q];
      e[q] += v * v;
    }
  }
  for (; k < n; k++)
    e[0] += (x[k] * w[k]) * (x[k] * w[k]);
  return (double) e[0] + e[1] + e[2] + e[3];
}

/* OMNI_RHYTHM_TRACKER_STATE_SPACE (and _SELECT, where the score tracker
 * runs as well): the state space reports each beat one or two frames after
 * it, and it is emitted then; it is guided by the tempo estimate while the
 * beats run (@period > 0) */
static void
track_state_space (OmniRhythmAnalyzer *a, float accent, double period)
{
  long bf;

  a->acc_ring[a->state.frames % ACC_RING] = accent;
  if (omni_beat_dbn_do (a->dbn, accent, period > 0.0 ? a->state.bpm : 0.0, &bf)
      && take_beat (a, 1, (double) bf) && (double) bf > a->emitted_beat)
    emit_beat (a, (double) bf);
  if (a->cfg.tracker == OMNI_RHYTHM_TRACKER_SELECT)
    return;
  a->state.frames++;
  a->state.next_beat = period > 0.0
                           ? frame_position (a, omni_beat_dbn_get_next (a->dbn))
                           : -1.0;
}

static void
analyse_frame (OmniRhythmAnalyzer *a)
{
  unsigned k, n1 = a->win - a->ring_pos;
  double energy = 0.0, period, off = 0.0;
  float *swap;
  float strength, accent, peak = 0.0f;

  /* window the ring (oldest sample first) */
  window_into (a->frame, a->ring + a->ring_pos, a->window, n1);
  window_into (a->frame + n1, a->ring, a->window + n1, a->win - n1);
  /* keep the previous spectrum for the flux */
  swap = a->power_prev;
  a->power_prev = a->power;
  a->power = swap;
  omni_fft_do_power (a->fft, a->frame, a->power);
  {
    /* the windowed frame's energy by Parseval, sum x^2 = (1/n) sum |X|^2
     * over both halves, while normalising the spectrum */
    float norm = (float) a->power_norm, e0 = 0.0f, e1 = 0.0f;
    unsigned last = a->n_bins - 1;
    for (k = 1; k + 1 < last; k += 2) {
      e0 += a->power[k];
      e1 += a->power[k + 1];
    }
    for (; k < last; k++)
      e0 += a->power[k];
    energy
        = (a->power[0] + 2.0 * ((double) e0 + e1) + a->power[last]) / a->n_fft;
    {
      float *restrict pw = a->power;
      for (k = 0; k < a->n_bins; k++)
        pw[k] *= norm;
    }
  }

  if (a->spectrum_func)
    a->spectrum_func (
        a->power, a->n_bins, energy / a->window_sq, a->spectrum_data);
  omni_mel_filterbank_do (a->fb, a->power, a->mel);
  if (a->n_low < a->cfg.n_mels) {
    /* the removed high band: its windowed energy, scaled like the power
     * spectrum (Parseval), for every band above the split */
    double e = windowed_energy (a->hring + a->ring_pos, a->window, n1)
               + windowed_energy (a->hring, a->window + n1, a->win - n1);
    float p;
    p = (float) (e * 0.5 * a->n_fft * a->power_norm);
    for (k = a->n_low; k < a->cfg.n_mels; k++)
      a->mel[k] = p;
  }
  update_flatness (a);
  strength = omni_onset_strength_do (a->odf, a->mel);
  if (!isfinite (strength))
    strength = 0.0f;
  a->state.onset_strength = strength;
  if (strength > a->peak_strength)
    a->peak_strength = strength;

  /* onsets; a frame below the silence gate cannot be one */
  {
    double level_db = 10.0 * log10 (energy / a->window_sq + 1e-30);
    float v = level_db >= a->cfg.silence_db ? strength : 0.0f;
    if (omni_peak_picker_do (a->pp, v, &off, &peak)) {
      OmniRhythmEvent ev;
      ev.type = OMNI_RHYTHM_EVENT_ONSET;
      ev.position = frame_position (a, (double) a->state.frames + off);
      ev.strength = peak;
      ev.bpm = a->state.bpm;
      ev.confidence = a->state.confidence;
      ev.index = a->n_onsets++;
      push_event (a, &ev);
      a->last_onset = ev.position;
      a->onsets[a->onset_pos] = ev;
      a->onset_pos = (a->onset_pos + 1) % ONSET_HISTORY;
    }
  }

  /* rounding noise of a steady sound is no rhythm */
  accent = omni_onset_strength_get_accent (a->odf);
  if (!isfinite (accent) || accent < ACCENT_FLOOR)
    accent = 0.0f;

  /* tempo */
  omni_tempo_push (a->tempo, accent);
  omni_tempo_push_bass (a->tempo, omni_onset_strength_get_bass (a->odf));
  if (--a->tempo_countdown == 0) {
    a->tempo_countdown = a->tempo_every;
    omni_tempo_update (a->tempo);
    a->state.confidence = omni_tempo_get_confidence (a->tempo);
    {
      /* a jump of the estimate (another metrical level, a new song) is
       * taken once it has held for TEMPO_CONFIRM updates while the beats
       * run (the confidence held over CONF_HOLD_S reaches the minimum, or
       * for a pitched sound the loose one: see below), or for
       * TEMPO_CONFIRM_UNSURE updates otherwise; small changes pass at
       * once */
      double bpm = omni_tempo_get_bpm (a->tempo);
      gboolean sure = a->locked;
      if (a->state.bpm <= 0.0 || bpm <= 0.0
          || fabs (log2 (bpm / a->state.bpm)) < TEMPO_JUMP_OCT
          || (omni_tempo_get_changed (a->tempo) && sure)) {
        a->state.bpm = bpm;
        a->jump_count = 0;
      } else if (a->jump_bpm > 0.0
                 && fabs (log2 (bpm / a->jump_bpm)) < TEMPO_JUMP_OCT
                 && ++a->jump_count
                        >= (sure ? TEMPO_CONFIRM : TEMPO_CONFIRM_UNSURE)) {
        a->state.bpm = bpm;
        a->jump_count = 0;
      } else if (a->jump_bpm <= 0.0
                 || fabs (log2 (bpm / a->jump_bpm)) >= TEMPO_JUMP_OCT) {
        a->jump_count = 1;
      }
      a->jump_bpm = bpm;
    }
  }

  /* beats */
  /* lock: beats are tracked while the confidence held over the last
   * CONF_HOLD_S (a peak detector with an exponential release, one tempo
   * window long) reaches the minimum. Real performances (rubato, soft
   * attacks, dense mixes) give a confidence that dips to 0 between bars
   * with a clear pulse; the hold keeps the beats going through the dips,
   * while noise, which never builds up periodicity, stays unlocked. */
  a->conf_hold *= exp (-(double) a->hop / (CONF_HOLD_S * a->arate));
  if (a->state.confidence > a->conf_hold)
    a->conf_hold = a->state.confidence;
  /* a pitched sound (not noise) may start the beats on the loose
   * confidence (2 sigma above chance instead of 3): soft or rubato
   * classical music reaches 3 sigma only after 9-20 s, if at all, while
   * noise reaches 2 sigma now and then at some tempo; noise is flat in
   * every band, music is not */
  a->loose_hold *= exp (-(double) a->hop / (CONF_HOLD_S * a->arate));
  if (omni_tempo_get_loose_confidence (a->tempo) > a->loose_hold)
    a->loose_hold = omni_tempo_get_loose_confidence (a->tempo);
  a->locked
      = a->state.bpm > 0.0
        && ((a->conf_hold > 0.0 && a->conf_hold >= a->cfg.beat_min_confidence)
            || (a->flatness < TONAL_FLATNESS && a->loose_hold > 0.0
                && a->loose_hold >= a->cfg.beat_min_confidence));
  period = a->locked ? 60.0 * a->arate / a->hop / a->state.bpm : 0.0;
  /* (re)start the tracker when tracking resumes or the tempo jumps */
  if (period > 0.0
      && (a->tracked_period <= 0.0
          || fabs (log2 (period / a->tracked_period)) > TEMPO_JUMP_OCT))
    omni_beat_tracker_restart (a->bt, period);
  a->tracked_period = period;
  if (period > 0.0) {
    /* a new tempo (not a drift) restarts the frequency correction; small
     * updates of the estimate keep the corrected period continuous, and
     * the correction then leaks away so that the period follows the
     * estimate within DRIFT_LEAK_S */
    if (a->drift_ref > 0.0 && fabs (log2 (period / a->drift_ref)) > 0.1)
      a->drift = 0.0;
    else if (a->drift_ref > 0.0)
      a->drift = (1.0 + a->drift) * a->drift_ref / period - 1.0;
    a->drift *= 1.0 - a->hop / (DRIFT_LEAK_S * a->arate);
    a->drift = CLAMP (a->drift, -DRIFT_MAX, DRIFT_MAX);
    a->drift_ref = period;
    period *= 1.0 + a->drift;
  }
  /* the beat goes on through a break, but not through a long silence or
   * the ringing tail after the music stopped */
  if (period > 0.0
      && (a->last_onset < 0.0
          || a->frame_end - a->last_onset > MAX (a->cfg.beat_hold_s * a->rate,
                 2.0 * period * a->hop * a->factor)))
    period = 0.0;
  a->score_period = period;
  if (a->dbn) {
    track_state_space (a, accent, period);
    if (a->cfg.tracker != OMNI_RHYTHM_TRACKER_SELECT)
      return;
  }
  omni_beat_tracker_do (a->bt, accent, period, NULL);
  a->state.frames++;
  {
    double next = omni_beat_tracker_get_next (a->bt);
    a->state.next_beat = next >= 0.0 ? frame_position (a, next) : -1.0;
  }
}

/* TRUE when no sample is NaN, infinite or beyond SAMPLE_CLAMP: the sum of
 * squares bounds every sample, and NaN fails the comparison */
static int
block_is_clean (const float *restrict x, size_t n)
{
  float acc[4] = { 0.0f, 0.0f, 0.0f, 0.0f };
  size_t k;

  for (k = 0; k + 4 <= n; k += 4) {
    acc[0] += x[k] * x[k];
    acc[1] += x[k + 1] * x[k + 1];
    acc[2] += x[k + 2] * x[k + 2];
    acc[3] += x[k + 3] * x[k + 3];
  }
  for (; k < n; k++)
    acc[0] += x[k] * x[k];
  return (double) acc[0] + acc[1] + acc[2] + acc[3]
         < (double) SAMPLE_CLAMP * SAMPLE_CLAMP;
}

/**
 * omni_rhythm_analyzer_process:
 * @a: an analyzer
 * @mono: (array length=n): samples, full scale = 1.0; NaN and infinities
 *   are analysed as 0, larger values are clamped to +-1e4
 * @n: number of samples (any, including 1)
 *
 * Analyses the samples; events found are queued for
 * omni_rhythm_analyzer_pop_event().
 */
void
omni_rhythm_analyzer_process (
    OmniRhythmAnalyzer *a, const float *mono, size_t n)
{
  float clean[DEC_BLOCK];
  size_t i = 0;

  while (i < n) {
    size_t take = MIN (n - i, (size_t) DEC_BLOCK), j, m, k = 0;
    const float *in = mono + i;

    /* NaN becomes 0 (NaN fails both comparisons), infinities and huge
     * values are clamped; a block whose energy is finite and below the
     * clamp has neither and is used as it is (the check vectorises, the
     * cleaning does not) */
    if (!block_is_clean (in, take)) {
      for (j = 0; j < take; j++) {
        float v = in[j];
        v = v == v ? v : 0.0f; /* NaN */
        v = v > SAMPLE_CLAMP ? SAMPLE_CLAMP : v;
        clean[j] = v < -SAMPLE_CLAMP ? -SAMPLE_CLAMP : v;
      }
      in = clean;
    }
    m = omni_decimator_do_split (a->dec, in, take, a->dbuf, a->hbuf);
    i += take;
    a->position += take;
    /* the analysis ring, one frame at a time */
    while (k < m) {
      size_t want = (size_t) (a->next_frame_end - a->apos);
      size_t t = MIN (m - k, want);
      for (j = 0; j < t;) {
        size_t c = MIN (t - j, (size_t) (a->win - a->ring_pos));
        memcpy (a->ring + a->ring_pos, a->dbuf + k + j, c * sizeof (float));
        memcpy (a->hring + a->ring_pos, a->hbuf + k + j, c * sizeof (float));
        a->ring_pos += (unsigned) c;
        if (a->ring_pos == a->win)
          a->ring_pos = 0;
        j += c;
      }
      k += t;
      a->apos += t;
      if (a->apos == a->next_frame_end) {
        a->frame_end = (double) a->factor * a->apos;
        analyse_frame (a);
        a->next_frame_end += a->hop;
        check_beat (a);
      }
    }
  }
  check_beat (a);
}

/**
 * omni_rhythm_analyzer_pop_event:
 * @a: an analyzer
 * @event: (out caller-allocates): the oldest queued event
 *
 * Events come out in the order they were found: onsets about
 * omni_rhythm_analyzer_get_latency() after they happened, beats as soon as
 * the stream reaches them.
 *
 * Returns: 1 when an event was returned, 0 when the queue is empty
 */
int
omni_rhythm_analyzer_pop_event (OmniRhythmAnalyzer *a, OmniRhythmEvent *event)
{
  if (a->ev_len == 0)
    return 0;
  *event = a->events[a->ev_head];
  a->ev_head = (a->ev_head + 1) % a->ev_cap;
  a->ev_len--;
  return 1;
}

/**
 * omni_rhythm_analyzer_get_state:
 * @a: an analyzer
 * @state: (out caller-allocates): the latest values
 *
 * The spectral descriptors are computed here, for the newest frame, the
 * first time they are asked for (they are not needed for every frame).
 */
void
omni_rhythm_analyzer_get_state (OmniRhythmAnalyzer *a, OmniRhythmState *state)
{
  if (a->state.frames > 0 && a->desc_frame != a->state.frames) {
    double bin_hz = a->arate / a->n_fft;
    unsigned k;

    if (a->desc_frame + 1 == a->state.frames && a->desc_frame > 0) {
      /* the magnitudes of the frame before are those computed last time */
      float *swap = a->mag_prev;
      a->mag_prev = a->mag;
      a->mag = swap;
    } else {
      for (k = 0; k < a->n_bins; k++)
        a->mag_prev[k] = sqrtf (a->power_prev[k]);
    }
    for (k = 0; k < a->n_bins; k++)
      a->mag[k] = sqrtf (a->power[k]);
    a->state.centroid = omni_spectral_centroid (a->mag, a->n_bins, bin_hz);
    a->state.rolloff
        = omni_spectral_rolloff (a->mag, a->n_bins, bin_hz, a->cfg.rolloff);
    a->state.flux = a->state.frames > 1 ? omni_spectral_flux_between (
                        a->mag, a->mag_prev, a->n_bins)
                                        : 0.0;
    a->desc_frame = a->state.frames;
  }
  *state = a->state;
}

/**
 * omni_rhythm_analyzer_take_peak_strength:
 * @a: an analyzer
 *
 * Returns: the largest onset strength of the frames analysed since the
 * previous call (or the reset), and starts a new maximum; 0 when no frame
 * was analysed in between
 */
double
omni_rhythm_analyzer_take_peak_strength (OmniRhythmAnalyzer *a)
{
  double p = a->peak_strength;

  a->peak_strength = 0.0;
  return p;
}

/**
 * omni_rhythm_analyzer_get_beat_phase:
 * @a: an analyzer
 * @position: a stream position in samples
 *
 * Returns: where @position lies within the current beat period, in [0,1)
 * (0 = on a beat); 0 when no beat has been found yet
 */
double
omni_rhythm_analyzer_get_beat_phase (
    const OmniRhythmAnalyzer *a, double position)
{
  double period, ref, ph;

  if (a->state.last_beat < 0.0 || !(a->state.bpm > 0.0))
    return 0.0;
  period = 60.0 * a->rate / a->state.bpm;
  ref = a->state.last_beat;
  if (a->state.next_beat >= 0.0 && position >= a->state.next_beat)
    ref = a->state.next_beat;
  else if (a->state.next_beat > ref && position >= ref)
    period = a->state.next_beat - ref;
  ph = (position - ref) / period;
  ph -= floor (ph);
  if (!isfinite (ph) || ph < 0.0 || ph >= 1.0)
    return 0.0;
  return ph;
}

/**
 * omni_rhythm_analyzer_get_position:
 * @a: an analyzer
 *
 * Returns: the number of samples analysed since the reset
 */
uint64_t
omni_rhythm_analyzer_get_position (const OmniRhythmAnalyzer *a)
{
  return a->position;
}

/**
 * omni_rhythm_config_get_latency:
 * @cfg: settings
 * @rate: sample rate in Hz
 *
 * Returns: what omni_rhythm_analyzer_get_latency() returns for an analyzer
 * made with @cfg and @rate, in seconds, without making one
 */
double
omni_rhythm_config_get_latency (const OmniRhythmConfig *cfg, double rate)
{
  Geometry g;
  double kappa;

  geometry (cfg, rate, &g);
  kappa = 0.5 * g.win + (0.5 * cfg->lag - 1.0) * g.hop;
  return (g.factor * (kappa + 1.5 * g.hop) + g.delay) / rate;
}

/**
 * omni_rhythm_analyzer_get_latency:
 * @a: an analyzer
 *
 * Returns: the longest time, in seconds, between an event and the moment
 * the analyzer has queued it (onsets need one frame of look-ahead)
 */
double
omni_rhythm_analyzer_get_latency (const OmniRhythmAnalyzer *a)
{
  return a->onset_latency / a->rate;
}

/**
 * omni_rhythm_analyzer_get_frame_rate:
 * @a: an analyzer
 *
 * Returns: analysis frames per second
 */
double
omni_rhythm_analyzer_get_frame_rate (const OmniRhythmAnalyzer *a)
{
  return a->arate / a->hop;
}

/**
 * omni_rhythm_analyzer_reset:
 * @a: an analyzer
 *
 * Starts over: the next sample is position 0. The first frame is analysed
 * once a whole window of new samples has arrived and only serves as the
 * reference of the next one, so a stream that starts (or restarts after a
 * discontinuity) in the middle of a sound gives no onset there.
 */
void
omni_rhythm_analyzer_reset (OmniRhythmAnalyzer *a)
{
  memset (a->ring, 0, a->win * sizeof (float));
  memset (a->hring, 0, a->win * sizeof (float));
  a->ring_pos = 0;
  a->position = 0;
  a->frame_end = 0.0;
  a->apos = 0;
  a->desc_frame = 0;
  a->next_frame_end = a->win;
  omni_decimator_reset (a->dec);
  memset (a->power, 0, a->n_bins * sizeof (float));
  memset (a->power_prev, 0, a->n_bins * sizeof (float));
  omni_onset_strength_reset (a->odf);
  omni_peak_picker_reset (a->pp);
  omni_tempo_reset (a->tempo);
  omni_beat_tracker_reset (a->bt);
  if (a->dbn)
    omni_beat_dbn_reset (a->dbn);
  a->tempo_countdown = a->tempo_every;
  memset (&a->state, 0, sizeof (OmniRhythmState));
  a->peak_strength = 0.0;
  a->state.last_beat = -1.0;
  a->state.next_beat = -1.0;
  a->emitted_beat = -1.0;
  a->bt_seen = -1.0;
  memset (a->acc_ring, 0, sizeof (a->acc_ring));
  a->merit[0] = a->merit[1] = 0.0;
  a->score_period = 0.0;
  a->selected = 0;
  a->last_onset = -1.0;
  a->pending_beat = -1.0;
  a->drift = 0.0;
  a->drift_ref = 0.0;
  a->locked = 0;
  a->conf_hold = 0.0;
  a->loose_hold = 0.0;
  a->flatness = 1.0;
  a->jump_bpm = 0.0;
  a->tracked_period = 0.0;
  a->jump_count = 0;
  memset (a->onsets, 0, sizeof (a->onsets));
  a->onset_pos = 0;
  a->n_onsets = 0;
  a->n_beats = 0;
  a->ev_head = 0;
  a->ev_len = 0;
}

/**
 * omni_rhythm_analyzer_get_spectrum_geometry:
 * @a: an analyzer
 * @rate: (out): the analysis rate, Hz
 * @window: (out): Hann window length, samples at @rate
 * @hop: (out): frame hop, samples at @rate
 * @n_fft: (out): transform length
 */
void
omni_rhythm_analyzer_get_spectrum_geometry (const OmniRhythmAnalyzer *a,
    double *rate, unsigned *window, unsigned *hop, unsigned *n_fft)
{
  *rate = a->arate;
  *window = a->win;
  *hop = a->hop;
  *n_fft = a->n_fft;
}

/**
 * omni_rhythm_analyzer_set_spectrum_func:
 * @a: an analyzer
 * @func: (nullable): called with the power spectrum of every frame (%NULL:
 *   none)
 * @user_data: passed to @func
 *
 * The first frame after a reset is the one whose window ends at sample
 * window (at the analysis rate), then one every hop.
 */
void
omni_rhythm_analyzer_set_spectrum_func (
    OmniRhythmAnalyzer *a, OmniRhythmSpectrumFunc func, void *user_data)
{
  a->spectrum_func = func;
  a->spectrum_data = user_data;
}

/**
 * omni_rhythm_analyzer_free:
 * @a: (transfer full) (nullable): an analyzer
 */
void
omni_rhythm_analyzer_free (OmniRhythmAnalyzer *a)
{
  if (!a)
    return;
  omni_window_free (a->window);
  free (a->ring);
  free (a->frame);
  free (a->power);
  free (a->power_prev);
  free (a->mag);
  free (a->mag_prev);
  free (a->dbuf);
  free (a->hbuf);
  free (a->hring);
  omni_decimator_free (a->dec);
  free (a->mel);
  omni_fft_free (a->fft);
  omni_mel_filterbank_free (a->fb);
  omni_onset_strength_free (a->odf);
  omni_peak_picker_free (a->pp);
  omni_tempo_free (a->tempo);
  omni_beat_tracker_free (a->bt);
  omni_beat_dbn_free (a->dbn);
  free (a->events);
  free (a);
}
