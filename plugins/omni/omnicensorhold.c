/* gst-omni: omnicensor's hold: one stream's delay line
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A sink pad, a queue and a source pad with its own task, as in
 * GStreamer's queue element: buffers and serialized events enter on the
 * upstream thread, which only blocks when the hold is full; the task
 * releases the head when the owner says the verdicts cover it (judged),
 * or, live, when the clock reaches its running time + delay, and pushes
 * what the owner's censor function made of it. Running times are computed
 * on entry, with the segment the buffer came in.
 */
#include "omnicensorhold.h"

#include <gst/video/gstvideometa.h>
#include <omni/meta/omnisamplemeta.h>

GST_DEBUG_CATEGORY_EXTERN (gst_omni_censor_debug);
#define GST_CAT_DEFAULT gst_omni_censor_debug

/* boxes of an analysed frame are kept for frames that were not analysed
 * for at most this long */
#define BOX_HOLD_NS (GST_SECOND)

typedef struct {
  GstMiniObject *obj;
  GstClockTime start, end; /* running time; NONE for events */
} HoldItem;

/* A box of an analysed frame, with its track. */
typedef struct {
  OmniCensorBox box;
  guint track_id;
  GQuark label;
} TrackedBox;

struct _OmniCensorHold {
  GstElement *element;
  gboolean video;
  GstPad *sinkpad, *srcpad;
  GMutex *lock;
  GCond *cond;
  const OmniCensorHoldFuncs *funcs;
  gpointer user_data;

  GQueue items;            /* HoldItem */
  GstSegment segment;      /* of the sink side */
  GstAudioInfo sink_ainfo; /* for buffers without a duration */
  gboolean flushing;
  GstFlowReturn srcresult;
  GstClockTime delay, released_end;
  gint live;          /* -1: not known yet */
  GstVideoInfo vinfo; /* of the source side */
  GstAudioInfo ainfo;
  GArray *last_boxes; /* TrackedBox of the last analysed frame released */
  GstClockTime last_boxes_time;
};

static void
item_free (HoldItem *item)
{
  gst_mini_object_unref (item->obj);
  g_free (item);
}

static void
clear_items (OmniCensorHold *hold)
{
  g_queue_clear_full (&hold->items, (GDestroyNotify) item_free);
  hold->released_end = GST_CLOCK_TIME_NONE;
  g_array_set_size (hold->last_boxes, 0);
  hold->last_boxes_time = GST_CLOCK_TIME_NONE;
}

/* ---- entry (upstream thread) ---- */

static gboolean
is_live (OmniCensorHold *hold)
{
  GstQuery *q = gst_query_new_latency ();
  gboolean live = FALSE;

  if (gst_pad_peer_query (hold->sinkpad, q))
    gst_query_parse_latency (q, &live, NULL, NULL);
  gst_query_unref (q);
  return live;
}

static GstClockTime
held_duration (OmniCensorHold *hold)
{
  HoldItem *head = g_queue_peek_head (&hold->items);
  HoldItem *tail = g_queue_peek_tail (&hold->items);

  if (!head || !tail || !GST_CLOCK_TIME_IS_VALID (head->start)
      || !GST_CLOCK_TIME_IS_VALID (tail->end) || tail->end < head->start)
    return 0;
  return tail->end - head->start;
}

/* Non-live, the hold keeps at most the delay of media; live, the clock
 * releases it and the bound (delay + 1 s) only guards against a stalled
 * downstream. */
static gboolean
full (OmniCensorHold *hold)
{
  GstClockTime bound = hold->delay + (hold->live == 1 ? GST_SECOND : 0);

  return hold->items.length > 1 && held_duration (hold) > bound;
}

static void
buffer_times (OmniCensorHold *hold, GstBuffer *buf, GstClockTime *start,
    GstClockTime *end)
{
  GstClockTime pts = GST_BUFFER_PTS (buf), dur = GST_BUFFER_DURATION (buf);

  if (!GST_CLOCK_TIME_IS_VALID (dur) && !hold->video
      && GST_AUDIO_INFO_RATE (&hold->sink_ainfo) > 0)
    dur = gst_util_uint64_scale_int (
        gst_buffer_get_size (buf) / GST_AUDIO_INFO_BPF (&hold->sink_ainfo),
        GST_SECOND, GST_AUDIO_INFO_RATE (&hold->sink_ainfo));
  *start = gst_segment_to_running_time (&hold->segment, GST_FORMAT_TIME, pts);
  *end = GST_CLOCK_TIME_IS_VALID (pts) && GST_CLOCK_TIME_IS_VALID (dur)
             ? gst_segment_to_running_time (
                 &hold->segment, GST_FORMAT_TIME, pts + dur)
             : *start;
  if (hold->segment.rate < 0.0 && GST_CLOCK_TIME_IS_VALID (*end)) {
    GstClockTime t = *start;
    *start = *end;
    *end = t;
  }
}

/* Queues @obj; returns the source side's last flow return. */
static GstFlowReturn
enqueue (OmniCensorHold *hold, GstMiniObject *obj, GstClockTime start,
    GstClockTime end)
{
  HoldItem *item;
  GstFlowReturn ret;

  g_mutex_lock (hold->lock);
  while (!hold->flushing && full (hold))
    g_cond_wait (hold->cond, hold->lock);
  if (hold->flushing) {
    ret = hold->srcresult;
    g_mutex_unlock (hold->lock);
    gst_mini_object_unref (obj);
    return ret;
  }
  item = g_new (HoldItem, 1);
  item->obj = obj;
  item->start = start;
  item->end = end;
  g_queue_push_tail (&hold->items, item);
  g_cond_broadcast (hold->cond);
  ret = hold->srcresult;
  g_mutex_unlock (hold->lock);
  return ret;
}

static GstFlowReturn
hold_chain (GstPad *pad, GstObject *parent, GstBuffer *buf)
{
  OmniCensorHold *hold = gst_pad_get_element_private (pad);
  GstClockTime start, end;

  if (hold->live < 0)
    hold->live = is_live (hold) ? 1 : 0;
  buffer_times (hold, buf, &start, &end);
  return enqueue (hold, GST_MINI_OBJECT_CAST (buf), start, end);
}

static void
flush_start (OmniCensorHold *hold, GstEvent *event)
{
  g_mutex_lock (hold->lock);
  hold->flushing = TRUE;
  hold->srcresult = GST_FLOW_FLUSHING;
  g_cond_broadcast (hold->cond);
  g_mutex_unlock (hold->lock);
  gst_pad_push_event (hold->srcpad, event);
  gst_pad_pause_task (hold->srcpad);
}

static void hold_loop (gpointer data);

/* As GStreamer's queue on FLUSH_STOP: sticky events that did not leave yet
 * (stream-start, caps, tags) stay, everything else goes. */
static void
drop_all_but_sticky (OmniCensorHold *hold)
{
  GQueue keep = G_QUEUE_INIT;
  HoldItem *item;

  while ((item = g_queue_pop_head (&hold->items))) {
    if (GST_IS_EVENT (item->obj) && GST_EVENT_IS_STICKY (item->obj)
        && GST_EVENT_TYPE (item->obj) != GST_EVENT_SEGMENT
        && GST_EVENT_TYPE (item->obj) != GST_EVENT_EOS)
      g_queue_push_tail (&keep, item);
    else
      item_free (item);
  }
  clear_items (hold);
  hold->items = keep;
}

static void
flush_stop (OmniCensorHold *hold, GstEvent *event)
{
  g_mutex_lock (hold->lock);
  drop_all_but_sticky (hold);
  gst_segment_init (&hold->segment, GST_FORMAT_TIME);
  hold->flushing = FALSE;
  hold->srcresult = GST_FLOW_OK;
  g_mutex_unlock (hold->lock);
  gst_pad_push_event (hold->srcpad, event);
  gst_pad_start_task (hold->srcpad, hold_loop, hold, NULL);
}

static gboolean
hold_sink_event (GstPad *pad, GstObject *parent, GstEvent *event)
{
  OmniCensorHold *hold = gst_pad_get_element_private (pad);

  switch (GST_EVENT_TYPE (event)) {
  case GST_EVENT_FLUSH_START:
    flush_start (hold, event);
    return TRUE;
  case GST_EVENT_FLUSH_STOP:
    flush_stop (hold, event);
    return TRUE;
  case GST_EVENT_SEGMENT:
    gst_event_copy_segment (event, &hold->segment);
    if (hold->segment.format != GST_FORMAT_TIME) {
      GST_ELEMENT_ERROR (hold->element, STREAM, FORMAT,
          ("omnicensor needs time segments"),
          ("%s got a %s segment", GST_PAD_NAME (pad),
              gst_format_get_name (hold->segment.format)));
      gst_event_unref (event);
      return FALSE;
    }
    break;
  case GST_EVENT_CAPS:
    if (!hold->video) {
      GstCaps *caps;
      gst_event_parse_caps (event, &caps);
      gst_audio_info_from_caps (&hold->sink_ainfo, caps);
    }
    break;
  default:
    break;
  }
  if (!GST_EVENT_IS_SERIALIZED (event))
    return gst_pad_push_event (hold->srcpad, event);
  return enqueue (hold, GST_MINI_OBJECT_CAST (event), GST_CLOCK_TIME_NONE,
             GST_CLOCK_TIME_NONE)
         != GST_FLOW_FLUSHING;
}

/* ---- release (the source pad's task) ---- */

/* Live: whether the clock passed @item's start + delay; else, in *wait_us,
 * how long until it does (capped, so that changes are seen). */
static gboolean
deadline_passed (OmniCensorHold *hold, HoldItem *item, gint64 *wait_us)
{
  GstClock *clock;
  GstClockTime now, due;

  *wait_us = -1;
  if (hold->live != 1)
    return FALSE;
  if (!GST_CLOCK_TIME_IS_VALID (item->start))
    return TRUE;
  clock = gst_element_get_clock (hold->element);
  if (clock == NULL) {
    *wait_us = 20000;
    return FALSE;
  }
  now = gst_clock_get_time (clock);
  gst_object_unref (clock);
  due = gst_element_get_base_time (hold->element) + item->start + hold->delay;
  if (now >= due)
    return TRUE;
  *wait_us = MIN ((gint64) ((due - now) / 1000), 100000);
  return FALSE;
}

static void
forward_event (OmniCensorHold *hold, GstEvent *event)
{
  if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS) {
    GstCaps *caps;
    gst_event_parse_caps (event, &caps);
    g_mutex_lock (hold->lock);
    if (hold->video)
      gst_video_info_from_caps (&hold->vinfo, caps);
    else
      gst_audio_info_from_caps (&hold->ainfo, caps);
    g_mutex_unlock (hold->lock);
  }
  gst_pad_push_event (hold->srcpad, event);
}

static void
push_failed (OmniCensorHold *hold, GstFlowReturn ret)
{
  if (ret == GST_FLOW_NOT_LINKED || ret < GST_FLOW_EOS) {
    GST_ELEMENT_FLOW_ERROR (hold->element, ret);
    gst_pad_push_event (hold->srcpad, gst_event_new_eos ());
  }
  gst_pad_pause_task (hold->srcpad);
}

/* Releases the head; called and returns with the lock held. */
static void
release_head (OmniCensorHold *hold, gboolean judged)
{
  HoldItem *item = g_queue_pop_head (&hold->items);
  GstBuffer *buf = GST_BUFFER_CAST (item->obj);
  GstFlowReturn ret;

  buf = hold->funcs->censor (
      hold, buf, item->start, item->end, judged, hold->user_data);
  if (GST_CLOCK_TIME_IS_VALID (item->end))
    hold->released_end = item->end;
  g_free (item);
  g_cond_broadcast (hold->cond);
  g_mutex_unlock (hold->lock);
  ret = gst_pad_push (hold->srcpad, buf);
  g_mutex_lock (hold->lock);
  if (ret != GST_FLOW_OK && !hold->flushing) {
    hold->srcresult = ret;
    g_mutex_unlock (hold->lock);
    push_failed (hold, ret);
    g_mutex_lock (hold->lock);
  }
}

static void
hold_loop (gpointer data)
{
  OmniCensorHold *hold = data;
  HoldItem *item;
  gint64 wait_us;
  gboolean judged;

  g_mutex_lock (hold->lock);
  while (!hold->flushing && hold->srcresult == GST_FLOW_OK) {
    item = g_queue_peek_head (&hold->items);
    if (item == NULL) {
      g_cond_wait (hold->cond, hold->lock);
      continue;
    }
    if (GST_IS_EVENT (item->obj)) {
      GstEvent *event = GST_EVENT_CAST (item->obj);
      g_free (g_queue_pop_head (&hold->items));
      g_cond_broadcast (hold->cond);
      g_mutex_unlock (hold->lock);
      forward_event (hold, event);
      g_mutex_lock (hold->lock);
      continue;
    }
    judged = hold->funcs->judged (hold, item->end, hold->user_data);
    if (judged || deadline_passed (hold, item, &wait_us))
      release_head (hold, judged);
    else if (wait_us >= 0)
      g_cond_wait_until (
          hold->cond, hold->lock, g_get_monotonic_time () + wait_us);
    else
      g_cond_wait (hold->cond, hold->lock);
  }
  g_mutex_unlock (hold->lock);
  if (hold->flushing)
    gst_pad_pause_task (hold->srcpad);
}

/* ---- pads ---- */

static gboolean
hold_src_query (GstPad *pad, GstObject *parent, GstQuery *query)
{
  OmniCensorHold *hold = gst_pad_get_element_private (pad);
  GstClockTime min, max, delay;
  gboolean live;

  if (GST_QUERY_TYPE (query) != GST_QUERY_LATENCY)
    return gst_pad_query_default (pad, parent, query);
  if (!gst_pad_peer_query (hold->sinkpad, query))
    return FALSE;
  gst_query_parse_latency (query, &live, &min, &max);
  g_mutex_lock (hold->lock);
  delay = hold->delay;
  hold->live = live ? 1 : 0;
  g_mutex_unlock (hold->lock);
  if (live) {
    min += delay;
    if (GST_CLOCK_TIME_IS_VALID (max))
      max += delay;
  }
  gst_query_set_latency (query, live, min, max);
  return TRUE;
}

static GstIterator *
hold_internal_links (GstPad *pad, GstObject *parent)
{
  OmniCensorHold *hold = gst_pad_get_element_private (pad);
  GValue v = G_VALUE_INIT;
  GstIterator *it;

  g_value_init (&v, GST_TYPE_PAD);
  g_value_set_object (&v, pad == hold->srcpad ? hold->sinkpad : hold->srcpad);
  it = gst_iterator_new_single (GST_TYPE_PAD, &v);
  g_value_unset (&v);
  return it;
}

static gboolean
hold_src_activate (
    GstPad *pad, GstObject *parent, GstPadMode mode, gboolean active)
{
  OmniCensorHold *hold = gst_pad_get_element_private (pad);

  if (mode != GST_PAD_MODE_PUSH)
    return FALSE;
  g_mutex_lock (hold->lock);
  hold->flushing = !active;
  hold->srcresult = active ? GST_FLOW_OK : GST_FLOW_FLUSHING;
  if (active) {
    gst_segment_init (&hold->segment, GST_FORMAT_TIME);
    hold->live = -1;
  }
  g_cond_broadcast (hold->cond);
  g_mutex_unlock (hold->lock);
  if (active)
    return gst_pad_start_task (pad, hold_loop, hold, NULL);
  gst_pad_stop_task (pad);
  g_mutex_lock (hold->lock);
  clear_items (hold);
  g_mutex_unlock (hold->lock);
  return TRUE;
}

static gboolean
hold_sink_activate (
    GstPad *pad, GstObject *parent, GstPadMode mode, gboolean active)
{
  OmniCensorHold *hold = gst_pad_get_element_private (pad);

  if (!active) {
    g_mutex_lock (hold->lock);
    hold->flushing = TRUE;
    hold->srcresult = GST_FLOW_FLUSHING;
    g_cond_broadcast (hold->cond);
    g_mutex_unlock (hold->lock);
  }
  return mode == GST_PAD_MODE_PUSH;
}

OmniCensorHold *
omni_censor_hold_new (GstElement *element, gboolean video, GstPad *sinkpad,
    GstPad *srcpad, GMutex *lock, GCond *cond, const OmniCensorHoldFuncs *funcs,
    gpointer user_data)
{
  OmniCensorHold *hold = g_new0 (OmniCensorHold, 1);

  hold->element = element;
  hold->video = video;
  hold->sinkpad = sinkpad;
  hold->srcpad = srcpad;
  hold->lock = lock;
  hold->cond = cond;
  hold->funcs = funcs;
  hold->user_data = user_data;
  hold->flushing = TRUE;
  hold->srcresult = GST_FLOW_FLUSHING;
  hold->live = -1;
  hold->released_end = hold->last_boxes_time = GST_CLOCK_TIME_NONE;
  hold->last_boxes = g_array_new (FALSE, FALSE, sizeof (TrackedBox));
  g_queue_init (&hold->items);
  gst_segment_init (&hold->segment, GST_FORMAT_TIME);
  gst_video_info_init (&hold->vinfo);
  gst_audio_info_init (&hold->ainfo);
  gst_audio_info_init (&hold->sink_ainfo);

  gst_pad_set_element_private (sinkpad, hold);
  gst_pad_set_element_private (srcpad, hold);
  gst_pad_set_chain_function (sinkpad, hold_chain);
  gst_pad_set_event_function (sinkpad, hold_sink_event);
  gst_pad_set_activatemode_function (sinkpad, hold_sink_activate);
  gst_pad_set_iterate_internal_links_function (sinkpad, hold_internal_links);
  GST_PAD_SET_PROXY_CAPS (sinkpad);
  GST_PAD_SET_PROXY_ALLOCATION (sinkpad);
  gst_pad_set_query_function (srcpad, hold_src_query);
  gst_pad_set_activatemode_function (srcpad, hold_src_activate);
  gst_pad_set_iterate_internal_links_function (srcpad, hold_internal_links);
  GST_PAD_SET_PROXY_CAPS (srcpad);
  gst_element_add_pad (element, sinkpad);
  gst_element_add_pad (element, srcpad);
  return hold;
}

void
omni_censor_hold_free (OmniCensorHold *hold)
{
  clear_items (hold);
  g_array_unref (hold->last_boxes);
  g_free (hold);
}

void
omni_censor_hold_set_delay (OmniCensorHold *hold, GstClockTime delay)
{
  hold->delay = delay;
  g_cond_broadcast (hold->cond);
}

GstClockTime
omni_censor_hold_released_end (OmniCensorHold *hold)
{
  return hold->released_end;
}

const GstVideoInfo *
omni_censor_hold_video_info (OmniCensorHold *hold)
{
  return &hold->vinfo;
}

const GstAudioInfo *
omni_censor_hold_audio_info (OmniCensorHold *hold)
{
  return &hold->ainfo;
}

/* ---- regions: boxes, interpolated between analysed frames ---- */

static guint
roi_track_id (GstVideoRegionOfInterestMeta *roi)
{
  GstStructure *s
      = gst_video_region_of_interest_meta_get_param (roi, "detection");
  guint id = 0;

  if (s)
    gst_structure_get_uint (s, "track-id", &id);
  return id;
}

/* The wanted boxes of an analysed frame (one with boxes, or one
 * omnisampler marked); FALSE for a frame that was not analysed. */
static gboolean
analysed_boxes (GstBuffer *buf, OmniCensorLabelFilter wanted,
    gpointer user_data, GArray *out)
{
  gpointer state = NULL;
  GstMeta *meta;
  gboolean analysed = omni_buffer_get_sample_meta (buf) != NULL;

  while ((meta = gst_buffer_iterate_meta_filtered (
              buf, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstVideoRegionOfInterestMeta *roi = (GstVideoRegionOfInterestMeta *) meta;
    TrackedBox b = { { roi->x, roi->y, roi->w, roi->h }, roi_track_id (roi),
      roi->roi_type };
    analysed = TRUE;
    if (wanted (user_data, roi->roi_type))
      g_array_append_val (out, b);
  }
  return analysed;
}

static gint
lerp (gint a, gint b, gdouble f)
{
  return (gint) (a + (b - a) * f + 0.5);
}

/* Boxes at @t from the last analysed frame (at hold->last_boxes_time)
 * and the next one (@next at @next_t, may be NULL): tracked boxes found in
 * both move linearly, the others stay where they were last seen. */
static void
interpolate (OmniCensorHold *hold, GstClockTime t, GArray *next,
    GstClockTime next_t, GArray *out)
{
  guint i, j;

  for (i = 0; i < hold->last_boxes->len; i++) {
    TrackedBox *a = &g_array_index (hold->last_boxes, TrackedBox, i);
    OmniCensorBox box = a->box;
    for (j = 0; next && a->track_id && j < next->len; j++) {
      TrackedBox *b = &g_array_index (next, TrackedBox, j);
      if (b->track_id == a->track_id && b->label == a->label
          && next_t > hold->last_boxes_time) {
        gdouble f = (gdouble) (t - hold->last_boxes_time)
                    / (next_t - hold->last_boxes_time);
        box.x = lerp (a->box.x, b->box.x, f);
        box.y = lerp (a->box.y, b->box.y, f);
        box.w = lerp (a->box.w, b->box.w, f);
        box.h = lerp (a->box.h, b->box.h, f);
        break;
      }
    }
    g_array_append_val (out, box);
  }
}

/* The next analysed frame still held, into @next; its time or NONE. */
static GstClockTime
next_analysed (OmniCensorHold *hold, OmniCensorLabelFilter wanted,
    gpointer user_data, GArray *next)
{
  GList *l;

  for (l = hold->items.head; l; l = l->next) {
    HoldItem *item = l->data;
    if (GST_IS_BUFFER (item->obj)
        && analysed_boxes (
            GST_BUFFER_CAST (item->obj), wanted, user_data, next))
      return item->start;
  }
  return GST_CLOCK_TIME_NONE;
}

/**
 * omni_censor_hold_boxes:
 * @buf: the buffer being released, at @running_time
 * @out: (element-type OmniCensorBox): receives the boxes to censor
 *
 * The boxes of @buf whose label @wanted accepts; for a frame that was not
 * analysed, the boxes of the analysed frames around it, interpolated by
 * track id (held ones look ahead into what the hold still keeps).
 */
void
omni_censor_hold_boxes (OmniCensorHold *hold, GstBuffer *buf,
    GstClockTime running_time, OmniCensorLabelFilter wanted, gpointer user_data,
    GArray *out)
{
  GArray *mine = g_array_new (FALSE, FALSE, sizeof (TrackedBox));
  GArray *next = g_array_new (FALSE, FALSE, sizeof (TrackedBox));
  GstClockTime next_t;
  guint i;

  if (analysed_boxes (buf, wanted, user_data, mine)) {
    g_array_set_size (hold->last_boxes, 0);
    g_array_append_vals (hold->last_boxes, mine->data, mine->len);
    hold->last_boxes_time = running_time;
    for (i = 0; i < mine->len; i++)
      g_array_append_val (out, g_array_index (mine, TrackedBox, i).box);
  } else if (GST_CLOCK_TIME_IS_VALID (hold->last_boxes_time)
             && GST_CLOCK_TIME_IS_VALID (running_time)
             && running_time >= hold->last_boxes_time
             && running_time - hold->last_boxes_time <= BOX_HOLD_NS) {
    next_t = next_analysed (hold, wanted, user_data, next);
    interpolate (hold, running_time,
        GST_CLOCK_TIME_IS_VALID (next_t) ? next : NULL, next_t, out);
  }
  g_array_unref (mine);
  g_array_unref (next);
}
