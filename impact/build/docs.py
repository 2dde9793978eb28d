"""Build the ``docs`` layer of the rules table from User Guide pages.

Every resource page becomes ``<out_dir>/<Type>.json``: the page's property
rules, plus the rules of every property-type page reachable through type
links, keyed by page stem.  Pages given as ``extra_pages`` are laid over the
snapshot: a resource page replaces its type's page, a property-type page
replaces the snapshot page of the same stem.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterable

from .docparser import NO_UPDATE_INFO, PageFacts, parse_page
from ..paths import type_filename
from .rulesio import write_json


def build_docs_layer(
    docs_dir: Path,
    out_dir: Path,
    extra_pages: Iterable[Path] = (),
    source: str = "docs-2023-09-19",
) -> dict:
    """Write the layer and return ``{"source", "types", "rules", "pages", "seconds"}``.

    ``docs_dir`` is the snapshot folder or its ``doc_source`` subfolder.
    ``pages`` counts the page files read; ``rules`` counts the rules written.
    """
    started = time.perf_counter()
    docs_dir = Path(docs_dir)
    if (docs_dir / "doc_source").is_dir():
        docs_dir = docs_dir / "doc_source"
    out_dir = Path(out_dir)

    paths = sorted(docs_dir.glob("aws-*.md")) + [Path(p) for p in extra_pages]
    pages: dict[str, PageFacts] = {}  # page stem -> facts; later pages win
    resources: dict[str, PageFacts] = {}  # resource type -> facts of its page
    for path in paths:
        page = parse_page(path.read_text(encoding="utf-8"), path.name)
        pages[path.stem] = page
        if page.resource_type:
            resources[page.resource_type] = page

    tables = {type_name: _table(type_name, page, pages, source) for type_name, page in resources.items()}

    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*.json"):
        if not stale.name.startswith("_"):
            stale.unlink()
    for type_name, table in tables.items():
        write_json(out_dir / type_filename(type_name), table)
    rules = sum(len(t["properties"]) + sum(len(p) for p in t["property_types"].values()) for t in tables.values())
    meta = {"source": source, "types": len(tables), "rules": rules, "pages": len(paths)}
    write_json(out_dir / "_meta.json", meta)
    return {**meta, "seconds": round(time.perf_counter() - started, 3)}


def import_pages(paths: Iterable[Path], out_dir: Path, source: str) -> list:
    """Add a user's own pages (either form) to an overlay folder.

    Each resource page among them becomes ``<out_dir>/<Type>.json``, with the
    property-type pages given beside it; returns the resource types written.
    Raises ValueError when no page names a resource type.
    """
    pages: dict[str, PageFacts] = {}
    resources: dict[str, PageFacts] = {}
    for path in paths:
        page = parse_page(Path(path).read_text(encoding="utf-8"), Path(path).name)
        pages[Path(path).stem] = page
        if page.resource_type:
            resources[page.resource_type] = page
    if not resources:
        raise ValueError("none of the pages is a resource page (no \"Type\" line in its syntax block)")
    for type_name, page in resources.items():
        write_json(Path(out_dir) / type_filename(type_name), _table(type_name, page, pages, source))
    return sorted(resources)


def _table(type_name: str, page: PageFacts, pages: dict, source: str) -> dict:
    """The type's file: its page's rules and those of every page linked below them."""
    properties = _rules(page, pages, source)
    property_types: dict = {}
    pending = [properties]
    while pending:
        for rule in pending.pop().values():
            stem = rule.get("ref")
            if stem and stem not in property_types:
                property_types[stem] = _rules(pages[stem], pages, source)
                pending.append(property_types[stem])
    return {
        "page": page.name,
        "properties": properties,
        "property_types": property_types,
        "source": source,
        "type": type_name,
    }


def _rules(page: PageFacts, pages: dict, source: str) -> dict:
    """The page's rules with their source.  A link is kept only to a page that
    states how its properties update; otherwise (a list or scalar type, the
    shared Tag page) the linking rule covers the whole value."""
    out = {}
    for name, rule in page.properties.items():
        rule = {**rule, "source": f"{source}/{page.name}"}
        ref = rule.get("ref")
        if ref and not (ref in pages and _states_updates(pages[ref])):
            del rule["ref"]
        out[name] = rule
    return out


def _states_updates(page: PageFacts) -> bool:
    return any(rule.get("note") != NO_UPDATE_INFO for rule in page.properties.values())
