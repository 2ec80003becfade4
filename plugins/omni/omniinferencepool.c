/* gst-omni: several inferences of one model in flight (GstOmniInference's
 * nireq)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * N workers, each a thread with its own #OmniNnSession of the same model
 * (its own Vulkan device, queue and buffers, so that one frame's upload and
 * download overlap another's inference on a GPU). Worker 0 uses the
 * element's session, made (and its errors told) at start; the others make
 * theirs in their own thread, so that start does not wait for them, and
 * take jobs once ready (a worker whose session cannot be made stays out,
 * with a warning in the debug log).
 *
 * A job is one frame: submitted to an idle worker (never queued: the caller
 * holds the frame until a worker is free), run there (the frame mapped for
 * reading, pre-processed, the model run), then done; its outputs stay in
 * the worker's session until the caller releases the job, after it read
 * them. So the caller decides the order in which results are used: in
 * frame order, each on its own frame (DL Streamer's nireq, without its
 * results on later frames).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "omniinferencepool.h"

#include <string.h>

GST_DEBUG_CATEGORY_STATIC (omni_inference_pool_debug);
#define GST_CAT_DEFAULT omni_inference_pool_debug

typedef struct {
  OmniInferencePool *pool;
  GThread *thread;
  OmniNnSession *session; /* NULL until made */
  gboolean owns_session, ready, busy, failed;
  OmniInferenceJob job;
} Worker;

struct _OmniInferencePool {
  GMutex lock;
  GCond cond;
  Worker *workers;
  guint n_workers;
  gboolean flushing, quit;
  gchar *model, *device, *labels, *embedding_layer;
  OmniNnBackendChoice choice;
  OmniNnLoadFlags flags;
};

/* A session of its own: loaded and warmed up (one run on zeros compiles
 * what is compiled lazily) in the worker's thread. */
static OmniNnSession *
make_session (OmniInferencePool *pool, GError **error)
{
  OmniNnSessionOptions opts
      = { pool->flags, pool->labels, pool->embedding_layer };
  OmniNnSession *s = omni_nn_session_new_with_options (
      pool->model, pool->choice, pool->device, &opts, error);
  const OmniNnGraph *g;
  OmniNnInput in = { 0 };
  gfloat *zeros;
  gboolean ok;

  if (!s)
    return NULL;
  g = omni_nn_session_get_model (s)->graph;
  zeros = g_new0 (gfloat, omni_nn_graph_tensor (g, g->input)->n_elements);
  in.tensor = zeros;
  ok = omni_nn_session_run (s, &in, error);
  g_free (zeros);
  if (!ok)
    g_clear_pointer (&s, omni_nn_session_free);
  return s;
}

/* The frame mapped for reading (its own strides and offsets), made into
 * the model input and run. */
static void
run_job (OmniInferenceJob *job)
{
  OmniNnPreprocessParams pre = job->pre;
  OmniInferenceInput in;
  GstVideoFrame frame;
  gint64 t0 = g_get_monotonic_time ();
  guint i;

  if (!gst_video_frame_map (&frame, &job->info, job->buffer,
          GST_MAP_READ | GST_VIDEO_FRAME_MAP_FLAG_NO_REF)) {
    g_set_error (&job->error, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT,
        "cannot map the frame as its caps say");
    return;
  }
  for (i = 0; i < GST_VIDEO_FRAME_N_PLANES (&frame) && i < 3; i++) {
    pre.strides[i] = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, i);
    pre.offsets[i] = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, i)
                     - (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0);
  }
  if (!omni_inference_input_prepare (&in, &pre,
          GST_VIDEO_FRAME_PLANE_DATA (&frame, 0), NULL,
          omni_nn_session_get_model (job->session)->graph,
          omni_nn_session_get_info (job->session))) {
    g_set_error (
        &job->error, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT, "empty frame");
  } else {
    omni_nn_session_run (job->session, &in.input, &job->error);
    job->placement = in.placement;
    omni_inference_input_clear (&in);
  }
  gst_video_frame_unmap (&frame);
  job->ms = (g_get_monotonic_time () - t0) / 1000.0;
}

static gpointer
worker_main (gpointer data)
{
  Worker *w = data;
  OmniInferencePool *pool = w->pool;

  if (!w->session) {
    GError *err = NULL;
    OmniNnSession *s = make_session (pool, &err);

    g_mutex_lock (&pool->lock);
    w->session = s;
    w->owns_session = TRUE;
    w->ready = s != NULL;
    w->failed = s == NULL;
    g_cond_broadcast (&pool->cond);
    g_mutex_unlock (&pool->lock);
    if (!s) {
      GST_WARNING ("a worker could not make its session: %s", err->message);
      g_error_free (err);
      return NULL;
    }
  }
  g_mutex_lock (&pool->lock);
  while (!pool->quit) {
    if (!w->job.queued) {
      g_cond_wait (&pool->cond, &pool->lock);
      continue;
    }
    w->job.queued = FALSE;
    g_mutex_unlock (&pool->lock);
    run_job (&w->job);
    g_mutex_lock (&pool->lock);
    w->job.done = TRUE;
    g_cond_broadcast (&pool->cond);
  }
  g_mutex_unlock (&pool->lock);
  return NULL;
}

/**
 * omni_inference_pool_new:
 * @first: the element's session (not owned), worker 0's
 * @n_workers: how many inferences may be in flight (>= 1)
 * @model: @choice: @device: @opts: how the element made @first, for the
 *   other workers' sessions
 */
OmniInferencePool *
omni_inference_pool_new (OmniNnSession *first, guint n_workers,
    const gchar *model, OmniNnBackendChoice choice, const gchar *device,
    const OmniNnSessionOptions *opts)
{
  OmniInferencePool *pool = g_new0 (OmniInferencePool, 1);
  guint i;

  GST_DEBUG_CATEGORY_INIT (omni_inference_pool_debug, "omniinferencepool", 0,
      "gst-omni inferences in flight");
  g_mutex_init (&pool->lock);
  g_cond_init (&pool->cond);
  pool->model = g_strdup (model);
  pool->device = g_strdup (device);
  pool->labels = g_strdup (opts->labels);
  pool->embedding_layer = g_strdup (opts->embedding_layer);
  pool->flags = opts->flags;
  pool->choice = choice;
  pool->n_workers = MAX (n_workers, 1);
  pool->workers = g_new0 (Worker, pool->n_workers);
  for (i = 0; i < pool->n_workers; i++) {
    Worker *w = &pool->workers[i];

    w->pool = pool;
    w->session = i == 0 ? first : NULL;
    w->ready = i == 0;
    w->thread = g_thread_new ("omniinference", worker_main, w);
  }
  return pool;
}

/**
 * omni_inference_pool_submit:
 * @buffer: the frame, kept alive by the caller until the job is released
 * @info: its caps
 * @pre: the pre-processing of frames of these caps
 *
 * Returns: (nullable): the job started on an idle worker, or %NULL when
 *   every ready worker is busy (or the pool is flushing)
 */
OmniInferenceJob *
omni_inference_pool_submit (OmniInferencePool *pool, GstBuffer *buffer,
    const GstVideoInfo *info, const OmniNnPreprocessParams *pre)
{
  OmniInferenceJob *job = NULL;
  guint i;

  g_mutex_lock (&pool->lock);
  for (i = 0; i < pool->n_workers && !pool->flushing; i++) {
    Worker *w = &pool->workers[i];

    if (!w->ready || w->busy)
      continue;
    w->busy = TRUE;
    job = &w->job;
    memset (job, 0, sizeof (*job));
    job->buffer = buffer;
    job->session = w->session;
    job->info = *info;
    job->pre = *pre;
    job->queued = TRUE;
    g_cond_broadcast (&pool->cond);
    break;
  }
  g_mutex_unlock (&pool->lock);
  return job;
}

gboolean
omni_inference_pool_is_done (OmniInferencePool *pool, OmniInferenceJob *job)
{
  gboolean done;

  g_mutex_lock (&pool->lock);
  done = job->done;
  g_mutex_unlock (&pool->lock);
  return done;
}

/* Blocks until @job is done: TRUE; FALSE when the pool started flushing
 * first (the job still runs: release it after omni_inference_pool_
 * set_flushing (FALSE), which waits for it). */
gboolean
omni_inference_pool_wait (OmniInferencePool *pool, OmniInferenceJob *job)
{
  gboolean done;

  g_mutex_lock (&pool->lock);
  while (!job->done && !pool->flushing)
    g_cond_wait (&pool->cond, &pool->lock);
  done = job->done;
  g_mutex_unlock (&pool->lock);
  return done;
}

/* The worker is idle again (its outputs may be overwritten): waits for
 * the job to end if it still runs. */
void
omni_inference_pool_release (OmniInferencePool *pool, OmniInferenceJob *job)
{
  guint i;

  g_mutex_lock (&pool->lock);
  while (!job->done)
    g_cond_wait (&pool->cond, &pool->lock);
  g_clear_error (&job->error);
  job->buffer = NULL;
  for (i = 0; i < pool->n_workers; i++)
    if (&pool->workers[i].job == job)
      pool->workers[i].busy = FALSE;
  g_mutex_unlock (&pool->lock);
}

/* While flushing, submit() refuses and wait() returns at once. */
void
omni_inference_pool_set_flushing (OmniInferencePool *pool, gboolean flushing)
{
  g_mutex_lock (&pool->lock);
  pool->flushing = flushing;
  g_cond_broadcast (&pool->cond);
  g_mutex_unlock (&pool->lock);
}

/* Joins the workers (a running job ends first) and frees the sessions the
 * workers made. */
void
omni_inference_pool_free (OmniInferencePool *pool)
{
  guint i;

  g_mutex_lock (&pool->lock);
  pool->quit = TRUE;
  g_cond_broadcast (&pool->cond);
  g_mutex_unlock (&pool->lock);
  for (i = 0; i < pool->n_workers; i++) {
    Worker *w = &pool->workers[i];

    g_thread_join (w->thread);
    g_clear_error (&w->job.error);
    if (w->owns_session)
      g_clear_pointer (&w->session, omni_nn_session_free);
  }
  g_free (pool->workers);
  g_free (pool->model);
  g_free (pool->device);
  g_free (pool->labels);
  g_free (pool->embedding_layer);
  g_mutex_clear (&pool->lock);
  g_cond_clear (&pool->cond);
  g_free (pool);
}
