"""Results for city hall: the workbook, the summary PDF, CSV files, publishing, merging."""
