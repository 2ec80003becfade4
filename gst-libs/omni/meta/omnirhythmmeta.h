/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_RHYTHM_META_H__
#define __OMNI_RHYTHM_META_H__

#include <omni/omni-prelude.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * OMNI_RHYTHM_DB_FLOOR:
 *
 * The level, in dBFS, that #OmniRhythmMeta uses for digital silence
 * (instead of -infinity, which JSON cannot carry). Fresh metas have
 * @rms_db and @peak_db set to it, and the JSON form clamps lower or
 * non-finite levels to it.
 */
#define OMNI_RHYTHM_DB_FLOOR (-200.0)

/**
 * OmniRhythmMeta:
 * @meta: parent #GstMeta
 * @onset_strength: onset detection function value for this buffer
 *   (spectral flux based novelty, >= 0; larger means a stronger attack)
 * @onset: %TRUE when an onset was detected inside this buffer
 * @onset_offset: offset of the onset from the buffer PTS, in ns, or
 *   %GST_CLOCK_TIME_NONE if there is none
 * @tempo: current tempo estimate in beats per minute, 0 = unknown
 * @tempo_confidence: confidence of @tempo, in [0,1]
 * @beat: %TRUE when a beat falls inside this buffer
 * @beat_offset: offset of the beat from the buffer PTS, in ns, or
 *   %GST_CLOCK_TIME_NONE if there is none
 * @beat_phase: position of the buffer start within the beat period, in
 *   [0,1) (0 = on the beat)
 * @rms_db: RMS level in dBFS, %OMNI_RHYTHM_DB_FLOOR for silence
 * @peak_db: peak level in dBFS, %OMNI_RHYTHM_DB_FLOOR for silence
 * @centroid: spectral centroid in Hz
 * @flux: spectral flux (half-wave rectified magnitude difference to the
 *   previous frame)
 * @rolloff: spectral roll-off frequency in Hz
 * @short_term_db: highest short-term (50 ms) RMS level that ended inside
 *   this buffer, dBFS, %OMNI_RHYTHM_DB_FLOOR for silence
 * @impulses: impulsive onsets in this buffer (a 10 ms frame at least 12 dB
 *   above the quietest of the 50 ms before it, reaching -20 dBFS and 10 dB
 *   lower 70 ms later): bangs, shots, knocks
 * @flux_variance: variance of the spectral flux over the second of audio
 *   that ends with this buffer (speech/music cue, Scheirer & Slaney 1997)
 * @level_std_db: standard deviation of the 10 ms frame levels over that
 *   second, dB (speech/music cue: syllabic energy contour)
 * @persistence: mean cosine similarity of spectra 100 ms apart over that
 *   second, [0,1] (speech/music cue: held notes)
 * @context_s: seconds of audio (0 - 1) that @flux_variance, @level_std_db
 *   and @persistence summarise; 0 when they are unknown
 *
 * Audio rhythm and level features that omnirhythm attaches to each audio
 * buffer.
 */
typedef struct {
  GstMeta meta;

  gdouble onset_strength;
  gboolean onset;
  GstClockTime onset_offset;
  gdouble tempo;
  gdouble tempo_confidence;
  gboolean beat;
  GstClockTime beat_offset;
  gdouble beat_phase;
  gdouble rms_db;
  gdouble peak_db;
  gdouble centroid;
  gdouble flux;
  gdouble rolloff;
  /* since 1.1: loud-event and speech/music cues (docs/dsp.md) */
  gdouble short_term_db;
  guint impulses;
  gdouble flux_variance;
  gdouble level_std_db;
  gdouble persistence;
  gdouble context_s;
} OmniRhythmMeta;

#define OMNI_RHYTHM_META_API_TYPE (omni_rhythm_meta_api_get_type ())
#define OMNI_RHYTHM_META_INFO (omni_rhythm_meta_get_info ())

OMNI_API GType omni_rhythm_meta_api_get_type (void);
OMNI_API const GstMetaInfo *omni_rhythm_meta_get_info (void);

OMNI_API OmniRhythmMeta *omni_buffer_get_rhythm_meta (GstBuffer *buffer);

/* C callers get the lookup inlined; bindings call the function above. */
#ifndef __GI_SCANNER__
#define omni_buffer_get_rhythm_meta(b)                                         \
  ((OmniRhythmMeta *) gst_buffer_get_meta ((b), OMNI_RHYTHM_META_API_TYPE))
#endif

OMNI_API OmniRhythmMeta *omni_buffer_add_rhythm_meta (GstBuffer *buffer);

OMNI_API JsonNode *omni_rhythm_meta_to_json (const OmniRhythmMeta *meta);
OMNI_API OmniRhythmMeta *omni_buffer_add_rhythm_meta_from_json (
    GstBuffer *buffer, JsonObject *object, GError **error);

G_END_DECLS

#endif /* __OMNI_RHYTHM_META_H__ */
