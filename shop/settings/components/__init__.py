"""Settings by area, gathered by shop/settings/base.py; each module imports from another only what it reads."""
