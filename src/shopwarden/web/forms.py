"""Reading posted form fields: each bad field is named with what is wrong and what is allowed."""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile

from shopwarden.errors import Code, FieldProblem, InvalidInput


def text(form: FormData, name: str, max_len: int, required: bool = False) -> str:
    value = form.get(name)
    value = value.strip() if isinstance(value, str) else ""
    if required and not value:
        raise InvalidInput.one(name, "is required", Code.REQUIRED)
    if len(value) > max_len:
        raise InvalidInput.one(name, f"has {len(value)} characters; at most {max_len} are allowed", Code.TOO_LONG, n=len(value), max=max_len)
    return value


def choice(form: FormData, name: str, allowed: tuple[str, ...]) -> str:
    value = form.get(name)
    if value not in allowed:
        raise InvalidInput.one(name, f"must be one of: {', '.join(allowed)}", Code.ONE_OF, allowed=list(allowed))
    return value


def amount(form: FormData, name: str, most: float) -> float:
    """A positive amount of money, at most `most`, with up to two decimals."""
    value = form.get(name)
    value = value.strip() if isinstance(value, str) else ""
    try:
        number = float(value)
    except ValueError:
        raise InvalidInput.one(name, f"{value[:32]!r} is not an amount; a number above 0 and at most {most:g}") from None
    if not 0 < number <= most or round(number, 2) != number:
        raise InvalidInput.one(name, f"{value[:32]} is out of range; a number above 0 and at most {most:g}, with at most two decimals")
    return number


async def file_bytes(upload: object) -> tuple[bytes, str] | None:
    """The bytes and name of an uploaded file; None when the field was left empty."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    return await upload.read(), upload.filename


def problems(exc: InvalidInput) -> dict[str, FieldProblem]:
    """Each field's problem (its code and params, for the page's language) by field name."""
    return {p.field: p for p in exc.errors} or {"form": FieldProblem("form", exc.detail, exc.code, exc.params)}


__all__ = ["FieldProblem", "amount", "choice", "file_bytes", "problems", "text"]
