"""Read the built HTML book the way a person does: in a real browser.

Serves ``_build/html`` on 127.0.0.1, opens every page in headless Chromium (Debian's
``/usr/bin/chromium`` driven by Playwright; no browser is downloaded), and checks what a reader
would notice: pages that fail to load, images that do not decode, console errors, failed
requests, dead internal links, search that finds nothing (a plain word, and an error message),
dropdowns that do not open, equations that do not render, citations that look alike, and code
or output blocks that scroll sideways. A full-page screenshot of every chapter is saved to
``_build/screenshots/`` for review.

Run after ``jupyter-book build``: ``pytest tests/browser``. To read a build made elsewhere
(``jupyter-book build . --path-output DIR``), set ``BOOK_HTML=DIR/_build/html``; screenshots
then go to ``DIR/_build/screenshots``.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("BOOK_HTML") or ROOT / "_build" / "html").resolve()
SHOTS = HTML.parent / "screenshots"
MAX_LINE = 79  # characters a code or printed line may have (tests/test_notebooks_static.py)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]

pytestmark = pytest.mark.skipif(
    not (HTML / "index.html").is_file(), reason="no built book: run `jupyter-book build .` first"
)


def book_pages() -> list[str]:
    """Every HTML page of the book, as paths relative to _build/html."""
    pages = [p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")]
    skip = ("_static/", "_sources/", "_images/")
    return sorted(p for p in pages if not p.startswith(skip))


def chapter_pages() -> list[str]:
    return [p for p in book_pages() if p.startswith("chapters/")]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture(scope="module")
def server():
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageVisit:
    """Open one page and record every console error, page error and failed request."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        self.page.on("requestfailed", self._on_failed)
        self.page.on("response", self._on_response)
        self.response = self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def _on_console(self, msg):
        if msg.type == "error":
            source = (msg.location or {}).get("url", "")
            if source.endswith("favicon.ico"):  # the browser's own guess, like the 404 rule below
                return
            self.problems.append(f"console error: {msg.text} ({source})")

    def _on_failed(self, request):
        if not request.url.endswith("favicon.ico"):
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _on_response(self, response):
        if response.status >= 400 and not response.url.endswith("favicon.ico"):
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, server):
    opened = []

    def _visit(path: str) -> PageVisit:
        v = PageVisit(browser, urljoin(server, path))
        opened.append(v)
        return v

    yield _visit
    for v in opened:
        v.close()


def test_the_book_has_every_chapter():
    pages = chapter_pages()
    toc = (ROOT / "_toc.yml").read_text()
    listed = re.findall(r"file:\s*(\S+)", toc) + re.findall(r"root:\s*(\S+)", toc)
    for entry in listed:
        assert f"{entry}.html" in pages, f"{entry} is in _toc.yml but was not built"


def _per_page(paths: list[str]) -> list:
    """Parameters that keep each page's tests on one pytest-xdist worker (``--dist
    loadgroup``), so the layout measured while a page is open is not measured again."""
    return [pytest.param(p, marks=pytest.mark.xdist_group(f"page:{p}")) for p in paths]


@pytest.mark.parametrize("path", _per_page(book_pages()))
def test_page_loads_cleanly(visit, path):
    v = visit(path)
    assert v.response is not None and v.response.status == 200, f"{path}: HTTP {v.response and v.response.status}"
    refresh = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', (HTML / path).read_text(encoding="utf-8"))
    if refresh:  # index.html only redirects: check the page it lands on once it has loaded
        v.page.wait_for_url(urljoin(v.response.url, refresh.group(1)), timeout=10000)
        v.page.wait_for_load_state("networkidle")
    broken = v.page.evaluate(
        """() => Array.from(document.images)
                .filter(img => !(img.complete && img.naturalWidth > 0))
                .map(img => img.getAttribute('src'))"""
    )
    assert broken == [], f"{path}: images that do not decode: {broken}"
    assert v.problems == [], f"{path}:\n" + "\n".join(v.problems)
    if path.startswith("chapters/"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        v.page.screenshot(path=str(SHOTS / (Path(path).stem + ".png")), full_page=True)
        # The page is open: measure its layout now for test_no_block_scrolls_sideways.
        _LAYOUT_MEASURED[path] = layout_problems(v.page)


def _ids(page: Path) -> set[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {tag["id"] for tag in soup.find_all(id=True)} | {a["name"] for a in soup.find_all("a", attrs={"name": True})}


def test_every_internal_link_resolves():
    """Every relative href and src points at a file in the build, and every #anchor exists."""
    ids = functools.lru_cache(maxsize=None)(_ids)
    dead = []
    checked = 0
    for rel in book_pages():
        page = HTML / rel
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")):
            for el in soup.find_all(tag, attrs={attr: True}):
                target = el[attr]
                parts = urlsplit(target)
                if parts.scheme or target.startswith(("//", "mailto:", "javascript:")):
                    continue
                checked += 1
                dest = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
                if dest.is_dir():
                    dest = dest / "index.html"
                if not dest.is_file():
                    dead.append(f"{rel}: {target} -> missing file")
                elif parts.fragment and dest.suffix == ".html" and unquote(parts.fragment) not in ids(dest):
                    dead.append(f"{rel}: {target} -> no element with id '{parts.fragment}'")
    assert checked > 100, f"only {checked} links found: is the book built?"
    assert dead == [], "dead internal links:\n" + "\n".join(dead)


def test_no_page_loads_anything_from_the_network():
    """The book must read offline: no script, style or image from another host."""
    remote = []
    for rel in book_pages():
        soup = BeautifulSoup((HTML / rel).read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for el in soup.find_all(tag, attrs={attr: True}):
                if tag == "link" and "stylesheet" not in el.get("rel", []) and "preload" not in el.get("rel", []):
                    continue
                if urlsplit(el[attr]).scheme in ("http", "https") or el[attr].startswith("//"):
                    remote.append(f"{rel}: <{tag} {attr}={el[attr]}>")
    assert remote == [], "pages that need the network:\n" + "\n".join(remote)


def test_search_finds_return_state(visit):
    v = visit("search.html?q=return_state")
    v.page.wait_for_selector("#search-results ul.search li", timeout=15000)
    hits = v.page.locator("#search-results ul.search li").count()
    assert hits >= 3, f"search for return_state found {hits} page(s)"
    assert v.problems == [], "\n".join(v.problems)


def test_math_renders_offline(visit):
    v = visit("chapters/01_what_an_lstm_returns.html")
    # Some equations sit in collapsed or off-screen parts of the page: wait until any one is drawn.
    v.page.wait_for_function(
        """() => Array.from(document.querySelectorAll('mjx-container svg'))
                .some(svg => svg.getBoundingClientRect().width > 0)""",
        timeout=15000,
    )
    rendered = v.page.locator("mjx-container").count()
    raw = v.page.evaluate("() => document.body.innerText.includes('\\\\odot')")
    assert rendered >= 5, f"only {rendered} equations rendered"
    assert not raw, "raw TeX (\\odot) is visible: MathJax did not typeset the page"
    assert v.problems == [], "\n".join(v.problems)


def _pages_with_solutions() -> list[str]:
    return [p for p in chapter_pages() if "solution" in (HTML / p).read_text(encoding="utf-8")
            and 'class="solution' in (HTML / p).read_text(encoding="utf-8")]


def test_solution_dropdown_opens_on_click(visit):
    pages = _pages_with_solutions()
    assert pages, "no page has an exercise solution"
    v = visit(pages[0])
    solution = v.page.locator("div.solution.dropdown").first
    body = solution.locator("section, div.section").first
    assert not body.is_visible(), "the solution is visible before the reader opens it"
    solution.locator("button.toggle-button").first.click()
    body.wait_for(state="visible", timeout=5000)
    assert body.is_visible(), "the solution did not open on click"
    assert v.problems == [], "\n".join(v.problems)


def test_search_finds_an_error_message(visit):
    """A learner pastes an error message into the search box and lands on the error index."""
    v = visit("search.html?q=expected+ndim%3D3")
    v.page.wait_for_selector("#search-results ul.search li", timeout=15000)
    found = v.page.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    assert any("error_index" in href for href in found), \
        f"search for 'expected ndim=3' did not find the error index: {found}"
    assert v.problems == [], "\n".join(v.problems)


def test_citations_are_distinguishable():
    """Each in-text citation, such as "Keras team, 2024b", names one source and no other."""
    # Sphinx writes each citation as one link to the bibliography; a regular expression reads
    # them much faster than an HTML parser would.
    link = re.compile(r'<a class="reference internal" href="references\.html#([^"]+)"[^>]*>'
                      r'([^<]+)</a>')
    targets: dict[str, set[str]] = {}
    for rel in chapter_pages():
        for anchor, label in link.findall((HTML / rel).read_text(encoding="utf-8")):
            targets.setdefault(label.strip(), set()).add(anchor)
    assert targets, "no citation found in the chapters"
    shared = {text: sorted(ids) for text, ids in targets.items() if len(ids) > 1}
    assert shared == {}, f"one citation text stands for several sources: {shared}"


# Layout: measured at the widths a reader uses, with every folded solution opened.
WIDE = (1280, 1920)
PHONE = (390, 844)

_MEASURE_BLOCKS = """(maxLine) => {
  document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const problems = [];
  const probe = document.createElement('span');
  probe.textContent = 'x'.repeat(maxLine);
  probe.style.whiteSpace = 'pre';
  const narrow = new Set();
  const widths = new Map();
  for (const pre of document.querySelectorAll('article pre')) {
    const kind = pre.closest('.cell_output, .output')
      ? (pre.closest('.traceback') ? 'traceback' : 'output') : 'code';
    const lines = pre.textContent.split('\\n');
    const longest = lines.reduce((a, b) => (b.length > a.length ? b : a), '');
    if (pre.scrollWidth > pre.clientWidth + 1) {
      problems.push(`${kind} block scrolls sideways by ${pre.scrollWidth - pre.clientWidth} px;`
        + ` longest line (${longest.length} chars): ${longest.slice(0, 60)}`);
    }
    if (kind === 'traceback' && !getComputedStyle(pre).whiteSpace.startsWith('pre-wrap')) {
      problems.push('a traceback does not wrap (white-space: pre-wrap)');
    }
    if (pre.clientWidth > 0) {
      // The width of maxLine characters, once per font: each probe costs a layout.
      const style = getComputedStyle(pre);
      if (!widths.has(style.font)) {
        pre.appendChild(probe);
        widths.set(style.font, probe.getBoundingClientRect().width);
        probe.remove();
      }
      const need = widths.get(style.font);
      const room = pre.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (room + 0.5 < need) {
        narrow.add(`${maxLine} characters do not fit a ${kind} block:`
          + ` ${Math.floor(room / (need / maxLine))} do`);
      }
    }
  }
  for (const box of document.querySelectorAll('article .pst-scrollable-table-container')) {
    if (box.scrollWidth > box.clientWidth + 1) {
      const head = (box.querySelector('tr') || box).innerText.replace(/\\s+/g, ' ');
      problems.push(`table scrolls sideways by ${box.scrollWidth - box.clientWidth} px:`
        + ` ${head.slice(0, 60)}`);
    }
  }
  return problems.concat([...narrow]);
}"""

_PAGE_OVERFLOW = """() => {
  if (document.documentElement.scrollWidth <= window.innerWidth) return [];
  const clipped = e => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  const wide = Array.from(document.querySelectorAll('article *')).filter(e =>
    e.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(e));
  return [`the page is ${document.documentElement.scrollWidth} px wide`
    + ` in a ${window.innerWidth} px window; too wide: `
    + wide.slice(0, 3).map(e => `<${e.tagName.toLowerCase()}> ${e.textContent.slice(0, 40)}`)
          .join(', ')];
}"""


# Filled by test_page_loads_cleanly, which has each chapter open anyway; a page it could not
# measure (it failed earlier) is opened again by test_no_block_scrolls_sideways.
_LAYOUT_MEASURED: dict[str, list[str]] = {}


def layout_problems(page) -> list[str]:
    """What scrolls sideways on an open page, at each width (opens its folded solutions)."""
    problems = []
    for width in WIDE:
        page.set_viewport_size({"width": width, "height": 900})
        problems += [f"at {width} px: {p}" for p in page.evaluate(_MEASURE_BLOCKS, MAX_LINE)]
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    problems += [f"at {PHONE[0]} px: {p}" for p in page.evaluate(_PAGE_OVERFLOW)]
    return problems


@pytest.fixture(scope="module")
def layout_page(browser):
    """One tab for the pages that must be opened again: only the page and the size change.

    Images, icon fonts and MathJax do not change the width of a code block, and skipping them
    makes each page quick to load (test_page_loads_cleanly loads them all).
    """
    context = browser.new_context(viewport={"width": WIDE[0], "height": 900})
    page = context.new_page()
    page.route(re.compile(r"\.(png|jpe?g|svg|woff2?)(\?.*)?$|/mathjax/"), lambda r: r.abort())
    yield page
    context.close()


@pytest.mark.parametrize("path", _per_page(chapter_pages()))
def test_no_block_scrolls_sideways(request, server, path):
    """At 1280 and 1920 px, 79 characters fit every code and output block and none scrolls
    sideways (tracebacks wrap), nor does any table; on a phone, the page itself does not."""
    problems = _LAYOUT_MEASURED.pop(path, None)
    if problems is None:
        page = request.getfixturevalue("layout_page")
        page.set_viewport_size({"width": WIDE[0], "height": 900})
        page.goto(urljoin(server, path), wait_until="load")
        problems = layout_problems(page)
    assert problems == [], f"{path}:\n" + "\n".join(problems)
