"""HTTP authentication options, declared once for every command that talks to a store or endpoint.

`netgraph load` and the query commands (`query`, `sparql`, `coverage` with
``--endpoint``) take the same ``--user``/``--password``/``--token``/``--auth``;
the password and token can come from ``NETGRAPH_STORE_PASSWORD`` and
``NETGRAPH_STORE_TOKEN`` so they need not appear in ``ps``, and a password is
prompted for when ``--user`` is given on a terminal without one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:  # netgraph.stores (and http.client) load only when a store is contacted: `netgraph query` starts faster
    from ..stores.http import Auth

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["auth_options", "make_auth", "auth_from_context", "PASSWORD_ENV", "TOKEN_ENV"]

PASSWORD_ENV = "NETGRAPH_STORE_PASSWORD"
TOKEN_ENV = "NETGRAPH_STORE_TOKEN"
_META = "netgraph.auth"


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    from_env = ctx.get_parameter_source(param.name) == click.core.ParameterSource.ENVIRONMENT
    # a password or token exported for another command does not turn authentication on by itself
    ctx.meta.setdefault(_META, {})[param.name] = (value, from_env)
    return value


def auth_options(expose: bool = True) -> Callable[[F], F]:
    """--user, --password, --token, --auth; with ``expose=False`` they are kept for :func:`auth_from_context`."""
    extra: dict[str, Any] = {} if expose else {"expose_value": False, "callback": _remember}

    def decorate(fn: F) -> F:
        fn = click.option("--auth", "auth_scheme", type=click.Choice(["basic", "digest"]), default="basic",
                          show_default=True, help="HTTP authentication scheme for --user.", **extra)(fn)
        fn = click.option("--token", default=None, envvar=TOKEN_ENV,
                          help=f"Bearer token (or set {TOKEN_ENV}).", **extra)(fn)
        fn = click.option("--password", default=None, envvar=PASSWORD_ENV,
                          help=f"Password (or set {PASSWORD_ENV}; prompted for when --user is given on a "
                               f"terminal).", **extra)(fn)
        fn = click.option("--user", default=None, help="User name for HTTP authentication.", **extra)(fn)
        return fn

    return decorate


def make_auth(user: str | None, password: str | None, token: str | None, auth_scheme: str) -> Auth:
    """An :class:`Auth` from the option values, prompting for a missing password on a terminal.

    A password from ``NETGRAPH_STORE_PASSWORD`` without ``--user`` is ignored (it was exported for
    another command); one given with ``--password`` and no user is an error.
    """
    ctx = click.get_current_context(silent=True)
    if not user and ctx is not None and "password" in ctx.params and \
            ctx.get_parameter_source("password") == click.core.ParameterSource.ENVIRONMENT:
        password = None
    if user and password is None and sys.stdin.isatty():
        password = click.prompt(f"password for {user}", hide_input=True, default="", show_default=False)
    from ..stores.http import Auth

    return Auth(user=user, password=password, token=token, scheme=auth_scheme)


def auth_from_context() -> Auth | None:
    """The :class:`Auth` from options declared with ``expose=False`` (``None`` when none were given)."""
    ctx = click.get_current_context(silent=True)
    given = ctx.meta.get(_META) if ctx is not None else None
    if not given:
        return None
    values = {k: v for k, (v, _) in given.items()}
    explicit = {k for k, (v, from_env) in given.items() if v is not None and not from_env}
    if not (values.get("user") or "token" in explicit or "password" in explicit):
        return None
    if not values.get("user") and "password" not in explicit:
        values["password"] = None  # NETGRAPH_STORE_PASSWORD without --user: not for this command
    return make_auth(values.get("user"), values.get("password"), values.get("token"),
                     values.get("auth_scheme") or "basic")
