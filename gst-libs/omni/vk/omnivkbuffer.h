/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_VK_BUFFER_H__
#define __OMNI_VK_BUFFER_H__

#include <omni/omni-prelude.h>
#include <omni/vk/omnivkdevice.h>

G_BEGIN_DECLS

/**
 * OmniVkMemoryUsage:
 * @OMNI_VK_MEMORY_DEVICE: read and written by shaders; device-local memory,
 *   which is also host-visible on integrated GPUs and CPU drivers (then
 *   omni_vk_buffer_write() is a memcpy, otherwise it goes through a staging
 *   buffer)
 * @OMNI_VK_MEMORY_UPLOAD: written by the host every frame, read by the
 *   device: always host-visible (device-local too when the device has such
 *   memory); the source of staging copies
 * @OMNI_VK_MEMORY_DOWNLOAD: written by the device, read back by the host:
 *   host-visible, cached when possible
 *
 * What a buffer is for; decides its memory type.
 */
typedef enum {
  OMNI_VK_MEMORY_DEVICE,
  OMNI_VK_MEMORY_UPLOAD,
  OMNI_VK_MEMORY_DOWNLOAD,
} OmniVkMemoryUsage;

/**
 * OmniVkBuffer:
 *
 * A VkBuffer with its own memory, usable as a storage buffer and as the
 * source or destination of copies. A #GstMiniObject: ref-counted with
 * omni_vk_buffer_ref() and omni_vk_buffer_unref(), tracked by the leaks
 * tracer. Command recordings keep the buffers they use alive until they
 * complete.
 */
typedef struct _OmniVkBuffer OmniVkBuffer;

#define OMNI_TYPE_VK_BUFFER (omni_vk_buffer_get_type ())
OMNI_API GType omni_vk_buffer_get_type (void);

OMNI_API OmniVkBuffer *omni_vk_buffer_new (
    OmniVkDevice *device, gsize size, OmniVkMemoryUsage usage, GError **error);
OMNI_API OmniVkBuffer *omni_vk_buffer_ref (OmniVkBuffer *buffer);
OMNI_API void omni_vk_buffer_unref (OmniVkBuffer *buffer);

OMNI_API gsize omni_vk_buffer_get_size (OmniVkBuffer *buffer);
OMNI_API VkBuffer omni_vk_buffer_get_handle (OmniVkBuffer *buffer);
OMNI_API OmniVkDevice *omni_vk_buffer_get_device (OmniVkBuffer *buffer);
OMNI_API gboolean omni_vk_buffer_is_host_visible (OmniVkBuffer *buffer);
OMNI_API gpointer omni_vk_buffer_get_mapped (OmniVkBuffer *buffer);
OMNI_API void omni_vk_buffer_flush (OmniVkBuffer *buffer);
OMNI_API void omni_vk_buffer_invalidate (OmniVkBuffer *buffer);

OMNI_API gboolean omni_vk_buffer_write (OmniVkBuffer *buffer, gsize offset,
    gconstpointer data, gsize size, GError **error);
OMNI_API gboolean omni_vk_buffer_read (OmniVkBuffer *buffer, gsize offset,
    gpointer data, gsize size, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmniVkBuffer, omni_vk_buffer_unref)

G_END_DECLS

#endif /* __OMNI_VK_BUFFER_H__ */
