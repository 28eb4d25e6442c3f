// detect-custom-labels: an SVG of the image with every box and polygon drawn on it.
#ifndef DETECT_CUSTOM_LABELS_SVG_HPP
#define DETECT_CUSTOM_LABELS_SVG_HPP

#include <rekognition/detail/base64.hpp>
#include <rekognition/detail/image_header.hpp>
#include <rekognition/model.hpp>

#include <cstdio>
#include <string>
#include <string_view>

namespace dcl {

inline std::string XmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

inline std::string FormatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

/// An SVG document that embeds `image_bytes` (PNG or JPEG) and draws each
/// label's bounding box and polygon, captioned "Name 98.7%". Coordinates are
/// the service's ratios scaled to the image's pixel size.
inline std::string RenderSvg(std::string_view image_bytes,
                             const rekognition::DetectCustomLabelsResult& result) {
  namespace rd = rekognition::detail;
  const auto info = rd::ReadImageHeader(image_bytes);
  const double width = info && info->width ? info->width : 640;
  const double height = info && info->height ? info->height : 480;
  const char* mime = info && info->format == rd::ImageFormat::kJpeg ? "image/jpeg" : "image/png";
  static constexpr const char* kColours[] = {"#e6194b", "#3cb44b", "#4363d8", "#f58231",
                                             "#911eb4", "#008080", "#f032e6", "#9a6324"};
  const double stroke = std::max(1.0, std::min(width, height) / 200.0);
  const double font = std::max(10.0, std::min(width, height) / 30.0);

  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + FormatNumber(width) +
                    "\" height=\"" + FormatNumber(height) + "\" viewBox=\"0 0 " + FormatNumber(width) +
                    " " + FormatNumber(height) + "\">\n";
  svg += "<image width=\"" + FormatNumber(width) + "\" height=\"" + FormatNumber(height) +
         "\" href=\"data:" + mime + ";base64,";
  rd::Base64EncodeAppend(svg, image_bytes);
  svg += "\"/>\n";
  std::size_t index = 0;
  for (const auto& label : result.custom_labels) {
    const std::string colour = kColours[index++ % (sizeof kColours / sizeof kColours[0])];
    const std::string caption = XmlEscape(label.name) + " " + FormatNumber(label.confidence) + "%";
    svg += "<g class=\"label\" data-name=\"" + XmlEscape(label.name) + "\">\n";
    if (label.geometry && label.geometry->bounding_box) {
      const auto& box = *label.geometry->bounding_box;
      const double x = box.left * width, y = box.top * height;
      svg += "<rect x=\"" + FormatNumber(x) + "\" y=\"" + FormatNumber(y) + "\" width=\"" +
             FormatNumber(box.width * width) + "\" height=\"" + FormatNumber(box.height * height) +
             "\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"" + FormatNumber(stroke) + "\"/>\n";
      svg += "<text x=\"" + FormatNumber(x + stroke) + "\" y=\"" + FormatNumber(std::max(font, y - stroke)) +
             "\" font-family=\"sans-serif\" font-size=\"" + FormatNumber(font) + "\" fill=\"" + colour +
             "\" stroke=\"white\" stroke-width=\"0.6\" paint-order=\"stroke\">" + caption + "</text>\n";
    }
    if (label.geometry && !label.geometry->polygon.empty()) {
      svg += "<polygon points=\"";
      for (const auto& point : label.geometry->polygon)
        svg += FormatNumber(point.x * width) + "," + FormatNumber(point.y * height) + " ";
      svg.back() = '"';
      svg += " fill=\"" + colour + "\" fill-opacity=\"0.15\" stroke=\"" + colour +
             "\" stroke-dasharray=\"4 2\" stroke-width=\"" + FormatNumber(stroke / 2) + "\"/>\n";
    }
    if (!label.geometry) {
      svg += "<text x=\"4\" y=\"" + FormatNumber(font * static_cast<double>(index)) +
             "\" font-family=\"sans-serif\" font-size=\"" + FormatNumber(font) + "\" fill=\"" + colour +
             "\">" + caption + "</text>\n";
    }
    svg += "</g>\n";
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace dcl

#endif  // DETECT_CUSTOM_LABELS_SVG_HPP
