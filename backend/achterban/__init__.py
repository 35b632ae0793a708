"""Achterban: a constituent relationship manager for parties and representatives."""

__version__ = "0.1.0"
