// libFuzzer target: the expression language (lib/rbl/rules/expression). Compiles the input
// against a record schema with attributes of every type, and against the subject schema; a
// compiled expression is then evaluated over all-null fields and over a full record.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "rbl/rules/expression.hpp"
#include "rbl/rules/rule_set.hpp"
#include "rbl/util/date.hpp"

namespace {

using rbl::rules::AttributeType;
using rbl::rules::Schema;
using rbl::rules::Value;

[[noreturn]] void fuzz_fail(const char* what) { throw std::logic_error(what); }

const Schema& record_schema() {
    static const Schema schema{
        {"record_id", AttributeType::text}, {"kind", AttributeType::text},
        {"date", AttributeType::date},      {"amount", AttributeType::number},
        {"authority", AttributeType::text}, {"region", AttributeType::text},
        {"domain", AttributeType::text},    {"severity", AttributeType::text},
        {"workers", AttributeType::number}, {"repeat", AttributeType::boolean},
        {"since", AttributeType::date},
    };
    return schema;
}

// A record with every field set, amounts near the edges of what a Decimal holds.
std::vector<Value> full_record() {
    using rbl::util::Decimal;
    return {
        Value::text("R-001"),
        Value::text("penalty"),
        Value::date(rbl::util::Date::from_ymd(2025, 3, 10)),
        Value::number(Decimal{999999999999999999, 2}),
        Value::text("江苏省市场监督管理局"),
        Value::text("320100"),
        Value::text("market"),
        Value::text("serious"),
        Value::number(Decimal{-7, 18}),
        Value::boolean(true),
        Value::date(rbl::util::Date::from_ymd(9999, 12, 31)),
    };
}

void exercise(std::string_view source, const Schema& schema, const std::vector<Value>& full) {
    const auto compiled = rbl::rules::compile(source, schema);
    if (!compiled) {
        if (compiled.error().offset > source.size()) {
            fuzz_fail("an error offset lies beyond the expression");
        }
        (void)compiled.error().text();
        return;
    }
    if (compiled->fields_needed() > schema.size()) {
        fuzz_fail("an expression needs more fields than its schema has");
    }
    const std::vector<Value> nulls(schema.size());
    (void)compiled->evaluate(nulls);
    (void)compiled->evaluate(full);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view source(reinterpret_cast<const char*>(data), size);
    static const std::vector<Value> record = full_record();
    static const std::vector<Value> subject = {Value::text("legal_person"),
                                               Value::text("91320106MA109Y0356"),
                                               Value::text("320106"),
                                               Value::date(rbl::util::Date::from_ymd(2026, 6, 1)),
                                               Value::date(rbl::util::Date::from_ymd(2008, 6, 1)),
                                               Value::number(rbl::util::Decimal{17, 0})};
    exercise(source, record_schema(), record);
    exercise(source, rbl::rules::subject_schema(), subject);
    return 0;
}
