"""The auto layout: a scan's tables read again with the layout model where the relations doubt the
rules' reading, and the reading the relations prefer kept."""

import json

from conftest import truth

from ogi_extract.inference.checks import check_relations
from ogi_extract.inference.pipeline import Pipeline
from ogi_extract.inference.readings import doubtful, preferred, relation_groups, relation_score
from ogi_extract.inference.result import MetricValue, Result
from ogi_extract.schema import load_spec, relation_terms
from ogi_extract.settings import Settings
from ogi_extract.training.synth.generate import write_report

SEED = "000_9883ccc3c4a509fd"  # an ogi2008 seed whose printed tables satisfy all 7 of its relations


def _reading(**changed: int | None) -> Result:
    """The seed's labeled values as a reading, with some values read otherwise."""
    expected = truth("seeds", SEED)
    values = {**expected["metrics"], **{k.replace("__", "."): v for k, v in changed.items()}}
    metrics = {k: MetricValue(value=v, raw="" if v is None else str(v), label=k, page=1, confidence=1.0, source="ocr")
               for k, v in values.items()}
    return Result(file="r.pdf", format=expected["format"], metrics=metrics,
                  relations=check_relations(metrics, expected["format"]))


def _lhs_and_term() -> tuple[str, str]:
    relation = _reading().relations[0]
    lhs, rhs = relation.relation.split(" = ")
    return lhs.replace(".", "__"), rhs.split(" + ")[0].strip().replace(".", "__")


def test_a_reading_the_relations_confirm_is_not_doubted():
    assert not doubtful(_reading())


def test_a_broken_or_unchecked_relation_doubts_the_reading():
    lhs, term = _lhs_and_term()
    assert doubtful(_reading(**{lhs: 10_000}))  # a total that does not add up
    assert doubtful(_reading(**{term: None}))  # a part read empty: the relation cannot be checked


def test_the_relations_prefer_the_reading_they_confirm():
    lhs, term = _lhs_and_term()
    confirmed, unread, broken = _reading(), _reading(**{term: None}), _reading(**{lhs: 10_000})
    assert relation_score(confirmed) > max(relation_score(unread), relation_score(broken))


def test_a_cell_read_blank_counts_as_zero_when_readings_are_compared():
    """Most cells of a small agency's tables are blank, so relations over blanks must decide between two
    readings: the one whose total is the sum of the printed parts wins, where both used to go unchecked."""
    lhs, term = _lhs_and_term()
    expected = truth("seeds", SEED)["metrics"]
    part, total = expected[term.replace("__", ".")], expected[lhs.replace("__", ".")]
    assert part
    adds_up = _reading(**{term: None, lhs: total - part})
    does_not = _reading(**{term: None})
    assert relation_score(adds_up) > relation_score(does_not)


def test_a_heavy_scan_whose_rules_were_lost_is_read_better_the_second_time(tmp_path):
    """Generator report 1 of seed 5151 (used for no training and in no benchmark split), scanned heavy:
    rules alone lose rows of its tables and the relations say so; the second reading, with the
    layout model's separators, is kept and has more values right."""
    pdf = write_report(1, 5151, tmp_path, level="heavy")
    expected = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))["metrics"]

    def wrong(result: Result) -> int:
        return sum(result.values.get(k) != v for k, v in expected.items())

    rules_only = Pipeline(Settings(layout="heuristic"))(pdf)
    auto = Pipeline(Settings(layout="auto"))(pdf)
    assert doubtful(rules_only)
    assert any("layout model" in w for w in auto.warnings)
    assert wrong(auto) < wrong(rules_only)


def test_only_pages_that_ocr_read_are_read_a_second_time(data_dir):
    """A text layer's rules are read exactly and markup comes with its cells: the layout model has
    nothing to add there, so only scanned pages are rebuilt."""
    pipeline = Pipeline(Settings(layout="heuristic"))
    scanned = pipeline.read(data_dir / "scanned" / f"{SEED}.pdf")
    digital = pipeline.read(data_dir / "digital" / f"{SEED}.pdf")
    html = pipeline.read(data_dir / "html" / "shanghai_szfbgt_2019.html")
    assert all(p.read_by_ocr for p in scanned.pages)
    assert not any(p.read_by_ocr for p in digital.pages + html.pages)
    assert all(p.scan_rules is None for p in scanned.pages)  # rule masks are kept only for the auto layout's second reading


def test_a_dashed_scan_of_a_small_agencys_matrix_is_read_row_by_row(tmp_path):
    """Generator report 14 of seed 5151 (in no training set or benchmark split), scanned heavy with its
    rules broken into dashes: a rule crossing read as X made a header of the 信访 row, a value slot joined
    over two rows put 上年结转's 2 in 本年新收's row, and with most cells blank both readings left the
    relations unchecked. The applications matrix now reads as printed but for a cell or two."""
    pdf = write_report(14, 5151, tmp_path, level="heavy")
    expected = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))["metrics"]
    got = Pipeline(Settings(layout="auto"))(pdf).metrics
    matrix = [k for k in expected if k.startswith("applications.")]
    assert got["applications.carried_over.other_org"].value == 2 and got["applications.new.other_org"].value is None
    assert all(k in got for k in matrix if k.startswith("applications.not_processed.petition."))
    assert sum(k not in got or got[k].value != expected[k] for k in matrix) <= 8  # of 161: 6 now, 24 before


def test_a_column_of_zeros_read_blank_gains_no_relation():
    """Counting blanks as 0 only finds breaks: a reading that lost the zeros of a relation (a column of
    0s read blank) does not hold that relation, so it cannot outscore the reading that read them."""
    lost = _reading(requests__fax=None, review__corrected=None, review__other=None)
    assert relation_score(_reading()) - relation_score(lost) > 2  # two relations unconfirmed, not 0.15


def test_a_reading_that_lost_a_tables_values_does_not_win_by_breaking_none_of_its_relations():
    """A total printed wrong breaks its relation in the reading that read the table; a reading that lost
    the whole table leaves that relation unchecked. The break counts only where both readings check
    it, so the reading with the table wins (an ogi2008 page whose every row the rules had read was
    once given up for one that lost them)."""
    lhs, term = _lhs_and_term()
    read = _reading(**{lhs: 10_000})
    relation = next(r for r in load_spec().formats[read.format].relations if r.lhs == lhs.replace("__", "."))
    gone = {relation.lhs, *(t for _, t in relation_terms(relation))}
    lost = read.model_copy(update={"metrics": {k: v for k, v in read.metrics.items() if k not in gone}})
    lost.relations = check_relations(lost.metrics, lost.format)
    assert relation_score(read, lost) > relation_score(lost, read)
    assert relation_score(read) < relation_score(lost)  # alone, the lost reading scores better


def test_each_table_is_taken_from_the_reading_its_own_relations_prefer():
    """Each reading right on one table, wrong on another: the result takes each group of metrics that
    relations tie together from the reading those relations prefer (a second reading had restored
    table 四 and lost a 第二十条 sub-table, and was once kept or dropped whole)."""
    expected = truth("seeds", SEED)["metrics"]
    first = _reading(review__total=10_000)  # review's total misread, litigation right
    second = _reading(litigation__total=10_000)  # litigation's total misread, review right
    kept = preferred(first, second)
    assert kept.values == expected
    assert not kept.breaks and kept.warnings[-1].endswith("(review)")
    assert preferred(first, _reading()).values == expected  # every group prefers the second: all of it
    assert preferred(_reading(), second) is not second and preferred(_reading(), second).values == expected


def test_of_two_readings_the_relations_cannot_tell_apart_the_one_that_found_more_cells_is_kept():
    """A small agency's table is mostly blank, and blank cells check nothing: a reading that lost half
    its rows to broken rules tied with one that read every row (blank), and the first reading, the one
    with the rows lost, was kept. Each cell read blank now counts a little."""
    groups = relation_groups(_reading().format or "")
    unchecked = [k for k in truth("seeds", SEED)["metrics"] if k.split(".")[0] not in groups][:4]
    found = _reading(**{k.replace(".", "__"): None for k in unchecked})
    lost = found.model_copy(update={"metrics": {k: v for k, v in found.metrics.items() if k not in unchecked}})
    assert len(unchecked) == 4 and relation_score(found, lost) > relation_score(lost, found)
    assert preferred(lost, found) is found
