"""Benchmarks: request cost at two data sizes, against a bare route, throughput, bank build and import.

Not tests: nothing here asserts a time. Run them all with one command (see
docs/BENCHMARKS.md)::

    .venv/bin/python -m benchmarks.run --quick    # a few minutes
    .venv/bin/python -m benchmarks.run            # the full run, 1,000,000 reviews
"""
