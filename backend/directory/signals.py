"""Signals the directory sends for apps above it (the directory imports no app)."""

from django.dispatch import Signal

# The administrative areas' outlines changed (loaded, edited): plans recompute which areas
# each river runs through.
areas_changed = Signal()
