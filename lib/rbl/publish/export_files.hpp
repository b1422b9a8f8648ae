#pragma once
// The files an export writes, all through util::AtomicFile: the export itself (or standard
// output), the per-department files, the manifests FILE.sha256, the HTML report.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "rbl/util/atomic_file.hpp"

namespace rbl::publish {

/// An export's file: `out` ("-" for standard output) written whole or not at all (renamed into
/// place by commit()), created with `mode`, hashed as written. Throws UsageError when `out` is a
/// folder, and as util::AtomicFile does.
util::AtomicFile open_export_file(const std::string& out, unsigned mode);

/// The manifest `FILE.sha256`: the file's checksum line for `sha256sum -c`, then the audit log's
/// head as a '#' comment line when given. Throws as write_private_file.
void write_manifest(const std::filesystem::path& file, const std::string& sha256,
                    const std::optional<std::string>& audit_head, unsigned mode);

/// A department's name as a file name: path separators and control characters replaced.
std::string file_name_of(std::string_view department);

}  // namespace rbl::publish
