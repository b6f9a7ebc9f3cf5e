"""Throughput of recoupe's ingest + clean + dedup on one core, as ratios to a same-process baseline.

What it measures, on a synthetic corpus of N seed-sized French articles (2-4 KB each):

1. ``baseline``: read every file's bytes, decode UTF-8, split into lines and hash the bytes
   with SHA-256. This is the floor that any ingest must pay; every other figure is reported as a
   ratio of its documents/second to this one (``0.031x`` = 32 times slower than the floor).
2. ``per-document stages``: ``recoupe.stages.ingest.read_inputs`` and
   ``recoupe.pipeline.process`` (parse, clean, MinHash signature) for every file, in process,
   with no database and no cross-document boilerplate evidence.
3. ``dedup corpus step``: ``recoupe.stages.dedupe.find_duplicates`` over the documents and
   signatures computed in (2), texts held in memory.
4. ``full build``: ``recoupe.pipeline.build`` into a fresh DuckDB file (ingest, clean, outlet
   boilerplate evidence and re-clean, dedup, storage, search index), ``workers = 1``.

Each figure is the best of ``--repeat`` runs timed with ``time.perf_counter``. The stages are
warmed up on one document first (models and lexicons load lazily), so (2) and (4) measure
steady-state throughput. Thread pools are limited to one thread (OMP/MKL/OpenBLAS env vars, set
before numpy is imported) and, on Linux, the process is pinned to one CPU so that DuckDB's worker
threads share that core too (``--no-pin`` to keep the inherited CPU set).

The corpus is generated deterministically from ``--seed`` out of the project's own invented
sample articles in ``samples/corpus/*.txt``: their headlines, body paragraphs, tags, teasers and
footers are recombined into new articles for five outlets with headline/byline shapes, a few
words are substituted in each, and about 5% exact copies and 5% near-copies (one sentence
changed) are added so that dedup has work to do.

Speed is never asserted here: the script only reports. Run it from the repository root::

    .venv/bin/python bench/ingest_bench.py                 # 2000 documents, best of 3
    .venv/bin/python bench/ingest_bench.py --docs 500 --json out/ingest_bench.json
"""

from __future__ import annotations

import os

# One core: set before numpy (imported by recoupe) creates its thread pools.
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import gc  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from importlib import metadata  # noqa: E402
from pathlib import Path  # noqa: E402
from random import Random  # noqa: E402
from typing import Any, TypeVar  # noqa: E402

from recoupe.config import Config, load_config  # noqa: E402
from recoupe.model import DocId, Rejection  # noqa: E402
from recoupe.pipeline import Processed, build, process  # noqa: E402
from recoupe.stages.clean import normalise_line  # noqa: E402
from recoupe.stages.dedupe import DocKey, Duplicates, find_duplicates  # noqa: E402
from recoupe.stages.ingest import read_inputs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "corpus"
T = TypeVar("T")

# ---------------------------------------------------------------------------------------------
# Corpus generation
# ---------------------------------------------------------------------------------------------

# Outlets and places of the invented sample corpus (see samples/README.md).
OUTLETS = ("Le Courrier du Littoral", "Horizon Sahel", "La Gazette des Deux Rives", "Médina Info",
           "Le Phare de Nouadhibou")
PLACES = ("Dakar", "Nouakchott", "Nouadhibou", "Saint-Louis", "Tozeur", "Biskra", "Tunis", "Oran",
          "Niamey", "Bamako", "Kaolack", "Thiès", "Ziguinchor")
SECTIONS = ("Afrique", "Économie", "Maghreb", "Société", "Politique", "Environnement")
AUTHORS = ("M. Diallo", "K. Lassoued", "A. Sarr", "F. Ba", "N. Trabelsi", "La Rédaction", "S. Kane")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
MIN_BYTES, MAX_BYTES = 2048, 4096
BLOCK_HEADERS = ("Aller plus loin", "Ces articles devraient vous intéresser :", "À découvrir également")

_BYLINE = re.compile(r"\d{1,2}[/ ]\S+[/ ]\d{4}|^(?:Ecrit|Publié|Par)\b")
_DATELINE = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ'\-]{2,}(?: [A-ZÀ-Þ'\-]{2,})*\s*:\s+")
_TAGS = re.compile(r"^(?:Mots-clés|Sujets associés)\s*:\s*(?P<tags>.+)$")
_READ_ALSO = re.compile(r"^À lire\s*:\s*(?P<title>.+)$")
_FOOTER = re.compile(r"^(?:Suivez|Partagez|Inscrivez|Téléchargez|Rejoignez)\b")
_SENTENCE = re.compile(r"(?<=[.!?»])\s+(?=[«A-ZÀ-Þ])")
_WORD = re.compile(r"\b[a-zà-ÿ]{5,}\b")
_NUMBER = re.compile(r"\b\d{2,3}\b")


@dataclass
class Pools:
    """The material recombined into synthetic articles, read from the sample corpus."""

    headlines: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    teasers: list[tuple[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    footers: list[str] = field(default_factory=list)  # templates with {outlet}
    vocabulary: list[str] = field(default_factory=list)


def _words(text: str) -> int:
    return len(text.split())


def _template(line: str) -> str:
    for outlet in OUTLETS:
        line = line.replace(outlet, "{outlet}")
    return line


def read_pools(folder: Path = SAMPLES) -> Pools:
    """Classify the lines of the sample .txt articles into headline, body, teaser and boilerplate pools."""
    pools = Pools()
    seen_files: set[str] = set()
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text("utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest in seen_files:  # b04 is a byte-for-byte copy of b01
            continue
        seen_files.add(digest)
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        pools.headlines.append(lines[0])
        in_block = False
        pending: str | None = None
        for line in lines[1:]:
            if line.startswith("©"):
                continue
            if _BYLINE.search(line) and _words(line) <= 16:
                continue
            if m := _TAGS.match(line):
                pools.tags.extend(t.strip() for t in m.group("tags").split(" - "))
            elif m := _READ_ALSO.match(line):
                pools.headlines.append(m.group("title"))
            elif _FOOTER.match(line):
                pools.footers.append(_template(line))
            elif line in BLOCK_HEADERS:
                in_block = True
            elif in_block:
                if pending is None:
                    pending = line
                else:
                    pools.teasers.append((pending, line))
                    pools.headlines.append(pending)
                    pending = None
            elif _words(line) >= 20:
                pools.paragraphs.append(_DATELINE.sub("", line))
    pools.headlines = sorted(set(pools.headlines))
    pools.paragraphs = sorted(set(pools.paragraphs))
    pools.sentences = sorted({s for p in pools.paragraphs for s in _SENTENCE.split(p) if _words(s) >= 6})
    pools.teasers = sorted(set(pools.teasers))
    pools.tags = sorted(set(pools.tags))
    pools.footers = sorted(set(pools.footers))
    pools.vocabulary = sorted({w for p in pools.paragraphs for w in _WORD.findall(p)})
    if len(pools.paragraphs) < 10 or not pools.sentences or not pools.teasers:
        raise SystemExit(f"too little material in {folder}: {len(pools.paragraphs)} paragraphs, "
                         f"{len(pools.teasers)} teasers")
    return pools


def _substitute(text: str, rng: Random, pools: Pools, count: int) -> str:
    """Replace ``count`` words of ``text`` (content words, numbers, places) by others of the same kind."""
    for _ in range(count):
        kind = rng.random()
        if kind < 0.2:
            places = [p for p in PLACES if p in text]
            if places:
                text = text.replace(rng.choice(places), rng.choice(PLACES))
                continue
        if kind < 0.35:
            numbers = list(_NUMBER.finditer(text))
            if numbers:
                m = rng.choice(numbers)
                text = f"{text[: m.start()]}{rng.randint(10, 999)}{text[m.end():]}"
                continue
        words = list(_WORD.finditer(text))
        if words:
            m = rng.choice(words)
            text = f"{text[: m.start()]}{rng.choice(pools.vocabulary)}{text[m.end():]}"
    return text


def _byline(rng: Random) -> str | None:
    day, month, hour, minute = rng.randint(1, 28), rng.randint(1, 12), rng.randint(6, 22), rng.randint(0, 59)
    section, author = rng.choice(SECTIONS), rng.choice(AUTHORS)
    shape = rng.randrange(4)
    if shape == 0:
        return f"{day} {MONTHS[month - 1]} 2024 - {hour}h{minute:02d} - {section} - Ecrit par : {author}"
    if shape == 1:
        return f"Publié le {day:02d}/{month:02d}/2024 à {hour:02d}h{minute:02d} | {section} | Par {author}"
    if shape == 2:
        return f"{day:02d}/{month:02d}/2024 - {hour}h{minute:02d} - {section} - AMPL"
    return None  # headline, blank line, dateline: no byline at all


def make_article(rng: Random, pools: Pools) -> str:
    """One synthetic article of 2-4 KB: headline, byline, body, read-also, footer, tags, teasers, credit."""
    outlet = rng.choice(OUTLETS)
    target = rng.randint(MIN_BYTES + 100, MAX_BYTES - 300)
    sep = rng.choice(("\n\n", "\n"))
    head = [_substitute(rng.choice(pools.headlines), rng, pools, 1)]
    byline = _byline(rng)
    if byline:
        head.append(byline)
    footer = [f.format(outlet=outlet) for f in rng.sample(pools.footers, k=min(3, len(pools.footers)))]
    footer.append("Mots-clés : " + " - ".join(rng.sample(pools.tags, k=min(4, len(pools.tags)))))
    block = [rng.choice(BLOCK_HEADERS)]
    for title, blurb in rng.sample(pools.teasers, k=rng.randint(2, 4)):
        block += [title, blurb]
    tail = [f"© Copyright {outlet}"]
    read_also = f"À lire : {rng.choice(pools.headlines)}" if rng.random() < 0.6 else None
    dateline = f"{rng.choice(PLACES).upper()}: " if rng.random() < 0.5 else ""
    extra = [*head, *footer, *block, *tail, read_also or "", dateline]
    size = sum(len(x.encode("utf-8")) + len(sep) for x in extra)
    body: list[str] = []
    for paragraph in rng.sample(pools.paragraphs, k=len(pools.paragraphs)):
        if size >= target:
            break
        grow = len(paragraph.encode("utf-8")) + len(sep)
        if size + grow <= MAX_BYTES - 300:  # room for word substitutions and a near-copy sentence
            body.append(paragraph)
            size += grow
    body[0] = dateline + body[0]
    if read_also:
        body.insert(rng.randint(1, len(body)), read_also)
    text = _substitute(sep.join(body), rng, pools, rng.randint(3, 6))
    top = "\n".join(head)
    after_top = "\n\n" if sep == "\n\n" or len(head) == 1 else rng.choice(("\n", "\n\n"))
    return top + after_top + sep.join([text, *footer, *block, *tail]) + "\n"


def near_copy(text: str, rng: Random, pools: Pools) -> str:
    """The same article with one sentence of one body paragraph replaced."""
    lines = text.split("\n")
    body = [i for i, ln in enumerate(lines) if _words(ln) >= 20]
    index = rng.choice(body)
    sentences = _SENTENCE.split(lines[index])
    which = rng.randrange(len(sentences))
    replacement = rng.choice(pools.sentences)
    while replacement == sentences[which] and len(pools.sentences) > 1:
        replacement = rng.choice(pools.sentences)
    sentences[which] = replacement
    lines[index] = " ".join(sentences)
    return "\n".join(lines)


@dataclass(frozen=True)
class CorpusStats:
    documents: int
    originals: int
    exact_copies: int
    near_copies: int
    bytes_total: int
    bytes_min: int
    bytes_mean: float
    bytes_max: int


def generate_corpus(folder: Path, docs: int, seed: int, pools: Pools) -> CorpusStats:
    """Write ``docs`` articles as .txt files into ``folder``; deterministic for a given seed."""
    rng = Random(seed)
    exact = round(docs * 0.05)
    near = round(docs * 0.05)
    originals = docs - exact - near
    texts = [make_article(rng, pools) for _ in range(originals)]
    texts += [texts[rng.randrange(originals)] for _ in range(exact)]
    texts += [near_copy(texts[rng.randrange(originals)], rng, pools) for _ in range(near)]
    rng.shuffle(texts)  # interleave copies and originals in file order
    folder.mkdir(parents=True, exist_ok=True)
    sizes = []
    for number, text in enumerate(texts):
        data = text.encode("utf-8")
        (folder / f"art{number:05d}.txt").write_bytes(data)
        sizes.append(len(data))
    return CorpusStats(docs, originals, exact, near, sum(sizes), min(sizes), round(statistics.fmean(sizes), 1),
                       max(sizes))


# ---------------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------------


@dataclass
class Measure:
    name: str
    docs: int
    seconds: float
    runs: list[float]
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.docs / self.seconds if self.seconds > 0 else float("inf")


def best_of(repeat: int, run: Callable[[], T]) -> tuple[float, list[float], T]:
    """Best wall time of ``repeat`` calls, all the times, and the last call's result."""
    times: list[float] = []
    result: T | None = None
    for _ in range(repeat):
        # Every repeat starts cold: the line-normalisation memo would otherwise serve the whole
        # corpus from the previous repeat.
        normalise_line.cache_clear()
        gc.collect()
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    assert result is not None
    return min(times), times, result


def list_files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        found += [Path(root) / name for name in sorted(files) if name.endswith(".txt")]
    return found


def baseline(folder: Path) -> int:
    """Read, decode, split and hash every file: the floor of any ingest."""
    count = 0
    for path in list_files(folder):
        data = path.read_bytes()
        lines = data.decode("utf-8").splitlines()
        hashlib.sha256(data).hexdigest()
        count += bool(lines)
    return count


def per_document(folder: Path, cfg: Config, cold: bool = False) -> tuple[list[Processed], list[Rejection]]:
    """read_inputs + process (parse, clean, signature) of every file, in process, no database.

    ``cold`` clears the line-normalisation memo before each document: the synthetic corpus
    recombines a small pool of paragraphs, so without it lines shared across documents are served
    from the memo, which real corpora (beyond their boilerplate) would not allow.
    """
    done: list[Processed] = []
    rejected: list[Rejection] = []
    for item in read_inputs([folder], cfg.ingest):
        if cold:
            normalise_line.cache_clear()
        result = item if isinstance(item, Rejection) else process(item, cfg, {})
        if isinstance(result, Rejection):
            rejected.append(result)
        else:
            done.append(result)
    return done, rejected


def dedup(processed: Sequence[Processed], cfg: Config) -> Duplicates:
    keys = [DocKey(p.doc.id, p.doc.content_hash or "", p.doc.published.value, p.signature) for p in processed]
    texts: dict[DocId, str] = {p.doc.id: p.doc.text or "" for p in processed}
    return find_duplicates(keys, texts, cfg.dedupe)


def pin_one_cpu() -> int | None:
    """Pin this process (and the threads it starts later) to one CPU; the CPU, or None if unsupported."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def machine_info(pinned: int | None) -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpu_count": os.cpu_count(),
        "pinned_cpu": pinned,
        "recoupe": metadata.version("recoupe"),
        "duckdb": metadata.version("duckdb"),
        "datasketch": metadata.version("datasketch"),
        "threads_env": {k: os.environ[k] for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")},
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    pinned = None if args.no_pin else pin_one_cpu()
    cfg = load_config(run={"workers": 1, "progress": False})
    pools = read_pools()
    if args.keep and Path(args.keep).exists() and any(Path(args.keep).iterdir()):
        raise SystemExit(f"--keep {args.keep}: the folder exists and is not empty")
    work = Path(tempfile.mkdtemp(prefix="recoupe-bench-"))
    corpus = Path(args.keep) if args.keep else work / "corpus"
    try:
        started = time.perf_counter()
        stats = generate_corpus(corpus, args.docs, args.seed, pools)
        generation = time.perf_counter() - started
        files = list_files(corpus)

        # Warm-up outside the timings: lazy models/lexicons, and the DuckDB extension/schema path.
        warm = work / "warm"
        warm.mkdir()
        shutil.copy(files[0], warm / files[0].name)
        per_document(warm, cfg)
        build([warm], work / "warm.duckdb", cfg)

        measures: list[Measure] = []
        seconds, times, count = best_of(args.repeat, lambda: baseline(corpus))
        measures.append(Measure("baseline (read+decode+split+sha256)", count, seconds, times))

        seconds, times, (processed, rejected) = best_of(args.repeat, lambda: per_document(corpus, cfg))
        measures.append(Measure("per-document (read_inputs+process)", len(files), seconds, times,
                                {"processed": len(processed), "rejected": len(rejected),
                                 "rejections": sorted({f"{r.code} {r.reason}" for r in rejected})}))

        seconds, times, (cold_done, _) = best_of(args.repeat, lambda: per_document(corpus, cfg, cold=True))
        measures.append(Measure("per-document, no line shared (cold memo)", len(files), seconds, times,
                                {"processed": len(cold_done)}))

        seconds, times, found = best_of(args.repeat, lambda: dedup(processed, cfg))
        families = len(set(found.family.values()))
        measures.append(Measure("dedup step (find_duplicates)", len(processed), seconds, times,
                                {"exact_duplicates": len(found.duplicate_of),
                                 "near_duplicate_pairs": len(found.edges), "families": families}))

        builds = iter(range(args.repeat))

        def full_build() -> Any:
            kb = work / f"kb-{next(builds)}.duckdb"
            try:
                return build([corpus], kb, cfg)
            finally:
                for leftover in work.glob(kb.name + "*"):
                    leftover.unlink()

        seconds, times, summary = best_of(args.repeat, full_build)
        measures.append(Measure("full build (pipeline.build, DuckDB)", len(files), seconds, times,
                                {"accepted": summary.accepted, "duplicate": summary.duplicate,
                                 "rejected": summary.rejected, "recleaned": summary.recleaned,
                                 "documents": summary.documents,
                                 "near_duplicate_pairs": summary.near_duplicate_pairs,
                                 "families": summary.families, "by_reason": dict(summary.by_reason)}))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    floor = measures[0].rate
    return {
        "benchmark": "ingest_bench",
        "config": {"docs": args.docs, "repeat": args.repeat, "seed": args.seed, "workers": cfg.run.workers},
        "machine": machine_info(pinned),
        "corpus": {**stats.__dict__, "generation_seconds": round(generation, 3),
                   "kept": str(corpus) if args.keep else None},
        "results": [
            {"name": m.name, "docs": m.docs, "seconds": round(m.seconds, 6),
             "runs": [round(t, 6) for t in m.runs], "docs_per_second": round(m.rate, 2),
             "ratio_to_baseline": round(m.rate / floor, 6), **m.details}
            for m in measures
        ],
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }


def report(data: dict[str, Any]) -> str:
    c, m = data["corpus"], data["machine"]
    out = [
        f"recoupe {m['recoupe']} | Python {m['python']} | {m['platform']} | cpu_count={m['cpu_count']} "
        f"pinned_cpu={m['pinned_cpu']} | workers={data['config']['workers']}",
        f"corpus: {c['documents']} docs ({c['originals']} originals, {c['exact_copies']} exact copies, "
        f"{c['near_copies']} near copies), {c['bytes_total'] / 1e6:.2f} MB, {c['bytes_min']}-{c['bytes_max']} "
        f"bytes/doc (mean {c['bytes_mean']:.0f}), seed {data['config']['seed']}, "
        f"best of {data['config']['repeat']}",
        "",
        f"{'measurement':<42} {'docs':>6} {'seconds':>9} {'docs/s':>11} {'ratio':>10}",
        "-" * 82,
    ]
    for r in data["results"]:
        out.append(f"{r['name']:<42} {r['docs']:>6} {r['seconds']:>9.4f} {r['docs_per_second']:>11.1f} "
                   f"{r['ratio_to_baseline']:>9.3g}x")
    out.append("")
    for r in data["results"][1:]:
        out.append(f"{r['name'].split(' (')[0]}: {r['docs_per_second']:.0f} docs/s = "
                   f"{r['ratio_to_baseline']:.3g}x baseline ({1 / r['ratio_to_baseline']:.0f} times slower)")
    per_doc, dd, full = data["results"][1], data["results"][3], data["results"][4]
    out += [
        "",
        f"per-document: {per_doc['processed']} processed, {per_doc['rejected']} rejected {per_doc['rejections']}",
        f"dedup step: {dd['exact_duplicates']} exact duplicates, {dd['near_duplicate_pairs']} near-duplicate "
        f"pairs, {dd['families']} families",
        f"full build: accepted={full['accepted']} duplicate={full['duplicate']} rejected={full['rejected']} "
        f"recleaned={full['recleaned']} near_pairs={full['near_duplicate_pairs']} families={full['families']}",
        f"peak RSS: {data['peak_rss_mib']:.1f} MiB",
    ]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--docs", type=int, default=2000, help="number of synthetic articles (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is kept (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the corpus generator (default 1)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    parser.add_argument("--keep", metavar="DIR", help="generate the corpus into DIR (new or empty) and keep it")
    parser.add_argument("--no-pin", action="store_true", help="do not pin the process to one CPU")
    args = parser.parse_args(argv)
    if args.docs < 20 or args.repeat < 1:
        parser.error("--docs must be at least 20 and --repeat at least 1")
    data = run(args)
    print(report(data))
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
