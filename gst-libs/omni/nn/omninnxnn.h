/* gst-omni: XNNPACK fast paths of the CPU backend (private)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_NN_XNN_H__
#define __OMNI_NN_XNN_H__

#include <omni/nn/omninngraph.h>

G_BEGIN_DECLS

/* The XNNPACK operators of one CPU backend state: one per node that has a
 * fast path (weights packed when created), set up once on the state's
 * fixed activation buffers. Nodes without one keep the C reference. */
typedef struct _OmniNnXnn OmniNnXnn;

#if HAVE_XNNPACK

/* %TRUE when this build has XNNPACK and it initialised on this CPU. */
G_GNUC_INTERNAL gboolean omni_nn_xnn_available (void);

/* The state for @graph's nodes, or %NULL when XNNPACK is unavailable. */
G_GNUC_INTERNAL OmniNnXnn *omni_nn_xnn_new (const OmniNnGraph *graph);

/* Creates and sets up node @i's operator on @inputs and @output (buffers
 * that stay put for the state's life); %FALSE when the node has no fast
 * path (unsupported op, parameters or layout), which is not an error. */
G_GNUC_INTERNAL gboolean omni_nn_xnn_prepare_node (
    OmniNnXnn *x, guint i, const gfloat *const *inputs, gfloat *output);

/* Runs node @i on XNNPACK; %FALSE when it has no fast path (run the
 * reference) or XNNPACK failed. */
G_GNUC_INTERNAL gboolean omni_nn_xnn_run_node (OmniNnXnn *x, guint i);

/* Nodes with a fast path, and the threads they run on. */
G_GNUC_INTERNAL guint omni_nn_xnn_get_n_fast (OmniNnXnn *x);
G_GNUC_INTERNAL guint omni_nn_xnn_get_n_threads (OmniNnXnn *x);

G_GNUC_INTERNAL void omni_nn_xnn_free (OmniNnXnn *x);
#else
/* built without XNNPACK: every node runs its C reference */
static inline gboolean
omni_nn_xnn_available (void)
{
  return FALSE;
}

static inline OmniNnXnn *
omni_nn_xnn_new (const OmniNnGraph *graph)
{
  return NULL;
}

static inline gboolean
omni_nn_xnn_prepare_node (
    OmniNnXnn *x, guint i, const gfloat *const *inputs, gfloat *output)
{
  return FALSE;
}

static inline gboolean
omni_nn_xnn_run_node (OmniNnXnn *x, guint i)
{
  return FALSE;
}

static inline guint
omni_nn_xnn_get_n_fast (OmniNnXnn *x)
{
  return 0;
}

static inline guint
omni_nn_xnn_get_n_threads (OmniNnXnn *x)
{
  return 1;
}

static inline void
omni_nn_xnn_free (OmniNnXnn *x)
{
}
#endif

G_END_DECLS

#endif /* __OMNI_NN_XNN_H__ */
