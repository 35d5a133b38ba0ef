"""Timelines of startups, investors, contacts and deals, and the internal notes written on them."""
