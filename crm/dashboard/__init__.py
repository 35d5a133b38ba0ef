"""The dashboard: where the pipeline and the investor work stand, for a period and optionally one startup."""
