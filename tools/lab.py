"""Start JupyterLab on the book, from the book's environment, leaving your home alone.

``make lab`` runs this script, and so does the JupyterLab browser test
(``tests/browser/test_lab.py``), so both start the server in exactly the same way:

- on 127.0.0.1 only, on the port given (``make lab PORT=...``, 8888 by default), with a
  token, opening on ``chapters/``; it prints the URL with its token, as Jupyter does;
- with the configuration shipped in ``tools/jupyter/``: no news feed, no update check, no
  "get notified about official Jupyter news?" pop-up, no extension search on PyPI;
- with every file that Jupyter, IPython, Keras, Matplotlib and Jedi would otherwise write
  under your home kept inside the environment: settings, workspaces and runtime files in a
  state folder (``.venv/lab/`` by default), caches in ``.venv/lab/cache/``. Your own Jupyter
  folders are not read at all: the ``python3`` kernel that every notebook names is this
  environment's ipykernel, whatever kernels your home holds;
- ``--allow-root`` only when running as root.

One Ctrl-C stops the server and its kernels, without the usual confirmation prompt.

Usage: ``python tools/lab.py [--port N] [--state DIR] [--dry-run]``
"""

from __future__ import annotations

import argparse
import os
import shlex
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "tools" / "jupyter"
DEFAULT_STATE = Path(sys.prefix) / "lab"  # .venv/lab when run by .venv/bin/python
CACHE = DEFAULT_STATE / "cache"  # shared by every state folder: built once
DEFAULT_PORT = 8888
START_IN = "chapters"  # the folder the file browser shows first

# Variables that would point Jupyter at another environment's files: dropped, so that only
# this environment and the folders set below are searched.
FOREIGN = ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTERLAB_DIR", "JUPYTER_PREFER_ENV_PATH",
           "JUPYTER_PLATFORM_DIRS", "PYTHONSTARTUP")


def lab_environment(state: Path, base: dict[str, str] | None = None,
                    cache: Path = CACHE) -> dict[str, str]:
    """The environment JupyterLab and its kernels run in.

    ``state`` receives what they write: Jupyter's data and runtime files (connection files,
    the notebook trust database), JupyterLab's settings and workspaces, IPython's profile and
    Keras's ``keras.json``. ``cache`` receives the Matplotlib font cache and Jedi's cache.
    """
    env = {k: v for k, v in (os.environ if base is None else base).items()
           if k not in FOREIGN}
    state = Path(state).resolve()
    env.update({
        "JUPYTER_CONFIG_DIR": str(CONFIG),
        "JUPYTER_DATA_DIR": str(state / "data"),
        "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
        "IPYTHONDIR": str(state / "ipython"),
        "KERAS_HOME": str(state / "keras"),
        "MPLCONFIGDIR": str(Path(cache).resolve() / "matplotlib"),
        "XDG_CACHE_HOME": str(Path(cache).resolve()),
        # The environment's own tools first, for `!python`, `!pip` and the like in a cell.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        # The same quiet, repeatable TensorFlow as `make test` (the notebooks set the first
        # two themselves too).
        "TF_ENABLE_ONEDNN_OPTS": "0",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "PYTHONHASHSEED": "0",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    })
    return env


def lab_command(port: int, *, as_root: bool | None = None) -> list[str]:
    """The JupyterLab command line: this interpreter's JupyterLab, bound to 127.0.0.1."""
    if as_root is None:
        as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",  # the port asked for, or a clear failure
        f"--ServerApp.root_dir={ROOT}",
        f"--FileContentsManager.preferred_dir={START_IN}",
        "--ServerApp.open_browser=False",  # the URL is printed: open it where you like
        "--ServerApp.answer_yes=True",  # one Ctrl-C stops the server and its kernels
    ]
    if as_root:
        cmd.append("--ServerApp.allow_root=True")
    return cmd


def port_number(text: str) -> int:
    """argparse type for --port: an integer from 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"PORT must be a number, got {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"PORT must be from 1 to 65535, got {port}")
    return port


def check_port_free(port: int) -> None:
    """Fail early, naming PORT, when another program already listens on the port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the server binds (SO_REUSEADDR): connections of a server just stopped, still in
        # TIME_WAIT, do not count; another program listening there does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            sys.exit(f"lab: port {port} on 127.0.0.1 is in use; "
                     f"choose another one, e.g. make lab PORT={port + 1}")


def warm_font_cache(env: dict[str, str]) -> None:
    """Build Matplotlib's font cache before any kernel needs it: a kernel that builds it
    prints "Matplotlib is building the font cache" into the first plotting cell."""
    if not list(Path(env["MPLCONFIGDIR"]).glob("fontlist-*.json")):
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env,
                       check=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                        help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE,
                        help="folder for settings, workspaces and runtime files "
                             "(default: lab/ in the environment, .venv/lab)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the environment and the command, start nothing")
    args = parser.parse_args(argv)
    if sys.prefix == sys.base_prefix:
        parser.error("run it with the book's environment: make lab, or .venv/bin/python "
                     "tools/lab.py")

    env = lab_environment(args.state)
    cmd = lab_command(args.port)
    if args.dry_run:
        for key in sorted(k for k, v in env.items() if os.environ.get(k) != v):
            print(f"{key}={env[key]}")
        for key in sorted(set(os.environ) - set(env)):
            print(f"unset {key}")
        print(shlex.join(cmd))
        return
    check_port_free(args.port)
    warm_font_cache(env)
    # Replace this process with the server: Ctrl-C and `kill` reach JupyterLab directly.
    os.execve(cmd[0], cmd, env)


if __name__ == "__main__":
    main()
