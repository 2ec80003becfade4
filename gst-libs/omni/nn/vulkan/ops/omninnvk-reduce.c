/* gst-omni: Vulkan kernel of op reduce (nn_reduce)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../omninnvkop.h"

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnReduceParams *p = &k->params.reduce;
  guint64 n = (guint64) p->outer * p->inner;

  if (!p->outer || !p->n || !p->inner
      || (guint64) p->outer * p->n * p->inner > G_MAXUINT32)
    return FALSE;
  k->shader = "nn_reduce";
  k->local[0] = omni_vk_device_get_local_size (k->device, 256);
  k->local[1] = 1;
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->spec[OMNI_SPEC_REDUCE_OUTER] = p->outer;
  b->spec[OMNI_SPEC_REDUCE_N] = p->n;
  b->spec[OMNI_SPEC_REDUCE_INNER] = p->inner;
  b->spec[OMNI_SPEC_REDUCE_KIND] = p->kind;
  b->n_spec = OMNI_SPEC_REDUCE_KIND + 1;
  b->access = omni_nn_vk_access_w_r;
  k->n_buffers = 2;
  omni_nn_vk_groups_1d (k->device, n, k->local[0], k->groups);
  return TRUE;
}

const OmniNnVkOpBuilder omni_nn_vk_op_reduce = {
  .op = OMNI_NN_OP_REDUCE,
  .build = build,
};
