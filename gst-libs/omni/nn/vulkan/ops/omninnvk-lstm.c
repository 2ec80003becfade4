/* gst-omni: Vulkan kernel of op lstm (nn_lstm, one workgroup)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "../omninnvkop.h"

/* nn_lstm keeps at most this many hidden units per invocation. */
#define UNITS_PER_INVOCATION 4

static gboolean
build (OmniNnVkKernel *k, OmniNnVkBuild *b, GError **error)
{
  const OmniNnLstmParams *p = &k->params.lstm;

  if (!p->seq || !p->in || !p->hidden || p->hidden > 4096)
    return FALSE;
  k->shader = "nn_lstm";
  k->local[0] = omni_vk_device_get_local_size (
      k->device, MIN (omni_nn_vk_pow2_floor (p->hidden) * 2, 256));
  k->local[1] = 1;
  if (k->local[0] * UNITS_PER_INVOCATION < p->hidden)
    return FALSE;
  b->spec[OMNI_SPEC_LOCAL_X] = k->local[0];
  b->spec[OMNI_SPEC_LOCAL_Y] = 1;
  b->spec[OMNI_SPEC_LSTM_SEQ] = p->seq;
  b->spec[OMNI_SPEC_LSTM_IN] = p->in;
  b->spec[OMNI_SPEC_LSTM_HIDDEN] = p->hidden;
  b->spec[OMNI_SPEC_LSTM_REVERSE] = p->reverse;
  b->spec[OMNI_SPEC_LSTM_HAS_BIAS] = k->has_bias;
  b->n_spec = OMNI_SPEC_LSTM_HAS_BIAS + 1;
  b->access = omni_nn_vk_access_w_rrrr;
  k->n_buffers = 5;
  k->groups[0] = 1;
  k->groups[1] = 1;
  k->groups[2] = 1;
  return TRUE;
}

const OmniNnVkOpBuilder omni_nn_vk_op_lstm = {
  .op = OMNI_NN_OP_LSTM,
  .build = build,
};
