"""The portfolio heatmap's colours (issue #18): a sequential scale whose lightness rises with the
score, so a reader who cannot tell red from green still reads low from high; each cell prints its
score."""

from decimal import Decimal

from assessment import charts


def lightness(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_the_heatmap_scale_grows_lighter_with_the_score_and_prints_each_score():
    trace = charts.heatmap(["A"], ["Data", "Code"], [[Decimal(10), None]])["data"][0]

    stops = trace["colorscale"]
    values = [lightness(colour) for _, colour in stops]
    assert values == sorted(values) and values[-1] - values[0] > 0.6
    assert [position for position, _ in stops] == sorted(position for position, _ in stops)
    assert trace["text"] == [["10", "N/A"]] and trace["texttemplate"] == "%{text}"
