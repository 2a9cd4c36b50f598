"""History (django-simple-history) with many-to-many rows written from ids only."""

from simple_history.models import HistoricalRecords
from simple_history.signals import (
    post_create_historical_m2m_records,
    pre_create_historical_m2m_records,
)


class HistoricalRecordsWithLightM2M(HistoricalRecords):
    """``HistoricalRecords`` whose many-to-many history reads only the ids of the links.

    With ``m2m_fields`` every saved version copies the current links (a measure's goals)
    into the history. django-simple-history 3.x rebuilds the saved object from its history
    row first (one more query for the excluded fields, a measure's accepted snapshot among
    them) and loads every link with both related rows joined, to copy two ids from each. This
    copies the same columns with one query of ids; the rows and signals are the library's.
    """

    def create_historical_record_m2ms(self, history_instance, instance):
        for field in history_instance._history_m2m_fields:
            m2m_history_model = self.m2m_models[field]
            through = field.remote_field.through
            columns = [f.attname for f in through._meta.fields]
            links = through.objects.filter(**{field.m2m_field_name(): instance.pk})
            insert_rows = [
                m2m_history_model(history=history_instance, **values)
                for values in links.order_by().values(*columns)
            ]
            pre_create_historical_m2m_records.send(
                sender=m2m_history_model,
                rows=insert_rows,
                history_instance=history_instance,
                instance=instance,
                field=field,
            )
            created_rows = m2m_history_model.objects.bulk_create(insert_rows)
            post_create_historical_m2m_records.send(
                sender=m2m_history_model,
                created_rows=created_rows,
                history_instance=history_instance,
                instance=instance,
                field=field,
            )
