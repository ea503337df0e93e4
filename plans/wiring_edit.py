"""Registers the plans menu entries, dashboard panel and demo loader."""
