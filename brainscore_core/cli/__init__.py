"""The ``brainscore`` command line: list, score, check-plugin, cache, demo, fetch, merge, report."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import typing

from .. import __version__
from ..registry import REGISTRIES as _REGISTRIES

if typing.TYPE_CHECKING:  # (a plain import would add the names to the module's public namespace)
    from collections.abc import Iterator, Sequence

__all__ = ["EXIT_BROKEN_PIPE", "LISTABLE", "build_parser", "main"]

EXIT_BROKEN_PIPE = 141  #: 128 + SIGPIPE: the reader closed the pipe (e.g. ``| head``)
LISTABLE = tuple(_REGISTRIES)  #: the ``brainscore list`` choices: the registries' CLI names


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="brainscore", description="Score vision models against neural and behavioural data."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--plugins",
        action="append",
        default=[],
        metavar="DIR",
        help="extra plugin directory (repeatable; also BRAINSCORE_PLUGINS_PATH)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="list registered identifiers with one-line descriptions")
    listing.add_argument("kind", nargs="?", choices=LISTABLE, help="what to list (default: models and benchmarks)")

    scoring = commands.add_parser("score", help="score one model on one benchmark")
    scoring.add_argument("--model", required=True, help="model identifier")
    scoring.add_argument("--benchmark", required=True, help="benchmark identifier")
    scoring.add_argument("--json", action="store_true", help="print the Score as JSON")
    _add_run_options(scoring)

    check = commands.add_parser("check-plugin", help="pre-flight checks for a plugin folder before sharing it")
    check.add_argument("path", help="the plugin folder (the one holding __init__.py)")
    check.add_argument("--no-build", action="store_true", help="skip building the registered objects")

    cache = commands.add_parser("cache", help="inspect or clear the on-disk cache")
    cache_commands = cache.add_subparsers(dest="cache_command", required=True, metavar="ACTION")
    cache_commands.add_parser("info", help="location, size and entries per model")
    clear = cache_commands.add_parser("clear", help="delete cache entries")
    clear.add_argument("--model", help="only this model's entries")

    fetching = commands.add_parser("fetch", help="download the data of benchmarks or data sets into the data cache")
    fetching.add_argument("identifiers", nargs="+", metavar="ID", help="benchmark or data identifiers, or globs")
    fetching.add_argument(
        "--dry-run", action="store_true", help="per file: the URL, SHA-1, local path and whether it is cached"
    )
    fetching.add_argument("--cache-dir", help="cache location (default: $BRAINSCORE_HOME or ~/.cache/brainscore)")

    demo = commands.add_parser("demo", help="score the example models on the example benchmarks")
    demo.add_argument("--models", nargs="*", help="model identifiers or glob patterns (default: all)")
    demo.add_argument("--benchmarks", nargs="*", help="benchmark identifiers or glob patterns (default: all)")
    demo.add_argument("--output", default="demo_results.json", help="JSON results file (default: %(default)s)")
    demo.add_argument(
        "--html", help="HTML report of the results (default: demo_report.html beside --output; '' for none)"
    )
    _add_run_options(demo)

    merge = commands.add_parser(
        "merge", help="merge the shards' JSON reports (pytest --brainscore-shard), gate them, update the baseline"
    )
    merge.add_argument("reports", nargs="+", metavar="SHARD.json", help="every shard's --brainscore-report file")
    merge.add_argument("-o", "--output", required=True, metavar="PATH", help="the merged JSON report to write")
    merge.add_argument("--baseline", metavar="PATH", help="compare with this baseline file (as pytest does)")
    merge.add_argument("--tolerance", type=float, default=None, metavar="DELTA", help="as --brainscore-tolerance")
    merge.add_argument("--update-baseline", action="store_true", help="merge the scores into --baseline")
    report = commands.add_parser("report", help="render a --brainscore-report JSON file as HTML (or Markdown)")
    report.add_argument("results", metavar="RESULTS.json", help="the JSON written by pytest --brainscore-report")
    report.add_argument("-o", "--output", required=True, metavar="PATH", help="the HTML (or .md) file to write")
    report.add_argument("--compare", metavar="OLD.json", help="an older report: its scores fill the baseline columns")
    report.add_argument(
        "--format", choices=("html", "markdown"), help="output format (default: markdown for .md, otherwise html)"
    )
    return parser


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument("--cache-dir", help="cache location (default: $BRAINSCORE_HOME or ~/.cache/brainscore)")
    parser.add_argument("--device", help="torch device, e.g. cpu or cuda (default: CUDA when present)")


@contextlib.contextmanager
def _run_options(args: argparse.Namespace) -> Iterator[None]:
    """Apply ``--no-cache``, ``--cache-dir`` and ``--device`` for the command's duration, after checking the
    settings in force (options or environment) before any work starts."""
    from ..config import configure
    from .options import check_cache_dir, check_device

    changes: dict[str, object] = {}
    if getattr(args, "no_cache", False):
        changes["cache_enabled"] = False
    if getattr(args, "cache_dir", None):
        changes["cache_dir"] = args.cache_dir
    if getattr(args, "device", None):
        changes["device"] = args.device
    with configure(**changes) as current:
        if args.command in ("score", "demo", "cache", "fetch"):
            if current.cache_enabled or args.command in ("cache", "fetch"):
                source = "--cache-dir" if getattr(args, "cache_dir", None) else "BRAINSCORE_HOME"
                check_cache_dir(current.cache_dir, source)
            if args.command not in ("cache", "fetch"):
                check_device(current.device, "--device" if getattr(args, "device", None) else "BRAINSCORE_DEVICE")
        yield


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot raise on a closed pipe again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (e.g. captured): nothing left to flush
        pass
    finally:
        os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``brainscore`` console script; returns the exit status.

    Usage errors and every :class:`~brainscore_core.errors.BrainScoreError` print one line ``error: ...`` and
    exit with 2; a reader that closes the pipe early (``brainscore cache info | head``) ends the command quietly
    with 141 (128 + SIGPIPE, what the shell reports for tools stopped by a closed pipe).
    """
    args = build_parser().parse_args(argv)
    from ..errors import BrainScoreError
    from ..plugins import add_plugin_directories

    try:
        if args.plugins:
            add_plugin_directories(*args.plugins)
        from . import commands

        with _run_options(args):
            status = commands.run(args)
            sys.stdout.flush()  # a closed pipe raises here, inside the handler, not at interpreter exit
        return status
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except BrainScoreError as error:
        print(f"error: {_one_line(str(error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _one_line(message: str) -> str:
    return " ".join(message.split())
