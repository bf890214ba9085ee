"""insyn: a static site generator for public-safety transparency reporting."""

__version__ = "0.1.0"
