"""What a process started by a test needs to reach the test's own database."""


def database_url(connection) -> str:
    """The test database (pytest-django's `test_…`) as a DATABASE_URL."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
