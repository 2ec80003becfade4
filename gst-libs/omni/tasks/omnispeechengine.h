/* gst-omni: speech recognition engines behind one small interface
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_SPEECH_ENGINE_H__
#define __OMNI_SPEECH_ENGINE_H__

#include <omni/omni-prelude.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * OmniSpeechWord:
 * @word: the word, UTF-8, without pronunciation variant markers
 * @start: its start, ns from the start of the stream
 * @end: its end, ns from the start of the stream
 * @confidence: the engine's posterior probability of the word, in [0,1]
 */
typedef struct {
  gchar *word;
  guint64 start;
  guint64 end;
  gdouble confidence;
} OmniSpeechWord;

/**
 * OmniSpeechEventType:
 * @OMNI_SPEECH_EVENT_SPEECH_START: the voice activity detector found speech;
 *   @start is the estimated start of the utterance
 * @OMNI_SPEECH_EVENT_UTTERANCE: an utterance ended; @start and @end span
 *   its words (or the voiced audio when it has none), @text and @words
 *   hold the final hypothesis
 * @OMNI_SPEECH_EVENT_KEYWORD: a key phrase was spotted; @text is the
 *   phrase, @start and @end its span, @confidence its posterior
 */
typedef enum {
  OMNI_SPEECH_EVENT_SPEECH_START,
  OMNI_SPEECH_EVENT_UTTERANCE,
  OMNI_SPEECH_EVENT_KEYWORD,
} OmniSpeechEventType;

/**
 * OmniSpeechEvent:
 * @type: what happened
 * @start: start, ns from the start of the stream
 * @end: end, ns from the start of the stream (0 for SPEECH_START)
 * @text: the utterance's words joined by spaces, or the key phrase
 * @confidence: [0,1]; for an utterance the mean of its words'
 * @words: (element-type OmniSpeechWord): an utterance's words, else NULL
 * @spans: (element-type guint64): an utterance's speech activity as
 *   start, end pairs (ns from the start of the stream): its words (and
 *   speech-like fillers), split where they pause for
 *   %OMNI_SPEECH_SPAN_PAUSE or more; else NULL
 * @forced: the utterance was cut at the maximum utterance length
 */
typedef struct {
  OmniSpeechEventType type;
  guint64 start;
  guint64 end;
  gchar *text;
  gdouble confidence;
  GArray *words;
  GArray *spans;
  gboolean forced;
} OmniSpeechEvent;

/* the pause between words that ends a span of speech activity: longer
 * than the pauses inside a phrase (Goldman-Eisler's 250 ms floor for
 * "hesitation pauses"), shorter than those between sentences */
#define OMNI_SPEECH_SPAN_PAUSE (300 * GST_MSECOND)

/**
 * OmniSpeechConfig:
 * @model_dir: engine model directory (NULL: the engine's default)
 * @keywords: key phrase file (NULL: no keyword spotting)
 * @max_utterance: cut utterances longer than this (ns; 0: never)
 * @keywords_only: spot the key phrases only, no transcription (much less
 *   work; utterances then carry no words)
 */
typedef struct {
  const gchar *model_dir;
  const gchar *keywords;
  guint64 max_utterance;
  gboolean keywords_only;
} OmniSpeechConfig;

typedef struct _OmniSpeechEngine OmniSpeechEngine;

/**
 * OmniSpeechEngineFuncs:
 *
 * What an engine implements. Audio arrives as mono S16 at rate(); times
 * go out as ns since the last start_stream(). process() and finish()
 * append #OmniSpeechEvent pointers to @events in time order.
 */
typedef struct {
  const gchar *name;
  gpointer (*open) (const OmniSpeechConfig *config, GError **error);
  void (*close) (gpointer engine);
  guint (*rate) (gpointer engine);
  gboolean (*start_stream) (gpointer engine, GError **error);
  gboolean (*process) (gpointer engine, const gint16 *samples, gsize n,
      GPtrArray *events, GError **error);
  gboolean (*finish) (gpointer engine, GPtrArray *events, GError **error);
  gboolean (*in_speech) (gpointer engine);
  guint64 (*lookback) (gpointer engine);
  void (*set_max_utterance) (gpointer engine, guint64 max_utterance);
} OmniSpeechEngineFuncs;

OMNI_API OmniSpeechEngine *omni_speech_engine_new (
    const gchar *name, const OmniSpeechConfig *config, GError **error);
OMNI_API void omni_speech_engine_free (OmniSpeechEngine *engine);
OMNI_API const gchar *omni_speech_engine_name (OmniSpeechEngine *engine);
OMNI_API guint omni_speech_engine_rate (OmniSpeechEngine *engine);
OMNI_API gboolean omni_speech_engine_start_stream (
    OmniSpeechEngine *engine, GError **error);
OMNI_API gboolean omni_speech_engine_process (OmniSpeechEngine *engine,
    const gint16 *samples, gsize n, GPtrArray *events, GError **error);
OMNI_API gboolean omni_speech_engine_finish (
    OmniSpeechEngine *engine, GPtrArray *events, GError **error);
OMNI_API gboolean omni_speech_engine_in_speech (OmniSpeechEngine *engine);
OMNI_API guint64 omni_speech_engine_lookback (OmniSpeechEngine *engine);
OMNI_API void omni_speech_engine_set_max_utterance (
    OmniSpeechEngine *engine, guint64 max_utterance);
OMNI_API const gchar *omni_speech_engine_default (void);

OMNI_API OmniSpeechEvent *omni_speech_event_new (
    OmniSpeechEventType type, guint64 start, guint64 end, const gchar *text);
OMNI_API void omni_speech_event_free (OmniSpeechEvent *event);
OMNI_API GPtrArray *omni_speech_events_new (void);

/* the engines built in (one per file) */
const OmniSpeechEngineFuncs *omni_speech_sphinx_funcs (void);

G_END_DECLS

#endif /* __OMNI_SPEECH_ENGINE_H__ */
