"""The runtime every Tianmen service shares."""
