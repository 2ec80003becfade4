/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omnivkpipelinecache
 * @title: Pipeline cache on disk
 * @short_description: keeps compiled compute pipelines across runs
 *
 * Each #OmniVkDevice has a VkPipelineCache, loaded when the device is
 * created and saved when it is destroyed (or on
 * omni_vk_device_save_pipeline_cache()), so the driver compiles each shader
 * once per machine rather than once per run.
 *
 * The file lives in `$XDG_CACHE_HOME/gst-omni/` (or GLib's user cache
 * directory, usually `~/.cache/gst-omni/`), one per device and driver build:
 * `pipelines-VENDOR-DEVICE-UUID.bin`, where UUID is the driver's
 * pipelineCacheUUID. `OMNI_VK_PIPELINE_CACHE=0` turns disk caching off.
 *
 * The driver's blob is wrapped in a small header: a magic string, a format
 * version, the payload size and its SHA-256. A file that is truncated,
 * corrupt, from another driver build or another device is ignored (logged
 * at INFO) and replaced at the next save; the driver never sees it. Saves
 * are atomic (a temporary file renamed over the old one), so processes
 * sharing the cache never read half-written data.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include "omnivk-private.h"

#define MAGIC "OMNIVKPC"
#define FORMAT_VERSION 1u
#define SHA256_LEN 32
#define HEADER_LEN (8 + 4 + 4 + 8 + SHA256_LEN)

gchar *
_omni_vk_pipeline_cache_path (OmniVkDevice *device)
{
  const gchar *env = g_getenv ("OMNI_VK_PIPELINE_CACHE");
  const gchar *base = g_getenv ("XDG_CACHE_HOME");
  GString *uuid = g_string_new (NULL);
  gchar *file, *path;
  guint i;

  if (env
      && (g_strcmp0 (env, "0") == 0 || g_ascii_strcasecmp (env, "no") == 0
          || g_ascii_strcasecmp (env, "false") == 0)) {
    g_string_free (uuid, TRUE);
    return NULL;
  }
  /* Read the environment each time (not g_get_user_cache_dir()'s first
   * answer), so a process can move its cache. */
  if (!base || !*base || !g_path_is_absolute (base))
    base = g_get_user_cache_dir ();
  for (i = 0; i < VK_UUID_SIZE; i++)
    g_string_append_printf (uuid, "%02x", device->props.pipelineCacheUUID[i]);
  file = g_strdup_printf ("pipelines-%04x-%04x-%s.bin", device->props.vendorID,
      device->props.deviceID, uuid->str);
  path = g_build_filename (base, "gst-omni", file, NULL);
  g_free (file);
  g_string_free (uuid, TRUE);
  return path;
}

static guint32
read_u32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, 4);
  return GUINT32_FROM_LE (v);
}

static guint64
read_u64 (const guint8 *p)
{
  guint64 v;

  memcpy (&v, p, 8);
  return GUINT64_FROM_LE (v);
}

/* Checks our wrapper and the driver's VkPipelineCacheHeaderVersionOne;
 * returns the driver payload or NULL. */
static const guint8 *
validate (OmniVkDevice *device, const guint8 *data, gsize len,
    gsize *payload_len, const gchar **why)
{
  GChecksum *sum;
  guint8 digest[SHA256_LEN];
  gsize digest_len = sizeof (digest);
  const guint8 *payload;
  guint64 n;

  if (len < HEADER_LEN || memcmp (data, MAGIC, 8) != 0) {
    *why = "not a gst-omni pipeline cache";
    return NULL;
  }
  if (read_u32 (data + 8) != FORMAT_VERSION) {
    *why = "unknown format version";
    return NULL;
  }
  n = read_u64 (data + 16);
  if (n != len - HEADER_LEN) {
    *why = "truncated or padded";
    return NULL;
  }
  payload = data + HEADER_LEN;
  sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, payload, n);
  g_checksum_get_digest (sum, digest, &digest_len);
  g_checksum_free (sum);
  if (memcmp (digest, data + 24, SHA256_LEN) != 0) {
    *why = "checksum mismatch (corrupt)";
    return NULL;
  }
  /* VkPipelineCacheHeaderVersionOne: size, version, vendor, device, UUID. */
  if (n < 16 + VK_UUID_SIZE || read_u32 (payload) < 16 + VK_UUID_SIZE
      || read_u32 (payload + 4) != VK_PIPELINE_CACHE_HEADER_VERSION_ONE
      || read_u32 (payload + 8) != device->props.vendorID
      || read_u32 (payload + 12) != device->props.deviceID
      || memcmp (payload + 16, device->props.pipelineCacheUUID, VK_UUID_SIZE)
             != 0) {
    *why = "made by another device or driver build";
    return NULL;
  }
  *payload_len = n;
  return payload;
}

VkPipelineCache
_omni_vk_pipeline_cache_load (
    OmniVkDevice *device, const gchar *path, gsize *loaded_size)
{
  VkPipelineCacheCreateInfo ci
      = { VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO };
  VkPipelineCache cache = VK_NULL_HANDLE;
  gchar *contents = NULL;
  gsize len = 0, payload_len = 0;
  const guint8 *payload = NULL;
  const gchar *why = NULL;
  GError *err = NULL;

  *loaded_size = 0;
  if (path && g_file_test (path, G_FILE_TEST_EXISTS)) {
    if (!g_file_get_contents (path, &contents, &len, &err)) {
      GST_CAT_INFO (omni_vk_debug, "pipeline cache %s unreadable: %s", path,
          err->message);
      g_clear_error (&err);
    } else {
      payload = validate (
          device, (const guint8 *) contents, len, &payload_len, &why);
      if (!payload)
        GST_CAT_INFO (
            omni_vk_debug, "ignoring pipeline cache %s: %s", path, why);
    }
  }
  if (payload) {
    ci.initialDataSize = payload_len;
    ci.pInitialData = payload;
    if (vkCreatePipelineCache (device->device, &ci, NULL, &cache)
        == VK_SUCCESS) {
      *loaded_size = payload_len;
      GST_CAT_INFO (omni_vk_debug,
          "loaded %" G_GSIZE_FORMAT " bytes of pipeline cache from %s",
          payload_len, path);
    } else {
      cache = VK_NULL_HANDLE;
    }
  }
  if (!cache) {
    ci.initialDataSize = 0;
    ci.pInitialData = NULL;
    if (vkCreatePipelineCache (device->device, &ci, NULL, &cache) != VK_SUCCESS)
      cache = VK_NULL_HANDLE;
  }
  g_free (contents);
  return cache;
}

gboolean
_omni_vk_pipeline_cache_save (OmniVkDevice *device, VkPipelineCache cache,
    const gchar *path, GError **error)
{
  gsize n = 0, digest_len = SHA256_LEN;
  guint8 *buf;
  gchar *dir;
  GChecksum *sum;
  guint32 u32;
  guint64 u64;
  VkResult res;
  gboolean ok;

  res = vkGetPipelineCacheData (device->device, cache, &n, NULL);
  if (!_omni_vk_check (device, res, "vkGetPipelineCacheData", error))
    return FALSE;
  buf = g_malloc0 (HEADER_LEN + n);
  res = vkGetPipelineCacheData (device->device, cache, &n, buf + HEADER_LEN);
  if (!_omni_vk_check (device, res, "vkGetPipelineCacheData", error)) {
    g_free (buf);
    return FALSE;
  }
  memcpy (buf, MAGIC, 8);
  u32 = GUINT32_TO_LE (FORMAT_VERSION);
  memcpy (buf + 8, &u32, 4);
  u64 = GUINT64_TO_LE ((guint64) n);
  memcpy (buf + 16, &u64, 8);
  sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, buf + HEADER_LEN, n);
  g_checksum_get_digest (sum, buf + 24, &digest_len);
  g_checksum_free (sum);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0) {
    g_set_error (error, OMNI_VK_ERROR, OMNI_VK_ERROR_FAILED,
        "cannot create the pipeline cache directory %s: %s", dir,
        g_strerror (errno));
    g_free (dir);
    g_free (buf);
    return FALSE;
  }
  g_free (dir);
  /* Atomic: written to a temporary file, then renamed. */
  ok = g_file_set_contents (path, (const gchar *) buf, HEADER_LEN + n, error);
  if (ok)
    GST_CAT_INFO (omni_vk_debug,
        "saved %" G_GSIZE_FORMAT " bytes of pipeline cache to %s", n, path);
  g_free (buf);
  return ok;
}
