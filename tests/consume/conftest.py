"""The consumer tests' fixtures; they and the helpers live in nats_fixtures.py (a unique module name:
every test folder has a conftest, so `from conftest import …` would find another folder's)."""

from nats_fixtures import nats_url, pg_ctx, pg_url, prefix  # noqa: F401 (fixtures)
