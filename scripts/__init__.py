"""The `tttt-kg` command line: thin click commands over the library.

Commands are imported only when they run, so `tttt-kg query` does not pay for pyshacl
or pyvis, and `tttt-kg --help` starts at once. To add a command, write it in a module
of this package and add one line to COMMANDS.
"""
from __future__ import annotations

import importlib

import click

# command name → "module:function" inside tttt_kg.cli
COMMANDS = {
    "build": "core:build",
    "validate": "core:validate",
    "export": "core:export",
    "verify-sources": "core:verify_sources",
    "cite": "core:cite",
    "locate": "core:locate",
    "extract": "extract:extract",
    "queries": "query:queries",
    "query": "query:query",
    "mandate": "query:mandate",
    "diff": "query:diff",
    "timeline": "query:timeline",
    "figures": "query:figures",
    "push": "push:push",
    "synth": "synth:synth",
    "load": "load:load",
    "check": "check:check",
    "serve": "serve:serve",
    "site": "site:site",
    "viz": "viz:viz",
    "figure": "figure:figure",
    "stats": "viz:stats",
}


class LazyGroup(click.Group):
    """A click group that imports each command's module on first use."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)

    def resolve_command(self, ctx, args):
        name = args[0] if args else None
        if name and not name.startswith("-") and name not in COMMANDS:
            import difflib
            near = difflib.get_close_matches(name, COMMANDS, n=3)
            hint = f" Did you mean: {', '.join(near)}?" if near else ""
            ctx.fail(f"No such command '{name}'.{hint} Run `tttt-kg --help` for the list.")
        return super().resolve_command(ctx, args)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tttt-kg")
def main():
    """Knowledge graph of Vietnamese administrative decisions (Sở TTTT Hải Dương, 2004–2019)."""
