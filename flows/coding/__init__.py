"""Coding free-text answers into themes and a sentiment: pure, no I/O.

The codebook (themes and their keywords per language) is data, loaded by
the host and handed in; `themes.code_answer` does the matching.
"""
