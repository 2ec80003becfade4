/* gst-omni: CPU backend of the model runtime (XNNPACK and plain-C ops)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninncpu.h"
#include "omninnop.h"
#include "omninnxnn.h"

#include <string.h>

/* Activation buffers are shared between tensors whose lifetimes do not
 * overlap (greedy by last use, in execution order), so MobileNetV2 needs a
 * few of them instead of one per layer. */
typedef struct {
  const OmniNnGraph *graph;
  GPtrArray *buffers;  /* gfloat*, owned */
  gsize *buffer_sizes; /* elements */
  guint *slot;         /* tensor id -> buffer index (activations) */
  OmniNnXnn *xnn;      /* (nullable): the nodes XNNPACK runs */
  gchar *device_name;
} OmniNnCpuState;

static void
cpu_free (gpointer data)
{
  OmniNnCpuState *s = data;

  if (!s)
    return;
  omni_nn_xnn_free (s->xnn);
  g_ptr_array_unref (s->buffers);
  g_free (s->device_name);
  g_free (s->buffer_sizes);
  g_free (s->slot);
  g_free (s);
}

static guint
acquire (OmniNnCpuState *s, GArray *free_list, gsize n)
{
  guint i, best = G_MAXUINT;

  /* smallest free buffer that is large enough, else grow the largest */
  for (i = 0; i < free_list->len; i++) {
    guint b = g_array_index (free_list, guint, i);

    if (s->buffer_sizes[b] >= n
        && (best == G_MAXUINT
            || s->buffer_sizes[b]
                   < s->buffer_sizes[g_array_index (free_list, guint, best)]))
      best = i;
  }
  if (best == G_MAXUINT && free_list->len > 0) {
    best = 0;
    for (i = 1; i < free_list->len; i++) {
      if (s->buffer_sizes[g_array_index (free_list, guint, i)]
          > s->buffer_sizes[g_array_index (free_list, guint, best)])
        best = i;
    }
  }
  if (best != G_MAXUINT) {
    guint b = g_array_index (free_list, guint, best);

    g_array_remove_index_fast (free_list, best);
    if (s->buffer_sizes[b] < n)
      s->buffer_sizes[b] = n;
    return b;
  }
  g_ptr_array_add (s->buffers, NULL);
  s->buffer_sizes = g_renew (gsize, s->buffer_sizes, s->buffers->len);
  s->buffer_sizes[s->buffers->len - 1] = n;
  return s->buffers->len - 1;
}

static gfloat *act (OmniNnCpuState *s, guint tensor);

/* XNNPACK's operators on the (now fixed) buffers, where it has them. */
static void
prepare_fast (OmniNnCpuState *s)
{
  const OmniNnGraph *g = s->graph;
  guint i, j;

  s->xnn = omni_nn_xnn_new (g);
  if (!s->xnn) {
    s->device_name = g_strdup ("CPU (plain-C reference ops)");
    return;
  }
  for (i = 0; i < g->nodes->len; i++) {
    const OmniNnNode *n = omni_nn_graph_node (g, i);
    const gfloat *x[OMNI_NN_MAX_INPUTS] = { NULL, NULL };

    for (j = 0; j < n->n_inputs; j++)
      x[j] = act (s, n->inputs[j]);
    omni_nn_xnn_prepare_node (s->xnn, i, x, act (s, n->output));
  }
  s->device_name = g_strdup_printf ("CPU (XNNPACK, %u threads, %u of %u nodes)",
      omni_nn_xnn_get_n_threads (s->xnn), omni_nn_xnn_get_n_fast (s->xnn),
      g->nodes->len);
}

static gpointer
cpu_prepare_full (const OmniNnGraph *graph, const gchar *device, gboolean fast,
    GError **error)
{
  OmniNnCpuState *s;
  guint n_tensors = graph->tensors->len;
  guint *last_use;
  gboolean *pinned;
  GArray *free_list;
  guint i, j;

  if (device && *device && g_ascii_strcasecmp (device, "cpu") != 0) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_DEVICE,
        "the CPU backend has no device '%s' (use \"cpu\")", device);
    return NULL;
  }
  if (!omni_nn_graph_validate (graph, error))
    return NULL;

  s = g_new0 (OmniNnCpuState, 1);
  s->graph = graph;
  s->buffers = g_ptr_array_new_with_free_func (g_free);
  s->slot = g_new (guint, n_tensors);
  for (i = 0; i < n_tensors; i++)
    s->slot[i] = G_MAXUINT;

  /* last node reading each tensor; graph outputs live to the end */
  last_use = g_new0 (guint, n_tensors);
  pinned = g_new0 (gboolean, n_tensors);
  for (i = 0; i < graph->nodes->len; i++) {
    const OmniNnNode *n = omni_nn_graph_node (graph, i);

    for (j = 0; j < n->n_inputs; j++)
      last_use[n->inputs[j]] = i;
  }
  for (i = 0; i < graph->outputs->len; i++)
    pinned[omni_nn_graph_output (graph, i)->tensor] = TRUE;

  free_list = g_array_new (FALSE, FALSE, sizeof (guint));
  s->slot[graph->input] = acquire (
      s, free_list, omni_nn_graph_tensor (graph, graph->input)->n_elements);
  for (i = 0; i < graph->nodes->len; i++) {
    const OmniNnNode *n = omni_nn_graph_node (graph, i);

    s->slot[n->output] = acquire (
        s, free_list, omni_nn_graph_tensor (graph, n->output)->n_elements);
    for (j = 0; j < n->n_inputs; j++) {
      guint t = n->inputs[j];

      /* release once, after its last reader (an ADD may read it twice) */
      if (last_use[t] == i && !pinned[t] && s->slot[t] != G_MAXUINT
          && (j == 0 || n->inputs[0] != t)) {
        g_array_append_val (free_list, s->slot[t]);
      }
    }
  }
  g_array_unref (free_list);
  g_free (last_use);
  g_free (pinned);

  for (i = 0; i < s->buffers->len; i++)
    g_ptr_array_index (s->buffers, i) = g_new0 (gfloat, s->buffer_sizes[i]);
  if (fast)
    prepare_fast (s);
  else
    s->device_name = g_strdup ("CPU (plain-C reference ops)");
  return s;
}

/* XNNPACK unless OMNI_NN_CPU_XNNPACK=0 */
static gpointer
cpu_prepare (const OmniNnGraph *graph, const gchar *device, GError **error)
{
  return cpu_prepare_full (graph, device, omni_nn_cpu_has_xnnpack (), error);
}

static gpointer
cpu_prepare_reference (
    const OmniNnGraph *graph, const gchar *device, GError **error)
{
  return cpu_prepare_full (graph, device, FALSE, error);
}

static gfloat *
act (OmniNnCpuState *s, guint tensor)
{
  return g_ptr_array_index (s->buffers, s->slot[tensor]);
}

static const gfloat *
cdata (OmniNnCpuState *s, guint tensor)
{
  if (tensor == OMNI_NN_NO_TENSOR)
    return NULL;
  return omni_nn_graph_tensor (s->graph, tensor)->data;
}

static gboolean
cpu_run (gpointer data, const OmniNnInput *input, gfloat *const *outputs,
    GError **error)
{
  OmniNnCpuState *s = data;
  const OmniNnGraph *g = s->graph;
  const OmniNnTensor *in = omni_nn_graph_tensor (g, g->input);
  guint i;

  if (!omni_nn_graph_check_input (g, input, error))
    return FALSE;
  if (input->frame_params) {
    const OmniNnPreprocessParams *fp = input->frame_params;

    omni_nn_ref_preprocess (fp, input->frame, act (s, g->input));
  } else {
    memcpy (act (s, g->input), input->tensor, in->n_elements * sizeof (gfloat));
  }

  for (i = 0; i < g->nodes->len; i++) {
    const OmniNnNode *n = omni_nn_graph_node (g, i);
    const OmniNnOpInfo *info = omni_nn_op_info (n->op);
    const gfloat *x[OMNI_NN_MAX_INPUTS];
    guint j;

    if (!info || !info->reference) {
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNSUPPORTED,
          "node '%s': the CPU backend cannot run op %s", n->name,
          omni_nn_op_type_name (n->op));
      return FALSE;
    }
    if (s->xnn && omni_nn_xnn_run_node (s->xnn, i))
      continue;
    for (j = 0; j < n->n_inputs; j++)
      x[j] = act (s, n->inputs[j]);
    info->reference (&n->params, x, cdata (s, n->weights), cdata (s, n->bias),
        act (s, n->output));
  }

  for (i = 0; i < g->outputs->len; i++) {
    guint t = omni_nn_graph_output (g, i)->tensor;

    if (outputs[i])
      memcpy (outputs[i], act (s, t),
          omni_nn_graph_tensor (g, t)->n_elements * sizeof (gfloat));
  }
  return TRUE;
}

static const gchar *
cpu_device_name (gpointer data)
{
  OmniNnCpuState *s = data;

  return s->device_name;
}

static const OmniNnBackend cpu_backend = {
  "cpu",
  cpu_prepare,
  cpu_run,
  cpu_free,
  cpu_device_name,
};

static const OmniNnBackend cpu_reference_backend = {
  "cpu",
  cpu_prepare_reference,
  cpu_run,
  cpu_free,
  cpu_device_name,
};

const OmniNnBackend *
omni_nn_cpu_backend (void)
{
  return &cpu_backend;
}

const OmniNnBackend *
omni_nn_cpu_reference_backend (void)
{
  return &cpu_reference_backend;
}

gboolean
omni_nn_cpu_has_xnnpack (void)
{
  const gchar *env = g_getenv ("OMNI_NN_CPU_XNNPACK");

  if (env && g_strcmp0 (env, "0") == 0)
    return FALSE;
  return omni_nn_xnn_available ();
}
