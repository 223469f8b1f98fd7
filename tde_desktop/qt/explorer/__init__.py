"""The data explorer: datasets, the grid, filters, facets, charts, maps and the dictionary."""
