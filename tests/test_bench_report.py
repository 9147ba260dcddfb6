"""docs/benchmarks.md is shared: each command rewrites only its own section."""

from bench.report import replace_section


def test_a_section_is_replaced_and_the_rest_kept(tmp_path):
    path = tmp_path / "benchmarks.md"
    replace_section(path, "bench", "# Benchmarks\nold figures")
    replace_section(path, "soak", "## Soak\nno errors")
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n## Import speed\nwritten by hand\n")
    replace_section(path, "bench", "# Benchmarks\nnew figures")
    text = path.read_text(encoding="utf-8")
    assert "new figures" in text and "old figures" not in text
    assert "## Soak\nno errors" in text
    assert "written by hand" in text
    assert text.index("new figures") < text.index("no errors") < text.index("written by hand")


def test_a_file_from_before_sections_is_replaced(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\nunsectioned\n", encoding="utf-8")
    replace_section(path, "bench", "# Benchmarks\nsectioned")
    assert "unsectioned" not in path.read_text(encoding="utf-8")
