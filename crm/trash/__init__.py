"""The trash: deleted investors, startups, contacts and meetings, restorable for 30 days."""
