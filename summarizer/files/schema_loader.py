"""``--schema``: load a user's summary schema from a module or a file, and check it.

``module:Class`` imports an installed or importable module; ``path/to/file.py:Class`` loads a
file. The class must be a Pydantic model whose every leaf has a field kind
(:mod:`summarizer.kinds`); anything else is a :class:`~summarizer.core.errors.ConfigError` that
names the schema and the reason (the CLI exits 2).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
import traceback
from pathlib import Path

from pydantic import BaseModel

from summarizer.core.errors import ConfigError
from summarizer.core.news import ArticleSummary
from summarizer.core.schema_plan import compile_schema

__all__ = ["load_schema"]


def _import_file(path: Path, spec: str) -> object:
    if not path.is_file():
        raise ConfigError(f"--schema {spec}: no such file {path}")
    name = "summarizer_schema_" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    if name in sys.modules:
        return sys.modules[name]
    module_spec = importlib.util.spec_from_file_location(name, path)
    if module_spec is None or module_spec.loader is None:
        raise ConfigError(f"--schema {spec}: {path} is not a Python file")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module  # pydantic resolves forward references through it
    try:
        module_spec.loader.exec_module(module)
    except Exception as e:
        del sys.modules[name]
        last = traceback.extract_tb(e.__traceback__)[-1]
        raise ConfigError(
            f"--schema {spec}: importing {path} failed at line {last.lineno}: {type(e).__name__}: {e}"
        ) from e
    return module


def load_schema(spec: str | None) -> type[BaseModel]:
    """The schema named by ``spec``, compiled and checked.

    Args:
        spec: ``module:Class`` or ``path/to/file.py:Class``; None or empty for the default
            news schema (:class:`~summarizer.core.news.ArticleSummary`).

    Returns:
        The schema class.

    Raises:
        ConfigError: ``spec`` is malformed, its module or file cannot be imported, it names
            no attribute or no Pydantic model class, or (as ``SchemaError``) the model has
            fields the verifier cannot check. Each message names ``spec`` and the reason.
    """
    if not spec:
        return ArticleSummary
    where, sep, attr = spec.rpartition(":")
    if not sep or not where or not attr:
        raise ConfigError(f"--schema {spec}: write module:Class or path/to/file.py:Class")
    if where.endswith(".py") or "/" in where or "\\" in where:
        module = _import_file(Path(where), spec)
    else:
        try:
            module = importlib.import_module(where)
        except Exception as e:
            raise ConfigError(f"--schema {spec}: cannot import module {where}: {type(e).__name__}: {e}") from e
    cls = getattr(module, attr, None)
    if cls is None:
        raise ConfigError(f"--schema {spec}: {where} has no {attr}")
    if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
        raise ConfigError(f"--schema {spec}: {attr} is not a Pydantic model class (it is {type(cls).__name__})")
    compile_schema(cls)  # raises SchemaError (a ConfigError) naming every field it cannot check
    return cls
