"""Meetings between startups and investors."""
