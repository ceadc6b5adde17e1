"""LTI 1.3 endpoints: OIDC login, launch (resource link and deep linking), the tool's JWKS,
the deep-linking page where a teacher places an assignment, and the roster sync button.

/lti/login and /lti/launch are posted to by the LMS, cross-site, with no CSRF token: the
spec's OIDC flow protects them instead (state bound to the browser, a one-use nonce, and
the platform's RS256 signature on the id_token). Every other form here keeps CSRF."""

from __future__ import annotations

import logging
from datetime import UTC
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user
from pylti1p3.contrib.flask import (
    FlaskCookieService,
    FlaskMessageLaunch,
    FlaskOIDCLogin,
    FlaskRequest,
)
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.lineitem import LineItem
from sqlalchemy import select

from models import LtiAssignmentLink, LtiCourse, LtiPlatform, SetStatus, db
from models.attempts import FeedbackMode
from quizzes.classes import assignments
from quizzes.classes.forms import AssignmentForm
from quizzes.domain.lti import frame_ancestors, origin_of
from quizzes.extensions import csrf
from quizzes.lti import keys, roster, scores
from quizzes.lti import launch as linking
from quizzes.lti.forms import SetPasswordForm
from quizzes.lti.platforms import DatabaseLaunchData, ToolConf, find_platform, framing_urls
from quizzes.lti.scores import bounded_session
from quizzes.web import clock
from quizzes.web.decorators import teacher_required
from quizzes.web.forms import EmptyForm
from quizzes.web.ownership import own_class_or_404
from quizzes.web.security import CSP

bp = Blueprint("lti", __name__, url_prefix="/lti")
log = logging.getLogger("quizzes.lti")

SESSION_PLATFORM = "lti_platform"  # the platform whose frame this browser session lives in
SESSION_DEEP_LINK = "lti_deep_link"  # the launch id of an open deep-linking request


class CookieService(FlaskCookieService):
    """pylti1p3's state cookie, also Partitioned (CHIPS) on HTTPS, so browsers that block
    third-party cookies still keep it inside the LMS frame."""

    def update_response(self, response):
        for key, data in self._cookie_data_to_set.items():
            secure = self._request.is_secure()
            response.set_cookie(
                key,
                data["value"],
                max_age=data["exp"],
                secure=secure,
                httponly=True,
                path="/",
                samesite="None" if secure else "Lax",
                partitioned=secure,
            )


def _services():
    lti_request = FlaskRequest()
    return lti_request, ToolConf(), CookieService(lti_request), DatabaseLaunchData()


def _refused(reason: str, status: int = 400):
    # Logged with the reason for the admin; the person sees a plain message.
    log.warning("LTI launch refused from %s: %s", request.remote_addr, reason)
    shown = (
        "The launch from your LMS could not be verified. Open the link in the LMS again; "
        "if it still fails, the LMS's registration here needs checking."
    )
    return render_template("lti/refused.html", reason=shown), status


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt
def login():
    lti_request, conf, cookies, storage = _services()
    target = lti_request.get_param("target_link_uri")
    launch_url = url_for("lti.launch", _external=True)
    if target and target != launch_url:
        return _refused(f"target_link_uri {target!r} is not this tool's launch URL")
    try:
        oidc = FlaskOIDCLogin(
            lti_request, conf, cookie_service=cookies, launch_data_storage=storage
        )
        response = oidc.redirect(launch_url)
    except (LtiException, OIDCException) as error:
        return _refused(f"login initiation: {error}")
    db.session.commit()  # the nonce
    return response


def _told(platform: LtiPlatform, reason: str):
    """A verified launch this app cannot serve: the reason, shown inside the LMS frame."""
    response = current_app.make_response((render_template("lti/refused.html", reason=reason), 403))
    response.headers["Content-Security-Policy"] = csp_for(platform)
    return response


@bp.post("/launch")
@csrf.exempt
def launch():
    lti_request, conf, cookies, storage = _services()
    message = FlaskMessageLaunch(
        lti_request, conf, cookie_service=cookies, requests_session=bounded_session()
    )
    message.set_launch_data_storage(storage)
    try:
        claims = message.get_launch_data()
    except LtiException as error:
        db.session.commit()  # a nonce that was checked stays spent
        return _refused(str(error))
    platform = find_platform(claims.get("iss"), message.get_client_id())
    try:
        person = linking.person_of(claims)
        user = linking.user_for(platform, person)
        course = linking.course_for(platform, claims, user, person)
    except linking.LaunchRefused as refusal:
        db.session.commit()
        return _told(platform, str(refusal))
    # A fresh session for the launched person: nothing from before survives (no fixation,
    # and no other account stays signed in inside the LMS frame).
    session.clear()
    login_user(user)
    session[SESSION_PLATFORM] = platform.id
    if message.is_deep_link_launch():
        if not person.teaches or course is None:
            db.session.commit()
            return _told(platform, "Only the course's teachers can add Quizdeck activities.")
        session[SESSION_DEEP_LINK] = message.get_launch_id()
        db.session.commit()
        return redirect(url_for("lti.deep_link"))
    assignment = linking.assignment_for(course, claims) if course else None
    db.session.commit()
    if user.is_teacher:
        if course is not None:
            return redirect(url_for("teach.class_detail", class_id=course.class_id))
        return redirect(url_for("teach.classes"))
    if assignment is not None:
        return redirect(url_for("classes.mine", _anchor=f"a{assignment.id}"))
    return redirect(url_for("classes.mine"))


@bp.get("/jwks")
def jwks():
    body = keys.jwks(clock.now())
    db.session.commit()  # a first key, made on first use
    response = jsonify(body)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _open_deep_link():
    launch_id = session.get(SESSION_DEEP_LINK)
    if not launch_id:
        abort(404)
    lti_request, conf, cookies, storage = _services()
    try:
        message = FlaskMessageLaunch.from_cache(
            launch_id, lti_request, conf, cookie_service=cookies, launch_data_storage=storage
        )
    except LtiException:
        abort(404)
    return message


@bp.route("/deep-link", methods=["GET", "POST"])
@teacher_required
def deep_link():
    message = _open_deep_link()
    claims = message.get_launch_data()
    platform = find_platform(claims.get("iss"), message.get_client_id())
    teacher = current_user._get_current_object()
    course = linking.course_for(platform, claims, teacher, linking.person_of(claims))
    school_class = own_class_or_404(course.class_id)
    form = AssignmentForm()
    form.set_id.choices = [(s.id, s.title) for s in assignments.assignable_sets(current_user)]
    if not form.is_submitted():
        form.opens_at.data = (
            clock.now().astimezone(_zone()).replace(second=0, microsecond=0, tzinfo=None)
        )
    if form.validate_on_submit():
        question_set = next(
            (s for s in assignments.assignable_sets(current_user) if s.id == form.set_id.data), None
        )
        if question_set is None or question_set.status is not SetStatus.PUBLISHED:
            form.set_id.errors.append("Choose one of your published sets.")
        else:
            assignment = assignments.create_assignment(
                school_class,
                question_set,
                opens_at=_from_local(form.opens_at.data),
                due_at=_from_local(form.due_at.data),
                attempt_limit=form.attempt_limit.data,
                time_limit_minutes=form.time_limit_minutes.data,
                feedback_mode=FeedbackMode(form.feedback_mode.data),
            )
            db.session.add(LtiAssignmentLink(assignment_id=assignment.id, course_id=course.id))
            resource = (
                DeepLinkResource()
                .set_url(url_for("lti.launch", _external=True))
                .set_title(question_set.title[:200])
                .set_custom_params({"quizdeck_assignment": str(assignment.id)})
                .set_lineitem(_lineitem(question_set.title, assignment.id))
            )
            token = message.get_deep_link().get_response_jwt([resource])
            return_url = message.get_launch_data()[
                "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
            ]["deep_link_return_url"]
            session.pop(SESSION_DEEP_LINK, None)
            db.session.commit()
            response = current_app.make_response(
                render_template("lti/deep_link_return.html", return_url=return_url, token=token)
            )
            response.headers["Content-Security-Policy"] = csp_for(platform, return_url)
            return response
    db.session.commit()
    return render_template(
        "lti/deep_link.html", form=form, school_class=school_class, zone=_zone().key
    )


def _lineitem(title: str, assignment_id: int) -> LineItem:
    return (
        LineItem()
        .set_label(title[:200])
        .set_score_maximum(100)
        .set_resource_id(f"quizdeck-assignment-{assignment_id}")
    )


def _zone() -> ZoneInfo:
    try:
        return ZoneInfo(current_user.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _from_local(moment):
    return None if moment is None else moment.replace(tzinfo=_zone()).astimezone(UTC)


def csp_for(platform: LtiPlatform, form_target: str | None = None) -> str:
    """The app's CSP with this platform's origins as the only frame ancestors, and, for the
    deep-linking answer, the platform's return URL as a form target."""
    csp = CSP.replace(
        "frame-ancestors 'none'", f"frame-ancestors {frame_ancestors(framing_urls(platform))}"
    )
    if form_target:
        csp = csp.replace("form-action 'self'", f"form-action 'self' {origin_of(form_target)}")
    return csp


@bp.route("/password", methods=["GET", "POST"])
@login_required
def set_password():
    """An LMS-made account's first password: then it can sign in here directly, change the
    password and delete the account on the account page, which ask for it."""
    user = current_user._get_current_object()
    if user.has_password:
        return redirect(url_for("account.settings"))
    form = SetPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.new.data)
        user.end_sessions()  # as a password change does; this device stays signed in
        db.session.commit()
        platform_id = session.get(SESSION_PLATFORM)
        session.clear()
        login_user(user)
        if platform_id:
            session[SESSION_PLATFORM] = platform_id
        flash(f"Password set: you can also sign in as {user.username} directly.", "success")
        return redirect(url_for("account.settings"))
    return render_template("lti/set_password.html", form=form), 422 if form.is_submitted() else 200


@bp.post("/classes/<int:class_id>/roster")
@teacher_required
def sync_roster(class_id: int):
    school_class = own_class_or_404(class_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    course = linking.course_of_class(school_class)
    if course is None:
        flash("This class did not come from an LMS course: there is no roster to sync.", "info")
        return redirect(url_for("teach.class_detail", class_id=class_id))
    try:
        change = roster.sync(course)
    except roster.RosterUnavailable as problem:
        db.session.rollback()
        flash(str(problem), "error")
    else:
        db.session.commit()
        flash(
            f"Roster synced from the LMS: {change.members} students, {change.added} added, "
            f"{change.removed} removed.",
            "success",
        )
    return redirect(url_for("teach.class_detail", class_id=class_id))


def register(app) -> None:
    """Frame rules for a session that came from an LMS: its pages may be framed by that
    platform's origins only; every other response keeps frame-ancestors 'none'."""

    # The class page offers a roster sync for a class that stands for an LMS course.
    app.jinja_env.globals["lti_course_of"] = lambda class_id: db.session.scalar(
        select(LtiCourse).where(LtiCourse.class_id == class_id)
    )

    @app.after_request
    def lti_scores_at_once(response):
        if app.config.get("LTI_SEND_SCORES_AT_ONCE", True) and response.status_code < 400:
            scores.push_queued_in_request(clock.now())
        return response

    @app.after_request
    def lti_frame_rules(response):
        platform_id = session.get(SESSION_PLATFORM) if session else None
        if not platform_id or "Content-Security-Policy" in response.headers:
            return response
        platform = db.session.get(LtiPlatform, platform_id)
        if platform is None:
            return response
        response.headers["Content-Security-Policy"] = csp_for(platform)
        return response
