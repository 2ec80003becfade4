/* gst-omni: the Vulkan compute core of libgstomni-1.0
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __OMNI_VK_H__
#define __OMNI_VK_H__

#include <omni/omni-prelude.h>
#include <omni/vk/omnivkerror.h>
#include <omni/vk/omnivkinstance.h>
#include <omni/vk/omnivkdevice.h>
#include <omni/vk/omnivkbuffer.h>
#include <omni/vk/omnivkpipeline.h>
#include <omni/vk/omnivkdescriptor.h>
#include <omni/vk/omnivkcommand.h>

#endif /* __OMNI_VK_H__ */
