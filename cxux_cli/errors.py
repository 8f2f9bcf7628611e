"""Exceptions that map to the CLI's exit codes (one place: cli.main)."""

import re


class CxuxError(Exception):
    """A usage or input error the user can fix: printed plainly, exit code 2."""

    exit_code = 2


class ChecksFailed(CxuxError):
    """The command ran, and checks (tests, expectations, validation) failed: exit code 1."""

    exit_code = 1


class ResourceError(CxuxError):
    """The machine ran out of memory or disk: not a data problem, so exit code 2."""


# DuckDB: "Out of Memory Error: failed to allocate ..." (dbt's message, GX's exception
# text) or duckdb.OutOfMemoryException; a full spill directory says
# "max_temp_directory_size" or "No space left on device".
_OUT_OF_RESOURCES = re.compile(
    r"out of memory|OutOfMemoryException|max_temp_directory_size|no space left on device",
    re.IGNORECASE,
)

OUT_OF_MEMORY_ADVICE = (
    "DuckDB ran out of memory or temp space. Raise CXUX_DUCKDB_MEMORY_LIMIT "
    "(default 8GB, e.g. CXUX_DUCKDB_MEMORY_LIMIT=16GB), point CXUX_DUCKDB_TEMP_DIR at a disk "
    "with free space for spilling (or raise CXUX_DUCKDB_MAX_TEMP_SIZE), or lower "
    "CXUX_DUCKDB_THREADS; then rerun."
)


def is_out_of_resources(error: object) -> bool:
    """True for an error (exception or message) that says memory or temp space ran out."""
    if error is None:
        return False
    text = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else str(error)
    return bool(_OUT_OF_RESOURCES.search(text))


def out_of_resources(what: str, error: object) -> ResourceError:
    """The ResourceError to raise: what ran out of memory, DuckDB's words, what to do."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    # dbt wraps DuckDB's message ("Runtime Error\n  Out of Memory Error: ..."): show DuckDB's
    words = next((line for line in lines if _OUT_OF_RESOURCES.search(line)),
                 lines[0] if lines else type(error).__name__)
    return ResourceError(f"{what}: {words}\n{OUT_OF_MEMORY_ADVICE}")
