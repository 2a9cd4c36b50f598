"""The measures app's views, one module per page family.

- ``dashboard``: a body's dashboard ("Übersicht", "Meine Aufgaben");
- ``measure``: the list, a measure's page and history, the form to create and edit one;
- ``review``: the coordinator's queue and overview, review steps, the thread;
- ``withdrawal``: withdrawing a measure, deleting one never submitted;
- ``partnerships``: a partner body's answer to a request to take part, the open requests;
- ``synergy``: the coordinator's groups of similar measures and joining them;
- ``exchange``: export and import as Excel or CSV.
"""
