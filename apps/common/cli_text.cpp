#include "common/cli_text.hpp"

#include <fmt/args.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
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

// One known form of CLI11's messages: its pattern, and the message it becomes. A pattern is
// literal text with three kinds of capture: %w a word (one or more non-space characters), %d a
// number (one or more digits), %* any text (perhaps empty). The message's placeholders {0}, {1}…
// are the captures, in order. Matching is of the whole message, each capture as long as it can be
// (as a regular expression's greedy groups), giving back what the rest of the pattern needs.
struct KnownForm {
    std::string_view pattern;
    const char* message;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) { return c != ' ' && c != '\t' && c != '\n' && c != '\r'; }

bool match_form(std::string_view pattern, std::string_view text,
                std::vector<std::string_view>& captures) {
    if (pattern.empty()) {
        return text.empty();
    }
    if (pattern.size() >= 2 && pattern[0] == '%') {
        const char kind = pattern[1];
        const std::string_view rest = pattern.substr(2);
        std::size_t longest = 0;
        if (kind == '*') {
            longest = text.size();
        } else {
            bool (*const fits)(char) = kind == 'd' ? is_digit : is_word;
            while (longest < text.size() && fits(text[longest])) {
                ++longest;
            }
        }
        const std::size_t shortest = kind == '*' ? 0 : 1;
        for (std::size_t length = longest + 1; length-- > shortest;) {
            captures.push_back(text.substr(0, length));
            if (match_form(rest, text.substr(length), captures)) {
                return true;
            }
            captures.pop_back();
        }
        return false;
    }
    const std::size_t literal = std::min(pattern.find('%'), pattern.size());
    const std::string_view head = pattern.substr(0, literal == 0 ? 1 : literal);
    if (!text.starts_with(head)) {
        return false;
    }
    return match_form(pattern.substr(head.size()), text.substr(head.size()), captures);
}

const std::vector<KnownForm>& known_forms() {
    // The English of every form stays as CLI11 2.1 writes it; each message is marked so that
    // it has a translation. The first form that matches wins: the catch-all comes last.
    static const std::vector<KnownForm> forms = {
        {"The following argument was not expected: %*", tr("not expected here: {0}")},
        {"The following arguments were not expected: %*", tr("not expected here: {0}")},
        {"A subcommand is required", tr("a subcommand is required")},
        {"%w is required", tr("{0} is required")},
        {"Exactly 1 option from [%*] is required", tr("exactly one of {0} is required")},
        {"Exactly 1 option from [%*] is required and %d were given",
         tr("exactly one of {0} is required")},
        {"At least 1 option from [%*] is required", tr("at least one of {0} is required")},
        {"%w requires %w", tr("{0} needs {1}")},
        {"%w excludes %w", tr("{0} cannot be given with {1}")},
        {"The value %* is not an allowed value for %w", tr("{0} is not an allowed value for {1}")},
        {"Could not convert: %w = %*", tr("{0}: {1} is not a valid value")},
        {"%w: too many inputs for a flag", tr("{0} takes no value")},
        {"%w: Should be true/false or a number", tr("{0}: give true, false or a number")},
        {"%w: Value %* not in range %w to %w", tr("{0}: {1} is not in the range {2} to {3}")},
        {"%w: %* not in {%*}", tr("{0}: {1} is not one of {2}")},
        {"%w: File does not exist: %*", tr("{0}: no such file: {1}")},
        {"%w: Directory does not exist: %*", tr("{0}: no such folder: {1}")},
        {"%w: Path does not exist: %*", tr("{0}: no such file or folder: {1}")},
        {"%w: Failed parsing %* as a %*", tr("{0}: {1} is not a {2}")},
        {"%w: Value %* could not be converted", tr("{0}: {1} is not a valid value")},
        {"%w: %d required %w missing", tr("{0} needs a value ({2})")},
        {"Expected exactly %d argument to %w, got %d", tr("{1} takes exactly {0} values, not {2}")},
        {"Expected exactly %d arguments to %w, got %d",
         tr("{1} takes exactly {0} values, not {2}")},
        {"Expected at least %d argument to %w, got %d", tr("{1} takes at least {0} values, not {2}")},
        {"Expected at least %d arguments to %w, got %d",
         tr("{1} takes at least {0} values, not {2}")},
        {"%w: %*", tr("{0}: {1}")},
    };
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
        std::vector<std::string_view> captures;
        if (match_form(form.pattern, english, captures)) {
            fmt::dynamic_format_arg_store<fmt::format_context> groups;
            for (const std::string_view capture : captures) {
                groups.push_back(std::string(capture));
            }
            return fmt::vformat(form.message, groups);
        }
    }
    return english;
}

nlohmann::json describe_app(const CLI::App& app) {
    nlohmann::json options = nlohmann::json::array();
    nlohmann::json positionals = nlohmann::json::array();
    for (const CLI::Option* option : app.get_options()) {
        const bool takes_value = option->get_expected_min() > 0;
        const std::string value = takes_value ? option->get_type_name() : std::string();
        if (option->get_positional()) {
            positionals.push_back({{"name", option->get_name()},
                                   {"value", value},
                                   {"description", option->get_description()},
                                   {"required", option->get_required()}});
            continue;
        }
        nlohmann::json names = nlohmann::json::array();
        for (const std::string& name : option->get_snames()) {
            names.push_back("-" + name);
        }
        for (const std::string& name : option->get_lnames()) {
            names.push_back("--" + name);
        }
        options.push_back({{"names", names},
                           {"value", value},
                           {"description", option->get_description()},
                           {"required", option->get_required()}});
    }
    nlohmann::json subcommands = nlohmann::json::array();
    for (const CLI::App* subcommand : app.get_subcommands({})) {
        subcommands.push_back(describe_app(*subcommand));
    }
    return {{"name", app.get_name()},
            {"description", app.get_description()},
            {"options", options},
            {"positionals", positionals},
            {"subcommands", subcommands}};
}

}  // namespace rbl::app
