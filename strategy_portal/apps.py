from django.apps import AppConfig


class StrategyPortalConfig(AppConfig):
    name = "strategy_portal"
    label = "strategy_portal"
    verbose_name = "Digitalstrategie-Portal"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from . import security, sessions

        user_login_failed.connect(security.on_login_failed, dispatch_uid="portal_login_failed")
        user_locked_out.connect(security.on_locked_out, dispatch_uid="portal_locked_out")
        user_logged_in.connect(security.on_logged_in, dispatch_uid="portal_logged_in")
        user_logged_in.connect(sessions.on_logged_in, dispatch_uid="portal_session_start")
        user_logged_out.connect(security.on_logged_out, dispatch_uid="portal_logged_out")
