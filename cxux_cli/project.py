"""Where things are: the project directory, the warehouse file, the dbt target.

Every path and setting has one definition here and an environment variable
(CXUX_*) so the CLI, the tests and the benchmarks agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cxux_cli.errors import CxuxError

RAW_SOURCES_FILE = Path("models/staging/raw/_raw__sources.yml")
# The dbt source that declares the raw contract: a name no host project is likely to use.
RAW_SOURCE_NAME = "cxux_raw"
# Source adapters (docs/adapters.md): models/adapters/<system>/ with its source YAML.
ADAPTERS_DIR = Path("models/adapters")


def adapter_source_name(system: str) -> str:
    """The dbt source an adapter reads: what its loader landed."""
    return f"cxux_{system}"


def adapter_sources_file(system: str) -> Path:
    return ADAPTERS_DIR / system / f"_{system}__sources.yml"


def find_project_dir(start: str | os.PathLike | None = None) -> Path:
    """The directory holding dbt_project.yml: CXUX_PROJECT_DIR, else the nearest parent."""
    explicit = start or os.environ.get("CXUX_PROJECT_DIR")
    if explicit:
        path = Path(explicit).resolve()
        if not (path / "dbt_project.yml").is_file():
            raise CxuxError(f"{path}: not a cxux project (no dbt_project.yml)")
        return path
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / "dbt_project.yml").is_file():
            _refuse_host_project(candidate)
            return candidate
    raise CxuxError(
        f"no dbt_project.yml in {here} or its parents; run from the project or set CXUX_PROJECT_DIR"
    )


def _refuse_host_project(root: Path) -> None:
    """A dbt project that installed cxux as a package is not the cxux project: say so,
    rather than read its (empty) metric catalog. The CLI runs from a cxux checkout today."""
    import yaml

    try:
        name = (yaml.safe_load((root / "dbt_project.yml").read_text(encoding="utf-8")) or {}).get(
            "name")
    except (OSError, yaml.YAMLError):
        return
    installed = root / "dbt_packages" / "cxux"
    if name != "cxux" and installed.is_dir():
        raise CxuxError(
            f"{root} is the dbt project {name!r}, which installs cxux as a package; the cxux "
            f"CLI runs on a cxux checkout: pass --project-dir {installed} (or set "
            "CXUX_PROJECT_DIR). In a host project, `dbt build` builds cxux's models and tests."
        )


@dataclass(frozen=True)
class Project:
    """Resolved locations for one invocation."""

    root: Path
    target: str

    @classmethod
    def resolve(cls, project_dir: str | None = None, target: str | None = None) -> Project:
        root = find_project_dir(project_dir)
        return cls(root=root, target=target or os.environ.get("CXUX_TARGET", "duckdb"))

    @property
    def duckdb_path(self) -> Path:
        """The DuckDB file dbt writes (same default as profiles.yml)."""
        raw = os.environ.get("CXUX_DUCKDB_PATH", "warehouse/cxux.duckdb")
        path = Path(raw)
        return path if path.is_absolute() else self.root / path

    @property
    def raw_schema(self) -> str:
        return os.environ.get("CXUX_RAW_SCHEMA", "raw")

    def adapter_systems(self) -> list[str]:
        """Systems with a source adapter (a folder with its source YAML)."""
        return sorted(p.parent.name for p in (self.root / ADAPTERS_DIR).glob("*/_*__sources.yml"))

    def adapter_schema(self, system: str) -> str:
        """The schema an adapter reads: var cxux_<system>_schema of dbt_project.yml."""
        import yaml

        document = yaml.safe_load((self.root / "dbt_project.yml").read_text(encoding="utf-8"))
        name = f"cxux_{system}_schema"
        schema = ((document or {}).get("vars") or {}).get(name)
        if not schema:
            raise CxuxError(f"dbt_project.yml declares no var {name} (the schema adapter "
                            f"{system} reads)")
        return str(schema)

    @property
    def raw_sources_file(self) -> Path:
        return self.root / RAW_SOURCES_FILE

    @property
    def dbt_target_path(self) -> Path:
        return self.root / os.environ.get("DBT_TARGET_PATH", "target")
