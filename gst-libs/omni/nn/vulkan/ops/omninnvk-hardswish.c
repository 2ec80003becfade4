/* gst-omni: Vulkan kernel of op hard-swish (nn_hard_swish)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "../omninnvkop.h"

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnHardSwishParams *p = &k->params.hard_swish;
  guint32 bits;

  if (p->n == 0 || p->n > G_MAXUINT32)
    return FALSE;
  k->shader = "nn_hard_swish";
  k->local[0] = omni_vk_device_get_local_size (k->device, 256);
  k->local[1] = 1;
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->spec[OMNI_SPEC_HARDSWISH_N] = (guint32) p->n;
  memcpy (&bits, &p->scale, 4); /* a float specialisation constant */
  b->spec[OMNI_SPEC_HARDSWISH_SCALE] = bits;
  b->n_spec = OMNI_SPEC_HARDSWISH_SCALE + 1;
  b->access = omni_nn_vk_access_w_r;
  k->n_buffers = 2;
  omni_nn_vk_groups_1d (k->device, p->n, k->local[0], k->groups);
  return TRUE;
}

const OmniNnVkOpBuilder omni_nn_vk_op_hard_swish = {
  .op = OMNI_NN_OP_HARD_SWISH,
  .build = build,
};
