"""A small LMS for the LTI tests, built on the lti1p3platform package (an LTI 1.3 platform
implementation not written here), served over HTTP on 127.0.0.1 with its own RS256 key.

It knows one course with an instructor and two learners, launches them into the tool,
takes Deep Linking answers (making a resource link and its gradebook line item), serves
an OAuth2 token endpoint, the AGS scores and results endpoints and the NRPS roster."""

from __future__ import annotations

import html
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.membership import Context
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import (
    AssignmentsGradesService,
    NamesRoleProvisioningService,
)
from werkzeug.serving import make_server
from werkzeug.wrappers import Request as WsgiRequest
from werkzeug.wrappers import Response as WsgiResponse

INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
CLIENT_ID = "quizdeck-client"
DEPLOYMENT_ID = "deployment-1"
COURSE_ID = "course-101"


def new_private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def public_of(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@dataclass
class Member:
    sub: str
    name: str
    roles: list[str]
    status: str = "Active"


@dataclass
class ResourceLink:
    id: str
    title: str
    custom: dict[str, str]
    lineitem_id: str


@dataclass
class LineItem:
    id: str
    label: str
    score_maximum: float
    resource_id: str
    scores: list[dict[str, Any]] = field(default_factory=list)  # every Score POST received


class WerkzeugRequest(Request):
    def build_metadata(self, request: WsgiRequest):
        return {
            "method": request.method,
            "form_data": request.form.to_dict(),
            "get_data": request.args.to_dict(),
            "headers": request.headers,
            "content_type": request.content_type,
            "path": request.path,
            "json": request.get_json(silent=True),
        }


class Platform:
    """The LMS. Start it with start(tool_url); stop() at the end."""

    def __init__(self) -> None:
        self.private_key = new_private_key()
        self.members = {
            "teacher-1": Member("teacher-1", "Tess Teacher", [INSTRUCTOR]),
            "learner-1": Member("learner-1", "Lee Learner", [LEARNER]),
            "learner-2": Member("learner-2", "Kim Min-jun", [LEARNER]),
        }
        self.links: dict[str, ResourceLink] = {}
        self.lineitems: dict[str, LineItem] = {}
        self.token_requests = 0
        self.down = False  # True: every service endpoint answers 503, as an LMS being updated
        self.url = ""
        self.tool_url = ""
        self._server = None

    # -- the platform's registration of the tool, through lti1p3platform --------------------

    def conf(self) -> LTI1P3PlatformConfAbstract:
        platform = self

        class Conf(LTI1P3PlatformConfAbstract):
            def init_platform_config(self, **kwargs):
                self._registration = platform.registration()

            def get_registration_by_params(self, **kwargs):
                return platform.registration()

        return Conf()

    def registration(self) -> Registration:
        return (
            Registration()
            .set_iss(self.url)
            .set_client_id(CLIENT_ID)
            .set_deployment_id(DEPLOYMENT_ID)
            .set_launch_url(f"{self.tool_url}/lti/launch")
            .set_deeplink_launch_url(f"{self.tool_url}/lti/launch")
            .set_oidc_login_url(f"{self.tool_url}/lti/login")
            .set_tool_key_set_url(f"{self.tool_url}/lti/jwks")
            .set_platform_public_key(public_of(self.private_key))
            .set_platform_private_key(self.private_key)
        )

    def settings_for_tool(self) -> dict[str, str]:
        """What the tool's admin registers (flask lti add-platform / the admin page)."""
        return {
            "issuer": self.url,
            "client_id": CLIENT_ID,
            "deployment_id": DEPLOYMENT_ID,
            "auth_login_url": f"{self.url}/auth",
            "auth_token_url": f"{self.url}/token",
            "key_set_url": f"{self.url}/jwks",
        }

    # -- what a person clicks in the LMS ----------------------------------------------------

    def login_url(self, sub: str, message: str) -> str:
        """Third-party initiated login: the URL the LMS sends the browser to. `message` is
        "deep-link" or a resource link id."""
        platform = self

        class Login(OIDCLoginAbstract):
            def set_lti_message_hint(self, **kwargs):
                self._lti_message_hint = kwargs["hint"]

            def get_redirect(self, url):
                return url

        login = Login(None, self.conf())
        login.set_lti_message_hint(hint=message)
        if message == "deep-link":
            login.set_deeplinking_launch_url()
        else:
            login.set_launch_url(platform.registration().get_launch_url())
        return login.initiate_login(sub)

    def _launch(self, request: WsgiRequest) -> WsgiResponse:
        """The OIDC authorization endpoint: answers the tool's auth request with the signed
        id_token in an auto-posting form (read by the test's browser)."""
        params = request.args.to_dict()
        member = self.members.get(params.get("login_hint", ""))
        if member is None:
            return WsgiResponse("unknown user", status=403)
        hint = params.get("lti_message_hint", "")

        class Launch(LTIAdvantageMessageLaunchAbstract):
            def render_launch_form(self, launch_data, **kwargs):
                return launch_data

            def get_preflight_response(self):
                return params

        launch = Launch(WerkzeugRequest(request), self.conf())
        launch.set_user_data(member.sub, member.roles, full_name=member.name)
        launch.set_launch_context_claim(COURSE_ID, context_title="Korean Politics 101")
        launch.set_nrps(f"{self.url}/memberships")
        if hint == "deep-link":
            launch.set_dl(f"{self.url}/deep-link-return", title="Add Quizdeck")
        else:
            link = self.links.get(hint)
            if link is None:
                return WsgiResponse("unknown link", status=404)
            launch.set_resource_link_claim(link.id, title=link.title)
            launch.set_custom_parameters_claim(link.custom)
            launch.set_ags(
                lineitems_url=f"{self.url}/lineitems",
                lineitem_url=f"{self.url}/lineitems/{link.lineitem_id}",
            )
        data = launch.lti_launch()
        form = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(str(data[name]))}">'
            for name in ("id_token", "state")
        )
        body = f'<form method="post" action="{html.escape(data["launch_url"])}">{form}</form>'
        return WsgiResponse(body, content_type="text/html")

    # -- services -------------------------------------------------------------------------

    def _token(self, request: WsgiRequest) -> WsgiResponse:
        self.token_requests += 1
        try:
            token = self.conf().get_access_token(request.form.to_dict())
        except Exception as error:  # the library raises several kinds; all are a 400
            return WsgiResponse(json.dumps({"error": str(error)}), status=400)
        return WsgiResponse(json.dumps(token), content_type="application/json")

    def _deep_link_return(self, request: WsgiRequest) -> WsgiResponse:
        items = self.conf().validate_deeplinking_resp(request.form.to_dict())
        for item in items:
            number = len(self.links) + 1
            lineitem = item.get("lineItem") or {}
            lineitem_id = f"li-{number}"
            self.lineitems[lineitem_id] = LineItem(
                id=f"{self.url}/lineitems/{lineitem_id}",
                label=lineitem.get("label", item.get("title", "")),
                score_maximum=lineitem.get("scoreMaximum", 100),
                resource_id=lineitem.get("resourceId", ""),
            )
            self.links[f"link-{number}"] = ResourceLink(
                id=f"link-{number}",
                title=item.get("title", ""),
                custom=item.get("custom", {}),
                lineitem_id=lineitem_id,
            )
        return WsgiResponse("saved", content_type="text/plain")

    def _ags(self, request: WsgiRequest, lineitem_id: str, action: str) -> WsgiResponse:
        platform = self

        class Grades(AssignmentsGradesService):
            # Line items are made by Deep Linking here; the tool never manages them.
            def find_lineitems(self, page=1, limit=None):
                raise NotImplementedError

            find_lineitem = create_lineitem = update_lineitem = delete_lineitem = find_lineitems

            def update_score(self, line_item_id, score):
                item = platform.lineitems[line_item_id]
                item.scores.append(score)
                return UpdateScoreStatus.SUCCESS

            def get_results(self, line_item_id, page=1, limit=None, user_id=None):
                item = platform.lineitems[line_item_id]
                latest: dict[str, dict] = {}
                # The newest timestamp wins, as AGS asks of a platform.
                for score in sorted(item.scores, key=lambda s: s["timestamp"]):
                    latest[score["userId"]] = score
                return {
                    "content": [
                        {
                            "userId": sub,
                            "resultScore": s["scoreGiven"],
                            "resultMaximum": s["scoreMaximum"],
                        }
                        for sub, s in latest.items()
                    ],
                    "has_next": False,
                    "next": None,
                }

        service = Grades(
            WerkzeugRequest(request),
            self.conf(),
            lineitems_url=f"{self.url}/lineitems",
            lineitem_url=f"{self.url}/lineitems/{lineitem_id}",
        )
        if action == "scores":
            result = service.handle_resp(service.handle_update_score, line_item_id=lineitem_id)
        else:
            result = service.handle_resp(service.handle_get_results, line_item_id=lineitem_id)
        return _json(result)

    def _memberships(self, request: WsgiRequest) -> WsgiResponse:
        platform = self

        class Roster(NamesRoleProvisioningService):
            def get_context_by_id(self):
                return Context(id=COURSE_ID, label="KP101", title="Korean Politics 101")

            def get_member_data_page(self, page=1, limit=None, role=None, since=None):
                return {
                    "content": [
                        {"user_id": m.sub, "name": m.name, "roles": m.roles, "status": m.status}
                        for m in platform.members.values()
                    ],
                    "has_next": False,
                    "next": None,
                }

        service = Roster(WerkzeugRequest(request), self.conf(), f"{self.url}/memberships")
        return _json(service.handle_resp(service.handle_get_members))

    # -- the server -----------------------------------------------------------------------

    def wsgi(self, environ, start_response):
        request = WsgiRequest(environ)
        path = request.path
        if self.down and path not in ("/jwks", "/auth"):
            response = WsgiResponse("maintenance", status=503)
        elif path == "/jwks":
            response = WsgiResponse(
                json.dumps(self.conf().get_jwks()), content_type="application/json"
            )
        elif path == "/auth":
            response = self._launch(request)
        elif path == "/token":
            response = self._token(request)
        elif path == "/deep-link-return":
            response = self._deep_link_return(request)
        elif path == "/memberships":
            response = self._memberships(request)
        elif match := re.fullmatch(r"/lineitems/([\w-]+)/(scores|results)", path):
            response = self._ags(request, match.group(1), match.group(2))
        else:
            response = WsgiResponse("not found", status=404)
        return response(environ, start_response)

    def start(self, tool_url: str) -> None:
        self.tool_url = tool_url
        self._server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    # -- for tests that forge tokens ------------------------------------------------------

    def resign(self, id_token: str, key_pem: str | None = None, **changes: Any) -> str:
        """The id_token with claims changed, signed again (with the platform's key unless
        another is given) under the same key id."""
        header = jwt.get_unverified_header(id_token)
        body = jwt.decode(id_token, options={"verify_signature": False})
        body.update(changes)
        return jwt.encode(
            body, key_pem or self.private_key, algorithm="RS256", headers={"kid": header["kid"]}
        )


def _json(result) -> WsgiResponse:
    if 200 <= result.code < 300:
        data = result.result
        if isinstance(data, dict) and "content" in data:
            data = data["content"]
        return WsgiResponse(
            json.dumps(data) if data is not None else "",
            status=result.code,
            content_type=result.media_type,
        )
    return WsgiResponse(json.dumps({"error": result.message}), status=result.code)


def auto_post_form(page: str) -> tuple[str, dict[str, str]]:
    """The action and fields of the page's auto-posting form."""
    action = html.unescape(re.search(r'<form[^>]*action="([^"]+)"', page).group(1))
    fields = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }
    return action, fields


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def utc(moment: str) -> datetime:
    return datetime.fromisoformat(moment)
