from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The portal's shared base, below every other app: the model base, the data version,
    the security log, login and session protection, form and spreadsheet helpers, the
    registry of dashboard tasks, queueing tasks by name (dispatch) and the PDF/UA generator
    (pdf). It imports no other app of the portal; the apps register with it."""

    name = "core"
    label = "core"
    verbose_name = "Grundlagen"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from . import security, sessions

        user_login_failed.connect(security.on_login_failed, dispatch_uid="portal_login_failed")
        user_locked_out.connect(security.on_locked_out, dispatch_uid="portal_locked_out")
        user_logged_in.connect(security.on_logged_in, dispatch_uid="portal_logged_in")
        user_logged_in.connect(sessions.on_logged_in, dispatch_uid="portal_session_start")
        user_logged_out.connect(security.on_logged_out, dispatch_uid="portal_logged_out")
