/* gst-omni: unit tests for the Vulkan compute core (gst-libs/omni/vk)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs on whatever device the environment gives; the test suite selects
 * lavapipe (VK_DRIVER_FILES) and turns the Khronos validation layer on
 * (OMNI_VK_VALIDATION=1), with synchronisation validation. Every test ends
 * by checking, after all its Vulkan objects are destroyed, that the layer
 * reported nothing. Each test runs in its own process (check's fork mode),
 * so environment changes and the per-process device do not leak between
 * tests.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <omni/vk/omnivk.h>

#define assert_no_validation_messages()                                        \
  fail_unless_equals_int (omni_vk_device_get_validation_message_count (), 0)

static OmniVkDevice *
get_device (void)
{
  GError *err = NULL;
  OmniVkDevice *dev = omni_vk_device_get (NULL, &err);

  fail_unless (dev != NULL, "no Vulkan device: %s", err ? err->message : "");
  return dev;
}

/* Drops the last reference to @dev and checks the device was destroyed. */
static void
release_device (OmniVkDevice *dev)
{
  gpointer weak = dev;

  g_object_add_weak_pointer (G_OBJECT (dev), &weak);
  gst_object_unref (dev);
  fail_unless (weak == NULL, "device still alive after its last unref");
}

static OmniVkPipeline *
fill_pipeline (OmniVkDevice *dev, guint local, guint n)
{
  static const OmniVkAccess access[] = { OMNI_VK_ACCESS_WRITE };
  guint32 spec[2] = { local, n };
  GError *err = NULL;
  OmniVkPipeline *p
      = omni_vk_pipeline_new (dev, "fill", access, 1, 4, spec, 2, &err);

  fail_unless (p != NULL, "%s", err ? err->message : "");
  return p;
}

GST_START_TEST (test_enumerate)
{
  GError *err = NULL;
  GPtrArray *devs = omni_vk_enumerate_devices (&err);
  gchar *desc;
  guint i, usable = 0;

  fail_unless (devs != NULL, "%s", err ? err->message : "");
  fail_unless (devs->len >= 1);
  for (i = 0; i < devs->len; i++) {
    OmniVkDeviceInfo *info = g_ptr_array_index (devs, i);

    fail_unless_equals_int (info->index, i);
    fail_unless (info->name && *info->name);
    if (info->usable)
      usable++;
  }
  fail_unless (usable >= 1);
  desc = omni_vk_describe_devices ();
  fail_unless (g_str_has_prefix (desc, "0: "), "%s", desc);
  fail_unless (strstr (desc, ((OmniVkDeviceInfo *) devs->pdata[0])->name));
  g_free (desc);
  g_ptr_array_unref (devs);
  assert_no_validation_messages ();
}

GST_END_TEST;

GST_START_TEST (test_device_choice)
{
  GError *err = NULL;
  OmniVkDevice *dev = get_device (), *other;
  const OmniVkDeviceInfo *info = omni_vk_device_get_info (dev);
  gchar *index = g_strdup_printf ("%u", info->index);
  gchar *upper = g_ascii_strup (info->name, 6);

  /* Shared per process: every way of naming it gives the same object. */
  other = omni_vk_device_get ("auto", &err);
  fail_unless (other == dev);
  gst_object_unref (other);
  other = omni_vk_device_get (index, &err);
  fail_unless (other == dev, "%s", err ? err->message : "");
  gst_object_unref (other);
  other = omni_vk_device_get (upper, &err); /* case-insensitive substring */
  fail_unless (other == dev, "%s: %s", upper, err ? err->message : "");
  gst_object_unref (other);
  other = omni_vk_device_get (omni_vk_device_type_to_string (info->type), &err);
  fail_unless (other == dev, "%s", err ? err->message : "");
  gst_object_unref (other);

  fail_unless (omni_vk_device_get_handle (dev) != VK_NULL_HANDLE);
  fail_unless (omni_vk_device_get_subgroup_size (dev) >= 1);
  fail_unless (
      omni_vk_device_get_limits (dev)->maxComputeWorkGroupInvocations >= 128);
  /* Local sizes are clamped to the limits and rounded to the subgroup. */
  fail_unless_equals_int (omni_vk_device_get_local_size (dev, 1), 1);
  fail_unless_equals_int (omni_vk_device_get_local_size (dev, 100000)
                              % omni_vk_device_get_subgroup_size (dev),
      0);
  fail_unless (
      omni_vk_device_get_local_size (dev, 100000)
      <= omni_vk_device_get_limits (dev)->maxComputeWorkGroupInvocations);

  /* A selector matching nothing: the error lists the devices found and
   * says what to install. */
  other = omni_vk_device_get ("no-such-gpu-xyz", &err);
  fail_unless (other == NULL);
  fail_unless (g_error_matches (err, OMNI_VK_ERROR, OMNI_VK_ERROR_NO_DEVICE));
  fail_unless (strstr (err->message, "no-such-gpu-xyz"), "%s", err->message);
  fail_unless (strstr (err->message, info->name), "%s", err->message);
  fail_unless (
      strstr (err->message, "mesa-vulkan-drivers"), "%s", err->message);
  g_clear_error (&err);
  other = omni_vk_device_get ("4096", &err);
  fail_unless (other == NULL);
  fail_unless (g_error_matches (err, OMNI_VK_ERROR, OMNI_VK_ERROR_NO_DEVICE));
  fail_unless (strstr (err->message, info->name), "%s", err->message);
  g_clear_error (&err);

  /* OMNI_VK_DEVICE is the default selector. */
  g_setenv ("OMNI_VK_DEVICE", "no-such-gpu-xyz", TRUE);
  other = omni_vk_device_get (NULL, &err);
  fail_unless (other == NULL);
  g_clear_error (&err);
  g_unsetenv ("OMNI_VK_DEVICE");

  g_free (index);
  g_free (upper);
  release_device (dev);
  assert_no_validation_messages ();
}

GST_END_TEST;

static void
buffer_round_trip (OmniVkDevice *dev, OmniVkMemoryUsage usage, gsize size)
{
  GError *err = NULL;
  OmniVkBuffer *buf = omni_vk_buffer_new (dev, size, usage, &err);
  guint8 *in = g_malloc (size), *out = g_malloc0 (size);
  gsize i;

  fail_unless (buf != NULL, "%s", err ? err->message : "");
  fail_unless_equals_uint64 (omni_vk_buffer_get_size (buf), size);
  for (i = 0; i < size; i++)
    in[i] = (guint8) (i * 7 + 3);
  fail_unless (omni_vk_buffer_write (buf, 0, in, size, &err), "%s",
      err ? err->message : "");
  fail_unless (omni_vk_buffer_read (buf, 0, out, size, &err), "%s",
      err ? err->message : "");
  fail_unless (memcmp (in, out, size) == 0);
  /* Partial write at an odd offset, partial read. */
  if (size >= 10) {
    memset (in, 0xab, 5);
    fail_unless (omni_vk_buffer_write (buf, 3, in, 5, &err), "%s",
        err ? err->message : "");
    fail_unless (omni_vk_buffer_read (buf, 1, out, 9, &err));
    fail_unless_equals_int (out[1], (guint8) (2 * 7 + 3));
    fail_unless_equals_int (out[2], 0xab);
    fail_unless_equals_int (out[6], 0xab);
    fail_unless_equals_int (out[7], (guint8) (8 * 7 + 3));
  }
  /* Out of range. */
  fail_if (omni_vk_buffer_write (buf, size - 1, in, 2, &err));
  fail_unless (g_error_matches (err, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID));
  g_clear_error (&err);
  g_free (in);
  g_free (out);
  omni_vk_buffer_unref (buf);
}

GST_START_TEST (test_buffer_round_trip)
{
  GError *err = NULL;
  OmniVkDevice *dev = get_device ();
  OmniVkBuffer *buf;

  buffer_round_trip (dev, OMNI_VK_MEMORY_DEVICE, 1001);
  buffer_round_trip (dev, OMNI_VK_MEMORY_UPLOAD, 13);
  buffer_round_trip (dev, OMNI_VK_MEMORY_DOWNLOAD, 65537);
  buf = omni_vk_buffer_new (dev, 16, OMNI_VK_MEMORY_UPLOAD, &err);
  fail_unless (omni_vk_buffer_is_host_visible (buf));
  fail_unless (omni_vk_buffer_get_mapped (buf) != NULL);
  omni_vk_buffer_unref (buf);
  fail_if (omni_vk_buffer_new (dev, 0, OMNI_VK_MEMORY_DEVICE, &err));
  fail_unless (g_error_matches (err, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID));
  g_clear_error (&err);
  release_device (dev);
  assert_no_validation_messages ();
}

GST_END_TEST;

/* The staging path, as on a discrete GPU: DEVICE buffers are not mapped, so
 * write/read go through a host-visible buffer and a copy command. */
GST_START_TEST (test_buffer_staging)
{
  GError *err = NULL;
  OmniVkDevice *dev;
  OmniVkBuffer *buf;

  g_setenv ("OMNI_VK_FORCE_STAGING", "1", TRUE);
  dev = get_device ();
  fail_if (omni_vk_device_is_unified_memory (dev));
  buf = omni_vk_buffer_new (dev, 64, OMNI_VK_MEMORY_DEVICE, &err);
  fail_if (omni_vk_buffer_is_host_visible (buf));
  omni_vk_buffer_unref (buf);
  buffer_round_trip (dev, OMNI_VK_MEMORY_DEVICE, 1001);
  buffer_round_trip (dev, OMNI_VK_MEMORY_DEVICE, 4);
  release_device (dev);
  assert_no_validation_messages ();
}

GST_END_TEST;

/* Texel-buffer bindings (OMNI_VK_ACCESS_READ_TEXELS): the texel variant of
 * the dense kernel computes a dot product through three of them, and a
 * buffer with more texels than the device allows is refused by name. The
 * limit is lowered to 16 texels with OMNI_VK_MAX_TEXELS. */
GST_START_TEST (test_texel_bindings)
{
  static const OmniVkAccess access[]
      = { OMNI_VK_ACCESS_WRITE, OMNI_VK_ACCESS_READ_TEXELS,
          OMNI_VK_ACCESS_READ_TEXELS, OMNI_VK_ACCESS_READ_TEXELS };
  /* local size 1; M 1, K 37, N 1, no activation, a bias */
  guint32 spec[8] = { 1, 1, 1, 1, 37, 1, 0, 1 };
  GError *err = NULL;
  OmniVkDevice *dev;
  OmniVkPipeline *p;
  OmniVkBuffer *bufs[4], *big, *down;
  OmniVkDescriptorPool *pool;
  OmniVkCommand *cmd;
  gfloat x[37], w[37], bias = 2.0f, out = 0.0f;
  guint i;

  g_setenv ("OMNI_VK_MAX_TEXELS", "16", TRUE);
  dev = get_device ();
  g_unsetenv ("OMNI_VK_MAX_TEXELS");
  fail_unless_equals_uint64 (omni_vk_device_get_max_texels (dev), 16);
  p = omni_vk_pipeline_new (dev, "nn_dense_texel", access, 4, 0, spec, 8, &err);
  fail_unless (p != NULL, "%s", err ? err->message : "");
  for (i = 0; i < 37; i++) {
    x[i] = (gfloat) (i + 1);
    w[i] = 0.5f;
  }
  bufs[0] = omni_vk_buffer_new (dev, 4, OMNI_VK_MEMORY_DEVICE, &err);
  bufs[1] = omni_vk_buffer_new (dev, sizeof (x), OMNI_VK_MEMORY_DEVICE, &err);
  bufs[2] = omni_vk_buffer_new (dev, sizeof (w), OMNI_VK_MEMORY_DEVICE, &err);
  bufs[3] = omni_vk_buffer_new (dev, 4, OMNI_VK_MEMORY_DEVICE, &err);
  down = omni_vk_buffer_new (dev, 4, OMNI_VK_MEMORY_DOWNLOAD, &err);
  fail_unless (bufs[0] && bufs[1] && bufs[2] && bufs[3] && down);
  fail_unless (omni_vk_buffer_write (bufs[1], 0, x, sizeof (x), &err));
  fail_unless (omni_vk_buffer_write (bufs[2], 0, w, sizeof (w), &err));
  fail_unless (omni_vk_buffer_write (bufs[3], 0, &bias, 4, &err));

  cmd = omni_vk_command_new (dev, &err);
  fail_unless (omni_vk_command_begin (cmd, &err));
  omni_vk_command_dispatch_buffers (cmd, p, bufs, 4, NULL, 0, 1, 1, 1);
  omni_vk_command_copy_buffer (cmd, bufs[0], 0, down, 0, 4);
  fail_unless (omni_vk_command_end (cmd, &err), "%s", err ? err->message : "");
  fail_unless (omni_vk_command_run (cmd, &err), "%s", err ? err->message : "");
  fail_unless (omni_vk_buffer_read (down, 0, &out, 4, &err));
  /* 0.5 * (1 + ... + 37) + 2 */
  fail_unless_equals_float (out, 353.5f);
  omni_vk_command_unref (cmd);

  /* 17 texels: one more than the device takes. */
  big = omni_vk_buffer_new (dev, 17 * 16, OMNI_VK_MEMORY_DEVICE, &err);
  pool = omni_vk_descriptor_pool_new (dev, 2, 8, &err);
  omni_vk_buffer_unref (bufs[1]);
  bufs[1] = big;
  fail_if (omni_vk_descriptor_set_new (pool, p, bufs, 4, &err));
  fail_unless (err && strstr (err->message, "binding 1")
                   && strstr (err->message, "texel"),
      "%s", err ? err->message : "no error");
  g_clear_error (&err);
  /* ... unless the binding covers only what the shader reads. */
  {
    const gsize ranges[4] = { 0, sizeof (x), 0, 0 };
    OmniVkDescriptorSet *set = omni_vk_descriptor_set_new_with_ranges (
        pool, p, bufs, ranges, 4, &err);

    fail_unless (set != NULL, "%s", err ? err->message : "");
    omni_vk_descriptor_set_unref (set);
  }

  omni_vk_descriptor_pool_unref (pool);
  for (i = 0; i < 4; i++)
    omni_vk_buffer_unref (bufs[i]);
  omni_vk_buffer_unref (down);
  omni_vk_pipeline_unref (p);
  release_device (dev);
  assert_no_validation_messages ();
}

GST_END_TEST;

/* Fills @n floats with @value through the fill shader with workgroups of
 * @local invocations, in a buffer of n + 5 floats pre-set to -1, and checks
 * every value, including the untouched tail. */
static void
run_fill (OmniVkDevice *dev, guint local, guint n, gfloat value)
{
  GError *err = NULL;
  OmniVkPipeline *p = fill_pipeline (dev, local, n);
  OmniVkBuffer *buf
      = omni_vk_buffer_new (dev, (n + 5) * 4, OMNI_VK_MEMORY_DEVICE, &err);
  OmniVkBuffer *down
      = omni_vk_buffer_new (dev, (n + 5) * 4, OMNI_VK_MEMORY_DOWNLOAD, &err);
  OmniVkCommand *cmd = omni_vk_command_new (dev, &err);
  const gfloat *r;
  guint i;

  fail_unless (buf && down && cmd, "%s", err ? err->message : "");
  fail_unless (omni_vk_command_begin (cmd, &err));
  omni_vk_command_fill_buffer (cmd, buf, 0, G_MAXSIZE, 0xbf800000u); /* -1 */
  omni_vk_command_dispatch_buffers (
      cmd, p, &buf, 1, &value, 4, omni_vk_group_count (n, local), 1, 1);
  omni_vk_command_copy_buffer (cmd, buf, 0, down, 0, (n + 5) * 4);
  fail_unless (omni_vk_command_end (cmd, &err), "%s", err ? err->message : "");
  /* fill -> dispatch (write after write) -> copy (read after write) */
  fail_unless_equals_int (omni_vk_command_get_n_barriers (cmd), 2);
  fail_unless_equals_int (omni_vk_command_get_n_dispatches (cmd), 1);
  fail_unless (omni_vk_command_run (cmd, &err), "%s", err ? err->message : "");
  omni_vk_buffer_invalidate (down);
  r = omni_vk_buffer_get_mapped (down);
  for (i = 0; i < n; i++)
    fail_unless (r[i] == value, "local %u n %u: [%u] = %g", local, n, i, r[i]);
  for (i = n; i < n + 5; i++)
    fail_unless (
        r[i] == -1.0f, "local %u n %u: tail [%u] = %g", local, n, i, r[i]);
  omni_vk_command_unref (cmd);
  omni_vk_buffer_unref (buf);
  omni_vk_buffer_unref (down);
  omni_vk_pipeline_unref (p);
}

GST_START_TEST (test_fill_dispatch)
{
  OmniVkDevice *dev = get_device ();
  guint sg = omni_vk_device_get_subgroup_size (dev);
  guint max = omni_vk_device_get_local_size (dev, 1024);

  /* Workgroup sizes that are and are not multiples of the subgroup. */
  run_fill (dev, 1, 1, 2.5f);
  run_fill (dev, 7, 1237, 3.25f);
  run_fill (dev, sg, 1237, -7.0f);
  run_fill (dev, 64, 4096, 1e-3f);
  run_fill (dev, max, 100003, 42.0f);
  release_device (dev);
  assert_no_validation_messages ();
}

GST_END_TEST;

/* Barrier placement: independent dispatches need none, dependent ones one
 * each; a recording submitted again gives the same results. */
GST_START_TEST (test_barriers_and_resubmit)
{
  GError *err = NULL;
  OmniVkDevice *dev = get_device ();
  const guint n = 333, local = omni_vk_device_get_local_size (dev, 64);
  OmniVkPipeline *p = fill_pipeline (dev, local, n);
  OmniVkBuffer *a
      = omni_vk_buffer_new (dev, n * 4, OMNI_VK_MEMORY_DEVICE, &err);
  OmniVkBuffer *b
      = omni_vk_buffer_new (dev, n * 4, OMNI_VK_MEMORY_DEVICE, &err);
  OmniVkBuffer *down
      = omni_vk_buffer_new (dev, 2 * n * 4, OMNI_VK_MEMORY_DOWNLOAD, &err);
  OmniVkCommand *cmd = omni_vk_command_new (dev, &err);
  OmniVkDescriptorPool *pool = omni_vk_descriptor_pool_new (dev, 2, 2, &err);
  OmniVkDescriptorSet *sa, *sb;
  const gfloat va = 5.0f, vb = 6.0f;
  gfloat *r;
  guint i, round;

  fail_unless (p && a && b && down && cmd && pool);
  sa = omni_vk_descriptor_set_new (pool, p, &a, 1, &err);
  sb = omni_vk_descriptor_set_new (pool, p, &b, 1, &err);
  fail_unless (sa && sb, "%s", err ? err->message : "");
  fail_if (omni_vk_descriptor_pool_has_room (pool, 1));

  fail_unless (omni_vk_command_begin (cmd, &err));
  omni_vk_command_dispatch (
      cmd, sa, &va, 4, omni_vk_group_count (n, local), 1, 1);
  omni_vk_command_dispatch (
      cmd, sb, &vb, 4, omni_vk_group_count (n, local), 1, 1);
  fail_unless_equals_int (omni_vk_command_get_n_barriers (cmd), 0);
  omni_vk_command_copy_buffer (cmd, a, 0, down, 0, n * 4);
  fail_unless_equals_int (omni_vk_command_get_n_barriers (cmd), 1);
  omni_vk_command_copy_buffer (cmd, b, 0, down, n * 4, n * 4);
  /* b's write is not yet visible to transfers; down's first copy is a
   * transfer write the second copy must wait for (write after write). */
  fail_unless_equals_int (omni_vk_command_get_n_barriers (cmd), 2);
  /* Overwriting a after the copy read it: write after read. */
  omni_vk_command_dispatch (
      cmd, sa, &va, 4, omni_vk_group_count (n, local), 1, 1);
  fail_unless_equals_int (omni_vk_command_get_n_barriers (cmd), 3);
  fail_unless (omni_vk_command_end (cmd, &err), "%s", err ? err->message : "");

  for (round = 0; round < 3; round++) {
    r = omni_vk_buffer_get_mapped (down);
    memset (r, 0, 2 * n * 4);
    omni_vk_buffer_flush (down);
    fail_unless (
        omni_vk_command_submit (cmd, &err), "%s", err ? err->message : "");
    fail_unless (omni_vk_command_is_pending (cmd));
    fail_unless (omni_vk_command_wait (cmd, OMNI_VK_DEFAULT_TIMEOUT_NS, &err));
    fail_if (omni_vk_command_is_pending (cmd));
    omni_vk_buffer_invalidate (down);
    for (i = 0; i < n; i++) {
      fail_unless (r[i] == va, "round %u [%u] = %g", round, i, r[i]);
      fail_unless (
          r[n + i] == vb, "round %u [%u] = %g", round, n + i, r[n + i]);
    }
  }
  /* Submitting twice without waiting waits for the first. */
  fail_unless (omni_vk_command_submit (cmd, &err));
  fail_unless (omni_vk_command_submit (cmd, &err));
  fail_unless (omni_vk_command_wait (cmd, OMNI_VK_DEFAULT_TIMEOUT_NS, &err));

  omni_vk_descriptor_set_unref (sa);
  omni_vk_descriptor_set_unref (sb);
  omni_vk_descriptor_pool_unref (pool);
  omni_vk_command_unref (cmd);
  omni_vk_buffer_unref (a);
  omni_vk_buffer_unref (b);
  omni_vk_buffer_unref (down);
  omni_vk_pipeline_unref (p);
  release_device (dev);
  assert_no_validation_messages ();
}

GST_END_TEST;

static gchar *
make_cache_home (void)
{
  GError *err = NULL;
  gchar *dir = g_dir_make_tmp ("omni-vk-cache-XXXXXX", &err);

  fail_unless (dir != NULL, "%s", err ? err->message : "");
  g_setenv ("XDG_CACHE_HOME", dir, TRUE);
  return dir;
}

static void
remove_cache_home (gchar *dir, const gchar *file)
{
  gchar *sub = g_build_filename (dir, "gst-omni", NULL);

  if (file)
    g_unlink (file);
  g_rmdir (sub);
  g_rmdir (dir);
  g_free (sub);
  g_free (dir);
}

/* Creates a device, builds the fill pipeline, checks it works, destroys
 * everything (which saves the cache); returns the bytes the device loaded
 * from disk. */
static gsize
cache_cycle (gchar **path, gboolean *hit, gboolean *feedback)
{
  OmniVkDevice *dev = get_device ();
  OmniVkPipeline *p;
  gsize loaded = omni_vk_device_get_pipeline_cache_loaded_size (dev);

  g_free (*path);
  *path = g_strdup (omni_vk_device_get_pipeline_cache_path (dev));
  p = fill_pipeline (dev, 16, 100);
  *feedback = omni_vk_pipeline_get_cache_hit (p, hit);
  omni_vk_pipeline_unref (p);
  run_fill (dev, 16, 100, 1.5f);
  release_device (dev);
  return loaded;
}

GST_START_TEST (test_pipeline_cache)
{
  gchar *home = make_cache_home ();
  gchar *path = NULL, *contents = NULL;
  gsize len = 0, loaded;
  gboolean hit = FALSE, feedback = FALSE;

  /* Empty cache: nothing loaded, a miss, the file written at the end. */
  fail_unless_equals_uint64 (cache_cycle (&path, &hit, &feedback), 0);
  fail_unless (g_str_has_prefix (path, home), "%s", path);
  if (feedback)
    fail_if (hit);
  fail_unless (g_file_test (path, G_FILE_TEST_IS_REGULAR), "%s", path);

  /* Second run: loaded; a driver that stores pipelines in its cache data
   * (more than the 32-byte VkPipelineCacheHeaderVersionOne) and gives
   * creation feedback must report a hit. Mesa 22's lavapipe stores only the
   * header and always recompiles. */
  loaded = cache_cycle (&path, &hit, &feedback);
  fail_unless (loaded >= 32, "%" G_GSIZE_FORMAT, loaded);
  GST_INFO ("pipeline cache: %" G_GSIZE_FORMAT " bytes loaded, feedback %d, "
            "hit %d",
      loaded, feedback, hit);
  if (feedback && loaded > 32)
    fail_unless (hit, "pipeline not found in a loaded cache");

  /* Corrupt payload: rejected by the checksum, the device works, and the
   * file is rewritten valid. */
  fail_unless (g_file_get_contents (path, &contents, &len, NULL));
  fail_unless (len > 60);
  contents[len - 1] ^= 0x5a;
  contents[len / 2] ^= 0x33;
  fail_unless (g_file_set_contents (path, contents, len, NULL));
  fail_unless_equals_uint64 (cache_cycle (&path, &hit, &feedback), 0);
  fail_unless (cache_cycle (&path, &hit, &feedback) > 0);

  /* Truncated file, then garbage, then an empty file. */
  fail_unless (g_file_set_contents (path, contents, len / 3, NULL));
  fail_unless_equals_uint64 (cache_cycle (&path, &hit, &feedback), 0);
  fail_unless (g_file_set_contents (path, "garbage, not a cache", -1, NULL));
  fail_unless_equals_uint64 (cache_cycle (&path, &hit, &feedback), 0);
  fail_unless (g_file_set_contents (path, "", 0, NULL));
  fail_unless_equals_uint64 (cache_cycle (&path, &hit, &feedback), 0);
  fail_unless (cache_cycle (&path, &hit, &feedback) > 0);
  g_free (contents);

  /* Disabled. */
  g_setenv ("OMNI_VK_PIPELINE_CACHE", "0", TRUE);
  {
    OmniVkDevice *dev = get_device ();

    fail_unless (omni_vk_device_get_pipeline_cache_path (dev) == NULL);
    release_device (dev);
  }
  g_unsetenv ("OMNI_VK_PIPELINE_CACHE");

  remove_cache_home (home, path);
  g_free (path);
  assert_no_validation_messages ();
}

GST_END_TEST;

static guint
count_fds (void)
{
  GDir *d = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  if (!d)
    return 0;
  while (g_dir_read_name (d))
    n++;
  g_dir_close (d);
  return n;
}

/* Many full create/destroy cycles: device, buffers, pipeline, descriptor
 * pool, command, a dispatch; each cycle destroys the device (checked), the
 * leaks tracer and the validation layer (which reports Vulkan objects still
 * alive at vkDestroyDevice) catch anything left behind. */
GST_START_TEST (test_create_destroy_cycles)
{
  gchar *home = make_cache_home ();
  gchar *path = NULL;
  guint i;

  guint fds = 0;

  for (i = 0; i < 15; i++) {
    OmniVkDevice *dev = get_device ();

    g_free (path);
    path = g_strdup (omni_vk_device_get_pipeline_cache_path (dev));
    run_fill (dev, 8, 50 + i, (gfloat) i);
    release_device (dev);
    /* No file descriptors pile up either (after the first cycle, which
     * loads the driver and layers). */
    if (i == 0)
      fds = count_fds ();
    else
      fail_unless_equals_int (count_fds (), fds);
  }
  remove_cache_home (home, path);
  g_free (path);
  assert_no_validation_messages ();
}

GST_END_TEST;

GST_START_TEST (test_device_lost)
{
  GError *err = NULL;
  OmniVkDevice *dev = get_device (), *fresh;
  OmniVkPipeline *p = fill_pipeline (dev, 8, 10);
  OmniVkBuffer *buf = omni_vk_buffer_new (dev, 40, OMNI_VK_MEMORY_DEVICE, &err);
  OmniVkCommand *cmd = omni_vk_command_new (dev, &err);
  const gfloat v = 1.0f;

  fail_unless (omni_vk_command_begin (cmd, &err));
  omni_vk_command_dispatch_buffers (cmd, p, &buf, 1, &v, 4, 2, 1, 1);
  fail_unless (omni_vk_command_end (cmd, &err));

  omni_vk_device_inject_device_lost (dev);
  fail_if (omni_vk_command_run (cmd, &err));
  fail_unless (g_error_matches (err, OMNI_VK_ERROR, OMNI_VK_ERROR_DEVICE_LOST),
      "%s", err ? err->message : "");
  g_clear_error (&err);
  fail_unless (omni_vk_device_is_lost (dev));

  /* Everything on the lost device now fails cleanly. */
  fail_if (omni_vk_command_submit (cmd, &err));
  fail_unless (g_error_matches (err, OMNI_VK_ERROR, OMNI_VK_ERROR_DEVICE_LOST));
  g_clear_error (&err);
  fail_if (omni_vk_buffer_new (dev, 4, OMNI_VK_MEMORY_DEVICE, &err));
  fail_unless (g_error_matches (err, OMNI_VK_ERROR, OMNI_VK_ERROR_DEVICE_LOST));
  g_clear_error (&err);
  fail_if (omni_vk_command_begin (cmd, &err));
  g_clear_error (&err);

  /* A new request gets a fresh, working device. */
  fresh = get_device ();
  fail_if (fresh == dev);
  fail_if (omni_vk_device_is_lost (fresh));
  run_fill (fresh, 8, 77, 9.0f);

  omni_vk_command_unref (cmd);
  omni_vk_buffer_unref (buf);
  omni_vk_pipeline_unref (p);
  release_device (dev);
  release_device (fresh);
  assert_no_validation_messages ();
}

GST_END_TEST;

GST_START_TEST (test_bad_arguments)
{
  static const OmniVkAccess access[]
      = { OMNI_VK_ACCESS_WRITE, OMNI_VK_ACCESS_READ };
  GError *err = NULL;
  OmniVkDevice *dev = get_device ();
  OmniVkPipeline *p = fill_pipeline (dev, 8, 10);
  OmniVkBuffer *bufs[2];
  OmniVkCommand *cmd = omni_vk_command_new (dev, &err);
  const gfloat v = 1.0f;
  guint32 spec[2] = { 8, 10 };

  fail_if (omni_vk_pipeline_new (
      dev, "no-such-shader", access, 1, 4, spec, 2, &err));
  fail_unless (g_error_matches (err, OMNI_VK_ERROR, OMNI_VK_ERROR_SHADER));
  fail_unless (strstr (err->message, "no-such-shader"));
  g_clear_error (&err);
  fail_if (omni_vk_pipeline_new (dev, "fill", access, 1, 4096, spec, 2, &err));
  fail_unless (g_error_matches (err, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID));
  g_clear_error (&err);
  fail_if (omni_vk_pipeline_new (dev, "fill", access, 0, 4, spec, 2, &err));
  g_clear_error (&err);

  bufs[0] = omni_vk_buffer_new (dev, 40, OMNI_VK_MEMORY_DEVICE, &err);
  bufs[1] = omni_vk_buffer_new (dev, 40, OMNI_VK_MEMORY_DEVICE, &err);
  /* Two buffers for a one-binding shader: reported by end(). */
  fail_unless (omni_vk_command_begin (cmd, &err));
  omni_vk_command_dispatch_buffers (cmd, p, bufs, 2, &v, 4, 1, 1, 1);
  omni_vk_command_copy_buffer (cmd, bufs[0], 0, bufs[1], 8, 40);
  fail_if (omni_vk_command_end (cmd, &err));
  fail_unless (g_error_matches (err, OMNI_VK_ERROR, OMNI_VK_ERROR_INVALID));
  fail_unless (strstr (err->message, "fill"), "%s", err->message);
  g_clear_error (&err);
  /* Nothing usable was recorded. */
  fail_if (omni_vk_command_submit (cmd, &err));
  g_clear_error (&err);
  /* Too many workgroups. */
  fail_unless (omni_vk_command_begin (cmd, &err));
  omni_vk_command_dispatch_buffers (cmd, p, bufs, 1, &v, 4, G_MAXUINT32, 1, 1);
  fail_if (omni_vk_command_end (cmd, &err));
  g_clear_error (&err);

  omni_vk_command_unref (cmd);
  omni_vk_buffer_unref (bufs[0]);
  omni_vk_buffer_unref (bufs[1]);
  omni_vk_pipeline_unref (p);
  release_device (dev);
  assert_no_validation_messages ();
}

GST_END_TEST;

typedef struct {
  guint id;
  gboolean ok;
} ThreadData;

static gpointer
thread_fill (gpointer user_data)
{
  ThreadData *td = user_data;
  guint i;

  /* Each thread gets the shared device itself and drives its own
   * commands on the one queue. */
  for (i = 0; i < 10; i++) {
    OmniVkDevice *dev = get_device ();

    run_fill (dev, 8 * (td->id + 1), 500 + 31 * i + td->id, (gfloat) td->id);
    gst_object_unref (dev);
  }
  td->ok = TRUE;
  return NULL;
}

GST_START_TEST (test_threads)
{
  OmniVkDevice *dev = get_device ();
  ThreadData td[3];
  GThread *t[3];
  guint i;

  for (i = 0; i < 3; i++) {
    td[i].id = i;
    td[i].ok = FALSE;
    t[i] = g_thread_new ("vk-test", thread_fill, &td[i]);
  }
  for (i = 0; i < 3; i++) {
    g_thread_join (t[i]);
    fail_unless (td[i].ok);
  }
  release_device (dev);
  assert_no_validation_messages ();
}

GST_END_TEST;

/* No Vulkan driver at all: a clear error naming what to install. */
GST_START_TEST (test_no_driver)
{
  GError *err = NULL;
  gchar *desc;

  /* Validation off: the loader itself reports "no drivers" as an error
   * message, which is the point of this test, not a validation failure. */
  g_setenv ("OMNI_VK_VALIDATION", "0", TRUE);
  g_setenv ("VK_DRIVER_FILES", "/nonexistent/omni_no_icd.json", TRUE);
  g_setenv ("VK_ICD_FILENAMES", "/nonexistent/omni_no_icd.json", TRUE);
  fail_if (omni_vk_device_get (NULL, &err));
  fail_unless (err != NULL);
  fail_unless (
      g_error_matches (err, OMNI_VK_ERROR, OMNI_VK_ERROR_NO_DRIVER)
          || g_error_matches (err, OMNI_VK_ERROR, OMNI_VK_ERROR_NO_DEVICE),
      "%s", err->message);
  fail_unless (
      strstr (err->message, "mesa-vulkan-drivers"), "%s", err->message);
  g_clear_error (&err);
  desc = omni_vk_describe_devices ();
  fail_unless (g_str_has_prefix (desc, "none"), "%s", desc);
  fail_unless (strstr (desc, "mesa-vulkan-drivers"), "%s", desc);
  g_free (desc);
  assert_no_validation_messages ();
}

GST_END_TEST;

/* Validation asked for but the layer is not installed: refuse to run
 * unchecked, and say what to install. */
GST_START_TEST (test_validation_layer_missing)
{
  GError *err = NULL;
  gchar *dir = g_dir_make_tmp ("omni-vk-nolayers-XXXXXX", NULL);

  g_setenv ("OMNI_VK_VALIDATION", "1", TRUE);
  /* The loader then looks for explicit layers only in this empty folder. */
  g_setenv ("VK_LAYER_PATH", dir, TRUE);
  g_setenv ("VK_ADD_LAYER_PATH", dir, TRUE);
  fail_if (omni_vk_device_get (NULL, &err));
  fail_unless (
      g_error_matches (err, OMNI_VK_ERROR, OMNI_VK_ERROR_VALIDATION_MISSING),
      "%s", err ? err->message : "");
  fail_unless (
      strstr (err->message, "vulkan-validationlayers"), "%s", err->message);
  g_clear_error (&err);
  g_rmdir (dir);
  g_free (dir);
  assert_no_validation_messages ();
}

GST_END_TEST;

/* The counter behind every test's final check really counts: an invalid
 * parameter and a missing barrier (synchronisation validation) are both
 * reported. Skipped checks when validation is off are stated plainly. */
GST_START_TEST (test_validation_counts)
{
  OmniVkDevice *dev;
  VkDevice vkdev;
  VkFenceCreateInfo fci = { VK_STRUCTURE_TYPE_FENCE_CREATE_INFO };
  VkCommandPoolCreateInfo pci = { VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO };
  VkCommandBufferAllocateInfo ai
      = { VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO };
  VkCommandBufferBeginInfo bi = { VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO };
  VkFence fence;
  VkCommandPool pool;
  VkCommandBuffer cb;
  OmniVkBuffer *buf;
  GError *err = NULL;
  guint after_fence;

  if (!omni_vk_validation_enabled ()) {
    GST_WARNING ("OMNI_VK_VALIDATION is not set: nothing to check");
    return;
  }
  dev = get_device ();
  vkdev = omni_vk_device_get_handle (dev);
  assert_no_validation_messages ();

  /* An undefined flag bit: VUID-VkFenceCreateInfo-flags-parameter. */
  fci.flags = 0x100;
  fail_unless (vkCreateFence (vkdev, &fci, NULL, &fence) == VK_SUCCESS);
  vkDestroyFence (vkdev, fence, NULL);
  after_fence = omni_vk_device_get_validation_message_count ();
  fail_unless (after_fence >= 1);

  /* Two fills of one buffer with no barrier between: a write-after-write
   * hazard only synchronisation validation sees. */
  buf = omni_vk_buffer_new (dev, 64, OMNI_VK_MEMORY_DEVICE, &err);
  pci.queueFamilyIndex = omni_vk_device_get_queue_family (dev);
  fail_unless (vkCreateCommandPool (vkdev, &pci, NULL, &pool) == VK_SUCCESS);
  ai.commandPool = pool;
  ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  ai.commandBufferCount = 1;
  fail_unless (vkAllocateCommandBuffers (vkdev, &ai, &cb) == VK_SUCCESS);
  fail_unless (vkBeginCommandBuffer (cb, &bi) == VK_SUCCESS);
  vkCmdFillBuffer (cb, omni_vk_buffer_get_handle (buf), 0, 64, 0);
  vkCmdFillBuffer (cb, omni_vk_buffer_get_handle (buf), 0, 64, 1);
  fail_unless (vkEndCommandBuffer (cb) == VK_SUCCESS);
  vkDestroyCommandPool (vkdev, pool, NULL);
  fail_unless (omni_vk_device_get_validation_message_count () > after_fence,
      "synchronisation validation is not on");

  omni_vk_buffer_unref (buf);
  release_device (dev);
}

GST_END_TEST;

static Suite *
vk_suite (void)
{
  Suite *s = suite_create ("omni-vk");
  TCase *tc = tcase_create ("general");

  /* Show the validation layer's messages in the test log. */
  gst_debug_set_threshold_for_name ("omnivk", GST_LEVEL_WARNING);

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_enumerate);
  tcase_add_test (tc, test_device_choice);
  tcase_add_test (tc, test_buffer_round_trip);
  tcase_add_test (tc, test_buffer_staging);
  tcase_add_test (tc, test_fill_dispatch);
  tcase_add_test (tc, test_texel_bindings);
  tcase_add_test (tc, test_barriers_and_resubmit);
  tcase_add_test (tc, test_pipeline_cache);
  tcase_add_test (tc, test_create_destroy_cycles);
  tcase_add_test (tc, test_device_lost);
  tcase_add_test (tc, test_bad_arguments);
  tcase_add_test (tc, test_threads);
  tcase_add_test (tc, test_no_driver);
  tcase_add_test (tc, test_validation_layer_missing);
  tcase_add_test (tc, test_validation_counts);
  return s;
}

GST_CHECK_MAIN (vk);
