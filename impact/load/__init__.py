"""Load: takes bytes (files, folders, git revisions, parameter files); gives
:class:`~impact.model.Template` objects, every value with its position and
written type, or one :class:`~impact.load.loader.LoadError` naming file, line and column.
"""
