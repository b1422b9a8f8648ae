#include "rbl/util/i18n.hpp"

#include <libintl.h>

#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <system_error>

#ifndef RBL_INSTALL_LOCALEDIR
#define RBL_INSTALL_LOCALEDIR "/usr/local/share/locale"
#endif

namespace rbl::i18n {

namespace {

constexpr const char* k_domain = "rbl";

const char* env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? value : nullptr;
}

// The language a setting names: "zh", "zh_CN", "zh_CN.UTF-8", "zh-Hans" → zh; others → en.
Language language_named(std::string_view setting) {
    return setting.substr(0, 2) == "zh" ? Language::zh : Language::en;
}

Language language_from_environment() {
    if (const char* setting = env("RBL_LANG")) {
        return language_named(setting);
    }
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        if (const char* setting = env(name)) {
            return language_named(setting);
        }
    }
    return Language::en;
}

// Binds the catalogs once. The messages' locale is C.UTF-8, which every glibc has, and the
// language is chosen through $LANGUAGE: a machine without a zh_CN locale generated (a container, a
// server) still speaks Chinese. Only LC_MESSAGES changes, so numbers and dates parse as before.
void bind_catalogs() {
    static std::once_flag once;
    std::call_once(once, [] {
        std::setlocale(LC_MESSAGES, "C.UTF-8");
        setenv("LANGUAGE", "zh_CN", 1);
        bindtextdomain(k_domain, catalog_folder().c_str());
        bind_textdomain_codeset(k_domain, "UTF-8");
    });
}

std::string executable_folder() {
    std::error_code error;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::string() : self.parent_path().string();
}

}  // namespace

Language language() {
    static const Language chosen = language_from_environment();
    return chosen;
}

std::string catalog_folder() {
    if (const char* folder = env("RBL_LOCALEDIR")) {
        return folder;
    }
    const std::string beside = executable_folder();
    if (!beside.empty()) {
        const auto candidate = std::filesystem::path(beside).parent_path() / "share" / "locale";
        std::error_code error;
        if (std::filesystem::exists(candidate / "zh_CN" / "LC_MESSAGES" / "rbl.mo", error)) {
            return candidate.string();
        }
    }
    return RBL_INSTALL_LOCALEDIR;
}

const char* tr(const char* msgid) {
    if (language() == Language::en || *msgid == '\0') {
        return msgid;
    }
    bind_catalogs();
    return dgettext(k_domain, msgid);
}

const char* trn(const char* singular, const char* plural, std::uint64_t n) {
    if (language() == Language::en) {
        return n == 1 ? singular : plural;
    }
    bind_catalogs();
    return dngettext(k_domain, singular, plural, static_cast<unsigned long>(n));
}

}  // namespace rbl::i18n
