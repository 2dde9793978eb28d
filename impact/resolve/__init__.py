"""Resolve: takes two expanded :class:`~impact.model.Template` objects and
the values given for their stack; gives a Resolution that compares their
values as CloudFormation deploys them, case by case.

- :mod:`.evaluate`: the one evaluator of intrinsic functions, strict for the
  language-extensions expander (:mod:`impact.expand.langext`), symbolic for
  the resolve stage;
- :mod:`.worlds`: every assignment of the unknowns a value depends on
  (conditions, mapping keys, a changed ``Default``), up to a bound;
- :mod:`.stage`: :class:`~.stage.Resolution`, both revisions compared as
  resolved; later stages (the differ, knock-on, security) ask it;
- :mod:`.parameters`: the value a stack resolves for a parameter.
"""
