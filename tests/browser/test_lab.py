"""Run an exercise notebook in JupyterLab the way a learner does, in a real browser.

Starts JupyterLab with ``tools/lab.py``, the script behind ``make lab``, on a free port, with
a throwaway state folder and a decoy home that holds another ``python3`` kernel. Then, in
headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright):

1. opens ``chapters/10_exercises_outputs.ipynb`` and scrolls through all of it before running
   anything: MyST is rendered (no raw ``{doc}``, ``{exercise}``, ``:label:``...) and every
   solution cell is folded, with no line of solution code on screen;
2. runs all cells (menu Run, Run All Cells) and waits for the kernel to be idle;
3. types the right answer into Exercise 1's starter cell, runs it with Shift+Enter and reads
   the cell's output: one line starting "Correct", and nothing else echoed;
4. checks that nothing talked to another host than 127.0.0.1, that no console error, dialog
   or notification (such as the Jupyter news question) appeared, that the kernel was this
   environment's Python and not the decoy, and that nothing was written to the home folder;
5. stops the server with SIGINT, as Ctrl-C does, and checks that it and its kernel are gone.
   The fixture kills whatever is left, whether the test passed or not.

Screenshots: ``_build/screenshots/lab_opened.png`` (the notebook as it opens),
``lab_solution_folded.png`` (Exercise 1 and its folded solution, before running) and
``lab_exercise1_correct.png`` (the verdict on the typed answer).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

# One JupyterLab server for the whole module: under `--dist loadgroup` its tests stay on one
# pytest-xdist worker while the other worker reads the HTML book.
pytestmark = pytest.mark.xdist_group("jupyterlab")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "chapters/10_exercises_outputs.ipynb"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}
TALL = {"width": 1280, "height": 2400}  # for the scroll-through: fewer screens, same check
RAW_MYST = ["{doc}", "{cite}", "{exercise}", "{solution-start}", "{solution-end}",
            ":label:", ":class: dropdown"]
# What a learner types on Exercise 1's `... = None  # your code here` line, by the name that
# line assigns (the notebook decides which applies), and the text that would give it away.
EXERCISE_1_ANSWERS = {
    "last_step_of": ("lambda seq: seq[:, -1, :]", "seq[:, -1, :]"),
    "last_step": ("seq_out[:, -1, :]", "seq_out[:, -1, :]"),
}
STARTER = re.compile(r"^(\w+) = None(\s+# your code here.*)$", re.M)

# The cells currently in view: index, text as displayed, whether the input is folded to a
# placeholder, and whether it shows an editor (raw source, for a markdown cell).
VISIBLE_CELLS_JS = """() => {
  const outer = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
  const view = outer.getBoundingClientRect();
  const cells = [];
  for (const cell of outer.querySelectorAll('.jp-Cell')) {
    const box = cell.getBoundingClientRect();
    if (box.bottom <= view.top || box.top >= view.bottom || box.height === 0) continue;
    const editor = cell.querySelector('.jp-InputArea-editor');
    const editorShown = editor !== null && editor.offsetParent !== null;
    cells.push({
      index: Number(cell.dataset.windowedListIndex),
      markdown: cell.classList.contains('jp-MarkdownCell'),
      folded: cell.querySelector('.jp-InputPlaceholder') !== null,
      editor: editorShown,
      text: cell.innerText,
    });
  }
  return {cells, top: outer.scrollTop, height: outer.clientHeight, total: outer.scrollHeight};
}"""
# A markdown cell shows its raw source in an editor for a moment after it enters the view,
# until the renderer replaces it. A learner sees the settled page: wait for it.
SETTLED_JS = """() => {
  const outer = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
  const view = outer.getBoundingClientRect();
  for (const cell of outer.querySelectorAll('.jp-MarkdownCell')) {
    const box = cell.getBoundingClientRect();
    if (box.bottom <= view.top || box.top >= view.bottom) continue;
    const editor = cell.querySelector('.jp-InputArea-editor');
    if (editor !== null && editor.offsetParent !== null) return false;
  }
  return true;
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def notebook_cells() -> list[dict]:
    cells = json.loads((ROOT / NOTEBOOK).read_text())["cells"]
    for cell in cells:
        if isinstance(cell["source"], list):
            cell["source"] = "".join(cell["source"])
    return cells


def solution_indices(cells: list[dict]) -> list[int]:
    """Indices of the cells between each {solution-start} and its {solution-end}."""
    inside, found = False, []
    for i, cell in enumerate(cells):
        if "{solution-start}" in cell["source"]:
            inside = True
        elif "{solution-end}" in cell["source"]:
            inside = False
        elif inside:
            found.append(i)
    return found


def exercise_1_starter(cells: list[dict]) -> tuple[int, str, str]:
    """The first starter cell: its index, its source with the answer typed, and the text
    of the answer that must not be on screen before the learner types it."""
    for i, cell in enumerate(cells):
        match = STARTER.search(cell["source"]) if cell["cell_type"] == "code" else None
        if match:
            name = match.group(1)
            assert name in EXERCISE_1_ANSWERS, (
                f"Exercise 1 now asks for {name!r}: add its answer to EXERCISE_1_ANSWERS")
            answer, giveaway = EXERCISE_1_ANSWERS[name]
            typed = STARTER.sub(rf"\1 = {answer}", cell["source"], count=1)
            return i, typed, giveaway
    raise AssertionError(f"no `... = None  # your code here` starter cell in {NOTEBOOK}")


class Lab:
    """A JupyterLab server started by tools/lab.py, and everything needed to stop it."""

    def __init__(self, tmp: Path):
        self.home = tmp / "home"
        decoy = self.home / ".local" / "share" / "jupyter" / "kernels" / "python3"
        decoy.mkdir(parents=True)
        (decoy / "kernel.json").write_text(json.dumps({
            "argv": ["/bin/false", "{connection_file}"], "display_name": "decoy python3",
            "language": "python"}))
        self.home_before = sorted(p.relative_to(self.home) for p in self.home.rglob("*"))
        self.state = tmp / "state"
        # The test types into a committed notebook: JupyterLab must never save it.
        docmanager = self.state / "settings" / "@jupyterlab" / "docmanager-extension"
        docmanager.mkdir(parents=True)
        (docmanager / "plugin.jupyterlab-settings").write_text('{"autosave": false}')
        self.port = free_port()
        self.log: list[str] = []
        self.url_found = threading.Event()
        self.url = ""
        self.url_seconds = float("nan")
        env = dict(os.environ, HOME=str(self.home))
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "tools" / "lab.py"), "--port", str(self.port),
             "--state", str(self.state)],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True)
        threading.Thread(target=self._read_log, daemon=True).start()

    def _read_log(self):
        for line in self.proc.stdout:
            self.log.append(line.rstrip())
            match = re.search(rf"http://127\.0\.0\.1:{self.port}/lab\?token=\w+", line)
            if match and not self.url:
                self.url = match.group(0)
                self.url_seconds = time.monotonic() - self.started
                self.url_found.set()

    @property
    def token(self) -> str:
        return self.url.split("token=")[1]

    def wait_until_serving(self, seconds: float = 30):
        """The URL is printed just before the server starts listening: wait for it."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                return self.api("api/status")
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise
                time.sleep(0.1)

    def api(self, path: str):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/{path}",
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def processes(self) -> list[psutil.Process]:
        try:
            return [psutil.Process(self.proc.pid)] + psutil.Process(self.proc.pid).children(
                recursive=True)
        except psutil.NoSuchProcess:
            return []

    def interrupt(self, timeout: float = 30) -> list[psutil.Process]:
        """Ctrl-C: SIGINT to the server's process group; what is still alive afterwards."""
        family = self.processes()
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        _, alive = psutil.wait_procs(family, timeout=5)
        return alive

    def kill(self):
        family = self.processes()
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        for proc in family:
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        self.proc.wait(10)


@pytest.fixture
def lab(tmp_path):
    server = Lab(tmp_path)
    try:
        if not server.url_found.wait(60):
            pytest.fail("JupyterLab printed no http://127.0.0.1:PORT/lab?token=... URL within "
                        "60 s:\n" + "\n".join(server.log[-30:]))
        server.wait_until_serving()
        yield server
    finally:
        server.kill()  # a no-op when the test already stopped it cleanly


@pytest.fixture
def page():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=VIEWPORT)
            yield context.new_page()
        finally:
            browser.close()


class Watch:
    """Everything the page does that a learner should never meet."""

    def __init__(self, page, port: int):
        self.local = (f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/", "data:", "blob:")
        self.off_host: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda r: self._check_url(r.url))
        page.on("websocket", lambda ws: self._check_url(ws.url))
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("dialog", self._on_dialog)
        page.context.on("page", lambda p: self.dialogs.append(f"pop-up window: {p.url}"))

    def _check_url(self, url: str):
        if not url.startswith(self.local):
            self.off_host.append(url)

    def _on_console(self, msg):
        if msg.type == "error":
            self.errors.append(f"console error: {msg.text}")

    def _on_dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def check_screen(self, page, moment: str):
        """No JupyterLab dialog and no notification toast on screen."""
        for selector in (".jp-Dialog", ".Toastify__toast"):
            for element in page.query_selector_all(selector):
                if element.is_visible():
                    self.dialogs.append(f"{moment}: {selector}: {element.inner_text()[:200]}")


class Clock:
    """Seconds spent in each phase, printed with the test's output (pytest -s)."""

    def __init__(self, url_seconds: float):
        self.last = time.monotonic()
        print(f"lab: URL printed after {url_seconds:.1f} s")

    def lap(self, phase: str):
        now = time.monotonic()
        print(f"lab: {phase}: {now - self.last:.1f} s")
        self.last = now


def scroll_to(page, top: float):
    page.evaluate("top => { document.querySelector("
                  "'.jp-NotebookPanel .jp-WindowedPanel-outer').scrollTop = top; }", top)


def read_whole_notebook(page) -> tuple[dict[int, dict], int]:
    """Scroll from top to bottom with the mouse wheel, one screen at a time, and return each
    cell as it looked, settled, while in view, and the number of screens."""
    seen: dict[int, dict] = {}
    box = page.locator(".jp-NotebookPanel .jp-WindowedPanel-outer").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    scroll_to(page, 0)
    at_bottom = 0
    for screen in range(1, 400):
        page.wait_for_function(SETTLED_JS, timeout=15_000)
        view = page.evaluate(VISIBLE_CELLS_JS)
        for cell in view["cells"]:
            seen.setdefault(cell["index"], cell)
            if cell["editor"]:  # an editor seen once is raw text on screen: keep that
                seen[cell["index"]] = cell
        if view["top"] + view["height"] >= view["total"] - 2:
            at_bottom += 1
            if at_bottom == 3:  # the windowed list may still grow: be sure it is the end
                return seen, screen
        page.mouse.wheel(0, view["height"] - 60)
        page.wait_for_timeout(150)
    raise AssertionError("the notebook never reached its end while scrolling")


def wait_until_idle(page, seconds: float = 150):
    """Wait for the kernel status "Idle" in the status bar, held for 2 s: between two
    queued cells the kernel shows Idle for an instant."""
    status = page.locator("#jp-main-statusbar")
    deadline = time.monotonic() + seconds
    idle_since = None
    while time.monotonic() < deadline:
        if re.search(r"\|\s*Idle\b", status.inner_text()):
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since >= 2:
                return
        else:
            idle_since = None
        page.wait_for_timeout(200)
    raise AssertionError(f"kernel not idle after {seconds} s: {status.inner_text()!r}")


def wait_for_text(locator, pattern: str, seconds: float):
    """Wait until the element's text content matches the regular expression."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = (locator.text_content() or "").strip()
        if re.fullmatch(pattern, text):
            return
        time.sleep(0.1)
    raise AssertionError(f"after {seconds} s, {text!r} does not match {pattern!r}")


def cell_locator(page, index: int):
    """Bring cell `index` into view (scrolling down from the top) and return its locator."""
    cell = page.locator(f'.jp-NotebookPanel .jp-Cell[data-windowed-list-index="{index}"]')
    scroll_to(page, 0)
    for _ in range(200):
        if cell.count():
            cell.scroll_into_view_if_needed()
            return cell
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(100)
    raise AssertionError(f"cell {index} never appeared")


def test_exercise_notebook_in_jupyterlab(lab, page):
    clock = Clock(lab.url_seconds)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert lab.url_seconds < 60, lab.url_seconds
    watch = Watch(page, lab.port)
    committed = (ROOT / NOTEBOOK).read_bytes()
    cells = notebook_cells()
    solutions = solution_indices(cells)
    assert solutions, f"{NOTEBOOK} has no solution cells"
    starter_index, typed_source, giveaway = exercise_1_starter(cells)

    # The kernel every notebook names is this environment's, not the decoy in the home.
    spec = lab.api("api/kernelspecs")["kernelspecs"]["python3"]["spec"]
    assert spec["display_name"] != "decoy python3", spec

    page.goto(lab.url.replace("/lab?", f"/lab/tree/{NOTEBOOK}?"))
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    config = json.loads(page.inner_text("#jupyter-config-data"))
    assert config["news"] == {"disabled": True}, config.get("news")
    assert "@jupyterlab/apputils-extension:announcements" in config["disabledExtensions"]
    watch.check_screen(page, "opened")
    clock.lap("opened")

    # 1. Before running anything: rendered MyST, folded solutions, no solution code.
    # JupyterLab attaches the cells out of view when the browser is idle: wait for all.
    page.wait_for_function("n => document.querySelectorAll("
                           "'.jp-NotebookPanel .jp-Cell').length >= n", arg=len(cells),
                           timeout=30_000)
    page.set_viewport_size(TALL)  # the same check in fewer screens
    seen, screens = read_whole_notebook(page)
    page.set_viewport_size(VIEWPORT)
    missed = sorted(set(range(len(cells))) - set(seen))
    assert missed == [], f"cells never seen while scrolling: {missed}"
    raw = {i: [s for s in RAW_MYST if s in c["text"]] for i, c in seen.items()}
    assert {i: r for i, r in raw.items() if r} == {}, "raw MyST on screen (cell: text)"
    in_editor = [i for i, c in seen.items() if c["markdown"] and c["editor"]]
    assert in_editor == [], f"markdown cells shown as raw source: {in_editor}"
    unfolded = [i for i in solutions if not seen[i]["folded"]]
    assert unfolded == [], f"solution cells not folded when the notebook opens: {unfolded}"
    others = "\n".join(c["source"] for i, c in enumerate(cells) if i not in solutions)
    solution_lines = {line.strip() for i in solutions if cells[i]["cell_type"] == "code"
                      for line in cells[i]["source"].splitlines()[1:]}
    secret = {s for s in solution_lines if len(s) > 8 and s not in others}
    on_screen = "\n".join(c["text"] for c in seen.values())
    shown = sorted(s for s in secret if s in on_screen)
    assert shown == [], f"solution code visible before running anything: {shown}"
    assert giveaway not in on_screen, f"the answer to Exercise 1 ({giveaway}) is on screen"
    watch.check_screen(page, "scrolled")
    clock.lap(f"scrolled through, {screens} screens")
    scroll_to(page, 0)
    page.wait_for_function(SETTLED_JS, timeout=15_000)
    wait_until_idle(page, 60)  # the kernel the notebook started
    page.screenshot(path=str(SHOTS / "lab_opened.png"))
    cell_locator(page, solutions[0]).scroll_into_view_if_needed()
    page.wait_for_function(SETTLED_JS, timeout=15_000)
    page.screenshot(path=str(SHOTS / "lab_solution_folded.png"))

    # 2. Run All Cells from the menu, as a learner does. The last code cell shows [*] while
    # it waits its turn (the committed [n] before that proves nothing), then a number.
    last_code = max(i for i, c in enumerate(cells)
                    if c["cell_type"] == "code" and i not in solutions)
    prompt = cell_locator(page, last_code).locator(".jp-InputPrompt")
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    wait_for_text(prompt, r"\[\*\]:", 10)
    wait_for_text(prompt, r"\[\d+\]:", 150)
    wait_until_idle(page)
    errors = page.locator(".jp-OutputArea-output[data-mime-type="
                          "'application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.all_inner_texts()
    watch.check_screen(page, "after Run All")
    clock.lap("Run All Cells")

    # 3. The learner's answer to Exercise 1: one verdict, nothing echoed.
    starter = cell_locator(page, starter_index)
    before = starter.locator(".jp-OutputArea").inner_text()
    assert before.startswith("Not yet"), before
    starter.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(typed_source)
    page.keyboard.press("Shift+Enter")
    output = starter.locator(".jp-OutputArea")
    output.filter(has_text=re.compile(r"^Correct")).wait_for(timeout=30_000)
    starter.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "lab_exercise1_correct.png"))
    text = output.inner_text().strip()
    assert re.fullmatch(r"Correct[^\n]*", text), f"more than one verdict line: {text!r}"
    assert starter.locator(".jp-OutputArea-child").count() == 1
    assert starter.locator(".jp-OutputArea-executeResult").count() == 0  # no Out[n], no True
    watch.check_screen(page, "after Exercise 1")
    clock.lap("Exercise 1 answered")

    # 4. Nothing off the machine, no error, no pop-up; the kernel is this environment's.
    assert watch.off_host == [], watch.off_host
    assert watch.errors == [], watch.errors
    assert watch.dialogs == [], watch.dialogs
    assert page.inner_text(".jp-Notification-Status").strip() == "0", "a notification arrived"
    kernels = [p for p in lab.processes() if "ipykernel_launcher" in " ".join(p.cmdline())]
    assert [k.cmdline()[0] for k in kernels] == [sys.executable], kernels

    # 5. Ctrl-C stops the server and its kernel; nothing was written to the home.
    left = lab.interrupt()
    assert lab.proc.returncode is not None, "the server ignored SIGINT"
    assert left == [], f"still running after Ctrl-C: {left}"
    home_after = sorted(p.relative_to(lab.home) for p in lab.home.rglob("*"))
    assert home_after == lab.home_before, "written to the home folder"
    assert (ROOT / NOTEBOOK).read_bytes() == committed, "the notebook was saved"
    clock.lap("stopped")
