"""Signals of the ground floor that every domain may send.

`bulk_saved` stands in for `post_save` after a bulk write, which sends none: `sender` is the
model, `instances` the rows written. The roof's page cache listens to it as to a save.
"""

from django.dispatch import Signal

bulk_saved = Signal()
