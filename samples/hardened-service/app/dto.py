"""Response objects: what a client may see of a user, and nothing more."""

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class UserPublic:
    """A user as shown to API clients: no password hash, no API key."""

    user_id: int
    username: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "UserPublic":
        """Build the public view from a database row, dropping every other column."""
        return cls(user_id=int(row["id"]), username=str(row["username"]))

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form."""
        return asdict(self)
