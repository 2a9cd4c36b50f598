from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm

from municipalities.models import Municipality, Role

# Django's German catalogue writes "das selbe Passwort"; the correct word is "dasselbe".
AGAIN_HELP = "Bitte geben Sie dasselbe Passwort zur Bestätigung noch einmal ein."


class PortalAuthenticationForm(AuthenticationForm):
    """The login with the field named as people know their login: invited people's
    username is their e-mail address, older accounts have a short username."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-Mail-Adresse oder Benutzername"
        self.fields[
            "username"
        ].help_text = (
            "Wer eingeladen wurde, meldet sich mit der E-Mail-Adresse aus der Einladung an."
        )

    def clean_username(self):
        # Invited people's usernames are their e-mail addresses in lower case (people.services);
        # an address typed with capitals ("Greta.Neu@…") is still theirs.
        username = self.cleaned_data.get("username", "").strip()
        return username.lower() if "@" in username else username


class PortalSetPasswordForm(SetPasswordForm):
    """Setting a password (invitation, reset link) with the portal's wording."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].help_text = AGAIN_HELP


class PortalPasswordChangeForm(PasswordChangeForm):
    """Changing one's password with the portal's wording."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].help_text = AGAIN_HELP


class BodyChoiceField(forms.ModelChoiceField):
    """Bodies in tree order, each named unambiguously (Samtgemeinde Gartow vs Gartow)."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Municipality.objects.select_related("parent").order_by("tree_path"),
            empty_label="– bitte wählen –",
            **kwargs,
        )

    def label_from_instance(self, obj):
        return str(obj)


ROLE_HELP = (
    "Redaktion: pflegt die Maßnahmen der Kommune (eine Samtgemeinde auch die ihrer "
    "Mitgliedsgemeinden). Koordinierungsstelle und Kreistag gehören zum Landkreis: die "
    "Koordinierungsstelle prüft und verwaltet alles, der Kreistag liest alles."
)


class InviteForm(forms.Form):
    first_name = forms.CharField(label="Vorname", max_length=150)
    last_name = forms.CharField(label="Nachname", max_length=150)
    email = forms.EmailField(
        label="E-Mail-Adresse",
        max_length=150,
        help_text="An diese Adresse geht der Link zum Festlegen des Passworts. "
        "Sie ist zugleich der Benutzername.",
    )
    municipality = BodyChoiceField(label="Kommune")
    role = forms.ChoiceField(label="Rolle", choices=Role.choices, help_text=ROLE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        messages = {
            "first_name": "Bitte geben Sie den Vornamen ein.",
            "last_name": "Bitte geben Sie den Nachnamen ein.",
            "email": "Bitte geben Sie die dienstliche E-Mail-Adresse ein.",
            "municipality": "Bitte wählen Sie die Kommune, für die die Person arbeitet.",
            "role": "Bitte wählen Sie eine Rolle.",
        }
        for name, text in messages.items():
            self.fields[name].error_messages["required"] = text
        self.fields["email"].error_messages["invalid"] = (
            "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@kommune.de."
        )
        self.fields["municipality"].error_messages["invalid_choice"] = (
            "Bitte wählen Sie eine Kommune aus der Liste."
        )


class RoleForm(forms.Form):
    municipality = BodyChoiceField(label="Kommune")
    role = forms.ChoiceField(label="Rolle", choices=Role.choices, help_text=ROLE_HELP)


class BodyFilterForm(forms.Form):
    kommune = forms.ModelChoiceField(
        label="Kommune",
        queryset=Municipality.objects.order_by("tree_path"),
        required=False,
        empty_label="alle Kommunen",
    )
    niemand = forms.BooleanField(
        label="nur Kommunen, für die niemand antworten kann", required=False
    )
