"""Extension points the representatives app fills, so partnerships never imports it.

``representatives`` stands on ``partnerships`` (its appointments point at
:class:`~partnerships.models.ThirdSectorPlace`), so the arrow must point down: the register asks
these hooks who holds each place, and the representatives app registers the answers in its
``AppConfig.ready()``::

    from partnerships import hooks

    def count_holders(place_ids):
        rows = (Appointment.objects.current()
                .filter(place_id__in=place_ids, deputy=False)
                .values("place_id").annotate(total=Count("pk")))
        return {row["place_id"]: row["total"] for row in rows}

    def holder_names(place_ids):
        ...  # {place_id: [("Rhian Pritchard", "Gurnos Community Group"), ...]}

    hooks.register_place_holder_counter(count_holders)
    hooks.register_place_holder_names(holder_names)

Both callables receive every place of the page at once and must answer with a fixed number of
queries (one aggregate each), whatever the number of places. Until something is registered no
place has a holder: every place shows as vacant and the public page lists no names.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

# place ids -> {place id: number of current principal holders}; missing ids mean 0.
PlaceHolderCounter = Callable[[Collection[int]], Mapping[int, int]]
# place ids -> {place id: [(holder's name, holder's organisation), ...]}; missing ids mean none.
PlaceHolderNames = Callable[[Collection[int]], Mapping[int, Sequence[tuple[str, str]]]]


def _no_holders(place_ids: Collection[int]) -> Mapping[int, int]:
    return {}


def _no_names(place_ids: Collection[int]) -> Mapping[int, Sequence[tuple[str, str]]]:
    return {}


place_holder_counter: PlaceHolderCounter = _no_holders
place_holder_names: PlaceHolderNames = _no_names


def register_place_holder_counter(counter: PlaceHolderCounter) -> None:
    """Install the function that counts current holders of places (one aggregate query)."""
    global place_holder_counter
    place_holder_counter = counter


def register_place_holder_names(names: PlaceHolderNames) -> None:
    """Install the function that names current holders of places, for the public page."""
    global place_holder_names
    place_holder_names = names


def reset() -> None:
    """Back to "nobody holds any place" (for tests)."""
    register_place_holder_counter(_no_holders)
    register_place_holder_names(_no_names)


def holder_counts(place_ids: Collection[int]) -> dict[int, int]:
    """Current principal holders per place, 0 for places nobody holds."""
    if not place_ids:
        return {}
    counted = place_holder_counter(place_ids)
    return {place_id: int(counted.get(place_id, 0)) for place_id in place_ids}


def holder_names(place_ids: Collection[int]) -> dict[int, list[tuple[str, str]]]:
    """Names and organisations of current holders per place (no contact details)."""
    if not place_ids:
        return {}
    named = place_holder_names(place_ids)
    return {
        place_id: [(str(name), str(org)) for name, org in named.get(place_id, ())]
        for place_id in place_ids
    }
