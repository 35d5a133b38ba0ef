"""Sharing a startup's profile with investors: profile settings, agreements, share links and their views."""
