"""Flask extensions, created unbound and attached in create_app()."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to see that page."
login_manager.login_message_category = "info"

csrf = CSRFProtect()
migrate = Migrate()
# Storage comes from RATELIMIT_STORAGE_URI (memory:// by default, redis://... for several servers).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
