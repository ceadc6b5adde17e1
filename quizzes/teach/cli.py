"""`flask sets import|export`: question sets from and to files (filled in with interop)."""

from flask.cli import AppGroup

sets = AppGroup("sets", help="Import and export question sets.")
