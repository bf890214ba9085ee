"""Template calls with constant arguments, made once when a template is compiled.

`{{ _("Search") }}` costs about 7 µs on every page (Jinja's call, the newstyle gettext
wrapper, Markup's `%`), and a page of the shipped templates has a dozen such calls, and a few
`url("static/site.css")`. Their results depend only on the environment (its language and the
site's base path), so they are computed at compile time and written into the compiled template
as text, exactly as the call would have given it at run time.

The compiled templates are kept between builds (Jinja's bytecode cache): `FoldingBytecodeCache`
keys them on what was folded into them too, so another language, base path or translation
never reuses them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.visitor import NodeTransformer

Fold = Callable[[str], nodes.Expr]
"""Makes the node that stands for a call with this one text argument; raises when it cannot."""


def translation_fold(translate: Callable[[str], str]) -> Fold:
    """`_("...")` and `{% trans %}` without variables, as Jinja's newstyle gettext gives them:
    the translation, formatted with no values ('%%' -> '%'), and safe when autoescaping."""
    def fold(message: str) -> nodes.Expr:
        return nodes.MarkSafeIfAutoescape(nodes.Const(translate(message) % {}))
    return fold


def text_fold(function: Callable[[str], str]) -> Fold:
    """A function of a text that gives a text, such as `url("static/site.css")`."""
    def fold(argument: str) -> nodes.Expr:
        return nodes.Const(function(argument))
    return fold


def _assigned_names(template: nodes.Template) -> set[str]:
    """Every name the template gives a value of its own (set, for, macro, import, ...)."""
    names = {n.name for n in template.find_all(nodes.Name) if n.ctx != "load"}
    names |= {m.name for m in template.find_all(nodes.Macro)}
    names |= {i.target for i in template.find_all(nodes.Import)}
    for imported in template.find_all(nodes.FromImport):
        names |= {n if isinstance(n, str) else n[1] for n in imported.names}
    return names


class _ConstantCalls(NodeTransformer):
    def __init__(self, folds: Mapping[str, Fold]) -> None:
        self.folds = folds

    def visit_Call(self, node: nodes.Call) -> nodes.Node:  # noqa: N802 - Jinja's visitor names
        node = self.generic_visit(node)
        fold = self.folds.get(node.node.name) if isinstance(node.node, nodes.Name) else None
        if (fold is None or len(node.args) != 1 or node.kwargs or node.dyn_args is not None
                or node.dyn_kwargs is not None or not isinstance(node.args[0], nodes.Const)
                or not isinstance(node.args[0].value, str)):
            return node
        try:
            folded = fold(node.args[0].value)
        except Exception:  # noqa: BLE001 - what fails now fails the same way at run time
            return node
        return folded.set_lineno(node.lineno).set_environment(node.environment)


def fold_constant_calls(template: nodes.Template, folds: Mapping[str, Fold]) -> nodes.Template:
    """The template with every call of a name in `folds` with one constant text replaced by
    its result. A template that gives one of these names a value of its own keeps its calls."""
    folds = {name: fold for name, fold in folds.items() if name not in _assigned_names(template)}
    return _ConstantCalls(folds).visit(template) if folds else template


class FoldingEnvironment(jinja2.Environment):
    """A Jinja environment that folds constant calls (see `fold_constant_calls`) at compile time."""

    folds: Mapping[str, Fold] = {}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Jinja's one place between parsing and code generation (Environment.compile).
        return fold_constant_calls(super()._parse(source, name, filename), self.folds)


class FoldingBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in a folder, each under its name and `variant` (the language
    and what was folded), checked against its source and `folded_key`."""

    def __init__(self, directory: str, variant: str, folded_key: str) -> None:
        super().__init__(directory)
        self.variant = variant
        self.folded_key = folded_key

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self.variant}\0{name}", filename)

    def get_source_checksum(self, source: str) -> str:
        return super().get_source_checksum(f"{self.folded_key}\0{source}")


def folded_key(*parts: Any) -> str:
    """A digest of what the folded calls depend on."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()
