"""Experiments kept for the record, outside the package (each folder says what it tried)."""
