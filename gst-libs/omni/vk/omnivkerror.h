/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_VK_ERROR_H__
#define __OMNI_VK_ERROR_H__

#include <omni/omni-prelude.h>
#include <vulkan/vulkan.h>

G_BEGIN_DECLS

/**
 * OMNI_VK_ERROR:
 *
 * Error domain of the Vulkan compute core. Errors in this domain use the
 * #OmniVkError codes.
 */
#define OMNI_VK_ERROR (omni_vk_error_quark ())

/**
 * OmniVkError:
 * @OMNI_VK_ERROR_NO_DRIVER: no Vulkan loader or driver could be used (the
 *   message names the package to install)
 * @OMNI_VK_ERROR_NO_DEVICE: no usable device, or the `device` selector matched
 *   none (the message lists the devices found)
 * @OMNI_VK_ERROR_VALIDATION_MISSING: validation was requested
 *   (OMNI_VK_VALIDATION=1) but VK_LAYER_KHRONOS_validation is not installed
 * @OMNI_VK_ERROR_DEVICE_LOST: the device was lost (driver reset, GPU hang,
 *   unplugged); the #OmniVkDevice is unusable, get a new one
 * @OMNI_VK_ERROR_OUT_OF_MEMORY: host or device memory exhausted
 * @OMNI_VK_ERROR_TIMEOUT: a submission did not finish in time
 * @OMNI_VK_ERROR_SHADER: unknown shader or a pipeline that could not be built
 * @OMNI_VK_ERROR_INVALID: invalid arguments (sizes beyond the device limits,
 *   wrong number of buffers, ...)
 * @OMNI_VK_ERROR_FAILED: any other Vulkan failure
 *
 * Error codes of the #OMNI_VK_ERROR domain.
 */
typedef enum {
  OMNI_VK_ERROR_NO_DRIVER,
  OMNI_VK_ERROR_NO_DEVICE,
  OMNI_VK_ERROR_VALIDATION_MISSING,
  OMNI_VK_ERROR_DEVICE_LOST,
  OMNI_VK_ERROR_OUT_OF_MEMORY,
  OMNI_VK_ERROR_TIMEOUT,
  OMNI_VK_ERROR_SHADER,
  OMNI_VK_ERROR_INVALID,
  OMNI_VK_ERROR_FAILED,
} OmniVkError;

OMNI_API GQuark omni_vk_error_quark (void);

OMNI_API const gchar *omni_vk_result_to_string (VkResult result);

G_END_DECLS

#endif /* __OMNI_VK_ERROR_H__ */
