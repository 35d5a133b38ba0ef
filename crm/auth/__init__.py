"""Sign-in, sign-out, one's own password, and the access rules for every route."""
