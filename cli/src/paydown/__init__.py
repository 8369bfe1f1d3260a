"""Paydown's pure core (bank files, consensus, scoring, planning) and the `paydown` command line."""

__version__ = "0.1.0"
