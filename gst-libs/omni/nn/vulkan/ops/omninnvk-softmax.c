/* gst-omni: Vulkan kernel of op softmax (nn_softmax)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../omninnvkop.h"

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnSoftmaxParams *p = &k->params.softmax;
  const VkPhysicalDeviceLimits *lim = omni_vk_device_get_limits (k->device);
  guint l;

  if (p->rows == 0 || p->n == 0)
    return FALSE;
  /* A power of two for the tree reductions, no wider than the row. */
  l = omni_nn_vk_pow2_floor (
      MIN (MIN (p->n, 256), lim->maxComputeWorkGroupInvocations));
  k->shader = "nn_softmax";
  k->local[0] = l;
  k->local[1] = 1;
  b->spec[OMNI_SPEC_LOCAL_X] = l;
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->spec[OMNI_SPEC_SOFTMAX_ROWS] = p->rows;
  b->spec[OMNI_SPEC_SOFTMAX_N] = p->n;
  b->n_spec = OMNI_SPEC_SOFTMAX_N + 1;
  b->access = omni_nn_vk_access_rw_r;
  k->n_buffers = 2;
  k->groups[0] = p->rows;
  return TRUE;
}

const OmniNnVkOpBuilder omni_nn_vk_op_softmax = {
  .op = OMNI_NN_OP_SOFTMAX,
  .build = build,
};
