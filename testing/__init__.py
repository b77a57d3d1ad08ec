"""What tests and benchmarks share (issue 15).

- :mod:`testing.synthetic`: seeded synthetic frames in the store's shapes
- :mod:`testing.harness`: drive the app in tests and bench (settings per block, a store copy, log
  in, a keep-alive HTTP client, replay Dash callbacks, start and stop a server process)
- :mod:`testing.disclosure_audit`: the linear-programming audit of what the kommun tier publishes

Rank 9 in ``tests/unit/test_architecture.py``: it may import the product, the product never
imports it (a test checks).
"""
