from .base import Source


class ManualSource(Source):
    """Values are entered by people; gathering has nothing to fetch."""

    kind = "manual"

    def fetch(self):
        return None

    def parse(self, raw):
        return {}
