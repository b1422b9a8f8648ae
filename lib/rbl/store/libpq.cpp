#include "rbl/store/libpq.hpp"

#include <dlfcn.h>

#include <string>

#include "rbl/util/error.hpp"
#include "rbl/util/i18n.hpp"

namespace rbl::store::detail {

namespace {

constexpr const char* k_library = "libpq.so.5";

[[noreturn]] void unavailable(const char* what) {
    throw FailedError(
        trf("the PostgreSQL store needs libpq ({}: {}); install Debian's "
            "package libpq5",
            k_library, what != nullptr ? what : "not found"));
}

LibPq load() {
    void* handle = dlopen(k_library, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        unavailable(dlerror());
    }
    LibPq api;
#define RBL_LIBPQ_LOAD(name)                                              \
    api.name = reinterpret_cast<decltype(&::name)>(dlsym(handle, #name)); \
    if (api.name == nullptr) {                                            \
        unavailable(dlerror());                                           \
    }
    RBL_LIBPQ_FUNCTIONS(RBL_LIBPQ_LOAD)
#undef RBL_LIBPQ_LOAD
    return api;  // the handle stays open for the process's life
}

}  // namespace

const LibPq& libpq() {
    static const LibPq api = load();
    return api;
}

}  // namespace rbl::store::detail
