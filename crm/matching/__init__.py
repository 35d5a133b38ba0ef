"""Investor matching: which investors fit a startup's current round, and why."""
