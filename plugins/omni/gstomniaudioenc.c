/* gst-omni: omniaudioenc, a Vulkan-compute log-mel / MFCC audio front end
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-omniaudioenc
 * @title: omniaudioenc
 * @short_description: log-mel / MFCC features of sliding windows, computed
 *   in Vulkan compute shaders
 *
 * omniaudioenc computes the front end that audio models such as YAMNet,
 * VGGish, PANNs or Whisper's encoder start from, on any Vulkan device
 * (a GPU, or the CPU through Mesa's lavapipe): a short-time Fourier
 * transform (Hann window of #GstOmniAudioEnc:win-length samples in frames
 * of #GstOmniAudioEnc:n-fft, every #GstOmniAudioEnc:hop samples), the power
 * or magnitude spectrum, a mel filterbank (Slaney or HTK scale,
 * #GstOmniAudioEnc:n-mels bands from #GstOmniAudioEnc:fmin to
 * #GstOmniAudioEnc:fmax), a log (decibels with a #GstOmniAudioEnc:top-db
 * floor, or ln (x + #GstOmniAudioEnc:log-offset)), optionally MFCCs
 * (DCT-II, orthonormal, #GstOmniAudioEnc:n-mfcc coefficients) and their
 * deltas. The definitions are librosa's (librosa.stft with center=False,
 * librosa.filters.mel, librosa.power_to_db, librosa.feature.mfcc,
 * librosa.feature.delta); the library's double-precision reference
 * omni_logmel_ref_window_features() computes the same values.
 *
 * The stream is cut into windows of #GstOmniAudioEnc:window seconds every
 * #GstOmniAudioEnc:window-hop seconds (0.96 s / 0.48 s by default, as
 * YAMNet and VGGish frame their input), counted in samples from the first
 * buffer after a start, a flushing seek, a new segment or a discontinuity.
 * Each window's patch is attached to the buffer in which the window ends,
 * as #OmniTensorMeta, with the window's exact running-time span in its
 * start and end fields:
 *
 * - `log-mel` (or `mfcc` with #GstOmniAudioEnc:n-mfcc, `mel` with
 *   log=none): F32 [frames, features], frames = 1 + (window samples -
 *   n-fft) / hop;
 * - `delta` and `delta-delta` (with #GstOmniAudioEnc:deltas 1 or 2): F32
 *   [frames, features], the Savitzky-Golay derivatives of the patch along
 *   time;
 * - `embedding`: F32 [2 * features], the mean then the standard deviation
 *   of each feature over the window.
 *
 * The audio itself passes through untouched. Multi-channel input is
 * averaged to mono (librosa.to_mono); NaN or infinite samples are analysed
 * as silence and reported once per stream with a warning message.
 *
 * Windows completed by the same buffer (file input, large buffers) are
 * computed in one submission, up to #GstOmniAudioEnc:batch-size at a time;
 * with small live buffers each window is computed as soon as its last
 * sample arrives, so nothing is held back. The results for a window are
 * only known once it has ended: the element adds the window length to the
 * LATENCY query.
 *
 * ## Element messages
 *
 * With #GstOmniAudioEnc:post-messages, one message per window, named
 * `omniaudioenc`, with these fields:
 *
 * - `timestamp` (#guint64): the buffer timestamp of the window start
 * - `stream-time` (#guint64): the stream time of the window start
 * - `running-time` (#guint64): the running time of the window start
 * - `duration` (#guint64): the window length in nanoseconds
 * - `end-running-time` (#guint64): the running time of the window end
 * - `window` (#guint64): the window's index since the stream (re)started
 * - `n-frames` (#guint): STFT frames in the patch
 * - `n-features` (#guint): values per frame (n-mels, or n-mfcc)
 * - `mean` (#GstValueArray of #gdouble): the mean of each feature over the
 *   window (the first half of the `embedding` tensor)
 * - `std` (#GstValueArray of #gdouble): the standard deviation of each
 *   feature over the window
 * - `loudest-band` (#guint): the feature with the largest mean
 * - `model` (#gchararray, with #GstOmniAudioEnc:model): the model's id
 * - `label` (#gchararray, with a model): the model's best class
 * - `score` (#gdouble, with a model): its score
 *
 * With #GstOmniAudioEnc:model, the patch of each window is also run through
 * a TF.js layers model on the same Vulkan runtime as omnivisionenc; its
 * class scores are attached as #OmniClassMeta (labels from the model's
 * labels.txt) to the same buffer.
 *
 * A stream that ends before its first window is complete gets a warning
 * message ("stream shorter than one window").
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -m filesrc location=speech.wav ! decodebin ! audioconvert !
 *   audioresample ! audio/x-raw,rate=16000 ! omniaudioenc n-mels=64
 *   fmin=125 fmax=7500 ! fakesink
 * ]| prints one `omniaudioenc` message every 0.48 s with the pooled log-mel
 * statistics of the last 0.96 s.
 *
 * |[
 * gst-launch-1.0 -m autoaudiosrc ! audioconvert ! audioresample !
 *   audio/x-raw,rate=16000 ! omniaudioenc n-fft=400 hop=160 n-mels=80
 *   window=0.5 window-hop=0.1 ! fakesink
 * ]| live Whisper-style 80-band features, ten windows a second.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnilatency.h"
#include "gstomniaudioenc.h"

#include <math.h>
#include <string.h>

#include <gst/audio/audio.h>
#include <omni/meta/omniclassmeta.h>
#include <omni/meta/omnitensormeta.h>
#include <omni/audio/omnimelvk.h>
#include <omni/nn/omninnsession.h>
#include <omni/vk/omnivkerror.h>

GST_DEBUG_CATEGORY_STATIC (gst_omni_audio_enc_debug);
#define GST_CAT_DEFAULT gst_omni_audio_enc_debug

/* a timestamp further than this from the sample count restarts the
 * windows (GstAudioBaseSink's default alignment threshold) */
#define DISCONT_THRESHOLD (40 * GST_MSECOND)

#define DEFAULT_N_FFT 512
#define DEFAULT_WIN_LENGTH 0
#define DEFAULT_HOP 160
#define DEFAULT_SPECTRUM OMNI_LOGMEL_SPECTRUM_POWER
#define DEFAULT_N_MELS 64
#define DEFAULT_FMIN 0.0
#define DEFAULT_FMAX 0.0
#define DEFAULT_MEL_SCALE GST_OMNI_AUDIO_ENC_MEL_SLANEY
#define DEFAULT_MEL_NORM OMNI_MEL_NORM_SLANEY
#define DEFAULT_LOG OMNI_LOGMEL_LOG_DB
#define DEFAULT_TOP_DB 80.0
#define DEFAULT_LOG_OFFSET 1e-6
#define DEFAULT_N_MFCC 0
#define DEFAULT_DELTAS 0
#define DEFAULT_DELTA_WIDTH 9
#define DEFAULT_WINDOW 0.96
#define DEFAULT_WINDOW_HOP 0.48
#define DEFAULT_BATCH_SIZE 16
#define DEFAULT_POST_MESSAGES TRUE

typedef enum {
  GST_OMNI_AUDIO_ENC_MEL_SLANEY,
  GST_OMNI_AUDIO_ENC_MEL_HTK,
} GstOmniAudioEncMelScale;

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_N_FFT,
  PROP_WIN_LENGTH,
  PROP_HOP,
  PROP_SPECTRUM,
  PROP_N_MELS,
  PROP_FMIN,
  PROP_FMAX,
  PROP_MEL_SCALE,
  PROP_MEL_NORM,
  PROP_LOG,
  PROP_TOP_DB,
  PROP_LOG_OFFSET,
  PROP_N_MFCC,
  PROP_DELTAS,
  PROP_DELTA_WIDTH,
  PROP_WINDOW,
  PROP_WINDOW_HOP,
  PROP_BATCH_SIZE,
  PROP_POST_MESSAGES,
  PROP_MODEL,
  PROP_STATS,
  PROP_ALLOW_UNVERIFIED,
};

struct _GstOmniAudioEnc {
  GstAudioFilter parent;

  /* properties, under the object lock */
  gchar *device_name;
  guint n_fft, win_length, hop, n_mels, n_mfcc, deltas, delta_width;
  guint batch_size;
  OmniLogMelSpectrum spectrum;
  GstOmniAudioEncMelScale mel_scale;
  OmniMelNorm mel_norm;
  OmniLogMelLog log;
  gdouble fmin, fmax, top_db, log_offset, window, window_hop;
  gboolean post_messages;
  gchar *model_name;
  gboolean allow_unverified;
  gboolean dirty; /* a front-end property changed since the last setup */

  /* streaming thread */
  OmniVkDevice *device;
  OmniMelVk *mv;
  OmniLogMelParams params;
  gint rate; /* of the negotiated caps */
  guint win_samples, hop_samples, n_frames, n_feat, n_deltas;
  gboolean messages;
  GArray *hist;        /* mono samples, hist[0] is sample hist_start */
  guint64 hist_start;  /* sample index since the origin */
  guint64 total;       /* samples received since the origin */
  guint64 next_window; /* index of the next window to complete */
  GstClockTime origin; /* running time of sample 0; NONE: not started */
  gboolean got_window; /* a window completed since start */
  guint64 nonfinite;   /* NaN/inf samples replaced in this stream */
  gboolean nonfinite_warned;
  gsize *offsets;
  gfloat *feat, *delt, *emb;
  guint cap_windows;

  /* model= (loaded at start, run through an OmniNnSession on Vulkan) */
  OmniNnSession *session;
  const OmniNnModel *model; /* the session's */
  gint model_rate;          /* userDefinedMetadata.omni.sampleRate, 0: any */
  gint prob_output;         /* index of the classifier output */
  gfloat *nn_input;         /* [F, C, input_c] */
  gchar **class_labels;

  /* stats, under the object lock */
  guint64 stat_windows, stat_submissions, stat_frames;
};

#define gst_omni_audio_enc_parent_class parent_class
G_DEFINE_TYPE (GstOmniAudioEnc, gst_omni_audio_enc, GST_TYPE_AUDIO_FILTER);
GST_ELEMENT_REGISTER_DEFINE (
    omniaudioenc, "omniaudioenc", GST_RANK_NONE, GST_TYPE_OMNI_AUDIO_ENC);

#define ALLOWED_CAPS                                                           \
  "audio/x-raw, format = (string) { F32LE, S16LE }, "                          \
  "rate = (int) [ 1, MAX ], channels = (int) [ 1, 8 ], "                       \
  "layout = (string) interleaved"

#define GST_TYPE_OMNI_AUDIO_ENC_SPECTRUM (spectrum_get_type ())
static GType
spectrum_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { OMNI_LOGMEL_SPECTRUM_POWER, "Power spectrum |X|^2", "power" },
    { OMNI_LOGMEL_SPECTRUM_MAGNITUDE, "Magnitude spectrum |X|", "magnitude" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstOmniAudioEncSpectrum", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

#define GST_TYPE_OMNI_AUDIO_ENC_MEL_SCALE (mel_scale_get_type ())
static GType
mel_scale_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { GST_OMNI_AUDIO_ENC_MEL_SLANEY,
        "Slaney's Auditory Toolbox scale (librosa htk=False)", "slaney" },
    { GST_OMNI_AUDIO_ENC_MEL_HTK, "HTK scale 2595 log10 (1 + f / 700)", "htk" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstOmniAudioEncMelScale", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

#define GST_TYPE_OMNI_AUDIO_ENC_MEL_NORM (mel_norm_get_type ())
static GType
mel_norm_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { OMNI_MEL_NORM_NONE, "Triangles with a peak of 1", "none" },
    { OMNI_MEL_NORM_SLANEY,
        "Triangles of constant area (librosa "
        "norm='slaney')",
        "slaney" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstOmniAudioEncMelNorm", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

#define GST_TYPE_OMNI_AUDIO_ENC_LOG (log_get_type ())
static GType
log_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { OMNI_LOGMEL_LOG_DB,
        "Decibels (librosa power_to_db / amplitude_to_db) "
        "with the top-db floor",
        "db" },
    { OMNI_LOGMEL_LOG_LN, "Natural log ln (mel + log-offset)", "ln" },
    { OMNI_LOGMEL_LOG_NONE, "The mel energies themselves", "none" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstOmniAudioEncLog", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

/* ---- stream state ---------------------------------------------------- */

static void
reset_stream (GstOmniAudioEnc *self)
{
  if (self->hist)
    g_array_set_size (self->hist, 0);
  self->hist_start = 0;
  self->total = 0;
  self->next_window = 0;
  self->origin = GST_CLOCK_TIME_NONE;
  self->nonfinite = 0;
  self->nonfinite_warned = FALSE;
  if (self->mv)
    omni_mel_vk_reset (self->mv);
}

static void
free_front_end (GstOmniAudioEnc *self)
{
  g_clear_pointer (&self->mv, omni_mel_vk_free);
  g_clear_pointer (&self->offsets, g_free);
  g_clear_pointer (&self->feat, g_free);
  g_clear_pointer (&self->delt, g_free);
  g_clear_pointer (&self->emb, g_free);
  self->cap_windows = 0;
}

static GstClockTime
samples_to_time (GstOmniAudioEnc *self, guint64 samples)
{
  return gst_util_uint64_scale_round (samples, GST_SECOND, self->rate);
}

static void
free_model (GstOmniAudioEnc *self)
{
  g_clear_pointer (&self->nn_input, g_free);
  g_clear_pointer (&self->class_labels, g_strfreev);
  g_clear_pointer (&self->session, omni_nn_session_free);
  self->model = NULL;
  self->model_rate = 0;
}

/* The sample rate an audio model declares in model.json
 * (userDefinedMetadata.omni.sampleRate), 0 when it declares none. */
static gint
read_model_rate (const gchar *path)
{
  JsonParser *parser = json_parser_new ();
  gint rate = 0;

  if (json_parser_load_from_file (parser, path, NULL)) {
    JsonNode *root = json_parser_get_root (parser);
    JsonObject *o
        = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
    const gchar *keys[] = { "userDefinedMetadata", "omni" };
    guint i;

    for (i = 0; o && i < G_N_ELEMENTS (keys); i++) {
      JsonNode *n = json_object_get_member (o, keys[i]);
      o = n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
    }
    if (o && json_object_has_member (o, "sampleRate"))
      rate = (gint) json_object_get_int_member (o, "sampleRate");
  }
  g_object_unref (parser);
  return MAX (rate, 0);
}

/* Loads model= and prepares it on the Vulkan device; posts an error. */
static gboolean
load_model (GstOmniAudioEnc *self, const gchar *name, const gchar *device)
{
  GError *err = NULL;
  gchar *path;
  guint i;
  OmniNnLoadFlags flags;

  GST_OBJECT_LOCK (self);
  flags = self->allow_unverified ? OMNI_NN_LOAD_ALLOW_UNVERIFIED
                                 : OMNI_NN_LOAD_DEFAULT;
  GST_OBJECT_UNLOCK (self);
  path = omni_nn_model_resolve (name, &err);
  if (path)
    self->session = omni_nn_session_new_full (
        path, OMNI_NN_BACKEND_VULKAN, device, flags, &err);
  if (!self->session && err->code == OMNI_NN_ERROR_DEVICE) {
    GST_ELEMENT_ERROR (self, LIBRARY, INIT,
        ("cannot prepare model '%s' on the Vulkan device: %s", name,
            err->message),
        (NULL));
    g_error_free (err);
    g_free (path);
    return FALSE;
  }
  if (self->session && !omni_nn_session_get_model (self->session)->verified) {
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("Model \"%s\" is not verified: its results cannot be trusted.", name),
        ("loaded because unverified models are allowed: %s",
            omni_nn_session_get_model (self->session)->unverified_reason));
  }
  if (!self->session) {
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
        ("cannot load model '%s': %s", name, err->message),
        ("OMNI_MODEL_PATH=%s", GST_STR_NULL (g_getenv ("OMNI_MODEL_PATH"))));
    g_error_free (err);
    g_free (path);
    return FALSE;
  }
  self->model = omni_nn_session_get_model (self->session);
  self->model_rate = read_model_rate (path);
  g_free (path);
  self->prob_output
      = omni_nn_graph_find_output (self->model->graph, "probabilities");
  if (self->prob_output < 0)
    self->prob_output = 0;
  {
    gsize n_classes = omni_nn_graph_tensor (self->model->graph,
        omni_nn_graph_output (self->model->graph, self->prob_output)->tensor)
                          ->n_elements;
    self->class_labels = g_new0 (gchar *, n_classes + 1);
    for (i = 0; i < n_classes; i++)
      self->class_labels[i] = self->model->n_labels == n_classes
                                  ? g_strdup (self->model->labels[i])
                                  : g_strdup_printf ("class-%u", i);
  }
  GST_INFO_OBJECT (self, "model %s: input [%u, %u, %u], rate %d", name,
      self->model->graph->input_h, self->model->graph->input_w,
      self->model->graph->input_c, self->model_rate);
  return TRUE;
}

/* Builds the front end for the negotiated rate from the properties.
 * Posts an error and returns FALSE when they cannot work. */
static gboolean
setup_front_end (GstOmniAudioEnc *self)
{
  OmniLogMelParams p;
  gint rate = self->rate;
  gdouble window, window_hop, nyquist = rate / 2.0;
  guint batch;
  gchar *msg = NULL;
  GError *err = NULL;

  free_front_end (self);
  reset_stream (self);

  GST_OBJECT_LOCK (self);
  omni_logmel_params_init (&p, rate);
  p.n_fft = self->n_fft;
  p.win_length = self->win_length;
  p.hop = self->hop;
  p.spectrum = self->spectrum;
  p.n_mels = self->n_mels;
  p.fmin = self->fmin;
  p.fmax = self->fmax;
  p.htk = self->mel_scale == GST_OMNI_AUDIO_ENC_MEL_HTK;
  p.norm = self->mel_norm;
  p.log = self->log;
  p.top_db = self->top_db;
  p.log_offset = self->log_offset;
  p.n_mfcc = self->n_mfcc;
  p.delta_order = self->deltas;
  p.delta_width = self->delta_width;
  window = self->window;
  window_hop = self->window_hop;
  batch = self->batch_size;
  self->messages = self->post_messages;
  self->dirty = FALSE;
  GST_OBJECT_UNLOCK (self);

  if (p.fmax > nyquist) {
    GST_ELEMENT_WARNING (self, STREAM, FORMAT,
        ("fmax %.1f Hz is above the Nyquist frequency of %d Hz audio; using "
         "%.1f Hz",
            p.fmax, rate, nyquist),
        ("fmax clamped to sample-rate / 2"));
    p.fmax = nyquist;
  }
  if (p.fmin >= (p.fmax > 0 ? p.fmax : nyquist)) {
    GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS,
        ("fmin %.1f Hz must be below fmax (%.1f Hz at %d Hz)", p.fmin,
            p.fmax > 0 ? p.fmax : nyquist, rate),
        (NULL));
    return FALSE;
  }

  self->win_samples = (guint) MIN (llround (window * rate), G_MAXUINT);
  self->hop_samples = (guint) MAX (llround (window_hop * rate), 1);
  if (self->win_samples < p.n_fft) {
    GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS,
        ("window of %.4f s (%u samples at %d Hz) is shorter than n-fft (%u "
         "samples)",
            window, self->win_samples, rate, p.n_fft),
        (NULL));
    return FALSE;
  }
  self->n_frames = omni_logmel_n_frames (&p, self->win_samples);
  if (!omni_logmel_params_check (&p, self->n_frames, &msg)) {
    GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS,
        ("invalid front-end settings: %s", msg), (NULL));
    g_free (msg);
    return FALSE;
  }
  self->params = p;
  self->n_feat = omni_logmel_n_features (&p);
  self->n_deltas = p.delta_order;

  if (self->model) {
    const OmniNnGraph *g = self->model->graph;
    if (self->model_rate > 0 && self->model_rate != rate) {
      GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
          ("model '%s' needs %d Hz audio, the stream has %d Hz: put "
           "audioresample before omniaudioenc",
              self->model->id, self->model_rate, rate),
          (NULL));
      return FALSE;
    }
    if (g->input_h != self->n_frames || g->input_w != self->n_feat) {
      GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS,
          ("model '%s' takes a patch of %u frames x %u features; the "
           "settings give %u x %u (window=%.4f s holds 1 + (window samples - "
           "n-fft) / hop frames; features are n-mels, or n-mfcc)",
              self->model->id, g->input_h, g->input_w, self->n_frames,
              self->n_feat, window),
          (NULL));
      return FALSE;
    }
    g_free (self->nn_input);
    self->nn_input
        = g_new (gfloat, (gsize) g->input_h * g->input_w * g->input_c);
  }

  self->mv = omni_mel_vk_new (
      self->device, &p, self->win_samples, self->hop_samples, batch, &err);
  if (!self->mv) {
    GST_ELEMENT_ERROR (self, LIBRARY, INIT,
        ("cannot set up the Vulkan front end: %s", err->message),
        ("device %s", omni_vk_device_get_name (self->device)));
    g_error_free (err);
    return FALSE;
  }
  GST_INFO_OBJECT (self,
      "%d Hz: windows of %u samples every %u, %u frames x %u features, "
      "device %s",
      rate, self->win_samples, self->hop_samples, self->n_frames, self->n_feat,
      omni_vk_device_get_name (self->device));
  return TRUE;
}

static gboolean
gst_omni_audio_enc_setup (GstAudioFilter *filter, const GstAudioInfo *info)
{
  GstOmniAudioEnc *self = GST_OMNI_AUDIO_ENC (filter);

  if (!self->device)
    return FALSE;
  self->rate = GST_AUDIO_INFO_RATE (info);
  return setup_front_end (self);
}

static gboolean
gst_omni_audio_enc_start (GstBaseTransform *trans)
{
  GstOmniAudioEnc *self = GST_OMNI_AUDIO_ENC (trans);
  GError *err = NULL;
  gchar *name, *model;

  GST_OBJECT_LOCK (self);
  name = g_strdup (self->device_name);
  GST_OBJECT_UNLOCK (self);

  self->device = omni_vk_device_get (name, &err);
  if (!self->device) {
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
        ("no usable Vulkan device: %s", err->message),
        ("device=%s", name ? name : "(default)"));
    g_error_free (err);
    g_free (name);
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  model = g_strdup (self->model_name);
  GST_OBJECT_UNLOCK (self);
  if (model && *model && !load_model (self, model, name)) {
    g_free (model);
    g_free (name);
    gst_clear_object (&self->device);
    return FALSE;
  }
  g_free (model);
  g_free (name);
  self->hist = g_array_new (FALSE, FALSE, sizeof (gfloat));
  self->got_window = FALSE;
  reset_stream (self);
  return TRUE;
}

static gboolean
gst_omni_audio_enc_stop (GstBaseTransform *trans)
{
  GstOmniAudioEnc *self = GST_OMNI_AUDIO_ENC (trans);

  free_front_end (self);
  free_model (self);
  if (self->hist) {
    g_array_unref (self->hist);
    self->hist = NULL;
  }
  gst_clear_object (&self->device);
  return TRUE;
}

static gboolean
gst_omni_audio_enc_sink_event (GstBaseTransform *trans, GstEvent *event)
{
  GstOmniAudioEnc *self = GST_OMNI_AUDIO_ENC (trans);

  switch (GST_EVENT_TYPE (event)) {
  case GST_EVENT_FLUSH_STOP:
  case GST_EVENT_SEGMENT:
  case GST_EVENT_GAP:
    /* windows restart at the next buffer (running time changes) */
    reset_stream (self);
    break;
  case GST_EVENT_STREAM_START:
    reset_stream (self);
    self->got_window = FALSE;
    break;
  case GST_EVENT_EOS:
    if (!self->got_window && self->total > 0 && self->win_samples > 0)
      GST_ELEMENT_WARNING (self, STREAM, FORMAT,
          ("stream shorter than one window: %.3f s of audio, windows of "
           "%.3f s; no window analysed",
              (double) self->total / self->rate,
              (double) self->win_samples / self->rate),
          ("set a shorter window"));
    break;
  default:
    break;
  }
  return GST_BASE_TRANSFORM_CLASS (parent_class)->sink_event (trans, event);
}

static GstClockTime
audio_enc_own_latency (GstBaseTransform *trans)
{
  GstOmniAudioEnc *self = GST_OMNI_AUDIO_ENC (trans);
  GstClockTime ours;

  GST_OBJECT_LOCK (self);
  ours = (GstClockTime) llround (self->window * GST_SECOND);
  GST_OBJECT_UNLOCK (self);
  /* exact when the rate is known */
  if (self->win_samples > 0 && self->rate > 0)
    ours = samples_to_time (self, self->win_samples);
  return ours;
}

static gboolean
gst_omni_audio_enc_query (
    GstBaseTransform *trans, GstPadDirection direction, GstQuery *query)
{
  return omni_latency_transform_query (trans,
      GST_BASE_TRANSFORM_CLASS (parent_class), direction, query,
      audio_enc_own_latency);
}

/* Appends @n frames of @data as mono float; non-finite samples become 0. */
static void
append_mono (GstOmniAudioEnc *self, const guint8 *data, guint n)
{
  GstAudioFormat fmt = GST_AUDIO_FILTER_FORMAT (self);
  guint ch = GST_AUDIO_FILTER_CHANNELS (self), i, c;
  guint old = self->hist->len;
  gfloat *dst;

  g_array_set_size (self->hist, old + n);
  dst = &g_array_index (self->hist, gfloat, old);
  if (fmt == GST_AUDIO_FORMAT_F32LE) {
    const gfloat *src = (const gfloat *) data;
    for (i = 0; i < n; i++) {
      gfloat acc = 0.0f;
      for (c = 0; c < ch; c++) {
        gfloat v = GFLOAT_FROM_LE (src[i * ch + c]);
        if (!isfinite (v)) {
          v = 0.0f;
          self->nonfinite++;
        }
        acc += v;
      }
      dst[i] = ch > 1 ? acc / ch : acc;
    }
  } else {
    const gint16 *src = (const gint16 *) data;
    for (i = 0; i < n; i++) {
      gint32 acc = 0;
      for (c = 0; c < ch; c++)
        acc += GINT16_FROM_LE (src[i * ch + c]);
      dst[i] = (gfloat) acc / (32768.0f * ch);
    }
  }
}

static gboolean
ensure_capacity (GstOmniAudioEnc *self, guint n_windows)
{
  gsize per = (gsize) self->n_frames * self->n_feat;

  if (n_windows <= self->cap_windows)
    return TRUE;
  self->cap_windows = MAX (n_windows, self->cap_windows * 2);
  self->offsets = g_renew (gsize, self->offsets, self->cap_windows);
  self->feat = g_renew (gfloat, self->feat, self->cap_windows * per);
  self->delt = g_renew (
      gfloat, self->delt, self->cap_windows * per * MAX (self->n_deltas, 1));
  self->emb = g_renew (
      gfloat, self->emb, (gsize) self->cap_windows * 2 * self->n_feat);
  return TRUE;
}

static void
add_tensor (GstBuffer *buf, const gchar *name, const gfloat *data, guint n_dims,
    const gsize *dims, GstClockTime start, GstClockTime end)
{
  gsize n = 1, i;
  OmniTensorMeta *m;
  GBytes *bytes;

  for (i = 0; i < n_dims; i++)
    n *= dims[i];
  bytes = g_bytes_new (data, n * sizeof (gfloat));
  m = omni_buffer_add_tensor_meta (
      buf, name, OMNI_TENSOR_DTYPE_F32, n_dims, dims, bytes);
  g_bytes_unref (bytes);
  m->start = start;
  m->end = end;
}

static void
post_window_message (GstOmniAudioEnc *self, guint64 index, GstClockTime start,
    GstClockTime end, const gfloat *emb)
{
  GstSegment *seg = &GST_BASE_TRANSFORM (self)->segment;
  GstStructure *s;
  GValue mean = G_VALUE_INIT, std = G_VALUE_INIT, v = G_VALUE_INIT;
  guint c, loudest = 0;
  guint64 pts, stream_time;

  pts = gst_segment_position_from_running_time (seg, GST_FORMAT_TIME, start);
  stream_time = gst_segment_to_stream_time (seg, GST_FORMAT_TIME, pts);
  gst_value_array_init (&mean, self->n_feat);
  gst_value_array_init (&std, self->n_feat);
  g_value_init (&v, G_TYPE_DOUBLE);
  for (c = 0; c < self->n_feat; c++) {
    g_value_set_double (&v, emb[c]);
    gst_value_array_append_value (&mean, &v);
    g_value_set_double (&v, emb[self->n_feat + c]);
    gst_value_array_append_value (&std, &v);
    if (emb[c] > emb[loudest])
      loudest = c;
  }
  g_value_unset (&v);
  s = gst_structure_new ("omniaudioenc", "timestamp", G_TYPE_UINT64, pts,
      "stream-time", G_TYPE_UINT64, stream_time, "running-time", G_TYPE_UINT64,
      start, "duration", G_TYPE_UINT64, end - start, "end-running-time",
      G_TYPE_UINT64, end, "window", G_TYPE_UINT64, index, "n-frames",
      G_TYPE_UINT, self->n_frames, "n-features", G_TYPE_UINT, self->n_feat,
      "loudest-band", G_TYPE_UINT, loudest, NULL);
  gst_structure_take_value (s, "mean", &mean);
  gst_structure_take_value (s, "std", &std);
  if (self->model) {
    const gfloat *sc
        = omni_nn_session_get_output (self->session, self->prob_output, NULL);
    guint i, best = 0, n = g_strv_length (self->class_labels);
    for (i = 1; i < n; i++)
      if (sc[i] > sc[best])
        best = i;
    gst_structure_set (s, "model", G_TYPE_STRING, self->model->id, "label",
        G_TYPE_STRING, self->class_labels[best], "score", G_TYPE_DOUBLE,
        (gdouble) sc[best], NULL);
  }
  gst_element_post_message (
      GST_ELEMENT (self), gst_message_new_element (GST_OBJECT (self), s));
}

/* Runs the model on one patch and attaches its class scores. The patch is
 * the model's [frames, features] input, copied into each of its channels
 * (models trained from image networks take the log-mel as three identical
 * planes). */
static gboolean
run_model (GstOmniAudioEnc *self, GstBuffer *buf, const gfloat *patch)
{
  const OmniNnGraph *g = self->model->graph;
  gsize n = (gsize) g->input_h * g->input_w, i;
  guint c, n_classes = g_strv_length (self->class_labels);
  OmniNnInput in = { 0 };
  GError *err = NULL;

  for (i = 0; i < n; i++)
    for (c = 0; c < g->input_c; c++)
      self->nn_input[i * g->input_c + c] = patch[i];
  in.tensor = self->nn_input;
  /* a lost device is re-created once by the session */
  if (!omni_nn_session_run (self->session, &in, &err)) {
    GST_ELEMENT_ERROR (self, LIBRARY, FAILED,
        ("model '%s' failed: %s", self->model->id, err->message), (NULL));
    g_error_free (err);
    return FALSE;
  }
  omni_buffer_add_class_meta (buf, self->model->id, n_classes,
      (const gchar *const *) self->class_labels,
      omni_nn_session_get_output (self->session, self->prob_output, NULL));
  return TRUE;
}

static const gchar *
patch_name (GstOmniAudioEnc *self)
{
  if (self->params.n_mfcc > 0)
    return "mfcc";
  return self->params.log == OMNI_LOGMEL_LOG_NONE ? "mel" : "log-mel";
}

static GstFlowReturn
gst_omni_audio_enc_transform_ip (GstBaseTransform *trans, GstBuffer *buf)
{
  GstOmniAudioEnc *self = GST_OMNI_AUDIO_ENC (trans);
  GstAudioFilter *filter = GST_AUDIO_FILTER (trans);
  gint rate = GST_AUDIO_FILTER_RATE (filter);
  guint bpf = GST_AUDIO_FILTER_BPF (filter);
  GstMapInfo map;
  guint n, skip = 0, nw, w;
  GstClockTime pts = GST_BUFFER_PTS (buf), rt = GST_CLOCK_TIME_NONE;
  gsize per;
  GError *err = NULL;
  gboolean dirty;

  if (G_UNLIKELY (rate <= 0 || bpf == 0))
    return GST_FLOW_NOT_NEGOTIATED;

  GST_OBJECT_LOCK (self);
  dirty = self->dirty;
  GST_OBJECT_UNLOCK (self);
  if (G_UNLIKELY (dirty || !self->mv)) {
    if (!setup_front_end (self))
      return GST_FLOW_NOT_NEGOTIATED;
  }

  if (!gst_buffer_map (buf, &map, GST_MAP_READ)) {
    GST_ELEMENT_ERROR (self, RESOURCE, READ, ("cannot map the buffer"), (NULL));
    return GST_FLOW_ERROR;
  }
  n = map.size / bpf;

  /* place the buffer on the running-time axis */
  if (GST_CLOCK_TIME_IS_VALID (pts)) {
    guint64 r;
    gint sign = gst_segment_to_running_time_full (
        &trans->segment, GST_FORMAT_TIME, pts, &r);
    if (sign > 0) {
      rt = r;
    } else if (sign < 0) {
      /* starts before the segment: skip the samples before its start */
      guint64 s = gst_util_uint64_scale_ceil (r, rate, GST_SECOND);
      skip = (guint) MIN (s, (guint64) n);
      rt = skip < n ? samples_to_time (self, s) - r : GST_CLOCK_TIME_NONE;
    }
  }
  if (GST_CLOCK_TIME_IS_VALID (self->origin) && GST_CLOCK_TIME_IS_VALID (rt)) {
    GstClockTime expect = self->origin + samples_to_time (self, self->total);
    GstClockTimeDiff d = GST_CLOCK_DIFF (expect, rt);
    if (GST_BUFFER_IS_DISCONT (buf) || ABS (d) > (gint64) DISCONT_THRESHOLD) {
      GST_DEBUG_OBJECT (self,
          "discontinuity (%" GST_STIME_FORMAT "), restarting windows",
          GST_STIME_ARGS (d));
      reset_stream (self);
    }
  }
  if (!GST_CLOCK_TIME_IS_VALID (self->origin)) {
    if (!GST_CLOCK_TIME_IS_VALID (rt)) {
      /* nothing to anchor windows on yet (no timestamp, or entirely before
       * the segment): pass through */
      gst_buffer_unmap (buf, &map);
      return GST_FLOW_OK;
    }
    self->origin = rt;
  }

  append_mono (self, map.data + (gsize) skip * bpf, n - skip);
  gst_buffer_unmap (buf, &map);
  self->total += n - skip;
  if (self->nonfinite > 0 && !self->nonfinite_warned) {
    self->nonfinite_warned = TRUE;
    GST_ELEMENT_WARNING (self, STREAM, FORMAT,
        ("the audio holds NaN or infinite samples; they are analysed as "
         "silence"),
        ("%" G_GUINT64_FORMAT " so far", self->nonfinite));
  }

  /* the windows this buffer completes */
  nw = 0;
  while ((self->next_window + nw) * self->hop_samples + self->win_samples
         <= self->total)
    nw++;
  if (nw > 0) {
    guint64 subs = omni_mel_vk_get_n_submissions (self->mv);
    guint64 frames = omni_mel_vk_get_n_frames_computed (self->mv);

    ensure_capacity (self, nw);
    for (w = 0; w < nw; w++)
      self->offsets[w]
          = (self->next_window + w) * self->hop_samples - self->hist_start;
    if (!omni_mel_vk_process_stream (self->mv,
            (const gfloat *) self->hist->data, self->hist->len,
            self->hist_start, self->offsets, nw, self->feat,
            self->n_deltas ? self->delt : NULL, self->emb, &err)) {
      GST_ELEMENT_ERROR (self, LIBRARY, FAILED,
          ("Vulkan front end failed: %s", err->message), (NULL));
      g_error_free (err);
      return GST_FLOW_ERROR;
    }
    GST_OBJECT_LOCK (self);
    self->stat_windows += nw;
    self->stat_submissions += omni_mel_vk_get_n_submissions (self->mv) - subs;
    self->stat_frames += omni_mel_vk_get_n_frames_computed (self->mv) - frames;
    GST_OBJECT_UNLOCK (self);
    per = (gsize) self->n_frames * self->n_feat;
    for (w = 0; w < nw; w++) {
      guint64 k = self->next_window + w;
      GstClockTime start
          = self->origin + samples_to_time (self, k * self->hop_samples);
      GstClockTime end
          = self->origin
            + samples_to_time (self, k * self->hop_samples + self->win_samples);
      gsize dims[2] = { self->n_frames, self->n_feat };
      gsize edim = 2 * self->n_feat;
      guint o;

      add_tensor (
          buf, patch_name (self), self->feat + w * per, 2, dims, start, end);
      for (o = 0; o < self->n_deltas; o++)
        add_tensor (buf, o == 0 ? "delta" : "delta-delta",
            self->delt + (w * self->n_deltas + o) * per, 2, dims, start, end);
      add_tensor (buf, "embedding", self->emb + w * edim, 1, &edim, start, end);
      if (self->model && !run_model (self, buf, self->feat + w * per))
        return GST_FLOW_ERROR;
      if (self->messages)
        post_window_message (self, k, start, end, self->emb + w * edim);
    }
    self->next_window += nw;
    self->got_window = TRUE;
  }

  /* keep the samples from the next window's start on */
  {
    guint64 keep_from = self->next_window * self->hop_samples;
    if (keep_from > self->hist_start) {
      guint64 drop = MIN (keep_from - self->hist_start, self->hist->len);
      g_array_remove_range (self->hist, 0, (guint) drop);
      self->hist_start += drop;
    }
  }
  return GST_FLOW_OK;
}

/* ---- properties --------------------------------------------------------- */

static void
gst_omni_audio_enc_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstOmniAudioEnc *self = GST_OMNI_AUDIO_ENC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_DEVICE:
    g_free (self->device_name);
    self->device_name = g_value_dup_string (value);
    break;
  case PROP_N_FFT: {
    guint v = g_value_get_uint (value);
    if (v & 1)
      /* a refused value is a GLib warning, as GObject's own range checks
       * are: visible without GST_DEBUG (gst-launch-1.0 prints it) */
      g_warning ("%s: refusing n-fft=%u: it must be even (any even length "
                 "works, powers of two or not)",
          GST_OBJECT_NAME (self), v);
    else
      self->n_fft = v;
    break;
  }
  case PROP_WIN_LENGTH:
    self->win_length = g_value_get_uint (value);
    break;
  case PROP_HOP:
    self->hop = g_value_get_uint (value);
    break;
  case PROP_SPECTRUM:
    self->spectrum = g_value_get_enum (value);
    break;
  case PROP_N_MELS:
    self->n_mels = g_value_get_uint (value);
    break;
  case PROP_FMIN:
    self->fmin = g_value_get_double (value);
    break;
  case PROP_FMAX:
    self->fmax = g_value_get_double (value);
    break;
  case PROP_MEL_SCALE:
    self->mel_scale = g_value_get_enum (value);
    break;
  case PROP_MEL_NORM:
    self->mel_norm = g_value_get_enum (value);
    break;
  case PROP_LOG:
    self->log = g_value_get_enum (value);
    break;
  case PROP_TOP_DB:
    self->top_db = g_value_get_double (value);
    break;
  case PROP_LOG_OFFSET:
    self->log_offset = g_value_get_double (value);
    break;
  case PROP_N_MFCC:
    self->n_mfcc = g_value_get_uint (value);
    break;
  case PROP_DELTAS:
    self->deltas = g_value_get_uint (value);
    break;
  case PROP_DELTA_WIDTH: {
    guint v = g_value_get_uint (value);
    if (!(v & 1))
      g_warning ("%s: refusing delta-width=%u: it must be odd",
          GST_OBJECT_NAME (self), v);
    else
      self->delta_width = v;
    break;
  }
  case PROP_WINDOW:
    self->window = g_value_get_double (value);
    break;
  case PROP_WINDOW_HOP:
    self->window_hop = g_value_get_double (value);
    break;
  case PROP_BATCH_SIZE:
    self->batch_size = g_value_get_uint (value);
    break;
  case PROP_POST_MESSAGES:
    self->post_messages = g_value_get_boolean (value);
    break;
  case PROP_MODEL:
    g_free (self->model_name);
    self->model_name = g_value_dup_string (value);
    break;
  case PROP_ALLOW_UNVERIFIED:
    self->allow_unverified = g_value_get_boolean (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  if (prop_id != PROP_DEVICE && prop_id != PROP_MODEL
      && prop_id != PROP_ALLOW_UNVERIFIED)
    self->dirty = TRUE;
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_audio_enc_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstOmniAudioEnc *self = GST_OMNI_AUDIO_ENC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
  case PROP_DEVICE:
    g_value_set_string (value, self->device_name);
    break;
  case PROP_N_FFT:
    g_value_set_uint (value, self->n_fft);
    break;
  case PROP_WIN_LENGTH:
    g_value_set_uint (value, self->win_length);
    break;
  case PROP_HOP:
    g_value_set_uint (value, self->hop);
    break;
  case PROP_SPECTRUM:
    g_value_set_enum (value, self->spectrum);
    break;
  case PROP_N_MELS:
    g_value_set_uint (value, self->n_mels);
    break;
  case PROP_FMIN:
    g_value_set_double (value, self->fmin);
    break;
  case PROP_FMAX:
    g_value_set_double (value, self->fmax);
    break;
  case PROP_MEL_SCALE:
    g_value_set_enum (value, self->mel_scale);
    break;
  case PROP_MEL_NORM:
    g_value_set_enum (value, self->mel_norm);
    break;
  case PROP_LOG:
    g_value_set_enum (value, self->log);
    break;
  case PROP_TOP_DB:
    g_value_set_double (value, self->top_db);
    break;
  case PROP_LOG_OFFSET:
    g_value_set_double (value, self->log_offset);
    break;
  case PROP_N_MFCC:
    g_value_set_uint (value, self->n_mfcc);
    break;
  case PROP_DELTAS:
    g_value_set_uint (value, self->deltas);
    break;
  case PROP_DELTA_WIDTH:
    g_value_set_uint (value, self->delta_width);
    break;
  case PROP_WINDOW:
    g_value_set_double (value, self->window);
    break;
  case PROP_WINDOW_HOP:
    g_value_set_double (value, self->window_hop);
    break;
  case PROP_BATCH_SIZE:
    g_value_set_uint (value, self->batch_size);
    break;
  case PROP_POST_MESSAGES:
    g_value_set_boolean (value, self->post_messages);
    break;
  case PROP_MODEL:
    g_value_set_string (value, self->model_name);
    break;
  case PROP_ALLOW_UNVERIFIED:
    g_value_set_boolean (value, self->allow_unverified);
    break;
  case PROP_STATS:
    g_value_take_boxed (
        value, gst_structure_new ("application/x-omniaudioenc-stats", "windows",
                   G_TYPE_UINT64, self->stat_windows, "submissions",
                   G_TYPE_UINT64, self->stat_submissions, "frames",
                   G_TYPE_UINT64, self->stat_frames, NULL));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_omni_audio_enc_finalize (GObject *object)
{
  GstOmniAudioEnc *self = GST_OMNI_AUDIO_ENC (object);

  free_front_end (self);
  free_model (self);
  if (self->hist)
    g_array_unref (self->hist);
  gst_clear_object (&self->device);
  g_free (self->device_name);
  g_free (self->model_name);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_omni_audio_enc_init (GstOmniAudioEnc *self)
{
  self->n_fft = DEFAULT_N_FFT;
  self->win_length = DEFAULT_WIN_LENGTH;
  self->hop = DEFAULT_HOP;
  self->spectrum = DEFAULT_SPECTRUM;
  self->n_mels = DEFAULT_N_MELS;
  self->fmin = DEFAULT_FMIN;
  self->fmax = DEFAULT_FMAX;
  self->mel_scale = DEFAULT_MEL_SCALE;
  self->mel_norm = DEFAULT_MEL_NORM;
  self->log = DEFAULT_LOG;
  self->top_db = DEFAULT_TOP_DB;
  self->log_offset = DEFAULT_LOG_OFFSET;
  self->n_mfcc = DEFAULT_N_MFCC;
  self->deltas = DEFAULT_DELTAS;
  self->delta_width = DEFAULT_DELTA_WIDTH;
  self->window = DEFAULT_WINDOW;
  self->window_hop = DEFAULT_WINDOW_HOP;
  self->batch_size = DEFAULT_BATCH_SIZE;
  self->post_messages = DEFAULT_POST_MESSAGES;
  self->origin = GST_CLOCK_TIME_NONE;
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self), FALSE);
}

static void
gst_omni_audio_enc_class_init (GstOmniAudioEncClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstAudioFilterClass *filter_class = GST_AUDIO_FILTER_CLASS (klass);
  GstCaps *caps;
  const GParamFlags rw
      = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING;

  GST_DEBUG_CATEGORY_INIT (gst_omni_audio_enc_debug, "omniaudioenc", 0,
      "Vulkan log-mel / MFCC audio front end");

  gobject_class->set_property = gst_omni_audio_enc_set_property;
  gobject_class->get_property = gst_omni_audio_enc_get_property;
  gobject_class->finalize = gst_omni_audio_enc_finalize;

  /**
   * GstOmniAudioEnc:device:
   *
   * The Vulkan device: an index or a part of its name; %NULL picks the
   * first discrete GPU, then integrated, then the CPU (lavapipe), or what
   * $OMNI_VK_DEVICE says. Read when the element starts.
   */
  g_object_class_install_property (gobject_class, PROP_DEVICE,
      g_param_spec_string ("device", "Device",
          "Vulkan device index or name (NULL: best available)", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  /**
   * GstOmniAudioEnc:n-fft:
   *
   * FFT length in samples. Any even length: powers of two, and lengths
   * such as Whisper's 400; odd lengths are refused (the property keeps its
   * value). Lengths whose half has a prime factor above 7 use a direct DFT
   * on the device (slower).
   */
  g_object_class_install_property (gobject_class, PROP_N_FFT,
      g_param_spec_uint ("n-fft", "FFT length", "FFT length in samples (even)",
          2, 65536, DEFAULT_N_FFT, rw));
  /**
   * GstOmniAudioEnc:win-length:
   *
   * Length of the Hann window, centred in the n-fft frame (librosa
   * win_length); 0 means n-fft. YAMNet and VGGish use 400 (25 ms at 16 kHz)
   * in a 512 frame.
   */
  g_object_class_install_property (gobject_class, PROP_WIN_LENGTH,
      g_param_spec_uint ("win-length", "Window length",
          "Hann window length in samples, <= n-fft (0: n-fft)", 0, 65536,
          DEFAULT_WIN_LENGTH, rw));
  /**
   * GstOmniAudioEnc:hop:
   *
   * Samples between the starts of consecutive STFT frames.
   */
  g_object_class_install_property (gobject_class, PROP_HOP,
      g_param_spec_uint (
          "hop", "Hop", "STFT hop in samples", 1, 65536, DEFAULT_HOP, rw));
  /**
   * GstOmniAudioEnc:spectrum:
   *
   * Power (|X|^2) or magnitude (|X|) spectrum under the mel filters.
   */
  g_object_class_install_property (gobject_class, PROP_SPECTRUM,
      g_param_spec_enum ("spectrum", "Spectrum",
          "Spectrum the mel filters apply to", GST_TYPE_OMNI_AUDIO_ENC_SPECTRUM,
          DEFAULT_SPECTRUM, rw));
  /**
   * GstOmniAudioEnc:n-mels:
   *
   * Number of mel bands.
   */
  g_object_class_install_property (gobject_class, PROP_N_MELS,
      g_param_spec_uint ("n-mels", "Mel bands", "Number of mel bands", 1, 1024,
          DEFAULT_N_MELS, rw));
  /**
   * GstOmniAudioEnc:fmin:
   *
   * Lowest edge of the mel filters in Hz.
   */
  g_object_class_install_property (gobject_class, PROP_FMIN,
      g_param_spec_double ("fmin", "Lowest frequency",
          "Lowest mel filter edge in Hz", 0.0, G_MAXDOUBLE, DEFAULT_FMIN, rw));
  /**
   * GstOmniAudioEnc:fmax:
   *
   * Highest edge of the mel filters in Hz; 0 means the Nyquist frequency.
   * A value above Nyquist is clamped to it with a warning message.
   */
  g_object_class_install_property (gobject_class, PROP_FMAX,
      g_param_spec_double ("fmax", "Highest frequency",
          "Highest mel filter edge in Hz (0: sample-rate / 2)", 0.0,
          G_MAXDOUBLE, DEFAULT_FMAX, rw));
  /**
   * GstOmniAudioEnc:mel-scale:
   *
   * The mel formula: Slaney's (librosa's default) or HTK's.
   */
  g_object_class_install_property (gobject_class, PROP_MEL_SCALE,
      g_param_spec_enum ("mel-scale", "Mel scale", "Mel formula",
          GST_TYPE_OMNI_AUDIO_ENC_MEL_SCALE, DEFAULT_MEL_SCALE, rw));
  /**
   * GstOmniAudioEnc:mel-norm:
   *
   * Filter normalisation: Slaney's constant area (librosa's default) or
   * none (peak 1, as HTK and YAMNet use).
   */
  g_object_class_install_property (gobject_class, PROP_MEL_NORM,
      g_param_spec_enum ("mel-norm", "Mel normalisation",
          "Mel filter normalisation", GST_TYPE_OMNI_AUDIO_ENC_MEL_NORM,
          DEFAULT_MEL_NORM, rw));
  /**
   * GstOmniAudioEnc:log:
   *
   * Compression of the mel energies: decibels (power_to_db, or
   * amplitude_to_db for a magnitude spectrum, ref 1), the natural log of
   * mel + log-offset, or none.
   */
  g_object_class_install_property (gobject_class, PROP_LOG,
      g_param_spec_enum ("log", "Log", "Compression of the mel energies",
          GST_TYPE_OMNI_AUDIO_ENC_LOG, DEFAULT_LOG, rw));
  /**
   * GstOmniAudioEnc:top-db:
   *
   * With log=db, values below the window's maximum minus top-db are raised
   * to it (librosa's top_db); 0 disables the floor. Silence gives a finite
   * floor of -100 dB (amin 1e-10).
   */
  g_object_class_install_property (gobject_class, PROP_TOP_DB,
      g_param_spec_double ("top-db", "Top dB",
          "Dynamic range kept below each window's maximum (0: all)", 0.0,
          1000.0, DEFAULT_TOP_DB, rw));
  /**
   * GstOmniAudioEnc:log-offset:
   *
   * With log=ln, the offset added before the logarithm (YAMNet: 0.001).
   */
  g_object_class_install_property (gobject_class, PROP_LOG_OFFSET,
      g_param_spec_double ("log-offset", "Log offset",
          "Offset added before the natural log", 1e-30, 1e6, DEFAULT_LOG_OFFSET,
          rw));
  /**
   * GstOmniAudioEnc:n-mfcc:
   *
   * 0 for log-mel features; otherwise the number of MFCCs (DCT-II,
   * orthonormal, of the log-mel frame), at most n-mels.
   */
  g_object_class_install_property (gobject_class, PROP_N_MFCC,
      g_param_spec_uint ("n-mfcc", "MFCCs",
          "Number of MFCCs (0: log-mel features)", 0, 1024, DEFAULT_N_MFCC,
          rw));
  /**
   * GstOmniAudioEnc:deltas:
   *
   * 1 adds the `delta` tensor, 2 also `delta-delta`
   * (librosa.feature.delta order 1 and 2).
   */
  g_object_class_install_property (gobject_class, PROP_DELTAS,
      g_param_spec_uint ("deltas", "Deltas",
          "Derivative orders added along time (0, 1 or 2)", 0,
          OMNI_LOGMEL_MAX_DELTA_ORDER, DEFAULT_DELTAS, rw));
  /**
   * GstOmniAudioEnc:delta-width:
   *
   * Frames of the Savitzky-Golay delta filter (odd; even values are
   * refused); at most the frames of a window.
   */
  g_object_class_install_property (gobject_class, PROP_DELTA_WIDTH,
      g_param_spec_uint ("delta-width", "Delta width",
          "Frames of the delta filter (odd)", 3, 63, DEFAULT_DELTA_WIDTH, rw));
  /**
   * GstOmniAudioEnc:window:
   *
   * Window length in seconds (rounded to whole samples).
   */
  g_object_class_install_property (gobject_class, PROP_WINDOW,
      g_param_spec_double ("window", "Window", "Window length in seconds", 1e-4,
          3600.0, DEFAULT_WINDOW, rw));
  /**
   * GstOmniAudioEnc:window-hop:
   *
   * Seconds between window starts (rounded to whole samples). When it is a
   * multiple of the hop, overlapping windows computed together share their
   * STFT frames.
   */
  g_object_class_install_property (gobject_class, PROP_WINDOW_HOP,
      g_param_spec_double ("window-hop", "Window hop",
          "Seconds between window starts", 1e-4, 3600.0, DEFAULT_WINDOW_HOP,
          rw));
  /**
   * GstOmniAudioEnc:batch-size:
   *
   * The most windows computed in one submission when several are ready
   * together (large buffers, file input).
   */
  g_object_class_install_property (gobject_class, PROP_BATCH_SIZE,
      g_param_spec_uint ("batch-size", "Batch size",
          "Most windows per device submission", 1, 1024, DEFAULT_BATCH_SIZE,
          rw));
  /**
   * GstOmniAudioEnc:post-messages:
   *
   * Post an `omniaudioenc` element message per window.
   */
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post an element message per window", DEFAULT_POST_MESSAGES, rw));

  /**
   * GstOmniAudioEnc:model:
   *
   * A TF.js layers model run on each window's patch (a name looked up in
   * $OMNI_MODEL_PATH, a directory or a model.json). Its input must be
   * [frames, features, channels] (the patch is copied into each channel)
   * and a sample rate it declares in userDefinedMetadata.omni.sampleRate is
   * enforced. Its class scores become #OmniClassMeta on the buffer. Read
   * when the element starts.
   */
  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "TF.js model run on each window's patch (name, directory or "
          "model.json)",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  /**
   * GstOmniAudioEnc:allow-unverified:
   *
   * Load a model whose files are not listed, or do not match, in its
   * directory's SHA256SUMS, with a warning at start (its results cannot be
   * trusted). Off by default: such a model fails to start (fail closed).
   * OMNI_ALLOW_UNVERIFIED_MODELS=1 has the same effect.
   */
  g_object_class_install_property (gobject_class, PROP_ALLOW_UNVERIFIED,
      g_param_spec_boolean ("allow-unverified", "Allow unverified",
          "Load a model whose files do not match (or are not in) its "
          "SHA256SUMS, with a warning",
          FALSE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  /**
   * GstOmniAudioEnc:stats:
   *
   * Counters since the element was created, as a structure
   * `application/x-omniaudioenc-stats` with `windows` (windows computed),
   * `submissions` (device submissions they took: several windows ready
   * together share one) and `frames` (STFT frames transformed: overlapping
   * windows of one submission share theirs), all #guint64.
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Windows, device submissions and STFT frames computed so far",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_set_static_metadata (element_class,
      "Audio log-mel / MFCC encoder", "Filter/Analyzer/Audio",
      "Computes log-mel or MFCC patches and pooled embeddings of sliding "
      "windows in Vulkan compute shaders; attaches them as OmniTensorMeta",
      "gst-omni developers");

  caps = gst_caps_from_string (ALLOWED_CAPS);
  gst_audio_filter_class_add_pad_templates (filter_class, caps);
  gst_caps_unref (caps);

  trans_class->start = GST_DEBUG_FUNCPTR (gst_omni_audio_enc_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_omni_audio_enc_stop);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_omni_audio_enc_sink_event);
  trans_class->query = GST_DEBUG_FUNCPTR (gst_omni_audio_enc_query);
  trans_class->transform_ip
      = GST_DEBUG_FUNCPTR (gst_omni_audio_enc_transform_ip);
  trans_class->transform_ip_on_passthrough = FALSE;
  filter_class->setup = GST_DEBUG_FUNCPTR (gst_omni_audio_enc_setup);

  gst_type_mark_as_plugin_api (GST_TYPE_OMNI_AUDIO_ENC_SPECTRUM, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_OMNI_AUDIO_ENC_MEL_SCALE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_OMNI_AUDIO_ENC_MEL_NORM, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_OMNI_AUDIO_ENC_LOG, 0);
}
