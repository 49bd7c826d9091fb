"""Interactions: the list with period, channel and clerk filters, and the log dialog."""
