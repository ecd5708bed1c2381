default_app_config = "oscar_forks.catalogue.apps.CatalogueConfig"
