"""Flask extensions, created unbound here and initialised in :func:`quizapp.create_app`."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic alter and drop them, also in SQLite batch mode.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
# The models' base class. Flask-SQLAlchemy makes db.Model at run time, a subclass of Base;
# type checkers see Base, which declares everything the models use.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# Counters live in RATELIMIT_STORAGE_URI (memory:// by default: per process). A moving window
# frees each counted attempt exactly its window after it was made: no burst at a window's edge.
limiter = Limiter(key_func=get_remote_address, strategy="moving-window")
