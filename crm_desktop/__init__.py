"""crm-desktop: a Persian customer relationship management app for bank branches."""

__version__ = "0.1.0"
