"""Exports: every list as CSV or XLSX, with the filters the user applied."""
