"""Registers the plan update report as a board-pack paper."""
