"""Oscar's search and browse views on our base (base.py): Oscar builds FacetedSearchView, CatalogueView and
ProductCategoryView on `get_class("search.views.base", "BaseSearchView")`, which is ours. The keyword search
(search.py) is throttled per client."""
