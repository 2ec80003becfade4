/* gst-omni: speech recognition engines behind one small interface
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omnispeechengine
 * @title: OmniSpeechEngine
 * @short_description: streaming speech recognition (words with times,
 *   voice activity, key phrase spotting) behind a small engine interface
 *
 * An engine takes mono 16-bit audio at its own rate and returns events:
 * speech started, an utterance ended (its words with times and
 * confidence), a key phrase was spotted. Times are ns since the last
 * omni_speech_engine_start_stream(). The only engine built in is
 * "pocketsphinx" (CMU PocketSphinx through its C API); another is added
 * by implementing #OmniSpeechEngineFuncs and listing it in engines[].
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnispeechengine.h"

struct _OmniSpeechEngine {
  const OmniSpeechEngineFuncs *funcs;
  gpointer impl;
};

typedef const OmniSpeechEngineFuncs *(*OmniSpeechEngineGetter) (void);

static const OmniSpeechEngineGetter engines[] = {
  omni_speech_sphinx_funcs,
};

/**
 * omni_speech_engine_default:
 *
 * Returns: the name of the engine used when none is asked for
 */
const gchar *
omni_speech_engine_default (void)
{
  return engines[0]()->name;
}

/**
 * omni_speech_engine_new:
 * @name: (nullable): engine name (NULL: the default)
 * @config: model directory, key phrase file, maximum utterance length
 * @error: where to put why it failed (a missing model names the package)
 *
 * Returns: (transfer full) (nullable): a ready engine, its stream started
 */
OmniSpeechEngine *
omni_speech_engine_new (
    const gchar *name, const OmniSpeechConfig *config, GError **error)
{
  const OmniSpeechEngineFuncs *funcs = NULL;
  OmniSpeechEngine *engine;
  gpointer impl;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (engines); i++) {
    if (name == NULL || g_strcmp0 (engines[i]()->name, name) == 0) {
      funcs = engines[i]();
      break;
    }
  }
  if (funcs == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
        "unknown speech engine '%s' (built in: %s)", name,
        omni_speech_engine_default ());
    return NULL;
  }
  impl = funcs->open (config, error);
  if (impl == NULL)
    return NULL;
  engine = g_new0 (OmniSpeechEngine, 1);
  engine->funcs = funcs;
  engine->impl = impl;
  if (!omni_speech_engine_start_stream (engine, error)) {
    omni_speech_engine_free (engine);
    return NULL;
  }
  return engine;
}

void
omni_speech_engine_free (OmniSpeechEngine *engine)
{
  if (engine == NULL)
    return;
  engine->funcs->close (engine->impl);
  g_free (engine);
}

const gchar *
omni_speech_engine_name (OmniSpeechEngine *engine)
{
  return engine->funcs->name;
}

/**
 * omni_speech_engine_rate:
 *
 * Returns: the sample rate (Hz) process() expects
 */
guint
omni_speech_engine_rate (OmniSpeechEngine *engine)
{
  return engine->funcs->rate (engine->impl);
}

/**
 * omni_speech_engine_start_stream:
 *
 * Drops any utterance in progress and starts a new time base: the next
 * sample processed is at time 0.
 */
gboolean
omni_speech_engine_start_stream (OmniSpeechEngine *engine, GError **error)
{
  return engine->funcs->start_stream (engine->impl, error);
}

/**
 * omni_speech_engine_process:
 * @events: (element-type OmniSpeechEvent): where events are appended
 */
gboolean
omni_speech_engine_process (OmniSpeechEngine *engine, const gint16 *samples,
    gsize n, GPtrArray *events, GError **error)
{
  return engine->funcs->process (engine->impl, samples, n, events, error);
}

/**
 * omni_speech_engine_finish:
 *
 * Ends the utterance in progress (end of stream or a discontinuity) and
 * appends its result. The stream must be started again before more audio.
 */
gboolean
omni_speech_engine_finish (
    OmniSpeechEngine *engine, GPtrArray *events, GError **error)
{
  return engine->funcs->finish (engine->impl, events, error);
}

/**
 * omni_speech_engine_in_speech:
 *
 * Returns: whether an utterance is in progress
 */
gboolean
omni_speech_engine_in_speech (OmniSpeechEngine *engine)
{
  return engine->funcs->in_speech (engine->impl);
}

/**
 * omni_speech_engine_lookback:
 *
 * Returns: how far before the current position (ns) an utterance that the
 *   detector has not yet confirmed may start: audio older than this and
 *   outside any utterance is known to be silence
 */
guint64
omni_speech_engine_lookback (OmniSpeechEngine *engine)
{
  return engine->funcs->lookback (engine->impl);
}

/**
 * omni_speech_engine_set_max_utterance:
 * @max_utterance: ns; 0: utterances are never cut
 *
 * Utterances longer than this are ended (and their words returned) where
 * they reach it; the next one starts right after.
 */
void
omni_speech_engine_set_max_utterance (
    OmniSpeechEngine *engine, guint64 max_utterance)
{
  engine->funcs->set_max_utterance (engine->impl, max_utterance);
}

OmniSpeechEvent *
omni_speech_event_new (
    OmniSpeechEventType type, guint64 start, guint64 end, const gchar *text)
{
  OmniSpeechEvent *event = g_new0 (OmniSpeechEvent, 1);

  event->type = type;
  event->start = start;
  event->end = end;
  event->text = g_strdup (text ? text : "");
  return event;
}

static void
omni_speech_word_clear (gpointer data)
{
  OmniSpeechWord *word = data;

  g_free (word->word);
}

void
omni_speech_event_free (OmniSpeechEvent *event)
{
  if (event == NULL)
    return;
  if (event->words) {
    g_array_set_clear_func (event->words, omni_speech_word_clear);
    g_array_unref (event->words);
  }
  if (event->spans)
    g_array_unref (event->spans);
  g_free (event->text);
  g_free (event);
}

/**
 * omni_speech_events_new:
 *
 * Returns: (transfer full): an empty array that frees its events
 */
GPtrArray *
omni_speech_events_new (void)
{
  return g_ptr_array_new_with_free_func (
      (GDestroyNotify) omni_speech_event_free);
}
