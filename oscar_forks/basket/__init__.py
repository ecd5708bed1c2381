default_app_config = "oscar_forks.basket.apps.BasketConfig"
