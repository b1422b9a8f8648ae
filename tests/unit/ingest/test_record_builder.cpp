#include <doctest/doctest.h>

#include <vector>

#include "../temp_dir.hpp"
#include "rbl/ingest/record_builder.hpp"

using namespace rbl;
using ingest::Field;

namespace {

constexpr const char* k_company = "91110000600037341L";
constexpr const char* k_person = "11010519491231002X";

rules::RuleSet test_rules(const test::TempDir& dir) {
    dir.write("rules/courts.yaml",
              "domain: courts\ntitle: Courts\ntitle_zh: 法院\nversion: \"1\"\n"
              "attributes:\n  violence: bool\n  workers: number\n  paid_on: date\n");
    return rules::RuleSet::load(dir.path() / "rules");
}

struct Row {
    std::vector<std::pair<std::string, std::string>> values;

    std::vector<Field> fields() const {
        std::vector<Field> out;
        for (const auto& [name, value] : values) {
            out.push_back(Field{name, name, ingest::column_of(name), value});
        }
        return out;
    }
};

Row good_row() {
    return Row{{{"record_id", "R1"},
                {"subject_id", k_company},
                {"subject_name", " 甲公司 "},
                {"domain", "courts"},
                {"kind", "court_default"},
                {"date", "2025年3月1日"},
                {"amount", "12.5"},
                {"authority", ""},
                {"violence", "是"},
                {"workers", "12.50"},
                {"note", "free text"}}};
}

void set(Row& row, const std::string& name, const std::string& value) {
    for (auto& [key, existing] : row.values) {
        if (key == name) {
            existing = value;
            return;
        }
    }
    row.values.emplace_back(name, value);
}

}  // namespace

TEST_CASE("record builder: a good row is normalised") {
    test::TempDir dir;
    const auto rules = test_rules(dir);
    const ingest::Mapping mapping;
    ingest::RecordBuilder builder(rules, mapping, {"src", false, util::Date::from_ymd(2026, 11, 28)});
    model::Record record;
    std::string warning;
    const auto row = good_row();
    REQUIRE_FALSE(builder.build(row.fields(), record, warning).has_value());
    CHECK(record.source == "src");
    CHECK(record.subject_name == "甲公司");
    CHECK(record.subject_type == model::SubjectType::legal_person);
    CHECK(record.date.iso() == "2025-03-01");
    CHECK(record.amount == 1250);
    CHECK_FALSE(record.authority.has_value());
    CHECK(record.attrs_json == R"({"note":"free text","violence":true,"workers":12.5})");
    CHECK(builder.subject_region() == "110000");
    CHECK(warning.empty());
}

TEST_CASE("record builder: the content hash changes with the content only") {
    test::TempDir dir;
    const auto rules = test_rules(dir);
    const ingest::Mapping mapping;
    ingest::RecordBuilder builder(rules, mapping, {"src", false, util::Date::from_ymd(2026, 11, 28)});
    model::Record record;
    std::string warning;
    auto row = good_row();
    REQUIRE_FALSE(builder.build(row.fields(), record, warning));
    const auto first = builder.content_hash();
    set(row, "date", "2025-03-01");       // same date, other form
    set(row, "workers", "12.5");          // same number, other form
    REQUIRE_FALSE(builder.build(row.fields(), record, warning));
    CHECK(builder.content_hash() == first);
    set(row, "amount", "12.51");
    REQUIRE_FALSE(builder.build(row.fields(), record, warning));
    CHECK(builder.content_hash() != first);
}

TEST_CASE("record builder: each bad value names its column") {
    test::TempDir dir;
    const auto rules = test_rules(dir);
    const ingest::Mapping mapping;
    ingest::RecordBuilder builder(rules, mapping, {"src", false, util::Date::from_ymd(2026, 11, 28)});
    struct Case {
        const char* column;
        const char* value;
        const char* reason;
    };
    const Case cases[] = {
        {"subject_id", "91110000600037341M", "check"},
        {"subject_id", "9111000060003734", "18 characters"},
        {"date", "2023-02-29", "not a real date"},
        {"amount", "-1", "negative"},
        {"amount", "1.001", "decimals"},
        {"domain", "lottery", "unknown domain"},
        {"kind", "Penalty", "kind"},
        {"region", "3201", "6-digit"},
        {"status", "gone", "active or withdrawn"},
        {"subject_type", "company", "legal_person"},
        {"subject_type", "natural_person", "does not agree"},
        {"violence", "maybe", "yes/no"},
        {"workers", "many", "number"},
        {"paid_on", "2025-13-01", "not a real date"},
        {"subject_name", "", "required"},
        {"record_id", "  ", "required"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.column);
        CAPTURE(c.value);
        auto row = good_row();
        set(row, c.column, c.value);
        model::Record record;
        std::string warning;
        const auto rejection = builder.build(row.fields(), record, warning);
        REQUIRE(rejection.has_value());
        CHECK(rejection->column == c.column);
        CHECK(rejection->reason.find(c.reason) != std::string::npos);
    }
}

TEST_CASE("record builder: --id-check warn and subject types") {
    test::TempDir dir;
    const auto rules = test_rules(dir);
    const ingest::Mapping mapping;
    ingest::RecordBuilder lenient(rules, mapping, {"src", true, util::Date::from_ymd(2026, 11, 28)});
    model::Record record;
    std::string warning;
    auto row = good_row();
    set(row, "subject_id", "91110000600037341M");
    REQUIRE_FALSE(lenient.build(row.fields(), record, warning));
    CHECK_FALSE(record.id_check_ok);
    CHECK(warning.find("check") != std::string::npos);

    set(row, "subject_id", k_person);
    REQUIRE_FALSE(lenient.build(row.fields(), record, warning));
    CHECK(record.subject_type == model::SubjectType::natural_person);
    CHECK(lenient.subject_region() == "110105");
    CHECK(warning.empty());
}

TEST_CASE("record builder: mapping scale applies to amount and number attributes") {
    test::TempDir dir;
    const auto rules = test_rules(dir);
    ingest::Mapping mapping;
    mapping.scale.emplace("amount", util::Decimal{10000, 0});
    mapping.scale.emplace("workers", util::Decimal{1, 1});
    ingest::RecordBuilder builder(rules, mapping, {"src", false, util::Date::from_ymd(2026, 11, 28)});
    model::Record record;
    std::string warning;
    auto row = good_row();
    set(row, "amount", "0.000001");
    REQUIRE_FALSE(builder.build(row.fields(), record, warning));
    CHECK(record.amount == 1);
    CHECK(record.attrs_json.find("\"workers\":1.25") != std::string::npos);
    set(row, "amount", "0.0000001");
    CHECK(builder.build(row.fields(), record, warning).has_value());
}

TEST_CASE("record builder: a given subject_type settles an all-digit identifier") {
    test::TempDir dir;
    const auto rules = test_rules(dir);
    const ingest::Mapping mapping;
    ingest::RecordBuilder builder(rules, mapping, {"src", false, util::Date::from_ymd(2026, 11, 28)});
    // A government organ's all-digit USCC whose characters 7-14 read as 1990-01-01.
    constexpr const char* k_ambiguous = "113201199001011230";
    model::Record record;
    std::string warning;
    auto row = good_row();
    set(row, "subject_id", k_ambiguous);
    const auto rejection = builder.build(row.fields(), record, warning);
    REQUIRE(rejection.has_value());  // read as a resident ID with a wrong check character
    CHECK(rejection->column == "subject_id");

    set(row, "subject_type", "government");
    REQUIRE_FALSE(builder.build(row.fields(), record, warning));
    CHECK(record.subject_type == model::SubjectType::government);
    CHECK(builder.subject_region() == "320119");
}

// Bad-input catalogue (docs/BAD_INPUTS.md): a 10 MB field was stored whole (a name, an authority
// or an attribute of any size went into the database and the exports).
TEST_CASE("record builder: a value longer than 64 KiB rejects its row") {
    test::TempDir dir;
    const auto rules = test_rules(dir);
    const ingest::Mapping mapping;
    ingest::RecordBuilder builder(rules, mapping, {"src", false, util::Date::from_ymd(2026, 11, 28)});
    for (const char* column : {"subject_name", "subject_id", "note", "violence"}) {
        CAPTURE(column);
        auto row = good_row();
        set(row, column, std::string(10 * 1024 * 1024, 'x'));
        model::Record record;
        std::string warning;
        const auto rejection = builder.build(row.fields(), record, warning);
        REQUIRE(rejection.has_value());
        CHECK(rejection->column == column);
        CHECK(rejection->reason == "value of 10485760 bytes is longer than the 64 KiB a value may hold");
    }
    auto row = good_row();
    set(row, "note", std::string(ingest::k_max_value_bytes, 'x'));
    model::Record record;
    std::string warning;
    CHECK_FALSE(builder.build(row.fields(), record, warning).has_value());
}

// Bad-input catalogue: a NUL byte in a name was stored, and the name read back cut short at it.
TEST_CASE("record builder: control characters other than tab and line breaks reject the row") {
    test::TempDir dir;
    const auto rules = test_rules(dir);
    const ingest::Mapping mapping;
    ingest::RecordBuilder builder(rules, mapping, {"src", false, util::Date::from_ymd(2026, 11, 28)});
    model::Record record;
    std::string warning;
    for (const std::string& value : {std::string("坏\0公司", 10), std::string("esc\x1b[31m"),
                                     std::string("del\x7f")}) {
        CAPTURE(value);
        auto row = good_row();
        set(row, "subject_name", value);
        const auto rejection = builder.build(row.fields(), record, warning);
        REQUIRE(rejection.has_value());
        CHECK(rejection->column == "subject_name");
        CHECK(rejection->reason.find("is a control character") != std::string::npos);
    }
    auto row = good_row();
    set(row, "subject_name", "南京\t诚信\r\n贸易有限公司");
    CHECK_FALSE(builder.build(row.fields(), record, warning).has_value());
    set(row, "note", std::string("nul\0", 4));
    const auto rejection = builder.build(row.fields(), record, warning);
    REQUIRE(rejection.has_value());
    CHECK(rejection->reason == "byte 4 is a control character (0x00), not text");
}
