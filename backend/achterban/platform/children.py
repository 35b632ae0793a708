"""A child process (an import's parser) that ends with its parent, however the parent ends.

Apart from ``jobs`` so that such a child imports nothing it does not need: it starts in a
tenth of a second instead of a third.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time


def die_with_parent(parent_pid: int) -> None:
    """In a child process (an import's parser): end when ``parent_pid`` ends, even by kill -9.

    Linux delivers SIGKILL at the parent's death (``PR_SET_PDEATHSIG``); elsewhere, and
    as a second line, a thread notices that the parent is gone.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - an unusual libc
            pass
    if os.getppid() != parent_pid:  # the parent died before we could ask
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
