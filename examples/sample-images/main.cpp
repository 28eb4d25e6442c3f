// make-sample-images: draws the sample pictures under examples/data/ and
// prints, as JSON, the labels a model would find in them (boxes and polygons
// taken from the very coordinates the shapes are drawn with).
//
//   make-sample-images OUTDIR   writes OUTDIR/shelf.png, logo.png, storefront.png
//
// storefront.png is committed as storefront.jpg (converted once with
// ImageMagick: convert storefront.png -quality 85 storefront.jpg), so the
// samples cover both formats the service accepts.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "../../tests/support/png_writer.hpp"

namespace {

using testing_support::Canvas;
using testing_support::Rgb;
using Points = std::vector<std::pair<double, double>>;

struct Label {
  std::string name;
  double confidence;
  double left, top, width, height;  // pixels
  Points polygon;                   // pixels
};

struct Scene {
  std::string file;
  Canvas canvas;
  std::vector<Label> labels;
};

Points RectPoints(double x, double y, double w, double h) {
  return {{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}};
}

Points EllipsePoints(double cx, double cy, double rx, double ry, int n) {
  Points points;
  for (int k = 0; k < n; ++k) {
    const double a = 2 * 3.14159265358979 * k / n - 3.14159265358979 / 2;
    points.emplace_back(cx + rx * std::cos(a), cy + ry * std::sin(a));
  }
  return points;
}

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6f", value);
  std::string text = buffer;
  while (text.size() > 1 && text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

// A can: body, rim and base ellipses. (x, y) is the top-left of its box.
Label DrawCan(Canvas& c, int x, int y, Rgb colour, double confidence) {
  const int w = 60, h = 92;
  c.FillRect(x, y + 8, w, h - 16, colour);
  c.FillEllipse(x + w / 2.0, y + h - 8, w / 2.0, 8, colour);
  c.FillEllipse(x + w / 2.0, y + 8, w / 2.0, 8, Rgb{190, 190, 196});
  c.FillRect(x + 8, y + 36, w - 16, 20, Rgb{250, 250, 250});  // the brand band
  Points outline = {{x, y + 8.0},         {x + 10.0, y + 1.0},  {x + 30.0, y + 0.0},
                    {x + 50.0, y + 1.0},  {x + 60.0, y + 8.0},  {x + 60.0, y + 84.0},
                    {x + 50.0, y + 91.0}, {x + 30.0, y + 92.0}, {x + 10.0, y + 91.0},
                    {x, y + 84.0}};
  return Label{"soda_can", confidence, double(x), double(y), double(w), double(h), outline};
}

Label DrawCerealBox(Canvas& c, int x, int y, int w, int h, double confidence) {
  c.FillRect(x, y, w, h, Rgb{240, 190, 30});
  c.FillRect(x, y + h / 5, w, h / 6, Rgb{200, 40, 40});
  c.FillEllipse(x + w / 2.0, y + h * 0.62, w / 3.5, h / 7.0, Rgb{250, 240, 200});
  return Label{"cereal_box",          confidence, double(x), double(y), double(w), double(h),
               RectPoints(x, y, w, h)};
}

Label DrawBottle(Canvas& c, int x, int bottom, double confidence) {
  // Body 50 wide and 80 tall, shoulders to a 20 px neck, a cap on top.
  const double y = bottom - 135.0;
  Points outline = {{x + 13.0, y},      {x + 37.0, y},       {x + 37.0, y + 25},
                    {x + 50.0, y + 55}, {x + 50.0, y + 135}, {x + 0.0, y + 135},
                    {x + 0.0, y + 55},  {x + 13.0, y + 25}};
  c.FillPolygon(outline, Rgb{90, 160, 220});
  c.FillRect(x + 13, static_cast<int>(y), 24, 12, Rgb{30, 60, 140});
  c.FillRect(x, static_cast<int>(y) + 80, 50, 24, Rgb{230, 240, 250});
  return Label{"water_bottle", confidence, double(x), y, 50.0, 135.0, outline};
}

Label DrawTeaBox(Canvas& c, int x, int y, int w, int h, double confidence) {
  c.FillRect(x, y, w, h, Rgb{40, 140, 70});
  c.FillEllipse(x + w / 2.0, y + h / 2.0, w / 4.0, h / 4.0, Rgb{230, 220, 120});
  return Label{
      "tea_box", confidence, double(x), double(y), double(w), double(h), RectPoints(x, y, w, h)};
}

Label DrawDetergent(Canvas& c, int x, int bottom, double confidence) {
  // A jug with a handle: 80 wide, 120 tall.
  const double y = bottom - 120.0;
  Points outline = {{x + 10.0, y + 30},  {x + 30.0, y + 30}, {x + 30.0, y},
                    {x + 50.0, y},       {x + 50.0, y + 12}, {x + 80.0, y + 30},
                    {x + 80.0, y + 120}, {x + 0.0, y + 120}, {x + 0.0, y + 40}};
  c.FillPolygon(outline, Rgb{240, 120, 30});
  c.FillRect(x + 12, static_cast<int>(y) + 60, 56, 34, Rgb{255, 255, 255});
  c.FillEllipse(x + 40, y + 77, 12, 12, Rgb{60, 90, 200});
  return Label{"detergent", confidence, double(x), y, 80.0, 120.0, outline};
}

Label DrawPriceTag(Canvas& c, int x, int y, double confidence) {
  c.FillRect(x, y, 30, 10, Rgb{255, 255, 255});
  c.FillRect(x + 4, y + 4, 22, 2, Rgb{40, 40, 40});
  return Label{"price_tag", confidence, double(x), double(y), 30.0, 10.0, RectPoints(x, y, 30, 10)};
}

Scene Shelf() {
  Scene scene{"shelf.png", Canvas(512, 384, Rgb{236, 228, 210}), {}};
  Canvas& c = scene.canvas;
  auto& labels = scene.labels;
  labels.push_back(DrawCan(c, 40, 78, Rgb{200, 30, 40}, 98.61));
  labels.push_back(DrawCerealBox(c, 130, 40, 80, 130, 96.12));
  labels.push_back(DrawCan(c, 240, 78, Rgb{200, 30, 40}, 91.07));
  labels.push_back(DrawBottle(c, 340, 170, 88.4));
  labels.push_back(DrawTeaBox(c, 420, 100, 70, 70, 83.9));
  labels.push_back(DrawCerealBox(c, 30, 220, 80, 130, 94.55));
  labels.push_back(DrawDetergent(c, 150, 350, 79.3));
  labels.push_back(DrawTeaBox(c, 270, 280, 70, 70, 67.25));
  labels.push_back(DrawBottle(c, 390, 350, 58.8));
  // The planks go in front of the products' bases.
  c.FillRect(0, 170, 512, 12, Rgb{139, 94, 60});
  c.FillRect(0, 350, 512, 12, Rgb{139, 94, 60});
  c.FillRect(0, 362, 512, 22, Rgb{110, 74, 48});
  labels.push_back(DrawPriceTag(c, 55, 171, 61.5));
  labels.push_back(DrawPriceTag(c, 290, 351, 42.3));  // below the default threshold
  return scene;
}

Scene Storefront() {
  Scene scene{"storefront.png", Canvas(384, 288, Rgb{150, 200, 240}), {}};
  Canvas& c = scene.canvas;
  auto& labels = scene.labels;
  c.FillRect(0, 140, 384, 148, Rgb{170, 170, 175});  // the wall
  c.FillRect(0, 276, 384, 12, Rgb{110, 110, 115});   // the pavement
  c.FillRect(20, 150, 110, 80, Rgb{120, 170, 210});  // window
  c.FillRect(250, 150, 110, 80, Rgb{120, 170, 210});
  // The sign on two posts, with the logo on its left.
  c.FillRect(90, 120, 8, 30, Rgb{80, 80, 80});
  c.FillRect(286, 120, 8, 30, Rgb{80, 80, 80});
  c.FillRect(60, 40, 264, 80, Rgb{30, 110, 70});
  labels.push_back(Label{"sign_board", 97.2, 60, 40, 264, 80, RectPoints(60, 40, 264, 80)});
  c.FillEllipse(110, 80, 30, 30, Rgb{250, 200, 40});
  c.FillPolygon({{110, 58}, {132, 96}, {88, 96}}, Rgb{200, 40, 40});
  labels.push_back(Label{"store_logo", 93.8, 80, 50, 60, 60, EllipsePoints(110, 80, 30, 30, 12)});
  // Block letters to the right of the logo.
  for (int k = 0; k < 5; ++k) c.FillRect(160 + k * 30, 62, 20, 36, Rgb{245, 245, 240});
  c.FillRect(160, 180, 64, 96, Rgb{120, 80, 50});  // door
  c.FillEllipse(212, 230, 4, 4, Rgb{230, 200, 80});
  labels.push_back(Label{"door", 71.4, 160, 180, 64, 96, RectPoints(160, 180, 64, 96)});
  return scene;
}

Scene Logo() {
  Scene scene{"logo.png", Canvas(256, 256, Rgb{250, 250, 250}), {}};
  Canvas& c = scene.canvas;
  Points hexagon = EllipsePoints(128, 120, 80, 80, 6);
  c.FillPolygon(hexagon, Rgb{240, 130, 30});
  c.FillEllipse(128, 120, 40, 40, Rgb{40, 80, 180});
  c.FillRect(68, 220, 120, 14, Rgb{60, 60, 60});  // a word mark under it
  double left = 1e9, right = -1e9, top = 1e9, bottom = -1e9;
  for (const auto& [x, y] : hexagon) {
    left = std::min(left, x);
    right = std::max(right, x);
    top = std::min(top, y);
    bottom = std::max(bottom, y);
  }
  scene.labels.push_back(Label{"store_logo", 99.1, left, top, right - left, bottom - top, hexagon});
  return scene;
}

std::string LabelsJson(const Scene& scene) {
  const double w = scene.canvas.width(), h = scene.canvas.height();
  std::string json = "[";
  for (std::size_t i = 0; i < scene.labels.size(); ++i) {
    const Label& label = scene.labels[i];
    json += i ? ",\n    " : "\n    ";
    json += "{\"Name\": \"" + label.name + "\", \"Confidence\": " + Number(label.confidence) +
            ", \"Geometry\": {\"BoundingBox\": {\"Width\": " + Number(label.width / w) +
            ", \"Height\": " + Number(label.height / h) + ", \"Left\": " + Number(label.left / w) +
            ", \"Top\": " + Number(label.top / h) + "}, \"Polygon\": [";
    for (std::size_t k = 0; k < label.polygon.size(); ++k) {
      json += k ? ", " : "";
      json += "{\"X\": " + Number(label.polygon[k].first / w) +
              ", \"Y\": " + Number(label.polygon[k].second / h) + "}";
    }
    json += "]}}";
  }
  return json + "\n  ]";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make-sample-images OUTDIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  std::string json = "{";
  bool first = true;
  for (const Scene& scene : {Shelf(), Storefront(), Logo()}) {
    const std::string png = testing_support::EncodePng(scene.canvas);
    std::ofstream out(dir + "/" + scene.file, std::ios::binary);
    out.write(png.data(), static_cast<std::streamsize>(png.size()));
    if (!out) {
      std::fprintf(stderr, "cannot write %s/%s\n", dir.c_str(), scene.file.c_str());
      return 1;
    }
    json += std::string(first ? "\n" : ",\n") + "  \"" + scene.file + "\": " + LabelsJson(scene);
    first = false;
  }
  std::printf("%s\n}\n", json.c_str());
  return 0;
}
