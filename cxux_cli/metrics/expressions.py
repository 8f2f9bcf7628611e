"""Check SQL expressions (filter, condition, measure, derived expressions, --where).

An expression is parsed with sqlglot and accepted only when it is ONE
expression built from an allow-list of node types: no statements, subqueries,
`;`, comments, quoted or qualified identifiers, or functions outside the
allow-list, nor nested deeper than MAX_PARENTHESES or MAX_TREE_DEPTH (beyond
that the recursive parser and renderer would exhaust Python's stack). `render_where` turns a checked --where into SQL over
whitelisted columns with every literal as a bound parameter, so user text is
never pasted, and refuses a comparison of a text dimension with a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Tokenizer, TokenType

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
# Deepest nesting accepted, beyond any hand-written expression and below Python's
# recursion limit: sqlglot's parser recurses about 18 frames per parenthesis (55 levels
# exhaust the default limit of 1000); an and/or chain parses in a loop into a tree one
# level deeper per operator, which render() walks recursively.
MAX_PARENTHESES = 25
MAX_TREE_DEPTH = 200
TOO_DEEP = (f"is too deeply nested (at most {MAX_PARENTHESES} levels of parentheses and "
            f"{MAX_TREE_DEPTH} of operators); write it flatter, e.g. "
            "region in ('a', 'b') instead of many or")

# Functions allowed in definitions (portable across DuckDB, PostgreSQL and Spark).
ALLOWED_FUNCTIONS: dict[type, str] = {
    exp.Abs: "abs", exp.Coalesce: "coalesce", exp.Nullif: "nullif", exp.Lower: "lower",
    exp.Upper: "upper", exp.Trim: "trim", exp.Length: "length", exp.Round: "round",
    exp.Floor: "floor", exp.Ceil: "ceil", exp.Greatest: "greatest", exp.Least: "least",
    exp.Cast: "cast", exp.Ln: "ln", exp.Exp: "exp", exp.Sqrt: "sqrt", exp.Pow: "power",
    exp.DateTrunc: "date_trunc", exp.TimestampTrunc: "date_trunc", exp.Extract: "extract",
}
PREDICATES = (exp.And, exp.Or, exp.Not, exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE,
              exp.Is, exp.In, exp.Between, exp.Like, exp.ILike, exp.Boolean)
ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.Neg)
STRUCTURE = (exp.Column, exp.Identifier, exp.Literal, exp.Null, exp.Paren, exp.Case, exp.If,
             exp.DataType, exp.Var, exp.Tuple, exp.Interval)
ALLOWED_NODES = PREDICATES + ARITHMETIC + STRUCTURE + tuple(ALLOWED_FUNCTIONS)
# --where over metric_values: comparisons and literals only, no functions.
WHERE_NODES = PREDICATES + (exp.Column, exp.Identifier, exp.Literal, exp.Null, exp.Paren,
                            exp.Neg, exp.Tuple)


@dataclass
class Checked:
    """The outcome of checking one expression."""

    tree: exp.Expression | None = None
    columns: list[str] = field(default_factory=list)  # identifiers used, sorted
    errors: list[str] = field(default_factory=list)


def _node_name(node: exp.Expression) -> str:
    if isinstance(node, exp.Anonymous):
        return f"function {node.name}()"
    if isinstance(node, exp.Func):
        return f"function {node.sql_name().lower()}()"
    if isinstance(node, (exp.Select, exp.Subquery, exp.Union)):
        return "a subquery"
    return type(node).__name__.lower()


def parse(text: str, *, allowed=ALLOWED_NODES) -> Checked:
    """Parse one expression and check it against the allow-list (no column check)."""
    checked = Checked()
    if not isinstance(text, str) or not text.strip():
        checked.errors.append("is empty")
        return checked
    try:
        tokens = Tokenizer().tokenize(text)
    except (TokenError, ValueError) as exc:
        checked.errors.append(f"cannot be read as SQL: {exc}")
        return checked
    if any(token.token_type == TokenType.SEMICOLON for token in tokens):
        checked.errors.append("must be a single expression: ';' is not allowed")
        return checked
    if any(token.comments for token in tokens):
        checked.errors.append("must not contain SQL comments (-- or /* */)")
        return checked
    if _paren_depth(tokens) > MAX_PARENTHESES:
        checked.errors.append(TOO_DEEP)
        return checked
    try:
        trees = sqlglot.parse(text)
    except (ParseError, TokenError) as exc:
        message = str(exc).splitlines()[0]
        checked.errors.append(f"is not valid SQL: {message}")
        return checked
    except RecursionError:  # e.g. hundreds of `not`: deep without parentheses
        checked.errors.append(TOO_DEEP)
        return checked
    if len(trees) != 1 or trees[0] is None:
        checked.errors.append("must be a single expression")
        return checked
    tree = trees[0]
    if _tree_depth(tree) > MAX_TREE_DEPTH:  # long and/or chains parse into deep trees
        checked.errors.append(TOO_DEEP)
        return checked
    if tree.find(exp.Select, exp.Subquery, exp.Union, exp.Query) is not None:
        checked.errors.append("must be an expression, not a query or subquery")
        return checked
    columns = set()
    for node in tree.walk():
        if isinstance(node, exp.Placeholder):
            checked.errors.append("must not contain placeholders")
            return checked
        if not isinstance(node, allowed):
            what = _node_name(node)
            if isinstance(node, exp.Func):
                checked.errors.append(f"uses {what}, which is not in the allow-list "
                                      "(see docs/metrics_spec.md)")
            elif isinstance(node, exp.Expression) and node.key in ("drop", "insert", "update",
                                                                   "delete", "create",
                                                                   "command"):
                checked.errors.append("must be an expression, not a statement")
            else:
                checked.errors.append(f"uses {what}, which is not allowed here")
            return checked
        if isinstance(node, exp.Column):
            if node.table:
                checked.errors.append(f"uses a qualified column '{node.sql()}': write the "
                                      "column name alone")
                return checked
            identifier = node.this
            if not isinstance(identifier, exp.Identifier) or identifier.quoted or \
                    not IDENTIFIER.match(identifier.name):
                checked.errors.append(f"uses '{node.sql()}': column names must be plain "
                                      "lowercase identifiers")
                return checked
            columns.add(identifier.name)
    checked.tree = tree
    checked.columns = sorted(columns)
    return checked


def _paren_depth(tokens) -> int:
    depth = deepest = 0
    for token in tokens:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
            deepest = max(deepest, depth)
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
    return deepest


def _tree_depth(tree: exp.Expression) -> int:
    """Levels of the parse tree, counted without recursion."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.iter_expressions())
    return deepest


def is_boolean(tree: exp.Expression) -> bool:
    """A predicate, or a bare column (a boolean column such as is_success)."""
    while isinstance(tree, exp.Paren):
        tree = tree.this
    return isinstance(tree, PREDICATES + (exp.Column,))


def check(text: str, *, boolean: bool, known: set[str] | None = None) -> Checked:
    """Parse, check the allow-list, booleanness and (when known is given) the columns."""
    checked = parse(text)
    if checked.errors:
        return checked
    if boolean and not is_boolean(checked.tree):
        checked.errors.append("must be a boolean expression (a comparison, and/or/not, in, "
                              "between, is null, like, or a boolean column)")
    if known is not None:
        for column in checked.columns:
            if column not in known:
                checked.errors.append(f"unknown column '{column}'")
    return checked


# ---------------------------------------------------------------- --where rendering

_OPERATORS = {exp.EQ: "=", exp.NEQ: "<>", exp.GT: ">", exp.GTE: ">=", exp.LT: "<",
              exp.LTE: "<=", exp.Like: "like", exp.ILike: "ilike"}


def render_where(text: str, columns: dict[str, str]) -> tuple[str, list]:
    """SQL and parameters for a --where over the given columns {name: sql reference}.

    Raises ValueError with a plain message when the text is not acceptable.
    The SQL is rebuilt from the parse tree: only whitelisted column references,
    operators we emit ourselves, and `?` placeholders for every literal. The
    columns are dimensions of metric_values, whose values are text: comparing one
    with a number or true/false is refused here, before any SQL runs.
    """
    checked = parse(text, allowed=WHERE_NODES)
    if checked.errors:
        raise ValueError(f"--where {checked.errors[0]}")
    if not is_boolean(checked.tree):
        raise ValueError("--where must be a boolean expression")
    unknown = [c for c in checked.columns if c not in columns]
    if unknown:
        usable = ", ".join(sorted(columns)) or "none (add --by DIM)"
        raise ValueError(f"--where uses '{unknown[0]}', which is not a --by dimension; "
                         f"usable columns: {usable}")
    params: list = []

    def value(node) -> object:
        if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal) and \
                not node.this.is_string:
            return -float(node.this.this)
        if isinstance(node, exp.Literal):
            if node.is_string:
                return node.this
            number = node.this
            return int(number) if re.fullmatch(r"-?\d+", number) else float(number)
        if isinstance(node, exp.Boolean):
            return bool(node.this)
        raise ValueError("--where compares a column with a literal only")

    def text_only(column, other) -> None:
        """A dimension (text) compared with a number or boolean: say so plainly."""
        while isinstance(column, exp.Paren):
            column = column.this
        while isinstance(other, exp.Paren):
            other = other.this
        if isinstance(other, exp.Column) and not isinstance(column, exp.Column):
            column, other = other, column
        if not isinstance(column, exp.Column):
            return
        is_number = (isinstance(other, exp.Literal) and not other.is_string) or (
            isinstance(other, exp.Neg) and isinstance(other.this, exp.Literal))
        if is_number or isinstance(other, exp.Boolean):
            raise ValueError(
                f"--where compares '{column.name}' with {other.sql()}, but '{column.name}' is "
                f"a text dimension: quote the value, e.g. {column.name} = '{other.sql()}'")

    def operand(node) -> str:
        if isinstance(node, exp.Paren):
            return operand(node.this)
        if isinstance(node, exp.Column):
            return columns[node.name]
        params.append(value(node))
        return "?"

    def render(node) -> str:
        if isinstance(node, exp.Paren):
            return f"({render(node.this)})"
        if isinstance(node, exp.And):
            return f"({render(node.left)} and {render(node.right)})"
        if isinstance(node, exp.Or):
            return f"({render(node.left)} or {render(node.right)})"
        if isinstance(node, exp.Not):
            return f"(not {render(node.this)})"
        if isinstance(node, tuple(_OPERATORS)):
            text_only(node.left, node.right)
            return f"{operand(node.left)} {_OPERATORS[type(node)]} {operand(node.right)}"
        if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
            return f"({operand(node.this)} is null)"
        if isinstance(node, exp.In):
            items = node.expressions
            if not items:
                raise ValueError("--where: 'in' needs a list of literals")
            for item in items:
                text_only(node.this, item)
            left = operand(node.this)
            return f"{left} in ({', '.join(operand(item) for item in items)})"
        if isinstance(node, exp.Between):
            text_only(node.this, node.args["low"])
            text_only(node.this, node.args["high"])
            return (f"{operand(node.this)} between {operand(node.args['low'])} "
                    f"and {operand(node.args['high'])}")
        # a bare column is not a condition: dimension values are text
        bare = isinstance(node, exp.Column)
        raise ValueError("--where compares a column with a literal only" if bare
                         else f"--where cannot use {_node_name(node)}")

    sql = render(checked.tree)
    return sql, params
