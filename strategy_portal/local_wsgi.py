"""WSGI application of the development server (settings ``local``): Django's, plus Celery's
worker in a thread of the same process when there is no Redis (core.local_worker)."""

from django.core.wsgi import get_wsgi_application

from core.local_worker import start

application = get_wsgi_application()
start()
