"""The `klimatkontrakt` command: one-line errors and exit codes (0 ok, 1 run failed, 2 bad usage).

Prefect is imported only by the commands that run a flow, so `--help` and bad input answer at
once instead of after the local API server has started.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from klimatkontrakt.core.errors import ConfigError, KlimatkontraktError
from klimatkontrakt.core.settings import REPO_ROOT

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Collect, normalise and publish open data on Sweden's Klimatkontrakt 2030.",
)


def _fail(exc: KlimatkontraktError) -> None:
    typer.echo(f"klimatkontrakt: error: {exc}", err=True)
    raise typer.Exit(exc.exit_code)


def _check_inputs(sources: Path, replay: list[Path] | None, writable: tuple[Path, ...] = ()) -> None:
    """Fail fast (exit 2, one line) on a bad sources file, a missing or unreadable archive, or an
    output folder that cannot be created, before Prefect starts."""
    from extractors import REGISTRY
    from klimatkontrakt.core.config import load_sources
    from klimatkontrakt.core.settings import Settings

    try:
        Settings.checked()
        load_sources(sources, known_extractors=set(REGISTRY))
        for path in replay or []:
            if not path.exists():
                raise ConfigError(f"replay archive not found: {path}")
        if replay:
            # index once here (about 0.3 ms per archived page): a corrupt or truncated archive
            # is a one-line error now, not after the Prefect server has started
            from klimatkontrakt.fetch.warc import ReplayArchive

            ReplayArchive(list(replay))
        for folder in writable:
            _check_writable(folder)
    except KlimatkontraktError as exc:
        _fail(exc)


def _check_writable(folder: Path) -> None:
    """`folder` exists as a writable directory or can be created (nothing is created here)."""
    path = folder.absolute()
    existing = path
    while not existing.exists():
        if existing.is_symlink():  # a dangling link: mkdir would fail on it
            raise ConfigError(f"output folder {folder} cannot be created: {existing} is a broken link")
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(f"output folder {folder} cannot be created: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(f"output folder {folder} is not writable ({existing}: permission denied)")


@app.command()
def run(
    sources: Annotated[Path, typer.Option(help="Sources file (TOML).")] = REPO_ROOT / "sources.toml",
    replay: Annotated[
        list[Path] | None,
        typer.Option(help="WARC file or folder of them; answers every request from the archive. Repeatable."),
    ] = None,
    db: Annotated[Path, typer.Option(help="DuckDB file to build.")] = Path("output/klimatkontrakt.duckdb"),
    out: Annotated[Path, typer.Option(help="Output folder: packages/, archive/, runs/.")] = Path("output"),
    allow_private: Annotated[
        bool, typer.Option(help="Allow hosts on loopback or private networks (tests, local mirrors).")
    ] = False,
    allow_shrink: Annotated[
        bool, typer.Option(help="Publish even when a source vanished or a table shrank past the threshold.")
    ] = False,
    force_release: Annotated[
        bool, typer.Option(help="Publish a new release even when no published table changed since the latest.")
    ] = False,
) -> None:
    """Run the whole pipeline once: crawl, extract, normalise, load DuckDB, publish a package (a new
    release only when a published table changed)."""
    _check_inputs(sources, replay, (out, db.parent))
    from klimatkontrakt.runtime import prefect_env
    from klimatkontrakt.runtime.server import prefect_api, prefect_home

    prefect_env.configure()
    try:
        with prefect_api(prefect_home()):
            from flows.nightly import nightly

            state = nightly(
                sources_file=str(sources),
                replay=[str(p) for p in replay or []],
                db=str(db),
                out=str(out),
                allow_private=allow_private,
                allow_shrink=allow_shrink,
                force_release=force_release,
                return_state=True,
            )
    except KlimatkontraktError as exc:
        _fail(exc)
    result = state.result(raise_on_failure=False)
    if isinstance(result, KlimatkontraktError):
        _fail(result)
    if isinstance(result, BaseException):
        typer.echo(f"klimatkontrakt: error: run crashed: {type(result).__name__}: {result}", err=True)
        raise typer.Exit(1)
    if result.get("published", True):
        typer.echo(f"run {result['run_id']}: published {result['package']}; database {db}")
    else:
        typer.echo(f"run {result['run_id']}: {result['message']}; database {db}")


@app.command()
def serve(
    sources: Annotated[Path, typer.Option(help="Sources file (TOML).")] = REPO_ROOT / "sources.toml",
    replay: Annotated[list[Path] | None, typer.Option(help="Serve runs on these archives instead of the web.")] = None,
    db: Annotated[Path, typer.Option(help="DuckDB file to build.")] = Path("output/klimatkontrakt.duckdb"),
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("output"),
    allow_private: Annotated[bool, typer.Option(help="Allow hosts on loopback or private networks.")] = False,
    host: Annotated[str, typer.Option(help="Where the local Prefect server and its UI listen (0.0.0.0: from other machines too).")] = "127.0.0.1",
    port: Annotated[int | None, typer.Option(help="Port of the local Prefect server and its UI (default: a free one).")] = None,
) -> None:
    """Run the nightly schedule (03:15 Europe/Stockholm) until stopped with Ctrl-C or SIGTERM.

    Uses PREFECT_API_URL when set; otherwise starts a local Prefect server with its UI (SQLite under
    OUT/prefect) for as long as this command runs, and prints the UI's address.
    """
    _check_inputs(sources, replay)
    from klimatkontrakt.runtime import prefect_env
    from klimatkontrakt.runtime.server import prefect_api, ui_url

    prefect_env.configure()
    parameters = {
        "sources_file": str(sources.resolve()),
        "replay": [str(p.resolve()) for p in replay or []],
        "db": str(db.resolve()),
        "out": str(out.resolve()),
        "allow_private": allow_private,
    }
    try:
        with prefect_api(out / "prefect", ui=True, host=host, port=port) as api_url:
            typer.echo(f"Prefect API at {api_url}", err=True)
            # not naming the deployment: its name in the output says it is registered (tests wait for it)
            typer.echo(f"Prefect UI at {ui_url(api_url)} (Deployments: the nightly schedule; Runs: each night's run "
                       "with its logs and its klimatkontrakt-run artifact)", err=True)
            from prefect import serve as prefect_serve

            from flows.deployment import nightly_deployment

            prefect_serve(nightly_deployment(parameters), print_starting_message=True)
    except KlimatkontraktError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


@app.command()
def deploy(
    pool: Annotated[str, typer.Option(help="Prefect work pool (create it with `prefect work-pool create NAME --type process`).")],
    sources: Annotated[Path, typer.Option(help="Sources file (TOML).")] = REPO_ROOT / "sources.toml",
    db: Annotated[Path, typer.Option(help="DuckDB file the runs build.")] = Path("output/klimatkontrakt.duckdb"),
    out: Annotated[Path, typer.Option(help="Output folder of the runs.")] = Path("output"),
) -> None:
    """Register the nightly deployment on a long-running Prefect server (PREFECT_API_URL) and work pool."""
    _check_inputs(sources, None)
    from klimatkontrakt.runtime import prefect_env

    prefect_env.configure()
    if not os.environ.get("PREFECT_API_URL"):
        _fail(ConfigError("set PREFECT_API_URL to the Prefect server to deploy to (or use `klimatkontrakt serve`)"))
    from flows.deployment import deploy_to_work_pool

    parameters = {"sources_file": str(sources.resolve()), "db": str(db.resolve()), "out": str(out.resolve())}
    deployment_id = deploy_to_work_pool(pool, parameters, str(REPO_ROOT))
    typer.echo(f"deployed klimatkontrakt-nightly/nightly ({deployment_id}) to work pool {pool!r}")


@app.command()
def validate(
    package: Annotated[Path, typer.Argument(help="A published package folder (with datapackage.json).")],
) -> None:
    """Validate a published data package with frictionless (exit 0 valid, 1 invalid)."""
    from klimatkontrakt.release.validate import validate_package

    if not (package / "datapackage.json").is_file():
        _fail(ConfigError(f"no datapackage.json in {package}"))
    valid, errors = validate_package(package)
    if valid:
        typer.echo(f"{package}: valid")
        return
    typer.echo(f"{package}: INVALID ({len(errors)} problem(s) shown)", err=True)
    for line in errors:
        typer.echo(f"  {line}", err=True)
    raise typer.Exit(1)


