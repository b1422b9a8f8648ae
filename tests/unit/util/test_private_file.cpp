#include <doctest/doctest.h>

#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../temp_dir.hpp"
#include "rbl/util/error.hpp"
#include "rbl/util/private_file.hpp"

using rbl::util::PrivateOutputFile;

using rbl::test::read_all;
using rbl::test::Umask;

TEST_CASE("private file: created with mode 0600 whatever the umask") {
    rbl::test::TempDir dir;
    const Umask open_umask(0);
    const auto path = dir.path() / "rejects.csv";
    PrivateOutputFile file(path, "the rejects file");
    file.write("line,column,reason\r\n");
    file.close();
    CHECK(read_all(path) == "line,column,reason\r\n");
    CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
}

TEST_CASE("private file: an existing file is truncated and keeps its mode") {
    rbl::test::TempDir dir;
    const auto path = dir.write("out.csv", "old content that is longer\n");
    std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::owner_write |
                                           std::filesystem::perms::group_read);
    PrivateOutputFile file(path, "the rejects file");
    file.write("new\n");
    file.close();
    CHECK(read_all(path) == "new\n");
    CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::group_read) !=
          std::filesystem::perms::none);
}

// Bad-input catalogue: --rejects naming a symbolic link wrote through it, clobbering its target.
TEST_CASE("private file: a symbolic link is refused and its target left alone") {
    rbl::test::TempDir dir;
    const auto target = dir.write("passwd", "precious\n");
    const auto link = dir.path() / "rejects.csv";
    std::filesystem::create_symlink(target, link);
    CHECK_THROWS_WITH_AS(PrivateOutputFile(link, "the rejects file"),
                         doctest::Contains("is a symbolic link: refusing to write through it"),
                         rbl::UsageError);
    CHECK(read_all(target) == "precious\n");
    // A dangling link too: it would create a file wherever the link points.
    const auto dangling = dir.path() / "dangling.csv";
    std::filesystem::create_symlink(dir.path() / "nowhere.csv", dangling);
    CHECK_THROWS_AS(PrivateOutputFile(dangling, "the rejects file"), rbl::UsageError);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "nowhere.csv"));
}

TEST_CASE("private file: a missing folder or a folder as the path is a usage error") {
    rbl::test::TempDir dir;
    CHECK_THROWS_WITH_AS(PrivateOutputFile(dir.path() / "no/such/rejects.csv", "the rejects file"),
                         doctest::Contains("does not exist"), rbl::UsageError);
    CHECK_THROWS_WITH_AS(PrivateOutputFile(dir.path(), "the rejects file"),
                         doctest::Contains("is a folder"), rbl::UsageError);
}

// /dev/full fails every write with ENOSPC. Where it is missing the case is skipped, and doctest
// counts and reports it as skipped; the RLIMIT_FSIZE case below provokes a write error anywhere.
TEST_CASE("private file: a write error on /dev/full is reported when the file is closed" *
          doctest::skip(!std::filesystem::is_character_file("/dev/full")) *
          doctest::description("skipped where /dev/full is missing")) {
    PrivateOutputFile file("/dev/full", "the rejects file");
    // A small write stays in the buffer and fails when flushed by close(); a large one at once.
    file.write("small");
    CHECK_THROWS_WITH_AS(file.close(), doctest::Contains("No space left on device"),
                         rbl::FailedError);
    PrivateOutputFile large("/dev/full", "the rejects file");
    CHECK_THROWS_AS(large.write(std::string(1 << 16, 'x')), rbl::FailedError);
}

namespace {

// Limits the size of files this process writes (RLIMIT_FSIZE) and ignores SIGXFSZ, so that a
// write past the limit fails with EFBIG instead of killing the process; restores both.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        REQUIRE(::getrlimit(RLIMIT_FSIZE, &m_old) == 0);
        m_old_handler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit = m_old;
        limit.rlim_cur = bytes;
        REQUIRE(::setrlimit(RLIMIT_FSIZE, &limit) == 0);
    }
    ~FileSizeLimit() {
        ::setrlimit(RLIMIT_FSIZE, &m_old);
        std::signal(SIGXFSZ, m_old_handler);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

private:
    rlimit m_old{};
    void (*m_old_handler)(int) = SIG_DFL;
};

}  // namespace

// The same failures provoked on any system: an ordinary file that may not grow past 16 bytes.
TEST_CASE("private file: a write error past the file size limit is reported") {
    if (!std::filesystem::is_character_file("/dev/full")) {
        MESSAGE("/dev/full is missing: its case is skipped, this one provokes the write error");
    }
    rbl::test::TempDir dir;
    const auto path = dir.path() / "rejects.csv";
    {
        PrivateOutputFile file(path, "the rejects file");
        const FileSizeLimit limit(16);
        file.write("line,column,reason\r\n");  // 20 bytes: buffered, fails when flushed
        CHECK_THROWS_WITH_AS(file.close(), doctest::Contains("File too large"), rbl::FailedError);
    }
    {
        PrivateOutputFile large(path, "the rejects file");
        const FileSizeLimit limit(16);
        CHECK_THROWS_WITH_AS(large.write(std::string(1 << 16, 'x')),
                             doctest::Contains("File too large"), rbl::FailedError);
    }
    CHECK(std::filesystem::file_size(path) <= 16);
}
