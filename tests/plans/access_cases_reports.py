from tests.access import Case

CASES: dict[str, Case] = {}
