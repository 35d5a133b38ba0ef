"""The JSON API under /api/v1 for the cluster's other systems, and the personal tokens that open it."""
