from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    label = "municipalities"
    verbose_name = _("Kommunen")

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from core import data_version

        from . import signals
        from .models import Membership, Municipality

        pre_save.connect(signals.remember_previous, sender=Membership, dispatch_uid="ms_pre")
        post_save.connect(signals.log_saved, sender=Membership, dispatch_uid="ms_saved")
        post_delete.connect(signals.log_deleted, sender=Membership, dispatch_uid="ms_deleted")
        # Cached figures (dashboards, evaluation roll-ups) are kept per body.
        data_version.watch(Municipality)
