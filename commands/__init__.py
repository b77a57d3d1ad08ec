"""Command modules of ``cli.py`` beyond its own import and data commands.

Each module has ``register(add, engine)``: ``add(name, func, help)`` adds a sub-command and
``engine`` is ``cli.engine`` (the factory of the configured SQLAlchemy engine), passed in so that no
command module imports ``cli`` back:

- :mod:`commands.report` — ``report`` (lägesbild exports) and ``note`` (analysts' notes)
- :mod:`commands.accounts` — ``user``, ``audit`` and ``backup``
"""
