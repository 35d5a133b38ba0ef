"""The trash: deleted investors, startups, contacts, meetings, follow-ups and events, restorable for 30 days."""
