"""The new template: the old one's construct groups changed the way real
deployments change them (settings tuned, code and grants added, services added
and removed, one construct moved), and the pair generator."""

from __future__ import annotations

import copy
import random
import re
from typing import Any, Callable, Iterator

from .stack import (
    ADD_REMOVE_RATIO,
    CHANGE_RATIO,
    MEMORY_SIZES,
    STACK,
    TEAMS,
    TIMEOUTS,
    Group,
    StackBuilder,
    Template,
    assemble,
    ref,
    set_billing,
    statement,
    sub,
)

# -- references ----------------------------------------------------------------

_SUB_VARIABLE = re.compile(r"\$\{(?!!)([^}.]+)(?:\.[^}]+)?\}")


def references(node: Any) -> Iterator[str]:
    """Logical names a template fragment points at (resources, parameters, pseudo parameters)."""
    if isinstance(node, list):
        for item in node:
            yield from references(item)
    elif isinstance(node, dict):
        if len(node) == 1:
            key, value = next(iter(node.items()))
            if key == "Ref" and isinstance(value, str):
                yield value
                return
            if key == "Fn::GetAtt":
                yield value.split(".", 1)[0] if isinstance(value, str) else value[0]
                return
            if key == "Fn::Sub":
                text, variables = (value, {}) if isinstance(value, str) else value
                yield from (v for v in _SUB_VARIABLE.findall(text) if v not in variables)
                yield from references(variables)
                return
        for key, value in node.items():
            if key == "DependsOn":
                yield from [value] if isinstance(value, str) else value
            else:
                yield from references(value)


def rename_references(node: Any, old: str, new: str) -> Any:
    """A copy of ``node`` with every reference to ``old`` pointing at ``new``."""
    if isinstance(node, list):
        return [rename_references(item, old, new) for item in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        key, value = next(iter(node.items()))
        if key == "Ref" and value == old:
            return ref(new)
        if key == "Fn::GetAtt" and isinstance(value, list) and value[0] == old:
            return {key: [new, *value[1:]]}
        if key == "Fn::Sub" and isinstance(value, str):
            pattern = re.compile(r"\$\{" + re.escape(old) + r"([.}])")
            return sub(pattern.sub(lambda m: "${" + new + m.group(1), value))
    renamed = {}
    for key, value in node.items():
        if key == "DependsOn":
            renamed[key] = [new if v == old else v for v in value]
        else:
            renamed[key] = rename_references(value, old, new)
    return renamed


# -- the revision ----------------------------------------------------------------

def _bump(rng: random.Random, choices: tuple, current: Any) -> Any:
    return rng.choice([c for c in choices if c != current])


def change_memory(rng: random.Random, resource: dict) -> None:
    props = resource["Properties"]
    props["MemorySize"] = _bump(rng, MEMORY_SIZES, props["MemorySize"])


def change_timeout(rng: random.Random, resource: dict) -> None:
    props = resource["Properties"]
    props["Timeout"] = _bump(rng, TIMEOUTS, props["Timeout"])


def change_env(rng: random.Random, resource: dict) -> None:
    variables = resource["Properties"]["Environment"]["Variables"]
    if "MAX_RETRIES" in variables:
        variables["MAX_RETRIES"] = _bump(rng, ("2", "3", "5", "8"), variables["MAX_RETRIES"])
    else:
        variables["FEATURE_FLAGS"] = rng.choice(("checkout-v2", "fast-refunds,checkout-v2", "async-export"))


def change_code(rng: random.Random, resource: dict) -> None:
    asset = f"{rng.getrandbits(256):064x}"
    resource["Properties"]["Code"]["S3Key"] = f"{asset}.zip"
    resource["Metadata"]["aws:asset:path"] = f"asset.{asset}"


def change_lifecycle(rng: random.Random, resource: dict) -> None:
    rules = resource["Properties"]["LifecycleConfiguration"]["Rules"]
    archive = next((rule for rule in rules if rule["Id"] == "Archive"), None)
    if archive is None or rng.random() < 0.4:
        rules.append({"ExpirationInDays": rng.choice((400, 730)), "Id": "ExpireOldReports",
                      "Prefix": "reports/", "Status": "Enabled"})
    else:
        glacier = archive["Transitions"][-1]
        glacier["TransitionInDays"] = _bump(rng, (60, 90, 180, 365), glacier["TransitionInDays"])


def change_billing(rng: random.Random, resource: dict) -> None:
    props = resource["Properties"]
    if props["BillingMode"] == "PAY_PER_REQUEST":
        set_billing(props, "PROVISIONED", capacity=rng.choice((5, 10, 25)))
    else:
        set_billing(props, "PAY_PER_REQUEST")


def change_key_schema(rng: random.Random, resource: dict) -> None:
    """Change the sort key (or add one): DynamoDB replaces the table."""
    props = resource["Properties"]
    sort_key = rng.choice(("createdAt", "version", "tenantId"))
    props["KeySchema"] = [props["KeySchema"][0], {"AttributeName": sort_key, "KeyType": "RANGE"}]
    definitions = [d for d in props["AttributeDefinitions"] if d["AttributeName"] != "sk"]
    definitions.insert(1, {"AttributeName": sort_key, "AttributeType": "N" if sort_key == "version" else "S"})
    props["AttributeDefinitions"] = definitions


def change_visibility(rng: random.Random, resource: dict) -> None:
    props = resource["Properties"]
    props["VisibilityTimeout"] = _bump(rng, (30, 60, 120, 180, 300, 900), props["VisibilityTimeout"])


def add_statement(rng: random.Random, resource: dict) -> None:
    resource["Properties"]["PolicyDocument"]["Statement"].append(rng.choice((
        statement("sns:Publish", {"Fn::ImportValue": "SharedInfra-AlertsTopicArn"}),
        statement(["kms:Decrypt", "kms:GenerateDataKey*"],
                  sub("arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/shop-${Env}")),
        statement("events:PutEvents",
                  sub("arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default")),
    )))


def add_ingress(rng: random.Random, resource: dict) -> None:
    port = rng.choice((443, 5432, 6379))
    resource["Properties"]["SecurityGroupIngress"].append({
        "CidrIp": rng.choice(("10.1.0.0/16", "172.16.0.0/12")), "Description": "From peered VPC",
        "FromPort": port, "IpProtocol": "tcp", "ToPort": port,
    })


def change_tag(rng: random.Random, resource: dict) -> None:
    tag = next(t for t in resource["Properties"]["Tags"] if t["Key"] == "Owner")
    tag["Value"] = _bump(rng, TEAMS, tag["Value"])


Edit = Callable[[random.Random, dict], None]

# (resource type it applies to, or None for any tagged resource; edit), in the
# order the edits are dealt out over the template's slices
EDITS: tuple[tuple[str | None, Edit], ...] = (
    ("AWS::Lambda::Function", change_memory),
    ("AWS::S3::Bucket", change_lifecycle),
    ("AWS::SQS::Queue", change_visibility),
    ("AWS::Lambda::Function", change_env),
    ("AWS::DynamoDB::Table", change_billing),
    ("AWS::IAM::Policy", add_statement),
    ("AWS::Lambda::Function", change_timeout),
    ("AWS::EC2::SecurityGroup", add_ingress),
    ("AWS::Lambda::Function", change_code),
    (None, change_tag),
    ("AWS::DynamoDB::Table", change_key_schema),
)


def fits(resource_type: str | None, resource: dict) -> bool:
    if resource_type is None:
        return "Tags" in resource.get("Properties", {})
    return resource["Type"] == resource_type

RENAME_SEGMENT = {"AWS::DynamoDB::Table": "Data", "AWS::S3::Bucket": "Storage", "AWS::SQS::Queue": "Messaging"}


def slices(items: list, count: int) -> list[list]:
    """``items`` cut into ``count`` contiguous, near-equal, non-empty runs."""
    count = min(count, len(items))
    if count <= 0:
        return []
    bounds = [round(i * len(items) / count) for i in range(count + 1)]
    return [items[a:b] for a, b in zip(bounds, bounds[1:])]


class Revision:
    """Derives the new template from the old one's construct groups."""

    def __init__(self, builder: StackBuilder, groups: list[Group]):
        self.builder = builder
        self.rng = builder.rng
        self.groups = [copy.deepcopy(g) for g in groups]
        self.n = sum(len(g.ids) for g in groups)
        self.referrers: dict[str, list[str]] = {}
        self.removed: set[str] = set()
        for group in groups:
            for logical_id, resource in group.resources.items():
                for target in dict.fromkeys(references(resource)):
                    self.referrers.setdefault(target, []).append(logical_id)

    def build(self) -> Template:
        budget = max(1, round(self.n * CHANGE_RATIO))
        target = max(1, round(self.n * ADD_REMOVE_RATIO))
        removed = self.remove(min(target, budget))
        touched = set(removed)  # resources already differing; edits leave them alone
        renamed = self.rename(touched, limit=budget - len(removed) - target)
        added = self.add(min(target, budget - len(removed) - renamed), touched)
        self.edit(budget - len(removed) - renamed - added, touched)
        return assemble(self.groups)

    def body(self) -> list[Group]:
        """Groups other than the trailing CDK metadata."""
        return self.groups[:-1]

    def remove(self, target: int) -> list[str]:
        """Drop whole construct groups nothing else refers to, spread over the
        template; the first one is a service when one fits."""
        removed: list[str] = []
        for run in slices(self.body(), target):
            remaining = target - len(removed)
            if remaining <= 0:
                break
            candidates = [g for g in run if len(g.ids) <= remaining and self.self_contained(g)]
            services = [g for g in candidates if len(g.ids) > 1]
            if candidates:
                group = self.rng.choice(services if services and not removed else candidates)
                self.groups.remove(group)
                removed.extend(group.ids)
        self.removed.update(removed)
        return removed

    def present_referrers(self, logical_id: str) -> list[str]:
        """The resources not removed that refer to ``logical_id``."""
        return [r for r in self.referrers.get(logical_id, []) if r not in self.removed]

    def self_contained(self, group: Group) -> bool:
        return all(r in group.resources for i in group.ids for r in self.referrers.get(i, []))

    def rename(self, touched: set[str], limit: int) -> int:
        """Move one data construct one level down the tree, which changes its
        logical ID; returns how many resources that makes differ (the old ID
        removed, the new one added, and the resources referring to it), at
        most ``limit``."""
        body = self.body()
        middle = body[len(body) // 3: 2 * len(body) // 3] or body
        candidates = [
            (group, logical_id) for group in middle for logical_id in group.ids
            if group.resources[logical_id]["Type"] in RENAME_SEGMENT
            and 1 <= len(self.present_referrers(logical_id)) <= min(limit, 5) - 2
        ]
        if not candidates:
            return 0
        group, old_id = self.rng.choice(candidates)
        referrers = self.present_referrers(old_id)
        resource = group.resources[old_id]
        path = resource["Metadata"]["aws:cdk:path"].split("/")[1:]
        path.insert(len(path) - 2, RENAME_SEGMENT[resource["Type"]])
        new_id = self.builder.logical_id(path)
        resource["Metadata"]["aws:cdk:path"] = "/".join([STACK, *path])
        for g in self.groups:
            g.resources = {(new_id if i == old_id else i): rename_references(r, old_id, new_id)
                           for i, r in g.resources.items()}
            g.outputs = rename_references(g.outputs, old_id, new_id)
        touched.update([old_id, new_id, *referrers])
        self.builder.shared = [(new_id if i == old_id else i, k, o) for i, k, o in self.builder.shared]
        return 2 + len(referrers)

    def add(self, target: int, touched: set[str]) -> int:
        """Insert new construct groups after groups spread over the template;
        the first one is a service when one fits."""
        present = {i for g in self.groups for i in g.ids}
        self.builder.shared = [s for s in self.builder.shared if s[0] in present]
        self.builder.functions = [f for f in self.builder.functions if f in present]
        anchors = [self.rng.choice(run) for run in slices(self.body(), target)]
        added = 0
        for anchor in anchors:
            if added >= target:
                break
            group = self.builder.group(target - added, service=not added)
            self.groups.insert(self.groups.index(anchor) + 1, group)
            added += len(group.ids)
            touched.update(group.ids)
        return added

    def edit(self, count: int, touched: set[str]) -> None:
        """Apply ``count`` edits, one per slice of the template.  Each slice takes
        the first edit of the current round of EDITS that fits one of its
        resources, so every kind is used before any repeats."""
        resources = [r for g in self.body() for i, r in g.resources.items() if i not in touched]
        pending: list[tuple[str | None, Edit]] = []
        for run in slices(resources, count):
            pending = pending or list(EDITS)
            choice = next((e for e in pending if any(fits(e[0], r) for r in run)), None)
            if choice is not None:
                pending.remove(choice)
            else:  # nothing left in this round fits here: take any edit that does
                choice = next((e for e in EDITS if any(fits(e[0], r) for r in run)), None)
                if choice is None:
                    continue
            resource_type, edit = choice
            edit(self.rng, self.rng.choice([r for r in run if fits(resource_type, r)]))


def generate_pair(n_resources: int, seed: int = 0) -> tuple[Template, Template]:
    """An (old, new) pair of CDK-style templates; ``old`` has exactly ``n_resources`` resources."""
    if n_resources < 1:
        raise ValueError("n_resources must be at least 1")
    builder = StackBuilder(random.Random(seed))
    groups: list[Group] = []
    count = 1  # the CDK metadata resource
    while count < n_resources:
        group = builder.group(n_resources - count)
        groups.append(group)
        count += len(group.ids)
    groups.append(builder.cdk_metadata())
    old = assemble(groups)
    new = Revision(builder, groups).build()
    return old, new
