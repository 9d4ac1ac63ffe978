"""The API client of tests/api (keys for each role, on SQLite and PostgreSQL) for the hardening tests."""

from tests.api.conftest import Api, api

__all__ = ["Api", "api"]
