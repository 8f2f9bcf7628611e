"""Summary of a quality run: a plain-text table or JSON, for stdout."""

from __future__ import annotations

import json

COLUMNS = ("suite", "expectation", "severity", "status", "observed", "unexpected", "sample ids")


def _cell(value, width: int = 60) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def rows(result, only_failures: bool = False) -> list[tuple[str, ...]]:
    out = []
    for o in result.outcomes:
        if only_failures and o.success:
            continue
        status = "pass" if o.success else ("ERROR" if o.severity == "error" else "warn")
        if o.error:
            status = "ERROR" if o.severity == "error" else "warn"
        observed = o.error and f"exception: {o.error.splitlines()[0]}" or o.observed_value
        out.append((
            o.suite, o.expectation, o.severity, status, _cell(observed),
            "" if o.unexpected_count is None else str(o.unexpected_count),
            _cell("; ".join(str(s) for s in o.sample_ids)),
        ))
    return out


def format_table(result, only_failures: bool = False) -> str:
    body = rows(result, only_failures)
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h)
              for i, h in enumerate(COLUMNS)]
    line = "  ".join(h.ljust(w) for h, w in zip(COLUMNS, widths))
    lines = [line, "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in body]
    failures = result.failures
    errors = sum(1 for o in failures if o.severity == "error")
    lines.append("")
    lines.append(
        f"{len(result.outcomes)} checks: {len(result.outcomes) - len(failures)} passed, "
        f"{errors} failed (error), {len(failures) - errors} failed (warning)"
    )
    if result.data_docs_path:
        lines.append(f"Data Docs: {result.data_docs_path}")
    return "\n".join(lines)


def format_json(result) -> str:
    return json.dumps(result.to_dict(), indent=2, default=str)
