"""The shop's name: one value, edited in Wagtail's settings, read by every layer (name.py)."""
