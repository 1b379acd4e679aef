"""The /v1 routes: one per path of ENDPOINTS (aliases too), with auth, limits and errors."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tui.api.routes import ENDPOINTS, Endpoint
from tui.sandbox.auth import TokenBook, require
from tui.sandbox.call import Call, Handler
from tui.sandbox.guard import BadJson, is_json_type, load_json
from tui.sandbox.problems import GENERIC_400, VALIDATION, Problem
from tui.sandbox.query import parse_includes
from tui.sandbox.ratelimit import RateLimiter
from tui.sandbox.shapes import Shape
from tui.sandbox.state import SandboxState

log = logging.getLogger(__name__)


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(problem.body(), status_code=problem.status,
                        headers={**(headers or {}), **problem.headers})


class RequestIds:
    """ASGI middleware: every answer carries an X-Request-Id (the seed's support handle) and a
    ``Date`` from the sandbox's own clock (which tests may set apart from the client's)."""

    def __init__(self, app: ASGIApp, clock: Callable[[], datetime] | None = None) -> None:
        self.app = app
        self.clock = clock or (lambda: datetime.now(UTC))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", [])
                           if h[0] not in (b"x-request-id", b"date")]
                headers.append((b"x-request-id", request_id.encode()))
                date = format_datetime(self.clock().astimezone(UTC), usegmt=True)
                headers.append((b"date", date.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_id)


def _human(field: str) -> str:
    return field.rsplit(".", 1)[-1].replace("_", " ")


def validation_errors(error: ValidationError) -> dict[str, list[str]]:
    """pydantic's errors in the seed's ``errors{field: [...]}`` shape, worded like Laravel's."""
    errors: dict[str, list[str]] = {}
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "body"
        if item["type"] == "missing":
            text = f"The {_human(field)} field is required."
        elif item["type"] == "extra_forbidden":
            text = f"The {_human(field)} field is not allowed here."
        else:
            text = f"The {_human(field)} field is invalid: {item['msg']}."
        errors.setdefault(field, []).append(text)
    return errors


def _allows_json(accept: str) -> bool:
    wanted = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    return any(w in ("*/*", "application/*", "application/json") or w.endswith("+json")
               for w in wanted)


def check_accept(headers: Headers) -> None:
    """406 when the client accepts no JSON (the 415 for a non-JSON body is in read_body)."""
    accept = headers.get("accept")
    if accept and not _allows_json(accept):
        raise Problem(406, "This API answers in JSON only: send Accept: application/json.")


async def read_body(request: Request, model: type[BaseModel]) -> BaseModel:
    """The JSON body as ``model``; the size limit is enforced while it streams (guard.py)."""
    if not is_json_type(request.headers.get("content-type")):
        raise Problem(415, "Send the body as JSON with the header Content-Type: application/json.",
                      {"body": [f"Content-Type {request.headers['content-type']!r} is not "
                                "accepted here."]})
    raw = await request.body()
    try:
        data: Any = load_json(raw) if raw.strip() else {}
    except BadJson as bad:
        raise Problem(400, GENERIC_400, {"body": [str(bad)]}) from None
    if not isinstance(data, dict):
        raise Problem(400, GENERIC_400, {"body": ["The body must be a JSON object."]})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Problem(422, VALIDATION, validation_errors(exc)) from None


class Api:
    """Dispatches a request to the handler of its endpoint, in the order the real API checks."""

    def __init__(self, state: SandboxState, tokens: TokenBook, limiter: RateLimiter,
                 handlers: dict[str, Handler], shape: Shape = "default") -> None:
        missing = [e.name for e in ENDPOINTS if e.name not in handlers]
        if missing:
            raise RuntimeError(f"sandbox handlers missing for: {', '.join(missing)}")
        self.state = state
        self.tokens = tokens
        self.limiter = limiter
        self.handlers = handlers
        self.shape: Shape = shape

    def routes(self) -> list[Route]:
        by_path: dict[str, dict[str, Endpoint]] = {}
        for endpoint in ENDPOINTS:
            for path in (endpoint.path, *endpoint.aliases):
                by_path.setdefault(path, {})[endpoint.method] = endpoint
        # literal paths first, so /campaigns/templates is not read as /campaigns/{id}
        ordered = sorted(by_path, key=lambda p: (p.count("{"), p))
        return [self._route(path, by_path[path]) for path in ordered]

    def _route(self, path: str, methods: dict[str, Endpoint]) -> Route:
        async def endpoint(request: Request) -> Response:
            return await self.dispatch(request, methods)

        # every method reaches dispatch, which answers 405 in the API's own error shape
        return Route(path, endpoint, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])

    async def dispatch(self, request: Request, methods: dict[str, Endpoint]) -> Response:
        endpoint = methods.get(request.method)
        headers: dict[str, str] = {}
        try:
            if endpoint is None:
                raise Problem(405, f"Method {request.method} is not allowed here. Allowed: "
                                   f"{', '.join(sorted(methods))}.",
                              headers={"Allow": ", ".join(sorted(methods))})
            token, scopes = self.tokens.authenticate(request.headers)
            verdict = self.limiter.check(token, endpoint.route)
            headers.update(verdict.headers())
            if not verdict.allowed:
                raise Problem(429, f"Too Many Attempts: {endpoint.route} allows 1 request per "
                                   f"second. Retry after {verdict.retry_after} s.")
            require(scopes, endpoint.scope)
            check_accept(request.headers)
            includes = parse_includes(request.query_params, endpoint.includes)
            body = await read_body(request, endpoint.body) if endpoint.body else None
            call = Call(state=self.state, endpoint=endpoint, params=dict(request.path_params),
                        query=request.query_params, url=request.url, raw_body=body,
                        scopes=scopes, includes=includes, shape=self.shape)
            reply = self.handlers[endpoint.name](call)
        except Problem as problem:
            return problem_response(problem, headers)
        except ClientDisconnect:  # the client went away mid-body (closed, killed): not a bug
            log.info("sandbox: the client left during %s %s", request.method, request.url.path)
            return problem_response(Problem(400, "The request body was cut off."), headers)
        except Exception:  # a sandbox bug must look like the real server's 500, and be logged
            log.exception("sandbox handler failed: %s %s", request.method, request.url.path)
            return problem_response(Problem(500, "Server Error"), headers)
        if reply.status == 204:
            return Response(status_code=204, headers=headers)
        return JSONResponse(reply.body, status_code=reply.status, headers=headers)


async def not_found_handler(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPException) and exc.status_code == 405:
        return problem_response(Problem(405, "Method not allowed."))
    return problem_response(Problem(404, f"No endpoint at {request.url.path}. See "
                                         f"docs/api-contract.md for the paths."))
