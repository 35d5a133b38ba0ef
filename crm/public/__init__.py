"""The share pages outside readers open without an account."""
