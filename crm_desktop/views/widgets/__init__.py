"""Small reusable widgets: Jalali date field, debounced search box, per-field error labels."""
