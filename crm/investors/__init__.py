"""Investors: list, detail, create, edit, delete."""
