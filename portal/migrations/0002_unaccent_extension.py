from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """PostgreSQL's unaccent() backs diacritic-insensitive search (portal.search.Fold).

    A no-op on SQLite, where the same folding is a Python function.
    """

    dependencies = [("portal", "0001_initial_units_users")]

    operations = [UnaccentExtension()]
