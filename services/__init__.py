"""Compositions of store reads and pure functions, shared by callbacks, CLI and reports.

Arrows: callbacks/cli/reports → services → (layers, indicators) + store → geodata.
"""
