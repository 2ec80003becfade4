/* gst-omni: the host audio libraries' own messages into GStreamer's log
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_PORTAUDIO_HOST_LOG_H__
#define __GST_PORTAUDIO_HOST_LOG_H__

#include <glib.h>

G_BEGIN_DECLS

void gst_portaudio_host_log_install (void);

G_END_DECLS

#endif /* __GST_PORTAUDIO_HOST_LOG_H__ */
