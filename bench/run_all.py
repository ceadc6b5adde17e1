"""Every benchmark in one command; writes docs/benchmarks.md and docs/benchmarks.svg.

    make bench        # or: .venv/bin/python bench/run_all.py [--seconds 10] [--rounds 3]

1. Builds the synthetic databases once (bench/synth.py, cached in bench/out/).
2. Load runs (bench/load.py): gunicorn, 2 sync workers, wrk on loopback with 32
   connections, a warm-up, then `--rounds` rounds of `--seconds` each; every page's
   requests per second as a ratio to bare Flask measured in the same round; medians.
3. In-process timings (bench/inproc.py): the progress page of a student with 100,000
   answers, item analysis of a 500-student assignment, growth from 1,000 to 100,000.
4. The same pages in the app alone (bench/floors.py): direct WSGI calls, and from them
   how much app time each throughput target leaves.
5. cProfile of the two pages furthest below their targets, kept in bench/out/profiles/.

Needs wrk (`apt-get install wrk`). Benchmarks, not tests: nothing here runs in CI.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import floors  # noqa: E402
import inproc  # noqa: E402
import load  # noqa: E402
import synth  # noqa: E402

from quizzes.domain.charts import bar_chart  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
CHART = ROOT / "docs" / "benchmarks.svg"
NOTES = BENCH / "NOTES.md"
PROFILES = synth.OUT / "profiles"

# Page targets: requests per second as a share of bare Flask's in the same round.
RATIO_TARGETS = {"item": 0.35, "save": 0.20, "press": 0.15}
P99_OVER_MEDIAN = 3.0
PROGRESS_MS = 50.0
ANALYSIS_MS = 200.0
GROWTH = 1.3


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


@dataclass(frozen=True)
class Row:
    """One line of the summary: a measure, its value, the target, whether it is met."""

    measure: str
    value: str
    target: str
    met: bool | None  # None: no target, shown for context


def _ok(met: bool | None) -> str:
    if met is None:
        return "–"
    return "yes" if met else "**no**"


def press_ratio(rate: load.Measured, study: load.Measured, hello: load.Measured) -> float:
    """A flashcard press is two requests (the rating POST, then the study page it redirects
    to): presses per second the server sustains = 1 / (1/rate_rps + 1/study_rps)."""
    presses = 1 / (1 / rate.rps + 1 / study.rps)
    return presses / hello.rps


def summary_rows(
    hello: load.Measured, pages: dict[str, load.Measured], results: inproc.Results
) -> list[Row]:
    rows = []
    item, save = pages["item"], pages["save"]
    rows.append(
        Row(
            "Quiz item page / bare Flask (req/s)", f"{item.ratio:.2f}", "≥ 0.35", item.ratio >= 0.35
        )
    )
    rows.append(
        Row("Save an answer / bare Flask", f"{save.ratio:.2f}", "≥ 0.20", save.ratio >= 0.20)
    )
    press = press_ratio(pages["rate"], pages["study"], hello)
    rows.append(
        Row(
            "Rate a flashcard and get the next (POST + GET) / bare Flask",
            f"{press:.2f}",
            "≥ 0.15",
            press >= 0.15,
        )
    )
    # Issue 19: a bank deck's study page at least as fast as a personal deck's.
    bank, own = pages["bank_study"], pages["study"]
    rows.append(
        Row(
            "Bank-deck study page / personal-deck study page (req/s)",
            f"{bank.ratio / own.ratio:.2f} ({bank.ratio:.2f} / {own.ratio:.2f} of bare Flask)",
            "≥ 1.0",
            bank.ratio >= own.ratio,
        )
    )
    rows.append(
        Row(
            "Bare Flask hello: p99 / median latency (the machine's own jitter in this run)",
            f"{hello.p99_ms / hello.p50_ms:.1f} ({hello.p99_ms:.0f} / {hello.p50_ms:.0f} ms)",
            "–",
            None,
        )
    )
    for page in pages.values():
        if page.target.server != "quizdeck":
            continue  # the stack alone is for scale, in its own section
        spread = page.p99_ms / page.p50_ms
        rows.append(
            Row(
                f"{page.target.label}: p99 / median latency",
                f"{spread:.1f} ({page.p99_ms:.0f} / {page.p50_ms:.0f} ms)",
                "≤ 3",
                spread <= P99_OVER_MEDIAN,
            )
        )
    rows.append(
        Row(
            "Progress page, student with 100,000 answers (in-process)",
            f"{results.progress.median_ms:.1f} ms",
            "< 50 ms",
            results.progress.median_ms < PROGRESS_MS,
        )
    )
    rows.append(
        Row(
            "Item analysis, 500 students × 50 items (in-process)",
            f"{results.analysis.median_ms:.1f} ms",
            "< 200 ms",
            results.analysis.median_ms < ANALYSIS_MS,
        )
    )
    item_growth = results.item_full.median_ms / results.item_small.median_ms
    card_growth = results.card_full.median_ms / results.card_small.median_ms
    rows.append(
        Row(
            "Quiz item page, 100,000 items / 1,000 items (in-process)",
            f"{item_growth:.2f} ({results.item_full.median_ms:.2f} / "
            f"{results.item_small.median_ms:.2f} ms)",
            "≤ 1.3",
            item_growth <= GROWTH,
        )
    )
    rows.append(
        Row(
            "Next-card fetch, 100,000 cards / 1,000 cards (in-process)",
            f"{card_growth:.2f} ({results.card_full.median_ms:.2f} / "
            f"{results.card_small.median_ms:.2f} ms)",
            "≤ 1.3",
            card_growth <= GROWTH,
        )
    )
    return rows


def ratio_chart(hello: load.Measured, pages: dict[str, load.Measured]) -> str:
    # Each Quizdeck bar is followed by the same shape made with the stack alone ("stack").
    bars = [
        ("item ≥ .35", pages["item"].ratio),
        ("stack item", pages["stack_item"].ratio),
        ("save ≥ .20", pages["save"].ratio),
        ("stack save", pages["stack_save"].ratio),
        ("press ≥ .15", press_ratio(pages["rate"], pages["study"], hello)),
        ("stack press", press_ratio(pages["stack_save"], pages["stack_item"], hello)),
        ("signed in", pages["signed"].ratio),
        ("stack signed", pages["stack_signed"].ratio),
        ("stack page", pages["stack_template"].ratio),
    ]
    return bar_chart(
        "Requests per second as a share of bare Flask",
        "Each Quizdeck page's throughput under gunicorn (2 sync workers, wrk, 32 connections) "
        "divided by a bare Flask hello app's in the same round, with its target where it has "
        "one, next to the same kind of page made with the required stack alone and nothing of "
        "Quizdeck (bench/apps.py stack()), for scale. "
        + "; ".join(f"{label} {value:.2f}" for label, value in bars),
        [label for label, _ in bars],
        [value for _, value in bars],
        x_label="page (target)",
        y_label="share of bare Flask",
        value_format=lambda v: f"{v:.2f}",
        reference=(0.35, "item page target 0.35"),
        width=960,
    )


def write_profiles(pages: dict[str, load.Measured], runs: int) -> list[tuple[str, Path]]:
    """cProfile the two pages furthest below their targets (or simply the slowest two)."""
    targets = {"item": 0.35, "save": 0.20, "study": 0.30, "rate": 0.30}
    measured = [m for m in pages.values() if m.target.key in targets]
    worst = sorted(measured, key=lambda m: m.ratio / targets[m.target.key])[:2]
    PROFILES.mkdir(parents=True, exist_ok=True)
    written = []
    with inproc.site(synth.FULL) as site:
        for measured in worst:
            key = measured.target.key
            progress(f"profiling {key}")
            text = inproc.profile(inproc.PAGES[key](site), runs=runs, lines=25)
            path = PROFILES / f"{key}.txt"
            path.write_text(text)
            written.append((key, path))
    return written


# Each target's Quizdeck page(s) and the same shape made with the required stack alone.
STACK_PAIRS = (
    ("Quiz item page", "item", None, "stack_item", None, 0.35),
    ("Save an answer", "save", None, "stack_save", None, 0.20),
    ("Rate a flashcard and get the next", "rate", "study", "stack_save", "stack_item", 0.15),
    ("Being signed in (an empty route)", "signed", None, "stack_signed", None, None),
)


def stack_section(
    hello: load.Measured, pages: dict[str, load.Measured], alone: list[floors.Floor]
) -> list[str]:
    """Quizdeck's pages next to the same shape of page made with the required stack alone,
    measured in the same rounds: the floor under each target."""
    by_key = {floor.key: floor for floor in alone}

    def ratio(first: str, second: str | None) -> float:
        if second is None:
            return pages[first].ratio
        return press_ratio(pages[first], pages[second], hello)

    def app_us(first: str, second: str | None) -> float:
        return by_key[first].median_us + (by_key[second].median_us if second else 0.0)

    lines = [
        "",
        "## The required stack alone",
        "",
        "The same shapes of request made with the required stack and nothing of Quizdeck "
        "(`bench/apps.py` `stack()`: Flask, Flask-SQLAlchemy, Flask-Login, Flask-WTF's CSRF "
        "and a Jinja template, set up as their documentation shows, on a small database of "
        "its own with Quizdeck's SQLite settings), served and loaded exactly like Quizdeck in "
        "the same rounds. Its item page signs the user in, reads one item through the ORM and "
        "renders it with a CSRF token; its save checks the CSRF token, inserts one answer and "
        "commits; a flashcard press is matched by a save followed by an item page: the least "
        "a signed-in page of each shape does in this stack.",
        "",
        "| request | Quizdeck ratio | stack alone ratio | target | Quizdeck app µs | "
        "stack alone app µs |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, first, second, stack_first, stack_second, target in STACK_PAIRS:
        lines.append(
            f"| {label} | {ratio(first, second):.2f} | {ratio(stack_first, stack_second):.2f} | "
            f"{'≥ ' + format(target, '.2f') if target else '–'} | "
            f"{app_us(first, second):,.0f} | {app_us(stack_first, stack_second):,.0f} |"
        )
    lines.append(
        f"\nA template with no database or login reaches {pages['stack_template'].ratio:.2f} of "
        "bare Flask on the stack alone (the issue quotes about 0.6)."
    )
    below = [
        f"{label.lower()} (target {target:.2f}, stack alone {ratio(sf, ss):.2f})"
        for label, _, _, sf, ss, target in STACK_PAIRS
        if target is not None and ratio(sf, ss) < target
    ]
    if below:
        lines.append(
            "In this run the stack alone stays below the target for: " + "; ".join(below) + "."
        )
    return lines


def floors_section(pages: dict[str, load.Measured], alone: list[floors.Floor]) -> list[str]:
    """The pages in the app alone, and what app time each throughput target leaves."""
    by_key = {floor.key: floor for floor in alone}
    hello = by_key["hello"].median_us
    server = floors.server_cost_us(hello, by_key["signed"].median_us, pages["signed"].ratio)
    lines = [
        "",
        "## In the app alone",
        "",
        "Direct WSGI calls into the app (`bench/floors.py`, small data set): no server, no load "
        "tool, warm medians of 2,000 calls each, in blocks taken in turn. The empty routes "
        "exist only in the bench app (`bench/apps.py`).",
        "",
        "| request | median µs | fastest µs |",
        "|---|---:|---:|",
    ]
    for floor in alone:
        lines.append(f"| {floor.label} | {floor.median_us:,.0f} | {floor.fastest_us:,.0f} |")
    budgets = [
        ("Quiz item page ≥ 0.35", 0.35, 1, by_key["item"].median_us),
        ("Save an answer ≥ 0.20", 0.20, 1, by_key["save"].median_us),
        (
            "Rate and next (two requests) ≥ 0.15",
            0.15,
            2,
            by_key["rate"].median_us + by_key["study"].median_us,
        ),
    ]
    lines += [
        "",
        f"Under load each request costs about **{server:,.0f} µs** more than in the app alone "
        "(the server, wrk and the kernel, on the same two cores), worked out from the two "
        "requests measured both ways: bare Flask's hello and the empty route behind login "
        f"({pages['signed'].ratio:.2f} of bare Flask under load). A page then reaches a ratio r "
        "of bare Flask when its app time is at most (that cost + hello) / r − that cost:",
        "",
        "| target | app time it leaves | app time now |",
        "|---|---:|---:|",
    ]
    for label, ratio, count, now in budgets:
        budget = floors.app_budget_us(hello, server, ratio, count)
        lines.append(f"| {label} | {budget:,.0f} µs | {now:,.0f} µs |")
    lines.append(
        f"\nBeing signed in alone takes {by_key['signed'].median_us:,.0f} µs of the app time "
        f"(an empty Quizdeck route {by_key['anonymous'].median_us:,.0f} µs)."
    )
    return lines


def render(
    args: argparse.Namespace,
    started: datetime,
    load_before: str,
    hello: load.Measured,
    pages: dict[str, load.Measured],
    results: inproc.Results,
    alone: list[floors.Floor],
    profiles: list[tuple[str, Path]],
) -> str:
    full, small = synth.build_info(synth.FULL), synth.build_info(synth.SMALL)
    command = "make bench  # = .venv/bin/python bench/run_all.py " + shlex.join(sys.argv[1:])
    lines = [
        "# Benchmarks",
        "",
        "Generated by `bench/run_all.py`; do not edit by hand (the notes at the end come "
        "from `bench/NOTES.md`).",
        "",
        "```sh",
        command.rstrip(),
        "```",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} cores ({cpu_model()}), Python "
        f"{platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}",
        f"- Load average (1, 5, 15 min): {load_before} before, {load_average()} after "
        "(the machine is shared: other jobs ran at the same time)",
        f"- Load runs: gunicorn, {load.WORKERS} sync workers, wrk with {load.THREADS} threads "
        f"and {load.CONNECTIONS} connections on 127.0.0.1, {args.warmup:g} s warm-up, "
        f"{args.rounds} rounds of {args.seconds:g} s; medians of the rounds. Bare Flask "
        "is measured in every round and each ratio is taken within its round.",
        f"- Data: {synth.FULL.users:,} users, {synth.FULL.items:,} items, "
        f"{synth.FULL.answers:,} stored answers, {synth.CARD_STUDENTS} learners with "
        f"{synth.FULL.cards:,} flashcards each, one with {synth.FULL.growth_cards:,}, a class "
        f"of {synth.FULL.class_size} on one {synth.ASSIGNMENT_ITEMS}-item assignment "
        f"(built in {full.get('seconds', '?')} s by `bench/synth.py`, cached in bench/out/); "
        f"the small set for growth: {synth.SMALL.items:,} items, "
        f"{synth.SMALL.growth_cards:,} cards (built in {small.get('seconds', '?')} s).",
        "- Logged-in requests: each simulated student logged in once through the login form; "
        "wrk rotates among their session cookies; POSTs carry each student's own CSRF token "
        "(CSRF protection on).",
        "",
        "## Figures against targets",
        "",
        "| measure | value | target | met |",
        "|---|---:|---:|:---:|",
    ]
    for row in summary_rows(hello, pages, results):
        lines.append(f"| {row.measure} | {row.value} | {row.target} | {_ok(row.met)} |")
    lines += [
        "",
        "![Requests per second as a share of bare Flask](benchmarks.svg)",
        "",
        "## Load runs",
        "",
        "| page | req/s (median) | ratio to bare Flask | p50 ms | p90 ms | p99 ms | errors | "
        "ratio per round |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for measured in [hello, *pages.values()]:
        p90 = statistics.median(r.p90_ms for r in measured.rounds)
        per_round = ", ".join(f"{r:.2f}" for r in measured.ratios)
        lines.append(
            f"| {measured.target.label} | {measured.rps:,.0f} | {measured.ratio:.2f} | "
            f"{measured.p50_ms:.1f} | {p90:.1f} | {measured.p99_ms:.1f} | {measured.errors} | "
            f"{per_round} |"
        )
    lines += [
        "",
        "Requests: the item page is `GET /quiz/attempts/<id>/items/1` of each of "
        f"{synth.QUIZ_STUDENTS} students' open attempt; saving is the form POST of that "
        "item with `go=next` (answer, commit, 302 to the next item); the next flashcard is "
        f"`GET /cards/my-<deck>/study` of {synth.CARD_STUDENTS} learners with "
        f"{synth.FULL.cards:,} cards each; rating is `POST .../study/rate` (review, commit, "
        "302 to the study page). A learner's press of a rating button is both requests. "
        "The bank deck's study page is `GET /cards/topic-<topic>/study` of the same learners, "
        "for the built-in bank's largest topic (the bank built into the run's copy of the "
        "data).",
        "",
        "## In-process timings",
        "",
        "Flask's test client, warm, on a copy of the database: the whole request (routing, "
        "session, queries, template) without the HTTP server.",
        "",
        "| measure | median ms | fastest ms | runs |",
        "|---|---:|---:|---:|",
    ]
    labels = {
        "progress": "Progress page, 100,000 answers",
        "analysis": "Item analysis, 500 × 50",
        "item_small": "Quiz item page, 1,000 items",
        "item_full": "Quiz item page, 100,000 items",
        "card_small": "Next-card fetch, 1,000 cards",
        "card_full": "Next-card fetch, 100,000 cards",
    }
    for name, timing in vars(results).items():
        lines.append(
            f"| {labels[name]} | {timing.median_ms:.2f} | {timing.min_ms:.2f} | {timing.runs} |"
        )
    lines += stack_section(hello, pages, alone)
    lines += floors_section(pages, alone)
    lines += ["", "## Profiles", ""]
    for key, path in profiles:
        lines.append(
            f"- `{key}`: cProfile of the page in-process, in `{path.relative_to(ROOT)}` "
            f"(`.venv/bin/python bench/inproc.py --profile {key}`)."
        )
    if NOTES.exists():
        lines += ["", NOTES.read_text().strip(), ""]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--profile-runs", type=int, default=100)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the synthetic data")
    args = parser.parse_args(argv)
    started = datetime.now(UTC)
    load_before = load_average()

    progress("1/5 synthetic data")
    for spec in (synth.FULL, synth.SMALL):
        path, seconds = synth.ensure(spec, args.rebuild)
        note = "cached" if seconds is None else f"built in {seconds:.1f} s"
        progress(f"    {path.name}: {note}")
    progress("2/5 load runs (gunicorn + wrk)")
    hello, measured = load.run(
        synth.FULL.path, seconds=args.seconds, rounds=args.rounds, warmup=args.warmup
    )
    pages = {m.target.key: m for m in measured}
    progress("3/5 in-process timings")
    results = inproc.run()
    progress("4/5 in the app alone")
    alone = floors.run()
    progress("5/5 profiles")
    profiles = write_profiles(pages, args.profile_runs)

    report = render(args, started, load_before, hello, pages, results, alone, profiles)
    DOC.write_text(report)
    CHART.write_text(ratio_chart(hello, pages) + "\n")
    for row in summary_rows(hello, pages, results):
        mark = {True: "ok  ", False: "MISS", None: "    "}[row.met]
        print(f"{mark} {row.measure}: {row.value} (target {row.target})")
    print(f"wrote {DOC.relative_to(ROOT)} and {CHART.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
