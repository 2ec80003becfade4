/* gst-omni: an ALSA PCM hook that makes a PCM exclusive, for the fake sound
 * card of the portaudio tests (portaudiofake.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A kernel sound card's PCM can be opened once: a second snd_pcm_open fails
 * with EBUSY until the first handle is closed. None of alsa-lib's plugins
 * that need no hardware behaves so (`share` does refuse a second client with
 * EBUSY, but alsa-lib 1.2.8 then writes to freed memory when the first one
 * closes), so the test configuration wraps a PCM in alsa-lib's `hooks` plugin
 * with this hook:
 *
 *   pcm_hook_type.omnitest_exclusive {
 *     lib "<build>/gst-tests/elements/libomnitest-alsa-exclusive.so"
 *     install "omnitest_exclusive_install"
 *   }
 *   pcm.NAME {
 *     type hooks
 *     slave.pcm { ... }
 *     hooks.0 { type omnitest_exclusive hook_args.lock "<lock file>" }
 *   }
 *
 * alsa-lib calls the install function while it opens the PCM; it takes an
 * exclusive flock(2) on the lock file, or fails the open with -EBUSY if
 * another open handle (in this process or another) holds it. The lock is
 * released by the PCM's close hook.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/file.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

/* what alsa-lib looks up (the project builds with -fvisibility=hidden) */
#pragma GCC visibility push(default)
int omnitest_exclusive_install (snd_pcm_t *pcm, snd_config_t *args);
SND_DLSYM_BUILD_VERSION (omnitest_exclusive_install, SND_PCM_DLSYM_VERSION);
#pragma GCC visibility pop

static int
release_lock (snd_pcm_hook_t *hook)
{
  int fd = (int) (intptr_t) snd_pcm_hook_get_private (hook);

  /* closing the descriptor releases the lock */
  close (fd);
  return 0;
}

int
omnitest_exclusive_install (snd_pcm_t *pcm, snd_config_t *args)
{
  snd_pcm_hook_t *hook;
  snd_config_t *lock;
  const char *path;
  int fd, err;

  if (args == NULL || snd_config_search (args, "lock", &lock) < 0
      || snd_config_get_string (lock, &path) < 0) {
    SNDERR ("omnitest_exclusive: hook_args.lock must be a file's path");
    return -EINVAL;
  }
  fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return -errno;
  if (flock (fd, LOCK_EX | LOCK_NB) < 0) {
    err = errno == EWOULDBLOCK ? -EBUSY : -errno;
    close (fd);
    return err;
  }
  err = snd_pcm_hook_add (&hook, pcm, SND_PCM_HOOK_TYPE_CLOSE, release_lock,
      (void *) (intptr_t) fd);
  if (err < 0) {
    close (fd);
    return err;
  }
  return 0;
}
