"""A user's own account: download everything stored about them, or delete it all."""
