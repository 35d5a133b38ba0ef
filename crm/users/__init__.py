"""User accounts: administration by admins."""
