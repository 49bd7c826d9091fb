"""What every benchmark measures the same way: peak memory and percentiles."""

from __future__ import annotations

import sys
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB.

    ``VmHWM`` where /proc exists: Linux keeps ``ru_maxrss`` across fork and exec, so a subprocess of a large parent
    would report the parent's size, while ``VmHWM`` belongs to this process image alone. Elsewhere ``ru_maxrss``
    (kilobytes, bytes on macOS), or NaN on Windows.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows
        return float("nan")
    kilobytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform == "darwin" else 1)
    return kilobytes / 1024


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank ``q`` percentile (0–1) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
