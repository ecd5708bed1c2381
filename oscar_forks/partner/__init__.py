default_app_config = "oscar_forks.partner.apps.PartnerConfig"
