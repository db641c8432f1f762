"""The place lookup ``extract`` and ``ingest`` run with: answers in the order asked.

:class:`mapapp.extract.PlaceLookup` remembers answers across articles, and returned
them remembered names first, then the others: the order of its answer then depended
on which articles the process had read before, and the extractor's votes for an
article's country break ties by that order (a report from Johannesburg read after
one that named Syria was placed in Syria). Answering in the order the names were
asked, as :meth:`places.Resolver.resolve_many` does, makes each article's result the
same whatever was read before it, which is also what lets ``--jobs N`` (each worker
reading a different share of the articles) print the same as ``--jobs 1``.
"""

from __future__ import annotations

from collections.abc import Iterable

from mapapp.extract.mentions import PlaceLookup


class InOrderLookup(PlaceLookup):
    """:class:`~mapapp.extract.PlaceLookup` whose answers come in first-asked order."""

    def resolve_many(self, names: Iterable[str], country: str | None) -> dict:
        """Resolve names with a country hint; the answers in the order of ``names``."""
        order = list(dict.fromkeys(names))
        found = super().resolve_many(order, country)
        return {name: found[name] for name in order}
