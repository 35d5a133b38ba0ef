"""Contacts: people at investors and startups."""
