"""Exploring a dataset: filters, pages of rows, facets, search, saved views, charts, maps."""
