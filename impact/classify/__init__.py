"""Classify: takes the diff's :class:`~impact.model.Change` objects; gives each
its :class:`~impact.model.Verdict` from the rules table (:mod:`.rules`), with value
conditions (:mod:`.values`) and ``.impact.yaml`` overrides (:mod:`.config`) applied.
"""
