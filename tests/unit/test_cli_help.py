"""Every command's help prints: the README sends users to `python cli.py COMMAND --help`."""

from __future__ import annotations

import argparse

import pytest

import cli


def commands() -> list[str]:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


def test_top_level_help_lists_every_command(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    names = commands()
    assert len(names) >= 10
    for name in names:
        assert name in out
    assert "90/95/99 % classes" in out  # the percent sign survives argparse's formatting


@pytest.mark.parametrize("name", commands())
def test_command_help(name, capsys):
    assert cli.main([name, "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: cli.py " + name)
