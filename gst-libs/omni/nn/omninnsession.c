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
#include "omninnidentity.h"
#include "omninngraphmodel.h"
#if HAVE_VULKAN
#include "vulkan/omninnvulkan.h"
#include <omni/vk/omnivkinstance.h>
#endif

/* A loaded model (graph, weights, labels, model info), shared by every
 * engine of the same model bytes. Refcount under cache_lock. */
typedef struct {
  gint ref;
  gchar *key; /* its key in loaded_cache, or NULL when not cached */
  OmniNnModel *model;
  OmniNnModelInfo *info;
} Loaded;

#define MAX_REPLICAS 8

/* One backend state (for Vulkan: the weights uploaded, the pipelines, the
 * activations, the command buffers): one run at a time (lock). */
typedef struct {
  GMutex lock;
  gpointer state;
} Replica;

/* A loaded model prepared on a backend, shared by the sessions of the same
 * model, backend choice and device: up to max_replicas backend states (as
 * many as it has users), so that that many runs go at once. replicas[0 ..
 * n_replicas - 1] are ready; new ones are added under create_lock. */
typedef struct {
  gint ref;
  gchar *key; /* its key in engine_cache, or NULL when not cached */
  Loaded *loaded;
  const OmniNnBackend *backend;
  gchar *device;
  Replica replicas[MAX_REPLICAS];
  gint n_replicas; /* atomic */
  gint next;       /* atomic: the replica to wait for when all are busy */
  gchar *device_name;
  gchar *fallback_reason;
} Engine;

struct _OmniNnSession {
  Engine *engine;
  OmniNnBackendChoice choice;
  gchar *device;
  gfloat **outputs;
  gsize *n_values;
  guint n_outputs;
  guint n_recoveries;
  gchar *recovery_reason;
};

/* cache_lock: the two tables, the refcounts, the counters. create_lock:
 * one creation at a time, so that two sessions asking for the same model
 * at once load it once. */
static GMutex cache_lock;
static GMutex create_lock;
static GHashTable *loaded_cache; /* key -> Loaded (not a reference) */
static GHashTable *engine_cache; /* key -> Engine (not a reference) */
static OmniNnSessionCacheStats counters;

guint
omni_nn_session_get_max_replicas (void)
{
  const gchar *v = g_getenv ("OMNI_NN_SESSION_REPLICAS");
  gint64 n = v && *v ? g_ascii_strtoll (v, NULL, 10) : 2;

  return CLAMP (n, 1, MAX_REPLICAS);
}

OmniNnSessionSharing
omni_nn_session_get_sharing (void)
{
  const gchar *v = g_getenv ("OMNI_NN_SESSION_CACHE");

  if (!v || !*v || !g_ascii_strcasecmp (v, "all") || !strcmp (v, "1"))
    return OMNI_NN_SHARE_ALL;
  if (!g_ascii_strcasecmp (v, "model"))
    return OMNI_NN_SHARE_MODEL;
  if (!g_ascii_strcasecmp (v, "off") || !g_ascii_strcasecmp (v, "none")
      || !strcmp (v, "0"))
    return OMNI_NN_SHARE_NONE;
  g_warning ("OMNI_NN_SESSION_CACHE=%s: not one of all, model, off; "
             "sharing all",
      v);
  return OMNI_NN_SHARE_ALL;
}

void
omni_nn_session_cache_get_stats (OmniNnSessionCacheStats *stats)
{
  g_mutex_lock (&cache_lock);
  *stats = counters;
  g_mutex_unlock (&cache_lock);
}

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

static void
loaded_unref (Loaded *l)
{
  gboolean last;

  g_mutex_lock (&cache_lock);
  last = --l->ref == 0;
  if (last) {
    if (l->key)
      g_hash_table_remove (loaded_cache, l->key);
    counters.n_models--;
  }
  g_mutex_unlock (&cache_lock);
  if (!last)
    return;
  omni_nn_model_info_free (l->info);
  omni_nn_model_free (l->model);
  g_free (l->key);
  g_free (l);
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

/* An ONNX model file (omninnonnx.h): model.onnx beside its sidecar. */
static gboolean
is_onnx_model (const gchar *path)
{
  return g_str_has_suffix (path, ".onnx");
}

static Loaded *
loaded_new (const gchar *path, const OmniNnSessionOptions *o, GError **error)
{
  Loaded *l = g_new0 (Loaded, 1);
  GError *err = NULL;

#if HAVE_ONNX
  if (is_onnx_model (path)) {
    l->model = omni_nn_onnx_model_load (path, o->flags, error);
  } else
#endif
      if (is_graph_model (path)) {
    if (o->embedding_layer)
      g_set_error (error, OMNI_NN_ERROR, OMNI_NN_ERROR_SETTING,
          "%s is a graph model: an embedding layer is chosen only in layers "
          "models",
          path);
    else
      l->model = omni_nn_graph_model_load_full (path, NULL, o->flags, error);
    if (l->model && !graph_labels (l->model, o->labels, error))
      g_clear_pointer (&l->model, omni_nn_model_free);
  } else {
    l->model = omni_nn_model_load_full (
        path, o->labels, o->embedding_layer, o->flags, error);
  }
  if (l->model) {
    l->info = omni_nn_model_info_find (l->model->path, &err);
    if (err) {
      g_propagate_error (error, err);
      g_clear_pointer (&l->model, omni_nn_model_free);
    }
  }
  if (!l->model) {
    g_free (l);
    return NULL;
  }
  l->ref = 1;
  return l;
}

/* What makes two loads the same: the model's bytes (sha256 of model.json
 * and its shards), the loader flags, the labels file's bytes and the
 * embedding layer. */
/* The sha256 of an ONNX file's bytes. */
static gchar *
onnx_sha256 (const gchar *path, GError **error)
{
  gchar *data = NULL, *sha;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  sha = g_compute_checksum_for_data (
      G_CHECKSUM_SHA256, (const guchar *) data, len);
  g_free (data);
  return sha;
}

static gchar *
loaded_key (const gchar *path, const OmniNnSessionOptions *o, GError **error)
{
  gchar *sha = is_onnx_model (path) ? onnx_sha256 (path, error)
                                    : omni_nn_model_file_sha256 (path, error);
  gchar *labels = NULL, *key, *contents = NULL;
  gsize len;

  if (!sha)
    return NULL;
  if (o->labels && g_file_get_contents (o->labels, &contents, &len, NULL))
    labels = g_compute_checksum_for_data (
        G_CHECKSUM_SHA256, (const guchar *) contents, len);
  key = g_strdup_printf ("%s|%x|%s|%s", sha, o->flags,
      labels ? labels : (o->labels ? o->labels : ""),
      o->embedding_layer ? o->embedding_layer : "");
  g_free (contents);
  g_free (labels);
  g_free (sha);
  return key;
}

/* The loaded model for @path and @o: the cached one when @share, else a
 * fresh load. Called under create_lock. */
static Loaded *
loaded_acquire (const gchar *path, const OmniNnSessionOptions *o,
    gboolean share, GError **error)
{
  gchar *key = NULL;
  Loaded *l = NULL;

  if (share) {
    key = loaded_key (path, o, error);
    if (!key)
      return NULL;
    g_mutex_lock (&cache_lock);
    if (!loaded_cache)
      loaded_cache = g_hash_table_new (g_str_hash, g_str_equal);
    l = g_hash_table_lookup (loaded_cache, key);
    if (l)
      l->ref++;
    g_mutex_unlock (&cache_lock);
  }
  if (l) {
    g_free (key);
    return l;
  }
  l = loaded_new (path, o, error);
  g_mutex_lock (&cache_lock);
  if (l) {
    counters.n_loads++;
    counters.n_models++;
    if (key) {
      l->key = g_steal_pointer (&key);
      g_hash_table_insert (loaded_cache, l->key, l);
    }
  }
  g_mutex_unlock (&cache_lock);
  g_free (key);
  return l;
}

static void
engine_unref (Engine *e)
{
  gboolean last;
  gint i;

  g_mutex_lock (&cache_lock);
  last = --e->ref == 0;
  if (last) {
    if (e->key)
      g_hash_table_remove (engine_cache, e->key);
    counters.n_engines--;
  }
  g_mutex_unlock (&cache_lock);
  if (!last)
    return;
  for (i = 0; i < e->n_replicas; i++) {
    e->backend->free (e->replicas[i].state);
    g_mutex_clear (&e->replicas[i].lock);
  }
  g_mutex_lock (&cache_lock);
  counters.n_replicas -= e->n_replicas;
  g_mutex_unlock (&cache_lock);
  loaded_unref (e->loaded);
  g_free (e->device);
  g_free (e->device_name);
  g_free (e->fallback_reason);
  g_free (e->key);
  g_free (e);
}

/* No longer handed out: a later acquire prepares a fresh one. */
static void
engine_invalidate (Engine *e)
{
  g_mutex_lock (&cache_lock);
  if (e->key) {
    g_hash_table_remove (engine_cache, e->key);
    g_clear_pointer (&e->key, g_free);
  }
  g_mutex_unlock (&cache_lock);
}

static void
add_replica (Engine *e, gpointer state)
{
  Replica *r = &e->replicas[e->n_replicas];

  g_mutex_init (&r->lock);
  r->state = state;
  g_atomic_int_inc (&e->n_replicas);
  g_mutex_lock (&cache_lock);
  counters.n_replicas++;
  counters.n_replica_prepares++;
  g_mutex_unlock (&cache_lock);
}

/* What AUTO means here: the CPU when OMNI_NN_BACKEND=cpu, or when no
 * device was asked for, the CPU backend has XNNPACK and every usable
 * Vulkan device is a CPU implementation (lavapipe): XNNPACK runs the
 * models several times faster there (docs/benchmarks.md). Else Vulkan
 * first (OMNI_NN_BACKEND=vulkan keeps that on lavapipe too). */
gboolean
omni_nn_backend_auto_picks_cpu (const gchar *device)
{
  const gchar *env = g_getenv ("OMNI_NN_BACKEND");
  gboolean cpu_only = FALSE;
#if HAVE_VULKAN
  GPtrArray *devices;
  guint i;
#endif

  if (env && g_ascii_strcasecmp (env, "cpu") == 0)
    return TRUE;
  if ((env && g_ascii_strcasecmp (env, "vulkan") == 0)
      || (device && *device && g_ascii_strcasecmp (device, "auto") != 0)
      || !omni_nn_cpu_has_xnnpack ())
    return FALSE;
#if HAVE_VULKAN
  devices = omni_vk_enumerate_devices (NULL);
  for (i = 0; devices && i < devices->len; i++) {
    const OmniVkDeviceInfo *d = g_ptr_array_index (devices, i);

    if (!d->usable)
      continue;
    if (d->type != OMNI_VK_DEVICE_TYPE_CPU) {
      cpu_only = FALSE;
      break;
    }
    cpu_only = TRUE;
    GST_INFO (
        "Vulkan device %u '%s' is a CPU implementation", d->index, d->name);
  }
  if (devices)
    g_ptr_array_unref (devices);
#endif
  return cpu_only;
}

/* The first replica: Vulkan, else (auto) the CPU with the reason. */
static gboolean
prepare_backend (Engine *e, OmniNnBackendChoice choice, GError **error)
{
  const OmniNnGraph *g = e->loaded->model->graph;
  gpointer state = NULL;
  GError *err = NULL;

  if (choice == OMNI_NN_BACKEND_AUTO
      && omni_nn_backend_auto_picks_cpu (e->device)) {
    GST_INFO ("backend auto: the CPU (XNNPACK), faster than a CPU Vulkan "
              "device or asked for by OMNI_NN_BACKEND");
    choice = OMNI_NN_BACKEND_CPU;
  }

  if (choice != OMNI_NN_BACKEND_CPU) {
#if HAVE_VULKAN
    e->backend = omni_nn_vulkan_backend ();
    state = e->backend->prepare (g, e->device, &err);
#else
    g_set_error (&err, OMNI_NN_ERROR, OMNI_NN_ERROR_DEVICE,
        "this build of gst-omni has no Vulkan");
#endif
    if (!state) {
      if (choice == OMNI_NN_BACKEND_VULKAN
          || err->code != OMNI_NN_ERROR_DEVICE) {
        g_propagate_error (error, err);
        return FALSE;
      }
      e->fallback_reason = g_strdup (err->message);
      g_clear_error (&err);
    }
  }
  if (!state) {
    e->backend = omni_nn_cpu_backend ();
    state = e->backend->prepare (g, NULL, error);
    if (!state)
      return FALSE;
  }
  e->device_name
      = g_strdup (e->backend->device_name ? e->backend->device_name (state)
                                          : e->backend->name);
  add_replica (e, state);
  return TRUE;
}

/* More replicas, up to @want (and the maximum): as many runs at once as
 * sessions want, on the engine's backend and device. One that cannot be
 * prepared (out of device memory) only means fewer. Under create_lock. */
static void
grow_replicas (Engine *e, guint want)
{
  want = MIN (want, omni_nn_session_get_max_replicas ());
  while ((guint) e->n_replicas < want) {
    gpointer state = e->backend->prepare (e->loaded->model->graph,
        e->backend == omni_nn_cpu_backend () ? NULL : e->device, NULL);

    if (!state)
      break;
    add_replica (e, state);
  }
}

/* The engine of @l on @choice and @device: the cached one when @share,
 * else a fresh one. Takes @l's reference. Called under create_lock. */
static Engine *
engine_acquire (Loaded *l, OmniNnBackendChoice choice, const gchar *device,
    gboolean share, GError **error)
{
  gchar *key = NULL;
  Engine *e = NULL;
  gint users = 0;

  if (share && l->key) {
    key = g_strdup_printf ("%s|%d|%s", l->key, choice,
        device && g_ascii_strcasecmp (device, "auto") ? device : "");
    g_mutex_lock (&cache_lock);
    if (!engine_cache)
      engine_cache = g_hash_table_new (g_str_hash, g_str_equal);
    e = g_hash_table_lookup (engine_cache, key);
    if (e)
      users = ++e->ref;
    g_mutex_unlock (&cache_lock);
  }
  if (e) {
    g_free (key);
    loaded_unref (l);
    grow_replicas (e, users);
    return e;
  }
  e = g_new0 (Engine, 1);
  e->ref = 1;
  e->loaded = l;
  e->device = g_strdup (device);
  g_mutex_lock (&cache_lock);
  counters.n_engines++;
  g_mutex_unlock (&cache_lock);
  if (!prepare_backend (e, choice, error)) {
    g_free (key);
    engine_unref (e);
    return NULL;
  }
  g_mutex_lock (&cache_lock);
  counters.n_prepares++;
  if (key) {
    e->key = g_steal_pointer (&key);
    g_hash_table_insert (engine_cache, e->key, e);
  }
  g_mutex_unlock (&cache_lock);
  g_free (key);
  return e;
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
    const OmniNnSessionOptions *options, GError **error)
{
  OmniNnSessionSharing sharing = omni_nn_session_get_sharing ();
  OmniNnSession *s;
  const OmniNnGraph *g;
  gchar *path;
  Loaded *l;
  Engine *e = NULL;
  guint i;

#if HAVE_ONNX
  if (omni_nn_onnx_is_model (model))
    path = omni_nn_onnx_resolve (model, error);
  else
#endif
    path = omni_nn_model_resolve (model, error);
  if (!path)
    return NULL;
  g_mutex_lock (&create_lock);
  l = loaded_acquire (path, options, sharing != OMNI_NN_SHARE_NONE, error);
  if (l)
    e = engine_acquire (l, choice, device, sharing == OMNI_NN_SHARE_ALL, error);
  g_mutex_unlock (&create_lock);
  g_free (path);
  if (!e)
    return NULL;
  s = g_new0 (OmniNnSession, 1);
  s->engine = e;
  s->choice = choice;
  s->device = g_strdup (device);
  g = e->loaded->model->graph;
  s->n_outputs = g->outputs->len;
  s->outputs = g_new0 (gfloat *, s->n_outputs);
  s->n_values = g_new0 (gsize, s->n_outputs);
  for (i = 0; i < s->n_outputs; i++) {
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
  for (i = 0; i < s->n_outputs; i++)
    g_free (s->outputs[i]);
  g_free (s->outputs);
  g_free (s->n_values);
  engine_unref (s->engine);
  g_free (s->device);
  g_free (s->recovery_reason);
  g_free (s);
}

/* Runs on a free replica, else waits for one (in turn). */
static gboolean
engine_run (
    Engine *e, const OmniNnInput *input, gfloat *const *outputs, GError **error)
{
  gint i, n = g_atomic_int_get (&e->n_replicas);
  Replica *r = NULL;
  gboolean ok;

  for (i = 0; i < n && !r; i++) {
    if (g_mutex_trylock (&e->replicas[i].lock))
      r = &e->replicas[i];
  }
  if (!r) {
    r = &e->replicas[(guint) g_atomic_int_add (&e->next, 1) % n];
    g_mutex_lock (&r->lock);
  }
  ok = e->backend->run (r->state, input, outputs, error);
  g_mutex_unlock (&r->lock);
  return ok;
}

gboolean
omni_nn_session_run (OmniNnSession *s, const OmniNnInput *input, GError **error)
{
  OmniNnSessionSharing sharing = omni_nn_session_get_sharing ();
  Engine *e = s->engine, *fresh;
  GError *err = NULL;

  g_return_val_if_fail (s != NULL && e->n_replicas > 0, FALSE);
  if (engine_run (e, input, s->outputs, &err))
    return TRUE;
  if (e->backend == omni_nn_cpu_backend ()
      || err->code == OMNI_NN_ERROR_INPUT) {
    g_propagate_error (error, err);
    return FALSE;
  }
  /* A lost device: the engine is dropped from the cache (the sessions still
   * on it fail once and come here too), and this session moves to a fresh
   * one on a fresh device (or the one another session already made). */
  g_free (s->recovery_reason);
  s->recovery_reason = g_strdup (err->message);
  g_clear_error (&err);
  engine_invalidate (e);
  g_mutex_lock (&cache_lock);
  e->loaded->ref++;
  g_mutex_unlock (&cache_lock);
  g_mutex_lock (&create_lock);
  fresh = engine_acquire (
      e->loaded, s->choice, s->device, sharing == OMNI_NN_SHARE_ALL, error);
  g_mutex_unlock (&create_lock);
  if (!fresh)
    return FALSE;
  s->engine = fresh;
  engine_unref (e);
  s->n_recoveries++;
  return engine_run (fresh, input, s->outputs, error);
}

const OmniNnModel *
omni_nn_session_get_model (OmniNnSession *s)
{
  return s->engine->loaded->model;
}

const OmniNnModelInfo *
omni_nn_session_get_info (OmniNnSession *s)
{
  return s->engine->loaded->info;
}

guint
omni_nn_session_get_n_outputs (OmniNnSession *s)
{
  return s->n_outputs;
}

gint
omni_nn_session_find_output (OmniNnSession *s, const gchar *name)
{
  return omni_nn_graph_find_output (s->engine->loaded->model->graph, name);
}

const gfloat *
omni_nn_session_get_output (OmniNnSession *s, guint index, gsize *n_values)
{
  g_return_val_if_fail (index < s->n_outputs, NULL);
  if (n_values)
    *n_values = s->n_values[index];
  return s->outputs[index];
}

const OmniNnBackend *
omni_nn_session_get_backend (OmniNnSession *s)
{
  return s->engine->backend;
}

gpointer
omni_nn_session_get_backend_state (OmniNnSession *s)
{
  return s->engine->replicas[0].state;
}

const gchar *
omni_nn_session_get_device_name (OmniNnSession *s)
{
  return s->engine->device_name;
}

const gchar *
omni_nn_session_get_fallback_reason (OmniNnSession *s)
{
  return s->engine->fallback_reason;
}

guint
omni_nn_session_get_n_recoveries (OmniNnSession *s)
{
  return s->n_recoveries;
}

const gchar *
omni_nn_session_get_recovery_reason (OmniNnSession *s)
{
  return s->recovery_reason;
}
