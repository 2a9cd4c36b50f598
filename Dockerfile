# syntax=docker/dockerfile:1
#
# Ein Image für alle drei Prozesse des Portals (siehe docker-compose.yml und docs/betrieb.md):
#   web     gunicorn strategy_portal.wsgi:application   (Standard-CMD)
#   worker  celery -A strategy_portal worker
#   beat    celery -A strategy_portal beat
# Die Konfiguration kommt zur Laufzeit ausschließlich aus Umgebungsvariablen (.env.example).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=strategy_portal.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media \
    WEB_CONCURRENCY=3

# WeasyPrint 70 lädt zur Laufzeit Pango, PangoFT2, HarfBuzz (+ Subset) und Fontconfig per
# dlopen; DejaVu und Liberation sind die Schriften der PDF-Berichte.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fonts-dejavu-core \
        fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

# Unprivilegierter Benutzer; der Quelltext gehört root und ist für ihn nur lesbar. Sein
# Home-Verzeichnis nimmt Laufzeitdateien auf (Gunicorn-Steuersocket, Fontconfig-Cache).
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --create-home --home-dir /home/portal \
        --shell /usr/sbin/nologin portal

WORKDIR /app

# Erst nur die Abhängigkeiten (eigene Schicht, solange pyproject.toml/requirements.lock gleich
# bleiben). Ohne [dev]: keine Test- und Browserwerkzeuge im Produktions-Image.
COPY pyproject.toml requirements.lock ./
RUN pip install -c requirements.lock . \
    && rm -rf build ./*.egg-info

COPY . .
# pip has compiled the libraries' bytecode; the portal's own modules are compiled here once, as
# PYTHONDONTWRITEBYTECODE keeps the processes from writing it (the source is read-only for
# them): else every gunicorn worker (renewed after --max-requests) and every Celery process
# compiles all of the portal again when it starts.
RUN python -m compileall -q -j 0 /app

# Statische Dateien (WhiteNoise, gehashte Namen, komprimiert) einmalig beim Bauen sammeln.
# Die Produktions-Settings verlangen diese Variablen; die Werte hier sind Wegwerfwerte, gelten
# nur für diesen einen RUN und landen nicht im Image.
RUN SECRET_KEY=build-only-collectstatic \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput --verbosity 1 \
    && rm -f /tmp/collectstatic.sqlite3

# Beschreibbar für den Dienstbenutzer: Uploads/erzeugte Dateien und der Zeitplan von beat.
RUN mkdir -p /app/media /app/var \
    && chown portal:portal /app/media /app/var

# Health-Check für den Web-Prozess: fragt /healthz (200 = Datenbank erreichbar). Host-Header
# aus ALLOWED_HOSTS, X-Forwarded-Proto: https, damit SECURE_SSL_REDIRECT nicht umleitet.
COPY <<"EOF" /usr/local/bin/portal-healthcheck
#!/usr/local/bin/python
import os
import sys
import urllib.request

hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
host = next((h.lstrip(".") for h in hosts if h != "*"), "localhost")
request = urllib.request.Request(
    "http://127.0.0.1:8000/healthz",
    headers={"Host": host, "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=5) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception as exc:
    print(f"healthz: {exc}", file=sys.stderr)
    sys.exit(1)
EOF
RUN chmod 0755 /usr/local/bin/portal-healthcheck

USER portal
ENV HOME=/home/portal

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["portal-healthcheck"]

# Anzahl der Worker über WEB_CONCURRENCY (Standard 3, Faustregel 2 × CPU-Kerne + 1).
# Lange Arbeiten (PDF-Berichte, Importe) gehören in den Celery-Worker; 60 s Request-Timeout.
CMD ["gunicorn", "strategy_portal.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--timeout", "60", \
     "--graceful-timeout", "30", \
     "--keep-alive", "5", \
     "--max-requests", "1000", \
     "--max-requests-jitter", "100", \
     "--worker-tmp-dir", "/dev/shm", \
     "--access-logfile", "-", \
     "--error-logfile", "-"]
