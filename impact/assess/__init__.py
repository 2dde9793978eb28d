"""Assess: takes a classified :class:`~impact.model.StackDiff`; adds knock-on
changes (:mod:`.knockon`, :mod:`.graph`), security rows (:mod:`.security`,
:mod:`.iam`) and findings (:mod:`.checks`); :mod:`.stage` runs it.
"""
