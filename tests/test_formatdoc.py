"""docs/FORMAT.md is generated from kesbang/schema.py and the committed copy is current."""

from kesbang import schema
from kesbang.devtools import formatdoc


def test_committed_format_doc_is_up_to_date():
    assert formatdoc.main(["--check"]) == 0, "run: python -m kesbang.devtools.formatdoc"


def test_format_doc_names_every_sheet_column_and_stage():
    text = formatdoc.render()
    for spec in (*schema.SUBMISSION_SHEETS, *schema.RPJMD_SHEETS):
        assert f"`{spec.name}`" in text
        for col in spec.columns:
            assert f"**{col.label}**" in text and f"`{col.key}`" in text
    for stage in schema.STAGES:
        assert stage.label in text
    assert f"**{schema.FORMAT_VERSION}**" in text


def test_pipes_in_labels_do_not_break_the_table():
    assert formatdoc._cell("a|b\nc") == "a\\|b c"
