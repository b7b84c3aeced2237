"""An inline SVG map of the base, the hosts and the routes between them.

No tiles and no network: the map is drawn from the places' coordinates alone,
so a site copied to a USB stick still shows it. The projection is
equirectangular with longitudes scaled by cos(mean latitude), which keeps
shapes right at the scale of a study visit (a region, a city).

A visit often has a dense cluster (a city centre) and a few far places (a
day trip 100 km away). When the far places would squeeze the cluster into a
few pixels, the cluster is drawn again, enlarged, in a second panel beside
the overview, and its places are marked only there; so every place has
exactly one marker (``<g class="marker" data-place="...">``) on a map.
Markers that still overlap are pushed apart with a thin leader line to the
true position, and labels take the first free spot around their marker; a
numbered legend under the map names every place in full.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["MapPlace", "MapRoute", "render_map"]

FONT_SIZE = 11.0
CHAR_WIDTH = 0.56
"""Average glyph width as a share of the font size, for label boxes."""
MARKER_RADIUS = 8.0
MIN_GAP = 2 * MARKER_RADIUS + 3
LABEL_CHARS = 26
PAD = 22.0
INSET_SHARE = 1 / 6
"""A cluster gets its own panel when its extent is below this share of the whole map's."""


@dataclass(frozen=True, slots=True)
class MapPlace:
    """A place with coordinates: the base or a host."""

    id: str
    name: str
    lat: float
    lon: float
    is_base: bool = False
    number: str = ""
    """The marker's text and the legend's key (empty for the base, drawn as a star)."""


@dataclass(frozen=True, slots=True)
class MapRoute:
    """A leg driven or walked between two places, drawn once per pair and mode."""

    a: str
    b: str
    walked: bool = False
    riders: int = 1
    css_class: str = ""
    """Extra class, e.g. ``day-2`` to colour the routes of one day."""


@dataclass(slots=True)
class _Panel:
    x: float
    y: float
    width: float
    height: float
    places: list[MapPlace]
    zoomed: bool = False

    def contains(self, box: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = box
        return (
            x0 >= self.x + 2
            and y0 >= self.y + 2
            and x1 <= self.x + self.width - 2
            and y1 <= self.y + self.height - 2
        )


def render_map(
    places: Sequence[MapPlace],
    routes: Iterable[MapRoute] = (),
    *,
    width: float = 640,
    height: float = 420,
    title: str = "",
    inset_title: str = "",
    map_id: str = "",
    css_class: str = "map",
) -> Markup:
    """The SVG element for these places and routes.

    Parameters
    ----------
    places
        Places with coordinates, each drawn with one marker. Ids must be unique.
    routes
        Legs between places given in ``places``; others are left out.
    width, height
        Size of the drawing in CSS pixels; the SVG scales to its container.
    title
        Accessible name of the map (its ``<title>``).
    inset_title
        Caption of the enlarged panel, when there is one.
    """
    svg_id = f' id="{escape(map_id)}"' if map_id else ""
    head = (
        f'<svg{svg_id} class="{escape(css_class)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet">'
        f"<title>{escape(title)}</title>"
    )
    if not places:
        return Markup(head + "</svg>")
    panels = _layout(list(places), width, height)
    # a place belongs to the last panel that shows it: the enlarged one when there is one
    owner = {p.id: i for i, panel in enumerate(panels) for p in panel.places}
    positions: dict[str, tuple[float, float]] = {}
    true_positions: dict[str, tuple[float, float]] = {}
    for index, panel in enumerate(panels):
        projected = _project(panel)
        mine = {k: v for k, v in projected.items() if owner[k] == index}
        true_positions.update(mine)
        positions.update(_spread(mine, panel))

    parts = [head]
    for index, panel in enumerate(panels):
        parts.append(
            f'<rect class="panel" x="{_n(panel.x)}" y="{_n(panel.y)}" '
            f'width="{_n(panel.width)}" height="{_n(panel.height)}" rx="6"/>'
        )
        if panel.zoomed and inset_title:
            parts.append(
                f'<text class="panel-title" x="{_n(panel.x + 8)}" y="{_n(panel.y + 16)}">'
                f"{escape(inset_title)}</text>"
            )
        if index == 0 and len(panels) > 1:
            parts.append(_cluster_frame(panels[0], panels[1]))

    by_id = {p.id: p for p in places}
    overview = {**_project(panels[0]), **{k: v for k, v in positions.items() if owner[k] == 0}}
    parts.append('<g class="routes">')
    for route in _merge_routes(routes, by_id):
        pa, pb = owner[route.a], owner[route.b]
        if pa == pb:
            start, end = positions[route.a], positions[route.b]
        else:  # between the enlarged panel and the overview: drawn on the overview
            start, end = overview[route.a], overview[route.b]
        parts.append(_route_line(route, start, end))
    parts.append("</g>")

    obstacles = [
        (x - MARKER_RADIUS, y - MARKER_RADIUS, x + MARKER_RADIUS, y + MARKER_RADIUS)
        for x, y in positions.values()
    ]
    parts.append('<g class="markers">')
    for place in sorted(places, key=lambda p: (not p.is_base, p.number, p.id)):
        panel = panels[owner[place.id]]
        parts.append(
            _marker(place, positions[place.id], true_positions[place.id], panel, obstacles)
        )
    parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


# -- layout ------------------------------------------------------------------------------


def _layout(places: list[MapPlace], width: float, height: float) -> list[_Panel]:
    """One panel, or an overview and an enlarged panel for the densest cluster."""
    whole = _Panel(0, 0, width, height, places)
    cluster = _dense_cluster(places, width, height)
    if cluster is None:
        return [whole]
    cluster_ids = {p.id for p in cluster}
    outside = [p for p in places if p.id not in cluster_ids]
    split = width * 0.58
    overview = _Panel(0, 0, split - 4, height, outside + cluster)
    enlarged = _Panel(split + 4, 0, width - split - 4, height, cluster, zoomed=True)
    return [overview, enlarged]


def _dense_cluster(places: list[MapPlace], width: float, height: float) -> list[MapPlace] | None:
    if len(places) < 3:
        return None
    whole = _extent(places)
    scale = _scale(whole, width, height)
    # places closer than two marker widths on the whole map join one cluster
    clusters = _components(places, scale, whole, 2.5 * MIN_GAP)
    best = clusters[0]
    if len(best) < 3 or len(best) == len(places):
        return None
    span = max(_spans(_extent(best)))
    if span > INSET_SHARE * max(_spans(whole)):
        return None
    return best


def _components(
    places: list[MapPlace], scale: float, extent: tuple, threshold: float
) -> list[list[MapPlace]]:
    lat0 = (extent[1] + extent[3]) / 2
    cos0 = math.cos(math.radians(lat0))
    xy = {p.id: (p.lon * cos0 * scale, -p.lat * scale) for p in places}
    parent = {p.id: p.id for p in places}

    def find(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(places):
        for b in places[i + 1 :]:
            (xa, ya), (xb, yb) = xy[a.id], xy[b.id]
            if math.hypot(xa - xb, ya - yb) < threshold:
                parent[find(a.id)] = find(b.id)
    groups: dict[str, list[MapPlace]] = {}
    for p in places:
        groups.setdefault(find(p.id), []).append(p)
    return sorted(groups.values(), key=lambda g: (-len(g), min(p.id for p in g)))


def _extent(places: Sequence[MapPlace]) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat)."""
    lons = [p.lon for p in places]
    lats = [p.lat for p in places]
    return min(lons), min(lats), max(lons), max(lats)


def _spans(extent: tuple[float, float, float, float]) -> tuple[float, float]:
    """East-west and north-south extent in degrees of latitude."""
    lon0, lat0, lon1, lat1 = extent
    cos0 = math.cos(math.radians((lat0 + lat1) / 2))
    return (lon1 - lon0) * cos0, lat1 - lat0


def _scale(extent: tuple, width: float, height: float) -> float:
    dx, dy = _spans(extent)
    room_x, room_y = width - 2 * PAD - 120, height - 2 * PAD - 30
    candidates = [s for s in (room_x / dx if dx > 0 else 0, room_y / dy if dy > 0 else 0) if s > 0]
    return min(candidates) if candidates else 1.0


def _project(panel: _Panel) -> dict[str, tuple[float, float]]:
    extent = _extent(panel.places)
    top = 22.0 if panel.zoomed else 0.0
    scale = _scale(extent, panel.width, panel.height - top)
    lon0, lat0, lon1, lat1 = extent
    cos0 = math.cos(math.radians((lat0 + lat1) / 2))
    cx = panel.x + panel.width / 2
    cy = panel.y + top + (panel.height - top) / 2
    mid_x = (lon0 + lon1) / 2 * cos0
    mid_y = (lat0 + lat1) / 2
    return {
        p.id: (cx + (p.lon * cos0 - mid_x) * scale, cy - (p.lat - mid_y) * scale)
        for p in panel.places
    }


def _spread(
    projected: dict[str, tuple[float, float]], panel: _Panel
) -> dict[str, tuple[float, float]]:
    """Push overlapping markers apart a little, keeping them inside the panel."""
    shown = dict(projected)
    ids = sorted(shown)
    for _ in range(60):
        moved = False
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                (xa, ya), (xb, yb) = shown[a], shown[b]
                dx, dy = xb - xa, yb - ya
                dist = math.hypot(dx, dy)
                if dist >= MIN_GAP:
                    continue
                if dist < 1e-6:  # same spot: fan out deterministically
                    angle = (ids.index(b) * 2.399963) % (2 * math.pi)
                    dx, dy, dist = math.cos(angle), math.sin(angle), 1.0
                push = (MIN_GAP - dist) / 2 + 0.5
                ux, uy = dx / dist, dy / dist
                shown[a] = (xa - ux * push, ya - uy * push)
                shown[b] = (xb + ux * push, yb + uy * push)
                moved = True
        if not moved:
            break
    lo_x, hi_x = panel.x + MARKER_RADIUS + 2, panel.x + panel.width - MARKER_RADIUS - 2
    lo_y, hi_y = panel.y + MARKER_RADIUS + 2, panel.y + panel.height - MARKER_RADIUS - 2
    return {k: (min(max(x, lo_x), hi_x), min(max(y, lo_y), hi_y)) for k, (x, y) in shown.items()}


def _cluster_frame(overview: _Panel, enlarged: _Panel) -> str:
    """A dashed box on the overview round the places shown enlarged beside it."""
    projected = _project(overview)
    points = [projected[p.id] for p in enlarged.places]
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    x0, y0 = min(xs) - 12, min(ys) - 12
    x1, y1 = max(xs) + 12, max(ys) + 12
    return (
        f'<rect class="cluster" x="{_n(x0)}" y="{_n(y0)}" width="{_n(x1 - x0)}" '
        f'height="{_n(y1 - y0)}" rx="4"/>'
        f'<line class="cluster-link" x1="{_n(x1)}" y1="{_n((y0 + y1) / 2)}" '
        f'x2="{_n(enlarged.x)}" y2="{_n(enlarged.y + enlarged.height / 2)}"/>'
    )


# -- drawing ----------------------------------------------------------------------------


def _merge_routes(routes: Iterable[MapRoute], by_id: dict[str, MapPlace]) -> list[MapRoute]:
    merged: dict[tuple, MapRoute] = {}
    for route in routes:
        if route.a not in by_id or route.b not in by_id or route.a == route.b:
            continue
        a, b = sorted((route.a, route.b))
        key = (a, b, route.walked, route.css_class)
        known = merged.get(key)
        riders = route.riders + (known.riders if known else 0)
        merged[key] = MapRoute(a, b, route.walked, riders, route.css_class)
    return [merged[k] for k in sorted(merged)]


def _route_line(route: MapRoute, start: tuple[float, float], end: tuple[float, float]) -> str:
    mode = "walk" if route.walked else "drive"
    classes = " ".join(c for c in ("route", mode, route.css_class) if c)
    stroke = 1.5 + min(route.riders, 30) / 10
    return (
        f'<line class="{escape(classes)}" data-from="{escape(route.a)}" '
        f'data-to="{escape(route.b)}" x1="{_n(start[0])}" y1="{_n(start[1])}" '
        f'x2="{_n(end[0])}" y2="{_n(end[1])}" stroke-width="{_n(stroke)}"/>'
    )


def _marker(
    place: MapPlace,
    at: tuple[float, float],
    true: tuple[float, float],
    panel: _Panel,
    obstacles: list[tuple[float, float, float, float]],
) -> str:
    x, y = at
    kind = "base" if place.is_base else "host"
    parts = [
        f'<g class="marker {kind}" data-place="{escape(place.id)}">'
        f"<title>{escape(place.name)}</title>"
    ]
    if math.hypot(x - true[0], y - true[1]) > 1.5:
        parts.append(
            f'<line class="leader" x1="{_n(true[0])}" y1="{_n(true[1])}" '
            f'x2="{_n(x)}" y2="{_n(y)}"/>'
            f'<circle class="true-spot" cx="{_n(true[0])}" cy="{_n(true[1])}" r="1.8"/>'
        )
    if place.is_base:
        parts.append(f'<path class="star" d="{_star(x, y, MARKER_RADIUS + 2)}"/>')
    else:
        parts.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(MARKER_RADIUS)}"/>')
        if place.number:
            parts.append(
                f'<text class="number" x="{_n(x)}" y="{_n(y + 3.8)}" '
                f'text-anchor="middle">{escape(place.number)}</text>'
            )
    label = _short(place.name)
    box, anchor, lx, ly = _label_spot(label, x, y, panel, obstacles)
    obstacles.append(box)
    parts.append(
        f'<text class="label" x="{_n(lx)}" y="{_n(ly)}" text-anchor="{anchor}">'
        f"{escape(label)}</text>"
    )
    parts.append("</g>")
    return "".join(parts)


def _label_spot(
    label: str,
    x: float,
    y: float,
    panel: _Panel,
    obstacles: list[tuple[float, float, float, float]],
) -> tuple[tuple[float, float, float, float], str, float, float]:
    """The first spot round the marker where the label overlaps nothing and stays inside."""
    w = len(label) * FONT_SIZE * CHAR_WIDTH
    h = FONT_SIZE
    r = MARKER_RADIUS + 3
    spots = [
        ("start", x + r, y + h / 3),  # east
        ("end", x - r, y + h / 3),  # west
        ("middle", x, y - r - 1),  # north
        ("middle", x, y + r + h),  # south
        ("start", x + r - 2, y - r),  # north-east
        ("start", x + r - 2, y + r + h / 2),  # south-east
        ("end", x - r + 2, y - r),  # north-west
        ("end", x - r + 2, y + r + h / 2),  # south-west
    ]
    best = None
    for anchor, lx, ly in spots:
        x0 = {"start": lx, "end": lx - w, "middle": lx - w / 2}[anchor]
        box = (x0, ly - h, x0 + w, ly + 2)
        overlap = sum(_overlap(box, o) for o in obstacles)
        outside = 0 if panel.contains(box) else 1e6
        score = overlap + outside
        if best is None or score < best[0]:
            best = (score, box, anchor, lx, ly)
        if score == 0:
            break
    assert best is not None
    _, box, anchor, lx, ly = best
    return box, anchor, lx, ly


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0


def _star(x: float, y: float, r: float) -> str:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.45
        angle = math.pi / 2 + i * math.pi / 5
        points.append(f"{_n(x + radius * math.cos(angle))},{_n(y - radius * math.sin(angle))}")
    return "M" + "L".join(points) + "Z"


def _short(name: str) -> str:
    name = " ".join(name.split())
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


def _n(value: float) -> str:
    """A coordinate with at most one decimal, without a trailing ``.0``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
