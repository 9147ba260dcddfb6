"""The production settings, plus the benchmark's own URLs (a trivial view for the ceiling).

The trivial view only exists when VERBATIM_BENCH_VIEWS=1: without it this module is exactly
``archive.settings``.
"""

import os

from archive.settings import *  # noqa: F403

if os.environ.get("VERBATIM_BENCH_VIEWS") == "1":
    ROOT_URLCONF = "bench.urls"
