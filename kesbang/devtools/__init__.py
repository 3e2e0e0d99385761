"""Developer tools: benchmark, sample province, FORMAT.md generator, free ports, app processes behind nginx."""
