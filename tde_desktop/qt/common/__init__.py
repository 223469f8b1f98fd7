"""What every screen shares: background work, settings, the theme."""
