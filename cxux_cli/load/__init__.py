"""`cxux load`: load a folder of exports into the raw schema, guarded, recorded, undoable.

- read.py: find the files, read them into an in-memory DuckDB and check them
  against the contract (names, columns, types, decimal scale), warehouse closed.
- loader.py: write them in one transaction, after the guards (empty files, a
  --replace that shrinks a table) and the duplicate check.
- ledger.py: the record of every load (cxux_meta.loads, cxux_meta.load_files),
  the row tag `_cxux_load_id`, undo and history.
- command.py: the Click command.
"""

from cxux_cli.load.command import load_command
from cxux_cli.load.loader import LoadReport, TableLoad, load_directory
from cxux_cli.load.read import LoadError, Problem

__all__ = ["LoadError", "LoadReport", "Problem", "TableLoad", "load_command", "load_directory"]
