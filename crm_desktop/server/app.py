"""The FastAPI application: ``create_app(settings)``.

Routes are thin: they validate the JSON shape (pydantic), take the device and clerk from the bearer
token, and call ``auth``, ``push``, ``pull`` and ``health``. Scope never comes from a request field.
Errors are ``{"code", "message" (Persian), ...}`` with the status of their code.
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from typing import Annotated, Any

import orjson
from fastapi import Depends, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from crm_desktop import __version__
from crm_desktop.server import auth, health
from crm_desktop.server import pull as pull_module
from crm_desktop.server import push as push_module
from crm_desktop.server.db import get_meta, make_engine
from crm_desktop.server.errors import ApiError
from crm_desktop.server.settings import Settings
from crm_desktop.sync import protocol
from crm_desktop.sync.protocol import ErrorCode


class RegisterBody(BaseModel):
    code: str = Field(min_length=4, max_length=64)
    device_name: str = Field(default="", max_length=200)
    app_version: str = Field(default="", max_length=40)
    schema_version: int = protocol.SCHEMA_VERSION
    dry_run: bool = False  # only read the code's branch; the code stays usable


class TokenBody(BaseModel):
    device_id: str
    credential: str
    username: str
    password: str


class OpBody(BaseModel):
    op_id: int = Field(gt=0)
    prev_op_id: int = Field(ge=0)
    tx_id: str = Field(max_length=64)
    tbl: str = Field(max_length=64)
    pk: str = Field(max_length=64)
    kind: str = Field(pattern="^(insert|update|delete|restore|purge|resolve)$")
    changed: dict[str, list[Any]]
    user_id: str = Field(max_length=64)
    hlc: str = Field(default="", max_length=128)
    sha256: str = Field(default="", max_length=64)


class PushBody(BaseModel):
    device_id: str
    server_epoch: str
    schema_version: int
    client_version: str = ""
    batch_id: str = ""
    last_acked_op_id: int = 0
    ops: list[OpBody] = Field(max_length=protocol.MAX_PUSH_OPS)


class PullBody(BaseModel):
    server_epoch: str
    schema_version: int
    cursor: str = protocol.START_CURSOR
    limit: int = Field(default=protocol.DEFAULT_PULL_LIMIT, ge=1, le=protocol.MAX_PULL_LIMIT)
    wait_s: float = Field(default=0, ge=0, le=protocol.MAX_WAIT_S)
    counts: bool = False  # the last page carries the scope's row counts (a desk checking its bootstrap)


def principal(request: Request, authorization: Annotated[str, Header()] = "") -> auth.Principal:
    """The caller from the bearer token (the device row is re-read by every sync call)."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiError(ErrorCode.TOKEN_INVALID)
    return auth.read_token(token, secret=request.app.state.settings.token_secret)


Caller = Annotated[auth.Principal, Depends(principal)]


GZIP_LEVEL = 5  # Starlette's default 9 costs several times the CPU for pages a few per cent smaller


def _plain(value: object) -> object:
    """JSON for a value orjson does not write itself (it writes UUIDs, dates and datetimes as FastAPI would)."""
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


class SyncAnswer(JSONResponse):
    """A push or pull answer serialised in one ``orjson.dumps``.

    Its values are wire values already, so FastAPI's per-value ``jsonable_encoder`` walk (the
    default for a returned dict) is pure cost: it dominated a large pull page. Rows' ``data`` are
    ``orjson.Fragment``s of the JSON PostgreSQL wrote, spliced in without being parsed.
    """

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, default=_plain, option=orjson.OPT_NON_STR_KEYS)


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastAPI:
    engine = engine or make_engine(settings.database_url, pool_size=settings.pool_size)
    app = FastAPI(title="crm-desktop sync service", version=__version__)
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=GZIP_LEVEL)

    @app.middleware("http")
    async def _server_timing(request: Request, call_next: Any) -> Any:
        started = time.perf_counter()
        response = await call_next(request)
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    app.state.engine = engine
    app.state.settings = settings
    pushing = threading.BoundedSemaphore(settings.concurrent_pushes)
    raw_url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)

    @app.exception_handler(ApiError)
    def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        headers = {"Retry-After": "5"} if exc.status == 503 else None
        return JSONResponse(exc.body(), status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        error = ApiError(ErrorCode.INVALID, detail=[{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()])
        return JSONResponse(error.body(), status_code=error.status)

    @app.exception_handler(OperationalError)
    def _database_down(_request: Request, _exc: OperationalError) -> JSONResponse:
        error = ApiError(ErrorCode.BUSY)
        return JSONResponse(error.body(), status_code=error.status, headers={"Retry-After": "5"})

    @app.post("/v1/devices/register")
    def register(body: RegisterBody) -> dict[str, Any]:
        if body.dry_run:  # which branch the code is for, before a desk spends it on a database of another one
            with engine.connect() as conn:
                return auth.peek_code(conn, body.code)
        with engine.begin() as conn:
            device_id, credential, branch_id = auth.register_device(
                conn, settings.hasher, code=body.code, name=body.device_name, client_version=body.app_version,
                schema_version=body.schema_version)
            epoch = get_meta(conn, "server_epoch")
            low = int(get_meta(conn, "min_schema_version") or protocol.MIN_SCHEMA_VERSION)
        return {"device_id": device_id, "credential": credential, "branch_id": branch_id, "server_epoch": epoch,
                "schema_version": protocol.SCHEMA_VERSION, "min_schema_version": low}

    @app.post("/v1/auth/token")
    def token(body: TokenBody) -> dict[str, Any]:
        with engine.begin() as conn:
            who = auth.authenticate(conn, settings.hasher, device_id=body.device_id, credential=body.credential,
                                    username=body.username, password=body.password)
            epoch = get_meta(conn, "server_epoch")
        access, ttl = auth.issue_token(who, secret=settings.token_secret, ttl_s=settings.token_ttl_s)
        return {"access_token": access, "token_type": "bearer", "expires_in": ttl, "device_id": who.device_id,
                "branch_id": who.branch_id, "user_id": who.user_id, "roles": list(who.roles), "server_epoch": epoch}

    @app.post("/v1/sync/push")
    def push(body: PushBody, caller: Caller) -> Any:
        data = body.model_dump()
        with pushing:  # a few pushes at a time per process: the rest wait here, not on locks, CPU and the GIL
            started = time.perf_counter()
            try:
                with engine.begin() as conn:
                    outcome = push_module.push(conn, caller, data)
            except push_module.NeedsCareful:
                with engine.begin() as conn:
                    outcome = push_module.push(conn, caller, data, careful=True)
        if outcome.gap_expected is not None:
            raise ApiError(ErrorCode.GAP, expected=outcome.gap_expected,
                           acked_through=outcome.response["acked_through"])
        answer = SyncAnswer(outcome.response)
        answer.headers["X-Push-Ms"] = f"{(time.perf_counter() - started) * 1000:.1f}"  # the transaction, no queueing
        return answer

    @app.post("/v1/sync/pull")
    def pull(body: PullBody, caller: Caller) -> Any:
        page = pull_module.pull(engine, caller, body.model_dump())
        if not page["changes"] and body.wait_s > 0:
            if pull_module.wait_for_change(raw_url, (caller.branch_id, "*"), body.wait_s):
                page = pull_module.pull(engine, caller, body.model_dump())
        return SyncAnswer(page)

    @app.get("/v1/sync/health")
    def sync_health(caller: Caller) -> dict[str, Any]:
        return health.device_health(engine, caller)

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return health.liveness(engine)

    return app
