/* gst-omni: ONNX loader, error reporting
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Errors name the node, its op, domain and opset; OMNI_ONNX_TRACE=1 traces every node.
 */
#include "omninnonnxprivate.h"

const gchar *
onnx_node_name (const Onnx__NodeProto *n)
{
  if (n->name && *n->name)
    return n->name;
  return n->n_output > 0 ? n->output[0] : "?";
}

gboolean
onnx_fail (Loader *l, OmniNnError code, const gchar *fmt, ...)
{
  va_list ap;
  gchar *what;

  va_start (ap, fmt);
  what = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (l->error && !*l->error) {
    if (l->node) {
      const gchar *dom
          = l->node->domain && *l->node->domain ? l->node->domain : "ai.onnx";

      g_set_error (l->error, OMNI_NN_ERROR, code,
          "node '%s' (op %s, domain %s, opset %" G_GINT64_FORMAT "): %s",
          onnx_node_name (l->node), l->node->op_type, dom, l->opset, what);
    } else {
      g_set_error (l->error, OMNI_NN_ERROR, code, "%s", what);
    }
  }
  g_free (what);
  return FALSE;
}

/* GST_DEBUG-style trace of every node's outputs (OMNI_ONNX_TRACE=1). */
void
onnx_trace_node (Loader *l, const Onnx__NodeProto *n)
{
  static gint trace = -1;
  guint i;

  if (trace < 0)
    trace = g_getenv ("OMNI_ONNX_TRACE") != NULL;
  if (!trace)
    return;
  for (i = 0; i < n->n_output; i++) {
    Val *v = g_hash_table_lookup (l->vals, n->output[i]);
    gchar *sh = v ? onnx_shape_str (v->rank, v->dims) : g_strdup ("-");

    g_printerr ("onnx: %s %s -> %s %s%s\n", n->op_type, onnx_node_name (n), sh,
        v && v->is_const ? "const" : "act",
        v && v->is_const && v->n <= 4 ? " (small)" : "");
    g_free (sh);
  }
}
