"""Names the search app shares between its signal processor and its actors."""

# The re-index actor (tasks.py) calls the services; the signal processor queues it by this name
# (outbox_enqueue_by_name) instead of importing the tasks module.
REINDEX_PRODUCT = "reindex_product"
