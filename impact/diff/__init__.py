"""Diff: takes two resolved :class:`~impact.model.Template` objects; gives a
:class:`~impact.model.ResourceDiff` of unlabelled :class:`~impact.model.Change` objects
per differing resource, and the other sections' changes.
"""
