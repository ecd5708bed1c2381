"""Oscar's search and browse views, unchanged but for their base (base.py): Oscar builds FacetedSearchView,
CatalogueView and ProductCategoryView on `get_class("search.views.base", "BaseSearchView")`, which is ours."""
