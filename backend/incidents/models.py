"""Incidents models arrive with their issue; the app exists so migrations and imports are stable."""
