/* gst-omni: ONNX model loader
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omninnonnx
 * @title: ONNX models
 * @short_description: loads ONNX models into the runtime's IR
 *
 * The model file is a ModelProto, parsed by protobuf-c with code that
 * protoc-c generates at build time from ONNX's own schema (onnx.proto, as
 * Debian's libonnx-dev ships it). The loader walks the graph in its order
 * (ONNX graphs are topologically sorted) and gives every value a place:
 * - a constant (initializers, Constant nodes, bound inputs, and the result
 *   of every node whose inputs are all constant: shape arithmetic is
 *   evaluated at load, in double precision, see omninnonnx-fold below);
 * - an activation: a tensor of the IR graph, computed by the IR nodes the
 *   loader emits for the node (most ops map to one IR node; Conv and the
 *   pools add the two transposes between ONNX's NCHW and the IR kernels'
 *   NHWC, since the IR's convolutions compute NHWC).
 * `If` with a constant condition is replaced by the branch it takes (its
 * nodes are converted in the outer scope). Anything else fails with an
 * error naming the op, its domain, the opset and the node.
 *
 * The graph's run-time inputs are packed into the IR's single input
 * tensor, one after the other (#OmniNnOnnxInput.offset); each is unpacked
 * by a strided copy, so any number of inputs works on every backend.
 */
#include "omninnonnxprivate.h"

#include <json-glib/json-glib.h>

static const OmniNnOnnxImporter *const families[] = {
  omni_nn_onnx_fold_importers,
  omni_nn_onnx_elementwise_importers,
  omni_nn_onnx_shape_importers,
  omni_nn_onnx_conv_importers,
  omni_nn_onnx_dense_importers,
  omni_nn_onnx_lstm_importers,
};

/* The importer of @op, NULL if none. */
static const OmniNnOnnxImporter *
find_importer (const gchar *op)
{
  const OmniNnOnnxImporter *t;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (families); i++)
    for (t = families[i]; t->op; t++)
      if (!g_strcmp0 (op, t->op))
        return t;
  return NULL;
}

static gboolean
convert_node (Loader *l, const Onnx__NodeProto *n)
{
  const OmniNnOnnxImporter *imp;
  guint i;

  l->node = n;
  if (n->domain && *n->domain && strcmp (n->domain, "ai.onnx"))
    return UNSUPPORTED (l,
        "op %s of domain %s is not supported (only the "
        "default domain is)",
        n->op_type, n->domain);
  for (i = 0; i < n->n_input; i++) {
    if (n->input[i] && *n->input[i]
        && !g_hash_table_contains (l->vals, n->input[i]))
      return onnx_fail (l, OMNI_NN_ERROR_SHAPE,
          "input '%s' is not computed before", n->input[i]);
  }
  imp = find_importer (n->op_type);
  if (imp) {
    gboolean ok = imp->fn (l, n);

    if (ok)
      onnx_trace_node (l, n);
    return ok;
  }
  return UNSUPPORTED (l, "op %s is not supported", n->op_type);
}

gboolean
onnx_convert_graph (Loader *l, const Onnx__GraphProto *g)
{
  gsize i;

  for (i = 0; i < g->n_initializer; i++) {
    Val *v = onnx_const_from_tensor (l, g->initializer[i]);

    if (!v)
      return FALSE;
    onnx_set_val (l, g->initializer[i]->name, v);
  }
  for (i = 0; i < g->n_node; i++)
    if (!convert_node (l, g->node[i]))
      return FALSE;
  return TRUE;
}

/* The shape of graph input @vi with symbolic dimensions bound. */
static gboolean
input_shape (Loader *l, const Onnx__ValueInfoProto *vi, OmniNnOnnxInput *in)
{
  const Onnx__TypeProto *t = vi->type;
  const Onnx__TensorShapeProto *s;
  gsize i;

  if (!t || t->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE)
    return UNSUPPORTED (l, "input '%s' is not a tensor", vi->name);
  s = t->tensor_type->shape;
  in->elem_type = t->tensor_type->elem_type;
  for (i = 0; i < l->n_constants; i++) {
    const OmniNnOnnxConstant *c = &l->constants[i];

    /* a shape given for a run-time input */
    if (!c->values && !g_strcmp0 (c->name, vi->name) && c->n_dims <= MAX_RANK) {
      in->n_dims = c->n_dims;
      memcpy (in->dims, c->dims, c->n_dims * sizeof (gint64));
      in->n = onnx_count (c->n_dims, c->dims);
      if (!in->n)
        return UNSUPPORTED (l, "input '%s' is empty", vi->name);
      return TRUE;
    }
  }
  in->n_dims = s ? (guint) s->n_dim : 0;
  if (in->n_dims > MAX_RANK)
    return UNSUPPORTED (l, "input '%s' has rank %u", vi->name, in->n_dims);
  in->n = 1;
  for (i = 0; i < in->n_dims; i++) {
    const Onnx__TensorShapeProto__Dimension *d = s->dim[i];
    const gchar *bound = NULL;

    if (d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE)
      in->dims[i] = d->dim_value;
    else if (d->value_case
                 == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM
             && (bound = g_hash_table_lookup (l->bindings, d->dim_param)))
      in->dims[i] = g_ascii_strtoll (bound, NULL, 10);
    else if (i == 0)
      in->dims[i] = 1; /* an unnamed or unbound batch */
    else
      return onnx_fail (l, OMNI_NN_ERROR_SHAPE,
          "dimension %u ('%s') of input '%s' is not bound (give "
          "name=value)",
          (guint) i,
          d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM
              ? d->dim_param
              : "",
          vi->name);
    if (in->dims[i] <= 0)
      return UNSUPPORTED (l, "input '%s' is empty", vi->name);
    in->n *= (gsize) in->dims[i];
  }
  return TRUE;
}

/* An input given as a constant tensor at load. */
static gboolean
bind_constant (Loader *l, const gchar *name)
{
  guint i;
  gsize j;

  for (i = 0; i < l->n_constants; i++) {
    const OmniNnOnnxConstant *c = &l->constants[i];
    gsize n = onnx_count (c->n_dims, c->dims);
    gdouble *d;

    if (g_strcmp0 (c->name, name) || c->n_dims > MAX_RANK || !c->values)
      continue;
    d = g_new (gdouble, MAX (n, 1));
    for (j = 0; j < n; j++)
      d[j] = c->values[j];
    onnx_set_val (l, name, onnx_val_const (l, c->n_dims, c->dims, d, DT_INT64));
    return TRUE;
  }
  return FALSE;
}

/* An image model: its one run-time input [1, C, H, W] is a transpose of
 * the IR's input [H, W, C], the frame the backends pre-process. */
static gboolean
add_image_input (Loader *l, OmniNnOnnxModel *m)
{
  OmniNnOnnxInput *in;
  Val frame = { 0 }, *v;
  ViewDim vd[4];
  guint dims[3] = { l->image_h, l->image_w, l->image_c };

  if (m->inputs->len != 1)
    return UNSUPPORTED (
        l, "an image model with %u run-time inputs", m->inputs->len);
  in = &g_array_index (m->inputs, OmniNnOnnxInput, 0);
  in->n_dims = 4;
  in->dims[0] = 1;
  in->dims[1] = l->image_c;
  in->dims[2] = l->image_h;
  in->dims[3] = l->image_w;
  in->n = (gsize) l->image_c * l->image_h * l->image_w;
  m->n_input_values = in->n;
  l->g->input = omni_nn_graph_add_tensor (l->g, "input", 3, dims, NULL);
  l->g->input_h = l->image_h;
  l->g->input_w = l->image_w;
  l->g->input_c = l->image_c;
  frame.rank = 3;
  frame.dims[0] = l->image_h;
  frame.dims[1] = l->image_w;
  frame.dims[2] = l->image_c;
  frame.n = in->n;
  frame.tensor = l->g->input;
  vd[0] = (ViewDim){ 1, -1, 0, 0 };
  vd[1] = (ViewDim){ l->image_c, 2, 0, 1 };
  vd[2] = (ViewDim){ l->image_h, 0, 0, 1 };
  vd[3] = (ViewDim){ l->image_w, 1, 0, 1 };
  if (!(v = onnx_emit_view (l, &frame, 4, vd, OMNI_NN_PAD_CONSTANT, 0)))
    return FALSE;
  /* convolutions read the frame as it is, NHWC */
  v->nhwc = l->g->input + 1;
  onnx_set_val (l, in->name, v);
  return TRUE;
}

/* Run-time inputs: packed one after the other in the IR's input tensor. */
static gboolean
add_inputs (Loader *l, const Onnx__GraphProto *g, OmniNnOnnxModel *m)
{
  Val anchor = { 0 };
  guint i, dims[3] = { 1, 1, 1 };
  gsize total = 0;

  for (i = 0; i < g->n_input; i++) {
    const gchar *name = g->input[i]->name, *bound;
    OmniNnOnnxInput in = { 0 };

    if (g_hash_table_contains (l->vals, name))
      continue; /* an initializer */
    if (bind_constant (l, name))
      continue;
    if ((bound = g_hash_table_lookup (l->bindings, name))) {
      gdouble *d = g_new (gdouble, 1);

      d[0] = g_ascii_strtod (bound, NULL);
      onnx_set_val (l, name, onnx_val_const (l, 0, NULL, d, DT_INT64));
      continue;
    }
    if (!input_shape (l, g->input[i], &in))
      return FALSE;
    in.name = g_strdup (name);
    in.offset = total;
    total += in.n;
    g_array_append_val (m->inputs, in);
  }
  if (l->image_c)
    return add_image_input (l, m);
  dims[2] = (guint) MAX (total, 1);
  l->g->input = omni_nn_graph_add_tensor (l->g, "input", 3, dims, NULL);
  l->g->input_h = l->g->input_w = 1;
  l->g->input_c = dims[2];
  l->g->input_scale = 1.0f;
  m->n_input_values = total;
  anchor.rank = 1;
  anchor.dims[0] = dims[2];
  anchor.n = dims[2];
  anchor.tensor = l->g->input;
  for (i = 0; i < m->inputs->len; i++) {
    OmniNnOnnxInput *in = &g_array_index (m->inputs, OmniNnOnnxInput, i);
    ViewDim vd = { (gint64) in->n, 0, (gint64) in->offset, 1 };
    Val *v = onnx_emit_view (l, &anchor, 1, &vd, OMNI_NN_PAD_CONSTANT, 0);

    if (!v)
      return FALSE;
    v->rank = in->n_dims;
    memcpy (v->dims, in->dims, in->n_dims * sizeof (gint64));
    /* a contiguous view of the packed input */
    v->voff = (gint64) in->offset;
    onnx_strides_of (in->n_dims, in->dims, v->vstride);
    onnx_set_val (l, in->name, v);
  }
  return TRUE;
}

static gboolean
add_outputs (Loader *l, const Onnx__GraphProto *g, OmniNnOnnxModel *m)
{
  GHashTable *used = g_hash_table_new (NULL, NULL);
  gboolean ok = TRUE;
  guint i;

  l->node = NULL;
  for (i = 0; i < g->n_output && ok; i++) {
    const gchar *name = g->output[i]->name;
    Val *v = g_hash_table_lookup (l->vals, name), *c = NULL;
    OmniNnOnnxOutput out = { 0 };

    if (!v) {
      ok = onnx_fail (
          l, OMNI_NN_ERROR_SHAPE, "output '%s' is never computed", name);
      break;
    }
    if (v->is_const)
      v = c = onnx_materialize (l, v);
    else if (g_hash_table_contains (used, GUINT_TO_POINTER (v->tensor)))
      v = c = onnx_emit_reshape (l, v, v->rank, v->dims);
    if (!v) {
      ok = FALSE;
      break;
    }
    g_hash_table_add (used, GUINT_TO_POINTER (v->tensor));
    omni_nn_graph_add_output (l->g, name, v->tensor);
    out.name = g_strdup (name);
    out.n_dims = v->rank;
    memcpy (out.dims, v->dims, v->rank * sizeof (gint64));
    g_array_append_val (m->outputs, out);
    g_free (c);
  }
  g_hash_table_unref (used);
  return ok;
}

gchar *
omni_nn_onnx_resolve (const gchar *model, GError **error)
{
  const gchar *env = g_getenv ("OMNI_MODEL_PATH");
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);
  gchar *found = NULL;
  guint i;

  if (g_str_has_suffix (model, ".onnx")
      && g_file_test (model, G_FILE_TEST_IS_REGULAR))
    found = g_strdup (model);
  else if (g_file_test (model, G_FILE_TEST_IS_DIR))
    found = g_build_filename (model, "model.onnx", NULL);
  if (!found) {
    if (env && *env) {
      gchar **parts = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);

      for (i = 0; parts[i]; i++)
        g_ptr_array_add (dirs, g_strdup (parts[i]));
      g_free (parts);
    }
    g_ptr_array_add (dirs, g_strdup (OMNI_BUILD_MODELDIR));
    g_ptr_array_add (dirs, g_build_filename (OMNI_DATADIR, "models", NULL));
    for (i = 0; i < dirs->len && !found; i++) {
      gchar *p = g_build_filename (dirs->pdata[i], model, "model.onnx", NULL);

      if (g_file_test (p, G_FILE_TEST_IS_REGULAR))
        found = p;
      else
        g_free (p);
    }
  }
  g_ptr_array_unref (dirs);
  if (!found || !g_file_test (found, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_NOT_FOUND,
        "model '%s' not found (a name in $OMNI_MODEL_PATH, a directory with "
        "model.onnx, or a .onnx file; tools/omni-fetch-models installs "
        "silero-vad)",
        model);
    g_free (found);
    return NULL;
  }
  return found;
}

gboolean
omni_nn_onnx_verify (const gchar *path, gboolean allow_unverified,
    gboolean *verified, gchar **reason, GError **error)
{
  gchar *dir = g_path_get_dirname (path), *base = g_path_get_basename (path);
  gchar *sums_path = g_build_filename (dir, "SHA256SUMS", NULL);
  gchar *sums = NULL, *bytes = NULL, *sum = NULL, **lines = NULL;
  gsize len = 0;
  gboolean ok = FALSE;
  guint i;

  if (g_file_get_contents (sums_path, &sums, NULL, NULL)
      && g_file_get_contents (path, &bytes, &len, NULL)) {
    sum = g_compute_checksum_for_data (
        G_CHECKSUM_SHA256, (guchar *) bytes, len);
    lines = g_strsplit (sums, "\n", -1);
    for (i = 0; lines[i] && !ok; i++) {
      gchar *name = strchr (lines[i], ' ');

      while (name && (*name == ' ' || *name == '*'))
        name++;
      ok = name && g_str_has_prefix (lines[i], sum)
           && (!strcmp (name, base)
               || (g_str_has_prefix (name, "./") && !strcmp (name + 2, base)));
    }
  }
  if (verified)
    *verified = ok;
  if (!ok && reason)
    *reason
        = g_strdup_printf ("%s does not match a sha256 in %s", path, sums_path);
  if (!ok && !allow_unverified)
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_UNVERIFIED,
        "%s does not match a sha256 in %s (run tools/omni-fetch-models, or "
        "set OMNI_ALLOW_UNVERIFIED_MODELS=1 for a model of your own)",
        path, sums_path);
  g_strfreev (lines);
  g_free (sum);
  g_free (bytes);
  g_free (sums);
  g_free (sums_path);
  g_free (dir);
  g_free (base);
  return ok || allow_unverified;
}

static void
clear_input (gpointer p)
{
  g_free (((OmniNnOnnxInput *) p)->name);
}

static void
clear_output (gpointer p)
{
  g_free (((OmniNnOnnxOutput *) p)->name);
}

void
omni_nn_onnx_model_free (OmniNnOnnxModel *m)
{
  if (!m)
    return;
  if (m->graph)
    omni_nn_graph_free (m->graph);
  g_array_unref (m->inputs);
  g_array_unref (m->outputs);
  g_free (m);
}

const OmniNnOnnxInput *
omni_nn_onnx_model_find_input (const OmniNnOnnxModel *m, const gchar *name)
{
  guint i;

  for (i = 0; i < m->inputs->len; i++) {
    const OmniNnOnnxInput *in = &g_array_index (m->inputs, OmniNnOnnxInput, i);

    if (!g_strcmp0 (in->name, name))
      return in;
  }
  return NULL;
}

static gboolean
model_opset (Loader *l, const Onnx__ModelProto *mp)
{
  gsize i;

  l->opset = 0;
  for (i = 0; i < mp->n_opset_import; i++) {
    const Onnx__OperatorSetIdProto *o = mp->opset_import[i];

    if (!o->domain || !*o->domain || !strcmp (o->domain, "ai.onnx"))
      l->opset = o->version;
  }
  if (l->opset < OPSET_MIN || l->opset > OPSET_MAX)
    return UNSUPPORTED (l,
        "default-domain opset %" G_GINT64_FORMAT " (supported: %d to %d)",
        l->opset, OPSET_MIN, OPSET_MAX);
  return TRUE;
}

static void
parse_bindings (Loader *l, const gchar *const *bindings)
{
  guint i;

  for (i = 0; bindings && bindings[i]; i++) {
    const gchar *eq = strchr (bindings[i], '=');

    if (eq)
      g_hash_table_replace (l->bindings,
          g_strndup (bindings[i], eq - bindings[i]), g_strdup (eq + 1));
  }
}

OmniNnOnnxModel *
omni_nn_onnx_load (
    const gchar *path, const gchar *const *bindings, GError **error)
{
  return omni_nn_onnx_load_full (path, bindings, NULL, 0, error);
}

gboolean
omni_nn_onnx_op_supported (const gchar *op)
{
  return find_importer (op) != NULL;
}

gchar **
omni_nn_onnx_model_ops (const gchar *path, GError **error)
{
  Onnx__ModelProto *mp = onnx_read_model (path, error);
  GPtrArray *names;
  gsize i;
  guint j;

  if (!mp)
    return NULL;
  names = g_ptr_array_new ();
  for (i = 0; i < mp->graph->n_node; i++) {
    const gchar *op = mp->graph->node[i]->op_type;

    for (j = 0; j < names->len; j++)
      if (!g_strcmp0 (g_ptr_array_index (names, j), op))
        break;
    if (j == names->len)
      g_ptr_array_add (names, g_strdup (op));
  }
  g_ptr_array_add (names, NULL);
  onnx__model_proto__free_unpacked (mp, NULL);
  return (gchar **) g_ptr_array_free (names, FALSE);
}

gchar **
omni_nn_onnx_model_input_names (const gchar *path, GError **error)
{
  Onnx__ModelProto *mp = onnx_read_model (path, error);
  GPtrArray *names;
  gsize i, j;

  if (!mp)
    return NULL;
  names = g_ptr_array_new ();
  for (i = 0; i < mp->graph->n_input; i++) {
    const gchar *name = mp->graph->input[i]->name;

    for (j = 0; j < mp->graph->n_initializer; j++)
      if (!g_strcmp0 (mp->graph->initializer[j]->name, name))
        break;
    if (j == mp->graph->n_initializer)
      g_ptr_array_add (names, g_strdup (name));
  }
  g_ptr_array_add (names, NULL);
  onnx__model_proto__free_unpacked (mp, NULL);
  return (gchar **) g_ptr_array_free (names, FALSE);
}

OmniNnOnnxModel *
onnx_load (const gchar *path, const gchar *const *bindings,
    const OmniNnOnnxConstant *constants, guint n_constants, const guint *image,
    GError **error)
{
  Loader l = { 0 };
  OmniNnOnnxModel *m = NULL;
  Onnx__ModelProto *mp = onnx_read_model (path, error);

  if (!mp)
    return NULL;
  l.error = error;
  l.constants = constants;
  l.n_constants = n_constants;
  if (image) {
    l.image_w = image[0];
    l.image_h = image[1];
    l.image_c = image[2];
  }
  l.g = omni_nn_graph_new ();
  l.vals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  l.owned = g_ptr_array_new_with_free_func (g_free);
  l.bindings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  parse_bindings (&l, bindings);
  m = g_new0 (OmniNnOnnxModel, 1);
  m->inputs = g_array_new (FALSE, TRUE, sizeof (OmniNnOnnxInput));
  g_array_set_clear_func (m->inputs, clear_input);
  m->outputs = g_array_new (FALSE, TRUE, sizeof (OmniNnOnnxOutput));
  g_array_set_clear_func (m->outputs, clear_output);
  if (model_opset (&l, mp)) {
    gsize i;

    m->opset = l.opset;
    /* initializers first: an input with an initializer is a constant */
    for (i = 0; i < mp->graph->n_initializer; i++) {
      Val *v = onnx_const_from_tensor (&l, mp->graph->initializer[i]);

      if (!v)
        break;
      onnx_set_val (&l, mp->graph->initializer[i]->name, v);
    }
    if (i == mp->graph->n_initializer && add_inputs (&l, mp->graph, m)) {
      gsize j;

      for (j = 0; j < mp->graph->n_node; j++)
        if (!convert_node (&l, mp->graph->node[j]))
          break;
      /* twice: the first pass drops the transposes back to NCHW that
       * nothing reads, so the second can fuse activations into their
       * convolutions */
      if (j == mp->graph->n_node && add_outputs (&l, mp->graph, m)
          && omni_nn_graph_optimize (l.g, error)
          && omni_nn_graph_optimize (l.g, error))
        m->graph = g_steal_pointer (&l.g);
    }
  }
  if (!m->graph) {
    omni_nn_onnx_model_free (m);
    m = NULL;
  }
  if (l.g)
    omni_nn_graph_free (l.g);
  g_hash_table_unref (l.vals);
  g_ptr_array_unref (l.owned);
  g_hash_table_unref (l.bindings);
  onnx__model_proto__free_unpacked (mp, NULL);
  return m;
}

OmniNnOnnxModel *
omni_nn_onnx_load_full (const gchar *path, const gchar *const *bindings,
    const OmniNnOnnxConstant *constants, guint n_constants, GError **error)
{
  return onnx_load (path, bindings, constants, n_constants, NULL, error);
}

OmniNnOnnxModel *
omni_nn_onnx_load_image (const gchar *path, const gchar *const *bindings,
    guint width, guint height, guint channels, GError **error)
{
  const guint image[3] = { width, height, channels };

  return onnx_load (path, bindings, NULL, 0, image, error);
}

/* The image input's size from the model when no sidecar gives it. */
static gboolean
image_size (const gchar *path, guint *w, guint *h, guint *c, GError **error)
{
  Onnx__ModelProto *mp = onnx_read_model (path, error);
  const Onnx__TensorShapeProto *s = NULL;
  gsize i;

  if (!mp)
    return FALSE;
  for (i = 0; i < mp->graph->n_input && !s; i++) {
    const Onnx__TypeProto *t = mp->graph->input[i]->type;
    gsize j;

    for (j = 0; j < mp->graph->n_initializer; j++)
      if (!g_strcmp0 (
              mp->graph->initializer[j]->name, mp->graph->input[i]->name))
        break;
    if (j == mp->graph->n_initializer && t
        && t->value_case == ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE)
      s = t->tensor_type->shape;
  }
  if (s && s->n_dim == 4) {
    *c = (guint) s->dim[1]->dim_value;
    *h = (guint) s->dim[2]->dim_value;
    *w = (guint) s->dim[3]->dim_value;
  }
  onnx__model_proto__free_unpacked (mp, NULL);
  if (!s || s->n_dim != 4 || !*w || !*h || (*c != 1 && *c != 3)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SHAPE,
        "%s: no [1, C, H, W] image input of fixed size (give its size in "
        "model-info.json)",
        path);
    return FALSE;
  }
  return TRUE;
}

/* The sidecar's normalisation, labels and output meanings to the model. */
static void
apply_image_info (OmniNnModel *model, const OmniNnModelInfo *info)
{
  OmniNnGraph *g = model->graph;
  guint i;
  gint k;

  g->input_scale = info->scale;
  g->input_offset = info->offset;
  g->align_corners = info->align_corners;
  if (info->labels) {
    model->labels = g_strdupv (info->labels);
    model->n_labels = info->n_labels;
  }
  /* an output whose meaning is "probabilities" or "embedding" is named so,
   * as the elements look for those names */
  for (i = 0; i < info->n_outputs; i++) {
    const gchar *meaning = info->outputs[i].meaning;

    if (!meaning
        || (strcmp (meaning, "probabilities") && strcmp (meaning, "embedding")))
      continue;
    k = omni_nn_graph_find_output (g, info->outputs[i].name);
    if (k >= 0) {
      g_free (omni_nn_graph_output (g, k)->name);
      omni_nn_graph_output (g, k)->name = g_strdup (meaning);
    }
  }
}

gchar **
omni_nn_onnx_sidecar_bindings (const gchar *path)
{
  gchar *dir = g_path_get_dirname (path);
  gchar *info = g_build_filename (dir, "model-info.json", NULL);
  JsonParser *p = json_parser_new ();
  GPtrArray *out = g_ptr_array_new ();
  JsonNode *root;

  if (json_parser_load_from_file (p, info, NULL)
      && (root = json_parser_get_root (p)) && JSON_NODE_HOLDS_OBJECT (root)) {
    JsonObject *o = json_node_get_object (root), *onnx;
    JsonArray *b;
    guint i;

    onnx = json_object_has_member (o, "onnx")
               ? json_object_get_object_member (o, "onnx")
               : NULL;
    b = onnx && json_object_has_member (onnx, "bindings")
            ? json_object_get_array_member (onnx, "bindings")
            : NULL;
    for (i = 0; b && i < json_array_get_length (b); i++)
      g_ptr_array_add (out, g_strdup (json_array_get_string_element (b, i)));
  }
  g_ptr_array_add (out, NULL);
  g_object_unref (p);
  g_free (info);
  g_free (dir);
  return (gchar **) g_ptr_array_free (out, FALSE);
}

OmniNnModel *
omni_nn_onnx_model_load (
    const gchar *model, OmniNnLoadFlags flags, GError **error)
{
  gchar *path = omni_nn_onnx_resolve (model, error), *reason = NULL;
  gchar **bindings;
  OmniNnModelInfo *info = NULL;
  OmniNnOnnxModel *m = NULL;
  OmniNnModel *out = NULL;
  gboolean verified = FALSE;
  guint w = 0, h = 0, c = 3;

  if (!path
      || !omni_nn_onnx_verify (path,
          (flags & OMNI_NN_LOAD_ALLOW_UNVERIFIED)
              || omni_nn_allow_unverified_from_env (),
          &verified, &reason, error))
    goto done;
  info = omni_nn_model_info_find (path, error);
  if (error && *error)
    goto done;
  if (info) {
    w = info->width;
    h = info->height;
    c = info->channels;
  } else if (!image_size (path, &w, &h, &c, error)) {
    goto done;
  }
  bindings = omni_nn_onnx_sidecar_bindings (path);
  m = omni_nn_onnx_load_image (
      path, (const gchar *const *) bindings, w, h, c, error);
  g_strfreev (bindings);
  if (!m)
    goto done;
  out = g_new0 (OmniNnModel, 1);
  out->path = g_strdup (path);
  {
    gchar *dir = g_path_get_dirname (path);

    out->id = g_path_get_basename (dir);
    g_free (dir);
  }
  out->graph = g_steal_pointer (&m->graph);
  out->verified = verified;
  out->unverified_reason = g_steal_pointer (&reason);
  if (info)
    apply_image_info (out, info);
done:
  omni_nn_onnx_model_free (m);
  omni_nn_model_info_free (info);
  g_free (reason);
  g_free (path);
  return out;
}

gboolean
omni_nn_onnx_is_model (const gchar *model)
{
  gchar *path;

  if (!model)
    return FALSE;
  if (g_str_has_suffix (model, ".onnx"))
    return TRUE;
  path = omni_nn_onnx_resolve (model, NULL);
  g_free (path);
  return path != NULL;
}
