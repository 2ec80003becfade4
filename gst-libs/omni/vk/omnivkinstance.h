/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_VK_INSTANCE_H__
#define __OMNI_VK_INSTANCE_H__

#include <omni/omni-prelude.h>
#include <vulkan/vulkan.h>

G_BEGIN_DECLS

/**
 * OmniVkDeviceType:
 * @OMNI_VK_DEVICE_TYPE_DISCRETE: a discrete GPU
 * @OMNI_VK_DEVICE_TYPE_INTEGRATED: a GPU sharing memory with the CPU
 * @OMNI_VK_DEVICE_TYPE_VIRTUAL: a virtualised GPU
 * @OMNI_VK_DEVICE_TYPE_CPU: a CPU implementation (Mesa lavapipe, SwiftShader)
 * @OMNI_VK_DEVICE_TYPE_OTHER: anything else
 *
 * Kinds of Vulkan devices, in the order of preference used when no `device`
 * is asked for.
 */
typedef enum {
  OMNI_VK_DEVICE_TYPE_DISCRETE,
  OMNI_VK_DEVICE_TYPE_INTEGRATED,
  OMNI_VK_DEVICE_TYPE_VIRTUAL,
  OMNI_VK_DEVICE_TYPE_CPU,
  OMNI_VK_DEVICE_TYPE_OTHER,
} OmniVkDeviceType;

/**
 * OmniVkDeviceInfo:
 * @index: position in the Vulkan enumeration; what `device=N` selects
 * @name: the driver's device name, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"
 * @type: the kind of device
 * @vendor_id: PCI vendor id (0x10de NVIDIA, 0x1002 AMD, 0x8086 Intel,
 *   0x10005 Mesa for lavapipe)
 * @device_id: vendor-specific device id
 * @api_version: the Vulkan version the device supports (VK_MAKE_API_VERSION)
 * @usable: %FALSE when the device cannot run gst-omni's shaders (it lacks
 *   Vulkan 1.1 or a compute queue)
 *
 * One physical device as seen by the Vulkan loader.
 */
typedef struct {
  guint index;
  gchar *name;
  OmniVkDeviceType type;
  guint32 vendor_id;
  guint32 device_id;
  guint32 api_version;
  gboolean usable;
} OmniVkDeviceInfo;

OMNI_API GPtrArray *omni_vk_enumerate_devices (GError **error);

OMNI_API void omni_vk_device_info_free (OmniVkDeviceInfo *info);

OMNI_API const gchar *omni_vk_device_type_to_string (OmniVkDeviceType type);

OMNI_API gchar *omni_vk_describe_devices (void);

OMNI_API gboolean omni_vk_validation_enabled (void);

G_END_DECLS

#endif /* __OMNI_VK_INSTANCE_H__ */
