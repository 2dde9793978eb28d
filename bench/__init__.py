"""Benchmark inputs for impact: generated CloudFormation template pairs."""
