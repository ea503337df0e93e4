"""Kept for the imports that name it: the report builders live with the other plan factories
in ``tests.plans.factories``."""

from tests.plans.factories import edit_progress, first_row, issue

__all__ = ["edit_progress", "first_row", "issue"]
