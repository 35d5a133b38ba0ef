"""Merging duplicates: the rules that find likely duplicates, and merging two records into one."""
