"""Representatives views, one module per aggregate: sign-ups, rounds, appointments, conduct,
records, and the representative's own page."""
