"""Results to city hall from the window: exports, merging, next steps."""
