"""Compile the report templates (``reports/*.j2``) ahead of time, so that
no run of impact compiles them (about 40 ms for the comment's): Jinja's
``Environment.compile_templates``, with the options the renderers use, into
``reports/compiled/<text|html>/`` (``*.md.j2`` and ``*.html.j2``), and a manifest naming the Jinja version
and each source's digest.  The renderers load these only while the
manifest matches (``impact.render.jinja.environment``); a test checks that
the shipped compiled templates are what compiling the sources gives.

    python -m impact.build.templates [FOLDER]
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from ..paths import reports_dir
from ..render import jinja


def compile_templates(target: Path | None = None, sources: Path | None = None) -> Path:
    """Compile every template of ``sources`` (the shipped ``reports/``) into
    ``target`` (default: its ``compiled/`` folder), replacing what is there."""
    import jinja2

    sources = Path(sources or reports_dir())
    target = Path(target or sources / jinja.COMPILED)
    if target.exists():
        shutil.rmtree(target)
    for autoescape in (False, True):
        # Markdown is rendered without HTML escaping, the HTML page with it (impact.render's modules).
        names = sorted(p.name for p in sources.glob("*.html.j2" if autoescape else "*.md.j2"))
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(sources)), **jinja.settings(autoescape))
        env.filters.update(jinja.FILTERS)
        env.compile_templates(str(target / jinja.flavour(autoescape)), zip=None, filter_func=names.__contains__,
                              ignore_errors=False)
    manifest = {"jinja2": jinja2.__version__, "sources": jinja.source_digests(sources)}
    (target / jinja.MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return target


if __name__ == "__main__":
    print(compile_templates(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
