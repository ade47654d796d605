"""The machine a measurement ran on, as the results files record it: one description for every results file."""

import os
import platform
from pathlib import Path


def cpu_model():
    """The CPU's model name (Linux), else what the platform module knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def describe():
    """``"Linux x86_64, <CPU model>, 2 CPU cores"``: callers append what else their results depend on."""
    return f"{platform.system()} {platform.machine()}, {cpu_model()}, {os.cpu_count()} CPU cores"
