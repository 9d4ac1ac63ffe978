"""Migrations' helper: make a table append-only in the database itself (UPDATE and DELETE refused)."""


def forbid_changes(op, table: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'ledger table {table} is append-only'); END"
            )
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION shopwarden_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'ledger table % is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql"
    )
    op.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION shopwarden_append_only()"
    )
