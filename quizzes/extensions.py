"""Flask extensions, created unbound and attached in create_app()."""

from __future__ import annotations

import flask_limiter
from flask import request
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter, minus the passes that find nothing to count.

    Every limit here is a decorator on the views it guards (quizzes/web/ratelimits.py, the login
    and registration views), nearly all for POST only. The library still looks for limits
    before every request (app-wide, default and blueprint limits: there are none), and again
    in the decorator of a GET whose limits are all for POST: about 0.1 ms a request. Both
    passes are skipped only while they cannot find a limit; any app-wide, default, blueprint
    or meta limit, or an in-memory fallback, brings them back. (Internals of Flask-Limiter
    4.1, the pinned version; tests/web/test_rate_limit_passes.py checks each case.)
    """

    def _check_request_limit(
        self, callable_name: str | None = None, in_middleware: bool = True
    ) -> None:
        if not self._has_request_wide_limits():
            if in_middleware or (callable_name and self._method_exempt(callable_name)):
                return
        super()._check_request_limit(callable_name, in_middleware)

    def _has_request_wide_limits(self) -> bool:
        manager = self.limit_manager
        return bool(
            manager._application_limits
            or manager._default_limits
            or manager._blueprint_limits
            or manager._endpoint_hints
            or self._meta_limits
            or self._in_memory_fallback_enabled
        )

    def _method_exempt(self, callable_name: str) -> bool:
        """True when every limit on the view is for other methods than this request's."""
        groups = self.limit_manager._decorated_limits.get(callable_name)
        if not groups:
            return False
        method = request.method.lower()
        return all(
            group.methods and method not in group.methods and not group.meta_limits
            for group in groups
        )


login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to see that page."
login_manager.login_message_category = "info"

csrf = CSRFProtect()
migrate = Migrate()
# Storage comes from RATELIMIT_STORAGE_URI (memory:// by default, redis://... for several servers).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
