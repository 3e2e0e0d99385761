"""Developer tools: the benchmark, the sample-province generator, the FORMAT.md generator, free ports."""
