/* gst-omni: the portaudio device provider and device selection, against the
 * fake sound card of portaudiofake.c
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/check/gstcheck.h>

#include "portaudiofake.h"

static GstDevice *
find_device (GList *devices, const gchar *name, const gchar *klass)
{
  GList *l;

  for (l = devices; l; l = l->next) {
    GstDevice *dev = l->data;
    gchar *display = gst_device_get_display_name (dev);
    gboolean match
        = g_strcmp0 (display, name) == 0 && gst_device_has_classes (dev, klass);

    g_free (display);
    if (match)
      return dev;
  }
  return NULL;
}

/* The provider lists the configuration's devices, as sources and sinks, with
 * the caps PortAudio reports and properties naming them. */
GST_START_TEST (test_provider)
{
  GstDeviceProvider *provider
      = gst_device_provider_factory_get_by_name ("portaudiodeviceprovider");
  GList *devices;
  GstDevice *dev;
  GstStructure *props;
  GstCaps *caps, *want;
  GstElement *elem;
  gchar *device = NULL, *host_api = NULL;
  const gchar *names[]
      = { FAKE_CAPTURE, FAKE_PLAYBACK, FAKE_FILE, FAKE_BUSY, "default" };
  gint index, i;
  gboolean is_default;

  fail_unless (provider != NULL);
  devices = gst_device_provider_get_devices (provider);
  GST_INFO ("%u devices", g_list_length (devices));
  for (i = 0; i < (gint) G_N_ELEMENTS (names); i++)
    fail_unless (find_device (devices, names[i], "Audio/Source") != NULL,
        "no source %s", names[i]);
  fail_unless (find_device (devices, FAKE_PLAYBACK, "Audio/Sink") != NULL);

  dev = find_device (devices, FAKE_CAPTURE, "Audio/Source");
  caps = gst_device_get_caps (dev);
  want = gst_caps_from_string (
      "audio/x-raw,format=F32LE,layout=interleaved,rate=48000,channels=1");
  fail_unless (gst_caps_can_intersect (caps, want));
  gst_caps_unref (want);
  want = gst_caps_from_string ("audio/x-raw,rate=768000");
  fail_if (gst_caps_can_intersect (caps, want));
  gst_caps_unref (want);
  gst_caps_unref (caps);

  props = gst_device_get_properties (dev);
  fail_unless_equals_string (
      gst_structure_get_string (props, "device.api"), "portaudio");
  fail_unless_equals_string (
      gst_structure_get_string (props, "portaudio.host-api"), "ALSA");
  fail_unless_equals_string (
      gst_structure_get_string (props, "portaudio.device-name"), FAKE_CAPTURE);
  fail_unless (gst_structure_get_int (props, "portaudio.device-index", &index));
  fail_unless (index >= 0 && index < FAKE_N_DEVICES);
  fail_unless (gst_structure_get_boolean (props, "is-default", &is_default));
  fail_if (is_default);
  gst_structure_free (props);

  elem = gst_device_create_element (dev, "mic");
  fail_unless (elem != NULL);
  fail_unless_equals_string (
      gst_plugin_feature_get_name (gst_element_get_factory (elem)),
      "portaudiosrc");
  g_object_get (elem, "device", &device, "host-api", &host_api, NULL);
  fail_unless_equals_string (device, FAKE_CAPTURE);
  fail_unless_equals_string (host_api, "ALSA");
  g_free (device);
  g_free (host_api);
  /* the element opens the device the provider listed */
  fail_unless_equals_int (
      gst_element_set_state (elem, GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
  g_object_get (elem, "device-index", &i, NULL);
  fail_unless_equals_int (i, index);
  gst_element_set_state (elem, GST_STATE_NULL);
  gst_object_unref (elem);

  /* ALSA's "default" is PortAudio's default device */
  dev = find_device (devices, "default", "Audio/Source");
  props = gst_device_get_properties (dev);
  fail_unless (gst_structure_get_boolean (props, "is-default", &is_default));
  fail_unless (is_default);
  gst_structure_free (props);

  dev = find_device (devices, FAKE_PLAYBACK, "Audio/Sink");
  elem = gst_device_create_element (dev, NULL);
  fail_unless_equals_string (
      gst_plugin_feature_get_name (gst_element_get_factory (elem)),
      "portaudiosink");
  gst_object_unref (elem);

  g_list_free_full (devices, gst_object_unref);
  gst_object_unref (provider);
}

GST_END_TEST;

/* What gst-device-monitor-1.0 Audio/Source does. */
GST_START_TEST (test_monitor)
{
  GstDeviceMonitor *monitor = gst_device_monitor_new ();
  GList *devices;
  GstDevice *dev;
  guint n_sources = 0;
  GList *l;

  gst_device_monitor_add_filter (monitor, "Audio/Source", NULL);
  fail_unless (gst_device_monitor_start (monitor));
  devices = gst_device_monitor_get_devices (monitor);
  dev = find_device (devices, FAKE_CAPTURE, "Audio/Source");
  fail_unless (dev != NULL);
  for (l = devices; l; l = l->next) {
    GstStructure *props = gst_device_get_properties (l->data);

    fail_unless (gst_device_has_classes (l->data, "Audio/Source"));
    if (props
        && g_strcmp0 (
               gst_structure_get_string (props, "device.api"), "portaudio")
               == 0)
      n_sources++;
    if (props)
      gst_structure_free (props);
  }
  fail_unless_equals_int (n_sources, FAKE_N_DEVICES);
  g_list_free_full (devices, gst_object_unref);
  gst_device_monitor_stop (monitor);
  gst_object_unref (monitor);
}

GST_END_TEST;

/* Resolves @device (and @host_api) on a portaudiosrc at READY; returns the
 * device name it opened. */
static gchar *
open_as (const gchar *host_api, const gchar *device)
{
  GstElement *src = gst_element_factory_make ("portaudiosrc", NULL);
  gchar *name = NULL;
  gint index;

  g_object_set (src, "device", device, "host-api", host_api, NULL);
  g_object_get (src, "device-index", &index, "device-name", &name, NULL);
  fail_unless_equals_int (index, -1);
  fail_unless (name == NULL);
  fail_unless_equals_int (
      gst_element_set_state (src, GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
  g_object_get (src, "device-index", &index, "device-name", &name, NULL);
  fail_unless (index >= 0);
  gst_element_set_state (src, GST_STATE_NULL);
  gst_object_unref (src);
  return name;
}

GST_START_TEST (test_select_device)
{
  gchar *name, *by_index, *index_str;
  GstElement *src = gst_element_factory_make ("portaudiosrc", NULL);
  gint index;

  /* by name, exact */
  name = open_as (NULL, FAKE_CAPTURE);
  fail_unless_equals_string (name, FAKE_CAPTURE);
  g_free (name);
  /* by index: the same device */
  g_object_set (src, "device", FAKE_CAPTURE, NULL);
  gst_element_set_state (src, GST_STATE_READY);
  g_object_get (src, "device-index", &index, NULL);
  gst_element_set_state (src, GST_STATE_NULL);
  index_str = g_strdup_printf ("%d", index);
  by_index = open_as (NULL, index_str);
  fail_unless_equals_string (by_index, FAKE_CAPTURE);
  g_free (by_index);
  g_free (index_str);
  gst_object_unref (src);
  /* case-insensitive, then a unique substring */
  name = open_as (NULL, "OMNITEST_Capture");
  fail_unless_equals_string (name, FAKE_CAPTURE);
  g_free (name);
  name = open_as (NULL, "st_fi");
  fail_unless_equals_string (name, FAKE_FILE);
  g_free (name);
  /* host API by alias and by PortAudio name */
  name = open_as ("alsa", FAKE_FILE);
  fail_unless_equals_string (name, FAKE_FILE);
  g_free (name);
  name = open_as ("ALSA", FAKE_FILE);
  fail_unless_equals_string (name, FAKE_FILE);
  g_free (name);
  /* the default input device */
  name = open_as (NULL, NULL);
  fail_unless_equals_string (name, "default");
  g_free (name);
  name = open_as ("alsa", "");
  fail_unless_equals_string (name, "default");
  g_free (name);
}

GST_END_TEST;

/* Expects @device / @host_api to fail at NULL -> READY with NOT_FOUND. */
static gchar *
open_fails (const gchar *factory, const gchar *host_api, const gchar *device,
    gchar **debug)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *elem = gst_element_factory_make (factory, NULL);
  gchar *text;

  g_object_set (elem, "device", device, "host-api", host_api, NULL);
  gst_bin_add (GST_BIN (pipeline), elem);
  fail_unless_equals_int (
      gst_element_set_state (elem, GST_STATE_READY), GST_STATE_CHANGE_FAILURE);
  text = fake_expect_error (pipeline, GST_STATE_NULL, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_NOT_FOUND, "portaudio", debug);
  gst_object_unref (pipeline);
  return text;
}

GST_START_TEST (test_bad_device)
{
  gchar *text, *debug = NULL;

  /* an index that does not exist: the message says so, the debug string
   * lists the devices there are */
  text = open_fails ("portaudiosrc", NULL, "99", &debug);
  fail_unless (
      strstr (text, "99") != NULL && strstr (text, "not found"), "%s", text);
  fail_unless (strstr (debug, FAKE_CAPTURE) != NULL, "%s", debug);
  g_free (text);
  g_free (debug);
  text = open_fails ("portaudiosink", NULL, "12345", NULL);
  fail_unless (strstr (text, "12345") != NULL, "%s", text);
  g_free (text);
  /* an unknown name, an ambiguous one */
  text = open_fails ("portaudiosrc", NULL, "no-such-microphone", NULL);
  fail_unless (strstr (text, "no-such-microphone") != NULL, "%s", text);
  g_free (text);
  text = open_fails ("portaudiosrc", NULL, "omnitest", NULL);
  fail_unless (strstr (text, "ambiguous") != NULL, "%s", text);
  g_free (text);
  /* an unknown host API; a host API without that device (OSS, no /dev/dsp) */
  text = open_fails ("portaudiosrc", "no-such-api", NULL, &debug);
  fail_unless (strstr (text, "no-such-api") != NULL, "%s", text);
  fail_unless (strstr (debug, "ALSA") != NULL, "%s", debug);
  g_free (text);
  g_free (debug);
  text = open_fails ("portaudiosrc", "oss", FAKE_CAPTURE, NULL);
  fail_unless (strstr (text, FAKE_CAPTURE) != NULL, "%s", text);
  g_free (text);
}

GST_END_TEST;

/* Two elements at once share one PortAudio initialisation; closing one
 * leaves the other working. */
GST_START_TEST (test_shared_init)
{
  GstElement *a = gst_element_factory_make ("portaudiosrc", NULL);
  GstElement *b = gst_element_factory_make ("portaudiosink", NULL);
  gchar *name;

  g_object_set (a, "device", FAKE_FILE, NULL);
  g_object_set (b, "device", FAKE_PLAYBACK, NULL);
  fail_unless_equals_int (
      gst_element_set_state (a, GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
  fail_unless_equals_int (
      gst_element_set_state (b, GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
  gst_element_set_state (a, GST_STATE_NULL);
  g_object_get (b, "device-name", &name, NULL);
  fail_unless_equals_string (name, FAKE_PLAYBACK);
  g_free (name);
  fail_unless_equals_int (
      gst_element_set_state (a, GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
  gst_element_set_state (b, GST_STATE_NULL);
  gst_element_set_state (a, GST_STATE_NULL);
  gst_object_unref (a);
  gst_object_unref (b);
}

GST_END_TEST;

static Suite *
portaudiodevices_suite (void)
{
  Suite *s = suite_create ("portaudiodevices");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  /* a test that failed half-way may have left a device unplugged */
  tcase_add_checked_fixture (tc, fake_replug, NULL);
  tcase_add_test (tc, test_provider);
  tcase_add_test (tc, test_monitor);
  tcase_add_test (tc, test_select_device);
  tcase_add_test (tc, test_bad_device);
  tcase_add_test (tc, test_shared_init);
  return s;
}

int
main (int argc, char **argv)
{
  fake_setup ();
  gst_check_init (&argc, &argv);
  return gst_check_run_suite (
      portaudiodevices_suite (), "portaudiodevices", __FILE__);
}
