"""cxux: measure customer experience (CX) and user experience (UX) from your own data."""

__version__ = "0.1.0"
