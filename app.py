"""Quizdeck application factory; `flask --app app ...` finds create_app here."""

from __future__ import annotations

import os

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)

    from quizzes import config

    app.config.from_mapping(config.defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **config.engine_options(app.config["SQLALCHEMY_DATABASE_URI"]),
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
    }

    from models import db
    from quizzes.auth.signup import checked_policy

    checked_policy(app.config["TEACHER_SIGNUP"])  # a mistyped choice stops the start, saying so
    from quizzes.extensions import csrf, limiter, login_manager, migrate
    from quizzes.integers import DatabaseIntConverter

    db.init_app(app)
    migrate.init_app(
        app, db, directory=os.path.join(app.root_path, "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    # Before any blueprint adds its routes: every <int:...> is range-checked, ASCII only.
    app.url_map.converters["int"] = DatabaseIntConverter

    from quizzes import backup  # noqa: F401 (adds `flask db backup`)
    from quizzes.account.routes import bp as account_bp
    from quizzes.admin import media_cli
    from quizzes.admin.routes import bp as admin_bp
    from quizzes.auth import cli as users_cli
    from quizzes.auth.routes import bp as auth_bp
    from quizzes.bank import cli as bank_cli
    from quizzes.bank import grade_cli  # noqa: F401 (adds `flask bank grade` to bank_cli.bank)
    from quizzes.bank.routes import bp as bank_bp
    from quizzes.cards import cli as decks_cli
    from quizzes.cards import (  # noqa: F401 (their routes join cards_bp)
        import_views,
        media_views,
        optimise_views,
        study_views,
    )
    from quizzes.cards.routes import bp as cards_bp
    from quizzes.classes import (  # noqa: F401 (their routes join the teach blueprint)
        grading_views,
        queue_views,
        settings_views,
        teacher_views,
    )
    from quizzes.classes.routes import bp as classes_bp
    from quizzes.live import broker as live_broker
    from quizzes.live import routes as live_routes
    from quizzes.live.routes import bp as live_bp
    from quizzes.lti import admin as lti_admin  # noqa: F401 (its routes join lti_bp)
    from quizzes.lti import cli as lti_cli
    from quizzes.lti import routes as lti_routes
    from quizzes.main.routes import bp as main_bp
    from quizzes.media import routes as media_routes
    from quizzes.progress.routes import bp as progress_bp
    from quizzes.quiz.routes import bp as quiz_bp
    from quizzes.quiz.sample import bp as sample_bp
    from quizzes.teach import cli as sets_cli
    from quizzes.teach.routes import bp as teach_bp
    from quizzes.web import display, errors, navigation, rendering, security

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(bank_bp)
    app.register_blueprint(cards_bp)
    app.register_blueprint(quiz_bp)
    app.register_blueprint(sample_bp)
    app.register_blueprint(progress_bp)
    app.register_blueprint(classes_bp)
    app.register_blueprint(teach_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(live_bp)
    app.register_blueprint(media_routes.bp)
    media_routes.register(app)
    live_broker.init_app(app)
    live_routes.register(app)  # its guests may see their rounds' images
    app.register_blueprint(lti_routes.bp)
    rendering.register(app)
    display.register(app)
    errors.register(app)
    security.register(app)
    navigation.register(app)
    lti_routes.register(app)  # after security: its frame rules are set first
    app.cli.add_command(users_cli.users)
    app.cli.add_command(bank_cli.bank)
    app.cli.add_command(sets_cli.sets)
    app.cli.add_command(decks_cli.decks_cli)
    app.cli.add_command(lti_cli.lti)
    app.cli.add_command(media_cli.media)
    return app
