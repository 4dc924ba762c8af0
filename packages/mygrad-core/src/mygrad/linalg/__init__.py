"""Linear algebra (``mygrad.linalg``)."""

__all__: list[str] = []
