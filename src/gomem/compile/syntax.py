"""Parsing Go source with tree-sitter's Go grammar, and Go-compiler-style positions.

``parse(src)`` returns the tree or raises :class:`SyntaxErr` with the first
error's position (the gc compiler stops at syntax errors too).  ``pos(node)``
gives the position the compiler's syntax tree records for a node: the
operator of a binary expression, the ``.`` of a selector, the ``(`` of a
call, the ``[`` of an index or slice, the ``{`` of a composite literal, the
start of everything else.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

import tree_sitter_go as tsg
from tree_sitter import Language, Node, Parser

from ..errors import GomemError


class SyntaxErr(GomemError):
    """A syntax error in the Go source, at its first error's position."""

    def __init__(self, line: int, col: int, msg: str):
        super().__init__(f"{line}:{col}: syntax error: {msg}")
        self.line = line
        self.col = col
        self.msg = msg
        self.filename: Optional[str] = None  # the file, where the package has several


@lru_cache(maxsize=1)
def _parser() -> Parser:
    return Parser(Language(tsg.language()))


def parse(src: bytes):
    """The syntax tree of a Go file; SyntaxErr at the first error the gc parser would report."""
    tree = raw_parse(src)
    check_tree(tree)
    return tree


def raw_parse(src: bytes):
    """The syntax tree, errors and all."""
    return _parser().parse(src)


def package_name(tree):
    """The name the file's package clause gives (None if there is none)."""
    for c in tree.root_node.named_children:
        if c.type == "package_clause":
            kids = named_children(c)
            return text(kids[0]) if kids else None
        if c.type != "comment":
            return None
    return None


def check_tree(tree) -> None:
    """SyntaxErr if the tree has an error or does not begin with the package clause."""
    err = first_error(tree.root_node)
    if err is not None:
        raise err
    first = next((c for c in tree.root_node.named_children if c.type != "comment"), None)
    if first is None or first.type != "package_clause":
        at = first.start_point if first is not None else (tree.root_node.end_point[0], tree.root_node.end_point[1])
        raise SyntaxErr(at[0] + 1, at[1] + 1, "package statement must be first")


def _describe(n: Node) -> str:
    txt = n.text.decode("utf-8", "replace") if n.text else ""
    if n.type == "identifier" or n.type == "type_identifier" or n.type == "field_identifier":
        return f"name {txt}"
    if n.type.endswith("_literal"):
        return f"literal {txt.splitlines()[0] if txt else ''}"
    if txt in ("\n", "") or n.type == "\n":
        return "newline"
    return txt.splitlines()[0] if txt else n.type


def first_error(root: Node):
    """The first ERROR or MISSING node, as a SyntaxErr (None if the tree is clean)."""
    if not root.has_error:
        return None
    stack = [root]
    best = None
    while stack:
        n = stack.pop()
        if n.is_missing:
            # like the gc parser, report the token that came instead of the missing one
            nxt = _next_token(n)
            want = _EXPECT.get(n.type, n.type)
            if nxt is None:
                where, what = n.start_point, "EOF"
            elif nxt.start_point[0] > n.start_point[0] and n.type not in (";", "\n"):
                where, what = n.start_point, "newline"
            else:
                where, what = nxt.start_point, _describe(nxt)
            cand = (where, SyntaxErr(where[0] + 1, where[1] + 1, f"unexpected {what}, expected {want}"))
            if best is None or cand[0] < best[0]:
                best = cand
            continue
        if n.type == "ERROR":
            leaves = _leaves(n)
            tok = leaves[0] if leaves else n
            msg = f"unexpected {_describe(tok)}"
            if leaves and leaves[-1].type in _OPERATORS:
                # an expression cut short: the parser trips on what follows
                nxt = _next_token(n)
                if nxt is not None:
                    tok = nxt
                    msg = f"unexpected {_describe(nxt)}, expected expression"
            cand = (tok.start_point, SyntaxErr(tok.start_point[0] + 1, tok.start_point[1] + 1, msg))
            if best is None or cand[0] < best[0]:
                best = cand
            continue
        if n.has_error:
            stack.extend(reversed(n.children))
    return best[1] if best else SyntaxErr(1, 1, "unexpected input")


_EXPECT = {";": "semicolon or newline", ")": ")", "}": "}", "]": "]", "identifier": "name", "type_identifier": "type"}
_OPERATORS = {"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "&^", "&&", "||", "==", "!=", "<", "<=", ">", ">=",
              "=", ":=", ",", "(", "[", "{", "<-", "!", "+=", "-=", "*=", "/="}


def _leaves(n: Node) -> list:
    out = []
    stack = [n]
    while stack:
        x = stack.pop()
        if x.child_count == 0:
            out.append(x)
        else:
            stack.extend(reversed(x.children))
    return out


def _next_token(n: Node):
    x = n
    while x is not None and x.next_sibling is None:
        x = x.parent
    if x is None:
        return None
    nxt = x.next_sibling
    while nxt is not None and nxt.child_count:
        nxt = nxt.children[0]
    while nxt is not None and nxt.is_missing:
        nxt = _next_token(nxt)
    return nxt


def start(n: Node) -> tuple:
    return (n.start_point[0] + 1, n.start_point[1] + 1)


def child_tok(n: Node, text: str):
    for c in n.children:
        if not c.is_named and c.type == text:
            return c
    return None


def pos(n: Node) -> tuple:
    """The position the gc compiler's syntax package gives node n."""
    t = n.type
    if t == "selector_expression":
        d = child_tok(n, ".")
        return start(d) if d is not None else start(n)
    if t == "type_assertion_expression":
        d = child_tok(n, ".")
        return start(d) if d is not None else start(n)
    if t in ("index_expression", "slice_expression", "type_instantiation_expression"):
        d = child_tok(n, "[")
        return start(d) if d is not None else start(n)
    if t == "call_expression":
        a = n.child_by_field_name("arguments")
        return start(a) if a is not None else start(n)
    if t == "type_conversion_expression":
        d = child_tok(n, "(")
        return start(d) if d is not None else start(n)
    if t == "composite_literal":
        b = n.child_by_field_name("body")
        return start(b) if b is not None else start(n)
    if t == "binary_expression":
        op = n.child_by_field_name("operator")
        return start(op) if op is not None else start(n)
    if t in ("assignment_statement", "short_var_declaration"):
        for c in n.children:
            if not c.is_named and c.type in ("=", ":=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "&^="):
                return start(c)
    if t in ("inc_statement", "dec_statement"):
        for c in n.children:
            if not c.is_named and c.type in ("++", "--"):
                return start(c)
    if t == "send_statement":
        d = child_tok(n, "<-")
        return start(d) if d is not None else start(n)
    if t == "range_clause":
        d = child_tok(n, "range")
        return start(d) if d is not None else start(n)
    if t == "keyed_element":
        d = child_tok(n, ":")
        return start(d) if d is not None else start(n)
    return start(n)


def text(n: Node) -> str:
    return n.text.decode("utf-8", "surrogateescape")


def named_children(n: Node) -> list:
    return [c for c in n.named_children if c.type != "comment"]


def named_field(n: Node, field: str) -> list:
    """The named children in a field (tree-sitter also lists the commas between names)."""
    return [c for c in n.children_by_field_name(field) if c.is_named]
