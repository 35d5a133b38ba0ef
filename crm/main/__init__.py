"""The overview page after sign-in."""
