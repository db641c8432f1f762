"""No escape sequence of an article reaches the terminal (issue 9, item 3)."""

import io
import json
import re

from extract_fakes import FakeResolver
from test_extract_cli import args_for

from mapapp.cli.extract import run
from mapapp.cli.terminal import terminal_text

HOSTILE = (
    "\x1b[2J\x1b]0;owned\x07RABAT - The BCIJ dismantled a cell of four Daesh "
    "followers in Fes\x1b[31m and Oujda\x9b1m\u202e\x7f, \x08\x08police said.\n\n"
    "Since 2002, more than 200 cells\x00 have been dismantled.\n"
).replace("\x00", "")
#: What must never be printed raw: C0 controls but the newline, DEL, C1 controls,
#: and the bidirectional overrides and isolates.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _run(path, *argv):
    out, err = io.StringIO(), io.StringIO()
    status = run(args_for(path, *argv), FakeResolver(), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_summary_is_printed_without_control_characters(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    status, out, err = _run(path)
    assert status == 0
    assert not UNSAFE.search(out + err)
    assert "1 operation(s)" in out
    assert "evidence: RABAT - The BCIJ dismantled" in out
    assert "Oujda" in out
    assert "[31m" not in out
    assert "owned" not in out


def test_json_lines_escape_every_control_character_and_keep_the_text(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    status, out, _ = _run(path, "--json")
    assert status == 0
    assert not UNSAFE.search(out)
    operation = json.loads(out.splitlines()[0])
    assert "\x1b[31m and Oujda\x9b1m\u202e\x7f" in operation["evidence"][0]


def test_file_names_in_messages_are_made_safe(tmp_path):
    path = tmp_path / "bad\x1b[2J\u202e.txt"
    path.write_bytes(b"\x00binary")
    status, out, err = _run(path)
    assert status == 2
    assert not UNSAFE.search(out + err)
    assert "bad.txt" in err


def test_terminal_text_keeps_ordinary_text():
    assert terminal_text("Fès, Tétouan\tand «Salé» — 2021") == "Fès, Tétouan and «Salé» — 2021"
    assert terminal_text("a\x1b[1;31mb\x1b]8;;http://x\x1b\\c\x1bMd\r\ne") == "abcd e"
