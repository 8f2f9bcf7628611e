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


PACKAGE_NAME = "cxux"
# In a host project (cxux installed as a package): the metric definitions the host
# maintains (its targets, owners and metrics of its own), and where `cxux metrics compile`
# writes the registry that merges them with the package's (README, "Use cxux in your
# dbt project").
HOST_METRICS_DIR = Path("cxux_metrics")
METRICS_DIR = Path("metrics")  # cxux's own definitions (metrics/loader.py reads them)
HOST_REGISTRY_FILE = Path("macros/cxux_metrics/cxux_host_metric_registry.sql")


def find_project_dir(start: str | os.PathLike | None = None) -> Path:
    """The dbt project to run: CXUX_PROJECT_DIR, else the nearest parent with dbt_project.yml.

    It is a cxux checkout or a host project that installs cxux as a package."""
    explicit = start or os.environ.get("CXUX_PROJECT_DIR")
    if explicit:
        path = Path(explicit).resolve()
        if not (path / "dbt_project.yml").is_file():
            raise CxuxError(f"{path}: not a dbt project (no dbt_project.yml)")
        return path
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / "dbt_project.yml").is_file():
            return candidate
    raise CxuxError(
        f"no dbt_project.yml in {here} or its parents; run from the project or set CXUX_PROJECT_DIR"
    )


def dbt_project_document(root: Path) -> dict:
    import yaml

    path = root / "dbt_project.yml"
    if not path.is_file():  # a scratch directory of a test: no settings of its own
        return {}
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CxuxError(f"{path}: cannot read it ({exc})") from None


def installed_package_dir(root: Path) -> Path | None:
    """Where a host project installed cxux (its packages-install-path); None when root is
    cxux itself: named cxux, or a copy of its layout under another name (a metrics/ folder,
    as tests make). Any other dbt project without cxux installed gets a clear error."""
    document = dbt_project_document(root)
    name = document.get("name")
    if name == PACKAGE_NAME:
        return None
    install_path = Path(document.get("packages-install-path") or "dbt_packages")
    installed = (install_path if install_path.is_absolute() else root / install_path) / PACKAGE_NAME
    if (installed / "dbt_project.yml").is_file():
        return installed
    if (root / METRICS_DIR).is_dir():
        return None
    raise CxuxError(
        f"{root} is the dbt project {name!r} and cxux is not installed in it ({installed} is "
        "missing): add cxux to its packages.yml and run `dbt deps` there (README, \"Use "
        "cxux in your dbt project\")"
    )


def _render(value, where: str):
    """A profiles.yml value as dbt renders it: Jinja with env_var (no default: required)."""
    if not isinstance(value, str) or "{" not in value:
        return value
    import jinja2

    def env_var(name, default=None):
        if name in os.environ:
            return os.environ[name]
        if default is None:
            raise CxuxError(f"{where}: environment variable {name} is not set")
        return default

    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    environment.filters["as_number"] = lambda text: float(text) if "." in str(text) else int(text)
    environment.filters["as_bool"] = lambda text: str(text).lower() == "true"
    return environment.from_string(value).render(env_var=env_var)


@dataclass(frozen=True)
class Project:
    """Resolved locations for one invocation.

    root: the dbt project dbt runs (a cxux checkout, or a host project); package_root:
    cxux's own files (the contract, adapters, metric definitions): root itself, or the
    host's installed copy (dbt_packages/cxux)."""

    root: Path
    target: str | None = None
    package_root: Path | None = None

    @classmethod
    def resolve(cls, project_dir: str | None = None, target: str | None = None) -> Project:
        root = find_project_dir(project_dir)
        package = installed_package_dir(root)
        return cls(root=root, target=target or os.environ.get("CXUX_TARGET") or None,
                   package_root=package)

    def __post_init__(self):
        # frozen: fill the defaults once (a cxux checkout is its own package; the
        # target defaults to the profile's own `target`)
        if self.package_root is None:
            object.__setattr__(self, "package_root", self.root)
        if self.target is None:
            object.__setattr__(self, "target", self._default_target())

    @property
    def is_host(self) -> bool:
        """True when cxux runs as a package inside another dbt project."""
        return self.package_root != self.root

    # ------------------------------------------------------------ dbt profile

    @property
    def profiles_dir(self) -> Path:
        """Where dbt finds profiles.yml: the project's own, else DBT_PROFILES_DIR, else ~/.dbt
        (dbt's own order)."""
        if (self.root / "profiles.yml").is_file():
            return self.root
        if os.environ.get("DBT_PROFILES_DIR"):
            return Path(os.environ["DBT_PROFILES_DIR"]).expanduser().resolve()
        return Path.home() / ".dbt"

    def _profile(self) -> tuple[str, dict]:
        """(where, the profile): the profile dbt_project.yml names, from profiles_dir. A
        cxux directory without profiles.yml (a test's scratch copy) gets the defaults of
        cxux's own profiles.yml: target duckdb at CXUX_DUCKDB_PATH."""
        import yaml

        path = self.profiles_dir / "profiles.yml"
        if not path.is_file() and not self.is_host:
            return "cxux defaults", {"target": "duckdb", "outputs": {"duckdb": {
                "type": "duckdb",
                "path": os.environ.get("CXUX_DUCKDB_PATH", "warehouse/cxux.duckdb")}}}
        try:
            profiles = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise CxuxError(f"{path}: cannot read the dbt profiles ({exc})") from None
        name = dbt_project_document(self.root).get("profile") or PACKAGE_NAME
        if name not in profiles:
            raise CxuxError(f"{path}: no profile {name!r} (dbt_project.yml of {self.root} "
                            "names it)")
        return f"{path}: profile {name}", profiles[name] or {}

    def _default_target(self) -> str:
        where, profile = self._profile()
        target = _render(profile.get("target"), f"{where}, target")
        if not target:
            raise CxuxError(f"{where} names no default target: pass --target")
        return str(target)

    def target_output(self, key: str):
        """One setting of the target's output in the profile, rendered (type, path, ...)."""
        where, profile = self._profile()
        outputs = profile.get("outputs") or {}
        if self.target not in outputs:
            raise CxuxError(f"{where}: unknown target {self.target!r} (it has: "
                            f"{', '.join(outputs)})")
        return _render(outputs[self.target].get(key), f"{where}, {self.target}.{key}")

    @property
    def duckdb_path(self) -> Path:
        """The DuckDB file: the duckdb target's `path` in the profile; for the other engines
        the file cxux stages raw data in (CXUX_DUCKDB_PATH, default warehouse/cxux.duckdb)."""
        raw = self.target_output("path") if self.target_output("type") == "duckdb" else None
        path = Path(raw or os.environ.get("CXUX_DUCKDB_PATH", "warehouse/cxux.duckdb"))
        return path if path.is_absolute() else self.root / path

    def dbt_vars(self, overrides: dict | None = None) -> dict:
        """The dbt vars cxux's models see: cxux's dbt_project.yml `vars:`, then a host's,
        then overrides (`--vars`), as dbt layers them."""
        layers = [dbt_project_document(self.package_root).get("vars") or {}]
        if self.is_host:
            host = dbt_project_document(self.root).get("vars") or {}
            # global vars, then the ones scoped to cxux (`vars: {cxux: {...}}`) over them;
            # a dict under another package's name is that package's scope
            layers.append({key: value for key, value in host.items()
                           if key.startswith("cxux_") or not isinstance(value, dict)})
            scoped = host.get(PACKAGE_NAME)
            layers.append(scoped if isinstance(scoped, dict) else {})
        layers.append(overrides or {})
        merged: dict = {}
        for layer in layers:
            merged.update(layer)
        return merged

    # ------------------------------------------------------------ cxux's files

    @property
    def raw_schema(self) -> str:
        """The schema of the raw tables, as the cxux_raw source reads it: var
        cxux_raw_schema (a host's vars too), else env CXUX_RAW_SCHEMA, else raw."""
        return str(self.dbt_vars().get("cxux_raw_schema")
                   or os.environ.get("CXUX_RAW_SCHEMA", "raw"))

    def adapter_systems(self) -> list[str]:
        """Systems with a source adapter (a folder with its source YAML)."""
        return sorted(p.parent.name
                      for p in (self.package_root / ADAPTERS_DIR).glob("*/_*__sources.yml"))

    def adapter_schema(self, system: str) -> str:
        """The schema an adapter reads: var cxux_<system>_schema (dbt_project.yml vars)."""
        name = f"cxux_{system}_schema"
        schema = self.dbt_vars().get(name)
        if not schema:
            raise CxuxError(f"dbt_project.yml declares no var {name} (the schema adapter "
                            f"{system} reads)")
        return str(schema)

    @property
    def raw_sources_file(self) -> Path:
        return self.package_root / RAW_SOURCES_FILE

    @property
    def dbt_target_path(self) -> Path:
        return self.root / os.environ.get("DBT_TARGET_PATH", "target")
