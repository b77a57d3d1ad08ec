"""What tests and benchmarks share (issue 15): seeded synthetic frames in the store's shapes.

Rank 9 in ``tests/unit/test_architecture.py``: it may import the product, the product never
imports it (a test checks).
"""
