/* gst-omni: Vulkan kernel of op global-avg-pool (nn_avgpool)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../omninnvkop.h"

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnPoolParams *p = &k->params.pool;

  if (p->c == 0 || p->h == 0 || p->w == 0)
    return FALSE;
  k->shader = "nn_avgpool";
  k->local[0] = omni_vk_device_get_local_size (k->device, MIN (p->c, 64));
  k->local[1] = 1;
  b->access = omni_nn_vk_access_w_r;
  k->groups[0] = omni_nn_vk_div_up (p->c, k->local[0]);
  if (p->c % 4 == 0) {
    /* one workgroup per channel quad, its invocations over the pixels */
    k->shader = "nn_avgpool_v4";
    k->read_bytes[1] = (gsize) p->h * p->w * p->c * 4;
    if (omni_nn_vk_reads_fit_texels (k)) {
      k->shader = "nn_avgpool_v4_texel";
      b->access = omni_nn_vk_access_w_t;
    }
    k->local[0] = omni_vk_device_get_local_size (
        k->device, MIN (omni_nn_vk_pow2_floor (p->h * p->w), 64));
    k->groups[0] = p->c / 4;
  }
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->spec[OMNI_SPEC_POOL_H] = p->h;
  b->spec[OMNI_SPEC_POOL_W] = p->w;
  b->spec[OMNI_SPEC_POOL_C] = p->c;
  b->n_spec = OMNI_SPEC_POOL_C + 1;
  k->n_buffers = 2;
  return TRUE;
}

const OmniNnVkOpBuilder omni_nn_vk_op_global_avg_pool = {
  .op = OMNI_NN_OP_GLOBAL_AVG_POOL,
  .build = build,
};
