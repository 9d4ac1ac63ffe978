"""Use cases of shopwarden: one transaction each, between the pure core and the shells (api, cli, web)."""
