"""The `cxux` command line: a thin Click layer over importable modules.

Commands are imported only when invoked (LazyGroup), so `cxux --help` and the
commands that only read definitions or marts start fast: nothing here imports
dbt or Great Expectations. Each command module owns its options (shared ones are
defined once in params.py); this file owns the global options and the one mapping
from failures to exit codes: 0 success, 1 checks failed, 2 usage, resource
(out of memory) or unexpected error.

No option reads an environment variable unless it declares `envvar=` and says
"Env: CXUX_..." in its help: there is no automatic CXUX_<COMMAND>_<OPTION>.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

from cxux_cli import __version__
from cxux_cli.errors import CxuxError, is_out_of_resources, out_of_resources

# name -> "module:attribute"; the module defines a click.Command or click.Group.
COMMANDS = {
    "generate": "cxux_cli.generate.command:generate",
    "load": "cxux_cli.load:load_command",
    "build": "cxux_cli.build:build_command",
    "quality": "cxux_cli.quality.command:quality",
    "publish": "cxux_cli.publish:publish_command",
    "metrics": "cxux_cli.metrics.commands:metrics",
    "report": "cxux_cli.report:report_command",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands or {}

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self._available()})

    def _available(self):
        return [name for name, path in self.lazy_commands.items() if self._module_exists(path)]

    @staticmethod
    def _module_exists(path: str) -> bool:
        import importlib.util

        module = path.split(":")[0]
        try:
            return importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            return False

    def get_command(self, ctx, name):
        if name in self.lazy_commands and self._module_exists(self.lazy_commands[name]):
            module_name, attr = self.lazy_commands[name].split(":")
            return getattr(importlib.import_module(module_name), attr)
        return super().get_command(ctx, name)


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="cxux")
@click.option(
    "--project-dir",
    envvar="CXUX_PROJECT_DIR",
    type=click.Path(file_okay=False),
    help="The dbt project: a cxux checkout, or your own project that installs cxux as a package (default: the nearest parent with dbt_project.yml). Env: CXUX_PROJECT_DIR.",
)
@click.option(
    "--target",
    envvar="CXUX_TARGET",
    default=None,
    help="The profiles.yml target: duckdb (default), postgres, spark. Env: CXUX_TARGET.",
)
@click.option("--debug/--no-debug", envvar="CXUX_DEBUG", default=False,
              help="Verbose logs and tracebacks on stderr. Env: CXUX_DEBUG (true/false).")
@click.pass_context
def cli(ctx, project_dir, target, debug):
    """Measure customer experience (CX) and user experience (UX) from your own data.

    \b
    Examples:
      cxux generate --scale 1 --seed 42     write demo raw data into the warehouse
      cxux build                            dbt build, quality checks, publish
      cxux metrics list --domain ux         the metric catalog
      cxux metrics query nps --grain month --format json

    Results go to stdout, logs to stderr. Exit codes: 0 success, 1 checks
    failed, 2 usage, out-of-memory or unexpected error. Environment
    variables: only those an option's help names (Env: CXUX_...).
    """
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.INFO,
        format="%(levelname)s %(message)s",
        stream=sys.stderr,
    )
    ctx.ensure_object(dict)
    ctx.obj.update(project_dir=project_dir, target=target, debug=debug)


def get_project(ctx: click.Context):
    """The resolved Project for a command (shared by every command module)."""
    from cxux_cli.project import Project

    root = ctx.find_root()
    obj = root.obj or {}
    return Project.resolve(obj.get("project_dir"), obj.get("target"))


def main(argv=None) -> int:
    """Console entry point: the single place that maps failures to exit codes."""
    try:
        cli.main(args=argv, prog_name="cxux", standalone_mode=False)
        return_code = 0
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return_code = 2
    except click.ClickException as exc:  # usage errors
        exc.show()
        return_code = 2
    except CxuxError as exc:
        click.echo(f"error: {exc}", err=True)
        return_code = exc.exit_code
    except Exception as exc:  # unexpected: say so plainly, traceback only with --debug
        if "--debug" in (argv or sys.argv):
            raise
        if is_out_of_resources(exc):  # e.g. duckdb.OutOfMemoryException in any command
            click.echo(f"error: {out_of_resources('cxux', exc)}", err=True)
        else:
            click.echo(f"unexpected error: {type(exc).__name__}: {exc} (rerun with --debug)",
                       err=True)
        return_code = 2
    if argv is None:
        sys.exit(return_code)
    return return_code


if __name__ == "__main__":
    main()
