"""Counters of the rate limits (compact.platform.throttle): one row per limit and client."""

from django.db import models


class RateCount(models.Model):
    """How many times one client (an address, or a hash of an e-mail address) did one limited
    thing (``scope``) in the window that started at ``window_start``. A row in the database,
    not the cache: the production cache is the database cache, whose ``incr`` is a read then
    a write, so two app servers could both read 4 and both write 5."""

    scope = models.CharField(max_length=40)
    client = models.CharField(max_length=100)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "client"], name="ratecount_one_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.client}: {self.count}"
