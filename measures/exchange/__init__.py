"""Measures as spreadsheets: one format for export and import, in XLSX and in CSV.

- ``sheets``: the format (the two tables, their columns, the lookup lists) and the export rows;
- ``cells``: an imported cell -> the string the measure form expects;
- ``xlsx_format`` and ``csv_format``: writing and reading the files;
- ``importer``: dry run, then all or nothing, through the measure form.
"""
