"""Use cases over the database session. Services never commit: the caller does."""


class DomainError(Exception):
    """A request that cannot be carried out, with a message fit for the user."""


class NotFound(DomainError):
    """The thing asked for does not exist, or is not the caller's to see."""
