# gst-omni: the checks of the Python pipeline tests. Each check prints an
# "ok" or "FAILED" line; finish() prints the closing "N passed, N failed"
# line and exits non-zero on any failure (or when nothing was checked).
# SPDX-License-Identifier: LGPL-2.1-or-later

import sys

passed = failed = 0


def check(ok, what, detail=''):
    global passed, failed
    if ok:
        passed += 1
        print('ok     %s' % what)
    else:
        failed += 1
        print('FAILED %s %s' % (what, detail))
    sys.stdout.flush()
    return ok


def crashed():
    """The test itself raised: a failure, with its traceback."""
    import traceback
    global failed
    traceback.print_exc()
    failed += 1


def finish():
    print('%d passed, %d failed' % (passed, failed))
    sys.exit(1 if failed or not passed else 0)
