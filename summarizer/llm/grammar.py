"""A JSON Schema as a GBNF grammar for llama.cpp that admits only compact JSON. Pure code.

llama.cpp's own conversion allows optional whitespace between every token, and a small model
then writes indented JSON: on the embedded 1.5B the same answer is 782 tokens indented and
529 compact (commit 4ed37ed; README, "Configuration"). This grammar allows no whitespace
outside strings, and writes every property in the schema's order (a property without a
default is required; one with a default is always written too, which the schema accepts). It
covers what Pydantic emits: objects, arrays with ``minItems``/``maxItems``, strings with
``maxLength``, numbers, integers, booleans, null, ``enum``, ``const``, ``anyOf``/``oneOf``,
``allOf`` of one schema, and ``$ref`` into ``$defs``. An array with ``maxItems`` 0 is ``[]``
whatever its items (they may admit nothing: an empty ``enum``). Anything else raises :class:`ValueError`
naming the schema part.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["compact_grammar"]

_PRIMITIVES = {
    "char": r'[^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4})',
    "string": r'"\"" char* "\""',
    "integer": r'"-"? ("0" | [1-9] [0-9]{0,15})',
    "number": r'integer ("." [0-9]+)? ([eE] [-+]? [0-9]+)?',
    "boolean": r'"true" | "false"',
    "null": r'"null"',
    "value": r"object | array | string | number | boolean | null",
    "object": r'"{" (string ":" value ("," string ":" value)*)? "}"',
    "array": r'"[" (value ("," value)*)? "]"',
}
_DEPENDS = {
    "string": ("char",),
    "number": ("integer",),
    "value": ("object", "array", "string", "number", "boolean", "null"),
    "object": ("string", "value"),
    "array": ("value",),
}


def _literal(text: str) -> str:
    """A GBNF literal matching ``text`` exactly."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class _Builder:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.rules: dict[str, str] = {}
        self.primitives: set[str] = set()

    def primitive(self, name: str) -> str:
        todo = [name]
        while todo:
            n = todo.pop()
            if n not in self.primitives:
                self.primitives.add(n)
                todo.extend(_DEPENDS.get(n, ()))
        return name

    def rule(self, hint: str, body: str) -> str:
        name = re.sub(r"[^a-zA-Z0-9-]", "-", hint).strip("-").lower() or "r"
        base, i = name, 1
        while name in self.rules and self.rules[name] != body:
            i += 1
            name = f"{base}-{i}"
        self.rules[name] = body
        return name

    def visit(self, s: dict[str, Any], hint: str) -> str:
        if "$ref" in s:
            ref = s["$ref"]
            if not ref.startswith("#/$defs/"):
                raise ValueError(f"{hint}: only local $defs references are supported, not {ref}")
            target = ref.rsplit("/", 1)[-1]
            name = re.sub(r"[^a-zA-Z0-9-]", "-", target).lower()
            if name not in self.rules:
                self.rules[name] = ""  # reserved: recursive references resolve to it
                self.rules[name] = self.body(self.root["$defs"][target], target)
            return name
        return self.rule(hint, self.body(s, hint))

    def body(self, s: dict[str, Any], hint: str) -> str:
        if "const" in s:
            return _literal(json.dumps(s["const"], ensure_ascii=False))
        if "enum" in s:
            if not s["enum"]:
                raise ValueError(f"{hint}: an empty enum admits no value")
            return " | ".join(_literal(json.dumps(v, ensure_ascii=False)) for v in s["enum"])
        for key in ("anyOf", "oneOf"):
            if key in s:
                return " | ".join(self.visit(alt, f"{hint}-{i}") for i, alt in enumerate(s[key]))
        if "allOf" in s:
            if len(s["allOf"]) != 1:
                raise ValueError(f"{hint}: allOf of several schemas is not supported")
            return self.visit(s["allOf"][0], hint)
        kind = s.get("type")
        if isinstance(kind, list):
            return " | ".join(self.visit({**s, "type": k}, f"{hint}-{k}") for k in kind)
        if kind == "object":
            props = s.get("properties") or {}
            if not props:
                return self.primitive("object")
            parts = [f"{_literal(json.dumps(k) + ':')} {self.visit(v, f'{hint}-{k}')}" for k, v in props.items()]
            return '"{" ' + ' "," '.join(parts) + ' "}"'
        if kind == "array":
            lo, hi = int(s.get("minItems", 0)), s.get("maxItems")
            if hi is not None and int(hi) == 0:
                return '"[" "]"'  # its items are never visited: they may admit nothing
            item = self.visit(s.get("items") or {}, f"{hint}-item") if s.get("items") else self.primitive("value")
            more = "*" if hi is None else f"{{{max(0, lo - 1)},{int(hi) - 1}}}"
            if lo == 0:
                return f'"[" ({item} ("," {item}){more})? "]"'
            if hi is None:
                more = f"{{{lo - 1},}}"
            return f'"[" {item} ("," {item}){more} "]"'
        if kind == "string":
            if "maxLength" in s or "minLength" in s:
                self.primitive("char")
                return (
                    f'"\\"" char{{{int(s.get("minLength", 0))},{int(s["maxLength"])}}} "\\""'
                    if "maxLength" in s
                    else f'"\\"" char{{{int(s["minLength"])},}} "\\""'
                )
            return self.primitive("string")
        if kind in ("integer", "number", "boolean", "null"):
            return self.primitive(kind)
        if kind is None and not set(s) - {"title", "description", "default"}:
            return self.primitive("value")
        raise ValueError(f"{hint}: JSON Schema type {kind!r} is not supported")


def compact_grammar(schema: dict[str, Any]) -> str:
    """The GBNF grammar of the compact JSON instances of ``schema``.

    Args:
        schema: A JSON Schema as Pydantic emits it (``model_json_schema()``).

    Returns:
        GBNF text, one rule per line, whose ``root`` rule admits exactly those instances.

    Raises:
        ValueError: The schema uses a construct the grammar does not cover (a remote
            ``$ref``, ``allOf`` of several schemas, another ``type``), or a part that admits no
            value (an empty ``enum`` outside an array capped at 0 items); the message names the
            schema part.
    """
    b = _Builder(schema)
    root = b.body(schema, "root")
    lines = [f"root ::= {root}"]
    lines += [f"{name} ::= {body}" for name, body in b.rules.items()]
    lines += [f"{name} ::= {_PRIMITIVES[name]}" for name in sorted(b.primitives)]
    return "\n".join(lines) + "\n"
