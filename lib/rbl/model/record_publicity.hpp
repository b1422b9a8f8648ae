#pragma once
// How long a record is published (SPEC.md §11; 信用修复管理办法, 国家发展改革委令第36号, in force
// 2026-04-01): a domain's publicity terms, and for one record its class, its period and whether
// it is public on a day.
//
// Days, as periods are counted in Chinese law (民法典 §§201–202: the day of the decision is not
// counted, and a period in months or years ends on the corresponding day): a record decided on
// D is public from D to D + maximum, both included; D + maximum is its 公示截止期, the last day it
// is public, and it is not public from the next day on. Repair may be asked from D + minimum on
// (the same day as an entry's repair `after:` counts from its effective date). Calendar
// arithmetic throughout: 2024-02-29 + 1y = 2025-02-28.

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rbl/util/date.hpp"

namespace rbl::model {

/// The classes of the 2026 rules: minor (轻微), general (一般), serious (严重).
enum class PublicityClass { minor, general, serious };

/// Every class, mildest first.
inline constexpr std::array<PublicityClass, 3> k_publicity_classes = {
    PublicityClass::minor, PublicityClass::general, PublicityClass::serious};

/// "minor", "general" or "serious": the class's name in rule files and exports.
std::string_view to_string(PublicityClass value);
/// 轻微, 一般 or 严重.
std::string_view chinese_name(PublicityClass value);
/// Parses a class's name.
std::optional<PublicityClass> parse_publicity_class(std::string_view text);

/// One class's terms.
struct ClassTerms {
    bool published = true;    ///< false: records of this class are not published at all
    util::Duration minimum;   ///< repair may be asked from the decision date plus this
    util::Duration maximum;   ///< the last day of publication is the decision date plus this
    bool repairable = true;   ///< false: no repair ends the publication early
};

/// A domain's `publicity:` terms: which kinds are published and how a record's class is read.
struct PublicityTerms {
    std::vector<std::string> kinds;  ///< the record kinds published
    /// The text attributes that name the class, tried in order: the first whose value is one of
    /// `class_values` gives the class. Empty: every record has the default class.
    std::vector<std::string> class_attributes;
    std::map<std::string, PublicityClass, std::less<>> class_values;  ///< attribute value → class
    PublicityClass default_class = PublicityClass::general;  ///< when no attribute gives one
    std::map<PublicityClass, ClassTerms> classes;  ///< every class a record can be given
    /// Working days the office has to decide a record's repair application (`repair_days:`),
    /// counted on the working-day calendar from its receipt.
    int repair_days = k_default_repair_days;
    static constexpr int k_default_repair_days = 10;

    /// True when records of `kind` are published.
    [[nodiscard]] bool publishes(std::string_view kind) const;
    /// The class of a record whose class attributes hold `values` (in their order; nullopt: no
    /// value).
    [[nodiscard]] PublicityClass class_of(
        const std::vector<std::optional<std::string>>& values) const;
};

/// The publicity terms of the domains whose rule files declare `publicity:`, by domain.
using PublicityByDomain = std::map<std::string, PublicityTerms, std::less<>>;

/// One record's publication.
struct RecordPublicity {
    PublicityClass publicity_class = PublicityClass::general;
    bool published = true;     ///< its class is published at all
    bool repairable = true;
    util::Date from;           ///< the decision date, first day of publication
    util::Date until;          ///< 公示截止期: the last day of publication
    util::Date repair_from;    ///< the first day repair may be asked
    /// The day publication ended early, when it did (a granted credit repair): the record is not
    /// public from that day on. None while the publication runs its course.
    std::optional<util::Date> ended_on;

    /// True when the record is public on `day`: published, `from` ≤ day ≤ `until`, and not
    /// ended before or on `day`.
    [[nodiscard]] bool is_public_on(util::Date day) const;
};

/// The publication of a record of `kind` decided on `decided_on`, whose class attributes hold
/// `class_values` (as PublicityTerms::class_of). Nullopt when `terms` does not publish `kind`.
std::optional<RecordPublicity> publicity_of(
    const PublicityTerms& terms, std::string_view kind,
    const std::vector<std::optional<std::string>>& class_values, util::Date decided_on);

}  // namespace rbl::model
