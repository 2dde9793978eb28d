"""``impact rules``: build the table, show a rule, import a user's own pages."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import List, Optional

import typer

from .app import UsageError, rules_app


@rules_app.command("build", short_help="Regenerate the rules table from the docs and the schemas.")
def rules_build(
    docs_dir: Path = typer.Argument(..., help="The cfn-docs folder (or its doc_source)."),
    page: List[Path] = typer.Option([], "--page", help="A doc page (markdown or HTML) merged over the snapshot."),
    out: Optional[Path] = typer.Option(None, "--out", help="The rules folder to write (default: the bundled one)."),
    docs_only: bool = typer.Option(False, "--docs-only", help="Leave the schema layer as it is."),
):
    """Regenerate the rules table: the docs layer from DOCS_DIR, the schema layer from the installed cfn-lint."""
    from ..build.docs import build_docs_layer
    from ..build.schema import BuildError, build_schema_layer, compare_layers
    from ..classify.rules import REVIEWED
    from ..paths import rules_dir

    if not docs_dir.is_dir():
        raise UsageError(f"{docs_dir}: not a folder")
    for p in page:
        if not p.is_file():
            raise UsageError(f"{p}: no such file")
    target = out or rules_dir()
    docs = build_docs_layer(docs_dir, target / "docs", list(page))
    typer.echo(f"docs:   {docs['types']} resource types, {docs['rules']} rules from {docs['pages']} pages ({docs['seconds']:.1f} s)")
    if docs_only:
        return
    try:
        schema = build_schema_layer(target / "schema")
    except BuildError as e:
        raise UsageError(f"{e} (install the build extra: pip install -e '.[build]' in a clone of impact, or use --docs-only)") from None
    typer.echo(
        f"schema: {schema['types']} resource types, {schema['rules']} rules from cfn-lint {schema['cfn_lint']}, "
        f"schemas of {schema['schema_date']} ({schema['seconds']:.1f} s)"
    )
    both = compare_layers(target / "docs", target / "schema")
    typer.echo(f"the layers disagree on {both['disagree']} of {both['compared']} rules they share; decided by:")
    branches: dict = {}
    for (branch, _, _, decided), n in both["by_branch"].items():
        name = f"{branch}: {decided}" if branch == REVIEWED else branch  # each review's label counted apart
        branches[name] = branches.get(name, 0) + n
    for branch, n in sorted(branches.items(), key=lambda kv: (-kv[1], kv[0])):
        typer.echo(f"  {n:>6}  {branch}")
    for type_name, ptr in both["stale"]:
        typer.echo(f"layers.json: {type_name} {ptr} settles nothing: the layers no longer disagree there")
    _build_permissions(target)


def _build_permissions(target: Path) -> None:
    """``policies.json`` from the registry schemas and ``iam/`` from the IAM service reference."""
    from ..build.iam import BuildError, build_iam_catalogue, build_policy_locations
    from ..build.schema import find_schema_dir
    from ..paths import rules_dir

    folder, _, date = find_schema_dir()
    overlay = target / "policies_overlay.json"
    if not overlay.is_file():
        overlay = rules_dir() / "policies_overlay.json"
    policies = build_policy_locations(target / "policies.json", folder, "schema-" + date[:10], overlay)
    typer.echo(f"policies: {policies['properties']} policy properties in {policies['types']} resource types")
    try:
        catalogue = build_iam_catalogue(target / "iam")
    except BuildError as e:
        raise UsageError(f"{e} (or use --docs-only)") from None
    typer.echo(
        f"iam:    {catalogue['actions']} actions of {catalogue['services']} services from {catalogue['package']} "
        f"{catalogue['version']}, data of {catalogue['updated_at'][:10]} ({catalogue['seconds']:.1f} s)"
    )


def _resolve_path(path: str) -> tuple:
    """``InstanceType``, ``/Properties/InstanceType`` or ``/A/B`` -> ("A", "B")."""
    from ..classify.rules import rule_keys

    parts = [p for p in path.strip("/").split("/") if p]
    if parts and parts[0] == "Properties":
        parts = parts[1:]
    return rule_keys(tuple(p for p in parts if not p.isdigit()))


@rules_app.command("show", short_help="Show the rule behind a property's label.")
def rules_show(
    type_name: str = typer.Argument(..., help="A resource type, e.g. AWS::EC2::Instance."),
    path: Optional[str] = typer.Argument(None, help="A property path, e.g. InstanceType or /BrokerNodeGroupInfo/ClientSubnets."),
    config: Optional[Path] = typer.Option(None, "--config", help="An .impact.yaml (default: found upwards)."),
):
    """Show the effective label, every source's verdict and the constraints."""
    from ..classify.labels import FOREACH, classify_property, unknown_type_note
    from ..classify.config import load_config
    from ..render.common import disagreement
    from ..classify.rules import CUSTOM_RESOURCE, RuleBook, is_custom

    cfg = load_config(config)
    book = RuleBook(overlay_dir=cfg.overlay_dir())
    if not is_custom(type_name) and not type_name.startswith("AWS::Serverless::") and type_name != FOREACH:
        known, close = book.resolve_type(type_name)
        if known is None:
            hint = f"; closest known: {', '.join(close)}" if close else "; `impact rules show` takes a type such as AWS::S3::Bucket"
            raise UsageError(f"{type_name}: no rules for this resource type{hint}")
        type_name = known
    rules = book.for_type(type_name)
    if not rules.known:
        typer.echo(f"{type_name}: unknown — {unknown_type_note(type_name)}")
        raise typer.Exit(0)
    layers = [(name, layer) for name, layer in (("overlay", rules.overlay), ("docs", rules.docs)) if layer]
    if not path:
        typer.echo(type_name)
        if is_custom(type_name):
            typer.echo(f"  {unknown_type_note(type_name)}: the rules of {CUSTOM_RESOURCE} cover ServiceToken, "
                       "its other properties are unknown")
        for name, layer in layers:
            typer.echo(f"  {name}: {layer.data.get('page', '')} ({layer.source})")
        if rules.schema:
            s = rules.schema.data
            tags = f", tags in {rules.schema.tag_property()}" if rules.schema.tag_property() else ""
            typer.echo(f"  schema: {s.get('source')} (updatable: {'yes' if s.get('updatable', True) else 'no'}{tags})")
        names = sorted(set().union(*(layer.children(()) for _, layer in layers), rules.schema.data.get("properties", {}) if rules.schema else ()))
        for name in names:
            v = classify_property(rules, (name,))
            typer.echo(f"  {name:<40} {v.label}")
        return
    keys = _resolve_path(path)
    verdict = classify_property(rules, keys)
    override = cfg.override_for(type_name, "/Properties/" + "/".join(keys))
    label = verdict.label if not override else f"{override.label} (override: {override.reason}; the rules say {verdict.label})"
    typer.echo(f"{type_name} /Properties/{'/'.join(keys)}")
    typer.echo(f"  effective: {label}")
    if verdict.disagreement:
        typer.echo(f"  sources differ: {disagreement(verdict)}")
    for v in verdict.sources:
        note = f" — {v.note}" if v.note else ""
        typer.echo(f"  {v.source}: {v.label} at {v.path}{note}")
    for name, layer in layers:
        rule = layer.rule(keys)
        if rule:
            facts = [f"required: {rule.get('required')}", f"type: {rule.get('type')}"]
            for key, value in sorted(rule.get("constraints", {}).items()):
                if isinstance(value, list):
                    more = f", … {len(value) - 12} more" if len(value) > 12 else ""
                    value = ", ".join(map(str, value[:12])) + more
                facts.append(f"{key}: {value}")
            typer.echo(f"  {name} facts: " + "; ".join(facts))
    if rules.schema and rules.schema.unordered(keys):
        typer.echo("  order does not matter (insertionOrder: false): reordering is not a change")
    if verdict.note and not verdict.sources:
        typer.echo(f"  note: {verdict.note}")


@rules_app.command("import-doc", short_help="Add the doc pages of your own types to the overlay.")
def rules_import_doc(
    pages: List[Path] = typer.Argument(..., help="Doc pages, markdown or HTML: a resource page and its property-type pages."),
    overlay: Optional[Path] = typer.Option(None, "--overlay", help="The overlay folder (default: from .impact.yaml, or .impact/rules)."),
    config: Optional[Path] = typer.Option(None, "--config", help="An .impact.yaml (default: found upwards)."),
):
    """Add your own doc pages (a private or third-party type) to a local overlay."""
    from ..build.docs import import_pages
    from ..classify.config import load_config

    for p in pages:
        if not p.is_file():
            raise UsageError(f"{p}: no such file")
    target = overlay or load_config(config).overlay_dir()
    source = f"local-{datetime.date.today().isoformat()}"
    try:
        types = import_pages(pages, target, source)
    except UnicodeDecodeError as e:
        raise UsageError(f"a page is not UTF-8: {e.reason}") from None
    except ValueError as e:
        raise UsageError(str(e)) from None
    for t in types:
        typer.echo(f"{t}: added to {target}")


@rules_app.command("disagreements", short_help="List where a change set and the rules disagree.")
def rules_disagreements(
    report: Path = typer.Argument(..., help="A JSON report of impact diff --change-set (or impact changeset)."),
):
    """List the changes where a change set and the rules disagree on replacement, to review them with `impact rules show`."""
    from ..aws.changeset import disagreements_in

    rows = disagreements_in(str(report))
    for row in rows:
        typer.echo("  ".join(row))
    typer.echo(f"{len(rows)} disagreement{'s' if len(rows) != 1 else ''}" + (": check each with impact rules show TYPE PATH" if rows else ""))
