"""The api app's views, one module per page family.

- ``resources``: the REST API's read-only endpoints (bodies, fields, goals, measures,
  indicators, assessments, drafts);
- ``tokens``: a body's API keys;
- ``docs``: the API documentation (Swagger UI);
- ``catalog``: the open-data catalogue (DCAT-AP.de).
"""
