"""`python -m kesbang …`: see kesbang/cli.py."""

import sys

from kesbang.cli import main

sys.exit(main())
