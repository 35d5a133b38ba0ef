"""The global search: investors, contacts and startups by name from the navigation's box."""
