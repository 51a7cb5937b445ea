"""Generators that turn reference files into curated topic tables (rerun them after a merge)."""

__all__: list[str] = []
