"""The REST API (API.md): FastAPI routers over the service layer."""
