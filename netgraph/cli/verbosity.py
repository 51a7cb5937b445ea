"""How much the command line says: ``-v``/``-q``, the ``netgraph`` logger, and whether progress shows.

The only place that configures logging. Library modules log with
``logging.getLogger(__name__)`` and never configure it; a command run sends the
``netgraph`` logger's records to stderr as ``warning: …``, ``info: …`` lines:

=============  ==========================  ==================================
option         log records shown           progress line and success summary
=============  ==========================  ==================================
``-q``         errors only                 off
(none)         warnings                    progress on a terminal
``-v``         and info                    as without
``-vv``        and debug (with the logger  as without
               name)
=============  ==========================  ==================================

The options are accepted before the command (``netgraph -v build``) and after it
(``netgraph build -v``); counts add up and ``-q`` wins. Results (stdout) never
change with them. The logger's level and handler are restored when the command
ends, so in-process runs (tests, notebooks) leave no trace.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

import click

from ..progress import Progress

__all__ = ["LOGGER", "Verbosity", "verbosity", "record_verbosity", "is_quiet", "progress_wanted", "make_progress"]

#: The logger every netgraph module logs under (``netgraph.<module>``).
LOGGER = "netgraph"
_META = "netgraph.verbosity"


@dataclass
class Verbosity:
    """What the -v, -q and --progress/--no-progress options of one run asked for."""

    verbose: int = 0
    quiet: bool = False
    progress: bool | None = None  # None: on a terminal

    @property
    def level(self) -> int:
        if self.quiet:
            return logging.ERROR
        return {0: logging.WARNING, 1: logging.INFO}.get(self.verbose, logging.DEBUG)


class _EchoHandler(logging.Handler):
    """Writes a record to the stderr of the moment (click's test runner swaps it per run)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            head = record.levelname.lower()
            if record.levelno < logging.INFO:
                head += f": {record.name}"
            Progress.clear_drawn()  # the next update redraws it below the message
            click.echo(f"{head}: {record.getMessage()}", err=True)
        except Exception:  # a logging call never breaks a command
            self.handleError(record)


def verbosity(ctx: click.Context | None = None) -> Verbosity:
    """This run's :class:`Verbosity` (defaults outside a command run)."""
    ctx = ctx if ctx is not None else click.get_current_context(silent=True)
    if ctx is None:
        return Verbosity()
    state = ctx.meta.get(_META)
    return state if isinstance(state, Verbosity) else Verbosity()


_HANDLER = _EchoHandler()
_SAVED_LEVEL: list[int] = []  # the logger's level before the run, while the handler is installed


def _state(ctx: click.Context) -> Verbosity:
    """The run's state, installing the log handler on first use (removed when the run ends)."""
    state = ctx.meta.get(_META)
    if isinstance(state, Verbosity):
        return state
    state = ctx.meta[_META] = Verbosity()
    logger = logging.getLogger(LOGGER)
    if _HANDLER not in logger.handlers:  # once, even when a run that failed to parse left it behind
        _SAVED_LEVEL[:] = [logger.level]
        logger.addHandler(_HANDLER)
    logger.setLevel(state.level)
    ctx.find_root().call_on_close(_restore)
    return state


def _restore() -> None:
    logger = logging.getLogger(LOGGER)
    logger.removeHandler(_HANDLER)
    if _SAVED_LEVEL:
        logger.setLevel(_SAVED_LEVEL.pop())


def record_verbosity(ctx: click.Context, param: click.Parameter, value: object) -> object:
    """Callback of -v, -q and --progress/--no-progress: add the value to the run's state and set the log level."""
    state = _state(ctx)
    if param.name == "verbose":
        state.verbose += int(value or 0)  # type: ignore[call-overload]
    elif param.name == "quiet":
        state.quiet = state.quiet or bool(value)
    elif param.name == "progress" and value is not None:
        state.progress = bool(value)
    logging.getLogger(LOGGER).setLevel(state.level)
    return value


def is_quiet() -> bool:
    """True when -q was given: print no summary, warning or progress (results and errors still)."""
    return verbosity().quiet


def progress_wanted() -> bool:
    """Whether to show progress: never with -q; else as --progress/--no-progress says; else on a terminal."""
    state = verbosity()
    if state.quiet:
        return False
    if state.progress is not None:
        return state.progress
    return sys.stderr.isatty()


def make_progress(label: str, *, unit: str = "rows", total: int | None = None) -> Progress:
    """The run's progress line on stderr (a disabled one when :func:`progress_wanted` says no)."""
    return Progress(sys.stderr, enabled=progress_wanted(), total=total, label=label, unit=unit)
