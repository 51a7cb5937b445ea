"""The command line's conventions (issue 11 item 6): options declared once and spelled alike on every
command, -v/-q with logging, one exit path, one progress line."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from netgraph.cli import main
from netgraph.cli.options import DEPRECATED_ALIASES, SECONDS, timeout_option, verbosity_options
from netgraph.cli.verbosity import Verbosity
from netgraph.progress import Progress

CLI_DIR = Path(__file__).resolve().parents[1] / "netgraph" / "cli"


def _walk(cmd: click.Command, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    """Every command under ``cmd`` (groups included), with its path of names."""
    out = [(path, cmd)]
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd)
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            assert sub is not None, name
            out.extend(_walk(sub, (*path, name)))
    return out


COMMANDS = [(" ".join(p), c) for p, c in _walk(main) if p and not isinstance(c, click.Group)]
GROUPS = [(" ".join(p) or "netgraph", c) for p, c in _walk(main) if isinstance(c, click.Group)]


def _options(cmd: click.Command) -> dict[str, click.Option]:
    """Long option name -> option, hidden ones included (not --help)."""
    out: dict[str, click.Option] = {}
    for p in cmd.params:
        if isinstance(p, click.Option):
            for name in p.opts + p.secondary_opts:
                if name.startswith("--"):
                    out[name] = p
    return out


#: Commands whose -o output has one format only (so they need no -f).
SINGLE_FORMAT = {"records to-rdf": "N-Triples", "records rules": "Markdown"}

#: The conventional options: long name -> (all its spellings, parameter name, type class).
CONVENTIONS = {
    "--root": ({"--root"}, "root", click.Path),
    "--verbose": ({"-v", "--verbose"}, "verbose", click.types.IntParamType),
    "--quiet": ({"-q", "--quiet"}, "quiet", click.types.BoolParamType),
    "--format": ({"-f", "--format"}, "fmt", click.Choice),
    "--output": ({"-o", "--output"}, "output", click.Path),
    "--timeout": ({"--timeout"}, "timeout", click.FloatRange),
    "--retries": ({"--retries"}, "retries", click.IntRange),
    "--endpoint": ({"--endpoint"}, "endpoint", click.types.StringParamType),
    "--progress": ({"--progress", "--no-progress"}, "progress", click.types.BoolParamType),
    "--graph-store": ({"--graph-store"}, "graph_store", click.types.StringParamType),
    "--update-endpoint": ({"--update-endpoint"}, "update_endpoint", click.types.StringParamType),
    "--method": ({"--method"}, "method", click.Choice),
    "--chunk-size": ({"--chunk-size"}, "chunk_size", click.IntRange),
    "--user": ({"--user"}, "user", click.types.StringParamType),
    "--password": ({"--password"}, "password", click.types.StringParamType),
    "--token": ({"--token"}, "token", click.types.StringParamType),
    "--auth": ({"--auth"}, "auth_scheme", click.Choice),
}


def test_the_tree_is_walked():
    names = {name for name, _ in COMMANDS}
    assert {"build", "query", "load", "serve", "records check", "records load", "link", "grade"} <= names
    assert len(COMMANDS) == len(names) >= 19


@pytest.mark.parametrize("name, cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_takes_root_and_verbosity(name, cmd):
    opts = _options(cmd)
    for option in ("--root", "--verbose", "--quiet"):
        assert option in opts, f"`netgraph {name}` has no {option}"


@pytest.mark.parametrize("name, cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_conventional_options_are_spelled_and_typed_alike(name, cmd):
    for long, option in _options(cmd).items():
        if long not in CONVENTIONS:
            continue
        spellings, dest, kind = CONVENTIONS[long]
        assert set(option.opts + option.secondary_opts) == spellings, f"{name}: {long} is {option.opts}"
        assert option.name == dest, f"{name}: {long} is passed as {option.name!r}, not {dest!r}"
        assert isinstance(option.type, kind), f"{name}: {long} has type {option.type!r}"


def test_a_short_flag_means_one_option_everywhere():
    seen: dict[str, tuple[str, str]] = {}
    for name, cmd in COMMANDS + GROUPS:
        for p in cmd.params:
            if not isinstance(p, click.Option):
                continue
            shorts = [o for o in p.opts if not o.startswith("--")]
            longs = [o for o in p.opts if o.startswith("--")]
            for short in shorts:
                first = seen.setdefault(short, (longs[0], name))
                assert first[0] == longs[0], f"{short} is {first[0]} on `{first[1]}` but {longs[0]} on `{name}`"
    for name, cmd in COMMANDS:  # and a long option that has a short flag has it everywhere
        for long, option in _options(cmd).items():
            for short, (other, where) in seen.items():
                if other == long:
                    assert short in option.opts, f"`{name}` spells {long} without {short} (as `{where}` has it)"


@pytest.mark.parametrize("name, cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_output_and_format_go_together(name, cmd):
    opts = _options(cmd)
    if "--format" in opts:
        assert "--output" in opts, f"`{name}` writes formats but has no -o/--output"
    if "--output" in opts and "--format" not in opts:
        assert name in SINGLE_FORMAT, f"`{name}` has -o but no -f"


@pytest.mark.parametrize("name, cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_time_limits_are_one_option_and_old_spellings_are_hidden(name, cmd):
    for long, option in _options(cmd).items():
        if long in DEPRECATED_ALIASES:
            assert option.hidden, f"`{name}` shows the deprecated {long}"
            assert DEPRECATED_ALIASES[long] in _options(cmd), f"`{name}` has {long} but not its new spelling"
        elif "timeout" in long:
            assert long == "--timeout", f"`{name}` spells a time limit {long}"
            assert option.type.min == SECONDS.min and option.type.min_open, f"`{name}`: --timeout must be > 0 s"
    assert "--timeout-s" not in cmd.get_help(click.Context(cmd))


def test_one_exit_path():
    """Commands return their exit code; only the group's invoke turns it (and errors) into an exit."""
    for path in sorted(CLI_DIR.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        if path.name == "__init__.py":
            assert text.count("ctx.exit(") == 1, "one ctx.exit in LazyGroup.invoke"
            continue
        for pattern in (r"\bsys\.exit\(", r"\bSystemExit\b", r"\bctx\.exit\(", r"\bos\._exit\("):
            assert not re.search(pattern, text), f"{path.name} exits by itself ({pattern})"


def test_the_timeout_alias_still_works_and_warns():
    seen = []

    @click.command()
    @timeout_option(30.0, "Seconds.")
    @verbosity_options
    def cmd(timeout: float) -> None:
        seen.append(timeout)

    runner = CliRunner()
    assert runner.invoke(cmd, ["--timeout", "5"]).exit_code == 0 and seen == [5.0]
    old = runner.invoke(cmd, ["--timeout-s", "7"])
    assert old.exit_code == 0 and seen[-1] == 7.0
    assert "warning: --timeout-s is deprecated; use --timeout" in old.stderr
    quiet = runner.invoke(cmd, ["--timeout-s", "7", "-q"])
    assert quiet.exit_code == 0 and seen[-1] == 7.0 and quiet.stderr == ""
    both = runner.invoke(cmd, ["--timeout", "5", "--timeout-s", "7"])
    assert both.exit_code == 2 and "give one of them" in both.stderr
    assert runner.invoke(cmd, ["--timeout", "0"]).exit_code == 2  # a time limit is positive


def test_verbosity_levels():
    assert Verbosity().level == logging.WARNING
    assert Verbosity(quiet=True).level == logging.ERROR
    assert Verbosity(verbose=1).level == logging.INFO
    assert Verbosity(verbose=2).level == logging.DEBUG
    assert Verbosity(verbose=2, quiet=True).level == logging.ERROR


def test_v_shows_the_library_s_info_lines_and_q_the_warnings_off(root):
    runner = CliRunner()
    args = ["query", "sources", "-f", "csv", "--root", str(root)]
    plain = runner.invoke(main, args)
    assert plain.exit_code == 0, plain.output
    assert "info:" not in plain.stderr and plain.stdout.count("\n") > 5
    for verbose in (["-v", *args], [*args, "-v"]):
        loud = runner.invoke(main, verbose)
        assert loud.exit_code == 0, loud.output
        assert re.search(r"^info: .*(prebuilt|query store)", loud.stderr, re.M), loud.stderr  # netgraph.storecache
        assert loud.stdout == plain.stdout
    # a warning shows by default and not with -q; stdout is the same either way
    warned = runner.invoke(main, [*args, "--timeout-s", "9"])
    assert warned.exit_code == 0 and "warning: --timeout-s is deprecated" in warned.stderr
    hushed = runner.invoke(main, ["-q", *args, "--timeout-s", "9"])
    assert hushed.exit_code == 0 and hushed.stderr == "" and hushed.stdout == plain.stdout
    # the run leaves the logger as it found it
    logger = logging.getLogger("netgraph")
    assert logger.level == logging.NOTSET and not [h for h in logger.handlers if type(h).__name__ == "_EchoHandler"]


def test_o_writes_the_result_that_stdout_would_show(root, tmp_path):
    runner = CliRunner()
    shown = runner.invoke(main, ["resolve", "ORPHA:97253", "-f", "json", "--root", str(root)])
    out = tmp_path / "r.json"
    written = runner.invoke(main, ["resolve", "ORPHA:97253", "-f", "json", "-o", str(out), "--root", str(root)])
    assert shown.exit_code == written.exit_code == 0, written.output
    assert written.stdout == "" and out.read_text(encoding="utf-8") == shown.stdout
    table = tmp_path / "q.tsv"
    q = runner.invoke(main, ["query", "sources", "-o", str(table), "--root", str(root)])
    assert q.exit_code == 0 and q.stdout == ""
    tsv = runner.invoke(main, ["query", "sources", "-f", "tsv", "--root", str(root)])  # into a file: tsv, no table
    assert table.read_text(encoding="utf-8") == tsv.stdout and tsv.stdout.count("\n") > 5


def test_findings_exit_1_bad_input_exit_2_without_a_traceback(root):
    runner = CliRunner()
    unknown = runner.invoke(main, ["resolve", "ORPHA:1", "--root", str(root)])
    assert unknown.exit_code == 1 and "unknown" in unknown.stdout
    bad = runner.invoke(main, ["query", "no-such-query", "--root", str(root)])
    assert bad.exit_code == 2 and bad.stderr.startswith("error: ") and "Traceback" not in bad.output
    grade = runner.invoke(main, ["grade", "--ki67", "lots", "--root", str(root)])
    assert grade.exit_code == 2 and "error:" in grade.stderr and "Traceback" not in grade.output


def test_progress_is_one_line_shown_when_asked_and_silenced_by_q(tmp_path):
    src = tmp_path / "codes.csv"
    src.write_text("id,code\n" + "".join(f"{i},ORPHA:97253\n" for i in range(9000)), encoding="utf-8")
    runner = CliRunner()
    # stderr is not a terminal here: no progress unless asked
    plain = runner.invoke(main, ["link", str(src), "-c", "code", "-o", str(tmp_path / "a.csv")])
    assert plain.exit_code == 0, plain.output
    assert "\r" not in plain.stderr and plain.stderr.startswith("link: ")
    asked = runner.invoke(main, ["link", str(src), "-c", "code", "-o", str(tmp_path / "b.csv"), "--progress"])
    assert asked.exit_code == 0 and "\rlink: " in asked.stderr and " rows" in asked.stderr
    assert asked.stderr.split("\r\x1b[K")[-1].startswith("link: ")  # the line was cleared before the summary
    hushed = runner.invoke(main, ["-q", "link", str(src), "-c", "code", "-o", str(tmp_path / "c.csv"), "--progress"])
    assert hushed.exit_code == 0 and hushed.stderr == ""
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes() == (tmp_path / "c.csv").read_bytes()


def test_the_progress_line():
    off = io.StringIO()
    with Progress(off, enabled=False, label="x") as p:
        p.update(5, 1)
        p.step("reading")
    assert off.getvalue() == ""
    on = io.StringIO()
    with Progress(on, enabled=True, total=10, label="load", unit="triples") as p:
        p.update(5, 5)
        p.step("verifying")
        assert Progress.drawn is p
    text = on.getvalue()
    assert text.startswith("\rload: 5 triples (50%) ") and "\rload: verifying …" in text
    assert text.endswith("\r\x1b[K") and Progress.drawn is None
