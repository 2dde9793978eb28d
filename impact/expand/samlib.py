"""The parts of ``aws-sam-translator`` a translation needs, imported once.

Importing the translator the ordinary way costs about 0.85 s, most of it in
modules no offline translation runs:

- ``boto3`` and ``botocore`` (about 0.3 s with what they import): the
  translator imports them at the top of its modules for a session's region
  (impact gives the region), the Serverless Application Repository client
  (refused: no network) and type annotations;
- ``jsonschema`` (about 0.1 s): used only to check the translator's own
  bundled policy templates against their schema, again at every
  translation (about 25 ms each); impact does not repeat that check;
- the pydantic models of ``samtranslator.internal.schema_source``: each
  validates one kind of SAM resource, and most templates use few kinds (a
  function's properties are not validated by its model at all).

While the translator is imported, a finder placed first on ``sys.meta_path``
hands out stand-ins: for ``boto3``, ``botocore`` (bar ``botocore`` itself and
``botocore.exceptions``, whose classes must be real for ``except`` clauses)
and ``jsonschema``, a module whose every name is a deferred reference that
imports the real module when it is called, subscripted, read or used in
``isinstance``; for each model module, a module that runs its code when a
name in it is first read.  The finder is removed once the import is done, and
the stand-in modules leave ``sys.modules``, so any later import gets the real
module.  If anything reads a deferred name during the import itself (another
release of the translator may), the stand-ins are dropped, the translator's
modules are forgotten and it is imported the ordinary way: the deferral only
ever changes when a module is imported, never what the translator does.
``IMPACT_SAM_IMPORT=plain`` turns it off (see ``python -m bench.sam``).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import os
import sys
import types
import typing
from types import SimpleNamespace

DEFERRED = ("boto3", "botocore", "jsonschema")
REAL = ("botocore", "botocore.exceptions")  # exception classes must be real for except clauses
LATER = "samtranslator.internal.schema_source.aws_serverless_"

_library: typing.Optional[SimpleNamespace] = None


class _Early(Exception):
    """A deferred name was used while the translator was being imported."""


class _Deferred:
    """A name of a module not imported yet: the module is imported, and the
    name read, when it is used."""

    __slots__ = ("_where", "_real")
    importing = False

    def __init__(self, module: str, name: str):
        object.__setattr__(self, "_where", (module, name))
        object.__setattr__(self, "_real", None)

    def _resolve(self):
        real = object.__getattribute__(self, "_real")
        if real is None:
            module, name = object.__getattribute__(self, "_where")
            if _Deferred.importing:
                raise _Early(f"{module}.{name}")
            real = getattr(importlib.import_module(module), name)
            object.__setattr__(self, "_real", real)
        return real

    def __getattr__(self, name):
        if name.startswith("__") and _Deferred.importing:
            raise AttributeError(name)  # typing's probes of an annotation (``Optional[BaseClient]``)
        return getattr(self._resolve(), name)

    def __call__(self, *args, **kwargs):
        return self._resolve()(*args, **kwargs)

    def __getitem__(self, item):
        return self._resolve()[item]

    def __instancecheck__(self, obj) -> bool:
        return isinstance(obj, self._resolve())

    def __subclasscheck__(self, cls) -> bool:
        return issubclass(cls, self._resolve())

    def __mro_entries__(self, bases):
        return (self._resolve(),)

    # ``Session | None`` in an annotation evaluated when a function is defined.
    def __or__(self, other):
        return typing.Any

    __ror__ = __or__


class _Standin(types.ModuleType):
    """A module whose every name is deferred."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Deferred(self.__name__, name)


class _Later(types.ModuleType):
    """A module whose code runs when one of its names is first read."""

    def __getattr__(self, name: str):
        loader = self.__dict__.pop("_impact_loader", None)
        if loader is None:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        loader.exec_module(self)
        return object.__getattribute__(self, name)


class _LaterLoader(importlib.abc.Loader):
    def __init__(self, real):
        self.real = real

    def create_module(self, spec):
        return _Later(spec.name)

    def exec_module(self, module) -> None:
        module.__dict__["_impact_loader"] = self.real


class _RealLoader(importlib.abc.Loader):
    """A real module, whose own imports are real too."""

    def __init__(self, finder: "_Finder", real):
        self.finder, self.real = finder, real

    def create_module(self, spec):
        return self.real.create_module(spec)

    def exec_module(self, module) -> None:
        self.finder.active = False
        try:
            self.real.exec_module(module)
        finally:
            self.finder.active = True


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self):
        self.active = True
        self.made: list = []

    def _real_spec(self, name, path, target):
        for finder in sys.meta_path:
            if finder is not self and hasattr(finder, "find_spec"):
                spec = finder.find_spec(name, path, target)
                if spec is not None:
                    return spec
        return None

    def find_spec(self, name, path=None, target=None):
        if not self.active:
            return None
        if name in REAL or name.startswith(LATER):
            spec = self._real_spec(name, path, target)
            if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
                spec.loader = _LaterLoader(spec.loader) if name.startswith(LATER) else _RealLoader(self, spec.loader)
            return spec
        if name.partition(".")[0] in DEFERRED:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        self.made.append(spec.name)
        return _Standin(spec.name)

    def exec_module(self, module) -> None:
        pass

    def remove(self) -> None:
        sys.meta_path.remove(self)
        for name in self.made:
            if isinstance(sys.modules.get(name), _Standin):
                del sys.modules[name]
            parent, _, child = name.rpartition(".")
            if isinstance(getattr(sys.modules.get(parent), child, None), _Standin):
                delattr(sys.modules[parent], child)


def _import() -> SimpleNamespace:
    from samtranslator.internal.managed_policies import get_bundled_managed_policy_map
    from samtranslator.metrics.metrics import DummyMetricsPublisher, Metrics
    from samtranslator.parser.parser import Parser
    from samtranslator.plugins.application.serverless_app_plugin import ServerlessAppPlugin
    from samtranslator.translator.arn_generator import ArnGenerator
    from samtranslator.translator.translator import Translator

    try:
        from samtranslator.policy_template_processor.processor import PolicyTemplatesProcessor
    except ImportError:
        PolicyTemplatesProcessor = None
    return SimpleNamespace(
        policies=get_bundled_managed_policy_map, DummyMetricsPublisher=DummyMetricsPublisher, Metrics=Metrics,
        Parser=Parser, ServerlessAppPlugin=ServerlessAppPlugin, ArnGenerator=ArnGenerator, Translator=Translator,
        PolicyTemplatesProcessor=PolicyTemplatesProcessor, deferred=False,
    )


def _forget_translator() -> None:
    for name in [m for m in sys.modules if m == "samtranslator" or m.startswith("samtranslator.")]:
        del sys.modules[name]


def _import_deferred() -> SimpleNamespace:
    if any(name in sys.modules for name in DEFERRED if name not in REAL) or "samtranslator" in sys.modules:
        return _import()  # already paid for
    finder = _Finder()
    sys.meta_path.insert(0, finder)
    _Deferred.importing = True
    try:
        lib = _import()
        lib.deferred = True
    except _Early:
        lib = None
    finally:
        _Deferred.importing = False
        finder.remove()
    if lib is None:
        _forget_translator()
        return _import()
    return lib


def library() -> SimpleNamespace:
    """The translator's classes and functions, imported the first time they
    are asked for.  Raises ImportError when aws-sam-translator is missing."""
    global _library
    if _library is None:
        lib = _import() if os.environ.get("IMPACT_SAM_IMPORT") == "plain" else _import_deferred()
        processor = lib.PolicyTemplatesProcessor
        if processor is not None and hasattr(processor, "_is_valid_templates_dict"):
            # The bundled policy templates against their own schema: the library's data, not the template's.
            processor._is_valid_templates_dict = staticmethod(lambda *args, **kwargs: True)
        _library = lib
    return _library
