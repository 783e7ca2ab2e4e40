"""The ``threads`` group: its commands, and the process around them (signals, standard
output, the exit).

A reader that stops early (``threads comments | head``) ends the command quietly with exit
code 141 (128 + SIGPIPE, what a shell reports for ``cat``).
"""

from __future__ import annotations

import importlib

import click

from threads import __version__
from threads.cli.options import PIPE_CLOSED
from threads.cli.output import exit_now, guard_standard_output

#: Each command and the module of threads.cli that holds it.
COMMANDS = {
    "comments": "pages",
    "chain": "pages",
    "author": "pages",
    "clusters": "pages",
    "summary": "pages",
    "report": "pages",
    "sample": "labels",
    "agree": "labels",
    "corpus": "corpus",
    "export": "export",
}


class Commands(click.Group):
    """A group that imports a command's module when the command is asked for: measured,
    ``comments --no-analysis`` spent a fifth of its start-up importing the other commands."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module = importlib.import_module(f"threads.cli.{COMMANDS[cmd_name]}")
        command: click.Command = getattr(module, cmd_name)
        return command


@click.group(
    cls=Commands,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="""\b
Examples:
  threads report                      # the HTML report on the corpus article
  threads comments page.txt --format csv > comments.csv
  threads clusters --sweep 2-8
  cat page.html | threads comments - | head

\b
Shell completion (bash; zsh and fish alike):
  eval "$(_THREADS_COMPLETE=bash_source threads)"
""",
)
@click.version_option(__version__, prog_name="threads")
def cli() -> None:
    """How a news article's comment section drifted away from the article.

    With no SOURCE, commands read the corpus article
    (corpus/unherd-how-to-escape-north-korea.txt, from the repository root).
    """


def main() -> None:
    """The ``threads`` command (console script and ``python -m threads``)."""
    install_signal_handlers()
    guard_standard_output()
    try:
        cli(prog_name="threads")  # click always ends with SystemExit
    except SystemExit as stop:
        code = stop.code
    except BrokenPipeError:  # ``threads comments | head``: not worth a traceback
        code = PIPE_CLOSED
    exit_now(code)


def _stop_on_signal(signum: int, _frame: object) -> None:
    """SIGTERM and SIGHUP end the command the way Ctrl-C does: by an exception, so every
    ``with`` block on the way out runs (the worker pool stops, temporary files go)."""
    raise SystemExit(128 + signum)


def install_signal_handlers() -> None:
    """Make SIGTERM and SIGHUP unwind the command (SIGINT does already: KeyboardInterrupt)."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, _stop_on_signal)
