"""The one way HTML is made from templates: the site's pages and the kit's sheets.

Every printed value goes through ``printable`` (no control characters, which
HTML refuses; markup stays markup), escaping is on, and a missing name in a
template is an error rather than an empty cell."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from visitplan.text import clean


def printable(value: object) -> object:
    """A printed value without control characters; markup stays markup."""
    if isinstance(value, Markup):
        return Markup(clean(value))
    if isinstance(value, str):
        return clean(value)
    return value


def html_environment(templates: Path) -> Environment:
    """A jinja environment for the templates in ``templates``."""
    return Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=True,
        finalize=printable,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
