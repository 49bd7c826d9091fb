"""The sync core shared by the central service and the desktop: pure Python and SQLAlchemy metadata only.

* ``catalog``: which tables sync, how each is scoped to a branch, and the field class of every column.
* ``values``: the wire form of column values (what ``[old, new]`` pairs and pulled rows carry).
* ``merge``: the three-way per-field merge (base, server, client).
* ``protocol``: the JSON message shapes, op hashing, status names, error codes and limits.
* ``derive``: columns both sides compute from others (the customer's display name and search keys).

No FastAPI, psycopg or Qt here: the desktop imports this package too.
"""
