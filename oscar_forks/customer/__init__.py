default_app_config = "oscar_forks.customer.apps.CustomerConfig"
