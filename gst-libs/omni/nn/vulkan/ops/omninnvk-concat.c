/* gst-omni: Vulkan kernel of op concat (nn_concat)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../omninnvkop.h"

/* by [side][texel reads] */
static const gchar *const resized_shaders[2][2] = {
  { "nn_concat_v4_resize_a", "nn_concat_v4_texel_resize_a" },
  { "nn_concat_v4_resize_b", "nn_concat_v4_texel_resize_b" },
};

/* A resize folded into one input (omni_nn_vk_kernel_build_concat_resized):
 * that input is read through its 4 taps, from the resize's input. */
static gboolean
build_resized (OmniNnVkKernel *k, OmniNnVkBuild *b)
{
  const OmniNnConcatParams *p = &k->params.concat;
  const OmniNnResizeParams *r = b->resize;
  guint side = b->resize_side;

  if (side > 1 || p->a % 4 || p->b % 4 || r->c != (side ? p->b : p->a)
      || !r->in_h || !r->in_w || !r->out_w
      || (guint64) r->out_h * r->out_w != p->outer)
    return FALSE;
  k->read_bytes[1 + side] = (gsize) r->in_h * r->in_w * r->c * 4;
  k->shader = resized_shaders[side][0];
  b->access = omni_nn_vk_access_w_rr;
  if (omni_nn_vk_reads_fit_texels (k)) {
    k->shader = resized_shaders[side][1];
    b->access = omni_nn_vk_access_w_tt;
  }
  b->spec[OMNI_SPEC_CONCAT_RIN_H] = r->in_h;
  b->spec[OMNI_SPEC_CONCAT_RIN_W] = r->in_w;
  b->spec[OMNI_SPEC_CONCAT_ROUT_W] = r->out_w;
  b->spec[OMNI_SPEC_CONCAT_RALIGN] = r->align_corners ? 1 : 0;
  b->spec[OMNI_SPEC_CONCAT_RHALF] = r->half_pixel_centers ? 1 : 0;
  b->spec[OMNI_SPEC_CONCAT_RNEAREST] = r->nearest ? 1 : 0;
  return TRUE;
}

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnConcatParams *p = &k->params.concat;
  guint64 n = (guint64) p->outer * (p->a + p->b);

  if (!p->outer || !p->a || !p->b || n > G_MAXUINT32
      || p->activation > OMNI_NN_ACT_LAST_FUSABLE)
    return FALSE;
  k->shader = "nn_concat";
  b->access = omni_nn_vk_access_w_rr;
  if (p->a % 4 == 0 && p->b % 4 == 0) {
    /* vec4s, 16-byte texel loads (docs/vulkan.md "lavapipe") */
    n /= 4;
    k->shader = "nn_concat_v4";
    k->read_bytes[1] = (gsize) p->outer * p->a * 4;
    k->read_bytes[2] = (gsize) p->outer * p->b * 4;
    if (omni_nn_vk_reads_fit_texels (k)) {
      k->shader = "nn_concat_v4_texel";
      b->access = omni_nn_vk_access_w_tt;
    }
    if (b->resize && !build_resized (k, b))
      return FALSE;
  } else if (b->resize) {
    return FALSE;
  }
  k->local[0] = omni_vk_device_get_local_size (k->device, 256);
  k->local[1] = 1;
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->spec[OMNI_SPEC_CONCAT_OUTER] = p->outer;
  b->spec[OMNI_SPEC_CONCAT_A] = p->a;
  b->spec[OMNI_SPEC_CONCAT_B] = p->b;
  b->spec[OMNI_SPEC_CONCAT_ACT] = p->activation;
  b->n_spec
      = b->resize ? OMNI_SPEC_CONCAT_RNEAREST + 1 : OMNI_SPEC_CONCAT_ACT + 1;
  k->n_buffers = 3;
  omni_nn_vk_groups_1d (k->device, n, k->local[0], k->groups);
  return TRUE;
}

const OmniNnVkOpBuilder omni_nn_vk_op_concat = {
  .op = OMNI_NN_OP_CONCAT,
  .build = build,
};
