"""Reusable widgets: they receive data and post messages, never touch the store."""
