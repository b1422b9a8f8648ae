#include "print.hpp"

#include <fmt/format.h>

#include "rbl/util/i18n.hpp"

namespace rbl::app {

void print_problems(const engine::RuleTestReport& report, std::FILE* lines) {
    for (const auto& result : report.results) {
        if (result.passed) {
            continue;
        }
        fmt::print(lines, "{}\n",
                   trf("FAILED {}:{}: {} — {}: {}", result.file, result.line, result.list_id,
                       result.test_name, result.problem));
        for (const std::string& line : result.explanation) {
            fmt::print(lines, "    {}\n", line);
        }
    }
    for (const auto& unreached : report.unreached) {
        fmt::print(lines, "{}\n",
                   trf("untested {}:{}: {} — no test makes this criterion hold", unreached.file,
                       unreached.line, unreached.list_id));
    }
}

nlohmann::json report_json(const engine::RuleTestReport& report) {
    nlohmann::json json = engine::to_json(report);
    nlohmann::json results = nlohmann::json::array();
    for (const auto& result : report.results) {
        results.push_back({{"list_id", result.list_id},
                           {"test", result.test_name},
                           {"file", result.file},
                           {"line", result.line},
                           {"passed", result.passed},
                           {"problem", result.passed ? nlohmann::json(nullptr)
                                                     : nlohmann::json(result.problem)},
                           {"explanation", result.explanation}});
    }
    nlohmann::json untested = nlohmann::json::array();
    for (const auto& unreached : report.unreached) {
        untested.push_back({{"list_id", unreached.list_id},
                            {"file", unreached.file},
                            {"line", unreached.line},
                            {"criterion", unreached.text}});
    }
    json["results"] = std::move(results);
    json["untested"] = std::move(untested);
    return json;
}

}  // namespace rbl::app
