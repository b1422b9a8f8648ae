// libFuzzer target: an entry's explanation read back from its stored English
// (lib/rbl/model/explanation, the migration to schema version 11) over arbitrary text. Checks that
// the clauses give the text again byte for byte, survive their JSON, and can be written in
// Chinese.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "rbl/model/explanation.hpp"
#include "rbl/util/text.hpp"

namespace {

[[noreturn]] void fuzz_fail(const char* what) { throw std::logic_error(what); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    // Stored explanations are lines each ended by a newline.
    if (!text.empty() && text.back() != '\n') {
        text += '\n';
    }
    if (text.find("\n\n") != std::string::npos || text.starts_with('\n') ||
        rbl::util::find_invalid_utf8(text)) {
        return 0;  // no explanation: an empty line, or bytes the database never holds as text
    }
    using rbl::i18n::Language;
    const auto clauses = rbl::model::clauses_from_text(text);
    if (rbl::model::words(clauses, Language::en) != text) {
        fuzz_fail("the clauses do not give the stored text back");
    }
    const auto again = rbl::model::clauses_from_json(rbl::model::to_json(clauses).dump());
    if (!again || rbl::model::words(*again, Language::en) != text) {
        fuzz_fail("the clauses do not survive their JSON");
    }
    (void)rbl::model::words(clauses, Language::zh);
    return 0;
}
