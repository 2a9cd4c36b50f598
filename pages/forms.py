from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from core.locking import StaleCheckMixin

from .models import AccessibilityFeedback, AccessibilityStatement, LegalPage, PageKind

VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}


def _video_kind(upload):
    """The media type of an MP4 or WebM upload, judged by its first bytes, or None."""
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    if len(head) >= 8 and head[4:8] == b"ftyp":
        return "video/mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    return None


class LegalPageForm(StaleCheckMixin, forms.ModelForm):
    class Meta:
        model = LegalPage
        fields = ["text", "video"]
        widgets = {"text": forms.Textarea(attrs={"rows": 22})}

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["text"].error_messages["required"] = "Bitte geben Sie einen Text ein."
        if kind != PageKind.SIGN_LANGUAGE:
            del self.fields["video"]

    def clean_video(self):
        video = self.cleaned_data.get("video")
        if not video or not hasattr(video, "content_type"):
            return video  # unchanged or cleared
        name = video.name.lower()
        if not any(name.endswith(suffix) for suffix in VIDEO_TYPES):
            raise ValidationError("Bitte laden Sie ein Video im Format MP4 oder WebM hoch.")
        if video.size > settings.PAGES_VIDEO_MAX_BYTES:
            limit = settings.PAGES_VIDEO_MAX_BYTES // (1024 * 1024)
            raise ValidationError(f"Das Video ist zu groß: höchstens {limit} MB.")
        if _video_kind(video) is None:
            raise ValidationError(
                "Die Datei ist kein MP4- oder WebM-Video. Bitte wählen Sie die Videodatei."
            )
        return video


class AccessibilityStatementForm(StaleCheckMixin, forms.ModelForm):
    class Meta:
        model = AccessibilityStatement
        fields = [
            "conformity",
            "shortcomings",
            "method",
            "prepared_on",
            "reviewed_on",
            "feedback_email",
            "conciliation",
        ]
        widgets = {
            "prepared_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "reviewed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "shortcomings": forms.Textarea(attrs={"rows": 10}),
            "method": forms.Textarea(attrs={"rows": 4}),
            "conciliation": forms.Textarea(attrs={"rows": 6}),
        }

    def clean(self):
        cleaned = super().clean()
        prepared, reviewed = cleaned.get("prepared_on"), cleaned.get("reviewed_on")
        if prepared and reviewed and reviewed < prepared:
            self.add_error(
                "reviewed_on", "Die letzte Überprüfung kann nicht vor der Erstellung liegen."
            )
        return cleaned


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = AccessibilityFeedback
        fields = ["message", "page", "name", "email"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "message": "Was hat nicht funktioniert? Je genauer, desto besser können wir helfen.",
            "page": "Adresse oder Name der Seite, zum Beispiel „Maßnahmenliste“.",
            "name": "Freiwillig.",
            "email": "Freiwillig. Nur wenn Sie eine Antwort wünschen.",
        }
        error_messages = {
            "message": {"required": "Bitte beschreiben Sie die Barriere."},
            "email": {"invalid": "Bitte geben Sie eine gültige E-Mail-Adresse ein."},
        }
