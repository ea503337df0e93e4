"""The extension point through which the representatives app tells the register who holds
each third-sector place, so partnerships never imports it.

``representatives`` stands on ``partnerships`` (its appointments point at
:class:`~partnerships.models.ThirdSectorPlace`), so the arrow must point down: the register
asks the registered :class:`PlaceHolderSource` items (the one registry,
:mod:`compact.platform.registry`) and the representatives app registers one from its
``registrations.register()``::

    registry.register(PlaceHolderSource(
        key="representatives",
        count=selectors.place_holder_counts,  # {place id: current principal holders}
        names=selectors.place_holder_names,  # {place id: [(name, organisation), ...]}
    ))

Both callables receive every place of the page at once and must answer with a fixed number of
queries (one aggregate each), whatever the number of places. With no source registered no place
has a holder: every place shows as vacant and the public page lists no names.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from compact.platform import registry

# place ids -> {place id: number of current principal holders}; missing ids mean 0.
PlaceHolderCounter = Callable[[Collection[int]], Mapping[int, int]]
# place ids -> {place id: [(holder's name, holder's organisation), ...]}; missing ids mean none.
PlaceHolderNames = Callable[[Collection[int]], Mapping[int, Sequence[tuple[str, str]]]]


@dataclass(frozen=True)
class PlaceHolderSource:
    key: str
    count: PlaceHolderCounter
    names: PlaceHolderNames


def holder_counts(place_ids: Collection[int]) -> dict[int, int]:
    """Current principal holders per place, 0 for places nobody holds."""
    counts = dict.fromkeys(place_ids, 0)
    if not place_ids:
        return counts
    for source in registry.items(PlaceHolderSource):
        for place_id, total in source.count(place_ids).items():
            if place_id in counts:
                counts[place_id] += int(total)
    return counts


def holder_names(place_ids: Collection[int]) -> dict[int, list[tuple[str, str]]]:
    """Names and organisations of current holders per place (no contact details)."""
    names: dict[int, list[tuple[str, str]]] = {place_id: [] for place_id in place_ids}
    if not place_ids:
        return names
    for source in registry.items(PlaceHolderSource):
        for place_id, holders in source.names(place_ids).items():
            if place_id in names:
                names[place_id].extend((str(name), str(org)) for name, org in holders)
    return names
