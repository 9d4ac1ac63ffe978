"""Use cases of shopwarden: one transaction each, between the pure core and the shells (api, cli, web)."""

# The modules whose before-commit hooks every Context installs (service/context.py COMMIT_HOOKS):
# imported with the package, so they are registered before any context is made.
from shopwarden.service import outbox_events, statements  # noqa: F401
