"""Models, migrations, database setup and the small core modules; two instances, one database."""
