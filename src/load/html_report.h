#pragma once

#include <string>

#include "load/report.h"

namespace modelgate::load {

// Renders one self-contained HTML page with the summary, the target checks, latency over time
// (p50, p95 and p99 of each second), the latency distribution by percentile and the error
// breakdown. Both charts draw the contract's SLO lines. Charts are inline SVG, and the page
// loads no script, font or style sheet from elsewhere.
std::string RenderHtml(const LoadReport& report);

}  // namespace modelgate::load
