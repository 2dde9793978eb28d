"""Deterministic generator of realistic CloudFormation template pairs for benchmarks.

Each pair imitates ``cdk synth`` output of one application stack -- Lambda
services with their IAM roles and default policies, S3 buckets, SQS queues,
DynamoDB tables and security groups, all wired together with ``Ref``,
``Fn::GetAtt`` and ``Fn::Sub`` -- and a later revision of that stack in which
about a tenth of the resources changed the way real deployments change:
tuned Lambda settings, new asset code, lifecycle and billing tweaks, a key
schema change that forces replacement, grants and ingress rules added, a few
services added and removed, one construct moved (renamed logical ID) and a
couple of tag values edited.  The same arguments always give the same pair.

Run ``python -m bench.generate [--out DIR] [--sizes 50,500,2000]`` to write
``DIR/<n>/{old,new}.{json,yaml}``.
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

STACK = "ShopStack"
CHANGE_RATIO = 0.10  # share of resources that differ between old and new
ADD_REMOVE_RATIO = 0.01  # share of resources added, and again removed

DOMAINS = (
    "Orders", "Payments", "Invoices", "Customers", "Sessions", "Inventory",
    "Shipping", "Notifications", "Audit", "Reports", "Catalog", "Search",
    "Billing", "Checkout", "Analytics", "Ingest", "Media", "Reviews",
    "Pricing", "Returns", "Loyalty", "Fraud", "Accounts", "Webhooks",
)
TEAMS = ("team-commerce", "team-platform", "team-data", "team-payments", "team-growth")
RUNTIMES = (
    ("nodejs22.x", "index.handler"),
    ("nodejs20.x", "index.handler"),
    ("python3.13", "app.handler"),
    ("python3.12", "app.lambda_handler"),
)
MEMORY_SIZES = (128, 256, 512, 768, 1024, 1536, 2048)
TIMEOUTS = (3, 10, 15, 30, 60, 120, 300)
CDK_REGIONS = (
    "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-south-1",
    "ap-southeast-1", "ap-southeast-2", "ca-central-1", "cn-north-1", "cn-northwest-1",
    "eu-central-1", "eu-north-1", "eu-south-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "me-south-1", "sa-east-1", "us-east-1", "us-east-2",
)

TABLE_READ_ACTIONS = (
    "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable",
    "dynamodb:GetItem", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
    "dynamodb:Query", "dynamodb:Scan",
)
TABLE_ACTIONS = (
    "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem",
    "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:PutItem",
    "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem",
)
BUCKET_ACTIONS = (
    "s3:Abort*", "s3:DeleteObject*", "s3:GetBucket*", "s3:GetObject*", "s3:List*",
    "s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention",
    "s3:PutObjectTagging", "s3:PutObjectVersionTagging",
)
BUCKET_READ_ACTIONS = ("s3:GetBucket*", "s3:GetObject*", "s3:List*")
QUEUE_CONSUME_ACTIONS = (
    "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl", "sqs:ReceiveMessage",
)
QUEUE_SEND_ACTIONS = ("sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage")

Template = dict[str, Any]


def ref(target: str) -> dict:
    return {"Ref": target}


def get_att(target: str, attribute: str) -> dict:
    return {"Fn::GetAtt": [target, attribute]}


def sub(text: str) -> dict:
    return {"Fn::Sub": text}


def managed_policy(name: str) -> dict:
    return {"Fn::Join": ["", ["arn:", ref("AWS::Partition"), f":iam::aws:policy/{name}"]]}


def statement(actions: list[str] | str, resource: Any) -> dict:
    return {"Action": actions, "Effect": "Allow", "Resource": resource}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


def kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


@dataclass(eq=False)
class Group:
    """The resources (in template order) and outputs of one construct subtree."""

    resources: dict[str, dict] = field(default_factory=dict)
    outputs: dict[str, dict] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return list(self.resources)


class StackBuilder:
    """Synthesizes construct groups the way the CDK lays them out in a template."""

    # kind: (resources, weight); each kind has a ``_<kind>_group`` method below
    GROUP_SHAPES = {"api": (5, 2), "worker": (5, 4), "storage": (5, 2), "standalone": (1, 5)}

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used_ids: set[str] = set()
        self.name_counts: dict[str, int] = {}
        self.group_tags: dict[str, tuple[str, str]] = {}
        # data resources other services may link to: (logical id, kind, group name)
        self.shared: list[tuple[str, str, str]] = []
        self.functions: list[str] = []
        self.indexed_tables: set[str] = set()

    # -- identifiers -------------------------------------------------------

    def hex8(self) -> str:
        return f"{self.rng.getrandbits(32):08X}"

    def logical_id(self, path: list[str]) -> str:
        stem = "".join(part for part in path if part not in ("Resource", "Default"))
        while True:
            candidate = stem + self.hex8()
            if candidate not in self.used_ids:
                self.used_ids.add(candidate)
                return candidate

    def group_name(self, purpose: str) -> str:
        base = self.rng.choice(DOMAINS) + purpose
        count = self.name_counts.get(base, 0) + 1
        self.name_counts[base] = count
        return base if count == 1 else f"{base}{count}"

    def tags(self, name: str) -> list[dict]:
        """The tags the app applies to every resource of construct ``name``."""
        if name not in self.group_tags:
            self.group_tags[name] = (str(self.rng.choice((1200, 3400, 4410, 5020, 7300))), self.rng.choice(TEAMS))
        cost_center, owner = self.group_tags[name]
        return [{"Key": "CostCenter", "Value": cost_center}, {"Key": "Owner", "Value": owner}]

    def add(self, group: Group, path: list[str], type_: str, props: dict, **attributes: Any) -> str:
        logical_id = self.logical_id(path)
        resource = {"Type": type_, "Properties": props, **attributes}
        resource["Metadata"] = {"aws:cdk:path": "/".join([STACK, *path]), **resource.get("Metadata", {})}
        group.resources[logical_id] = resource
        return logical_id

    # -- groups ------------------------------------------------------------

    def group(self, budget: int, service: bool = False) -> Group:
        """One construct subtree of at most ``budget`` resources; with ``service``,
        a Lambda service rather than a lone resource whenever one fits."""
        fitting = {kind: weight for kind, (size, weight) in self.GROUP_SHAPES.items() if size <= budget}
        if service and len(fitting) > 1:
            del fitting["standalone"]
        kind = self.rng.choices(list(fitting), list(fitting.values()))[0]
        return getattr(self, f"_{kind}_group")()

    def _api_group(self) -> Group:
        group = Group()
        purpose = self.rng.choice(("Api", "Gateway", "Query", "Admin"))
        name = self.group_name(purpose)
        table = self.table(group, [name, "Table", "Resource"], name)
        sg = self.security_group(group, [name, "Handler", "SecurityGroup", "Resource"], name)
        self.function(group, name, own=[(table, "table-read" if purpose == "Query" else "table")], security_group=sg)
        group.outputs[f"{name}TableName"] = {
            "Description": f"Name of the {name} table",
            "Value": ref(table),
            "Export": {"Name": sub(f"${{AWS::StackName}}-{name}TableName")},
        }
        self.shared.append((table, "table", name))
        return group

    def _worker_group(self) -> Group:
        group = Group()
        name = self.group_name(self.rng.choice(("Worker", "Processor", "Sync", "Events")))
        dlq = self.queue(group, [name, "DeadLetterQueue", "Resource"], name, dead_letter=None)
        queue = self.queue(group, [name, "Queue", "Resource"], name, dead_letter=dlq)
        self.function(group, name, own=[(queue, "consume")], security_group=None)
        group.outputs[f"{name}QueueUrl"] = {"Value": ref(queue), "Condition": "IsProd"}
        self.shared.append((queue, "queue", name))
        return group

    def _storage_group(self) -> Group:
        group = Group()
        name = self.group_name(self.rng.choice(("Exports", "Uploads", "Archive", "Thumbnails")))
        logs = self.bucket(group, [name, "AccessLogs", "Resource"], name, access_logs=True)
        bucket = self.bucket(group, [name, "Bucket", "Resource"], name, log_bucket=logs)
        self.function(group, name, own=[(bucket, "bucket")], security_group=None)
        group.outputs[f"{name}BucketArn"] = {
            "Value": get_att(bucket, "Arn"),
            "Export": {"Name": {"Fn::Join": ["-", [ref("AWS::StackName"), f"{name}BucketArn"]]}},
        }
        self.shared.append((bucket, "bucket", name))
        return group

    def _standalone_group(self) -> Group:
        group = Group()
        kind = self.rng.choice(("AccessLogs", "EventBuffer", "Locks", "Bastion"))
        name = self.group_name(kind)
        path = [name, "Resource"]
        if kind == "AccessLogs":
            self.bucket(group, path, name, access_logs=True)
        elif kind == "EventBuffer":
            self.queue(group, path, name, dead_letter=None)
        elif kind == "Locks":
            self.table(group, path, name)
        else:
            self.security_group(group, path, name, bastion=True)
        return group

    # -- resources ---------------------------------------------------------

    def table(self, group: Group, path: list[str], name: str) -> str:
        rng = self.rng
        keys = [("pk", "S", "HASH")]
        if rng.random() < 0.7:
            keys.append(("sk", rng.choice("SN"), "RANGE"))
        attributes = [{"AttributeName": n, "AttributeType": t} for n, t, _ in keys]
        props: dict[str, Any] = {
            "KeySchema": [{"AttributeName": n, "KeyType": k} for n, _, k in keys],
            "AttributeDefinitions": attributes,
            "BillingMode": "PAY_PER_REQUEST",
        }
        if rng.random() < 0.35:
            attributes += [
                {"AttributeName": "gsi1pk", "AttributeType": "S"},
                {"AttributeName": "gsi1sk", "AttributeType": "S"},
            ]
            props["GlobalSecondaryIndexes"] = [{
                "IndexName": "gsi1",
                "KeySchema": [
                    {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                    {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": rng.choice(("ALL", "KEYS_ONLY"))},
            }]
        if rng.random() < 0.3:
            set_billing(props, "PROVISIONED", capacity=rng.choice((5, 10, 25)))
        props["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": {"Fn::If": ["IsProd", True, False]}}
        props["SSESpecification"] = {"SSEEnabled": True}
        if rng.random() < 0.3:
            props["StreamSpecification"] = {"StreamViewType": "NEW_AND_OLD_IMAGES"}
        if rng.random() < 0.5:
            props["TimeToLiveSpecification"] = {"AttributeName": "expiresAt", "Enabled": True}
        props["Tags"] = self.tags(name)
        table = self.add(group, path, "AWS::DynamoDB::Table", props,
                         UpdateReplacePolicy="Retain", DeletionPolicy="Retain")
        if "GlobalSecondaryIndexes" in props:
            self.indexed_tables.add(table)
        return table

    def bucket(self, group: Group, path: list[str], name: str, access_logs: bool = False,
               log_bucket: str | None = None) -> str:
        rng = self.rng
        if access_logs:
            rules = [{
                "ExpirationInDays": {"Fn::If": ["ExpireLogs", ref("LogRetentionDays"), 3650]},
                "Id": "ExpireAccessLogs",
                "Status": "Enabled",
            }]
        else:
            rules = [{
                "Id": "Archive",
                "NoncurrentVersionExpiration": {"NoncurrentDays": rng.choice((30, 60, 90))},
                "Status": "Enabled",
                "Transitions": [{"StorageClass": "GLACIER", "TransitionInDays": rng.choice((90, 180, 365))}],
            }]
            if rng.random() < 0.5:
                rules.insert(0, {"ExpirationInDays": rng.choice((1, 3, 7)), "Id": "ExpireTmp", "Prefix": "tmp/",
                                 "Status": "Enabled"})
        props: dict[str, Any] = {
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": {"SSEAlgorithm": rng.choice(("AES256", "aws:kms"))}},
            ]},
        }
        if rng.random() < 0.4:
            label = kebab("".join(part for part in path if part != "Resource"))
            props["BucketName"] = sub(f"shop-${{Env}}-{label}-${{AWS::AccountId}}")
        props["LifecycleConfiguration"] = {"Rules": rules}
        if log_bucket is not None:
            props["LoggingConfiguration"] = {"DestinationBucketName": ref(log_bucket), "LogFilePrefix": "s3/"}
        props["PublicAccessBlockConfiguration"] = {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        props["VersioningConfiguration"] = {"Status": "Enabled"}
        props["Tags"] = self.tags(name)
        policy = "Retain" if access_logs or rng.random() < 0.5 else "Delete"
        return self.add(group, path, "AWS::S3::Bucket", props,
                        UpdateReplacePolicy=policy, DeletionPolicy=policy)

    def queue(self, group: Group, path: list[str], name: str, dead_letter: str | None) -> str:
        props: dict[str, Any] = {}
        if dead_letter is None:
            props["MessageRetentionPeriod"] = 1209600
        else:
            props["RedrivePolicy"] = {
                "deadLetterTargetArn": get_att(dead_letter, "Arn"),
                "maxReceiveCount": self.rng.choice((3, 5, 10)),
            }
        props["SqsManagedSseEnabled"] = True
        props["Tags"] = self.tags(name)
        props["VisibilityTimeout"] = self.rng.choice((30, 60, 180, 300, 900))
        return self.add(group, path, "AWS::SQS::Queue", props,
                        UpdateReplacePolicy="Delete", DeletionPolicy="Delete")

    def security_group(self, group: Group, path: list[str], name: str, bastion: bool = False) -> str:
        if bastion:
            description = f"{STACK}/{name}: SSH access for operators"
            ingress = [{"CidrIp": "203.0.113.0/24", "Description": "SSH from office", "FromPort": 22,
                        "IpProtocol": "tcp", "ToPort": 22}]
        else:
            description = f"Automatic security group for Lambda Function {STACK}{name}Handler"
            ingress = [{"CidrIp": "10.0.0.0/16", "Description": "HTTPS from VPC", "FromPort": 443,
                        "IpProtocol": "tcp", "ToPort": 443}]
        props = {
            "GroupDescription": description,
            "SecurityGroupEgress": [{"CidrIp": "0.0.0.0/0", "Description": "Allow all outbound traffic by default",
                                     "IpProtocol": "-1"}],
            "SecurityGroupIngress": ingress,
            "Tags": self.tags(name),
            "VpcId": ref("VpcId"),
        }
        return self.add(group, path, "AWS::EC2::SecurityGroup", props)

    def function(self, group: Group, name: str, own: list[tuple[str, str]], security_group: str | None) -> str:
        """A Lambda function with its service role and default policy."""
        rng = self.rng
        handler_path = [name, "Handler"]
        policies = [managed_policy("service-role/AWSLambdaBasicExecutionRole")]
        if security_group:
            policies.append(managed_policy("service-role/AWSLambdaVPCAccessExecutionRole"))
        role = self.add(group, [*handler_path, "ServiceRole", "Resource"], "AWS::IAM::Role", {
            "AssumeRolePolicyDocument": {
                "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow",
                               "Principal": {"Service": "lambda.amazonaws.com"}}],
                "Version": "2012-10-17",
            },
            "ManagedPolicyArns": policies,
        })

        links = list(own)
        others = [(i, k) for i, k, owner in self.shared if owner != name]
        if others and rng.random() < 0.25:
            other, kind = rng.choice(others)
            links.append((other, {"queue": "send", "table": "table-read", "bucket": "bucket-read"}[kind]))
        env: dict[str, Any] = {"SERVICE_NAME": kebab(name), "STAGE": ref("Env")}
        if rng.random() < 0.4:
            env["LOG_LEVEL"] = {"Fn::FindInMap": ["EnvConfig", ref("Env"), "LogLevel"]}
        traced = rng.random() < 0.3
        statements = [statement(["xray:PutTelemetryRecords", "xray:PutTraceSegments"], "*")] if traced else []
        for target, kind in links:
            prefix = "" if (target, kind) in own else snake(self.owner_of(target)) + "_"
            env.update(self.env_for(target, kind, prefix))
            statements.append(self.grant(target, kind))
        if rng.random() < 0.25:
            statements.append(statement(
                ["ssm:GetParameter", "ssm:GetParameters"],
                sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${Env}/"
                    f"{kebab(name)}/*"),
            ))
        runtime, handler = rng.choice(RUNTIMES)
        env.update(self.extra_env(name))
        policy_props = {
            "PolicyDocument": {"Statement": statements, "Version": "2012-10-17"},
            "PolicyName": "",
            "Roles": [ref(role)],
        }
        policy = self.add(group, [*handler_path, "ServiceRole", "DefaultPolicy", "Resource"],
                          "AWS::IAM::Policy", policy_props)
        policy_props["PolicyName"] = policy  # the CDK names default policies after their logical ID

        asset = f"{rng.getrandbits(256):064x}"
        props: dict[str, Any] = {
            "Code": {"S3Bucket": sub("cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"), "S3Key": f"{asset}.zip"},
            "Role": get_att(role, "Arn"),
            "Environment": {"Variables": env},
            "Handler": handler,
            "MemorySize": rng.choice(MEMORY_SIZES),
            "Runtime": runtime,
            "Tags": self.tags(name),
            "Timeout": rng.choice(TIMEOUTS),
        }
        if traced:
            props["TracingConfig"] = {"Mode": "Active"}
        if rng.random() < 0.2:
            reserved = rng.choice((20, 50, 100))
            props["ReservedConcurrentExecutions"] = {"Fn::If": ["IsProd", reserved, ref("AWS::NoValue")]}
        if security_group:
            props["VpcConfig"] = {
                "SecurityGroupIds": [get_att(security_group, "GroupId")],
                "SubnetIds": ref("PrivateSubnetIds"),
            }
        function = self.add(group, [*handler_path, "Resource"], "AWS::Lambda::Function", props,
                            DependsOn=[policy, role],
                            Metadata={"aws:asset:path": f"asset.{asset}", "aws:asset:is-bundled": False,
                                      "aws:asset:property": "Code"})
        self.functions.append(function)
        return function

    def owner_of(self, target: str) -> str:
        return next(owner for i, _, owner in self.shared if i == target)

    def env_for(self, target: str, kind: str, prefix: str) -> dict:
        """Environment variables through which a function finds a linked resource."""
        if kind == "bucket":
            return {f"{prefix}BUCKET_NAME": ref(target),
                    f"{prefix}BUCKET_URL": sub(f"https://${{{target}.RegionalDomainName}}/public")}
        if kind == "bucket-read":
            return {f"{prefix}BUCKET_NAME": ref(target)}
        if kind == "consume":
            return {f"{prefix}QUEUE_ARN": get_att(target, "Arn")}
        if kind == "send":
            return {f"{prefix}QUEUE_URL": ref(target)}
        return {f"{prefix}TABLE_NAME": ref(target)}

    def grant(self, target: str, kind: str) -> dict:
        """The policy statement the CDK's ``grant*`` methods add for a link."""
        arn = get_att(target, "Arn")
        if kind in ("bucket", "bucket-read"):
            actions = BUCKET_ACTIONS if kind == "bucket" else BUCKET_READ_ACTIONS
            return statement(list(actions), [arn, {"Fn::Join": ["", [get_att(target, "Arn"), "/*"]]}])
        if kind in ("consume", "send"):
            return statement(list(QUEUE_CONSUME_ACTIONS if kind == "consume" else QUEUE_SEND_ACTIONS), arn)
        actions = TABLE_ACTIONS if kind == "table" else TABLE_READ_ACTIONS
        indexes = sub(f"${{{target}.Arn}}/index/*")
        return statement(list(actions), [arn, indexes] if target in self.indexed_tables else arn)

    def extra_env(self, name: str) -> dict:
        rng = self.rng
        env: dict[str, Any] = {}
        if rng.random() < 0.5:
            env["MAX_RETRIES"] = str(rng.choice((2, 3, 5)))
        if rng.random() < 0.3:
            env["CONFIG_PATH"] = sub(f"/${{Env}}/{kebab(name)}/config")
        if rng.random() < 0.3:
            env["DEBUG"] = {"Fn::If": ["IsNotProd", "true", "false"]}
        if rng.random() < 0.15:
            env["REGION_PREFIX"] = {"Fn::Select": [0, {"Fn::Split": ["-", ref("AWS::Region")]}]}
        if rng.random() < 0.15:
            env["ALERTS_TOPIC_ARN"] = {"Fn::ImportValue": "SharedInfra-AlertsTopicArn"}
        if rng.random() < 0.1:
            env["STACK_LABEL_B64"] = {"Fn::Base64": sub("${AWS::StackName}:${Env}")}
        if self.functions and rng.random() < 0.2:
            env["DOWNSTREAM_FUNCTION"] = ref(rng.choice(self.functions))
        return env

    def cdk_metadata(self) -> Group:
        group = Group()
        blob = base64.b64encode(self.rng.randbytes(270)).decode()
        resource = {
            "Type": "AWS::CDK::Metadata",
            "Properties": {"Analytics": f"v2:deflate64:{blob}"},
            "Metadata": {"aws:cdk:path": f"{STACK}/CDKMetadata/Default"},
            "Condition": "CDKMetadataAvailable",
        }
        group.resources["CDKMetadata"] = resource
        return group


def set_billing(props: dict, mode: str, capacity: int = 5) -> None:
    """Switch a table's billing mode, adding or dropping provisioned throughput."""
    props["BillingMode"] = mode
    for holder in [props, *props.get("GlobalSecondaryIndexes", [])]:
        if mode == "PROVISIONED":
            holder["ProvisionedThroughput"] = {"ReadCapacityUnits": capacity, "WriteCapacityUnits": capacity}
        else:
            holder.pop("ProvisionedThroughput", None)


def template_shell(resources: dict, outputs: dict) -> Template:
    """The sections ``cdk synth`` emits around the resources."""
    regions = [{"Fn::Equals": [ref("AWS::Region"), r]} for r in CDK_REGIONS]
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Shop application stack: storefront APIs, workers and data stores",
        "Parameters": {
            "Env": {"Type": "String", "Default": "prod", "AllowedValues": ["dev", "staging", "prod"],
                    "Description": "Deployment environment"},
            "VpcId": {"Type": "AWS::EC2::VPC::Id", "Default": "vpc-0a1b2c3d4e5f60718",
                      "Description": "VPC the Lambda functions attach to"},
            "PrivateSubnetIds": {"Type": "List<AWS::EC2::Subnet::Id>",
                                 "Description": "Private subnets for VPC-attached functions"},
            "LogRetentionDays": {"Type": "Number", "Default": "30", "MinValue": 0,
                                 "Description": "Days to keep access logs; 0 keeps them"},
            "BootstrapVersion": {
                "Type": "AWS::SSM::Parameter::Value<String>",
                "Default": "/cdk-bootstrap/hnb659fds/version",
                "Description": "Version of the CDK Bootstrap resources in this environment, automatically "
                               "retrieved from SSM Parameter Store. [cdk:skip]",
            },
        },
        "Conditions": {
            "IsProd": {"Fn::Equals": [ref("Env"), "prod"]},
            "IsNotProd": {"Fn::Not": [{"Condition": "IsProd"}]},
            "HasLogRetention": {"Fn::Not": [{"Fn::Equals": [ref("LogRetentionDays"), "0"]}]},
            "ExpireLogs": {"Fn::And": [{"Condition": "IsProd"}, {"Condition": "HasLogRetention"}]},
            "CDKMetadataAvailable": {"Fn::Or": [{"Fn::Or": regions[:10]}, {"Fn::Or": regions[10:]}]},
        },
        "Mappings": {
            "EnvConfig": {
                "dev": {"LogLevel": "DEBUG", "SampleRate": "1.0"},
                "staging": {"LogLevel": "INFO", "SampleRate": "0.5"},
                "prod": {"LogLevel": "WARN", "SampleRate": "0.05"},
            },
        },
        "Resources": resources,
        "Outputs": {
            **outputs,
            "PrimaryAvailabilityZone": {"Value": {"Fn::Select": [0, {"Fn::GetAZs": ""}]}},
        },
        "Rules": {
            "CheckBootstrapVersion": {
                "Assertions": [{
                    "Assert": {"Fn::Not": [{"Fn::Contains": [["1", "2", "3", "4", "5"], ref("BootstrapVersion")]}]},
                    "AssertDescription": "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' "
                                         "with a recent version of the CDK CLI.",
                }],
            },
        },
    }


def assemble(groups: list[Group]) -> Template:
    resources: dict[str, dict] = {}
    outputs: dict[str, dict] = {}
    for group in groups:
        resources.update(group.resources)
        outputs.update(group.outputs)
    return template_shell(resources, outputs)


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


# -- rendering -------------------------------------------------------------------

def to_json(template: Template) -> str:
    """JSON the way ``cdk synth`` writes it (one-space indent)."""
    return json.dumps(template, indent=1) + "\n"


SHORT_FORM_TAGS = {"Ref": "!Ref", "Condition": "!Condition"} | {
    f"Fn::{name}": f"!{name}"
    for name in ("And", "Base64", "Cidr", "Equals", "FindInMap", "GetAZs", "GetAtt", "If",
                 "ImportValue", "Join", "Not", "Or", "Select", "Split", "Sub")
}


FLOW_LIMIT = 100  # longest argument list (as JSON) a short form writes on one line


class _CfnDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _short_form(node: Any) -> tuple[str, Any] | None:
    """(tag, argument) when ``node`` is an intrinsic function YAML can write in short form."""
    if isinstance(node, dict) and len(node) == 1:
        key, value = next(iter(node.items()))
        if key in SHORT_FORM_TAGS and isinstance(value, (str, list, dict)):
            return SHORT_FORM_TAGS[key], value
    return None


def _is_flat(node: Any) -> bool:
    """True for scalars and for lists and short forms made only of those."""
    if isinstance(node, list):
        return all(_is_flat(item) for item in node)
    if isinstance(node, dict):
        short = _short_form(node)
        return short is not None and _is_flat(short[1])
    return True


def _represent_dict(dumper: yaml.SafeDumper, data: dict) -> yaml.Node:
    """Intrinsic functions in short form.  A short-form tag cannot directly
    hold another one (``!Base64 !Sub x`` is not YAML), so an intrinsic whose
    argument is itself an intrinsic tags that argument's mapping, which keeps
    the inner function in long form (``!Base64 {Fn::Sub: x}``)."""
    short = _short_form(data)
    if short is None:
        return dumper.represent_dict(data)
    tag, value = short
    if isinstance(value, dict):
        return dumper.represent_mapping(tag, value)
    if isinstance(value, str):
        return dumper.represent_scalar(tag, value, style="'" if tag == "!Sub" or not value else None)
    if tag == "!GetAtt" and len(value) == 2 and all(isinstance(v, str) for v in value):
        return dumper.represent_scalar(tag, ".".join(value))
    one_line = _is_flat(value) and len(json.dumps(value)) <= FLOW_LIMIT
    return dumper.represent_sequence(tag, value, flow_style=one_line)


_CfnDumper.add_representer(dict, _represent_dict)


def to_yaml(template: Template) -> str:
    """YAML with CloudFormation short-form intrinsic tags, keys in template order."""
    return yaml.dump(template, Dumper=_CfnDumper, sort_keys=False, default_flow_style=False, width=120)


def write_pairs(out_dir: Path, sizes: tuple[int, ...] = (50, 500, 2000), seed: int = 0) -> list[Path]:
    """Write ``out_dir/<n>/{old,new}.{json,yaml}`` for each size; returns the paths written."""
    written = []
    for n in sizes:
        directory = Path(out_dir) / str(n)
        directory.mkdir(parents=True, exist_ok=True)
        old, new = generate_pair(n, seed)
        for label, template in (("old", old), ("new", new)):
            for suffix, render in (("json", to_json), ("yaml", to_yaml)):
                path = directory / f"{label}.{suffix}"
                path.write_text(render(template), encoding="utf-8")
                written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("bench/out"), help="output directory (default: bench/out)")
    parser.add_argument("--sizes", default="50,500,2000", help="comma-separated resource counts (default: 50,500,2000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip())
    started = time.perf_counter()
    paths = write_pairs(args.out, sizes, args.seed)
    elapsed = time.perf_counter() - started
    for path in paths:
        print(f"{path}  {path.stat().st_size / 1e6:.3f} MB")
    print(f"wrote {len(paths)} files in {elapsed:.2f} s")


if __name__ == "__main__":
    main()
