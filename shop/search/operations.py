"""Migration operations that only touch the database on PostgreSQL.

`make run` migrates SQLite, where GIN indexes and pg_trgm do not exist. Wrapping an
operation keeps the migration state identical on every database (so makemigrations
sees nothing to do) while SQLite skips the PostgreSQL-only DDL.
"""

from django.db.migrations.operations.base import Operation


class PostgresOnly(Operation):
    def __init__(self, operation):
        self.operation = operation

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.operation], {})

    @property
    def reversible(self):
        return self.operation.reversible

    def state_forwards(self, app_label, state):
        self.operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"{self.operation.describe()} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return self.operation.migration_name_fragment
