"""Calendars: meetings as .ics files, each user's personal feed, and meetings logged from an invitation."""
