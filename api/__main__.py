"""`python -m api [--host --port --workers]`: the same as `cpaudit serve`."""

from __future__ import annotations

import argparse
import sys

from api import command

parser = argparse.ArgumentParser(prog="python -m api", description="cpaudit web UI and API")
command.add_arguments(parser)
sys.exit(command.run(parser.parse_args()))
