"""Storage: SQLAlchemy models, repositories and migrations. Imports `core` only."""
