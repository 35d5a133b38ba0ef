"""Partnering events: who takes part, and the grid of short meetings logged from the event's page."""
