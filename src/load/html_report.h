#pragma once

#include <string>

#include "load/report.h"

namespace modelgate::load {

// Renders one self-contained HTML page: the summary and target checks, latency over time
// (p50, p95 and p99 of each second), the latency distribution by percentile with the
// contract's SLO lines, and the error breakdown. Charts are inline SVG; the page loads no
// script, font or style sheet from elsewhere.
std::string RenderHtml(const LoadReport& report);

}  // namespace modelgate::load
