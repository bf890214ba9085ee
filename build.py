#!/usr/bin/env python3
"""Build the site: python build.py [build|check|serve] (see --help)."""

from insyn.cli import entry

if __name__ == "__main__":
    entry()
