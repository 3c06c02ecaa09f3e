"""Pictures of regions: `chamber slice` on a small network, its exact polygons checked (they tile the window exactly,
each witness inside its polygon), then the SVG rendered to PNG with rsvg-convert (librsvg2-bin) and checked to be a
picture with one colour per region. Run by CTest with Debian's python3 (python3-pil):
    test_slice.py CHAMBER_BINARY WORKDIR"""
import json
import os
import sys
from fractions import Fraction

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, finish, run  # noqa: E402

chamber, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)


def area(vertices):
    """Exact signed area (shoelace) of a polygon of Fractions."""
    total = Fraction(0)
    for (u1, v1), (u2, v2) in zip(vertices, vertices[1:] + vertices[:1]):
        total += u1 * v2 - u2 * v1
    return total / 2


def inside(point, vertices):
    """Whether point is strictly inside the convex counter-clockwise polygon."""
    u, v = point
    for (u1, v1), (u2, v2) in zip(vertices, vertices[1:] + vertices[:1]):
        if (u2 - u1) * (v - v1) - (v2 - v1) * (u - u1) <= 0:
            return False
    return True


net = os.path.join(work, "net.json")
result = run(chamber, "random", "--input", "1x3x3", "--conv", "2:2x2:1", "--linear", "3", "--seed", "5",
             "--weights", "int:-5:5", "-o", net, "--quiet")
check(result.returncode == 0, "random network written (%s)" % result.stderr.strip())
svg, png = os.path.join(work, "slice.svg"), os.path.join(work, "slice.png")
result = run(chamber, "slice", net, "--random-plane", "3", "--svg", svg, "--json", "--quiet")
check(result.returncode == 0, "slice exits 0 (%s)" % result.stderr.strip())
data = json.loads(result.stdout)
polygons = data["polygons"]
lo, hi = (Fraction(x) for x in data["window"])
print("     %d regions" % len(polygons))
check(len(polygons) == data["regions"] and len(polygons) >= 5, "several regions, as many polygons")
exact = [[(Fraction(u), Fraction(v)) for u, v in p["vertices"]] for p in polygons]
check(all(area(p) > 0 for p in exact), "every polygon is counter-clockwise with positive area")
check(sum(area(p) for p in exact) == (hi - lo) ** 2, "the polygons tile the window exactly (areas sum to its area)")
check(all(inside(tuple(Fraction(x) for x in p["witness"]), q) for p, q in zip(polygons, exact)),
      "every region's witness lies strictly inside its polygon")
colours = [p["colour"] for p in polygons]
check(len(set(colours)) == len(colours), "every region has its own colour")
check(len({p["pattern"] for p in polygons}) == len(polygons),
      "every region has its own pattern")

result = run("rsvg-convert", svg, "-o", png)
check(result.returncode == 0, "rsvg-convert renders the SVG (%s)" % result.stderr.strip())
image = Image.open(png).convert("RGB")
check(image.size == (800, 800), "an 800x800 picture")
counts = {}
for pixel in image.getdata():
    counts[pixel] = counts.get(pixel, 0) + 1
rgb = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in colours]
pixels_per_unit = 800 / (hi - lo)
expected_visible = [c for c, p in zip(rgb, exact) if area(p) * pixels_per_unit ** 2 >= 200]
found = [c for c in rgb if counts.get(c, 0) > 0]
print("     %d region colours in the picture, %d regions of at least 200 px" % (len(found), len(expected_visible)))
check(all(counts.get(c, 0) > 0 for c in expected_visible), "every region of at least 200 px shows its colour")
check(len(expected_visible) <= len(found) <= len(rgb), "the picture has one colour per region (none extra)")
# The region colours (and the strokes/marks between them) make up the picture.
covered = sum(counts.get(c, 0) for c in rgb)
check(covered >= 0.8 * 800 * 800, "region fills cover most of the picture (%d px)" % covered)

# Through three given points; on a line they are refused with exit 2.
result = run(chamber, "slice", net, "--through", "0,0,0,0,0,0,0,0,0;1,0,0,0,0,0,0,0,0;0,0,0,0,1,0,0,0,0", "--json", "--quiet")
check(result.returncode == 0 and json.loads(result.stdout)["regions"] >= 1, "--through three points")
result = run(chamber, "slice", net, "--through", "0,0,0,0,0,0,0,0,0;1,0,0,0,0,0,0,0,0;2,0,0,0,0,0,0,0,0")
check(result.returncode == 2 and "one line" in result.stderr, "collinear points: exit 2")
result = run(chamber, "slice", net, "--through", "0,0;1,0;0,1")
check(result.returncode == 2 and "coordinates" in result.stderr, "points of the wrong dimension: exit 2")
result = run(chamber, "slice", net)
check(result.returncode == 2 and "exactly one of" in result.stderr, "no plane given: exit 2")

finish()
