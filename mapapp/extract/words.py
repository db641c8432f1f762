"""Word lists written as text: the vocabularies of the extraction rules."""


def wordset(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of ``text`` as a set.

    The rules' vocabularies are long; written as running text they stay readable
    and easy to extend, one line per theme.
    """
    return frozenset(text.split())
