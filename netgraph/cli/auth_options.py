"""HTTP authentication options, declared once for every command that talks to a store or endpoint.

`netgraph load` and the query commands (`query`, `sparql`, `coverage` with
``--endpoint``) take the same ``--user``/``--password``/``--token``/``--auth``;
the password and token can come from ``NETGRAPH_STORE_PASSWORD`` and
``NETGRAPH_STORE_TOKEN`` so they need not appear in ``ps``, and a password is
prompted for when ``--user`` is given on a terminal without one.
"""

from __future__ import annotations

import sys
from typing import Callable

import click

from ..stores.http import Auth

__all__ = ["auth_options", "make_auth", "auth_from_context", "PASSWORD_ENV", "TOKEN_ENV"]

PASSWORD_ENV = "NETGRAPH_STORE_PASSWORD"
TOKEN_ENV = "NETGRAPH_STORE_TOKEN"
_META = "netgraph.auth"


def _remember(ctx: click.Context, param: click.Parameter, value):
    ctx.meta.setdefault(_META, {})[param.name] = value
    return value


def auth_options(expose: bool = True) -> Callable[[Callable], Callable]:
    """--user, --password, --token, --auth; with ``expose=False`` they are kept for :func:`auth_from_context`."""
    extra = {} if expose else {"expose_value": False, "callback": _remember}

    def decorate(fn: Callable) -> Callable:
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
    """An :class:`Auth` from the option values, prompting for a missing password on a terminal."""
    if user and password is None and sys.stdin.isatty():
        password = click.prompt(f"password for {user}", hide_input=True, default="", show_default=False)
    return Auth(user=user, password=password, token=token, scheme=auth_scheme)


def auth_from_context() -> Auth | None:
    """The :class:`Auth` from options declared with ``expose=False`` (``None`` when none were given)."""
    ctx = click.get_current_context(silent=True)
    values = ctx.meta.get(_META) if ctx is not None else None
    if not values or not (values.get("user") or values.get("token") or values.get("password")):
        return None
    return make_auth(values.get("user"), values.get("password"), values.get("token"),
                     values.get("auth_scheme") or "basic")
