r"""Text printed on a terminal: nothing from an article or a record may drive it.

Article text can hold escape sequences (``\x1b[2J`` clears the screen; others set
the window title or fake a prompt) and bidirectional controls that reorder what
follows them. Everything the command line prints that comes from a file goes
through :func:`terminal_text`.
"""

import re
import sys
import warnings

# Terminal escape sequences as a whole (CSI "ESC [ ... final", the string commands
# OSC, DCS, SOS, PM and APC up to their terminator, other "ESC ..." pairs, the 8-bit
# CSI), then any other C0 or C1 control character and the bidirectional overrides
# and isolates, which reorder what follows them. Each alternative reads on without
# backtracking over what it read, so the pattern is linear.
_ESCAPES = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]?"
    "|\x1b[\\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\\\)?"
    "|\x1b[ -/]*[0-~]?"
    "|\x9b[0-?]*[ -/]*[@-~]?"
    "|[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
_LINE_SPACE = re.compile("[\t\n\v\f\r]+")


def terminal_text(text: str) -> str:
    """Return ``text`` safe to print on a terminal, as one line.

    Escape sequences and control characters are removed (see ``_ESCAPES``); tabs and
    line breaks become one space, since the caller prints its own line ends.
    """
    return _LINE_SPACE.sub(" ", _ESCAPES.sub("", text))


def show_warnings_as_lines() -> None:
    """Print every warning (an article read with stray bytes replaced, say) as one line.

    Python's default shows the file and line of the code that warned, which says
    nothing to a user; the message, made safe, is what they need.
    """

    def show(message, category, filename, lineno, file=None, line=None):
        print(f"warning: {terminal_text(str(message))}", file=file or sys.stderr)

    warnings.showwarning = show
