"""The Makefile's promises that need no notebook: the Python version gate, and how `make lab`
starts JupyterLab (tools/lab.py). The server itself is driven in a browser by
tests/browser/test_lab.py."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import lab  # noqa: E402  (tools/lab.py)

# A stand-in for `python3` that reports the version it is given. It runs the Makefile's `-c`
# check with sys.version_info replaced, and records any other call (such as `-m venv`), then
# fails, so that no environment is ever created.
FAKE_PYTHON = """#!{real}
import sys
sys.version_info = ({major}, {minor}, 12, "final", 0)
if sys.argv[1:2] == ["-c"]:
    code, sys.argv = sys.argv[2], ["-c"] + sys.argv[3:]
    exec(compile(code, "<string>", "exec"), {{"__name__": "__main__"}})
else:
    with open("{calls}", "a") as log:
        log.write(" ".join(sys.argv[1:]) + "\\n")
    sys.exit(3)
"""


def make_in_copy(tmp_path: Path, version: tuple[int, int], *args: str, via_path: bool):
    """Run `make` in a copy of the project's build files, with a fake python3 of `version`,
    put on PATH or passed as PYTHON=. Returns the completed process and the fake's calls."""
    work = tmp_path / "project"
    work.mkdir()
    for name in ("Makefile", "requirements.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, work / name)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls.txt"
    fake = bin_dir / "python3"
    fake.write_text(FAKE_PYTHON.format(real=sys.executable, major=version[0],
                                       minor=version[1], calls=calls))
    fake.chmod(0o755)
    env = clean_env(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    command = ["make", "--no-print-directory", *args]
    if not via_path:
        command.append(f"PYTHON={fake}")
    done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True,
                          timeout=60)
    return done, work, calls.read_text().splitlines() if calls.exists() else []


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without what an outer `make` or the user passes down
    (MAKEFLAGS carries command-line variables such as PORT=... or PYTHON=...)."""
    drop = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "PORT", "PYTHON")
    return {k: v for k, v in os.environ.items() if k not in drop} | extra


needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@needs_make
@pytest.mark.parametrize("via_path", [True, False], ids=["python3 on PATH", "PYTHON="])
def test_make_stops_with_one_line_before_creating_venv_on_python_3_10(tmp_path, via_path):
    done, work, calls = make_in_copy(tmp_path, (3, 10), "book", via_path=via_path)
    assert done.returncode != 0
    ours = [ln for ln in done.stderr.splitlines() if not ln.startswith("make: ***")]
    assert len(ours) == 1, done.stderr
    assert ours[0].startswith("make: Python 3.11 or newer is needed, but "), ours[0]
    assert " is 3.10; install a newer one and run: make PYTHON=python3.11 book" in ours[0]
    assert not (work / ".venv").exists()
    assert calls == [], "python3 was asked to do more than report its version"
    assert done.stdout.strip() == ""


@needs_make
def test_make_lets_python_3_11_through_to_creating_venv(tmp_path):
    # The control: the same fake at 3.11 passes the gate, and make goes on to `-m venv`
    # (which the fake refuses, so nothing is installed).
    done, work, calls = make_in_copy(tmp_path, (3, 11), "install", via_path=True)
    assert calls == ["-m venv .venv"], (calls, done.stderr)
    assert "3.11 or newer is needed" not in done.stderr


@needs_make
@pytest.mark.parametrize("target, port, expected", [
    ("lab", None, "--port 8888"), ("lab", "9123", "--port 9123"),
    ("serve", None, "http.server 8000"), ("serve", "9124", "http.server 9124"),
])
def test_lab_and_serve_take_port_with_their_own_defaults(target, port, expected):
    args = ["make", "-n", "--no-print-directory", "-W", "requirements.txt", target]
    env = clean_env()
    if port:
        args.append(f"PORT={port}")
    # -W makes the install stamp look stale, so -n also shows the recipe that needs .venv.
    shown = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=30).stdout
    assert expected in shown, shown
    if target == "lab":
        assert ".venv/bin/python tools/lab.py --port" in shown
        assert shown.index("pip install") < shown.index("tools/lab.py"), "install first"


def test_lab_environment_keeps_everything_out_of_home(tmp_path):
    base = {"HOME": "/home/learner", "PATH": "/usr/bin", "JUPYTER_PATH": "/elsewhere",
            "JUPYTER_CONFIG_PATH": "/elsewhere", "JUPYTERLAB_DIR": "/elsewhere",
            "IPYTHONDIR": "/home/learner/.ipython", "JUPYTER_CONFIG_DIR": "/home/x/.jupyter"}
    env = lab.lab_environment(tmp_path / "state", base, cache=tmp_path / "cache")
    state, cache = (tmp_path / "state").resolve(), (tmp_path / "cache").resolve()
    assert env["JUPYTER_CONFIG_DIR"] == str(ROOT / "tools" / "jupyter")
    for key in ("JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR",
                "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR", "KERAS_HOME"):
        assert Path(env[key]).is_relative_to(state), key
    for key in ("MPLCONFIGDIR", "XDG_CACHE_HOME"):
        assert Path(env[key]).is_relative_to(cache), key
    assert lab.CACHE.is_relative_to(Path(sys.prefix)), "caches stay in the environment"
    for key in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTERLAB_DIR"):
        assert key not in env, key
    assert env["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)
    assert env["HOME"] == "/home/learner"  # untouched: nothing is written there anyway


def test_lab_command_binds_loopback_and_allows_root_only_as_root():
    as_user = lab.lab_command(8888, as_root=False)
    as_root = lab.lab_command(8888, as_root=True)
    assert as_user[:3] == [sys.executable, "-m", "jupyterlab"]
    assert "--ServerApp.ip=127.0.0.1" in as_user
    assert "--ServerApp.port=8888" in as_user
    assert f"--ServerApp.root_dir={ROOT}" in as_user
    assert not any("allow_root" in arg for arg in as_user)
    assert as_root == as_user + ["--ServerApp.allow_root=True"]


def test_shipped_jupyter_config_turns_off_news_updates_and_the_announcement_pop_up():
    import json

    config = ROOT / "tools" / "jupyter"
    labapp = json.loads((config / "jupyter_lab_config.json").read_text())["LabApp"]
    assert labapp["news_url"] is None
    assert labapp["check_for_updates_class"].endswith("NeverCheckForUpdate")
    assert labapp["extension_manager"] == "readonly"  # no PyPI search
    page = json.loads((config / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"] == {"@jupyterlab/apputils-extension:announcements": True}
    server = json.loads((config / "jupyter_server_config.json").read_text())
    assert server["LanguageServerManager"]["autodetect"] is False  # it runs `npm` in $HOME


@pytest.mark.parametrize("port, message", [
    ("http", "PORT must be a number, got 'http'"),
    ("0", "PORT must be from 1 to 65535, got 0"),
    ("70000", "PORT must be from 1 to 65535, got 70000"),
])
def test_lab_rejects_a_bad_port_naming_it(port, message):
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "lab.py"), "--port", port,
                           "--dry-run"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert message in done.stderr


def test_lab_refuses_a_port_in_use_naming_it():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, str(ROOT / "tools" / "lab.py"), "--port",
                               str(port)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert done.stderr.strip() == (f"lab: port {port} on 127.0.0.1 is in use; choose another "
                                   f"one, e.g. make lab PORT={port + 1}")


@pytest.mark.parametrize("target", ["lab", "test", "unit", "nbval", "browser", "execute", "bench"])
def test_every_target_that_starts_a_kernel_or_a_server_brings_loopback_up_first(target):
    # Kernels, JupyterLab and the page server listen on 127.0.0.1; in `unshare -n`, loopback
    # starts down, and a target run on its own must not hang on it.
    rules = dict(line.split(":", 1) for line in (ROOT / "Makefile").read_text().splitlines()
                 if line and not line[0].isspace() and ":" in line and "=" not in line)
    assert "loopback" in rules[target].split(), f"{target}:{rules[target]}"
