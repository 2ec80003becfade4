/* gst-omni: a model ready to run (lookup, load, backend, outputs, recovery)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omninnsession
 * @title: OmniNnSession
 * @short_description: lookup, load, backend choice, outputs, recovery
 *
 * What every element that runs a model needs, once: see #OmniNnSession.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnsession.h"
#if HAVE_ONNX
#include "omninnonnx.h"
#endif

#include <string.h>

#include <json-glib/json-glib.h>

#include "omninncpu.h"
#include "omninngraphmodel.h"
#if HAVE_VULKAN
#include "vulkan/omninnvulkan.h"
#endif

struct _OmniNnSession {
  OmniNnModel *model;
  OmniNnModelInfo *info;
  const OmniNnBackend *backend;
  gpointer state;
  gchar *device;
  gchar *device_name;
  gchar *fallback_reason;
  gfloat **outputs;
  gsize *n_values;
  guint n_recoveries;
};

/* The "format" member of @path's JSON: graph models go to their loader. */
static gboolean
is_graph_model (const gchar *path)
{
  JsonParser *parser = json_parser_new_immutable ();
  gboolean graph = FALSE;

  if (json_parser_load_from_mapped_file (parser, path, NULL)) {
    JsonNode *root = json_parser_get_root (parser);
    JsonObject *o = root && JSON_NODE_HOLDS_OBJECT (root)
                        ? json_node_get_object (root)
                        : NULL;

    graph = o && json_object_has_member (o, "format")
            && !g_strcmp0 (
                json_object_get_string_member_with_default (o, "format", ""),
                "graph-model");
  }
  g_object_unref (parser);
  return graph;
}

/* A labels file given for a graph model replaces the sidecar's labels. */
static gboolean
graph_labels (OmniNnModel *m, const gchar *labels, GError **error)
{
  gchar **l;
  guint n;

  if (!labels)
    return TRUE;
  if (!(l = omni_nn_labels_load (labels, &n, error)))
    return FALSE;
  g_strfreev (m->labels);
  m->labels = l;
  m->n_labels = n;
  return TRUE;
}

static gboolean
load_model (OmniNnSession *s, const gchar *model,
    const OmniNnSessionOptions *opts, GError **error)
{
  gchar *path;
  GError *err = NULL;

#if HAVE_ONNX
  /* an ONNX image model (omninnonnx.h): model.onnx and its sidecar */
  if (omni_nn_onnx_is_model (model)) {
    s->model = omni_nn_onnx_model_load (model, opts->flags, error);
    if (s->model) {
      s->info = omni_nn_model_info_find (s->model->path, &err);
      if (err) {
        g_propagate_error (error, err);
        g_clear_pointer (&s->model, omni_nn_model_free);
      }
    }
    return s->model != NULL;
  }
#endif
  path = omni_nn_model_resolve (model, error);
  if (!path)
    return FALSE;
  if (is_graph_model (path)) {
    if (opts->embedding_layer)
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SETTING,
          "%s is a graph model: an embedding layer is chosen only in layers "
          "models",
          path);
    else
      s->model = omni_nn_graph_model_load_full (path, NULL, opts->flags, error);
    if (s->model && !graph_labels (s->model, opts->labels, error))
      g_clear_pointer (&s->model, omni_nn_model_free);
  } else {
    s->model = omni_nn_model_load_full (
        path, opts->labels, opts->embedding_layer, opts->flags, error);
  }
  if (s->model) {
    s->info = omni_nn_model_info_find (path, &err);
    if (err) {
      g_propagate_error (error, err);
      g_clear_pointer (&s->model, omni_nn_model_free);
    }
  }
  g_free (path);
  return s->model != NULL;
}

static gboolean
prepare_backend (OmniNnSession *s, OmniNnBackendChoice choice, GError **error)
{
  GError *err = NULL;

  if (choice != OMNI_NN_BACKEND_CPU) {
#if HAVE_VULKAN
    s->backend = omni_nn_vulkan_backend ();
    s->state = s->backend->prepare (s->model->graph, s->device, &err);
#else
    g_set_error (&err, OMNI_NN_ERROR, OMNI_NN_ERROR_DEVICE,
        "this build of gst-omni has no Vulkan");
#endif
    if (!s->state) {
      if (choice == OMNI_NN_BACKEND_VULKAN
          || err->code != OMNI_NN_ERROR_DEVICE) {
        g_propagate_error (error, err);
        return FALSE;
      }
      s->fallback_reason = g_strdup (err->message);
      g_clear_error (&err);
    }
  }
  if (!s->state) {
    s->backend = omni_nn_cpu_backend ();
    s->state = s->backend->prepare (s->model->graph, NULL, error);
    if (!s->state)
      return FALSE;
  }
  g_free (s->device_name);
  s->device_name
      = g_strdup (s->backend->device_name ? s->backend->device_name (s->state)
                                          : s->backend->name);
  return TRUE;
}

OmniNnSession *
omni_nn_session_new (const gchar *model, OmniNnBackendChoice choice,
    const gchar *device, GError **error)
{
  return omni_nn_session_new_full (
      model, choice, device, OMNI_NN_LOAD_DEFAULT, error);
}

OmniNnSession *
omni_nn_session_new_full (const gchar *model, OmniNnBackendChoice choice,
    const gchar *device, OmniNnLoadFlags flags, GError **error)
{
  OmniNnSessionOptions opts = { flags, NULL, NULL };

  return omni_nn_session_new_with_options (model, choice, device, &opts, error);
}

OmniNnSession *
omni_nn_session_new_with_options (const gchar *model,
    OmniNnBackendChoice choice, const gchar *device,
    const OmniNnSessionOptions *opts, GError **error)
{
  OmniNnSession *s = g_new0 (OmniNnSession, 1);
  const OmniNnGraph *g;
  guint i;

  s->device = g_strdup (device);
  if (!load_model (s, model, opts, error)
      || !prepare_backend (s, choice, error)) {
    omni_nn_session_free (s);
    return NULL;
  }
  g = s->model->graph;
  s->outputs = g_new0 (gfloat *, g->outputs->len);
  s->n_values = g_new0 (gsize, g->outputs->len);
  for (i = 0; i < g->outputs->len; i++) {
    s->n_values[i]
        = omni_nn_graph_tensor (g, omni_nn_graph_output (g, i)->tensor)
              ->n_elements;
    s->outputs[i] = g_new0 (gfloat, s->n_values[i]);
  }
  return s;
}

void
omni_nn_session_free (OmniNnSession *s)
{
  guint i;

  if (!s)
    return;
  if (s->state)
    s->backend->free (s->state);
  for (i = 0; s->outputs && i < s->model->graph->outputs->len; i++)
    g_free (s->outputs[i]);
  g_free (s->outputs);
  g_free (s->n_values);
  omni_nn_model_info_free (s->info);
  if (s->model)
    omni_nn_model_free (s->model);
  g_free (s->device);
  g_free (s->device_name);
  g_free (s->fallback_reason);
  g_free (s);
}

gboolean
omni_nn_session_run (OmniNnSession *s, const OmniNnInput *input, GError **error)
{
  GError *err = NULL;

  g_return_val_if_fail (s != NULL && s->state != NULL, FALSE);
  if (s->backend->run (s->state, input, s->outputs, &err))
    return TRUE;
  if (s->backend == omni_nn_cpu_backend ()
      || err->code == OMNI_NN_ERROR_INPUT) {
    g_propagate_error (error, err);
    return FALSE;
  }
  /* a lost device: once more on a fresh one */
  g_clear_error (&err);
  s->backend->free (s->state);
  s->state = s->backend->prepare (s->model->graph, s->device, error);
  if (!s->state)
    return FALSE;
  s->n_recoveries++;
  return s->backend->run (s->state, input, s->outputs, error);
}

const OmniNnModel *
omni_nn_session_get_model (OmniNnSession *s)
{
  return s->model;
}

const OmniNnModelInfo *
omni_nn_session_get_info (OmniNnSession *s)
{
  return s->info;
}

guint
omni_nn_session_get_n_outputs (OmniNnSession *s)
{
  return s->model->graph->outputs->len;
}

gint
omni_nn_session_find_output (OmniNnSession *s, const gchar *name)
{
  return omni_nn_graph_find_output (s->model->graph, name);
}

const gfloat *
omni_nn_session_get_output (OmniNnSession *s, guint index, gsize *n_values)
{
  g_return_val_if_fail (index < s->model->graph->outputs->len, NULL);
  if (n_values)
    *n_values = s->n_values[index];
  return s->outputs[index];
}

const OmniNnBackend *
omni_nn_session_get_backend (OmniNnSession *s)
{
  return s->backend;
}

gpointer
omni_nn_session_get_backend_state (OmniNnSession *s)
{
  return s->state;
}

const gchar *
omni_nn_session_get_device_name (OmniNnSession *s)
{
  return s->device_name;
}

const gchar *
omni_nn_session_get_fallback_reason (OmniNnSession *s)
{
  return s->fallback_reason;
}

guint
omni_nn_session_get_n_recoveries (OmniNnSession *s)
{
  return s->n_recoveries;
}
