"""The app's screens, each showing what calendar_data computes."""
