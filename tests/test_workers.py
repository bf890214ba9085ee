"""How work is shared between the worker processes."""

from insyn.workers import chunks, forked_map


def test_runs_cover_every_item_once_in_order_and_shrink_towards_the_end():
    items = list(range(10_000))
    runs = chunks(items, processes=2)
    assert [item for run in runs for item in run] == items
    sizes = [len(run) for run in runs]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == 2_500  # a quarter of the work in the first run: few crossings
    assert sizes[-1] <= 8  # the last runs are short: no worker waits long for another


def test_a_few_items_make_runs_of_the_smallest_size():
    assert chunks([1, 2, 3], processes=2, smallest=1) == [[1], [2], [3]]
    assert chunks([], processes=2) == []


def test_forked_map_gives_the_results_in_the_items_order():
    items = list(range(500))
    assert forked_map(lambda n: n * n, items, processes=2) == [n * n for n in items]


def test_what_is_done_meanwhile_runs_once_while_the_workers_work():
    seen = []
    items = list(range(200))
    results = forked_map(lambda n: n * n, items, processes=2, meanwhile=lambda: seen.append(1))
    assert results == [n * n for n in items]
    assert seen == [1]


def test_loading_runs_what_is_done_meanwhile_once_for_small_and_large_sites(tmp_path):
    from insyn.sources import PARALLEL_LOAD_FROM, load_project

    for pages in (3, PARALLEL_LOAD_FROM + 10):
        root = tmp_path / f"site-{pages}"
        (root / "content").mkdir(parents=True)
        for n in range(pages):
            (root / "content" / f"sida-{n}.md").write_text(
                f"---\ntitle: Sida {n}\npublished: 2026-01-05\n---\nText {n}.\n", encoding="utf-8")
        calls = []
        sources, _ = load_project(root, meanwhile=lambda calls=calls: calls.append(1))
        assert calls == [1]
        assert [s.data["title"] for s in sources.pages][:2] == ["Sida 0", "Sida 1"]
        assert len(sources.pages) == pages
