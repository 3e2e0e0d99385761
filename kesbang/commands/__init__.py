"""Sub-commands of `python -m kesbang`, one module each."""
