#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "../temp_dir.hpp"
#include "rbl/util/atomic_file.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/sha256.hpp"

using rbl::util::AtomicFile;

using rbl::test::read_all;
using rbl::test::Umask;

namespace {

// The folder's entries, by name.
std::size_t entries_in(const std::filesystem::path& folder) {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(folder)) {
        ++count;
    }
    return count;
}

std::filesystem::perms permissions_of(const std::filesystem::path& path) {
    return std::filesystem::status(path).permissions() & std::filesystem::perms::all;
}

AtomicFile::Options with_mode(unsigned mode, bool hash = false) {
    return AtomicFile::Options{
        .mode = mode, .placement = AtomicFile::Placement::replace, .hash = hash, .what = {}};
}

}  // namespace

TEST_CASE("atomic file: the path holds nothing new until commit, then the whole") {
    rbl::test::TempDir dir;
    const auto path = dir.write("export.csv", "the previous export\n");
    AtomicFile file(path, with_mode(0600));
    file.write("entry_id,list_id\r\n");
    file.write(std::string(1 << 17, 'x'));  // past the buffer: written to the temporary file
    CHECK(read_all(path) == "the previous export\n");
    const auto temp = file.temporary_path();
    CHECK(temp.parent_path() == path.parent_path());
    CHECK(std::filesystem::exists(temp));
    file.commit();
    CHECK(read_all(path) == "entry_id,list_id\r\n" + std::string(1 << 17, 'x'));
    CHECK_FALSE(std::filesystem::exists(temp));
    CHECK(entries_in(dir.path()) == 1);
}

TEST_CASE("atomic file: a write abandoned before commit leaves neither file nor temporary") {
    rbl::test::TempDir dir;
    const auto path = dir.path() / "export.csv";
    std::filesystem::path temp;
    {
        AtomicFile file(path, with_mode(0600));
        temp = file.temporary_path();
        file.write(std::string(1 << 17, 'x'));
        file.finish();  // complete, but never put in place (the transaction failed, say)
    }
    CHECK_FALSE(temp.empty());
    CHECK_FALSE(std::filesystem::exists(path));
    CHECK_FALSE(std::filesystem::exists(temp));
    CHECK(entries_in(dir.path()) == 0);
}

TEST_CASE("atomic file: a failing commit leaves the previous file and no temporary") {
    rbl::test::TempDir dir;
    const auto path = dir.write("export.csv", "previous\n");
    AtomicFile file(path, with_mode(0600));
    file.write("new\n");
    file.finish();
    // Renaming over a non-empty folder fails: the path changed under the writer.
    std::filesystem::remove(path);
    std::filesystem::create_directory(path);
    dir.write("export.csv/inside", "x");
    CHECK_THROWS_WITH_AS(file.commit(), doctest::Contains("cannot put in place"), rbl::FailedError);
    CHECK(std::filesystem::is_directory(path));
    CHECK_FALSE(std::filesystem::exists(file.temporary_path()));
}

TEST_CASE("atomic file: private by default, else the explicit mode, whatever the umask") {
    rbl::test::TempDir dir;
    const Umask open_umask(0);
    {
        AtomicFile file(dir.path() / "private.csv", AtomicFile::Options{});
        file.write("a\n");
        file.commit();
    }
    CHECK(permissions_of(dir.path() / "private.csv") ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    {
        const Umask strict_umask(077);
        AtomicFile file(dir.path() / "wide.csv", with_mode(0640));
        file.write("a\n");
        file.commit();
    }
    CHECK(permissions_of(dir.path() / "wide.csv") ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
           std::filesystem::perms::group_read));
    // Replacing a wider file gives the new mode, not the old one.
    std::filesystem::permissions(dir.path() / "wide.csv", std::filesystem::perms::all);
    {
        AtomicFile file(dir.path() / "wide.csv", with_mode(0600));
        file.commit();
    }
    CHECK(permissions_of(dir.path() / "wide.csv") ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
}

TEST_CASE("atomic file: a symbolic link is never followed") {
    rbl::test::TempDir dir;
    const auto target = dir.write("passwd", "precious\n");
    SUBCASE("in place it is refused") {
        const auto link = dir.path() / "rejects.csv";
        std::filesystem::create_symlink(target, link);
        AtomicFile::Options options;
        options.placement = AtomicFile::Placement::in_place;
        options.what = "the rejects file";
        CHECK_THROWS_WITH_AS(AtomicFile(link, options),
                             doctest::Contains("is a symbolic link: refusing to write through it"),
                             rbl::UsageError);
    }
    SUBCASE("replacing, the link itself is replaced") {
        const auto link = dir.path() / "export.csv";
        std::filesystem::create_symlink(target, link);
        AtomicFile file(link, with_mode(0600));
        file.write("export\n");
        file.commit();
        CHECK_FALSE(std::filesystem::is_symlink(link));
        CHECK(read_all(link) == "export\n");
    }
    SUBCASE("a link planted at the temporary name is not written through") {
        const auto path = dir.path() / "export.csv";
        std::filesystem::create_symlink(target,
                                        path.string() + ".tmp-" + std::to_string(::getpid()));
        CHECK_THROWS_WITH_AS(AtomicFile(path, with_mode(0600)), doctest::Contains("cannot create"),
                             rbl::FailedError);
        CHECK_FALSE(std::filesystem::exists(path));
    }
    CHECK(read_all(target) == "precious\n");
}

TEST_CASE("atomic file: a device is written in place and stays a device" *
          doctest::skip(!std::filesystem::is_character_file("/dev/null")) *
          doctest::description("skipped where /dev/null is missing")) {
    AtomicFile file("/dev/null", with_mode(0600, true));
    CHECK(file.temporary_path().empty());
    file.write("discarded\n");
    CHECK(file.finish() == rbl::util::sha256_hex("discarded\n"));
    file.commit();
    CHECK(std::filesystem::is_character_file("/dev/null"));
}

TEST_CASE("atomic file: a named pipe is written in place") {
    rbl::test::TempDir dir;
    const auto pipe = dir.path() / "pipe";
    REQUIRE(::mkfifo(pipe.c_str(), 0600) == 0);
    // Opened read-write here so that the writer's open does not wait for a reader.
    const int reader = ::open(pipe.c_str(), O_RDWR | O_NONBLOCK);
    REQUIRE(reader >= 0);
    {
        AtomicFile file(pipe, with_mode(0600));
        file.write("through the pipe\n");
        file.commit();
    }
    char bytes[64] = {};
    const ssize_t read = ::read(reader, bytes, sizeof bytes);
    ::close(reader);
    CHECK(std::string(bytes, read > 0 ? static_cast<std::size_t>(read) : 0) ==
          "through the pipe\n");
    CHECK(std::filesystem::is_fifo(std::filesystem::symlink_status(pipe)));
}

TEST_CASE("atomic file: the running SHA-256 is of every byte written") {
    rbl::test::TempDir dir;
    const auto path = dir.path() / "hashed.jsonl";
    AtomicFile file(path, with_mode(0600, true));
    const std::string big(100000, 'y');
    file.write("{}\n");
    file.write(big);
    const std::string hex = file.finish();
    file.commit();
    CHECK(hex == rbl::util::sha256_hex("{}\n" + big));
    CHECK(hex == rbl::util::sha256_file_hex(path));
    AtomicFile unhashed(dir.path() / "plain.csv", with_mode(0600));
    unhashed.write("a\n");
    CHECK(unhashed.finish().empty());
}

TEST_CASE("atomic file: a folder, or a missing folder, is a usage error and creates nothing") {
    rbl::test::TempDir dir;
    CHECK_THROWS_WITH_AS(AtomicFile(dir.path(), with_mode(0600)), doctest::Contains("is a folder"),
                         rbl::UsageError);
    CHECK_THROWS_WITH_AS(AtomicFile(dir.path() / "no/such/export.csv", with_mode(0600)),
                         doctest::Contains("does not exist"), rbl::UsageError);
    CHECK(entries_in(dir.path()) == 0);
}

TEST_CASE("atomic file: in place, what was written stays even without commit") {
    rbl::test::TempDir dir;
    const auto path = dir.path() / "rejects.csv";
    AtomicFile::Options options;
    options.placement = AtomicFile::Placement::in_place;
    {
        AtomicFile file(path, options);
        CHECK(file.temporary_path().empty());
        file.write(std::string(1 << 17, 'r'));
    }
    CHECK(std::filesystem::file_size(path) == (1u << 17));
    CHECK(entries_in(dir.path()) == 1);
}
