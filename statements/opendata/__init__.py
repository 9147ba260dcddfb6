"""Open data beside the HTML pages: Atom feeds (``feeds``) and CSV and JSON downloads
(``downloads``) of any list of statements, at the addresses in ``urls``.

A download's JSON record is the API's (``statements/records.py``); the API itself is
``statements/api/``.
"""
