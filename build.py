#!/usr/bin/env python3
"""Build the site: python build.py [build|check|serve] (see --help)."""

import sys

from insyn.cli import main

if __name__ == "__main__":
    sys.exit(main())
