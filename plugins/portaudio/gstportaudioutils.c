/* gst-omni: helpers shared by portaudiosrc, portaudiosink and the device
 * provider: PortAudio initialisation, device lookup, caps probing, errors.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstportaudiohostlog.h"
#include "gstportaudioutils.h"

GST_DEBUG_CATEGORY (gst_portaudio_debug);
#define GST_CAT_DEFAULT gst_portaudio_debug

/* PortAudio keeps its own initialisation count (Pa_Initialize enumerates the
 * devices on the first call only, Pa_Terminate tears down on the last one),
 * but neither call, nor device enumeration and stream opening, is safe to run
 * from two threads at once: every call that touches PortAudio's global state
 * goes through this one lock. It is recursive so that helpers can nest. */
static GRecMutex pa_lock;

void
gst_portaudio_lock (void)
{
  g_rec_mutex_lock (&pa_lock);
}

void
gst_portaudio_unlock (void)
{
  g_rec_mutex_unlock (&pa_lock);
}

gchar *
gst_portaudio_error_text (PaError err)
{
  if (err == paUnanticipatedHostError) {
    const PaHostErrorInfo *info = Pa_GetLastHostErrorInfo ();

    /* PortAudio records host error details only for calls made on the
     * thread that initialised it; say so rather than print an empty text. */
    if (info && info->errorText && info->errorText[0] != '\0')
      return g_strdup_printf ("PortAudio error %d: %s (host error %ld: %s)",
          err, Pa_GetErrorText (err), info->errorCode, info->errorText);
  }
  return g_strdup_printf ("PortAudio error %d: %s", err, Pa_GetErrorText (err));
}

/**
 * gst_portaudio_acquire:
 * @debug: (out) (optional): on failure, the reason
 *
 * Takes a reference on PortAudio (Pa_Initialize). Each successful call must
 * be balanced by gst_portaudio_release().
 */
gboolean
gst_portaudio_acquire (gchar **debug)
{
  PaError err;

  gst_portaudio_lock ();
  gst_portaudio_host_log_install ();
  err = Pa_Initialize ();
  if (err == paNoError)
    GST_DEBUG ("%s initialised: %d host APIs, %d devices", Pa_GetVersionText (),
        Pa_GetHostApiCount (), Pa_GetDeviceCount ());
  gst_portaudio_unlock ();

  if (err != paNoError) {
    if (debug)
      *debug = gst_portaudio_error_text (err);
    return FALSE;
  }
  return TRUE;
}

void
gst_portaudio_release (void)
{
  PaError err;

  gst_portaudio_lock ();
  err = Pa_Terminate ();
  gst_portaudio_unlock ();
  if (err != paNoError)
    GST_WARNING ("Pa_Terminate: %s", Pa_GetErrorText (err));
}

const gchar *
gst_portaudio_direction_name (GstPortAudioDirection dir)
{
  return dir == GST_PORTAUDIO_INPUT ? "input" : "output";
}

static gint
device_channels (const PaDeviceInfo *info, GstPortAudioDirection dir)
{
  return dir == GST_PORTAUDIO_INPUT ? info->maxInputChannels
                                    : info->maxOutputChannels;
}

/* "PortAudio devices: #0 'name' (ALSA, 2 in, 2 out), ..." for error texts. */
static gchar *
describe_devices (void)
{
  GString *s = g_string_new ("PortAudio devices:");
  gint i, n = Pa_GetDeviceCount ();

  if (n <= 0)
    g_string_append (s, " none");
  for (i = 0; i < n; i++) {
    const PaDeviceInfo *info = Pa_GetDeviceInfo (i);
    const PaHostApiInfo *api = Pa_GetHostApiInfo (info->hostApi);

    g_string_append_printf (s, "%s #%d '%s' (%s, %d in, %d out)", i ? "," : "",
        i, info->name, api ? api->name : "?", info->maxInputChannels,
        info->maxOutputChannels);
  }
  return g_string_free (s, FALSE);
}

static gchar *
describe_host_apis (void)
{
  GString *s = g_string_new ("PortAudio host APIs:");
  gint i, n = Pa_GetHostApiCount ();

  for (i = 0; i < n; i++)
    g_string_append_printf (
        s, "%s '%s'", i ? "," : "", Pa_GetHostApiInfo (i)->name);
  return g_string_free (s, FALSE);
}

static const struct {
  const gchar *alias;
  PaHostApiTypeId type;
} host_api_aliases[] = {
  { "alsa", paALSA },
  { "jack", paJACK },
  { "oss", paOSS },
  { "coreaudio", paCoreAudio },
  { "wasapi", paWASAPI },
  { "asio", paASIO },
  { "mme", paMME },
  { "directsound", paDirectSound },
  { "wdmks", paWDMKS },
  { "asihpi", paAudioScienceHPI },
};

/* Host API by PortAudio name (case-insensitive) or short alias; -1 if none. */
static PaHostApiIndex
find_host_api (const gchar *name)
{
  gint i, n = Pa_GetHostApiCount ();

  for (i = 0; i < n; i++) {
    if (g_ascii_strcasecmp (Pa_GetHostApiInfo (i)->name, name) == 0)
      return i;
  }
  for (i = 0; i < (gint) G_N_ELEMENTS (host_api_aliases); i++) {
    if (g_ascii_strcasecmp (host_api_aliases[i].alias, name) == 0) {
      PaHostApiIndex idx
          = Pa_HostApiTypeIdToHostApiIndex (host_api_aliases[i].type);
      return idx >= 0 ? idx : -1;
    }
  }
  return -1;
}

static gboolean
is_index (const gchar *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s; s++) {
    if (!g_ascii_isdigit (*s))
      return FALSE;
  }
  return TRUE;
}

/**
 * gst_portaudio_find_device:
 * @host_api: (nullable): a host API name or alias, or %NULL for any
 * @device: (nullable): a PortAudio device index, a device name, or %NULL for
 *     the default device
 * @dir: input (capture) or output (playback)
 * @error_code: (out): a #GstResourceError on failure
 * @message: (out): on failure, a sentence for the user
 * @debug: (out): on failure, details (the devices PortAudio knows)
 *
 * Resolves the `host-api` and `device` properties to a PortAudio device
 * index. Names match exactly first, then case-insensitively, then as a
 * case-insensitive substring matching exactly one device. PortAudio must be
 * acquired.
 *
 * Returns: the device index, or paNoDevice
 */
PaDeviceIndex
gst_portaudio_find_device (const gchar *host_api, const gchar *device,
    GstPortAudioDirection dir, gint *error_code, gchar **message, gchar **debug)
{
  PaHostApiIndex api = -1;
  PaDeviceIndex found = paNoDevice;
  const gchar *what = gst_portaudio_direction_name (dir);
  gint i, n, pass;

  gst_portaudio_lock ();
  n = Pa_GetDeviceCount ();

  if (host_api && *host_api) {
    api = find_host_api (host_api);
    if (api < 0) {
      *error_code = GST_RESOURCE_ERROR_NOT_FOUND;
      *message = g_strdup_printf (
          "PortAudio host API '%s' is not available", host_api);
      *debug = describe_host_apis ();
      goto out;
    }
  }

  if (device == NULL || *device == '\0') {
    found = api >= 0
                ? (dir == GST_PORTAUDIO_INPUT
                        ? Pa_GetHostApiInfo (api)->defaultInputDevice
                        : Pa_GetHostApiInfo (api)->defaultOutputDevice)
                : (dir == GST_PORTAUDIO_INPUT ? Pa_GetDefaultInputDevice ()
                                              : Pa_GetDefaultOutputDevice ());
    if (found == paNoDevice) {
      *error_code = GST_RESOURCE_ERROR_NOT_FOUND;
      *message = g_strdup_printf ("No default audio %s device%s%s", what,
          api >= 0 ? " for host API " : "",
          api >= 0 ? Pa_GetHostApiInfo (api)->name : "");
      *debug = describe_devices ();
    }
    goto out;
  }

  if (is_index (device)) {
    gint64 idx = g_ascii_strtoll (device, NULL, 10);

    if (idx >= n) {
      *error_code = GST_RESOURCE_ERROR_NOT_FOUND;
      *message = g_strdup_printf ("Audio device %s not found: PortAudio has "
                                  "%d device%s (indices 0 to %d)",
          device, n, n == 1 ? "" : "s", n - 1);
      *debug = describe_devices ();
      goto out;
    }
    found = (PaDeviceIndex) idx;
  } else {
    /* pass 0: exact, pass 1: case-insensitive, pass 2: unique substring */
    gchar *needle = g_utf8_casefold (device, -1);

    for (pass = 0; pass < 3 && found == paNoDevice; pass++) {
      gint matches = 0;
      PaDeviceIndex first = paNoDevice;

      for (i = 0; i < n; i++) {
        const PaDeviceInfo *info = Pa_GetDeviceInfo (i);
        gboolean match;

        if (api >= 0 && info->hostApi != api)
          continue;
        if (device_channels (info, dir) <= 0)
          continue;
        if (pass == 0) {
          match = strcmp (info->name, device) == 0;
        } else {
          gchar *hay = g_utf8_casefold (info->name, -1);
          match = pass == 1 ? strcmp (hay, needle) == 0
                            : strstr (hay, needle) != NULL;
          g_free (hay);
        }
        if (match) {
          if (first == paNoDevice)
            first = i;
          matches++;
        }
      }
      if (matches == 1 || (matches > 1 && pass < 2)) {
        found = first;
      } else if (matches > 1) {
        *error_code = GST_RESOURCE_ERROR_NOT_FOUND;
        *message = g_strdup_printf ("Audio device name '%s' is ambiguous: "
                                    "%d %s devices match",
            device, matches, what);
        *debug = describe_devices ();
        g_free (needle);
        goto out;
      }
    }
    g_free (needle);
    if (found == paNoDevice) {
      gchar *devices = describe_devices ();

      *error_code = GST_RESOURCE_ERROR_NOT_FOUND;
      *message = g_strdup_printf ("Audio %s device '%s' not found%s%s", what,
          device, api >= 0 ? " for host API " : "",
          api >= 0 ? Pa_GetHostApiInfo (api)->name : "");
      /* PortAudio lists the devices once, when first initialised, and its
       * ALSA host API leaves out those it cannot open then */
      *debug = g_strdup_printf ("%s. PortAudio lists the devices when it is "
                                "first initialised and leaves out those that "
                                "were busy (in use by another application) "
                                "or missing then",
          devices);
      g_free (devices);
      goto out;
    }
  }

  {
    const PaDeviceInfo *info = Pa_GetDeviceInfo (found);

    if (api >= 0 && info->hostApi != api) {
      *error_code = GST_RESOURCE_ERROR_NOT_FOUND;
      *message = g_strdup_printf ("Audio device %d ('%s') does not belong to "
                                  "host API %s",
          found, info->name, Pa_GetHostApiInfo (api)->name);
      *debug = describe_devices ();
      found = paNoDevice;
    } else if (device_channels (info, dir) <= 0) {
      *error_code = GST_RESOURCE_ERROR_NOT_FOUND;
      *message = g_strdup_printf (
          "Audio device %d ('%s') has no %s channels", found, info->name, what);
      *debug = describe_devices ();
      found = paNoDevice;
    }
  }

out:
  gst_portaudio_unlock ();
  return found;
}

gboolean
gst_portaudio_sample_format (GstAudioFormat format, PaSampleFormat *pa_format)
{
  switch (format) {
  case GST_AUDIO_FORMAT_F32:
    *pa_format = paFloat32;
    return TRUE;
  case GST_AUDIO_FORMAT_S32:
    *pa_format = paInt32;
    return TRUE;
  case GST_AUDIO_FORMAT_S16:
    *pa_format = paInt16;
    return TRUE;
  default:
    return FALSE;
  }
}

/* The rates tried on every device: the common ones from telephony to the
 * high-resolution multiples of 44.1 and 48 kHz. PortAudio can only answer
 * "is this exact configuration supported", so caps are a list of these (plus
 * the device's default rate), never a guessed range. */
static const gint probe_rates[]
    = { 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 88200,
        96000, 176400, 192000, 352800, 384000, 705600, 768000 };

/* Largest channel count probed one by one; devices reporting more (ALSA
 * plugin devices report 128) are offered up to this many. */
#define MAX_PROBED_CHANNELS 8

static PaError
probe_one (PaDeviceIndex index, GstPortAudioDirection dir, PaSampleFormat fmt,
    gint channels, gint rate, PaTime latency)
{
  PaStreamParameters p;

  memset (&p, 0, sizeof (p));
  p.device = index;
  p.channelCount = channels;
  p.sampleFormat = fmt;
  p.suggestedLatency = latency;
  return Pa_IsFormatSupported (dir == GST_PORTAUDIO_INPUT ? &p : NULL,
      dir == GST_PORTAUDIO_OUTPUT ? &p : NULL, (double) rate);
}

static void
set_int_list (GstStructure *s, const gchar *field, const gint *values, gint n)
{
  if (n == 1) {
    gst_structure_set (s, field, G_TYPE_INT, values[0], NULL);
  } else if (values[n - 1] - values[0] == n - 1) {
    gst_structure_set (
        s, field, GST_TYPE_INT_RANGE, values[0], values[n - 1], NULL);
  } else {
    GValue list = G_VALUE_INIT, v = G_VALUE_INIT;
    gint i;

    g_value_init (&list, GST_TYPE_LIST);
    g_value_init (&v, G_TYPE_INT);
    for (i = 0; i < n; i++) {
      g_value_set_int (&v, values[i]);
      gst_value_list_append_value (&list, &v);
    }
    gst_structure_take_value (s, field, &list);
    g_value_unset (&v);
  }
}

static gint
compare_int (gconstpointer a, gconstpointer b)
{
  return *(const gint *) a - *(const gint *) b;
}

/**
 * gst_portaudio_probe_caps:
 *
 * Asks PortAudio (Pa_IsFormatSupported) which sample formats, rates and
 * channel counts the device accepts in direction @dir: formats at the
 * device's default rate, rates with the first accepted format, channel counts
 * with the first accepted format and rate. PortAudio must be acquired; the
 * device must not be open (opening probes it, which a busy device refuses).
 * A busy device (paDeviceUnavailable: PortAudio's ALSA host API gives it
 * when the device stays busy for a second) stops the probing at once.
 *
 * Returns: (transfer full): the caps, empty if nothing is accepted, and then
 *     in @error (optional) PortAudio's answer to the first probe
 */
GstCaps *
gst_portaudio_probe_caps (
    PaDeviceIndex index, GstPortAudioDirection dir, PaError *error)
{
  static const struct {
    PaSampleFormat pa;
    GstAudioFormat gst;
  } formats[] = {
    { paFloat32, GST_AUDIO_FORMAT_F32 },
    { paInt32, GST_AUDIO_FORMAT_S32 },
    { paInt16, GST_AUDIO_FORMAT_S16 },
  };
  const PaDeviceInfo *info;
  GstCaps *caps = gst_caps_new_empty ();
  GValue fmt_list = G_VALUE_INIT, v = G_VALUE_INIT;
  gint rates[G_N_ELEMENTS (probe_rates) + 1], n_rates = 0;
  gint chans[MAX_PROBED_CHANNELS], n_chans = 0, n_small = 0;
  gint max_ch, def_ch, def_rate, ref_rate, i;
  gboolean have_def_rate = FALSE;
  PaSampleFormat ref_fmt = 0;
  PaTime latency;
  GstStructure *s;

  gst_portaudio_lock ();
  info = Pa_GetDeviceInfo (index);
  if (info == NULL)
    goto done;
  max_ch = device_channels (info, dir);
  if (max_ch <= 0)
    goto done;
  latency = dir == GST_PORTAUDIO_INPUT ? info->defaultLowInputLatency
                                       : info->defaultLowOutputLatency;
  def_rate = (gint) (info->defaultSampleRate + 0.5);
  def_ch = MIN (2, max_ch);

  g_value_init (&fmt_list, GST_TYPE_LIST);
  g_value_init (&v, G_TYPE_STRING);
  if (error)
    *error = paNoError;
  for (i = 0; i < (gint) G_N_ELEMENTS (formats); i++) {
    PaError err
        = probe_one (index, dir, formats[i].pa, def_ch, def_rate, latency);

    if (err != paFormatIsSupported && i == 0 && error)
      *error = err;
    if (err == paDeviceUnavailable)
      break;
    if (err == paFormatIsSupported) {
      if (ref_fmt == 0)
        ref_fmt = formats[i].pa;
      g_value_set_static_string (
          &v, gst_audio_format_to_string (formats[i].gst));
      gst_value_list_append_value (&fmt_list, &v);
    }
  }
  g_value_unset (&v);
  if (ref_fmt == 0) {
    GST_INFO ("device %d (%s) accepts no format at %d Hz, %d channels for %s",
        index, info->name, def_rate, def_ch,
        gst_portaudio_direction_name (dir));
    g_value_unset (&fmt_list);
    goto done;
  }

  for (i = 0; i < (gint) G_N_ELEMENTS (probe_rates); i++) {
    if (probe_rates[i] == def_rate)
      have_def_rate = TRUE;
    if (probe_one (index, dir, ref_fmt, def_ch, probe_rates[i], latency)
        == paFormatIsSupported)
      rates[n_rates++] = probe_rates[i];
  }
  /* the default rate was accepted by the format probe */
  if (!have_def_rate) {
    rates[n_rates++] = def_rate;
    qsort (rates, n_rates, sizeof (gint), compare_int);
  }
  ref_rate = def_rate;

  for (i = 1; i <= MIN (max_ch, MAX_PROBED_CHANNELS); i++) {
    if (probe_one (index, dir, ref_fmt, i, ref_rate, latency)
        == paFormatIsSupported)
      chans[n_chans++] = i;
  }
  for (i = 0; i < n_chans && chans[i] <= 2; i++)
    n_small++;

  /* mono and stereo have implicit positions; more channels are offered
   * unpositioned (channel-mask 0): PortAudio does not name them */
  if (n_small > 0) {
    s = gst_structure_new (
        "audio/x-raw", "layout", G_TYPE_STRING, "interleaved", NULL);
    gst_structure_set_value (s, "format", &fmt_list);
    set_int_list (s, "rate", rates, n_rates);
    set_int_list (s, "channels", chans, n_small);
    gst_caps_append_structure (caps, s);
  }
  if (n_chans > n_small) {
    s = gst_structure_new ("audio/x-raw", "layout", G_TYPE_STRING,
        "interleaved", "channel-mask", GST_TYPE_BITMASK, G_GUINT64_CONSTANT (0),
        NULL);
    gst_structure_set_value (s, "format", &fmt_list);
    set_int_list (s, "rate", rates, n_rates);
    set_int_list (s, "channels", chans + n_small, n_chans - n_small);
    gst_caps_append_structure (caps, s);
  }
  g_value_unset (&fmt_list);

  GST_DEBUG ("device %d (%s) %s caps: %" GST_PTR_FORMAT, index, info->name,
      gst_portaudio_direction_name (dir), caps);

done:
  gst_portaudio_unlock ();
  return caps;
}

/* Appends the values of @field over the structures of @caps to @out: ints
 * and lists of ints sorted and unique, ranges as "a-b", strings as is. */
static void
append_values (GString *out, const GstCaps *caps, const gchar *field)
{
  GArray *ints = g_array_new (FALSE, FALSE, sizeof (gint));
  GPtrArray *other = g_ptr_array_new_with_free_func (g_free);
  guint i, j, k;

  for (i = 0; i < gst_caps_get_size (caps); i++) {
    const GValue *v
        = gst_structure_get_value (gst_caps_get_structure (caps, i), field);
    guint n = v && GST_VALUE_HOLDS_LIST (v) ? gst_value_list_get_size (v) : 1;

    for (j = 0; v && j < n; j++) {
      const GValue *e
          = GST_VALUE_HOLDS_LIST (v) ? gst_value_list_get_value (v, j) : v;
      gchar *str;

      if (G_VALUE_HOLDS_INT (e)) {
        gint x = g_value_get_int (e);

        g_array_append_val (ints, x);
        continue;
      }
      if (GST_VALUE_HOLDS_INT_RANGE (e))
        str = g_strdup_printf ("%d-%d", gst_value_get_int_range_min (e),
            gst_value_get_int_range_max (e));
      else if (G_VALUE_HOLDS_STRING (e))
        str = g_value_dup_string (e);
      else
        str = gst_value_serialize (e);
      for (k = 0; k < other->len; k++) {
        if (g_strcmp0 (g_ptr_array_index (other, k), str) == 0)
          break;
      }
      if (k < other->len)
        g_free (str);
      else
        g_ptr_array_add (other, str);
    }
  }
  g_array_sort (ints, compare_int);
  for (i = 0; i < ints->len; i++) {
    gint x = g_array_index (ints, gint, i);

    if (i > 0 && x == g_array_index (ints, gint, i - 1))
      continue;
    g_string_append_printf (out, "%s%d", out->len && i ? ", " : "", x);
  }
  for (k = 0; k < other->len; k++)
    g_string_append_printf (out, "%s%s", ints->len || k ? ", " : "",
        (const gchar *) g_ptr_array_index (other, k));
  g_array_free (ints, TRUE);
  g_ptr_array_free (other, TRUE);
}

/**
 * gst_portaudio_describe_refusal:
 * @device: the caps the device accepts (as probed)
 * @wanted: caps the device cannot take
 *
 * Says which of the sample rate, channel count and format of @wanted (its
 * first structure) the device does not accept, and what it accepts instead:
 * "the sample rate 768000 Hz (it supports 8000, 11025, ..., 384000 Hz)".
 *
 * Returns: (transfer full): the text
 */
gchar *
gst_portaudio_describe_refusal (const GstCaps *device, const GstCaps *wanted)
{
  static const struct {
    const gchar *field, *what, *unit;
  } fields[] = {
    { "rate", "the sample rate", " Hz" },
    { "channels", "the channel count", "" },
    { "format", "the sample format", "" },
  };
  GString *s = g_string_new (NULL);
  const GstStructure *ws;
  guint i;

  if (gst_caps_is_empty (wanted) || gst_caps_is_any (wanted)) {
    g_string_append (s, "these caps");
    return g_string_free (s, FALSE);
  }
  ws = gst_caps_get_structure (wanted, 0);
  for (i = 0; i < G_N_ELEMENTS (fields); i++) {
    const GValue *v = gst_structure_get_value (ws, fields[i].field);
    GstCaps *one;
    gchar *value;
    GString *accepted;

    if (v == NULL)
      continue;
    one = gst_caps_new_empty_simple ("audio/x-raw");
    gst_caps_set_value (one, fields[i].field, v);
    if (gst_caps_can_intersect (one, device)) {
      gst_caps_unref (one);
      continue;
    }
    gst_caps_unref (one);
    value = G_VALUE_HOLDS_STRING (v) ? g_value_dup_string (v)
                                     : gst_value_serialize (v);
    accepted = g_string_new (NULL);
    append_values (accepted, device, fields[i].field);
    g_string_append_printf (s, "%s%s %s%s (it supports %s%s)",
        s->len ? ", " : "", fields[i].what, value, fields[i].unit,
        accepted->str, fields[i].unit);
    g_string_free (accepted, TRUE);
    g_free (value);
  }
  if (s->len == 0)
    g_string_append (s, "this combination of sample rate, channels and "
                        "format");
  return g_string_free (s, FALSE);
}
