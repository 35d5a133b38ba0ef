"""Helpers shared by every feature: text folding, money, time zones, field validation."""
