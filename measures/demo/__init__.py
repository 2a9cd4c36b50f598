"""Demo content for development and presentations (``manage.py seed_demo``).

- ``content``: the content as plain data (goals per field of action, measure templates);
- ``seeder``: writes it, idempotently, with the demo users.
"""
