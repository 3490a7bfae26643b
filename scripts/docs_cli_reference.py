"""MkDocs hook: the CLI reference page, generated from the typer app at every build.

``docs/cli.md`` holds a marker that this hook replaces with the Markdown typer itself
generates for an application (what ``typer <module> utils docs`` prints), so the page is
the commands' own help text and cannot drift from it.
"""

from __future__ import annotations

from typing import Any

MARKER = "<!-- cli-reference -->"


def cli_reference() -> str:
    """The Markdown reference of every ``cxreports`` command, by typer's docs generator."""
    import typer
    from typer.cli import get_docs_for_click

    from cxreports.cli._app import build_app

    command = typer.main.get_command(build_app())
    ctx = typer.Context(command, info_name="cxreports")
    markdown = get_docs_for_click(obj=command, ctx=ctx, name="cxreports", title="Commands")
    # typer starts at a level-1 heading; the page has its own title, so go one level down.
    return "\n".join("#" + line if line.startswith("#") else line for line in markdown.split("\n"))


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """Put the generated reference where the page asks for it."""
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, cli_reference())
