"""The template pairs impact is timed against its peer on, beside the CDK-style stacks.

Each is JSON (the peer reads JSON only) and deterministic:

- ``role-policy``: an ``AWS::IAM::Role`` whose inline policy is a 1 MB
  document; one statement is edited (an action added) and one is added that
  repeats a grant already there under a new ``Sid``: it widens nothing, but
  only a comparison with the statements there can tell.
- ``managed-policy``: the same document in an ``AWS::IAM::ManagedPolicy``
  attached to a role of the same template.
- ``ipset``: a WAFv2 ``IPSet`` of 10,000 addresses, 1,000 of them changed.
- ``security-group``: a security group of 10,000 ingress rules, one added.
- ``base-90``: a git repository of 100 CDK-style stacks, 90 of which change
  between its two commits (``impact diff --base HEAD~1 --head HEAD``), and
  the same pairs as files for the peer.

Run ``python -m bench.cases [--out DIR]`` to write them to ``DIR/<case>/``.
"""

from __future__ import annotations

import argparse
import copy
import ipaddress
import os
import random
import subprocess
from pathlib import Path

from bench.generate import generate_pair, to_json

POLICY_BYTES = 1_000_000
ADDRESSES, ADDRESSES_CHANGED = 10_000, 1_000
INGRESS_RULES = 10_000
BASE_STACKS, BASE_CHANGED, BASE_RESOURCES = 100, 90, 120

SERVICES = ("s3", "dynamodb", "sqs", "sns", "kms", "logs", "lambda", "events", "states", "ssm")
VERBS = ("Get", "Put", "List", "Describe", "Delete", "Update", "Create", "Tag")


def _template(resources: dict) -> dict:
    return {"Description": "impact benchmark case", "Resources": resources}


def policy_document(size: int, rng: random.Random) -> dict:
    """An IAM policy document of about ``size`` bytes of JSON."""
    statements, total, i = [], 0, 0
    while total < size:
        service = rng.choice(SERVICES)
        statement = {
            "Sid": f"Grant{i:05d}",
            "Effect": "Allow",
            "Action": sorted({f"{service}:{rng.choice(VERBS)}{rng.choice(('Item', 'Object', 'Key', 'Queue'))}" for _ in range(4)}),
            "Resource": [
                {"Fn::Sub": f"arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}:res-{i}-{j}/*"}
                for j in range(3)
            ],
            "Condition": {"StringEquals": {"aws:ResourceTag/team": f"team-{rng.randrange(40)}"}},
        }
        statements.append(statement)
        total += len(to_json(statement))
        i += 1
    return {"Version": "2012-10-17", "Statement": statements}


REPEATED_SID = "GrantRepeated"


def edit_document(document: dict, rng: random.Random) -> dict:
    """The document with one statement edited (an action added) and one added
    at the end: a copy of an existing statement, another than the edited one,
    under a new ``Sid``, so that it grants nothing that was not granted."""
    new = copy.deepcopy(document)
    statements = new["Statement"]
    edited = len(statements) // 2
    statements[edited]["Action"].append("s3:GetObjectVersion")
    repeated = copy.deepcopy(statements[rng.choice([i for i in range(len(statements)) if i != edited])])
    repeated["Sid"] = REPEATED_SID
    statements.append(repeated)
    return new


def role_pair(rng: random.Random, size: int = POLICY_BYTES) -> tuple:
    """The ``role-policy`` and ``managed-policy`` pairs, with a document of about ``size`` bytes."""
    document = policy_document(size, rng)
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }

    def role(doc):
        return _template({
            "AppRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": trust,
                    "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess"}],
                    "Policies": [{"PolicyName": "app", "PolicyDocument": doc}],
                },
            }
        })

    def managed(doc):
        return _template({
            "AppRole": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": trust}},
            "AppPolicy": {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {"PolicyDocument": doc, "Roles": [{"Ref": "AppRole"}]},
            },
        })

    edited = edit_document(document, rng)
    return (role(document), role(edited)), (managed(document), managed(edited))


def ipset_pair(rng: random.Random) -> tuple:
    network = ipaddress.ip_network("10.0.0.0/8")
    picks = rng.sample(range(network.num_addresses), ADDRESSES + ADDRESSES_CHANGED)
    addresses = [f"{network[p]}/32" for p in picks[:ADDRESSES]]
    changed = list(addresses)
    for slot, p in zip(rng.sample(range(ADDRESSES), ADDRESSES_CHANGED), picks[ADDRESSES:]):
        changed[slot] = f"{network[p]}/32"

    def ipset(items):
        return _template({
            "BlockList": {
                "Type": "AWS::WAFv2::IPSet",
                "Properties": {"Name": "block-list", "Scope": "REGIONAL", "IPAddressVersion": "IPV4", "Addresses": items},
            }
        })

    return ipset(addresses), ipset(changed)


def security_group_pair(rng: random.Random) -> tuple:
    rules = [
        {
            "IpProtocol": "tcp",
            "FromPort": str(port),
            "ToPort": str(port),
            "CidrIp": f"10.{i // 256 % 256}.{i % 256}.0/24",
            "Description": f"service {i}",
        }
        for i, port in enumerate(rng.choice((443, 8080, 5432, 6379)) for _ in range(INGRESS_RULES))
    ]
    added = rules + [{"IpProtocol": "tcp", "FromPort": "22", "ToPort": "22", "CidrIp": "192.0.2.0/24", "Description": "bastion"}]

    def group(items):
        return _template({
            "WebGroup": {
                "Type": "AWS::EC2::SecurityGroup",
                "Properties": {"GroupDescription": "web", "VpcId": "vpc-0abc", "SecurityGroupIngress": items},
            }
        })

    return group(rules), group(added)


def _git(repo: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_DATE="2026-01-01T00:00:00Z", GIT_COMMITTER_DATE="2026-01-01T00:00:00Z")
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "-C", str(repo), *args],
        check=True, stdout=subprocess.DEVNULL, env=env,
    )


def write_base(directory: Path) -> None:
    """``repo/`` with two commits, and ``old/`` and ``new/`` holding the changed pairs."""
    repo = directory / "repo"
    if (repo / ".git").exists():
        return
    for sub in ("repo/stacks", "old", "new"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    _git(repo, "init", "-q", "-b", "main")
    pairs = [generate_pair(BASE_RESOURCES, seed=100 + i) for i in range(BASE_STACKS)]
    for i, (old, _) in enumerate(pairs):
        (repo / "stacks" / f"stack{i:03d}.json").write_text(to_json(old), encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    for i, (old, new) in enumerate(pairs[:BASE_CHANGED]):
        (repo / "stacks" / f"stack{i:03d}.json").write_text(to_json(new), encoding="utf-8")
        (directory / "old" / f"stack{i:03d}.json").write_text(to_json(old), encoding="utf-8")
        (directory / "new" / f"stack{i:03d}.json").write_text(to_json(new), encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "head")


def write_cases(out_dir: Path) -> dict:
    """Write every pair case; returns {case: directory}."""
    rng = random.Random(14)
    role, managed = role_pair(rng)
    pairs = {"role-policy": role, "managed-policy": managed, "ipset": ipset_pair(rng), "security-group": security_group_pair(rng)}
    written = {}
    for name, (old, new) in pairs.items():
        directory = Path(out_dir) / name
        directory.mkdir(parents=True, exist_ok=True)
        for label, template in (("old", old), ("new", new)):
            path = directory / f"{label}.json"
            text = to_json(template)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
        written[name] = directory
    write_base(Path(out_dir) / "base-90")
    written["base-90"] = Path(out_dir) / "base-90"
    return written


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cases", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("bench/out"), help="output directory (default: bench/out)")
    args = parser.parse_args(argv)
    for name, directory in write_cases(args.out).items():
        sizes = [p.stat().st_size for p in directory.glob("*.json")]
        print(f"{directory}  {' + '.join(f'{s / 1e6:.2f} MB' for s in sizes) or 'git repository'}")


if __name__ == "__main__":
    main()
