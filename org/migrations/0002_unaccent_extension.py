from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """PostgreSQL's unaccent() backs diacritic-insensitive search (org.search.Fold).

    A no-op on SQLite, where the same folding is a Python function.
    """

    dependencies = [("org", "0001_units_people_roles")]

    operations = [UnaccentExtension()]
