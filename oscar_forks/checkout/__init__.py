default_app_config = "oscar_forks.checkout.apps.CheckoutConfig"
