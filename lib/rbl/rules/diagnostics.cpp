#include "rbl/rules/diagnostics.hpp"

#include <fmt/format.h>

#include "rbl/util/i18n.hpp"

namespace rbl::rules {

std::string Diagnostic::text() const {
    if (line <= 0) {
        return fmt::format("{}: {}", file, message);
    }
    if (column <= 0) {
        return fmt::format("{}:{}: {}", file, line, message);
    }
    return fmt::format("{}:{}:{}: {}", file, line, column, message);
}

namespace {

std::string describe(const std::string& what, const std::vector<Diagnostic>& diagnostics) {
    std::string text = diagnostics.size() == 1 ? trf("{}:", what)
                                               : trf("{} ({} problems):", what, diagnostics.size());
    for (const Diagnostic& diagnostic : diagnostics) {
        text += "\n  ";
        text += diagnostic.text();
    }
    return text;
}

}  // namespace

InvalidConfig::InvalidConfig(const std::string& what, std::vector<Diagnostic> diagnostics)
    : UsageError(describe(what, diagnostics)), m_diagnostics(std::move(diagnostics)) {}

void Diagnostics::throw_if_any(const std::string& what) const {
    if (!m_items.empty()) {
        throw InvalidConfig(what, m_items);
    }
}

}  // namespace rbl::rules
