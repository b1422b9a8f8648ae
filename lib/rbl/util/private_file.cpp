#include "rbl/util/private_file.hpp"

#include <string>

namespace rbl::util {

PrivateOutputFile::PrivateOutputFile(const std::filesystem::path& path, std::string_view what)
    : m_file(path, AtomicFile::Options{.mode = 0600,
                                       .placement = AtomicFile::Placement::in_place,
                                       .hash = false,
                                       .what = std::string(what)}) {}

}  // namespace rbl::util
