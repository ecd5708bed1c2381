import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    """Oscar's search and browse pages, with each page's products loaded together (views.py)."""

    name = "oscar_forks.search"
