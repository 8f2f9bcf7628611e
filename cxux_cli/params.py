"""Click options shared by several commands: each defined once here, reused everywhere.

- `--as-of` has one parser (`AsOf`): a date or an ISO 8601 time, an offset converted
  to UTC, returned as a naive UTC datetime (what the warehouse stores).
- `--format` is case-insensitive everywhere and returns the lowercase choice.
- `--vars` takes a YAML or JSON mapping, as `dbt --vars` does.

No option here reads an environment variable unless it says so (`Env: CXUX_...`).
"""

from __future__ import annotations

import datetime as dt

import click

FORMAT_HELP = "Output format (results on stdout, messages on stderr)."
AS_OF_METAVAR = "DATE|DATETIME"


def parse_as_of(text: str) -> dt.datetime:
    """'2026-06-30', '2026-06-30T12:00:00', '...Z' or '...+02:00' -> naive UTC datetime.

    Raises ValueError with a message that says what is accepted.
    """
    value = text.strip()
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date or time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS "
            "(UTC, or with an offset such as +02:00, which is converted to UTC)"
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def as_of_sql_text(as_of: dt.datetime) -> str:
    """The as-of as dbt's var `cxux_as_of` gets it: a UTC timestamp every engine casts."""
    return as_of.isoformat(sep=" ", timespec="seconds")


class AsOf(click.ParamType):
    """The one `--as-of` parser (see `parse_as_of`)."""

    name = "as_of"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.datetime):
            return value
        try:
            return parse_as_of(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


AS_OF = AsOf()


def as_of_option(help_text: str):
    """`--as-of` with the shared parser; the help says what "now" means for the command."""
    return click.option(
        "--as-of", "as_of", type=AS_OF, default=None, metavar=AS_OF_METAVAR,
        help=help_text + " An offset (+02:00) is converted to UTC.",
    )


def format_option(choices, default: str | None = "table", dest: str = "fmt",
                  help_text: str = FORMAT_HELP, required: bool = False):
    """`--format` with case-insensitive choices; the value is always lowercase."""
    return click.option(
        "--format", dest, type=click.Choice(list(choices), case_sensitive=False),
        default=None if required else default, required=required,
        show_default=not required, callback=_lowercase, help=help_text,
    )


def _lowercase(ctx, param, value):
    return value.lower() if isinstance(value, str) else value


class DbtVars(click.ParamType):
    """A YAML or JSON mapping, as `dbt --vars` takes it."""

    name = "vars"

    def convert(self, value, param, ctx):
        if isinstance(value, dict):
            return value
        import yaml

        try:
            parsed = yaml.safe_load(value)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or "cannot be read"
            self.fail(f"{value!r} is not YAML or JSON{where}: {problem}", param, ctx)
        if parsed is None:
            return {}
        if not isinstance(parsed, dict):
            self.fail(f"{value!r} must be a mapping such as '{{cxux_inactivity_days: 60}}', "
                      f"not a {type(parsed).__name__}", param, ctx)
        bad = [key for key in parsed if not isinstance(key, str)]
        if bad:
            self.fail(f"variable names must be text, not {bad[0]!r}", param, ctx)
        return parsed


vars_option = click.option(
    "--vars", "vars_", type=DbtVars(), default=None, metavar="YAML",
    help="dbt variables as a YAML or JSON mapping, passed to dbt and read by the quality "
         "checks (cxux_min_timestamp, cxux_future_tolerance_hours); defaults in "
         "dbt_project.yml `vars:`. Example: --vars '{cxux_future_tolerance_hours: 48}'.",
)
