"""The Sachstandsbericht as a tagged PDF/UA-1 (on core.pdf), from its snapshot only.

Creation and modification dates are the moment of freezing, so rendering the same report
again gives the same bytes.
"""

import datetime

from django.utils import formats, timezone

from core.pdf.generator import LeanHTML, PDFGenerator

from .charts import fields_over_time_chart

AUTHOR = "Landkreis Lüchow-Dannenberg, Koordinierungsstelle Digitalisierung"


class ReportPDFGenerator(PDFGenerator):
    template_name = "evaluation/pdf/report.html"
    html_class = LeanHTML

    def get_context_data(self, **kwargs):
        snap = self.object.snapshot
        frozen_at = datetime.datetime.fromisoformat(snap["frozen_at"])
        return super().get_context_data(
            snapshot=snap,
            chart_fields=fields_over_time_chart(
                "diagramm-verlauf", snap["quarters"], snap["fields_over_time"]
            ),
            author=AUTHOR,
            created=frozen_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            frozen_on=formats.date_format(timezone.localtime(frozen_at), "j. F Y"),
            **kwargs,
        )
