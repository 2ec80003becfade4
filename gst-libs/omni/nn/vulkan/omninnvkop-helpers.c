/* gst-omni: helpers shared by the Vulkan kernel builders
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnvkop.h"

const OmniVkAccess omni_nn_vk_access_w_r[2]
    = { OMNI_VK_ACCESS_WRITE, OMNI_VK_ACCESS_READ };
const OmniVkAccess omni_nn_vk_access_w_rr[3]
    = { OMNI_VK_ACCESS_WRITE, OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_READ };
const OmniVkAccess omni_nn_vk_access_w_t[2]
    = { OMNI_VK_ACCESS_WRITE, OMNI_VK_ACCESS_READ_TEXELS };
const OmniVkAccess omni_nn_vk_access_w_tt[3] = { OMNI_VK_ACCESS_WRITE,
  OMNI_VK_ACCESS_READ_TEXELS, OMNI_VK_ACCESS_READ_TEXELS };
const OmniVkAccess omni_nn_vk_access_w_rrr[4] = { OMNI_VK_ACCESS_WRITE,
  OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_READ };
const OmniVkAccess omni_nn_vk_access_w_ttt[4]
    = { OMNI_VK_ACCESS_WRITE, OMNI_VK_ACCESS_READ_TEXELS,
        OMNI_VK_ACCESS_READ_TEXELS, OMNI_VK_ACCESS_READ_TEXELS };
const OmniVkAccess omni_nn_vk_access_w_rrrr[5]
    = { OMNI_VK_ACCESS_WRITE, OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_READ,
        OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_READ };
const OmniVkAccess omni_nn_vk_access_w_tttt[5] = { OMNI_VK_ACCESS_WRITE,
  OMNI_VK_ACCESS_READ_TEXELS, OMNI_VK_ACCESS_READ_TEXELS,
  OMNI_VK_ACCESS_READ_TEXELS, OMNI_VK_ACCESS_READ_TEXELS };
const OmniVkAccess omni_nn_vk_access_w_rrrrr[6]
    = { OMNI_VK_ACCESS_WRITE, OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_READ,
        OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_READ, OMNI_VK_ACCESS_READ };
const OmniVkAccess omni_nn_vk_access_w_ttttt[6]
    = { OMNI_VK_ACCESS_WRITE, OMNI_VK_ACCESS_READ_TEXELS,
        OMNI_VK_ACCESS_READ_TEXELS, OMNI_VK_ACCESS_READ_TEXELS,
        OMNI_VK_ACCESS_READ_TEXELS, OMNI_VK_ACCESS_READ_TEXELS };
const OmniVkAccess omni_nn_vk_access_rw_r[2]
    = { OMNI_VK_ACCESS_READ_WRITE, OMNI_VK_ACCESS_READ };

guint32
omni_nn_vk_div_up (guint64 a, guint64 b)
{
  return (guint32) ((a + b - 1) / b);
}

guint
omni_nn_vk_pow2_floor (guint v)
{
  guint p = 1;

  while (p * 2 <= v)
    p *= 2;
  return p;
}

void
omni_nn_vk_groups_1d (
    OmniVkDevice *dev, guint64 n, guint32 local, guint32 groups[3])
{
  guint64 total = MAX ((n + local - 1) / local, 1);
  guint32 max_x = omni_vk_device_get_limits (dev)->maxComputeWorkGroupCount[0];

  groups[0] = (guint32) MIN (total, max_x);
  groups[1] = omni_nn_vk_div_up (total, groups[0]);
  groups[2] = 1;
}

/* On lavapipe texel reads turn per-lane storage-buffer loads into vector
 * gathers (2-3x faster GEMMs), on GPUs they go through the texture cache. */
gboolean
omni_nn_vk_reads_fit_texels (OmniNnVkKernel *k)
{
  guint64 max = omni_vk_device_get_max_texels (k->device);
  guint i;

  for (i = 1; i < G_N_ELEMENTS (k->read_bytes); i++)
    if (omni_nn_vk_div_up (k->read_bytes[i], 16) > max)
      return FALSE;
  return TRUE;
}
