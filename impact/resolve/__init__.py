"""Resolve: takes an expanded :class:`~impact.model.Template` and the parameter
values given for its stack; gives the values CloudFormation deploys, so that
later stages compare what is deployed, not what is written.
"""
