#pragma once
// The language of the interface (SPEC.md §13) and the message catalogs (GNU gettext, the domain
// "rbl"). Every message a person reads — errors, warnings, summaries, progress, help, tables — is
// written in English in the source and marked with one of these functions; po/zh_CN.po holds its
// Chinese. Data the tools store or publish (the database, audit rows, exports without --lang zh,
// JSON keys) is never translated here.
//
//   tr("no file to import")                          a plain message
//   trf("{} lies after today ({})", option, day)    a message with fmt placeholders, checked at
//                                                    compile time against its English text
//   trn("{} row", "{} rows", n)                      a message whose English has a plural

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace rbl::i18n {

enum class Language { en, zh };

/// The language of the interface: $RBL_LANG when set (zh… → Chinese, anything else → English),
/// else the first non-empty of $LC_ALL, $LC_MESSAGES, $LANG (a zh_* locale → Chinese). Read once.
Language language();

/// The folder holding <lang>/LC_MESSAGES/rbl.mo: $RBL_LOCALEDIR, else share/locale beside the
/// executable's folder (the build tree and an installed prefix), else the configured install
/// folder.
std::string catalog_folder();

/// Marks `msgid` for the catalog where it is defined (a constant table) and returns it as it is:
/// it is translated by tr() where it is shown.
constexpr const char* tr_later(const char* msgid) { return msgid; }

/// `msgid` in the interface's language (the English itself when no translation is found).
const char* tr(const char* msgid);

/// `singular` or `plural` for `n` in the interface's language.
const char* trn(const char* singular, const char* plural, std::uint64_t n);

}  // namespace rbl::i18n

namespace rbl {

using i18n::tr;
using i18n::tr_later;
using i18n::trn;

/// tr(format) with its placeholders filled: the English is checked as a format string at
/// compile time; tests/lint/test_messages.py checks that each translation has the same
/// placeholders.
template <class... Args>
std::string trf(fmt::format_string<Args...> format, Args&&... args) {
    const fmt::string_view english = format;
    const std::string msgid(english.data(), english.size());
    return fmt::vformat(i18n::tr(msgid.c_str()), fmt::make_format_args(args...));
}

/// trn(singular, plural, n) with its placeholders filled (the English plural form checked).
template <class... Args>
std::string trnf(fmt::format_string<Args...> singular, fmt::format_string<Args...> plural,
                 std::uint64_t n, Args&&... args) {
    const fmt::string_view singular_text = singular;
    const fmt::string_view plural_text = plural;
    const std::string one(singular_text.data(), singular_text.size());
    const std::string many(plural_text.data(), plural_text.size());
    return fmt::vformat(i18n::trn(one.c_str(), many.c_str(), n), fmt::make_format_args(args...));
}

}  // namespace rbl
