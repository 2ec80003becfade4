/* gst-omni: helpers shared by the op descriptors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnop-private.h"

gchar *
omni_nn_shape_string (const OmniNnTensor *t)
{
  GString *s = g_string_new ("[");
  guint i;

  for (i = 0; i < t->n_dims; i++)
    g_string_append_printf (s, "%s%u", i ? ", " : "", t->dims[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

gboolean
omni_nn_activation_is (const OmniNnTensor *t, guint h, guint w, guint c)
{
  if (t->n_dims == 3)
    return t->dims[0] == h && t->dims[1] == w && t->dims[2] == c;
  return t->n_elements == (gsize) h * w * c;
}

gboolean
omni_nn_const_size_is (
    const OmniNnGraph *g, guint id, gsize n, gboolean optional)
{
  const OmniNnTensor *t;

  if (id == OMNI_NN_NO_TENSOR)
    return optional;
  if (id >= g->tensors->len)
    return FALSE;
  t = omni_nn_graph_tensor (g, id);
  return t->data != NULL && t->n_elements == n;
}

gboolean
omni_nn_shape_fail (const OmniNnNode *n, const OmniNnTensor *t,
    const gchar *what, GError **error)
{
  gchar *s = t ? omni_nn_shape_string (t) : g_strdup ("?");

  g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE,
      "node '%s' (%s): %s does not fit its parameters (shape %s)", n->name,
      omni_nn_op_type_name (n->op), what, s);
  g_free (s);
  return FALSE;
}

gboolean
omni_nn_set_shape (guint *n_dims, guint dims[OMNI_NN_MAX_DIMS], guint n,
    guint d0, guint d1, guint d2, guint d3)
{
  const guint d[4] = { d0, d1, d2, d3 };
  guint i;

  *n_dims = n;
  for (i = 0; i < n; i++)
    dims[i] = d[i];
  return TRUE;
}
