"""The ``threads`` command line: glue from flags to the library.

``options`` is the table of flags (each library parameter's flag, the AnalysisOptions a
command gets); ``pages``, ``labels``, ``corpus`` and ``export`` hold the commands;
``source`` reads SOURCE; ``output`` guards standard output; ``progress`` draws progress on
stderr; ``main`` is the group and the process around it (the console script's entry point).
"""

from __future__ import annotations

from threads.cli.main import cli, install_signal_handlers, main
from threads.cli.options import FLAGS, handle_errors

__all__ = ["FLAGS", "cli", "handle_errors", "install_signal_handlers", "main"]
