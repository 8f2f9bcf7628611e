"""Exceptions that map to the CLI's exit codes (one place: cli.main)."""


class CxuxError(Exception):
    """A usage or input error the user can fix: printed plainly, exit code 2."""

    exit_code = 2


class ChecksFailed(CxuxError):
    """The command ran, and checks (tests, expectations, validation) failed: exit code 1."""

    exit_code = 1
