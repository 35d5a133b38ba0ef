"""Incubator startups: list, detail, create, edit, delete."""
