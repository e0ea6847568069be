"""Benchmarks of the rota engine against peers (not a test package; pytest collects tests/ only).

Modules: ``vrptw`` (Solomon instances in integer tenths and the shared solution checker),
``peers`` (OR-Tools routing, PyVRP, VROOM behind one signature), ``ours`` (the adapter to this
project's engine) and ``solomon`` (the runner: ``python -m benchmarks.solomon --help``).
See ``benchmarks/README.md`` for the protocol.
"""
