"""The raw baseline the address benchmarks divide by: bare ``usaddress.tag``."""

from __future__ import annotations

import time


def tag_rate(addresses: list[str]) -> float:
    """Addresses per second that ``usaddress.tag`` alone handles."""
    import usaddress

    started = time.perf_counter()
    for address in addresses:
        try:  # noqa: SIM105 - contextlib.suppress would slow the baseline itself
            usaddress.tag(address)
        except usaddress.RepeatedLabelError:
            pass
    return len(addresses) / (time.perf_counter() - started)
