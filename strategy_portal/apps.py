from django.apps import AppConfig


class StrategyPortalConfig(AppConfig):
    name = "strategy_portal"
    label = "strategy_portal"
    verbose_name = "Digitalstrategie-Portal"
