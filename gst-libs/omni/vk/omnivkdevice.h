/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_VK_DEVICE_H__
#define __OMNI_VK_DEVICE_H__

#include <omni/omni-prelude.h>
#include <omni/vk/omnivkinstance.h>
#include <vulkan/vulkan.h>

G_BEGIN_DECLS

#define OMNI_TYPE_VK_DEVICE (omni_vk_device_get_type ())
OMNI_API GType omni_vk_device_get_type (void);
G_DECLARE_FINAL_TYPE (OmniVkDevice, omni_vk_device, OMNI, VK_DEVICE, GstObject)

OMNI_API OmniVkDevice *omni_vk_device_get (
    const gchar *selector, GError **error);

OMNI_API const OmniVkDeviceInfo *omni_vk_device_get_info (OmniVkDevice *device);
OMNI_API const gchar *omni_vk_device_get_name (OmniVkDevice *device);
OMNI_API guint32 omni_vk_device_get_subgroup_size (OmniVkDevice *device);
OMNI_API gboolean omni_vk_device_has_subgroup_shuffle (OmniVkDevice *device);
OMNI_API guint64 omni_vk_device_get_max_texels (OmniVkDevice *device);
OMNI_API const VkPhysicalDeviceLimits *omni_vk_device_get_limits (
    OmniVkDevice *device);
OMNI_API guint omni_vk_device_get_local_size (
    OmniVkDevice *device, guint preferred);
OMNI_API gboolean omni_vk_device_is_unified_memory (OmniVkDevice *device);

OMNI_API VkInstance omni_vk_device_get_instance (OmniVkDevice *device);
OMNI_API VkPhysicalDevice omni_vk_device_get_physical_device (
    OmniVkDevice *device);
OMNI_API VkDevice omni_vk_device_get_handle (OmniVkDevice *device);
OMNI_API guint32 omni_vk_device_get_queue_family (OmniVkDevice *device);

OMNI_API gboolean omni_vk_device_wait_idle (
    OmniVkDevice *device, GError **error);
OMNI_API gboolean omni_vk_device_is_lost (OmniVkDevice *device);
OMNI_API void omni_vk_device_inject_device_lost (OmniVkDevice *device);

OMNI_API gboolean omni_vk_device_save_pipeline_cache (
    OmniVkDevice *device, GError **error);
OMNI_API const gchar *omni_vk_device_get_pipeline_cache_path (
    OmniVkDevice *device);
OMNI_API gsize omni_vk_device_get_pipeline_cache_loaded_size (
    OmniVkDevice *device);

OMNI_API guint omni_vk_device_get_validation_message_count (void);

G_END_DECLS

#endif /* __OMNI_VK_DEVICE_H__ */
