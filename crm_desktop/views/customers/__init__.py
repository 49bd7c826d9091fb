"""Customers: the list with search as you type, the customer form and the 360° view."""
