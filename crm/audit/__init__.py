"""The audit log: recorded on every flush, shown on each record's page and to admins."""
