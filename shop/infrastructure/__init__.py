"""The shop's adapters to Django's infrastructure: the cache client, private file storage, dropped-connection retry."""
