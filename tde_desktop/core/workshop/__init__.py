"""Workshops: exercise kinds, templates, the agenda, and participants' responses."""
