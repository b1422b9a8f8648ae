#include "common/cli_text.hpp"

#include <fmt/args.h>
#include <fmt/format.h>

#include <memory>
#include <regex>
#include <string_view>
#include <vector>

#include "rbl/util/i18n.hpp"

namespace rbl::app {

namespace {

// The help's headings and labels in the interface's language. The type names (TEXT, INT, …) stay
// as they are, as in every command's help: an option's column keeps to ASCII, so that the
// descriptions stay aligned.
class TranslatedFormatter : public CLI::Formatter {
public:
    TranslatedFormatter() {
        label("Usage", tr("Usage"));
        label("OPTIONS", tr("OPTIONS"));
        label("SUBCOMMAND", tr("SUBCOMMAND"));
        label("SUBCOMMANDS", tr("SUBCOMMANDS"));
        label("Positionals", tr("Positionals"));
        label("REQUIRED", tr("REQUIRED"));
        label("Env", tr("Env"));
        label("Needs", tr("Needs"));
        label("Excludes", tr("Excludes"));
    }

    std::string make_subcommands(const CLI::App* app, CLI::AppFormatMode mode) const override {
        std::string text = CLI::Formatter::make_subcommands(app, mode);
        const std::string english = "\nSubcommands:\n";
        if (const auto at = text.find(english); at != std::string::npos) {
            text.replace(at, english.size(), fmt::format("\n{}:\n", tr("Subcommands")));
        }
        return text;
    }
};

// One known form of CLI11's messages: its pattern, and the message it becomes (placeholders {0},
// {1}… are the pattern's groups, in order).
struct KnownForm {
    std::regex pattern;
    const char* message;
};

const std::vector<KnownForm>& known_forms() {
    // The English of every form stays as CLI11 2.1 writes it; each message is marked so that
    // it has a translation.
    static const std::vector<KnownForm> forms = [] {
        std::vector<KnownForm> list;
        const auto add = [&list](const char* pattern, const char* message) {
            list.push_back({std::regex(pattern), message});
        };
        add(R"(The following arguments? (?:was|were) not expected: (.*))",
            tr("not expected here: {0}"));
        add(R"(A subcommand is required)", tr("a subcommand is required"));
        add(R"((\S+) is required)", tr("{0} is required"));
        add(R"(Exactly 1 option from \[(.*)\] is required(?: and \d+ were given)?)",
            tr("exactly one of {0} is required"));
        add(R"(At least 1 option from \[(.*)\] is required)",
            tr("at least one of {0} is required"));
        add(R"((\S+) requires (\S+))", tr("{0} needs {1}"));
        add(R"((\S+) excludes (\S+))", tr("{0} cannot be given with {1}"));
        add(R"(The value (.*) is not an allowed value for (\S+))",
            tr("{0} is not an allowed value for {1}"));
        add(R"(Could not convert: (\S+) = (.*))", tr("{0}: {1} is not a valid value"));
        add(R"((\S+): too many inputs for a flag)", tr("{0} takes no value"));
        add(R"((\S+): Should be true/false or a number)", tr("{0}: give true, false or a number"));
        add(R"((\S+): Value (.*) not in range (\S+) to (\S+))",
            tr("{0}: {1} is not in the range {2} to {3}"));
        add(R"((\S+): (.*) not in \{(.*)\})", tr("{0}: {1} is not one of {2}"));
        add(R"((\S+): File does not exist: (.*))", tr("{0}: no such file: {1}"));
        add(R"((\S+): Directory does not exist: (.*))", tr("{0}: no such folder: {1}"));
        add(R"((\S+): Path does not exist: (.*))", tr("{0}: no such file or folder: {1}"));
        add(R"((\S+): Failed parsing (.*) as a (.*))", tr("{0}: {1} is not a {2}"));
        add(R"((\S+): Value (.*) could not be converted)", tr("{0}: {1} is not a valid value"));
        add(R"((\S+): (\d+) required (\S+) missing)", tr("{0} needs a value ({2})"));
        add(R"(Expected exactly (\d+) arguments? to (\S+), got (\d+))",
            tr("{1} takes exactly {0} values, not {2}"));
        add(R"(Expected at least (\d+) arguments? to (\S+), got (\d+))",
            tr("{1} takes at least {0} values, not {2}"));
        add(R"((\S+): (.*))", tr("{0}: {1}"));
        return list;
    }();
    return forms;
}

}  // namespace

void prepare_app(CLI::App& app) {
    app.formatter(std::make_shared<TranslatedFormatter>());
    app.option_defaults()->group(tr("Options"));
    app.set_help_flag("-h,--help", tr("print this help and exit"));
}

std::string parse_error_message(const CLI::ParseError& error) {
    const std::string english = error.what();
    if (i18n::language() == i18n::Language::en) {
        return english;
    }
    for (const KnownForm& form : known_forms()) {
        std::smatch match;
        if (std::regex_match(english, match, form.pattern)) {
            fmt::dynamic_format_arg_store<fmt::format_context> groups;
            for (std::size_t i = 1; i < match.size(); ++i) {
                groups.push_back(match[i].str());
            }
            return fmt::vformat(form.message, groups);
        }
    }
    return english;
}

}  // namespace rbl::app
