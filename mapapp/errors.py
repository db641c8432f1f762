"""The one error base of :mod:`mapapp`.

Every problem a user can cause (a bad records file, an unreadable article, an
output that would overwrite an input, a records file locked by another writer)
is raised as a :class:`MapappError`, so the command line and the app catch it in
one place and show it as one line of text, never a traceback.
"""


class MapappError(Exception):
    """Base class of every user-facing error raised by :mod:`mapapp`."""
