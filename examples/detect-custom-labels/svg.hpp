// detect-custom-labels: an SVG of the image with every box and polygon drawn on it.
#ifndef DETECT_CUSTOM_LABELS_SVG_HPP
#define DETECT_CUSTOM_LABELS_SVG_HPP

#include <rekognition/detail/base64.hpp>
#include <rekognition/operations/detect_custom_labels.hpp>
#include <rekognition/operations/image_header.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

#include "output.hpp"

namespace dcl {

/// `text` as XML character data or an attribute value, valid XML 1.0 for any
/// input: the five markup characters as entities, tab, line feed and
/// carriage return as character references (kept through attribute
/// normalisation), and what XML 1.0 forbids even as a reference (the other
/// C0 controls, U+FFFE, U+FFFF, bytes that are not UTF-8) as U+FFFD.
inline std::string XmlEscape(std::string_view text) {
  const std::string valid = ValidUtf8(text);
  std::string out;
  out.reserve(valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const char c = valid[i];
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\t':
        out += "&#9;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\xEF\xBF\xBD";
        } else if (valid.compare(i, 2, "\xEF\xBF") == 0 && i + 2 < valid.size() &&
                   (valid[i + 2] == '\xBE' || valid[i + 2] == '\xBF')) {
          out += "\xEF\xBF\xBD";  // U+FFFE and U+FFFF are not XML characters
          i += 2;
        } else {
          out += c;
        }
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
/// label's bounding box (rect class "box") and polygon (class "polygon"),
/// captioned "Name 98.70%" on a badge (rect class "caption"). Coordinates are
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
                    "\" height=\"" + FormatNumber(height) + "\" viewBox=\"0 0 " +
                    FormatNumber(width) + " " + FormatNumber(height) + "\">\n";
  svg += "<image width=\"" + FormatNumber(width) + "\" height=\"" + FormatNumber(height) +
         "\" href=\"data:" + mime + ";base64,";
  rd::Base64EncodeAppend(svg, image_bytes);
  svg += "\"/>\n";
  std::size_t index = 0;
  for (const auto& label : result.custom_labels) {
    const std::string colour = kColours[index++ % (sizeof kColours / sizeof kColours[0])];
    const std::string caption = XmlEscape(label.name) + " " + FormatNumber(label.confidence) + "%";
    svg += "<g class=\"label\" data-name=\"" + XmlEscape(label.name) + "\" data-confidence=\"" +
           FormatNumber(label.confidence) + "\">\n";
    // The caption sits on a badge above the box (inside it at the top edge),
    // pulled left to stay within the image.
    double caption_x = 0, caption_y = font * static_cast<double>(index);
    if (label.geometry && !label.geometry->polygon.empty()) {
      svg += "<polygon class=\"polygon\" points=\"";
      for (const auto& point : label.geometry->polygon)
        svg += FormatNumber(point.x * width) + "," + FormatNumber(point.y * height) + " ";
      svg.back() = '"';
      svg += " fill=\"" + colour + "\" fill-opacity=\"0.15\" stroke=\"" + colour +
             "\" stroke-dasharray=\"4 2\" stroke-width=\"" + FormatNumber(stroke / 2) + "\"/>\n";
      caption_x = label.geometry->polygon[0].x * width;
      caption_y = label.geometry->polygon[0].y * height;
    }
    if (label.geometry && label.geometry->bounding_box) {
      const auto& box = *label.geometry->bounding_box;
      const double x = box.left * width, y = box.top * height;
      svg += "<rect class=\"box\" x=\"" + FormatNumber(x) + "\" y=\"" + FormatNumber(y) +
             "\" width=\"" + FormatNumber(box.width * width) + "\" height=\"" +
             FormatNumber(box.height * height) + "\" fill=\"none\" stroke=\"" + colour +
             "\" stroke-width=\"" + FormatNumber(stroke) + "\"/>\n";
      caption_x = x;
      caption_y = y;
    }
    // Sans-serif glyphs average about 0.6 em; enough to keep the badge inside.
    const double badge_width = 0.6 * font * static_cast<double>(label.name.size() + 8) + 4;
    const double badge_height = font * 1.3;
    caption_x = std::max(0.0, std::min(caption_x, width - badge_width));
    caption_y = caption_y - badge_height >= 0 ? caption_y - badge_height : std::max(0.0, caption_y);
    svg += "<rect class=\"caption\" x=\"" + FormatNumber(caption_x) + "\" y=\"" +
           FormatNumber(caption_y) + "\" width=\"" + FormatNumber(badge_width) + "\" height=\"" +
           FormatNumber(badge_height) + "\" fill=\"" + colour + "\" fill-opacity=\"0.85\"/>\n";
    svg += "<text x=\"" + FormatNumber(caption_x + 2) + "\" y=\"" + FormatNumber(caption_y + font) +
           "\" font-family=\"sans-serif\" font-size=\"" + FormatNumber(font) +
           "\" fill=\"white\">" + caption + "</text>\n";
    svg += "</g>\n";
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace dcl

#endif  // DETECT_CUSTOM_LABELS_SVG_HPP
