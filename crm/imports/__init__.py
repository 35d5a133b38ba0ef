"""Spreadsheet imports of investors, contacts and startups: upload, map, preview, import, undo."""
