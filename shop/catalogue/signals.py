"""The catalogue's own signal, beside Oscar's (oscar.apps.catalogue.signals)."""

import django.dispatch

#: Sent after `Category.move()`. Treebeard moves a subtree with queryset updates and never calls save(),
#: so post_save says nothing about a move; `instance` is stale (re-read it by pk).
category_moved = django.dispatch.Signal()
