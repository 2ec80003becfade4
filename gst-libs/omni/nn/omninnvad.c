/* gst-omni: a speech-activity model (Silero VAD) on the runtime
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:omninnvad
 * @title: Speech activity (Silero VAD)
 * @short_description: runs an ONNX voice-activity model frame by frame
 *
 * Silero VAD v5 (Silero Team, https://github.com/snakers4/silero-vad, MIT)
 * takes 512 new samples at 16 kHz after the previous call's last 64, and a
 * [2, 1, 128] LSTM state; it returns the speech probability of the frame
 * and the next state. Its sample-rate input selects a branch of an `If`;
 * the sidecar binds it, so the loader keeps only the 16 kHz branch.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omninnvad.h"
#include "omninncpu.h"
#include "omninnonnx.h"
#include "omninnsession.h"
#include "omninnverify.h"
#if HAVE_VULKAN
#include "vulkan/omninnvulkan.h"
#endif

#include <json-glib/json-glib.h>
#include <string.h>

struct _OmniNnVad {
  gchar *path;
  OmniNnOnnxModel *model;
  const OmniNnBackend *backend;
  gpointer state;
  guint rate, frame, context;
  gsize in_off, state_off, state_n;
  gint out_prob, out_state;
  gfloat *packed;  /* the graph input */
  gfloat **outs;   /* one buffer per graph output */
  gfloat *history; /* the last @context samples */
};

static guint
member_uint (JsonObject *o, const gchar *name, guint def)
{
  return o && json_object_has_member (o, name)
             ? (guint) json_object_get_int_member (o, name)
             : def;
}

static const gchar *
member_str (JsonObject *o, const gchar *name, const gchar *def)
{
  return o && json_object_has_member (o, name)
             ? json_object_get_string_member (o, name)
             : def;
}

/* model-info.json: bindings, input shapes (for the loader), framing. */
static OmniNnOnnxModel *
load_with_sidecar (OmniNnVad *v, JsonObject *root, GError **error)
{
  JsonObject *onnx = root && json_object_has_member (root, "onnx")
                         ? json_object_get_object_member (root, "onnx")
                         : NULL;
  JsonObject *shapes = onnx && json_object_has_member (onnx, "shapes")
                           ? json_object_get_object_member (onnx, "shapes")
                           : NULL;
  JsonArray *b = onnx && json_object_has_member (onnx, "bindings")
                     ? json_object_get_array_member (onnx, "bindings")
                     : NULL;
  GList *names = shapes ? json_object_get_members (shapes) : NULL, *it;
  GPtrArray *bindings = g_ptr_array_new ();
  GArray *cs = g_array_new (FALSE, TRUE, sizeof (OmniNnOnnxConstant));
  gint64 dims[8][OMNI_NN_ONNX_MAX_RANK];
  OmniNnOnnxModel *m;
  guint i, k = 0;

  for (i = 0; b && i < json_array_get_length (b); i++)
    g_ptr_array_add (bindings, (gpointer) json_array_get_string_element (b, i));
  g_ptr_array_add (bindings, NULL);
  for (it = names; it && k < 8; it = it->next, k++) {
    JsonArray *a = json_object_get_array_member (shapes, it->data);
    OmniNnOnnxConstant c = { 0 };

    c.name = it->data;
    c.n_dims = MIN (json_array_get_length (a), OMNI_NN_ONNX_MAX_RANK);
    for (i = 0; i < c.n_dims; i++)
      dims[k][i] = json_array_get_int_element (a, i);
    c.dims = dims[k];
    g_array_append_val (cs, c);
  }
  m = omni_nn_onnx_load_full (v->path, (const gchar *const *) bindings->pdata,
      (OmniNnOnnxConstant *) cs->data, cs->len, error);
  g_list_free (names);
  g_ptr_array_unref (bindings);
  g_array_unref (cs);
  return m;
}

static gboolean
setup_io (OmniNnVad *v, JsonObject *audio, GError **error)
{
  const OmniNnGraph *g = v->model->graph;
  const OmniNnOnnxInput *in = omni_nn_onnx_model_find_input (
      v->model, member_str (audio, "input", "input"));
  const OmniNnOnnxInput *st = omni_nn_onnx_model_find_input (
      v->model, member_str (audio, "state", "state"));
  guint i;

  v->rate = member_uint (audio, "rate", 16000);
  v->frame = member_uint (audio, "frame", 512);
  v->context = member_uint (audio, "context", 64);
  v->out_prob
      = omni_nn_graph_find_output (g, member_str (audio, "output", "output"));
  v->out_state = omni_nn_graph_find_output (
      g, member_str (audio, "state-out", "stateN"));
  if (!in || in->n != v->frame + v->context || !st || v->out_prob < 0
      || v->out_state < 0
      || omni_nn_graph_tensor (
             g, omni_nn_graph_output (g, v->out_state)->tensor)
                 ->n_elements
             != st->n) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SETTING,
        "%s: its inputs and outputs do not fit the sidecar's audio section "
        "(input of frame + context samples, a state input and output of one "
        "size, a probability output)",
        v->path);
    return FALSE;
  }
  v->in_off = in->offset;
  v->state_off = st->offset;
  v->state_n = st->n;
  v->packed = g_new0 (gfloat, MAX (v->model->n_input_values, 1));
  v->history = g_new0 (gfloat, MAX (v->context, 1));
  v->outs = g_new0 (gfloat *, g->outputs->len);
  for (i = 0; i < g->outputs->len; i++)
    v->outs[i] = g_new0 (
        gfloat, omni_nn_graph_tensor (g, omni_nn_graph_output (g, i)->tensor)
                    ->n_elements);
  return TRUE;
}

static gboolean
prepare_backend (OmniNnVad *v, const gchar *backend, GError **error)
{
#if HAVE_VULKAN
  GError *err = NULL;

  /* auto: Vulkan first, but the CPU on a lavapipe-only machine when the
   * CPU backend has XNNPACK (omni_nn_backend_auto_picks_cpu()) */
  if ((!backend && !omni_nn_backend_auto_picks_cpu (NULL))
      || (backend && !g_ascii_strcasecmp (backend, "vulkan"))) {
    v->backend = omni_nn_vulkan_backend ();
    v->state = v->backend->prepare (v->model->graph, NULL, &err);
    if (v->state || backend) {
      if (err)
        g_propagate_error (error, err);
      return v->state != NULL;
    }
    g_clear_error (&err);
  }
#endif
  if (backend && g_ascii_strcasecmp (backend, "cpu")) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_DEVICE,
        "no backend '%s' (cpu%s)", backend, HAVE_VULKAN ? ", vulkan" : "");
    return FALSE;
  }
  v->backend = omni_nn_cpu_backend ();
  v->state = v->backend->prepare (v->model->graph, NULL, error);
  return v->state != NULL;
}

OmniNnVad *
omni_nn_vad_new (const gchar *model, const gchar *backend, GError **error)
{
  OmniNnVad *v = g_new0 (OmniNnVad, 1);
  JsonParser *parser = json_parser_new ();
  gchar *dir, *info;
  JsonNode *root;
  JsonObject *robj = NULL, *audio = NULL;
  GError *err = NULL;

  if (!(v->path = omni_nn_onnx_resolve (model ? model : "silero-vad", error))
      || !omni_nn_onnx_verify (
          v->path, omni_nn_allow_unverified_from_env (), NULL, NULL, error))
    goto fail;
  dir = g_path_get_dirname (v->path);
  info = g_build_filename (dir, "model-info.json", NULL);
  g_free (dir);
  if (!json_parser_load_from_file (parser, info, &err)
      || !(root = json_parser_get_root (parser))
      || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_PARSE, "%s: %s", info,
        err ? err->message : "not a JSON object");
    g_clear_error (&err);
    g_free (info);
    goto fail;
  }
  g_free (info);
  robj = json_node_get_object (root);
  if (json_object_has_member (robj, "audio"))
    audio = json_object_get_object_member (robj, "audio");
  if (!(v->model = load_with_sidecar (v, robj, error))
      || !setup_io (v, audio, error) || !prepare_backend (v, backend, error))
    goto fail;
  g_object_unref (parser);
  return v;
fail:
  g_object_unref (parser);
  omni_nn_vad_free (v);
  return NULL;
}

void
omni_nn_vad_free (OmniNnVad *v)
{
  guint i;

  if (!v)
    return;
  if (v->state)
    v->backend->free (v->state);
  for (i = 0; v->outs && i < v->model->graph->outputs->len; i++)
    g_free (v->outs[i]);
  g_free (v->outs);
  omni_nn_onnx_model_free (v->model);
  g_free (v->packed);
  g_free (v->history);
  g_free (v->path);
  g_free (v);
}

void
omni_nn_vad_reset (OmniNnVad *v)
{
  memset (v->packed, 0, v->model->n_input_values * sizeof (gfloat));
  memset (v->history, 0, v->context * sizeof (gfloat));
}

gboolean
omni_nn_vad_process (
    OmniNnVad *v, const gfloat *frame, gfloat *probability, GError **error)
{
  OmniNnInput in = { 0 };
  gfloat *x = v->packed + v->in_off;

  memcpy (x, v->history, v->context * sizeof (gfloat));
  memcpy (x + v->context, frame, v->frame * sizeof (gfloat));
  memcpy (
      v->history, frame + v->frame - v->context, v->context * sizeof (gfloat));
  in.tensor = v->packed;
  if (!v->backend->run (v->state, &in, v->outs, error))
    return FALSE;
  memcpy (v->packed + v->state_off, v->outs[v->out_state],
      v->state_n * sizeof (gfloat));
  *probability = v->outs[v->out_prob][0];
  return TRUE;
}

guint
omni_nn_vad_get_rate (OmniNnVad *v)
{
  return v->rate;
}

guint
omni_nn_vad_get_frame (OmniNnVad *v)
{
  return v->frame;
}

const gchar *
omni_nn_vad_get_backend (OmniNnVad *v)
{
  return v->backend->name;
}

const gchar *
omni_nn_vad_get_path (OmniNnVad *v)
{
  return v->path;
}
