"""Live sessions on the web: the teacher's set-up, projector and report; the players'
join page, phone page and answers. Views load, check access, call the services, commit
once, then push the change to the browsers (quizzes/live/streams.py)."""

from __future__ import annotations

import io
import random

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from models import LivePlayer, LiveSession, QuestionSet, SchoolClass, db
from quizzes.classes import services as class_services
from quizzes.domain.live.rounds import Action, IllegalMove, Phase
from quizzes.live import pages, services
from quizzes.live.forms import JoinForm, NewSessionForm, RenameForm
from quizzes.live.report import report, report_csv
from quizzes.live.streams import host_channel, players_channel, publish, sse, stream
from quizzes.media import routes as media_routes
from quizzes.media import store as media_store
from quizzes.quiz import services as quiz
from quizzes.web import once
from quizzes.web.clock import now as server_now
from quizzes.web.decorators import teacher_required
from quizzes.web.forms import EmptyForm
from quizzes.web.ratelimits import live_answers, live_joins

bp = Blueprint("live", __name__, url_prefix="/live")
MAX_REMEMBERED = 5  # sessions a browser keeps its guest player for


# -- the teacher's side ----------------------------------------------------------------------


MAX_ID = 2**63 - 1  # beyond it SQLite raises OverflowError instead of finding nothing


def _get(model, ident: int):
    return db.session.get(model, ident) if 0 < ident <= MAX_ID else None


def _own_session_or_404(session_id: int) -> LiveSession:
    live = _get(LiveSession, session_id)
    if live is None or live.teacher_id != current_user.id:
        abort(404)
    return live


def _plain_id(text: str | None) -> int | None:
    """A query parameter as an id: ASCII digits only (int() would take '١٢')."""
    if text and text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    return None


@bp.get("/")
@teacher_required
def index():
    sessions = db.session.scalars(
        select(LiveSession)
        .where(LiveSession.teacher_id == current_user.id)
        .order_by(LiveSession.created_at.desc())
        .limit(50)
    ).all()
    return render_template("live/index.html", sessions=sessions)


@bp.route("/new", methods=["GET", "POST"])
@teacher_required
def new():
    sets = quiz.usable_sets(current_user.id)
    form = NewSessionForm()
    form.set_id.choices = [
        (s.id, s.title if s.owner_id is None else f"{s.title} (yours)") for s in sets
    ]
    classes = [c for c, _ in class_services.teacher_classes(current_user)]
    form.class_id.choices = [(0, "No class")] + [(c.id, c.name) for c in classes]
    if not sets:
        flash("There is no set with questions to ask yet.", "warning")
        return redirect(url_for("teach.sets"))
    chosen_id = (
        form.set_id.data if request.method == "POST" else _plain_id(request.args.get("set_id"))
    )
    by_id = {s.id: s for s in sets}
    question_set = by_id.get(chosen_id) or sets[0]
    form.set_id.data = question_set.id if request.method == "GET" else form.set_id.data
    items = services.live_items(question_set.id)
    form.item_ids.choices = [(item.id, item.prompt) for item in items]
    if request.method == "POST" and request.form.get("show") is not None:
        return redirect(url_for("live.new", set_id=question_set.id))
    if form.validate_on_submit():
        if form.set_id.data not in by_id:
            abort(404)
        sent = once.claim(form.once.data)
        if sent.earlier:
            return once.already_sent(sent, fallback=url_for("live.index"))
        school_class = None
        if form.class_id.data:
            school_class = db.session.get(SchoolClass, form.class_id.data)
            if school_class is None or school_class.teacher_id != current_user.id:
                abort(404)
        rng = random.Random()
        moment = server_now()
        chosen = services.choose_items(
            items,
            form.item_ids.data if form.mode.data == "choose" else [],
            form.count.data or 0,
            school_class.id if school_class else None,
            moment,
            rng,
        )
        try:
            live = services.create_session(
                current_user,
                question_set,
                chosen,
                seconds=form.seconds.data,
                show_leaderboard=form.leaderboard.data,
                school_class=school_class,
                keep_in_gradebook=form.keep.data,
                now=moment,
                rng=rng,
            )
        except services.LiveError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            sent.made(url_for("live.host", session_id=live.id))
            db.session.commit()
            return redirect(url_for("live.host", session_id=live.id))
    return render_template(
        "live/new.html",
        form=form,
        question_set=question_set,
        items=items,
        left_out=_left_out(question_set),
    )


def _left_out(question_set: QuestionSet) -> int:
    """Items of the set a live round cannot ask (cloze)."""
    active = sum(1 for item in question_set.items if item.retired_at is None)
    return active - len(services.live_items(question_set.id))


@bp.get("/<int:session_id>")
@teacher_required
def host(session_id: int):
    live = _own_session_or_404(session_id)
    moment = server_now()
    return render_template(
        "live/host.html",
        live=live,
        state=pages.host_state(live, moment),
        join_url=url_for("live.join", pin=live.pin, _external=True) if live.pin else None,
        control_form=EmptyForm(),
        rename_form=RenameForm(),
        Phase=Phase,
    )


def _publish_round(live: LiveSession) -> None:
    moment = server_now()
    publish(players_channel(live.id), "state", pages.player_state(live, moment))
    publish(host_channel(live.id), "state", pages.host_state(live, moment))


@bp.post("/<int:session_id>/control")
@teacher_required
def control(session_id: int):
    live = _own_session_or_404(session_id)
    form = EmptyForm()
    wants_json = request.accept_mimetypes.best == "application/json"
    try:
        action = Action(request.form.get("action", ""))
    except ValueError:
        action = None
    if not form.validate_on_submit() or action is None:
        if wants_json:
            return jsonify(ok=False, message="Unknown action."), 400
        abort(400)
    try:
        services.control(live, action, server_now())
    except IllegalMove as refused:
        db.session.rollback()
        if wants_json:
            return jsonify(ok=False, message=str(refused)), 409
        flash(str(refused), "warning")
        return redirect(url_for("live.host", session_id=session_id))
    db.session.commit()
    _publish_round(live)
    if wants_json:
        return jsonify(ok=True, phase=live.phase, v=live.version)
    if live.phase == Phase.ENDED:
        return redirect(url_for("live.report_page", session_id=session_id))
    return redirect(url_for("live.host", session_id=session_id))


@bp.get("/<int:session_id>/events")
@teacher_required
def host_events(session_id: int):
    live = _own_session_or_404(session_id)
    live_id = live.id

    def snapshot() -> list[str]:
        fresh = db.session.get(LiveSession, live_id)
        return [sse("state", pages.host_state(fresh, server_now()))] if fresh else []

    return stream(live_id, host_channel(live_id), snapshot, lambda name, data: [sse(name, data)])


def _player_in(live: LiveSession, player_id: int) -> LivePlayer:
    player = _get(LivePlayer, player_id)
    if player is None or player.session_id != live.id:
        abort(404)
    return player


def _players_changed(live: LiveSession, player: LivePlayer) -> None:
    publish(
        players_channel(live.id),
        "player",
        {"id": player.id, "name": player.nickname, "removed": player.removed},
    )
    publish(
        host_channel(live.id),
        "players",
        {"players": [pages.player_entry(p) for p in services.active_players(live)]},
    )


@bp.post("/<int:session_id>/players/<int:player_id>/rename")
@teacher_required
def rename_player(session_id: int, player_id: int):
    live = _own_session_or_404(session_id)
    player = _player_in(live, player_id)
    form = RenameForm()
    if form.validate_on_submit():
        try:
            services.rename(player, form.nickname.data)
        except services.LiveError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            _players_changed(live, player)
            flash(f"Renamed to {player.nickname}.", "success")
    else:
        flash("Type the new name.", "error")
    return redirect(url_for("live.host", session_id=session_id) + "#players")


@bp.post("/<int:session_id>/players/<int:player_id>/remove")
@teacher_required
def remove_player(session_id: int, player_id: int):
    live = _own_session_or_404(session_id)
    player = _player_in(live, player_id)
    if EmptyForm().validate_on_submit():
        player.removed = True
        db.session.commit()
        _players_changed(live, player)
        flash(f"{player.nickname} was removed from the session.", "success")
    return redirect(url_for("live.host", session_id=session_id) + "#players")


@bp.get("/<int:session_id>/qr.svg")
@teacher_required
def qr_code(session_id: int):
    live = _own_session_or_404(session_id)
    if not live.pin:
        abort(404)
    code = segno.make(url_for("live.join", pin=live.pin, _external=True), error="m")
    svg = io.BytesIO()
    code.save(svg, kind="svg", scale=8, border=2, dark="#000", light="#fff", xmldecl=False)
    return Response(svg.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


@bp.get("/<int:session_id>/report")
@teacher_required
def report_page(session_id: int):
    live = _own_session_or_404(session_id)
    return render_template("live/report.html", live=live, report=report(live))


@bp.get("/<int:session_id>/report.csv")
@teacher_required
def report_download(session_id: int):
    live = _own_session_or_404(session_id)
    filename = f"live-{live.id}-{live.created_at.date().isoformat()}.csv"
    return Response(
        report_csv(live),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# -- the players' side -----------------------------------------------------------------------


def _remembered() -> dict[str, int]:
    value = session.get("live_players")
    return value if isinstance(value, dict) else {}


def _remember(live: LiveSession, player: LivePlayer) -> None:
    kept = {k: v for k, v in _remembered().items() if k != str(live.id)}
    kept = dict(list(kept.items())[-(MAX_REMEMBERED - 1) :])
    kept[str(live.id)] = player.id
    session["live_players"] = kept


def guest_may_see(media) -> bool:
    """This browser's guest players may see the images their rounds' questions show (the
    media route asks, quizzes/media/routes.py)."""
    return media_store.may_see_as_live_guest(_remembered().values(), media)


def register(app) -> None:
    media_routes.allow_guests(app, guest_may_see)


def _my_player_or_404(session_id: int) -> tuple[LiveSession, LivePlayer]:
    """The session and this browser's player in it: the signed-in account's, or the guest
    this browser joined as. Anyone else gets 404, as for a session that does not exist."""
    live = _get(LiveSession, session_id)
    if live is None:
        abort(404)
    player = None
    if current_user.is_authenticated:
        player = db.session.scalar(
            select(LivePlayer).where(
                LivePlayer.session_id == live.id, LivePlayer.user_id == current_user.id
            )
        )
    if player is None:
        player_id = _remembered().get(str(live.id))
        if isinstance(player_id, int):
            player = db.session.get(LivePlayer, player_id)
            if player is not None and (player.session_id != live.id or player.user_id is not None):
                player = None
    if player is None:
        abort(404)
    return live, player


@bp.route("/join", methods=["GET", "POST"])
@live_joins
def join():
    form = JoinForm()
    if request.method == "GET" and (pin := request.args.get("pin")):
        form.pin.data = pin[:20]
    signed_in = current_user.is_authenticated
    if form.validate_on_submit():
        live = services.running_session(form.pin.data)
        if live is None:
            form.pin.errors.append("No session is running with this PIN. Check the screen.")
        else:
            try:
                player = services.join(
                    live,
                    current_user if signed_in else None,
                    form.nickname.data or "",
                    server_now(),
                )
            except services.LiveError as error:
                db.session.rollback()
                (form.pin if "session" in str(error) else form.nickname).errors.append(str(error))
            else:
                db.session.commit()
                _remember(live, player)
                publish(
                    host_channel(live.id),
                    "players",
                    {"players": [pages.player_entry(p) for p in services.active_players(live)]},
                )
                return redirect(url_for("live.play", session_id=live.id))
    return render_template("live/join.html", form=form, signed_in=signed_in)


@bp.get("/play/<int:session_id>")
def play(session_id: int):
    live, player = _my_player_or_404(session_id)
    question = services.current_question(live)
    given = services.answer_of(question, player) if question is not None else None
    return render_template(
        "live/play.html",
        live=live,
        player=player,
        state=pages.player_state(live, server_now(), given.response if given else None),
        mine=pages.mine(live, player),
    )


@bp.get("/play/<int:session_id>/events")
def play_events(session_id: int):
    live, player = _my_player_or_404(session_id)
    if player.removed or live.phase == Phase.ENDED:
        return Response(status=204)  # EventSource stops reconnecting
    live_id, player_id = live.id, player.id

    def snapshot() -> list[str]:
        fresh = db.session.get(LiveSession, live_id)
        me = db.session.get(LivePlayer, player_id)
        if fresh is None or me is None:
            return []
        question = services.current_question(fresh)
        given = services.answer_of(question, me) if question is not None else None
        state = pages.player_state(fresh, server_now(), given.response if given else None)
        return [sse("state", state), sse("mine", pages.mine(fresh, me))]

    def forward(name: str, data: dict) -> list[str] | None:
        if name == "player":
            if data.get("id") != player_id:
                return []
            return [sse("removed" if data.get("removed") else "player", data)]
        if name == "state" and data.get("phase") == Phase.RESULTS:
            fresh = db.session.get(LiveSession, live_id)
            me = db.session.get(LivePlayer, player_id)
            return [sse(name, data), sse("mine", pages.mine(fresh, me))]
        return [sse(name, data)]

    return stream(live_id, players_channel(live_id), snapshot, forward)


@bp.post("/play/<int:session_id>/answer")
@live_answers
def answer(session_id: int):
    live, player = _my_player_or_404(session_id)
    if not EmptyForm().validate_on_submit():
        return jsonify(ok=False, message="The page is out of date: reload it."), 400
    number = _plain_id(request.form.get("number"))
    try:
        given = services.answer(
            live, player, number or 0, request.form.to_dict(flat=False), server_now()
        )
    except services.LiveError as error:
        db.session.rollback()
        return jsonify(ok=False, message=str(error)), 409
    db.session.commit()
    question = services.current_question(live)
    publish(
        host_channel(live.id),
        "answered",
        {"number": number, "answered": services.answered_count(question)},
    )
    return jsonify(ok=True, number=number, answer=given.described)
