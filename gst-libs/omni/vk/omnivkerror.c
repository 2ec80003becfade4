/* gst-omni
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omnivkerror
 * @title: OmniVkError
 * @short_description: errors of the Vulkan compute core
 *
 * Every fallible function of the Vulkan core reports failures as a #GError in
 * the #OMNI_VK_ERROR domain whose message names the Vulkan call and its
 * #VkResult. VK_ERROR_DEVICE_LOST maps to %OMNI_VK_ERROR_DEVICE_LOST and marks
 * the device lost, so later calls fail fast instead of touching a dead device.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omnivk-private.h"

/**
 * omni_vk_error_quark:
 *
 * Returns: the #GQuark of the #OMNI_VK_ERROR domain
 */
GQuark
omni_vk_error_quark (void)
{
  return g_quark_from_static_string ("omni-vk-error-quark");
}

/**
 * omni_vk_result_to_string:
 * @result: a #VkResult
 *
 * Returns: (transfer none): the name of @result, e.g. "VK_ERROR_DEVICE_LOST"
 */
const gchar *
omni_vk_result_to_string (VkResult result)
{
  switch (result) {
#define CASE(x)                                                                \
  case x:                                                                      \
    return #x
    CASE (VK_SUCCESS);
    CASE (VK_NOT_READY);
    CASE (VK_TIMEOUT);
    CASE (VK_EVENT_SET);
    CASE (VK_EVENT_RESET);
    CASE (VK_INCOMPLETE);
    CASE (VK_ERROR_OUT_OF_HOST_MEMORY);
    CASE (VK_ERROR_OUT_OF_DEVICE_MEMORY);
    CASE (VK_ERROR_INITIALIZATION_FAILED);
    CASE (VK_ERROR_DEVICE_LOST);
    CASE (VK_ERROR_MEMORY_MAP_FAILED);
    CASE (VK_ERROR_LAYER_NOT_PRESENT);
    CASE (VK_ERROR_EXTENSION_NOT_PRESENT);
    CASE (VK_ERROR_FEATURE_NOT_PRESENT);
    CASE (VK_ERROR_INCOMPATIBLE_DRIVER);
    CASE (VK_ERROR_TOO_MANY_OBJECTS);
    CASE (VK_ERROR_FORMAT_NOT_SUPPORTED);
    CASE (VK_ERROR_FRAGMENTED_POOL);
    CASE (VK_ERROR_UNKNOWN);
    CASE (VK_ERROR_OUT_OF_POOL_MEMORY);
    CASE (VK_ERROR_INVALID_EXTERNAL_HANDLE);
    CASE (VK_ERROR_FRAGMENTATION);
    CASE (VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS);
    CASE (VK_PIPELINE_COMPILE_REQUIRED);
    CASE (VK_ERROR_VALIDATION_FAILED_EXT);
#undef CASE
  default:
    return "VK_RESULT_UNKNOWN";
  }
}

/* Turns a failed VkResult into a GError; marks @device lost on
 * VK_ERROR_DEVICE_LOST. Returns TRUE when @result is a success code. */
gboolean
_omni_vk_check (
    OmniVkDevice *device, VkResult result, const gchar *what, GError **error)
{
  OmniVkError code;

  if (result >= VK_SUCCESS)
    return TRUE;

  switch (result) {
  case VK_ERROR_DEVICE_LOST:
    code = OMNI_VK_ERROR_DEVICE_LOST;
    if (device)
      _omni_vk_device_mark_lost (device);
    break;
  case VK_ERROR_OUT_OF_HOST_MEMORY:
  case VK_ERROR_OUT_OF_DEVICE_MEMORY:
  case VK_ERROR_OUT_OF_POOL_MEMORY:
  case VK_ERROR_FRAGMENTED_POOL:
  case VK_ERROR_FRAGMENTATION:
  case VK_ERROR_TOO_MANY_OBJECTS:
    code = OMNI_VK_ERROR_OUT_OF_MEMORY;
    break;
  case VK_ERROR_INCOMPATIBLE_DRIVER:
    code = OMNI_VK_ERROR_NO_DRIVER;
    break;
  default:
    code = OMNI_VK_ERROR_FAILED;
    break;
  }
  GST_CAT_WARNING (
      omni_vk_debug, "%s failed: %s", what, omni_vk_result_to_string (result));
  g_set_error (error, OMNI_VK_ERROR, code, "%s failed: %s%s", what,
      omni_vk_result_to_string (result),
      code == OMNI_VK_ERROR_DEVICE_LOST
          ? " (the Vulkan device was lost; it must be re-created)"
          : "");
  return FALSE;
}
