"""Pure domain core: no Flask, no SQLAlchemy.

Everything here is plain functions and dataclasses that take explicit ``now``
and random seeds, so it can be tested without an application.
"""
