"""Workbook intake: opening an upload safely, reading cells, finding headers, converting columns, checks
and the validation report. `loader.load_submission` and `loader.load_rpjmd` are the entry points."""
