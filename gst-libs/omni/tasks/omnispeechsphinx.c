/* gst-omni: the PocketSphinx speech engine
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * CMU PocketSphinx (Huggins-Daines et al., "PocketSphinx: a free, real-time
 * continuous speech recognition system for hand-held devices", ICASSP 2006)
 * through its C API (the 5prealpha ps_* API of Debian 12). Each utterance is
 * delimited by the front end's voice activity detector (ps_get_in_speech),
 * exactly as pocketsphinx_continuous does; word times come from the
 * segmentation (ps_seg_frames, in frames since ps_start_stream) and the
 * confidence from the lattice posterior (-bestpath). Key phrases are spotted
 * by a second decoder running the keyword search (-kws) on the same audio.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <unistd.h>
#include <stdio.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <pocketsphinx.h>
#include <sphinxbase/err.h>
#include <sphinxbase/feat.h>
#include <sphinxbase/cmn.h>

#include "omnispeechengine.h"

GST_DEBUG_CATEGORY_STATIC (omni_speech_sphinx_debug);
#define GST_CAT_DEFAULT omni_speech_sphinx_debug

#define SPHINX_RATE 16000
/* 100 ms (10 frames): the detector needs 10 voiced frames after the end of
 * an utterance to start the next, so one chunk never holds both */
#define SPHINX_CHUNK 1600
#define SPHINX_DEFAULT_MODEL_DIR "/usr/share/pocketsphinx/model/en-us"
#define SPHINX_PACKAGE "pocketsphinx-en-us"
/* frames (10 ms) a key phrase detection must lie in the past to be final */
#define SPHINX_KWS_SETTLE 30

typedef struct {
  const gchar *phrase;
  gint sf, ef;
} SphinxDetection;

typedef struct {
  ps_decoder_t *ps;
  mfcc_t *cmn_init; /* the model's initial cepstral mean */
  gboolean kws;
  gboolean activity;  /* this decoder's detector reports speech activity */
  gboolean utt_open;  /* ps_start_utt called, ps_end_utt not yet */
  gboolean in_speech; /* the detector is inside an utterance */
  guint64 speech_pos; /* sample where the detector started it */
  GArray *reported;   /* SphinxDetection reported this utterance */
} SphinxDecoder;

typedef struct {
  SphinxDecoder lm;
  SphinxDecoder kws;
  guint64 pos; /* samples since start_stream */
  gint frate;
  guint64 lookback;
  guint64 max_utterance;
} SphinxEngine;

/* PocketSphinx logs through sphinxbase's err module: route it to GStreamer's
 * debug log instead of stderr */
static void
sphinx_log (void *user_data, err_lvl_t lvl, const char *fmt, ...)
{
  va_list args;
  gchar *msg;

  if (gst_debug_category_get_threshold (GST_CAT_DEFAULT) < GST_LEVEL_WARNING)
    return;
  va_start (args, fmt);
  msg = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_strchomp (msg);
  if (lvl >= ERR_WARN)
    GST_WARNING ("%s", msg);
  else
    GST_LOG ("%s", msg);
  g_free (msg);
}

static void
sphinx_init_once (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (omni_speech_sphinx_debug, "omnispeechsphinx", 0,
        "PocketSphinx speech engine");
    /* (the configuration dump goes to the log file, not the callback) */
    err_set_logfp (NULL);
    err_set_callback (sphinx_log, NULL);
    g_once_init_leave (&done, 1);
  }
}

static gboolean
sphinx_check_file (const gchar *path, gboolean dir, GError **error)
{
  if (g_file_test (path, dir ? G_FILE_TEST_IS_DIR : G_FILE_TEST_IS_REGULAR))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
      "PocketSphinx model file %s not found: install the Debian package "
      "%s (the US English model), or set model-dir to a directory with "
      "en-us/ (acoustic model), en-us.lm.bin and cmudict-en-us.dict",
      path, SPHINX_PACKAGE);
  return FALSE;
}

static cmd_ln_t *
sphinx_config (const gchar *model_dir, const gchar *kws, GError **error)
{
  gchar *hmm = g_build_filename (model_dir, "en-us", NULL);
  gchar *mdef = g_build_filename (hmm, "mdef", NULL);
  gchar *lm = g_build_filename (model_dir, "en-us.lm.bin", NULL);
  gchar *dict = g_build_filename (model_dir, "cmudict-en-us.dict", NULL);
  cmd_ln_t *config = NULL;

  if (sphinx_check_file (hmm, TRUE, error)
      && sphinx_check_file (mdef, FALSE, error)
      && sphinx_check_file (dict, FALSE, error)
      && (kws || sphinx_check_file (lm, FALSE, error))) {
    if (kws)
      config = cmd_ln_init (NULL, ps_args (), TRUE, "-hmm", hmm, "-dict", dict,
          "-kws", kws, NULL);
    else
      config = cmd_ln_init (
          NULL, ps_args (), TRUE, "-hmm", hmm, "-lm", lm, "-dict", dict, NULL);
    if (config == NULL)
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
          "PocketSphinx refused its configuration (model %s)", model_dir);
  }
  g_free (hmm);
  g_free (mdef);
  g_free (lm);
  g_free (dict);
  return config;
}

static ps_decoder_t *
sphinx_decoder_new (const gchar *model_dir, const gchar *kws, GError **error)
{
  cmd_ln_t *config = sphinx_config (model_dir, kws, error);
  ps_decoder_t *ps;

  if (config == NULL)
    return NULL;
  ps = ps_init (config);
  cmd_ln_free_r (config);
  if (ps == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "PocketSphinx could not load the model in %s (corrupt or not a "
        "PocketSphinx model; the Debian package %s has the US English one)",
        model_dir, SPHINX_PACKAGE);
  return ps;
}

/* Checks a key phrase file ("phrase /threshold/" a line, # comments) against
 * the dictionary and writes it lower-cased to a temporary file for -kws. */
static gchar *
sphinx_keywords_normalise (ps_decoder_t *ps, const gchar *path, GError **error)
{
  gchar *contents = NULL, *tmp_path = NULL, **lines, **l;
  GString *out;
  guint n = 0;
  gint fd;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  out = g_string_new (NULL);
  lines = g_strsplit (contents, "\n", -1);
  for (l = lines; *l; l++) {
    gchar *line = g_strstrip (g_utf8_strdown (*l, -1));
    gchar *slash = strchr (line, '/');
    gchar *hash = strchr (line, '#');
    gchar *phrase, **words, **w;

    if (hash && (!slash || hash < slash))
      *hash = '\0';
    phrase = g_strstrip (
        g_strndup (line, slash ? (gsize) (slash - line) : strlen (line)));
    words = g_strsplit_set (phrase, " \t", -1);
    for (w = words; *w && (!error || !*error); w++) {
      gchar *pron = **w ? ps_lookup_word (ps, *w) : g_strdup ("");
      if (pron == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
            "%s: '%s' is not in the PocketSphinx dictionary (line '%s')", path,
            *w, *l);
      g_free (pron);
    }
    if (*phrase && (!error || !*error)) {
      if (slash
          && (!g_str_has_suffix (slash, "/") || strlen (slash) < 3
              || g_ascii_strtod (slash + 1, NULL) <= 0.0))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
            "%s: bad threshold in '%s' (expected: phrase /1e-20/)", path, *l);
      g_string_append_printf (out, "%s %s\n", phrase, slash ? slash : "");
      n++;
    }
    g_strfreev (words);
    g_free (phrase);
    g_free (line);
    if (error && *error)
      break;
  }
  g_strfreev (lines);
  g_free (contents);
  if ((!error || !*error) && n == 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "%s: no key phrase in the file", path);
  if ((!error || !*error)
      && (fd = g_file_open_tmp ("omnispeech-kws-XXXXXX", &tmp_path, error))
             >= 0) {
    if (write (fd, out->str, out->len) != (gssize) out->len)
      g_set_error (
          error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", tmp_path);
    close (fd);
  }
  g_string_free (out, TRUE);
  if (error && *error && tmp_path) {
    g_unlink (tmp_path);
    g_clear_pointer (&tmp_path, g_free);
  }
  return tmp_path;
}

static void sphinx_close (gpointer data);

static gpointer
sphinx_open (const OmniSpeechConfig *config, GError **error)
{
  const gchar *dir
      = config->model_dir ? config->model_dir : SPHINX_DEFAULT_MODEL_DIR;
  SphinxEngine *s = g_new0 (SphinxEngine, 1);
  cmd_ln_t *cfg;

  sphinx_init_once ();
  s->max_utterance = config->max_utterance;
  s->lm.ps = sphinx_decoder_new (dir, NULL, error);
  if (s->lm.ps && config->keywords && *config->keywords) {
    gchar *kws = sphinx_keywords_normalise (s->lm.ps, config->keywords, error);
    if (kws) {
      s->kws.ps = sphinx_decoder_new (dir, kws, error);
      s->kws.kws = TRUE;
      g_unlink (kws);
      g_free (kws);
    }
    if (s->kws.ps == NULL)
      g_clear_pointer (&s->lm.ps, ps_free);
  } else if (s->lm.ps && config->keywords_only) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "spotting key phrases only, but no key phrase file given");
    g_clear_pointer (&s->lm.ps, ps_free);
  }
  if (s->lm.ps == NULL) {
    sphinx_close (s);
    return NULL;
  }
  /* the language model decoder was only needed to check the key phrases */
  if (config->keywords_only)
    g_clear_pointer (&s->lm.ps, ps_free);
  s->lm.activity = s->lm.ps != NULL;
  s->kws.activity = s->lm.ps == NULL;
  cfg = ps_get_config (s->lm.ps ? s->lm.ps : s->kws.ps);
  s->frate = cmd_ln_int32_r (cfg, "-frate");
  /* the detector confirms speech after -vad_startspeech voiced frames and
   * then hands over -vad_prespeech frames from before it, plus the window */
  s->lookback = gst_util_uint64_scale (
      cmd_ln_int32_r (cfg, "-vad_prespeech")
          + cmd_ln_int32_r (cfg, "-vad_startspeech") + 3,
      GST_SECOND, s->frate);
  GST_INFO ("PocketSphinx ready: model %s, %d frames/s, keywords %s", dir,
      s->frate, config->keywords ? config->keywords : "none");
  return s;
}

static void
sphinx_close (gpointer data)
{
  SphinxEngine *s = data;

  if (s->lm.ps)
    ps_free (s->lm.ps);
  if (s->kws.ps)
    ps_free (s->kws.ps);
  g_free (s->lm.cmn_init);
  g_free (s->kws.cmn_init);
  if (s->lm.reported)
    g_array_unref (s->lm.reported);
  if (s->kws.reported)
    g_array_unref (s->kws.reported);
  g_free (s);
}

static guint
sphinx_rate (gpointer data)
{
  return SPHINX_RATE;
}

static guint64
sphinx_frame_ns (SphinxEngine *s, gint frame)
{
  return gst_util_uint64_scale (MAX (frame, 0), GST_SECOND, s->frate);
}

static guint64
sphinx_pos_ns (guint64 samples)
{
  return gst_util_uint64_scale (samples, GST_SECOND, SPHINX_RATE);
}

static gboolean
sphinx_start_utt (SphinxDecoder *d, GError **error)
{
  if (ps_start_utt (d->ps) < 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "PocketSphinx could not start an utterance");
    return FALSE;
  }
  d->utt_open = TRUE;
  d->in_speech = FALSE;
  if (d->reported == NULL)
    d->reported = g_array_new (FALSE, FALSE, sizeof (SphinxDetection));
  g_array_set_size (d->reported, 0);
  return TRUE;
}

/* live cepstral mean normalisation adapts across utterances: a new stream
 * starts again from the model's initial mean, so that what came before a
 * flush or a discontinuity does not change what comes after */
static void
sphinx_cmn_reset (SphinxDecoder *d)
{
  cmn_t *cmn = ps_get_feat (d->ps)->cmn_struct;

  if (cmn == NULL)
    return;
  if (d->cmn_init == NULL) {
    d->cmn_init = g_new0 (mfcc_t, cmn->veclen);
    cmn_live_get (cmn, d->cmn_init);
  } else {
    cmn_live_set (cmn, d->cmn_init);
  }
}

static gboolean
sphinx_decoder_restart (SphinxDecoder *d, GError **error)
{
  if (d->ps == NULL)
    return TRUE;
  if (d->utt_open)
    ps_end_utt (d->ps);
  d->utt_open = FALSE;
  sphinx_cmn_reset (d);
  ps_start_stream (d->ps);
  return sphinx_start_utt (d, error);
}

static gboolean
sphinx_start_stream (gpointer data, GError **error)
{
  SphinxEngine *s = data;

  s->pos = 0;
  return sphinx_decoder_restart (&s->lm, error)
         && sphinx_decoder_restart (&s->kws, error);
}

static gboolean
sphinx_is_filler (const gchar *word)
{
  return word[0] == '<' || word[0] == '[' || word[0] == '+';
}

/* extends the last span, or starts one after a long enough silence */
static void
sphinx_span_add (GArray *spans, guint64 start, guint64 end)
{
  guint n = spans->len;

  if (n >= 2
      && start
             < g_array_index (spans, guint64, n - 1) + OMNI_SPEECH_SPAN_PAUSE) {
    g_array_index (spans, guint64, n - 1) = end;
    return;
  }
  g_array_append_val (spans, start);
  g_array_append_val (spans, end);
}

/* "word(2)" (a pronunciation variant) -> "word" */
static gchar *
sphinx_word_strip (const gchar *word)
{
  const gchar *paren = strchr (word, '(');

  return g_strndup (
      word, paren && paren != word ? (gsize) (paren - word) : strlen (word));
}

static void
sphinx_collect_words (SphinxEngine *s, SphinxDecoder *d, OmniSpeechEvent *ev)
{
  logmath_t *lmath = ps_get_logmath (d->ps);
  GString *text = g_string_new (NULL);
  gdouble conf_sum = 0.0;
  ps_seg_t *seg;

  ev->words = g_array_new (FALSE, TRUE, sizeof (OmniSpeechWord));
  ev->spans = g_array_new (FALSE, FALSE, sizeof (guint64));
  for (seg = ps_seg_iter (d->ps); seg; seg = ps_seg_next (seg)) {
    const gchar *w = ps_seg_word (seg);
    OmniSpeechWord word;
    gint sf, ef;

    if (w == NULL)
      continue;
    ps_seg_frames (seg, &sf, &ef);
    if (!sphinx_is_filler (w) || g_str_equal (w, "[SPEECH]"))
      sphinx_span_add (
          ev->spans, sphinx_frame_ns (s, sf), sphinx_frame_ns (s, ef + 1));
    if (sphinx_is_filler (w))
      continue;
    word.word = sphinx_word_strip (w);
    word.start = sphinx_frame_ns (s, sf);
    word.end = sphinx_frame_ns (s, ef + 1);
    word.confidence = CLAMP (
        logmath_exp (lmath, ps_seg_prob (seg, NULL, NULL, NULL)), 0, 1);
    conf_sum += word.confidence;
    if (text->len)
      g_string_append_c (text, ' ');
    g_string_append (text, word.word);
    g_array_append_val (ev->words, word);
  }
  if (ev->words->len > 0) {
    ev->start = g_array_index (ev->words, OmniSpeechWord, 0).start;
    ev->end = g_array_index (ev->words, OmniSpeechWord, ev->words->len - 1).end;
    ev->confidence = conf_sum / ev->words->len;
  }
  g_free (ev->text);
  ev->text = g_string_free (text, FALSE);
}

/* whether this detection (or an overlapping one of the same phrase: the
 * search may fire on several end frames of one occurrence) was reported */
static gboolean
sphinx_detection_seen (SphinxDecoder *d, const gchar *phrase, gint sf, gint ef)
{
  guint i;

  for (i = 0; i < d->reported->len; i++) {
    SphinxDetection *r = &g_array_index (d->reported, SphinxDetection, i);
    if (g_strcmp0 (r->phrase, phrase) == 0 && sf <= r->ef && ef >= r->sf)
      return TRUE;
  }
  return FALSE;
}

/* whether the search holds a later detection of the same occurrence of
 * @phrase (overlapping @sf..@ef, ending later): the phrase's last phone
 * went on, and that one's end is the better one */
static gboolean
sphinx_detection_superseded (
    SphinxDecoder *d, const gchar *phrase, gint sf, gint ef)
{
  ps_seg_t *seg;
  gint osf, oef;

  for (seg = ps_seg_iter (d->ps); seg; seg = ps_seg_next (seg)) {
    ps_seg_frames (seg, &osf, &oef);
    if (oef > ef && osf <= ef && oef >= sf
        && g_strcmp0 (ps_seg_word (seg), phrase) == 0) {
      ps_seg_free (seg);
      return TRUE;
    }
  }
  return FALSE;
}

/* the keyword search lists its detections newest first, and moves a
 * detection's end while the phrase's last phone goes on: report the ones
 * not seen yet, oldest first, with the latest end of their occurrence, once
 * that ended SPHINX_KWS_SETTLE frames before @now (any frame when @now is
 * negative: the utterance ended) */
static void
sphinx_report_keywords (
    SphinxEngine *s, SphinxDecoder *d, gint64 now, GPtrArray *events)
{
  logmath_t *lmath = ps_get_logmath (d->ps);
  guint first = events->len;
  ps_seg_t *seg;

  for (seg = ps_seg_iter (d->ps); seg; seg = ps_seg_next (seg)) {
    const gchar *phrase = ps_seg_word (seg);
    SphinxDetection det;
    OmniSpeechEvent *ev;

    ps_seg_frames (seg, &det.sf, &det.ef);
    if ((now >= 0 && det.ef + SPHINX_KWS_SETTLE > now)
        || sphinx_detection_seen (d, phrase, det.sf, det.ef)
        || sphinx_detection_superseded (d, phrase, det.sf, det.ef))
      continue;
    det.phrase = phrase;
    g_array_append_val (d->reported, det);
    ev = omni_speech_event_new (OMNI_SPEECH_EVENT_KEYWORD,
        sphinx_frame_ns (s, det.sf), sphinx_frame_ns (s, det.ef + 1), phrase);
    ev->confidence = CLAMP (
        logmath_exp (lmath, ps_seg_prob (seg, NULL, NULL, NULL)), 0, 1);
    g_strstrip (ev->text); /* the kws file's "phrase /threshold/" */
    g_ptr_array_insert (events, first, ev);
  }
}

/* ends the decoder's utterance, appends its result, starts the next one */
static gboolean
sphinx_end_utt (SphinxEngine *s, SphinxDecoder *d, gboolean forced,
    gboolean restart, GPtrArray *events, GError **error)
{
  OmniSpeechEvent *ev;

  if (!d->utt_open)
    return TRUE;
  ps_end_utt (d->ps);
  d->utt_open = FALSE;
  if (d->kws)
    sphinx_report_keywords (s, d, -1, events);
  if (d->activity && d->in_speech) {
    guint64 vad_start = sphinx_pos_ns (d->speech_pos);
    ev = omni_speech_event_new (OMNI_SPEECH_EVENT_UTTERANCE,
        vad_start > s->lookback ? vad_start - s->lookback : 0,
        sphinx_pos_ns (s->pos), NULL);
    ev->forced = forced;
    if (d->kws)
      ev->words = g_array_new (FALSE, TRUE, sizeof (OmniSpeechWord));
    else
      sphinx_collect_words (s, d, ev);
    g_ptr_array_add (events, ev);
  }
  d->in_speech = FALSE;
  return restart ? sphinx_start_utt (d, error) : TRUE;
}

static gboolean
sphinx_step (SphinxEngine *s, SphinxDecoder *d, const gint16 *samples, gsize n,
    GPtrArray *events, GError **error)
{
  gboolean speech;

  if (ps_process_raw (d->ps, samples, n, FALSE, FALSE) < 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "PocketSphinx failed to decode audio");
    return FALSE;
  }
  speech = ps_get_in_speech (d->ps);
  if (speech && !d->in_speech) {
    d->in_speech = TRUE;
    d->speech_pos = s->pos + n;
    if (d->activity) {
      guint64 t = sphinx_pos_ns (d->speech_pos);
      g_ptr_array_add (
          events, omni_speech_event_new (OMNI_SPEECH_EVENT_SPEECH_START,
                      t > s->lookback ? t - s->lookback : 0, 0, NULL));
    }
  }
  if (d->kws)
    sphinx_report_keywords (
        s, d, (gint64) (s->pos + n) * s->frate / SPHINX_RATE, events);
  if (!speech && d->in_speech)
    return sphinx_end_utt (s, d, FALSE, TRUE, events, error);
  if (d->in_speech && s->max_utterance > 0
      && sphinx_pos_ns (s->pos + n - d->speech_pos) + s->lookback
             > s->max_utterance)
    return sphinx_end_utt (s, d, TRUE, TRUE, events, error);
  return TRUE;
}

static gboolean
sphinx_process (gpointer data, const gint16 *samples, gsize n,
    GPtrArray *events, GError **error)
{
  SphinxEngine *s = data;

  while (n > 0) {
    gsize chunk = MIN (n, SPHINX_CHUNK);

    if (s->lm.ps && !sphinx_step (s, &s->lm, samples, chunk, events, error))
      return FALSE;
    if (s->kws.ps && !sphinx_step (s, &s->kws, samples, chunk, events, error))
      return FALSE;
    s->pos += chunk;
    samples += chunk;
    n -= chunk;
  }
  return TRUE;
}

static gboolean
sphinx_finish (gpointer data, GPtrArray *events, GError **error)
{
  SphinxEngine *s = data;

  if (s->lm.ps && !sphinx_end_utt (s, &s->lm, FALSE, FALSE, events, error))
    return FALSE;
  return s->kws.ps == NULL
         || sphinx_end_utt (s, &s->kws, FALSE, FALSE, events, error);
}

static gboolean
sphinx_in_speech (gpointer data)
{
  SphinxEngine *s = data;

  return s->lm.in_speech || s->kws.in_speech;
}

static guint64
sphinx_lookback (gpointer data)
{
  SphinxEngine *s = data;

  return s->lookback;
}

static void
sphinx_set_max_utterance (gpointer data, guint64 max_utterance)
{
  SphinxEngine *s = data;

  s->max_utterance = max_utterance;
}

static const OmniSpeechEngineFuncs sphinx_funcs = {
  .name = "pocketsphinx",
  .open = sphinx_open,
  .close = sphinx_close,
  .rate = sphinx_rate,
  .start_stream = sphinx_start_stream,
  .process = sphinx_process,
  .finish = sphinx_finish,
  .in_speech = sphinx_in_speech,
  .lookback = sphinx_lookback,
  .set_max_utterance = sphinx_set_max_utterance,
};

const OmniSpeechEngineFuncs *
omni_speech_sphinx_funcs (void)
{
  return &sphinx_funcs;
}
